/**
 * 一案双查 latency benchmark: the time from the commit of a triggering approval (filing approved on a
 * major case) to both reviews stored and reported to the case, i.e. the second `openReview` job of
 * the case completed — while 32 clients keep sending other commands (`assign` on cases of their
 * own) in a loop. API, relay and workers run in this process (`startSystem`), the HTTP API on an
 * ephemeral port; the store is PGlite in memory and, when 127.0.0.1:5432 answers, a fresh
 * PostgreSQL database dropped afterwards. Redis db 5 under a prefix of its own, removed at the end.
 * Target: p99 ≤ 500 ms.
 *
 *   npx tsx bench/reviews.ts [--cases 50] [--clients 32] [--think 0] [--gap 200] [--store pglite|postgres|both] [--load thread|inline] [--pool 8] [--warmup 3]
 *
 * Triggers go one after another (each waits for its two reviews, then `gap` ms): 一案双查 triggers
 * are rare, the 32 clients are the load. Each latency is split into relay lag (commit → job in
 * Redis), queue wait and processing, from the jobs' own timestamps. The per-user command rate limit
 * is lifted (the bench measures the engine, not the limiter). By default the clients send without
 * pause (the process is saturated); `--think ms` paces them; `--clients 0` gives the idle figure.
 * The clients run in a worker thread of their own (bench/load-thread.ts), as clients on other
 * machines would; `--load inline` runs them on the server's own event loop instead, which then
 * does the clients' work too (how this benchmark ran at first). The first `--warmup`
 * triggers are the process's first 一案双查 (code paths not yet compiled): shown, not counted.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../config/schema';
import { seedOrgChart } from '../services/demo/seed';
import { redisConnection } from '../services/redis/connection';
import { createStore, DEFAULT_POOL_SIZE, PGLITE_MEMORY, type Store } from '../services/store';
import { closeServer, startSystem, type System } from '../composition/system';
import { closeQueues, createQueues } from '../workers';
import type { LoadInput, LoadResult } from './load-thread';

const REDIS_URL = 'redis://127.0.0.1:6379/5';
const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '50' },
    clients: { type: 'string', default: '32' },
    gap: { type: 'string', default: '200' },
    think: { type: 'string', default: '0' },
    store: { type: 'string', default: 'both' },
    load: { type: 'string', default: 'thread' },
    pool: { type: 'string', default: String(DEFAULT_POOL_SIZE) },
    warmup: { type: 'string', default: '3' },
  },
});

/** Epoch ms of one openReview job: added to Redis, started, completed. */
interface Phases {
  added: number;
  started: number;
  finished: number;
}

interface Sample {
  /** When the approval's transaction committed: its outbox rows were handed to the relay. */
  committed: number;
  /** The approval's `updatedAt`: taken as its transaction began (before any wait for a connection). */
  began: number;
  answered: number;
  jobs: Phases[];
}

interface Opened {
  store: Store;
  label: string;
  drop: () => Promise<void>;
}

async function openPglite(): Promise<Opened> {
  return { store: await createStore({ dataDir: PGLITE_MEMORY, auditHash: 'sm3' }), label: 'PGlite (in memory)', drop: async () => {} };
}

