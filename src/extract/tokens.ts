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
  /** the row of a table cell in its block (-1 for a paragraph) */
  row: number;
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
  /** the stream's visual lines, made on first use (`lines`) */
  lines?: Lines;
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
  // (a text origin has these three fields only: made directly, not spread)
  if (p.kind === 'text' && offset > 0) return { kind: 'text', line: p.line, column: p.column + offset };
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
    if (b.type === 'paragraph') units.push({ text: b.text, prov: b.prov, block: bi, cell: false, row: -1 });
    else
      b.rows.forEach((row, ri) => {
        for (const c of row) units.push({ text: c.text, prov: c.prov, block: bi, cell: true, row: ri });
      });
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
  const placeholders = placeholderCells(units, fromUnit, toUnit);
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
    if (placeholders.has(ui)) {
      push(tokens, 'text', trimmed, ui, a);
      continue;
    }
    if (!u.cell && text.length < 400 && PLACEHOLDER_FIRST.test(trimmed)) {
      const lines = placeholderLines(text);
      if (lines.length > 0) {
        WORD.lastIndex = 0;
        let m: RegExpExecArray | null = WORD.exec(text);
        while (m !== null) {
          const at = m.index;
          if (lines.some(([x, y]) => at >= x && at < y)) push(tokens, 'text', m[0], ui, at);
          else splitWord(m[0], tokens, ui, at);
          m = WORD.exec(text);
        }
        continue;
      }
    }
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
  return { units, tokens, T, at, start, lines: undefined };
}

/**
 * A column header written as a placeholder and its column's number: 数据1, 数据2 … (OCR and
 * vision models that could not read a table's headers number its columns), 列3, Column 4. The
 * number is the column's, not a value.
 */
const PLACEHOLDER_WORD = /^(\D*[^\d\s.、．)）(（])\s?(\d{1,2})$/;

/** the first placeholder of a line (numbered 0 or 1), a quick test before `placeholderLines` */
const PLACEHOLDER_FIRST = /(?:^|\s)[^\d\s.、．)）(（]+\s?[01](?:\s|$)/;

/** the numbers of `texts` when they are placeholders numbering columns in order (one prefix, from 0 or 1 up by one, at least three) */
function isPlaceholderRow(texts: readonly string[]): boolean {
  if (texts.length < 3) return false;
  let prefix: string | null = null;
  let expect = -1;
  for (const t of texts) {
    const m = PLACEHOLDER_WORD.exec(t);
    if (!m) return false;
    const n = Number(m[2]);
    if (prefix === null) {
      prefix = m[1];
      if (n > 1) return false;
    } else if (m[1] !== prefix || n !== expect) return false;
    expect = n + 1;
  }
  return true;
}

/** table cells [from, to) that are placeholder column headers: every cell of their row is one, numbered in order */
function placeholderCells(units: readonly Unit[], from: number, to: number): Set<number> {
  const out = new Set<number>();
  for (let i = from; i < to; ) {
    const u = units[i];
    let j = i + 1;
    if (u.cell) while (j < to && units[j].cell && units[j].block === u.block && units[j].row === u.row) j++;
    if (u.cell && j - i >= 3 && PLACEHOLDER_WORD.test(u.text.trim())) {
      const texts: string[] = [];
      for (let k = i; k < j; k++) texts.push(units[k].text.trim());
      if (isPlaceholderRow(texts)) for (let k = i; k < j; k++) out.add(k);
    }
    i = j;
  }
  return out;
}

/** the lines of a paragraph that are rows of placeholder column headers, as [start, end) offsets */
function placeholderLines(text: string): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    const words = line.trim().split(/[\s\u00a0\u3000]+/);
    if (isPlaceholderRow(words)) out.push([start, start + line.length]);
    start += line.length + 1;
  }
  return out;
}

export interface Lines {
  /** the line of each token, as an index (in the order the lines first appear) */
  of: Int32Array;
  /** how many text and value tokens each line holds */
  count: Int32Array;
  /** how many value tokens each line holds */
  values: Int32Array;
  /** how many tokens (blank cells too) each line holds */
  size: Int32Array;
}

/**
 * The visual lines of a stream: a token's line is its table row (a table cell) or its paragraph,
 * and the line inside the unit's text (a cell or a paragraph may hold several lines). Made once
 * per stream, on first use.
 */
function lines(s: Stream): Lines {
  if (s.lines) return s.lines;
  // units come in reading order, and a table row's cells one after another: a line is known by
  // the row (or paragraph) it is in and its line inside the cell, so the ids of the lines of the
  // current row are all that need remembering (a row once left does not come back)
  const n = s.tokens.length;
  const of = new Int32Array(n);
  let next = 0;
  // (one array for every row, its first `rowLen` entries the current row's: no array per row)
  const rowIds: number[] = [];
  let rowLen = 0;
  let rowBlock = -1;
  let rowRow = -1;
  let unit = -1;
  let text = '';
  let nl = 0;
  let nextNl = -1;
  for (let k = 0; k < n; k++) {
    const t = s.tokens[k];
    if (t.unit !== unit) {
      unit = t.unit;
      const u = s.units[unit];
      text = u.text;
      nl = 0;
      nextNl = text.indexOf('\n');
      if (!u.cell || u.block !== rowBlock || u.row !== rowRow) {
        rowLen = 0;
        rowBlock = u.cell ? u.block : -1;
        rowRow = u.cell ? u.row : -1;
      }
    }
    while (nextNl >= 0 && nextNl < t.off) {
      nl++;
      nextNl = text.indexOf('\n', nextNl + 1);
    }
    while (rowLen <= nl) rowIds[rowLen++] = -1;
    let id = rowIds[nl];
    if (id === -1) {
      id = next++;
      rowIds[nl] = id;
    }
    of[k] = id;
  }
  const count = new Int32Array(next);
  const values = new Int32Array(next);
  const size = new Int32Array(next);
  for (let k = 0; k < n; k++) {
    const line = of[k];
    const kind = s.tokens[k].kind;
    size[line]++;
    if (kind !== 'blank') count[line]++;
    if (kind === 'value') values[line]++;
  }
  s.lines = { of, count, values, size };
  return s.lines;
}

/** the line of token `i` (an index: tokens on the same line have the same one) */
export function lineOf(s: Stream, i: number): number {
  return lines(s).of[i];
}

/** token `i` is the only text or value on its line (a number wrapped onto a line of its own, or a cell per line) */
export function isLone(s: Stream, i: number): boolean {
  const l = lines(s);
  return l.count[l.of[i]] === 1;
}

/** token `i` is the only value on its line (text may stand beside it) */
export function isOnlyValue(s: Stream, i: number): boolean {
  const l = lines(s);
  return l.values[l.of[i]] === 1;
}

/** the line of token `i` holds text as well as values (a label, a running header), not values only */
export function lineHasText(s: Stream, i: number): boolean {
  const l = lines(s);
  return l.count[l.of[i]] > l.values[l.of[i]];
}

/** how many tokens (blank cells too) the line of token `i` holds: more than one, a row of cells */
export function lineSize(s: Stream, i: number): number {
  const l = lines(s);
  return l.size[l.of[i]];
}
