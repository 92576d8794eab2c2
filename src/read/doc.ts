/**
 * Legacy Word reader (.doc, the Word 97–2003 binary format, still what many
 * agencies publish). The text is taken out of the file by the `word-extractor`
 * package, which writes it as Word's own "save as plain text" does: one line
 * per paragraph, table cells separated by tabs and rows ended by line ends.
 * That text is read by the plain-text reader, so a .doc reads exactly like the
 * same report saved as text (tests compare it with the DOCX it was saved from).
 *
 * Provenance: line and column in that text (`sourceText` of the document
 * model), the document's paragraphs in order.
 *
 * An encrypted document (its FIB says so) is refused as 'encrypted' before
 * its ciphertext could be read as text.
 *
 * Robustness: word-extractor follows the compound file's sector chains and
 * directory tree as written. A damaged or crafted file could make a chain or
 * the tree loop (a chain that comes back to itself; directory entries that
 * share or contain each other), which would hang the reader or exhaust memory.
 * Its two walkers are replaced, once, by versions that visit each sector and
 * each entry at most once and reject a cycle (`hardenWordExtractor`).
 *
 * Those replacements (and the encrypted-document check) are written for one release of
 * word-extractor, {@link WORD_EXTRACTOR_VERSION}: with any other installed, the first .doc fails
 * loudly ({@link assertWordExtractorVersion}) instead of patching internals that may have moved,
 * and a test asserts that the installed release is that one. To upgrade word-extractor: re-check
 * `hardenWordExtractor` and `refuseEncrypted` against its lib/ (test/read-doc.test.ts), then update
 * WORD_EXTRACTOR_VERSION.
 */
import { createRequire } from 'node:module';
import type { DocumentModel } from './document.js';
import { ReadError } from './errors.js';
import { readText } from './text.js';

const require = createRequire(import.meta.url);

/** the word-extractor release whose internals `hardenWordExtractor` and `refuseEncrypted` replace (package.json pins it exactly) */
export const WORD_EXTRACTOR_VERSION = '1.0.4';

/** the version of the installed word-extractor (its package.json) */
export function installedWordExtractorVersion(): string {
  return (require('word-extractor/package.json') as { version: string }).version;
}

/**
 * Throws unless `found` (default: the installed word-extractor) is {@link WORD_EXTRACTOR_VERSION}.
 * The error is a ReadError ('unsupported'), so its two sentences reach the user as they are.
 */
export function assertWordExtractorVersion(found: string = installedWordExtractorVersion()): void {
  if (found === WORD_EXTRACTOR_VERSION) return;
  const zh = `Word 组件版本不符：nianbao 对 word-extractor 内部的替换（src/read/doc.ts）是为 ${WORD_EXTRACTOR_VERSION} 版编写的，而安装的是 ${found}；请先对照新版本核对 hardenWordExtractor 和 refuseEncrypted，再更新其中的 WORD_EXTRACTOR_VERSION（或重新安装 word-extractor@${WORD_EXTRACTOR_VERSION}）。`;
  const en = `Word library version mismatch: nianbao's replacements of word-extractor internals (src/read/doc.ts) were written for ${WORD_EXTRACTOR_VERSION}, but ${found} is installed; re-check hardenWordExtractor and refuseEncrypted against the new version, then update WORD_EXTRACTOR_VERSION there (or reinstall word-extractor@${WORD_EXTRACTOR_VERSION}).`;
  const e = new ReadError('unsupported', '', zh, en);
  e.message = `${zh}\n${en}`;
  throw e;
}

interface WordExtractorInstance {
  extract(source: Buffer): Promise<{ getBody(): string }>;
}

let extractor: WordExtractorInstance | null = null;

interface DirEntry {
  name: string;
  type: number;
  left: number;
  right: number;
  storageDirId: number;
  storages?: Record<string, DirEntry>;
  streams?: Record<string, DirEntry>;
}

const STORAGE = 1;
const STREAM = 2;
const LEAF = -1;

