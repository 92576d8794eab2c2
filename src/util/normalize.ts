/**
 * Text normalisation shared by the extractor and the checker: NFKC (full-width
 * digits and brackets to ASCII), one form of quotes, no whitespace, numbering
 * written `1.` whatever the source used (`1、`, `1．`, `1. `).
 */

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
  if (/^[\u4e00-\u9fffA-Za-z0-9]*$/.test(s)) return s;
  return normalizeCached(s);
}

function normalizeUncached(s: string): string {
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
