/**
 * The register's corrections in a real browser (issue 12): a case received today gets its reply due
 * date, marked 暂定 exactly when the server says it is provisional; an extension and a reply are
 * recorded (the reply only after its confirmation, Enter in a field never sends it) and the reply is
 * voided, which opens the case again. An administrator enters next year's holiday notice on 放假安排
 * and sees the open cases recomputed. Runs the built app through `nianbao serve --demo` in headless
 * Chromium, like app.test.ts.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { choose, HAVE_CHROMIUM, loginAs, seeMessage, shanghaiToday } from './harness.js';
import { setDate, submitNewCase, suiteApp } from './helpers-vitest.js';

/** the case id of the case page shown */
function caseIdOf(page: Page): string {
  const m = /\/cases\/([^/?#]+)/.exec(page.url());
  if (!m) throw new Error(`not a case page: ${page.url()}`);
  return decodeURIComponent(m[1]);
}

/** a 2027 notice in the style of the 国务院办公厅 (the real one is not out yet) */
const NOTICE_2027 = `国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕12号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。2月14日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。

国务院办公厅
2026年11月10日
`;

describe.skipIf(!HAVE_CHROMIUM)('register corrections and holiday notices in Chromium', () => {
  const app = suiteApp();
  /** the case registered by the clerk: open again after its reply was voided */
  let registered: string | null = null;

  it('registers a case received today, records an extension and a reply, and voids the reply', { timeout: 180_000 }, async () => {
    const today = shanghaiToday();
    const page = await loginAs(app, 'clerk');
    await submitNewCase(page, {
      name: '作废测试申请人',
      identityNumber: '110101199001018888',
      phone: '13800000001',
      description: '本区2026年度老旧小区改造项目清单',
      arrivedOn: today,
    });
    await seeMessage(page, /已登记申请 \d{4}-\d{3}/);
    await page.waitForURL(/\/cases\/[^/?]+/, { timeout: 30_000 });
    const id = caseIdOf(page);
    registered = id;

    // the case page opens with its reply due date, 暂定 exactly when the server says so
    await page.getByTestId('due-explanation').waitFor();
    const api = await (await page.request.get(`${app.url}/api/cases/${encodeURIComponent(id)}`)).json();
    expect(api.case.receivedOn).toBe(today);
    expect(api.due.replyDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const reply = page.getByTestId('due-reply');
    expect(await reply.textContent()).toContain(api.due.replyDue);
    expect(await reply.getByTestId('provisional-tag').count()).toBe(api.due.provisional.replyDue ? 1 : 0);
    expect(await page.getByTestId('case-status').textContent()).toContain('办理中');

    // an extension: recorded with its success message
    await page.getByTestId('event-type-extension').click();
    const ext = page.getByTestId('event-form-extension');
    await ext.getByTestId('event-days').fill('10');
    await ext.getByTestId('event-approver').fill('李主任');
    await ext.getByTestId('event-notified').check();
    await ext.getByTestId('event-submit').click();
    await seeMessage(page, '已登记：延期答复');
    await page.getByTestId('timeline-event-1').waitFor();

    // a reply: Enter in its date field does not send it; the button asks for confirmation first
    await page.getByTestId('event-type-reply').click();
    const form = page.getByTestId('event-form-reply');
    await choose(page, form.getByTestId('event-outcome'), '（一）予以公开');
    await setDate(page, form.getByTestId('event-on'), today);
    await page.getByTestId('event-note').click();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(800);
    expect(await page.locator('.ant-modal-confirm').count()).toBe(0);
    expect(await page.getByTestId('timeline-event-2').count()).toBe(0);
    await form.getByTestId('event-submit').click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('办结');
    await page.getByTestId('event-confirm').click();
    await seeMessage(page, '已登记：答复');
    await expect.poll(async () => (await page.getByTestId('case-status').textContent()) ?? '', { timeout: 15_000 }).toContain('已办结');

    // void the reply: the case is open again, the reply struck through with who, when and why
    await page.getByTestId('timeline-event-2').waitFor();
    await page.getByTestId('void-event-2').click();
    await page.getByTestId('void-reason').fill('答复书尚未送达，误登记');
    await page.getByTestId('void-confirm').click();
    await seeMessage(page, '已作废');
    await expect.poll(async () => (await page.getByTestId('case-status').textContent()) ?? '', { timeout: 15_000 }).not.toContain('已办结');
    expect(await page.getByTestId('case-status').textContent()).toContain('办理中');
    const voided = page.getByTestId('timeline-event-2');
    expect(await voided.getAttribute('data-voided')).toBe('true');
    expect(await voided.locator('del').count()).toBe(1);
    expect(await page.getByTestId('timeline-voided-2').textContent()).toContain('理由：答复书尚未送达，误登记');
    expect(await page.getByTestId('timeline-voided-2').textContent()).toContain('张三');
    expect(await page.getByTestId('case-timeline').textContent()).toContain('作废事件');
    // the extension can still be voided, the voided reply cannot
    expect(await page.getByTestId('void-event-1').count()).toBe(1);
    expect(await page.getByTestId('void-event-2').count()).toBe(0);
    // the reply form is offered again
    expect(await page.getByTestId('event-type-reply').locator('xpath=ancestor::label[1]').getAttribute('class')).not.toContain('disabled');

    // a correction of the application: only the changed field is sent, the old value stays on the timeline
    await page.getByTestId('amend-case').click();
    await page.getByTestId('amend-form').waitFor();
    await page.getByTestId('amend-phone').fill('13900000002');
    await page.getByTestId('amend-reason').fill('联系电话登记错误');
    await page.getByTestId('amend-submit').click();
    await seeMessage(page, '已更正申请信息');
    await expect.poll(async () => (await page.getByTestId('case-info').textContent()) ?? '').toContain('13900000002');
    const timeline = (await page.getByTestId('case-timeline').textContent()) ?? '';
    expect(timeline).toContain('更正申请信息');
    expect(timeline).toContain('13800000001 → 13900000002');
    expect(timeline).toContain('理由：联系电话登记错误');
    await page.context().close();
  });

  it('an administrator enters the 2027 notice on 放假安排 and sees the open cases recomputed', { timeout: 180_000 }, async () => {
    const page = await loginAs(app, 'admin');
    await page.getByRole('menuitem', { name: '放假安排' }).click();
    await page.getByTestId('holiday-years').waitFor();
    const row = page.getByTestId('holiday-year-2027');
    await row.waitFor();
    expect(await row.textContent()).toContain('暂定');
    expect(await page.getByTestId('holiday-year-2026').textContent()).toContain('随软件提供');

    // every field of the entry form has a label
    const unlabelled = await page
      .getByTestId('holiday-form')
      .evaluate((f) =>
        [...f.querySelectorAll('input:not([type=hidden]), textarea')]
          .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
          .map((el) => el.outerHTML),
      );
    expect(unlabelled).toEqual([]);

    await page.getByTestId('holiday-text').fill(NOTICE_2027);
    await page.getByTestId('holiday-preview-button').click();
    const preview = page.getByTestId('holiday-preview');
    await preview.waitFor({ timeout: 15_000 });
    expect(await preview.textContent()).toContain('国务院办公厅关于2027年部分节假日安排的通知');
    const off = (await page.getByTestId('holiday-days-off').textContent()) ?? '';
    expect(off).toContain('2027-01-01');
    expect(off).toContain('元旦');
    expect(off).toContain('2027-10-07');
    expect(off).toContain('星期五');
    const makeUp = (await page.getByTestId('holiday-makeup').textContent()) ?? '';
    expect(makeUp).toContain('2027-02-14');
    expect(makeUp).toContain('2027-10-09');
    expect(await page.getByTestId('holiday-preview-current').textContent()).toContain('暂定');

    await page.getByTestId('holiday-import').click();
    const result = page.getByTestId('holiday-result');
    await result.waitFor({ timeout: 30_000 });
    await seeMessage(page, '已录入 2027 年放假安排');
    expect(await page.getByTestId('holiday-result-summary').textContent()).toMatch(/重新计算了 \d+ 件办理中的申请/);
    await expect.poll(async () => (await page.getByTestId('holiday-year-2027').textContent()) ?? '').toContain('管理员录入');
    expect(await page.getByTestId('holiday-year-2027').textContent()).toContain('系统管理员');

    // the clerk's case (open again, due in 2027) is among those recomputed, linked to its page
    const list = page.getByTestId('holiday-recalculated');
    if (registered) {
      const link = list.getByRole('link', { name: `申请 ${registered}`, exact: true });
      await link.waitFor();
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^/cases/${registered}\\?agencyId=\\d+$`));
      await link.click();
      await page.getByTestId('case-timeline').waitFor();
      await expect.poll(async () => (await page.getByTestId('case-timeline').textContent()) ?? '').toContain('重新计算期限');
      // the reply due date is no longer provisional
      await page.getByTestId('due-reply').waitFor();
      expect(await page.getByTestId('due-reply').getByTestId('provisional-tag').count()).toBe(0);
    }
    await page.context().close();
  });

  it('放假安排 is readable at 360 px: no page-wide horizontal scrolling', async () => {
    const page = await loginAs(app, 'reviewer');
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${app.url}/holidays`);
    await page.getByTestId('holiday-years').waitFor();
    // a reviewer sees the years but not the entry form
    expect(await page.getByTestId('holiday-entry').count()).toBe(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
