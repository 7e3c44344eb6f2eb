/**
 * The outbox relay (ARCHITECTURE.md §2): committed outbox rows → BullMQ jobs, at least once. A row is
 * marked delivered only after its job was added, so a crash in between re-delivers it; the row id is
 * the job id, so the duplicate is the same job while it exists, and every consumer is idempotent.
 * Several processes may relay at once for the same reason.
 *
 * Rows committed in this process are handed over right after the commit (`wake(rows)`) and added
 * with the next turn of the event loop, without reading them back and without waiting for a poll
 * pass in flight; their delivery
 * is recorded in batches (with the next poll), so a command costs the database no relay statement
 * of its own. Rows of other processes, and rows whose hand-over failed, are found by the poll.
 */
import type { Logger } from 'pino';
import { asSystemWork } from '../services/store';
import type { JobKey, QueueName } from '../services/queues/contracts';
import type { OutboxRow, Store, StoredOutboxRow } from '../services/store/port';
import type { Metrics } from '../services/metrics';
import { isQueueName, JOB_OPTIONS, type Queues } from './queues';

/** A row of a queue this version knows. */
type Deliverable = StoredOutboxRow & { queue: QueueName };

export interface RelayOptions {
  logger: Logger;
  /** Rows per batch (default 500). */
  batchSize?: number;
  /** Poll period in ms (default 300): picks up rows committed by other processes. */
  pollMs?: number;
  clock?: () => Date;
  metrics?: Pick<Metrics, 'outboxLagSeconds'>;
}

