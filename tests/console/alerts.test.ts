/**
 * 预警督办 in the browser (issue 16): a clue's clock going 黄 (overdue) then 红 (escalated) on the
 * screen, for the commission above among the escalations from below, and as a 压案不查 risk; the
 * screen's Chinese renders without tofu; nothing breaks the CSP.
 */
import type { Page } from 'playwright-core';
import { clue } from '../helpers/fixtures';
import { driver, type Driver } from '../helpers/drive';
import { eventually } from '../helpers/system';
import { startConsole, type ConsoleHarness } from './browser';

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
  // A clue's disposition clock runs out in seconds and is escalated 20 s later: long enough to see 黄 before 红.
  h = await startConsole({ workers: true, env: { DEADLINE_OVERRIDES: JSON.stringify({ 'clue.disposition': { due: 'PT3S', escalateAfter: 'PT20S' } }) } });
  drive = driver(h.sys);
}, 180_000);

describe('the console: 预警督办', () => {
  it('when a clue is left undisposed past its clock, then 预警督办 shows it 黄 (overdue) and then 红 (escalated), above too, and as a 压案不查 risk', async () => {
    const created = (await (await h.sys.as('registrar1')).post('/api/v1/cases', clue({ title: '西坪乡某站所压案不查测试线索' }))).body;
    await drive.caseCmd(created.id, 'manager1', { type: 'assign', inspectorIds: ['inspector1'] });
    const level = async () => (await drive.caseView(created.id, 'head1')).deadlines.find((d: any) => d.key === 'clue.disposition')?.escalation as string;
    const page = await as('head1');
    const row = page.locator(`[data-testid="alert-table"] tr[data-row="case-${created.id}"]`);

    await eventually(async () => (await level()) === 'overdue', 30_000, 300);
    await page.goto(`${h.base}/console/alerts`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getAttribute('data-escalation')).toBe('overdue');
    const yellow = row.locator('.alert-escalation');
    expect(await yellow.getAttribute('class')).toMatch(/gold/);
    expect(await yellow.textContent()).toBe('已超期');
    expect(await row.textContent()).toContain('西坪乡某站所压案不查测试线索');
    expect(await row.textContent()).toContain('问题线索处置意见');
    // Overdue by working days, as every clock counts (seconds here: due today, or the day before just after midnight).
    expect(await row.getByTestId('alert-remaining').textContent()).toMatch(/^(已超期|超期 \d+ 个工作日)$/);

    // The page refreshes by itself: no reload needed to see the escalation.
    await eventually(async () => (await level()) === 'escalated', 60_000, 500);
    await page.locator(`[data-testid="alert-table"] tr[data-row="case-${created.id}"][data-escalation="escalated"]`).waitFor({ timeout: 20_000 });
    const red = row.locator('.alert-escalation');
    expect(await red.getAttribute('class')).toMatch(/\bant-tag-red\b|red/);
    expect(await red.textContent()).toBe('已督办上报');
    expect(Number(await page.getByTestId('count-escalated').locator('.ant-statistic-content-value').textContent())).toBeGreaterThanOrEqual(1);

    // The escalated clue is a 压案不查 risk.
    await page.getByRole('tab', { name: /压案不查风险/ }).click();
    await page.locator('[data-testid="risk-table"]').getByText('西坪乡某站所压案不查测试线索').waitFor({ timeout: 20_000 });

    // The city commission sees it among the escalations from below.
    const city = await as('cityhead');
    await city.goto(`${h.base}/console/alerts`);
    await city.getByRole('tab', { name: /下级上报督办/ }).click();
    const fromBelow = city.locator(`[data-testid="escalated-from-below"] tr[data-row="case-${created.id}"]`);
    await fromBelow.waitFor({ timeout: 20_000 });
    expect(await fromBelow.getAttribute('data-escalation')).toBe('escalated');
    expect(await fromBelow.textContent()).toContain('（下级）');
  }, 120_000);

  it('when 预警督办 is drawn, then Chinese has its glyphs (no tofu) and nothing broke the CSP or left the machine', async () => {
    const page = await as('head1');
    await page.goto(`${h.base}/console/alerts`);
    await page.getByTestId('alert-table').waitFor();
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
      const chars = [...'预警督办统计分析审计核验压案不查'];
      return { tofu: chars.filter((ch) => draw(ch) === tofu), distinct: new Set(chars.map(draw)).size, total: new Set(chars).size };
    });
    expect(result.tofu).toEqual([]);
    expect(result.distinct).toBe(result.total);
    expect(h.problems).toEqual([]);
  }, 60_000);
});

