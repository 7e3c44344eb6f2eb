/**
 * The BullMQ queue board (bull-board) for administrators, served without any request leaving the
 * machine, in Chinese with 24-hour dates, and reached without a long-lived token in a URL:
 *
 * 1. an administrator asks the API for a one-time code (`POST /api/v1/admin/queue-board/ticket`,
 *    bearer token in the header as for every API call); the code lives 60 s in Redis and works once;
 * 2. the browser opens `/admin/queues?code=…`; the code is exchanged for a session cookie
 *    (HttpOnly, SameSite=Strict, limited to /admin/queues, 30 minutes) and the browser is sent on to
 *    the same page without the code.
 *
 * Codes and sessions are in Redis (under the deployment's key prefix), so any API process honours
 * them. A bearer token in the Authorization header is still accepted (scripts).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';

export const QUEUE_BOARD_PATH = '/admin/queues';
const CODE_TTL_S = 60;
const SESSION_TTL_S = 30 * 60;
const COOKIE = 'ajsc_qb';

export interface QueueBoard {
  /** The bull-board router; mount it behind {@link QueueBoard.authenticate}. */
  router: RequestHandler;
  /** Issues a one-time code for `userId`; the URL that opens the board with it. */
  issueTicket(userId: string): Promise<{ url: string; expiresInSeconds: number }>;
  /**
   * Resolves the user of a board request from its one-time code (answering with the session cookie
   * and a redirect) or its session cookie; undefined when neither is valid.
   */
  sessionUser(req: { query: Record<string, unknown>; headers: { cookie?: string }; originalUrl: string }, res: BoardResponse): Promise<{ userId: string; redirected: boolean } | undefined>;
}

interface BoardResponse {
  cookie(name: string, value: string, options: object): unknown;
  redirect(status: number, url: string): void;
}

export function createQueueBoard(queues: Queue[], redis: Redis, keyPrefix: string): QueueBoard {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: '任务队列',
        locale: { lng: 'zh-CN' },
        hideDocsLink: true,
        miscLinks: [{ text: '返回控制台', url: '/console/' }],
        dateFormats: {
          short: { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false },
          common: { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false },
          full: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false },
        },
      },
    },
  });
  serverAdapter.setViewsPath(localViews());

  const key = (kind: 'code' | 'session', id: string) => `${keyPrefix}:queue-board:${kind}:${id}`;
  return {
    router: serverAdapter.getRouter(),
    async issueTicket(userId) {
      const code = randomBytes(24).toString('base64url');
      await redis.set(key('code', code), userId, 'EX', CODE_TTL_S);
      return { url: `${QUEUE_BOARD_PATH}?code=${code}`, expiresInSeconds: CODE_TTL_S };
    },
    async sessionUser(req, res) {
      const code = typeof req.query.code === 'string' ? req.query.code : undefined;
      if (code) {
        const userId = await redis.getdel(key('code', code));
        if (!userId) return undefined;
        const session = randomBytes(24).toString('base64url');
        await redis.set(key('session', session), userId, 'EX', SESSION_TTL_S);
        res.cookie(COOKIE, session, { httpOnly: true, sameSite: 'strict', path: QUEUE_BOARD_PATH, maxAge: SESSION_TTL_S * 1000 });
        res.redirect(303, withoutCode(req.originalUrl));
        return { userId, redirected: true };
      }
      const session = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];
      if (!session) return undefined;
      const userId = await redis.get(key('session', session));
      return userId ? { userId, redirected: false } : undefined;
    },
  };
}

function withoutCode(url: string): string {
  const u = new URL(url, 'http://local');
  u.searchParams.delete('code');
  return `${u.pathname}${u.search}`;
}

/**
 * bull-board's page template links a font stylesheet on a public CDN, which an intranet cannot
 * reach (and which would leak who opens the board). Its template, with that link removed and the
 * page language set to Chinese, is written once per process to a private folder; the board's own
 * scripts and styles are still served from the package.
 */
function localViews(): string {
  const ui = path.dirname(require.resolve('@bull-board/ui/package.json'));
  const template = readFileSync(path.join(ui, 'dist', 'index.ejs'), 'utf8');
  const local = stripOutsideLinks(template);
  const dir = path.join(tmpdir(), `ajsc-queue-board-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.ejs'), local);
  return dir;
}

/** Removes every `<link>` to an outside host and marks the page as Chinese. */
export function stripOutsideLinks(html: string): string {
  return html.replace(/<link[^>]+href="https?:\/\/[^"]*"[^>]*>\s*/g, '').replace('<html lang="en"', '<html lang="zh-CN"');
}
