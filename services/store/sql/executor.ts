/**
 * How the sql repos reach the database. Outside a transaction every call is its own statement.
 * Inside one, a unit of work holds back the writes nobody reads at once (audit events and heads,
 * deadlines, outbox rows, dispositions, notifications) and sends them as ONE fixed statement right before the
 * next statement or the COMMIT. With a pipelining connection that statement and the COMMIT share
 * a round trip: a typical command costs BEGIN+UPDATE, the audit head lock, then writes+COMMIT.
 */
import { eq } from 'drizzle-orm';
import type { AuditEvent, Calls, DeadlineRecord, DispositionRecord, Notification, OutboxRow } from '../port';
import { sequentially } from '../in-call-order';
import type { AuditHead } from '../verify';
import type { Db, RunHot, TxConnection } from './driver';
import { aggregateKey, type HeadCache, type Memory, type RememberedDeadlines } from './heads';
import { driverError, sqlState } from './errors';
import { CAS_MISSED, checkedCas, deadlinesVersioned, flush, freshCheck, type HeldBack, type Hot, type Remembered } from './prepared-statements';
import { dateOf, deadlineFromRow, deadlineToRow, notificationToRow, outboxToRow } from './rows';
import * as t from './schema';

/** Writes whose only possible answer is an error; inside a transaction they may be deferred. */
export interface BlindWrites {
  auditEvent(event: AuditEvent): Promise<void>;
  deadlineInsert(row: DeadlineRecord): Promise<void>;
  deadlineUpdate(row: DeadlineRecord): Promise<void>;
  outbox(rows: OutboxRow[]): Promise<void>;
  dispositions(rows: DispositionRecord[]): Promise<void>;
  /** Idempotent on id (a repeated row is ignored). */
  notifications(rows: Notification[]): Promise<void>;
}

export interface Executor {
  /** Runs a drizzle statement whose answer the caller needs (reads, upserts). */
  run<T>(statement: (db: Db) => Promise<T>): Promise<T>;
  /** Runs one of the fixed statements of `prepared-statements.ts` (compare-and-set, head lock). */
  hot<R>(statement: Hot): Promise<R[]>;
  write: BlindWrites;
  /** The head of `stream` if this transaction already knows it (locked, or cached as committed). */
  knownHead?(stream: string): AuditHead | undefined;
  /**
   * Defers a compare-and-set to the next statement, sent without waiting for its answer, when the
   * connection pipelines: if it changes nothing the transaction fails with `conflict()`. False when
   * the caller must run it now.
   */
  casLater?(cas: Hot, conflict: () => Error): boolean;
  /** An aggregate's deadlines, locked until commit (remembered ones are checked in the database). */
  lockedDeadlines?(type: string, id: string): Promise<DeadlineRecord[]>;
  /** The port's `batch`. */
  batch<T extends readonly unknown[]>(calls: Calls<T>): Promise<T>;
}

const dispositionRow = (d: DispositionRecord) => ({ ...d, decidedAt: dateOf(d.decidedAt), revokedAt: dateOf(d.revokedAt ?? null) });

/** Drizzle queries are lazy thenables: `execute()` sends one now, so it can share a socket write. */
function sendNow<T>(query: Promise<T>): Promise<T> {
  const lazy = query as Promise<T> & { execute?: () => Promise<T> };
  return !(query instanceof Promise) && typeof lazy.execute === 'function' ? lazy.execute() : query;
}

/** Every statement outside a transaction: the writes happen at once. */
export function directExecutor(db: Db, hot: RunHot): Executor {
  return {
    run: (statement) => statement(db),
    hot: (statement) => hot(statement),
    batch: <T extends readonly unknown[]>(calls: Calls<T>) => sequentially<T>(...calls),
    write: {
      async auditEvent() {
        throw new Error('audit appends run inside a transaction');
      },
      deadlineInsert: async (row) => void (await db.insert(t.deadlines).values(deadlineToRow(row))),
      deadlineUpdate: async (row) => {
        const { id, ...fields } = deadlineToRow(row);
        await db.update(t.deadlines).set(fields).where(eq(t.deadlines.id, id));
      },
      outbox: async (rows) => void (await db.insert(t.outbox).values(rows.map(outboxToRow))),
      dispositions: async (rows) => void (await db.insert(t.dispositions).values(rows.map(dispositionRow))),
      notifications: async (rows) => void (await db.insert(t.notifications).values(rows.map(notificationToRow)).onConflictDoNothing({ target: t.notifications.id })),
    },
  };
}

/** A deadline of a listed aggregate: its record and row version (null: written by this transaction). */
interface Listed {
  record: DeadlineRecord;
  version: string | null;
}

