/**
 * Deadlines are a function of state (ARCHITECTURE.md §2): after each transition the service hands
 * the keys of the active states and the aggregate's records here and stores what comes back.
 */
import type { AggregateType, DeadlineRecord, DeadlineStatus, Escalation } from '../store/port';
import { cstDateOf, dayNumber } from '../calendar/civil-date';
import { toEpochMs, type WorkCalendar } from '../calendar';
import { isRunning } from './escalation';
import { planDeadline, type DeadlineOverrides, type DeadlinePolicies, type EscalationTiming } from './plan';

export interface SyncDeadlinesInput {
  aggregateType: AggregateType;
  aggregateId: string;
  orgId: string;
  /** `meta.deadline` keys of the states active after the transition. */
  activeKeys: readonly string[];
  /** The aggregate's deadline records (records of other aggregates are ignored). */
  existing: readonly DeadlineRecord[];
  /** Moment of the transition (ISO). */
  now: string;
  receivedAt?: string;
  calendar: WorkCalendar;
  overrides?: DeadlineOverrides;
  policies?: DeadlinePolicies;
  escalation?: EscalationTiming;
  newId: () => string;
}

export interface SyncDeadlinesResult {
  /** New records to insert. */
  opened: DeadlineRecord[];
  /** Updated records (status met/metLate, closedAt) to write back. */
  closed: DeadlineRecord[];
}

/**
 * Opens a record for each active key without a running one and closes running records whose key is
 * no longer active. A key that stays active keeps its record, so one clock spans several events.
 */
export function syncDeadlines(input: SyncDeadlinesInput): SyncDeadlinesResult {
  const running = input.existing.filter(
    (r) => r.aggregateType === input.aggregateType && r.aggregateId === input.aggregateId && isRunning(r),
  );
  const active = new Set(input.activeKeys);
  const runningKeys = new Set<string>(running.map((r) => r.key));
  const opened = [...active].filter((key) => !runningKeys.has(key)).map((key) => openDeadline(key, input));
  const closed = running.filter((r) => !active.has(r.key)).map((r) => closeDeadline(r, input.now));
  return { opened, closed };
}

function openDeadline(key: string, input: SyncDeadlinesInput): DeadlineRecord {
  const plan = planDeadline({ ...input, key, openedAt: input.now });
  return {
    id: input.newId(),
    aggregateType: input.aggregateType,
    aggregateId: input.aggregateId,
    orgId: input.orgId,
    key: key as DeadlineRecord['key'], // validated by planDeadline
    openedAt: input.now,
    dueAt: plan.dueAt,
    steps: plan.steps,
    status: 'open',
    escalation: 'none',
    calendarUncertain: plan.calendarUncertain,
    closedAt: null,
  };
}

/** Closes a running record at `now`: `met` on or before its due time, `metLate` after. */
export function closeDeadline(record: DeadlineRecord, now: string): DeadlineRecord {
  const status: DeadlineStatus = toEpochMs(now) <= toEpochMs(record.dueAt) ? 'met' : 'metLate';
  return { ...record, status, closedAt: now };
}

/** The API view of a deadline. */
export interface DeadlineView {
  key: DeadlineRecord['key'];
  dueAt: string;
  status: DeadlineStatus;
  escalation: Escalation;
  calendarUncertain: boolean;
  /**
   * Working days from today (China) to the due day while the clock runs: 0 on the due day, negative
   * once past it (working days overdue); null for a closed clock or a view built without a calendar.
   */
  workingDaysLeft: number | null;
}

/** What a view needs to count working days: the calendar and the time the view is read. */
export interface DeadlineViewContext {
  calendar: Pick<WorkCalendar, 'isWorkdayNumber'>;
  now: Date;
}

/** Working days after `now`'s day up to the due day (negative: working days after the due day up to today). */
export function workingDaysLeft(calendar: Pick<WorkCalendar, 'isWorkdayNumber'>, now: Date, dueAt: string): number {
  const today = dayNumber(cstDateOf(now.toISOString()));
  const due = dayNumber(cstDateOf(dueAt));
  const [from, to, sign] = due >= today ? [today, due, 1] : [due, today, -1];
  let count = 0;
  // Bounded walk: statutory clocks are months, not years; a clock two years off still answers.
  // Day numbers, not dates, are stepped: a list of 10,000 cases walks millions of days (bench/list.ts).
  for (let d = from + 1; d <= to && d <= from + 800; d++) if (calendar.isWorkdayNumber(d)) count++;
  return sign * count;
}


export function deadlineView(record: DeadlineRecord, ctx?: DeadlineViewContext): DeadlineView {
  const { key, dueAt, status, escalation, calendarUncertain } = record;
  const left = ctx && record.closedAt === null ? workingDaysLeft(ctx.calendar, ctx.now, dueAt) : null;
  return { key, dueAt, status, escalation, calendarUncertain, workingDaysLeft: left };
}

/**
 * `deadlineView` for every record, ordered as opened; clocks opened by the same step by key, so a
 * command's answer and a later read list them alike (the store returns such ties in any order).
 */
export function deadlineViews(records: readonly DeadlineRecord[], ctx?: DeadlineViewContext): DeadlineView[] {
  const order = (a: DeadlineRecord, b: DeadlineRecord) => a.openedAt.localeCompare(b.openedAt) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return [...records].sort(order).map((d) => deadlineView(d, ctx));
}
