/**
 * Hostile inputs found by a security test of the server (see test/fixtures/hostile/README.md):
 * each must end in a ReadError with one clear sentence in Chinese and one in English naming
 * the file, and the reader must refuse before it materialises the attack — memory is
 * bounded by construction, and the tests check the peak RSS of the process, not the time.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parseBytes } from '../src/parse.js';
import { readDocx } from '../src/read/docx.js';
import { LIMITS, ReadError } from '../src/read/errors.js';
import { readDocument } from '../src/read/index.js';
import { readPdf } from '../src/read/pdf.js';
import {
  decodeLimitActive,
  importedWorkerKind,
  PDF_DECODE_LIMITS,
  patchWorkerSource,
  SAFETY_PATCHES,
  WORKER_PATCHES,
  workerSourcePath,
} from '../src/read/pdfjs-worker.js';
import { readXlsx } from '../src/read/xlsx.js';
import {
  billionLaughsDocx,
  billionLaughsDtd,
  billionLaughsXlsx,
  hugeXlsx,
  lzwZeros,
  PDF_BOMB_BYTES,
  pdfWithStreams,
  rawXlsx,
} from './fixtures/hostile/make-hostile.js';
import { rawDocx, reportXlsx, tinyXlsx } from './fixtures/office/make-fixtures.js';
import { makePdf } from './helpers/pdf.js';

const ROOT = resolve(import.meta.dirname, '..');
const HOSTILE = join(ROOT, 'test/fixtures/hostile');
const MB = 1024 * 1024;
/** the most the peak RSS may grow while one hostile file is read */
const MAX_GROWTH = 600 * MB;

async function readError(p: Promise<unknown>): Promise<ReadError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof ReadError)) throw new Error(`expected a ReadError, got ${e instanceof Error ? e.stack : String(e)}`);
  return e;
}

function syncReadError(fn: () => unknown): ReadError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ReadError) return e;
    throw e;
  }
  throw new Error('expected a ReadError, but the read succeeded');
}

/** one sentence in each language, both naming the file, no library text and no "undefined" */
function expectCleanMessages(e: ReadError, file: string): void {
  expect(e.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(e.zh).toContain(file);
  expect(e.zh).toMatch(/。$/);
  expect(e.en).toContain(file);
  expect(e.en).toMatch(/^[^\u4e00-\u9fff]+\.$/);
  for (const s of [e.zh, e.en]) {
    expect(s).not.toMatch(/undefined|null|TypeError|RangeError|Cannot (?:read|set) propert|is not a function|parseOpen|\d+:\d+: /);
  }
}

interface Measured {
  name: string | null;
  code: string | null;
  zh: string | null;
  en: string | null;
  /** peak RSS minus RSS before the read, in bytes */
  growth: number;
  kind: string | null;
  limit: boolean;
}

/** read one hostile input in a fresh process (test/fixtures/hostile/measure.ts): its error and peak RSS growth */
function measure(which: string, env: Record<string, string> = {}): Measured {
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', join(HOSTILE, 'measure.ts'), which], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    maxBuffer: 16 * MB,
  }).toString('utf8');
  return JSON.parse(stdout) as Measured;
}

// ---------------------------------------------------------------------------
// PDF: decompression bombs

