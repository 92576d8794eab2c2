/**
 * PDFium engine for the PDF reader: reads a page's text and its drawn lines with PDFium (the PDF
 * engine of Chromium, BSD/Apache licensed), compiled to WebAssembly and shipped in the npm package
 * `@hyzyla/pdfium` (MIT). It runs in this thread, synchronously, and gives the reader (pdf.ts) the
 * same raw material as pdfjs: text items shaped like pdfjs's `getTextContent` items and the
 * visible painted line segments of the page in user space, from one parse of each page's content.
 *
 * Why: on the corpus PDFs pdfjs spent ~110 ms of CPU a report (fonts translated for rendering, the
 * content stream parsed twice — for text and for the operator list —, messages cloned between its
 * two halves); PDFium parses a page once, in compiled code (docs/benchmarks.md, "PDF engines").
 *
 * Text items. PDFium gives characters (with their origin, matrix, size and advance); they are
 * joined into items by the rules pdfjs's text layer uses (`compareWithLastPosition`): a glyph
 * continues the item when it follows on the same baseline, in the same font and size, less than
 * 0.102 em after the previous one; between 0.102 and 0.6 em a space is put between them; farther,
 * further back than −0.2 em, or off the baseline by more than a quarter of the text size, a new
 * item begins. Characters PDFium inserts itself (generated spaces and line ends) are not used.
 * Text of a vertical font (Identity-V) forms top-to-bottom items (`dir: 'ttb'`). As in pdfjs,
 * text outside the page's view box is left out, and the text is normalised like pdfjs's
 * `normalizeUnicode` (ligatures and a few compatibility characters).
 *
 * Lines. Every path object (also inside form XObjects) that is stroked or filled in a colour
 * visible on white paper gives its straight segments, in page user space (curves only move the
 * pen); clipping paths are not page objects and are never seen.
 *
 * What this engine does not do is left to pdfjs (pdf.ts falls back to it): documents PDFium
 * cannot open (damaged, encrypted with a user password: pdfjs then gives the reader's usual
 * error), documents whose streams could not be checked against the decoding limits before PDFium
 * inflates them ({@link checkStreams}), and any abort of the WebAssembly module (the module is
 * then dropped and made again for the next document).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { mul } from './pdf-matrix.js';

/** a text item as pdfjs's getTextContent gives it (the fields the reader uses) */
export interface PdfiumTextItem {
  str: string;
  dir: 'ltr' | 'ttb';
  /** text rendering matrix of the first glyph (size and direction; e, f: its origin in user space) */
  transform: number[];
  width: number;
  height: number;
}

export interface PdfiumPage {
  /** the page's view box (crop box within the media box) in user space: [x0, y0, x1, y1] */
  view: [number, number, number, number];
  /** /Rotate in degrees: 0, 90, 180 or 270 */
  rotate: number;
  items: PdfiumTextItem[];
  /** visible straight segments of painted paths in user space: x1, y1, x2, y2 for each */
  segments: number[];
}

/** the emscripten module of @hyzyla/pdfium: the PDFium C API as `_FPDF…` functions, and the heap */
interface PdfiumModule {
  HEAPU8: Uint8Array;
  HEAPF32: Float32Array;
  HEAPF64: Float64Array;
  HEAP32: Int32Array;
  HEAPU32: Uint32Array;
  /** the raw WebAssembly exports (the `_FPDF…` wrappers of this build check their arguments on every call) */
  wasmExports: Record<string, (...args: number[]) => number>;
}

/** the PDFium functions this engine calls, bound to one module's raw exports */
type Fns = Record<string, (...args: number[]) => number>;

const OBJ_PATH = 2;
const OBJ_FORM = 5;
const SEG_LINETO = 0;
const SEG_BEZIERTO = 1;
const SEG_MOVETO = 2;

// pdfjs's text layer factors (pdf.worker.mjs, getTextContent)
const TRACKING_SPACE_FACTOR = 0.102;
const NEGATIVE_SPACE_FACTOR = -0.2;
const SPACE_IN_FLOW_MAX_FACTOR = 0.6;
const VERTICAL_SHIFT_RATIO = 0.25;

