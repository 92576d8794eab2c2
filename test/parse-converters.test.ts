/**
 * Tables broken the way converters break them (issue 16, test/helpers/mangle.ts), on generated
 * reports of both formats: what the reader makes of each kind. For the kinds below no cell comes
 * out as a wrong number (a footer or a repeated header inside a table, column headers replaced by
 * 数据1 … 数据N as OCR and vision models write them: every cell right; a label pushed out of its row,
 * a label cut in two with its tail on the next row, a bare row of numbers without its label, a row
 * without its group's label column, a label with characters misread as look-alikes: right or left
 * empty). Coverage (cells placed) per kind: docs/benchmarks.md (“Converter output”).
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractReport } from '../src/extract/index.js';
import type { Report } from '../src/model/report.js';
import { readDocument } from '../src/read/index.js';
import { arbReport2019, arbReport2021, sampleReport2021 } from './helpers/arbitrary.js';
import { compareCells } from './helpers/compare.js';
import { type MangleKind, mangledMarkdown } from './helpers/mangle.js';
import { toMarkdown } from './helpers/variants.js';

const read = async (md: string) => extractReport(await readDocument(new TextEncoder().encode(md), 'converted.md'));

/** the cells of `got` against `want`: right, left empty (blank ones too), wrong */
const compare = (got: Report, want: Report) => {
  const c = compareCells(got, want);
  return { right: c.right, empty: c.empty.length + c.blank, wrong: c.wrong };
};

const arbReport = fc.oneof(arbReport2021(), arbReport2019());

describe('converter output: no wrong number', () => {
  for (const kind of ['footer', 'repeated-header', 'ocr-headers'] as MangleKind[]) {
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

  for (const kind of ['label-out', 'split-label', 'bare-row', 'group-column', 'misread-label'] as MangleKind[]) {
    it(`${kind}: every cell right or left empty, never a wrong number`, async () => {
      await fc.assert(
        fc.asyncProperty(arbReport, fc.integer({ min: 1, max: 1_000_000 }), async (want, seed) => {
          expect(compare(await read(mangledMarkdown(want, kind, seed)), want).wrong).toEqual([]);
        }),
        { numRuns: 25, seed: 16 },
      );
    });
  }

  it('ocr-headers without the heading of section 四: a run of exactly 15 values after table 二 is table 三; of two such runs, neither is taken', async () => {
    const want = sampleReport2021();
    // every header row numbered (this seed), the heading 四 gone: no word of table 三 is left
    const md = mangledMarkdown(want, 'ocr-headers', 1).replace(/^## 四、.*$/m, '');
    expect(md).not.toMatch(/行政复议|结果维持/);
    const one = await read(md);
    expect(one.reviewLitigation).toEqual(want.reviewLitigation);
    const extra = Array.from({ length: 15 }, (_, k) => k + 1);
    const two = await read(md.replace(/^## 五、/m, (h) => `附注\n\n| ${extra.join(' | ')} |\n\n${h}`));
    expect(Object.values(two.reviewLitigation).flatMap((g) => Object.values(g))).toEqual(new Array(15).fill(null));
    const upheld = want.reviewLitigation.review.upheld as number;
    expect(two.ambiguities).toContainEqual({
      path: 'reviewLitigation.review.upheld',
      candidates: [...new Set([1, upheld])].sort((a, b) => a - b),
    });
  });

  describe('表三 laid out as three rows, one a group of five cells (a spreadsheet, or the table turned)', () => {
    const groupsMarkdown = (r: Report) => {
      const rl = r.reviewLitigation as Record<string, Record<string, number | null>>;
      const cells = (g: string) => ['upheld', 'corrected', 'other', 'pending', 'total'].map((k) => rl[g][k] ?? '').join(' | ');
      return [
        '## 四、政府信息公开行政复议、行政诉讼情况',
        '',
        '| 类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |',
        '| --- | --- | --- | --- | --- | --- |',
        `| 行政复议 | ${cells('review')} |`,
        `| 行政诉讼（未经复议直接起诉） | ${cells('litigationDirect')} |`,
        `| 行政诉讼（复议后起诉） | ${cells('litigationAfterReview')} |`,
        '',
      ].join('\n');
    };
    const turned = (r: Report) => {
      const md = toMarkdown(r);
      const start = md.search(/^## 四、/m);
      const end = md.search(/^## 五、/m);
      return `${md.slice(0, start)}${groupsMarkdown(r)}\n${md.slice(end)}`;
    };

    it('in Markdown: every cell of 表三 right', async () => {
      await fc.assert(
        fc.asyncProperty(arbReport, async (want) => {
          const got = await read(turned(want));
          expect(got.reviewLitigation).toEqual(want.reviewLitigation);
        }),
        { numRuns: 20, seed: 16 },
      );
    });

    it('in a spreadsheet (each Markdown row a sheet row): every cell of 表三 right', async () => {
      const want = sampleReport2021();
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('年报');
      for (const line of turned(want).split('\n')) {
        if (line.startsWith('| ---')) continue;
        if (line.startsWith('| '))
          ws.addRow(
            line
              .slice(2, -2)
              .split(' | ')
              .map((c) => (/^-?\d+$/.test(c) ? Number(c) : c)),
          );
        else if (line.trim()) ws.addRow([line.replace(/^#+\s*/, '')]);
      }
      const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
      const got = extractReport(await readDocument(bytes, 'turned.xlsx'));
      expect(got.reviewLitigation).toEqual(want.reviewLitigation);
      expect(got.applications).toEqual(want.applications);
    });

    it('the usual layout (15 cells in a row under two header rows) is not taken for it', async () => {
      const want = sampleReport2021();
      expect((await read(toMarkdown(want))).reviewLitigation).toEqual(want.reviewLitigation);
    });
  });
});
