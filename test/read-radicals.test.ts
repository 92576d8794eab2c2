/**
 * Radical code points in place of ideographs (PDF print-outs map glyphs to the
 * Kangxi Radicals and CJK Radicals Supplement blocks; text copied out of them
 * keeps them): every reader's output is mapped back to the ideographs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';
import { unifyRadicals } from '../src/read/radicals.js';
import { tables } from './helpers/expect-report.js';
import { SEEDS, seedFiles } from './helpers/paths.js';

/** ideograph → the radical code point such PDFs use for it */
const AS_RADICAL: Record<string, string> = {
  一: '\u2f00',
  二: '\u2f06',
  人: '\u2f08',
  工: '\u2f2f',
  文: '\u2f42',
  止: '\u2f4c',
  自: '\u2f83',
  行: '\u2f8f',
  民: '\u2ea0',
  长: '\u2ed3',
  门: '\u2ed4',
  见: '\u2ec5',
  龙: '\u2ef0',
  马: '\u2ee2',
  车: '\u2ecb',
  页: '\u2eda',
};
const radicalise = (s: string) => s.replace(/[一二人工文止自行民长门见龙马车页]/g, (c) => AS_RADICAL[c]);

describe('radical code points', () => {
  it('maps Kangxi radicals and the supplement back, one code unit for one, and leaves other text alone', () => {
    const text = '中华人民共和国政府信息公开工作年度报告 一、总体情况 长江门户 自行车 页码';
    const r = radicalise(text);
    expect(r).not.toBe(text);
    expect(unifyRadicals(r)).toBe(text);
    expect(unifyRadicals(r).length).toBe(r.length);
    expect(unifyRadicals('⺀⻱ ⿕')).toBe('⺀龜 龠'); // U+2E80 has no equivalent; U+2FD5 is 龠
    const plain = '没有部首字符的文字 abc 123';
    expect(unifyRadicals(plain)).toBe(plain);
  });

  it('reads every seed written with radical code points as the seed: agency, year, tables', async () => {
    for (const f of seedFiles()) {
      const src = readFileSync(join(SEEDS, f), 'utf8');
      const original = await parseBytes(new TextEncoder().encode(src), f);
      const r = await parseBytes(new TextEncoder().encode(radicalise(src)), f);
      expect(tables(r), f).toEqual(tables(original));
      expect(r.agency, f).toBe(original.agency);
      expect(r.year, f).toBe(original.year);
      expect(r.sections, f).toEqual(original.sections);
    }
  });
});