/** pdfjs's normalizeUnicode: compatibility characters of these ranges are NFKC-normalised */
const NORMALIZE_RE =
  /([\u00a0\u00b5\u037e\u0eb3\u2000-\u200a\u202f\u2126\ufb00-\ufb04\ufb06\ufb20-\ufb36\ufb38-\ufb3c\ufb3e\ufb40-\ufb41\ufb43-\ufb44\ufb46-\ufba1\ufba4-\ufba9\ufbae-\ufbb1\ufbd3-\ufbdc\ufbde-\ufbe7\ufbea-\ufbf8\ufbfc-\ufbfd\ufc00-\ufc5d\ufc64-\ufcf1\ufcf5-\ufd3d\ufd88\ufdf4\ufdfa-\ufdfb\ufe71\ufe77\ufe79\ufe7b\ufe7d]+)|(\ufb05+)/gu;
function normalizeUnicode(s: string): string {
  return s.replace(NORMALIZE_RE, (_, p1: string | undefined, p2: string | undefined) =>
    p1 ? p1.normalize('NFKC') : 'ſt'.repeat((p2 ?? '').length),
  );
}

let modulePromise: Promise<PdfiumModule> | null = null;
let moduleReady: PdfiumModule | null = null;

/** whether the PDFium engine is wanted (NIANBAO_PDF_ENGINE=pdfjs turns it off) */
export function pdfiumEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NIANBAO_PDF_ENGINE !== 'pdfjs';
}

/** loads and initialises the WebAssembly module once per process (again after an abort) */
export async function loadPdfium(): Promise<PdfiumModule> {
  if (moduleReady) return moduleReady;
  if (!modulePromise) {
    modulePromise = (async () => {
      const require = createRequire(import.meta.url);
      const wasmBinary = readFileSync(require.resolve('@hyzyla/pdfium/pdfium.wasm'));
      const { PDFiumModule } = (await import('@hyzyla/pdfium')) as unknown as {
        PDFiumModule: (o: Record<string, unknown>) => Promise<PdfiumModule>;
      };
      const m = await PDFiumModule({
        wasmBinary,
        locateFile: () => '',
        // PDFium's own diagnostics must not reach stdout (`--json`) or stderr
        print: () => {},
        printErr: () => {},
      });
      m.wasmExports.FPDF_InitLibrary();
      moduleReady = m;
      return m;
    })();
    modulePromise.catch(() => {
      modulePromise = null;
    });
  }
  return modulePromise;
}

/** forgets the module after an abort (an aborted emscripten module cannot be used again) */
function dropModule(): void {
  moduleReady = null;
  modulePromise = null;
}

/** FlateDecode and the image filters (decoded only when drawn, which a reader never does) */
const CHECKED_FILTERS = new Set(['FlateDecode', 'Fl', 'DCTDecode', 'DCT', 'JPXDecode', 'CCITTFaxDecode', 'CCF', 'JBIG2Decode']);

/**
 * Deflate's largest expansion: 258 bytes from a match of at most two bits and some, so a stream
 * inflates to at most ~1,032 times its compressed size (rounded up here).
 */
const MAX_INFLATE_RATIO = 1100;

/**
 * Whether every stream of the file is known to decode within the limits, before PDFium (which has
 * no such limit: a 2 MB file can hold a stream that inflates to gigabytes) reads it. A FlateDecode
 * stream inflates to at most {@link MAX_INFLATE_RATIO} times its length; where that bound could
 * pass a limit (per stream, or all streams together), the largest streams are inflated by zlib, up
 * to the room left, until the bound and the measured sizes stay within the limits. A stream with
 * another decoding filter (LZW, ASCII85, RunLength, Flate twice…), an encrypted document (whose
 * streams cannot be inflated without decrypting them) or a stream past a limit makes the answer
 * false, and the document is read by pdfjs, which holds every filter to the limits and gives the
 * reader's error.
 */
