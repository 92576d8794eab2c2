/**
 * Notices (文书) and the register's ledger (台账) in a real browser: a clerk drafts the 补正告知书 of a
 * case, edits 补正内容 and sees the draft follow, issues it (confirmed) and finds its 发文字号 on the
 * notices card and on the timeline, then downloads it as Word (a DOCX holding the title, the edited text
 * and the number). The case page with the drawer open passes axe-core, and at 375 px the drawer does
 * not scroll sideways. An administrator on 文书设置 tries to save a template without the applicant's
 * rights and is told why in Chinese. The register is exported as Excel from the list, and that file
 * imported again (导入台账) is checked to add nothing: every row 已存在. Runs the built app through
 * `nianbao serve --demo` in headless Chromium, like register.test.ts.
 */
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeCheck, settle } from './a11y.js';
import { api, HAVE_CHROMIUM, loginAs, postCase, seeMessage, shanghaiToday } from './harness.js';
import { noPageScroll, suiteApp } from './helpers-vitest.js';

/** YYYY-MM-DD plus `days` calendar days */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** the elements inside `selector` that reach past the right edge of the window (none: they fit) */
function outside(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const out: string[] = [];
    for (const root of document.querySelectorAll(selector))
      for (const el of [root, ...root.querySelectorAll('*')]) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > document.documentElement.clientWidth + 0.5)
          out.push(`${el.tagName} ${(el.textContent ?? '').slice(0, 40)}`);
      }
    return out;
  }, selector);
}

