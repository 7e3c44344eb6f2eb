/**
 * Redis for BullMQ (ARCHITECTURE.md §5) and how `npm start` finds one (API.md "Process and
 * environment"): `REDIS_URL` if set, else whatever answers on 127.0.0.1:6379, else a private
 * `redis-server` under `DATA_DIR`, else a clear message saying how to get Redis.
 */
import { Redis } from 'ioredis';
import { RedisUnavailableError } from './errors';
import { startPrivateRedis, type PrivateRedisOptions } from './private-server';
import { probeRedis, type ProbeTarget } from './probe';

export { RedisUnavailableError };

/** The subset of a pino logger used here. */
export interface RedisLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/**
 * An ioredis client for BullMQ. `maxRetriesPerRequest: null` is what BullMQ requires of worker
 * connections: a blocking command must wait through a reconnect instead of failing after 20 tries.
 * `url` is a `redis://` / `rediss://` URL or the absolute path of a unix socket.
 */
export function redisConnection(url: string, options: { lazyConnect?: boolean } = {}): Redis {
  const target = url.startsWith('unix://') ? url.slice('unix://'.length) : url;
  return new Redis(target, { maxRetriesPerRequest: null, lazyConnect: options.lazyConnect ?? false });
}

export interface ResolvedRedis {
  url: string;
  source: 'config' | 'local' | 'private';
  /** Stops the private server (no-op for the other sources). */
  stop(): Promise<void>;
}

export interface ResolveRedisOptions extends Pick<PrivateRedisOptions, 'env' | 'command' | 'startTimeoutMs'> {
  /** `REDIS_URL`; when set it is used as is. */
  redisUrl?: string;
  /** `DATA_DIR`: the private server keeps its socket, log and append-only file in `<dataDir>/redis`. */
  dataDir: string;
  logger: RedisLogger;
  /** Port probed on 127.0.0.1 before starting a private server (6379). */
  probePort?: number;
  probeTimeoutMs?: number;
  /** How long a configured REDIS_URL may take to answer before start-up is refused (5 s). */
  configuredWaitMs?: number;
}

const HOW_TO_GET_REDIS =
  'Install it (Debian/Ubuntu: `apt-get install redis-server`; macOS: `brew install redis`) so that a ' +
  'private redis-server can be started under DATA_DIR, or start one on 127.0.0.1:6379, or set REDIS_URL ' +
  '(e.g. REDIS_URL=redis://redis.example:6379).';

/** Finds or starts the Redis the process uses; throws {@link RedisUnavailableError} when there is none. */
export async function resolveRedis(options: ResolveRedisOptions): Promise<ResolvedRedis> {
  const noop = async () => {};
  if (options.redisUrl) {
    await requireAnswer(options.redisUrl, options.configuredWaitMs ?? 5_000, options.probeTimeoutMs ?? 500);
    return { url: options.redisUrl, source: 'config', stop: noop };
  }

  const port = options.probePort ?? 6379;
  const answer = await probeRedis({ host: '127.0.0.1', port }, options.probeTimeoutMs ?? 500);
  if (answer === 'pong') {
    options.logger.info({ port }, 'using the Redis answering on 127.0.0.1');
    return { url: `redis://127.0.0.1:${port}`, source: 'local', stop: noop };
  }
  if (answer === 'auth') {
    throw new RedisUnavailableError(
      `The Redis on 127.0.0.1:${port} requires a password. Set REDIS_URL=redis://:<password>@127.0.0.1:${port}.`,
    );
  }

  const server = await startPrivateRedis({
    dir: options.dataDir,
    env: options.env,
    command: options.command,
    startTimeoutMs: options.startTimeoutMs,
    logger: options.logger,
    notFound:
      `No Redis is available: REDIS_URL is not set, nothing answers on 127.0.0.1:${port}, and ` +
      `${options.command ?? 'redis-server'} is not on the PATH to start a private one. ${HOW_TO_GET_REDIS}`,
    howTo: HOW_TO_GET_REDIS,
  });
  return { url: server.url, source: 'private', stop: server.stop };
}

/** `redis://:secret@host:6379/2` → `redis://host:6379/2` (for banners and messages). */
export function displayRedisUrl(url: string): string {
  if (url.startsWith('unix://') || url.startsWith('/')) return url;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}:${u.port || '6379'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return '(an unparsable REDIS_URL)';
  }
}

/**
 * A configured REDIS_URL must answer PING within `waitMs` (tried every half second), or the process
 * refuses to start with one line saying which address did not answer: starting anyway would print
 * "started" and then fail every command that needs a queue.
 */
async function requireAnswer(url: string, waitMs: number, probeTimeoutMs: number): Promise<void> {
  let target: ProbeTarget;
  let password: string | null = null;
  if (url.startsWith('unix://') || url.startsWith('/')) {
    target = { path: url.replace(/^unix:\/\//, '') };
  } else {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new RedisUnavailableError(`REDIS_URL is not a URL (expected redis://host:port[/db]).`);
    }
    if (u.protocol === 'rediss:') return; // TLS: the raw-socket probe cannot speak it; ioredis will.
    if (u.protocol !== 'redis:') throw new RedisUnavailableError(`REDIS_URL must start with redis:// or rediss:// (got ${u.protocol}//).`);
    target = { host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) };
    password = u.password ? decodeURIComponent(u.password) : null;
  }
  const until = Date.now() + waitMs;
  for (;;) {
    const answer = await probeRedis(target, probeTimeoutMs, password);
    if (answer === 'pong') return;
    if (answer === 'auth') throw new RedisUnavailableError(`Redis at ${displayRedisUrl(url)} refused the password in REDIS_URL (or needs one).`);
    if (Date.now() >= until) {
      throw new RedisUnavailableError(`Redis at ${displayRedisUrl(url)} (REDIS_URL) does not answer after ${Math.round(waitMs / 1000)} s; start it or correct REDIS_URL.`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