export function checkStreams(bytes: Uint8Array, limits: { maxStreamBytes: number; maxTotalBytes: number }): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.indexOf('/Encrypt') >= 0) return false;
  /** FlateDecode streams: [start, end) of their data */
  const flate: [number, number][] = [];
  let pos = 0;
  for (;;) {
    const at = buf.indexOf('stream', pos, 'latin1');
    if (at < 0) break;
    pos = at + 6;
    // `endstream`, or a word that merely ends in "stream"
    if (at >= 3 && buf[at - 1] !== 0x3e && buf[at - 1] > 0x20) continue;
    let start = at + 6;
    if (buf[start] === 0x0d) start++;
    if (buf[start] !== 0x0a) {
      if (buf[start - 1] !== 0x0d) continue;
    } else start++;
    const dictStart = Math.max(buf.lastIndexOf('obj', at, 'latin1'), at - 65536, 0);
    const dict = buf.toString('latin1', dictStart, at);
    const f = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+|\d+\s+\d+\s+R)/.exec(dict);
    if (!f) continue;
    // an indirect filter array cannot be checked here
    if (/R$/.test(f[1])) return false;
    const chain = [...f[1].matchAll(/\/([A-Za-z0-9]+)/g)].map((x) => x[1]);
    if (!chain.length) continue;
    if (chain.some((n) => !CHECKED_FILTERS.has(n))) return false;
    const isFlate = (n: string) => n === 'FlateDecode' || n === 'Fl';
    if (!isFlate(chain[0])) continue;
    // Flate of Flate multiplies the ratios: not bounded here
    if (chain.slice(1).some(isFlate)) return false;
    let end = buf.indexOf('endstream', start, 'latin1');
    if (end < 0) end = buf.length;
    flate.push([start, end]);
    pos = end;
  }
  // the bound of each stream, largest first; inflate (measure) while the bounds could pass a limit
  flate.sort((a, b) => b[1] - b[0] - (a[1] - a[0]));
  let bound = 0;
  for (const [a, b] of flate) bound += (b - a) * MAX_INFLATE_RATIO;
  let measured = 0;
  for (const [a, b] of flate) {
    const own = (b - a) * MAX_INFLATE_RATIO;
    if (own <= limits.maxStreamBytes && measured + bound <= limits.maxTotalBytes) return true;
    const room = Math.min(limits.maxStreamBytes, PDFIUM_STREAM_BYTES, limits.maxTotalBytes - measured);
    if (room <= 0) return false;
    const size = inflatedSize(buf.subarray(a, b), room);
    if (size > room) return false;
    measured += size;
    bound -= own;
  }
  return measured <= limits.maxTotalBytes;
}

/**
 * The most a measured stream (one whose bound passes a limit) may inflate to for PDFium to read the
 * document: content streams and subset fonts are far smaller; a larger one (a full CJK font program
 * of ~20 MB, or a bomb) sends the document to pdfjs, whose decoders count every byte against the
 * limits as they go. It also keeps what zlib allocates here small.
 */
const PDFIUM_STREAM_BYTES = 8 * 1024 * 1024;

/**
 * The inflated size of a zlib stream, or more than `room` when it passes `room` (zlib stops there,
 * so a bomb costs no more than `room` bytes); a damaged stream counts up to where it breaks
 * (PDFium's zlib stops at the same place).
 */
