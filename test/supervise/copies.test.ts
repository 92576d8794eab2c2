import { describe, expect, it } from 'vitest';
import { containment, type SectionKey, type SectionPrint, sectionPrint, sentences } from '../../src/check/similarity.js';
import type { Report } from '../../src/model/report.js';
import { mulberry32 } from '../../src/register/generate.js';
import {
  BOILERPLATE_MIN_BODIES,
  BOILERPLATE_SHARE,
  COPIES_MAX_POSTINGS,
  COPIES_THRESHOLD,
  type CopiesEntry,
  findCopies,
  MIN_DISTINCT,
} from '../../src/supervise/copies.js';
import { sampleReport2021 } from '../helpers/arbitrary.js';

/* -------------------------------------------------------------- generator */

/** mulberry32 (src/register/generate.ts): every run builds the same texts */
const random = mulberry32;

/** 4,000 "words" of 2–4 ideographs drawn from the 20,902 of the basic CJK block */
const WORDS = (() => {
  const next = random(7);
  return Array.from({ length: 4000 }, () => {
    let w = '';
    const len = 2 + Math.floor(next() * 3);
    for (let k = 0; k < len; k++) w += String.fromCodePoint(0x4e00 + Math.floor(next() * 20902));
    return w;
  });
})();

/** a sentence of 8–12 words with a number in it, the words drawn by `next` */
function sentence(next: () => number): string {
  const n = 8 + Math.floor(next() * 5);
  const words: string[] = [];
  for (let k = 0; k < n; k++) words.push(WORDS[Math.floor(next() * WORDS.length)]);
  words.splice(4, 0, `${1 + Math.floor(next() * 900)}项`);
  return `${words.slice(0, 6).join('')}，${words.slice(6).join('')}。`;
}

/** `n` sentences of their own for the body `seed` */
const own = (seed: number, n: number) => {
  const next = random(seed * 7919 + 13);
  return Array.from({ length: n }, () => sentence(next));
};

/** the template sentences every body of the tests starts with (the common language of a province) */
const TEMPLATE = [
  '坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，认真落实党中央、国务院关于全面推进政务公开工作的决策部署。',
  '严格执行政府信息公开保密审查制度，坚持先审查、后公开，一事一审，全年未发生泄密事件。',
  '进一步加强政务公开平台建设，优化政府门户网站信息公开专栏设置，提升政务公开标准化规范化水平。',
];

/** the numbers of a copied sentence changed (a copy that only changes its figures) */
const renumber = (s: string) => s.replace(/\d+/g, (d) => String(Number(d) + 37));

const base = sampleReport2021();
function report(agency: string | null, overview: string | null, problems: string | null = null): Report {
  const r = structuredClone(base);
  r.agency = agency;
  r.year = 2024;
  r.sections = { ...r.sections, overview, problems };
  return r;
}

const entry = (
  bodyId: number,
  overview: string[] | string | null,
  problems: string[] | string | null = null,
  name?: string,
): CopiesEntry => {
  const text = (x: string[] | string | null) => (Array.isArray(x) ? x.join('') : x);
  const body = name ?? `第${bodyId}号机关`;
  return { bodyId, name: body, report: report(body, text(overview), text(problems)) };
};

/** bodies 1…n, each with the template and `size` sentences of its own */
const crowd = (n: number, size = 20, from = 1) =>
  Array.from({ length: n }, (_, k) => entry(from + k, [...TEMPLATE, ...own(from + k, size)]));

/** sentences of body `seed` with `shared` of `total` taken (renumbered) from `source` */
function copying(seed: number, source: string[], shared: number, total = source.length): string[] {
  return [...source.slice(0, shared).map(renumber), ...own(seed, total - shared)];
}

const ids = (r: { pairs: { a: number; b: number; section: string }[] }) => r.pairs.map((p) => `${p.section}:${p.a}-${p.b}`).sort();

/* -------------------------------------------------------------- reference */

/**
 * all pairs compared one by one, boilerplate as documented (held by more than 5 % of the bodies
 * compared and by at least 10, or by more than half of them when they are at least 6, or by more
 * than the cap; or inside a name of the directory)
 */