describe('PDF decompression bombs', () => {
  const bombFile = join(HOSTILE, 'flate-bomb.pdf');
  const bomb = new Uint8Array(readFileSync(bombFile));
  const ZH = '文件 flate-bomb.pdf 中的压缩内容解压后超出上限（单个数据流超过 64 MB），疑似“解压缩炸弹”，已拒绝读取。';
  const EN =
    'File flate-bomb.pdf has compressed content that expands beyond the limit (one stream over 64 MB); it looks like a decompression bomb and was refused.';

  it('the fixture is small and inflates to 2 GiB', () => {
    expect(bomb.length).toBeLessThan(3 * MB);
    expect(PDF_BOMB_BYTES).toBe(2 ** 31);
    expect(readFileSync(bombFile, 'latin1')).toContain('/Filter /FlateDecode');
  });

  it('a 2 MB PDF whose content stream inflates to 2 GiB → too-large at the per-stream limit; memory stays bounded', async () => {
    const r = measure('flate-bomb');
    expect(r).toMatchObject({ kind: 'patched', limit: true, name: 'ReadError', code: 'too-large', zh: ZH, en: EN });
    expect(r.growth).toBeLessThan(MAX_GROWTH);
    // and in this process, through parseBytes (what the CLI and the server call)
    const e = await readError(parseBytes(bomb, 'flate-bomb.pdf'));
    expect(e.code).toBe('too-large');
    expect(e.zh).toBe(ZH);
    expect(e.en).toBe(EN);
    expectCleanMessages(e, 'flate-bomb.pdf');
    expect(importedWorkerKind()).toBe('patched');
    expect(decodeLimitActive()).toBe(true);
  });

  it('with NIANBAO_PDFJS_PATCHES=0 (the plain worker, DecompressionStream) the limit holds too', () => {
    const r = measure('flate-bomb', { NIANBAO_PDFJS_PATCHES: '0' });
    expect(r).toMatchObject({ kind: 'plain', limit: true, name: 'ReadError', code: 'too-large', zh: ZH, en: EN });
    expect(r.growth).toBeLessThan(MAX_GROWTH);
  });

  it("pdfjs's own decoder (LZW: no zlib) is held to the same limit", () => {
    expect(lzwZeros(300 * MB).length).toBeLessThan(200 * 1024);
    const r = measure('lzw-bomb');
    expect(r).toMatchObject({ name: 'ReadError', code: 'too-large' });
    expect(r.en).toContain('(one stream over 64 MB)');
    expect(r.growth).toBeLessThan(MAX_GROWTH);
  });

  it('streams each under the per-stream limit are held to the per-document total', () => {
    expect(60 * MB).toBeLessThan(PDF_DECODE_LIMITS.maxStreamBytes);
    const r = measure('many-streams');
    expect(r).toMatchObject({ name: 'ReadError', code: 'too-large' });
    expect(r.zh).toContain('（合计超过 256 MB）');
    expect(r.en).toContain('(over 256 MB in total)');
    expect(r.growth).toBeLessThan(MAX_GROWTH);
  });

  it('an LZW stream a little over the limit, in this process: the same error', async () => {
    const pdf = pdfWithStreams([{ data: lzwZeros(PDF_DECODE_LIMITS.maxStreamBytes + MB), filter: '/LZWDecode' }]);
    const e = await readError(readPdf(pdf, 'lzw.pdf'));
    expect(e.code).toBe('too-large');
    expectCleanMessages(e, 'lzw.pdf');
  });

  it('an ordinary PDF still reads, and no decoding budget is left behind', async () => {
    const doc = await readPdf(
      makePdf(['BT /F1 12 Tf 72 700 Td (Government information disclosure annual report: 2024 figures) Tj ET'], true),
      'fine.pdf',
    );
    expect(doc.blocks.length).toBeGreaterThan(0);
    const registry = (globalThis as unknown as Record<symbol, Map<string, unknown>>)[Symbol.for('nianbao.pdfjs.decodeBudgets')];
    expect(registry.size).toBe(0);
  });

  it('the decode-limit patches apply to the installed pdfjs-dist on their own, and are part of the full set', () => {
    const source = readFileSync(workerSourcePath(), 'utf8');
    expect(SAFETY_PATCHES.map((p) => p.name)).toEqual([
      'decode-limit-helpers',
      'decode-limit-buffer',
      'decode-limit-decompression-stream',
      'decode-limit-rethrow',
      'decode-limit-filters',
    ]);
    expect(patchWorkerSource(source, SAFETY_PATCHES).missing).toEqual([]);
    for (const p of SAFETY_PATCHES) expect(WORKER_PATCHES).toContain(p);
  });
});

