/**
 * A case list of 10,000 cases pages in ≤ 200 ms at the API. For each store (PGlite, and
 * PostgreSQL on 127.0.0.1:5432 in a database of its own, dropped at the end):
 *
 *  1. the server (its own process, `node dist/services/main.js` as `npm start` runs it) starts on
 *     a fresh store; orgs and users are created and six template cases are driven through HTTP into
 *     the states of a commission's ledger (registered, assigned, 谈话函询 awaiting the reply, 初核,
 *     立案审查调查, closed), with their real snapshots and clocks; the server stops;
 *  2. this process clones the templates in SQL into 10,000 cases (templates included) across an org
 *     tree (a county, 20 townships, 200 villages; a quarter of the cases handled by a township's
 *     commission), with their deadlines (one in ten running clocks overdue), then ANALYZE;
 *  3. the server starts again (API only: no worker competes) and the load client here pages through
 *     `GET /api/v1/cases` as the county's commission head with several filter sets, and prints
 *     p50 / p95 / max per query against the 200 ms budget. The whole-ledger download (XLSX of every
 *     case, not a page) is timed once, for information: it has no page budget.
 *
 *   npx tsx bench/list.ts [--cases 10000] [--requests 40] [--stores pglite,postgres] [--keep]
 *
 * `--keep` fills the stores and keeps them (printing DATA_DIR / DATABASE_URL) instead of measuring:
 * to EXPLAIN the list's queries by hand; drop the database or remove the directory afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPglite, openPostgres, type SqlDriver } from '../services/store/sql/driver';
import { arg, benchDatabase, call, quantile, removeQueues, startServer } from './lib/harness';

const CASES = Number(arg('cases', '10000'));
const REQUESTS = Number(arg('requests', '40'));
const STORES = arg('stores', 'pglite,postgres').split(',');
/** Keeps the filled store (and prints where) instead of measuring and removing it: for EXPLAIN. */
const KEEP = process.argv.includes('--keep');
const BUDGET_MS = 200;
const PAGE_SIZE = 20;

const USERS: Array<[string, string, string[]]> = [
  ['registrar1', '林晓梅', ['registrar']], ['manager1', '赵立新', ['caseManager']], ['inspector1', '王建国', ['inspector']], ['inspector2', '陈静', ['inspector']],
  ['reviewer1', '刘洋', ['trialReviewer']], ['reviewer2', '孙丽', ['trialReviewer']], ['supervisor1', '周强', ['supervisor']], ['head1', '吴正', ['commissionHead']],
  ['secretary1', '郑国栋', ['partySecretary']], ['committee1', '黄敏', ['standingCommittee']],
];

