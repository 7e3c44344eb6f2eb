/**
 * Commands/s and latency through HTTP for full case lifecycles, with 1, 8 and 32 concurrent
 * clients, on PGlite and on PostgreSQL (when 127.0.0.1:5432 answers). The server runs as its own
 * process from the build (`node dist/services/main.js`, compiled first when stale), API and workers,
 * as `npm start` runs it.
 *
 *   npx tsx bench/api.ts [--seconds 20] [--warmup 3] [--clients 1,8,32] [--stores pglite,postgres] [--prefill 0,100000] [--runs 1] [--no-peer] [--api-only] [--floor] [--profile]
 *
 * The peer, in the same run: bpmn-engine in memory behind node:http (bench/peer-server.mjs, its own
 * process, plain node), six-step lifecycles driven by the same clients; each run prints its steps/s and every
 * store's figure as a multiple of it. The load clients use node:http with keep-alive. `--runs N`
 * repeats everything (peer and stores) N times and ends with a table of all runs.
 *
 * `--floor` first measures, on each store's server, what a request costs with no command behind it:
 * GET /healthz and an authenticated GET /api/v1/orgs (requests/s, server CPU per request).
 * `--profile` starts the server with --cpu-prof; the .cpuprofile lands in bench/profiles/.
 * `--prefill N[,M…]` (or BENCH_PREFILL): one run per figure, each on a fresh store already holding N
 * closed deadlines and N audit heads (a commission with some years of cases), written
 * before the server starts. Default 0 (an empty store).
 *
 * Besides commands/s and latency each run prints the CPU per command (or per step) of the server
 * (or the peer), of the load clients (this process) and, on PostgreSQL, of the database: the CPU
 * time of its client backends (utime + stime of /proc/<pid>/stat, sampled every 500 ms so a backend
 * that ends mid-run still counts up to its last sample), and when pg_stat_statements is loaded also
 * its total_exec_time (wall time in the executor).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPglite, openPostgres, type SqlDriver } from '../services/store/sql/driver';
import { loadMigrations, migrate } from '../services/store/sql/migrate';
import { arg, benchDatabase, call, loadPeer, quantile, removeQueues, root, startPeer, startServer, type Server } from './lib/harness';

const SECONDS = Number(arg('seconds', '20'));
const CLIENTS = arg('clients', '1,8,32').split(',').map(Number);
const STORES = arg('stores', 'pglite,postgres').split(',');
const PROFILE = process.argv.includes('--profile');
const PREFILL = arg('prefill', process.env.BENCH_PREFILL ?? '0').split(',').map(Number);
const WARMUP = Number(arg('warmup', '3'));
const RUNS = Number(arg('runs', '1'));
const PEER = !process.argv.includes('--no-peer');
/** API alone (`--api-only`): no workers and no relay in the server, to show what they cost under load. */
const API_ONLY = process.argv.includes('--api-only');
/** `--floor`: first, what a request costs with no command behind it (GET /healthz, an authenticated GET). */
const FLOOR = process.argv.includes('--floor');

interface Figure {
  run: number;
  store: string;
  clients: number;
  perSecond: number;
  p99: number;
}
const figures: Figure[] = [];

/**
 * Writes `n` closed deadlines and `n` audit heads into a fresh store (migrated here first), as a
 * commission's past cases leave them, then ANALYZE (what autovacuum would have done by then). The
 * heads have no events behind them: `verifyAudit` would report them, nothing in the run reads them.
 */
