/**
 * The PDF fonts, parsed once per process and shared (src/render/fonts.ts), their
 * subsets written without subroutines (src/render/fonts-cff.ts) and pdfkit's
 * content streams written in one piece (src/render/pdf.ts): rare characters are
 * embedded and read back (no tofu), a document's bytes do not depend on what the
 * process rendered before, the flattened subsets draw the same pages as fontkit's
 * own, and the content patch changes no byte.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { fontOptions, sharedFace } from '../src/render/fonts.js';
import { flatCharString } from '../src/render/fonts-cff.js';
import { contentPatched, locateFonts, renderPdf, setContentPatch } from '../src/render/pdf.js';
import { sampleReport2021 } from './helpers/arbitrary.js';
import { skipping, skipUnless } from './helpers/skip.js';
import { hasTool, needsFonts } from './helpers/tools.js';

/**
 * Rare characters of names and places: CJK Extension A (㵐 䶮 㐀 䲜), Extension B and
 * later (𠮷 𡈼 𬌗 𫟼 𬍛, outside the Basic Multilingual Plane), and unified ideographs
 * outside GB2312 (龑 堃 喆 珺 赟 犇 鱻 靐).
 */
const RARE = ['㵐', '䶮', '㐀', '䲜', '𠮷', '𡈼', '𬌗', '𫟼', '𬍛', '龑', '堃', '喆', '昇', '珺', '赟', '犇', '淼', '鱻', '靐'];

function rareReport(): Report {
  const r = sampleReport2021();
  r.agency = '㵐䶮县𠮷龑镇人民政府';
  r.sections = {
    ...r.sections,
    overview: `本年度经办人为李㵐、王䶮、张𠮷、刘龑、陈堃、赵喆、孙昇、周珺、吴赟、郑犇、冯淼，涉及鱻靐村、𡈼䲜组、㐀𬌗𫟼𬍛社区的申请均已办结。${r.sections.overview ?? ''}`,
  };
  return r;
}

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

/** the text of each page as pdfjs extracts it (through the ToUnicode maps) */
async function pageTexts(pdf: Uint8Array): Promise<string[]> {
  const pdfjs: Pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, useSystemFonts: false })
    .promise;
  const out: string[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      out.push(
        (await page.getTextContent()).items
          .map((it) => ('str' in it ? it.str : ''))
          .join('')
          .replace(/\s+/g, ''),
      );
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
  return out;
}

