import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests that measure the server's responsiveness run alone, after every other file, so that the
 * rest of the suite does not compete with them for the cores.
 */
const ALONE = ['test/server/hostile.test.ts'];

/**
 * The browser tests (a server and Chromium each) run one file at a time after the other files:
 * two of them side by side on two cores let a step wait past its time limit (a confirmation's
 * request still open after 30 s).
 */
const BROWSER = ['test/browser/**/*.test.ts'];

/**
 * The other files run two at a time even on two cores (vitest's default is one fewer than the
 * cores): most of them wait on a server, a child process or the disk for much of their time.
 */
const PARALLEL = Math.max(2, availableParallelism() - 1);

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: PARALLEL,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ALONE, ...BROWSER],
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'browser', include: BROWSER, maxWorkers: 1, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 2 } } },
    ],
  },
});
