/**
 * Fixed-length durations of `DEADLINE_OVERRIDES` (parsed and checked in config/duration.ts, where the
 * config schema checks them at start-up), applied to moments.
 */
import { isDuration, parseDuration } from '../../config/duration';
import { toEpochMs } from '../calendar';

export { isDuration, parseDuration };

/** The moment `duration` after `moment` (both ISO; result in UTC). */
export function addDuration(moment: string, duration: string): string {
  return new Date(toEpochMs(moment) + parseDuration(duration)).toISOString();
}
