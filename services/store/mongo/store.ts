/**
 * The mongo adapter: the port on mongoose. Needs a replica set (or mongos): MongoDB has
 * multi-document transactions only there, and every command is one transaction.
 */
import mongoose, { type ClientSession, type Connection } from 'mongoose';
import type { AuditHashAlgorithm } from '../../audit/hash';
import type { StoreLogger } from '../options';
import { DuplicateError, StoreDataError, type AuditVerifyResult, type Store, type StoreTx } from '../port';
import { oneAtATime, sequentially } from '../in-call-order';
import { verifyChains, type AuditHead } from '../verify';
import { isDuplicateKey, mongoCases, mongoReviews } from './aggregates';
import { appendInTx, listStream, mongoAuditChains } from './audit';
import type { Doc } from './docs';
import { defineModels, type Models } from './models';
import * as tables from './repositories';
import { mongoDuty } from './duty';
import { mongoIdempotency } from './idempotency';

/** What this code's collections and indexes correspond to; a database with others is newer. */
const MIGRATIONS = ['0001_init', '0003_idempotency', '0005_responsibility'];

export interface MongoStoreOptions {
  auditHash: AuditHashAlgorithm;
  logger?: StoreLogger;
  /** Database to use instead of the one named in the URI (tests use a fresh one per run). */
  dbName?: string;
}

/** Rethrows a duplicate-key error as the port's DuplicateError, for every repo method. */
function duplicatesAsPortErrors<T extends object>(repo: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(repo)) {
    out[name] = (...args: unknown[]) =>
      (fn as (...a: unknown[]) => Promise<unknown>).apply(repo, args).catch((err: unknown) => {
        throw isDuplicateKey(err) ? new DuplicateError((err as Error).message) : err;
      });
  }
  return out as T;
}

function repos(m: Models, appendAudit: StoreTx['audit']['append'], session?: ClientSession): StoreTx {
  const d = duplicatesAsPortErrors;
  return {
    // A session takes one operation at a time.
    batch: sequentially,
    orgs: d(tables.mongoOrgs(m, session)),
    users: d(tables.mongoUsers(m, session)),
    cases: d(mongoCases(m, session)),
    reviews: d(mongoReviews(m, session)),
    dispositions: d(tables.mongoDispositions(m, session)),
    deadlines: d(tables.mongoDeadlines(m, session)),
    audit: { append: appendAudit, list: (stream) => listStream(m, stream, session) },
    outbox: d(tables.mongoOutbox(m, session)),
    notifications: d(tables.mongoNotifications(m, session)),
    calendars: d(tables.mongoCalendars(m, session)),
    duty: Object.fromEntries(Object.entries(mongoDuty(m, session)).map(([k, repo]) => [k, d(repo)])) as StoreTx['duty'],
    idempotency: mongoIdempotency(m, session),
  };
}

/** Refuses a standalone server, whose sessions cannot run transactions. */
async function requireTransactions(conn: Connection): Promise<void> {
  const admin = conn.db!.admin();
  const hello = await admin.command({ hello: 1 }).catch(() => admin.command({ isMaster: 1 }));
  if (!hello.setName && hello.msg !== 'isdbgrid') {
    throw new Error(
      'MongoDB is a standalone server: the store needs a replica set (or a sharded cluster) for transactions. ' +
        'Start mongod with --replSet rs0 and run rs.initiate() once (a one-member replica set is enough).',
    );
  }
}

/** Records the collections' version; refuses a database written by newer code. */
async function checkMigrations(m: Models): Promise<string[]> {
  const applied = (await m.schemaMigrations.find({}).lean<Doc[]>()).map((d) => String(d._id));
  const unknown = applied.find((v) => !MIGRATIONS.includes(v));
  if (unknown) {
    throw new StoreDataError(
      `the database has migration ${unknown}, which this code does not know: its schema is newer than the code. Run a release that includes it.`,
      `schema_migrations/${unknown}`,
    );
  }
  const pending = MIGRATIONS.filter((v) => !applied.includes(v));
  for (const v of pending) await m.schemaMigrations.updateOne({ _id: v }, { $setOnInsert: { appliedAt: new Date() } }, { upsert: true });
  return pending;
}

export class MongoStore implements Store {
  readonly kind = 'mongo' as const;
  readonly batch: StoreTx['batch'];
  readonly orgs: StoreTx['orgs'];
  readonly users: StoreTx['users'];
  readonly cases: StoreTx['cases'];
  readonly reviews: StoreTx['reviews'];
  readonly dispositions: StoreTx['dispositions'];
  readonly deadlines: StoreTx['deadlines'];
  readonly audit: StoreTx['audit'];
  readonly outbox: StoreTx['outbox'];
  readonly notifications: StoreTx['notifications'];
  readonly calendars: StoreTx['calendars'];
  readonly duty: StoreTx['duty'];
  readonly idempotency: StoreTx['idempotency'];

  private constructor(
    private readonly conn: Connection,
    private readonly models: Models,
    private readonly options: MongoStoreOptions,
    readonly migrationsApplied: readonly string[],
  ) {
    const own = repos(models, (stream, input) => this.transaction((tx) => tx.audit.append(stream, input)));
    this.batch = own.batch;
    ({ orgs: this.orgs, users: this.users, cases: this.cases, reviews: this.reviews, dispositions: this.dispositions } = own);
    ({ deadlines: this.deadlines, audit: this.audit, outbox: this.outbox, notifications: this.notifications, calendars: this.calendars, duty: this.duty } = own);
    this.idempotency = own.idempotency;
  }

  /** Connects, checks for a replica set, creates collections and indexes. Closes the connection on failure. */
  static async open(uri: string, options: MongoStoreOptions): Promise<MongoStore> {
    const conn = await mongoose.createConnection(uri, { autoIndex: false, dbName: options.dbName }).asPromise();
    try {
      await requireTransactions(conn);
      const models = defineModels(conn);
      // Collections must exist before a transaction writes to them (MongoDB < 4.4 cannot create them inside one).
      for (const model of Object.values(models)) await model.init();
      for (const model of Object.values(models)) await model.createIndexes();
      const applied = await checkMigrations(models);
      if (applied.length > 0) options.logger?.info({ migrations: applied }, 'store migrations applied');
      return new MongoStore(conn, models, options, applied);
    } catch (err) {
      await conn.close().catch(() => undefined);
      throw err;
    }
  }

  /** One MongoDB transaction; `withTransaction` re-runs `fn` on transient errors (write conflicts). */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.conn.transaction((session) => {
      const heads = new Map<string, AuditHead>();
      const append = oneAtATime<StoreTx['audit']['append']>((stream, input) => appendInTx(this.models, session, this.options.auditHash, heads, stream, input));
      return fn(repos(this.models, append, session));
    });
  }

  verifyAudit(): Promise<AuditVerifyResult> {
    return verifyChains(this.options.auditHash, mongoAuditChains(this.conn, this.models));
  }

  async ping(): Promise<void> {
    await this.conn.db!.admin().command({ ping: 1 });
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}
