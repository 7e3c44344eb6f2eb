import {
  availableCommands, createReviewMachine, explainRefusal, initialReview, findingsIssues, payloadIssues, REVIEW_COMMANDS, reviewCommandSchemas, reviewView, stepReview, type Findings, type ReviewEvent,
} from '../../../machines';
import { MEETING, POLICY, ReviewDriver, reviewMachine, users } from './helpers';

/** The accountability review (问责): start approval, findings, decision, execution, appeal. */
const findings = (overrides: Partial<Findings> = {}): Findings => ({
  responsibilityFound: true,
  parties: [
    { name: '王书记', personId: 'p10', position: '镇党委书记', responsibility: 'mainLeadership' },
    { name: '赵委员', personId: 'p11', position: '镇党委委员', responsibility: 'importantLeadership' },
  ],
  proposedMeasures: [
    { target: 'organisation', measure: 'inspection' },
    { target: 'p10', measure: 'disciplinarySanction', sanction: 'partySeriousWarning' },
    { target: 'p11', measure: 'admonishment' },
  ],
  ...overrides,
});

const investigating = () =>
  new ReviewDriver('supervision').send({ type: 'proposeStart', actor: users.supervisor, reason: '一案双查' }).approve();

const submit = (f: Findings): ReviewEvent => ({ type: 'submitFindings', actor: users.inspector, ...f });
const effect = (d: ReviewDriver, type: string) => d.effects.find((e) => e.type === type)?.params;

