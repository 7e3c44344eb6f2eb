/**
 * A command on PostgreSQL in one round trip (issue 19, docs/decisions/009, migration 0009). A
 * process remembers the audit head and the deadlines (with their row versions) of the aggregates
 * its transactions committed; its next command on one sends BEGIN, the compare-and-set, a check of
 * what it remembered, the held-back writes and COMMIT without waiting for any answer. What another
 * process did meanwhile must still win: a stale head or deadline makes the check fail and the
 * transaction run again the usual way; a moved version fails the compare-and-set.
 *
 * "Another process" is a second store on the same database (a database of its own, dropped after):
 * it has its own memory. Each command is the transaction `commitStep` (services/commands/commit.ts)
 * runs: the compare-and-set, the audit append and the deadlines locked, batched; then its writes.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { firstBrokenLink } from '../../../services/audit/hash';
import { createStore } from '../../../services/store';
import { VersionConflictError, type CaseRecord, type DeadlineRecord, type Store, type StoreTx } from '../../../services/store/port';
import { postgresAnswers, TEST_DATABASE_URL } from '../../helpers/store';
import * as f from './fixtures';

const onPostgres = postgresAnswers();
if (!onPostgres) console.log('one-round-trip.test.ts: skipped, nothing answers on 127.0.0.1:5432');
const run = onPostgres ? describe : describe.skip;

/** Writes that reach PostgreSQL's port from this process while `fn` runs (one per system call). */
async function writesToPostgres<T>(fn: () => Promise<T>): Promise<{ value: T; writes: number }> {
  const port = Number(new URL(TEST_DATABASE_URL).port || 5432);
  type Write = (...args: unknown[]) => unknown;
  const proto = net.Socket.prototype as unknown as Record<'_write' | '_writev', Write>;
  const originals = { _write: proto._write, _writev: proto._writev };
  let writes = 0;
  for (const name of ['_write', '_writev'] as const) {
    proto[name] = function (this: net.Socket, ...args: unknown[]) {
      if (this.remotePort === port) writes++;
      return originals[name].apply(this, args);
    } as Write;
  }
  try {
    const value = await fn();
    return { value, writes };
  } finally {
    Object.assign(proto, originals);
  }
}

