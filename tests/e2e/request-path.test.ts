/**
 * What runs on every request, made lean (security headers computed once, a token verified once,
 * one request-log line, rate-limit counts batched per turn of the event loop) and still doing what
 * its predecessor did: the headers helmet sets, an expired or forged token refused, a count exact
 * across API processes.
 */
import { Writable } from 'node:stream';
import express from 'express';
import helmet from 'helmet';
import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../../config/schema';
import { createAuthenticator, rememberVerified, VERIFIED_TOKEN_TTL_MS } from '../../services/http/auth';
import { BatchedRedisStore } from '../../services/http/rate-limit-store';
import { requestLog } from '../../services/http/request-log';
import { securityHeaders } from '../../services/http/security-headers';
import { TEST_REDIS_URL } from '../helpers/system';

describe('security headers', () => {
  it('when a response leaves, then it carries exactly the headers helmet would have set', async () => {
    const headersOf = async (mw: express.RequestHandler) => {
      const app = express().disable('x-powered-by').use(mw).get('/x', (_req, res) => void res.send('ok'));
      const res = await request(app).get('/x');
      const { date: _d, etag: _e, ...rest } = res.headers;
      return rest;
    };
    const ours = await headersOf(securityHeaders({ contentSecurityPolicy: false }));
    expect(ours).toEqual(await headersOf(helmet({ contentSecurityPolicy: false }) as unknown as express.RequestHandler));
    expect(ours['x-content-type-options']).toBe('nosniff');
    expect(ours['strict-transport-security']).toMatch(/max-age=/);
  });
});

describe('request log', () => {
  function capture(level: string) {
    const lines: Array<Record<string, any>> = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    return { logger: pino({ level }, stream), lines };
  }
  const app = (logger: pino.Logger) =>
    express()
      .use(requestLog(logger))
      .get('/healthz', (_req, res) => void res.send('ok'))
      .get('/boom', (req, res) => {
        (req as unknown as { log: pino.Logger }).log.error('inside');
        res.status(500).send('no');
      })
      .get('/x', (_req, res) => void res.send('ok'));

  it('when a request finishes, then one line names its id, method, redacted URL and status, and the response has the id', async () => {
    const { logger, lines } = capture('info');
    const res = await request(app(logger)).get('/x?token=secret&a=1').set('x-request-id', 'req-1').set('authorization', 'Bearer abc');
    expect(res.headers['x-request-id']).toBe('req-1');
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'request completed', req: { id: 'req-1', method: 'GET', url: '/x?token=[Redacted]&a=1' }, res: { statusCode: 200 } });
    expect(JSON.stringify(lines)).not.toContain('abc');
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('when a probe is asked, then nothing is logged at info; a failure logs at error, with req.log bound to the request id', async () => {
    const { logger, lines } = capture('info');
    const res = await request(app(logger)).get('/healthz');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await request(app(logger)).get('/boom').set('x-request-id', 'req-2');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'inside'],
      [50, 'request errored'],
    ]);
    expect(lines[0].reqId).toBe('req-2');
  });

  it('when the client goes away before the response, then one line says the request was aborted, at warn', async () => {
    const { logger, lines } = capture('info');
    let reached!: () => void;
    const inHandler = new Promise<void>((r) => (reached = r));
    const slow = express()
      .use(requestLog(logger))
      .get('/slow', (_req, res) => {
        reached();
        setTimeout(() => void res.send('late'), 300);
      });
    const server = slow.listen(0);
    try {
      const { port } = server.address() as import('node:net').AddressInfo;
      const controller = new AbortController();
      const sent = fetch(`http://127.0.0.1:${port}/slow`, { headers: { 'x-request-id': 'req-3' }, signal: controller.signal }).catch(() => 'aborted');
      await inHandler;
      controller.abort();
      expect(await sent).toBe('aborted');
      await new Promise((r) => setTimeout(r, 500));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 40, msg: 'request aborted', req: { id: 'req-3', method: 'GET', url: '/slow' }, res: { statusCode: null } });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('verified tokens', () => {
  const config = loadConfig({ DEV_JWT_SECRET: 's'.repeat(32) });
  const key = new TextEncoder().encode('s'.repeat(32));
  const sign = (sub: string, exp: number | string) => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuer('ajsc-dev').setAudience('ajsc').setIssuedAt().setExpirationTime(exp).sign(key);

  it('when a valid token comes again, then it is not verified again; a forged or expired one is refused every time', async () => {
    const auth = createAuthenticator(config);
    const token = await sign('inspector1', '1h');
    expect(await auth.verify(token)).toBe('inspector1');
    expect(await auth.verify(token)).toBe('inspector1');
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await expect(auth.verify(forged)).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(auth.verify(forged)).rejects.toMatchObject({ code: 'unauthenticated' });
    const expired = await sign('inspector1', Math.floor(Date.now() / 1000) - 10);
    await expect(auth.verify(expired)).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('when a remembered token reaches its exp, then it is verified again (and refused)', async () => {
    let now = 1_000_000_000_000;
    let calls = 0;
    const verify = rememberVerified(async (token) => {
      calls++;
      if (now >= 1_000_000_060_000) throw new Error(`expired ${token}`);
      return { sub: 'u1', exp: 1_000_000_060 };
    }, () => now);
    expect(await verify('t')).toBe('u1');
    now += 59_000;
    expect(await verify('t')).toBe('u1');
    expect(calls).toBe(1);
    now += 2_000;
    await expect(verify('t')).rejects.toThrow(/expired/);
    expect(calls).toBe(2);
    expect(VERIFIED_TOKEN_TTL_MS).toBeLessThanOrEqual(10 * 60_000);
  });
});

describe('rate-limit counts batched per turn', () => {
  let redis: Redis;
  const prefix = `t_rls_${process.pid}_${Date.now().toString(36)}:`;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  const store = (windowMs = 60_000) => {
    const s = new BatchedRedisStore(redis, prefix);
    s.init({ windowMs } as never);
    return s;
  };

  it('when two processes count the same key in one turn, then every hit gets its own place and Redis holds the total', async () => {
    const a = store();
    const b = store();
    const sent = Array.from({ length: 5 }, (_, i) => (i % 2 ? b : a).increment('user:x'));
    const counts = (await Promise.all(sent)).map((r) => r.totalHits).sort((x, y) => x - y);
    expect(counts).toEqual([1, 2, 3, 4, 5]);
    expect(await redis.get(`${prefix}user:x`)).toBe('5');
    const ttl = await redis.pttl(`${prefix}user:x`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect((await a.increment('user:y')).totalHits).toBe(1);
    expect((await a.increment('user:x')).totalHits).toBe(6);
    await a.decrement('user:x');
    expect((await a.get('user:x'))?.totalHits).toBe(5);
    await b.resetKey('user:x');
    expect(await a.get('user:x')).toBeUndefined();
  });

  it('when the window has passed, then the count starts again', async () => {
    const s = store(300);
    expect((await s.increment('user:w')).totalHits).toBe(1);
    expect((await s.increment('user:w')).totalHits).toBe(2);
    await new Promise((r) => setTimeout(r, 400));
    expect((await s.increment('user:w')).totalHits).toBe(1);
  });

  it('when Redis cannot answer, then every waiting request fails rather than passing uncounted', async () => {
    const broken = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false });
    const s = new BatchedRedisStore(broken, prefix);
    s.init({ windowMs: 60_000 } as never);
    await expect(Promise.all([s.increment('k'), s.increment('k')])).rejects.toBeTruthy();
    broken.disconnect();
  });
});

