/**
 * The talk-coverage rules and the frequency trigger's thresholds come from the environment
 * (config/schema.ts `COVERAGE_*`, `FREQUENCY_TRIGGER_*`): unset, they are the documented defaults
 * (local practice); set, they are what the policy carries; bad values stop the start naming the key.
 */
import { DEFAULT_COVERAGE_RULES } from '../../../config/coverage';
import { DEFAULT_FREQUENCY_TRIGGER } from '../../../config/frequency-trigger';
import { ConfigError, describeConfig, loadConfig } from '../../../config/schema';
import { policyFromConfig } from '../../../services/policy';

const policy = (env: Record<string, string> = {}) => policyFromConfig(loadConfig({ NODE_ENV: 'test', ...env }));

describe('coverage and trigger configuration', () => {
  it('when nothing is set, then the policy carries the documented defaults', () => {
    expect(policy().coverage).toEqual(DEFAULT_COVERAGE_RULES);
    expect(policy().frequencyTrigger).toEqual(DEFAULT_FREQUENCY_TRIGGER);
  });

  it('when every key is set, then the policy carries those values', () => {
    const p = policy({
      COVERAGE_HEAD_ANNUAL: 'false',
      COVERAGE_HEAD_ANNUAL_KINDS: 'individualInterview, collectiveResponsibility',
      COVERAGE_MEMBER_PORTFOLIO: '0',
      COVERAGE_MEMBER_PORTFOLIO_KINDS: 'heartToHeart',
      COVERAGE_MEMBER_AFTER_COLLECTIVE: 'false',
      COVERAGE_PRE_APPOINTMENT: 'true',
      COVERAGE_PRE_APPOINTMENT_WITHIN_DAYS: '15',
      COVERAGE_PRE_APPOINTMENT_EARLIEST_DAYS_BEFORE: '0',
      COVERAGE_REMINDER_FROM_MONTH: '9',
      COVERAGE_ESCALATE_UNTIL_MONTH: '0',
      FREQUENCY_TRIGGER: 'false',
      FREQUENCY_TRIGGER_WINDOW_DAYS: '180',
      FREQUENCY_TRIGGER_SANCTIONED_CASES: '5',
      FREQUENCY_TRIGGER_SERIOUS_SANCTIONS: '1',
      FREQUENCY_TRIGGER_MAJOR_CASE: '0',
    });
    expect(p.coverage).toEqual({
      headAnnual: { enabled: false, kinds: ['individualInterview', 'collectiveResponsibility'] },
      memberPortfolio: { enabled: false, kinds: ['heartToHeart'], afterCollective: false, collectiveKinds: DEFAULT_COVERAGE_RULES.memberPortfolio.collectiveKinds },
      preAppointment: { enabled: true, kinds: DEFAULT_COVERAGE_RULES.preAppointment.kinds, withinDays: 15, earliestDaysBefore: 0 },
      reminderFromMonth: 9,
      escalateUntilMonth: 0,
    });
    expect(p.frequencyTrigger).toEqual({ enabled: false, windowDays: 180, sanctionedCases: 5, seriousSanctions: 1, majorCaseTriggers: false });
  });

  it('when a value is out of range or not a talk kind, then the start fails naming each key', () => {
    const bad = () =>
      loadConfig({
        COVERAGE_HEAD_ANNUAL_KINDS: 'individualInterview,chat',
        COVERAGE_MEMBER_PORTFOLIO_KINDS: ' , ',
        COVERAGE_REMINDER_FROM_MONTH: '13',
        COVERAGE_PRE_APPOINTMENT_WITHIN_DAYS: '-1',
        FREQUENCY_TRIGGER_SANCTIONED_CASES: '0',
        FREQUENCY_TRIGGER_MAJOR_CASE: 'yes',
      });
    expect(bad).toThrow(ConfigError);
    let message = '';
    try {
      bad();
    } catch (err) {
      message = (err as Error).message;
    }
    for (const key of [
      'COVERAGE_HEAD_ANNUAL_KINDS.1',
      'COVERAGE_MEMBER_PORTFOLIO_KINDS',
      'COVERAGE_REMINDER_FROM_MONTH',
      'COVERAGE_PRE_APPOINTMENT_WITHIN_DAYS',
      'FREQUENCY_TRIGGER_SANCTIONED_CASES',
      'FREQUENCY_TRIGGER_MAJOR_CASE',
    ]) {
      expect(message).toContain(`${key}:`);
    }
  });

  it('when the settings are described for the README, then each of them says its default is local practice', () => {
    const described = describeConfig().filter((c) => /^(COVERAGE|FREQUENCY_TRIGGER)/.test(c.key));
    expect(described).toHaveLength(15);
    for (const c of described) expect(c.description).toMatch(/^Local practice: /);
  });
});
