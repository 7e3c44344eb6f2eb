import type { DeadlineRecord } from '../port';
import type { AuditHead } from '../verify';

/** The `capacity` most recently used entries by key. */
export class Recent<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity = 10_000) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Map order is insertion order: re-inserting marks the key as recently used.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * Committed audit heads. A store that is its database's only writer (PGlite: one process owns the
 * data directory and its transactions run one at a time) trusts them: an append needs no head
 * lookup. PostgreSQL, shared by several processes, remembers them too, but a transaction that
 * uses one checks it in the database before writing (`Memory`).
 */
export class HeadCache extends Recent<AuditHead> {
  /** Records the heads a transaction committed. */
  remember(committed: ReadonlyMap<string, AuditHead>): void {
    for (const [stream, head] of committed) this.set(stream, head);
  }
}

/** An aggregate's deadlines as a transaction committed them, each row's version (`xmin`) by id. */
export interface RememberedDeadlines {
  records: DeadlineRecord[];
  versions: Record<string, string>;
}

/**
 * What a PostgreSQL store remembers of the aggregates its own transactions committed last, so
 * that the next command on one sends everything in one round trip; each use is checked in the
 * database by the transaction itself (`freshCheck`, migration 0009), a miss re-runs it.
 */
export interface Memory {
  heads: HeadCache;
  /** By `type:id`. */
  deadlines: Recent<RememberedDeadlines>;
}

export const aggregateKey = (type: string, id: string) => `${type}:${id}`;
