/**
 * Issue 17 rule 15 (问责条例 Arts 9, 12; DOMAIN §8) through the HTTP API: the county commission's
 * primary review of a township's party committee, a 党组织 led directly by the county committee,
 * needs the county party secretary's approval to start and for a 诫勉 decision, after the commission
 * head; no other user can give that step. The supervision review stays the commission's own.
 */
import { withOrgChart } from '../helpers/fixtures';
import { driver, expectProblem, nextStep, REVIEW_PARTY, type Driver, type View } from '../helpers/drive';
import { startTestSystem, type TestSystem } from '../helpers/system';

let sys: TestSystem;
let d: Driver;

beforeAll(async () => {
  sys = await startTestSystem({ workers: true });
  await withOrgChart(sys);
  d = driver(sys);
}, 120_000);

afterAll(async () => {
  await sys.stop();
}, 60_000);

/** Every demo user but the county's party secretary, including the head who took the first step. */
const NOT_THE_SECRETARY = ['head1', 'cityhead', 'committee1', 'supervisor1', 'inspector1', 'inspector2', 'manager1', 'registrar1', 'reviewer1', 'auditor1', 'countyadmin'];

const reviewCommand = async (user: string, id: string, body: Record<string, unknown>) => (await sys.as(user)).post(`/api/v1/reviews/${id}/commands`, body);

/** After the head's approval, the proposal awaits the secretary: everyone else is refused and nothing changes; then he approves. */
async function onlyTheSecretaryCompletes(proposed: View, state: string): Promise<View> {
  expect(proposed).toMatchObject({ state, pendingApproval: { chain: ['commissionHead', 'partySecretary'], approvals: [] } });
  const afterHead = await d.reviewCmd(proposed.id, 'head1', { type: 'approve', comment: '拟同意' });
  expect(afterHead).toMatchObject({ state, pendingApproval: { approvals: [expect.objectContaining({ userId: 'head1', role: 'commissionHead' })] } });
  expect(nextStep(afterHead)).toBe('partySecretary');

  for (const user of NOT_THE_SECRETARY) {
    expectProblem(await reviewCommand(user, proposed.id, { type: 'approve', comment: '同意' }), 403, 'forbidden');
    expectProblem(await reviewCommand(user, proposed.id, { type: 'reject', comment: '不同意' }), 403, 'forbidden');
  }
  expect(await d.reviewView(proposed.id)).toMatchObject({ state, version: afterHead.version, pendingApproval: { approvals: [expect.objectContaining({ userId: 'head1' })] } });

  const done = await d.reviewCmd(proposed.id, 'secretary1', { type: 'approve', comment: '同意' });
  expect(done.pendingApproval).toBeNull();
  return done;
}

describe('问责 of a 党组织 led directly by the same-level party committee (issue 17 rule 15)', () => {
  it('when a primary review of a township committee is proposed to start, then the county party secretary approves after the head, and nobody else can', async () => {
    const opened = await d.reviewIn('opened', 'primary');
    expect(opened).toMatchObject({ kind: 'primary', target: 'partyCommittee', targetOrgId: 'town-a' });
    const proposed = await d.reviewCmd(opened.id, 'inspector1', { type: 'proposeStart', reason: '一案双查：倒查党委主体责任' });
    const started = await onlyTheSecretaryCompletes(proposed, 'startApproval');
    expect(started.state).toBe('investigating');
  });

  it('when 诫勉 is proposed in its findings, then the county party secretary approves the decision after the head, and nobody else can', async () => {
    const investigating = await d.reviewIn('investigating', 'primary');
    const proposed = await d.reviewCmd(investigating.id, 'inspector1', {
      type: 'submitFindings',
      responsibilityFound: true,
      parties: [REVIEW_PARTY],
      proposedMeasures: [{ target: REVIEW_PARTY.personId, measure: 'admonishment' }],
    });
    const decided = await onlyTheSecretaryCompletes(proposed, 'findingApproval');
    expect(decided.state).toBe('decided');
    expect(decided.decision).not.toBeNull();
  });

  it('when the supervision review of the same case is proposed to start, then the commission head alone approves it', async () => {
    const opened = await d.reviewIn('opened', 'supervision');
    const proposed = await d.reviewCmd(opened.id, 'inspector1', { type: 'proposeStart', reason: '一案双查：倒查纪委监督责任' });
    expect(proposed.pendingApproval).toMatchObject({ chain: ['commissionHead'] });
    expect(await d.reviewCmd(opened.id, 'head1', { type: 'approve' })).toMatchObject({ state: 'investigating', pendingApproval: null });
  });

  it('when a stand-alone primary review of a township committee is proposed to start, then its chain ends with the county party secretary too', async () => {
    const res = await (await sys.as('inspector1')).post('/api/v1/reviews/standalone', {
      unitOrgId: 'town-c', kinds: ['primary'], source: 'inspectionTour', reason: '巡察发现南川镇党委落实主体责任不力',
    });
    expect(res.status).toBe(201);
    const [review] = res.body.reviews;
    const proposed = await d.reviewCmd(review.id, 'inspector1', { type: 'proposeStart', reason: '巡察移交' });
    expect(proposed.pendingApproval).toMatchObject({ chain: ['commissionHead', 'partySecretary'] });
  });
});
