/**
 * The three queues of ARCHITECTURE.md §5. Job data holds ids only (dashboards show job data); the
 * outbox row id is the job id, so a row delivered twice is one job while that job exists.
 */
import { Queue, type ConnectionOptions, type DefaultJobOptions, type JobsOptions } from 'bullmq';

export const QUEUE_NAMES = ['reviews', 'deadlines', 'notifications'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
export type Queues = Record<QueueName, Queue>;

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}

/** Job data of each queue (ids only). */
export interface DeadlineStepJob {
  deadlineId: string;
  level: 'warning' | 'overdue' | 'escalated';
}
export interface NotificationJob {
  notificationId: string;
}

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
export const JOB_OPTIONS: Readonly<Record<string, JobsOptions>> = {
  'deadlines/reached': { priority: 10 },
};

/** Opens the three queues on one shared connection under `prefix` (one prefix per deployment or test run). */
export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const open = (name: QueueName) => new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  return { reviews: open('reviews'), deadlines: open('deadlines'), notifications: open('notifications') };
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
