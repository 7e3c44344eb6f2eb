/**
 * The admin use-cases of `PUT/GET /api/v1/calendar/:year` (API.md "Admin"): a year stored in the
 * database replaces the package's data and any config file for that year (docs/decisions/003-calendar.md).
 * Here, beside the deadlines it re-plans, because storing a year moves running clocks: the
 * calendar itself knows nothing of deadlines.
 */
import { CalendarDataError, parseArrangement, type YearArrangement } from '../calendar/year-data';
import type { YearView } from '../calendar/work-calendar';
import type { Deps } from '../deps';
import { validationFailed } from '../errors';
import { replanDeadlines, uncertainDeadlines, type ReplanReport } from './replan';

export interface CalendarYearResponse extends YearView {
  /** On PUT: running deadlines counted through an unknown year that were counted again. */
  replanned?: ReplanReport;
  /** True when deadlines counted through this year are certain. */
  known: boolean;
  /** When an administrator last stored the year; null for package or file data. */
  updatedAt: string | null;
}

type CalendarDeps = Pick<Deps, 'store' | 'calendar' | 'clock' | 'policy'>;

/** Validates, stores and applies a year; answers the year as now in force. */
export async function putCalendarYear(deps: CalendarDeps, year: number, body: YearArrangement): Promise<CalendarYearResponse> {
  const valid = validate(year, body);
  const updatedAt = deps.clock().toISOString();
  // Read how the uncertain deadlines were planned while the calendar still lacks the year.
  const uncertain = await uncertainDeadlines(deps);
  await deps.store.calendars.put({ year, ...valid, updatedAt });
  // Only this process's calendar changes now; other processes read stored years at start-up.
  deps.calendar.setYear(year, valid, `stored calendar year ${year}`);
  const replanned = await replanDeadlines(deps, uncertain);
  return { ...deps.calendar.year(year), known: true, updatedAt, replanned };
}

/** The year as this process counts it, with the stored update time when an admin set it. */
export async function getCalendarYear(deps: CalendarDeps, year: number): Promise<CalendarYearResponse> {
  const stored = await deps.store.calendars.get(year);
  const view = stored
    ? { year, origin: 'override' as const, holidays: [...stored.holidays].sort(), workdays: [...stored.workdays].sort() }
    : deps.calendar.year(year);
  return { ...view, known: stored !== null || deps.calendar.knowsYear(year), updatedAt: stored?.updatedAt ?? null };
}

function validate(year: number, body: YearArrangement): YearArrangement {
  try {
    return parseArrangement(year, body, `calendar year ${year}`);
  } catch (err) {
    if (err instanceof CalendarDataError) throw validationFailed(err.issues, `the ${year} calendar is not valid`);
    throw err;
  }
}
