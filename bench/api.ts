/**
 * Commands/s and latency through HTTP for full case lifecycles (issue 4), with 1, 8 and 32 concurrent
 * clients, on PGlite and on PostgreSQL (when 127.0.0.1:5432 answers). The server runs as its own
 * process (`node --import tsx services/main.ts`), API and workers, like `npm start`.
 *
 *   npx tsx bench/api.ts [--seconds 20] [--clients 1,8,32] [--stores pglite,postgres] [--profile]
 *
 * `--profile` starts the server with --cpu-prof; the .cpuprofile lands in bench/profiles/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { closeQueues, createQueues } from '../workers/queues';

const root = path.join(__dirname, '..');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SECONDS = Number(arg('seconds', '20'));
const CLIENTS = arg('clients', '1,8,32').split(',').map(Number);
const STORES = arg('stores', 'pglite,postgres').split(',');
const PROFILE = process.argv.includes('--profile');
const PG_ADMIN = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const REDIS_URL = 'redis://127.0.0.1:6379/6';

/** Removes the server's queues (its delayed deadline jobs would otherwise stay in Redis). */
async function removeQueues(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  try {
    const queues = createQueues(redis, prefix);
    for (const q of Object.values(queues)) await q.obliterate({ force: true });
    await closeQueues(queues);
  } finally {
    redis.disconnect();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Server {
  base: string;
  child: ChildProcess;
  /** The server's BullMQ prefix in Redis db 6, removed after the run. */
  prefix: string;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const args = [...(PROFILE ? ['--cpu-prof', '--cpu-prof-dir', path.join(root, 'bench', 'profiles')] : []), '--import', 'tsx', 'services/main.ts', '--'];
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'error', SEED_DEMO: 'false', RATE_LIMIT_PER_MIN: '100000000', QUEUE_PREFIX: prefix, REDIS_URL: REDIS_URL, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error('server exited during start-up');
    const ok = await fetch(`${base}/readyz`).then((r) => r.ok).catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    child,
    prefix,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function call(base: string, method: string, url: string, token: string | null, body?: unknown): Promise<{ status: number; json: any }> {
  // Node's fetch keeps connections alive by default.
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
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

async function run(base: string, tokens: Record<string, string>, clients: number): Promise<void> {
  const latencies: number[] = [];
  let errors = 0;
  let lifecycles = 0;
  const until = Date.now() + SECONDS * 1000;
  const timed = async (fn: () => Promise<{ status: number; json: any }>, expect: number) => {
    const t = process.hrtime.bigint();
    const r = await fn();
    latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== expect) errors++;
    return r;
  };
  const client = async (c: number) => {
    for (let n = 0; Date.now() < until; n++) {
      const personId = `p-${c}-${n}`;
      const created = await timed(
        () =>
          call(base, 'POST', '/api/v1/cases', tokens.registrar1, {
            title: `压测案件 ${c}-${n}`, orgId: 'county', source: 'petition', receivedAt: new Date().toISOString().slice(0, 10),
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
  const t0 = Date.now();
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  const secs = (Date.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]?.toFixed(1);
  console.log(
    `  ${String(clients).padStart(2)} clients: ${(latencies.length / secs).toFixed(0).padStart(5)} commands/s, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, ` +
      `${lifecycles} lifecycles, ${errors} errors`,
  );
}

async function main(): Promise<void> {
  if (PROFILE) mkdirSync(path.join(root, 'bench', 'profiles'), { recursive: true });
  for (const store of STORES) {
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    if (store === 'postgres') {
      const admin = new pg.Client({ connectionString: PG_ADMIN });
      const ok = await admin.connect().then(() => true, () => false);
      if (!ok) {
        console.log('postgres: skipped (nothing answers on 127.0.0.1:5432)');
        continue;
      }
      const db = `bench_api_${randomBytes(4).toString('hex')}`;
      await admin.query(`create database ${db}`);
      env = { DATABASE_URL: PG_ADMIN.replace(/\/[^/]*$/, `/${db}`) };
      cleanup = async () => {
        await admin.query(`drop database if exists ${db} with (force)`);
        await admin.end();
      };
    } else {
      const dir = mkdtempSync(path.join(tmpdir(), 'bench-api-'));
      env = { DATA_DIR: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    const server = await startServer(env);
    try {
      const tokens = await setUp(server.base);
      console.log(`${store}: full case lifecycles through HTTP, ${SECONDS} s per run`);
      for (const clients of CLIENTS) await run(server.base, tokens, clients);
    } finally {
      await server.stop();
      await cleanup();
      await removeQueues(server.prefix);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
