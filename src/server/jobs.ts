/**
 * The server's CPU-heavy work as jobs: reading an upload, checking a report, rendering a file. In
 * production they run on the worker pool (src/pool/pool.ts) — never on the thread that answers
 * requests — each with a hard time limit; `inPlaceJobs` runs them on the calling thread (tests).
 */
import { check } from '../check/index.js';
import type { Diagnostic } from '../check/types.js';
import type { NoticeDocument } from '../model/notice.js';
import type { Report } from '../model/report.js';
import { JobPool, type PoolOptions } from '../pool/pool.js';
import type { LedgerJobResult, LedgerPlan, LedgerReadOptions, LedgerWorkbook, MappingInput } from '../register/ledger.js';
import { type RenderFormat, type RenderOptions, render } from '../render/index.js';
import type { NoticeFormat } from '../render/notice.js';
import type { CopyEntry } from '../supervise/service.js';
import type { CopiedPair, ScoringFacts } from '../supervise/types.js';
import { type CheckResult, checkReport, type ReadInput, readInput, type SourceView } from './pipeline.js';

export type ServerJob =
  | { kind: 'read'; bytes: Uint8Array; name: string }
  | { kind: 'check'; report: Report; source: SourceView | null; previous: Report | null }
  | { kind: 'diagnose'; report: Report; previous: Report | null }
  | { kind: 'render'; report: Report; format: RenderFormat; opts: RenderOptions }
  | { kind: 'copies'; entries: CopyEntry[]; threshold: number }
  | { kind: 'assess'; report: Report; previous: Report | null }
  | { kind: 'notice'; document: NoticeDocument; format: NoticeFormat }
  | { kind: 'ledger-read'; bytes: Uint8Array; name: string; mapping: MappingInput | null; options: LedgerReadOptions }
  | { kind: 'ledger-write'; workbook: LedgerWorkbook; format: 'xlsx' | 'csv'; sheet: 'cases' | 'events' };

/** a report's diagnostics and its similarity with last year's, as the intake stores them */
async function assess(
  report: Report,
  previous: Report | null,
): Promise<{ diagnostics: Diagnostic[]; previousSimilarity: ScoringFacts['previousSimilarity'] }> {
  const { previousSimilarity } = await import('../supervise/facts.js');
  return { diagnostics: check({ report, previous }), previousSimilarity: previousSimilarity(report, previous) };
}

/** 雷同 across bodies (src/supervise/copies.ts) on a narrative-only view of each report */
async function copiesOf(entries: CopyEntry[], threshold: number): Promise<CopiedPair[]> {
  const { findCopies } = await import('../supervise/copies.js');
  const list = entries.map((e) => ({
    bodyId: e.bodyId,
    name: e.name,
    report: { agency: e.agency, sections: e.sections } as unknown as Report,
  }));
  return findCopies(list, { threshold }).pairs;
}

/** a notice rendered (the renderer loaded on first use) */
async function noticeFile(document: NoticeDocument, format: NoticeFormat): Promise<Uint8Array> {
  const { renderNotice } = await import('../render/notice.js');
  return renderNotice(document, format);
}

/** what a worker runs (the pool's handler module) */
export async function runJob(job: ServerJob): Promise<unknown> {
  switch (job.kind) {
    case 'read':
      return readInput(job.bytes, job.name);
    case 'check':
      return checkReport(job.report, job.source, job.previous);
    case 'diagnose':
      return check({ report: job.report, previous: job.previous });
    case 'render':
      return render(job.report, job.format, job.opts);
    case 'copies':
      return copiesOf(job.entries, job.threshold);
    case 'assess':
      return assess(job.report, job.previous);
    case 'notice':
      return noticeFile(job.document, job.format);
    case 'ledger-read':
      return ledgerRead(job.bytes, job.name, job.mapping, job.options);
    case 'ledger-write':
      return ledgerWrite(job.workbook, job.format, job.sheet);
  }
}

/** a 台账 file read into an import plan (src/register/ledger.ts); a LedgerError comes back as data */
async function ledgerRead(
  bytes: Uint8Array,
  name: string,
  mapping: MappingInput | null,
  options: LedgerReadOptions,
): Promise<LedgerJobResult> {
  const { readLedgerJob } = await import('../register/ledger.js');
  return readLedgerJob(bytes, name, mapping, options);
}

/** the 台账 export written as XLSX, or one of its sheets as CSV */
async function ledgerWrite(workbook: LedgerWorkbook, format: 'xlsx' | 'csv', sheet: 'cases' | 'events'): Promise<Uint8Array> {
  const { writeLedger } = await import('../register/ledger.js');
  return writeLedger(workbook, format, sheet);
}

