import { getNextTransitions, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { pureTransition } from './pure-transition';
import { hasRole, isSystem, type Actor, type UserRole } from './roles';
import { relaxable, relaxed } from './relaxation';

/**
 * Who may send a command (API.md "who" columns), as data the service and the machines share.
 * `roles`: any of the roles. `chain`: the next role of the pending approval, not the proposer.
 * `selfOrRoles`: the user concerned, or any of the roles. `assignedTrialReviewer`: one of the roles
 * and assigned to the case's trial. `system`: internal events, only from the system actor.
 */
export type CommandRule =
  | { kind: 'roles'; roles: readonly UserRole[] }
  | { kind: 'chain' }
  | { kind: 'selfOrRoles'; roles: readonly UserRole[] }
  | { kind: 'assignedTrialReviewer'; roles: readonly UserRole[] }
  | { kind: 'system' };

/** What the generic helpers need to know about one machine. */
export interface MachineSpec {
  /** User commands in display order (API.md tables). */
  commands: readonly string[];
  /** Rules for commands and internal events. */
  rules: Readonly<Record<string, CommandRule>>;
  /** Names of the declared effect actions the service turns into outbox rows. */
  effects: ReadonlySet<string>;
}

export interface Effect {
  type: string;
  params: unknown;
}

export interface StepResult<S> {
  accepted: boolean;
  snapshot: S;
  effects: Effect[];
}

export type RefusalReason = 'system_only' | 'role' | 'separation_of_duties' | 'command_not_allowed';

interface CommandEvent {
  type: string;
  actor: Actor;
}

/** Guard: the actor holds one of the roles the rule table gives the event's command. */
export function commandRoleGuard(rules: MachineSpec['rules']) {
  return relaxable<{ event: CommandEvent }>(['role'], ({ event }) => {
    const rule = rules[event.type];
    return rule !== undefined && 'roles' in rule && rule.roles.some((role) => hasRole(event.actor, role));
  });
}

/**
 * One step: accepted when the machine can take the event now (`snapshot.can`), then the pure
 * transition (see `pureTransition`); effects are the declared effect actions it returned, in order.
 */
export function step<S extends AnyMachineSnapshot>(spec: MachineSpec, machine: AnyStateMachine, snapshot: S, event: CommandEvent): StepResult<S> {
  if (!(event.type in spec.rules) || !snapshot.can(event)) return { accepted: false, snapshot, effects: [] };
  const [next, actions] = pureTransition(machine, snapshot, event as never);
  const effects = actions.filter((a) => spec.effects.has(a.type)).map((a) => ({ type: a.type, params: a.params }));
  return { accepted: true, snapshot: next as S, effects };
}

/**
 * Why the machine refused `event`, checked by relaxing guards: if the event would pass with every
 * role and separation-of-duties guard satisfied, the refusal is about the actor; if it then still
 * fails with only roles relaxed, separation of duties was needed (also for an actor who lacks the
 * role too, e.g. a proposer approving their own proposal). Meant for events `step` refused.
 */
export function explain(spec: MachineSpec, snapshot: AnyMachineSnapshot, event: CommandEvent): RefusalReason {
  const rule = spec.rules[event.type];
  if (!rule) return 'command_not_allowed';
  if (rule.kind === 'system') return isSystem(event.actor) ? 'command_not_allowed' : 'system_only';
  if (!snapshot.can(relaxed(event, ['role', 'separation']))) return 'command_not_allowed';
  if (!snapshot.can(relaxed(event, ['role']))) return 'separation_of_duties';
  return 'role';
}

/**
 * Commands the machine accepts now and this actor may send: every guard that depends on the actor
 * and the context is evaluated, payload-dependent guards count as satisfiable. Internal events are
 * never listed.
 */
export function available(spec: MachineSpec, snapshot: AnyMachineSnapshot, actor: Actor): string[] {
  // Only events some active state handles can pass; checking that first spares most guard runs.
  const handled = new Set(getNextTransitions(snapshot).map((t) => t.eventType));
  return spec.commands.filter((type) => handled.has(type) && snapshot.can(relaxed({ type, actor }, ['payload'])));
}
