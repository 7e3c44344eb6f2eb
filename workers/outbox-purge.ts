/**
 * The outbox purge. A delivered outbox row has done its work: the relay added its job
 * and no consumer reads the row again. Left in place, delivered rows pile up in the table (and, on
 * a server without autovacuum, in the undelivered rows' partial index the relay polls). Every
 * `intervalMs` the purge deletes the rows delivered more than `retentionMs` ago (kept that long for
 * inspection after an incident), in batches of `batchSize`, oldest delivery first, at most
 * `maxBatches` per run so that a backlog is worked off over several runs instead of in one long
 * burst. Between batches the event loop turns, and every batch is the system's own work
 * (services/store/work-priority.ts).
 *
 * Several processes may purge at once: a batch skips rows another purge has locked. The first run
 * is one period after start, not at start.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Deps } from '../services/deps';
import { asSystemWork } from '../services/store';

export interface OutboxPurgeOptions {
  /** How long delivered rows are kept (OUTBOX_RETENTION_MS). */
  retentionMs: number;
  /** Period (OUTBOX_PURGE_INTERVAL_MS). */
  intervalMs: number;
  /** Rows deleted per statement (default 1000). */
  batchSize?: number;
  /** Batches per run at most (default 50). */
  maxBatches?: number;
}

export interface OutboxPurgeReport {
  /** Rows deleted. */
  purged: number;
  /** Rows delivered before this were eligible. */
  before: string;
  /** Whether the run stopped at `maxBatches` with rows possibly left for the next run. */
  more: boolean;
}

export interface OutboxPurge {
  /** Runs a purge now (or joins the one in flight). */
  run(): Promise<OutboxPurgeReport>;
  /** Stops the timer and waits for the run in flight. */
  stop(): Promise<void>;
}

export function startOutboxPurge(deps: Pick<Deps, 'store' | 'clock' | 'logger'>, options: OutboxPurgeOptions): OutboxPurge {
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? 50;
  let inFlight: Promise<OutboxPurgeReport> | null = null;
  let stopped = false;
  let failing = false;

  const purge = async (): Promise<OutboxPurgeReport> => {
    const before = new Date(deps.clock().getTime() - options.retentionMs).toISOString();
    const report: OutboxPurgeReport = { purged: 0, before, more: false };
    for (let batch = 0; !stopped; batch++) {
      if (batch === maxBatches) {
        report.more = true;
        break;
      }
      const deleted = await asSystemWork(() => deps.store.outbox.purgeDelivered(before, batchSize));
      report.purged += deleted;
      if (deleted < batchSize) break;
      await nextTurn();
    }
    if (report.purged > 0) deps.logger.info(report, 'outbox purge deleted delivered rows');
    return report;
  };

  const run = (): Promise<OutboxPurgeReport> => {
    inFlight ??= purge().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  const timer = setInterval(() => {
    run().then(
      () => {
        if (failing) deps.logger.info('outbox purge works again');
        failing = false;
      },
      (err: unknown) => {
        // The store is away: the rows stay and the next run retries. Logged once per outage.
        if (!failing) deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'outbox purge failed; it retries next period');
        failing = true;
      },
    );
  }, options.intervalMs);
  timer.unref();

  return {
    run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight?.catch(() => undefined);
    },
  };
}
