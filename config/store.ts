/**
 * PostgreSQL connections per process. A database server does its best work with about two busy
 * connections per core; more only queue inside it, where the system's own work can no longer go
 * first (work-priority.ts). Eight suits the two-core machines this was measured on (docs/decisions/006).
 */
export const DEFAULT_POOL_SIZE = 8;
