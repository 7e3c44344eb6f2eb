/**
 * The frequency trigger's 一案双查 proposals in the commission head's inbox (issue 18 §4): the
 * deciding org's head sees each open proposal with the cases behind it, no one else does, and a
 * proposal he dismisses with a reason leaves the inbox and is not proposed again that year.
 */
import { frequencyTrigger } from '../../services/accountability';
import { SUBJECT, withOrgChart } from '../helpers/fixtures';
import { driver, expectProblem, type View } from '../helpers/drive';
import { startTestSystem, type TestSystem } from '../helpers/system';

let sys: TestSystem;
const caseIds: string[] = [];

beforeAll(async () => {
  sys = await startTestSystem({ workers: false });
  await withOrgChart(sys);
  const d = driver(sys);
  // Three cases of a 西坪乡 cadre decided with a sanction (the driver's measures name SUBJECT's person id).
  for (const name of ['白甲', '白乙', '白丙']) {
    const subject = { ...SUBJECT, position: '西坪乡干部', orgId: 'town-b' };
    caseIds.push((await d.caseIn('decided', { clue: { title: `西坪乡${name}违规问题`, subjects: [subject] } })).id);
  }
  // A sweep a moment later (the window ends at the sweep).
  expect(await frequencyTrigger(sys.deps, new Date(sys.deps.clock().getTime() + 1000))).toEqual({ proposed: 1 });
}, 180_000);

afterAll(async () => {
  await sys.stop();
}, 60_000);

const inboxOf = async (user: string): Promise<View> => {
  const res = await (await sys.as(user)).get('/api/v1/inbox');
  expect(res.status).toBe(200);
  return res.body;
};

describe('一案双查 proposals in the inbox', () => {
  it('when the county commission head opens his inbox, then the proposal is there with the cases behind it and what he may do', async () => {
    const { proposals } = await inboxOf('head1');
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ unitOrgId: 'town-b', unitName: '云溪县西坪乡', availableCommands: ['open', 'dismiss'] });
    expect(proposals[0].rule).toContain('3件案件给予处分');
    expect([...proposals[0].caseIds].sort()).toEqual([...caseIds].sort());
    expect(proposals[0].cases.map((c: View) => [c.title, c.state]).sort()).toEqual([
      ['西坪乡白丙违规问题', 'decided'],
      ['西坪乡白乙违规问题', 'decided'],
      ['西坪乡白甲违规问题', 'decided'],
    ]);
  });

  it('when others open their inbox (an inspector, the city’s head, a township user), then it is not there', async () => {
    for (const user of ['inspector1', 'supervisor1', 'cityhead', 'towninspector']) expect((await inboxOf(user)).proposals).toEqual([]);
  });

  it('when the head dismisses it with a reason, then it leaves his inbox, is on record, and the trigger does not propose it again this year', async () => {
    const id = (await inboxOf('head1')).proposals[0].id;
    const head = await sys.as('head1');
    expectProblem(await head.post(`/api/v1/dual-proposals/${id}/dismiss`, {}), 400, 'validation_failed');
    const res = await head.post(`/api/v1/dual-proposals/${id}/dismiss`, { reason: '三起案件均系个人问题，已责令乡党委专题整改' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'dismissed', decidedBy: 'head1', decisionReason: '三起案件均系个人问题，已责令乡党委专题整改', reviewId: null });
    expect((await inboxOf('head1')).proposals).toEqual([]);
    const dismissed = await head.get('/api/v1/dual-proposals?status=dismissed');
    expect(dismissed.body.items.map((p: View) => p.id)).toEqual([id]);
    const chain = await sys.deps.store.audit.list(id);
    expect(chain.map((e) => [e.action, e.actor, e.to])).toEqual([
      ['proposeDualInvestigation', 'system', 'open'],
      ['dismissProposal', 'head1', 'dismissed'],
    ]);
    expect(await frequencyTrigger(sys.deps, new Date(sys.deps.clock().getTime() + 2000))).toEqual({ proposed: 0 });
    expect((await inboxOf('head1')).proposals).toEqual([]);
  });
});
