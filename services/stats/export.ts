import ExcelJS from 'exceljs';
import type { DeadlinesReport } from './deadlines';
import type { DualReport } from './dual';
import type { FourFormsReport } from './four-forms';

/** A report as named tables with Chinese headers: the one shape CSV and Excel are written from. */
export interface Table {
  name: string;
  headers: string[];
  rows: Array<Array<string | number | null>>;
}

const FORM_NAMES = ['第一种形态', '第二种形态', '第三种形态', '第四种形态'];
const byForms = (forms: Record<string, number>) => [forms['1'], forms['2'], forms['3'], forms['4']];

export function fourFormsTables(r: FourFormsReport): Table[] {
  return [
    {
      name: '四种形态',
      headers: ['形态', '人次', '占比(%)'],
      rows: [...r.forms.map((f) => [FORM_NAMES[f.form - 1], f.personTimes, f.percent]), ['合计', r.total, r.total ? 100 : 0]],
    },
    { name: '按职级', headers: ['职级', '合计', ...FORM_NAMES], rows: r.byRank.map((b) => [b.label, b.total, ...byForms(b.forms)]) },
    { name: '按层级', headers: ['组织层级', '合计', ...FORM_NAMES], rows: r.byOrgLevel.map((b) => [b.label, b.total, ...byForms(b.forms)]) },
  ];
}

export function dualTables(r: DualReport): Table[] {
  return [
    {
      name: '一案双查',
      headers: ['责任类型', '启动', '办结', '认定有责任', '免予问责', '无责任'],
      rows: r.reviews.map((x) => [x.label, x.opened, x.concluded, x.responsibilityFound, x.exempted, x.noResponsibility]),
    },
    { name: '问责方式', headers: ['问责方式', '数量'], rows: r.measures.map((m) => [m.measure, m.count]) },
    {
      name: '概况',
      headers: ['项目', '数值'],
      rows: [
        ['启动一案双查案件数', r.triggered],
        ['启动用时中位数(天)', r.medianDaysToOpen],
        ['办结用时中位数(天)', r.medianDaysToConclude],
      ],
    },
  ];
}

export function deadlineTables(r: DeadlinesReport): Table[] {
  const headers = ['总数', '未到期', '已逾期', '按期办结', '逾期办结'];
  const counts = (c: { total: number; open: number; overdue: number; metOnTime: number; metLate: number }) => [c.total, c.open, c.overdue, c.metOnTime, c.metLate];
  return [
    { name: '按时限', headers: ['时限', ...headers], rows: [...r.byKey.map((k) => [k.label, ...counts(k)]), ['合计', ...counts(r.totals)]] },
    { name: '按单位', headers: ['单位', ...headers], rows: r.byOrg.map((o) => [o.orgId, ...counts(o)]) },
    { name: '压案不查风险', headers: ['项目', '数值'], rows: [['逾期升级督办的问题线索(件)', r.suppressionRisk.cases]] },
  ];
}

const cell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV (UTF-8 with BOM, for Excel): each table as `[name]`, header, rows, blank line. */
export function toCsv(tables: readonly Table[]): string {
  const lines: string[] = [];
  for (const t of tables) {
    lines.push(cell(`[${t.name}]`), t.headers.map(cell).join(','), ...t.rows.map((r) => r.map(cell).join(',')), '');
  }
  return `\uFEFF${lines.join('\r\n')}`;
}

/** An Excel workbook, one sheet per table, headers bold. */
export async function toXlsx(tables: readonly Table[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '一案双查问责案件工作流引擎';
  for (const t of tables) {
    const ws = wb.addWorksheet(t.name);
    ws.addRow(t.headers).font = { bold: true };
    for (const r of t.rows) ws.addRow(r);
    ws.columns.forEach((c) => (c.width = 16));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
