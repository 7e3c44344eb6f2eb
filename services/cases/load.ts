import type { CaseContext, CaseSnapshot } from '../../machines';
import { orgTree, requireInScope, requireNotRecused, type OrgTree } from '../authz';
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { isSystemUser } from '../principal';
import type { CaseRecord, User } from '../store/port';
import { caseModel } from './model';

export interface LoadedCase {
  record: CaseRecord;
  snapshot: CaseSnapshot;
  context: CaseContext;
  tree: OrgTree;
}

/**
 * Loads a case for `user`: 404 when it does not exist or lies outside the user's scope (existence
 * does not leak), 403 `recusal` when the user is recused. The system actor sees every case.
 * `known`: a record already at hand (a command's remembered one), checked instead of read.
 */
export async function loadCaseFor(deps: Deps, user: User, id: string, known?: CaseRecord): Promise<LoadedCase> {
  const [record, tree] = await Promise.all([known ?? deps.store.cases.get(id), orgTree(deps.store)]);
  if (!record) throw notFound(`case ${id}`);
  const system = isSystemUser(user);
  if (!system) requireInScope(tree, user, record.orgId, `case ${id}`);
  const snapshot = caseModel(deps).restore(record);
  const context = snapshot.context as CaseContext;
  if (!system) requireNotRecused(user, context);
  return { record, snapshot, context, tree };
}
