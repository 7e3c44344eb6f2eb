/**
 * The two engines of the sql adapter behind one shape: a drizzle database for typed queries, a
 * transaction on one connection, and a raw transaction for migrations (multi-statement SQL files
 * need the simple query protocol).
 */
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { StoreLogger } from '../options';
import { Turns } from '../work-priority';
import { HOT_STATEMENTS, type Hot } from './prepared-statements';
import { executeText } from './literal';
import { pgliteThreadDriver, RemotePglite } from './pglite-remote';

export { quoteLiteral } from './literal';

/** A drizzle database or transaction: every repo query runs on one of these. */
export type Db = PgDatabase<any, any, any>;

/** Plain SQL on one connection inside one transaction (migrations). */
export interface RawSql {
  /** Runs parameterless SQL, possibly several statements. */
  exec(text: string): Promise<void>;
  query<R>(text: string, params?: unknown[]): Promise<R[]>;
}

/** Runs a fixed statement (named: prepared once per connection where the engine can). */
export type RunHot = <R>(statement: Hot) => Promise<R[]>;

/** What a transaction body hands back: its result, and `finish`, called right before COMMIT. */
export interface TxOutcome<T> {
  result: T;
  /** Sends the held-back writes at once (synchronously) and resolves when all that was sent is answered. */
  finish(): Promise<void>;
}

/** The connection a transaction body runs on. */
export interface TxConnection {
  db: Db;
  hot: RunHot;
  /** The BEGIN a pipelining driver sent without waiting, to be watched (null otherwise). */
  begin: Promise<unknown> | null;
}

export type TxBody<T> = (conn: TxConnection) => Promise<TxOutcome<T>>;

export interface SqlDriver {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Fixed statements outside a transaction. */
  readonly hot: RunHot;
  /** Whether statements go out before earlier answers are in (pg pipeline mode, PGlite in its thread). */
  readonly pipelined: boolean;
  /**
   * Whether a committed audit head may be used without a check: this process is the only writer and
   * each transaction is answered before the next begins (in-process PGlite). Otherwise what a
   * process remembers is checked in the transaction that uses it.
   */
  readonly serial: boolean;
  /** Prepares the fixed statements once the schema exists (engines that cannot prepare per protocol). */
  prepare(): Promise<void>;
  /** BEGIN, body, COMMIT on one connection; ROLLBACK if anything throws. */
  transaction<T>(body: TxBody<T>): Promise<T>;
  rawTransaction<T>(fn: (raw: RawSql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `memory://` gives an in-memory database (tests); anything else is a directory. */
export const PGLITE_MEMORY = 'memory://';

/**
 * Opens (creating if needed) a file-backed PGlite under `dataDir/pglite`, or an in-memory one, in a
 * thread of its own (pglite-remote.ts): the engine runs beside the requests, not on their thread.
 */
export async function openPglite(dataDir: string): Promise<SqlDriver> {
  if (dataDir === PGLITE_MEMORY) return pgliteThreadDriver(await RemotePglite.create(PGLITE_MEMORY));
  const dir = path.join(path.resolve(dataDir), 'pglite');
  await mkdir(dir, { recursive: true });
  return pgliteThreadDriver(await RemotePglite.create(dir));
}

/**
 * How long PGlite's turns follow one another before the event loop is let turn (work-priority.ts). Measured
 * on bench/reviews (p99 from the trigger's commit): 2 ms → 57, 5 ms → 70–81, 10 ms → 122, every
 * turn through the loop → 327–437, never unless the next turn is user work → 534–671;
 * bench/deadlines is the same within noise at 2, 5 and never (p99 179–217 ms, 5.1–5.4 ms of CPU per
 * deadline) (docs/decisions/006-store-turns.md).
 */
export const PGLITE_SLICE_MS = 5;

/**
 * The driver on a PGlite open in this thread (tests build theirs from a migrated template; the
 * service runs PGlite in a thread of its own, `openPglite`). Closing it closes the PGlite. PGlite
 * has one connection, so every query and transaction queues for it: in `Turns`, which lets the
 * system's own work go first (work-priority.ts), not in PGlite's first-come queue.
 */
export function pgliteDriver(client: PGlite): SqlDriver {
  const turns = new Turns(1, PGLITE_SLICE_MS);
  const inTurn: Pick<PGlite, 'query' | 'transaction'> = {
    query: (...args: Parameters<PGlite['query']>) => turns.run(() => client.query(...args)),
    transaction: (fn) => turns.run(() => client.transaction(fn)),
  } as Pick<PGlite, 'query' | 'transaction'>;
  const db = drizzlePglite({ client: inTurn as PGlite });
  return {
    kind: 'pglite',
    db,
    hot: (s) => turns.run(() => execute(client, s)),
    pipelined: false,
    serial: true,
    // PGlite's protocol path has no named statements, and planning the flush costs more than
    // running it: PREPARE once per session (PGlite has one), then EXECUTE (see execute()).
    prepare: async () => {
      for (const s of HOT_STATEMENTS) await turns.run(() => client.exec(`prepare ${s.name} as ${s.text}`));
    },
    // PGlite's transaction() holds its one connection exclusively until COMMIT.
    transaction: (body) =>
      turns.run(() =>
        client.transaction(async (tx) => {
          const hot: RunHot = (s) => execute(tx, s);
          const conn = { db: drizzlePglite({ client: tx as unknown as PGlite }), hot, begin: null };
          const { result, finish } = await body(conn);
          await finish();
          return result;
        }),
      ),
    rawTransaction: (fn) =>
      turns.run(() =>
        client.transaction((tx) =>
          fn({
            exec: async (text) => void (await tx.exec(text)),
            query: async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params)).rows,
          }),
        ),
      ),
    close: () => client.close(),
  };
}

/**
 * A pg pool on `databaseUrl`, pipelining. Idle-client errors are logged, not thrown (they would kill
 * the process). Work waits for one of the pool's connections in `Turns` rather than in the pool's
 * first-come queue, so the system's own work goes first (work-priority.ts).
 */
export function openPostgres(databaseUrl: string, poolSize: number, logger?: StoreLogger): SqlDriver {
  // Connections are renewed hourly, so a prepared statement planned while a table was small (a seq scan
  // then) is planned again against the grown table's statistics (docs/decisions/002-store.md).
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, pipeline: true, maxLifetimeSeconds: 3600 });
  pool.on('error', (err) => logger?.warn({ err: err.message }, 'postgres idle client error'));
  pool.on('connect', (client) => corkEachTick(client));
  const turns = new Turns(poolSize);
  const inTurn = { query: (...args: unknown[]) => turns.run(() => (pool.query as (...a: unknown[]) => Promise<unknown>)(...args)) };
  const perClient = new WeakMap<pg.PoolClient, Db>();
  const dbOf = (client: pg.PoolClient) => perClient.get(client) ?? perClient.set(client, drizzlePg({ client })).get(client)!;
  const hotOn = (q: Pick<pg.Pool, 'query'>): RunHot => async <R>(s: Hot) => (await q.query(s)).rows as R[];
  return {
    kind: 'postgres',
    db: drizzlePg({ client: inTurn as unknown as pg.Pool }),
    hot: (s) => turns.run(() => hotOn(pool)(s)),
    pipelined: true,
    serial: false,
    // pg prepares named statements on each connection at first use.
    prepare: async () => undefined,
    transaction: (body) =>
      turns.run(() => withClient(pool, async (client) => {
        // BEGIN leaves with the body's first statement, the held-back writes with the COMMIT: what is
        // sent in one tick leaves in one write (corkEachTick).
        const { result, finish } = await body({ db: dbOf(client), hot: hotOn(client), begin: client.query('BEGIN') });
        const [written, commit] = [finish(), client.query('COMMIT')] as const;
        // If a held-back write failed, the server ended the transaction and COMMIT was a ROLLBACK.
        await written.finally(() => commit.catch(() => undefined));
        await commit;
        return result;
      })),
    rawTransaction: (fn) =>
      turns.run(() => withClient(pool, async (client) => {
        await client.query('BEGIN');
        const result = await fn({
          exec: async (text) => void (await client.query(text)),
          query: async <R>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as R[],
        });
        await client.query('COMMIT');
        return result;
      })),
    close: () => pool.end(),
  };
}

