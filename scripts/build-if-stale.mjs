#!/usr/bin/env node
/**
 * `npm start` runs this first: it compiles the server (tsc, incremental) only when a source file,
 * a tsconfig or the lock file is newer than the last build, so a second start begins at once.
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['machines', 'services', 'workers', 'composition', 'config', 'scripts'];
const FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const STAMP = path.join(root, 'dist', '.build-stamp');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else if (/\.(ts|sql|json)$/.test(entry.name)) latest = Math.max(latest, statSync(full).mtimeMs);
  }
  return latest;
}

const sources = Math.max(...SOURCES.map((d) => newest(path.join(root, d))), ...FILES.map((f) => (existsSync(path.join(root, f)) ? statSync(path.join(root, f)).mtimeMs : 0)));
const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
if (built >= sources && !process.argv.includes('--force')) {
  process.stdout.write('server build is up to date\n');
  process.exit(0);
}
process.stdout.write('compiling the server (TypeScript)…\n');
const started = Date.now();
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'], { cwd: root, stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
mkdirSync(path.dirname(STAMP), { recursive: true });
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
// The stamp carries the time the build began: a file saved during the build is newer, and rebuilt next time.
utimesSync(STAMP, started / 1000, started / 1000);
process.stdout.write(`server compiled in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
