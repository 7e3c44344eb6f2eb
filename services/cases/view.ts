import type { CaseContext } from '../../machines/case/context';
import { deadlineViews, type DeadlineViewContext } from '../deadlines/sync';
import type { ReporterIdentity } from '../sealing/reporter';
import type { CaseRecord, DeadlineRecord, DispositionRecord, ReviewRecord } from '../store/port';

export interface CaseViewParts {
  record: CaseRecord;
  context: CaseContext;
  deadlines: DeadlineRecord[];
  dispositions: DispositionRecord[];
  reviews: ReviewRecord[];
  availableCommands: string[];
  /** The unsealed identity, only for registrar/commissionHead reads (audited by the caller). */
  reporter?: ReporterIdentity | null;
  /** Calendar and time of reading, for each running clock's working days left. */
  clocks?: DeadlineViewContext;
}

/** The case view of API.md ("Case view"): the body of GET /cases/:id and of every command. */
export function caseView(p: CaseViewParts): Record<string, unknown> {
  const { record, context } = p;
  const data = record.data as Record<string, unknown>;
  const reviewById = new Map(p.reviews.map((r) => [r.id, r]));
  const reviewByKind = new Map(p.reviews.map((r) => [r.kind, r]));
  return {
    id: record.id,
    number: record.number,
    title: record.title,
    // The org the clue is registered on, and the commission handling it (承办机关).
    orgId: data.orgId ?? record.orgId,
    handlingOrgId: record.orgId,
    source: data.source,
    receivedAt: data.receivedAt,
    major: data.major ?? false,
    // Subjects split off into a case of their own (分案) are that case's, not this one's.
    subjects: ((data.subjects as Array<{ personId: string }> | undefined) ?? []).filter((s) => context.subjects.some((c) => c.personId === s.personId)),
    ...(data.splitFrom ? { splitFrom: data.splitFrom } : {}),
    allegations: data.allegations ?? [],
    reporter: p.reporter ? { sealed: false, ...p.reporter } : { sealed: true },
    state: record.state,
    version: record.version,
    dualInvestigation: {
      state: record.dualState,
      trigger: context.dual.trigger,
      reviews: dualReviews(context, reviewById, reviewByKind),
    },
    pendingApproval: context.pendingApproval,
    deadlines: deadlineViews(p.deadlines, p.clocks),
    dispositions: p.dispositions
      .filter((d) => !d.revokedAt)
      .map((d) => ({ personId: d.personId, measure: d.measure, form: d.form, decidedAt: d.decidedAt, ...(d.reviewId ? { reviewId: d.reviewId } : {}) })),
    flags: record.flags,
    assignees: record.assignees,
    trialReviewers: context.trialReviewers,
    recusals: context.recusals.map((r) => ({ userId: r.userId, relation: r.relation })),
    availableCommands: p.availableCommands,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function dualReviews(
  context: CaseContext,
  byId: Map<string, ReviewRecord>,
  byKind: Map<string, ReviewRecord>,
): Array<{ id: string | null; kind: string; state: string }> {
  const kinds = new Set<string>([...context.dual.reviews.map((r) => r.kind), ...byKind.keys()]);
  return [...kinds].sort().map((kind) => {
    const known = context.dual.reviews.find((r) => r.kind === kind);
    const stored = (known?.reviewId ? byId.get(known.reviewId) : undefined) ?? byKind.get(kind as ReviewRecord['kind']);
    return { id: stored?.id ?? known?.reviewId ?? null, kind, state: stored?.state ?? known?.state ?? 'opening' };
  });
}
