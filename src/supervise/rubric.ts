/**
 * Scoring rubrics (issue 15): a rubric is data (JSON or YAML) that a supervising office edits —
 * items with points, deductions triggered by indicators (the automatable catalogue S1–S25 of
 * `shared/spec/supervision.md`), veto items, bonus items and grades, after the pattern of
 * 国办秘函〔2019〕19号 (单项否决、扣分指标 capped per indicator、加分指标) and the 宿迁 rubric.
 *
 * - `RubricSchema` / `parseRubric`: the format, and its reading with every problem listed (path
 *   inside the file, Chinese and English);
 * - `INDICATORS`: every indicator with its Chinese name and description (the web app shows those,
 *   never the ids);
 * - `scoreBody`: the score of one body's report for a year from its `ScoringFacts`, every
 *   deduction with its evidence;
 * - `rankScores`: ranks within groups.
 *
 * The format is documented for the offices in `rubrics/README.md`; `rubrics/example.json` is an
 * example built from the published indicators.
 */
import YAML from 'yaml';
import { z } from 'zod';
import { RULES } from '../check/catalogue.js';
import { equations, residual } from '../check/equations.js';
import type { Diagnostic } from '../check/types.js';
import { NianbaoError } from '../model/errors.js';
import type { Report } from '../model/report.js';
import type { BodyScore, Deduction, Evidence, ScoringFacts } from './types.js';

// ---------------------------------------------------------------------------
// Indicators
// ---------------------------------------------------------------------------

export const INDICATOR_IDS = [
  'unpublished',
  'late',
  'edited-after-publication',
  'sections-missing',
  'outdated-template',
  'table-labels',
  'cell-values',
  'arithmetic',
  'continuity',
  'prose-tables',
  'previous-similarity',
  'copied',
  'problems-section',
  'fee-statement',
  'diagnostic',
] as const;
export type Indicator = (typeof INDICATOR_IDS)[number];

export interface IndicatorParam {
  name: string;
  required: boolean;
  zh: string;
  en: string;
}

export interface IndicatorInfo {
  id: Indicator;
  /** the line of the automatable indicator catalogue (supervision.md), e.g. "S7", or null */
  code: string | null;
  /** Chinese name, shown to users */
  zh: string;
  en: string;
  /** what it finds and from which facts (Chinese, then English) */
  description: string;
  descriptionEn: string;
  /** the checker rules whose diagnostics it counts (empty: it reads other facts) */
  rules: readonly string[];
  /** its parameters besides `indicator` */
  params: readonly IndicatorParam[];
  /** it reads the report's content: a published report whose content is not at hand is uncertain */
  needsReport: boolean;
}

/** the four arithmetic rules (表二、表三 勾稽); `arithmetic-fix` only suggests a repair and is not counted again */
const ARITHMETIC_RULES = [
  'applications-balance',
  'applications-outcome-total',
  'applications-row-total',
  'review-litigation-total',
] as const;

const ABOVE: IndicatorParam = {
  name: 'above',
  required: true,
  zh: '相似度阈值（0–1，超过才扣分）',
  en: 'similarity threshold (0–1); only a ratio above it counts',
};

