/**
 * Fresh stores for tests: PGlite in memory (from a migrated template, so each costs ~0.3 s instead
 * of an initdb) or in a temp directory, in this thread or in a thread of its own as the service runs it, PostgreSQL in a fresh database dropped afterwards, MongoDB
 * in a fresh database when MONGODB_URI is set. Each comes with raw access for tampering tests.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import mongoose from 'mongoose';
import pg from 'pg';
import type { AuditHashAlgorithm } from '../../services/audit/hash';
import { createStore } from '../../services/store';
import type { AuditEvent, Store } from '../../services/store/port';
import { MongoStore } from '../../services/store/mongo/store';
import { pgliteDriver } from '../../services/store/sql/driver';
import { pgliteThreadDriver, RemotePglite } from '../../services/store/sql/pglite-remote';
import { loadMigrations, migrate } from '../../services/store/sql/migrate';
import { SqlStore } from '../../services/store/sql/store';

/** Edits behind the store's back, as an intruder with database access would make them. */
export interface RawStoreAccess {
  setAuditField(stream: string, seq: number, field: keyof AuditEvent, value: unknown): Promise<void>;
  deleteAuditEvent(stream: string, seq: number): Promise<void>;
  insertAuditEvent(e: AuditEvent): Promise<void>;
  /** Stores `value` (any JSON, or a string of broken JSON) in a JSON field of a record. */
  setJson(table: 'cases' | 'reviews' | 'users' | 'deadlines', id: string, field: string, value: unknown): Promise<void>;
  setText(table: 'cases' | 'reviews' | 'users' | 'deadlines', id: string, field: string, value: string): Promise<void>;
  addMigration(version: string, name: string): Promise<void>;
}

export interface StoreHarness {
  store: Store;
  raw: RawStoreAccess;
  /** Closes the store and opens it again on the same data; `store` then is the new one. */
  reopen(): Promise<Store>;
  dispose(): Promise<void>;
}

export interface HarnessOptions {
  auditHash: AuditHashAlgorithm;
  /** On disk, so that `reopen` finds the data (PGlite; the servers always are). */
  persistent?: boolean;
  /** PostgreSQL connections (default 10); PGlite always has one. */
  poolSize?: number;
}

