export { isQueueName, QUEUE_NAMES, type DeadlineStepJob, type DeliverJob, type JobData, type JobKey, type JobName, type OpenReviewJob, type QueueName, type ReachedJob, type ReviewConcludedJob } from './contracts';
export { deadlineStepJobId, nextStepRows, openReviewJobId, openReviewRow, outboxRow, reachedJobId, reachedRow, reviewConcludedJobId, reviewConcludedRow, webhookRow } from './rows';
