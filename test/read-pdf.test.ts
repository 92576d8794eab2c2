import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { APPLICANT_COLUMNS, APPLICATION_ROWS, PROACTIVE_ROWS_2021, SECTIONS } from '../src/model/format.js';
import type { Cell, DocumentModel } from '../src/read/document.js';
import { ReadError } from '../src/read/errors.js';
import { isValueToken, readPdf } from '../src/read/pdf.js';
import { CORPUS } from './helpers/paths.js';
import { makePdf } from './helpers/pdf.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS_PDF = path.join(CORPUS, 'pdf');
const NAMES = ['huaian-hongze-2023', 'huaian-hongze-2024', 'huaian-city-2024'] as const;

const corpusBytes = (name: string) => new Uint8Array(readFileSync(path.join(CORPUS_PDF, `${name}.pdf`)));
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(here, 'fixtures/pdf', name)));

/** NFKC, no whitespace, ASCII brackets — how the extractor compares labels */
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').replace(/[（]/g, '(').replace(/[）]/g, ')');

function cellsOf(doc: DocumentModel): Cell[] {
  return doc.blocks.flatMap((b) => (b.type === 'table' ? b.rows.flat() : []));
}

function rowOf(doc: DocumentModel, labelPart: string): Cell[] {
  for (const b of doc.blocks) {
    if (b.type !== 'table') continue;
    for (const r of b.rows) if (r.some((c) => norm(c.text).includes(norm(labelPart)))) return r;
  }
  throw new Error(`no row with ${labelPart}`);
}

const valuesAfter = (row: Cell[], labelPart: string): string[] => {
  const i = row.findIndex((c) => norm(c.text).includes(norm(labelPart)));
  return row.slice(i + 1).map((c) => c.text);
};

interface Expected {
  format: string;
  agency: string;
  year: number;
  publishedOn: string | null;
  sectionsStart: Record<string, string | null>;
  proactive: Record<string, Record<string, number | string | null>>;
  applications: Record<string, Record<string, number | null>>;
  reviewLitigation: Record<string, Record<string, number | null>>;
}

const expected = (name: string): Expected => JSON.parse(readFileSync(path.join(here, 'expected/corpus', `${name}.json`), 'utf8'));

const toValue = (s: string): number | null => (/^[/／—–-]+$/.test(s) || s === '' ? null : Number(s.replace(/,/g, '')));

/**
 * A minimal label-driven reading of the cell stream, as the extractor does it:
 * find each row's label by its distinctive fragments (in table order) and take
 * the run of value cells right after it. It fails when a label is not followed
 * directly by its values.
 */
function labelDriven(doc: DocumentModel, rows: { key: string; keys: readonly string[]; n: number }[]): Record<string, string[]> {
  const cells = cellsOf(doc);
  const out: Record<string, string[]> = {};
  let pos = 0;
  for (const r of rows) {
    const at = cells.findIndex((c, i) => i >= pos && !isValueToken(c.text) && r.keys.some((k) => norm(c.text).includes(norm(k))));
    if (at < 0) throw new Error(`label of ${r.key} not found`);
    const run = cells.slice(at + 1, at + 1 + r.n);
    if (run.length !== r.n || !run.every((c) => isValueToken(c.text))) {
      throw new Error(`${r.key}: label "${cells[at].text}" is followed by ${JSON.stringify(run.map((c) => c.text))}`);
    }
    out[r.key] = run.map((c) => c.text);
    pos = at + 1 + r.n;
  }
  return out;
}

/** the one row of 表三: fifteen values, in the table after the heading 四、 */
function reviewRow(doc: DocumentModel): (number | null)[] {
  const heading = doc.blocks.findIndex((b) => b.type === 'paragraph' && /^四、.*行政复议/.test(b.text));
  for (const b of doc.blocks.slice(heading + 1)) {
    if (b.type !== 'table') continue;
    const r = b.rows.find((row) => row.length === 15 && row.every((c) => isValueToken(c.text)));
    if (r) return r.map((c) => toValue(c.text));
  }
  throw new Error('no 表三 value row');
}

