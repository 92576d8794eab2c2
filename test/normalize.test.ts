import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arabicDates, normalizeReference, normLabel, normLabelUncached } from '../src/util/normalize.js';

/** characters labels and narrative are written with, and the ones normalisation changes */
const ALPHABET = [
  ...'政府信息公开申请一二三四五六七八九十年度报告行政许可处罚',
  ...'0123456789abcXYZ .,;:-/()[]"\'#',
  ...'０１２３４５６７８９ＡＺａｚ（）［］＂，．：；？！／－',
  ...'、。〈〉《》「」『』【】〔〕〖〗‘’“”—…·①⑴㈠ⅡＩ',
  '\u3000',
  '\u00a0',
  '\u200b',
  '\ufeff',
  '\t',
  '\n',
  '\u2002',
  'é',
  'e\u0301',
  '𠀀',
  '\ufa10',
  '\u2f08',
];

describe('normLabel', () => {
  it('gives what the step-by-step normalisation (NFKC, then the replacements) gives, for any string', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 40 }), (chars) => {
        const s = chars.join('');
        expect(normLabelUncached(s)).toBe(normalizeReference(s));
        expect(normLabel(s)).toBe(normalizeReference(s));
      }),
      { numRuns: 3000, seed: 19 },
    );
  });

  it('normalises the forms reports use', () => {
    expect(normLabel('（一）行政许可')).toBe('(一)行政许可');
    expect(normLabel('1、 本机关 认为')).toBe('1.本机关认为');
    expect(normLabel('５．其他【注】「处理」')).toBe('5.其他[注]“处理”');
    expect(normLabel('第二十条\u3000第（五）项')).toBe('第二十条第(五)项');
    expect(normLabel('2023年、2024年')).toBe('2023年、2024年');
    expect(normLabel('信息[bookmark: _Toc1]公开')).toBe('信息公开');
  });
});

describe('arabicDates', () => {
  it('reads a year, month and day written in Chinese numerals', () => {
    expect(arabicDates('二〇二四年一月二十日')).toBe('2024年1月20日');
    expect(arabicDates('二〇二四年十二月三十一日')).toBe('2024年12月31日');
    expect(arabicDates('二○二三年十月十日')).toBe('2023年10月10日');
    expect(arabicDates('某某局二〇二三年度政府信息公开工作年度报告')).toBe('某某局2023年度政府信息公开工作年度报告');
    expect(arabicDates('2024年一月二十日')).toBe('2024年1月20日');
    expect(arabicDates('二〇二四年一月')).toBe('2024年1月');
  });

  it('leaves what is not a date alone', () => {
    for (const s of ['一二三四年', '十一月二十日', '第二十二年', '三三三三年', '五年来']) expect(arabicDates(s), s).toBe(s);
    // (a year is read even when what follows is not a month or a day)
    expect(arabicDates('二〇二四年十三月')).toBe('2024年十三月');
    expect(arabicDates('二〇二四年一月四十日')).toBe('2024年1月四十日');
  });
});
