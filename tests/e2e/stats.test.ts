import ExcelJS from 'exceljs';
import { clue, command, withOrgChart } from '../helpers/fixtures';
import { eventually, startTestSystem, type TestSystem } from '../helpers/system';
import { approveAll } from '../helpers/drive';

/**
 * A fixed data set built through the API with a settable clock:
 *  - case A, decided 2026-03-31 23:00 CST: p-a1 (乡科级, town-a) partyWarning + removalFromPartyPost
 *    → one person-time at form 3; p-a2 (一般干部, county) govWarning → form 2. Form 3 opens 一案双查:
 *    the primary review finds responsibility (p-lead admonishment → form 1, decided 2026-04-10),
 *    the supervision review is exempted (容错).
 *  - case B, first form 2026-03-15: p-b (一般干部, town-b) criticismEducation → form 1.
 *  - case C, decided 2026-04-01 00:30 CST (the next quarter): p-c (县处级, county) expulsion with
 *    judicial transfer → form 4.
 */
let sys: TestSystem;
let now = new Date('2026-03-01T02:00:00Z');
const at = (iso: string) => (now = new Date(iso));

const cmd = (id: string, user: string, body: Record<string, unknown>) => command(sys, user, `/api/v1/cases/${id}/commands`, body);
const rcmd = (id: string, user: string, body: Record<string, unknown>) => command(sys, user, `/api/v1/reviews/${id}/commands`, body);
const meeting = { ref: '常委会〔2026〕1号', attendees: ['committee1'], dissent: [] };
const subject = (personId: string, rank: string, orgId: string) => ({ name: `某${personId}`, personId, position: '干部', rank, orgId, partyMember: true });

async function register(subjects: object[], receivedAt: string): Promise<string> {
  const res = await (await sys.as('registrar1')).post('/api/v1/cases', clue({ subjects, receivedAt }));
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body.id;
}

async function decide(id: string, measures: object[], judicialTransfer: boolean, decidedAt: string) {
  await cmd(id, 'manager1', { type: 'assign', inspectorIds: ['inspector1'] });
  await cmd(id, 'inspector1', { type: 'proposeDisposition', method: 'preliminaryVerification', reason: '初核' });
  await cmd(id, 'head1', { type: 'approve' });
  await cmd(id, 'inspector1', { type: 'submitVerificationReport', recommendation: 'file', findings: '属实' });
  await cmd(id, 'head1', { type: 'approve' });
  await cmd(id, 'secretary1', { type: 'approve' });
  await cmd(id, 'inspector1', { type: 'submitInvestigationReport', findings: '查明', proposedMeasures: measures });
  await cmd(id, 'supervisor1', { type: 'assignTrialReviewers', userIds: ['reviewer1', 'reviewer2'] });
  await cmd(id, 'reviewer1', { type: 'proposeDecision', measures, judicialTransfer, reason: '审理' });
  await cmd(id, 'head1', { type: 'approve' });
  at(decidedAt);
  await cmd(id, 'committee1', { type: 'approve', meeting });
}

