/**
 * The responsibility map (issue 18 §1) through the HTTP API: appointments and departures recorded
 * and never overwritten, audited; who may record them; the map on a date; and the suggested
 * parties of the 一案双查 reviews, read from the map as it stood when the facts happened.
 */
import { withOrgChart } from '../helpers/fixtures';
import { driver, expectProblem, type Driver, type View } from '../helpers/drive';
import { startTestSystem, type TestSystem } from '../helpers/system';

let sys: TestSystem;
let d: Driver;

const POSTS = '/api/v1/responsibility/posts';

beforeAll(async () => {
  sys = await startTestSystem({ workers: true });
  await withOrgChart(sys);
  d = driver(sys);
}, 120_000);

afterAll(async () => {
  await sys.stop();
}, 60_000);

async function appoint(body: Record<string, unknown>, user = 'head1'): Promise<View> {
  const res = await (await sys.as(user)).post(POSTS, body);
  if (res.status !== 201) throw new Error(`appoint → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function depart(id: string, body: Record<string, unknown>, user = 'head1') {
  return (await sys.as(user)).post(`${POSTS}/${id}/departure`, body);
}

describe('responsibility map', () => {
  let zhang: View;
  let sun: View;

  beforeAll(async () => {
    // 东岭镇: 张 secretary 2024-01-01..2025-06-30, then 钱; 冯 discipline head throughout.
    zhang = await appoint({ orgId: 'town-a', post: 'secretary', personId: 'p-zhang', personName: '张东', title: '东岭镇党委书记', from: '2024-01-01' });
    expect((await depart(zhang.id, { to: '2025-06-30', reason: '调任' })).status).toBe(200);
    await appoint({ orgId: 'town-a', post: 'secretary', personId: 'p-qian', personName: '钱南', title: '东岭镇党委书记', from: '2025-07-01' });
    await appoint({ orgId: 'town-a', post: 'disciplineHead', personId: 'p-feng', personName: '冯北', title: '东岭镇纪委书记', from: '2023-01-01' });
    // County members overseeing 东岭镇: 孙 until 2025-05-31, then 周.
    sun = await appoint({ orgId: 'county', post: 'member', personId: 'p-sun', personName: '孙西', title: '县委常委、组织部部长', portfolioOrgIds: ['town-a'], portfolioDepartments: ['组织部'], from: '2024-01-01' });
    expect((await depart(sun.id, { to: '2025-05-31' })).status).toBe(200);
    await appoint({ orgId: 'county', post: 'member', personId: 'p-zhou', personName: '周中', title: '县委常委、副县长', portfolioOrgIds: ['town-a', 'town-b'], from: '2025-06-01' });
  }, 60_000);

  it('when the map of a township is read on a date, then it names the holders of that date and the member overseeing it', async () => {
    const head = await sys.as('head1');
    const before = await head.get('/api/v1/responsibility/map?orgId=town-a&at=2025-03-10');
    expect(before.status).toBe(200);
    expect(before.body.secretary.personName).toBe('张东');
    expect(before.body.disciplineHead.personName).toBe('冯北');
    expect(before.body.overseenBy.map((p: View) => p.personName)).toEqual(['孙西']);
    const after = await head.get('/api/v1/responsibility/map?orgId=town-a&at=2025-08-01');
    expect(after.body.secretary.personName).toBe('钱南');
    expect(after.body.overseenBy.map((p: View) => p.personName)).toEqual(['周中']);
  });

  it('when a departure is recorded, then the appointment stays as recorded and both are events of the post’s audit chain', async () => {
    const read = await (await sys.as('head1')).get(`${POSTS}/${zhang.id}`);
    expect(read.body).toMatchObject({ from: '2024-01-01', to: '2025-06-30', appointedBy: 'head1', endedBy: 'head1', endReason: '调任', personName: '张东' });
    const chain = await sys.deps.store.audit.list(zhang.id);
    expect(chain.map((e) => [e.action, e.from, e.to])).toEqual([
      ['appoint', null, 'held'],
      ['depart', 'held', 'ended'],
    ]);
    expect((await sys.deps.store.verifyAudit()).ok).toBe(true);
  });

  it('when a departure is recorded a second time, then 409 and the first stays', async () => {
    const again = await depart(zhang.id, { to: '2025-12-31' });
    expectProblem(again, 409, 'command_not_allowed');
    expect((await sys.deps.store.duty.posts.get(zhang.id))!.to).toBe('2025-06-30');
  });

  it('when a second secretary is appointed over a term still running, then 400 on from and nothing is recorded', async () => {
    const before = (await sys.deps.store.duty.posts.list({ orgIds: ['town-a'] })).length;
    const res = await (await sys.as('head1')).post(POSTS, { orgId: 'town-a', post: 'secretary', personId: 'p-x', personName: '某甲', from: '2026-01-01' });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors[0].path).toBe('from');
    expect(res.body.errors[0].message).toContain('钱南');
    expect((await sys.deps.store.duty.posts.list({ orgIds: ['town-a'] })).length).toBe(before);
  });

  it('when the input is bad, then 400 names the field', async () => {
    const head = await sys.as('head1');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ orgId: 'town-b', post: 'chairman', personId: 'p-y', personName: '某乙', from: '2025-01-01' }, 'post'],
      [{ orgId: 'town-b', post: 'secretary', personId: 'p-y', personName: '某乙', from: '2025-02-30' }, 'from'],
      [{ orgId: 'town-b', post: 'secretary', personId: 'p-y', personName: '某乙', from: '2025-01-01', portfolioOrgIds: ['town-a'] }, 'portfolioOrgIds'],
      [{ orgId: 'town-b', post: 'member', personId: 'p-y', personName: '某乙', from: '2025-01-01', portfolioOrgIds: ['nowhere'] }, 'portfolioOrgIds.0'],
      [{ orgId: 'nowhere', post: 'member', personId: 'p-y', personName: '某乙', from: '2025-01-01' }, 'orgId'],
    ];
    for (const [body, path] of cases) {
      const res = await head.post(POSTS, body);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: View) => e.path)).toContain(path);
    }
    const dep = await depart(sun.id, { to: 'soon' });
    expectProblem(dep, 400, 'validation_failed');
    expect((await sys.deps.store.duty.posts.list({ orgIds: ['town-b'] })).length).toBe(0);
  });

  it('when a township user or an inspector records a county post, then 404 (out of scope) and 403 (role)', async () => {
    const body = { orgId: 'county', post: 'member', personId: 'p-z', personName: '某丙', from: '2025-01-01' };
    expectProblem(await (await sys.as('towninspector')).post(POSTS, body), 404, 'not_found');
    expectProblem(await (await sys.as('inspector1')).post(POSTS, body), 403, 'forbidden', { reason: 'role' });
    expectProblem(await (await sys.as('towninspector')).get('/api/v1/responsibility/map?orgId=county&at=2025-01-01'), 404, 'not_found');
  });

  it('when a township user lists posts, then only the posts of the township are listed', async () => {
    const res = await (await sys.as('towninspector')).get(POSTS);
    expect(res.status).toBe(200);
    expect(new Set(res.body.items.map((p: View) => p.orgId))).toEqual(new Set(['town-a']));
  });

  describe('suggested parties of the 一案双查 reviews', () => {
    let primary: View;
    let supervision: View;

    beforeAll(async () => {
      const c = await d.register({ factsAt: '2025-03-10' });
      const opened = await d.openDualInvestigation(c.id);
      const byKind = Object.fromEntries(opened.dualInvestigation.reviews.map((r: View) => [r.kind, r.id]));
      primary = await d.reviewView(byKind.primary, 'inspector1');
      supervision = await d.reviewView(byKind.supervision, 'inspector1');
    }, 60_000);

    it('when the facts happened before the later appointments, then the primary review suggests the secretary and the overseeing member of that time', () => {
      expect(primary.suggestedParties.asOf).toBe('2025-03-10');
      expect(primary.suggestedParties.asOfSource).toBe('caseFactsAt');
      expect(primary.suggestedParties.parties.map((p: View) => [p.name, p.responsibility])).toEqual([
        ['张东', 'mainLeadership'],
        ['孙西', 'mainLeadership'],
      ]);
      expect(primary.suggestedParties.parties[0].basis).toContain('第一责任人');
      expect(primary.suggestedParties.parties[1].basis).toContain('分管云溪县东岭镇');
    });

    it('when the supervision review is read, then it suggests the discipline head', () => {
      expect(supervision.suggestedParties.parties.map((p: View) => [p.name, p.responsibility])).toEqual([['冯北', 'supervision']]);
    });

    it('when the inspector submits the suggested parties with an edit, then the findings keep them with their basis', async () => {
      await d.reviewCmd(primary.id, 'inspector1', { type: 'proposeStart', reason: '一案双查' });
      await d.approvePending('review', primary.id);
      const [secretary, member] = primary.suggestedParties.parties;
      const { postId: _a, ...first } = secretary;
      const { postId: _b, ...second } = member;
      const view = await d.reviewCmd(primary.id, 'inspector1', {
        type: 'submitFindings',
        responsibilityFound: true,
        parties: [first, { ...second, responsibility: 'importantLeadership' }],
        proposedMeasures: [{ target: 'p-zhang', measure: 'admonishment' }],
      });
      expect(view.pendingApproval.payload.parties).toEqual([first, { ...second, responsibility: 'importantLeadership' }]);
      const approved = await d.approvePending('review', primary.id);
      expect(approved.findings.parties.map((p: View) => [p.name, p.basis])).toEqual([
        ['张东', first.basis],
        ['孙西', second.basis],
      ]);
    });
  });
});
