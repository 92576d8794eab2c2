import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseBytes } from '../src/parse.js';
import { CHROMIUM, HAVE_CHROMIUM, startApp } from '../test/browser/harness.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = resolve(process.env.SCREENSHOTS_DIR ?? join(ROOT, 'docs/screenshots'));
const DEMO = join(ROOT, 'examples/demo');
const VIEWPORT = { width: 1440, height: 900 };

function log(s: string): void {
  process.stdout.write(`${s}\n`);
}

function demoFile(prefix: string): string {
  const f = readdirSync(DEMO).find((n) => n.startsWith(prefix) && n.endsWith('.txt'));
  if (!f) throw new Error(`examples/demo/${prefix}*.txt is missing`);
  return join(DEMO, f);
}

/** the text of a demo report with the 总计 of 表二 one too many, and that cell's line */
async function wrongTotal(): Promise<{ text: string; line: number }> {
  const file = demoFile('001_');
  const bytes = readFileSync(file);
  const report = await parseBytes(new Uint8Array(bytes), file);
  const o = report.provenance?.['applications.outcomeTotal.total'];
  if (o?.prov.kind !== 'text') throw new Error('no text provenance for the 总计 of 表二');
  const { line, column } = o.prov as { line: number; column: number };
  const lines = bytes.toString('utf8').split('\n');
  const l = lines[line - 1];
  lines[line - 1] = l.slice(0, column - 1) + String(Number(o.raw) + 1) + l.slice(column - 1 + o.raw.length);
  return { text: lines.join('\n'), line };
}

class Shooter {
  constructor(
    readonly browser: Browser,
    readonly url: string,
  ) {}

  async page(): Promise<Page> {
    const context = await this.browser.newContext({ locale: 'zh-CN', viewport: VIEWPORT, deviceScaleFactor: 1 });
    return context.newPage();
  }

  async login(username: string): Promise<Page> {
    const page = await this.page();
    await page.goto(`${this.url}/`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(`${username}-demo`);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user-name').waitFor();
    return page;
  }

  async shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
    // no hover tooltips; let charts finish their animation, spinners go, and fonts settle
    await page.mouse.move(VIEWPORT.width - 1, VIEWPORT.height - 1);
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(900);
    const path = join(OUT, `${name}.png`);
    await page.screenshot({ path, fullPage: opts.fullPage ?? false });
    log(`  ${name}.png`);
  }
}

