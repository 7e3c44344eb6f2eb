import {
  activeDeadlineKeys, availableCommands, explainRefusal, fromPersisted, initialReview, payloadIssues, reviewCommandSchemas, stepCase, stepReview, type CaseEvent, type CaseInput,
} from '../../../machines';
import { caseV1toV2 } from '../../../machines/shared/migrations';
import { actor, caseInput, caseMachine, CaseDriver, driveTo, ev, MEETING, PATHS, ReviewDriver, reviewMachine, users, UPPER_ORG } from './helpers';

/** Rules of DOMAIN.md the machines once broke or left out (issue 17), one refusing and one accepting case each. */

const nonMember = (): CaseInput =>
  caseInput({
    subjects: [
      { personId: 'p1', name: '张某', orgId: 'town-1', rank: 'townshipDeputy', publicOfficial: false },
      { personId: 'p2', name: '李某', orgId: 'town-1', rank: 'staff', partyMember: false },
    ],
  });

function refused(d: CaseDriver, event: CaseEvent) {
  const result = stepCase(caseMachine, d.snapshot, event);
  expect(result.accepted).toBe(false);
  expect(result.snapshot).toBe(d.snapshot);
  return { reason: explainRefusal(caseMachine, d.snapshot, event), issues: payloadIssues(caseMachine, d.snapshot, event) };
}

const effect = (d: CaseDriver, type: string) => d.effects.find((e) => e.type === type)?.params;

