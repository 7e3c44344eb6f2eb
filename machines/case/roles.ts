import type { CommandRule } from '../shared/commands';
import type { CaseCommandType, CaseInternalEventType } from './events';

/** Who may send each case command (API.md "Cases", column "who"), and the internal events. */
export const CASE_COMMAND_ROLES: Readonly<Record<CaseCommandType | CaseInternalEventType, CommandRule>> = {
  assign: { kind: 'roles', roles: ['caseManager', 'supervisor'] },
  proposeDisposition: { kind: 'roles', roles: ['inspector', 'caseManager'] },
  approve: { kind: 'chain' },
  reject: { kind: 'chain' },
  recordReply: { kind: 'roles', roles: ['inspector'] },
  proposeInquiryOutcome: { kind: 'roles', roles: ['inspector'] },
  submitVerificationReport: { kind: 'roles', roles: ['inspector'] },
  reopen: { kind: 'roles', roles: ['caseManager', 'supervisor'] },
  // Inspectors in investigation, the assigned trial reviewers in trial.
  requestExtension: { kind: 'roles', roles: ['inspector', 'trialReviewer'] },
  submitInvestigationReport: { kind: 'roles', roles: ['inspector'] },
  assignTrialReviewers: { kind: 'roles', roles: ['supervisor', 'commissionHead'] },
  returnForSupplement: { kind: 'assignedTrialReviewer', roles: ['trialReviewer'] },
  proposeDecision: { kind: 'assignedTrialReviewer', roles: ['trialReviewer'] },
  recordExecution: { kind: 'roles', roles: ['inspector', 'caseManager'] },
  fileAppeal: { kind: 'roles', roles: ['caseManager'] },
  decideAppeal: { kind: 'roles', roles: ['standingCommittee', 'commissionHead'] },
  close: { kind: 'roles', roles: ['caseManager', 'supervisor'] },
  triggerDualInvestigation: { kind: 'roles', roles: ['commissionHead'] },
  recuse: { kind: 'selfOrRoles', roles: ['supervisor', 'commissionHead'] },
  recordAnnouncement: { kind: 'roles', roles: ['inspector', 'caseManager'] },
  notifyReporter: { kind: 'roles', roles: ['registrar', 'caseManager'] },
  splitClue: { kind: 'roles', roles: ['caseManager', 'supervisor'] },
  'review.opened': { kind: 'system' },
  'review.concluded': { kind: 'system' },
  'deadline.reached': { kind: 'system' },
};
