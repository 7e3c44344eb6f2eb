/**
 * 工作台 / 我的待办: what awaits the signed-in official, refreshed by itself: 待我审批, 我承办的,
 * 超期预警, 消息通知, each sorted by due date and grouped 已超期 / 今日 / 本周 / 以后.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client } from '../api/typed';
import { Badge, Button, Card, Empty, List, Space, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import type { CaseView, Deadline, Inbox, Notification, Page, ReviewView } from '../api/types';
import { useAuth } from '../auth/context';
import { DUE_GROUPS, dueGroup, nextDue } from '../components/due';
import { labels } from '../components/labels';
import { ProblemAlert } from '../components/problem';
import { DeadlineChips, StateTag } from '../components/tags';

interface Row {
  key: string;
  aggregate: 'case' | 'review';
  id: string;
  title: string;
  state: string;
  dueAt: string | null;
  deadlines: Deadline[];
  extra?: string;
}

const REFRESH_MS = 30_000;

/** The deadlines of the listed aggregates, read through the list endpoints (one audited list read, not one per case). */
async function deadlinesOf(items: Inbox['approvals']): Promise<Map<string, Deadline[]>> {
  const out = new Map<string, Deadline[]>();
  const states = (kind: 'case' | 'review') => [...new Set(items.filter((i) => i.aggregate === kind).map((i) => i.state))];
  const lists = await Promise.all([
    ...states('case').map((state) => api<Page<CaseView>>('/cases', { query: { state, pageSize: 100 } })),
    ...states('review').map((state) => api<Page<ReviewView>>('/reviews', { query: { state, pageSize: 100 } })),
  ]);
  for (const l of lists) for (const v of l.items) out.set(v.id, v.deadlines);
  return out;
}

export default function WorkbenchPage({ tab }: { tab?: string }) {
  const { user } = useAuth();
  const navigate = useNavigate();
  // Without a tab asked for, the page opens on the first list that holds something, decided once
  // when the inbox first arrives (a refresh never moves the official to another tab).
  const [chosen, setChosen] = useState(tab);
  const inbox = useQuery({
    queryKey: ['inbox'],
    queryFn: async () => {
      const box = await api<Inbox>('/inbox');
      const [dl, mine] = await Promise.all([
        deadlinesOf(box.approvals),
        api<Page<CaseView>>('/cases', { query: { assignee: user!.id, pageSize: 100 } }),
      ]);
      return { box, dl, mine: mine.items };
    },
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: false,
  });
  const data = inbox.data;
  const approvals: Row[] = (data?.box.approvals ?? []).map((i) => {
    const ds = data!.dl.get(i.id) ?? [];
    return {
      key: `${i.aggregate}-${i.id}`,
      aggregate: i.aggregate,
      id: i.id,
      title: i.title,
      state: i.state,
      deadlines: ds,
      dueAt: nextDue(ds),
      extra: i.pendingApproval
        ? `${labels.approvalKind(i.pendingApproval.kind)} · 第 ${i.pendingApproval.approvals.length + 1}/${i.pendingApproval.chain.length} 步（${labels.role(i.pendingApproval.chain[i.pendingApproval.approvals.length] ?? '')}）`
        : undefined,
    };
  });
  const assignedReviews = (data?.box.assigned ?? []).filter((i) => i.aggregate === 'review');
  const assigned: Row[] = [
    ...(data?.mine ?? []).map((v) => ({ key: `case-${v.id}`, aggregate: 'case' as const, id: v.id, title: `${v.number} ${v.title}`, state: v.state, deadlines: v.deadlines, dueAt: nextDue(v.deadlines) })),
    ...assignedReviews.map((i) => ({ key: `review-${i.id}`, aggregate: 'review' as const, id: i.id, title: i.title, state: i.state, deadlines: [], dueAt: null })),
  ];
  const overdue: Row[] = (data?.box.overdue ?? []).map((o) => ({
    key: `${o.aggregate}-${o.id}-${o.key}`,
    aggregate: o.aggregate,
    id: o.id,
    title: `${labels.deadline(o.key)}：${labels.escalation(o.escalation)}`,
    state: '',
    deadlines: [{ key: o.key, dueAt: o.dueAt, status: o.status as Deadline['status'], escalation: o.escalation as Deadline['escalation'], calendarUncertain: false, workingDaysLeft: o.workingDaysLeft }],
    dueAt: o.dueAt,
  }));
  const unread = data?.box.notificationPage?.unread ?? (data?.box.notifications ?? []).filter((n) => !n.readAt).length;
  const tabs = [
    { key: 'approvals', title: '待我审批', rows: approvals },
    { key: 'assigned', title: '我承办的', rows: assigned },
    { key: 'overdue', title: '超期预警', rows: overdue },
  ];
  if (chosen === undefined && data) setChosen(tabs.find((t) => t.rows.length > 0)?.key ?? (unread > 0 ? 'notifications' : 'approvals'));
  const active = chosen ?? 'approvals';
  return (
    <Card
      title="我的待办"
      extra={
        <Space>
          <Typography.Text type="secondary">每 30 秒自动刷新{inbox.dataUpdatedAt ? `，更新于 ${dayjs(inbox.dataUpdatedAt).format('HH:mm:ss')}` : ''}</Typography.Text>
          <Button size="small" onClick={() => void inbox.refetch()} loading={inbox.isFetching}>
            刷新
          </Button>
        </Space>
      }
    >
      <ProblemAlert error={inbox.error} />
      <Tabs
        activeKey={active}
        onChange={(k) => setChosen(k)}
        items={[
          ...tabs.map((t) => ({
            key: t.key,
            label: (
              <span data-testid={`tab-${t.key}`}>
                {t.title} <Badge count={t.rows.length} showZero color={t.key === 'overdue' && t.rows.length ? 'red' : '#8c8c8c'} />
              </span>
            ),
            children: <Grouped rows={t.rows} loading={inbox.isLoading} onOpen={(r) => void navigate(r.aggregate === 'case' ? `/cases/${r.id}` : `/reviews/${r.id}`)} />,
          })),
          {
            key: 'notifications',
            label: (
              <span data-testid="tab-notifications">
                消息通知 <Badge count={unread} showZero color={unread ? 'red' : '#8c8c8c'} />
              </span>
            ),
            children: <NotificationsTab />,
          },
        ]}
      />
    </Card>
  );
}

