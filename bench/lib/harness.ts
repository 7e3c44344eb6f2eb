/**
 * What the benches share: their command-line arguments, a PostgreSQL database of their own, the
 * server started as its own process (`node dist/services/main.js`, as `npm start` runs it) and
 * its BullMQ queues removed afterwards, and the figures they print (quantiles, best and median).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { closeQueues, createQueues } from '../../workers/queues';

export const root = path.join(__dirname, '..', '..');
export const PG_ADMIN = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = 'redis://127.0.0.1:6379/6';

/** `--name value` from the command line, or the fallback. */
export const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

export interface BenchDatabase {
  /** Connected to the server's `postgres` database (for statistics about the bench's database). */
  admin: pg.Client;
  db: string;
  url: string;
  /** Drops the database and lets go of the admin connection. */
  drop(): Promise<void>;
  /** Lets go of the admin connection, keeping the database. */
  release(): Promise<void>;
}

/** A fresh database `<prefix>_<random>` on PostgreSQL; null, said on stdout, when nothing answers on 127.0.0.1:5432. */
export async function benchDatabase(prefix: string): Promise<BenchDatabase | null> {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  if (!(await admin.connect().then(() => true, () => false))) {
    console.log('postgres: skipped (nothing answers on 127.0.0.1:5432)');
    return null;
  }
  const db = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${db}`);
  return {
    admin,
    db,
    url: PG_ADMIN.replace(/\/[^/]*$/, `/${db}`),
    drop: async () => {
      await admin.query(`drop database if exists ${db} with (force)`);
      await admin.end();
    },
    release: () => admin.end(),
  };
}

/** Removes the server's queues (its delayed deadline jobs would otherwise stay in Redis). */
export async function removeQueues(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  try {
    const queues = createQueues(redis, prefix);
    for (const q of Object.values(queues)) await q.obliterate({ force: true });
    await closeQueues(queues);
  } finally {
    redis.disconnect();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Server {
  base: string;
  child: ChildProcess;
  /** The server's BullMQ prefix in Redis db 6, to remove after the run. */
  prefix: string;
  stop(): Promise<void>;
}

let built = false;
/** Compiles the server as `npm start` does first (only when a source is newer than the build). */
function buildOnce(): void {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}

/**
 * Starts the server in its own process on a free port (no demo data, no rate limit, queues under
 * `prefix` in Redis db 6) and waits for /readyz, at most 2 minutes. It runs the build, as `npm start`
 * runs it (`node dist/services/main.js`, compiled first when stale), not the sources through a
 * loader. `nodeArgs` go before the script (e.g. --cpu-prof); `apiOnly` runs no worker.
 */
export async function startServer(opts: { env: Record<string, string>; prefix?: string; apiOnly?: boolean; nodeArgs?: string[] }): Promise<Server> {
  const port = await freePort();
  const prefix = opts.prefix ?? `bench${randomBytes(3).toString('hex')}`;
  buildOnce();
  const args = [...(opts.nodeArgs ?? []), 'dist/services/main.js', '--', ...(opts.apiOnly ? ['--api-only'] : [])];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'error', SEED_DEMO: 'false', RATE_LIMIT_PER_MIN: '100000000', QUEUE_PREFIX: prefix, REDIS_URL, ...opts.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error('server exited during start-up');
    if (await fetch(`${base}/readyz`).then((r) => r.ok).catch(() => false)) break;
    if (i > 600) throw new Error('server not ready after 2 minutes');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    child,
    prefix,
    stop: () => stopChild(child),
  };
}

/** Sends SIGTERM to a child process and resolves when it has exited (at once if it already has). */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Keep-alive connections for the load clients, one per concurrent client at most. */
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/**
 * One request to the server, JSON both ways, with the bearer token when given, over node:http with
 * keep-alive (lighter on the client's process than fetch, so the server's share of the cores is not
 * taken by the load generator).
 */
export function call(base: string, method: string, url: string, token: string | null, body?: unknown): Promise<{ status: number; json: any }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${url}`, {
      method,
      agent,
      headers: {
        ...(text === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = raw ? JSON.parse(raw) : null;
        } catch {
          json = { raw };
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.end(text);
  });
}

/** The peer (bench/peer-server.mjs: bpmn-engine in memory behind node:http) as its own process, run by plain node. */
export async function startPeer(): Promise<{ base: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bench/peer-server.mjs'], { cwd: root, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error('peer exited during start-up');
    if (await call(base, 'POST', '/ping', null).then(() => true, () => false)) break;
    if (i > 300) throw new Error('peer not ready after 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    pid: child.pid!,
    stop: () => stopChild(child),
  };
}

/** `clients` concurrent peer lifecycles (start + six steps) for `seconds`: steps/s and p99. */
export async function loadPeer(base: string, clients: number, seconds: number): Promise<{ perSecond: number; steps: number; p99: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  const timed = async (url: string) => {
    const t = process.hrtime.bigint();
    const r = await call(base, 'POST', url, null);
    latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status >= 300) errors++;
    return r;
  };
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const { json } = await timed('/cases');
        for (let done = false; !done && Date.now() < until; ) done = Boolean((await timed(`/cases/${json.id}/steps`)).json?.done);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / ((Date.now() - t0) / 1000), steps: latencies.length, p99: quantile(latencies, 0.99), errors };
}

/** The p-quantile (0–1) of ascending figures. */
export const quantile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/** Runs `run` three times; its last result, and the best and median times in ms. */
export async function thrice<T>(run: () => Promise<T>): Promise<{ last: T; best: number; median: number }> {
  const times: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    last = await run();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { last: last!, best: times[0], median: times[1] };
}

/** "best 12 ms, median 14 ms" */
export const bestAndMedian = ({ best, median }: { best: number; median: number }) => `best ${best.toFixed(0)} ms, median ${median.toFixed(0)} ms`;
