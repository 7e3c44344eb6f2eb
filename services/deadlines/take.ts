/**
 * Taking an escalation step (ARCHITECTURE.md §5, API.md "Deadlines"): in ONE transaction the
 * deadline's `escalation` (and `status`) moves, the notices are stored, and outbox rows are written
 * for what happens after commit — the webhook deliveries, one `reached` job that sends
 * `deadline.reached` to the aggregate, and the delayed job of the clock's next step. Called by the
 * `deadlines` queue's processor (one step, when its alarm rings) and by the reconciler (every step
 * that has come due).
 */
import { ESCALATION_LEVELS, type EscalationLevel } from '../../config/deadlines';
import { writeRows } from '../commands/commit';
import type { Deps } from '../deps';
import { eachLimited } from '../each-limited';
import { KeyedQueue } from '../keyed-queue';
import { nextStepRows, reachedRow, webhookRow } from '../queues/rows';
import type { DeadlineRecord, StoreTx } from '../store/port';
import { escalationRank as rank, isClosed } from './escalation';
import { loadSubject, notificationOf, noticeText, roleRecipients } from './notices';

/**
 * A delayed job may fire a little before its planned time (it was added with a delay computed on
 * another clock); within this margin it still counts as due. A stale job of a re-planned step is
 * off by at least a day.
 */
export const EARLY_TOLERANCE_MS = 1000;

export type SkipReason = 'missing' | 'closed' | 'taken' | 'unplanned' | 'early';

export interface TakeResult {
  deadlineId: string;
  /** Steps taken by this call, in order (empty when skipped). */
  taken: EscalationLevel[];
  skipped?: SkipReason;
  /** Planned time of the highest step taken. */
  plannedAt?: string;
  /** Epoch ms at which the transaction committed. */
  committedAt?: number;
}

/** The highest planned step not yet taken whose time has come at `now`, or null. */
export function latestDue(record: DeadlineRecord, now: Date): EscalationLevel | null {
  if (isClosed(record)) return null;
  const due = ESCALATION_LEVELS.filter(
    (level) => rank(level) > rank(record.escalation) && isDueAt(record.steps[level], now),
  );
  return due.at(-1) ?? null;
}

const isDueAt = (planned: string | undefined, now: Date) =>
  planned !== undefined && Date.parse(planned) - now.getTime() <= EARLY_TOLERANCE_MS;

/** Takes, at `now`, step `level` of a deadline and any earlier step still pending. Idempotent. */
export async function takeStep(deps: Deps, deadlineId: string, level: EscalationLevel, now: Date): Promise<TakeResult> {
  return takes.run(deadlineId, async () => {
    const result = await deps.store.transaction((tx) => takeInTx(tx, deps, deadlineId, level, now));
    return result.taken.length ? { ...result, committedAt: Date.now() } : result;
  });
}

async function takeInTx(tx: StoreTx, deps: Deps, deadlineId: string, level: EscalationLevel, now: Date): Promise<TakeResult> {
  const skip = (skipped: SkipReason): TakeResult => ({ deadlineId, taken: [], skipped });
  // Locked: a command closing this deadline meanwhile waits, or is waited for and then seen.
  const record = await tx.deadlines.get(deadlineId, { lock: true });
  if (!record) return skip('missing');
  if (isClosed(record)) return skip('closed');
  if (rank(record.escalation) >= rank(level)) return skip('taken');
  const planned = record.steps[level];
  if (!planned) return skip('unplanned');
  if (!isDueAt(planned, now)) return skip('early');

  const pending = ESCALATION_LEVELS.filter((l) => rank(l) > rank(record.escalation) && rank(l) <= rank(level) && record.steps[l]);
  // A warning that comes due together with the overdue step ("will fall due on …" after the fact)
  // is passed over: it is neither announced nor sent to the aggregate.
  const taken = pending.filter((l) => !(l === 'warning' && pending.includes('overdue')));
  // Reads first and side by side (a pipelining connection sends them together), then the writes.
  const [subject, ...audiences] = await Promise.all([loadSubject(tx, record), ...taken.map((l) => roleRecipients(deps, tx, record, l))]);
  const updated: DeadlineRecord = { ...record, escalation: level, status: rank(level) >= rank('overdue') ? 'overdue' : record.status };
  const at = now.toISOString();
  const notices = taken.flatMap((l, i) => {
    const users = [...new Set([...(l === 'escalated' ? [] : subject.assignees), ...audiences[i]])];
    if (users.length === 0) deps.logger.warn({ deadlineId, level: l }, 'escalation step has nobody to notify');
    const text = noticeText(deps, updated, l, subject);
    return users.map((userId) => notificationOf(updated, l, userId, text, at));
  });
  const outbox = deps.config.NOTIFY_WEBHOOK_URL ? notices.map((n) => webhookRow(n, at)) : [];
  outbox.push(reachedRow({ deadlineId, aggregateType: record.aggregateType, aggregateId: record.aggregateId, key: record.key, levels: taken }, level, planned, at));
  // The clock's alarm for its next step (a clock holds one job at a time: queues/rows.ts nextStepRows).
  outbox.push(...nextStepRows(updated, at));
  // Sent with the commit. A take runs once per step: the deadline row is locked and its level
  // checked above, so these notices and their deliveries are new. Deterministic outbox ids: a
  // concurrent take of the same step in another process fails on them and retries.
  await writeRows(tx, { changed: [updated], notifications: notices, outbox });
  return { deadlineId, taken, plannedAt: planned };
}

/**
 * One take per deadline at a time in this process (the processor and the reconciler may meet on
 * the same step); across processes the row lock and the deterministic outbox ids settle it.
 */
const takes = new KeyedQueue();

/** What to do after a take that took something: wake the relay, tell an observer (metrics, the benchmark). */
export interface AfterTake {
  wake: () => void;
  onTaken?: (result: TakeResult) => void;
}

/** Tells `options` about a take that took something. */
export function afterTake(result: TakeResult, options: AfterTake): void {
  if (result.taken.length === 0) return;
  options.wake();
  options.onTaken?.(result);
}

/** Takes the steps that have come due on `records`, `concurrency` deadlines at a time. */
export async function takeDueOn(deps: Deps, records: readonly DeadlineRecord[], now: Date, options: AfterTake & { concurrency?: number }): Promise<TakeResult[]> {
  const due = records.flatMap((r) => {
    const level = latestDue(r, now);
    return level ? [{ id: r.id, level }] : [];
  });
  const results: TakeResult[] = [];
  await eachLimited(due, options.concurrency ?? 8, async ({ id, level }) => {
    try {
      const result = await takeStep(deps, id, level, now);
      afterTake(result, options);
      results.push(result);
    } catch (err) {
      // One failing deadline must not stop the others; the next round or the step's job retries it.
      deps.logger.error({ err, deadlineId: id, level }, 'taking a due escalation step failed');
    }
  });
  return results;
}
