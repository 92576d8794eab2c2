import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/check/catalogue.js';
import { check } from '../../src/check/index.js';
import { NianbaoError } from '../../src/model/errors.js';
import type { Report } from '../../src/model/report.js';
import {
  describeCondition,
  INDICATOR_IDS,
  INDICATORS,
  parseRubric,
  type Rubric,
  RubricError,
  type RubricInput,
  rankScores,
  rubricDeadline,
  scoreBody,
  validateRubric,
} from '../../src/supervise/rubric.js';
import type { Body, BodyScore, BodyYearStatus, ScoringFacts } from '../../src/supervise/types.js';
import { sampleReport2019, sampleReport2021 } from '../helpers/arbitrary.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE = readFileSync(join(ROOT, 'rubrics', 'example.json'), 'utf8');
const README = readFileSync(join(ROOT, 'rubrics', 'README.md'), 'utf8');

// ---------------------------------------------------------------------------
// Facts by hand
// ---------------------------------------------------------------------------

const BODY: Body = {
  id: 7,
  name: '南京市栖霞区自然资源和规划局',
  aliases: [],
  tier: 'county',
  kind: 'department',
  parentId: 1,
  regionCode: '320113',
  regionCodeYear: 2022,
  creditCode: null,
  activeFrom: null,
  activeUntil: null,
};

function status(over: Partial<BodyYearStatus> = {}): BodyYearStatus {
  return {
    bodyId: BODY.id,
    year: 2022,
    deadline: '2023-01-31',
    state: 'published',
    overdue: true,
    publishedOn: '2023-01-18',
    daysLate: null,
    reportId: 1,
    versions: 1,
    errors: 0,
    warnings: 0,
    reviewedBy: null,
    reviewedAt: null,
    ...over,
  };
}

/** facts of a report: its diagnostics are the checker's */
function facts(report: Report | null, over: Partial<ScoringFacts> = {}, previous: Report | null = null): ScoringFacts {
  return {
    body: BODY,
    year: 2022,
    status: status(report === null ? { state: 'unpublished', publishedOn: null, reportId: null, versions: 0 } : {}),
    report,
    diagnostics: report ? check({ report, previous }) : [],
    previousSimilarity: null,
    copies: [],
    editedAfterPublication: false,
    ...over,
  };
}

