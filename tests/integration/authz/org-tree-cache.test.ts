/**
 * The org tree cache (services/authz/index.ts) against a real store whose connections are all held:
 * PGlite (one connection) and PostgreSQL with a pool of one. A transaction that asks for the tree
 * while a read outside any transaction waits for a connection must not wait for that read: the read
 * waits for the transaction (the deadlock that stopped bench/api at 32 clients on a pool of 10).
 */
import { invalidateOrgTree, orgTree, type OrgTree } from '../../../services/authz';
import type { Store } from '../../../services/store';
import { pgliteHarness, postgresAnswers, postgresHarness, TEST_DATABASE_URL, type MakeHarness, type StoreHarness } from '../../helpers/store';
import { org } from '../store/fixtures';

const postgres = postgresAnswers();
if (!postgres) console.warn(`org tree cache: PostgreSQL run skipped: nothing answers at ${new URL(TEST_DATABASE_URL).host}`);
const harnesses: Array<[string, MakeHarness]> = [['pglite', pgliteHarness], ...(postgres ? [['postgres', postgresHarness] as [string, MakeHarness]] : [])];

/** Fails instead of hanging: a deadlocked wait would otherwise stop the suite. */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

describe.each(harnesses)('orgTree with every connection held (%s)', (_name, make) => {
  let h: StoreHarness;
  let store: Store;
  const county = org();

  beforeAll(async () => {
    h = await make({ auditHash: 'sha256', poolSize: 1 });
    store = h.store;
    await store.transaction((tx) => tx.orgs.insert(county));
  }, 120_000); // a store applying every migration: seconds alone, much longer on a busy machine
  afterAll(() => h.dispose());
  beforeEach(() => invalidateOrgTree(store));

  it('when a read outside any transaction is waiting for the connection, then a transaction asking for the tree reads it itself', async () => {
    let outside: Promise<OrgTree> | undefined;
    const inside = await store.transaction(async (tx) => {
      outside = orgTree(store); // queued behind this transaction
      return within(3000, 'the tree inside the transaction', orgTree(store, tx));
    });
    expect(inside.get(county.id)?.name).toBe(county.name);
    expect((await within(3000, 'the tree outside', outside!)).get(county.id)?.name).toBe(county.name);
  });

  it('when the tree was read, then callers inside and outside transactions get the answer without a query', async () => {
    const first = await orgTree(store);
    const inside = await store.transaction(async (tx) => {
      const noReads = { orgs: { ...tx.orgs, list: () => Promise.reject(new Error('read again')) } };
      return within(3000, 'the cached tree inside a transaction', orgTree(store, noReads));
    });
    expect(inside).toBe(first);
    expect(await orgTree(store)).toBe(first);
  });

  it('when a read inside a transaction fails, then a later caller outside reads afresh and gets the tree', async () => {
    await expect(
      store.transaction(async (tx) => {
        const failing = { orgs: { ...tx.orgs, list: () => Promise.reject(new Error('aborted')) } };
        return orgTree(store, failing);
      }),
    ).rejects.toThrow('aborted');
    expect((await orgTree(store)).get(county.id)?.name).toBe(county.name);
  });
});
