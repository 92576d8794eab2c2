/**
 * The check pipeline of the API, on the project's own reader, extractor, checker and layout:
 * bytes → DocumentModel (`readDocument`) → Report (`extractReport`) → diagnostics (`check`) →
 * grids (`tableGrids`), plus the source lines shown beside the tables. A Report JSON (a file
 * starting with `{`) is taken as `loadReport` takes it.
 */
import { check } from '../check/index.js';
import type { Diagnostic } from '../check/types.js';
import { extractReport } from '../extract/index.js';
import { looksLikeJson, reportFromJsonBytes } from '../load.js';
import { APPLICANT_COLUMNS, applicationRows } from '../model/format.js';
import { checkTextLimits } from '../model/limits.js';
import type { Report } from '../model/report.js';
import type { DocumentModel, Provenance } from '../read/document.js';
import { readDocument } from '../read/index.js';
import { type Grid, tableGrids } from '../render/layout.js';
import type { ReportFigures } from '../store/app.js';

export type SourceKind = 'text' | 'markdown' | 'html' | 'docx' | 'doc' | 'pdf' | 'xlsx' | 'json';

export interface SourceView {
  kind: SourceKind;
  lines: string[];
  /**
   * DOCX/XLSX (whose cells carry a table, row and cell but no line): the 1-based line of
   * `lines` that shows each table row, keyed "table:row" as in the cells' provenance
   */
  tableRows?: Record<string, number>;
  /**
   * PDF (whose values carry a page position, not a line): where the text of each paragraph and
   * table cell stands among `lines`, keyed by the page and position of its provenance, so that the
   * source beside the tables can mark the cell itself
   */
  positions?: SourcePosition[];
}

/**
 * A paragraph or table cell of a PDF among the source lines: the page and position of its
 * provenance (as in the report's provenance), the 1-based line and column where its text begins,
 * and the length of its text (a paragraph may run over several lines: each line break counts one).
 */
export interface SourcePosition {
  page: number;
  x: number;
  y: number;
  line: number;
  column: number;
  length: number;
}

export interface CheckResult {
  report: Report;
  diagnostics: Diagnostic[];
  grids: Grid[];
  source: SourceView | null;
  summary: { errors: number; warnings: number; infos: number };
}

export interface ReadInput {
  report: Report;
  /** the reader's kind, or 'json' for a Report JSON */
  kind: SourceKind;
  source: SourceView | null;
}

