/**
 * The `deadlines` queue (ARCHITECTURE.md §5). Two jobs:
 * - `step` `{deadlineId, level}`: the delayed alarm of one escalation step; takes it if the deadline
 *   is still open, the step not yet taken and its planned time has come (deadline-steps.ts).
 * - `reached` `{deadlineId, aggregateType, aggregateId, key, levels}`: written in the same
 *   transaction as the take; sends `deadline.reached` to the aggregate through the injected
 *   `dispatch`. Because it is an outbox row, a taken step reaches the aggregate even when dispatch
 *   fails or the process dies after the commit (docs/decisions/004-workers.md).
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { ESCALATION_LEVELS, isDeadlineKey, type EscalationLevel } from '../config/deadlines';
import type { Deps } from '../services/deps';
import { AppError } from '../services/errors';
import type { ReachedJob } from '../services/queues/contracts';
import type { Dispatch } from '../services/queues/tell';
import type { DeadlineRecord } from '../services/store/port';
import { latestDue, takeStep, type TakeResult } from './deadline-steps';

export { takeStep, latestDue, type TakeResult } from './deadline-steps';
export type { DeadlineReachedEvent, Dispatch } from '../services/queues/tell';

export interface DeadlineProcessorOptions {
  dispatch: Dispatch;
  /** Wakes the relay after a take committed outbox rows. */
  wake: () => void;
  /** Told about every step taken (metrics, the benchmark). */
  onTaken?: (result: TakeResult) => void;
}

/** The BullMQ processor of the `deadlines` queue. */
export function deadlinesProcessor(deps: Deps, options: DeadlineProcessorOptions): (job: Job) => Promise<unknown> {
  return async (job) => {
    if (job.name === 'reached') return sendReached(options.dispatch, reachedData(job.data));
    const { deadlineId, level } = stepData(job.data);
    const result = await takeStep(deps, deadlineId, level, deps.clock());
    afterTake(result, options);
    return result.skipped ? { skipped: result.skipped } : { taken: result.taken };
  };
}

type TakeOptions = Pick<DeadlineProcessorOptions, 'wake' | 'onTaken'> & { concurrency?: number };

/** Takes every step that has come due on the active deadlines (what the reconciler does first). */
export async function takeDueSteps(deps: Deps, now: Date, options: TakeOptions = { wake: deps.wake }): Promise<TakeResult[]> {
  return takeDueOn(deps, await deps.store.deadlines.listActive(), now, options);
}

/** Takes the steps that have come due on `records`, `concurrency` deadlines at a time. */
export async function takeDueOn(deps: Deps, records: readonly DeadlineRecord[], now: Date, options: TakeOptions): Promise<TakeResult[]> {
  const due = records.flatMap((r) => {
    const level = latestDue(r, now);
    return level ? [{ id: r.id, level }] : [];
  });
  const results: TakeResult[] = [];
  await eachLimited(due, options.concurrency ?? 8, async ({ id, level }) => {
    try {
      const result = await takeStep(deps, id, level, now);
      afterTake(result, options);
      results.push(result);
    } catch (err) {
      // One failing deadline must not stop the others; the next round or the step's job retries it.
      deps.logger.error({ err, deadlineId: id, level }, 'taking a due escalation step failed');
    }
  });
  return results;
}

function afterTake(result: TakeResult, options: Pick<DeadlineProcessorOptions, 'wake' | 'onTaken'>): void {
  if (result.taken.length === 0) return;
  options.wake();
  options.onTaken?.(result);
}

async function sendReached(dispatch: Dispatch, data: ReachedJob): Promise<{ sent: number }> {
  for (const level of data.levels) {
    try {
      await dispatch(data.aggregateType, data.aggregateId, { type: 'deadline.reached', key: data.key, level });
    } catch (err) {
      // A refusal by the aggregate (not found, not allowed) will not change on retry; a version
      // conflict, rate limit or infrastructure error will.
      if (err instanceof AppError && err.status < 500 && !['version_conflict', 'rate_limited'].includes(err.code)) {
        throw new UnrecoverableError(`deadline.reached ${level} refused by ${data.aggregateType} ${data.aggregateId}: ${err.message}`);
      }
      throw err;
    }
  }
  return { sent: data.levels.length };
}

const isLevel = (v: unknown): v is EscalationLevel => typeof v === 'string' && (ESCALATION_LEVELS as readonly string[]).includes(v);

function stepData(data: unknown): { deadlineId: string; level: EscalationLevel } {
  const d = data as { deadlineId?: unknown; level?: unknown } | null;
  if (typeof d?.deadlineId !== 'string' || !isLevel(d.level)) throw new UnrecoverableError(`bad deadlines step job data ${JSON.stringify(data)}`);
  return { deadlineId: d.deadlineId, level: d.level };
}

function reachedData(data: unknown): ReachedJob {
  const d = data as Partial<Record<keyof ReachedJob, unknown>> | null;
  const valid =
    typeof d?.deadlineId === 'string' &&
    (d.aggregateType === 'case' || d.aggregateType === 'review' || d.aggregateType === 'followUp' || d.aggregateType === 'rectification') &&
    typeof d.aggregateId === 'string' &&
    typeof d.key === 'string' &&
    isDeadlineKey(d.key) &&
    Array.isArray(d.levels) &&
    d.levels.every(isLevel);
  if (!valid) throw new UnrecoverableError(`bad deadlines reached job data ${JSON.stringify(data)}`);
  return d as ReachedJob;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
