/**
 * The command line's bulk work as pool jobs (src/pool/pool.ts): one file read into a JSON line (or
 * the Chinese summary of `parse` without --json).
 *
 * The file is read synchronously: in a worker thread nothing else waits for it, and the
 * asynchronous `stat` and `readFile` cost as much as parsing a text report. A file that is missing,
 * not a regular file or too large goes the way of `parseFile`, which refuses it (before reading a
 * too large one) with the same sentences as the single-file command.
 */
import { readFileSync, statSync } from 'node:fs';
import { compactProvenance, type ProvenanceMode } from '../model/provenance.js';
import type { Report } from '../model/report.js';
import { parseBytes, parseFile } from '../parse.js';
import { LIMITS } from '../read/errors.js';
import { looksLikeJson } from '../util/sniff.js';
import { describeError } from './errors.js';
import { ambiguityWarnings, formatReport } from './format.js';

export interface ParseFileJob {
  kind: 'parseFile';
  file: string;
  /** how much provenance the JSON line holds (default full) */
  provenance?: ProvenanceMode;
  /** 'summary': the Chinese summary instead of the JSON line */
  output?: 'json' | 'summary';
  /** the text as UTF-8 bytes with its newline (`bytes`), moved to the pool's thread, not `line` */
  encode?: boolean;
}

/** several files in one message (cheap ones: text, HTML, Markdown): fewer round trips through the pool */
export interface ParseFilesJob {
  kind: 'parseFiles';
  jobs: ParseFileJob[];
}

export interface ParseFilesResult {
  /** one per job, in order */
  results: ParseFileResult[];
}

export interface ParseFileResult {
  /** the JSON line (without newline) or the summary; '' with `encode` */
  line: string;
  ok: boolean;
  warnings: string[];
  /** with `encode`: the output, newline included (a summary: two newlines; a failed summary: nothing) */
  bytes?: Uint8Array;
  /** the error sentences (zh and en) when not ok */
  error?: string;
}

/** the file's bytes, or null for the async reader to refuse it (missing, a folder or device, too large) */
function readSmallFile(file: string): Uint8Array | null {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return null;
    size = st.size;
  } catch {
    return null;
  }
  if (size > LIMITS.maxFileBytes) return null;
  // unreadable (permissions, I/O): the error goes to describeError, as with the asynchronous read
  return readFileSync(file);
}

/** a file as the commands read it: a document, or a Report JSON (src/load.ts, loaded only for one) */
async function loadReportSync(file: string): Promise<Report> {
  const bytes = readSmallFile(file);
  if (bytes === null) return parseFile(file);
  if (looksLikeJson(bytes)) return (await import('../load.js')).reportFromJsonBytes(bytes, file);
  return parseBytes(bytes, file);
}

/** the JSON line of a report with `mode` provenance (`full`: as it always was) */
export function reportLine(file: string, report: Report, mode: ProvenanceMode = 'full'): string {
  if (mode === 'full' || !report.provenance) return JSON.stringify({ file, ...report });
  const { provenance, ...rest } = report;
  return mode === 'none'
    ? JSON.stringify({ file, ...rest })
    : JSON.stringify({ file, ...rest, provenanceCompact: compactProvenance(provenance) });
}

/** the report with `mode` provenance, for the single-file command (`full`: unchanged) */
export function withProvenance(
  report: Report,
  mode: ProvenanceMode,
): Report | (Omit<Report, 'provenance'> & { provenanceCompact?: unknown }) {
  if (mode === 'full' || !report.provenance) return report;
  const { provenance, ...rest } = report;
  return mode === 'none' ? rest : { ...rest, provenanceCompact: compactProvenance(provenance) };
}

const encoder = new TextEncoder();

export async function runJob(job: ParseFileJob): Promise<ParseFileResult>;
export async function runJob(job: ParseFilesJob): Promise<ParseFilesResult>;
export async function runJob(job: ParseFileJob | ParseFilesJob): Promise<ParseFileResult | ParseFilesResult> {
  if (job.kind === 'parseFiles') {
    const results: ParseFileResult[] = [];
    for (const one of job.jobs) results.push(await runFile(one));
    return { results };
  }
  return runFile(job);
}

async function runFile(job: ParseFileJob): Promise<ParseFileResult> {
  let r: ParseFileResult;
  try {
    const report = await loadReportSync(job.file);
    const warnings = ambiguityWarnings(report, job.file);
    r =
      job.output === 'summary'
        ? { line: `${formatReport(report)}\n\n`, ok: true, warnings }
        : { line: reportLine(job.file, report, job.provenance), ok: true, warnings };
  } catch (e) {
    const d = describeError(e, job.file);
    r = { line: job.output === 'summary' ? '' : errorLineOf(job.file, d), ok: false, warnings: [], error: `${d.zh} ${d.en}` };
  }
  if (job.encode) {
    // TextEncoder gives a buffer of its own (Buffer.from may give a slice of a shared pool): safe to move
    r.bytes = encoder.encode(job.output === 'summary' ? r.line : `${r.line}\n`);
    r.line = '';
  }
  return r;
}

/** the buffers of a result moved, not copied, to the pool's thread (src/pool/worker.ts) */
export function transferOf(value: unknown): ArrayBuffer[] {
  const results = (value as ParseFilesResult | null)?.results ?? [value as ParseFileResult | null];
  const out: ArrayBuffer[] = [];
  for (const r of results) {
    const b = r?.bytes;
    if (b && b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) out.push(b.buffer);
  }
  return out;
}

function errorLineOf(file: string, d: { zh: string; en: string; code: string }): string {
  return JSON.stringify({ file, error: `${d.zh} ${d.en}`, code: d.code });
}

/** the JSON line of a file that could not be read */
export function errorLine(file: string, e: unknown): string {
  return errorLineOf(file, describeError(e, file));
}
