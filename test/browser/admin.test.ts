/**
 * Administration and the report library in a real browser (the built app, `nianbao serve --demo`):
 * 用户管理 edits a user, disables and enables them, sets a new password; 报告库 shows each report's
 * own 发布机关 beside the agency it was filed for, names a file already stored and saves it again only
 * on 仍然保存, and draws the year-over-year figures per agency over every year (a year without a
 * report a gap); 机构管理 adds, renames and moves agencies. All in Chinese, no critical or serious axe
 * violation, no page-wide horizontal scrolling at 360 px.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeCheck } from './a11y.js';
import { type App, clickOrExplain, HAVE_CHROMIUM, loginAs } from './harness.js';
import { noPageScroll, suiteApp } from './helpers-vitest.js';
import { steps } from './steps.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SEED = join(ROOT, 'examples', 'demo', '000_1dfa6bf3088a5125.txt');
/** the route of 机构管理 is added to App.tsx by its owner: until then its test is skipped */
const AGENCIES_ROUTED = /AgenciesPage/.test(readFileSync(join(ROOT, 'web/src/App.tsx'), 'utf8'));

const ROLE_WORDS = ['管理员', '经办人', '审核人', '只读'];

/**
 * chooses the option whose text contains `text` in the antd Select `select`: in that select's own
 * dropdown (found by the listbox its input controls), not in another one still fading out, and only
 * done when that dropdown has closed (an open one covers the modal's buttons)
 */
