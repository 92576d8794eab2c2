/**
 * PDF reader: turns the text layer of a PDF into the common DocumentModel —
 * paragraphs for running text and tables for table regions, in reading order.
 * Two engines read the PDF and give the same raw material (pdfjs-like text
 * items, the straight segments of visible painted paths): PDFium compiled to
 * WebAssembly (pdf-pdfium.ts; the default, ~2.5× less CPU) and pdfjs-dist
 * (legacy build, no worker thread; patched in pdfjs-worker.ts), which reads what
 * PDFium does not (damaged or encrypted files, streams not known to stay within
 * the decoding limits, an abort of the WebAssembly module) and everything when
 * NIANBAO_PDF_ENGINE=pdfjs.
 *
 * Coordinates. Every `prov` of kind 'pdf' is in PDF user space exactly as
 * pdfjs reports text positions: units are PDF points (1/72 in), x grows to the
 * right and y grows UPWARDS from the bottom edge of the page (the MediaBox
 * origin); page rotation (/Rotate) is NOT applied. `x`/`y` are the lower-left
 * corner of the text: for one text item its start point on the baseline; for
 * a cell or paragraph made of several items the union of the boxes
 * (x, baseline)–(x + width, baseline + font height) of those items (on the
 * first page only, for a paragraph running over a page break). A cell made of
 * several items (a wrapped label) also lists them in `pieces`.
 * Reading order itself is computed in "layout space": the page as displayed,
 * turned by a multiple of 90° so that most of its text runs left to right.
 *
 * Pipeline:
 *  1. text items → fragments (items holding several cells separated by spaces
 *     are split: `行政许可   9487`); page numbers (`- 3 -`, `第 3 页`, `3/5`, a
 *     lone number on the outermost line) in the top/bottom band and text
 *     repeated at the same place on most pages are dropped;
 *  2. table regions: the areas covered by visible ruling lines (stroked or
 *     filled paths; white fills and clip paths are ignored); elsewhere, runs of
 *     "tabular" lines (cells far apart, numbers in columns) with the label
 *     lines between them;
 *  3. rows, inside a region: value tokens (numbers, `/`, `—`, `-`) are
 *     clustered by height into value rows — a data row is anchored by its
 *     values. Label text is grouped into blocks: the lines of one cell wrapped
 *     over several lines (`（二）部分公开（区分处理的，只计这一情` / `形，不计其他情形）`,
 *     `商业`/`企业`), i.e. overlapping lines close together with no ruling
 *     between them, not starting with a row number (`1.`, `（三）`, `三、`) and —
 *     without rulings — nearest to the same value row. Each block is attached
 *     to a value row: with rulings, the only row in its ruled band, or for a
 *     label spanning several rows whose own labels sit to its right (rowspan,
 *     `（三）不予公开`), the first of them; else the row level with one of its
 *     lines or the nearest one close enough. Blocks attached to no row (column
 *     headers, captions) form label-only rows;
 *  4. cells of a row are ordered left to right, so a row's label cells come
 *     before its values; rows are ordered top to bottom; a table that goes on
 *     at the top of the next page is joined into one table block;
 *  5. the remaining lines form paragraphs: a new paragraph starts after a
 *     short line, at an indented or centred line, at a change of font size or
 *     a larger gap; lines are joined without a space between CJK characters.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Block, Cell, DocumentModel, ParagraphBlock, Provenance, TableBlock } from './document.js';
import { LIMITS, ReadError } from './errors.js';
import { OCR_MAX_PAGES, OCR_PAGE_BUDGET_MS, type OcrPage, ocrPage, ocrScratch, ocrTools } from './ocr.js';
import { type Matrix, mul } from './pdf-matrix.js';
import { checkStreams, loadPdfium, PdfiumDocument, pdfiumEnabled } from './pdf-pdfium.js';
import { closeDecodeBudget, type DecodeBudget, importPdfjsWorker, openDecodeBudget, PDF_DECODE_LIMITS } from './pdfjs-worker.js';

/** most ruling segments used on one page (beyond that the page is read without them) */
const MAX_RULINGS = 4000;

/** most text pieces in one table region analysed as a table */
const MAX_TABLE_FRAGS = 8000;

/** overall time limit for reading one PDF */
export const PDF_TIMEOUT_MS = 60_000;

export interface ReadPdfOptions {
  /** overall time limit in milliseconds (default {@link PDF_TIMEOUT_MS}) */
  timeoutMs?: number;
  /** use drawn table borders to find tables and rows (default true; false is for tests of the text-only fallback) */
  rulings?: boolean;
  /**
   * recognise pages without a text layer (scanned) with Tesseract when it is installed
   * (default true; see ocr.ts)
   */
  ocr?: boolean;
  /**
   * the engine that reads the PDF: 'pdfium' (default; documents it cannot read safely go to
   * pdfjs) or 'pdfjs' (NIANBAO_PDF_ENGINE=pdfjs makes it the default)
   */
  engine?: 'pdfium' | 'pdfjs';
}

// ---------------------------------------------------------------------------
// pdfjs loading

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let pdfjsPromise: Promise<Pdfjs> | null = null;

/**
 * Loads pdfjs lazily. On import it may print warnings about optional canvas
 * polyfills through console.log (i.e. to stdout, which must stay clean for
 * `--json`); those are dropped while the module loads.
 */
function loadPdfjs(): Promise<Pdfjs> {
  if (!pdfjsPromise) {
    const origLog = console.log;
    const origWarn = console.warn;
    const filter =
      (orig: (...a: unknown[]) => void) =>
      (...args: unknown[]) => {
        if (typeof args[0] === 'string' && /^Warning: /.test(args[0])) return;
        orig(...args);
      };
    console.log = filter(origLog);
    console.warn = filter(origWarn);
    // the legacy build's core-js replaces Array.prototype.push with a much slower
    // spec-edge-case polyfill for the whole process; put the native one back
    const nativePush = Array.prototype.push;
    pdfjsPromise = (async () => {
      const lib = await import('pdfjs-dist/legacy/build/pdf.mjs');
      // load the worker code in this thread now (pdfjs looks for globalThis.pdfjsWorker),
      // so that its own copy of the polyfill is undone below too
      // (patched for reading: see pdfjs-worker.ts)
      const g = globalThis as { pdfjsWorker?: unknown };
      g.pdfjsWorker ??= await importPdfjsWorker();
      return lib;
    })().finally(() => {
      console.log = origLog;
      console.warn = origWarn;
      // restoring the built-in after the polyfill
      Array.prototype.push = nativePush;
    });
    pdfjsPromise.catch(() => {
      pdfjsPromise = null;
    });
  }
  return pdfjsPromise;
}

let assetDirs: { cMapUrl: string; standardFontDataUrl: string } | null = null;

/** cMaps and standard fonts of the installed pdfjs-dist (independent of the cwd). */
function pdfjsAssets(): { cMapUrl: string; standardFontDataUrl: string } {
  if (!assetDirs) {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('pdfjs-dist/package.json')).replace(/\\/g, '/');
    assetDirs = { cMapUrl: `${dir}/cmaps/`, standardFontDataUrl: `${dir}/standard_fonts/` };
  }
  return assetDirs;
}

/**
 * pdfjs reads cMaps and standard fonts from disk for every document; they never
 * change, so they are read once per process and shared.
 */
const binaryCache = new Map<string, Promise<Uint8Array>>();
class CachedBinaryDataFactory {
  private readonly dirs: Record<string, string | null>;
  constructor(opts: { cMapUrl?: string | null; standardFontDataUrl?: string | null; wasmUrl?: string | null }) {
    this.dirs = { cMapUrl: opts.cMapUrl ?? null, standardFontDataUrl: opts.standardFontDataUrl ?? null, wasmUrl: opts.wasmUrl ?? null };
  }
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const dir = this.dirs[kind];
    if (!dir) throw new Error(`no ${kind} directory`);
    const file = `${dir}${filename}`;
    let p = binaryCache.get(file);
    if (!p) {
      p = readFile(file).then((b) => new Uint8Array(b));
      binaryCache.set(file, p);
      p.catch(() => binaryCache.delete(file));
    }
    // pdfjs may take ownership of the buffer: hand out a copy
    return (await p).slice();
  }
}

// ---------------------------------------------------------------------------
// errors

type PdfErrorCode = 'empty' | 'corrupt' | 'encrypted' | 'no-text-layer' | 'too-large' | 'timeout' | 'ocr-failed';

/** a page with fewer letters and digits in its text layer than this is taken for a scanned image */
const SCANNED_PAGE_CHARS = 5;

/** appended to the no-text-layer error when the OCR tools are not installed */
const OCR_HINT: [string, string] = [
  '安装文字识别组件后可自动识别扫描件：sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils。',
  'Scanned pages are recognised once the OCR tools are installed: sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils.',
];
/** appended when OCR ran and found (almost) no text */
const OCR_NOTHING: [string, string] = [
  '文字识别也未能从页面图像中识别出文字。',
  'Text recognition found no text in the page images either.',
];

/** the ReadError for `code`; `detail` is [zh, en] for 'too-large' and 'timeout' */
function fail(code: PdfErrorCode, file: string, detail: [string, string] = ['', '']): ReadError {
  const [zh, en] = detail;
  switch (code) {
    case 'empty':
      return new ReadError(code, file, `文件 ${file} 是空文件，无法读取。`, `File ${file} is empty and cannot be read.`);
    case 'encrypted':
      return new ReadError(
        code,
        file,
        `文件 ${file} 是加密的 PDF，无法读取。`,
        `File ${file} is a password-protected PDF and cannot be read.`,
      );
    case 'no-text-layer':
      return new ReadError(
        code,
        file,
        `文件 ${file} 没有可提取的文字层（可能是扫描件），无法读取。${zh}`,
        `File ${file} has no text layer (it may be a scanned image) and cannot be read.${en ? ` ${en}` : ''}`,
      );
    case 'too-large':
      return new ReadError(code, file, `文件 ${file} 太大（${zh}），无法读取。`, `File ${file} is too large (${en}) and cannot be read.`);
    case 'ocr-failed':
      return new ReadError(
        'ocr-failed',
        file,
        `文件 ${file} ${zh}是扫描图像，文字识别（Tesseract）失败或超时，无法读取。`,
        `File ${file}: ${en} is a scanned image and text recognition (Tesseract) failed or ran out of time, so the file cannot be read.`,
      );
    case 'timeout':
      return new ReadError(
        code,
        file,
        `读取文件 ${file} 超过 ${zh} 仍未完成，已放弃。`,
        `Reading file ${file} took longer than ${en} and was abandoned.`,
      );
    default:
      return new ReadError(
        'corrupt',
        file,
        `文件 ${file} 不是有效的 PDF 或已损坏，无法读取。`,
        `File ${file} is not a valid PDF or is damaged and cannot be read.`,
      );
  }
}

