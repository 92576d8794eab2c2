/** Human-readable (Chinese) rendering of a Report for the terminal. */
import { cellName } from '../check/cells.js';
import {
  APPLICANT_COLUMNS,
  APPLICATION_ROWS,
  PROACTIVE_ROWS_2019,
  PROACTIVE_ROWS_2021,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
} from '../model/format.js';
import type { Report } from '../model/report.js';
import type { InputKind } from '../read/document.js';

/** every input kind has its name (a new kind fails to compile until it gets one) */
const KIND_NAMES: Record<InputKind, string> = {
  text: '纯文本',
  markdown: 'Markdown',
  html: 'HTML',
  docx: 'Word 文档',
  doc: 'Word 97–2003 文档',
  pdf: 'PDF',
  xlsx: 'Excel 表格',
};

/** display width: CJK and full-width characters count 2 */
export function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

export function pad(s: string, w: number, right = false): string {
  const n = Math.max(0, w - width(s));
  return right ? ' '.repeat(n) + s : s + ' '.repeat(n);
}

function cut(s: string, w: number): string {
  let out = '';
  for (const ch of s) {
    if (width(out + ch) > w - 1) return out + '…';
    out += ch;
  }
  return out;
}

const v = (x: unknown) => (x === null || x === undefined ? '—' : String(x));

export function formatReport(r: Report): string {
  const out: string[] = [];
  const file = r.input?.file ?? '';
  const kind = r.input?.kind ?? '';
  out.push(`文件：${file}（${(KIND_NAMES as Record<string, string>)[kind] ?? kind}）`);
  out.push(
    `发布机关：${r.agency ?? '（未识别）'}　年度：${r.year ?? '（未识别）'}　格式：${r.format} 年版${r.template?.mixedOtherHandling ? '（表二“（六）其他处理”为 2019 年版单行）' : ''}　发布日期：${r.publishedOn ?? '（未识别）'}`,
  );
  out.push('');
  out.push('二、主动公开政府信息情况');
  const aRows = r.format === '2021' ? PROACTIVE_ROWS_2021 : PROACTIVE_ROWS_2019;
  const pro = r.proactive as Record<string, Record<string, unknown>>;
  for (const d of aRows) {
    const row = pro[d.key] ?? {};
    out.push(`  ${pad(d.label, 22)}${d.fields.map((f) => `${f.label} ${v(row[f.key])}`).join('　')}`);
  }
  out.push('');
  out.push('三、收到和处理政府信息公开申请情况');
  const head = APPLICANT_COLUMNS.map((c) => pad(c.label, 14, true)).join('');
  out.push(`  ${pad('', 34)}${head}`);
  for (const d of APPLICATION_ROWS) {
    const row = r.applications[d.key];
    if (!row) continue;
    const label = d.level3 ? `${d.level2?.slice(0, 3)}${d.level3}` : d.label;
    out.push(`  ${pad(cut(label, 34), 34)}${APPLICANT_COLUMNS.map((c) => pad(v(row[c.key]), 14, true)).join('')}`);
  }
  out.push('');
  out.push('四、政府信息公开行政复议、行政诉讼情况');
  out.push(`  ${pad('', 28)}${REVIEW_COLUMNS.map((c) => pad(c.label, 10, true)).join('')}`);
  for (const g of REVIEW_GROUPS) {
    const row = r.reviewLitigation[g.key] as unknown as Record<string, unknown>;
    const label = 'parent' in g ? `${g.parent}·${g.label}` : g.label;
    out.push(`  ${pad(label, 28)}${REVIEW_COLUMNS.map((c) => pad(v(row[c.key]), 10, true)).join('')}`);
  }
  out.push('');
  const sec = (name: string, t: string | null) => out.push(`${name}：${t ? `${t.length} 字` : '缺失'}`);
  sec('一、总体情况', r.sections.overview);
  sec('五、存在的主要问题及改进情况', r.sections.problems);
  sec('六、其他需要报告的事项', r.sections.other);
  if (r.ambiguities?.length) {
    out.push('');
    out.push(`无法确定的单元格 ${r.ambiguities.length} 个（见 ambiguities）`);
  }
  return out.join('\n');
}

/** warnings listed cell by cell for one file; past that, one line says how many more (a table not read at all has 150) */
export const MAX_CELL_WARNINGS = 10;

export function ambiguityWarnings(r: Report, file: string): string[] {
  const all = r.ambiguities ?? [];
  const shown = all.length > MAX_CELL_WARNINGS + 1 ? all.slice(0, MAX_CELL_WARNINGS) : all;
  const lines = shown.map((a) => {
    const [zh, en] =
      a.reason === 'ocr'
        ? ['扫描件识别结果不可靠', 'recognised from a scan, and not borne out']
        : a.reason === 'placement'
          ? ['行的位置不定', 'it fits more than one row']
          : a.candidates.length > 0
            ? ['分隔符丢失', 'separators lost']
            : // (no candidate: a row or a whole table that could not be placed — a file cut short, a
              // table out of order — not only digits run together)
              ['表格未能按原样读出', 'the table could not be read as published'];
    const cell = `“${cellName(a.path)}”（${a.path}）`;
    return a.candidates.length > 0
      ? `警告：${file}：${cell}的数值无法唯一确定（${zh}），候选值：${a.candidates.join('、')}${a.more ? ' 等' : ''}。 Warning: ${file}: the value of ${a.path} is ambiguous (${en}); candidates: ${a.candidates.join(', ')}${a.more ? ', …' : ''}.`
      : `警告：${file}：${cell}的数值无法唯一确定（${zh}），找不到可列出的候选值，请核对原件。 Warning: ${file}: the value of ${a.path} could not be read (${en}) and no candidate can be listed; check the original.`;
  });
  const more = all.length - shown.length;
  if (more > 0)
    lines.push(
      `警告：${file}：另有 ${more} 个单元格的数值同样无法确定，全部列在 --json 输出的 ambiguities 中，请核对原件。 Warning: ${file}: ${more} more cells could not be read with certainty; all are listed under ambiguities in the --json output; check the original.`,
    );
  return lines;
}