function sectionText(doc: DocumentModel, key: 'overview' | 'problems' | 'other'): string | null {
  const paras = doc.blocks;
  const isHeading = (t: string) => /^[一二三四五六七]、/.test(t) && SECTIONS.some((s) => s.keys.some((k) => norm(t).includes(norm(k))));
  const def = SECTIONS.find((s) => s.key === key)!;
  const start = paras.findIndex((b) => b.type === 'paragraph' && isHeading(b.text) && def.keys.some((k) => norm(b.text).includes(norm(k))));
  if (start < 0) return null;
  const texts: string[] = [];
  for (const b of paras.slice(start + 1)) {
    if (b.type !== 'paragraph') break;
    if (isHeading(b.text)) break;
    texts.push(b.text);
  }
  return texts.join('\n');
}

function check(doc: DocumentModel, exp: Expected) {
  const appRows = APPLICATION_ROWS.filter((r) => r.key in exp.applications).map((r) => ({ key: r.key, keys: r.keys, n: 7 }));
  const apps = labelDriven(doc, appRows);
  for (const [key, cols] of Object.entries(exp.applications)) {
    expect(apps[key].map(toValue), key).toEqual(APPLICANT_COLUMNS.map((c) => cols[c.key]));
  }
  const proRows = PROACTIVE_ROWS_2021.map((r) => ({ key: r.key, keys: r.keys, n: r.fields.length }));
  const pro = labelDriven(doc, proRows);
  for (const r of PROACTIVE_ROWS_2021) {
    // money is the decimal string as published
    const got = pro[r.key].map((v, i) => (r.fields[i].type === 'money' ? v : toValue(v)));
    expect(got, r.key).toEqual(r.fields.map((f) => exp.proactive[r.key][f.key]));
  }
  const g = exp.reviewLitigation;
  const cols = ['upheld', 'corrected', 'other', 'pending', 'total'];
  expect(reviewRow(doc)).toEqual([
    ...cols.map((c) => g.review[c]),
    ...cols.map((c) => g.litigationDirect[c]),
    ...cols.map((c) => g.litigationAfterReview[c]),
  ]);
}

const PAGE_NUMBER = [/^[-－—–]\s*\d+\s*[-－—–]$/, /第\s*\d+\s*页/, /^\d+\s*\/\s*\d+$/];

