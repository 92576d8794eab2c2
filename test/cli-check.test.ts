import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { sampleReport2021 } from './helpers/arbitrary.js';
import { nianbao } from './helpers/cli.js';
import { CORPUS, SEEDS } from './helpers/paths.js';
import { toText } from './helpers/variants.js';

let dir: string;
let good: string;
let bad: string;
let lastYear: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nianbao-check-'));
  const r = sampleReport2021();
  good = join(dir, 'good.txt');
  writeFileSync(good, toText(r, 'tabs'));
  // last year's report of the same agency, whose 结转下年度 does not match this year's 上年结转
  const prev: Report = structuredClone(r);
  prev.year = (r.year ?? 2022) - 1;
  prev.publishedOn = `${prev.year + 1}-01-20`;
  prev.applications.carriedForward = {
    naturalPerson: 6,
    commercial: 2,
    research: 1,
    publicInterest: 1,
    legalService: 1,
    other: 1,
    total: 12,
  };
  prev.applications.outcomeTotal = { ...prev.applications.outcomeTotal };
  lastYear = join(dir, 'last-year.txt');
  writeFileSync(lastYear, toText(prev, 'tabs'));
  const broken: Report = structuredClone(r);
  broken.applications.granted.total = 83; // 85 published correctly in the sample
  bad = join(dir, 'bad.txt');
  writeFileSync(bad, toText(broken, 'tabs'));
});

describe('nianbao check', () => {
  it('exit 0 and no errors for a correct report', async () => {
    const r = await nianbao('check', good);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 个错误');
  });

  it('exit 1 and compiler-style lines for arithmetic errors, with the numbers and the fix', async () => {
    const r = await nianbao('check', bad);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const row = lines.find((l) => l.includes('applications-row-total'));
    expect(row).toMatch(/bad\.txt:\d+:\d+ {2}错误 {2}.*总计为 83，但六类申请人之和为 85.* {2}applications-row-total$/);
    expect(lines.some((l) => l.includes('applications-outcome-total') && l.includes('“总计”'))).toBe(true);
    expect(lines.find((l) => l.includes('arithmetic-fix'))).toContain('（一）予以公开·总计 应为 85');
    expect(r.stdout).toMatch(/共检查 1 个文件：\d+ 个错误/);
  });

  it('--json follows the contract: file, report, diagnostics with rule, severity, message, path, location', async () => {
    const r = await nianbao('check', bad, '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.file).toBe(bad);
    expect(out.report.format).toBe('2021');
    const d = out.diagnostics.find((x: { rule: string }) => x.rule === 'applications-row-total');
    expect(d).toMatchObject({ severity: 'error', path: 'applications.granted.total' });
    expect(d.location).toEqual({ line: expect.any(Number), column: expect.any(Number) });
    expect(typeof d.message).toBe('string');
  });

  it('--format sarif is SARIF 2.1.0 with the rules and results', async () => {
    const r = await nianbao('check', bad, '--format', 'sarif');
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s.version).toBe('2.1.0');
    expect(s.runs[0].tool.driver.rules.map((x: { id: string }) => x.id)).toContain('applications-balance');
    const res = s.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'applications-row-total');
    expect(res.level).toBe('error');
    expect(res.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
  });

  it('--previous enables the cross-year rules', async () => {
    const r = await nianbao('check', good, '--previous', lastYear, '--json');
    const out = JSON.parse(r.stdout);
    const carry = out.diagnostics.filter((x: { rule: string }) => x.rule === 'carry-over');
    expect(carry.length).toBeGreaterThan(0);
    expect(carry[0].message).toMatch(/上年结转.*结转下年度继续办理/);
  });

  it('a folder is checked in agency and year order, and last year is found automatically', async () => {
    const folder = join(dir, 'agency');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a-this-year.txt'), toText(sampleReport2021(), 'tabs'));
    const prev = structuredClone(sampleReport2021());
    prev.year = (prev.year ?? 2022) - 1;
    prev.publishedOn = `${prev.year + 1}-01-20`;
    prev.applications.carriedForward = {
      naturalPerson: 6,
      commercial: 2,
      research: 1,
      publicInterest: 1,
      legalService: 1,
      other: 1,
      total: 12,
    };
    writeFileSync(join(folder, 'b-last-year.txt'), toText(prev, 'tabs'));
    const r = await nianbao('check', folder, '--json');
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.report.year)).toEqual([prev.year, prev.year + 1]);
    expect(lines[1].diagnostics.some((d: { rule: string }) => d.rule === 'carry-over')).toBe(true);
    expect(lines[0].diagnostics.some((d: { rule: string }) => d.rule === 'carry-over')).toBe(false);
  });

  it('last year is found under the body’s other name: its region in front one year and not the next', async () => {
    const folder = join(dir, 'renamed');
    mkdirSync(folder);
    const now = { ...structuredClone(sampleReport2021()), agency: '淮安市洪泽区人民政府' };
    const prev = { ...structuredClone(sampleReport2021()), agency: '洪泽区人民政府' };
    prev.year = (now.year ?? 2022) - 1;
    prev.publishedOn = `${prev.year + 1}-03-20`;
    prev.applications.carriedForward = {
      naturalPerson: 6,
      commercial: 2,
      research: 1,
      publicInterest: 1,
      legalService: 1,
      other: 1,
      total: 12,
    };
    // another body's report of last year that must not be taken for it
    const other = { ...structuredClone(prev), agency: '淮安市城市管理局' };
    writeFileSync(join(folder, 'a.txt'), toText(now, 'tabs'));
    writeFileSync(join(folder, 'b.txt'), toText(prev, 'tabs'));
    writeFileSync(join(folder, 'c.txt'), toText(other, 'tabs'));
    const r = await nianbao('check', folder, '--json');
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const current = lines.find((l) => l.report.agency === '淮安市洪泽区人民政府');
    expect(current.diagnostics.some((d: { rule: string }) => d.rule === 'carry-over')).toBe(true);
  });

  it('finds the real arithmetic errors of the corpus and no arithmetic error on the correct tables', async () => {
    const r = await nianbao('check', join(CORPUS, 'pdf', 'huaian-hongze-2023.pdf'), join(CORPUS, 'pdf', 'huaian-city-2024.pdf'), '--json');
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const arithmetic = (l: { diagnostics: { rule: string; path: string }[] }) =>
      l.diagnostics.filter((d) =>
        ['applications-balance', 'applications-outcome-total', 'applications-row-total', 'review-litigation-total'].includes(d.rule),
      );
    const h23 = lines.find((l) => l.file.includes('hongze-2023'));
    const city = lines.find((l) => l.file.includes('city-2024'));
    expect(
      arithmetic(h23)
        .map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['reviewLitigation.litigationAfterReview.total', 'reviewLitigation.review.total']);
    expect(arithmetic(city)).toEqual([]);
    expect(r.code).toBe(1);
  });

  it('no error-level diagnostic on the seeds except their real label deviations', async () => {
    const r = await nianbao('check', SEEDS, '--json');
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const errors = lines.flatMap((l) =>
      l.diagnostics.filter((d: { severity: string }) => d.severity === 'error').map((d: { rule: string }) => d.rule),
    );
    expect(new Set(errors)).toEqual(new Set(['table-labels']));
  });

  it('unreadable input: exit 2 with the bilingual message', async () => {
    const f = join(dir, 'empty.txt');
    writeFileSync(f, '');
    const r = await nianbao('check', f);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/错误：.*empty\.txt.*空文件/);
  });
});

