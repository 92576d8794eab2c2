/** What a file's first bytes say it is, before a reader is chosen (no reader loaded for it). */

const decoder = new TextDecoder('utf-8', { fatal: false });

/** the bytes start (after a BOM and blanks) with `{`: a Report JSON rather than a document */
export function looksLikeJson(bytes: Uint8Array): boolean {
  const head = decoder.decode(bytes.subarray(0, 64)).replace(/^\uFEFF/, '');
  return head.trimStart().startsWith('{');
}
