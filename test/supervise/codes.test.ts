/**
 * 统一社会信用代码 (GB 32100-2015, with the GB 11714 组织机构代码 inside) and 行政区划代码 (GB/T 2260).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CREDIT_ALPHABET,
  creditCheckChar,
  orgCodeCheckChar,
  regionContains,
  validateCreditCode,
  validateRegionCode,
} from '../../src/supervise/codes.js';

/** a valid code from registrar+category, region and the first 8 characters of the organisation code */
function makeCode(head: string, region: string, org8: string): string {
  const first17 = `${head}${region}${org8}${orgCodeCheckChar(org8)}`;
  return first17 + creditCheckChar(first17);
}

function failure(code: string): { message: string; messageEn: string } {
  const r = validateCreditCode(code);
  if (r.ok) throw new Error(`${code} was accepted`);
  return r;
}

describe('orgCodeCheckChar (GB 11714)', () => {
  it('computes the check character by hand for known bodies', () => {
    // 00001312 → Σ = 0·3+0·7+0·9+0·10+1·5+3·8+1·4+2·2 = 37; 37 mod 11 = 4; 11 − 4 = 7
    expect(orgCodeCheckChar('00001312')).toBe('7');
    // 80210043 (北京百度网讯科技有限公司's 组织机构代码 80210043-3): Σ = 24+0+18+10+0+0+16+6 = 74; 74 mod 11 = 8 → 3
    expect(orgCodeCheckChar('80210043')).toBe('3');
    // 11 − 0 = 11 → '0'; 11 − 1 = 10 → 'X'
    expect(orgCodeCheckChar('00000000')).toBe('0');
    expect(orgCodeCheckChar('71526726')).toBe('X');
  });
  it('rejects bad input', () => {
    expect(() => orgCodeCheckChar('1234567')).toThrow(RangeError);
    expect(() => orgCodeCheckChar('1234567!')).toThrow(RangeError);
  });
});

describe('creditCheckChar (GB 32100)', () => {
  it('maps 31 to 0 and uses the 31-character alphabet', () => {
    // all zeros: Σ = 0 → 31 − 0 = 31 → '0'
    expect(creditCheckChar('00000000000000000')).toBe('0');
    // a 1 in the first position: Σ = 1 → 30 → 'Y'
    expect(creditCheckChar('10000000000000000')).toBe('Y');
    // the last weight is 28: Σ = 28 → 3
    expect(creditCheckChar('00000000000000001')).toBe('3');
    expect(CREDIT_ALPHABET).toHaveLength(31);
    for (const banned of 'IOZSV') expect(CREDIT_ALPHABET).not.toContain(banned);
  });
  it('accepts lower case and refuses characters outside the alphabet', () => {
    expect(creditCheckChar('9111000080210043a'.toLowerCase())).toBe(creditCheckChar('9111000080210043A'));
    expect(() => creditCheckChar('9111000080210043I')).toThrow(RangeError);
    expect(() => creditCheckChar('911100008021004')).toThrow(RangeError);
  });
});

