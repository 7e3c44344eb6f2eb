import { AsyncLocalStorage } from 'node:async_hooks';
import type { AggregateType, StoreTx } from './store/port';

/**
 * `Idempotency-Key` (API.md "Idempotency"): the HTTP layer opens a claim for the request; the
 * command's own transaction records it (`claimIdempotencyKey`), so the key and the change it caused
 * commit together or not at all, in every process on the store. A second claim of the key fails
 * and rolls its transaction back: the repeat then answers the first request's answer.
 */
export interface IdempotencyClaim {
  userId: string;
  key: string;
  fingerprint: string;
  /** The status the request answers when it succeeds. */
  status: number;
  createdAt: string;
  /** The aggregate the request's own commit changes (set by the first claim; retries claim it again). */
  target?: { type: AggregateType; id: string };
}

/** The key was claimed by an earlier (or concurrent) request: this transaction must not commit. */
export class IdempotencyKeyTaken extends Error {
  constructor(readonly userId: string, readonly key: string) {
    super(`Idempotency-Key ${key} of ${userId} is already used`);
  }
}

const claims = new AsyncLocalStorage<IdempotencyClaim>();

/** Runs `fn` with the request's claim open (the commit it leads to records the key). */
export function withIdempotencyClaim<T>(claim: IdempotencyClaim, fn: () => Promise<T>): Promise<T> {
  return claims.run(claim, fn);
}

/**
 * In the transaction of a user's command or registration: records the open claim with the
 * aggregate it changes. Only the claiming user's own commit records it: work the request sets off
 * (workers acting as the system) runs in its async context too and must not.
 */
export async function claimIdempotencyKey(tx: StoreTx, actorId: string, aggregateType: AggregateType, aggregateId: string): Promise<void> {
  const claim = claims.getStore();
  if (!claim || claim.userId !== actorId) return;
  // A commit on another aggregate that the request sets off is not the request's own.
  if (claim.target && (claim.target.type !== aggregateType || claim.target.id !== aggregateId)) return;
  claim.target = { type: aggregateType, id: aggregateId };
  const { target: _target, ...record } = claim;
  const claimed = await tx.idempotency.claim({ ...record, aggregateType, aggregateId, response: null });
  if (!claimed) throw new IdempotencyKeyTaken(claim.userId, claim.key);
}
