/**
 * Commands that name users (services/commands/named-users.ts): an id that names no stored user
 * is a 400 `validation_failed` whose error path names the field and index, and nothing changes
 * (version, assignees, recusals, history). Real HTTP app on PGlite.
 */
import { driver, expectProblem, MEETING, type Driver, type View } from '../helpers/drive';
import { withOrgChart } from '../helpers/fixtures';
import { startTestSystem, type TestSystem } from '../helpers/system';

let sys: TestSystem;
let d: Driver;

beforeAll(async () => {
  sys = await startTestSystem();
  await withOrgChart(sys);
  d = driver(sys);
}, 120_000);

afterAll(async () => {
  await sys.stop();
});

async function send(caseId: string, user: string, body: Record<string, unknown>) {
  return (await sys.as(user)).post(`/api/v1/cases/${caseId}/commands`, body);
}

async function history(caseId: string): Promise<View[]> {
  const res = await (await sys.as('auditor1')).get(`/api/v1/cases/${caseId}/history`);
  expect(res.status).toBe(200);
  return res.body.items.filter((e: View) => e.action !== 'history' && e.action !== 'read');
}

/** Sends `body`, expects 400 naming `paths`, and checks that the case did not change. */
async function expectRefused(caseId: string, user: string, body: Record<string, unknown>, paths: string[]): Promise<void> {
  const before = await d.caseView(caseId);
  const historyBefore = await history(caseId);
  const res = await send(caseId, user, body);
  expectProblem(res, 400, 'validation_failed');
  expect(res.body.errors.map((e: View) => e.path)).toEqual(paths);
  for (const e of res.body.errors) expect(e.message).toMatch(/用户不存在/);
  const after = await d.caseView(caseId);
  expect({ version: after.version, state: after.state, assignees: after.assignees }).toEqual({ version: before.version, state: before.state, assignees: before.assignees });
  expect(await history(caseId)).toEqual(historyBefore);
}

describe('commands naming users', () => {
  it('when assign names an inspector id that is no user, then 400 with errors[].path inspectorIds.1 and the case is unchanged', async () => {
    const c = await d.caseIn('registered');
    await expectRefused(c.id, 'manager1', { type: 'assign', inspectorIds: ['inspector1', 'no-such-user'] }, ['inspectorIds.1']);
    const ok = await send(c.id, 'manager1', { type: 'assign', inspectorIds: ['inspector1', 'inspector2'] });
    expect(ok.status).toBe(200);
  });

  it('when recuse names a userId that is no user, then 400 with errors[].path userId and nothing is recorded', async () => {
    const c = await d.caseIn('registered');
    await expectRefused(c.id, 'supervisor1', { type: 'recuse', userId: 'ghost', relation: 'closeRelative', reason: '近亲属' }, ['userId']);
  });

  it('when assignTrialReviewers names an unknown user, then 400 with errors[].path userIds.1', async () => {
    const c = await d.caseIn('trial.unassigned');
    await expectRefused(c.id, 'supervisor1', { type: 'assignTrialReviewers', userIds: ['reviewer1', 'ghost'] }, ['userIds.1']);
  });

  it('when the standing committee approves with a meeting naming unknown attendees or dissenters, then 400 naming each, and the known ones are accepted', async () => {
    const c = await d.caseIn('trial.decisionReview');
    await d.caseCmd(c.id, 'head1', { type: 'approve', comment: '同意' });
    await expectRefused(
      c.id,
      'committee1',
      { type: 'approve', comment: '常委会审议通过', meeting: { ...MEETING, attendees: ['committee1', 'nobody'], dissent: ['nobody-else'] } },
      ['meeting.attendees.1', 'meeting.dissent.0'],
    );
    const ok = await send(c.id, 'committee1', { type: 'approve', comment: '常委会审议通过', meeting: MEETING });
    expect({ status: ok.status, state: ok.body.state }).toEqual({ status: 200, state: 'decided' });
  });
});
