/** The Report JSON of the public contract (../shared/contract/README.md §1). */
import type { Provenance } from '../read/document.js';

export type FormatVersion = '2021' | '2019';

/** a count cell: integer, or null when the published cell was blank or held a not-applicable mark */
export type Count = number | null;
/** a money cell: decimal string with no unit and no separators, or null */
export type Money = string | null;

export interface Proactive2021 {
  regulations: { issued: Count; repealed: Count; inForce: Count };
  normativeDocuments: { issued: Count; repealed: Count; inForce: Count };
  licensing: { decisions: Count };
  punishment: { decisions: Count };
  enforcement: { decisions: Count };
  fees: { amount: Money };
}

export interface Proactive2019 {
  regulations: { made: Count; published: Count; total: Count };
  normativeDocuments: { made: Count; published: Count; total: Count };
  licensing: { previous: Count; change: Count; decisions: Count };
  otherServices: { previous: Count; change: Count; decisions: Count };
  punishment: { previous: Count; change: Count; decisions: Count };
  enforcement: { previous: Count; change: Count; decisions: Count };
  fees: { previous: Count; change: Count };
  /** amount is the string as published, unit included */
  procurement: { projects: Count; amount: string | null };
}

export type ApplicantColumn = 'naturalPerson' | 'commercial' | 'research' | 'publicInterest' | 'legalService' | 'other' | 'total';

export type ApplicationRow = Record<ApplicantColumn, Count>;

export interface ReviewGroup {
  upheld: Count;
  corrected: Count;
  other: Count;
  pending: Count;
  total: Count;
}

export interface ReviewLitigation {
  review: ReviewGroup;
  litigationDirect: ReviewGroup;
  litigationAfterReview: ReviewGroup;
}

export interface Ambiguity {
  path: string;
  /** the values the cell may hold; empty when they could not be enumerated */
  candidates: (number | string)[];
  /** present and true when there were more candidates than listed */
  more?: boolean;
}

/** Origin of one extracted value, keyed by its JSON path in the report. */
export interface Origin {
  /** the published token, e.g. "1,234", "/", "" */
  raw: string;
  prov: Provenance;
}

export interface Report {
  format: FormatVersion;
  agency: string | null;
  year: number | null;
  publishedOn: string | null;
  sections: { overview: string | null; problems: string | null; other: string | null };
  proactive: Proactive2021 | Proactive2019 | Record<string, Record<string, Count | Money>>;
  applications: Record<string, ApplicationRow>;
  reviewLitigation: ReviewLitigation;
  ambiguities?: Ambiguity[];
  /** additions to the contract (add, never rename) */
  /** the published row/column labels that differ from the template, for the checker */
  labels?: LabelRecord[];
  /** JSON path → where the value came from */
  provenance?: Record<string, Origin>;
  /** the kind of input it was read from */
  input?: { kind: string; file: string };
  /** notes on the template seen, e.g. the mixed 2021/2019 case */
  template?: {
    mixedOtherHandling?: boolean;
    /** sections whose heading was found in the expected order */
    sectionsFound: string[];
    /** sections whose heading exists but out of the expected order (after a later section) */
    sectionsOutOfOrder?: string[];
  };
}

export interface LabelRecord {
  /** the table-cell path, e.g. "applications.withheldLawProhibited" or "proactive.regulations.repealed" */
  path: string;
  /** the label as published (whitespace removed) */
  published: string;
  /** the template label */
  expected: string;
  prov?: Provenance;
}
