import type { z } from 'zod';
import type { CommandRule } from '../../machines/shared/commands';
import type { Actor } from '../../machines/shared/roles';
import type { Deps } from '../deps';
import { AppError, type FieldError } from '../errors';
import { actorOf, isSystemUser } from '../principal';
import { VersionConflictError, type AggregateBase, type DeadlineRecord, type User } from '../store/port';
import { parseCommand, refusalError, requireRoleFor, type ParsedCommand } from './command';
import { auditRefusal, commitStep, type Committed } from './commit';
import { requireKnownUsers } from './named-users';
import type { AggregateModel } from './model';
import { forgetRecord, rememberRecord, rememberedRecord } from './record-cache';

export type MachineEvent = { type: string; actor: Actor } & Record<string, unknown>;

export interface Loaded<R extends AggregateBase, S> {
  record: R;
  snapshot: S;
}

/** What differs between the aggregates that take commands (case, review). */
export interface CommandTarget<R extends AggregateBase, S, L extends Loaded<R, S>> {
  model: AggregateModel<R, S>;
  commands: Readonly<Record<string, z.ZodType>>;
  internal: Readonly<Record<string, z.ZodType>>;
  rules: Readonly<Record<string, CommandRule>>;
  /** 404 outside scope, 403 recusal. With `known`, checks that record instead of reading it. */
  load(deps: Deps, user: User, id: string, known?: R): Promise<L>;
  /** Payload checks that need the record (e.g. measures naming non-subjects), as 400 field errors. */
  payloadIssues(snapshot: S, event: MachineEvent): FieldError[];
  /** Adds what the machine needs beyond the payload (e.g. the roles of named reviewers). */
  enrich?(deps: Deps, command: ParsedCommand, event: MachineEvent): Promise<MachineEvent>;
  view(deps: Deps, user: User, loaded: L, deadlines: DeadlineRecord[]): Promise<Record<string, unknown>>;
}

/** A lost compare-and-set without `expectedVersion` is retried on the fresh record this many times. */
const MAX_ATTEMPTS = 5;

/**
 * A command on an aggregate (ARCHITECTURE §2), counted and timed: validate, then the story
 * (`attempt`). Every refusal after the record is found is audited in its chain.
 */
export async function runCommand<R extends AggregateBase, S, L extends Loaded<R, S>>(
  deps: Deps,
  target: CommandTarget<R, S, L>,
  user: User,
  id: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const stop = deps.metrics.commandSeconds.startTimer({ aggregate: target.model.type });
  let type = typeof (body as { type?: unknown })?.type === 'string' ? String((body as { type: string }).type).slice(0, 40) : 'invalid';
  try {
    const command = parseCommand(body, target.commands, target.internal, user);
    type = command.type;
    await requireKnownUsers(deps.store, command);
    const view = await attempt(deps, target, user, id, command);
    deps.metrics.commands.inc({ aggregate: target.model.type, type, outcome: 'accepted' });
    return view;
  } catch (err) {
    deps.metrics.commands.inc({ aggregate: target.model.type, type: err instanceof AppError ? type : 'error', outcome: err instanceof AppError ? 'refused' : 'error' });
    throw err;
  } finally {
    stop({ type });
  }
}

/**
 * The story of one command, once parsed: validate → authorize → load → transition → commit → view,
 * decided again on a fresh record when the first decision's record was stale (`decideRetrying`).
 */
async function attempt<R extends AggregateBase, S, L extends Loaded<R, S>>(
  deps: Deps,
  target: CommandTarget<R, S, L>,
  user: User,
  id: string,
  command: ParsedCommand,
): Promise<Record<string, unknown>> {
  const type = target.model.type;
  const { loaded, snapshot, committed } = await decideRetrying(deps, target, user, id, command);
  // After the commit nothing may send the command back for another try.
  rememberRecord(deps.store, type, committed.record);
  deps.wake(committed.outbox);
  // Workers read nothing of the answer: spare them the view's queries.
  if (isSystemUser(user)) return { id: committed.record.id, state: committed.record.state, version: committed.record.version };
  return target.view(deps, user, { ...loaded, record: committed.record, snapshot }, committed.deadlines);
}