beforeAll(async () => {
  sys = await startTestSystem({ workers: true, clock: () => now });
  await withOrgChart(sys);

  at('2026-03-02T02:00:00Z');
  const a = await register([subject('p-a1', 'townshipChief', 'town-a'), subject('p-a2', 'staff', 'county')], '2026-03-01');
  const b = await register([subject('p-b', 'staff', 'town-b')], '2026-03-01');
  const c = await register([subject('p-c', 'countyDeputy', 'county')], '2026-03-01');

  await decide(a, [{ personId: 'p-a1', measure: 'partyWarning' }, { personId: 'p-a1', measure: 'removalFromPartyPost' }, { personId: 'p-a2', measure: 'govWarning' }], false, '2026-03-31T15:00:00Z');

  at('2026-03-10T02:00:00Z');
  await cmd(b, 'manager1', { type: 'assign', inspectorIds: ['inspector1'] });
  await cmd(b, 'inspector1', { type: 'proposeDisposition', method: 'talkInquiry', reason: '函询' });
  await cmd(b, 'supervisor1', { type: 'approve' });
  await cmd(b, 'inspector1', { type: 'recordReply', summary: '说明', receivedAt: '2026-03-12' });
  await cmd(b, 'inspector1', { type: 'proposeInquiryOutcome', outcome: 'firstForm', measures: [{ personId: 'p-b', measure: 'criticismEducation' }], reason: '轻微' });
  at('2026-03-15T02:00:00Z');
  await cmd(b, 'supervisor1', { type: 'approve' });

  await decide(c, [{ personId: 'p-c', measure: 'expulsion' }], true, '2026-03-31T16:30:00Z');

  // 一案双查 of case A: the workers open both reviews (case C's judicial transfer opens two more).
  const reviews = await eventually(async () => {
    const r = (await (await sys.as('head1')).get(`/api/v1/reviews?caseId=${a}`)).body;
    return r.total === 2 ? (r.items as Array<{ id: string; kind: string }>) : null;
  });
  at('2026-04-05T02:00:00Z');
  const primary = reviews.find((r) => r.kind === 'primary')!.id;
  const supervision = reviews.find((r) => r.kind === 'supervision')!.id;
  // Each proposal is approved down the whole chain its view reports (a township's committee: the county's secretary too).
  await approveAll(rcmd, await rcmd(primary, 'inspector1', { type: 'proposeStart', reason: '倒查主体责任' }));
  const primaryFindings = await rcmd(primary, 'inspector2', {
    type: 'submitFindings',
    responsibilityFound: true,
    parties: [{ name: '镇党委书记', personId: 'p-lead', position: '党委书记', responsibility: 'mainLeadership' }],
    proposedMeasures: [{ target: 'p-lead', measure: 'admonishment' }],
  });
  at('2026-04-10T02:00:00Z');
  await approveAll(rcmd, primaryFindings);
  await approveAll(rcmd, await rcmd(supervision, 'inspector1', { type: 'proposeStart', reason: '倒查监督责任' }));
  const supervisionFindings = await rcmd(supervision, 'inspector2', {
    type: 'submitFindings',
    responsibilityFound: true,
    exemption: 'reformExploration',
    parties: [{ name: '镇纪委书记', personId: 'p-jw', position: '纪委书记', responsibility: 'supervision' }],
    proposedMeasures: [],
  });
  await approveAll(rcmd, supervisionFindings);
}, 120_000);

afterAll(async () => sys.stop());

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbook(body: unknown): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as any);
  return wb;
}

/** The row of the table's headings: the last frozen row. */
function headerRow(sheet: ExcelJS.Worksheet): number {
  const view = sheet.views[0] as { state?: string; ySplit?: number };
  expect(view.state).toBe('frozen');
  return view.ySplit!;
}

const get = async (user: string, url: string, accept?: string) => {
  const agent = await sys.as(user);
  const req = agent.get(url);
  if (accept) req.set('accept', accept).buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (d: Buffer) => chunks.push(d));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  return req;
};

