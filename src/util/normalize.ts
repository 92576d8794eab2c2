/**
 * Text normalisation shared by the extractor and the checker: NFKC (full-width
 * digits and brackets to ASCII), one form of quotes, no whitespace, numbering
 * written `1.` whatever the source used (`1、`, `1．`, `1. `).
 */

import { isWs } from './chars.js';

const QUOTES: Record<string, string> = { '"': '“', '‘': '“', '’': '”', '「': '“', '」': '”', '『': '“', '』': '”' };

/**
 * `f` remembered for the short strings the extractor sees again and again (labels,
 * cell words); at most `size` entries, then the memory starts afresh.
 */
export function memoShort<T>(f: (s: string) => T, maxLength = 64, size = 20_000): (s: string) => T {
  const cache = new Map<string, T>();
  return (s) => {
    if (s.length > maxLength) return f(s);
    let t = cache.get(s);
    if (t === undefined) {
      if (cache.size > size) cache.clear();
      t = f(s);
      cache.set(s, t);
    }
    return t;
  };
}

const normalizeCached = memoShort(normalizeUncached);

/** normalise a label for comparison: NFKC, no whitespace, unified brackets/quotes/numbering */
export function normLabel(s: string): string {
  // common case: plain ideographs and ASCII letters/digits need no work
  let plain = true;
  for (let i = 0; i < s.length && plain; i++) {
    const c = s.charCodeAt(i);
    plain = (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
  }
  return plain ? s : normalizeCached(s);
}

/**
 * Characters whose NFKC form is known without asking ICU: ASCII and the CJK unified ideographs
 * (their own form), the full-width ASCII variants U+FF01–U+FF5E (their ASCII letter: NFKC's
 * `<wide>` mapping), the ideographic space (a space), and the CJK punctuation and quotes reports
 * use (their own form). A string of these only is normalised in one pass without `normalize()`.
 */
function nfkcKnown(c: number): boolean {
  return (
    c < 0x80 ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xff01 && c <= 0xff5e) ||
    c === 0x3000 ||
    c === 0x3001 ||
    c === 0x3002 ||
    (c >= 0x3008 && c <= 0x3011) ||
    (c >= 0x3014 && c <= 0x3017) ||
    c === 0x2018 ||
    c === 0x2019 ||
    c === 0x201c ||
    c === 0x201d ||
    c === 0x2014
  );
}

/** normLabel's whitespace: `\s`, and the zero-width space */
function labelSpace(c: number): boolean {
  return c === 0x200b || isWs(c);
}

/** a character's form in a label: one form of square brackets, and of opening and closing quotes */
function labelChar(c: number): number {
  if (c === 0x3010 || c === 0x3014) return 0x5b;
  if (c === 0x3011 || c === 0x3015) return 0x5d;
  if (c === 0x22 || c === 0x2018 || c === 0x300c || c === 0x300e) return 0x201c;
  if (c === 0x2019 || c === 0x300d || c === 0x300f) return 0x201d;
  return c;
}

function normalizeUncached(s: string): string {
  // (a bookmark's brackets may be full-width: the reference order of steps)
  if (s.includes('bookmark')) return normalizeReference(s);
  let known = true;
  for (let i = 0; i < s.length && known; i++) known = nfkcKnown(s.charCodeAt(i));
  const t = known ? s : s.normalize('NFKC');
  // one pass: whitespace out, full-width ASCII as ASCII, one form of brackets and quotes
  let out = '';
  let from = 0;
  let numbering = false;
  let prevDigit = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (labelSpace(c)) {
      out += t.slice(from, i);
      from = i + 1;
      continue;
    }
    const e = labelChar(c >= 0xff01 && c <= 0xff5e ? c - 0xfee0 : c);
    if (e !== c) {
      out += t.slice(from, i) + String.fromCharCode(e);
      from = i + 1;
    }
    if (prevDigit && (e === 0x3001 || e === 0x3002)) numbering = true;
    prevDigit = e >= 0x30 && e <= 0x39;
  }
  out = from === 0 ? t : out + t.slice(from);
  // "1、" "1．" → "1."
  return numbering ? out.replace(/(\d)[、．。](?=\D)/g, '$1.') : out;
}

