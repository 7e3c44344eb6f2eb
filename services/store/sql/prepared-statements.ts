/**
 * The statements every command runs, as fixed hand-written SQL. Fixed text lets PostgreSQL keep
 * them as named prepared statements per connection (parsed and planned once); building them with
 * drizzle on every call cost more CPU than the database work itself (see docs/decisions/002-store.md).
 * Everything else goes through drizzle.
 */
import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { GENESIS_HASH } from '../../audit/hash';
import * as t from './schema';
import type { AuditEvent, CaseRecord, DeadlineRecord, DispositionRecord, Notification, OutboxRow, ReviewRecord } from '../port';

/** A named statement: `name` identifies the prepared statement on a connection. */
export interface Hot {
  name: string;
  text: string;
  values: unknown[];
}

/** `col as "key", …` of a table: rows come back keyed as drizzle's, so its row mappers read them. */
function selectList(table: PgTable): string {
  return Object.entries(getTableColumns(table))
    .map(([key, column]) => `${column.name} as "${key}"`)
    .join(', ');
}

/**
 * The reads every command makes (its aggregate, the aggregate's deadlines) and the ones its answer
 * or its notices often make (the case's dispositions, an org, a user), fixed so they stay prepared.
 */
const READS = {
  store_get_case: `select ${selectList(t.cases)} from cases where id = $1`,
  store_get_review: `select ${selectList(t.reviews)} from reviews where id = $1`,
  store_get_deadline: `select ${selectList(t.deadlines)} from deadlines where id = $1`,
  store_deadlines_by_aggregate: `select ${selectList(t.deadlines)} from deadlines where aggregate_type = $1 and aggregate_id = $2 order by opened_at, id`,
  store_dispositions_by_case: `select ${selectList(t.dispositions)} from dispositions where case_id = $1 order by decided_at, id`,
  store_get_org: `select ${selectList(t.orgs)} from orgs where id = $1`,
  store_get_user: `select ${selectList(t.users)} from users where id = $1`,
};
type Read = keyof typeof READS;

/** A read, or with `lock` the same read `for update` (its rows locked until the transaction ends). */
function read(name: Read, values: unknown[], lock = false): Hot {
  return lock ? { name: `${name}_locked`, text: `${READS[name]} for update`, values } : { name, text: READS[name], values };
}

/**
 * An aggregate's deadlines locked, each with its row version (`xmin`, changed by every update of the
 * row) as `rowVersion`: what a process remembers to send its next command on the aggregate in one
 * round trip (`freshCheck`).
 */
const DEADLINES_VERSIONED = `select ${selectList(t.deadlines)}, xmin::text as "rowVersion" from deadlines where aggregate_type = $1 and aggregate_id = $2 order by opened_at, id for update`;
export const deadlinesVersioned = (type: string, id: string): Hot => ({ name: 'store_deadlines_versioned', text: DEADLINES_VERSIONED, values: [type, id] });

export const getCase = (id: string): Hot => read('store_get_case', [id]);
export const getReview = (id: string): Hot => read('store_get_review', [id]);
export const getDeadline = (id: string, lock: boolean): Hot => read('store_get_deadline', [id], lock);
export const deadlinesByAggregate = (type: string, id: string, lock: boolean): Hot => read('store_deadlines_by_aggregate', [type, id], lock);
export const dispositionsByCase = (caseId: string): Hot => read('store_dispositions_by_case', [caseId]);
export const getOrg = (id: string): Hot => read('store_get_org', [id]);
export const getUser = (id: string): Hot => read('store_get_user', [id]);

const AGGREGATE = ['org_id', 'machine_id', 'machine_version', 'snapshot', 'state', 'updated_at'];
const CASE_COLUMNS = [...AGGREGATE, 'number', 'title', 'dual_state', 'assignees', 'flags', 'search_text', 'reporter_sealed', 'data'];
const REVIEW_COLUMNS = [...AGGREGATE, 'case_id', 'kind', 'target', 'assignees', 'data'];
const JSONB = new Set(['snapshot', 'assignees', 'flags', 'data']);

/** `update <table> set <columns> = $n…, version = $v where id = $i and version = $e returning id` */
function casText(table: string, columns: string[]): string {
  const set = columns.map((c, i) => `${c} = $${i + 1}${JSONB.has(c) ? '::jsonb' : c === 'updated_at' ? '::timestamptz' : ''}`);
  const n = columns.length;
  return `update ${table} set ${set.join(', ')}, version = $${n + 1} where id = $${n + 2} and version = $${n + 3} returning id`;
}

