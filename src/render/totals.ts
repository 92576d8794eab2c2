/**
 * Getting a report ready to be written: totals are computed, not typed.
 *
 * `prepare(report, opts)` returns a new report (the input is never mutated):
 *
 *  1. **Normalise** to the full official structure of the report's format:
 *     every row and column of the three tables is present (a missing row or
 *     cell becomes a blank, `null`); the reader's notes on the source (labels,
 *     template) are dropped, `provenance` and `input` kept (diagnostics point
 *     into the source with them). A 2021 report that
 *     used the 2019 single row `（六）其他处理` and none of the three 2021 rows
 *     gets it written as `3.其他` (noted in `notes`), so that its totals still hold.
 *  2. **Fill** every blank (`null`) total from its parts, in this order:
 *     1. 表二 leaf rows of 三: `applications.<leaf>.total` = Σ six applicant columns;
 *     2. 表二 三（七）总计, column by column (six applicant columns, then 总计):
 *        `applications.outcomeTotal.<col>` = Σ leaf rows. The corner cell
 *        `outcomeTotal.total` is thus the column sum of the leaf totals (made
 *        in step 1), which equals the row sum of the outcome row whenever every
 *        leaf row adds up — the check of step 3 makes sure it does;
 *     3. 表二 一 and 二: `newReceived.total`, `carriedOver.total` = Σ six columns;
 *     4. 表二 四 结转下年度继续办理 is data, not a total: a blank applicant cell
 *        is filled only when the balance 一 + 二 − 三（七） of its column
 *        determines a positive number (a balance of 0 is consistent with the
 *        blank, which stays blank); then `carriedForward.total` = Σ six columns;
 *     5. 表三: `reviewLitigation.<group>.total` = 维持 + 纠正 + 其他 + 尚未审结.
 *
 *     A blank part counts as 0, except a cell listed in `ambiguities` (the
 *     reader could not tell its value): a total is not filled while one of its
 *     parts is ambiguous. An ambiguous cell is itself solved when it is the only
 *     unknown of one of the four equations and the value is among its
 *     candidates. The steps repeat until nothing changes.
 *  3. **Check** the filled report with the four arithmetic rules
 *     (applications-balance, applications-outcome-total,
 *     applications-row-total, review-litigation-total) and list the cells that
 *     are still ambiguous. Unless `force`, any of them refuses the rendering
 *     with a `RenderRefusedError` carrying the diagnostics.
 *  4. **Blanks**: with `blankAs: 'zero'` (the default) every remaining blank
 *     cell is written as 0 (`"0"` for the fee and procurement amounts); with
 *     `'blank'` blanks stay blank.
 */
import { equations } from '../check/equations.js';
import { check } from '../check/index.js';
import type { Diagnostic } from '../check/types.js';
import { NianbaoError } from '../model/errors.js';
import { APPLICANT_COLUMNS, applicationRows, proactiveRows, REVIEW_COLUMNS, REVIEW_GROUPS } from '../model/format.js';
import { readCompactProvenance } from '../model/provenance.js';
import type { Ambiguity, ApplicationRow, Count, Report, ReportOfFormat } from '../model/report.js';
import { ReportSchema, schemaProblem } from '../model/schema.js';

export interface PrepareOptions {
  /** how a blank (null) cell is written: 'zero' (default) writes 0, 'blank' leaves it empty */
  blankAs?: 'zero' | 'blank';
  /** render even when given totals contradict their parts */
  force?: boolean;
}

export interface Prepared {
  /** the report to write: normalised, totals filled, blanks per `blankAs` */
  report: Report;
  /** JSON paths of the blank totals (and 结转 cells) that were computed, in the order they were filled */
  filled: string[];
  /** JSON paths of the blank cells written as 0 (`blankAs: 'zero'`) */
  zeroed: string[];
  /** other changes made to write the official layout (Chinese) */
  notes: string[];
  /** what is wrong with the filled report (empty unless `force` let it through) */
  diagnostics: Diagnostic[];
}

/** the four arithmetic rules of the contract (§2) */
export const ARITHMETIC_RULES = ['applications-balance', 'applications-outcome-total', 'applications-row-total', 'review-litigation-total'];

