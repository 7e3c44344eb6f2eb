/**
 * The store port (ARCHITECTURE.md §4). Two adapters implement it: `sql` (drizzle on PGlite or
 * PostgreSQL) and `mongo` (mongoose). One command = one `transaction()`; aggregates are updated by
 * compare-and-set on `version`. Every adapter passes tests/integration/store/contract.ts. The records
 * are in port-records.ts, list filters in port-queries.ts, errors in port-errors.ts.
 */
import type { Role } from '../../machines/shared/roles';
import type { CoverageMatchQuery, CoveringTalk, DutyRepos, TalkKind } from './duty-port';
import type { AggregateBase, AggregateType, AuditEvent, AuditEventInput, AuditVerifyResult, CalendarYear, CaseRecord, ClassifiedCount, DeadlineRecord, OrgPressureCount, DeadlineStatus, DispositionRecord, IdempotencyRecord, Notification, Org, OutboxRow, ReviewRecord, StoredOutboxRow, User } from './port-records';
import type { CaseFilter, Page, ReviewFilter } from './port-queries';

export * from './port-records';
export * from './port-queries';
export * from './port-errors';

export interface AggregateRepo<R extends AggregateBase, F> {
  insert(record: R): Promise<void>;
  get(id: string): Promise<R | null>;
  /**
   * Compare-and-set: writes `record` (with `version = expectedVersion + 1`) iff stored version =
   * expectedVersion, else a VersionConflictError. Inside a transaction on PostgreSQL the error may
   * come from a later statement or from `transaction()` itself (the statement is sent without
   * waiting for its answer and ends the transaction when it misses).
   */
  update(record: R, expectedVersion: number): Promise<void>;
  list(filter: F): Promise<Page<R>>;
}

export interface ReadOptions {
  lock?: boolean;
}

/** Thunks whose results `batch` returns as a tuple. */
export type Calls<T extends readonly unknown[]> = { [K in keyof T]: () => Promise<T[K]> };

/**
 * Everything a transaction can touch. Reads see the transaction's own writes.
 *
 * Inside `transaction`, the writes that answer nothing (audit appends, deadline inserts and
 * updates, outbox, disposition and `notifications.insertMany` inserts) may be held back and sent with the next statement or
 * the commit (sql adapter): a constraint error on one of them then surfaces there, at the latest
 * from `transaction()`, which rolls everything back. Await the calls of one transaction one at a
 * time (a MongoDB session takes no concurrent operations).
 */
