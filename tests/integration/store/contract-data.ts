import { StoreDataError, type Store } from '../../../services/store/port';
import type { MakeHarness } from '../../helpers/store';
import * as f from './fixtures';
import { sharedHarness } from './shared';

/** Migrations applied when the store was opened (both adapters expose it). */
const applied = (store: Store) => (store as Store & { migrationsApplied: readonly string[] }).migrationsApplied;

/** Restart on the same data, and data the store must refuse to read. */
export function describeData(make: MakeHarness): void {
  describe('restart and schema', () => {
    const s = sharedHarness(make, { auditHash: 'sm3', persistent: true });

    it('when the store is closed and reopened, then every record is there and migrations are not re-applied', async () => {
      const first = s.h.store;
      const o = f.org();
      const c = f.caseRecord(o.id);
      await first.orgs.insert(o);
      await first.transaction(async (tx) => {
        await tx.cases.insert(c);
        await tx.audit.append(`case:${c.id}`, f.auditInput());
        await tx.deadlines.insert(f.deadline(c.id, o.id));
      });
      await first.calendars.put({ year: 2027, holidays: ['2027-01-01'], workdays: [], updatedAt: f.at(0) });
      const numberBefore = await first.cases.nextNumber(o.id, 2026);

      const reopened = await s.h.reopen();

      expect(applied(reopened)).toEqual([]);
      expect(await reopened.orgs.get(o.id)).toEqual(o);
      expect(await reopened.cases.get(c.id)).toEqual(c);
      expect(await reopened.deadlines.listByAggregate('case', c.id)).toHaveLength(1);
      expect((await reopened.calendars.get(2027))?.holidays).toEqual(['2027-01-01']);
      expect(await reopened.cases.nextNumber(o.id, 2026)).toBe(numberBefore + 1);
      expect((await reopened.audit.append(`case:${c.id}`, f.auditInput())).seq).toBe(2);
      expect(await reopened.verifyAudit()).toMatchObject({ ok: true, events: 2 });
    });

    it('when the database has a migration the code does not know, then opening fails with a StoreDataError naming it', async () => {
      await s.h.raw.addMigration('9999', 'from_the_future');
      const opening = s.h.reopen();
      await expect(opening).rejects.toBeInstanceOf(StoreDataError);
      await expect(opening).rejects.toMatchObject({ record: 'schema_migrations/9999_from_the_future', message: expect.stringContaining('newer than the code') });
    });
  });

  describe('bad data', () => {
    const s = sharedHarness(make);

    async function expectDataError(read: () => Promise<unknown>, record: string, says: string) {
      const error = await read().then(() => null, (err: unknown) => err);
      expect(error).toBeInstanceOf(StoreDataError);
      expect(error).toMatchObject({ record, message: expect.stringContaining(says) });
    }

    it('when a snapshot is not a JSON object, then reading the case is a StoreDataError naming it', async () => {
      const c = f.caseRecord(f.uid('org'));
      await s.h.store.cases.insert(c);
      await s.h.raw.setJson('cases', c.id, 'snapshot', [1, 2, 3]);
      await expectDataError(() => s.h.store.cases.get(c.id), `cases/${c.id}`, 'snapshot');
      await expectDataError(() => s.h.store.cases.list({ orgIds: [c.orgId], page: 1, pageSize: 10 }), `cases/${c.id}`, 'snapshot');
    });

    it('when a JSON column holds broken JSON text, then reading is a StoreDataError naming the record', async () => {
      const r = f.reviewRecord(f.uid('org'), f.uid('case'));
      await s.h.store.reviews.insert(r);
      await s.h.raw.setJson('reviews', r.id, 'data', '{"findings": [unterminated');
      await expectDataError(() => s.h.store.reviews.get(r.id), `reviews/${r.id}`, 'data');
    });

    it('when a row does not fit the record shape, then reading is a StoreDataError naming table, id and field', async () => {
      const u = f.user(f.uid('org'));
      await s.h.store.users.insert(u);
      await s.h.raw.setJson('users', u.id, 'roles', 'admin');
      await expectDataError(() => s.h.store.users.get(u.id), `users/${u.id}`, 'roles');

      const d = f.deadline(f.uid('case'), f.uid('org'));
      await s.h.store.deadlines.insert(d);
      await s.h.raw.setText('deadlines', d.id, 'status', 'forgotten');
      await expectDataError(() => s.h.store.deadlines.get(d.id), `deadlines/${d.id}`, 'status');
    });
  });
}
