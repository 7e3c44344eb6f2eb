import { availableCommands, CASE_COMMANDS, explainRefusal, stepCase, type Actor, type CaseEvent, type CaseSnapshot, type CaseCommandType } from '../../../machines';
import { caseMachine, driveTo, ev, MEETING, PATHS, users } from './helpers';

/**
 * API.md's case table, state by state: every command is accepted exactly where the table says, by
 * an actor it names and with a valid payload, and refused elsewhere; the refusal is
 * `command_not_allowed` and `availableCommands` (over all users) lists exactly the accepted ones.
 */
const REVIEW_STATES = ['dispositionReview', 'talkInquiry.outcomeReview', 'preliminaryVerification.reportReview', 'trial.decisionReview'];
const PENDING = [...REVIEW_STATES, 'investigation.inProgress+extension', 'trial.reviewing+extension'];
const ALL = Object.keys(PATHS);

const ACCEPTED_IN: Record<CaseCommandType, string[]> = {
  assign: ALL.filter((s) => s !== 'closed'),
  proposeDisposition: ['registered'],
  approve: PENDING,
  reject: PENDING,
  recordReply: ['talkInquiry.awaitingReply'],
  proposeInquiryOutcome: ['talkInquiry.replied'],
  submitVerificationReport: ['preliminaryVerification.inProgress'],
  reopen: ['shelved'],
  requestExtension: ['investigation.inProgress', 'trial.reviewing'],
  submitInvestigationReport: ['investigation.inProgress'],
  assignTrialReviewers: ['trial.unassigned'],
  returnForSupplement: ['trial.reviewing'],
  proposeDecision: ['trial.reviewing'],
  recordExecution: ['decided'],
  fileAppeal: ['decided', 'executed', 'closed'],
  decideAppeal: ['appeal'],
  close: ['executed'],
  // `concluded` is only observable while the 双查 runs, i.e. not while notRequired.
  triggerDualInvestigation: ALL.filter((s) => s !== 'closed' && s !== 'concluded'),
  recuse: ALL,
  // The announcement clock opens with the decision and runs until 宣布 (or the execution) is recorded.
  recordAnnouncement: ['decided', 'appeal'],
  // The default case has no real-name reporter (domain-rules.test.ts drives one).
  notifyReporter: [],
  // The default case has two subjects: one may leave for a case of his own before the disposition.
  splitClue: ['registered'],
};

/** The command with an actor allowed to send it and a valid payload for this snapshot. */
function commandFor(type: CaseCommandType, snapshot: CaseSnapshot): CaseEvent {
  const pending = snapshot.context.pendingApproval;
  const next = pending?.chain[pending.approvals.length];
  const approver = ({ supervisor: users.supervisor, commissionHead: users.commissionHead, partySecretary: users.partySecretary, standingCommittee: users.standingCommittee } as Record<string, Actor>)[next ?? 'supervisor'];
  const inTrial = snapshot.matches({ lifecycle: 'trial' });
  const events: Record<CaseCommandType, CaseEvent> = {
    assign: { type: 'assign', actor: users.caseManager, inspectorIds: ['insp2'] },
    proposeDisposition: ev.propose('talkInquiry'),
    approve: { type: 'approve', actor: approver, ...(next === 'standingCommittee' ? { meeting: MEETING } : {}) },
    reject: { type: 'reject', actor: approver, comment: '退回' },
    recordReply: ev.reply(),
    proposeInquiryOutcome: ev.outcome('acceptedClosed'),
    submitVerificationReport: ev.report('close'),
    reopen: { type: 'reopen', actor: users.caseManager, reason: '新证据' },
    requestExtension: inTrial ? ev.extension('trial.decision', users.reviewer1) : ev.extension('investigation.report'),
    submitInvestigationReport: ev.investigationReport(),
    assignTrialReviewers: ev.assignReviewers(),
    returnForSupplement: { type: 'returnForSupplement', actor: users.reviewer1, reason: '证据不足' },
    proposeDecision: ev.decision(),
    recordExecution: ev.execution(),
    fileAppeal: ev.appeal(),
    decideAppeal: { type: 'decideAppeal', actor: users.commissionHead, outcome: 'upheld' },
    close: ev.close(),
    triggerDualInvestigation: ev.trigger(),
    recordAnnouncement: { type: 'recordAnnouncement', actor: users.inspector, announcedAt: '2026-12-01', note: '已向本人及所在党支部宣布' },
    notifyReporter: { type: 'notifyReporter', actor: users.registrar, stage: 'acceptance', method: 'phone', notifiedAt: '2026-11-10' },
    splitClue: { type: 'splitClue', actor: users.caseManager, personIds: ['p2'], reason: '二人问题性质不同，分别处置' },
    recuse: { type: 'recuse', actor: users.registrar, userId: 'reg', relation: 'closeRelative', reason: '近亲属' },
  };
  return events[type];
}

const everyone = Object.values(users);

const snapshots = new Map(ALL.map((state) => [state, driveTo(state).snapshot]));
const expectedIn = (state: string) => CASE_COMMANDS.filter((type) => ACCEPTED_IN[type].includes(state));

describe('case machine', () => {
  describe.each(CASE_COMMANDS)('%s', (type) => {
    it.each(ALL)('when sent in %s by an allowed actor, then it is accepted exactly where API.md says', (state) => {
      const snapshot = snapshots.get(state)!;
      const event = commandFor(type, snapshot);
      const result = stepCase(caseMachine, snapshot, event);
      expect(result.accepted).toBe(ACCEPTED_IN[type].includes(state));
      if (result.accepted) {
        expect(availableCommands(caseMachine, snapshot, event.actor)).toContain(type);
        return;
      }
      expect(result.snapshot).toBe(snapshot);
      expect(result.effects).toEqual([]);
      expect(explainRefusal(caseMachine, snapshot, event)).toBe('command_not_allowed');
      expect(availableCommands(caseMachine, snapshot, event.actor)).not.toContain(type);
    });
  });

  describe('availableCommands', () => {
    it.each(ALL)('when every user asks in %s, then together they are offered exactly the accepted commands', (state) => {
      const snapshot = snapshots.get(state)!;
      const listed = new Set(everyone.flatMap((u) => availableCommands(caseMachine, snapshot, u)));
      expect(CASE_COMMANDS.filter((c) => listed.has(c))).toEqual(expectedIn(state));
    });

    it('when the system actor asks, then no internal event is listed', () => {
      for (const snapshot of snapshots.values()) {
        expect(availableCommands(caseMachine, snapshot, users.system).filter((c) => c.includes('.'))).toEqual([]);
      }
    });
  });
});
