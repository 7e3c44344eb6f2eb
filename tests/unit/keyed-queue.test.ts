import { KeyedQueue } from '../../services/keyed-queue';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedQueue', () => {
  it('when calls share a key, then they run one at a time in call order; other keys run beside them', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const call = (key: string, name: string, ms: number) =>
      q.run(key, async () => {
        log.push(`${name} start`);
        await tick(ms);
        log.push(`${name} end`);
        return name;
      });
    const results = await Promise.all([call('a', 'a1', 30), call('a', 'a2', 1), call('b', 'b1', 5)]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a2 start')).toBeGreaterThan(log.indexOf('a1 end'));
    expect(log.indexOf('b1 end')).toBeLessThan(log.indexOf('a1 end'));
  });

  it('when a call fails, then the next one on its key still runs', async () => {
    const q = new KeyedQueue();
    const failed = q.run('a', async () => {
      throw new Error('boom');
    });
    const next = q.run('a', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});

describe('KeyedQueue with a bounded wait', () => {
  it('when the call before never ends, then the next one on its key runs after the bound, and later ones queue behind it', async () => {
    const q = new KeyedQueue(50);
    const log: string[] = [];
    void q.run('a', () => new Promise<never>(() => undefined)); // hangs for good
    const started = Date.now();
    const second = q.run('a', async () => {
      log.push('second start');
      await tick(20);
      log.push('second end');
      return Date.now() - started;
    });
    const third = q.run('a', async () => void log.push('third'));
    expect(await second).toBeGreaterThanOrEqual(45);
    await third;
    expect(log).toEqual(['second start', 'second end', 'third']);
  });

  it('when the call before ends in time, then the next one starts right after it', async () => {
    const q = new KeyedQueue(10_000);
    const log: string[] = [];
    const first = q.run('a', async () => {
      await tick(20);
      log.push('first');
    });
    const started = Date.now();
    await q.run('a', async () => void log.push('second'));
    await first;
    expect(log).toEqual(['first', 'second']);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
