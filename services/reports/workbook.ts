/**
 * Reports as a commission submits them, whatever they report: the statistics tables
 * (services/stats/export.ts) and the case ledgers (services/cases/ledger.ts). A report is a heading
 * block (title, 填报单位, the period or the filters, 制表日期, a 说明 line) and tables with Chinese
 * headings; `toCsv` writes it as CSV, `toXlsx` (./xlsx.ts) as an Excel workbook.
 */
export type Cell = string | number | null;

/** One table of a report, with Chinese headings; a column is numeric when all its values are numbers. */
export interface Table {
  name: string;
  headers: string[];
  rows: Cell[][];
  /** The last row is the 合计 row. */
  totalRow?: boolean;
  /** Columns shown with one decimal (percentages). */
  decimals?: number[];
  /** Columns whose text wraps within `maxWidth` (titles, names): long rows grow instead of the sheet. */
  wrap?: number[];
  /** Widest a column may be in Excel, in characters (default 40). */
  maxWidth?: number;
  /** Fixed column widths in characters (a wide table that must still print legibly on A4). */
  widths?: number[];
}

export interface ReportMeta {
  title: string;
  /** The issuing commission (填报单位), e.g. 云溪县纪委监委. */
  commission: string;
  /** 统计期间 as officials write it (statistics). */
  period?: string;
  /** Further heading lines after 统计期间, label and text (a ledger's 筛选条件, 记录数). */
  details?: Array<[string, string]>;
  /** 制表日期, e.g. 2026年12月7日. */
  produced: string;
  /** The moment produced (workbook properties). */
  producedAt: Date;
  /** The four-forms bulletin sentence, or another one-line summary (说明). */
  sentence?: string;
  /** Workbook keywords (default: the statistics ones). */
  keywords?: string;
}

export interface Report {
  meta: ReportMeta;
  tables: Table[];
}

/** `2026-03-31` → `2026年3月31日`. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The heading lines every download starts with, after its title. */
export function headingLines(meta: ReportMeta): Array<[string, string]> {
  return [
    ['填报单位', meta.commission],
    ...(meta.period !== undefined ? ([['统计期间', meta.period]] as Array<[string, string]>) : []),
    ...(meta.details ?? []),
    ['制表日期', meta.produced],
    ...(meta.sentence ? ([['说明', meta.sentence]] as Array<[string, string]>) : []),
  ];
}

const csvCell = (v: Cell) => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV (UTF-8 with BOM, for Excel): the heading block, then each table as `[name]`, headings, rows. */
export function toCsv(report: Report): string {
  const lines: string[] = [csvCell(report.meta.title), ...headingLines(report.meta).map(([k, v]) => `${csvCell(k)},${csvCell(v)}`), ''];
  for (const t of report.tables) {
    lines.push(csvCell(`[${t.name}]`), t.headers.map(csvCell).join(','), ...t.rows.map((r) => r.map(csvCell).join(',')), '');
  }
  return `\uFEFF${lines.join('\r\n')}`;
}

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** What a downloadable GET answers: JSON, or the report as CSV or Excel. */
export const REPORT_TYPES = ['application/json', CSV_TYPE, XLSX_TYPE];

/**
 * The format a download asks for: `?format=` wins over the Accept header (a plain link sends none);
 * null for JSON.
 */
export function downloadFormat(format: string | undefined, accepts: (types: string[]) => string | false): 'csv' | 'xlsx' | null {
  if (format === 'csv' || format === 'xlsx') return format;
  if (format === 'json') return null;
  const type = accepts(REPORT_TYPES);
  return type === CSV_TYPE ? 'csv' : type === XLSX_TYPE ? 'xlsx' : null;
}
