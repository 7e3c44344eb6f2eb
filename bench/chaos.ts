/**
 * Chaos run for 一案双查 effects (docs/decisions/007-effects-reconciled.md). Prints
 * figures; it is not a test.
 *
 *   npx tsx bench/chaos.ts [--store pglite|postgres] [--kills 5] [--redis-restarts 4] [--clients 6] [--gap 10]
 *
 * The service (`services/main.ts`: API, relay, workers and reconciler in one process, started as
 * `node --import tsx`) runs with its own DATA_DIR, its own QUEUE_PREFIX and its own private
 * `redis-server` on a free port without persistence (`--save "" --appendonly no`); on PostgreSQL it
 * gets a database of its own, dropped at the end. A separate process (this script with `--load`)
 * runs `--clients` clients, each driving cases through the whole 一案双查 path over HTTP: register,
 * trigger (head), close the case's own work (proposeDisposition close + approve), wait for both
 * reviews to open, conclude each review (4 commands), wait for the case to close. Meanwhile the
 * controller, every `--gap` seconds, either kills the service with SIGKILL and starts it again, or
 * kills the Redis and starts a new empty one on the same port (`--kills` and `--redis-restarts`
 * times, interleaved). Then it stops the load (flows in progress finish, within 90 s), stops the
 * service and reads the store directly:
 *
 * - commands: acknowledged (200/201), outcome unknown (connection lost; the client then reads the
 *   record to see whether it applied), lost (acknowledged but absent from the audit chain),
 *   duplicated (accepted more often than the clients meant to send it);
 * - reviews missing (a triggered case without both reviews) or duplicated (two of one kind);
 * - cases unable to close (every review concluded, the case's own work done, not closed);
 * - the longest time to recover an effect: from the later of the effect's cause (the trigger, the
 *   last conclusion) and the end of the last outage before it was seen (service ready again, Redis
 *   back), to the moment a client saw it (reviews open, case closed; clients poll every 200 ms).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createStore } from '../services/store';

const ROOT = path.resolve(__dirname, '..');
const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const TITLE = '混沌测试';
/** Demo users by the role an approval chain names next. */
const APPROVER: Record<string, string> = { commissionHead: 'head1', partySecretary: 'secretary1' };
const POLL_MS = 200;

// ---------------------------------------------------------------------------------------------
// Shared shapes (controller ⇄ load process, over the fork IPC channel)

interface CommandRecord {
  aggregate: 'case' | 'review';
  id: string;
  actor: string;
  action: string;
  /** 'acked': 200/201; 'applied': outcome unknown, the record shows it applied; 'abandoned': gave up. */
  outcome: 'acked' | 'applied' | 'abandoned';
  attempts: number;
}

interface EffectRecord {
  caseId: string;
  kind: 'reviewsOpened' | 'caseClosed';
  /** When its cause was acknowledged (or seen applied). */
  causeAt: number;
  /** When a client saw it; null when it never showed within the wait. */
  seenAt: number | null;
}

interface FlowRecord {
  caseId: string;
  triggered: boolean;
  reviewIds: string[];
  reviewsConcluded: number;
  caseWorkDone: boolean;
}

interface LoadResult {
  commands: CommandRecord[];
  effects: EffectRecord[];
  flows: FlowRecord[];
  registrationsUnknown: number;
  errors: string[];
}

// ---------------------------------------------------------------------------------------------
// The load process