describe('readPdf on the corpus', () => {
  const docs = new Map<string, DocumentModel>();
  const get = async (name: string) => {
    let d = docs.get(name);
    if (!d) {
      d = await readPdf(corpusBytes(name), `${name}.pdf`);
      docs.set(name, d);
    }
    return d;
  };

  it.each(NAMES)('%s reads without error into paragraphs and tables', async (name) => {
    const doc = await get(name);
    expect(doc.kind).toBe('pdf');
    expect(doc.source).toBe(`${name}.pdf`);
    expect(doc.blocks.filter((b) => b.type === 'paragraph').length).toBeGreaterThan(8);
    expect(doc.blocks.filter((b) => b.type === 'table').length).toBe(3);
  });

  it.each(NAMES)('%s: every data row has its label right before its values (hand-checked expected JSON)', async (name) => {
    check(await get(name), expected(name));
  });

  it.each(NAMES)('%s: every section starts as expected and headings are paragraphs of their own', async (name) => {
    const doc = await get(name);
    const exp = expected(name);
    for (const key of ['overview', 'problems', 'other'] as const) {
      const text = sectionText(doc, key);
      expect(text === null ? null : text.slice(0, 20), key).toBe(exp.sectionsStart[key]);
    }
    const paras = doc.blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : []));
    expect(paras).toContain('五、存在的主要问题及改进情况');
    expect(paras).toContain('六、其他需要报告的事项');
    expect(paras).toContain('一、总体情况');
  });

  it.each(NAMES)('%s: no page numbers, no spaces between CJK characters', async (name) => {
    const doc = await get(name);
    const texts = doc.blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : b.rows.flat().map((c) => c.text)));
    for (const t of texts) {
      for (const re of PAGE_NUMBER) expect(t, t).not.toMatch(re);
      expect(t).not.toMatch(/[\u4e00-\u9fff，。、（）]\s+[\u4e00-\u9fff，。、（）]/);
    }
  });

  it('huaian-hongze-2024: the wrapped 部分公开 label is one cell followed by its seven values', async () => {
    const doc = await get('huaian-hongze-2024');
    const row = rowOf(doc, '部分公开');
    const label = row.find((c) => c.text.includes('部分公开'))!;
    expect(label.text).toBe('（二）部分公开（区分处理的，只计这一情形，不计其他情形）');
    expect(valuesAfter(row, '部分公开')).toEqual(['9', '0', '0', '0', '0', '0', '9']);
    // provenance: two lines on page 3, in user space, both pieces recorded
    expect(label.prov).toMatchObject({ kind: 'pdf', page: 3 });
    const p = label.prov as { x: number; y: number; width: number; height: number };
    expect(p.x).toBeCloseTo(103.9, 0);
    expect(p.y).toBeGreaterThan(240);
    expect(p.y + p.height).toBeLessThan(280);
    expect(label.pieces).toHaveLength(2);
  });

  it('huaian-hongze-2024: split items, labels wrapped around values, 表三', async () => {
    const doc = await get('huaian-hongze-2024');
    expect(valuesAfter(rowOf(doc, '国家秘密'), '国家秘密')).toEqual(['0', '0', '0', '0', '0', '0', '0']);
    expect(rowOf(doc, '国家秘密').map((c) => c.text)).toContain('1.属于国家秘密');
    expect(rowOf(doc, '重新出具').map((c) => c.text)).toContain('5.要求行政机关确认或重新出具已获取信息');
    expect(reviewRow(doc)).toEqual([1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3]);
    const headers = doc.blocks.flatMap((b) => (b.type === 'table' ? b.rows.flat().map((c) => c.text) : []));
    expect(headers).toContain('商业企业');
    expect(headers).toContain('社会公益组织');
    expect(headers).toContain('结果维持');
    expect(headers).toContain('总计');
  });

  it('huaian-city-2024: three-line labels and large numbers', async () => {
    const doc = await get('huaian-city-2024');
    const row = rowOf(doc, '逾期不补正');
    expect(row.map((c) => c.text)).toContain('1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请');
    expect(valuesAfter(row, '逾期不补正')).toEqual(['67', '3', '0', '0', '1', '0', '71']);
    expect(valuesAfter(rowOf(doc, '行政处罚'), '行政处罚')).toEqual(['3985758']);
    expect(reviewRow(doc)).toEqual([72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20]);
  });

  it('tables continuing on the next page are one table block', async () => {
    const doc = await get('huaian-hongze-2024');
    const tables = doc.blocks.filter((b) => b.type === 'table');
    // 表一 runs over pages 2–3 and 表二 over pages 3–4
    const pages = tables.map((t) => new Set(t.rows.flat().map((c) => (c.prov.kind === 'pdf' ? c.prov.page : 0))));
    expect([...pages[0]].sort()).toEqual([2, 3]);
    expect([...pages[1]].sort()).toEqual([3, 4]);
  });

  it.each(NAMES)('%s: the text-only fallback (no table borders) still keeps labels with their values', async (name) => {
    const doc = await readPdf(corpusBytes(name), `${name}.pdf`, { rulings: false });
    const exp = expected(name);
    const appRows = APPLICATION_ROWS.filter((r) => r.key in exp.applications).map((r) => ({ key: r.key, keys: r.keys, n: 7 }));
    const apps = labelDriven(doc, appRows);
    for (const [key, cols] of Object.entries(exp.applications))
      expect(apps[key].map(toValue), key).toEqual(APPLICANT_COLUMNS.map((c) => cols[c.key]));
    expect(reviewRow(doc)).toHaveLength(15);
  });

  it('leaves the input bytes alone, prints nothing on stdout and can run concurrently', async () => {
    const log = vi.spyOn(console, 'log');
    const bytes = corpusBytes('huaian-hongze-2023');
    const [a, b] = await Promise.all([readPdf(bytes, 'a.pdf'), readPdf(corpusBytes('huaian-city-2024'), 'b.pdf')]);
    expect(bytes.length).toBe(readFileSync(path.join(CORPUS_PDF, 'huaian-hongze-2023.pdf')).length);
    expect(a.blocks.length).toBeGreaterThan(0);
    expect(b.blocks.length).toBeGreaterThan(0);
    expect(log).not.toHaveBeenCalled();
    log.mockRestore();
  });
});

// ---------------------------------------------------------------------------
// bad input

const text = (x: number, y: number, s: string, size = 10) => `BT /F1 ${size} Tf ${x} ${y} Td (${s.replace(/[()\\]/g, '\\$&')}) Tj ET`;

