/**
 * The four-forms charts (ECharts through echarts-for-react's core build, only the chart types used):
 * share by form (pie), person-times by rank and by org level (stacked bars). Loaded lazily by the
 * statistics screen so ECharts stays out of the main bundle. Canvas rendering needs no eval and no
 * style element, so it runs under the console's CSP.
 */
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { Col, Row } from 'antd';
import { FORM_LABELS } from '../../../machines/shared/dictionary';

echarts.use([PieChart, BarChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

/** The colours of the four forms, lightest to most severe (as the case detail's tags). */
export const FORM_COLOURS = ['#52c41a', '#faad14', '#fa8c16', '#cf1322'];

export interface FourForms {
  total: number;
  forms: Array<{ form: number; personTimes: number; percent: number }>;
  byRank: Array<{ bucket: string; label: string; total: number; forms: Record<string, number> }>;
  byOrgLevel: Array<{ level: string; label: string; total: number; forms: Record<string, number> }>;
}

const FONT = { fontFamily: 'Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif' };
const formName = (f: number) => FORM_LABELS[f as 1 | 2 | 3 | 4] ?? String(f);
const LEGEND = { top: 36, itemWidth: 14, itemGap: 8, textStyle: { fontSize: 12, ...FONT } };

function stacked(title: string, rows: Array<{ label: string; forms: Record<string, number> }>) {
  return {
    textStyle: FONT,
    title: { text: title, left: 'center', textStyle: { fontSize: 14, ...FONT } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    // The legend sits under the title: at the foot of a chart a third of the page wide it wraps onto
    // two lines and covers the axis labels.
    legend: LEGEND,
    grid: { left: 8, right: 16, top: 104, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { interval: 0, fontSize: 11, ...FONT } },
    yAxis: { type: 'value', name: '人次', minInterval: 1 },
    series: [1, 2, 3, 4].map((f, i) => ({
      name: formName(f),
      type: 'bar',
      stack: 'forms',
      itemStyle: { color: FORM_COLOURS[i] },
      data: rows.map((r) => r.forms[String(f)] ?? 0),
    })),
  };
}

export default function FourFormsCharts({ report }: { report: FourForms }) {
  const pie = {
    textStyle: FONT,
    title: { text: '四种形态占比', left: 'center', textStyle: { fontSize: 14, ...FONT } },
    tooltip: { trigger: 'item', formatter: '{b}：{c} 人次（{d}%）' },
    legend: LEGEND,
    series: [
      {
        name: '四种形态',
        type: 'pie',
        radius: ['26%', '48%'],
        center: ['50%', '64%'],
        // Labels kept inside the chart's edges (else a long one is cut to "第…" at a third of the page).
        label: { formatter: '{b}\n{c} 人次', alignTo: 'edge', edgeDistance: 4, minMargin: 4, overflow: 'none', fontSize: 11, lineHeight: 14, ...FONT },
        labelLine: { length: 8, length2: 0, maxSurfaceAngle: 80 },
        data: report.forms.map((f, i) => ({ name: formName(f.form), value: f.personTimes, itemStyle: { color: FORM_COLOURS[i] } })),
      },
    ],
  };
  const data = JSON.stringify(report.forms.map((f) => [f.form, f.personTimes]));
  return (
    <Row gutter={16} data-testid="four-forms-charts" data-forms={data} data-total={report.total}>
      <Col xs={24} lg={8}>
        <div data-testid="chart-forms">
          <ReactEChartsCore echarts={echarts} option={pie} style={{ height: 320 }} notMerge />
        </div>
      </Col>
      <Col xs={24} lg={8}>
        <div data-testid="chart-rank">
          <ReactEChartsCore echarts={echarts} option={stacked('按职级', report.byRank)} style={{ height: 320 }} notMerge />
        </div>
      </Col>
      <Col xs={24} lg={8}>
        <div data-testid="chart-level">
          <ReactEChartsCore echarts={echarts} option={stacked('按单位层级', report.byOrgLevel)} style={{ height: 320 }} notMerge />
        </div>
      </Col>
    </Row>
  );
}
