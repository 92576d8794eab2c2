import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractReport } from '../src/extract/index.js';
import type { Report } from '../src/model/report.js';
import { readText } from '../src/read/text.js';
import { arbReport2019, arbReport2021, sampleReport2019, sampleReport2021 } from './helpers/arbitrary.js';
import { tables } from './helpers/expect-report.js';
import { toGluedText, toText } from './helpers/variants.js';

const parseText = (text: string) => extractReport(readText(text, 'variant.txt'));

/** every cell is either right, or null with the right value among its candidates */
function assertNoWrongValue(got: Report, want: Report): void {
  const amb = new Map((got.ambiguities ?? []).map((a) => [a.path, a.candidates]));
  for (const table of ['proactive', 'applications', 'reviewLitigation'] as const) {
    const w = want[table] as Record<string, Record<string, unknown>>;
    const g = got[table] as Record<string, Record<string, unknown>>;
    for (const row of Object.keys(w)) {
      for (const col of Object.keys(w[row])) {
        const path = `${table}.${row}.${col}`;
        const gv = g[row]?.[col];
        if (gv === null && amb.has(path)) {
          expect(amb.get(path)!.map(String), path).toContain(String(w[row][col]));
        } else {
          expect(gv, path).toEqual(w[row][col]);
        }
      }
    }
  }
}

describe('text layouts', () => {
  for (const [name, report] of [
    ['2021', sampleReport2021()],
    ['2019', sampleReport2019()],
  ] as const) {
    for (const layout of ['tabs', 'cell-per-line'] as const) {
      it(`${name} sample, ${layout}`, () => {
        const r = parseText(toText(report, layout));
        expect(r.format).toBe(report.format);
        expect(tables(r)).toEqual(tables(report));
        expect(r.agency).toBe(report.agency);
        expect(r.year).toBe(report.year);
        expect(r.publishedOn).toBe(report.publishedOn);
        expect(r.ambiguities).toBeUndefined();
      });
    }
  }

  it('random valid reports in both formats survive both text layouts', () => {
    fc.assert(
      fc.property(fc.oneof(arbReport2021(), arbReport2019()), fc.constantFrom('tabs', 'cell-per-line' as const), (report, layout) => {
        const r = parseText(toText(report, layout as 'tabs' | 'cell-per-line'));
        expect(tables(r)).toEqual(tables(report));
      }),
      { numRuns: 60 },
    );
  });
});

describe('text whose cell separators were lost', () => {
  it('recovers 表二 and 表三 of the 2021 sample from their arithmetic', () => {
    const report = sampleReport2021();
    const r = parseText(toGluedText(report));
    expect(r.applications).toEqual(report.applications);
    expect(r.reviewLitigation).toEqual(report.reviewLitigation);
    assertNoWrongValue(r, report);
  });

  it('recovers the 2019 sample, leaving unsplittable 表一 cells ambiguous with candidates', () => {
    const report = sampleReport2019();
    const r = parseText(toGluedText(report));
    expect(r.applications).toEqual(report.applications);
    expect(r.reviewLitigation).toEqual(report.reviewLitigation);
    assertNoWrongValue(r, report);
    expect(r.ambiguities?.length).toBeGreaterThan(0);
  });

  it('uses figures quoted in the overview to split 表一 digits', () => {
    const report = sampleReport2021();
    const r = parseText(toGluedText(report));
    // the overview says 发布行政规范性文件12件
    expect(report.sections.overview).toContain('规范性文件12件');
    expect((r.proactive as Record<string, Record<string, unknown>>).normativeDocuments.issued).toBe(12);
  });

  it('never invents a value: every cell is right or ambiguous with the truth among the candidates', () => {
    fc.assert(
      fc.property(fc.oneof(arbReport2021(), arbReport2019()), (report) => {
        assertNoWrongValue(parseText(toGluedText(report)), report);
      }),
      { numRuns: 30 },
    );
  });
});
