/**
 * Scanned reports (issue 16): pages without a text layer are recognised with Tesseract (chi_sim)
 * when it is installed; numbers read by OCR are trusted only where a sum or the recogniser vouches
 * for them, else flagged (null with candidates, reason "ocr"). Without the tools, the
 * "no text layer" error names them and how to install them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatHuman } from '../src/check/format.js';
import { verifyOcrCells } from '../src/extract/ocr.js';
import { check, parse, render } from '../src/index.js';
import type { Report } from '../src/model/report.js';
import { ReadError } from '../src/read/errors.js';
import { digitLookalikes, eraseRulings, findRulings, type Gray, parsePgm, parseTsv, writePgm } from '../src/read/ocr.js';
import { readPdf } from '../src/read/pdf.js';
import { sampleReport2019, sampleReport2021 } from './helpers/arbitrary.js';
import { compareCells } from './helpers/compare.js';
import { CORPUS } from './helpers/paths.js';
import { hasPdftoppm, imagesPdf, scanPdf } from './helpers/scan.js';
import { skipping } from './helpers/skip.js';

const ocrInstalled = (() => {
  try {
    return (
      /^chi_sim$/m.test(execFileSync('tesseract', ['--list-langs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) &&
      hasPdftoppm()
    );
  } catch {
    return false;
  }
})();

/** a white page image with a ruled grid and a few black "characters" */
function gridImage(): Gray {
  const width = 1200;
  const height = 900;
  const data = new Uint8Array(width * height).fill(255);
  const hline = (y: number, x0: number, x1: number, t = 3) => {
    for (let yy = y; yy < y + t; yy++) data.fill(0, yy * width + x0, yy * width + x1);
  };
  const vline = (x: number, y0: number, y1: number, t = 3) => {
    for (let yy = y0; yy < y1; yy++) for (let xx = x; xx < x + t; xx++) data[yy * width + xx] = 0;
  };
  for (const y of [100, 180, 260, 340]) hline(y, 100, 1100);
  for (const x of [100, 500, 800, 1100]) vline(x, 100, 343);
  // a "character": short strokes, which are not rulings
  hline(600, 200, 240, 4);
  vline(220, 580, 625, 4);
  return { width, height, data };
}

describe('OCR building blocks', () => {
  it('finds the ruled grid of a page image and not the strokes of characters', () => {
    const img = gridImage();
    const { h, v } = findRulings(img, 300);
    expect(h.map((l) => l.y0).sort((a, b) => a - b)).toEqual([100, 180, 260, 340]);
    expect(v.map((l) => l.x0).sort((a, b) => a - b)).toEqual([100, 500, 800, 1100]);
    for (const l of h) expect([l.x0, l.x1]).toEqual([100, 1103]); // to the outer edge of the last border
    eraseRulings(img, [...h, ...v]);
    expect(img.data[180 * img.width + 300]).toBe(255);
    expect(img.data[600 * img.width + 210]).toBe(0); // the character stays
  });

  it('reads and writes binary PGM', () => {
    const img = gridImage();
    const back = parsePgm(writePgm(img));
    expect([back.width, back.height]).toEqual([img.width, img.height]);
    expect(Buffer.from(back.data).equals(Buffer.from(img.data))).toBe(true);
    expect(() => parsePgm(new TextEncoder().encode('P6\n1 1\n255\n\0\0\0'))).toThrow();
  });

  it('reads digit look-alikes in a number as digits, and leaves words alone', () => {
    expect(digitLookalikes('1o5')).toBe('105');
    expect(digitLookalikes('O')).toBe('0');
    expect(digitLookalikes('2l')).toBe('21');
    expect(digitLookalikes('l')).toBe('l'); // a lone stroke may be a border left over
    expect(digitLookalikes('公开')).toBe('公开');
    expect(digitLookalikes('lo')).toBe('10');
    expect(digitLookalikes('Io')).toBe('10');
    expect(digitLookalikes('log')).toBe('log');
  });

  it("takes the words of Tesseract's TSV with their lines", () => {
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      '4\t1\t1\t1\t1\t0\t10\t20\t300\t40\t-1\t',
      '5\t1\t1\t1\t1\t1\t10\t25\t80\t30\t96.5\t行政许可',
      '5\t1\t1\t1\t1\t2\t200\t40\t10\t4\t91\t一',
      '5\t1\t1\t1\t1\t3\t250\t22\t30\t33\t40.2\t  ',
    ].join('\n');
    const words = parseTsv(tsv);
    expect(words).toHaveLength(2);
    expect(words[0]).toMatchObject({ text: '行政许可', left: 10, top: 25, conf: 96.5, lineTop: 20, lineHeight: 40 });
    expect(words[1]).toMatchObject({ text: '一', lineTop: 20 });
  });
});

