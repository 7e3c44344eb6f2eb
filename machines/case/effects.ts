import type { NotifyParams } from '../shared/approval';
import { formOf, type Form } from '../shared/forms';
import type { AppealOutcome, MeasureRef } from '../shared/schemas';
import type { CaseContext, DualTrigger } from './context';
import type { CaseEvent, CaseEventOf, ReviewKind } from './events';
import { transferredOf } from './payload';

/**
 * Effects of the case machine: declared actions whose params the service turns into outbox rows
 * and records (dispositions, deadline changes, review jobs, notifications). Params are plain data.
 */
export interface Disposition {
  personId: string;
  measure: string;
  form: Form;
}

export interface CaseEffectParams {
  requestReviews: { kinds: ReviewKind[]; trigger: DualTrigger };
  recordDispositions: { source: 'inquiryOutcome' | 'verificationReport' | 'decision'; dispositions: Disposition[]; judicialTransfer: boolean };
  extendDeadline: { key: string; days: number };
  recordAppealDecision: { personId: string; outcome: AppealOutcome; dispositions: Disposition[] };
  notify: NotifyParams;
  /** 分案: a new case for these subjects, linked to this one (the service registers it). */
  splitClue: { personIds: string[]; reason: string; upperOrgId: string | null };
}
export type CaseEffect = { [K in keyof CaseEffectParams]: { type: K; params: CaseEffectParams[K] } }[keyof CaseEffectParams];
export const CASE_EFFECTS = new Set<string>(['requestReviews', 'recordDispositions', 'extendDeadline', 'recordAppealDecision', 'notify', 'splitClue']);

export const REVIEW_KINDS_OPENED: ReviewKind[] = ['primary', 'supervision'];

/** Each person takes his own measure's form; a person transferred to the judicial organs, form 4. */
const toDispositions = (measures: readonly MeasureRef[], transferred: readonly string[] = []): Disposition[] =>
  measures.map((m) => ({ personId: m.personId, measure: m.measure, form: formOf(m.measure, transferred.includes(m.personId)) }));

const pendingPayload = (context: CaseContext) => (context.pendingApproval?.payload ?? {}) as Record<string, unknown>;

export const effectParams = {
  requestReviews: ({ context }: { context: CaseContext }): CaseEffectParams['requestReviews'] => ({
    kinds: [...REVIEW_KINDS_OPENED],
    trigger: context.dual.trigger ?? 'manual',
  }),
  /** 谈话函询 outcome firstForm: the proposed form-1 measures. */
  inquiryDispositions: ({ context }: { context: CaseContext }): CaseEffectParams['recordDispositions'] => ({
    source: 'inquiryOutcome',
    dispositions: toDispositions((pendingPayload(context).measures as MeasureRef[]) ?? []),
    judicialTransfer: false,
  }),
  /** 初核 recommendation reminderTalk (谈话提醒): one reminder talk per subject. */
  reminderTalkDispositions: ({ context }: { context: CaseContext }): CaseEffectParams['recordDispositions'] => ({
    source: 'verificationReport',
    dispositions: toDispositions(context.subjects.map((s) => ({ personId: s.personId, measure: 'reminderTalk' }))),
    judicialTransfer: false,
  }),
  decisionDispositions: ({ context }: { context: CaseContext }): CaseEffectParams['recordDispositions'] => {
    const payload = pendingPayload(context);
    const judicialTransfer = payload.judicialTransfer === true;
    return { source: 'decision', dispositions: toDispositions((payload.measures as MeasureRef[]) ?? [], transferredOf(payload)), judicialTransfer };
  },
  extension: ({ context }: { context: CaseContext }): CaseEffectParams['extendDeadline'] => ({
    key: String(pendingPayload(context).deadlineKey),
    days: Number(pendingPayload(context).days),
  }),
  split: ({ context, event }: { context: CaseContext; event: CaseEvent }): CaseEffectParams['splitClue'] => {
    const e = event as CaseEventOf<'splitClue'>;
    return { personIds: [...e.personIds], reason: e.reason, upperOrgId: context.upperOrgId };
  },
  appealDecision: ({ context, event }: { context: CaseContext; event: CaseEvent }): CaseEffectParams['recordAppealDecision'] => {
    const e = event as CaseEventOf<'decideAppeal'>;
    return {
      personId: context.appellant ?? '',
      outcome: e.outcome,
      dispositions: toDispositions(e.measures ?? [], context.decision?.transferred ?? []),
    };
  },
};

/** The 一案双查 trigger a decision fires under the policy, if any (API.md "一案双查 trigger"). */
export function decisionTrigger(
  policy: { onForm3Decision: boolean; onJudicialTransfer: boolean },
  payload: { measures?: MeasureRef[]; judicialTransfer?: boolean },
): DualTrigger | null {
  if (payload.judicialTransfer && policy.onJudicialTransfer) return 'judicialTransfer';
  if (policy.onForm3Decision && (payload.measures ?? []).some((m) => formOf(m.measure) === 3)) return 'form3Decision';
  return null;
}
