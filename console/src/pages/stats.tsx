/**
 * 统计分析 (heads, auditors): the four-forms report (share by form, by rank, by org level, charted with
 * ECharts loaded on demand), the bulletin sentence as the report prints it, 一案双查 and deadline
 * statistics, for a period and an org of the caller's scope; each report downloads as the
 * submit-ready XLSX or CSV the API renders (fetched with the bearer header, saved as a blob).
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, DatePicker, Descriptions, Empty, Row, Space, Spin, Statistic, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../api/client';
import { useNames } from '../api/hooks';
import type { components } from '../api/schema';
import { labels } from '../components/labels';
import { DownloadButton as SharedDownloadButton } from '../components/download-button';
import { ProblemAlert } from '../components/problem';
import { ScopeOrgSelect } from '../components/scope-org-select';

const FourFormsCharts = lazy(() => import('../components/four-forms-charts'));

type FourFormsReport = components['schemas']['FourFormsReport'];
type DualReport = components['schemas']['DualInvestigationReport'];
type DeadlinesReport = components['schemas']['DeadlinesReport'];

const REPORTS = {
  fourForms: { path: '/stats/four-forms', title: '四种形态统计' },
  dual: { path: '/stats/dual-investigation', title: '一案双查统计' },
  deadlines: { path: '/stats/deadlines', title: '办理时限统计' },
} as const;

function DownloadButton({ report, query }: { report: keyof typeof REPORTS; query: Record<string, string | undefined> }) {
  return <SharedDownloadButton id={report} path={REPORTS[report].path} title={REPORTS[report].title} query={query} />;
}

export default function StatsPage() {
  const [params, setParams] = useSearchParams();
  const names = useNames();
  // The default period is this year to date (a bulletin's 1 January to today).
  const from = params.has('from') ? params.get('from') || undefined : dayjs().startOf('year').format('YYYY-MM-DD');
  const to = params.has('to') ? params.get('to') || undefined : dayjs().format('YYYY-MM-DD');
  const orgId = params.get('orgId') ?? undefined;
  const query = { from, to, orgId };
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) next.set(k, v ?? '');
    if (!patch.orgId && 'orgId' in patch) next.delete('orgId');
    setParams(next, { replace: true });
  };
  const four = useQuery({ queryKey: ['stats', 'four-forms', query], queryFn: () => api<FourFormsReport>(REPORTS.fourForms.path, { query }) });
  const dual = useQuery({ queryKey: ['stats', 'dual', query], queryFn: () => api<DualReport>(REPORTS.dual.path, { query }) });
  const deadlines = useQuery({ queryKey: ['stats', 'deadlines', query], queryFn: () => api<DeadlinesReport>(REPORTS.deadlines.path, { query }) });
  const period = from || to ? `${from ? dayjs(from).format('YYYY年M月D日') : '起始'}至${to ? dayjs(to).format('YYYY年M月D日') : '今'}` : '全部期间';

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <span>统计期间</span>
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
            onChange={(v) => set({ from: (v?.[0] as Dayjs | null)?.format('YYYY-MM-DD'), to: (v?.[1] as Dayjs | null)?.format('YYYY-MM-DD') })}
            presets={[
              { label: '本年度', value: [dayjs().startOf('year'), dayjs()] },
              { label: '上年度', value: [dayjs().subtract(1, 'year').startOf('year'), dayjs().subtract(1, 'year').endOf('year')] },
              { label: '本季度', value: [dayjs().startOf('month').subtract(dayjs().month() % 3, 'month'), dayjs()] },
            ]}
            data-testid="period"
          />
          <span>统计单位</span>
          <ScopeOrgSelect value={orgId} onChange={(v) => set({ orgId: v })} testId="stats-org" />
          <Typography.Text type="secondary">
            {names.org(four.data?.orgId)} · {period}
          </Typography.Text>
        </Space>
      </Card>

      <Card title="四种形态" extra={<DownloadButton report="fourForms" query={query} />} data-testid="four-forms-card">
        <ProblemAlert error={four.error} />
        {four.isLoading && <Spin />}
        {four.data && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Paragraph style={{ fontSize: 15, textIndent: '2em', marginBottom: 0 }} data-testid="bulletin-sentence">
              {four.data.sentence}
            </Typography.Paragraph>
            {four.data.total ? (
              <Suspense fallback={<Spin />}>
                <FourFormsCharts report={four.data} />
              </Suspense>
            ) : (
              <Empty description="本期间暂无处理人次" data-testid="four-forms-empty" />
            )}
            <Table
              size="small"
              rowKey="form"
              pagination={false}
              dataSource={four.data.forms}
              data-testid="four-forms-table"
              columns={[
                { title: '形态', dataIndex: 'form', render: (f: number) => labels.form(f) },
                { title: '人次', dataIndex: 'personTimes', align: 'right' },
                { title: '占比', dataIndex: 'percent', align: 'right', render: (p: number) => `${p}%` },
              ]}
              summary={() => (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    {four.data!.total}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    {four.data!.total ? '100%' : '—'}
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              )}
            />
          </Space>
        )}
      </Card>

      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card title="一案双查" extra={<DownloadButton report="dual" query={query} />} style={{ height: '100%' }} data-testid="dual-card">
            <ProblemAlert error={dual.error} />
            {dual.data && (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Space size={32} wrap>
                  <Statistic title="启动一案双查（件）" value={dual.data.triggered} />
                  <Statistic title="启动用时中位数（天）" value={dual.data.medianDaysToOpen ?? '—'} />
                  <Statistic title="办结用时中位数（天）" value={dual.data.medianDaysToConclude ?? '—'} />
                </Space>
                <Table
                  size="small"
                  rowKey="kind"
                  pagination={false}
                  dataSource={dual.data.reviews}
                  columns={[
                    { title: '责任类别', dataIndex: 'kind', render: (k: string) => labels.reviewKind(k) },
                    { title: '开启', dataIndex: 'opened', align: 'right' },
                    { title: '办结', dataIndex: 'concluded', align: 'right' },
                    { title: '认定有责任', dataIndex: 'responsibilityFound', align: 'right' },
                    { title: '免予问责', dataIndex: 'exempted', align: 'right' },
                    { title: '无责任', dataIndex: 'noResponsibility', align: 'right' },
                  ]}
                />
                {dual.data.measures.length > 0 && (
                  <Descriptions size="small" bordered column={2} title="问责措施">
                    {dual.data.measures.map((m) => (
                      <Descriptions.Item key={m.measure} label={labels.measure(m.measure)}>
                        {m.count}
                      </Descriptions.Item>
                    ))}
                  </Descriptions>
                )}
              </Space>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title="办理时限" extra={<DownloadButton report="deadlines" query={query} />} style={{ height: '100%' }} data-testid="deadlines-card">
            <ProblemAlert error={deadlines.error} />
            {deadlines.data && (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Space size={32} wrap>
                  <Statistic title="进行中" value={deadlines.data.totals.open} />
                  <Statistic title="已逾期" value={deadlines.data.totals.overdue} styles={{ content: { color: '#d48806' } }} />
                  <Statistic title="按期办结" value={deadlines.data.totals.metOnTime} />
                  <Statistic title="逾期办结" value={deadlines.data.totals.metLate} />
                  <Statistic title="压案不查风险（件）" value={deadlines.data.suppressionRisk.cases} styles={{ content: { color: '#cf1322' } }} />
                </Space>
                <Table
                  size="small"
                  rowKey="key"
                  pagination={false}
                  dataSource={deadlines.data.byKey}
                  columns={[
                    { title: '时限', dataIndex: 'key', render: (k: string) => labels.deadline(k) },
                    { title: '进行中', dataIndex: 'open', align: 'right' },
                    { title: '已逾期', dataIndex: 'overdue', align: 'right' },
                    { title: '按期办结', dataIndex: 'metOnTime', align: 'right' },
                    { title: '逾期办结', dataIndex: 'metLate', align: 'right' },
                    { title: '合计', dataIndex: 'total', align: 'right' },
                  ]}
                />
                <Table
                  size="small"
                  rowKey="orgId"
                  pagination={false}
                  dataSource={deadlines.data.byOrg}
                  columns={[
                    { title: '单位', dataIndex: 'orgId', render: (o: string) => names.org(o) },
                    { title: '进行中', dataIndex: 'open', align: 'right' },
                    { title: '已逾期', dataIndex: 'overdue', align: 'right' },
                    { title: '按期办结', dataIndex: 'metOnTime', align: 'right' },
                    { title: '逾期办结', dataIndex: 'metLate', align: 'right' },
                    { title: '合计', dataIndex: 'total', align: 'right' },
                  ]}
                />
              </Space>
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