// ---------------------------------------------------------------------------
// XLSX: too many rows and cells, library messages

describe('XLSX with a million rows', () => {
  it('→ too-large while the sheet inflates, before exceljs sees it; memory stays bounded', async () => {
    const r = measure('million-rows');
    expect(r).toMatchObject({ name: 'ReadError', code: 'too-large' });
    expect(r.growth).toBeLessThan(MAX_GROWTH);

    const bytes = hugeXlsx(1_000_000);
    expect(bytes.length).toBeGreaterThan(2 * MB); // a few MB zipped, ~47 MB of sheet XML
    // exceljs is never asked to load the workbook
    const require = createRequire(import.meta.url);
    const XLSX = require('exceljs/lib/xlsx/xlsx.js') as { prototype: { load: (...a: unknown[]) => unknown } };
    const load = vi.spyOn(XLSX.prototype, 'load');
    try {
      const e = await readError(readXlsx(bytes, 'million.xlsx'));
      expect(load).not.toHaveBeenCalled();
      expect(e.code).toBe('too-large');
      expect(e.zh).toBe(`文件 million.xlsx 中的行超过 ${LIMITS.maxCells} 个（xl/worksheets/sheet1.xml），已停止读取。`);
      expect(e.en).toBe(`million.xlsx has more than ${LIMITS.maxCells} rows (xl/worksheets/sheet1.xml); reading stopped.`);
      expect(r.zh).toBe(e.zh);
      expectCleanMessages(e, 'million.xlsx');
      // control: the spy does see a workbook that is read
      await readXlsx(await tinyXlsx(), 'ok.xlsx');
      expect(load).toHaveBeenCalledTimes(1);
    } finally {
      load.mockRestore();
    }
  });

  it('cells in one row, empty rows, prefixed elements, shared strings and sheets in other directories are counted too', async () => {
    const n = LIMITS.maxCells + 1;
    // (distinct values: a repeated string would compress beyond the ZIP-bomb ratio and be refused as such)
    const cells = Array.from({ length: n }, (_, i) => `<c><v>${i}</v></c>`).join('');
    const wide = rawXlsx(`<row r="1">${cells}</row>`);
    expect((await readError(readXlsx(wide, 'wide.xlsx'))).en).toContain(`more than ${LIMITS.maxCells} cells`);
    const rows = rawXlsx(Array.from({ length: n }, (_, i) => `<row r="${i + 1}"/>`).join(''));
    expect((await readError(readXlsx(rows, 'rows.xlsx'))).en).toContain(`more than ${LIMITS.maxCells} rows`);
    // with a namespace prefix on every element
    const prefixed = rawXlsx('', {
      sheetXml: `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1">${cells.replace(/<(\/?)([cv])>/g, '<$1x:$2>')}</x:row></x:sheetData></x:worksheet>`,
    });
    expect((await readError(readXlsx(prefixed, 'x.xlsx'))).code).toBe('too-large');
    const good = await tinyXlsx();
    const files = unzipSync(good);
    files['xl/sharedStrings.xml'] = strToU8(
      `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${Array.from({ length: n }, (_, i) => `<si><t>${i}</t></si>`).join('')}</sst>`,
    );
    const sst = await readError(readXlsx(zipSync(files), 'strings.xlsx'));
    expect(sst.code).toBe('too-large');
    expect(sst.en).toContain('shared strings');
    // a sheet member exceljs would parse although it hides under another directory
    const hidden = unzipSync(good);
    hidden['extra/xl/worksheets/sheet9.xml'] = strToU8(`<worksheet><sheetData><row r="1">${cells}</row></sheetData></worksheet>`);
    expect((await readError(readXlsx(zipSync(hidden), 'hidden.xlsx'))).code).toBe('too-large');
  });

  it('150,000 one-cell rows (under the limit) read: no argument spreading into Math.min/max', async () => {
    const doc = await readXlsx(hugeXlsx(150_000), 'tall.xlsx');
    expect(doc.blocks.length).toBe(150_000);
    expect(doc.blocks[149_999]).toMatchObject({ type: 'paragraph', text: '0', prov: { row: 150_000, address: 'A150000' } });
  });
});

