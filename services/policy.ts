import { DEFAULT_APPROVALS } from '../config/approvals';
import { DEFAULT_DEADLINES, EXTENSION_LIMITS, type DeadlineKey, type DeadlinePolicy } from '../config/deadlines';
import { DEFAULT_DUAL_INVESTIGATION } from '../config/dual-investigation';
import type { Config } from '../config/schema';
import type { MachinePolicy } from '../machines/shared/policy';

export type DeadlineOverrides = NonNullable<Config['DEADLINE_OVERRIDES']>;

/** The policies in force: approval chains, 一案双查 triggers, deadline periods and their overrides. */
export interface Policy {
  machine: MachinePolicy;
  deadlines: Record<DeadlineKey, DeadlinePolicy>;
  overrides: DeadlineOverrides;
}

export function policyFromConfig(config: Pick<Config, 'DEADLINE_OVERRIDES'>): Policy {
  return {
    machine: { approvals: DEFAULT_APPROVALS, dualInvestigation: DEFAULT_DUAL_INVESTIGATION, extensions: EXTENSION_LIMITS },
    deadlines: DEFAULT_DEADLINES,
    overrides: config.DEADLINE_OVERRIDES ?? {},
  };
}
