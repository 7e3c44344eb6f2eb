/**
 * The `deadlines` queue (ARCHITECTURE.md §5). Two jobs:
 * - `step` `{deadlineId, level}`: the delayed alarm of one escalation step; takes it if the deadline
 *   is still open, the step not yet taken and its planned time has come (services/deadlines/take.ts).
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
import { afterTake, takeStep, type TakeResult } from '../services/deadlines/take';

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
