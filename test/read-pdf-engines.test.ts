/**
 * The PDF reader's two engines (issue 19): PDFium (the default, src/read/pdf-pdfium.ts) and pdfjs
 * (the engine before, and the fallback). The same document must give the same Report, and the same
 * document model but for what PDFium reads better; documents PDFium must not read go to pdfjs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { parseBytes } from '../src/parse.js';
import type { Block, DocumentModel } from '../src/read/document.js';
import { ReadError } from '../src/read/errors.js';
import { lastPdfEngine, readPdf } from '../src/read/pdf.js';
import { checkStreams, pdfiumEnabled } from '../src/read/pdf-pdfium.js';
import { PDF_DECODE_LIMITS } from '../src/read/pdfjs-worker.js';
import { unifyRadicals } from '../src/read/radicals.js';
import { locateFonts, renderPdf } from '../src/render/pdf.js';
import { lzwZeros, pdfWithStreams } from './fixtures/hostile/make-hostile.js';
import { sampleReport2019 } from './helpers/arbitrary.js';
import { comparable } from './helpers/expect-report.js';
import { CORPUS, FIXTURES, SEEDS, seedFiles } from './helpers/paths.js';
import { makePdf } from './helpers/pdf.js';

const CONVERTERS = join(FIXTURES, 'converters');

let fontsInstalled = true;
try {
  locateFonts();
} catch {
  fontsInstalled = false;
}

/** the PDFs both engines read: corpus, LibreOffice and Chromium PDFs, and our own rendered ones */
async function documents(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (const f of readdirSync(join(CORPUS, 'pdf')).filter((n) => n.endsWith('.pdf')))
    out.push({ name: f, bytes: new Uint8Array(readFileSync(join(CORPUS, 'pdf', f))) });
  for (const f of readdirSync(CONVERTERS).filter((n) => n.endsWith('.pdf')))
    out.push({ name: f, bytes: new Uint8Array(readFileSync(join(CONVERTERS, f))) });
  if (fontsInstalled || process.env.CI) {
    const seed = seedFiles()[0];
    const report = await parseBytes(new Uint8Array(readFileSync(join(SEEDS, seed))), seed);
    out.push({ name: 'rendered-seed.pdf', bytes: await renderPdf(report) });
    out.push({ name: 'rendered-2019.pdf', bytes: await renderPdf(sampleReport2019()) });
  }
  return out;
}

/** text of a cell or paragraph as the extractor reads it (PDFium gives 工 and 民 where pdfjs gives the radicals ⼯ and ⺠) */
const norm = (s: string) => unifyRadicals(s).normalize('NFKC');

/**
 * Asserts that two document models are the same: blocks, rows, cells and their text, positions
 * within 0.05 pt (PDFium gives positions as 32-bit floats). One difference is allowed: where pdfjs
 * loses the end of a line of vertical text (it keeps `三、本` of the vertical label
 * `三、本年度办理结果` of the Hongze reports), PDFium's text may go on after pdfjs's.
 */
function expectSameModel(pdfium: DocumentModel, pdfjs: DocumentModel, name: string): void {
  expect(pdfium.blocks.length, name).toBe(pdfjs.blocks.length);
  const close = (a: number | undefined, b: number | undefined, where: string) => {
    if (a === undefined || b === undefined) expect(a, where).toBe(b);
    else expect(Math.abs(a - b), `${where}: ${a} vs ${b}`).toBeLessThan(0.05);
  };
  /** true when the texts are the same, false when PDFium's goes on (then its box is larger) */
  const sameText = (a: string, b: string, where: string): boolean => {
    if (norm(a) === norm(b)) return true;
    expect(norm(a).startsWith(norm(b)) && /[\u4e00-\u9fff]$/.test(b), `${where}: ${a} vs ${b}`).toBe(true);
    return false;
  };
  pdfjs.blocks.forEach((want: Block, i) => {
    const got = pdfium.blocks[i];
    expect(got.type, `${name} block ${i}`).toBe(want.type);
    if (got.type === 'paragraph' && want.type === 'paragraph') {
      sameText(got.text, want.text, `${name} paragraph ${i}`);
      expect((got.prov as { page?: number }).page).toBe((want.prov as { page?: number }).page);
    } else if (got.type === 'table' && want.type === 'table') {
      expect(
        got.rows.map((r) => r.length),
        `${name} table ${i}`,
      ).toEqual(want.rows.map((r) => r.length));
      for (let r = 0; r < got.rows.length; r++) {
        for (let c = 0; c < got.rows[r].length; c++) {
          const [cell, w] = [got.rows[r][c], want.rows[r][c]];
          const where = `${name} table ${i} row ${r} cell ${c}`;
          const same = sameText(cell.text, w.text, where);
          const [gp, wp] = [cell.prov, w.prov] as { page?: number; x?: number; y?: number }[];
          expect(gp?.page, where).toBe(wp?.page);
          if (!same) continue;
          close(gp?.x, wp?.x, `${where} x`);
          close(gp?.y, wp?.y, `${where} y`);
        }
      }
    }
  });
}

const tables = (r: Report) => comparable(r);

afterEach(() => {
  delete process.env.NIANBAO_PDF_ENGINE;
});

