import { PROACTIVE_ROWS_2019, PROACTIVE_ROWS_2021 } from '../../model/format.js';
import { cellName, columnLabel } from '../cells.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'blank-cells',
  severity: 'warning',
  title: '应填数字的单元格为空白或填了“/”“—”',
  docs: `表格中应当填写数字的单元格留空或填“/”“—”“-”，读者无法区分“没有”和“漏填”，应填 0。检查时空白按 0 计（各合计规则照常检查）。每行合并为一条提示。表一“规章”一行例外：没有规章制定权的机关常填“/”，不提示。`,
  examples: {
    valid: [
      { title: '应填数字的单元格都填了数字，没有的填 0', report: {} },
      {
        title: '没有规章制定权的区政府办公室，表一“规章”一行填“/”',
        report: { proactive: { regulations: { issued: null, repealed: null, inForce: null } } },
      },
      {
        title: '数字连在一起无法拆分而留空的单元格由 ambiguous-cell 报告，这里不重复',
        report: {
          format: '2019',
          proactive: { licensing: { previous: null, change: null } },
          ambiguities: [
            { path: 'proactive.licensing.previous', candidates: [118, 11] },
            { path: 'proactive.licensing.change', candidates: [2, 82] },
          ],
        },
      },
    ],
    invalid: [
      {
        title: '表二“属于国家秘密”一行全部填“—”',
        report: {
          applications: {
            withheldStateSecret: {
              naturalPerson: null,
              commercial: null,
              research: null,
              publicInterest: null,
              legalService: null,
              other: null,
              total: null,
            },
          },
          provenance: Object.fromEntries(
            ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'other', 'total'].map((c, i) => [
              `applications.withheldStateSecret.${c}`,
              { raw: '—', prov: { kind: 'text', line: 41, column: 30 + 4 * i } },
            ]),
          ),
        },
        messageIncludes: ['“（三）不予公开1.属于国家秘密”整行为“—”'],
      },
      {
        title: '表三“复议后起诉”一组留空，表一行政强制留空',
        report: {
          reviewLitigation: { litigationAfterReview: { upheld: null, corrected: null, other: null, pending: null, total: null } },
          proactive: { enforcement: { decisions: null } },
        },
        messageIncludes: ['表三“行政诉讼（复议后起诉）”有 5 个单元格为空白', '表一“行政强制·本年处理决定数量”为空白'],
      },
    ],
  },
  check(ctx, emit) {
    const r = ctx.report;
    const raw = (p: string) => r.provenance?.[p]?.raw ?? '';
    const describe = (ps: string[]) =>
      [...new Set(ps.map((p) => raw(p) || '空白'))].map((x) => (x === '空白' ? '空白' : `“${x}”`)).join('或');
    const defs = r.format === '2021' ? PROACTIVE_ROWS_2021 : PROACTIVE_ROWS_2019;
    const pro = r.proactive as Record<string, Record<string, unknown>>;
    // a cell left blank because its digits could not be split is reported by ambiguous-cell, not here
    const amb = new Set((r.ambiguities ?? []).map((a) => a.path));
    for (const d of defs) {
      if (d.key === 'regulations') continue;
      const blanks = d.fields
        .filter((f) => pro[d.key]?.[f.key] === null && !amb.has(`proactive.${d.key}.${f.key}`))
        .map((f) => `proactive.${d.key}.${f.key}`);
      if (blanks.length > 0)
        emit({ path: blanks[0], message: `表一“${cellName(blanks[0])}”为${describe(blanks)}，应填写数字（没有的填 0）。` });
    }
    for (const [row, cols] of Object.entries(r.applications)) {
      const blanks = Object.entries(cols)
        .filter(([c, v]) => v === null && !amb.has(`applications.${row}.${c}`))
        .map(([c]) => c);
      if (blanks.length === 0) continue;
      const paths = blanks.map((c) => `applications.${row}.${c}`);
      const which = blanks.length === 7 ? '整行' : blanks.map(columnLabel).join('、');
      emit({ path: paths[0], message: `表二“${cellName(`applications.${row}`)}”${which}为${describe(paths)}，应填写数字（没有的填 0）。` });
    }
    for (const [g, cols] of Object.entries(r.reviewLitigation)) {
      const blanks = Object.entries(cols as unknown as Record<string, unknown>)
        .filter(([c, v]) => v === null && !amb.has(`reviewLitigation.${g}.${c}`))
        .map(([c]) => `reviewLitigation.${g}.${c}`);
      if (blanks.length === 0) continue;
      emit({
        path: blanks[0],
        message: `表三“${cellName(blanks[0]).split('·')[0]}”有 ${blanks.length} 个单元格为${describe(blanks)}，应填写数字（没有的填 0）。`,
      });
    }
  },
};
