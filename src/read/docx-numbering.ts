/**
 * Word's automatic numbering (a list's 一、 二、 or （一） that Word draws before a paragraph but
 * does not keep in its text): the definitions of word/numbering.xml, the numbering a paragraph
 * style carries (word/styles.xml), and the counters that give each numbered paragraph its label in
 * document order. A heading typed as "总体情况" with the list's "%1、" in Chinese counting is read as
 * "一、总体情况", as the report shows it.
 *
 * Supported number formats: decimal (also full-width, zero-padded and enclosed ①), Chinese counting
 * (一 … 十一, 二十), Chinese legal (壹贰叁), the heavenly stems (甲乙丙), Roman numerals and letters.
 * Bullets and `none` give no label. Counters are kept per abstract list (w:abstractNum), as Word
 * continues a list across its instances; an instance's w:startOverride restarts it at its first use.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';

interface Level {
  start: number;
  fmt: string;
  /** the label with %1 … %9 for the levels' numbers */
  text: string;
  /** what follows the label: a tab or a space (written as a space), or nothing */
  suffix: string;
}

interface NumInstance {
  abstractId: string;
  /** restart values of levels (w:lvlOverride/w:startOverride) */
  overrides: Map<number, number>;
}

export interface NumberingDefs {
  abstracts: Map<string, Map<number, Level>>;
  nums: Map<string, NumInstance>;
  /** paragraph style id → its numbering (resolved through w:basedOn) */
  styles: Map<string, { numId: string; ilvl: number }>;
}

/** the w:val of an attribute map, whatever the prefix of the WordprocessingML namespace */
function val(attrs: Record<string, string>): string | undefined {
  for (const k in attrs) if (k === 'w:val' || k === 'val' || k.endsWith(':val')) return attrs[k];
  return undefined;
}

function attr(attrs: Record<string, string>, local: string): string | undefined {
  for (const k in attrs) if (k === local || k.endsWith(`:${local}`)) return attrs[k];
  return undefined;
}

