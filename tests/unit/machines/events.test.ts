import { DEFAULT_APPROVALS } from '../../../config/approvals';
import {
  CASE_COMMAND_ROLES, CASE_COMMANDS, CASE_INTERNAL_EVENTS, caseCommandSchemas, caseInternalEventSchemas, createCaseMachine, createReviewMachine, REVIEW_COMMAND_ROLES,
} from '../../../machines';
import { POLICY } from './helpers';

/** The command catalogue the HTTP layer reuses: names, payload schemas, role table. */
describe('case events', () => {
  describe('CASE_COMMANDS', () => {
    it('when listed, then they are the commands of API.md in table order', () => {
      expect(CASE_COMMANDS).toEqual([
        'assign', 'proposeDisposition', 'approve', 'reject', 'recordReply', 'proposeInquiryOutcome', 'submitVerificationReport', 'reopen', 'requestExtension',
        'submitInvestigationReport', 'assignTrialReviewers', 'returnForSupplement', 'proposeDecision', 'recordExecution', 'fileAppeal', 'decideAppeal', 'close',
        'triggerDualInvestigation', 'recuse', 'recordAnnouncement', 'notifyReporter', 'splitClue',
      ]);
      expect(CASE_INTERNAL_EVENTS).toEqual(['review.opened', 'review.concluded', 'deadline.reached']);
    });

    it('when the role table is read, then every command and internal event has a rule', () => {
      expect(Object.keys(CASE_COMMAND_ROLES).sort()).toEqual([...CASE_COMMANDS, ...CASE_INTERNAL_EVENTS].sort());
      expect(CASE_COMMAND_ROLES.approve).toEqual({ kind: 'chain' });
      expect(CASE_COMMAND_ROLES.recuse).toEqual({ kind: 'selfOrRoles', roles: ['supervisor', 'commissionHead'] });
      expect(CASE_COMMAND_ROLES.proposeDecision).toEqual({ kind: 'assignedTrialReviewer', roles: ['trialReviewer'] });
      expect(CASE_COMMAND_ROLES['review.opened']).toEqual({ kind: 'system' });
      expect(REVIEW_COMMAND_ROLES.decideAppeal).toEqual({ kind: 'roles', roles: ['standingCommittee', 'commissionHead'] });
    });
  });

  describe('caseCommandSchemas', () => {
    it('when a payload is valid, then it parses without type and actor', () => {
      expect(caseCommandSchemas.proposeDisposition.parse({ method: 'talkInquiry', reason: '线索具体', type: 'x' })).toEqual({ method: 'talkInquiry', reason: '线索具体' });
      expect(caseCommandSchemas.recordReply.safeParse({ summary: 's', receivedAt: '2026-11-20' }).success).toBe(true);
      expect(caseCommandSchemas.recordReply.safeParse({ summary: 's', receivedAt: '2026-11-20T08:00:00Z' }).success).toBe(true);
    });

    it.each([
      ['proposeDisposition', { method: 'talkInquiry', reason: '   ' }, 'reason'],
      ['proposeDisposition', { method: 'investigate', reason: 'r' }, 'method'],
      ['recordReply', { summary: 's', receivedAt: '20.11.2026' }, 'receivedAt'],
      ['proposeInquiryOutcome', { outcome: 'firstForm', reason: 'r', measures: [{ personId: 'p1', measure: 'partyWarning' }] }, 'measures.0.measure'],
      ['proposeInquiryOutcome', { outcome: 'acceptedClosed', reason: 'r', measures: [{ personId: 'p1', measure: 'reminderTalk' }] }, 'measures'],
      ['requestExtension', { deadlineKey: 'clue.disposition', days: 10, reason: 'r' }, 'deadlineKey'],
      ['requestExtension', { deadlineKey: 'trial.decision', days: 0, reason: 'r' }, 'days'],
      ['assignTrialReviewers', { userIds: ['tr1'] }, 'userIds'],
      ['decideAppeal', { outcome: 'modified' }, 'measures'],
      ['approve', { meeting: { ref: 'm', attendees: 'sc' } }, 'meeting.attendees'],
      ['reject', {}, 'comment'],
    ] as const)('when %s has %j, then %s is reported', (type, payload, path) => {
      const result = caseCommandSchemas[type].safeParse(payload);
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
    });

    it('when an internal event payload is checked, then kinds, outcomes and levels are enums', () => {
      expect(caseInternalEventSchemas['review.opened'].safeParse({ kind: 'primary', reviewId: 'r1' }).success).toBe(true);
      expect(caseInternalEventSchemas['deadline.reached'].safeParse({ key: 'clue.disposition', level: 'late' }).success).toBe(false);
    });
  });

  describe('createCaseMachine', () => {
    it('when called twice with one policy, then the same machine is returned', () => {
      expect(createCaseMachine(POLICY)).toBe(createCaseMachine(POLICY));
      expect(createReviewMachine(POLICY)).toBe(createReviewMachine(POLICY));
      expect(createCaseMachine({ ...POLICY })).not.toBe(createCaseMachine(POLICY));
    });

    it('when a chain is empty, then building the machine fails', () => {
      const policy = { ...POLICY, approvals: { ...DEFAULT_APPROVALS, disposition: { ...DEFAULT_APPROVALS.disposition, shelve: [] } } };
      expect(() => createCaseMachine(policy)).toThrow(/disposition.shelve/);
    });
  });
});
