import { assign } from 'xstate';
import { higherLevel } from '../shared/deadlines';
import { newProposal, withApproval } from '../shared/approval';
import type { MachinePolicy } from '../shared/policy';
import { outcomeOf, proposedFindings, type ReviewContext } from './context';
import type { ReviewEvent, ReviewEventOf } from './events';
import type { ReviewEffectParams } from './effects';

interface Args {
  context: ReviewContext;
  event: ReviewEvent;
}

const as = <T extends ReviewEvent['type']>(event: ReviewEvent) => event as ReviewEventOf<T>;

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
