/**
 * Worker entry (`npm run start:worker`): queues, relay and reconciler without the HTTP API, for
 * scale-out (many worker processes, one database, one Redis).
 */
import { utimes, writeFile } from 'node:fs/promises';
import { ConfigError, loadConfig } from '../config/schema';
import { RedisUnavailableError, resolveRedis } from '../services/redis/connection';
import { startSystem } from '../composition/system';
import { createLogger } from '../services/logger';

const FORCED_EXIT_MS = 10_000;
/** Touched while the workers run; the compose health check reads its age. */
const HEARTBEAT = '/tmp/ajsc-worker-heartbeat';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, service: 'ajsc-worker' });
  const redis = await resolveRedis({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, logger, probePort: config.REDIS_PROBE_PORT });
  const system = await startSystem({ config, redisUrl: redis.url, api: false, workers: true, logger });
  logger.info('workers started');
  const beat = async () => {
    const now = new Date();
    await utimes(HEARTBEAT, now, now).catch(() => writeFile(HEARTBEAT, ''));
  };
  await beat().catch(() => undefined);
  const heartbeat = setInterval(() => void beat().catch(() => undefined), 10_000);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(heartbeat);
    logger.info({ signal }, 'shutting down workers');
    setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
    void system
      .close()
      .then(() => redis.stop())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof RedisUnavailableError;
  process.stderr.write(known ? `${(err as Error).message}\n` : `worker start-up failed: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
