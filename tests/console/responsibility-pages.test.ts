/**
 * 以案促改 and 上热中温下冷 in the browser (issue 18 §3 and §5, issue 16): a case decided with a
 * sanction opens a rectification; the unit's plan and report are sent through the action panel, the
 * report is returned once with its required comment and accepted on the second round, each state
 * shown by its Chinese label; the level report draws its chart, tables the five levels in Chinese as
 * the API counts them, and downloads as XLSX and CSV; nothing breaks the CSP or leaves the machine.
 */
import { readFileSync } from 'node:fs';
import type { Page, Request } from 'playwright-core';
import { DUTY_COMMAND_LABELS, RECTIFICATION_STATE_LABELS } from '../../machines/shared/dictionary';
import { todayCst } from '../helpers/dates';
import { driver, type View } from '../helpers/drive';
import { chartDrawn, commandButtons, fieldErrors, loadedScripts, runCommand, shows, startConsole, type ConsoleHarness } from './browser';

let h: ConsoleHarness;
const pages = new Map<string, Page>();

async function as(userId: string): Promise<Page> {
  if (!pages.has(userId)) pages.set(userId, (await h.as(userId)).page);
  return pages.get(userId)!;
}

let caseId: string;
let rectId: string;

beforeAll(async () => {
  h = await startConsole();
  caseId = (await driver(h.sys).caseIn('decided')).id;
  const list = await (await h.sys.as('supervisor1')).get(`/api/v1/rectifications?sourceId=${caseId}&pageSize=200`);
  if (list.status !== 200 || list.body.items.length !== 1) throw new Error(`no rectification for case ${caseId}: ${list.status} ${JSON.stringify(list.body)}`);
  rectId = list.body.items[0].id;
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

const rectification = async (): Promise<View> => (await (await h.sys.as('supervisor1')).get(`/api/v1/rectifications/${rectId}`)).body;

/** The state label shown in the header of the detail page, once it shows `state`. */
async function stateShown(page: Page, state: string): Promise<string> {
  const tag = page.locator(`[data-testid="rectification-state"][data-state="${state}"]`);
  await tag.waitFor({ timeout: 15_000 });
  return (await tag.innerText()).trim();
}

/** One command through the action panel; answers the Chinese label the page then shows. */
async function act(page: Page, type: string, expected: string, fillForm?: (page: Page) => Promise<void>): Promise<string> {
  await runCommand(page, type, fillForm, 'rectification-state');
  const label = await stateShown(page, expected);
  await page.getByTestId('action-notice').locator('.ant-alert-close-icon').click();
  return label;
}

async function openDetail(page: Page): Promise<void> {
  await page.goto(`${h.base}/console/rectifications/${rectId}`);
  await shows(page, 'rectification-title');
}

describe('the console: 以案促改', () => {
  it('when a case is decided with a sanction, then 以案促改 lists its unit with the state in Chinese and the plan clock, and the case links to it', async () => {
    const page = await as('inspector1');
    await page.goto(`${h.base}/console/rectifications`);
    await shows(page, 'rectifications-page');
    const link = page.getByTestId(`rectification-link-${rectId}`);
    await link.waitFor();
    expect(await link.innerText()).toBe('云溪县东岭镇');
    const row = page.locator('[data-testid="rectification-table"] tr', { has: link });
    expect(await row.locator('.rectification-state').innerText()).toContain(RECTIFICATION_STATE_LABELS.planDue);
    const chip = row.locator('.deadline-chip[data-key="rectification.plan"]');
    expect(await chip.getAttribute('data-status')).toBe('open');
    expect(await chip.innerText()).toMatch(/^剩 \d+ (个工作日|天)/);
    expect(await row.locator('.deadline-chip[data-key="rectification.report"]').count()).toBe(0);
    // The case is shown whole, wrapped if need be (it was once cut to its first three characters).
    const caseCell = row.locator('td').nth(1);
    expect(await caseCell.evaluate((td) => ({ roomy: td.getBoundingClientRect().width > 120, clipped: td.scrollWidth > td.clientWidth }))).toEqual({ roomy: true, clipped: false });

    // The state filter is the API's: no accepted rectification yet.
    await page.goto(`${h.base}/console/rectifications?state=accepted`);
    await page.locator('[data-testid="rectification-table"] .ant-empty').waitFor();
    expect(await page.getByTestId(`rectification-link-${rectId}`).count()).toBe(0);

    // The case's 处置结果 tab links to its rectification.
    await page.goto(`${h.base}/console/cases/${caseId}`);
    await shows(page, 'case-title');
    await page.getByRole('tab', { name: '处置结果' }).click();
    await shows(page, 'case-rectification');
    expect(await page.getByTestId('case-rectification').innerText()).toContain(RECTIFICATION_STATE_LABELS.planDue);
    await page.getByTestId('case-rectification').getByRole('link').click();
    await shows(page, 'rectification-title');
    expect(page.url()).toContain(`/console/rectifications/${rectId}`);
  }, 60_000);

  it('when the unit reports, the report is returned once with a comment and then accepted, then each state shows in Chinese and the course records both rounds', async () => {
    const inspector = await as('inspector1');
    await openDetail(inspector);
    expect(await stateShown(inspector, 'planDue')).toBe(RECTIFICATION_STATE_LABELS.planDue);
    // The buttons are exactly the commands the API offers this user.
    const offered = (await (await h.sys.as('inspector1')).get(`/api/v1/rectifications/${rectId}`)).body.availableCommands;
    expect(offered).toEqual(expect.arrayContaining(['submitPlan', 'recordWarningMeeting']));
    expect(await commandButtons(inspector)).toEqual(offered);
    expect(offered).not.toContain('acceptReport');

    const planLabel = await act(inspector, 'submitPlan', 'reportDue', async (p) => {
      await p.locator('#text').fill('东岭镇以案促改整改方案：修订“三资”管理制度，开展专项清理');
      await p.locator('#measures').fill('修订“三资”管理制度');
      await p.keyboard.press('Enter');
      // The tags select keeps its dropdown open over the submit button until it is dismissed.
      await p.keyboard.press('Escape');
      await p.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    });
    expect(planLabel).toBe(RECTIFICATION_STATE_LABELS.reportDue);
    expect(await act(inspector, 'submitReport', 'acceptance', async (p) => p.locator('#text').fill('整改完成情况报告（第一稿）'))).toBe(RECTIFICATION_STATE_LABELS.acceptance);
    // Whoever wrote the report is not offered its acceptance.
    expect(await commandButtons(inspector)).not.toContain('acceptReport');

    const supervisor = await as('supervisor1');
    await openDetail(supervisor);
    expect(await stateShown(supervisor, 'acceptance')).toBe(RECTIFICATION_STATE_LABELS.acceptance);
    expect(await commandButtons(supervisor)).toEqual(expect.arrayContaining(['acceptReport', 'returnReport']));
    // A return without a comment is refused on its field, before anything is sent.
    await supervisor.locator('[data-testid="action-panel"] [data-command="returnReport"]').click();
    await supervisor.getByTestId('command-form-returnReport').waitFor();
    await supervisor.getByTestId('command-submit').click();
    await supervisor.getByTestId('command-error').waitFor();
    expect(await supervisor.getByTestId('command-error').innerText()).toContain('「退回意见」此项必填');
    expect(await fieldErrors(supervisor, 'comment')).toEqual(['此项必填']);
    expect((await rectification()).state).toBe('acceptance');
    await supervisor.locator('#comment').fill('制度修订未见印发文件，请补充后重报');
    await supervisor.getByTestId('command-submit').click();
    expect(await stateShown(supervisor, 'reportDue')).toBe(RECTIFICATION_STATE_LABELS.reportDue);
    await supervisor.getByTestId('course-returned-1').waitFor();
    expect(await supervisor.getByTestId('course-returned-1').innerText()).toContain('制度修订未见印发文件，请补充后重报');

    await openDetail(inspector);
    expect(await act(inspector, 'submitReport', 'acceptance', async (p) => p.locator('#text').fill('整改完成情况报告（附印发文件）'))).toBe(RECTIFICATION_STATE_LABELS.acceptance);
    await act(inspector, 'recordWarningMeeting', 'acceptance', async (p) => {
      await p.locator('#heldOn').fill('2026-07-10');
      await p.keyboard.press('Enter');
      await p.locator('#attendees').fill('80');
      await p.locator('#summary').fill('召开以案促改警示教育大会');
    });

    await openDetail(supervisor);
    expect(await act(supervisor, 'acceptReport', 'accepted', async (p) => p.locator('#comment').fill('验收通过'))).toBe(RECTIFICATION_STATE_LABELS.accepted);
    await supervisor.getByTestId('course-accepted').waitFor();
    expect(await supervisor.getByTestId('rectification-course').innerText()).toContain('第 2 轮');

    const done = await rectification();
    expect(done).toMatchObject({ state: 'accepted', rounds: 2, acceptance: { comment: '验收通过', by: 'supervisor1' } });
    expect(done.plan).toMatchObject({ by: 'inspector1', measures: ['修订“三资”管理制度'] });
    expect(done.reports.map((r: View) => r.returned?.comment ?? null)).toEqual(['制度修订未见印发文件，请补充后重报', null]);
    expect(done.meetings).toEqual([expect.objectContaining({ heldOn: '2026-07-10', attendees: 80, summary: '召开以案促改警示教育大会' })]);

    // The 警示教育会 tab and the list show the outcome in Chinese.
    await supervisor.getByRole('tab', { name: /警示教育会/ }).click();
    expect(await supervisor.getByTestId('rectification-meetings').innerText()).toContain('80 人参加');
    // Its 操作日志: the chain from the opening to the acceptance, in Chinese.
    await supervisor.getByRole('tab', { name: '操作日志' }).click();
    const history = supervisor.getByTestId('history');
    await history.getByText('启动以案促改').waitFor();
    for (const action of ['submitPlan', 'returnReport', 'acceptReport'] as const) expect(await history.innerText()).toContain(DUTY_COMMAND_LABELS[action]);
    await supervisor.goto(`${h.base}/console/rectifications?state=accepted`);
    const row = supervisor.locator('[data-testid="rectification-table"] tr', { has: supervisor.getByTestId(`rectification-link-${rectId}`) });
    await row.waitFor();
    expect(await row.locator('.rectification-state').innerText()).toContain(RECTIFICATION_STATE_LABELS.accepted);
    expect(await row.locator('.deadline-chip[data-key="rectification.acceptance"]').getAttribute('data-status')).toBe('met');
  }, 120_000);
});

describe('the console: 上热中温下冷', () => {
  it('when the level report is opened, then it draws the chart, tables the five levels in Chinese as the API counts them, and downloads XLSX and CSV with the token in a header only', async () => {
    const year = todayCst().slice(0, 4);
    const api = (await (await h.sys.as('head1')).get(`/api/v1/stats/pressure-by-level?year=${year}`)).body;
    const township = api.levels.find((l: View) => l.level === 'township');
    expect(township.rectifications).toMatchObject({ completed: 1 });

    const page = await as('head1');
    await page.goto(`${h.base}/console/pressure?year=${year}`);
    await shows(page, 'pressure-charts');
    expect(JSON.parse((await page.getByTestId('pressure-charts').getAttribute('data-levels')) ?? '[]')).toEqual(['省级', '地级', '县级', '乡级', '村（社区）']);
    // The chart is drawn: its canvas holds more than a few colours.
    await chartDrawn(page, 'chart-pressure-shares');
    expect(await page.locator('[data-testid="chart-pressure-forms"] canvas').count()).toBeGreaterThan(0);
    // ECharts comes in its own chunk with this screen.
    const scripts = await loadedScripts(page);
    expect(scripts.some((s) => /pressure-charts/.test(s))).toBe(true);

    // The table under it: one row per level, in Chinese, with the API's figures.
    const rows = page.locator('[data-testid="pressure-table"] tbody tr[data-level]');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-level')))).toEqual(['province', 'prefecture', 'county', 'township', 'village']);
    const cells = await page.locator('[data-testid="pressure-table"] tbody tr[data-level="township"] td').allInnerTexts();
    const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
    const f = township.fourForms;
    expect(cells.map((c) => c.trim())).toEqual([
      '乡级',
      ...[township.orgs, f.form1, f.form2, f.form3, f.form4].map(String),
      pct(f.form1Share),
      String(township.talks.obligations),
      String(township.talks.done),
      pct(township.talks.rate),
      String(township.rectifications.opened),
      String(township.rectifications.completed),
      pct(township.rectifications.rate),
      String(township.clues.disposalClocks),
      String(township.clues.metWithinMonth),
      pct(township.clues.share),
      String(township.escalationsReceived),
    ]);

    const requests: Request[] = [];
    page.on('request', (r) => (r.url().includes('/stats/pressure-by-level') ? requests.push(r) : undefined));
    const save = async (label: string) => {
      await page.getByTestId('download-pressure').click();
      const item = page.locator('.ant-dropdown:visible').getByText(label);
      await item.waitFor();
      const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), item.click()]);
      return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
    };
    const xlsx = await save('下载 Excel（XLSX）');
    expect(xlsx.name).toMatch(/\.xlsx$/);
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');
    const csv = await save('下载 CSV');
    expect(csv.name).toMatch(/\.csv$/);
    const text = csv.bytes.toString('utf8');
    for (const level of ['省级', '地级', '县级', '乡级', '村（社区）']) expect(text).toContain(level);
    for (const format of ['xlsx', 'csv']) {
      const sent = requests.find((r) => r.url().includes(`format=${format}`));
      expect(sent?.url()).toContain(`year=${year}`);
      const auth = (await sent!.allHeaders()).authorization;
      expect(auth).toMatch(/^Bearer /);
      expect(sent!.url()).not.toContain(auth.slice(7));
    }
  }, 90_000);
});

describe('the console: these screens', () => {
  it('when they were used, then nothing broke the CSP or left the machine', () => {
    expect(h.problems).toEqual([]);
  });
});