/**
 * `execute name(…)` of a statement prepared by `prepare()`, with the values as literals
 * (literal.ts). Sent by the simple query protocol: PGlite crosses into wasm twice for it against six
 * times for a parameterised query.
 */
async function execute<R>(on: Pick<PGlite, 'exec'>, s: Hot): Promise<R[]> {
  const results = await on.exec(executeText(s.name, s.values));
  return (results.at(-1)?.rows ?? []) as R[];
}

/**
 * pg writes each protocol message (Parse, Bind, Describe, Execute, Sync) to the socket on its own:
 * a statement costs four or five system calls, and each wakes the server process. Corked from the
 * first message of a tick until the tick's queued work has run (`process.nextTick` runs after the
 * promise jobs then pending), every message sent meanwhile, by any statement on this connection,
 * leaves in one write. pg has no API for it; if its connection is not shaped as expected, nothing
 * changes.
 */
export function corkEachTick(client: pg.ClientBase): void {
  const connection = (client as unknown as { connection?: { _send?: (buffer: Buffer) => boolean; stream?: Partial<Writable> } }).connection;
  const send = connection?._send;
  const stream = connection?.stream;
  if (!connection || typeof send !== 'function' || typeof stream?.cork !== 'function' || typeof stream.uncork !== 'function') return;
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork!();
  };
  connection._send = function (this: unknown, buffer: Buffer) {
    if (!corked) {
      corked = true;
      stream.cork!();
      process.nextTick(uncork);
    }
    return send.call(this, buffer);
  };
}

/** Runs `fn` on a pooled connection; on a throw, rolls back (and drops a connection that cannot). */
async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    const result = await fn(client);
    client.release();
    return result;
  } catch (err) {
    await client.query('ROLLBACK').then(
      () => client.release(),
      (e: Error) => client.release(e),
    );
    throw err;
  }
}
