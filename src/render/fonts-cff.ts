/**
 * A faster, smaller CFF subset for the embedded CJK fonts: charstrings without
 * subroutines.
 *
 * fontkit's subset keeps every subroutine index of the font so that the
 * charstrings need not change: each unused subroutine becomes a one-byte
 * `return`. Noto CJK has up to 3,241 global subroutines and two private sets of
 * about 25,000 each, so every document embedded ~150,000 placeholder entries per
 * face, and the encoding of those indexes was most of a document's time (and
 * most of its size).
 *
 * Here each glyph's charstring is flattened ("desubroutinized", as hb-subset and
 * fontTools do it): every callsubr/callgsubr is replaced by the body of the
 * subroutine (without its `return`), so the subset needs no subroutines at all.
 * The outlines are the same; only the bytes that encode them differ. A glyph's
 * flattened charstring depends on the font alone, so it is made once per process.
 *
 * Only what Noto CJK uses is supported (Type 2 charstrings of a CID-keyed CFF 1
 * font, literal subroutine numbers); anything else (arithmetic operators, a
 * computed subroutine number, CFF2) raises Unsupported, and the caller falls back
 * to fontkit's own subset for that document.
 */

/** an INDEX entry as fontkit decodes it: where the bytes are in the font file */
interface IndexEntry {
  offset: number;
  length: number;
}

/** the parts of fontkit's decoded CFF table used here */
export interface CffTable {
  version: number;
  isCIDFont: boolean;
  stream: { buffer: Uint8Array };
  globalSubrIndex: IndexEntry[] | null;
  topDict: {
    CharStrings: IndexEntry[];
    FDArray?: { Private?: { Subrs?: IndexEntry[] } | null }[];
  };
  fdForGlyph(gid: number): number | null;
  privateDictForGlyph(gid: number): { Subrs?: IndexEntry[] } | null;
}

export class Unsupported extends Error {}

/** the subroutine number bias of the Type 2 charstring format */
function bias(subrs: readonly unknown[]): number {
  if (subrs.length < 1240) return 107;
  if (subrs.length < 33900) return 1131;
  return 32768;
}

/** the deepest subroutine nesting the format allows */
const MAX_DEPTH = 10;

let scratch = new Uint8Array(1 << 16);

/**
 * The charstring of glyph `gid` with every subroutine call replaced by the
 * subroutine's body. Throws Unsupported for what it does not handle.
 */
export function flatCharString(cff: CffTable, gid: number): Uint8Array {
  const buf = cff.stream.buffer;
  const str = cff.topDict.CharStrings[gid];
  if (!str) throw new Unsupported(`no charstring for glyph ${gid}`);
  const gsubrs = cff.globalSubrIndex ?? [];
  const subrs = cff.privateDictForGlyph(gid)?.Subrs ?? [];
  const gbias = bias(gsubrs);
  const lbias = bias(subrs);

  let out = scratch;
  let len = 0;
  const put = (from: number, to: number) => {
    const n = to - from;
    if (len + n > out.length) {
      const bigger = new Uint8Array(Math.max(out.length * 2, len + n));
      bigger.set(out.subarray(0, len));
      out = bigger;
      scratch = bigger;
    }
    for (let i = from; i < to; i++) out[len++] = buf[i];
  };

  /** operand values (only the last one's value matters: a subroutine number) and their count */
  let stack = 0;
  let last = 0;
  /** where in the output the last operand starts, -1 when the last token was an operator */
  let lastStart = -1;
  let stems = 0;
  let ended = false;

  const run = (start: number, end: number, depth: number): void => {
    if (depth > MAX_DEPTH) throw new Unsupported('subroutines nested too deep');
    let p = start;
    while (p < end) {
      const b0 = buf[p];
      // operands
      if (b0 >= 32 || b0 === 28) {
        let n: number;
        let value: number;
        if (b0 === 28) {
          n = 3;
          value = ((buf[p + 1] << 24) | (buf[p + 2] << 16)) >> 16;
        } else if (b0 <= 246) {
          n = 1;
          value = b0 - 139;
        } else if (b0 <= 250) {
          n = 2;
          value = (b0 - 247) * 256 + buf[p + 1] + 108;
        } else if (b0 <= 254) {
          n = 2;
          value = -(b0 - 251) * 256 - buf[p + 1] - 108;
        } else {
          n = 5;
          value = ((buf[p + 1] << 24) | (buf[p + 2] << 16) | (buf[p + 3] << 8) | buf[p + 4]) / 65536;
        }
        lastStart = len;
        put(p, p + n);
        stack++;
        last = value;
        p += n;
        continue;
      }
      switch (b0) {
        case 10: // callsubr
        case 29: {
          // callgsubr: the number pushed just before names the subroutine
          if (lastStart < 0 || stack === 0 || !Number.isInteger(last)) throw new Unsupported('computed subroutine number');
          const set = b0 === 10 ? subrs : gsubrs;
          const subr = set[last + (b0 === 10 ? lbias : gbias)];
          if (!subr) throw new Unsupported(`no subroutine ${last}`);
          len = lastStart;
          lastStart = -1;
          stack--;
          run(subr.offset, subr.offset + subr.length, depth + 1);
          if (ended) return;
          p++;
          continue;
        }
        case 11: // return
          if (depth === 0) throw new Unsupported('return outside a subroutine');
          return;
        case 14: // endchar
          put(p, p + 1);
          ended = true;
          return;
        case 1: // hstem, vstem, hstemhm, vstemhm
        case 3:
        case 18:
        case 23:
          stems += stack >> 1;
          put(p, p + 1);
          p++;
          break;
        case 19: // hintmask, cntrmask: operands before them are vstems; then the mask bytes
        case 20: {
          stems += stack >> 1;
          const n = 1 + ((stems + 7) >> 3);
          put(p, p + n);
          p += n;
          break;
        }
        case 12: {
          const b1 = buf[p + 1];
          // flex, hflex, hflex1, flex1; the arithmetic and storage operators are not handled
          if (b1 < 34 || b1 > 37) throw new Unsupported(`operator 12 ${b1}`);
          put(p, p + 2);
          p += 2;
          break;
        }
        // path construction
        case 4:
        case 5:
        case 6:
        case 7:
        case 8:
        case 21:
        case 22:
        case 24:
        case 25:
        case 26:
        case 27:
        case 30:
        case 31:
          put(p, p + 1);
          p++;
          break;
        default:
          // reserved, or vsindex/blend of CFF2
          throw new Unsupported(`operator ${b0}`);
      }
      // every operator but the subroutine calls clears the stack
      stack = 0;
      lastStart = -1;
    }
  };

  run(str.offset, str.offset + str.length, 0);
  if (!ended) throw new Unsupported(`glyph ${gid} does not end`);
  return out.slice(0, len);
}

