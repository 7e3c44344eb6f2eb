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

/** POST on the API as `userId`; fails loudly unless accepted. */
async function post<T>(demo: DemoConsole, userId: string, path: string, body: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${demo.base}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await demo.token(userId)}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path} as ${userId} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Today in China (the talks and the warning meeting are held today, within the report's year). */
const todayCst = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

type RectificationPage = { items: Array<{ id: string; state: string; unitOrgId: string }> };

/**
 * The demo's rectifications (opened by the workers for its cases decided with a sanction), taken
 * along once: one unit's plan submitted, one accepted, another's report returned with a comment,
 * reported again and a warning-education meeting held, so that the list (and 上热中温下冷's 整改完成率)
 * shows several states and the detail a course of two rounds. Answers the rectification of the detail shot.
 */
let rectified: Promise<string> | undefined;
const rectificationDemo = (demo: DemoConsole) =>
  (rectified ??= (async () => {
    let items: RectificationPage['items'] = [];
    for (let i = 0; i < 150 && items.length < 3; i++) {
      items = (await demo.get<RectificationPage>('supervisor1', '/rectifications?state=planDue&pageSize=50')).items;
      if (items.length < 3) await new Promise((r) => setTimeout(r, 200));
    }
    if (items.length < 3) throw new Error(`the demo opened ${items.length} rectifications`);
    // The detail shows the 南川镇 unit's rectification (its case: 违规兼职取酬) when there is one.
    const detail = items.find((r) => r.unitOrgId === 'town-c') ?? items[0];
    const [planned, accepted] = items.filter((r) => r !== detail);
    const cmd = (user: string, id: string, body: Record<string, unknown>) => post(demo, user, `/rectifications/${id}/commands`, body);
    await cmd('inspector1', planned.id, { type: 'submitPlan', text: '以案促改整改方案：查找制度漏洞，健全内控机制，开展专项清理', measures: ['健全内控机制', '开展专项清理'] });
    await cmd('inspector1', accepted.id, { type: 'submitPlan', text: '以案促改整改方案：健全礼金礼品登记上交制度，开展专项整治', measures: ['健全礼金礼品登记上交制度'] });
    await cmd('inspector1', accepted.id, { type: 'submitReport', text: '整改完成情况报告：制度已印发，专项整治已完成。' });
    await cmd('supervisor1', accepted.id, { type: 'acceptReport', comment: '验收通过' });
    await cmd('inspector1', detail.id, {
      type: 'submitPlan',
      text: '以案促改整改方案：针对违规兼职取酬问题，全面排查干部兼职情况，修订兼职审批管理办法，开展警示教育。',
      measures: ['全面排查干部兼职情况', '修订兼职审批管理办法', '召开警示教育会'],
    });
    await cmd('inspector1', detail.id, { type: 'submitReport', text: '整改完成情况报告（第一稿）：已排查兼职人员 12 名。' });
    await cmd('supervisor1', detail.id, { type: 'returnReport', comment: '未报送兼职审批管理办法修订稿，请补充后重新报送' });
    await cmd('inspector1', detail.id, { type: 'submitReport', text: '整改完成情况报告：已排查兼职人员 12 名，清退违规兼职 2 人；兼职审批管理办法已修订印发（附后）。' });
    await cmd('inspector1', detail.id, { type: 'recordWarningMeeting', heldOn: todayCst(), attendees: 46, summary: '通报违规兼职取酬典型案例，全体干部签订廉洁承诺书' });
    return detail.id;
  })());

/**
 * The county's responsibility map and this year's talks for 上热中温下冷: the county's discipline
 * head and the three townships' secretaries; the head has talked with two of them, so that the
 * township level's talk coverage is partial.
 */
let mapped: Promise<void> | undefined;
const pressureDemo = (demo: DemoConsole) =>
  (mapped ??= (async () => {
    await rectificationDemo(demo);
    const from = `${todayCst().slice(0, 4)}-01-01`;
    const head = { personId: 'demo-wu', name: '吴正' };
    const appoint = (body: Record<string, unknown>) => post(demo, 'head1', '/responsibility/posts', { from, ...body });
    await appoint({ orgId: 'county', post: 'disciplineHead', personId: head.personId, personName: head.name, title: '县纪委书记、监委主任' });
    const secretaries = [
      { orgId: 'town-a', personId: 'demo-ta', name: '唐安', title: '东岭镇党委书记' },
      { orgId: 'town-b', personId: 'demo-tb', name: '田博', title: '西坪乡党委书记' },
      { orgId: 'town-c', personId: 'demo-tc', name: '田川', title: '南川镇党委书记' },
    ];
    for (const t of secretaries) await appoint({ orgId: t.orgId, post: 'secretary', personId: t.personId, personName: t.name, title: t.title });
    for (const t of secretaries.slice(0, 2)) {
      await post(demo, 'head1', '/talks', {
        kind: 'individualInterview',
        heldOn: todayCst(),
        talker: head,
        talkedTo: [{ personId: t.personId, name: t.name, orgId: t.orgId }],
        topics: ['落实全面从严治党主体责任'],
      });
    }
  })());

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
  {
    file: 'rectifications.png',
    user: 'head1',
    path: async (demo) => (await rectificationDemo(demo), '/rectifications'),
    ready: (p) => p.locator('[data-testid="rectification-table"] .ant-table-row').first().waitFor(),
  },
  {
    file: 'rectification-detail.png',
    user: 'supervisor1',
    path: async (demo) => `/rectifications/${await rectificationDemo(demo)}`,
    ready: async (p) => {
      await p.getByTestId('action-panel').waitFor();
      await p.getByTestId('rectification-course').waitFor();
    },
  },
  {
    file: 'alerts.png',
    user: 'head1',
    path: '/alerts',
    ready: (p) => p.locator('[data-testid="alert-table"] tr[data-row]').first().waitFor(),
  },
  {
    file: 'stats.png',
    user: 'head1',
    path: '/stats',
    ready: async (p) => {
      await p.locator('[data-testid="chart-level"] canvas').first().waitFor();
      // ECharts draws its bars and slices in over a second.
      await p.waitForTimeout(1500);
    },
  },
  {
    file: 'pressure.png',
    user: 'head1',
    path: async (demo) => (await pressureDemo(demo), '/pressure'),
    ready: async (p) => {
      await p.getByTestId('pressure-charts').waitFor();
      await p.locator('[data-testid="chart-pressure-shares"] canvas').first().waitFor();
    },
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
