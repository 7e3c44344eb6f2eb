/**
 * 上热中温下冷: the pressure that reaches each org level of the caller's scope in a
 * year (GET /stats/pressure-by-level): four-forms distribution, talk coverage, rectification
 * completion, clues disposed within a month, escalations received. Charted with ECharts loaded on
 * demand, tabled under the chart, downloaded as the XLSX or CSV the API renders.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Space, Spin, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, type HTMLAttributes } from 'react';
import { useSearchParams } from 'react-router';
import { FORM_LABELS, PRESSURE_MEASURE_LABELS } from '../../../machines/shared/dictionary';
import { api } from '../api/client';
import { useNames } from '../api/hooks';
import type { components } from '../api/schema';
import { DownloadButton } from '../components/download-button';
import { ProblemAlert } from '../components/problem';
import { ScopeOrgSelect } from '../components/scope-org-select';

const PressureCharts = lazy(() => import('../components/pressure-charts'));

type PressureReport = components['schemas']['PressureByLevelReport'];
type Level = PressureReport['levels'][number];

const PATH = '/stats/pressure-by-level';
const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
const num = (title: string, render: (l: Level) => number | string) => ({ title, align: 'right' as const, render: (_: unknown, l: Level) => render(l) });

export default function PressurePage() {
  const [params, setParams] = useSearchParams();
  const names = useNames();
  const year = Number(params.get('year') ?? dayjs().year());
  const orgId = params.get('orgId') ?? undefined;
  const query = { year, orgId };
  const set = (k: string, v?: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const q = useQuery({ queryKey: ['stats', 'pressure-by-level', query], queryFn: () => api<PressureReport>(PATH, { query }) });
  const report = q.data;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <span>统计年度</span>
          <DatePicker picker="year" allowClear={false} value={dayjs(`${year}-01-01`)} onChange={(v) => v && set('year', String(v.year()))} data-testid="pressure-year" />
          <span>统计单位</span>
          <ScopeOrgSelect value={orgId} onChange={(v) => set('orgId', v)} testId="pressure-org" />
          {report && (
            <Typography.Text type="secondary">
              {names.org(report.orgId)} · {dayjs(report.from).format('YYYY年M月D日')}至{dayjs(report.to).format('YYYY年M月D日')}
            </Typography.Text>
          )}
        </Space>
      </Card>
      <Card title="上热中温下冷：管党治党压力传导情况（分层级）" extra={<DownloadButton id="pressure" path={PATH} title="管党治党压力传导情况统计表" query={query} />} data-testid="pressure-card">
        <ProblemAlert error={q.error} />
        {q.isLoading && <Spin />}
        {report && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Suspense fallback={<Spin />}>
              <PressureCharts report={report} />
            </Suspense>
            <Table<Level>
              size="small"
              rowKey="level"
              pagination={false}
              bordered
              scroll={{ x: 1200 }}
              dataSource={report.levels}
              data-testid="pressure-table"
              onRow={(l) => ({ 'data-level': l.level }) as HTMLAttributes<HTMLElement>}
              columns={[
                { title: '层级', dataIndex: 'levelName', fixed: 'left', width: 100 },
                num('单位数', (l) => l.orgs),
                {
                  title: '四种形态（人次）',
                  children: [
                    ...([1, 2, 3, 4] as const).map((f) => num(FORM_LABELS[f], (l) => l.fourForms[`form${f}`])),
                    num(PRESSURE_MEASURE_LABELS.form1Share, (l) => pct(l.fourForms.form1Share)),
                  ],
                },
                {
                  title: '谈话',
                  children: [num('应谈', (l) => l.talks.obligations), num('已谈', (l) => l.talks.done), num(PRESSURE_MEASURE_LABELS.talksRate, (l) => pct(l.talks.rate))],
                },
                {
                  title: '以案促改（件）',
                  children: [
                    num('启动', (l) => l.rectifications.opened),
                    num('验收', (l) => l.rectifications.completed),
                    num(PRESSURE_MEASURE_LABELS.rectificationRate, (l) => pct(l.rectifications.rate)),
                  ],
                },
                {
                  title: '问题线索处置',
                  children: [num('时限到期（件）', (l) => l.clues.disposalClocks), num('按期处置（件）', (l) => l.clues.metWithinMonth), num(PRESSURE_MEASURE_LABELS.cluesShare, (l) => pct(l.clues.share))],
                },
                num(PRESSURE_MEASURE_LABELS.escalationsReceived, (l) => l.escalationsReceived),
              ]}
            />
          </Space>
        )}
      </Card>
    </Space>
  );
}
