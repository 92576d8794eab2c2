/**
 * The generated province of test/helpers/province.ts, tested on its own: the shape of the tree,
 * the identifiers, the reports (valid, clean except where an error was put on purpose, with the
 * checker's own verdict), the constructed cases (dates, copies, repetitions, versions, names), the
 * roll-ups recomputed independently, determinism, and a rendered sample read back by our parser.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { check, RULES } from '../../src/check/index.js';
import { commonLanguage, containment, maskOf, type SectionKey, sectionPrint } from '../../src/check/similarity.js';
import type { Report } from '../../src/model/report.js';
import { ReportSchema } from '../../src/model/report.schema.js';
import { parseBytes } from '../../src/parse.js';
import { BODY_KIND_ZH, TIER_ZH } from '../../src/supervise/types.js';
import { checkArithmetic } from '../helpers/arithmetic.js';
import { tables } from '../helpers/expect-report.js';
import {
  activeIn,
  creditCodeCheck,
  DIRECTORY_HEADERS,
  generateProvince,
  nameIn,
  orgCodeCheck,
  type Province,
  type ProvinceBody,
  renderSample,
  validCreditCode,
} from '../helpers/province.js';

const ERROR_RULES = RULES.filter((r) => r.severity === 'error');
const DAY = 86_400_000;
const days = (a: string, b: string) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY;

function latest(p: Province, body: string, year: number): Report | null {
  return p.reportsOf.get(`${body}|${year}`)?.at(-1)?.report ?? null;
}

function errorRulesOf(report: Report, rules = RULES): { rules: string[]; count: number; warnings: string[] } {
  const d = check({ report }, rules);
  const errors = d.filter((x) => x.severity === 'error');
  return {
    rules: [...new Set(errors.map((x) => x.rule))].sort(),
    count: errors.length,
    warnings: d.filter((x) => x.severity === 'warning').map((x) => `${x.rule}: ${x.message}`),
  };
}

/** Σ of every numeric cell of the three tables, walked generically (money strings of 表一's fees as numbers) */
function addCells(into: Map<string, number>, r: Report): void {
  for (const table of ['proactive', 'applications', 'reviewLitigation'] as const) {
    for (const [row, cols] of Object.entries(r[table] as Record<string, Record<string, unknown>>)) {
      for (const [col, v] of Object.entries(cols)) {
        const key = `${table}.${row}.${col}`;
        let x: number | null = null;
        if (typeof v === 'number') x = v;
        else if (typeof v === 'string' && key === 'proactive.fees.amount') x = Number(v);
        if (x !== null) into.set(key, (into.get(key) ?? 0) + x);
      }
    }
  }
}

const childrenOf = new WeakMap<Province, Map<number, ProvinceBody[]>>();
function subtree(p: Province, root: ProvinceBody): ProvinceBody[] {
  let children = childrenOf.get(p);
  if (!children) {
    children = new Map();
    for (const b of p.bodies) if (b.parentId !== null) children.set(b.parentId, [...(children.get(b.parentId) ?? []), b]);
    childrenOf.set(p, children);
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i].id) ?? []));
  return out;
}

function expectTotals(p: Province, root: ProvinceBody, year: number): void {
  const want = new Map<string, number>();
  for (const b of subtree(p, root)) {
    const r = latest(p, b.name, year);
    if (r) addCells(want, r);
  }
  const got = p.expected.totals(root.name, year);
  for (const [k, v] of want) {
    if (k === 'proactive.fees.amount') expect(got[k], k).toBeCloseTo(v, 4);
    else expect(got[k], `${root.name} ${year} ${k}`).toBe(v);
  }
  // every other key is a cell nobody reported: 0
  for (const [k, v] of Object.entries(got)) if (!want.has(k)) expect(v, k).toBe(0);
}

