import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditEvent, AuditEventInput } from '../store/port';

export type AuditHashAlgorithm = 'sm3' | 'sha256';

/** The chain's first `prevHash`. */
export const GENESIS_HASH = '0'.repeat(64);

/** RFC 8785 canonical JSON of the hashed part of an event (everything but `hash`). */
export function canonicalEvent(stream: string, seq: number, prevHash: string, e: AuditEventInput): string {
  const body = {
    stream,
    seq,
    prevHash,
    at: e.at,
    actor: e.actor,
    action: e.action,
    outcome: e.outcome,
    from: e.from ?? null,
    to: e.to ?? null,
    detail: e.detail ?? null,
  };
  return canonicalize(body) as string;
}

/** `hash = H(prevHash ‖ canonical JSON of the event)`, hex. */
export function chainHash(algorithm: AuditHashAlgorithm, stream: string, seq: number, prevHash: string, e: AuditEventInput): string {
  return createHash(algorithm).update(prevHash).update(canonicalEvent(stream, seq, prevHash, e)).digest('hex');
}

/** Builds the next event of a chain whose last event is `last` (or none). */
export function nextAuditEvent(algorithm: AuditHashAlgorithm, stream: string, last: { seq: number; hash: string } | null, e: AuditEventInput): AuditEvent {
  const seq = last ? last.seq + 1 : 1;
  const prevHash = last ? last.hash : GENESIS_HASH;
  return { ...e, from: e.from ?? null, to: e.to ?? null, stream, seq, prevHash, hash: chainHash(algorithm, stream, seq, prevHash, e) };
}

/**
 * Checks one chain given in seq order; returns the seq of the first broken link or null.
 * A link is broken when its seq skips, its prevHash is not the previous hash, or its hash does not
 * match its content. Deleting an event breaks the link after the gap.
 */
export function firstBrokenLink(algorithm: AuditHashAlgorithm, events: readonly AuditEvent[]): number | null {
  let prev: { seq: number; hash: string } | null = null;
  for (const e of events) {
    const expectedSeq = prev ? prev.seq + 1 : 1;
    const expectedPrev = prev ? prev.hash : GENESIS_HASH;
    if (e.seq !== expectedSeq || e.prevHash !== expectedPrev) return e.seq;
    if (chainHash(algorithm, e.stream, e.seq, e.prevHash, e) !== e.hash) return e.seq;
    prev = e;
  }
  return null;
}
