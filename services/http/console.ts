/**
 * The console served by the API process: the built files of dist/console at /console/,
 * index.html for every other /console/ path (history fallback), `/` redirected there. The page
 * carries a Content-Security-Policy with a per-response nonce: scripts only from this origin (no
 * inline script, no eval), style sheets and <style> elements from this origin or carrying the nonce
 * (antd's CSS-in-JS and the diagram's SVG style get it from the page's meta tag); inline style
 * attributes are allowed (they cannot run code; mermaid sets them). Nothing is loaded from outside.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import express from 'express';
import { AppError } from '../errors';

/** The repository root: the nearest directory above this file holding package.json. */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const CONSOLE_DIR = resolve(repoRoot(), 'dist', 'console');
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';

export function consolePolicy(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    // Style attributes only (mermaid's SVG sets them while it lays the diagram out); <style> elements need the nonce.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Express routes for the console; `dir` is the Vite build output. */
export function consoleRouter(dir = CONSOLE_DIR): express.Router {
  const router = express.Router();
  router.get('/', (_req, res) => res.redirect(302, '/console/'));
  router.get('/console', (req, res, next) => (req.path === '/console' ? res.redirect(301, '/console/') : next()));
  // Hashed file names: cached for a year; a missing asset is a 404, not the page.
  router.use('/console/assets', express.static(join(dir, 'assets'), { index: false, immutable: true, maxAge: '365d' }), (req, _res, next) =>
    next(new AppError('not_found', `no console asset ${req.path}`)));
  let page: { html: string; mtime: number } | null = null;
  const indexHtml = (): string | null => {
    const file = join(dir, 'index.html');
    if (!existsSync(file)) return null;
    const mtime = statSync(file).mtimeMs;
    if (!page || page.mtime !== mtime) page = { html: readFileSync(file, 'utf8'), mtime };
    return page.html;
  };
  router.get(/^\/console\/.*/, (_req, res) => {
    const html = indexHtml();
    if (html === null) {
      res.status(503).type('text/plain; charset=utf-8').send('控制台尚未构建：请运行 npm run build:console（npm start 会自动构建）。');
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    res.setHeader('Content-Security-Policy', consolePolicy(nonce));
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(html.replaceAll(NONCE_PLACEHOLDER, nonce));
  });
  return router;
}