describe('PDFium and pdfjs read the same', () => {
  it('PDFium is the default engine; NIANBAO_PDF_ENGINE=pdfjs selects pdfjs', async () => {
    expect(pdfiumEnabled({})).toBe(true);
    expect(pdfiumEnabled({ NIANBAO_PDF_ENGINE: 'pdfjs' })).toBe(false);
    const bytes = new Uint8Array(readFileSync(join(CORPUS, 'pdf', 'huaian-hongze-2024.pdf')));
    await readPdf(bytes, 'a.pdf');
    expect(lastPdfEngine()).toBe('pdfium');
    process.env.NIANBAO_PDF_ENGINE = 'pdfjs';
    await readPdf(bytes, 'a.pdf');
    expect(lastPdfEngine()).toBe('pdfjs');
  });

  it('corpus, LibreOffice, Chromium and our own rendered PDFs: the same Report and document model', { timeout: 300_000 }, async () => {
    const docs = await documents();
    expect(docs.length).toBeGreaterThanOrEqual(9);
    for (const { name, bytes } of docs) {
      const a = await readPdf(bytes, name, { engine: 'pdfium' });
      expect(lastPdfEngine(), name).toBe('pdfium');
      const b = await readPdf(bytes, name, { engine: 'pdfjs' });
      expect(lastPdfEngine(), name).toBe('pdfjs');
      expectSameModel(a, b, name);
      // and the whole parse: every table cell, the agency, the year, the sections
      const ra = await parseBytes(bytes, name);
      process.env.NIANBAO_PDF_ENGINE = 'pdfjs';
      const rb = await parseBytes(bytes, name);
      delete process.env.NIANBAO_PDF_ENGINE;
      expect(tables(ra), name).toEqual(tables(rb));
    }
  });

  it('rulings: without them a ruled report reads differently, with them both engines agree (the rendered seed)', async () => {
    if (!fontsInstalled && !process.env.CI) return;
    const seed = seedFiles()[0];
    const bytes = await renderPdf(await parseBytes(new Uint8Array(readFileSync(join(SEEDS, seed))), seed));
    const ruled = await readPdf(bytes, 'r.pdf', { engine: 'pdfium' });
    const bare = await readPdf(bytes, 'r.pdf', { engine: 'pdfium', rulings: false });
    expect(JSON.stringify(ruled)).not.toBe(JSON.stringify(bare));
    expectSameModel(bare, await readPdf(bytes, 'r.pdf', { engine: 'pdfjs', rulings: false }), 'no rulings');
  });

  it('vertical text (an Identity-V font) is read whole by PDFium', async () => {
    const bytes = new Uint8Array(readFileSync(join(CORPUS, 'pdf', 'huaian-hongze-2024.pdf')));
    const doc = await readPdf(bytes, 'h.pdf', { engine: 'pdfium' });
    const cells = doc.blocks.flatMap((b) => (b.type === 'table' ? b.rows.flat() : []));
    expect(cells.some((c) => c.text === '三、本年度办理结果')).toBe(true);
  });

  it('a rotated page and a text-only page read the same with both engines', async () => {
    const text = 'BT /F1 12 Tf 72 700 Td (Government information disclosure annual report 2024) Tj ET';
    for (const extra of ['', '/Rotate 90 ', '/Rotate 180 ', '/Rotate 270 ', '/CropBox [20 20 500 800] ']) {
      const pdf = makePdf([text, text], true, extra);
      expectSameModel(
        await readPdf(pdf, 'x.pdf', { engine: 'pdfium' }),
        await readPdf(pdf, 'x.pdf', { engine: 'pdfjs' }),
        extra || 'plain',
      );
    }
  });
});

describe('documents PDFium does not read go to pdfjs', () => {
  it('streams are checked against the decoding limits before PDFium inflates them', () => {
    for (const f of readdirSync(join(CORPUS, 'pdf')))
      expect(checkStreams(readFileSync(join(CORPUS, 'pdf', f)), PDF_DECODE_LIMITS), f).toBe(true);
    // a flate bomb, a stream with a filter not checked here, Flate of Flate, an encrypted document
    expect(checkStreams(readFileSync(join(FIXTURES, 'hostile', 'flate-bomb.pdf')), PDF_DECODE_LIMITS)).toBe(false);
    expect(checkStreams(pdfWithStreams([{ data: lzwZeros(1024), filter: '/LZWDecode' }]), PDF_DECODE_LIMITS)).toBe(false);
    expect(checkStreams(makePdf(['0 0 m 1 1 l S']).slice(), PDF_DECODE_LIMITS)).toBe(true);
    expect(checkStreams(readFileSync(join(FIXTURES, 'pdf', 'owner-password-only.pdf')), PDF_DECODE_LIMITS)).toBe(false);
    // streams each under the per-stream limit, together over the per-document limit
    const small = { maxStreamBytes: 64 * 1024 * 1024, maxTotalBytes: 1000 };
    expect(checkStreams(readFileSync(join(CORPUS, 'pdf', 'huaian-city-2024.pdf')), small)).toBe(false);
  });

  it('a flate bomb is refused with the decoding limit’s error (read by pdfjs)', async () => {
    const bomb = new Uint8Array(readFileSync(join(FIXTURES, 'hostile', 'flate-bomb.pdf')));
    const e = await readPdf(bomb, 'bomb.pdf').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ReadError);
    expect((e as ReadError).code).toBe('too-large');
  });

  it('an owner-password PDF reads (by pdfjs), a user-password PDF is encrypted, a damaged one corrupt', async () => {
    const owner = new Uint8Array(readFileSync(join(FIXTURES, 'pdf', 'owner-password-only.pdf')));
    await readPdf(owner, 'o.pdf');
    expect(lastPdfEngine()).toBe('pdfjs');
    const secret = new Uint8Array(readFileSync(join(FIXTURES, 'pdf', 'encrypted.pdf')));
    expect(((await readPdf(secret, 's.pdf').catch((x: unknown) => x)) as ReadError).code).toBe('encrypted');
    const garbage = new Uint8Array([...Buffer.from('%PDF-1.7\n'), ...new Uint8Array(5000).fill(7), ...Buffer.from('\n%%EOF\n')]);
    expect(((await readPdf(garbage, 'g.pdf').catch((x: unknown) => x)) as ReadError).code).toBe('corrupt');
  });
});
