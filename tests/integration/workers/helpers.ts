/**
 * Fixtures of the worker tests: a real PGlite store, a real Redis (db 13, shared with whatever else
 * runs on the machine) under a prefix of its own per test, and an org tree with the users escalation
 * needs. A test never flushes a db: "Redis lost its data" is every key under the test's own prefix
 * gone (`dropPrefix`), which is all that test's world holds.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig } from '../../../config/schema';
import type { Deps } from '../../../services/deps';
import { createMetrics } from '../../../services/metrics';
import { policyFromConfig } from '../../../services/policy';
import { WorkCalendar } from '../../../services/calendar';
import { ReporterSealer } from '../../../services/sealing/reporter';
import type { CaseRecord, DeadlineRecord, Store } from '../../../services/store/port';
import { redisConnection } from '../../../services/redis/connection';
import { pgliteHarness } from '../../helpers/store';
import { closeQueues, createQueues, type Queues } from '../../../workers/queues';
import { startDutyWorker, type DutyTask } from '../../../workers/duty';

export const REDIS_DB = 13;

export const newPrefix = () => `t_${randomBytes(5).toString('hex')}`;

export function testRedis(db = REDIS_DB): Redis {
  return redisConnection(`redis://127.0.0.1:6379/${db}`);
}

/** A fresh in-memory PGlite store (tests/helpers/store.ts); `store.close()` disposes of it. */
export async function freshStore(): Promise<Store> {
  return (await pgliteHarness({ auditHash: 'sha256' })).store;
}

export function testDeps(store: Store, env: Record<string, string> = {}, clock: () => Date = () => new Date()): Deps {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  return {
    config,
    store,
    logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    policy: policyFromConfig(config),
    calendar: new WorkCalendar(),
    sealer: new ReporterSealer(Buffer.alloc(16, 7)),
    metrics: createMetrics({ defaults: false }),
    clock,
    wake: () => {},
  };
}

/** County commission (parent) with a commission head; township (child) with a supervisor and two inspectors. */
export async function seedOrgs(store: Store) {
  const at = new Date().toISOString();
  const county = { id: `county-${randomUUID()}`, name: '某县纪委监委', level: 'county' as const, parentId: null, partyCommittee: '某县委', disciplineBody: '某县纪委', createdAt: at };
  const town = { id: `town-${randomUUID()}`, name: '某镇纪委', level: 'township' as const, parentId: county.id, partyCommittee: '某镇党委', disciplineBody: '某镇纪委', createdAt: at };
  const user = (name: string, orgId: string, role: 'commissionHead' | 'supervisor' | 'inspector') => ({
    id: `u-${randomUUID()}`, name, orgId, roles: [role], personId: null, createdAt: at,
  });
  const users = {
    countyHead: user('王书记', county.id, 'commissionHead'),
    townHead: user('赵书记', town.id, 'commissionHead'),
    supervisor: user('李主任', town.id, 'supervisor'),
    inspectorA: user('张三', town.id, 'inspector'),
    inspectorB: user('陈四', town.id, 'inspector'),
  };
  await store.transaction(async (tx) => {
    await tx.orgs.insert(county);
    await tx.orgs.insert(town);
    for (const u of Object.values(users)) await tx.users.insert(u);
  });
  return { county, town, users };
}

export function caseRecord(orgId: string, assignees: string[], over: Partial<CaseRecord> = {}): CaseRecord {
  const at = new Date().toISOString();
  return {
    id: randomUUID(), orgId, machineId: 'case', machineVersion: 1, snapshot: { value: 'talkInquiry' }, state: 'talkInquiry.awaitingReply',
    version: 1, createdAt: at, updatedAt: at, number: `2025-${Math.floor(Math.random() * 9000 + 1000)}`, title: '某镇扶贫资金问题',
    dualState: 'notRequired', assignees, flags: [], searchText: '', reporterSealed: null, data: {}, ...over,
  };
}

/** A running `talkInquiry.reply` deadline of `aggregate` with the given step times (ms from now). */
export function deadlineRecord(c: CaseRecord, steps: { warning?: number; overdue: number; escalated: number }, now = Date.now()): DeadlineRecord {
  const iso = (ms: number) => new Date(now + ms).toISOString();
  return {
    id: randomUUID(), aggregateType: 'case', aggregateId: c.id, orgId: c.orgId, key: 'talkInquiry.reply',
    openedAt: iso(0), dueAt: iso(steps.overdue),
    steps: { ...(steps.warning !== undefined ? { warning: iso(steps.warning) } : {}), overdue: iso(steps.overdue), escalated: iso(steps.escalated) },
    status: 'open', escalation: 'none', calendarUncertain: false, closedAt: null,
  };
}

export async function cleanQueues(queues: Queues): Promise<void> {
  for (const q of Object.values(queues)) await q.obliterate({ force: true });
}

/** Removes every key of the three queues under `prefix` (after the workers closed). */
export async function obliterate(redis: Redis, prefix: string): Promise<void> {
  const queues = createQueues(redis, prefix);
  await cleanQueues(queues);
  await closeQueues(queues);
}

/**
 * Deletes every key under `prefix`: for this test, Redis restarted without its data (a FLUSHDB
 * limited to the keys it owns; other programs' keys in the same db are left alone). Returns the count.
 */
export async function dropPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let dropped = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) dropped += await redis.unlink(...keys);
  } while (cursor !== '0');
  return dropped;
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The duty worker under `prefix` with a way to run one sweep and wait for its result. BullMQ leaves
 * a connection it was given open, so the QueueEvents connection is closed here, with the worker.
 */
export async function dutyHarness(deps: Deps, redis: Redis, prefix: string, tasks: DutyTask[] = []) {
  const duty = startDutyWorker(deps, { connection: redis, prefix, schedule: false, tasks });
  const eventsConnection = redis.duplicate();
  const events = new QueueEvents('duty', { connection: eventsConnection, prefix });
  await events.waitUntilReady();
  return {
    duty,
    async sweep(): Promise<Record<string, any>> {
      const job = await duty.sweepNow();
      return job.waitUntilFinished(events, 20_000);
    },
    async close(): Promise<void> {
      await events.close();
      eventsConnection.disconnect();
      await duty.queue.obliterate({ force: true }).catch(() => undefined);
      await duty.close();
    },
  };
}