function reference(entries: CopiesEntry[], threshold = COPIES_THRESHOLD, key: SectionKey = 'overview') {
  const firsts = new Map<number, CopiesEntry>();
  for (const e of entries) if (!firsts.has(e.bodyId)) firsts.set(e.bodyId, e);
  const bodies = [...firsts.values()].sort((x, y) => x.bodyId - y.bodyId);
  const printed = bodies.map((e) => ({ e, print: sectionPrint(e.report, key) })).filter((x) => x.print !== null) as {
    e: CopiesEntry;
    print: SectionPrint;
  }[];
  const held = new Map<number, number>();
  for (const { print } of printed) for (const h of print.shingles) held.set(h, (held.get(h) ?? 0) + 1);
  const n = printed.length;
  const common = new Set<number>();
  for (const [h, c] of held) {
    if ((c > BOILERPLATE_SHARE * n && c >= BOILERPLATE_MIN_BODIES) || (n >= 6 && c > n / 2) || c > COPIES_MAX_POSTINGS) common.add(h);
  }
  // names: every shingle of the normalised name, checked by the module itself; here the names hold no shingle of the texts
  const mask = (a: Uint32Array) => Uint8Array.from(a, (h) => (common.has(h) ? 1 : 0));
  const pairs: { a: number; b: number; ratio: number }[] = [];
  for (let x = 0; x < n; x++) {
    for (let y = x + 1; y < n; y++) {
      const [p, q] = [printed[x].print, printed[y].print];
      const cp = containment(p.shingles, q.shingles, mask(p.shingles));
      const cq = containment(q.shingles, p.shingles, mask(q.shingles));
      if (cp.total < MIN_DISTINCT || cq.total < MIN_DISTINCT) continue;
      const c = cp.total <= cq.total ? cp : cq;
      if (c.ratio >= threshold) pairs.push({ a: printed[x].e.bodyId, b: printed[y].e.bodyId, ratio: c.ratio });
    }
  }
  return pairs;
}

/* ------------------------------------------------------------------ tests */

