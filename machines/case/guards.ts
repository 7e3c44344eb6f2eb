import { not, stateIn } from 'xstate';
import { approvalGuards } from '../shared/approval';
import { commandRoleGuard } from '../shared/commands';
import type { MachinePolicy } from '../shared/policy';
import { relaxable } from '../shared/relaxation';
import { hasRole, isSystem, type UserRole } from '../shared/roles';
import type { MeasureRef } from '../shared/schemas';
import type { CaseContext } from './context';
import type { CaseEvent, CaseEventOf } from './events';
import {
  appealDecisionIssues, appellantIssues, changesCommitteeDecision, independenceIssues, inquiryMeasureIssues, measureIssues, recusalIssues, reviewerIssues,
  splitIssues, transferIssues,
} from './payload';
import { CASE_COMMAND_ROLES } from './roles';

interface Args {
  context: CaseContext;
  event: CaseEvent;
}

/** Narrows the event for a payload check; a guard is only consulted for its own event type. */
const as = <T extends CaseEvent['type']>(event: CaseEvent) => event as CaseEventOf<T>;

const findReview = (context: CaseContext, event: CaseEvent) =>
  context.dual.reviews.find((r) => r.kind === (event as { kind?: string }).kind);

const allReviews = (context: CaseContext, done: (state: string) => boolean) =>
  context.dual.reviews.length > 0 && context.dual.reviews.every((r) => done(r.state));

/** Guards of the case machine: predicates on the actor, the context and (marked) the payload. */
export function caseGuards(policy: MachinePolicy) {
  return {
    ...approvalGuards,
    hasCommandRole: commandRoleGuard(CASE_COMMAND_ROLES),
    hasRole: relaxable<Args, { role: UserRole }>(['role'], ({ event }, { role }) => hasRole(event.actor, role)),
    isSystemActor: ({ event }: Args) => isSystem(event.actor),
    /** `recuse`: the user concerned, a supervisor or a commission head. */
    isSelfOrOverseer: relaxable<Args>(['payload', 'role'], ({ event }) =>
      as<'recuse'>(event).userId === event.actor.id || hasRole(event.actor, 'supervisor') || hasRole(event.actor, 'commissionHead')),
    isNotYetRecused: relaxable<Args>(['payload'], ({ context, event }) => recusalIssues(context, as<'recuse'>(event)).length === 0),
    isCaseOpen: not(stateIn('#case.lifecycle.closed')),
    extendsDeadline: relaxable<Args, { key: string }>(['payload'], ({ event }, { key }) => as<'requestExtension'>(event).deadlineKey === key),
    hasValidInquiryMeasures: relaxable<Args>(['payload'], ({ context, event }) => inquiryMeasureIssues(context, as<'proposeInquiryOutcome'>(event)).length === 0),
    /** Measures name subjects, each sanction fits its person, and a judicial transfer names its persons. */
    hasValidMeasures: relaxable<Args>(['payload'], ({ context, event }) => {
      const e = event as { measures?: MeasureRef[]; proposedMeasures?: MeasureRef[] };
      const transfer = event.type === 'proposeDecision' ? transferIssues(as<'proposeDecision'>(event)) : [];
      return measureIssues(context, e.measures, 'measures').length + measureIssues(context, e.proposedMeasures, 'proposedMeasures').length + transfer.length === 0;
    }),
    /** Fewer than two unrecused reviewers sit: the panel is to be completed (a recusal left it short). */
    isPanelIncomplete: ({ context }: Args) => context.trialReviewers.length < 2,
    isPanelComplete: ({ context }: Args) => context.trialReviewers.length >= 2,
    /** At most `maxDays` per extension (DOMAIN.md §5). */
    isExtensionWithinLimit: relaxable<Args>(['payload'], ({ event }) => as<'requestExtension'>(event).days <= policy.extensions.maxDays),
    /** Changing a standing-committee decision on appeal is the committee's (in a meeting). */
    isCompetentForAppeal: relaxable<Args>(['role'], ({ context, event }) =>
      !changesCommitteeDecision(context, as<'decideAppeal'>(event)) || hasRole(event.actor, 'standingCommittee')),
    isAssignedTrialReviewer: relaxable<Args>(['separation'], ({ context, event }) => context.trialReviewers.includes(event.actor.id)),
    hasTwoTrialReviewers: relaxable<Args>(['payload'], ({ event }) => reviewerIssues(as<'assignTrialReviewers'>(event)).length === 0),
    areReviewersIndependent: relaxable<Args>(['payload', 'separation'], ({ context, event }) =>
      independenceIssues(context, as<'assignTrialReviewers'>(event)).length === 0),
    isSanctionedPerson: relaxable<Args>(['payload'], ({ context, event }) => appellantIssues(context, as<'fileAppeal'>(event)).length === 0),
    hasValidAppealMeasures: relaxable<Args>(['payload'], ({ context, event }) => appealDecisionIssues(context, as<'decideAppeal'>(event)).length === 0),
    isManualTriggerEnabled: () => policy.dualInvestigation.manual,
    isAppealAfterClosing: ({ context }: Args) => context.appealAfterClosing,
    isValidSplit: relaxable<Args>(['payload'], ({ context, event }) => splitIssues(context, as<'splitClue'>(event)).length === 0),
    hasSeveralSubjects: ({ context }: Args) => context.subjects.length > 1,
    /** 宣布 is recorded while its clock runs (after a decision, once). */
    isAnnouncementDue: ({ context }: Args) => context.clocks.includes('decision.announcement'),
    /** The reporter is told at a stage whose clock runs. */
    isReporterNoticeDue: relaxable<Args>(['payload'], ({ context, event }) => context.clocks.includes(`reporter.${as<'notifyReporter'>(event).stage}`)),
    hasReporterNoticeDue: ({ context }: Args) => context.clocks.some((k) => k.startsWith('reporter.')),
    isDualInvestigationTriggered: ({ context }: Args) => context.dual.trigger !== null,
    /** The join: nothing keeps a concluded case open unless a 双查 review is still running. */
    isDualInvestigationSettled: ({ context }: Args) => context.dual.trigger === null || allReviews(context, (s) => s === 'concluded'),
    isFirstOpeningOfKind: ({ context, event }: Args) => findReview(context, event)?.reviewId === null,
    isUnconcludedReviewKind: ({ context, event }: Args) => {
      const review = findReview(context, event);
      return review !== undefined && review.state !== 'concluded';
    },
    areAllReviewsOpened: ({ context }: Args) => allReviews(context, (s) => s !== 'opening'),
    areAllReviewsConcluded: ({ context }: Args) => allReviews(context, (s) => s === 'concluded'),
  };
}
