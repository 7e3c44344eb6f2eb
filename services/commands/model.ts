import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { activeDeadlineKeys, availableCommands, explainRefusal } from '../../machines';
import type { Actor } from '../../machines/shared/roles';
import { StoreDataError, type AggregateBase, type AggregateRepo, type AggregateType, type StoreTx } from '../store/port';

import type { Effect, RefusalReason, StepResult } from '../../machines/shared/commands';

export type { Effect, RefusalReason, StepResult };

/**
 * What the command pipeline needs to know about one kind of aggregate (case, review): how to load
 * its machine snapshot, step it, and derive the stored columns from it.
 */
export interface AggregateModel<R extends AggregateBase, S> {
  type: AggregateType;
  repo(tx: StoreTx): AggregateRepo<R, any>;
  restore(record: R): S;
  step(snapshot: S, event: { type: string; actor: Actor } & Record<string, unknown>): StepResult<S>;
  explainRefusal(snapshot: S, event: { type: string; actor: Actor } & Record<string, unknown>): RefusalReason;
  availableCommands(snapshot: S, actor: Actor): string[];
  deadlineKeys(snapshot: S): string[];
  /** The record with columns re-derived from `snapshot` (state, persisted snapshot, assignees …). */
  project(record: R, snapshot: S, now: string): R;
  /** Start of `from: 'receivedAt'` clocks. */
  receivedAt(record: R): string | undefined;
}

/** What differs between the machine-backed aggregates; `machineModel` adds what they share. */
export interface MachineModelParts<R extends AggregateBase, S extends AnyMachineSnapshot, M extends AnyStateMachine>
  extends Pick<AggregateModel<R, S>, 'type' | 'repo' | 'step' | 'project' | 'receivedAt'> {
  machine: M;
  /** Names the record in the error of a snapshot that cannot be restored: `case`, `cases`. */
  label: string;
  table: string;
  /** The snapshot of a stored record; may throw (reported as StoreDataError). */
  restore(record: R): S;
}

/** An aggregate model from its machine: restoring (a failure is a StoreDataError), refusals, commands and clocks as every machine has them. */
export function machineModel<R extends AggregateBase, S extends AnyMachineSnapshot, M extends AnyStateMachine>(
  parts: MachineModelParts<R, S, M>,
): AggregateModel<R, S> & { machine: M } {
  const { machine, label, table } = parts;
  return {
    type: parts.type,
    machine,
    repo: parts.repo,
    restore: (record) => {
      try {
        return parts.restore(record);
      } catch (err) {
        throw new StoreDataError(`${label} ${record.id}: stored snapshot cannot be restored: ${(err as Error).message}`, `${table}/${record.id}`);
      }
    },
    step: parts.step,
    explainRefusal: (snapshot, event) => explainRefusal(machine as never, snapshot, event as never),
    availableCommands: (snapshot, actor) => availableCommands(machine as never, snapshot, actor),
    deadlineKeys: (snapshot) => activeDeadlineKeys(snapshot),
    project: parts.project,
    receivedAt: parts.receivedAt,
  };
}
