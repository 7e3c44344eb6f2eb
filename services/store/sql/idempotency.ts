/**
 * The sql side of the port's `idempotency` (services/idempotency.ts). Table: migration 0003.
 */
import { and, eq } from 'drizzle-orm';
import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { AggregateType, IdempotencyRecord, StoreTx } from '../port';
import { isoOf } from '../records';
import type { Executor } from './executor';

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: text('user_id').notNull(),
    key: text('key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    status: integer('status').notNull(),
    aggregateType: text('aggregate_type').notNull(),
    aggregateId: text('aggregate_id').notNull(),
    response: jsonb('response'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

export function idempotencyRepo(x: Executor): StoreTx['idempotency'] {
  const k = idempotencyKeys;
  const where = (userId: string, key: string) => and(eq(k.userId, userId), eq(k.key, key));
  return {
    async claim(r) {
      const row = { ...r, response: r.response ?? null, createdAt: new Date(r.createdAt) };
      // A concurrent claim of the same key waits for the other transaction, then inserts nothing.
      const done = await x.run((db) => db.insert(k).values(row).onConflictDoNothing().returning({ key: k.key }));
      return done.length > 0;
    },
    async get(userId, key) {
      const [row] = await x.run((db) => db.select().from(k).where(where(userId, key)));
      if (!row) return null;
      const record: IdempotencyRecord = { ...row, aggregateType: row.aggregateType as AggregateType, createdAt: isoOf(row.createdAt)! };
      return record;
    },
    async complete(userId, key, response) {
      await x.run((db) => db.update(k).set({ response }).where(where(userId, key)));
    },
  };
}