/** the text of word/document.xml of a DOCX, tags removed (a run split over several elements reads whole) */
function docxText(bytes: Uint8Array): string {
  const files = unzipSync(bytes);
  const xml = files['word/document.xml'];
  expect(xml, 'word/document.xml').toBeDefined();
  return strFromU8(xml).replace(/<[^>]+>/g, '');
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Issued {
  id: number;
  number: string;
  label: string;
  issuedOn: string;
}

describe.skipIf(!HAVE_CHROMIUM)('notices (文书) and the ledger (台账) in Chromium', () => {
  const app = suiteApp();

  it('a clerk drafts, edits, issues and downloads the 补正告知书 of a case', { timeout: 240_000 }, async () => {
    const today = shanghaiToday();
    const page = await loginAs(app, 'clerk');

    // the notices need the review body and the court of the clerk's agency (the demo sets them; else the administrator does)
    const settings = await api<{ settings: { agencyName: string; reviewBody: string; court: string } }>(
      page,
      'GET',
      '/api/notice-settings',
    );
    expect(settings.status).toBe(200);
    if (!settings.body.settings.reviewBody || !settings.body.settings.court || !settings.body.settings.agencyName) {
      const me = await api<{ agency: { id: number; name: string } }>(page, 'GET', '/api/me');
      const admin = await loginAs(app, 'admin');
      const put = await api(admin, 'PUT', `/api/notice-settings?agencyId=${me.body.agency.id}`, {
        agencyName: me.body.agency.name,
        reviewBody: '示范市人民政府',
        court: '示范市中级人民法院',
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      await admin.context().close();
    }

    // a case received today, with a 补正 step
    const created = await postCase(
      page,
      {
        name: '文书测试申请人',
        identityNumber: '110101199001017777',
        phone: '13800000007',
        description: '本区2026年度道路维修工程清单',
        arrivedOn: today,
      },
      { form: '电子文档', channel: '电子邮件' },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.case.id;
    const step = await api(page, 'POST', `/api/cases/${encodeURIComponent(id)}/events`, {
      type: 'correctionNotice',
      on: today,
      deadline: addDays(today, 15),
      items: '请说明所需道路维修工程的路段范围。',
    });
    expect(step.status, JSON.stringify(step.body)).toBe(200);

    // the case page lists the receipt and the 补正告知书, neither issued
    await page.goto(`${app.url}/cases/${encodeURIComponent(id)}`);
    const card = page.getByTestId('notices-card');
    await card.getByTestId('notice-step-1').waitFor();
    expect(await card.getByTestId('notice-step-0').textContent()).toContain('登记回执');
    expect(await card.getByTestId('notice-step-1').textContent()).toContain('补正告知书');
    expect(await card.getByTestId('notice-unissued-1').textContent()).toContain('未发文');

    // 起草: the draft as it will print, prefilled from the step
    await card.getByTestId('notice-draft-1').click();
    const drawer = page.getByTestId('notice-drawer');
    const paper = drawer.getByTestId('notice-paper');
    await paper.waitFor({ timeout: 15_000 });
    expect(await paper.getByTestId('notice-paper-title').textContent()).toContain('补正告知书');
    expect(await paper.getByTestId('notice-paper-number').textContent()).toBe('（发文时编号）');
    expect(await paper.textContent()).toContain('文书测试申请人');
    expect(await paper.textContent()).toContain('请说明所需道路维修工程的路段范围。');
    const field = drawer.getByTestId('notice-field-补正内容');
    expect(await field.inputValue()).toBe('请说明所需道路维修工程的路段范围。');
    // no identifier anywhere in the drawer
    const drawerText = (await drawer.textContent()) ?? '';
    expect(drawerText).not.toMatch(/correction|receipt|reply\.|\{\{|undefined|null/);

    // the case page with the drawer open: no critical or serious accessibility finding
    await settle(page);
    await axeCheck(page, 'case page with the notice drawer');

    // 补正内容 edited: the draft follows (after its pause)
    const edited = '一、所需信息涉及的具体路段名称；二、所需信息的时间范围（浏览器测试）。';
    await field.fill(edited);
    await expect
      .poll(async () => (await paper.getByTestId('notice-paper-body').textContent()) ?? '', { timeout: 15_000 })
      .toContain(edited);
    expect(await drawer.getByTestId('notice-problems').count()).toBe(0);

    // 发文 asks for confirmation, then the notice takes its number
    const issueButton = page.getByTestId('notice-issue');
    await expect.poll(() => issueButton.isEnabled(), { timeout: 15_000 }).toBe(true);
    await issueButton.click();
    const confirm = page.locator('.ant-popconfirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('发文后将生成文号，内容不可更改');
    await page.getByTestId('notice-issue-confirm').click();
    // 已发文 (the number taken in a write transaction: slow under load), or the drawer's error: which
    let shown = '';
    const outcome = await Promise.race([
      seeMessage(page, /已发文 \S+/, 60_000).then(async () => {
        // its text read at once (a message stays 3 s)
        shown = await page
          .locator('.ant-message-notice')
          .filter({ hasText: /已发文 \S+/ })
          .first()
          .innerText({ timeout: 2_000 });
        return 'issued';
      }),
      drawer
        .getByTestId('notice-issue-error')
        .waitFor({ timeout: 60_000 })
        .then(async () => `发文失败：${await drawer.getByTestId('notice-issue-error').innerText()}`),
    ]).catch(
      async (e: unknown) =>
        `neither 已发文 nor an error within 60 s; the confirmation ${(await confirm.isVisible()) ? 'still open' : 'closed'}, ` +
        `the 发文 button ${(await issueButton.getAttribute('class'))?.includes('loading') ? 'loading' : 'not loading'}: ${String(e).slice(0, 200)}`,
    );
    expect(outcome).toBe('issued');
    const list = await api<{ available: { seq: number; issued: Issued | null }[]; notices: Issued[] }>(
      page,
      'GET',
      `/api/cases/${encodeURIComponent(id)}/notices`,
    );
    const issued = list.body.available.find((a) => a.seq === 1)?.issued;
    expect(issued, JSON.stringify(list.body)).toBeTruthy();
    const number = (issued as Issued).number;
    expect(number).toMatch(/\d{4}/);
    expect(shown).toContain(`已发文 ${number}`);

    // the number on the card and on the timeline
    await expect.poll(async () => (await card.getByTestId('notice-step-1').textContent()) ?? '', { timeout: 15_000 }).toContain(number);
    expect(await card.getByTestId('notice-issued-1').textContent()).toBe(`已发文 ${number}（${today}）`);
    const entry = page.getByTestId(`timeline-notice-${(issued as Issued).id}`);
    await entry.waitFor({ timeout: 15_000 });
    expect(await entry.textContent()).toContain(`发出文书：补正告知书 ${number}`);
    expect(await entry.textContent()).toContain(today);

    // 下载 Word: a DOCX with the title, the edited text and the number
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      card.getByTestId(`notice-docx-${(issued as Issued).id}`).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    const path = await download.path();
    const bytes = new Uint8Array(readFileSync(path));
    expect(String.fromCharCode(bytes[0], bytes[1])).toBe('PK');
    const text = docxText(bytes);
    expect(text).toContain('补正告知书');
    expect(text).toContain(edited);
    expect(text).toContain(number);
    expect(text).not.toContain('草稿（未发文）');

    // at 375 px: the notices card and the timeline fit, and the drawer (重新发文) does not scroll sideways
    await page.setViewportSize({ width: 375, height: 740 });
    await card.getByTestId('notice-reissue-1').waitFor();
    await settle(page);
    expect(await outside(page, '[data-testid="notices-card"], [data-testid="case-timeline"]')).toEqual([]);
    await card.getByTestId('notice-reissue-1').click();
    await paper.waitFor({ timeout: 15_000 });
    await settle(page);
    const sizes = await page.evaluate(() => {
      const body = document.querySelector('.ant-drawer-open .ant-drawer-body') as HTMLElement | null;
      const panel = document.querySelector('.ant-drawer-open .ant-drawer-content-wrapper') as HTMLElement | null;
      return {
        bodyScroll: body?.scrollWidth ?? -1,
        bodyClient: body?.clientWidth ?? -1,
        panel: panel?.getBoundingClientRect().width ?? -1,
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      };
    });
    expect(sizes.bodyClient, JSON.stringify(sizes)).toBeGreaterThan(0);
    expect(sizes.bodyScroll, JSON.stringify(sizes)).toBeLessThanOrEqual(sizes.bodyClient);
    expect(sizes.panel, JSON.stringify(sizes)).toBeLessThanOrEqual(375);
    expect(sizes.page, JSON.stringify(sizes)).toBeLessThanOrEqual(0);
    // the reissue keeps the edited text and says which notice it replaces
    expect(await drawer.textContent()).toContain(number);
    expect(await drawer.getByTestId('notice-field-补正内容').inputValue()).toBe(edited);
    await page.keyboard.press('Escape');
    // the whole case page fits at 375 px (the skipped holidays of the due dates wrap)
    await drawer.waitFor({ state: 'hidden' });
    await noPageScroll(page, '案件页（375 px）');
    await page.context().close();
  });

  it('an administrator cannot save a template without the applicant’s rights', { timeout: 120_000 }, async () => {
    const page = await loginAs(app, 'admin');
    await page.getByRole('menuitem', { name: '文书设置' }).click();
    await page.getByTestId('notice-settings').waitFor();
    await page.getByTestId('notice-settings-save').waitFor();
    const templates = page.getByTestId('notice-templates');
    await templates.getByTestId('template-edit-reply.granted').waitFor();
    const pageText = (await page.locator('.nb-content').textContent()) ?? '';
    expect(pageText).toContain('行政复议机关');
    expect(pageText).toContain('予以公开');
    expect(pageText).not.toMatch(/reply\.|reviewBody|numberPattern|agencyName/);
    await axeCheck(page, '文书设置');

    // the 予以公开 answer without its rights paragraph ({{救济途径}}) is refused, in Chinese
    await templates.getByTestId('template-edit-reply.granted').click();
    const modal = page.getByTestId('template-modal');
    await modal.waitFor();
    const paragraphs = modal.locator('textarea[data-testid^="template-paragraph-"]');
    const values = await paragraphs.evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
    const rights = values.findIndex((v) => v.includes('{{救济途径}}'));
    expect(rights, JSON.stringify(values)).toBeGreaterThanOrEqual(0);
    await modal.getByTestId(`template-remove-${rights}`).click();
    expect(await paragraphs.count()).toBe(values.length - 1);
    await axeCheck(page, '文书模板编辑');
    await page.getByTestId('template-save').click();
    const problems = page.getByTestId('template-problems');
    await problems.waitFor({ timeout: 15_000 });
    expect(await problems.textContent()).toContain('救济途径');
    expect(await problems.textContent()).toMatch(/[\u4e00-\u9fff]/);
    // still the default
    await page.locator('.ant-modal-close').click();
    expect(await templates.getByTestId('template-reply.granted').textContent()).toContain('默认');

    // 文书设置 at 360 px: no page-wide horizontal scrolling
    await page.setViewportSize({ width: 360, height: 740 });
    await noPageScroll(page, '文书设置（360 px）');
    await page.context().close();
  });

  it('the register exported as Excel from the list, and the file imported again adds nothing', { timeout: 120_000 }, async () => {
    const page = await loginAs(app, 'clerk');
    await page.getByRole('menuitem', { name: '依申请登记' }).click();
    await page.getByTestId('case-table').waitFor();
    await page.getByTestId('ledger-export').click();
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByTestId('ledger-export-xlsx-cases').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = await download.path();
    const bytes = new Uint8Array(readFileSync(file));
    expect(String.fromCharCode(bytes[0], bytes[1])).toBe('PK');

    // the same file imported again: checked first, every row already in the register, nothing to import
    await page.getByTestId('ledger-import-open').click();
    const drawer = page.getByTestId('ledger-import');
    await drawer.waitFor();
    await drawer
      .locator('input[type=file]')
      .setInputFiles({ name: download.suggestedFilename(), mimeType: XLSX, buffer: Buffer.from(bytes) });
    const summary = drawer.getByTestId('ledger-summary');
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.textContent()).toContain('新增 0');
    expect(await summary.textContent()).toMatch(/已存在 [1-9]/);
    expect(await page.getByTestId('ledger-import-submit').isDisabled()).toBe(true);
    expect(await page.getByTestId('ledger-import-submit').textContent()).toContain('导入 0 条');
    const mapping = (await drawer.getByTestId('ledger-mapping').textContent()) ?? '';
    expect(mapping).toContain('必填');
    expect(mapping).not.toMatch(/applicant|receivedOn|arrivedOn|undefined/);
    expect(await drawer.getByTestId('ledger-rows').textContent()).toContain('已存在');
    await axeCheck(page, '导入台账');
    // at 360 px the drawer does not scroll sideways: its tables scroll inside their own container
    await page.setViewportSize({ width: 360, height: 740 });
    await settle(page);
    const sizes = await page.evaluate(() => {
      const body = document.querySelector('.ant-drawer-open .ant-drawer-body') as HTMLElement | null;
      return { scroll: body?.scrollWidth ?? -1, client: body?.clientWidth ?? -1 };
    });
    expect(sizes.client, JSON.stringify(sizes)).toBeGreaterThan(0);
    expect(sizes.scroll, JSON.stringify(sizes)).toBeLessThanOrEqual(sizes.client);
    await page.keyboard.press('Escape');

    // at 360 px the buttons of the list (导出台账, 导入台账, 新增申请) wrap within the window
    await drawer.waitFor({ state: 'hidden' });
    await settle(page);
    expect(await outside(page, '.nb-page-header')).toEqual([]);
    // and the list itself: its table scrolls inside its card, the status filter inside itself
    await noPageScroll(page, '依申请登记（360 px）');
    await page.context().close();
  });
});
