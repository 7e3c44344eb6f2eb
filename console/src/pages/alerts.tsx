/**
 * 预警督办 (heads): running clocks by colour — 蓝 临期预警, 黄 已超期, 红 已督办上报 —, the 压案不查
 * risk list, and what reached this commission from below (clocks escalated on cases handled by a
 * lower commission; clues reported upward under 规则 Art 22).
 *
 * 黄 and 红 come from GET /inbox `overdue` (every overdue clock in scope for an overseer, the assigned
 * ones otherwise), with the cases' details from GET /cases?overdue=true. The API has no list of
 * clocks at the warning step, so 蓝 is read on demand from the case and review lists.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Col, Empty, Row, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useNames } from '../api/hooks';
import type { CaseView, Deadline, Inbox, Page, ReviewView } from '../api/types';
import { useAuth } from '../auth/context';
import { labels } from '../components/labels';
import { ProblemAlert } from '../components/problem';
import { ESCALATION_COLORS, remaining, StateTag } from '../components/tags';

const REFRESH_MS = 10_000;

interface AlertRow {
  key: string;
  aggregate: 'case' | 'review';
  id: string;
  deadline: string;
  dueAt: string;
  status: Deadline['status'];
  escalation: string;
  /** As the API counts them on the statutory calendar (negative: overdue by). */
  workingDaysLeft: number | null;
  title: string;
  state: string;
  orgId: string | null;
  /** Handled by a commission below the caller's. */
  fromBelow: boolean;
}

/** Every page of a list (pages of 200), for the warning step the API cannot filter on. */
async function allPages<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; page <= 50; page++) {
    const p = await api<Page<T>>(path, { query: { ...query, page, pageSize: 200 } });
    out.push(...p.items);
    if (out.length >= p.total || !p.items.length) break;
  }
  return out;
}

function EscalationTag({ level }: { level: string }) {
  return (
    <Tag color={ESCALATION_COLORS[level] ?? 'default'} data-escalation={level} className="alert-escalation">
      {labels.escalation(level)}
    </Tag>
  );
}

