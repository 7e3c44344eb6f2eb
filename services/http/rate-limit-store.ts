/**
 * Rate-limit counters in Redis, shared by every API process, with one round trip per turn of the
 * event loop instead of one per request: the increments asked for in the same turn go out as one
 * pipeline (a script per key: INCRBY by the turn's hits, the window's expiry set with the first
 * hit), and each request gets the exact count it would have got alone. A fixed window of `windowMs`
 * from a key's first hit, as rate-limit-redis counts.
 */
import type { Options, Store, ClientRateLimitInfo } from 'express-rate-limit';
import type { Redis } from 'ioredis';

const SCRIPT = `
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return { total, ttl }`;

interface Waiting {
  resolve(info: ClientRateLimitInfo): void;
  reject(err: unknown): void;
}

type Counting = Redis & { rateLimitIncrement(key: string, by: number, windowMs: number): Promise<[number, number]> };

export class BatchedRedisStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private pending = new Map<string, Waiting[]>();
  private readonly redis: Counting;

  constructor(
    redis: Redis,
    readonly prefix: string,
  ) {
    if (!('rateLimitIncrement' in redis)) redis.defineCommand('rateLimitIncrement', { numberOfKeys: 1, lua: SCRIPT });
    this.redis = redis as Counting;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  increment(key: string): Promise<ClientRateLimitInfo> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) return void waiting.push({ resolve, reject });
      if (this.pending.size === 0) setImmediate(() => this.send());
      this.pending.set(key, [{ resolve, reject }]);
    });
  }

  async decrement(key: string): Promise<void> {
    await this.redis.decr(this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const [hits, ttl] = await Promise.all([this.redis.get(this.prefix + key), this.redis.pttl(this.prefix + key)]);
    if (hits === null) return undefined;
    return { totalHits: Number(hits), resetTime: new Date(Date.now() + Math.max(0, ttl)) };
  }

  /** One pipeline for the turn's increments; each waiting request gets its own place in the count. */
  private send(): void {
    const batch = this.pending;
    this.pending = new Map();
    const pipeline = this.redis.pipeline();
    // Queued on the pipeline: the replies come back from exec(), not from these promises.
    for (const [key, waiting] of batch) void (pipeline as unknown as Counting).rateLimitIncrement(this.prefix + key, waiting.length, this.windowMs);
    const failAll = (err: unknown) => {
      for (const waiting of batch.values()) for (const w of waiting) w.reject(err);
    };
    void pipeline.exec().then((results) => {
      if (!results) return failAll(new Error('rate-limit pipeline answered nothing'));
      let i = 0;
      for (const waiting of batch.values()) {
        const [err, reply] = results[i++];
        if (err) {
          for (const w of waiting) w.reject(err);
          continue;
        }
        const [total, ttl] = reply as [number, number];
        const resetTime = new Date(Date.now() + Number(ttl));
        const first = Number(total) - waiting.length;
        waiting.forEach((w, n) => w.resolve({ totalHits: first + n + 1, resetTime }));
      }
    }, failAll);
  }
}