/** The report's given totals contradict their parts (or cells are ambiguous): it is not rendered. */
export class RenderRefusedError extends NianbaoError {
  readonly diagnostics: Diagnostic[];
  /** the report with its blank totals filled, as checked */
  readonly report: Report;
  constructor(diagnostics: Diagnostic[], report: Report) {
    super(
      'render-refused',
      `报告的合计与分项不符，未生成（${diagnostics.length} 处问题）；请更正后重试，或强制生成。`,
      `The report was not rendered: its totals contradict their parts (${diagnostics.length} problem(s)); correct it, or force.`,
    );
    this.message = `报告的合计与分项不符，未生成（${diagnostics.length} 处问题）。 The report was not rendered: ${diagnostics.length} problem(s) with its totals.`;
    this.name = 'RenderRefusedError';
    this.diagnostics = diagnostics;
    this.report = report;
  }
}

/** The input is not a Report: `path` names the field, `zh`/`en` say what is wrong. */
export class InvalidReportError extends NianbaoError {
  readonly path: string;
  constructor(path: string, zh: string, en: string) {
    super('invalid-report', zh, en, { path });
    this.message = `${path}: ${en}`;
    this.name = 'InvalidReportError';
    this.path = path;
  }
}

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------

const PARTS = APPLICANT_COLUMNS.filter((c) => c.key !== 'total').map((c) => c.key);
const REVIEW_PARTS = REVIEW_COLUMNS.filter((c) => c.key !== 'total').map((c) => c.key);

/** the three （六） rows of the 2021 format, which a mixed 2021 report replaces by the 2019 row otherHandling */
const SIX_2021 = ['otherNoCorrection', 'otherFeeUnpaid', 'otherOther'];

const blankRow = (): ApplicationRow => Object.fromEntries(APPLICANT_COLUMNS.map((c) => [c.key, null])) as ApplicationRow;

/**
 * A Report from any JSON value (e.g. the output of `nianbao parse --json`, or a hand-written one):
 * validated by `ReportSchema` (docs/report-json.md: a blank cell, row or section may be left out, a
 * fee amount may be a number) and completed to the official structure of its format. Throws
 * `InvalidReportError` naming the first field that is wrong. The input is never mutated.
 */
export function normalizeReport(input: unknown): { report: Report; notes: string[] } {
  const parsed = ReportSchema.safeParse(withProvenance(input));
  if (!parsed.success) {
    const p = schemaProblem(parsed.error, input);
    throw new InvalidReportError(p.path, p.zh, p.en);
  }
  return complete(parsed.data);
}

/**
 * a report written with `nianbao parse --provenance compact`: its `provenanceCompact` read back into
 * `provenance` (when it has no `provenance` of its own), so that diagnostics and the source view
 * point at the cells as they do for a report parsed in full
 */
function withProvenance(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const { provenanceCompact, ...rest } = input as Record<string, unknown>;
  if (provenanceCompact === undefined || 'provenance' in rest) return input;
  const read = readCompactProvenance(provenanceCompact);
  if ('problem' in read) throw new InvalidReportError(read.problem.path, read.problem.zh, read.problem.en);
  return { ...rest, provenance: read.provenance };
}

/**
 * What is left once the schema has filled the blanks: a mixed 2021 report's 2019 single row
 * （六）其他处理 written as 3.其他 (the two other （六） rows blank); the reader's notes on the source
 * (labels, template) dropped, `provenance` and `input` kept; ambiguities kept only while they concern
 * a blank cell of the official structure.
 */
