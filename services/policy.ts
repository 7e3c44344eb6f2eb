import { DEFAULT_APPROVALS } from '../config/approvals';
import { coverageRulesFromConfig, type CoverageRules } from '../config/coverage';
import { frequencyTriggerFromConfig, type FrequencyTrigger } from '../config/frequency-trigger';
import { DEFAULT_DEADLINES, EXTENSION_LIMITS, type DeadlineKey, type DeadlinePolicy } from '../config/deadlines';
import { DEFAULT_DUAL_INVESTIGATION } from '../config/dual-investigation';
import type { Config } from '../config/schema';
import type { MachinePolicy } from '../machines/shared/policy';

export type DeadlineOverrides = NonNullable<Config['DEADLINE_OVERRIDES']>;

/**
 * The policies in force: approval chains, 一案双查 triggers, deadline periods and their overrides,
 * the yearly talk-coverage rules and the frequency trigger's thresholds (local practice
 * set in the environment).
 */
export interface Policy {
  machine: MachinePolicy;
  deadlines: Record<DeadlineKey, DeadlinePolicy>;
  overrides: DeadlineOverrides;
  coverage: CoverageRules;
  frequencyTrigger: FrequencyTrigger;
}

export function policyFromConfig(config: Pick<Config, 'DEADLINE_OVERRIDES'> & Partial<Config>): Policy {
  return {
    machine: { approvals: DEFAULT_APPROVALS, dualInvestigation: DEFAULT_DUAL_INVESTIGATION, extensions: EXTENSION_LIMITS },
    deadlines: DEFAULT_DEADLINES,
    overrides: config.DEADLINE_OVERRIDES ?? {},
    coverage: coverageRulesFromConfig(config),
    frequencyTrigger: frequencyTriggerFromConfig(config),
  };
}
