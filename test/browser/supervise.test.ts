/**
 * Supervision (issue 15) in a real browser: the demo's administrator of the top agency imports a
 * directory of bodies on 机关名录 (a dry run listing the problems by row and column, then 确认导入),
 * uploads a ZIP of reports on 年报导入 and follows its progress, confirms the file whose body name
 * is misspelled, sees on 发布情况 the body that has not reported (逾期未发布) and the late one, marks a
 * report reviewed, opens a body's deductions on 评分排名 with their evidence in Chinese, downloads
 * the ranking (XLSX), drills a total down on 区域汇总 and sees the copied passages on 跨机关雷同.
 * Every supervision page passes axe-core (no critical or serious violation), 发布情况 has no
 * page-wide horizontal scroll at 360 px, and no identifier (enum key, cell key, rule id) shows.
 *
 * axe-core is loaded from node_modules when installed, else from AXE_CORE_PATH; without it the
 * accessibility assertions are skipped with a notice.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { render } from '../../src/render/index.js';
import { sampleReport2021 } from '../helpers/arbitrary.js';
import { axeCheck, shot } from './a11y.js';
import { type App, HAVE_CHROMIUM, loginAs, seeMessage, startApp } from './harness.js';

/** no identifier of the data shows on the page */
async function noIdentifiers(page: Page, what: string): Promise<void> {
  const text = await page.evaluate(() => document.body.innerText);
  for (const word of [
    'unpublished',
    'published',
    'government',
    'department',
    'county',
    'township',
    'applications.',
    'proactive.',
    'reviewLitigation',
    'applications-balance',
    'publication-deadline',
    'prose-figures',
    'sections.',
    'publishedOn',
    'undefined',
    'NaN',
  ]) {
    expect(text.includes(word), `${what} shows “${word}”`).toBe(false);
  }
}