/** the shape every province has, whatever its size */
function expectTree(p: Province): void {
  const names = new Set<string>();
  for (const b of p.bodies) {
    for (const n of [b.name, ...b.aliases.map((a) => a.name)]) {
      expect(names.has(n), `name used twice: ${n}`).toBe(false);
      names.add(n);
    }
  }
  p.bodies.forEach((b, i) => {
    expect(b.id).toBe(i + 1);
    if (b.parentId === null) {
      expect(b.tier).toBe('province');
      expect(b.kind).toBe('government');
      expect(b.parent).toBeNull();
      return;
    }
    const parent = p.bodies[b.parentId - 1];
    expect(b.parentId, 'parents come first').toBeLessThan(b.id);
    expect(parent.name).toBe(b.parent);
    expect(parent.kind).toBe('government');
    // a department belongs to the government of its tier; a government to the tier above
    if (b.kind === 'department') expect(parent.tier).toBe(b.tier);
    else expect(['province', 'city', 'county'].indexOf(parent.tier)).toBe(['city', 'county', 'township'].indexOf(b.tier));
  });
  expect(p.bodies.filter((b) => b.parentId === null)).toHaveLength(1);

  // names as real ones are written
  for (const b of p.bodies) {
    if (b.kind === 'government') expect(b.name).toMatch(/(人民政府|街道办事处)$/);
    else expect(b.name).not.toMatch(/(人民政府|街道办事处)$/);
    // a department's name starts with its government's place (淮安市教育局, 南京市鼓楼区教育局)
    if (b.kind === 'department') expect(b.name.startsWith(b.parent!.replace(/人民政府$/, '')), b.name).toBe(true);
  }
}

function expectIdentifiers(p: Province): void {
  const codes = new Set<string>();
  const regions = new Set<string>();
  const last = p.years[p.years.length - 1];
  for (const b of p.bodies) {
    const code = b.creditCode!;
    expect(validCreditCode(code), `${b.name} ${code}`).toBe(true);
    expect(code).toMatch(/^11\d{6}\d{8}[0-9X][0-9A-HJ-NPQRTUWXY]$/);
    expect(codes.has(code)).toBe(false);
    codes.add(code);
    const parent = b.parentId ? p.bodies[b.parentId - 1] : null;
    if (b.kind === 'government') {
      expect(b.regionCodeYear).toBe(last);
      expect(regions.has(b.regionCode!)).toBe(false);
      regions.add(b.regionCode!);
      switch (b.tier) {
        case 'province':
          expect(b.regionCode).toBe('320000');
          break;
        case 'city':
          expect(b.regionCode).toMatch(/^32\d{2}00$/);
          break;
        case 'county':
          expect(b.regionCode).toMatch(/^\d{6}$/);
          expect(b.regionCode!.slice(0, 4)).toBe(parent!.regionCode!.slice(0, 4));
          expect(b.regionCode!.slice(4)).not.toBe('00');
          break;
        case 'township':
          expect(b.regionCode).toMatch(/^\d{9}$/);
          expect(b.regionCode!.slice(0, 6)).toBe(parent!.regionCode);
          // 街道 001–099, 镇 100–199, 乡 200–399 (a renamed body keeps its code)
          if (b.aliases.every((a) => a.kind !== 'former')) {
            const n = Number(b.regionCode!.slice(6));
            if (b.name.endsWith('街道办事处')) expect(n).toBeLessThan(100);
            else if (b.name.endsWith('镇人民政府')) expect(n >= 100 && n < 200).toBe(true);
            else expect(n >= 200 && n < 400).toBe(true);
          }
          break;
      }
      // the registration region of the credit code: its own region (a township: its county's)
      expect(code.slice(2, 8)).toBe(b.regionCode!.slice(0, 6));
    } else {
      expect(b.regionCode).toBeNull();
      expect(b.regionCodeYear).toBeNull();
      expect(code.slice(2, 8)).toBe(parent!.regionCode);
    }
  }
}

