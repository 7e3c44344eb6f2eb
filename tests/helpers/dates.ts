import { cstDateOf, plusDays, type CivilDate } from '../../services/calendar/civil-date';

/**
 * Today's civil date in China (Asia/Shanghai), from the process clock. Tests that register clues or
 * record replies "now" use it, so that no statutory clock has run out before the test begins,
 * whatever day the suite runs on (it is run under faketime at other dates in CI).
 */
export function todayCst(now: Date = new Date()): CivilDate {
  return cstDateOf(now.toISOString());
}

/** A civil date `n` days before today in China. */
export function daysAgoCst(n: number, now: Date = new Date()): CivilDate {
  return plusDays(todayCst(now), -n);
}