/** Every indicator a rubric's deduction can be triggered by. */
export const INDICATORS: Readonly<Record<Indicator, IndicatorInfo>> = {
  unpublished: {
    id: 'unpublished',
    code: 'S1',
    zh: '未发布年度报告',
    en: 'Report not published',
    description: '名录中的机关没有发布本年度的年度报告（发布情况为“未发布”）。',
    descriptionEn: 'A body of the directory has not published its report for the year (filing state "unpublished").',
    rules: [],
    params: [],
    needsReport: false,
  },
  late: {
    id: 'late',
    code: 'S2',
    zh: '逾期发布',
    en: 'Published late',
    description:
      '发布日期晚于期限：期限取评分细则的 deadlines（按机关类别），未设时取发布情况中的期限（条例第四十九条：部门 1 月 31 日、人民政府 3 月 31 日）。days：超过期限多少天以上才扣分（可为负数，如 −15 表示“未提前 15 天以上发布”，用于加分项）；perDay：按超过的天数逐日扣分。发布日期不明时为“不确定”。',
    descriptionEn:
      'The publication date is after the deadline: the rubric\'s own `deadlines` (by kind of body) when set, else the deadline of the filing status (statutory: departments 01-31, governments 03-31). `days`: only when more than that many days late (may be negative, e.g. −15 = "not published at least 15 days early", for bonus items); `perDay`: the points are deducted for every day beyond. An unknown publication date is uncertain.',
    rules: [],
    params: [
      {
        name: 'days',
        required: false,
        zh: '超过期限的天数（超过才扣分，默认 0）',
        en: 'days past the deadline before it applies (default 0)',
      },
      { name: 'perDay', required: false, zh: '按超过的天数逐日扣分', en: 'deduct the points for every day beyond' },
    ],
    needsReport: false,
  },
  'edited-after-publication': {
    id: 'edited-after-publication',
    code: 'S4',
    zh: '发布后修改',
    en: 'Edited after publication',
    description: '报告发布后内容被改动（存在内容不同的后续版本）。',
    descriptionEn: 'The report was changed after publication (a later version with other content).',
    rules: [],
    params: [],
    needsReport: false,
  },
  'sections-missing': {
    id: 'sections-missing',
    code: 'S6',
    zh: '六个部分不齐全或顺序不对',
    en: 'Sections missing or out of order',
    description: '检查规则 sections-present：六个部分缺少某一部分，或顺序颠倒；每个部分一处。',
    descriptionEn: 'Checker rule sections-present: one of the six sections is missing or out of order; one finding per section.',
    rules: ['sections-present'],
    params: [],
    needsReport: true,
  },
  'outdated-template': {
    id: 'outdated-template',
    code: 'S6',
    zh: '使用旧版格式',
    en: 'Outdated template',
    description: '检查规则 outdated-template：2021 年度及以后的报告仍使用 2019 年版表格（或其中的单行“（六）其他处理”）。',
    descriptionEn:
      'Checker rule outdated-template: a report for 2021 or later still uses the 2019 tables (or their single row （六）其他处理).',
    rules: ['outdated-template'],
    params: [],
    needsReport: true,
  },
  'table-labels': {
    id: 'table-labels',
    code: 'S6',
    zh: '表格行列名称不规范',
    en: 'Table labels differ from the template',
    description: '检查规则 table-labels：表格的行、列名称与格式模板不一致；每个名称一处。',
    descriptionEn: 'Checker rule table-labels: a row or column label differs from the template; one finding per label.',
    rules: ['table-labels'],
    params: [],
    needsReport: true,
  },
  'cell-values': {
    id: 'cell-values',
    code: 'S6',
    zh: '单元格填写不规范',
    en: 'Cells not filled as required',
    description: '检查规则 cell-values、fee-amount-format、blank-cells：数量不是非负整数、收费金额格式不对、应填数字的单元格空白或填“/”。',
    descriptionEn:
      'Checker rules cell-values, fee-amount-format and blank-cells: a count that is not a non-negative integer, a malformed fee amount, a number cell left blank or "/".',
    rules: ['cell-values', 'fee-amount-format', 'blank-cells'],
    params: [],
    needsReport: true,
  },
  arithmetic: {
    id: 'arithmetic',
    code: 'S7',
    zh: '表格勾稽关系不成立',
    en: 'Table arithmetic (勾稽) broken',
    description: `检查规则 ${ARITHMETIC_RULES.join('、')}：表二、表三的合计与分项不符；每个不成立的等式一处。`,
    descriptionEn: `Checker rules ${ARITHMETIC_RULES.join(', ')}: a total of 表二 or 表三 differs from its parts; one finding per broken equation.`,
    rules: ARITHMETIC_RULES,
    params: [],
    needsReport: true,
  },
  continuity: {
    id: 'continuity',
    code: 'S8',
    zh: '与上年数据不衔接',
    en: 'Not continuous with last year',
    description:
      '检查规则 carry-over、in-force-continuity：本年“上年结转”不等于上年“结转下年度”（每列一处），现行有效件数与上年不衔接。需有上年报告。',
    descriptionEn:
      "Checker rules carry-over and in-force-continuity: this year's carried-over applications differ from last year's carried-forward (one finding per column), or the documents in force do not follow from last year's. Needs last year's report.",
    rules: ['carry-over', 'in-force-continuity'],
    params: [],
    needsReport: true,
  },
  'prose-tables': {
    id: 'prose-tables',
    code: 'S9',
    zh: '正文数字与表格不一致',
    en: 'Prose figures differ from the tables',
    description: '检查规则 prose-figures：正文引用的数字与表格不一致，或分项之和不等于总数；每个数字一处。',
    descriptionEn:
      'Checker rule prose-figures: a figure quoted in the text differs from the table, or its parts do not add up; one finding per figure.',
    rules: ['prose-figures'],
    params: [],
    needsReport: true,
  },
  'previous-similarity': {
    id: 'previous-similarity',
    code: 'S10',
    zh: '与上年报告重复',
    en: "Repeats last year's report",
    description: '正文与本机关上年报告的重复率（包含度，套话除外）超过阈值 above（宿迁：超过 50% 扣分）。',
    descriptionEn:
      "The narrative's containment in the body's own report of last year (boilerplate left out) is above `above` (宿迁: above 50 %).",
    rules: [],
    params: [ABOVE],
    needsReport: true,
  },
  copied: {
    id: 'copied',
    code: 'S11',
    zh: '与其他机关报告雷同',
    en: "Copied from another body's report",
    description: '正文与同年度其他机关的报告雷同，相似度超过阈值 above；每个雷同的机关一处。',
    descriptionEn:
      "The narrative shares text with another body's report of the same year, similarity above `above`; one finding per other body.",
    rules: [],
    params: [ABOVE],
    needsReport: true,
  },
  'problems-section': {
    id: 'problems-section',
    code: 'S12',
    zh: '问题与整改部分不具体',
    en: 'Problems section vague',
    description:
      '检查规则 problems-section：“五、存在的主要问题及改进情况”没有具体改进措施，或没有交代上年度问题的整改情况；每种情形一处。',
    descriptionEn:
      "Checker rule problems-section: section 五 has no concrete measures, or does not say how last year's problems were fixed; one finding each.",
    rules: ['problems-section'],
    params: [],
    needsReport: true,
  },
  'fee-statement': {
    id: 'fee-statement',
    code: 'S13',
    zh: '未说明信息处理费',
    en: 'No fee statement',
    description: '检查规则 fee-statement：“六、其他需要报告的事项”没有说明信息处理费的收取情况。',
    descriptionEn: 'Checker rule fee-statement: section 六 does not state the 信息处理费 collected (an amount, or that none was).',
    rules: ['fee-statement'],
    params: [],
    needsReport: true,
  },
  diagnostic: {
    id: 'diagnostic',
    code: null,
    zh: '检查规则发现的问题',
    en: 'Checker findings',
    description:
      '任意检查规则的诊断：按规则编号 rules 和/或严重程度 severity（error、warning、info）筛选，至少给出其中一项；每条诊断一处。',
    descriptionEn:
      'Diagnostics of any checker rules, chosen by rule ids `rules` and/or `severity` (error, warning, info), at least one of them; one finding per diagnostic.',
    rules: [],
    params: [
      { name: 'rules', required: false, zh: '规则编号列表（见规则目录）', en: 'rule ids (see the rule catalogue)' },
      {
        name: 'severity',
        required: false,
        zh: '严重程度：error、warning、info 或其列表',
        en: 'severity: error, warning, info, or a list of them',
      },
    ],
    needsReport: true,
  },
};

