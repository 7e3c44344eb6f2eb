import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { Notification, Store } from '../../../services/store/port';
import { webhookRow } from '../../../services/queues/rows';
import { createWorkers, type Workers } from '../../../workers';
import { freshStore, newPrefix, obliterate, seedOrgs, testDeps, testRedis, waitFor } from './helpers';

const SECRET = 'test-webhook-secret';

interface Received {
  delivery: string;
  body: string;
  signed: boolean;
}

/** The receiving end (an outside system, so a fake is fine): verifies the signature, answers as told. */
function receiver(answers: Map<string, number[]>, received: Received[]): Server {
  return createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-ajsc-signature'] ?? ''));
      const delivery = String(req.headers['x-ajsc-delivery']);
      received.push({ delivery, body, signed: given.length === expected.length && timingSafeEqual(given, expected) });
      res.statusCode = answers.get(delivery)?.shift() ?? 200;
      res.end();
    });
  });
}

describe('notifications worker', () => {
  let store: Store;
  let redis: Redis;
  let server: Server;
  let workers: Workers;
  let prefix: string;
  let userId: string;
  const answers = new Map<string, number[]>();
  const received: Received[] = [];

  beforeAll(async () => {
    store = await freshStore();
    redis = testRedis();
    server = receiver(answers, received);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const deps = testDeps(store, { NOTIFY_WEBHOOK_URL: url, NOTIFY_WEBHOOK_SECRET: SECRET });
    userId = (await seedOrgs(store)).users.supervisor.id;
    prefix = newPrefix();
    workers = createWorkers(deps, { connection: redis, prefix, dispatch: async () => {}, relayPollMs: 50 });
  }, 120_000);
  afterAll(async () => {
    await workers.close();
    await obliterate(redis, prefix);
    await store.close();
    redis.disconnect();
    await new Promise((r) => server.close(r));
  });

  async function notify(statuses: number[]): Promise<Notification> {
    const n: Notification = {
      id: `ntf_${randomUUID()}`, userId, kind: 'deadline.overdue', title: '【逾期】测试', body: '测试正文',
      aggregateType: 'case', aggregateId: randomUUID(), createdAt: new Date().toISOString(), readAt: null,
    };
    answers.set(n.id, statuses);
    await store.transaction(async (tx) => {
      await tx.notifications.insert(n);
      await tx.outbox.insert([webhookRow(n, n.createdAt)]);
    });
    workers.relay.wake();
    return n;
  }
  const requestsFor = (n: Notification) => received.filter((r) => r.delivery === n.id);

  describe('deliver', () => {
    it('when the receiver answers 200, then it gets the notice once, signed over the raw body', async () => {
      const n = await notify([200]);
      await waitFor(async () => (await workers.queues.notifications.getJob(`wh_${n.id}`))?.finishedOn !== undefined, 5000, 'delivered');
      const [req] = requestsFor(n);
      expect(requestsFor(n)).toHaveLength(1);
      expect(req.signed).toBe(true);
      expect(JSON.parse(req.body)).toMatchObject({ id: n.id, userId, kind: 'deadline.overdue', title: '【逾期】测试', aggregateType: 'case' });
    });

    it('when the receiver answers 500 then 200, then the delivery is retried with backoff and succeeds', async () => {
      const n = await notify([500, 200]);
      await waitFor(async () => (await (await workers.queues.notifications.getJob(`wh_${n.id}`))?.getState()) === 'completed', 10_000, 'retried');
      expect(requestsFor(n).map((r) => r.signed)).toEqual([true, true]);
      expect(new Set(requestsFor(n).map((r) => r.body)).size).toBe(1);
    });

    it('when the receiver answers 400, then the delivery fails for good without a retry', async () => {
      const n = await notify([400, 200]);
      await waitFor(async () => (await (await workers.queues.notifications.getJob(`wh_${n.id}`))?.getState()) === 'failed', 5000, 'failed');
      const job = await workers.queues.notifications.getJob(`wh_${n.id}`);
      expect(job?.attemptsMade).toBe(1);
      expect(job?.failedReason).toContain('400');
      await new Promise((r) => setTimeout(r, 300));
      expect(requestsFor(n)).toHaveLength(1);
    });
  });
});
