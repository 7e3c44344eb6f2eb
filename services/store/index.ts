/**
 * Store entry point: picks the adapter from config as ARCHITECTURE.md §4 says. `MONGODB_URI` →
 * mongo; `DATABASE_URL` → PostgreSQL; neither → PGlite files under `DATA_DIR`.
 */
import { MongoStore } from './mongo/store';
import { DEFAULT_POOL_SIZE, type StoreOptions } from './options';
import type { Store } from './port';
import { openPglite, openPostgres, PGLITE_MEMORY } from './sql/driver';
import { SqlStore } from './sql/store';

export * from './port';
export { DEFAULT_POOL_SIZE } from './options';
export type { StoreLogger, StoreOptions } from './options';
export { PGLITE_MEMORY };
export { asSystemWork, isSystemWork } from './work-priority';

/** Opens the configured store, applying migrations (sql) or creating indexes (mongo) first. */
export async function createStore(options: StoreOptions): Promise<Store> {
  const { auditHash, logger } = options;
  if (options.mongoUri) return MongoStore.open(options.mongoUri, { auditHash, logger });
  const driver = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? DEFAULT_POOL_SIZE, logger)
    : await openPglite(options.dataDir);
  return SqlStore.open(driver, { auditHash, logger });
}
