import type { z } from 'zod';
import { reviewView } from '../../machines';
import { readHistory } from '../audit/history';
import { orgTree } from '../authz';
import { deadlinesOf } from '../deadlines/by-aggregate';
import type { Deps } from '../deps';
import { deadlineViews } from '../deadlines/sync';
import type { reviewListQuery } from './schemas';
import { actorOf, isSystemUser } from '../principal';
import type { DeadlineRecord, User } from '../store/port';
import { suggestedPartiesFor } from '../responsibility/suggest';
import { loadReviewFor, type LoadedReview } from './load';
import { reviewModel } from './model';

/** The review view of API.md ("Reviews"). */
export async function reviewViewOf(deps: Deps, user: User, loaded: LoadedReview, deadlines?: DeadlineRecord[]): Promise<Record<string, unknown>> {
  const { record, snapshot } = loaded;
  const m = reviewView(snapshot);
  const ds = deadlines ?? (await deps.store.deadlines.listByAggregate('review', record.id));
  return {
    id: record.id,
    caseId: record.caseId,
    kind: record.kind,
    targetOrgId: record.data.targetOrgId ?? record.orgId,
    target: record.target,
    targetName: record.data.targetName ?? null,
    state: record.state,
    version: record.version,
    pendingApproval: m.pendingApproval,
    deadlines: deadlineViews(ds, { calendar: deps.calendar, now: deps.clock() }),
    findings: m.findings,
    // From the responsibility map as of the facts; the inspector confirms or edits them in submitFindings.
    suggestedParties: await suggestedPartiesFor(deps, record),
    decision: m.decision,
    assignees: record.assignees,
    availableCommands: reviewModel(deps).availableCommands(snapshot, actorOf(user)),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export async function getReviewView(deps: Deps, user: User, id: string): Promise<Record<string, unknown>> {
  const loaded = await loadReviewFor(deps, user, id, undefined, true);
  const { state } = loaded.record;
  await deps.store.audit.append(id, { at: deps.clock().toISOString(), actor: user.id, action: 'read', outcome: 'read', from: state, to: state });
  return reviewViewOf(deps, user, loaded);
}

/**
 * GET /reviews/:id/history: the review's hash chain in seq order, this read included. Read as the
 * review view is: a party to the review gets 404, a user recused from its case 403 `recusal`.
 */
export async function reviewHistory(deps: Deps, user: User, id: string): Promise<Record<string, unknown>> {
  const loaded = await loadReviewFor(deps, user, id, undefined, true);
  return readHistory(deps, user, id, loaded.record.state);
}

export type ReviewListQuery = z.output<typeof reviewListQuery>;

export async function listReviews(deps: Deps, user: User, query: ReviewListQuery): Promise<Record<string, unknown>> {
  const tree = await orgTree(deps.store);
  // The store leaves out the reviews of cases the caller is recused from, so pages and totals are exact.
  const page = await deps.store.reviews.list({
    ...query,
    orgIds: tree.subtree(user.orgId),
    visibleTo: isSystemUser(user) ? undefined : { userId: user.id, personId: user.personId, name: user.name },
  });
  const model = reviewModel(deps);
  const deadlines = await deadlinesOf(deps.store, 'review', page.items.map((r) => r.id));
  const items = await Promise.all(
    page.items.map((record) => reviewViewOf(deps, user, { record, snapshot: model.restore(record) }, deadlines.get(record.id) ?? [])),
  );
  return { items, total: page.total, page: page.page, pageSize: page.pageSize };
}
