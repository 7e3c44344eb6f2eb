import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import type { OutboxRow, Store } from './store/port';
import type { ReporterSealer } from './sealing/reporter';
import type { Metrics } from './metrics';
import type { Policy } from './policy';
import type { WorkCalendar } from './calendar';

/**
 * Everything a use-case needs, wired once by a main.ts (STYLE.md habit 6). Nothing below reads
 * `process.env` or opens connections of its own. Built once and never changed after.
 */
export interface Deps {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  readonly policy: Policy;
  readonly calendar: WorkCalendar;
  readonly sealer: ReporterSealer;
  readonly metrics: Metrics;
  readonly clock: () => Date;
  /**
   * Wakes the outbox relay right after a commit, handing it the rows just committed (no-op when no
   * relay runs in this process: another process's relay polls for them).
   */
  readonly wake: (rows?: readonly OutboxRow[]) => void;
  /** Checks Redis for /readyz; absent when the process runs without Redis. */
  readonly pingRedis?: () => Promise<void>;
  /** Refreshes gauges read from the store/Redis before a /metrics scrape. */
  readonly refreshGauges?: () => Promise<void>;
  /** The queue board for administrators (absent when the process has no queues). */
  readonly queueBoard?: import('./ops/queue-board').QueueBoard;
}
