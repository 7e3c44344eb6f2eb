/**
 * Whose work the store takes first when it has to queue (docs/decisions/006-store-turns.md).
 *
 * PGlite has one connection: every query and transaction waits its turn, and under a burst of user
 * commands the system's own work (a deadline's escalation step, opening the 一案双查 reviews) would
 * wait behind all of them. Work marked with `asSystemWork` goes first, but never more than
 * `SYSTEM_TURNS_IN_A_ROW` turns while user work waits, so a backlog of system work (the
 * reconciler catching up after an outage) slows requests down without stopping them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const systemWork = new AsyncLocalStorage<true>();

/** Runs `fn` as the system's own work: a worker's job or the reconciler. Everything it awaits inherits the mark. */
export function asSystemWork<T>(fn: () => T): T {
  return systemWork.run(true, fn);
}

export const isSystemWork = (): boolean => systemWork.getStore() === true;

/** System turns granted in a row while user work is waiting, before one user turn. */
export const SYSTEM_TURNS_IN_A_ROW = 4;

/** Turns on `slots` holders at a time: system work first, user work never starved. */
export class Turns {
  private held = 0;
  private readonly system: Array<() => void> = [];
  private readonly user: Array<() => void> = [];
  /** System turns granted in a row while user work waited. */
  private streak = 0;

  /**
   * @param handOff `macrotask`: user work gets its turn from the event loop (setImmediate), so
   *   the I/O that arrived meanwhile (a worker's Redis reply) is read between two requests' turns.
   *   With a store that answers without I/O (PGlite) the turns would otherwise follow one another
   *   in one uninterrupted run of microtasks. System work next in line gets its turn at once
   *   (through the event loop it only paid for more loop turns: 13.2 against 10.8 ms of CPU per
   *   deadline in bench/deadlines).
   */
  constructor(
    private readonly slots = 1,
    private readonly handOff: 'macrotask' | 'microtask' = 'microtask',
  ) {}

  /** Runs `fn` in a turn of its own: the caller's kind comes from `asSystemWork`. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.take(isSystemWork());
    try {
      return await fn();
    } finally {
      this.pass();
    }
  }

  /** Work waiting for a turn, by kind (for tests and gauges). */
  get waiting(): { system: number; user: number } {
    return { system: this.system.length, user: this.user.length };
  }

  private take(system: boolean): Promise<void> {
    if (this.held < this.slots && this.system.length === 0 && this.user.length === 0) {
      this.held++;
      return Promise.resolve();
    }
    return new Promise((resolve) => (system ? this.system : this.user).push(resolve));
  }

  /** Hands the turn just ended to the next waiter, or frees the slot. */
  private pass(): void {
    const next = this.next();
    if (!next) this.held--;
    // Only a user turn waits for the event loop: system work next in line goes on at once.
    else if (this.handOff === 'macrotask' && !next.system) setImmediate(next.go);
    else next.go();
  }

  private next(): { go: () => void; system: boolean } | undefined {
    if (this.system.length > 0 && (this.user.length === 0 || this.streak < SYSTEM_TURNS_IN_A_ROW)) {
      this.streak = this.user.length > 0 ? this.streak + 1 : 0;
      return { go: this.system.shift()!, system: true };
    }
    this.streak = 0;
    const go = this.user.shift();
    return go && { go, system: false };
  }
}
