/**
 * Two builds side by side: parses the files of DIR with build A's and build B's `dist/parse.js`
 * in one process, in interleaved rounds, and prints each build's fastest round (µs a report) and
 * the ratio B ÷ A. Interleaving in one process makes the comparison hold on a noisy machine,
 * where two runs minutes apart differ by a third.
 *
 * Usage: node bench/ab.mjs OLD_ROOT NEW_ROOT [DIR] [ROUNDS]
 *   e.g. git worktree add /tmp/old HEAD~3 && (cd /tmp/old && ln -s "$PWD/node_modules" . && npx tsc -p tsconfig.build.json)
 *        node bench/ab.mjs /tmp/old . test/fixtures/seeds
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [oldRoot, newRoot, dir = 'test/fixtures/seeds', roundsArg = '16'] = process.argv.slice(2);
if (!oldRoot || !newRoot) {
  console.error('usage: node bench/ab.mjs OLD_ROOT NEW_ROOT [DIR] [ROUNDS]');
  process.exit(2);
}
const load = (root) => import(pathToFileURL(resolve(root, 'dist/parse.js')).href);
const A = await load(oldRoot);
const B = await load(newRoot);
const files = readdirSync(dir)
  .map((f) => join(dir, f))
  .filter((p) => statSync(p).isFile())
  .map((p) => ({ name: p, bytes: new Uint8Array(readFileSync(p)) }));
const run = async (m, n) => {
  for (let i = 0; i < n; i++) for (const f of files) await m.parseBytes(f.bytes, f.name);
};
// warm-up: V8 optimises the parser after a few thousand reports
const warm = Math.ceil(3000 / files.length);
await run(A, warm);
await run(B, warm);
const per = Math.max(1, Math.ceil(500 / files.length));
const best = { A: Number.POSITIVE_INFINITY, B: Number.POSITIVE_INFINITY };
for (let r = 0; r < Number(roundsArg); r++) {
  for (const [k, m] of [
    ['A', A],
    ['B', B],
  ]) {
    const t = performance.now();
    await run(m, per);
    best[k] = Math.min(best[k], ((performance.now() - t) / (per * files.length)) * 1000);
  }
}
console.log(
  `${files.length} files: A (${oldRoot}) ${best.A.toFixed(1)} µs a report, B (${newRoot}) ${best.B.toFixed(1)} µs, B ÷ A = ${(best.B / best.A).toFixed(3)}`,
);
