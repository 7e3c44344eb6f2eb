/**
 * The process logger: JSON lines for machines (a file, a pipe, a log collector), readable lines when
 * stdout is a terminal (pino-pretty). Credentials never reach a log line: authorization headers,
 * cookies and the tokens or one-time codes that a URL may carry are redacted wherever they appear.
 */
import pino, { type Logger } from 'pino';

/** Query parameters whose values are credentials (the queue board's one-time code, legacy tokens). */
const SECRET_QUERY = /([?&](?:token|code|access_token|ticket)=)[^&#]*/gi;

/** `/admin/queues?code=abc&x=1` → `/admin/queues?code=[Redacted]&x=1`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[Redacted]');
}

/** Paths redacted in every log line (pino `redact`), as pino-http lays out requests and responses. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'token',
  'password',
  'secret',
];

export interface LoggerOptions {
  level: string;
  service: string;
  /** Pretty lines instead of JSON (default: when stdout is a terminal). */
  pretty?: boolean;
}

export function createLogger(opts: LoggerOptions): Logger {
  const pretty = opts.pretty ?? Boolean(process.stdout.isTTY);
  return pino({
    level: opts.level,
    base: { service: opts.service },
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss', ignore: 'pid,hostname,service' } } }
      : {}),
  });
}
