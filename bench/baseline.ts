/**
 * The floor of this machine, for reading bench/api.ts figures: a bare Express 5 handler that runs one
 * three-statement PostgreSQL transaction (BEGIN, a select echoing the body, COMMIT) per request, driven
 * by the same fetch client with 1, 8 and 32 concurrent clients. Nothing of the engine runs: no auth,
 * validation, machine, audit chain, deadlines, outbox or queues.
 *
 *   npx tsx bench/baseline.ts [--seconds 10] [--clients 1,8,32]
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SECONDS = Number(arg('seconds', '10'));
const CLIENTS = arg('clients', '1,8,32').split(',').map(Number);
const DATABASE_URL = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 20 });
  const ok = await pool.query('select 1').then(() => true, () => false);
  if (!ok) {
    console.log('baseline: skipped (nothing answers on 127.0.0.1:5432)');
    await pool.end();
    return;
  }
  const app = express();
  app.use(express.json());
  app.post('/x', async (req, res) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ v: string }>('select $1::text as v', [JSON.stringify(req.body)]);
      await client.query('commit');
      res.json({ length: rows[0].v.length });
    } finally {
      client.release();
    }
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const body = JSON.stringify({ type: 'approve', note: '同意'.repeat(50) });
  console.log(`baseline: bare Express + one PostgreSQL transaction per request, ${SECONDS} s per run`);
  for (const clients of CLIENTS) {
    const latencies: number[] = [];
    const until = Date.now() + SECONDS * 1000;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < until) {
          const t = performance.now();
          const res = await fetch(`${base}/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          await res.json();
          latencies.push(performance.now() - t);
        }
      }),
    );
    const secs = (Date.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
    console.log(`  ${String(clients).padStart(2)} clients: ${(latencies.length / secs).toFixed(0).padStart(5)} requests/s, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms`);
  }
  server.close();
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
