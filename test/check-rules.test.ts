/**
 * The rule catalogue against its own examples (ESLint style): every valid
 * example passes its rule, every invalid example is flagged with the right
 * severity, a Chinese message with the numbers, and a path that exists. Also:
 * the example base reports raise nothing at all, the single-cell fix names the
 * right cell and value, and docs/rules.md is what the catalogue generates.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES_DOC, renderRulesDoc } from '../scripts/gen-rules-doc.js';
import { cellName } from '../src/check/cells.js';
import { baseReport, examplePrevious, exampleReport, mergeDeep, previousReport } from '../src/check/examples.js';
import { check, RULES } from '../src/check/index.js';
import type { Diagnostic, Rule, RuleExample } from '../src/check/types.js';
import { APPLICANT_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS } from '../src/model/format.js';
import type { Report } from '../src/model/report.js';
import { type ArithmeticRule, checkArithmetic } from './helpers/arithmetic.js';

const CONTRACT_RULES = ['applications-balance', 'applications-outcome-total', 'applications-row-total', 'review-litigation-total'];

const CHINESE = /[\u4e00-\u9fff]/;

/** does a JSON path (with `*` for any key, as in `applications.*.publicInterest`) exist in the report? */
function pathExists(value: unknown, parts: string[]): boolean {
  if (parts.length === 0) return value !== undefined;
  if (value === null || typeof value !== 'object') return false;
  const [head, ...rest] = parts;
  const o = value as Record<string, unknown>;
  if (head === '*') return Object.values(o).some((v) => pathExists(v, rest));
  return Object.hasOwn(o, head) && pathExists(o[head], rest);
}

function runExample(rule: Rule, example: RuleExample): { report: Report; diagnostics: Diagnostic[] } {
  const report = exampleReport(example);
  const diagnostics = check({ report, previous: examplePrevious(example), only: [rule.id] });
  return { report, diagnostics };
}

/** a number standing alone in a message (not part of a longer number) */
const hasNumber = (message: string, n: number) => new RegExp(`(?<![\\d.])${String(n).replace('-', '\\-')}(?![\\d.])`).test(message);

describe('rule catalogue', () => {
  it('has unique kebab-case ids, a severity, a Chinese title and docs', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id, r.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(['error', 'warning', 'info']).toContain(r.severity);
      expect(r.title, r.id).toMatch(CHINESE);
      expect(r.docs.length, r.id).toBeGreaterThan(20);
      expect(r.docs, r.id).toMatch(CHINESE);
    }
  });

  it('has the four rules of the contract, as errors', () => {
    for (const id of CONTRACT_RULES) {
      const r = RULES.find((x) => x.id === id);
      expect(r, id).toBeDefined();
      expect(r?.severity, id).toBe('error');
    }
  });

  it('every rule has examples', () => {
    const missing = RULES.filter((r) => !r.examples || r.examples.valid.length === 0 || r.examples.invalid.length === 0).map((r) => r.id);
    expect(missing).toEqual([]);
  });
});

describe('example base reports', () => {
  for (const format of ['2021', '2019'] as const) {
    it(`${format} 版: no diagnostic at all from the whole catalogue, with and without last year's report`, () => {
      expect(check({ report: baseReport(format), previous: previousReport(format) })).toEqual([]);
      expect(check({ report: baseReport(format) })).toEqual([]);
      expect(check({ report: previousReport(format) })).toEqual([]);
    });

    it(`${format} 版: the arithmetic holds and the narrative quotes the tables`, () => {
      const r = baseReport(format);
      expect(checkArithmetic(r)).toEqual([]);
      expect(r.sections.overview).toContain(`新收政府信息公开申请${r.applications.newReceived.total}件`);
      expect(r.sections.problems).toMatch(/整改|上年度/);
      expect(r.sections.other).toMatch(/信息处理费/);
      expect(previousReport(format).year).toBe((r.year ?? 0) - 1);
      expect(previousReport(format).applications.carriedForward).toEqual(r.applications.carriedOver);
    });
  }

  it('a new object on every call, and examples never change the base', () => {
    const a = baseReport();
    exampleReport({ report: { applications: { granted: { total: 1 } }, sections: { other: '无' } } });
    expect(baseReport()).toEqual(a);
    expect(baseReport()).not.toBe(a);
  });

  it('merge: objects merge, arrays and scalars replace, undefined removes', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } };
    expect(mergeDeep(base, { a: { c: [3] }, d: null, e: undefined })).toEqual({ a: { b: 1, c: [3] }, d: null });
    expect(base).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } });
    expect(exampleReport({ report: { format: '2019' } }).format).toBe('2019');
    expect(examplePrevious({ report: {} })).toBeNull();
    expect(examplePrevious({ report: {}, previous: {} })?.year).toBe(2022);
  });
});

