import { chineseDate, type Cell, type ReportMeta, type Table } from '../reports/workbook';
import { DEADLINE_LABELS, FORM_LABELS, MEASURE_LABELS, REVIEW_KIND_LABELS, labelOf } from '../../machines/shared/dictionary';
import { orgTree } from '../authz';
import { cstDateOf } from '../calendar/civil-date';
import type { Deps } from '../deps';
import type { DeadlinesReport } from './deadlines';
import type { DualReport } from './dual';
import type { FourFormsReport } from './four-forms';

/**
 * The statistics downloads as a commission submits them: a title, the issuing
 * commission, the period, the date produced, the bulletin sentence, Chinese names for every code
 * (from machines/shared/dictionary.ts), 合计 rows; in Excel also borders, numbers right-aligned
 * under right-aligned headings, frozen headings and A4 landscape fitted to the page width.
 */
export type { Cell, Report, ReportMeta, Table } from '../reports/workbook';
export { chineseDate, toCsv } from '../reports/workbook';

export const REPORT_TITLES = {
  fourForms: '运用监督执纪“四种形态”情况统计表',
  dual: '“一案双查”问责情况统计表',
  deadlines: '办理时限执行情况统计表',
} as const;

export function periodText(from: string | null, to: string | null, produced: string): string {
  if (from && to) return `${chineseDate(from)}至${chineseDate(to)}`;
  if (from) return `${chineseDate(from)}至${chineseDate(produced)}`;
  if (to) return `截至${chineseDate(to)}`;
  return `全部期间（截至${chineseDate(produced)}）`;
}

/** The heading block of a report on `orgId` for a period, and a name for each org id. */
export async function reportContext(
  deps: Pick<Deps, 'store' | 'clock'>,
  r: { orgId: string; from: string | null; to: string | null },
  title: string,
  sentence?: string,
): Promise<{ meta: ReportMeta & { period: string }; orgName: (id: string) => string }> {
  const tree = await orgTree(deps.store);
  const org = tree.get(r.orgId);
  const producedAt = deps.clock();
  const produced = cstDateOf(producedAt.toISOString());
  const orgName = (id: string) => tree.get(id)?.name ?? id;
  const commission = org?.disciplineBody ?? `${org?.name ?? r.orgId}纪委监委`;
  return { meta: { title, commission, period: periodText(r.from, r.to, produced), produced: chineseDate(produced), producedAt, sentence }, orgName };
}

const sumColumns = (rows: Cell[][], from: number): Cell[] =>
  rows[0]?.slice(from).map((_, i) => rows.reduce((s, row) => s + (typeof row[from + i] === 'number' ? (row[from + i] as number) : 0), 0)) ?? [];

/** Rows plus their 合计 row (label in the first column, sums of the numeric columns). */
function withTotal(rows: Cell[][], width: number): Cell[][] {
  const empty = Array.from({ length: width - 1 }, () => 0);
  return [...rows, ['合计', ...(rows.length ? sumColumns(rows, 1) : empty)]];
}

const FORMS = [1, 2, 3, 4] as const;
const FORM_NAMES = FORMS.map((f) => FORM_LABELS[f]);
const byForms = (forms: Record<string, number>) => FORMS.map((f) => forms[String(f)] ?? 0);

export function fourFormsTables(r: FourFormsReport): Table[] {
  return [
    {
      name: '四种形态',
      headers: ['形态', '人次', '占总人次比例(%)'],
      rows: [...r.forms.map((f) => [FORM_LABELS[f.form as 1 | 2 | 3 | 4], f.personTimes, f.percent]), ['合计', r.total, r.total ? 100 : 0]],
      totalRow: true,
      decimals: [2],
    },
    { name: '按职级', headers: ['职级', '合计', ...FORM_NAMES], rows: withTotal(r.byRank.map((b) => [b.label, b.total, ...byForms(b.forms)]), 6), totalRow: true },
    { name: '按层级', headers: ['组织层级', '合计', ...FORM_NAMES], rows: withTotal(r.byOrgLevel.map((b) => [b.label, b.total, ...byForms(b.forms)]), 6), totalRow: true },
  ];
}

export function dualTables(r: DualReport): Table[] {
  return [
    {
      name: '一案双查',
      headers: ['责任类型', '启动(件)', '办结(件)', '认定有责任(件)', '免予问责(件)', '无责任(件)'],
      rows: withTotal(r.reviews.map((x) => [labelOf(REVIEW_KIND_LABELS, x.kind), x.opened, x.concluded, x.responsibilityFound, x.exempted, x.noResponsibility]), 6),
      totalRow: true,
    },
    { name: '问责方式', headers: ['问责方式', '人次(个)'], rows: withTotal(r.measures.map((m) => [labelOf(MEASURE_LABELS, m.measure), m.count]), 2), totalRow: true },
    {
      name: '概况',
      headers: ['项目', '数值'],
      rows: [
        ['启动“一案双查”案件数(件)', r.triggered],
        ['启动用时中位数(天)', r.medianDaysToOpen ?? '—'],
        ['办结用时中位数(天)', r.medianDaysToConclude ?? '—'],
      ],
    },
  ];
}

export function deadlineTables(r: DeadlinesReport, orgName: (id: string) => string): Table[] {
  const headers = ['时限总数', '未到期', '已逾期', '按期办结', '逾期办结'];
  const counts = (c: { total: number; open: number; overdue: number; metOnTime: number; metLate: number }) => [c.total, c.open, c.overdue, c.metOnTime, c.metLate];
  return [
    {
      name: '按时限',
      headers: ['办理时限', ...headers],
      rows: [...r.byKey.map((k) => [labelOf(DEADLINE_LABELS, k.key), ...counts(k)]), ['合计', ...counts(r.totals)]],
      totalRow: true,
    },
    { name: '按单位', headers: ['单位', ...headers], rows: withTotal(r.byOrg.map((o) => [orgName(o.orgId), ...counts(o)]), 6), totalRow: true },
    { name: '压案不查风险', headers: ['项目', '数值'], rows: [['逾期升级督办的问题线索(件)', r.suppressionRisk.cases]] },
  ];
}

/** The summary line of the 一案双查 report (说明). */
export function dualSentence(r: DualReport): string {
  const sum = (k: 'opened' | 'concluded' | 'responsibilityFound' | 'exempted') => r.reviews.reduce((n, x) => n + x[k], 0);
  return (
    `启动“一案双查”案件${r.triggered}件，开展问责调查${sum('opened')}项，办结${sum('concluded')}项；` +
    `认定有责任${sum('responsibilityFound')}项，免予问责${sum('exempted')}项；采取问责措施${r.measures.reduce((n, m) => n + m.count, 0)}人次。`
  );
}

/** The summary line of the deadlines report (说明). */
export function deadlineSentence(r: DeadlinesReport): string {
  const t = r.totals;
  return `统计期内到期的办理时限共${t.total}个，其中按期办结${t.metOnTime}个，逾期办结${t.metLate}个，已逾期未办结${t.overdue}个，未到期${t.open}个；逾期升级督办的问题线索${r.suppressionRisk.cases}件。`;
}

export { toXlsx } from './xlsx';
