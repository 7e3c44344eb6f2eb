/**
 * 以案促改详情: the unit, where it came from, its state and clocks; the action panel built from
 * `availableCommands` (报送整改方案, 报送整改完成情况报告, 验收通过 / 退回整改报告 with its required
 * comment, 登记警示教育会; forms from machines/rectification/machine.ts); the course of the
 * rectification as the view records it (plan, each report round and its return, acceptance,
 * meetings), and each clock with its working days left.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Card, Descriptions, Empty, Space, Tabs, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { api } from '../api/client';
import { useNames } from '../api/hooks';
import { ActionPanel } from '../components/action-panel';
import { DeadlinesTable } from '../components/deadlines-table';
import { detailFallback } from '../components/detail-fallback';
import { HistoryTable } from '../components/history';
import { labels } from '../components/labels';
import { clocksOf, SourceLink, type Rectification } from '../components/rectification';
import { DeadlineChips, StateTag } from '../components/tags';

const when = (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm');

export default function RectificationDetailPage() {
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const names = useNames();
  const q = useQuery({ queryKey: ['rectification', id], queryFn: () => api<Rectification>(`/rectifications/${encodeURIComponent(id)}`) });
  const fallback = detailFallback(q);
  if (fallback) return fallback;
  const r = q.data!;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Space orientation="vertical">
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="rectification-title">
              {r.unitName}以案促改
            </Typography.Title>
            <span data-testid="rectification-state" data-state={r.state}>
              <StateTag state={r.state} kind="rectification" />
            </span>
            {r.rounds > 1 && <Tag color="orange">第 {r.rounds} 轮报告</Tag>}
          </Space>
          <Typography.Text type="secondary">
            {labels.rectificationSource(r.sourceType)}：<SourceLink r={r} /> · 启动于 {dayjs(r.createdAt).format('YYYY年M月D日')} · 版本 {r.version}
          </Typography.Text>
          <DeadlineChips deadlines={clocksOf(r)} />
        </Space>
      </Card>
      <Card title="办理" size="small">
        <ActionPanel
          kind="rectification"
          view={r}
          onChanged={(v) => {
            qc.setQueryData(['rectification', id], v);
            void qc.invalidateQueries({ queryKey: ['rectifications'] });
          }}
        />
      </Card>
      <Card>
        <Tabs
          destroyOnHidden
          items={[
            { key: 'course', label: '整改经过', children: <Course r={r} user={names.user} /> },
            { key: 'deadlines', label: '办理时限', children: <DeadlinesTable deadlines={clocksOf(r)} testId="rectification-clocks" /> },
            { key: 'meetings', label: `警示教育会（${r.meetings.length}）`, children: <Meetings r={r} user={names.user} /> },
            { key: 'history', label: '操作日志', children: <HistoryTable path={`/rectifications/${r.id}`} stateLabel={labels.rectificationState} /> },
          ]}
        />
      </Card>
    </Space>
  );
}

/** A step of the course: what was done, by whom, when. */
function Done({ title, by, at }: { title: string; by: string; at: string }) {
  return (
    <>
      <b>{title}</b> · {by} · {when(at)}
    </>
  );
}

/** Plan, each report and its return, the acceptance: in order, as the rectification records them. */
function Course({ r, user }: { r: Rectification; user: (id: string) => string }) {
  const items: Array<{ at: string; color: string; content: ReactNode }> = [];
  items.push({ at: r.createdAt, color: 'blue', content: <b>启动以案促改（{labels.rectificationSource(r.sourceType)}）</b> });
  if (r.plan) {
    items.push({
      at: r.plan.at,
      color: 'blue',
      content: (
        <div data-testid="course-plan">
          <Done title={labels.dutyCommand('submitPlan')} by={user(r.plan.by)} at={r.plan.at} />
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0' }}>{r.plan.text}</Typography.Paragraph>
          {r.plan.measures.length > 0 && (
            <ol style={{ margin: 0 }}>
              {r.plan.measures.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ol>
          )}
        </div>
      ),
    });
  }
  r.reports.forEach((rep, i) => {
    items.push({
      at: rep.at,
      color: rep.returned ? 'red' : 'blue',
      content: (
        <div data-testid={`course-report-${i + 1}`}>
          <Done title={`${labels.dutyCommand('submitReport')}（第 ${i + 1} 轮）`} by={user(rep.by)} at={rep.at} />
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0' }}>{rep.text}</Typography.Paragraph>
          {rep.returned && (
            <Typography.Text type="danger" data-testid={`course-returned-${i + 1}`}>
              {labels.dutyCommand('returnReport')}：{user(rep.returned.by)}，意见：{rep.returned.comment}
            </Typography.Text>
          )}
        </div>
      ),
    });
  });
  if (r.acceptance) {
    items.push({
      at: r.acceptance.at,
      color: 'green',
      content: (
        <div data-testid="course-accepted">
          <Done title={labels.dutyCommand('acceptReport')} by={user(r.acceptance.by)} at={r.acceptance.at} />
          {r.acceptance.comment && <div>意见：{r.acceptance.comment}</div>}
        </div>
      ),
    });
  }
  return <Timeline data-testid="rectification-course" items={items.map(({ color, content }) => ({ color, content }))} />;
}

function Meetings({ r, user }: { r: Rectification; user: (id: string) => string }) {
  if (!r.meetings.length) return <Empty description="尚未登记警示教育会" />;
  return (
    <Descriptions bordered size="small" column={1} data-testid="rectification-meetings">
      {r.meetings.map((m, i) => (
        <Descriptions.Item key={i} label={`${m.heldOn}（${m.attendees} 人参加）`}>
          {m.summary}
          <Typography.Text type="secondary"> · 登记人 {user(m.by)}</Typography.Text>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
