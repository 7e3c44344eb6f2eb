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
import type { HeadCache } from './heads';
import { flush, type HeldBack, type Hot } from './prepared-statements';
import { dateOf, deadlineToRow, notificationToRow, outboxToRow } from './rows';
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

/** The transaction's executor: held-back writes plus every statement sent and not yet answered. */
export class UnitOfWork implements Executor {
  readonly heads = new Map<string, AuditHead>();
  private held = UnitOfWork.empty();
  private dirtyHeads = new Set<string>();
  private deadlineInserts = new Map<string, DeadlineRecord>();
  private deadlineUpdates = new Map<string, DeadlineRecord>();
  private inFlight: Promise<unknown>[] = [];

  /**
   * `pipelined`: the connection sends statements without waiting for earlier answers (pg
   * pipeline mode). `committed`: heads known to be current when this store is the only writer.
   */
  constructor(
    private readonly conn: TxConnection,
    private readonly pipelined: boolean,
    private readonly committed?: HeadCache,
  ) {
    if (conn.begin) this.track(conn.begin);
  }

  private static empty(): Pick<HeldBack, 'events' | 'outbox' | 'dispositions' | 'notifications'> {
    return { events: [], outbox: [], dispositions: [], notifications: [] };
  }

  knownHead(stream: string): AuditHead | undefined {
    return this.heads.get(stream) ?? this.committed?.get(stream);
  }

  /** Watches a statement sent by someone else on this connection (the pipelined BEGIN). */
  track(statement: Promise<unknown>): void {
    statement.catch(() => undefined); // observed in settle()
    this.inFlight.push(statement);
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
    try {
      return await sent;
    } catch (err) {
      // A held-back write that failed aborted the transaction: it is the cause, not this statement.
      await this.settle();
      throw err;
    } finally {
      await this.settle();
    }
  }

  readonly write: BlindWrites = {
    auditEvent: async (event) => {
      this.held.events.push(event);
      this.heads.set(event.stream, { seq: event.seq, hash: event.hash });
      this.dirtyHeads.add(event.stream);
    },
    deadlineInsert: async (row) => void this.deadlineInserts.set(row.id, row),
    // A deadline inserted and updated before a flush is inserted once, as last updated.
    deadlineUpdate: async (row) => void (this.deadlineInserts.has(row.id) ? this.deadlineInserts : this.deadlineUpdates).set(row.id, row),
    outbox: async (rows) => void this.held.outbox.push(...rows),
    dispositions: async (rows) => void this.held.dispositions.push(...rows),
    notifications: async (rows) => void this.held.notifications.push(...rows),
  };

  /** Puts the held-back writes on the wire as one statement, without waiting for its answer. */
  send(): void {
    const { held, dirtyHeads, deadlineInserts, deadlineUpdates } = this;
    if (held.events.length + held.outbox.length + held.dispositions.length + held.notifications.length + deadlineInserts.size + deadlineUpdates.size === 0) return;
    const heads = [...dirtyHeads].map((stream) => ({ stream, ...this.heads.get(stream)! }));
    this.held = UnitOfWork.empty();
    this.dirtyHeads = new Set();
    this.deadlineInserts = new Map();
    this.deadlineUpdates = new Map();
    this.track(this.conn.hot(flush({ ...held, heads, deadlineInserts: [...deadlineInserts.values()], deadlineUpdates: [...deadlineUpdates.values()] })));
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
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
