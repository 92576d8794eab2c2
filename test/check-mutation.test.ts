/**
 * Mutation tests of the arithmetic rules on real reports: every seed and the
 * corpus PDFs whose tables are correct are parsed once; then every numeric cell
 * of 表二 and 表三 (blank ones too) is changed in turn (+1; for a non-zero cell
 * also −1 and 0) and the checker must raise an error on the same row or the
 * same column. A wrong number anywhere in the tables can never go unnoticed.
 *
 * huaian-hongze-2023 has real errors in 表三 (the 总计 of two groups left 0), so
 * only its 表二 is used.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { APPLICANT_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS } from '../src/model/format.js';
import type { Report } from '../src/model/report.js';
import { parseFile } from '../src/parse.js';
import { CORPUS, SEEDS, seedFiles } from './helpers/paths.js';

const ARITHMETIC = ['applications-balance', 'applications-outcome-total', 'applications-row-total', 'review-litigation-total'];

type Table = 'applications' | 'reviewLitigation';

interface Subject {
  name: string;
  file: string;
  tables: Table[];
}

const SUBJECTS: Subject[] = [
  ...seedFiles().map((f) => ({ name: `seed ${f}`, file: join(SEEDS, f), tables: ['applications', 'reviewLitigation'] as Table[] })),
  { name: 'huaian-city-2024.pdf', file: join(CORPUS, 'pdf', 'huaian-city-2024.pdf'), tables: ['applications', 'reviewLitigation'] },
  { name: 'huaian-hongze-2024.pdf', file: join(CORPUS, 'pdf', 'huaian-hongze-2024.pdf'), tables: ['applications', 'reviewLitigation'] },
  { name: 'huaian-hongze-2023.pdf (表二 only)', file: join(CORPUS, 'pdf', 'huaian-hongze-2023.pdf'), tables: ['applications'] },
];

const reports = new Map<string, Report>();

beforeAll(async () => {
  const parsed = await Promise.all(SUBJECTS.map((s) => parseFile(s.file)));
  for (const [i, s] of SUBJECTS.entries()) reports.set(s.name, parsed[i]);
}, 60_000);

const arithmeticErrors = (report: Report) => check({ report, only: ARITHMETIC }).filter((d) => d.severity === 'error');

/** the cells of a table: [row, column] pairs as they are in the report */
function cells(report: Report, table: Table): [string, string][] {
  if (table === 'applications') {
    return Object.keys(report.applications).flatMap((row) => APPLICANT_COLUMNS.map((c) => [row, c.key] as [string, string]));
  }
  return REVIEW_GROUPS.flatMap((g) => REVIEW_COLUMNS.map((c) => [g.key, c.key] as [string, string]));
}

/** the values a cell is changed to: +1, and for a non-zero cell −1 and 0 (blank counts as 0) */
function mutations(v: number | null): number[] {
  const n = v ?? 0;
  return n === 0 ? [n + 1] : [n + 1, n - 1, 0];
}

/** is the diagnostic's path on the cell's row (表三: group) or column, in the same table? */
function sameLine(path: string | null, table: Table, row: string, col: string): boolean {
  if (!path) return false;
  const [t, r, c] = path.split('.');
  return t === table && (r === row || c === col);
}

describe.each(SUBJECTS.map((s) => [s.name, s] as const))('%s', (name, subject) => {
  it('as published: no error-level arithmetic diagnostic in the tables used', () => {
    const report = reports.get(name)!;
    const errors = arithmeticErrors(report).filter((d) => subject.tables.some((t) => d.path?.startsWith(`${t}.`)));
    expect(errors.map((d) => `${d.path}: ${d.message}`)).toEqual([]);
  });

  for (const table of subject.tables) {
    it(`every changed cell of ${table === 'applications' ? '表二' : '表三'} is reported on its row or column`, () => {
      const report = reports.get(name)!;
      const rows = report[table] as unknown as Record<string, Record<string, number | null>>;
      const missed: string[] = [];
      let tried = 0;
      for (const [row, col] of cells(report, table)) {
        const original = rows[row][col];
        for (const value of mutations(original)) {
          rows[row][col] = value;
          try {
            tried++;
            const errors = arithmeticErrors(report);
            if (!errors.some((d) => sameLine(d.path, table, row, col))) missed.push(`${table}.${row}.${col}: ${original} → ${value}`);
          } finally {
            rows[row][col] = original;
          }
        }
      }
      expect(missed).toEqual([]);
      // 表二: 7 columns × every row (2021: 25 rows, the mixed template 23); 表三: 15 cells
      expect(tried).toBeGreaterThanOrEqual(table === 'applications' ? 23 * 7 : 15);
    });
  }
});

it('huaian-hongze-2023: the real errors of 表三 are found', () => {
  const report = reports.get('huaian-hongze-2023.pdf (表二 only)')!;
  const paths = arithmeticErrors(report).map((d) => d.path);
  expect(paths).toContain('reviewLitigation.review.total');
  expect(paths).toContain('reviewLitigation.litigationAfterReview.total');
});
