import { DEFAULT_APPROVALS } from '../../../config/approvals';
import { EXTENSION_LIMITS } from '../../../config/deadlines';
import { DEFAULT_DUAL_INVESTIGATION } from '../../../config/dual-investigation';
import {
  createCaseMachine, createReviewMachine, explainRefusal, fromPersisted, initialCase, initialReview, stepCase, stepReview, SYSTEM_ACTOR, toPersisted,
  type Actor, type CaseEvent, type CaseInput, type CaseSnapshot, type Effect, type MachinePolicy, type ReviewEvent, type ReviewSnapshot, type Role,
} from '../../../machines';
import { needsMeeting, nextStepIsUpper, stepRole } from '../../../machines/shared/approval';

/** Test fixtures: the default policy, a cast of users, and drivers that take real event paths. */
export const POLICY: MachinePolicy = { approvals: DEFAULT_APPROVALS, dualInvestigation: DEFAULT_DUAL_INVESTIGATION, extensions: EXTENSION_LIMITS };
export const caseMachine = createCaseMachine(POLICY);
export const reviewMachine = createReviewMachine(POLICY);

export const actor = (id: string, ...roles: Role[]): Actor => ({ id, roles, orgId: 'county-1' });
/** The commission above the case's (`@upper` approval steps). */
export const UPPER_ORG = 'city-1';

export const users = {
  registrar: actor('reg', 'registrar'),
  inspector: actor('insp1', 'inspector'),
  inspector2: actor('insp2', 'inspector'),
  caseManager: actor('cm', 'caseManager'),
  supervisor: actor('sup', 'supervisor'),
  commissionHead: actor('head', 'commissionHead'),
  partySecretary: actor('sec', 'partySecretary'),
  standingCommittee: actor('sc', 'standingCommittee'),
  reviewer1: actor('tr1', 'trialReviewer'),
  reviewer2: actor('tr2', 'trialReviewer'),
  reviewer3: actor('tr3', 'trialReviewer'),
  upperCommissionHead: { id: 'city-head', roles: ['commissionHead'], orgId: UPPER_ORG } as Actor,
  system: SYSTEM_ACTOR,
} as const;

/** Holders of each approving role, in the order tests pick them. */
const approvers: Partial<Record<Role, Actor>> = {
  supervisor: users.supervisor,
  commissionHead: users.commissionHead,
  partySecretary: users.partySecretary,
  standingCommittee: users.standingCommittee,
};

export const MEETING = { ref: '常委会 2026-12', attendees: ['sc', 'sc2'], dissent: [] };

export const caseInput = (overrides: Partial<CaseInput> = {}): CaseInput => ({
  caseId: 'case-1',
  orgId: 'county-1',
  upperOrgId: UPPER_ORG,
  major: false,
  receivedAt: '2026-11-02',
  subjects: [
    { personId: 'p1', name: '张某', orgId: 'town-1', rank: 'townshipDeputy' },
    { personId: 'p2', name: '李某', orgId: 'town-1', rank: 'staff' },
  ],
  ...overrides,
});

/** A JSON round trip through the store format must restore an equivalent snapshot. */
export function roundTrip<S extends CaseSnapshot | ReviewSnapshot>(snapshot: S): S {
  const machine = snapshot.machine.id === 'case' ? caseMachine : reviewMachine;
  const persisted = JSON.parse(JSON.stringify(toPersisted(machine, snapshot)));
  const restored = fromPersisted(machine as never, persisted) as S;
  expect(restored.value).toEqual(snapshot.value);
  expect(restored.context).toEqual(snapshot.context);
  expect(restored.status).toEqual(snapshot.status);
  return restored;
}

/** A case driven through events that must all be accepted; restores from JSON after every step. */
export class CaseDriver {
  snapshot: CaseSnapshot;
  effects: Effect[] = [];
  /** Every accepted event, in order (replayed by the pure-transition test). */
  readonly events: CaseEvent[] = [];

