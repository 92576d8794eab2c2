/**
 * Safe unzip for DOCX/XLSX on top of fflate.
 *
 * - The central directory is parsed first (our own bounds-checked parser; ZIP64
 *   and archives with a prefix such as a self-extractor stub are understood).
 *   Before anything is inflated the archive is refused with ReadError
 *   'zip-bomb' when the sum of the declared uncompressed sizes exceeds
 *   LIMITS.maxUnzippedBytes, or when a member larger than 1 MB declares a
 *   compression ratio above LIMITS.maxCompressionRatio.
 * - Headers are not trusted: members are inflated with fflate's streaming
 *   `Inflate` in small input chunks and the output is counted as it is
 *   produced; a member that inflates to more than its declared size is
 *   stopped at once ('zip-bomb'), one that inflates to less, or whose CRC-32
 *   does not match, is 'corrupt'. (fflate's `unzipSync` is not used for the
 *   inflation because it writes into a buffer of the declared size and silently
 *   drops any excess, so a lying header would go unnoticed and still cost the
 *   CPU time of inflating the whole stream.)
 * - Only the members asked for are inflated.
 */
import { Inflate } from 'fflate';
import { LIMITS, ReadError } from './errors.js';

export interface ZipEntry {
  /** member name as stored (backslashes turned into '/') */
  name: string;
  /** 0 stored, 8 deflated */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  /** declared uncompressed size */
  size: number;
  /** offset of the local file header */
  offset: number;
}

export interface ZipArchive {
  entries: ZipEntry[];
  /** find a member by name, ignoring case and a leading '/' (OOXML part names are case-insensitive) */
  find(name: string): ZipEntry | undefined;
  /** inflate one member, verifying its size and CRC */
  read(entry: ZipEntry): Uint8Array;
  /** inflate one member without keeping the output (size and CRC check only) */
  verify(entry: ZipEntry): void;
  /**
   * inflate one member, handing each piece of output to `sink` as it is produced
   * (nothing is kept; size and CRC are checked as in `verify`). A ReadError thrown by
   * the sink stops the inflation at once and is passed on.
   */
  scan(entry: ZipEntry, sink: (chunk: Uint8Array) => void): void;
}

/** members above this declared size are subject to the compression-ratio check */
const RATIO_CHECK_MIN_BYTES = 1024 * 1024;
/** compressed bytes pushed to the inflater at a time: bounds the output of one step to ~16 MB */
const INFLATE_CHUNK = 16 * 1024;

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

export type OfficeKind = 'docx' | 'xlsx';

const KIND_LABEL: Record<OfficeKind, { ext: string; app: string; legacy: string; legacyZh: string }> = {
  docx: { ext: '.docx', app: 'Word', legacy: '.doc', legacyZh: 'Word' },
  xlsx: { ext: '.xlsx', app: 'Excel', legacy: '.xls', legacyZh: 'Excel' },
};

function corrupt(file: string, kind: OfficeKind, detail?: string): ReadError {
  const { ext } = KIND_LABEL[kind];
  return new ReadError(
    'corrupt',
    file,
    `文件已损坏或不是有效的 ${ext} 文件（ZIP 结构无法读取${detail ? `：${detail}` : ''}）。`,
    `The file is damaged or not a valid ${ext} file (unreadable ZIP structure${detail ? `: ${detail}` : ''}).`,
  );
}

function bomb(file: string, detail: string): ReadError {
  return new ReadError(
    'zip-bomb',
    file,
    `压缩包解压后的大小异常（${detail}），疑似“ZIP 炸弹”，已拒绝读取。`,
    `The archive would expand to an unsafe size (${detail}); it looks like a ZIP bomb and was refused.`,
  );
}

const MB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

// ---------------------------------------------------------------------------
// OLE compound files (.doc/.xls, and password-protected OOXML)

const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENCRYPTED_PACKAGE_UTF16 = Buffer.from('EncryptedPackage', 'utf16le');
const WORD_DOCUMENT_UTF16 = Buffer.from('WordDocument', 'utf16le');

