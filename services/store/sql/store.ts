/**
 * The sql adapter: the port on drizzle over PGlite or PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import type { AuditHashAlgorithm } from '../../audit/hash';
import type { StoreLogger } from '../options';
import type { AuditVerifyResult, StatsQueries, Store, StoreTx } from '../port';
import { oneAtATime } from '../in-call-order';
import { verifyChains } from '../verify';
import { casesRepo, reviewsRepo } from './aggregates';
import { firstCoveringTalks, firstTalkDates, pressureByOrg } from './coverage';
import { dutyRepos } from './duty';
import { idempotencyRepo } from './idempotency';
import { appendInTx, listStream, sqlAuditChains } from './audit';
import type { SqlDriver } from './driver';
import { driverError, isTransient, portError, sqlState, unwrapErrors } from './errors';
import { directExecutor, UnitOfWork, type Executor } from './executor';
import { HeadCache, Recent, type Memory } from './heads';
import { loadMigrations, migrate } from './migrate';
import { STALE_CACHE } from './prepared-statements';
import * as tables from './repositories';

/** How often a transaction that hit a deadlock or serialization failure is re-run. */
const TRANSIENT_ATTEMPTS = 5;

/**
 * The repos of the port on one executor. `appendAudit` differs in and out of a transaction: an
 * append is several statements and must be atomic on its own. Each repo is made when first used:
 * a command's transaction touches four or five of the thirteen.
 */
function repos(x: Executor, appendAudit: StoreTx['audit']['append']): StoreTx {
  const makers: { [K in Exclude<keyof StoreTx, 'batch'>]: () => StoreTx[K] } = {
    orgs: () => unwrapErrors(tables.orgsRepo(x)),
    users: () => unwrapErrors(tables.usersRepo(x)),
    cases: () => unwrapErrors(casesRepo(x)),
    reviews: () => unwrapErrors(reviewsRepo(x)),
    dispositions: () => unwrapErrors(tables.dispositionsRepo(x)),
    deadlines: () => unwrapErrors(tables.deadlinesRepo(x)),
    audit: () => unwrapErrors({ append: appendAudit, list: (stream: string) => listStream(x, stream) }),
    outbox: () => unwrapErrors(tables.outboxRepo(x)),
    notifications: () => unwrapErrors(tables.notificationsRepo(x)),
    calendars: () => unwrapErrors(tables.calendarsRepo(x)),
    duty: () => Object.fromEntries(Object.entries(dutyRepos(x)).map(([k, repo]) => [k, unwrapErrors(repo)])) as StoreTx['duty'],
    idempotency: () => unwrapErrors(idempotencyRepo(x)),
  };
  const tx = { batch: (...calls) => x.batch(calls) } as StoreTx;
  for (const [key, make] of Object.entries(makers)) {
    Object.defineProperty(tx, key, {
      enumerable: true,
      configurable: true,
      // Made on first use, then kept as a plain property.
      get() {
        const repo = make();
        Object.defineProperty(tx, key, { value: repo, enumerable: true, writable: false, configurable: false });
        return repo;
      },
    });
  }
  return tx;
}

export interface SqlStoreOptions {
  auditHash: AuditHashAlgorithm;
  logger?: StoreLogger;
  migrationsDir?: string;
}

export class SqlStore implements Store {
  readonly kind: 'pglite' | 'postgres';
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

  /** Committed audit heads, when this store is the database's only writer and its transactions are serial. */
  private readonly heads?: HeadCache;
  /** What this process's transactions committed last, to be checked when used (PostgreSQL, PGlite in its thread). */
  private readonly memory?: Memory;

  private constructor(
    private readonly driver: SqlDriver,
    private readonly options: SqlStoreOptions,
    /** Migrations applied when this store was opened (empty when the schema was up to date). */
    readonly migrationsApplied: readonly string[],
  ) {
    this.kind = driver.kind;
    this.heads = driver.serial ? new HeadCache() : undefined;
    this.memory = driver.pipelined ? { heads: new HeadCache(), deadlines: new Recent() } : undefined;
    const own = repos(directExecutor(driver.db, driver.hot), (stream, input) => this.transaction((tx) => tx.audit.append(stream, input)));
    this.batch = own.batch;
    ({ orgs: this.orgs, users: this.users, cases: this.cases, reviews: this.reviews, dispositions: this.dispositions } = own);
    ({ deadlines: this.deadlines, audit: this.audit, outbox: this.outbox, notifications: this.notifications, calendars: this.calendars, duty: this.duty } = own);
    this.idempotency = own.idempotency;
  }

