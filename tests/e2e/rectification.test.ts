/**
 * 以案促改 (issue 18 §3) end to end: a case decided with a sanction and a 问责 review with
 * responsibility found each open one rectification of the unit concerned; plan, report, a returned
 * report, acceptance and a warning-education meeting through the API; the clocks escalate through
 * the real workers when time runs out; statistics by org and level.
 */
import { withOrgChart } from '../helpers/fixtures';
import { driver, expectProblem, type Driver, type View } from '../helpers/drive';
import { eventually, startTestSystem, type TestSystem } from '../helpers/system';

let sys: TestSystem;
let d: Driver;
let offsetMs = 0;

beforeAll(async () => {
  sys = await startTestSystem({ workers: true, clock: () => new Date(Date.now() + offsetMs) });
  await withOrgChart(sys);
  d = driver(sys);
}, 120_000);

afterAll(async () => {
  await sys.stop();
}, 60_000);

const rectificationsOf = async (sourceId: string): Promise<View[]> => {
  const res = await (await sys.as('supervisor1')).get(`/api/v1/rectifications?sourceId=${sourceId}&pageSize=200`);
  expect(res.status).toBe(200);
  return res.body.items;
};
/** Users of the demo chart by the role an approval chain names (`role@upper`: the city's). */
const APPROVERS: Record<string, string> = { commissionHead: 'head1', partySecretary: 'secretary1', supervisor: 'supervisor1', standingCommittee: 'committee1', 'commissionHead@upper': 'cityhead' };

/** Approves the pending proposal step by step, as whoever each step of its chain names. */
async function approveAll(kind: 'case' | 'review', id: string): Promise<View> {
  let view = kind === 'case' ? await d.caseView(id, 'head1') : await d.reviewView(id, 'head1');
  while (view.pendingApproval) {
    const step = view.pendingApproval.chain[view.pendingApproval.approvals.length];
    const user = APPROVERS[step];
    if (!user) throw new Error(`no demo approver for ${step}`);
    view = kind === 'case' ? await d.caseCmd(id, user, { type: 'approve', comment: '同意' }) : await d.reviewCmd(id, user, { type: 'approve', comment: '同意' });
  }
  return view;
}

const cmd = async (user: string, id: string, body: Record<string, unknown>) => (await sys.as(user)).post(`/api/v1/rectifications/${id}/commands`, body);

