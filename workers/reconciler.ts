/**
 * The reconciler (ARCHITECTURE.md §2, §5): the database is the truth about deadlines and a BullMQ
 * delayed job is only the alarm clock. At worker start and every `RECONCILE_INTERVAL_MS` it
 * 1. lets the outbox relay deliver what is pending,
 * 2. takes every step whose time has come (a lost, failed or late job loses nothing),
 * 3. re-adds the delayed job of every clock whose next step is in the future and whose job is
 *    missing in Redis (FLUSHDB, a new Redis, a job trimmed by hand); a step taken in 2. wrote its
 *    successor's job with the take,
 * 4. re-enqueues every other effect whose consequence the store lacks: reviews not opened, review
 *    conclusions and `deadline.reached` not recorded (workers/effects.ts).
 * The listing is one query (the port's `listActive` has no cursor); the work on it is done in pages.
 * Besides its period it runs right after Redis comes back (`runSoon`): a Redis restarted without
 * its data is repaired at once, not one period later.
 */
import type { Deps } from '../services/deps';
import { asSystemWork } from '../services/store';
import { nextStepRows } from '../services/queues/rows';
import type { DeadlineRecord } from '../services/store/port';
import { takeDueOn } from '../services/deadlines/take';
import type { DeadlineProcessorOptions } from './deadlines';
import { reconcileEffects, type EffectsReport } from './effects';
import type { Queues } from './queues';
import { jobOf, type OutboxRelay } from './relay';

export interface ReconcileOptions extends Partial<Pick<DeadlineProcessorOptions, 'wake' | 'onTaken'>> {
  relay?: OutboxRelay;
  /** Deadlines checked against Redis at a time (default 200). */
  pageSize?: number;
  /** Steps whose `deadline.reached` the aggregate recorded (workers/effects.ts), kept across runs. */
  recordedSteps?: Set<string>;
}

export interface ReconcileReport {
  /** Open or overdue deadlines looked at. */
  active: number;
  /** Deadlines on which a step was taken. */
  taken: number;
  /** Delayed jobs re-added. */
  restored: number;
  /** Other effects (reviews, conclusions, deadline.reached) whose consequence the store lacked. */
  effects: EffectsReport;
  ms: number;
}

export async function reconcile(deps: Deps, queues: Queues, now: Date = deps.clock(), options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const started = Date.now();
  await options.relay?.flush();
  const active = await deps.store.deadlines.listActive();
  reportGauges(deps, active);
  const report: ReconcileReport = { active: active.length, taken: 0, restored: 0, effects: { unsettled: 0, missing: 0, requeued: 0, retried: 0 }, ms: 0 };
  const pageSize = options.pageSize ?? 200;
  const scheduled = await scheduledJobIds(queues);
  for (let i = 0; i < active.length; i += pageSize) {
    const page = active.slice(i, i + pageSize);
    const taken = await takeDueOn(deps, page, now, { wake: options.wake ?? deps.wake, onTaken: options.onTaken });
    report.taken += taken.filter((t) => t.taken.length > 0).length;
    // A take only touches steps that are due and writes its successor's job itself; for the others
    // the next step read is still the next step.
    report.restored += await restoreMissing(queues, page, scheduled, now);
  }
  // After the takes: a step taken just now has its `reached` job on the way, found by its id.
  report.effects = await reconcileEffects(deps, queues, active, { recordedSteps: options.recordedSteps });
  report.ms = Date.now() - started;
  if (report.taken || report.restored || report.effects.requeued || report.effects.retried) deps.logger.info(report, 'reconciler repaired deadlines or effects');
  return report;
}

/**
 * Ids of the deadline jobs still to run. One range read per state instead of a `getJob` per step:
 * with 10,000 open deadlines that is a few ZRANGE/LRANGE calls instead of 20,000 HGETALLs. A job
 * that moves between states during the reads may be missed; re-adding it is a no-op (same job id).
 */
async function scheduledJobIds(queues: Queues): Promise<Set<string>> {
  return new Set(await queues.deadlines.getRanges(['delayed', 'waiting', 'prioritized', 'active'], 0, -1));
}

/** Re-adds the delayed job of each clock's next step (not taken, planned after `now`) that Redis lacks. */
async function restoreMissing(queues: Queues, page: DeadlineRecord[], scheduled: Set<string>, now: Date): Promise<number> {
  const future = (at: string | null) => at !== null && Date.parse(at) > now.getTime();
  const missing = page
    .flatMap((record) => nextStepRows(record, now.toISOString()))
    .filter((row) => future(row.runAt) && !scheduled.has(row.id));
  if (missing.length === 0) return 0;
  await queues.deadlines.addBulk(missing.map((row) => jobOf(row, now)));
  return missing.length;
}

function reportGauges(deps: Deps, active: DeadlineRecord[]): void {
  const overdue = active.filter((d) => d.status === 'overdue').length;
  deps.metrics?.deadlines.set({ status: 'open' }, active.length - overdue);
  deps.metrics?.deadlines.set({ status: 'overdue' }, overdue);
}

/**
 * Runs {@link reconcile} now and then every `intervalMs`, one run at a time (a slow run delays the
 * next instead of overlapping it). `runSoon()` asks for a run now (Redis came back): during a run it
 * makes one more follow at once. `stop()` waits for the run in flight.
 */
export function startReconciler(deps: Deps, queues: Queues, intervalMs: number, options: ReconcileOptions = {}) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const runOptions = { ...options, recordedSteps: options.recordedSteps ?? new Set<string>() };
  const run = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    again = false;
    running = asSystemWork(() => reconcile(deps, queues, deps.clock(), runOptions))
      .then(() => undefined, (err: unknown) => deps.logger.error({ err }, 'reconciler run failed; next run in the next interval'))
      .finally(() => {
        running = null;
        if (!stopped) timer = again ? setTimeout(run, 0) : setTimeout(run, intervalMs);
      });
  };
  run();
  return {
    /** The run in flight, if any (tests wait on the first one). */
    idle: async () => void (await running),
    /** A run now, or right after the one in flight. */
    runSoon: () => {
      if (stopped) return;
      if (running) again = true;
      else run();
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