/** A fresh database on the local PostgreSQL, or null when nothing answers there. */
async function openPostgres(): Promise<Opened | null> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 1000 });
  if (!(await admin.connect().then(() => true, () => false))) return null;
  const name = `bench_reviews_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const store = await createStore({ databaseUrl: url.toString(), dataDir: '', auditHash: 'sm3', poolSize: Number(args.pool) });
  const drop = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  return { store, label: `PostgreSQL (database ${name})`, drop };
}

/** A JSON client of the running API, one bearer token per user. */
class Client {
  readonly tokens = new Map<string, string>();
  constructor(readonly base: string) {}

  async login(userIds: string[]): Promise<void> {
    for (const userId of userIds) this.tokens.set(userId, (await this.send('POST', '/api/v1/auth/dev-token', undefined, { userId })).token);
  }

  async send(method: 'GET' | 'POST', path: string, userId?: string, body?: object): Promise<any> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (userId) headers.authorization = `Bearer ${this.tokens.get(userId)}`;
    const res = await fetch(this.base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path} as ${userId} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  command(caseId: string, userId: string, body: object): Promise<any> {
    return this.send('POST', `/api/v1/cases/${caseId}/commands`, userId, body);
  }
}

const CLUE = {
  title: '某镇干部违规收受礼金问题',
  orgId: 'county',
  source: 'petition',
  receivedAt: '2026-11-02',
  subjects: [{ name: '李某某', personId: 'p-li', position: '东岭镇党委副书记', rank: 'townshipDeputy', orgId: 'town-a', partyMember: true }],
  allegations: [{ category: 'integrity', summary: '逢年过节收受管理服务对象礼金' }],
  reporter: { name: '张举报', contact: '13800000000', realName: true },
};

/** A major case whose filing awaits only the party secretary's approval (the trigger). */
async function caseAwaitingFiling(api: Client): Promise<string> {
  const { id } = await api.send('POST', '/api/v1/cases', 'registrar1', { ...CLUE, major: true });
  await api.command(id, 'manager1', { type: 'assign', inspectorIds: ['inspector1'] });
  await api.command(id, 'inspector1', { type: 'proposeDisposition', method: 'preliminaryVerification', reason: '可查性强' });
  await api.command(id, 'head1', { type: 'approve', comment: '同意初核' });
  await api.command(id, 'inspector1', { type: 'submitVerificationReport', recommendation: 'file', findings: '初核属实' });
  await api.command(id, 'head1', { type: 'approve', comment: '拟同意立案' });
  return id;
}

async function inParallel<T>(count: number, lanes: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, async () => {
    while (next < count) {
      const i = next++;
      out[i] = await fn(i);
    }
  }));
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const summary = (xs: number[]) => {
  if (xs.length === 0) return 'none';
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(0)} ms, p99 ${percentile(s, 99).toFixed(0)} ms, max ${(s.at(-1) ?? NaN).toFixed(0)} ms`;
};

interface Load {
  stop(): Promise<LoadResult>;
}

/** One client per case, each re-assigning its case in a loop (`think` ms between commands) until `stop()`. */
async function startLoad(api: Client, caseIds: string[], think: number): Promise<Load> {
  if (args.load === 'inline') return startInlineLoad(api, caseIds, think);
  const input: LoadInput = { base: api.base, tokens: Object.fromEntries(api.tokens), caseIds, think };
  // A worker thread does not inherit tsx's loader: the thread registers it, then loads the TypeScript file.
  const file = JSON.stringify(path.join(__dirname, 'load-thread.ts'));
  const worker = new Worker(`require('tsx/cjs/api').register(); require(${file});`, { eval: true, workerData: input });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return {
    async stop() {
      const result = new Promise<LoadResult>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      worker.postMessage('stop');
      const out = await result;
      await worker.terminate();
      if (out.firstError) console.error(`  background command failed: ${out.firstError}`);
      return out;
    },
  };
}

