/**
 * Render throughput per output format on one core (reports/s) for the seeds
 * and the two sample reports. Run: npm run bench
 *
 * HTML, Markdown, DOCX and XLSX: tinybench, wall time. PDF is measured apart, in
 * CPU time (process.cpuUsage), so that other processes on the machine change the
 * numbers less:
 * - the first document of a process (fonts read and parsed, pdfmake loaded), in a
 *   fresh child process;
 * - the steady state of a server that renders many PDFs: every report rendered
 *   once to warm up, then round after round for at least 4 s of CPU;
 * - RSS over 200 renders (a server process must stay flat).
 * The load average is printed with them.
 *
 * NIANBAO_BENCH_PDF_MODULE=path/to/pdf.ts measures the renderPdf of another copy
 * of the renderer (e.g. an older version) in the same way;
 * NIANBAO_BENCH_PDF_RSS_RENDERS=N renders N times for the RSS column (0: left out).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import type { Report } from '../src/model/report.js';
import { parseBytes } from '../src/parse.js';
import { type RenderFormat, render } from '../src/render/index.js';
import { sampleReport2019, sampleReport2021 } from '../test/helpers/arbitrary.js';

type RenderPdf = (report: Report) => Promise<Uint8Array>;

/** renderPdf of this renderer, or of the module NIANBAO_BENCH_PDF_MODULE names */
async function pdfRenderer(): Promise<RenderPdf> {
  const other = process.env.NIANBAO_BENCH_PDF_MODULE;
  if (!other) return (report) => render(report, 'pdf', {});
  const mod = (await import(pathToFileURL(resolve(other)).href)) as { renderPdf: RenderPdf };
  return (report) => mod.renderPdf(report);
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

// the child process that measures the first document (see firstDocument)
if (process.argv.includes('--first-pdf')) {
  const renderPdf = await pdfRenderer();
  const report = sampleReport2021();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await renderPdf(report);
  const out = { cpu: cpuMs(c0), wall: performance.now() - t0, rss: process.memoryUsage().rss };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

// the published reports copied into the repository (test/fixtures/README.md)
const shared = resolve(import.meta.dirname, '../test/fixtures');
const seedsDir = join(shared, 'seeds');
const seeds = readdirSync(seedsDir).filter((f) => f.endsWith('.txt'));
const reports = [
  sampleReport2021(),
  sampleReport2019(),
  ...(await Promise.all(seeds.map((f) => parseBytes(new Uint8Array(readFileSync(join(seedsDir, f))), f)))),
];

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

console.log(`load average at start: ${load()}`);
console.log('');
console.log('| format | reports | reports/s (1 core) | mean output |');
console.log('|---|---|---|---|');
for (const to of ['html', 'md', 'docx', 'xlsx'] as RenderFormat[]) {
  let bytes = 0;
  try {
    for (const r of reports) bytes += (await render(r, to, {})).length;
  } catch (e) {
    console.log(`| ${to} | — | not available: ${(e as Error).message.split('\n')[0]} | |`);
    continue;
  }
  const bench = new Bench({ time: 2000, warmupTime: 300 });
  bench.add(to, async () => {
    for (const r of reports) await render(r, to, {});
  });
  await bench.run();
  const t = bench.tasks[0].result;
  if (t?.state !== 'completed') throw new Error(`${to}: benchmark failed`);
  const rps = reports.length / (t.latency.mean / 1000);
  console.log(`| ${to} | ${reports.length} | ${rps.toFixed(0)} | ${(bytes / reports.length / 1024).toFixed(1)} KB |`);
}

// ---------------------------------------------------------------------------
// PDF

/** the first document of a fresh process (the same tsx loader as this one) */
function firstDocument(): { cpu: number; wall: number; rss: number } {
  const out = execFileSync(process.execPath, [...process.execArgv, import.meta.filename, '--first-pdf'], {
    encoding: 'utf8',
    env: process.env,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const renderPdf = await pdfRenderer();
let first: { cpu: number; wall: number; rss: number } | string;
try {
  first = firstDocument();
} catch (e) {
  first = `not available: ${(e as Error).message.split('\n')[0]}`;
}
if (typeof first === 'string') console.log(`\n| pdf | — | ${first} |`);
else {
  // warm-up: every report once
  let bytes = 0;
  for (const r of reports) bytes += (await renderPdf(r)).length;
  const loadBefore = load();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  while (n < reports.length * 2 || cpuMs(c0) < 4000) {
    for (const r of reports) await renderPdf(r);
    n += reports.length;
  }
  const cpu = cpuMs(c0) / n;
  const wall = (performance.now() - t0) / n;
  // RSS over 200 renders, sampled every 20
  const renders = Number(process.env.NIANBAO_BENCH_PDF_RSS_RENDERS ?? 200);
  const rss: number[] = [];
  for (let i = 1; i <= renders; i++) {
    await renderPdf(reports[i % reports.length]);
    if (i % 20 === 0) rss.push(process.memoryUsage().rss / 2 ** 20);
  }
  const mb = (v: number) => `${v.toFixed(0)} MB`;
  const rssColumn = rss.length ? `${mb(rss[0])} → ${mb(rss[rss.length - 1])} (${mb(Math.max(...rss))})` : '—';
  console.log('');
  console.log(
    `| pdf | reports | steady: CPU ms/report | steady: reports/s (CPU, 1 core) | steady: wall ms/report | first document: CPU / wall | mean output | RSS after 20 → ${renders} renders (max) | load average |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  console.log(
    `| pdf | ${reports.length} × ${n / reports.length} | ${cpu.toFixed(1)} | ${(1000 / cpu).toFixed(1)} | ${wall.toFixed(1)} | ` +
      `${(first.cpu / 1000).toFixed(2)} s / ${(first.wall / 1000).toFixed(2)} s | ${(bytes / reports.length / 1024).toFixed(1)} KB | ` +
      `${rssColumn} | ${loadBefore} → ${load()} |`,
  );
}
