/**
 * Bytes → text for the text-like inputs (plain text, Markdown, HTML).
 *
 * Order of decisions:
 *  1. size (LIMITS.maxFileBytes → 'too-large') and emptiness;
 *  2. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) wins over everything;
 *  3. a known binary signature (PDF, ZIP, OLE2, images, archives) → 'binary';
 *  4. BOM-less UTF-16 of mostly-ASCII text (NUL in one byte of most code
 *     units) is recognised when the result reads as text;
 *  5. NUL bytes or many control bytes → 'binary';
 *  6. valid UTF-8 → UTF-8 (an incomplete last character is dropped);
 *  7. otherwise GB18030 (a superset of GBK and GB2312), or Big5 when an HTML
 *     page declares it. Undeclared, the GB18030 reading must look like Chinese
 *     text (most double-byte characters in the GB2312 repertoire), else
 *     'encoding' (Latin-1, Shift_JIS, undeclared Big5, random high bytes).
 *  For HTML (`hint.htmlCharset`), a `<meta charset>` / `http-equiv` /
 *  `<?xml encoding>` declaration in the first 2 KB picks the legacy decoder.
 *  Valid UTF-8 still wins over a gbk/gb2312/big5 declaration: such a page was
 *  re-saved as UTF-8 without fixing the meta tag (non-ASCII GBK text is
 *  practically never valid UTF-8). A page that declares UTF-8 but is not valid
 *  UTF-8 falls back to GB18030.
 *  After decoding, more than 5% control characters or U+FFFD → 'binary';
 *  nothing but whitespace → 'empty'. Line endings become '\n'; the BOM is dropped.
 */
import { isUtf8, transcode } from 'node:buffer';
import iconv from 'iconv-lite';
import { LIMITS, ReadError } from './errors.js';

export interface DecodedText {
  text: string;
  /** the decoder used: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5' */
  encoding: string;
}

const SNIFF_BYTES = 8000;
/** share of control characters (other than tab, newlines, form feed, ESC) above which input is binary */
const MAX_CONTROL_RATIO = 0.05;
/** share of U+FFFD replacement characters above which input is binary */
const MAX_REPLACEMENT_RATIO = 0.05;
/** share of GB18030 multi-byte characters that must fall in the GB2312 repertoire */
const MIN_GB2312_RATIO = 0.6;

const BINARY_MAGIC: number[][] = [
  [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  [0x50, 0x4b, 0x03, 0x04], // ZIP (docx, xlsx)
  [0xd0, 0xcf, 0x11, 0xe0], // OLE2 (doc, xls)
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
  [0x1f, 0x8b], // gzip
  [0x52, 0x61, 0x72, 0x21], // Rar!
  [0x37, 0x7a, 0xbc, 0xaf], // 7z
];

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  if (bytes.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[i] !== sig[i]) return false;
  return true;
}

type Bom = { encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; length: number };

function detectBom(bytes: Uint8Array): Bom | null {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/**
 * BOM-less UTF-16 of text with many ASCII characters: NUL on one side of most
 * code units and almost never on the other.
 */
function detectUtf16NoBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  if (n < 4) return null;
  // no NUL at all in the sniffed part: not UTF-16 (the common case, answered natively)
  const nul = bytes.indexOf(0);
  if (nul < 0 || nul >= n) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const units = n / 2;
  // CJK characters rarely have a zero byte (1 in 256), ASCII always has one
  if (oddNul >= 8 && oddNul >= units * 0.3 && evenNul * 8 <= oddNul) return 'utf-16le';
  if (evenNul >= 8 && evenNul >= units * 0.3 && oddNul * 8 <= evenNul) return 'utf-16be';
  return null;
}

function isControlByte(b: number): boolean {
  return (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b && b !== 0x0b) || b === 0x7f;
}

/** CONTROL[b] = 1 when b is a control byte (a table: this runs over every byte of every input) */
const CONTROL = new Uint8Array(256);
for (let b = 0; b < 256; b++) CONTROL[b] = isControlByte(b) ? 1 : 0;

// decoders are stateless between whole-buffer calls: made once
const UTF8_FATAL = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

function hasNulBytes(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  const first = bytes.indexOf(0);
  if (first < 0) return false;
  if (first < n) return true;
  // beyond the sniffed prefix, only a noticeable share of NULs counts
  let count = 0;
  for (let i = first; i >= 0; i = bytes.indexOf(0, i + 1)) count++;
  return count >= (bytes.length - n) * 0.01;
}