function complete(valid: ReportOfFormat): { report: Report; notes: string[] } {
  const notes: string[] = [];
  const apps = valid.applications as Record<string, ApplicationRow | undefined>;
  const mixed = valid.format === '2021' && apps.otherHandling !== undefined && SIX_2021.every((k) => apps[k] === undefined);
  const applications: Record<string, ApplicationRow> = {};
  for (const def of applicationRows(valid.format)) {
    const source = mixed && def.key === 'otherOther' ? 'otherHandling' : def.key;
    applications[def.key] = apps[source] ?? blankRow();
  }
  if (mixed) {
    notes.push('表二使用了 2019 年版的单行“（六）其他处理”，已按 2021 年版写入“3.其他”一行，“1.”“2.”两行留空。');
  }

  const report: Report = {
    format: valid.format,
    agency: valid.agency,
    year: valid.year,
    publishedOn: valid.publishedOn,
    sections: valid.sections,
    proactive: valid.proactive,
    applications,
    reviewLitigation: valid.reviewLitigation,
  };
  // where the values came from (read only): lets diagnostics point into the source
  if (valid.provenance) report.provenance = valid.provenance;
  if (valid.input) report.input = valid.input;

  if (valid.ambiguities) {
    const kept: Ambiguity[] = [];
    for (const a of valid.ambiguities) {
      const path = mixed ? a.path.replace('applications.otherHandling.', 'applications.otherOther.') : a.path;
      if (getCell(report, path) !== null) continue;
      kept.push({ path, candidates: a.candidates, ...(a.more === true ? { more: true } : {}) });
    }
    if (kept.length > 0) report.ambiguities = kept;
  }
  return { report, notes };
}

// ---------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------

type CellValue = Count | string;

/** the value of a table cell path (undefined when the path is not a cell of the report) */
function getCell(report: Report, path: string): CellValue | undefined {
  const [table, row, col] = path.split('.');
  const t = (report as unknown as Record<string, Record<string, Record<string, CellValue> | undefined> | undefined>)[table];
  const r = t?.[row];
  if (!r || !(col in r)) return undefined;
  return r[col];
}

function setCell(report: Report, path: string, value: CellValue): void {
  const [table, row, col] = path.split('.');
  (report as unknown as Record<string, Record<string, Record<string, CellValue>>>)[table][row][col] = value;
}

/** every table cell path of a (normalised) report, in reading order */
export function cellPaths(report: Report): string[] {
  const out: string[] = [];
  for (const def of proactiveRows(report.format)) for (const f of def.fields) out.push(`proactive.${def.key}.${f.key}`);
  for (const def of applicationRows(report.format)) for (const c of APPLICANT_COLUMNS) out.push(`applications.${def.key}.${c.key}`);
  for (const g of REVIEW_GROUPS) for (const c of REVIEW_COLUMNS) out.push(`reviewLitigation.${g.key}.${c.key}`);
  return out;
}

// ---------------------------------------------------------------------------
// Filling
// ---------------------------------------------------------------------------

class Filler {
  readonly filled: string[] = [];
  /** ambiguous cells not solved yet */
  private readonly open: Map<string, Ambiguity>;

  constructor(readonly report: Report) {
    this.open = new Map((report.ambiguities ?? []).map((a) => [a.path, a]));
  }

  private value(path: string): number | null {
    const v = getCell(this.report, path);
    return typeof v === 'number' ? v : null;
  }

  /** a part whose value is known: not an unsolved ambiguous cell (a blank counts as 0) */
  private known(path: string): boolean {
    return !this.open.has(path);
  }

  private sum(paths: string[]): number | null {
    let s = 0;
    for (const p of paths) {
      if (!this.known(p)) return null;
      s += this.value(p) ?? 0;
    }
    return s;
  }

  /** write `value` into a blank cell; an ambiguous cell only takes a value among its candidates */
  private put(path: string, value: number): boolean {
    if (getCell(this.report, path) !== null || !Number.isInteger(value) || value < 0) return false;
    const a = this.open.get(path);
    if (a) {
      if (a.candidates.length > 0 && !a.more && !a.candidates.some((c) => Number(c) === value)) return false;
      this.open.delete(path);
    }
    setCell(this.report, path, value);
    this.filled.push(path);
    return true;
  }

  /** target = Σ parts, when target is blank and every part is known */
  private total(target: string, parts: string[]): boolean {
    if (getCell(this.report, target) !== null) return false;
    const s = this.sum(parts);
    return s !== null && this.put(target, s);
  }

  private rowTotal(row: string): boolean {
    return this.total(
      `applications.${row}.total`,
      PARTS.map((c) => `applications.${row}.${c}`),
    );
  }