  /** Migrates the database, then returns the store. Closes the driver if migrating fails. */
  static async open(driver: SqlDriver, options: SqlStoreOptions): Promise<SqlStore> {
    try {
      const applied = await migrate(driver, await loadMigrations(options.migrationsDir), options.logger);
      await driver.prepare();
      return new SqlStore(driver, options, applied);
    } catch (err) {
      await driver.close().catch(() => undefined);
      throw driverError(err);
    }
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    let useMemory = true;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(fn, useMemory);
      } catch (err) {
        if (attempt < TRANSIENT_ATTEMPTS && isTransient(err)) {
          const code = sqlState(err);
          if (code === STALE_CACHE) {
            // Another process wrote the aggregate's chain or deadlines meanwhile: the next try reads
            // them (what this process commits meanwhile is remembered again, and may be as stale).
            this.options.logger?.info({ attempt }, 'store transaction re-run: a remembered audit head or deadline had changed');
            useMemory = false;
            continue;
          }
          this.options.logger?.warn({ attempt, code }, 'store transaction re-run after a transient conflict');
          await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
          continue;
        }
        throw portError(err);
      }
    }
  }

  /**
   * One try: writes held back in a unit of work and sent with the COMMIT; committed heads and
   * deadlines remembered. A failed try forgets what it used of them: a stale one is why it failed.
   * Without `useMemory` the try reads heads and deadlines instead of taking remembered ones, and
   * remembers what it read and wrote as any other.
   */
  private async attempt<T>(fn: (tx: StoreTx) => Promise<T>, useMemory: boolean): Promise<T> {
    let work: UnitOfWork | undefined;
    let result: T;
    try {
      result = await this.driver.transaction(async (conn) => {
        const uow = new UnitOfWork(conn, this.driver.pipelined, this.heads, this.memory, useMemory);
        work = uow;
        const value = await fn(repos(uow, oneAtATime((stream, input) => appendInTx(uow, this.options.auditHash, stream, input))));
        return { result: value, finish: () => uow.finish() };
      });
    } catch (err) {
      if (work && this.memory) {
        const { used } = work.outcome();
        for (const stream of used.streams) this.memory.heads.delete(stream);
        for (const key of used.aggregates) this.memory.deadlines.delete(key);
      }
      throw err;
    }
    this.heads?.remember(work!.heads);
    if (this.memory) {
      this.memory.heads.remember(work!.heads);
      for (const [key, remembered] of work!.outcome().deadlines) {
        if (remembered) this.memory.deadlines.set(key, remembered);
        else this.memory.deadlines.delete(key);
      }
    }
    return result;
  }

  /**
   * Four-forms counts in the database (a million dispositions in about a second): each
   * (case, person) once at its most severe unrevoked form, then counted by form, rank and org level.
   */
  readonly stats: StatsQueries = {
    fourForms: async ({ from, to, orgIds }) => {
      const params: unknown[] = [];
      const where = ['revoked_at is null'];
      if (from) where.push(`decided_at >= $${params.push(from)}`);
      if (to) where.push(`decided_at < $${params.push(to)}`);
      if (orgIds) where.push(`org_id = any($${params.push(orgIds)}::text[])`);
      const text = `select form, rank, org_level, count(*)::int as n from (
          select max(form) as form, max(rank) as rank, max(org_level) as org_level
          from dispositions where ${where.join(' and ')} group by case_id, person_id) person_times
        group by form, rank, org_level`;
      const rows = await this.driver
        .rawTransaction(async (raw) => {
          // The per-person grouping holds up to a row per disposition: keep its hash table in memory.
          await raw.exec(`set local work_mem = '128MB'`);
          return raw.query<{ form: number; rank: string; org_level: string; n: number }>(text, params);
        })
        .catch((err: unknown) => {
          throw driverError(err);
        });
      return rows.map((r) => ({ form: Number(r.form), rank: r.rank, orgLevel: r.org_level, n: Number(r.n) }));
    },
    firstCoveringTalks: (query) =>
      firstCoveringTalks(this.driver, query).catch((err: unknown) => {
        throw driverError(err);
      }),
    firstTalkDates: (filter) =>
      firstTalkDates(this.driver, filter).catch((err: unknown) => {
        throw driverError(err);
      }),
    pressureByOrg: (filter) =>
      pressureByOrg(this.driver, filter).catch((err: unknown) => {
        throw driverError(err);
      }),
  };

  verifyAudit(): Promise<AuditVerifyResult> {
    return verifyChains(this.options.auditHash, sqlAuditChains(this.driver.db)).catch((err: unknown) => {
      throw driverError(err);
    });
  }

  async ping(): Promise<void> {
    await this.driver.db.execute(sql`select 1`);
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
