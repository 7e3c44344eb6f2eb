/**
 * The write-flush statement (services/store/sql/prepared-statements.ts, issue 20) finds the audit heads and
 * deadlines it changes by their primary key, whatever the size of those tables: the plan the
 * connection pool uses (the prepared statement's generic plan) has no sequential scan on them, and
 * running it touches a few pages. Checked on PostgreSQL (a database of its own, dropped after) on an
 * empty store, at 10,000 and at 100,000 rows, and on PGlite at 3,000 rows. The old statement
 * (`jsonb_populate_recordset`, estimated at 100 rows) chose a sequential scan and hash join in
 * each of these but the 100,000 rows. The compare-and-set checked against what a process remembers
 * (migration 0009) is checked at 100,000 rows on PostgreSQL, the one engine that sends it.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { DeadlineRecord, OutboxRow } from '../../../services/store/port';
import { openPostgres, pgliteDriver } from '../../../services/store/sql/driver';
import { casCase, checkedCas, flush, HOT_STATEMENTS, type HeldBack, type Hot } from '../../../services/store/sql/prepared-statements';
import { loadMigrations, migrate } from '../../../services/store/sql/migrate';
import { postgresAnswers, TEST_DATABASE_URL } from '../../helpers/store';

type Query = (text: string) => Promise<Array<Record<string, unknown>>>;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

const FLUSH_TEXT = HOT_STATEMENTS.find((s) => s.name === 'store_flush')!.text;
const WATCHED = ['deadlines', 'audit_heads'];

/** Every node of a plan, depth first. */
function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The scans (not the UPDATE itself) of the watched tables, as "<table>: <node type>". */
function scansOf(plan: PlanNode): string[] {
  return nodes(plan)
    .filter((n) => n['Node Type'] !== 'ModifyTable' && n['Relation Name'] !== undefined && WATCHED.includes(n['Relation Name']))
    .map((n) => `${n['Relation Name']}: ${n['Node Type']}`);
}

/** Writes `[from, to)` closed deadlines and audit heads, as a commission's past cases leave them. */
async function fill(query: Query, from: number, to: number): Promise<void> {
  await query(`insert into deadlines (id, aggregate_type, aggregate_id, org_id, key, opened_at, due_at, steps, status, escalation, calendar_uncertain, closed_at)
    select 'fill-dl-' || i, 'case', 'fill-case-' || i, 'org-county', 'clue.disposition', t, t + interval '30 days',
      jsonb_build_object('warning', to_char(t + interval '27 days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), 'met', 'none', false, t + interval '12 days'
    from generate_series(${from}, ${to - 1}) i, lateral (select timestamptz '2021-01-01 00:00Z' + i * interval '15 minutes' as t) at`);
  await query(`insert into audit_heads (stream, seq, hash) select 'case:fill-case-' || i, 14, encode(sha256(i::text::bytea), 'hex') from generate_series(${from}, ${to - 1}) i`);
}

/** What a command on case `fill-case-<n>` holds back: two events, its head, a new and a closed deadline, a job, a notice. */
function command(n: number): HeldBack {
  const at = '2026-03-02T01:00:00.000Z';
  const stream = `case:fill-case-${n}`;
  const event = (seq: number) => ({
    stream, seq, at, actor: 'inspector1', action: 'submitVerificationReport', outcome: 'accepted' as const,
    from: 'verification.inProgress', to: 'verification.approval', prevHash: 'a'.repeat(64), hash: 'b'.repeat(64),
  });
  const deadline = (id: string, over: Partial<DeadlineRecord>): DeadlineRecord => ({
    id, aggregateType: 'case', aggregateId: `fill-case-${n}`, orgId: 'org-county', key: 'clue.disposition', openedAt: at,
    dueAt: '2026-04-01T01:00:00.000Z', steps: { warning: '2026-03-27T01:00:00.000Z' }, status: 'open', escalation: 'none',
    calendarUncertain: false, closedAt: null, ...over,
  });
  const job: OutboxRow = { id: `out-${n}`, queue: 'deadlines', name: 'step', data: { deadlineId: `new-dl-${n}` }, createdAt: at, runAt: null, deliveredAt: null };
  return {
    events: [event(15), event(16)],
    heads: [{ stream, seq: 16, hash: 'b'.repeat(64) }],
    deadlineInserts: [deadline(`new-dl-${n}`, { key: 'approval' })],
    deadlineUpdates: [deadline(`fill-dl-${n}`, { status: 'met', closedAt: at })],
    outbox: [job],
    dispositions: [],
    notifications: [{ id: `note-${n}`, userId: 'head1', kind: 'approvalRequested', title: '待审批', body: '初步核实报告待审批', aggregateType: 'case', aggregateId: `fill-case-${n}`, createdAt: at, readAt: null }],
  };
}

/** `execute store_flush(…)` of the statement prepared by `prepare` (values as literals, as the PGlite driver sends them). */
const execute = (held: HeldBack) => `execute store_flush(${flush(held).values.map((v) => pg.escapeLiteral(String(v))).join(', ')})`;

