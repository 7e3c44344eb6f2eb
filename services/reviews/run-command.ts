import { REVIEW_COMMAND_ROLES, payloadIssues, reviewCommandSchemas, reviewInternalEventSchemas, type ReviewSnapshot } from '../../machines';
import { runCommand, type CommandTarget } from '../commands/run';
import type { Deps } from '../deps';
import type { ReviewRecord, User } from '../store/port';
import { loadReviewFor, type LoadedReview } from './load';
import { reviewModel } from './model';
import { reviewViewOf } from './queries';

function reviewTarget(deps: Deps): CommandTarget<ReviewRecord, ReviewSnapshot, LoadedReview> {
  const model = reviewModel(deps);
  return {
    model,
    commands: reviewCommandSchemas,
    internal: reviewInternalEventSchemas,
    rules: REVIEW_COMMAND_ROLES,
    load: loadReviewFor,
    payloadIssues: (snapshot, event) => payloadIssues(model.machine, snapshot, event),
    view: reviewViewOf,
  };
}

/** `POST /reviews/:id/commands` (API.md "Reviews"). */
export function runReviewCommand(deps: Deps, user: User, id: string, body: unknown): Promise<Record<string, unknown>> {
  return runCommand(deps, reviewTarget(deps), user, id, body);
}