/**
 * The ReadError for a document whose streams decoded past a limit of its
 * {@link DecodeBudget} (a decompression bomb).
 */
function decompressionBomb(file: string, budget: DecodeBudget): ReadError {
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
  const [zh, en] =
    budget.exceeded === 'stream'
      ? [`单个数据流超过 ${mb(budget.maxStreamBytes)}`, `one stream over ${mb(budget.maxStreamBytes)}`]
      : [`合计超过 ${mb(budget.maxTotalBytes)}`, `over ${mb(budget.maxTotalBytes)} in total`];
  return new ReadError(
    'too-large',
    file,
    `文件 ${file} 中的压缩内容解压后超出上限（${zh}），疑似“解压缩炸弹”，已拒绝读取。`,
    `File ${file} has compressed content that expands beyond the limit (${en}); it looks like a decompression bomb and was refused.`,
  );
}

function durationText(ms: number): [string, string] {
  if (ms < 1000) return [`${ms} 毫秒`, `${ms} ms`];
  const sec = Math.round(ms / 100) / 10;
  return [`${sec} 秒`, `${sec} s`];
}

/**
 * The time limit of one read, and the other limit checked at the same points: the
 * document's decoding budget (set once pdfjs has the document). pdfjs ignores many
 * errors inside a page and goes on, so an exceeded budget is looked at after every
 * step, whether the step succeeded or failed.
 */
class Deadline {
  private end: number;
  budget: DecodeBudget | null = null;
  constructor(
    public ms: number,
    private readonly file: string,
  ) {
    this.end = Date.now() + ms;
  }
  /** more time (for recognising scanned pages) */
  extend(ms: number): void {
    this.ms += ms;
    this.end += ms;
  }
  check(): void {
    this.checkBudget();
    if (Date.now() > this.end) throw fail('timeout', this.file, durationText(this.ms));
  }
  checkBudget(): void {
    if (this.budget?.exceeded) throw decompressionBomb(this.file, this.budget);
  }
  /** awaits `p`, but rejects with a timeout error when the deadline passes first */
  async race<T>(p: Promise<T>): Promise<T> {
    this.check();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(fail('timeout', this.file, durationText(this.ms))), Math.max(0, this.end - Date.now()));
      timer.unref?.();
    });
    try {
      const value = await Promise.race([p, timeout]);
      this.checkBudget();
      return value;
    } catch (e) {
      this.checkBudget();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** a file cut short loses its final `%%EOF` marker */
function looksTruncated(bytes: Uint8Array): boolean {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] <= 0x20 || bytes[end - 1] === 0)) end--;
  const start = Math.max(0, end - 4096);
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
  return !tail.includes('%%EOF');
}

function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

// ---------------------------------------------------------------------------
// text classification helpers

const CJK = '\\u2E80-\\u9FFF\\uF900-\\uFAFF\\uFE30-\\uFE4F\\uFF00-\\uFFEF\\u3000-\\u303F\\u2018-\\u201F\\u2026\\u2014\\u00B7';
const CJK_START = new RegExp(`^[${CJK}]`);
const CJK_END = new RegExp(`[${CJK}]$`);
const SPACE_NEAR_CJK = new RegExp(`\\s+(?=[${CJK}])|(?<=[${CJK}])\\s+`, 'g');

/** collapses whitespace and removes it next to CJK characters */
export function normalizeSpaces(s: string): string {
  return s
    .replace(/[\s\u00A0\u3000]+/g, ' ')
    .replace(SPACE_NEAR_CJK, '')
    .trim();
}

/** joins two pieces of text: no separator next to CJK, else a space when `space` */
function joinText(a: string, b: string, space = true): string {
  if (!a) return b;
  if (!b) return a;
  if (!space || CJK_END.test(a) || CJK_START.test(b)) return a + b;
  return `${a} ${b}`;
}

/** numbers (also with thousands separators or decimals) and not-applicable marks */
const VALUE_RE = /^(?:[+\-−]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|[+\-−]?\d+(?:\.\d+)?|[/／\\]|[-－—–―─‐]{1,3}|——|[0-9.]+(?:万元|元)|无)$/;

export function isValueToken(s: string): boolean {
  return VALUE_RE.test(s.replace(/\s+/g, ''));
}

/** labels that begin a new row: `1.`, `1、`, `（三）`, `三、`, `(2)` */
const ENUM_RE = /^(?:\d{1,2}\s*[.、．](?!\d)|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|[一二三四五六七八九十]{1,3}\s*、)/;

/** page numbers: `- 3 -`, `— 3 —`, `第 3 页`, `第3页 共5页`, `3/5`, `3 / 5`, `Page 3`, `3` */
const PAGE_NO_RES = [
  /^[-－—–‐―]\s*\d{1,4}\s*[-－—–‐―]$/,
  /^第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?$/,
  /^共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页$/,
  /^\d{1,4}\s*[/／]\s*\d{1,4}$/,
  /^(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$/,
];
const BARE_PAGE_NO = /^[-－—–]?\s*\d{1,4}\s*[-－—–]?$/;

// ---------------------------------------------------------------------------
// geometry

/** a piece of text on a page, in layout space (as displayed, y up) */
interface Frag {
  page: number;
  text: string;
  x0: number;
  x1: number;
  /** baseline */
  y: number;
  top: number;
  bottom: number;
  /** vertical centre */
  yc: number;
  size: number;
  vertical: boolean;
  /** user-space box for provenance */
  ux: number;
  uy: number;
  uw: number;
  uh: number;
  /** read by OCR from the page image: the recogniser's confidence, 0–1 */
  ocr?: number;
}

interface HSeg {
  y: number;
  a: number;
  b: number;
}
interface VSeg {
  x: number;
  a: number;
  b: number;
}
interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface PageData {
  page: number;
  /** size in layout space */
  width: number;
  height: number;
  orientation: Orientation;
  frags: Frag[];
  hRules: HSeg[];
  vRules: VSeg[];
  /** ruled regions (candidate tables) */
  regions: Rect[];
}

function apply(m: readonly number[], x: number, y: number): [number, number] {
  return [x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]];
}

/** smallest / largest value of `fn` over `xs` (no argument spreading: arrays may be long) */
function minOf<T>(xs: readonly T[], fn: (x: T) => number): number {
  let m = Number.POSITIVE_INFINITY;
  for (const x of xs) m = Math.min(m, fn(x));
  return m;
}
function maxOf<T>(xs: readonly T[], fn: (x: T) => number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const x of xs) m = Math.max(m, fn(x));
  return m;
}

const median = (xs: number[]): number => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

// ---------------------------------------------------------------------------
// page extraction

interface RawTextItem {
  str: string;
  dir?: string;
  transform: number[];
  width: number;
  height: number;
}

function isTextItem(it: unknown): it is RawTextItem {
  return (
    typeof it === 'object' && it !== null && typeof (it as RawTextItem).str === 'string' && Array.isArray((it as RawTextItem).transform)
  );
}

/** relative advance of a character, for splitting an item at inner spaces */
function charWeight(ch: string): number {
  if (/\s/.test(ch)) return 0.33;
  return CJK_START.test(ch) ? 1 : 0.55;
}

/**
 * Layout space of a page: the page as displayed (viewport), turned by a
 * multiple of 90° so that most of its text runs left to right; y grows upwards.
 */
interface Orientation {
  /** 0–3: quarter turns of the dominant text direction in display space */
  q: number;
  /** display size (after /Rotate) */
  w: number;
  h: number;
  /** viewport transform: user space → display space (y down) */
  vt: number[];
}

/** quarter turns (0–3) of a text matrix's baseline in display space (y down) */
function quarter(d: readonly number[]): number {
  const a = Math.atan2(d[1], d[0]);
  return (((Math.round(a / (Math.PI / 2)) % 4) + 4) % 4) as number;
}

/** display point → layout point */
function toLayout(o: Orientation, X: number, Y: number): [number, number] {
  switch (o.q) {
    case 1:
      return [Y, X];
    case 2:
      return [o.w - X, Y];
    case 3:
      return [o.h - Y, o.w - X];
    default:
      return [X, o.h - Y];
  }
}

/** width and height of the page in layout space */
function layoutSize(o: Orientation): [number, number] {
  return o.q % 2 ? [o.h, o.w] : [o.w, o.h];
}

function pageOrientation(items: RawTextItem[], vt: number[], w: number, h: number): Orientation {
  const weight = [0, 0, 0, 0];
  for (const it of items) {
    if (it.dir === 'ttb') continue;
    weight[quarter(mul(vt, it.transform))] += it.str.trim().length;
  }
  const q = weight.indexOf(Math.max(...weight));
  return { q: Math.max(q, 0), w, h, vt };
}

