export { runReviewCommand } from './run-command';
export { getReviewView, listReviews, reviewHistory, reviewViewOf } from './queries';
export { openReview, reportReviewConcluded, PermanentJobError } from './open';
export { reviewModel } from './model';
