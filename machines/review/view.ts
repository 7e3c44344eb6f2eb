import type { SnapshotFrom } from 'xstate';
import type { PendingApproval } from '../shared/approval';
import { activeDeadlineKeys, type DeadlineKey } from '../shared/deadlines';
import { dotted } from '../shared/state-value';
import type { ReviewOutcome } from '../case/events';
import { toDispositions, type ReviewDisposition } from './effects';
import type { Findings, ReviewMeasureRef } from './events';
import type { ReviewMachine } from './machine';

export type ReviewSnapshot = SnapshotFrom<ReviewMachine>;

export interface ReviewMachineView {
  state: string;
  pendingApproval: PendingApproval | null;
  findings: Findings | null;
  decision: { outcome: ReviewOutcome | null; measures: ReviewMeasureRef[]; dispositions: ReviewDisposition[] } | null;
  deadlineKeys: DeadlineKey[];
}

/** The pieces of the review view (API.md "Reviews") that come from the machine. */
export function reviewView(snapshot: ReviewSnapshot): ReviewMachineView {
  const { context } = snapshot;
  return {
    state: dotted(snapshot.value),
    pendingApproval: context.pendingApproval,
    findings: context.findings,
    decision: context.findings ? { outcome: context.outcome, measures: context.measures, dispositions: toDispositions(context.measures) } : null,
    deadlineKeys: activeDeadlineKeys(snapshot),
  };
}
