/**
 * 一案双查 / 问责: the accountability reviews in the caller's scope (GET /reviews with its filters),
 * each opening the review detail with its action panel. Reached from a case (`?caseId=`), the
 * case's two reviews (主体责任 · 监督责任) are shown side by side: parties, responsibility,
 * measures, 容错免责 and 从轻减轻, and why the case cannot close yet.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Row, Select, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { REVIEW_KIND_LABELS, REVIEW_STATE_LABELS } from '../../../machines/shared/dictionary';
import { api } from '../api/client';
import { useNames } from '../api/hooks';
import type { CaseView, Page, ReviewView } from '../api/types';
import { labels } from '../components/labels';
import { PagedTable, useListParams, useListQuery } from '../components/paged-list';
import { ProblemAlert } from '../components/problem';
import { DeadlineChips, StateTag } from '../components/tags';

type Findings = {
  responsibilityFound?: boolean;
  parties?: Array<{ name: string; position?: string; responsibility: string }>;
  proposedMeasures?: Array<{ target: string; measure: string; sanction?: string }>;
  exemption?: string;
  mitigation?: string;
};

export default function ReviewsPage() {
  const names = useNames();
  const { filters, set } = useListParams((params) => ({
    caseId: params.get('caseId') ?? undefined,
    kind: params.get('kind') ?? undefined,
    state: params.get('state') ?? undefined,
  }));
  const list = useListQuery<Page<ReviewView>>(['reviews', filters], '/reviews', filters);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {filters.caseId && <CaseReviews caseId={filters.caseId} onAll={() => set({ caseId: undefined })} />}
      <Card title={filters.caseId ? '本案问责调查' : '一案双查 · 问责调查'}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            allowClear
            placeholder="责任类别"
            style={{ width: 140 }}
            value={filters.kind}
            options={Object.entries(REVIEW_KIND_LABELS).map(([value, label]) => ({ value, label }))}
            onChange={(v?: string) => set({ kind: v })}
            data-testid="filter-kind"
          />
          <Select
            allowClear
            placeholder="办理状态"
            style={{ width: 220 }}
            value={filters.state}
            options={Object.entries(REVIEW_STATE_LABELS).map(([value, label]) => ({ value, label }))}
            onChange={(v?: string) => set({ state: v })}
            data-testid="filter-review-state"
          />
        </Space>
        <ProblemAlert error={list.error} />
        <PagedTable<ReviewView>
          list={list}
          page={filters.page}
          pageSize={filters.pageSize}
          onPage={(page, pageSize) => set({ page: String(page), pageSize: String(pageSize) })}
          data-testid="review-table"
          emptyText="暂无问责调查"
          columns={[
            {
              title: '问责调查',
              render: (_, r) => (
                <Link to={`/reviews/${r.id}`} data-testid={`review-link-${r.id}`}>
                  {labels.reviewKind(r.kind)}问责调查
                </Link>
              ),
              width: 150,
            },
            { title: '问责对象', render: (_, r) => r.targetName ?? names.org(r.targetOrgId) },
            { title: '状态', dataIndex: 'state', width: 190, render: (s: string) => <StateTag state={s} kind="review" /> },
            { title: '时限', render: (_, r) => <DeadlineChips deadlines={r.deadlines} /> },
            { title: '承办', dataIndex: 'assignees', width: 120, render: (a: string[]) => a.map(names.user).join('、') },
            {
              title: '所属案件',
              width: 160,
              render: (_, r) => (
                <Space size={4}>
                  <Link to={`/cases/${r.caseId}`}>查看案件</Link>
                  <Button type="link" size="small" onClick={() => set({ caseId: r.caseId })}>
                    双查对照
                  </Button>
                </Space>
              ),
            },
            { title: '开启时间', dataIndex: 'createdAt', width: 110, render: (d: string) => dayjs(d).format('YYYY-MM-DD') },
          ]}
        />
      </Card>
    </Space>
  );
}

/** The case's two reviews side by side, with the reason the case waits for them. */
function CaseReviews({ caseId, onAll }: { caseId: string; onAll: () => void }) {
  const c = useQuery({ queryKey: ['case', caseId], queryFn: () => api<CaseView>(`/cases/${encodeURIComponent(caseId)}`) });
  const reviews = useQuery({ queryKey: ['reviews', { caseId, all: true }], queryFn: () => api<Page<ReviewView>>('/reviews', { query: { caseId, pageSize: 10 } }) });
  const view = c.data;
  const waiting = view && view.state === 'concluded' && view.dualInvestigation.state !== 'concluded';
  return (
    <Card
      title={view ? `一案双查对照：${view.number} ${view.title}` : '一案双查对照'}
      extra={
        <Space>
          {view && <Link to={`/cases/${view.id}`}>返回案件</Link>}
          <Button size="small" onClick={onAll}>
            查看全部问责调查
          </Button>
        </Space>
      }
      data-testid="dual-compare"
    >
      <ProblemAlert error={c.error ?? reviews.error} />
      {view && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <StateTag state={view.state} />
            <Tag color="purple">一案双查：{labels.dualState(view.dualInvestigation.state)}</Tag>
            {view.dualInvestigation.trigger && <Tag>启动事由：{labels.dualTrigger(view.dualInvestigation.trigger)}</Tag>}
          </Space>
          {waiting && <Alert type="warning" showIcon title="本案已办结，待主体责任、监督责任两项问责调查均办结后方可结案" data-testid="dual-waiting" />}
          {view.dualInvestigation.state === 'notRequired' && <Alert type="info" showIcon title="本案尚未启动一案双查" />}
          <Row gutter={16}>
            {(['primary', 'supervision'] as const).map((kind) => {
              const r = reviews.data?.items.find((x) => x.kind === kind);
              return (
                <Col key={kind} xs={24} lg={12}>
                  <Card size="small" title={`${labels.reviewKind(kind)}问责调查`} data-testid={`compare-${kind}`}>
                    {r ? <ReviewColumn r={r} /> : <Typography.Text type="secondary">尚未开启</Typography.Text>}
                  </Card>
                </Col>
              );
            })}
          </Row>
        </Space>
      )}
    </Card>
  );
}

