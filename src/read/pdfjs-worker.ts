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
 *   it does after a DecompressionStream error.
 *
 * Each patch replaces one exact piece of the installed pdfjs-dist's source; if any
 * piece is not found (another pdfjs-dist version), none is applied and the plain
 * worker is used — slower, never wrong. A test asserts that every patch applies
 * and that the patched and the plain worker read the same documents.
 * NIANBAO_PDFJS_PATCHES=0 turns the patches off.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface WorkerPatch {
  name: string;
  find: string;
  replace: string;
}

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
      try {
        const out = nbZlib.inflateSync(bytes, { maxOutputLength: ${256 * 1024 * 1024} });
        return { decompressed: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), compressed: bytes };
      } catch {
        return { decompressed: null, compressed: bytes };
      }
    }
    try {
      const {
        readable,
        writable
      } = new DecompressionStream(name);`,
  },
];

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
 * patches are enabled), else the installed file as it is.
 */
export async function importPdfjsWorker(): Promise<unknown> {
  const file = workerSourcePath();
  if (patchesEnabled()) {
    const { source, missing } = patchWorkerSource(readFileSync(file, 'utf8'));
    if (!missing.length) {
      const mod: unknown = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
      workerKind = 'patched';
      return mod;
    }
  }
  const plain: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
  const mod: unknown = await import(plain);
  workerKind = 'plain';
  return mod;
}

let workerKind: 'patched' | 'plain' | null = null;

/** which worker this process has loaded (null before the first PDF) */
export function importedWorkerKind(): 'patched' | 'plain' | null {
  return workerKind;
}
