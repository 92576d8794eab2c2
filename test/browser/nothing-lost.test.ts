/**
 * Nothing lost, nothing hidden, in a real browser: a batch of checked files is kept (in the tab's
 * sessionStorage, its id in the URL) when the person goes elsewhere and comes back, and when the page
 * is reloaded, until 清除 dismisses it; two files of the same name are both listed; 查看 brings the
 * report into view and gives it the focus. A blank template is said not to be a report. The source of
 * a PDF cell is marked on its own line and scrolled to. 年报编制 keeps its year in the URL, asks before
 * unsaved text is lost (reload, closing, the menu), keeps its table tabs in view below the toolbar,
 * lists every problem, and shows a reviewer read-only fields with a notice. The pages pass axe-core.
 * Runs the built app through `nianbao serve --demo` in headless Chromium, like app.test.ts.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, SEEDS } from '../helpers/paths.js';
import { axeCheck } from './a11y.js';
import { type App, HAVE_CHROMIUM, loginAs, startApp } from './harness.js';

const DEMO = resolve(import.meta.dirname, '../../examples/demo');

/** the element is (at least partly) inside the window */
async function inViewport(page: Page, el: Locator): Promise<boolean> {
  const box = await el.boundingBox();
  const vp = page.viewportSize();
  if (!box || !vp) return false;
  return box.y < vp.height && box.y + Math.min(box.height, 40) > 0;
}

/** the element at the centre of `el` is `el` or inside it (nothing covers it) */
async function uncovered(el: Locator): Promise<boolean> {
  return el.evaluate((e) => {
    const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && (hit === e || e.contains(hit));
  });
}

/** clicks a menu item of the frame */
async function menu(page: Page, name: string): Promise<void> {
  await page.getByRole('menuitem', { name }).click();
}

