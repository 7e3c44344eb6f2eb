/**
 * Driver errors as the services see them. Drizzle wraps a failed query in an error whose message
 * carries the SQL and its parameters (names, case data): those must not reach logs, so the
 * driver's own error (code, constraint, no values) is rethrown instead.
 */
import { DrizzleQueryError } from 'drizzle-orm';
import { DuplicateError, StoreDataError } from '../port';
import { STALE_CACHE } from './prepared-statements';

/**
 * SQLSTATEs worth re-running the whole transaction for: serialization failure, deadlock, and a
 * remembered audit head or deadline found stale (`STALE_CACHE`, migration 0009: the store has
 * forgotten it, the next try reads it).
 */
const TRANSIENT = new Set(['40001', '40P01', STALE_CACHE]);

/** The PostgreSQL SQLSTATE of an error (or of its cause), if any. */
export function sqlState(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

export function isTransient(err: unknown): boolean {
  const code = sqlState(err);
  return code !== undefined && TRANSIENT.has(code);
}

/** The driver error behind a drizzle query error; other errors unchanged. */
export function driverError(err: unknown): unknown {
  if (err instanceof DrizzleQueryError && err.cause instanceof Error) return err.cause;
  return err;
}

/** A unique violation as the port's DuplicateError; anything else as the driver error. */
export function portError(err: unknown): unknown {
  const cause = driverError(err);
  if (sqlState(cause) !== '23505') return cause;
  const { constraint, detail } = cause as { constraint?: string; detail?: string };
  if (constraint === 'audit_events_pkey') {
    // The head is behind its chain: someone wrote events outside the store.
    return new StoreDataError(`audit event exists beyond its stream's head (${detail ?? 'audit_events'}); run audit verification`, 'audit_events');
  }
  return new DuplicateError(`duplicate key${constraint ? ` (${constraint})` : ''}`);
}

/** Wraps every method of a repo so that a rejected query rethrows a port or driver error. */
export function unwrapErrors<T extends object>(repo: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(repo)) {
    out[name] =
      typeof fn === 'function'
        ? (...args: unknown[]) =>
            (fn as (...a: unknown[]) => Promise<unknown>).apply(repo, args).catch((err: unknown) => {
              throw portError(err);
            })
        : fn;
  }
  return out as T;
}
