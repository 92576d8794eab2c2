/**
 * Scanned reports (issue 16): reports rendered (or published) as PDF, rasterised with pdftoppm and
 * wrapped back into image-only PDFs (test/helpers/scan.ts), read through the OCR path. Per scan:
 * seconds a page, cells right, flagged (null, listed under `ambiguities`) and wrong (a confident
 * wrong number: what must never happen). Needs tesseract (chi_sim) and pdftoppm; skipped without.
 * Run: npx tsx bench/ocr.bench.ts
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import fc from 'fast-check';
import { parse, render } from '../src/index.js';
import type { Report } from '../src/model/report.js';
import { ocrTools } from '../src/read/ocr.js';
import { arbReport2019, arbReport2021, sampleReport2019, sampleReport2021 } from '../test/helpers/arbitrary.js';
import { scanPdf } from '../test/helpers/scan.js';

if (!(await ocrTools())) {
  console.log('OCR bench skipped: tesseract (chi_sim) or pdftoppm is not installed');
  process.exit(0);
}

const corpus = (name: string) => new Uint8Array(readFileSync(new URL(`../test/fixtures/corpus/pdf/${name}`, import.meta.url)));

const sources: { name: string; pdf: () => Promise<Uint8Array>; want: () => Promise<Report> }[] = [
  { name: 'sample 2021 (rendered)', pdf: () => render(sampleReport2021(), 'pdf'), want: async () => sampleReport2021() },
  { name: 'sample 2019 (rendered)', pdf: () => render(sampleReport2019(), 'pdf'), want: async () => sampleReport2019() },
  ...fc.sample(arbReport2021(), { numRuns: 3, seed: 7 }).map((r, i) => ({
    name: `generated 2021 #${i + 1} (rendered)`,
    pdf: () => render(r, 'pdf', { force: true }),
    want: async () => r,
  })),
  ...fc.sample(arbReport2019(), { numRuns: 1, seed: 8 }).map((r, i) => ({
    name: `generated 2019 #${i + 1} (rendered)`,
    pdf: () => render(r, 'pdf', { force: true }),
    want: async () => r,
  })),
  ...['huaian-hongze-2024.pdf', 'huaian-hongze-2023.pdf', 'huaian-city-2024.pdf'].map((f) => ({
    name: `${f} (published)`,
    pdf: async () => corpus(f),
    want: () => parse(corpus(f), { name: f }),
  })),
];

const dpis = (process.env.OCR_BENCH_DPI ?? '200').split(',').map(Number);
console.log(`machine: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, Node ${process.version}`);
console.log('| scan | dpi | pages | s / page | cells right | flagged | **wrong** |');
console.log('|---|---|---|---|---|---|---|');
const sum = { right: 0, flagged: 0, wrong: 0, total: 0, pages: 0, ms: 0 };
for (const dpi of dpis) {
  for (const s of sources) {
    const want = await s.want();
    const scan = scanPdf(await s.pdf(), dpi);
    const pages = (new TextDecoder('latin1').decode(scan).match(/\/Type \/Page\b/g) ?? []).length;
    const t0 = performance.now();
    let got: Report;
    try {
      got = await parse(scan, { name: 'scan.pdf' });
    } catch (e) {
      console.log(`| ${s.name} | ${dpi} | ${pages} | — | not read: ${(e as Error).message.slice(0, 80)} | | |`);
      continue;
    }
    const ms = performance.now() - t0;
    let right = 0;
    let flagged = 0;
    let total = 0;
    const wrong: string[] = [];
    for (const table of ['proactive', 'applications', 'reviewLitigation'] as const) {
      const w = want[table] as Record<string, Record<string, unknown>>;
      const g = got[table] as Record<string, Record<string, unknown>>;
      for (const row of Object.keys(w))
        for (const col of Object.keys(w[row])) {
          if (w[row][col] === null) continue;
          total++;
          const gv = g?.[row]?.[col];
          if (gv === null || gv === undefined) flagged++;
          else if (String(gv) === String(w[row][col])) right++;
          else wrong.push(`${table}.${row}.${col}: ${gv} ≠ ${w[row][col]}`);
        }
    }
    Object.assign(sum, {
      right: sum.right + right,
      flagged: sum.flagged + flagged,
      wrong: sum.wrong + wrong.length,
      total: sum.total + total,
      pages: sum.pages + pages,
      ms: sum.ms + ms,
    });
    console.log(
      `| ${s.name} | ${dpi} | ${pages} | ${(ms / 1000 / pages).toFixed(1)} | ${((right / total) * 100).toFixed(1)} % | ${flagged} | ${wrong.length}${wrong.length ? ` (${wrong.slice(0, 3).join('; ')})` : ''} |`,
    );
  }
}
console.log(
  `| **all** | | ${sum.pages} | ${(sum.ms / 1000 / sum.pages).toFixed(1)} | ${((sum.right / sum.total) * 100).toFixed(1)} % | ${sum.flagged} | ${sum.wrong} |`,
);
