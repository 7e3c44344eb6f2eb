import {
  REVIEW_MACHINE_VERSION,
  createReviewMachine,
  fromPersisted,
  reviewView,
  stepReview,
  toPersisted,
  type ReviewMachine,
  type ReviewSnapshot,
} from '../../machines';
import { machineModel, type AggregateModel } from '../commands/model';
import type { Deps } from '../deps';
import type { ReviewRecord, StoreTx } from '../store/port';

type ReviewModel = AggregateModel<ReviewRecord, ReviewSnapshot> & { machine: ReviewMachine };
const models = new WeakMap<Deps['policy'], ReviewModel>();

/** The accountability review (问责) aggregate as the command pipeline sees it (one per policy). */
export function reviewModel(deps: Pick<Deps, 'policy'>): ReviewModel {
  const hit = models.get(deps.policy);
  if (hit) return hit;
  const machine = createReviewMachine(deps.policy.machine);
  const model = machineModel({
    type: 'review',
    machine,
    label: 'review',
    table: 'reviews',
    repo: (tx: StoreTx) => tx.reviews,
    restore: (record: ReviewRecord) => fromPersisted(machine, { machineId: record.machineId, machineVersion: record.machineVersion, snapshot: record.snapshot as never }),
    step: (snapshot, event) => stepReview(machine, snapshot, event as never),
    project: (record, snapshot, now) => projectReview(machine, record, snapshot, now),
    receivedAt: () => undefined,
  });
  models.set(deps.policy, model);
  return model;
}

/** Stored columns from the snapshot; the approved findings' parties are kept for dispositions. */
export function projectReview(machine: ReviewMachine, record: ReviewRecord, snapshot: ReviewSnapshot, now: string): ReviewRecord {
  const persisted = toPersisted(machine, snapshot);
  const view = reviewView(snapshot);
  const parties = view.findings?.parties ?? (record.data.parties as unknown[] | undefined) ?? [];
  return {
    ...record,
    machineId: persisted.machineId,
    machineVersion: persisted.machineVersion ?? REVIEW_MACHINE_VERSION,
    snapshot: persisted.snapshot,
    state: view.state,
    // Kept for the lists' recusal filter (the store leaves these reviews out for these persons).
    data: { ...record.data, parties, involvedPersonIds: involvedPersonIds(record, snapshot) },
    updatedAt: now,
  };
}

const personIdsOf = (list: unknown): string[] =>
  Array.isArray(list) ? list.flatMap((p) => (p && typeof (p as { personId?: unknown }).personId === 'string' ? [(p as { personId: string }).personId] : [])) : [];

/**
 * The persons a review is about: the parties of its approved and proposed
 * findings, the targets of its measures, and parties suggested on the record. Each is recused from it.
 */
export function involvedPersonIds(record: ReviewRecord, snapshot: ReviewSnapshot): string[] {
  const { context } = snapshot;
  const proposed = context.pendingApproval?.kind === 'reviewFindings' ? (context.pendingApproval.payload as { parties?: unknown; proposedMeasures?: unknown }) : undefined;
  const targets = (list: unknown) => (Array.isArray(list) ? list.flatMap((m) => (typeof m?.target === 'string' && m.target !== 'organisation' ? [m.target as string] : [])) : []);
  return [
    ...new Set([
      ...personIdsOf(context.findings?.parties),
      ...personIdsOf(proposed?.parties),
      ...targets(context.measures),
      ...targets(proposed?.proposedMeasures),
      ...personIdsOf(record.data.parties),
      ...personIdsOf(record.data.suggestedParties),
    ]),
  ];
}