function makeFrags(item: RawTextItem, page: number, o: Orientation): Frag[] {
  const raw = item.str.replace(/[\u0000-\u001F\u00AD\uFEFF\u200B-\u200D]/g, '');
  if (!raw.trim()) return [];
  const t = item.transform;
  const d = mul(o.vt, t);
  const size = Math.hypot(d[2], d[3]) || Math.abs(item.height) || 10;
  const [x, y] = toLayout(o, d[4], d[5]);
  const ux = t[4];
  const uy = t[5];
  // text turned against the page (e.g. a rotated cell label) is laid out like vertical text
  const turn = (quarter(d) - o.q + 4) % 4;
  if (turn === 1 || turn === 3) {
    const len = Math.max(item.width, size);
    const text = raw.trim();
    const top = turn === 1 ? y : y + len;
    return [
      {
        page,
        text,
        x0: x - 0.5 * size,
        x1: x + 0.5 * size,
        y,
        top,
        bottom: top - len,
        yc: top - len / 2,
        size,
        vertical: true,
        ux,
        uy,
        uw: Math.abs(item.width),
        uh: Math.abs(item.height) || size,
      },
    ];
  }
  const vertical = item.dir === 'ttb' || (raw.trim().length > 1 && item.height > item.width * 1.6 && item.width < size * 1.3);
  if (vertical) {
    const h = Math.max(item.height, size);
    const w = Math.max(item.width, size);
    const text = raw.trim();
    return [
      {
        page,
        text,
        x0: x,
        x1: x + w,
        y,
        top: y + 0.8 * size,
        bottom: y + 0.8 * size - h,
        yc: y + 0.8 * size - h / 2,
        size,
        vertical: true,
        ux,
        uy: uy - h + size,
        uw: w,
        uh: h,
      },
    ];
  }
  if (turn === 2) {
    // upside down: runs right to left from its origin
    return [
      {
        page,
        text: raw.trim(),
        x0: x - item.width,
        x1: x,
        y,
        top: y + 0.8 * size,
        bottom: y - 0.2 * size,
        yc: y + 0.3 * size,
        size,
        vertical: false,
        ux,
        uy,
        uw: Math.abs(item.width),
        uh: Math.abs(item.height) || size,
      },
    ];
  }
  const width = Math.max(0, item.width);
  const mk = (text: string, from: number, to: number): Frag => ({
    page,
    text,
    x0: x + from,
    x1: x + to,
    y,
    top: y + 0.8 * size,
    bottom: y - 0.2 * size,
    yc: y + 0.3 * size,
    size,
    vertical: false,
    ux: ux + from,
    uy,
    uw: to - from,
    uh: Math.abs(item.height) || size,
  });
  // one item may hold several cells separated by spaces ("行政许可   9487", "0 0 0")
  const tokens = raw.split(/[\s\u00A0\u3000]+/).filter(Boolean);
  if (tokens.length > 1 && tokens.some((tok) => isValueToken(tok)) && !isPageNumberText(raw)) {
    const total = [...raw].reduce((s, ch) => s + charWeight(ch), 0) || 1;
    const out: Frag[] = [];
    let pos = 0;
    const re = /[^\s\u00A0\u3000]+/g;
    let m: RegExpExecArray | null = re.exec(raw);
    let last = 0;
    while (m) {
      for (const ch of raw.slice(last, m.index)) pos += charWeight(ch);
      const start = pos;
      for (const ch of m[0]) pos += charWeight(ch);
      last = m.index + m[0].length;
      out.push(mk(m[0], (start / total) * width, (pos / total) * width));
      m = re.exec(raw);
    }
    return out;
  }
  return [mk(raw.trim(), 0, width)];
}

interface PathOpCodes {
  save: number;
  restore: number;
  transform: number;
  constructPath: number;
  paintFormXObjectBegin: number;
  paintFormXObjectEnd: number;
  setFillRGBColor: number;
  setStrokeRGBColor: number;
  setFillTransparent: number;
  setStrokeTransparent: number;
  /** other ops that change a colour to something we do not track */
  otherFill: Set<number>;
  otherStroke: Set<number>;
  strokes: Set<number>;
  fills: Set<number>;
}

function opCodes(pdfjs: Pdfjs): PathOpCodes {
  const O = pdfjs.OPS as Record<string, number>;
  const set = (keys: string[]) => new Set(keys.map((k) => O[k]).filter((v) => typeof v === 'number'));
  return {
    save: O.save,
    restore: O.restore,
    transform: O.transform,
    constructPath: O.constructPath,
    paintFormXObjectBegin: O.paintFormXObjectBegin,
    paintFormXObjectEnd: O.paintFormXObjectEnd,
    setFillRGBColor: O.setFillRGBColor,
    setStrokeRGBColor: O.setStrokeRGBColor,
    setFillTransparent: O.setFillTransparent ?? -1,
    setStrokeTransparent: O.setStrokeTransparent ?? -1,
    otherFill: set(['setFillGray', 'setFillColor', 'setFillColorN', 'setFillCMYKColor', 'setFillColorSpace']),
    otherStroke: set(['setStrokeGray', 'setStrokeColor', 'setStrokeColorN', 'setStrokeCMYKColor', 'setStrokeColorSpace']),
    strokes: set(['stroke', 'closeStroke', 'fillStroke', 'eoFillStroke', 'closeFillStroke', 'closeEOFillStroke']),
    fills: set(['fill', 'eoFill', 'fillStroke', 'eoFillStroke', 'closeFillStroke', 'closeEOFillStroke']),
  };
}

/**
 * is a colour (as pdfjs passes it: '#rrggbb' or [r, g, b]) visible on white paper?
 * Light grey counts (Chrome prints `<table border>` rules in #eeeeee); only
 * near-white (background fills) does not.
 */
function visibleColour(c: unknown): boolean {
  let r: number;
  let g: number;
  let b: number;
  if (typeof c === 'string' && /^#[0-9a-f]{6}$/i.test(c)) {
    r = Number.parseInt(c.slice(1, 3), 16);
    g = Number.parseInt(c.slice(3, 5), 16);
    b = Number.parseInt(c.slice(5, 7), 16);
  } else if (c && typeof c === 'object' && (c as ArrayLike<number>).length === 3) {
    const a = c as ArrayLike<number>;
    [r, g, b] = [a[0], a[1], a[2]];
  } else return true;
  return 0.299 * r + 0.587 * g + 0.114 * b < 250;
}

interface GState {
  ctm: Matrix;
  fill: boolean;
  stroke: boolean;
}

/**
 * The straight segments of every visible painted path of a pdfjs operator list, in user space
 * (x1, y1, x2, y2 for each; curves only move the pen).
 */
function segmentsFromOps(fnArray: number[], argsArray: unknown[], codes: PathOpCodes): number[] {
  const out: number[] = [];
  let gs: GState = { ctm: [1, 0, 0, 1, 0, 0], fill: true, stroke: true };
  const stack: GState[] = [];
  const addSeg = (ax: number, ay: number, bx: number, by: number) => {
    const [x1, y1] = apply(gs.ctm, ax, ay);
    const [x2, y2] = apply(gs.ctm, bx, by);
    out.push(x1, y1, x2, y2);
  };
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as unknown[] | null;
    if (fn === codes.save) stack.push({ ...gs });
    else if (fn === codes.restore) gs = stack.pop() ?? gs;
    else if (fn === codes.transform && Array.isArray(args) && args.length === 6) gs.ctm = mul(gs.ctm, args as number[]);
    else if (fn === codes.paintFormXObjectBegin) {
      stack.push({ ...gs });
      const m = Array.isArray(args) ? args[0] : null;
      if (m && typeof m === 'object' && (m as ArrayLike<number>).length === 6) gs.ctm = mul(gs.ctm, Array.from(m as ArrayLike<number>));
    } else if (fn === codes.paintFormXObjectEnd) gs = stack.pop() ?? gs;
    else if (fn === codes.setFillRGBColor) gs.fill = visibleColour(Array.isArray(args) && args.length === 1 ? args[0] : args);
    else if (fn === codes.setStrokeRGBColor) gs.stroke = visibleColour(Array.isArray(args) && args.length === 1 ? args[0] : args);
    else if (fn === codes.setFillTransparent) gs.fill = false;
    else if (fn === codes.setStrokeTransparent) gs.stroke = false;
    else if (codes.otherFill.has(fn)) gs.fill = true;
    else if (codes.otherStroke.has(fn)) gs.stroke = true;
    else if (fn === codes.constructPath && Array.isArray(args)) {
      const op = args[0] as number;
      const visible = (codes.strokes.has(op) && gs.stroke) || (codes.fills.has(op) && gs.fill);
      if (!visible) continue;
      const paths = args[1] as ArrayLike<number>[] | undefined;
      const data = paths?.[0];
      if (!data || typeof data.length !== 'number') continue;
      let cx = 0;
      let cy = 0;
      let sx = 0;
      let sy = 0;
      for (let k = 0; k < data.length; ) {
        const code = data[k++];
        if (code === 0) {
          cx = sx = data[k++];
          cy = sy = data[k++];
        } else if (code === 1) {
          const nx = data[k++];
          const ny = data[k++];
          addSeg(cx, cy, nx, ny);
          cx = nx;
          cy = ny;
        } else if (code === 2) {
          cx = data[k + 4];
          cy = data[k + 5];
          k += 6;
        } else if (code === 3) {
          cx = data[k + 2];
          cy = data[k + 3];
          k += 4;
        } else if (code === 4) {
          addSeg(cx, cy, sx, sy);
          cx = sx;
          cy = sy;
        } else break;
      }
    }
  }
  return out;
}

/**
 * Axis-aligned line segments (table borders) in layout space, from the straight segments of the
 * visible painted paths in user space (x1, y1, x2, y2 for each), whichever engine read them.
 */
function rulingsFromSegments(segs: readonly number[], o: Orientation): { h: HSeg[]; v: VSeg[] } {
  const [pageWidth, pageHeight] = layoutSize(o);
  const h: HSeg[] = [];
  const v: VSeg[] = [];
  const maxSegs = MAX_RULINGS + 1;
  const layoutPoint = (ux: number, uy: number): [number, number] => {
    const [dx, dy] = apply(o.vt, ux, uy);
    return toLayout(o, dx, dy);
  };
  for (let i = 0; i + 3 < segs.length; i += 4) {
    if (h.length + v.length > maxSegs) break;
    const [x1, y1] = layoutPoint(segs[i], segs[i + 1]);
    const [x2, y2] = layoutPoint(segs[i + 2], segs[i + 3]);
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    if (dy <= 1.5 && dx >= 2) h.push({ y: (y1 + y2) / 2, a: Math.min(x1, x2), b: Math.max(x1, x2) });
    else if (dx <= 1.5 && dy >= 2) v.push({ x: (x1 + x2) / 2, a: Math.min(y1, y2), b: Math.max(y1, y2) });
  }
  // drop page-sized frames (page borders, backgrounds)
  return {
    h: h.filter((s) => s.b - s.a < pageWidth * 0.98),
    v: v.filter((s) => s.b - s.a < pageHeight * 0.95),
  };
}

