/**
 * Applies the committed SQL migrations (`migrations/NNNN_name.sql`) in order, in one transaction,
 * under an advisory lock so that API processes starting together on one PostgreSQL apply them once.
 * Applied migrations are recorded in `schema_migrations`; a database that has one this code does
 * not know (a newer schema) is refused rather than written to.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { StoreDataError } from '../port';
import type { StoreLogger } from '../options';
import type { RawSql, SqlDriver } from './driver';

/** Key of the advisory lock held while migrating ('ajsc' as a number: any constant would do). */
const MIGRATION_LOCK = 0x616a7363;
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  /** `0001` */
  version: string;
  /** `init` */
  name: string;
  sql: string;
  checksum: string;
}

/**
 * The migrations directory: next to this file when run from source (tsx, ts-jest); from `dist/`
 * the .sql files are not copied by tsc, so fall back to the source tree.
 */
export function defaultMigrationsDir(): string {
  const beside = path.join(__dirname, 'migrations');
  if (existsSync(beside)) return beside;
  return path.resolve(__dirname, '..', '..', '..', '..', 'services', 'store', 'sql', 'migrations');
}

export async function loadMigrations(dir = defaultMigrationsDir()): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => FILE_NAME.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const [, version, name] = FILE_NAME.exec(file)!;
      const sql = await readFile(path.join(dir, file), 'utf8');
      return { version, name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

interface AppliedRow {
  version: string;
  name: string;
  checksum: string;
}

/** Applies what is missing; returns the versions applied now (empty when up to date). */
export async function migrate(driver: SqlDriver, migrations: Migration[], logger?: StoreLogger): Promise<string[]> {
  return driver.rawTransaction(async (raw) => {
    await raw.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await raw.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = await raw.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
    const pending = checkApplied(applied, migrations, logger);
    for (const m of pending) await apply(raw, m);
    if (pending.length > 0) logger?.info({ migrations: pending.map(label) }, 'store migrations applied');
    return pending.map((m) => m.version);
  });
}

/** Refuses an unknown or out-of-order history; returns the migrations still to apply. */
function checkApplied(applied: AppliedRow[], migrations: Migration[], logger?: StoreLogger): Migration[] {
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const m = known.get(row.version);
    if (!m) {
      throw new StoreDataError(
        `the database has migration ${label(row)}, which this code does not know: its schema is newer than the code. ` +
          'Run a release that includes it (or restore a backup that matches this release).',
        `schema_migrations/${label(row)}`,
      );
    }
    if (m.checksum !== row.checksum) {
      logger?.warn({ migration: label(m) }, 'applied migration differs from the committed file; committed migrations must not be edited');
    }
  }
  const done = new Set(applied.map((r) => r.version));
  const last = applied.at(-1)?.version ?? '';
  const pending = migrations.filter((m) => !done.has(m.version));
  const early = pending.find((m) => m.version < last);
  if (early) {
    throw new StoreDataError(`migration ${label(early)} is pending but the later ${last} is already applied`, `schema_migrations/${label(early)}`);
  }
  return pending;
}

async function apply(raw: RawSql, m: Migration): Promise<void> {
  await raw.exec(m.sql);
  await raw.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
}

function label(m: { version: string; name: string }): string {
  return `${m.version}_${m.name}`;
}
