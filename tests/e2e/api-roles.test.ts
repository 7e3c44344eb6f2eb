/**
 * The role × command matrix of API.md, generated from its tables ("Cases", column "who";
 * "Approval chains"; "Reviews"), checked against the running system. The tables are copied here as
 * data on purpose: the machines' role tables are what is under test, not the source of truth.
 * Each role is played by a user holding only that role (`r-<role>`, created by the admin), who
 * takes no other part in the case, so that a refusal can only be about the role.
 */
import { clue, SUBJECT, withOrgChart } from '../helpers/fixtures';
import { driver, expectProblem, MEETING, REVIEW_PARTY, type CaseState, type Driver, type ReviewKind, type ReviewState, type View } from '../helpers/drive';
import { startTestSystem, type TestSystem } from '../helpers/system';
import { todayCst } from '../helpers/dates';

const ROLES = [
  'registrar', 'caseManager', 'inspector', 'trialReviewer', 'supervisor',
  'commissionHead', 'partySecretary', 'standingCommittee', 'auditor', 'admin',
] as const;
type Role = (typeof ROLES)[number];

const userOf = (role: Role) => `r-${role}`;
const others = (who: readonly Role[]) => ROLES.filter((r) => !who.includes(r));

let sys: TestSystem;
let d: Driver;

beforeAll(async () => {
  sys = await startTestSystem({ workers: true });
  await withOrgChart(sys);
  const admin = await sys.as('admin');
  for (const role of ROLES) {
    const res = await admin.post('/api/v1/users', { id: userOf(role), name: `只有${role}`, orgId: 'county', roles: [role] });
    expect(res.status).toBe(201);
  }
  // r-trialReviewer sits on every trial, never first (the first reviewer proposes the decision).
  d = driver(sys, { trialReviewers: ['reviewer1', userOf('trialReviewer')] });
}, 120_000); // the system starts slowly on a busy 2-core machine

afterAll(async () => {
  await sys.stop();
}, 60_000);

type Res = { status: number; headers: Record<string, string>; body: any };
const post = async (user: string, path: string, body: Record<string, unknown>): Promise<Res> => (await sys.as(user)).post(path, body);
const caseCommand = (user: string, id: string, body: Record<string, unknown>) => post(user, `/api/v1/cases/${id}/commands`, body);
const reviewCommand = (user: string, id: string, body: Record<string, unknown>) => post(user, `/api/v1/reviews/${id}/commands`, body);

/** Sends `body` as each role (concurrently: refusals change nothing) and returns status and reason by role. */
async function asEachRole(roles: readonly Role[], send: (user: string) => Promise<Res>) {
  const results = await Promise.all(roles.map(async (role) => {
    const res = await send(userOf(role));
    return [role, { status: res.status, reason: res.body?.reason, contentType: res.headers['content-type'] }] as const;
  }));
  return Object.fromEntries(results);
}

/**
 * Starts driving the fresh cases (or reviews) the tests of a describe need, all at once, so that
 * their requests overlap; each test then takes its own.
 */
function prepare(makers: Record<string, () => Promise<View>>): (key: string) => Promise<View> {
  const started: Record<string, Promise<View>> = {};
  beforeAll(() => {
    for (const [key, make] of Object.entries(makers)) {
      started[key] = make();
      started[key].catch(() => undefined); // reported by the test that takes it
    }
  });
  return (key) => started[key];
}

const refusedForRole = (roles: readonly Role[]) =>
  Object.fromEntries(roles.map((r) => [r, { status: 403, reason: 'role', contentType: expect.stringMatching(/^application\/problem\+json/) }]));

// ---------------------------------------------------------------------------------------------
// API.md "Cases": `POST /api/v1/cases` (registrar, caseManager, inspector), then the command table.