const CAS_CASE = casText('cases', CASE_COLUMNS);
const CAS_REVIEW = casText('reviews', REVIEW_COLUMNS);

const NUMBERED_COLUMNS = ['id', ...CASE_COLUMNS.filter((c) => c !== 'number'), 'version', 'created_at'];
const INTEGER = new Set(['machine_version', 'version']);
const castOf = (c: string) => (JSONB.has(c) ? '::jsonb' : c === 'updated_at' || c === 'created_at' ? '::timestamptz' : INTEGER.has(c) ? '::int' : '::text');
const N = NUMBERED_COLUMNS.length;
/**
 * The counter and the case in one statement (`cases.insertNumbered`); the number as `caseNumber`
 * (port.ts) writes it: `$prefix` is `<orgId>-<year>-`, the sequence padded to four digits.
 */
const INSERT_NUMBERED = `with n as (insert into case_numbers (org_id, year, seq) values ($2::text, $${N + 1}::int, 1)
    on conflict (org_id, year) do update set seq = case_numbers.seq + 1 returning seq)
  insert into cases (${NUMBERED_COLUMNS.join(', ')}, number)
  select ${NUMBERED_COLUMNS.map((c, i) => `$${i + 1}${castOf(c)}`).join(', ')},
    $${N + 2}::text || case when n.seq < 10000 then lpad(n.seq::text, 4, '0') else n.seq::text end
  from n returning number`;

export function insertNumberedCase(c: CaseRecord, year: number): Hot {
  const values: unknown[] = [c.id, c.orgId, c.machineId, c.machineVersion, json(c.snapshot), c.state, c.updatedAt, c.title, c.dualState];
  values.push(json(c.assignees), json(c.flags), c.searchText, c.reporterSealed, json(c.data), c.version, c.createdAt, year, `${c.orgId}-${year}-`);
  return { name: 'store_insert_numbered_case', text: INSERT_NUMBERED, values };
}

const json = (v: unknown) => JSON.stringify(v);

export function casCase(c: CaseRecord, expected: number): Hot {
  const values: unknown[] = [c.orgId, c.machineId, c.machineVersion, json(c.snapshot), c.state, c.updatedAt, c.number, c.title, c.dualState];
  values.push(json(c.assignees), json(c.flags), c.searchText, c.reporterSealed, json(c.data), expected + 1, c.id, expected);
  return { name: 'store_cas_case', text: CAS_CASE, values };
}

/** SQLSTATEs raised by `fresh_or_raise` (migration 0009). */
export const STALE_CACHE = 'YS001';
export const CAS_MISSED = 'YS002';

/**
 * `fresh_or_raise(…)` unless every remembered audit head (`$heads`: `[{stream, seq}]`) is at its
 * sequence number and every remembered aggregate (`$deadlines`: `[{type, id, versions:
 * {deadlineId: xmin}}]`) has exactly the deadlines at the row versions given (SQLSTATE
 * `STALE_CACHE`); locks those heads and deadlines as `lockHead` and `deadlinesVersioned` would.
 */
const freshExpr = (heads: number, deadlines: number) => `fresh_or_raise(
  coalesce((select bool_and((select h.seq from audit_heads h where h.stream = e.stream for update) is not distinct from e.seq)
    from jsonb_to_recordset($${heads}::jsonb) e(stream text, seq integer)), true)
  and coalesce((select bool_and(coalesce((select jsonb_object_agg(l.id, l.v)
      from (select d.id, d.xmin::text as v from deadlines d where d.aggregate_type = e.type and d.aggregate_id = e.id for update) l), '{}'::jsonb) = e.versions)
    from jsonb_to_recordset($${deadlines}::jsonb) e(type text, id text, versions jsonb)), true),
  '${STALE_CACHE}', 'remembered audit head or deadlines')`;

export interface Remembered {
  heads: Array<{ stream: string; seq: number }>;
  deadlines: Array<{ type: string; id: string; versions: Record<string, string> }>;
}

const FRESH_CHECK = `select ${freshExpr(1, 2)}`;