/** does the compound file have a `WordDocument` stream, i.e. is it a Word 97–2003 document (its name is stored in UTF-16 in the directory)? */
export function hasWordDocumentStream(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(WORD_DOCUMENT_UTF16);
}

/** starts with the OLE compound-file signature (D0 CF 11 E0, then A1 B1 1A E1 when present) */
export function isOle(bytes: Uint8Array): boolean {
  const n = Math.min(8, bytes.length);
  if (n < 4) return false;
  for (let i = 0; i < n; i++) if (bytes[i] !== OLE_SIGNATURE[i]) return false;
  return true;
}

/**
 * Refuse OLE compound files with a useful message: an encrypted OOXML package
 * (it has an `EncryptedPackage` stream, its name stored in UTF-16) is
 * 'encrypted'; anything else is a legacy binary file ('unsupported').
 */
/** the checks every Office reader makes first: empty, too large, an OLE file (.doc/.xls or encrypted) */
export function checkOfficeInput(bytes: Uint8Array, file: string, kind: OfficeKind): void {
  if (bytes.length === 0) {
    throw new ReadError('empty', file, '文件为空。', 'The file is empty.');
  }
  if (bytes.length > LIMITS.maxFileBytes) {
    throw new ReadError(
      'too-large',
      file,
      `文件超过 ${LIMITS.maxFileBytes / 1024 / 1024} MB 的上限。`,
      `The file exceeds the ${LIMITS.maxFileBytes / 1024 / 1024} MB limit.`,
    );
  }
  rejectOle(bytes, file, kind);
}

export function rejectOle(bytes: Uint8Array, file: string, kind: OfficeKind): void {
  if (!isOle(bytes)) return;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { ext, app, legacy, legacyZh } = KIND_LABEL[kind];
  if (buf.indexOf(ENCRYPTED_PACKAGE_UTF16) >= 0) {
    throw new ReadError(
      'encrypted',
      file,
      `文件已加密（设置了打开密码），无法读取；请在 ${app} 或 WPS 中取消密码后另存为 ${ext} 再试。`,
      `The file is encrypted (password-protected); remove the password in ${app} or WPS, save it as ${ext} and try again.`,
    );
  }
  if (kind === 'docx' && !hasWordDocumentStream(bytes)) {
    // (a Word 97–2003 file has a WordDocument stream and is read by the .doc reader)
    throw new ReadError(
      'unsupported',
      file,
      '文件是 OLE 复合文档，但读不到 Word 97–2003 正文：文件可能已损坏，或是 .xls、.ppt、WPS 等其他格式；请另存为 .docx 或 PDF 再试。',
      'The file is an OLE compound document but holds no Word 97–2003 text: it may be damaged, or another format such as .xls, .ppt or WPS; save it as .docx or PDF and try again.',
    );
  }
  throw new ReadError(
    'unsupported',
    file,
    `这是旧版 ${legacyZh}（${legacy}）格式的文件，不支持直接读取；请用 ${app} 或 WPS 打开后另存为 ${ext} 再试。`,
    `This is a legacy ${app} (${legacy}) file, which is not supported; open it in ${app} or WPS, save it as ${ext} and try again.`,
  );
}

// ---------------------------------------------------------------------------
// CRC-32

let CRC_TABLE: Uint32Array | undefined;
function crcTable(): Uint32Array {
  if (CRC_TABLE) return CRC_TABLE;
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  CRC_TABLE = t;
  return t;
}

/** running CRC-32: start with 0, feed chunks, the result is the CRC of all of them */
export function crc32(data: Uint8Array, crc = 0): number {
  const t = crcTable();
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

// ---------------------------------------------------------------------------
// central directory

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
function u64(b: Uint8Array, o: number): number {
  // sizes beyond 2^53 cannot occur in a file we accept; they still compare as huge
  return u32(b, o) + u32(b, o + 4) * 0x100000000;
}

const nameDecoder = new TextDecoder('utf-8');
const latin1Decoder = new TextDecoder('latin1');

function findEocd(b: Uint8Array): number {
  const min = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= min; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && u32(b, i) === SIG_EOCD) {
      // the comment length must reach exactly (or, leniently, at most) the end of the file
      if (i + 22 + u16(b, i + 20) <= b.length) return i;
    }
  }
  return -1;
}