/**
 * Cheap sniffing: true when the bytes are certainly not a text document (known
 * binary signature, NUL bytes, or many control bytes in the first 8 KB).
 * UTF-16 text (with a BOM, or BOM-less mostly-ASCII) is not binary.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  const bom = detectBom(bytes);
  if (bom && bom.encoding !== 'utf-8') return false;
  for (const sig of BINARY_MAGIC) if (startsWith(bytes, sig)) return true;
  if (detectUtf16NoBom(bytes)) return false;
  const start = bom ? bom.length : 0;
  const n = Math.min(bytes.length, start + SNIFF_BYTES);
  const nul = bytes.indexOf(0, start);
  if (nul >= 0 && nul < n) return true;
  return manyControlBytes(bytes, start);
}

/** more than MAX_CONTROL_RATIO control bytes in the SNIFF_BYTES from `start` */
function manyControlBytes(bytes: Uint8Array, start: number): boolean {
  const n = Math.min(bytes.length, start + SNIFF_BYTES);
  let control = 0;
  for (let i = start; i < n; i++) control += CONTROL[bytes[i]];
  return n > start && control / (n - start) > MAX_CONTROL_RATIO;
}

/** Length of `bytes` without an incomplete UTF-8 sequence at the very end (a file cut mid-character). */
function utf8CompleteLength(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = n - 1;
  let cont = 0;
  while (i >= 0 && cont < 3 && (bytes[i] & 0xc0) === 0x80) {
    i--;
    cont++;
  }
  if (i < 0) return n;
  const b = bytes[i];
  const need = b >= 0xf0 && b <= 0xf4 ? 3 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xc2 && b <= 0xdf ? 1 : -1;
  if (need > cont) return i;
  return n;
}

/**
 * Valid UTF-8 → string. Node's TextDecoder is slow on CJK text (~25 µs for a 7 KB
 * report); ICU's transcoder to UTF-16 and a UTF-16 string are ~5× faster, and give
 * the same string for valid UTF-8 (checked by isUtf8 first).
 */
function utf8ToString(bytes: Uint8Array): string {
  if (bytes.length >= 256) {
    try {
      return transcode(toBuffer(bytes), 'utf8', 'ucs2').toString('ucs2');
    } catch {
      // a Node built without ICU: the decoder below
    }
  }
  return UTF8.decode(bytes);
}

function decodeUtf8Strict(bytes: Uint8Array): string | null {
  if (isUtf8(bytes)) return utf8ToString(bytes);
  try {
    return UTF8_FATAL.decode(bytes);
  } catch {
    // a file cut in the middle of its last character: drop the partial character
    const complete = utf8CompleteLength(bytes);
    if (complete === bytes.length || complete === 0) return null;
    try {
      return UTF8_FATAL.decode(bytes.subarray(0, complete));
    } catch {
      return null;
    }
  }
}

type Charset = 'utf-8' | 'gb18030' | 'big5';

const CHARSET_LABELS: Record<string, Charset> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  gbk: 'gb18030',
  gb2312: 'gb18030',
  gb_2312: 'gb18030',
  'gb_2312-80': 'gb18030',
  gb18030: 'gb18030',
  'x-gbk': 'gb18030',
  cp936: 'gb18030',
  'windows-936': 'gb18030',
  chinese: 'gb18030',
  csgb2312: 'gb18030',
  'iso-ir-58': 'gb18030',
  big5: 'big5',
  'big5-hkscs': 'big5',
  'x-x-big5': 'big5',
  'cn-big5': 'big5',
  csbig5: 'big5',
};

/** The charset declared by `<meta charset>`, `<meta http-equiv content="…charset=…">` or `<?xml encoding>` in the first 2 KB. */
export function sniffHtmlCharset(bytes: Uint8Array): Charset | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 2048)).toString('latin1');
  const patterns = [
    /<meta\b[^>]{0,512}?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{1,40})/i,
    /<\?xml\b[^>]{0,200}?\bencoding\s*=\s*["']([A-Za-z0-9_:.-]{1,40})["']/i,
  ];
  for (const re of patterns) {
    const m = re.exec(head);
    if (m) {
      const cs = CHARSET_LABELS[m[1].toLowerCase()];
      if (cs) return cs;
    }
  }
  return null;
}

/** Does a GB18030 reading of the bytes look like Chinese text? Most double-byte characters of real text are in GB2312. */
function plausibleGb(bytes: Uint8Array): boolean {
  let multi = 0;
  let common = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const b2 = i + 1 < n ? bytes[i + 1] : -1;
    if (b >= 0x81 && b <= 0xfe && b2 >= 0x30 && b2 <= 0x39) {
      multi++; // four-byte sequence: rare in real text
      i += 4;
      continue;
    }
    if (b >= 0x81 && b <= 0xfe && b2 >= 0x40 && b2 <= 0xfe && b2 !== 0x7f) {
      multi++;
      if (((b >= 0xa1 && b <= 0xa9) || (b >= 0xb0 && b <= 0xf7)) && b2 >= 0xa1) common++;
      i += 2;
      continue;
    }
    multi++; // invalid byte
    i++;
  }
  if (multi < 4) return true;
  return common / multi >= MIN_GB2312_RATIO;
}