export type MakeHarness = (options: HarnessOptions) => Promise<StoreHarness>;

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const suffix = () => `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
const column = (field: string) =>
  field === 'from' ? 'from_state' : field === 'to' ? 'to_state' : field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Raw access through plain SQL (PGlite client or pg client). Identifiers come from the tests only. */
function sqlRaw(query: (text: string, params: unknown[]) => Promise<unknown>): RawStoreAccess {
  return {
    setAuditField: async (stream, seq, field, value) => {
      const cast = field === 'detail' ? '::jsonb' : '';
      const v = field === 'detail' && value !== null ? JSON.stringify(value) : value;
      await query(`update audit_events set ${column(field)} = $1${cast} where stream = $2 and seq = $3`, [v, stream, seq]);
    },
    deleteAuditEvent: async (stream, seq) => void (await query('delete from audit_events where stream = $1 and seq = $2', [stream, seq])),
    insertAuditEvent: async (e) =>
      void (await query(
        `insert into audit_events (stream, seq, at, actor, action, outcome, from_state, to_state, detail, prev_hash, hash)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)`,
        [e.stream, e.seq, e.at, e.actor, e.action, e.outcome, e.from, e.to, e.detail === undefined ? null : JSON.stringify(e.detail), e.prevHash, e.hash],
      )),
    setJson: async (table, id, field, value) => void (await query(`update ${table} set ${column(field)} = $1::jsonb where id = $2`, [JSON.stringify(value), id])),
    setText: async (table, id, field, value) => void (await query(`update ${table} set ${column(field)} = $1 where id = $2`, [value, id])),
    addMigration: async (version, name) =>
      void (await query(`insert into schema_migrations (version, name, checksum) values ($1, $2, 'unknown')`, [version, name])),
  };
}

let artifacts: Promise<PGliteOptions> | undefined;

/** PGlite's wasm modules and file bundle, compiled and read once per test process (seconds each time otherwise). */
function pgliteArtifacts(): Promise<PGliteOptions> {
  artifacts ??= (async () => {
    const dist = path.dirname(require.resolve('@electric-sql/pglite'));
    const [pglite, initdb, bundle] = await Promise.all(['pglite.wasm', 'initdb.wasm', 'pglite.data'].map((f) => readFile(path.join(dist, f))));
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([WebAssembly.compile(pglite), WebAssembly.compile(initdb)]);
    return { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([bundle]) };
  })();
  return artifacts;
}

let template: Promise<Blob> | undefined;

/**
 * A migrated, empty PGlite data directory, built once per test process and kept in the temp
 * directory between runs under a key of the migrations and the PGlite version (an initdb costs
 * seconds; every test file that needs a store starts from this).
 */
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const migrations = await loadMigrations();
    const { version } = JSON.parse(await readFile(path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8'));
    const key = createHash('sha256').update(`${version}\n${migrations.map((m) => m.checksum).join('\n')}`).digest('hex').slice(0, 16);
    const file = path.join(tmpdir(), `store-pglite-template-${key}.tar`);
    const cached = await readFile(file).catch(() => null);
    if (cached) return new Blob([cached]);
    const client = await PGlite.create('memory://', await pgliteArtifacts());
    await migrate(pgliteDriver(client), migrations);
    const dump = await client.dumpDataDir('none');
    await client.close();
    // Written aside and renamed: parallel test workers never read half a file.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  })();
  return template;
}

/**
 * A store on PGlite in a thread of its own, as the service opens it, from the migrated template
 * unless `template` is null (a directory that already holds a database); `remote` is the thread.
 */
export async function openPgliteThread(dataDir: string, auditHash: AuditHashAlgorithm, template: Blob | null | undefined = undefined): Promise<{ store: Store; remote: RemotePglite }> {
  const start = template === undefined ? await pgliteTemplate() : template;
  const artifacts = await pgliteArtifacts();
  const bytes = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());
  const remote = await RemotePglite.create(dataDir, {
    pgliteWasmModule: artifacts.pgliteWasmModule,
    initdbWasmModule: artifacts.initdbWasmModule,
    fsBundle: await bytes(artifacts.fsBundle as Blob),
    ...(start ? { loadDataDir: await bytes(start) } : {}),
  });
  return { store: await SqlStore.open(pgliteThreadDriver(remote), { auditHash }), remote };
}

/** PGlite in this thread, on the in-process driver. */
export const pgliteHarness: MakeHarness = (options) => pgliteHarnessOn(false, options);

/** PGlite as the service runs it: in a thread of its own (services/store/sql/pglite-remote.ts). */
export const pgliteThreadHarness: MakeHarness = (options) => pgliteHarnessOn(true, options);

async function pgliteHarnessOn(thread: boolean, { auditHash, persistent }: HarnessOptions): Promise<StoreHarness> {
  const dir = persistent ? await mkdtemp(path.join(tmpdir(), 'store-pglite-')) : undefined;
  const dataDir = dir ? path.join(dir, 'pglite') : 'memory://';
  // On disk the first open unpacks the template too; reopening finds the files.
  let opened = false;
  const open = async (): Promise<{ store: Store; query: (text: string, params: unknown[]) => Promise<unknown> }> => {
    const template = opened ? undefined : await pgliteTemplate();
    opened = true;
    if (thread) {
      const { store, remote } = await openPgliteThread(dataDir, auditHash, template ?? null);
      return { store, query: (text, params) => remote.query(text, params) };
    }
    const client = await PGlite.create(dataDir, { ...(await pgliteArtifacts()), ...(template ? { loadDataDir: template } : {}) });
    return { store: await SqlStore.open(pgliteDriver(client), { auditHash }), query: (text, params) => client.query(text, params) };
  };
  let current = await open();
  const harness: StoreHarness = {
    store: current.store,
    raw: sqlRaw((text, params) => current.query(text, params)),
    async reopen() {
      if (!dir) throw new Error('an in-memory PGlite cannot be reopened; ask for a persistent harness');
      await current.store.close();
      current = await open();
      harness.store = current.store;
      return current.store;
    },
    async dispose() {
      await current.store.close().catch(() => undefined); // already closed when a reopen failed
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Whether PostgreSQL answers at TEST_DATABASE_URL. Synchronous, so that a test file can decide what to register. */
export function postgresAnswers(): boolean {
  const probe = `const c = new (require('pg').Client)({ connectionString: process.argv[1], connectionTimeoutMillis: 2000 });
    c.connect().then(() => c.query('select 1')).then(() => c.end()).then(() => process.exit(0), () => process.exit(1));`;
  const res = spawnSync(process.execPath, ['-e', probe, TEST_DATABASE_URL], { cwd: path.resolve(__dirname, '..', '..'), timeout: 5000 });
  return res.status === 0;
}

export const postgresHarness: MakeHarness = async ({ auditHash, poolSize = 10 }) => {
  const name = `test_store_${suffix()}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const raw = new pg.Client({ connectionString: url.toString() });
  await raw.connect();
  const open = () => createStore({ databaseUrl: url.toString(), dataDir: 'unused', auditHash, poolSize });
  const harness: StoreHarness = {
    store: await open(),
    raw: sqlRaw((text, params) => raw.query(text, params)),
    async reopen() {
      await harness.store.close();
      harness.store = await open();
      return harness.store;
    },
    async dispose() {
      await harness.store.close().catch(() => undefined);
      await raw.end();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
  return harness;
};

export const mongoHarness: MakeHarness = async ({ auditHash }) => {
  const uri = process.env.MONGODB_URI!;
  const dbName = `test_store_${suffix()}`;
  const conn = await mongoose.createConnection(uri, { dbName }).asPromise();
  const col = (name: string) => conn.collection(name);
  const raw: RawStoreAccess = {
    setAuditField: async (stream, seq, field, value) => void (await col('audit_events').updateOne({ stream, seq }, { $set: { [field]: value } })),
    deleteAuditEvent: async (stream, seq) => void (await col('audit_events').deleteOne({ stream, seq })),
    insertAuditEvent: async (e) => void (await col('audit_events').insertOne({ ...e })),
    setJson: async (table, id, field, value) => void (await col(table).updateOne({ _id: id as never }, { $set: { [field]: value } })),
    setText: async (table, id, field, value) => void (await col(table).updateOne({ _id: id as never }, { $set: { [field]: value } })),
    addMigration: async (version, name) => void (await col('schema_migrations').insertOne({ _id: `${version}_${name}` as never, appliedAt: new Date() })),
  };
  const open = () => MongoStore.open(uri, { auditHash, dbName });
  const harness: StoreHarness = {
    store: await open(),
    raw,
    async reopen() {
      await harness.store.close();
      harness.store = await open();
      return harness.store;
    },
    async dispose() {
      await harness.store.close().catch(() => undefined);
      await conn.dropDatabase();
      await conn.close();
    },
  };
  return harness;
};
