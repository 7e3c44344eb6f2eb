import { z } from 'zod';
import { REVIEW_MEASURES, SANCTIONS, type Sanction } from '../shared/forms';
import type { Actor } from '../shared/roles';
import { appealOutcomeSchema, approveSchema, deadlineReachedSchema, fileAppealSchema, id, rejectSchema, text } from '../shared/schemas';

/**
 * Review (问责) commands (API.md "Reviews"). As for cases, the schemas validate the payload
 * without `type` and `actor`.
 */
export const RESPONSIBILITIES = ['comprehensiveLeadership', 'mainLeadership', 'importantLeadership', 'supervision'] as const;
export const EXEMPTIONS = ['reformExploration', 'objectionRecorded', 'forceMajeure'] as const;
export const MITIGATIONS = ['lighter', 'reduced'] as const;
/** Measures only an organisation receives, and measures only a person receives (问责条例 Art 8). */
export const ORGANISATION_MEASURES = ['inspection', 'reorganisation'] as const;
export const PERSON_MEASURES = ['admonishment', 'orgAdjustment', 'disciplinarySanction'] as const;
export const ORGANISATION = 'organisation';

const partySchema = z.object({
  name: z.string().min(1).max(200),
  personId: id.optional(),
  position: z.string().min(1).max(200),
  responsibility: z.enum(RESPONSIBILITIES),
  /** Why this party (e.g. a suggested party's basis from the responsibility map). */
  basis: z.string().min(1).max(500).optional(),
});

/**
 * `target` is `organisation` or a party's `personId`. `sanction`: the 党纪处分 or 政务处分 a
 * `disciplinarySanction` names (a 纪律处分 is a sanction, never a form-1 measure).
 */
export const reviewMeasureSchema = z.object({
  target: id,
  measure: z.enum(REVIEW_MEASURES),
  sanction: z.enum(SANCTIONS as unknown as [Sanction, ...Sanction[]]).optional(),
});
export type ReviewMeasureRef = z.output<typeof reviewMeasureSchema>;

export interface Issue {
  path: string;
  message: string;
}

/** Each measure fits its target, and a sanction comes exactly with `disciplinarySanction`. */
export function measureIssues(measures: readonly ReviewMeasureRef[], persons: ReadonlySet<string>, path: string): Issue[] {
  return measures.flatMap((m, i): Issue[] => {
    const at = `${path}.${i}`;
    const issues: Issue[] = [];
    const toOrganisation = m.target === ORGANISATION;
    if (toOrganisation && (PERSON_MEASURES as readonly string[]).includes(m.measure)) issues.push({ path: `${at}.target`, message: `${m.measure} is a measure on a person` });
    if (!toOrganisation && (ORGANISATION_MEASURES as readonly string[]).includes(m.measure)) issues.push({ path: `${at}.target`, message: `${m.measure} is a measure on the organisation` });
    if (!toOrganisation && !persons.has(m.target)) issues.push({ path: `${at}.target`, message: `${m.target} is not a party's personId` });
    if ((m.measure === 'disciplinarySanction') !== (m.sanction !== undefined)) issues.push({ path: `${at}.sanction`, message: 'a sanction is given exactly with disciplinarySanction' });
    else if (m.sanction !== undefined && !(SANCTIONS as readonly string[]).includes(m.sanction)) {
      issues.push({ path: `${at}.sanction`, message: `纪律处分须为党纪处分或政务处分，${m.sanction} 不是处分` });
    }
    return issues;
  });
}

const findingsObject = z.object({
  responsibilityFound: z.boolean(),
  parties: z.array(partySchema).max(100),
  proposedMeasures: z.array(reviewMeasureSchema).max(100),
  exemption: z.enum(EXEMPTIONS).optional(),
  mitigation: z.enum(MITIGATIONS).optional(),
});
export type Findings = z.output<typeof findingsObject>;

/** Measures exactly when responsibility is found and not exempted (问责条例 Art 17). */
export function findingsIssues(findings: Findings): Issue[] {
  const measures = findings.proposedMeasures ?? [];
  const decides = findings.responsibilityFound && !findings.exemption;
  if (!decides && measures.length) return [{ path: 'proposedMeasures', message: 'measures are proposed only when responsibility is found and not exempted' }];
  if (decides && !measures.length) return [{ path: 'proposedMeasures', message: 'responsibility found: propose at least one measure' }];
  const persons = new Set((findings.parties ?? []).flatMap((p) => (p.personId ? [p.personId] : [])));
  return measureIssues(measures, persons, 'proposedMeasures');
}

const refineWith = <T>(check: (value: T) => Issue[]) => (value: T, ctx: z.RefinementCtx) => {
  for (const issue of check(value)) ctx.addIssue({ code: 'custom', path: issue.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: issue.message });
};

export const reviewCommandSchemas = {
  proposeStart: z.object({ reason: text }),
  submitFindings: findingsObject.superRefine(refineWith(findingsIssues)),
  recordExecution: z.object({ note: text }),
  fileAppeal: fileAppealSchema,
  decideAppeal: z.object({ outcome: appealOutcomeSchema, measures: z.array(reviewMeasureSchema).max(100).optional() }),
  approve: approveSchema,
  reject: rejectSchema,
} as const;

export type ReviewCommandType = keyof typeof reviewCommandSchemas;
export const REVIEW_COMMANDS = Object.keys(reviewCommandSchemas) as ReviewCommandType[];

export const reviewInternalEventSchemas = { 'deadline.reached': deadlineReachedSchema } as const;
export type ReviewInternalEventType = keyof typeof reviewInternalEventSchemas;
export const REVIEW_INTERNAL_EVENTS = Object.keys(reviewInternalEventSchemas) as ReviewInternalEventType[];

type Events<M extends Record<string, z.ZodType>> = { [K in keyof M & string]: { type: K; actor: Actor } & z.output<M[K]> }[keyof M & string];
export type ReviewEvent = Events<typeof reviewCommandSchemas> | Events<typeof reviewInternalEventSchemas>;
export type ReviewEventOf<T extends ReviewEvent['type']> = Extract<ReviewEvent, { type: T }>;
