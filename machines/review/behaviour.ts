import { assign } from 'xstate';
import { higherLevel } from '../shared/deadlines';
import { approvalGuards, newProposal, withApproval, type NotifyParams } from '../shared/approval';
import { commandRoleGuard } from '../shared/commands';
import { reviewMeasureForm, type Form, type ReviewMeasure } from '../shared/forms';
import type { MachinePolicy } from '../shared/policy';
import { relaxable } from '../shared/relaxation';
import { isSystem } from '../shared/roles';
import type { AppealOutcome } from '../shared/schemas';
import type { ReviewKind, ReviewOutcome } from '../case/events';
import { outcomeOf, type ReviewContext } from './context';
import { findingsIssues, ORGANISATION, type Findings, type ReviewEvent, type ReviewEventOf, type ReviewMeasureRef } from './events';
import { appealDecisionIssues, appellantIssues } from './payload';
import { REVIEW_COMMAND_ROLES } from './roles';

interface Args {
  context: ReviewContext;
  event: ReviewEvent;
}

const as = <T extends ReviewEvent['type']>(event: ReviewEvent) => event as ReviewEventOf<T>;
const proposedFindings = (context: ReviewContext) => context.pendingApproval?.payload as Findings | undefined;

/** Guards of the review machine (approval pattern, roles, findings, appeals). */
export function reviewGuards() {
  return {
    ...approvalGuards,
    hasCommandRole: commandRoleGuard(REVIEW_COMMAND_ROLES),
    isSystemActor: ({ event }: Args) => isSystem(event.actor),
    hasConsistentFindings: relaxable<Args>(['payload'], ({ event }) => findingsIssues(as<'submitFindings'>(event)).length === 0),
    /** Approved findings without responsibility, or with an exemption (容错), end the review. */
    findingsConcludeReview: ({ context }: Args) => {
      const findings = proposedFindings(context);
      return findings !== undefined && outcomeOf(findings) !== 'responsibilityFound';
    },
    isSanctionedPerson: relaxable<Args>(['payload'], ({ context, event }) => appellantIssues(context, as<'fileAppeal'>(event)).length === 0),
    hasValidAppealMeasures: relaxable<Args>(['payload'], ({ context, event }) => appealDecisionIssues(context, as<'decideAppeal'>(event)).length === 0),
  };
}

/** A person measure as a disposition; organisation measures are not person-times. */
export interface ReviewDisposition {
  personId: string;
  measure: ReviewMeasure;
  sanction?: string;
  form: Form;
}

export interface ReviewEffectParams {
  recordDispositions: { source: 'review'; kind: ReviewKind; dispositions: ReviewDisposition[] };
  recordAppealDecision: { personId: string; outcome: AppealOutcome; dispositions: ReviewDisposition[] };
  reviewConcluded: { caseId: string; reviewId: string; kind: ReviewKind; outcome: ReviewOutcome };
  notify: NotifyParams;
}
export const REVIEW_EFFECTS = new Set<string>(['recordDispositions', 'recordAppealDecision', 'reviewConcluded', 'notify']);

/** Person measures as dispositions with their form (API.md Reviews); organisation measures drop out. */
export function toDispositions(measures: readonly ReviewMeasureRef[]): ReviewDisposition[] {
  return measures.flatMap((m) => {
    const form = m.target === ORGANISATION ? null : reviewMeasureForm(m.measure, m.sanction);
    if (form === null) return [];
    return [{ personId: m.target, measure: m.measure, form, ...(m.sanction ? { sanction: m.sanction } : {}) }];
  });
}