/** a page with a paragraph, a borderless table with a label wrapped around its values, and page numbers */
function syntheticPage(n: number, ruled: boolean): string {
  const parts = [
    text(72, 760, 'Annual report of the agency, written as a paragraph of running text that is long enough', 11),
    text(72, 745, 'to wrap onto a second line of the same paragraph.', 11),
    // header
    text(72, 700, 'Item'),
    text(300, 700, 'Persons'),
    text(380, 700, 'Companies'),
    text(460, 700, 'Total'),
    // a one-line row
    text(72, 680, 'Received this year'),
    text(300, 680, '12'),
    text(380, 680, '3'),
    text(460, 680, '15'),
    // a label wrapped over two lines, its values between them
    text(72, 662, 'Partly granted (counted only'),
    text(300, 656, '4'),
    text(380, 656, '0'),
    text(460, 656, '4'),
    text(72, 650, 'here, not elsewhere)'),
    // a not-applicable mark
    text(72, 630, 'Carried forward'),
    text(300, 630, '/'),
    text(380, 630, '-'),
    text(460, 630, '0'),
    // page numbers
    text(290, 30, `- ${n} -`),
    text(520, 810, `${n}`),
  ];
  if (ruled) {
    // borders: rows at 712, 692, 668, 642, 622; columns at 66, 290, 370, 450, 520
    const ys = [712, 692, 668, 642, 622];
    const xs = [66, 290, 370, 450, 520];
    for (const y of ys) parts.push(`0 G 0.5 w 66 ${y} m 520 ${y} l S`);
    for (const x of xs) parts.push(`0 G 0.5 w ${x} 622 m ${x} 712 l S`);
  }
  return parts.join('\n');
}

async function readError(p: Promise<unknown>): Promise<ReadError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ReadError);
    const err = e as ReadError;
    // one Chinese sentence and one English sentence, both naming the file
    expect(err.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(err.zh).toMatch(/。$/);
    expect(err.en).toMatch(/^[\x20-\x7e]+\.$/);
    expect(err.zh).toContain(err.file);
    expect(err.en).toContain(err.file);
    return err;
  }
  throw new Error('expected a ReadError');
}

describe('readPdf on synthetic pages', () => {
  const rowsOf = (doc: DocumentModel) => doc.blocks.flatMap((b) => (b.type === 'table' ? b.rows.map((r) => r.map((c) => c.text)) : []));
  const expectedRows = [
    ['Item', 'Persons', 'Companies', 'Total'],
    ['Received this year', '12', '3', '15'],
    ['Partly granted (counted only here, not elsewhere)', '4', '0', '4'],
    ['Carried forward', '/', '-', '0'],
  ];

  it.each([false, true])('table rows, wrapped labels and page numbers (ruled: %s)', async (ruled) => {
    const doc = await readPdf(makePdf([syntheticPage(1, ruled), syntheticPage(2, ruled)], true), 'synthetic.pdf');
    const paras = doc.blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : []));
    expect(paras).toEqual([
      'Annual report of the agency, written as a paragraph of running text that is long enough to wrap onto a second line of the same paragraph.',
      'Annual report of the agency, written as a paragraph of running text that is long enough to wrap onto a second line of the same paragraph.',
    ]);
    expect(rowsOf(doc)).toEqual([...expectedRows, ...expectedRows]);
  });

  it.each([90, 180, 270])('a page turned with /Rotate %i reads the same', async (angle) => {
    const plain = await readPdf(makePdf([syntheticPage(1, true)], true), 'plain.pdf');
    const turned = await readPdf(makePdf([syntheticPage(1, true)], true, `/Rotate ${angle} `), 'turned.pdf');
    const strip = (d: DocumentModel) => d.blocks.map((b) => (b.type === 'paragraph' ? b.text : b.rows.map((r) => r.map((c) => c.text))));
    expect(strip(turned)).toEqual(strip(plain));
    // provenance stays in (unrotated) user space
    const cell = turned.blocks.flatMap((b) => (b.type === 'table' ? b.rows.flat() : [])).find((c) => c.text === '12')!;
    expect(cell.prov).toMatchObject({ kind: 'pdf', page: 1, x: 300, y: 680 });
  });
});

