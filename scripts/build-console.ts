/**
 * Builds the console (console/ → dist/console) with Vite, only when its sources changed: a SHA-256
 * over the files it is built from is kept in dist/console/.stamp; an unchanged tree answers in a
 * few milliseconds. `npm start` runs it before the server; the browser tests call ensureConsoleBuilt().
 * Run: `npm run build:console` (add `--force` to build anyway).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const ROOT = repoRoot();
export const OUT_DIR = join(ROOT, 'dist', 'console');
const STAMP = join(OUT_DIR, '.stamp');
const LOCK = join(ROOT, 'dist', '.console-build.lock');

/** What the bundle is made of: the console's sources and config, and the shared modules it imports. */
const INPUTS = ['console', 'machines', 'services/http/schemas.ts', 'docs/machines', 'package-lock.json'];

function files(path: string): string[] {
  const abs = join(ROOT, path);
  if (!existsSync(abs)) return [];
  if (statSync(abs).isFile()) return [abs];
  return readdirSync(abs, { withFileTypes: true })
    .filter((e) => e.name !== 'node_modules' && e.name !== 'dist' && !e.name.startsWith('.'))
    .flatMap((e) => files(join(path, e.name)));
}

/** The hash of every input file's path and content. */
export function sourceHash(): string {
  const h = createHash('sha256');
  for (const f of INPUTS.flatMap(files).sort()) {
    h.update(relative(ROOT, f));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

export function isFresh(hash = sourceHash()): boolean {
  return existsSync(join(OUT_DIR, 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === hash;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One build at a time across processes (parallel test files): a lock directory, stale after 5 minutes. */
function withLock<T>(fn: () => T): T {
  mkdirSync(dirname(LOCK), { recursive: true });
  const until = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 5 * 60_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > until) throw new Error('timed out waiting for another console build');
      sleep(250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds when stale; answers whether it built. */
export function ensureConsoleBuilt(opts: { force?: boolean; quiet?: boolean } = {}): boolean {
  if (!opts.force && isFresh()) return false;
  return withLock(() => {
    const hash = sourceHash();
    if (!opts.force && isFresh(hash)) return false;
    // Built beside the served copy, then moved in: a running server never sees a half-written tree.
    const fresh = `${OUT_DIR}.${process.pid}.new`;
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    execFileSync(
      process.execPath,
      [vite, 'build', '--config', join(ROOT, 'console', 'vite.config.mts'), '--outDir', fresh, '--emptyOutDir', '--logLevel', opts.quiet ? 'error' : 'warn'],
      { cwd: ROOT, stdio: opts.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' },
    );
    if (!existsSync(join(OUT_DIR, 'index.html'))) {
      rmSync(OUT_DIR, { recursive: true, force: true });
      renameSync(fresh, OUT_DIR);
    } else {
      // New hashed assets join the old ones (a page open on the previous build still finds its lazy
      // chunks), then index.html is replaced in one rename; assets of older builds go after an hour.
      const assets = join(OUT_DIR, 'assets');
      mkdirSync(assets, { recursive: true });
      const current = new Set(readdirSync(join(fresh, 'assets')));
      for (const f of current) renameSync(join(fresh, 'assets', f), join(assets, f));
      mkdirSync(join(OUT_DIR, '.vite'), { recursive: true });
      renameSync(join(fresh, '.vite', 'manifest.json'), join(OUT_DIR, '.vite', 'manifest.json'));
      renameSync(join(fresh, 'index.html'), join(OUT_DIR, 'index.html'));
      for (const f of readdirSync(assets)) if (!current.has(f) && Date.now() - statSync(join(assets, f)).mtimeMs > 3_600_000) rmSync(join(assets, f), { force: true });
      rmSync(fresh, { recursive: true, force: true });
    }
    writeFileSync(STAMP, `${hash}\n`);
    return true;
  });
}

if (require.main === module) {
  const started = Date.now();
  const built = ensureConsoleBuilt({ force: process.argv.includes('--force') });
  console.log(built ? `console built into dist/console in ${Date.now() - started} ms` : `console up to date (${Date.now() - started} ms)`);
}
