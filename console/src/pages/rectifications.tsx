/**
 * 以案促改 (issue 18 §3): the rectifications opened in the caller's scope when a case was decided
 * with a sanction or a 问责 review found responsibility, with the API's filters (state; the case or
 * review they came from, `?sourceId=`), each opening its detail with the action panel.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router';
import { RECTIFICATION_STATE_LABELS } from '../../../machines/shared/dictionary';
import { api } from '../api/client';
import { labels } from '../components/labels';
import { ProblemAlert } from '../components/problem';
import { ClockChip, SourceLink, type Rectification, type RectificationList } from '../components/rectification';
import { StateTag } from '../components/tags';

export default function RectificationsPage() {
  const [params, setParams] = useSearchParams();
  const filters = {
    state: params.get('state') ?? undefined,
    sourceId: params.get('sourceId') ?? undefined,
    page: Number(params.get('page') ?? 1),
    pageSize: Number(params.get('pageSize') ?? 20),
  };
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) if (v) next.set(k, v);
    else next.delete(k);
    if (!('page' in patch)) next.delete('page');
    setParams(next, { replace: true });
  };
  const list = useQuery({
    queryKey: ['rectifications', filters],
    queryFn: () => api<RectificationList>('/rectifications', { query: filters }),
    placeholderData: (prev) => prev,
  });

  return (
    <Card title="以案促改" data-testid="rectifications-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder="整改状态"
          style={{ width: 220 }}
          value={filters.state}
          options={Object.entries(RECTIFICATION_STATE_LABELS).map(([value, label]) => ({ value, label }))}
          onChange={(v?: string) => set({ state: v })}
          data-testid="filter-rectification-state"
        />
        {filters.sourceId && (
          <Tag closable onClose={() => set({ sourceId: undefined })}>
            仅显示本案（本问责调查）的整改
          </Tag>
        )}
      </Space>
      {filters.sourceId && list.data && list.data.items.length === 0 && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title="本案尚未启动以案促改：作出党纪、政务处分或问责认定有责任后自动启动" />
      )}
      <ProblemAlert error={list.error} />
      <Table<Rectification>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        data-testid="rectification-table"
        locale={{ emptyText: <Empty description="暂无以案促改事项" /> }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (t) => `共 ${t} 件`,
          onChange: (page, pageSize) => set({ page: String(page), pageSize: String(pageSize) }),
        }}
        columns={[
          {
            title: '整改单位',
            dataIndex: 'unitName',
            width: 160,
            render: (name: string, r) => (
              <Link to={`/rectifications/${r.id}`} data-testid={`rectification-link-${r.id}`}>
                {name}
              </Link>
            ),
          },
          { title: '所涉案件', ellipsis: true, render: (_, r) => <SourceLink r={r} /> },
          { title: '启动事由', dataIndex: 'sourceType', width: 150, render: (s: string) => labels.rectificationSource(s) },
          {
            title: '状态',
            dataIndex: 'state',
            width: 190,
            render: (s: string, r) => (
              <span className="rectification-state" data-id={r.id} data-state={s}>
                <StateTag state={s} kind="rectification" />
                {r.rounds > 1 && <Tag>第 {r.rounds} 轮</Tag>}
              </span>
            ),
          },
          { title: '整改方案', width: 150, render: (_, r) => <ClockChip r={r} clock="rectification.plan" /> },
          { title: '完成情况报告', width: 150, render: (_, r) => <ClockChip r={r} clock="rectification.report" /> },
          { title: '验收', width: 150, render: (_, r) => <ClockChip r={r} clock="rectification.acceptance" /> },
          { title: '启动时间', dataIndex: 'createdAt', width: 110, render: (d: string) => dayjs(d).format('YYYY-MM-DD') },
        ]}
      />
    </Card>
  );
}