  /** one round of the five steps; true if anything was filled */
  private round(): boolean {
    const r = this.report;
    const defs = applicationRows(r.format);
    const leaves = defs.filter((d) => d.leaf).map((d) => d.key);
    let changed = false;
    // 1. leaf row totals
    for (const row of leaves) changed = this.rowTotal(row) || changed;
    // 2. 三（七）总计, per column, the 总计 column last
    for (const c of APPLICANT_COLUMNS) {
      changed =
        this.total(
          `applications.outcomeTotal.${c.key}`,
          leaves.map((row) => `applications.${row}.${c.key}`),
        ) || changed;
    }
    // 3. 一 and 二 row totals
    changed = this.rowTotal('newReceived') || changed;
    changed = this.rowTotal('carriedOver') || changed;
    // 4. 四: blank applicant cells from the balance when it gives a positive number, then the row total
    for (const c of PARTS) {
      const target = `applications.carriedForward.${c}`;
      if (getCell(r, target) !== null || this.value(`applications.outcomeTotal.${c}`) === null) continue;
      const inflow = this.sum([`applications.newReceived.${c}`, `applications.carriedOver.${c}`]);
      const outcome = this.sum([`applications.outcomeTotal.${c}`]);
      if (inflow === null || outcome === null) continue;
      const forward = inflow - outcome;
      if (forward > 0 || (forward === 0 && this.open.has(target))) changed = this.put(target, forward) || changed;
    }
    changed = this.rowTotal('carriedForward') || changed;
    // 5. 表三 group totals
    for (const g of REVIEW_GROUPS) {
      changed =
        this.total(
          `reviewLitigation.${g.key}.total`,
          REVIEW_PARTS.map((c) => `reviewLitigation.${g.key}.${c}`),
        ) || changed;
    }
    // ambiguous cells that are the only unknown of an equation
    if (this.open.size > 0) changed = this.solveAmbiguous() || changed;
    return changed;
  }

  private solveAmbiguous(): boolean {
    let changed = false;
    for (const e of equations(this.report)) {
      const cells = [...e.left, ...e.right];
      const unknown = cells.filter((p) => !this.known(p));
      if (unknown.length !== 1) continue;
      const target = unknown[0];
      const coef = e.left.filter((p) => p === target).length - e.right.filter((p) => p === target).length;
      if (coef === 0) continue;
      const l = this.sum(e.left.filter((p) => p !== target)) ?? 0;
      const rr = this.sum(e.right.filter((p) => p !== target)) ?? 0;
      // coef·x + l = rr (x on the left) or l = rr − coef·x … both: x = (rr − l) / coef
      changed = this.put(target, (rr - l) / coef) || changed;
    }
    return changed;
  }

  run(): void {
    for (let i = 0; i < 50 && this.round(); i++);
    const rest = [...this.open.values()];
    if (rest.length > 0) this.report.ambiguities = rest;
    else delete this.report.ambiguities;
  }
}

/** what is wrong with a filled report: broken arithmetic and cells still ambiguous (as errors: they cannot be written) */
export function renderDiagnostics(report: Report): Diagnostic[] {
  const diags = check({ report, only: [...ARITHMETIC_RULES, 'ambiguous-cell'] });
  return diags.map((d) => (d.rule === 'ambiguous-cell' ? { ...d, severity: 'error' as const } : d));
}

/** Fill blank totals, refuse contradictions (unless `force`), write blanks per `blankAs`. See the module comment. */
export function prepare(input: Report, opts: PrepareOptions = {}): Prepared {
  const { report, notes } = normalizeReport(input);
  const filler = new Filler(report);
  filler.run();
  const diagnostics = renderDiagnostics(report);
  if (diagnostics.length > 0 && !opts.force) throw new RenderRefusedError(diagnostics, report);

  const zeroed: string[] = [];
  if ((opts.blankAs ?? 'zero') === 'zero') {
    const money = new Set(
      proactiveRows(report.format).flatMap((d) =>
        d.fields.filter((f) => f.type === 'money' || f.type === 'raw').map((f) => `proactive.${d.key}.${f.key}`),
      ),
    );
    for (const path of cellPaths(report)) {
      if (getCell(report, path) !== null) continue;
      setCell(report, path, money.has(path) ? '0' : 0);
      zeroed.push(path);
    }
    delete report.ambiguities;
  }
  return { report, filled: filler.filled, zeroed, notes, diagnostics };
}
