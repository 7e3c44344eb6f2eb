/**
 * Drives fresh cases and reviews into any (sub-)state of API.md through real HTTP commands, so
 * tests of one command start from the state that command is accepted in. Every path is the
 * shortest one of the contract; the resulting state is checked, so a helper never hands out a
 * case in a state other than the one asked for.
 */
import { clue, command, SUBJECT } from './fixtures';
import { eventually, type TestSystem } from './system';
import { todayCst } from './dates';

/** Lifecycle (sub-)states of API.md "Cases" a fresh case can be driven into. */
export const CASE_STATES = [
  'registered',
  'dispositionReview',
  'talkInquiry.awaitingReply',
  'talkInquiry.replied',
  'talkInquiry.outcomeReview',
  'preliminaryVerification.inProgress',
  'preliminaryVerification.reportReview',
  'shelved',
  'investigation.inProgress',
  'trial.unassigned',
  'trial.reviewing',
  'trial.decisionReview',
  'decided',
  'executed',
  'appeal',
  'concluded',
  'closed',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Review states of API.md "Reviews". */
export const REVIEW_STATES = ['opened', 'startApproval', 'investigating', 'findingApproval', 'decided', 'appeal', 'concluded'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export type ReviewKind = 'primary' | 'supervision';

/** Who takes each step on the way; tests that need other users for a role pass their own. */
export interface Actors {
  registrar: string;
  manager: string;
  inspector: string;
  supervisor: string;
  head: string;
  secretary: string;
  committee: string;
  /** The upper-level commission's head (`commissionHead@upper` steps). */
  upperHead: string;
  trialReviewers: [string, string];
}

export const DEMO_ACTORS: Actors = {
  registrar: 'registrar1',
  manager: 'manager1',
  inspector: 'inspector1',
  supervisor: 'supervisor1',
  head: 'head1',
  secretary: 'secretary1',
  committee: 'committee1',
  upperHead: 'cityhead',
  trialReviewers: ['reviewer1', 'reviewer2'],
};

/** Choices for the last step only (the states on the way use the defaults). */
export interface StepOptions {
  /** `dispositionReview`: the proposed method (default `talkInquiry`). */
  method?: 'talkInquiry' | 'preliminaryVerification' | 'shelve' | 'close';
  /** `talkInquiry.outcomeReview`: the proposed outcome (default `acceptedClosed`). */
  outcome?: 'acceptedClosed' | 'firstForm' | 'repeatInquiry' | 'preliminaryVerification';
  /** `preliminaryVerification.reportReview`: the recommendation (default `file`). */
  recommendation?: 'file' | 'close' | 'reminderTalk' | 'shelve' | 'transfer';
}

export const MEASURE = { personId: SUBJECT.personId, measure: 'partySeriousWarning' };
export const MEETING = { ref: '常委会〔2026〕12号', attendees: ['committee1', 'head1'], dissent: [] as string[] };
/** A review party with a measure, so that the review can be decided, executed and appealed. */
export const REVIEW_PARTY = { name: '赵书记', personId: 'p-zhao', position: '东岭镇党委书记', responsibility: 'mainLeadership' };

export type View = Record<string, any>;
type Send = (id: string, user: string, body: Record<string, unknown>) => Promise<View>;
/** A step of a route; `current` is the view before it (after the previous step). */
type Step = (send: Send, id: string, a: Actors, o: StepOptions, current: () => Promise<View>) => Promise<View>;

/** The step an approval chain awaits next (API.md "Approval chains"), if any. */
export function nextStep(view: View): string | undefined {
  const pending = view.pendingApproval as { chain: string[]; approvals: unknown[] } | null | undefined;
  return pending ? pending.chain[pending.approvals.length] : undefined;
}

/** The actor who takes a chain step: the user holding its role (the party committee's secretary records its meeting). */
export function approverOf(step: string, a: Actors = DEMO_ACTORS): string {
  const by: Record<string, string> = {
    supervisor: a.supervisor,
    commissionHead: a.head,
    'commissionHead@upper': a.upperHead,
    partySecretary: a.secretary,
    partyCommittee: a.secretary,
    standingCommittee: a.committee,
  };
  const user = by[step];
  if (!user) throw new Error(`no approver for chain step ${step}`);
  return user;
}

/** The body of an `approve` of `step` by `user`: the standing committee and the party committee decide in a meeting. */
export function approveBody(step: string, user: string): Record<string, unknown> {
  if (step === 'standingCommittee') return { type: 'approve', comment: '常委会审议通过', meeting: MEETING };
  if (step === 'partyCommittee') return { type: 'approve', comment: '党委会议决定', meeting: { ...MEETING, ref: '党委会〔2026〕3号', attendees: [user] } };
  return { type: 'approve', comment: '同意' };
}

/**
 * Approves the pending proposal of `view` down its whole chain, each step by the actor holding that
 * step's role, until no approval is pending; returns the last view (`view` itself if none was pending).
 */
export async function approveAll(send: Send, view: View, a: Actors = DEMO_ACTORS): Promise<View> {
  let at = view;
  for (let step = nextStep(at); step !== undefined; step = nextStep(at)) {
    const user = approverOf(step, a);
    at = await send(at.id, user, approveBody(step, user));
  }
  return at;
}

/** Each state: the state it is reached from and the one command that leads here. */
const CASE_ROUTE: Record<Exclude<CaseState, 'registered' | 'concluded'>, [CaseState, Step]> = {
  dispositionReview: ['registered', (s, id, a, o) => s(id, a.inspector, { type: 'proposeDisposition', method: o.method ?? 'talkInquiry', reason: '反映问题具体' })],
  'talkInquiry.awaitingReply': ['dispositionReview', (s, id, a) => s(id, a.supervisor, { type: 'approve', comment: '同意谈话函询' })],
  'talkInquiry.replied': ['talkInquiry.awaitingReply', (s, id, a) => s(id, a.inspector, { type: 'recordReply', summary: '本人书面说明', receivedAt: todayCst() })],
  'talkInquiry.outcomeReview': [
    'talkInquiry.replied',
    (s, id, a, o) => {
      const outcome = o.outcome ?? 'acceptedClosed';
      const measures = outcome === 'firstForm' ? { measures: [{ personId: SUBJECT.personId, measure: 'admonishment' }] } : {};
      return s(id, a.inspector, { type: 'proposeInquiryOutcome', outcome, ...measures, reason: '说明属实' });
    },
  ],
  'preliminaryVerification.inProgress': [
    'registered',
    async (s, id, a) => {
      await s(id, a.inspector, { type: 'proposeDisposition', method: 'preliminaryVerification', reason: '可查性强' });
      return s(id, a.head, { type: 'approve', comment: '同意初核' });
    },
  ],
  'preliminaryVerification.reportReview': [
    'preliminaryVerification.inProgress',
    (s, id, a, o) => s(id, a.inspector, { type: 'submitVerificationReport', recommendation: o.recommendation ?? 'file', findings: '初核属实' }),
  ],
  shelved: [
    'registered',
    async (s, id, a) => {
      await s(id, a.inspector, { type: 'proposeDisposition', method: 'shelve', reason: '暂不具备核查条件' });
      return s(id, a.supervisor, { type: 'approve' });
    },
  ],
  'investigation.inProgress': [
    'preliminaryVerification.inProgress',
    async (s, id, a) => {
      await s(id, a.inspector, { type: 'submitVerificationReport', recommendation: 'file', findings: '初核属实' });
      await s(id, a.head, { type: 'approve', comment: '拟同意立案' });
      return s(id, a.secretary, { type: 'approve', comment: '同意立案' });
    },
  ],
  'trial.unassigned': ['investigation.inProgress', (s, id, a) => s(id, a.inspector, { type: 'submitInvestigationReport', findings: '查明收受礼金', proposedMeasures: [MEASURE] })],
  'trial.reviewing': ['trial.unassigned', (s, id, a) => s(id, a.supervisor, { type: 'assignTrialReviewers', userIds: a.trialReviewers })],
  'trial.decisionReview': [
    'trial.reviewing',
    (s, id, a) => s(id, a.trialReviewers[0], { type: 'proposeDecision', measures: [MEASURE], judicialTransfer: false, reason: '事实清楚' }),
  ],
  decided: [
    'trial.decisionReview',
    async (s, id, a) => {
      await s(id, a.head, { type: 'approve', comment: '同意' });
      return s(id, a.committee, { type: 'approve', comment: '常委会审议通过', meeting: MEETING });
    },
  ],
  executed: ['decided', (s, id, a) => s(id, a.inspector, { type: 'recordExecution', note: '已宣布执行' })],
  appeal: ['decided', (s, id, a) => s(id, a.manager, { type: 'fileAppeal', personId: SUBJECT.personId, reason: '认为处分过重' })],
  closed: [
    'registered',
    async (s, id, a) => {
      await s(id, a.inspector, { type: 'proposeDisposition', method: 'close', reason: '反映不实' });
      return s(id, a.supervisor, { type: 'approve' });
    },
  ],
};

const REVIEW_ROUTE: Record<Exclude<ReviewState, 'opened'>, [ReviewState, Step]> = {
  startApproval: ['opened', (s, id, a) => s(id, a.inspector, { type: 'proposeStart', reason: '一案双查' })],
  investigating: ['startApproval', async (s, id, a, _o, current) => approveAll(s, await current(), a)],
  findingApproval: [
    'investigating',
    (s, id, a) =>
      s(id, a.inspector, {
        type: 'submitFindings',
        responsibilityFound: true,
        parties: [REVIEW_PARTY],
        proposedMeasures: [{ target: REVIEW_PARTY.personId, measure: 'admonishment' }],
      }),
  ],
  decided: ['findingApproval', async (s, id, a, _o, current) => approveAll(s, await current(), a)],
  appeal: ['decided', (s, id, a) => s(id, a.manager, { type: 'fileAppeal', personId: REVIEW_PARTY.personId, reason: '认为问责过重' })],
  concluded: ['decided', (s, id, a) => s(id, a.inspector, { type: 'recordExecution', note: '已执行' })],
};

/** The shape every error response has (API.md "Errors"), with its status and code. */
export function expectProblem(res: { status: number; headers: Record<string, string>; body: any }, status: number, code: string, extra: Record<string, unknown> = {}): void {
  expect({ status: res.status, contentType: res.headers['content-type'] }).toEqual({ status, contentType: expect.stringMatching(/^application\/problem\+json/) });
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, code, detail: expect.any(String), ...extra });
}