function pageOf(p: Provenance | undefined): number | null {
  return p && p.kind === 'pdf' ? p.page : null;
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');

/** the lines of a document: text kinds as decoded; PDF with a 第N页 line before each page; tables one row per line */
export function sourceLines(doc: DocumentModel): string[] {
  return sourceView(doc).lines;
}

/** the source beside the tables: its lines, and where each table row of a DOCX/XLSX is among them */
export function sourceView(doc: DocumentModel): SourceView {
  // text, Markdown, HTML and a legacy .doc: the text the line/column provenance refers to
  if (doc.sourceText !== undefined) {
    const text = doc.kind === 'doc' ? doc.sourceText.replace(/\r\n?/g, '\n') : doc.sourceText;
    return { kind: doc.kind, lines: text.split('\n') };
  }
  const tableRows: Record<string, number> = {};
  const positions: SourcePosition[] = [];
  const lines: string[] = [];
  /** a PDF piece of text starting at `column` of the line about to be added */
  const position = (prov: Provenance, column: number, length: number) => {
    if (prov.kind === 'pdf') positions.push({ page: prov.page, x: prov.x, y: prov.y, line: lines.length + 1, column, length });
  };
  let page: number | null = null;
  let sheet: string | undefined;
  const pageLine = (p: number | null) => {
    if (doc.kind === 'pdf' && p !== null && p !== page) {
      page = p;
      lines.push(`第${p}页`);
    }
  };
  for (const block of doc.blocks) {
    if (block.type === 'paragraph') {
      pageLine(pageOf(block.prov));
      if (doc.kind === 'pdf') {
        position(block.prov, 1, block.text.length);
        lines.push(...block.text.split('\n'));
      } else lines.push(oneLine(block.text));
      continue;
    }
    if (doc.kind === 'xlsx' && block.prov.kind === 'table' && block.prov.sheet && block.prov.sheet !== sheet) {
      sheet = block.prov.sheet;
      lines.push(`【工作表：${sheet}】`);
    }
    for (const row of block.rows) {
      pageLine(pageOf(row.find((c) => c.prov.kind === 'pdf')?.prov) ?? pageOf(block.prov));
      const texts = row.map((c) => oneLine(c.text));
      let column = 1;
      row.forEach((c, i) => {
        position(c.prov, column, texts[i].length);
        column += texts[i].length + 1;
      });
      lines.push(texts.join('\t'));
      for (const c of row) {
        if (c.prov.kind === 'table') tableRows[`${c.prov.table}:${c.prov.row}`] ??= lines.length;
      }
    }
  }
  if (doc.kind === 'pdf') return positions.length > 0 ? { kind: doc.kind, lines, positions } : { kind: doc.kind, lines };
  return Object.keys(tableRows).length > 0 ? { kind: doc.kind, lines, tableRows } : { kind: doc.kind, lines };
}

/** reads an uploaded file (any kind the reader takes, or a Report JSON); throws ReadError */
export async function readInput(bytes: Uint8Array, name: string): Promise<ReadInput> {
  if (bytes.length > 0 && looksLikeJson(bytes)) return { report: reportFromJsonBytes(bytes, name), kind: 'json', source: null };
  const doc = await readDocument(bytes, name);
  const report = extractReport(doc);
  return { report, kind: doc.kind, source: sourceView(doc) };
}

export function summarize(diagnostics: readonly Diagnostic[]): CheckResult['summary'] {
  const s = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diagnostics) {
    if (d.severity === 'error') s.errors++;
    else if (d.severity === 'warning') s.warnings++;
    else s.infos++;
  }
  return s;
}

/** diagnostics, grids and summary of a report (with last year's report for the cross-year rules when known); refuses a narrative over TEXT_LIMITS */
export function checkReport(report: Report, source: SourceView | null, previous: Report | null = null): CheckResult {
  // the narrative's length bounds the work of the text rules (TextLimitError → 413)
  checkTextLimits(report);
  const diagnostics = check({ report, previous });
  return { report, diagnostics, grids: tableGrids(report), source, summary: summarize(diagnostics) };
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** the numbers the library statistics add up */
export function figuresOf(report: Report, diagnostics: readonly Diagnostic[]): ReportFigures {
  const applications: ReportFigures['applications'] = {};
  for (const [key, row] of Object.entries(report.applications ?? {})) {
    const out: Record<string, number> = {};
    for (const col of APPLICANT_COLUMNS) out[col.key] = num(row?.[col.key]);
    applications[key] = out;
  }
  const rl = report.reviewLitigation;
  const rules: Record<string, number> = {};
  for (const d of diagnostics) rules[d.rule] = (rules[d.rule] ?? 0) + 1;
  return {
    applications,
    reviews: num(rl?.review?.total),
    litigations: num(rl?.litigationDirect?.total) + num(rl?.litigationAfterReview?.total),
    rules,
  };
}

/** 表二 leaf rows of both formats, in table order (2021 leaves, then the 2019 single （六） row) */
export function outcomeRows(): { key: string; label: string }[] {
  const rows = applicationRows('2021').filter((r) => r.leaf);
  const other2019 = applicationRows('2019').find((r) => r.key === 'otherHandling');
  const label = (r: { level2?: string; level3?: string; label: string }) => (r.level3 ? `${r.level2}·${r.level3}` : r.label);
  return [...rows, ...(other2019 ? [other2019] : [])].map((r) => ({ key: r.key, label: label(r) }));
}
