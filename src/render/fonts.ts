/**
 * The PDF fonts, read and parsed once per process and shared by every document.
 *
 * pdfkit (under pdfmake) opens a font from its bytes for every document: fontkit
 * parses the face out of the 20–27 MB Noto CJK collection again, and its CFF
 * table (65,535 glyphs, their charstrings index, charset and FD select) is decoded
 * again for the subset. That was two thirds of the time a report took.
 *
 * Here each face is parsed once by fontkit (the copy pdfkit itself uses), and a
 * document is given a light per-document view of it: an object whose prototype is
 * the shared face, with its own glyph cache and its own layout engine. Everything
 * decoded from the font file (tables, CFF, lookups, cmap) is shared; the glyph
 * objects are not, because a glyph remembers the code points it was first met
 * with and pdfkit writes those into the document's ToUnicode map: with a glyph
 * cache of its own, a document's bytes never depend on what the process rendered
 * before (the output is byte-identical to parsing the font for every document).
 *
 * The hook: pdfkit only accepts a font file name or its bytes, and hands bytes to
 * fontkit.create. A document is given a FaceToken (an empty Uint8Array that names
 * a shared face) and a fontkit format registered here recognises the token and
 * returns the view instead of parsing anything.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { flattenSubset } from './fonts-cff.js';

/** for the tests: fontkit's own subset (every subroutine kept) when flattenSubsets is false */
export const fontOptions = { flattenSubsets: true };

/** the parts of a fontkit font used here (fontkit ships no types) */
export interface FontkitFont {
  postscriptName: string;
  numGlyphs: number;
  _glyphs: Record<number, unknown>;
  _cmapProcessor: unknown;
  hasGlyphForCodePoint(codePoint: number): boolean;
  getGlyph(id: number): { advanceWidth: number; path: unknown };
  getFont(name: string): FontkitFont | null;
  createSubset(): unknown;
  layout(text: unknown, ...rest: unknown[]): unknown;
  [table: string]: unknown;
}

interface Fontkit {
  create(buffer: Uint8Array, postscriptName?: string): FontkitFont | null;
  registerFormat(format: unknown): void;
}

let fontkitModule: Fontkit | undefined;

/** fontkit as pdfkit loads it (resolved from pdfkit, so that the format registered here is the one pdfkit's fontkit.create sees) */
function fontkit(): Fontkit {
  if (!fontkitModule) {
    const fromHere = createRequire(import.meta.url);
    const printer = fromHere.resolve('pdfmake/js/Printer');
    const pdfkit = createRequire(printer).resolve('pdfkit');
    fontkitModule = createRequire(pdfkit)('fontkit') as Fontkit;
    fontkitModule.registerFormat(SharedFaceFormat);
  }
  return fontkitModule;
}

/**
 * Stands for a shared face where pdfkit expects the bytes of a font: an empty
 * Uint8Array (so no other fontkit format recognises it) that opens a new view of
 * the face for each document.
 */
export class FaceToken extends Uint8Array {
  readonly face: FontkitFont;
  constructor(face: FontkitFont) {
    super(0);
    this.face = face;
  }

  /** a view of the face for one document: shared tables, its own glyphs and layout engine */
  open(): FontkitFont {
    const view = Object.create(this.face) as FontkitFont;
    // fontkit caches glyph objects by id, each with the code points it was first
    // created for (written into the ToUnicode map): one cache per document
    view._glyphs = {};
    // fontkit.create asks the result for the face by PostScript name when pdfkit names one
    const face = this.face;
    view.getFont = (name: string) => (name === face.postscriptName ? view : null);
    // a CFF subset without subroutines (./fonts-cff.ts)
    view.createSubset = () => {
      const subset = face.createSubset.call(view);
      if (fontOptions.flattenSubsets) flattenSubset(subset as Parameters<typeof flattenSubset>[0]);
      return subset;
    };
    // the layout engine (fontkit's cached getter on the prototype) is made on first
    // use and kept on the view, so its glyphs come from the view's cache; its
    // results are shared through the face's layout cache
    view.layout = (text: unknown, ...rest: unknown[]) => cachedLayout(face, view, text, rest);
    return view;
  }

  // typed-array methods that make a new array (slice, map…) must give a plain Uint8Array
  static get [Symbol.species]() {
    return Uint8Array;
  }
}

/** the fontkit format that recognises a FaceToken (fontkit.create calls `new format(stream)`) */
class SharedFaceFormat {
  static probe(buffer: Uint8Array): boolean {
    return buffer instanceof FaceToken;
  }

  constructor(stream: { buffer: FaceToken }) {
    // a constructor may return another object: fontkit.create then returns the view
    // biome-ignore lint/correctness/noConstructorReturn: fontkit's format API constructs; the view is what it must get
    return stream.buffer.open() as unknown as SharedFaceFormat;
  }
}

// ---------------------------------------------------------------------------
// Layout shared across documents

