/**
 * Legacy Word (.doc) files: read like the same report saved as text, with
 * positions in the extracted text; damaged and crafted files end with a clear
 * error, never a hang. Fixtures: LibreOffice's .doc of two seeds (rendered as
 * DOCX by the test layouts) and of the corpus DOCX template.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';
import { ReadError } from '../src/read/errors.js';
import { readDocument } from '../src/read/index.js';
import { nianbao } from './helpers/cli.js';
import { tables } from './helpers/expect-report.js';
import { CORPUS, SEEDS } from './helpers/paths.js';

const fixture = (name: string) => resolve(import.meta.dirname, 'fixtures/doc', name);
const bytesOf = (path: string) => new Uint8Array(readFileSync(path));

describe('legacy Word (.doc)', () => {
  it('reads a seed saved as .doc into the same tables, agency and year as the seed', async () => {
    for (const [doc, seed] of [
      ['seed-000.doc', '000_1dfa6bf3088a5125.txt'],
      ['seed-001.doc', '001_bafcd2ea084bb138.txt'],
    ]) {
      const r = await parseBytes(bytesOf(fixture(doc)), doc);
      const original = await parseBytes(bytesOf(join(SEEDS, seed)), seed);
      expect(tables(r), doc).toEqual(tables(original));
      expect(r.agency, doc).toBe(original.agency);
      expect(r.year, doc).toBe(original.year);
      expect(r.format, doc).toBe(original.format);
    }
  });

  it('reads the corpus template saved as .doc as the DOCX itself', async () => {
    const r = await parseBytes(bytesOf(fixture('template-2021.doc')), 'template-2021.doc');
    const docx = await parseBytes(bytesOf(join(CORPUS, 'docx/template-2021.docx')), 'template-2021.docx');
    expect(tables(r)).toEqual(tables(docx));
  });

  it('is chosen by content (a WordDocument stream), whatever the name, and points cells at the extracted text', async () => {
    const doc = await readDocument(bytesOf(fixture('seed-000.doc')), 'report.bin');
    expect(doc.kind).toBe('doc');
    const lines = (doc.sourceText ?? '').split('\n');
    let cells = 0;
    for (const b of doc.blocks) {
      if (b.type !== 'table') continue;
      for (const row of b.rows) {
        for (const c of row) {
          if (c.text === '' || c.prov.kind !== 'text') continue;
          expect(lines[c.prov.line - 1].slice(c.prov.column - 1).startsWith(c.text), c.text).toBe(true);
          cells++;
        }
      }
    }
    expect(cells).toBeGreaterThan(100);
  });

  it('the command line names the kind of input', async () => {
    const r = await nianbao('parse', fixture('seed-000.doc'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^文件：.*seed-000\.doc（Word 97–2003 文档）$/m);
  });

  it('refuses a damaged .doc with exit 2 and one bilingual sentence naming the file', async () => {
    // its allocation table and the start of its streams overwritten (the directory is intact)
    const bytes = bytesOf(fixture('template-2021.doc'));
    bytes.fill(0xff, 512, 30_000);
    await expect(readDocument(bytes, 'cut.doc')).rejects.toMatchObject({ code: 'corrupt' });
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-doc-'));
    const path = join(dir, 'cut.doc');
    writeFileSync(path, bytes);
    try {
      const r = await nianbao('parse', path);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^错误：.*旧版 Word（\.doc）.*cut\.doc/m);
      expect(r.stderr).toMatch(/^Error: .*legacy Word \(\.doc\).*cut\.doc/m);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a password-protected .doc as encrypted', async () => {
    const bytes = bytesOf(fixture('seed-000.doc'));
    // the WordDocument stream starts with the FIB (0xA5EC) at a sector boundary; set its fEncrypted flag
    let fib = -1;
    for (let at = 512; at + 12 <= bytes.length; at += 512) {
      if (bytes[at] === 0xec && bytes[at + 1] === 0xa5) {
        fib = at;
        break;
      }
    }
    expect(fib).toBeGreaterThan(0);
    bytes[fib + 0x0b] |= 0x01;
    const e = await readDocument(bytes, 'secret.doc').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'encrypted' });
    expect(String((e as ReadError).message)).toMatch(/已加密.*secret\.doc.*encrypted/s);
  });

  it('says so when an OLE file holds no Word document (another Office format, or a damaged one)', async () => {
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const e = await readDocument(ole, 'slides.doc').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ReadError);
    expect(e).toMatchObject({ code: 'unsupported' });
    expect(String((e as ReadError).message)).toMatch(/读不到 Word 97–2003 正文.*no Word 97–2003 text/s);
  });

  it('a .doc with random bytes changed (headers, tables, directory, text) is read or refused with a ReadError, never a crash', async () => {
    const original = bytesOf(fixture('seed-000.doc'));
    let state = 20261122;
    const rnd = () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state / 0x7fffffff;
    };
    const outcomes = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const b = original.slice();
      const n = 1 + Math.floor(rnd() * 20);
      for (let k = 0; k < n; k++) b[rnd() < 0.5 ? Math.floor(rnd() * 2048) : Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      try {
        const doc = await readDocument(b, 'mutated.doc');
        expect(doc.blocks.length).toBeGreaterThan(0);
        outcomes.add('read');
      } catch (e) {
        expect(e).toBeInstanceOf(ReadError);
        outcomes.add((e as ReadError).code);
      }
    }
    // both outcomes occur, so the mutations reach the parser and its error paths
    expect(outcomes.has('read')).toBe(true);
    expect(outcomes.has('corrupt')).toBe(true);
  }, 60_000);

  it('does not hang on a sector chain that loops back or a directory that contains itself', async () => {
    const original = bytesOf(fixture('seed-000.doc'));
    const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
    const sectorSize = 1 << view(original).getUint16(0x1e, true);
    const fatAt = (view(original).getInt32(0x4c, true) + 1) * sectorSize; // the first FAT sector
    const dirStart = view(original).getInt32(0x30, true);

    // the directory's chain: its first sector → sector 1 → its first sector → …
    const loop = original.slice();
    view(loop).setInt32(fatAt + dirStart * 4, 1, true);
    view(loop).setInt32(fatAt + 1 * 4, dirStart, true);
    await expect(readDocument(loop, 'loop.doc')).rejects.toBeInstanceOf(ReadError);

    // the root entry's child is the root entry itself
    const self = original.slice();
    const dirAt = (dirStart + 1) * sectorSize;
    view(self).setInt32(dirAt + 76, 0, true); // root (entry 0): storageDirId → 0
    view(self).setInt32(dirAt + 68, 0, true); // and its left sibling → 0
    await readDocument(self, 'self.doc').catch((e) => expect(e).toBeInstanceOf(ReadError));
  });
});
