/**
 * Flattening a document into a token stream. Every paragraph and table cell is
 * a "unit"; units are cut into tokens: text, value (a number, a not-applicable
 * mark, an amount with its unit) or blank (an empty table cell). The extractor
 * searches labels in the concatenated normalised text of the stream, where each
 * value token stands as '#' and each blank cell as '∅'.
 */
import type { DocumentModel, Provenance } from '../read/document.js';
import { isWs, wsEnd, wsStart } from '../util/chars.js';
import { memoShort, nfkc, normLabel } from '../util/normalize.js';

export type TokenKind = 'text' | 'value' | 'blank';

export interface Token {
  kind: TokenKind;
  /** the published text of the token */
  raw: string;
  /** normalised text (text tokens) */
  norm: string;
  /** index of the unit (paragraph or cell) it came from */
  unit: number;
  /** offset of the token in its unit's text (its origin is computed on demand: `provOf`) */
  off: number;
}

export interface Unit {
  text: string;
  prov: Provenance;
  /** block index, and whether it is a table cell */
  block: number;
  cell: boolean;
}

export interface Stream {
  units: Unit[];
  tokens: Token[];
  /** concatenation: text tokens' norm, '#' per value, '∅' per blank */
  T: string;
  /** for each char of T, the index of its token */
  at: Int32Array;
  /** for each token, the offset of its first char in T */
  start: Int32Array;
}

const WORD = /[^\s\u00a0\u3000]+/g;
const NBSP_ONLY = /^(&nbsp;)+$/i;

export const VALUE = '#';
export const BLANK = '∅';

const NA = /^(\/|／|\\|—+|―|-|－|–|―|\u2014\u2014|无|空)$/;
const NUMBER = /^[+\-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;
const AMOUNT = /^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?(万元|元|亿元)$/;
const FOOTER = /^([-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(\s*[,，]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*\/\s*\d{1,3})$/;

/** FOOTER starts with a dash or 第, or is "n / m": anything else is not a page number (a quick test first) */
function mayBeFooter(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 0x2d || c === 0x2014 || c === 0x2013 || c === 0x7b2c || (c >= 0x30 && c <= 0x39 && s.includes('/'));
}

export function isValueText(s: string): boolean {
  return NUMBER.test(s) || AMOUNT.test(s) || NA.test(s);
}

function provAt(p: Provenance, offset: number): Provenance {
  if (p.kind === 'text' && offset > 0) return { ...p, column: p.column + offset };
  return p;
}

/** where token `i` of the stream came from (plain text: its own column) */
export function provOf(s: Stream, i: number): Provenance | undefined {
  const t = s.tokens[i];
  return t ? provAt(s.units[t.unit].prov, t.off) : undefined;
}

function push(out: Token[], kind: TokenKind, raw: string, unit: number, off: number): void {
  out.push({ kind, raw, norm: kind === 'text' ? normLabel(raw) : '', unit, off });
}

/** a character that may be (part of) a value: a digit (also full-width), a dash, a slash, 无, 空 */
function mayHoldValue(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0xff10 && c <= 0xff19) ||
    c === 0x2d ||
    c === 0x2014 ||
    c === 0x2013 ||
    c === 0x2015 ||
    c === 0xff0d ||
    c === 0x2f ||
    c === 0xff0f ||
    c === 0x5c ||
    c === 0x65e0 ||
    c === 0x7a7a
  );
}

/** split a whitespace-free word into text and value tokens */
function splitWord(word: string, out: Token[], unit: number, base: number): void {
  // fast paths (one scan): plain digits, and words with nothing that could be a value
  let digitsOnly = word.length <= 15;
  let may = false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      may = true;
      continue;
    }
    digitsOnly = false;
    if (!may && mayHoldValue(c)) may = true;
    if (may) break;
  }
  if (digitsOnly) {
    push(out, 'value', word, unit, base);
    return;
  }
  if (!may) {
    push(out, 'text', word, unit, base);
    return;
  }
  // the split of a word depends only on the word, and short words (labels, numbers
  // run into labels) repeat from report to report: remembered
  const pieces = piecesOf(word);
  for (const p of pieces) push(out, p.kind, p.from === 0 && p.to === word.length ? word : word.slice(p.from, p.to), unit, base + p.from);
}

interface Piece {
  kind: 'text' | 'value';
  from: number;
  to: number;
}

