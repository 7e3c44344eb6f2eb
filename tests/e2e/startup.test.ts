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
import { Redis } from 'ioredis';
import { obliterate } from '../integration/workers/helpers';
import { todayCst } from '../helpers/dates';
import { clockEnv } from '../helpers/faketime';

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
  const child = spawn(process.execPath, NODE_ARGS, { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...clockEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    // The started processes' queues (db 4, our prefixes only).
    const redis = new Redis('redis://127.0.0.1:6379/4', { maxRetriesPerRequest: 1 });
    try {
      for (const p of [prefix, `${prefix}t`]) await obliterate(redis, p);
    } finally {
      redis.disconnect();
    }
  });

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

    it('when REDIS_URL names an address where nothing answers, then it refuses to start with one line naming the address, and never says 已启动', async () => {
      const port = await freePort();
      const proc = start({ DATA_DIR: dataDir, PORT: '0', REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${port}/2`, LOG_LEVEL: 'warn' });
      const code = await proc.exited;
      expect(code).toBe(1);
      const lines = proc.out().trim().split('\n').filter((l) => !l.includes('ExperimentalWarning') && !l.includes('--trace-warnings'));
      expect(lines).toEqual([`Redis at redis://127.0.0.1:${port}/2 (REDIS_URL) does not answer after 5 s; start it or correct REDIS_URL.`]);
      expect(proc.out()).not.toContain('已启动');
      expect(proc.out()).not.toContain('hunter2-secret');
    }, 60_000);
  });

  describe('on SIGTERM under load', () => {
    it('when commands are in flight, then they finish, none is half-applied and the process exits 0', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'ajsc-term-'));
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const env = { DATA_DIR: dir, PORT: String(port), REDIS_URL: 'redis://127.0.0.1:6379/4', QUEUE_PREFIX: `${prefix}t`, LOG_LEVEL: 'warn', SEED_DEMO: 'false', RATE_LIMIT_PER_MIN: '100000' };
      const proc = start(env);
      await waitReady(base, proc);
      const post = async (url: string, token: string, body: object) => {
        const res = await fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as any };
      };
      const tokenOf = async (userId: string) => (await post('/api/v1/auth/dev-token', '', { userId })).body.token as string;
      const admin = await tokenOf('admin');
      await post('/api/v1/orgs', admin, { id: 'county', name: '县', level: 'county', parentId: 'root' });
      await post('/api/v1/users', admin, { id: 'registrar1', name: '登记员', orgId: 'county', roles: ['registrar'] });
      await post('/api/v1/users', admin, { id: 'manager1', name: '案管', orgId: 'county', roles: ['caseManager'] });
      await post('/api/v1/users', admin, { id: 'inspector1', name: '检查员', orgId: 'county', roles: ['inspector'] });
      const [registrar, manager] = [await tokenOf('registrar1'), await tokenOf('manager1')];

      const accepted = new Map<string, number>();
      let stopping = false;
      const loop = async (n: number) => {
        try {
          const created = await post('/api/v1/cases', registrar, {
            title: `案件${n}`, orgId: 'county', source: 'petition', receivedAt: todayCst(),
            subjects: [{ name: `某${n}`, personId: `p${n}`, rank: 'staff', orgId: 'county', partyMember: true }],
            allegations: [{ category: 'work', summary: '问题' }],
          });
          if (created.status !== 201) return;
          accepted.set(created.body.id, 1);
          while (!stopping) {
            const r = await post(`/api/v1/cases/${created.body.id}/commands`, manager, { type: 'assign', inspectorIds: ['inspector1'] });
            if (r.status !== 200) return;
            accepted.set(created.body.id, r.body.version);
          }
        } catch {
          // the server stopped listening: requests after the close are refused, which is expected
        }
      };
      const loops = Array.from({ length: 12 }, (_, n) => loop(n));
      await new Promise((r) => setTimeout(r, 1500));
      proc.child.kill('SIGTERM');
      stopping = true;
      expect(await proc.exited).toBe(0);
      await Promise.all(loops);
      expect(accepted.size).toBeGreaterThan(0);

      // After a restart every answered command is there, whole: version = accepted events in its chain.
      const again = start(env);
      await waitReady(base, again);
      const auditor = await tokenOf('admin');
      for (const [id, version] of accepted) {
        const view = (await (await fetch(`${base}/api/v1/cases/${id}`, { headers: { authorization: `Bearer ${auditor}` } })).json()) as any;
        expect(view.version).toBeGreaterThanOrEqual(version);
        const history = (await (await fetch(`${base}/api/v1/cases/${id}/history`, { headers: { authorization: `Bearer ${auditor}` } })).json()) as any;
        expect(history.items.filter((e: any) => e.outcome === 'accepted').length).toBe(view.version);
      }
      const verify = (await (await fetch(`${base}/api/v1/audit/verify`, { headers: { authorization: `Bearer ${auditor}` } })).json()) as any;
      expect(verify.ok).toBe(true);
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }, 300_000);
  });
});