  constructor(readonly input: CaseInput = caseInput()) {
    this.snapshot = initialCase(caseMachine, input).snapshot;
  }

  send(event: CaseEvent): this {
    const result = stepCase(caseMachine, this.snapshot, event);
    if (!result.accepted) {
      throw new Error(`${event.type} by ${event.actor.id} refused in ${JSON.stringify(this.snapshot.value)}: ${explainRefusal(caseMachine, this.snapshot, event)}`);
    }
    this.events.push(event);
    this.effects = result.effects;
    this.snapshot = roundTrip(result.snapshot);
    return this;
  }

  /** Approves the pending proposal by the holder of the next role (with a meeting where needed). */
  approve(): this {
    const role = this.nextRole();
    const pending = this.snapshot.context.pendingApproval;
    const approver = nextStepIsUpper(pending) ? users.upperCommissionHead : approvers[role]!;
    return this.send({ type: 'approve', actor: approver, ...(needsMeeting(pending) ? { meeting: MEETING } : {}) });
  }

  approveAll(): this {
    while (this.snapshot.context.pendingApproval) this.approve();
    return this;
  }

  reject(): this {
    return this.send({ type: 'reject', actor: approvers[this.nextRole()]!, comment: '材料不足' });
  }

  nextRole(): Role {
    const pending = this.snapshot.context.pendingApproval;
    if (!pending) throw new Error('no pending approval');
    return stepRole(pending.chain[pending.approvals.length]);
  }

  get state(): unknown {
    return this.snapshot.value;
  }
}

export const ev = {
  propose: (method: 'talkInquiry' | 'preliminaryVerification' | 'shelve' | 'close'): CaseEvent => ({ type: 'proposeDisposition', actor: users.inspector, method, reason: '线索具体' }),
  reply: (): CaseEvent => ({ type: 'recordReply', actor: users.inspector, summary: '书面说明', receivedAt: '2026-11-20' }),
  outcome: (outcome: 'acceptedClosed' | 'firstForm' | 'repeatInquiry' | 'preliminaryVerification', measures?: { personId: string; measure: string }[]): CaseEvent =>
    ({ type: 'proposeInquiryOutcome', actor: users.inspector, outcome, reason: '说明属实', ...(measures ? { measures } : {}) }) as CaseEvent,
  report: (recommendation: 'file' | 'close' | 'reminderTalk' | 'shelve' | 'transfer'): CaseEvent => ({ type: 'submitVerificationReport', actor: users.inspector, recommendation, findings: '核实情况' }),
  extension: (deadlineKey: 'investigation.report' | 'trial.decision', by: Actor = users.inspector): CaseEvent => ({ type: 'requestExtension', actor: by, deadlineKey, days: 90, reason: '案情复杂' }),
  investigationReport: (): CaseEvent => ({ type: 'submitInvestigationReport', actor: users.inspector, findings: '查明事实', proposedMeasures: [{ personId: 'p1', measure: 'partyWarning' }] }),
  assignReviewers: (...reviewers: Actor[]): CaseEvent => ({
    type: 'assignTrialReviewers', actor: users.supervisor, reviewers: (reviewers.length ? reviewers : [users.reviewer1, users.reviewer2]).map((r) => ({ id: r.id, roles: r.roles })),
  }),
  decision: (measures: { personId: string; measure: string }[] = [{ personId: 'p1', measure: 'partyWarning' }], judicialTransfer = false): CaseEvent =>
    ({ type: 'proposeDecision', actor: users.reviewer1, measures, judicialTransfer, reason: '审理意见' }) as CaseEvent,
  execution: (): CaseEvent => ({ type: 'recordExecution', actor: users.caseManager, note: '已执行' }),
  appeal: (personId = 'p1'): CaseEvent => ({ type: 'fileAppeal', actor: users.caseManager, personId, reason: '不服处分' }),
  close: (): CaseEvent => ({ type: 'close', actor: users.caseManager, note: '结案' }),
  trigger: (): CaseEvent => ({ type: 'triggerDualInvestigation', actor: users.commissionHead, reason: '塌方式腐败' }),
  opened: (kind: 'primary' | 'supervision', reviewId = `rev-${kind}`): CaseEvent => ({ type: 'review.opened', actor: users.system, kind, reviewId }),
  concluded: (kind: 'primary' | 'supervision', outcome: 'noResponsibility' | 'exempted' | 'responsibilityFound' = 'responsibilityFound'): CaseEvent =>
    ({ type: 'review.concluded', actor: users.system, kind, outcome }),
};

