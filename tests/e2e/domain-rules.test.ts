/**
 * Domain rules of DOMAIN.md that the engine once broke (issue 17), through the HTTP API with the
 * real app, PGlite, Redis and workers: sanctions that fit the person, form 4 per person, recusal of
 * a review's parties, the reopened clue's clock, the handling commission (承办机关), appeals against
 * a standing-committee decision, and the limits on extensions.
 */
import { driver, expectProblem, MEETING, REVIEW_PARTY, type Driver, type View } from '../helpers/drive';
import { clue, SUBJECT, withOrgChart } from '../helpers/fixtures';
import { daysAgoCst } from '../helpers/dates';
import { eventually, startTestSystem, type TestSystem } from '../helpers/system';

let sys: TestSystem;
let d: Driver;

const NON_MEMBER = { name: '周某某', personId: 'p-zhou', position: '东岭镇聘用人员', rank: 'staff', orgId: 'town-a', partyMember: false };

async function createUser(user: { id: string; name: string; orgId: string; roles: string[]; personId?: string }): Promise<void> {
  const res = await (await sys.as('countyadmin')).post('/api/v1/users', user);
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  sys = await startTestSystem({ workers: true });
  await withOrgChart(sys);
  d = driver(sys);
  await createUser({ id: 'zhao', name: '赵书记', orgId: 'county', roles: ['inspector', 'supervisor'], personId: REVIEW_PARTY.personId });
  await createUser({ id: 'head2', name: '钱副书记', orgId: 'county', roles: ['commissionHead'] });
}, 120_000);

afterAll(async () => {
  await sys.stop();
});

const command = async (user: string, path: string, body: Record<string, unknown>) => (await sys.as(user)).post(path, body);

