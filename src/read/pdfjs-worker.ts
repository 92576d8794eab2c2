/**
 * The pdfjs worker code, patched for reading (not rendering) PDFs.
 *
 * nianbao runs pdfjs's worker code in-process (the "fake worker") and only ever
 * asks it for two things: the text of each page (`getTextContent`) and, for the
 * pages that may hold a table, the lines drawn on the page (`getOperatorList`, for
 * the table rulings). pdfjs is written for rendering, and most of its time on a
 * Chinese report goes into work a reader never uses. The patches below remove that
 * work without changing what is read:
 *
 * - `font-programs`: a composite (CID) font that carries its own ToUnicode map is
 *   not parsed, sanitised and converted to OpenType. The text of such a font comes
 *   from its ToUnicode map and its widths from /W — never from the font program —
 *   so the text and positions are the same. (Simple fonts, fonts without ToUnicode,
 *   vertical fonts and fonts named like a standard font — for which pdfjs would
 *   rebuild the ToUnicode map from its own glyph tables — are left as they are.)
 * - `text-state-clone`: pdfjs copies its text state with `Object.create(this)`,
 *   which makes every saved state the prototype of the next and V8 slow; the copy
 *   is made from the class's prototype instead (every property is copied anyway).
 * - `rulings-only-operator-list` / `rulings-only-page`: the operator list of a
 *   page (forms included) leaves out the text-drawing operators and font changes:
 *   nianbao reads text from `getTextContent`, and building glyph outlines for
 *   every character and copying them between the two halves of pdfjs was half of
 *   the time of a PDF.
 * - `sync-inflate`: Flate streams are inflated by Node's zlib synchronously
 *   instead of through a web DecompressionStream (same zlib, no stream and event
 *   loop overhead); when zlib refuses a stream, pdfjs's own decoder reads it, as
 *   it does after a DecompressionStream error. zlib is stopped at the decode limit
 *   (below): its output is never larger than the room left in the budget.
 *
 * One more group of patches is not about speed but safety, and is applied even
 * with NIANBAO_PDFJS_PATCHES=0 (`always`):
 *
 * - `decode-limit-*`: a small PDF can hold a stream that inflates to gigabytes (a
 *   "decompression bomb"); pdfjs would inflate it into one growing buffer — a 2 MB
 *   file took 4–6 GB and over a minute, and the time limit cannot help while a
 *   decoder runs without yielding. Every decoding filter (FlateDecode, LZW,
 *   ASCII85/Hex, RunLength, predictors, Brotli, decryption) grows its output through
 *   `DecodeStream.ensureBuffer`, or through `asyncGetBytesFromDecompressionStream`
 *   (the DecompressionStream / synchronous zlib path); both now count the decoded
 *   bytes before allocating, per stream (at most {@link PDF_DECODE_LIMITS}
 *   `.maxStreamBytes`) and per document (`.maxTotalBytes`, all streams together,
 *   repeated decodings included). Past either limit decoding throws, the document's
 *   budget is marked exceeded so that every later decoding of that document fails at
 *   once (pdfjs ignores many errors and goes on), and the reader (pdf.ts) turns the
 *   mark into a ReadError. The budget of a document is found through its docId in a
 *   process-wide registry ({@link openDecodeBudget}).
 *
 * Each patch replaces one exact piece of the installed pdfjs-dist's source; if any
 * piece is not found (another pdfjs-dist version), none is applied: the worker with
 * the `always` patches only is used when those apply ("plain": pdfjs's own reading
 * code, slower, never wrong), else the installed worker as it is — which then has no
 * decompression limit ({@link decodeLimitActive} is false; a test asserts that every
 * patch applies to the installed version). A test also asserts that the patched and
 * the plain worker read the same documents. NIANBAO_PDFJS_PATCHES=0 turns the speed
 * patches off (the decode limit stays).
 *
 * The patches were written against one release, {@link PDFJS_DIST_VERSION}: loading the worker
 * with any other installed pdfjs-dist fails loudly ({@link assertPdfjsVersion}) rather than falling
 * back quietly to slower code without the decode limit, and a test asserts that the installed
 * release is that one. To upgrade pdfjs-dist: re-check every patch against the new worker source
 * (test/read-pdfjs-patches.test.ts, test/read-hostile.test.ts), then update PDFJS_DIST_VERSION.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ReadError } from './errors.js';

/** the pdfjs-dist release the patches below were written for (package.json pins it exactly) */
export const PDFJS_DIST_VERSION = '5.6.205';

/** the version of the installed pdfjs-dist (its package.json) */
export function installedPdfjsVersion(): string {
  return (createRequire(import.meta.url)('pdfjs-dist/package.json') as { version: string }).version;
}

