import { firstBrokenLink } from '../../../services/audit/hash';
import { DuplicateError, VersionConflictError, type CaseRecord, type Store } from '../../../services/store/port';
import * as f from './fixtures';
import type { Shared } from './shared';

type Outcome = 'won' | 'lost';

/**
 * One command as the services run it (services/commands/commit.ts): compare-and-set, an accepted
 * audit event and a read, batched in one transaction; on a version conflict, a `refused` event in
 * a transaction of its own.
 */
async function command(store: Store, c: CaseRecord, i: number): Promise<Outcome> {
  const stream = `case:${c.id}`;
  try {
    await store.transaction(async (tx) => {
      await tx.batch(
        () => tx.cases.update({ ...c, title: `writer ${i}`, updatedAt: f.at(1) }, c.version),
        () => tx.audit.append(stream, f.auditInput({ actor: `writer-${i}` })),
        () => tx.deadlines.listByAggregate('case', c.id),
      );
    });
    return 'won';
  } catch (err) {
    if (!(err instanceof VersionConflictError)) throw err;
    await store.transaction((tx) => tx.audit.append(stream, f.auditInput({ actor: `writer-${i}`, outcome: 'refused', to: null })));
    return 'lost';
  }
}

/** Transactions: own reads, concurrency on one aggregate, and rollback of everything on a throw. */
export function describeTransactions(s: Shared): void {
  const store = () => s.h.store;

  describe('transaction', () => {
    it('when a transaction writes, then its own reads see the writes and the commit keeps them', async () => {
      const o = f.org();
      const c = f.caseRecord(o.id);
      const result = await store().transaction(async (tx) => {
        await tx.orgs.insert(o);
        await tx.cases.insert(c);
        await tx.cases.update({ ...c, title: 'in tx' }, 1);
        return { org: await tx.orgs.get(o.id), title: (await tx.cases.get(c.id))?.title };
      });
      expect(result).toEqual({ org: o, title: 'in tx' });
      expect(await store().cases.get(c.id)).toMatchObject({ title: 'in tx', version: 2 });
    });

    it('when calls are batched, then their results come back in call order and reads see the writes before them', async () => {
      const c = f.caseRecord(f.uid('org'));
      await store().cases.insert(c);
      const stream = `case:${c.id}`;
      const [updated, event, read, none] = await store().transaction((tx) =>
        tx.batch(
          () => tx.cases.update({ ...c, title: 'batched' }, 1),
          () => tx.audit.append(stream, f.auditInput()),
          () => tx.cases.get(c.id),
          () => tx.deadlines.listByAggregate('case', c.id),
        ),
      );
      expect(updated).toBeUndefined();
      expect(event).toMatchObject({ stream, seq: 1 });
      expect(read).toMatchObject({ title: 'batched', version: 2 });
      expect(none).toEqual([]);
      expect(await store().batch(() => store().cases.get(c.id), () => store().audit.list(stream))).toEqual([
        expect.objectContaining({ version: 2 }),
        [expect.objectContaining({ seq: 1 })],
      ]);
    });

    it('when the first call of a batch fails, then the batch throws its error and the transaction keeps nothing', async () => {
      const c = f.caseRecord(f.uid('org'));
      await store().cases.insert(c);
      const stream = `case:${c.id}`;
      await expect(
        store().transaction((tx) =>
          tx.batch(
            () => tx.cases.update({ ...c, title: 'stale' }, 7),
            () => tx.audit.append(stream, f.auditInput()),
          ),
        ),
      ).rejects.toBeInstanceOf(VersionConflictError);
      expect(await store().cases.get(c.id)).toMatchObject({ version: 1, title: c.title });
      expect(await store().audit.list(stream)).toEqual([]);
    });

    // PostgreSQL: the lock makes the worker wait, so it sees the deadline closed (without it, the
    // worker's step is overwritten: the lost update this test catches). MongoDB may ignore the lock:
    // its write conflict re-runs the closing transaction, which then closes the stepped deadline.
    // PGlite runs transactions one at a time, so the test cannot fail there.
    it('when a transaction closes a deadline while another takes its step, then neither write is lost', async () => {
      const d = f.deadline(f.uid('case'), f.uid('org'));
      await store().deadlines.insert(d);
      let readByFirst!: () => void;
      const firstHasRead = new Promise<void>((r) => (readByFirst = r));
      // A command closing the deadline, slow between its read and its commit …
      const closing = store().transaction(async (tx) => {
        const [row] = await tx.deadlines.listByAggregate(d.aggregateType, d.aggregateId, { lock: true });
        readByFirst();
        await new Promise((r) => setTimeout(r, 150));
        await tx.deadlines.update({ ...row, status: 'met', closedAt: f.at(9) });
      });
      await firstHasRead;
      // … and a worker taking a step of it meanwhile: it must not write over the closing.
      const seen = await store().transaction(async (tx) => {
        const row = (await tx.deadlines.get(d.id, { lock: true }))!;
        if (row.status === 'open') await tx.deadlines.update({ ...row, status: 'overdue', escalation: 'overdue' });
        return row.status;
      });
      await closing;
      const final = await store().deadlines.get(d.id);
      expect(final?.status).toBe('met');
      // Either the step waited and found the deadline closed, or it came first and the close kept it.
      expect({ seen, escalation: final?.escalation }).toEqual(seen === 'met' ? { seen, escalation: 'none' } : { seen: 'open', escalation: 'overdue' });
      if (store().kind === 'postgres') expect(seen).toBe('met');
    });

    it('when 50 writers update one aggregate at the same version, then exactly one wins and the chain holds 50 linked events', async () => {
      const c = f.caseRecord(f.uid('org'));
      await store().cases.insert(c);

      const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => command(store(), c, i)));

      expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'lost')).toHaveLength(49);
      const winner = outcomes.indexOf('won');
      expect(await store().cases.get(c.id)).toMatchObject({ version: 2, title: `writer ${winner}` });
      const events = await store().audit.list(`case:${c.id}`);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(events.filter((e) => e.outcome === 'accepted')).toEqual([expect.objectContaining({ actor: `writer-${winner}` })]);
      expect(firstBrokenLink('sm3', events)).toBeNull();
      expect(await store().verifyAudit()).toMatchObject({ ok: true });
    });

    it('when a transaction throws after writing aggregate, audit, deadline and outbox, then none of it is kept', async () => {
      const c = f.caseRecord(f.uid('org'));
      await store().cases.insert(c);
      const stream = `case:${c.id}`;
      const dl = f.deadline(c.id, c.orgId);
      const out = f.outboxRow();

      const failing = store().transaction(async (tx) => {
        await tx.cases.update({ ...c, state: 'dispositionReview' }, c.version);
        await tx.audit.append(stream, f.auditInput());
        await tx.audit.append(stream, f.auditInput({ action: 'second' }));
        await tx.deadlines.insert(dl);
        await tx.outbox.insert([out]);
        throw new Error('injected failure before commit');
      });

      await expect(failing).rejects.toThrow('injected failure before commit');
      expect(await store().cases.get(c.id)).toEqual(c);
      expect(await store().audit.list(stream)).toEqual([]);
      expect(await store().deadlines.get(dl.id)).toBeNull();
      expect((await store().outbox.listUndelivered(10_000)).map((r) => r.id)).not.toContain(out.id);
      expect((await store().audit.append(stream, f.auditInput())).seq).toBe(1);
      expect(await store().verifyAudit()).toMatchObject({ ok: true });
    });

    it('when a write of the transaction breaks a constraint, then transaction() rejects with the port error and keeps nothing', async () => {
      const c = f.caseRecord(f.uid('org'));
      await store().cases.insert(c);
      const taken = f.deadline(c.id, c.orgId);
      await store().deadlines.insert(taken);
      const out = f.outboxRow();

      const failing = store().transaction(async (tx) => {
        await tx.cases.update({ ...c, title: 'kept?' }, c.version);
        await tx.audit.append(`case:${c.id}`, f.auditInput());
        await tx.outbox.insert([out]);
        await tx.deadlines.insert({ ...taken, key: 'approval' });
      });

      await expect(failing).rejects.toBeInstanceOf(DuplicateError);
      expect(await store().cases.get(c.id)).toEqual(c);
      expect(await store().audit.list(`case:${c.id}`)).toEqual([]);
      expect((await store().outbox.listUndelivered(10_000)).map((r) => r.id)).not.toContain(out.id);
    });

    it('when appends to one stream start together inside a transaction, then they take consecutive seqs', async () => {
      const stream = `case:${f.uid('case')}`;
      await store().transaction((tx) => Promise.all([1, 2, 3].map((i) => tx.audit.append(stream, f.auditInput({ actor: `a${i}` })))));
      expect((await store().audit.list(stream)).map((e) => [e.seq, e.actor])).toEqual([[1, 'a1'], [2, 'a2'], [3, 'a3']]);
    });

    it('when appends to one stream run concurrently outside transactions, then they form one chain', async () => {
      const stream = `case:${f.uid('case')}`;
      const appended = await Promise.all(Array.from({ length: 10 }, (_, i) => store().audit.append(stream, f.auditInput({ actor: `a${i}` }))));
      expect(appended.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect(await store().audit.list(stream)).toEqual(expect.arrayContaining(appended));
      expect(firstBrokenLink('sm3', await store().audit.list(stream))).toBeNull();
    });
  });
}
