/**
 * Chinese working days (ARCHITECTURE.md §7, DOMAIN.md §11): the `chinese-days` data, replaced year by
 * year by arrangements we supply (config files, or years an administrator stores at run time).
 * A year neither source knows still counts, as Mon–Fri, but every result that depended on it says
 * `uncertain`, so a deadline crossing an unpublished year is set and flagged, never silently wrong.
 */
import type { Period } from '../../config/deadlines';
import { dayNumber, fromDayNumber, isWeekend, plusDays, plusMonths, yearOf, type CivilDate } from './civil-date';
import { chineseDaysData, type BaseCalendarData } from './package-data';
import { parseArrangement, type CalendarYearInput, type YearArrangement } from './year-data';

/** A computed date and whether it depended on a year the calendar does not know. */
export interface DateResult {
  date: CivilDate;
  uncertain: boolean;
}

export interface PeriodOptions {
  /** 民法典 Art 203: a period ending on a day off ends on the next working day. Default: the calendar's. */
  extendToWorkday?: boolean;
}

export interface WorkCalendarOptions {
  /** Arrangements replacing the package's data for their years (later entries win). */
  years?: CalendarYearInput[];
  /** Default of {@link PeriodOptions.extendToWorkday}; true (docs/decisions/003-calendar.md). */
  extendToWorkday?: boolean;
}

export interface YearView extends CalendarYearInput {
  /** Where the year's data comes from; `none` = Mon–Fri only. */
  origin: 'override' | 'chinese-days' | 'none';
}

interface YearSets {
  holidays: ReadonlySet<CivilDate>;
  workdays: ReadonlySet<CivilDate>;
}

export class WorkCalendar {
  readonly extendToWorkday: boolean;
  private readonly base: BaseCalendarData;
  private readonly overrides = new Map<number, YearSets>();
  /** `isWorkdayNumber`'s answers, by day number; emptied when a year's data changes. */
  private readonly byDayNumber = new Map<number, boolean>();

  constructor(options: WorkCalendarOptions = {}) {
    this.base = chineseDaysData();
    this.extendToWorkday = options.extendToWorkday ?? true;
    for (const y of options.years ?? []) this.setYear(y.year, y);
  }

  /** Replaces the data of `year` (validated; throws CalendarDataError naming `source`). */
  setYear(year: number, arrangement: YearArrangement, source = `calendar year ${year}`): void {
    const valid = parseArrangement(year, { holidays: arrangement.holidays, workdays: arrangement.workdays }, source);
    this.overrides.set(year, { holidays: new Set(valid.holidays), workdays: new Set(valid.workdays) });
    this.byDayNumber.clear();
  }

  /** True when `year` has published data: in `chinese-days` or an override. */
  knowsYear(year: number): boolean {
    return this.overrides.has(year) || this.base.years.has(year);
  }

  /** Years supplied as overrides, ascending. */
  overrideYears(): number[] {
    return [...this.overrides.keys()].sort((a, b) => a - b);
  }

  /** The effective arrangement of a year, for the admin `GET /calendar/:year`. */
  year(year: number): YearView {
    const o = this.overrides.get(year);
    const origin = o ? 'override' : this.base.years.has(year) ? 'chinese-days' : 'none';
    const sets = o ?? this.base;
    const pick = (s: ReadonlySet<CivilDate>) => [...s].filter((d) => yearOf(d) === year).sort();
    return { year, origin, holidays: pick(sets.holidays), workdays: pick(sets.workdays) };
  }

  /** A 调休 workday, or Mon–Fri that is not a holiday (the `chinese-days` rule). Unknown years: Mon–Fri. */
  isWorkday(date: CivilDate): boolean {
    const sets = this.overrides.get(yearOf(date)) ?? this.base;
    if (sets.workdays.has(date)) return true;
    return !isWeekend(date) && !sets.holidays.has(date);
  }

  /**
   * `isWorkday` of a day number (days since 1970-01-01), remembered: clocks count the same days over
   * and over (every command's deadlines, every list row's 剩余工作日).
   */
  isWorkdayNumber(day: number): boolean {
    let workday = this.byDayNumber.get(day);
    if (workday === undefined) {
      workday = this.isWorkday(fromDayNumber(day));
      // Bounded: a clock counts months, but a caller could walk far; forget all rather than grow.
      if (this.byDayNumber.size >= 20_000) this.byDayNumber.clear();
      this.byDayNumber.set(day, workday);
    }
    return workday;
  }

  /** `n` working days after `date` (start excluded: 1 after a Friday is the Monday); negative counts back. */
  addWorkingDays(date: CivilDate, n: number): DateResult {
    assertInteger(n);
    const step = Math.sign(n);
    let day = dayNumber(date);
    for (let left = Math.abs(n); left > 0; ) {
      day += step;
      if (this.isWorkdayNumber(day)) left -= 1;
    }
    const result = fromDayNumber(day);
    return { date: result, uncertain: n !== 0 && this.crossesUnknown(plusDays(date, step), result) };
  }

  /** `date` + `n` natural days, ending on a working day under the extension rule. */
  addDays(date: CivilDate, n: number, options: PeriodOptions = {}): DateResult {
    assertInteger(n);
    return this.endPeriodOn(plusDays(date, n), options);
  }

  /** The corresponding date `n` months later (or the month's last day), under the extension rule. */
  addMonths(date: CivilDate, n: number, options: PeriodOptions = {}): DateResult {
    assertInteger(n);
    return this.endPeriodOn(plusMonths(date, n), options);
  }

  /** The end of a policy period counted from `date` (start day excluded). */
  addPeriod(date: CivilDate, period: Period, options: PeriodOptions = {}): DateResult {
    switch (period.unit) {
      case 'workingDays':
        return this.addWorkingDays(date, period.amount);
      case 'days':
        return this.addDays(date, period.amount, options);
      case 'months':
        return this.addMonths(date, period.amount, options);
    }
  }

  /** `date` itself when it is a working day, otherwise the next working day. */
  nextWorkdayFrom(date: CivilDate): DateResult {
    let day = dayNumber(date);
    while (!this.isWorkdayNumber(day)) day += 1;
    const result = fromDayNumber(day);
    return { date: result, uncertain: this.crossesUnknown(date, result) };
  }

  private endPeriodOn(last: CivilDate, options: PeriodOptions): DateResult {
    if (!(options.extendToWorkday ?? this.extendToWorkday)) return { date: last, uncertain: false };
    return this.nextWorkdayFrom(last);
  }

  /** Whether any year between two dates (inclusive, either order) is unknown. */
  private crossesUnknown(a: CivilDate, b: CivilDate): boolean {
    const [from, to] = [yearOf(a), yearOf(b)].sort((x, y) => x - y);
    for (let y = from; y <= to; y += 1) if (!this.knowsYear(y)) return true;
    return false;
  }
}

function assertInteger(n: number): void {
  if (!Number.isSafeInteger(n)) throw new Error(`period length must be an integer, got ${n}`);
}
