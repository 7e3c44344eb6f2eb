/**
 * API entry (`npm start`: API and workers in one process; `--api-only` for `npm run start:api`).
 * The only place besides workers/main.ts that reads config and owns process signals.
 */
import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from '../config/schema';
import { displayRedisUrl, RedisUnavailableError, resolveRedis } from './redis/connection';
import { closeServer, startSystem } from '../composition/system';
import { seedDemoIfEmpty } from './demo/seed';
import { createLogger } from './logger';

const FORCED_EXIT_MS = 10_000;
const REDIS_SOURCE = { config: 'REDIS_URL', local: 'found on 127.0.0.1', private: 'private redis-server under DATA_DIR' } as const;

async function main(): Promise<void> {
  const apiOnly = process.argv.includes('--api-only');
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, service: apiOnly ? 'ajsc-api' : 'ajsc' });
  const redis = await resolveRedis({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, logger, probePort: config.REDIS_PROBE_PORT });
  const system = await startSystem({
    config,
    redisUrl: redis.url,
    api: true,
    workers: !apiOnly,
    logger,
    seed: config.SEED_DEMO ? (deps) => seedDemoIfEmpty(deps) : undefined,
  });
  const server: Server = system.app!.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  printWelcome(config, server, `${displayRedisUrl(redis.url)} (${REDIS_SOURCE[redis.source]})`, apiOnly);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, FORCED_EXIT_MS);
    timer.unref();
    void (async () => {
      await closeServer(server);
      await system.close();
      await redis.stop();
      logger.info('stopped');
      process.exit(0);
    })().catch((err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function printWelcome(config: Config, server: Server, redisSource: string, apiOnly: boolean): void {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const base = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  const lines = [
    '',
    `一案双查 问责案件工作流引擎 已启动 (${apiOnly ? 'API only' : 'API + workers'}, store: ${config.MONGODB_URI ? 'MongoDB' : config.DATABASE_URL ? 'PostgreSQL' : `PGlite in ${config.DATA_DIR}`}, Redis: ${redisSource})`,
    `  Console:        ${base}/console/   (控制台：浏览器打开，选择演示用户登录)`,
    `  API:            ${base}/api/v1`,
    `  API docs:       ${base}/docs`,
    `  Queue board:    ${base}/admin/queues (administrators open it from the console: 系统管理 → 任务队列)`,
    `  Health:         ${base}/readyz   Metrics: ${base}/metrics`,
  ];
  if (config.AUTH_MODE === 'dev') {
    lines.push(
      `  Demo token:     curl -s -X POST ${base}/api/v1/auth/dev-token -H 'content-type: application/json' -d '{"userId":"admin"}'`,
      `                  (demo users: see GET ${base}/api/v1/users, e.g. inspector1, supervisor1, head1)`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof RedisUnavailableError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`start-up failed: ${(err as Error)?.message ?? String(err)}\n`);
  }
  process.exit(1);
});