export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly clock: () => Date;
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** Rows of an unknown queue: logged once, left undelivered, skipped when sizing batches. */
  private readonly stuck = new Set<string>();
  private failing = false;
  /** Ids of handed-over rows being added to their queue: a poll's listing passes over them. */
  private readonly handing = new Set<string>();
  /** Handed-over rows waiting for the next turn of the event loop. */
  private pending: OutboxRow[] = [];
  /** Hand-overs in flight (awaited by flush and stop). */
  private readonly adding = new Set<Promise<void>>();
  /** Rows added to their queue and not yet marked delivered (marked with the next poll). */
  private readonly unmarked = new Set<string>();
  /** Rows delivered by this relay since it was created. */
  delivered = 0;

  constructor(
    private readonly store: Store,
    private readonly queues: Queues,
    private readonly options: RelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollMs = options.pollMs ?? 300;
    this.clock = options.clock ?? (() => new Date());
  }

  /** Starts polling (and relays at once). */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.poll(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  /**
   * Asks for a pass soon; calls during a pass coalesce into one more pass. With `rows` (just
   * committed), those rows are added with the next turn of the event loop and nothing is read.
   * Never throws.
   */
  wake(rows?: readonly OutboxRow[]): void {
    if (this.stopped) return;
    if (rows) {
      const deliverable = rows.filter((row) => this.isDeliverable(row));
      if (deliverable.length > 0) this.handOver(deliverable);
      return;
    }
    this.again = true;
    // System work even when woken by a user's command (services/store/work-priority.ts).
    this.loop ??= asSystemWork(() => this.run()).finally(() => {
      this.loop = null;
    });
  }

  private poll(): void {
    this.wake();
  }

  /** Waits for the hand-overs in flight, then runs a pass now (or joins the one in flight, which then passes once more). */
  async flush(): Promise<void> {
    this.addPending();
    await Promise.all(this.adding);
    this.wake();
    await this.loop;
  }

  /** Stops polling, waits for the work in flight and records what it delivered. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.addPending();
    await Promise.all([this.loop, ...this.adding]);
    await this.markUnmarked().catch((err: unknown) => this.options.logger.warn({ err }, 'outbox rows delivered but not marked; they will be delivered again'));
  }

  private async run(): Promise<void> {
    while (this.again && !this.stopped) {
      this.again = false;
      try {
        await this.markUnmarked();
        while ((await this.deliverBatch()) >= this.batchSize && !this.stopped);
        if (this.failing) this.options.logger.info('outbox relay delivers again');
        this.failing = false;
      } catch (err) {
        // Redis or the database is away: the rows stay undelivered and the next poll retries.
        // Logged once per outage, not every 300 ms.
        if (!this.failing) this.options.logger.error({ err }, 'outbox relay failed; retrying on the next poll');
        this.failing = true;
        return;
      }
    }
  }

  /**
   * Adds handed-over rows to their queues with the next turn of the event loop: the rows of every
   * commit that completes meanwhile go in the same request. They are marked delivered with the next
   * poll. If adding fails they are left: still undelivered in the store, the poll retries them.
   */
  private handOver(rows: OutboxRow[]): void {
    for (const row of rows) this.handing.add(row.id);
    this.pending.push(...rows);
    if (this.pending.length === rows.length) setImmediate(() => this.addPending());
  }

  private addPending(): void {
    const rows = this.pending;
    if (rows.length === 0) return;
    this.pending = [];
    const adding = asSystemWork(() => this.addJobs(rows, this.clock())).then(
      () => {
        for (const row of rows) this.unmarked.add(row.id);
        this.delivered += rows.length;
        if (this.unmarked.size >= this.batchSize) this.wake();
      },
      (err: unknown) => {
        if (!this.failing) this.options.logger.warn({ err, rows: rows.length }, 'handing committed outbox rows to their queue failed; the poll delivers them');
      },
    );
    const done = adding.finally(() => {
      for (const row of rows) this.handing.delete(row.id);
      this.adding.delete(done);
    });
    this.adding.add(done);
  }

  private async markUnmarked(): Promise<void> {
    if (this.unmarked.size === 0) return;
    const ids = [...this.unmarked];
    await this.store.outbox.markDelivered(ids, this.clock().toISOString());
    for (const id of ids) this.unmarked.delete(id);
  }

  private async deliverBatch(): Promise<number> {
    // Stuck rows come first in the listing (oldest first); ask for enough rows to get past them.
    // Rows being handed over, or handed over and not yet marked, come first too: pass over them.
    const rows = await this.store.outbox.listUndelivered(this.batchSize + this.stuck.size + this.handing.size + this.unmarked.size);
    const now = this.clock();
    const ours = (row: StoredOutboxRow) => this.handing.has(row.id) || this.unmarked.has(row.id);
    this.reportLag(rows.filter((row) => !ours(row)), now);
    const deliverable = rows.filter((row): row is Deliverable => !ours(row) && this.isDeliverable(row));
    if (deliverable.length === 0) return 0;
    await this.addJobs(deliverable, now);
    await this.store.outbox.markDelivered(deliverable.map((r) => r.id), now.toISOString());
    this.delivered += deliverable.length;
    return deliverable.length;
  }

  private async addJobs(rows: readonly Deliverable[], now: Date): Promise<void> {
    for (const [queue, group] of groupByQueue(rows)) {
      await this.queues[queue].addBulk(group.map((row) => jobOf(row, now)));
    }
  }

  private isDeliverable(row: StoredOutboxRow): row is Deliverable {
    if (isQueueName(row.queue)) return true;
    if (!this.stuck.has(row.id)) {
      this.stuck.add(row.id);
      this.options.logger.error({ outboxId: row.id, queue: row.queue, job: row.name }, 'outbox row names an unknown queue; left undelivered');
    }
    return false;
  }

  private reportLag(rows: StoredOutboxRow[], now: Date): void {
    const oldest = rows.find((r) => !this.stuck.has(r.id));
    const lag = oldest ? Math.max(0, now.getTime() - Date.parse(oldest.createdAt)) / 1000 : 0;
    this.options.metrics?.outboxLagSeconds.set(lag);
  }
}

function groupByQueue(rows: readonly Deliverable[]): Map<QueueName, Deliverable[]> {
  const groups = new Map<QueueName, Deliverable[]>();
  for (const row of rows) {
    const queue = row.queue;
    const group = groups.get(queue);
    if (group) group.push(row);
    else groups.set(queue, [row]);
  }
  return groups;
}

/** The job of a row: its id as job id, delayed until `runAt` (a past `runAt` runs now). */
export function jobOf(row: StoredOutboxRow, now: Date) {
  const delay = row.runAt ? Math.max(0, Date.parse(row.runAt) - now.getTime()) : 0;
  return { name: row.name, data: row.data, opts: { ...JOB_OPTIONS[`${row.queue}/${row.name}` as JobKey], jobId: row.id, delay } };
}
