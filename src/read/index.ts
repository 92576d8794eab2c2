/**
 * Reading any supported input: the reader is chosen by content (magic bytes,
 * markup), the extension only breaks ties between text kinds.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { decodeText } from './decode.js';
import type { DocumentModel, InputKind } from './document.js';
import { LIMITS, ReadError } from './errors.js';
import { mayHoldRadicals, unifyDocumentRadicals } from './radicals.js';
import { readText } from './text.js';

// readers with heavy dependencies (pdfjs, exceljs, parse5, fflate, word-extractor) are loaded on
// first use, once: reading text loads none of them
function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => {
    p ??= load();
    return p;
  };
}
const pdf = lazy(() => import('./pdf.js'));
const docx = lazy(() => import('./docx.js'));
const xlsx = lazy(() => import('./xlsx.js'));
const html = lazy(() => import('./html.js'));
const markdown = lazy(() => import('./markdown.js'));
const doc = lazy(() => import('./doc.js'));
const zip = lazy(() => import('./zip.js'));
const readPdf = async (b: Uint8Array, f: string) => (await pdf()).readPdf(b, f);
const readDocx = async (b: Uint8Array, f: string) => (await docx()).readDocx(b, f);
const readXlsx = async (b: Uint8Array, f: string) => (await xlsx()).readXlsx(b, f);
const readHtml = async (t: string, f: string) => (await html()).readHtml(t, f);
const readMarkdown = async (t: string, f: string) => (await markdown()).readMarkdown(t, f);
const readDoc = async (b: Uint8Array, f: string) => (await doc()).readDoc(b, f);
const hasWordDocumentStream = async (b: Uint8Array) => (await zip()).hasWordDocumentStream(b);

function startsWith(b: Uint8Array, sig: number[]): boolean {
  return sig.every((x, i) => b[i] === x);
}

function containsAscii(b: Uint8Array, s: string, limit = b.length): boolean {
  const n = Math.min(limit, b.length);
  const first = s.charCodeAt(0);
  outer: for (let i = 0; i + s.length <= n; i++) {
    if (b[i] !== first) continue;
    for (let k = 1; k < s.length; k++) if (b[i + k] !== s.charCodeAt(k)) continue outer;
    return true;
  }
  return false;
}

/** the kind of input, decided by content */
export function sniff(bytes: Uint8Array, file: string): InputKind | 'zip' | 'ole' {
  if (containsAscii(bytes, '%PDF-', 1024)) return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    if (containsAscii(bytes, 'word/')) return 'docx';
    if (containsAscii(bytes, 'xl/')) return 'xlsx';
    return 'zip';
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  const ext = extname(file).toLowerCase();
  if (ext === '.md' || ext === '.markdown') return 'markdown';
  return 'text';
}

function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4096);
  if (head.indexOf('<') === -1) return false;
  if (/<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]/i.test(head)) return true;
  // a fragment: markup from the first character on
  return /^\s*<[a-z!]/i.test(head) && /<(table|div|p|section|article)[\s>]/i.test(head);
}

function looksLikeMarkdown(text: string): boolean {
  // (the regular expressions only where their first character occurs: most text has neither)
  return (
    (text.indexOf('|') !== -1 && /^\s*\|.*\|\s*$\n^\s*\|?\s*:?-{3,}/m.test(text)) ||
    (text.indexOf('#') !== -1 && /^#{1,6}\s+\S/m.test(text))
  );
}

/** read bytes into the document model (radical code points standing for ideographs mapped back: radicals.ts) */
export async function readDocument(bytes: Uint8Array, file: string): Promise<DocumentModel> {
  const read = await readAny(bytes, file);
  // a text input is checked once, as a whole (most have no radical code point)
  const doc = read.text !== undefined && !mayHoldRadicals(read.text) ? read.doc : unifyDocumentRadicals(read.doc);
  // the decoded text the line/column provenance of a text, Markdown or HTML input refers to
  if (read.text !== undefined && doc.sourceText === undefined) doc.sourceText = read.text;
  return doc;
}

/** the document, and the decoded text it was read from when the input is text */
async function readAny(bytes: Uint8Array, file: string): Promise<{ doc: DocumentModel; text?: string }> {
  if (bytes.length === 0) throw new ReadError('empty', file, `文件 ${file} 是空文件。`, `File ${file} is empty.`);
  if (bytes.length > LIMITS.maxFileBytes) throw tooLarge(file, bytes.length);
  const kind = sniff(bytes, file);
  switch (kind) {
    case 'pdf':
      return { doc: await readPdf(bytes, file) };
    case 'ole':
      // an OLE compound file: a legacy .xls (refused by the XLSX reader with its message), a Word
      // 97–2003 .doc (it has a WordDocument stream), or else (an encrypted DOCX, …) refused by the DOCX reader
      if (/\.xlsx?$/i.test(file)) return { doc: await readXlsx(bytes, file) };
      return { doc: (await hasWordDocumentStream(bytes)) ? await readDoc(bytes, file) : await readDocx(bytes, file) };
    case 'docx':
      return { doc: await readDocx(bytes, file) };
    case 'xlsx':
      return { doc: await readXlsx(bytes, file) };
    case 'zip':
      throw new ReadError(
        'unsupported',
        file,
        `文件 ${file} 是压缩包，不是 DOCX 或 XLSX 文档。`,
        `File ${file} is a ZIP archive, not a DOCX or XLSX document.`,
      );
    default: {
      if (bytes.length > LIMITS.maxTextBytes) throw tooLarge(file, bytes.length, LIMITS.maxTextBytes, '文本');
      const { text } = decodeText(bytes, file, { htmlCharset: true });
      if (kind === 'markdown') return { doc: await readMarkdown(text, file), text };
      if (looksLikeHtml(text)) return { doc: await readHtml(text, file), text };
      if (looksLikeMarkdown(text)) return { doc: await readMarkdown(text, file), text };
      return { doc: readText(text, file), text };
    }
  }
}

function tooLarge(file: string, size: number, limit: number = LIMITS.maxFileBytes, what = ''): ReadError {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0);
  return new ReadError(
    'too-large',
    file,
    `文件 ${file} 太大（${mb(size)} MB），超过${what ? `${what}文件` : ''} ${mb(limit)} MB 的上限。`,
    `File ${file} is too large (${mb(size)} MB); the limit${what ? ' for text files' : ''} is ${mb(limit)} MB.`,
  );
}

/** read a file from disk, refusing oversized files before reading them */
export async function readDocumentFile(path: string): Promise<DocumentModel> {
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new ReadError('unsupported', path, `${path} 是文件夹，不是文件。`, `${path} is a folder, not a file.`);
    size = st.size;
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw new ReadError('not-found', path, `找不到文件 ${path}。`, `File ${path} was not found.`);
  }
  if (size > LIMITS.maxFileBytes) throw tooLarge(path, size);
  const bytes = new Uint8Array(await readFile(path));
  return readDocument(bytes, path);
}