/** clusters touching ruling segments into regions; returns their bounding boxes */
function ruledRegions(h: HSeg[], v: VSeg[]): Rect[] {
  const rects: Rect[] = [
    ...h.map((s) => ({ x0: s.a, x1: s.b, y0: s.y, y1: s.y })),
    ...v.map((s) => ({ x0: s.x, x1: s.x, y0: s.a, y1: s.b })),
  ];
  const n = rects.length;
  if (!n) return [];
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const tol = 2;
  // sweep by x0 to keep it near-linear for ordinary pages
  const order = rects.map((_, i) => i).sort((a, b) => rects[a].x0 - rects[b].x0);
  for (let oi = 0; oi < n; oi++) {
    const i = order[oi];
    const a = rects[i];
    for (let oj = oi + 1; oj < n; oj++) {
      const j = order[oj];
      const b = rects[j];
      if (b.x0 > a.x1 + tol) break;
      if (b.y0 <= a.y1 + tol && b.y1 >= a.y0 - tol) {
        const ri = find(i);
        const rj = find(j);
        if (ri !== rj) parent[ri] = rj;
      }
    }
  }
  const groups = new Map<number, { r: Rect; h: number; v: number }>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    const r = rects[i];
    const g = groups.get(root);
    const isH = r.y0 === r.y1;
    if (!g) groups.set(root, { r: { ...r }, h: isH ? 1 : 0, v: isH ? 0 : 1 });
    else {
      g.r.x0 = Math.min(g.r.x0, r.x0);
      g.r.x1 = Math.max(g.r.x1, r.x1);
      g.r.y0 = Math.min(g.r.y0, r.y0);
      g.r.y1 = Math.max(g.r.y1, r.y1);
      if (isH) g.h++;
      else g.v++;
    }
  }
  const out: Rect[] = [];
  for (const g of groups.values()) {
    // a table needs horizontal and vertical borders and some extent
    if (g.h >= 2 && g.v >= 2 && g.r.x1 - g.r.x0 >= 40 && g.r.y1 - g.r.y0 >= 12) out.push(g.r);
  }
  return out;
}

// ---------------------------------------------------------------------------
// header / footer removal

function dropHeadersFooters(pages: PageData[]): void {
  // 1) page numbers in the top/bottom band: `- 3 -`, `第 3 页`, `3/5` anywhere there (also beside
  //    other footer text); a bare `3` only as a line of its own on the outermost line
  for (const p of pages) {
    const lines = groupLines(p.frags);
    const drop = new Set<Frag>();
    const band = p.height * 0.12;
    for (const fromBottom of [true, false]) {
      const order = fromBottom ? [...lines].reverse() : lines;
      let outermost = true;
      for (let k = 0; k < order.length; k++) {
        const line = order[k];
        const inBand = fromBottom ? line.yc < band : line.yc > p.height - band;
        if (!inBand) break;
        let dropped = 0;
        for (const seg of segments(line, 1)) {
          if (isPageNumberText(lineText(seg))) {
            for (const f of seg) drop.add(f);
            dropped += seg.length;
          }
        }
        if (dropped === line.frags.length) continue;
        const text = lineText(line.frags);
        const next = order[k + 1];
        const clear = !next || (fromBottom ? next.bottom - line.top : line.bottom - next.top) >= 1.2 * line.size;
        if (outermost && !dropped && BARE_PAGE_NO.test(text) && clear) {
          for (const f of line.frags) drop.add(f);
          continue;
        }
        outermost = false;
      }
    }
    if (drop.size) p.frags = p.frags.filter((f) => !drop.has(f));
  }
  // 2) running headers/footers: the same text (digits ignored) at the same place on most pages
  if (pages.length >= 3) {
    const key = (f: Frag, p: PageData) => {
      const band = f.yc < p.height * 0.1 ? 'b' : f.yc > p.height * 0.9 ? 't' : '';
      return band ? `${band}|${Math.round(f.yc / 6)}|${normalizeSpaces(f.text).replace(/\d+/g, '#')}` : '';
    };
    const count = new Map<string, number>();
    for (const p of pages) {
      const seen = new Set<string>();
      for (const f of p.frags) {
        const k = key(f, p);
        if (k && !seen.has(k)) {
          seen.add(k);
          count.set(k, (count.get(k) ?? 0) + 1);
        }
      }
    }
    const min = Math.max(3, Math.ceil(pages.length * 0.6));
    for (const p of pages) p.frags = p.frags.filter((f) => (count.get(key(f, p)) ?? 0) < min);
  }
}

function isPageNumberText(t: string): boolean {
  const s = t.trim();
  return PAGE_NO_RES.some((re) => re.test(s));
}

// ---------------------------------------------------------------------------
// lines

interface Line {
  page: number;
  frags: Frag[];
  x0: number;
  x1: number;
  yc: number;
  top: number;
  bottom: number;
  y: number;
  size: number;
}

function makeLine(frags: Frag[]): Line {
  frags.sort((a, b) => a.x0 - b.x0);
  const sizes = frags.map((f) => f.size);
  return {
    page: frags[0].page,
    frags,
    x0: minOf(frags, (f) => f.x0),
    x1: maxOf(frags, (f) => f.x1),
    yc: frags.reduce((s, f) => s + f.yc, 0) / frags.length,
    top: maxOf(frags, (f) => f.top),
    bottom: minOf(frags, (f) => f.bottom),
    y: minOf(frags, (f) => f.y),
    size: median(sizes),
  };
}

/** groups fragments of one page into lines (same height), top to bottom */
function groupLines(frags: Frag[]): Line[] {
  const sorted = [...frags].sort((a, b) => b.yc - a.yc || a.x0 - b.x0);
  const groups: { frags: Frag[]; yc: number; size: number }[] = [];
  for (const f of sorted) {
    if (f.vertical) {
      groups.push({ frags: [f], yc: f.yc, size: f.size });
      continue;
    }
    let best: (typeof groups)[number] | null = null;
    let bestD = Number.POSITIVE_INFINITY;
    for (let i = groups.length - 1; i >= 0 && i >= groups.length - 8; i--) {
      const g = groups[i];
      if (g.frags[0].vertical) continue;
      const d = Math.abs(g.yc - f.yc);
      const overlapsX = g.frags.some((o) => Math.min(f.x1, o.x1) - Math.max(f.x0, o.x0) > 0.5 * Math.min(f.x1 - f.x0, o.x1 - o.x0) + 0.5);
      if (d <= 0.45 * Math.min(g.size, f.size) && !overlapsX && d < bestD) {
        best = g;
        bestD = d;
      }
    }
    if (best) {
      best.frags.push(f);
      best.yc = best.frags.reduce((s, o) => s + o.yc, 0) / best.frags.length;
      best.size = Math.min(best.size, f.size);
    } else groups.push({ frags: [f], yc: f.yc, size: f.size });
  }
  return groups.map((g) => makeLine(g.frags)).sort((a, b) => b.yc - a.yc);
}

/** text of a line: fragments joined left to right */
function lineText(frags: Frag[]): string {
  let out = '';
  let prev: Frag | null = null;
  for (const f of frags) {
    const t = normalizeSpaces(f.text);
    out = prev ? joinText(out, t, f.x0 - prev.x1 > 0.2 * Math.min(f.size, prev.size)) : t;
    prev = f;
  }
  return out;
}

/** splits a line into segments at wide gaps (table columns) */
function segments(line: Line, gapFactor = 1.6): Frag[][] {
  const segs: Frag[][] = [];
  let cur: Frag[] = [];
  for (const f of line.frags) {
    const prev = cur[cur.length - 1];
    if (prev && f.x0 - prev.x1 > gapFactor * Math.min(prev.size, f.size)) {
      segs.push(cur);
      cur = [];
    }
    cur.push(f);
  }
  if (cur.length) segs.push(cur);
  return segs;
}

const HEADING_RE = /^[一二三四五六七八九十]{1,3}、/;

/** a line of a table without borders: columns of values or several cells far apart */
function isTabularLine(line: Line): boolean {
  const segs = segments(line, 1);
  if (segs.length < 2) return false;
  const values = segs.filter((s) => s.length === 1 && isValueToken(s[0].text)).length;
  if (values >= 2 || segs.length >= 3) return true;
  if (!values) return false;
  let maxGap = 0;
  for (let i = 1; i < segs.length; i++) {
    const a = segs[i - 1][segs[i - 1].length - 1];
    const b = segs[i][0];
    maxGap = Math.max(maxGap, (b.x0 - a.x1) / Math.min(a.size, b.size));
  }
  return maxGap >= 3;
}

/** finds tables without borders: runs of tabular lines (and the label lines between them) */
function unruledRegions(page: number, lines: Line[]): { region: Region; from: number; to: number }[] {
  const tab = lines.map(isTabularLine);
  const anchor = lines.map((l, i) => tab[i] || segments(l, 1).length >= 2);
  const valueLeft = (l: Line) => minOf(l.frags, (f) => (isValueToken(f.text) ? f.x0 : Number.POSITIVE_INFINITY));
  const isHeading = (l: Line, size: number) => HEADING_RE.test(lineText(l.frags)) && segments(l, 1).length < 2 && l.size > size * 1.15;
  // a line between rows may be a wrapped or spanning label: it stays left of the value columns
  const labelOnly = (l: Line, left: number, size: number) =>
    !isHeading(l, size) && (Number.isFinite(left) ? l.x1 <= left + 0.5 * l.size : lineText(l.frags).length <= 12);
  const out: { region: Region; from: number; to: number }[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!anchor[i]) {
      i++;
      continue;
    }
    let last = i;
    let left = valueLeft(lines[i]);
    let hasTab = tab[i];
    let anchors = 1;
    for (;;) {
      const size = median(lines.slice(i, last + 1).map((l) => l.size));
      let m = last + 1;
      while (m < lines.length && !anchor[m] && m - last <= 4 && labelOnly(lines[m], left, size)) m++;
      if (m >= lines.length || !anchor[m]) break;
      const gap = lines[last].bottom - lines[m].top;
      if (gap > (m === last + 1 ? 6 : 10) * Math.max(lines[last].size, lines[m].size)) break;
      if (!tab[m] && !tab[last] && gap > 2.5 * Math.max(lines[last].size, lines[m].size)) break;
      last = m;
      anchors++;
      hasTab ||= tab[m];
      left = Math.min(left, valueLeft(lines[m]));
    }
    if (anchors < 2 || !hasTab) {
      i++;
      continue;
    }
    // wrapped label lines just below the last row
    const size = median(lines.slice(i, last + 1).map((l) => l.size));
    let to = last;
    while (
      to + 1 < lines.length &&
      to - last < 3 &&
      labelOnly(lines[to + 1], left, size) &&
      lines[to].bottom - lines[to + 1].top <= 2.5 * lines[to + 1].size
    )
      to++;
    const members = lines.slice(i, to + 1);
    out.push({
      region: {
        page,
        rect: {
          x0: minOf(members, (l) => l.x0),
          x1: maxOf(members, (l) => l.x1),
          y0: minOf(members, (l) => l.bottom),
          y1: maxOf(members, (l) => l.top),
        },
        frags: members.flatMap((l) => l.frags),
        ruled: false,
      },
      from: i,
      to,
    });
    i = to + 1;
  }
  return out;
}