/** The check of what a transaction used of its process's memory, on its own. */
export function freshCheck(r: Remembered): Hot {
  return { name: 'store_fresh_check', text: FRESH_CHECK, values: [json(r.heads), json(r.deadlines)] };
}

/**
 * A compare-and-set that fails when it changes nothing (SQLSTATE `CAS_MISSED`), with the check of
 * `remembered` in the same statement: sent without waiting for its answer, the transaction then
 * ends by itself instead of committing what was sent after it.
 */
export function checkedCas(cas: Hot, remembered: Remembered): Hot {
  const name = `${cas.name}_checked`;
  let text = CHECKED.get(name);
  if (text === undefined) {
    const n = cas.values.length;
    text = `with changed as (${cas.text})
  select fresh_or_raise(exists (select 1 from changed), '${CAS_MISSED}', 'compare-and-set') + ${freshExpr(n + 1, n + 2)}`;
    CHECKED.set(name, text);
  }
  return { name, text, values: [...cas.values, json(remembered.heads), json(remembered.deadlines)] };
}
const CHECKED = new Map<string, string>();

export function casReview(r: ReviewRecord, expected: number): Hot {
  const values: unknown[] = [r.orgId, r.machineId, r.machineVersion, json(r.snapshot), r.state, r.updatedAt, r.caseId, r.kind, r.target];
  values.push(json(r.assignees), json(r.data), expected + 1, r.id, expected);
  return { name: 'store_cas_review', text: CAS_REVIEW, values };
}

/**
 * Locks the stream's head until commit and returns it, creating it first if the stream is new, in
 * one statement. A head that exists is locked by `for update`, which writes no new row version
 * (the flush's update writes the one the append needs). Only a new stream takes the insert, whose
 * no-op `do update` locks and returns the head another transaction created meanwhile.
 */
const LOCK_HEAD = `with found as (select seq, hash from audit_heads where stream = $1 for update),
  created as (insert into audit_heads (stream, seq, hash) select $1, 0, '${GENESIS_HASH}' where not exists (select 1 from found)
    on conflict (stream) do update set seq = audit_heads.seq returning seq, hash)
  select seq, hash from found union all select seq, hash from created`;

export function lockHead(stream: string): Hot {
  return { name: 'store_lock_head', text: LOCK_HEAD, values: [stream] };
}

const EVENT_COLUMNS = 'stream, seq, at, actor, action, outcome, from_state, to_state, detail, prev_hash, hash';
const DEADLINE_COLUMNS = 'id, aggregate_type, aggregate_id, org_id, key, opened_at, due_at, steps, status, escalation, calendar_uncertain, closed_at';
const OUTBOX_COLUMNS = 'id, queue, name, data, created_at, run_at, delivered_at';
const NOTIFICATION_COLUMNS = 'id, user_id, kind, title, body, aggregate_type, aggregate_id, created_at, read_at';
const DISPOSITION_COLUMNS = 'id, case_id, review_id, person_id, person_name, rank, org_id, org_level, measure, form, decided_at, revoked_at';
const DEADLINE_SET = DEADLINE_COLUMNS.split(', ')
  .filter((c) => c !== 'id')
  .map((c) => `${c} = x.${c}`)
  .join(', ');
const rowsOf = (param: number, table: string) => `jsonb_populate_recordset(null::${table}, $${param}::jsonb) x`;
/**
 * The rows an UPDATE joins on, through `flush_rows_<table>` (migration 0002): the same rows as
 * `rowsOf`, estimated at 1 row instead of 100, so the prepared statement's generic plan finds the
 * rows to change by their primary key at any table size instead of a sequential scan and hash join
 * over the whole table (tests/integration/store/flush-plan.test.ts checks the plan).
 */
const namedRowsOf = (param: number, table: 'audit_heads' | 'deadlines') => `flush_rows_${table}($${param}::jsonb) x`;

/**
 * All held-back writes of a transaction in one statement; each parameter is a JSON array of rows
 * (`[]` when there are none), so the text never changes and stays prepared. Answers the row
 * version (`xmin`) its deadline rows now have (null when it wrote none): every row this
 * transaction writes has the same.
 */
