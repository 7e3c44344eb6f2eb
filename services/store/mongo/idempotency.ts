/**
 * The mongo side of the port's `idempotency` (services/idempotency.ts): `_id` is `{userId, key}`,
 * so a second claim of a key is a duplicate key inside the command's transaction.
 */
import type { ClientSession } from 'mongoose';
import type { AggregateType, IdempotencyRecord, StoreTx } from '../port';
import { insertIfAbsent } from './aggregates';
import { isoOf } from '../records';
import type { Doc } from './docs';
import type { Models } from './models';

export function mongoIdempotency(m: Models, session?: ClientSession): StoreTx['idempotency'] {
  const id = (userId: string, key: string) => ({ _id: { userId, key } });
  return {
    claim: (r) =>
      insertIfAbsent(
        m.idempotencyKeys,
        id(r.userId, r.key),
        { fingerprint: r.fingerprint, status: r.status, aggregateType: r.aggregateType, aggregateId: r.aggregateId, response: r.response ?? null, createdAt: new Date(r.createdAt) },
        session,
      ),
    async get(userId, key) {
      const d = await m.idempotencyKeys.findOne(id(userId, key), null, { session }).lean<Doc | null>();
      if (!d) return null;
      const record: IdempotencyRecord = {
        userId,
        key,
        fingerprint: String(d.fingerprint),
        status: Number(d.status),
        aggregateType: d.aggregateType as AggregateType,
        aggregateId: String(d.aggregateId),
        response: d.response ?? null,
        createdAt: isoOf(d.createdAt as Date)!,
      };
      return record;
    },
    async complete(userId, key, response) {
      await m.idempotencyKeys.updateOne(id(userId, key), { $set: { response } }, { session });
    },
  };
}
