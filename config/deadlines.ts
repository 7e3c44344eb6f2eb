import { DEADLINE_KEYS, ESCALATION_LEVELS, type DeadlineKey, type EscalationLevel } from '../machines/shared/deadlines';
import type { ExtensionPolicy } from '../machines/shared/policy';

/**
 * Statutory clocks (API.md "Deadlines", DOMAIN.md). Each key opens when its state is entered and
 * closes when the state is left. Confidence: H = article text seen, M = secondary/practice,
 * L = weak; L numbers are defaults an administrator is expected to check.
 */
export type PeriodUnit = 'workingDays' | 'days' | 'months';

// The keys and levels are the machines' (their states carry them in `meta.deadline`).
export { DEADLINE_KEYS, ESCALATION_LEVELS, type DeadlineKey, type EscalationLevel };

export interface Period {
  unit: PeriodUnit;
  amount: number;
}

export interface DeadlinePolicy {
  key: DeadlineKey;
  /** 中文 name shown to officials. */
  label: string;
  period: Period;
  /** Counted from the clue's receipt instead of the moment the state is entered. */
  from: 'entered' | 'receivedAt';
  extensible: boolean;
  source: string;
  confidence: 'H' | 'M' | 'L' | 'project';
}


export const DEFAULT_DEADLINES: Record<DeadlineKey, DeadlinePolicy> = {
  'clue.disposition': {
    key: 'clue.disposition', label: '问题线索处置意见', period: { unit: 'months', amount: 1 }, from: 'receivedAt',
    extensible: false, source: '监督执纪工作规则(2019) 第21条', confidence: 'H',
  },
  approval: {
    key: 'approval', label: '审批', period: { unit: 'workingDays', amount: 5 }, from: 'entered',
    extensible: false, source: 'project default', confidence: 'project',
  },
  'talkInquiry.reply': {
    key: 'talkInquiry.reply', label: '函询回复', period: { unit: 'workingDays', amount: 15 }, from: 'entered',
    extensible: false, source: 'DOMAIN.md §3 (secondary sources only)', confidence: 'L',
  },
  'talkInquiry.report': {
    key: 'talkInquiry.report', label: '谈话函询情况报告', period: { unit: 'months', amount: 1 }, from: 'entered',
    extensible: false, source: 'DOMAIN.md §3', confidence: 'M',
  },
  'verification.report': {
    key: 'verification.report', label: '初步核实报告', period: { unit: 'months', amount: 2 }, from: 'entered',
    extensible: false, source: 'none national; configurable (DOMAIN.md §4)', confidence: 'L',
  },
  'investigation.report': {
    key: 'investigation.report', label: '审查调查', period: { unit: 'days', amount: 90 }, from: 'entered',
    extensible: true, source: '监督执纪工作规则(试行, 2017) 第28条', confidence: 'M',
  },
  'trial.decision': {
    key: 'trial.decision', label: '审理', period: { unit: 'months', amount: 1 }, from: 'entered',
    extensible: true, source: '监督执纪工作规则(2019) 第55条', confidence: 'H',
  },
  'execution.report': {
    key: 'execution.report', label: '处分执行情况报告', period: { unit: 'months', amount: 6 }, from: 'entered',
    extensible: false, source: '纪律处分条例(2018) 第41–42条', confidence: 'H',
  },
  'appeal.decision': {
    key: 'appeal.decision', label: '申诉复查', period: { unit: 'months', amount: 1 }, from: 'entered',
    extensible: false, source: 'DOMAIN.md §7', confidence: 'L',
  },
  'review.report': {
    key: 'review.report', label: '问责调查报告', period: { unit: 'months', amount: 2 }, from: 'entered',
    extensible: false, source: 'project default', confidence: 'project',
  },
  'shelved.recheck': {
    key: 'shelved.recheck', label: '暂存待查线索复查', period: { unit: 'months', amount: 6 }, from: 'entered',
    extensible: false, source: 'project default', confidence: 'project',
  },
  // 宣布 within a month of the decision (纪律处分条例 2018 Arts 41–42; DOMAIN.md §7).
  'decision.announcement': {
    key: 'decision.announcement', label: '处分决定宣布', period: { unit: 'months', amount: 1 }, from: 'entered',
    extensible: false, source: '纪律处分条例(2018) 第41–42条', confidence: 'H',
  },
  // A real-name reporter is told of acceptance within 15 working days of receipt, and of the result
  // within 15 working days after closing (规则 Art 23; 检举控告工作规则; DOMAIN.md §2).
  'reporter.acceptance': {
    key: 'reporter.acceptance', label: '告知实名举报人受理情况', period: { unit: 'workingDays', amount: 15 }, from: 'receivedAt',
    extensible: false, source: '监督执纪工作规则(2019) 第23条; 检举控告工作规则', confidence: 'H',
  },
  'reporter.result': {
    key: 'reporter.result', label: '向实名举报人反馈办理结果', period: { unit: 'workingDays', amount: 15 }, from: 'entered',
    extensible: false, source: '检举控告工作规则 (DOMAIN.md §2)', confidence: 'H',
  },
  // A follow-up's own due date (working days, set per item when the talk is recorded) replaces this default.
  'talk.followUp': {
    key: 'talk.followUp', label: '谈话整改事项', period: { unit: 'workingDays', amount: 20 }, from: 'entered',
    extensible: false, source: 'project default; each item sets its own working days', confidence: 'project',
  },
  'rectification.plan': {
    key: 'rectification.plan', label: '以案促改整改方案', period: { unit: 'workingDays', amount: 15 }, from: 'entered',
    extensible: false, source: 'local practice (project default)', confidence: 'project',
  },
  'rectification.report': {
    key: 'rectification.report', label: '以案促改整改完成情况报告', period: { unit: 'months', amount: 3 }, from: 'entered',
    extensible: false, source: 'local practice (project default)', confidence: 'project',
  },
  'rectification.acceptance': {
    key: 'rectification.acceptance', label: '以案促改整改验收', period: { unit: 'workingDays', amount: 15 }, from: 'entered',
    extensible: false, source: 'local practice (project default)', confidence: 'project',
  },
};

/**
 * Extensions of `investigation.report` and `trial.decision` (DOMAIN.md §5: 2017 试行 Art 28, one
 * extension of at most 90 days; unconfirmed for 2019, so configurable): at most `maxDays` each; the
 * own commission approves `atOwnLevel` of them per clock, a further one needs the upper level
 * (approval chains `extension` and `furtherExtension` in config/approvals).
 */
export const EXTENSION_LIMITS: ExtensionPolicy = { maxDays: 90, atOwnLevel: 1 };

/** Escalation ladder (API.md): warning before due, overdue at due, escalated after due, in working days. */
export const ESCALATION = {
  warningWorkingDaysBefore: 3,
  escalateWorkingDaysAfter: 5,
} as const;


export function isDeadlineKey(key: string): key is DeadlineKey {
  return (DEADLINE_KEYS as readonly string[]).includes(key);
}