describe('domain rules (issue 17)', () => {
  describe('1. party sanctions only on party members, government sanctions only on public officials', () => {
    it('when a decision gives a party sanction to a subject who is not a party member, then it is refused naming the measure and the person', () => {
      const d = PATHS['trial.reviewing'](new CaseDriver(nonMember()));
      const { reason, issues } = refused(d, ev.decision([{ personId: 'p1', measure: 'admonishment' }, { personId: 'p2', measure: 'partySeriousWarning' }]));
      expect(reason).toBe('command_not_allowed');
      expect(issues).toEqual([{ path: 'measures.1.measure', message: expect.stringMatching(/partySeriousWarning.*李某（p2）不是党员/) }]);
    });

    it('when a government sanction is given to a subject who is not a public official, then it is refused naming him', () => {
      const d = PATHS['trial.reviewing'](new CaseDriver(nonMember()));
      const { issues } = refused(d, ev.decision([{ personId: 'p1', measure: 'govWarning' }, { personId: 'p2', measure: 'govDemerit' }]));
      expect(issues).toEqual([{ path: 'measures.0.measure', message: expect.stringMatching(/govWarning.*张某（p1）不是公职人员/) }]);
    });

    it('when the non-member gets a government sanction and the non-official a party sanction, then the decision is accepted', () => {
      const d = PATHS['trial.reviewing'](new CaseDriver(nonMember()));
      d.send(ev.decision([{ personId: 'p1', measure: 'partyWarning' }, { personId: 'p2', measure: 'govDemerit' }]));
      expect(d.snapshot.value).toMatchObject({ lifecycle: { trial: 'decisionReview' } });
    });

    it('when the investigation report proposes a party sanction for a non-member, then it is refused at proposedMeasures', () => {
      const d = PATHS['investigation.inProgress'](new CaseDriver(nonMember()));
      const event: CaseEvent = { type: 'submitInvestigationReport', actor: users.inspector, findings: '查明', proposedMeasures: [{ personId: 'p2', measure: 'expulsion' }] };
      expect(refused(d, event).issues).toEqual([{ path: 'proposedMeasures.0.measure', message: expect.stringContaining('李某（p2）') }]);
    });

    it('when an appeal modifies the measure of a non-member into a party sanction, then it is refused', () => {
      const d = PATHS['trial.reviewing'](new CaseDriver(nonMember())).send(ev.decision([{ personId: 'p2', measure: 'govMajorDemerit' }])).approveAll();
      d.send(ev.appeal('p2'));
      const event: CaseEvent = { type: 'decideAppeal', actor: users.standingCommittee, outcome: 'modified', measures: [{ personId: 'p2', measure: 'partyWarning' }], meeting: MEETING };
      expect(refused(d, event).issues).toEqual([{ path: 'measures.0.measure', message: expect.stringContaining('李某（p2）不是党员') }]);
      d.send({ ...event, measures: [{ personId: 'p2', measure: 'govWarning' }] } as CaseEvent);
      expect(d.snapshot.context.decision?.measures).toEqual([{ personId: 'p2', measure: 'govWarning' }]);
    });
  });

  describe('2. a 纪律处分 in a 问责 decision names a party or government sanction', () => {
    const findings = (sanction: string) => ({
      responsibilityFound: true,
      parties: [{ name: '王书记', personId: 'lead-1', position: '镇党委书记', responsibility: 'mainLeadership' }],
      proposedMeasures: [{ target: 'lead-1', measure: 'disciplinarySanction', sanction }],
    });

    it('when disciplinarySanction names a form-1 measure, then the schema refuses it at the sanction field', () => {
      const parsed = reviewCommandSchemas.submitFindings.safeParse(findings('reminderTalk'));
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['proposedMeasures.0.sanction']);
    });

    it('when disciplinarySanction names a sanction, then it takes that sanction’s form', () => {
      expect(reviewCommandSchemas.submitFindings.safeParse(findings('partySeriousWarning')).success).toBe(true);
      const d = new ReviewDriver().send({ type: 'proposeStart', actor: users.inspector, reason: '启动' }).approve();
      d.send({ type: 'submitFindings', actor: users.inspector, ...findings('govMajorDemerit') } as never).approve();
      expect(d.effects.find((e) => e.type === 'recordDispositions')?.params).toMatchObject({
        dispositions: [{ personId: 'lead-1', measure: 'disciplinarySanction', sanction: 'govMajorDemerit', form: 2 }],
      });
      const bad = stepReview(reviewMachine, new ReviewDriver().snapshot, { type: 'submitFindings', actor: users.inspector, ...findings('admonishment') } as never);
      expect(bad.accepted).toBe(false);
    });
  });

  describe('3. form 4 per person', () => {
    const two = [{ personId: 'p1', measure: 'expulsion' }, { personId: 'p2', measure: 'partyWarning' }];

    it('when one of two subjects is transferred to the judicial organs, then only he is form 4 and the co-subject keeps his form', () => {
      const d = driveTo('trial.reviewing').send({ ...ev.decision(two, true), transferredPersonIds: ['p1'] } as CaseEvent).approveAll();
      expect(effect(d, 'recordDispositions')).toEqual({
        source: 'decision',
        judicialTransfer: true,
        dispositions: [{ personId: 'p1', measure: 'expulsion', form: 4 }, { personId: 'p2', measure: 'partyWarning', form: 2 }],
      });
      expect(d.snapshot.context.decision).toMatchObject({ judicialTransfer: true, transferred: ['p1'] });
    });

    it('when a decision on several persons transfers without naming them, then it is refused at transferredPersonIds', () => {
      const d = driveTo('trial.reviewing');
      expect(refused(d, ev.decision(two, true)).issues).toEqual([{ path: 'transferredPersonIds', message: expect.any(String) }]);
    });

    it('when a transferred person has no measure in the decision, or persons are named without a transfer, then it is refused', () => {
      const d = driveTo('trial.reviewing');
      expect(refused(d, { ...ev.decision([two[1]], true), transferredPersonIds: ['p1'] } as CaseEvent).issues).toEqual([
        { path: 'transferredPersonIds.0', message: expect.stringContaining('p1') },
      ]);
      expect(refused(d, { ...ev.decision(two, false), transferredPersonIds: ['p1'] } as CaseEvent).issues).toEqual([
        { path: 'transferredPersonIds', message: expect.any(String) },
      ]);
    });

    it('when a single person is transferred, then naming him is optional and he is form 4', () => {
      const d = driveTo('trial.reviewing').send(ev.decision([{ personId: 'p1', measure: 'expulsion' }], true)).approveAll();
      expect(effect(d, 'recordDispositions')).toMatchObject({ dispositions: [{ personId: 'p1', form: 4 }] });
    });

    it('when the co-subject’s appeal is modified, then his new measure keeps its own form', () => {
      const d = driveTo('trial.reviewing').send({ ...ev.decision(two, true), transferredPersonIds: ['p1'] } as CaseEvent).approveAll();
      d.send(ev.appeal('p2')).send({ type: 'decideAppeal', actor: users.standingCommittee, outcome: 'modified', measures: [{ personId: 'p2', measure: 'admonishment' }], meeting: MEETING });
      expect(effect(d, 'recordAppealDecision')).toEqual({ personId: 'p2', outcome: 'modified', dispositions: [{ personId: 'p2', measure: 'admonishment', form: 1 }] });
    });
  });

  describe('5. a recused trial reviewer leaves the panel, which is completed again', () => {
    it('when a panel member is recused, then no decision may be proposed until the panel is completed with the same checks', () => {
      const d = driveTo('trial.reviewing').send({ type: 'recuse', actor: users.supervisor, userId: 'tr2', relation: 'closeRelative', reason: '系被审查人近亲属' });
      expect(d.snapshot.context.trialReviewers).toEqual(['tr1']);
      expect(refused(d, ev.decision()).reason).toBe('command_not_allowed');
      expect(availableCommands(caseMachine, d.snapshot, users.reviewer1)).not.toContain('proposeDecision');
      expect(availableCommands(caseMachine, d.snapshot, users.supervisor)).toContain('assignTrialReviewers');
      // The recused member cannot come back, and an inspector who took part cannot join.
      expect(refused(d, ev.assignReviewers(users.reviewer1, users.reviewer2)).issues).toEqual([{ path: 'userIds.1', message: expect.any(String) }]);
      const inspectorReviewer = actor('insp1', 'inspector', 'trialReviewer');
      expect(refused(d, ev.assignReviewers(users.reviewer1, inspectorReviewer)).reason).toBe('separation_of_duties');
      d.send(ev.assignReviewers(users.reviewer1, users.reviewer3));
      expect(d.snapshot.context.trialReviewers).toEqual(['tr1', 'tr3']);
      d.send({ ...ev.decision(), actor: users.reviewer3 } as CaseEvent);
      expect(d.snapshot.value).toMatchObject({ lifecycle: { trial: 'decisionReview' } });
    });

    it('when the panel is complete, then assignTrialReviewers is not accepted in trial.reviewing', () => {
      const d = driveTo('trial.reviewing');
      expect(refused(d, ev.assignReviewers(users.reviewer1, users.reviewer3)).reason).toBe('command_not_allowed');
    });
  });

  describe('6. one rule for opening 初核', () => {
    it('when 初核 is opened from a 谈话函询 outcome, then the commission head approves it, as for a disposition', () => {
      const d = PATHS['talkInquiry.replied'](new CaseDriver()).send(ev.outcome('preliminaryVerification'));
      expect(d.snapshot.context.pendingApproval?.chain).toEqual(['commissionHead']);
      expect(refused(d, { type: 'approve', actor: users.supervisor }).reason).toBe('role');
      d.approve();
      expect(d.snapshot.value).toMatchObject({ lifecycle: { preliminaryVerification: 'inProgress' } });
      expect(new CaseDriver().send(ev.propose('preliminaryVerification')).snapshot.context.pendingApproval?.chain).toEqual(['commissionHead']);
    });

    it('when the other 谈话函询 outcomes are proposed, then the supervisor still approves them', () => {
      expect(PATHS['talkInquiry.outcomeReview'](new CaseDriver()).snapshot.context.pendingApproval?.chain).toEqual(['supervisor']);
    });
  });

  describe('7. a reopened clue', () => {
    it('when a shelved clue is reopened, then the case records it (its disposition clock counts from the reopening)', () => {
      const d = driveTo('shelved');
      expect(d.snapshot.context.reopened).toBe(false);
      d.send({ type: 'reopen', actor: users.caseManager, reason: '发现新证据' });
      expect(d.snapshot.value).toMatchObject({ lifecycle: 'registered' });
      expect(d.snapshot.context.reopened).toBe(true);
    });
  });

  describe('9. an appeal that changes a standing-committee decision', () => {
    it('when a commission head alone revokes it, then it is refused for role; without a meeting, payloadIssues names meeting', () => {
      const d = driveTo('appeal');
      expect(d.snapshot.context.decision?.byStandingCommittee).toBe(true);
      const byHead: CaseEvent = { type: 'decideAppeal', actor: users.commissionHead, outcome: 'revoked', meeting: MEETING };
      expect(refused(d, byHead).reason).toBe('role');
      const noMeeting: CaseEvent = { type: 'decideAppeal', actor: users.standingCommittee, outcome: 'revoked' };
      expect(refused(d, noMeeting)).toEqual({ reason: 'command_not_allowed', issues: [{ path: 'meeting', message: expect.any(String) }] });
    });

    it('when the committee decides in a meeting, or the head upholds, then it is accepted', () => {
      driveTo('appeal').send({ type: 'decideAppeal', actor: users.standingCommittee, outcome: 'revoked', meeting: MEETING });
      const d = driveTo('appeal').send({ type: 'decideAppeal', actor: users.commissionHead, outcome: 'upheld' });
      expect(d.snapshot.value).toMatchObject({ lifecycle: 'decided' });
    });
  });

  describe('10. extensions are limited', () => {
    it('when an extension asks for more than 90 days, then it is refused and payloadIssues names days', () => {
      const d = driveTo('investigation.inProgress');
      const event: CaseEvent = { type: 'requestExtension', actor: users.inspector, deadlineKey: 'investigation.report', days: 200, reason: '案情复杂' };
      expect(refused(d, event)).toEqual({ reason: 'command_not_allowed', issues: [{ path: 'days', message: expect.stringContaining('90') }] });
    });

    it('when a second extension is asked, then the upper-level commission must approve it too', () => {
      const d = driveTo('investigation.inProgress+extension');
      expect(d.snapshot.context.pendingApproval?.chain).toEqual(['commissionHead']);
      d.approveAll();
      expect(d.snapshot.context.extensions).toEqual({ 'investigation.report': 1 });
      d.send(ev.extension('investigation.report'));
      expect(d.snapshot.context.pendingApproval?.chain).toEqual(['commissionHead', 'commissionHead@upper']);
      d.send({ type: 'approve', actor: users.commissionHead });
      expect(effect(d, 'notify')).toEqual({ topic: 'approvalRequested', kind: 'extension', roles: ['commissionHead'], upperOnly: true });
      // Another head of the own commission is not the upper level.
      expect(refused(d, { type: 'approve', actor: actor('head2', 'commissionHead') }).reason).toBe('role');
      expect(availableCommands(caseMachine, d.snapshot, actor('head2', 'commissionHead'))).not.toContain('approve');
      d.send({ type: 'approve', actor: users.upperCommissionHead });
      expect(effect(d, 'extendDeadline')).toEqual({ key: 'investigation.report', days: 90 });
      expect(d.snapshot.context.extensions).toEqual({ 'investigation.report': 2 });
      expect(d.snapshot.context.upperOrgId).toBe(UPPER_ORG);
    });
  });

  describe('11. subjects who are 主要负责人 of a 下一级党委(党组)', () => {
    const principal = (leadership: 'principal' | 'member') =>
      caseInput({ subjects: [{ personId: 'p1', name: '张书记', orgId: 'town-1', rank: 'townshipChief', leadership, leadsOrgId: 'town-1' }] });

    it('when the subject is a principal leader, then the clue is reported upward and 初核 and 谈话函询 need the party secretary too', () => {
      const d = new CaseDriver(principal('principal'));
      expect(d.snapshot.context.flags).toEqual(['reportedUpward']);
      expect(new CaseDriver(principal('principal')).send(ev.propose('preliminaryVerification')).snapshot.context.pendingApproval?.chain).toEqual(['commissionHead', 'partySecretary']);
      d.send(ev.propose('talkInquiry'));
      expect(d.snapshot.context.pendingApproval?.chain).toEqual(['commissionHead', 'partySecretary']);
      d.approve();
      expect(d.snapshot.value).toMatchObject({ lifecycle: 'dispositionReview' });
      expect(refused(d, { type: 'approve', actor: users.supervisor }).reason).toBe('role');
      d.approve().send(ev.reply()).send(ev.outcome('preliminaryVerification'));
      expect(d.snapshot.context.pendingApproval?.chain).toEqual(['commissionHead', 'partySecretary']);
      d.approveAll();
      expect(d.snapshot.value).toMatchObject({ lifecycle: { preliminaryVerification: 'inProgress' } });
      expect(d.snapshot.context.flags).toEqual(['reportedUpward']);
    });

    it('when the subject is only a member of the leadership, then the usual chains apply and nothing is reported upward', () => {
      const d = new CaseDriver(principal('member')).send(ev.propose('talkInquiry'));
      expect(d.snapshot.context.flags).toEqual([]);
      expect(d.snapshot.context.pendingApproval?.chain).toEqual(['supervisor']);
    });
  });

  describe('12. a real-name reporter is told of acceptance and of the result', () => {
    const withReporter = () => new CaseDriver(caseInput({ realNameReporter: true }));
    const notify = (stage: 'acceptance' | 'result'): CaseEvent =>
      ({ type: 'notifyReporter', actor: users.registrar, stage, method: 'phone', notifiedAt: '2026-11-10', note: '电话告知已受理' }) as CaseEvent;

    it('when a real-name clue is registered, then the acceptance clock runs until the registrar records how and when he told the reporter', () => {
      const d = withReporter();
      expect(activeDeadlineKeys(d.snapshot)).toEqual(['clue.disposition', 'reporter.acceptance']);
      expect(refused(d, notify('result')).reason).toBe('command_not_allowed');
      expect(refused(d, { ...notify('acceptance'), actor: users.inspector } as CaseEvent).reason).toBe('role');
      d.send(notify('acceptance'));
      expect(activeDeadlineKeys(d.snapshot)).toEqual(['clue.disposition']);
      expect(d.snapshot.context.reporterNotices).toEqual([{ stage: 'acceptance', method: 'phone', notifiedAt: '2026-11-10', recordedBy: 'reg' }]);
      expect(refused(d, notify('acceptance')).reason).toBe('command_not_allowed');
    });

    it('when the case closes, then the result clock opens and notifyReporter closes it, in the closed case', () => {
      const d = withReporter().send(notify('acceptance')).send(ev.propose('close')).approve();
      expect(d.snapshot.value).toMatchObject({ lifecycle: 'closed' });
      expect(activeDeadlineKeys(d.snapshot)).toEqual(['reporter.result']);
      expect(availableCommands(caseMachine, d.snapshot, users.registrar)).toContain('notifyReporter');
      d.send({ ...notify('result'), notifiedAt: '2026-12-20' } as CaseEvent);
      expect(activeDeadlineKeys(d.snapshot)).toEqual([]);
      expect(d.snapshot.context.reporterNotices.map((n) => n.stage)).toEqual(['acceptance', 'result']);
    });

    it('when the reporter is anonymous, then no reporter clock runs and notifyReporter is refused', () => {
      const d = driveTo('closed');
      expect(activeDeadlineKeys(d.snapshot)).toEqual([]);
      expect(refused(d, notify('result')).reason).toBe('command_not_allowed');
    });
  });

  describe('13. the decision is announced within a month', () => {
    it('when a decision is approved, then its announcement clock runs beside the execution report until 宣布 is recorded', () => {
      const d = driveTo('decided');
      expect(activeDeadlineKeys(d.snapshot)).toEqual(['execution.report', 'decision.announcement']);
      const announce: CaseEvent = { type: 'recordAnnouncement', actor: users.inspector, announcedAt: '2026-12-10', note: '已向本人及所在党支部宣布' };
      expect(refused(d, { ...announce, actor: users.registrar } as CaseEvent).reason).toBe('role');
      d.send(announce);
      expect(activeDeadlineKeys(d.snapshot)).toEqual(['execution.report']);
      expect(d.snapshot.context.announcedAt).toBe('2026-12-10');
      expect(refused(d, announce).reason).toBe('command_not_allowed');
    });

    it('when the execution is reported first, then the announcement clock stops with it', () => {
      const d = driveTo('executed');
      expect(activeDeadlineKeys(d.snapshot)).toEqual([]);
    });
  });

  describe('14. an appeal after closing', () => {
    it('when a sanctioned party member appeals a closed case, then it reopens into appeal and closes again with the dispositions as decided', () => {
      const d = driveTo('closed').send(ev.appeal('p1'));
      expect(d.snapshot.value).toMatchObject({ lifecycle: 'appeal' });
      expect(activeDeadlineKeys(d.snapshot)).toEqual(['appeal.decision']);
      d.send({ type: 'decideAppeal', actor: users.standingCommittee, outcome: 'modified', measures: [{ personId: 'p1', measure: 'criticismEducation' }], meeting: MEETING });
      expect(d.snapshot.value).toMatchObject({ lifecycle: 'closed' });
      expect(effect(d, 'recordAppealDecision')).toEqual({ personId: 'p1', outcome: 'modified', dispositions: [{ personId: 'p1', measure: 'criticismEducation', form: 1 }] });
      expect(d.snapshot.context).toMatchObject({ appealAfterClosing: false, decision: { measures: [{ personId: 'p1', measure: 'criticismEducation' }] } });
    });

    it('when an appeal after closing is upheld, then the case is closed again; a person without a measure cannot appeal', () => {
      const d = driveTo('closed');
      expect(refused(d, ev.appeal('p2')).issues).toEqual([{ path: 'personId', message: expect.any(String) }]);
      d.send(ev.appeal('p1')).send({ type: 'decideAppeal', actor: users.commissionHead, outcome: 'upheld' });
      expect(d.snapshot.value).toMatchObject({ lifecycle: 'closed' });
      expect(refused(driveTo('concluded'), ev.appeal('p1')).reason).toBe('command_not_allowed');
    });
  });

  describe('15. 问责 and 组织处理 decided with the party committee', () => {
    const review = (partyLed: boolean) => {
      const d = new ReviewDriver();
      d.snapshot = initialReview(reviewMachine, { reviewId: 'rev-p', caseId: 'case-1', kind: 'primary', orgId: 'county-1', partyLed }).snapshot;
      return d;
    };
    const findings = (measure: string) =>
      ({
        type: 'submitFindings', actor: users.inspector, responsibilityFound: true,
        parties: [{ name: '王书记', personId: 'lead-1', position: '镇党委书记', responsibility: 'mainLeadership' }],
        proposedMeasures: [{ target: 'lead-1', measure }],
      }) as never;
    const start = { type: 'proposeStart', actor: users.inspector, reason: '一案双查' } as const;

    it('when the reviewed organisation is led by the same-level committee, then its secretary approves the start and 通报/诫勉', () => {
      const d = review(true).send(start);
      expect(d.snapshot.context.pendingApproval?.chain).toEqual(['commissionHead', 'partySecretary']);
      d.approve().approve();
      expect(d.snapshot.value).toBe('investigating');
      d.send(findings('admonishment'));
      expect(d.snapshot.context.pendingApproval?.chain).toEqual(['commissionHead', 'partySecretary']);
      d.approve().approve();
      expect(d.snapshot.value).toBe('decided');
    });

    it('when 组织调整 is proposed, then the party committee decides it in a meeting recorded by its secretary', () => {
      const d = review(false).send(start).approve().send(findings('orgAdjustment'));
      expect(d.snapshot.context.pendingApproval?.chain).toEqual(['commissionHead', 'partyCommittee']);
      d.approve();
      const noMeeting = stepReview(reviewMachine, d.snapshot, { type: 'approve', actor: users.partySecretary });
      expect(noMeeting.accepted).toBe(false);
      expect(payloadIssues(reviewMachine, d.snapshot, { type: 'approve', actor: users.partySecretary })).toEqual([{ path: 'meeting', message: expect.any(String) }]);
      expect(explainRefusal(reviewMachine, d.snapshot, { type: 'approve', actor: actor('head2', 'commissionHead'), meeting: MEETING } as never)).toBe('role');
      d.send({ type: 'approve', actor: users.partySecretary, meeting: MEETING } as never);
      expect(d.snapshot.value).toBe('decided');
      expect(d.snapshot.context.pendingApproval).toBeNull();
    });

    it('when the organisation is not led by the same-level committee, then 通报 is the commission head’s alone', () => {
      const d = review(false).send(start);
      expect(d.snapshot.context.pendingApproval?.chain).toEqual(['commissionHead']);
      d.approve().send(findings('circular'));
      expect(d.snapshot.context.pendingApproval?.chain).toEqual(['commissionHead']);
    });

    it('when a case decision includes 组织处理, then the commission recommends and the party committee decides after the standing committee', () => {
      const d = driveTo('trial.reviewing').send(ev.decision([{ personId: 'p1', measure: 'dismissalFromPost' }]));
      expect(d.snapshot.context.pendingApproval?.chain).toEqual(['commissionHead', 'standingCommittee', 'partyCommittee']);
      d.approve().approve();
      expect(d.snapshot.value).toMatchObject({ lifecycle: { trial: 'decisionReview' } });
      expect(refused(d, { type: 'approve', actor: users.partySecretary }).issues).toEqual([{ path: 'meeting', message: expect.any(String) }]);
      d.approve();
      expect(d.snapshot.value).toMatchObject({ lifecycle: 'decided' });
      expect(d.snapshot.context.decision?.byStandingCommittee).toBe(true);
    });

    it('when a version-1 review is restored, then it is not party-led', () => {
      const json = JSON.parse(JSON.stringify(reviewMachine.getPersistedSnapshot(new ReviewDriver().snapshot))) as { context: Record<string, unknown> };
      delete json.context.partyLed;
      expect(fromPersisted(reviewMachine, { machineId: 'review', machineVersion: 1, snapshot: json }).context.partyLed).toBe(false);
    });
  });

  describe('16. per-subject handling (分案)', () => {
    const split = (personIds: string[]): CaseEvent => ({ type: 'splitClue', actor: users.caseManager, personIds, reason: '二人问题性质不同，分别处置' });

    it('when one of two subjects is split off, then he leaves this clue for a new case and the other takes his own disposition', () => {
      const d = new CaseDriver().send(split(['p2']));
      expect(effect(d, 'splitClue')).toEqual({ personIds: ['p2'], reason: '二人问题性质不同，分别处置', upperOrgId: UPPER_ORG });
      expect(d.snapshot.context.subjects.map((s) => s.personId)).toEqual(['p1']);
      expect(d.snapshot.value).toMatchObject({ lifecycle: 'registered' });
      d.send(ev.propose('close')).approve();
      expect(d.snapshot.value).toMatchObject({ lifecycle: 'closed' });
    });

    it('when the split would take every subject, names a stranger, or the clue has one subject, then it is refused', () => {
      const d = new CaseDriver();
      expect(refused(d, split(['p1', 'p2'])).issues).toEqual([{ path: 'personIds', message: expect.any(String) }]);
      expect(refused(d, split(['p9'])).issues).toEqual([{ path: 'personIds.0', message: expect.any(String) }]);
      const single = new CaseDriver(caseInput({ subjects: [{ personId: 'p1', name: '张某', orgId: 'town-1', rank: 'staff' }] }));
      expect(refused(single, split(['p1'])).reason).toBe('command_not_allowed');
      expect(availableCommands(caseMachine, single.snapshot, users.caseManager)).not.toContain('splitClue');
      expect(refused(driveTo('dispositionReview'), split(['p2'])).reason).toBe('command_not_allowed');
    });
  });

  describe('migration 1 → 2', () => {
    it('when a version-1 case with a judicial transfer is restored, then everyone in it stays transferred and subjects get the defaults', () => {
      const v2 = driveTo('decided').snapshot;
      const json = JSON.parse(JSON.stringify(caseMachine.getPersistedSnapshot(v2))) as { context: Record<string, any> };
      const context = json.context;
      context.subjects = context.subjects.map(({ personId, name, orgId, rank }: Record<string, string>) => ({ personId, name, orgId, rank }));
      context.decision = { measures: context.decision.measures, judicialTransfer: true };
      for (const key of ['upperOrgId', 'reopened', 'extensions']) delete context[key];
      const restored = fromPersisted(caseMachine, { machineId: 'case', machineVersion: 1, snapshot: json });
      expect(restored.context.decision).toEqual({ measures: [{ personId: 'p1', measure: 'partyWarning' }], judicialTransfer: true, transferred: ['p1'], byStandingCommittee: true });
      expect(restored.context.subjects[0]).toEqual({ personId: 'p1', name: '张某', orgId: 'town-1', rank: 'townshipDeputy', partyMember: true, publicOfficial: true, leadership: null, leadsOrgId: null });
      expect(restored.context).toMatchObject({ upperOrgId: null, reopened: false, extensions: {} });
      expect(caseV1toV2({ value: 'x', context: { subjects: [], decision: null } }).context).toMatchObject({ decision: null });
    });
  });
});
