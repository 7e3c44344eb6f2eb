/**
 * Yearly talk coverage rules. The defaults restate the commission's speeches; they
 * are local practice, and a commission sets its own (`coverageRules({...})`).
 *
 * - headAnnual: 纪委主要负责人每年至少约谈一次下级党委（党组）、纪委（纪检组）主要负责人 — the discipline head
 *   of an org talks (约谈) each year with the secretary and the discipline head of each org directly below.
 * - memberPortfolio: 班子成员在集体谈话后，按照分工与所分管部门、单位的领导干部进行谈话 — each committee member
 *   talks each year with the leaders of each unit in his portfolio, after the org's collective talk.
 * - preAppointment: 任前廉政谈话 — a newly appointed cadre gets an integrity talk within `withinDays`
 *   calendar days of the appointment (or up to `earliestDaysBefore` days before it).
 * - Reminders from `reminderFromMonth` (10 = the fourth quarter); escalation after the year end,
 *   during the first `escalateUntilMonth` months of the next year.
 */
import type { TalkKind } from '../machines/talk/kinds';
import type { Config } from './schema';

export interface CoverageRules {
  headAnnual: { enabled: boolean; kinds: TalkKind[] };
  memberPortfolio: { enabled: boolean; kinds: TalkKind[]; afterCollective: boolean; collectiveKinds: TalkKind[] };
  preAppointment: { enabled: boolean; kinds: TalkKind[]; withinDays: number; earliestDaysBefore: number };
  reminderFromMonth: number;
  /** A past year's obligations escalate until the end of this month of the next year (not years later, e.g. on a first deployment). */
  escalateUntilMonth: number;
}

export const DEFAULT_COVERAGE_RULES: CoverageRules = {
  headAnnual: { enabled: true, kinds: ['individualInterview', 'collectiveInterview', 'integrityInterview'] },
  memberPortfolio: {
    enabled: true,
    kinds: ['individualInterview', 'collectiveInterview', 'integrityInterview', 'heartToHeart', 'reminder'],
    afterCollective: true,
    collectiveKinds: ['collectiveResponsibility'],
  },
  preAppointment: { enabled: true, kinds: ['preAppointmentIntegrity'], withinDays: 30, earliestDaysBefore: 30 },
  reminderFromMonth: 10,
  escalateUntilMonth: 3,
};

export function coverageRules(overrides: Partial<CoverageRules> = {}): CoverageRules {
  return { ...DEFAULT_COVERAGE_RULES, ...overrides };
}

type CoverageConfig = Pick<
  Config,
  | 'COVERAGE_HEAD_ANNUAL'
  | 'COVERAGE_HEAD_ANNUAL_KINDS'
  | 'COVERAGE_MEMBER_PORTFOLIO'
  | 'COVERAGE_MEMBER_PORTFOLIO_KINDS'
  | 'COVERAGE_MEMBER_AFTER_COLLECTIVE'
  | 'COVERAGE_PRE_APPOINTMENT'
  | 'COVERAGE_PRE_APPOINTMENT_WITHIN_DAYS'
  | 'COVERAGE_PRE_APPOINTMENT_EARLIEST_DAYS_BEFORE'
  | 'COVERAGE_REMINDER_FROM_MONTH'
  | 'COVERAGE_ESCALATE_UNTIL_MONTH'
>;

/** The rules a deployment set in its environment (config/schema.ts `COVERAGE_*`; unset keys keep the defaults above). */
export function coverageRulesFromConfig(config: Partial<CoverageConfig>): CoverageRules {
  const d = DEFAULT_COVERAGE_RULES;
  return {
    headAnnual: { enabled: config.COVERAGE_HEAD_ANNUAL ?? d.headAnnual.enabled, kinds: config.COVERAGE_HEAD_ANNUAL_KINDS ?? d.headAnnual.kinds },
    memberPortfolio: {
      ...d.memberPortfolio,
      enabled: config.COVERAGE_MEMBER_PORTFOLIO ?? d.memberPortfolio.enabled,
      kinds: config.COVERAGE_MEMBER_PORTFOLIO_KINDS ?? d.memberPortfolio.kinds,
      afterCollective: config.COVERAGE_MEMBER_AFTER_COLLECTIVE ?? d.memberPortfolio.afterCollective,
    },
    preAppointment: {
      ...d.preAppointment,
      enabled: config.COVERAGE_PRE_APPOINTMENT ?? d.preAppointment.enabled,
      withinDays: config.COVERAGE_PRE_APPOINTMENT_WITHIN_DAYS ?? d.preAppointment.withinDays,
      earliestDaysBefore: config.COVERAGE_PRE_APPOINTMENT_EARLIEST_DAYS_BEFORE ?? d.preAppointment.earliestDaysBefore,
    },
    reminderFromMonth: config.COVERAGE_REMINDER_FROM_MONTH ?? d.reminderFromMonth,
    escalateUntilMonth: config.COVERAGE_ESCALATE_UNTIL_MONTH ?? d.escalateUntilMonth,
  };
}