describe.each(RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
  const examples = rule.examples;
  if (!examples) {
    it('has examples', () => {
      expect.fail(`rule ${id} has no examples`);
    });
    return;
  }

  it('has at least one valid and one invalid example', () => {
    expect(examples.valid.length).toBeGreaterThan(0);
    expect(examples.invalid.length).toBeGreaterThan(0);
    if (rule.crossYear) {
      for (const e of [...examples.valid, ...examples.invalid]) expect(e.previous, `${e.title}: needs last year's report`).toBeDefined();
    }
  });

  it.each(examples.valid.map((e) => [e.title, e] as const))('valid: %s', (_title, example) => {
    const { diagnostics } = runExample(rule, example);
    expect(diagnostics.filter((d) => d.rule === id)).toEqual([]);
  });

  it.each(examples.invalid.map((e) => [e.title, e] as const))('invalid: %s', (_title, example) => {
    const { report, diagnostics } = runExample(rule, example);
    const mine = diagnostics.filter((d) => d.rule === id);
    expect(mine.length).toBeGreaterThan(0);
    for (const d of mine) {
      expect(d.severity).toBe(example.severity ?? rule.severity);
      expect(d.message.trim().length).toBeGreaterThan(0);
      expect(d.message).toMatch(CHINESE);
      expect(d.path, d.message).not.toBeNull();
      expect(pathExists(report, (d.path ?? '').split('.')), `path ${d.path} exists`).toBe(true);
    }
    if (!CONTRACT_RULES.includes(id)) {
      expect(example.messageIncludes?.length ?? 0, 'an invalid example states what the message must show').toBeGreaterThan(0);
    }
    for (const text of example.messageIncludes ?? []) {
      expect(
        mine.some((d) => d.message.includes(text)),
        `“${text}” in ${mine.map((d) => d.message).join(' | ')}`,
      ).toBe(true);
    }

    // arithmetic rules: exactly the broken equations, each with its numbers
    if (CONTRACT_RULES.includes(id)) {
      const issues = checkArithmetic(report).filter((i) => i.rule === (id as ArithmeticRule));
      expect(mine.map((d) => d.path).sort()).toEqual(issues.map((i) => i.path).sort());
      for (const issue of issues) {
        const d = mine.find((x) => x.path === issue.path);
        const message = d?.message ?? '';
        const published = (issue.path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], report) ?? null) as
          | number
          | null;
        if (published === null) expect(message).toContain('空白');
        else expect(hasNumber(message, issue.actual), `${issue.actual} in ${message}`).toBe(true);
        if (id === 'applications-balance') {
          // 四 is off by the difference; the message gives both sides and the difference
          expect(message).toContain(`相差 ${Math.abs(issue.expected - issue.actual)}`);
        } else {
          expect(hasNumber(message, issue.expected), `${issue.expected} in ${message}`).toBe(true);
        }
      }
    }
  });
});

describe('arithmetic-fix', () => {
  const fix = (report: Report) => check({ report, only: ['arithmetic-fix'] });

  it('names “（一）予以公开·总计 应为 35” when that total is wrong', () => {
    const d = fix(exampleReport({ report: { applications: { granted: { total: 38 } } } }));
    expect(d).toHaveLength(1);
    expect(d[0].path).toBe('applications.granted.total');
    expect(d[0].message).toContain('（一）予以公开·总计 应为 35');
    expect(d[0].message).toContain('现为 38');
  });

  for (const format of ['2021', '2019'] as const) {
    it(`${format} 版: any single wrong cell of 表二 is named with its right value`, () => {
      const base = baseReport(format);
      for (const [row, cols] of Object.entries(base.applications)) {
        for (const { key: col } of APPLICANT_COLUMNS) {
          const right = cols[col] ?? 0;
          for (const wrong of [right + 2, right > 0 ? right - 1 : right + 7]) {
            const r = baseReport(format);
            r.applications[row][col] = wrong;
            const d = fix(r);
            const path = `applications.${row}.${col}`;
            expect(
              d.map((x) => x.path),
              path,
            ).toEqual([path]);
            expect(d[0].message).toContain(`${cellName(path)} 应为 ${right}（现为 ${wrong}）`);
          }
        }
      }
    });
  }

  it('stays silent when two cells are wrong in unrelated places', () => {
    const pairs: [string, string][] = [
      ['applications.granted.total', 'reviewLitigation.review.total'],
      ['applications.newReceived.naturalPerson', 'reviewLitigation.litigationDirect.upheld'],
      ['applications.granted.total', 'applications.unableNotHeld.commercial'],
      ['applications.carriedOver.total', 'applications.notProcessedDuplicate.naturalPerson'],
      ['applications.partlyGranted.commercial', 'applications.withheldThirdParty.naturalPerson'],
    ];
    for (const [a, b] of pairs) {
      const r = baseReport();
      for (const p of [a, b]) {
        const [t, row, col] = p.split('.');
        const table = (r as unknown as Record<string, Record<string, Record<string, number>>>)[t];
        table[row][col] += 3;
      }
      const all = check({ report: r });
      expect(
        all.some((d) => d.severity === 'error'),
        `${a} + ${b}: the sums are reported`,
      ).toBe(true);
      expect(
        all.filter((d) => d.rule === 'arithmetic-fix'),
        `${a} + ${b}`,
      ).toEqual([]);
    }
  });

  it('stays silent on 表三 where any of the five cells could be the wrong one', () => {
    for (const g of REVIEW_GROUPS) {
      for (const c of REVIEW_COLUMNS) {
        const r = baseReport();
        r.reviewLitigation[g.key][c.key] = (r.reviewLitigation[g.key][c.key] ?? 0) + 1;
        expect(fix(r)).toEqual([]);
      }
    }
  });
});

describe('docs/rules.md', () => {
  it('is what scripts/gen-rules-doc.ts generates from the catalogue (run `npm run docs:rules` after changing a rule)', () => {
    const current = readFileSync(RULES_DOC, 'utf8');
    expect(current === renderRulesDoc(), 'docs/rules.md is out of date: run npm run docs:rules').toBe(true);
  });

  it('lists every rule with its severity and shows an invalid example with its diagnostics', () => {
    const doc = renderRulesDoc();
    for (const r of RULES) {
      expect(doc).toContain(`### ${r.id}\n`);
      expect(doc).toContain(`| [\`${r.id}\`](#${r.id}) |`);
      const first = r.examples?.invalid[0];
      if (first) {
        const d = runExample(r, first).diagnostics[0];
        expect(doc).toContain(`${d.message}  ${r.id}`);
      }
    }
  });
});