async function choose(page: Page, select: Locator, text: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await select.click({ timeout: 5_000 });
      const list = await select.locator('[role=combobox]').first().getAttribute('aria-controls', { timeout: 5_000 });
      if (!list) throw new Error(`the select opened no listbox / 下拉框没有打开`);
      const dropdown = page.locator('.ant-select-dropdown').filter({ has: page.locator(`[id="${list}"]`) });
      await dropdown.locator('.ant-select-item-option').filter({ hasText: text }).first().click({ timeout: 5_000 });
      await dropdown.waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

/** waits until nothing spins (a spinning icon is an endless animation, which axe's settling would wait for) */
async function idle(page: Page): Promise<void> {
  await expect
    .poll(async () => page.locator('.ant-spin-spinning:visible, .ant-btn-loading:visible, .ant-skeleton-active:visible').count(), {
      timeout: 30_000,
    })
    .toBe(0);
}

/** axe on a page at rest */
async function axe(page: Page, what: string): Promise<void> {
  await idle(page);
  await axeCheck(page, what);
}

/** no identifier of a state or level shown in place of its Chinese word (user names are identifiers: roles are checked by their tags) */
async function noIdentifiers(scope: Locator, what: string): Promise<void> {
  const text = await scope.innerText();
  for (const word of [
    'role',
    'disabled',
    'enabled',
    'true',
    'false',
    'undefined',
    'NaN',
    '[object',
    'province',
    'county',
    'department',
    'township',
  ]) {
    expect(text.includes(word), `${what} shows “${word}”`).toBe(false);
  }
}

async function statusOfLogin(app: App, username: string, password: string): Promise<number> {
  const context = await app.browser.newContext();
  try {
    const r = await context.request.post(`${app.url}/api/login`, { data: { username, password } });
    return r.status();
  } finally {
    await context.close();
  }
}

describe.skipIf(!HAVE_CHROMIUM)('administration and the report library in Chromium', () => {
  const app = suiteApp();

  it('用户管理: edits a user, disables and enables them, sets a new password shown once', { timeout: 150_000 }, async () => {
    const page = await loginAs(app, 'admin');
    try {
      await page.goto(`${app.url}/users`);
      const table = page.getByTestId('users-table');
      await page.getByTestId('user-row-readonly').waitFor();
      // roles and states in Chinese
      for (const u of ['admin', 'clerk', 'reviewer', 'readonly']) {
        const row = page.getByTestId(`user-row-${u}`);
        const tags = await row.locator('.ant-tag').allInnerTexts();
        expect(
          tags.some((t) => ROLE_WORDS.includes(t.trim())),
          `${u}: ${tags}`,
        ).toBe(true);
        expect(await page.getByTestId(`user-status-${u}`).innerText()).toBe('正常');
      }
      await noIdentifiers(table, '用户列表');
      await axe(page, '用户管理');

      // 修改: name and role
      await page.getByTestId('user-edit-readonly').click();
      const form = page.getByTestId('user-edit-form');
      await form.waitFor();
      await axe(page, '修改用户');
      await page.getByTestId('user-edit-name').fill('赵六（已调岗）');
      await choose(page, page.getByTestId('user-edit-role'), '审核人');
      await page.getByTestId('user-edit-submit').click();
      await expect.poll(async () => page.getByTestId('user-row-readonly').innerText(), { timeout: 15_000 }).toContain('赵六（已调岗）');
      expect(await page.getByTestId('user-row-readonly').innerText()).toContain('审核人');
      // the own account: no 停用
      expect(await page.getByTestId('user-disable-admin').count()).toBe(0);

      // 停用: the user cannot log in any more; 启用 lets them in again
      expect(await statusOfLogin(app, 'clerk2', 'clerk2-demo')).toBe(200);
      await page.getByTestId('user-disable-clerk2').click();
      await page.getByTestId('user-disable-confirm').click();
      await expect.poll(async () => page.getByTestId('user-status-clerk2').innerText(), { timeout: 15_000 }).toBe('已停用');
      expect(await statusOfLogin(app, 'clerk2', 'clerk2-demo')).toBe(401);
      await page.getByTestId('user-enable-clerk2').click();
      await expect.poll(async () => page.getByTestId('user-status-clerk2').innerText(), { timeout: 15_000 }).toBe('正常');
      expect(await statusOfLogin(app, 'clerk2', 'clerk2-demo')).toBe(200);

      // 重置密码: too short is refused in the form; a generated one is shown once and works
      await page.getByTestId('user-password-clerk2').click();
      await page.getByTestId('password-form').waitFor();
      await axe(page, '重置密码');
      await page.getByTestId('password-new').fill('short');
      await page.getByTestId('password-confirm').fill('short');
      await page.getByTestId('password-submit').click();
      await expect.poll(async () => (await page.getByTestId('password-form').innerText()) ?? '').toContain('密码至少 8 位');
      await page.getByTestId('password-generate').click();
      await page.getByTestId('password-submit').click();
      const shown = page.getByTestId('password-generated');
      await shown.waitFor({ timeout: 15_000 });
      const password = (await shown.innerText()).trim();
      expect(password).toMatch(/^[A-Za-z0-9]{14}$/);
      expect(await page.getByTestId('password-result').innerText()).toContain('只显示这一次');
      await page.getByTestId('password-done').click();
      expect(await statusOfLogin(app, 'clerk2', 'clerk2-demo')).toBe(401);
      expect(await statusOfLogin(app, 'clerk2', password)).toBe(200);

      // 360 px: the table scrolls inside its card, never the page
      await page.setViewportSize({ width: 360, height: 740 });
      await noPageScroll(page, '用户管理（360 px）');
      await axe(page, '用户管理（360 px）');
    } finally {
      await page.context().close();
    }
  });

  const PUBLISHER = '三门峡市湖滨区前进街道办事处';
  const rowsOf = (page: Page) => page.locator('[data-testid="library-table"] tr').filter({ hasText: PUBLISHER });
  /** 上传到报告库 with the seed file */
  const uploadSeed = async (page: Page) => {
    await clickOrExplain(page.getByTestId('library-upload'));
    await page.locator('.ant-modal input[type=file]').setInputFiles(SEED);
    await clickOrExplain(page.getByTestId('library-upload-submit'));
  };
  /** the library page, with the seed file stored at least once (by the test before, or now) */
  const libraryWithSeed = async (page: Page) => {
    await page.goto(`${app.url}/library`);
    await page.getByTestId('library-table').waitFor({ timeout: 30_000 });
    await idle(page);
    if ((await rowsOf(page).count()) === 0) {
      await uploadSeed(page);
      await expect.poll(() => rowsOf(page).count(), { timeout: 30_000 }).toBe(1);
    }
  };

  it('报告库: the report’s own publisher beside the agency it was filed for', { timeout: 120_000 }, async () => {
    const step = steps();
    const page = await loginAs(app, 'clerk');
    try {
      await step('打开报告库', async () => {
        await page.goto(`${app.url}/library`);
        await page.getByTestId('library-table').waitFor({ timeout: 30_000 });
      });
      await step('上传', () => uploadSeed(page));
      await step('表中出现', () =>
        expect.poll(async () => page.getByTestId('library-table').innerText(), { timeout: 30_000 }).toContain(PUBLISHER),
      );
      expect(await rowsOf(page).first().innerText()).toContain('上传机关：示范市东区人民政府');
      await step('axe', () => axe(page, '报告库'));
    } finally {
      await page.context().close();
    }
  });

  it('报告库: the same file again is named, not saved; saved again only on 仍然保存', { timeout: 120_000 }, async () => {
    const step = steps();
    const page = await loginAs(app, 'clerk');
    try {
      await step('报告库中已有', () => libraryWithSeed(page));
      const before = await rowsOf(page).count();
      await step('再次上传', () => uploadSeed(page));
      const alert = page.getByTestId('duplicate-alert');
      await step('提示同一文件', () => alert.waitFor({ timeout: 30_000 }));
      const text = await alert.innerText();
      expect(text).toContain('报告库中已有同一文件');
      expect(text).toMatch(/编号 \d+/);
      expect(text).toContain('000_1dfa6bf3088a5125.txt');
      expect(text).toContain('张三（clerk）');
      expect(await rowsOf(page).count()).toBe(before);
      await step('axe', () => axe(page, '报告库：同一文件'));
      await step('仍然保存', () => clickOrExplain(page.getByTestId('duplicate-save-anyway')));
      await step('多一份', () => expect.poll(() => rowsOf(page).count(), { timeout: 30_000 }).toBe(before + 1));
      await page.setViewportSize({ width: 360, height: 740 });
      await step('360 px', () => noPageScroll(page, '报告库（360 px）'));
    } finally {
      await page.context().close();
    }
  });

  it('检查年报 with 保存到报告库: a file already stored is named there too, and saved on 仍然保存', { timeout: 120_000 }, async () => {
    const step = steps();
    const page = await loginAs(app, 'clerk');
    try {
      await step('报告库中已有', () => libraryWithSeed(page));
      const before = await rowsOf(page).count();
      await step('检查年报', async () => {
        await page.goto(`${app.url}/check`);
        await page.getByTestId('upload-input').setInputFiles(SEED, { timeout: 15_000 });
        await page.getByTestId('save-to-library').check({ timeout: 15_000 });
        await clickOrExplain(page.getByTestId('check-button'));
      });
      const named = page.getByTestId('duplicate-alert');
      await step('提示同一文件', () => named.waitFor({ timeout: 30_000 }));
      expect(await named.innerText()).toContain('报告库中已有同一文件');
      expect(await page.getByTestId('check-error').count()).toBe(0);
      await step('axe', () => axe(page, '检查年报：同一文件'));
      // 仍然保存 there too: one more copy, and the checked report shown as saved
      await step('仍然保存', () => clickOrExplain(page.getByTestId('duplicate-save-anyway')));
      await step('检查结果', () => page.getByTestId('report-view').waitFor({ timeout: 30_000 }));
      await expect.poll(() => named.count()).toBe(0);
      await step('报告库多一份', async () => {
        await page.goto(`${app.url}/library`);
        await page.getByTestId('library-table').waitFor({ timeout: 30_000 });
        await expect.poll(() => rowsOf(page).count(), { timeout: 30_000 }).toBe(before + 1);
      });
    } finally {
      await page.context().close();
    }
  });

  it('报告库 统计图: the trend per agency over every year of the range, a year without a report a gap', { timeout: 120_000 }, async () => {
    const page = await loginAs(app, 'reviewer');
    try {
      await page.goto(`${app.url}/library?tab=charts`);
      const card = page.getByTestId('trend-card');
      await card.waitFor({ timeout: 30_000 });
      await page.getByTestId('chart-trend').waitFor();
      await card.locator('summary').click();
      const table = page.getByTestId('trend-table');
      await table.waitFor();
      const head = await table.locator('thead').innerText();
      // the demo's reports are of 2021, 2023 and 2024: 2022 is on the axis too
      for (const y of [2021, 2022, 2023, 2024]) expect(head).toContain(`${y}年`);
      const rows = await table.locator('tbody tr.ant-table-row').allInnerTexts();
      expect(rows.length).toBeGreaterThan(1);
      // one row per agency, each with a gap (—) in 2022
      expect(rows.every((r) => r.includes('—'))).toBe(true);
      expect(new Set(rows.map((r) => r.split('\t')[0])).size).toBe(rows.length);
      await page.getByTestId('trend-metric').getByText('行政复议').click();
      expect(await table.locator('caption').innerText()).toContain('行政复议');
      await axe(page, '报告库统计图');
      await page.setViewportSize({ width: 360, height: 740 });
      await noPageScroll(page, '报告库统计图（360 px）');
    } finally {
      await page.context().close();
    }
  });

  it.skipIf(!AGENCIES_ROUTED)('机构管理: adds an agency, renames it and moves it; never under itself', { timeout: 150_000 }, async () => {
    const page = await loginAs(app, 'admin');
    try {
      await page.goto(`${app.url}/agencies`);
      const tree = page.getByTestId('agency-tree');
      await page.getByTestId('agency-row-示范市东区人民政府').waitFor({ timeout: 30_000 });
      await noIdentifiers(tree, '机构树');
      await axe(page, '机构管理');
      const idOf = async (name: string) => {
        const button = page.getByTestId(`agency-row-${name}`).locator('[data-testid^="agency-rename-"]');
        return (await button.getAttribute('data-testid'))!.replace('agency-rename-', '');
      };
      // 新增下级 under 东区
      await page.getByTestId(`agency-add-${await idOf('示范市东区人民政府')}`).click();
      await page.getByTestId('agency-add-form').waitFor();
      await axe(page, '新增机关');
      await page.getByTestId('agency-name').fill('示范市东区测试街道办事处');
      await page.getByTestId('agency-add-submit').click();
      await page.getByTestId('agency-row-示范市东区测试街道办事处').waitFor({ timeout: 15_000 });
      // 重命名
      const id = await idOf('示范市东区测试街道办事处');
      await page.getByTestId(`agency-rename-${id}`).click();
      await page.getByTestId('agency-new-name').fill('示范市东区新城街道办事处');
      await page.getByTestId('agency-rename-submit').click();
      await page.getByTestId('agency-row-示范市东区新城街道办事处').waitFor({ timeout: 15_000 });
      // 移动: its own subtree cannot be chosen; under 西县 it goes
      await page.getByTestId(`agency-move-${await idOf('示范市东区人民政府')}`).click();
      await page.getByTestId('agency-move-form').waitFor();
      await page.getByTestId('agency-move-parent').click();
      const blocked = page.locator('.ant-select-item-option-disabled').filter({ hasText: '示范市东区新城街道办事处' });
      await blocked.first().waitFor();
      await axe(page, '移动机关');
      await page.keyboard.press('Escape');
      await page
        .locator('.ant-modal')
        .getByRole('button', { name: /取\s*消/ })
        .click();
      await page.getByTestId(`agency-move-${id}`).click();
      await page.getByTestId('agency-move-form').waitFor();
      await choose(page, page.getByTestId('agency-move-parent'), '示范市西县人民政府');
      await clickOrExplain(page.getByTestId('agency-move-submit'));
      await expect
        .poll(
          async () =>
            page.evaluate(async () => {
              const r = (await (await fetch('/api/agencies')).json()) as { agencies: { id: number; name: string; parentId: number }[] };
              const a = r.agencies.find((x) => x.name === '示范市东区新城街道办事处');
              return r.agencies.find((x) => x.id === a?.parentId)?.name;
            }),
          { timeout: 15_000 },
        )
        .toBe('示范市西县人民政府');
      await page.setViewportSize({ width: 360, height: 740 });
      await noPageScroll(page, '机构管理（360 px）');
      await axe(page, '机构管理（360 px）');
    } finally {
      await page.context().close();
    }
  });
});
