/**
 * Accessibility and screenshots for the browser tests: axe-core (a devDependency; or AXE_CORE_PATH)
 * run on a page at rest, failing on any critical or serious violation; with NIANBAO_SCREENSHOTS=<dir>
 * (npm run docs:screenshots) the pages are also photographed for the docs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { HAVE_CHROMIUM } from './harness.js';

/** the source of axe-core, or null when it is not installed */
export function axeSource(): string | null {
  const candidates: string[] = [];
  try {
    candidates.push(createRequire(import.meta.url).resolve('axe-core/axe.min.js'));
  } catch {
    /* not installed */
  }
  if (process.env.AXE_CORE_PATH) candidates.push(process.env.AXE_CORE_PATH);
  for (const p of candidates) {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      /* next */
    }
  }
  return null;
}
export const AXE = axeSource();

if (HAVE_CHROMIUM && !AXE)
  process.stderr.write(
    '跳过无障碍检查 / accessibility checks skipped: 没有 axe-core（安装 axe-core 或设置 AXE_CORE_PATH） / axe-core not installed (or set AXE_CORE_PATH)\n',
  );

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * waits until no animation runs (colours measured at rest, not half-way through a fade-in): the
 * running animations that end (an endless one, a spinner, never finishes; a paused one never
 * resolves), and not longer than `capMs`
 */
export async function settle(page: Page, capMs = 5_000): Promise<void> {
  await page.evaluate(
    (cap) =>
      Promise.race([
        Promise.all(
          document
            .getAnimations()
            .filter((a) => a.playState === 'running' && Number.isFinite(Number(a.effect?.getComputedTiming().endTime)))
            .map((a) => a.finished.catch(() => undefined)),
        ),
        new Promise((r) => setTimeout(r, cap)),
      ]),
    capMs,
  );
}

/** with NIANBAO_SCREENSHOTS=<dir>, the pages are also photographed for the docs */
export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  const dir = process.env.NIANBAO_SCREENSHOTS;
  if (!dir) return;
  await settle(page);
  await page.screenshot({ path: join(dir, name), fullPage });
}

/** runs axe-core on the page: no critical or serious violation */
export async function axeCheck(page: Page, what: string): Promise<void> {
  if (!AXE) return;
  // evaluated through the protocol: the app's Content-Security-Policy refuses inline scripts
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  await settle(page);
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  })) as AxeViolation[];
  const bad = violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
  expect(bad, `${what}: ${JSON.stringify(bad, null, 2)}`).toEqual([]);
}