function ReviewColumn({ r }: { r: ReviewView }) {
  const names = useNames();
  const f = (r.findings ?? {}) as Findings;
  const d = r.decision;
  return (
    <Descriptions size="small" column={1} bordered>
      <Descriptions.Item label="状态">
        <Space wrap>
          <span data-state={r.state} className="compare-state">
            <StateTag state={r.state} kind="review" />
          </span>
          <Link to={`/reviews/${r.id}`}>进入办理</Link>
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label="问责对象">{r.targetName ?? names.org(r.targetOrgId)}</Descriptions.Item>
      <Descriptions.Item label="承办人员">{r.assignees.map(names.user).join('、') || '—'}</Descriptions.Item>
      <Descriptions.Item label="办理时限">
        <DeadlineChips deadlines={r.deadlines} runningOnly={false} />
      </Descriptions.Item>
      <Descriptions.Item label="责任人及责任类型">
        {(f.parties ?? []).length
          ? f.parties!.map((p, i) => (
              <div key={i}>
                {p.name}
                {p.position ? `（${p.position}）` : ''} <Tag>{labels.responsibility(p.responsibility)}</Tag>
              </div>
            ))
          : '—'}
      </Descriptions.Item>
      <Descriptions.Item label="问责措施">
        {(f.proposedMeasures ?? []).length
          ? f.proposedMeasures!.map((m, i) => (
              <div key={i}>
                {m.target === 'organisation' ? '党组织' : ((f.parties ?? []).find((p) => (p as { personId?: string }).personId === m.target)?.name ?? m.target)}：{labels.measure(m.measure)}
                {m.sanction ? `（${labels.measure(m.sanction)}）` : ''}
              </div>
            ))
          : '—'}
      </Descriptions.Item>
      <Descriptions.Item label="容错免责">{f.exemption ? labels.exemption(f.exemption) : '—'}</Descriptions.Item>
      <Descriptions.Item label="从轻减轻">{f.mitigation ? labels.mitigation(f.mitigation) : '—'}</Descriptions.Item>
      <Descriptions.Item label="问责决定">{d?.outcome ? labels.reviewOutcome(d.outcome) : '尚未作出'}</Descriptions.Item>
    </Descriptions>
  );
}
