/**
 * 谈话台账: the talks recorded in the caller's scope by year, kind and org, each with what
 * was said and the follow-up items; and 谈话全覆盖, the year's coverage of the talks the rules call
 * for (who is due, done, overdue, escalated), by rule and by org.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, InputNumber, Progress, Select, Space, Statistic, Table, Tabs, Tag, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { COVERAGE_STATUS_LABELS, labelOf, TALK_KIND_LABELS } from '../../../machines/shared/dictionary';
import { api } from '../api/client';
import { useNames, useOrgs } from '../api/hooks';
import type { components } from '../api/schema';
import { orgTreeData } from '../components/org-tree';
import { PagedTable, useListParams, useListQuery } from '../components/paged-list';
import { ProblemAlert } from '../components/problem';

type TalkList = components['schemas']['TalkList'];
type TalkRow = TalkList['items'][number];
type Coverage = components['schemas']['TalkCoverage'];
type Obligation = Coverage['obligations'][number];

const STATUS_COLOURS: Record<string, string> = { done: 'green', waiting: 'default', due: 'blue', overdue: 'gold', escalated: 'red' };

function TalksLedger({ year, orgId }: { year: number; orgId?: string }) {
  const names = useNames();
  const {
    filters: { kind, page },
    set,
  } = useListParams((params) => ({ kind: params.get('kind') ?? undefined }));
  const q = useListQuery<TalkList>(['talks', { year, orgId, kind, page }], '/talks', { year, orgId, kind, page, pageSize: 20 });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Select
        allowClear
        placeholder="谈话类别"
        style={{ width: 200 }}
        value={kind}
        options={Object.entries(TALK_KIND_LABELS).map(([value, label]) => ({ value, label }))}
        onChange={(v?: string) => set({ kind: v })}
      />
      <ProblemAlert error={q.error} />
      <PagedTable<TalkRow>
        list={q}
        page={page}
        pageSize={20}
        onPage={(p) => set({ page: String(p) })}
        unit="次"
        data-testid="talk-table"
        emptyText="本年度暂无谈话记录"
        expandable={{
          expandedRowRender: (t) => (
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label="谈话主题">{t.topics.join('；')}</Descriptions.Item>
              <Descriptions.Item label="指出问题">{t.problems.join('；') || '—'}</Descriptions.Item>
              <Descriptions.Item label="表态">{t.commitments.map((c) => c.text).join('；') || '—'}</Descriptions.Item>
              {t.attendeeOrgIds.length > 0 && <Descriptions.Item label="参加单位">{t.attendeeOrgIds.map(names.org).join('、')}</Descriptions.Item>}
            </Descriptions>
          ),
        }}
        columns={[
          { title: '谈话日期', dataIndex: 'heldOn', width: 110 },
          { title: '类别', dataIndex: 'kind', width: 150, render: (k: string) => <Tag>{labelOf(TALK_KIND_LABELS, k)}</Tag> },
          { title: '谈话人', render: (_, t) => `${t.talker.name}${t.talker.title ? `（${t.talker.title}）` : ''}`, width: 180 },
          {
            title: '谈话对象',
            render: (_, t) => t.talkedTo.map((p) => p.name).join('、') || (t.attendeeOrgIds.length ? `${t.attendeeOrgIds.length} 个单位领导班子` : '—'),
          },
          { title: '台账单位', dataIndex: 'orgId', width: 140, render: (o: string) => names.org(o) },
          { title: '登记时间', dataIndex: 'recordedAt', width: 110, render: (d: string) => dayjs(d).format('YYYY-MM-DD') },
        ]}
      />
    </Space>
  );
}

function CoverageTab({ year, orgId }: { year: number; orgId?: string }) {
  const names = useNames();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? undefined;
  const q = useQuery({ queryKey: ['coverage', { year, orgId }], queryFn: () => api<Coverage>('/talks/coverage', { query: { year, orgId } }) });
  const c = q.data;
  const obligations = (c?.obligations ?? []).filter((o) => !status || o.status === status);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="coverage">
      <ProblemAlert error={q.error} />
      {c && (
        <>
          <Space size={32} wrap>
            <Progress type="circle" percent={c.summary.rate} size={88} format={(p) => `${p}%`} />
            <Statistic title="应谈" value={c.summary.total} />
            <Statistic title="已谈" value={c.summary.done} />
            <Statistic title="应谈未谈" value={c.summary.due} />
            <Statistic title="逾期未谈" value={c.summary.overdue} styles={{ content: { color: '#d48806' } }} />
            <Statistic title="已督办上报" value={c.summary.escalated} styles={{ content: { color: '#cf1322' } }} />
            <Typography.Text type="secondary">统计截至 {c.asOf}</Typography.Text>
          </Space>
          <Table
            size="small"
            rowKey="orgId"
            pagination={false}
            dataSource={c.byOrg}
            columns={[
              { title: '单位', dataIndex: 'orgId', render: (o: string, r) => r.orgName || names.org(o) },
              { title: '应谈', dataIndex: 'total', align: 'right' },
              { title: '已谈', dataIndex: 'done', align: 'right' },
              { title: '逾期未谈', dataIndex: 'overdue', align: 'right' },
              { title: '已督办上报', dataIndex: 'escalated', align: 'right' },
              { title: '覆盖率', dataIndex: 'rate', align: 'right', render: (r: number) => `${r}%` },
            ]}
          />
          <Select
            allowClear
            placeholder="谈话状态"
            style={{ width: 220 }}
            value={status}
            options={Object.entries(COVERAGE_STATUS_LABELS).map(([value, label]) => ({ value, label }))}
            onChange={(v?: string) => {
              const next = new URLSearchParams(params);
              if (v) next.set('status', v);
              else next.delete('status');
              setParams(next, { replace: true });
            }}
          />
          <Table<Obligation>
            size="small"
            rowKey="key"
            dataSource={obligations}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid="obligation-table"
            columns={[
              { title: '谈话要求', dataIndex: 'ruleLabel' },
              { title: '谈话人', render: (_, o) => o.talker?.name ?? '—', width: 100 },
              { title: '谈话对象', render: (_, o) => `${o.talked.name}（${names.org(o.talked.orgId)}）`, width: 220 },
              { title: '应谈日期', dataIndex: 'dueOn', width: 110 },
              { title: '状态', dataIndex: 'status', width: 170, render: (s: string, o) => <Tag color={STATUS_COLOURS[s]}>{o.statusLabel}</Tag> },
              { title: '完成情况', render: (_, o) => (o.doneBy ? `${o.doneBy.heldOn} 已谈` : o.reminded ? '已提醒' : '—'), width: 120 },
            ]}
          />
        </>
      )}
    </Space>
  );
}

export default function TalksPage() {
  const [params, setParams] = useSearchParams();
  const orgs = useOrgs().data?.items ?? [];
  const tree = useMemo(() => orgTreeData(orgs), [orgs]);
  const year = Number(params.get('year') ?? dayjs().year());
  const orgId = params.get('orgId') ?? undefined;
  const tab = params.get('tab') ?? 'ledger';
  const set = (k: string, v?: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  return (
    <Card
      title="谈话台账"
      data-testid="talks-page"
      extra={
        <Space>
          <span>年度</span>
          <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && set('year', String(v))} />
          <TreeSelect allowClear placeholder="本单位及下级" style={{ width: 220 }} treeDefaultExpandAll treeData={tree} value={orgId} onChange={(v?: string) => set('orgId', v)} />
        </Space>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => set('tab', k)}
        items={[
          { key: 'ledger', label: '谈话记录', children: <TalksLedger year={year} orgId={orgId} /> },
          { key: 'coverage', label: '谈话全覆盖', children: <CoverageTab year={year} orgId={orgId} /> },
        ]}
      />
    </Card>
  );
}