function expectRows(p: Province): void {
  expect(p.rows).toHaveLength(p.bodies.length);
  p.rows.forEach((row, i) => {
    const b = p.bodies[i];
    expect(Object.keys(row)).toEqual([...DIRECTORY_HEADERS]);
    for (const v of Object.values(row)) expect(typeof v).toBe('string');
    expect(row.名称).toBe(b.name);
    expect(row.上级机关).toBe(b.parent ?? '');
    expect(row.层级).toBe(TIER_ZH[b.tier]);
    expect(row.类型).toBe(BODY_KIND_ZH[b.kind]);
    expect(row.统一社会信用代码).toBe(b.creditCode);
    expect(row.行政区划代码).toBe(b.regionCode ?? '');
    expect(row.起始年度).toBe(b.activeFrom === null ? '' : String(b.activeFrom));
    expect(row.终止年度).toBe(b.activeUntil === null ? '' : String(b.activeUntil));
    const former = row.曾用名 ? row.曾用名.split('；').map((s) => /^(.+)（至(\d{4})年）$/.exec(s)) : [];
    expect(former.map((m) => m && { name: m[1], kind: 'former', until: Number(m[2]) })).toEqual(
      b.aliases.filter((a) => a.kind === 'former'),
    );
    expect(row.别名 ? row.别名.split('；') : []).toEqual(b.aliases.filter((a) => a.kind === 'alias').map((a) => a.name));
  });
}

/** statuses, dates and names as constructed, recomputed from the bodies and the reports */
function expectStatuses(p: Province): void {
  const e = p.expected;
  let n = 0;
  for (const b of p.bodies) {
    for (const year of p.years) {
      const st = e.status.get(`${b.name}|${year}`);
      const versions = p.reportsOf.get(`${b.name}|${year}`) ?? [];
      if (!activeIn(b, year)) {
        expect(st, `${b.name} ${year} inactive`).toBeUndefined();
        expect(versions).toHaveLength(0);
        continue;
      }
      n++;
      expect(st, `${b.name} ${year}`).toBeDefined();
      if (!st) continue;
      const deadline = `${year + 1}-${b.kind === 'government' ? '03-31' : '01-31'}`;
      expect(st.deadline).toBe(deadline);
      expect(st.versions).toBe(versions.length);
      if (st.state === 'unpublished') {
        expect(versions).toHaveLength(0);
        expect(st).toMatchObject({ publishedOn: null, daysLate: null, errors: false, agency: null, case: 'missing' });
        continue;
      }
      const r = versions.at(-1)!.report;
      expect(r.year).toBe(year);
      expect(r.format).toBe(year >= 2021 ? '2021' : '2019');
      expect(r.agency).toBe(st.agency);
      expect(r.publishedOn).toBe(st.publishedOn);
      expect(r.publishedOn!.slice(0, 4)).toBe(String(year + 1));
      // every version carries the same date
      for (const v of versions) expect(v.report.publishedOn).toBe(r.publishedOn);
      const late = days(deadline, r.publishedOn!);
      if (late > 0) expect(st).toMatchObject({ state: 'late', daysLate: late, case: 'late' });
      else expect(st).toMatchObject({ state: 'published', daysLate: null });
      if (st.case === 'misspelled') {
        const a = Array.from(r.agency!);
        const want = Array.from(b.name);
        expect(a).toHaveLength(want.length);
        expect(a.filter((c, i) => c !== want[i])).toHaveLength(1);
      } else if (st.case === 'prefixed') {
        expect(r.agency).toBe(`${b.higherPlace}${b.name}`);
      } else {
        expect(r.agency).toBe(nameIn(b, year));
      }
    }
  }
  expect(e.status.size).toBe(n);
  // the lists agree with the map
  expect(e.missing.length).toBe([...e.status.values()].filter((s) => s.state === 'unpublished').length);
  expect(e.late.length).toBe([...e.status.values()].filter((s) => s.state === 'late').length);
  for (const l of e.late)
    expect(e.status.get(`${l.body}|${l.year}`)).toMatchObject({ state: 'late', daysLate: l.daysLate, publishedOn: l.publishedOn });
  for (const x of e.misspelled) expect(e.status.get(`${x.body}|${x.year}`)?.agency).toBe(x.agency);
  for (const x of e.prefixed) expect(e.status.get(`${x.body}|${x.year}`)?.agency).toBe(x.agency);
  for (const x of e.formerNames) {
    const b = p.byName.get(x.body)!;
    expect(b.aliases.find((a) => a.kind === 'former')?.name).toBe(x.agency);
    expect(latest(p, x.body, x.year)?.agency).toBe(x.agency);
  }
  // misspelled names are nobody's name; prefixed ones neither
  const taken = new Set(p.bodies.flatMap((b) => [b.name, ...b.aliases.map((a) => a.name)]));
  for (const x of [...e.misspelled, ...e.prefixed]) expect(taken.has(x.agency)).toBe(false);
  // the deadlines include the boundary: published exactly on the deadline is on time
  for (const x of e.edited) {
    const [v1, v2] = p.reportsOf.get(`${x.body}|${x.year}`)!;
    const a = JSON.parse(JSON.stringify(v1.report));
    a.proactive.punishment.decisions = x.after;
    expect(v1.report.proactive.punishment.decisions).toBe(x.before);
    expect(a).toEqual(JSON.parse(JSON.stringify(v2.report)));
    expect(x.after).not.toBe(x.before);
  }
}

