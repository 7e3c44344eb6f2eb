/**
 * When a deadline falls due and when each escalation step fires (API.md "Deadlines"). Pure: the
 * calendar, policies and overrides come in as arguments.
 *
 * Times: a deadline is due at the END of its due day in CST (23:59:59.999+08:00); `warning` fires at
 * 09:00 CST on the third working day before the due day (start of that office day, so assignees have
 * the whole day); `escalated` at the end of the fifth working day after it. docs/decisions/003-calendar.md.
 */
import {
  DEFAULT_DEADLINES,
  ESCALATION,
  ESCALATION_LEVELS,
  isDeadlineKey,
  type DeadlineKey,
  type DeadlinePolicy,
  type EscalationLevel,
} from '../../config/deadlines';
import type { DeadlineRecord, Escalation } from '../store/port';
import { cstDateOf, cstMoment, endOfCstDay, toCivilDate, toEpochMs, type CivilDate, type WorkCalendar } from '../calendar';
import { addDuration } from './duration';
import { escalationRank, isClosed } from './escalation';

/** `DEADLINE_OVERRIDES` as parsed by config/schema.ts. */
export type DeadlineOverrides = Record<string, { due: string; escalateAfter?: string }>;
export type DeadlinePolicies = Record<DeadlineKey, DeadlinePolicy>;
export type EscalationTiming = { readonly warningWorkingDaysBefore: number; readonly escalateWorkingDaysAfter: number };
export type DeadlineSteps = Partial<Record<EscalationLevel, string>> & { overdue: string; escalated: string };

/** Hour (CST) at which the warning step fires. */
export const WARNING_HOUR_CST = 9;

export interface PlanDeadlineInput {
  key: string;
  /** Moment the state was entered (ISO). */
  openedAt: string;
  /** The clue's receipt (ISO moment or YYYY-MM-DD), for policies counted `from: 'receivedAt'`. */
  receivedAt?: string;
  calendar: WorkCalendar;
  overrides?: DeadlineOverrides;
  policies?: DeadlinePolicies;
  escalation?: EscalationTiming;
}

export interface DeadlinePlan {
  dueAt: string;
  steps: DeadlineSteps;
  /** Some date was computed through a year the calendar has no data for. */
  calendarUncertain: boolean;
}

/** Plans a deadline opened at `openedAt`; throws for an unknown key or a bad override duration. */
export function planDeadline(input: PlanDeadlineInput): DeadlinePlan {
  const key = deadlineKey(input.key);
  const override = input.overrides?.[key];
  if (override) return planOverride(input.openedAt, override);
  const policy = (input.policies ?? DEFAULT_DEADLINES)[key];
  const start = policy.from === 'receivedAt' && input.receivedAt ? toCivilDate(input.receivedAt) : cstDateOf(input.openedAt);
  const due = input.calendar.addPeriod(start, policy.period);
  const planned = planSteps(due.date, input.openedAt, input.calendar, input.escalation);
  return { dueAt: planned.steps.overdue, steps: planned.steps, calendarUncertain: due.uncertain || planned.uncertain };
}

/** Plain durations (demos, tests): overdue at `due`, escalated `escalateAfter` (default `due`) later, no warning. */
function planOverride(openedAt: string, override: { due: string; escalateAfter?: string }): DeadlinePlan {
  const dueAt = addDuration(openedAt, override.due);
  const escalated = addDuration(dueAt, override.escalateAfter ?? override.due);
  return { dueAt, steps: { overdue: dueAt, escalated }, calendarUncertain: false };
}

/**
 * The escalation ladder around a due day. A warning that would fire before the deadline opened
 * (a period shorter than the warning lead) is left out: the overdue step follows soon anyway.
 */
export function planSteps(
  dueDay: CivilDate,
  openedAt: string,
  calendar: WorkCalendar,
  timing: EscalationTiming = ESCALATION,
): { steps: DeadlineSteps; uncertain: boolean } {
  const warningDay = calendar.addWorkingDays(dueDay, -timing.warningWorkingDaysBefore);
  const escalatedDay = calendar.addWorkingDays(dueDay, timing.escalateWorkingDaysAfter);
  const warning = cstMoment(warningDay.date, WARNING_HOUR_CST);
  const withWarning = toEpochMs(warning) > toEpochMs(openedAt);
  const steps: DeadlineSteps = { overdue: endOfCstDay(dueDay), escalated: endOfCstDay(escalatedDay.date) };
  if (withWarning) steps.warning = warning;
  return { steps, uncertain: escalatedDay.uncertain || (withWarning && warningDay.uncertain) };
}

export type ExtendedFields = Pick<DeadlineRecord, 'dueAt' | 'steps' | 'status' | 'escalation' | 'calendarUncertain'>;

export interface ExtendOptions {
  /** When given, steps already taken whose new time has also passed stay taken; otherwise all re-arm. */
  now?: string;
  policies?: DeadlinePolicies;
  escalation?: EscalationTiming;
}

/**
 * Extends an extensible deadline (`investigation.report`, `trial.decision`) by `days` natural days
 * from its current due date, under the calendar's extension rule, and re-plans its steps.
 */
export function extendDeadline(
  record: DeadlineRecord,
  days: number,
  calendar: WorkCalendar,
  options: ExtendOptions = {},
): ExtendedFields {
  const policy = (options.policies ?? DEFAULT_DEADLINES)[deadlineKey(record.key)];
  if (!policy.extensible) throw new Error(`deadline ${record.key} cannot be extended`);
  if (isClosed(record)) throw new Error(`deadline ${record.id} is closed`);
  if (!Number.isSafeInteger(days) || days < 1) throw new Error(`extension must be a whole number of days ≥ 1, got ${days}`);
  const due = calendar.addDays(cstDateOf(record.dueAt), days);
  const planned = planSteps(due.date, record.openedAt, calendar, options.escalation);
  const escalation = stillTaken(record.escalation, planned.steps, options.now);
  return {
    dueAt: planned.steps.overdue,
    steps: planned.steps,
    status: escalation === 'overdue' || escalation === 'escalated' ? 'overdue' : 'open',
    escalation,
    // The old due date may itself rest on an unknown year; keep that flag.
    calendarUncertain: record.calendarUncertain || due.uncertain || planned.uncertain,
  };
}

/** The last step taken before a re-plan (extension, calendar data) whose new time has passed too. */
export function stillTaken(taken: Escalation, steps: DeadlineSteps, now: string | undefined): Escalation {
  if (now === undefined || taken === 'none') return 'none';
  const nowMs = toEpochMs(now);
  const upTo = ESCALATION_LEVELS.slice(0, escalationRank(taken) + 1);
  const passed = upTo.filter((level) => steps[level] !== undefined && toEpochMs(steps[level]!) <= nowMs);
  return passed.at(-1) ?? 'none';
}

function deadlineKey(key: string): DeadlineKey {
  if (!isDeadlineKey(key)) throw new Error(`unknown deadline key ${JSON.stringify(key)}`);
  return key;
}
