/**
 * The console's budgets, printed, not asserted: the gzipped size of what the first page
 * load fetches (entry script, its static imports, CSS; budget 500 KB), with the diagram (mermaid)
 * and charts (echarts) split out; and the time for a case detail to become interactive (budget
 * 1 s) on a demo system under no load, measured from navigation to the action panel's buttons.
 * Run: `npm run bench:console`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { OUT_DIR } from '../scripts/build-console';
import { startDemoConsole } from '../scripts/console-demo';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const gz = (file: string) => gzipSync(readFileSync(join(OUT_DIR, file)), { level: 9 }).length;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

/** The build manifest: chunk key → chunk. */
function manifest(): Record<string, ManifestChunk> {
  return JSON.parse(readFileSync(join(OUT_DIR, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
}

/** The files the first load fetches: the entry, its static imports (transitively) and their CSS. */
function initialFiles(m: Record<string, ManifestChunk>): string[] {
  const seen = new Set<string>();
  const files = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key) || !m[key]) return;
    seen.add(key);
    files.add(m[key].file);
    for (const css of m[key].css ?? []) files.add(css);
    for (const i of m[key].imports ?? []) visit(i);
  };
  for (const [key, chunk] of Object.entries(m)) if (chunk.isEntry) visit(key);
  return [...files];
}

/** Chunks built from a package (by the manifest's source path), e.g. node_modules/mermaid. */
function chunksOf(m: Record<string, ManifestChunk>, pkg: RegExp): string[] {
  return [...new Set(Object.entries(m).filter(([key, c]) => pkg.test(c.src ?? key)).map(([, c]) => c.file))];
}

async function main(): Promise<void> {
  const demo = await startDemoConsole();
  try {
    const m = manifest();
    const initial = initialFiles(m);
    const total = initial.reduce((n, f) => n + gz(f), 0);
    console.log(`main bundle (initial load, gzipped): ${kb(total)} in ${initial.length} files — budget 500 KB: ${total <= 500 * 1024 ? 'within' : 'OVER'}`);
    for (const [label, re] of [['diagram (mermaid)', /node_modules\/mermaid\//], ['charts (echarts, bundled into the chart components)', /node_modules\/(echarts|zrender)\/|components\/[a-z-]*-charts\.tsx$/]] as const) {
      const files = chunksOf(m, re);
      const inMain = files.filter((f) => initial.includes(f));
      console.log(`${label}: ${files.length ? `${files.length} chunks, ${inMain.length ? `${inMain.length} IN THE MAIN BUNDLE` : 'split out (loaded on demand)'}` : 'no chunk of its own'}`);
    }

    type Page = { items: Array<{ id: string; state: string; pendingApproval: unknown }> };
    const target = (await demo.get<Page>('head1', '/cases?pageSize=50')).items.find((c) => c.pendingApproval) ?? (await demo.get<Page>('head1', '/cases')).items[0];
    const page = await demo.pageAs('head1');
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const started = Date.now();
      await page.goto(`${demo.base}/console/cases/${target.id}`);
      await page.locator('[data-testid="action-panel"] [data-command], [data-testid="action-panel"] .ant-typography').first().waitFor();
      const ms = Date.now() - started;
      if (i > 0) times.push(ms); // the first load also warms the server's caches
      else console.log(`case detail, first (cold) load: ${ms} ms`);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(`case detail interactive (navigation → action panel), median of ${times.length}: ${median} ms (min ${times[0]}, max ${times[times.length - 1]}) — budget 1000 ms: ${median <= 1000 ? 'within' : 'OVER'}`);
  } finally {
    await demo.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
