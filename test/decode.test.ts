import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, looksBinary, sniffHtmlCharset } from '../src/read/decode.js';
import { LIMITS, ReadError, type ReadErrorCode } from '../src/read/errors.js';
import { readHtml } from '../src/read/html.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/html/${name}`, import.meta.url)));

const SAMPLE = '二、主动公开政府信息情况\r\n第二十条第（一）项\t规章\t0\r\n“三安全一稳定”';
const SAMPLE_LF = SAMPLE.replace(/\r\n/g, '\n');

function errorOf(fn: () => unknown): ReadError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ReadError) return e;
    throw e;
  }
  throw new Error('expected a ReadError');
}

function expectReadError(fn: () => unknown, code: ReadErrorCode, file: string): void {
  const e = errorOf(fn);
  expect(e.code).toBe(code);
  expect(e.file).toBe(file);
  expect(e.message).toContain(file);
  expect(e.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(e.en).toMatch(/[a-z]{3}/);
  expect(e.zh).toContain(file);
  expect(e.en).toContain(file);
}

/** deterministic pseudo-random bytes */
function lcgBytes(n: number, seed: number, lo = 0, hi = 255): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((x >>> 24) % (hi - lo + 1));
  }
  return out;
}

describe('decodeText: Unicode', () => {
  it('reads UTF-8 and normalises CRLF and lone CR', () => {
    const r = decodeText(Buffer.from('第一行\r\n第二行\r第三行\n'), 'a.txt');
    expect(r).toEqual({ text: '第一行\n第二行\n第三行\n', encoding: 'utf-8' });
  });

  it('strips a UTF-8 BOM', () => {
    const r = decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]), 'bom.txt');
    expect(r.encoding).toBe('utf-8');
    expect(r.text).toBe(SAMPLE_LF);
  });

  it('reads UTF-16LE and UTF-16BE with a BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(SAMPLE, 'utf16le')]);
    expect(decodeText(le, 'le.txt')).toEqual({ text: SAMPLE_LF, encoding: 'utf-16le' });
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(SAMPLE, 'utf16be')]);
    expect(decodeText(be, 'be.txt')).toEqual({ text: SAMPLE_LF, encoding: 'utf-16be' });
    expect(looksBinary(le)).toBe(false);
  });

  it('recognises BOM-less UTF-16 of mostly-ASCII text instead of calling it binary', () => {
    const text = 'Report 2021\r\nTable 1: 0 0 0\r\n一、总体情况';
    expect(decodeText(iconv.encode(text, 'utf16le'), 'x.txt')).toEqual({ text: text.replace(/\r\n/g, '\n'), encoding: 'utf-16le' });
    expect(decodeText(iconv.encode(text, 'utf16be'), 'x.txt').encoding).toBe('utf-16be');
  });

  it('tolerates a UTF-8 file cut in the middle of its last character', () => {
    const bytes = Buffer.from('主动公开政府信息情况');
    expect(decodeText(bytes.subarray(0, bytes.length - 1), 'cut.txt')).toEqual({ text: '主动公开政府信息情', encoding: 'utf-8' });
  });
});

describe('decodeText: legacy Chinese encodings', () => {
  const utf8Page = fixture('report-2021.html').toString('utf8');
  const gbkBytes = fixture('report-2021-gbk.html');

  it('reads the GBK page declared with <meta charset="gbk">', () => {
    const r = decodeText(gbkBytes, 'gbk.html', { htmlCharset: true });
    expect(r.encoding).toBe('gb18030');
    expect(r.text).toContain('<meta charset="gbk">');
    expect(r.text).toContain('3.危及“三安全一稳定”');
    expect(r.text).toBe(utf8Page.replace('<meta charset="utf-8">', '<meta charset="gbk">'));
    // the decoded GBK page reads exactly like the UTF-8 original
    expect(readHtml(r.text, 'p.html')).toEqual(readHtml(utf8Page, 'p.html'));
  });

  it('detects GBK without any declaration', () => {
    const r = decodeText(iconv.encode(SAMPLE, 'gbk'), 'gbk.txt');
    expect(r).toEqual({ text: SAMPLE_LF, encoding: 'gb18030' });
    expect(looksBinary(iconv.encode(SAMPLE, 'gbk'))).toBe(false);
  });

  it('reads GB18030 four-byte characters', () => {
    const text = '政府信息公开 𠀀 €';
    expect(decodeText(iconv.encode(text, 'gb18030'), 'x.txt').text).toBe(text);
  });

  it('sniffs meta charset and http-equiv declarations', () => {
    expect(sniffHtmlCharset(Buffer.from('<meta charset="GB2312">'))).toBe('gb18030');
    expect(sniffHtmlCharset(Buffer.from('<META http-equiv="Content-Type" content="text/html; charset=gbk" />'))).toBe('gb18030');
    expect(sniffHtmlCharset(Buffer.from("<meta charset='big5'>"))).toBe('big5');
    expect(sniffHtmlCharset(Buffer.from('<?xml version="1.0" encoding="UTF-8"?>'))).toBe('utf-8');
    expect(sniffHtmlCharset(Buffer.from('<meta charset="iso-8859-1">'))).toBeNull();
    expect(sniffHtmlCharset(Buffer.from(`${' '.repeat(3000)}<meta charset="big5">`))).toBeNull();
  });

  it('honours a Big5 declaration', () => {
    const bytes = Buffer.concat([Buffer.from('<meta charset="big5"><p>'), iconv.encode('政府資訊公開工作年度報告', 'big5')]);
    expect(decodeText(bytes, 'b5.html', { htmlCharset: true })).toEqual({
      text: '<meta charset="big5"><p>政府資訊公開工作年度報告',
      encoding: 'big5',
    });
  });

  it('reads a page re-saved as UTF-8 whose meta still says gb2312 as UTF-8', () => {
    const html = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>主动公开政府信息情况</p>';
    expect(decodeText(Buffer.from(html), 'x.html', { htmlCharset: true })).toEqual({ text: html, encoding: 'utf-8' });
  });

  it('falls back to GB18030 when a page declares UTF-8 but is GBK', () => {
    const bytes = iconv.encode('<meta charset="utf-8"><p>主动公开政府信息情况</p>', 'gbk');
    expect(decodeText(bytes, 'x.html', { htmlCharset: true }).text).toBe('<meta charset="utf-8"><p>主动公开政府信息情况</p>');
  });

  it('trusts an explicit GBK declaration even for text with many rare characters', () => {
    const rare = '<meta charset="gbk">' + '丂丄丅丆丏丒丗丟丠両丣並丩丮丯丱丳丵丷丼乀乁乂乄乆乊乑乕乗乚乛乢乣乤乥乧乨乪乫乬乭乮乯乲乴';
    const bytes = iconv.encode(rare, 'gbk');
    expect(decodeText(bytes, 'x.html', { htmlCharset: true }).text).toBe(rare);
    expectReadError(() => decodeText(bytes.subarray(20), 'rare.txt'), 'encoding', 'rare.txt');
  });
});

