import type { SnapshotFrom, StateValue } from 'xstate';
import type { PendingApproval } from '../shared/approval';
import { activeDeadlineKeys, type DeadlineKey } from '../shared/deadlines';
import { dotted } from '../shared/state-value';
import type { DualReview, DualTrigger, Recusal } from './context';
import type { CaseMachine } from './machine';

export type CaseSnapshot = SnapshotFrom<CaseMachine>;

/**
 * The lifecycle state as the API shows it (`talkInquiry.awaitingReply`); for a review snapshot, its
 * state (`investigating`).
 */
export function stateValueString(snapshot: { value: StateValue }): string {
  const value = snapshot.value;
  return typeof value === 'object' && value.lifecycle !== undefined ? dotted(value.lifecycle) : dotted(value);
}

/** The 一案双查 region's state: `notRequired | opening | open | concluded`. */
export function dualStateString(snapshot: CaseSnapshot): string {
  return dotted(snapshot.value.dualInvestigation);
}

export interface CaseMachineView {
  state: string;
  dualInvestigation: { state: string; trigger: DualTrigger | null; reviews: { id: string | null; kind: DualReview['kind']; state: DualReview['state']; outcome?: DualReview['outcome'] }[] };
  pendingApproval: PendingApproval | null;
  assignees: string[];
  trialReviewers: string[];
  flags: string[];
  recusals: Recusal[];
  deadlineKeys: DeadlineKey[];
}

/** The pieces of the case view (API.md "Case view") that come from the machine. */
export function caseView(snapshot: CaseSnapshot): CaseMachineView {
  const { context } = snapshot;
  return {
    state: stateValueString(snapshot),
    dualInvestigation: {
      state: dualStateString(snapshot),
      trigger: context.dual.trigger,
      reviews: context.dual.reviews.map((r) => ({ id: r.reviewId, kind: r.kind, state: r.state, ...(r.outcome ? { outcome: r.outcome } : {}) })),
    },
    pendingApproval: context.pendingApproval,
    assignees: context.assignees,
    trialReviewers: context.trialReviewers,
    flags: context.flags,
    recusals: context.recusals,
    deadlineKeys: activeDeadlineKeys(snapshot),
  };
}