describe('rectification after a case', () => {
  let caseId: string;
  let rect: View;

  beforeAll(async () => {
    caseId = (await d.caseIn('decided')).id;
    [rect] = await rectificationsOf(caseId);
  }, 120_000);

  it('when a case is decided with a sanction, then one rectification of the subject’s unit opens with the plan clock', () => {
    expect(rect).toMatchObject({ sourceType: 'case', sourceId: caseId, unitOrgId: 'town-a', unitName: '云溪县东岭镇', state: 'planDue', rounds: 0 });
    expect(rect.deadlines.map((x: View) => [x.key, x.status])).toEqual([['rectification.plan', 'open']]);
  });

  it('when a case ends with a first-form measure only, then no rectification opens', async () => {
    const c = await d.register();
    await d.caseCmd(c.id, 'manager1', { type: 'assign', inspectorIds: ['inspector1', 'inspector2'] });
    await d.caseCmd(c.id, 'inspector1', { type: 'proposeDisposition', method: 'talkInquiry', reason: '反映问题较笼统，拟函询' });
    await approveAll('case', c.id);
    await d.caseCmd(c.id, 'inspector1', { type: 'recordReply', summary: '本人书面说明情况', receivedAt: new Date().toISOString() });
    await d.caseCmd(c.id, 'inspector1', { type: 'proposeInquiryOutcome', outcome: 'firstForm', measures: [{ personId: 'p-li', measure: 'criticismEducation' }], reason: '问题轻微' });
    const closed = await approveAll('case', c.id);
    expect(closed.state).toBe('closed');
    expect(await rectificationsOf(c.id)).toEqual([]);
  });

  it('when the report is returned and reported again, then it is accepted on the second round with the meeting on record', async () => {
    const id = rect.id;
    expect((await cmd('inspector1', id, { type: 'submitPlan', text: '东岭镇以案促改整改方案', measures: ['修订“三资”管理制度', '开展专项清理'] })).status).toBe(200);
    expect((await cmd('inspector1', id, { type: 'submitReport', text: '整改完成情况报告（第一稿）' })).body.state).toBe('acceptance');
    expectProblem(await cmd('inspector1', id, { type: 'acceptReport' }), 403, 'forbidden', { reason: 'role' });
    const returned = await cmd('supervisor1', id, { type: 'returnReport', comment: '制度修订未见印发文件' });
    expect(returned.body.state).toBe('reportDue');
    await cmd('inspector1', id, { type: 'submitReport', text: '整改完成情况报告（附印发文件）' });
    const meeting = await cmd('inspector1', id, { type: 'recordWarningMeeting', heldOn: '2026-07-10', attendees: 80, summary: '召开以案促改警示教育大会' });
    expect(meeting.body.meetings).toHaveLength(1);
    const accepted = await cmd('supervisor1', id, { type: 'acceptReport', comment: '验收通过' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ state: 'accepted', rounds: 2 });
    expect(accepted.body.deadlines.map((x: View) => [x.key, x.status])).toEqual([
      ['rectification.plan', 'met'],
      ['rectification.report', 'met'],
      ['rectification.acceptance', 'met'],
      ['rectification.report', 'met'],
      ['rectification.acceptance', 'met'],
    ]);
  });

  it('when the list is filtered by its case, then the store filters it: total counts that case’s rectification alone, with working days left on each clock', async () => {
    await d.caseIn('decided');
    const all = await (await sys.as('supervisor1')).get('/api/v1/rectifications?pageSize=1');
    expect(all.body.total).toBeGreaterThanOrEqual(2);
    const res = await (await sys.as('supervisor1')).get(`/api/v1/rectifications?sourceId=${caseId}&pageSize=1`);
    expect(res.body).toMatchObject({ total: 1, page: 1, pageSize: 1 });
    expect(res.body.items.map((r: View) => r.id)).toEqual([rect.id]);
    const [plan] = (await (await sys.as('supervisor1')).get(`/api/v1/rectifications/${rect.id}`)).body.deadlines;
    expect(typeof plan.workingDaysLeft === 'number' || plan.workingDaysLeft === null).toBe(true);
    expect(plan).toHaveProperty('workingDaysLeft');
  });

  it('when its history is read, then the hash chain lists its opening and every command, this read last; outside the scope it is 404', async () => {
    const res = await (await sys.as('supervisor1')).get(`/api/v1/rectifications/${rect.id}/history`);
    expect(res.status).toBe(200);
    const actions = res.body.items.map((e: View) => e.action);
    expect(actions[0]).toBe('openRectification');
    expect(actions).toEqual(expect.arrayContaining(['submitPlan', 'submitReport', 'returnReport', 'acceptReport', 'recordWarningMeeting']));
    expect(res.body.items.at(-1)).toMatchObject({ action: 'history', outcome: 'read', actor: 'supervisor1' });
    for (let i = 1; i < res.body.items.length; i++) expect(res.body.items[i].prevHash).toBe(res.body.items[i - 1].hash);
    expectProblem(await (await sys.as('towninspector')).get(`/api/v1/rectifications/${rect.id}/history`), 404, 'not_found');
  });

  it('when a command has a bad payload or comes from outside the scope, then 400 naming the field, or 404', async () => {
    const [other] = await rectificationsOf((await d.caseIn('decided')).id);
    const bad = await cmd('inspector1', other.id, { type: 'recordWarningMeeting', heldOn: 'yesterday', attendees: 0, summary: '会' });
    expectProblem(bad, 400, 'validation_failed');
    expect(bad.body.errors.map((e: View) => e.path).sort()).toEqual(['attendees', 'heldOn']);
    expectProblem(await cmd('towninspector', other.id, { type: 'submitPlan', text: '方案' }), 404, 'not_found');
  });

  it('when the statistics are read, then they count by org and level', async () => {
    const res = await (await sys.as('head1')).get('/api/v1/rectifications/stats?orgId=county');
    expect(res.status).toBe(200);
    expect(res.body.total).toMatchObject({ completed: 1, completedOnTime: 1 });
    expect(res.body.total.opened).toBeGreaterThanOrEqual(2);
    expect(res.body.byLevel.map((r: View) => r.level)).toEqual(['township']);
    expect(res.body.byOrg[0]).toMatchObject({ orgId: 'town-a', orgName: '云溪县东岭镇', level: 'township' });
  });
});

