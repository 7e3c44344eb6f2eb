/**
 * The start-up path of `npm start` as a newcomer runs it: a real process (tsx, no build step), an
 * empty DATA_DIR, PGlite, the Redis on 127.0.0.1:6379 through REDIS_URL (own db index and prefix).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
// `node --import tsx` rather than the tsx CLI: no wrapper process between the test and the server's signals.
const NODE_ARGS = ['--import', 'tsx', 'services/main.ts'];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

interface Proc {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  running.clear();
});

function start(env: Record<string, string>): Proc {
  let out = '';
  const child = spawn(process.execPath, NODE_ARGS, { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, exited };
}

async function waitReady(base: string, proc: Proc, timeoutMs = 150_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`process exited early:\n${proc.out()}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready in time:\n${proc.out()}`);
}

async function adminGet(base: string, url: string): Promise<any> {
  const { token } = (await (await fetch(`${base}/api/v1/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'admin' }) })).json()) as { token: string };
  return (await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } })).json();
}

describe('npm start', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ajsc-start-'));
  const prefix = `st${randomBytes(4).toString('hex')}`;
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  describe('on an empty DATA_DIR', () => {
    it('when started twice, then the first start seeds demo data, prints the URLs, and the second keeps the data and seeds nothing', async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const env = { DATA_DIR: dataDir, PORT: String(port), REDIS_URL: 'redis://127.0.0.1:6379/4', QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' };

      const first = start(env);
      await waitReady(base, first);
      expect(first.out()).toContain(`${base}/docs`);
      expect(first.out()).toContain('/admin/queues');
      expect(first.out()).toContain('dev-token');
      const cases = await adminGet(base, '/api/v1/cases?pageSize=1');
      expect(cases.total).toBe(20);
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      const second = start(env);
      await waitReady(base, second);
      expect((await adminGet(base, '/api/v1/cases?pageSize=1')).total).toBe(20);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }, 300_000);
  });

  describe('without Redis', () => {
    it('when REDIS_URL is unset, nothing answers and no redis-server is on the PATH, then it exits with a message saying how to get Redis', async () => {
      // A PATH holding only node (not its folder, where redis-server may live too), and the probe pointed at a closed port.
      const emptyBin = mkdtempSync(path.join(tmpdir(), 'ajsc-nobin-'));
      symlinkSync(process.execPath, path.join(emptyBin, 'node'));
      const proc = start({ DATA_DIR: dataDir, PORT: '0', PATH: emptyBin, REDIS_PROBE_PORT: String(await freePort()), LOG_LEVEL: 'warn' });
      const code = await proc.exited;
      rmSync(emptyBin, { recursive: true, force: true });
      expect(code).toBe(1);
      expect(proc.out()).toMatch(/redis-server/);
      expect(proc.out()).toMatch(/REDIS_URL/);
      expect(proc.out()).not.toMatch(/\n\s+at /); // no stack trace
    }, 60_000);
  });
});
