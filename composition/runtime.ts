import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import { loadCalendar } from '../services/calendar';
import type { Deps } from '../services/deps';
import { createMetrics, type Metrics } from '../services/metrics';
import { policyFromConfig } from '../services/policy';
import { ReporterSealer } from '../services/sealing/reporter';
import type { Store } from '../services/store/port';

/** Where the committed calendar overrides live (config/calendar/<year>.json), from source or dist/. */
export function calendarDir(): string {
  const fromSource = path.resolve(__dirname, '..', 'config', 'calendar');
  return __dirname.includes(`${path.sep}dist${path.sep}`) || __dirname.endsWith(`${path.sep}dist`)
    ? path.resolve(__dirname, '..', '..', 'config', 'calendar')
    : fromSource;
}

/**
 * A secret kept in DATA_DIR (dev only): the same across restarts and across processes sharing the
 * directory, so dev tokens and sealed reporters survive `npm start` twice.
 */
export async function dataDirSecret(dataDir: string, name: string, bytes: number): Promise<Buffer> {
  const file = path.join(dataDir, name);
  try {
    const hex = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]+$/i.test(hex) && hex.length === bytes * 2) return Buffer.from(hex, 'hex');
  } catch {
    // first start: create it below
  }
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(bytes);
  await writeFile(file, secret.toString('hex'), { mode: 0o600 });
  return secret;
}

export interface RuntimeParts {
  config: Config;
  store: Store;
  logger: Logger;
  metrics?: Metrics;
  wake?: Deps['wake'];
  pingRedis?: () => Promise<void>;
  clock?: () => Date;
  calendarDirectory?: string;
  refreshGauges?: Deps['refreshGauges'];
  queueBoard?: Deps['queueBoard'];
}

/** Builds the Deps every use-case receives: calendar (files + stored years), sealing key, policy, metrics. */
export async function buildDeps(parts: RuntimeParts): Promise<Deps> {
  const { config, store, logger } = parts;
  const stored = await store.calendars.list();
  const calendar = await loadCalendar({
    dir: parts.calendarDirectory ?? calendarDir(),
    years: stored.map((c) => ({ year: c.year, holidays: c.holidays, workdays: c.workdays })),
  });
  const key = config.REPORTER_KEY
    ? Buffer.from(config.REPORTER_KEY, 'hex')
    : await dataDirSecret(config.DATA_DIR, 'reporter.key', 16);
  return {
    config,
    store,
    logger,
    policy: policyFromConfig(config),
    calendar,
    sealer: new ReporterSealer(key),
    metrics: parts.metrics ?? createMetrics(),
    clock: parts.clock ?? (() => new Date()),
    wake: parts.wake ?? (() => undefined),
    pingRedis: parts.pingRedis,
    refreshGauges: parts.refreshGauges,
    queueBoard: parts.queueBoard,
  };
}
