import type { z } from 'zod';
import type { CaseContext } from '../../machines';
import { readHistory } from '../audit/history';
import { REPORTER_READERS, hasAnyRole, orgTree, requireInScope } from '../authz';
import { AppError } from '../errors';
import { deadlinesOf } from '../deadlines/by-aggregate';
import type { Deps } from '../deps';
import type { caseListQuery } from './schemas';
import { actorOf, isSystemUser } from '../principal';
import type { ReporterIdentity } from '../sealing/reporter';
import type { OrgTree } from '../authz/org-tree';
import type { CaseFilter, DeadlineRecord, User } from '../store/port';
import { loadCaseFor, type LoadedCase } from './load';
import { caseModel } from './model';
import { caseView } from './view';

const DECIDED_STATES = new Set(['decided', 'executed', 'appeal', 'concluded', 'closed']);

/** The full view of a loaded case for `user`; fetches dispositions and reviews only when there can be any. */
export async function viewOfLoaded(
  deps: Deps,
  user: User,
  loaded: LoadedCase,
  deadlines?: DeadlineRecord[],
  reporter?: ReporterIdentity | null,
): Promise<Record<string, unknown>> {
  const { record, snapshot } = loaded;
  const [ds, dispositions, reviews] = await Promise.all([
    deadlines ?? deps.store.deadlines.listByAggregate('case', record.id),
    DECIDED_STATES.has(record.state.split('.')[0]) ? deps.store.dispositions.listByCase(record.id) : [],
    record.dualState !== 'notRequired' ? deps.store.reviews.list({ caseId: record.id, page: 1, pageSize: 10 }).then((p) => p.items) : [],
  ]);
  return caseView({
    record,
    context: snapshot.context as CaseContext,
    deadlines: ds,
    dispositions,
    reviews,
    availableCommands: caseModel(deps).availableCommands(snapshot, actorOf(user)),
    reporter,
    clocks: { calendar: deps.calendar, now: deps.clock() },
  });
}

/**
 * GET /cases/:id: every read is an audit event of the case. The reporter's identity stays sealed in
 * the view; a registrar or commission head who asks for it by name (`include: 'reporter'`, the
 * console's 查看举报人 after its warning) gets it unsealed, and that disclosure is an audit event of
 * its own. Anyone else who asks is refused (403 role), and the refusal is on record too.
 */
export async function getCaseView(deps: Deps, user: User, id: string, include?: 'reporter'): Promise<Record<string, unknown>> {
  const loaded = await loadCaseFor(deps, user, id);
  const at = deps.clock().toISOString();
  const { record } = loaded;
  await deps.store.audit.append(id, { at, actor: user.id, action: 'read', outcome: 'read', from: record.state, to: record.state });
  let reporter: ReporterIdentity | null = null;
  const mayDisclose = hasAnyRole(user, REPORTER_READERS);
  if (include === 'reporter' && !mayDisclose) {
    await deps.store.audit.append(id, { at, actor: user.id, action: 'read', outcome: 'refused', from: record.state, to: record.state, detail: { field: 'reporter' } });
    throw new AppError('forbidden', 'only the registrar and the commission head may see the reporter', { reason: 'role' });
  }
  if (include === 'reporter' && record.reporterSealed) {
    reporter = deps.sealer.unseal(record.reporterSealed);
    await deps.store.audit.append(id, {
      at,
      actor: user.id,
      action: 'read',
      outcome: 'disclosed',
      from: record.state,
      to: record.state,
      detail: { field: 'reporter' },
    });
  }
  const view = await viewOfLoaded(deps, user, loaded, undefined, reporter);
  if (!reporter && record.reporterSealed && mayDisclose) view.reporter = { sealed: true, mayDisclose: true };
  return view;
}

export type CaseListQuery = z.output<typeof caseListQuery>;

/**
 * The store filter of `GET /cases` for `user`: scope (the handling commission's subtree, 承办机关),
 * the query's filters, and the recusal filter (`visibleTo`). The list and its downloads
 * (services/cases/ledger.ts) both use it, so they show the same cases.
 */
export async function caseListFilter(deps: Deps, user: User, query: Omit<CaseListQuery, 'page' | 'pageSize'>): Promise<{ tree: OrgTree; filter: Omit<CaseFilter, 'page' | 'pageSize'> }> {
  const tree = await orgTree(deps.store);
  if (query.orgId) requireInScope(tree, user, query.orgId, `org ${query.orgId}`);
  // Scope is the handling commission's (承办机关); `orgId` narrows to clues registered on that org or below.
  const filter = {
    orgIds: tree.subtree(user.orgId),
    unitOrgIds: query.orgId ? tree.subtree(query.orgId) : undefined,
    state: query.state,
    assignee: query.assignee,
    overdue: query.overdue,
    flag: query.flag,
    q: query.q?.toLowerCase(),
    visibleTo: isSystemUser(user) ? undefined : { userId: user.id, personId: user.personId, name: user.name },
  };
  return { tree, filter };
}

/**
 * GET /cases: views of the cases in the caller's scope, minus those the caller is recused from.
 * One audit event on the caller's own stream records which cases were listed.
 */
export async function listCases(deps: Deps, user: User, query: CaseListQuery): Promise<Record<string, unknown>> {
  const { filter } = await caseListFilter(deps, user, query);
  const page = await deps.store.cases.list({ ...filter, page: query.page, pageSize: query.pageSize });
  // The store leaves out the cases the caller is recused from (`visibleTo`), so pages and totals are exact.
  const model = caseModel(deps);
  const deadlines = await deadlinesOf(deps.store, 'case', page.items.map((r) => r.id));
  const clocks = { calendar: deps.calendar, now: deps.clock() };
  const items = page.items.map((record) => {
    const snapshot = model.restore(record);
    return caseView({
      record,
      context: snapshot.context as CaseContext,
      deadlines: deadlines.get(record.id) ?? [],
      dispositions: [],
      reviews: [],
      availableCommands: model.availableCommands(snapshot, actorOf(user)),
      clocks,
    });
  });
  if (items.length) {
    await deps.store.audit.append(`user:${user.id}`, {
      at: deps.clock().toISOString(),
      actor: user.id,
      action: 'listCases',
      outcome: 'read',
      from: null,
      to: null,
      detail: { caseIds: items.map((i) => i.id) },
    });
  }
  return { items, total: page.total, page: page.page, pageSize: page.pageSize };
}

/** GET /cases/:id/history: the case's hash chain in seq order, this read included. */
export async function caseHistory(deps: Deps, user: User, id: string): Promise<Record<string, unknown>> {
  const loaded = await loadCaseFor(deps, user, id);
  return readHistory(deps, user, id, loaded.record.state);
}
