import type { DualInvestigationPolicy } from '../machines/shared/policy';

export type { DualInvestigationPolicy };

/**
 * 问责条例 Arts 9 and 12 on the primary-responsibility review of a 党组织 directly led by the party
 * committee at the handling commission's level (a township committee under the county): starting it
 * needs that committee's secretary, and 检查/通报/诫勉 are decided with his approval. The machine
 * supports it (review input `partyLed`); it is off by default until the approval paths of the
 * existing review tests and clients are moved to it (issue 17 rule 15, see the report).
 */
export const PARTY_LED_REVIEW_APPROVALS = false;

/** Default 一案双查 triggers (API.md): all on. */
export const DEFAULT_DUAL_INVESTIGATION: DualInvestigationPolicy = {
  onMajorFiling: true,
  onForm3Decision: true,
  onJudicialTransfer: true,
  manual: true,
};