/** the tables: valid, arithmetic holding except for the constructed errors */
function expectArithmetic(p: Province): void {
  for (const r of p.reports) {
    const st = p.expected.status.get(`${r.body}|${r.year}`)!;
    const issues = checkArithmetic(r.report);
    if (!st.tableErrors) {
      expect(issues, `${r.body} ${r.year}`).toEqual([]);
      continue;
    }
    const err = p.expected.errors.find((x) => x.body === r.body && x.year === r.year)!;
    expect([...new Set(issues.map((i) => i.rule))].sort()).toEqual(err.rules);
    // the broken cells hold the values listed
    for (const c of err.cells) {
      const [t, row, col] = c.path.split('.');
      expect((r.report as unknown as Record<string, Record<string, Record<string, number>>>)[t][row][col]).toBe(c.after);
    }
    // every cell is a non-negative integer (2019 本年增/减 apart)
  }
}

function print(r: Report, key: SectionKey) {
  const s = sectionPrint(r, key);
  if (!s) throw new Error(`no ${key} in ${r.agency} ${r.year}`);
  return s;
}

/** containment of a in b, with the run's common language left out as the checker does */
function ratio(a: Report, b: Report, key: SectionKey, common: Set<number> | null): number {
  const pa = print(a, key);
  return containment(pa.shingles, print(b, key).shingles, maskOf(pa.shingles, common)).ratio;
}

// ---------------------------------------------------------------------------

describe('identifiers', () => {
  it('computes the GB 11714 and GB 32100 check characters of published examples', () => {
    expect(orgCodeCheck('D2143569')).toBe('X');
    expect(validCreditCode('91350100M000100Y43')).toBe(true);
    expect(validCreditCode('91440300708461136T')).toBe(true);
    expect(creditCodeCheck('91350100M000100Y4')).toBe('3');
    expect(validCreditCode('91350100M000100Y44')).toBe(false);
    expect(validCreditCode('91350100M000100Z43')).toBe(false);
    expect(validCreditCode('91350100M000101Y43')).toBe(false);
  });
});

