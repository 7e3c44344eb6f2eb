/**
 * A throwaway demo system for the console's screenshot script and benchmark: the API and workers
 * on PGlite files in a temporary DATA_DIR with the demo data seeded, real Redis (REDIS_URL or
 * 127.0.0.1:6379, its own BullMQ prefix), listening on a random port and serving the built console.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../config/schema';
import { seedDemoIfEmpty } from '../services/demo/seed';
import { startSystem } from '../composition/system';
import { ensureConsoleBuilt } from './build-console';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface DemoConsole {
  base: string;
  browser: Browser;
  /** A dev token for a demo user. */
  token(userId: string): Promise<string>;
  /** GET on the API as `userId`. */
  get<T>(userId: string, path: string): Promise<T>;
  /** A page signed in as `userId` (token put in sessionStorage before the console loads). */
  pageAs(userId: string, viewport?: { width: number; height: number }): Promise<Page>;
  stop(): Promise<void>;
}

export async function startDemoConsole(): Promise<DemoConsole> {
  ensureConsoleBuilt({ quiet: true });
  const dataDir = join(tmpdir(), `ajsc-console-demo-${randomBytes(4).toString('hex')}`);
  const config = loadConfig({
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `cd${randomBytes(4).toString('hex')}`,
    DEV_JWT_SECRET: randomBytes(32).toString('hex'),
    REPORTER_KEY: randomBytes(16).toString('hex'),
  });
  const system = await startSystem({ config, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', api: true, workers: true, seed: seedDemoIfEmpty });
  const server: Server = await new Promise((resolve) => {
    const s = system.app!.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  const tokens = new Map<string, string>();
  const token = async (userId: string) => {
    if (!tokens.has(userId)) {
      const res = await fetch(`${base}/api/v1/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
      tokens.set(userId, ((await res.json()) as { token: string }).token);
    }
    return tokens.get(userId)!;
  };
  return {
    base,
    browser,
    token,
    async get<T>(userId: string, path: string) {
      const res = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${await token(userId)}` } });
      if (!res.ok) throw new Error(`GET ${path} → ${res.status}`);
      return (await res.json()) as T;
    },
    async pageAs(userId, viewport = { width: 1440, height: 900 }) {
      const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport, deviceScaleFactor: 1 });
      const t = await token(userId);
      await context.addInitScript((value) => sessionStorage.setItem('ajsc.token', value), t);
      return context.newPage();
    },
    async stop() {
      await browser.close().catch(() => undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (system.queues) await Promise.all(Object.values(system.queues).map((q) => q.obliterate({ force: true }).catch(() => undefined)));
      await system.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
