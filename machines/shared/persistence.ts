import type { AnyStateMachine, SnapshotFrom } from 'xstate';
import { migrations, type SnapshotJson } from './migrations';

/** What the store keeps per aggregate (ARCHITECTURE.md §3). */
export interface PersistedMachineSnapshot {
  machineId: string;
  machineVersion: number;
  snapshot: SnapshotJson;
}

/**
 * A stored snapshot this code cannot restore: another machine, a version with no migration path to
 * the current one (e.g. written by newer code), or a state the machine does not have. The runtime
 * branches on it: the aggregate is refused, not silently reset.
 */
export class MachineVersionError extends Error {
  constructor(
    readonly machineId: string,
    readonly machineVersion: number,
    message: string,
  ) {
    super(message);
    this.name = 'MachineVersionError';
  }
}

/** The snapshot as plain JSON data, tagged with the machine's id and version. */
export function persist<M extends AnyStateMachine>(machine: M, version: number, snapshot: SnapshotFrom<M>): PersistedMachineSnapshot {
  const json = machine.getPersistedSnapshot(snapshot) as SnapshotJson;
  return { machineId: machine.id, machineVersion: version, snapshot: json };
}

function migrate(persisted: PersistedMachineSnapshot, version: number): SnapshotJson {
  const { machineId, machineVersion } = persisted;
  if (!Number.isInteger(machineVersion) || machineVersion > version) {
    throw new MachineVersionError(machineId, machineVersion, `${machineId} snapshot has version ${machineVersion}, this code knows up to ${version}`);
  }
  let json = persisted.snapshot;
  for (let from = machineVersion; from < version; from++) {
    const step = migrations[machineId]?.[from];
    if (!step) throw new MachineVersionError(machineId, machineVersion, `no migration for ${machineId} from version ${from} to ${from + 1}`);
    json = step(json);
  }
  return json;
}

/** Restores a stored snapshot, migrating it first; throws `MachineVersionError` when it cannot. */
export function restore<M extends AnyStateMachine>(machine: M, version: number, persisted: PersistedMachineSnapshot): SnapshotFrom<M> {
  if (persisted?.machineId !== machine.id) {
    throw new MachineVersionError(String(persisted?.machineId), Number(persisted?.machineVersion), `snapshot of machine '${persisted?.machineId}' given to machine '${machine.id}'`);
  }
  const json = migrate(persisted, version);
  if (!json || typeof json !== 'object' || json.value === undefined || typeof json.context !== 'object' || json.context === null) {
    throw new MachineVersionError(machine.id, persisted.machineVersion, `${machine.id} snapshot lacks a state value or context`);
  }
  try {
    return machine.resolveState({
      value: json.value as never,
      context: json.context,
      status: json.status as never,
      output: json.output,
      error: json.error,
    }) as SnapshotFrom<M>;
  } catch (error) {
    throw new MachineVersionError(machine.id, persisted.machineVersion, `${machine.id} snapshot state ${JSON.stringify(json.value)} does not exist: ${(error as Error).message}`);
  }
}