/**
 * Throws unless `found` (default: the installed pdfjs-dist) is {@link PDFJS_DIST_VERSION}. The
 * error is a ReadError ('unsupported'), so its two sentences reach the user as they are, from a
 * worker thread too.
 */
export function assertPdfjsVersion(found: string = installedPdfjsVersion()): void {
  if (found === PDFJS_DIST_VERSION) return;
  const zh = `PDF 组件版本不符：nianbao 的 PDF 读取补丁（src/read/pdfjs-worker.ts）是为 pdfjs-dist ${PDFJS_DIST_VERSION} 编写的，而安装的是 ${found}；请先对照新版本逐一核对这些补丁，再更新其中的 PDFJS_DIST_VERSION（或重新安装 pdfjs-dist@${PDFJS_DIST_VERSION}）。`;
  const en = `PDF library version mismatch: nianbao's patches to the PDF reader (src/read/pdfjs-worker.ts) were written for pdfjs-dist ${PDFJS_DIST_VERSION}, but ${found} is installed; re-check every patch against the new version, then update PDFJS_DIST_VERSION there (or reinstall pdfjs-dist@${PDFJS_DIST_VERSION}).`;
  const e = new ReadError('unsupported', '', zh, en);
  e.message = `${zh}\n${en}`;
  throw e;
}

export interface WorkerPatch {
  name: string;
  find: string;
  replace: string;
  /** a safety patch: applied also when NIANBAO_PDFJS_PATCHES=0 */
  always?: boolean;
}

/** Limits on the bytes produced by a PDF's decoding filters (see `decode-limit-*`). */
export const PDF_DECODE_LIMITS = {
  /** most bytes one stream may decode to (content streams are a few MB; a full CJK font program is ~20 MB) */
  maxStreamBytes: 64 * 1024 * 1024,
  /** most bytes all the streams of one document may decode to, together */
  maxTotalBytes: 256 * 1024 * 1024,
} as const;

/** the decoding budget of one document, shared between the reader and the worker code */
export interface DecodeBudget {
  maxStreamBytes: number;
  maxTotalBytes: number;
  /** bytes decoded so far */
  used: number;
  /** which limit was exceeded, once one was */
  exceeded: 'stream' | 'total' | null;
}

/**
 * Helpers added to the worker source (before `class DecodeStream`). A decoding
 * stream gets `nbBudget` (its document's budget) when its filter is made, and
 * `nbDecoded` counts its output (a high-water mark, so a stream decoded first by
 * zlib and then, after an error, by pdfjs's own decoder is not counted twice).
 */
const DECODE_LIMIT_HELPERS = `
const NB_DECODE_BUDGETS = Symbol.for("nianbao.pdfjs.decodeBudgets");
class NbDecodeLimitError extends Error {
  constructor(which) {
    super(\`nianbao: decoded stream data exceeds the \${which} limit\`);
    this.name = "NbDecodeLimitError";
  }
}
function nbDecodeBudget(xref) {
  if (!xref) {
    return null;
  }
  if (!xref.nbDecodeBudget) {
    xref.nbDecodeBudget = globalThis[NB_DECODE_BUDGETS]?.get(xref.pdfManager?.docId) ?? {
      maxStreamBytes: ${PDF_DECODE_LIMITS.maxStreamBytes},
      maxTotalBytes: ${PDF_DECODE_LIMITS.maxTotalBytes},
      used: 0,
      exceeded: null
    };
  }
  return xref.nbDecodeBudget;
}
function nbTagDecodeStreams(stream, xref) {
  const budget = nbDecodeBudget(xref);
  for (let s = stream; budget && s instanceof DecodeStream && !s.nbBudget; s = s.stream) {
    s.nbBudget = budget;
  }
  return stream;
}
function nbDecodeFail(budget, which) {
  if (budget) {
    budget.exceeded ??= which;
  }
  throw new NbDecodeLimitError(which);
}
function nbDecodeCharge(stream, size) {
  const budget = stream.nbBudget;
  if (budget?.exceeded) {
    throw new NbDecodeLimitError(budget.exceeded);
  }
  const seen = stream.nbDecoded || 0;
  if (size <= seen) {
    return;
  }
  if (size > (budget ? budget.maxStreamBytes : ${PDF_DECODE_LIMITS.maxStreamBytes})) {
    nbDecodeFail(budget, "stream");
  }
  if (budget) {
    budget.used += size - seen;
    if (budget.used > budget.maxTotalBytes) {
      nbDecodeFail(budget, "total");
    }
  }
  stream.nbDecoded = size;
}
function nbDecodeRoom(stream) {
  const budget = stream.nbBudget;
  if (budget?.exceeded) {
    throw new NbDecodeLimitError(budget.exceeded);
  }
  const perStream = budget ? budget.maxStreamBytes : ${PDF_DECODE_LIMITS.maxStreamBytes};
  const left = budget ? (stream.nbDecoded || 0) + budget.maxTotalBytes - budget.used : perStream;
  return Math.max(1, Math.min(perStream, left));
}
`;