/** the ids of the checker's rules */
export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));

// ---------------------------------------------------------------------------
// The schema
// ---------------------------------------------------------------------------

/** a custom check's message: Chinese and English (read back by `problemOf`) */
const says = (zh: string, en: string) => ({ error: `${zh}\u0000${en}` });

/** zod 4 numbers are finite: YAML's .inf and .nan are refused */
const points = () => z.number().min(0);
const ratio = () => z.number().gt(0).lt(1);
const severity = z.enum(['error', 'warning', 'info']);

const MMDD = /^(\d{2})-(\d{2})$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const mmdd = () =>
  z.string().refine(
    (s) => {
      const m = MMDD.exec(s);
      if (!m) return false;
      const month = Number(m[1]);
      const day = Number(m[2]);
      return month >= 1 && month <= 12 && day >= 1 && day <= MONTH_DAYS[month - 1];
    },
    says('应为“MM-DD”格式的月日（如 "03-31"）', 'should be a month-day "MM-DD" (e.g. "03-31")'),
  );

const plain = <T extends Indicator>(indicator: T) => z.strictObject({ indicator: z.literal(indicator) });

export const ConditionSchema = z.discriminatedUnion('indicator', [
  plain('unpublished'),
  z.strictObject({
    indicator: z.literal('late'),
    days: z.number().int().optional(),
    perDay: z.boolean().optional(),
  }),
  plain('edited-after-publication'),
  plain('sections-missing'),
  plain('outdated-template'),
  plain('table-labels'),
  plain('cell-values'),
  plain('arithmetic'),
  plain('continuity'),
  plain('prose-tables'),
  z.strictObject({ indicator: z.literal('previous-similarity'), above: ratio() }),
  z.strictObject({ indicator: z.literal('copied'), above: ratio() }),
  plain('problems-section'),
  plain('fee-statement'),
  z.strictObject({
    indicator: z.literal('diagnostic'),
    rules: z
      .array(
        z
          .string()
          .refine(
            (id) => RULE_IDS.has(id),
            says(
              '不是检查规则的编号（见规则目录 docs/rules.md）',
              'is not the id of a checker rule (see the rule catalogue, docs/rules.md)',
            ),
          ),
      )
      .min(1)
      .optional(),
    severity: z
      .union(
        [severity, z.array(severity).min(1)],
        says('应为 "error"、"warning"、"info" 之一，或由它们组成的列表', 'should be "error", "warning" or "info", or a list of them'),
      )
      .optional(),
  }),
]);
export type Condition = z.output<typeof ConditionSchema>;

export const DeductionRuleSchema = z.strictObject({
  when: ConditionSchema,
  /** points per finding (`each`) or once */
  points: points(),
  /** per finding (true) or once however many findings (false, the default) */
  each: z.boolean().default(false),
  /** at most this many points from this deduction */
  max: points().optional(),
  /** the source or an explanation, appended to the deduction's reason */
  note: z.string().optional(),
});
export type DeductionRule = z.output<typeof DeductionRuleSchema>;

export const RubricItemSchema = z.strictObject({
  id: z.string().trim().min(1),
  /** Chinese name */
  name: z.string().trim().min(1),
  points: points(),
  /** hitting it fails the report outright */
  veto: z.boolean().default(false),
  /** the most its deductions take away (defaults to its points) */
  cap: points().optional(),
  /** added on top of the others' points (never above the total); its deductions reduce the bonus */
  bonus: z.boolean().default(false),
  /** the source (e.g. 宿迁 A1-4) */
  note: z.string().optional(),
  deductions: z.array(DeductionRuleSchema).min(1),
});
export type RubricItem = z.output<typeof RubricItemSchema>;

export const GradeSchema = z.strictObject({ min: points(), name: z.string().trim().min(1) });

export const RubricSchema = z.strictObject({
  name: z.string().trim().min(1),
  version: z.string().optional(),
  description: z.string().optional(),
  /** the most points: the sum of the points of the items that are not bonus items */
  total: z.number().gt(0),
  /** strict: a finding that involves an uncertain (ambiguous) cell deducts; lenient: it does not */
  mode: z.enum(['strict', 'lenient']),
  /** highest first; a score at or above `min` (points, on the scale of `total`) gets the grade */
  grades: z.array(GradeSchema).optional(),
  /** the grade of a report failed by a veto item (default: the last grade) */
  failedGrade: z.string().trim().min(1).optional(),
  /** the rubric's own deadlines (month-day of the year after), by kind of body; the statutory one stays reported separately */
  deadlines: z.strictObject({ government: mmdd().optional(), department: mmdd().optional() }).optional(),
  /** an unpublished report loses every item's points (true, the default), or only what its `unpublished` deductions take (false) */
  unpublishedScoresZero: z.boolean().default(true),
  items: z.array(RubricItemSchema).min(1),
});
export type Rubric = z.output<typeof RubricSchema>;
export type RubricInput = z.input<typeof RubricSchema>;
export type ScoringMode = Rubric['mode'];