interface CaseRow {
  type: string;
  /** Column "who" (roles only; `recuse`'s "the user" and "assigned" are tested separately). */
  who: readonly Role[];
  /** Column "accepted in": where each allowed role is tried (default `in`). */
  in: CaseState;
  inFor?: Partial<Record<Role, CaseState>>;
  /** Column "next": the lifecycle state after success. */
  next: (from: CaseState) => string;
  payload: (state: CaseState) => Record<string, unknown>;
}

const same = (from: CaseState) => from;
const to = (state: string) => () => state;

const CASE_TABLE: CaseRow[] = [
  { type: 'assign', who: ['caseManager', 'supervisor'], in: 'registered', next: same, payload: () => ({ inspectorIds: ['inspector1'] }) },
  { type: 'proposeDisposition', who: ['inspector', 'caseManager'], in: 'registered', next: to('dispositionReview'), payload: () => ({ method: 'talkInquiry', reason: '反映具体' }) },
  { type: 'recordReply', who: ['inspector'], in: 'talkInquiry.awaitingReply', next: to('talkInquiry.replied'), payload: () => ({ summary: '书面说明', receivedAt: todayCst() }) },
  {
    type: 'proposeInquiryOutcome', who: ['inspector'], in: 'talkInquiry.replied', next: to('talkInquiry.outcomeReview'),
    payload: () => ({ outcome: 'acceptedClosed', reason: '说明属实' }),
  },
  {
    type: 'submitVerificationReport', who: ['inspector'], in: 'preliminaryVerification.inProgress', next: to('preliminaryVerification.reportReview'),
    payload: () => ({ recommendation: 'close', findings: '反映不实' }),
  },
  { type: 'reopen', who: ['caseManager', 'supervisor'], in: 'shelved', next: to('registered'), payload: () => ({ reason: '发现新证据' }) },
  {
    type: 'requestExtension', who: ['inspector', 'trialReviewer'], in: 'investigation.inProgress', inFor: { trialReviewer: 'trial.reviewing' }, next: same,
    payload: (state) => ({ deadlineKey: state === 'trial.reviewing' ? 'trial.decision' : 'investigation.report', days: 30, reason: '案情复杂' }),
  },
  {
    type: 'submitInvestigationReport', who: ['inspector'], in: 'investigation.inProgress', next: to('trial.unassigned'),
    payload: () => ({ findings: '查明事实', proposedMeasures: [{ personId: SUBJECT.personId, measure: 'partyWarning' }] }),
  },
  { type: 'assignTrialReviewers', who: ['supervisor', 'commissionHead'], in: 'trial.unassigned', next: to('trial.reviewing'), payload: () => ({ userIds: ['reviewer1', 'reviewer2'] }) },
  { type: 'returnForSupplement', who: ['trialReviewer'], in: 'trial.reviewing', next: to('investigation.inProgress'), payload: () => ({ reason: '证据不足' }) },
  {
    type: 'proposeDecision', who: ['trialReviewer'], in: 'trial.reviewing', next: to('trial.decisionReview'),
    payload: () => ({ measures: [{ personId: SUBJECT.personId, measure: 'partyWarning' }], judicialTransfer: false, reason: '事实清楚' }),
  },
  { type: 'recordExecution', who: ['inspector', 'caseManager'], in: 'decided', next: to('executed'), payload: () => ({ note: '已执行' }) },
  { type: 'fileAppeal', who: ['caseManager'], in: 'decided', next: to('appeal'), payload: () => ({ personId: SUBJECT.personId, reason: '处分过重' }) },
  { type: 'decideAppeal', who: ['standingCommittee', 'commissionHead'], in: 'appeal', next: to('decided'), payload: () => ({ outcome: 'upheld' }) },
  // `close` concludes; without a 一案双查 review running the case is closed at once.
  { type: 'close', who: ['caseManager', 'supervisor'], in: 'executed', next: to('closed'), payload: () => ({ note: '结案' }) },
  { type: 'triggerDualInvestigation', who: ['commissionHead'], in: 'registered', next: same, payload: () => ({ reason: '一案双查' }) },
];

