/**
 * 案件详情: header (number, state, deadline chips, lifecycle steps), the action panel built from
 * `availableCommands`, and the tabs of the case. Every GET of a case is an audited read.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Empty, Modal, Row, Space, Spin, Steps, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { useNames } from '../api/hooks';
import type { CaseView, ReviewView } from '../api/types';
import { ActionPanel } from '../components/action-panel';
import { DeadlinesTable } from '../components/deadlines-table';
import { detailFallback } from '../components/detail-fallback';
import { HistoryTable } from '../components/history';
import { labels } from '../components/labels';
import { problemText } from '../components/problem';
import { RectificationOf } from '../components/rectification';
import { DeadlineChips, StateTag } from '../components/tags';

const MachineDiagram = lazy(() => import('../components/diagram'));

const STEPS: Array<{ title: string; states: string[] }> = [
  { title: '线索登记', states: ['registered'] },
  { title: '线索处置', states: ['dispositionReview', 'talkInquiry', 'preliminaryVerification', 'shelved'] },
  { title: '立案审查调查', states: ['investigation'] },
  { title: '案件审理', states: ['trial'] },
  { title: '处理决定', states: ['decided', 'appeal'] },
  { title: '执行', states: ['executed'] },
  { title: '办结', states: ['concluded', 'closed'] },
];

export function lifecycleStep(state: string): number {
  const top = state.split('.')[0];
  return Math.max(0, STEPS.findIndex((s) => s.states.includes(top)));
}

export default function CaseDetailPage() {
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['case', id],
    queryFn: () => api<CaseView>(`/cases/${encodeURIComponent(id)}`),
    // The reviews are opened by the workers: while they are opening (or the case waits for them), look again.
    refetchInterval: (query) => {
      const v = query.state.data;
      return v && (v.dualInvestigation.state === 'opening' || v.state === 'concluded') ? 2000 : false;
    },
  });
  const names = useNames();
  const fallback = detailFallback(q, { testId: 'case-error' });
  if (fallback) return fallback;
  const view = q.data!;
  const setView = (v: CaseView) => {
    qc.setQueryData(['case', id], v);
    void qc.invalidateQueries({ queryKey: ['history', `/cases/${id}`] });
    void qc.invalidateQueries({ queryKey: ['inbox'] });
  };
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap align="center">
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="case-title">
              {view.title}
            </Typography.Title>
            <span data-testid="case-state" data-state={view.state}>
              <StateTag state={view.state} />
            </span>
            {view.major && <Tag color="volcano">重大案件</Tag>}
            {view.dualInvestigation.state !== 'notRequired' && (
              <Tag color="purple" data-testid="dual-state" data-state={view.dualInvestigation.state}>
                一案双查：{labels.dualState(view.dualInvestigation.state)}
              </Tag>
            )}
            {view.flags.map((f) => (
              <Tag key={f} color="red">
                {labels.flag(f)}
              </Tag>
            ))}
          </Space>
          <Typography.Text type="secondary">
            编号 <span data-testid="case-number">{view.number}</span> · {names.org(view.orgId)} · 收到于 {dayjs(view.receivedAt).format('YYYY年M月D日')} · 版本 {view.version}
          </Typography.Text>
          <DeadlineChips deadlines={view.deadlines} />
          <Steps size="small" current={lifecycleStep(view.state)} items={STEPS.map((s) => ({ title: s.title }))} style={{ marginTop: 8 }} data-testid="lifecycle" />
        </Space>
      </Card>
      <Card title="办理" size="small">
        <ActionPanel kind="case" view={view} subjects={view.subjects} onChanged={(v) => setView(v as CaseView)} />
      </Card>
      <Card>
        <Tabs
          destroyOnHidden
          items={[
            { key: 'basic', label: '基本信息', children: <BasicTab view={view} /> },
            { key: 'deadlines', label: '办理时限', children: <DeadlinesTable deadlines={view.deadlines} /> },
            { key: 'approvals', label: '审批记录', children: <ApprovalsTab view={view} /> },
            { key: 'dispositions', label: '处置结果', children: <DispositionsTab view={view} /> },
            { key: 'dual', label: '一案双查', children: <DualTab view={view} /> },
            {
              key: 'diagram',
              label: '流程图',
              children: (
                <Suspense fallback={<Spin />}>
                  <MachineDiagram machine="case" paths={[['lifecycle', ...view.state.split('.')], ['dualInvestigation', view.dualInvestigation.state]]} />
                </Suspense>
              ),
            },
            { key: 'history', label: '操作日志', children: <HistoryTable path={`/cases/${id}`} stateLabel={labels.caseState} /> },
          ]}
        />
      </Card>
    </Space>
  );
}

function BasicTab({ view }: { view: CaseView }) {
  const names = useNames();
  // The reporter's identity is asked for only here, after the warning; the API records the disclosure.
  const [disclosed, setDisclosed] = useState<CaseView['reporter'] | null>(null);
  const reveal = () =>
    Modal.confirm({
      title: '查看举报人身份',
      content: '举报人身份依规密封保护。查看将以您的名义记入本案审计日志（不可删除），仅限工作确需时查看。确定查看？',
      okText: '确认查看',
      cancelText: '取消',
      onOk: async () => {
        const full = await api<CaseView>(`/cases/${view.id}`, { query: { include: 'reporter' } });
        setDisclosed(full.reporter);
      },
    });
  const r = disclosed ?? view.reporter;
  return (
    <Descriptions bordered size="small" column={2}>
      <Descriptions.Item label="线索来源">{labels.source(view.source)}</Descriptions.Item>
      <Descriptions.Item label="所属单位">{names.org(view.orgId)}</Descriptions.Item>
      <Descriptions.Item label="被反映人" span={2}>
        {view.subjects.map((s) => (
          <div key={s.personId}>
            {s.name}，{names.org(s.orgId)}{s.position}（{labels.rank(s.rank)}{s.partyMember ? '，中共党员' : ''}）
          </div>
        ))}
      </Descriptions.Item>
      <Descriptions.Item label="反映问题" span={2}>
        {view.allegations.map((a, i) => (
          <div key={i}>
            <Tag>{labels.category(a.category)}</Tag>
            {a.summary}
          </div>
        ))}
      </Descriptions.Item>
      <Descriptions.Item label="举报人" span={2}>
        <Space data-testid="reporter">
          {!r.sealed ? (
            <span>
              {r.name}（{r.contact}）{r.realName ? '实名' : '匿名'}
            </span>
          ) : (
            <Tag color="default">已密封</Tag>
          )}
          {r.sealed && r.mayDisclose && (
            <Button size="small" danger onClick={reveal}>
              查看举报人
            </Button>
          )}
          {r.sealed && !r.mayDisclose && <Typography.Text type="secondary">（您的角色无权查看举报人身份）</Typography.Text>}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label="承办人员">{view.assignees.map(names.user).join('、') || '未指派'}</Descriptions.Item>
      <Descriptions.Item label="审理人员">{(view.trialReviewers ?? []).map(names.user).join('、') || '—'}</Descriptions.Item>
      <Descriptions.Item label="回避人员" span={2}>
        {(view.recusals ?? []).map((x) => `${names.user(x.userId)}（${labels.option('relation', x.relation)}）`).join('、') || '无'}
      </Descriptions.Item>
    </Descriptions>
  );
}

function ApprovalsTab({ view }: { view: CaseView }) {
  const names = useNames();
  const p = view.pendingApproval;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {p ? (
        <Card size="small" title={`待审批：${labels.approvalKind(p.kind)}`} data-testid="pending-approval">
          <Typography.Paragraph>
            提出人：{names.user(p.proposedBy)}；审批链：{p.chain.map(labels.role).join(' → ')}
          </Typography.Paragraph>
          <Steps
            size="small"
            current={p.approvals.length}
            items={[
              { title: '提出', description: names.user(p.proposedBy) },
              ...p.chain.map((role, i) => {
                const a = p.approvals[i];
                return { title: labels.role(role), description: a ? `${names.user(a.userId)}：${a.comment ?? '同意'}` : i === p.approvals.length ? '待审批' : '' };
              }),
            ]}
          />
          {Object.keys(p.payload).length > 0 && (
            <Descriptions size="small" column={1} style={{ marginTop: 12 }}>
              {Object.entries(p.payload).map(([k, v]) => (
                <Descriptions.Item key={k} label={labels.field(k)}>
                  {formatValue(k, v, names.user)}
                </Descriptions.Item>
              ))}
            </Descriptions>
          )}
        </Card>
      ) : (
        <Typography.Text type="secondary">当前没有待审批事项</Typography.Text>
      )}
      <ApprovalHistory id={view.id} />
    </Space>
  );
}

function formatValue(field: string, v: unknown, user: (id: string) => string): string {
  if (Array.isArray(v)) return v.map((x) => (x && typeof x === 'object' ? formatMeasure(x as Record<string, unknown>) : formatValue(field, x, user))).join('、');
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string') return labels.option(field, v);
  return JSON.stringify(v);
}

function formatMeasure(m: Record<string, unknown>): string {
  if (m.measure) return `${String(m.personId ?? m.target ?? '')}：${labels.measure(String(m.measure))}`;
  return Object.values(m).map(String).join(' ');
}

/** Past decisions on proposals, from the audit chain (approve/reject with their comments and meetings). */
function ApprovalHistory({ id }: { id: string }) {
  const names = useNames();
  const q = useQuery({ queryKey: ['history', `/cases/${id}`], queryFn: () => api<{ items: import('../api/types').HistoryEvent[] }>(`/cases/${id}/history`) });
  const kinds = new Set(['approve', 'reject', 'proposeDisposition', 'proposeInquiryOutcome', 'submitVerificationReport', 'requestExtension', 'proposeDecision']);
  const events = (q.data?.items ?? []).filter((e) => e.outcome === 'accepted' && kinds.has(e.action));
  if (!events.length) return null;
  return (
    <Card size="small" title="审批经过" data-testid="approval-history">
      <Timeline
        items={events.map((e) => {
          const d = (e.detail ?? {}) as Record<string, unknown>;
          const meeting = d.meeting as { ref: string; attendees: string[]; dissent: string[] } | undefined;
          return {
            color: e.action === 'reject' ? 'red' : e.action === 'approve' ? 'green' : 'blue',
            content: (
              <div>
                <b>{labels.command(e.action)}</b> · {names.user(e.actor)} · {dayjs(e.at).format('YYYY-MM-DD HH:mm')}
                {typeof d.comment === 'string' && <div>意见：{d.comment}</div>}
                {typeof d.reason === 'string' && <div>理由：{d.reason}</div>}
                {meeting && (
                  <div data-testid="meeting-record">
                    常委会会议 {meeting.ref}；出席：{meeting.attendees.map(names.user).join('、')}；持不同意见：{meeting.dissent.map(names.user).join('、') || '无'}
                  </div>
                )}
              </div>
            ),
          };
        })}
      />
    </Card>
  );
}

