import { z } from 'zod';
import { DEADLINE_KEYS, ESCALATION_LEVELS } from './deadlines';
import { CASE_MEASURES, type CaseMeasure } from './forms';

/** Payload building blocks shared by the case and review command schemas (API.md "Payload shapes"). */

/** `reason`, `comment`, `findings`, `note`, `summary`: non-empty, at most 10,000 characters. */
export const text = z.string().max(10_000).regex(/\S/, 'must not be empty');

export const id = z.string().min(1).max(200);

/** `YYYY-MM-DD` or a full ISO date-time. */
export const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const meetingSchema = z.object({
  ref: z.string().min(1).max(200),
  attendees: z.array(id).max(100),
  dissent: z.array(id).max(100),
});
export type Meeting = z.output<typeof meetingSchema>;

export const caseMeasureSchema = z.object({ personId: id, measure: z.enum(CASE_MEASURES as [CaseMeasure, ...CaseMeasure[]]) });
export type MeasureRef = z.output<typeof caseMeasureSchema>;

export const approveSchema = z.object({ comment: text.optional(), meeting: meetingSchema.optional() });
export const rejectSchema = z.object({ comment: text });

export const appealOutcomeSchema = z.enum(['upheld', 'modified', 'revoked']);
export type AppealOutcome = z.output<typeof appealOutcomeSchema>;

export const fileAppealSchema = z.object({ personId: id, reason: text });

/** `deadline.reached`, sent by the deadline worker to either aggregate. */
export const deadlineReachedSchema = z.object({
  key: z.enum(DEADLINE_KEYS),
  level: z.enum(ESCALATION_LEVELS),
});
