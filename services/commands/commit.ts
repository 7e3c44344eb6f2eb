import { randomUUID } from 'node:crypto';
import type { Actor } from '../../machines/shared/roles';
import type { Deps } from '../deps';
import { syncDeadlines } from '../deadlines/sync';
import { claimIdempotencyKey } from '../idempotency';
import type { AggregateBase, AuditEventInput, DeadlineRecord, Notification, OutboxRow, StoreTx } from '../store/port';
import { nextStepRows } from '../queues/rows';
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
 * The one commit path (ARCHITECTURE §2). Everything that changes an aggregate commits through
 * `commitNew` (a new aggregate) or `commitStep` (an accepted command), and every row a commit writes
 * besides the aggregate goes through `writeRows`: one transaction holds the aggregate, its audit
 * event, the deadlines derived from its state, the escalation-step jobs of the clocks it opened and
 * the outbox rows of its effects. `commitAndWake` hands the outbox rows to the relay after commit.
 */

/** The rows a commit writes besides the aggregate, in this order. */
export interface Rows {
  /** Deadlines whose record changed (closed, extended, escalated). */
  changed?: readonly DeadlineRecord[];
  /** Deadlines opened. */
  opened?: readonly DeadlineRecord[];
  notifications?: readonly Notification[];
  outbox?: readonly OutboxRow[];
}

/** Writes `rows` in the transaction (held-back or pipelined by the store where it can). */
export async function writeRows(tx: StoreTx, rows: Rows): Promise<void> {
  for (const d of rows.changed ?? []) await tx.deadlines.update(d);
  for (const d of rows.opened ?? []) await tx.deadlines.insert(d);
  if (rows.notifications?.length) await tx.notifications.insertMany([...rows.notifications]);
  if (rows.outbox?.length) await tx.outbox.insert([...rows.outbox]);
}

/** Runs `work` in one transaction, then hands the outbox rows it wrote to the relay. */
export async function commitAndWake<T extends { outbox: OutboxRow[] }>(deps: Deps, work: (tx: StoreTx) => Promise<T>): Promise<T> {
  const committed = await deps.store.transaction(work);
  deps.wake(committed.outbox);
  return committed;
}

export interface NewAggregateInput<R extends AggregateBase, S> {
  model: AggregateModel<R, S>;
  /** The record; the columns its snapshot derives are filled in by `model.project`. */
  base: R;
  snapshot: S;
  actorId: string;
  action: string;
  detail?: Record<string, unknown>;
  now: string;
  /** Outbox rows of what the caller wrote beside it (e.g. the notices of a registration). */
  outbox?: OutboxRow[];
  /** Deadline policies of this aggregate alone (a talk's follow-up item has its own period). */
  policies?: Deps['policy']['deadlines'];
  /**
   * Made by another aggregate's step (a split): the outbox rows are returned for that step to
   * write with its own, not written here.
   */
  nested?: boolean;
  /** Inserts the record, last: a lock it takes (the org's case-number counter) is held shortest. Answers the stored record. */
  insert(tx: StoreTx, record: R): Promise<R>;
}

/** A new aggregate: its record, its audit event, the clocks of its first state and their step jobs. */
export async function commitNew<R extends AggregateBase, S>(tx: StoreTx, deps: Deps, input: NewAggregateInput<R, S>): Promise<Committed<R>> {
  const { model, now } = input;
  const record = model.project(input.base, input.snapshot, now);
  await claimIdempotencyKey(tx, input.actorId, model.type, record.id);
  await tx.audit.append(record.id, { at: now, actor: input.actorId, action: input.action, outcome: 'accepted', from: null, to: record.state, ...(input.detail ? { detail: input.detail } : {}) });
  const { opened } = syncDeadlines({ ...syncInput(deps, model, record, input.snapshot, [], now), ...(input.policies ? { policies: input.policies } : {}) });
  const outbox = [...opened.flatMap((d) => nextStepRows(d, now)), ...(input.outbox ?? [])];
  await writeRows(tx, { opened, outbox: input.nested ? [] : outbox });
  return { record: await input.insert(tx, record), deadlines: opened, outbox };
}

/**
 * One accepted command = one transaction: the compare-and-set update, the audit event, the
 * deadlines derived from the new state, and the effects as rows (outbox, dispositions).
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
  // The record after the transition: a reopened clue's clock counts from the reopening.
  const { opened, closed } = syncDeadlines(syncInput(deps, model, after, input.snapshot, existing, now));
  await writeRows(tx, { changed: closed, opened });
  const outbox: OutboxRow[] = opened.flatMap((d) => nextStepRows(d, now));

  const byId = new Map(existing.map((d) => [d.id, d]));
  for (const d of [...closed, ...opened]) byId.set(d.id, d);
  const deadlines = [...byId.values()];
  outbox.push(...(await applyEffects(tx, deps, { aggregate: stored, type: model.type, effects: input.effects, deadlines, now, actorId: input.actor.id })));
  await writeRows(tx, { outbox });
  return { record: stored, deadlines, outbox };
}

/** The deadlines of `record` in `snapshot`'s states, against the ones it has. */
function syncInput<R extends AggregateBase, S>(deps: Deps, model: AggregateModel<R, S>, record: R, snapshot: S, existing: DeadlineRecord[], now: string) {
  return {
    aggregateType: model.type,
    aggregateId: record.id,
    orgId: record.orgId,
    activeKeys: model.deadlineKeys(snapshot),
    existing,
    now,
    receivedAt: model.receivedAt(record),
    calendar: deps.calendar,
    overrides: deps.policy.overrides,
    policies: deps.policy.deadlines,
    newId: randomUUID,
  };
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
