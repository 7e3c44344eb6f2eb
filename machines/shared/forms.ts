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

export function isCaseMeasure(measure: string): measure is CaseMeasure {
  return formOfMeasure.has(measure);
}

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
      if (!sanction) throw new Error('disciplinarySanction needs a sanction measure');
      return formOf(sanction);
    default:
      return null;
  }
}

/** A person's classification: the most severe form among their measures (DOMAIN.md §10). */
export function mostSevereForm(forms: readonly Form[]): Form | null {
  return forms.length ? (Math.max(...forms) as Form) : null;
}
