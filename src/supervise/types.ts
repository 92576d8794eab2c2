/**
 * Supervision (issue 15): the shared types of the directory of bodies that must report, the
 * reporting year's status, the roll-ups, the scoring and the cross-body 雷同. Pure data: the store
 * (`src/store/supervise.ts`), the server, the CLI and the web app all speak these.
 */
import type { Diagnostic } from '../check/types.js';
import type { Report } from '../model/report.js';

/** the administrative level of a body's jurisdiction */
export type Tier = 'national' | 'province' | 'city' | 'county' | 'township';
export const TIERS: readonly Tier[] = ['national', 'province', 'city', 'county', 'township'];
export const TIER_ZH: Record<Tier, string> = {
  national: '国务院部门',
  province: '省级',
  city: '市级',
  county: '县级',
  township: '乡镇（街道）',
};

/** a people's government (or 街道办事处, 管委会 acting as one) or one of its departments: their deadlines differ */
export type BodyKind = 'government' | 'department';
export const BODY_KINDS: readonly BodyKind[] = ['government', 'department'];
export const BODY_KIND_ZH: Record<BodyKind, string> = { government: '人民政府', department: '政府部门' };

export interface BodyAlias {
  name: string;
  /** 'former': a name it used to have (until `until`, the last year it was used); 'alias': another name in use */
  kind: 'former' | 'alias';
  until?: number | null;
}

/** a body that must publish an annual report */
export interface Body {
  id: number;
  name: string;
  aliases: BodyAlias[];
  tier: Tier;
  kind: BodyKind;
  parentId: number | null;
  /** 行政区划代码 (GB/T 2260), 6 digits, of the body's region, or null */
  regionCode: string | null;
  /** the year of the code table the region code is from */
  regionCodeYear: number | null;
  /** 统一社会信用代码 (GB 32100), 18 characters, or null */
  creditCode: string | null;
  /** the first year it must report for (null: always) */
  activeFrom: number | null;
  /** the last year it must report for (null: still reporting) */
  activeUntil: number | null;
}

/** a row of a directory file (XLSX/CSV) before it is stored: the parent by name or code */
export interface BodyRow {
  /** 1-based row number in the file (the header is row 1) */
  row: number;
  name: string;
  aliases: BodyAlias[];
  tier: Tier | null;
  kind: BodyKind | null;
  /** the parent's name (or region code / credit code), '' for a root */
  parent: string;
  regionCode: string | null;
  regionCodeYear: number | null;
  creditCode: string | null;
  activeFrom: number | null;
  activeUntil: number | null;
}

/** one problem of a directory row (or of the file): a dry run lists them all before anything is stored */
export interface RowProblem {
  row: number | null;
  /** the column's header as in the file, or null for the row as a whole */
  column: string | null;
  severity: 'error' | 'warning';
  message: string;
  messageEn: string;
}

/** the deadline of year Y's report, per kind, as month-day of year Y+1 ("MM-DD") */
export interface Deadlines {
  government: string;
  department: string;
}
/** 条例 第四十九条: departments by 1月31日, governments by 3月31日 */
export const STATUTORY_DEADLINES: Deadlines = { government: '03-31', department: '01-31' };

/** how sure a report's match to a body is */
export interface MatchCandidate {
  bodyId: number;
  name: string;
  /** 0–1; at or above `AUTO_MATCH` a report is attached without asking */
  confidence: number;
  /** how it matched, in Chinese (e.g. “名称完全一致”, “曾用名”, “统一社会信用代码”) */
  reason: string;
}
export const AUTO_MATCH = 0.9;

export type FilingState = 'unpublished' | 'late' | 'published';
export const FILING_STATE_ZH: Record<FilingState, string> = { unpublished: '未发布', late: '逾期发布', published: '已发布' };

/** a body's report for year Y as the supervisor sees it */
export interface BodyYearStatus {
  bodyId: number;
  year: number;
  /** the deadline, "YYYY-MM-DD" */
  deadline: string;
  state: FilingState;
  /** whether the deadline has passed (an unpublished report before it is not yet late) */
  overdue: boolean;
  /** the publication date used, "YYYY-MM-DD", or null when unknown / unpublished */
  publishedOn: string | null;
  /** calendar days after the deadline, for a late report */
  daysLate: number | null;
  /** the stored report (its latest version), or null */
  reportId: number | null;
  versions: number;
  errors: number;
  warnings: number;
  reviewedBy: string | null;
  reviewedAt: string | null;
}

/** the facts a rubric scores, for one body and year */
export interface ScoringFacts {
  body: Body;
  year: number;
  status: BodyYearStatus;
  /** null when unpublished */
  report: Report | null;
  diagnostics: Diagnostic[];
  /** 雷同 with the body's own report of last year (containment 0–1), null when not compared */
  previousSimilarity: { ratio: number; passages: { mine: string; theirs: string }[] } | null;
  /** text shared with other bodies' reports of the same year, above the copies threshold */
  copies: { otherBodyId: number; otherName: string; ratio: number; passages: { mine: string; theirs: string }[] }[];
  /** the report was changed after publication (a later version with other content) */
  editedAfterPublication: boolean;
}

/** what a deduction points at */
export interface Evidence {
  /** the diagnostic's rule, when the deduction is for one */
  rule?: string;
  /** the cell or section (JSON path in the Report) */
  path?: string | null;
  /** the diagnostic's message or the finding in Chinese */
  message: string;
  /** a sentence quoted (copied text, prose) */
  quote?: string;
  /** the other body, for copied text */
  otherBodyId?: number;
}

export interface Deduction {
  itemId: string;
  itemName: string;
  points: number;
  reason: string;
  evidence: Evidence[];
  /** the finding involves an uncertain (ambiguous) cell */
  uncertain: boolean;
}

export interface BodyScore {
  bodyId: number;
  year: number;
  score: number;
  max: number;
  /** a veto item hit: the report fails whatever its points */
  failed: boolean;
  failedBy: string[];
  /** per item: points kept out of its points */
  items: { id: string; name: string; points: number; kept: number }[];
  deductions: Deduction[];
  grade: string | null;
}

/** a pair of bodies whose narratives of year Y are similar above the threshold */
export interface CopiedPair {
  a: number;
  b: number;
  /** containment of the smaller narrative in the other, 0–1, boilerplate left out */
  ratio: number;
  section: 'overview' | 'problems';
  passages: { a: string; b: string }[];
}
