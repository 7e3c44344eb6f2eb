/**
 * The one bridge from jobs to aggregates: a worker that must tell an aggregate something (a review
 * opened or concluded, a deadline reached) sends the event through the same command path as users,
 * as the system actor, so it is validated, audited and committed like any command.
 */
import type { DeadlineKey, EscalationLevel } from '../../config/deadlines';
import { runCaseCommand } from '../cases/run-command';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { KeyedQueue } from '../keyed-queue';
import { SYSTEM_USER } from '../principal';
import { runRectificationCommand } from '../rectification';
import { runReviewCommand } from '../reviews/run-command';
import type { AggregateType } from '../store/port';
import { runFollowUpCommand } from '../talks';

export interface DeadlineReachedEvent {
  type: 'deadline.reached';
  key: DeadlineKey;
  level: EscalationLevel;
}

/** How a told aggregate took the event: `refused` (not allowed now: already taken, moved on), `missing` (gone). */
export type Told = 'accepted' | 'refused' | 'missing';

/** Sends `deadline.reached` to an aggregate (injected into the `deadlines` processor; tests pass their own). */
export type Dispatch = (aggregateType: AggregateType, aggregateId: string, event: DeadlineReachedEvent) => Promise<void>;

const RUNNERS = { case: runCaseCommand, review: runReviewCommand, followUp: runFollowUpCommand, rectification: runRectificationCommand } as const;

/**
 * One event at a time per aggregate in this process: the two reviews of a case open side by side,
 * and their `review.opened` events would otherwise race for the case's version (one losing its
 * compare-and-set and being decided again). In turn, the second is decided on the record the first
 * committed, which this process remembers. Only work is spared (the compare-and-set keeps them
 * right side by side), so an event waits at most a second for the one before it: one that never
 * ends (a worker closed in the middle of it) holds up nobody for good.
 */
const telling = new KeyedQueue(1000);

/**
 * Sends an internal event to an aggregate as the system actor. An event the machine does not
 * accept now (a repeated job) is audited as refused and answered `refused`; an aggregate that does
 * not exist is answered `missing`, for the job to decide whether that is final. Other errors throw.
 */
export async function tellAggregate(deps: Deps, type: AggregateType, id: string, event: Record<string, unknown>): Promise<Told> {
  try {
    await telling.run(`${type}:${id}`, () => RUNNERS[type](deps, SYSTEM_USER, id, event));
    return 'accepted';
  } catch (err) {
    if (err instanceof AppError && err.code === 'command_not_allowed') return 'refused';
    if (err instanceof AppError && err.code === 'not_found') return 'missing';
    throw err;
  }
}

/** The `Dispatch` of a running system: a deadline of an aggregate that is gone has nobody to tell. */
export function createDispatch(deps: Deps): Dispatch {
  return async (aggregateType, aggregateId, event) => {
    await tellAggregate(deps, aggregateType, aggregateId, { ...event });
  };
}
