import { and } from 'xstate';
import { effectParams } from './effects';

/**
 * The 一案双查 region of the case machine (ARCHITECTURE.md §2: the join lives in the case). The
 * lifecycle records a trigger in the context; this region requests both reviews, records each
 * review's opening and conclusion from the workers' internal events, and concludes when both have.
 * Internal events are idempotent: a duplicate is not accepted, and a conclusion may come first.
 */
const reviewOpened = { guard: and(['isSystemActor', 'isFirstOpeningOfKind']), actions: 'recordReviewOpened' } as const;
const reviewConcluded = { guard: and(['isSystemActor', 'isUnconcludedReviewKind']), actions: 'recordReviewConcluded' } as const;

export const dualInvestigationRegion = {
  description: '一案双查: the primary-responsibility and supervision-responsibility reviews, and their join.',
  initial: 'notRequired',
  states: {
    notRequired: {
      description: 'No trigger has fired.',
      always: { guard: 'isDualInvestigationTriggered', target: 'opening' },
      on: {
        triggerDualInvestigation: {
          guard: and(['hasCommandRole', 'isCaseOpen', 'isManualTriggerEnabled']),
          target: 'opening',
          actions: { type: 'recordDualTrigger', params: { trigger: 'manual' } },
        },
      },
    },
    opening: {
      description: 'Both reviews are requested; workers create them and report back.',
      entry: { type: 'requestReviews', params: effectParams.requestReviews },
      always: [
        { guard: 'areAllReviewsConcluded', target: 'concluded' },
        { guard: 'areAllReviewsOpened', target: 'open' },
      ],
      on: {
        'review.opened': reviewOpened,
        'review.concluded': reviewConcluded,
      },
    },
    open: {
      description: 'Both reviews exist; the case waits for both to conclude.',
      always: { guard: 'areAllReviewsConcluded', target: 'concluded' },
      on: {
        'review.opened': reviewOpened,
        'review.concluded': reviewConcluded,
      },
    },
    concluded: {
      description: 'Both reviews concluded.',
      on: { 'review.opened': reviewOpened },
    },
  },
} as const;
