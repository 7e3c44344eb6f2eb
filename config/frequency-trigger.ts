import type { Config } from './schema';

/**
 * The 一案双查 frequency trigger: 严重违纪问题频发 in a unit proposes a review of its
 * leadership to the commission head. National wording names no numbers ("重大腐败案件和不正之风长期
 * 滋生蔓延", DOMAIN.md §9): these thresholds are LOCAL PRACTICE, project defaults for a commission to set.
 *
 * Within `windowDays` before the sweep, a unit (the sanctioned subjects' org) triggers when it has
 * - at least `sanctionedCases` cases whose decision sanctioned someone (form 2 or above), or
 * - at least `seriousSanctions` person-times in form 3 or 4 (党纪重处分, 移送司法), or
 * - one major case (`major: true` at registration, e.g. 重大腐败案件) with a sanction, when `majorCaseTriggers`.
 */
export interface FrequencyTrigger {
  enabled: boolean;
  windowDays: number;
  sanctionedCases: number;
  seriousSanctions: number;
  majorCaseTriggers: boolean;
}

export const DEFAULT_FREQUENCY_TRIGGER: FrequencyTrigger = {
  enabled: true,
  windowDays: 365,
  sanctionedCases: 3,
  seriousSanctions: 2,
  majorCaseTriggers: true,
};

type TriggerConfig = Pick<
  Config,
  'FREQUENCY_TRIGGER' | 'FREQUENCY_TRIGGER_WINDOW_DAYS' | 'FREQUENCY_TRIGGER_SANCTIONED_CASES' | 'FREQUENCY_TRIGGER_SERIOUS_SANCTIONS' | 'FREQUENCY_TRIGGER_MAJOR_CASE'
>;

/** The thresholds a deployment set in its environment (unset keys keep the defaults above). */
export function frequencyTriggerFromConfig(config: Partial<TriggerConfig>): FrequencyTrigger {
  const d = DEFAULT_FREQUENCY_TRIGGER;
  return {
    enabled: config.FREQUENCY_TRIGGER ?? d.enabled,
    windowDays: config.FREQUENCY_TRIGGER_WINDOW_DAYS ?? d.windowDays,
    sanctionedCases: config.FREQUENCY_TRIGGER_SANCTIONED_CASES ?? d.sanctionedCases,
    seriousSanctions: config.FREQUENCY_TRIGGER_SERIOUS_SANCTIONS ?? d.seriousSanctions,
    majorCaseTriggers: config.FREQUENCY_TRIGGER_MAJOR_CASE ?? d.majorCaseTriggers,
  };
}