describe('findCopies', () => {
  it('finds two bodies sharing 70 % of their sentences, the ratio close to 0.7, the shared sentences quoted from both sides', () => {
    const source = own(1, 20);
    const copier = copying(2, source, 14);
    const entries = [...crowd(30, 20, 10), entry(1, [...TEMPLATE, ...source]), entry(2, [...TEMPLATE, ...copier])];
    const r = findCopies(entries, { maxPassages: 3 });
    expect(ids(r)).toEqual(['overview:1-2']);
    const [pair] = r.pairs;
    expect(pair.ratio).toBeGreaterThan(0.65);
    expect(pair.ratio).toBeLessThan(0.75);
    expect(pair.passages).toHaveLength(3);
    for (const p of pair.passages) {
      // a's side quotes body 1's sentence, b's side body 2's (its numbers changed)
      expect(source).toContain(p.a);
      expect(copier.slice(0, 14)).toContain(p.b);
      expect(p.b).toBe(renumber(p.a));
    }
    expect(r.compared).toBe(32);
    expect(r.work).toBeGreaterThan(0);
  });

  it('does not pair bodies that share only the common template language, however much of the text it is', () => {
    const long = Array.from(
      { length: 14 },
      (_, k) => `${TEMPLATE[k % 3].slice(0, -1)}，第${'一二三四五六七八九十'[k % 10]}部分${WORDS[k]}${WORDS[k + 1]}。`,
    );
    const entries = Array.from({ length: 20 }, (_, k) => entry(k + 1, [...long, ...own(k + 1, 8)]));
    // without the boilerplate left out, the template alone would make every pair similar
    const a = sectionPrint(entries[0].report, 'overview') as SectionPrint;
    const b = sectionPrint(entries[1].report, 'overview') as SectionPrint;
    expect(containment(a.shingles, b.shingles).ratio).toBeGreaterThan(COPIES_THRESHOLD);
    const r = findCopies(entries);
    expect(r.pairs).toEqual([]);
    expect(r.boilerplate).toBeGreaterThan(200);
    expect(r.compared).toBe(20);

    // in a small directory, what more than half of the bodies hold is boilerplate; what three of eight share is not
    const shared = own(77, 12);
    const small = Array.from({ length: 8 }, (_, k) => entry(k + 1, [...long, ...(k >= 5 ? shared : own(k + 1, 8))]));
    expect(ids(findCopies(small))).toEqual(['overview:6-7', 'overview:6-8', 'overview:7-8']);
  });

  it('reports a pair above the threshold and not one below it', () => {
    const s1 = own(1, 20);
    const s3 = own(3, 20);
    const entries = [
      ...crowd(30, 20, 10),
      entry(1, [...TEMPLATE, ...s1]),
      entry(2, [...TEMPLATE, ...copying(2, s1, 8)]), // 40 %
      entry(3, [...TEMPLATE, ...s3]),
      entry(4, [...TEMPLATE, ...copying(4, s3, 12)]), // 60 %
    ];
    const r = findCopies(entries);
    expect(ids(r)).toEqual(['overview:3-4']);
    expect(r.pairs[0].ratio).toBeGreaterThan(0.55);
    const lower = findCopies(entries, { threshold: 0.35 });
    expect(ids(lower)).toEqual(['overview:1-2', 'overview:3-4']);
    expect(lower.pairs.map((p) => `${p.a}-${p.b}`)).toEqual(['3-4', '1-2']); // ratio descending
    expect(lower.pairs[1].ratio).toBeGreaterThan(0.35);
    expect(lower.pairs[1].ratio).toBeLessThan(COPIES_THRESHOLD);
  });

  it('gives the three pairs of three bodies copying the same text', () => {
    const text = own(5, 20);
    const entries = [
      ...crowd(20, 20, 10),
      entry(7, [...TEMPLATE, ...text.map(renumber)]),
      entry(5, [...TEMPLATE, ...text]),
      entry(6, [...TEMPLATE, ...text]),
    ];
    const r = findCopies(entries);
    expect(ids(r)).toEqual(['overview:5-6', 'overview:5-7', 'overview:6-7']);
    for (const p of r.pairs) expect(p.ratio).toBe(1);
  });

  it('gives the same pairs and ratios as comparing every pair, for both sections', () => {
    const next = random(99);
    const sources = Array.from({ length: 10 }, (_, k) => own(k + 1, 16 + (k % 3) * 4));
    const entries: CopiesEntry[] = [];
    for (let id = 1; id <= 60; id++) {
      const copies = next() < 0.4;
      const src = sources[Math.floor(next() * sources.length)];
      const overview = copies ? copying(id, src, Math.floor(next() * src.length), src.length) : own(id, 20);
      const problems = next() < 0.2 ? src.slice(0, 6).concat(own(id + 1000, 4)) : next() < 0.1 ? null : own(id + 2000, 8);
      entries.push(entry(id, [...TEMPLATE, ...overview], problems));
    }
    const r = findCopies(entries, { maxPassages: 0 });
    for (const key of ['overview', 'problems'] as const) {
      const want = reference(entries, COPIES_THRESHOLD, key);
      const got = r.pairs.filter((p) => p.section === key);
      expect(want.length).toBeGreaterThan(5);
      expect(got.map((p) => `${p.a}-${p.b}`).sort()).toEqual(want.map((p) => `${p.a}-${p.b}`).sort());
      for (const p of got) expect(p.ratio).toBeCloseTo(want.find((w) => w.a === p.a && w.b === p.b)?.ratio ?? -1, 12);
    }
    // sorted by ratio descending
    for (let k = 1; k < r.pairs.length; k++) expect(r.pairs[k - 1].ratio).toBeGreaterThanOrEqual(r.pairs[k].ratio);
  });

  it('costs about linearly more steps as the bodies grow, and finds exactly the pairs built', () => {
    const work: number[] = [];
    for (const n of [200, 400, 800]) {
      const entries = crowd(n, 20, 1);
      const built: string[] = [];
      // five copying pairs at every N: body 2k copies 75 % of body 2k − 1
      for (let k = 1; k <= 5; k++) {
        const src = entries[2 * k - 2].report.sections.overview as string;
        const mine = sentences(src).slice(TEMPLATE.length);
        entries[2 * k - 1] = entry(2 * k, [...TEMPLATE, ...copying(2 * k, mine, 15)]);
        built.push(`overview:${2 * k - 1}-${2 * k}`);
      }
      const r = findCopies(entries, { maxPassages: 1 });
      expect(ids(r)).toEqual(built.sort());
      for (const p of r.pairs) expect(p.ratio).toBeGreaterThan(0.7);
      expect(r.compared).toBe(n);
      work.push(r.work);
    }
    // a quadratic algorithm would multiply the work by 4 and 16
    expect(work[1] / work[0]).toBeLessThan(3);
    expect(work[2] / work[0]).toBeLessThan(6);
    expect(work[2] / work[0]).toBeGreaterThan(3);
  });

  it('masks the body’s own name: a template filled with each name is copying', () => {
    const template = own(40, 18).map((s, k) => (k % 3 === 0 ? `{name}${s}` : s));
    const fill = (name: string) => template.map((s) => s.replace('{name}', name));
    const entries = [
      ...crowd(20, 20, 10),
      entry(1, [...TEMPLATE, ...fill('甲县教育局')], null, '甲县教育局'),
      entry(2, [...TEMPLATE, ...fill('乙县教育局')], null, '乙县教育局'),
    ];
    expect(findCopies(entries).pairs.map((p) => [p.a, p.b, p.ratio])).toEqual([[1, 2, 1]]);

    // a report without an agency is named by the directory
    for (const e of entries.slice(-2)) e.report = { ...e.report, agency: null };
    expect(findCopies(entries).pairs.map((p) => [p.a, p.b, p.ratio])).toEqual([[1, 2, 1]]);
    // (had it not been, each mention of the name would differ)
    const unnamed = entries.slice(-2).map((e) => sectionPrint(e.report, 'overview') as SectionPrint);
    expect(containment(unnamed[0].shingles, unnamed[1].shingles).ratio).toBeLessThan(0.97);

    // the place written alone and swapped too: still copying
    const places = [
      entry(3, [...TEMPLATE, ...fill('甲县教育局').map((s, k) => (k % 4 === 1 ? `甲县${s}` : s))], null, '甲县教育局'),
      entry(4, [...TEMPLATE, ...fill('乙县教育局').map((s, k) => (k % 4 === 1 ? `乙县${s}` : s))], null, '乙县教育局'),
    ];
    const [pair] = findCopies([...crowd(20, 20, 10), ...places]).pairs;
    expect([pair.a, pair.b]).toEqual([3, 4]);
    expect(pair.ratio).toBeGreaterThan(0.85);
    expect(pair.ratio).toBeLessThan(1);

    // a copy that kept the other body's name is found too
    const kept = [
      entry(5, [...TEMPLATE, ...fill('丙县教育局')], null, '丙县教育局'),
      entry(6, [...TEMPLATE, ...fill('丙县教育局')], null, '丁县教育局'),
    ];
    const [k] = findCopies([...crowd(20, 20, 10), ...kept]).pairs;
    expect([k.a, k.b]).toEqual([5, 6]);
    expect(k.ratio).toBeGreaterThan(0.8);
  });

  it('does not count the names of other bodies of the directory that both texts mention', () => {
    const group = '甲县全面推进政务公开工作领导小组办公室';
    const office = '甲县人民政府办公室政务公开科';
    const x = [`${group}${own(50, 1)[0]}`, ...own(51, 2), `${office}${own(54, 1)[0]}`];
    const y = [`${group}${own(52, 1)[0]}`, ...own(53, 2), `${office}${own(55, 1)[0]}`];
    const found = (entries: CopiesEntry[]) => findCopies(entries, { threshold: 0.1 }).pairs.map((p) => `${p.a}-${p.b}`);
    const both = [...crowd(20, 20, 10), entry(1, x), entry(2, y)];
    // the two names alone make more than a tenth of these short texts
    expect(found(both)).toEqual(['1-2']);
    // once they are bodies of the directory (even without a narrative), their names are not counted
    expect(found([...both, entry(3, null, null, group), entry(4, null, null, office)])).toEqual([]);
  });

  it('handles no bodies, one body, missing or short sections and repeated bodyIds', () => {
    expect(findCopies([])).toEqual({ pairs: [], work: expect.any(Number), boilerplate: 0, compared: 0, more: 0 });
    const text = [...TEMPLATE, ...own(1, 20)];
    expect(findCopies([entry(1, text)]).pairs).toEqual([]);
    expect(findCopies([entry(1, text)]).compared).toBe(1);
    // missing, empty and short sections are not compared
    const sparse = [entry(1, null, null), entry(2, '', ''), entry(3, '情况良好。', '无。'), entry(4, text), entry(5, text)];
    const r = findCopies(sparse);
    expect(ids(r)).toEqual(['overview:4-5']);
    expect(r.compared).toBe(2);
    // a repeated bodyId: the first entry counts, a body is never paired with itself
    expect(findCopies([entry(1, text), entry(1, text)]).pairs).toEqual([]);
    expect(findCopies([entry(1, text), entry(2, own(2, 20)), entry(2, text)]).pairs).toEqual([]);
    expect(ids(findCopies([entry(1, text), entry(2, text), entry(2, own(2, 20))]))).toEqual(['overview:1-2']);
    // one section only when asked
    const twice = [entry(1, text, text), entry(2, text, text)];
    expect(ids(findCopies(twice))).toEqual(['overview:1-2', 'problems:1-2']);
    expect(ids(findCopies(twice, { sections: ['problems'] }))).toEqual(['problems:1-2']);
  });

  it('keeps the highest pairs up to maxPairs and counts the others', () => {
    const text = own(5, 20);
    const entries = [entry(1, [...TEMPLATE, ...text]), entry(2, [...TEMPLATE, ...text]), entry(3, [...TEMPLATE, ...copying(3, text, 15)])];
    const r = findCopies(entries, { maxPairs: 1 });
    expect(r.pairs.map((p) => `${p.a}-${p.b}`)).toEqual(['1-2']);
    expect(r.more).toBe(2);
    expect(() => findCopies(entries, { threshold: 0 })).toThrow(RangeError);
    expect(() => findCopies(entries, { maxPostings: 1 })).toThrow(RangeError);
  });

  it('treats a shingle held by more than maxPostings bodies as boilerplate, whatever their share', () => {
    const text = own(5, 20);
    // six bodies of 200 copy one text: 3 % of them, so not boilerplate by share
    const entries = [...crowd(194, 20, 10), ...[1, 2, 3, 4, 5, 6].map((id) => entry(id, [...TEMPLATE, ...text]))];
    expect(findCopies(entries).pairs).toHaveLength(15);
    expect(findCopies(entries, { maxPostings: 5 }).pairs).toHaveLength(0);
  });
});
