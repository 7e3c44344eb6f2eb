/**
 * 工作台 (我的待办) in the browser: every official lands on it. It opens on the first list that holds
 * something (待我审批 for the approver, 我承办的 for an inspector with nothing to approve), a refresh
 * never moves the official to another tab, and a row opens its case. 审批: the approver's queue.
 */
import type { Page } from 'playwright-core';
import { approverOf, driver, nextStep, type Driver } from '../helpers/drive';
import { ROLE_LABELS } from '../../machines/shared/dictionary';
import { startConsole, type ConsoleHarness } from './browser';

let h: ConsoleHarness;
let drive: Driver;
let caseId: string;
let approver: string;

beforeAll(async () => {
  h = await startConsole({ workers: false });
  drive = driver(h.sys);
  const registered = await drive.register({ title: '东岭镇工作台待办测试线索' });
  caseId = registered.id;
  await drive.caseCmd(caseId, 'manager1', { type: 'assign', inspectorIds: ['inspector1'] });
  const proposed = await drive.caseCmd(caseId, 'inspector1', { type: 'proposeDisposition', method: 'talkInquiry', reason: '反映具体' });
  approver = approverOf(nextStep(proposed)!);
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

const activeTab = (page: Page) => page.locator('.ant-tabs-tab-active [data-testid^="tab-"]').getAttribute('data-testid');
/** The shown tab's panel (playwright's role query skips the hidden ones). */
const openTab = (page: Page) => page.getByRole('tabpanel');
const itemInOpenTab = (page: Page) => openTab(page).locator(`[data-item="${caseId}"]`);
/** Waits until the inbox has arrived: the shown tab lists something or says it is empty. */
const loaded = (page: Page) => openTab(page).locator('[data-item], .ant-empty').first().waitFor();

describe('the console: 工作台', () => {
  it('when the approver signs in, then the workbench opens on 待我审批 with the proposal awaiting them', async () => {
    const { page } = await h.as(approver);
    await loaded(page);
    expect(await activeTab(page)).toBe('tab-approvals');
    expect(await itemInOpenTab(page).textContent()).toContain('东岭镇工作台待办测试线索');
    expect(h.problems).toEqual([]);
  }, 60_000);

  it('when the inspector, who approves nothing, signs in, then it opens on 我承办的 with their case, stays on the tab they pick through a refresh, and a row opens the case', async () => {
    const { page } = await h.as('inspector1');
    await loaded(page);
    expect(await activeTab(page)).toBe('tab-assigned');
    expect(await page.getByTestId('tab-approvals').textContent()).toMatch(/待我审批\s*0/);

    await page.getByTestId('tab-approvals').click();
    await page.getByRole('button', { name: /刷\s*新/ }).click();
    await openTab(page).locator('.ant-empty').waitFor();
    await page.getByRole('button', { name: /刷\s*新/ }).and(page.locator(':not(.ant-btn-loading)')).waitFor();
    expect(await activeTab(page)).toBe('tab-approvals');

    await page.getByTestId('tab-assigned').click();
    await itemInOpenTab(page).click();
    await page.waitForURL((url) => url.pathname === `/console/cases/${caseId}`);
    await page.getByTestId('case-title').waitFor();
    expect(h.problems).toEqual([]);
  }, 60_000);

  it('when a commission head opens 审批 on a 1366-wide screen, then the report awaiting them is listed with its kind and its two-step chain, their step current and every step named on one line', async () => {
    const report = await drive.caseIn('preliminaryVerification.reportReview');
    const chain = (report.pendingApproval as { chain: string[] }).chain;
    expect(chain.length).toBeGreaterThanOrEqual(2);
    const { page } = await h.as(approverOf(nextStep(report)!));
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${h.base}/console/approvals`);
    const row = page.locator('[data-testid="approval-queue"] tr', { hasText: String(report.number) });
    await row.waitFor();
    expect(await row.innerText()).toContain('初步核实报告');
    expect(await row.locator('.ant-steps-item-process .ant-steps-item-title').innerText()).toBe(ROLE_LABELS[chain[0] as keyof typeof ROLE_LABELS]);
    const titles = row.locator('.ant-steps-item-title');
    expect(await titles.count()).toBe(chain.length);
    const lines = await titles.evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight))));
    expect(lines).toEqual(chain.map(() => 1));
    expect(h.problems).toEqual([]);
  }, 90_000);
});
