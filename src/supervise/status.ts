/**
 * The reporting year as a supervisor sees it: which bodies must report for year Y, each one's
 * deadline (per kind, from the jurisdiction's settings, the statute's by default: 条例 第四十九条,
 * departments by 1月31日 and governments by 3月31日 of Y+1), and its state:
 *
 * - 未发布 (`unpublished`): no report stored; `overdue` once the deadline has passed;
 * - 逾期发布 (`late`): published after the deadline (calendar days late);
 * - 已发布 (`published`): published on or before the deadline, or the date is unknown (a report
 *   without a date is not called late: the page says the date is unknown).
 *
 * Errors, versions and review are shown beside the state (有错误 N, 已复核 by whom).
 */
import { type Body, type BodyYearStatus, type Deadlines, STATUTORY_DEADLINES } from './types.js';

/** does the body have to report for year Y (created before or in Y, not abolished before it) */
export function mustReport(body: Pick<Body, 'activeFrom' | 'activeUntil'>, year: number): boolean {
  return (body.activeFrom === null || body.activeFrom <= year) && (body.activeUntil === null || body.activeUntil >= year);
}

const MMDD = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** a deadline "MM-DD" is valid (a real day of a leap year) */
export function validMonthDay(md: string): boolean {
  if (!MMDD.test(md)) return false;
  const d = new Date(`2024-${md}T00:00:00Z`);
  return d.toISOString().slice(5, 10) === md;
}

/** year Y's deadline of a body, "YYYY-MM-DD" (in Y+1; 02-29 becomes 02-28 in a common year) */
export function deadlineOf(body: Pick<Body, 'kind'>, year: number, deadlines: Deadlines = STATUTORY_DEADLINES): string {
  let md = deadlines[body.kind] ?? STATUTORY_DEADLINES[body.kind];
  const y = year + 1;
  if (md === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) md = '02-28';
  return `${y}-${md}`;
}

/** calendar days from a to b ("YYYY-MM-DD") */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export interface StoredFiling {
  reportId: number;
  /** the publication date used ("YYYY-MM-DD") or null when unknown */
  publishedOn: string | null;
  versions: number;
  errors: number;
  warnings: number;
}

export interface Review {
  by: string;
  at: string;
}

export function statusOf(
  body: Body,
  year: number,
  filing: StoredFiling | null,
  review: Review | null,
  today: string,
  deadlines: Deadlines = STATUTORY_DEADLINES,
): BodyYearStatus {
  const deadline = deadlineOf(body, year, deadlines);
  const base = {
    bodyId: body.id,
    year,
    deadline,
    reviewedBy: review?.by ?? null,
    reviewedAt: review?.at ?? null,
  };
  if (!filing) {
    return {
      ...base,
      state: 'unpublished',
      overdue: today > deadline,
      publishedOn: null,
      daysLate: null,
      reportId: null,
      versions: 0,
      errors: 0,
      warnings: 0,
    };
  }
  const late = filing.publishedOn !== null && filing.publishedOn > deadline;
  return {
    ...base,
    state: late ? 'late' : 'published',
    overdue: late,
    publishedOn: filing.publishedOn,
    daysLate: late && filing.publishedOn ? daysBetween(deadline, filing.publishedOn) : null,
    reportId: filing.reportId,
    versions: filing.versions,
    errors: filing.errors,
    warnings: filing.warnings,
  };
}

/** the counts a status page shows on top */
export interface StatusCounts {
  bodies: number;
  published: number;
  late: number;
  unpublished: number;
  overdue: number;
  withErrors: number;
  reviewed: number;
}

export function countStatuses(list: readonly BodyYearStatus[]): StatusCounts {
  const c: StatusCounts = { bodies: list.length, published: 0, late: 0, unpublished: 0, overdue: 0, withErrors: 0, reviewed: 0 };
  for (const s of list) {
    c[s.state]++;
    if (s.state === 'unpublished' && s.overdue) c.overdue++;
    if (s.errors > 0) c.withErrors++;
    if (s.reviewedBy) c.reviewed++;
  }
  return c;
}
