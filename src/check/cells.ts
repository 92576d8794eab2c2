/** Helpers shared by the rules: labels of cells, values with blanks as 0. */
import {
  APPLICANT_COLUMNS,
  APPLICATION_ROWS,
  PROACTIVE_ROWS_2019,
  PROACTIVE_ROWS_2021,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
} from '../model/format.js';

export { leafRows, n, valueAt } from '../model/equations.js';

const ROW_LABEL = new Map(APPLICATION_ROWS.map((r) => [r.key, r.level3 ? `${r.level2}${r.level3}` : r.label]));
const COL_LABEL = new Map<string, string>(APPLICANT_COLUMNS.map((c) => [c.key, c.label]));
const GROUP_LABEL = new Map<string, string>(REVIEW_GROUPS.map((g) => [g.key, 'parent' in g ? `${g.parent}（${g.label}）` : g.label]));
const RCOL_LABEL = new Map<string, string>(REVIEW_COLUMNS.map((c) => [c.key, c.label]));
/** the rows of 表一 of both formats, 2021 first */
const PROACTIVE_DEFS = [...PROACTIVE_ROWS_2021, ...PROACTIVE_ROWS_2019];

/** a readable Chinese name for a cell path, e.g. "（一）予以公开·总计" */
export function cellName(path: string): string {
  const [table, row, col] = path.split('.');
  if (table === 'applications') {
    const r = ROW_LABEL.get(row) ?? row;
    return col ? `${r}·${COL_LABEL.get(col) ?? col}` : r;
  }
  if (table === 'reviewLitigation') return `${GROUP_LABEL.get(row) ?? row}·${RCOL_LABEL.get(col) ?? col}`;
  if (table === 'proactive') {
    const defs = PROACTIVE_DEFS;
    // a row key exists in both versions with different fields (2019 licensing.previous): take the version that has the field
    const d = defs.find((x) => x.key === row && x.fields.some((f) => f.key === col)) ?? defs.find((x) => x.key === row);
    const f = d?.fields.find((x) => x.key === col);
    return d ? `${d.label}${f ? `·${f.label}` : ''}` : path;
  }
  if (table === 'sections')
    return (
      ({ overview: '一、总体情况', problems: '五、存在的主要问题及改进情况', other: '六、其他需要报告的事项' } as Record<string, string>)[
        row
      ] ?? path
    );
  return path;
}

export const columnLabel = (key: string): string => COL_LABEL.get(key) ?? key;

/** display a published value: blank cells as （空白） */
export const show = (v: unknown): string => (v === null || v === undefined ? '空白' : String(v));
