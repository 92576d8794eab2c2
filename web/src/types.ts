/**
 * Types of the HTTP API (docs/api.md). The data — the Report JSON, diagnostics, the register's cases
 * and events, their due dates and status, the tables' layout — are the model's types, derived from
 * its zod schemas (src/model; type-only imports, erased at build time), the same schemas the API's
 * OpenAPI document is generated from; the envelopes of the API's answers are declared here as the
 * server's schemas (src/server/schemas.ts) define them.
 */
import type { Provenance } from '../../src/model/provenance';
import type { Count, FormatVersion, Money, Report } from '../../src/model/report';
import type {
  ApplicantType,
  Case,
  CaseAmendment,
  CaseEvent,
  CaseStatus,
  Channel,
  Diagnostic,
  DueDates,
  EventType,
  FeeInput,
  Grid,
  GridCell,
  HolidayNotice,
  NewCase,
  NewCaseEvent,
  Outcome,
  ProceedingKind,
  ProceedingResult,
  Revision,
  RevisionChange,
  Severity,
  StateWarning,
} from '../../src/model/schema';

export type {
  ApplicantType,
  Case,
  CaseAmendment,
  CaseEvent,
  CaseStatus,
  Channel,
  Count,
  Diagnostic,
  DueDates,
  EventType,
  FeeInput,
  FormatVersion,
  Grid,
  GridCell,
  HolidayNotice,
  Money,
  NewCase,
  Outcome,
  ProceedingKind,
  ProceedingResult,
  Provenance,
  Report,
  Revision,
  RevisionChange,
  Severity,
  StateWarning,
};

export type Role = 'admin' | 'clerk' | 'reviewer' | 'readonly';

export interface User {
  id: number | string;
  username: string;
  name: string;
  role: Role;
  agencyId: number | string | null;
}

export type AgencyLevel = 'province' | 'city' | 'county' | 'township' | 'department';

export interface Agency {
  id: number | string;
  name: string;
  parentId: number | string | null;
  level: AgencyLevel;
}

export interface Me {
  user: User;
  agency: Agency | null;
  csrfToken: string;
}

export type SourceKind = 'text' | 'markdown' | 'html' | 'docx' | 'doc' | 'pdf' | 'xlsx' | 'json';

export interface CheckResult {
  report: Report;
  diagnostics: Diagnostic[];
  grids: Grid[];
  source: { kind: SourceKind; lines: string[]; tableRows?: Record<string, number> } | null;
  summary: { errors: number; warnings: number; infos: number };
}

export interface StoredReport extends CheckResult {
  id: number | string;
  agencyId: number | string;
  agencyName: string | null;
  fileName: string;
  uploadedAt: string;
  uploadedBy: string;
}

export interface ReportSummary {
  id: number | string;
  agencyId: number | string;
  agencyName: string | null;
  year: number | null;
  format: FormatVersion | string | null;
  fileName: string;
  /** the kind of input: SourceKind */
  kind: string;
  uploadedAt: string;
  uploadedBy: string;
  errors: number;
  warnings: number;
  infos: number;
}

export interface LibraryStats {
  years: number[];
  byOutcome: { key: string; label: string; total: number }[];
  byApplicantType: { key: string; label: string; total: number }[];
  trend: { year: number; newApplications: number; reviews: number; litigations: number; reports: number }[];
  problems: { rule: string; title: string; count: number }[];
}

/** why a case cannot be shown in full (its dates cannot be computed, or its data cannot be read) */
export interface CaseProblem {
  zh: string;
  en: string;
}

export interface CaseSummary {
  id: string;
  /** the agency whose register holds the case (ids repeat across agencies) */
  agencyId: number | string | null;
  applicantName: string;
  /** '' when the case cannot be read (then `problem` says why) */
  applicantType: ApplicantType | '';
  receivedOn: string;
  description: string;
  status: CaseStatus;
  problem: CaseProblem | null;
}

export interface StoredEvent {
  seq: number;
  event: CaseEvent;
  user: string;
  at: string;
}

export interface AuditEntry {
  id: number;
  who: string;
  at: string;
  action: string;
  agencyId: string;
  caseId: string;
  before: Case | null;
  after: Case | null;
}

/** GET /api/cases/{id}: `case` null when its stored data cannot be read, `due` null when its dates cannot be computed */
export interface CaseDetail {
  case: Case | null;
  status: CaseStatus;
  due: DueDates | null;
  problem: CaseProblem | null;
  events: StoredEvent[];
  audit: AuditEntry[];
}

/** a case whose data can be read */
export type ReadableCaseDetail = CaseDetail & { case: Case };

