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

  /** When the current slice of the event loop began (undefined: no turn handed out since the loop last turned). */
  private sliceStart: number | undefined;

  /**
   * @param sliceMs when given, turns follow one another directly only for this long; the turn after
   *   that is handed over through the event loop (setImmediate), so the I/O that arrived meanwhile
   *   (a worker's Redis reply, a new request) is read before more store work runs. PGlite answers
   *   without I/O, so without a slice its turns would follow one another in one uninterrupted run of
   *   microtasks. Handing every turn over through the loop instead costs a loop turn per query
   *   (docs/decisions/006-store-turns.md).
   * @param now the clock the slice is measured on (tests give their own).
   */
  constructor(
    private readonly slots = 1,
    private readonly sliceMs?: number,
    private readonly now: () => number = () => performance.now(),
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
      this.markSlice();
      return Promise.resolve();
    }
    return new Promise((resolve) => (system ? this.system : this.user).push(resolve));
  }

  /** Hands the turn just ended to the next waiter, or frees the slot. */
  private pass(): void {
    const next = this.next();
    if (!next) this.held--;
    else if (this.sliceMs !== undefined && this.now() - this.markSlice() >= this.sliceMs) {
      setImmediate(() => {
        this.markSlice();
        next();
      });
    } else next();
  }

  /** Notes that a turn is handed out in this run of the event loop; returns when that run's first turn was. */
  private markSlice(): number {
    if (this.sliceMs === undefined) return 0;
    if (this.sliceStart === undefined) {
      this.sliceStart = this.now();
      // Runs once the loop has turned: whatever is handed out after that begins a new slice.
      setImmediate(() => (this.sliceStart = undefined));
    }
    return this.sliceStart;
  }

  /** The waiter whose turn is next: system work first, but not more than SYSTEM_TURNS_IN_A_ROW while user work waits. */
  private next(): (() => void) | undefined {
    if (this.system.length > 0 && (this.user.length === 0 || this.streak < SYSTEM_TURNS_IN_A_ROW)) {
      this.streak = this.user.length > 0 ? this.streak + 1 : 0;
      return this.system.shift();
    }
    this.streak = 0;
    return this.user.shift();
  }
}
