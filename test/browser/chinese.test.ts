/**
 * Chinese throughout, in a real browser: the person never sees an identifier. The check page with
 * reports that have errors (their problems, every place, the source caption of each, the refused
 * download), a batch with a file that cannot be read any more, four cases that hold every kind of
 * event (with a voided event, a correction and the audit trail opened row by row), and 年报编制 are
 * walked, and their visible text holds no camelCase word, dotted path, kebab-case id (a rule id in
 * grey help text after its Chinese name excepted), `*`, `ENOENT` or `force`. The person's own text (file names, the report's
 * source and sections, marked `data-user-text`) is not counted. Runs the built app through
 * `nianbao serve --demo` in headless Chromium, like app.test.ts.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_SEQUENCES, IDENTIFIER } from '../helpers/chinese.js';
import { SEEDS } from '../helpers/paths.js';
import { api, HAVE_CHROMIUM, loginAs, postCase } from './harness.js';
import { checkWrongTotal, suiteApp } from './helpers-vitest.js';

const DEMO = resolve(import.meta.dirname, '../../examples/demo');
/** the identity and phone of the applicants registered through the API, and their delivery: 纸质 by 邮寄 */
const APPLICANT = { identityNumber: '110101199001011234', phone: '13800000000' };
const BY_POST = { form: '纸质', channel: '邮寄' };

/**
 * The identifier-like tokens of the visible text of the page (and the placeholders of its fields),
 * each with the text around it; the person's own text and the grey rule ids are left out.
 */
async function identifiers(page: Page): Promise<string[]> {
  const texts = await page.evaluate(() => {
    // a rule id may follow its Chinese name in grey help text (antd's secondary text), never stand alone
    const skip = '[data-user-text], .nb-rule-id.ant-typography-secondary, .ant-upload-list, textarea, script, style, noscript';
    const out: { t: string; where: string }[] = [];
    /** where a text stands: the nearest test id or class, for the message */
    const whereOf = (el: Element) => {
      const w = el.closest('[data-testid]');
      return `${w?.getAttribute('data-testid') ?? ''} ${el.tagName.toLowerCase()}.${(el.getAttribute('class') ?? '').split(' ')[0]}`;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const t = (n.textContent ?? '').trim();
      if (!el || t === '' || el.closest(skip)) continue;
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      out.push({ t, where: whereOf(el) });
    }
    for (const el of document.querySelectorAll<HTMLInputElement>('input[placeholder], textarea[placeholder]')) {
      if (el.closest(skip) || !el.checkVisibility()) continue;
      out.push({ t: el.placeholder, where: whereOf(el) });
    }
    return out;
  });
  const bad: string[] = [];
  const g = new RegExp(IDENTIFIER.source, 'g');
  for (const { t, where } of texts)
    for (const m of t.matchAll(g)) bad.push(`${m[0]} ⟨${t.slice(Math.max(0, m.index - 20), m.index + 30)}⟩ in ${where}`);
  return bad;
}

async function expectChinese(page: Page, what: string): Promise<void> {
  expect(await identifiers(page), what).toEqual([]);
}

/** every row of the diagnostics table, page by page: each row clicked, the page and the source caption read */
async function walkDiagnostics(page: Page, what: string): Promise<number> {
  const table = page.getByTestId('diagnostics-table').first();
  let seen = 0;
  for (;;) {
    const rows = table.locator('[data-testid^="diagnostic-"]');
    const n = await rows.count();
    for (let i = 0; i < n; i++) {
      // the rule by its Chinese name first
      expect(await rows.nth(i).locator('.nb-rule').first().textContent(), `${what}, row ${i}`).toMatch(/^[\u4e00-\u9fff]/);
      await rows.nth(i).click();
      seen++;
      await expectChinese(page, `${what}, problem ${seen}`);
    }
    const next = table.locator('.ant-pagination-next');
    if ((await next.count()) === 0 || (await next.getAttribute('aria-disabled')) === 'true') break;
    await next.click();
  }
  return seen;
}

