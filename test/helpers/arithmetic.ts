/**
 * The arithmetic a valid report satisfies (contract §2: applications-balance,
 * applications-outcome-total, applications-row-total, review-litigation-total).
 * A null cell counts as 0. This is a test helper, not the checker: it lists every
 * violated equation so that generators and fixtures can be verified.
 */
import { APPLICANT_COLUMNS, applicationRows, REVIEW_COLUMNS, REVIEW_GROUPS } from '../../src/model/format.js';
import type { ApplicantColumn, Count, Report } from '../../src/model/report.js';

export type ArithmeticRule = 'applications-balance' | 'applications-outcome-total' | 'applications-row-total' | 'review-litigation-total';

export interface ArithmeticIssue {
  rule: ArithmeticRule;
  /** the cell that should hold `expected`, e.g. "applications.outcomeTotal.research" */
  path: string;
  expected: number;
  actual: number;
}

const n = (v: Count | undefined): number => v ?? 0;

/** Every violated equation of the report, or [] when all arithmetic holds. */
export function checkArithmetic(report: Report): ArithmeticIssue[] {
  const issues: ArithmeticIssue[] = [];
  const rows = applicationRows(report.format);
  const cell = (row: string, col: ApplicantColumn): number => n(report.applications[row]?.[col]);
  const push = (rule: ArithmeticRule, path: string, expected: number, actual: number) => {
    if (expected !== actual) issues.push({ rule, path, expected, actual });
  };
  const parts = APPLICANT_COLUMNS.filter((c) => c.key !== 'total').map((c) => c.key);

  for (const row of rows) {
    const sum = parts.reduce((s, c) => s + cell(row.key, c), 0);
    push('applications-row-total', `applications.${row.key}.total`, sum, cell(row.key, 'total'));
  }
  for (const { key: col } of APPLICANT_COLUMNS) {
    const leaves = rows.filter((r) => r.leaf).reduce((s, r) => s + cell(r.key, col), 0);
    push('applications-outcome-total', `applications.outcomeTotal.${col}`, leaves, cell('outcomeTotal', col));
    // 一 + 二 = 三（七）总计 + 四, reported on 四 (the balancing item)
    const expectedForward = cell('newReceived', col) + cell('carriedOver', col) - cell('outcomeTotal', col);
    push('applications-balance', `applications.carriedForward.${col}`, expectedForward, cell('carriedForward', col));
  }
  for (const group of REVIEW_GROUPS) {
    const g = report.reviewLitigation[group.key];
    const sum = REVIEW_COLUMNS.filter((c) => c.key !== 'total').reduce((s, c) => s + n(g?.[c.key]), 0);
    push('review-litigation-total', `reviewLitigation.${group.key}.total`, sum, n(g?.total));
  }
  return issues;
}
