/**
 * Store commit benchmark: `npx tsx bench/store.ts [pglite|postgres ...]`.
 *
 * One "command" is the transaction the services commit per accepted command: the aggregate's
 * compare-and-set update, two audit appends (the command and the resulting state change), one
 * deadline insert and one outbox row. Each writer owns one case (commands on different cases run
 * in parallel, as in production) and keeps its version locally. Reports commits/s and p50/p99
 * commit latency with 1 and 16 concurrent writers, on PGlite (file-backed, in a temp directory)
 * and PostgreSQL (a fresh database on BENCH_DATABASE_URL, dropped afterwards).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createStore, type CaseRecord, type Store } from '../services/store';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WRITERS = [1, 16];

interface Result {
  engine: string;
  writers: number;
  commits: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU time of this process per commit (the whole engine, for PGlite). */
  cpuMs: number;
}

function newCase(i: number): CaseRecord {
  const now = new Date().toISOString();
  return {
    id: `bench-${i}-${randomUUID()}`, orgId: 'org-bench', machineId: 'case', machineVersion: 1,
    snapshot: { value: { lifecycle: 'registered', dualInvestigation: 'notRequired' }, context: { assignees: [], approvals: [] } },
    state: 'registered', version: 1, number: `2026-${i}`, title: '关于某镇副镇长违规收受礼金的问题线索', dualState: 'notRequired',
    assignees: ['u-1'], flags: [], searchText: '关于某镇副镇长违规收受礼金的问题线索 李四', reporterSealed: null,
    data: { source: 'petition', receivedAt: '2026-01-05', subjects: [{ name: '李四', rank: 'townshipDeputy' }] }, createdAt: now, updatedAt: now,
  };
}

/** One command transaction on `c`; returns the case at its new version. */
async function command(store: Store, c: CaseRecord, n: number): Promise<CaseRecord> {
  const now = new Date().toISOString();
  const next = { ...c, state: n % 2 ? 'dispositionReview' : 'registered', updatedAt: now };
  await store.transaction(async (tx) => {
    await tx.cases.update(next, c.version);
    await tx.audit.append(`case:${c.id}`, { at: now, actor: 'u-1', action: 'proposeDisposition', outcome: 'accepted', from: c.state, to: next.state, detail: { n } });
    await tx.audit.append(`case:${c.id}`, { at: now, actor: 'system', action: 'deadline.opened', outcome: 'accepted', from: null, to: null, detail: { key: 'approval' } });
    await tx.deadlines.insert({
      id: randomUUID(), aggregateType: 'case', aggregateId: c.id, orgId: c.orgId, key: 'approval', openedAt: now, dueAt: now,
      steps: { overdue: now }, status: 'open', escalation: 'none', calendarUncertain: false, closedAt: null,
    });
    await tx.outbox.insert([{ id: randomUUID(), queue: 'notifications', name: 'deliver', data: { caseId: c.id }, createdAt: now, runAt: null, deliveredAt: null }]);
  });
  return { ...next, version: c.version + 1 };
}

async function run(engine: string, store: Store, writers: number): Promise<Result> {
  const cases = Array.from({ length: writers }, (_, i) => newCase(i));
  for (const c of cases) await store.cases.insert(c);
  for (let i = 0; i < writers; i++) cases[i] = await command(store, cases[i], 0); // warm-up
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    cases.map(async (c, w) => {
      for (let n = 1; performance.now() < end; n++) {
        const t0 = performance.now();
        c = await command(store, c, n);
        latencies.push(performance.now() - t0);
        cases[w] = c;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return { engine, writers, commits: latencies.length, perSecond: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99), cpuMs: (used.user + used.system) / 1000 / latencies.length };
}

async function withPglite(fn: (store: Store) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-store-'));
  const store = await createStore({ dataDir, auditHash: 'sm3' });
  try {
    await fn(store);
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function withPostgres(fn: (store: Store) => Promise<void>): Promise<void> {
  const name = `bench_store_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  const store = await createStore({ databaseUrl: url.toString(), dataDir: 'unused', auditHash: 'sm3', poolSize: 20 });
  try {
    await fn(store);
  } finally {
    await store.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const engines = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['pglite', 'postgres'];
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores; ${SECONDS} s per run`);
  const results: Result[] = [];
  for (const engine of engines) {
    const open = engine === 'pglite' ? withPglite : withPostgres;
    await open(async (store) => {
      for (const w of WRITERS) results.push(await run(engine, store, w));
    }).catch((err: unknown) => console.warn(`${engine}: skipped (${(err as Error).message})`));
  }
  console.table(
    results.map((r) => ({
      engine: r.engine,
      writers: r.writers,
      commits: r.commits,
      'commits/s': Math.round(r.perSecond),
      'p50 ms': r.p50.toFixed(2),
      'p99 ms': r.p99.toFixed(2),
      'node cpu ms/commit': r.cpuMs.toFixed(2),
    })),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
