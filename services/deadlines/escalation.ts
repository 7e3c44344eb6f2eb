/**
 * The two checks every deadline rule asks: how far a deadline has escalated, and whether its clock
 * still runs. A deadline runs while `open` or `overdue`; `met` and `metLate` are closed for good.
 */
import { escalationRank } from '../../machines/shared/deadlines';
import type { DeadlineRecord } from '../store/port';

export { escalationRank };

/** The clock still runs (open, or overdue and not yet met). */
export function isRunning(record: Pick<DeadlineRecord, 'status'>): boolean {
  return record.status === 'open' || record.status === 'overdue';
}

/** The deadline was met, on time or late: nothing more happens to it. */
export function isClosed(record: Pick<DeadlineRecord, 'status'>): boolean {
  return !isRunning(record);
}