/** Share of ordinary text characters (ASCII, Latin, punctuation, CJK, full-width forms) of at least 90%. */
function mostlyTextChars(text: string): boolean {
  let ok = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (
      c === 0x09 ||
      c === 0x0a ||
      c === 0x0d ||
      (c >= 0x20 && c <= 0x7e) ||
      (c >= 0xa0 && c <= 0x24f) ||
      (c >= 0x2000 && c <= 0x206f) ||
      (c >= 0x3000 && c <= 0x303f) ||
      (c >= 0x4e00 && c <= 0x9fff) ||
      (c >= 0xff00 && c <= 0xffef)
    ) {
      ok++;
    }
  }
  return ok >= text.length * 0.9;
}

function binaryError(file: string): ReadError {
  return new ReadError(
    'binary',
    file,
    `文件“${file}”不是文本文件（含有二进制数据），无法读取。`,
    `"${file}" is not a text file (it contains binary data).`,
  );
}

/** the characters checkDecoded counts (a quick native test first: most texts have none) */
const SUSPECT_CHAR = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f\u007f-\u009f\ufffd]/;

/** Reject decoded text that is mostly control or replacement characters. */
function checkDecoded(text: string, file: string): void {
  if (!SUSPECT_CHAR.test(text)) return;
  let total = 0;
  let control = 0;
  let replacement = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    total++;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d && c !== 0x1b) || (c >= 0x7f && c <= 0x9f)) {
      control++;
    } else if (c === 0xfffd) replacement++;
  }
  if (total === 0) return;
  if (control / total > MAX_CONTROL_RATIO || replacement / total > MAX_REPLACEMENT_RATIO) throw binaryError(file);
}

function emptyError(file: string): ReadError {
  return new ReadError('empty', file, `文件“${file}”为空或只有空白字符。`, `"${file}" is empty or contains only whitespace.`);
}

function finish(text: string, encoding: string, file: string): DecodedText {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  checkDecoded(text, file);
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (!/\S/.test(text)) throw emptyError(file);
  return { text, encoding };
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decode the bytes of a text-like report. Throws ReadError 'too-large',
 * 'empty', 'binary' or 'encoding'.
 */
export function decodeText(bytes: Uint8Array, file: string, hint?: { htmlCharset?: boolean }): DecodedText {
  if (bytes.length > LIMITS.maxFileBytes) {
    throw new ReadError(
      'too-large',
      file,
      `文件“${file}”过大（超过 ${LIMITS.maxFileBytes / 1024 / 1024} MB）。`,
      `"${file}" is too large (over ${LIMITS.maxFileBytes / 1024 / 1024} MB).`,
    );
  }
  if (bytes.length === 0) throw emptyError(file);

  const bom = detectBom(bytes);
  if (bom) {
    const body = bytes.subarray(bom.length);
    if (bom.encoding === 'utf-8') {
      if (hasNulBytes(body)) throw binaryError(file);
      return finish(isUtf8(body) ? utf8ToString(body) : UTF8.decode(body), 'utf-8', file);
    }
    return finish(
      iconv.decode(toBuffer(body), bom.encoding === 'utf-16le' ? 'utf16le' : 'utf16be', { stripBOM: false }),
      bom.encoding,
      file,
    );
  }

  for (const sig of BINARY_MAGIC) if (startsWith(bytes, sig)) throw binaryError(file);

  const utf16 = detectUtf16NoBom(bytes);
  if (utf16) {
    const text = iconv.decode(toBuffer(bytes), utf16 === 'utf-16le' ? 'utf16le' : 'utf16be');
    // without a BOM the guess must also read as text: binary arrays of 16-bit numbers also have NUL high bytes
    if (!mostlyTextChars(text)) throw binaryError(file);
    return finish(text, utf16, file);
  }

  // (what looksBinary would check beyond the signatures and UTF-16 already ruled out)
  if (hasNulBytes(bytes) || manyControlBytes(bytes, 0)) throw binaryError(file);

  // Valid UTF-8 wins even over a gbk/big5 declaration: pure ASCII reads the same in
  // every charset, and non-ASCII GBK/Big5 text is practically never valid UTF-8.
  const utf8 = decodeUtf8Strict(bytes);
  if (utf8 !== null) return finish(utf8, 'utf-8', file);
  const declared = hint?.htmlCharset ? sniffHtmlCharset(bytes) : null;

  if (declared === 'big5') return finish(iconv.decode(toBuffer(bytes), 'big5'), 'big5', file);

  // invalid sequences count against plausibility, so text in another legacy
  // encoding (Latin-1, Shift_JIS, Big5 without a declaration) is an 'encoding'
  // error; an explicit gbk/gb2312/gb18030 declaration is trusted
  if (declared !== 'gb18030' && !plausibleGb(bytes)) {
    throw new ReadError(
      'encoding',
      file,
      `无法识别文件“${file}”的字符编码：既不是有效的 UTF-8，也不像 GB18030/GBK 编码的中文。请另存为 UTF-8 后重试。`,
      `cannot determine the character encoding of "${file}": it is neither valid UTF-8 nor plausible GB18030/GBK Chinese text. Save it as UTF-8 and retry.`,
    );
  }
  return finish(iconv.decode(toBuffer(bytes), 'gb18030'), 'gb18030', file);
}
