/**
 * Measures and the four forms (四种形态), API.md "Measures and the four forms", DOMAIN.md §10.
 * A person in a decision with `judicialTransfer: true` is in form 4 whatever the measure.
 */
export const FORM_MEASURES = {
  1: ['reminderTalk', 'warningTalk', 'criticismEducation', 'orderedSelfCriticism', 'circularCriticism', 'admonishment'],
  2: [
    'partyWarning',
    'partySeriousWarning',
    'govWarning',
    'govDemerit',
    'govMajorDemerit',
    'suspensionForInspection',
    'orderedResignation',
    'dismissalFromPost',
    'earlyRetirement',
    'lateralTransfer',
  ],
  3: ['removalFromPartyPost', 'probation', 'expulsion', 'govDemotion', 'govRemoval', 'govDismissal', 'demotion'],
} as const;

export type Form = 1 | 2 | 3 | 4;
export type CaseMeasure = (typeof FORM_MEASURES)[1 | 2 | 3][number];
export const CASE_MEASURES: readonly CaseMeasure[] = [...FORM_MEASURES[1], ...FORM_MEASURES[2], ...FORM_MEASURES[3]];

const formOfMeasure = new Map<string, Form>();
for (const form of [1, 2, 3] as const) for (const m of FORM_MEASURES[form]) formOfMeasure.set(m, form);

/** The form of one case measure; throws on an unknown measure (schemas reject those before). */
export function formOf(measure: string, judicialTransfer = false): Form {
  if (judicialTransfer) return 4;
  const form = formOfMeasure.get(measure);
  if (!form) throw new Error(`unknown measure: ${measure}`);
  return form;
}

/** 党纪处分 (纪律处分条例): for party members only (DOMAIN.md §7, §14). */
export const PARTY_SANCTIONS = ['partyWarning', 'partySeriousWarning', 'removalFromPartyPost', 'probation', 'expulsion'] as const;
/** 政务处分 (政务处分法): for public officials (公职人员) only. */
export const GOVERNMENT_SANCTIONS = ['govWarning', 'govDemerit', 'govMajorDemerit', 'govDemotion', 'govRemoval', 'govDismissal'] as const;
/** The sanctions a 纪律处分 in a 问责 decision may name: a party or a government sanction. */
export const SANCTIONS = [...PARTY_SANCTIONS, ...GOVERNMENT_SANCTIONS] as const;
export type Sanction = (typeof SANCTIONS)[number];
/** 组织处理 (组织处理规定): the commission recommends, the party committee decides (DOMAIN.md §7). */
export const ORGANIZATIONAL_HANDLING = ['suspensionForInspection', 'orderedResignation', 'dismissalFromPost', 'earlyRetirement', 'lateralTransfer', 'demotion'] as const;

export const isPartySanction = (measure: string): boolean => (PARTY_SANCTIONS as readonly string[]).includes(measure);
export const isGovernmentSanction = (measure: string): boolean => (GOVERNMENT_SANCTIONS as readonly string[]).includes(measure);
export const isOrganizationalHandling = (measure: string): boolean => (ORGANIZATIONAL_HANDLING as readonly string[]).includes(measure);

/** Accountability (问责) measures on persons and their forms (API.md Reviews). */
export const REVIEW_MEASURES = ['inspection', 'circular', 'reorganisation', 'admonishment', 'orgAdjustment', 'disciplinarySanction'] as const;
export type ReviewMeasure = (typeof REVIEW_MEASURES)[number];

/**
 * Form of a person measure in an accountability review; `null` for organisation-only measures
 * (inspection, reorganisation) which are not person-times.
 */
export function reviewMeasureForm(measure: ReviewMeasure, sanction?: string): Form | null {
  switch (measure) {
    case 'circular':
    case 'admonishment':
      return 1;
    case 'orgAdjustment':
      return 2;
    case 'disciplinarySanction':
      // 纪律处分 names a party or government sanction and takes its form (问责条例 Art 8); the
      // commands refuse any other measure (review `measureIssues`), records made before keep theirs.
      if (!sanction) throw new Error('disciplinarySanction needs a sanction measure');
      return formOf(sanction);
    default:
      return null;
  }
}
