/**
 * 问题线索台账 / 案件台账: server-paged case list with the API's filters (state, org subtree in the
 * caller's scope, overdue, assignee, text); 下载报表 saves the API's submit-ready ledger of the whole
 * filtered list (`GET /cases?format=xlsx|csv`, fetched with the bearer header, saved as a blob).
 */
import { Card, Input, Select, Space, Switch, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { CASE_STATE_LABELS } from '../../../machines/shared/dictionary';
import { useNames } from '../api/hooks';
import type { CaseView, Page } from '../api/types';
import { DownloadButton } from '../components/download-button';
import { labels } from '../components/labels';
import { PagedTable, useListParams, useListQuery } from '../components/paged-list';
import { ProblemAlert } from '../components/problem';
import { ScopeOrgSelect } from '../components/scope-org-select';
import { DeadlineChips, StateTag } from '../components/tags';

const CLUE_STATES = ['registered', 'dispositionReview', 'talkInquiry', 'preliminaryVerification', 'shelved'];
const CASE_STATES = ['investigation', 'trial', 'decided', 'appeal', 'executed', 'concluded', 'closed'];

function stateOptions(mode: string) {
  const tops = mode === 'clues' ? CLUE_STATES : [...CLUE_STATES, ...CASE_STATES];
  return Object.keys(CASE_STATE_LABELS)
    .filter((s) => tops.includes(s.split('.')[0]))
    .map((s) => ({ value: s, label: labels.caseState(s) }));
}

export default function CasesPage({ mode = 'cases' }: { mode?: string }) {
  const names = useNames();
  const { params, filters, set } = useListParams((params) => ({
    state: params.get('state') ?? undefined,
    orgId: params.get('orgId') ?? undefined,
    overdue: params.get('overdue') === 'true' ? 'true' : undefined,
    assignee: params.get('assignee') ?? undefined,
    q: params.get('q') ?? undefined,
  }));
  const [q, setQ] = useState(params.get('q') ?? '');
  const list = useListQuery<Page<CaseView>>(['cases', filters], '/cases', filters);

  const title = mode === 'clues' ? '问题线索台账' : '案件台账';
  // The download is the server's ledger of every page for the same filters (services/cases/ledger.ts).
  const { page: _page, pageSize: _pageSize, ...listFilters } = filters;

  // The unit is a filter of the bar, not a tree beside the table: the ledger needs the page's width
  // for its seven columns (beside a tree the title column shrank to two characters).
  return (
    <Card
      title={title}
      extra={<DownloadButton id="cases" path="/cases" title={title} query={{ ...listFilters, ledger: mode === 'clues' ? 'clues' : 'cases' }} />}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <ScopeOrgSelect value={filters.orgId} onChange={(orgId) => set({ orgId })} testId="filter-org" />
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 240 }}
          value={filters.state}
          options={stateOptions(mode)}
          onChange={(v?: string) => set({ state: v })}
          data-testid="filter-state"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="承办人员"
          style={{ width: 160 }}
          value={filters.assignee}
          options={names.users.filter((u) => u.roles.includes('inspector')).map((u) => ({ value: u.id, label: u.name }))}
          onChange={(v?: string) => set({ assignee: v })}
        />
        <Space>
          <Switch checked={filters.overdue === 'true'} onChange={(c) => set({ overdue: c ? 'true' : undefined })} />
          <span>仅超期</span>
        </Space>
        <Input.Search placeholder="编号、标题、被反映人" allowClear value={q} onChange={(e) => setQ(e.target.value)} onSearch={(v) => set({ q: v || undefined })} style={{ width: 260 }} />
      </Space>
      <ProblemAlert error={list.error} />
      <PagedTable<CaseView>
        list={list}
        page={filters.page}
        pageSize={filters.pageSize}
        onPage={(page, pageSize) => set({ page: String(page), pageSize: String(pageSize) })}
        showSizeChanger
        data-testid="case-table"
        // Fixed widths but the title's, which takes the rest; a table narrower than on a 1366-wide
        // screen (1,060 px) scrolls sideways rather than squeezing the title.
        tableLayout="fixed"
        scroll={{ x: 1060 }}
        columns={[
          { title: '编号', dataIndex: 'number', width: 140, render: (n: string, v) => <Link to={`/cases/${v.id}`}>{n}</Link> },
          { title: '标题', dataIndex: 'title', render: (t: string, v) => <Link to={`/cases/${v.id}`}>{t}</Link> },
          { title: '单位', dataIndex: 'orgId', width: 110, render: (o: string) => names.org(o) },
          { title: '状态', dataIndex: 'state', width: 170, render: (s: string) => <StateTag state={s} /> },
          { title: '时限', width: 280, render: (_, v) => <DeadlineChips deadlines={v.deadlines} /> },
          { title: '承办', dataIndex: 'assignees', width: 100, render: (a: string[]) => a.map(names.user).join('、') },
          { title: '收到日期', dataIndex: 'receivedAt', width: 104, render: (d: string) => dayjs(d).format('YYYY-MM-DD') },
        ]}
      />
      <Typography.Text type="secondary">列表范围：您所在单位及下级单位；已登记回避的案件不显示。下载报表含全部符合筛选条件的记录（不限于当前页，至多 10,000 件）。</Typography.Text>
    </Card>
  );
}