describe('mutated XLSX: never the library’s message', () => {
  let files: Record<string, Uint8Array>;
  beforeAll(async () => {
    files = unzipSync(await tinyXlsx());
  });
  const mutated = (name: string, edit: (s: string) => string) => {
    const f = { ...files };
    const before = strFromU8(f[name]);
    const after = edit(before);
    expect(after, name).not.toBe(before);
    f[name] = strToU8(after);
    return zipSync(f);
  };

  it('exceljs TypeErrors and parser positions become one clean sentence, the library error kept as `cause`', async () => {
    const cases: [string, Uint8Array][] = [
      // exceljs: "Cannot read properties of undefined (reading 'company')"
      ['app.xlsx', mutated('docProps/app.xml', (s) => s.replace('</Properties>', ''))],
      // exceljs: "Cannot read properties of undefined (reading 'richText')"
      ['strings.xlsx', mutated('xl/sharedStrings.xml', (s) => s.replace(/<si><t>规章<\/t><\/si>/, ''))],
      // exceljs: "Unexpected xml node in parseOpen: {…}"
      ['rels.xlsx', mutated('_rels/.rels', (s) => s.replace('<Relationship ', '<Relationsh '))],
      // saxes: "2:215: attribute without value."
      ['attr.xlsx', mutated('xl/worksheets/sheet1.xml', (s) => s.replace(/ r="A1"/, ' r'))],
    ];
    for (const [name, bytes] of cases) {
      const e = await readError(readXlsx(bytes, name));
      expect(e.code, name).toBe('corrupt');
      expect(e.zh, name).toBe(`文件 ${name} 不是有效的 Excel 工作簿，可能已损坏。`);
      expect(e.en, name).toBe(`${name} is not a valid Excel workbook; it may be damaged.`);
      expect(e.cause, name).toBeInstanceOf(Error);
      expectCleanMessages(e, name);
    }
  });

  it('random deletions in every XML part: a model or a clean ReadError, never a library message', async () => {
    const good = unzipSync(await reportXlsx());
    const names = Object.keys(good).filter((n) => /\.(?:xml|rels)$/.test(n));
    let seed = 20240601;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    let errors = 0;
    for (let i = 0; i < 150; i++) {
      const f = { ...good };
      const name = names[Math.floor(rnd() * names.length)];
      const s = strFromU8(f[name]);
      const at = Math.floor(rnd() * s.length);
      f[name] = strToU8(s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 30)));
      const r = await readXlsx(zipSync(f), `m${i}.xlsx`).then(
        () => null,
        (e: unknown) => e,
      );
      if (r === null) continue;
      errors++;
      expect(r, `${name}: ${String(r)}`).toBeInstanceOf(ReadError);
      expectCleanMessages(r as ReadError, `m${i}.xlsx`);
    }
    expect(errors).toBeGreaterThan(50);
  });
});

// ---------------------------------------------------------------------------
// DTDs in Office files

