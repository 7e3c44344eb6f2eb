/** Roles a user may hold (DOMAIN.md §1, API.md Admin). `system` is the engine itself (workers, escalation). */
export const USER_ROLES = [
  'registrar',
  'caseManager',
  'inspector',
  'trialReviewer',
  'supervisor',
  'commissionHead',
  'partySecretary',
  'standingCommittee',
  'auditor',
  'admin',
] as const;

export type UserRole = (typeof USER_ROLES)[number];
export type Role = UserRole | 'system';

/** Who sends an event: the service resolves it from the stored user, never from the request body. */
export interface Actor {
  id: string;
  roles: readonly Role[];
  orgId: string;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ id: 'system', roles: ['system'] as const, orgId: 'root' });

export function isSystem(actor: Actor): boolean {
  return actor.roles.includes('system');
}

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.roles.includes(role);
}