/** Real event paths to every lifecycle (sub-)state; names are the API's dotted states. */
export const PATHS: Record<string, (d: CaseDriver) => CaseDriver> = {
  registered: (d) => d,
  dispositionReview: (d) => d.send(ev.propose('talkInquiry')),
  'talkInquiry.awaitingReply': (d) => d.send(ev.propose('talkInquiry')).approve(),
  'talkInquiry.replied': (d) => PATHS['talkInquiry.awaitingReply'](d).send(ev.reply()),
  'talkInquiry.outcomeReview': (d) => PATHS['talkInquiry.replied'](d).send(ev.outcome('acceptedClosed')),
  'preliminaryVerification.inProgress': (d) => d.send(ev.propose('preliminaryVerification')).approve(),
  'preliminaryVerification.reportReview': (d) => PATHS['preliminaryVerification.inProgress'](d).send(ev.report('file')),
  shelved: (d) => d.send(ev.propose('shelve')).approve(),
  'investigation.inProgress': (d) => PATHS['preliminaryVerification.reportReview'](d).approveAll(),
  'investigation.inProgress+extension': (d) => PATHS['investigation.inProgress'](d).send(ev.extension('investigation.report')),
  'trial.unassigned': (d) => PATHS['investigation.inProgress'](d).send(ev.investigationReport()),
  'trial.reviewing': (d) => PATHS['trial.unassigned'](d).send(ev.assignReviewers()),
  'trial.reviewing+extension': (d) => PATHS['trial.reviewing'](d).send(ev.extension('trial.decision', users.reviewer1)),
  'trial.decisionReview': (d) => PATHS['trial.reviewing'](d).send(ev.decision()),
  decided: (d) => PATHS['trial.decisionReview'](d).approveAll(),
  appeal: (d) => PATHS.decided(d).send(ev.appeal()),
  executed: (d) => PATHS.decided(d).send(ev.execution()),
  concluded: (d) => d.send(ev.trigger()).send(ev.propose('close')).approve(),
  closed: (d) => PATHS.executed(d).send(ev.close()),
};

export const driveTo = (name: string, input?: CaseInput) => PATHS[name](new CaseDriver(input));

/** A review driven the same way. */
export class ReviewDriver {
  snapshot: ReviewSnapshot;
  effects: Effect[] = [];

  constructor(kind: 'primary' | 'supervision' = 'primary') {
    this.snapshot = initialReview(reviewMachine, { reviewId: `rev-${kind}`, caseId: 'case-1', kind, orgId: 'county-1' }).snapshot;
  }

  send(event: ReviewEvent): this {
    const result = stepReview(reviewMachine, this.snapshot, event);
    if (!result.accepted) throw new Error(`${event.type} refused in ${String(this.snapshot.value)}: ${explainRefusal(reviewMachine, this.snapshot, event)}`);
    this.effects = result.effects;
    this.snapshot = roundTrip(result.snapshot);
    return this;
  }

  approve(): this {
    const pending = this.snapshot.context.pendingApproval!;
    const role = stepRole(pending.chain[pending.approvals.length]);
    return this.send({ type: 'approve', actor: approvers[role]!, ...(needsMeeting(pending) ? { meeting: MEETING } : {}) });
  }
}
