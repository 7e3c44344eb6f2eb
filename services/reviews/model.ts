import {
  REVIEW_MACHINE_VERSION,
  activeDeadlineKeys,
  availableCommands,
  createReviewMachine,
  explainRefusal,
  fromPersisted,
  reviewView,
  stepReview,
  toPersisted,
  type ReviewMachine,
  type ReviewSnapshot,
} from '../../machines';
import type { AggregateModel } from '../aggregates/model';
import type { Deps } from '../deps';
import { StoreDataError, type ReviewRecord, type StoreTx } from '../store/port';

type ReviewModel = AggregateModel<ReviewRecord, ReviewSnapshot> & { machine: ReviewMachine };
const models = new WeakMap<Deps['policy'], ReviewModel>();

/** The accountability review (问责) aggregate as the command pipeline sees it. */
export function reviewModel(deps: Pick<Deps, 'policy'>): ReviewModel {
  const hit = models.get(deps.policy);
  if (hit) return hit;
  const machine = createReviewMachine(deps.policy.machine);
  const model: ReviewModel = {
    type: 'review',
    machine,
    repo: (tx: StoreTx) => tx.reviews,
    restore: (record) => {
      try {
        return fromPersisted(machine, { machineId: record.machineId, machineVersion: record.machineVersion, snapshot: record.snapshot as never });
      } catch (err) {
        throw new StoreDataError(`review ${record.id}: stored snapshot cannot be restored: ${(err as Error).message}`, `reviews/${record.id}`);
      }
    },
    step: (snapshot, event) => stepReview(machine, snapshot, event as never),
    explainRefusal: (snapshot, event) => explainRefusal(machine, snapshot, event),
    availableCommands: (snapshot, actor) => availableCommands(machine, snapshot, actor),
    deadlineKeys: (snapshot) => activeDeadlineKeys(snapshot),
    project: (record, snapshot, now) => projectReview(machine, record, snapshot, now),
    receivedAt: () => undefined,
  };
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
    data: { ...record.data, parties },
    updatedAt: now,
  };
}