/** Step 1: orgs, users and the template cases through HTTP; returns the templates' ids. */
async function templates(base: string): Promise<string[]> {
  const token = async (userId: string) => (await call(base, 'POST', '/api/v1/auth/dev-token', null, { userId })).json.token as string;
  const admin = await token('admin');
  const ok = (r: { status: number; json: any }, what: string) => {
    if (r.status >= 300) throw new Error(`${what} → ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  };
  ok(await call(base, 'POST', '/api/v1/orgs', admin, { id: 'county', name: '云溪县', level: 'county', parentId: 'root', partyCommittee: '中共云溪县委', disciplineBody: '云溪县纪委监委' }), 'county');
  ok(await call(base, 'POST', '/api/v1/orgs', admin, { id: 't0', name: '第0镇', level: 'township', parentId: 'county', disciplineBody: '第0镇纪委' }), 't0');
  for (const [id, name, roles] of USERS) ok(await call(base, 'POST', '/api/v1/users', admin, { id, name, orgId: 'county', roles }), id);
  const tokens: Record<string, string> = {};
  for (const [id] of USERS) tokens[id] = await token(id);
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const measures = [{ personId: 'p-0', measure: 'partyWarning' }];
  const meeting = { ref: 'bench', attendees: ['committee1'], dissent: [] };
  const assign: Step = ['manager1', { type: 'assign', inspectorIds: ['inspector1'] }];
  type Step = [string, Record<string, unknown>];
  const verification: Step[] = [assign, ['inspector1', { type: 'proposeDisposition', method: 'preliminaryVerification', reason: '初核' }], ['head1', { type: 'approve' }]];
  const investigation: Step[] = [...verification, ['inspector1', { type: 'submitVerificationReport', recommendation: 'file', findings: '属实' }], ['head1', { type: 'approve' }], ['secretary1', { type: 'approve' }]];
  const routes: Step[][] = [
    [],
    [assign],
    [assign, ['inspector1', { type: 'proposeDisposition', method: 'talkInquiry', reason: '函询' }], ['supervisor1', { type: 'approve' }]],
    verification,
    investigation,
    [
      ...investigation,
      ['inspector1', { type: 'submitInvestigationReport', findings: '查明', proposedMeasures: measures }],
      ['supervisor1', { type: 'assignTrialReviewers', userIds: ['reviewer1', 'reviewer2'] }],
      ['reviewer1', { type: 'proposeDecision', measures, judicialTransfer: false, reason: '审理' }],
      ['head1', { type: 'approve' }],
      ['committee1', { type: 'approve', meeting }],
      ['inspector1', { type: 'recordExecution', note: '执行' }],
      ['manager1', { type: 'close', note: '结案' }],
    ],
  ];
  const ids: string[] = [];
  for (const [i, steps] of routes.entries()) {
    const created = ok(
      await call(base, 'POST', '/api/v1/cases', tokens.registrar1, {
        title: `反映某干部违规收受礼金问题（样板${i}）`, orgId: 't0', source: 'petition', receivedAt: today,
        subjects: [{ name: '某干部', personId: 'p-0', position: '干部', rank: 'staff', orgId: 't0', partyMember: true }],
        allegations: [{ category: 'integrity', summary: '收受礼金' }],
        reporter: { name: '张举报', contact: '13800000000', realName: true },
      }),
      'register',
    );
    for (const [user, body] of steps) ok(await call(base, 'POST', `/api/v1/cases/${created.id}/commands`, tokens[user], body), `${String(body.type)} by ${user}`);
    ids.push(created.id as string);
  }
  return ids;
}

/**
 * Step 2: the templates cloned into CASES cases over an org tree, with their deadlines. Case g takes
 * template g mod 6, unit (所涉单位) village v(g mod 200) of township t(v mod 20); one case in four is
 * handled by that township's commission, the others by the county's. One in seven is assigned to
 * inspector2; one in ten running clocks is overdue. Updated one minute apart (the list's order).
 */
async function clone(driver: SqlDriver, templateIds: string[]): Promise<void> {
  const n = CASES - templateIds.length;
  const ids = `array[${templateIds.map((id) => `'${id}'`).join(',')}]`;
  try {
    await driver.rawTransaction(async (raw) => {
      await raw.exec(`
        insert into orgs (id, name, level, parent_id, discipline_body, created_at)
          select 't' || i, '第' || i || '镇', 'township', 'county', '第' || i || '镇纪委', now() from generate_series(1, 19) i;
        insert into orgs (id, name, level, parent_id, created_at)
          select 'v' || i, '第' || (i % 20) || '镇第' || i || '村', 'village', 't' || (i % 20), now() from generate_series(0, 199) i;
        create temporary table templates as
          select c.*, k - 1 as k from cases c join unnest(${ids}) with ordinality as u(id, k) on u.id = c.id;
        insert into cases (id, org_id, machine_id, machine_version, snapshot, state, version, created_at, updated_at, number, title, dual_state, assignees, flags, search_text, reporter_sealed, data)
          select 'bench-' || g,
            case when g % 4 = 0 then 't' || ((g % 200) % 20) else 'county' end,
            t.machine_id, t.machine_version, t.snapshot, t.state, t.version,
            t.created_at - g * interval '1 minute', t.updated_at - g * interval '1 minute',
            'county-2025-' || lpad(g::text, 5, '0'),
            '反映第' || g || '号问题线索 ' || t.title,
            t.dual_state,
            case when g % 7 = 0 then '["inspector2"]'::jsonb else t.assignees end,
            t.flags,
            lower('反映第' || g || '号问题线索 ' || t.search_text),
            t.reporter_sealed,
            jsonb_set(t.data, '{orgId}', to_jsonb('v' || (g % 200)))
          from generate_series(1, ${n}) g join templates t on t.k = g % ${templateIds.length};
        insert into deadlines (id, aggregate_type, aggregate_id, org_id, key, opened_at, due_at, steps, status, escalation, calendar_uncertain, closed_at)
          select 'bench-dl-' || g || '-' || d.id, 'case', 'bench-' || g, d.org_id, d.key, d.opened_at, d.due_at, d.steps,
            case when d.status = 'open' and g % 10 = 0 then 'overdue' else d.status end,
            case when d.status = 'open' and g % 10 = 0 then 'overdue' else d.escalation end,
            d.calendar_uncertain, d.closed_at
          from generate_series(1, ${n}) g join templates t on t.k = g % ${templateIds.length}
          join deadlines d on d.aggregate_type = 'case' and d.aggregate_id = t.id;
        drop table templates;`);
    });
    await driver.rawTransaction((raw) => raw.exec('analyze cases; analyze deadlines; analyze orgs'));
    const [{ cases, deadlines }] = await driver.rawTransaction((raw) =>
      raw.query<{ cases: number; deadlines: number }>(`select (select count(*) from cases)::int as cases, (select count(*) from deadlines)::int as deadlines`),
    );
    console.log(`  ${cases.toLocaleString('en')} cases and ${deadlines.toLocaleString('en')} deadlines stored over 221 orgs`);
  } finally {
    await driver.close();
  }
}


/** Step 3: paging through the list with each filter set, as the county's commission head. */
async function measure(base: string): Promise<boolean> {
  const token = (await call(base, 'POST', '/api/v1/auth/dev-token', null, { userId: 'head1' })).json.token as string;
  const list = async (query: string) => {
    const t = process.hrtime.bigint();
    const res = await fetch(`${base}/api/v1/cases?${query}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    const json = (await res.json()) as { total: number; items: unknown[] };
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (res.status !== 200) throw new Error(`GET /cases?${query} → ${res.status} ${JSON.stringify(json)}`);
    return { ms, total: json.total, items: json.items.length };
  };
  const total = (await list(`pageSize=${PAGE_SIZE}`)).total;
  const last = Math.ceil(total / PAGE_SIZE);
  const sets: Array<[string, string, 'pages' | 'last']> = [
    ['no filter', '', 'pages'],
    ['state (立案审查调查)', 'state=investigation', 'pages'],
    ['org subtree (one township)', 'orgId=t3', 'pages'],
    ['overdue', 'overdue=true', 'pages'],
    ['assignee', 'assignee=inspector2', 'pages'],
    ['text (q)', 'q=%E7%AC%AC12', 'pages'], // 第12: the cases 12, 120–129, 1200–1299 …
    ['state + org + text', 'state=registered&orgId=t5&q=%E7%A4%BC%E9%87%91', 'pages'], // 礼金
    ['last page, no filter', '', 'last'],
  ];
  let within = true;
  console.log(`  GET /api/v1/cases as the county's commission head, pageSize ${PAGE_SIZE}, ${REQUESTS} requests per query (budget ${BUDGET_MS} ms):`);
  console.log(`    ${'query'.padEnd(30)} ${'matches'.padStart(7)}  ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'max'.padStart(7)}`);
  for (const [label, query, mode] of sets) {
    const sep = query ? `${query}&` : '';
    const first = await list(`${sep}pageSize=${PAGE_SIZE}`);
    const pages = Math.max(1, Math.ceil(first.total / PAGE_SIZE));
    // Warm-up (plans, caches), then page through: pages 1, 2, … (wrapping), or the last page each time.
    for (let i = 0; i < 3; i++) await list(`${sep}pageSize=${PAGE_SIZE}&page=${mode === 'last' ? last : 1 + i % pages}`);
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const page = mode === 'last' ? last : 1 + (i % pages);
      const r = await list(`${sep}pageSize=${PAGE_SIZE}&page=${page}`);
      if (r.items !== Math.min(PAGE_SIZE, r.total - (page - 1) * PAGE_SIZE)) throw new Error(`${label}: page ${page} has ${r.items} items of ${r.total}`);
      times.push(r.ms);
    }
    times.sort((a, b) => a - b);
    const [p50, p95, max] = [quantile(times, 0.5), quantile(times, 0.95), times[times.length - 1]];
    const verdict = p95 <= BUDGET_MS ? 'ok' : 'OVER BUDGET';
    if (p95 > BUDGET_MS) within = false;
    console.log(`    ${label.padEnd(30)} ${String(first.total).padStart(7)}  ${p50.toFixed(1).padStart(7)} ${p95.toFixed(1).padStart(7)} ${max.toFixed(1).padStart(7)}  ms  ${verdict}`);
  }
  const t = process.hrtime.bigint();
  const xlsx = await fetch(`${base}/api/v1/cases?format=xlsx`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = (await xlsx.arrayBuffer()).byteLength;
  console.log(`  whole ledger as XLSX (every case, not a page; no page budget): ${xlsx.status}, ${(bytes / 1024).toFixed(0)} KB in ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(0)} ms`);
  return within;
}

async function main(): Promise<void> {
  let allWithin = true;
  for (const store of STORES) {
    let env: Record<string, string>;
    let open: () => Promise<SqlDriver>;
    /** Removes the store (the database, the directory); `release` lets go of it without removing it (--keep). */
    let remove: () => Promise<void>;
    let release: () => Promise<void> = async () => undefined;
    if (store === 'postgres') {
      const bench = await benchDatabase('bench_list');
      if (!bench) continue;
      const url = bench.url;
      env = { DATABASE_URL: url };
      open = async () => openPostgres(url, 1);
      remove = bench.drop;
      release = bench.release;
    } else {
      const dir = mkdtempSync(path.join(tmpdir(), 'bench-list-'));
      env = { DATA_DIR: dir };
      open = () => openPglite(dir);
      remove = async () => rmSync(dir, { recursive: true, force: true });
    }
    const prefix = `bench${randomBytes(3).toString('hex')}`;
    let keep = false;
    try {
      console.log(`${store}: ${CASES.toLocaleString('en')} cases`);
      const t0 = Date.now();
      const setUp = await startServer({ env, prefix });
      let ids: string[];
      try {
        ids = await templates(setUp.base);
      } finally {
        await setUp.stop();
      }
      await clone(await open(), ids);
      console.log(`  filled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (KEEP) {
        keep = true;
        console.log(`  kept: ${JSON.stringify(env)}`);
        continue;
      }
      const server = await startServer({ env, prefix, apiOnly: true });
      try {
        allWithin = (await measure(server.base)) && allWithin;
      } finally {
        await server.stop();
      }
    } finally {
      await (keep ? release() : remove());
      await removeQueues(prefix);
    }
  }
  if (!KEEP) console.log(allWithin ? `every query within ${BUDGET_MS} ms at p95` : `some queries over ${BUDGET_MS} ms at p95`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