// ---------------------------------------------------------------------------
// Problems
// ---------------------------------------------------------------------------

export interface RubricProblem {
  /** where in the file, e.g. "items[2].deductions[0].points" ("(根)" for the whole file) */
  path: string;
  zh: string;
  en: string;
}

/** A rubric file that cannot be used: every problem found, each with its path in the file. */
export class RubricError extends NianbaoError {
  readonly file: string;
  readonly problems: RubricProblem[];
  constructor(file: string, problems: RubricProblem[]) {
    const zh = problems.map((p, i) => `${i + 1}. ${p.path === '' ? '(根)' : p.path}：${p.zh}`).join('；');
    const en = problems.map((p, i) => `${i + 1}. ${p.path === '' ? '(root)' : p.path}: ${p.en}`).join('; ');
    super(
      'bad-rubric',
      `评分细则 ${file} 有 ${problems.length} 处问题：${zh}`,
      `The rubric ${file} has ${problems.length} problem(s): ${en}`,
      { file, problems },
    );
    this.name = 'RubricError';
    this.file = file;
    this.problems = problems;
  }
}

/** a path as written in the documentation: items[2].deductions[0].points */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out === '' ? String(k) : `.${String(k)}`;
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
};

const TYPE_NAME: Record<string, [string, string]> = {
  string: ['字符串', 'a string'],
  number: ['数字', 'a number'],
  int: ['整数', 'an integer'],
  boolean: ['true 或 false', 'true or false'],
  object: ['对象', 'an object'],
  array: ['数组', 'an array'],
};

