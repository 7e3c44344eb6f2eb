import type { Actor } from '../machines/shared/roles';
import type { User } from './store/port';

/** The engine itself (workers, escalation): acts everywhere, sends internal events only. */
export const SYSTEM_USER: User = Object.freeze({
  id: 'system',
  name: '系统',
  orgId: 'root',
  roles: ['system'],
  personId: null,
  createdAt: '1970-01-01T00:00:00.000Z',
}) as User;

export function isSystemUser(user: Pick<User, 'roles'>): boolean {
  return user.roles.includes('system');
}

export function actorOf(user: User): Actor {
  return { id: user.id, roles: user.roles, orgId: user.orgId };
}