/** the text and value pieces of a word that may hold values */
function splitPieces(word: string): Piece[] {
  const out: Piece[] = [];
  // NFKC keeps the length of the characters that matter here (full-width digits and signs)
  const w = nfkc(word);
  if (isValueText(w)) return [{ kind: 'value', from: 0, to: word.length }];
  if (/^-{3,}$|^\|?(:?-{3,}:?\|)+:?-*:?$/.test(w)) return out; // Markdown rules / separators
  // cut at boundaries between digits and non-digits
  const re = /[+\-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?(万元|亿元|元)?/g;
  let last = 0;
  let m: RegExpExecArray | null = re.exec(w);
  while (m !== null) {
    let s = m.index;
    let num = m[0];
    const after = w.slice(s + num.length);
    // a sign after a letter is a hyphen, not a sign ("本年增-减"); after a digit it starts
    // the next number of a glued run ("396-81813" → 396, -81813)
    if ((num[0] === '-' || num[0] === '+' || num[0] === '−') && s > 0 && /\p{L}/u.test(w[s - 1])) {
      s += 1;
      num = num.slice(1);
    }
    // "…00000003.其他": the digit before "." or "、" followed by a non-digit is a numbering
    // and stays with the following text
    if (!m[3] && !m[4] && /^[.、．]\s*(?=\D|$)/.test(after) && /^\d+$/.test(num.replace(/^[+\-−]/, ''))) {
      num = num.slice(0, -1);
    }
    if (s > last) out.push({ kind: 'text', from: last, to: s });
    if (num.length > 0 && /\d/.test(num)) out.push({ kind: 'value', from: s, to: s + num.length });
    last = s + num.length;
    m = re.exec(w);
  }
  if (last < w.length) out.push({ kind: 'text', from: last, to: word.length });
  // a count written with its unit ("3960件", "12条"): the unit is not a cell of its own
  for (let i = out.length - 1; i > 0; i--) {
    const p = out[i];
    if (p.kind === 'text' && out[i - 1].kind === 'value' && COUNT_UNIT.test(w.slice(p.from, p.to))) out.splice(i, 1);
  }
  return out;
}

/** units written after counts in table cells */
const COUNT_UNIT = /^(?:件|条|个|项|次|份|家|人次)$/;

const piecesOf = memoShort(splitPieces, 40);

/** Turn a document into units and a token stream. */
/** every paragraph and table cell of a document, in reading order */
export function toUnits(doc: DocumentModel): Unit[] {
  const units: Unit[] = [];
  doc.blocks.forEach((b, bi) => {
    if (b.type === 'paragraph') units.push({ text: b.text, prov: b.prov, block: bi, cell: false });
    else for (const row of b.rows) for (const c of row) units.push({ text: c.text, prov: c.prov, block: bi, cell: true });
  });
  return units;
}

/**
 * The token stream of units [fromUnit, toUnit) (by default all of them). Token
 * `unit` indices stay absolute, so a stream of part of a document still points
 * into the whole list of units.
 */
export function tokenize(units: Unit[], fromUnit = 0, toUnit = units.length): Stream {
  const tokens: Token[] = [];
  for (let ui = fromUnit; ui < toUnit; ui++) {
    const u = units[ui];
    const text = u.text;
    const a = wsEnd(text, 0, text.length);
    const b = a === text.length ? a : wsStart(text, a, text.length);
    const trimmed = a === 0 && b === text.length ? text : text.slice(a, b);
    if (trimmed === '' || (trimmed.charCodeAt(0) === 38 /* & */ && NBSP_ONLY.test(trimmed))) {
      if (u.cell) tokens.push({ kind: 'blank', raw: '', norm: '', unit: ui, off: 0 });
      continue;
    }
    if (trimmed.length < 16 && mayBeFooter(trimmed) && FOOTER.test(trimmed)) continue;
    // most cells are one word: no need to search for words
    let space = false;
    for (let i = 0; i < trimmed.length && !space; i++) space = isWs(trimmed.charCodeAt(i));
    if (!space) {
      splitWord(trimmed, tokens, ui, a);
      continue;
    }
    WORD.lastIndex = 0;
    let m: RegExpExecArray | null = WORD.exec(text);
    while (m !== null) {
      splitWord(m[0], tokens, ui, m.index);
      m = WORD.exec(text);
    }
  }
  // build T and the char → token map
  const start = new Int32Array(tokens.length);
  const chunks: string[] = new Array(tokens.length);
  let len = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    start[i] = len;
    const c = t.kind === 'text' ? t.norm : t.kind === 'value' ? VALUE : BLANK;
    chunks[i] = c;
    len += c.length;
  }
  const T = chunks.join('');
  const at = new Int32Array(len);
  for (let i = 0; i < tokens.length; i++) {
    const end = i + 1 < tokens.length ? start[i + 1] : len;
    for (let k = start[i]; k < end; k++) at[k] = i;
  }
  return { units, tokens, T, at, start };
}
