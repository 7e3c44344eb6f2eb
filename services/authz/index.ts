import type { Role } from '../../machines/shared/roles';
import { AppError, forbidden, notFound } from '../errors';
import type { Store, StoreTx, User } from '../store/port';
import { OrgTree } from './org-tree';

export { OrgTree };
export { cachedUser, cachedWithRole, invalidateUsers, USER_TTL_MS } from './users';

const TREE_TTL_MS = 2_000;
const treeCache = new WeakMap<Store, { at: number; tree: Promise<OrgTree> }>();

/**
 * The org tree, cached briefly per store: orgs change rarely, and every request needs the tree.
 * Writes in this process invalidate it at once; other processes see a new org within TREE_TTL_MS.
 * Pass `tx` when called inside a transaction.
 */
export function orgTree(store: Store, tx?: Pick<StoreTx, 'orgs'>, now = Date.now()): Promise<OrgTree> {
  const hit = treeCache.get(store);
  if (hit && now - hit.at < TREE_TTL_MS) return hit.tree;
  // Inside a transaction the tree is read through it: PGlite has one connection, so a query
  // outside the open transaction would wait for it forever.
  const tree = (tx ?? store).orgs.list().then((orgs) => new OrgTree(orgs));
  treeCache.set(store, { at: now, tree });
  tree.catch(() => treeCache.delete(store));
  return tree;
}

export function invalidateOrgTree(store: Store): void {
  treeCache.delete(store);
}

export function hasAnyRole(user: Pick<User, 'roles'>, roles: readonly Role[]): boolean {
  return roles.some((r) => user.roles.includes(r));
}

export function requireRole(user: Pick<User, 'roles'>, roles: readonly Role[], what: string): void {
  if (!hasAnyRole(user, roles)) throw forbidden('role', `${what} needs one of the roles: ${roles.join(', ')}`);
}

/** 404 (not 403) outside the caller's scope, so that existence does not leak. */
export function requireInScope(tree: OrgTree, user: Pick<User, 'orgId'>, orgId: string, what: string): void {
  if (!tree.contains(user.orgId, orgId)) throw notFound(what);
}

export interface RecusalFacts {
  recusals: ReadonlyArray<{ userId: string }>;
  subjects: ReadonlyArray<{ personId: string; name: string }>;
}

/**
 * A user is recused when they declared it (or were recused by a supervisor), or when their person id
 * or name matches a subject's (ARCHITECTURE §6): nobody handles a case about themselves.
 */
export function isRecused(user: Pick<User, 'id' | 'personId' | 'name'>, facts: RecusalFacts): boolean {
  if (facts.recusals.some((r) => r.userId === user.id)) return true;
  return facts.subjects.some((s) => (user.personId && s.personId === user.personId) || s.name === user.name);
}

export function requireNotRecused(user: Pick<User, 'id' | 'personId' | 'name'>, facts: RecusalFacts): void {
  if (isRecused(user, facts)) throw forbidden('recusal', 'you are recused from this case');
}

/** Reporter identity is shown only to these roles, and each disclosure is audited. */
export const REPORTER_READERS: readonly Role[] = ['registrar', 'commissionHead'];

export function requireAdmin(user: Pick<User, 'roles'>): void {
  if (!user.roles.includes('admin')) throw new AppError('forbidden', 'administrators only', { reason: 'role' });
}