/** Replace word-extractor's sector-chain and directory walkers by ones that cannot loop. */
function hardenWordExtractor(): void {
  const AllocationTable = require('word-extractor/lib/ole-allocation-table.js') as {
    prototype: { _table: number[]; getSecIdChain(start: number): number[] };
  };
  AllocationTable.prototype.getSecIdChain = function getSecIdChain(this: { _table: number[] }, start: number): number[] {
    const table = this._table;
    const chain: number[] = [];
    // a chain visits each sector at most once: a longer one has a cycle
    for (let secId = start; secId > -1; secId = table[secId]) {
      if (chain.length >= table.length) throw new Error('the sector chain of the compound file loops');
      chain.push(secId);
    }
    return chain;
  };
  const DirectoryTree = require('word-extractor/lib/ole-directory-tree.js') as {
    prototype: {
      _entries: DirEntry[];
      _getChildIds(entry: DirEntry): number[];
      _buildHierarchy(entry: DirEntry, seen?: Set<DirEntry>): void;
    };
  };
  DirectoryTree.prototype._getChildIds = function getChildIds(this: { _entries: DirEntry[] }, storage: DirEntry): number[] {
    const entries = this._entries;
    const ids: number[] = [];
    const seen = new Set<number>();
    const stack = storage.storageDirId > LEAF ? [storage.storageDirId] : [];
    while (stack.length > 0) {
      const id = stack.pop() as number;
      const e = entries[id];
      if (seen.has(id) || e === undefined) continue;
      seen.add(id);
      ids.push(id);
      if (e.right !== LEAF) stack.push(e.right);
      if (e.left !== LEAF) stack.push(e.left);
    }
    return ids;
  };
  DirectoryTree.prototype._buildHierarchy = function buildHierarchy(
    this: { _entries: DirEntry[]; _getChildIds(entry: DirEntry): number[]; _buildHierarchy(entry: DirEntry, seen?: Set<DirEntry>): void },
    storage: DirEntry,
    seen: Set<DirEntry> = new Set(),
  ): void {
    if (seen.has(storage)) return; // a storage reached twice (or inside itself) is built once
    seen.add(storage);
    storage.storages = {};
    storage.streams = {};
    for (const id of this._getChildIds(storage)) {
      const child = this._entries[id];
      if (child.type === STORAGE) storage.storages[child.name] = child;
      if (child.type === STREAM) storage.streams[child.name] = child;
    }
    for (const name in storage.storages) this._buildHierarchy(storage.storages[name], seen);
  };
}

/** thrown (through word-extractor) for a document whose FIB says it is encrypted */
class EncryptedDocument extends Error {}

/** Refuse an encrypted document (FIB flag fEncrypted) before word-extractor reads ciphertext as text. */
function refuseEncrypted(): void {
  const WordOleExtractor = require('word-extractor/lib/word-ole-extractor.js') as {
    prototype: { extractWordDocument(document: unknown, buffer: Buffer): Promise<unknown> };
  };
  const extract = WordOleExtractor.prototype.extractWordDocument;
  WordOleExtractor.prototype.extractWordDocument = function extractWordDocument(document: unknown, buffer: Buffer) {
    // the FIB: wIdent 0xA5EC, then at 0x0A the flags; 0x0100 is fEncrypted
    if (buffer.length >= 0x0c && buffer.readUInt16LE(0) === 0xa5ec && (buffer.readUInt16LE(0x0a) & 0x0100) !== 0) {
      return Promise.reject(new EncryptedDocument('encrypted'));
    }
    return extract.call(this, document, buffer);
  };
}

function wordExtractor(): WordExtractorInstance {
  if (extractor === null) {
    assertWordExtractorVersion();
    hardenWordExtractor();
    refuseEncrypted();
    const WordExtractor = require('word-extractor') as new () => WordExtractorInstance;
    extractor = new WordExtractor();
  }
  return extractor;
}

/** Read a legacy Word (.doc) file. Throws ReadError 'corrupt' when its text cannot be taken out. */
export async function readDoc(bytes: Uint8Array, file: string): Promise<DocumentModel> {
  let text: string;
  try {
    const doc = await wordExtractor().extract(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    text = doc.getBody();
  } catch (e) {
    // another word-extractor: its own message, not “damaged”
    if (e instanceof ReadError) throw e;
    if (e instanceof EncryptedDocument) {
      throw new ReadError(
        'encrypted',
        file,
        `文件“${file}”已加密（设置了打开密码），无法读取；请在 Word 或 WPS 中取消密码后另存为 .docx 再试。`,
        `"${file}" is encrypted (password-protected); remove the password in Word or WPS, save it as .docx and try again.`,
      );
    }
    const why = e instanceof Error ? e.message : String(e);
    throw new ReadError(
      'corrupt',
      file,
      `无法读取旧版 Word（.doc）文件“${file}”：文件已损坏，或不是 Word 97–2003 文档（${why}）。请用 Word 或 WPS 打开后另存为 .docx 再试。`,
      `cannot read the legacy Word (.doc) file "${file}": it is damaged or not a Word 97–2003 document (${why}); open it in Word or WPS, save it as .docx and try again.`,
    );
  }
  if (text.trim() === '') {
    throw new ReadError('empty', file, `文件“${file}”中没有可读取的文字。`, `"${file}" contains no readable text.`);
  }
  const model = readText(text, file, 'text');
  return { ...model, kind: 'doc', sourceText: text };
}
