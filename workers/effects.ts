/**
 * Effects reconciled from the store (docs/decisions/007-effects-reconciled.md). An effect is done
 * when its consequence is in the store, not when a job is in Redis: a Redis that comes back empty,
 * a job removed by hand, or one BullMQ gave up on (stalled too often, attempts exhausted) must not
 * leave a case that can never close. Each reconciler pass looks at the store for:
 *
 * - `openReview`: a case whose 一案双查 was requested (`dualState` opening/open) and whose region
 *   has not recorded the opening of a review of some kind (the job creates the review once and
 *   tells the case);
 * - `reviewConcluded`: a concluded review whose case has not recorded its conclusion;
 * - `deadlines/reached`: a step taken on an active deadline that its aggregate has not recorded
 *   (`context.escalations[key]` below the deadline's `escalation`).
 *
 * For each effect missing from the store it looks up the effect's job by its deterministic id
 * (services/queues/rows.ts): waiting, delayed or running → nothing to do; absent → added
 * again under the same id; failed because it stalled too often or ran out of attempts → retried.
 * Consumers are idempotent, so a job added twice (a relay and a reconciler meeting) changes nothing.
 * Webhook deliveries (`notifications/deliver`) are not reconciled: their consequence is outside the
 * store.
 */
import type { Job } from 'bullmq';
import { caseModel } from '../services/cases/model';
import { escalationRank } from '../services/deadlines/escalation';
import type { Deps } from '../services/deps';
import { eachLimited } from '../services/each-limited';
import { openReviewRow, reachedRow, reviewConcludedRow } from '../services/queues/rows';
import { reviewModel } from '../services/reviews/model';
import type { CaseRecord, DeadlineRecord, Escalation, OutboxRow } from '../services/store/port';
import type { Queues } from './queues';
import { jobOf } from './relay';

export interface EffectsReport {
  /** Cases whose 一案双查 is not settled (opening or open), looked at. */
  unsettled: number;
  /** Effects whose consequence the store lacks (their job may still be on its way). */
  missing: number;
  /** Jobs added again (absent from Redis). */
  requeued: number;
  /** Failed jobs retried (stalled too often or out of attempts). */
  retried: number;
}

export interface EffectsOptions {
  /**
   * `deadlineId:level` pairs whose `deadline.reached` the aggregate already recorded. A recorded
   * level never goes down, so each is read once per process instead of at every pass.
   */
  recordedSteps?: Set<string>;
  /** Cases read per page (default 200). */
  pageSize?: number;
}

/** One missing effect: the outbox row its command wrote, named by the effect's deterministic id. */
type MissingEffect = OutboxRow;

/** Reads running in parallel (PGlite queues them anyway; PostgreSQL gets a few connections). */
const READS_IN_FLIGHT = 8;

/** Re-enqueues every effect whose consequence the store lacks. `active`: the open or overdue deadlines, already listed by the caller. */
export async function reconcileEffects(deps: Deps, queues: Queues, active: readonly DeadlineRecord[], options: EffectsOptions = {}): Promise<EffectsReport> {
  const unsettled = await unsettledCases(deps, options.pageSize ?? 200);
  const now = deps.clock().toISOString();
  const missing = [...(await missingReviewEffects(deps, unsettled, now)), ...(await missingReached(deps, active, options.recordedSteps ?? new Set(), now))];
  const report: EffectsReport = { unsettled: unsettled.length, missing: missing.length, requeued: 0, retried: 0 };
  await eachLimited(missing, READS_IN_FLIGHT, async (effect) => {
    const outcome = await ensureJob(deps, queues, effect);
    if (outcome === 'added') report.requeued++;
    if (outcome === 'retried') report.retried++;
  });
  return report;
}

/** Cases whose 一案双查 region is `opening` or `open`: few of all (a partial index, migration 0006). */
async function unsettledCases(deps: Deps, pageSize: number): Promise<CaseRecord[]> {
  const cases: CaseRecord[] = [];
  for (let page = 1; ; page++) {
    const { items, total } = await deps.store.cases.list({ dualState: ['opening', 'open'], page, pageSize });
    cases.push(...items);
    // A case that settles meanwhile shifts the pages; what a pass misses, the next one sees.
    if (items.length < pageSize || page * pageSize >= total) return cases;
  }
}

/** The 一案双查 effects whose consequence the cases lack: reviews not opened, conclusions not recorded. */
async function missingReviewEffects(deps: Deps, cases: readonly CaseRecord[], now: string): Promise<MissingEffect[]> {
  const cm = caseModel(deps);
  const rm = reviewModel(deps);
  const missing: MissingEffect[] = [];
  const toRead: Array<{ caseId: string; reviewId: string }> = [];
  for (const record of cases) {
    const dual = readable(deps, () => cm.restore(record).context.dual, `case ${record.id}`);
    for (const review of dual?.reviews ?? []) {
      if (review.state === 'opening') {
        // The trigger's commit time is not kept; the case's last change is the nearest known (statistics of time to open).
        missing.push(openReviewRow({ caseId: record.id, kind: review.kind, requestedAt: record.updatedAt }, now));
      } else if (review.state === 'open' && review.reviewId) {
        toRead.push({ caseId: record.id, reviewId: review.reviewId });
      }
    }
  }
  await eachLimited(toRead, READS_IN_FLIGHT, async ({ caseId, reviewId }) => {
    const review = await deps.store.reviews.get(reviewId);
    if (!review) return;
    const outcome = readable(deps, () => rm.restore(review).context.outcome, `review ${reviewId}`);
    // Only a concluded review has told (or must tell) its case; `outcome` alone is also set by a decision under appeal.
    if (outcome && isConcluded(review.state)) missing.push(reviewConcludedRow({ reviewId, caseId }, now));
  });
  return missing;
}

