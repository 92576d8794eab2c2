/**
 * Round trip of the text renderers: parsing a rendered HTML page or Markdown
 * file gives back the same Report (tables, format, agency, year, date of
 * publication, the narrative), for random valid reports of both formats; and
 * golden files for the five seeds (UPDATE_GOLDEN=1 rewrites them).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { parseBytes, parseFile } from '../src/parse.js';
import { prepare, type RenderOptions, render } from '../src/render/index.js';
import { arbReport2019, arbReport2021, sampleReport2019, sampleReport2021 } from './helpers/arbitrary.js';
import { tables } from './helpers/expect-report.js';
import { SEEDS, seedFiles } from './helpers/paths.js';

const GOLDEN = resolve(import.meta.dirname, 'golden');
const FORMATS = [
  ['html', 'report.html'],
  ['md', 'report.md'],
] as const;

async function roundTrip(report: Report, to: 'html' | 'md', opts: RenderOptions = {}): Promise<Report> {
  const name = FORMATS.find(([f]) => f === to)![1];
  return parseBytes(await render(report, to, opts), name);
}

/** what a reader must give back: the tables and the metadata */
function essentials(r: Report) {
  return { format: r.format, agency: r.agency, year: r.year, publishedOn: r.publishedOn, sections: r.sections, ...tables(r) };
}

describe('the fixed samples', () => {
  for (const [name, sample] of [
    ['2021', sampleReport2021],
    ['2019', sampleReport2019],
  ] as const) {
    for (const [to] of FORMATS) {
      it(`${name} sample → ${to} → the same report`, async () => {
        const r = await roundTrip(sample(), to);
        expect(essentials(r)).toEqual(essentials(sample()));
        expect(r.ambiguities).toBeUndefined();
        expect(r.labels).toEqual([]);
      });
    }
  }
});

describe('random valid reports', () => {
  const both = (opts: Parameters<typeof arbReport2021>[0]) => fc.oneof(arbReport2021(opts), arbReport2019(opts));

  for (const [to] of FORMATS) {
    it(`${to}: parse(render(r)) = r for reports without blanks`, async () => {
      await fc.assert(
        fc.asyncProperty(both({ nulls: false }), async (report) => {
          const r = await roundTrip(report, to);
          expect(essentials(r)).toEqual(essentials(report));
        }),
        { numRuns: 100 },
      );
    });

    it(`${to}: parts of the report may be missing (narrative sections, the date)`, async () => {
      await fc.assert(
        fc.asyncProperty(both({ nulls: false, missingSections: true }), async (report) => {
          const r = await roundTrip(report, to);
          expect(essentials(r)).toEqual(essentials(report));
        }),
        { numRuns: 50 },
      );
    });

    it(`${to}: with --blank-as blank, blank cells come back blank (null)`, async () => {
      await fc.assert(
        fc.asyncProperty(both({ nulls: true }), async (report) => {
          // nothing to fill: the arbitrary makes every total, and a blank 结转 is consistent with its balance
          expect(prepare(report, { blankAs: 'blank' }).filled).toEqual([]);
          const r = await roundTrip(report, to, { blankAs: 'blank' });
          expect(essentials(r)).toEqual(essentials(report));
        }),
        { numRuns: 60 },
      );
    });

    it(`${to}: by default blank cells are written as 0 and come back as 0`, async () => {
      await fc.assert(
        fc.asyncProperty(both({ nulls: true }), async (report) => {
          const prepared = prepare(report).report;
          const r = await roundTrip(report, to);
          expect(essentials(r)).toEqual(essentials(prepared));
          expect(JSON.stringify(tables(r))).not.toContain('null');
        }),
        { numRuns: 50 },
      );
    });
  }
});

describe('golden files of the seeds', () => {
  const update = process.env.UPDATE_GOLDEN === '1';
  if (update) mkdirSync(GOLDEN, { recursive: true });

  for (const seed of seedFiles()) {
    const base = seed.replace(/\.txt$/, '');
    for (const [to] of FORMATS) {
      it(`${base}.${to}`, async () => {
        const parsed = await parseFile(join(SEEDS, seed));
        const out = new TextDecoder().decode(await render(parsed, to));
        const file = join(GOLDEN, `${base}.${to}`);
        if (update || !existsSync(file)) {
          if (!update)
            throw new Error(`missing golden file ${file}: run UPDATE_GOLDEN=1 npx vitest run test/render-roundtrip-text.test.ts`);
          writeFileSync(file, out);
        }
        expect(out).toBe(readFileSync(file, 'utf8'));
        // and the golden file reads back as the seed
        const again = await parseFile(file);
        expect(essentials(again)).toEqual(essentials(parsed));
      });
    }
  }
});
