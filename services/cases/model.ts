import {
  CASE_MACHINE_VERSION,
  createCaseMachine,
  dualStateString,
  fromPersisted,
  stateValueString,
  stepCase,
  toPersisted,
  type CaseContext,
  type CaseMachine,
  type CaseSnapshot,
} from '../../machines';
import type { Deps } from '../deps';
import { machineModel, type AggregateModel } from '../commands/model';
import type { CaseRecord, StoreTx } from '../store/port';

type CaseModel = AggregateModel<CaseRecord, CaseSnapshot> & { machine: CaseMachine };

const models = new WeakMap<Deps['policy'], CaseModel>();

/** The case aggregate as the command pipeline sees it (one per policy). */
export function caseModel(deps: Pick<Deps, 'policy'>): CaseModel {
  const hit = models.get(deps.policy);
  if (hit) return hit;
  const machine = createCaseMachine(deps.policy.machine);
  const model = machineModel({
    type: 'case',
    machine,
    label: 'case',
    table: 'cases',
    repo: (tx: StoreTx) => tx.cases,
    restore: (record: CaseRecord) =>
      fromPersisted(machine, { machineId: record.machineId, machineVersion: record.machineVersion, snapshot: withRegisteredSubjects(record) as never }),
    step: (snapshot, event) => stepCase(machine, snapshot, event as never),
    project: (record, snapshot, now) => projectCase(machine, record, snapshot, now),
    // A clue reopened from 暂存待查 counts its disposition clock from the reopening (the state's entry).
    receivedAt: (record) => (reopened(record) ? undefined : (record.data as { receivedAt?: string }).receivedAt),
  });
  models.set(deps.policy, model);
  return model;
}

/** Stored columns derived from the snapshot: state for filtering, assignees, flags, the snapshot itself. */
export function projectCase(machine: CaseMachine, record: CaseRecord, snapshot: CaseSnapshot, now: string): CaseRecord {
  const persisted = toPersisted(machine, snapshot);
  const context = snapshot.context as CaseContext;
  return {
    ...record,
    machineId: persisted.machineId,
    machineVersion: persisted.machineVersion ?? CASE_MACHINE_VERSION,
    snapshot: persisted.snapshot,
    state: stateValueString(snapshot),
    dualState: dualStateString(snapshot),
    assignees: [...context.assignees],
    flags: [...context.flags],
    updatedAt: now,
  };
}

function reopened(record: CaseRecord): boolean {
  return (record.snapshot as { context?: { reopened?: boolean } } | null)?.context?.reopened === true;
}

/**
 * A version-1 snapshot's subjects lack party membership, public office and leadership: take them
 * from the registered subjects before the machine's migration fills the remaining defaults.
 */
function withRegisteredSubjects(record: CaseRecord): unknown {
  const snapshot = record.snapshot as { context?: { subjects?: Array<Record<string, unknown>> } } | null;
  const subjects = snapshot?.context?.subjects;
  if (record.machineVersion !== 1 || !subjects) return snapshot;
  const registered = new Map(((record.data.subjects as Array<Record<string, unknown>> | undefined) ?? []).map((s) => [s.personId, s]));
  const filled = subjects.map((s) => {
    const r = registered.get(s.personId);
    return r ? { ...s, partyMember: r.partyMember ?? true, publicOfficial: r.publicOfficial ?? true } : s;
  });
  return { ...snapshot, context: { ...snapshot!.context, subjects: filled } };
}
