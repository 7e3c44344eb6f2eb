/**
 * 问责 that does not start from a case. A stand-alone review is a review aggregate
 * like the 一案双查 ones, on the same machine (start needs approval, 问责条例 Art 9), with no case:
 * its `caseId` is `standalone:<id>` and its source is recorded. The frequency trigger proposes a
 * 一案双查 of a unit's leadership to the commission head, who opens it (both reviews) or dismisses it
 * with a reason.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PARTY_LED_REVIEW_APPROVALS } from '../../config/dual-investigation';
import { DEFAULT_FREQUENCY_TRIGGER, type FrequencyTrigger } from '../../config/frequency-trigger';
import { initialReview, type ReviewKind } from '../../machines';
import { cachedWithRole, hasAnyRole, orgTree, requireInScope } from '../authz';
import { commitAndWake, commitNew } from '../commands/commit';
import type { Deps } from '../deps';
import { AppError, forbidden, notFound, validationFailed } from '../errors';
import { dateSchema, idSchema, text } from '../schemas';
import { getReviewView } from '../reviews';
import { casesRecusedFrom } from '../reviews/load';
import { reviewModel } from '../reviews/model';
import type { DualProposalRecord } from '../store/duty-port';
import type { Notification, OutboxRow, ReviewRecord, StoreTx, User } from '../store/port';
import type { Role } from '../../machines/shared/roles';

export const STANDALONE_SOURCES = ['inspectionTour', 'superiorAssigned', 'responsibilityAssessment', 'petition', 'dualInvestigationElsewhere', 'frequencyTrigger'] as const;
export const STANDALONE_SOURCE_LABELS: Record<(typeof STANDALONE_SOURCES)[number], string> = {
  inspectionTour: '巡视巡察移交',
  superiorAssigned: '上级交办',
  responsibilityAssessment: '责任制检查考核',
  petition: '信访举报（领导责任问题）',
  dualInvestigationElsewhere: '其他案件一案双查',
  frequencyTrigger: '严重违纪问题频发（一案双查）',
};
export const STANDALONE_PREFIX = 'standalone:';
const OPENERS: readonly Role[] = ['commissionHead', 'supervisor', 'inspector'];

export const standaloneReviewSchema = z
  .strictObject({
    unitOrgId: idSchema,
    kinds: z.array(z.enum(['primary', 'supervision'])).min(1).max(2),
    source: z.enum(STANDALONE_SOURCES.filter((s) => s !== 'frequencyTrigger') as [string, ...string[]]),
    reason: text(2000),
    /** When the facts happened: the suggested parties are the leaders in post then. */
    factsAt: dateSchema.optional(),
    relatedCaseIds: z.array(idSchema).max(100).default([]),
  })
  .meta({ id: 'StandaloneReview' });

export const standaloneResultSchema = z.object({ reviews: z.array(z.record(z.string(), z.unknown())) }).meta({ id: 'StandaloneReviewResult' });

interface ReviewDraft {
  base: ReviewRecord;
  snapshot: ReturnType<typeof initialReview>['snapshot'];
  unitOrgId: string;
  source: string;
}

