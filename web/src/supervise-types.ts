/**
 * Types of the supervision API (issue 15, src/server/routes/supervise.ts): the directory of bodies,
 * bulk intake, the reporting year's status, roll-ups and series, scores and ranking, 雷同 across
 * bodies. The data are the server's own types (src/supervise/types.ts, src/supervise/status.ts:
 * pure data, type-only imports); the envelopes of the answers, and the store's intake types, are
 * restated here as the routes build them. The Chinese names of tiers, kinds and states are the
 * server's maps (pure constants, bundled as they are).
 */
import type { StatusCounts } from '../../src/supervise/status';
import type {
  Body,
  BodyAlias,
  BodyKind,
  BodyScore,
  BodyYearStatus,
  CopiedPair,
  Deadlines,
  Deduction,
  Evidence,
  FilingState,
  MatchCandidate,
  RowProblem,
  Tier,
} from '../../src/supervise/types';

export { BODY_KIND_ZH, FILING_STATE_ZH, TIER_ZH, TIERS } from '../../src/supervise/types';
export type {
  Body,
  BodyAlias,
  BodyKind,
  BodyScore,
  BodyYearStatus,
  CopiedPair,
  Deadlines,
  Deduction,
  Evidence,
  FilingState,
  MatchCandidate,
  RowProblem,
  StatusCounts,
  Tier,
};

// ---------------------------------------------------------------------------
// The directory
// ---------------------------------------------------------------------------

/** GET /api/bodies */
export interface BodiesAnswer {
  bodies: Body[];
}

/** POST /api/bodies/import (dry run or not) */
export interface DirectoryImportAnswer {
  /** body rows read from the file */
  rows: number;
  creates: number;
  updates: number;
  problems: RowProblem[];
  /** stored (not a dry run, and no error) */
  stored: boolean;
}

// ---------------------------------------------------------------------------
// Intake (src/store/supervise.ts)
// ---------------------------------------------------------------------------

export type { BatchRow, IntakeCounts, IntakeOutcome, PendingFile } from '../../src/store/supervise';

/** POST /api/intake (202) */
export interface IntakeStarted {
  batchId: number;
  files: number;
  /** names of the files left out (not a kind of report that can be read) */
  skipped: string[];
}

// ---------------------------------------------------------------------------
// The year
// ---------------------------------------------------------------------------

export interface StatusRow {
  body: Body;
  /** names of the ancestors, the scope's root first */
  path: string[];
  status: BodyYearStatus;
}

/** GET /api/supervision/status */
export interface StatusAnswer {
  year: number;
  today: string;
  scopeName: string;
  deadlines: Deadlines;
  counts: StatusCounts;
  rows: StatusRow[];
}

/** a numeric cell of the tables, as the roll-up lists them */
export interface CellInfo {
  /** the cell's key: sent back to the server, never shown */
  key: string;
  /** the table's Chinese name (主动公开, 依申请公开, 行政复议、行政诉讼) */
  table: string;
  row: string;
  column: string;
  /** 万元 */
  money: boolean;
}

export interface RegionTotals {
  bodyId: number;
  own: Record<string, number | null> | null;
  region: Record<string, number>;
  blanks: Record<string, number>;
  reports: number;
  bodies: number;
}

/** GET /api/supervision/rollup */
export interface RollupAnswer {
  year: number;
  body: { id: number; name: string; kind: BodyKind };
  cells: CellInfo[];
  totals: RegionTotals | undefined;
  children: { bodyId: number; name: string; reports: number; bodies: number }[];
  drill: {
    cell: string;
    label: string;
    rows: { bodyId: number; name: string; own: number | null; region: number; reports: number }[];
  } | null;
  ownVersusBelow: { key: string; own: number | null; below: number; difference: number | null }[];
}

/** GET /api/supervision/series */
export interface SeriesAnswer {
  body: number;
  years: number[];
  series: { key: string; label: string; values: (number | null)[] }[];
  reports: number[];
}

export type { RankedScore } from '../../src/supervise/rubric';

import type { RankedScore } from '../../src/supervise/rubric';

/** GET /api/supervision/scores */
export interface ScoresAnswer {
  year: number;
  rubric: { name: string; total: number; mode: 'strict' | 'lenient'; items: { id: string; name: string; points: number }[] };
  names: Record<string, string>;
  ranking: RankedScore[];
  scores: BodyScore[];
}

/** GET /api/supervision/copies */
export interface CopiesAnswer {
  year: number;
  threshold: number;
  names: Record<string, string>;
  pairs: CopiedPair[];
}

// ---------------------------------------------------------------------------
// Settings: deadlines and the rubric (src/supervise/rubric.ts, restated)
// ---------------------------------------------------------------------------

/** a deduction's condition: an indicator and its parameters */
export interface RubricCondition {
  indicator: string;
  /** late: days past the deadline before it applies (negative: days before it) */
  days?: number;
  /** late: for every day beyond */
  perDay?: boolean;
  /** previous-similarity, copied: the similarity threshold (0–1) */
  above?: number;
  /** diagnostic: the checker's rule ids */
  rules?: string[];
  /** diagnostic: the severities */
  severity?: 'error' | 'warning' | 'info' | ('error' | 'warning' | 'info')[];
}

export interface RubricDeductionRule {
  when: RubricCondition;
  points: number;
  /** per finding (true) or once */
  each: boolean;
  max?: number;
  note?: string;
}

export interface RubricItem {
  /** the item's id in the file: never shown */
  id: string;
  name: string;
  points: number;
  veto: boolean;
  cap?: number;
  bonus: boolean;
  note?: string;
  deductions: RubricDeductionRule[];
}

export interface Rubric {
  name: string;
  version?: string;
  description?: string;
  total: number;
  mode: 'strict' | 'lenient';
  grades?: { min: number; name: string }[];
  failedGrade?: string;
  deadlines?: { government?: string; department?: string };
  unpublishedScoresZero: boolean;
  items: RubricItem[];
}

/** GET /api/supervision/settings */
export interface SettingsAnswer {
  /** the jurisdiction's deadlines ("MM-DD" of the year after), the statutory ones when none is set */
  deadlines: Deadlines;
  statutory: Deadlines;
  /** a rubric of the jurisdiction's own (or of a body above it), else the example */
  customRubric: boolean;
  rubric: Rubric;
  /** every indicator by id, with its Chinese name */
  indicators: Record<string, { name: string; description: string }>;
}

/** PUT /api/supervision/settings */
export interface SettingsChange {
  deadlines?: Deadlines | null;
  rubric?: string | null;
  rubricFileName?: string;
}

/** a problem of a rubric file (422 bad-rubric: `error.details.problems`) */
export interface RubricProblem {
  /** where in the file, e.g. "items[2].deductions[0].points" ('' for the whole file): shown in words only */
  path: string;
  zh: string;
  en: string;
}

// ---------------------------------------------------------------------------
// Versions of a report (src/supervise/diff.ts, restated)
// ---------------------------------------------------------------------------

export type { CellChange, ReportDiff, SectionChange } from '../../src/supervise/diff';

import type { ReportDiff } from '../../src/supervise/diff';

export interface ReportVersion {
  version: number;
  reportId: number;
  fileName: string;
  uploadedAt: string;
  publishedOn: string | null;
  /** what changed from the version before (null: the first, or a report not at hand) */
  diff: ReportDiff | null;
}

/** GET /api/supervision/versions */
export interface VersionsAnswer {
  versions: ReportVersion[];
}
