/**
 * Character tests for the hot loops of the readers and the extractor, where a
 * regular expression or a trimmed copy per cell costs more than the work itself.
 */

/** is c a character String.prototype.trim removes (the set of `\s`)? */
export function isWs(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x3000 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0xfeff
  );
}

/** index of the first non-whitespace character of s[from, to) (`to` when none) */
export function wsEnd(s: string, from: number, to: number): number {
  let i = from;
  while (i < to && isWs(s.charCodeAt(i))) i++;
  return i;
}

/** end of s[from, to) without its trailing whitespace */
export function wsStart(s: string, from: number, to: number): number {
  let i = to;
  while (i > from && isWs(s.charCodeAt(i - 1))) i--;
  return i;
}