describe('readPdf on bad input', () => {
  it('a truncated copy of a corpus PDF is corrupt', async () => {
    const full = corpusBytes('huaian-hongze-2024');
    const err = await readError(readPdf(full.slice(0, Math.floor(full.length * 0.6)), 'cut.pdf'));
    expect(err.code).toBe('corrupt');
    expect(err.file).toBe('cut.pdf');
  });

  it('a truncated copy that still ends in %%EOF is corrupt (pdfjs rejects it)', async () => {
    const full = corpusBytes('huaian-hongze-2024');
    const cut = full.slice(0, Math.floor(full.length * 0.5));
    const bytes = new Uint8Array(cut.length + 7);
    bytes.set(cut);
    bytes.set(Buffer.from('\n%%EOF\n'), cut.length);
    expect((await readError(readPdf(bytes, 'cut.pdf'))).code).toBe('corrupt');
  });

  it('random bytes behind a %PDF header are a ReadError', async () => {
    let seed = 42;
    const bytes = new Uint8Array(20_000).map(() => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed & 0xff;
    });
    bytes.set(Buffer.from('%PDF-1.7\n'));
    bytes.set(Buffer.from('\n%%EOF\n'), bytes.length - 7);
    expect((await readError(readPdf(bytes, 'random.pdf'))).code).toBe('corrupt');
    const noEof = bytes.slice(0, 10_000);
    expect((await readError(readPdf(noEof, 'random.pdf'))).code).toBe('corrupt');
  });

  it('bytes that are not a PDF at all, or nothing', async () => {
    expect((await readError(readPdf(new Uint8Array(Buffer.from('hello, world\n')), 'x.pdf'))).code).toBe('corrupt');
    expect((await readError(readPdf(new Uint8Array(0), 'x.pdf'))).code).toBe('empty');
  });

  it('a password-protected PDF is encrypted', async () => {
    const err = await readError(readPdf(fixture('encrypted.pdf'), 'secret.pdf'));
    expect(err.code).toBe('encrypted');
    expect(err.zh).toBe('文件 secret.pdf 是加密的 PDF，无法读取。');
    expect(err.en).toBe('File secret.pdf is a password-protected PDF and cannot be read.');
  });

  it('a PDF with only an owner password (no user password) reads normally', async () => {
    const doc = await readPdf(fixture('owner-password-only.pdf'), 'owner.pdf');
    expect(doc.blocks).toEqual([expect.objectContaining({ type: 'paragraph', text: 'This is a secret annual report text layer.' })]);
  });

  it('a PDF without a text layer (only drawings) is no-text-layer', async () => {
    const bytes = makePdf(['0 0 1 rg 100 100 300 400 re f', '0 G 50 50 m 500 700 l S']);
    expect((await readError(readPdf(bytes, 'scan.pdf'))).code).toBe('no-text-layer');
    // almost no text: a page number on each page only
    const pageNumbers = makePdf(['BT /F1 10 Tf 290 30 Td (1) Tj ET', 'BT /F1 10 Tf 290 30 Td (2) Tj ET'], true);
    expect((await readError(readPdf(pageNumbers, 'scan.pdf'))).code).toBe('no-text-layer');
  });

  it('a minimal PDF with a text layer reads', async () => {
    const bytes = makePdf(['BT /F1 12 Tf 72 720 Td (Annual report of the government information disclosure) Tj ET'], true);
    const doc = await readPdf(bytes, 'tiny.pdf');
    expect(doc.blocks).toHaveLength(1);
    expect(doc.blocks[0]).toMatchObject({ type: 'paragraph', text: 'Annual report of the government information disclosure' });
  });

  it('more pages than LIMITS.maxPdfPages is too-large', async () => {
    const bytes = makePdf(Array.from({ length: 301 }, () => ''));
    const err = await readError(readPdf(bytes, 'big.pdf'));
    expect(err.code).toBe('too-large');
    expect(err.en).toContain('301');
  });

  it('the overall time limit gives a timeout', async () => {
    const err = await readError(readPdf(corpusBytes('huaian-city-2024'), 'slow.pdf', { timeoutMs: 1 }));
    expect(err.code).toBe('timeout');
  });
});

describe('readPdf: tables ruled in light grey', () => {
  it('a report whose table rules are #eeeeee (as Chrome prints `<table border>`) reads as with black rules', async () => {
    const { renderPdf } = await import('../src/render/pdf.js');
    const { extractReport } = await import('../src/extract/index.js');
    const { sampleReport2021 } = await import('./helpers/arbitrary.js');
    const { tables } = await import('./helpers/expect-report.js');
    const report = sampleReport2021();
    const black = extractReport(await readPdf(await renderPdf(report), 'black.pdf'));
    const grey = extractReport(await readPdf(await renderPdf(report, { ruleColour: '#eeeeee' }), 'grey.pdf'));
    expect(tables(black)).toEqual(tables(report));
    expect(tables(grey)).toEqual(tables(report));
  }, 60_000);
});