export interface StoreTx {
  /**
   * Makes the calls together and waits for all: the sql adapter on PostgreSQL sends them in one
   * round trip (pipelined, in call order); other adapters run them one after another. The calls
   * must not depend on each other's results; a failure of any fails the batch. Inside a
   * transaction, let that failure end the transaction: the other calls' writes may already be
   * queued (a caught DuplicateError followed by a commit would keep them).
   */
  batch<T extends readonly unknown[]>(...calls: Calls<T>): Promise<T>;
  orgs: {
    insert(org: Org): Promise<void>;
    get(id: string): Promise<Org | null>;
    list(): Promise<Org[]>;
  };
  users: {
    insert(user: User): Promise<void>;
    get(id: string): Promise<User | null>;
    list(): Promise<User[]>;
    /** Users of one of `orgIds` holding `role`. */
    withRole(role: Role, orgIds: string[]): Promise<User[]>;
  };
  cases: AggregateRepo<CaseRecord, CaseFilter> & {
    /** Next case number for an org and year (`<year>-<seq>`), atomic. */
    nextNumber(orgId: string, year: number): Promise<number>;
    /**
     * Inserts a new case with its org's next number for `year` ({@link caseNumber}) drawn in the same
     * step, and returns the number (`record.number` is ignored). The org-year counter stays locked
     * until the transaction ends and registrations in one org queue on it: make this the
     * transaction's last call. DuplicateError when the id exists (nothing drawn).
     */
    insertNumbered(record: CaseRecord, year: number): Promise<string>;
  };
  reviews: AggregateRepo<ReviewRecord, ReviewFilter> & {
    getByCaseAndKind(caseId: string, kind: 'primary' | 'supervision'): Promise<ReviewRecord | null>;
  };
  dispositions: {
    insertMany(rows: DispositionRecord[]): Promise<void>;
    listByCase(caseId: string): Promise<DispositionRecord[]>;
    /**
     * Marks revoked at `at` (an appeal revoked or modified them) the dispositions of a case, or of
     * one of its reviews (`reviewId`; null = the case's own), of `personId` (all persons when
     * absent). Rows already revoked keep their time.
     */
    revoke(match: { caseId: string; reviewId: string | null; personId?: string }, at: string): Promise<void>;
    /** Dispositions decided in [from, to) in the given orgs and not revoked (stats). */
    query(filter: { from?: string; to?: string; orgIds?: string[] }): Promise<DispositionRecord[]>;
  };
  deadlines: {
    insert(row: DeadlineRecord): Promise<void>;
    update(row: DeadlineRecord): Promise<void>;
    /**
     * `lock`: inside a transaction, the rows read stay locked against other writers until it ends
     * (a command closing a deadline and a worker taking its step must not overwrite each other).
     * An engine whose transactions detect write conflicts themselves (MongoDB) may ignore it.
     */
    get(id: string, options?: ReadOptions): Promise<DeadlineRecord | null>;
    listByAggregate(type: AggregateType, id: string, options?: ReadOptions): Promise<DeadlineRecord[]>;
    /** The deadlines of several aggregates of one type (a list page), by opening time. */
    listByAggregates(type: AggregateType, ids: string[]): Promise<DeadlineRecord[]>;
    /** How many deadlines are open and overdue (gauges), without reading them. */
    countActive(): Promise<Record<'open' | 'overdue', number>>;
    /** Open or overdue deadlines with a planned step at or before `before` not yet taken. */
    listActive(filter?: { orgIds?: string[]; status?: DeadlineStatus[] }): Promise<DeadlineRecord[]>;
    /** Deadlines due in [from, to) in the given orgs (stats), by due time. */
    query(filter: { from?: string; to?: string; orgIds?: string[] }): Promise<DeadlineRecord[]>;
  };
  audit: {
    /** Appends to the stream's hash chain (`hash = H(prevHash ‖ canonical JSON)`). */
    append(stream: string, event: AuditEventInput): Promise<AuditEvent>;
    list(stream: string): Promise<AuditEvent[]>;
  };
  outbox: {
    insert(rows: OutboxRow[]): Promise<void>;
    listUndelivered(limit: number): Promise<StoredOutboxRow[]>;
    markDelivered(ids: string[], at: string): Promise<void>;
    /**
     * Deletes up to `limit` rows delivered before `before`, oldest delivery first; answers how many
     * (the purge, workers/outbox-purge.ts). Undelivered rows are never touched.
     */
    purgeDelivered(before: string, limit: number): Promise<number>;
  };
  notifications: {
    /** Idempotent on `id`: inserting the same id twice keeps one row. Returns false if it existed. */
    insert(n: Notification): Promise<boolean>;
    /** Idempotent on `id` like `insert`; answers nothing, so a transaction may send it with its commit. */
    insertMany(list: Notification[]): Promise<void>;
    listForUser(userId: string, limit: number): Promise<Notification[]>;
    /** One page of the user's notifications, newest first; `unread` counts all unread ones. */
    pageForUser(userId: string, q: { page: number; pageSize: number; unreadOnly?: boolean }): Promise<{ items: Notification[]; total: number; unread: number }>;
    /** Sets `readAt` on the user's unread notifications (`ids`, or all when null); answers how many changed. */
    markRead(userId: string, ids: string[] | null, at: string): Promise<number>;
  };
  calendars: {
    get(year: number): Promise<CalendarYear | null>;
    put(cal: CalendarYear): Promise<void>;
    list(): Promise<CalendarYear[]>;
  };
  /** Responsibility map, talks ledger, follow-ups, rectifications, proposals. */
  duty: DutyRepos;
  /** `Idempotency-Key` records (services/idempotency.ts): claimed in the command's transaction. */
  idempotency: {
    /** Records the key; false (and nothing written) when the user already used it. */
    claim(record: IdempotencyRecord): Promise<boolean>;
    get(userId: string, key: string): Promise<IdempotencyRecord | null>;
    /** After the commit: the answer a repeat gets. */
    complete(userId: string, key: string, response: unknown): Promise<void>;
  };
}

/** Aggregations an adapter can run in the database (statistics over millions of rows). */
export interface StatsQueries {
  /** Person-times in [from, to) in the orgs, each (case, person) at its most severe unrevoked form, counted by form, rank and org level. */
  fourForms(filter: { from?: string; to?: string; orgIds?: string[] }): Promise<ClassifiedCount[]>;
  /** Talk coverage: for each query and each of its requests, in order, the first talk that covers it, or null (one pass over the talks). */
  firstCoveringTalks(queries: CoverageMatchQuery[]): Promise<Array<Array<CoveringTalk | null>>>;
  /** The date of the first talk of `kinds` held in [from, to] (YYYY-MM-DD) of `years`, per ledger org (e.g. each org's first collective talk). */
  firstTalkDates(filter: { years: number[]; kinds: TalkKind[]; from: string; to: string }): Promise<Map<string, string>>;
  /** Rectification and clock counts per org in [from, to) (ISO instants), grouped in the database. */
  pressureByOrg(filter: { from: string; to: string }): Promise<OrgPressureCount[]>;
}

export interface Store extends StoreTx {
  /** Database-side statistics; absent on an adapter that has none (the service then aggregates rows). */
  readonly stats?: StatsQueries;
  readonly kind: 'pglite' | 'postgres' | 'mongo';
  /** Runs `fn` in one transaction; a throw rolls everything back. Retries transient conflicts of the engine. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Walks every audit chain and reports the first broken link. */
  verifyAudit(): Promise<AuditVerifyResult>;
  /** Cheap liveness query for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
