/**
 * Guards that a probe may relax. `availableCommands` asks "would this command be accepted with
 * some payload?", `explainRefusal` asks "would it be accepted if the actor held the role, or were
 * independent of the case?". Both send the machine a copy of the event marked here, and the
 * predicates below treat the marked aspect as satisfied. Marks live in a WeakMap keyed by the event
 * object, so no event that arrives as JSON can carry one.
 */
export type Aspect = 'payload' | 'role' | 'separation';

const marks = new WeakMap<object, ReadonlySet<Aspect>>();

/** A copy of `event` on which the given aspects count as satisfied. */
export function relaxed<E extends object>(event: E, aspects: readonly Aspect[]): E {
  const copy = { ...event };
  marks.set(copy, new Set(aspects));
  return copy;
}

/** Whether `event` is a probe on which `aspect` counts as satisfied. */
export function isRelaxed(event: object, aspect: Aspect): boolean {
  return marks.get(event)?.has(aspect) ?? false;
}

/**
 * Wraps a guard predicate that depends on the given aspects: on a probe relaxing any of them the
 * predicate holds without being evaluated (a probe carries no payload).
 */
export function relaxable<A extends { event: object }, P = undefined>(
  aspects: readonly Aspect[],
  predicate: (args: A, params: P) => boolean,
): (args: A, params: P) => boolean {
  return (args, params) => aspects.some((aspect) => isRelaxed(args.event, aspect)) || predicate(args, params);
}