describe('small province', () => {
  let p: Province;
  beforeAll(() => {
    p = generateProvince({ scale: 'small', seed: 42 });
  });

  it('has the shape of a province: 1 province, 2 cities, 3 counties and their townships', () => {
    const count = (tier: string, kind: string) => p.bodies.filter((b) => b.tier === tier && b.kind === kind).length;
    expect(p.bodies.length).toBeGreaterThanOrEqual(60);
    expect(p.bodies.length).toBeLessThanOrEqual(80);
    expect(count('province', 'government')).toBe(1);
    expect(count('province', 'department')).toBe(10);
    expect(count('city', 'government')).toBe(2);
    expect(count('city', 'department')).toBeGreaterThanOrEqual(16);
    expect(count('county', 'government')).toBe(3);
    expect(count('county', 'department')).toBe(21);
    expect(count('township', 'government')).toBe(15);
    for (const name of [
      '江苏省人民政府',
      '淮安市人民政府',
      '洪泽区人民政府',
      '洪泽区教育局',
      '淮安市教育局',
      '岔河镇人民政府',
      '沭阳县人民政府',
    ]) {
      expect(p.byName.has(name), name).toBe(true);
    }
    expectTree(p);
  });

  it('renames, aliases, bodies created and abolished during the period', () => {
    expect(p.bodies.some((b) => b.aliases.some((a) => a.kind === 'former' && a.until !== null))).toBe(true);
    expect(p.bodies.some((b) => b.aliases.some((a) => a.kind === 'alias'))).toBe(true);
    expect(p.bodies.some((b) => b.activeFrom !== null)).toBe(true);
    expect(p.bodies.some((b) => b.activeUntil !== null)).toBe(true);
    expect(p.expected.formerNames.length).toBeGreaterThan(0);
  });

  it('gives every body a valid, unique credit code and every government a region code consistent with the tree', () => {
    expectIdentifiers(p);
  });

  it('lists the directory as rows with Chinese headers', () => {
    expectRows(p);
  });

  it('has a status for every body-year, as constructed', () => {
    expectStatuses(p);
    const cases = new Set([...p.expected.status.values()].map((s) => s.case));
    for (const c of ['plain', 'missing', 'late', 'error', 'copier', 'source', 'repeated', 'edited', 'misspelled', 'prefixed'])
      expect(cases).toContain(c);
    expect(p.expected.prefixed.filter((x) => x.body === '洪泽区人民政府').map((x) => x.agency)).toEqual(['淮安市洪泽区人民政府']);
  });

  it('writes reports that validate against the schema', () => {
    for (const r of p.reports) {
      const parsed = ReportSchema.safeParse(r.report);
      expect(parsed.success, `${r.body} ${r.year}`).toBe(true);
    }
  });

  it('writes clean reports: check() finds exactly the constructed errors and no warning', () => {
    for (const r of p.reports) {
      if (!r.latest) continue;
      const st = p.expected.status.get(`${r.body}|${r.year}`)!;
      const got = errorRulesOf(r.report);
      expect({ who: `${r.body} ${r.year}`, rules: got.rules, count: got.count }).toEqual({
        who: `${r.body} ${r.year}`,
        rules: st.errorRules,
        count: st.errorCount,
      });
      expect(st.errors).toBe(st.errorRules.length > 0);
      expect(got.warnings, `${r.body} ${r.year}`).toEqual([]);
    }
    const kinds = new Set(p.expected.errors.map((e) => e.kind));
    expect(kinds.size).toBe(5);
    expectArithmetic(p);
  });

  it('carries the tables over from year to year (no carry-over or in-force warning with the previous report)', () => {
    for (const r of p.reports) {
      if (!r.latest) continue;
      const prev = latest(p, r.body, r.year - 1);
      const prevStatus = p.expected.status.get(`${r.body}|${r.year - 1}`);
      if (!prev || prevStatus?.tableErrors) continue;
      const warnings = check({ report: r.report, previous: prev })
        .filter((d) => d.severity === 'warning')
        .map((d) => d.rule);
      expect(warnings, `${r.body} ${r.year}`).toEqual(r.case === 'repeated' ? ['similarity'] : []);
    }
  });

  it('makes copies and repetitions the only similar narratives', () => {
    const e = p.expected;
    for (const year of p.years) {
      const rs = p.reports.filter((r) => r.latest && r.year === year);
      const common = commonLanguage(
        rs.map((r) => r.report),
        'overview',
      );
      const pairs = new Set(e.copies.filter((c) => c.year === year).flatMap((c) => [`${c.a}|${c.b}`, `${c.b}|${c.a}`]));
      for (const a of rs) {
        for (const b of rs) {
          if (a === b) continue;
          const x = ratio(a.report, b.report, 'overview', common);
          if (pairs.has(`${a.body}|${b.body}`)) expect(x, `${a.body} ⊂ ${b.body}`).toBeGreaterThanOrEqual(0.8);
          else expect(x, `${a.body} ⊂ ${b.body} ${year}`).toBeLessThan(0.5);
          expect(ratio(a.report, b.report, 'problems', null), `problems ${a.body} ${b.body}`).toBeLessThan(0.5);
        }
      }
    }
    for (const c of e.copies) {
      const a = latest(p, c.a, c.year)!;
      const b = latest(p, c.b, c.year)!;
      expect(ratio(b, a, 'overview', null)).toBeGreaterThanOrEqual(0.8);
      expect(ratio(a, b, 'overview', null)).toBeGreaterThanOrEqual(0.8);
      // the copier put its own name in
      expect(b.sections.overview).not.toContain(a.agency);
    }
    for (const x of e.repeated) {
      expect(ratio(latest(p, x.body, x.year)!, latest(p, x.body, x.previousYear)!, 'overview', null)).toBeGreaterThanOrEqual(0.8);
    }
    // and no other body repeats itself
    const repeated = new Set(e.repeated.map((x) => `${x.body}|${x.year}`));
    for (const r of p.reports) {
      const prev = latest(p, r.body, r.year - 1);
      if (!r.latest || !prev || repeated.has(`${r.body}|${r.year}`)) continue;
      expect(ratio(r.report, prev, 'overview', null), `${r.body} ${r.year}`).toBeLessThan(0.5);
    }
  });

  it('writes narratives of 800–2,500 characters (一 at least 800) with a fee statement', () => {
    for (const r of p.reports) {
      const s = r.report.sections;
      const all = (s.overview ?? '') + (s.problems ?? '') + (s.other ?? '');
      expect(s.overview!.length, `${r.body} ${r.year}`).toBeGreaterThanOrEqual(800);
      expect(all.length, `${r.body} ${r.year}`).toBeLessThanOrEqual(2500);
      expect(s.other).toMatch(/信息处理费/);
    }
  });

  it('adds up the tables of every subtree', () => {
    for (const year of p.years) {
      for (const b of p.bodies) expectTotals(p, b, year);
    }
    // a body without a report and without children: all zero
    const m = p.expected.missing.find((x) => !p.bodies.some((b) => b.parent === x.body));
    if (m) expect(Object.values(p.expected.totals(m.body, m.year)).every((v) => v === 0)).toBe(true);
    expect(() => p.expected.totals('不存在的机关', 2022)).toThrow();
  });

  it('is deterministic for a seed', () => {
    const again = generateProvince({ scale: 'small', seed: 42 });
    const snapshot = (x: Province) =>
      JSON.stringify({
        bodies: x.bodies,
        rows: x.rows,
        reports: x.reports,
        status: [...x.expected.status],
        lists: { ...x.expected, status: undefined, totals: undefined },
      });
    expect(snapshot(again)).toBe(snapshot(p));
    const other = generateProvince({ scale: 'small', seed: 43 });
    expect(snapshot(other)).not.toBe(snapshot(p));
    // the geography stays: the same governments
    const governments = (x: Province) => x.bodies.filter((b) => b.kind === 'government' && b.tier !== 'township').map((b) => b.regionCode);
    expect(governments(other)).toEqual(governments(p));
  });

  it('takes other years (the 2019 format before 2021)', () => {
    const q = generateProvince({ scale: 'small', seed: 5, years: [2019, 2020, 2021] });
    expect(q.years).toEqual([2019, 2020, 2021]);
    expect(new Set(q.reports.filter((r) => r.year < 2021).map((r) => r.report.format))).toEqual(new Set(['2019']));
    expect(new Set(q.reports.filter((r) => r.year === 2021).map((r) => r.report.format))).toEqual(new Set(['2021']));
    expectStatuses(q);
    for (const r of q.reports)
      if (r.latest) expect(errorRulesOf(r.report).rules).toEqual(q.expected.status.get(`${r.body}|${r.year}`)!.errorRules);
  });
});

