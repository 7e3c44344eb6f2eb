import type { Role } from '../../machines/shared/roles';
import { AppError, forbidden, notFound } from '../errors';
import type { Store, StoreTx, User } from '../store/port';
import { OrgTree } from './org-tree';

export { OrgTree };
export { cachedUser, cachedWithRole, invalidateUsers, USER_TTL_MS } from './users';

const TREE_TTL_MS = 2_000;

interface TreeEntry {
  at: number;
  tree: Promise<OrgTree>;
  /** Whether the read runs outside any transaction (then callers outside one may join it in flight). */
  shared: boolean;
  /** The answer, once read. */
  answer?: OrgTree;
}

const treeCache = new WeakMap<Store, TreeEntry>();

/**
 * The org tree, cached briefly per store: orgs change rarely, and every request needs the tree.
 * Writes in this process invalidate it at once; other processes see a new org within TREE_TTL_MS.
 *
 * Pass `tx` when called inside a transaction: the tree is then read through it unless an answer is
 * at hand. A caller inside a transaction never waits for a read in flight elsewhere: a read outside
 * any transaction may itself be waiting for a connection that transactions like this one hold (all
 * of them, with PGlite's one connection or a busy pool), and a read inside another transaction
 * fails with it.
 */
export function orgTree(store: Store, tx?: Pick<StoreTx, 'orgs'>, now = Date.now()): Promise<OrgTree> {
  const hit = treeCache.get(store);
  const fresh = hit && now - hit.at < TREE_TTL_MS ? hit : undefined;
  if (fresh?.answer) return Promise.resolve(fresh.answer);
  if (fresh && fresh.shared && !tx) return fresh.tree;
  const entry: TreeEntry = { at: now, tree: (tx ?? store).orgs.list().then((orgs) => new OrgTree(orgs)), shared: !tx };
  // A read already in flight keeps its place; this one is the caller's own.
  if (!fresh) treeCache.set(store, entry);
  entry.tree.then(
    (tree) => void (entry.answer = tree),
    () => void (treeCache.get(store) === entry && treeCache.delete(store)),
  );
  return entry.tree;
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

/**
 * A user whose person is a party to a 问责 review (a leader under review, a measure's target, a
 * suggested party) is recused from that review, as is anyone recused from its case.
 */
export function isPartyToReview(user: Pick<User, 'personId'>, involvedPersonIds: readonly string[]): boolean {
  return user.personId != null && user.personId !== '' && involvedPersonIds.includes(user.personId);
}

/** Reporter identity is shown only to these roles, and each disclosure is audited. */
export const REPORTER_READERS: readonly Role[] = ['registrar', 'commissionHead'];

export function requireAdmin(user: Pick<User, 'roles'>): void {
  if (!user.roles.includes('admin')) throw new AppError('forbidden', 'administrators only', { reason: 'role' });
}
