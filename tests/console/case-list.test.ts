/**
 * 问题线索台账 / 案件台账 in the browser (issue 16): 下载报表 saves the API's ledger of the whole
 * filtered list (`GET /api/v1/cases?format=xlsx`, every page, the page's filters), fetched with the
 * bearer token in a header only; nothing breaks the CSP.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page, Request } from 'playwright-core';
import { clue, SUBJECT } from '../helpers/fixtures';
import { choose, shows, startConsole, type ConsoleHarness } from './browser';

let h: ConsoleHarness;
let page: Page;

beforeAll(async () => {
  h = await startConsole();
  page = (await h.as('head1')).page;
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

/** Clicks 下载报表 ▸ the format, and answers the saved file and the request that fetched it. */
async function download(format: 'xlsx' | 'csv'): Promise<{ name: string; bytes: Buffer; request: Request }> {
  const requests: Request[] = [];
  const seen = (r: Request) => (r.url().includes('/api/v1/cases?') && r.url().includes(`format=${format}`) ? requests.push(r) : undefined);
  page.on('request', seen);
  await page.getByTestId('download-cases').click();
  const item = page.getByTestId(`download-cases-${format}`);
  await item.waitFor();
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), item.click()]);
  page.off('request', seen);
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!), request: requests[0] };
}

describe('the console: 问题线索台账 / 案件台账 downloads', () => {
  it('when 下载报表 is used on a filtered list, then the API’s ledger of every page of that list is saved, the token in a header only', async () => {
    const registrar = await h.sys.as('registrar1');
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) numbers.push((await registrar.post('/api/v1/cases', clue({ title: `台账下载 ConsoleLedger ${i}` }))).body.number as string);

    // One case per page: the download still has all three.
    await page.goto(`${h.base}/console/cases?q=consoleledger&pageSize=1`);
    await shows(page, 'case-table');
    await page.getByTestId('case-table').getByText('台账下载 ConsoleLedger 2').waitFor();
    const { name, bytes, request } = await download('xlsx');
    expect(name).toMatch(/^案件台账（\d{4}年\d{1,2}月\d{1,2}日）\.xlsx$/);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const url = new URL(request.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: 'consoleledger', ledger: 'cases', format: 'xlsx' });
    const auth = (await request.allHeaders()).authorization;
    expect(auth).toMatch(/^Bearer /);
    expect(request.url()).not.toContain(auth.slice(7));

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as never);
    const sheet = wb.worksheets[0];
    const header = (sheet.views[0] as { ySplit: number }).ySplit;
    const listed = Array.from({ length: sheet.rowCount - header - 1 }, (_, i) => String(sheet.getRow(header + 1 + i).getCell(2).value));
    expect(listed.sort()).toEqual([...numbers].sort());
    expect(String(sheet.getCell('A1').value)).toBe('案件台账');
  }, 120_000);

  it('when downloaded from 问题线索台账, then the CSV is titled 问题线索台账', async () => {
    await page.goto(`${h.base}/console/clues?q=consoleledger`);
    await shows(page, 'case-table');
    const { name, bytes, request } = await download('csv');
    expect(name).toMatch(/^问题线索台账（.*）\.csv$/);
    expect(new URL(request.url()).searchParams.get('ledger')).toBe('clues');
    expect(bytes.toString('utf8').replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('问题线索台账');
  }, 60_000);

  it('when a unit is chosen in the 单位 filter, then the ledger lists only that unit’s cases and keeps the unit in the address, the title column having room', async () => {
    const registrar = await h.sys.as('registrar1');
    expect((await registrar.post('/api/v1/cases', clue({ title: '单位筛选 UnitFilter 县本级' }))).status).toBe(201);
    const township = clue({ title: '单位筛选 UnitFilter 西坪乡', orgId: 'town-b', handlingOrgId: 'town-b', subjects: [{ ...SUBJECT, personId: 'p-unit-filter', orgId: 'town-b' }] });
    expect((await registrar.post('/api/v1/cases', township)).status).toBe(201);

    await page.goto(`${h.base}/console/cases?q=unitfilter`);
    const table = page.getByTestId('case-table');
    await table.getByText('单位筛选 UnitFilter 县本级').waitFor();
    await table.getByText('单位筛选 UnitFilter 西坪乡').waitFor();
    // Beside a tree of units the title column once shrank to two characters a line.
    const titleCell = table.locator('tr', { hasText: '单位筛选 UnitFilter 县本级' }).locator('td').nth(1);
    expect(await titleCell.evaluate((td) => td.getBoundingClientRect().width)).toBeGreaterThan(160);

    await choose(page, 'filter-org', '云溪县西坪乡');
    await page.waitForURL((url) => url.searchParams.get('orgId') === 'town-b');
    await table.getByText('单位筛选 UnitFilter 县本级').waitFor({ state: 'detached' });
    expect(await table.getByText('单位筛选 UnitFilter 西坪乡').count()).toBe(1);
  }, 60_000);

  it('when these screens were used, then nothing broke the CSP or left the machine', () => {
    expect(h.problems).toEqual([]);
  });
});
