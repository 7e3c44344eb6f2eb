/**
 * Pieces of the 以案促改 screens: the clocks of a rectification as deadline chips, the
 * link to the case or review it came from.
 */
import { useQuery } from '@tanstack/react-query';
import { Space } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { components } from '../api/schema';
import type { Deadline } from '../api/types';
import { DeadlineChip, StateTag } from './tags';

export type Rectification = components['schemas']['Rectification'];
export type RectificationList = components['schemas']['RectificationList'];

/** The clocks as the chips read them (the same deadline view as a case's). */
export const clocksOf = (r: Rectification): Deadline[] => r.deadlines;

/** The latest clock of `key` (a returned report opens `rectification.report` again), or null. */
export function latestClock(r: Rectification, key: string): Deadline | null {
  const all = clocksOf(r).filter((d) => d.key === key);
  return all.length ? all.reduce((a, b) => (dayjs(b.dueAt).isBefore(a.dueAt) ? a : b)) : null;
}

/** The chip of the latest clock of `key`, or a dash when that step has not been reached. */
export function ClockChip({ r, clock }: { r: Rectification; clock: string }) {
  const d = latestClock(r, clock);
  return d ? <DeadlineChip d={d} compact /> : <span>—</span>;
}

/** Where the rectification came from: the case (by its title) or the 问责 review. */
export function SourceLink({ r }: { r: Rectification }) {
  const to = r.sourceType === 'case' ? `/cases/${r.sourceId}` : `/reviews/${r.sourceId}`;
  return (
    <Link to={to} data-testid="rectification-source">
      {r.sourceType === 'case' ? (r.caseTitle ?? '查看案件') : '查看问责调查'}
    </Link>
  );
}

/**
 * 以案促改 of a case or review, found through the list's `sourceId` filter (the case view does not
 * carry it): a link to it, or nothing when none was opened.
 */
export function RectificationOf({ sourceId }: { sourceId: string }) {
  const q = useQuery({
    queryKey: ['rectifications', { sourceId }],
    queryFn: () => api<RectificationList>('/rectifications', { query: { sourceId, pageSize: 200 } }),
  });
  const r = q.data?.items[0];
  if (!r) return null;
  return (
    <Space data-testid="case-rectification">
      <span>以案促改：</span>
      <Link to={`/rectifications/${r.id}`}>{r.unitName}</Link>
      <StateTag state={r.state} kind="rectification" />
    </Space>
  );
}