/** the plan of a `ledger-read` job, or its LedgerError thrown again */
async function ledgerPlan(result: Promise<LedgerJobResult>): Promise<LedgerPlan> {
  const { unwrapLedgerJob } = await import('../register/ledger.js');
  return unwrapLedgerJob(await result);
}

/**
 * the hard wall-clock limit of each kind of job (the PDF reader gives up by itself at 60 s, plus
 * 30 s a scanned page it recognises)
 */
export const JOB_TIMEOUTS_MS = {
  read: 300_000,
  check: 30_000,
  diagnose: 30_000,
  render: 60_000,
  copies: 120_000,
  assess: 30_000,
  notice: 60_000,
  'ledger-read': 180_000,
  'ledger-write': 120_000,
} as const;

export interface Jobs {
  read(bytes: Uint8Array, name: string): Promise<ReadInput>;
  check(report: Report, source: SourceView | null, previous: Report | null): Promise<CheckResult>;
  diagnose(report: Report, previous: Report | null): Promise<Diagnostic[]>;
  render(report: Report, format: RenderFormat, opts: RenderOptions): Promise<Uint8Array>;
  /** 雷同 across the bodies of a year */
  copies(entries: CopyEntry[], threshold: number): Promise<CopiedPair[]>;
  /** diagnostics and the similarity with last year's report, in one job */
  assess(
    report: Report,
    previous: Report | null,
  ): Promise<{ diagnostics: Diagnostic[]; previousSimilarity: ScoringFacts['previousSimilarity'] }>;
  /** a notice (文书) rendered to DOCX or PDF */
  notice(document: NoticeDocument, format: NoticeFormat): Promise<Uint8Array>;
  /** a 台账 file read into an import plan (throws LedgerError for a file that cannot be imported) */
  ledgerRead(bytes: Uint8Array, name: string, mapping: MappingInput | null, options: LedgerReadOptions): Promise<LedgerPlan>;
  /** the 台账 export as XLSX, or one sheet as CSV */
  ledgerWrite(workbook: LedgerWorkbook, format: 'xlsx' | 'csv', sheet: 'cases' | 'events'): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** the jobs run on the calling thread (tests of the API; no limits but the readers' own) */
export function inPlaceJobs(): Jobs {
  return {
    read: (bytes, name) => readInput(bytes, name),
    check: async (report, source, previous) => checkReport(report, source, previous),
    diagnose: async (report, previous) => check({ report, previous }),
    render: (report, format, opts) => render(report, format, opts),
    copies: (entries, threshold) => copiesOf(entries, threshold),
    assess: (report, previous) => assess(report, previous),
    notice: (document, format) => noticeFile(document, format),
    ledgerRead: (bytes, name, mapping, options) => ledgerPlan(ledgerRead(bytes, name, mapping, options)),
    ledgerWrite: (workbook, format, sheet) => ledgerWrite(workbook, format, sheet),
    close: async () => {},
  };
}

export type JobsWithPool = Jobs & { pool: JobPool };

/** the jobs on a pool of worker threads */
export function pooledJobs(opts: Partial<PoolOptions> = {}): JobsWithPool {
  const here = import.meta.url.endsWith('.ts') ? './jobs.ts' : './jobs.js';
  const pool = new JobPool({ handlers: new URL(here, import.meta.url), ...opts });
  const run = <T>(job: ServerJob, label?: string) => pool.run<T>(job, { timeoutMs: JOB_TIMEOUTS_MS[job.kind], label });
  return {
    pool,
    read: (bytes, name) => run<ReadInput>({ kind: 'read', bytes, name }, name),
    check: (report, source, previous) => run<CheckResult>({ kind: 'check', report, source, previous }),
    diagnose: (report, previous) => run<Diagnostic[]>({ kind: 'diagnose', report, previous }),
    // a rendered file comes back as a plain Uint8Array (structured clone keeps the bytes)
    render: async (report, format, opts) => new Uint8Array(await run<Uint8Array>({ kind: 'render', report, format, opts })),
    copies: (entries, threshold) => run<CopiedPair[]>({ kind: 'copies', entries, threshold }),
    assess: (report, previous) => run({ kind: 'assess', report, previous }),
    notice: async (document, format) => new Uint8Array(await run<Uint8Array>({ kind: 'notice', document, format })),
    // a WorkingCalendar cannot cross threads: the worker builds it from `options.entered`
    ledgerRead: (bytes, name, mapping, options) =>
      ledgerPlan(run<LedgerJobResult>({ kind: 'ledger-read', bytes, name, mapping, options: { ...options, calendar: undefined } }, name)),
    ledgerWrite: async (workbook, format, sheet) =>
      new Uint8Array(await run<Uint8Array>({ kind: 'ledger-write', workbook, format, sheet })),
    close: () => pool.close(),
  };
}
