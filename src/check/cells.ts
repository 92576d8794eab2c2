/** Helpers shared by the rules: labels of cells, values with blanks as 0. */
import {
  APPLICANT_COLUMNS,
  APPLICATION_ROWS,
  PROACTIVE_ROWS_2019,
  PROACTIVE_ROWS_2021,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
} from '../model/format.js';
import type { Report } from '../model/report.js';

/** a count as the checks see it: blank (null) counts as 0 */
export const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

const ROW_LABEL = new Map(APPLICATION_ROWS.map((r) => [r.key, r.level3 ? `${r.level2}${r.level3}` : r.label]));
const COL_LABEL = new Map<string, string>(APPLICANT_COLUMNS.map((c) => [c.key, c.label]));
const GROUP_LABEL = new Map<string, string>(REVIEW_GROUPS.map((g) => [g.key, 'parent' in g ? `${g.parent}（${g.label}）` : g.label]));
const RCOL_LABEL = new Map<string, string>(REVIEW_COLUMNS.map((c) => [c.key, c.label]));

/** a readable Chinese name for a cell path, e.g. "（一）予以公开·总计" */
export function cellName(path: string): string {
  const [table, row, col] = path.split('.');
  if (table === 'applications') {
    const r = ROW_LABEL.get(row) ?? row;
    return col ? `${r}·${COL_LABEL.get(col) ?? col}` : r;
  }
  if (table === 'reviewLitigation') return `${GROUP_LABEL.get(row) ?? row}·${RCOL_LABEL.get(col) ?? col}`;
  if (table === 'proactive') {
    const defs = [...PROACTIVE_ROWS_2021, ...PROACTIVE_ROWS_2019];
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

/** value of a cell path in a report */
export function valueAt(report: Report, path: string): unknown {
  let o: unknown = report;
  for (const k of path.split('.')) {
    if (o === null || typeof o !== 'object') return undefined;
    o = (o as Record<string, unknown>)[k];
  }
  return o;
}

/** display a published value: blank cells as （空白） */
export const show = (v: unknown): string => (v === null || v === undefined ? '空白' : String(v));

/** the leaf outcome rows present in this report */
export function leafRows(report: Report): string[] {
  return APPLICATION_ROWS.filter((r) => r.leaf && report.applications[r.key] !== undefined).map((r) => r.key);
}