function pathTo<S extends string>(route: Record<string, [S, Step]>, target: S): Step[] {
  const steps: Step[] = [];
  for (let at: S | undefined = target; at && route[at]; at = route[at][0]) steps.unshift(route[at][1]);
  return steps;
}

export interface Driver {
  actors: Actors;
  /** A command on a case that must be accepted (200). */
  caseCmd: Send;
  /** A command on a review that must be accepted (200). */
  reviewCmd: Send;
  /** Registers a fresh clue (as the registrar) and returns its view. */
  register(overrides?: Record<string, unknown>): Promise<View>;
  /** A fresh case in `state`; `options` shape the last step. Needs workers for `concluded`. */
  caseIn(state: CaseState, options?: StepOptions & { clue?: Record<string, unknown> }): Promise<View>;
  /** Drives an existing case from its current state (on the route to `state`) onwards. */
  advance(id: string, from: CaseState, state: CaseState, options?: StepOptions): Promise<View>;
  /** `triggerDualInvestigation` by the head, then waits for the workers to open both reviews. */
  openDualInvestigation(caseId: string): Promise<View>;
  /**
   * A fresh review in `state` (workers needed), of `kind` if given; reviews come in pairs, the spare
   * is kept for the next call. Every approval on the way goes down the whole chain the view reports.
   */
  reviewIn(state: ReviewState, kind?: ReviewKind): Promise<View>;
  /** Approves the pending proposal of a case or review down its whole chain (each step by its role's actor). */
  approvePending(kind: 'case' | 'review', id: string): Promise<View>;
  /** The case view as `user` (default: the registrar). */
  caseView(id: string, user?: string): Promise<View>;
  reviewView(id: string, user?: string): Promise<View>;
}

