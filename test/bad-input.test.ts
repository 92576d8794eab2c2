/**
 * Every kind of bad input ends with exit status 2 and one clear sentence in
 * Chinese and English naming the file: never a stack trace, never a hang.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { billionLaughsDocx, billionLaughsXlsx, hugeXlsx } from './fixtures/hostile/make-hostile.js';
import { oleBytes, patchDeclaredSize, randomBytes } from './fixtures/office/make-fixtures.js';
import { sampleReport2021 } from './helpers/arbitrary.js';
import { nianbao } from './helpers/cli.js';
import { CORPUS } from './helpers/paths.js';
import { makePdf } from './helpers/pdf.js';
import { toDocx, toXlsx } from './helpers/variants.js';

let dir: string;
const cases: Record<string, { bytes: Uint8Array; expect: RegExp }> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nianbao-bad-'));
  const docx = await toDocx(sampleReport2021());
  const xlsx = await toXlsx(sampleReport2021());
  const pdf = new Uint8Array(readFileSync(join(CORPUS, 'pdf', 'huaian-hongze-2024.pdf')));
  const add = (name: string, bytes: Uint8Array, expect: RegExp) => {
    cases[name] = { bytes, expect };
    writeFileSync(join(dir, name), bytes);
  };
  add('truncated.docx', docx.slice(0, Math.floor(docx.length / 2)), /损坏|corrupt|damaged/i);
  add('truncated.xlsx', xlsx.slice(0, Math.floor(xlsx.length / 2)), /损坏|corrupt|damaged/i);
  add('truncated.pdf', pdf.slice(0, Math.floor(pdf.length / 2)), /损坏|corrupt|damaged|truncated/i);
  add('garbage.pdf', new Uint8Array([...Buffer.from('%PDF-1.7\n'), ...randomBytes(20000)]), /PDF/);
  add('garbage.docx', randomBytes(30000, 7), /.+/);
  // hostile files (test/fixtures/hostile): refused with a clear sentence, quickly and in little memory
  add(
    'flate-bomb.pdf',
    new Uint8Array(readFileSync(resolve(import.meta.dirname, 'fixtures/hostile/flate-bomb.pdf'))),
    /解压缩炸弹.*decompression bomb/s,
  );
  add('laughs.docx', billionLaughsDocx(), /DTD/);
  add('laughs.xlsx', billionLaughsXlsx(), /DTD/);
  add('million.xlsx', hugeXlsx(), /200000/);
  add('bomb.docx', patchDeclaredSize(docx, 'word/document.xml', 1024 * 1024 * 1024), /压缩|bomb/i);
  // an OLE file that names a WordDocument stream but is not a valid compound file: a damaged .doc
  add('legacy.doc', oleBytes(false), /旧版 Word（\.doc）.*已损坏.*另存.*legacy Word \(\.doc\).*damaged/is);
  add('encrypted.docx', oleBytes(true), /加密|encrypted|password/i);
  add('secret.pdf', new Uint8Array(readFileSync(resolve(import.meta.dirname, 'fixtures/pdf/encrypted.pdf'))), /加密|password/i);
  add('scan.pdf', makePdf(['0 0 1 rg 100 100 300 400 re f', '0 G 50 50 m 500 700 l S']), /文字|text layer/i);
  add(
    'shift-jis.txt',
    iconv.encode('政府情報公開年次報告書：これは日本語の文書です。申請件数は十件でした。'.repeat(20), 'shift_jis'),
    /编码|encoding/i,
  );
  add('empty.html', new Uint8Array(), /空|empty/i);
});

describe('bad input', () => {
  it('each file alone: exit 2 and a clear bilingual sentence', async () => {
    for (const [name, c] of Object.entries(cases)) {
      const r = await nianbao('parse', join(dir, name));
      expect(r.code, name).toBe(2);
      expect(r.stdout, name).toBe('');
      const [zh, en] = r.stderr.trim().split('\n');
      expect(zh, name).toMatch(/^错误：.*[\u4e00-\u9fff]/);
      expect(zh, name).toContain(name);
      expect(en, name).toMatch(/^Error: /);
      expect(en, name).toContain(name);
      expect(r.stderr, name).toMatch(c.expect);
      expect(r.stderr, name).not.toMatch(/\n\s+at /);
    }
  });

  it('in bulk: one error line per bad file, the run goes on', async () => {
    const r = await nianbao('parse', dir, '--json');
    expect(r.code).toBe(2);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file.split('/').pop()).sort()).toEqual(Object.keys(cases).sort());
    for (const l of lines) {
      expect(l.error, l.file).toMatch(/[\u4e00-\u9fff].*[A-Za-z]{4,}/);
      expect(l.format, l.file).toBeUndefined();
    }
  });
});
