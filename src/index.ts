/**
 * nianbao as a library: the public API of `import … from 'nianbao'` (docs/library.md).
 *
 * This file is a contract: names are added, never renamed or removed, and the shapes of the
 * Report JSON and of a Diagnostic only grow (docs/library.md §Stability). Everything else under
 * dist/ is internal and may change in any release.
 *
 * Importing this module is light: it does not load the server, the database drivers, pdfjs or
 * the DOCX/XLSX/PDF writers; the readers and writers of those formats are loaded on first use,
 * and `openDatabase` loads the database module only when called. The web server is the
 * `nianbao/server` entry (startServer, createApp).
 */
import { type CheckOptions, check as checkReport, type Diagnostic } from './check/index.js';
import { reportFromJson as reportFromJsonValue } from './load.js';
import type { Report } from './model/report.js';
import { parseBytes, parseFile } from './parse.js';
import type { CountingPolicy } from './register/calendar.js';
import { type DeadlinesWithExplanation, deadlinesFor } from './register/deadlines.js';
import { RENDER_FORMATS, type RenderFormat, type RenderOptions, render as renderReport } from './render/index.js';
import type { AppDb } from './store/app.js';

export type { CheckOptions, Diagnostic, Severity } from './check/types.js';
export { TextLimitError } from './model/limits.js';
export type { Provenance } from './model/provenance.js';
export type {
  Ambiguity,
  ApplicantColumn,
  ApplicationRow,
  Count,
  FormatVersion,
  Money,
  Origin,
  Proactive2019,
  Proactive2021,
  Report,
  ReviewGroup,
  ReviewLitigation,
} from './model/report.js';
export { ReadError, type ReadErrorCode } from './read/errors.js';
export { CalendarError, type CountingPolicy, type WorkingDaysResult } from './register/calendar.js';
export type { DeadlineExplanation, Deadlines, DeadlinesWithExplanation } from './register/deadlines.js';
export { InvalidReportError, RendererUnavailableError, type RenderFormat, type RenderOptions, RenderRefusedError } from './render/index.js';
export { FontError } from './render/pdf.js';

/** Options of {@link parse}. */
export interface ParseOptions {
  /**
   * The file name of the bytes (when `input` is bytes): named in error messages, and its
   * extension tells Markdown (`.md`) from plain text. Default `input`.
   */
  name?: string;
}

/**
 * Reads a published annual report into a Report.
 *
 * `input` is a file path, or the file's bytes. The kind of document (PDF, DOCX, .doc, XLSX,
 * HTML, Markdown, plain text in any common Chinese encoding) is decided by its content.
 * Throws a {@link ReadError} when the input cannot be read as an annual report (empty, corrupt,
 * encrypted, scanned without a text layer, too large, not found…).
 */
export async function parse(input: string | Uint8Array, opts: ParseOptions = {}): Promise<Report> {
  if (typeof input === 'string') return parseFile(input);
  if (input instanceof Uint8Array) return parseBytes(input, opts.name ?? 'input');
  throw new TypeError('parse: input must be a file path (string) or the file’s bytes (Uint8Array)');
}

/**
 * A Report JSON value (as printed by `nianbao parse --json`, or the `{file, report, diagnostics}`
 * of `nianbao check --json`) → a Report, validated and normalized. Throws a {@link ReadError}
 * (code `not-a-report`) when the value is not a Report; `name` is the name used in its message.
 */
export function reportFromJson(value: unknown, name = 'report.json'): Report {
  return reportFromJsonValue(value, name);
}

/** Options of {@link check}. */
export interface CheckReportOptions {
  /** the same agency's report for the year before: enables the cross-year rules */
  previous?: Report | null;
  /** other reports checked together, with their file names: enables the 雷同 (similarity) rule */
  peers?: { file: string; report: Report }[];
  /** thresholds and publication deadlines (defaults in docs/rules.md) */
  options?: Partial<CheckOptions>;
  /** run only these rules (by id, see docs/rules.md) */
  only?: string[];
}

/**
 * Checks a report against every rule of the format and the law (docs/rules.md). Returns the
 * diagnostics in a stable order (by position in the input, then errors first); an empty array
 * when there is nothing to report. Never throws for a well-formed Report.
 */
export function check(report: Report, opts: CheckReportOptions = {}): Diagnostic[] {
  return checkReport({ report, previous: opts.previous ?? null, peers: opts.peers, options: opts.options, only: opts.only });
}

/** The formats {@link render} writes: 'docx', 'html', 'pdf', 'md', 'xlsx'. */
export const renderFormats: readonly RenderFormat[] = RENDER_FORMATS;