const TEXT_OPS = ['showText', 'showSpacedText', 'nextLineShowText', 'nextLineSetSpacingShowText', 'setFont'];

export const WORKER_PATCHES: WorkerPatch[] = [
  {
    name: 'font-programs',
    find: 'return new Font(fontName.name, fontFile, newProperties, this.options);',
    replace:
      'return new Font(fontName.name, composite && toUnicode instanceof BaseStream && !newProperties.vertical && !getStdFontMap()[normalizeFontName(fontName.name)] && !getNonStdFontMap()[normalizeFontName(fontName.name)] ? null : fontFile, newProperties, this.options);',
  },
  {
    name: 'text-state-clone',
    find: '  clone() {\n    const clone = Object.assign(Object.create(this), this);\n    clone.textMatrix = this.textMatrix.slice();',
    replace:
      '  clone() {\n    const clone = Object.assign(Object.create(TextState.prototype), this);\n    clone.textMatrix = this.textMatrix.slice();',
  },
  {
    name: 'rulings-only-operator-list',
    find: '        let args = operation.args;\n        let fn = operation.fn;\n        switch (fn | 0) {\n          case OPS.paintXObject:',
    replace: `        let args = operation.args;\n        let fn = operation.fn;\n        if (operatorList.nbRulingsOnly && (${TEXT_OPS.map((op) => `fn === OPS.${op}`).join(' || ')})) {\n          continue;\n        }\n        switch (fn | 0) {\n          case OPS.paintXObject:`,
  },
  {
    name: 'rulings-only-page',
    find: '      const opList = new OperatorList(intent, sink);\n      handler.send("StartRenderPage", {',
    replace:
      '      const opList = new OperatorList(intent, sink);\n      opList.nbRulingsOnly = true;\n      handler.send("StartRenderPage", {',
  },
  {
    name: 'sync-inflate',
    find: '    const bytes = this.stream.isAsync ? await this.stream.asyncGetBytes() : this.stream.getBytes();\n    try {\n      const {\n        readable,\n        writable\n      } = new DecompressionStream(name);',
    replace: `    const bytes = this.stream.isAsync ? await this.stream.asyncGetBytes() : this.stream.getBytes();
    const nbZlib = name === "deflate" ? globalThis.process?.getBuiltinModule?.("zlib") : null;
    if (nbZlib) {
      const nbRoom = nbDecodeRoom(this);
      let out;
      try {
        out = nbZlib.inflateSync(bytes, { maxOutputLength: nbRoom });
      } catch (nbError) {
        if (nbError?.code === "ERR_BUFFER_TOO_LARGE") {
          nbDecodeCharge(this, nbRoom + 1);
        }
        return { decompressed: null, compressed: bytes };
      }
      nbDecodeCharge(this, out.byteLength);
      return { decompressed: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), compressed: bytes };
    }
    try {
      const {
        readable,
        writable
      } = new DecompressionStream(name);`,
  },
  {
    name: 'decode-limit-helpers',
    always: true,
    find: 'const emptyBuffer = new Uint8Array(0);\nclass DecodeStream extends BaseStream {',
    replace: `const emptyBuffer = new Uint8Array(0);\n${DECODE_LIMIT_HELPERS}\nclass DecodeStream extends BaseStream {`,
  },
  {
    name: 'decode-limit-buffer',
    always: true,
    find: '    if (requested <= buffer.byteLength) {\n      return buffer;\n    }\n    let size = this.minBufferLength;',
    replace:
      '    if (requested <= buffer.byteLength) {\n      return buffer;\n    }\n    nbDecodeCharge(this, requested);\n    let size = this.minBufferLength;',
  },
  {
    name: 'decode-limit-decompression-stream',
    always: true,
    find: '      for await (const chunk of readable) {\n        chunks.push(chunk);\n        totalLength += chunk.byteLength;\n      }',
    replace:
      '      for await (const chunk of readable) {\n        nbDecodeCharge(this, totalLength + chunk.byteLength);\n        chunks.push(chunk);\n        totalLength += chunk.byteLength;\n      }',
  },
  {
    name: 'decode-limit-rethrow',
    always: true,
    find: '    } catch {\n      return {\n        decompressed: null,\n        compressed: bytes\n      };\n    }\n  }\n  reset() {',
    replace:
      '    } catch (nbError) {\n      if (nbError instanceof NbDecodeLimitError) {\n        throw nbError;\n      }\n      return {\n        decompressed: null,\n        compressed: bytes\n      };\n    }\n  }\n  reset() {',
  },
  {
    name: 'decode-limit-filters',
    always: true,
    find: '  makeFilter(stream, name, maybeLength, params) {\n    if (maybeLength === 0) {',
    replace:
      '  makeFilter(stream, name, maybeLength, params) {\n    return nbTagDecodeStreams(this.nbMakeFilter(stream, name, maybeLength, params), this.xref);\n  }\n  nbMakeFilter(stream, name, maybeLength, params) {\n    if (maybeLength === 0) {',
  },
];

