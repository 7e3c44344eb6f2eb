import { activeDeadlineKeys, stateValueString, dualStateString } from '../../../machines';
import { CaseDriver, driveTo, ev, MEETING, users } from './helpers';

/** Whole paths through the case lifecycle, with the effects each step emits. */
const state = (d: CaseDriver) => stateValueString(d.snapshot);
const effect = (d: CaseDriver, type: string) => d.effects.find((e) => e.type === type)?.params;

describe('case machine', () => {
  describe('proposeDisposition', () => {
    it.each([
      ['talkInquiry', 'talkInquiry.awaitingReply', 'supervisor'],
      ['preliminaryVerification', 'preliminaryVerification.inProgress', 'commissionHead'],
      ['shelve', 'shelved', 'supervisor'],
      ['close', 'closed', 'supervisor'],
    ] as const)('when %s is proposed and approved, then the case moves to %s after the %s approves', (method, target, approver) => {
      const d = new CaseDriver().send(ev.propose(method));
      expect(state(d)).toBe('dispositionReview');
      expect(d.snapshot.context.pendingApproval).toMatchObject({ kind: 'disposition', proposedBy: 'insp1', chain: [approver], approvals: [] });
      expect(effect(d, 'notify')).toEqual({ topic: 'approvalRequested', kind: 'disposition', roles: [approver] });
      d.approve();
      expect(state(d)).toBe(target);
      expect(d.snapshot.context.pendingApproval).toBeNull();
      expect(effect(d, 'notify')).toEqual({ topic: 'proposalApproved', kind: 'disposition', userIds: ['insp1'] });
    });

    it('when the proposal is rejected, then the case returns to registered and the proposer is told', () => {
      const d = new CaseDriver().send(ev.propose('shelve')).reject();
      expect(state(d)).toBe('registered');
      expect(d.snapshot.context.pendingApproval).toBeNull();
      expect(effect(d, 'notify')).toEqual({ topic: 'proposalRejected', kind: 'disposition', userIds: ['insp1'] });
    });
  });

  describe('proposeInquiryOutcome', () => {
    it('when acceptedClosed is approved, then the case concludes and closes at once', () => {
      const d = driveTo('talkInquiry.replied').send(ev.outcome('acceptedClosed')).approve();
      expect(state(d)).toBe('closed');
      expect(effect(d, 'recordDispositions')).toBeUndefined();
    });

    it('when firstForm is approved, then the case closes and records the form-1 dispositions', () => {
      const d = driveTo('talkInquiry.replied').send(ev.outcome('firstForm', [{ personId: 'p1', measure: 'admonishment' }, { personId: 'p2', measure: 'reminderTalk' }])).approve();
      expect(state(d)).toBe('closed');
      expect(effect(d, 'recordDispositions')).toEqual({
        source: 'inquiryOutcome',
        judicialTransfer: false,
        dispositions: [{ personId: 'p1', measure: 'admonishment', form: 1 }, { personId: 'p2', measure: 'reminderTalk', form: 1 }],
      });
    });

    it('when repeatInquiry is approved, then the case awaits a reply again', () => {
      expect(state(driveTo('talkInquiry.replied').send(ev.outcome('repeatInquiry')).approve())).toBe('talkInquiry.awaitingReply');
    });

    it('when preliminaryVerification is approved, then verification starts', () => {
      expect(state(driveTo('talkInquiry.replied').send(ev.outcome('preliminaryVerification')).approve())).toBe('preliminaryVerification.inProgress');
    });

    it('when the outcome is rejected, then the case is back in talkInquiry.replied', () => {
      expect(state(driveTo('talkInquiry.outcomeReview').reject())).toBe('talkInquiry.replied');
    });
  });

  describe('submitVerificationReport', () => {
    it('when file is approved by the commission head, then it still awaits the party secretary (审批 then 批准)', () => {
      const d = driveTo('preliminaryVerification.reportReview').approve();
      expect(state(d)).toBe('preliminaryVerification.reportReview');
      expect(d.snapshot.context.pendingApproval).toMatchObject({ chain: ['commissionHead', 'partySecretary'], approvals: [{ userId: 'head', role: 'commissionHead' }] });
      expect(effect(d, 'notify')).toEqual({ topic: 'approvalRequested', kind: 'verificationReport', roles: ['partySecretary'] });
      d.approve();
      expect(state(d)).toBe('investigation.inProgress');
      expect(dualStateString(d.snapshot)).toBe('notRequired');
    });

    it.each([
      ['close', 'closed'],
      ['transfer', 'closed'],
      ['shelve', 'shelved'],
    ] as const)('when %s is approved, then the case moves to %s', (recommendation, target) => {
      const d = driveTo('preliminaryVerification.inProgress').send(ev.report(recommendation)).approve();
      expect(state(d)).toBe(target);
    });

    it('when reminderTalk is approved, then the case closes with a reminder talk for each subject', () => {
      const d = driveTo('preliminaryVerification.inProgress').send(ev.report('reminderTalk')).approve();
      expect(state(d)).toBe('closed');
      expect(effect(d, 'recordDispositions')).toEqual({
        source: 'verificationReport',
        judicialTransfer: false,
        dispositions: [{ personId: 'p1', measure: 'reminderTalk', form: 1 }, { personId: 'p2', measure: 'reminderTalk', form: 1 }],
      });
    });

    it('when the report is rejected at the second step, then verification resumes', () => {
      expect(state(driveTo('preliminaryVerification.reportReview').approve().reject())).toBe('preliminaryVerification.inProgress');
    });
  });

  describe('reopen', () => {
    it('when a shelved clue is reopened, then it is registered again', () => {
      expect(state(driveTo('shelved').send({ type: 'reopen', actor: users.supervisor, reason: '新线索' }))).toBe('registered');
    });
  });

  describe('returnForSupplement', () => {
    it('when the reviewer returns the case, then investigation resumes, reviewers are released and a new trial needs new assignment', () => {
      const d = driveTo('trial.reviewing').send({ type: 'returnForSupplement', actor: users.reviewer1, reason: '证据不足' });
      expect(state(d)).toBe('investigation.inProgress');
      expect(d.snapshot.context.trialReviewers).toEqual([]);
      d.send(ev.investigationReport());
      expect(state(d)).toBe('trial.unassigned');
      d.send(ev.assignReviewers(users.reviewer1, users.reviewer3));
      expect(d.snapshot.context.trialReviewers).toEqual(['tr1', 'tr3']);
    });
  });

  describe('requestExtension', () => {
    it.each([
      ['investigation.inProgress', 'investigation.report', users.inspector],
      ['trial.reviewing', 'trial.decision', users.reviewer1],
    ] as const)('when requested in %s and approved, then the state is unchanged and %s is extended', (from, key, by) => {
      const d = driveTo(from).send(ev.extension(key, by));
      expect(state(d)).toBe(from);
      expect(d.snapshot.context.pendingApproval).toMatchObject({ kind: 'extension', chain: ['commissionHead'], payload: { deadlineKey: key, days: 90 } });
      d.approve();
      expect(state(d)).toBe(from);
      expect(d.snapshot.context.pendingApproval).toBeNull();
      expect(effect(d, 'extendDeadline')).toEqual({ key, days: 90 });
    });

    it('when the extension is rejected, then nothing is extended and work continues', () => {
      const d = driveTo('investigation.inProgress+extension').reject();
      expect(state(d)).toBe('investigation.inProgress');
      expect(effect(d, 'extendDeadline')).toBeUndefined();
      d.send(ev.investigationReport());
      expect(state(d)).toBe('trial.unassigned');
    });
  });

  describe('proposeDecision', () => {
    it('when the decision passes the commission head and the standing committee meeting, then the case is decided with its dispositions', () => {
      const d = driveTo('trial.reviewing').send(ev.decision([{ personId: 'p1', measure: 'partySeriousWarning' }, { personId: 'p2', measure: 'admonishment' }]));
      expect(state(d)).toBe('trial.decisionReview');
      d.approve();
      expect(d.snapshot.context.pendingApproval?.chain).toEqual(['commissionHead', 'standingCommittee']);
      d.approve();
      expect(state(d)).toBe('decided');
      expect(effect(d, 'recordDispositions')).toEqual({
        source: 'decision',
        judicialTransfer: false,
        dispositions: [{ personId: 'p1', measure: 'partySeriousWarning', form: 2 }, { personId: 'p2', measure: 'admonishment', form: 1 }],
      });
      expect(d.snapshot.context.decision?.measures).toHaveLength(2);
    });

    it('when the decision is rejected, then the reviewers review again', () => {
      expect(state(driveTo('trial.decisionReview').reject())).toBe('trial.reviewing');
    });
  });

  describe('fileAppeal', () => {
    it('when a sanctioned person appeals after execution and the appeal modifies the measure, then the case is decided again with the new measure', () => {
      const d = driveTo('executed').send(ev.appeal('p1'));
      expect(state(d)).toBe('appeal');
      d.send({ type: 'decideAppeal', actor: users.standingCommittee, outcome: 'modified', measures: [{ personId: 'p1', measure: 'criticismEducation' }], meeting: MEETING });
      expect(state(d)).toBe('decided');
      expect(effect(d, 'recordAppealDecision')).toEqual({ personId: 'p1', outcome: 'modified', dispositions: [{ personId: 'p1', measure: 'criticismEducation', form: 1 }] });
      expect(d.snapshot.context.decision?.measures).toEqual([{ personId: 'p1', measure: 'criticismEducation' }]);
      d.send(ev.execution()).send(ev.close());
      expect(state(d)).toBe('closed');
    });

    it('when the appeal revokes the measure, then the person has no measure left and cannot appeal again', () => {
      const d = driveTo('appeal').send({ type: 'decideAppeal', actor: users.standingCommittee, outcome: 'revoked', meeting: MEETING });
      expect(effect(d, 'recordAppealDecision')).toEqual({ personId: 'p1', outcome: 'revoked', dispositions: [] });
      expect(d.snapshot.context.decision?.measures).toEqual([]);
      expect(() => d.send(ev.appeal('p1'))).toThrow(/refused/);
    });
  });

  describe('close', () => {
    it('when an executed case without 双查 is closed, then it is closed at once', () => {
      const d = driveTo('closed');
      expect(state(d)).toBe('closed');
      expect(stateValueString(d.snapshot)).toBe('closed');
      expect(dualStateString(d.snapshot)).toBe('notRequired');
      expect(d.snapshot.context.dual.reviews).toEqual([]);
      expect(activeDeadlineKeys(d.snapshot)).toEqual([]);
    });
  });

  describe('assign', () => {
    it('when inspectors are assigned, then they are the assignees and count as participants', () => {
      const d = new CaseDriver().send({ type: 'assign', actor: users.supervisor, inspectorIds: ['insp1', 'insp2', 'insp1'] });
      expect(d.snapshot.context.assignees).toEqual(['insp1', 'insp2']);
      expect(d.snapshot.context.participants).toEqual(expect.arrayContaining(['insp1', 'insp2']));
    });
  });

  describe('full lifecycle', () => {
    it('when a clue goes from talk inquiry through verification, filing, trial, decision and execution, then every step is accepted and it closes', () => {
      const d = driveTo('talkInquiry.replied').send(ev.outcome('preliminaryVerification')).approve().send(ev.report('file')).approveAll();
      expect(state(d)).toBe('investigation.inProgress');
      d.send(ev.investigationReport()).send(ev.assignReviewers()).send(ev.decision()).approveAll().send(ev.execution()).send(ev.close());
      expect(state(d)).toBe('closed');
      expect(d.snapshot.context.participants).toEqual(expect.arrayContaining(['insp1', 'sup', 'head', 'sec']));
      expect(d.snapshot.context.participants).not.toContain('tr1');
    });
  });
});