describe('statistics', () => {
  describe('GET /api/v1/stats/four-forms', () => {
    it('when the first quarter is asked, then each person counts once at their most severe form and the bulletin sentence is filled in', async () => {
      const r = (await get('head1', '/api/v1/stats/four-forms?from=2026-01-01&to=2026-03-31&orgId=county')).body;
      expect(r.total).toBe(3);
      expect(r.forms).toEqual([
        { form: 1, personTimes: 1, percent: 33.3 },
        { form: 2, personTimes: 1, percent: 33.3 },
        { form: 3, personTimes: 1, percent: 33.3 },
        { form: 4, personTimes: 0, percent: 0 },
      ]);
      expect(r.sentence).toBe(
        '运用"四种形态"批评教育帮助和处理共3人次。其中，运用第一种形态批评教育帮助1人次，占总人次的33.3%；运用第二种形态处理1人次，占33.3%；运用第三种形态处理1人次，占33.3%；运用第四种形态处理0人次，占0%。',
      );
      expect(r.byRank.find((b: any) => b.label === '乡科级')).toMatchObject({ total: 1, forms: { 3: 1 } });
      expect(r.byRank.find((b: any) => b.label === '一般干部')).toMatchObject({ total: 2, forms: { 1: 1, 2: 1 } });
      expect(r.byOrgLevel.find((b: any) => b.level === 'township')).toMatchObject({ total: 2 });
      expect(r.byOrgLevel.find((b: any) => b.level === 'county')).toMatchObject({ total: 1 });
    });

    it('when the whole year is asked, then the judicial transfer (form 4, the next quarter) and the review measure count too', async () => {
      const r = (await get('head1', '/api/v1/stats/four-forms?from=2026-01-01&to=2026-12-31')).body;
      expect(r.total).toBe(5);
      expect(r.forms.map((f: any) => f.personTimes)).toEqual([2, 1, 1, 1]);
      expect(r.forms.map((f: any) => f.percent)).toEqual([40, 20, 20, 20]);
      const q2 = (await get('head1', '/api/v1/stats/four-forms?from=2026-04-01&to=2026-06-30')).body;
      expect(q2.forms.map((f: any) => f.personTimes)).toEqual([1, 0, 0, 1]);
    });

    it('when the period is empty, then every figure is zero and the sentence is still valid', async () => {
      const r = (await get('head1', '/api/v1/stats/four-forms?from=2025-01-01&to=2025-12-31')).body;
      expect(r.total).toBe(0);
      expect(r.sentence).toBe('运用"四种形态"批评教育帮助和处理共0人次。其中，运用第一种形态批评教育帮助0人次，占总人次的0%；运用第二种形态处理0人次，占0%；运用第三种形态处理0人次，占0%；运用第四种形态处理0人次，占0%。');
    });

    it('when a township user asks, then only their subtree counts', async () => {
      const r = (await get('towninspector', '/api/v1/stats/four-forms?from=2026-01-01&to=2026-12-31')).body;
      expect(r.orgId).toBe('town-a');
      expect(r.total).toBe(1);
    });

    it('when the dates are bad or the org is outside the scope, then 400 or 404', async () => {
      expect((await get('head1', '/api/v1/stats/four-forms?from=2026-13-01')).status).toBe(400);
      expect((await get('head1', '/api/v1/stats/four-forms?from=2026-05-01&to=2026-04-01')).status).toBe(400);
      expect((await get('towninspector', '/api/v1/stats/four-forms?orgId=county')).status).toBe(404);
      expect((await get('head1', '/api/v1/stats/four-forms?orgId=nowhere')).status).toBe(404);
    });

    it('when CSV or Excel is asked, then they parse back to the same numbers', async () => {
      const json = (await get('head1', '/api/v1/stats/four-forms?from=2026-01-01&to=2026-12-31')).body;
      const csv = await get('head1', '/api/v1/stats/four-forms?from=2026-01-01&to=2026-12-31', 'text/csv');
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = (csv.body as Buffer).toString('utf8').replace(/^\uFEFF/, '').split('\r\n');
      const at = lines.indexOf('[四种形态]');
      expect(lines[at + 1]).toBe('形态,人次,占总人次比例(%)');
      expect(lines.slice(at + 2, at + 7).map((l) => l.split(',').slice(1).map(Number))).toEqual([
        ...json.forms.map((f: any) => [f.personTimes, f.percent]),
        [json.total, 100],
      ]);
      const xlsx = await get('head1', '/api/v1/stats/four-forms?from=2026-01-01&to=2026-12-31', XLSX);
      const sheet = (await workbook(xlsx.body)).getWorksheet('四种形态')!;
      const header = headerRow(sheet);
      expect(sheet.getRow(header).values).toEqual([undefined, '形态', '人次', '占总人次比例(%)']);
      const rows = [1, 2, 3, 4].map((i) => [sheet.getRow(header + i).getCell(2).value, sheet.getRow(header + i).getCell(3).value]);
      expect(rows).toEqual(json.forms.map((f: any) => [f.personTimes, f.percent]));
    });
  });

  describe('GET /api/v1/stats/dual-investigation', () => {
    it('when asked for the year, then triggered cases, reviews by kind, responsibility and the exemption are counted', async () => {
      const r = (await get('head1', '/api/v1/stats/dual-investigation?from=2026-01-01&to=2026-12-31')).body;
      expect(r.triggered).toBe(2);
      expect(r.reviews).toEqual([
        // The primary review is decided and awaits execution: not concluded yet.
        { kind: 'primary', label: '主体责任', opened: 2, concluded: 0, responsibilityFound: 1, exempted: 0, noResponsibility: 0 },
        { kind: 'supervision', label: '监督责任', opened: 2, concluded: 1, responsibilityFound: 0, exempted: 1, noResponsibility: 0 },
      ]);
      expect(r.measures).toEqual([{ measure: 'admonishment', count: 1 }]);
      expect(typeof r.medianDaysToOpen).toBe('number');
      expect(r.medianDaysToConclude).toBeGreaterThan(0);
    });
  });

  describe('GET /api/v1/stats/deadlines', () => {
    it('when asked, then deadlines are counted by status and key, and the Excel export parses back', async () => {
      const url = '/api/v1/stats/deadlines?from=2026-01-01&to=2026-12-31';
      // The deadline workers may still be taking the steps the moved clock made due (open → overdue):
      // the export is compared with counts that did not change from before it to after it.
      const [r, xlsx] = await eventually(async () => {
        const before = (await get('head1', url)).body;
        const exported = await get('head1', url, XLSX);
        const after = (await get('head1', url)).body;
        return JSON.stringify(after.totals) === JSON.stringify(before.totals) ? ([before, exported] as const) : null;
      });
      expect(r.totals.total).toBe(r.totals.open + r.totals.overdue + r.totals.metOnTime + r.totals.metLate);
      const clueKey = r.byKey.find((k: any) => k.key === 'clue.disposition');
      expect(clueKey).toMatchObject({ label: '问题线索处置意见', total: 3, metOnTime: 3 });
      const sheet = (await workbook(xlsx.body)).getWorksheet('按时限')!;
      const total = sheet.getRow(sheet.rowCount).values as unknown[];
      expect(total.slice(1)).toEqual(['合计', r.totals.total, r.totals.open, r.totals.overdue, r.totals.metOnTime, r.totals.metLate]);
    });
  });

  describe('downloads a commission submits as they are', () => {
    it('when the four-forms workbook is downloaded by link, then it has the heading block, borders, right-aligned figures, frozen headings and A4 landscape', async () => {
      const res = await get('head1', '/api/v1/stats/four-forms?from=2026-01-01&to=2026-03-31&orgId=county&format=xlsx', '*/*');
      expect(res.headers['content-type']).toBe(XLSX);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename=.*filename\*=UTF-8''/);
      const json = (await get('head1', '/api/v1/stats/four-forms?from=2026-01-01&to=2026-03-31&orgId=county')).body;
      const wb = await workbook(res.body);
      expect(wb.title).toBe('运用监督执纪“四种形态”情况统计表');
      expect(wb.company).toBe('云溪县纪委监委');
      expect(wb.subject).toBe('统计期间：2026年1月1日至2026年3月31日');
      expect(wb.description).toBe(json.sentence);
      // Produced on the system's (settable) clock: 2026-04-10 in China.
      expect(wb.created?.toISOString()).toBe(now.toISOString());
      expect(wb.worksheets.map((w) => w.name)).toEqual(['四种形态', '按职级', '按层级']);

      const sheet = wb.getWorksheet('按职级')!;
      const header = headerRow(sheet);
      expect(sheet.getCell('A1').value).toBe('运用监督执纪“四种形态”情况统计表');
      expect(sheet.getCell('A2').value).toBe('填报单位：云溪县纪委监委');
      expect(sheet.getCell('A3').value).toBe('统计期间：2026年1月1日至2026年3月31日');
      expect(sheet.getCell('A4').value).toBe('制表日期：2026年4月10日');
      expect(sheet.getCell('A5').value).toBe(json.sentence);
      expect(sheet.getRow(header).values).toEqual([undefined, '职级', '合计', '第一种形态', '第二种形态', '第三种形态', '第四种形态']);
      expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${header}:${header}` });

      const last = sheet.rowCount;
      expect(sheet.getRow(last).values).toEqual([undefined, '合计', json.total, ...[1, 2, 3, 4].map((f) => json.forms[f - 1].personTimes)]);
      expect(sheet.getRow(last).getCell(1).font?.bold).toBe(true);
      for (let r = header; r <= last; r++) {
        for (let c = 1; c <= 6; c++) {
          const cell = sheet.getRow(r).getCell(c);
          expect(cell.border?.top?.style).toBe('thin');
          expect(cell.border?.right?.style).toBe('thin');
          // Figures and their headings right-aligned, the names left.
          expect(cell.alignment?.horizontal).toBe(c === 1 ? 'left' : 'right');
        }
      }
      const names = Array.from({ length: last - header - 1 }, (_, i) => sheet.getRow(header + 1 + i).getCell(1).value);
      expect(names).toEqual(['省部级', '厅局级', '县处级', '乡科级', '一般干部', '其他']);
    });

    it('when the 一案双查 and deadline reports are downloaded, then units, measures and clocks have their Chinese names, never their codes', async () => {
      const codes = /^(?:[a-z]+[A-Z][A-Za-z]*|[a-z]+\.[a-z][A-Za-z]*|county|town-[a-c]|primary|supervision)$/;
      for (const report of ['dual-investigation', 'deadlines']) {
        const wb = await workbook((await get('head1', `/api/v1/stats/${report}?from=2026-01-01&to=2026-12-31&format=xlsx`, '*/*')).body);
        const cells: string[] = [];
        wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => void (typeof cell.value === 'string' && cells.push(cell.value)))));
        expect(cells.filter((c) => codes.test(c))).toEqual([]);
      }
      const dual = await workbook((await get('head1', '/api/v1/stats/dual-investigation?from=2026-01-01&to=2026-12-31&format=xlsx', '*/*')).body);
      expect(dual.description).toBe('启动“一案双查”案件2件，开展问责调查4项，办结1项；认定有责任1项，免予问责1项；采取问责措施1人次。');
      const measures = dual.getWorksheet('问责方式')!;
      const mh = headerRow(measures);
      expect(measures.getRow(mh + 1).values).toEqual([undefined, '诫勉', 1]);
      expect(measures.getRow(mh + 2).values).toEqual([undefined, '合计', 1]);
      const kinds = dual.getWorksheet('一案双查')!;
      const kh = headerRow(kinds);
      expect([1, 2, 3].map((i) => kinds.getRow(kh + i).getCell(1).value)).toEqual(['主体责任', '监督责任', '合计']);
      expect(kinds.getRow(kh + 3).getCell(2).value).toBe(4);

      const r = (await get('head1', '/api/v1/stats/deadlines?from=2026-01-01&to=2026-12-31')).body;
      const deadlines = await workbook((await get('head1', '/api/v1/stats/deadlines?from=2026-01-01&to=2026-12-31&format=xlsx', '*/*')).body);
      const byOrg = deadlines.getWorksheet('按单位')!;
      const oh = headerRow(byOrg);
      const units = Array.from({ length: byOrg.rowCount - oh }, (_, i) => byOrg.getRow(oh + 1 + i).getCell(1).value);
      expect(units).toContain('青山市云溪县');
      expect(units[units.length - 1]).toBe('合计');
      expect(byOrg.getRow(byOrg.rowCount).getCell(2).value).toBe(r.totals.total);
      const byKey = deadlines.getWorksheet('按时限')!;
      expect(byKey.getRow(headerRow(byKey) + 1).getCell(1).value).toMatch(/[\u4e00-\u9fff]/);
    });

    it('when CSV is asked by ?format=csv, then it opens with the title, the commission, the period, the date and the sentence', async () => {
      const res = await get('head1', '/api/v1/stats/four-forms?from=2026-01-01&to=2026-03-31&orgId=county&format=csv', '*/*');
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      const lines = (res.body as Buffer).toString('utf8').replace(/^\uFEFF/, '').split('\r\n');
      expect(lines.slice(0, 4)).toEqual(['运用监督执纪“四种形态”情况统计表', '填报单位,云溪县纪委监委', '统计期间,2026年1月1日至2026年3月31日', '制表日期,2026年4月10日']);
      expect(lines[4]).toMatch(/^说明,"运用""四种形态""批评教育帮助和处理共3人次。/);
      expect(lines).toContain('合计,3,100');
      expect(lines).toContain('合计,3,1,1,1,0');
    });

    it('when ?format=json is given with an Accept for CSV, then the format wins; an unknown format is a 400', async () => {
      const res = await get('head1', '/api/v1/stats/four-forms?format=json', 'text/csv');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect((await get('head1', '/api/v1/stats/four-forms?format=pdf')).status).toBe(400);
    });
  });
});
