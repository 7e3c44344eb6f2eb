/**
 * Effects of the review machine: declared actions whose params the service turns into outbox rows
 * and records (dispositions, the case told of the conclusion, notifications). Params are plain data.
 */
import type { NotifyParams } from '../shared/approval';
import { reviewMeasureForm, type Form, type ReviewMeasure } from '../shared/forms';
import type { AppealOutcome } from '../shared/schemas';
import type { ReviewKind, ReviewOutcome } from '../case/events';
import { proposedFindings, type ReviewContext } from './context';
import { ORGANISATION, type ReviewEvent, type ReviewEventOf, type ReviewMeasureRef } from './events';

interface Args {
  context: ReviewContext;
  event: ReviewEvent;
}

const as = <T extends ReviewEvent['type']>(event: ReviewEvent) => event as ReviewEventOf<T>;

/** A person measure as a disposition; organisation measures are not person-times. */
export interface ReviewDisposition {
  personId: string;
  measure: ReviewMeasure;
  sanction?: string;
  form: Form;
}

export interface ReviewEffectParams {
  recordDispositions: { source: 'review'; kind: ReviewKind; dispositions: ReviewDisposition[] };
  recordAppealDecision: { personId: string; outcome: AppealOutcome; dispositions: ReviewDisposition[] };
  reviewConcluded: { caseId: string; reviewId: string; kind: ReviewKind; outcome: ReviewOutcome };
  notify: NotifyParams;
}
export const REVIEW_EFFECTS = new Set<string>(['recordDispositions', 'recordAppealDecision', 'reviewConcluded', 'notify']);

/** Person measures as dispositions with their form (API.md Reviews); organisation measures drop out. */
export function toDispositions(measures: readonly ReviewMeasureRef[]): ReviewDisposition[] {
  return measures.flatMap((m) => {
    const form = m.target === ORGANISATION ? null : reviewMeasureForm(m.measure, m.sanction);
    if (form === null) return [];
    return [{ personId: m.target, measure: m.measure, form, ...(m.sanction ? { sanction: m.sanction } : {}) }];
  });
}

export const reviewEffectParams = {
  findingsDispositions: ({ context }: { context: ReviewContext }): ReviewEffectParams['recordDispositions'] => ({
    source: 'review',
    kind: context.kind,
    dispositions: toDispositions(proposedFindings(context)?.proposedMeasures ?? []),
  }),
  appealDecision: ({ context, event }: Args): ReviewEffectParams['recordAppealDecision'] => {
    const e = as<'decideAppeal'>(event);
    return { personId: context.appellant ?? '', outcome: e.outcome, dispositions: toDispositions(e.measures ?? []) };
  },
  concluded: ({ context }: { context: ReviewContext }): ReviewEffectParams['reviewConcluded'] => ({
    caseId: context.caseId,
    reviewId: context.reviewId,
    kind: context.kind,
    outcome: context.outcome ?? 'responsibilityFound',
  }),
};