const FLUSH = `with
  events as (insert into audit_events (${EVENT_COLUMNS}) select ${EVENT_COLUMNS} from ${rowsOf(1, 'audit_events')}),
  heads as (update audit_heads h set seq = x.seq, hash = x.hash from ${namedRowsOf(2, 'audit_heads')} where h.stream = x.stream),
  new_deadlines as (insert into deadlines (${DEADLINE_COLUMNS}) select ${DEADLINE_COLUMNS} from ${rowsOf(3, 'deadlines')} returning xmin::text as v),
  changed_deadlines as (update deadlines d set ${DEADLINE_SET} from ${namedRowsOf(4, 'deadlines')} where d.id = x.id returning d.xmin::text as v),
  new_outbox as (insert into outbox (${OUTBOX_COLUMNS}) select ${OUTBOX_COLUMNS} from ${rowsOf(5, 'outbox')}),
  new_dispositions as (insert into dispositions (${DISPOSITION_COLUMNS}) select ${DISPOSITION_COLUMNS} from ${rowsOf(6, 'dispositions')}),
  new_notifications as (insert into notifications (${NOTIFICATION_COLUMNS}) select ${NOTIFICATION_COLUMNS} from ${rowsOf(7, 'notifications')}
    on conflict (id) do nothing)
select (select v from new_deadlines union all select v from changed_deadlines limit 1) as "rowVersion"`;

export interface HeldBack {
  events: AuditEvent[];
  heads: Array<{ stream: string; seq: number; hash: string }>;
  deadlineInserts: DeadlineRecord[];
  deadlineUpdates: DeadlineRecord[];
  outbox: OutboxRow[];
  dispositions: DispositionRecord[];
  notifications: Notification[];
}

const eventRow = (e: AuditEvent) => ({
  stream: e.stream, seq: e.seq, at: e.at, actor: e.actor, action: e.action, outcome: e.outcome,
  from_state: e.from, to_state: e.to, detail: e.detail ?? null, prev_hash: e.prevHash, hash: e.hash,
});
const deadlineRow = (d: DeadlineRecord) => ({
  id: d.id, aggregate_type: d.aggregateType, aggregate_id: d.aggregateId, org_id: d.orgId, key: d.key, opened_at: d.openedAt,
  due_at: d.dueAt, steps: d.steps, status: d.status, escalation: d.escalation, calendar_uncertain: d.calendarUncertain, closed_at: d.closedAt,
});
const outboxRow = (o: OutboxRow) => ({
  id: o.id, queue: o.queue, name: o.name, data: o.data, created_at: o.createdAt, run_at: o.runAt, delivered_at: o.deliveredAt,
});
const dispositionRow = (d: DispositionRecord) => ({
  id: d.id, case_id: d.caseId, review_id: d.reviewId, person_id: d.personId, person_name: d.personName, rank: d.rank,
  org_id: d.orgId, org_level: d.orgLevel, measure: d.measure, form: d.form, decided_at: d.decidedAt, revoked_at: d.revokedAt ?? null,
});

const notificationRow = (n: Notification) => ({
  id: n.id, user_id: n.userId, kind: n.kind, title: n.title, body: n.body, aggregate_type: n.aggregateType,
  aggregate_id: n.aggregateId, created_at: n.createdAt, read_at: n.readAt,
});

export function flush(w: HeldBack): Hot {
  return {
    name: 'store_flush',
    text: FLUSH,
    values: [
      json(w.events.map(eventRow)),
      json(w.heads),
      json(w.deadlineInserts.map(deadlineRow)),
      json(w.deadlineUpdates.map(deadlineRow)),
      json(w.outbox.map(outboxRow)),
      json(w.dispositions.map(dispositionRow)),
      json(w.notifications.map(notificationRow)),
    ],
  };
}

/**
 * Every fixed statement PGlite runs, by name, for engines that prepare them up front. The checked
 * compare-and-set, the versioned deadlines and the fresh check serve the one-round-trip command of a
 * pipelining connection (PostgreSQL), which prepares at first use.
 */
export const HOT_STATEMENTS: ReadonlyArray<{ name: string; text: string }> = [
  ...(Object.keys(READS) as Read[]).flatMap((name) => [read(name, []), read(name, [], true)]).map(({ name, text }) => ({ name, text })),
  { name: 'store_cas_case', text: CAS_CASE },
  { name: 'store_insert_numbered_case', text: INSERT_NUMBERED },
  { name: 'store_cas_review', text: CAS_REVIEW },
  { name: 'store_lock_head', text: LOCK_HEAD },
  { name: 'store_flush', text: FLUSH },
];
