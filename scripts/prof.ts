import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseBytes } from '../src/parse.js';

const dir = '../shared/seeds';
const files = readdirSync(dir).map((f) => ({ f, b: new Uint8Array(readFileSync(join(dir, f))) }));
const kind = process.argv[2] ?? 'text';
let inputs = files;
if (kind === 'html') {
  const { toHtml } = await import('../test/helpers/variants.js');
  const reps = await Promise.all(files.map((x) => parseBytes(x.b, x.f)));
  inputs = reps.map((r, i) => ({ f: `${i}.html`, b: new TextEncoder().encode(toHtml(r, { chrome: true, brInLabels: true })) }));
}
const t = performance.now();
let n = 0;
while (performance.now() - t < 3000) {
  for (const x of inputs) {
    await parseBytes(x.b, x.f);
    n++;
  }
}
console.log(kind, (n / ((performance.now() - t) / 1000)).toFixed(0), 'reports/s');
