/**
 * PGlite in a thread of its own (services/store/sql/pglite-remote.ts), as `npm start` runs it: the
 * store contract runs on it in store.test.ts; this file checks what is particular to the thread.
 * A command on a case this process committed last leaves in one message; a read inside a
 * transaction is answered before anything else on the event loop runs; and when the thread ends or
 * fails, what waits for it fails at once with a clear error instead of hanging.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import type { RemotePglite } from '../../../services/store/sql/pglite-remote';
import type { Ask } from '../../../services/store/sql/pglite-thread';
import type { CaseRecord, Store } from '../../../services/store/port';
import { openPgliteThread } from '../../helpers/store';
import * as f from './fixtures';

/** The thread's parts a test reaches behind the driver's back. */
const inside = (remote: RemotePglite) => remote as unknown as { port: MessagePort; worker: Worker };

/** The batches `remote` posts to its thread while `fn` runs, each as `op:name` per statement. */
async function batchesSent<T>(remote: RemotePglite, fn: () => Promise<T>): Promise<{ value: T; batches: string[][] }> {
  const port = inside(remote).port;
  const post = port.postMessage.bind(port);
  const batches: string[][] = [];
  port.postMessage = ((asks: Ask[]) => {
    batches.push(asks.map((a) => (a.op === 'hot' ? `hot:${a.name}` : a.op === 'exec' ? `exec:${a.text}` : a.op)));
    post(asks);
  }) as typeof port.postMessage;
  try {
    return { value: await fn(), batches };
  } finally {
    port.postMessage = post;
  }
}

/** One command on `c` as commitStep runs it: compare-and-set, audit append and deadlines locked, then an outbox row. */
async function step(store: Store, c: CaseRecord, title: string): Promise<CaseRecord> {
  const record = { ...c, title, version: c.version + 1 };
  await store.transaction(async (tx) => {
    await tx.batch(
      () => tx.cases.update(record, c.version),
      () => tx.audit.append(c.id, f.auditInput({ action: title, from: c.state, to: c.state })),
      () => tx.deadlines.listByAggregate('case', c.id, { lock: true }),
    );
    await tx.outbox.insert([f.outboxRow({ data: { caseId: c.id, step: title } })]);
  });
  return record;
}

async function registered(store: Store): Promise<CaseRecord> {
  const c = f.caseRecord(f.uid('org'));
  await store.cases.insert(c);
  await store.transaction(async (tx) => {
    await tx.audit.append(c.id, f.auditInput({ action: 'register', from: null, to: c.state }));
    await tx.deadlines.insert(f.deadline(c.id, c.orgId));
  });
  return c;
}

describe('PGlite in a thread of its own', () => {
  let store: Store;
  let remote: RemotePglite;

  beforeEach(async () => {
    ({ store, remote } = await openPgliteThread('memory://', 'sm3'));
  }, 60_000);
  afterEach(async () => {
    await store.close().catch(() => undefined);
  });

  it('when a process commands a case it committed last, then BEGIN, the checked compare-and-set, the flush and COMMIT leave in one message', async () => {
    const c = await registered(store);
    // The first command reads the case's deadlines inside its transaction.
    const first = await batchesSent(remote, () => step(store, c, 'first'));
    expect(first.batches.length).toBeGreaterThanOrEqual(2);
    const second = await batchesSent(remote, () => step(store, first.value, 'second'));
    expect(second.batches).toEqual([['exec:BEGIN', 'hot:store_cas_case_checked', 'hot:store_flush', 'exec:COMMIT']]);
    expect(await store.cases.get(c.id)).toEqual(second.value);
    expect((await store.audit.list(c.id)).map((e) => e.action)).toEqual(['register', 'first', 'second']);
    expect((await store.verifyAudit()).ok).toBe(true);
  });

  it('when a transaction reads, then the answer is there before any other callback of the event loop runs', async () => {
    const c = await registered(store);
    let ranMeanwhile = false;
    const found = await store.transaction(async (tx) => {
      setImmediate(() => (ranMeanwhile = true));
      const read = await tx.cases.get(c.id);
      // Waited for in place: the connection is this transaction's until its COMMIT leaves.
      expect(ranMeanwhile).toBe(false);
      return read;
    });
    expect(found).toEqual(c);
  });

  it('when the thread ends, then what waits for it and what is asked later fail at once, naming the thread', async () => {
    const c = await registered(store);
    const pending = store.cases.get(c.id);
    await inside(remote).worker.terminate();
    await expect(pending).rejects.toThrow(/PGlite 线程已退出/);
    const started = Date.now();
    await expect(store.cases.get(c.id)).rejects.toThrow(/PGlite 线程已退出/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('when the thread fails while a transaction waits for its read, then the wait ends with the failure, not at the time limit', async () => {
    const c = await registered(store);
    const started = Date.now();
    await expect(
      store.transaction(async (tx) => {
        // A batch the thread cannot read: a fault outside any statement, which ends the thread.
        inside(remote).port.postMessage(null);
        return tx.cases.get(c.id);
      }),
    ).rejects.toThrow(/PGlite 线程出错退出/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
