import type { DualInvestigationPolicy } from '../machines/shared/policy';

export type { DualInvestigationPolicy };

/** Default 一案双查 triggers (API.md): all on. */
export const DEFAULT_DUAL_INVESTIGATION: DualInvestigationPolicy = {
  onMajorFiling: true,
  onForm3Decision: true,
  onJudicialTransfer: true,
  manual: true,
};