describe('DTD entity declarations (billion laughs)', () => {
  const DOCX_ZH = (f: string) => `文件 ${f} 含有 Word 文档不应有的 DTD 实体声明，已拒绝读取。`;
  const DOCX_EN = (f: string) => `${f} contains DTD entity declarations that a Word document never has; refused.`;
  const XLSX_ZH = (f: string) => `文件 ${f} 含有 Excel 工作簿不应有的 DTD 实体声明，已拒绝读取。`;
  const XLSX_EN = (f: string) => `${f} contains DTD entity declarations that an Excel workbook never has; refused.`;

  it('a DOCX whose document.xml declares nested entities → refused with a clear sentence (no "undefined")', async () => {
    const bytes = billionLaughsDocx();
    const e = syncReadError(() => readDocx(bytes, 'laughs.docx'));
    expect(e.code).toBe('corrupt');
    expect(e.zh).toBe(DOCX_ZH('laughs.docx'));
    expect(e.en).toBe(DOCX_EN('laughs.docx'));
    expectCleanMessages(e, 'laughs.docx');
    const viaParse = await readError(parseBytes(bytes, 'laughs.docx'));
    expect(viaParse.zh).toBe(DOCX_ZH('laughs.docx'));
  });

  it('in any XML part of a DOCX, and in UTF-16 too', () => {
    const inStyles = rawDocx('<w:p><w:r><w:t>正文</w:t></w:r></w:p>', {
      extra: { 'word/styles.xml': strToU8(`<?xml version="1.0"?>${billionLaughsDtd('w:styles')}<w:styles/>`) },
    });
    expect(syncReadError(() => readDocx(inStyles, 's.docx')).zh).toBe(DOCX_ZH('s.docx'));
    const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const xml = `\ufeff<?xml version="1.0" encoding="UTF-16"?>${billionLaughsDtd('w:document')}<w:document xmlns:w="${W}"><w:body/></w:document>`;
    const utf16 = rawDocx('', { extra: { 'word/document.xml': new Uint8Array(Buffer.from(xml, 'utf16le')) } });
    expect(syncReadError(() => readDocx(utf16, 'u.docx')).zh).toBe(DOCX_ZH('u.docx'));
    // a bare DOCTYPE without entities is refused as well: Word never writes one
    const bare = rawDocx('', {
      documentXml: `<?xml version="1.0"?><!DOCTYPE w:document><w:document xmlns:w="${W}"><w:body/></w:document>`,
    });
    expect(syncReadError(() => readDocx(bare, 'b.docx')).en).toBe(DOCX_EN('b.docx'));
  });

  it('an XLSX with the entities in a sheet or in the workbook part → refused the same way', async () => {
    for (const [name, bytes] of [
      ['sheet.xlsx', billionLaughsXlsx('sheet')],
      ['book.xlsx', billionLaughsXlsx('workbook')],
    ] as const) {
      const e = await readError(readXlsx(bytes, name));
      expect(e.code, name).toBe('corrupt');
      expect(e.zh, name).toBe(XLSX_ZH(name));
      expect(e.en, name).toBe(XLSX_EN(name));
    }
  });

  it('malformed DOCX XML (an undefined entity, no DTD) gives a sentence without the parser’s message', () => {
    const e = syncReadError(() => readDocx(rawDocx('<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'), 'bad.docx'));
    expect(e.code).toBe('corrupt');
    expect(e.zh).toBe('文件 bad.docx 的 Word 正文（word/document.xml）不是有效的 XML，文件可能已损坏。');
    expect(e.en).toBe('The document body (word/document.xml) of bad.docx is not well-formed XML; the file may be damaged.');
    expect(e.cause).toBeInstanceOf(Error);
    expectCleanMessages(e, 'bad.docx');
  });
});

describe('every hostile file through readDocument', () => {
  it('ends in a ReadError with clean bilingual messages', async () => {
    const inputs: [string, Uint8Array][] = [
      ['flate-bomb.pdf', new Uint8Array(readFileSync(join(HOSTILE, 'flate-bomb.pdf')))],
      ['laughs.docx', billionLaughsDocx()],
      ['laughs.xlsx', billionLaughsXlsx()],
      ['rows.xlsx', rawXlsx(Array.from({ length: LIMITS.maxCells + 1 }, (_, i) => `<row r="${i + 1}"/>`).join(''))],
    ];
    for (const [name, bytes] of inputs) {
      const e = await readError(readDocument(bytes, name));
      expectCleanMessages(e, name);
    }
  });
});