describe('case commands by role (API.md "Cases", column "who")', () => {
  describe('POST /api/v1/cases', () => {
    const who: Role[] = ['registrar', 'caseManager', 'inspector'];

    it('when a role outside registrar, caseManager, inspector registers a clue, then each gets 403 role', async () => {
      expect(await asEachRole(others(who), (user) => post(user, '/api/v1/cases', clue()))).toEqual(refusedForRole(others(who)));
    });

    it.each(who)('when a %s registers a clue, then 201 and the case is registered', async (role) => {
      const res = await post(userOf(role), '/api/v1/cases', clue());
      expect({ status: res.status, state: res.body.state }).toEqual({ status: 201, state: 'registered' });
    });
  });

  describe.each(CASE_TABLE)('$type', (row) => {
    const denied = others(row.who);
    const take = prepare({
      denied: () => d.caseIn(row.in),
      ...Object.fromEntries(row.who.map((role) => [role, () => d.caseIn(row.inFor?.[role] ?? row.in)])),
    });

    it(`when a role outside ${row.who.join(', ')} sends it in ${row.in}, then each gets 403 role and the case is unchanged`, async () => {
      const view = await take('denied');
      const results = await asEachRole(denied, (user) => caseCommand(user, view.id, { type: row.type, ...row.payload(row.in) }));
      expect(results).toEqual(refusedForRole(denied));
      expect(await d.caseView(view.id)).toMatchObject({ state: row.in, version: view.version });
    });

    it.each(row.who)(`when a %s sends it where accepted, then 200 and the case moves on as the table says`, async (role) => {
      const state = row.inFor?.[role] ?? row.in;
      const view = await take(role);
      const res = await caseCommand(userOf(role), view.id, { type: row.type, ...row.payload(state) });
      expect({ status: res.status, code: res.body.code, reason: res.body.reason }).toEqual({ status: 200, code: undefined, reason: undefined });
      expect(res.body).toMatchObject({ state: row.next(state), version: view.version + 1 });
    });
  });

  describe('returnForSupplement, proposeDecision (who: assigned trialReviewer)', () => {
    it('when a trial reviewer not assigned to the trial sends them, then 403 and the case is unchanged', async () => {
      const view = await d.caseIn('trial.reviewing');
      for (const row of CASE_TABLE.filter((r) => r.type === 'returnForSupplement' || r.type === 'proposeDecision')) {
        const res = await caseCommand('reviewer2', view.id, { type: row.type, ...row.payload('trial.reviewing') });
        expectProblem(res, 403, 'forbidden');
      }
      expect(await d.caseView(view.id)).toMatchObject({ state: 'trial.reviewing', version: view.version });
    });
  });

  describe('recuse (who: the user, supervisor, commissionHead)', () => {
    const body = (userId: string) => ({ type: 'recuse', userId, relation: 'witness', reason: '系证人' });

    it('when a role other than supervisor or commissionHead recuses someone else, then each gets 403 role', async () => {
      const view = await d.caseIn('registered');
      const denied = others(['supervisor', 'commissionHead']);
      expect(await asEachRole(denied, (user) => caseCommand(user, view.id, body('inspector2')))).toEqual(refusedForRole(denied));
      expect(await d.caseView(view.id)).toMatchObject({ version: view.version, recusals: [] });
    });

    it.each(['supervisor', 'commissionHead'] as Role[])('when a %s recuses another user, then 200 and the recusal is recorded', async (role) => {
      const view = await d.caseIn('registered');
      const res = await caseCommand(userOf(role), view.id, body('inspector2'));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'registered', version: view.version + 1, recusals: [{ userId: 'inspector2', relation: 'witness' }] });
    });

    it('when each role recuses itself, then each gets 200', async () => {
      const view = await d.caseIn('registered');
      for (const role of ROLES) {
        const res = await caseCommand(userOf(role), view.id, body(userOf(role)));
        expect({ role, status: res.status }).toEqual({ role, status: 200 });
      }
      expect((await d.caseView(view.id)).recusals.map((r: any) => r.userId).sort()).toEqual(ROLES.map(userOf).sort());
    });
  });
});