function problemOf(issue: z.core.$ZodIssue, input: unknown): RubricProblem[] {
  const found = valueAt(input, issue.path);
  const at = formatPath(issue.path);
  const p = (zh: string, en: string, path = at): RubricProblem => ({ path, zh, en });
  const was = (zh: boolean) => (found === undefined ? '' : zh ? `，实际为 ${show(found)}` : `, found ${show(found)}`);
  switch (issue.code) {
    case 'custom': {
      const [zh, en] = issue.message.split('\u0000');
      return [p(`${zh}${was(true)}`, `${en ?? zh}${was(false)}`)];
    }
    case 'invalid_type': {
      if (found === undefined) return [p('缺少必填字段', 'a required field is missing')];
      const [zh, en] = TYPE_NAME[issue.expected] ?? [issue.expected, issue.expected];
      return [p(`应为${zh}${was(true)}`, `should be ${en}${was(false)}`)];
    }
    case 'invalid_value':
      return [
        p(
          `应为 ${issue.values.map((v) => JSON.stringify(v)).join('、')} 之一${was(true)}`,
          `should be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${was(false)}`,
        ),
      ];
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator === 'indicator') {
        const known = INDICATOR_IDS.join('、');
        if (found === undefined)
          return [p(`缺少指标 indicator（可用：${known}）`, `the indicator is missing (one of: ${INDICATOR_IDS.join(', ')})`)];
        return [p(`未知的指标 ${show(found)}（可用：${known}）`, `unknown indicator ${show(found)} (one of: ${INDICATOR_IDS.join(', ')})`)];
      }
      if (issue.message.includes('\u0000')) {
        const [zh, en] = issue.message.split('\u0000');
        return [p(`${zh}${was(true)}`, `${en}${was(false)}`)];
      }
      return [p(`写法不对${was(true)}`, `is not valid${was(false)}`)];
    }
    case 'too_small': {
      if (issue.origin === 'array')
        return [p(`至少应有 ${issue.minimum} 项`, `should have at least ${issue.minimum} entr${issue.minimum === 1 ? 'y' : 'ies'}`)];
      if (issue.origin === 'string') return [p('不能为空', 'should not be empty')];
      if (issue.minimum === 0 && issue.inclusive) return [p(`不能为负数${was(true)}`, `should not be negative${was(false)}`)];
      const op = issue.inclusive ? ['不小于', 'at least'] : ['大于', 'above'];
      return [p(`应${op[0]} ${issue.minimum}${was(true)}`, `should be ${op[1]} ${issue.minimum}${was(false)}`)];
    }
    case 'too_big': {
      const op = issue.inclusive ? ['不大于', 'at most'] : ['小于', 'below'];
      return [p(`应${op[0]} ${issue.maximum}${was(true)}`, `should be ${op[1]} ${issue.maximum}${was(false)}`)];
    }
    case 'unrecognized_keys':
      return issue.keys.map((k) => p('未知的字段（拼写错误？）', 'unknown field (a typo?)', formatPath([...issue.path, k])));
    default:
      return [p(`写法不对${was(true)}`, `is not valid${was(false)}`)];
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** the checks across fields, on the raw value (so that they run even when a field is wrong) */
function crossProblems(raw: unknown): RubricProblem[] {
  if (!isObj(raw)) return [];
  const out: RubricProblem[] = [];
  const items = Array.isArray(raw.items) ? raw.items : [];
  const seen = new Map<string, number>();
  let sum = 0;
  let sumKnown = true;
  items.forEach((item, i) => {
    if (!isObj(item)) return;
    if (typeof item.id === 'string' && item.id.trim() !== '') {
      const id = item.id.trim();
      const first = seen.get(id);
      if (first !== undefined)
        out.push({
          path: `items[${i}].id`,
          zh: `编号 ${show(id)} 与 items[${first}].id 重复`,
          en: `the id ${show(id)} is also the id of items[${first}]`,
        });
      else seen.set(id, i);
    }
    if (isNum(item.cap) && isNum(item.points) && item.cap > item.points + 1e-9)
      out.push({
        path: `items[${i}].cap`,
        zh: `扣分上限 ${item.cap} 大于本项分值 ${item.points}`,
        en: `the cap ${item.cap} is above the item's points ${item.points}`,
      });
    if (item.veto === true && item.bonus === true)
      out.push({
        path: `items[${i}].bonus`,
        zh: '否决项不能同时是加分项',
        en: 'a veto item cannot be a bonus item',
      });
    if (Array.isArray(item.deductions))
      item.deductions.forEach((d, j) => {
        if (!isObj(d) || !isObj(d.when) || d.when.indicator !== 'diagnostic') return;
        if (d.when.rules === undefined && d.when.severity === undefined)
          out.push({
            path: `items[${i}].deductions[${j}].when`,
            zh: '指标 diagnostic 应至少给出 rules（规则编号）或 severity（严重程度）之一',
            en: 'the indicator diagnostic needs `rules` (rule ids) or `severity`, or both',
          });
      });
    if (item.bonus !== true) {
      if (isNum(item.points)) sum += item.points;
      else sumKnown = false;
    }
  });
  if (sumKnown && items.length > 0 && isNum(raw.total) && !near(sum, raw.total))
    out.push({
      path: 'total',
      zh: `各评分项（加分项除外）的分值之和为 ${round(sum)}，与总分 ${raw.total} 不一致`,
      en: `the points of the items (bonus items aside) add up to ${round(sum)}, not the total ${raw.total}`,
    });
  if (Array.isArray(raw.grades)) {
    const names = new Map<string, number>();
    raw.grades.forEach((g: unknown, i: number, all: unknown[]) => {
      if (!isObj(g)) return;
      if (typeof g.name === 'string') {
        const first = names.get(g.name);
        if (first !== undefined)
          out.push({
            path: `grades[${i}].name`,
            zh: `等次名称 ${show(g.name)} 与 grades[${first}] 重复`,
            en: `the grade name ${show(g.name)} is also that of grades[${first}]`,
          });
        else names.set(g.name, i);
      }
      if (!isNum(g.min)) return;
      if (isNum(raw.total) && g.min > raw.total)
        out.push({
          path: `grades[${i}].min`,
          zh: `分数线 ${g.min} 高于总分 ${raw.total}`,
          en: `the threshold ${g.min} is above the total ${raw.total}`,
        });
      const prev = i > 0 ? all[i - 1] : null;
      if (isObj(prev) && isNum(prev.min) && g.min >= prev.min)
        out.push({
          path: `grades[${i}].min`,
          zh: `分数线应从高到低排列：${g.min} 不低于上一档 grades[${i - 1}] 的 ${prev.min}`,
          en: `thresholds should be in descending order: ${g.min} is not below ${prev.min} of grades[${i - 1}]`,
        });
    });
    if (typeof raw.failedGrade === 'string' && !names.has(raw.failedGrade.trim()))
      out.push({
        path: 'failedGrade',
        zh: `等次 ${show(raw.failedGrade)} 不在 grades 中`,
        en: `the grade ${show(raw.failedGrade)} is not one of grades`,
      });
  } else if (raw.failedGrade !== undefined) {
    out.push({ path: 'failedGrade', zh: '没有 grades 时不能设 failedGrade', en: 'failedGrade needs grades' });
  }
  return out;
}

/** the problems of a rubric value (an empty list: it is valid) */
export function rubricProblems(raw: unknown): RubricProblem[] {
  const r = RubricSchema.safeParse(raw);
  const out = r.success ? [] : r.error.issues.flatMap((i) => problemOf(i, raw));
  out.push(...crossProblems(raw));
  const order = (p: string) => p.replace(/\[(\d+)\]/g, (_, n: string) => `[${n.padStart(6, '0')}]`);
  return out.sort((a, b) => (order(a.path) < order(b.path) ? -1 : order(a.path) > order(b.path) ? 1 : 0));
}

/** a rubric value (already parsed from JSON or YAML) as a Rubric, or a RubricError listing every problem */
export function validateRubric(raw: unknown, fileName = 'rubric'): Rubric {
  const problems = rubricProblems(raw);
  if (problems.length > 0) throw new RubricError(fileName, problems);
  return RubricSchema.parse(raw);
}

