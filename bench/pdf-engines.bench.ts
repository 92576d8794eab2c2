/**
 * PDF engines side by side (issue 19): the same PDFs read by each candidate, with the CPU time
 * it takes and how many table cells come out right.
 *
 *   npx tsx bench/pdf-engines.bench.ts [--runs N]
 *
 * PDFs: the corpus PDFs (test/fixtures/corpus/pdf), the LibreOffice and Chromium PDFs of
 * test/fixtures/converters, and our own renderer's PDFs of the five seeds and a 2019-format report
 * (made here, with the fonts of `fonts-noto-cjk`; left out with a notice when they are missing).
 *
 * Candidates:
 * - nianbao, PDFium — `readPdf` with the PDFium engine (the default; src/read/pdf-pdfium.ts);
 * - nianbao, pdfjs — `readPdf` with the patched pdfjs worker (the engine before issue 19, and the
 *   fallback for what PDFium does not read);
 * - poppler `pdftotext -layout` — the peer's first step alone (it spends at least this), a child
 *   process per PDF as the peer runs it; its cells are what nianbao's text reader makes of that
 *   text (the peer's own Python parser is not here);
 * - poppler `pdftotext -bbox-layout` — words with their boxes (what a poppler engine behind the
 *   document model would start from): speed only, it has no table rulings.
 *
 * CPU time is user + system: `process.cpuUsage()` for the in-process readers (steady state, after
 * one warm-up pass: the engines are loaded once per process or worker), and the children's time
 * from /proc/self/stat (cutime + cstime, 10 ms ticks) for the subprocesses. Cells right: every
 * table cell of 表一–表三 compared with the checked values (test/expected/corpus, the converter
 * sources, the rendered report), as test/helpers/compare.ts does. The machine is shared and noisy:
 * the runs of the candidates are interleaved, and the median pass is reported.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Report } from '../src/model/report.js';
import { parseBytes } from '../src/parse.js';
import { lastPdfEngine, readPdf } from '../src/read/pdf.js';
import { compareCells } from '../test/helpers/compare.js';

const ROOT = resolve(import.meta.dirname, '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

interface Input {
  name: string;
  path: string;
  bytes: Uint8Array;
  expected: Report;
}

const json = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Report;

async function inputs(dir: string): Promise<Input[]> {
  const out: Input[] = [];
  const corpus = join(ROOT, 'test/fixtures/corpus/pdf');
  for (const f of readdirSync(corpus)
    .filter((n) => n.endsWith('.pdf'))
    .sort()) {
    out.push({
      name: f,
      path: join(corpus, f),
      bytes: new Uint8Array(readFileSync(join(corpus, f))),
      expected: json(join(ROOT, 'test/expected/corpus', f.replace(/\.pdf$/, '.json'))),
    });
  }
  const conv = join(ROOT, 'test/fixtures/converters');
  for (const f of readdirSync(conv)
    .filter((n) => n.endsWith('.pdf'))
    .sort()) {
    const source = f.slice(0, f.indexOf('.'));
    const own = join(conv, 'sources', `${source}.json`);
    const expected = readdirSync(join(conv, 'sources')).includes(`${source}.json`)
      ? own
      : join(ROOT, 'test/expected/corpus', `${source}.json`);
    out.push({ name: f, path: join(conv, f), bytes: new Uint8Array(readFileSync(join(conv, f))), expected: json(expected) });
  }
  try {
    const { renderPdf } = await import('../src/render/pdf.js');
    const { sampleReport2019 } = await import('../test/helpers/arbitrary.js');
    const seeds = join(ROOT, 'test/fixtures/seeds');
    const reports: [string, Report][] = [];
    for (const f of readdirSync(seeds)
      .filter((n) => n.endsWith('.txt'))
      .sort()) {
      reports.push([f.replace(/\.txt$/, ''), await parseBytes(new Uint8Array(readFileSync(join(seeds, f))), f)]);
    }
    reports.push(['sample-2019', sampleReport2019()]);
    for (const [name, report] of reports) {
      const path = join(dir, `rendered-${name}.pdf`);
      const bytes = await renderPdf(report);
      writeFileSync(path, bytes);
      out.push({ name: `rendered-${name}.pdf`, path, bytes, expected: report });
    }
  } catch (e) {
    console.warn(`rendered PDFs left out (fonts-noto-cjk missing?): ${(e as Error).message}`);
  }
  return out;
}

/** user + system CPU seconds of this process */
function ownCpu(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

/** user + system CPU seconds of the children waited for so far (Linux: /proc/self/stat) */
function childCpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after the command: state is field 3, cutime field 16, cstime field 17 (1-based, in clock ticks)
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100;
}

