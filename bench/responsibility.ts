/**
 * The talk-coverage view and the 上热中温下冷 level report over 5,000 orgs and 200,000
 * talks on PostgreSQL, in a database of its own (created and dropped), or on an in-memory PGlite
 * (`--pglite`). Target: each within 1 s on PostgreSQL. The talks are matched to the obligations in
 * the database (services/store/sql/coverage.ts); the process reads the map and the first talk of
 * each obligation, not the year's talks.
 * The map: a secretary, a discipline head and two members (each overseeing two orgs below) per org;
 * talks mostly 约谈 by discipline heads of leaders below, the rest members' portfolio talks and
 * collective talks; 100,000 dispositions for the four forms.
 *
 *   npx tsx bench/responsibility.ts [--orgs 5000] [--talks 200000] [--pglite]
 *
 * The machine is often shared: the load average is printed before and after.
 */
import { loadavg } from 'node:os';
import { DEFAULT_COVERAGE_RULES } from '../config/coverage';
import { orgTree } from '../services/authz';
import type { Deps } from '../services/deps';
import { levelReport } from '../services/responsibility/levels';
import { createStore } from '../services/store';
import type { Store, User } from '../services/store/port';
import { coverageView, loadObligations } from '../services/talks/coverage';
import { arg, bestAndMedian, benchDatabase, thrice } from './lib/harness';

const ORGS = Number(arg('orgs', '5000'));
const TALKS = Number(arg('talks', '200000'));
const PGLITE = process.argv.includes('--pglite');

/** 1 province ▸ 9 prefectures ▸ 90 counties ▸ 900 townships ▸ villages (as bench/stats.ts). */
const ORGS_SQL = `
insert into orgs (id, name, level, parent_id, created_at)
select 'o' || g, '单位' || g,
  case when g = 1 then 'province' when g <= 10 then 'prefecture' when g <= 100 then 'county' when g <= 1000 then 'township' else 'village' end,
  case when g = 1 then null when g <= 10 then 'o1' when g <= 100 then 'o' || (2 + g % 9) when g <= 1000 then 'o' || (11 + g % 90) else 'o' || (101 + g % 900) end,
  now()
from generate_series(1, $1::int) g`;

const POSTS_SQL = `
insert into responsibility_posts (id, org_id, post, person_id, person_name, title, portfolio_org_ids, portfolio_departments, from_date, to_date, appointed_by, recorded_at)
select 'p' || k || '-' || g, 'o' || g, k, k || g, k || g, null, '[]'::jsonb, '[]'::jsonb,
  case when g % 10 = 0 then '2026-03-01' else '2024-01-01' end, null, 'bench', now()
from generate_series(1, $1::int) g, unnest(array['secretary', 'disciplineHead']) k`;

/** Members: two per org with children, each overseeing two of them (computed from the tree). */
const MEMBERS_SQL = `
insert into responsibility_posts (id, org_id, post, person_id, person_name, title, portfolio_org_ids, portfolio_departments, from_date, to_date, appointed_by, recorded_at)
select 'pm' || n || '-' || parent_id, parent_id, 'member', 'm' || n || '-' || parent_id, '委员' || n, null,
  to_jsonb(children[(n - 1) * 2 + 1 : (n - 1) * 2 + 2]), '[]'::jsonb, '2024-01-01', null, 'bench', now()
from (select parent_id, array_agg(id order by id) children from orgs where parent_id is not null group by parent_id) p, generate_series(1, 2) n
where array_length(children, 1) >= (n - 1) * 2 + 1`;

/**
 * Talks in 2026: 70% a discipline head's 约谈 of a leader of a child org, 20% a member's talk with a
 * portfolio unit's secretary, 10% collective talks attended by the child orgs.
 */
const TALKS_SQL = `
with kids as (select id, parent_id, row_number() over (order by id) rn from orgs where parent_id is not null),
n as (select count(*) c from kids)
insert into talks (id, org_id, kind, held_on, year, talker_person_id, talker, talked_to, talked_person_ids, attendee_org_ids, concerns, topics, problems, commitments, first_form_case_id, recorded_by, recorded_at)
select 't' || g, k.parent_id,
  case when g % 10 < 7 then 'individualInterview' when g % 10 < 9 then 'heartToHeart' else 'collectiveResponsibility' end,
  '2026-' || lpad((1 + g % 12)::text, 2, '0') || '-' || lpad((1 + g % 28)::text, 2, '0'), 2026,
  case when g % 10 < 7 then 'disciplineHead' || substr(k.parent_id, 2) when g % 10 < 9 then 'm1-' || k.parent_id else 'secretary' || substr(k.parent_id, 2) end,
  '{}'::jsonb, '[]'::jsonb,
  case when g % 10 < 9 then jsonb_build_array((case when g % 2 = 0 then 'secretary' else 'disciplineHead' end) || substr(k.id, 2)) else '[]'::jsonb end,
  case when g % 10 = 9 then jsonb_build_array(k.id) else '[]'::jsonb end,
  '[]'::jsonb, '["主体责任"]'::jsonb, '[]'::jsonb, '[]'::jsonb, null, 'bench', now()
from generate_series(1, $1::int) g cross join n
join kids k on k.rn = 1 + (g * 7919) % n.c`;

