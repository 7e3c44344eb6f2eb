import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { displayRedisUrl, RedisUnavailableError, redisConnection, resolveRedis } from '../../../services/redis/connection';
import { probeRedis } from '../../../services/redis/probe';
import { realClockEnv } from '../../helpers/faketime';

const logger = { info: () => {}, warn: () => {} };

/** A port on which nothing listens (taken and released). */
function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function ping(url: string): Promise<string> {
  const client = redisConnection(url);
  try {
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

describe('resolveRedis', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ajsc-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('when REDIS_URL is set and answers, then it is used as is', async () => {
    const r = await resolveRedis({ redisUrl: 'redis://127.0.0.1:6379/2', dataDir, logger });
    expect(r).toMatchObject({ url: 'redis://127.0.0.1:6379/2', source: 'config' });
  });

  it('when REDIS_URL is set and nothing answers there, then start-up is refused with one sentence naming the address without its password', async () => {
    const port = await deadPort();
    const started = Date.now();
    await expect(resolveRedis({ redisUrl: `redis://:s3cret@127.0.0.1:${port}/2`, dataDir, logger, configuredWaitMs: 1200 })).rejects.toThrow(
      `Redis at redis://127.0.0.1:${port}/2 (REDIS_URL) does not answer after 1 s; start it or correct REDIS_URL.`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(displayRedisUrl('redis://:pw@h.example:6390/3')).toBe('redis://h.example:6390/3');
    expect(displayRedisUrl('unix:///tmp/r.sock')).toBe('unix:///tmp/r.sock');
  });

  it('when something answers on the probed port, then that Redis is used', async () => {
    const r = await resolveRedis({ dataDir, logger, probePort: 6379 });
    expect(r).toMatchObject({ url: 'redis://127.0.0.1:6379', source: 'local' });
  });

  it('when nothing answers and redis-server is on the PATH, then a private one runs on a socket under DATA_DIR until stopped', async () => {
    const r = await resolveRedis({ dataDir, logger, probePort: await deadPort(), env: realClockEnv() });
    try {
      expect(r.source).toBe('private');
      expect(r.url).toBe(path.join(dataDir, 'redis', 'redis.sock'));
      expect(await ping(r.url)).toBe('PONG');
      // A second start on the same DATA_DIR (the first process was killed) adopts the running server.
      const again = await resolveRedis({ dataDir, logger, probePort: await deadPort(), env: realClockEnv() });
      expect(again.url).toBe(r.url);
    } finally {
      await r.stop();
    }
    expect(await probeRedis({ path: r.url }, 300)).toBe('none');
  });

  it('when the socket path would be too long, then the private server listens on a 127.0.0.1 port with a password', async () => {
    const deep = path.join(dataDir, 'x'.repeat(60), 'y'.repeat(40));
    const r = await resolveRedis({ dataDir: deep, logger, probePort: await deadPort(), env: realClockEnv() });
    try {
      expect(r.url).toMatch(/^redis:\/\/:[\w-]+@127\.0\.0\.1:\d+$/);
      expect(await ping(r.url)).toBe('PONG');
    } finally {
      await r.stop();
    }
  });

  it('when nothing answers and no redis-server is on the PATH, then it fails with a message that says how to get Redis', async () => {
    const port = await deadPort();
    const err = await resolveRedis({ dataDir, logger, probePort: port, env: { PATH: path.join(dataDir, 'empty-bin') } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    const { message, stack } = err as Error;
    expect(message).toContain(`nothing answers on 127.0.0.1:${port}`);
    expect(message).toContain('apt-get install redis-server');
    expect(message).toContain('REDIS_URL');
    expect(stack).not.toMatch(/\n\s+at /);
  });
});