/** the answer to a stored step (new case, event, void, amendment): a success even when `problem` is set */
export interface CaseResult {
  case: Case;
  status: CaseStatus;
  due: DueDates | null;
  problem: CaseProblem | null;
}

export interface Deadline {
  receivedOn: string;
  correctionNoticeDue: string;
  replyDue: string;
  extendedReplyDue: string;
  provisional: { correctionNoticeDue: boolean; replyDue: boolean; extendedReplyDue: boolean };
  provisionalYears: number[];
  explanation: string[];
}

// ---------------------------------------------------------------------------
// 放假安排
// ---------------------------------------------------------------------------

export type HolidayYearKind = 'entered' | 'shipped' | 'provisional';

export interface HolidayYear {
  year: number;
  kind: HolidayYearKind;
  notices: { title: string; date?: string; url?: string; note?: string }[];
  enteredBy?: string;
  enteredAt?: string;
  /** provisional: the statute applied */
  statute?: string;
  /** local extra days off in force in the year */
  localDays: number;
}

export interface HolidayDay {
  date: string;
  name: string;
  /** Chinese, e.g. 星期五 */
  weekday: string;
}

export interface HolidayPreview {
  year: number;
  title: string;
  local: boolean;
  daysOff: HolidayDay[];
  makeUpWorkdays: HolidayDay[];
  warnings: CaseProblem[];
  current: HolidayYear;
}

export interface HolidayText {
  text: string;
  year?: number;
  agencyId?: Agency['id'];
}

export interface HolidayImportResult {
  notice: HolidayNotice;
  recalculated: { agencyId: string; caseId: string; changes: string[] }[];
  problems: { agencyId: string; caseId: string; zh: string; en: string }[];
}

/** the 年报编制 draft: what the register does not hold */
export interface Draft {
  agency?: string | null;
  publishedOn?: string | null;
  proactive?: Record<string, Record<string, Count | Money>>;
  sections?: { overview?: string | null; problems?: string | null; other?: string | null };
}

export interface CompileResult {
  report: Report;
  draft?: Draft | null;
  diagnostics: Diagnostic[];
  grids: Grid[];
  /** register cases left out of 表二/表三 because they cannot be read */
  registerProblems?: { caseId: string; zh: string; en: string }[];
}