describe('validateCreditCode', () => {
  it('accepts published codes (both check characters agree; a random string passes 1 time in 341)', () => {
    // 机关 codes (registrar 1 = 机构编制, category 1 = 机关), as published on government sites
    for (const code of ['11100000000013127D', '11110000000021135M', '11100000000019713D']) {
      const r = validateCreditCode(code);
      expect(r.ok, code).toBe(true);
      if (r.ok) {
        expect(r.isOrganOfState).toBe(true);
        expect(r.registrar).toBe('1');
        expect(r.registrarZh).toBe('机构编制');
      }
    }
    // enterprises (registrar 9 = 工商): 北京百度网讯科技有限公司, 深圳市腾讯计算机系统有限公司, 华为技术有限公司
    for (const code of ['91110000802100433B', '9144030071526726XG', '914403001922038216']) {
      const r = validateCreditCode(code);
      expect(r.ok, code).toBe(true);
      if (r.ok) expect(r.isOrganOfState).toBe(false);
    }
    const baidu = validateCreditCode('91110000802100433B');
    expect(baidu).toMatchObject({ ok: true, regionCode: '110000', organisationCode: '802100433', registrar: '9', registrarZh: '工商' });
  });

  it('normalises lower case, full-width characters and surrounding spaces', () => {
    const r = validateCreditCode('  11100000000013127d \n');
    expect(r).toMatchObject({ ok: true, normalised: '11100000000013127D', regionCode: '100000' });
    const full = validateCreditCode('１１１０００００００００１３１２７Ｄ');
    expect(full).toMatchObject({ ok: true, normalised: '11100000000013127D' });
  });

  it('says what is wrong with the length', () => {
    expect(failure('').message).toBe('统一社会信用代码为空。');
    const short = failure('11100000000013127');
    expect(short.message).toContain('应为18位');
    expect(short.message).toContain('17位');
    expect(short.messageEn).toContain('has 17');
    expect(failure('11100000000013127DD').message).toContain('19位');
  });

  it('names a bad character and its position', () => {
    const o = failure('1110000000O013127D');
    expect(o.message).toContain('第11位“O”');
    expect(o.messageEn).toContain('Character 11');
    // an ideographic space inside (NFKC makes it a space), shown by its code point
    const space = failure('11100000\u300000013127D');
    expect(space.message).toContain('第9位“U+0020”');
    for (const banned of 'IOZSV') {
      const code = `9${banned}1100008021004338`;
      expect(failure(code).message).toContain(`第2位“${banned}”`);
    }
  });

  it('checks the region code in characters 3–8', () => {
    const letters = makeCode('91', '11A000', '80210043');
    expect(failure(letters).message).toContain('第5位“A”不是数字');
    const province = makeCode('91', '990000', '80210043');
    expect(failure(province).message).toContain('“99”不是省级行政区划代码');
  });

  it('gives the expected check character', () => {
    const wrong18 = failure('11100000000013127E');
    expect(wrong18.message).toContain('第18位应为“D”，实为“E”');
    expect(wrong18.messageEn).toContain('character 18 should be "D", not "E"');
    expect(wrong18.message).not.toContain('组织机构代码');
  });

  it('checks the organisation code too (characters 9–17)', () => {
    // change the organisation code's check character, then recompute the 18th so only the 17th is wrong
    const first17 = '11100000000013128';
    const code = first17 + creditCheckChar(first17);
    const r = failure(code);
    expect(r.message).toContain('组织机构代码“000013128”的校验码错误：第17位应为“7”，实为“8”');
    expect(r.message).not.toContain('第18位');
    // a typo in the body breaks both: both are reported
    const both = failure('11100000000013137D');
    expect(both.message).toContain('第17位应为');
    expect(both.message).toContain('第18位应为');
  });

  it('accepts every code made with its own check characters and rejects every single-character change', () => {
    const char = fc.constantFrom(...CREDIT_ALPHABET.split(''));
    const digit = fc.constantFrom(...'0123456789'.split(''));
    const orgChar = fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY'.split(''));
    const provinces = ['11', '12', '32', '44', '65', '82'];
    fc.assert(
      fc.property(
        char,
        char,
        fc.constantFrom(...provinces),
        fc.array(digit, { minLength: 4, maxLength: 4 }),
        fc.array(orgChar, { minLength: 8, maxLength: 8 }),
        fc.nat(17),
        fc.nat(30),
        (a, b, p, rest, org, pos, delta) => {
          const code = makeCode(a + b, p + rest.join(''), org.join(''));
          const ok = validateCreditCode(code);
          expect(ok.ok).toBe(true);
          // one character replaced by another of the alphabet is always caught (31 is prime)
          const v = CREDIT_ALPHABET.indexOf(code[pos]);
          const other = CREDIT_ALPHABET[(v + 1 + (delta % 30)) % 31];
          const bad = code.slice(0, pos) + other + code.slice(pos + 1);
          expect(validateCreditCode(bad).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('validateRegionCode', () => {
  it('infers the tier of 6-digit codes', () => {
    expect(validateRegionCode('320000')).toMatchObject({ ok: true, tier: 'province', province: '32', provinceName: '江苏省', city: null });
    expect(validateRegionCode('320800')).toMatchObject({ ok: true, tier: 'city', city: '3208' });
    expect(validateRegionCode('320813')).toMatchObject({ ok: true, tier: 'county', city: '3208' });
    // 省直辖县级: 仙桃市 429004
    expect(validateRegionCode('429004')).toMatchObject({ ok: true, tier: 'county', city: null });
    expect(validateRegionCode('110105')).toMatchObject({ ok: true, tier: 'county', city: '1101' });
    expect(validateRegionCode(' ３２０８１３ ')).toMatchObject({ ok: true, code: '320813' });
  });

  it('reads 9- and 12-digit statistical codes', () => {
    expect(validateRegionCode('320813101')).toMatchObject({ ok: true, tier: 'township', city: '3208' });
    expect(validateRegionCode('320813101000')).toMatchObject({ ok: true, tier: 'township' });
    expect(validateRegionCode('320813101201')).toMatchObject({ ok: true, tier: 'township' });
    // the 12-digit form of a county, a city and a province
    expect(validateRegionCode('320813000000')).toMatchObject({ ok: true, tier: 'county' });
    expect(validateRegionCode('320800000000')).toMatchObject({ ok: true, tier: 'city' });
    expect(validateRegionCode('320000000000')).toMatchObject({ ok: true, tier: 'province' });
    // 东莞's towns hang directly under the city
    expect(validateRegionCode('441900003')).toMatchObject({ ok: true, tier: 'township', city: '4419' });
  });

  it('refuses bad codes with a reason', () => {
    const cases: [string, string][] = [
      ['', '为空'],
      ['3208', '应为6位'],
      ['3208131', '7位'],
      ['32081A', '第6位“A”不是数字'],
      ['100000', '“10”不是省级'],
      ['990101', '“99”不是省级'],
      ['240000', '“24”不是省级'],
      ['320813000', '000'],
      ['320813000101', '000'],
      ['320000101', '省级代码'],
    ];
    for (const [code, words] of cases) {
      const r = validateRegionCode(code);
      expect(r.ok, code).toBe(false);
      if (!r.ok) {
        expect(r.message, code).toContain(words);
        expect(r.messageEn.length).toBeGreaterThan(10);
      }
    }
  });

  it('accepts every real province prefix and no other', () => {
    const real = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37']);
    for (const p of ['41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82'])
      real.add(p);
    for (let p = 0; p < 100; p++) {
      const prefix = String(p).padStart(2, '0');
      expect(validateRegionCode(`${prefix}0000`).ok, prefix).toBe(real.has(prefix));
    }
  });
});

describe('regionContains', () => {
  it('follows the hierarchy of the digits', () => {
    expect(regionContains('320000', '320813')).toBe(true);
    expect(regionContains('320800', '320813')).toBe(true);
    expect(regionContains('320800', '320800')).toBe(true);
    expect(regionContains('320813', '320813101')).toBe(true);
    expect(regionContains('320813', '320813101201')).toBe(true);
    expect(regionContains('320813101', '320813101201')).toBe(true);
    expect(regionContains('320813000000', '320813101')).toBe(true);
    expect(regionContains('320800', '320900')).toBe(false);
    expect(regionContains('320813', '320800')).toBe(false);
    expect(regionContains('320000', '330100')).toBe(false);
    expect(regionContains('320813101', '320813102')).toBe(false);
    expect(regionContains('429000', '429004')).toBe(true);
    expect(regionContains('420000', '429004')).toBe(true);
    // invalid codes contain nothing
    expect(regionContains('990000', '990100')).toBe(false);
    expect(regionContains('320000', 'abc')).toBe(false);
  });
});
