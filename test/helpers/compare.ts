/** A report read back against the one it should be, cell by cell (表一, 表二, 表三). */
import type { Report } from '../../src/model/report.js';

export interface CellScore {
  /** cells with the expected value */
  right: number;
  /** cells left empty (null) that should hold a value: their paths */
  empty: string[];
  /** cells empty that should be empty (published blank) */
  blank: number;
  /** confident wrong values: "path: got ≠ want" */
  wrong: string[];
}

export function compareCells(got: Report, want: Report): CellScore {
  const out: CellScore = { right: 0, empty: [], blank: 0, wrong: [] };
  for (const table of ['proactive', 'applications', 'reviewLitigation'] as const) {
    const w = want[table] as Record<string, Record<string, unknown>>;
    const g = got[table] as Record<string, Record<string, unknown>>;
    for (const row of Object.keys(w)) {
      for (const col of Object.keys(w[row])) {
        const gv = g?.[row]?.[col];
        const path = `${table}.${row}.${col}`;
        if (gv === null || gv === undefined) {
          if (w[row][col] === null) out.blank++;
          else out.empty.push(path);
        } else if (String(gv) === String(w[row][col])) out.right++;
        else out.wrong.push(`${path}: ${String(gv)} ≠ ${String(w[row][col])}`);
      }
    }
  }
  return out;
}
