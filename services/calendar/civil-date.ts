/**
 * Calendar dates (`YYYY-MM-DD`) and China Standard Time moments. Every date in the engine is a CST
 * calendar date (UTC+8, no DST since 1991), so the arithmetic here never consults the process time
 * zone: a server in UTC and a laptop in Beijing compute the same deadlines.
 */

/** A calendar date in China Standard Time, `YYYY-MM-DD`. */
export type CivilDate = string;

const DAY_MS = 86_400_000;
const CST_OFFSET_MS = 8 * 3_600_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A moment must carry its offset; without one `Date` would read it in the process time zone.
const MOMENT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** True for a real date in `YYYY-MM-DD` form (rejects 2026-02-30). */
export function isCivilDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === text;
}

function assertCivilDate(date: CivilDate): void {
  if (!isCivilDate(date)) throw new Error(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

/** `dayNumber`'s answers: a clock's arithmetic asks for the same few dates again and again. */
const dayNumbers = new Map<CivilDate, number>();
const DAY_NUMBERS_KEPT = 4096;

/** Days since 1970-01-01 for a date; the unit of all date arithmetic here. */
export function dayNumber(date: CivilDate): number {
  const known = dayNumbers.get(date);
  if (known !== undefined) return known;
  assertCivilDate(date);
  const n = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
  if (dayNumbers.size >= DAY_NUMBERS_KEPT) dayNumbers.clear();
  dayNumbers.set(date, n);
  return n;
}

/** Inverse of {@link dayNumber}. */
export function fromDayNumber(n: number): CivilDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function yearOf(date: CivilDate): number {
  return Number(date.slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: CivilDate): number {
  return new Date(dayNumber(date) * DAY_MS).getUTCDay();
}

export function isWeekend(date: CivilDate): boolean {
  const d = weekdayOf(date);
  return d === 0 || d === 6;
}

/** `date` plus `n` natural days (no calendar rules). */
export function plusDays(date: CivilDate, n: number): CivilDate {
  return fromDayNumber(dayNumber(date) + n);
}

/**
 * The corresponding date `n` months later (民法典 Art 202): same day of month, or the last day of
 * the target month when it has no such day (01-31 + 1 month = 02-28 or 02-29).
 */
export function plusMonths(date: CivilDate, n: number): CivilDate {
  assertCivilDate(date);
  const total = yearOf(date) * 12 + Number(date.slice(5, 7)) - 1 + n;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(Number(date.slice(8, 10)), lastDay);
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function momentMs(moment: string): number {
  if (!MOMENT_RE.test(moment)) {
    throw new Error(`not an ISO-8601 moment with offset (e.g. 2026-10-01T02:00:00Z): ${JSON.stringify(moment)}`);
  }
  const ms = Date.parse(moment);
  if (Number.isNaN(ms)) throw new Error(`not a valid moment: ${JSON.stringify(moment)}`);
  return ms;
}

/** True for an ISO-8601 moment that carries `Z` or an offset. */
export function isMoment(text: string): boolean {
  return MOMENT_RE.test(text) && !Number.isNaN(Date.parse(text));
}

/** The CST calendar date of a moment (2026-09-30T16:00:00Z → 2026-10-01). */
export function cstDateOf(moment: string): CivilDate {
  return new Date(momentMs(moment) + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** A date as is, or a moment's CST date: for inputs such as `receivedAt` that may be either. */
export function toCivilDate(dateOrMoment: string): CivilDate {
  return isCivilDate(dateOrMoment) ? dateOrMoment : cstDateOf(dateOrMoment);
}

/** The moment (ISO UTC) of a CST wall-clock time on `date`, e.g. 09:00 → `…T01:00:00.000Z`. */
export function cstMoment(date: CivilDate, hours = 0, minutes = 0, seconds = 0, ms = 0): string {
  const utc = dayNumber(date) * DAY_MS + ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
  return new Date(utc - CST_OFFSET_MS).toISOString();
}

/** The last millisecond of `date` in CST (23:59:59.999+08:00), as ISO UTC. */
export function endOfCstDay(date: CivilDate): string {
  return cstMoment(date, 23, 59, 59, 999);
}

/** Milliseconds since the epoch of an ISO moment (validated). */
export function toEpochMs(moment: string): number {
  return momentMs(moment);
}
