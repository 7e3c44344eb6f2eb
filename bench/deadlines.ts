/**
 * Deadline benchmark: 10,000 open deadlines whose overdue step falls within one minute. Relay and
 * deadline workers run in this process against a fresh store (PostgreSQL on 127.0.0.1:5432 when it
 * answers, else PGlite) and the Redis on 127.0.0.1:6379 (db 15, a prefix of its own, removed at the
 * end). Prints how many steps fired and how late each take committed after its planned time.
 *
 *   npx tsx bench/deadlines.ts [--count 10000] [--window 60] [--lead 30] [--concurrency 16] [--pool 8] [--store pglite|postgres]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../config/schema';
import { nextStepRows } from '../services/queues/rows';
import { WorkCalendar } from '../services/calendar';
import { planDeadline } from '../services/deadlines/plan';
import type { Deps } from '../services/deps';
import { createMetrics } from '../services/metrics';
import { policyFromConfig } from '../services/policy';
import { redisConnection } from '../services/redis/connection';
import { ReporterSealer } from '../services/sealing/reporter';
import { createStore, DEFAULT_POOL_SIZE, PGLITE_MEMORY, type CaseRecord, type DeadlineRecord, type Store } from '../services/store';
import { closeQueues, createQueues, createWorkers, reconcile } from '../workers';

const KEY = 'talkInquiry.reply';
const PG_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    window: { type: 'string', default: '60' },
    lead: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '16' },
    pool: { type: 'string', default: String(DEFAULT_POOL_SIZE) },
    store: { type: 'string' },
  },
});

async function openStore(): Promise<{ store: Store; label: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 1000 });
  const usePg = args.store !== 'pglite' && (await admin.connect().then(() => true, () => false));
  if (!usePg) {
    if (args.store === 'postgres') throw new Error(`PostgreSQL does not answer at ${PG_ADMIN_URL}`);
    return { store: await createStore({ dataDir: PGLITE_MEMORY, auditHash: 'sha256' }), label: 'PGlite (in memory)', drop: async () => {} };
  }
  const name = `bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const databaseUrl = PG_ADMIN_URL.replace(/\/postgres$/, `/${name}`);
  const drop = async () => {
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  };
  const store = await createStore({ databaseUrl, dataDir: '', auditHash: 'sha256', poolSize: Number(args.pool) }).catch(async (err: unknown) => {
    await drop();
    throw err;
  });
  return { store, label: `PostgreSQL (database ${name})`, drop };
}

function benchDeps(store: Store): Deps {
  const config = loadConfig({ NODE_ENV: 'test' });
  return {
    config, store, logger: pino({ level: 'warn' }), policy: policyFromConfig(config), calendar: new WorkCalendar(),
    sealer: new ReporterSealer(Buffer.alloc(16, 1)), metrics: createMetrics({ defaults: false }), clock: () => new Date(), wake: () => {},
  };
}

/** One county, one township with a supervisor and two inspectors; `count` cases assigned to them. */
async function seed(store: Store, count: number): Promise<CaseRecord[]> {
  const at = new Date().toISOString();
  const county = { id: 'county', name: '某县纪委监委', level: 'county' as const, parentId: null, partyCommittee: null, disciplineBody: null, createdAt: at };
  const town = { ...county, id: 'town', name: '某镇纪委', level: 'township' as const, parentId: 'county' };
  const user = (id: string, orgId: string, role: 'supervisor' | 'inspector' | 'commissionHead') => ({ id, name: id, orgId, roles: [role], personId: null, createdAt: at });
  await store.transaction(async (tx) => {
    for (const o of [county, town]) await tx.orgs.insert(o);
    for (const u of [user('head', 'county', 'commissionHead'), user('sup', 'town', 'supervisor'), user('insA', 'town', 'inspector'), user('insB', 'town', 'inspector')]) await tx.users.insert(u);
  });
  const cases = Array.from({ length: count }, (_, i): CaseRecord => ({
    id: randomUUID(), orgId: 'town', machineId: 'case', machineVersion: 1, snapshot: {}, state: 'talkInquiry.awaitingReply', version: 1,
    createdAt: at, updatedAt: at, number: `2025-${i + 1}`, title: `基准案件${i + 1}`, dualState: 'notRequired', assignees: ['insA', 'insB'],
    flags: [], searchText: '', reporterSealed: null, data: {},
  }));
  await inBatches(store, cases, (tx, c) => tx.cases.insert(c));
  return cases;
}

