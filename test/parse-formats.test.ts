/**
 * Every input kind gives back the same Report: the samples, the seeds and
 * random valid reports are written as HTML, Markdown, DOCX, XLSX and encoded
 * text, and parsed again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { parseBytes, parseFile } from '../src/parse.js';
import { arbReport2019, arbReport2021, sampleReport2019, sampleReport2021 } from './helpers/arbitrary.js';
import { tables } from './helpers/expect-report.js';
import { SEEDS, seedFiles } from './helpers/paths.js';
import { toDocx, toGbk, toHtml, toMarkdown, toText, toXlsx } from './helpers/variants.js';

const enc = new TextEncoder();
type Maker = (r: Report) => Promise<[Uint8Array, string]>;

const MAKERS: Record<string, Maker> = {
  'html (site chrome, <br> in labels)': async (r) => [enc.encode(toHtml(r, { chrome: true, brInLabels: true })), 'r.html'],
  'html (&nbsp; blanks)': async (r) => [enc.encode(toHtml(r, { blankMark: '&nbsp;' })), 'r.htm'],
  'html (/ blanks), no extension': async (r) => [enc.encode(toHtml(r, { blankMark: '/' })), 'r'],
  'html as GB18030 with meta charset': async (r) => [
    iconv.encode(toHtml(r, { chrome: true }).replace(/<meta charset="utf-8"\s*\/?>/i, '<meta charset="gbk">'), 'gb18030'),
    'r.html',
  ],
  markdown: async (r) => [enc.encode(toMarkdown(r)), 'r.md'],
  'markdown (spans repeated, — blanks)': async (r) => [enc.encode(toMarkdown(r, { spans: 'repeat', blankMark: '—' })), 'r.md'],
  docx: async (r) => [await toDocx(r), 'r.docx'],
  'docx (<br> in labels), no extension': async (r) => [await toDocx(r, { brInLabels: true }), 'report'],
  'xlsx (one sheet per table)': async (r) => [await toXlsx(r, { layout: 'sheets' }), 'r.xlsx'],
  'xlsx (single sheet)': async (r) => [await toXlsx(r, { layout: 'single' }), 'r.xlsx'],
  'text GB18030': async (r) => [toGbk(toText(r, 'tabs')), 'r.txt'],
  'text UTF-8 with BOM': async (r) => [enc.encode(`\ufeff${toText(r, 'cell-per-line')}`), 'r.txt'],
  'text UTF-16LE with BOM': async (r) => [Uint8Array.from([0xff, 0xfe, ...iconv.encode(toText(r, 'tabs'), 'utf16le')]), 'r.txt'],
};

function expectSame(got: Report, want: Report): void {
  expect(got.format).toBe(want.format);
  expect(tables(got)).toEqual(tables(want));
  expect(got.agency).toBe(want.agency);
  expect(got.year).toBe(want.year);
  expect(got.publishedOn).toBe(want.publishedOn);
  expect(got.ambiguities).toBeUndefined();
}

describe('samples in every input kind', () => {
  for (const [name, make] of Object.entries(MAKERS)) {
    for (const [fmt, sample] of [
      ['2021', sampleReport2021],
      ['2019', sampleReport2019],
    ] as const) {
      it(`${fmt} sample as ${name}`, async () => {
        const want = sample();
        const [bytes, file] = await make(want);
        const got = await parseBytes(bytes, file);
        expectSame(got, want);
        for (const k of ['overview', 'problems', 'other'] as const) expect(got.sections[k], k).toBe(want.sections[k]);
      });
    }
  }
});

describe('seeds in every input kind', () => {
  for (const f of seedFiles()) {
    it(f, async () => {
      const want = await parseFile(join(SEEDS, f));
      for (const [name, make] of Object.entries(MAKERS)) {
        const [bytes, file] = await make(want);
        const got = await parseBytes(bytes, file);
        expect(tables(got), name).toEqual(tables(want));
        expect(got.agency, name).toBe(want.agency);
        expect(got.year, name).toBe(want.year);
      }
    });
  }
});

describe('random reports round-trip through the readers', () => {
  const kinds = ['html (site chrome, <br> in labels)', 'html (&nbsp; blanks)', 'markdown', 'docx', 'xlsx (single sheet)'];
  it('with blank cells, in both formats', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(arbReport2021({ nulls: true }), arbReport2019({ nulls: true })),
        fc.constantFrom(...kinds),
        async (want, kind) => {
          const [bytes, file] = await MAKERS[kind](want);
          const got = await parseBytes(bytes, file);
          expect(tables(got)).toEqual(tables(want));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('provenance by input kind', () => {
  it('HTML cells point at their <td>', async () => {
    const html = toHtml(sampleReport2021(), { chrome: true });
    const got = await parseBytes(enc.encode(html), 'r.html');
    const p = got.provenance?.['applications.granted.total'];
    expect(p?.raw).toBe(String(sampleReport2021().applications.granted.total));
    if (p?.prov.kind !== 'table' || !p.prov.line) throw new Error('expected table provenance with a line');
    const line = html.split('\n')[p.prov.line - 1];
    expect(line.slice(p.prov.column! - 1)).toMatch(/^<t[dh]/);
  });
  it('XLSX cells carry their sheet and address', async () => {
    const got = await parseBytes(await toXlsx(sampleReport2021(), { layout: 'sheets' }), 'r.xlsx');
    const p = got.provenance?.['reviewLitigation.review.total'];
    if (p?.prov.kind !== 'table') throw new Error('expected table provenance');
    expect(p.prov.sheet).toBeTruthy();
    expect(p.prov.address).toMatch(/^[A-Z]+\d+$/);
  });
  it('DOCX cells carry table, row and cell', async () => {
    const got = await parseBytes(await toDocx(sampleReport2021()), 'r.docx');
    const p = got.provenance?.['applications.newReceived.naturalPerson'];
    expect(p?.prov).toMatchObject({ kind: 'table', table: 2 });
  });
  it('a GBK file and its UTF-8 twin give the same report', async () => {
    const text = readFileSync(join(SEEDS, seedFiles()[3]), 'utf8');
    const a = await parseBytes(toGbk(text), 'a.txt');
    const b = await parseBytes(enc.encode(text), 'b.txt');
    expect(tables(a)).toEqual(tables(b));
    expect(a.sections).toEqual(b.sections);
  });
});
