/**
 * Tables broken the way converters break them (issue 16, test/helpers/mangle.ts), on generated
 * reports of both formats: what the reader makes of each kind. For the kinds below no cell comes
 * out as a wrong number (a footer or a repeated header inside a table: every cell right; a label
 * pushed out of its row, a label cut in two with its tail on the next row, a bare row of numbers
 * without its label, a row without its group's label column: right or left empty). Coverage
 * (cells placed) per kind: docs/benchmarks.md (“Converter output”).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractReport } from '../src/extract/index.js';
import type { Report } from '../src/model/report.js';
import { readDocument } from '../src/read/index.js';
import { arbReport2019, arbReport2021 } from './helpers/arbitrary.js';
import { type MangleKind, mangledMarkdown } from './helpers/mangle.js';

const read = async (md: string) => extractReport(await readDocument(new TextEncoder().encode(md), 'converted.md'));

/** the cells of `got` against `want`: right, left empty, wrong */
function compare(got: Report, want: Report): { right: number; empty: number; wrong: string[] } {
  const out = { right: 0, empty: 0, wrong: [] as string[] };
  for (const table of ['proactive', 'applications', 'reviewLitigation'] as const) {
    const w = want[table] as Record<string, Record<string, unknown>>;
    const g = got[table] as Record<string, Record<string, unknown>>;
    for (const row of Object.keys(w)) {
      for (const col of Object.keys(w[row])) {
        const gv = g?.[row]?.[col];
        if (gv === null || gv === undefined) out.empty++;
        else if (String(gv) === String(w[row][col])) out.right++;
        else out.wrong.push(`${table}.${row}.${col}: ${String(gv)} ≠ ${String(w[row][col])}`);
      }
    }
  }
  return out;
}

const arbReport = fc.oneof(arbReport2021(), arbReport2019());

describe('converter output: no wrong number', () => {
  for (const kind of ['footer', 'repeated-header'] as MangleKind[]) {
    it(`${kind}: every cell right`, async () => {
      await fc.assert(
        fc.asyncProperty(arbReport, fc.integer({ min: 1, max: 1_000_000 }), async (want, seed) => {
          const c = compare(await read(mangledMarkdown(want, kind, seed)), want);
          expect(c.wrong).toEqual([]);
          expect(c.empty).toBe(0);
        }),
        { numRuns: 25, seed: 16 },
      );
    });
  }

  for (const kind of ['label-out', 'split-label', 'bare-row', 'group-column'] as MangleKind[]) {
    it(`${kind}: every cell right or left empty, never a wrong number`, async () => {
      await fc.assert(
        fc.asyncProperty(arbReport, fc.integer({ min: 1, max: 1_000_000 }), async (want, seed) => {
          expect(compare(await read(mangledMarkdown(want, kind, seed)), want).wrong).toEqual([]);
        }),
        { numRuns: 25, seed: 16 },
      );
    });
  }
});
