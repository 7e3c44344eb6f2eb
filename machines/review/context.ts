import type { WithPendingApproval } from '../shared/approval';
import type { EscalationLevel } from '../shared/deadlines';
import type { ReviewKind, ReviewOutcome } from '../case/events';
import type { Findings, ReviewMeasureRef } from './events';

export interface ReviewInput {
  reviewId: string;
  caseId: string;
  kind: ReviewKind;
  orgId: string;
  /** The reviewed 党组织 is directly led by the same-level party committee (问责条例 Arts 9, 12). */
  partyLed?: boolean;
}

export interface ReviewContext extends WithPendingApproval {
  reviewId: string;
  caseId: string;
  kind: ReviewKind;
  orgId: string;
  partyLed: boolean;
  /** The approved findings. */
  findings: Findings | null;
  /** The measures in force (the approved ones, as changed by appeals). */
  measures: ReviewMeasureRef[];
  outcome: ReviewOutcome | null;
  appellant: string | null;
  /** Highest escalation step reported per deadline key (history: an extension does not lower it). */
  escalations: Partial<Record<string, EscalationLevel>>;
}

const EMPTY_INPUT: ReviewInput = { reviewId: '', caseId: '', kind: 'primary', orgId: '' };

/** The context of a new review (without input: an empty one, see `initialCaseContext`). */
export function initialReviewContext(input: ReviewInput | undefined): ReviewContext {
  input ??= EMPTY_INPUT;
  return {
    reviewId: input.reviewId,
    caseId: input.caseId,
    kind: input.kind,
    orgId: input.orgId,
    partyLed: input.partyLed ?? false,
    findings: null,
    measures: [],
    outcome: null,
    appellant: null,
    escalations: {},
    pendingApproval: null,
  };
}

/** The outcome the case's join waits for: no responsibility, exempted (容错), or found. */
export function outcomeOf(findings: Pick<Findings, 'responsibilityFound' | 'exemption'>): ReviewOutcome {
  if (!findings.responsibilityFound) return 'noResponsibility';
  return findings.exemption ? 'exempted' : 'responsibilityFound';
}

/** The findings awaiting approval, if a findings proposal is pending. */
export function proposedFindings(context: ReviewContext): Findings | undefined {
  return context.pendingApproval?.payload as Findings | undefined;
}