describe('review machine', () => {
  describe('proposeStart', () => {
    it('when the start is approved by the commission head, then the review investigates', () => {
      const d = new ReviewDriver().send({ type: 'proposeStart', actor: users.inspector, reason: '启动' });
      expect(d.snapshot.value).toBe('startApproval');
      expect(d.snapshot.context.pendingApproval).toMatchObject({ kind: 'reviewStart', chain: ['commissionHead'] });
      d.approve();
      expect(d.snapshot.value).toBe('investigating');
    });

    it('when rejected, then the review is opened again', () => {
      const d = new ReviewDriver().send({ type: 'proposeStart', actor: users.inspector, reason: '启动' });
      d.send({ type: 'reject', actor: users.commissionHead, comment: '暂缓' });
      expect(d.snapshot.value).toBe('opened');
    });
  });

  describe('submitFindings', () => {
    it('when no responsibility is found and approved, then the review concludes with noResponsibility', () => {
      const d = investigating().send(submit(findings({ responsibilityFound: false, proposedMeasures: [] }))).approve();
      expect(d.snapshot.value).toBe('concluded');
      expect(effect(d, 'reviewConcluded')).toEqual({ caseId: 'case-1', reviewId: 'rev-supervision', kind: 'supervision', outcome: 'noResponsibility' });
      expect(effect(d, 'recordDispositions')).toBeUndefined();
    });

    it('when an exemption applies (容错), then the review concludes with exempted', () => {
      const d = investigating().send(submit(findings({ exemption: 'reformExploration', proposedMeasures: [] }))).approve();
      expect(d.snapshot.value).toBe('concluded');
      expect(effect(d, 'reviewConcluded')).toMatchObject({ outcome: 'exempted' });
    });

    it('when responsibility is found, then the review is decided with person measures in their forms, and execution concludes it', () => {
      const d = investigating().send(submit(findings())).approve();
      expect(d.snapshot.value).toBe('decided');
      expect(effect(d, 'recordDispositions')).toEqual({
        source: 'review',
        kind: 'supervision',
        dispositions: [
          { personId: 'p10', measure: 'disciplinarySanction', sanction: 'partySeriousWarning', form: 2 },
          { personId: 'p11', measure: 'admonishment', form: 1 },
        ],
      });
      expect(reviewView(d.snapshot)).toMatchObject({ state: 'decided', decision: { outcome: 'responsibilityFound' }, deadlineKeys: ['execution.report'] });
      d.send({ type: 'recordExecution', actor: users.caseManager, note: '已执行' });
      expect(d.snapshot.value).toBe('concluded');
      expect(effect(d, 'reviewConcluded')).toMatchObject({ kind: 'supervision', outcome: 'responsibilityFound' });
    });

    it('when the findings are rejected, then the team investigates again', () => {
      const d = investigating().send(submit(findings())).send({ type: 'reject', actor: users.commissionHead, comment: '补充' });
      expect(d.snapshot.value).toBe('investigating');
    });

    it('when findings are inconsistent, then the schema and the machine refuse them', () => {
      const bad = findings({ proposedMeasures: [{ target: 'p10', measure: 'disciplinarySanction' }, { target: 'organisation', measure: 'admonishment' }, { target: 'p99', measure: 'circular' }] });
      expect(findingsIssues(bad).map((i) => i.path)).toEqual(['proposedMeasures.0.sanction', 'proposedMeasures.1.target', 'proposedMeasures.2.target']);
      expect(reviewCommandSchemas.submitFindings.safeParse(bad).success).toBe(false);
      const d = investigating();
      expect(stepReview(reviewMachine, d.snapshot, submit(bad)).accepted).toBe(false);
      expect(payloadIssues(reviewMachine, d.snapshot, submit(bad))).toHaveLength(3);
      expect(findingsIssues(findings({ responsibilityFound: false }))).toEqual([{ path: 'proposedMeasures', message: expect.any(String) }]);
    });

    it('when an inspector approves their own findings, then it is refused for separation of duties', () => {
      const both = { id: 'insp-head', roles: ['inspector', 'commissionHead'] as const, orgId: 'county-1' };
      const d = investigating().send({ ...submit(findings()), actor: both });
      const event: ReviewEvent = { type: 'approve', actor: both };
      expect(stepReview(reviewMachine, d.snapshot, event).accepted).toBe(false);
      expect(explainRefusal(reviewMachine, d.snapshot, event)).toBe('separation_of_duties');
    });
  });

  describe('fileAppeal', () => {
    it('when a person held accountable appeals and the measure is modified, then the review is decided again with the new measure', () => {
      const d = investigating().send(submit(findings())).approve();
      d.send({ type: 'fileAppeal', actor: users.caseManager, personId: 'p10', reason: '不服' });
      expect(d.snapshot.value).toBe('appeal');
      expect(reviewView(d.snapshot).deadlineKeys).toEqual(['appeal.decision']);
      d.send({ type: 'decideAppeal', actor: users.standingCommittee, outcome: 'modified', measures: [{ target: 'p10', measure: 'admonishment' }] });
      expect(d.snapshot.value).toBe('decided');
      expect(effect(d, 'recordAppealDecision')).toEqual({ personId: 'p10', outcome: 'modified', dispositions: [{ personId: 'p10', measure: 'admonishment', form: 1 }] });
      expect(d.snapshot.context.measures).toEqual([
        { target: 'organisation', measure: 'inspection' },
        { target: 'p11', measure: 'admonishment' },
        { target: 'p10', measure: 'admonishment' },
      ]);
    });

    it('when the organisation or an unknown person appeals, then it is refused', () => {
      const d = investigating().send(submit(findings())).approve();
      expect(stepReview(reviewMachine, d.snapshot, { type: 'fileAppeal', actor: users.caseManager, personId: 'p99', reason: '不服' }).accepted).toBe(false);
    });
  });

  describe('roles', () => {
    it('when a registrar proposes the start, then it is refused for role; an appeal decided outside appeal is not allowed', () => {
      const d = new ReviewDriver();
      expect(explainRefusal(reviewMachine, d.snapshot, { type: 'proposeStart', actor: users.registrar, reason: 'x' })).toBe('role');
      expect(explainRefusal(reviewMachine, d.snapshot, { type: 'decideAppeal', actor: users.commissionHead, outcome: 'upheld' })).toBe('command_not_allowed');
    });

    it('when users ask in each state, then they are offered what API.md allows', () => {
      const offered = (d: ReviewDriver) => [...new Set(Object.values(users).flatMap((u) => availableCommands(reviewMachine, d.snapshot, u)))].sort();
      const d = new ReviewDriver();
      expect(offered(d)).toEqual(['proposeStart']);
      d.send({ type: 'proposeStart', actor: users.inspector, reason: '启动' });
      expect(offered(d)).toEqual(['approve', 'reject']);
      d.approve();
      expect(offered(d)).toEqual(['submitFindings']);
      d.send(submit(findings())).approve();
      expect(offered(d)).toEqual(['fileAppeal', 'recordExecution']);
      d.send({ type: 'fileAppeal', actor: users.caseManager, personId: 'p11', reason: '不服' });
      expect(offered(d)).toEqual(['decideAppeal']);
      d.send({ type: 'decideAppeal', actor: users.commissionHead, outcome: 'upheld' }).send({ type: 'recordExecution', actor: users.inspector, note: '已执行' });
      expect(offered(d)).toEqual([]);
      expect(REVIEW_COMMANDS).toEqual(['proposeStart', 'submitFindings', 'recordExecution', 'fileAppeal', 'decideAppeal', 'approve', 'reject']);
    });
  });

  describe('deadline.reached', () => {
    it('when the system reports an escalation, then it is recorded; a user is refused as system_only', () => {
      const d = investigating().send({ type: 'deadline.reached', actor: users.system, key: 'review.report', level: 'overdue' });
      expect(d.snapshot.context.escalations).toEqual({ 'review.report': 'overdue' });
      d.send({ type: 'deadline.reached', actor: users.system, key: 'review.report', level: 'warning' });
      expect(d.snapshot.context.escalations).toEqual({ 'review.report': 'overdue' });
      expect(explainRefusal(reviewMachine, d.snapshot, { type: 'deadline.reached', actor: users.inspector, key: 'review.report', level: 'overdue' })).toBe('system_only');
    });
  });

  describe('approve', () => {
    it('when a policy puts the standing committee in the findings chain, then its approval needs the meeting', () => {
      const machine = createReviewMachine({ ...POLICY, approvals: { ...POLICY.approvals, reviewFindings: ['commissionHead', 'standingCommittee'] } });
      let { snapshot } = initialReview(machine, { reviewId: 'r', caseId: 'c', kind: 'primary', orgId: 'o' });
      for (const event of [
        { type: 'proposeStart', actor: users.inspector, reason: '启动' },
        { type: 'approve', actor: users.commissionHead },
        submit(findings()),
        { type: 'approve', actor: users.commissionHead },
      ] as ReviewEvent[]) snapshot = stepReview(machine, snapshot, event).snapshot;
      expect(stepReview(machine, snapshot, { type: 'approve', actor: users.standingCommittee }).accepted).toBe(false);
      expect(payloadIssues(machine, snapshot, { type: 'approve', actor: users.standingCommittee })).toEqual([{ path: 'meeting', message: expect.any(String) }]);
      expect(stepReview(machine, snapshot, { type: 'approve', actor: users.standingCommittee, meeting: MEETING }).snapshot.value).toBe('decided');
    });
  });
});