const DISPOSITIONS_SQL = `
insert into dispositions (id, case_id, review_id, person_id, person_name, rank, org_id, org_level, measure, form, decided_at, revoked_at)
select 'd' || g, 'c' || (g / 2), null, 'q' || (g % 3), null, 'staff', o.id, o.level, 'm', 1 + (g * 7) % 4,
  timestamptz '2026-01-01' + (g % 360) * interval '1 day', null
from generate_series(1, 100000) g join orgs o on o.id = 'o' || (1 + g % $1::int)`;

type Raw = { rawTransaction<T>(fn: (raw: { query(text: string, p?: unknown[]): Promise<unknown[]>; exec(text: string): Promise<void> }) => Promise<T>): Promise<T> };

async function fill(store: Store): Promise<void> {
  const t = Date.now();
  const driver = (store as unknown as { driver: Raw }).driver;
  await driver.rawTransaction((raw) => raw.query(ORGS_SQL, [ORGS]));
  await driver.rawTransaction((raw) => raw.query(POSTS_SQL, [ORGS]));
  await driver.rawTransaction((raw) => raw.query(MEMBERS_SQL));
  await driver.rawTransaction((raw) => raw.query(TALKS_SQL, [TALKS]));
  await driver.rawTransaction((raw) => raw.query(DISPOSITIONS_SQL, [ORGS]));
  await driver.rawTransaction((raw) => raw.exec('analyze'));
  const [{ posts }] = (await driver.rawTransaction((raw) => raw.query('select count(*)::int posts from responsibility_posts'))) as Array<{ posts: number }>;
  console.log(`${store.kind}: ${ORGS.toLocaleString()} orgs, ${posts.toLocaleString()} posts, ${TALKS.toLocaleString()} talks, 100,000 dispositions loaded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

async function time<T>(label: string, run: () => Promise<T>, describe: (r: T) => string): Promise<void> {
  const timed = await thrice(run);
  console.log(`  ${label.padEnd(40)} ${describe(timed.last).padStart(36)}  ${bestAndMedian(timed)}`);
}

const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

async function measure(store: Store): Promise<void> {
  const clock = () => new Date('2026-12-01T02:00:00Z');
  const deps = { store, clock, policy: { coverage: DEFAULT_COVERAGE_RULES } } as unknown as Deps;
  const user = (orgId: string) => ({ id: 'bench', name: 'bench', orgId, roles: ['commissionHead'], personId: null, createdAt: '' }) as User;
  const tree = await orgTree(store); // the tree is cached per store, as in the API
  console.log(`  load average before: ${load()}`);
  await time('  of which: reading the posts', () => store.duty.posts.list({ overlapping: { from: '2026-01-01', to: '2026-12-31' } }), (r) => `${r.length.toLocaleString()} posts`);
  await time('  of which: the year\'s obligations', () => loadObligations(store, tree, 2026, '2026-12-01', DEFAULT_COVERAGE_RULES), (r) => `${r.filter((o) => o.status === 'done').length.toLocaleString()} covered`);
  if (store.stats) await time('  of which: four forms', () => store.stats!.fourForms({ from: '2025-12-31T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' }), (r) => `${r.reduce((n, c) => n + c.n, 0).toLocaleString()} person-times`);
  await time('coverage view, whole province, 2026', () => coverageView(deps, user('o1'), { year: 2026 }), (r) => `${r.summary.total.toLocaleString()} obligations, ${r.summary.rate}% done`);
  await time('coverage view, one prefecture, 2026', () => coverageView(deps, user('o2'), { year: 2026 }), (r) => `${r.summary.total.toLocaleString()} obligations, ${r.summary.rate}% done`);
  await time('level report, whole province, 2026', () => levelReport(deps, user('o1'), { year: 2026 }), (r) => `${r.levels.map((l) => l.talks.rate ?? '-').join('/')} % talks`);
  console.log(`  load average after: ${load()}`);
}

async function main(): Promise<void> {
  if (PGLITE) {
    const store = await createStore({ dataDir: 'memory://', auditHash: 'sm3' });
    try {
      await fill(store);
      await measure(store);
    } finally {
      await store.close();
    }
    return;
  }
  const bench = await benchDatabase('bench_resp');
  if (!bench) return;
  const store = await createStore({ databaseUrl: bench.url, dataDir: '', auditHash: 'sm3' });
  try {
    await fill(store);
    await measure(store);
  } finally {
    await store.close();
    await bench.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
