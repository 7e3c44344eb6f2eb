/**
 * Runs the store contract against every adapter that can run here: PGlite always (in this thread,
 * and in a thread of its own as the service runs it), PostgreSQL when
 * it answers on TEST_DATABASE_URL (default 127.0.0.1:5432), MongoDB when MONGODB_URI is set.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createStore, type Store } from '../../../services/store';
import {
  mongoHarness,
  pgliteHarness,
  pgliteThreadHarness,
  postgresAnswers,
  postgresHarness,
  TEST_DATABASE_URL,
} from '../../helpers/store';
import { describeStoreContract } from './contract';
import { loadMigrations } from '../../../services/store/sql/migrate';

describeStoreContract('pglite', pgliteHarness);
describeStoreContract('pglite-thread', pgliteThreadHarness);

const postgres = postgresAnswers();
if (postgres) describeStoreContract('postgres', postgresHarness);

if (process.env.MONGODB_URI) describeStoreContract('mongo', mongoHarness);

describe('createStore', () => {
  if (!postgres) console.warn(`store: PostgreSQL run skipped: nothing answers at ${new URL(TEST_DATABASE_URL).host}`);
  if (!process.env.MONGODB_URI) console.warn('store: MongoDB run skipped: MONGODB_URI is not set (no MongoDB server on this machine)');

  it('when neither URL is given, then it opens a file-backed PGlite under <dataDir>/pglite and migrates it', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'store-create-'));
    const migrations = (s: Store) => (s as unknown as { migrationsApplied: string[] }).migrationsApplied;
    try {
      const store = await createStore({ dataDir, auditHash: 'sha256' });
      expect(store.kind).toBe('pglite');
      expect(migrations(store)).toEqual((await loadMigrations()).map((m) => m.version));
      await store.close();
      expect(existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000); // a file-backed PGlite that applies every migration: seconds alone, much longer on a busy machine

  if (postgres) {
    it('when several processes start at once on one PostgreSQL, then the migrations are applied once', async () => {
      const name = `test_store_migrate_${Date.now().toString(36)}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`create database ${name}`);
      try {
        const url = new URL(TEST_DATABASE_URL);
        url.pathname = `/${name}`;
        const stores = await Promise.all(
          Array.from({ length: 4 }, () => createStore({ databaseUrl: url.toString(), dataDir: 'unused', auditHash: 'sm3', poolSize: 2 })),
        );
        const applied = stores.map((s) => (s as unknown as { migrationsApplied: string[] }).migrationsApplied);
        expect(stores.every((s) => s.kind === 'postgres')).toBe(true);
        expect(applied.filter((a) => a.length > 0)).toEqual([(await loadMigrations()).map((m) => m.version)]);
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    });
  }
});