function parseCentralDirectory(b: Uint8Array, file: string, kind: OfficeKind): ZipEntry[] {
  if (b.length < 22) throw corrupt(file, kind, 'too short');
  const eocd = findEocd(b);
  if (eocd < 0) {
    const detail = u32(b, 0) === SIG_LOCAL ? 'end of central directory not found; the file may be truncated' : 'no ZIP signature';
    throw corrupt(file, kind, detail);
  }
  let count = u16(b, eocd + 10);
  let cdSize = u32(b, eocd + 12);
  let cdOffset = u32(b, eocd + 16);
  if (u16(b, eocd + 4) !== 0 || (u16(b, eocd + 6) !== 0 && u16(b, eocd + 6) !== 0xffff)) {
    throw corrupt(file, kind, 'multi-volume archive');
  }
  // ZIP64: the central directory ends where the ZIP64 end record starts
  let cdEnd = eocd;
  const loc = eocd - 20;
  if (loc >= 0 && u32(b, loc) === SIG_EOCD64_LOCATOR) {
    const z = u64(b, loc + 8);
    if (z + 56 > b.length || u32(b, z) !== SIG_EOCD64) throw corrupt(file, kind, 'bad ZIP64 record');
    count = u64(b, z + 32);
    cdSize = u64(b, z + 40);
    cdOffset = u64(b, z + 48);
    cdEnd = z;
  }
  // data prepended to the archive shifts every offset by the same amount
  let shift = 0;
  if (cdOffset + 4 > b.length || u32(b, cdOffset) !== SIG_CENTRAL) {
    const guess = cdEnd - cdSize;
    if (count > 0 && guess >= 0 && guess + 4 <= b.length && u32(b, guess) === SIG_CENTRAL) shift = guess - cdOffset;
    else if (count > 0) throw corrupt(file, kind, 'central directory not found');
  }
  // every entry takes at least 46 bytes: a count that cannot fit is a lie
  if (count * 46 > b.length) throw corrupt(file, kind, 'entry count exceeds file size');

  const entries: ZipEntry[] = [];
  let p = cdOffset + shift;
  for (let i = 0; i < count; i++) {
    if (p + 46 > b.length || u32(b, p) !== SIG_CENTRAL) throw corrupt(file, kind, 'central directory truncated');
    const flags = u16(b, p + 8);
    const method = u16(b, p + 10);
    const crc = u32(b, p + 16);
    let compressedSize = u32(b, p + 20);
    let size = u32(b, p + 24);
    const nameLen = u16(b, p + 28);
    const extraLen = u16(b, p + 30);
    const commentLen = u16(b, p + 32);
    let offset = u32(b, p + 42);
    const nameStart = p + 46;
    const extraStart = nameStart + nameLen;
    const next = extraStart + extraLen + commentLen;
    if (next > b.length) throw corrupt(file, kind, 'central directory truncated');
    const rawName = b.subarray(nameStart, extraStart);
    const name = (flags & 0x800 ? nameDecoder : isAscii(rawName) ? nameDecoder : latin1Decoder).decode(rawName).replace(/\\/g, '/');
    if (size === 0xffffffff || compressedSize === 0xffffffff || offset === 0xffffffff) {
      // ZIP64 extended information extra field (id 1): present fields in fixed order
      let e = extraStart;
      const eEnd = extraStart + extraLen;
      while (e + 4 <= eEnd) {
        const id = u16(b, e);
        const len = u16(b, e + 2);
        if (id === 1) {
          let q = e + 4;
          const qEnd = Math.min(eEnd, q + len);
          if (size === 0xffffffff && q + 8 <= qEnd) {
            size = u64(b, q);
            q += 8;
          }
          if (compressedSize === 0xffffffff && q + 8 <= qEnd) {
            compressedSize = u64(b, q);
            q += 8;
          }
          if (offset === 0xffffffff && q + 8 <= qEnd) offset = u64(b, q);
          break;
        }
        e += 4 + len;
      }
    }
    entries.push({ name, method, flags, crc32: crc, compressedSize, size, offset: offset + shift });
    p = next;
  }
  return entries;
}

