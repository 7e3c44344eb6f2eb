/**
 * The outbox rows of every job (ARCHITECTURE.md §2: effects are data, written in the command's
 * transaction and relayed after commit). Each effect that happens once gets a deterministic id
 * (docs/decisions/007-effects-reconciled.md): the relay and the reconciler then name the same job
 * the same way, and BullMQ keeps one job per id.
 */
import { randomUUID } from 'node:crypto';
import { ESCALATION_LEVELS, type EscalationLevel } from '../../config/deadlines';
import { escalationRank } from '../deadlines/escalation';
import type { DeadlineRecord, Notification, OutboxRow } from '../store/port';
import type { JobData, JobName, QueueName } from './contracts';

/** A row for job `name` of `queue`, delivered now or at `runAt`; a random id unless `id` is given. */
export function outboxRow<Q extends QueueName, N extends keyof JobData[Q] & string>(
  queue: Q,
  name: N,
  data: JobData[Q][N],
  createdAt: string,
  options: { id?: string; runAt?: string | null } = {},
): OutboxRow {
  return { id: options.id ?? randomUUID(), queue, name: name as JobName, data: { ...(data as object) }, createdAt, runAt: options.runAt ?? null, deliveredAt: null };
}

/** The `reviews/openReview` job of a case's review of `kind`. */
export function openReviewJobId(caseId: string, kind: string): string {
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

/**
 * The `deadlines/step` job of one escalation step. A re-planned step gets a new id, so the stale
 * alarm of its old time is a different job (which then finds nothing due).
 */
export function deadlineStepJobId(deadlineId: string, level: string, at: string): string {
  return `dl_${deadlineId}_${level}_${Date.parse(at)}`;
}

export function openReviewRow(job: JobData['reviews']['openReview'], createdAt: string): OutboxRow {
  return outboxRow('reviews', 'openReview', job, createdAt, { id: openReviewJobId(job.caseId, job.kind) });
}

export function reviewConcludedRow(job: JobData['reviews']['reviewConcluded'], createdAt: string): OutboxRow {
  return outboxRow('reviews', 'reviewConcluded', job, createdAt, { id: reviewConcludedJobId(job.reviewId) });
}

/** The `deadlines/reached` row of a take whose highest step `level` was planned at `plannedAt`. */
export function reachedRow(job: JobData['deadlines']['reached'], level: EscalationLevel, plannedAt: string, createdAt: string): OutboxRow {
  return outboxRow('deadlines', 'reached', job, createdAt, { id: reachedJobId(job.deadlineId, level, plannedAt) });
}

/**
 * The alarm of a clock: one delayed `deadlines/step` job, for the first planned step of `record` not
 * yet taken (none when every step is taken). Taking that step writes the next one's (take.ts), so a
 * clock holds one job in Redis at a time, and a clock closed early leaves one stale job, not one per
 * step.
 */
export function nextStepRows(record: DeadlineRecord, createdAt: string): OutboxRow[] {
  const taken = escalationRank(record.escalation);
  const level = ESCALATION_LEVELS.find((l, i) => i > taken && record.steps[l] !== undefined);
  if (!level) return [];
  const at = record.steps[level]!;
  return [outboxRow('deadlines', 'step', { deadlineId: record.id, level }, createdAt, { id: deadlineStepJobId(record.id, level, at), runAt: at })];
}

/** The `notifications/deliver` row of one webhook delivery. */
export function webhookRow(n: Pick<Notification, 'id' | 'userId'>, at: string): OutboxRow {
  return outboxRow('notifications', 'deliver', { notificationId: n.id, userId: n.userId }, at, { id: `wh_${n.id}` });
}