describe.skipIf(!HAVE_CHROMIUM)('Chinese throughout (Chromium)', () => {
  const app = suiteApp();
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nianbao-chinese-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('检查年报: problems, their places and sources, a refused download, a batch with a lost file', { timeout: 240_000 }, async () => {
    const page = await loginAs(app, 'clerk');
    await page.goto(`${app.url}/check`);
    await expectChinese(page, 'the empty check page');

    // seed 000: label errors, one of them on a whole column (applications.*.publicInterest)
    await page.getByTestId('upload-input').setInputFiles(join(SEEDS, '000_1dfa6bf3088a5125.txt'));
    await page.getByTestId('check-button').click();
    await page.getByTestId('diagnostics-table').waitFor();
    expect(Number(await page.getByTestId('summary-errors').locator('.nb-count-n').textContent())).toBeGreaterThan(0);
    await expectChinese(page, 'seed 000');
    expect(await walkDiagnostics(page, 'seed 000')).toBeGreaterThan(2);

    // a PDF: its problems on 表三 and the 2019 （六） row, with page positions
    await page.goto(`${app.url}/check`);
    await page.getByTestId('upload-input').setInputFiles(join(DEMO, 'huaian-hongze-2023.pdf'));
    await page.getByTestId('check-button').click();
    await page.getByTestId('diagnostics-table').waitFor({ timeout: 60_000 });
    await expectChinese(page, 'the PDF');
    await walkDiagnostics(page, 'the PDF');

    // pasted text whose 总计 of 表二 is one too many: the download is refused, and may be forced
    await page.goto(`${app.url}/check`);
    await checkWrongTotal(page, join(SEEDS, '001_bafcd2ea084bb138.txt'));
    await page.getByTestId('diagnostics-table').waitFor();
    await walkDiagnostics(page, 'the wrong total');
    await page.getByTestId('download-docx').click();
    await page.getByTestId('render-refused').waitFor({ timeout: 30_000 });
    await expectChinese(page, 'the refused download');
    expect(await page.getByTestId('download-force').textContent()).not.toMatch(/force/i);
    await page.keyboard.press('Escape');

    // a batch: a file that is not a report, and one removed from the disk after it was chosen
    await page.goto(`${app.url}/check`);
    const gone = join(dir, '已删除的年报.txt');
    copyFileSync(join(SEEDS, '002_abb086b87d47b285.txt'), gone);
    await page
      .getByTestId('upload-input')
      .setInputFiles([join(SEEDS, '003_f8437f9aaea28a39.txt'), gone, join(DEMO, 'huaian-city-2024.pdf')]);
    rmSync(gone);
    await page.getByTestId('check-button').click();
    await expect
      .poll(async () => (await page.getByTestId('batch-summary').textContent()) ?? '', { timeout: 90_000 })
      .toContain('已完成 3 个');
    expect(await page.getByTestId('batch-results').textContent()).toContain('无法读取');
    await expectChinese(page, 'the batch');
    await page.getByTestId('batch-clear').click();
    await page.context().close();
  });

  it('依申请登记: every kind of event, a voided event, a correction and the audit trail', { timeout: 240_000 }, async () => {
    const page = await loginAs(app, 'clerk');
    await page.goto(`${app.url}/cases`);
    await page.getByTestId('case-table').waitFor();
    const ids: string[] = [];
    for (const [i, seq] of EVENT_SEQUENCES.entries()) {
      const created = await postCase(
        page,
        { ...APPLICANT, name: `中文测试申请人${i + 1}`, description: '某路段改造项目的批复文件', arrivedOn: seq.arrivedOn },
        BY_POST,
      );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id = created.body.case.id;
      ids.push(id);
      for (const e of seq.events) {
        const r = await api(page, 'POST', `/api/cases/${encodeURIComponent(id)}/events`, { ...e, note: '备注文字' });
        expect(r.status, `${e.type}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
      }
    }
    // the withdrawal voided and recorded again; the first case's phone corrected
    const last = ids[ids.length - 1];
    expect((await api(page, 'POST', `/api/cases/${encodeURIComponent(last)}/events/1/void`, { reason: '登记错误' })).status).toBeLessThan(
      300,
    );
    expect(
      (await api(page, 'POST', `/api/cases/${encodeURIComponent(last)}/events`, { type: 'withdrawal', on: '2026-11-04' })).status,
    ).toBeLessThan(300);
    expect(
      (
        await api(page, 'PATCH', `/api/cases/${encodeURIComponent(ids[0])}`, {
          changes: { applicant: { contact: { phone: '13900000000' } } },
          reason: '电话登记错误',
        })
      ).status,
    ).toBeLessThan(300);

    await page.reload();
    await page.getByTestId('case-table').waitFor();
    await page.getByTestId(`case-link-${ids[0]}`).waitFor();
    await expectChinese(page, 'the register');
    for (const id of ids) {
      await page.goto(`${app.url}/cases/${encodeURIComponent(id)}`);
      await page.getByTestId('case-timeline').waitFor();
      await page.getByTestId('due-card').waitFor();
      await expectChinese(page, `case ${id}`);
      // the audit trail, every row opened
      await page.getByTestId('case-audit').getByRole('button').first().click();
      const expand = page.getByTestId('case-audit').locator('.ant-table-row-expand-icon-collapsed');
      await expect.poll(() => expand.count()).toBeGreaterThan(0);
      while ((await expand.count()) > 0) await expand.first().click();
      await expectChinese(page, `the audit trail of case ${id}`);
    }
    // the forms of every kind of event on an open case
    await page.goto(`${app.url}/cases`);
    await page.getByTestId('new-case').waitFor();
    const open = await postCase(
      page,
      { ...APPLICANT, name: '中文测试申请人5', description: '某项目文件', arrivedOn: '2026-11-02' },
      BY_POST,
    );
    expect(open.status, JSON.stringify(open.body)).toBe(201);
    await page.goto(`${app.url}/cases/${encodeURIComponent(open.body.case.id)}`);
    await page.getByTestId('event-forms').waitFor();
    for (const t of ['correctionNotice', 'consultationStarted', 'extension', 'feeNotice', 'withdrawal', 'reply']) {
      await page.getByTestId(`event-type-${t}`).click();
      await page.getByTestId(`event-form-${t}`).waitFor();
      await expectChinese(page, `the form of ${t}`);
    }
    await page.context().close();
  });

  it('年报编制: the form, its problems and the preview', { timeout: 120_000 }, async () => {
    for (const user of ['clerk', 'reviewer']) {
      const page = await loginAs(app, user);
      await page.goto(`${app.url}/compile`);
      await page.getByTestId('compile-form').waitFor();
      await page.getByTestId('grid-applications').waitFor();
      await expectChinese(page, `年报编制 (${user})`);
      if (user === 'clerk') {
        await page.getByTestId('compile-overview').fill('');
        await page.getByTestId('compile-problems').fill('');
        await expect.poll(() => page.locator('[data-testid^="diagnostic-"]').count(), { timeout: 20_000 }).toBeGreaterThan(1);
        await walkDiagnostics(page, '年报编制');
      }
      await page.context().close();
    }
  });
});
