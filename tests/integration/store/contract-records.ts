import { DuplicateError } from '../../../services/store/port';
import * as f from './fixtures';
import type { Shared } from './shared';

/** CRUD of the plain repos: orgs, users, dispositions, deadlines, outbox, notifications, calendars. */
export function describeRecords(s: Shared): void {
  const store = () => s.h.store;

  describe('orgs and users', () => {
    it('when an org and its users are inserted, then get, list and withRole return them', async () => {
      const parent = f.org({ level: 'prefecture' });
      const child = f.org({ parentId: parent.id, partyCommittee: null, disciplineBody: null, createdAt: f.at(1) });
      await store().orgs.insert(parent);
      await store().orgs.insert(child);
      const head = f.user(parent.id, { roles: ['commissionHead', 'supervisor'], personId: 'p-1' });
      const inspector = f.user(child.id);
      await store().users.insert(head);
      await store().users.insert(inspector);

      expect(await store().orgs.get(child.id)).toEqual(child);
      expect(await store().orgs.get('no-such-org')).toBeNull();
      expect(await store().orgs.list()).toEqual(expect.arrayContaining([parent, child]));
      expect(await store().users.get(head.id)).toEqual(head);
      expect(await store().users.list()).toEqual(expect.arrayContaining([head, inspector]));
      expect(await store().users.withRole('supervisor', [parent.id, child.id])).toEqual([head]);
      expect(await store().users.withRole('inspector', [parent.id])).toEqual([]);
      expect(await store().users.withRole('inspector', [])).toEqual([]);
    });

    it('when an id is inserted twice, then the second insert throws DuplicateError and the first row stays', async () => {
      const o = f.org();
      await store().orgs.insert(o);
      await expect(store().orgs.insert({ ...o, name: 'other' })).rejects.toBeInstanceOf(DuplicateError);
      const u = f.user(o.id);
      await store().users.insert(u);
      await expect(store().users.insert(u)).rejects.toBeInstanceOf(DuplicateError);
      expect((await store().orgs.get(o.id))?.name).toBe(o.name);
    });
  });

  describe('dispositions', () => {
    it('when dispositions are inserted, then listByCase and query (half-open period, org scope) find them', async () => {
      const [a, b] = [f.org(), f.org()];
      const caseId = f.uid('case');
      const d1 = f.disposition(caseId, a.id, { decidedAt: f.at(10), form: 1, measure: 'admonishment' });
      const d2 = f.disposition(caseId, b.id, { decidedAt: f.at(20), reviewId: 'r-1', personName: null });
      const d3 = f.disposition(f.uid('case'), a.id, { decidedAt: f.at(30), form: 4 });
      await store().dispositions.insertMany([d1, d2, d3]);
      await store().dispositions.insertMany([]);

      expect(await store().dispositions.listByCase(caseId)).toEqual([d1, d2]);
      expect(await store().dispositions.query({ from: f.at(10), to: f.at(30), orgIds: [a.id, b.id] })).toEqual([d1, d2]);
      expect(await store().dispositions.query({ from: f.at(11), orgIds: [a.id] })).toEqual([d3]);
      expect(await store().dispositions.query({ orgIds: [] })).toEqual([]);
    });

    it('when an appeal revokes dispositions, then they stay listed with revokedAt and leave the statistics', async () => {
      const o = f.org();
      const caseId = f.uid('case');
      const [a, b] = [f.disposition(caseId, o.id, { decidedAt: f.at(1) }), f.disposition(caseId, o.id, { decidedAt: f.at(2) })];
      const ofReview = f.disposition(caseId, o.id, { personId: a.personId, reviewId: 'review-1', decidedAt: f.at(3) });
      await store().dispositions.insertMany([a, b, ofReview]);

      await store().transaction((tx) => tx.dispositions.revoke({ caseId, reviewId: null, personId: a.personId }, f.at(5)));
      await store().dispositions.revoke({ caseId, reviewId: null }, f.at(9));

      expect(await store().dispositions.listByCase(caseId)).toEqual([
        { ...a, revokedAt: f.at(5) },
        { ...b, revokedAt: f.at(9) },
        ofReview,
      ]);
      expect(await store().dispositions.query({ orgIds: [o.id] })).toEqual([ofReview]);
    });
  });

  describe('deadlines', () => {
    it('when deadlines are inserted and updated, then get, listByAggregate, listActive and query reflect it', async () => {
      const o = f.org();
      const aggregateId = f.uid('case');
      const open = f.deadline(aggregateId, o.id, { dueAt: f.at(100) });
      const overdue = f.deadline(aggregateId, o.id, { key: 'approval', openedAt: f.at(1), dueAt: f.at(50), status: 'overdue', escalation: 'overdue', calendarUncertain: true });
      const met = f.deadline(f.uid('case'), o.id, { aggregateType: 'review', key: 'review.report', dueAt: f.at(70), steps: {} });
      for (const d of [open, overdue, met]) await store().deadlines.insert(d);
      const closed = { ...met, status: 'met' as const, closedAt: f.at(60) };
      await store().deadlines.update(closed);

      expect(await store().deadlines.get(closed.id)).toEqual(closed);
      expect(await store().deadlines.get('nope')).toBeNull();
      expect(await store().deadlines.listByAggregate('case', aggregateId)).toEqual([open, overdue]);
      expect(await store().deadlines.listActive({ orgIds: [o.id] })).toEqual([overdue, open]);
      expect(await store().deadlines.listActive({ orgIds: [o.id], status: ['overdue'] })).toEqual([overdue]);
      expect((await store().deadlines.listActive()).map((d) => d.id)).toEqual(expect.arrayContaining([open.id, overdue.id]));
      expect(await store().deadlines.query({ from: f.at(60), to: f.at(100), orgIds: [o.id] })).toEqual([closed]);
      await expect(store().deadlines.insert(open)).rejects.toBeInstanceOf(DuplicateError);
    });

    it('when listing by several aggregates and counting, then each aggregate\'s deadlines come by opening time and counts follow status', async () => {
      const o = f.org();
      const [a, b] = [f.uid('case'), f.uid('case')];
      const before = await store().deadlines.countActive();
      const a2 = f.deadline(a, o.id, { openedAt: f.at(5) });
      const a1 = f.deadline(a, o.id, { openedAt: f.at(1), status: 'overdue', escalation: 'overdue' });
      const b1 = f.deadline(b, o.id, { status: 'met', closedAt: f.at(9) });
      const review = f.deadline(a, o.id, { aggregateType: 'review' });
      for (const d of [a2, a1, b1, review]) await store().deadlines.insert(d);

      expect(await store().deadlines.listByAggregates('case', [a, b, 'none'])).toEqual([b1, a1, a2]);
      expect(await store().deadlines.listByAggregates('case', [])).toEqual([]);
      expect(await store().deadlines.listByAggregates('review', [a])).toEqual([review]);
      // Other tests run beside this one on the same store: compare with the counts before.
      expect(await store().deadlines.countActive()).toEqual({ open: before.open + 2, overdue: before.overdue + 1 });
    });
  });

  describe('outbox', () => {
    it('when rows are inserted and some delivered, then listUndelivered returns the rest oldest first', async () => {
      const rows = [f.outboxRow({ createdAt: f.at(-3) }), f.outboxRow({ createdAt: f.at(-2), runAt: f.at(5) }), f.outboxRow({ createdAt: f.at(-1) })];
      await store().outbox.insert(rows);
      await store().outbox.markDelivered([rows[0].id], f.at(1));
      await store().outbox.markDelivered([], f.at(1));

      const undelivered = (await store().outbox.listUndelivered(1000)).filter((r) => rows.some((x) => x.id === r.id));
      expect(undelivered).toEqual([rows[1], rows[2]]);
      expect(await store().outbox.listUndelivered(1)).toHaveLength(1);
    });

    it('when delivered rows are purged, then those delivered before the cut-off go in batches, oldest first, and the rest stay', async () => {
      // Years before the other tests' rows, which share this store: the counts are this test's own.
      const old = [f.at(-3_000_000), f.at(-2_900_000), f.at(-2_800_000)];
      const purged = old.map((at) => f.outboxRow({ createdAt: at }));
      const recent = f.outboxRow({ createdAt: f.at(-2_000_000) });
      const waiting = f.outboxRow({ createdAt: f.at(-3_000_000) });
      await store().outbox.insert([...purged, recent, waiting]);
      for (const [i, row] of purged.entries()) await store().outbox.markDelivered([row.id], old[i]);
      await store().outbox.markDelivered([recent.id], f.at(-2_000_000));
      const cutOff = f.at(-2_500_000);

      expect(await store().outbox.purgeDelivered(cutOff, 2)).toBe(2);
      // The first batch took the two oldest deliveries: the third is still there.
      await expect(store().outbox.insert([purged[2]])).rejects.toBeInstanceOf(DuplicateError);
      expect(await store().outbox.purgeDelivered(cutOff, 2)).toBe(1);
      expect(await store().outbox.purgeDelivered(cutOff, 2)).toBe(0);
      expect(await store().outbox.purgeDelivered(f.at(0), 0)).toBe(0);
      // Deleted rows' ids are free again; the kept rows are still there.
      await store().outbox.insert([purged[0]]);
      await expect(store().outbox.insert([recent])).rejects.toBeInstanceOf(DuplicateError);
      expect((await store().outbox.listUndelivered(10_000)).map((r) => r.id)).toEqual(expect.arrayContaining([waiting.id, purged[0].id]));
      await store().outbox.markDelivered([waiting.id, purged[0].id], f.at(-3_000_000));
    });
  });

  describe('notifications', () => {
    it('when the same notification is inserted twice, then one row is kept and the second insert returns false', async () => {
      const userId = f.uid('user');
      const n1 = f.notification(userId, { createdAt: f.at(1) });
      const n2 = f.notification(userId, { createdAt: f.at(2), aggregateType: null, aggregateId: null, readAt: f.at(3) });
      expect(await store().notifications.insert(n1)).toBe(true);
      expect(await store().notifications.insert({ ...n1, title: 'again' })).toBe(false);
      expect(await store().notifications.insert(n2)).toBe(true);

      expect(await store().notifications.listForUser(userId, 10)).toEqual([n2, n1]);
      expect(await store().notifications.listForUser(userId, 1)).toEqual([n2]);
    });

    it('when insertMany runs in a transaction and again outside it, then each id is stored once, and a rollback keeps none', async () => {
      const userId = f.uid('user');
      const n1 = f.notification(userId, { createdAt: f.at(1) });
      const n2 = f.notification(userId, { createdAt: f.at(2), aggregateType: null, aggregateId: null });
      await store().transaction(async (tx) => {
        await tx.notifications.insertMany([n1, n2]);
        await tx.notifications.insertMany([]);
      });
      await store().notifications.insertMany([{ ...n1, title: 'again' }]);
      expect(await store().notifications.listForUser(userId, 10)).toEqual([n2, n1]);

      const other = f.uid('user');
      await expect(
        store().transaction(async (tx) => {
          await tx.notifications.insertMany([f.notification(other, { createdAt: f.at(1) })]);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await store().notifications.listForUser(other, 10)).toEqual([]);
    });
  });

  describe('calendars', () => {
    it('when a year is put twice, then get and list return the last one', async () => {
      const year = 2100 + Math.floor(Math.random() * 800);
      await store().calendars.put({ year, holidays: ['2027-01-01'], workdays: [], updatedAt: f.at(0) });
      const second = { year, holidays: ['2027-01-01', '2027-02-11'], workdays: ['2027-02-07'], updatedAt: f.at(5) };
      await store().calendars.put(second);

      expect(await store().calendars.get(year)).toEqual(second);
      expect(await store().calendars.get(1900)).toBeNull();
      expect((await store().calendars.list()).filter((c) => c.year === year)).toEqual([second]);
    });
  });
}
