/**
 * The store port (ARCHITECTURE.md §4). Two adapters implement it: `sql` (drizzle on PGlite or
 * PostgreSQL) and `mongo` (mongoose). One command = one `transaction()`; aggregates are updated by
 * compare-and-set on `version`. Every adapter passes tests/integration/store/contract.ts.
 */
import type { Role } from '../../machines/shared/roles';
import type { DeadlineKey, EscalationLevel } from '../../config/deadlines';
import type { JobName, QueueName } from '../queues/contracts';
import type { DutyRepos } from './duty-port';
import type { OrgLevel } from './org-levels';

export { ORG_LEVELS, type OrgLevel } from './org-levels';

export interface Org {
  id: string;
  name: string;
  level: OrgLevel;
  parentId: string | null;
  /** Name of the unit's party committee (党委/党组), target of the primary-responsibility review. */
  partyCommittee: string | null;
  /** Name of the unit's discipline body (纪委/纪检组), target of the supervision-responsibility review. */
  disciplineBody: string | null;
  createdAt: string;
}

export interface User {
  id: string;
  name: string;
  orgId: string;
  roles: Role[];
  personId: string | null;
  createdAt: string;
}

/** `followUp` and `rectification`: see services/store/duty-port.ts. */
export type AggregateType = 'case' | 'review' | 'followUp' | 'rectification';

