/**
 * Screenshots of the console's main screens into docs/console/*.png (shown in the README), taken
 * on a fresh demo system. Run: `npm run screenshots:console` (or `… -- case-diagram.png` for some of
 * them). A screen added under console/src/pages gets its shot by one entry in SHOTS.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './build-console';
import { startDemoConsole, type DemoConsole } from './console-demo';

interface Shot {
  file: string;
  user: string;
  /** Path under /console, or a function of the demo data. */
  path: string | ((demo: DemoConsole) => Promise<string>);
  /** Waits for the screen, and clicks what the shot needs. */
  ready: (page: Page) => Promise<void>;
}

type CasePage = { items: Array<{ id: string; title: string; dualInvestigation: { reviews: Array<{ id: string | null }> } }> };
const dualCase = async (demo: DemoConsole) => (await demo.get<CasePage>('head1', `/cases?q=${encodeURIComponent('一案双查')}`)).items[0];

const SHOTS: Shot[] = [
  { file: 'login.png', user: '', path: '/login', ready: (p) => p.getByTestId('user-picker').waitFor() },
  { file: 'workbench.png', user: 'head1', path: '/', ready: (p) => p.locator('[data-group]').first().waitFor() },
  { file: 'approvals.png', user: 'head1', path: '/approvals', ready: (p) => p.locator('[data-testid="approval-queue"] .ant-table-row').first().waitFor() },
  { file: 'register.png', user: 'registrar1', path: '/register', ready: (p) => p.getByTestId('register-form').waitFor() },
  { file: 'cases.png', user: 'head1', path: '/cases', ready: (p) => p.locator('[data-testid="case-table"] .ant-table-row').first().waitFor() },
  {
    file: 'case-detail.png',
    user: 'head1',
    path: async (demo) => `/cases/${(await dualCase(demo)).id}`,
    ready: async (p) => {
      await p.getByTestId('action-panel').waitFor();
      await p.getByRole('tab', { name: '一案双查' }).click();
      await p.locator('[data-testid="review-primary"] .state-tag').waitFor();
    },
  },
  {
    file: 'case-diagram.png',
    user: 'head1',
    path: async (demo) => `/cases/${(await dualCase(demo)).id}`,
    ready: async (p) => {
      await p.getByRole('tab', { name: '流程图' }).click();
      await p.locator('[data-testid="diagram"] svg').waitFor({ timeout: 60_000 });
    },
  },
  {
    file: 'case-history.png',
    user: 'auditor1',
    path: async (demo) => `/cases/${(await dualCase(demo)).id}`,
    ready: async (p) => {
      await p.getByRole('tab', { name: '操作日志' }).click();
      await p.locator('[data-testid="history"] .ant-table-row').first().waitFor();
    },
  },
  {
    file: 'review-detail.png',
    user: 'head1',
    path: async (demo) => `/reviews/${(await dualCase(demo)).dualInvestigation.reviews.find((r) => r.id)!.id}`,
    ready: (p) => p.getByTestId('action-panel').waitFor(),
  },
];

async function main(only: string[]): Promise<void> {
  const out = join(ROOT, 'docs', 'console');
  mkdirSync(out, { recursive: true });
  const demo = await startDemoConsole();
  try {
    for (const shot of SHOTS.filter((s) => only.length === 0 || only.includes(s.file))) {
      const page = shot.user ? await demo.pageAs(shot.user) : await demo.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } }).then((c) => c.newPage());
      const path = typeof shot.path === 'string' ? shot.path : await shot.path(demo);
      await page.goto(`${demo.base}/console${path}`);
      await shot.ready(page);
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(out, shot.file), fullPage: false });
      console.log(`docs/console/${shot.file}`);
      await page.context().close();
    }
  } finally {
    await demo.stop();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
