/**
 * The job contracts of ARCHITECTURE.md §5: the three queues, the jobs each one runs and what their
 * data holds. Job data holds ids only (queue dashboards show job data). Writers build outbox rows
 * with `rows.ts`; the consumers in `workers/` read the same types.
 */
import type { DeadlineKey, EscalationLevel } from '../../config/deadlines';
import type { AggregateType } from '../store/port';

export const QUEUE_NAMES = ['reviews', 'deadlines', 'notifications'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}

/** `reviews/openReview`: create the case's review of `kind` once, then tell the case. */
export interface OpenReviewJob {
  caseId: string;
  kind: string;
  /** When the trigger was committed (statistics of time to open). */
  requestedAt?: string;
}

/** `reviews/reviewConcluded`: tell the case the review's outcome. */
export interface ReviewConcludedJob {
  reviewId: string;
  caseId: string;
}

/** `deadlines/step`: the delayed alarm of one escalation step. */
export interface DeadlineStepJob {
  deadlineId: string;
  level: EscalationLevel;
}

/**
 * `deadlines/reached`: the levels to send, in order, and where to send them. Ids and a policy key
 * only; carrying them spares the job a read of the deadline.
 */
export interface ReachedJob {
  deadlineId: string;
  aggregateType: AggregateType;
  aggregateId: string;
  key: DeadlineKey;
  levels: EscalationLevel[];
}

/** `notifications/deliver`: one webhook delivery; `userId` finds the notice in the recipient's inbox. */
export interface DeliverJob {
  notificationId: string;
  userId: string;
}

/** The data of every job, by queue and job name. */
export interface JobData {
  reviews: { openReview: OpenReviewJob; reviewConcluded: ReviewConcludedJob };
  deadlines: { step: DeadlineStepJob; reached: ReachedJob };
  notifications: { deliver: DeliverJob };
}

/** The job names of `Q` (of every queue by default). */
export type JobName<Q extends QueueName = QueueName> = { [K in Q]: keyof JobData[K] & string }[Q];

/** `queue/job` of every job, e.g. `deadlines/reached`. */
export type JobKey = { [Q in QueueName]: `${Q}/${JobName<Q>}` }[QueueName];
