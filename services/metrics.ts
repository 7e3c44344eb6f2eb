import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus series: commands, latency, outbox lag, queue depths, deadlines. */
export interface Metrics {
  registry: Registry;
  commands: Counter<'aggregate' | 'type' | 'outcome'>;
  commandSeconds: Histogram<'aggregate' | 'type'>;
  outboxLagSeconds: Gauge;
  queueDepth: Gauge<'queue' | 'state'>;
  deadlines: Gauge<'status'>;
}

export function createMetrics(opts: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry, prefix: 'ajsc_' });
  return {
    registry,
    commands: new Counter({
      name: 'ajsc_commands_total',
      help: 'Commands by aggregate, type and outcome (accepted, refused, error)',
      labelNames: ['aggregate', 'type', 'outcome'],
      registers: [registry],
    }),
    commandSeconds: new Histogram({
      name: 'ajsc_command_duration_seconds',
      help: 'Command latency from validation to commit',
      labelNames: ['aggregate', 'type'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    outboxLagSeconds: new Gauge({
      name: 'ajsc_outbox_lag_seconds',
      help: 'Age of the oldest undelivered outbox row',
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'ajsc_queue_jobs',
      help: 'BullMQ jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers: [registry],
    }),
    deadlines: new Gauge({
      name: 'ajsc_deadlines',
      help: 'Deadlines on record by status (open, overdue)',
      labelNames: ['status'],
      registers: [registry],
    }),
  };
}
