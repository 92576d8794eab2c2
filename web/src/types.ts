/**
 * Types of the HTTP API (docs/api.md). The domain types are imported from the backend
 * (type-only imports, erased at build time) so that the UI follows the model.
 */
import type { Diagnostic } from '../../src/check/types';
import type { Count, FormatVersion, Money, Report } from '../../src/model/report';
import type { Provenance } from '../../src/read/document';
import type {
  ApplicantType,
  Case,
  CaseEvent,
  CaseStatus,
  Channel,
  DueDates,
  EventType,
  NewCase,
  Outcome,
  ProceedingKind,
  ProceedingResult,
} from '../../src/register/case';
import type { FeeInput } from '../../src/register/fees';
import type { Grid, GridCell } from '../../src/render/layout';

export type {
  ApplicantType,
  Case,
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
  Money,
  NewCase,
  Outcome,
  ProceedingKind,
  ProceedingResult,
  Provenance,
  Report,
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

export type Severity = Diagnostic['severity'];

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
  agencyId?: number | string | null;
}

export interface ReportSummary {
  id: number | string;
  agencyId: number | string | null;
  agencyName: string | null;
  year: number | null;
  format: FormatVersion | string | null;
  fileName: string | null;
  uploadedAt: string;
  uploadedBy: string | null;
  errors: number;
  warnings: number;
}

export interface LibraryStats {
  years: number[];
  byOutcome: { key: string; label: string; total: number }[];
  byApplicantType: { key: string; label: string; total: number }[];
  trend: { year: number; newApplications: number; reviews: number; litigations: number; reports: number }[];
  problems: { rule: string; title: string; count: number }[];
}

export interface CaseSummary {
  id: string;
  /** the agency whose register holds the case (ids repeat across agencies) */
  agencyId: number | string | null;
  applicantName: string;
  applicantType: ApplicantType;
  receivedOn: string;
  description: string;
  status: CaseStatus;
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
  caseId: string;
  before: Case | null;
  after: Case | null;
}

export interface CaseDetail {
  case: Case;
  status: CaseStatus;
  due: DueDates;
  events: StoredEvent[];
  audit: AuditEntry[];
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
}

/** Omit over each member of a union */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** an event as the client sends it: `by` is the logged-in user unless given */
export type NewEvent = DistributiveOmit<CaseEvent, 'by'> & { by?: string };

/** the error body of every failed request */
export interface ApiErrorBody {
  error: { code: string; message: string; messageEn?: string; details?: Record<string, unknown> };
}