/** does a page have text laid out in columns (worth looking for table borders)? */
function mayHoldTable(frags: Frag[]): boolean {
  return groupLines(frags).some((line) => segments(line, 1).length >= 2);
}

// ---------------------------------------------------------------------------
// table rows

interface Piece {
  frags: Frag[];
  text: string;
  x0: number;
  x1: number;
  yc: number;
  top: number;
  bottom: number;
  size: number;
  value: boolean;
  vertical: boolean;
  /** the piece is one of several label cells on a line level with no values (a header line) */
  header: boolean;
  /** pieces with the same number come from one line */
  line: number;
}

interface LabelBlock {
  pieces: Piece[];
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  yc: number;
  size: number;
  /** index of the value row one of its lines is aligned with */
  aligned: number;
}

interface ValueRow {
  pieces: Piece[];
  yc: number;
  size: number;
}

interface Region {
  page: number;
  rect: Rect;
  frags: Frag[];
  ruled: boolean;
}

function makePiece(frags: Frag[]): Piece {
  const text = lineText(frags);
  return {
    frags,
    text,
    x0: minOf(frags, (f) => f.x0),
    x1: maxOf(frags, (f) => f.x1),
    yc: frags.reduce((s, f) => s + f.yc, 0) / frags.length,
    top: maxOf(frags, (f) => f.top),
    bottom: minOf(frags, (f) => f.bottom),
    size: maxOf(frags, (f) => f.size),
    value: isValueToken(text),
    vertical: frags.every((f) => f.vertical),
    header: false,
    line: 0,
  };
}

function hasVRuleBetween(vRules: VSeg[], xa: number, xb: number, yc: number): boolean {
  return vRules.some((r) => r.x > xa - 0.5 && r.x < xb + 0.5 && r.a <= yc + 1 && r.b >= yc - 1);
}

/** is there a horizontal rule between heights ya and yb crossing the x-range [xa, xb]? */
function hasHRuleBetween(hRules: HSeg[], ya: number, yb: number, xa: number, xb: number): boolean {
  const lo = Math.min(ya, yb);
  const hi = Math.max(ya, yb);
  const mid = (xa + xb) / 2;
  return hRules.some((r) => r.y > lo + 0.5 && r.y < hi - 0.5 && r.a <= Math.max(xa + 1, mid) && r.b >= Math.min(xb - 1, mid));
}

/** the heights of the nearest horizontal rules below and above a block that cross its x-range */
function bandOf(hRules: HSeg[], b: { x0: number; x1: number; yc: number }): [number, number] {
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  const mid = (b.x0 + b.x1) / 2;
  for (const r of hRules) {
    if (r.a > Math.max(b.x0 + 1, mid) || r.b < Math.min(b.x1 - 1, mid)) continue;
    if (r.y < b.yc - 0.5) lo = Math.max(lo, r.y);
    else if (r.y > b.yc + 0.5) hi = Math.min(hi, r.y);
  }
  return [lo, hi];
}

/** splits the lines of a table region into pieces (one per cell and line) */
function regionPieces(frags: Frag[], vRules: VSeg[]): Piece[] {
  const pieces: Piece[] = [];
  for (const line of groupLines(frags)) {
    const first = pieces.length;
    let cur: Frag[] = [];
    for (const f of line.frags) {
      const prev = cur[cur.length - 1];
      if (prev) {
        const gap = f.x0 - prev.x1;
        const bothValues = isValueToken(prev.text) && isValueToken(f.text) && cur.length === 1;
        const split =
          gap > 0.4 * Math.min(prev.size, f.size) || bothValues || hasVRuleBetween(vRules, prev.x1 - 1, f.x0 + 1, (prev.yc + f.yc) / 2);
        if (split) {
          pieces.push(makePiece(cur));
          cur = [];
        }
      }
      cur.push(f);
    }
    if (cur.length) pieces.push(makePiece(cur));
    for (const x of pieces.slice(first)) x.line = first;
  }
  return pieces;
}

function tableRows(region: Region, hRules: HSeg[], vRules: VSeg[]): { cells: Piece[][]; yc: number }[] {
  const pieces = regionPieces(region.frags, vRules);
  let hr = region.ruled
    ? hRules.filter((r) => r.b > region.rect.x0 - 2 && r.a < region.rect.x1 + 2 && r.y > region.rect.y0 - 2 && r.y < region.rect.y1 + 2)
    : [];

  // 1) value rows
  const values = pieces.filter((p) => p.value).sort((a, b) => b.yc - a.yc);
  const rows: ValueRow[] = [];
  for (const p of values) {
    const last = rows[rows.length - 1];
    if (last && Math.abs(last.yc - p.yc) <= 0.5 * Math.max(last.size, p.size) && !last.pieces.some((o) => p.x0 < o.x1 && p.x1 > o.x0)) {
      last.pieces.push(p);
      last.yc = last.pieces.reduce((s, o) => s + o.yc, 0) / last.pieces.length;
      last.size = Math.max(last.size, p.size);
    } else rows.push({ pieces: [p], yc: p.yc, size: p.size });
  }
  // rulings are only trusted for rows when they separate the data rows
  if (hr.length && rows.length >= 2) {
    let separated = 0;
    for (let i = 1; i < rows.length; i++) if (hr.some((r) => r.y < rows[i - 1].yc && r.y > rows[i].yc)) separated++;
    if (separated < 0.8 * (rows.length - 1)) hr = [];
  }
  const alignedRow = (p: Piece): number => {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    rows.forEach((r, i) => {
      const d = Math.abs(r.yc - p.yc);
      if (d <= 0.5 * Math.max(Math.min(p.size, r.size), 4) && d < bestD) {
        best = i;
        bestD = d;
      }
    });
    return best;
  };

  const closest = new Map<Piece, number>();
  const closestRow = (p: Piece): number => {
    let best = closest.get(p);
    if (best !== undefined) return best;
    best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    rows.forEach((r, i) => {
      const d = Math.abs(r.yc - p.yc);
      if (d < bestD) {
        best = i;
        bestD = d;
      }
    });
    closest.set(p, best);
    return best;
  };

  const byLine = new Map<number, Piece[]>();
  for (const p of pieces) {
    const list = byLine.get(p.line);
    if (list) list.push(p);
    else byLine.set(p.line, [p]);
  }
  for (const ps of byLine.values()) {
    if (ps.length >= 2 && ps.every((x) => !x.value && alignedRow(x) < 0)) for (const x of ps) x.header = true;
  }
  const labelPieces = pieces.filter((p) => !p.value);
  /** does the row nearest to `p` have another label to the right of it? */
  const labelToRight = (p: Piece): boolean => {
    const r = closestRow(p);
    return r >= 0 && labelPieces.some((o) => o !== p && o.x0 >= p.x1 - 1 && closestRow(o) === r);
  };

  // 2) label blocks: wrapped lines of one cell
  const labels = pieces.filter((p) => !p.value).sort((a, b) => b.yc - a.yc || a.x0 - b.x0);
  const blocks: LabelBlock[] = [];
  for (const p of labels) {
    const pa = alignedRow(p);
    // the nearest block above whose last line overlaps this one horizontally
    let cand: LabelBlock | null = null;
    let candPitch = Number.POSITIVE_INFINITY;
    for (const b of blocks) {
      const q = b.pieces[b.pieces.length - 1];
      const pitch = q.yc - p.yc;
      if (pitch <= 0.3 * Math.min(p.size, q.size)) continue; // same line: another cell
      if (!(p.x0 < q.x1 - 0.5 && p.x1 > q.x0 + 0.5)) continue;
      if (pitch < candPitch) {
        cand = b;
        candPitch = pitch;
      }
    }
    let target: LabelBlock | null = null;
    if (cand) {
      const q = cand.pieces[cand.pieces.length - 1];
      const ok =
        // lines of one cell: close together, or (ruled table) with no rule between them
        candPitch <= (hr.length ? 4 : 2.1) * Math.max(p.size, q.size) &&
        !ENUM_RE.test(p.text) &&
        !hasHRuleBetween(hr, q.yc, p.yc, Math.max(p.x0, q.x0), Math.min(p.x1, q.x1)) &&
        // without rulings, a line belongs to the block only if both are nearest to the same row,
        // unless both are parent labels spanning rows that have their own labels to the right
        (hr.length > 0 ||
          closestRow(p) === (cand.aligned >= 0 ? cand.aligned : closestRow(cand.pieces[0])) ||
          (labelToRight(p) && labelToRight(q))) &&
        // a header line does not run into the label of a data row (or back)
        !(pa >= 0 && cand.pieces.some((x) => x.header)) &&
        !(p.header && cand.aligned >= 0) &&
        p.vertical === q.vertical;
      if (ok) target = cand;
    }
    if (target) {
      target.pieces.push(p);
      target.x0 = Math.min(target.x0, p.x0);
      target.x1 = Math.max(target.x1, p.x1);
      target.bottom = Math.min(target.bottom, p.bottom);
      target.yc = (target.top + target.bottom) / 2;
      target.size = Math.max(target.size, p.size);
      if (target.aligned < 0) target.aligned = pa;
    } else blocks.push({ pieces: [p], x0: p.x0, x1: p.x1, top: p.top, bottom: p.bottom, yc: p.yc, size: p.size, aligned: pa });
  }

  // 3) attach blocks to value rows
  const nearestRow = (b: LabelBlock, cands: number[]): number => {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    for (const i of cands) {
      const r = rows[i];
      const d = r.yc > b.top ? r.yc - b.top : r.yc < b.bottom ? b.bottom - r.yc : 0;
      const dc = Math.abs(r.yc - b.yc);
      const score = d * 1000 + dc;
      if (score < bestD) {
        best = i;
        bestD = score;
      }
    }
    return best;
  };
  const assign = new Map<LabelBlock, number>();
  const rowIdx = rows.map((_, i) => i);
  // the label blocks near each row (for telling rowspan labels from wrapped ones)
  const near: LabelBlock[][] = rows.map(() => []);
  if (hr.length) {
    for (const o of blocks) {
      rows.forEach((r, i) => {
        if (Math.abs(o.yc - r.yc) < 2.2 * Math.max(o.size, r.size)) near[i].push(o);
      });
    }
  }
  for (const b of blocks) {
    if (hr.length) {
      // ruled table: the rows in the same band between horizontal rules
      const [lo, hi] = bandOf(hr, b);
      const band = rowIdx.filter((i) => rows[i].yc > lo && rows[i].yc < hi);
      if (!band.length) continue;
      if (band.length === 1) {
        assign.set(b, band[0]);
        continue;
      }
      // a label spanning several rows whose own labels sit to its right: rowspan → first row
      if (band.every((i) => near[i].some((o) => o !== b && o.x0 >= b.x1 - 1))) {
        assign.set(b, band[0]);
        continue;
      }
      const n = b.aligned >= 0 && band.includes(b.aligned) ? b.aligned : nearestRow(b, band);
      if (n >= 0) assign.set(b, n);
      continue;
    }
    if (b.aligned >= 0) {
      assign.set(b, b.aligned);
      continue;
    }
    const n = nearestRow(b, rowIdx);
    if (n < 0) continue;
    const r = rows[n];
    const lim = 1.2 * Math.max(b.size, r.size);
    if (r.yc <= b.top + lim && r.yc >= b.bottom - lim) assign.set(b, n);
  }

  // 4) rows of cells
  const out: { cells: Piece[][]; yc: number }[] = [];
  const cellsOf = (blks: LabelBlock[], vals: Piece[], mergeColumns: boolean): Piece[][] => {
    // blocks in the same column (overlapping x) of one data row share a cell
    const cols: { x0: number; x1: number; pieces: Piece[] }[] = [];
    for (const b of [...blks].sort((a, c) => a.x0 - c.x0)) {
      const col = mergeColumns ? cols.find((c) => b.x0 < c.x1 - 0.5 && b.x1 > c.x0 + 0.5) : undefined;
      if (col) {
        col.pieces.push(...b.pieces);
        col.x0 = Math.min(col.x0, b.x0);
        col.x1 = Math.max(col.x1, b.x1);
      } else cols.push({ x0: b.x0, x1: b.x1, pieces: [...b.pieces] });
    }
    const cells: { x0: number; pieces: Piece[] }[] = cols.map((c) => ({ x0: c.x0, pieces: c.pieces.sort((a, d) => b2t(a, d)) }));
    for (const v of vals) cells.push({ x0: v.x0, pieces: [v] });
    return cells.sort((a, b) => a.x0 - b.x0).map((c) => c.pieces);
  };
  rows.forEach((r, i) => {
    const blks = blocks.filter((b) => assign.get(b) === i);
    out.push({ cells: cellsOf(blks, r.pieces, true), yc: r.yc });
  });
  // label-only rows (headers, captions): unattached blocks whose heights overlap share a row,
  // one cell per block
  const loose = blocks.filter((b) => !assign.has(b)).sort((a, b) => b.top - a.top || a.x0 - b.x0);
  const groups: { blocks: LabelBlock[]; top: number; bottom: number }[] = [];
  for (const b of loose) {
    const g = groups.find((o) => b.top > o.bottom + 0.5 && b.bottom < o.top - 0.5);
    if (g) {
      g.blocks.push(b);
      g.top = Math.max(g.top, b.top);
      g.bottom = Math.min(g.bottom, b.bottom);
    } else groups.push({ blocks: [b], top: b.top, bottom: b.bottom });
  }
  for (const g of groups) out.push({ cells: cellsOf(g.blocks, [], false), yc: (g.top + g.bottom) / 2 });
  return out.sort((a, b) => b.yc - a.yc);
}

