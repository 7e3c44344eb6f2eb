/**
 * The scheduled duty work on its own queue (`duty`): the yearly talk-coverage sweep
 * (reminders in the fourth quarter, escalation after the year end; services/talks/coverage.ts) and
 * the frequency trigger of 一案双查 proposals (services/accountability: `frequencyTrigger`), by the
 * rules in force (`deps.policy.coverage`, `deps.policy.frequencyTrigger`: the environment's
 * `COVERAGE_*` and `FREQUENCY_TRIGGER_*`, else the documented defaults). A job scheduler adds a
 * `sweep` job every `everyMs`; each run reads the deps' clock, never the wall clock's day, and is
 * idempotent (what it sends is recorded once), so runs that overlap or repeat change nothing.
 */
import { redisOutageLog } from '../services/redis/outage-log';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Deps } from '../services/deps';
import { asSystemWork } from '../services/store';
import { coverageSweep, type SweepResult } from '../services/talks/coverage';
import { DEFAULT_JOB_OPTIONS, WORKER_LOCK_OPTIONS } from './queues';

export const DUTY_QUEUE = 'duty';
/** Hourly by default: reminders and escalations are day-grained. */
export const DUTY_SWEEP_EVERY_MS = 3_600_000;

export interface DutyRun {
  coverage: SweepResult;
}

/** Extra work a sweep runs (the frequency trigger plugs in here). */
export type DutyTask = (deps: Deps, now: Date) => Promise<Record<string, unknown>>;

export function dutyProcessor(deps: Deps, tasks: DutyTask[] = []) {
  return async (job: Job): Promise<DutyRun & Record<string, unknown>> => {
    if (job.name !== 'sweep') throw new Error(`unknown duty job ${job.name}`);
    const now = deps.clock();
    const coverage = await coverageSweep(deps, now, deps.policy.coverage);
    const extra: Record<string, unknown> = {};
    for (const task of tasks) Object.assign(extra, await task(deps, now));
    if (coverage.reminded + coverage.escalated > 0) deps.logger.info({ ...coverage }, 'talk coverage notices sent');
    return { coverage, ...extra };
  };
}

export interface DutyWorker {
  queue: Queue;
  worker: Worker;
  /** Adds one sweep now (tests, operators); resolves with the job. */
  sweepNow(): Promise<Job>;
  close(): Promise<void>;
}

export function startDutyWorker(
  deps: Deps,
  options: { connection: ConnectionOptions; prefix: string; everyMs?: number; tasks?: DutyTask[]; schedule?: boolean },
): DutyWorker {
  const { connection, prefix } = options;
  const queue = new Queue(DUTY_QUEUE, { connection, prefix, defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, attempts: 3 } });
  const processor = dutyProcessor(deps, options.tasks);
  // One at a time: two sweeps side by side would only race for the same once-only notices.
  const worker = new Worker(DUTY_QUEUE, (job) => asSystemWork(() => processor(job)), { connection, prefix, concurrency: 1, ...WORKER_LOCK_OPTIONS });
  worker.on('failed', (job, err) => deps.logger.warn({ queue: DUTY_QUEUE, jobId: job?.id, err: err.message }, 'job failed'));
  worker.on('error', (err) => redisOutageLog(deps.logger).report(`worker ${DUTY_QUEUE}`, err));
  // Without a listener a queue's 'error' event (Redis away) is thrown and printed raw.
  queue.on('error', (err) => redisOutageLog(deps.logger).report(`queue ${DUTY_QUEUE}`, err));
  if (options.schedule !== false) {
    queue
      .upsertJobScheduler('duty-sweep', { every: options.everyMs ?? DUTY_SWEEP_EVERY_MS }, { name: 'sweep', data: {} })
      .catch((err: unknown) => deps.logger.error({ err }, 'duty sweep not scheduled'));
  }
  return {
    queue,
    worker,
    sweepNow: () => queue.add('sweep', {}),
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
