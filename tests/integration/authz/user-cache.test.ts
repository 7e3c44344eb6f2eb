/**
 * The user cache (services/authz/users.ts) on a real store (PGlite): every request authenticates its
 * caller through it. When an entry expires under load, the requests that miss together must share
 * one read instead of each sending its own (a stampede of reads every USER_TTL_MS), and a failed
 * read must not stay cached.
 */
import { cachedUser, invalidateUsers } from '../../../services/authz';
import type { Store } from '../../../services/store';
import { pgliteHarness, type StoreHarness } from '../../helpers/store';
import { org, user } from '../store/fixtures';

describe('cachedUser', () => {
  let h: StoreHarness;
  const county = org();
  const inspector = user(county.id, { id: 'cache-inspector' });

  beforeAll(async () => {
    h = await pgliteHarness({ auditHash: 'sha256' });
    await h.store.transaction(async (tx) => {
      await tx.orgs.insert(county);
      await tx.users.insert(inspector);
    });
  }, 120_000); // a PGlite store applying every migration: seconds alone, much longer on a busy machine
  afterAll(() => h.dispose());

  /** The harness's store with `users.get` counted (and made to fail while `failing` is set). */
  function counted(): { store: Store; reads: () => number; fail(on: boolean): void } {
    let reads = 0;
    let failing = false;
    const store = {
      ...h.store,
      users: {
        ...h.store.users,
        get: (id: string) => {
          reads++;
          return failing ? Promise.reject(new Error('store down')) : h.store.users.get(id);
        },
      },
    } as Store;
    return { store, reads: () => reads, fail: (on) => void (failing = on) };
  }

  it('when many requests miss the same user at once, then one read answers them all, and the next ones hit the cache', async () => {
    const { store, reads } = counted();
    const answers = await Promise.all(Array.from({ length: 32 }, () => cachedUser(store, inspector.id)));
    expect(answers.every((u) => u?.id === inspector.id)).toBe(true);
    expect(reads()).toBe(1);
    expect((await cachedUser(store, inspector.id))?.id).toBe(inspector.id);
    expect(reads()).toBe(1);
  });

  it('when a user does not exist, then concurrent callers share the miss, and a later caller reads again', async () => {
    const { store, reads } = counted();
    expect(await Promise.all([cachedUser(store, 'nobody'), cachedUser(store, 'nobody')])).toEqual([null, null]);
    expect(reads()).toBe(1);
    expect(await cachedUser(store, 'nobody')).toBeNull();
    expect(reads()).toBe(2);
  });

  it('when the shared read fails, then every waiting caller gets the failure and the next caller reads afresh', async () => {
    const { store, reads, fail } = counted();
    fail(true);
    const results = await Promise.allSettled([cachedUser(store, inspector.id), cachedUser(store, inspector.id)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(reads()).toBe(1);
    fail(false);
    expect((await cachedUser(store, inspector.id))?.id).toBe(inspector.id);
    expect(reads()).toBe(2);
  });

  it('when the cache is invalidated during a read, then the next caller reads again', async () => {
    const { store, reads } = counted();
    const first = cachedUser(store, inspector.id);
    invalidateUsers(store);
    await first;
    await cachedUser(store, inspector.id);
    expect(reads()).toBe(2);
  });
});
