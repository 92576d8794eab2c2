/**
 * The arithmetic of 表二 and 表三 as linear equations over cells (blank = 0): part of the
 * format. Shared by the reader (checking cells read by OCR), the four arithmetic rules and the
 * single-cell repair suggestion.
 */
import { APPLICANT_COLUMNS, APPLICATION_ROWS, REVIEW_COLUMNS, REVIEW_GROUPS } from './format.js';
import type { Report } from './report.js';

/** a count as the sums see it: blank (null) counts as 0 */
export const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** value of a cell path in a report */
export function valueAt(report: Report, path: string): unknown {
  let o: unknown = report;
  for (const k of path.split('.')) {
    if (o === null || typeof o !== 'object') return undefined;
    o = (o as Record<string, unknown>)[k];
  }
  return o;
}

/** the leaf outcome rows present in this report */
export function leafRows(report: Report): string[] {
  return APPLICATION_ROWS.filter((r) => r.leaf && report.applications[r.key] !== undefined).map((r) => r.key);
}

export type EquationKind = 'applications-balance' | 'applications-outcome-total' | 'applications-row-total' | 'review-litigation-total';

export interface Equation {
  kind: EquationKind;
  /** the row or column (or group) it is about */
  key: string;
  /** cells whose sum is on the left */
  left: string[];
  /** cells whose sum is on the right */
  right: string[];
}

const PARTS = APPLICANT_COLUMNS.filter((c) => c.key !== 'total').map((c) => c.key);

export function equations(report: Report): Equation[] {
  const out: Equation[] = [];
  const a = report.applications;
  const rows = Object.keys(a);
  const leaves = leafRows(report);
  for (const row of rows) {
    out.push({
      kind: 'applications-row-total',
      key: row,
      left: [`applications.${row}.total`],
      right: PARTS.map((c) => `applications.${row}.${c}`),
    });
  }
  for (const c of APPLICANT_COLUMNS) {
    const col = c.key;
    if (a.newReceived && a.carriedOver && a.outcomeTotal && a.carriedForward) {
      out.push({
        kind: 'applications-balance',
        key: col,
        left: [`applications.newReceived.${col}`, `applications.carriedOver.${col}`],
        right: [`applications.outcomeTotal.${col}`, `applications.carriedForward.${col}`],
      });
    }
    if (a.outcomeTotal) {
      out.push({
        kind: 'applications-outcome-total',
        key: col,
        left: [`applications.outcomeTotal.${col}`],
        right: leaves.map((r) => `applications.${r}.${col}`),
      });
    }
  }
  for (const g of REVIEW_GROUPS) {
    const parts = REVIEW_COLUMNS.filter((c) => c.key !== 'total').map((c) => `reviewLitigation.${g.key}.${c.key}`);
    out.push({ kind: 'review-litigation-total', key: g.key, left: [`reviewLitigation.${g.key}.total`], right: parts });
  }
  return out;
}

export const sum = (report: Report, cells: string[]): number => cells.reduce((s, p) => s + n(valueAt(report, p)), 0);

/** left − right (0 when the equation holds) */
export const residual = (report: Report, e: Equation): number => sum(report, e.left) - sum(report, e.right);

/**
 * The one cell whose change would make every broken equation hold without
 * breaking another, with its value; null when there is none or more than one.
 */
export function singleCellFix(report: Report, eqs: Equation[] = equations(report)): { path: string; value: number; broken: number } | null {
  const broken = eqs.filter((e) => residual(report, e) !== 0);
  if (broken.length === 0) return null;
  const coef = (e: Equation, cell: string) => e.left.filter((c) => c === cell).length - e.right.filter((c) => c === cell).length;
  const cells = new Set(broken.flatMap((e) => [...e.left, ...e.right]));
  const fixes: { path: string; value: number }[] = [];
  for (const cell of cells) {
    let delta: number | null = null;
    let ok = true;
    for (const e of eqs) {
      const k = coef(e, cell);
      const r = residual(report, e);
      if (k === 0) {
        if (r !== 0) ok = false;
      } else {
        const d = -r / k;
        if (delta === null) delta = d;
        else if (delta !== d) ok = false;
      }
      if (!ok) break;
    }
    if (!ok || delta === null || delta === 0) continue;
    const value = n(valueAt(report, cell)) + delta;
    if (value < 0 || !Number.isInteger(value)) continue;
    fixes.push({ path: cell, value });
  }
  return fixes.length === 1 ? { ...fixes[0], broken: broken.length } : null;
}
