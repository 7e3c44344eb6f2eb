import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import type { OutboxRow, Store } from './store/port';
import type { ReporterSealer } from './sealing/reporter';
import type { Metrics } from './metrics';
import type { Policy } from './policy';
import type { WorkCalendar } from './calendar';

/**
 * Everything a use-case needs, wired once by a main.ts (STYLE.md habit 6). Nothing below reads
 * `process.env` or opens connections of its own.
 */
export interface Deps {
  config: Config;
  store: Store;
  logger: Logger;
  policy: Policy;
  calendar: WorkCalendar;
  sealer: ReporterSealer;
  metrics: Metrics;
  clock: () => Date;
  /**
   * Wakes the outbox relay right after a commit, handing it the rows just committed (no-op when no
   * relay runs in this process: another process's relay polls for them).
   */
  wake: (rows?: readonly OutboxRow[]) => void;
  /** Checks Redis for /readyz; absent when the process runs without Redis. */
  pingRedis?: () => Promise<void>;
  /** Refreshes gauges read from the store/Redis before a /metrics scrape. */
  refreshGauges?: () => Promise<void>;
  /** The queue board for administrators (absent when the process has no queues). */
  queueBoard?: import('./ops/queue-board').QueueBoard;
}
