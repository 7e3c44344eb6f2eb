/**
 * What a deployment trips over first: credentials in logs, the queue board's way in, CORS, rate
 * limits shared by API processes, probes in the log, demo data in production.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../../config/schema';
import { createLogger, redactUrl, REDACT_PATHS } from '../../services/logger';
import { stripOutsideLinks } from '../../services/ops/queue-board';
import { withOrgChart } from '../helpers/fixtures';
import { startTestSystem, type TestSystem } from '../helpers/system';

function captured() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = pino({ level: 'info', redact: { paths: REDACT_PATHS, censor: '[Redacted]' } }, stream);
  return { logger, lines };
}

describe('logs', () => {
  let sys: TestSystem;
  const log = captured();
  beforeAll(async () => {
    sys = await startTestSystem({ logger: log.logger });
    await withOrgChart(sys);
  }, 120_000);
  afterAll(() => sys.stop());

  it('when requests carry bearer tokens, cookies and codes in the URL, then no log line holds any of them', async () => {
    const token = await sys.token('admin');
    await sys.http.get('/api/v1/cases').set('authorization', `Bearer ${token}`).set('cookie', 'ajsc_qb=secret-session-value');
    await sys.http.get('/admin/queues?code=one-time-secret-code&x=1');
    await sys.http.get(`/admin/queues?token=${token}`);
    const all = log.lines.join('\n');
    expect(log.lines.length).toBeGreaterThanOrEqual(3);
    expect(all).not.toContain(token);
    expect(all).not.toContain('secret-session-value');
    expect(all).not.toContain('one-time-secret-code');
    expect(all).toContain('/admin/queues?code=[Redacted]&x=1');
  });

  it('when health probes and scrapes come in, then they are not logged at info; an API call is', async () => {
    const before = log.lines.length;
    await sys.http.get('/healthz');
    await sys.http.get('/readyz');
    await sys.http.get('/metrics');
    expect(log.lines.slice(before)).toHaveLength(0);
    await sys.http.get('/api/v1/cases');
    expect(log.lines.slice(before).some((l) => l.includes('/api/v1/cases'))).toBe(true);
  });

  it('when a URL names a token, code or ticket, then redactUrl hides only the value', () => {
    expect(redactUrl('/a?token=abc&b=1&code=xyz')).toBe('/a?token=[Redacted]&b=1&code=[Redacted]');
    expect(redactUrl('/a?b=1')).toBe('/a?b=1');
  });

  it('when the process logger is made for a pipe, then it writes JSON lines with the redaction on', () => {
    const logger = createLogger({ level: 'info', service: 'x', pretty: false });
    expect(logger.level).toBe('info');
  });
});

describe('queue board', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem({ workers: true });
    await withOrgChart(sys);
  }, 120_000);
  afterAll(() => sys.stop());

  it('when opened without a code, a session or a bearer token, then 401, and a token in the URL no longer opens it', async () => {
    expect((await sys.http.get('/admin/queues')).status).toBe(401);
    expect((await sys.http.get(`/admin/queues?token=${await sys.token('admin')}`)).status).toBe(401);
  });

  it('when an admin asks for a ticket, then its code opens the board once, as a session cookie, without outside links, in Chinese', async () => {
    const ticket = await (await sys.as('admin')).post('/api/v1/admin/queue-board/ticket');
    expect(ticket.status).toBe(200);
    expect(ticket.body).toMatchObject({ url: expect.stringMatching(/^\/admin\/queues\?code=[\w-]{20,}$/), expiresInSeconds: 60 });

    const exchange = await sys.http.get(ticket.body.url);
    expect(exchange.status).toBe(303);
    expect(exchange.headers.location).toBe('/admin/queues');
    const cookie = String(exchange.headers['set-cookie']);
    expect(cookie).toMatch(/ajsc_qb=[^;]+; Max-Age=1800; Path=\/admin\/queues; Expires=.*HttpOnly; SameSite=Strict/);

    const page = await sys.http.get('/admin/queues').set('cookie', cookie.split(';')[0]);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="zh-CN"');
    expect(page.text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    expect(page.text).toContain('"lng":"zh-CN"');
    expect(page.text).toContain('任务队列');

    expect((await sys.http.get(ticket.body.url)).status).toBe(401);
  });

  it('when a non-admin asks for a ticket, then 403 role', async () => {
    const res = await (await sys.as('inspector1')).post('/api/v1/admin/queue-board/ticket');
    expect(res.status).toBe(403);
    expect(res.body.reason).toBe('role');
  });

  it('when the page template links a font CDN, then the local template has no outside link', () => {
    const html = '<html lang="en" dir="ltr"><head>\n<link href="https://fonts.example/css2?x" rel="stylesheet">\n<link href="static/css/main.css" rel="stylesheet"></head></html>';
    expect(stripOutsideLinks(html)).toBe('<html lang="zh-CN" dir="ltr"><head>\n<link href="static/css/main.css" rel="stylesheet"></head></html>');
  });
});

describe('CORS', () => {
  it('when no origins are configured, then a preflight gets no CORS answer', async () => {
    const sys = await startTestSystem();
    try {
      const res = await sys.http.options('/api/v1/cases').set('origin', 'http://console.example').set('access-control-request-method', 'POST');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await sys.stop();
    }
  });

  it('when CORS_ORIGINS lists an origin, then its preflight is allowed with the headers the console sends, and another origin is not', async () => {
    const sys = await startTestSystem({ env: { CORS_ORIGINS: 'http://console.example:8080, https://other.example' } });
    try {
      const ok = await sys.http
        .options('/api/v1/cases')
        .set('origin', 'http://console.example:8080')
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'authorization,content-type,idempotency-key');
      expect(ok.status).toBe(204);
      expect(ok.headers['access-control-allow-origin']).toBe('http://console.example:8080');
      expect(ok.headers['access-control-allow-headers']).toContain('idempotency-key');
      const other = await sys.http.options('/api/v1/cases').set('origin', 'http://evil.example').set('access-control-request-method', 'POST');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await sys.stop();
    }
  });

  it('when CORS_ORIGINS holds something that is not an origin, then the config is refused naming the key', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'http://a.example/path' })).toThrow(/CORS_ORIGINS: not an origin/);
  });
});

describe('rate limits across API processes', () => {
  it('when two API processes share Redis, then the dev-token limit counts the requests of both', async () => {
    const prefix = `t_rl_${Date.now().toString(36)}`;
    const env = { QUEUE_PREFIX: prefix, DEV_TOKEN_LIMIT_PER_MIN: '3' };
    const a = await startTestSystem({ env });
    const b = await startTestSystem({ env });
    try {
      await withOrgChart(a);
      await withOrgChart(b);
      const ask = (s: TestSystem) => s.http.post('/api/v1/auth/dev-token').send({ userId: 'admin' });
      const statuses = [(await ask(a)).status, (await ask(b)).status, (await ask(a)).status, (await ask(b)).status];
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await a.redis.del(...(await a.redis.keys(`${prefix}:rate-limit:*`)));
      await a.stop();
      await b.stop();
    }
  });
});

describe('demo data', () => {
  it('when NODE_ENV=production, then SEED_DEMO is off unless asked for; elsewhere on unless turned off', () => {
    const prod = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', REPORTER_KEY: '0'.repeat(32) };
    expect(loadConfig(prod).SEED_DEMO).toBe(false);
    expect(loadConfig({ ...prod, SEED_DEMO: 'true' }).SEED_DEMO).toBe(true);
    expect(loadConfig({}).SEED_DEMO).toBe(true);
    expect(loadConfig({ SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
  });
});
