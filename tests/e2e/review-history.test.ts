/**
 * GET /api/v1/reviews/:id/history (API.md "Reviews"), as the case's history through the real HTTP
 * app, PGlite, Redis and the workers that open the reviews: one hash chain in seq order from the
 * workers' `open`, reads included; read by whoever may read the review, 404 outside the scope and to
 * a party to the review, 403 `recusal` to a user recused from its case.
 */
import { driver, expectProblem, REVIEW_PARTY, type Driver, type View } from '../helpers/drive';
import { withOrgChart } from '../helpers/fixtures';
import { startTestSystem, type TestSystem } from '../helpers/system';

let sys: TestSystem;
let d: Driver;
/** A review whose findings name REVIEW_PARTY, awaiting their approval. */
let review: View;

beforeAll(async () => {
  sys = await startTestSystem({ workers: true });
  await withOrgChart(sys);
  d = driver(sys);
  const party = { id: 'party-zhao', name: '赵书记本人账户', orgId: 'county', roles: ['inspector', 'supervisor'], personId: REVIEW_PARTY.personId };
  expect((await (await sys.as('countyadmin')).post('/api/v1/users', party)).status).toBe(201);
  review = await d.reviewIn('findingApproval');
}, 180_000);

afterAll(async () => {
  await sys.stop();
}, 60_000);

const get = async (user: string, path: string) => (await sys.as(user)).get(path);
const historyOf = (user: string) => get(user, `/api/v1/reviews/${review.id}/history`);

describe('GET /api/v1/reviews/:id/history', () => {
  it('when an inspector reads the history, then it is {items, total, page, pageSize}: one hash chain in seq order from the opening, reads included', async () => {
    expect((await get('inspector1', `/api/v1/reviews/${review.id}`)).status).toBe(200);
    const res = await historyOf('inspector1');
    expect(res.status).toBe(200);
    const { items, total, page, pageSize } = res.body;
    expect({ total, page, pageSize }).toEqual({ total: items.length, page: 1, pageSize: items.length });
    expect(items.map((e: View) => e.seq)).toEqual(items.map((_: unknown, i: number) => i + 1));
    expect(items[0]).toMatchObject({ actor: 'system', action: 'open', outcome: 'accepted', from: null, to: 'opened', detail: { caseId: review.caseId, kind: review.kind } });
    items.slice(1).forEach((e: View, i: number) => expect(e.prevHash).toBe(items[i].hash));
    for (const e of items) expect(Object.keys(e).sort()).toEqual(expect.arrayContaining(['action', 'actor', 'at', 'from', 'hash', 'outcome', 'prevHash', 'seq', 'to']));
    const accepted = items.filter((e: View) => e.outcome === 'accepted');
    expect(accepted.length).toBeGreaterThanOrEqual(4);
    expect(accepted.map((e: View) => e.action)).toEqual(['open', 'proposeStart', ...accepted.slice(2, -1).map(() => 'approve'), 'submitFindings']);
    expect(accepted.at(-1)).toMatchObject({ actor: 'inspector1', from: 'investigating', to: 'findingApproval' });
    expect(items.slice(-2).map((e: View) => [e.actor, e.action, e.outcome])).toEqual([
      ['inspector1', 'read', 'read'],
      ['inspector1', 'history', 'read'],
    ]);
  });

  it('when the history is read, then the review version does not change and the next read sees this one', async () => {
    const before = await d.reviewView(review.id);
    const first = (await historyOf('head1')).body;
    const second = (await historyOf('head1')).body;
    expect(second.total).toBe(first.total + 1);
    expect(second.items.at(-1)).toMatchObject({ actor: 'head1', action: 'history', outcome: 'read', from: 'findingApproval', to: 'findingApproval', prevHash: first.items.at(-1).hash });
    expect((await d.reviewView(review.id)).version).toBe(before.version);
  });

  it('when a user outside the scope asks, then 404, as for the review itself', async () => {
    expectProblem(await historyOf('towninspector'), 404, 'not_found');
    expectProblem(await get('towninspector', `/api/v1/reviews/${review.id}`), 404, 'not_found');
  });

  it('when a party to the review asks, then 404 (he does not learn of it), and nothing of his is on record', async () => {
    expectProblem(await historyOf('party-zhao'), 404, 'not_found');
    expectProblem(await get('party-zhao', `/api/v1/reviews/${review.id}`), 404, 'not_found');
    const items = (await historyOf('head1')).body.items as View[];
    expect(items.filter((e) => e.actor === 'party-zhao')).toEqual([]);
  });

  it('when a user is recused from the case, then 403 recusal on the review history as on the review and the case history', async () => {
    expect((await historyOf('inspector2')).status).toBe(200);
    await d.caseCmd(review.caseId, 'supervisor1', { type: 'recuse', userId: 'inspector2', relation: 'closeRelative', reason: '系被问责人近亲属' });
    expectProblem(await historyOf('inspector2'), 403, 'forbidden', { reason: 'recusal' });
    expectProblem(await get('inspector2', `/api/v1/reviews/${review.id}`), 403, 'forbidden', { reason: 'recusal' });
    expectProblem(await get('inspector2', `/api/v1/cases/${review.caseId}/history`), 403, 'forbidden', { reason: 'recusal' });
  });

  it('when the review does not exist, then 404', async () => {
    expectProblem(await get('head1', '/api/v1/reviews/no-such-review/history'), 404, 'not_found');
  });
});
