import { availableCommands, explainRefusal, payloadIssues, stepCase, type CaseEvent } from '../../../machines';
import { actor, CaseDriver, caseMachine, driveTo, ev, MEETING, PATHS, users } from './helpers';

/** Separation of duties, roles and system-only events, each with a refusing case. */
function refused(d: CaseDriver, event: CaseEvent) {
  const result = stepCase(caseMachine, d.snapshot, event);
  expect(result.accepted).toBe(false);
  expect(result.snapshot).toBe(d.snapshot);
  return explainRefusal(caseMachine, d.snapshot, event);
}

describe('case machine guards', () => {
  describe('approve', () => {
    it('when the proposer approves their own proposal, then it is refused for separation of duties', () => {
      const proposer = actor('cm-sup', 'caseManager', 'supervisor');
      const d = new CaseDriver().send({ type: 'proposeDisposition', actor: proposer, method: 'close', reason: '重复举报' });
      expect(refused(d, { type: 'approve', actor: proposer })).toBe('separation_of_duties');
      expect(availableCommands(caseMachine, d.snapshot, proposer)).not.toContain('approve');
      expect(availableCommands(caseMachine, d.snapshot, users.supervisor)).toEqual(expect.arrayContaining(['approve', 'reject']));
    });

    it('when an inspector approves their own proposal without the role, then separation of duties is still the reason', () => {
      const d = driveTo('dispositionReview');
      expect(refused(d, { type: 'approve', actor: users.inspector })).toBe('separation_of_duties');
    });

    it('when the same user holds both filing roles, then they cannot approve twice', () => {
      const both = actor('head-sec', 'commissionHead', 'partySecretary');
      const d = driveTo('preliminaryVerification.reportReview').send({ type: 'approve', actor: both });
      expect(refused(d, { type: 'approve', actor: both })).toBe('separation_of_duties');
      d.send({ type: 'approve', actor: users.partySecretary });
      expect(d.snapshot.value).toMatchObject({ lifecycle: { investigation: 'inProgress' } });
    });

    it('when a user without the next role approves, then it is refused for role', () => {
      const d = driveTo('preliminaryVerification.reportReview');
      expect(refused(d, { type: 'approve', actor: users.partySecretary })).toBe('role');
      expect(refused(d, { type: 'reject', actor: users.supervisor, comment: '不同意' })).toBe('role');
    });

    it('when the standing committee approves a decision without a meeting, then it is refused and payloadIssues names meeting', () => {
      const d = driveTo('trial.decisionReview').approve();
      const event: CaseEvent = { type: 'approve', actor: users.standingCommittee };
      expect(refused(d, event)).toBe('command_not_allowed');
      expect(availableCommands(caseMachine, d.snapshot, users.standingCommittee)).toContain('approve');
      expect(payloadIssues(caseMachine, d.snapshot, event)).toEqual([{ path: 'meeting', message: expect.any(String) }]);
      d.send({ ...event, meeting: MEETING });
      expect(d.snapshot.value).toMatchObject({ lifecycle: 'decided' });
    });

    it('when there is no pending approval, then approve is not allowed', () => {
      expect(refused(new CaseDriver(), { type: 'approve', actor: users.supervisor })).toBe('command_not_allowed');
    });
  });

  describe('requestExtension', () => {
    it('when an extension is pending, then another proposal and the report wait for it', () => {
      const d = driveTo('investigation.inProgress+extension');
      expect(refused(d, ev.extension('investigation.report'))).toBe('command_not_allowed');
      expect(refused(d, ev.investigationReport())).toBe('command_not_allowed');
    });

    it('when the key does not belong to the state, then it is refused and payloadIssues names deadlineKey', () => {
      const d = driveTo('investigation.inProgress');
      const event = ev.extension('trial.decision');
      expect(refused(d, event)).toBe('command_not_allowed');
      expect(payloadIssues(caseMachine, d.snapshot, event)).toEqual([{ path: 'deadlineKey', message: expect.any(String) }]);
    });

    it('when a trial reviewer asks during investigation, then it is refused for role', () => {
      expect(refused(driveTo('investigation.inProgress'), ev.extension('investigation.report', users.reviewer1))).toBe('role');
    });

    it('when an inspector asks during trial, then it is refused for separation of duties', () => {
      expect(refused(driveTo('trial.reviewing'), ev.extension('trial.decision', users.inspector))).toBe('separation_of_duties');
    });
  });

  describe('assignTrialReviewers', () => {
    it('when a reviewer took part in the case before trial, then it is refused for separation of duties', () => {
      const investigatorReviewer = actor('insp1', 'inspector', 'trialReviewer');
      const d = driveTo('trial.unassigned');
      const event = ev.assignReviewers(investigatorReviewer, users.reviewer2);
      expect(refused(d, event)).toBe('separation_of_duties');
      expect(payloadIssues(caseMachine, d.snapshot, event)).toEqual([{ path: 'userIds.0', message: expect.stringContaining('took part') }]);
    });

    it('when a reviewer was assigned to the case before trial, then it is refused for separation of duties', () => {
      const d = PATHS['trial.unassigned'](new CaseDriver().send({ type: 'assign', actor: users.caseManager, inspectorIds: ['insp1', 'tr3'] }));
      expect(refused(d, ev.assignReviewers(users.reviewer3, users.reviewer2))).toBe('separation_of_duties');
    });

    it('when a recused user is named, then it is refused for separation of duties', () => {
      const d = driveTo('trial.unassigned').send({ type: 'recuse', actor: users.reviewer2, userId: 'tr2', relation: 'interest', reason: '利害关系' });
      expect(refused(d, ev.assignReviewers())).toBe('separation_of_duties');
    });

    it('when fewer than two distinct trial reviewers are named, then it is refused as not allowed', () => {
      const d = driveTo('trial.unassigned');
      expect(refused(d, ev.assignReviewers(users.reviewer1, users.reviewer1))).toBe('command_not_allowed');
      expect(refused(d, ev.assignReviewers(users.reviewer1, users.inspector2))).toBe('command_not_allowed');
      expect(payloadIssues(caseMachine, d.snapshot, ev.assignReviewers(users.reviewer1, users.inspector2))).toEqual([
        { path: 'userIds.1', message: 'insp2 is not a trial reviewer' },
      ]);
    });

    it('when an inspector assigns, then it is refused for role', () => {
      expect(refused(driveTo('trial.unassigned'), { ...ev.assignReviewers(), actor: users.inspector })).toBe('role');
    });
  });

  describe('proposeDecision', () => {
    it('when a trial reviewer who is not assigned proposes, then it is refused for separation of duties', () => {
      const d = driveTo('trial.reviewing');
      expect(refused(d, { ...ev.decision(), actor: users.reviewer3 })).toBe('separation_of_duties');
      expect(availableCommands(caseMachine, d.snapshot, users.reviewer3)).not.toContain('proposeDecision');
      expect(availableCommands(caseMachine, d.snapshot, users.reviewer2)).toEqual(expect.arrayContaining(['proposeDecision', 'returnForSupplement', 'requestExtension']));
    });

    it('when a measure names someone who is not a subject, then it is refused and payloadIssues names the field', () => {
      const d = driveTo('trial.reviewing');
      const event = ev.decision([{ personId: 'p9', measure: 'partyWarning' }]);
      expect(refused(d, event)).toBe('command_not_allowed');
      expect(payloadIssues(caseMachine, d.snapshot, event)).toEqual([{ path: 'measures.0.personId', message: expect.any(String) }]);
    });
  });

  describe('proposeInquiryOutcome', () => {
    it('when firstForm carries a form-2 measure, then it is refused', () => {
      const d = driveTo('talkInquiry.replied');
      const event = ev.outcome('firstForm', [{ personId: 'p1', measure: 'partyWarning' }]);
      expect(refused(d, event)).toBe('command_not_allowed');
      expect(payloadIssues(caseMachine, d.snapshot, event)).toEqual([{ path: 'measures.0.measure', message: 'not a form-1 measure' }]);
    });

    it('when firstForm has no measures, then it is refused', () => {
      expect(refused(driveTo('talkInquiry.replied'), ev.outcome('firstForm'))).toBe('command_not_allowed');
    });
  });

  describe('recordReply', () => {
    it('when a case manager records the reply, then it is refused for role', () => {
      expect(refused(driveTo('talkInquiry.awaitingReply'), { ...ev.reply(), actor: users.caseManager })).toBe('role');
    });
  });

  describe('fileAppeal', () => {
    it('when the person has no measure in the decision, then it is refused', () => {
      expect(refused(driveTo('decided'), ev.appeal('p2'))).toBe('command_not_allowed');
    });
  });

  describe('recuse', () => {
    it('when users recuse themselves or a supervisor recuses someone, then the recusal is recorded and they leave the assignees', () => {
      const d = new CaseDriver().send({ type: 'assign', actor: users.caseManager, inspectorIds: ['insp1', 'insp2'] });
      d.send({ type: 'recuse', actor: users.inspector, userId: 'insp1', relation: 'closeRelative', reason: '近亲属' });
      d.send({ type: 'recuse', actor: users.supervisor, userId: 'insp2', relation: 'witness', reason: '证人' });
      expect(d.snapshot.context.recusals).toEqual([
        { userId: 'insp1', relation: 'closeRelative', reason: '近亲属', recordedBy: 'insp1' },
        { userId: 'insp2', relation: 'witness', reason: '证人', recordedBy: 'sup' },
      ]);
      expect(d.snapshot.context.assignees).toEqual([]);
      expect(refused(d, { type: 'recuse', actor: users.inspector, userId: 'insp1', relation: 'other', reason: '再次' })).toBe('command_not_allowed');
    });

    it('when an inspector recuses someone else, then it is refused for role', () => {
      expect(refused(new CaseDriver(), { type: 'recuse', actor: users.inspector, userId: 'insp2', relation: 'other', reason: '怀疑' })).toBe('role');
    });

    it('when the case is closed, then recusal is still accepted', () => {
      const d = driveTo('closed').send({ type: 'recuse', actor: users.commissionHead, userId: 'cm', relation: 'interest', reason: '利害关系' });
      expect(d.snapshot.context.recusals).toHaveLength(1);
    });
  });

  describe('deadline.reached', () => {
    it('when clue.disposition is escalated, then the level is recorded and the case is flagged suppressionRisk', () => {
      const d = new CaseDriver().send({ type: 'deadline.reached', actor: users.system, key: 'clue.disposition', level: 'overdue' });
      expect(d.snapshot.context.flags).toEqual([]);
      d.send({ type: 'deadline.reached', actor: users.system, key: 'clue.disposition', level: 'escalated' });
      expect(d.snapshot.context.escalations).toEqual({ 'clue.disposition': 'escalated' });
      expect(d.snapshot.context.flags).toEqual(['suppressionRisk']);
      d.send({ type: 'deadline.reached', actor: users.system, key: 'clue.disposition', level: 'escalated' });
      expect(d.snapshot.context.flags).toEqual(['suppressionRisk']);
    });

    it('when an earlier step is reported after a later one (a retried job), then the recorded level stays the higher', () => {
      const d = new CaseDriver().send({ type: 'deadline.reached', actor: users.system, key: 'clue.disposition', level: 'escalated' });
      d.send({ type: 'deadline.reached', actor: users.system, key: 'clue.disposition', level: 'overdue' });
      d.send({ type: 'deadline.reached', actor: users.system, key: 'clue.disposition', level: 'warning' });
      expect(d.snapshot.context.escalations).toEqual({ 'clue.disposition': 'escalated' });
      expect(d.snapshot.context.flags).toEqual(['suppressionRisk']);
    });

    it('when another key escalates, then no flag is set, in any state', () => {
      const d = driveTo('closed').send({ type: 'deadline.reached', actor: users.system, key: 'execution.report', level: 'escalated' });
      expect(d.snapshot.context.flags).toEqual([]);
    });

    it('when a user sends it, then it is refused as system_only', () => {
      expect(refused(new CaseDriver(), { type: 'deadline.reached', actor: users.commissionHead, key: 'clue.disposition', level: 'escalated' })).toBe('system_only');
    });
  });

  describe('unknown events', () => {
    it('when an event type is not a command, then it is refused as not allowed', () => {
      const event = { type: 'xstate.init', actor: users.system } as unknown as CaseEvent;
      expect(refused(new CaseDriver(), event)).toBe('command_not_allowed');
    });
  });
});