async function main(): Promise<void> {
  if (!HAVE_CHROMIUM) throw new Error(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
  mkdirSync(OUT, { recursive: true });
  const app = await startApp({ chromiumArgs: ['--font-render-hinting=none'] });
  const url = app.url;
  try {
    const s = new Shooter(app.browser, url);
    log(`${url} → ${OUT}`);

    // 登录
    {
      const page = await s.page();
      await page.goto(`${url}/`);
      await page.getByTestId('login-username').waitFor();
      await s.shot(page, '01-login');
      await page.context().close();
    }

    // 经办人（东区）: 概览, 检查年报, 依申请登记, 一件申请, 年报编制
    {
      const page = await s.login('clerk');
      await page.getByTestId('home-urgent').locator('.nb-list-item').first().waitFor();
      await s.shot(page, '02-home-clerk');

      // 检查年报: a demo report with a wrong label in 表一
      await page.goto(`${url}/check`);
      await page.getByTestId('upload-input').setInputFiles(demoFile('004_'));
      await page.getByTestId('check-button').click();
      await page.getByTestId('diagnostics-table').waitFor();
      await page.locator('[data-testid^="diagnostic-"]').first().click();
      await page.getByTestId('source-origin').waitFor();
      await page.evaluate(() => {
        const table = document.querySelector('[data-testid="diagnostics-table"]');
        const card = table?.closest('.ant-card') ?? table;
        if (card) window.scrollTo(0, card.getBoundingClientRect().top + window.scrollY - 80);
      });
      await s.shot(page, '03-check-labels');

      // 检查年报: pasted text whose 总计 of 表二 is one too many, the wrong cell selected
      const { text, line } = await wrongTotal();
      await page.goto(`${url}/check`);
      await page.getByRole('tab', { name: '粘贴文本' }).click();
      await page.getByTestId('paste-textarea').fill(text);
      await page.getByTestId('check-button').click();
      const cell = page.getByTestId('cell-applications.outcomeTotal.total');
      await cell.waitFor();
      await cell.scrollIntoViewIfNeeded();
      await cell.click();
      await page
        .getByTestId('source-origin')
        .filter({ hasText: String(line) })
        .waitFor();
      await page.evaluate(() => window.scrollBy(0, -120));
      await s.shot(page, '04-check-arithmetic');

      // 依申请登记: the open cases, overdue and due-soon rows first
      await page.goto(`${url}/cases?status=open`);
      await page.getByTestId('case-table').locator('.ant-table-row').first().waitFor();
      // latest deadline first: the cases in time, then due soon, then overdue
      const sorter = page.getByTestId('case-table').locator('th', { hasText: '答复期限' });
      await sorter.click();
      await sorter.click();
      await s.shot(page, '05-cases');

      // 一件申请: an open case with the most events
      const { cases } = (await (await page.request.get(`${url}/api/cases?status=open`)).json()) as {
        cases: { id: string; agencyId: string | number }[];
      };
      let best: { id: string; agencyId: string | number; n: number } | null = null;
      for (const c of cases.slice(0, 40)) {
        const d = (await (await page.request.get(`${url}/api/cases/${encodeURIComponent(c.id)}?agencyId=${c.agencyId}`)).json()) as {
          events: unknown[];
        };
        if (!best || d.events.length > best.n) best = { ...c, n: d.events.length };
      }
      if (!best) throw new Error('the demo register has no open case');
      await page.goto(`${url}/cases/${encodeURIComponent(best.id)}?agencyId=${best.agencyId}`);
      await page.getByTestId('due-explanation').waitFor();
      await s.shot(page, '06-case');

      // 年报编制: change a figure and let the live check run
      await page.goto(`${url}/compile`);
      await page.getByTestId('grid-applications').waitFor();
      const input = page
        .getByTestId('field-proactive.regulations.issued')
        .locator('input')
        .or(page.locator('input[data-testid="field-proactive.regulations.issued"]'))
        .first();
      await input.fill('3');
      await page.waitForTimeout(1500);
      await s.shot(page, '07-compile');
      await page.context().close();
    }

    // 审核人（示范市）: 报告库, 统计图表
    {
      const page = await s.login('reviewer');
      await page.goto(`${url}/library`);
      await page.getByTestId('library-table').locator('.ant-table-row').first().waitFor();
      await s.shot(page, '08-library');
      await page.goto(`${url}/library?tab=charts`);
      await page.getByTestId('library-charts').waitFor();
      await page.waitForTimeout(1200);
      await s.shot(page, '09-library-charts');
      // 批量检查: the five example reports at once, one of them opened below
      await page.goto(`${url}/check`);
      const demo = join(ROOT, 'examples', 'demo');
      const batch = readdirSync(demo)
        .filter((f) => f.endsWith('.txt'))
        .map((f) => join(demo, f));
      await page.getByTestId('upload-input').setInputFiles(batch);
      await page.getByTestId('check-button').click();
      await page.getByText(`已完成 ${batch.length} 个`).waitFor({ timeout: 60_000 });
      await page.getByTestId('batch-results').scrollIntoViewIfNeeded();
      await page.waitForTimeout(600);
      await s.shot(page, '11-check-batch');
      await page.context().close();
    }

    // 管理员: 用户管理
    {
      const page = await s.login('admin');
      await page.goto(`${url}/users`);
      await page.getByTestId('users-table').locator('.ant-table-row').first().waitFor();
      await s.shot(page, '10-users');
      await page.context().close();
    }
  } finally {
    await app.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
