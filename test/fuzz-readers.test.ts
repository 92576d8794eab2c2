import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../src/read/decode.js';
import type { DocumentModel } from '../src/read/document.js';
import { ReadError } from '../src/read/errors.js';
import { readHtml } from '../src/read/html.js';
import { readMarkdown } from '../src/read/markdown.js';

const fixture = (p: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url)));
const HTML = fixture('html/report-2021.html').toString('utf8');
const GBK = fixture('html/report-2021-gbk.html');
const MD = fixture('markdown/report-004.md').toString('utf8');

/** Problems of a returned model (empty list when well-formed); plain checks, `expect` only on failure, for speed. */
function problems(doc: DocumentModel): string[] {
  const out: string[] = [];
  const pos = (n: unknown) => Number.isInteger(n) && (n as number) >= 1;
  if (doc.blocks.length === 0) out.push('no blocks');
  let tableNo = 0;
  doc.blocks.forEach((b, bi) => {
    if (b.type === 'paragraph') {
      if (b.text === '') out.push(`block ${bi}: empty paragraph`);
      if (b.prov.kind !== 'text' || !pos(b.prov.line) || !pos(b.prov.column))
        out.push(`block ${bi}: bad provenance ${JSON.stringify(b.prov)}`);
      return;
    }
    tableNo++;
    b.rows.forEach((row, r) => {
      row.forEach((cell, c) => {
        const p = cell.prov;
        const where = `table ${tableNo} row ${r + 1} cell ${c + 1}`;
        if (typeof cell.text !== 'string') out.push(`${where}: text`);
        if (p.kind !== 'table') out.push(`${where}: provenance kind ${p.kind}`);
        else if (p.table !== tableNo || p.row !== r + 1 || p.cell !== c + 1 || !pos(p.line) || !pos(p.column)) {
          out.push(`${where}: bad provenance ${JSON.stringify(p)}`);
        }
        if (cell.colspan !== undefined && !(cell.colspan > 1)) out.push(`${where}: colspan ${cell.colspan}`);
        if (cell.rowspan !== undefined && !(cell.rowspan > 1)) out.push(`${where}: rowspan ${cell.rowspan}`);
      });
    });
  });
  return out;
}

/** Run a reader; it may only return a well-formed model or throw a ReadError with an allowed code (a hang fails by the test's timeout). */
function check(read: (s: string, f: string) => DocumentModel, input: string, allowed: string[]): void {
  let doc: DocumentModel | null = null;
  let error: unknown = null;
  try {
    doc = read(input, 'fuzz');
  } catch (e) {
    error = e;
  }
  if (error !== null) {
    if (!(error instanceof ReadError) || !allowed.includes(error.code)) {
      expect.fail(`unexpected error: ${error instanceof Error ? error.stack : String(error)}`);
    }
    return;
  }
  const found = problems(doc!);
  if (found.length > 0) expect.fail(found.slice(0, 5).join('; '));
}

type Mutation = { op: 'delete' | 'duplicate' | 'insert' | 'truncate'; at: number; len: number; token: string };

function mutate(src: string, muts: Mutation[]): string {
  let s = src;
  for (const m of muts) {
    const at = Math.floor(m.at * s.length);
    const end = Math.min(s.length, at + m.len);
    if (m.op === 'delete') s = s.slice(0, at) + s.slice(end);
    else if (m.op === 'duplicate') s = s.slice(0, end) + s.slice(at, end) + s.slice(end);
    else if (m.op === 'insert') s = s.slice(0, at) + m.token + s.slice(at);
    else s = s.slice(0, at);
  }
  return s;
}

const mutation = (tokens: string[]) =>
  fc.record({
    op: fc.constantFrom<Mutation['op']>('delete', 'duplicate', 'insert', 'insert', 'truncate'),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    len: fc.integer({ min: 0, max: 400 }),
    token: fc.constantFrom(...tokens),
  });

const HTML_TOKENS = [
  '<table>',
  '</table>',
  '<tr>',
  '</tr>',
  '<td>',
  '</td>',
  '<td colspan="3" rowspan="22">',
  '<td rowspan="0">',
  '<th colspan="x">',
  '<br />',
  '&nbsp;',
  '&#0;',
  '<div class="content">',
  '<div id="zoom">',
  '</div>',
  '<p>',
  '<pre>',
  '<script>',
  '</script>',
  '<!--',
  '-->',
  '<title>',
  '<caption>',
  '<svg><title>x</title>',
  '<template>',
  '<tbody>',
  '主动公开政府信息情况',
  '自然人',
  '\n',
  '\r',
  '\u0000',
  '"',
  '<',
  '>',
  '😀',
];