/** the patches applied also when NIANBAO_PDFJS_PATCHES=0 */
export const SAFETY_PATCHES: WorkerPatch[] = WORKER_PATCHES.filter((p) => p.always);

export interface PatchResult {
  source: string;
  /** names of the patches that could not be applied (then `source` is unchanged) */
  missing: string[];
}

/** applies every patch, or none when any of them does not match exactly once */
export function patchWorkerSource(source: string, patches: WorkerPatch[] = WORKER_PATCHES): PatchResult {
  const missing: string[] = [];
  let out = source;
  for (const p of patches) {
    const at = out.indexOf(p.find);
    if (at < 0 || out.indexOf(p.find, at + 1) >= 0) {
      missing.push(p.name);
      continue;
    }
    out = out.slice(0, at) + p.replace + out.slice(at + p.find.length);
  }
  return missing.length ? { source, missing } : { source: out, missing };
}

export function workerSourcePath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs');
}

/** whether the patched worker is wanted (NIANBAO_PDFJS_PATCHES=0 turns it off) */
export function patchesEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NIANBAO_PDFJS_PATCHES !== '0';
}

/**
 * Imports the worker module: the patched source when every patch applies (and
 * patches are enabled), else the source with the `always` (safety) patches when
 * those apply, else the installed file as it is. Throws (a ReadError) when the installed
 * pdfjs-dist is not the release the patches were written for ({@link assertPdfjsVersion}).
 */
export async function importPdfjsWorker(): Promise<unknown> {
  assertPdfjsVersion();
  const file = workerSourcePath();
  const original = readFileSync(file, 'utf8');
  const sets = patchesEnabled() ? [WORKER_PATCHES, SAFETY_PATCHES] : [SAFETY_PATCHES];
  for (const set of sets) {
    const { source, missing } = patchWorkerSource(original, set);
    if (!missing.length) {
      const mod: unknown = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
      workerKind = set === WORKER_PATCHES ? 'patched' : 'plain';
      decodeLimit = true;
      return mod;
    }
  }
  const plain: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
  const mod: unknown = await import(plain);
  workerKind = 'plain';
  decodeLimit = false;
  return mod;
}

let workerKind: 'patched' | 'plain' | null = null;
let decodeLimit = false;

/**
 * which worker this process has loaded (null before the first PDF): 'patched' (speed
 * and safety patches) or 'plain' (pdfjs's own reading code; with the decode limit
 * when {@link decodeLimitActive})
 */
export function importedWorkerKind(): 'patched' | 'plain' | null {
  return workerKind;
}

/** whether the loaded worker enforces {@link PDF_DECODE_LIMITS} (false before the first PDF) */
export function decodeLimitActive(): boolean {
  return decodeLimit;
}

const BUDGETS_KEY = Symbol.for('nianbao.pdfjs.decodeBudgets');

function budgets(): Map<string, DecodeBudget> {
  const g = globalThis as unknown as Record<symbol, Map<string, DecodeBudget> | undefined>;
  let m = g[BUDGETS_KEY];
  if (!m) {
    m = new Map();
    g[BUDGETS_KEY] = m;
  }
  return m;
}

/**
 * Registers the decoding budget of the document pdfjs knows as `docId` (the loading
 * task's `docId`); the worker code charges every decoded byte of that document to
 * it. Call before the worker opens the document, and {@link closeDecodeBudget} after.
 */
export function openDecodeBudget(
  docId: string,
  limits: { maxStreamBytes: number; maxTotalBytes: number } = PDF_DECODE_LIMITS,
): DecodeBudget {
  const b: DecodeBudget = { maxStreamBytes: limits.maxStreamBytes, maxTotalBytes: limits.maxTotalBytes, used: 0, exceeded: null };
  budgets().set(docId, b);
  return b;
}

export function closeDecodeBudget(docId: string): void {
  budgets().delete(docId);
}
