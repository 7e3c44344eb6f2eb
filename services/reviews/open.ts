import { randomUUID } from 'node:crypto';
import { PARTY_LED_REVIEW_APPROVALS } from '../../config/dual-investigation';
import { initialReview, type ReviewKind, type ReviewSnapshot } from '../../machines';
import { orgTree, type OrgTree } from '../authz';
import type { Deps } from '../deps';
import { SYSTEM_USER } from '../principal';
import { commitAndWake, commitNew } from '../commands/commit';
import { tellAggregate } from '../queues/tell';
import { DuplicateError, type CaseRecord, type ReviewRecord } from '../store/port';
import { reviewModel } from './model';

/** Thrown for a job that can never succeed (the case is gone): workers turn it into UnrecoverableError. */
export class PermanentJobError extends Error {}

/**
 * The `openReview` job (一案双查): creates the case's review of `kind` once (unique on case + kind,
 * so a repeated job reuses it), then tells the case with `review.opened`. Safe to run any number of times.
 */
export async function openReview(deps: Deps, caseId: string, kind: ReviewKind, requestedAt?: string): Promise<ReviewRecord> {
  const review = await findOrCreateReview(deps, caseId, kind, requestedAt);
  await tellCase(deps, caseId, { type: 'review.opened', kind, reviewId: review.id });
  return review;
}

/** The `reviewConcluded` job: tells the case the review's outcome. Idempotent. */
export async function reportReviewConcluded(deps: Deps, reviewId: string): Promise<void> {
  const record = await deps.store.reviews.get(reviewId);
  if (!record) throw new PermanentJobError(`review ${reviewId} does not exist`);
  // A stand-alone review (services/accountability) has no case to tell.
  if (record.caseId.startsWith('standalone:')) return;
  const context = reviewModel(deps).restore(record).context;
  if (!context.outcome) throw new PermanentJobError(`review ${reviewId} has no outcome yet`);
  await tellCase(deps, record.caseId, { type: 'review.concluded', kind: record.kind, outcome: context.outcome, reviewId });
}

/** Sends an internal event; one the case already took (a repeated job) is refused and ignored. */
async function tellCase(deps: Deps, caseId: string, event: Record<string, unknown>): Promise<void> {
  if ((await tellAggregate(deps, 'case', caseId, event)) === 'missing') throw new PermanentJobError(`case ${caseId} does not exist`);
}

/**
 * The review of `kind`, made if no earlier run made it: one transaction reads it (and the case to
 * make it from) and writes it. `requestedAt`: when the trigger was committed (the job's enqueue
 * time), for time-to-open statistics.
 */
async function findOrCreateReview(deps: Deps, caseId: string, kind: ReviewKind, requestedAt?: string): Promise<ReviewRecord> {
  const tree = await orgTree(deps.store);
  const model = reviewModel(deps);
  try {
    const { record } = await commitAndWake(deps, async (tx) => {
      const [existing, kase] = await tx.batch(
        () => tx.reviews.getByCaseAndKind(caseId, kind),
        () => tx.cases.get(caseId),
      );
      if (existing) return { record: existing, outbox: [] };
      if (!kase) throw new PermanentJobError(`case ${caseId} does not exist`);
      const now = deps.clock().toISOString();
      const { base, snapshot } = newReview(model, tree, kase, kind, now, requestedAt);
      return commitNew(tx, deps, {
        model,
        base,
        snapshot,
        actorId: SYSTEM_USER.id,
        action: 'open',
        detail: { caseId, kind },
        now,
        insert: async (t, review) => {
          await t.reviews.insert(review);
          return review;
        },
      });
    });
    return record;
  } catch (err) {
    // Both jobs of a retried pair may race here: the unique (case, kind) key keeps one review.
    if (err instanceof DuplicateError) {
      const existing = await deps.store.reviews.getByCaseAndKind(caseId, kind);
      if (existing) return existing;
    }
    throw err;
  }
}

/** A new review of `kind` for the case, targeting the subject's unit. */
function newReview(model: ReturnType<typeof reviewModel>, tree: OrgTree, kase: CaseRecord, kind: ReviewKind, now: string, requestedAt?: string): { base: ReviewRecord; snapshot: ReviewSnapshot } {
  // The unit under review is the subject's: its party committee (主体责任) or discipline body (监督责任).
  const subjects = (kase.data.subjects as Array<{ orgId: string }> | undefined) ?? [];
  const targetOrg = tree.get(subjects.find((s) => tree.get(s.orgId))?.orgId ?? kase.orgId) ?? tree.get(kase.orgId);
  const target = kind === 'primary' ? 'partyCommittee' : 'disciplineBody';
  const targetName =
    (kind === 'primary' ? targetOrg?.partyCommittee : targetOrg?.disciplineBody) ?? `${targetOrg?.name ?? ''}${kind === 'primary' ? '党委' : '纪委'}`;
  const id = randomUUID();
  // 问责条例 Art 9: the township's party committee is directly led by the party committee at the
  // handling commission's level, whose secretary then approves the start and some measures.
  const partyLed = PARTY_LED_REVIEW_APPROVALS && kind === 'primary' && targetOrg !== undefined && targetOrg.parentId === kase.orgId;
  const { snapshot } = initialReview(model.machine, { reviewId: id, caseId: kase.id, kind, orgId: kase.orgId, partyLed });
  const base: ReviewRecord = {
    id,
    caseId: kase.id,
    kind,
    target,
    orgId: kase.orgId,
    machineId: '',
    machineVersion: 0,
    snapshot: null,
    state: '',
    assignees: [...kase.assignees],
    data: { targetOrgId: targetOrg?.id ?? kase.orgId, targetName, requestedAt: requestedAt ?? now, trigger: (kase.snapshot as { context?: { dual?: { trigger?: string } } })?.context?.dual?.trigger ?? null },
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  return { base, snapshot };
}