/** a report whose 表二/表三 cells came from a scan: every table cell's provenance marked OCR */
function scanned(
  report: Report,
  confidence: (path: string) => number,
  raw: (path: string, v: number) => string = (_p, v) => String(v),
): Report {
  const r = structuredClone(report);
  r.provenance = {};
  // each cell at its own place on the page
  let k = 0;
  for (const table of ['proactive', 'applications', 'reviewLitigation'] as const) {
    const t = r[table] as Record<string, Record<string, unknown>>;
    for (const row of Object.keys(t)) {
      for (const col of Object.keys(t[row])) {
        const v = t[row][col];
        if (typeof v !== 'number') continue;
        const path = `${table}.${row}.${col}`;
        r.provenance[path] = {
          raw: raw(path, v),
          prov: {
            kind: 'pdf',
            page: 3,
            x: 100 + 10 * (k++ % 40),
            y: 700 - 10 * Math.floor(k / 40),
            ocr: true,
            confidence: confidence(path),
          },
        };
      }
    }
  }
  return r;
}

describe('numbers read by OCR are trusted only where a sum or the recogniser vouches for them', () => {
  const base = sampleReport2021();

  it('a table whose sums all hold keeps every value, even read with little confidence (misreadings do not keep sums true)', () => {
    const r = scanned(base, () => 0.5);
    verifyOcrCells(r);
    expect(r.applications).toEqual(base.applications);
    expect(r.reviewLitigation).toEqual(base.reviewLitigation);
    expect(r.ambiguities ?? []).not.toContainEqual(
      expect.objectContaining({ path: expect.stringMatching(/^(applications|reviewLitigation)/) }),
    );
  });

  it('a misread digit that breaks its row total is flagged, not trusted: null, with the value read and the value the sums imply', () => {
    const want = base.applications.granted.naturalPerson as number;
    const misread = Number(`${want}8`);
    const r = scanned(base, (p) => (p === 'applications.granted.naturalPerson' ? 0.55 : 0.95));
    r.applications.granted.naturalPerson = misread;
    r.provenance!['applications.granted.naturalPerson'].raw = String(misread);
    verifyOcrCells(r);
    expect(r.applications.granted.naturalPerson).toBeNull();
    expect(r.ambiguities).toContainEqual({ path: 'applications.granted.naturalPerson', candidates: [misread, want], reason: 'ocr' });
    // its neighbours, vouched for by their columns' sums, stay
    expect(r.applications.granted.total).toBe(base.applications.granted.total);
    expect(r.applications.granted.commercial).toBe(base.applications.granted.commercial);
  });

  it('a confident misread that breaks a sum is flagged too when no sum vouches for it', () => {
    const r = scanned(base, () => 0.99);
    const want = base.reviewLitigation.review.corrected as number;
    r.reviewLitigation.review.corrected = want + 3;
    r.provenance!['reviewLitigation.review.corrected'].raw = String(want + 3);
    verifyOcrCells(r);
    expect(r.reviewLitigation.review.corrected).toBeNull();
    expect(r.ambiguities).toContainEqual(expect.objectContaining({ path: 'reviewLitigation.review.corrected', reason: 'ocr' }));
  });

  it('a look-alike reading the sums bear out is restored (“3l → 31)', () => {
    const want = base.applications.granted.total as number;
    const r = scanned(base, (p) => (p === 'applications.granted.total' ? 0.3 : 0.95));
    // the reader made a wrong number of the noisy token; its digits, look-alikes read, are right
    r.applications.granted.total = want + 7;
    r.provenance!['applications.granted.total'].raw = `“${String(want).replace(/1/g, 'l').replace(/0/g, 'o')}`;
    verifyOcrCells(r);
    expect(r.applications.granted.total).toBe(want);
    expect(r.ambiguities ?? []).not.toContainEqual(expect.objectContaining({ path: 'applications.granted.total' }));
  });

  it('the cells split out of one recognised run of digits are guesses: their own row total does not vouch for them', () => {
    const r = scanned(base, () => 0.95);
    // another row of the same columns unread: the column sums cannot vouch
    for (const c of Object.keys(r.applications.withheldStateSecret)) {
      (r.applications.withheldStateSecret as Record<string, number | null>)[c] = null;
      delete r.provenance![`applications.withheldStateSecret.${c}`];
    }
    // every cell of the row points at the run's first token, as a split does
    const first = r.provenance!['applications.granted.naturalPerson'];
    for (const c of Object.keys(r.applications.granted)) r.provenance![`applications.granted.${c}`] = first;
    verifyOcrCells(r);
    expect(Object.values(r.applications.granted).every((v) => v === null)).toBe(true);
    // a row read cell by cell, whose total holds, is kept
    expect(r.applications.partlyGranted).toEqual(base.applications.partlyGranted);
  });

  it('表一 has no sums: a number read with little confidence is flagged, a confident one kept', () => {
    const r = scanned(base, (p) => (p === 'proactive.licensing.decisions' ? 0.24 : 0.95));
    verifyOcrCells(r);
    expect(r.proactive.licensing.decisions).toBeNull();
    expect(r.ambiguities).toContainEqual({
      path: 'proactive.licensing.decisions',
      candidates: [base.proactive.licensing.decisions],
      reason: 'ocr',
    });
    expect(r.proactive.regulations).toEqual(base.proactive.regulations);
  });

  it('a reading that is not a clean number (noise around the digits) is not trusted on its own', () => {
    const r = scanned(
      base,
      () => 0.95,
      (p, v) => (p === 'proactive.punishment.decisions' ? `“${v}` : String(v)),
    );
    verifyOcrCells(r);
    expect(r.proactive.punishment.decisions).toBeNull();
  });

  it('an amount kept as text is kept only when the recogniser was sure of it', () => {
    const fees = (r: Report) => (r.proactive.fees as { amount: string | null }).amount;
    const sure = scanned(base, () => 0.95);
    sure.provenance!['proactive.fees.amount'] = { raw: '12.3456', prov: { kind: 'pdf', page: 2, x: 1, y: 1, ocr: true, confidence: 0.95 } };
    verifyOcrCells(sure);
    expect(fees(sure)).toBe(fees(base));
    const unsure = scanned(base, () => 0.95);
    unsure.provenance!['proactive.fees.amount'] = {
      raw: '12.3456',
      prov: { kind: 'pdf', page: 2, x: 1, y: 1, ocr: true, confidence: 0.5 },
    };
    verifyOcrCells(unsure);
    expect(fees(unsure)).toBeNull();
    expect(unsure.ambiguities).toContainEqual({ path: 'proactive.fees.amount', candidates: [fees(base)], reason: 'ocr' });
  });

  it('the checker says a flagged cell was recognised from a scan, and where', () => {
    const r = scanned(base, (p) => (p === 'proactive.licensing.decisions' ? 0.24 : 0.95));
    verifyOcrCells(r);
    const diagnostics = check(r);
    const d = diagnostics.find((x) => x.rule === 'ambiguous-cell' && x.path === 'proactive.licensing.decisions');
    expect(d?.message).toContain('扫描件文字识别的结果把握不大');
    expect(formatHuman([{ file: 'scan.pdf', report: r, diagnostics }])).toContain('scan.pdf:第3页（扫描件文字识别）');
  });

  it('a report not read by OCR is left alone, sum errors and all', () => {
    const r = structuredClone(base);
    r.applications.granted.naturalPerson = 999;
    verifyOcrCells(r);
    expect(r.applications.granted.naturalPerson).toBe(999);
    expect(r.ambiguities).toBeUndefined();
  });
});

