import { assign } from 'xstate';
import { higherLevel } from '../shared/deadlines';
import { newProposal, withApproval } from '../shared/approval';
import type { MachinePolicy } from '../shared/policy';
import type { MeasureRef } from '../shared/schemas';
import type { CaseContext, DualTrigger } from './context';
import type { CaseEvent, CaseEventOf } from './events';
import { decisionTrigger, REVIEW_KINDS_OPENED, type CaseEffectParams } from './effects';

interface Args {
  context: CaseContext;
  event: CaseEvent;
}

/** A context update as a named assign action of the case machine. */
const update = <P = undefined>(fn: (args: Args, params: P) => Partial<CaseContext>) =>
  assign<CaseContext, CaseEvent, P, CaseEvent, never>((args, params) => fn(args, params));

const as = <T extends CaseEvent['type']>(event: CaseEvent) => event as CaseEventOf<T>;
const union = (list: readonly string[], more: readonly string[]) => [...new Set([...list, ...more])];

export type ApprovalKind = 'disposition' | 'inquiryOutcome' | 'verificationReport' | 'extension' | 'decision';

/** The approval chain of a proposal, from the policy (API.md "Approval chains"). */
function chainFor(policy: MachinePolicy, kind: ApprovalKind, event: CaseEvent) {
  const { approvals } = policy;
  switch (kind) {
    case 'disposition':
      return approvals.disposition[as<'proposeDisposition'>(event).method];
    case 'verificationReport':
      return approvals.verificationReport[as<'submitVerificationReport'>(event).recommendation];
    default:
      return approvals[kind];
  }
}

function withTrigger(context: CaseContext, trigger: DualTrigger | null): Partial<CaseContext> {
  if (!trigger || context.dual.trigger) return {};
  return { dual: { trigger, reviews: REVIEW_KINDS_OPENED.map((kind) => ({ kind, reviewId: null, state: 'opening' as const })) } };
}

const noEffect = <P>() => (_: unknown, _params: P) => {};

/** Actions of the case machine: context updates (verbs) and declared effects (no-ops here). */
export function caseActions(policy: MachinePolicy) {
  return {
    proposeApproval: update<{ kind: ApprovalKind }>(({ event }, { kind }) => ({ pendingApproval: newProposal(kind, event, chainFor(policy, kind, event)) })),
    recordApproval: update(({ context, event }) => ({ pendingApproval: withApproval(context.pendingApproval!, as<'approve'>(event)) })),
    clearPendingApproval: update(() => ({ pendingApproval: null })),
    recordParticipant: update(({ context, event }) => ({ participants: union(context.participants, [event.actor.id]) })),
    assignInspectors: update(({ context, event }) => {
      const ids = as<'assign'>(event).inspectorIds;
      return { assignees: [...new Set(ids)], participants: union(context.participants, ids) };
    }),
    recordRecusal: update(({ context, event }) => {
      const { userId, relation, reason, actor } = as<'recuse'>(event);
      return {
        recusals: [...context.recusals, { userId, relation, reason, recordedBy: actor.id }],
        assignees: context.assignees.filter((id) => id !== userId),
      };
    }),
    recordEscalation: update(({ context, event }) => {
      const { key, level } = as<'deadline.reached'>(event);
      // 压案不查: a clue left without a disposition past escalation is flagged on the case.
      const suppressed = key === 'clue.disposition' && level === 'escalated';
      return { escalations: { ...context.escalations, [key]: higherLevel(context.escalations[key], level) }, flags: suppressed ? union(context.flags, ['suppressionRisk']) : context.flags };
    }),
    recordTrialReviewers: update(({ event }) => ({ trialReviewers: as<'assignTrialReviewers'>(event).reviewers.map((r) => r.id) })),
    releaseTrialReviewers: update(() => ({ trialReviewers: [] })),
    recordDecision: update(({ context }) => {
      const payload = context.pendingApproval!.payload as { measures: MeasureRef[]; judicialTransfer: boolean };
      return { decision: { measures: payload.measures, judicialTransfer: payload.judicialTransfer } };
    }),
    recordAppeal: update(({ event }) => ({ appellant: as<'fileAppeal'>(event).personId })),
    applyAppealDecision: update(({ context, event }) => {
      const { outcome, measures = [] } = as<'decideAppeal'>(event);
      const decision = context.decision ?? { measures: [], judicialTransfer: false };
      const others = decision.measures.filter((m) => m.personId !== context.appellant);
      const kept = outcome === 'upheld' ? decision.measures : outcome === 'modified' ? [...others, ...measures] : others;
      return { appellant: null, decision: { ...decision, measures: kept } };
    }),
    /** Filing on a major case, or a decision, may open the 一案双查 under the policy. */
    considerDualInvestigation: update<{ on: 'filing' | 'decision' }>(({ context }, { on }) => {
      const { dualInvestigation } = policy;
      if (on === 'filing') return withTrigger(context, context.major && dualInvestigation.onMajorFiling ? 'majorFiling' : null);
      return withTrigger(context, decisionTrigger(dualInvestigation, context.pendingApproval?.payload ?? {}));
    }),
    recordDualTrigger: update<{ trigger: DualTrigger }>(({ context }, { trigger }) => withTrigger(context, trigger)),
    recordReviewOpened: update(({ context, event }) => {
      const { kind, reviewId } = as<'review.opened'>(event);
      const reviews = context.dual.reviews.map((r) =>
        r.kind === kind ? { ...r, reviewId, state: r.state === 'concluded' ? r.state : ('open' as const) } : r);
      return { dual: { ...context.dual, reviews } };
    }),
    recordReviewConcluded: update(({ context, event }) => {
      const { kind, outcome, reviewId } = as<'review.concluded'>(event);
      const reviews = context.dual.reviews.map((r) =>
        r.kind === kind ? { ...r, reviewId: r.reviewId ?? reviewId ?? null, state: 'concluded' as const, outcome } : r);
      return { dual: { ...context.dual, reviews } };
    }),
    requestReviews: noEffect<CaseEffectParams['requestReviews']>(),
    recordDispositions: noEffect<CaseEffectParams['recordDispositions']>(),
    extendDeadline: noEffect<CaseEffectParams['extendDeadline']>(),
    notify: noEffect<CaseEffectParams['notify']>(),
    recordAppealDecision: noEffect<CaseEffectParams['recordAppealDecision']>(),
  };
}
