/**
 * The browser tests' helpers that need vitest (its hooks, `expect`): harness.ts stays free of vitest,
 * for scripts/screenshots.ts imports it outside a test run.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { parseBytes } from '../../src/parse.js';
import { settle } from './a11y.js';
import { type App, choose, type NewCase, startApp } from './harness.js';

/**
 * The app of a describe block: started (`nianbao serve --demo` and Chromium) before its tests and
 * stopped after them. Call it inside the block; until the app has started its fields throw.
 */
export function suiteApp(): App {
  let started: App | undefined;
  beforeAll(async () => {
    started = await startApp();
  }, 120_000);
  afterAll(async () => {
    await started?.stop();
  });
  const current = (): App => {
    if (!started) throw new Error('the app has not started / 应用尚未启动');
    return started;
  };
  return {
    get url() {
      return current().url;
    },
    get browser() {
      return current().browser;
    },
    get dir() {
      return current().dir;
    },
    stop: () => current().stop(),
  };
}

/** types a date into an antd DatePicker, waits until the input holds it, and presses Enter */
export async function setDate(page: Page, picker: Locator, date: string): Promise<void> {
  const input = picker.locator('xpath=self::input | .//input').first();
  await input.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(date);
  await expect.poll(() => input.inputValue()).toBe(date);
  await page.keyboard.press('Enter');
}

/**
 * on 依申请登记 (opened from the menu), fills 新增申请 with `c` (delivered as 电子文档 by 电子邮件) and
 * sends it
 */
export async function submitNewCase(page: Page, c: NewCase): Promise<void> {
  await page.getByRole('menuitem', { name: '依申请登记' }).click();
  await page.getByTestId('case-table').waitFor();
  await page.getByTestId('new-case').click();
  await page.getByTestId('case-applicant-name').fill(c.name);
  await choose(page, page.getByTestId('case-applicant-type'), '自然人');
  await page.getByTestId('case-identity-number').fill(c.identityNumber);
  await page.getByTestId('case-phone').fill(c.phone);
  await page.getByTestId('case-description').fill(c.description);
  await page.getByTestId('case-delivery-form').fill('电子文档');
  await page.keyboard.press('Escape');
  await page.getByTestId('case-delivery-channel').fill('电子邮件');
  await page.keyboard.press('Escape');
  await choose(page, page.getByTestId('case-receipt-channel'), '当面提交');
  await setDate(page, page.getByTestId('case-arrived-on'), c.arrivedOn);
  await page.getByTestId('case-submit').click();
}

/**
 * on 检查年报 (already open), pastes the text of `seed` with the 总计 of 表二 one too many and checks
 * it; the line of that total and the wrong total
 */
export async function checkWrongTotal(page: Page, seed: string): Promise<{ line: number; total: string }> {
  const text = readFileSync(seed, 'utf8');
  const report = await parseBytes(new Uint8Array(readFileSync(seed)), seed);
  const o = report.provenance!['applications.outcomeTotal.total'];
  expect(o.prov.kind).toBe('text');
  const { line, column } = o.prov as { line: number; column: number };
  const total = String(Number(o.raw) + 1);
  const lines = text.split('\n');
  const l = lines[line - 1];
  lines[line - 1] = l.slice(0, column - 1) + total + l.slice(column - 1 + o.raw.length);
  await page.getByRole('tab', { name: '粘贴文本' }).click();
  await page.getByTestId('paste-textarea').fill(lines.join('\n'));
  await page.getByTestId('check-button').click();
  return { line, total };
}

/** the page at rest does not scroll sideways */
export async function noPageScroll(page: Page, what: string): Promise<void> {
  await settle(page);
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(widths.scroll, `${what}: ${JSON.stringify(widths)}`).toBeLessThanOrEqual(widths.client);
}
