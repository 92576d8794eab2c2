/**
 * 期限和细则 and 版本差异 (issue 15) in a real browser. The demo's administrator (of the province)
 * sets the deadline of 政府部门 to 03-31 and sees it, then restores the statutory one; uploads a
 * rubric with mistakes and sees every problem in Chinese, its place in the file in words (no
 * `items[0].points`, no indicator id); uploads a small YAML rubric and sees it in force, downloads
 * it as JSON, and restores the example. Then two versions of a body's 2024 report are imported
 * through the API (the second with one cell changed), and on 发布情况 the row's “2 版” opens
 * 版本差异 with the cell's Chinese label, its old and its new value. Every screen passes axe-core
 * (no critical or serious violation) and has no page-wide horizontal scroll at 360 px.
 *
 * axe-core is loaded from node_modules when installed, else from AXE_CORE_PATH; without it the
 * accessibility assertions are skipped with a notice.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { render } from '../../src/render/index.js';
import { cellLabel } from '../../src/supervise/rollup.js';
import { sampleReport2021 } from '../helpers/arbitrary.js';
import { axeCheck, shot } from './a11y.js';
import { type App, HAVE_CHROMIUM, loginAs, seeMessage, startApp } from './harness.js';

/** no identifier of the data or of the rubric format shows on the page */
async function noIdentifiers(page: Page, what: string): Promise<void> {
  const text = await page.evaluate(() => document.body.innerText);
  for (const word of [
    'unpublished',
    'government',
    'department',
    'indicator',
    'edited-after-publication',
    'previous-similarity',
    'prose-figures',
    'deductions',
    'items[',
    'grades[',
    '.points',
    'strict',
    'lenient',
    'publishedOn',
    'proactive.',
    'applications.',
    'undefined',
    'NaN',
    '[object',
  ]) {
    expect(text.includes(word), `${what} shows “${word}”`).toBe(false);
  }
}

/** no page-wide horizontal scroll */
async function noPageScroll(page: Page, what: string): Promise<void> {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(widths.scroll, `${what}: ${JSON.stringify(widths)}`).toBeLessThanOrEqual(widths.client);
}

/** a file sent through the API from the page (with its session and CSRF token) */
interface UploadFile {
  name: string;
  type: string;
  bytes: number[];
}

/** a request of the API from the page's context: its cookies, and the CSRF token of /api/me */
async function api<T>(
  page: Page,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: { json?: unknown; form?: Record<string, string>; files?: { field: string; file: UploadFile }[] },
): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const headers: Record<string, string> = { 'X-CSRF-Token': me.csrfToken, Accept: 'application/json' };
      let payload: BodyInit | undefined;
      if (body?.json !== undefined) {
        headers['Content-Type'] = 'application/json';
        payload = JSON.stringify(body.json);
      } else if (body?.form || body?.files) {
        const fd = new FormData();
        for (const [k, v] of Object.entries(body.form ?? {})) fd.append(k, v);
        for (const { field, file } of body.files ?? [])
          fd.append(field, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
        payload = fd;
      }
      const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    { method, path, body },
  ) as Promise<{ status: number; body: T }>;
}

