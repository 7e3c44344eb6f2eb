import type { CaseContext } from '../../machines';
import { proposalsAwaiting } from '../accountability';
import { hasAnyRole, isPartyToReview, isRecused, orgTree } from '../authz';
import { caseModel } from '../cases/model';
import type { Deps } from '../deps';
import { actorOf } from '../principal';
import { workingDaysLeft } from '../deadlines/sync';
import { casesRecusedFrom } from '../reviews/load';
import { involvedPersonIds, reviewModel } from '../reviews/model';
import type { CaseRecord, ReviewRecord, User } from '../store/port';
import { labelOf, REVIEW_KIND_LABELS } from '../../machines/shared/dictionary';
import { notificationPage, type NotificationPageQuery } from './notifications';

/** States in which a proposal can await approval (the extension ones keep their state). */
const CASE_APPROVAL_STATES = [
  'dispositionReview',
  'talkInquiry.outcomeReview',
  'preliminaryVerification.reportReview',
  'trial.decisionReview',
  'investigation.inProgress',
  'trial.reviewing',
];
const REVIEW_APPROVAL_STATES = ['startApproval', 'findingApproval'];
const LIMIT = 200;
const OVERSEERS = ['supervisor', 'commissionHead'] as const;

interface InboxItem {
  aggregate: 'case' | 'review';
  id: string;
  title: string;
  state: string;
  pendingApproval?: unknown;
}

/**
 * GET /inbox (API.md): what awaits the caller's approval, the 一案双查 proposals of the frequency
 * trigger the caller decides, what they are assigned to, overdue deadlines they answer
 * for, and a page of their notifications (newest first) with the counts.
 */
export async function inboxFor(deps: Deps, user: User, page: NotificationPageQuery = { page: 1, pageSize: 100 }): Promise<Record<string, unknown>> {
  const tree = await orgTree(deps.store);
  const orgIds = tree.subtree(user.orgId);
  const [approvals, proposals, assigned, overdue, notifications] = await Promise.all([
    approvalsFor(deps, user, orgIds),
    proposalsAwaiting(deps, user),
    deps.store.cases.list({ orgIds, assignee: user.id, page: 1, pageSize: LIMIT }).then((p) => p.items.map(caseItem)),
    overdueFor(deps, user, orgIds),
    notificationPage(deps, user, page),
  ]);
  const { items, ...counts } = notifications;
  return { approvals, proposals, assigned, overdue, notifications: items, notificationPage: counts };
}

async function approvalsFor(deps: Deps, user: User, orgIds: string[]): Promise<InboxItem[]> {
  const actor = actorOf(user);
  const cm = caseModel(deps);
  const rm = reviewModel(deps);
  const cases = (await Promise.all(CASE_APPROVAL_STATES.map((state) => deps.store.cases.list({ orgIds, state, page: 1, pageSize: LIMIT })))).flatMap((p) => p.items);
  const reviews = (await Promise.all(REVIEW_APPROVAL_STATES.map((state) => deps.store.reviews.list({ orgIds, state, page: 1, pageSize: LIMIT })))).flatMap((p) => p.items);
  const out: InboxItem[] = [];
  for (const record of dedupe(cases)) {
    const snapshot = cm.restore(record);
    const context = snapshot.context as CaseContext;
    if (!context.pendingApproval || isRecused(user, context)) continue;
    if (cm.availableCommands(snapshot, actor).includes('approve')) out.push({ ...caseItem(record), pendingApproval: context.pendingApproval });
  }
  const recused = await casesRecusedFrom(deps, user, reviews.map((r) => r.caseId));
  for (const record of dedupe(reviews)) {
    if (recused.has(record.caseId)) continue;
    const snapshot = rm.restore(record);
    if (isPartyToReview(user, involvedPersonIds(record, snapshot))) continue;
    if (snapshot.context.pendingApproval && rm.availableCommands(snapshot, actor).includes('approve')) {
      out.push({ ...reviewItem(record), pendingApproval: snapshot.context.pendingApproval });
    }
  }
  return out;
}

async function overdueFor(deps: Deps, user: User, orgIds: string[]) {
  const overseer = hasAnyRole(user, OVERSEERS);
  // Follow-ups and rectifications are listed by their own services.
  const rows = (await deps.store.deadlines.listActive({ orgIds, status: ['overdue'] })).filter(
    (d): d is typeof d & { aggregateType: 'case' | 'review' } => d.aggregateType === 'case' || d.aggregateType === 'review',
  );
  const mine = await withoutRecused(deps, user, overseer ? rows : await onlyAssigned(deps, user, rows));
  const now = deps.clock();
  return mine.map((d) => ({
    aggregate: d.aggregateType,
    id: d.aggregateId,
    key: d.key,
    dueAt: d.dueAt,
    status: d.status,
    escalation: d.escalation,
    workingDaysLeft: workingDaysLeft(deps.calendar, now, d.dueAt),
  }));
}

async function onlyAssigned<T extends { aggregateType: 'case' | 'review'; aggregateId: string }>(deps: Deps, user: User, rows: T[]): Promise<T[]> {
  const out: T[] = [];
  for (const d of rows) {
    const record = d.aggregateType === 'case' ? await deps.store.cases.get(d.aggregateId) : await deps.store.reviews.get(d.aggregateId);
    if (record?.assignees.includes(user.id)) out.push(d);
  }
  return out;
}

/** A user recused from a case hears nothing of it or of its reviews. */
async function withoutRecused<T extends { aggregateType: 'case' | 'review'; aggregateId: string }>(deps: Deps, user: User, rows: T[]): Promise<T[]> {
  const caseIds = await Promise.all(
    rows.map(async (d) => (d.aggregateType === 'case' ? d.aggregateId : ((await deps.store.reviews.get(d.aggregateId))?.caseId ?? ''))),
  );
  const recused = await casesRecusedFrom(deps, user, caseIds.filter(Boolean));
  return rows.filter((_, i) => !recused.has(caseIds[i]));
}

function caseItem(r: CaseRecord): InboxItem {
  return { aggregate: 'case', id: r.id, title: `${r.number} ${r.title}`, state: r.state };
}

function reviewItem(r: ReviewRecord): InboxItem {
  return { aggregate: 'review', id: r.id, title: `${labelOf(REVIEW_KIND_LABELS, r.kind)}问责调查 ${String(r.data.targetName ?? '')}`, state: r.state };
}

function dedupe<T extends { id: string }>(items: T[]): T[] {
  return [...new Map(items.map((i) => [i.id, i])).values()];
}
