/**
 * Child process of bench/national/sample.ts: renders its share of the sample's PDFs with our own
 * PDF renderer (src/render). Arguments: CACHE_DIR K PROCS — renders the jobs of
 * CACHE_DIR/pdf-jobs.jsonl whose line number ≡ K (mod PROCS), skipping files already there.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Report } from '../../src/model/report.js';
import { render } from '../../src/render/index.js';

const [dir, kArg, procsArg] = process.argv.slice(2);
const k = Number(kArg);
const procs = Number(procsArg);
const lines = readFileSync(join(dir, 'pdf-jobs.jsonl'), 'utf8').split('\n').filter(Boolean);
const mine = lines.filter((_, i) => i % procs === k);
const t0 = performance.now();
let done = 0;
for (const line of mine) {
  const { file, report } = JSON.parse(line) as { file: string; report: Report };
  const path = join(dir, 'reports', file);
  if (!existsSync(path)) {
    // force: the reports broken on purpose keep their wrong total (the renderer refuses them otherwise)
    const bytes = await render(report, 'pdf', { force: true });
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp-${process.pid}`, bytes);
    renameSync(`${path}.tmp-${process.pid}`, path);
  }
  done++;
  if (done % 50 === 0 || done === mine.length) {
    const s = (performance.now() - t0) / 1000;
    process.stderr.write(`render-pdfs ${k}/${procs}: ${done}/${mine.length} (${(done / s).toFixed(2)}/s)\n`);
  }
}