/** imports report files one batch at a time, each waited for until finished; the outcomes */
async function intake(page: Page, files: UploadFile[]): Promise<{ outcome: string; version?: number }[]> {
  const started = await api<{ batchId: number }>(page, 'POST', '/api/intake', {
    files: files.map((file) => ({ field: 'files', file })),
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const b = await api<{ finishedAt: string | null; outcomes: { outcome: string; version?: number }[] }>(
      page,
      'GET',
      `/api/intake/batches/${started.body.batchId}`,
    );
    expect(b.status).toBe(200);
    if (b.body.finishedAt) return b.body.outcomes;
    if (Date.now() > deadline) throw new Error(`the intake did not finish: ${JSON.stringify(b.body)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const utf8 = (s: string): number[] => Array.from(Buffer.from(s, 'utf8'));

/** a rubric with mistakes: negative points, an unknown indicator, an unknown field, a wrong mode */
const BAD_RUBRIC = JSON.stringify(
  {
    name: '有错误的细则',
    total: 10,
    mode: 'hard',
    items: [
      {
        id: 'A1',
        name: '按期发布',
        points: 10,
        deductions: [
          { when: { indicator: 'late' }, points: -1 },
          { when: { indicator: 'no-such-check' }, points: 2 },
        ],
      },
      { id: 'A1', name: '数据准确', points: 0, pionts: 3, deductions: [{ when: { indicator: 'arithmetic' }, points: 1, each: true }] },
    ],
  },
  null,
  2,
);

/** a small rubric in YAML: total 10, one item */
const YAML_RUBRIC = [
  'name: 测试县年报评分细则',
  'version: "2025"',
  'total: 10',
  'mode: strict',
  'grades:',
  '  - { min: 9, name: 优秀 }',
  '  - { min: 6, name: 合格 }',
  '  - { min: 0, name: 不合格 }',
  'items:',
  '  - id: T1',
  '    name: 按期发布年度报告',
  '    points: 10',
  '    note: 条例第四十九条',
  '    deductions:',
  '      - { when: { indicator: unpublished }, points: 10 }',
  '      - { when: { indicator: late, days: 10 }, points: 1, note: 逾期超过十天 }',
  '      - { when: { indicator: arithmetic }, points: 2, each: true, max: 6 }',
  '',
].join('\n');

const EXAMPLE_NAME = '政府信息公开工作年度报告评分细则（示例）';

/** a report of 丁县人民政府 for 2024, with `licensing` decisions of its own */
function report(normativeIssued: number): Report {
  const r = sampleReport2021();
  const proactive = r.proactive as unknown as Record<string, Record<string, unknown>>;
  return {
    ...r,
    agency: '丁县人民政府',
    year: 2024,
    publishedOn: '2025-03-20',
    proactive: { ...proactive, normativeDocuments: { ...proactive.normativeDocuments, issued: normativeIssued } },
  } as Report;
}

describe.skipIf(!HAVE_CHROMIUM)('期限和细则, 版本差异 in Chromium', () => {
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

  it('sets the deadline of 政府部门 and restores the statutory one', { timeout: 120_000 }, async () => {
    await page.getByRole('menuitem', { name: '监督检查' }).click();
    await page.getByRole('menuitem', { name: '期限和细则' }).click();
    await page.getByTestId('settings-page').waitFor();
    const current = (k: string) => page.getByTestId(`deadline-current-${k}`);
    await expect.poll(async () => (await current('department').textContent()) ?? '', { timeout: 30_000 }).toContain('次年 01-31');
    expect(await current('government').textContent()).toContain('次年 03-31');
    expect(await current('government').textContent()).toContain('法定期限');

    // a month-day that does not exist is refused before anything is sent
    await page.getByTestId('deadline-department').fill('02-30');
    await page.getByTestId('deadlines-save').click();
    await page.getByText('应为“月-日”').waitFor();

    await page.getByTestId('deadline-department').fill('03-31');
    await page.getByTestId('deadlines-save').click();
    await seeMessage(page, '期限已保存', 30_000);
    await expect.poll(async () => (await current('department').textContent()) ?? '').toContain('次年 03-31');
    expect(await current('department').textContent()).toContain('法定：次年 01-31');
    expect(await current('government').textContent()).toContain('次年 03-31');
    // the example rubric scores the lateness of departments against 01-31 still: said beside
    expect(await page.getByTestId('rubric-deadlines').textContent()).toContain('政府部门按评分细则自定的期限次年 01-31');
    // the status of the year counts with it
    const status = await api<{ deadlines: { department: string } }>(page, 'GET', '/api/supervision/status?year=2024');
    expect(status.body.deadlines.department).toBe('03-31');
    await noIdentifiers(page, '期限和细则');
    await axeCheck(page, '期限和细则');

    await page.getByTestId('deadlines-restore').click();
    await seeMessage(page, '已恢复法定期限', 30_000);
    await expect.poll(async () => (await current('department').textContent()) ?? '').toContain('次年 01-31');
    await expect.poll(async () => await page.getByTestId('deadline-department').inputValue()).toBe('01-31');
  });

  it('lists every problem of a rubric with mistakes in Chinese, and puts a YAML rubric in force', { timeout: 120_000 }, async () => {
    await page.goto(`${app.url}/supervise/settings`);
    await page.getByTestId('rubric-view').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('rubric-name').textContent()).toBe(EXAMPLE_NAME);
    expect(await page.getByTestId('rubric-kind').textContent()).toBe('示例细则');
    // the example's items, each deduction in words
    const items = (await page.getByTestId('rubric-items').textContent()) ?? '';
    expect(items).toContain('按期发布');
    expect(items).toContain('逾期发布超过 30 天：扣 5 分');
    expect(items).toContain('与上年报告重复（相似度超过 50%）');
    expect(items).toContain('否决项');
    expect(await page.getByTestId('rubric-mode').textContent()).toContain('宽松');

    const input = page.locator('[data-testid="rubric-upload"] input[type=file]');
    await input.setInputFiles({ name: '有错误的细则.json', mimeType: 'application/json', buffer: Buffer.from(BAD_RUBRIC) });
    await page.getByTestId('rubric-apply').click();
    const problems = page.getByTestId('rubric-problems');
    await problems.waitFor({ timeout: 30_000 });
    const text = (await problems.textContent()) ?? '';
    expect(text).toContain('有错误的细则.json');
    expect(await page.getByTestId('rubric-problem').count()).toBeGreaterThanOrEqual(5);
    expect(text).toContain('第 1 项（按期发布） 第 1 条扣分规则 的分值：不能为负数，实际为 -1');
    expect(text).toContain('第 1 项（按期发布） 第 2 条扣分规则 的指标：未知的指标');
    expect(text).toContain('逾期发布'); // the indicators that can be used, by name
    expect(text).toContain('第 2 项（数据准确） 中的“pionts”：未知的字段');
    expect(text).toContain('第 2 项（数据准确） 的编号：编号 "A1" 与 第 1 项（按期发布） 的编号 重复');
    expect(text).toContain('评分模式');
    // no path of the file, no id of an indicator
    expect(text).not.toMatch(/[A-Za-z]+\[\d+\]/);
    expect(text).not.toMatch(/\.(points|indicator|id)\b/);
    expect(text).not.toContain('edited-after-publication');
    expect(text).not.toContain('unpublished');
    // nothing changed
    expect(await page.getByTestId('rubric-name').textContent()).toBe(EXAMPLE_NAME);
    await noIdentifiers(page, '期限和细则（细则有错误）');
    await axeCheck(page, '期限和细则（细则有错误）');
    await shot(page, '20-supervise-rubric-problems.png');

    // a small YAML rubric: in force
    await input.setInputFiles({ name: '测试县细则.yaml', mimeType: 'application/yaml', buffer: Buffer.from(YAML_RUBRIC) });
    await page.getByTestId('rubric-apply').click();
    await seeMessage(page, '已启用评分细则', 30_000);
    await expect.poll(async () => await page.getByTestId('rubric-name').textContent()).toBe('测试县年报评分细则');
    expect(await page.getByTestId('rubric-problems').count()).toBe(0);
    expect(await page.getByTestId('rubric-kind').textContent()).toBe('本地区细则');
    expect(await page.getByTestId('rubric-mode').textContent()).toContain('严格');
    expect(await page.getByTestId('rubric-grades').textContent()).toContain('优秀（9 分及以上）');
    const view = (await page.getByTestId('rubric-view').textContent()) ?? '';
    expect(view).toContain('10 分');
    expect(view).toContain('按期发布年度报告');
    expect(view).toContain('未发布年度报告：扣 10 分');
    expect(view).toContain('逾期发布超过 10 天：扣 1 分（逾期超过十天）');
    expect(view).toContain('表格勾稽关系不成立：每处扣 2 分，最多扣 6 分');
    expect(view).toContain('依据：条例第四十九条');
    // the scores use it
    const scores = await api<{ rubric: { name: string } }>(page, 'GET', '/api/supervision/scores?year=2024');
    expect(scores.body.rubric.name).toBe('测试县年报评分细则');

    // downloaded as JSON
    const download = page.waitForEvent('download');
    await page.getByTestId('rubric-download').click();
    const d = await download;
    expect(d.suggestedFilename()).toBe('测试县年报评分细则.json');
    const saved = JSON.parse(readFileSync(await d.path(), 'utf8')) as { name: string; total: number; items: unknown[] };
    expect(saved.name).toBe('测试县年报评分细则');
    expect(saved.total).toBe(10);
    expect(saved.items).toHaveLength(1);
    await noIdentifiers(page, '期限和细则（本地区细则）');
    await axeCheck(page, '期限和细则（本地区细则）');
    await shot(page, '19-supervise-settings.png');

    // 恢复示例细则
    await page.getByTestId('rubric-restore').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '恢复示例细则' }).click();
    await seeMessage(page, '已恢复示例细则', 30_000);
    await expect.poll(async () => await page.getByTestId('rubric-name').textContent()).toBe(EXAMPLE_NAME);
    expect(await page.getByTestId('rubric-kind').textContent()).toBe('示例细则');

    // 360 px wide: no page-wide horizontal scroll
    const narrow = await loginAs(app, 'admin');
    try {
      await narrow.goto(`${app.url}/supervise/settings`);
      await narrow.getByTestId('rubric-view').waitFor({ timeout: 30_000 });
      await narrow.setViewportSize({ width: 360, height: 780 });
      await narrow.waitForTimeout(800);
      await noPageScroll(narrow, '期限和细则（360 px）');
      await noIdentifiers(narrow, '期限和细则（360 px）');
      await axeCheck(narrow, '期限和细则（360 px）');
    } finally {
      await narrow.context().close();
    }
  });

  it('a reviewer sees the settings read-only', { timeout: 60_000 }, async () => {
    const reviewer = await loginAs(app, 'reviewer');
    try {
      await reviewer.goto(`${app.url}/supervise/settings`);
      await reviewer.getByTestId('rubric-view').waitFor({ timeout: 30_000 });
      expect(await reviewer.getByTestId('deadline-current-government').textContent()).toContain('次年 03-31');
      expect(await reviewer.getByTestId('deadlines-save').count()).toBe(0);
      expect(await reviewer.getByTestId('rubric-apply').count()).toBe(0);
      expect(await reviewer.getByTestId('rubric-download').count()).toBe(1);
      await noIdentifiers(reviewer, '期限和细则（审核人）');
    } finally {
      await reviewer.context().close();
    }
  });

  it('shows what changed between two versions of a report', { timeout: 180_000 }, async () => {
    const directory = await api<{ stored: boolean; problems: unknown[] }>(page, 'POST', '/api/bodies/import', {
      form: { dryRun: 'false' },
      files: [
        {
          field: 'file',
          file: {
            name: '名录.csv',
            type: 'text/csv',
            bytes: utf8('名称,层级,类型,上级,行政区划代码,统一社会信用代码,曾用名\n丁县人民政府,县级,人民政府,示范市人民政府,,,\n'),
          },
        },
      ],
    });
    expect(directory.status, JSON.stringify(directory.body)).toBe(200);
    expect(directory.body.stored, JSON.stringify(directory.body)).toBe(true);

    const first = await intake(page, [
      { name: '丁县人民政府2024年度报告.md', type: 'text/markdown', bytes: Array.from(await render(report(12), 'md')) },
    ]);
    expect(first.map((o) => o.outcome)).toEqual(['stored']);
    const second = await intake(page, [
      { name: '丁县人民政府2024年度报告（更正）.md', type: 'text/markdown', bytes: Array.from(await render(report(15), 'md')) },
    ]);
    expect(second.map((o) => o.outcome)).toEqual(['stored']);
    expect(second[0].version).toBe(2);

    await page.goto(`${app.url}/supervise/status?year=2024`);
    const row = page.locator('[data-testid="status-table"] tr[data-name="丁县人民政府"]');
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: '2 版' }).click();
    const modal = page.getByTestId('versions-modal');
    await modal.getByTestId('version-cells').waitFor({ timeout: 30_000 });
    const text = (await modal.textContent()) ?? '';
    expect(text).toContain('版本差异 · 丁县人民政府 · 2024 年度');
    expect(text).toContain('丁县人民政府2024年度报告.md');
    expect(text).toContain('丁县人民政府2024年度报告（更正）.md');
    expect(text).toContain('发布日期 2025-03-20');
    expect(text).toContain('与第 1 版相比');
    const label = cellLabel('proactive.normativeDocuments.issued').split(' / ').join(' · ');
    const cells = modal.getByTestId('version-cells');
    const changed = cells.locator('tbody tr', { hasText: label });
    expect(await changed.count()).toBe(1);
    expect((await changed.locator('td').allTextContents()).map((t) => t.trim())).toEqual([label, '12', '15']);
    expect(await cells.locator('thead').textContent()).toMatch(/单元格.*原值.*新值/);
    expect(await modal.getByTestId('version-same').count()).toBe(0);
    await noIdentifiers(page, '版本差异');
    await axeCheck(page, '版本差异');
    await shot(page, '21-supervise-versions.png');

    // 360 px wide: the modal fits, its table scrolls in its own box
    await page.setViewportSize({ width: 360, height: 780 });
    await page.waitForTimeout(800);
    await noPageScroll(page, '版本差异（360 px）');
    await axeCheck(page, '版本差异（360 px）');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'hidden' });
  });
});
