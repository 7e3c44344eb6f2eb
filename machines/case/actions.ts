import { assign } from 'xstate';
import { higherLevel } from '../shared/deadlines';
import { newProposal, withApproval } from '../shared/approval';
import { isOrganizationalHandling } from '../shared/forms';
import type { MachinePolicy } from '../shared/policy';
import type { MeasureRef } from '../shared/schemas';
import { hasPrincipalSubject, type CaseContext, type DualTrigger } from './context';
import type { CaseEvent, CaseEventOf } from './events';
import { decisionTrigger, REVIEW_KINDS_OPENED, type CaseEffectParams } from './effects';
import { transferredOf } from './payload';

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

/**
 * The approval chain of a proposal, from the policy (API.md "Approval chains"). Opening 初核 has one
 * rule whatever the path (disposition or 谈话函询 outcome); on a subject who is 下一级党委(党组)主要负责人
 * it, and a 谈话函询, also need the same-level party secretary (规则 Art 33). An extension beyond the
 * own commission's allowance needs the upper level.
 */
function chainFor(policy: MachinePolicy, kind: ApprovalKind, event: CaseEvent, context: CaseContext) {
  const { approvals } = policy;
  const principal = hasPrincipalSubject(context);
  const openVerification = principal ? approvals.openVerificationPrincipal : approvals.openVerification;
  switch (kind) {
    case 'disposition': {
      const { method } = as<'proposeDisposition'>(event);
      if (method === 'preliminaryVerification') return openVerification;
      if (method === 'talkInquiry' && principal) return approvals.talkInquiryPrincipal;
      return approvals.disposition[method];
    }
    case 'inquiryOutcome':
      return as<'proposeInquiryOutcome'>(event).outcome === 'preliminaryVerification' ? openVerification : approvals.inquiryOutcome;
    case 'verificationReport':
      return approvals.verificationReport[as<'submitVerificationReport'>(event).recommendation];
    case 'decision':
      // 组织处理 measures: the commission recommends, the party committee decides (DOMAIN.md §7).
      return as<'proposeDecision'>(event).measures.some((m) => isOrganizationalHandling(m.measure)) ? approvals.decisionOrgHandling : approvals.decision;
    case 'extension': {
      const done = context.extensions[as<'requestExtension'>(event).deadlineKey] ?? 0;
      return done < policy.extensions.atOwnLevel ? approvals.extension : approvals.furtherExtension;
    }
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
    proposeApproval: update<{ kind: ApprovalKind }>(({ context, event }, { kind }) => ({ pendingApproval: newProposal(kind, event, chainFor(policy, kind, event, context)) })),
    recordApproval: update(({ context, event }) => ({ pendingApproval: withApproval(context.pendingApproval!, as<'approve'>(event)) })),
    clearPendingApproval: update(() => ({ pendingApproval: null })),
    recordParticipant: update(({ context, event }) => ({ participants: union(context.participants, [event.actor.id]) })),
    assignInspectors: update(({ context, event }) => {
      const ids = as<'assign'>(event).inspectorIds;
      return { assignees: [...new Set(ids)], participants: union(context.participants, ids) };
    }),
    recordRecusal: update(({ context, event }) => {
      const { userId, relation, reason, actor } = as<'recuse'>(event);
      // A recused trial reviewer leaves the panel, which must then be completed again.
      return {
        recusals: [...context.recusals, { userId, relation, reason, recordedBy: actor.id }],
        assignees: context.assignees.filter((id) => id !== userId),
        trialReviewers: context.trialReviewers.filter((id) => id !== userId),
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
      const pending = context.pendingApproval!;
      const payload = pending.payload as { measures: MeasureRef[]; judicialTransfer: boolean; transferredPersonIds?: string[] };
      return {
        decision: {
          measures: payload.measures,
          judicialTransfer: payload.judicialTransfer,
          transferred: transferredOf(payload),
          // The approval being applied is the last one: it is not in `approvals` yet.
          byStandingCommittee: pending.chain.some((step) => step === 'standingCommittee'),
        },
      };
    }),
    markReopened: update(() => ({ reopened: true })),
    openClock: update<{ key: CaseContext['clocks'][number] }>(({ context }, { key }) => ({ clocks: context.clocks.includes(key) ? context.clocks : [...context.clocks, key] })),
    closeClock: update<{ key: CaseContext['clocks'][number] }>(({ context }, { key }) => ({ clocks: context.clocks.filter((k) => k !== key) })),
    /** Closing the case opens the real-name reporter's result clock. */
    openReporterResultClock: update(({ context }) =>
      context.realNameReporter && !context.reporterNotices.some((n) => n.stage === 'result') && !context.clocks.includes('reporter.result')
        ? { clocks: [...context.clocks, 'reporter.result' as const] }
        : {}),
    recordAnnouncement: update(({ context, event }) => ({
      announcedAt: as<'recordAnnouncement'>(event).announcedAt,
      clocks: context.clocks.filter((k) => k !== 'decision.announcement'),
    })),
    recordReporterNotice: update(({ context, event }) => {
      const { stage, method, notifiedAt, actor } = as<'notifyReporter'>(event);
      return {
        reporterNotices: [...context.reporterNotices, { stage, method, notifiedAt, recordedBy: actor.id }],
        clocks: context.clocks.filter((k) => k !== `reporter.${stage}`),
      };
    }),
    countExtension: update(({ context }) => {
      const key = String(context.pendingApproval!.payload.deadlineKey);
      return { extensions: { ...context.extensions, [key]: (context.extensions[key] ?? 0) + 1 } };
    }),
    recordAppeal: update(({ event }) => ({ appellant: as<'fileAppeal'>(event).personId })),
    markAppealAfterClosing: update(() => ({ appealAfterClosing: true })),
    removeSplitSubjects: update(({ context, event }) => {
      const leaving = new Set(as<'splitClue'>(event).personIds);
      return { subjects: context.subjects.filter((s) => !leaving.has(s.personId)) };
    }),
    clearAppealAfterClosing: update(() => ({ appealAfterClosing: false })),
    applyAppealDecision: update(({ context, event }) => {
      const { outcome, measures = [] } = as<'decideAppeal'>(event);
      const decision = context.decision ?? { measures: [], judicialTransfer: false, transferred: [], byStandingCommittee: false };
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
    splitClue: noEffect<CaseEffectParams['splitClue']>(),
  };
}
