/**
 * The JavaScript of the web app's first load, from the built app's Vite manifest (dist/web, built
 * by `npm run build:web`; `npm test` builds it first): the login page stays under 150 KB gzip (it
 * loads no antd: that comes with the frame once logged in), every page is its own chunk loaded
 * when opened, and no page loads echarts unless it draws a chart. scripts/bundle-sizes.ts prints
 * the table of docs/benchmarks.md ("Web app bundle").
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST_WEB, manifestPath, pageBundles } from '../scripts/bundle-sizes.js';

const LOGIN_BUDGET = 150 * 1024;
const HAVE_BUILD = existsSync(manifestPath());

if (!HAVE_BUILD)
  process.stderr.write(
    '跳过 / skipped: 网页包大小：没有 dist/web/.vite/manifest.json（先运行 npm run build:web） / web bundle sizes: no dist/web/.vite/manifest.json (run npm run build:web first)\n',
  );

describe.skipIf(!HAVE_BUILD)('the web app bundle (dist/web)', () => {
  const bundles = HAVE_BUILD ? pageBundles() : [];

  it('the login page loads under 150 KB of JavaScript (gzip), and no antd', () => {
    const login = bundles.find((b) => b.route === '/login');
    expect(login, 'the /login route').toBeDefined();
    expect(login!.gzip, `the login page loads ${(login!.gzip / 1024).toFixed(1)} KB gzip: ${login!.files.join(', ')}`).toBeLessThan(
      LOGIN_BUDGET,
    );
    // the entry and the login page's chunk hold no antd component
    for (const f of login!.files) expect(readFileSync(join(DIST_WEB, f), 'utf8'), f).not.toMatch(/ant-(btn|form|layout|menu|table)\b/);
  });

  it('each page is a chunk of its own, loaded when opened: the entry holds none of them', () => {
    const manifest = JSON.parse(readFileSync(manifestPath(), 'utf8')) as Record<string, { isEntry?: boolean; isDynamicEntry?: boolean }>;
    const pages = Object.entries(manifest).filter(([k]) => /src\/pages\/.+Page\.tsx$/.test(k));
    expect(pages.length).toBeGreaterThan(10);
    for (const [k, c] of pages) expect(c.isDynamicEntry, k).toBe(true);
    // the pages inside the frame share the frame's chunk and load more than the login page
    const login = bundles.find((b) => b.route === '/login')!;
    for (const b of bundles) if (b.route !== '/login') expect(b.gzip, b.route).toBeGreaterThan(login.gzip);
  });

  it('echarts only with a page that draws a chart', () => {
    for (const b of bundles) {
      const echarts = b.files.some((f) => /echarts/.test(f));
      if (echarts) expect(['/library', '/supervise/rollup'], `${b.route} loads echarts`).toContain(b.route);
    }
  });
});