/** top to bottom, then left to right */
function b2t(a: Piece, b: Piece): number {
  return b.yc - a.yc || a.x0 - b.x0;
}

function pieceProv(frags: Frag[]): Provenance & { kind: 'pdf' } {
  const x0 = minOf(frags, (f) => f.ux);
  const y0 = minOf(frags, (f) => f.uy);
  const x1 = maxOf(frags, (f) => f.ux + f.uw);
  const y1 = maxOf(frags, (f) => f.uy + f.uh);
  const prov: Provenance & { kind: 'pdf' } = {
    kind: 'pdf',
    page: frags[0].page,
    x: round(x0),
    y: round(y0),
    width: round(x1 - x0),
    height: round(y1 - y0),
  };
  if (frags.some((f) => f.ocr !== undefined)) {
    prov.ocr = true;
    prov.confidence = round(minOf(frags, (f) => f.ocr ?? 1));
  }
  return prov;
}

const round = (n: number) => Math.round(n * 100) / 100;

function toCell(pieces: Piece[]): Cell {
  let text = '';
  const parts: { offset: number; length: number; prov: Provenance }[] = [];
  for (const p of pieces) {
    const before = text.length;
    text = joinText(text, p.text);
    const offset = text.length - p.text.length;
    if (offset >= before) parts.push({ offset, length: p.text.length, prov: pieceProv(p.frags) });
  }
  const cell: Cell = { text, prov: pieceProv(pieces.flatMap((p) => p.frags)) };
  if (parts.length > 1) cell.pieces = parts;
  return cell;
}

// ---------------------------------------------------------------------------
// page layout → blocks

type PageItem = { kind: 'line'; line: Line; top: number } | { kind: 'table'; region: Region; rows: Cell[][]; top: number; weak: boolean };

function layoutPage(p: PageData): PageItem[] {
  const items: PageItem[] = [];
  const inRect = (f: Frag, r: Rect) => {
    const xc = (f.x0 + f.x1) / 2;
    return xc >= r.x0 - 1 && xc <= r.x1 + 1 && f.yc >= r.y0 - 1 && f.yc <= r.y1 + 1;
  };
  const regions: Region[] = [];
  let rest = p.frags;
  for (const rect of p.regions) {
    const inside = rest.filter((f) => inRect(f, rect));
    if (!inside.length) continue;
    regions.push({ page: p.page, rect, frags: inside, ruled: true });
    const set = new Set(inside);
    rest = rest.filter((f) => !set.has(f));
  }
  // unruled tables: runs of tabular lines
  let lines = groupLines(rest);
  const used = new Set<number>();
  for (const u of unruledRegions(p.page, lines)) {
    regions.push(u.region);
    for (let k = u.from; k <= u.to; k++) used.add(k);
  }
  lines = lines.filter((_, i) => !used.has(i));
  for (const r of regions) {
    if (r.frags.length > MAX_TABLE_FRAGS) {
      // far beyond any report table: read it as lines of text rather than spend minutes on it
      for (const line of groupLines(r.frags)) items.push({ kind: 'line', line, top: line.top });
      continue;
    }
    const rows = tableRows(r, p.hRules, p.vRules);
    const cells = rows.map((row) => row.cells.map(toCell)).filter((row) => row.length);
    const pieces = regionPieces(r.frags, p.vRules);
    const hasValue = pieces.some((x) => x.value);
    const multi = groupLines(r.frags).some((l) => segments(l, 1.2).length >= 2);
    if (!cells.length) continue;
    if (!hasValue && !multi) {
      // a framed box of text: paragraphs, unless it continues a table across pages
      items.push({ kind: 'table', region: r, rows: cells, top: r.rect.y1, weak: true });
      continue;
    }
    items.push({ kind: 'table', region: r, rows: cells, top: maxOf(r.frags, (f) => f.top), weak: false });
  }
  for (const line of lines) items.push({ kind: 'line', line, top: line.top });
  return items.sort((a, b) => b.top - a.top);
}

interface FlowLine {
  line: Line;
  text: string;
}

