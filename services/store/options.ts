import type { AuditHashAlgorithm } from '../audit/hash';

/** The subset of a pino logger the store uses (pino's `(obj, msg)` signature). */
export interface StoreLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface StoreOptions {
  /** MongoDB (replica set) connection string: wins over everything else. */
  mongoUri?: string;
  /** PostgreSQL connection string, used when `mongoUri` is unset. */
  databaseUrl?: string;
  /** Where PGlite keeps its files (`<dataDir>/pglite`) when neither URL is set; `memory://` for an in-memory database. */
  dataDir: string;
  auditHash: AuditHashAlgorithm;
  logger?: StoreLogger;
  /** PostgreSQL connections (default DEFAULT_POOL_SIZE). */
  poolSize?: number;
}

/**
 * PostgreSQL connections per process. A database server does its best work with about two busy
 * connections per core; more only queue inside it, where the system's own work can no longer go
 * first (turns.ts). Eight suits the two-core machines this was measured on (docs/decisions/006).
 */
export const DEFAULT_POOL_SIZE = 8;
