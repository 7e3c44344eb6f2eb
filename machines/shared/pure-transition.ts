import { createActor, type ActorScope, type AnyStateMachine, type EventFromLogic, type ExecutableActionsFrom, type SnapshotFrom } from 'xstate';

/**
 * XState's `transition(machine, snapshot, event)` without its per-call cost. XState builds a fresh
 * inert actor scope on every call, and creating that actor computes a whole initial snapshot first:
 * about two thirds of a step's time. Here one inert scope per machine is kept and only its action
 * collector is swapped per call; the transition itself is `machine.transition`, the same macrostep
 * XState's function runs. Safe because the machines spawn and invoke no actors (the scope's `self`
 * and `system` are never used), and JavaScript runs one call at a time. A unit test checks the
 * results against XState's `transition` along whole case paths.
 */
type Scope = ActorScope<any, any>;

const scopes = new WeakMap<AnyStateMachine, Scope>();

function inertScope(machine: AnyStateMachine): Scope {
  let scope = scopes.get(machine);
  if (!scope) {
    const self = createActor(machine);
    scope = { self, id: '', sessionId: '', logger: () => {}, defer: () => {}, emit: () => {}, system: self.system, stopChild: () => {}, actionExecutor: () => {} };
    scopes.set(machine, scope);
  }
  return scope;
}

/** Runs `compute` with the machine's scope, collecting the actions it would execute. */
function collecting<M extends AnyStateMachine>(machine: M, compute: (scope: Scope) => SnapshotFrom<M>): [SnapshotFrom<M>, ExecutableActionsFrom<M>[]] {
  const scope = inertScope(machine);
  const actions: ExecutableActionsFrom<M>[] = [];
  const previous = scope.actionExecutor;
  scope.actionExecutor = (action) => {
    actions.push(action as ExecutableActionsFrom<M>);
  };
  try {
    return [compute(scope), actions];
  } finally {
    scope.actionExecutor = previous;
  }
}

/** `[nextSnapshot, actions]` for `event`, like XState's pure `transition`; executes no action. */
export function pureTransition<M extends AnyStateMachine>(
  machine: M,
  snapshot: SnapshotFrom<M>,
  event: EventFromLogic<M>,
): [SnapshotFrom<M>, ExecutableActionsFrom<M>[]] {
  return collecting(machine, (scope) => machine.transition(snapshot, event, scope) as SnapshotFrom<M>);
}

/** `[initialSnapshot, actions]` for `input`, like XState's pure `initialTransition`. */
export function pureInitialTransition<M extends AnyStateMachine>(machine: M, input: unknown): [SnapshotFrom<M>, ExecutableActionsFrom<M>[]] {
  return collecting(machine, (scope) => machine.getInitialSnapshot(scope, input) as SnapshotFrom<M>);
}