run('a command on an aggregate this process committed last (PostgreSQL)', () => {
  const name = `test_trip_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  let a: Store;
  let b: Store;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    a = await createStore({ databaseUrl: url.toString(), dataDir: 'unused', auditHash: 'sm3', poolSize: 2 });
    b = await createStore({ databaseUrl: url.toString(), dataDir: 'unused', auditHash: 'sm3', poolSize: 2 });
  }, 120_000);

  afterAll(async () => {
    await a?.close().catch(() => undefined);
    await b?.close().catch(() => undefined);
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  /** A case with one open deadline, committed by `store` (which then remembers its head, not its deadlines). */
  async function newCase(store: Store): Promise<{ c: CaseRecord; d: DeadlineRecord }> {
    const c = f.caseRecord(f.uid('org'));
    const d = f.deadline(c.id, c.orgId);
    await store.cases.insert(c);
    await store.transaction(async (tx) => {
      await tx.audit.append(c.id, f.auditInput({ action: 'register', from: null, to: c.state }));
      await tx.deadlines.insert(d);
    });
    return { c, d };
  }

  /**
   * One command on `c` as commitStep runs it; `then` writes what the command derives from the
   * deadlines it found. Answers the stored record and those deadlines.
   */
  async function step(
    store: Store,
    c: CaseRecord,
    title: string,
    then?: (tx: StoreTx, deadlines: DeadlineRecord[]) => Promise<void>,
  ): Promise<{ record: CaseRecord; deadlines: DeadlineRecord[] }> {
    const record = { ...c, title, version: c.version + 1 };
    const deadlines = await store.transaction(async (tx) => {
      const [, , found] = await tx.batch(
        () => tx.cases.update(record, c.version),
        () => tx.audit.append(c.id, f.auditInput({ action: title, from: c.state, to: c.state })),
        () => tx.deadlines.listByAggregate('case', c.id, { lock: true }),
      );
      await then?.(tx, found);
      await tx.outbox.insert([f.outboxRow({ data: { caseId: c.id, step: title } })]);
      return found;
    });
    return { record, deadlines };
  }

  async function chainHolds(stream: string, n: number): Promise<void> {
    const events = await b.audit.list(stream);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(firstBrokenLink('sm3', events)).toBeNull();
  }

  it('when a process commands an aggregate it committed last, then the whole transaction leaves in one write and finds what is stored', async () => {
    const { c, d } = await newCase(a);
    // The first command reads the deadlines (and the head it remembers from the registration).
    const first = await writesToPostgres(() => step(a, c, 'first'));
    expect(first.value.deadlines).toEqual([d]);
    expect(first.writes).toBeGreaterThanOrEqual(2);

    const second = await writesToPostgres(() =>
      step(a, first.value.record, 'second', async (tx, found) => {
        // Extends the clock: the next command must find the extension as stored.
        await tx.deadlines.update({ ...found[0], dueAt: f.at(60 * 24 * 40) });
      }),
    );
    expect(second.writes).toBe(1);
    expect(second.value.deadlines).toEqual([d]);

    const opened = f.deadline(c.id, c.orgId, { key: 'investigation.report', openedAt: f.at(5) });
    const third = await writesToPostgres(() => step(a, second.value.record, 'third', (tx) => tx.deadlines.insert(opened)));
    expect(third.writes).toBe(1);
    expect(third.value.deadlines).toEqual([{ ...d, dueAt: f.at(60 * 24 * 40) }]);
    // What the process remembered of its own writes is what the other process reads.
    const fourth = await writesToPostgres(() => step(a, third.value.record, 'fourth'));
    expect(fourth.writes).toBe(1);
    expect(fourth.value.deadlines).toEqual(await b.deadlines.listByAggregate('case', c.id));
    expect(fourth.value.deadlines).toEqual([{ ...d, dueAt: f.at(60 * 24 * 40) }, opened]);

    expect(await b.cases.get(c.id)).toEqual(fourth.value.record);
    await chainHolds(c.id, 5);
    const outbox = (await b.outbox.listUndelivered(10_000)).filter((o) => (o.data as { caseId?: string }).caseId === c.id);
    expect(outbox.map((o) => (o.data as { step: string }).step)).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('when another process appended to the stream meanwhile, then the command runs again on the stored head and the chain holds', async () => {
    const { c } = await newCase(a);
    const first = await step(a, c, 'first');
    // A refusal recorded by the other process: the head this process remembers is one behind.
    await b.audit.append(c.id, f.auditInput({ action: 'refused-elsewhere', outcome: 'refused', from: c.state, to: c.state }));

    const second = await writesToPostgres(() => step(a, first.record, 'second'));
    expect(second.writes).toBeGreaterThanOrEqual(2);
    await chainHolds(c.id, 4);
    expect((await b.audit.list(c.id)).map((e) => e.action)).toEqual(['register', 'first', 'refused-elsewhere', 'second']);
    expect(await b.verifyAudit()).toMatchObject({ ok: true });

    // Remembered again once committed: the next command is one write.
    const third = await writesToPostgres(() => step(a, second.value.record, 'third'));
    expect(third.writes).toBe(1);
    await chainHolds(c.id, 5);
  });

  it('when another process took a step of a deadline meanwhile, then the command finds the step and does not write over it', async () => {
    const { c, d } = await newCase(a);
    const first = await step(a, c, 'first');
    // A deadline worker of the other process marks the clock overdue.
    await b.transaction(async (tx) => {
      const row = (await tx.deadlines.get(d.id, { lock: true }))!;
      await tx.deadlines.update({ ...row, status: 'overdue', escalation: 'overdue' });
    });

    // The command closes the clock from what it finds: remembered, it would have found it open.
    const second = await step(a, first.record, 'second', async (tx, found) => {
      for (const row of found) await tx.deadlines.update({ ...row, status: 'met', closedAt: f.at(10) });
    });
    expect(second.deadlines).toEqual([{ ...d, status: 'overdue', escalation: 'overdue' }]);
    expect(await b.deadlines.get(d.id)).toEqual({ ...d, status: 'met', escalation: 'overdue', closedAt: f.at(10) });
  });

  it('when another process gave the aggregate a deadline meanwhile, then the command finds it', async () => {
    const { c, d } = await newCase(a);
    const first = await step(a, c, 'first');
    const added = f.deadline(c.id, c.orgId, { key: 'talk.followUp', openedAt: f.at(3) });
    await b.deadlines.insert(added);

    const second = await step(a, first.record, 'second');
    expect(second.deadlines).toEqual([d, added]);
  });

  it('when a transaction writes a deadline of a remembered aggregate before listing them, then the list holds it', async () => {
    const { c, d } = await newCase(a);
    const first = await step(a, c, 'first');
    const added = f.deadline(c.id, c.orgId, { key: 'talk.followUp', openedAt: f.at(3) });
    const listed = await a.transaction(async (tx) => {
      await tx.deadlines.insert(added);
      await tx.deadlines.update({ ...d, escalation: 'warning' });
      return tx.deadlines.listByAggregate('case', c.id, { lock: true });
    });
    expect(listed).toEqual([{ ...d, escalation: 'warning' }, added]);
    const second = await step(a, first.record, 'second');
    expect(second.deadlines).toEqual([{ ...d, escalation: 'warning' }, added]);
  });

  it('when another process moved the record, then the unanswered compare-and-set fails the command with a version conflict and nothing of it is kept', async () => {
    const { c, d } = await newCase(a);
    const first = await step(a, c, 'first');
    const moved = await step(b, first.record, 'moved elsewhere');

    const stale = writesToPostgres(() =>
      step(a, first.record, 'lost', async (tx, found) => {
        for (const row of found) await tx.deadlines.update({ ...row, status: 'met', closedAt: f.at(10) });
      }),
    );
    await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
    expect(await b.cases.get(c.id)).toEqual(moved.record);
    expect((await b.audit.list(c.id)).map((e) => e.action)).toEqual(['register', 'first', 'moved elsewhere']);
    expect(await b.deadlines.get(d.id)).toEqual(d);
    const steps = (await b.outbox.listUndelivered(10_000)).flatMap((o) => ((o.data as { caseId?: string }).caseId === c.id ? [(o.data as { step: string }).step] : []));
    expect(steps).toEqual(['first', 'moved elsewhere']);

    // Decided again on the stored record, the command commits.
    const retried = await step(a, moved.record, 'retried');
    expect(retried.record.version).toBe(moved.record.version + 1);
    await chainHolds(c.id, 4);
  });
});
