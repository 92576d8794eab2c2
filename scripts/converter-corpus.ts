/**
 * Helper of scripts/make-converter-corpus.sh (issue 16): the source reports of the converter corpus
 * and their renderings.
 *
 *   npx tsx scripts/converter-corpus.ts sources        (re)writes test/fixtures/converters/sources/*.json
 *   npx tsx scripts/converter-corpus.ts render DIR     renders every source to DIR/<name>.{pdf,docx,html,xlsx,md}
 *
 * The sources are the expected values of the corpus: two seeds as the project reads them
 * (test/expected/seeds holds the hand-checked values of the same parse), and two generated reports
 * (test/helpers/arbitrary.ts, a fixed fast-check seed; of the first 30 drawn, the one with the most
 * non-zero cells), one per format. `sources` is run once; the corpus is regenerated from the
 * committed JSON, so that re-running the converters does not change the expected values.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parse, type Report, render, reportFromJson } from '../src/index.js';
import { arbReport2019, arbReport2021 } from '../test/helpers/arbitrary.js';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCES = join(ROOT, 'test/fixtures/converters/sources');

/** the parts of a Report a rendering carries (no provenance, labels, input…) */
function essential(r: Report): Report {
  return {
    format: r.format,
    agency: r.agency,
    year: r.year,
    publishedOn: r.publishedOn,
    sections: r.sections,
    proactive: r.proactive,
    applications: r.applications,
    reviewLitigation: r.reviewLitigation,
  };
}

function nonZero(r: Report): number {
  let n = 0;
  for (const t of [r.proactive, r.applications, r.reviewLitigation] as unknown as Record<string, Record<string, unknown>>[])
    for (const row of Object.values(t)) for (const v of Object.values(row)) if (v !== null && v !== 0 && v !== '0') n++;
  return n;
}

function richest(arb: fc.Arbitrary<Report>, seed: number): Report {
  const all = fc.sample(arb, { seed, numRuns: 30 });
  return all.reduce((best, r) => (nonZero(r) > nonZero(best) ? r : best));
}

async function sources(): Promise<void> {
  mkdirSync(SOURCES, { recursive: true });
  const out: Record<string, Report> = {
    'seed-001': essential(await parse(join(ROOT, 'test/fixtures/seeds/001_bafcd2ea084bb138.txt'))),
    'seed-003': essential(await parse(join(ROOT, 'test/fixtures/seeds/003_f8437f9aaea28a39.txt'))),
    'gen-2021': essential(richest(arbReport2021(), 16)),
    'gen-2019': essential(richest(arbReport2019(), 16)),
  };
  for (const [name, r] of Object.entries(out)) writeFileSync(join(SOURCES, `${name}.json`), `${JSON.stringify(r, null, 2)}\n`);
}

async function renderAll(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(SOURCES).filter((x) => x.endsWith('.json'))) {
    const r = reportFromJson(JSON.parse(readFileSync(join(SOURCES, f), 'utf8')), f);
    for (const to of ['pdf', 'docx', 'html', 'xlsx', 'md'] as const) {
      writeFileSync(join(dir, f.replace(/\.json$/, `.${to}`)), await render(r, to));
    }
  }
}

const [cmd, arg] = process.argv.slice(2);
if (cmd === 'sources') await sources();
else if (cmd === 'render' && arg) await renderAll(resolve(arg));
else {
  console.error('usage: tsx scripts/converter-corpus.ts sources | render DIR');
  process.exit(2);
}
