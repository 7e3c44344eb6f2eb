import { Space, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import type { Deadline } from '../api/types';
import { ESCALATION_COLOURS } from '../../../machines/shared/dictionary';
import { labels } from './labels';

const STATE_COLORS: Array<[RegExp, string]> = [
  [/^closed$/, 'default'],
  [/^concluded$|^accepted$/, 'green'],
  [/Review$|Approval$/, 'purple'],
  [/^registered|^opened$/, 'blue'],
  [/^shelved/, 'default'],
  [/^appeal/, 'magenta'],
  [/^decided|^executed/, 'cyan'],
];

/** The state as its Chinese label; the machine's key stays available as a data attribute. */
export function StateTag({ state, kind = 'case' }: { state: string; kind?: 'case' | 'review' | 'dual' | 'rectification' }) {
  const color = STATE_COLORS.find(([re]) => re.test(state.split('.').pop() ?? state))?.[1] ?? 'processing';
  const text =
    kind === 'review' ? labels.reviewState(state) : kind === 'dual' ? labels.dualState(state) : kind === 'rectification' ? labels.rectificationState(state) : labels.caseState(state);
  return (
    <Tag color={color} data-state={state} className="state-tag">
      {text}
    </Tag>
  );
}

/** 蓝 warning, 黄 overdue, 红 escalated; met clocks green, running ones plain. */
export const ESCALATION_COLORS: Readonly<Record<string, string>> = ESCALATION_COLOURS;

export function deadlineColor(d: Deadline): string {
  if (d.status === 'met') return 'green';
  if (d.status === 'metLate') return 'orange';
  return ESCALATION_COLORS[d.escalation] ?? 'default';
}

export function daysLeft(dueAt: string, now = dayjs()): number {
  return dayjs(dueAt).startOf('day').diff(now.startOf('day'), 'day');
}

/**
 * 剩 N 个工作日 / 今日到期 / 超期 N 个工作日 for a running clock, from the working days the API counts
 * on the statutory calendar; calendar days only for a view that carries none.
 */
export function remaining(d: Pick<Deadline, 'dueAt' | 'status' | 'workingDaysLeft'>, now = dayjs()): string {
  const working = d.workingDaysLeft;
  if (typeof working === 'number') {
    if (working > 0 && d.status !== 'overdue') return `剩 ${working} 个工作日`;
    if (working === 0 && d.status !== 'overdue') return '今日到期';
    return working < 0 ? `超期 ${-working} 个工作日` : '已超期';
  }
  const left = daysLeft(d.dueAt, now);
  if (d.status === 'overdue' || dayjs(d.dueAt).isBefore(now)) return left < 0 ? `超期 ${-left} 天` : '已超期';
  return left > 0 ? `剩 ${left} 天` : '今日到期';
}

/** `compact`: without the clock's name, for a column that already names it. */
export function DeadlineChip({ d, compact = false }: { d: Deadline; compact?: boolean }) {
  const running = d.status === 'open' || d.status === 'overdue';
  const when = running ? remaining(d) : labels.deadlineStatus(d.status);
  return (
    <Tooltip title={`${labels.deadline(d.key)}：${dayjs(d.dueAt).format('YYYY年M月D日')} 到期；${labels.escalation(d.escalation)}${d.calendarUncertain ? '；该年度节假日数据缺失，期限按周末推算' : ''}`}>
      <Tag color={deadlineColor(d)} data-escalation={d.escalation} data-status={d.status} data-key={d.key} className="deadline-chip">
        {compact ? when : `${labels.deadline(d.key)} · ${when}`}
        {d.calendarUncertain ? ' ⚠' : ''}
      </Tag>
    </Tooltip>
  );
}

export function DeadlineChips({ deadlines, runningOnly = true }: { deadlines: Deadline[]; runningOnly?: boolean }) {
  const list = runningOnly ? deadlines.filter((d) => d.status === 'open' || d.status === 'overdue') : deadlines;
  if (!list.length) return null;
  return (
    <Space size={[4, 4]} wrap>
      {list.map((d, i) => (
        <DeadlineChip key={`${d.key}-${i}`} d={d} />
      ))}
    </Space>
  );
}