/** Columns shared by both aggregates. `snapshot` is the persisted XState snapshot (JSON). */
export interface AggregateBase {
  id: string;
  orgId: string;
  machineId: string;
  machineVersion: number;
  snapshot: unknown;
  /** Dotted lifecycle state, e.g. `talkInquiry.awaitingReply`, kept for filtering. */
  state: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CaseRecord extends AggregateBase {
  number: string;
  title: string;
  /** `notRequired | opening | open | concluded`, kept for filtering and stats. */
  dualState: string;
  assignees: string[];
  flags: string[];
  /** Searchable text (title, subject names, allegations), used by `q=`. */
  searchText: string;
  /** Reporter identity sealed with SM4 (base64); `null` when anonymous. Never in the snapshot. */
  reporterSealed: string | null;
  /** Case data shown in the view and not needed by the machine (source, receivedAt, subjects …). */
  data: Record<string, unknown>;
}

export interface ReviewRecord extends AggregateBase {
  caseId: string;
  kind: 'primary' | 'supervision';
  target: 'partyCommittee' | 'disciplineBody';
  assignees: string[];
  data: Record<string, unknown>;
}

export interface DispositionRecord {
  id: string;
  caseId: string;
  reviewId: string | null;
  personId: string;
  personName: string | null;
  /** Rank id from API.md (`townshipDeputy` …) or `other`. */
  rank: string;
  /** The subject's org and its level, for by-org-level statistics. */
  orgId: string;
  orgLevel: OrgLevel;
  measure: string;
  form: 1 | 2 | 3 | 4;
  decidedAt: string;
  /** Set when an appeal revoked or modified the measure; revoked rows do not count in statistics. */
  revokedAt?: string | null;
}

export type DeadlineStatus = 'open' | 'overdue' | 'met' | 'metLate';
export type Escalation = 'none' | EscalationLevel;

export interface DeadlineRecord {
  id: string;
  aggregateType: AggregateType;
  aggregateId: string;
  /** Org of the aggregate, for scope and by-org statistics. */
  orgId: string;
  key: DeadlineKey;
  openedAt: string;
  dueAt: string;
  /** Planned time of each escalation step (absent step = not planned, e.g. no warning under overrides). */
  steps: Partial<Record<EscalationLevel, string>>;
  status: DeadlineStatus;
  escalation: Escalation;
  calendarUncertain: boolean;
  closedAt: string | null;
}

export type AuditOutcome = 'accepted' | 'refused' | 'read' | 'disclosed';

/** What a caller hands to `audit.append`; seq, hash and prevHash are assigned by the store. */
export interface AuditEventInput {
  at: string;
  actor: string;
  action: string;
  outcome: AuditOutcome;
  from: string | null;
  to: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditEvent extends AuditEventInput {
  stream: string;
  seq: number;
  hash: string;
  prevHash: string;
}

/** An outbox row as written: a job of one of the queues (services/queues/contracts.ts builds them). */
export interface OutboxRow {
  id: string;
  queue: QueueName;
  /** Job name, e.g. `openReview`. */
  name: JobName;
  /** Ids only (dashboards show job data). */
  data: Record<string, unknown>;
  createdAt: string;
  /** Earliest delivery time (delayed jobs), or null for now. */
  runAt: string | null;
  deliveredAt: string | null;
}

/**
 * An outbox row as read back: a row written by another version of the system may name a queue or
 * job this one does not know (the relay leaves such a row undelivered and says so).
 */
export type StoredOutboxRow = Omit<OutboxRow, 'queue' | 'name'> & { queue: string; name: string };

export interface Notification {
  id: string;
  userId: string;
  kind: string;
  /** Chinese text an official reads. */
  title: string;
  body: string;
  aggregateType: AggregateType | null;
  aggregateId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface CalendarYear {
  year: number;
  holidays: string[];
  workdays: string[];
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CaseFilter {
  state?: string;
  /** Org ids the caller may see (own org and descendants); undefined = all. */
  orgIds?: string[];
  assignee?: string;
  /** Only cases with an overdue deadline. */
  overdue?: boolean;
  /** Only cases carrying this flag (e.g. `reportedUpward`, `suppressionRisk`). */
  flag?: string;
  /**
   * Only clues registered on one of these orgs (`data.orgId`; on records stored before the handling commission was recorded, the record's org),
   * whatever commission handles them: `GET /cases?orgId=`. `orgIds` is the handling scope.
   */
  unitOrgIds?: string[];
  /** Only cases whose 一案双查 region is in one of these states (the effects reconciler). */
  dualState?: string[];
  q?: string;
  /**
   * Leaves out the cases this user is recused from: declared (the snapshot's `context.recusals`)
   * or automatic (a subject with the user's person id or name), so totals and pages do not leak them.
   */
  visibleTo?: Viewer;
  page: number;
  pageSize: number;
}

/** Who reads a list, for the recusal filter (services/authz `isRecused`). */
export interface Viewer {
  userId: string;
  personId: string | null;
  name: string;
}

export interface ReviewFilter {
  caseId?: string;
  kind?: 'primary' | 'supervision';
  state?: string;
  orgIds?: string[];
  /** Leaves out the reviews of cases this user is recused from (as CaseFilter.visibleTo), and those he is a party to (`data.involvedPersonIds`). */
  visibleTo?: Viewer;
  page: number;
  pageSize: number;
}

/** A case number: `<orgId>-<year>-<seq>`, the sequence zero-padded to four digits. */
export function caseNumber(orgId: string, year: number, seq: number): string {
  return `${orgId}-${year}-${String(seq).padStart(4, '0')}`;
}

/** Thrown by `update` when the stored version differs from the expected one. */
export class VersionConflictError extends Error {
  readonly code = 'version_conflict';
  constructor(
    readonly aggregate: AggregateType,
    readonly id: string,
    readonly expected: number,
  ) {
    super(`${aggregate} ${id}: version ${expected} is stale`);
  }
}

/** Thrown when stored data cannot be read (corrupt JSON, unknown machine version, newer schema). */
export class StoreDataError extends Error {
  readonly code = 'store_data';
  constructor(
    message: string,
    readonly record?: string,
  ) {
    super(message);
  }
}

/** Thrown on a unique-key clash (e.g. a second review of the same kind for a case). */
export class DuplicateError extends Error {
  readonly code = 'duplicate';
}

export interface AggregateRepo<R extends AggregateBase, F> {
  insert(record: R): Promise<void>;
  get(id: string): Promise<R | null>;
  /** Compare-and-set: writes `record` (with `version = expectedVersion + 1`) iff stored version = expectedVersion. */
  update(record: R, expectedVersion: number): Promise<void>;
  list(filter: F): Promise<Page<R>>;
}

/**
 * Everything a transaction can touch. Reads see the transaction's own writes.
 *
 * Inside `transaction`, the writes that answer nothing (audit appends, deadline inserts and
 * updates, outbox, disposition and `notifications.insertMany` inserts) may be held back and sent with the next statement or
 * the commit (sql adapter): a constraint error on one of them then surfaces there, at the latest
 * from `transaction()`, which rolls everything back. Await the calls of one transaction one at a
 * time (a MongoDB session takes no concurrent operations).
 */
export interface ReadOptions {
  lock?: boolean;
}

/** Thunks whose results `batch` returns as a tuple. */
export type Calls<T extends readonly unknown[]> = { [K in keyof T]: () => Promise<T[K]> };

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

/** A request made with an `Idempotency-Key`, stored with the commit it caused. */
export interface IdempotencyRecord {
  userId: string;
  key: string;
  /** SHA-256 of the method, the path and the canonical JSON body. */
  fingerprint: string;
  status: number;
  aggregateType: AggregateType;
  aggregateId: string;
  /** The answer's body; null until the request that claimed the key has answered. */
  response: unknown;
  createdAt: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  streams: number;
  events: number;
  brokenAt?: { stream: string; seq: number };
}

/** One classified person-time count (a person per case at their most severe form). */
export interface ClassifiedCount {
  form: number;
  rank: string;
  orgLevel: string;
  n: number;
}

/** Aggregations an adapter can run in the database (statistics over millions of rows). */
export interface StatsQueries {
  /** Person-times in [from, to) in the orgs, each (case, person) at its most severe unrevoked form, counted by form, rank and org level. */
  fourForms(filter: { from?: string; to?: string; orgIds?: string[] }): Promise<ClassifiedCount[]>;
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