function hasTool(cmd: string): boolean {
  return spawnSync(cmd, ['-v'], { stdio: 'ignore' }).error === undefined;
}

interface Candidate {
  name: string;
  /** one pass over every input; returns the CPU seconds it took */
  pass(all: Input[]): Promise<number>;
  /** cells right and the total of cells, over every input */
  cells(all: Input[]): Promise<{ right: number; total: number; wrong: number; engines?: string }>;
}

function score(got: Report, want: Report): { right: number; total: number; wrong: number } {
  const c = compareCells(got, want);
  return { right: c.right, total: c.right + c.empty.length + c.wrong.length, wrong: c.wrong.length };
}

function nianbao(engine: 'pdfium' | 'pdfjs'): Candidate {
  return {
    name: `nianbao, ${engine === 'pdfium' ? 'PDFium' : 'pdfjs'} (readPdf)`,
    async pass(all) {
      const t = ownCpu();
      for (const f of all) await readPdf(f.bytes, f.name, { engine });
      return ownCpu() - t;
    },
    async cells(all) {
      const saved = process.env.NIANBAO_PDF_ENGINE;
      process.env.NIANBAO_PDF_ENGINE = engine;
      const used = new Set<string>();
      let right = 0;
      let total = 0;
      let wrong = 0;
      try {
        for (const f of all) {
          const s = score(await parseBytes(f.bytes, f.name), f.expected);
          used.add(lastPdfEngine() ?? '?');
          right += s.right;
          total += s.total;
          wrong += s.wrong;
        }
      } finally {
        if (saved === undefined) delete process.env.NIANBAO_PDF_ENGINE;
        else process.env.NIANBAO_PDF_ENGINE = saved;
      }
      return { right, total, wrong, engines: [...used].join('+') };
    },
  };
}

function pdftotext(mode: '-layout' | '-bbox-layout', dir: string): Candidate {
  return {
    name: `poppler \`pdftotext ${mode}\` (child process)`,
    async pass(all) {
      const t = childCpu();
      for (const f of all) {
        const r = spawnSync('pdftotext', [mode, f.path, join(dir, 'out.txt')], { stdio: 'ignore' });
        if (r.status !== 0) throw new Error(`pdftotext ${mode} ${f.name} failed`);
      }
      return childCpu() - t;
    },
    async cells(all) {
      if (mode !== '-layout') return { right: Number.NaN, total: Number.NaN, wrong: Number.NaN };
      let right = 0;
      let total = 0;
      let wrong = 0;
      for (const f of all) {
        const out = join(dir, 'cells.txt');
        spawnSync('pdftotext', [mode, f.path, out], { stdio: 'ignore' });
        const s = score(await parseBytes(new Uint8Array(readFileSync(out)), `${f.name}.txt`), f.expected);
        right += s.right;
        total += s.total;
        wrong += s.wrong;
      }
      return { right, total, wrong };
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-pdf-engines-'));
  try {
    const all = await inputs(dir);
    const candidates: Candidate[] = [nianbao('pdfium'), nianbao('pdfjs')];
    if (hasTool('pdftotext')) candidates.push(pdftotext('-layout', dir), pdftotext('-bbox-layout', dir));
    else console.warn('pdftotext not installed (apt-get install poppler-utils): the poppler rows are left out');
    // warm-up: engines loaded, code compiled
    for (const c of candidates) await c.pass(all);
    const times = candidates.map(() => [] as number[]);
    for (let r = 0; r < RUNS; r++) for (let i = 0; i < candidates.length; i++) times[i].push(await candidates[i].pass(all));
    const rows: string[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const t = median(times[i]);
      const c = await candidates[i].cells(all);
      const cells = Number.isNaN(c.total)
        ? '— (no table rulings: not read into the document model)'
        : `${c.right} / ${c.total} (${((100 * c.right) / c.total).toFixed(1)} %), ${c.wrong} wrong${c.engines ? ` [read by ${c.engines}]` : ''}`;
      rows.push(
        `| ${candidates[i].name} | ${(all.length / t).toFixed(1)} | ${((1000 * t) / all.length).toFixed(1)} | ${Math.min(...times[i]).toFixed(2)}–${Math.max(...times[i]).toFixed(2)} s | ${cells} |`,
      );
    }
    console.log(
      `\n${all.length} PDFs (${all.map((f) => f.name).join(', ')}); ${RUNS} interleaved passes, median pass\n\n` +
        '| engine | PDFs per CPU-second | CPU ms per PDF | CPU per pass (min–max) | cells right |\n|---|---|---|---|---|\n' +
        rows.join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
