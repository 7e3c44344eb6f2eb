import type { DualInvestigationPolicy } from '../machines/shared/policy';

export type { DualInvestigationPolicy };

/**
 * 问责条例 Arts 9 and 12 on the primary-responsibility review of a 党组织 directly led by the party
 * committee at the handling commission's level (a township committee under the county): starting it
 * needs that committee's secretary, and 检查/通报/诫勉 are decided with his approval (review input
 * `partyLed`). On by default; a deployment whose party committee does not take part
 * in these approvals may set it to false locally (docs/api.md "Reviews").
 */
export const PARTY_LED_REVIEW_APPROVALS: boolean = true;

/** Default 一案双查 triggers (API.md): all on. */
export const DEFAULT_DUAL_INVESTIGATION: DualInvestigationPolicy = {
  onMajorFiling: true,
  onForm3Decision: true,
  onJudicialTransfer: true,
  manual: true,
};
