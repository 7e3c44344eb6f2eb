import type { Actor } from '../../machines/shared/roles';
import type { AggregateBase, AggregateRepo, AggregateType, StoreTx } from '../store/port';

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
