import type { AnyMachineSnapshot } from 'xstate';

/**
 * Deadline keys the machines put in `meta.deadline` (API.md "Deadlines"). They mirror
 * `config/deadlines.ts`, which machines may not import; a unit test keeps the two lists equal.
 */
export const DEADLINE_KEYS = [
  'clue.disposition',
  'approval',
  'talkInquiry.reply',
  'talkInquiry.report',
  'verification.report',
  'investigation.report',
  'trial.decision',
  'execution.report',
  'appeal.decision',
  'review.report',
  'shelved.recheck',
  // 宣布 of a decision, and telling a real-name reporter of acceptance and of the result.
  'decision.announcement',
  'reporter.acceptance',
  'reporter.result',
  // A talk's follow-up item (整改事项) and the steps of a rectification (以案促改).
  'talk.followUp',
  'rectification.plan',
  'rectification.report',
  'rectification.acceptance',
] as const;
export type DeadlineKey = (typeof DEADLINE_KEYS)[number];

export const ESCALATION_LEVELS = ['warning', 'overdue', 'escalated'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

/**
 * The order of escalation levels: -1 for none taken (`'none'` on a deadline record, absent from an
 * aggregate's context), then 0, 1, 2 up the ladder. Every comparison of levels goes through it.
 */
export function escalationRank(level: EscalationLevel | 'none' | undefined): number {
  return level === undefined || level === 'none' ? -1 : ESCALATION_LEVELS.indexOf(level);
}

/**
 * The higher of two levels: a key's recorded escalation only rises, so a `deadline.reached` for
 * an earlier step delivered late (a retried job) does not lower it.
 */
export function higherLevel(recorded: EscalationLevel | undefined, reached: EscalationLevel): EscalationLevel {
  return escalationRank(reached) > escalationRank(recorded) ? reached : (recorded ?? reached);
}

/** What a state node carries in `meta`. */
export interface StateMeta {
  deadline?: DeadlineKey;
}

/**
 * The deadline keys open in this snapshot: the `meta.deadline` of every active state node (parents
 * first, document order), the context's `clocks`, plus `approval` while a proposal awaits approval. The service diffs this
 * list with the deadlines on record after each transition.
 */
export function activeDeadlineKeys(snapshot: AnyMachineSnapshot): DeadlineKey[] {
  const keys: DeadlineKey[] = [];
  for (const meta of Object.values(snapshot.getMeta()) as StateMeta[]) {
    if (meta?.deadline && !keys.includes(meta.deadline)) keys.push(meta.deadline);
  }
  const context = snapshot.context as { pendingApproval?: unknown; clocks?: DeadlineKey[] };
  // Clocks an action opened and a command closes, beside the states' (宣布, reporter feedback).
  for (const key of context.clocks ?? []) if (!keys.includes(key)) keys.push(key);
  if (context.pendingApproval) keys.push('approval');
  return keys;
}