describe('nianbao check options and structure', () => {
  it('--deadlines sets a local publication deadline', async () => {
    const r = structuredClone(sampleReport2021());
    r.agency = '某某县某某镇人民政府';
    r.publishedOn = `${(r.year ?? 2022) + 1}-03-01`;
    const f = join(dir, 'township.txt');
    writeFileSync(f, toText(r, 'tabs'));
    const relaxed = JSON.parse((await nianbao('check', f, '--json')).stdout);
    expect(relaxed.diagnostics.some((d: { rule: string }) => d.rule === 'publication-deadline')).toBe(false);
    const strict = await nianbao('check', f, '--json', '--deadlines', 'township=02-20');
    expect(strict.code).toBe(1);
    const d = JSON.parse(strict.stdout).diagnostics.find((x: { rule: string }) => x.rule === 'publication-deadline');
    expect(d.message).toContain(`${(r.year ?? 2022) + 1}-02-20`);
    const bad = await nianbao('check', f, '--deadlines', 'county=01-01');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--deadlines');
  });

  it('reports a section out of order as misplaced, not missing', async () => {
    const text = toText(sampleReport2021(), 'tabs');
    const five = text.indexOf('五、存在的主要问题及改进情况');
    const six = text.indexOf('六、其他需要报告的事项');
    const swapped = text.slice(0, five) + text.slice(six) + '\n' + text.slice(five, six);
    const f = join(dir, 'swapped.txt');
    writeFileSync(f, swapped);
    const out = JSON.parse((await nianbao('check', f, '--json')).stdout);
    const d = out.diagnostics.filter((x: { rule: string }) => x.rule === 'sections-present');
    expect(d).toHaveLength(1);
    expect(d[0].message).toContain('位置不对');
  });
});
