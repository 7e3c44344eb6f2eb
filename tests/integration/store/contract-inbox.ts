import type { IdempotencyRecord } from '../../../services/store/port';
import * as f from './fixtures';
import type { Shared } from './shared';

/** Notification pages and read marks, and Idempotency-Key records (issue 16). */
export function describeInboxAndIdempotency(s: Shared): void {
  const store = () => s.h.store;

  describe('notification pages and read marks', () => {
    it('when notifications are paged and marked read, then pages are newest first, counts are exact, and only the owner marks', async () => {
      const userId = f.uid('user');
      const notes = [1, 2, 3, 4, 5].map((m) => f.notification(userId, { createdAt: f.at(m), readAt: null }));
      await store().notifications.insertMany(notes);
      await store().notifications.insert(f.notification(f.uid('other'), { createdAt: f.at(9), readAt: null }));

      const p2 = await store().notifications.pageForUser(userId, { page: 2, pageSize: 2 });
      expect(p2).toEqual({ items: [notes[2], notes[1]], total: 5, unread: 5 });

      expect(await store().notifications.markRead(userId, [notes[4].id, notes[3].id], f.at(10))).toBe(2);
      expect(await store().notifications.markRead('someone-else', [notes[0].id], f.at(10))).toBe(0);
      expect(await store().notifications.markRead(userId, [notes[4].id], f.at(11))).toBe(0);
      expect(await store().notifications.markRead(userId, [], f.at(11))).toBe(0);
      const unread = await store().notifications.pageForUser(userId, { page: 1, pageSize: 10, unreadOnly: true });
      expect(unread.items.map((n) => n.id)).toEqual([notes[2].id, notes[1].id, notes[0].id]);
      expect(unread).toMatchObject({ total: 3, unread: 3 });
      expect((await store().notifications.listForUser(userId, 1))[0]).toEqual({ ...notes[4], readAt: f.at(10) });

      expect(await store().notifications.markRead(userId, null, f.at(12))).toBe(3);
      expect(await store().notifications.pageForUser(userId, { page: 1, pageSize: 10 })).toMatchObject({ total: 5, unread: 0 });
    });
  });

  describe('idempotency keys', () => {
    const record = (over: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
      userId: f.uid('user'),
      key: f.uid('key'),
      fingerprint: 'f'.repeat(64),
      status: 201,
      aggregateType: 'case',
      aggregateId: f.uid('case'),
      response: null,
      createdAt: f.at(1),
      ...over,
    });

    it('when a key is claimed in a transaction, then a second claim is refused, and the answer is stored once complete', async () => {
      const r = record();
      expect(await store().transaction((tx) => tx.idempotency.claim(r))).toBe(true);
      expect(await store().transaction((tx) => tx.idempotency.claim({ ...r, fingerprint: 'other' }))).toBe(false);
      expect(await store().idempotency.get(r.userId, r.key)).toEqual(r);
      const answer = { id: r.aggregateId, state: 'registered', nested: { list: [1, 2] } };
      await store().idempotency.complete(r.userId, r.key, answer);
      expect(await store().idempotency.get(r.userId, r.key)).toEqual({ ...r, response: answer });
      // Keys are per user.
      expect(await store().idempotency.claim({ ...r, userId: f.uid('user') })).toBe(true);
      expect(await store().idempotency.get('nobody', r.key)).toBeNull();
    });

    it('when the transaction that claimed a key rolls back, then the key is free again', async () => {
      const r = record();
      await expect(
        store().transaction(async (tx) => {
          await tx.idempotency.claim(r);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await store().idempotency.get(r.userId, r.key)).toBeNull();
      expect(await store().idempotency.claim(r)).toBe(true);
    });
  });
}
