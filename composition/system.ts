import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import type { Config } from '../config/schema';
import { createWorkers, createQueues, closeQueues, type Queues, type Workers } from '../workers';
import { reviewsProcessor } from '../workers/reviews';
import { ensureRootAdmin } from './bootstrap';
import type { Deps } from '../services/deps';
import { createAuthenticator } from '../services/http/auth';
import { createApp } from '../services/http/app';
import { refreshGauges } from '../services/ops/gauges';
import { createQueueBoard } from '../services/ops/queue-board';
import { createDispatch } from '../services/queues/tell';
import { redisConnection } from '../services/redis/connection';
import { redisOutageLog } from '../services/redis/outage-log';
import { buildDeps, dataDirSecret } from './runtime';
import { createStore } from '../services/store';
import type { Store } from '../services/store/port';

export interface SystemOptions {
  config: Config;
  redisUrl: string;
  /** Run the HTTP API (and its queue dashboard). */
  api: boolean;
  /** Run the workers, relay and reconciler in this process. */
  workers: boolean;
  logger?: Logger;
  clock?: () => Date;
  /** An already open store (tests); otherwise one is opened from config. */
  store?: Store;
  calendarDirectory?: string;
  /** Seed demo data on an empty store (start-up only). */
  seed?: (deps: Deps) => Promise<unknown>;
  /** Told of every commit's outbox rows as they are handed to the relay (benchmarks time them). */
  onCommitted?: Deps['wake'];
}

export interface System {
  deps: Deps;
  app?: ReturnType<typeof createApp>;
  workers?: Workers;
  queues?: Queues;
  redis: Redis;
  /** Stops workers, closes queues, Redis and the store (not an HTTP server: the caller owns it). */
  close(): Promise<void>;
}

/**
 * The composition root (STYLE.md habit 6): store, Redis, deps, app and workers, wired once. Both
 * main.ts files and the end-to-end tests start the system through here.
 */
export async function startSystem(opts: SystemOptions): Promise<System> {
  const { config } = opts;
  const logger = opts.logger ?? pino({ level: config.LOG_LEVEL, base: { service: 'ajsc' } });
  const store =
    opts.store ??
    (await createStore({ mongoUri: config.MONGODB_URI, databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, dataDir: config.DATA_DIR, auditHash: config.AUDIT_HASH, logger }));
  const redis = redisConnection(opts.redisUrl);
  redis.on('error', (err) => redisOutageLog(logger).report('connection', err));
  redis.on('ready', () => redisOutageLog(logger).recovered());
  // Opened before the deps, which name them (gauges, the queue board); the workers close them.
  const queues = opts.workers || opts.api ? createQueues(redis, config.QUEUE_PREFIX) : undefined;
  // The relay starts with the workers, after the deps it needs: until then a commit has nobody to wake.
  let relayWake: Deps['wake'] = () => undefined;
  const deps: Deps = await buildDeps({
    config,
    store,
    logger,
    clock: opts.clock,
    wake: (rows) => {
      opts.onCommitted?.(rows);
      relayWake(rows);
    },
    pingRedis: async () => {
      // While the client reconnects a PING would wait in its offline queue for the outage to end.
      if (redis.status !== 'ready') throw new Error(`redis connection is ${redis.status}`);
      if ((await redis.ping()) !== 'PONG') throw new Error('redis did not answer PONG');
    },
    calendarDirectory: opts.calendarDirectory,
    refreshGauges: () => refreshGauges(deps, queues),
    queueBoard: opts.api && queues ? createQueueBoard(Object.values(queues), redis, config.QUEUE_PREFIX) : undefined,
  });
  await ensureRootAdmin(store, deps.clock());
  if (opts.seed) await opts.seed(deps);

  let workers: Workers | undefined;
  if (opts.workers) {
    workers = createWorkers(deps, {
      connection: redis,
      prefix: config.QUEUE_PREFIX,
      queues,
      dispatch: createDispatch(deps),
      reviewsProcessor: reviewsProcessor(deps),
    });
    relayWake = (rows) => workers!.relay.wake(rows);
  }

  let app: ReturnType<typeof createApp> | undefined;
  if (opts.api) {
    const devSecret = config.AUTH_MODE === 'dev' && !config.DEV_JWT_SECRET ? (await dataDirSecret(config.DATA_DIR, 'dev-jwt.key', 32)).toString('hex') : undefined;
    app = createApp(deps, { authenticator: createAuthenticator(config, devSecret), redis });
  }

  return {
    deps,
    app,
    workers,
    queues,
    redis,
    async close() {
      if (workers) await workers.close();
      else if (queues) await closeQueues(queues);
      redis.disconnect();
      await store.close();
    },
  };
}

/** Stops accepting connections and waits for in-flight requests (they finish, nothing is half-applied). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
