import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Redis } from 'ioredis';
import type { OutboxRow, Store } from '../../../services/store/port';
import { createQueues, closeQueues, type Queues } from '../../../workers/queues';
import { OutboxRelay } from '../../../workers/relay';
import { cleanQueues, freshStore, newPrefix, testRedis, waitFor } from './helpers';

const logger = pino({ level: 'silent' });

/** A row of `queue`; an unknown one stands for a row written by another version of the system. */
function row(queue: string, over: Partial<OutboxRow> = {}): OutboxRow {
  const id = randomUUID();
  return { id, queue: queue as OutboxRow['queue'], name: 'openReview', data: { caseId: id, kind: 'primary' }, createdAt: new Date().toISOString(), runAt: null, deliveredAt: null, ...over };
}

async function jobCount(queues: Queues): Promise<number> {
  const counts = await Promise.all(Object.values(queues).map((q) => q.getJobCountByTypes('waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized')));
  return counts.reduce((a, b) => a + b, 0);
}

describe('OutboxRelay', () => {
  let store: Store;
  let redis: Redis;
  let queues: Queues;

  beforeAll(async () => {
    store = await freshStore();
    redis = testRedis();
  }, 120_000);
  beforeEach(() => {
    queues = createQueues(redis, newPrefix());
  });
  afterEach(async () => {
    // Rows of one test must not leak into the next: mark whatever is left as delivered.
    const left = await store.outbox.listUndelivered(10_000);
    await store.outbox.markDelivered(left.map((r) => r.id), new Date().toISOString());
    await cleanQueues(queues);
    await closeQueues(queues);
  });
  afterAll(async () => {
    await store.close();
    redis.disconnect();
  });

  describe('flush', () => {
    it('when rows are committed, then each becomes a job whose id is the row id, delayed until runAt', async () => {
      const now = Date.now();
      const soon = row('reviews');
      const later = row('deadlines', { name: 'step', data: { deadlineId: 'd1', level: 'overdue' }, runAt: new Date(now + 60_000).toISOString() });
      await store.outbox.insert([soon, later]);
      const relay = new OutboxRelay(store, queues, { logger, clock: () => new Date(now) });
      await relay.flush();

      const job = await queues.reviews.getJob(soon.id);
      expect(job?.name).toBe('openReview');
      expect(job?.data).toEqual(soon.data);
      expect(job?.opts.delay ?? 0).toBe(0);
      const delayed = await queues.deadlines.getJob(later.id);
      expect(delayed?.opts.delay).toBe(60_000);
      expect(await delayed?.getState()).toBe('delayed');
      expect(await store.outbox.listUndelivered(10)).toEqual([]);
      await relay.stop();
    });
  });

  describe('start', () => {
    it('when rows were committed while no relay ran (a crash), then a started relay delivers each once and marks it', async () => {
      const rows = Array.from({ length: 25 }, () => row('reviews'));
      await store.outbox.insert(rows);
      const relay = new OutboxRelay(store, queues, { logger, batchSize: 10, pollMs: 50 });
      relay.start();
      await waitFor(async () => (await store.outbox.listUndelivered(100)).length === 0, 10_000, 'rows delivered');
      await relay.stop();
      expect(await jobCount(queues)).toBe(25);
      expect(relay.delivered).toBe(25);
    });

    it('when two relays run at once, then every row is still one job', async () => {
      const rows = Array.from({ length: 40 }, () => row('reviews'));
      await store.outbox.insert(rows);
      const a = new OutboxRelay(store, queues, { logger, batchSize: 7, pollMs: 20 });
      const b = new OutboxRelay(store, queues, { logger, batchSize: 7, pollMs: 20 });
      a.start();
      b.start();
      await Promise.all([a.flush(), b.flush()]);
      await waitFor(async () => (await store.outbox.listUndelivered(100)).length === 0, 10_000, 'rows delivered');
      await Promise.all([a.stop(), b.stop()]);
      expect(await jobCount(queues)).toBe(40);
      for (const r of rows) expect((await queues.reviews.getJob(r.id))?.id).toBe(r.id);
    });
  });

  describe('wake', () => {
    it('when woken in a burst, then the calls coalesce into few passes and all rows are delivered', async () => {
      let listings = 0;
      const counting: Store = Object.create(store);
      Object.defineProperty(counting, 'outbox', {
        value: { ...store.outbox, listUndelivered: (n: number) => (listings++, store.outbox.listUndelivered(n)) },
      });
      const relay = new OutboxRelay(counting, queues, { logger, pollMs: 60_000 });
      const rows = Array.from({ length: 5 }, () => row('notifications', { name: 'deliver', data: { notificationId: randomUUID() } }));
      await store.outbox.insert(rows);
      for (let i = 0; i < 50; i++) relay.wake();
      await relay.flush();
      expect(await queues.notifications.getJobCountByTypes('waiting')).toBe(5);
      expect(listings).toBeLessThanOrEqual(3);
      await relay.stop();
    });

    it('when committed rows are handed over, then they become jobs without a listing and are marked delivered with the next poll', async () => {
      let listings = 0;
      const counting: Store = Object.create(store);
      Object.defineProperty(counting, 'outbox', {
        value: { ...store.outbox, listUndelivered: (n: number) => (listings++, store.outbox.listUndelivered(n)) },
      });
      const relay = new OutboxRelay(counting, queues, { logger, pollMs: 60_000 });
      const rows = Array.from({ length: 4 }, () => row('reviews'));
      await store.outbox.insert(rows);
      relay.wake(rows.slice(0, 2));
      relay.wake(rows.slice(2));
      await waitFor(async () => (await queues.reviews.getJobCountByTypes('waiting')) === 4, 5000, 'jobs added');
      expect(listings).toBe(0);
      expect(relay.delivered).toBe(4);
      // Not yet recorded: a crash now would deliver them again (the same job ids).
      expect(await store.outbox.listUndelivered(10)).toHaveLength(4);

      await relay.flush();
      expect(await store.outbox.listUndelivered(10)).toEqual([]);
      expect(await queues.reviews.getJobCountByTypes('waiting')).toBe(4);
      expect(relay.delivered).toBe(4);
      await relay.stop();
    });

    it('when handed-over rows cannot be added (Redis away), then they stay undelivered and the next poll delivers them', async () => {
      const failing = createQueues(redis, newPrefix());
      const addBulk = failing.reviews.addBulk.bind(failing.reviews);
      let refuse = true;
      failing.reviews.addBulk = (jobs) => (refuse ? Promise.reject(new Error('redis away')) : addBulk(jobs));
      const relay = new OutboxRelay(store, failing, { logger, pollMs: 60_000 });
      const rows = [row('reviews'), row('reviews')];
      await store.outbox.insert(rows);
      relay.wake(rows);
      await relay.flush();
      expect(await store.outbox.listUndelivered(10)).toHaveLength(2);

      refuse = false;
      await relay.flush();
      expect(await store.outbox.listUndelivered(10)).toEqual([]);
      expect(await failing.reviews.getJobCountByTypes('waiting')).toBe(2);
      await relay.stop();
      await cleanQueues(failing);
      await closeQueues(failing);
    });

    it('when polls run while handed-over rows are still being added, then the polls pass over them and each is added once', async () => {
      const added: string[] = [];
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const addBulk = queues.reviews.addBulk.bind(queues.reviews);
      queues.reviews.addBulk = async (jobs) => {
        added.push(...jobs.map((j) => String(j.opts?.jobId)));
        await released; // Redis slow to answer the hand-over
        return addBulk(jobs);
      };
      const relay = new OutboxRelay(store, queues, { logger, pollMs: 20 });
      const rows = [row('reviews'), row('reviews'), row('reviews')];
      await store.outbox.insert(rows);
      relay.start();
      relay.wake(rows);
      await new Promise((r) => setTimeout(r, 200)); // several polls meanwhile
      release();
      await relay.flush();
      await relay.stop();
      expect(added.sort()).toEqual(rows.map((r) => r.id).sort());
      expect(await store.outbox.listUndelivered(10)).toEqual([]);
      expect(await queues.reviews.getJobCountByTypes('waiting')).toBe(3);
    });

    it('when commits hand rows over in one turn of the event loop, then they reach Redis in one request', async () => {
      const requests: number[] = [];
      const addBulk = queues.reviews.addBulk.bind(queues.reviews);
      queues.reviews.addBulk = (jobs) => (requests.push(jobs.length), addBulk(jobs));
      const relay = new OutboxRelay(store, queues, { logger, pollMs: 60_000 });
      const rows = Array.from({ length: 5 }, () => row('reviews'));
      await store.outbox.insert(rows);
      for (const r of rows) relay.wake([r]);
      await waitFor(async () => (await queues.reviews.getJobCountByTypes('waiting')) === 5, 5000, 'jobs added');
      expect(requests).toEqual([5]);
      await relay.stop();
    });

    it('when stopped with handed-over rows added but not recorded, then stop records them', async () => {
      const relay = new OutboxRelay(store, queues, { logger, pollMs: 60_000 });
      const rows = [row('reviews')];
      await store.outbox.insert(rows);
      relay.wake(rows);
      await waitFor(async () => (await queues.reviews.getJobCountByTypes('waiting')) === 1, 5000, 'job added');
      await relay.stop();
      expect(await store.outbox.listUndelivered(10)).toEqual([]);
    });

    it('when a row names an unknown queue, then it stays undelivered, is logged once, and does not block the others', async () => {
      const errors: unknown[] = [];
      const spy = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line)) });
      const relay = new OutboxRelay(store, queues, { logger: spy, batchSize: 2 });
      const bad = [row('mystery'), row('mystery')];
      await store.outbox.insert(bad);
      const good = [row('reviews'), row('reviews'), row('reviews')];
      await store.outbox.insert(good);
      await relay.flush();
      await relay.flush();

      expect((await store.outbox.listUndelivered(10)).map((r) => r.id).sort()).toEqual(bad.map((r) => r.id).sort());
      expect(await queues.reviews.getJobCountByTypes('waiting')).toBe(3);
      expect(errors).toHaveLength(2);
      await relay.stop();
    });
  });
});
