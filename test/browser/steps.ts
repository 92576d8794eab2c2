import { onTestFailed } from 'vitest';

/**
 * names the steps of a long browser test: `await step('上传', async () => …)`. When the test fails
 * (a timeout too: the test's own limit names no line), stderr gets every step's seconds and the step
 * it was still in, so a slow step is found from one failed run.
 */
export function steps(): <T>(label: string, fn: () => Promise<T>) => Promise<T> {
  const done: string[] = [];
  let current: { label: string; t0: number } | null = null;
  const started = performance.now();
  onTestFailed(() => {
    const now = performance.now();
    process.stderr.write(
      `steps (${((now - started) / 1000).toFixed(1)} s in all): ${done.join('; ') || 'none done'}${
        current ? `; still in “${current.label}” after ${((now - current.t0) / 1000).toFixed(1)} s` : ''
      }\n`,
    );
  });
  return async (label, fn) => {
    current = { label, t0: performance.now() };
    const result = await fn();
    done.push(`${label} ${((performance.now() - current.t0) / 1000).toFixed(1)} s`);
    current = null;
    return result;
  };
}
