import dayjs from 'dayjs';
import type { Deadline } from '../api/types';

export const DUE_GROUPS = ['已超期', '今日', '本周', '以后'] as const;
export type DueGroup = (typeof DUE_GROUPS)[number];

/** The earliest running clock's due time, or null when no clock runs. */
export function nextDue(deadlines: Deadline[] | undefined): string | null {
  const running = (deadlines ?? []).filter((d) => d.status === 'open' || d.status === 'overdue').map((d) => d.dueAt);
  return running.length ? running.sort()[0] : null;
}

/** 已超期 / 今日 / 本周 / 以后 for a due time, relative to `now`. */
export function dueGroup(dueAt: string | null, now = dayjs()): DueGroup {
  if (!dueAt) return '以后';
  const due = dayjs(dueAt);
  if (due.isBefore(now)) return '已超期';
  if (due.isSame(now, 'day')) return '今日';
  // A Chinese working week ends on Sunday (dayjs zh-cn starts weeks on Monday).
  if (!due.isAfter(now.endOf('week'))) return '本周';
  return '以后';
}
