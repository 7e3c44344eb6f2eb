import type { CaseContext, ReviewSnapshot } from '../../machines';
import { isPartyToReview, isRecused, orgTree, requireInScope, requireNotRecused } from '../authz';
import { caseModel } from '../cases/model';
import type { Deps } from '../deps';
import { forbidden, notFound } from '../errors';
import { isSystemUser } from '../principal';
import type { ReviewRecord, User } from '../store/port';
import { involvedPersonIds, reviewModel } from './model';

export interface LoadedReview {
  record: ReviewRecord;
  snapshot: ReviewSnapshot;
}

/**
 * Loads a review for `user`. Scope is the handling commission's org (the case's); a user recused
 * from the case is recused from its reviews too. A user whose person is a party to the review (a
 * leader under review, a measure's target) is recused from it: 404 on a read (`read`), so that the
 * leader does not learn of it, 403 `recusal` on a command.
 */
export async function loadReviewFor(deps: Deps, user: User, id: string, known?: ReviewRecord, read = false): Promise<LoadedReview> {
  const [record, tree] = await Promise.all([known ?? deps.store.reviews.get(id), orgTree(deps.store)]);
  if (!record) throw notFound(`review ${id}`);
  const snapshot = reviewModel(deps).restore(record);
  if (!isSystemUser(user)) {
    requireInScope(tree, user, record.orgId, `review ${id}`);
    if (isPartyToReview(user, involvedPersonIds(record, snapshot))) {
      throw read ? notFound(`review ${id}`) : forbidden('recusal', 'you are a party to this accountability review');
    }
    // Read, not remembered: the review's compare-and-set would not notice a newer recusal on the case.
    const kase = await deps.store.cases.get(record.caseId);
    if (kase) requireNotRecused(user, caseModel(deps).restore(kase).context as CaseContext);
  }
  return { record, snapshot };
}

/**
 * The cases among `caseIds` that `user` is recused from; their reviews are hidden from the user's
 * lists and inbox as they are from `loadReviewFor`.
 */
export async function casesRecusedFrom(deps: Deps, user: User, caseIds: readonly string[]): Promise<Set<string>> {
  if (isSystemUser(user)) return new Set();
  const model = caseModel(deps);
  const records = await Promise.all([...new Set(caseIds)].map((id) => deps.store.cases.get(id)));
  return new Set(records.flatMap((r) => (r && isRecused(user, model.restore(r).context as CaseContext) ? [r.id] : [])));
}
