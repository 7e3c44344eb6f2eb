/**
 * The BullMQ side of the three queues of ARCHITECTURE.md §5 (their names and job data are in
 * services/queues/contracts.ts). The outbox row id is the job id, so a row delivered twice is one
 * job while that job exists.
 */
import { Queue, type ConnectionOptions, type DefaultJobOptions, type JobsOptions, type WorkerOptions } from 'bullmq';
import type { JobKey, QueueName } from '../services/queues/contracts';

export { isQueueName, QUEUE_NAMES, type QueueName } from '../services/queues/contracts';
export type Queues = Record<QueueName, Queue>;

/**
 * 8 attempts with exponential backoff from 2 s cover about 4 minutes of a flapping database or
 * webhook before a job is left failed; the reconciler takes any deadline step whose job gave up.
 * Finished jobs are kept a while for the dashboard and for jobId de-duplication, then trimmed.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 10_000 },
};

/**
 * Options of particular jobs, by `queue/name`, applied by the relay. `deadline.reached` follow-ups
 * get a priority so that, when the deadlines queue has a backlog, the alarms themselves (which BullMQ
 * runs before any prioritized job) are taken first: lateness of a take is what officials see.
 */
export const JOB_OPTIONS: Readonly<Partial<Record<JobKey, JobsOptions>>> = {
  'deadlines/reached': { priority: 10 },
};

/**
 * How fast a job held by a dead process is taken over (docs/decisions/007-effects-reconciled.md).
 * The jobs last milliseconds (a webhook at most its 10 s timeout, during which the lock is renewed
 * every `lockDuration / 2`), so BullMQ's 30 s lock and 30 s stalled check only delayed recovery:
 * now the lock of a dead process lapses within 5 s and the next check (every second) puts the job
 * back, about 6 s after the kill. A live process whose event loop is blocked for more than 2.5 s
 * may lose a lock and see its job run twice, which the idempotent consumers absorb. After
 * `maxStalledCount` stalls BullMQ fails the job; the reconciler retries it while its consequence is
 * missing from the store. Every worker of a queue must use the same `stalledInterval`
 * (decision 007): the one that runs a stalled check holds the queue's check key for its own interval.
 */
export const WORKER_LOCK_OPTIONS = { lockDuration: 5_000, stalledInterval: 1_000, maxStalledCount: 2 } as const satisfies Partial<WorkerOptions>;
/** Opens the three queues
 on one shared connection under `prefix` (one prefix per deployment or test run). */
export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const open = (name: QueueName) => {
    const queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    // A Redis outage is reported by whoever owns the connection (composition/system.ts logs it); without
    // a listener BullMQ would print every reconnect attempt of every queue to the console.
    queue.on('error', () => undefined);
    return queue;
  };
  return { reviews: open('reviews'), deadlines: open('deadlines'), notifications: open('notifications') };
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
