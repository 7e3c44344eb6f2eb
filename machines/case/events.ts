import { z } from 'zod';
import { FORM_MEASURES } from '../shared/forms';
import type { Actor, Role } from '../shared/roles';
import {
  appealOutcomeSchema, approveSchema, caseMeasureSchema, dateOrDateTime, deadlineReachedSchema, fileAppealSchema, id, meetingSchema, rejectSchema, text,
} from '../shared/schemas';

/**
 * Case commands and internal events (API.md "Cases"). The schemas validate the payload without
 * `type` and `actor`; the HTTP layer reuses them. Checks that need the case (subjects, state) are
 * guards of the machine, reported by `payloadIssues`.
 */
const isFormOne = (measure: string) => (FORM_MEASURES[1] as readonly string[]).includes(measure);

export const DISPOSITION_METHODS = ['talkInquiry', 'preliminaryVerification', 'shelve', 'close'] as const;
export const INQUIRY_OUTCOMES = ['acceptedClosed', 'firstForm', 'repeatInquiry', 'preliminaryVerification'] as const;
export const VERIFICATION_RECOMMENDATIONS = ['file', 'close', 'reminderTalk', 'shelve', 'transfer'] as const;
export const RECUSAL_RELATIONS = ['closeRelative', 'witness', 'interest', 'other'] as const;
/** How a real-name reporter was told (当面、电话、书面、短信、其他). */
export const REPORTER_NOTICE_METHODS = ['inPerson', 'phone', 'letter', 'sms', 'other'] as const;
export const REPORTER_NOTICE_STAGES = ['acceptance', 'result'] as const;
/** The clock an extension may move, by the state it is requested in. */
export const EXTENSIBLE_DEADLINES = ['investigation.report', 'trial.decision'] as const;

const proposeInquiryOutcome = z
  .object({ outcome: z.enum(INQUIRY_OUTCOMES), measures: z.array(caseMeasureSchema).max(100).optional(), reason: text })
  .superRefine((v, ctx) => {
    if (v.outcome !== 'firstForm') {
      if (v.measures?.length) ctx.addIssue({ code: 'custom', path: ['measures'], message: 'measures are given only with outcome firstForm' });
      return;
    }
    if (!v.measures?.length) ctx.addIssue({ code: 'custom', path: ['measures'], message: 'firstForm needs at least one measure' });
    v.measures?.forEach((m, i) => {
      if (!isFormOne(m.measure)) ctx.addIssue({ code: 'custom', path: ['measures', i, 'measure'], message: 'firstForm measures must be form-1 measures' });
    });
  });

/** `meeting`: the standing committee's, when the appeal changes a decision the committee approved. */
const decideAppeal = z
  .object({ outcome: appealOutcomeSchema, measures: z.array(caseMeasureSchema).max(100).optional(), meeting: meetingSchema.optional() })
  .superRefine((v, ctx) => {
    if (v.outcome === 'modified' && !v.measures?.length) ctx.addIssue({ code: 'custom', path: ['measures'], message: 'a modified decision needs its measures' });
    if (v.outcome !== 'modified' && v.measures?.length) ctx.addIssue({ code: 'custom', path: ['measures'], message: 'measures are given only with outcome modified' });
  });

export const caseCommandSchemas = {
  assign: z.object({ inspectorIds: z.array(id).min(1).max(50) }),
  proposeDisposition: z.object({ method: z.enum(DISPOSITION_METHODS), reason: text }),
  approve: approveSchema,
  reject: rejectSchema,
  recordReply: z.object({ summary: text, receivedAt: dateOrDateTime }),
  proposeInquiryOutcome,
  submitVerificationReport: z.object({ recommendation: z.enum(VERIFICATION_RECOMMENDATIONS), findings: text }),
  reopen: z.object({ reason: text }),
  requestExtension: z.object({ deadlineKey: z.enum(EXTENSIBLE_DEADLINES), days: z.number().int().min(1).max(365), reason: text }),
  submitInvestigationReport: z.object({ findings: text, proposedMeasures: z.array(caseMeasureSchema).max(100) }),
  /** The HTTP body names users; the service resolves them into the event's `reviewers`. */
  assignTrialReviewers: z.object({ userIds: z.array(id).min(2).max(10) }),
  returnForSupplement: z.object({ reason: text }),
  /** `transferredPersonIds`: who is transferred to the judicial organs (form 4), when `judicialTransfer`. */
  proposeDecision: z.object({
    measures: z.array(caseMeasureSchema).min(1).max(100),
    judicialTransfer: z.boolean(),
    transferredPersonIds: z.array(id).min(1).max(100).optional(),
    reason: text,
  }),
  recordExecution: z.object({ note: text }),
  fileAppeal: fileAppealSchema,
  decideAppeal,
  close: z.object({ note: text }),
  triggerDualInvestigation: z.object({ reason: text }),
  recuse: z.object({ userId: id, relation: z.enum(RECUSAL_RELATIONS), reason: text }),
  /** 宣布: the decision was announced to the person and his organisation (within a month, DOMAIN.md §7). */
  recordAnnouncement: z.object({ announcedAt: dateOrDateTime, note: text }),
  /** The real-name reporter was told of acceptance or of the result (DOMAIN.md §2): how and when. */
  notifyReporter: z.object({ stage: z.enum(REPORTER_NOTICE_STAGES), method: z.enum(REPORTER_NOTICE_METHODS), notifiedAt: dateOrDateTime, note: text.optional() }),
  /** 分案: the named subjects leave this clue for a new case of their own, linked to it, each to its own disposition. */
  splitClue: z.object({ personIds: z.array(id).min(1).max(100), reason: text }),
} as const;

export type CaseCommandType = keyof typeof caseCommandSchemas;
/** Commands in the order of API.md's table (also the order of `availableCommands`). */
export const CASE_COMMANDS = Object.keys(caseCommandSchemas) as CaseCommandType[];

export const REVIEW_KINDS = ['primary', 'supervision'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export const REVIEW_OUTCOMES = ['noResponsibility', 'exempted', 'responsibilityFound'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** Internal events: sent by workers as the system actor only. */
export const caseInternalEventSchemas = {
  'review.opened': z.object({ kind: z.enum(REVIEW_KINDS), reviewId: id }),
  'review.concluded': z.object({ kind: z.enum(REVIEW_KINDS), outcome: z.enum(REVIEW_OUTCOMES), reviewId: id.optional() }),
  'deadline.reached': deadlineReachedSchema,
} as const;
export type CaseInternalEventType = keyof typeof caseInternalEventSchemas;
export const CASE_INTERNAL_EVENTS = Object.keys(caseInternalEventSchemas) as CaseInternalEventType[];

/** A trial reviewer as resolved by the service from `userIds`. */
export interface ReviewerRef {
  id: string;
  roles: readonly Role[];
}

type Payload<S extends z.ZodType> = z.output<S>;
type Events<M extends Record<string, z.ZodType>> = { [K in keyof M & string]: { type: K; actor: Actor } & Payload<M[K]> }[keyof M & string];

export type CaseCommandEvent =
  | Events<Omit<typeof caseCommandSchemas, 'assignTrialReviewers'>>
  | { type: 'assignTrialReviewers'; actor: Actor; reviewers: ReviewerRef[] };
export type CaseInternalEvent = Events<typeof caseInternalEventSchemas>;
export type CaseEvent = CaseCommandEvent | CaseInternalEvent;
export type CaseEventOf<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>;