/** fontkit's glyph, position and run objects, as far as they are used here */
interface Glyph {
  id: number;
  codePoints: number[];
}
interface GlyphPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}
interface GlyphRun {
  glyphs: Glyph[];
  positions: GlyphPosition[];
  script: string;
  direction: string;
}
type GlyphRunClass = new (glyphs: Glyph[], features: unknown, script: string, language: unknown, direction: string) => GlyphRun;
type GlyphPositionClass = new (xAdvance: number, yAdvance: number, xOffset: number, yOffset: number) => GlyphPosition;

/** a run laid out once: its glyphs (each the cmap's glyph of one code point) and their positions */
interface CachedRun {
  ids: number[];
  codePoints: number[];
  /** xAdvance, yAdvance, xOffset, yOffset of each glyph */
  positions: Float64Array;
  script: string;
  direction: string;
  runClass: GlyphRunClass;
  positionClass: GlyphPositionClass;
}

/** most texts kept per face (pdfmake measures word by word: a report has a few thousand) */
export const LAYOUT_CACHE_SIZE = 20_000;

const layouts = new WeakMap<FontkitFont, Map<string, CachedRun>>();

/**
 * font.layout(text) through a per-face cache. fontkit's layout of a text depends
 * on the font and the text alone, but its glyph objects belong to the document
 * (they carry the code points that go into its ToUnicode map). So only a run in
 * which each glyph is the cmap's glyph for one code point of the text, and carries
 * just that code point, is kept: replayed in another document, it creates or reuses
 * exactly the glyphs that laying the text out there would (no substitution, no
 * ligature, nothing hidden). Other runs are laid out every time.
 */
function cachedLayout(face: FontkitFont, view: FontkitFont, text: unknown, rest: unknown[]): GlyphRun {
  const layout = face.layout as (this: FontkitFont, ...args: unknown[]) => GlyphRun;
  // features, script, language or direction given, or glyphs instead of text: not cached
  if (typeof text !== 'string' || rest.some((a) => a != null)) return layout.call(view, text, ...rest);
  let cache = layouts.get(face);
  if (!cache) {
    cache = new Map();
    layouts.set(face, cache);
  }
  const hit = cache.get(text);
  if (hit) return replay(view, hit);
  const run = layout.call(view, text);
  const entry = record(face, text, run);
  if (entry) {
    if (cache.size >= LAYOUT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(text, entry);
  }
  return run;
}

function record(face: FontkitFont, text: string, run: GlyphRun): CachedRun | null {
  const cmap = face._cmapProcessor as { lookup(codePoint: number): number };
  const codePoints: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    // variation selectors pick another glyph for the code point before them
    if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) return null;
    codePoints.push(cp);
  }
  const { glyphs, positions } = run;
  if (glyphs.length !== codePoints.length || positions.length !== glyphs.length || glyphs.length === 0) return null;
  const ids: number[] = [];
  const pos = new Float64Array(4 * glyphs.length);
  for (let i = 0; i < glyphs.length; i++) {
    const g = glyphs[i];
    const cp = codePoints[i];
    if (g.id !== cmap.lookup(cp) || g.codePoints.length !== 1 || g.codePoints[0] !== cp) return null;
    ids.push(g.id);
    const p = positions[i];
    pos.set([p.xAdvance, p.yAdvance, p.xOffset, p.yOffset], 4 * i);
  }
  return {
    ids,
    codePoints,
    positions: pos,
    script: run.script,
    direction: run.direction,
    runClass: run.constructor as GlyphRunClass,
    positionClass: positions[0].constructor as GlyphPositionClass,
  };
}

/** a new run (pdfkit scales its positions in place) with the view's glyphs */
function replay(view: FontkitFont, c: CachedRun): GlyphRun {
  const getGlyph = view.getGlyph as unknown as (id: number, codePoints: number[]) => Glyph;
  const glyphs: Glyph[] = new Array(c.ids.length);
  const positions: GlyphPosition[] = new Array(c.ids.length);
  for (let i = 0; i < c.ids.length; i++) {
    glyphs[i] = getGlyph.call(view, c.ids[i], [c.codePoints[i]]);
    const k = 4 * i;
    positions[i] = new c.positionClass(c.positions[k], c.positions[k + 1], c.positions[k + 2], c.positions[k + 3]);
  }
  const run = new c.runClass(glyphs, [], c.script, null, c.direction);
  run.positions = positions;
  return run;
}

/** shared faces by file and PostScript name */
const faces = new Map<string, FontkitFont>();

/**
 * The face `postscript` of the font file `path` (a .ttc collection) or its only
 * face, read and parsed once per process.
 */
export function sharedFace(path: string, postscript?: string): FontkitFont {
  const key = `${path}\u0000${postscript ?? ''}`;
  let face = faces.get(key);
  if (!face) {
    const created = fontkit().create(readFileSync(path), postscript);
    if (!created) throw new Error(`${path}: no face named ${postscript}`);
    face = created;
    // decode once, here, what every document needs: the CFF table (charstring
    // offsets, FD select) and the cmap. The layout engine is left to each view.
    void face['CFF '];
    void face._cmapProcessor;
    void face.hmtx;
    faces.set(key, face);
  }
  return face;
}

/** A token for the shared face, to give pdfkit in place of the font file's bytes. */
export function faceToken(path: string, postscript?: string): FaceToken {
  return new FaceToken(sharedFace(path, postscript));
}