async function prefill(driver: SqlDriver, n: number): Promise<void> {
  try {
    await migrate(driver, await loadMigrations());
    if (n <= 0) return;
    await driver.rawTransaction(async (raw) => {
      await raw.exec(`insert into deadlines (id, aggregate_type, aggregate_id, org_id, key, opened_at, due_at, steps, status, escalation, calendar_uncertain, closed_at)
        select 'prefill-dl-' || i, 'case', 'prefill-case-' || (i / 3), 'county', 'clue.disposition',
          t, t + interval '30 days', jsonb_build_object('warning', to_char(t + interval '27 days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
          'met', 'none', false, t + interval '12 days'
        from generate_series(1, ${n}) i, lateral (select timestamptz '2021-01-01 00:00Z' + i * interval '15 minutes' as t) at`);
      await raw.exec(`insert into audit_heads (stream, seq, hash)
        select 'case:prefill-case-' || i, 14, encode(sha256(i::text::bytea), 'hex') from generate_series(1, ${n}) i`);
    });
    await driver.rawTransaction((raw) => raw.exec('analyze deadlines; analyze audit_heads'));
  } finally {
    await driver.close();
  }
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU of a process in ms (null when it has ended or /proc cannot be read). */
function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

/** CPU ms this process (the load clients) used since `from` (a `process.cpuUsage()`). */
function cpuSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

/**
 * CPU used by a changing set of processes during a run. Sampled every 500 ms: a process seen for
 * the first time counts from zero (a connection opened mid-run), one that ended counts up to its
 * last sample.
 */
class CpuMeter {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private sampling: Promise<void> = Promise.resolve();

  constructor(private readonly pids: () => Promise<number[]>) {}

  async start(): Promise<void> {
    for (const pid of await this.pids()) {
      const ms = cpuMs(pid);
      if (ms !== null) this.first.set(pid, ms);
    }
    this.timer = setInterval(() => {
      this.sampling = this.sample();
    }, 500);
  }

  private async sample(): Promise<void> {
    for (const pid of await this.pids().catch(() => [])) {
      const ms = cpuMs(pid);
      if (ms === null) continue;
      if (!this.first.has(pid)) this.first.set(pid, 0);
      this.last.set(pid, ms);
    }
  }

  /** CPU ms used since start. */
  async stop(): Promise<number> {
    if (this.timer) clearInterval(this.timer);
    await this.sampling;
    await this.sample();
    let total = 0;
    for (const [pid, from] of this.first) total += (this.last.get(pid) ?? from) - from;
    return total;
  }
}

/** How the database's own time is measured on PostgreSQL. */
interface PgMeter {
  backends: CpuMeter;
  /** pg_stat_statements' total_exec_time since the last reset, when the module is loaded. */
  execMs: (() => Promise<number>) | null;
  reset(): Promise<void>;
}

async function pgMeter(admin: pg.Client, url: string, db: string): Promise<PgMeter> {
  const backends = new CpuMeter(async () =>
    (await admin.query(`select pid from pg_stat_activity where datname = $1 and backend_type = 'client backend'`, [db])).rows.map((r) => Number(r.pid)),
  );
  const { rows } = await admin.query(`select setting from pg_settings where name = 'shared_preload_libraries'`);
  if (!String(rows[0]?.setting ?? '').includes('pg_stat_statements')) return { backends, execMs: null, reset: async () => undefined };
  const own = new pg.Client({ connectionString: url });
  await own.connect();
  await own.query('create extension if not exists pg_stat_statements');
  await own.end();
  const dbid = `(select oid from pg_database where datname = '${db}')`;
  return {
    backends,
    execMs: async () => Number((await admin.query(`select coalesce(sum(total_exec_time), 0) as ms from pg_stat_statements where dbid = ${dbid}`)).rows[0].ms),
    reset: async () => void (await admin.query(`select pg_stat_statements_reset(0, ${dbid}, 0)`)),
  };
}

const ORGS = [{ id: 'county', name: '云溪县', level: 'county', parentId: 'root', partyCommittee: '中共云溪县委', disciplineBody: '云溪县纪委监委' }, { id: 'town-a', name: '东岭镇', level: 'township', parentId: 'county' }];
const USERS: Array<[string, string[]]> = [
  ['registrar1', ['registrar']], ['manager1', ['caseManager']], ['inspector1', ['inspector']], ['reviewer1', ['trialReviewer']], ['reviewer2', ['trialReviewer']],
  ['supervisor1', ['supervisor']], ['head1', ['commissionHead']], ['secretary1', ['partySecretary']], ['committee1', ['standingCommittee']],
];

async function setUp(base: string): Promise<Record<string, string>> {
  const token = async (userId: string) => (await call(base, 'POST', '/api/v1/auth/dev-token', null, { userId })).json.token as string;
  const admin = await token('admin');
  for (const o of ORGS) await call(base, 'POST', '/api/v1/orgs', admin, o);
  for (const [id, roles] of USERS) await call(base, 'POST', '/api/v1/users', admin, { id, name: id, orgId: 'county', roles });
  const tokens: Record<string, string> = {};
  for (const [id] of USERS) tokens[id] = await token(id);
  return tokens;
}

const measures = (p: string) => [{ personId: p, measure: 'partyWarning' }];
/** A full lifecycle: clue → verification → filing → trial → decision → execution → closed (14 commands). */
function lifecycle(personId: string): Array<[string, Record<string, unknown>]> {
  const meeting = { ref: 'bench', attendees: ['committee1'], dissent: [] };
  return [
    ['manager1', { type: 'assign', inspectorIds: ['inspector1'] }],
    ['inspector1', { type: 'proposeDisposition', method: 'preliminaryVerification', reason: '初核' }],
    ['head1', { type: 'approve' }],
    ['inspector1', { type: 'submitVerificationReport', recommendation: 'file', findings: '属实' }],
    ['head1', { type: 'approve' }],
    ['secretary1', { type: 'approve' }],
    ['inspector1', { type: 'submitInvestigationReport', findings: '查明', proposedMeasures: measures(personId) }],
    ['supervisor1', { type: 'assignTrialReviewers', userIds: ['reviewer1', 'reviewer2'] }],
    ['reviewer1', { type: 'proposeDecision', measures: measures(personId), judicialTransfer: false, reason: '审理' }],
    ['head1', { type: 'approve' }],
    ['committee1', { type: 'approve', meeting }],
    ['inspector1', { type: 'recordExecution', note: '执行' }],
    ['manager1', { type: 'close', note: '结案' }],
  ];
}

async function run(server: Server, tokens: Record<string, string>, clients: number, pgm: PgMeter | null, label: { run: number; store: string }): Promise<void> {
  if (WARMUP > 0) await drive(server, tokens, clients, WARMUP, `w${label.run}`);
  const serverCpu = new CpuMeter(async () => [server.child.pid!]);
  await serverCpu.start();
  await pgm?.reset();
  await pgm?.backends.start();
  const clientCpu = process.cpuUsage();
  const t0 = Date.now();
  const { latencies, errors, lifecycles } = await drive(server, tokens, clients, SECONDS, `r${label.run}`);
  const secs = (Date.now() - t0) / 1000;
  const perCommand = (ms: number) => (ms / Math.max(1, latencies.length)).toFixed(2);
  const cpu = [`server CPU ${perCommand(await serverCpu.stop())} ms/command`];
  if (pgm) cpu.push(`PostgreSQL CPU ${perCommand(await pgm.backends.stop())} ms/command (backends' /proc stat)`);
  cpu.push(`load client CPU ${perCommand(cpuSince(clientCpu))} ms/command`);
  if (pgm?.execMs) cpu.push(`PostgreSQL exec ${perCommand(await pgm.execMs())} ms/command (pg_stat_statements total_exec_time)`);
  latencies.sort((a, b) => a - b);
  const q = (p: number) => (quantile(latencies, p) as number | undefined)?.toFixed(1);
  const perSecond = latencies.length / secs;
  figures.push({ ...label, clients, perSecond, p99: quantile(latencies, 0.99) ?? NaN });
  const peer = figures.find((f) => f.run === label.run && f.store === 'peer' && f.clients === clients);
  console.log(
    `  ${String(clients).padStart(2)} clients: ${perSecond.toFixed(0).padStart(5)} commands/s${peer ? ` (${(perSecond / peer.perSecond).toFixed(2)}× the peer)` : ''}, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, ` +
      `${lifecycles} lifecycles, ${errors} errors; ${cpu.join(', ')}`,
  );
}

/**
 * The floor under every command: requests/s and the server's CPU per request for GET /healthz (the
 * whole middleware chain, no auth, no store) and GET /api/v1/orgs (a verified token and the cached
 * org tree), with `clients` clients for SECONDS after the warm-up.
 */
async function floor(server: Server, tokens: Record<string, string>, clients: number): Promise<void> {
  const requests: Array<[string, string, string | null]> = [['GET /healthz', '/healthz', null], ['GET /api/v1/orgs', '/api/v1/orgs', tokens.registrar1]];
  for (const [label, url, token] of requests) {
    const load = async (seconds: number) => {
      const until = Date.now() + seconds * 1000;
      let n = 0;
      await Promise.all(
        Array.from({ length: clients }, async () => {
          for (; Date.now() < until; n++) await call(server.base, 'GET', url, token);
        }),
      );
      return n;
    };
    if (WARMUP > 0) await load(WARMUP);
    const serverCpu = new CpuMeter(async () => [server.child.pid!]);
    await serverCpu.start();
    const t0 = Date.now();
    const n = await load(SECONDS);
    const secs = (Date.now() - t0) / 1000;
    console.log(`  floor, ${String(clients).padStart(2)} clients, ${label}: ${(n / secs).toFixed(0)} requests/s, server CPU ${((await serverCpu.stop()) / Math.max(1, n)).toFixed(2)} ms/request`);
  }
}

/** `clients` concurrent lifecycles for `seconds`. */
async function drive(server: Server, tokens: Record<string, string>, clients: number, seconds: number, tag: string) {
  const { base } = server;
  const latencies: number[] = [];
  let errors = 0;
  let lifecycles = 0;
  const until = Date.now() + seconds * 1000;
  const timed = async (fn: () => Promise<{ status: number; json: any }>, expect: number) => {
    const t = process.hrtime.bigint();
    const r = await fn();
    latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== expect) errors++;
    return r;
  };
  const client = async (c: number) => {
    for (let n = 0; Date.now() < until; n++) {
      const personId = `p-${tag}-${clients}-${c}-${n}`;
      const created = await timed(
        () =>
          call(base, 'POST', '/api/v1/cases', tokens.registrar1, {
            title: `压测案件 ${tag}-${c}-${n}`, orgId: 'county', source: 'petition', receivedAt: new Date().toISOString().slice(0, 10),
            subjects: [{ name: `某${n}`, personId, position: '干部', rank: 'staff', orgId: 'town-a', partyMember: true }],
            allegations: [{ category: 'integrity', summary: '收受礼金' }],
          }),
        201,
      );
      if (created.status !== 201) continue;
      for (const [user, body] of lifecycle(personId)) {
        const r = await timed(() => call(base, 'POST', `/api/v1/cases/${created.json.id}/commands`, tokens[user], body), 200);
        if (r.status !== 200) break;
      }
      lifecycles++;
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  return { latencies, errors, lifecycles };
}

async function peerRuns(runNo: number): Promise<void> {
  const peer = await startPeer();
  try {
    console.log(`peer: bpmn-engine 25 in memory behind node:http, six-step lifecycles, state saved after each step, ${SECONDS} s per run after ${WARMUP} s warm-up`);
    for (const clients of CLIENTS) {
      if (WARMUP > 0) await loadPeer(peer.base, clients, WARMUP);
      const peerCpu = new CpuMeter(async () => [peer.pid]);
      await peerCpu.start();
      const clientCpu = process.cpuUsage();
      const r = await loadPeer(peer.base, clients, SECONDS);
      const steps = Math.max(1, r.steps);
      const cpu = `peer CPU ${((await peerCpu.stop()) / steps).toFixed(2)} ms/step, load client CPU ${(cpuSince(clientCpu) / steps).toFixed(2)} ms/step`;
      figures.push({ run: runNo, store: 'peer', clients, perSecond: r.perSecond, p99: r.p99 });
      console.log(`  ${String(clients).padStart(2)} clients: ${r.perSecond.toFixed(0).padStart(5)} steps/s, p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors; ${cpu}`);
    }
  } finally {
    await peer.stop();
  }
}

function summary(): void {
  if (RUNS < 2 && !PEER) return;
  console.log('\nall runs (commands or steps/s, p99 ms, multiple of the peer in the same run):');
  for (const f of figures) {
    const peer = figures.find((p) => p.run === f.run && p.store === 'peer' && p.clients === f.clients);
    const times = f.store !== 'peer' && peer ? ` ${(f.perSecond / peer.perSecond).toFixed(2)}×` : '';
    console.log(`  run ${f.run} ${f.store.padEnd(8)} C=${String(f.clients).padEnd(2)} ${f.perSecond.toFixed(0).padStart(5)}/s p99 ${f.p99.toFixed(1).padStart(6)}${times}`);
  }
}

async function main(): Promise<void> {
  if (PROFILE) mkdirSync(path.join(root, 'bench', 'profiles'), { recursive: true });
  for (let runNo = 1; runNo <= RUNS; runNo++) {
    if (RUNS > 1) console.log(`\n— run ${runNo} of ${RUNS}`);
    if (PEER) await peerRuns(runNo);
    await storeRuns(runNo);
  }
  summary();
}

async function storeRuns(runNo: number): Promise<void> {
  for (const store of STORES) {
    for (const rows of PREFILL) {
      let env: Record<string, string>;
      let cleanup: () => Promise<void>;
      let pgm: PgMeter | null = null;
      if (store === 'postgres') {
        const bench = await benchDatabase('bench_api');
        if (!bench) break;
        const { admin, url, db } = bench;
        env = { DATABASE_URL: url };
        cleanup = bench.drop;
        try {
          await prefill(openPostgres(url, 1), rows);
          pgm = await pgMeter(admin, url, db);
        } catch (err) {
          await cleanup();
          throw err;
        }
      } else {
        const dir = mkdtempSync(path.join(tmpdir(), 'bench-api-'));
        env = { DATA_DIR: dir };
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
        await prefill(await openPglite(dir), rows);
      }
      const server = await startServer({ env, apiOnly: API_ONLY, nodeArgs: PROFILE ? ['--cpu-prof', '--cpu-prof-dir', path.join(root, 'bench', 'profiles')] : [] });
      try {
        const tokens = await setUp(server.base);
        const filled = rows > 0 ? `${rows.toLocaleString('en')} deadlines and audit heads already stored` : 'empty store';
        console.log(`${store}: full case lifecycles through HTTP, ${SECONDS} s per run, ${filled}`);
        if (FLOOR) for (const clients of CLIENTS) await floor(server, tokens, clients);
        for (const clients of CLIENTS) await run(server, tokens, clients, pgm, { run: runNo, store });
      } finally {
        await server.stop();
        await cleanup();
        await removeQueues(server.prefix);
      }
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
