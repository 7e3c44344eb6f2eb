/**
 * 审计核验 and 系统管理 in the browser (issue 16): the auditor's verification answers 通过; the
 * administrator saves a year's 放假/调休 days (a wrong date refused on its field); only the
 * administrator sees 系统管理; nothing breaks the CSP.
 */
import type { Page } from 'playwright-core';
import { clue } from '../helpers/fixtures';
import { choose, chooseMany, shows, startConsole, type ConsoleHarness } from './browser';

let h: ConsoleHarness;
const pages = new Map<string, Page>();

afterAll(async () => {
  await h?.stop();
});

async function as(userId: string): Promise<Page> {
  if (!pages.has(userId)) pages.set(userId, (await h.as(userId)).page);
  return pages.get(userId)!;
}

beforeAll(async () => {
  h = await startConsole();
}, 180_000);

async function menuText(page: Page): Promise<string> {
  await page.getByTestId('main-menu').waitFor();
  return (await page.getByTestId('main-menu').textContent()) ?? '';
}

describe('the console: 审计核验 and 系统管理', () => {
  it('when the auditor runs 审计核验, then the chains verify and the screen says 通过; after a forged entry it names the chain and the entry', async () => {
    const created = (await (await h.sys.as('registrar1')).post('/api/v1/cases', clue())).body;
    const page = await as('auditor1');
    expect(await menuText(page)).toContain('审计核验');
    await page.locator('[data-testid="main-menu"]').getByText('审计核验').click();
    await page.getByTestId('run-verify').click();
    await shows(page, 'verify-result');
    const api = (await (await h.sys.as('auditor1')).get('/api/v1/audit/verify')).body;
    expect(api.ok).toBe(true);
    const result = page.getByTestId('verify-result');
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.textContent()).toContain('通过');
    expect(await result.textContent()).toContain(`已核验 ${api.streams} 条哈希链、${api.events} 条操作记录`);

    // An intruder with database access rewrites who registered the case.
    const first = (await h.sys.harness.store.audit.list(created.id))[0];
    await h.sys.harness.raw.setAuditField(created.id, 1, 'actor', 'intruder');
    try {
      await page.getByTestId('run-verify').click();
      await page.locator('[data-testid="verify-result"][data-ok="false"]').waitFor();
      expect(await page.getByTestId('broken-stream').textContent()).toBe(created.id);
      expect(await result.textContent()).toContain('未通过');
      expect(await result.textContent()).toContain('第 1 条记录');
    } finally {
      await h.sys.harness.raw.setAuditField(created.id, 1, 'actor', first.actor);
    }
  }, 60_000);

  it('when the administrator enters a year’s 放假/调休 days, then the calendar is saved; a wrong date is refused on its field', async () => {
    const page = await as('countyadmin');
    await page.locator('[data-testid="main-menu"]').getByText('系统管理').click();
    await shows(page, 'admin-page');
    await page.getByRole('tab', { name: '工作日历' }).click();
    const year = page.locator('.ant-input-number input').first();
    await year.fill('2031');
    await page.getByTestId('calendar-save').filter({ hasText: '2031' }).waitFor();
    await page.getByTestId('calendar-known').waitFor();
    const holidays = page.getByTestId('calendar-holidays');
    const workdays = page.getByTestId('calendar-workdays');

    await holidays.fill('2031-10-01\n2030-10-02');
    await page.getByTestId('calendar-save').click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '2030-10-02' }).waitFor();
    expect((await (await h.sys.as('countyadmin')).get('/api/v1/calendar/2031')).body.origin).not.toBe('override');

    await holidays.fill('2031-10-01\n2031-10-02\n2031-10-03');
    await workdays.fill('2031-09-28, 2031-10-11');
    await page.getByTestId('calendar-save').click();
    await page.getByText('2031 年工作日历已保存').waitFor();
    const saved = (await (await h.sys.as('countyadmin')).get('/api/v1/calendar/2031')).body;
    expect(saved).toMatchObject({ origin: 'override', known: true, holidays: ['2031-10-01', '2031-10-02', '2031-10-03'], workdays: ['2031-09-28', '2031-10-11'] });
    expect(await page.getByTestId('calendar-known').getAttribute('data-known')).toBe('true');
  }, 60_000);

  it('when the administrator adds a user with roles, then the user is stored in the chosen org and listed with the Chinese role names', async () => {
    const page = await as('countyadmin');
    await page.goto(`${h.base}/console/admin`);
    await page.getByRole('tab', { name: '用户与角色' }).click();
    await page.getByTestId('user-table').getByText('林晓梅').waitFor();
    await page.getByTestId('new-user').click();
    const dialog = page.locator('.ant-modal:visible');
    await dialog.locator('#name').fill('田新');
    await dialog.locator('#id').fill('tianxin');
    await choose(page, 'orgId', '云溪县西坪乡', dialog);
    await chooseMany(page, 'roles', ['承办人员'], dialog);
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    // The new row, or the form's own complaint (which then fails here with its words, not a time-out).
    await page.getByTestId('user-table').getByText('田新').or(dialog.locator('.ant-form-item-explain-error')).first().waitFor();
    expect(await dialog.locator('.ant-form-item-explain-error').allTextContents()).toEqual([]);
    const stored = (await (await h.sys.as('countyadmin')).get('/api/v1/users')).body.items.find((u: any) => u.id === 'tianxin');
    expect(stored).toMatchObject({ name: '田新', orgId: 'town-b', roles: ['inspector'] });
    expect(await page.getByTestId('user-table').locator('tr', { hasText: '田新' }).textContent()).toContain('承办人员');
  }, 120_000);

  it('when the administrator presses 任务队列, then the queue board opens in a new tab through a one-time link, without the token', async () => {
    const page = await as('countyadmin');
    await page.goto(`${h.base}/console/admin`);
    await page.getByRole('tab', { name: '运维工具' }).click();
    expect(await page.getByTestId('api-docs').getAttribute('href')).toBe('/docs');
    const token = await page.evaluate(() => sessionStorage.getItem('ajsc.token'));
    const [board] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('queue-board').click()]);
    // A valid one-time code is exchanged for a session cookie and dropped from the address by a redirect.
    await board.waitForURL((url) => url.pathname.startsWith('/admin/queues') && !url.search.includes('code='), { timeout: 30_000 });
    expect(board.url()).not.toContain(token!);
    await board.close();
  }, 60_000);

  it('when users of other roles sign in, then only the administrator sees 系统管理 and each sees the screens of their role', async () => {
    expect(await menuText(await as('countyadmin'))).toContain('系统管理');
    const inspector = await as('inspector1');
    const menu = await menuText(inspector);
    expect(menu).not.toContain('系统管理');
    expect(menu).not.toContain('审计核验');
    expect(menu).not.toContain('预警督办');
    expect(menu).toContain('一案双查');
    const head = await menuText(await as('head1'));
    expect(head).toContain('预警督办');
    expect(head).toContain('统计分析');
    expect(head).not.toContain('系统管理');
    // Typed in directly, the screen still answers with the API's refusal, not data.
    await inspector.goto(`${h.base}/console/admin`);
    await inspector.getByRole('tab', { name: '工作日历' }).click();
    await inspector.getByTestId('calendar-save').click();
    await inspector.getByTestId('problem').filter({ hasText: '越权' }).waitFor();
  }, 60_000);

  it('when these screens were used, then nothing broke the CSP or left the machine', () => {
    expect(h.problems).toEqual([]);
  });
});
