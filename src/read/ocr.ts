/**
 * OCR of scanned PDF pages (pages without a text layer), offline, with kept tools run as
 * child processes: Poppler's `pdftoppm` rasterises a page to a greyscale PGM, Tesseract
 * (`tesseract`, language `chi_sim` from Debian's tesseract-ocr-chi-sim) recognises it.
 *
 * Between the two, the table borders are found in the image (long dark runs, horizontal and
 * vertical) and erased, so that Tesseract reads the cells' text without the lines (borders read
 * as `|`, `1`, `l` spoil the digits), while the borders themselves are handed to the PDF reader
 * as ruling lines, exactly as a PDF's drawn borders: the table grid of a scanned page is then
 * built by the same code as that of a born-digital one.
 *
 * Everything is returned in points on the page as displayed (after /Rotate), y growing downwards.
 *
 * Limits: each child process has a time limit ({@link OCR_PAGE_TIMEOUT_MS}) after which it is
 * killed; at most {@link OCR_MAX_PAGES} pages of one document are recognised (more is refused as
 * too large); each scanned page adds {@link OCR_PAGE_BUDGET_MS} to the read's overall limit.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** resolution the pages are rasterised at (Tesseract reads CJK best at about 30 px a character) */
export const OCR_DPI = 300;
/** time limit of one child process (rasterising or recognising one page) */
export const OCR_PAGE_TIMEOUT_MS = 60_000;
/** most scanned pages recognised in one document */
export const OCR_MAX_PAGES = 40;
/** time a scanned page adds to the read's overall limit (a page takes 1.5–3 s on one core) */
export const OCR_PAGE_BUDGET_MS = 30_000;

export interface OcrWord {
  text: string;
  /** box in points on the page as displayed (y down from the top edge) */
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  /** the box of the line Tesseract put the word on (its height is the text size) */
  lineTop: number;
  lineBottom: number;
  /** Tesseract's confidence, 0–1 */
  confidence: number;
}

/** a ruling in points on the page as displayed (y down): horizontal at y = `at` from x = a to b, vertical at x = `at` */
export interface OcrSegment {
  at: number;
  a: number;
  b: number;
}

export interface OcrPage {
  page: number;
  words: OcrWord[];
  hRules: OcrSegment[];
  vRules: OcrSegment[];
}

export interface OcrTools {
  tesseract: string;
  pdftoppm: string;
  /** language(s) passed to tesseract */
  lang: string;
  /** the language used to read again, as digits only, the numbers read with little confidence ('eng'), or null */
  digits: string | null;
}

let toolsPromise: Promise<OcrTools | null> | null = null;

/** address space of one child process (a hostile image stream must not take the machine's memory) */
const CHILD_MEMORY_KB = 3 * 1024 * 1024;

function run(cmd: string, args: string[], timeoutMs: number, encoding: 'utf8' | 'buffer' = 'utf8'): Promise<string> {
  // on POSIX systems the child runs under a memory limit set by the shell's ulimit
  const limited = process.platform !== 'win32';
  return new Promise((resolve, reject) => {
    execFile(
      limited ? '/bin/sh' : cmd,
      limited ? ['-c', `ulimit -v ${CHILD_MEMORY_KB} 2>/dev/null; exec "$0" "$@"`, cmd, ...args] : args,
      {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        encoding: encoding === 'utf8' ? 'utf8' : 'buffer',
        // one thread a page: the readers run in parallel workers already
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        windowsHide: true,
      },
      (err, stdout) => {
        if (err) reject(err);
        else resolve(String(stdout));
      },
    );
  });
}

/**
 * The OCR tools when they are installed (tesseract with the chi_sim language, pdftoppm), else
 * null. `NIANBAO_TESSERACT` / `NIANBAO_PDFTOPPM` name other binaries; `NIANBAO_OCR=off` turns
 * OCR off. Looked up once a process.
 */
