/**
 * Runs calls of `fn` one after another, in call order. Two appends to one chain started together
 * in a transaction (`Promise.all`) would otherwise both read the same head and claim the same seq.
 */
export function oneAtATime<F extends (...args: any[]) => Promise<any>>(fn: F): F {
  let last: Promise<unknown> = Promise.resolve();
  return ((...args: Parameters<F>) => {
    const next = last.then(() => fn(...args));
    last = next.catch(() => undefined);
    return next;
  }) as F;
}

/** `batch` for an engine that takes one call at a time: the calls in order, each awaited. */
export async function sequentially<T extends readonly unknown[]>(...calls: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  const out: unknown[] = [];
  for (const call of calls as ReadonlyArray<() => Promise<unknown>>) out.push(await call());
  return out as unknown as T;
}