export const reviewEffectParams = {
  findingsDispositions: ({ context }: { context: ReviewContext }): ReviewEffectParams['recordDispositions'] => ({
    source: 'review',
    kind: context.kind,
    dispositions: toDispositions(proposedFindings(context)?.proposedMeasures ?? []),
  }),
  appealDecision: ({ context, event }: Args): ReviewEffectParams['recordAppealDecision'] => {
    const e = as<'decideAppeal'>(event);
    return { personId: context.appellant ?? '', outcome: e.outcome, dispositions: toDispositions(e.measures ?? []) };
  },
  concluded: ({ context }: { context: ReviewContext }): ReviewEffectParams['reviewConcluded'] => ({
    caseId: context.caseId,
    reviewId: context.reviewId,
    kind: context.kind,
    outcome: context.outcome ?? 'responsibilityFound',
  }),
};

const update = <P = undefined>(fn: (args: Args, params: P) => Partial<ReviewContext>) =>
  assign<ReviewContext, ReviewEvent, P, ReviewEvent, never>((args, params) => fn(args, params));
const noEffect = <P>() => (_: unknown, _params: P) => {};

export type ReviewApprovalKind = 'reviewStart' | 'reviewFindings';

const SECRETARY_MEASURES = new Set(['inspection', 'circular', 'admonishment']);
const COMMITTEE_MEASURES = new Set(['orgAdjustment', 'reorganisation']);

/**
 * The chain of a review proposal (问责条例 Arts 9, 12): starting a review of a 党组织 directly led by
 * the same-level party committee needs its secretary; in the findings, 组织调整 (and 改组) is only
 * proposed and the party committee decides, while 检查/通报/诫勉 on such an organisation and its
 * cadres are decided with the secretary's approval.
 */
function reviewChainFor(policy: MachinePolicy, kind: ReviewApprovalKind, event: ReviewEvent, context: ReviewContext) {
  const { approvals } = policy;
  if (kind === 'reviewStart') return context.partyLed ? approvals.reviewStartPartyLed : approvals.reviewStart;
  const measures = (event as ReviewEventOf<'submitFindings'>).proposedMeasures ?? [];
  if (measures.some((m) => COMMITTEE_MEASURES.has(m.measure))) return approvals.reviewFindingsPartyCommittee;
  if (context.partyLed && measures.some((m) => SECRETARY_MEASURES.has(m.measure))) return approvals.reviewFindingsSecretary;
  return approvals.reviewFindings;
}

/** Actions of the review machine: context updates and declared effects (no-ops here). */
export function reviewActions(policy: MachinePolicy) {
  return {
    proposeApproval: update<{ kind: ReviewApprovalKind }>(({ context, event }, { kind }) => ({
      pendingApproval: newProposal(kind, event, reviewChainFor(policy, kind, event, context)),
    })),
    recordApproval: update(({ context, event }) => ({ pendingApproval: withApproval(context.pendingApproval!, as<'approve'>(event)) })),
    clearPendingApproval: update(() => ({ pendingApproval: null })),
    recordFindings: update(({ context }) => {
      const findings = proposedFindings(context)!;
      return { findings, measures: findings.proposedMeasures, outcome: outcomeOf(findings) };
    }),
    recordAppeal: update(({ event }) => ({ appellant: as<'fileAppeal'>(event).personId })),
    applyAppealDecision: update(({ context, event }) => {
      const { outcome, measures = [] } = as<'decideAppeal'>(event);
      const others = context.measures.filter((m) => m.target !== context.appellant);
      const kept = outcome === 'upheld' ? context.measures : outcome === 'modified' ? [...others, ...measures] : others;
      return { appellant: null, measures: kept };
    }),
    recordEscalation: update(({ context, event }) => {
      const { key, level } = as<'deadline.reached'>(event);
      return { escalations: { ...context.escalations, [key]: higherLevel(context.escalations[key], level) } };
    }),
    recordDispositions: noEffect<ReviewEffectParams['recordDispositions']>(),
    recordAppealDecision: noEffect<ReviewEffectParams['recordAppealDecision']>(),
    reviewConcluded: noEffect<ReviewEffectParams['reviewConcluded']>(),
    notify: noEffect<ReviewEffectParams['notify']>(),
  };
}
