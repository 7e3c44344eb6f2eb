/**
 * 以案促改: the rectifications opened in the caller's scope when a case was decided
 * with a sanction or a 问责 review found responsibility, with the API's filters (state; the case or
 * review they came from, `?sourceId=`), each opening its detail with the action panel.
 */
import { Alert, Card, Select, Space, Tag } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { RECTIFICATION_STATE_LABELS } from '../../../machines/shared/dictionary';
import { labels } from '../components/labels';
import { PagedTable, useListParams, useListQuery } from '../components/paged-list';
import { ProblemAlert } from '../components/problem';
import { ClockChip, SourceLink, type Rectification, type RectificationList } from '../components/rectification';
import { StateTag } from '../components/tags';

export default function RectificationsPage() {
  const { filters, set } = useListParams((params) => ({
    state: params.get('state') ?? undefined,
    sourceId: params.get('sourceId') ?? undefined,
  }));
  const list = useListQuery<RectificationList>(['rectifications', filters], '/rectifications', filters);

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
      <PagedTable<Rectification>
        list={list}
        page={filters.page}
        pageSize={filters.pageSize}
        onPage={(page, pageSize) => set({ page: String(page), pageSize: String(pageSize) })}
        data-testid="rectification-table"
        emptyText="暂无以案促改事项"
        // As the case ledgers: fixed widths but the case's, which takes the rest and wraps.
        tableLayout="fixed"
        scroll={{ x: 1060 }}
        columns={[
          {
            title: '整改单位',
            dataIndex: 'unitName',
            width: 130,
            render: (name: string, r) => (
              <Link to={`/rectifications/${r.id}`} data-testid={`rectification-link-${r.id}`}>
                {name}
              </Link>
            ),
          },
          { title: '所涉案件', render: (_, r) => <SourceLink r={r} /> },
          { title: '启动事由', dataIndex: 'sourceType', width: 120, render: (s: string) => labels.rectificationSource(s) },
          {
            title: '状态',
            dataIndex: 'state',
            width: 170,
            render: (s: string, r) => (
              <span className="rectification-state" data-id={r.id} data-state={s}>
                <StateTag state={s} kind="rectification" />
                {r.rounds > 1 && <Tag>第 {r.rounds} 轮</Tag>}
              </span>
            ),
          },
          { title: '整改方案', width: 132, render: (_, r) => <ClockChip r={r} clock="rectification.plan" /> },
          { title: '完成情况报告', width: 132, render: (_, r) => <ClockChip r={r} clock="rectification.report" /> },
          { title: '验收', width: 132, render: (_, r) => <ClockChip r={r} clock="rectification.acceptance" /> },
          { title: '启动时间', dataIndex: 'createdAt', width: 104, render: (d: string) => dayjs(d).format('YYYY-MM-DD') },
        ]}
      />
    </Card>
  );
}