describe.skipIf(
  skipping(needsFonts, 'PDF fonts', '没有安装 Noto CJK 字体（fonts-noto-cjk）', 'the Noto CJK fonts (fonts-noto-cjk) are not installed'),
)('PDF fonts', () => {
  const saved = fontOptions.flattenSubsets;
  afterAll(() => {
    fontOptions.flattenSubsets = saved;
    setContentPatch(true);
  });

  it('embeds rare characters (Extension A, B and later, names outside GB2312) and reads them back, no tofu', async () => {
    const faces = locateFonts();
    for (const key of ['serif', 'serifBold', 'sansBold'] as const) {
      const face = sharedFace(faces[key].path, faces[key].postscript);
      for (const ch of RARE) expect(face.hasGlyphForCodePoint(ch.codePointAt(0)!), `${key} ${ch}`).toBe(true);
    }
    const report = rareReport();
    const pdf = await renderPdf(report);
    const text = (await pageTexts(pdf)).join('');
    // a character drawn as .notdef reads back as U+0000, not as itself
    expect(text).not.toContain('\u0000');
    for (const ch of RARE) expect(text, ch).toContain(ch);
    expect(text).toContain('李㵐、王䶮、张𠮷、刘龑、陈堃、赵喆、孙昇、周珺、吴赟、郑犇、冯淼');
    expect(text).toContain('㵐䶮县𠮷龑镇人民政府');
    if (hasTool('pdftotext')) {
      const dir = mkdtempSync(join(tmpdir(), 'nianbao-rare-'));
      try {
        writeFileSync(join(dir, 'r.pdf'), pdf);
        const plain = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
        for (const ch of RARE) expect(plain, `pdftotext ${ch}`).toContain(ch);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 120_000);

  it("gives a document the same bytes whatever the process rendered before (glyphs and ToUnicode are the document's own)", async () => {
    const plain = sampleReport2021();
    const first = await renderPdf(plain);
    // the same glyph reached from other code points (a Kangxi radical, a compatibility
    // ideograph), rare characters, other words: all go through the shared caches
    const other = rareReport();
    other.sections = { ...other.sections, problems: `⼀⼈⼝兀，${other.sections.problems ?? ''}一人口兀。` };
    const otherFirst = await renderPdf(other);
    const again = await renderPdf(plain);
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(await renderPdf(other)).equals(Buffer.from(otherFirst))).toBe(true);
    // documents rendered at the same time share the caches too
    const [a, b] = await Promise.all([renderPdf(other), renderPdf(plain)]);
    expect(Buffer.from(a).equals(Buffer.from(otherFirst))).toBe(true);
    expect(Buffer.from(b).equals(Buffer.from(first))).toBe(true);
  }, 120_000);

  it('flattens every glyph the reports use, and the flattened subsets draw the same pages as fontkit’s own', async (ctx) => {
    // every glyph of a sample of each face flattens (nothing unsupported)
    const faces = locateFonts();
    for (const key of ['serif', 'serifBold', 'sansBold'] as const) {
      const face = sharedFace(faces[key].path, faces[key].postscript);
      const cff = face['CFF '] as Parameters<typeof flatCharString>[0];
      for (let gid = 0; gid < face.numGlyphs; gid += 101) {
        const cs = flatCharString(cff, gid);
        // every charstring ends its glyph
        expect(cs[cs.length - 1], `${key} glyph ${gid}`).toBe(14);
      }
    }
    const reports = [sampleReport2021(), rareReport()];
    fontOptions.flattenSubsets = false;
    const plain = await Promise.all(reports.map((r) => renderPdf(r)));
    fontOptions.flattenSubsets = true;
    const flat = await Promise.all(reports.map((r) => renderPdf(r)));
    for (let i = 0; i < reports.length; i++) {
      // the subroutines of Noto CJK are no longer embedded: a much smaller file
      expect(flat[i].length).toBeLessThan(plain[i].length * 0.7);
      expect(await pageTexts(flat[i])).toEqual(await pageTexts(plain[i]));
    }
    skipUnless(ctx, hasTool('pdftoppm'), '没有安装 pdftoppm（poppler-utils）', 'pdftoppm (poppler-utils) is not installed');
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-flat-'));
    try {
      for (let i = 0; i < reports.length; i++) {
        for (const [name, pdf] of [
          ['plain', plain[i]],
          ['flat', flat[i]],
        ] as const) {
          writeFileSync(join(dir, `${name}${i}.pdf`), pdf);
          execFileSync('pdftoppm', ['-r', '110', '-gray', join(dir, `${name}${i}.pdf`), join(dir, `${name}${i}`)]);
        }
      }
      const pages = readdirSync(dir).filter((f) => f.startsWith('plain') && f.endsWith('.pgm'));
      expect(pages.length).toBeGreaterThanOrEqual(8);
      for (const p of pages) {
        const a = readFileSync(join(dir, p));
        const b = readFileSync(join(dir, p.replace('plain', 'flat')));
        expect(a.equals(b), `${p}: the page drawn from the flattened font differs`).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);

  it('writes pdfkit’s content streams in one piece without changing a byte', async () => {
    const report = sampleReport2021();
    await renderPdf(report);
    // the patch applies to the installed pdfkit (if this fails after an upgrade, PDF output is slower, not wrong)
    expect(contentPatched()).toBe(true);
    const patched = await renderPdf(report);
    expect(setContentPatch(false)).toBe(true);
    expect(contentPatched()).toBe(false);
    const unpatched = await renderPdf(report);
    setContentPatch(true);
    expect(Buffer.from(patched).equals(Buffer.from(unpatched))).toBe(true);
  }, 120_000);

  it('parses each face once per process', () => {
    const { serif } = locateFonts();
    expect(sharedFace(serif.path, serif.postscript)).toBe(sharedFace(serif.path, serif.postscript));
  });
});
