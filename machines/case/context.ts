import type { WithPendingApproval } from '../shared/approval';
import type { EscalationLevel } from '../shared/deadlines';
import type { MeasureRef } from '../shared/schemas';
import type { RECUSAL_RELATIONS, ReviewKind, ReviewOutcome } from './events';

/** A person the clue is about (API.md "Cases": `subjects`). */
export interface Subject {
  personId: string;
  name: string;
  orgId: string;
  rank: string;
}

/** Input at creation (the service registers the clue, then builds the initial snapshot). */
export interface CaseInput {
  caseId: string;
  orgId: string;
  major: boolean;
  receivedAt: string;
  subjects: Subject[];
}

export type DualTrigger = 'majorFiling' | 'form3Decision' | 'judicialTransfer' | 'manual';

/** One accountability review of the 一案双查, as the case knows it from internal events. */
export interface DualReview {
  kind: ReviewKind;
  reviewId: string | null;
  state: 'opening' | 'open' | 'concluded';
  outcome?: ReviewOutcome;
}

export interface Recusal {
  userId: string;
  relation: (typeof RECUSAL_RELATIONS)[number];
  reason: string;
  recordedBy: string;
}

export interface CaseContext extends WithPendingApproval {
  caseId: string;
  orgId: string;
  major: boolean;
  receivedAt: string;
  subjects: Subject[];
  assignees: string[];
  /** Everyone who proposed, reported, approved, recorded or was assigned before trial (查审分离). */
  participants: string[];
  /** Trial reviewers of the current trial; released when the case returns for supplement. */
  trialReviewers: string[];
  recusals: Recusal[];
  flags: string[];
  /** Highest escalation step reported per deadline key (history: an extension that re-arms a clock does not lower it). */
  escalations: Partial<Record<string, EscalationLevel>>;
  /** The approved decision, kept for appeals. */
  decision: { measures: MeasureRef[]; judicialTransfer: boolean } | null;
  /** The person whose appeal is open, while in `appeal`. */
  appellant: string | null;
  dual: { trigger: DualTrigger | null; reviews: DualReview[] };
}

const EMPTY_INPUT: CaseInput = { caseId: '', orgId: '', major: false, receivedAt: '', subjects: [] };

/**
 * The context of a new case. XState's pure `transition()` builds a throwaway actor that computes an
 * initial snapshot without input; that path gets an empty case instead of an exception, which is
 * what made every pure transition slow.
 */
export function initialCaseContext(input: CaseInput | undefined): CaseContext {
  input ??= EMPTY_INPUT;
  return {
    caseId: input.caseId,
    orgId: input.orgId,
    major: input.major,
    receivedAt: input.receivedAt,
    subjects: input.subjects.map((s) => ({ personId: s.personId, name: s.name, orgId: s.orgId, rank: s.rank })),
    assignees: [],
    participants: [],
    trialReviewers: [],
    recusals: [],
    flags: [],
    escalations: {},
    decision: null,
    appellant: null,
    pendingApproval: null,
    dual: { trigger: null, reviews: [] },
  };
}