function DispositionsTab({ view }: { view: CaseView }) {
  const person = (id: string) => view.subjects.find((s) => s.personId === id)?.name ?? id;
  if (!view.dispositions.length) return <Empty description="尚无处理结果" />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <RectificationOf sourceId={view.id} />
      <Table
        rowKey={(d) => `${d.personId}-${d.measure}-${d.decidedAt}`}
        size="small"
        pagination={false}
        dataSource={view.dispositions}
        data-testid="dispositions"
        columns={[
          { title: '人员', dataIndex: 'personId', render: person },
          { title: '处理措施', dataIndex: 'measure', render: (m: string) => labels.measure(m) },
          { title: '四种形态', dataIndex: 'form', render: (f: number) => <Tag color={['', 'green', 'gold', 'orange', 'red'][f]}>{labels.form(f)}</Tag> },
          { title: '来源', dataIndex: 'reviewId', render: (r?: string) => (r ? <Link to={`/reviews/${r}`}>问责调查</Link> : '本案处理决定') },
          { title: '决定时间', dataIndex: 'decidedAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD') },
        ]}
      />
    </Space>
  );
}

function DualTab({ view }: { view: CaseView }) {
  const d = view.dualInvestigation;
  if (d.state === 'notRequired') return <Empty description="本案尚未启动一案双查" />;
  const waiting = view.state === 'concluded' && d.state !== 'concluded';
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {waiting && <Alert type="warning" showIcon title="本案已办结，待主体责任、监督责任两项问责调查均办结后方可结案" data-testid="dual-waiting" />}
      <Row gutter={16}>
        {['primary', 'supervision'].map((kind) => {
          const r = d.reviews.find((x) => x.kind === kind);
          return (
            <Col key={kind} span={12}>
              <Card size="small" title={`${labels.reviewKind(kind)}问责调查`} data-testid={`review-${kind}`}>
                {r?.id ? <ReviewSummary id={r.id} /> : <Typography.Text type="secondary">后台任务开启中…</Typography.Text>}
              </Card>
            </Col>
          );
        })}
      </Row>
    </Space>
  );
}

function ReviewSummary({ id }: { id: string }) {
  const names = useNames();
  const q = useQuery({ queryKey: ['review', id], queryFn: () => api<ReviewView>(`/reviews/${id}`) });
  if (q.isLoading) return <Spin />;
  if (q.error) return <Typography.Text type="danger">{problemText(q.error)}</Typography.Text>;
  const r = q.data!;
  return (
    <Space orientation="vertical">
      <Space>
        <StateTag state={r.state} kind="review" />
        <Link to={`/reviews/${r.id}`} data-testid={`open-review-${r.kind}`}>
          进入办理
        </Link>
      </Space>
      <span>问责对象：{r.targetName ?? names.org(r.targetOrgId)}</span>
      <DeadlineChips deadlines={r.deadlines} />
    </Space>
  );
}