interface Decided<R, S, L> {
  loaded: L;
  snapshot: S;
  committed: Committed<R>;
}

/**
 * One decision: load (scope, recusal) → check the expected version → authorize → transition →
 * commit. `seen` keeps the record once loaded, for auditing a refusal in its chain.
 */
async function decide<R extends AggregateBase, S, L extends Loaded<R, S>>(
  deps: Deps,
  target: CommandTarget<R, S, L>,
  user: User,
  command: ParsedCommand,
  id: string,
  known: R | undefined,
  seen: { record?: R },
): Promise<Decided<R, S, L>> {
  const { model } = target;
  const loaded = await target.load(deps, user, id, known);
  seen.record = loaded.record;
  if (command.expectedVersion !== undefined && command.expectedVersion !== loaded.record.version) {
    throw new AppError('version_conflict', `${model.type} ${id} is at version ${loaded.record.version}, not ${command.expectedVersion}`);
  }
  requireRoleFor(target.rules, command.type, user);
  let event: MachineEvent = { ...command.payload, type: command.type, actor: actorOf(user) };
  if (target.enrich) event = await target.enrich(deps, command, event);
  const result = model.step(loaded.snapshot, event);
  if (!result.accepted) throw refusalError(model, loaded.snapshot, event, target.payloadIssues(loaded.snapshot, event));
  const committed = await deps.store.transaction((tx) =>
    commitStep(tx, deps, { model, before: loaded.record, snapshot: result.snapshot, effects: result.effects, actor: event.actor, action: command.type, detail: command.auditDetail }),
  );
  return { loaded, snapshot: result.snapshot, committed };
}

/**
 * `decide`, first on the remembered record (services/commands/record-cache.ts), then on what the
 * store holds: a decision on a remembered record that loses its compare-and-set or is refused is
 * made again on a fresh read; a lost compare-and-set without `expectedVersion` is retried up to
 * MAX_ATTEMPTS times. A refusal that stands is audited in the aggregate's chain.
 */
async function decideRetrying<R extends AggregateBase, S, L extends Loaded<R, S>>(
  deps: Deps,
  target: CommandTarget<R, S, L>,
  user: User,
  id: string,
  command: ParsedCommand,
): Promise<Decided<R, S, L>> {
  const type = target.model.type;
  let remembered = rememberedRecord<R>(deps.store, type, id);
  for (let n = 1; ; n++) {
    const known = remembered;
    // Only the first attempt may start from memory; every retry reads the store.
    remembered = undefined;
    const seen: { record?: R } = {};
    try {
      return await decide(deps, target, user, command, id, known, seen);
    } catch (caught) {
      let err = caught;
      if (known !== undefined && (err instanceof VersionConflictError || err instanceof AppError)) {
        forgetRecord(deps.store, type, id);
        continue;
      }
      if (err instanceof VersionConflictError) {
        forgetRecord(deps.store, type, id);
        if (command.expectedVersion === undefined && n < MAX_ATTEMPTS) continue;
        err = new AppError('version_conflict', `${type} ${id} changed meanwhile; reload and retry`);
      }
      await auditRefused(deps, target, user, id, command.type, err, seen.record);
      throw err;
    }
  }
}

async function auditRefused<R extends AggregateBase, S, L extends Loaded<R, S>>(
  deps: Deps,
  target: CommandTarget<R, S, L>,
  user: User,
  id: string,
  type: string,
  err: unknown,
  loaded: R | undefined,
): Promise<void> {
  if (!(err instanceof AppError)) return;
  // Refusals of scope and recusal happen before the record is handed out: look it up to audit them too.
  const record = loaded ?? (err.code === 'not_found' || err.code === 'forbidden' ? await deps.store.transaction((tx) => target.model.repo(tx).get(id)) : null);
  if (!record) return;
  const detail = { code: err.code, ...(err.reason ? { reason: err.reason } : {}) };
  await auditRefusal(deps, id, record.state, actorOf(user), type, detail).catch((auditErr: unknown) =>
    deps.logger.error({ err: auditErr, id }, 'refused command not audited'),
  );
}