export default function AlertsPage() {
  const { user } = useAuth();
  const names = useNames();
  const [tab, setTab] = useState('overdue');
  const inbox = useQuery({ queryKey: ['inbox'], queryFn: () => api<Inbox>('/inbox'), refetchInterval: REFRESH_MS });
  const overdueCases = useQuery({
    queryKey: ['cases', { overdue: 'true', all: true }],
    queryFn: () => allPages<CaseView>('/cases', { overdue: 'true' }),
    refetchInterval: REFRESH_MS,
  });
  const risk = useQuery({ queryKey: ['cases', { flag: 'suppressionRisk', all: true }], queryFn: () => allPages<CaseView>('/cases', { flag: 'suppressionRisk' }), refetchInterval: REFRESH_MS });
  const upward = useQuery({ queryKey: ['cases', { flag: 'reportedUpward', all: true }], queryFn: () => allPages<CaseView>('/cases', { flag: 'reportedUpward' }) });
  const stats = useQuery({ queryKey: ['stats', 'deadlines', 'all'], queryFn: () => api<{ totals: { open: number; overdue: number; metOnTime: number; metLate: number; total: number }; suppressionRisk: { cases: number } }>('/stats/deadlines'), refetchInterval: REFRESH_MS });
  const warnings = useQuery({
    queryKey: ['alerts', 'warnings'],
    enabled: tab === 'warning',
    queryFn: async () => {
      const [cases, reviews] = await Promise.all([allPages<CaseView>('/cases'), allPages<ReviewView>('/reviews')]);
      const rows: AlertRow[] = [];
      const push = (aggregate: 'case' | 'review', id: string, title: string, state: string, orgId: string | null, ds: Deadline[]) => {
        for (const d of ds)
          if (d.status === 'open' && d.escalation === 'warning')
            rows.push({
              key: `${aggregate}-${id}-${d.key}`,
              aggregate,
              id,
              deadline: d.key,
              dueAt: d.dueAt,
              status: d.status,
              escalation: d.escalation,
              workingDaysLeft: d.workingDaysLeft,
              title,
              state,
              orgId,
              fromBelow: false,
            });
      };
      for (const c of cases) push('case', c.id, `${c.number} ${c.title}`, c.state, c.handlingOrgId, c.deadlines);
      for (const r of reviews) push('review', r.id, `${labels.reviewKind(r.kind)}问责调查 ${r.targetName ?? ''}`, r.state, r.targetOrgId, r.deadlines);
      return rows.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    },
  });

  // Reviews on the overdue list are read one by one (the review list has no overdue filter).
  const reviewIds = [...new Set((inbox.data?.overdue ?? []).filter((o) => o.aggregate === 'review').map((o) => o.id))];
  const reviewViews = useQueries({
    queries: reviewIds.map((id) => ({ queryKey: ['review', id], queryFn: () => api<ReviewView>(`/reviews/${encodeURIComponent(id)}`), staleTime: REFRESH_MS })),
  });

  const rows: AlertRow[] = useMemo(() => {
    const byCase = new Map((overdueCases.data ?? []).map((c) => [c.id, c]));
    const byReview = new Map(reviewViews.flatMap((q) => (q.data ? [[q.data.id, q.data] as const] : [])));
    return (inbox.data?.overdue ?? [])
      .map((o) => {
        const c = o.aggregate === 'case' ? byCase.get(o.id) : undefined;
        const r = o.aggregate === 'review' ? byReview.get(o.id) : undefined;
        const orgId = c?.handlingOrgId ?? r?.targetOrgId ?? null;
        return {
          key: `${o.aggregate}-${o.id}-${o.key}`,
          aggregate: o.aggregate,
          id: o.id,
          deadline: o.key,
          dueAt: o.dueAt,
          status: o.status,
          escalation: o.escalation,
          workingDaysLeft: o.workingDaysLeft,
          title: c ? `${c.number} ${c.title}` : r ? `${labels.reviewKind(r.kind)}问责调查 ${r.targetName ?? ''}` : o.aggregate === 'case' ? '案件' : '问责调查',
          state: c?.state ?? r?.state ?? '',
          orgId,
          fromBelow: !!orgId && !!user && orgId !== user.orgId,
        };
      })
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }, [inbox.data, overdueCases.data, reviewViews, user]);

  const yellow = rows.filter((r) => r.escalation !== 'escalated');
  const red = rows.filter((r) => r.escalation === 'escalated');
  const redFromBelow = red.filter((r) => r.fromBelow);

  const columns = [
    { title: '预警等级', dataIndex: 'escalation', width: 120, render: (e: string) => <EscalationTag level={e} /> },
    {
      title: '事项',
      dataIndex: 'title',
      render: (t: string, r: AlertRow) => <Link to={r.aggregate === 'case' ? `/cases/${r.id}` : `/reviews/${r.id}`}>{t}</Link>,
    },
    { title: '时限', dataIndex: 'deadline', width: 170, render: (k: string) => labels.deadline(k) },
    {
      title: '到期日',
      dataIndex: 'dueAt',
      width: 160,
      // Working days, as every clock counts them (not calendar days).
      render: (d: string, r: AlertRow) => (
        <Space orientation="vertical" size={0}>
          {dayjs(d).format('YYYY-MM-DD')}
          <Typography.Text type={r.status === 'overdue' ? 'danger' : 'warning'} style={{ whiteSpace: 'nowrap' }} data-testid="alert-remaining">
            {remaining(r)}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '状态', dataIndex: 'state', width: 200, render: (s: string, r: AlertRow) => (s ? <StateTag state={s} kind={r.aggregate} /> : null) },
    { title: '承办单位', dataIndex: 'orgId', width: 140, render: (o: string | null, r: AlertRow) => (o ? `${names.org(o)}${r.fromBelow ? '（下级）' : ''}` : '') },
  ];
  const table = (data: AlertRow[], testId: string, empty: string, loading: boolean) => (
    <Table<AlertRow>
      rowKey="key"
      size="small"
      loading={loading}
      dataSource={data}
      columns={columns}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: <Empty description={empty} /> }}
      data-testid={testId}
      onRow={(r) => ({ 'data-row': `${r.aggregate}-${r.id}`, 'data-escalation': r.escalation }) as React.HTMLAttributes<HTMLElement>}
    />
  );
  const caseTable = (data: CaseView[] | undefined, testId: string, empty: string, loading: boolean) => (
    <Table<CaseView>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={data ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: <Empty description={empty} /> }}
      data-testid={testId}
      columns={[
        { title: '编号', dataIndex: 'number', width: 150, render: (n: string, v) => <Link to={`/cases/${v.id}`}>{n}</Link> },
        { title: '标题', dataIndex: 'title', render: (t: string, v) => <Link to={`/cases/${v.id}`}>{t}</Link> },
        { title: '承办单位', dataIndex: 'handlingOrgId', width: 140, render: (o: string) => names.org(o) },
        { title: '状态', dataIndex: 'state', width: 200, render: (s: string) => <StateTag state={s} /> },
        {
          title: '被反映人',
          render: (_, v) => v.subjects.map((s) => `${s.name}${s.position ? `（${s.position}）` : ''}`).join('、'),
        },
        { title: '收到日期', dataIndex: 'receivedAt', width: 110, render: (d: string) => dayjs(d).format('YYYY-MM-DD') },
      ]}
    />
  );

  const refresh = () => {
    void inbox.refetch();
    void overdueCases.refetch();
    void risk.refetch();
    void upward.refetch();
    void stats.refetch();
    if (tab === 'warning') void warnings.refetch();
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={16}>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic title={<Badge color="blue" text="临期预警（蓝）" />} value={warnings.data?.length ?? '—'} data-testid="count-warning" />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic title={<Badge color="gold" text="已超期（黄）" />} value={yellow.length} styles={{ content: { color: '#d48806' } }} data-testid="count-overdue" />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic title={<Badge color="red" text="已督办上报（红）" />} value={red.length} styles={{ content: { color: '#cf1322' } }} data-testid="count-escalated" />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic title="压案不查风险线索" value={risk.data?.length ?? stats.data?.suppressionRisk.cases ?? 0} styles={{ content: { color: '#cf1322' } }} data-testid="count-risk" />
          </Card>
        </Col>
      </Row>
      <Card
        title="预警督办"
        extra={
          <Space>
            <Typography.Text type="secondary">每 10 秒自动刷新</Typography.Text>
            <Button icon={<ReloadOutlined />} onClick={refresh}>
              刷新
            </Button>
          </Space>
        }
      >
        <ProblemAlert error={inbox.error ?? overdueCases.error ?? risk.error} />
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'overdue',
              label: `超期督办（${rows.length}）`,
              children: table(rows, 'alert-table', '暂无超期事项', inbox.isLoading),
            },
            {
              key: 'escalated',
              label: `下级上报督办（${redFromBelow.length}）`,
              children: (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <Typography.Text type="secondary">下级纪委监委承办、逾期后逐级上报本级督办的事项。</Typography.Text>
                  {table(redFromBelow, 'escalated-from-below', '暂无下级上报督办事项', inbox.isLoading)}
                </Space>
              ),
            },
            {
              key: 'warning',
              label: `临期预警${warnings.data ? `（${warnings.data.length}）` : ''}`,
              children: (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <ProblemAlert error={warnings.error} />
                  {table(warnings.data ?? [], 'warning-table', '暂无临期预警事项', warnings.isFetching)}
                </Space>
              ),
            },
            {
              key: 'risk',
              label: `压案不查风险（${risk.data?.length ?? 0}）`,
              children: (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <Typography.Text type="secondary">问题线索处置意见逾期并已上报上一级纪委督办的线索，存在压案不查风险。</Typography.Text>
                  {caseTable(risk.data, 'risk-table', '暂无压案不查风险线索', risk.isLoading)}
                </Space>
              ),
            },
            {
              key: 'upward',
              label: `下级报送线索（${upward.data?.length ?? 0}）`,
              children: (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <Typography.Text type="secondary">反映下一级党委（党组）主要负责人的问题线索，按规定报送上一级纪委备案。</Typography.Text>
                  {caseTable(upward.data, 'upward-table', '暂无下级报送线索', upward.isLoading)}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {stats.data && (
        <Card size="small" title="时限执行情况（全部期间）">
          <Space size={32} wrap>
            <Statistic title="进行中" value={stats.data.totals.open} />
            <Statistic title="已逾期" value={stats.data.totals.overdue} />
            <Statistic title="按期办结" value={stats.data.totals.metOnTime} />
            <Statistic title="逾期办结" value={stats.data.totals.metLate} />
            <Link to="/stats">查看统计分析</Link>
          </Space>
        </Card>
      )}
    </Space>
  );
}
