import type { Deps } from '../deps';
import type { Queue } from 'bullmq';
import type { QueueName } from '../queues/contracts';

/** Gauges read at scrape time: open/overdue deadlines, outbox lag, BullMQ depths. */
export async function refreshGauges(deps: Deps, queues?: Readonly<Record<QueueName, Queue>>): Promise<void> {
  const { metrics, store } = deps;
  const active = await store.deadlines.countActive();
  metrics.deadlines.set({ status: 'open' }, active.open);
  metrics.deadlines.set({ status: 'overdue' }, active.overdue);
  const [oldest] = await store.outbox.listUndelivered(1);
  metrics.outboxLagSeconds.set(oldest ? Math.max(0, (deps.clock().getTime() - Date.parse(oldest.createdAt)) / 1000) : 0);
  if (!queues) return;
  for (const [name, queue] of Object.entries(queues)) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    for (const [state, n] of Object.entries(counts)) metrics.queueDepth.set({ queue: name, state }, n);
  }
}
