/**
 * Checking throughput per input kind on one core: reports/s for parsing alone, checking alone and
 * parsing then checking, as `POST /api/check` and `nianbao check FILE` do (no last year's report,
 * no peers), and a run of the text reports checked with each other as peers (`nianbao check DIR`).
 *
 * Inputs: those of bench/parse.bench.ts — text = the five seeds and the two sample reports; HTML,
 * DOCX, XLSX = the seeds and the samples rendered by the test layouts; PDF = the three corpus PDFs.
 * Checking alone checks fresh copies of the parsed reports (the checker caches fingerprints per
 * report object, and a request checks a report it has just read), copied outside the timing.
 * Each measure is a number of passes over all the files of a kind; the median pass gives reports/s.
 *
 * Run: npx tsx bench/check.bench.ts [kind…]   (CHECKER=path/to/check/index.ts to time another
 * checker, e.g. a copy of an earlier one, against the same inputs)
 *
 * Instructions per check (machine-independent, as bench/instructions.sh for parsing): with
 * `--count N` the script only checks the seven text reports N times (fresh copies) and exits;
 * run it under callgrind for two N and divide the difference:
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null node --single-threaded --import tsx \
 *     bench/check.bench.ts --count 50     (then --count 250; (b − a) / (200 × 7) per check)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Report } from '../src/model/report.js';
import { parseBytes } from '../src/parse.js';
import { sampleReport2019, sampleReport2021 } from '../test/helpers/arbitrary.js';
import { toDocx, toHtml, toText, toXlsx } from '../test/helpers/variants.js';

type CheckFn = (input: { report: Report; previous?: Report | null; peers?: { file: string; report: Report }[] }) => unknown[];
const checkerPath = resolve(process.env.CHECKER ?? join(import.meta.dirname, '../src/check/index.ts'));
const { check } = (await import(pathToFileURL(checkerPath).href)) as { check: CheckFn };

const fixtures = resolve(import.meta.dirname, '../test/fixtures');
const seedsDir = join(fixtures, 'seeds');
const pdfDir = join(fixtures, 'corpus/pdf');

/** a fresh report object (the checker caches a report's fingerprints by object) sharing the report's contents */
const copy = (r: Report): Report => ({ ...r });

const enc = new TextEncoder();
const seeds = readdirSync(seedsDir)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(seedsDir, f)) as Buffer) }));
const samples = [sampleReport2021(), sampleReport2019(), ...(await Promise.all(seeds.map((s) => parseBytes(s.bytes, s.name))))];

const countAt = process.argv.indexOf('--count');
if (countAt >= 0) {
  // the text kind: the seven reports as read from text
  const texts = [...seeds, ...samples.slice(0, 2).map((r, i) => ({ name: `sample${i}.txt`, bytes: enc.encode(toText(r, 'tabs')) }))];
  const reports = await Promise.all(texts.map((f) => parseBytes(f.bytes, f.name)));
  let d = 0;
  for (let i = Number(process.argv[countAt + 1]); i > 0; i--) for (const r of reports) d += check({ report: copy(r) }).length;
  console.log(`${d} diagnostics`);
  process.exit(0);
}

const inputs: Record<string, { name: string; bytes: Uint8Array }[]> = {
  text: [...seeds, ...samples.slice(0, 2).map((r, i) => ({ name: `sample${i}.txt`, bytes: enc.encode(toText(r, 'tabs')) }))],
  html: samples.map((r, i) => ({ name: `r${i}.html`, bytes: enc.encode(toHtml(r, { chrome: true, brInLabels: true })) })),
  docx: await Promise.all(samples.map(async (r, i) => ({ name: `r${i}.docx`, bytes: await toDocx(r) }))),
  xlsx: await Promise.all(samples.map(async (r, i) => ({ name: `r${i}.xlsx`, bytes: await toXlsx(r) }))),
  pdf: readdirSync(pdfDir)
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(pdfDir, f)) as Buffer) })),
};

const wanted = process.argv.slice(2);
const kinds = Object.keys(inputs).filter((k) => wanted.length === 0 || wanted.includes(k));

/**
 * seconds of the median pass: `prepare` (untimed) then `run` (timed), repeated for at least
 * `time` ms and `minPasses` passes after `warmup` ms of the same
 */
async function median(prepare: () => unknown, run: (state: never) => Promise<void> | void, time: number, minPasses = 10): Promise<number> {
  const times: number[] = [];
  const warmEnd = performance.now() + Math.min(300, time / 4);
  while (performance.now() < warmEnd) await run(prepare() as never);
  const end = performance.now() + time;
  while (times.length < minPasses || performance.now() < end) {
    const state = prepare();
    const t0 = performance.now();
    await run(state as never);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] / 1000;
}

const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));

const rows: string[] = [];
let diagnostics = 0;
for (const kind of kinds) {
  const files = inputs[kind];
  const time = kind === 'pdf' ? 4000 : 2000;
  const parsed = await Promise.all(files.map((f) => parseBytes(f.bytes, f.name)));
  const parse = await median(
    () => null,
    async () => {
      for (const f of files) await parseBytes(f.bytes, f.name);
    },
    time,
    kind === 'pdf' ? 5 : 10,
  );
  const checkOnly = await median(
    () => parsed.map(copy),
    (reports: Report[]) => {
      for (const r of reports) diagnostics += check({ report: r }).length;
    },
    time,
  );
  const both = await median(
    () => null,
    async () => {
      for (const f of files) diagnostics += check({ report: await parseBytes(f.bytes, f.name) }).length;
    },
    time,
    kind === 'pdf' ? 5 : 10,
  );
  const n = files.length;
  rows.push(
    `| ${kind} | ${n} | ${fmt(n / parse)} | ${fmt(n / checkOnly)} | ${(checkOnly / n) * 1000 < 1 ? ((checkOnly / n) * 1000).toFixed(3) : ((checkOnly / n) * 1000).toFixed(2)} ms | ${fmt(n / both)} | ${Math.round((100 * (both - parse)) / both)} % |`,
  );
}

// a run: every text report checked with the six others as peers (fresh copies each pass)
let runRow = '';
if (kinds.includes('text')) {
  const parsed = await Promise.all(inputs.text.map((f) => parseBytes(f.bytes, f.name)));
  const t = await median(
    () => parsed.map(copy),
    (reports: Report[]) => {
      const peers = reports.map((report, i) => ({ file: `r${i}.txt`, report }));
      for (const r of reports) diagnostics += check({ report: r, peers: peers.filter((p) => p.report !== r) }).length;
    },
    2000,
  );
  runRow = `check of a run of ${parsed.length} text reports, each with the others as peers: ${fmt(parsed.length / t)} reports/s (${((t / parsed.length) * 1000).toFixed(2)} ms a report)`;
}

console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
console.log(`checker: ${checkerPath}`);
console.log('');
console.log('| kind | files | parse, reports/s | check, reports/s | check, per report | parse + check, reports/s | check’s share |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
if (runRow) console.log(`\n${runRow}`);
if (diagnostics < 0) console.log(diagnostics);