function Grouped({ rows, loading, onOpen }: { rows: Row[]; loading: boolean; onOpen: (r: Row) => void }) {
  const sorted = [...rows].sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'));
  if (!loading && !rows.length) return <Empty description="暂无待办事项" />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {DUE_GROUPS.map((g) => {
        const inGroup = sorted.filter((r) => dueGroup(r.dueAt) === g);
        if (!inGroup.length) return null;
        return (
          <div key={g} data-group={g}>
            <Typography.Title level={5} type={g === '已超期' ? 'danger' : undefined}>
              {g}（{inGroup.length}）
            </Typography.Title>
            <List<Row>
              size="small"
              bordered
              loading={loading}
              dataSource={inGroup}
              renderItem={(r) => (
                <List.Item onClick={() => onOpen(r)} style={{ cursor: 'pointer' }} data-item={r.id}>
                  <Space wrap>
                    <a>{r.title}</a>
                    {r.state && <StateTag state={r.state} kind={r.aggregate === 'review' ? 'review' : 'case'} />}
                    {r.extra && <Typography.Text type="secondary">{r.extra}</Typography.Text>}
                    <DeadlineChips deadlines={r.deadlines} />
                    {r.dueAt && <Typography.Text type="secondary">到期 {dayjs(r.dueAt).format('M月D日')}</Typography.Text>}
                  </Space>
                </List.Item>
              )}
            />
          </div>
        );
      })}
    </Space>
  );
}

/** 消息通知: the caller's notifications, paged by the server, marked read one by one or all at once. */
function NotificationsTab() {
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ['notifications', page],
    queryFn: () => call(client.GET('/api/v1/notifications', { params: { query: { page, pageSize: 10 } } })),
    refetchInterval: REFRESH_MS,
    placeholderData: (prev) => prev,
  });
  const mark = async (body: { ids: string[] } | { all: true }) => {
    await call(client.POST('/api/v1/notifications/read', { body }));
    await Promise.all([qc.invalidateQueries({ queryKey: ['notifications'] }), qc.invalidateQueries({ queryKey: ['inbox'] })]);
  };
  return (
    <>
      <ProblemAlert error={q.error} />
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text>未读 {q.data?.unread ?? 0} 条</Typography.Text>
        <Button size="small" disabled={!q.data?.unread} onClick={() => void mark({ all: true })} data-testid="mark-all-read">
          全部标为已读
        </Button>
      </Space>
      <List<Notification>
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        pagination={{ current: page, pageSize: 10, total: q.data?.total ?? 0, size: 'small', onChange: setPage }}
        locale={{ emptyText: <Empty description="暂无消息" /> }}
        data-testid="notifications"
        renderItem={(n) => (
          <List.Item
            data-notification={n.id}
            actions={[
              n.aggregateId ? (
                <Link key="open" to={n.aggregateType === 'review' ? `/reviews/${n.aggregateId}` : `/cases/${n.aggregateId}`}>
                  查看
                </Link>
              ) : null,
              !n.readAt ? (
                <Button key="read" size="small" type="link" onClick={() => void mark({ ids: [n.id] })}>
                  标为已读
                </Button>
              ) : null,
            ].filter(Boolean)}
          >
            <List.Item.Meta
              title={
                <Space>
                  {!n.readAt && <Badge status="processing" />}
                  <Tag>{labels.notificationTopic(n.kind)}</Tag>
                  {n.title}
                </Space>
              }
              description={`${n.body} · ${dayjs(n.createdAt).format('YYYY-MM-DD HH:mm')}`}
            />
          </List.Item>
        )}
      />
    </>
  );
}