describe('rectification after a review', () => {
  it('when 问责 findings with responsibility found are approved, then a rectification of the reviewed unit opens once', async () => {
    const c = await d.register();
    const opened = await d.openDualInvestigation(c.id);
    const id = opened.dualInvestigation.reviews.find((r: View) => r.kind === 'primary').id;
    await d.reviewCmd(id, 'inspector1', { type: 'proposeStart', reason: '一案双查' });
    await approveAll('review', id);
    const party = { name: '赵书记', personId: 'p-zhao', position: '东岭镇党委书记', responsibility: 'mainLeadership' };
    await d.reviewCmd(id, 'inspector1', { type: 'submitFindings', responsibilityFound: true, parties: [party], proposedMeasures: [{ target: 'p-zhao', measure: 'admonishment' }] });
    const review = await approveAll('review', id);
    expect(review.state).toBe('decided');
    expect(await rectificationsOf(id)).toHaveLength(1);
    const list = await rectificationsOf(review.id);
    expect(list.map((r) => [r.sourceType, r.unitOrgId, r.state])).toEqual([['review', review.targetOrgId, 'planDue']]);
  });
});

describe("the unit's own accounts", () => {
  it('when the unit has a party secretary and a discipline head, then the rectification is theirs to write: they open and plan it, its other users may not', async () => {
    const admin = await sys.as('admin');
    for (const [id, roles] of [['townsecretary', ['partySecretary']], ['townhead', ['commissionHead']]] as const) {
      expect((await admin.post('/api/v1/users').send({ id, name: id, orgId: 'town-a', roles })).status).toBe(201);
    }
    const [r] = await rectificationsOf((await d.caseIn('decided')).id);
    expect(r.unitOrgId).toBe('town-a');
    // Outside the commission's scope, they reach it as its responsible accounts; the town's inspector does not.
    expect((await (await sys.as('townhead')).get(`/api/v1/rectifications/${r.id}`)).status).toBe(200);
    expect((await (await sys.as('towninspector')).get(`/api/v1/rectifications/${r.id}`)).status).toBe(404);
    const planned = await cmd('townsecretary', r.id, { type: 'submitPlan', text: '东岭镇整改方案', measures: ['建章立制'] });
    expect(planned.status).toBe(200);
  });
});

describe('clocks', () => {
  it('when the plan is not submitted in time, then the workers escalate its clock and the rectification records it', async () => {
    const [r] = await rectificationsOf((await d.caseIn('decided')).id);
    offsetMs = 200 * 24 * 3600 * 1000;
    try {
      sys.workers!.reconcileSoon();
      const escalated = await eventually(async () => {
        const v = (await (await sys.as('supervisor1')).get(`/api/v1/rectifications/${r.id}`)).body;
        return v.escalation === 'escalated' ? v : null;
      }, 30_000);
      expect(escalated.deadlines[0]).toMatchObject({ key: 'rectification.plan', status: 'overdue', escalation: 'escalated' });
      const heads = await sys.deps.store.notifications.listForUser('cityhead', 50);
      expect(heads.some((n) => n.aggregateId === r.id && n.title.length > 0)).toBe(true);
    } finally {
      offsetMs = 0;
    }
  }, 60_000);
});