/** The same load on this event loop. */
function startInlineLoad(api: Client, caseIds: string[], think: number): Load {
  let running = true;
  const latencies: number[] = [];
  let errors = 0;
  const started = Date.now();
  const lanes = caseIds.map(async (id, i) => {
    const user = i % 2 ? 'manager1' : 'supervisor1';
    for (let n = 0; running; n++) {
      const t = performance.now();
      try {
        await api.command(id, user, { type: 'assign', inspectorIds: n % 2 ? ['inspector1'] : ['inspector1', 'inspector2'] });
        latencies.push(performance.now() - t);
      } catch (err) {
        if (errors++ === 0) console.error(`  background command failed: ${(err as Error).message}`);
      }
      if (think) await sleep(think);
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(lanes);
      return { commands: latencies.length, errors, seconds: (Date.now() - started) / 1000, latencies };
    },
  };
}

async function run(opened: Opened, cases: number, clients: number, gap: number, think: number): Promise<boolean> {
  const prefix = `bench_rv_${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: `/tmp/bench-reviews-${prefix}`,
    DEV_JWT_SECRET: randomBytes(32).toString('hex'),
    REPORTER_KEY: randomBytes(16).toString('hex'),
    QUEUE_PREFIX: prefix,
    RATE_LIMIT_PER_MIN: '10000000',
  });
  // The approval's commit: run.ts hands the committed outbox rows (openReview ×2) to the relay.
  const commits = new Map<string, number>();
  const onCommitted: NonNullable<Parameters<typeof startSystem>[0]['onCommitted']> = (rows) => {
    const now = Date.now();
    for (const row of rows ?? []) if (row.name === 'openReview') commits.set(String((row.data as { caseId: string }).caseId), now);
  };
  const sys: System = await startSystem({ config, redisUrl: REDIS_URL, api: true, workers: true, store: opened.store, logger: pino({ level: 'warn' }), onCommitted });
  const server = sys.app!.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    console.log(`\n== ${opened.label}; redis db 5, prefix ${prefix}; ${cases} triggers one after another (${gap} ms apart), ${clients} clients (think ${think} ms, ${args.load === 'inline' ? 'on the server\'s event loop' : 'in a worker thread'})`);
    await seedOrgChart(sys.deps);
    const api = new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await api.login(['registrar1', 'manager1', 'supervisor1', 'inspector1', 'head1', 'secretary1']);

    const prepStart = Date.now();
    const warmup = Number(args.warmup);
    const triggers = await inParallel(cases + warmup, 8, () => caseAwaitingFiling(api));
    const background = await inParallel(clients, 8, async () => (await api.send('POST', '/api/v1/cases', 'registrar1', { ...CLUE, major: false })).id as string);
    console.log(`prepared ${cases + warmup} cases awaiting filing and ${clients} background cases in ${((Date.now() - prepStart) / 1000).toFixed(1)} s`);

    // The second openReview job of a case to complete marks both reviews stored and the case told.
    const done = new Map<string, Phases[]>();
    const waiters = new Map<string, () => void>();
    const reviewsWorker = sys.workers!.workers.find((w) => w.name === 'reviews')!;
    reviewsWorker.on('completed', (job) => {
      if (job.name !== 'openReview') return;
      // finishedOn: taken as the processor returned, i.e. after the case was told (not when this event got its turn).
      const phases = [...(done.get(job.data.caseId) ?? []), { added: job.timestamp, started: job.processedOn!, finished: job.finishedOn ?? Date.now() }];
      done.set(job.data.caseId, phases);
      if (phases.length === 2) waiters.get(job.data.caseId)?.();
    });

    const load = await startLoad(api, background, think);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    await sleep(1000); // the load is at its pace before the first trigger
    const samples: Sample[] = [];
    for (const id of triggers) {
      const bothOpen = new Promise<void>((resolve) => waiters.set(id, resolve));
      const view = await api.command(id, 'secretary1', { type: 'approve', comment: '同意立案' });
      const answered = Date.now();
      if (view.dualInvestigation.state !== 'opening') throw new Error(`case ${id}: dualInvestigation ${view.dualInvestigation.state} after filing`);
      // Unref'd: the 30 s guard of each trigger does not keep the process alive after the run.
      const timedOut = await Promise.race([bothOpen.then(() => false), delay(30_000, true, { ref: false })]);
      if (timedOut) throw new Error(`case ${id}: both reviews not open 30 s after the trigger`);
      samples.push({ committed: commits.get(id)!, began: Date.parse(view.updatedAt), answered, jobs: done.get(id)! });
      await sleep(gap);
    }
    const loadResult = await load.stop();
    loopDelay.disable();
    const warm = samples.splice(0, warmup);

    const counts = await Promise.all(triggers.map(async (id) => (await opened.store.reviews.list({ caseId: id, page: 1, pageSize: 10 })).total));
    const wrong = counts.filter((n) => n !== 2).length;
    const last = (s: Sample) => s.jobs.reduce((a, b) => (b.finished > a.finished ? b : a));
    const fromCommit = samples.map((s) => last(s).finished - s.committed);
    const p99 = percentile([...fromCommit].sort((a, b) => a - b), 99);

    console.log(`both reviews opened: ${samples.length + warm.length}/${cases + warmup}; cases without exactly two reviews: ${wrong}`);
    console.log(`trigger commit → both reviews stored and reported: ${summary(fromCommit)}  (target p99 ≤ 500 ms: ${p99 <= 500 ? 'met' : 'MISSED'})`);
    console.log(`  approval's transaction began → both reviews: ${summary(samples.map((s) => last(s).finished - s.began))}`);
    console.log(`  approval answered → both reviews: ${summary(samples.map((s) => last(s).finished - s.answered))}`);
    console.log(`  commit → jobs added by the relay: ${summary(samples.map((s) => Math.max(...s.jobs.map((j) => j.added)) - s.committed))}`);
    console.log(`  job added → started: ${summary(samples.flatMap((s) => s.jobs.map((j) => j.started - j.added)))}`);
    console.log(`  job started → completed (openReview): ${summary(samples.flatMap((s) => s.jobs.map((j) => j.finished - j.started)))}`);
    console.log(
      `background: ${loadResult.commands} assign commands in ${loadResult.seconds.toFixed(1)} s (${(loadResult.commands / loadResult.seconds).toFixed(0)}/s), ` +
        `${loadResult.errors} errors; latency ${summary(loadResult.latencies)}`,
    );
    if (warm.length) console.log(`  warm-up triggers (not counted): ${warm.map((s) => `${last(s).finished - s.committed} ms`).join(', ')}`);
    const slowest = [...samples].sort((a, b) => last(b).finished - b.committed - (last(a).finished - a.committed)).slice(0, 3);
    const phases = (s: Sample) => s.jobs.map((j) => `added +${j.added - s.committed}, started +${j.started - s.committed}, done +${j.finished - s.committed}`).join(' / ');
    for (const s of slowest) console.log(`  slow sample: ${phases(s)} ms after the commit`);
    const ms = (ns: number) => (ns / 1e6).toFixed(0);
    console.log(`server event-loop delay meanwhile: p50 ${ms(loopDelay.percentile(50))} ms, p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms`);
    return samples.length === cases && wrong === 0 && p99 <= 500;
  } finally {
    await closeServer(server);
    await sys.close(); // workers, queues, Redis connection and the store
    const redis = redisConnection(REDIS_URL);
    const queues = createQueues(redis, prefix);
    await Promise.all(Object.values(queues).map((q) => q.obliterate({ force: true })));
    await closeQueues(queues);
    redis.disconnect();
    await opened.drop();
  }
}

async function main(): Promise<void> {
  const cases = Number(args.cases);
  const clients = Number(args.clients);
  const gap = Number(args.gap);
  const think = Number(args.think);
  const results: boolean[] = [];
  if (args.store !== 'postgres') results.push(await run(await openPglite(), cases, clients, gap, think));
  if (args.store !== 'pglite') {
    const pgStore = await openPostgres();
    if (pgStore) results.push(await run(pgStore, cases, clients, gap, think));
    else if (args.store === 'postgres') throw new Error(`PostgreSQL does not answer at ${PG_ADMIN_URL}`);
    else console.log(`\nPostgreSQL does not answer at ${PG_ADMIN_URL}: skipped`);
  }
  process.exitCode = results.every(Boolean) ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