export function ocrTools(): Promise<OcrTools | null> {
  if (process.env.NIANBAO_OCR === 'off') return Promise.resolve(null);
  if (!toolsPromise) {
    toolsPromise = (async () => {
      const tesseract = process.env.NIANBAO_TESSERACT || 'tesseract';
      const pdftoppm = process.env.NIANBAO_PDFTOPPM || 'pdftoppm';
      try {
        const langs = await run(tesseract, ['--list-langs'], 10_000);
        if (!/^chi_sim$/m.test(langs)) return null;
        await run(pdftoppm, ['-v'], 10_000);
        return { tesseract, pdftoppm, lang: 'chi_sim', digits: /^eng$/m.test(langs) ? 'eng' : null };
      } catch {
        return null;
      }
    })();
  }
  return toolsPromise;
}

/** forget the looked-up tools (tests switch NIANBAO_OCR / the binaries) */
export function resetOcrTools(): void {
  toolsPromise = null;
}

// ---------------------------------------------------------------------------
// the image

export interface Gray {
  width: number;
  height: number;
  /** one byte a pixel, 0 black … 255 white, rows top to bottom */
  data: Uint8Array;
}

/** parses a binary PGM (P5, maxval < 256) */
export function parsePgm(buf: Uint8Array): Gray {
  let pos = 0;
  const token = (): string => {
    for (;;) {
      while (pos < buf.length && /\s/.test(String.fromCharCode(buf[pos]))) pos++;
      if (buf[pos] === 0x23) {
        while (pos < buf.length && buf[pos] !== 0x0a) pos++;
        continue;
      }
      break;
    }
    const start = pos;
    while (pos < buf.length && !/\s/.test(String.fromCharCode(buf[pos]))) pos++;
    return String.fromCharCode(...buf.subarray(start, pos));
  };
  if (token() !== 'P5') throw new Error('not a binary PGM');
  const width = Number(token());
  const height = Number(token());
  const maxval = Number(token());
  pos++; // the single whitespace after maxval
  if (!(width > 0 && height > 0 && maxval > 0 && maxval < 256)) throw new Error('unsupported PGM');
  const data = buf.subarray(pos, pos + width * height);
  if (data.length < width * height) throw new Error('truncated PGM');
  return { width, height, data };
}

export function writePgm(img: Gray): Uint8Array {
  const head = new TextEncoder().encode(`P5\n${img.width} ${img.height}\n255\n`);
  const out = new Uint8Array(head.length + img.data.length);
  out.set(head, 0);
  out.set(img.data, head.length);
  return out;
}

