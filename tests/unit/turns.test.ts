import { asSystemWork, isSystemWork, SYSTEM_TURNS_IN_A_ROW, Turns } from '../../services/store/work-priority';

/** A turn that holds until released, recording when it started. */
function holder(turns: Turns, log: string[], name: string, system = false) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const run = () => turns.run(async () => {
    log.push(name);
    await held;
  });
  const done = system ? asSystemWork(run) : run();
  return { release, done };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Turns', () => {
  it('when work is marked as the system’s, then everything it awaits is too, and nothing else is', async () => {
    expect(isSystemWork()).toBe(false);
    const inside = await asSystemWork(async () => {
      await tick();
      return isSystemWork();
    });
    expect(inside).toBe(true);
    expect(isSystemWork()).toBe(false);
  });

  it('when the slots are taken, then waiting system work gets the next turn before user work that waited longer', async () => {
    const turns = new Turns(1);
    const log: string[] = [];
    const first = holder(turns, log, 'first');
    await tick();
    const user = holder(turns, log, 'user');
    const system = holder(turns, log, 'system', true);
    await tick();
    expect(turns.waiting).toEqual({ system: 1, user: 1 });
    first.release();
    await first.done;
    await tick();
    expect(log).toEqual(['first', 'system']);
    system.release();
    await system.done;
    await tick();
    expect(log).toEqual(['first', 'system', 'user']);
    user.release();
    await user.done;
  });

  it(`when system work keeps coming, then waiting user work still gets a turn after ${SYSTEM_TURNS_IN_A_ROW} system turns`, async () => {
    const turns = new Turns(1);
    const log: string[] = [];
    const first = holder(turns, log, 'first');
    await tick();
    const user = turns.run(async () => void log.push('user'));
    // Each system turn, as it runs, queues one more: there is always system work waiting.
    let n = 0;
    const system = (): Promise<void> =>
      asSystemWork(() =>
        turns.run(async () => {
          const i = n++;
          log.push(`system${i}`);
          if (i < 10) void system();
        }),
      );
    void system();
    await tick();
    first.release();
    await user;
    expect(log.slice(0, SYSTEM_TURNS_IN_A_ROW + 2)).toEqual(['first', ...Array.from({ length: SYSTEM_TURNS_IN_A_ROW }, (_, i) => `system${i}`), 'user']);
    while (n <= 10) await tick();
  });

  /**
   * One slot with a 5 ms slice, on a clock the test moves by hand. Each turn logs its name, queues a
   * callback that logs once the event loop turns, and spends `ms` of the clock.
   */
  function sliced() {
    let t = 0;
    const turns = new Turns(1, 5, () => t);
    const log: string[] = [];
    const run = (name: string, ms: number) =>
      turns.run(async () => {
        log.push(name);
        setImmediate(() => log.push(`io after ${name}`));
        t += ms;
      });
    return { log, run };
  }

  it('when a turn outlasts the slice, then the next is handed over through the event loop, and callbacks queued meanwhile run first', async () => {
    const { log, run } = sliced();
    await Promise.all([run('a', 5), run('b', 0)]);
    expect(log).toEqual(['a', 'io after a', 'b']);
  });

  it('when the slice is not spent, then the next turn goes on at once, system or user', async () => {
    const { log, run } = sliced();
    await Promise.all([run('a', 2), run('user', 2), asSystemWork(() => run('system', 0))]);
    expect(log).toEqual(['a', 'system', 'user']);
    await tick();
    expect(log).toEqual(['a', 'system', 'user', 'io after a', 'io after system', 'io after user']);
  });

  it('when the event loop has turned, then a new slice begins', async () => {
    const { log, run } = sliced();
    // a spends the slice; b starts a new one after the loop turns and leaves room for c.
    await Promise.all([run('a', 6), run('b', 1), run('c', 1)]);
    expect(log).toEqual(['a', 'io after a', 'b', 'c']);
    await tick();
    expect(log).toEqual(['a', 'io after a', 'b', 'c', 'io after b', 'io after c']);
  });

  it('when there is no slice, then the next turn starts before the event loop turns', async () => {
    const turns = new Turns(1);
    const log: string[] = [];
    const a = turns.run(async () => {
      log.push('a');
      setImmediate(() => log.push('io'));
    });
    const b = turns.run(async () => void log.push('b'));
    await Promise.all([a, b]);
    expect(log).toEqual(['a', 'b']);
    await tick();
    expect(log).toEqual(['a', 'b', 'io']);
  });

  it('when a turn throws, then its slot is passed on and the error reaches its caller', async () => {
    const turns = new Turns(2);
    await expect(turns.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const ran = await Promise.all([1, 2, 3].map((i) => turns.run(async () => i)));
    expect(ran).toEqual([1, 2, 3]);
    expect(turns.waiting).toEqual({ system: 0, user: 0 });
  });

  it('when there are two slots, then two turns run at once and the third waits', async () => {
    const turns = new Turns(2);
    const log: string[] = [];
    const a = holder(turns, log, 'a');
    const b = holder(turns, log, 'b');
    const c = holder(turns, log, 'c');
    await tick();
    expect(log).toEqual(['a', 'b']);
    b.release();
    await b.done;
    await tick();
    expect(log).toEqual(['a', 'b', 'c']);
    a.release();
    c.release();
    await Promise.all([a.done, c.done]);
  });
});