/** Omit over each member of a union */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** an event as the client sends it: `by` is the logged-in user unless given (the model's NewCaseEvent) */
export type NewEvent = NewCaseEvent;

/** the error body of every failed request */
export interface ApiErrorBody {
  error: { code: string; message: string; messageEn?: string; details?: Record<string, unknown> };
}

// ---------------------------------------------------------------------------
// 文书 (notices of the register)
// ---------------------------------------------------------------------------

/** a notice as it prints (the model's type, src/model/notice.ts) */
export type NoticeDocument = import('../../src/model/notice').NoticeDocument;

/** a problem of a draft, a template or the settings: Chinese and English */
export interface NoticeProblem {
  zh: string;
  en: string;
}

/** an issued notice (stored unchanged, with its 发文字号) */
export interface IssuedNotice {
  id: number;
  caseId: string;
  key: string;
  label: string;
  seq: number;
  number: string;
  title: string;
  issuedOn: string;
  issuedBy: string;
  issuedAt: string;
  hash: string;
  supersedes: number | null;
  supersededBy: number | null;
  document: NoticeDocument;
  free: Record<string, string>;
}

/** a notice the case calls for: the receipt (seq 0), then one per step */
export interface AvailableNotice {
  key: string;
  seq: number;
  label: string;
  /** the day of the step */
  on: string;
  /** other notices the clerk may choose instead for this step */
  alternatives: { key: string; label: string }[];
  /** the current issued notice of the step (not superseded), or null */
  issued: IssuedNotice | null;
}

/** GET /api/cases/{id}/notices */
export interface CaseNotices {
  available: AvailableNotice[];
  notices: IssuedNotice[];
}

/** an editable free part of a notice: `name` is Chinese (补正内容, 理由…) */
export interface NoticeField {
  name: string;
  hint: string;
  required: boolean;
  multiline: boolean;
  value: string;
}

/** POST /api/cases/{id}/notices/draft */
export interface NoticeDraft {
  key: string;
  seq: number;
  label: string;
  document: NoticeDocument;
  fields: NoticeField[];
  /** what stops it from being issued (empty: it can be) */
  problems: NoticeProblem[];
}

/** what the client sends to draft or issue a notice */
export interface NoticeRequest {
  seq: number;
  key?: string;
  free?: Record<string, string>;
  issuedOn?: string;
  supersedes?: number;
}

export interface NoticeSettings {
  agencyName: string;
  numberPattern: string;
  reviewBody: string;
  court: string;
  contact: string;
  payMethod: string;
  seal: string;
}

/** GET /api/notice-settings: the settings and the Chinese label of each */
export interface NoticeSettingsAnswer {
  settings: NoticeSettings;
  labels: Partial<Record<keyof NoticeSettings, string>> & Record<string, string>;
}

export interface NoticeTemplateEntry {
  key: string;
  label: string;
  title: string;
  paragraphs: string[];
  /** the agency's own (true) or the default */
  custom: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
  /** placeholders the template must keep */
  required: string[];
  /** the articles of the law it must cite (any one) */
  cite: string[];
}

/** GET /api/notice-templates */
export interface NoticeTemplates {
  templates: NoticeTemplateEntry[];
  /** every placeholder, e.g. {{申请人}}, with what it stands for */
  placeholders: { name: string; description: string }[];
}

// ---------------------------------------------------------------------------
// 台账 (the register's ledger: export and import)
// ---------------------------------------------------------------------------

export type LedgerRowStatus = 'new' | 'exists' | 'error' | 'conflict';

/** POST /api/cases/import */
export interface LedgerImportResult {
  fileName: string;
  sha256: string;
  /** the worksheet read */
  sheet: string;
  /** the 事件 sheet or file the events came from, or null */
  eventsSheet?: string | null;
  /** the header row(s), 1-based (two when a merged upper row groups lower ones) */
  headerRows: number[] | number;
  /** `index` 0-based; `header` two header rows combined as “补正情况·告知日期” */
  columns: { index: number; header: string; samples: string[] }[];
  fields: { key: string; label: string; required: boolean }[];
  mapping: Record<string, number | null>;
  rows: {
    /** the row number in the sheet */
    row: number;
    /** given, or derived from the content; empty when none could be made */
    caseId: string | null;
    status: LedgerRowStatus;
    /** `column`: the header of the column concerned */
    problems: (NoticeProblem & { column?: number | string })[];
    warnings: (NoticeProblem & { column?: number | string })[];
  }[];
  /** `errors` counts the rows in error or in conflict */
  summary: { rows: number; new: number; exists: number; errors: number; conflicts?: number; skipped: number };
  /** problems of the file as a whole */
  fileWarnings?: (NoticeProblem & { column?: number | string })[];
  /** the number imported; null on a dry run */
  imported: number | null;
}

/**
 * A paragraph or table cell of a PDF among the source lines (src/server/pipeline.ts SourcePosition):
 * the page and position of its provenance, the 1-based line and column where its text begins, and
 * the length of its text (a line break counting one)
 */
export interface SourcePosition {
  page: number;
  x: number;
  y: number;
  line: number;
  column: number;
  length: number;
}

/** the source beside the tables, with the positions of a PDF's text among its lines */
export type SourceView = NonNullable<CheckResult['source']> & { positions?: SourcePosition[] };

// ---------------------------------------------------------------------------
// Administration (users, agencies) and the report library's additions
// ---------------------------------------------------------------------------

/** a user as an administrator sees them (GET /api/users) */
export interface UserAccount extends User {
  /** 已停用: cannot log in */
  disabled: boolean;
  createdAt: string;
}

export interface UserChanges {
  name?: string;
  role?: Role;
  agencyId?: User['agencyId'];
  disabled?: boolean;
}

/** what a report of the library's list adds to ReportSummary (declaration merging) */
export interface ReportSummary {
  /** the 发布机关 named in the report; `agencyName` is the agency it was filed for */
  publisher?: string | null;
}

/** one agency's figures of a year */
export interface TrendPoint {
  newApplications: number;
  reviews: number;
  litigations: number;
}

/** what the library statistics add to LibraryStats (declaration merging) */
export interface LibraryStats {
  /** every year from the first to the last, years without any report included */
  range?: number[];
  /** the trend per agency: `points[i]` is the year `range[i]`, null when the agency has no report that year */
  series?: { agencyId: Agency['id']; agencyName: string; points: (TrendPoint | null)[] }[];
  /** earlier versions of an agency's report of a year, left out of the figures */
  superseded?: number;
}

/** `error.details.report` of a 409 `duplicate` from POST /api/reports: the stored report with the same file */
export interface DuplicateReport {
  id: number | string;
  agencyId: Agency['id'];
  agencyName: string | null;
  year: number | null;
  fileName: string;
  uploadedAt: string;
  uploadedBy: string;
  uploadedByName: string | null;
}
