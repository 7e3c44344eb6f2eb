/**
 * `/readyz` during a Redis outage (services/http/routes/ops.ts): the real app on PGlite against a
 * private `redis-server` this test starts on a free port of its own and kills by its pid. Ready →
 * 503 naming Redis within 1 s of the kill, every probe answered within 1 s; `/healthz` stays 200;
 * ready again once a Redis answers on that port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import request from 'supertest';
import { loadConfig } from '../../config/schema';
import { startSystem, type System } from '../../composition/system';
import { pgliteHarness, type StoreHarness } from '../helpers/store';
import { realClockEnv } from '../helpers/faketime';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A private, memory-only redis-server on `port`; resolves once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'], env: realClockEnv() });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
  return child;
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(child.pid!, 'SIGKILL');
  });
}

let port: number;
let redisServer: ChildProcess;
let harness: StoreHarness;
let system: System;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  port = await freePort();
  redisServer = await startRedis(port);
  harness = await pgliteHarness({ auditHash: 'sha256' });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: `/tmp/ajsc-test-${randomBytes(4).toString('hex')}`,
    DEV_JWT_SECRET: randomBytes(32).toString('hex'),
    REPORTER_KEY: randomBytes(16).toString('hex'),
    QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
  });
  system = await startSystem({ config, redisUrl: `redis://127.0.0.1:${port}`, api: true, workers: false, store: harness.store });
  http = request(system.app!);
}, 120_000);

afterAll(async () => {
  // A Redis to close the queues against, then gone.
  if (redisServer.exitCode !== null || redisServer.signalCode !== null) redisServer = await startRedis(port);
  await system.close();
  await harness.dispose().catch(() => undefined);
  await killed(redisServer);
});

/** One probe and how long it took. */
async function probe(path: string): Promise<{ status: number; body: any; ms: number }> {
  const started = Date.now();
  const res = await http.get(path);
  return { status: res.status, body: res.body, ms: Date.now() - started };
}

describe('GET /readyz', () => {
  it('when Redis goes away, then /readyz answers 503 naming Redis within 1 s and /healthz stays 200; when Redis is back, 200 again', async () => {
    // Not ready until the connection to Redis is (start-up).
    let before = await probe('/readyz');
    for (const until = Date.now() + 10_000; before.status !== 200 && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 100));
      before = await probe('/readyz');
    }
    expect({ status: before.status, body: before.body }).toEqual({ status: 200, body: { ok: true, checks: { store: 'ok', redis: 'ok' } } });

    await killed(redisServer);
    const killedAt = Date.now();
    let answer = await probe('/readyz');
    const slowest = [answer.ms];
    while (answer.status === 200 && Date.now() - killedAt < 5_000) {
      answer = await probe('/readyz');
      slowest.push(answer.ms);
    }
    const notReadyAfter = Date.now() - killedAt;
    expect({ status: answer.status, within1s: notReadyAfter <= 1_000, everyProbeWithin1s: Math.max(...slowest) <= 1_000 }).toEqual({
      status: 503,
      within1s: true,
      everyProbeWithin1s: true,
    });
    expect(answer.body).toMatchObject({ ok: false, checks: { store: 'ok', redis: expect.stringMatching(/^(down|timeout)$/) }, down: ['redis'] });
    expect(answer.body.detail).toContain('Redis');

    // Still out: every probe keeps answering 503 within 1 s (none waits for the reconnect).
    for (let i = 0; i < 3; i++) {
      const again = await probe('/readyz');
      expect({ status: again.status, within1s: again.ms <= 1_000 }).toEqual({ status: 503, within1s: true });
    }
    const health = await probe('/healthz');
    expect({ status: health.status, body: health.body, within1s: health.ms <= 1_000 }).toEqual({ status: 200, body: { ok: true }, within1s: true });

    redisServer = await startRedis(port);
    const backAt = Date.now();
    let back = await probe('/readyz');
    while (back.status !== 200 && Date.now() - backAt < 10_000) {
      await new Promise((r) => setTimeout(r, 100));
      back = await probe('/readyz');
    }
    expect({ status: back.status, body: back.body }).toEqual({ status: 200, body: { ok: true, checks: { store: 'ok', redis: 'ok' } } });
  });
});
