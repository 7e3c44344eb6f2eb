/**
 * 上热中温下冷 charted by org level (province → prefecture → county → township → village), ECharts
 * through echarts-for-react's core build: the four forms (person-times, stacked bars), and the
 * shares the report gives (first-form share, talk coverage, rectification completion, clues
 * disposed within a month, in %) as bars beside the escalations received (次, a line on its own
 * axis). Loaded lazily by its screen, so ECharts stays out of the main bundle; canvas rendering
 * runs under the console's CSP.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { Col, Row } from 'antd';
import { FORM_LABELS, PRESSURE_MEASURE_LABELS } from '../../../machines/shared/dictionary';
import type { components } from '../api/schema';
import { FORM_COLOURS } from './four-forms-charts';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export type PressureReport = components['schemas']['PressureByLevelReport'];
type Level = PressureReport['levels'][number];

const FONT = { fontFamily: 'Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif' };
const SHARE_COLOURS = ['#52c41a', '#1677ff', '#722ed1', '#13c2c2'];

/** The shares of a level, in the order charted; null (nothing to count) is no bar. */
export const SHARES: Array<{ key: keyof typeof PRESSURE_MEASURE_LABELS; of: (l: Level) => number | null }> = [
  { key: 'form1Share', of: (l) => l.fourForms.form1Share },
  { key: 'talksRate', of: (l) => l.talks.rate },
  { key: 'rectificationRate', of: (l) => l.rectifications.rate },
  { key: 'cluesShare', of: (l) => l.clues.share },
];

export function formsOption(levels: Level[]) {
  return {
    textStyle: FONT,
    title: { text: '四种形态分布（人次）', left: 'center', textStyle: { fontSize: 14, ...FONT } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0, textStyle: FONT },
    grid: { left: 48, right: 16, top: 40, bottom: 48 },
    xAxis: { type: 'category', data: levels.map((l) => l.levelName), axisLabel: { interval: 0, ...FONT } },
    yAxis: { type: 'value', name: '人次', minInterval: 1 },
    series: ([1, 2, 3, 4] as const).map((f, i) => ({
      name: FORM_LABELS[f],
      type: 'bar',
      stack: 'forms',
      itemStyle: { color: FORM_COLOURS[i] },
      data: levels.map((l) => l.fourForms[`form${f}`]),
    })),
  };
}

export function sharesOption(levels: Level[]) {
  return {
    textStyle: FONT,
    title: { text: '压力传导指标', left: 'center', textStyle: { fontSize: 14, ...FONT } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0, textStyle: FONT },
    grid: { left: 48, right: 56, top: 40, bottom: 72 },
    xAxis: { type: 'category', data: levels.map((l) => l.levelName), axisLabel: { interval: 0, ...FONT } },
    yAxis: [
      { type: 'value', name: '%', min: 0, max: 100 },
      { type: 'value', name: '次', minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      ...SHARES.map((s, i) => ({
        name: PRESSURE_MEASURE_LABELS[s.key],
        type: 'bar',
        itemStyle: { color: SHARE_COLOURS[i] },
        data: levels.map((l) => s.of(l) ?? '-'),
      })),
      {
        name: PRESSURE_MEASURE_LABELS.escalationsReceived,
        type: 'line',
        yAxisIndex: 1,
        itemStyle: { color: '#cf1322' },
        data: levels.map((l) => l.escalationsReceived),
      },
    ],
  };
}

export default function PressureCharts({ report }: { report: PressureReport }) {
  return (
    <Row gutter={16} data-testid="pressure-charts" data-levels={JSON.stringify(report.levels.map((l) => l.levelName))}>
      <Col xs={24} xl={10}>
        <div data-testid="chart-pressure-forms">
          <ReactEChartsCore echarts={echarts} option={formsOption(report.levels)} style={{ height: 340 }} notMerge />
        </div>
      </Col>
      <Col xs={24} xl={14}>
        <div data-testid="chart-pressure-shares">
          <ReactEChartsCore echarts={echarts} option={sharesOption(report.levels)} style={{ height: 340 }} notMerge />
        </div>
      </Col>
    </Row>
  );
}
