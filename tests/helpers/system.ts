/**
 * The whole system for end-to-end tests: the real HTTP app on a fresh PGlite store (or, with
 * `store: 'postgres'` or TEST_STORE=postgres, a PostgreSQL database of its own), the real Redis
 * (own db index, unique BullMQ prefix per system), optionally the workers in the same process.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import request from 'supertest';
import type { Config } from '../../config/schema';
import { loadConfig } from '../../config/schema';
import { startSystem, type System } from '../../composition/system';
import { pgliteHarness, pgliteThreadHarness, postgresHarness, type StoreHarness } from './store';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/3';

export interface TestSystem extends System {
  config: Config;
  harness: StoreHarness;
  http: ReturnType<typeof request>;
  token(userId: string): Promise<string>;
  /** A request builder acting as `userId`. */
  as(userId: string): Promise<AgentFor>;
  stop(): Promise<void>;
}

export interface AgentFor {
  get(url: string): request.Test;
  post(url: string, body?: object): request.Test;
  put(url: string, body?: object): request.Test;
}

/** PGlite in a thread of its own (as `npm start` runs it), PGlite in the test's thread, or PostgreSQL. */
export type TestStore = 'pglite-thread' | 'pglite' | 'postgres';
const TEST_STORES: readonly TestStore[] = ['pglite-thread', 'pglite', 'postgres'];

/** TEST_STORE when it names a store, else PGlite in its own thread. */
function testStore(): TestStore {
  const named = process.env.TEST_STORE;
  if (named === undefined || named === '') return 'pglite-thread';
  if (!(TEST_STORES as readonly string[]).includes(named)) throw new Error(`TEST_STORE=${named}: expected one of ${TEST_STORES.join(', ')}`);
  return named as TestStore;
}

export interface TestSystemOptions {
  workers?: boolean;
  env?: Record<string, string>;
  clock?: () => Date;
  logger?: Logger;
  /** The store's engine (default: TEST_STORE, else PGlite in a thread of its own, as the service runs it). */
  store?: TestStore;
}

export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  const engine = options.store ?? testStore();
  const harness = await { postgres: postgresHarness, pglite: pgliteHarness, 'pglite-thread': pgliteThreadHarness }[engine]({ auditHash: 'sm3' });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: `/tmp/ajsc-test-${randomBytes(4).toString('hex')}`,
    DEV_JWT_SECRET: randomBytes(32).toString('hex'),
    REPORTER_KEY: randomBytes(16).toString('hex'),
    QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
    RECONCILE_INTERVAL_MS: '1000',
    ...options.env,
  });
  const system = await startSystem({ config, redisUrl: TEST_REDIS_URL, api: true, workers: options.workers ?? false, store: harness.store, clock: options.clock, logger: options.logger });
  const http = request(system.app!);
  const tokens = new Map<string, string>();
  const token = async (userId: string) => {
    if (!tokens.has(userId)) {
      const res = await http.post('/api/v1/auth/dev-token').send({ userId });
      if (res.status !== 200) throw new Error(`no token for ${userId}: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(userId, res.body.token);
    }
    return tokens.get(userId)!;
  };
  return {
    ...system,
    config,
    harness,
    http,
    token,
    async as(userId) {
      const auth = `Bearer ${await token(userId)}`;
      return {
        get: (url) => http.get(url).set('authorization', auth),
        post: (url, body) => http.post(url).set('authorization', auth).send(body ?? {}),
        put: (url, body) => http.put(url).set('authorization', auth).send(body ?? {}),
      };
    },
    async stop() {
      if (system.queues) await Promise.all(Object.values(system.queues).map((q) => q.obliterate({ force: true }).catch(() => undefined)));
      await system.close();
      await harness.dispose().catch(() => undefined);
    },
  };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
