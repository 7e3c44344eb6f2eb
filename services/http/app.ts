import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import { pinoHttp } from 'pino-http';
import { rateLimit } from 'express-rate-limit';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { cachedUser } from '../authz';
import type { User } from '../store/port';
import { bearerToken, type Authenticator } from './auth';
import { isRaw, type RouteDef } from './route';
import { parseOrThrow } from './validate';
import { allRoutes } from './routes';
import { buildOpenApi, docsPage } from './openapi';
import { problemHandler } from './problem';
import { unstorableText } from './storable-text';

export interface AppOptions {
  authenticator: Authenticator;
}

/** Express app wiring only (STYLE.md habit 6): testable on port 0, no listening, no env reads. */
export function createApp(deps: Deps, opts: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(express.json({ limit: deps.config.BODY_LIMIT }));

  const routes = allRoutes();
  const commandLimiter = rateLimit({
    windowMs: 60_000,
    limit: deps.config.RATE_LIMIT_PER_MIN,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => `user:${(req as AuthedRequest).user?.id ?? 'anonymous'}`,
    handler: (_req, _res, next) => next(new AppError('rate_limited', 'too many commands; try again in a minute')),
  });
  const devTokenLimiter = rateLimit({
    windowMs: 60_000,
    limit: deps.config.DEV_TOKEN_LIMIT_PER_MIN,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
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
  if (deps.queueDashboard) {
    app.use('/admin/queues', authenticateCookieOrBearer(deps, opts.authenticator), requireAdmin, deps.queueDashboard);
  }
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

/** The dashboard is opened in a browser: accept the token from `?token=` once and keep it in a cookie. */
function authenticateCookieOrBearer(deps: Deps, authn: Authenticator): express.RequestHandler {
  return (req, res, next) => {
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : undefined;
    const fromCookie = /(?:^|;\s*)ajsc_token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (fromQuery) {
      res.cookie('ajsc_token', fromQuery, { httpOnly: true, sameSite: 'strict', path: '/admin/queues' });
    }
    if (!req.headers.authorization && (fromQuery || fromCookie)) req.headers.authorization = `Bearer ${fromQuery ?? fromCookie}`;
    authenticate(deps, authn)(req, res, next);
  };
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