/** chooses in the antd Select `select` the option whose text starts with `text` (typing it to filter) */
async function chooseStarting(page: Page, select: Locator, text: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await select.click({ timeout: 5_000 });
      await page.keyboard.type(text);
      await page
        .locator('.ant-select-item-option:visible')
        .filter({ hasText: new RegExp(`^${text}`) })
        .first()
        .click({ timeout: 5_000 });
      await select
        .locator('xpath=ancestor-or-self::*[contains(@class, "ant-select")][1]')
        .getByText(new RegExp(`^${text}`))
        .first()
        .waitFor({ timeout: 2_000 });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

/** the directory of the test: two counties under the demo's city, with their departments */
const DIRECTORY_CSV = [
  '名称,层级,类型,上级,行政区划代码,统一社会信用代码,曾用名',
  '甲县人民政府,县级,人民政府,示范市人民政府,,,',
  '甲县教育局,县级,政府部门,甲县人民政府,,,甲县教育体育局',
  '甲县财政局,县级,政府部门,甲县人民政府,,,',
  '甲县卫生健康委员会,县级,政府部门,甲县人民政府,,,',
  '乙县人民政府,县级,人民政府,示范市人民政府,,,',
  '乙县教育局,县级,政府部门,乙县人民政府,,,',
].join('\n');

/** the same with two mistakes: a credit code too short, and a parent nowhere to be found */
const BAD_DIRECTORY_CSV = [
  '名称,层级,类型,上级,行政区划代码,统一社会信用代码,曾用名',
  '甲县人民政府,县级,人民政府,示范市人民政府,,12345,',
  '甲县教育局,县级,政府部门,丙县人民政府,,,',
].join('\n');

/**
 * a report for 2024: the sample's narrative, or one of its own (a text that more than half of the
 * bodies share is boilerplate, not copying: only two bodies share the sample's)
 */
function report(agency: string, publishedOn: string, overview?: string): Report {
  const r = sampleReport2021();
  return { ...r, agency, year: 2024, publishedOn, sections: { ...r.sections, ...(overview ? { overview } : {}) } };
}

const OWN_OVERVIEW: Record<string, string> = {
  乙县人民政府:
    '乙县人民政府坚持把政务公开作为建设法治政府的重要抓手，围绕群众关切推进重点领域信息公开。本年度完善了依申请公开办理流程，建立了答复文书合法性审查制度，并在门户网站开设政策问答专栏，方便群众查询。县政府办公室定期检查各部门网站栏目更新情况，对发现的问题督促整改，确保栏目内容准确及时。',
  甲县财正局:
    '甲县财政局聚焦预算决算公开，按时公开部门预算、决算和三公经费情况，细化到具体项目。本局还对惠民惠农补贴资金发放情况进行了专项公开，在乡镇便民服务中心设置查阅点。针对申请人反映较多的问题，本局优化了答复口径，加强了与相关部门的会商，提升了答复质量。',
};

describe.skipIf(!HAVE_CHROMIUM)('supervision in Chromium', () => {
  let app: App;
  let page: Page;
  beforeAll(async () => {
    app = await startApp();
    page = await loginAs(app, 'admin');
  }, 120_000);
  afterAll(async () => {
    await page?.context().close();
    await app?.stop();
  });

  it('imports the directory: a dry run lists the problems by row and column, then 确认导入', { timeout: 120_000 }, async () => {
    await page.getByRole('menuitem', { name: '监督检查' }).click();
    await page.getByRole('menuitem', { name: '机关名录' }).click();
    await page.getByTestId('directory-table').waitFor();
    await expect.poll(async () => (await page.getByTestId('directory-table').textContent()) ?? '').toContain('示范市人民政府');
    const input = page.locator('[data-testid="directory-upload"] input[type=file]');

    // a file with mistakes: every problem with its row and column, and nothing can be stored
    await input.setInputFiles({ name: '名录（有错）.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_DIRECTORY_CSV) });
    await page.getByTestId('directory-dry-run').click();
    await page.getByTestId('directory-problems').waitFor();
    const problems = (await page.getByTestId('directory-problems').textContent()) ?? '';
    expect(problems).toContain('第 2 行');
    expect(problems).toContain('统一社会信用代码');
    expect(problems).toContain('第 3 行');
    expect(problems).toContain('上级');
    expect(problems).toContain('丙县人民政府');
    expect(await page.getByTestId('directory-confirm').isDisabled()).toBe(true);
    await axeCheck(page, '机关名录（试导入有错误）');
    await shot(page, '12-supervise-directory-dry-run.png');

    // the right file: a dry run, then 确认导入
    await input.setInputFiles({ name: '名录.csv', mimeType: 'text/csv', buffer: Buffer.from(DIRECTORY_CSV) });
    await page.getByTestId('directory-dry-run').click();
    await expect.poll(async () => (await page.getByTestId('directory-plan-summary').textContent()) ?? '').toContain('将新增 6 个机关');
    await page.getByTestId('directory-confirm').click();
    await page.getByTestId('directory-stored').waitFor();
    await expect.poll(async () => (await page.getByTestId('directory-table').textContent()) ?? '').toContain('甲县卫生健康委员会');
    const table = (await page.getByTestId('directory-table').textContent()) ?? '';
    expect(table).toContain('政府部门');
    expect(table).toContain('县级');
    expect(table).toContain('曾用名：甲县教育体育局');
    // the search: the bodies found with the path above them
    await page.getByTestId('directory-search').locator('input').fill('甲县');
    await expect.poll(async () => await page.locator('[data-testid="directory-table"] tr.ant-table-row').count()).toBe(4);
    expect(await page.getByTestId('directory-table').textContent()).toContain('示范省人民政府 / 示范市人民政府 / 甲县人民政府');
    await page.getByTestId('directory-search').locator('input').fill('');
    await noIdentifiers(page, '机关名录');
    await axeCheck(page, '机关名录');
  });

  it('imports a ZIP of reports with its progress, and confirms the file whose body is uncertain', { timeout: 180_000 }, async () => {
    const zip = zipSync({
      '甲县/甲县人民政府2024年度报告.md': await render(report('甲县人民政府', '2025-03-20'), 'md'),
      '甲县/甲县教育局2024年度报告.docx': await render(report('甲县教育局', '2025-02-10'), 'docx'),
      '乙县/乙县人民政府2024年度报告.md': await render(report('乙县人民政府', '2025-03-01', OWN_OVERVIEW.乙县人民政府), 'md'),
      // the name misspelled (正 for 政): waits for a person
      '甲县/甲县财正局2024年度报告.md': await render(report('甲县财正局', '2025-01-20', OWN_OVERVIEW.甲县财正局), 'md'),
      '说明.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    });
    const path = join(tmpdir(), `nianbao-intake-${process.pid}.zip`);
    writeFileSync(path, zip);

    await page.getByRole('menuitem', { name: '年报导入' }).click();
    await page.getByTestId('intake-page').waitFor();
    await page.locator('[data-testid="intake-upload"] input[type=file]').setInputFiles(path);
    await page.getByTestId('intake-start').click();
    await page.getByTestId('intake-progress').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="intake-batch"][data-done="true"]').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('intake-state').textContent()).toContain('已完成：共 4 个文件');
    expect(await page.getByTestId('intake-count-stored').textContent()).toContain('3');
    expect(await page.getByTestId('intake-count-pending').textContent()).toContain('1');
    const outcomes = (await page.getByTestId('intake-outcomes').textContent()) ?? '';
    expect(outcomes).toContain('已存');
    expect(outcomes).toContain('待确认');
    expect(outcomes).toContain('甲县教育局 · 2024 年度');
    expect(await page.getByTestId('intake-batch').textContent()).toContain('说明.png');

    // the waiting file: its candidate with the confidence and the reason, then confirmed
    const waiting = page.locator('[data-testid^="pending-"]').filter({ hasText: '甲县财正局2024年度报告.md' });
    await waiting.waitFor({ timeout: 30_000 });
    const text = (await waiting.textContent()) ?? '';
    expect(text).toContain('甲县财政局');
    expect(text).toMatch(/\d+%/);
    expect(text).toContain('名称相近');
    await axeCheck(page, '年报导入');
    await shot(page, '13-supervise-intake.png');
    await noIdentifiers(page, '年报导入');
    await chooseStarting(page, waiting.getByTestId('pending-body'), '甲县财政局');
    await waiting.getByTestId('pending-confirm').click();
    await seeMessage(page, '已确认', 30_000);
    await expect.poll(async () => (await page.getByTestId('intake-pending').textContent()) ?? '').toContain('没有等待确认的文件');
  });

  it('shows the year: the body that has not reported, the late one, and marks a report reviewed', { timeout: 120_000 }, async () => {
    await page.goto(`${app.url}/supervise/status?year=2024`);
    const row = (name: string) => page.locator(`[data-testid="status-table"] tr[data-name="${name}"]`);
    await row('甲县卫生健康委员会').waitFor({ timeout: 30_000 });
    expect(await row('甲县卫生健康委员会').getByTestId('state-tag').textContent()).toBe('逾期未发布');
    expect(await row('甲县教育局').getByTestId('state-tag').textContent()).toBe('逾期发布');
    expect(await row('甲县教育局').textContent()).toContain('10 天');
    expect(await row('甲县教育局').textContent()).toContain('2025-01-31');
    expect(await row('甲县财政局').getByTestId('state-tag').textContent()).toBe('已发布');
    expect(await row('甲县人民政府').textContent()).toContain('2025-03-20');
    expect(Number(await page.getByTestId('count-overdue-value').textContent())).toBeGreaterThanOrEqual(2);

    // the counts filter the table
    await page.getByTestId('count-overdue').click();
    await expect.poll(async () => await row('甲县教育局').count()).toBe(0);
    expect(await row('乙县教育局').getByTestId('state-tag').textContent()).toBe('逾期未发布');
    await page.getByTestId('count-overdue').click();
    await row('甲县教育局').waitFor();

    // 标记已复核
    await row('甲县人民政府')
      .getByRole('button', { name: /标记已复核/ })
      .click();
    await seeMessage(page, '已标记复核', 30_000);
    await expect.poll(async () => (await row('甲县人民政府').textContent()) ?? '').toContain('系统管理员');
    expect(await row('甲县人民政府').textContent()).toContain('已复核');

    await noIdentifiers(page, '发布情况');
    await axeCheck(page, '发布情况');
    await shot(page, '14-supervise-status.png');

    // 360 px wide, as the administrator (the header keeps the role tag and drops the name on a
    // phone): the table scrolls inside its own box, the page does not
    const narrow = await loginAs(app, 'admin');
    try {
      await narrow.goto(`${app.url}/supervise/status?year=2024`);
      await narrow.locator('[data-testid="status-table"] tr[data-name="甲县卫生健康委员会"]').waitFor({ timeout: 30_000 });
      await narrow.setViewportSize({ width: 360, height: 780 });
      await narrow.waitForTimeout(800);
      const widths = await narrow.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect(widths.scroll, JSON.stringify(widths)).toBeLessThanOrEqual(widths.client);
      await noIdentifiers(narrow, '发布情况（360 px）');
      await axeCheck(narrow, '发布情况（360 px）');
    } finally {
      await narrow.context().close();
    }
  });

  it('scores and ranks: a body’s deductions with their evidence in Chinese, and the ranking as XLSX', { timeout: 120_000 }, async () => {
    await page.goto(`${app.url}/supervise/scores?year=2024`);
    await page.getByTestId('scores-group-card').first().waitFor({ timeout: 60_000 });
    const cards = (await page.locator('[data-testid="scores-group-card"]').allTextContents()).join('\n');
    expect(cards).toContain('县级政府部门');
    expect(cards).toContain('县级人民政府');
    await noIdentifiers(page, '评分排名');
    await axeCheck(page, '评分排名');
    await shot(page, '15-supervise-scores.png');

    // 甲县教育局: published 10 days late, and its narrative is the same as the others'
    await page.getByRole('button', { name: '甲县教育局', exact: true }).click();
    const drawer = page.getByTestId('score-drawer');
    await drawer.getByTestId('score-deductions').waitFor();
    const text = (await drawer.textContent()) ?? '';
    expect(text).toContain('甲县教育局 · 2024 年度评分');
    expect(text).toContain('按期发布');
    expect(text).toContain('晚于期限 2025-01-31 10 天');
    expect(text).toContain('发布日期');
    expect(text).toContain('与其他机关报告雷同');
    // the copied passages side by side, the other body named
    const passage = drawer.getByTestId('evidence-passage').first();
    await passage.waitFor();
    expect(await passage.textContent()).toContain('本机关报告');
    expect(await passage.textContent()).toContain('甲县人民政府的报告');
    await noIdentifiers(page, '评分明细');
    // the drawer's opening animation over, its colours are final
    await page.waitForTimeout(800);
    await axeCheck(page, '评分明细');
    await shot(page, '16-supervise-evidence.png');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    // the 通报 draft, then the ranking
    const word = page.waitForEvent('download');
    await page.getByTestId('scores-export-docx').click();
    expect((await word).suggestedFilename()).toBe('2024年度年报情况通报（草稿）.docx');
    const download = page.waitForEvent('download');
    await page.getByTestId('scores-export-xlsx').click();
    const d = await download;
    expect(d.suggestedFilename()).toBe('2024年度评分排名.xlsx');
    const file = await d.path();
    const head = readFileSync(file).subarray(0, 2).toString('latin1');
    expect(head).toBe('PK');
  });

  it('rolls the tables up over the region and drills a total down', { timeout: 120_000 }, async () => {
    await page.goto(`${app.url}/supervise/rollup?year=2024`);
    await page.getByTestId('rollup-grid').first().waitFor({ timeout: 30_000 });
    const headings = await page.locator('[data-testid="rollup-grid"] h2').allTextContents();
    expect(headings.map((h) => h.slice(0, 2))).toEqual(['表一', '表二', '表三']);
    await page.locator('[data-cell="applications.newReceived.total"]').click();
    const drill = page.getByTestId('rollup-drill');
    await drill.waitFor();
    expect(await drill.textContent()).toContain('示范市人民政府');
    // down to the city, then to 甲县: its own report beside the sum of its departments'
    await drill.getByRole('button', { name: '示范市人民政府' }).click();
    await expect.poll(async () => (await page.getByTestId('rollup-trail').textContent()) ?? '').toContain('示范市人民政府');
    await page.getByTestId('rollup-drill').getByRole('button', { name: '甲县人民政府' }).click();
    await expect.poll(async () => (await page.getByTestId('rollup-trail').textContent()) ?? '').toContain('甲县人民政府');
    expect(await page.getByTestId('rollup-drill').textContent()).toContain('甲县教育局');
    await page.getByTestId('rollup-own-vs-below').waitFor();
    expect(await page.getByTestId('rollup-own-vs-below').textContent()).toContain('表二');
    await page.getByTestId('series-chart').waitFor();
    await noIdentifiers(page, '区域汇总');
    await axeCheck(page, '区域汇总');
    await shot(page, '17-supervise-rollup.png');
  });

  it('lists the bodies whose narratives are the same, with the passages side by side', { timeout: 120_000 }, async () => {
    await page.goto(`${app.url}/supervise/copies?year=2024`);
    const table = page.getByTestId('copies-table');
    await table.locator('tbody tr', { hasText: '甲县教育局' }).first().waitFor({ timeout: 60_000 });
    expect(await table.textContent()).toContain('一、总体情况');
    await table.locator('tbody tr', { hasText: '甲县教育局' }).first().click();
    await page.getByTestId('copy-passages').first().waitFor();
    await noIdentifiers(page, '跨机关雷同');
    await axeCheck(page, '跨机关雷同');
    await shot(page, '18-supervise-copies.png');
  });
});