/** the normalisation step by step (a bookmark inside; and the reference the one pass is tested against) */
export function normalizeReference(s: string): string {
  let t = s.normalize('NFKC');
  t = t.replace(/\[bookmark:[^\]]*\]/g, '');
  t = t.replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, '');
  t = t.replace(/[【〔［]/g, '[').replace(/[】〕］]/g, ']');
  t = t.replace(/["‘’「」『』]/g, (c) => QUOTES[c] ?? c);
  // "1、" "1．" → "1."
  t = t.replace(/(\d)[、．。](?=\D)/g, '$1.');
  // "（一）" is "(一)" after NFKC; "一、" stays
  return t;
}

/** normLabel without its memory (for tests) */
export const normLabelUncached = (s: string): string => normalizeUncached(s);

const nfkcCached = memoShort((s) => s.normalize('NFKC'));

/**
 * `s.normalize('NFKC')`, cheaper: ASCII is already NFKC, and the short words the
 * extractor normalises (cells, numbers with full-width digits) repeat, so they are remembered.
 */
export function nfkc(s: string): string {
  return /^[\x00-\x7f]*$/.test(s) ? s : nfkcCached(s);
}

/** full-width digits as ASCII (２０２３ → 2023): titles and dates typed with a Chinese input method */
export function asciiDigits(s: string): string {
  return /[０-９]/.test(s) ? s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)) : s;
}

const CN_DIGIT: Record<string, number> = { 〇: 0, 零: 0, '○': 0, Ｏ: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 … 三十一 as a number (十, 十二, 二十, 二十三), or NaN */
function cnSmall(s: string): number {
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? (CN_DIGIT[s] ?? Number.NaN) : Number.NaN;
  const tens = ten === 0 ? 1 : ten === 1 ? (CN_DIGIT[s[0]] ?? Number.NaN) : Number.NaN;
  const rest = s.slice(ten + 1);
  const ones = rest === '' ? 0 : rest.length === 1 ? (CN_DIGIT[rest] ?? Number.NaN) : Number.NaN;
  return tens * 10 + ones;
}

const CN_YEAR = /([〇零○Ｏ一二三四五六七八九]{4})(\s*年)/g;
const CN_MONTH_DAY = /(\d{4}\s*年\s*)([一二三四五六七八九十]{1,3})(\s*月)(?:(\s*)([一二三四五六七八九十]{1,3})(\s*日))?/g;

/**
 * A year, month and day written in Chinese numerals as Arabic ones (二〇二四年一月二十日 → 2024年1月20日),
 * as formal titles and signatures may be written. A year is four numerals read as 1990–2099; a month
 * or day is read only after such a year (or an Arabic one), and only when it is a month or a day.
 */
export function arabicDates(s: string): string {
  if (!/[〇零○Ｏ一二三四五六七八九]/.test(s) || !s.includes('年')) return s;
  const years = s.replace(CN_YEAR, (m, y: string, nian: string) => {
    let n = 0;
    for (const c of y) n = n * 10 + CN_DIGIT[c];
    return n >= 1990 && n <= 2099 ? `${n}${nian}` : m;
  });
  return years.replace(
    CN_MONTH_DAY,
    (m, pre: string, mo: string, yue: string, sp: string | undefined, d: string | undefined, ri: string | undefined) => {
      const month = cnSmall(mo);
      if (!(month >= 1 && month <= 12)) return m;
      if (d === undefined) return `${pre}${month}${yue}`;
      const day = cnSmall(d);
      return day >= 1 && day <= 31 ? `${pre}${month}${yue}${sp}${day}${ri}` : `${pre}${month}${yue}${sp}${d}${ri}`;
    },
  );
}

/** Dice coefficient of character bigrams (0..1), for fuzzy label matching */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const grams = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const g = a.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  let hit = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const n = grams.get(g) ?? 0;
    if (n > 0) {
      hit++;
      grams.set(g, n - 1);
    }
  }
  return (2 * hit) / (a.length + b.length - 2);
}

/** remove whitespace between CJK characters (text copied from PDF/Word puts spaces inside words) */
export function tidyCjk(s: string): string {
  let t = s.includes('[bookmark:') ? s.replace(/\[bookmark:[^\]]*\]/g, '') : s;
  if (!/[ \t\u00a0\u3000]/.test(t)) return t;
  // a run of spaces goes when it sits between CJK characters, or between a digit and CJK
  t = t.replace(
    /([\u3000-\u9fff\uff00-\uffef\d])[ \t\u00a0\u3000]+(?=[\u3000-\u9fff\uff00-\uffef\d])/g,
    (m, a: string, off: number, all: string) => {
      const next = all[off + m.length];
      const digitA = a >= '0' && a <= '9';
      const digitB = next >= '0' && next <= '9';
      return digitA && digitB ? m : a;
    },
  );
  return t.replace(/[ \t\u00a0\u3000]+$/gm, '').replace(/^[ \t\u00a0\u3000]+/gm, '');
}
