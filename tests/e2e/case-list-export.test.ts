/**
 * 问题线索台账 / 案件台账 downloads (issue 16): `GET /api/v1/cases?format=csv|xlsx` (or the Accept
 * header) answers every case the list shows for the same filters, across all its pages, in the
 * list's order, with Chinese names for every id and code, the report heading block, a 合计 row and
 * the print set-up of the statistics reports; scope and recusal exactly as the list.
 */
import ExcelJS from 'exceljs';
import { caseLedger } from '../../services/cases/ledger';
import { DEMO_USERS } from '../../services/demo/org-chart';
import { startListSystem } from '../helpers/fixtures';
import { driver, expectProblem, type Driver, type View } from '../helpers/drive';
import { todayCst } from '../helpers/dates';
import { eventually, type TestSystem } from '../helpers/system';

let sys: TestSystem;
let d: Driver;

/** The org these tests register into (and one below it), so that their filters see only their own cases. */
const ORG = 'ledger-town';
const VILLAGE = 'ledger-village';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADERS = ['序号', '编号', '标题', '被反映人', '线索来源', '收到日期', '所涉单位', '承办机关', '办理状态', '承办人员', '在办时限', '最近到期', '时限状态'];
/** What a code or an id looks like (camelCase, dotted states, org and user ids): never in a download. */
const CODE = /^(?:[a-z]+[A-Z][A-Za-z]*|[a-z]+\.[a-z][A-Za-z]*|county|city|town-[a-c]|ledger-(?:town|village)|[a-z]+\d+)$/;

const c: Record<'plain' | 'assigned' | 'investigation' | 'awaiting' | 'village' | 'recused', View> = {} as never;

beforeAll(async () => {
  // The reply clock runs out after a second, so that an overdue clock can be listed.
  sys = await startListSystem({ id: ORG, name: '云溪县台账镇' });
  const admin = await sys.as('admin');
  expect((await admin.post('/api/v1/orgs', { id: VILLAGE, name: '台账镇某村', level: 'village', parentId: ORG })).status).toBe(201);
  d = driver(sys);
  let n = 0;
  const inOrg = (title: string, orgId = ORG) => ({ clue: { orgId, receivedAt: todayCst(), title, subjects: [{ name: '钱某某', personId: `p-ledger-${++n}`, position: '干部', rank: 'staff', orgId, partyMember: true }] } });
  // One at a time: the list's order (latest change first) is then the reverse of this.
  c.plain = await d.caseIn('registered', inOrg('台账测试 Ledger-Probe 甲'));
  c.assigned = await d.caseIn('registered', inOrg('台账测试 乙')).then((v) => d.caseCmd(v.id, 'manager1', { type: 'assign', inspectorIds: ['inspector2'] }) as Promise<View>);
  c.investigation = await d.caseIn('investigation.inProgress', inOrg('台账测试 丙'));
  c.awaiting = await d.caseIn('talkInquiry.awaitingReply', inOrg('台账测试 丁'));
  c.village = await d.caseIn('registered', inOrg('台账测试 戊', VILLAGE));
  c.recused = await d.caseIn('registered', inOrg('台账测试 己 回避'));
  await d.caseCmd(c.recused.id, 'supervisor1', { type: 'recuse', userId: 'inspector2', relation: 'witness', reason: '系证人' });
  // The reply clock of 丁 runs out (the workers mark it overdue).
  await eventually(async () => ((await get('registrar1', `/api/v1/cases?orgId=${ORG}&overdue=true`)).body.total === 1 ? true : null), 20_000);
  // …and 丁 has recorded it (deadline.reached is a command of the system's: a change that moves 丁 to
  // the top of the list). Until then the list's order could change between two pages of a test.
  await eventually(async () => ((await d.caseView(c.awaiting.id, 'registrar1')).version > c.awaiting.version ? true : null), 20_000);
}, 180_000);

afterAll(async () => {
  await sys.stop();
}, 60_000);

type Res = { status: number; headers: Record<string, string>; body: any };
const get = async (user: string, path: string): Promise<Res> => (await sys.as(user)).get(path);

