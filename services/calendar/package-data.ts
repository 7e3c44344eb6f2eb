/**
 * The holiday data of `chinese-days`, read from the JSON the package publishes
 * (`dist/chinese-days.json`, documented in its README for non-JS users) rather than through its
 * date functions: those parse `YYYY-MM-DD` as UTC and then read local fields, so under a time zone
 * west of UTC `getDayDetail('2026-10-10')` answers for 2026-10-09. The rule we apply to the data is
 * the package's own `isWorkday`: a 调休 workday, or Mon–Fri that is not a holiday.
 */
import { createRequire } from 'node:module';
import { yearOf, type CivilDate } from './civil-date';

export interface BaseCalendarData {
  /** Years the data covers; any other year is only Mon–Fri. */
  years: ReadonlySet<number>;
  /** Days off, incl. weekend days merged into a holiday block (e.g. 2026-10-03). */
  holidays: ReadonlySet<CivilDate>;
  /** Weekend days worked (调休上班). */
  workdays: ReadonlySet<CivilDate>;
}

interface PackageJson {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

let cached: BaseCalendarData | undefined;

/**
 * The package's data. The covered years are those with at least one entry, so the range follows the
 * installed version (1.5.7: 2004–2026) instead of a number written here.
 */
export function chineseDaysData(): BaseCalendarData {
  if (cached) return cached;
  const load = createRequire(__filename);
  const raw = load('chinese-days/dist/chinese-days.json') as PackageJson;
  const holidays = new Set(Object.keys(raw.holidays));
  const workdays = new Set(Object.keys(raw.workdays));
  const years = new Set([...holidays, ...workdays].map(yearOf));
  cached = { years, holidays, workdays };
  return cached;
}
