import ExcelJS from 'exceljs';
import { headingLines, type Cell, type Report, type ReportMeta, type Table } from './workbook';

/**
 * A report as an Excel workbook a commission can print and submit: one sheet per table, each with
 * the title, 填报单位, 统计期间 (or a ledger's filters), 制表日期 and the 说明 line above thin-bordered
 * rows; the headings frozen and repeated on every printed page; A4 landscape fitted to the page width.
 */
const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF000000' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const FONT = '宋体';

/** Display width of a text: CJK and full-width characters count two. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
  return w;
}

const isNumericColumn = (t: Table, col: number) => t.rows.some((r) => typeof r[col] === 'number') && t.rows.every((r) => typeof r[col] === 'number' || r[col] === null || r[col] === '—');

function addHeading(ws: ExcelJS.Worksheet, meta: ReportMeta, width: number): number {
  const title = ws.addRow([meta.title]);
  ws.mergeCells(title.number, 1, title.number, width);
  title.font = { name: FONT, size: 16, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  title.height = 30;
  // Merged cells do not grow by themselves: a long line (筛选条件, the 说明 sentence) gets the lines it needs.
  const perLine = Math.max(20, (ws.columns ?? []).reduce((s, c) => s + (c.width ?? 10), 0));
  const fit = (row: ExcelJS.Row, text: string, always: boolean) => {
    if (!always && displayWidth(text) <= perLine) return;
    row.alignment = { wrapText: true, vertical: 'top' };
    row.height = 16 * Math.ceil(displayWidth(text) / perLine) + 4;
  };
  for (const [label, text] of headingLines(meta)) {
    if (label === '说明') continue;
    const line = `${label}：${text}`;
    const row = ws.addRow([line]);
    ws.mergeCells(row.number, 1, row.number, width);
    row.font = { name: FONT, size: 11 };
    fit(row, line, false);
  }
  if (meta.sentence) {
    // The sentence as the bulletin prints it, without a label.
    const row = ws.addRow([meta.sentence]);
    ws.mergeCells(row.number, 1, row.number, width);
    row.font = { name: FONT, size: 11 };
    fit(row, meta.sentence, true);
  }
  ws.addRow([]);
  return ws.rowCount;
}

function addTable(ws: ExcelJS.Worksheet, t: Table): number {
  const numeric = t.headers.map((_, i) => isNumericColumn(t, i));
  const wrap = new Set(t.wrap ?? []);
  const header = ws.addRow(t.headers);
  header.height = 22;
  header.eachCell((cell, col) => {
    cell.font = { name: FONT, bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
    cell.border = BORDER;
    cell.alignment = { horizontal: numeric[col - 1] ? 'right' : 'left', vertical: 'middle', wrapText: true };
  });
  // One style object per column, shared by its cells (a ledger has tens of thousands of cells).
  const styles = t.headers.map((_, i) => ({
    font: { name: FONT, bold: false },
    alignment: { horizontal: numeric[i] ? 'right' : 'left', vertical: 'middle', wrapText: wrap.has(i) } as Partial<ExcelJS.Alignment>,
    numFmt: t.decimals?.includes(i) ? '0.0' : '#,##0',
  }));
  const bold = { name: FONT, bold: true };
  // Spreadsheet programs do not grow a row for wrapped text on opening (LibreOffice printed the
  // lines over the next row): each row is as tall as its longest wrapped cell needs.
  const widths = t.headers.map((_, i) => ws.getColumn(i + 1).width ?? 10);
  const linesOf = (values: readonly Cell[]) =>
    Math.max(1, ...[...wrap].map((i) => Math.ceil(displayWidth(values[i] === null || values[i] === undefined ? '' : String(values[i])) / Math.max(1, widths[i] - 1))));
  t.rows.forEach((values, i) => {
    const row = ws.addRow(values.map((v: Cell) => v ?? ''));
    const lines = linesOf(values);
    if (lines > 1) row.height = 15 * lines + 3;
    const isTotal = t.totalRow === true && i === t.rows.length - 1;
    for (let col = 1; col <= t.headers.length; col++) {
      const cell = row.getCell(col);
      const style = styles[col - 1];
      cell.border = BORDER;
      cell.font = isTotal ? bold : style.font;
      cell.alignment = style.alignment;
      if (typeof cell.value === 'number') cell.numFmt = style.numFmt;
    }
  });
  return header.number;
}

function fitColumns(ws: ExcelJS.Worksheet, t: Table): void {
  const max = t.maxWidth ?? 40;
  t.headers.forEach((h, i) => {
    if (t.widths?.[i] !== undefined) {
      ws.getColumn(i + 1).width = t.widths[i];
      return;
    }
    let widest = displayWidth(h);
    for (const r of t.rows) widest = Math.max(widest, displayWidth(r[i] === null ? '' : String(r[i])));
    ws.getColumn(i + 1).width = Math.min(max, Math.max(i === 0 ? 16 : 10, widest + 2));
  });
}

/** A narrow table still shows the whole title (16 pt) and heading lines: its last column takes the rest. */
function widenForHeading(ws: ExcelJS.Worksheet, meta: ReportMeta, columns: number): void {
  const needed = Math.max(Math.ceil(displayWidth(meta.title) * 1.5), ...[meta.commission, meta.period ?? ''].map((l) => displayWidth(l) + 12)) + 2;
  const widths = Array.from({ length: columns }, (_, i) => ws.getColumn(i + 1).width ?? 10);
  const total = widths.reduce((s, w) => s + w, 0);
  if (total < needed) ws.getColumn(columns).width = widths[columns - 1] + (needed - total);
}

/** The workbook; its properties carry the title, the commission, the period and the date produced. */
export async function toXlsx(report: Report): Promise<Buffer> {
  const { meta } = report;
  const wb = new ExcelJS.Workbook();
  wb.creator = '一案双查问责案件工作流引擎';
  wb.lastModifiedBy = meta.commission;
  wb.company = meta.commission;
  wb.title = meta.title;
  wb.subject = meta.period !== undefined ? `统计期间：${meta.period}` : meta.title;
  wb.description = meta.sentence ?? meta.title;
  wb.keywords = meta.keywords ?? '四种形态 一案双查 统计';
  wb.created = meta.producedAt;
  wb.modified = meta.producedAt;
  for (const t of report.tables) {
    const ws = wb.addWorksheet(t.name, {
      pageSetup: {
        paperSize: 9, // A4
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        horizontalCentered: true,
        margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      },
      headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
    });
    fitColumns(ws, t);
    widenForHeading(ws, meta, t.headers.length);
    addHeading(ws, meta, Math.max(t.headers.length, 2));
    const headerRow = addTable(ws, t);
    ws.views = [{ state: 'frozen', ySplit: headerRow, xSplit: 0, topLeftCell: `A${headerRow + 1}`, activeCell: `A${headerRow + 1}` }];
    ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