describe('domain rules over HTTP (issue 17)', () => {
  it('when a decision gives a party sanction to a non-party member, then 400 names the measure and the person and nothing changes', async () => {
    const c = await d.caseIn('trial.reviewing', { clue: { subjects: [SUBJECT, NON_MEMBER] } });
    const res = await command('reviewer1', `/api/v1/cases/${c.id}/commands`, {
      type: 'proposeDecision', measures: [{ personId: NON_MEMBER.personId, measure: 'partyWarning' }], judicialTransfer: false, reason: '事实清楚',
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([{ path: 'measures.0.measure', message: expect.stringContaining('周某某（p-zhou）不是党员') }]);
    expect((await d.caseView(c.id)).version).toBe(c.version);
    const ok = await d.caseCmd(c.id, 'reviewer1', {
      type: 'proposeDecision', measures: [{ personId: NON_MEMBER.personId, measure: 'govWarning' }], judicialTransfer: false, reason: '事实清楚',
    });
    expect(ok.state).toBe('trial.decisionReview');
  });

  it('when one of two subjects is transferred to the judicial organs, then only he is form 4 in the case and in the statistics', async () => {
    const stats = async () => (await (await sys.as('head1')).get('/api/v1/stats/four-forms?orgId=town-a')).body;
    const before = await stats();
    const second = { ...SUBJECT, name: '王某某', personId: 'p-wang-17' };
    const c = await d.caseIn('trial.reviewing', { clue: { subjects: [SUBJECT, second] } });
    const measures = [{ personId: SUBJECT.personId, measure: 'expulsion' }, { personId: second.personId, measure: 'partyWarning' }];
    const unnamed = await command('reviewer1', `/api/v1/cases/${c.id}/commands`, { type: 'proposeDecision', measures, judicialTransfer: true, reason: '涉嫌犯罪' });
    expectProblem(unnamed, 400, 'validation_failed');
    expect(unnamed.body.errors).toEqual([{ path: 'transferredPersonIds', message: expect.any(String) }]);
    await d.caseCmd(c.id, 'reviewer1', { type: 'proposeDecision', measures, judicialTransfer: true, transferredPersonIds: [SUBJECT.personId], reason: '涉嫌犯罪' });
    await d.caseCmd(c.id, 'head1', { type: 'approve' });
    const decided = await d.caseCmd(c.id, 'committee1', { type: 'approve', meeting: MEETING });
    const forms = decided.dispositions.map((x: View) => [x.personId, x.form]).sort((a: string[], b: string[]) => a[0].localeCompare(b[0]));
    expect(forms).toEqual([[SUBJECT.personId, 4], [second.personId, 2]]);
    const after = await stats();
    const delta = (form: number) => after.forms[form - 1].personTimes - before.forms[form - 1].personTimes;
    expect([delta(1), delta(2), delta(3), delta(4)]).toEqual([0, 1, 0, 1]);
  });

  it('when a leader is a party to a 问责 review, then he cannot read it (404), command it (403) or list it', async () => {
    const review = await d.reviewIn('findingApproval');
    const zhao = await sys.as('zhao');
    expectProblem(await zhao.get(`/api/v1/reviews/${review.id}`), 404, 'not_found');
    expectProblem(await zhao.post(`/api/v1/reviews/${review.id}/commands`, { type: 'reject', comment: '不同意' }), 403, 'forbidden', { reason: 'recusal' });
    const listed = await zhao.get(`/api/v1/reviews?caseId=${review.caseId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r: View) => r.id)).not.toContain(review.id);
    // The other review of the case does not name him: he still sees it.
    expect(listed.body.total).toBe(1);
    expect((await d.reviewView(review.id, 'inspector1')).id).toBe(review.id);
  });

  it('when a shelved clue is reopened, then its disposition clock counts from the reopening, not from receipt', async () => {
    const c = await d.caseIn('shelved', { clue: { receivedAt: daysAgoCst(20) } });
    const first = c.deadlines.find((x: View) => x.key === 'clue.disposition');
    expect(first.status).toBe('met');
    const reopened = await d.caseCmd(c.id, 'manager1', { type: 'reopen', reason: '发现新证据' });
    expect(reopened.state).toBe('registered');
    const open = reopened.deadlines.filter((x: View) => x.key === 'clue.disposition' && x.status === 'open');
    expect(open).toHaveLength(1);
    // A month from receipt would fall about ten days from now; a month from the reopening, about thirty.
    expect(Date.parse(open[0].dueAt)).toBeGreaterThan(Date.parse(first.dueAt) + 15 * 86_400_000);
    expect(Date.parse(open[0].dueAt)).toBeGreaterThan(Date.now() + 25 * 86_400_000);
    expect(reopened.flags).not.toContain('suppressionRisk');
  });

  it('when a clue on a township is handled by the county, then scope follows the county and the view names both', async () => {
    const c = await d.register({ orgId: 'town-a' });
    expect(c).toMatchObject({ orgId: 'town-a', handlingOrgId: 'county' });
    expectProblem(await (await sys.as('towninspector')).get(`/api/v1/cases/${c.id}`), 404, 'not_found');
    const listIds = async (user: string, query: string) => ((await (await sys.as(user)).get(`/api/v1/cases?${query}&pageSize=200`)).body.items as View[]).map((x) => x.id);
    // `orgId` narrows the county's list to clues registered on the township; the township does not see them.
    expect(await listIds('registrar1', 'orgId=town-a')).toContain(c.id);
    expect(await listIds('registrar1', 'orgId=town-b')).not.toContain(c.id);
    expect(await listIds('towninspector', 'state=registered')).not.toContain(c.id);
    const own = await (await sys.as('towninspector')).post('/api/v1/cases', clue({ orgId: 'town-a' }));
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ orgId: 'town-a', handlingOrgId: 'town-a' });
    const bad = await (await sys.as('registrar1')).post('/api/v1/cases', clue({ orgId: 'county', handlingOrgId: 'town-a' }));
    expectProblem(bad, 400, 'validation_failed');
    expect(bad.body.errors).toEqual([{ path: 'handlingOrgId', message: expect.any(String) }]);
  });

  it('when a clue concerns a 下一级党委主要负责人, then the commission above is told and lists it among reported clues', async () => {
    const leader = { ...SUBJECT, name: '孙书记', personId: 'p-sun', position: '东岭镇党委书记', rank: 'townshipChief', leadership: 'principal' };
    const c = await d.register({ orgId: 'town-a', subjects: [leader] });
    const plain = await d.register();
    expect(c.flags).toEqual(['reportedUpward']);
    const inbox = (await (await sys.as('cityhead')).get('/api/v1/inbox')).body;
    expect(inbox.notifications.filter((n: View) => n.aggregateId === c.id)).toEqual([
      expect.objectContaining({ kind: 'clueReportedUpward', title: expect.stringContaining('线索上报') }),
    ]);
    const listed = await (await sys.as('cityhead')).get('/api/v1/cases?flag=reportedUpward&pageSize=200');
    expect(listed.status).toBe(200);
    const ids = listed.body.items.map((x: View) => x.id);
    expect(ids).toContain(c.id);
    expect(ids).not.toContain(plain.id);
    const opened = await d.caseCmd(c.id, 'inspector1', { type: 'proposeDisposition', method: 'preliminaryVerification', reason: '可查性强' });
    expect(opened.pendingApproval.chain).toEqual(['commissionHead', 'partySecretary']);
  });

  it('when a clue on two subjects is split, then each has a case of his own, linked to the origin, for his own disposition', async () => {
    const second = { ...SUBJECT, name: '吴某某', personId: 'p-wu-17' };
    const c = await d.register({ subjects: [SUBJECT, second] });
    const origin = await d.caseCmd(c.id, 'manager1', { type: 'splitClue', personIds: [second.personId], reason: '二人问题性质不同，分别处置' });
    expect(origin.subjects.map((s: View) => s.personId)).toEqual([SUBJECT.personId]);
    const history = (await (await sys.as('auditor1')).get(`/api/v1/cases/${c.id}/history`)).body.items as View[];
    const splitInto = history.find((e) => e.action === 'splitInto');
    expect(splitInto?.detail).toMatchObject({ personIds: [second.personId] });
    const other = await d.caseView(splitInto!.detail.caseId);
    expect(other).toMatchObject({ state: 'registered', splitFrom: c.id, orgId: c.orgId, handlingOrgId: c.handlingOrgId, receivedAt: c.receivedAt });
    expect(other.subjects.map((s: View) => s.personId)).toEqual([second.personId]);
    // The same receipt, the same disposition clock; the reporter is told through the origin only.
    expect(other.deadlines.map((x: View) => [x.key, x.dueAt])).toEqual([['clue.disposition', c.deadlines.find((x: View) => x.key === 'clue.disposition').dueAt]]);
    await d.caseCmd(c.id, 'inspector1', { type: 'proposeDisposition', method: 'close', reason: '反映不实' });
    expect((await d.caseCmd(c.id, 'supervisor1', { type: 'approve' })).state).toBe('closed');
    await d.caseCmd(other.id, 'inspector1', { type: 'proposeDisposition', method: 'preliminaryVerification', reason: '可查性强' });
    expect((await d.caseCmd(other.id, 'head1', { type: 'approve' })).state).toBe('preliminaryVerification.inProgress');
  });

  it('when an appeal would revoke a standing-committee decision, then the commission head alone is refused and the committee decides in a meeting', async () => {
    const c = await d.caseIn('appeal');
    expectProblem(await command('head1', `/api/v1/cases/${c.id}/commands`, { type: 'decideAppeal', outcome: 'revoked' }), 403, 'forbidden', { reason: 'role' });
    const noMeeting = await command('committee1', `/api/v1/cases/${c.id}/commands`, { type: 'decideAppeal', outcome: 'revoked' });
    expectProblem(noMeeting, 400, 'validation_failed');
    expect(noMeeting.body.errors).toEqual([{ path: 'meeting', message: expect.any(String) }]);
    const decided = await d.caseCmd(c.id, 'committee1', { type: 'decideAppeal', outcome: 'revoked', meeting: MEETING });
    expect(decided.state).toBe('decided');
    expect(decided.dispositions).toEqual([]);
  });

  it('when a second extension is asked, then only a commission head of the upper commission gives the last approval; over 90 days is refused', async () => {
    const c = await d.caseIn('investigation.inProgress');
    const path = `/api/v1/cases/${c.id}/commands`;
    const long = await command('inspector1', path, { type: 'requestExtension', deadlineKey: 'investigation.report', days: 200, reason: '案情复杂' });
    expectProblem(long, 400, 'validation_failed');
    expect(long.body.errors).toEqual([{ path: 'days', message: expect.any(String) }]);
    await d.caseCmd(c.id, 'inspector1', { type: 'requestExtension', deadlineKey: 'investigation.report', days: 90, reason: '案情复杂' });
    await d.caseCmd(c.id, 'head1', { type: 'approve' });
    const second = await d.caseCmd(c.id, 'inspector1', { type: 'requestExtension', deadlineKey: 'investigation.report', days: 60, reason: '仍需补充' });
    expect(second.pendingApproval.chain).toEqual(['commissionHead', 'commissionHead@upper']);
    await d.caseCmd(c.id, 'head1', { type: 'approve' });
    expectProblem(await command('head2', path, { type: 'approve' }), 403, 'forbidden', { reason: 'role' });
    const inbox = async (user: string) => (await (await sys.as(user)).get('/api/v1/inbox')).body.approvals.map((i: View) => i.id);
    expect(await inbox('cityhead')).toContain(c.id);
    expect(await inbox('head2')).not.toContain(c.id);
    // The upper step is asked of the city only (the city's heads are told of the county's other steps too).
    const asked = async (user: string) =>
      ((await (await sys.as(user)).get('/api/v1/inbox')).body.notifications as View[]).filter((n) => n.aggregateId === c.id && n.kind === 'approvalRequested').length;
    expect(await asked('cityhead')).toBe((await asked('head2')) + 1);
    const done = await d.caseCmd(c.id, 'cityhead', { type: 'approve', comment: '同意再次延期' });
    expect(done.pendingApproval).toBeNull();
    expect(done.state).toBe('investigation.inProgress');
  });
});

describe('escalation to the commission above the handling one (issue 17 rule 8)', () => {
  let fast: TestSystem;

  beforeAll(async () => {
    const overrides = { 'clue.disposition': { due: 'PT1S', escalateAfter: 'PT1S' }, 'reporter.acceptance': { due: 'PT1S', escalateAfter: 'PT1S' } };
    fast = await startTestSystem({ workers: true, env: { DEADLINE_OVERRIDES: JSON.stringify(overrides) } });
    await withOrgChart(fast);
  }, 120_000);

  afterAll(async () => {
    await fast.stop();
  });

  it('when a clue registered on a township and handled by the county is escalated, then the city commission is told, not the county', async () => {
    const c = await driver(fast).register({ orgId: 'town-a' });
    const notices = async (user: string) => ((await (await fast.as(user)).get('/api/v1/inbox')).body.notifications as View[]).filter((n) => n.aggregateId === c.id);
    const toCity = await eventually(async () => {
      const list = await notices('cityhead');
      return list.some((n) => /升级督办.*问题线索处置意见/.test(n.title)) ? list : null;
    }, 15_000);
    expect(toCity.every((n) => n.title.startsWith('【升级督办】'))).toBe(true);
    expect(await notices('head1')).toEqual([]);
  });

  it('when the real-name reporter is not told of acceptance in time, then the registrar is told; notifyReporter closes the clock', async () => {
    const c = await driver(fast).register();
    expect(c.deadlines.map((x: View) => x.key)).toEqual(expect.arrayContaining(['clue.disposition', 'reporter.acceptance']));
    const toRegistrar = await eventually(async () => {
      const list = ((await (await fast.as('registrar1')).get('/api/v1/inbox')).body.notifications as View[]).filter((n) => n.aggregateId === c.id);
      return list.some((n) => /告知实名举报人受理情况/.test(n.title)) ? list : null;
    }, 15_000);
    expect(toRegistrar.length).toBeGreaterThan(0);
    const told = await driver(fast).caseCmd(c.id, 'registrar1', { type: 'notifyReporter', stage: 'acceptance', method: 'phone', notifiedAt: new Date().toISOString(), note: '电话告知已受理' });
    // Closed by the command (met or late: a one-second clock's step may fire within its last milliseconds).
    expect(['met', 'metLate']).toContain(told.deadlines.find((x: View) => x.key === 'reporter.acceptance').status);
    expect(told.availableCommands).not.toContain('notifyReporter');
  });
});