/** the parts of fontkit's CFFSubset used here */
interface FontkitCffSubset {
  cff: CffTable;
  glyphs: number[];
  charstrings?: Uint8Array[];
  gsubrs?: Uint8Array[];
  subsetCharstrings(): void;
  subsetFontdict(topDict: Record<string, unknown>): void;
  encode(): Uint8Array;
}

/** flattened charstrings by glyph, per CFF table (one per shared face) */
const flatCache = new WeakMap<CffTable, Map<number, Uint8Array>>();

/**
 * Makes a fontkit CFF subset write charstrings without subroutines. Left as it is
 * for what it does not handle (a CFF2 or non-CID font); when a glyph cannot be
 * flattened, the whole subset falls back to fontkit's own way.
 */
export function flattenSubset(subset: FontkitCffSubset): void {
  const cff = subset.cff;
  if (cff?.version !== 1 || !cff.isCIDFont || !Array.isArray(cff.topDict.FDArray)) return;
  const proto = Object.getPrototypeOf(subset) as FontkitCffSubset;
  if (typeof proto.subsetCharstrings !== 'function' || typeof proto.subsetFontdict !== 'function') return;
  let cache = flatCache.get(cff);
  if (!cache) {
    cache = new Map();
    flatCache.set(cff, cache);
  }
  const flats = cache;
  let fallback = false;

  subset.subsetCharstrings = function (this: FontkitCffSubset) {
    const charstrings: Uint8Array[] = [];
    try {
      for (const gid of this.glyphs) {
        let cs = flats.get(gid);
        if (!cs) {
          cs = flatCharString(cff, gid);
          flats.set(gid, cs);
        }
        charstrings.push(cs);
      }
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      fallback = true;
      proto.subsetCharstrings.call(this);
      return;
    }
    this.charstrings = charstrings;
    this.gsubrs = [];
  };

  // as fontkit's subsetFontdict (the font dicts of the glyphs used, in the order first used), without subroutines
  subset.subsetFontdict = function (this: FontkitCffSubset, topDict: Record<string, unknown>) {
    if (fallback) {
      proto.subsetFontdict.call(this, topDict);
      return;
    }
    const fdArray: Record<string, unknown>[] = [];
    const fds: number[] = [];
    const fdIndex = new Map<number, number>();
    for (const gid of this.glyphs) {
      const fd = cff.fdForGlyph(gid);
      if (fd == null) continue;
      let i = fdIndex.get(fd);
      if (i === undefined) {
        const dict: Record<string, unknown> = Object.assign({}, cff.topDict.FDArray?.[fd]);
        delete dict.FontName;
        if (dict.Private) {
          const priv: Record<string, unknown> = Object.assign({}, dict.Private);
          delete priv.Subrs;
          dict.Private = priv;
        }
        i = fdArray.length;
        fdArray.push(dict);
        fdIndex.set(fd, i);
      }
      fds.push(i);
    }
    topDict.FDArray = fdArray;
    topDict.FDSelect = { version: 0, fds };
  };
}
