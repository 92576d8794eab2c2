/**
 * Browser tests: the real app (`nianbao serve --demo`, built web app in dist/web) on loopback,
 * driven by playwright-core in Debian's headless Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH).
 * `.ci/run` installs Chromium; without it the browser tests are skipped with a notice.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
const ROOT = resolve(import.meta.dirname, '../..');

export interface App {
  url: string;
  browser: Browser;
  dir: string;
  stop(): Promise<void>;
}

/** `nianbao serve …` (the built bin) in a process of its own, once it prints its URL */
export async function startServerProcess(args: string[]): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const nodeArgs = process.env.HARNESS_NODE_ARGS ? process.env.HARNESS_NODE_ARGS.split(' ') : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, join(ROOT, 'bin/nianbao.js'), 'serve', '--port', '0', '--quiet', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start: ${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (b) => {
      out += b;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`server exited (${code}): ${out}`));
    });
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** starts `nianbao serve --demo` on a free port with a fresh database, and Chromium (with `chromiumArgs` added) */
export async function startApp(opts: { chromiumArgs?: string[] } = {}): Promise<App> {
  if (!existsSync(join(ROOT, 'dist/web/index.html'))) throw new Error('dist/web is missing: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-browser-'));
  const server = await startServerProcess(['--demo', '--db', join(dir, 'demo.db')]);
  const url = server.url;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(opts.chromiumArgs ?? []),
    ],
  });
  return {
    url,
    browser,
    dir,
    async stop() {
      await browser.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** a new page logged in as `username` (demo password `<username>-demo`) */
export async function loginAs(app: App, username: string): Promise<Page> {
  const context = await app.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${app.url}/`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(`${username}-demo`);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user-name').waitFor({ state: 'attached' });
  return page;
}

// the browser tests print this once each (a file without Chromium skips its suite)
if (!HAVE_CHROMIUM)
  process.stderr.write(
    '跳过 / skipped: 浏览器测试：没有 Chromium（/usr/bin/chromium，或设置 CHROMIUM_PATH） / browser tests: no Chromium at /usr/bin/chromium (set CHROMIUM_PATH)\n',
  );

/** today in China Standard Time, as the server counts it */
export function shanghaiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}

/** waits for an antd message containing `text` */
export async function seeMessage(page: Page, text: string | RegExp, timeout = 15_000): Promise<void> {
  await page.locator('.ant-message-notice').filter({ hasText: text }).first().waitFor({ timeout });
}

/** requests of a page in flight, and when the last one started or ended (`trackRequests`) */
const traffic = new WeakMap<Page, { inFlight: number; last: number }>();

/** counts `page`'s requests from now on, for `networkQuiet` */
export function trackRequests(page: Page): void {
  if (traffic.has(page)) return;
  const t = { inFlight: 0, last: Date.now() };
  traffic.set(page, t);
  page.on('request', () => {
    t.inFlight++;
    t.last = Date.now();
  });
  const done = () => {
    t.inFlight = Math.max(0, t.inFlight - 1);
    t.last = Date.now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
}

/**
 * waits until no request of `page` is in flight and none has started or ended for `quietMs`: the
 * page's code and data have arrived. Playwright's 'networkidle' waits 500 ms of quiet after every
 * load; here a page tracked with `trackRequests` waits `quietMs` (an untracked one: 'networkidle').
 */
export async function networkQuiet(page: Page, quietMs = 150, timeout = 30_000): Promise<void> {
  const t = traffic.get(page);
  if (!t) return page.waitForLoadState('networkidle', { timeout });
  const deadline = Date.now() + timeout;
  while (t.inFlight > 0 || Date.now() - t.last < quietMs) {
    if (Date.now() > deadline) throw new Error(`network not quiet after ${timeout} ms: ${t.inFlight} request(s) in flight`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** the page scrolls sideways by this many pixels (0: it does not) */
export function overflowOf(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * clicks `loc`; when it cannot be clicked, the error says why: its box over a few frames (does it
 * move?), its style, and the element on top of its middle (what covers it)
 */
export async function clickOrExplain(loc: Locator, timeout = 10_000): Promise<void> {
  try {
    await loc.click({ timeout });
  } catch (e) {
    const info = await loc.evaluate(async (el) => {
      const rects: string[] = [];
      let frames = 0;
      const t0 = performance.now();
      await new Promise<void>((res) => {
        const tick = () => {
          frames++;
          const r = el.getBoundingClientRect();
          rects.push(`${r.x.toFixed(2)},${r.y.toFixed(2)},${r.width.toFixed(2)}x${r.height.toFixed(2)}`);
          if (performance.now() - t0 < 1000 && frames < 20) requestAnimationFrame(tick);
          else res();
        };
        requestAnimationFrame(tick);
        setTimeout(res, 3000);
      });
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return {
        frames,
        ms: performance.now() - t0,
        rects: [...new Set(rects)],
        vis: cs.visibility,
        disp: cs.display,
        op: cs.opacity,
        disabled: (el as HTMLButtonElement).disabled,
        top: top?.outerHTML.slice(0, 200),
        hidden: document.hidden,
        vs: document.visibilityState,
        bodyStyle: document.body.getAttribute('style'),
        html: el.outerHTML.slice(0, 300),
      };
    });
    throw new Error(`unclickable: ${JSON.stringify(info, null, 1)}\n${String(e).slice(0, 300)}`);
  }
}

/**
 * Chooses `text` in the antd Select `select` and waits until the Select shows it (retried: on a busy
 * machine a click can land while the dropdown is still opening, and be lost).
 */
export async function choose(page: Page, select: Locator, text: string): Promise<void> {
  const root = select.locator('xpath=ancestor-or-self::*[contains(concat(" ", @class, " "), " ant-select ")][1]');
  const shown = root.locator(`[title="${text}"]`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      // open this Select's own dropdown (another one may still be closing)
      if (!((await root.getAttribute('class')) ?? '').includes('ant-select-open')) await select.click({ timeout: 5_000 });
      await page.locator(`.ant-select-item-option[title="${text}"]:visible`).first().click({ timeout: 5_000 });
      await shown.first().waitFor({ state: 'visible', timeout: 2_000 });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

/** a request of the API from the page's context: its cookies, and the CSRF token of /api/me */
export async function api<T>(
  page: Page,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  path: string,
  json?: unknown,
): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, path, json }) => {
      const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const headers: Record<string, string> = { 'X-CSRF-Token': me.csrfToken, Accept: 'application/json' };
      if (json !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(path, {
        method,
        headers,
        body: json === undefined ? undefined : JSON.stringify(json),
        credentials: 'same-origin',
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    { method, path, json },
  ) as Promise<{ status: number; body: T }>;
}

/** a natural person's application, received in person */
export interface NewCase {
  name: string;
  /** the number of the 居民身份证 */
  identityNumber: string;
  phone: string;
  description: string;
  arrivedOn: string;
}

/** registers `c` through the API (POST /api/cases), delivered in the form and by the channel of `delivery` */
export function postCase(
  page: Page,
  c: NewCase,
  delivery: { form: string; channel: string },
): Promise<{ status: number; body: { case: { id: string } } }> {
  return api<{ case: { id: string } }>(page, 'POST', '/api/cases', {
    applicant: {
      name: c.name,
      identity: { type: '居民身份证', number: c.identityNumber },
      contact: { phone: c.phone },
    },
    applicantType: 'naturalPerson',
    request: { description: c.description },
    delivery,
    receipt: { channel: 'inPerson', arrivedOn: c.arrivedOn },
  });
}
