/**
 * The console's budgets (issue 16), printed, not asserted: the gzipped size of what the first page
 * load fetches (entry script, its static imports, CSS; budget 500 KB), with the diagram (mermaid)
 * and charts (echarts) split out; and the time for a case detail to become interactive (budget
 * 1 s) on a demo system under no load, measured from navigation to the action panel's buttons.
 * Run: `npm run bench:console`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { OUT_DIR } from '../scripts/build-console';
import { startDemoConsole } from '../scripts/console-demo';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const gz = (file: string) => gzipSync(readFileSync(join(OUT_DIR, file)), { level: 9 }).length;

/** The files index.html loads at once: the entry module, modulepreloads and stylesheets. */
function initialFiles(): string[] {
  const html = readFileSync(join(OUT_DIR, 'index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
}

async function main(): Promise<void> {
  const demo = await startDemoConsole();
  try {
    const initial = initialFiles();
    const total = initial.reduce((n, f) => n + gz(f), 0);
    console.log(`main bundle (initial load, gzipped): ${kb(total)} in ${initial.length} files — budget 500 KB: ${total <= 500 * 1024 ? 'within' : 'OVER'}`);
    const assets = readdirSync(join(OUT_DIR, 'assets'));
    for (const [label, re] of [['diagram (mermaid core)', /^mermaid\.core/], ['charts (echarts)', /echarts/i]] as const) {
      const files = assets.filter((f) => re.test(f));
      const size = files.reduce((n, f) => n + gz(`assets/${f}`), 0);
      const split = files.every((f) => !initial.includes(`assets/${f}`));
      console.log(`${label}: ${files.length ? `${kb(size)} gzipped, ${split ? 'split out (loaded on demand)' : 'IN THE MAIN BUNDLE'}` : 'no chunk (not used by any screen yet)'}`);
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