async function runLoad(base: string, clients: number): Promise<void> {
  const result: LoadResult = { commands: [], effects: [], flows: [], registrationsUnknown: 0, errors: [] };
  let draining = false;
  let drainDeadline = Infinity;
  process.on('message', (m: { type: string; deadline?: number }) => {
    if (m.type === 'drain') {
      draining = true;
      drainDeadline = m.deadline ?? Date.now() + 90_000;
    }
  });
  const tokens = new Map<string, string>();

  /** fetch that never throws: `null` = no answer (connection refused or reset, timeout). */
  async function call(method: string, url: string, user: string | null, body?: unknown, key?: string): Promise<{ status: number; body: any } | null> {
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (user) headers.authorization = `Bearer ${await token(user)}`;
      if (key) headers['idempotency-key'] = key;
      const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    } catch {
      return null;
    }
  }

  async function token(user: string): Promise<string> {
    for (;;) {
      const hit = tokens.get(user);
      if (hit) return hit;
      const res = await fetch(`${base}/api/v1/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: user }), signal: AbortSignal.timeout(15_000) }).catch(() => null);
      if (res?.ok) tokens.set(user, ((await res.json()) as { token: string }).token);
      else await delay(500);
    }
  }

  const tooLate = () => draining && Date.now() > drainDeadline;

  /** GET until answered 200 (the service may be restarting). */
  async function view(aggregate: 'case' | 'review', id: string): Promise<any> {
    for (;;) {
      const res = await call('GET', `/api/v1/${aggregate === 'case' ? 'cases' : 'reviews'}/${id}`, 'head1');
      if (res?.status === 200) return res.body;
      if (tooLate()) return null;
      await delay(POLL_MS);
    }
  }

  /**
   * One intent, sent until it is known to have applied: 200 → acked; no answer or 5xx → read the
   * record, `applied(view)` says whether it went through, else send again (same idempotency key).
   */
  async function command(aggregate: 'case' | 'review', id: string, actor: string, body: Record<string, unknown>, applied: (v: any) => boolean): Promise<boolean> {
    const key = randomUUID();
    for (let attempts = 1; ; attempts++) {
      const res = await call('POST', `/api/v1/${aggregate === 'case' ? 'cases' : 'reviews'}/${id}/commands`, actor, body, key);
      if (res?.status === 200) {
        result.commands.push({ aggregate, id, actor, action: String(body.type), outcome: 'acked', attempts });
        return true;
      }
      const v = await view(aggregate, id);
      if (v && applied(v)) {
        result.commands.push({ aggregate, id, actor, action: String(body.type), outcome: 'applied', attempts });
        return true;
      }
      if ((res && res.status < 500 && res.status !== 409 && res.status !== 429) || attempts > 60 || tooLate()) {
        result.commands.push({ aggregate, id, actor, action: String(body.type), outcome: 'abandoned', attempts });
        if (res) result.errors.push(`${body.type} on ${aggregate} ${id}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        return false;
      }
      await delay(250);
    }
  }

  /** Approves a review's pending proposal, step by step (the chain depends on the reviewed unit), until it leaves `state`. */
  async function approveChain(reviewId: string, state: string): Promise<boolean> {
    for (;;) {
      const v = await view('review', reviewId);
      if (!v) return false;
      if (v.state !== state) return true;
      const done = v.pendingApproval.approvals.length as number;
      const actor = APPROVER[v.pendingApproval.chain[done] as string];
      if (!actor) {
        result.errors.push(`review ${reviewId}: no demo user for ${v.pendingApproval.chain[done]}`);
        return false;
      }
      const applied = (w: any) => w.state !== state || (w.pendingApproval?.approvals.length ?? 0) > done;
      if (!(await command('review', reviewId, actor, { type: 'approve' }, applied))) return false;
    }
  }

  async function waitFor(caseId: string, kind: EffectRecord['kind'], causeAt: number, done: (v: any) => boolean): Promise<any> {
    const effect: EffectRecord = { caseId, kind, causeAt, seenAt: null };
    result.effects.push(effect);
    const until = Date.now() + 60_000;
    while (Date.now() < until && !tooLate()) {
      const v = await view('case', caseId);
      if (v && done(v)) {
        effect.seenAt = Date.now();
        return v;
      }
      await delay(POLL_MS);
    }
    return null;
  }

  async function flow(client: number, n: number): Promise<void> {
    const key = randomUUID();
    let created: { status: number; body: any } | null = null;
    for (let attempts = 0; attempts < 60 && !tooLate(); attempts++) {
      created = await call('POST', '/api/v1/cases', 'registrar1', clue(client, n), key);
      if (created?.status === 201) break;
      if (created === null || created.status >= 500) result.registrationsUnknown++; // attempts, not registrations
      await delay(250);
    }
    if (created?.status !== 201) return;
    const caseId = created.body.id as string;
    const record: FlowRecord = { caseId, triggered: false, reviewIds: [], reviewsConcluded: 0, caseWorkDone: false };
    result.flows.push(record);
    record.triggered = await command('case', caseId, 'head1', { type: 'triggerDualInvestigation', reason: '一案双查（混沌测试）' }, (v) => v.dualInvestigation.trigger !== null);
    if (!record.triggered) return;
    const triggeredAt = Date.now();
    if (!(await command('case', caseId, 'inspector1', { type: 'proposeDisposition', method: 'close', reason: '反映不实' }, (v) => v.state !== 'registered'))) return;
    record.caseWorkDone = await command('case', caseId, 'supervisor1', { type: 'approve', comment: '同意了结' }, (v) => v.state === 'concluded' || v.state === 'closed');
    if (!record.caseWorkDone) return;
    const open = await waitFor(caseId, 'reviewsOpened', triggeredAt, (v) => v.dualInvestigation.reviews.length === 2 && v.dualInvestigation.reviews.every((r: any) => r.id));
    if (!open) return;
    record.reviewIds = open.dualInvestigation.reviews.map((r: any) => r.id);
    let lastConcludedAt = 0;
    for (const reviewId of record.reviewIds) {
      let ok = await command('review', reviewId, 'inspector1', { type: 'proposeStart', reason: '一案双查：倒查责任' }, (v) => v.state !== 'opened');
      ok &&= await approveChain(reviewId, 'startApproval');
      ok &&= await command('review', reviewId, 'inspector2', { type: 'submitFindings', responsibilityFound: false, parties: [], proposedMeasures: [] }, (v) =>
        ['findingApproval', 'decided', 'concluded'].includes(v.state));
      ok &&= await approveChain(reviewId, 'findingApproval');
      if (!ok) return;
      record.reviewsConcluded++;
      lastConcludedAt = Date.now();
    }
    await waitFor(caseId, 'caseClosed', lastConcludedAt, (v) => v.state === 'closed');
  }

  const lanes = Array.from({ length: clients }, async (_, client) => {
    for (let n = 0; !draining; n++) {
      try {
        await flow(client, n);
      } catch (err) {
        result.errors.push(String((err as Error)?.stack ?? err));
      }
    }
  });
  await Promise.all(lanes);
  process.send!({ type: 'result', result }, () => process.exit(0));
}