describe('a PDF of page images without the OCR tools', () => {
  it('is refused as scanned, naming the tools and how to install them', async () => {
    const img = gridImage();
    const pdf = imagesPdf([img, img], 150);
    const before = process.env.NIANBAO_OCR;
    process.env.NIANBAO_OCR = 'off';
    try {
      const err = await readPdf(pdf, 'scan.pdf').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReadError);
      expect((err as ReadError).code).toBe('no-text-layer');
      expect((err as ReadError).zh).toContain('扫描件');
      expect((err as ReadError).zh).toContain('tesseract-ocr-chi-sim');
      expect((err as ReadError).en).toContain('tesseract-ocr-chi-sim');
    } finally {
      if (before === undefined) delete process.env.NIANBAO_OCR;
      else process.env.NIANBAO_OCR = before;
    }
  });
});

describe.skipIf(
  skipping(!ocrInstalled, 'scanned reports', '未安装 tesseract（chi_sim）或 pdftoppm', 'tesseract (chi_sim) or pdftoppm is not installed'),
)('a scanned report: rendered, rasterised with pdftoppm, wrapped back into a PDF, recognised', () => {
  const cases: [string, () => Promise<{ pdf: Uint8Array; want: Report }>, number][] = [
    ['a rendered 2021-format report', async () => ({ pdf: await render(sampleReport2021(), 'pdf'), want: sampleReport2021() }), 0.85],
    ['a rendered 2019-format report', async () => ({ pdf: await render(sampleReport2019(), 'pdf'), want: sampleReport2019() }), 0.85],
    [
      'a published report (淮安市洪泽区 2024, its own layout)',
      async () => {
        const pdf = new Uint8Array(readFileSync(`${CORPUS}/pdf/huaian-hongze-2024.pdf`));
        return { pdf, want: await parse(pdf, { name: 'huaian-hongze-2024.pdf' }) };
      },
      0.85,
    ],
  ];
  for (const [name, make, floor] of cases) {
    it(`${name}: every cell right or flagged, OCR marked in the provenance`, { timeout: 240_000 }, async () => {
      const { pdf, want } = await make();
      const got = await parse(scanPdf(pdf, 200), { name: 'scan.pdf' });
      expect(got.format).toBe(want.format);
      const c = compareCells(got, want);
      expect(c.wrong).toEqual([]);
      // a cell left empty is listed with its candidates (flagged), never silently blank
      const flagged = new Set((got.ambiguities ?? []).map((a) => a.path));
      expect(c.empty.filter((p) => !flagged.has(p))).toEqual([]);
      const total = c.right + c.empty.length;
      process.stderr.write(`OCR ${name}: ${c.right}/${total} cells right, ${c.empty.length} flagged\n`);
      expect(c.right / total).toBeGreaterThanOrEqual(floor);
      const provs = Object.values(got.provenance ?? {});
      expect(provs.length).toBeGreaterThan(0);
      for (const o of provs) expect(o.prov).toMatchObject({ kind: 'pdf', ocr: true, confidence: expect.any(Number) });
    });
  }
});
