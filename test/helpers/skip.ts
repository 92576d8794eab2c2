/**
 * Skipping a test says why, on stderr, in the test's own output: a skipped test is never silent.
 */
import type { TestContext } from 'vitest';

/** prints the reason (Chinese and English) and skips the test when `condition` holds */
export function skipUnless(ctx: TestContext, condition: boolean, zh: string, en: string): void {
  if (condition) return;
  process.stderr.write(`跳过 / skipped: ${ctx.task.name} — ${zh} / ${en}\n`);
  ctx.skip(`${zh} / ${en}`);
}

/** for `describe.skipIf(…)`: prints the reason once when the block is skipped, and returns the condition */
export function skipping(condition: boolean, what: string, zh: string, en: string): boolean {
  if (condition) process.stderr.write(`跳过 / skipped: ${what} — ${zh} / ${en}\n`);
  return condition;
}
