/**
 * The console's rules in the browser (issue 16): buttons are exactly `availableCommands`, a recused
 * user gets 未找到, field errors land on their fields (from the schema and from the API), a 409 of a
 * concurrent approval is explained and reloaded, the diagrams read in Chinese and highlight the current
 * state, a review's 操作日志 lists its chain, a deadline going overdue shows 黄 then 红, Chinese renders
 * without tofu, and nothing breaks the CSP.
 */
import type { Page } from 'playwright-core';
import { clue } from '../helpers/fixtures';
import { driver, type Driver } from '../helpers/drive';
import { eventually } from '../helpers/system';
import { choose, commandButtons, fieldErrors, fill, openCase, startConsole, type ConsoleHarness } from './browser';

let h: ConsoleHarness;
let drive: Driver;
const pages = new Map<string, Page>();

beforeAll(async () => {
  // clue.disposition runs out in seconds here, so one test can watch a clock escalate.
  h = await startConsole({ workers: true, env: { DEADLINE_OVERRIDES: JSON.stringify({ 'clue.disposition': { due: 'PT4S', escalateAfter: 'PT4S' } }) } });
  drive = driver(h.sys);
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

/** The words the diagram shows: the SVG's text without its <style>. */
async function diagramText(page: Page): Promise<string> {
  return page.locator('[data-testid="diagram"] svg').evaluate((el) => {
    const copy = el.cloneNode(true) as Element;
    copy.querySelectorAll('style').forEach((style) => style.remove());
    return copy.textContent ?? '';
  });
}

async function as(userId: string): Promise<Page> {
  if (!pages.has(userId)) pages.set(userId, (await h.as(userId)).page);
  return pages.get(userId)!;
}

describe('the console in the browser', () => {
  it('when users open a case awaiting approval, then each sees exactly the commands the API offers them, and the proposer no 批准', async () => {
    const view = await drive.caseIn('dispositionReview');
    for (const user of ['inspector1', 'supervisor1', 'head1', 'manager1', 'auditor1']) {
      const api = (await drive.caseView(view.id, user)).availableCommands as string[];
      const page = await as(user);
      await openCase(page, h.base, view.id);
      expect({ user, buttons: await commandButtons(page) }).toEqual({ user, buttons: api });
    }
    const proposer = view.pendingApproval.proposedBy as string;
    const page = await as(proposer);
    await openCase(page, h.base, view.id);
    expect(await commandButtons(page)).not.toContain('approve');
    expect(await page.getByTestId('action-panel').textContent()).not.toContain('批准');
    expect(await commandButtons(await as('supervisor1'))).toContain('approve');
  }, 120_000);

  it('when the registrar opens a case, then the reporter shows 已密封 until 查看举报人 is confirmed, and only that read is on record', async () => {
    const view = await drive.caseIn('registered');
    const disclosed = async () =>
      ((await (await h.sys.as('auditor1')).get(`/api/v1/cases/${view.id}/history`)).body.items as Array<{ outcome: string; actor: string }>).filter((e) => e.outcome === 'disclosed');
    const page = await as('registrar1');
    await openCase(page, h.base, view.id);
    const reporter = page.getByTestId('reporter');
    await reporter.waitFor();
    expect(await reporter.textContent()).toContain('已密封');
    expect(await reporter.textContent()).not.toContain('张举报');
    expect(await disclosed()).toEqual([]);
    await reporter.getByRole('button', { name: '查看举报人' }).click();
    await page.getByText('查看将以您的名义记入本案审计日志').waitFor();
    await page.getByRole('button', { name: '确认查看' }).click();
    await eventually(async () => (await reporter.textContent())?.includes('张举报'), 10_000);
    expect((await disclosed()).map((e) => e.actor)).toEqual(['registrar1']);
    // An inspector is offered no such action.
    const other = await as('inspector1');
    await openCase(other, h.base, view.id);
    await other.getByTestId('reporter').waitFor();
    expect(await other.getByTestId('reporter').getByRole('button', { name: '查看举报人' }).count()).toBe(0);
  }, 60_000);

  it('when a recused inspector opens the case, then the console says 未找到', async () => {
    const view = await drive.caseIn('registered');
    await drive.caseCmd(view.id, 'supervisor1', { type: 'recuse', userId: 'inspector2', relation: 'closeRelative', reason: '系被反映人近亲属' });
    const page = await as('inspector2');
    await page.goto(`${h.base}/console/cases/${view.id}`);
    await page.getByTestId('case-error').waitFor();
    expect(await page.getByTestId('case-error').textContent()).toContain('未找到');
    const other = await as('inspector1');
    await openCase(other, h.base, view.id);
  }, 60_000);

  it('when the registration form is wrong, then each error is shown on its own field and nothing is registered', async () => {
    const before = (await (await h.sys.as('registrar1')).get('/api/v1/cases')).body.total as number;
    const page = await as('registrar1');
    await page.goto(`${h.base}/console/register`);
    await page.getByRole('button', { name: '下一步' }).click();
    await fill(page, 'subjects_0_name', '李某');
    await fill(page, 'subjects_0_personId', '李 某');
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByTestId('register-submit').click();
    await page.getByTestId('register-error').waitFor();
    // The form goes back to the first step with an error: the title.
    expect(await fieldErrors(page, 'title')).toEqual(['此项必填']);
    await page.getByText('被反映人', { exact: true }).first().click();
    expect((await fieldErrors(page, 'subjects_0_personId')).join()).toMatch(/letters|字母/);
    expect(await fieldErrors(page, 'subjects_0_name')).toEqual([]);
    expect((await (await h.sys.as('registrar1')).get('/api/v1/cases')).body.total).toBe(before);
  }, 60_000);

  it('when 登记 is double-clicked, then one case is registered (one Idempotency-Key per submission)', async () => {
    const total = async () => (await (await h.sys.as('registrar1')).get('/api/v1/cases')).body.total as number;
    const before = await total();
    const page = await as('registrar1');
    await page.goto(`${h.base}/console/register`);
    await fill(page, 'title', '西坪乡某干部违规发放津贴问题');
    await page.getByRole('button', { name: '下一步' }).click();
    await fill(page, 'subjects_0_name', '王某');
    await fill(page, 'subjects_0_personId', 'p-wang-dbl');
    await page.getByRole('button', { name: '下一步' }).click();
    await fill(page, 'allegations_0_summary', '违规发放津贴补贴');
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByTestId('register-submit').dblclick();
    await page.waitForURL(/\/console\/cases\/[^/]+$/);
    await page.getByTestId('case-title').waitFor();
    expect(await total()).toBe(before + 1);
  }, 60_000);

  it('when the API refuses a command payload, then its errors[].path lands on the field', async () => {
    const view = await drive.caseIn('investigation.inProgress');
    const page = await as('inspector1');
    await openCase(page, h.base, view.id);
    await page.locator('[data-command="requestExtension"]').click();
    await page.getByTestId('command-form-requestExtension').waitFor();
    // The schema allows both clocks; only the machine knows that in this state only the investigation's can move.
    await choose(page, 'deadlineKey', '审理');
    await page.locator('#days').fill('30');
    await fill(page, 'reason', '案情复杂，需延长审查调查时间');
    await page.getByTestId('command-submit').click();
    await page.getByTestId('command-error').waitFor();
    expect((await fieldErrors(page, 'deadlineKey')).join()).toContain('investigation.report');
    expect((await drive.caseView(view.id)).version).toBe(view.version);
  }, 120_000);

  it('when another head approves first, then the console shows what changed and reloads the case', async () => {
    const view = await drive.caseIn('dispositionReview', { method: 'preliminaryVerification' });
    const page = await as('head1');
    await openCase(page, h.base, view.id);
    expect(await commandButtons(page)).toContain('approve');
    // 马振华 (the city's commission head, whose scope covers the county) approves meanwhile.
    await drive.caseCmd(view.id, 'cityhead', { type: 'approve', comment: '同意' });
    await page.locator('[data-command="approve"]').click();
    await page.getByTestId('command-form-approve').waitFor();
    await page.getByTestId('command-submit').click();
    const notice = page.getByTestId('action-notice');
    // Either the notice or an error in the form: the latter fails here with its words, not a time-out.
    await notice.or(page.getByTestId('command-error')).first().waitFor();
    expect(await page.getByTestId('command-error').count() ? await page.getByTestId('command-error').innerText() : 'no form error').toBe('no form error');
    const text = (await notice.textContent()) ?? '';
    expect(text).toMatch(/他人已先行办理|当前环节不能执行/);
    expect(text).toContain('状态由');
    const now = (await drive.caseView(view.id)).state as string;
    expect(now).not.toBe('dispositionReview');
    expect(await page.getByTestId('case-state').getAttribute('data-state')).toBe(now);
    expect(await commandButtons(page)).not.toContain('approve');
  }, 120_000);

  it('when the 流程图 tab is opened, then the diagram is drawn from the machine with the current state highlighted', async () => {
    const view = await drive.caseIn('talkInquiry.awaitingReply');
    const page = await as('inspector1');
    await openCase(page, h.base, view.id);
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /mermaid/i.test(n)));
    expect(scripts).toEqual([]);
    await page.getByRole('tab', { name: '流程图' }).click();
    const svg = page.locator('[data-testid="diagram"] svg');
    await svg.waitFor({ timeout: 30_000 });
    const current = await svg.evaluate((el) =>
      [...el.querySelectorAll('g.node, g.statediagram-state')]
        .filter((g) => g.getAttribute('class')?.includes('current') || /#c0392b|rgb\(192, 57, 43\)/i.test(g.querySelector('rect, path')?.getAttribute('style') ?? ''))
        .map((g) => g.textContent?.trim()),
    );
    expect(current).toEqual(expect.arrayContaining(['谈话函询·待回复', '未启动']));
    expect(current).not.toContain('线索登记·待处置');
    // Every state and event in Chinese from the dictionary, composite states and both regions included; no identifier left.
    const text = await diagramText(page);
    for (const label of ['案件办理', '一案双查', '谈话函询', '初步核实', '初步核实·核查中', '双查进行中', '登记函询回复', '批准（初步核实）', '自动流转']) expect(text).toContain(label);
    expect(text).not.toMatch(/preliminaryVerification|awaitingReply|recordReply|dualInvestigation|lifecycle/);
    expect(text.match(/[A-Za-z]{2,}/g)).toBeNull();
  }, 120_000);

  it('when a review is opened, then its 流程图 reads in Chinese with its state highlighted, and its 操作日志 shows the chain with reads hidden until asked', async () => {
    const review = await drive.reviewIn('investigating');
    const page = await as('inspector1');
    await page.goto(`${h.base}/console/reviews/${review.id}`);
    await page.getByTestId('review-title').waitFor();
    await page.getByRole('tab', { name: '流程图' }).click();
    const svg = page.locator('[data-testid="diagram"] svg');
    await svg.waitFor({ timeout: 30_000 });
    const current = await svg.evaluate((el) => [...el.querySelectorAll('g.node.current, g.statediagram-state.current')].map((g) => g.textContent?.trim()));
    expect(current).toEqual(['问责调查中']);
    const text = await diagramText(page);
    for (const label of ['问责调查', '已开启·待提请启动', '提交问责调查结论', '批准（问责调查启动）']) expect(text).toContain(label);
    expect(text.match(/[A-Za-z]{2,}/g)).toBeNull();

    await page.getByRole('tab', { name: '操作日志' }).click();
    const actions = async () => (await page.locator('[data-testid="history"] tbody tr td:nth-child(4)').allTextContents()).filter((t) => t !== '');
    await eventually(async () => (await actions()).length > 0, 10_000);
    const recorded = await actions();
    expect(recorded.slice(0, 2)).toEqual(['开启问责调查', '提请启动问责调查']);
    expect(recorded.slice(2).every((a) => a === '批准')).toBe(true);
    expect(recorded).not.toContain('查阅');
    await page.getByTestId('show-reads').click();
    await eventually(async () => (await actions()).includes('查阅操作日志'), 10_000);
    const all = await actions();
    expect(all).toContain('查阅');
    expect(all.length).toBeGreaterThan(recorded.length);
    const api = (await (await h.sys.as('head1')).get(`/api/v1/reviews/${review.id}/history`)).body.items as Array<{ actor: string; action: string }>;
    // The tab's own read is on record.
    expect(api.filter((e) => e.actor === 'inspector1' && e.action === 'history').length).toBeGreaterThan(0);
  }, 180_000);

  it('when a clue is left undisposed past its clock, then its chip turns 黄 (overdue) and then 红 (escalated)', async () => {
    const created = (await (await h.sys.as('registrar1')).post('/api/v1/cases', clue())).body;
    await drive.caseCmd(created.id, 'manager1', { type: 'assign', inspectorIds: ['inspector1'] });
    const page = await as('head1');
    const chipAt = async (level: string) => {
      // The workers take the steps; the page shows what the case says once it is opened again.
      await eventually(async () => (await drive.caseView(created.id, 'head1')).deadlines.some((d: any) => d.key === 'clue.disposition' && d.escalation === level), 60_000, 500);
      await openCase(page, h.base, created.id);
      const chip = page.locator('.deadline-chip[data-key="clue.disposition"]').first();
      expect(await chip.getAttribute('data-escalation')).toBe(level);
      return chip;
    };
    const overdue = await chipAt('overdue');
    expect(await overdue.getAttribute('class')).toMatch(/gold/);
    expect(await overdue.textContent()).toMatch(/超期/);
    const escalated = await chipAt('escalated');
    expect(await escalated.getAttribute('class')).toMatch(/red/);
  }, 150_000);

  it('when Chinese text is drawn, then every character has its own glyph (no tofu boxes)', async () => {
    const page = await as('auditor1');
    await page.goto(`${h.base}/console/`);
    await page.getByTestId('current-user').waitFor();
    const result = await page.evaluate(() => {
      const font = getComputedStyle(document.body).fontFamily;
      const draw = (ch: string) => {
        const c = document.createElement('canvas');
        c.width = 40;
        c.height = 40;
        const ctx = c.getContext('2d')!;
        ctx.font = `28px ${font}`;
        ctx.fillText(ch, 4, 32);
        return c.toDataURL();
      };
      const tofu = draw('\u{E000}');
      const chars = [...'一案双查纪委监委审批结案'];
      return { tofu: chars.filter((ch) => draw(ch) === tofu), distinct: new Set(chars.map(draw)).size, total: new Set(chars).size };
    });
    expect(result.tofu).toEqual([]);
    expect(result.distinct).toBe(result.total);
    expect(await page.getByTestId('main-menu').textContent()).toContain('工作台');
  }, 60_000);

  it('when the console is served, then it carries a CSP without unsafe-eval and unknown /api paths still answer problem+json', async () => {
    const res = await fetch(`${h.base}/console/cases/whatever`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(res.status).toBe(200);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval/);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(await res.text()).toContain(`content="${nonce}"`);
    const root = await fetch(`${h.base}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/console/']);
    const api = await fetch(`${h.base}/api/v1/nothing-here`);
    expect([api.status, api.headers.get('content-type')]).toEqual([404, expect.stringMatching(/^application\/problem\+json/)]);
    const asset = await fetch(`${h.base}/console/assets/missing.js`);
    expect(asset.status).toBe(404);
    expect(h.problems).toEqual([]);
  }, 30_000);
});
