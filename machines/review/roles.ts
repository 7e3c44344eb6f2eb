import type { CommandRule } from '../shared/commands';
import type { ReviewCommandType, ReviewInternalEventType } from './events';

/** Who may send each review command (API.md "Reviews"). */
export const REVIEW_COMMAND_ROLES: Readonly<Record<ReviewCommandType | ReviewInternalEventType, CommandRule>> = {
  proposeStart: { kind: 'roles', roles: ['inspector', 'supervisor'] },
  submitFindings: { kind: 'roles', roles: ['inspector'] },
  recordExecution: { kind: 'roles', roles: ['inspector', 'caseManager'] },
  fileAppeal: { kind: 'roles', roles: ['caseManager'] },
  decideAppeal: { kind: 'roles', roles: ['standingCommittee', 'commissionHead'] },
  approve: { kind: 'chain' },
  reject: { kind: 'chain' },
  'deadline.reached': { kind: 'system' },
};