describe('decodeText: rejected input', () => {
  it('empty and whitespace-only input', () => {
    expectReadError(() => decodeText(new Uint8Array(0), 'empty.txt'), 'empty', 'empty.txt');
    expectReadError(() => decodeText(Buffer.from(' \r\n\t\u3000\u00a0'), 'ws.txt'), 'empty', 'ws.txt');
    expectReadError(() => decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x0a]), 'bom.txt'), 'empty', 'bom.txt');
    expectReadError(() => decodeText(Buffer.from([0xff, 0xfe, 0x20, 0x00]), 'u16.txt'), 'empty', 'u16.txt');
  });

  it('NUL bytes, binary signatures, control characters and random bytes are binary', () => {
    expectReadError(() => decodeText(Buffer.from('abc\0def 政府'), 'nul.txt'), 'binary', 'nul.txt');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x41, 0x42]);
    expectReadError(() => decodeText(png, 'img.png'), 'binary', 'img.png');
    expectReadError(() => decodeText(Buffer.from('ab\x01\x02\x03\x04cd\x05\x06\x07\x08'), 'ctl.txt'), 'binary', 'ctl.txt');
    expectReadError(() => decodeText(lcgBytes(4096, 7), 'random.bin'), 'binary', 'random.bin');
    // NUL high bytes of 16-bit binary numbers are not BOM-less UTF-16 text
    const words = new Uint8Array(400);
    for (let i = 0; i < 200; i++) {
      words[2 * i] = i % 3 === 0 ? 0x41 : (i & 0xff) | 1;
      words[2 * i + 1] = i % 3 === 0 ? 0 : 0xac + (i % 16);
    }
    expectReadError(() => decodeText(words, 'words.bin'), 'binary', 'words.bin');
    // a binary signature wins over the UTF-16 guess
    const zip = Buffer.from('PK\x03\x04' + 'a\0'.repeat(50), 'latin1');
    expectReadError(() => decodeText(zip, 'x.zip'), 'binary', 'x.zip');
    // UTF-16 whose content is control characters
    expectReadError(() => decodeText(Buffer.from([0xff, 0xfe, 1, 0, 2, 0, 3, 0, 0x41, 0]), 'u16.txt'), 'binary', 'u16.txt');
    // a UTF-8 BOM followed by mostly invalid bytes: replacement characters
    const junk = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('ab'), lcgBytes(200, 3, 0x80, 0xbf)]);
    expectReadError(() => decodeText(junk, 'junk.txt'), 'binary', 'junk.txt');
  });

  it('text in neither UTF-8 nor plausible GB18030 is an encoding error', () => {
    expectReadError(() => decodeText(lcgBytes(4096, 11, 0x81, 0xfe), 'high.txt'), 'encoding', 'high.txt');
    const sjis = iconv.encode('これは日本語のテキストです。カタカナとひらがな。', 'shift_jis');
    expectReadError(() => decodeText(sjis, 'sjis.txt'), 'encoding', 'sjis.txt');
    expectReadError(() => decodeText(Buffer.from('caf\xe9 na\xefve r\xe9sum\xe9 \xe0 la carte', 'latin1'), 'l1.txt'), 'encoding', 'l1.txt');
    // Big5 without a declaration is not guessed
    expectReadError(() => decodeText(iconv.encode('政府資訊公開工作年度報告，本機關', 'big5'), 'b5.txt'), 'encoding', 'b5.txt');
  });

  it('refuses input above the size limit', () => {
    expectReadError(() => decodeText(new Uint8Array(LIMITS.maxFileBytes + 1), 'big.txt'), 'too-large', 'big.txt');
  });
});

describe('looksBinary', () => {
  it('flags binary formats and control-heavy bytes, not text', () => {
    expect(looksBinary(Buffer.from('%PDF-1.7\n%âãÏÓ\n'))).toBe(true);
    expect(looksBinary(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toBe(true);
    expect(looksBinary(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe(true);
    expect(looksBinary(lcgBytes(1000, 5))).toBe(true);
    expect(looksBinary(Buffer.from('plain 文本\twith tabs\r\n'))).toBe(false);
    expect(looksBinary(Buffer.from('\x1b[1m粗体\x1b[0m'))).toBe(false);
    expect(looksBinary(new Uint8Array(0))).toBe(false);
  });
});
