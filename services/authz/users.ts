import { LRUCache } from 'lru-cache';
import type { Role } from '../../machines/shared/roles';
import type { Store, StoreTx, User } from '../store/port';

/** How long another process's change to users may go unseen here (as the org tree: TREE_TTL_MS). */
export const USER_TTL_MS = 2_000;

interface UserCaches {
  byId: LRUCache<string, { user: User }>;
  /** Reads by id in flight: the requests that miss together (an entry expiring under load) share one. */
  reading: Map<string, Promise<User | null>>;
  byRole: LRUCache<string, User[]>;
}

const caches = new WeakMap<Store, UserCaches>();

function cachesOf(store: Store): UserCaches {
  let c = caches.get(store);
  if (!c) {
    c = {
      byId: new LRUCache({ max: 10_000, ttl: USER_TTL_MS }),
      reading: new Map(),
      byRole: new LRUCache({ max: 2_000, ttl: USER_TTL_MS }),
    };
    caches.set(store, c);
  }
  return c;
}

/**
 * A user by id, cached briefly per store: every request authenticates its caller, and users change
 * rarely (they are only ever created). Writes in this process invalidate the cache at once.
 * Concurrent misses of one id share one read (outside any transaction, so no caller's failure
 * becomes another's but a failure of the store itself).
 */
export async function cachedUser(store: Store, id: string): Promise<User | null> {
  const caches = cachesOf(store);
  const hit = caches.byId.get(id);
  if (hit) return hit.user;
  let reading = caches.reading.get(id);
  if (!reading) {
    reading = store.users.get(id).then(
      (user) => {
        caches.reading.delete(id);
        // Misses are not kept: a user created by another process is usable at once.
        if (user) caches.byId.set(id, { user });
        return user;
      },
      (err: unknown) => {
        caches.reading.delete(id);
        throw err;
      },
    );
    caches.reading.set(id, reading);
  }
  return reading;
}

/**
 * `users.withRole`, cached as `cachedUser`: a burst of commands or deadline steps asks for the same
 * few lists (a holder appointed in the last USER_TTL_MS by another process may miss one notice).
 * Pass `tx` inside a transaction: with PGlite (one connection) a read beside it would wait for it
 * forever. Only answers are kept, not queries in flight: a query runs on its caller's transaction,
 * whose failure must not become another caller's.
 */
export async function cachedWithRole(store: Store, role: Role, orgIds: string[], tx?: Pick<StoreTx, 'users'>): Promise<User[]> {
  const cache = cachesOf(store).byRole;
  const key = `${role}\u0000${orgIds.join('\u0000')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const users = await (tx ?? store).users.withRole(role, orgIds);
  cache.set(key, users);
  return users;
}

/** Forgets every cached user of `store` (after creating one). */
export function invalidateUsers(store: Store): void {
  caches.delete(store);
}