/** a ruling found in the image, in pixels: horizontal (y0..y1 rows, x0..x1) or vertical */
export interface PixelLine {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const DARK = 160;

/**
 * Table borders in a page image: runs of dark pixels at least `minH` long along a row (or
 * `minV` along a column), merged with the runs of the neighbouring rows (columns) they overlap
 * (a border is several pixels thick). A vertical run shorter than `minV` still counts when both
 * its ends meet horizontal borders (a cell's side in a short row). Linear in the pixels.
 */
export function findRulings(img: Gray, dpi = OCR_DPI): { h: PixelLine[]; v: PixelLine[] } {
  const { width: W, height: H, data } = img;
  // longer than a character's stroke, even in a large heading (a 22 pt character is 0.3 in)
  const minH = Math.round(dpi * 0.45);
  const minV = Math.round(dpi * 0.45);
  // a short vertical run counts only between two horizontal borders (the side of a one-line cell)
  const minVShort = Math.round(dpi * 0.08);
  const h = mergeRuns(
    collectRuns(W, H, minH, (x, y) => data[y * W + x] < DARK),
    'h',
  );
  const hThick = h.filter((l) => l.x1 - l.x0 >= minH);
  const vAll = mergeRuns(
    collectRuns(H, W, minVShort, (y, x) => data[y * W + x] < DARK),
    'v',
  );
  const near = (y: number, x: number) => hThick.some((l) => y >= l.y0 - 4 && y <= l.y1 + 4 && x >= l.x0 - 4 && x <= l.x1 + 4);
  const v = vAll.filter((l) => l.y1 - l.y0 >= minV || (near(l.y0, l.x0) && near(l.y1, l.x0)));
  return { h: hThick, v };
}

/**
 * runs of `dark` along each line (`along` pixels long, `lines` lines) of at least `min` pixels,
 * as [line, start, end) triples
 */
function collectRuns(along: number, lines: number, min: number, dark: (a: number, l: number) => boolean): [number, number, number][] {
  const runs: [number, number, number][] = [];
  for (let l = 0; l < lines; l++) {
    let start = -1;
    let gap = 0;
    for (let a = 0; a <= along; a++) {
      const d = a < along && dark(a, l);
      if (d) {
        if (start < 0) start = a;
        gap = 0;
      } else if (start >= 0) {
        // a scanned line has a light pixel now and then: bridge gaps of one or two pixels
        if (a < along && gap < 2) {
          gap++;
          continue;
        }
        const end = a - gap;
        if (end - start >= min) runs.push([l, start, end]);
        start = -1;
        gap = 0;
      }
    }
  }
  return runs;
}

/** merges runs of neighbouring lines that overlap into one ruling */
function mergeRuns(runs: [number, number, number][], dir: 'h' | 'v'): PixelLine[] {
  interface Open {
    l0: number;
    l1: number;
    a: number;
    b: number;
  }
  const done: Open[] = [];
  let open: Open[] = [];
  let line = -1;
  let cur: Open[] = [];
  const advance = (to: number) => {
    // close what did not continue up to line `to`
    line = to;
    const keep: Open[] = [];
    for (const o of open) (o.l1 >= line - 1 ? keep : done).push(o);
    open = keep;
  };
  for (const [l, a, b] of runs) {
    if (l !== line) {
      for (const c of cur) open.push(c);
      cur = [];
      advance(l);
    }
    const hit = open.find((o) => o.l1 >= l - 1 && o.a < b && a < o.b);
    if (hit) {
      hit.l1 = l;
      hit.a = Math.min(hit.a, a);
      hit.b = Math.max(hit.b, b);
    } else cur.push({ l0: l, l1: l, a, b });
  }
  for (const c of cur) open.push(c);
  for (const o of open) done.push(o);
  // a thick stroke is a filled area, not a line (a stamp, a photo)
  const thin = done.filter((o) => o.l1 - o.l0 <= 12);
  return thin.map((o) => (dir === 'h' ? { x0: o.a, x1: o.b, y0: o.l0, y1: o.l1 } : { x0: o.l0, x1: o.l1, y0: o.a, y1: o.b }));
}

/** whitens the rulings (and two pixels around them) so that OCR does not read them as characters */
export function eraseRulings(img: Gray, lines: PixelLine[]): void {
  const { width: W, height: H, data } = img;
  for (const l of lines) {
    // the grey fringe of a scanned line too
    const y0 = Math.max(0, l.y0 - 2);
    const y1 = Math.min(H - 1, l.y1 + 2);
    const x0 = Math.max(0, l.x0 - 2);
    const x1 = Math.min(W - 1, l.x1 + 2);
    for (let y = y0; y <= y1; y++) data.fill(255, y * W + x0, y * W + x1 + 1);
  }
}

// ---------------------------------------------------------------------------
// Tesseract's TSV

export interface TsvWord {
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
  conf: number;
  /** the word's line (level 4): top and height */
  lineTop: number;
  lineHeight: number;
}

/** the words (level 5) of Tesseract's TSV output with the boxes of their lines, in pixels */
export function parseTsv(tsv: string): TsvWord[] {
  const out: TsvWord[] = [];
  const lines = new Map<string, { top: number; height: number }>();
  for (const line of tsv.split('\n')) {
    const f = line.split('\t');
    if (f.length < 12) continue;
    const key = f.slice(1, 5).join('.');
    if (f[0] === '4') lines.set(key, { top: Number(f[7]), height: Number(f[9]) });
    if (f[0] !== '5') continue;
    const text = f.slice(11).join('\t').trim();
    if (!text) continue;
    const top = Number(f[7]);
    const height = Number(f[9]);
    const ln = lines.get(key) ?? { top, height };
    out.push({ text, left: Number(f[6]), top, width: Number(f[8]), height, conf: Number(f[10]), lineTop: ln.top, lineHeight: ln.height });
  }
  return out;
}

/**
 * Characters Tesseract's Chinese model reads in place of digits when a cell holds only a number
 * (`o` for 0, `l`/`I`/`|` for 1): a word made only of digits and such look-alikes, with at least
 * one real digit or standing alone in a cell, is read as digits. Other words are left alone.
 */
export function digitLookalikes(text: string): string {
  if (!/^[0-9oOlI|]+$/.test(text) || /^[lI|]+$/.test(text)) return text;
  return text.replace(/[oO]/g, '0').replace(/[lI|]/g, '1');
}

// ---------------------------------------------------------------------------
// the table grid

/** a rectangle in pixels */
export interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * The cells of the ruled tables of a page: between consecutive horizontal borders, the spans
 * between consecutive vertical borders that cross the band; a cell with no border under it
 * (a label spanning several rows) is joined with the one below.
 */
export function gridCells(h: PixelLine[], v: PixelLine[]): Box[] {
  if (h.length < 2 || v.length < 2) return [];
  const ys: number[] = [];
  for (const y of h.map((l) => (l.y0 + l.y1) / 2).sort((a, b) => a - b)) if (!ys.length || y - ys[ys.length - 1] > 4) ys.push(y);
  const covers = (y: number, x: number) => h.some((l) => Math.abs((l.y0 + l.y1) / 2 - y) <= 4 && l.x0 <= x && l.x1 >= x);
  const open = new Map<string, Box>();
  const cells: Box[] = [];
  for (let j = 0; j + 1 < ys.length; j++) {
    const ya = ys[j];
    const yb = ys[j + 1];
    if (yb - ya < 8) continue;
    const mid = (ya + yb) / 2;
    const xs: number[] = [];
    for (const x of v
      .filter((l) => l.y0 <= mid && l.y1 >= mid)
      .map((l) => (l.x0 + l.x1) / 2)
      .sort((a, b) => a - b))
      if (!xs.length || x - xs[xs.length - 1] > 4) xs.push(x);
    for (let i = 0; i + 1 < xs.length; i++) {
      const xa = xs[i];
      const xb = xs[i + 1];
      if (xb - xa < 8) continue;
      // the same column span continues from the band above when no border separates them
      const key = `${Math.round(xa / 4)}:${Math.round(xb / 4)}`;
      const above = open.get(key);
      if (above && Math.abs(above.y1 - ya) <= 4 && !covers(ya, (xa + xb) / 2)) {
        above.y1 = yb;
        continue;
      }
      const cell = { x0: xa, x1: xb, y0: ya, y1: yb };
      cells.push(cell);
      open.set(key, cell);
    }
  }
  return cells;
}

/** dark pixels inside a box (its edges left out) */
function inkIn(img: Gray, b: Box, inset: number): number {
  let n = 0;
  for (let y = Math.ceil(b.y0 + inset); y < b.y1 - inset; y++) {
    const row = y * img.width;
    for (let x = Math.ceil(b.x0 + inset); x < b.x1 - inset; x++) if (img.data[row + x] < DARK) n++;
  }
  return n;
}

/**
 * Boxes cut out of a page image and stacked into one strip, each on a band of its own with white
 * around, so that one run of the recogniser reads each box on its own (the lines of one cell are
 * never mixed with those of the next column). `place` maps a box in the strip back to the page.
 */
function makeStrip(img: Gray, boxes: Box[], inset: number): { strip: Gray; place: (b: Box) => { box: number; page: Box } | null } | null {
  const pad = 30;
  const crops = boxes.map((b) => {
    const x0 = Math.ceil(b.x0 + inset);
    const y0 = Math.ceil(b.y0 + inset);
    return { x0, y0, w: Math.max(1, Math.floor(b.x1 - inset) - x0), h: Math.max(1, Math.floor(b.y1 - inset) - y0) };
  });
  const width = Math.max(...crops.map((c) => c.w)) + 2 * pad;
  let height = pad;
  const tops = crops.map((c) => {
    const top = height;
    height += c.h + pad;
    return top;
  });
  if (width * height > 60_000_000) return null;
  const data = new Uint8Array(width * height).fill(255);
  crops.forEach((c, i) => {
    for (let y = 0; y < c.h; y++) {
      const from = (c.y0 + y) * img.width + c.x0;
      data.set(img.data.subarray(from, from + c.w), (tops[i] + y) * width + pad);
    }
  });
  const place = (b: Box) => {
    const yc = (b.y0 + b.y1) / 2;
    // bands are in order: binary search for the band holding the centre
    let lo = 0;
    let hi = tops.length - 1;
    while (lo < hi) {
      const m = (lo + hi + 1) >> 1;
      if (tops[m] - pad / 2 <= yc) lo = m;
      else hi = m - 1;
    }
    const c = crops[lo];
    const dx = c.x0 - pad;
    const dy = c.y0 - tops[lo];
    if (yc < tops[lo] - pad / 2 || yc > tops[lo] + c.h + pad / 2) return null;
    return { box: lo, page: { x0: b.x0 + dx, x1: b.x1 + dx, y0: b.y0 + dy, y1: b.y1 + dy } };
  };
  return { strip: { width, height, data }, place };
}

// ---------------------------------------------------------------------------
// a page

const tesseractArgs = (file: string, lang: string, extra: string[] = []) => [
  file,
  'stdout',
  '-l',
  lang,
  '--psm',
  '6',
  '--dpi',
  String(OCR_DPI),
  '-c',
  'preserve_interword_spaces=1',
  ...extra,
  'tsv',
];

/**
 * Rasterises page `page` of the PDF at `pdfPath` and recognises it: the ruled cells each on its
 * own (in one strip image), the rest of the page as a block of text, then the numbers read
 * with little confidence again as digits. Throws (the child's error) when a tool fails or runs
 * past its time limit.
 */
export async function ocrPage(
  tools: OcrTools,
  pdfPath: string,
  page: number,
  size: { width: number; height: number },
  dir: string,
): Promise<OcrPage> {
  const base = path.join(dir, `p${page}`);
  await run(
    tools.pdftoppm,
    ['-r', String(OCR_DPI), '-gray', '-f', String(page), '-l', String(page), '-singlefile', pdfPath, base],
    OCR_PAGE_TIMEOUT_MS,
  );
  const img = parsePgm(new Uint8Array(await readFile(`${base}.pgm`)));
  await rm(`${base}.pgm`, { force: true });
  const { h, v } = findRulings(img);
  eraseRulings(img, [...h, ...v]);
  // cells are measured from the borders' centres: half a border and its fringe inside
  const inset = 6;
  const cells = gridCells(h, v).filter((c) => inkIn(img, c, inset) > 12);
  const strip = cells.length > 0 ? makeStrip(img, cells, inset) : null;
  // the page without its cells (read by the strip) is the running text
  const rest: Gray = strip ? { ...img, data: img.data.slice() } : img;
  if (strip)
    eraseRulings(
      rest,
      cells.map((c) => ({ x0: Math.ceil(c.x0), x1: Math.floor(c.x1), y0: Math.ceil(c.y0), y1: Math.floor(c.y1) })),
    );
  await writeFile(`${base}-text.pgm`, writePgm(rest));
  if (strip) await writeFile(`${base}-cells.pgm`, writePgm(strip.strip));
  const [textTsv, cellTsv] = await Promise.all([
    run(tools.tesseract, tesseractArgs(`${base}-text.pgm`, tools.lang), OCR_PAGE_TIMEOUT_MS),
    strip ? run(tools.tesseract, tesseractArgs(`${base}-cells.pgm`, tools.lang), OCR_PAGE_TIMEOUT_MS) : Promise.resolve(''),
  ]).finally(() => Promise.all([rm(`${base}-text.pgm`, { force: true }), rm(`${base}-cells.pgm`, { force: true })]));
  const tsvWords = parseTsv(textTsv);
  /** the cell each word of a cell came from */
  const cellOf = new Map<TsvWord, number>();
  if (strip) {
    for (const w of parseTsv(cellTsv)) {
      const at = strip.place({ x0: w.left, x1: w.left + w.width, y0: w.top, y1: w.top + w.height });
      if (!at) continue;
      const dy = at.page.y0 - w.top;
      const moved: TsvWord = {
        ...w,
        left: at.page.x0,
        top: at.page.y0,
        lineTop: w.lineTop + dy,
      };
      cellOf.set(moved, at.box);
      tsvWords.push(moved);
    }
  }
  if (tools.digits && cells.length > 0) await rereadDigits(tools, img, tsvWords, cells, cellOf, base);
  // pixels → points (the page's own size: the raster is rounded to whole pixels)
  const sx = size.width / img.width;
  const sy = size.height / img.height;
  const words: OcrWord[] = tsvWords.map((w) => ({
    text: digitLookalikes(w.text),
    x0: w.left * sx,
    x1: (w.left + w.width) * sx,
    top: w.top * sy,
    bottom: (w.top + w.height) * sy,
    lineTop: w.lineTop * sy,
    lineBottom: (w.lineTop + w.lineHeight) * sy,
    confidence: Math.max(0, Math.min(1, w.conf / 100)),
  }));
  const hRules = h.map((l) => ({ at: ((l.y0 + l.y1) / 2) * sy, a: l.x0 * sx, b: l.x1 * sx }));
  const vRules = v.map((l) => ({ at: ((l.x0 + l.x1) / 2) * sx, a: l.y0 * sy, b: l.y1 * sy }));
  return { page, words, hRules, vRules };
}

// ---------------------------------------------------------------------------
// reading numbers again

/** a word that may be a number Tesseract's Chinese model misread (`]` for 1, `94817` for 9487 with little confidence) */
/** a number as the text pass read it: digits (a sign, thousands separators, a decimal point) and nothing else */
const cleanNumber = (t: string): boolean => /^-?\d[\d,，]*(?:\.\d+)?$/.test(t);

function doubtfulNumber(w: TsvWord): boolean {
  if (w.text.length > 8) return false;
  const digitish = /^[0-9oOlI|\][!.,，:;'"“”‘’]+$/.test(w.text) && /[0-9\][|lI]/.test(w.text);
  return (digitish && (w.conf < 85 || !/^\d+$/.test(w.text))) || (w.text.length <= 2 && w.conf < 50);
}

/**
 * Reads again, as digits only (Tesseract's `eng` model with a digit whitelist), the cells that
 * hold one word that is or looks like a number, and the cells with ink in which nothing was
 * read: cut out and stacked into one strip, recognised in one run. Two readings that agree raise
 * the confidence; a confident number the digit reading contradicts loses it (a sum has to vouch
 * for it then); a doubtful word is replaced (or a number added) when the digit reading is
 * confident, with a confidence under the threshold when the text pass saw no digit at all
 * (`上`, `所`, nothing), so that only a sum can vouch for it.
 */
async function rereadDigits(
  tools: OcrTools,
  img: Gray,
  words: TsvWord[],
  cells: Box[],
  cellOf: Map<TsvWord, number>,
  base: string,
): Promise<void> {
  const inCell = new Map<number, TsvWord[]>();
  for (const w of words) {
    const c = cellOf.get(w);
    if (c === undefined) continue;
    const list = inCell.get(c) ?? [];
    list.push(w);
    inCell.set(c, list);
  }
  const todo: { cell: number; word: TsvWord | null }[] = [];
  cells.forEach((_, i) => {
    const list = inCell.get(i) ?? [];
    if (list.length === 0) todo.push({ cell: i, word: null });
    else if (list.length === 1 && (cleanNumber(list[0].text) || doubtfulNumber(list[0]))) todo.push({ cell: i, word: list[0] });
  });
  if (todo.length === 0) return;
  const strip = makeStrip(
    img,
    todo.map((t) => cells[t.cell]),
    6,
  );
  if (!strip) return;
  await writeFile(`${base}-digits.pgm`, writePgm(strip.strip));
  let tsv: string;
  try {
    tsv = await run(
      tools.tesseract,
      tesseractArgs(`${base}-digits.pgm`, tools.digits as string, ['-c', 'tessedit_char_whitelist=0123456789-.']),
      OCR_PAGE_TIMEOUT_MS,
    );
  } finally {
    await rm(`${base}-digits.pgm`, { force: true });
  }
  const found = new Map<number, { text: string; conf: number; box: Box; line: { top: number; height: number } }>();
  for (const f of parseTsv(tsv)) {
    const at = strip.place({ x0: f.left, x1: f.left + f.width, y0: f.top, y1: f.top + f.height });
    if (!at) continue;
    const prev = found.get(at.box);
    const dy = at.page.y0 - f.top;
    if (!prev) found.set(at.box, { text: f.text, conf: f.conf, box: at.page, line: { top: f.lineTop + dy, height: f.lineHeight } });
    else {
      prev.text += f.text;
      prev.conf = Math.min(prev.conf, f.conf);
      prev.box = {
        x0: Math.min(prev.box.x0, at.page.x0),
        x1: Math.max(prev.box.x1, at.page.x1),
        y0: Math.min(prev.box.y0, at.page.y0),
        y1: Math.max(prev.box.y1, at.page.y1),
      };
    }
  }
  const specks = new Set<TsvWord>();
  todo.forEach((t, i) => {
    const f = found.get(i);
    const digits = f && /^-?\d+(?:\.\d+)?$/.test(f.text) ? f : null;
    if (t.word) {
      const same = digits && digits.text === t.word.text.replace(/[,，]/g, '');
      if (same) {
        // two recognisers agree on the number
        t.word.conf = Math.min(95, Math.max(t.word.conf, digits.conf) + 10);
      } else if (digits && cleanNumber(t.word.text) && t.word.conf >= 85) {
        // they disagree on a number the text pass was sure of: a sum has to settle it
        t.word.conf = Math.min(t.word.conf, 50);
      } else if (digits && digits.conf >= 80) {
        // one that had no digit at all (`上`, `所`) keeps a confidence a sum has to make up for
        t.word.conf = /\d/.test(t.word.text) ? digits.conf : Math.min(digits.conf, 60);
        t.word.text = digits.text;
      } else if (!f && t.word.conf < 30 && t.word.text.length <= 2) {
        // a mark read with almost no confidence, in which no digit is seen either, is a speck of the scan
        specks.add(t.word);
      }
      return;
    }
    // a cell with ink in which the text pass saw nothing: a number only a sum can vouch for
    if (!digits || digits.conf < 40) return;
    const w: TsvWord = {
      text: digits.text,
      left: digits.box.x0,
      top: digits.box.y0,
      width: digits.box.x1 - digits.box.x0,
      height: digits.box.y1 - digits.box.y0,
      conf: Math.min(digits.conf, 60),
      lineTop: digits.line.top,
      lineHeight: digits.line.height,
    };
    words.push(w);
    cellOf.set(w, t.cell);
  });
  if (specks.size > 0) {
    const kept = words.filter((w) => !specks.has(w));
    words.length = 0;
    for (const w of kept) words.push(w);
  }
}

/** a scratch directory holding the PDF for the child processes; removed by `close` */
export async function ocrScratch(bytes: Uint8Array): Promise<{ dir: string; pdf: string; close: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'nianbao-ocr-'));
  const pdf = path.join(dir, 'in.pdf');
  await writeFile(pdf, bytes);
  return { dir, pdf, close: () => rm(dir, { recursive: true, force: true }) };
}
