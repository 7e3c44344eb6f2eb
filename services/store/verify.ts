/**
 * Audit verification shared by the adapters: every chain is walked in seq order with
 * `firstBrokenLink`, then its tail is compared with the stream's head, which catches what the
 * links alone cannot (the last event deleted, or one appended behind the store's back).
 */
import { firstBrokenLink, type AuditHashAlgorithm } from '../audit/hash';
import type { AuditEvent, AuditVerifyResult } from './port';

export interface AuditHead {
  seq: number;
  hash: string;
}

/** What an adapter offers verification: streams in a stable order, one chain at a time. */
export interface AuditChains {
  /** Up to `limit` stream names that have a head, in byte order, after `after`. */
  streams(after: string | null, limit: number): Promise<string[]>;
  /**
   * The stream's head and events in seq order, read consistently (one statement or snapshot).
   * Events are mapped without validation: a damaged field must show as a broken link, not throw.
   */
  chain(stream: string): Promise<{ head: AuditHead | null; events: AuditEvent[] }>;
  /** A stream that has events but no head (its head row was deleted), if any. */
  orphanStream(): Promise<string | null>;
}

const PAGE = 200;

export async function verifyChains(algorithm: AuditHashAlgorithm, chains: AuditChains): Promise<AuditVerifyResult> {
  let streams = 0;
  let events = 0;
  for (let after: string | null = null; ; ) {
    const page = await chains.streams(after, PAGE);
    for (const stream of page) {
      const { head, events: chain } = await chains.chain(stream);
      streams += 1;
      events += chain.length;
      const seq = firstBrokenLink(algorithm, chain) ?? tailMismatch(head, chain);
      if (seq !== null) return { ok: false, streams, events, brokenAt: { stream, seq } };
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1];
  }
  const orphan = await chains.orphanStream();
  if (orphan !== null) return { ok: false, streams, events, brokenAt: { stream: orphan, seq: 1 } };
  return { ok: true, streams, events };
}

/**
 * The seq where an intact chain and its head disagree: the first seq the head does not vouch for
 * (events beyond it), the first missing seq (events cut off), or the tail itself (same seq,
 * other hash). A missing head counts as seq 0.
 */
export function tailMismatch(head: AuditHead | null, chain: readonly AuditEvent[]): number | null {
  const tail = chain.at(-1);
  const headSeq = head?.seq ?? 0;
  const tailSeq = tail?.seq ?? 0;
  if (tailSeq > headSeq) return headSeq + 1;
  if (tailSeq < headSeq) return tailSeq + 1;
  if (tail && tail.hash !== head?.hash) return tail.seq;
  return null;
}
