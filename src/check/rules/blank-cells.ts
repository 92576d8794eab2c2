import { PROACTIVE_ROWS_2019, PROACTIVE_ROWS_2021 } from '../../model/format.js';
import { cellName, columnLabel } from '../cells.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'blank-cells',
  severity: 'warning',
  title: '应填数字的单元格为空白或填了“/”“—”',
  docs: `表格中应当填写数字的单元格留空或填“/”“—”“-”，读者无法区分“没有”和“漏填”，应填 0。检查时空白按 0 计（各合计规则照常检查）。每行合并为一条提示。表一“规章”一行例外：没有规章制定权的机关常填“/”，不提示。`,
  check(ctx, emit) {
    const r = ctx.report;
    const raw = (p: string) => r.provenance?.[p]?.raw ?? '';
    const describe = (ps: string[]) =>
      [...new Set(ps.map((p) => raw(p) || '空白'))].map((x) => (x === '空白' ? '空白' : `“${x}”`)).join('或');
    const defs = r.format === '2021' ? PROACTIVE_ROWS_2021 : PROACTIVE_ROWS_2019;
    const pro = r.proactive as Record<string, Record<string, unknown>>;
    for (const d of defs) {
      if (d.key === 'regulations') continue;
      const blanks = d.fields.filter((f) => pro[d.key]?.[f.key] === null).map((f) => `proactive.${d.key}.${f.key}`);
      if (blanks.length > 0)
        emit({ path: blanks[0], message: `表一“${cellName(blanks[0])}”为${describe(blanks)}，应填写数字（没有的填 0）。` });
    }
    const amb = new Set((r.ambiguities ?? []).map((a) => a.path));
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