/** A download, as bytes (supertest parses neither CSV nor Excel by itself). */
async function download(user: string, path: string, accept = '*/*'): Promise<Res> {
  return (await sys.as(user))
    .get(path)
    .set('accept', accept)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

/** Every page of the JSON list for `query`, two at a time: the case numbers in the list's order. */
async function listed(user: string, query: string): Promise<string[]> {
  const numbers: string[] = [];
  for (let page = 1; ; page++) {
    const res = await get(user, `/api/v1/cases?${query}&pageSize=2&page=${page}`);
    expect(res.status).toBe(200);
    numbers.push(...(res.body.items as View[]).map((v) => v.number as string));
    if (numbers.length >= res.body.total || res.body.items.length === 0) return numbers;
  }
}

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as never);
  return wb;
}

interface Sheet {
  sheet: ExcelJS.Worksheet;
  header: number;
  /** The data rows (without the 合计 row), as cell texts from column 1. */
  rows: string[][];
  total: string[];
}

function readSheet(wb: ExcelJS.Workbook): Sheet {
  expect(wb.worksheets).toHaveLength(1);
  const sheet = wb.worksheets[0];
  const view = sheet.views[0] as { state?: string; ySplit?: number };
  expect(view.state).toBe('frozen');
  const header = view.ySplit!;
  const text = (r: number) => HEADERS.map((_, i) => String(sheet.getRow(r).getCell(i + 1).value ?? ''));
  const rows = Array.from({ length: sheet.rowCount - header - 1 }, (_, i) => text(header + 1 + i));
  return { sheet, header, rows, total: text(sheet.rowCount) };
}

/** RFC 4180 CSV (quotes doubled), as the report writer writes it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted) {
      if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      endCell();
    } else if (ch === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else {
      cell += ch;
    }
  }
  row.push(cell);
  rows.push(row);
  return rows;
}

/** The CSV's heading lines (label → text) and the table rows (without the 合计 row). */
function readCsv(body: Buffer): { title: string; heading: Map<string, string>; rows: string[][]; total: string[] } {
  const text = body.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const lines = parseCsv(text.slice(1));
  const headerAt = lines.findIndex((l) => l.join(',') === HEADERS.join(','));
  expect(headerAt).toBeGreaterThan(0);
  const end = lines.findIndex((l, i) => i > headerAt && l.length === 1 && l[0] === '');
  const table = lines.slice(headerAt + 1, end);
  return {
    title: lines[0][0],
    heading: new Map(lines.slice(1, headerAt).filter((l) => l.length === 2).map((l) => [l[0], l[1]] as [string, string])),
    rows: table.slice(0, -1),
    total: table[table.length - 1],
  };
}