const MD_TOKENS = [
  '|',
  '\\|',
  '|---|',
  '\n|---|---|\n',
  '\n',
  '\n\n',
  '**',
  '__',
  '*',
  '_',
  '~~',
  '`',
  '```',
  '\\',
  '<br>',
  '<table>',
  '</table>',
  '<td rowspan="2">',
  '<div>',
  '<!--',
  '-->',
  '[',
  '](',
  ')',
  '![',
  '&nbsp;',
  '&#x110000;',
  '- ',
  '1. ',
  '# ',
  '> ',
  '\r\n',
  '😀',
];

const htmlish = fc.array(fc.oneof(fc.constantFrom(...HTML_TOKENS), fc.string({ maxLength: 5 })), { maxLength: 80 }).map((a) => a.join(''));
const mdish = fc.array(fc.oneof(fc.constantFrom(...MD_TOKENS), fc.string({ maxLength: 5 })), { maxLength: 80 }).map((a) => a.join(''));

describe('fuzz: readHtml', () => {
  it('arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => check(readHtml, s, ['empty'])),
      { numRuns: 300 },
    );
  });

  it('tag soup', () => {
    fc.assert(
      fc.property(htmlish, (s) => check(readHtml, s, ['empty'])),
      { numRuns: 400 },
    );
  });

  it('mutated copies of the real report page', () => {
    fc.assert(
      fc.property(fc.array(mutation(HTML_TOKENS), { minLength: 1, maxLength: 6 }), (muts) =>
        check(readHtml, mutate(HTML, muts), ['empty']),
      ),
      { numRuns: 200 },
    );
  });
});

describe('fuzz: readMarkdown', () => {
  it('arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => check(readMarkdown, s, ['empty'])),
      { numRuns: 300 },
    );
  });

  it('markdown soup', () => {
    fc.assert(
      fc.property(mdish, (s) => check(readMarkdown, s, ['empty'])),
      { numRuns: 400 },
    );
  });

  it('mutated copies of the real Markdown report', () => {
    fc.assert(
      fc.property(fc.array(mutation(MD_TOKENS), { minLength: 1, maxLength: 6 }), (muts) =>
        check(readMarkdown, mutate(MD, muts), ['empty']),
      ),
      { numRuns: 200 },
    );
  });
});

describe('fuzz: decodeText', () => {
  const decodeCheck = (bytes: Uint8Array, html: boolean) => {
    try {
      const r = decodeText(bytes, 'fuzz.bin', { htmlCharset: html });
      expect(r.text).not.toContain('\r');
      expect(r.text.trim()).not.toBe('');
      expect(['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'big5']).toContain(r.encoding);
    } catch (e) {
      expect(e, String(e instanceof Error ? e.stack : e)).toBeInstanceOf(ReadError);
      expect(['empty', 'binary', 'encoding']).toContain((e as ReadError).code);
    }
  };

  it('arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (b, html) => decodeCheck(b, html)),
      { numRuns: 500 },
    );
  });

  it('byte-level mutations of the GBK page', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat({ max: GBK.length - 1 }), value: fc.integer({ min: 0, max: 255 }), cut: fc.boolean() }), {
          minLength: 1,
          maxLength: 20,
        }),
        (edits) => {
          let b: Uint8Array = Uint8Array.from(GBK);
          for (const e of edits) {
            if (e.cut) b = b.subarray(0, Math.min(b.length, e.at));
            else if (e.at < b.length) b[e.at] = e.value;
          }
          decodeCheck(b, true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('decoded text then read as HTML or Markdown still only throws ReadError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
        let text: string;
        try {
          text = decodeText(b, 'fuzz', { htmlCharset: true }).text;
        } catch (e) {
          expect(e).toBeInstanceOf(ReadError);
          return;
        }
        check(readHtml, text, ['empty']);
        check(readMarkdown, text, ['empty']);
      }),
      { numRuns: 300 },
    );
  });
});
