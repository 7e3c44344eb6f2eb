/**
 * The report workbook (services/reports/xlsx.ts): a row with wrapped text is made as tall as its
 * lines, since spreadsheet programs print wrapped lines over the next row otherwise (seen in
 * LibreOffice's PDF of the case ledger).
 */
import ExcelJS from 'exceljs';
import { toXlsx } from '../../../services/reports/xlsx';

const meta = { title: '案件台账', commission: '云溪县纪委监委', produced: '2026年4月10日', producedAt: new Date('2026-04-10T02:00:00Z') };

async function sheetOf(rows: Array<Array<string | number | null>>) {
  const buffer = await toXlsx({ meta, tables: [{ name: '案件台账', headers: ['序号', '标题', '状态'], rows, wrap: [1], widths: [6, 12, 10] }] });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as never);
  return wb.worksheets[0];
}

describe('report workbook rows', () => {
  it('when a wrapped cell needs three lines, then its row is three lines tall; a one-line row keeps the default height', async () => {
    const sheet = await sheetOf([
      [1, '反映东岭镇某干部违规收受礼金问题', '已结案'], // 32 display columns in an 11-wide column: 3 lines
      [2, '短标题', '已结案'],
    ]);
    const header = (sheet.views[0] as { ySplit: number }).ySplit;
    expect(sheet.getRow(header + 1).height).toBe(15 * 3 + 3);
    expect(sheet.getRow(header + 2).height ?? 15).toBeLessThanOrEqual(15);
  });

  it('when the long text is in a column that does not wrap, then the row is not made taller', async () => {
    const sheet = await sheetOf([[1, '短标题', '线索登记·待处置线索登记·待处置']]);
    const header = (sheet.views[0] as { ySplit: number }).ySplit;
    expect(sheet.getRow(header + 1).height ?? 15).toBeLessThanOrEqual(15);
  });
});
