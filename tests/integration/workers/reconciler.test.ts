import type { Redis } from 'ioredis';
import { deadlineStepJobId, nextStepRows } from '../../../services/queues/rows';
import type { Deps } from '../../../services/deps';
import type { DeadlineRecord, Store } from '../../../services/store/port';
import { closeQueues, createQueues, createWorkers, OutboxRelay, type DeadlineReachedEvent, type Workers } from '../../../workers';
import { caseRecord, deadlineRecord, dropPrefix, freshStore, newPrefix, obliterate, seedOrgs, testDeps, testRedis, waitFor } from './helpers';

const HOUR = 3_600_000;

describe('reconciler', () => {
  let store: Store;
  let redis: Redis;
  let deps: Deps;
  let org: Awaited<ReturnType<typeof seedOrgs>>;
  let prefix: string;
  let sent: Array<{ id: string; event: DeadlineReachedEvent }>;

  beforeAll(async () => {
    store = await freshStore();
    redis = testRedis();
    deps = testDeps(store);
    org = await seedOrgs(store);
  }, 120_000);
  beforeEach(() => {
    prefix = newPrefix();
    sent = [];
  });
  afterEach(() => obliterate(redis, prefix));
  afterAll(async () => {
    await store.close();
    redis.disconnect();
  });

  const start = (reconcileIntervalMs: number) =>
    createWorkers(deps, {
      connection: redis,
      prefix,
      dispatch: async (_t, id, event) => void sent.push({ id, event }),
      reconcileIntervalMs,
      relayPollMs: 50,
    });

  async function commitDeadline(steps: { overdue: number; escalated: number }): Promise<DeadlineRecord> {
    const c = caseRecord(org.town.id, [org.users.inspectorA.id]);
    const d = deadlineRecord(c, steps);
    await store.transaction(async (tx) => {
      await tx.cases.insert(c);
      await tx.deadlines.insert(d);
      await tx.outbox.insert(nextStepRows(d, new Date().toISOString()));
    });
    return d;
  }

  const jobOf = (w: Workers, d: DeadlineRecord, level: 'overdue' | 'escalated') => w.queues.deadlines.getJob(deadlineStepJobId(d.id, level, d.steps[level]!));

  /** Redis loses its data: every key of this test's queues is gone (never a FLUSHDB of a shared db). */
  async function loseRedisData(): Promise<void> {
    expect(await dropPrefix(redis, prefix)).toBeGreaterThan(0);
  }

  describe('Redis losing its data while deadlines are open', () => {
    it('when Redis loses every delayed job while workers run, then the reconciler re-adds them and the steps still fire', async () => {
      const soon = await commitDeadline({ overdue: 3000, escalated: HOUR });
      const later = await commitDeadline({ overdue: HOUR, escalated: 2 * HOUR });
      const workers = start(400);
      try {
        // One alarm per clock: the job of its next step.
        await waitFor(async () => (await workers.queues.deadlines.getJobCountByTypes('delayed')) === 2, 15_000, 'two delayed jobs');
        expect(await jobOf(workers, later, 'escalated')).toBeUndefined();
        await loseRedisData();
        expect(await workers.queues.deadlines.getJobCountByTypes('delayed')).toBe(0);

        await waitFor(async () => (await jobOf(workers, later, 'overdue')) !== undefined, 15_000, 'jobs restored');
        expect(await jobOf(workers, later, 'escalated')).toBeUndefined();
        await waitFor(() => sent.some((s) => s.id === soon.aggregateId), 15_000, 'the soon step taken');
        expect(await store.deadlines.get(soon.id)).toMatchObject({ escalation: 'overdue', status: 'overdue' });
        // Taking a step gives the clock the alarm of the next one.
        await waitFor(async () => (await jobOf(workers, soon, 'escalated')) !== undefined, 15_000, 'the next step scheduled');
        expect(await (await jobOf(workers, soon, 'escalated'))!.getState()).toBe('delayed');
      } finally {
        await workers.close();
      }
    });

    it('when Redis was flushed while no worker ran and a step came due meanwhile, then the first reconcile takes it and restores the rest', async () => {
      // The step jobs reach Redis through a relay alone: no worker runs, so none can take the
      // step before Redis loses it, however slow the machine (a worker here once did, under load).
      const queues = createQueues(redis, prefix);
      const relay = new OutboxRelay(store, queues, { logger: deps.logger, pollMs: 60_000 });
      const due = await commitDeadline({ overdue: 1000, escalated: HOUR });
      const future = await commitDeadline({ overdue: HOUR, escalated: 2 * HOUR });
      await relay.flush();
      expect(await queues.deadlines.getJobCountByTypes('delayed')).toBe(2);
      await relay.stop();
      await closeQueues(queues);
      await loseRedisData();
      await new Promise((r) => setTimeout(r, 1200));

      const workers = start(60_000);
      try {
        await workers.reconciled();
        expect(await store.deadlines.get(due.id)).toMatchObject({ escalation: 'overdue', status: 'overdue' });
        expect((await store.notifications.listForUser(org.users.supervisor.id, 50)).filter((n) => n.aggregateId === due.aggregateId)).toHaveLength(1);
        // The step taken wrote its successor's alarm; the future clock got its next step's back.
        await waitFor(async () => (await jobOf(workers, due, 'escalated')) !== undefined, 15_000, 'the next step scheduled');
        expect(await jobOf(workers, future, 'overdue')).toBeDefined();
        expect(await jobOf(workers, future, 'escalated')).toBeUndefined();
        await waitFor(() => sent.some((s) => s.id === due.aggregateId && s.event.level === 'overdue'), 15_000, 'deadline.reached sent');
        expect(sent.filter((s) => s.id === due.aggregateId)).toHaveLength(1);
      } finally {
        await workers.close();
      }
    });
  });
});