function buildBlocks(pages: PageData[]): Block[] {
  const perPage = pages.map(layoutPage);
  // weak (text-only framed) regions stay tables only when they continue a table across a page break
  for (let pi = 0; pi < perPage.length; pi++) {
    const items = perPage[pi];
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (it.kind !== 'table' || !it.weak) continue;
      const prevPageLast = i === 0 ? perPage[pi - 1]?.[perPage[pi - 1].length - 1] : undefined;
      const nextPageFirst = i === items.length - 1 ? perPage[pi + 1]?.[0] : undefined;
      const continues =
        (prevPageLast?.kind === 'table' && !prevPageLast.weak) ||
        (nextPageFirst?.kind === 'table' && !nextPageFirst.weak) ||
        (items[i - 1]?.kind === 'table' && !(items[i - 1] as { weak: boolean }).weak) ||
        (items[i + 1]?.kind === 'table' && !(items[i + 1] as { weak: boolean }).weak);
      if (continues) it.weak = false;
      else {
        const ls = groupLines(it.region.frags).map((line): PageItem => ({ kind: 'line', line, top: line.top }));
        items.splice(i, 1, ...ls);
        i += ls.length - 1;
      }
    }
  }

  // body metrics for paragraph breaking
  const allLines = perPage.flat().flatMap((it) => (it.kind === 'line' ? [it.line] : []));
  const sizeHist = new Map<number, number>();
  for (const l of allLines) {
    const k = Math.round(l.size * 2) / 2;
    sizeHist.set(k, (sizeHist.get(k) ?? 0) + (l.x1 - l.x0));
  }
  const bodySize = [...sizeHist.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 12;
  const bodyLines = allLines.filter((l) => Math.abs(l.size - bodySize) <= 1);
  const leftHist = new Map<number, number>();
  for (const l of bodyLines) leftHist.set(Math.round(l.x0), (leftHist.get(Math.round(l.x0)) ?? 0) + 1);
  const left = [...leftHist.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
  const rights = bodyLines.map((l) => l.x1).sort((a, b) => a - b);
  const right = rights.length ? rights[Math.floor(rights.length * 0.9)] : 0;
  const pitches: number[] = [];
  for (let i = 1; i < bodyLines.length; i++) {
    const a = bodyLines[i - 1];
    const b = bodyLines[i];
    if (a.page === b.page && a.yc > b.yc) pitches.push(a.yc - b.yc);
  }
  const pitch = median(pitches) || bodySize * 1.8;

  const blocks: Block[] = [];
  let para: FlowLine[] = [];
  const flush = () => {
    if (!para.length) return;
    let text = '';
    for (const fl of para) text = joinText(text, fl.text);
    const first = para[0].line;
    const firstPage = para.filter((fl) => fl.line.page === first.page).flatMap((fl) => fl.line.frags);
    const block: ParagraphBlock = { type: 'paragraph', text, prov: pieceProv(firstPage) };
    if (text) blocks.push(block);
    para = [];
  };
  let lastTable: TableBlock | null = null;
  let prevLine: Line | null = null;
  for (const items of perPage) {
    for (const it of items) {
      if (it.kind === 'table') {
        flush();
        prevLine = null;
        if (lastTable && blocks[blocks.length - 1] === lastTable) {
          lastTable.rows.push(...it.rows);
        } else {
          lastTable = { type: 'table', rows: it.rows, prov: pieceProv(it.region.frags) };
          blocks.push(lastTable);
        }
        continue;
      }
      const line = it.line;
      const text = lineText(line.frags);
      if (!text) continue;
      if (prevLine && !continuesParagraph(prevLine, line, { bodySize, left, right, pitch })) flush();
      para.push({ line, text });
      prevLine = line;
    }
  }
  flush();
  return blocks;
}

function continuesParagraph(prev: Line, line: Line, m: { bodySize: number; left: number; right: number; pitch: number }): boolean {
  const size = Math.max(prev.size, line.size);
  if (Math.abs(prev.size - line.size) > 1.2) return false;
  if (prev.x1 < m.right - 1.5 * size) return false; // previous line ended short
  if (line.x0 > m.left + 1.2 * size) return false; // indented first line / centred
  if (prev.x0 > m.left + 4 * size && prev.x1 < m.right - size) return false;
  if (line.page === prev.page) {
    const gap = prev.yc - line.yc;
    if (gap <= 0 || gap > m.pitch * 1.6) return false;
  }
  const t = lineText(line.frags);
  if (/^[一二三四五六七八九十]{1,3}、/.test(t) && prev.x1 < m.right - size) return false;
  return true;
}

// ---------------------------------------------------------------------------
// recognised pages

/** inverse of an affine matrix [a b c d e f] */
function invert(m: readonly number[]): Matrix {
  const det = m[0] * m[3] - m[1] * m[2] || 1;
  return [m[3] / det, -m[1] / det, -m[2] / det, m[0] / det, (m[2] * m[5] - m[3] * m[4]) / det, (m[1] * m[4] - m[0] * m[5]) / det];
}

/**
 * Puts what OCR read on a scanned page into the page as if it were its text layer and drawing:
 * each word a fragment (marked with its confidence), each border found in the image a ruling.
 * The page is laid out as displayed (a scan is read upright).
 */
function applyOcr(p: PageData, r: OcrPage): void {
  const o: Orientation = { ...p.orientation, q: 0 };
  p.orientation = o;
  [p.width, p.height] = layoutSize(o);
  const inv = invert(o.vt);
  const frags: Frag[] = [];
  const vRules = r.vRules;
  // Tesseract cuts a line into words at small gaps too (`251000` `元`): words of one line close
  // together (under 0.6 of the text size apart) with no border between them are one piece
  const words: OcrPage['words'] = [];
  for (const w of r.words) {
    // a lone punctuation mark read with little confidence is a speck of the scan
    if (w.confidence < 0.6 && /^[\p{P}\p{S}]+$/u.test(w.text)) continue;
    // so is a character or two read with almost none (no digit among them)
    if (w.confidence < 0.2 && [...w.text].length <= 2 && !/\d/.test(w.text)) continue;
    const prev = words[words.length - 1];
    const size = w.lineBottom - w.lineTop;
    if (
      prev &&
      prev.lineTop === w.lineTop &&
      w.x0 > prev.x0 &&
      w.x0 - prev.x1 < 0.6 * size &&
      !vRules.some((v) => v.at > prev.x1 - 1 && v.at < w.x0 + 1 && v.a <= w.bottom && v.b >= w.top)
    ) {
      words[words.length - 1] = {
        ...prev,
        text: joinText(prev.text, w.text),
        x1: Math.max(prev.x1, w.x1),
        top: Math.min(prev.top, w.top),
        bottom: Math.max(prev.bottom, w.bottom),
        confidence: Math.min(prev.confidence, w.confidence),
      };
    } else words.push(w);
  }
  for (const w of words) {
    const lineH = w.lineBottom - w.lineTop;
    const h = w.bottom - w.top;
    // the line's height is the text size; a flat glyph (一, ，) keeps the centre of its line
    const size = Math.max(h, Math.min(lineH, 3 * h), 1);
    const ycDisplay = h >= 0.5 * lineH ? (w.top + w.bottom) / 2 : (w.lineTop + w.lineBottom) / 2;
    const yc = o.h - ycDisplay;
    const [ux0, uy0] = apply(inv, w.x0, w.bottom);
    const [ux1, uy1] = apply(inv, w.x1, w.top);
    frags.push({
      page: p.page,
      text: w.text,
      x0: w.x0,
      x1: w.x1,
      y: yc - 0.3 * size,
      top: yc + 0.5 * size,
      bottom: yc - 0.5 * size,
      yc,
      size,
      vertical: false,
      ux: Math.min(ux0, ux1),
      uy: Math.min(uy0, uy1),
      uw: Math.abs(ux1 - ux0),
      uh: Math.abs(uy1 - uy0),
      ocr: w.confidence,
    });
  }
  p.frags = frags;
  p.hRules = r.hRules.map((s) => ({ y: o.h - s.at, a: s.a, b: s.b }));
  p.vRules = r.vRules.map((s) => ({ x: s.at, a: o.h - s.b, b: o.h - s.a }));
  p.regions = p.hRules.length + p.vRules.length <= MAX_RULINGS ? ruledRegions(p.hRules, p.vRules) : [];
}

// ---------------------------------------------------------------------------
// main

/** one page as an engine reads it: pdfjs-like text items and the viewport (scale 1) */
interface EnginePage {
  items: RawTextItem[];
  vt: number[];
  width: number;
  height: number;
}

/** an open document of one engine (pdfjs or PDFium) */
interface EngineDoc {
  numPages: number;
  /** page n (1-based): its text items and viewport */
  page(n: number): Promise<EnginePage>;
  /** the straight segments of page n's visible painted paths, in user space (x1, y1, x2, y2 each) */
  segments(n: number): Promise<number[]>;
}

/** thrown by the PDFium engine when the document is to be read by pdfjs instead */
class UsePdfjs extends Error {}

/** pdfjs's viewport (scale 1) of a page with the view box `view` and /Rotate `rotate` (PageViewport) */
function viewport(view: readonly number[], rotate: number): { vt: number[]; width: number; height: number } {
  const cx = (view[2] + view[0]) / 2;
  const cy = (view[3] + view[1]) / 2;
  const [ra, rb, rc, rd] = rotate === 90 ? [0, 1, 1, 0] : rotate === 180 ? [-1, 0, 0, 1] : rotate === 270 ? [0, -1, -1, 0] : [1, 0, 0, -1];
  let ox: number;
  let oy: number;
  let width: number;
  let height: number;
  if (ra === 0) {
    ox = Math.abs(cy - view[1]);
    oy = Math.abs(cx - view[0]);
    width = view[3] - view[1];
    height = view[2] - view[0];
  } else {
    ox = Math.abs(cx - view[0]);
    oy = Math.abs(cy - view[1]);
    width = view[2] - view[0];
    height = view[3] - view[1];
  }
  return { vt: [ra, rb, rc, rd, ox - ra * cx - rc * cy, oy - rb * cx - rd * cy], width, height };
}

/**
 * Reads a PDF into the document model. Throws only {@link ReadError}:
 * 'corrupt' (not a PDF, damaged or truncated), 'encrypted' (needs a password),
 * 'no-text-layer' (scanned, no text to read), 'too-large' (more than
 * LIMITS.maxPdfPages pages or LIMITS.maxFileBytes bytes, or streams that decode
 * to more than PDF_DECODE_LIMITS allows: a decompression bomb) and 'timeout'.
 *
 * The document is read by PDFium (pdf-pdfium.ts) when it can, else by pdfjs: both give the same
 * raw material (text items, painted segments), turned into the document model by the same code.
 */
export async function readPdf(bytes: Uint8Array, file: string, options: ReadPdfOptions = {}): Promise<DocumentModel> {
  const deadline = new Deadline(options.timeoutMs ?? PDF_TIMEOUT_MS, file);
  if (bytes.length === 0) throw fail('empty', file);
  if (bytes.length > LIMITS.maxFileBytes) {
    const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
    throw fail('too-large', file, [
      `${mb(bytes.length)} MB，上限为 ${mb(LIMITS.maxFileBytes)} MB`,
      `${mb(bytes.length)} MB, the limit is ${mb(LIMITS.maxFileBytes)} MB`,
    ]);
  }
  if (!hasPdfHeader(bytes) || looksTruncated(bytes)) throw fail('corrupt', file);
  const engine = options.engine ?? (pdfiumEnabled() ? 'pdfium' : 'pdfjs');
  if (engine === 'pdfium') {
    try {
      return await readWithPdfium(bytes, file, options, deadline);
    } catch (e) {
      if (!(e instanceof UsePdfjs)) throw e;
    }
  }
  return readWithPdfjs(bytes, file, options, deadline);
}

/** which engine read the last document in this process (for tests and benchmarks) */
let lastEngine: 'pdfium' | 'pdfjs' | null = null;
export function lastPdfEngine(): 'pdfium' | 'pdfjs' | null {
  return lastEngine;
}

async function readWithPdfium(bytes: Uint8Array, file: string, options: ReadPdfOptions, deadline: Deadline): Promise<DocumentModel> {
  // PDFium has no decoding limit of its own: documents whose streams are not known to stay within
  // the limits go to pdfjs, which enforces them
  if (!checkStreams(bytes, PDF_DECODE_LIMITS)) throw new UsePdfjs();
  let doc: PdfiumDocument | null;
  try {
    doc = PdfiumDocument.open(await deadline.race(loadPdfium()), bytes);
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw new UsePdfjs();
  }
  // damaged, encrypted, not a PDF: pdfjs reads it or gives the reader's error
  if (!doc) throw new UsePdfjs();
  const open = doc;
  try {
    if (open.numPages > LIMITS.maxPdfPages) {
      throw fail('too-large', file, [
        `共 ${open.numPages} 页，上限为 ${LIMITS.maxPdfPages} 页`,
        `${open.numPages} pages, the limit is ${LIMITS.maxPdfPages}`,
      ]);
    }
    if (open.numPages === 0) throw new UsePdfjs();
    const segments = new Map<number, number[]>();
    const engineDoc: EngineDoc = {
      numPages: open.numPages,
      page: async (n) => {
        let p: ReturnType<PdfiumDocument['page']>;
        try {
          p = open.page(n - 1);
        } catch {
          throw new UsePdfjs();
        }
        segments.set(n, p.segments);
        return { items: p.items, ...viewport(p.view, p.rotate) };
      },
      segments: async (n) => segments.get(n) ?? [],
    };
    const model = await readPages(engineDoc, bytes, file, options, deadline);
    lastEngine = 'pdfium';
    return model;
  } finally {
    open.close();
  }
}

async function readWithPdfjs(bytes: Uint8Array, file: string, options: ReadPdfOptions, deadline: Deadline): Promise<DocumentModel> {
  let pdfjs: Pdfjs;
  let assets: { cMapUrl: string; standardFontDataUrl: string };
  try {
    pdfjs = await deadline.race(loadPdfjs());
    assets = pdfjsAssets();
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw new ReadError(
      'unsupported',
      file,
      `无法加载 PDF 组件，文件 ${file} 无法读取。`,
      `The PDF library could not be loaded, so file ${file} cannot be read.`,
    );
  }
  let task: ReturnType<Pdfjs['getDocument']>;
  try {
    task = pdfjs.getDocument({
      // pdfjs may take ownership of (detach) the buffer: give it a copy
      data: new Uint8Array(bytes),
      cMapUrl: assets.cMapUrl,
      cMapPacked: true,
      BinaryDataFactory: CachedBinaryDataFactory,
      standardFontDataUrl: assets.standardFontDataUrl,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: pdfjs.VerbosityLevel.ERRORS,
      // images are never rendered: skip decoding them
      maxImageSize: 1,
      stopAtErrors: false,
    });
  } catch (e) {
    throw classify(e, file);
  }
  // a read given up before it awaits the document (its time limit already passed) destroys the
  // task, which rejects the loading promise: that rejection is expected, not an unhandled error
  task.promise.catch(() => {});
  // the worker charges every byte its filters decode to this budget (see pdfjs-worker.ts)
  deadline.budget = openDecodeBudget(task.docId);
  try {
    let doc: Awaited<typeof task.promise>;
    try {
      doc = await deadline.race(task.promise);
    } catch (e) {
      throw classify(e, file);
    }
    if (doc.numPages > LIMITS.maxPdfPages) {
      throw fail('too-large', file, [
        `共 ${doc.numPages} 页，上限为 ${LIMITS.maxPdfPages} 页`,
        `${doc.numPages} pages, the limit is ${LIMITS.maxPdfPages}`,
      ]);
    }
    const codes = opCodes(pdfjs);
    const pdf = doc;
    const engineDoc: EngineDoc = {
      numPages: doc.numPages,
      page: async (n) => {
        const page = await deadline.race(pdf.getPage(n));
        const viewport = page.getViewport({ scale: 1 });
        const tc = await deadline.race(page.getTextContent());
        const items: RawTextItem[] = [];
        for (const it of tc.items as unknown[]) if (isTextItem(it)) items.push(it);
        page.cleanup();
        return { items, vt: viewport.transform as number[], width: viewport.width, height: viewport.height };
      },
      segments: async (n) => {
        const page = await deadline.race(pdf.getPage(n));
        const ops = await deadline.race(page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.DISABLE }));
        const segs = segmentsFromOps(ops.fnArray, ops.argsArray, codes);
        page.cleanup();
        return segs;
      },
    };
    const model = await readPages(engineDoc, bytes, file, options, deadline);
    lastEngine = 'pdfjs';
    return model;
  } catch (e) {
    if (e instanceof ReadError) throw e;
    deadline.checkBudget();
    throw classify(e, file);
  } finally {
    try {
      await Promise.race([task.destroy(), new Promise((r) => setTimeout(r, 5000).unref?.())]);
    } catch {
      // ignore: the document is being thrown away
    }
    closeDecodeBudget(task.docId);
  }
}