// ---------------------------------------------------------------------------------------------
// API.md "Approval chains": approve and reject belong to the next role of the chain.

interface ChainRow {
  name: string;
  state: CaseState;
  setup?: (d: Driver, view: View) => Promise<View>;
  options?: Parameters<Driver['caseIn']>[1];
  chain: Role[];
  /** State after the last approval, and after a rejection. */
  applied: string;
  rejected: string;
}

const requestExtension = (by: 'inspector' | 'reviewer', key: string) => async (drv: Driver, view: View) =>
  drv.caseCmd(view.id, by === 'inspector' ? drv.actors.inspector : drv.actors.trialReviewers[0], { type: 'requestExtension', deadlineKey: key, days: 30, reason: '案情复杂' });

const CHAINS: ChainRow[] = [
  { name: 'disposition talkInquiry', state: 'dispositionReview', options: { method: 'talkInquiry' }, chain: ['supervisor'], applied: 'talkInquiry.awaitingReply', rejected: 'registered' },
  { name: 'disposition shelve', state: 'dispositionReview', options: { method: 'shelve' }, chain: ['supervisor'], applied: 'shelved', rejected: 'registered' },
  { name: 'disposition close', state: 'dispositionReview', options: { method: 'close' }, chain: ['supervisor'], applied: 'closed', rejected: 'registered' },
  {
    name: 'disposition preliminaryVerification', state: 'dispositionReview', options: { method: 'preliminaryVerification' }, chain: ['commissionHead'],
    applied: 'preliminaryVerification.inProgress', rejected: 'registered',
  },
  { name: 'inquiry outcome acceptedClosed', state: 'talkInquiry.outcomeReview', options: { outcome: 'acceptedClosed' }, chain: ['supervisor'], applied: 'closed', rejected: 'talkInquiry.replied' },
  {
    name: 'verification report file', state: 'preliminaryVerification.reportReview', options: { recommendation: 'file' }, chain: ['commissionHead', 'partySecretary'],
    applied: 'investigation.inProgress', rejected: 'preliminaryVerification.inProgress',
  },
  {
    name: 'verification report shelve', state: 'preliminaryVerification.reportReview', options: { recommendation: 'shelve' }, chain: ['commissionHead'],
    applied: 'shelved', rejected: 'preliminaryVerification.inProgress',
  },
  {
    name: 'extension in investigation', state: 'investigation.inProgress', setup: requestExtension('inspector', 'investigation.report'), chain: ['commissionHead'],
    applied: 'investigation.inProgress', rejected: 'investigation.inProgress',
  },
  {
    name: 'extension in trial', state: 'trial.reviewing', setup: requestExtension('reviewer', 'trial.decision'), chain: ['commissionHead'],
    applied: 'trial.reviewing', rejected: 'trial.reviewing',
  },
  { name: 'decision', state: 'trial.decisionReview', chain: ['commissionHead', 'standingCommittee'], applied: 'decided', rejected: 'trial.reviewing' },
];

/** The earlier steps of the chain, approved by the demo users (never by an `r-` user). */
const DEMO_APPROVER: Record<string, string> = { supervisor: 'supervisor1', commissionHead: 'head1', partySecretary: 'secretary1', standingCommittee: 'committee1' };

const approveBody = (role: Role) => ({ type: 'approve', comment: '同意', ...(role === 'standingCommittee' ? { meeting: { ...MEETING, attendees: [userOf(role)] } } : {}) });

async function pendingAt(row: ChainRow, step: number): Promise<View> {
  let view = await d.caseIn(row.state, row.options);
  if (row.setup) view = await row.setup(d, view);
  for (let i = 0; i < step; i++) view = await d.caseCmd(view.id, DEMO_APPROVER[row.chain[i]], approveBody(row.chain[i]));
  expect(view.pendingApproval).toMatchObject({ chain: row.chain, approvals: expect.any(Array) });
  expect(view.pendingApproval.approvals).toHaveLength(step);
  return view;
}