const isConcluded = (state: string) => state === 'concluded' || state.startsWith('concluded.');

/** Steps taken on active deadlines that their aggregate has not recorded (`deadline.reached` lost). */
async function missingReached(deps: Deps, active: readonly DeadlineRecord[], recorded: Set<string>, now: string): Promise<MissingEffect[]> {
  const taken = active.filter((d) => d.escalation !== 'none' && d.steps[d.escalation]);
  const current = new Set(taken.map((d) => `${d.id}:${d.escalation}`));
  // Forget deadlines that closed or moved on, so the set stays as small as the active list.
  for (const key of recorded) if (!current.has(key)) recorded.delete(key);
  const missing: MissingEffect[] = [];
  const cm = caseModel(deps);
  const rm = reviewModel(deps);
  const escalationsOf = async (d: DeadlineRecord): Promise<Partial<Record<string, Escalation>> | undefined> => {
    if (d.aggregateType === 'case') {
      const r = await deps.store.cases.get(d.aggregateId);
      return r ? readable(deps, () => cm.restore(r).context.escalations, `case ${r.id}`) : undefined;
    }
    if (d.aggregateType === 'review') {
      const r = await deps.store.reviews.get(d.aggregateId);
      return r ? readable(deps, () => rm.restore(r).context.escalations, `review ${r.id}`) : undefined;
    }
    return undefined;
  };
  await eachLimited(
    taken.filter((d) => !recorded.has(`${d.id}:${d.escalation}`)),
    READS_IN_FLIGHT,
    async (d) => {
      const escalations = await escalationsOf(d);
      // An aggregate that is gone or unreadable, or one of a kind this check does not read: nothing to do.
      if (!escalations) return;
      if (escalationRank(escalations[d.key]) >= escalationRank(d.escalation)) {
        recorded.add(`${d.id}:${d.escalation}`);
        return;
      }
      const level = d.escalation as Exclude<Escalation, 'none'>;
      missing.push(reachedRow({ deadlineId: d.id, aggregateType: d.aggregateType, aggregateId: d.aggregateId, key: d.key, levels: [level] }, level, d.steps[level]!, now));
    },
  );
  return missing;
}

/** A value read from a stored snapshot, or undefined (logged) when the snapshot cannot be restored. */
function readable<T>(deps: Deps, read: () => T, what: string): T | undefined {
  try {
    return read();
  } catch (err) {
    deps.logger.debug({ err: (err as Error).message }, `effects reconciler: ${what} cannot be read`);
    return undefined;
  }
}

type Outcome = 'pending' | 'added' | 'retried' | 'done' | 'left';

/** Jobs failed for good whose effect is missing: logged once per process, not at every pass. */
const leftAlone = new Set<string>();

/** The reason BullMQ gives a job it fails for stalling more than `maxStalledCount` times. */
const STALLED = /allowable limit/;

/**
 * Makes sure the effect's job will run: absent → added under its id; failed for a reason that a
 * later run can overcome (stalled too often, attempts exhausted) → retried with fresh attempts. A
 * failure by `UnrecoverableError` (the case is gone, a refusal) is left: it would fail again.
 */
async function ensureJob(deps: Deps, queues: Queues, effect: MissingEffect): Promise<Outcome> {
  const queue = queues[effect.queue];
  const job = (await queue.getJob(effect.id)) as Job | undefined;
  if (!job) {
    const { name, data, opts } = jobOf(effect, new Date());
    await queue.add(name, data, opts);
    deps.logger.info({ queue: effect.queue, job: effect.name, jobId: effect.id }, 'effect missing from the store and its job from Redis: job added again');
    return 'added';
  }
  const state = await job.getState();
  // Completed: its consequence was committed after the store was read (or the run was refused, audited on the aggregate).
  if (state === 'completed') return 'done';
  if (state !== 'failed') return 'pending';
  const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
  if (!STALLED.test(job.failedReason ?? '') && !exhausted) {
    if (!leftAlone.has(effect.id)) deps.logger.warn({ queue: effect.queue, jobId: effect.id, failedReason: job.failedReason }, 'effect missing from the store; its job failed for good');
    leftAlone.add(effect.id);
    return 'left';
  }
  await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  deps.logger.info({ queue: effect.queue, jobId: effect.id, failedReason: job.failedReason }, 'effect missing from the store: failed job retried');
  return 'retried';
}
