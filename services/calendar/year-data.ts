/**
 * One year's working-day arrangement supplied by us (a `config/calendar/<year>.json` file or a year an
 * administrator stored through `PUT /api/v1/calendar/:year`), validated before the calendar uses it.
 */
import { z } from 'zod';
import { isCivilDate, isWeekend, yearOf, type CivilDate } from './civil-date';

/** The arrangement of one year as the State Council publishes it. */
export interface YearArrangement {
  /** Days off: statutory holidays and the days merged into their blocks (any weekday). */
  holidays: CivilDate[];
  /** Weekend days worked (调休上班). */
  workdays: CivilDate[];
}

export interface CalendarYearInput extends YearArrangement {
  year: number;
}

/** Bad calendar data; `issues` name each field, so the HTTP layer can answer `validation_failed`. */
export class CalendarDataError extends Error {
  constructor(
    message: string,
    readonly source: string,
    readonly issues: Array<{ path: string; message: string }>,
  ) {
    super(message);
    this.name = 'CalendarDataError';
  }
}

const dateList = z.array(z.string().refine(isCivilDate, 'must be a real date YYYY-MM-DD'));

/** Schema of an arrangement for `year`: dates inside the year, make-up days on weekends, no overlap. */
export function arrangementSchema(year: number) {
  return z
    .object({ holidays: dateList, workdays: dateList })
    .superRefine((v, ctx) => {
      const inYear = (list: 'holidays' | 'workdays') =>
        v[list].forEach((d, i) => {
          if (isCivilDate(d) && yearOf(d) !== year) {
            ctx.addIssue({ code: 'custom', path: [list, i], message: `${d} is not in ${year}` });
          }
        });
      inYear('holidays');
      inYear('workdays');
      // A weekday is a workday already; listing one is almost surely a mistyped 调休 date.
      v.workdays.forEach((d, i) => {
        if (isCivilDate(d) && !isWeekend(d)) {
          ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${d} is a weekday; workdays lists weekend days worked` });
        }
      });
      const holidays = new Set(v.holidays);
      v.workdays.forEach((d, i) => {
        if (holidays.has(d)) ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${d} is listed both as holiday and as workday` });
      });
    });
}

/** Schema of an override file: `{year, holidays, workdays, source?}`; unknown keys are refused (typos). */
export const calendarFileSchema = z.strictObject({
  year: z.number().int().min(1949).max(9999),
  holidays: z.array(z.string()),
  workdays: z.array(z.string()),
  /** Where the arrangement comes from, e.g. the gov.cn notice. */
  source: z.string().optional(),
});

type Issue = { path: readonly PropertyKey[]; message: string };

function fail(source: string, issues: readonly Issue[]): never {
  const list = issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  const lines = list.map((i) => `  ${i.path}: ${i.message}`).join('\n');
  throw new CalendarDataError(`invalid calendar data in ${source}:\n${lines}`, source, list);
}

/** Validates one year's arrangement; throws {@link CalendarDataError} naming `source`. */
export function parseArrangement(year: number, input: unknown, source: string): YearArrangement {
  if (!Number.isInteger(year)) fail(source, [{ path: ['year'], message: 'must be an integer year' }]);
  const parsed = arrangementSchema(year).safeParse(input);
  if (!parsed.success) fail(source, parsed.error.issues);
  return { holidays: [...new Set(parsed.data.holidays)].sort(), workdays: [...new Set(parsed.data.workdays)].sort() };
}

/** Validates the content of `config/calendar/<year>.json`; the year inside must match the file name. */
export function parseCalendarFile(content: unknown, source: string, fileYear?: number): CalendarYearInput {
  const parsed = calendarFileSchema.safeParse(content);
  if (!parsed.success) fail(source, parsed.error.issues);
  const { year } = parsed.data;
  if (fileYear !== undefined && year !== fileYear) {
    fail(source, [{ path: ['year'], message: `file is named for ${fileYear} but says ${year}` }]);
  }
  return { year, ...parseArrangement(year, parsed.data, source) };
}