const byOpening = (a: DeadlineRecord, b: DeadlineRecord) => (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The transaction's executor: held-back writes plus every statement sent and not yet answered. */
export class UnitOfWork implements Executor {
  readonly heads = new Map<string, AuditHead>();
  private held = UnitOfWork.empty();
  private dirtyHeads = new Set<string>();
  private deadlineInserts = new Map<string, DeadlineRecord>();
  private deadlineUpdates = new Map<string, DeadlineRecord>();
  private inFlight: Promise<unknown>[] = [];
  /** Every statement watched in this transaction, in the order sent. */
  private readonly watched: Promise<unknown>[] = [];
  /**
   * The compare-and-set deferred by `casLater`: it leaves before the next statement, with the check
   * of what was used of the memory by then, in one statement that fails if either misses.
   */
  private cas: { cas: Hot; conflict: () => Error } | null = null;
  /** Remembered heads and deadlines used and not yet checked (`freshCheck`). */
  private unchecked: Remembered = { heads: [], deadlines: [] };
  /** Aggregates whose deadlines this transaction locked, as they will be once it commits. */
  private readonly listed = new Map<string, Map<string, Listed>>();
  /** Aggregates this transaction wrote deadlines of without listing them. */
  private readonly unlisted = new Set<string>();
  /** The row version of the deadline rows this transaction wrote. */
  private written: string | null = null;
  /** Everything remembered that this transaction used: forgotten if it fails. */
  private readonly used = { streams: new Set<string>(), aggregates: new Set<string>() };

  /**
   * `pipelined`: the connection sends statements without waiting for earlier answers (pg
   * pipeline mode). `committed`: heads known to be current when this store is the only writer.
   * `memory`: what this process remembers of the aggregates it committed, used and checked in the
   * transaction (PostgreSQL, pipelined only).
   */
  constructor(
    private readonly conn: TxConnection,
    private readonly pipelined: boolean,
    private readonly committed?: HeadCache,
    private readonly memory?: Memory,
    /** False: remembered heads and deadlines are read instead of used (a try after a stale one). */
    private readonly useMemory = true,
  ) {
    if (conn.begin) this.track(conn.begin);
    if (!(pipelined && memory)) {
      this.casLater = undefined;
      this.lockedDeadlines = undefined;
    }
  }

  private static empty(): Pick<HeldBack, 'events' | 'outbox' | 'dispositions' | 'notifications'> {
    return { events: [], outbox: [], dispositions: [], notifications: [] };
  }

  knownHead(stream: string): AuditHead | undefined {
    const own = this.heads.get(stream) ?? this.committed?.get(stream);
    if (own || !this.memory || !this.pipelined || !this.useMemory) return own;
    const remembered = this.memory.heads.get(stream);
    if (remembered) {
      this.unchecked.heads.push({ stream, seq: remembered.seq });
      this.used.streams.add(stream);
    }
    return remembered;
  }

  casLater? = (cas: Hot, conflict: () => Error): boolean => {
    if (this.cas) this.send();
    this.cas = { cas, conflict };
    return true;
  };

  lockedDeadlines? = async (type: string, id: string): Promise<DeadlineRecord[]> => {
    const key = aggregateKey(type, id);
    let listed = this.listed.get(key);
    if (!listed) {
      // Deadlines this transaction wrote before listing them are read back (the read sends them first).
      const remembered = this.unlisted.has(key) || !this.useMemory ? undefined : this.memory!.deadlines.get(key);
      if (remembered) {
        this.unchecked.deadlines.push({ type, id, versions: remembered.versions });
        this.used.aggregates.add(key);
        listed = new Map(remembered.records.map((record) => [record.id, { record, version: remembered.versions[record.id] }]));
      } else {
        const rows = await this.hot<Parameters<typeof deadlineFromRow>[0] & { rowVersion: string }>(deadlinesVersioned(type, id));
        listed = new Map(rows.map(({ rowVersion, ...row }) => [row.id, { record: deadlineFromRow(row), version: rowVersion }]));
      }
      this.listed.set(key, listed);
    }
    // Copies: what the caller changes is not what this transaction remembers until it writes it.
    return [...listed.values()].map((l) => structuredClone(l.record)).sort(byOpening);
  };

  /** What this transaction leaves to remember once committed, and what it used. */
  outcome(): { deadlines: Map<string, RememberedDeadlines | null>; used: { streams: Set<string>; aggregates: Set<string> } } {
    const deadlines = new Map<string, RememberedDeadlines | null>();
    for (const key of this.unlisted) deadlines.set(key, null);
    for (const [key, listed] of this.listed) {
      const entries = [...listed.values()];
      if (entries.some((l) => l.version === null) && this.written === null) {
        deadlines.set(key, null);
        continue;
      }
      const versions: Record<string, string> = {};
      for (const l of entries) versions[l.record.id] = l.version ?? this.written!;
      deadlines.set(key, { records: entries.map((l) => l.record).sort(byOpening), versions });
    }
    return { deadlines, used: this.used };
  }

  private noteDeadline(row: DeadlineRecord): void {
    const key = aggregateKey(row.aggregateType, row.aggregateId);
    const listed = this.listed.get(key);
    if (listed) listed.set(row.id, { record: structuredClone(row), version: null });
    else this.unlisted.add(key);
  }

  /** Watches a statement sent by someone else on this connection (the pipelined BEGIN). */
  track(statement: Promise<unknown>): void {
    statement.catch(() => undefined); // observed in settle()
    this.inFlight.push(statement);
    this.watched.push(statement);
  }

  /**
   * The first failure, in the order sent, of the statements watched so far (held-back writes, the
   * deferred compare-and-set, the fresh check), once all are answered: the one that aborted the
   * transaction, whichever statement's answer brought the news.
   */
  private async cause(): Promise<unknown> {
    const results = await Promise.allSettled(this.watched);
    return results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
  }

  run<T>(statement: (db: Db) => Promise<T>): Promise<T> {
    return this.inOrder(() => sendNow(statement(this.conn.db)));
  }

  hot<R>(statement: Hot): Promise<R[]> {
    return this.inOrder(() => this.conn.hot<R>(statement));
  }

  /**
   * Pipelined: every call starts now and what they send in this tick leaves in one socket write
   * (driver.ts corkEachTick), so the statements share one round trip. Waits for all of them, then throws the first failure in
   * call order (nothing of the batch is still in flight when it fails).
   */
  async batch<T extends readonly unknown[]>(calls: Calls<T>): Promise<T> {
    if (!this.pipelined) return sequentially<T>(...calls);
    const started = (calls as ReadonlyArray<() => Promise<unknown>>).map((call) => call());
    const settled = await Promise.allSettled(started);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
  }

  /**
   * Sends the held-back writes, then the statement (pipelined: in the same socket write); a
   * failure of the former is the one reported.
   */
  private async inOrder<T>(statement: () => Promise<T>): Promise<T> {
    let sent: Promise<T>;
    if (this.pipelined) {
      this.send();
      sent = statement();
    } else {
      this.send();
      await this.settle();
      sent = statement();
    }
    let value: T;
    try {
      value = await sent;
    } catch (err) {
      // A watched statement that failed first aborted the transaction: it is the cause, not this one.
      throw (await this.cause()) ?? err;
    }
    await this.settle();
    return value;
  }

  readonly write: BlindWrites = {
    auditEvent: async (event) => {
      this.held.events.push(event);
      this.heads.set(event.stream, { seq: event.seq, hash: event.hash });
      this.dirtyHeads.add(event.stream);
    },
    deadlineInsert: async (row) => {
      this.deadlineInserts.set(row.id, row);
      this.noteDeadline(row);
    },
    deadlineUpdate: async (row) => {
      // A deadline inserted and updated before a flush is inserted once, as last updated.
      (this.deadlineInserts.has(row.id) ? this.deadlineInserts : this.deadlineUpdates).set(row.id, row);
      this.noteDeadline(row);
    },
    outbox: async (rows) => void this.held.outbox.push(...rows),
    dispositions: async (rows) => void this.held.dispositions.push(...rows),
    notifications: async (rows) => void this.held.notifications.push(...rows),
  };

  /**
   * Puts the held-back writes on the wire as one statement, without waiting for its answer; first
   * the deferred compare-and-set and the check of the remembered heads and deadlines used since the
   * last statement, if any.
   */
  send(): void {
    const { cas, unchecked } = this;
    if (cas) {
      this.cas = null;
      this.unchecked = { heads: [], deadlines: [] };
      this.track(
        this.conn.hot(checkedCas(cas.cas, unchecked)).catch((err: unknown) => {
          throw sqlState(driverError(err)) === CAS_MISSED ? cas.conflict() : err;
        }),
      );
    } else if (unchecked.heads.length + unchecked.deadlines.length > 0) {
      this.unchecked = { heads: [], deadlines: [] };
      this.track(this.conn.hot(freshCheck(unchecked)));
    }
    const { held, dirtyHeads, deadlineInserts, deadlineUpdates } = this;
    if (held.events.length + held.outbox.length + held.dispositions.length + held.notifications.length + deadlineInserts.size + deadlineUpdates.size === 0) return;
    const heads = [...dirtyHeads].map((stream) => ({ stream, ...this.heads.get(stream)! }));
    this.held = UnitOfWork.empty();
    this.dirtyHeads = new Set();
    this.deadlineInserts = new Map();
    this.deadlineUpdates = new Map();
    const flushed = this.conn.hot<{ rowVersion: string | null }>(
      flush({ ...held, heads, deadlineInserts: [...deadlineInserts.values()], deadlineUpdates: [...deadlineUpdates.values()] }),
    );
    this.track(flushed.then(([row]) => void (this.written ??= row?.rowVersion ?? null)));
  }

  /** Sends the held-back writes now; resolves when every statement sent is answered. */
  finish(): Promise<void> {
    this.send();
    return this.settle();
  }

  /** Waits for everything sent; throws the first failure (the one that aborted the transaction). */
  async settle(): Promise<void> {
    const sent = this.inFlight;
    this.inFlight = [];
    const results = await Promise.allSettled(sent);
    if (results.some((r) => r.status === 'rejected')) throw await this.cause();
  }
}