describe('case approvals by role (API.md "Approval chains")', () => {
  const points = CHAINS.flatMap((row) => row.chain.map((role, step) => ({ row, role, step, name: `${row.name}, step ${step + 1} (${role})` })));

  describe.each(points)('approve, reject: $name', ({ row, role, step }) => {
    const last = step === row.chain.length - 1;
    const take = prepare({ approve: () => pendingAt(row, step), reject: () => pendingAt(row, step) });

    it(`when a role other than ${role} approves or rejects, then each gets 403 role, then the ${role} approves with 200`, async () => {
      const view = await take('approve');
      const denied = others([role]);
      expect(await asEachRole(denied, (user) => caseCommand(user, view.id, approveBody(role)))).toEqual(refusedForRole(denied));
      expect(await asEachRole(denied, (user) => caseCommand(user, view.id, { type: 'reject', comment: '不同意' }))).toEqual(refusedForRole(denied));
      expect(await d.caseView(view.id)).toMatchObject({ version: view.version, state: view.state });

      const res = await caseCommand(userOf(role), view.id, approveBody(role));
      expect(res.status).toBe(200);
      if (last) expect(res.body).toMatchObject({ state: row.applied, pendingApproval: null });
      else expect(res.body.pendingApproval.approvals).toEqual([...view.pendingApproval.approvals, expect.objectContaining({ userId: userOf(role), role })]);
    });

    it(`when the ${role} rejects, then 200 and the case is back where it was proposed`, async () => {
      const view = await take('reject');
      const res = await caseCommand(userOf(role), view.id, { type: 'reject', comment: '不同意' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: row.rejected, pendingApproval: null, version: view.version + 1 });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// API.md "Reviews": the review command table.

interface ReviewRow {
  type: string;
  who: readonly Role[];
  in: ReviewState;
  next: string;
  payload: () => Record<string, unknown>;
}

const REVIEW_TABLE: ReviewRow[] = [
  { type: 'proposeStart', who: ['inspector', 'supervisor'], in: 'opened', next: 'startApproval', payload: () => ({ reason: '一案双查' }) },
  {
    type: 'submitFindings', who: ['inspector'], in: 'investigating', next: 'findingApproval',
    payload: () => ({ responsibilityFound: true, parties: [REVIEW_PARTY], proposedMeasures: [{ target: REVIEW_PARTY.personId, measure: 'circular' }] }),
  },
  { type: 'recordExecution', who: ['inspector', 'caseManager'], in: 'decided', next: 'concluded', payload: () => ({ note: '已执行' }) },
  { type: 'fileAppeal', who: ['caseManager'], in: 'decided', next: 'appeal', payload: () => ({ personId: REVIEW_PARTY.personId, reason: '问责过重' }) },
  { type: 'decideAppeal', who: ['standingCommittee', 'commissionHead'], in: 'appeal', next: 'decided', payload: () => ({ outcome: 'upheld' }) },
];

// 问责条例 Arts 9, 12: the demo subject's unit (东岭镇) is led directly by the county committee, so its
// primary review's start and its 诫勉/通报/检查 need the county's party secretary after the commission head.
const REVIEW_CHAINS: Array<{ name: string; state: ReviewState; kind: ReviewKind; chain: Role[]; applied: string; rejected: string }> = [
  { name: 'reviewStart primary', state: 'startApproval', kind: 'primary', chain: ['commissionHead', 'partySecretary'], applied: 'investigating', rejected: 'opened' },
  { name: 'reviewStart supervision', state: 'startApproval', kind: 'supervision', chain: ['commissionHead'], applied: 'investigating', rejected: 'opened' },
  { name: 'reviewFindings primary (诫勉)', state: 'findingApproval', kind: 'primary', chain: ['commissionHead', 'partySecretary'], applied: 'decided', rejected: 'investigating' },
  { name: 'reviewFindings supervision (诫勉)', state: 'findingApproval', kind: 'supervision', chain: ['commissionHead'], applied: 'decided', rejected: 'investigating' },
];

/** A review whose proposal awaits step `step` of `row.chain`, the earlier steps approved by the demo users. */
async function reviewPendingAt(row: (typeof REVIEW_CHAINS)[number], step: number): Promise<View> {
  let view = await d.reviewIn(row.state, row.kind);
  for (let i = 0; i < step; i++) view = await d.reviewCmd(view.id, DEMO_APPROVER[row.chain[i]], { type: 'approve' });
  expect(view.pendingApproval).toMatchObject({ chain: row.chain });
  expect(view.pendingApproval.approvals).toHaveLength(step);
  return view;
}

describe('review commands by role (API.md "Reviews", column "who")', () => {
  describe.each(REVIEW_TABLE)('$type', (row) => {
    const take = prepare({ denied: () => d.reviewIn(row.in), ...Object.fromEntries(row.who.map((role) => [role, () => d.reviewIn(row.in)])) });
    it(`when a role outside ${row.who.join(', ')} sends it in ${row.in}, then each gets 403 role`, async () => {
      const view = await take('denied');
      const denied = others(row.who);
      expect(await asEachRole(denied, (user) => reviewCommand(user, view.id, { type: row.type, ...row.payload() }))).toEqual(refusedForRole(denied));
      expect(await d.reviewView(view.id)).toMatchObject({ state: row.in, version: view.version });
    });

    it.each(row.who)(`when a %s sends it in ${row.in}, then 200 and the review is ${row.next}`, async (role) => {
      const view = await take(role);
      const res = await reviewCommand(userOf(role), view.id, { type: row.type, ...row.payload() });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: row.next, version: view.version + 1 });
    });
  });

  const points = REVIEW_CHAINS.flatMap((row) => row.chain.map((role, step) => ({ row, role, step, name: `${row.name}, step ${step + 1} (${role})` })));
  describe.each(points)('approve, reject: $name', ({ row, role, step }) => {
    const last = step === row.chain.length - 1;
    const take = prepare({ approve: () => reviewPendingAt(row, step), reject: () => reviewPendingAt(row, step) });
    it(`when a role other than ${role} approves or rejects, then each gets 403 role, then the ${role} approves with 200`, async () => {
      const view = await take('approve');
      const denied = others([role]);
      expect(await asEachRole(denied, (user) => reviewCommand(user, view.id, { type: 'approve' }))).toEqual(refusedForRole(denied));
      expect(await asEachRole(denied, (user) => reviewCommand(user, view.id, { type: 'reject', comment: '不同意' }))).toEqual(refusedForRole(denied));
      expect(await d.reviewView(view.id)).toMatchObject({ version: view.version, state: view.state });
      const res = await reviewCommand(userOf(role), view.id, { type: 'approve' });
      expect(res.status).toBe(200);
      if (last) expect(res.body).toMatchObject({ state: row.applied, pendingApproval: null });
      else expect(res.body.pendingApproval.approvals).toEqual([...view.pendingApproval.approvals, expect.objectContaining({ userId: userOf(role), role })]);
    });

    it(`when the ${role} rejects, then 200 and the review is back where it was proposed`, async () => {
      const view = await take('reject');
      const res = await reviewCommand(userOf(role), view.id, { type: 'reject', comment: '不同意' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: row.rejected, pendingApproval: null });
    });
  });

  describe('deadline.reached (internal event)', () => {
    it('when any role sends it to a review, then each gets 403 system_only', async () => {
      const view = await d.reviewIn('investigating');
      const results = await asEachRole(ROLES, (user) => reviewCommand(user, view.id, { type: 'deadline.reached', key: 'review.report', level: 'overdue' }));
      expect(results).toEqual(Object.fromEntries(ROLES.map((r) => [r, expect.objectContaining({ status: 403, reason: 'system_only' })])));
      expect(await d.reviewView(view.id)).toMatchObject({ version: view.version });
    });
  });
});