/** A deadline per case, due `lead` + U(0, window) seconds from now, escalating an hour later. */
async function openDeadlines(store: Store, cases: CaseRecord[], lead: number, window: number): Promise<DeadlineRecord[]> {
  const openedAt = new Date().toISOString();
  const calendar = new WorkCalendar();
  const deadlines = cases.map((c): DeadlineRecord => {
    const due = `PT${(lead + Math.random() * window).toFixed(3)}S`;
    const plan = planDeadline({ key: KEY, openedAt, calendar, overrides: { [KEY]: { due, escalateAfter: 'PT1H' } } });
    return {
      id: randomUUID(), aggregateType: 'case', aggregateId: c.id, orgId: c.orgId, key: KEY, openedAt, dueAt: plan.dueAt,
      steps: plan.steps, status: 'open', escalation: 'none', calendarUncertain: false, closedAt: null,
    };
  });
  await inBatches(store, deadlines, async (tx, d) => {
    await tx.deadlines.insert(d);
    await tx.outbox.insert(nextStepRows(d, openedAt));
  });
  return deadlines;
}

async function inBatches<T>(store: Store, items: T[], fn: (tx: Parameters<Parameters<Store['transaction']>[0]>[0], item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += 500) {
    await store.transaction(async (tx) => {
      for (const item of items.slice(i, i + 500)) await fn(tx, item);
    });
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50)} ms, p99 ${percentile(s, 99)} ms, max ${s.at(-1)} ms`;
};

/** Starts relay and workers on the seeded deadlines and waits until every step fired and was sent. */
async function measure(deps: Deps, redis: Redis, prefix: string, deadlines: DeadlineRecord[]): Promise<void> {
  const lateness: number[] = [];
  const queued: number[] = [];
  const started = new Map<string, number>();
  const durations: number[] = [];
  let dispatched = 0;
  const cpu0 = process.cpuUsage();
  const wall0 = Date.now();
  const workers = createWorkers(deps, {
    connection: redis, prefix, dispatch: async () => void dispatched++,
    concurrency: { deadlines: Number(args.concurrency) },
    onTaken: (r) => {
      if (!r.taken.includes('overdue')) return;
      lateness.push(r.committedAt! - Date.parse(r.plannedAt!));
      durations.push(r.committedAt! - (started.get(r.deadlineId) ?? NaN));
    },
  });
  // Where lateness comes from: waiting for a worker slot vs. the take itself.
  const dueOf = new Map(deadlines.map((d) => [d.id, Date.parse(d.dueAt)]));
  workers.workers[0].on('active', (job) => {
    if (job.name !== 'step') return;
    started.set(job.data.deadlineId, Date.now());
    queued.push(Date.now() - dueOf.get(job.data.deadlineId)!);
  });
  const lastDue = Math.max(...dueOf.values());
  const count = deadlines.length;
  while ((lateness.length < count || dispatched < count) && Date.now() < lastDue + 60_000) await new Promise((r) => setTimeout(r, 250));

  console.log(`fired: ${lateness.length}/${count} overdue steps taken; deadline.reached dispatched: ${dispatched}`);
  console.log(`lateness (commit of the take − planned time): ${summary(lateness)}`);
  console.log(`  job start − planned: ${summary(queued)}; take (job start → commit): ${summary(durations.filter((d) => !Number.isNaN(d)))}`);
  console.log(`last take ${((Date.now() - lastDue) / 1000).toFixed(1)} s after the last planned time (±0.25 s polling)`);
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(`process CPU while running: ${(cpuMs / count).toFixed(2)} ms per deadline (${((100 * cpuMs) / (Date.now() - wall0)).toFixed(0)}% of one core on average)`);
  const pass = await reconcile(deps, workers.queues);
  console.log(`then a reconciler pass over ${pass.active} active deadlines (${pass.taken} steps taken, ${pass.restored} jobs restored): ${pass.ms} ms`);
  await workers.close();
}

async function main(): Promise<void> {
  const count = Number(args.count);
  const lead = Number(args.lead);
  const window = Number(args.window);
  const { store, label, drop } = await openStore();
  const redis = redisConnection('redis://127.0.0.1:6379/15');
  const prefix = `bench_${randomBytes(4).toString('hex')}`;
  console.log(`store: ${label}; redis db 15, prefix ${prefix}; ${count} deadlines due in ${lead}–${lead + window} s; load ${loadavg()[0].toFixed(2)}`);
  try {
    const seedStart = Date.now();
    const deadlines = await openDeadlines(store, await seed(store, count), lead, window);
    const firstDue = Math.min(...deadlines.map((d) => Date.parse(d.dueAt)));
    console.log(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s; first due in ${((firstDue - Date.now()) / 1000).toFixed(1)} s`);
    await measure(benchDeps(store), redis, prefix, deadlines);
    console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${cpus().length} cores)`);
  } finally {
    const queues = createQueues(redis, prefix);
    for (const q of Object.values(queues)) await q.obliterate({ force: true });
    await closeQueues(queues);
    redis.disconnect();
    await store.close();
    await drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