/** The generic plan of the flush for a command on case `n`, then the same flush run (and rolled back) with its row and page counts. */
async function explain(query: Query, n: number): Promise<{ scans: string[]; ran: PlanNode[] }> {
  const [plan] = await query(`explain (format json) ${execute(command(n))}`);
  const scans = scansOf((plan['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0].Plan);
  await query('begin');
  try {
    const [analyzed] = await query(`explain (analyze, buffers, format json) ${execute(command(n))}`);
    return { scans, ran: nodes((analyzed['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0].Plan) };
  } finally {
    await query('rollback');
  }
}

/** The plan is index scans only and the run reads one row of each watched table and a handful of pages. */
async function expectKeyLookups(query: Query, n: number): Promise<void> {
  const { scans, ran } = await explain(query, n);
  expect(scans.sort()).toEqual(['audit_heads: Index Scan', 'deadlines: Index Scan']);
  const watched = ran.filter((node) => node['Node Type'] !== 'ModifyTable' && WATCHED.includes(node['Relation Name'] ?? ''));
  expect(watched.map((node) => [node['Relation Name'], node['Actual Rows'], node['Actual Loops']]).sort()).toEqual([
    ['audit_heads', 1, 1],
    ['deadlines', 1, 1],
  ]);
  // The whole flush (two events, a head, two deadlines, a job, a notice, their indexes) is a few
  // dozen pages; a sequential scan of either table alone would be hundreds to thousands.
  const pages = ran[0]['Shared Hit Blocks']! + ran[0]['Shared Read Blocks']!;
  expect(pages).toBeLessThan(120);
}

/**
 * The scans of the watched tables in the generic plan of `statement` (prepared under its name):
 * the compare-and-set of a command on a remembered case, checked against the head and deadlines
 * its process remembers (docs/decisions/009, session 10).
 */
async function genericScans(query: Query, statement: Hot): Promise<string[]> {
  await query(`prepare ${statement.name} as ${statement.text}`);
  const [plan] = await query(`explain (format json) execute ${statement.name}(${statement.values.map((v) => pg.escapeLiteral(String(v))).join(', ')})`);
  return scansOf((plan['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0].Plan);
}

function checkedCommand(n: number): Hot {
  const kase = { id: `fill-case-${n}`, orgId: 'org-county', machineId: 'case', machineVersion: 1, snapshot: {}, state: 'registered', updatedAt: '2026-03-02T01:00:00.000Z', number: 'n', title: 't' };
  const record = { ...kase, dualState: 'notRequired', assignees: [], flags: {}, searchText: 't', reporterSealed: false, data: {}, version: 2, createdAt: kase.updatedAt };
  return checkedCas(casCase(record as never, 1), {
    heads: [{ stream: `case:fill-case-${n}`, seq: 14 }],
    deadlines: [{ type: 'case', id: `fill-case-${n}`, versions: { [`fill-dl-${n}`]: '1' } }],
  });
}

/** Prepares the flush as the drivers do and asks for the plan the pool will use (the generic one). */
async function prepareGeneric(query: Query): Promise<void> {
  await query(`prepare store_flush as ${FLUSH_TEXT}`);
  await query('set plan_cache_mode = force_generic_plan');
}

const postgres = postgresAnswers();
const onPostgres = postgres ? it : it.skip;

describe('write flush plan', () => {
  if (!postgres) console.warn(`flush plan: PostgreSQL run skipped: nothing answers at ${new URL(TEST_DATABASE_URL).host}`);

  onPostgres(
    'when deadlines and audit_heads hold 0, 10,000 and 100,000 rows on PostgreSQL, then the prepared flush finds its rows by index scans only',
    async () => {
      const name = `test_flush_plan_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`create database ${name}`);
      const url = new URL(TEST_DATABASE_URL);
      url.pathname = `/${name}`;
      const client = new pg.Client({ connectionString: url.toString() });
      try {
        const driver = openPostgres(url.toString(), 1);
        await migrate(driver, await loadMigrations()).finally(() => driver.close());
        await client.connect();
        const query: Query = async (text) => (await client.query(text)).rows;
        // A pool's connections may be opened on an empty store: never analysed, as without autovacuum.
        await prepareGeneric(query);
        const empty = await explain(query, 1);
        expect(empty.scans.sort()).toEqual(['audit_heads: Index Scan', 'deadlines: Index Scan']);

        await fill(query, 1, 10_000);
        await expectKeyLookups(query, 5_000);
        await query('analyze deadlines; analyze audit_heads');
        await expectKeyLookups(query, 5_000);

        await fill(query, 10_000, 100_001);
        await query('analyze deadlines; analyze audit_heads');
        // The same connection: a plan cached at 10,000 rows would be used here if it were still valid.
        await expectKeyLookups(query, 99_999);
        // The checked compare-and-set finds the remembered head and deadlines by index too.
        expect((await genericScans(query, checkedCommand(99_999))).sort()).toEqual(['audit_heads: Index Scan', 'deadlines: Index Scan']);
        const [{ deadlines, heads }] = await query('select (select count(*) from deadlines)::int as deadlines, (select count(*) from audit_heads)::int as heads');
        expect({ deadlines, heads }).toEqual({ deadlines: 100_000, heads: 100_000 });
      } finally {
        await client.end().catch(() => undefined);
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
    120_000,
  );

  it('when deadlines and audit_heads hold 3,000 rows on PGlite, then the prepared flush finds its rows by index scans only', async () => {
    const client = await PGlite.create('memory://');
    try {
      await migrate(pgliteDriver(client), await loadMigrations());
      const query: Query = async (text) => (await client.exec(text)).at(-1)?.rows ?? [];
      await prepareGeneric(query);
      await fill(query, 1, 3_001);
      await query('analyze deadlines; analyze audit_heads');
      await expectKeyLookups(query, 1_500);
    } finally {
      await client.close();
    }
  }, 120_000);
});
