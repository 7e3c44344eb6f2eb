/**
 * The outbox relay (ARCHITECTURE.md §2): committed outbox rows → BullMQ jobs, at least once. A row is
 * marked delivered only after its job was added, so a crash in between re-delivers it; the row id is
 * the job id, so the duplicate is the same job while it exists, and every consumer is idempotent.
 * Several processes may relay at once for the same reason.
 */
import type { Logger } from 'pino';
import type { OutboxRow, Store } from '../services/store/port';
import type { Metrics } from '../services/metrics';
import { isQueueName, JOB_OPTIONS, type Queues } from './queues';

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
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Asks for a pass soon; calls during a pass coalesce into one more pass. Never throws. */
  wake(): void {
    if (this.stopped) return;
    this.again = true;
    this.loop ??= this.run().finally(() => {
      this.loop = null;
    });
  }

  /** Runs a pass now (or joins the one in flight, which then passes once more) and waits for it. */
  async flush(): Promise<void> {
    this.wake();
    await this.loop;
  }

  /** Stops polling and waits for the batch in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.again && !this.stopped) {
      this.again = false;
      try {
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

  private async deliverBatch(): Promise<number> {
    // Stuck rows come first in the listing (oldest first); ask for enough rows to get past them.
    const rows = await this.store.outbox.listUndelivered(this.batchSize + this.stuck.size);
    const now = this.clock();
    this.reportLag(rows, now);
    const deliverable = rows.filter((row) => this.isDeliverable(row));
    if (deliverable.length === 0) return 0;
    for (const [queue, group] of groupByQueue(deliverable)) {
      await this.queues[queue].addBulk(group.map((row) => jobOf(row, now)));
    }
    await this.store.outbox.markDelivered(deliverable.map((r) => r.id), now.toISOString());
    this.delivered += deliverable.length;
    return deliverable.length;
  }

  private isDeliverable(row: OutboxRow): boolean {
    if (isQueueName(row.queue)) return true;
    if (!this.stuck.has(row.id)) {
      this.stuck.add(row.id);
      this.options.logger.error({ outboxId: row.id, queue: row.queue, job: row.name }, 'outbox row names an unknown queue; left undelivered');
    }
    return false;
  }

  private reportLag(rows: OutboxRow[], now: Date): void {
    const oldest = rows.find((r) => !this.stuck.has(r.id));
    const lag = oldest ? Math.max(0, now.getTime() - Date.parse(oldest.createdAt)) / 1000 : 0;
    this.options.metrics?.outboxLagSeconds.set(lag);
  }
}

function groupByQueue(rows: OutboxRow[]): Map<keyof Queues, OutboxRow[]> {
  const groups = new Map<keyof Queues, OutboxRow[]>();
  for (const row of rows) {
    const queue = row.queue as keyof Queues;
    const group = groups.get(queue);
    if (group) group.push(row);
    else groups.set(queue, [row]);
  }
  return groups;
}

/** The job of a row: its id as job id, delayed until `runAt` (a past `runAt` runs now). */
export function jobOf(row: OutboxRow, now: Date) {
  const delay = row.runAt ? Math.max(0, Date.parse(row.runAt) - now.getTime()) : 0;
  return { name: row.name, data: row.data, opts: { ...JOB_OPTIONS[`${row.queue}/${row.name}`], jobId: row.id, delay } };
}
