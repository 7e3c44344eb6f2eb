/**
 * 统计分析 and 一案双查 in the browser (issue 16): the four-forms chart draws a decided case, the
 * bulletin sentence is the report's, the XLSX downloads with the bearer token in a header only;
 * a case's two reviews are shown side by side; nothing breaks the CSP.
 */
import { readFileSync } from 'node:fs';
import type { Page, Request } from 'playwright-core';
import { driver, type Driver } from '../helpers/drive';
import { todayCst } from '../helpers/dates';
import { chartDrawn, loadedScripts, shows, startConsole, type ConsoleHarness } from './browser';

let h: ConsoleHarness;
const pages = new Map<string, Page>();

afterAll(async () => {
  await h?.stop();
});

async function as(userId: string): Promise<Page> {
  if (!pages.has(userId)) pages.set(userId, (await h.as(userId)).page);
  return pages.get(userId)!;
}
let drive: Driver;

beforeAll(async () => {
  // Workers open the 一案双查 reviews.
  h = await startConsole({ workers: true });
  drive = driver(h.sys);
}, 180_000);

describe('the console: 统计分析 and 一案双查', () => {
  it('when a case is decided, then 统计分析 draws it in the four-forms chart, prints the bulletin sentence and downloads the report with the token in a header only', async () => {
    await drive.caseIn('decided');
    const api = (await (await h.sys.as('head1')).get('/api/v1/stats/four-forms?from=2000-01-01&to=2099-12-31')).body;
    expect(api.total).toBeGreaterThanOrEqual(1);
    const page = await as('head1');
    await page.goto(`${h.base}/console/stats?from=2000-01-01&to=2099-12-31`);
    await shows(page, 'four-forms-charts');
    const charts = page.getByTestId('four-forms-charts');
    expect(JSON.parse((await charts.getAttribute('data-forms')) ?? '[]')).toEqual(api.forms.map((f: any) => [f.form, f.personTimes]));
    expect(await page.getByTestId('bulletin-sentence').textContent()).toBe(api.sentence);
    // The pie is drawn: its canvas holds more than one colour.
    await chartDrawn(page, 'chart-forms');
    // ECharts is its own chunk, loaded with this screen (not in the main bundle).
    const scripts = await loadedScripts(page);
    expect(scripts.some((s) => /four-forms-charts/.test(s))).toBe(true);

    const requests: Request[] = [];
    page.on('request', (r) => (r.url().includes('/stats/four-forms') ? requests.push(r) : undefined));
    await page.getByTestId('download-fourForms').click();
    const item = page.locator('.ant-dropdown:visible').getByText('下载 Excel（XLSX）');
    await item.waitFor();
    const [file] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }).catch(async (err: Error) => {
        throw new Error(`no download: ${err.message.split('\n')[0]}; the page says: ${await page.locator('.ant-message').innerText().catch(() => '')}`);
      }),
      item.click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/四种形态.*\.xlsx$/);
    const bytes = readFileSync((await file.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const sent = requests.find((r) => r.url().includes('format=xlsx'))!;
    expect(sent).toBeDefined();
    expect((await sent.allHeaders()).authorization).toMatch(/^Bearer /);
    const token = (await sent.allHeaders()).authorization.slice(7);
    expect(sent.url()).not.toContain(token);
  }, 120_000);

  it('when a case has both reviews open, then 一案双查 shows them side by side and lists them', async () => {
    const c = await drive.caseIn('registered');
    const view = await drive.openDualInvestigation(c.id);
    const page = await as('head1');
    await page.goto(`${h.base}/console/reviews?caseId=${c.id}`);
    await shows(page, 'dual-compare');
    for (const kind of ['primary', 'supervision']) {
      const col = page.getByTestId(`compare-${kind}`);
      await col.locator('.compare-state').waitFor();
      const id = view.dualInvestigation.reviews.find((r: any) => r.kind === kind).id as string;
      expect(await col.locator('.compare-state').getAttribute('data-state')).toBe((await drive.reviewView(id, 'head1')).state);
    }
    expect(await page.getByTestId('compare-primary').textContent()).toContain('主体责任');
    expect(await page.getByTestId('compare-supervision').textContent()).toContain('监督责任');
    const ids = view.dualInvestigation.reviews.map((r: any) => r.id as string);
    for (const id of ids) await page.getByTestId(`review-link-${id}`).waitFor();
    await page.getByTestId(`review-link-${ids[0]}`).click();
    await shows(page, 'review-title');
  }, 60_000);

  it('when posts and a talk are recorded, then 主体责任清单 lists the posts of the org and 谈话台账 the talk and the year’s coverage', async () => {
    const head = await h.sys.as('head1');
    const appoint = async (body: Record<string, unknown>) => {
      const res = await head.post('/api/v1/responsibility/posts', body);
      if (res.status !== 201) throw new Error(`appoint → ${res.status} ${JSON.stringify(res.body)}`);
    };
    await appoint({ orgId: 'town-b', post: 'secretary', personId: 'p-xp-sec', personName: '田书记', title: '西坪乡党委书记', from: '2020-01-01' });
    await appoint({ orgId: 'town-b', post: 'disciplineHead', personId: 'p-xp-jw', personName: '牛纪委', title: '西坪乡纪委书记', from: '2020-01-01' });
    const today = todayCst();
    const talk = await head.post('/api/v1/talks', {
      kind: 'integrityInterview',
      heldOn: today,
      talker: { personId: 'p-wu', name: '吴正' },
      talkedTo: [{ personId: 'p-xp-sec', name: '田书记', orgId: 'town-b' }],
      topics: ['落实全面从严治党主体责任'],
      problems: ['对村级小微权力监督不力'],
    });
    expect(talk.status).toBe(201);

    const page = await as('head1');
    await page.goto(`${h.base}/console/responsibility?orgId=town-b`);
    await shows(page, 'responsibility-page');
    const posts = page.getByTestId('post-table');
    await posts.getByText('田书记').waitFor();
    expect(await posts.textContent()).toContain('牛纪委');
    expect(await posts.textContent()).toContain('第一责任人');

    await page.goto(`${h.base}/console/talks?year=${today.slice(0, 4)}`);
    await shows(page, 'talks-page');
    const talks = page.getByTestId('talk-table');
    await talks.getByText('田书记').waitFor();
    expect(await talks.textContent()).toContain('廉政约谈');
    await page.getByRole('tab', { name: '谈话全覆盖' }).click();
    await shows(page, 'obligation-table');
    const coverage = (await head.get(`/api/v1/talks/coverage?year=${today.slice(0, 4)}`)).body;
    expect(await page.getByTestId('coverage').textContent()).toContain(`${coverage.summary.rate}%`);
  }, 60_000);

  it('when these screens were used, then nothing broke the CSP or left the machine', () => {
    expect(h.problems).toEqual([]);
  });
});