describe('GET /api/v1/cases as a download (问题线索台账 / 案件台账)', () => {
  const FILTERS: Array<[string, string]> = [
    ['org subtree', `orgId=${ORG}`],
    ['a village below', `orgId=${VILLAGE}`],
    ['state prefix', `orgId=${ORG}&state=registered`],
    ['a sub-state', `orgId=${ORG}&state=talkInquiry.awaitingReply`],
    ['assignee', `orgId=${ORG}&assignee=inspector2`],
    ['overdue', `orgId=${ORG}&overdue=true`],
    ['text', 'q=ledger-probe'],
    ['nothing matches', 'q=no-such-words-anywhere'],
  ];

  it.each(FILTERS)('when filtered by %s, then the XLSX and the CSV list exactly the cases of every page of the list, in its order', async (_, query) => {
    const expected = await listed('registrar1', query);
    const xlsx = await download('registrar1', `/api/v1/cases?${query}&format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe(XLSX);
    const sheet = readSheet(await workbook(xlsx.body));
    expect(sheet.rows.map((r) => r[1])).toEqual(expected);
    expect(sheet.rows.map((r) => r[0])).toEqual(expected.map((_, i) => String(i + 1)));
    expect(sheet.total.slice(0, 2)).toEqual(['合计', `${expected.length}件`]);

    const csv = await download('registrar1', `/api/v1/cases?${query}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const parsed = readCsv(csv.body);
    expect(parsed.rows.map((r) => r[1])).toEqual(expected);
    expect(parsed.rows).toEqual(sheet.rows);
    expect(parsed.total.slice(0, 2)).toEqual(['合计', `${expected.length}件`]);
  });

  it('when downloaded, then units, states, inspectors and clocks have their Chinese names and no cell holds a code or an id', async () => {
    const res = await download('registrar1', `/api/v1/cases?orgId=${ORG}&format=xlsx`);
    const wb = await workbook(res.body);
    const { rows, total } = readSheet(wb);
    const row = (v: View) => rows.find((r) => r[1] === v.number)!;
    const col = (name: string) => HEADERS.indexOf(name);

    expect(row(c.awaiting)[col('办理状态')]).toBe('谈话函询·待回复');
    expect(row(c.awaiting)[col('在办时限')]).toContain('函询回复');
    expect(row(c.awaiting)[col('时限状态')]).toMatch(/^(?:已超期|已督办上报)/);
    expect(row(c.assigned)[col('承办人员')]).toBe('陈静');
    // Every row names the inspectors the list gives as ids.
    const names = new Map(DEMO_USERS.map((u) => [u.id, u.name]));
    const items = (await get('registrar1', `/api/v1/cases?orgId=${ORG}&pageSize=50`)).body.items as Array<View & { assignees: string[] }>;
    expect(items).toHaveLength(6);
    for (const v of items) expect(row(v)[col('承办人员')]).toBe(v.assignees.map((id) => names.get(id)).join('、') || '未分办');
    expect(row(c.plain)[col('承办人员')]).toBe('未分办');
    expect(row(c.plain)[col('办理状态')]).toBe('线索登记·待处置');
    expect(row(c.plain)[col('在办时限')]).toMatch(/(?:^|；)问题线索处置意见（\d{4}-\d{2}-\d{2}到期）(?:；|$)/);
    expect(row(c.plain)[col('时限状态')]).toMatch(/^正常（剩\d+个工作日）$/);
    expect(row(c.plain)[col('最近到期')]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(row(c.plain)[col('在办时限')]).toContain(`（${row(c.plain)[col('最近到期')]}到期）`);
    expect(row(c.investigation)[col('办理状态')]).toBe('立案审查调查·调查中');
    expect(row(c.plain)[col('所涉单位')]).toBe('云溪县台账镇');
    expect(row(c.village)[col('所涉单位')]).toBe('台账镇某村');
    expect(row(c.plain)[col('承办机关')]).toBe('云溪县纪委监委');
    expect(row(c.plain)[col('被反映人')]).toBe('钱某某');
    expect(row(c.plain)[col('线索来源')]).toBe('信访举报');
    expect(row(c.plain)[col('收到日期')]).toBe(todayCst());
    expect(total[col('时限状态')]).toBe('已超期1件');

    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((cell) => void (typeof cell.value === 'string' && cells.push(cell.value)))));
    expect(cells.filter((cell) => CODE.test(cell))).toEqual([]);
    for (const v of Object.values(c)) expect(cells).not.toContain(v.id);
  });

  it('when downloaded, then the sheet has the heading block, the filters in Chinese, borders, frozen headings and A4 landscape fitted to the width', async () => {
    const res = await download('registrar1', `/api/v1/cases?orgId=${ORG}&state=registered&assignee=inspector2&q=%E5%8F%B0%E8%B4%A6&format=xlsx&ledger=clues`);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=.*filename\*=UTF-8''/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(res.headers['content-disposition'])![1])).toMatch(/^问题线索台账（\d{4}年\d{1,2}月\d{1,2}日）\.xlsx$/);
    const wb = await workbook(res.body);
    expect(wb.title).toBe('问题线索台账');
    expect(wb.company).toBe('云溪县纪委监委');
    const { sheet, header, rows, total } = readSheet(wb);
    expect(sheet.name).toBe('问题线索台账');
    expect(rows.map((r) => r[1])).toEqual([c.assigned.number]);
    const heading = Array.from({ length: header - 1 }, (_, i) => String(sheet.getRow(i + 1).getCell(1).value ?? ''));
    expect(heading[0]).toBe('问题线索台账');
    expect(heading[1]).toBe('填报单位：云溪县纪委监委');
    expect(heading).toContain('列表范围：云溪县纪委监委及下级纪检监察机关承办的问题线索（不含本人应当回避的）');
    expect(heading).toContain('筛选条件：办理状态为“线索登记·待处置”；所涉单位为云溪县台账镇及其下级单位；承办人员为陈静；编号、标题或被反映人含“台账”');
    expect(heading.find((l) => l.startsWith('制表日期：'))).toMatch(/^制表日期：\d{4}年\d{1,2}月\d{1,2}日$/);
    expect(heading).toContain('符合筛选条件的问题线索共1件，全部列入本表；其中有已超期办理时限的0件。');
    expect(sheet.getRow(header).values).toEqual([undefined, ...HEADERS]);
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${header}:${header}` });
    for (let r = header; r <= sheet.rowCount; r++) {
      for (let col = 1; col <= HEADERS.length; col++) {
        const cell = sheet.getRow(r).getCell(col);
        expect(cell.border?.top?.style).toBe('thin');
        expect(cell.border?.left?.style).toBe('thin');
      }
    }
    expect(total[0]).toBe('合计');
    expect(sheet.getRow(sheet.rowCount).getCell(1).font?.bold).toBe(true);

    const csv = readCsv((await download('registrar1', `/api/v1/cases?orgId=${ORG}&format=csv`)).body);
    expect(csv.title).toBe('案件台账');
    expect(csv.heading.get('填报单位')).toBe('云溪县纪委监委');
    expect(csv.heading.get('筛选条件')).toBe('所涉单位为云溪县台账镇及其下级单位');
    expect(csv.heading.get('说明')).toBe('符合筛选条件的问题线索和案件共6件，全部列入本表；其中有已超期办理时限的1件。');
  });

  it('when a user is recused from a case, then their download neither lists nor counts it; others see it', async () => {
    const mine = readSheet(await workbook((await download('inspector2', `/api/v1/cases?orgId=${ORG}&format=xlsx`)).body));
    expect(mine.rows.map((r) => r[1])).toEqual(await listed('inspector2', `orgId=${ORG}`));
    expect(mine.rows.map((r) => r[1])).not.toContain(c.recused.number);
    expect(mine.rows).toHaveLength(5);
    expect(mine.total[1]).toBe('5件');
    const theirs = readSheet(await workbook((await download('registrar1', `/api/v1/cases?orgId=${ORG}&format=xlsx`)).body));
    expect(theirs.rows.map((r) => r[1])).toContain(c.recused.number);
    expect(theirs.rows).toHaveLength(6);
  });

  it('when the caller’s scope is below the cases, then the download has none of them; an org out of scope answers 404', async () => {
    const town = readCsv((await download('towninspector', '/api/v1/cases?format=csv')).body);
    const numbers = town.rows.map((r) => r[1]);
    for (const v of Object.values(c)) expect(numbers).not.toContain(v.number);
    expect(numbers).toEqual(await listed('towninspector', 'format=json'));
    expectProblem(await get('towninspector', `/api/v1/cases?orgId=${ORG}&format=xlsx`), 404, 'not_found');
    // The city's head sees the county's cases.
    const city = readCsv((await download('cityhead', `/api/v1/cases?orgId=${ORG}&format=csv`)).body);
    expect(city.rows.map((r) => r[1]).sort()).toEqual(Object.values(c).map((v) => v.number as string).sort());
    expect(city.heading.get('填报单位')).toBe('青山市纪委监委');
  });

  it('when the Accept header asks for CSV or Excel, then that is the answer; format wins over Accept; JSON stays the default', async () => {
    const csv = await download('registrar1', `/api/v1/cases?orgId=${ORG}`, 'text/csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(readCsv(csv.body).rows).toHaveLength(6);
    const xlsx = await download('registrar1', `/api/v1/cases?orgId=${ORG}`, XLSX);
    expect(xlsx.headers['content-type']).toBe(XLSX);
    expect(readSheet(await workbook(xlsx.body)).rows).toHaveLength(6);
    const json = await get('registrar1', `/api/v1/cases?orgId=${ORG}&format=json`);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body.total).toBe(6);
    const forced = await download('registrar1', `/api/v1/cases?orgId=${ORG}&format=csv`, XLSX);
    expect(forced.headers['content-type']).toMatch(/^text\/csv/);
    expectProblem(await get('registrar1', '/api/v1/cases?format=pdf'), 400, 'validation_failed');
  });

  it('when the filters match more cases than a download holds, then the sheet lists the latest up to the cap and says so', async () => {
    const user = (await sys.deps.store.users.get('registrar1'))!;
    const { report } = await caseLedger(sys.deps, user, { orgId: ORG }, 'cases', 4);
    const table = report.tables[0];
    expect(table.rows).toHaveLength(5);
    expect(table.rows.slice(0, 4).map((r) => r[1])).toEqual((await listed('registrar1', `orgId=${ORG}`)).slice(0, 4));
    expect(table.rows[4].slice(0, 3)).toEqual(['合计', '4件', '符合条件共6件，本表列出4件']);
    expect(report.meta.sentence).toBe('符合筛选条件的问题线索和案件共6件，超过单次导出上限4件，本表仅列出最近有变动的4件；请缩小筛选范围后分批导出。');
  });
});
