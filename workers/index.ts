/**
 * Worker wiring (STYLE.md habit 6): `createWorkers(deps, …)` starts the queue workers, the outbox
 * relay and the reconciler and returns what `main.ts` needs to stop them. It opens no connection
 * of its own beyond BullMQ's blocking ones and never closes the store or the given connection.
 */
import { redisOutageLog } from '../services/redis/outage-log';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Deps } from '../services/deps';
import { asSystemWork } from '../services/store';
import { deadlinesProcessor, type Dispatch } from './deadlines';
import { startDutyWorker, type DutyWorker } from './duty';
import { frequencyTrigger } from '../services/accountability';
import type { TakeResult } from '../services/deadlines/take';
import { notificationsProcessor } from './notifications';
import { startOutboxPurge } from './outbox-purge';
import { closeQueues, createQueues, WORKER_LOCK_OPTIONS, type QueueName, type Queues } from './queues';
import { startReconciler } from './reconciler';
import { OutboxRelay } from './relay';

export type { Dispatch, DeadlineReachedEvent } from './deadlines';
export { reconcile } from './reconciler';
export { OutboxRelay } from './relay';
export { createQueues, closeQueues, QUEUE_NAMES, WORKER_LOCK_OPTIONS, type Queues, type QueueName } from './queues';

export interface WorkersOptions {
  connection: ConnectionOptions;
  /** BullMQ key prefix (`QUEUE_PREFIX`). */
  prefix: string;
  /** Queues opened by the caller on `connection` under `prefix` (closed with the workers); opened here otherwise. */
  queues?: Queues;
  dispatch: Dispatch;
  /** Processor of the `reviews` queue; without it this process runs no reviews worker. */
  reviewsProcessor?: (job: Job) => Promise<unknown>;
  /** Jobs in flight per queue. Deadline takes are short transactions; webhooks wait on the network. */
  concurrency?: Partial<Record<QueueName, number>>;
  /** Default `RECONCILE_INTERVAL_MS` from the config. */
  reconcileIntervalMs?: number;
  relayPollMs?: number;
  onTaken?: (result: TakeResult) => void;
}

export interface Workers {
  relay: OutboxRelay;
  queues: Queues;
  workers: Worker[];
  /** Resolves when the reconciler's run in flight (the first one, right after start) is over. */
  reconciled(): Promise<void>;
  /** Asks the reconciler for a run now (or right after the one in flight). */
  reconcileSoon(): void;
  close(): Promise<void>;
}

const DEFAULT_CONCURRENCY: Record<QueueName, number> = { reviews: 4, deadlines: 16, notifications: 4 };

export function createWorkers(deps: Deps, options: WorkersOptions): Workers {
  const { connection, prefix } = options;
  const queues = options.queues ?? createQueues(connection, prefix);
  const relay = new OutboxRelay(deps.store, queues, { logger: deps.logger, pollMs: options.relayPollMs, clock: deps.clock, metrics: deps.metrics });
  // Takes commit outbox rows (reached, webhook): deliver them at once, here and wherever deps.wake points.
  const wake = () => {
    relay.wake();
    deps.wake();
  };
  const concurrency = { ...DEFAULT_CONCURRENCY, ...options.concurrency };
  const start = (name: QueueName, processor: (job: Job) => Promise<unknown>) => {
    // The system's own work: its store calls go ahead of user requests (services/store/work-priority.ts).
    const worker = new Worker(name, (job) => asSystemWork(() => processor(job)), { connection, prefix, concurrency: concurrency[name], ...WORKER_LOCK_OPTIONS });
    worker.on('failed', (job, err) =>
      deps.logger.warn({ queue: name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'),
    );
    // Without a listener an 'error' event (e.g. a lost connection) would be thrown.
    worker.on('error', (err) => redisOutageLog(deps.logger).report(`worker ${name}`, err));
    return worker;
  };
  const workers = [
    start('deadlines', deadlinesProcessor(deps, { dispatch: options.dispatch, wake, onTaken: options.onTaken })),
    start('notifications', notificationsProcessor(deps)),
    ...(options.reviewsProcessor ? [start('reviews', options.reviewsProcessor)] : []),
  ];
  relay.start();
  // Talk coverage reminders/escalations and the 一案双查 frequency trigger.
  const duty: DutyWorker = startDutyWorker(deps, { connection, prefix, tasks: [frequencyTrigger] });
  const reconciler = startReconciler(deps, queues, options.reconcileIntervalMs ?? deps.config.RECONCILE_INTERVAL_MS, {
    relay,
    wake,
    onTaken: options.onTaken,
  });
  // Delivered outbox rows older than the retention window are deleted (workers/outbox-purge.ts).
  const purge = startOutboxPurge(deps, { retentionMs: deps.config.OUTBOX_RETENTION_MS, intervalMs: deps.config.OUTBOX_PURGE_INTERVAL_MS });
  // A Redis that comes back may have lost its data: reconcile at once rather than one period later.
  const onReady = () => reconciler.runSoon();
  const client = redisClientOf(connection);
  client?.on('ready', onReady);

  return {
    relay,
    queues,
    workers,
    reconciled: reconciler.idle,
    reconcileSoon: reconciler.runSoon,
    async close() {
      client?.off('ready', onReady);
      await purge.stop();
      await reconciler.stop();
      // Active jobs finish first; they may still commit rows, which the relay then delivers.
      await Promise.all([...workers.map((w) => w.close()), duty.close()]);
      await relay.flush();
      await relay.stop();
      await closeQueues(queues);
    },
  };
}

/** The shared ioredis client, when the connection is one (not plain options). */
function redisClientOf(connection: ConnectionOptions): { on(event: 'ready', fn: () => void): unknown; off(event: 'ready', fn: () => void): unknown } | null {
  const c = connection as { on?: unknown; off?: unknown };
  return typeof c.on === 'function' && typeof c.off === 'function' ? (connection as never) : null;
}
