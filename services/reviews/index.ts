export { runReviewCommand } from './run-command';
export { getReviewView, listReviews, reviewViewOf } from './queries';
export { openReview, reportReviewConcluded, PermanentJobError } from './open';
export { reviewModel } from './model';