function syntax(source: string, fileName: string): unknown {
  const text = source.replace(/^\uFEFF/, '');
  const ext = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  const json = ext === 'json' || (ext !== 'yaml' && ext !== 'yml' && /^\s*[{[]/.test(text));
  if (text.trim() === '') throw new RubricError(fileName, [{ path: '', zh: '文件为空', en: 'the file is empty' }]);
  if (json) {
    try {
      return JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      throw new RubricError(fileName, [{ path: '', zh: `不是有效的 JSON：${msg}`, en: `not valid JSON: ${msg}` }]);
    }
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new RubricError(
      fileName,
      doc.errors.map((e) => {
        const where = e.linePos ? `第 ${e.linePos[0].line} 行第 ${e.linePos[0].col} 列` : '';
        const whereEn = e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
        const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        return { path: '', zh: `不是有效的 YAML${where ? `（${where}）` : ''}：${msg}`, en: `not valid YAML${whereEn}: ${msg}` };
      }),
    );
  return doc.toJS();
}

/**
 * Reads a rubric file: JSON (`.json`) or YAML (`.yaml`, `.yml`); another name is read as JSON when
 * it starts with `{`, else as YAML. Throws a RubricError naming the file and listing every problem,
 * each with its path inside the file (`items[2].deductions[0].points`).
 */
export function parseRubric(text: string, fileName: string): Rubric {
  return validateRubric(syntax(text, fileName), fileName);
}

// ---------------------------------------------------------------------------
// Describing conditions
// ---------------------------------------------------------------------------

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;
const severityList = (s: Extract<Condition, { indicator: 'diagnostic' }>) =>
  s.severity === undefined ? [] : Array.isArray(s.severity) ? s.severity : [s.severity];
const SEVERITY_ZH = { error: '错误', warning: '警告', info: '提示' } as const;

/** a condition in words (Chinese and English): the reason of its deductions */
export function describeCondition(c: Condition): { zh: string; en: string } {
  const info = INDICATORS[c.indicator];
  switch (c.indicator) {
    case 'late': {
      const d = c.days ?? 0;
      const zh = d > 0 ? `逾期发布超过 ${d} 天` : d < 0 ? `未在期限前 ${-d} 天以上发布` : '逾期发布';
      const en =
        d > 0 ? `published more than ${d} days late` : d < 0 ? `not published at least ${-d} days before the deadline` : 'published late';
      return c.perDay ? { zh: `${zh}（按天计）`, en: `${en} (per day)` } : { zh, en };
    }
    case 'previous-similarity':
      return { zh: `与上年报告重复率超过 ${pct(c.above)}`, en: `more than ${pct(c.above)} repeated from last year's report` };
    case 'copied':
      return {
        zh: `与其他机关报告雷同（相似度超过 ${pct(c.above)}）`,
        en: `copied from another body's report (similarity above ${pct(c.above)})`,
      };
    case 'diagnostic': {
      const sev = severityList(c);
      const parts = [c.rules ? `规则 ${c.rules.join('、')}` : '', sev.length ? sev.map((s) => SEVERITY_ZH[s]).join('、') : ''].filter(
        Boolean,
      );
      const partsEn = [c.rules ? `rules ${c.rules.join(', ')}` : '', sev.length ? sev.join(', ') : ''].filter(Boolean);
      return { zh: `检查发现的问题（${parts.join('，')}）`, en: `checker findings (${partsEn.join('; ')})` };
    }
    default:
      return { zh: info.zh, en: info.en.toLowerCase() };
  }
}

// ---------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------

interface Finding {
  evidence: Evidence[];
  /** it involves an uncertain (ambiguous) cell or an unknown fact */
  uncertain: boolean;
  /** how many times it counts (the days of a per-day lateness; 1 otherwise) */
  units: number;
}

const MAX_PASSAGES = 5;
const DAY = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** the cells the reader could not tell, and a test of whether a diagnostic involves one */
function uncertainty(report: Report | null): (d: Diagnostic) => boolean {
  const ambiguous = new Set((report?.ambiguities ?? []).map((a) => a.path));
  const arithmetic = new Set<string>(ARITHMETIC_RULES);
  const broken =
    report && ambiguous.size > 0
      ? equations(report).filter((e) => residual(report, e) !== 0 && [...e.left, ...e.right].some((c) => ambiguous.has(c)))
      : [];
  return (d) => {
    if (d.rule === 'ambiguous-cell') return true;
    if (!d.path) return false;
    if (ambiguous.has(d.path)) return true;
    // a row or a table holding an ambiguous cell
    for (const a of ambiguous) if (a.startsWith(`${d.path}.`)) return true;
    // a broken sum one of whose terms is ambiguous (the reader left it blank)
    return (
      arithmetic.has(d.rule) &&
      broken.some((e) => e.kind === d.rule && (e.left.includes(d.path as string) || e.right.includes(d.path as string)))
    );
  };
}

interface Context {
  facts: ScoringFacts;
  rubric: Rubric;
  uncertain: (d: Diagnostic) => boolean;
}

/** the deadline a rubric applies to a body's report, "YYYY-MM-DD" */
export function rubricDeadline(facts: ScoringFacts, rubric: Rubric): string {
  const own = rubric.deadlines?.[facts.body.kind];
  return own ? `${facts.year + 1}-${own}` : facts.status.deadline;
}

function lateFindings(c: Extract<Condition, { indicator: 'late' }>, ctx: Context): Finding[] {
  const { facts } = ctx;
  if (facts.status.state === 'unpublished') return [];
  const deadline = rubricDeadline(facts, ctx.rubric);
  const over = c.days ?? 0;
  const on = facts.status.publishedOn ?? facts.report?.publishedOn ?? null;
  let late: number | null = null;
  if (on) late = days(deadline, on);
  else if (deadline === facts.status.deadline && facts.status.state === 'late' && facts.status.daysLate !== null)
    late = facts.status.daysLate;
  if (late === null) {
    // the date is unknown: late for sure when the status says so and the threshold is the deadline itself
    const sure = deadline === facts.status.deadline && facts.status.state === 'late' && over <= 0 && !c.perDay;
    return [
      {
        evidence: [
          {
            path: 'publishedOn',
            message: sure ? `逾期发布（期限 ${deadline}），发布日期不明` : `发布日期不明，无法判断是否在期限 ${deadline} 前发布`,
          },
        ],
        uncertain: !sure,
        units: 1,
      },
    ];
  }
  if (late <= over) return [];
  const message =
    late > 0
      ? `${on ?? '发布日期'} 发布，晚于期限 ${deadline} ${late} 天`
      : late === 0
        ? `${on} 发布，恰在期限 ${deadline} 当天`
        : `${on} 发布，早于期限 ${deadline} ${-late} 天`;
  return [{ evidence: [{ path: 'publishedOn', message }], uncertain: false, units: c.perDay ? late - over : 1 }];
}

function passages(list: { mine: string; theirs: string }[], otherBodyId?: number): Evidence[] {
  return list.slice(0, MAX_PASSAGES).map((p) => ({
    message: `对方原文：${p.theirs}`,
    quote: p.mine,
    ...(otherBodyId !== undefined ? { otherBodyId } : {}),
  }));
}

function findings(c: Condition, ctx: Context): Finding[] {
  const { facts } = ctx;
  const info = INDICATORS[c.indicator];
  if (c.indicator === 'unpublished') {
    if (facts.status.state !== 'unpublished') return [];
    const when = facts.status.overdue ? '已逾期' : '期限未到';
    return [
      {
        evidence: [{ message: `未发布 ${facts.year} 年度政府信息公开工作年度报告（公布期限 ${facts.status.deadline}，${when}）` }],
        uncertain: false,
        units: 1,
      },
    ];
  }
  if (c.indicator === 'late') return lateFindings(c, ctx);
  if (c.indicator === 'edited-after-publication')
    return facts.editedAfterPublication
      ? [
          {
            evidence: [{ message: `报告发布后内容被修改（共 ${facts.status.versions} 个版本，后续版本内容不同）` }],
            uncertain: false,
            units: 1,
          },
        ]
      : [];
  if (facts.status.state === 'unpublished') return [];
  const report = facts.report;
  if (info.needsReport && report === null)
    return [{ evidence: [{ message: `报告正文未读取，无法核查“${info.zh}”` }], uncertain: true, units: 1 }];
  switch (c.indicator) {
    case 'previous-similarity': {
      const s = facts.previousSimilarity;
      if (!s || !(s.ratio > c.above)) return [];
      const more = s.passages.length > MAX_PASSAGES ? `，列出 ${MAX_PASSAGES} 处（共 ${s.passages.length} 处）` : '';
      return [
        {
          evidence: [{ message: `与本机关上年报告的重复率为 ${pct(s.ratio)}（阈值 ${pct(c.above)}）${more}` }, ...passages(s.passages)],
          uncertain: false,
          units: 1,
        },
      ];
    }
    case 'copied':
      return facts.copies
        .filter((x) => x.ratio > c.above)
        .map((x) => ({
          evidence: [
            { message: `与“${x.otherName}”的报告雷同，相似度 ${pct(x.ratio)}（阈值 ${pct(c.above)}）`, otherBodyId: x.otherBodyId },
            ...passages(x.passages, x.otherBodyId),
          ],
          uncertain: false,
          units: 1,
        }));
    default: {
      const rules = c.indicator === 'diagnostic' ? c.rules : info.rules;
      const sev = c.indicator === 'diagnostic' ? severityList(c) : [];
      return facts.diagnostics
        .filter((d) => (!rules || rules.includes(d.rule)) && (sev.length === 0 || sev.includes(d.severity)))
        .map((d) => ({ evidence: [{ rule: d.rule, path: d.path, message: d.message }], uncertain: ctx.uncertain(d), units: 1 }));
    }
  }
}

// ---------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------

export interface ScoreOptions {
  /** score in this mode instead of the rubric's (to compare the two) */
  mode?: ScoringMode;
}

/**
 * The score of one body's report for a year.
 *
 * - Each deduction rule of an item is checked against the facts; a finding deducts `points` once
 *   (or for each finding with `each`, or per day with `late.perDay`), at most `max` per rule, and
 *   an item's deductions together at most its `cap` (default its points). A deduction the cap
 *   swallows is still listed, with 0 points.
 * - Uncertain findings (the diagnostic of an ambiguous cell, a diagnostic at an ambiguous cell or
 *   a broken sum one of whose terms is ambiguous, an unknown publication date, a published report
 *   whose content is not at hand): in strict mode they deduct like the others; in lenient mode they
 *   are listed with 0 points and `uncertain: true`. In a bonus item they always count (no bonus
 *   is awarded on uncertain evidence).
 * - A veto item with a counted finding fails the report (`failed`, `failedBy` its id): its score
 *   is still computed, its grade is `failedGrade` (default the last grade).
 * - Bonus items: their points less their deductions are added, the score never above `total`.
 * - An unpublished report: the `unpublished` deductions apply as written; with
 *   `unpublishedScoresZero` (the default) every other item loses all its points (its cap does not
 *   limit this) and no bonus is awarded, else the other items keep their points (there is nothing
 *   to check) and bonus items award nothing. The `unpublished` indicator applies whenever the
 *   state is "unpublished", before the deadline too (the evidence says whether it has passed):
 *   score after the deadline.
 */
export function scoreBody(facts: ScoringFacts, rubric: Rubric, options: ScoreOptions = {}): BodyScore {
  const mode = options.mode ?? rubric.mode;
  const ctx: Context = { facts, rubric, uncertain: uncertainty(facts.report) };
  const unpublished = facts.status.state === 'unpublished';
  const deductions: Deduction[] = [];
  const items: BodyScore['items'] = [];
  const failedBy: string[] = [];
  let base = 0;
  let bonus = 0;

  for (const item of rubric.items) {
    const cap = item.cap ?? item.points;
    let lost = 0;
    let vetoed = false;
    const take = (d: Omit<Deduction, 'itemId' | 'itemName'>, counted: boolean) => {
      let pts = 0;
      if (counted) {
        pts = round(Math.max(0, Math.min(d.points, cap - lost)));
        lost = round(lost + pts);
      }
      const capped = counted && pts < d.points ? `（本项最多扣 ${cap} 分，已扣满）` : '';
      deductions.push({ itemId: item.id, itemName: item.name, ...d, points: pts, reason: `${d.reason}${capped}` });
    };

    const appliesWithoutReport = item.deductions.some((r) => r.when.indicator === 'unpublished');
    if (unpublished && !appliesWithoutReport) {
      if (rubric.unpublishedScoresZero || item.bonus) {
        const pts = item.points;
        lost = pts;
        deductions.push({
          itemId: item.id,
          itemName: item.name,
          points: pts,
          reason: item.bonus ? '未发布年度报告，不加分' : '未发布年度报告，本项不得分',
          evidence: [{ message: `未发布 ${facts.year} 年度政府信息公开工作年度报告` }],
          uncertain: false,
        });
      }
    } else {
      for (const rule of item.deductions) {
        const all = findings(rule.when, ctx);
        if (all.length === 0) continue;
        const countsUncertain = mode === 'strict' || item.bonus;
        const counted = all.filter((f) => countsUncertain || !f.uncertain);
        const shown = all.filter((f) => !countsUncertain && f.uncertain);
        const why = describeCondition(rule.when).zh + (rule.note ? `（${rule.note}）` : '');
        let ruleLost = 0;
        /** the points of a finding counting `units` times, within the rule's `max`, and its reason */
        const amount = (units: number): { points: number; reason: string } => {
          const want = rule.points * units;
          const pts = rule.max === undefined ? want : Math.max(0, Math.min(want, rule.max - ruleLost));
          ruleLost = round(ruleLost + pts);
          return { points: pts, reason: pts < want ? `${why}（本条最多扣 ${rule.max} 分）` : why };
        };
        if (counted.length > 0 && item.veto) vetoed = true;
        if (rule.each) {
          for (const f of counted) take({ ...amount(f.units), evidence: f.evidence, uncertain: f.uncertain }, true);
        } else if (counted.length > 0) {
          const units = Math.max(...counted.map((f) => f.units));
          take(
            {
              ...amount(units),
              evidence: counted.flatMap((f) => f.evidence),
              uncertain: counted.every((f) => f.uncertain),
            },
            true,
          );
        }
        const doubt = '（涉及无法确定的内容，宽松模式下不扣分）';
        if (rule.each) for (const f of shown) take({ points: 0, reason: why + doubt, evidence: f.evidence, uncertain: true }, false);
        else if (shown.length > 0)
          take({ points: 0, reason: why + doubt, evidence: shown.flatMap((f) => f.evidence), uncertain: true }, false);
      }
    }
    if (vetoed) failedBy.push(item.id);
    const kept = round(Math.max(0, item.points - lost));
    items.push({ id: item.id, name: item.name, points: item.points, kept });
    if (item.bonus) bonus += kept;
    else base += kept;
  }

  const score = round(Math.min(rubric.total, base + bonus));
  const failed = failedBy.length > 0;
  let grade: string | null = null;
  if (rubric.grades && rubric.grades.length > 0) {
    if (failed) grade = rubric.failedGrade ?? rubric.grades[rubric.grades.length - 1].name;
    else grade = rubric.grades.find((g) => score >= g.min - 1e-9)?.name ?? null;
  }
  return { bodyId: facts.body.id, year: facts.year, score, max: rubric.total, failed, failedBy, items, deductions, grade };
}

// ---------------------------------------------------------------------------
// Ranking
// ---------------------------------------------------------------------------

export interface RankedScore {
  bodyId: number;
  /** 1-based within the group; ties share a rank and the next rank skips (1, 2, 2, 4) */
  rank: number;
  group: string;
  score: number;
  failed: boolean;
}

/**
 * Ranks within groups (standard competition ranking: equal scores share a rank, the next rank
 * skips). Failed reports (a veto item hit) come after every other report of their group, ranked
 * among themselves by score. The result is ordered by group (in the order groups first appear)
 * then rank, then body id.
 */
export function rankScores(scores: BodyScore[], groupOf: (bodyId: number) => string): RankedScore[] {
  const groups = new Map<string, BodyScore[]>();
  for (const s of scores) {
    const g = groupOf(s.bodyId);
    const list = groups.get(g);
    if (list) list.push(s);
    else groups.set(g, [s]);
  }
  const key = (s: BodyScore) => round(s.score);
  const ahead = (a: BodyScore, b: BodyScore) => (a.failed !== b.failed ? !a.failed : key(a) > key(b));
  const out: RankedScore[] = [];
  for (const [group, list] of groups) {
    const sorted = [...list].sort((a, b) => Number(a.failed) - Number(b.failed) || key(b) - key(a) || a.bodyId - b.bodyId);
    sorted.forEach((s, i) => {
      // the first of a tie run carries the rank for the rest
      const rank = i > 0 && !ahead(sorted[i - 1], s) ? out[out.length - 1].rank : i + 1;
      out.push({ bodyId: s.bodyId, rank, group, score: s.score, failed: s.failed });
    });
  }
  return out;
}
