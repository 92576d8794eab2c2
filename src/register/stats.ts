/**
 * 表二 and 表三 of a 2021-format report computed from the register, correct by construction.
 *
 * For year Y (a case counts in the column of its applicant type):
 * - 一 newReceived: received in Y;
 * - 二 carriedOver: received before Y and not concluded by 31 Dec of Y-1;
 * - 三 leaf rows: concluded in Y, by outcome; （七）outcomeTotal = their sum;
 * - 四 carriedForward: received by 31 Dec of Y and not concluded by then.
 * Hence 一 + 二 = （七） + 四 per column, and 二 of Y+1 = 四 of Y.
 *
 * 表三: every linked 行政复议/行政诉讼 filed by 31 Dec of Y and not decided before Y:
 * decided in Y → 结果维持/结果纠正/其他结果; not decided by 31 Dec of Y → 尚未审结
 * (a proceeding pending over several year ends is reported as pending each year).
 */
import { APPLICANT_COLUMNS, applicationRows } from '../model/format.js';
import type { ApplicantColumn, ApplicationRow, Proactive2021, Report, ReviewGroup, ReviewLitigation } from '../model/report.js';
import type { Case, Outcome, Proceeding, ProceedingKind } from './case.js';

/** what the statistics read of a case (a whole Case will do; the store reads just these columns) */
export interface StatsCase {
  id: string;
  applicantType: Case['applicantType'];
  receivedOn: string;
  state: { closed: { on: string; outcome: Outcome } | null; proceedings: readonly Proceeding[] };
}

export interface RegisterStats {
  applications: Record<string, ApplicationRow>;
  reviewLitigation: ReviewLitigation;
}

const COLUMNS = APPLICANT_COLUMNS.map((c) => c.key);
const ROWS_2021 = applicationRows('2021');
const LEAVES = ROWS_2021.filter((r) => r.leaf).map((r) => r.key);

function zeroRow(): ApplicationRow {
  const row = {} as Record<ApplicantColumn, number>;
  for (const k of COLUMNS) row[k] = 0;
  return row;
}

function zeroGroup(): Record<keyof ReviewGroup, number> {
  return { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 };
}

export function statsForYear(cases: Iterable<StatsCase>, year: number): RegisterStats {
  if (!Number.isInteger(year)) throw new Error(`year must be an integer (got ${year})`);
  const first = `${String(year).padStart(4, '0')}-01-01`;
  const last = `${String(year).padStart(4, '0')}-12-31`;
  const rows: Record<string, Record<ApplicantColumn, number>> = {};
  for (const r of ROWS_2021) rows[r.key] = zeroRow() as Record<ApplicantColumn, number>;
  const groups: Record<ProceedingKind, Record<keyof ReviewGroup, number>> = {
    review: zeroGroup(),
    litigationDirect: zeroGroup(),
    litigationAfterReview: zeroGroup(),
  };
  const leafSet = new Set(LEAVES);
  for (const c of cases) {
    const col = c.applicantType;
    const closedOn = c.state.closed?.on ?? null;
    if (c.receivedOn <= last) {
      if (c.receivedOn >= first) rows.newReceived[col]++;
      else if (closedOn === null || closedOn >= first) rows.carriedOver[col]++;
      if (closedOn !== null && closedOn >= first && closedOn <= last) {
        const outcome = c.state.closed?.outcome as string;
        if (!leafSet.has(outcome)) throw new Error(`case ${c.id}: outcome ${outcome} is not a 2021 leaf row`);
        rows[outcome][col]++;
        rows.outcomeTotal[col]++;
      } else if (closedOn === null || closedOn > last) rows.carriedForward[col]++;
    }
    for (const p of c.state.proceedings) {
      if (p.filedOn > last) continue;
      if (p.decidedOn !== undefined && p.decidedOn < first) continue;
      const g = groups[p.kind];
      if (p.decidedOn !== undefined && p.decidedOn <= last && p.result) g[p.result]++;
      else g.pending++;
      g.total++;
    }
  }
  for (const r of Object.values(rows)) {
    r.total = 0;
    for (const k of COLUMNS) if (k !== 'total') r.total += r[k];
  }
  return { applications: rows, reviewLitigation: groups };
}

export interface ReportOptions {
  agency?: string | null;
  publishedOn?: string | null;
  /** 表一 figures, entered separately (blank when absent) */
  proactive?: Proactive2021;
  sections?: Report['sections'];
}

/** 表一 of the 2021 format with every cell blank */
export const BLANK_PROACTIVE: Proactive2021 = {
  regulations: { issued: null, repealed: null, inForce: null },
  normativeDocuments: { issued: null, repealed: null, inForce: null },
  licensing: { decisions: null },
  punishment: { decisions: null },
  enforcement: { decisions: null },
  fees: { amount: null },
};

/** a 2021-format Report JSON whose 表二 and 表三 come from the register */
export function reportForYear(cases: Iterable<StatsCase>, year: number, opts: ReportOptions = {}): Report {
  const s = statsForYear(cases, year);
  return {
    format: '2021',
    agency: opts.agency ?? null,
    year,
    publishedOn: opts.publishedOn ?? null,
    sections: opts.sections ?? { overview: null, problems: null, other: null },
    proactive: opts.proactive ?? structuredClone(BLANK_PROACTIVE),
    applications: s.applications,
    reviewLitigation: s.reviewLitigation,
  };
}
