import { runCaseCommand } from '../services/cases';
import type { Deps } from '../services/deps';
import { AppError } from '../services/errors';
import { SYSTEM_USER } from '../services/principal';
import { runReviewCommand } from '../services/reviews';
import { runFollowUpCommand } from '../services/talks';
import { runRectificationCommand } from '../services/rectification';
import type { Dispatch } from './deadlines';

/**
 * Sends an internal event to an aggregate through the same command path as users, as the system
 * actor. An event the machine does not accept now (already taken, aggregate moved on) is not an
 * error for a worker: it is audited as refused and the job completes.
 */
export function createDispatch(deps: Deps): Dispatch {
  return async (aggregateType, aggregateId, event) => {
    const run = aggregateType === 'case' ? runCaseCommand : aggregateType === 'followUp' ? runFollowUpCommand : aggregateType === 'rectification' ? runRectificationCommand : runReviewCommand;
    try {
      await run(deps, SYSTEM_USER, aggregateId, event);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'command_not_allowed' || err.code === 'not_found')) return;
      throw err;
    }
  };
}
