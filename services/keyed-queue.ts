/** Runs calls one at a time per key (in call order); calls on different keys run side by side. */
export class KeyedQueue {
  private readonly tails = new Map<string, { started: Promise<void>; done: Promise<unknown> }>();

  /**
   * @param waitAtMostMs how long a call waits, once the call before it on its key has started,
   *   for that call to end; past that it runs anyway. For queues that only spare work (the callers
   *   stay correct side by side), so that a call that never ends (a hung connection, a worker
   *   closed in the middle of it) stalls nobody for good.
   */
  constructor(private readonly waitAtMostMs = Infinity) {}

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key);
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const done = (async () => {
      if (before) {
        await before.started;
        await this.bounded(before.done.catch(() => undefined));
      }
      markStarted();
      return fn();
    })();
    const entry = { started, done };
    this.tails.set(key, entry);
    try {
      return await done;
    } finally {
      if (this.tails.get(key) === entry) this.tails.delete(key);
    }
  }

  private bounded(before: Promise<unknown>): Promise<unknown> {
    if (!Number.isFinite(this.waitAtMostMs)) return before;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((resolve) => {
      timer = setTimeout(resolve, this.waitAtMostMs);
      timer.unref();
    });
    return Promise.race([before, late]).finally(() => clearTimeout(timer));
  }
}
