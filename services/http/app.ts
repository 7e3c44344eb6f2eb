import express, { type NextFunction, type Request, type Response } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import { rateLimit, type Store as RateLimitStore } from 'express-rate-limit';
import cors from 'cors';
import type { Redis } from 'ioredis';
import type { Deps } from '../deps';
import { AppError, parseOrThrow } from '../errors';
import { cachedUser } from '../authz';
import type { User } from '../store/port';
import { bearerToken, type Authenticator } from './auth';
import { isRaw, type RouteDef } from './route';
import { allRoutes } from './routes';
import { buildOpenApi, docsPage } from './openapi';
import { problemHandler } from './problem';
import { unstorableText } from './storable-text';
import { QUEUE_BOARD_PATH } from '../ops/queue-board';
import { consoleRouter } from './console';
import { requestLog } from './request-log';
import { securityHeaders } from './security-headers';
import { BatchedRedisStore } from './rate-limit-store';

export interface AppOptions {
  authenticator: Authenticator;
  /**
   * Redis for state shared by all API processes (rate-limit counters). Without it the counters live
   * in this process's memory, which is right only when one API process runs.
   */
  redis?: Redis;
}


/** Express app wiring only (STYLE.md habit 6): testable on port 0, no listening, no env reads. */
export function createApp(deps: Deps, opts: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');
  // Answers are case data for one official: nothing may keep them (no-store below), so a
  // validator for revalidating a kept copy would be hashed over every body for nothing.
  app.set('etag', false);
  app.use(requestLog(deps.logger));
  app.use(securityHeaders({ contentSecurityPolicy: false }));
  app.use('/api', noStore);
  if (deps.config.CORS_ORIGINS.length > 0) {
    app.use(
      cors({
        origin: deps.config.CORS_ORIGINS,
        allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
        exposedHeaders: ['x-request-id', 'ratelimit', 'ratelimit-policy', 'retry-after', 'content-disposition', 'idempotent-replayed'],
        maxAge: 600,
      }),
    );
  }
  app.use(express.json({ limit: deps.config.BODY_LIMIT }));

  const routes = allRoutes();
  const commandLimiter = rateLimit({
    windowMs: 60_000,
    limit: deps.config.RATE_LIMIT_PER_MIN,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: sharedStore(opts.redis, deps.config.QUEUE_PREFIX, 'commands'),
    keyGenerator: (req) => `user:${(req as AuthedRequest).user?.id ?? 'anonymous'}`,
    handler: (_req, _res, next) => next(new AppError('rate_limited', 'too many commands; try again in a minute')),
  });
  const devTokenLimiter = rateLimit({
    windowMs: 60_000,
    limit: deps.config.DEV_TOKEN_LIMIT_PER_MIN,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: sharedStore(opts.redis, deps.config.QUEUE_PREFIX, 'dev-token'),
    handler: (_req, _res, next) => next(new AppError('rate_limited', 'too many token requests; try again in a minute')),
  });

  for (const def of routes) {
    const middlewares: express.RequestHandler[] = [];
    if (def.auth !== false) middlewares.push(authenticate(deps, opts.authenticator));
    if (def.command) middlewares.push(commandLimiter);
    if (def.path === '/api/v1/auth/dev-token') middlewares.push(devTokenLimiter);
    app[def.method](def.path, ...middlewares, handle(deps, def, opts));
  }

  const openapi = buildOpenApi(routes);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use('/docs/assets', express.static(getAbsoluteFSPath(), { index: false, maxAge: '1h' }));
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage());
  });
  if (deps.queueBoard) {
    app.use(QUEUE_BOARD_PATH, authenticateBoard(deps, opts.authenticator), requireAdmin, deps.queueBoard.router);
  }
  app.use(consoleRouter());
  app.use((req, _res, next) => next(new AppError('not_found', `no route ${req.method} ${req.path}`)));
  app.use(problemHandler(deps));
  return app;
}

export interface AuthedRequest extends Request {
  user?: User;
}

function authenticate(deps: Deps, authn: Authenticator): express.RequestHandler {
  return (req, _res, next) => {
    void (async () => {
      const sub = await authn.verify(bearerToken(req.headers.authorization));
      const user = await cachedUser(deps.store, sub);
      if (!user) throw new AppError('unauthenticated', 'the token names no known user');
      (req as AuthedRequest).user = user;
    })().then(() => next(), next);
  };
}

/**
 * The queue board is opened in a browser: by a one-time code from the API, exchanged for a session
 * cookie (services/ops/queue-board.ts), or with a bearer token in the header. Never a token in a URL.
 */
function authenticateBoard(deps: Deps, authn: Authenticator): express.RequestHandler {
  return (req, res, next) => {
    if (req.headers.authorization) return authenticate(deps, authn)(req, res, next);
    void (async () => {
      const session = await deps.queueBoard!.sessionUser(req, res);
      if (!session) throw new AppError('unauthenticated', '任务队列页面须从控制台打开（一次性链接已失效或未登录）');
      if (session.redirected) return;
      const user = await cachedUser(deps.store, session.userId);
      if (!user) throw new AppError('unauthenticated', 'the session names no known user');
      (req as AuthedRequest).user = user;
      next();
    })().catch(next);
  };
}

/** Rate-limit counters in Redis under the deployment's prefix, shared by every API process. */
function sharedStore(redis: Redis | undefined, prefix: string, name: string): RateLimitStore | undefined {
  if (!redis) return undefined;
  return new BatchedRedisStore(redis, `${prefix}:rate-limit:${name}:`);
}

/** API answers (cases, reporters, persons, exports, errors) are kept by no browser cache or proxy. */
function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

function requireAdmin(req: Request, _res: Response, next: NextFunction): void {
  const user = (req as AuthedRequest).user;
  if (!user?.roles.includes('admin')) return next(new AppError('forbidden', 'the queue dashboard is for administrators', { reason: 'role' }));
  next();
}

function handle(deps: Deps, def: RouteDef<any, any>, opts: AppOptions): express.RequestHandler {
  return (req, res, next) => {
    void (async () => {
      const unstorable = [req.params, req.query, req.body].flatMap(unstorableText);
      if (unstorable.length) throw new AppError('validation_failed', 'the request holds text that cannot be stored', { errors: unstorable });
      const body = def.body ? parseOrThrow(def.body, req.body ?? {}) : undefined;
      const query = def.query ? parseOrThrow(def.query, req.query ?? {}) : undefined;
      const result = await def.handler({
        req,
        res,
        deps,
        authn: opts.authenticator,
        user: (req as AuthedRequest).user as User,
        body,
        query,
        params: req.params as Record<string, string>,
      });
      if (res.headersSent) return;
      if (isRaw(result)) {
        res.status(def.status ?? 200).type(result.contentType);
        if (result.filename) res.attachment(result.filename);
        res.send(result.body);
        return;
      }
      res.status(def.status ?? 200).json(result);
    })().catch(next);
  };
}
