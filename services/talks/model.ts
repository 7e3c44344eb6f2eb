import {
  FOLLOW_UP_MACHINE_VERSION,
  createFollowUpMachine,
  explainFollowUpRefusal,
  followUpCommands,
  persistFollowUp,
  restoreFollowUp,
  stepFollowUp,
  type FollowUpMachine,
  type FollowUpSnapshot,
} from '../../machines/talk/follow-up';
import { activeDeadlineKeys } from '../../machines/shared/deadlines';
import { dotted } from '../../machines/shared/state-value';
import type { AggregateModel } from '../commands/model';
import type { Deps } from '../deps';
import type { FollowUpRecord } from '../store/duty-port';
import { StoreDataError, type StoreTx } from '../store/port';

export type FollowUpModel = AggregateModel<FollowUpRecord, FollowUpSnapshot> & { machine: FollowUpMachine };
const models = new WeakMap<Deps['clock'], FollowUpModel>();

/** A talk's follow-up item (整改事项) as the command pipeline sees it. */
export function followUpModel(deps: Pick<Deps, 'clock'>): FollowUpModel {
  const hit = models.get(deps.clock);
  if (hit) return hit;
  const machine = createFollowUpMachine(() => deps.clock().toISOString());
  const model: FollowUpModel = {
    type: 'followUp',
    machine,
    repo: (tx: StoreTx) => tx.duty.followUps,
    restore: (record) => {
      try {
        return restoreFollowUp(machine, { machineId: record.machineId, machineVersion: record.machineVersion, snapshot: record.snapshot as never });
      } catch (err) {
        throw new StoreDataError(`follow-up ${record.id}: stored snapshot cannot be restored: ${(err as Error).message}`, `talk_follow_ups/${record.id}`);
      }
    },
    step: (snapshot, event) => stepFollowUp(machine, snapshot, event as never),
    explainRefusal: (snapshot, event) => explainFollowUpRefusal(snapshot, event),
    availableCommands: (snapshot, actor) => followUpCommands(snapshot, actor),
    deadlineKeys: (snapshot) => activeDeadlineKeys(snapshot),
    project: (record, snapshot, now) => projectFollowUp(machine, record, snapshot, now),
    receivedAt: () => undefined,
  };
  models.set(deps.clock, model);
  return model;
}

export function projectFollowUp(machine: FollowUpMachine, record: FollowUpRecord, snapshot: FollowUpSnapshot, now: string): FollowUpRecord {
  const persisted = persistFollowUp(machine, snapshot);
  return {
    ...record,
    machineId: persisted.machineId,
    machineVersion: persisted.machineVersion ?? FOLLOW_UP_MACHINE_VERSION,
    snapshot: persisted.snapshot,
    state: dotted(snapshot.value),
    updatedAt: now,
  };
}
