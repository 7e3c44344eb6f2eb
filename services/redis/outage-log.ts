/**
 * While Redis is away, every connection (the main client, each worker's blocking connection, each
 * queue) reports every failed reconnect. Logged as they come that is a flood of stack traces; here it
 * is one warning line per back-off window saying what is unreachable and how many reports were folded
 * into it, then one line when Redis answers again. Errors that are not about reaching Redis are
 * logged in full, every time.
 */
import type { Logger } from 'pino';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const CONNECTION_MESSAGES = /connect ECONNREFUSED|Connection is closed|Stream isn't writeable|Reached the max retries|read ECONNRESET/i;

export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message);
}

export class RedisOutageLog {
  private lastAt = Number.NEGATIVE_INFINITY;
  private folded = 0;
  private down = false;

  constructor(
    private readonly logger: Pick<Logger, 'warn' | 'error' | 'info'>,
    private readonly everyMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** An 'error' event of a Redis connection, worker or queue named by `source`. */
  report(source: string, err: unknown): void {
    if (!isConnectionError(err)) {
      this.logger.error({ source, err }, 'redis error');
      return;
    }
    this.down = true;
    const t = this.now();
    if (t - this.lastAt < this.everyMs) {
      this.folded += 1;
      return;
    }
    this.logger.warn({ source, err: (err as Error).message, folded: this.folded }, 'Redis unreachable; retrying in the background (/readyz answers 503)');
    this.lastAt = t;
    this.folded = 0;
  }

  /** The connection is ready again. */
  recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.lastAt = Number.NEGATIVE_INFINITY;
    this.logger.info({ folded: this.folded }, 'Redis reachable again');
    this.folded = 0;
  }
}

const perLogger = new WeakMap<object, RedisOutageLog>();

/** The process's one outage log for `logger` (connections, workers and queues share it). */
export function redisOutageLog(logger: Pick<Logger, 'warn' | 'error' | 'info'>): RedisOutageLog {
  let log = perLogger.get(logger);
  if (!log) perLogger.set(logger, (log = new RedisOutageLog(logger)));
  return log;
}
