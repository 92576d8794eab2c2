/**
 * Render throughput per output format on one core (reports/s) for the seeds
 * and the two sample reports. Run: npm run bench
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Bench } from 'tinybench';
import { parseBytes } from '../src/parse.js';
import { type RenderFormat, render } from '../src/render/index.js';
import { sampleReport2019, sampleReport2021 } from '../test/helpers/arbitrary.js';

// the published reports copied into the repository (test/fixtures/README.md)
const shared = resolve(import.meta.dirname, '../test/fixtures');
const seedsDir = join(shared, 'seeds');
const seeds = readdirSync(seedsDir).filter((f) => f.endsWith('.txt'));
const reports = [
  sampleReport2021(),
  sampleReport2019(),
  ...(await Promise.all(seeds.map((f) => parseBytes(new Uint8Array(readFileSync(join(seedsDir, f))), f)))),
];

console.log('| format | reports | reports/s (1 core) | mean output |');
console.log('|---|---|---|---|');
for (const to of ['html', 'md', 'docx', 'xlsx', 'pdf'] as RenderFormat[]) {
  let bytes = 0;
  try {
    for (const r of reports) bytes += (await render(r, to, {})).length;
  } catch (e) {
    console.log(`| ${to} | — | not available: ${(e as Error).message.split('\n')[0]} | |`);
    continue;
  }
  const bench = new Bench({ time: to === 'pdf' ? 4000 : 2000, warmupTime: 300 });
  bench.add(to, async () => {
    for (const r of reports) await render(r, to, {});
  });
  await bench.run();
  const t = bench.tasks[0].result;
  if (t?.state !== 'completed') throw new Error(`${to}: benchmark failed`);
  const rps = reports.length / (t.latency.mean / 1000);
  console.log(`| ${to} | ${reports.length} | ${rps.toFixed(0)} | ${(bytes / reports.length / 1024).toFixed(1)} KB |`);
}