/** an element's name without its namespace prefix */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** the text encoding of an XML part: UTF-16 with its byte-order mark, else UTF-8 */
export function xmlEncoding(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

function parse(xml: string, onOpen: (local: string, attrs: Record<string, string>) => void, onClose: (local: string) => void): void {
  const p = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  p.on('opentag', (t: SaxesTagPlain) => onOpen(localName(t.name), t.attributes));
  p.on('closetag', (t: SaxesTagPlain) => onClose(localName(t.name)));
  p.write(xml).close();
}

/**
 * The definitions of numbering.xml and styles.xml (either may be null). A part that cannot be parsed
 * gives no numbering rather than an error: the text is still read, without the labels.
 */
export function readNumbering(numberingXml: string | null, stylesXml: string | null): NumberingDefs | null {
  const defs: NumberingDefs = { abstracts: new Map(), nums: new Map(), styles: new Map() };
  if (numberingXml) {
    try {
      let abstract: Map<number, Level> | null = null;
      let level: Level | null = null;
      let num: NumInstance | null = null;
      let overrideLevel = -1;
      parse(
        numberingXml,
        (local, attrs) => {
          if (local === 'abstractNum') {
            abstract = new Map();
            defs.abstracts.set(attr(attrs, 'abstractNumId') ?? '', abstract);
          } else if (local === 'lvl' && abstract && !num) {
            level = { start: 1, fmt: 'decimal', text: '', suffix: ' ' };
            abstract.set(Number(attr(attrs, 'ilvl') ?? 0), level);
          } else if (level && local === 'start') level.start = Number(val(attrs) ?? 1) || 0;
          else if (level && local === 'numFmt') level.fmt = val(attrs) ?? 'decimal';
          else if (level && local === 'lvlText') level.text = val(attrs) ?? '';
          else if (level && local === 'suff') level.suffix = val(attrs) === 'nothing' ? '' : ' ';
          else if (local === 'num') {
            num = { abstractId: '', overrides: new Map() };
            defs.nums.set(attr(attrs, 'numId') ?? '', num);
          } else if (num && local === 'abstractNumId') num.abstractId = val(attrs) ?? '';
          else if (num && local === 'lvlOverride') overrideLevel = Number(attr(attrs, 'ilvl') ?? 0);
          else if (num && local === 'startOverride' && overrideLevel >= 0) num.overrides.set(overrideLevel, Number(val(attrs) ?? 1) || 0);
        },
        (local) => {
          if (local === 'abstractNum') abstract = null;
          else if (local === 'lvl') level = null;
          else if (local === 'num') num = null;
          else if (local === 'lvlOverride') overrideLevel = -1;
        },
      );
    } catch {
      return null;
    }
  }
  if (defs.nums.size === 0) return null;
  if (stylesXml) {
    try {
      const own = new Map<string, { numId?: string; ilvl?: number; basedOn?: string }>();
      let style: { numId?: string; ilvl?: number; basedOn?: string } | null = null;
      let inPPr = false;
      parse(
        stylesXml,
        (local, attrs) => {
          if (local === 'style') {
            style = attr(attrs, 'type') === 'paragraph' ? {} : null;
            if (style) own.set(attr(attrs, 'styleId') ?? '', style);
          } else if (style && local === 'basedOn') style.basedOn = val(attrs);
          else if (style && local === 'pPr') inPPr = true;
          else if (style && inPPr && local === 'numId') style.numId = val(attrs);
          else if (style && inPPr && local === 'ilvl') style.ilvl = Number(val(attrs) ?? 0);
        },
        (local) => {
          if (local === 'style') style = null;
          else if (local === 'pPr') inPPr = false;
        },
      );
      for (const id of own.keys()) {
        // the nearest style up the w:basedOn chain that says (at most 20 steps: a cycle ends)
        let s = own.get(id);
        let numId: string | undefined;
        let ilvl: number | undefined;
        for (let k = 0; s && k < 20 && (numId === undefined || ilvl === undefined); k++) {
          numId ??= s.numId;
          ilvl ??= s.ilvl;
          s = s.basedOn ? own.get(s.basedOn) : undefined;
        }
        if (numId !== undefined) defs.styles.set(id, { numId, ilvl: ilvl ?? 0 });
      }
    } catch {
      // styles without numbering: direct numbering still works
    }
  }
  return defs;
}

const CN = '〇一二三四五六七八九';
const CN_LEGAL = '零壹贰叁肆伍陆柒捌玖';
const STEMS = '甲乙丙丁戊己庚辛壬癸';

/** 1 … 9999 in Chinese counting (十一, 二十, 一百零五) with `digits` for 0–9 and `ten` … for the units */
function chinese(n: number, digits: string, units: readonly string[]): string {
  if (n <= 0 || n >= 10000) return String(n);
  if (n < 10) return digits[n];
  if (n < 20 && units[1] === '十') return `${units[1]}${n % 10 ? digits[n % 10] : ''}`;
  let out = '';
  let zero = false;
  for (let p = 3; p >= 0; p--) {
    const d = Math.floor(n / 10 ** p) % 10;
    if (d === 0) {
      if (out !== '') zero = true;
      continue;
    }
    if (zero) out += digits[0];
    zero = false;
    out += digits[d] + (p > 0 ? units[p] : '');
  }
  return out;
}

function roman(n: number): string {
  if (n <= 0 || n >= 4000) return String(n);
  const parts: [number, string][] = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let out = '';
  for (const [v, s] of parts)
    while (n >= v) {
      out += s;
      n -= v;
    }
  return out;
}

function letters(n: number): string {
  if (n <= 0) return String(n);
  // Word's letters: A … Z, then AA … ZZ
  const c = String.fromCharCode(0x41 + ((n - 1) % 26));
  return c.repeat(Math.floor((n - 1) / 26) + 1);
}

/** `n` in the number format `fmt`, or null for a format that shows no number (bullet, none) */
export function formatNumber(n: number, fmt: string): string | null {
  switch (fmt) {
    case 'bullet':
    case 'none':
      return null;
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
    case 'japaneseCounting':
      return chinese(n, CN.replace('〇', '零'), ['', '十', '百', '千']);
    case 'ideographDigital':
    case 'taiwaneseDigital':
      return [...String(n)].map((d) => CN[Number(d)]).join('');
    case 'chineseLegalSimplified':
    case 'ideographLegalTraditional':
      return chinese(n, CN_LEGAL, ['', '拾', '佰', '仟']);
    case 'ideographTraditional':
      return n >= 1 && n <= 10 ? STEMS[n - 1] : String(n);
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : String(n);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return [...String(n)].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    case 'decimalZero':
      return n < 10 ? `0${n}` : String(n);
    case 'upperRoman':
      return roman(n);
    case 'lowerRoman':
      return roman(n).toLowerCase();
    case 'upperLetter':
      return letters(n);
    case 'lowerLetter':
      return letters(n).toLowerCase();
    default:
      return String(n);
  }
}

/** the labels of numbered paragraphs in document order: `next(numId, ilvl)` for each */
export class NumberingCounter {
  /** per abstract list, the current number of each level (undefined: not yet used) */
  private counts = new Map<string, (number | undefined)[]>();
  /** instances whose restart has been applied */
  private restarted = new Set<string>();

  constructor(private readonly defs: NumberingDefs) {}

  /** the numbering of a paragraph: its own w:numPr, else its style's */
  resolve(numId: string | undefined, ilvl: number | undefined, styleId: string | undefined): { numId: string; ilvl: number } | null {
    if (numId !== undefined) return numId === '0' ? null : { numId, ilvl: ilvl ?? 0 };
    const s = styleId ? this.defs.styles.get(styleId) : undefined;
    if (!s || s.numId === '0') return null;
    return { numId: s.numId, ilvl: ilvl ?? s.ilvl };
  }

  /** the label (with its suffix) of the next paragraph of list `numId` at level `ilvl`, or '' */
  next(numId: string, ilvl: number): string {
    const num = this.defs.nums.get(numId);
    const levels = num ? this.defs.abstracts.get(num.abstractId) : undefined;
    if (!num || !levels || ilvl < 0 || ilvl > 8) return '';
    const key = num.abstractId;
    let counts = this.counts.get(key);
    if (!counts) {
      counts = [];
      this.counts.set(key, counts);
    }
    if (!this.restarted.has(numId)) {
      this.restarted.add(numId);
      for (const [l, start] of num.overrides) counts[l] = start - 1;
    }
    const startOf = (l: number) => num.overrides.get(l) ?? levels.get(l)?.start ?? 1;
    counts[ilvl] = (counts[ilvl] ?? startOf(ilvl) - 1) + 1;
    // the deeper levels start again
    counts.length = ilvl + 1;
    const level = levels.get(ilvl);
    if (!level || level.text === '' || level.fmt === 'bullet' || level.fmt === 'none') return '';
    let shown = true;
    const label = level.text.replace(/%([1-9])/g, (_m, d: string) => {
      const l = Number(d) - 1;
      const lv = levels.get(l);
      const n = counts[l] ?? (lv ? lv.start : 1);
      const s = formatNumber(n, l === ilvl ? level.fmt : (lv?.fmt ?? 'decimal'));
      if (s === null) {
        shown = false;
        return '';
      }
      return s;
    });
    return shown && label.trim() !== '' ? label + level.suffix : '';
  }
}
