/**
 * A `major` case from clue to closed entirely in the browser (issue 16): every step by the user
 * whose role it needs, each in their own browser context, through the console's forms only.
 * The command sequence and roles are those of tests/e2e/major-case.test.ts.
 */
import type { Page } from 'playwright-core';
import { choose, chooseMany, commandButtons, fill, openCase, runCommand, shows, startConsole, switchOn, type ConsoleHarness } from './browser';
import { approverOf, nextStep } from '../helpers/drive';

let h: ConsoleHarness;
const pages = new Map<string, Page>();

beforeAll(async () => {
  h = await startConsole({ workers: true });
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

async function as(userId: string): Promise<Page> {
  if (!pages.has(userId)) pages.set(userId, (await h.as(userId)).page);
  return pages.get(userId)!;
}

async function onCase(userId: string, id: string): Promise<Page> {
  const page = await as(userId);
  await openCase(page, h.base, id);
  return page;
}

async function onReview(userId: string, id: string): Promise<Page> {
  const page = await as(userId);
  await page.goto(`${h.base}/console/reviews/${id}`);
  await shows(page, 'review-title');
  return page;
}

/**
 * Approves a review's pending proposal down the whole chain its view reports, each step in the
 * browser of the demo user holding that step's role (问责条例 Arts 9, 12: a township committee's
 * review needs the county party secretary after the head); answers the state the page then shows.
 */
async function approveReview(id: string): Promise<string[]> {
  const approvers: string[] = [];
  let state = '';
  for (;;) {
    const view = (await (await h.sys.as('head1')).get(`/api/v1/reviews/${id}`)).body;
    const step = nextStep(view);
    if (step === undefined) return [state, ...approvers];
    approvers.push(approverOf(step));
    state = await runCommand(await onReview(approverOf(step), id), 'approve', undefined, 'review-state');
  }
}

describe('the console: a major case (一案双查) in the browser', () => {
  it('when every official does their step in their own browser, then the case goes from clue to closed with both reviews concluded', async () => {
    // 1. 线索登记 by the registrar, through the step form.
    const registrar = await as('registrar1');
    await registrar.locator('[data-testid="main-menu"]').getByText('线索登记').click();
    await fill(registrar, 'title', '东岭镇某干部违规收受礼金问题');
    await switchOn(registrar, 'major');
    await registrar.getByRole('button', { name: '下一步' }).click();
    await fill(registrar, 'subjects_0_name', '李某某');
    await fill(registrar, 'subjects_0_personId', 'p-li');
    await fill(registrar, 'subjects_0_position', '东岭镇党委副书记');
    await choose(registrar, 'subjects_0_rank', '乡科级副职');
    // His unit is 东岭镇, as in tests/e2e/major-case.test.ts: its committee's review then needs the county party secretary.
    await registrar.locator('.ant-select', { has: registrar.locator('#subjects_0_orgId') }).click();
    await registrar.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper').filter({ hasText: '东岭镇' }).first().click();
    await registrar.getByRole('button', { name: '下一步' }).click();
    await fill(registrar, 'allegations_0_summary', '逢年过节收受管理服务对象礼金');
    await registrar.getByRole('button', { name: '下一步' }).click();
    await fill(registrar, 'reporter_name', '张举报');
    await fill(registrar, 'reporter_contact', '13800000000');
    await registrar.getByTestId('register-submit').click();
    await registrar.waitForURL(/\/console\/cases\/[^/]+$/);
    const id = decodeURIComponent(registrar.url().split('/').pop()!);
    expect(await registrar.getByTestId('case-state').getAttribute('data-state')).toBe('registered');
    await expect(registrar.getByTestId('case-state').textContent()).resolves.toContain('线索登记');

    // 2. Assignment, disposition proposal, the commission head's approval.
    let page = await onCase('manager1', id);
    expect(await runCommand(page, 'assign', (p) => chooseMany(p, 'inspectorIds', ['王建国', '陈静']))).toBe('registered');
    page = await onCase('inspector1', id);
    let state = await runCommand(page, 'proposeDisposition', async (p) => {
      await choose(p, 'method', '初步核实');
      await fill(p, 'reason', '反映问题具体，可查性强');
    });
    expect(state).toBe('dispositionReview');
    page = await onCase('head1', id);
    expect(await runCommand(page, 'approve', (p) => fill(p, 'comment', '同意初核'))).toBe('preliminaryVerification.inProgress');

    // 3. Verification report recommending filing: the head, then the party secretary.
    page = await onCase('inspector1', id);
    state = await runCommand(page, 'submitVerificationReport', async (p) => {
      await choose(p, 'recommendation', '拟立案审查调查');
      await fill(p, 'findings', '初步核实，收受礼金问题属实');
    });
    expect(state).toBe('preliminaryVerification.reportReview');
    page = await onCase('head1', id);
    expect(await runCommand(page, 'approve', (p) => fill(p, 'comment', '拟同意立案'))).toBe('preliminaryVerification.reportReview');
    const secretary = await onCase('secretary1', id);
    expect(await runCommand(secretary, 'approve', (p) => fill(p, 'comment', '同意立案'))).toBe('investigation.inProgress');

    // 4. Both reviews appear by themselves on the open page (the workers open them).
    await secretary.locator('[data-testid="dual-state"][data-state="open"]').waitFor({ timeout: 30_000 });
    await secretary.getByRole('tab', { name: '一案双查' }).click();
    const primaryHref = await secretary.getByTestId('open-review-primary').getAttribute('href');
    const supervisionHref = await secretary.getByTestId('open-review-supervision').getAttribute('href');
    const primary = primaryHref!.split('/').pop()!;
    const supervision = supervisionHref!.split('/').pop()!;

    // 5. Investigation report, trial panel, decision with the standing committee's meeting.
    page = await onCase('inspector1', id);
    state = await runCommand(page, 'submitInvestigationReport', async (p) => {
      await fill(p, 'findings', '查明收受礼金3万元');
      await p.getByRole('button', { name: /添加拟处理措施/ }).click();
      await choose(p, 'proposedMeasures_0_personId', '李某某');
      await choose(p, 'proposedMeasures_0_measure', '党内严重警告');
    });
    expect(state).toBe('trial.unassigned');
    page = await onCase('supervisor1', id);
    expect(await runCommand(page, 'assignTrialReviewers', (p) => chooseMany(p, 'userIds', ['刘洋', '孙丽']))).toBe('trial.reviewing');
    page = await onCase('reviewer1', id);
    state = await runCommand(page, 'proposeDecision', async (p) => {
      await p.getByRole('button', { name: /添加处理措施/ }).click();
      await choose(p, 'measures_0_personId', '李某某');
      await choose(p, 'measures_0_measure', '党内严重警告');
      await fill(p, 'reason', '事实清楚，证据确凿');
    });
    expect(state).toBe('trial.decisionReview');
    page = await onCase('head1', id);
    expect(await runCommand(page, 'approve', (p) => fill(p, 'comment', '同意'))).toBe('trial.decisionReview');
    page = await onCase('committee1', id);
    state = await runCommand(page, 'approve', async (p) => {
      await fill(p, 'comment', '常委会审议通过');
      await fill(p, 'meeting_ref', '常委会〔2026〕12号');
      await chooseMany(p, 'meeting_attendees', ['黄敏', '吴正']);
    });
    expect(state).toBe('decided');
    await page.getByRole('tab', { name: '处置结果' }).click();
    await expect(page.getByTestId('dispositions').textContent()).resolves.toContain('第二种形态');

    // 6. Execution and closing: the case waits for both reviews.
    page = await onCase('inspector1', id);
    expect(await runCommand(page, 'recordExecution', (p) => fill(p, 'note', '已宣布并执行'))).toBe('executed');
    const manager = await onCase('manager1', id);
    expect(await runCommand(manager, 'close', (p) => fill(p, 'note', '结案'))).toBe('concluded');
    await manager.getByRole('tab', { name: '一案双查' }).click();
    await manager.getByTestId('dual-waiting').waitFor();

    // 7. The primary-responsibility review: start, findings with a party and a measure, execution.
    page = await onReview('inspector1', primary);
    expect(await runCommand(page, 'proposeStart', (p) => fill(p, 'reason', '一案双查：倒查党委主体责任'), 'review-state')).toBe('startApproval');
    expect(await approveReview(primary)).toEqual(['investigating', 'head1', 'secretary1']);
    page = await onReview('inspector2', primary);
    state = await runCommand(
      page,
      'submitFindings',
      async (p) => {
        await switchOn(p, 'responsibilityFound');
        await p.getByRole('button', { name: /添加责任人/ }).click();
        await fill(p, 'parties_0_name', '赵书记');
        await fill(p, 'parties_0_personId', 'p-zhao');
        await fill(p, 'parties_0_position', '东岭镇党委书记');
        await choose(p, 'parties_0_responsibility', '主要领导责任');
        await p.getByRole('button', { name: /添加拟处理措施/ }).click();
        await fill(p, 'proposedMeasures_0_target', 'p-zhao');
        await p.keyboard.press('Escape');
        await choose(p, 'proposedMeasures_0_measure', '诫勉');
      },
      'review-state',
    );
    expect(state).toBe('findingApproval');
    expect(await approveReview(primary)).toEqual(['decided', 'head1', 'secretary1']);
    page = await onReview('inspector1', primary);
    expect(await runCommand(page, 'recordExecution', (p) => fill(p, 'note', '已诫勉谈话'), 'review-state')).toBe('concluded');

    // 8. The supervision-responsibility review: no responsibility found.
    page = await onReview('inspector1', supervision);
    expect(await runCommand(page, 'proposeStart', (p) => fill(p, 'reason', '一案双查：倒查纪委监督责任'), 'review-state')).toBe('startApproval');
    page = await onReview('head1', supervision);
    expect(await runCommand(page, 'approve', undefined, 'review-state')).toBe('investigating');
    page = await onReview('inspector2', supervision);
    expect(await runCommand(page, 'submitFindings', undefined, 'review-state')).toBe('findingApproval');
    page = await onReview('head1', supervision);
    expect(await runCommand(page, 'approve', undefined, 'review-state')).toBe('concluded');

    // 9. The case closes by itself; the manager's open page shows it without a reload.
    await manager.locator('[data-testid="case-state"][data-state="closed"]').waitFor({ timeout: 30_000 });
    await expect(manager.getByTestId('case-state').textContent()).resolves.toContain('已结案');
    const managerCommands = (await (await h.sys.as('manager1')).get(`/api/v1/cases/${id}`)).body.availableCommands;
    expect(await commandButtons(manager)).toEqual(managerCommands);
    expect(managerCommands).toEqual(expect.not.arrayContaining(['assign', 'close']));

    // The API agrees, and the browser saw no CSP violation, no page error, no request leaving the machine.
    const closed = (await (await h.sys.as('auditor1')).get(`/api/v1/cases/${id}`)).body;
    expect(closed).toMatchObject({ state: 'closed', dualInvestigation: { state: 'concluded' } });
    expect(closed.dispositions).toEqual(expect.arrayContaining([expect.objectContaining({ personId: 'p-li', form: 2 }), expect.objectContaining({ personId: 'p-zhao', form: 1 })]));
    expect(h.problems).toEqual([]);
  }, 900_000);
});
