/**
 * 问责 that does not start from a case (issue 18 §4) through the HTTP API: a stand-alone review on
 * the same machine and approval rules, its suggested parties as of the facts, and the frequency
 * trigger's proposal decided by the commission head.
 */
import { withOrgChart } from '../helpers/fixtures';
import { driver, expectProblem, type Driver, type View } from '../helpers/drive';
import { startTestSystem, type TestSystem } from '../helpers/system';
import { frequencyTrigger } from '../../services/accountability';

let sys: TestSystem;
let d: Driver;

beforeAll(async () => {
  sys = await startTestSystem({ workers: false });
  await withOrgChart(sys);
  d = driver(sys);
  const head = await sys.as('head1');
  for (const p of [
    { orgId: 'town-b', post: 'secretary', personId: 'p-b1', personName: '白一', from: '2024-01-01', title: '西坪乡党委书记' },
    { orgId: 'town-b', post: 'disciplineHead', personId: 'p-b2', personName: '白二', from: '2024-01-01' },
  ]) {
    expect((await head.post('/api/v1/responsibility/posts', p)).status).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  await sys.stop();
}, 60_000);

const STANDALONE = { unitOrgId: 'town-b', kinds: ['primary'], source: 'inspectionTour', reason: '巡察发现西坪乡党委落实主体责任不力', factsAt: '2025-09-01' };

describe('stand-alone 问责 review', () => {
  it('when an inspector opens one, then it starts in opened, needs approval to start, and suggests the secretary of the facts’ time', async () => {
    const res = await (await sys.as('inspector1')).post('/api/v1/reviews/standalone', STANDALONE);
    expect(res.status).toBe(201);
    const [review] = res.body.reviews;
    expect(review).toMatchObject({ kind: 'primary', state: 'opened', targetOrgId: 'town-b', targetName: '中共西坪乡委员会' });
    expect(review.caseId).toMatch(/^standalone:/);
    expect(review.suggestedParties).toMatchObject({ asOf: '2025-09-01', asOfSource: 'reviewFactsAt' });
    expect(review.suggestedParties.parties.map((p: View) => p.name)).toEqual(['白一']);
    const proposed = await d.reviewCmd(review.id, 'inspector1', { type: 'proposeStart', reason: '巡察移交' });
    expect(proposed.state).toBe('startApproval');
    expect(proposed.pendingApproval.chain.length).toBeGreaterThan(0);
    expectProblem(await (await sys.as('inspector1')).post(`/api/v1/reviews/${review.id}/commands`, { type: 'approve' }), 403, 'forbidden');
  });

  it('when the same request is sent again with its Idempotency-Key, then the first answer is replayed and no second review opens', async () => {
    const inspector = await sys.as('inspector1');
    const before = (await (await sys.as('head1')).get('/api/v1/reviews?pageSize=200')).body.total;
    const send = () => inspector.post('/api/v1/reviews/standalone', STANDALONE).set('Idempotency-Key', 'standalone-once');
    const first = await send();
    const again = await send();
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.reviews.map((r: View) => r.id)).toEqual(first.body.reviews.map((r: View) => r.id));
    expect((await (await sys.as('head1')).get('/api/v1/reviews?pageSize=200')).body.total).toBe(before + 1);
  });

  it('when the input is bad or the caller may not, then 400 with the field, 403 or 404, and nothing is opened', async () => {
    const before = (await (await sys.as('head1')).get('/api/v1/reviews?pageSize=200')).body.total;
    const inspector = await sys.as('inspector1');
    for (const [body, path] of [
      [{ ...STANDALONE, source: 'frequencyTrigger' }, 'source'],
      [{ ...STANDALONE, kinds: [] }, 'kinds'],
      [{ ...STANDALONE, unitOrgId: 'nowhere' }, 'unitOrgId'],
      [{ ...STANDALONE, factsAt: '2025-13-01' }, 'factsAt'],
    ] as Array<[Record<string, unknown>, string]>) {
      const res = await inspector.post('/api/v1/reviews/standalone', body);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: View) => e.path)).toContain(path);
    }
    expectProblem(await (await sys.as('auditor1')).post('/api/v1/reviews/standalone', STANDALONE), 403, 'forbidden', { reason: 'role' });
    expectProblem(await (await sys.as('towninspector')).post('/api/v1/reviews/standalone', STANDALONE), 404, 'not_found');
    expect((await (await sys.as('head1')).get('/api/v1/reviews?pageSize=200')).body.total).toBe(before);
  });
});

describe('frequency trigger proposals', () => {
  let proposalId: string;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) await d.caseIn('decided');
    expect(await frequencyTrigger(sys.deps, sys.deps.clock())).toEqual({ proposed: 1 });
    const list = await (await sys.as('head1')).get('/api/v1/dual-proposals?status=open');
    expect(list.body.items).toHaveLength(1);
    proposalId = list.body.items[0].id;
    expect(list.body.items[0]).toMatchObject({ unitOrgId: 'town-a', unitName: '云溪县东岭镇', orgId: 'county' });
    expect(list.body.items[0].caseIds).toHaveLength(3);
  }, 180_000);

  it('when someone other than the commission head decides, or a dismissal has no reason, then 403 and 400', async () => {
    expectProblem(await (await sys.as('inspector1')).post(`/api/v1/dual-proposals/${proposalId}/open`, {}), 403, 'forbidden');
    const noReason = await (await sys.as('head1')).post(`/api/v1/dual-proposals/${proposalId}/dismiss`, {});
    expectProblem(noReason, 400, 'validation_failed');
    expect(noReason.body.errors[0].path).toBe('reason');
  });

  it('when the head opens it (twice at once), then both reviews of the unit open once, stand-alone with the cases behind them; a second decision is 409', async () => {
    const head = await sys.as('head1');
    const before = (await head.get('/api/v1/reviews?pageSize=200')).body.total;
    const both = await Promise.all([0, 1].map(() => head.post(`/api/v1/dual-proposals/${proposalId}/open`, { reason: '严重违纪问题频发，启动一案双查' })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const res = both.find((r) => r.status === 200)!;
    // The decision and the reviews commit together: the losing request opened none.
    expect((await head.get('/api/v1/reviews?pageSize=200')).body.total).toBe(before + 2);
    expect(res.body).toMatchObject({ status: 'opened', decidedBy: 'head1' });
    expect(res.body.reviewIds).toHaveLength(2);
    const views = await Promise.all(res.body.reviewIds.map((id: string) => d.reviewView(id, 'head1')));
    expect(views.map((v) => [v.kind, v.targetOrgId, v.state]).sort()).toEqual([
      ['primary', 'town-a', 'opened'],
      ['supervision', 'town-a', 'opened'],
    ]);
    const stored = await sys.deps.store.reviews.get(res.body.reviewIds[0]);
    expect(stored!.data).toMatchObject({ source: 'frequencyTrigger', proposalId });
    expect((stored!.data.relatedCaseIds as string[]).length).toBe(3);
    expectProblem(await (await sys.as('head1')).post(`/api/v1/dual-proposals/${proposalId}/dismiss`, { reason: '重复' }), 409, 'command_not_allowed');
  });
});
