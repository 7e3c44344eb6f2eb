/**
 * A private `redis-server` for `npm start` on a machine without Redis running (API.md "Process and
 * environment"). It listens on a unix socket under `<dataDir>/redis` (mode 700: only this user can
 * reach it), or on a free 127.0.0.1 port with a random password when the socket path would be too
 * long. The append-only file keeps queued jobs across restarts: deadlines are rebuilt from the
 * database by the reconciler, but an `openReview` job already relayed lives only in Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { RedisUnavailableError } from './errors';
import { probeRedis, type ProbeTarget } from './probe';

export interface PrivateRedisOptions {
  /** `DATA_DIR`; the server lives in `<dir>/redis`. */
  dir: string;
  /** Environment of the child; its PATH is where `command` is looked up (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Executable name or path (default `redis-server`). */
  command?: string;
  startTimeoutMs?: number;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** Message of the error thrown when `command` is not on the PATH. */
  notFound: string;
  /** Appended to the message of other start failures. */
  howTo: string;
}

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

/** sun_path holds 108 bytes on Linux, 104 on macOS; stay below both. */
const MAX_SOCKET_PATH = 100;

export async function startPrivateRedis(options: PrivateRedisOptions): Promise<PrivateRedis> {
  const dir = path.join(path.resolve(options.dir), 'redis');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const socketPath = path.join(dir, 'redis.sock');
  const useSocket = Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH;

  // A server left running by a process that was killed: adopt it rather than start a second one
  // on the same append-only file.
  if (useSocket && (await probeRedis({ path: socketPath }, 300)) === 'pong') {
    options.logger.warn({ socket: socketPath }, 'reusing a private redis-server left running');
    return { url: socketPath, stop: () => shutdown(socketPath) };
  }

  const password = useSocket ? null : randomBytes(18).toString('base64url');
  const port = useSocket ? 0 : await freePort();
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--logfile', 'redis.log',
    '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--daemonize', 'no',
    ...(useSocket ? ['--unixsocket', socketPath, '--unixsocketperm', '700'] : ['--requirepass', password!]),
  ];
  const child = spawn(options.command ?? 'redis-server', args, { env: options.env, stdio: 'ignore' });
  const target: ProbeTarget = useSocket ? { path: socketPath } : { host: '127.0.0.1', port };
  await waitReady(child, target, password, dir, options);

  const url = useSocket ? socketPath : `redis://:${password}@127.0.0.1:${port}`;
  options.logger.info({ dir, ...(useSocket ? { socket: socketPath } : { port }) }, 'started a private redis-server');
  return { url, stop: () => stopChild(child) };
}

async function waitReady(
  child: ChildProcess,
  target: ProbeTarget,
  password: string | null,
  dir: string,
  options: PrivateRedisOptions,
): Promise<void> {
  // Set by the child's events; read after each probe (TypeScript cannot see the callbacks assign it).
  const state: { failure: string | null; missing: boolean } = { failure: null, missing: false };
  child.once('error', (err: NodeJS.ErrnoException) => {
    state.missing = err.code === 'ENOENT';
    state.failure = `redis-server could not be started: ${err.message}`;
  });
  child.once('exit', (code) => {
    state.failure ??= `redis-server exited at start (code ${code})`;
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  while (Date.now() < deadline && !state.failure) {
    if ((await probeRedis(target, 200, password)) === 'pong') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  if (state.missing) throw new RedisUnavailableError(options.notFound);
  const why = state.failure ?? 'redis-server did not answer within the start timeout';
  const tail = await logTail(dir);
  throw new RedisUnavailableError(`${why}. ${options.howTo}${tail ? `\nLast lines of ${path.join(dir, 'redis.log')}:\n${tail}` : ''}`);
}

async function logTail(dir: string): Promise<string> {
  const log = await readFile(path.join(dir, 'redis.log'), 'utf8').catch(() => '');
  return log.trim().split('\n').slice(-3).join('\n');
}

/** SIGTERM makes redis-server flush its append-only file and exit. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function shutdown(socketPath: string): Promise<void> {
  const client = new Redis(socketPath, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await client.connect();
    await client.shutdown();
  } catch {
    // SHUTDOWN closes the connection before replying; a closed socket is the expected outcome.
  } finally {
    client.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
