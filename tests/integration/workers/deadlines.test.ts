import { UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Deps } from '../../../services/deps';
import { AppError } from '../../../services/errors';
import { nextStepRows } from '../../../services/queues/rows';
import type { DeadlineRecord, Store } from '../../../services/store/port';
import { deadlinesProcessor, type DeadlineReachedEvent } from '../../../workers/deadlines';
import { createWorkers } from '../../../workers';
import { caseRecord, deadlineRecord, freshStore, newPrefix, obliterate, seedOrgs, testDeps, testRedis, waitFor } from './helpers';

type Seeded = Awaited<ReturnType<typeof seedOrgs>>;
type Sent = [string, string, DeadlineReachedEvent];

const job = (name: string, data: Record<string, unknown>) => ({ name, data }) as unknown as Job;
const HOUR = 3_600_000;

describe('deadlines worker', () => {
  let store: Store;
  let org: Seeded;
  let now: number;
  let deps: Deps;
  let sent: Sent[];
  let run: (j: Job) => Promise<unknown>;

  beforeAll(async () => {
    store = await freshStore();
    org = await seedOrgs(store);
  }, 120_000);
  afterAll(() => store.close());
  beforeEach(() => {
    now = Date.now();
    deps = testDeps(store, {}, () => new Date(now));
    sent = [];
    run = deadlinesProcessor(deps, { dispatch: async (...args) => void sent.push(args), wake: () => {} });
  });

  /** A case of the township with both inspectors assigned, and its deadline (steps relative to now). */
  async function openDeadline(steps = { warning: HOUR, overdue: 2 * HOUR, escalated: 3 * HOUR }) {
    const c = caseRecord(org.town.id, [org.users.inspectorA.id, org.users.inspectorB.id]);
    const d = deadlineRecord(c, steps, now);
    await store.transaction(async (tx) => {
      await tx.cases.insert(c);
      await tx.deadlines.insert(d);
    });
    return { c, d };
  }
  const inbox = async (userId: string, d: DeadlineRecord) =>
    (await store.notifications.listForUser(userId, 100)).filter((n) => n.aggregateId === d.aggregateId);
  const reachedRows = async () => (await store.outbox.listUndelivered(1000)).filter((r) => r.name === 'reached');
  /** Runs the `reached` rows written so far as jobs, as the relay and a worker would. */
  async function deliverReached() {
    const rows = await reachedRows();
    for (const r of rows) await run(job(r.name, r.data));
    await store.outbox.markDelivered(rows.map((r) => r.id), new Date().toISOString());
  }

  describe('step', () => {
    it('when warning, overdue and escalated come due in turn, then each is taken once and told to the right people', async () => {
      const { d } = await openDeadline();
      const { inspectorA, inspectorB, supervisor, countyHead, townHead } = org.users;

      now += HOUR;
      await run(job('step', { deadlineId: d.id, level: 'warning' }));
      expect(await store.deadlines.get(d.id)).toMatchObject({ escalation: 'warning', status: 'open' });
      expect((await inbox(inspectorA.id, d)).map((n) => n.kind)).toEqual(['deadline.warning']);
      expect((await inbox(inspectorB.id, d))[0].title).toMatch(/^【预警】.*将于.*到期$/);
      expect(await inbox(supervisor.id, d)).toEqual([]);

      now += HOUR;
      await run(job('step', { deadlineId: d.id, level: 'overdue' }));
      expect(await store.deadlines.get(d.id)).toMatchObject({ escalation: 'overdue', status: 'overdue' });
      expect((await inbox(supervisor.id, d)).map((n) => n.title)).toEqual([expect.stringMatching(/^【逾期】/)]);
      expect(await inbox(inspectorA.id, d)).toHaveLength(2);

      now += HOUR;
      await run(job('step', { deadlineId: d.id, level: 'escalated' }));
      expect(await store.deadlines.get(d.id)).toMatchObject({ escalation: 'escalated', status: 'overdue' });
      const [up] = await inbox(countyHead.id, d);
      expect(up.title).toMatch(/^【升级督办】.*已逾期5个工作日$/);
      expect(up.body).toContain('压案不查');
      expect(await inbox(townHead.id, d)).toEqual([]);
      expect(await inbox(inspectorA.id, d)).toHaveLength(2);

      await deliverReached();
      expect(sent.map(([, , e]) => e.level)).toEqual(['warning', 'overdue', 'escalated']);
      expect(sent[0]).toEqual(['case', d.aggregateId, { type: 'deadline.reached', key: 'talkInquiry.reply', level: 'warning' }]);
    });

    it('when the same job runs twice, then the second run changes nothing', async () => {
      const { d } = await openDeadline();
      now += 2 * HOUR;
      await run(job('step', { deadlineId: d.id, level: 'overdue' }));
      const after = { record: await store.deadlines.get(d.id), inbox: await inbox(org.users.supervisor.id, d), rows: await store.outbox.listUndelivered(1000) };
      await expect(run(job('step', { deadlineId: d.id, level: 'overdue' }))).resolves.toEqual({ skipped: 'taken' });
      expect(await store.deadlines.get(d.id)).toEqual(after.record);
      expect(await inbox(org.users.supervisor.id, d)).toEqual(after.inbox);
      expect(await store.outbox.listUndelivered(1000)).toEqual(after.rows);
      await deliverReached();
    });

    it('when the warning and the overdue step are both due, then the stale warning is passed over', async () => {
      const { d } = await openDeadline();
      now += 2 * HOUR;
      await run(job('step', { deadlineId: d.id, level: 'overdue' }));
      expect((await inbox(org.users.inspectorA.id, d)).map((n) => n.kind)).toEqual(['deadline.overdue']);
      await deliverReached();
      expect(sent.map(([, , e]) => e.level)).toEqual(['overdue']);
    });

    it('when the deadline was re-planned later, then the stale job of the old time does nothing', async () => {
      const { d } = await openDeadline();
      await store.deadlines.update({ ...d, dueAt: new Date(now + 30 * HOUR).toISOString(), steps: { ...d.steps, overdue: new Date(now + 30 * HOUR).toISOString() } });
      now += 2 * HOUR;
      await expect(run(job('step', { deadlineId: d.id, level: 'overdue' }))).resolves.toEqual({ skipped: 'early' });
      expect(await store.deadlines.get(d.id)).toMatchObject({ escalation: 'none', status: 'open' });
      expect(await inbox(org.users.supervisor.id, d)).toEqual([]);
    });

    it('when the deadline is closed, then its step does nothing', async () => {
      const { d } = await openDeadline();
      await store.deadlines.update({ ...d, status: 'met', closedAt: new Date(now).toISOString() });
      now += 2 * HOUR;
      await expect(run(job('step', { deadlineId: d.id, level: 'overdue' }))).resolves.toEqual({ skipped: 'closed' });
      expect(await inbox(org.users.inspectorA.id, d)).toEqual([]);
      expect(await reachedRows()).toEqual([]);
    });

    it('when a webhook is configured, then each notice gets a delivery row in the same transaction', async () => {
      deps = testDeps(store, { NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/hook' }, () => new Date(now));
      run = deadlinesProcessor(deps, { dispatch: async (...args) => void sent.push(args), wake: () => {} });
      const { d } = await openDeadline();
      now += 2 * HOUR;
      await run(job('step', { deadlineId: d.id, level: 'overdue' }));
      const hooks = (await store.outbox.listUndelivered(1000)).filter((r) => r.queue === 'notifications');
      expect(hooks).toHaveLength(3); // two assignees and the supervisor
      await store.outbox.markDelivered(hooks.map((r) => r.id), new Date().toISOString());
      await deliverReached();
    });
  });

  describe('reached', () => {
    it('when the aggregate refuses the event, then the job fails for good; when dispatch fails otherwise, it is retried', async () => {
      const { d } = await openDeadline();
      const refusing = deadlinesProcessor(deps, { dispatch: async () => Promise.reject(new AppError('not_found', 'case not found')), wake: () => {} });
      const data = { deadlineId: d.id, aggregateType: 'case', aggregateId: d.aggregateId, key: d.key, levels: ['overdue'] };
      await expect(refusing(job('reached', data))).rejects.toBeInstanceOf(UnrecoverableError);
      const flaky = deadlinesProcessor(deps, { dispatch: async () => Promise.reject(new Error('database away')), wake: () => {} });
      const failure = await flaky(job('reached', data)).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(UnrecoverableError);
    });
  });
});

describe('createWorkers', () => {
  let store: Store;
  let redis: Redis;

  beforeAll(async () => {
    store = await freshStore();
    redis = testRedis();
  }, 120_000);
  afterAll(async () => {
    await store.close();
    redis.disconnect();
  });

  it('when a committed deadline comes due, then relay, delayed job and worker take each step on time and tell the aggregate', async () => {
    const org = await seedOrgs(store);
    const deps = testDeps(store);
    const c = caseRecord(org.town.id, [org.users.inspectorA.id]);
    const d = deadlineRecord(c, { overdue: 1500, escalated: 2500 });
    await store.transaction(async (tx) => {
      await tx.cases.insert(c);
      await tx.deadlines.insert(d);
      await tx.outbox.insert(nextStepRows(d, new Date().toISOString()));
    });
    const sent: DeadlineReachedEvent[] = [];
    const lateness: number[] = [];
    const prefix = newPrefix();
    const workers = createWorkers(deps, {
      connection: redis,
      prefix,
      dispatch: async (_t, _id, event) => void sent.push(event),
      reconcileIntervalMs: 60_000,
      onTaken: (r) => lateness.push(r.committedAt! - Date.parse(r.plannedAt!)),
    });
    try {
      await waitFor(() => sent.length === 2, 10_000, 'both steps sent');
      expect(sent.map((e) => e.level)).toEqual(['overdue', 'escalated']);
      expect(await store.deadlines.get(d.id)).toMatchObject({ escalation: 'escalated', status: 'overdue' });
      expect((await store.notifications.listForUser(org.users.countyHead.id, 10)).map((n) => n.kind)).toEqual(['deadline.escalated']);
      expect(Math.max(...lateness)).toBeLessThan(1000);
    } finally {
      await workers.close();
      await obliterate(redis, prefix);
    }
  });
});
