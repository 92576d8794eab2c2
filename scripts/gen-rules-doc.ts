/**
 * Writes docs/rules.md from the rule catalogue: every rule's id, severity,
 * title and documentation, and one of its invalid examples run through the
 * checker, so that the page shows what `nianbao check` really prints.
 *
 *   npx tsx scripts/gen-rules-doc.ts      (npm run docs:rules)
 *
 * test/check-rules.test.ts regenerates the page in memory and compares, so the
 * page cannot drift from the code.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../src/check/catalogue.js';
import { examplePrevious, exampleReport } from '../src/check/examples.js';
import { check } from '../src/check/index.js';
import { DEFAULT_OPTIONS, type Rule, type RuleExample, type Severity } from '../src/check/types.js';

const SEV_ZH: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' };

export const RULES_DOC = fileURLToPath(new URL('../docs/rules.md', import.meta.url));

const REMOVED = '（删去）';

/** JSON on one line, with spaces; a key set to undefined (removed by the merge) is shown as removed */
function inline(value: unknown): string {
  if (value === undefined) return JSON.stringify(REMOVED);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** JSON with short objects and arrays on one line */
function json(value: unknown, indent = ''): string {
  const one = inline(value);
  if (one.length + indent.length <= 96 || value === null || typeof value !== 'object') return one;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + json(v, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${json(v, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

/** what the checker prints for an example, one line per diagnostic of the rule */
function output(rule: Rule, example: RuleExample): string[] {
  const diagnostics = check({ report: exampleReport(example), previous: examplePrevious(example), only: [rule.id] });
  return diagnostics.map((d) => `${SEV_ZH[d.severity]}  ${d.message}  ${d.rule}`);
}

function ruleSection(rule: Rule): string[] {
  const out: string[] = [];
  out.push(`### ${rule.id}`, '');
  out.push(`**${rule.title}**`, '');
  out.push(`- 严重程度：${SEV_ZH[rule.severity]}（\`${rule.severity}\`）`);
  out.push(`- 需要上年度报告：${rule.crossYear ? '是（没有上年度报告时不运行）' : '否'}`, '');
  out.push(rule.docs.trim(), '');
  const ex = rule.examples;
  if (!ex || (ex.valid.length === 0 && ex.invalid.length === 0)) {
    out.push('（暂无示例）', '');
    return out;
  }
  const [first, ...rest] = ex.invalid;
  if (first) {
    out.push(`#### 示例：${first.title}`, '');
    out.push(
      first.previous === undefined ? '报告（在示例基准报告上改动的部分）：' : '本年度报告（在示例基准报告上改动的部分）：',
      '',
      '```json',
      json(first.report),
      '```',
      '',
    );
    if (first.previous !== undefined)
      out.push('上年度报告（在上年度示例报告上改动的部分）：', '', '```json', json(first.previous), '```', '');
    out.push('检查结果：', '', '```text', ...output(rule, first), '```', '');
  }
  if (rest.length > 0) {
    out.push('其他会报告的例子：', '');
    for (const e of rest) out.push(`- ${e.title}`);
    out.push('');
  }
  if (ex.valid.length > 0) {
    out.push('不会报告的例子：', '');
    for (const e of ex.valid) out.push(`- ${e.title}`);
    out.push('');
  }
  return out;
}

/** the whole page */
export function renderRulesDoc(): string {
  const d = DEFAULT_OPTIONS;
  const count = (s: Severity) => RULES.filter((r) => r.severity === s).length;
  const out: string[] = [
    '# 检查规则',
    '',
    '<!-- 本文件由 scripts/gen-rules-doc.ts 根据规则目录 src/check/catalogue.ts 生成，请勿手工修改；修改规则后运行 npm run docs:rules。 -->',
    '',
    '`nianbao check` 先把年度报告（纯文本、Markdown、HTML、Word、PDF、Excel）读成结构化的报告数据（表一、表二、表三的每个单元格，以及“一、总体情况”“五、存在的主要问题及改进情况”“六、其他需要报告的事项”的正文），再逐条运行下列规则，像编译器一样列出发现的问题：哪个单元格或哪一部分、错在哪里、数字是多少。每条规则是 `src/check/rules/` 中的一个模块，有固定的编号（规则 id）、严重程度、说明和示例；本页由规则目录自动生成，示例的检查结果是实际运行检查得到的。',
    '',
    `目前共有 ${RULES.length} 条规则：${count('error')} 条错误级、${count('warning')} 条警告级、${count('info')} 条提示级。`,
    '',
    '## 严重程度与退出码',
    '',
    '| 严重程度 | 含义 |',
    '|---|---|',
    '| 错误（`error`） | 违反格式通知（国办公开办函〔2021〕30号）或《政府信息公开条例》的明确规定，例如表二的勾稽关系不成立、缺少某一部分、逾期公布。 |',
    '| 警告（`warning`） | 根据评估实践或推断的检查，多半是问题，但可能有合理的解释，例如正文数字与表格不一致、未说明信息处理费。 |',
    '| 提示（`info`） | 值得人工核对的线索，例如只改一个单元格即可使所有合计成立时指出该单元格、与上年相比变化异常大的数字。 |',
    '',
    '退出码：`0` 没有错误级的诊断（可以有警告和提示）；`1` 至少有一条错误级的诊断；`2` 有输入无法读取为年度报告（不是年度报告、格式不支持、文件损坏或过大），原因以一句中文、一句英文写在标准错误输出。',
    '',
    '每条诊断包含规则 id（`rule`）、严重程度（`severity`）、中文说明（`message`）、所涉单元格或部分在报告数据中的路径（`path`，如 `applications.granted.total`）和在原文中的位置（`location`，有行号的输入给出行和列；PDF 给出页码）。输出格式：文本（默认）、`--json`（诊断 JSON）、`--format sarif`（SARIF 2.1.0）。',
    '',
    '## 空白单元格怎么算',
    '',
    '表格中留空或填“/”“—”“-”的单元格在报告数据中为 `null`。所有合计规则把空白按 0 计算，所以“各栏有数字而总计空白”是合计错误；另外由 `blank-cells` 对应填数字而留空的单元格给出警告（表一“规章”一行填“/”除外）。数字连在一起无法唯一拆分的单元格也为 `null`，由 `ambiguous-cell` 列出候选值，不再重复提示为空白。',
    '',
    '## 上年度报告',
    '',
    '标明“需要上年度报告”的规则比较本年度和上一年度的报告（结转、现行有效件数、变化异常的数字）。上年度报告用 `--previous FILE` 给出；一次检查多个文件或一个文件夹时，会自动为每份报告找到同一机关上一年的报告。没有上年度报告时这些规则不运行。',
    '',
    '## 选项',
    '',
    '作为程序库调用时，`check({ report, previous, peers, options, only })` 的 `options` 可以调整以下数值（命令行使用默认值）；`only` 只运行列出的规则。',
    '',
    '| 选项 | 默认值 | 作用 |',
    '|---|---|---|',
    `| \`deadlines.department\` | \`${d.deadlines.department}\` | 县级以上人民政府部门公布上一年度报告的期限（次年的月-日，条例第四十九条） |`,
    `| \`deadlines.government\` | \`${d.deadlines.government}\` | 县级以上地方人民政府的期限（条例第四十九条） |`,
    `| \`deadlines.township\` | \`${d.deadlines.township}\` | 乡镇人民政府的期限（条例未规定，由各地规定，如怀化为 02-20） |`,
    `| \`deadlines.subdistrict\` | \`${d.deadlines.subdistrict}\` | 街道办事处的期限（同上） |`,
    `| \`similarityThreshold\` | \`${d.similarityThreshold}\` | 正文与其他报告的相似度（0～1）达到该值时报告雷同 |`,
    `| \`jumpFactor\` | \`${d.jumpFactor}\` | 主要数字与上年相比增减超过该倍数…… |`,
    `| \`jumpMinimum\` | \`${d.jumpMinimum}\` | ……并且差值超过该数时提示 |`,
    '',
    '## 示例怎么读',
    '',
    '每条规则的示例都是在一份完整、正确的示例报告（某某区人民政府办公室 2023 年度报告，2021 年版格式；2019 年版的示例用其 2020 年度报告）上改动几个单元格或几段文字得到的，下面只列出改动的部分；这份示例报告本身不会触发任何规则。需要上年度报告的规则，上年度报告同样以该办公室 2022 年度（或 2019 年度）报告为基础。',
    '',
    '## 规则一览',
    '',
    '| 规则 | 严重程度 | 需要上年度报告 | 检查内容 |',
    '|---|---|---|---|',
    ...RULES.map(
      (r) => `| [\`${r.id}\`](#${r.id}) | ${SEV_ZH[r.severity]} | ${r.crossYear ? '是' : ''} | ${r.title.replace(/\|/g, '\\|')} |`,
    ),
    '',
    '## 规则说明',
    '',
  ];
  for (const rule of RULES) out.push(...ruleSection(rule));
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(RULES_DOC, renderRulesDoc());
  process.stdout.write(`wrote ${RULES_DOC}\n`);
}
