/**
 * Background load for bench/reviews.ts, run in a worker thread: each lane re-assigns its own case
 * in a loop through HTTP until the parent posts 'stop', then posts back the latencies. Its own
 * event loop, like clients on other machines: the server's event loop carries only the server.
 */
import { parentPort, workerData } from 'node:worker_threads';

export interface LoadInput {
  base: string;
  /** userId → bearer token. */
  tokens: Record<string, string>;
  caseIds: string[];
  think: number;
}

export interface LoadResult {
  commands: number;
  errors: number;
  seconds: number;
  latencies: number[];
  firstError?: string;
}

const input = workerData as LoadInput;
let running = true;
const latencies: number[] = [];
let errors = 0;
let firstError: string | undefined;
const started = Date.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function lane(caseId: string, i: number): Promise<void> {
  const user = i % 2 ? 'manager1' : 'supervisor1';
  for (let n = 0; running; n++) {
    const t = performance.now();
    try {
      const res = await fetch(`${input.base}/api/v1/cases/${caseId}/commands`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${input.tokens[user]}` },
        body: JSON.stringify({ type: 'assign', inspectorIds: n % 2 ? ['inspector1'] : ['inspector1', 'inspector2'] }),
      });
      const body = await res.text();
      if (!res.ok) throw new Error(`${res.status} ${body}`);
      latencies.push(performance.now() - t);
    } catch (err) {
      errors++;
      firstError ??= (err as Error).message;
    }
    if (input.think) await sleep(input.think);
  }
}

const lanes = Promise.all(input.caseIds.map(lane));
parentPort!.once('message', async () => {
  running = false;
  await lanes;
  const result: LoadResult = { commands: latencies.length, errors, seconds: (Date.now() - started) / 1000, latencies, firstError };
  parentPort!.postMessage(result);
});
parentPort!.postMessage('started');