/** a one-item rubric of `points` points around one deduction */
function one(deduction: Record<string, unknown>, item: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Rubric {
  const points = (item.points as number | undefined) ?? 10;
  return validateRubric({
    name: 't',
    total: points,
    mode: 'lenient',
    ...top,
    items: [{ id: 'x', name: '测试项', points, ...item, deductions: [deduction] }],
  });
}

const example = () => parseRubric(EXAMPLE, 'rubrics/example.json');

function problemsOf(text: string, file = 'r.json'): { path: string; zh: string; en: string }[] {
  try {
    parseRubric(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(RubricError);
    return (e as RubricError).problems;
  }
  throw new Error('the rubric was accepted');
}

const VALID: RubricInput = {
  name: '测试细则',
  total: 10,
  mode: 'strict',
  grades: [
    { min: 9, name: '优秀' },
    { min: 6, name: '合格' },
    { min: 0, name: '不合格' },
  ],
  items: [
    { id: 'a', name: '按时发布', points: 4, deductions: [{ when: { indicator: 'late', days: 10, perDay: true }, points: 0.5, max: 4 }] },
    {
      id: 'b',
      name: '数据',
      points: 6,
      cap: 5,
      deductions: [{ when: { indicator: 'diagnostic', rules: ['carry-over'], severity: ['warning'] }, points: 1, each: true }],
    },
    { id: 'c', name: '加分', points: 2, bonus: true, deductions: [{ when: { indicator: 'copied', above: 0.3 }, points: 2 }] },
  ],
};

// ---------------------------------------------------------------------------
// The format
// ---------------------------------------------------------------------------

describe('parseRubric: valid rubrics', () => {
  it('reads a valid rubric with its defaults', () => {
    const r = parseRubric(JSON.stringify(VALID), 'valid.json');
    expect(r.unpublishedScoresZero).toBe(true);
    expect(r.items[0].veto).toBe(false);
    expect(r.items[0].bonus).toBe(false);
    expect(r.items[0].deductions[0].each).toBe(false);
    expect(r.items[1].cap).toBe(5);
    expect(r.items[2].bonus).toBe(true);
  });

  it('reads YAML (by extension, and sniffed)', () => {
    const yaml = [
      'name: 宿迁 A1-4',
      'total: 2',
      'mode: lenient',
      'deadlines: { department: "03-31" }',
      'items:',
      '  - id: A1-4',
      '    name: 年度报告',
      '    points: 2',
      '    deductions:',
      '      - { when: { indicator: unpublished }, points: 2 }',
      '      - { when: { indicator: late }, points: 1 }',
      '      - when: { indicator: previous-similarity, above: 0.5 }',
      '        points: 0.5',
    ].join('\n');
    for (const file of ['suqian.yaml', 'suqian.yml', 'suqian.rubric']) {
      const r = parseRubric(yaml, file);
      expect(r.deadlines).toEqual({ department: '03-31' });
      expect(r.items[0].deductions.map((d) => d.when)).toEqual([
        { indicator: 'unpublished' },
        { indicator: 'late' },
        { indicator: 'previous-similarity', above: 0.5 },
      ]);
    }
    // JSON without the extension
    expect(parseRubric(`\uFEFF${JSON.stringify(VALID)}`, 'rubric').name).toBe('测试细则');
  });

  it('the YAML example of rubrics/README.md parses', () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(README)?.[1];
    expect(block).toBeDefined();
    const r = parseRubric(block as string, 'README.yaml');
    expect(r.items.map((i) => [i.id, i.bonus])).toEqual([
      ['A1-4', false],
      ['data', false],
      ['early', true],
    ]);
    expect(r.deadlines).toEqual({ department: '03-31', government: '03-31' });
  });

  it('the example rubric parses, totals 100 from the published indicators, with a veto for S1', () => {
    const r = example();
    expect(r.total).toBe(100);
    expect(r.items.filter((i) => !i.bonus).reduce((s, i) => s + i.points, 0)).toBe(100);
    expect(r.grades?.map((g) => g.name)).toEqual(['优秀', '良好', '合格', '不合格']);
    expect(r.deadlines).toEqual({ government: '03-31', department: '01-31' });
    const veto = r.items.filter((i) => i.veto);
    expect(veto.map((i) => i.id)).toEqual(['S1']);
    expect(veto[0].deductions[0].when.indicator).toBe('unpublished');
    const used = new Set(r.items.flatMap((i) => i.deductions.map((d) => d.when.indicator)));
    for (const ind of [
      'unpublished',
      'late',
      'edited-after-publication',
      'outdated-template',
      'sections-missing',
      'arithmetic',
      'continuity',
      'prose-tables',
      'previous-similarity',
      'copied',
      'problems-section',
      'fee-statement',
    ] as const)
      expect(used.has(ind), ind).toBe(true);
    for (const item of r.items) expect(item.note, item.id).toMatch(/S\d+/);
    expect(r.items.find((i) => i.id === 'S10')?.deductions[0].when).toEqual({ indicator: 'previous-similarity', above: 0.5 });
  });
});

describe('parseRubric: every problem, with its path and message', () => {
  it('lists all the problems of one file at once', () => {
    const bad = {
      name: '坏细则',
      total: 100,
      mode: 'strict',
      grades: [
        { min: 60, name: '合格' },
        { min: 90, name: '优秀' },
      ],
      items: [
        { id: 'a', name: '甲', points: 10, cap: 12, deductions: [{ when: { indicator: 'late' }, points: 1 }] },
        { id: 'a', name: '乙', points: 20, deductions: [{ when: { indicator: 'nonsense' }, points: 1 }] },
        { id: 'c', name: '丙', points: 30, deductions: [{ when: { indicator: 'diagnostic', rules: ['no-such-rule'] }, points: -1 }] },
      ],
    };
    let error: unknown;
    try {
      parseRubric(JSON.stringify(bad), 'bad.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RubricError);
    expect(error).toBeInstanceOf(NianbaoError);
    const e = error as RubricError;
    expect(e.code).toBe('bad-rubric');
    expect(e.file).toBe('bad.json');
    expect(e.problems.map((p) => p.path)).toEqual([
      'grades[1].min',
      'items[0].cap',
      'items[1].deductions[0].when.indicator',
      'items[1].id',
      'items[2].deductions[0].points',
      'items[2].deductions[0].when.rules[0]',
      'total',
    ]);
    const byPath = Object.fromEntries(e.problems.map((p) => [p.path, p]));
    expect(byPath['grades[1].min'].zh).toContain('从高到低');
    expect(byPath['grades[1].min'].en).toContain('descending');
    expect(byPath['items[0].cap'].zh).toBe('扣分上限 12 大于本项分值 10');
    expect(byPath['items[0].cap'].en).toBe("the cap 12 is above the item's points 10");
    expect(byPath['items[1].deductions[0].when.indicator'].zh).toContain('未知的指标 "nonsense"');
    expect(byPath['items[1].deductions[0].when.indicator'].en).toContain('unknown indicator "nonsense"');
    expect(byPath['items[1].id'].zh).toBe('编号 "a" 与 items[0].id 重复');
    expect(byPath['items[2].deductions[0].points'].zh).toBe('不能为负数，实际为 -1');
    expect(byPath['items[2].deductions[0].points'].en).toBe('should not be negative, found -1');
    expect(byPath['items[2].deductions[0].when.rules[0]'].zh).toContain('不是检查规则的编号');
    expect(byPath['items[2].deductions[0].when.rules[0]'].zh).toContain('"no-such-rule"');
    expect(byPath.total.zh).toBe('各评分项（加分项除外）的分值之和为 60，与总分 100 不一致');
    // the sentences name the file, and each path with its problem
    expect(e.zh).toContain('评分细则 bad.json 有 7 处问题');
    expect(e.zh).toContain('items[2].deductions[0].points：不能为负数');
    expect(e.en).toContain('The rubric bad.json has 7 problem(s)');
    expect(e.en).toContain('items[0].cap: the cap 12 is above');
    expect(e.message).toBe(`${e.zh} / ${e.en}`);
    expect(e.details).toEqual({ file: 'bad.json', problems: e.problems });
  });

  it('a bonus item is left out of the total; a cap equal to the points is fine', () => {
    const ok = {
      name: 'x',
      total: 5,
      mode: 'lenient',
      items: [
        { id: 'a', name: '甲', points: 5, cap: 5, deductions: [{ when: { indicator: 'late' }, points: 9 }] },
        { id: 'b', name: '乙', points: 3, bonus: true, deductions: [{ when: { indicator: 'late', days: -10 }, points: 3 }] },
      ],
    };
    expect(() => parseRubric(JSON.stringify(ok), 'ok.json')).not.toThrow();
    // counting the bonus item towards the total is an error
    expect(problemsOf(JSON.stringify({ ...ok, total: 8 }))).toEqual([
      {
        path: 'total',
        zh: '各评分项（加分项除外）的分值之和为 5，与总分 8 不一致',
        en: 'the points of the items (bonus items aside) add up to 5, not the total 8',
      },
    ]);
  });

  it('names each kind of problem', () => {
    const base = VALID as unknown as Record<string, unknown>;
    const items = VALID.items as Record<string, unknown>[];
    const cases: [unknown, string, string][] = [
      [{ ...base, mode: 'harsh' }, 'mode', '应为 "strict"、"lenient" 之一，实际为 "harsh"'],
      [{ ...base, name: undefined }, 'name', '缺少必填字段'],
      [{ ...base, total: '100' }, 'total', '应为数字，实际为 "100"'],
      [{ ...base, totl: 10 }, 'totl', '未知的字段（拼写错误？）'],
      [{ ...base, items: [] }, 'items', '至少应有 1 项'],
      [{ ...base, deadlines: { department: '02-30' } }, 'deadlines.department', '应为“MM-DD”格式的月日'],
      [{ ...base, deadlines: { department: '3-31' } }, 'deadlines.department', '应为“MM-DD”格式的月日'],
      [{ ...base, grades: [{ min: 11, name: '满分' }] }, 'grades[0].min', '分数线 11 高于总分 10'],
      [{ ...base, failedGrade: '零分' }, 'failedGrade', '等次 "零分" 不在 grades 中'],
      [
        { ...base, items: [{ ...items[0], deductions: [{ when: {}, points: 1 }] }, items[1], items[2]] },
        'items[0].deductions[0].when.indicator',
        '缺少指标 indicator',
      ],
      [
        { ...base, items: [{ ...items[0], deductions: [{ when: { indicator: 'late', day: 3 }, points: 1 }] }, items[1], items[2]] },
        'items[0].deductions[0].when.day',
        '未知的字段',
      ],
      [
        { ...base, items: [items[0], items[1], { ...items[2], deductions: [{ when: { indicator: 'copied', above: 80 }, points: 1 }] }] },
        'items[2].deductions[0].when.above',
        '应小于 1，实际为 80',
      ],
      [
        { ...base, items: [items[0], items[1], { ...items[2], deductions: [{ when: { indicator: 'copied' }, points: 1 }] }] },
        'items[2].deductions[0].when.above',
        '缺少必填字段',
      ],
      [
        { ...base, items: [items[0], { ...items[1], deductions: [{ when: { indicator: 'diagnostic' }, points: 1 }] }, items[2]] },
        'items[1].deductions[0].when',
        '应至少给出 rules（规则编号）或 severity（严重程度）之一',
      ],
      [
        {
          ...base,
          items: [items[0], { ...items[1], deductions: [{ when: { indicator: 'diagnostic', severity: 'fatal' }, points: 1 }] }, items[2]],
        },
        'items[1].deductions[0].when.severity',
        '应为 "error"、"warning"、"info" 之一，或由它们组成的列表，实际为 "fatal"',
      ],
      [{ ...base, items: [items[0], items[1], { ...items[2], veto: true }] }, 'items[2].bonus', '否决项不能同时是加分项'],
      [{ ...base, items: [{ ...items[0], points: 4, deductions: [] }, items[1], items[2]] }, 'items[0].deductions', '至少应有 1 项'],
    ];
    for (const [value, path, zh] of cases) {
      const problems = problemsOf(JSON.stringify(value));
      expect(
        problems.map((p) => p.path),
        path,
      ).toEqual([path]);
      expect(problems[0].zh, path).toContain(zh);
      expect(problems[0].en.length, path).toBeGreaterThan(0);
    }
  });

  it('reports syntax errors of JSON and YAML, and an empty file', () => {
    const json = problemsOf('{ "name": ', 'broken.json');
    expect(json).toHaveLength(1);
    expect(json[0].zh).toMatch(/^不是有效的 JSON/);
    const yaml = problemsOf('name: x\n  total: [1,\nitems: }', 'broken.yaml');
    expect(yaml.length).toBeGreaterThan(0);
    expect(yaml[0].zh).toMatch(/^不是有效的 YAML（第 \d+ 行第 \d+ 列）/);
    expect(yaml[0].en).toMatch(/line \d+, column \d+/);
    expect(problemsOf('  \n', 'empty.yaml')).toEqual([{ path: '', zh: '文件为空', en: 'the file is empty' }]);
    // a YAML file with a problem of content names its path like a JSON one
    const p = problemsOf(
      'name: x\ntotal: 1\nmode: strict\nitems:\n  - { id: a, name: 甲, points: -1, deductions: [{ when: { indicator: late }, points: 1 }] }\n',
      'r.yml',
    );
    expect(p.map((x) => x.path)).toEqual(['items[0].points', 'total']);
    expect(() => parseRubric('name: x\n', 'named.yaml')).toThrow(/评分细则 named\.yaml 有 3 处问题.*The rubric named\.yaml has 3 problem/);
  });
});

describe('INDICATORS', () => {
  it('documents every indicator in Chinese and English, with checker rules that exist', () => {
    const ids = new Set(RULES.map((r) => r.id));
    expect(Object.keys(INDICATORS).sort()).toEqual([...INDICATOR_IDS].sort());
    for (const id of INDICATOR_IDS) {
      const info = INDICATORS[id];
      expect(info.id).toBe(id);
      expect(info.zh).toMatch(/\p{Script=Han}/u);
      expect(info.description).toMatch(/\p{Script=Han}/u);
      expect(info.en.length).toBeGreaterThan(0);
      expect(info.descriptionEn.length).toBeGreaterThan(0);
      for (const r of info.rules) expect(ids.has(r), `${id}: ${r}`).toBe(true);
      // rubrics/README.md lists it with its Chinese name
      expect(README).toContain(`| \`${id}\` | ${info.zh} |`);
    }
  });

  it('describes conditions in words', () => {
    expect(describeCondition({ indicator: 'late', days: 30 }).zh).toBe('逾期发布超过 30 天');
    expect(describeCondition({ indicator: 'late', days: -15 }).zh).toBe('未在期限前 15 天以上发布');
    expect(describeCondition({ indicator: 'previous-similarity', above: 0.5 }).zh).toBe('与上年报告重复率超过 50%');
    expect(describeCondition({ indicator: 'diagnostic', rules: ['carry-over'], severity: 'warning' }).zh).toBe(
      '检查发现的问题（规则 carry-over，警告）',
    );
    expect(describeCondition({ indicator: 'arithmetic' }).zh).toBe('表格勾稽关系不成立');
  });
});

// ---------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------

/** three broken 表三 totals: exactly three review-litigation-total errors */
function threeArithmeticErrors(): Report {
  const r = sampleReport2021();
  r.reviewLitigation.review.total = 8;
  r.reviewLitigation.litigationDirect.total = 6;
  r.reviewLitigation.litigationAfterReview.total = 6;
  return r;
}

/** an ambiguous cell: 表二 予以公开·自然人 could be 58 or 5, so its sums fail */
function ambiguousReport(): Report {
  const r = sampleReport2021();
  r.applications.granted.naturalPerson = null;
  r.ambiguities = [{ path: 'applications.granted.naturalPerson', candidates: [58, 5] }];
  return r;
}

describe('scoreBody', () => {
  it('a clean report keeps every point of the example rubric', () => {
    const s = scoreBody(facts(sampleReport2021()), example());
    expect(s).toMatchObject({ bodyId: 7, year: 2022, score: 100, max: 100, failed: false, failedBy: [], grade: '优秀', deductions: [] });
    expect(s.items.every((i) => i.kept === i.points)).toBe(true);
  });

  it('S1: an unpublished report fails by the veto and scores 0', () => {
    const r = example();
    const s = scoreBody(facts(null), r);
    expect(s.failed).toBe(true);
    expect(s.failedBy).toEqual(['S1']);
    expect(s.score).toBe(0);
    expect(s.grade).toBe('不合格');
    const s1 = s.deductions.find((d) => d.itemId === 'S1');
    expect(s1).toMatchObject({ points: 10, reason: '未发布年度报告', uncertain: false });
    expect(s1?.evidence[0].message).toBe('未发布 2022 年度政府信息公开工作年度报告（公布期限 2023-01-31，已逾期）');
    expect(s.deductions.find((d) => d.itemId === 'S7')).toMatchObject({ points: 20, reason: '未发布年度报告，本项不得分' });
    // only the unpublished deductions count when the other items keep their points
    const kept = scoreBody(facts(null), { ...r, unpublishedScoresZero: false });
    expect(kept.score).toBe(90);
    expect(kept.failed).toBe(true);
    expect(kept.grade).toBe('不合格');
    expect(kept.deductions.map((d) => d.itemId)).toEqual(['S1']);
  });

  it('S2: a late report loses the late points, with the days as evidence', () => {
    const late = facts(sampleReport2021(), { status: status({ state: 'late', publishedOn: '2023-02-10', daysLate: 10 }) });
    const s = scoreBody(late, example());
    expect(s.score).toBe(95);
    expect(s.grade).toBe('优秀');
    expect(s.deductions).toEqual([
      {
        itemId: 'S2',
        itemName: '按期发布',
        points: 5,
        reason: '逾期发布（逾期即扣）',
        evidence: [{ path: 'publishedOn', message: '2023-02-10 发布，晚于期限 2023-01-31 10 天' }],
        uncertain: false,
      },
    ]);
    // on the deadline day is in time; 30 days late is not "more than 30 days"
    expect(scoreBody(facts(sampleReport2021(), { status: status({ publishedOn: '2023-01-31' }) }), example()).score).toBe(100);
    expect(scoreBody(facts(sampleReport2021(), { status: status({ state: 'late', publishedOn: '2023-03-02' }) }), example()).score).toBe(
      95,
    );
    // more than 30 days late: both deductions
    const very = facts(sampleReport2021(), { status: status({ state: 'late', publishedOn: '2023-03-15', daysLate: 43 }) });
    const v = scoreBody(very, example());
    expect(v.score).toBe(90);
    expect(v.deductions.map((d) => d.points)).toEqual([5, 5]);
    expect(v.deductions[1].reason).toBe('逾期发布超过 30 天（逾期超过 30 天再扣）');
    expect(v.deductions[1].evidence[0].message).toContain('43 天');
  });

  it('S2: per day, capped by max; the rubric deadline replaces the statutory one', () => {
    const rubric = one({ when: { indicator: 'late', perDay: true }, points: 0.25, max: 3 }, { points: 5 });
    const f = (on: string) => facts(sampleReport2021(), { status: status({ state: 'late', publishedOn: on }) });
    expect(scoreBody(f('2023-02-04'), rubric).score).toBe(4); // 4 days × 0.25
    expect(scoreBody(f('2023-03-04'), rubric).score).toBe(2); // 32 days, at most 3
    // 宿迁: departments by 03-31
    const suqian = one({ when: { indicator: 'late' }, points: 1 }, { points: 2 }, { deadlines: { department: '03-31' } });
    expect(rubricDeadline(f('2023-02-10'), suqian)).toBe('2023-03-31');
    expect(scoreBody(f('2023-02-10'), suqian).score).toBe(2);
    const s = scoreBody(f('2023-04-03'), suqian);
    expect(s.score).toBe(1);
    expect(s.deductions[0].evidence[0].message).toBe('2023-04-03 发布，晚于期限 2023-03-31 3 天');
  });

  it('S2: an unknown publication date is uncertain (strict deducts, lenient does not)', () => {
    const report = { ...sampleReport2021(), publishedOn: null };
    const f = facts(report, { status: status({ publishedOn: null }) });
    const rubric = one({ when: { indicator: 'late' }, points: 3 });
    const lenient = scoreBody(f, rubric);
    expect(lenient.score).toBe(10);
    expect(lenient.deductions).toHaveLength(1);
    expect(lenient.deductions[0]).toMatchObject({ points: 0, uncertain: true });
    expect(lenient.deductions[0].evidence[0].message).toBe('发布日期不明，无法判断是否在期限 2023-01-31 前发布');
    const strict = scoreBody(f, rubric, { mode: 'strict' });
    expect(strict.score).toBe(7);
    expect(strict.deductions[0]).toMatchObject({ points: 3, uncertain: true });
    // the store says late, date unknown: late for sure
    const known = facts(report, { status: status({ state: 'late', publishedOn: null, daysLate: null }) });
    expect(scoreBody(known, rubric).score).toBe(7);
  });

  it('S4: edited after publication', () => {
    const s = scoreBody(facts(sampleReport2021(), { editedAfterPublication: true, status: status({ versions: 3 }) }), example());
    expect(s.score).toBe(95);
    expect(s.deductions[0]).toMatchObject({ itemId: 'S4', points: 5, reason: '发布后修改' });
    expect(s.deductions[0].evidence[0].message).toContain('共 3 个版本');
  });

  it('S6: an outdated template and missing sections', () => {
    const old = { ...sampleReport2019(), year: 2022 };
    const s = scoreBody(facts(old), example());
    const s6 = s.deductions.filter((d) => d.itemId === 'S6');
    expect(s6).toHaveLength(1);
    expect(s6[0]).toMatchObject({ points: 10, reason: '使用旧版格式' });
    expect(s6[0].evidence[0]).toMatchObject({ rule: 'outdated-template', path: 'proactive' });
    expect(s6[0].evidence[0].message).toContain('2019 年版格式');

    const missing = sampleReport2021();
    missing.template = { sectionsFound: ['overview', 'proactive', 'applications'] };
    const m = scoreBody(facts(missing), example());
    const ms = m.deductions.filter((d) => d.itemId === 'S6');
    expect(ms.map((d) => d.evidence[0].path)).toEqual(['reviewLitigation', 'sections.problems', 'sections.other']);
    expect(ms.map((d) => d.points)).toEqual([3, 3, 3]);
    expect(m.items.find((i) => i.id === 'S6')?.kept).toBe(6);
  });

  it('S7: three 勾稽 errors deduct three times, up to the cap', () => {
    const f = facts(threeArithmeticErrors());
    expect(f.diagnostics.filter((d) => d.rule === 'review-litigation-total')).toHaveLength(3);
    const rubric = one({ when: { indicator: 'arithmetic' }, points: 1, each: true }, { points: 5, cap: 2.5 });
    const s = scoreBody(f, rubric);
    expect(s.deductions.map((d) => d.points)).toEqual([1, 1, 0.5]);
    expect(s.deductions[2].reason).toBe('表格勾稽关系不成立（本项最多扣 2.5 分，已扣满）');
    expect(s.deductions.map((d) => d.evidence[0].path)).toEqual([
      'reviewLitigation.review.total',
      'reviewLitigation.litigationDirect.total',
      'reviewLitigation.litigationAfterReview.total',
    ]);
    expect(s.deductions[0].evidence[0].rule).toBe('review-litigation-total');
    expect(s.deductions[0].evidence[0].message).toContain('总计');
    expect(s.items[0]).toEqual({ id: 'x', name: '测试项', points: 5, kept: 2.5 });
    expect(s.score).toBe(2.5);
    // without `each`: once
    expect(scoreBody(f, one({ when: { indicator: 'arithmetic' }, points: 1 }, { points: 5 })).score).toBe(4);
    // a deduction's own max
    const max = scoreBody(f, one({ when: { indicator: 'arithmetic' }, points: 1, each: true, max: 2 }, { points: 5 }));
    expect(max.score).toBe(3);
    expect(max.deductions.map((d) => d.points)).toEqual([1, 1, 0]);
    expect(max.deductions[2].reason).toBe('表格勾稽关系不成立（本条最多扣 2 分）');
    // the example: −2 each
    expect(scoreBody(f, example()).items.find((i) => i.id === 'S7')?.kept).toBe(14);
  });

  it('S8: continuity with last year (carry-over per column)', () => {
    // last year's report carried forward 17 applications; this year's says 11 were carried over
    const previous = { ...sampleReport2021(), year: 2021 };
    const f = facts(sampleReport2021(), {}, previous);
    const n = f.diagnostics.filter((d) => d.rule === 'carry-over' || d.rule === 'in-force-continuity').length;
    expect(n).toBeGreaterThan(0);
    const s = scoreBody(f, example());
    const s8 = s.deductions.filter((d) => d.itemId === 'S8');
    expect(s8).toHaveLength(n);
    expect(s.items.find((i) => i.id === 'S8')?.kept).toBe(Math.max(0, 10 - 2 * n));
  });

  it('S9: prose figures that differ from the tables', () => {
    const r = sampleReport2021();
    r.sections.overview = (r.sections.overview ?? '').replace('366件', '367件');
    const s = scoreBody(facts(r), example());
    expect(s.deductions).toHaveLength(1);
    expect(s.deductions[0]).toMatchObject({ itemId: 'S9', points: 2, reason: '正文数字与表格不一致' });
    expect(s.deductions[0].evidence[0]).toMatchObject({ rule: 'prose-figures', path: 'applications.newReceived.total' });
    expect(s.score).toBe(98);
  });

  it('S10: repetition with last year above the threshold, with the passages', () => {
    const passages = [{ mine: '严格落实公开属性源头认定和保密审查机制。', theirs: '严格落实公开属性源头认定和保密审查机制。' }];
    const above = scoreBody(facts(sampleReport2021(), { previousSimilarity: { ratio: 0.62, passages } }), example());
    expect(above.score).toBe(95);
    expect(above.deductions[0]).toMatchObject({ itemId: 'S10', points: 5, reason: '与上年报告重复率超过 50%' });
    expect(above.deductions[0].evidence).toEqual([
      { message: '与本机关上年报告的重复率为 62%（阈值 50%）' },
      { message: `对方原文：${passages[0].theirs}`, quote: passages[0].mine },
    ]);
    const below = scoreBody(facts(sampleReport2021(), { previousSimilarity: { ratio: 0.5, passages } }), example());
    expect(below.score).toBe(100);
  });

  it('S11: copied text, one deduction per other body with `each`', () => {
    const copies = [
      { otherBodyId: 11, otherName: '甲区民政局', ratio: 0.91, passages: [{ mine: '我局高度重视', theirs: '我局高度重视' }] },
      { otherBodyId: 12, otherName: '乙区民政局', ratio: 0.85, passages: [] },
      { otherBodyId: 13, otherName: '丙区民政局', ratio: 0.6, passages: [] },
    ];
    const rubric = one({ when: { indicator: 'copied', above: 0.8 }, points: 2, each: true }, { points: 5 });
    const s = scoreBody(facts(sampleReport2021(), { copies }), rubric);
    expect(s.deductions.map((d) => d.points)).toEqual([2, 2]);
    expect(s.deductions[0].evidence).toEqual([
      { message: '与“甲区民政局”的报告雷同，相似度 91%（阈值 80%）', otherBodyId: 11 },
      { message: '对方原文：我局高度重视', quote: '我局高度重视', otherBodyId: 11 },
    ]);
    expect(s.deductions[1].evidence[0].otherBodyId).toBe(12);
    expect(s.score).toBe(1);
    // the example deducts once
    expect(scoreBody(facts(sampleReport2021(), { copies }), example()).score).toBe(95);
  });

  it('S12 and S13: problems section and fee statement', () => {
    const r = sampleReport2021();
    r.sections.problems = '存在的问题是政策解读形式比较单一。';
    r.sections.other = '无。';
    const s = scoreBody(facts(r), example());
    expect(s.deductions.map((d) => [d.itemId, d.points, d.evidence[0].rule])).toEqual([
      ['S12', 2.5, 'problems-section'],
      ['S12', 2.5, 'problems-section'],
      ['S13', 5, 'fee-statement'],
    ]);
    expect(s.score).toBe(90);
    expect(s.grade).toBe('优秀');
  });

  it('diagnostic: by rule ids and by severity', () => {
    const f = facts(threeArithmeticErrors());
    // the sample agency has no rule-making power: one regulations-authority info
    expect(f.diagnostics.map((d) => d.severity).sort()).toEqual(['error', 'error', 'error', 'info']);
    expect(scoreBody(f, one({ when: { indicator: 'diagnostic', severity: 'info' }, points: 1, each: true })).score).toBe(9);
    expect(scoreBody(f, one({ when: { indicator: 'diagnostic', severity: ['error', 'info'] }, points: 1, each: true })).score).toBe(6);
    expect(
      scoreBody(f, one({ when: { indicator: 'diagnostic', rules: ['review-litigation-total'], severity: 'warning' }, points: 1 })).score,
    ).toBe(10);
    expect(scoreBody(f, one({ when: { indicator: 'diagnostic', rules: ['review-litigation-total'] }, points: 1 })).score).toBe(9);
  });

  it('strict and lenient differ on an ambiguous cell', () => {
    const f = facts(ambiguousReport());
    // the sums through the ambiguous cell fail
    expect(f.diagnostics.map((d) => d.rule)).toEqual(
      expect.arrayContaining(['applications-row-total', 'applications-outcome-total', 'ambiguous-cell']),
    );
    const lenientRubric = one({ when: { indicator: 'arithmetic' }, points: 2, each: true });
    const lenient = scoreBody(f, lenientRubric);
    const strict = scoreBody(f, { ...lenientRubric, mode: 'strict' });
    expect(lenient.score).toBe(10);
    expect(strict.score).toBe(6);
    expect(lenient.deductions.map((d) => [d.points, d.uncertain])).toEqual([
      [0, true],
      [0, true],
    ]);
    expect(lenient.deductions[0].reason).toContain('宽松模式下不扣分');
    expect(strict.deductions.map((d) => [d.points, d.uncertain])).toEqual([
      [2, true],
      [2, true],
    ]);
    // the evidence stays visible in both modes
    expect(lenient.deductions.map((d) => d.evidence[0].path).sort()).toEqual([
      'applications.granted.total',
      'applications.outcomeTotal.naturalPerson',
    ]);
    // the same sums broken without an ambiguity deduct in lenient mode too
    const plainBroken = ambiguousReport();
    plainBroken.ambiguities = [];
    expect(scoreBody(facts(plainBroken), lenientRubric).score).toBe(6);
    // the ambiguous-cell diagnostic itself
    const amb = one({ when: { indicator: 'diagnostic', rules: ['ambiguous-cell'] }, points: 1 });
    expect(scoreBody(f, amb).score).toBe(10);
    expect(scoreBody(f, amb, { mode: 'strict' }).score).toBe(9);
    // a broken sum elsewhere stays certain in lenient mode
    const both = ambiguousReport();
    both.reviewLitigation.review.total = 8;
    const b = scoreBody(facts(both), lenientRubric);
    expect(b.score).toBe(8);
    expect(b.deductions.find((d) => d.points === 2)?.evidence[0].path).toBe('reviewLitigation.review.total');
  });

  it('a published report whose content is not at hand is uncertain for content indicators', () => {
    const f = facts(null, { status: status() });
    const rubric = one({ when: { indicator: 'arithmetic' }, points: 4 });
    expect(scoreBody(f, rubric).score).toBe(10);
    expect(scoreBody(f, rubric).deductions[0]).toMatchObject({ points: 0, uncertain: true });
    expect(scoreBody(f, rubric, { mode: 'strict' }).score).toBe(6);
  });

  it('a veto fails the report whatever its points; lenient does not veto on uncertain evidence', () => {
    const rubric = validateRubric({
      name: 'v',
      total: 10,
      mode: 'lenient',
      grades: [
        { min: 6, name: '合格' },
        { min: 0, name: '不合格' },
      ],
      items: [
        { id: 'v', name: '数据不得失真', points: 0, veto: true, deductions: [{ when: { indicator: 'arithmetic' }, points: 0 }] },
        { id: 'a', name: '其他', points: 10, deductions: [{ when: { indicator: 'fee-statement' }, points: 1 }] },
      ],
    });
    const s = scoreBody(facts(threeArithmeticErrors()), rubric);
    expect(s).toMatchObject({ score: 10, failed: true, failedBy: ['v'], grade: '不合格' });
    expect(scoreBody(facts(sampleReport2021()), rubric)).toMatchObject({ score: 10, failed: false, failedBy: [], grade: '合格' });
    expect(scoreBody(facts(ambiguousReport()), rubric).failed).toBe(false);
    expect(scoreBody(facts(ambiguousReport()), rubric, { mode: 'strict' }).failed).toBe(true);
    expect(scoreBody(facts(threeArithmeticErrors()), { ...rubric, failedGrade: '合格' }).grade).toBe('合格');
  });

  it('bonus items add, never above the total, and not on uncertain evidence', () => {
    const rubric = validateRubric({
      name: 'b',
      total: 10,
      mode: 'lenient',
      items: [
        { id: 'a', name: '勾稽', points: 10, deductions: [{ when: { indicator: 'arithmetic' }, points: 1, each: true }] },
        { id: 'early', name: '提前发布', points: 2, bonus: true, deductions: [{ when: { indicator: 'late', days: -10 }, points: 2 }] },
      ],
    });
    const early = { status: status({ publishedOn: '2023-01-18' }) }; // 13 days early
    const onTime = { status: status({ publishedOn: '2023-01-25' }) }; // 6 days early
    expect(scoreBody(facts(threeArithmeticErrors(), early), rubric).score).toBe(9); // 7 + 2
    expect(scoreBody(facts(threeArithmeticErrors(), onTime), rubric).score).toBe(7);
    const withBonus = scoreBody(facts(threeArithmeticErrors(), onTime), rubric);
    expect(withBonus.deductions.at(-1)).toMatchObject({ itemId: 'early', points: 2 });
    expect(withBonus.deductions.at(-1)?.evidence[0].message).toBe('2023-01-25 发布，早于期限 2023-01-31 6 天');
    // capped at the total
    const full = scoreBody(facts(sampleReport2021(), early), rubric);
    expect(full.score).toBe(10);
    expect(full.items).toEqual([
      { id: 'a', name: '勾稽', points: 10, kept: 10 },
      { id: 'early', name: '提前发布', points: 2, kept: 2 },
    ]);
    // an unknown date earns no bonus, even in lenient mode
    const unknown = facts({ ...threeArithmeticErrors(), publishedOn: null }, { status: status({ publishedOn: null }) });
    expect(scoreBody(unknown, rubric).score).toBe(7);
    // no report, no bonus
    const none = scoreBody(facts(null), { ...rubric, unpublishedScoresZero: false });
    expect(none.items.find((i) => i.id === 'early')?.kept).toBe(0);
    expect(none.score).toBe(10);
  });

  it('grades follow the thresholds', () => {
    const rubric = one(
      { when: { indicator: 'arithmetic' }, points: 1, each: true },
      { points: 100 },
      {
        grades: [
          { min: 98, name: '优秀' },
          { min: 97, name: '合格' },
        ],
      },
    );
    expect(scoreBody(facts(sampleReport2021()), rubric).grade).toBe('优秀');
    const r = sampleReport2021();
    r.reviewLitigation.review.total = 8;
    r.reviewLitigation.litigationDirect.total = 6;
    expect(scoreBody(facts(r), rubric)).toMatchObject({ score: 98, grade: '优秀' });
    expect(scoreBody(facts(threeArithmeticErrors()), rubric)).toMatchObject({ score: 97, grade: '合格' });
    // below every threshold: no grade
    const four = threeArithmeticErrors();
    four.applications.granted.total = 86;
    expect(scoreBody(facts(four), rubric).grade).toBeNull();
    expect(scoreBody(facts(sampleReport2021()), one({ when: { indicator: 'arithmetic' }, points: 1 })).grade).toBeNull();
  });
});

// ---------------------------------------------------------------------------
// Ranking
// ---------------------------------------------------------------------------

function score(bodyId: number, value: number, failed = false): BodyScore {
  return { bodyId, year: 2022, score: value, max: 100, failed, failedBy: failed ? ['S1'] : [], items: [], deductions: [], grade: null };
}

describe('rankScores', () => {
  it('ranks within groups, ties sharing a rank, failed reports last', () => {
    const group: Record<number, string> = { 1: '县级', 2: '县级', 3: '县级', 4: '县级', 5: '县级', 6: '市级', 7: '市级', 8: '县级' };
    const ranked = rankScores(
      [score(1, 80), score(2, 95), score(6, 70), score(3, 80), score(4, 99, true), score(5, 60), score(7, 70), score(8, 50, true)],
      (id) => group[id],
    );
    expect(ranked).toEqual([
      { bodyId: 2, rank: 1, group: '县级', score: 95, failed: false },
      { bodyId: 1, rank: 2, group: '县级', score: 80, failed: false },
      { bodyId: 3, rank: 2, group: '县级', score: 80, failed: false },
      { bodyId: 5, rank: 4, group: '县级', score: 60, failed: false },
      { bodyId: 4, rank: 5, group: '县级', score: 99, failed: true },
      { bodyId: 8, rank: 6, group: '县级', score: 50, failed: true },
      { bodyId: 6, rank: 1, group: '市级', score: 70, failed: false },
      { bodyId: 7, rank: 1, group: '市级', score: 70, failed: false },
    ]);
  });

  it('ranks real scores: equal after rounding tie; failed tie among themselves', () => {
    const rubric = example();
    const clean = scoreBody({ ...facts(sampleReport2021()), body: { ...BODY, id: 1 } }, rubric);
    const late = scoreBody(
      { ...facts(sampleReport2021(), { status: status({ state: 'late', publishedOn: '2023-02-02' }) }), body: { ...BODY, id: 2 } },
      rubric,
    );
    const missingA = scoreBody({ ...facts(null), body: { ...BODY, id: 3 } }, rubric);
    const missingB = scoreBody({ ...facts(null), body: { ...BODY, id: 4 } }, rubric);
    const ranked = rankScores([missingA, late, missingB, clean], () => '');
    expect(ranked.map((r) => [r.bodyId, r.rank, r.score, r.failed])).toEqual([
      [1, 1, 100, false],
      [2, 2, 95, false],
      [3, 3, 0, true],
      [4, 3, 0, true],
    ]);
    expect(rankScores([], () => '')).toEqual([]);
  });
});