/** A driver for `sys`; `actors` override who takes the steps. */
export function driver(sys: TestSystem, actors: Partial<Actors> = {}): Driver {
  const a: Actors = { ...DEMO_ACTORS, ...actors };
  const caseCmd: Send = (id, user, body) => command(sys, user, `/api/v1/cases/${id}/commands`, body);
  const reviewCmd: Send = (id, user, body) => command(sys, user, `/api/v1/reviews/${id}/commands`, body);
  const get = async (url: string, user: string) => {
    const res = await (await sys.as(user)).get(url);
    if (res.status !== 200) throw new Error(`GET ${url} as ${user} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as View;
  };
  const caseView = (id: string, user = a.registrar) => get(`/api/v1/cases/${id}`, user);
  const reviewView = (id: string, user = a.registrar) => get(`/api/v1/reviews/${id}`, user);

  const register = async (overrides: Record<string, unknown> = {}) => {
    const res = await (await sys.as(a.registrar)).post('/api/v1/cases', clue(overrides));
    if (res.status !== 201) throw new Error(`register → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as View;
  };

  const expectState = (view: View, state: string, what: string) => {
    if (view.state !== state) throw new Error(`${what}: expected state ${state}, got ${view.state}`);
    return view;
  };

  const walk = async (route: Record<string, [string, Step]>, send: Send, id: string, from: string, to: string, options: StepOptions, read: (id: string) => Promise<View>) => {
    const steps = pathTo(route, to);
    const start = from === to ? steps.length : pathTo(route, from).length;
    let view: View | undefined;
    for (let i = start; i < steps.length; i++) {
      const before = view;
      view = await steps[i](send, id, a, i === steps.length - 1 ? options : {}, () => (before ? Promise.resolve(before) : read(id)));
    }
    return view;
  };

  const advance = async (id: string, from: CaseState, state: CaseState, options: StepOptions = {}) => {
    const view = (await walk(CASE_ROUTE, caseCmd, id, from, state, options, (i) => caseView(i))) ?? (await caseView(id));
    return expectState(view, state, `case ${id}`);
  };

  const openDualInvestigation = async (caseId: string) => {
    await caseCmd(caseId, a.head, { type: 'triggerDualInvestigation', reason: '一案双查' });
    return eventually(async () => {
      const v = await caseView(caseId);
      return v.dualInvestigation.state === 'open' && v.dualInvestigation.reviews.every((r: any) => r.id) ? v : null;
    }, 15_000);
  };

  const caseIn = async (state: CaseState, options: StepOptions & { clue?: Record<string, unknown> } = {}) => {
    const created = await register(options.clue);
    if (state === 'registered') return created;
    if (state === 'concluded') {
      // Concluded lasts only while a 一案双查 review runs: open them, then end the case's own work.
      await openDualInvestigation(created.id);
      return expectState((await walk(CASE_ROUTE, caseCmd, created.id, 'registered', 'closed', {}, (i) => caseView(i)))!, 'concluded', `case ${created.id}`);
    }
    return advance(created.id, 'registered', state, options);
  };

  // Reviews come in pairs (primary, supervision): the one not asked for is kept for the next call.
  const spare: Record<ReviewKind, Array<Promise<string>>> = { primary: [], supervision: [] };
  let alternate = 0;
  const freshReviewId = (kind: ReviewKind): Promise<string> => {
    if (spare[kind].length) return spare[kind].shift()!;
    const pair = caseIn('registered').then(async (c) => {
      const v = await openDualInvestigation(c.id);
      const reviews = v.dualInvestigation.reviews as Array<{ id: string; kind: ReviewKind }>;
      return (k: ReviewKind) => reviews.find((r) => r.kind === k)!.id;
    });
    const other: ReviewKind = kind === 'primary' ? 'supervision' : 'primary';
    const kept = pair.then((idOf) => idOf(other));
    kept.catch(() => undefined); // reported to the caller that takes it
    spare[other].push(kept);
    return pair.then((idOf) => idOf(kind));
  };

  const reviewIn = async (state: ReviewState, kind?: ReviewKind) => {
    // Without a kind, either (a spare first), so that a pair serves two calls.
    const k: ReviewKind = kind ?? (spare.primary.length ? 'primary' : spare.supervision.length ? 'supervision' : alternate++ % 2 ? 'supervision' : 'primary');
    const id = await freshReviewId(k);
    const view = (await walk(REVIEW_ROUTE, reviewCmd, id, 'opened', state, {}, (i) => reviewView(i))) ?? (await reviewView(id));
    return expectState(view, state, `review ${id}`);
  };

  const approvePending = async (kind: 'case' | 'review', id: string) =>
    kind === 'case' ? approveAll(caseCmd, await caseView(id), a) : approveAll(reviewCmd, await reviewView(id), a);

  return { actors: a, caseCmd, reviewCmd, register, caseIn, advance, openDualInvestigation, reviewIn, approvePending, caseView, reviewView };
}
