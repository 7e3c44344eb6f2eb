/**
 * Worker wiring (STYLE.md habit 6): `createWorkers(deps, …)` starts the queue workers, the outbox
 * relay and the reconciler and returns what `main.ts` needs to stop them. It opens no connection
 * of its own beyond BullMQ's blocking ones and never closes the store or the given connection.
 */
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Deps } from '../services/deps';
import { asSystemWork } from '../services/store';
import { deadlinesProcessor, type Dispatch } from './deadlines';
import type { TakeResult } from './deadline-steps';
import { notificationsProcessor } from './notifications';
import { closeQueues, createQueues, type QueueName, type Queues } from './queues';
import { startReconciler } from './reconciler';
import { OutboxRelay } from './relay';

export type { Dispatch, DeadlineReachedEvent } from './deadlines';
export { reconcile } from './reconciler';
export { OutboxRelay } from './relay';
export { createQueues, closeQueues, QUEUE_NAMES, type Queues, type QueueName } from './queues';

export interface WorkersOptions {
  connection: ConnectionOptions;
  /** BullMQ key prefix (`QUEUE_PREFIX`). */
  prefix: string;
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
  close(): Promise<void>;
}

const DEFAULT_CONCURRENCY: Record<QueueName, number> = { reviews: 4, deadlines: 16, notifications: 4 };

export function createWorkers(deps: Deps, options: WorkersOptions): Workers {
  const { connection, prefix } = options;
  const queues = createQueues(connection, prefix);
  const relay = new OutboxRelay(deps.store, queues, { logger: deps.logger, pollMs: options.relayPollMs, clock: deps.clock, metrics: deps.metrics });
  // Takes commit outbox rows (reached, webhook): deliver them at once, here and wherever deps.wake points.
  const wake = () => {
    relay.wake();
    deps.wake();
  };
  const concurrency = { ...DEFAULT_CONCURRENCY, ...options.concurrency };
  const start = (name: QueueName, processor: (job: Job) => Promise<unknown>) => {
    // The system's own work: its store calls go ahead of user requests (services/store/turns.ts).
    const worker = new Worker(name, (job) => asSystemWork(() => processor(job)), { connection, prefix, concurrency: concurrency[name] });
    worker.on('failed', (job, err) =>
      deps.logger.warn({ queue: name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'),
    );
    // Without a listener an 'error' event (e.g. a lost connection) would be thrown.
    worker.on('error', (err) => deps.logger.error({ queue: name, err }, 'worker error'));
    return worker;
  };
  const workers = [
    start('deadlines', deadlinesProcessor(deps, { dispatch: options.dispatch, wake, onTaken: options.onTaken })),
    start('notifications', notificationsProcessor(deps)),
    ...(options.reviewsProcessor ? [start('reviews', options.reviewsProcessor)] : []),
  ];
  relay.start();
  const reconciler = startReconciler(deps, queues, options.reconcileIntervalMs ?? deps.config.RECONCILE_INTERVAL_MS, {
    relay,
    wake,
    onTaken: options.onTaken,
  });

  return {
    relay,
    queues,
    workers,
    reconciled: reconciler.idle,
    async close() {
      await reconciler.stop();
      // Active jobs finish first; they may still commit rows, which the relay then delivers.
      await Promise.all(workers.map((w) => w.close()));
      await relay.flush();
      await relay.stop();
      await closeQueues(queues);
    },
  };
}