function clue(client: number, n: number) {
  return {
    title: `${TITLE}-${client}-${n}：某站所负责人收受礼金问题`,
    orgId: 'county',
    source: 'petition',
    receivedAt: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
    subjects: [{ name: `测试对象${client}-${n}`, personId: `chaos-${client}-${n}-${randomBytes(3).toString('hex')}`, position: '站长', rank: 'staff', orgId: 'town-a', partyMember: true }],
    allegations: [{ category: 'integrity', summary: '收受管理服务对象礼金' }],
    major: false,
  };
}

// ---------------------------------------------------------------------------------------------
// The controller

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
  });
  return child;
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(child.pid!, 'SIGKILL');
  });
}

interface Service {
  child: ChildProcess;
  base: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      store: { type: 'string', default: 'pglite' },
      kills: { type: 'string', default: '5' },
      'redis-restarts': { type: 'string', default: '4' },
      clients: { type: 'string', default: '6' },
      gap: { type: 'string', default: '10' },
      load: { type: 'boolean', default: false },
      base: { type: 'string' },
    },
  });
  if (values.load) return runLoad(values.base!, Number(values.clients));

  const storeKind = values.store as 'pglite' | 'postgres';
  const kills = Number(values.kills);
  const redisRestarts = Number(values['redis-restarts']);
  const gapMs = Number(values.gap) * 1000;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ajsc-chaos-'));
  const logFile = path.join(dataDir, 'service.log');
  const log = createWriteStream(logFile);
  const redisPort = await freePort();
  const httpPort = await freePort();
  const prefix = `chaos${randomBytes(4).toString('hex')}`;
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (storeKind === 'postgres') {
    dbName = `chaos_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'development',
    PORT: String(httpPort),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    QUEUE_PREFIX: prefix,
    AUTH_MODE: 'dev',
    DEV_JWT_SECRET: randomBytes(32).toString('hex'),
    REPORTER_KEY: randomBytes(16).toString('hex'),
    AUDIT_HASH: 'sha256',
    RATE_LIMIT_PER_MIN: '1000000',
    DEV_TOKEN_LIMIT_PER_MIN: '100000',
    LOG_LEVEL: 'info',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const base = `http://127.0.0.1:${httpPort}`;
  console.log(`chaos: store ${storeKind}, ${kills} kill -9 of the service, ${redisRestarts} Redis restarts without data, ${values.clients} clients, one event every ${gapMs / 1000} s`);
  console.log(`       DATA_DIR ${dataDir}, Redis 127.0.0.1:${redisPort}, prefix ${prefix}${dbName ? `, database ${dbName}` : ''}`);

  const outages: Array<{ what: 'service' | 'redis'; start: number; end: number }> = [];
  let redis = await startRedis(redisPort);

  const startService = async (): Promise<Service> => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    const until = Date.now() + 180_000;
    while (Date.now() < until) {
      if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}); see ${logFile}`);
      const ok = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok).catch(() => false);
      if (ok) return { child, base };
      await delay(100);
    }
    throw new Error(`the service was not ready in 180 s; see ${logFile}`);
  };

  let service = await startService();
  const load = spawn(process.execPath, ['--import', 'tsx', __filename, '--load', '--base', base, '--clients', String(values.clients)], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const loadResult = new Promise<LoadResult>((resolve, reject) => {
    load.on('message', (m: { type: string; result: LoadResult }) => m.type === 'result' && resolve(m.result));
    load.once('exit', (code) => reject(new Error(`the load process exited (${code}) without a result`)));
  });

  const events: Array<'kill' | 'redis'> = [];
  for (let i = 0; i < Math.max(kills, redisRestarts); i++) {
    if (i < kills) events.push('kill');
    if (i < redisRestarts) events.push('redis');
  }
  const restarts: number[] = [];
  for (const [i, event] of events.entries()) {
    // A jitter, so that kills land anywhere in a command or an effect.
    await delay(gapMs + Math.floor(Math.random() * 2000));
    const start = Date.now();
    if (event === 'kill') {
      await killHard(service.child);
      service = await startService();
      restarts.push(Date.now() - start);
    } else {
      await killHard(redis);
      await delay(1000);
      redis = await startRedis(redisPort);
    }
    outages.push({ what: event === 'kill' ? 'service' : 'redis', start, end: Date.now() });
    console.log(`  event ${i + 1}/${events.length}: ${event === 'kill' ? 'service killed (SIGKILL), ready again' : 'Redis killed, restarted empty'} after ${Date.now() - start} ms`);
  }
  // Let the last event's effects settle while the load goes on, then drain.
  await delay(gapMs);
  load.send({ type: 'drain', deadline: Date.now() + 90_000 });
  const result = await loadResult;

  // Stop the service (SIGTERM: a clean stop) and read the store directly.
  await new Promise<void>((resolve) => {
    service.child.once('exit', () => resolve());
    service.child.kill('SIGTERM');
  });
  await killHard(redis);
  log.end();
  const figures = await verify(storeKind, dataDir, databaseUrl, result);
  const logText = readFileSync(logFile, 'utf8');
  const count = (re: RegExp) => (logText.match(re) ?? []).length;

  const recoveries = result.effects
    .filter((e) => e.seenAt !== null)
    .map((e) => {
      const back = Math.max(e.causeAt, ...outages.filter((o) => o.end <= e.seenAt!).map((o) => o.end));
      return { ...e, recovery: e.seenAt! - back, latency: e.seenAt! - e.causeAt };
    });
  const longest = (kind: EffectRecord['kind']) => {
    const list = recoveries.filter((r) => r.kind === kind);
    return list.length ? { recovery: Math.max(...list.map((r) => r.recovery)), latency: Math.max(...list.map((r) => r.latency)) } : { recovery: NaN, latency: NaN };
  };
  const byOutcome = (o: CommandRecord['outcome']) => result.commands.filter((c) => c.outcome === o).length;
  const opened = longest('reviewsOpened');
  const closed = longest('caseClosed');

  console.log('\nresults');
  console.log(`  service restarts (kill → ready): ${restarts.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ') || '—'}`);
  console.log(`  flows started ${result.flows.length}; commands acknowledged ${byOutcome('acked')}, outcome unknown but applied ${byOutcome('applied')}, abandoned ${byOutcome('abandoned')}; registration attempts without an answer ${result.registrationsUnknown}, cases stored whose registration was never acknowledged ${figures.orphans}`);
  console.log(`  acknowledged commands lost ${figures.lost}; commands duplicated ${figures.duplicated}`);
  console.log(`  triggered cases ${figures.triggered}; reviews missing ${figures.reviewsMissing}, duplicated ${figures.reviewsDuplicated}`);
  console.log(`  cases whose work and reviews were done ${figures.done}; unable to close ${figures.stuck}; effects never seen by a client ${result.effects.filter((e) => e.seenAt === null).length}`);
  console.log(`  longest time to an effect after the service / Redis was back: reviews opened ${(opened.recovery / 1000).toFixed(1)} s, conclusion recorded and case closed ${(closed.recovery / 1000).toFixed(1)} s`);
  console.log(`  (longest from the cause itself, outages included: ${(opened.latency / 1000).toFixed(1)} s and ${(closed.latency / 1000).toFixed(1)} s)`);
  const repairs = logText
    .split('\n')
    .filter((line) => line.includes('reconciler repaired'))
    .map((line) => JSON.parse(line) as { taken?: number; restored?: number })
    .reduce<{ taken: number; restored: number }>((sum, r) => ({ taken: sum.taken + (r.taken ?? 0), restored: sum.restored + (r.restored ?? 0) }), { taken: 0, restored: 0 });
  console.log(
    `  reconciler repairs in the service log: effect jobs added again ${count(/job added again/g)}, failed effect jobs retried ${count(/failed job retried/g)}, ` +
      `deadline step jobs restored ${repairs.restored}, steps taken by the reconciler ${repairs.taken}; outbox rows left undelivered ${figures.undelivered}`,
  );
  if (result.errors.length) console.log(`  client errors (first 5 of ${result.errors.length}):\n    ${result.errors.slice(0, 5).join('\n    ')}`);
  if (figures.details.length) console.log(`  details (first 10):\n    ${figures.details.slice(0, 10).join('\n    ')}`);

  if (dbName) {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  rmSync(dataDir, { recursive: true, force: true });
}

/** Reads the store after the run: lost and duplicated commands, reviews, cases that cannot close. */
async function verify(storeKind: 'pglite' | 'postgres', dataDir: string, databaseUrl: string | undefined, result: LoadResult) {
  const store = await createStore({ dataDir, databaseUrl, auditHash: 'sha256', poolSize: 4 });
  const figures = { lost: 0, duplicated: 0, triggered: 0, reviewsMissing: 0, reviewsDuplicated: 0, done: 0, stuck: 0, undelivered: 0, orphans: 0, details: [] as string[] };
  try {
    // Per aggregate and (actor, action): how often the clients meant it, how often it was acknowledged.
    const intents = new Map<string, { meant: number; acked: number }>();
    for (const c of result.commands) {
      const key = `${c.id}|${c.actor}|${c.action}`;
      const entry = intents.get(key) ?? { meant: 0, acked: 0 };
      entry.meant++;
      if (c.outcome === 'acked') entry.acked++;
      intents.set(key, entry);
    }
    const streams = new Set(result.commands.map((c) => c.id));
    for (const stream of streams) {
      const accepted = new Map<string, number>();
      for (const e of await store.audit.list(stream)) {
        if (e.outcome !== 'accepted') continue;
        const key = `${stream}|${e.actor}|${e.action}`;
        accepted.set(key, (accepted.get(key) ?? 0) + 1);
      }
      for (const [key, { meant, acked }] of intents) {
        if (!key.startsWith(`${stream}|`)) continue;
        const n = accepted.get(key) ?? 0;
        if (n < acked) {
          figures.lost += acked - n;
          figures.details.push(`lost: ${key} acknowledged ${acked}, in the audit ${n}`);
        }
        if (n > meant) {
          figures.duplicated += n - meant;
          figures.details.push(`duplicated: ${key} meant ${meant}, accepted ${n}`);
        }
      }
    }
    for (const f of result.flows) {
      const kase = await store.cases.get(f.caseId);
      if (!kase) {
        figures.details.push(`case ${f.caseId} missing from the store`);
        continue;
      }
      if (!f.triggered) continue;
      figures.triggered++;
      const reviews = (await store.reviews.list({ caseId: f.caseId, page: 1, pageSize: 10 })).items;
      const kinds = reviews.map((r) => r.kind);
      const missing = ['primary', 'supervision'].filter((k) => !kinds.includes(k as never)).length;
      figures.reviewsMissing += missing;
      figures.reviewsDuplicated += reviews.length - new Set(kinds).size;
      if (missing) figures.details.push(`case ${f.caseId}: ${missing} review(s) missing (dual ${kase.dualState})`);
      if (f.caseWorkDone && f.reviewsConcluded === 2) {
        figures.done++;
        if (kase.state !== 'closed') {
          figures.stuck++;
          figures.details.push(`case ${f.caseId} cannot close: state ${kase.state}, dual ${kase.dualState}`);
        }
      }
    }
    figures.undelivered = (await store.outbox.listUndelivered(100_000)).length;
    // A registration that committed but whose answer was lost, then sent again (an idempotency key makes it one).
    const stored = await store.cases.list({ q: TITLE, page: 1, pageSize: 100_000 });
    const known = new Set(result.flows.map((f) => f.caseId));
    figures.orphans = stored.items.filter((c) => !known.has(c.id)).length;
  } finally {
    await store.close();
  }
  void storeKind;
  return figures;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