function isAscii(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] > 0x7f) return false;
  return true;
}

function checkLimits(entries: ZipEntry[], file: string): void {
  let total = 0;
  for (const e of entries) {
    if (e.name.endsWith('/') && e.size === 0) continue; // directory
    total += e.size;
    if (total > LIMITS.maxUnzippedBytes) {
      throw bomb(file, `declared total of at least ${MB(total)} exceeds the ${MB(LIMITS.maxUnzippedBytes)} limit`);
    }
    if (e.size > RATIO_CHECK_MIN_BYTES && e.method !== 0) {
      const ratio = e.compressedSize > 0 ? e.size / e.compressedSize : Number.POSITIVE_INFINITY;
      if (ratio > LIMITS.maxCompressionRatio) {
        throw bomb(
          file,
          `member ${e.name}: ${MB(e.size)} from ${e.compressedSize} bytes, ratio ${Math.round(ratio)}:1 > ${LIMITS.maxCompressionRatio}:1`,
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------
// inflation

function inflateEntry(
  b: Uint8Array,
  e: ZipEntry,
  file: string,
  kind: OfficeKind,
  keep: boolean,
  sink?: (chunk: Uint8Array) => void,
): Uint8Array {
  if (e.flags & 1) {
    throw new ReadError(
      'encrypted',
      file,
      `压缩包中的“${e.name}”已加密，无法读取。`,
      `The archive member "${e.name}" is encrypted and cannot be read.`,
    );
  }
  const o = e.offset;
  if (o + 30 > b.length || u32(b, o) !== SIG_LOCAL) throw corrupt(file, kind, `bad local header for ${e.name}`);
  const start = o + 30 + u16(b, o + 26) + u16(b, o + 28);
  const end = start + e.compressedSize;
  if (end > b.length) throw corrupt(file, kind, `${e.name} is truncated`);
  const data = b.subarray(start, end);

  if (e.method === 0) {
    if (e.compressedSize !== e.size) throw corrupt(file, kind, `stored member ${e.name} has inconsistent sizes`);
    if (crc32(data) !== e.crc32) throw corrupt(file, kind, `CRC mismatch in ${e.name}`);
    if (sink) {
      for (let i = 0; i < data.length; i += INFLATE_CHUNK) sink(data.subarray(i, Math.min(data.length, i + INFLATE_CHUNK)));
    }
    return keep ? data.slice() : new Uint8Array(0);
  }
  if (e.method !== 8) {
    throw new ReadError(
      'unsupported',
      file,
      `压缩包中的“${e.name}”使用了不支持的压缩方式（${e.method}）。`,
      `The archive member "${e.name}" uses an unsupported compression method (${e.method}).`,
    );
  }

  const chunks: Uint8Array[] = [];
  let produced = 0;
  let crc = 0;
  let done = false;
  const inflater = new Inflate((chunk, final) => {
    produced += chunk.length;
    if (produced > e.size) {
      throw bomb(file, `member ${e.name} inflates to more than its declared ${e.size} bytes`);
    }
    crc = crc32(chunk, crc);
    if (keep && chunk.length) chunks.push(chunk);
    if (sink && chunk.length) sink(chunk);
    if (final) done = true;
  });
  try {
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
    for (let i = 0; i < data.length; i += INFLATE_CHUNK) {
      const last = i + INFLATE_CHUNK >= data.length;
      inflater.push(data.subarray(i, Math.min(data.length, i + INFLATE_CHUNK)), last);
    }
  } catch (err) {
    if (err instanceof ReadError) throw err;
    // fflate's own message (e.g. 'invalid block type') stays out of the sentence, in `cause`
    const x = corrupt(file, kind, `${e.name}: invalid compressed data`);
    x.cause = err;
    throw x;
  }
  if (!done || produced !== e.size) throw corrupt(file, kind, `${e.name} inflates to ${produced} bytes, declared ${e.size}`);
  if (crc !== e.crc32) throw corrupt(file, kind, `CRC mismatch in ${e.name}`);
  if (!keep) return new Uint8Array(0);
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(produced);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// ---------------------------------------------------------------------------
// DTDs

/** XML parts of an OOXML package (the members a DTD could hide in) */
export function isXmlPart(name: string): boolean {
  return /\.(?:xml|rels|vml)$/i.test(name);
}

const DTD_MARKERS = ['<!DOCTYPE', '<!ENTITY'].flatMap((m) => [
  Buffer.from(m, 'latin1'),
  Buffer.from(m, 'utf16le'),
  Buffer.from(`\0${m.split('').join('\0')}`, 'latin1'), // UTF-16BE
]);
const DTD_CARRY = Math.max(...DTD_MARKERS.map((m) => m.length)) - 1;

const dtdRefusals = new WeakSet<ReadError>();

/** is `e` a {@link dtdRefused} error (its code is 'corrupt', like any damaged part's)? */
export function isDtdRefusal(e: unknown): boolean {
  return e instanceof ReadError && dtdRefusals.has(e);
}

/** the ReadError for an XML part that declares a DTD (Word and Excel never write one) */
export function dtdRefused(file: string, kind: OfficeKind): ReadError {
  const [zh, en] = kind === 'docx' ? ['Word 文档', 'a Word document never has'] : ['Excel 工作簿', 'an Excel workbook never has'];
  const e = new ReadError(
    'corrupt',
    file,
    `文件 ${file} 含有 ${zh}不应有的 DTD 实体声明，已拒绝读取。`,
    `${file} contains DTD entity declarations that ${en}; refused.`,
  );
  dtdRefusals.add(e);
  return e;
}

/**
 * A sink for {@link ZipArchive.scan} that throws {@link dtdRefused} as soon as the
 * part's bytes hold `<!DOCTYPE` or `<!ENTITY` (in UTF-8 or UTF-16, also across
 * chunk boundaries). Office never writes a DTD; a DTD in a package is an attempt
 * at entity expansion ("billion laughs") or external entities.
 */
export function dtdGuard(file: string, kind: OfficeKind): (chunk: Uint8Array) => void {
  let tail = Buffer.alloc(0);
  return (chunk) => {
    const c = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const window = tail.length ? Buffer.concat([tail, c.subarray(0, DTD_CARRY)]) : null;
    for (const m of DTD_MARKERS) {
      if (c.includes(m) || window?.includes(m)) throw dtdRefused(file, kind);
    }
    tail = Buffer.from(c.subarray(Math.max(0, c.length - DTD_CARRY)));
    if (tail.length < DTD_CARRY && window) tail = Buffer.from(window.subarray(Math.max(0, window.length - DTD_CARRY)));
  };
}

/**
 * Open an archive: parse the central directory and apply the size limits.
 * Nothing is inflated yet. Throws ReadError 'corrupt' / 'zip-bomb'.
 */
export function openZip(bytes: Uint8Array, file: string, kind: OfficeKind): ZipArchive {
  const entries = parseCentralDirectory(bytes, file, kind);
  checkLimits(entries, file);
  const byName = new Map<string, ZipEntry>();
  for (const e of entries) {
    const key = e.name.replace(/^\/+/, '').toLowerCase();
    if (!byName.has(key)) byName.set(key, e);
  }
  return {
    entries,
    find: (name) => byName.get(name.replace(/^\/+/, '').toLowerCase()),
    read: (entry) => inflateEntry(bytes, entry, file, kind, true),
    verify: (entry) => {
      inflateEntry(bytes, entry, file, kind, false);
    },
    scan: (entry, sink) => {
      inflateEntry(bytes, entry, file, kind, false, sink);
    },
  };
}

/**
 * Inflate the members whose names pass `filter` (and only those), after the
 * limit checks. Keys of the result are the stored member names.
 */
export function unzip(bytes: Uint8Array, file: string, kind: OfficeKind, filter: (name: string) => boolean): Map<string, Uint8Array> {
  const zip = openZip(bytes, file, kind);
  const out = new Map<string, Uint8Array>();
  for (const e of zip.entries) if (filter(e.name) && !out.has(e.name)) out.set(e.name, zip.read(e));
  return out;
}
