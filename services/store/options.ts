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

export { DEFAULT_POOL_SIZE } from '../../config/store';
