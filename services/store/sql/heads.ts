import type { AuditHead } from '../verify';

/**
 * Committed audit heads, kept by a store that is its database's only writer (PGlite: one process
 * owns the data directory and its transactions run one at a time). An append then needs no head
 * lookup; PostgreSQL, shared by several processes, always locks the head row instead.
 */
export class HeadCache {
  private readonly heads = new Map<string, AuditHead>();

  constructor(private readonly capacity = 10_000) {}

  get(stream: string): AuditHead | undefined {
    const head = this.heads.get(stream);
    if (head) {
      // Map order is insertion order: re-inserting marks the stream as recently used.
      this.heads.delete(stream);
      this.heads.set(stream, head);
    }
    return head;
  }

  /** Records the heads a transaction committed. */
  remember(committed: ReadonlyMap<string, AuditHead>): void {
    for (const [stream, head] of committed) {
      this.heads.delete(stream);
      this.heads.set(stream, head);
    }
    for (const stream of this.heads.keys()) {
      if (this.heads.size <= this.capacity) break;
      this.heads.delete(stream);
    }
  }
}