describe('full province', () => {
  let p: Province;
  let ms = 0;
  beforeAll(() => {
    const t = performance.now();
    p = generateProvince();
    ms = performance.now() - t;
  }, 60_000);

  it('has about 3,000 bodies in a realistic tree', () => {
    const count = (tier: string, kind: string) => p.bodies.filter((b) => b.tier === tier && b.kind === kind).length;
    expect(p.bodies.length).toBeGreaterThanOrEqual(2800);
    expect(p.bodies.length).toBeLessThanOrEqual(3300);
    expect(count('province', 'government')).toBe(1);
    expect(count('province', 'department')).toBe(40);
    expect(count('city', 'government')).toBe(13);
    expect(count('county', 'government')).toBe(95);
    for (const city of p.bodies.filter((b) => b.tier === 'city' && b.kind === 'government')) {
      const depts = p.bodies.filter((b) => b.parentId === city.id && b.kind === 'department').length;
      expect(depts, city.name).toBeGreaterThanOrEqual(26);
      expect(depts, city.name).toBeLessThanOrEqual(33);
    }
    for (const county of p.bodies.filter((b) => b.tier === 'county' && b.kind === 'government')) {
      const kids = p.bodies.filter((b) => b.parentId === county.id);
      const depts = kids.filter((b) => b.kind === 'department').length;
      const towns = kids.filter((b) => b.tier === 'township').length;
      expect(depts, county.name).toBeGreaterThanOrEqual(14);
      expect(depts, county.name).toBeLessThanOrEqual(22);
      expect(towns, county.name).toBeGreaterThanOrEqual(8);
      expect(towns, county.name).toBeLessThanOrEqual(10);
    }
    // a county name found in two cities is qualified
    expect(p.byName.has('南京市鼓楼区人民政府')).toBe(true);
    expect(p.byName.has('徐州市鼓楼区教育局') || p.byName.has('徐州市鼓楼区人民政府办公室')).toBe(true);
    expectTree(p);
    expect(p.reports.length).toBeGreaterThan(14_000);
    // generating 15,000 reports takes a few seconds
    expect(ms).toBeLessThan(30_000);
  });

  it('gives valid, unique identifiers and a directory', () => {
    expectIdentifiers(p);
    expectRows(p);
  });

  it('has every status as constructed, in the proportions asked for', () => {
    expectStatuses(p);
    const e = p.expected;
    const n = e.status.size;
    const share = (k: number) => k / n;
    expect(share(e.missing.length)).toBeCloseTo(0.03, 2);
    expect(share(e.late.length)).toBeCloseTo(0.05, 2);
    expect(share(e.errors.length)).toBeCloseTo(0.02, 2);
    expect(e.edited.length).toBeGreaterThan(10);
    expect(e.misspelled).toHaveLength(8);
    expect(e.prefixed).toHaveLength(8);
    for (const year of p.years) {
      const active = [...e.status.keys()].filter((k) => k.endsWith(`|${year}`)).length;
      const copies = e.copies.filter((c) => c.year === year).length;
      expect(copies / active).toBeGreaterThan(0.005);
      expect(copies / active).toBeLessThan(0.015);
    }
    expect(e.late.some((l) => l.daysLate === 1)).toBe(true);
    expect(e.late.some((l) => l.daysLate > 120)).toBe(true);
    expect([...e.status.values()].some((s) => s.state === 'published' && s.publishedOn === s.deadline)).toBe(true);
  });

  it('keeps the tables consistent except for the constructed errors', () => {
    expectArithmetic(p);
  });

  it('check() finds exactly the constructed errors (every error and late case, and a sample of the rest)', () => {
    const e = p.expected;
    const sample = p.reports.filter(
      (r, i) =>
        r.latest &&
        (i % 10 === 0 ||
          r.case === 'error' ||
          r.case === 'late' ||
          r.case === 'edited' ||
          r.case === 'misspelled' ||
          r.case === 'prefixed'),
    );
    for (const r of sample) {
      const st = e.status.get(`${r.body}|${r.year}`)!;
      const got = errorRulesOf(r.report, ERROR_RULES);
      expect({ who: `${r.body} ${r.year}`, rules: got.rules, count: got.count }).toEqual({
        who: `${r.body} ${r.year}`,
        rules: st.errorRules,
        count: st.errorCount,
      });
      expect(ReportSchema.safeParse(r.report).success).toBe(true);
    }
    // the rules other than the arithmetic (checked on every report by checkArithmetic above) on every report
    const arithmetic = new Set(['applications-balance', 'applications-outcome-total', 'applications-row-total', 'review-litigation-total']);
    const others = ERROR_RULES.filter((r) => !arithmetic.has(r.id));
    for (const r of p.reports) {
      if (!r.latest) continue;
      const want = e.status.get(`${r.body}|${r.year}`)!.errorRules.filter((x) => !arithmetic.has(x));
      expect(errorRulesOf(r.report, others).rules, `${r.body} ${r.year}`).toEqual(want);
    }
  });

  it('makes the copies similar and unrelated bodies of the same kind not', () => {
    const e = p.expected;
    for (const c of e.copies) {
      const a = latest(p, c.a, c.year)!;
      const b = latest(p, c.b, c.year)!;
      expect(ratio(b, a, 'overview', null), `${c.b} ⊂ ${c.a}`).toBeGreaterThanOrEqual(0.8);
      expect(ratio(a, b, 'overview', null), `${c.a} ⊂ ${c.b}`).toBeGreaterThanOrEqual(0.8);
    }
    for (const x of e.repeated) {
      expect(ratio(latest(p, x.body, x.year)!, latest(p, x.body, x.previousYear)!, 'overview', null)).toBeGreaterThanOrEqual(0.8);
    }
    // every 教育局/教育厅 of a year against every other: the same vocabulary, yet nothing alike
    const year = p.years[2];
    const pairs = new Set(e.copies.filter((c) => c.year === year).flatMap((c) => [`${c.a}|${c.b}`, `${c.b}|${c.a}`]));
    const education = p.reports.filter((r) => r.latest && r.year === year && p.byName.get(r.body)!.domain === 'education');
    expect(education.length).toBeGreaterThan(80);
    for (const a of education) {
      for (const b of education) {
        if (a === b || pairs.has(`${a.body}|${b.body}`)) continue;
        expect(ratio(a.report, b.report, 'overview', null), `${a.body} ⊂ ${b.body}`).toBeLessThan(0.5);
      }
    }
  });

  it('adds up the tables of the province, a city, a county and a township', () => {
    const root = p.bodies[0];
    const city = p.byName.get('淮安市人民政府')!;
    const county = p.byName.get('洪泽区人民政府')!;
    const town = p.byName.get('岔河镇人民政府')!;
    for (const year of [p.years[0], p.years[p.years.length - 1]]) {
      for (const b of [root, city, county, town]) expectTotals(p, b, year);
    }
    // the province's totals are the sum of every report of the year
    const year = p.years[3];
    const all = new Map<string, number>();
    for (const r of p.reports) if (r.latest && r.year === year) addCells(all, r.report);
    expect(p.expected.totals(root.name, year)['applications.newReceived.total']).toBe(all.get('applications.newReceived.total'));
  });
});