/** The reviews to open in state `opened` (then proposeStart → approval, as for any review); nothing written yet. */
async function draftReviews(
  deps: Deps,
  input: { unitOrgId: string; kinds: ReviewKind[]; source: string; reason: string; factsAt?: string; relatedCaseIds: string[]; proposalId?: string },
): Promise<ReviewDraft[]> {
  const tree = await orgTree(deps.store);
  const unit = tree.get(input.unitOrgId);
  if (!unit) throw validationFailed([{ path: 'unitOrgId', message: `org ${input.unitOrgId} does not exist` }]);
  // The commission that handles it: the unit's own when it has one above it, as for a case in that org.
  const handling = tree.get(unit.parentId ?? '') ?? unit;
  const model = reviewModel(deps);
  const now = deps.clock().toISOString();
  return input.kinds.map((kind) => {
    const id = randomUUID();
    const caseId = `${STANDALONE_PREFIX}${id}`;
    // 问责条例 Art 9, as for a case's review (services/reviews/open): the unit's committee is led directly by the handling level's.
    const partyLed = PARTY_LED_REVIEW_APPROVALS && kind === 'primary' && unit.parentId === handling.id;
    const { snapshot } = initialReview(model.machine, { reviewId: id, caseId, kind, orgId: handling.id, partyLed });
    const base: ReviewRecord = {
      id,
      caseId,
      kind,
      target: kind === 'primary' ? 'partyCommittee' : 'disciplineBody',
      orgId: handling.id,
      machineId: '',
      machineVersion: 0,
      snapshot: null,
      state: '',
      assignees: [],
      data: {
        targetOrgId: unit.id,
        targetName: (kind === 'primary' ? unit.partyCommittee : unit.disciplineBody) ?? `${unit.name}${kind === 'primary' ? '党委' : '纪委'}`,
        standalone: true,
        source: input.source,
        reason: input.reason,
        ...(input.factsAt ? { factsAt: input.factsAt } : {}),
        relatedCaseIds: input.relatedCaseIds,
        ...(input.proposalId ? { proposalId: input.proposalId } : {}),
        requestedAt: now,
        trigger: input.source,
      },
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    return { base, snapshot, unitOrgId: unit.id, source: input.source };
  });
}

/** Opens the drafted reviews in the caller's transaction, each through the one commit path. */
async function openReviews(tx: StoreTx, deps: Deps, actorId: string, drafts: readonly ReviewDraft[]): Promise<{ records: ReviewRecord[]; outbox: OutboxRow[] }> {
  const model = reviewModel(deps);
  const records: ReviewRecord[] = [];
  const outbox: OutboxRow[] = [];
  for (const d of drafts) {
    const committed = await commitNew(tx, deps, {
      model,
      base: d.base,
      snapshot: d.snapshot,
      actorId,
      action: 'open',
      detail: { standalone: true, source: d.source, unitOrgId: d.unitOrgId },
      now: d.base.createdAt,
      insert: async (t, record) => {
        await t.reviews.insert(record);
        return record;
      },
    });
    records.push(committed.record);
    outbox.push(...committed.outbox);
  }
  return { records, outbox };
}

/** `POST /api/v1/reviews/standalone`. */
export async function startStandaloneReview(deps: Deps, user: User, body: z.output<typeof standaloneReviewSchema>): Promise<z.output<typeof standaloneResultSchema>> {
  if (!hasAnyRole(user, OPENERS)) throw forbidden('role', `opening a review needs one of the roles: ${OPENERS.join(', ')}`);
  const tree = await orgTree(deps.store);
  if (!tree.get(body.unitOrgId)) throw validationFailed([{ path: 'unitOrgId', message: `org ${body.unitOrgId} does not exist` }]);
  requireInScope(tree, user, body.unitOrgId, `org ${body.unitOrgId}`);
  const drafts = await draftReviews(deps, { ...body, kinds: [...new Set(body.kinds)] as ReviewKind[] });
  const { records } = await commitAndWake(deps, (tx) => openReviews(tx, deps, user.id, drafts));
  return { reviews: await Promise.all(records.map((r) => getReviewView(deps, user, r.id))) };
}

/** Cases behind a proposal: sanctioned cases of the unit in the window. */
interface UnitTally {
  caseIds: Set<string>;
  serious: number;
  major: Set<string>;
}

/**
 * The sweep's trigger task: counts each unit's sanctioned cases in the window and proposes a
 * 一案双查 of its leadership when a threshold is met, once per unit and window (the window is keyed
 * by the calendar year of the sweep, so a dismissed proposal comes back at the earliest next year).
 */
export async function frequencyTrigger(deps: Deps, now: Date, given?: FrequencyTrigger): Promise<{ proposed: number }> {
  // The thresholds in force (FREQUENCY_TRIGGER_* in the environment), else the documented defaults.
  const rules = given ?? deps.policy?.frequencyTrigger ?? DEFAULT_FREQUENCY_TRIGGER;
  if (!rules.enabled) return { proposed: 0 };
  const from = new Date(now.getTime() - rules.windowDays * 86_400_000).toISOString();
  const rows = await deps.store.dispositions.query({ from, to: now.toISOString() });
  // Cases behind a proposal the head opened are under review already: they do not count again.
  const reviewed = new Set((await deps.store.duty.proposals.list({ status: 'opened' })).flatMap((p) => p.caseIds));
  const byUnit = new Map<string, UnitTally>();
  for (const d of rows) {
    if (d.reviewId !== null || d.form < 2 || reviewed.has(d.caseId)) continue;
    const t = byUnit.get(d.orgId) ?? { caseIds: new Set<string>(), serious: 0, major: new Set<string>() };
    t.caseIds.add(d.caseId);
    if (d.form >= 3) t.serious++;
    byUnit.set(d.orgId, t);
  }
  const tree = await orgTree(deps.store);
  let proposed = 0;
  for (const [unitOrgId, t] of byUnit) {
    if (rules.majorCaseTriggers) {
      for (const id of t.caseIds) if ((await deps.store.cases.get(id))?.data.major === true) t.major.add(id);
    }
    const reasons: string[] = [];
    if (t.caseIds.size >= rules.sanctionedCases) reasons.push(`${rules.windowDays}日内${t.caseIds.size}件案件给予处分（阈值${rules.sanctionedCases}件）`);
    if (t.serious >= rules.seriousSanctions) reasons.push(`第三、四种形态处理${t.serious}人次（阈值${rules.seriousSanctions}人次）`);
    if (t.major.size > 0) reasons.push(`发生重大案件${t.major.size}件`);
    if (reasons.length === 0) continue;
    const unit = tree.get(unitOrgId);
    const deciding = tree.get(unit?.parentId ?? '') ?? unit;
    if (!unit || !deciding) continue;
    const at = now.toISOString();
    // One proposal per unit and calendar year: a dismissed one is not proposed again that year.
    const windowKey = `year:${at.slice(0, 4)}`;
    const proposal: DualProposalRecord = {
      id: randomUUID(),
      unitOrgId,
      orgId: deciding.id,
      windowKey,
      rule: reasons.join('；'),
      caseIds: [...t.caseIds].sort(),
      status: 'open',
      createdAt: at,
      decidedBy: null,
      decidedAt: null,
      decisionReason: null,
      reviewId: null,
    };
    const done = await deps.store.transaction(async (tx) => {
      if (!(await tx.duty.proposals.insert(proposal))) return false;
      await tx.audit.append(proposal.id, { at, actor: 'system', action: 'proposeDualInvestigation', outcome: 'accepted', from: null, to: 'open', detail: { unitOrgId, caseIds: proposal.caseIds } });
      const heads = await cachedWithRole(deps.store, 'commissionHead', [deciding.id], tx);
      const notes: Notification[] = heads.map((h) => ({
        id: `dp-${proposal.id}-${h.id}`,
        userId: h.id,
        kind: 'dualProposal',
        title: `建议对${unit.name}领导班子启动一案双查`,
        body: `${unit.name}严重违纪问题频发：${proposal.rule}。请决定启动一案双查或说明理由不予启动。`,
        aggregateType: null,
        aggregateId: null,
        createdAt: at,
        readAt: null,
      }));
      await tx.notifications.insertMany(notes);
      return true;
    });
    if (done) proposed++;
  }
  return { proposed };
}

export const proposalViewSchema = z
  .object({
    id: z.string(),
    unitOrgId: z.string(),
    unitName: z.string(),
    orgId: z.string(),
    rule: z.string(),
    caseIds: z.array(z.string()),
    status: z.enum(['open', 'opened', 'dismissed']),
    createdAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionReason: z.string().nullable(),
    reviewId: z.string().nullable(),
    /** The reviews opened by `open` (primary, supervision). */
    reviewIds: z.array(z.string()).optional(),
  })
  .meta({ id: 'DualProposal' });
export const proposalListSchema = z.object({ items: z.array(proposalViewSchema) }).meta({ id: 'DualProposalList' });
export const proposalListQuery = z.strictObject({ status: z.enum(['open', 'opened', 'dismissed']).optional() });
export const proposalDecisionSchema = z.strictObject({ reason: text(2000).optional(), factsAt: dateSchema.optional() }).meta({ id: 'DualProposalDecision' });

async function viewOf(deps: Deps, p: DualProposalRecord): Promise<z.output<typeof proposalViewSchema>> {
  const tree = await orgTree(deps.store);
  const { windowKey: _w, ...rest } = p;
  return { ...rest, unitName: tree.get(p.unitOrgId)?.name ?? p.unitOrgId };
}

export async function listProposals(deps: Deps, user: User, query: z.output<typeof proposalListQuery>): Promise<z.output<typeof proposalListSchema>> {
  const tree = await orgTree(deps.store);
  const items = await deps.store.duty.proposals.list({ orgIds: tree.subtree(user.orgId), status: query.status });
  return { items: await Promise.all(items.map((p) => viewOf(deps, p))) };
}

const dateOf = (v: unknown): string | undefined => (typeof v === 'string' && v.length >= 10 ? v.slice(0, 10) : undefined);

/**
 * When the head names no date, the reviews read the map on the latest facts date of the cases behind
 * the proposal (else their latest receipt): the leadership in post when the problems had recurred.
 */
async function latestFactsOf(deps: Deps, caseIds: readonly string[]): Promise<string | undefined> {
  let latest: string | undefined;
  for (const id of caseIds) {
    const c = await deps.store.cases.get(id);
    const at = dateOf(c?.data.factsAt) ?? dateOf(c?.data.receivedAt);
    if (at && (!latest || at > latest)) latest = at;
  }
  return latest;
}

/** The commission head of the deciding org opens the proposal (both reviews, stand-alone) or dismisses it with a reason. */
export async function decideProposal(deps: Deps, user: User, id: string, decision: 'open' | 'dismiss', body: z.output<typeof proposalDecisionSchema>) {
  const tree = await orgTree(deps.store);
  const p = await deps.store.duty.proposals.get(id);
  if (!p) throw notFound(`proposal ${id}`);
  requireInScope(tree, user, p.orgId, `proposal ${id}`);
  if (!user.roles.includes('commissionHead')) throw forbidden('role', 'a 一案双查 proposal is decided by the commission head');
  if (p.status !== 'open') throw new AppError('command_not_allowed', `proposal ${id} was already ${p.status}`, { allowedCommands: [] });
  if (decision === 'dismiss' && !body.reason) throw validationFailed([{ path: 'reason', message: 'a dismissal states its reason' }]);
  const at = deps.clock().toISOString();
  // The reviews open in the same transaction as the decision: two heads deciding at once open them once.
  let drafts: ReviewDraft[] = [];
  if (decision === 'open') {
    drafts = await draftReviews(deps, {
      unitOrgId: p.unitOrgId,
      kinds: ['primary', 'supervision'],
      source: 'frequencyTrigger',
      reason: body.reason ?? p.rule,
      factsAt: body.factsAt ?? (await latestFactsOf(deps, p.caseIds)),
      relatedCaseIds: p.caseIds,
      proposalId: p.id,
    });
  }
  const reviewIds = drafts.map((d) => d.base.id);
  const { ok } = await commitAndWake(deps, async (tx) => {
    const decided = await tx.duty.proposals.decide(id, {
      status: decision === 'open' ? 'opened' : 'dismissed',
      decidedBy: user.id,
      decidedAt: at,
      decisionReason: body.reason ?? null,
      reviewId: reviewIds[0] ?? null,
    });
    if (!decided) return { ok: false, outbox: [] };
    await tx.audit.append(id, { at, actor: user.id, action: decision === 'open' ? 'openProposal' : 'dismissProposal', outcome: 'accepted', from: 'open', to: decision === 'open' ? 'opened' : 'dismissed', detail: { reason: body.reason ?? null, reviewIds } });
    const { outbox } = await openReviews(tx, deps, user.id, drafts);
    return { ok: true, outbox };
  });
  if (!ok) throw new AppError('command_not_allowed', `proposal ${id} was decided meanwhile`, { allowedCommands: [] });
  return { ...(await viewOf(deps, (await deps.store.duty.proposals.get(id))!)), reviewIds };
}

/** An open proposal as the deciding commission head's inbox shows it, with the cases behind it. */
export interface ProposalInboxItem {
  id: string;
  unitOrgId: string;
  unitName: string;
  rule: string;
  createdAt: string;
  caseIds: string[];
  cases: Array<{ id: string; number: string; title: string; state: string }>;
  availableCommands: Array<'open' | 'dismiss'>;
}

/**
 * GET /inbox `proposals`: the open 一案双查 proposals the caller decides, i.e. those of his own org when
 * he is its commission head (decideProposal), oldest first. `cases` details the cases behind each
 * one that he may read (not those he is recused from); `caseIds` names them all.
 */
export async function proposalsAwaiting(deps: Deps, user: User): Promise<ProposalInboxItem[]> {
  if (!user.roles.includes('commissionHead')) return [];
  const open = await deps.store.duty.proposals.list({ orgIds: [user.orgId], status: 'open' });
  if (open.length === 0) return [];
  const tree = await orgTree(deps.store);
  const recused = await casesRecusedFrom(deps, user, open.flatMap((p) => p.caseIds));
  const items: ProposalInboxItem[] = [];
  for (const p of [...open].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const records = await Promise.all(p.caseIds.filter((id) => !recused.has(id)).map((id) => deps.store.cases.get(id)));
    items.push({
      id: p.id,
      unitOrgId: p.unitOrgId,
      unitName: tree.get(p.unitOrgId)?.name ?? p.unitOrgId,
      rule: p.rule,
      createdAt: p.createdAt,
      caseIds: p.caseIds,
      cases: records.flatMap((r) => (r ? [{ id: r.id, number: r.number, title: r.title, state: r.state }] : [])),
      availableCommands: ['open', 'dismiss'],
    });
  }
  return items;
}
