import { approvalGuards } from '../shared/approval';
import { commandRoleGuard } from '../shared/commands';
import { relaxable } from '../shared/relaxation';
import { isSystem } from '../shared/roles';
import { outcomeOf, proposedFindings, type ReviewContext } from './context';
import { findingsIssues, type ReviewEvent, type ReviewEventOf } from './events';
import { appealDecisionIssues, appellantIssues } from './payload';
import { REVIEW_COMMAND_ROLES } from './roles';

interface Args {
  context: ReviewContext;
  event: ReviewEvent;
}

const as = <T extends ReviewEvent['type']>(event: ReviewEvent) => event as ReviewEventOf<T>;

/** Guards of the review machine (approval pattern, roles, findings, appeals). */
export function reviewGuards() {
  return {
    ...approvalGuards,
    hasCommandRole: commandRoleGuard(REVIEW_COMMAND_ROLES),
    isSystemActor: ({ event }: Args) => isSystem(event.actor),
    hasConsistentFindings: relaxable<Args>(['payload'], ({ event }) => findingsIssues(as<'submitFindings'>(event)).length === 0),
    /** Approved findings without responsibility, or with an exemption (容错), end the review. */
    findingsConcludeReview: ({ context }: Args) => {
      const findings = proposedFindings(context);
      return findings !== undefined && outcomeOf(findings) !== 'responsibilityFound';
    },
    isSanctionedPerson: relaxable<Args>(['payload'], ({ context, event }) => appellantIssues(context, as<'fileAppeal'>(event)).length === 0),
    hasValidAppealMeasures: relaxable<Args>(['payload'], ({ context, event }) => appealDecisionIssues(context, as<'decideAppeal'>(event)).length === 0),
  };
}
