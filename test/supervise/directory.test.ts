/**
 * The directory index: names, aliases, region prefixes, credit codes, ambiguity, near names, file
 * names, years, and the tree queries.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditCheckChar, orgCodeCheckChar } from '../../src/supervise/codes.js';
import { DirectoryIndex, NEAR_BUDGET, nameFromFileName, normaliseName, regionNameOf } from '../../src/supervise/directory.js';
import type { Body } from '../../src/supervise/types.js';
import { body } from '../helpers/bodies.js';

function code(head: string, region: string, org8: string): string {
  const first17 = `${head}${region}${org8}${orgCodeCheckChar(org8)}`;
  return first17 + creditCheckChar(first17);
}

const OFFICE_CODE = code('11', '320800', '01414340');

const DIR: Body[] = [
  body(1, '江苏省人民政府', 'province', 'government', null, { regionCode: '320000' }),
  body(2, '淮安市人民政府', 'city', 'government', 1, { regionCode: '320800' }),
  body(3, '洪泽区人民政府', 'county', 'government', 2, { regionCode: '320813' }),
  body(4, '清江浦区人民政府', 'county', 'government', 2, { regionCode: '320812' }),
  body(5, '洪泽区教育局', 'county', 'department', 3),
  body(6, '清江浦区教育局', 'county', 'department', 4),
  body(7, '淮安市洪泽区自然资源局', 'county', 'department', 3, {
    aliases: [{ name: '淮安市洪泽区国土资源局', kind: 'former', until: 2018 }],
  }),
  body(8, '淮安市人民政府办公室', 'city', 'department', 2, {
    aliases: [{ name: '淮安市政府办', kind: 'alias' }],
    creditCode: OFFICE_CODE,
  }),
  body(9, '清河街道办事处', 'township', 'government', 4),
  body(10, '淮安市洪泽区水利局', 'county', 'department', 3, { activeUntil: 2020 }),
  body(11, '淮安市教育局', 'city', 'department', 2),
];

const index = new DirectoryIndex(DIR);

function top(name: string | null, hints?: Parameters<DirectoryIndex['match']>[1]) {
  const m = index.match(name, hints);
  return m[0];
}

describe('normaliseName and regionNameOf', () => {
  it('normalises width, spaces, brackets and a trailing (本级)', () => {
    expect(normaliseName(' 淮安市 人民政府\u3000')).toBe('淮安市人民政府');
    expect(normaliseName('淮安市人民政府（本级）')).toBe('淮安市人民政府');
    expect(normaliseName('淮安市人民政府【机关本级】')).toBe('淮安市人民政府');
    expect(normaliseName('中共淮安市委宣传部（市新闻出版局）')).toBe('中共淮安市委宣传部(市新闻出版局)');
    expect(normaliseName('淮安市〔市政府〕办')).toBe('淮安市(市政府)办');
    expect(normaliseName('ＡＢＣ局\u200b')).toBe('ABC局');
  });
  it('gives a government’s region name and null for a department', () => {
    expect(regionNameOf(DIR[1])).toBe('淮安市');
    expect(regionNameOf(DIR[3])).toBe('清江浦区');
    expect(regionNameOf(DIR[8])).toBe('清河');
    expect(regionNameOf(body(0, '淮安经济技术开发区管委会', 'county', 'government', null))).toBe('淮安经济技术开发区');
    expect(regionNameOf(body(0, '城南街道', 'township', 'government', null))).toBe('城南街道');
    expect(regionNameOf(DIR[4])).toBeNull();
    expect(regionNameOf(body(0, '国务院', 'national', 'government', null))).toBeNull();
  });
});

describe('DirectoryIndex.match', () => {
  it('an exact name → 1', () => {
    expect(top('淮安市人民政府')).toEqual({ bodyId: 2, name: '淮安市人民政府', confidence: 1, reason: '名称完全一致' });
    expect(top(' 淮安市 人民政府（本级）')).toMatchObject({ bodyId: 2, confidence: 1 });
  });

  it('a current alias → 0.97', () => {
    expect(top('淮安市政府办')).toMatchObject({ bodyId: 8, confidence: 0.97 });
    expect(top('淮安市政府办').reason).toContain('别名');
  });

  it('a former name: 0.95 until its year, 0.75 after', () => {
    expect(top('淮安市洪泽区国土资源局', { year: 2018 })).toMatchObject({ bodyId: 7, confidence: 0.95, reason: '曾用名（至2018年）' });
    expect(top('淮安市洪泽区国土资源局')).toMatchObject({ bodyId: 7, confidence: 0.95 });
    const late = top('淮安市洪泽区国土资源局', { year: 2023 });
    expect(late).toMatchObject({ bodyId: 7, confidence: 0.75 });
    expect(late.reason).toContain('曾用名（至2018年）');
  });

  it('region prefixes of the ancestors → 0.95', () => {
    expect(top('淮安市洪泽区人民政府')).toMatchObject({ bodyId: 3, confidence: 0.95, reason: '含上级区划前缀' });
    expect(top('江苏省淮安市洪泽区人民政府')).toMatchObject({ bodyId: 3, confidence: 0.95, reason: '含上级区划前缀' });
    expect(top('江苏淮安洪泽区人民政府')).toMatchObject({ bodyId: 3, confidence: 0.95 });
    expect(top('淮安市清河街道办事处')).toMatchObject({ bodyId: 9, confidence: 0.95 });
    expect(top('淮安市洪泽区教育局')).toMatchObject({ bodyId: 5, confidence: 0.95 });
    // the reverse: the directory has the prefix, the report not
    expect(top('洪泽区自然资源局')).toMatchObject({ bodyId: 7, confidence: 0.95, reason: '省略上级区划前缀' });
    // a prefixed former name
    expect(top('洪泽区国土资源局', { year: 2017 })).toMatchObject({ bodyId: 7, confidence: 0.95 });
  });

  it('prefixes that are not the body’s ancestors do not qualify', () => {
    const m = index.match('洪泽区清河街道办事处');
    expect(m.every((c) => c.confidence < 0.9)).toBe(true);
    const other = index.match('清江浦区自然资源局');
    expect(other.every((c) => c.confidence < 0.9)).toBe(true);
  });

  it('a province the directory does not hold is checked against the region codes', () => {
    const small = new DirectoryIndex([
      body(1, '淮安市人民政府', 'city', 'government', null, { regionCode: '320800' }),
      body(2, '淮安市教育局', 'city', 'department', 1),
    ]);
    expect(small.match('江苏省淮安市教育局')[0]).toMatchObject({ bodyId: 2, confidence: 0.95, reason: '含上级区划前缀' });
    expect(small.match('浙江省淮安市教育局').every((c) => c.confidence < 0.9)).toBe(true);
  });

  it('a name without any region: 0.85 when unique', () => {
    expect(top('自然资源局')).toMatchObject({ bodyId: 7, confidence: 0.85, reason: '省略本级区划名称' });
  });

  it('the same name for several bodies → each ≤ 0.6, said to be ambiguous', () => {
    const m = index.match('教育局');
    const ids = m.map((c) => c.bodyId).sort((a, b) => a - b);
    expect(ids).toEqual([5, 6, 11]);
    for (const c of m) {
      expect(c.confidence).toBeLessThanOrEqual(0.6);
      expect(c.reason).toContain('同名机关不止一个');
    }
    // two bodies with literally the same name
    const twins = new DirectoryIndex([
      body(1, '甲县人民政府', 'county', 'government', null),
      body(2, '乙县人民政府', 'county', 'government', null),
      body(3, '教育局', 'county', 'department', 1, { regionCode: '320813' }),
      body(4, '教育局', 'county', 'department', 2, { regionCode: '320812' }),
    ]);
    const t = twins.match('教育局');
    expect(t).toHaveLength(2);
    for (const c of t) {
      expect(c.confidence).toBeLessThanOrEqual(0.6);
      expect(c.reason).toContain('同名机关不止一个');
    }
    // the prefix tells them apart
    expect(twins.match('甲县教育局')[0]).toMatchObject({ bodyId: 3, confidence: 0.95 });
    // so does the region code
    const byRegion = twins.match('教育局', { regionCode: '320812' });
    expect(byRegion[0]).toMatchObject({ bodyId: 4, confidence: 1 });
    expect(byRegion[0].reason).toContain('按行政区划代码区分');
    expect(byRegion[1].confidence).toBeLessThanOrEqual(0.6);
  });

  it('a valid credit code belonging to a body → 1; a name that disagrees lowers it', () => {
    expect(top(null, { creditCode: OFFICE_CODE })).toMatchObject({ bodyId: 8, confidence: 1, reason: '统一社会信用代码一致' });
    expect(top('淮安市人民政府办公室', { creditCode: OFFICE_CODE.toLowerCase() })).toMatchObject({ bodyId: 8, confidence: 1 });
    const clash = index.match('淮安市教育局', { creditCode: OFFICE_CODE });
    const office = clash.find((c) => c.bodyId === 8)!;
    const bureau = clash.find((c) => c.bodyId === 11)!;
    expect(office.confidence).toBe(0.8);
    expect(office.reason).toContain('名称不同');
    expect(bureau.confidence).toBeLessThanOrEqual(0.85);
    expect(bureau.reason).toContain('统一社会信用代码属于另一机关');
    // an invalid code (wrong check character) is ignored
    const wrong = OFFICE_CODE.slice(0, 17) + (OFFICE_CODE[17] === '0' ? '1' : '0');
    expect(top('淮安市教育局', { creditCode: wrong })).toMatchObject({ bodyId: 11, confidence: 1 });
    // a valid code of no body is ignored too
    expect(top('淮安市教育局', { creditCode: code('11', '320800', '99999999') })).toMatchObject({ bodyId: 11, confidence: 1 });
  });

  it('a body not reporting in the year → ≤ 0.6', () => {
    expect(top('淮安市洪泽区水利局', { year: 2019 })).toMatchObject({ bodyId: 10, confidence: 1 });
    const gone = top('淮安市洪泽区水利局', { year: 2023 });
    expect(gone.confidence).toBe(0.6);
    expect(gone.reason).toContain('2023年不在应报告期内');
    const early = new DirectoryIndex([body(1, '新区管委会', 'county', 'government', null, { activeFrom: 2022 })]);
    expect(early.match('新区管委会', { year: 2021 })[0].confidence).toBe(0.6);
    expect(early.match('新区管委会', { year: 2022 })[0].confidence).toBe(1);
  });

  it('a region code that disagrees caps the match', () => {
    const m = top('淮安市教育局', { regionCode: '330100' });
    expect(m).toMatchObject({ bodyId: 11, confidence: 0.7 });
    expect(m.reason).toContain('行政区划代码不一致');
    expect(top('淮安市教育局', { regionCode: '320800' })).toMatchObject({ bodyId: 11, confidence: 1 });
  });

  it('near names → 0.5–0.85 by similarity', () => {
    const typo = top('淮安市人民政府办工室');
    expect(typo.bodyId).toBe(8);
    expect(typo.confidence).toBeGreaterThanOrEqual(0.5);
    expect(typo.confidence).toBeLessThanOrEqual(0.85);
    expect(typo.reason).toMatch(/^名称相近（相似度0\.\d\d）$/);
    const longer = top('淮安市洪泽区自然资源局机关');
    expect(longer.bodyId).toBe(7);
    expect(longer.confidence).toBeLessThanOrEqual(0.85);
    const shorter = top('淮安市人民政府办公');
    expect(shorter.bodyId).toBe(8);
    expect(shorter.confidence).toBeLessThan(0.9);
    // closer is more confident
    expect(top('淮安市人民政府办公室室').confidence).toBeGreaterThanOrEqual(top('淮安市人民政府办公').confidence - 0.2);
    expect(index.match('完全无关的名字')).toEqual([]);
  });

  it('no name: the file name, at most 0.85', () => {
    const a = top(null, { fileName: '/tmp/上传/淮安市洪泽区人民政府2023年政府信息公开工作年度报告.pdf' });
    expect(a).toMatchObject({ bodyId: 3, confidence: 0.85 });
    expect(a.reason).toMatch(/^按文件名/);
    const b = top(null, { fileName: '2023年度淮安市教育局政府信息公开年度报告.docx' });
    expect(b).toMatchObject({ bodyId: 11, confidence: 0.85 });
    const c = top('', { fileName: '淮安市人民政府_2022年报.html' });
    expect(c).toMatchObject({ bodyId: 2, confidence: 0.85 });
    expect(index.match(null, { fileName: '2023年度报告.pdf' })).toEqual([]);
    expect(index.match(null)).toEqual([]);
    expect(nameFromFileName('C:\\报告\\关于淮安市教育局2023年度政府信息公开工作年度报告.PDF')).toBe('淮安市教育局');
    expect(nameFromFileName('淮安市人民政府（2023年）年报.pdf')).toBe('淮安市人民政府');
  });

  it('returns at most 5 candidates, best first', () => {
    const many = new DirectoryIndex(Array.from({ length: 12 }, (_, i) => body(i + 1, '财政局', 'county', 'department', null)));
    const m = many.match('财政局');
    expect(m).toHaveLength(5);
    const m2 = index.match('淮安市洪泽区');
    for (let i = 1; i < m2.length; i++) expect(m2[i - 1].confidence).toBeGreaterThanOrEqual(m2[i].confidence);
  });

  it('near-name search does bounded work in a large directory and still finds a typo', () => {
    // 300 counties × 60 departments: common bigrams (人民, 政府, 管理, 局) in thousands of names
    const bodies: Body[] = [];
    const depts = Array.from({ length: 60 }, (_, i) => `第${i}管理局`);
    let id = 1;
    for (let c = 0; c < 300; c++) {
      const county = `${String.fromCharCode(0x4e00 + c * 3)}${String.fromCharCode(0x4e01 + c * 3)}县`;
      const gov = id++;
      bodies.push(body(gov, `${county}人民政府`, 'county', 'government', null));
      for (const d of depts) bodies.push(body(id++, `${county}${d}`, 'county', 'department', gov));
    }
    const big = new DirectoryIndex(bodies);
    expect(big.size).toBe(300 * 61);
    const target = bodies[61 * 150 + 7];
    const typo = `${target.name.slice(0, -1)}处`;
    const m = big.match(typo);
    expect(m[0].bodyId).toBe(target.id);
    expect(m[0].reason).toContain('名称相近');
    expect(big.lastMatchWork).toBeLessThanOrEqual(4 * NEAR_BUDGET + 4);
    // a query whose rarest bigrams are still in thousands of names (第1 in 3,300, 1管 in 300):
    // the budget is reached, and holds
    big.match('第1管理局甲');
    expect(big.lastMatchWork).toBeGreaterThan(NEAR_BUDGET);
    expect(big.lastMatchWork).toBeLessThanOrEqual(4 * NEAR_BUDGET + 4);
    // and an exact name needs no near search at all
    big.match(target.name);
    expect(big.lastMatchWork).toBe(0);
  });

  it('an exact, unique name always comes first with confidence 1 (generated directories)', () => {
    const chars = '东南西北中甲乙丙丁安平和顺'.split('');
    const nameArb = fc.array(fc.constantFrom(...chars), { minLength: 2, maxLength: 5 }).map((a) => `${a.join('')}局`);
    fc.assert(
      fc.property(fc.array(nameArb, { minLength: 1, maxLength: 40 }), fc.nat(), (names, pick) => {
        const bodies = names.map((n, i) => body(i + 1, n, 'county', 'department', i > 0 && i % 3 === 0 ? i : null));
        const idx = new DirectoryIndex(bodies);
        const b = bodies[pick % bodies.length];
        const same = bodies.filter((x) => x.name === b.name);
        const m = idx.match(b.name);
        if (same.length === 1) expect(m[0]).toMatchObject({ bodyId: b.id, confidence: 1 });
        else for (const c of m.filter((x) => x.name === b.name)) expect(c.confidence).toBeLessThanOrEqual(0.6);
      }),
      { numRuns: 200 },
    );
  });
});

describe('DirectoryIndex tree queries', () => {
  it('ancestors, subtree and children', () => {
    expect(index.ancestors(5)).toEqual([3, 2, 1]);
    expect(index.ancestors(1)).toEqual([]);
    expect(index.ancestors(999)).toEqual([]);
    expect(index.childrenOf(2)).toEqual([3, 4, 8, 11]);
    expect(index.childrenOf(5)).toEqual([]);
    expect(index.subtree(4)).toEqual([4, 6, 9]);
    const all = index.subtree(1);
    expect(all[0]).toBe(1);
    expect([...all].sort((a, b) => a - b)).toEqual(DIR.map((b) => b.id));
    expect(index.subtree(999)).toEqual([]);
    expect(index.rootIds()).toEqual([1]);
  });

  it('survives a cycle in the stored parents', () => {
    const cyc = new DirectoryIndex([
      body(1, '甲县人民政府', 'county', 'government', 2),
      body(2, '乙县人民政府', 'county', 'government', 1),
      body(3, '甲县教育局', 'county', 'department', 1),
    ]);
    expect(cyc.ancestors(3)).toEqual([1, 2]);
    expect(cyc.subtree(1)).toEqual([1, 2, 3]);
    expect(cyc.match('甲县教育局')[0].confidence).toBe(1);
  });
});

describe('sameBody (the CLI check pairs last year’s report by body)', async () => {
  const { sameBody } = await import('../../src/cli/check.js');
  it('pairs a name with the same name behind region names, and nothing else', () => {
    expect(sameBody('淮安市洪泽区人民政府', '洪泽区人民政府')).toBe(true);
    expect(sameBody('江苏省淮安市洪泽区教育局', '洪泽区教育局')).toBe(true);
    expect(sameBody('洪泽区 教育局', '洪泽区教育局')).toBe(true);
    expect(sameBody('淮安市城市管理局', '洪泽区城市管理局')).toBe(false);
    expect(sameBody('淮安市人民政府', '人民政府')).toBe(false);
    expect(sameBody('淮安市教育局', '局')).toBe(false);
    expect(sameBody('洪泽区教育局', '淮阴区教育局')).toBe(false);
    expect(sameBody(null, '洪泽区教育局')).toBe(false);
  });
});