/**
 * Writes a report in the official layout and returns the file's bytes (HTML and Markdown are
 * UTF-8). Blank totals are filled from their parts first. Throws a {@link RenderRefusedError}
 * when given totals contradict their parts (unless `force`), a {@link TextLimitError} when the
 * narrative is over the limits, an {@link InvalidReportError} for a value that is not a Report,
 * and a {@link FontError} for PDF when the Noto CJK fonts are not installed.
 */
export function render(report: Report, format: RenderFormat, opts: RenderOptions = {}): Promise<Uint8Array> {
  return renderReport(report, format, opts);
}

/** Options of {@link deadlines}. */
export interface DeadlineOptions {
  /**
   * 'next-day' (default): day 1 is the first working day after the day of receipt (民法典第二百零一条);
   * 'same-day': the day of receipt is day 1 when it is a working day.
   */
  counting?: CountingPolicy;
}

/**
 * The statutory deadlines of a disclosure application received on `receivedOn` (YYYY-MM-DD):
 * 补正告知 (7 working days, 条例第三十条), 答复 (20, 第三十三条) and the longest extended reply
 * (40), in working days of the national calendar: the shipped holiday notices
 * (data/holidays.json), and for a year without a notice, provisional days (暂定) from
 * 《全国年节及纪念日放假办法》 — such dates are flagged in `provisional` and `provisionalYears`.
 * Each date comes with its explanation (the article, every day counted and skipped).
 * Holiday notices entered by an administrator in the server's database are not seen here.
 * Throws a {@link CalendarError} for an invalid date or one outside 2019–2100.
 */
export function deadlines(receivedOn: string, opts: DeadlineOptions = {}): DeadlinesWithExplanation {
  return deadlinesFor(receivedOn, { counting: opts.counting });
}

/**
 * The database of the server (`nianbao/server`): a SQLite file (created when missing) or a
 * `postgres://` URL; default the NIANBAO_DB environment variable, else `./nianbao.db`. The schema
 * is created or migrated on open. Close it with `await db.destroy()`. Its tables are internal.
 */
export type Database = AppDb;

/** Opens (and migrates) the server's database; see {@link Database}. Loads the database drivers on first call. */
export async function openDatabase(target?: string): Promise<Database> {
  const { openAppDb } = await import('./store/app.js');
  return openAppDb(target);
}

// ---------------------------------------------------------------------------
// Supervision (docs/supervision.md): the pure parts — identifiers of bodies, matching a report to
// its body, roll-ups, the filing status, rubrics and scores, 雷同 across bodies. The store-backed
// operations (bulk intake, the year's pages) are in the CLI and the server.
// ---------------------------------------------------------------------------

// Notices (文书) of the register: drafted from a case, validated templates, rendered (docs/notices.md)
export { chineseDate, type NoticeDocument } from './model/notice.js';

import type { NoticeDocument } from './model/notice.js';
import type { NoticeFormat } from './render/notice.js';

export {
  type AvailableNotice,
  availableNotices,
  DEFAULT_NOTICE_SETTINGS,
  draftNotice,
  formatNumber,
  NOTICE_SPECS,
  type NoticeDraft,
  NoticeError,
  type NoticeKey,
  type NoticeSettings,
  type NoticeTemplate,
  noticeText,
  PLACEHOLDERS,
  validateSettings,
  validateTemplate,
} from './register/notices.js';
export type { NoticeFormat } from './render/notice.js';

/**
 * A notice rendered as DOCX (the official typography of the report renderer) or PDF (needs the
 * Noto CJK fonts; throws {@link FontError} without them). The renderers are loaded on first use.
 */
export async function renderNotice(document: NoticeDocument, format: NoticeFormat): Promise<Uint8Array> {
  const { renderNotice: run } = await import('./render/notice.js');
  return run(document, format);
}
export { creditCheckChar, regionContains, validateCreditCode, validateRegionCode } from './supervise/codes.js';
export { findCopies } from './supervise/copies.js';
export { DirectoryIndex, normaliseName } from './supervise/directory.js';
export { cellDefs, cellLabel, flatCells, rollUp } from './supervise/rollup.js';
export { parseRubric, RubricError, rankScores, scoreBody, validateRubric } from './supervise/rubric.js';
export { deadlineOf, mustReport, statusOf } from './supervise/status.js';
export type {
  Body,
  BodyKind,
  BodyScore,
  BodyYearStatus,
  CopiedPair,
  Deduction,
  Evidence,
  MatchCandidate,
  ScoringFacts,
  Tier,
} from './supervise/types.js';
