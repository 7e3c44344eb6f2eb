/**
 * Browser tests of the console: the real system (HTTP app on PGlite, real Redis, optionally the
 * workers) listening on a random port and serving the built console, driven by Debian's Chromium
 * through playwright-core. Each user works in their own browser context, signed in through the
 * console's own user picker.
 */
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../scripts/build-console';
import { withOrgChart } from '../helpers/fixtures';
import { eventually, startTestSystem, type TestSystem } from '../helpers/system';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ConsoleHarness {
  sys: TestSystem;
  base: string;
  browser: Browser;
  /** A fresh context signed in as `userId`, on the console's home page. */
  as(userId: string): Promise<UserPage>;
  /** Browser problems seen so far: CSP violations, page errors, requests leaving the machine. */
  problems: string[];
  stop(): Promise<void>;
}

export interface UserPage {
  context: BrowserContext;
  page: Page;
}

/** Chromium with the CI flags; playwright gives every launch a fresh temporary user-data dir. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

export async function startConsole(options: Parameters<typeof startTestSystem>[0] = {}): Promise<ConsoleHarness> {
  ensureConsoleBuilt({ quiet: true });
  const sys = await startTestSystem(options);
  await withOrgChart(sys);
  const server: Server = await new Promise((resolve) => {
    const s = sys.app!.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (err) {
    server.close();
    await sys.stop();
    throw err;
  }
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    sys,
    base,
    browser,
    problems,
    async as(userId) {
      const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
      contexts.push(context);
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`));
      });
      context.on('request', (req) => {
        const url = req.url();
        if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.push(`external request: ${url}`);
      });
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);
      page.on('console', (msg) => {
        const text = msg.text();
        if (/Content Security Policy|CSP violation|Refused to/i.test(text)) problems.push(`${userId}: ${text}`);
      });
      page.on('pageerror', (err) => problems.push(`${userId}: page error ${err.message}`));
      await signIn(page, base, userId);
      return { context, page };
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await sys.stop();
    },
  };
}

/** Signs in through the login page's user picker (dev auth mode). */
export async function signIn(page: Page, base: string, userId: string): Promise<void> {
  await page.goto(`${base}/console/login`);
  await page.locator(`[data-user="${userId}"]`).click();
  await page.getByTestId('current-user').waitFor();
}

/** Opens a case's detail page. */
export async function openCase(page: Page, base: string, id: string): Promise<void> {
  await page.goto(`${base}/console/cases/${id}`);
  await shows(page, 'case-title');
}

/** Waits for the element with `testId`; on a timeout the error says what the page showed instead. */
export async function shows(page: Page, testId: string): Promise<void> {
  try {
    await page.getByTestId(testId).waitFor();
  } catch (err) {
    const text = await page.locator('body').innerText().catch(() => '');
    throw new Error(`${testId} not shown at ${page.url()}: ${(err as Error).message.split('\n')[0]}; the page shows: ${text.slice(0, 500)}`, { cause: err });
  }
}

/** Waits until the first canvas of the chart with `testId` is drawn: it holds more than a few colours. */
export async function chartDrawn(page: Page, testId: string): Promise<void> {
  const canvas = page.locator(`[data-testid="${testId}"] canvas`).first();
  await canvas.waitFor();
  await eventually(
    () =>
      canvas.evaluate((c: HTMLCanvasElement) => {
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        const colours = new Set<number>();
        for (let i = 0; i < data.length; i += 4 * 97) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return colours.size > 3;
      }),
    10_000,
    200,
  );
}

/** The scripts the page has loaded so far (their URLs): which chunks came with a screen. */
export async function loadedScripts(page: Page): Promise<string[]> {
  return page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
}

/** The command buttons the action panel shows, in order. */
export async function commandButtons(page: Page): Promise<string[]> {
  await page.getByTestId('action-panel').waitFor();
  return page.locator('[data-testid="action-panel"] [data-command]').evaluateAll((els) => els.map((e) => e.getAttribute('data-command') ?? ''));
}

/** Types into the field whose input has `id` (antd gives inputs the form path joined by `_`). */
export async function fill(page: Page, id: string, value: string): Promise<void> {
  await page.locator(`#${id}`).fill(value);
}

/**
 * Opens the select of field `id` (a plain or a tree select) and picks the option showing `text`.
 * Under load a click on a list still opening (or another one still closing) may not take: the choice
 * counts once the select shows it, and is made again otherwise, opening the list only when this select
 * is closed (a click on an open select would close it). Fails with its words after three tries.
 */
export async function choose(page: Page, id: string, text: string, within: Page | Locator = page): Promise<void> {
  const select = within.locator('.ant-select', { has: page.locator(`#${id}`) });
  const option = page
    .locator('.ant-select-dropdown:visible')
    .locator('.ant-select-item-option, .ant-select-tree-node-content-wrapper')
    .filter({ hasText: text })
    .first();
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (!(await select.evaluate((e) => e.classList.contains('ant-select-open')))) await select.click();
    await option.click();
    if (await select.getByText(text).first().waitFor({ timeout: 10_000 }).then(() => true, () => false)) {
      await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
      return;
    }
  }
  throw new Error(`the select #${id} does not show ${text} after three tries`);
}

/** Picks several options of a multiple select, then closes it. */
export async function chooseMany(page: Page, id: string, texts: string[], within: Page | Locator = page): Promise<void> {
  await within.locator('.ant-select', { has: page.locator(`#${id}`) }).click();
  for (const text of texts) {
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first();
    await option.click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option-selected').filter({ hasText: text }).first().waitFor();
  }
  await page.keyboard.press('Escape');
}

/** Sets a switch on. */
export async function switchOn(page: Page, id: string): Promise<void> {
  const sw = page.locator(`#${id}`);
  if ((await sw.getAttribute('aria-checked')) !== 'true') await sw.click();
}

/** The error messages shown under the form item holding the input `id`. */
export async function fieldErrors(page: Page, id: string): Promise<string[]> {
  const item = page.locator('.ant-form-item', { has: page.locator(`#${id}`) }).last();
  await item.locator('.ant-form-item-explain-error').first().waitFor({ timeout: 5000 }).catch(() => undefined);
  return item.locator('.ant-form-item-explain-error').allTextContents();
}

/**
 * Sends one command through the action panel: its button, its form (filled by `fillForm`), submit;
 * waits for the panel's notice and answers the state the page then shows.
 */
export async function runCommand(page: Page, type: string, fillForm: (page: Page) => Promise<void> = async () => undefined, stateTestId = 'case-state'): Promise<string> {
  await page.locator(`[data-testid="action-panel"] [data-command="${type}"]`).click();
  await page.getByTestId(`command-form-${type}`).waitFor();
  await fillForm(page);
  await page.getByTestId('command-submit').click();
  const notice = page.getByTestId('action-notice');
  await Promise.race([
    notice.waitFor(),
    page.getByTestId('command-error').waitFor().then(async () => {
      throw new Error(`${type} refused: ${await page.getByTestId('command-error').textContent()}`);
    }),
  ]);
  return (await page.getByTestId(stateTestId).getAttribute('data-state')) ?? '';
}
