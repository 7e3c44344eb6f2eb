/**
 * Deterministic ids of the 一案双查 jobs (docs/decisions/007-effects-reconciled.md). Each effect
 * happens once in a case's life (the case requests its reviews once; a review concludes once), so
 * its outbox row and its BullMQ job can be named after it: the relay and the reconciler then name
 * the same job the same way, and BullMQ keeps one job per id.
 */
import type { ReviewKind } from '../../machines';

/** The `reviews/openReview` job of a case's review of `kind`. */
export function openReviewJobId(caseId: string, kind: ReviewKind | string): string {
  return `rv_open_${caseId}_${kind}`;
}

/** The `reviews/reviewConcluded` job of a review. */
export function reviewConcludedJobId(reviewId: string): string {
  return `rv_concluded_${reviewId}`;
}

/**
 * The `deadlines/reached` job that tells the aggregate a deadline reached `level` (planned at
 * `plannedAt`); written with the take, in the same transaction.
 */
export function reachedJobId(deadlineId: string, level: string, plannedAt: string): string {
  return `dr_${deadlineId}_${level}_${Date.parse(plannedAt)}`;
}