describe('rendered sample', () => {
  it('renders reports in every format that parse back to the same tables', { timeout: 180_000 }, async () => {
    const p = generateProvince({ scale: 'small', seed: 42 });
    // each format once with the 2021 tables (over four years) and once with the 2019 ones
    const sample = [
      ...(await renderSample(p, 5, undefined, { filter: (r) => r.latest && r.year >= 2021 })),
      ...(await renderSample(p, 5, undefined, { filter: (r) => r.latest && r.year < 2021 })),
    ];
    expect(sample.map((s) => s.format)).toEqual(['md', 'html', 'docx', 'pdf', 'xlsx', 'md', 'html', 'docx', 'pdf', 'xlsx']);
    expect(new Set(sample.slice(0, 5).map((s) => s.year)).size).toBe(4);
    expect(sample.map((s) => s.report.format)).toEqual([...Array(5).fill('2021'), ...Array(5).fill('2019')]);
    for (const s of sample) {
      expect(s.fileName).toBe(`${s.report.agency}${s.year}年政府信息公开工作年度报告.${s.format}`);
      const back = await parseBytes(s.bytes, s.fileName);
      expect(JSON.parse(JSON.stringify(tables(back))), s.fileName).toEqual(JSON.parse(JSON.stringify(tables(s.report))));
      expect({ agency: back.agency, year: back.year, publishedOn: back.publishedOn, format: back.format }).toEqual({
        agency: s.report.agency,
        year: s.year,
        publishedOn: s.report.publishedOn,
        format: s.report.format,
      });
    }
    // a report with broken tables is rendered as it is
    const [broken] = await renderSample(p, 1, ['html'], { filter: (r) => r.case === 'error' });
    const back = await parseBytes(broken.bytes, broken.fileName);
    expect(JSON.parse(JSON.stringify(tables(back)))).toEqual(JSON.parse(JSON.stringify(tables(broken.report))));
    expect(errorRulesOf(back).rules).toEqual(p.expected.status.get(`${broken.bodyName}|${broken.year}`)!.errorRules);
  });
});