describe.skipIf(!HAVE_CHROMIUM)('nothing lost, nothing hidden (Chromium)', () => {
  let app: App;
  let dir: string;
  beforeAll(async () => {
    app = await startApp();
    dir = mkdtempSync(join(tmpdir(), 'nianbao-nothing-lost-'));
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a batch until it is dismissed; two files of the same name are both listed; 查看 shows the report', {
    timeout: 180_000,
  }, async () => {
    // two different reports, both called 年报.txt, and a third file
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    copyFileSync(join(SEEDS, '000_1dfa6bf3088a5125.txt'), join(dir, 'a', '年报.txt'));
    copyFileSync(join(SEEDS, '004_65c3f6a324d2e98b.txt'), join(dir, 'b', '年报.txt'));
    const page = await loginAs(app, 'reviewer');
    await page.goto(`${app.url}/check`);
    await page
      .getByTestId('upload-input')
      .setInputFiles([join(dir, 'a', '年报.txt'), join(dir, 'b', '年报.txt'), join(SEEDS, '001_bafcd2ea084bb138.txt')]);
    await expect.poll(() => page.locator('.ant-upload-list-item').count()).toBe(3);
    await expect(page.getByTestId('check-button').textContent()).resolves.toContain('3 个文件');
    await page.getByTestId('check-button').click();
    const summary = page.getByTestId('batch-summary');
    await expect.poll(async () => (await summary.textContent()) ?? '', { timeout: 60_000 }).toContain('共 3 个文件，已完成 3 个');
    const table = page.getByTestId('batch-results');
    const listed = (await table.textContent()) ?? '';
    expect(listed).toContain('年报.txt');
    expect(listed).toContain('年报.txt（2）');
    // 000 has label errors, 004 too: both rows of 年报.txt carry their own result
    expect(await summary.textContent()).toContain('2 个有错误');
    expect(page.url()).toMatch(/[?&]batch=/);
    const batchUrl = page.url();
    await axeCheck(page, 'batch results');

    // elsewhere and back through the menu: the batch is still there
    await menu(page, '依申请登记');
    await page.getByTestId('case-table').waitFor();
    await menu(page, '检查年报');
    await summary.waitFor({ timeout: 15_000 });
    expect(await summary.textContent()).toContain('共 3 个文件，已完成 3 个：2 个有错误');
    expect(page.url()).toBe(batchUrl);
    // a reload keeps it too
    await page.reload();
    await summary.waitFor({ timeout: 15_000 });
    expect(await summary.textContent()).toContain('共 3 个文件，已完成 3 个');
    expect((await table.textContent()) ?? '').toContain('年报.txt（2）');

    // 查看 on the first row: its report is scrolled into view and has the focus
    await page.evaluate(() => window.scrollTo(0, 0));
    await table
      .getByRole('button', { name: /查\s*看/ })
      .first()
      .click();
    const report = page.getByTestId('batch-report');
    await report.waitFor();
    await expect.poll(() => inViewport(page, report), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => report.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    expect(await report.getByTestId('report-summary').textContent()).toContain('2 个错误');

    // 清除: the batch is gone, also after going elsewhere and back
    await page.getByTestId('batch-clear').click();
    await expect.poll(() => page.getByTestId('batch-results').count()).toBe(0);
    expect(page.url()).not.toMatch(/batch=/);
    await menu(page, '依申请登记');
    await page.getByTestId('case-table').waitFor();
    await menu(page, '检查年报');
    await page.getByTestId('check-button').waitFor();
    await page.waitForTimeout(500);
    expect(await page.getByTestId('batch-results').count()).toBe(0);
    await page.context().close();
  });

  it('says a blank template is not a report, alone and in a batch', { timeout: 120_000 }, async () => {
    const template = join(CORPUS, 'docx', 'template-2021.docx');
    const page = await loginAs(app, 'clerk');
    await page.goto(`${app.url}/check`);
    await page.getByTestId('upload-input').setInputFiles(template);
    await page.getByTestId('check-button').click();
    const warning = page.getByTestId('not-a-report');
    await warning.waitFor({ timeout: 30_000 });
    expect(await warning.textContent()).toContain('不是年报：没有机关名称和年度');
    const summary = page.getByTestId('report-summary');
    expect(await summary.locator('.ant-tag-success').count()).toBe(0);
    await axeCheck(page, 'a blank template');

    // in a batch: its row says so, never a green “0 个错误”
    await page.goto(`${app.url}/check`);
    await page.getByTestId('upload-input').setInputFiles([template, join(SEEDS, '001_bafcd2ea084bb138.txt')]);
    await page.getByTestId('check-button').click();
    await expect
      .poll(async () => (await page.getByTestId('batch-summary').textContent()) ?? '', { timeout: 60_000 })
      .toContain('已完成 2 个');
    const row = page.locator('[data-testid^="batch-row-"]').filter({ hasText: 'template-2021.docx' });
    expect(await row.textContent()).toContain('不是年报');
    expect(await row.locator('.ant-tag-success').count()).toBe(0);
    expect(await page.getByTestId('batch-summary').textContent()).toContain('1 个不是年报');
    await page.getByTestId('batch-clear').click();
    await page.context().close();
  });

  it('marks the cell of a PDF on its own line of the source and scrolls to it', { timeout: 120_000 }, async () => {
    const page = await loginAs(app, 'clerk');
    await page.goto(`${app.url}/check`);
    await page.getByTestId('upload-input').setInputFiles(join(DEMO, 'huaian-hongze-2023.pdf'));
    await page.getByTestId('check-button').click();
    const scroller = page.getByTestId('source-lines');
    await scroller.waitFor({ timeout: 60_000 });
    // the source can be reached and scrolled with the keyboard
    expect(await scroller.getAttribute('tabindex')).toBe('0');
    expect(await scroller.getAttribute('aria-label')).toBeTruthy();
    for (const [path, raw, page_] of [
      ['applications.outcomeTotal.naturalPerson', '21', 4],
      ['proactive.punishment.decisions', '4119', 3],
      ['proactive.licensing.decisions', '550', 2],
    ] as const) {
      await page.getByTestId(`cell-${path}`).click();
      const mark = scroller.locator('.nb-src-mark');
      await expect.poll(() => mark.count()).toBe(1);
      expect(await mark.textContent()).toBe(raw);
      expect(await page.getByTestId('source-origin').textContent()).toContain(`第 ${page_} 页`);
      // the marked line is on its page: the last page header above it
      const line = Number(await mark.locator('xpath=ancestor::*[@data-line][1]').getAttribute('data-line'));
      const header = await scroller.evaluate((el, line) => {
        const rows = [...el.querySelectorAll<HTMLElement>('[data-line]')].slice(0, line);
        return rows
          .reverse()
          .find((r) => /^第\d+页$/.test(r.querySelector('.nb-src-text')?.textContent ?? ''))
          ?.querySelector('.nb-src-text')?.textContent;
      }, line);
      expect(header).toBe(`第${page_}页`);
      // scrolled into the panel's view
      await expect
        .poll(
          () =>
            mark.evaluate((m) => {
              const box = m.getBoundingClientRect();
              const view = (m.closest('[data-testid="source-lines"]') as HTMLElement).getBoundingClientRect();
              return box.top >= view.top && box.bottom <= view.bottom && box.left >= view.left && box.right <= view.right;
            }),
          { timeout: 10_000 },
        )
        .toBe(true);
    }
    await axeCheck(page, 'a PDF with its source');
    await page.context().close();
  });

  it('年报编制 keeps the year, asks before unsaved text is lost, keeps its tabs in view and lists every problem', {
    timeout: 180_000,
  }, async () => {
    const page = await loginAs(app, 'clerk');
    await menu(page, '年报编制');
    await page.getByTestId('compile-form').waitFor();
    await page.getByTestId('grid-applications').waitFor();
    await axeCheck(page, '年报编制');

    // the year chosen is in the URL and survives a reload
    const year = new Date().getFullYear() - 2;
    await page.getByTestId('compile-year').click();
    await page.locator(`.ant-select-item-option[title="${year} 年度"]:visible`).click();
    await expect.poll(() => page.url()).toContain(`year=${year}`);
    await page.reload();
    await page.getByTestId('compile-form').waitFor();
    expect(await page.getByTestId('compile-year').textContent()).toContain(`${year} 年度`);

    // unsaved text: a reload or closing asks first
    const unload = () =>
      page.evaluate(() => {
        const e = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(e);
        return e.defaultPrevented;
      });
    expect(await unload()).toBe(false);
    const overview = page.getByTestId('compile-overview');
    await overview.click();
    await overview.press('End');
    await page.keyboard.type('（待补充）');
    await expect.poll(async () => (await page.getByTestId('compile-status').textContent()) ?? '').toContain('有未保存的修改');
    expect(await unload()).toBe(true);

    // the menu asks too: 取消 stays with the text, 离开 goes
    await menu(page, '检查年报');
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('未保存');
    await page.getByTestId('leave-cancel').click();
    await expect.poll(() => confirm.count()).toBe(0);
    expect(page.url()).toContain('/compile');
    expect(await overview.inputValue()).toContain('（待补充）');

    // so does the browser's Back button (to the page before 年报编制)
    await page.goBack();
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('未保存');
    await page.getByTestId('leave-cancel').click();
    await expect.poll(() => confirm.count()).toBe(0);
    expect(page.url()).toContain(`year=${year}`);
    expect(await overview.inputValue()).toContain('（待补充）');

    // the tabs of the preview stay in view below the toolbar while 表二 is scrolled through
    const grid = page.getByTestId('grid-applications');
    await grid.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await page.evaluate(() => window.scrollBy(0, -200));
    const tab3 = page.getByRole('tab', { name: /表三/ });
    await expect.poll(() => inViewport(page, tab3)).toBe(true);
    await expect.poll(() => uncovered(tab3)).toBe(true);
    await tab3.click();
    await expect.poll(() => page.getByTestId('grid-reviewLitigation').isVisible()).toBe(true);

    // every problem listed, with their number: blank the 表一 fields and the three sections
    await page.evaluate(() => window.scrollTo(0, 0));
    for (const input of await page.locator('[data-testid^="field-proactive."] input, input[data-testid^="field-proactive."]').all()) {
      await input.fill('');
    }
    for (const id of ['compile-overview', 'compile-problems', 'compile-other']) await page.getByTestId(id).fill('');
    const problems = page.getByTestId('compile-problems-count');
    await expect
      .poll(async () => Number(((await problems.textContent()) ?? '').replace(/\D/g, '')), { timeout: 20_000 })
      .toBeGreaterThan(6);
    const n = Number(((await problems.textContent()) ?? '').replace(/\D/g, ''));
    await expect.poll(() => page.locator('[data-testid="diagnostics-table"] [data-testid^="diagnostic-"]').count()).toBe(Math.min(n, 20));

    // leaving through the menu, confirmed
    await menu(page, '检查年报');
    await confirm.waitFor();
    await page.getByTestId('leave-confirm').click();
    await page.waitForURL(/\/check/);

    // back with unsaved text: closing the page asks (the browser's own dialog)
    await menu(page, '年报编制');
    await page.getByTestId('compile-form').waitFor();
    await page.getByTestId('compile-other').click();
    await page.keyboard.type('补充说明');
    await expect.poll(async () => (await page.getByTestId('compile-status').textContent()) ?? '').toContain('有未保存的修改');
    const dialog = new Promise<string>((res) =>
      page.once('dialog', (d) => {
        res(d.type());
        void d.accept();
      }),
    );
    await page.close({ runBeforeUnload: true });
    expect(await dialog).toBe('beforeunload');
    await page.context().close();
  });

  it('a reviewer sees 年报编制 read-only, with a notice', { timeout: 120_000 }, async () => {
    const page = await loginAs(app, 'reviewer');
    await page.goto(`${app.url}/compile`);
    await page.getByTestId('compile-form').waitFor();
    const notice = page.getByTestId('compile-readonly');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('只能查看');
    expect(await page.getByTestId('compile-overview').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByTestId('compile-agency-name').getAttribute('readonly')).not.toBeNull();
    const field = page
      .locator('[data-testid="field-proactive.regulations.issued"] input, input[data-testid="field-proactive.regulations.issued"]')
      .first();
    expect(await field.getAttribute('readonly')).not.toBeNull();
    expect(await page.getByTestId('compile-save').count()).toBe(0);
    await axeCheck(page, '年报编制 (read-only)');
    await page.context().close();
  });

  it('the register list: labelled filters, case numbers not in red', { timeout: 60_000 }, async () => {
    const page = await loginAs(app, 'clerk');
    await menu(page, '依申请登记');
    await page.getByTestId('case-table').waitFor();
    await page.locator('[data-testid^="case-link-"]').first().waitFor();
    const search = page.locator('[data-testid="case-search"] input, input[data-testid="case-search"]').first();
    expect(await search.getAttribute('aria-label')).toBeTruthy();
    const color = await page
      .locator('[data-testid^="case-link-"]')
      .first()
      .evaluate((a) => getComputedStyle(a).color);
    const [r, g, b] = (color.match(/\d+/g) ?? []).map(Number);
    // not a red: the blue channel is not far below the red one
    expect(b, color).toBeGreaterThan(r);
    expect(g + b).toBeGreaterThan(0);
    await axeCheck(page, '依申请登记');
    await page.context().close();
  });
});
