import { UnrecoverableError, type Job } from 'bullmq';
import type { ReviewKind } from '../machines';
import type { Deps } from '../services/deps';
import { AppError } from '../services/errors';
import { PermanentJobError, openReview, reportReviewConcluded } from '../services/reviews';

/**
 * The `reviews` queue (一案双查): `openReview {caseId, kind}` creates one review per kind and tells
 * the case; `reviewConcluded {reviewId}` tells the case the outcome. Both are idempotent, so a
 * retried or duplicated job changes nothing.
 */
export function reviewsProcessor(deps: Deps): (job: Job) => Promise<unknown> {
  return async (job) => {
    try {
      switch (job.name) {
        case 'openReview': {
          const review = await openReview(deps, String(job.data.caseId), job.data.kind as ReviewKind, typeof job.data.requestedAt === 'string' ? job.data.requestedAt : new Date(job.timestamp).toISOString());
          return { reviewId: review.id };
        }
        case 'reviewConcluded':
          await reportReviewConcluded(deps, String(job.data.reviewId));
          return { reported: true };
        default:
          throw new UnrecoverableError(`unknown reviews job ${job.name}`);
      }
    } catch (err) {
      if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
      // A refusal that is not about timing (validation, role …) will not change on retry.
      if (err instanceof AppError && err.status < 500 && err.code !== 'version_conflict') throw new UnrecoverableError(err.message);
      throw err;
    }
  };
}
