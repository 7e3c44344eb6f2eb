/**
 * Deadlines counted through a year the calendar had no data for are flagged `calendarUncertain`
 * (docs/decisions/003-calendar.md). When an administrator stores that year, the running ones are
 * counted again: due time and steps move to what the year's real arrangement gives, and the flag
 * clears when nothing uncertain is left. The step jobs follow from the record: the reconciler adds
 * the job of each moved step within RECONCILE_INTERVAL_MS (their ids carry the planned time) and the
 * old jobs find their step re-planned and do nothing.
 *
 * A deadline of a key that cannot be extended always follows its policy, so it is counted again
 * from its opening, on this PUT or any later one. An extensible one (investigation.report,
 * trial.decision) is counted again from its opening only if its stored plan is what the policy gave
 * before the year was stored; otherwise it was extended, and the record does not keep the days
 * granted: its due time stays, its steps are re-planned around it, and it stays flagged (listed for
 * administrators in GET /calendar/:year).
 */
import { cstDateOf } from '../calendar';
import type { Deps } from '../deps';
import type { DeadlineRecord, Store } from '../store/port';
import { planDeadline, planSteps, stillTaken, type DeadlinePlan, type DeadlineSteps } from './plan';

type ReplanDeps = Pick<Deps, 'store' | 'calendar' | 'clock' | 'policy'>;

/** A running uncertain deadline and how it was planned, read before the calendar changes. */
export interface UncertainDeadline {
  record: DeadlineRecord;
  receivedAt: string | undefined;
  /** The stored plan is the one the key's policy gives (not moved by an extension). */
  fromPolicy: boolean;
}

export interface ReplanReport {
  /** Deadlines re-planned. */
  replanned: number;
  /** Of those, still uncertain (extended, or counted into another unknown year). */
  stillUncertain: number;
}

/** The running uncertain deadlines, with what re-planning them needs. Call BEFORE the calendar changes. */
export async function uncertainDeadlines(deps: ReplanDeps): Promise<UncertainDeadline[]> {
  const records = (await deps.store.deadlines.listActive()).filter((d) => d.calendarUncertain);
  const out: UncertainDeadline[] = [];
  for (const record of records) {
    const policy = deps.policy.deadlines[record.key];
    // Only clocks counted from the clue's receipt need their case read.
    const receivedAt = policy.from === 'receivedAt' ? await receivedAtOf(deps.store, record) : undefined;
    const plan = planOf(deps, record, receivedAt);
    out.push({ record, receivedAt, fromPolicy: plan !== null && (!policy.extensible || samePlan(plan, record)) });
  }
  return out;
}

/** Re-plans `found` (from {@link uncertainDeadlines}) with the calendar as it is now. */
export async function replanDeadlines(deps: ReplanDeps, found: UncertainDeadline[]): Promise<ReplanReport> {
  const report: ReplanReport = { replanned: 0, stillUncertain: 0 };
  const now = deps.clock().toISOString();
  for (const item of found) {
    const next = replanned(deps, item);
    if (!next) continue;
    const done = await deps.store.transaction(async (tx) => {
      const current = await tx.deadlines.get(item.record.id, { lock: true });
      // Closed or moved (extended, re-planned by another process) meanwhile: leave it.
      if (!current || current.closedAt !== null || current.dueAt !== item.record.dueAt || !current.calendarUncertain) return null;
      const escalation = stillTaken(current.escalation, next.steps, now);
      const status = escalation === 'overdue' || escalation === 'escalated' ? 'overdue' : 'open';
      const updated: DeadlineRecord = { ...current, ...next, escalation, status };
      await tx.deadlines.update(updated);
      return updated;
    });
    if (!done) continue;
    report.replanned++;
    if (done.calendarUncertain) report.stillUncertain++;
  }
  return report;
}

function replanned(deps: ReplanDeps, item: UncertainDeadline): { dueAt: string; steps: DeadlineSteps; calendarUncertain: boolean } | null {
  if (item.fromPolicy) {
    const plan = planOf(deps, item.record, item.receivedAt);
    return plan && { dueAt: plan.dueAt, steps: plan.steps, calendarUncertain: plan.calendarUncertain };
  }
  const planned = planSteps(cstDateOf(item.record.dueAt), item.record.openedAt, deps.calendar);
  return { dueAt: item.record.dueAt, steps: planned.steps, calendarUncertain: true };
}

/** The plan the key's policy gives now, or null when an override decides the deadline. */
function planOf(deps: Pick<Deps, 'calendar' | 'policy'>, record: DeadlineRecord, receivedAt: string | undefined): DeadlinePlan | null {
  if (deps.policy.overrides?.[record.key]) return null;
  return planDeadline({ key: record.key, openedAt: record.openedAt, receivedAt, calendar: deps.calendar, policies: deps.policy.deadlines });
}

function samePlan(plan: DeadlinePlan, record: DeadlineRecord): boolean {
  if (plan.dueAt !== record.dueAt) return false;
  const levels = new Set([...Object.keys(plan.steps), ...Object.keys(record.steps)]) as Set<keyof DeadlinePlan['steps']>;
  return [...levels].every((level) => plan.steps[level] === record.steps[level]);
}

async function receivedAtOf(store: Store, record: DeadlineRecord): Promise<string | undefined> {
  if (record.aggregateType !== 'case') return undefined;
  const c = await store.cases.get(record.aggregateId);
  return (c?.data as { receivedAt?: string } | undefined)?.receivedAt;
}
