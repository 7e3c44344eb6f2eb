import { randomUUID } from 'node:crypto';
import type { Actor } from '../../machines/shared/roles';
import type { Deps } from '../deps';
import { syncDeadlines } from '../deadlines/sync';
import { claimIdempotencyKey } from '../idempotency';
import type { AggregateBase, AuditEventInput, DeadlineRecord, OutboxRow, StoreTx } from '../store/port';
import { deadlineStepRows } from '../queues/rows';
import { applyEffects } from './effects';
import type { AggregateModel, Effect } from './model';

export interface CommitInput<R extends AggregateBase, S> {
  model: AggregateModel<R, S>;
  before: R;
  snapshot: S;
  effects: Effect[];
  actor: Actor;
  action: string;
  detail?: Record<string, unknown>;
}

export interface Committed<R> {
  record: R;
  deadlines: DeadlineRecord[];
  /** The outbox rows written, for the relay once committed. */
  outbox: OutboxRow[];
}

/**
 * One accepted command = one transaction (ARCHITECTURE §2): the compare-and-set update, the audit
 * event, the deadlines derived from the new state, and the effects as rows (outbox, dispositions).
 */
export async function commitStep<R extends AggregateBase, S>(tx: StoreTx, deps: Deps, input: CommitInput<R, S>): Promise<Committed<R>> {
  const now = deps.clock().toISOString();
  const { model, before } = input;
  const after = model.project(before, input.snapshot, now);
  const stored = { ...after, version: before.version + 1 };
  // A request's Idempotency-Key commits with the change it causes (or this transaction fails).
  await claimIdempotencyKey(tx, input.actor.id, model.type, before.id);
  // One round trip on PostgreSQL: the compare-and-set (which locks the row), the audit head lock,
  // and the aggregate's deadlines as of now, locked: a worker taking a step of one waits for this
  // commit and then finds it closed.
  const [, , existing] = await tx.batch(
    () => model.repo(tx).update(after, before.version),
    () => tx.audit.append(before.id, auditOf(input, before.state, stored.state, now)),
    () => tx.deadlines.listByAggregate(model.type, before.id, { lock: true }),
  );
  const { opened, closed } = syncDeadlines({
    aggregateType: model.type,
    aggregateId: before.id,
    orgId: before.orgId,
    activeKeys: model.deadlineKeys(input.snapshot),
    existing,
    now,
    // The record after the transition: a reopened clue's clock counts from the reopening.
    receivedAt: model.receivedAt(after),
    calendar: deps.calendar,
    overrides: deps.policy.overrides,
    policies: deps.policy.deadlines,
    newId: randomUUID,
  });
  for (const d of closed) await tx.deadlines.update(d);
  for (const d of opened) await tx.deadlines.insert(d);
  const outbox: OutboxRow[] = opened.flatMap((d) => deadlineStepRows(d, now));

  const byId = new Map(existing.map((d) => [d.id, d]));
  for (const d of [...closed, ...opened]) byId.set(d.id, d);
  const deadlines = [...byId.values()];
  outbox.push(...(await applyEffects(tx, deps, { aggregate: stored, type: model.type, effects: input.effects, deadlines, now, actorId: input.actor.id })));
  if (outbox.length) await tx.outbox.insert(outbox);
  return { record: stored, deadlines, outbox };
}

function auditOf<R extends AggregateBase, S>(input: CommitInput<R, S>, from: string, to: string, at: string): AuditEventInput {
  return { at, actor: input.actor.id, action: input.action, outcome: 'accepted', from, to, ...(input.detail ? { detail: input.detail } : {}) };
}

/** Records a refused command in the aggregate's chain, in its own transaction. */
export async function auditRefusal(
  deps: Deps,
  stream: string,
  state: string,
  actor: Actor,
  action: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await deps.store.audit.append(stream, {
    at: deps.clock().toISOString(),
    actor: actor.id,
    action,
    outcome: 'refused',
    from: state,
    to: state,
    detail,
  });
}
