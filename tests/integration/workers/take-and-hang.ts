/**
 * A worker process for tests/integration/workers/effects.test.ts: takes up to `concurrency` jobs of
 * a queue with the service's lock options, prints `taken <jobId>` for each and never finishes them,
 * as a process that dies in the middle of its jobs would (the test kills it with SIGKILL).
 * Usage: tsx take-and-hang.ts <redisUrl> <prefix> <queue> <concurrency>
 */
import { Worker } from 'bullmq';
import { WORKER_LOCK_OPTIONS } from '../../../workers';

const [url, prefix, queue, concurrency] = process.argv.slice(2);
const u = new URL(url);
const worker = new Worker(
  queue,
  async (job) => {
    process.stdout.write(`taken ${job.id}\n`);
    await new Promise(() => undefined);
  },
  {
    connection: { host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.slice(1) || 0), maxRetriesPerRequest: null },
    prefix,
    concurrency: Number(concurrency),
    ...WORKER_LOCK_OPTIONS,
  },
);
worker.on('error', (err) => process.stderr.write(`${err.message}\n`));
