import type { ErrorRequestHandler } from 'express';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { VersionConflictError } from '../store/port';

/** The one error handler: every error leaves as application/problem+json; internals never do. */
export function problemHandler(deps: Deps): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    if (appError.status >= 500) {
      const log = (req as { log?: Deps['logger'] }).log ?? deps.logger;
      log.error({ err }, 'request failed');
    }
    if (res.headersSent) return;
    res.status(appError.status).type('application/problem+json').send(JSON.stringify(appError.toProblem()));
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof VersionConflictError) return new AppError('version_conflict', 'the record changed meanwhile; reload and retry');
  const e = err as { type?: string; status?: number; expose?: boolean };
  if (e?.type === 'entity.too.large') return new AppError('payload_too_large', 'the request body is over the limit');
  if (e?.type === 'entity.parse.failed') {
    return new AppError('validation_failed', 'the request body is not valid JSON', { errors: [{ path: '(body)', message: 'invalid JSON' }] });
  }
  // Express and body-parser mark what they could not read (a malformed %-escape in the path, a
  // corrupt gzip body, an unknown charset) with a 4xx status, not always with a `type`.
  if (e?.status && e.status >= 400 && e.status < 500) {
    return new AppError('validation_failed', 'the request could not be read', { errors: [{ path: e.type ? '(body)' : '(request)', message: e.type ?? 'malformed request' }] });
  }
  return new AppError('internal', 'an internal error occurred; it has been logged');
}