function inflatedSize(data: Uint8Array, room: number): number {
  try {
    return zlib.inflateSync(data, { maxOutputLength: room, finishFlush: zlib.constants.Z_SYNC_FLUSH }).byteLength;
  } catch (e) {
    return (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? room + 1 : 0;
  }
}

/**
 * An open PDFium document. `page(i)` reads page i (0-based) in one go; `close()` frees it. Every
 * call may throw when the module aborts (then it is dropped); the caller falls back to pdfjs.
 */
export class PdfiumDocument {
  private readonly P: Fns;
  private constructor(
    private m: PdfiumModule,
    private doc: number,
    private data: number,
    private scratch: number,
    readonly numPages: number,
  ) {
    this.P = m.wasmExports;
  }

  /** opens `bytes`, or returns null when PDFium cannot (damaged, needs a password, not a PDF) */
  static open(m: PdfiumModule, bytes: Uint8Array): PdfiumDocument | null {
    const P = m.wasmExports;
    let data = 0;
    let doc = 0;
    try {
      data = P.malloc(bytes.length);
      if (!data) return null;
      m.HEAPU8.set(bytes, data);
      doc = P.FPDF_LoadMemDocument(data, bytes.length, 0);
      if (!doc) {
        P.free(data);
        return null;
      }
      const n = P.FPDF_GetPageCount(doc);
      const scratch = P.malloc(256);
      return new PdfiumDocument(m, doc, data, scratch, n);
    } catch (e) {
      dropModule();
      throw e;
    }
  }

  close(): void {
    if (!this.doc) return;
    try {
      this.P.FPDF_CloseDocument(this.doc);
      this.P.free(this.data);
      this.P.free(this.scratch);
    } catch {
      dropModule();
    }
    this.doc = 0;
  }

  page(index: number): PdfiumPage {
    const P = this.P;
    let page = 0;
    let text = 0;
    try {
      page = P.FPDF_LoadPage(this.doc, index);
      if (!page) throw new Error(`PDFium could not load page ${index + 1}`);
      const view = this.view(page);
      const rotate = (((P.FPDFPage_GetRotation(page) % 4) + 4) % 4) * 90;
      text = P.FPDFText_LoadPage(page);
      const items = text ? this.textItems(text, view) : [];
      const segments: number[] = [];
      this.paths(page, 0, [1, 0, 0, 1, 0, 0], segments);
      return { view, rotate, items, segments };
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) dropModule();
      throw e;
    } finally {
      try {
        if (text) P.FPDFText_ClosePage(text);
        if (page) P.FPDF_ClosePage(page);
      } catch {
        dropModule();
      }
    }
  }

  /** the view box as pdfjs computes it: the crop box within the media box, else the media box */
  private view(page: number): [number, number, number, number] {
    const m = this.m;
    const P = this.P;
    const s = this.scratch;
    const box = (fn: 'FPDFPage_GetMediaBox' | 'FPDFPage_GetCropBox'): [number, number, number, number] | null => {
      if (!P[fn](page, s, s + 4, s + 8, s + 12)) return null;
      const f = m.HEAPF32;
      const [l, b, r, t] = [f[s >> 2], f[(s >> 2) + 1], f[(s >> 2) + 2], f[(s >> 2) + 3]];
      return [Math.min(l, r), Math.min(b, t), Math.max(l, r), Math.max(b, t)];
    };
    const media = box('FPDFPage_GetMediaBox') ?? [0, 0, 612, 792];
    const crop = box('FPDFPage_GetCropBox');
    if (crop && !(crop[0] === media[0] && crop[1] === media[1] && crop[2] === media[2] && crop[3] === media[3])) {
      const x0 = Math.max(crop[0], media[0]);
      const y0 = Math.max(crop[1], media[1]);
      const x1 = Math.min(crop[2], media[2]);
      const y1 = Math.min(crop[3], media[3]);
      if (x1 - x0 > 0 && y1 - y0 > 0) return [x0, y0, x1, y1];
    }
    return media;
  }

  /** the page's characters joined into pdfjs-like text items */
  private textItems(text: number, view: [number, number, number, number]): PdfiumTextItem[] {
    const m = this.m;
    const P = this.P;
    const s = this.scratch;
    // (the heap's views are read after the calls: they are made anew when PDFium's memory grows)
    const n = P.FPDFText_CountChars(text);
    const items: PdfiumTextItem[] = [];
    /** per text object: whether its font writes vertically, and the pen's offset from PDFium's origin */
    const objects = new Map<number, { vertical: boolean; dx: number; dy: number }>();

    // the item being built
    let str = '';
    let open = false;
    let vertical = false;
    let font = 0;
    let fontSize = 0;
    /** unit vector of the baseline and of "up" */
    let ux = 1;
    let uy = 0;
    let sx0 = 0;
    let sy0 = 0;
    let size = 0;
    let scale = 1;
    let height = 0;
    let transform: number[] = [];
    /** along the baseline from the item's start: end of the last glyph; across it: the last glyph */
    let end = 0;
    let lastT = 0;
    let lastX = 0;
    const flush = () => {
      if (open && str) {
        const t = normalizeUnicode(str);
        items.push(
          vertical
            ? { str: t, dir: 'ttb', transform, width: size, height: end }
            : { str: t, dir: 'ltr', transform, width: Math.abs(end), height },
        );
      }
      open = false;
      str = '';
    };

    for (let k = 0; k < n; k++) {
      if (P.FPDFText_IsGenerated(text, k)) continue;
      const code = P.FPDFText_GetUnicode(text, k);
      P.FPDFText_GetCharOrigin(text, k, s, s + 8);
      if (!P.FPDFText_GetMatrix(text, k, s + 16)) continue;
      const F64 = m.HEAPF64;
      let F32 = m.HEAPF32;
      let x = F64[s >> 3];
      let y = F64[(s >> 3) + 1];
      const mi = (s + 16) >> 2;
      const ma = F32[mi];
      const mb = F32[mi + 1];
      const mc = F32[mi + 2];
      const md = F32[mi + 3];
      const fs = P.FPDFText_GetFontSize(text, k);
      const obj = P.FPDFText_GetTextObject(text, k);
      let info = objects.get(obj);
      const sizeX = Math.hypot(ma, mb) * fs;
      if (!info) {
        // a vertical font's glyph origin (PDFium) is half a glyph left of and below its pen position
        // (pdfjs's item origin); a horizontal font's first glyph sits at the object's origin
        const ex = F32[mi + 4];
        const ey = F32[mi + 5];
        const dx = ex - x;
        const dy = ey - y;
        const upright = mb === 0 && mc === 0 && ma > 0 && md > 0;
        const isVertical = upright && sizeX > 0 && Math.abs(dx - sizeX / 2) < 0.05 * sizeX && dy > 0.3 * sizeX && dy < 1.2 * sizeX;
        info = { vertical: isVertical, dx: isVertical ? dx : 0, dy: isVertical ? dy : 0 };
        objects.set(obj, info);
      }
      x += info.dx;
      y += info.dy;
      const fontHandle = obj ? P.FPDFTextObj_GetFont(obj) : 0;
      // advance of the glyph along its baseline (from its loose box)
      let adv: number;
      if (info.vertical) adv = Math.hypot(mc, md) * fs;
      else {
        P.FPDFText_GetLooseCharBox(text, k, s + 48);
        F32 = m.HEAPF32;
        const bi = (s + 48) >> 2;
        const left = F32[bi];
        const top = F32[bi + 1];
        const right = F32[bi + 2];
        const bottom = F32[bi + 3];
        const len = Math.hypot(ma, mb) || 1;
        const dirx = ma / len;
        const diry = mb / len;
        // farthest corner of the box along the baseline
        adv = Math.max(
          (left - x) * dirx + (top - y) * diry,
          (right - x) * dirx + (top - y) * diry,
          (left - x) * dirx + (bottom - y) * diry,
          (right - x) * dirx + (bottom - y) * diry,
          0,
        );
      }
      // text outside the view box is not read (as pdfjs)
      if (
        info.vertical
          ? x < view[0] || x > view[2] || y + adv < view[1] || y > view[3]
          : x + adv < view[0] || x > view[2] || y < view[1] || y > view[3]
      )
        continue;
      const ch = String.fromCharCode(code);

      if (open && font === fontHandle && fontSize === fs && vertical === info.vertical && Math.abs(scale - sizeX) < 1e-3 * sizeX) {
        if (vertical) {
          const along = sy0 - y; // downwards from the item's start
          const gap = along - end;
          const across = x - lastX;
          if (
            gap >= NEGATIVE_SPACE_FACTOR * size &&
            Math.abs(across) <= size * VERTICAL_SHIFT_RATIO &&
            gap <= SPACE_IN_FLOW_MAX_FACTOR * size
          ) {
            if (gap > TRACKING_SPACE_FACTOR * size) str += ' ';
            str += ch;
            end = along + adv;
            lastX = x;
            continue;
          }
        } else {
          const rx = x - sx0;
          const ry = y - sy0;
          const along = rx * ux + ry * uy;
          const across = -rx * uy + ry * ux;
          const gap = along - end;
          const dy = across - lastT;
          if (
            gap >= NEGATIVE_SPACE_FACTOR * scale &&
            Math.abs(dy) <= height * VERTICAL_SHIFT_RATIO &&
            gap <= SPACE_IN_FLOW_MAX_FACTOR * scale
          ) {
            if (gap > TRACKING_SPACE_FACTOR * scale) str += ' ';
            str += ch;
            end = Math.max(end, along + adv);
            lastT = across;
            continue;
          }
        }
      }
      // a new item
      flush();
      open = true;
      vertical = info.vertical;
      font = fontHandle;
      fontSize = fs;
      scale = sizeX;
      const len = Math.hypot(ma, mb) || 1;
      ux = ma / len;
      uy = mb / len;
      sx0 = x;
      sy0 = y;
      size = vertical ? Math.hypot(ma, mb) * fs : sizeX;
      height = Math.hypot(mc, md) * fs;
      transform = [ma * fs, mb * fs, mc * fs, md * fs, x, y];
      str = ch;
      end = adv;
      lastT = 0;
      lastX = x;
    }
    flush();
    return items;
  }

  /** visible straight segments of the path objects in `count` objects, in user space */
  private paths(owner: number, form: number, ctm: number[], out: number[]): void {
    const m = this.m;
    const P = this.P;
    const s = this.scratch + 96;
    const count = form ? P.FPDFFormObj_CountObjects(form) : P.FPDFPage_CountObjects(owner);
    for (let k = 0; k < count; k++) {
      // a page drawn with a huge number of lines is not read for rulings (pdf.ts: MAX_RULINGS)
      if (out.length > 4 * 20_000) return;
      const obj = form ? P.FPDFFormObj_GetObject(form, k) : P.FPDFPage_GetObject(owner, k);
      if (!obj) continue;
      const type = P.FPDFPageObj_GetType(obj);
      if (type !== OBJ_PATH && type !== OBJ_FORM) continue;
      if (!P.FPDFPageObj_GetMatrix(obj, s)) continue;
      const fi = s >> 2;
      const F32 = m.HEAPF32;
      const om = [F32[fi], F32[fi + 1], F32[fi + 2], F32[fi + 3], F32[fi + 4], F32[fi + 5]];
      const mat = mul(ctm, om);
      if (type === OBJ_FORM) {
        this.paths(owner, obj, mat, out);
        continue;
      }
      if (!P.FPDFPath_GetDrawMode(obj, s + 32, s + 36)) continue;
      const fillMode = m.HEAP32[(s + 32) >> 2];
      const stroke = m.HEAP32[(s + 36) >> 2] !== 0;
      let visible = false;
      if (stroke && P.FPDFPageObj_GetStrokeColor(obj, s + 40, s + 44, s + 48, s + 52)) visible = visibleColour(m.HEAPU32, (s + 40) >> 2);
      if (!visible && fillMode !== 0 && P.FPDFPageObj_GetFillColor(obj, s + 40, s + 44, s + 48, s + 52))
        visible = visibleColour(m.HEAPU32, (s + 40) >> 2);
      if (!visible) continue;
      const nseg = P.FPDFPath_CountSegments(obj);
      let cx = 0;
      let cy = 0;
      let sx = 0;
      let sy = 0;
      for (let j = 0; j < nseg; j++) {
        const seg = P.FPDFPath_GetPathSegment(obj, j);
        if (!seg || !P.FPDFPathSegment_GetPoint(seg, s + 56, s + 60)) continue;
        const px = F32[(s + 56) >> 2];
        const py = F32[(s + 60) >> 2];
        const x = mat[0] * px + mat[2] * py + mat[4];
        const y = mat[1] * px + mat[3] * py + mat[5];
        const kind = P.FPDFPathSegment_GetType(seg);
        if (kind === SEG_MOVETO) {
          cx = sx = x;
          cy = sy = y;
        } else if (kind === SEG_LINETO) {
          out.push(cx, cy, x, y);
          cx = x;
          cy = y;
        } else if (kind === SEG_BEZIERTO) {
          cx = x;
          cy = y;
        }
        if (P.FPDFPathSegment_GetClose(seg)) {
          out.push(cx, cy, sx, sy);
          cx = sx;
          cy = sy;
        }
      }
    }
  }
}

/** an RGBA colour (0–255 each) visible on white paper: not transparent, not near-white (as pdf.ts's visibleColour) */
function visibleColour(u32: Uint32Array, i: number): boolean {
  const [r, g, b, a] = [u32[i], u32[i + 1], u32[i + 2], u32[i + 3]];
  if (a === 0) return false;
  return 0.299 * r + 0.587 * g + 0.114 * b < 250;
}
