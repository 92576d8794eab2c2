/**
 * Parse throughput per input kind on one core: reports/s, MB/s and peak memory.
 * Inputs: the seeds (text), the corpus PDFs, the seeds and a sample report
 * rendered as HTML, DOCX and XLSX by the test variant generators, and the .doc
 * test fixtures.
 * Each kind is timed by passes over all its files; the median pass gives reports/s.
 * Run: npm run bench   (results go to stdout; record them in docs/benchmarks.md)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Bench } from 'tinybench';
import { parseBytes } from '../src/parse.js';
import { sampleReport2019, sampleReport2021 } from '../test/helpers/arbitrary.js';
import { toDocx, toHtml, toText, toXlsx } from '../test/helpers/variants.js';

// the published reports copied into the repository (test/fixtures/README.md)
const shared = resolve(import.meta.dirname, '../test/fixtures');
const seedsDir = join(shared, 'seeds');
const pdfDir = join(shared, 'corpus/pdf');
const docDir = resolve(import.meta.dirname, '../test/fixtures/doc');

const enc = new TextEncoder();
const seeds = readdirSync(seedsDir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(seedsDir, f)) as Buffer) }));
const reports = [sampleReport2021(), sampleReport2019(), ...(await Promise.all(seeds.map((s) => parseBytes(s.bytes, s.name))))];

const inputs: Record<string, { name: string; bytes: Uint8Array }[]> = {
  text: [...seeds, ...reports.slice(0, 2).map((r, i) => ({ name: `sample${i}.txt`, bytes: enc.encode(toText(r, 'tabs')) }))],
  html: reports.map((r, i) => ({ name: `r${i}.html`, bytes: enc.encode(toHtml(r, { chrome: true, brInLabels: true })) })),
  docx: await Promise.all(reports.map(async (r, i) => ({ name: `r${i}.docx`, bytes: await toDocx(r) }))),
  xlsx: await Promise.all(reports.map(async (r, i) => ({ name: `r${i}.xlsx`, bytes: await toXlsx(r) }))),
  // legacy Word: LibreOffice's .doc of two seeds and the corpus template (test fixtures)
  doc: readdirSync(docDir)
    .filter((f) => f.endsWith('.doc'))
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(docDir, f)) as Buffer) })),
  pdf: readdirSync(pdfDir)
    .filter((f) => f.endsWith('.pdf'))
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(pdfDir, f)) as Buffer) })),
};

let peak = 0;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage().rss);
};
const timer = setInterval(sample, 5);

const rows: string[] = [];
for (const [kind, files] of Object.entries(inputs)) {
  const bench = new Bench({ time: kind === 'pdf' ? 4000 : 2000, warmupTime: 300 });
  const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
  bench.add(kind, async () => {
    for (const f of files) await parseBytes(f.bytes, f.name);
    sample();
  });
  peak = 0;
  await bench.run();
  const t = bench.tasks[0].result;
  if (t?.state !== 'completed') throw new Error(`${kind}: benchmark failed`);
  // the median pass: on a shared virtual machine single passes are slowed by other tenants and GC pauses
  const perSet = t.latency.p50 / 1000; // seconds per pass over all files
  const rps = files.length / perSet;
  const mbps = bytes / 1024 / 1024 / perSet;
  rows.push(
    `| ${kind} | ${files.length} | ${(bytes / files.length / 1024).toFixed(1)} KB | ${rps.toFixed(0)} | ${mbps.toFixed(2)} | ${(peak / 1024 / 1024).toFixed(0)} MB |`,
  );
}
clearInterval(timer);
console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
console.log('| kind | files | mean size | reports/s (1 core) | MB/s | peak RSS |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