/** the document model of an open document, whichever engine reads it */
async function readPages(
  doc: EngineDoc,
  bytes: Uint8Array,
  file: string,
  options: ReadPdfOptions,
  deadline: Deadline,
): Promise<DocumentModel> {
  const pages: PageData[] = [];
  let useful = 0;
  /** letters and digits of each page's text layer */
  const pageUseful: number[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      deadline.check();
      const { items, vt, width: vw, height: vh } = await doc.page(n);
      const orientation = pageOrientation(items, vt, vw, vh);
      const frags: Frag[] = [];
      let own = 0;
      for (const it of items) {
        own += (it.str.match(/[\p{L}\p{N}]/gu) ?? []).filter((ch) => !/[\uE000-\uF8FF]/.test(ch)).length;
        // (a loop, not push(...): one text item may split into more pieces than a call takes arguments)
        for (const f of makeFrags(it, n, orientation)) frags.push(f);
      }
      useful += own;
      pageUseful.push(own);
      const [width, height] = layoutSize(orientation);
      pages.push({ page: n, width, height, orientation, frags, hRules: [], vRules: [], regions: [] });
    }
  } catch (e) {
    if (e instanceof ReadError || e instanceof UsePdfjs) throw e;
    throw classify(e, file);
  }
  // scanned pages (no text layer): recognised when the OCR tools are installed
  const scanned = pages.filter((p) => pageUseful[p.page - 1] < SCANNED_PAGE_CHARS);
  const noText = useful < Math.max(20, 5 * doc.numPages);
  const ocrPages = new Set<number>();
  if (scanned.length > 0 && options.ocr !== false) {
    const tools = await ocrTools();
    if (!tools && noText) throw fail('no-text-layer', file, OCR_HINT);
    if (tools) {
      if (scanned.length > OCR_MAX_PAGES) {
        throw fail('too-large', file, [
          `扫描页 ${scanned.length} 页，文字识别上限为 ${OCR_MAX_PAGES} 页`,
          `${scanned.length} scanned pages, the limit for text recognition is ${OCR_MAX_PAGES}`,
        ]);
      }
      // each child process has its own time limit; the read's overall limit grows with the pages
      deadline.extend(scanned.length * OCR_PAGE_BUDGET_MS);
      const scratch = await ocrScratch(bytes);
      try {
        for (const p of scanned) {
          deadline.check();
          let result: OcrPage;
          try {
            result = await deadline.race(
              ocrPage(tools, scratch.pdf, p.page, { width: p.orientation.w, height: p.orientation.h }, scratch.dir),
            );
          } catch (e) {
            if (e instanceof ReadError) throw e;
            throw fail('ocr-failed', file, [`第 ${p.page} 页`, `page ${p.page}`]);
          }
          applyOcr(p, result);
          ocrPages.add(p.page);
          for (const f of p.frags) useful += (f.text.match(/[\p{L}\p{N}]/gu) ?? []).length;
        }
      } finally {
        await scratch.close();
      }
    }
  }
  if (useful < Math.max(20, 5 * doc.numPages)) throw fail('no-text-layer', file, ocrPages.size ? OCR_NOTHING : ['', '']);
  // table borders (best effort: a page whose drawing cannot be read just has none)
  for (const p of pages) {
    // drawing a page's operator list is costly (fonts): only where a table may be
    // (a recognised page has the rulings found in its image)
    if (!p.frags.length || options.rulings === false || ocrPages.has(p.page) || !mayHoldTable(p.frags)) continue;
    deadline.check();
    try {
      const { h, v } = rulingsFromSegments(await doc.segments(p.page), p.orientation);
      // a page drawn with a huge number of lines is not a table we can use (and would be slow)
      if (h.length + v.length <= MAX_RULINGS) {
        p.hRules = h;
        p.vRules = v;
        p.regions = ruledRegions(h, v);
      }
    } catch (e) {
      if (e instanceof ReadError) throw e;
    }
  }
  deadline.check();
  dropHeadersFooters(pages);
  const blocks = buildBlocks(pages);
  let cells = 0;
  for (const b of blocks) if (b.type === 'table') for (const r of b.rows) cells += r.length;
  if (cells > LIMITS.maxCells) {
    throw fail('too-large', file, [
      `表格单元格 ${cells} 个，上限为 ${LIMITS.maxCells} 个`,
      `${cells} table cells, the limit is ${LIMITS.maxCells}`,
    ]);
  }
  return { kind: 'pdf', source: file, blocks };
}

function classify(e: unknown, file: string): ReadError {
  if (e instanceof ReadError) return e;
  const name = (e as { name?: string } | null)?.name ?? '';
  if (name === 'PasswordException') return fail('encrypted', file);
  return fail('corrupt', file);
}
