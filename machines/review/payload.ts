import { needsMeeting } from '../shared/approval';
import type { ReviewContext } from './context';
import { findingsIssues, measureIssues, type Issue, type ReviewEvent, type ReviewEventOf } from './events';

/** Payload checks that need the review (its measures in force, the open appeal). */
const personsWithMeasures = (context: ReviewContext) => new Set(context.measures.map((m) => m.target));

/** Only a person with a measure in force appeals. */
export function appellantIssues(context: ReviewContext, event: ReviewEventOf<'fileAppeal'>): Issue[] {
  return personsWithMeasures(context).has(event.personId) ? [] : [{ path: 'personId', message: `${event.personId} has no measure in the decision` }];
}

/** `modified` gives the appellant's new measures; `upheld` and `revoked` give none. */
export function appealDecisionIssues(context: ReviewContext, event: ReviewEventOf<'decideAppeal'>): Issue[] {
  const measures = event.measures ?? [];
  if (event.outcome === 'modified' && !measures.length) return [{ path: 'measures', message: 'a modified decision needs its measures' }];
  if (event.outcome !== 'modified' && measures.length) return [{ path: 'measures', message: 'measures are given only with outcome modified' }];
  return measureIssues(measures, new Set(context.appellant ? [context.appellant] : []), 'measures');
}

export const REVIEW_PAYLOAD_CHECKS: { [T in ReviewEvent['type']]?: (context: ReviewContext, event: ReviewEventOf<T>) => Issue[] } = {
  approve: (context, event) =>
    needsMeeting(context.pendingApproval) && !event.meeting ? [{ path: 'meeting', message: 'the standing committee (or the party committee) approves in a meeting: give meeting' }] : [],
  submitFindings: (_context, event) => findingsIssues(event),
  fileAppeal: appellantIssues,
  decideAppeal: appealDecisionIssues,
};
