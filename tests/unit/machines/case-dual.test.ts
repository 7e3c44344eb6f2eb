import { createCaseMachine, dualStateString, explainRefusal, initialCase, stateValueString, stepCase, type CaseSnapshot, type MachinePolicy } from '../../../machines';
import { caseInput, CaseDriver, caseMachine, driveTo, ev, POLICY, users } from './helpers';

/** 一案双查: the three triggers, the per-kind record of the reviews, and the join on closure. */
const dual = (d: CaseDriver) => dualStateString(d.snapshot);
const lifecycle = (d: CaseDriver) => stateValueString(d.snapshot);
const requested = (d: CaseDriver) => d.effects.find((e) => e.type === 'requestReviews')?.params;

describe('case machine 一案双查', () => {
  describe('triggers', () => {
    it('when filing is approved on a major case, then both reviews are requested (majorFiling)', () => {
      const d = driveTo('preliminaryVerification.reportReview', caseInput({ major: true })).approveAll();
      expect(lifecycle(d)).toBe('investigation.inProgress');
      expect(dual(d)).toBe('opening');
      expect(requested(d)).toEqual({ kinds: ['primary', 'supervision'], trigger: 'majorFiling' });
      expect(d.snapshot.context.dual.reviews).toEqual([
        { kind: 'primary', reviewId: null, state: 'opening' },
        { kind: 'supervision', reviewId: null, state: 'opening' },
      ]);
    });

    it('when a decision with a form-3 measure is approved, then both reviews are requested (form3Decision)', () => {
      const d = driveTo('trial.reviewing').send(ev.decision([{ personId: 'p1', measure: 'expulsion' }])).approveAll();
      expect(lifecycle(d)).toBe('decided');
      expect(dual(d)).toBe('opening');
      expect(requested(d)).toEqual({ kinds: ['primary', 'supervision'], trigger: 'form3Decision' });
    });

    it('when a decision transfers to the judiciary, then the persons count in form 4 and both reviews are requested (judicialTransfer)', () => {
      const d = driveTo('trial.reviewing').send(ev.decision([{ personId: 'p1', measure: 'partyWarning' }], true)).approveAll();
      expect(requested(d)).toEqual({ kinds: ['primary', 'supervision'], trigger: 'judicialTransfer' });
      expect(d.effects.find((e) => e.type === 'recordDispositions')?.params).toMatchObject({
        judicialTransfer: true,
        dispositions: [{ personId: 'p1', measure: 'partyWarning', form: 4 }],
      });
    });

    it('when the commission head triggers it, then both reviews are requested (manual)', () => {
      const d = driveTo('talkInquiry.awaitingReply').send(ev.trigger());
      expect(dual(d)).toBe('opening');
      expect(requested(d)).toEqual({ kinds: ['primary', 'supervision'], trigger: 'manual' });
    });

    it('when a form-2 decision is approved on a non-major case, then no review is requested', () => {
      const d = driveTo('decided');
      expect(dual(d)).toBe('notRequired');
      expect(requested(d)).toBeUndefined();
    });

    it('when the policy switches every trigger off, then none of them fires and the command is refused', () => {
      const policy: MachinePolicy = { ...POLICY, dualInvestigation: { onMajorFiling: false, onForm3Decision: false, onJudicialTransfer: false, manual: false } };
      const machine = createCaseMachine(policy);
      let snapshot: CaseSnapshot = initialCase(machine, caseInput({ major: true })).snapshot;
      const result = stepCase(machine, snapshot, ev.trigger());
      expect(result.accepted).toBe(false);
      expect(explainRefusal(machine, snapshot, ev.trigger())).toBe('command_not_allowed');
      snapshot = stepCase(machine, snapshot, ev.propose('preliminaryVerification')).snapshot;
      snapshot = stepCase(machine, snapshot, { type: 'approve', actor: users.commissionHead }).snapshot;
      snapshot = stepCase(machine, snapshot, ev.report('file')).snapshot;
      snapshot = stepCase(machine, snapshot, { type: 'approve', actor: users.commissionHead }).snapshot;
      const filed = stepCase(machine, snapshot, { type: 'approve', actor: users.partySecretary });
      expect(stateValueString(filed.snapshot)).toBe('investigation.inProgress');
      expect(dualStateString(filed.snapshot)).toBe('notRequired');
      expect(filed.effects.map((e) => e.type)).not.toContain('requestReviews');
    });
  });

  describe('triggerDualInvestigation', () => {
    it('when already triggered, then a second trigger is refused and a later decision does not request again', () => {
      const d = driveTo('trial.reviewing').send(ev.trigger());
      expect(stepCase(caseMachine, d.snapshot, ev.trigger()).accepted).toBe(false);
      d.send(ev.decision([{ personId: 'p1', measure: 'expulsion' }])).approveAll();
      expect(requested(d)).toBeUndefined();
      expect(d.snapshot.context.dual.trigger).toBe('manual');
    });

    it('when sent by an inspector, then it is refused for role', () => {
      const d = new CaseDriver();
      expect(explainRefusal(caseMachine, d.snapshot, { ...ev.trigger(), actor: users.inspector })).toBe('role');
    });
  });

  describe('review.opened and review.concluded', () => {
    it('when both reviews open, then the region is open; a duplicate review.opened is not accepted', () => {
      const d = new CaseDriver().send(ev.trigger()).send(ev.opened('primary'));
      expect(dual(d)).toBe('opening');
      const duplicate = stepCase(caseMachine, d.snapshot, ev.opened('primary', 'other-id'));
      expect(duplicate.accepted).toBe(false);
      expect(duplicate.snapshot).toBe(d.snapshot);
      d.send(ev.opened('supervision'));
      expect(dual(d)).toBe('open');
      expect(d.snapshot.context.dual.reviews).toEqual([
        { kind: 'primary', reviewId: 'rev-primary', state: 'open' },
        { kind: 'supervision', reviewId: 'rev-supervision', state: 'open' },
      ]);
    });

    it('when review.concluded arrives before review.opened, then it is recorded and the late opening only adds the id', () => {
      const d = new CaseDriver().send(ev.trigger()).send(ev.concluded('primary', 'noResponsibility'));
      expect(dual(d)).toBe('opening');
      d.send(ev.opened('supervision'));
      expect(dual(d)).toBe('open');
      d.send(ev.opened('primary'));
      expect(d.snapshot.context.dual.reviews[0]).toEqual({ kind: 'primary', reviewId: 'rev-primary', state: 'concluded', outcome: 'noResponsibility' });
      d.send(ev.concluded('supervision'));
      expect(dual(d)).toBe('concluded');
    });

    it('when both conclude before either opened, then the region concludes directly', () => {
      const d = new CaseDriver().send(ev.trigger()).send(ev.concluded('primary')).send(ev.concluded('supervision'));
      expect(dual(d)).toBe('concluded');
      expect(stepCase(caseMachine, d.snapshot, ev.concluded('primary')).accepted).toBe(false);
      d.send(ev.opened('primary'));
      expect(d.snapshot.context.dual.reviews[0].reviewId).toBe('rev-primary');
    });

    it('when no 双查 was triggered, then review events are not accepted', () => {
      const d = new CaseDriver();
      expect(stepCase(caseMachine, d.snapshot, ev.opened('primary')).accepted).toBe(false);
      expect(explainRefusal(caseMachine, d.snapshot, ev.opened('primary'))).toBe('command_not_allowed');
    });

    it('when a user sends them, then they are refused as system_only', () => {
      const d = new CaseDriver().send(ev.trigger());
      const forged = { ...ev.opened('primary'), actor: users.commissionHead };
      expect(stepCase(caseMachine, d.snapshot, forged).accepted).toBe(false);
      expect(explainRefusal(caseMachine, d.snapshot, forged)).toBe('system_only');
    });
  });

  describe('join', () => {
    it('when the case work ends while both reviews run, then the lifecycle stays concluded until both conclude, then closes', () => {
      const d = driveTo('executed', caseInput({ major: true })).send(ev.opened('primary')).send(ev.opened('supervision'));
      expect(dual(d)).toBe('open');
      d.send(ev.close());
      expect(lifecycle(d)).toBe('concluded');
      d.send(ev.concluded('supervision', 'exempted'));
      expect(lifecycle(d)).toBe('concluded');
      expect(dual(d)).toBe('open');
      d.send(ev.concluded('primary'));
      expect(dual(d)).toBe('concluded');
      expect(lifecycle(d)).toBe('closed');
    });

    it('when the reviews conclude before the case work ends, then close closes at once', () => {
      const d = driveTo('executed', caseInput({ major: true })).send(ev.concluded('primary')).send(ev.concluded('supervision'));
      d.send(ev.close());
      expect(lifecycle(d)).toBe('closed');
    });

    it('when a disposition closes a clue while the 双查 is opening, then the case waits in concluded', () => {
      const d = driveTo('concluded');
      expect(lifecycle(d)).toBe('concluded');
      expect(dual(d)).toBe('opening');
      d.send(ev.concluded('primary')).send(ev.concluded('supervision'));
      expect(lifecycle(d)).toBe('closed');
    });
  });
});
