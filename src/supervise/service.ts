/**
 * Supervision's operations over the store, shared by the server and the CLI: bulk intake (read on
 * the worker pool, match to a body, check, store once by content hash, versions), confirming an
 * uncertain match, the reporting year's status, roll-ups and series, scores and rankings, copied
 * text across bodies. The heavy work (reading, checking, 雷同) goes through `jobs`, which the server
 * and the CLI run on their worker pools.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../check/types.js';
import { describeError } from '../cli/errors.js';
import { NianbaoError } from '../model/errors.js';
import type { Report } from '../model/report.js';
import { figuresOf, summarize } from '../server/pipeline.js';
import { type AppDb, findReport, insertReport, subtreeIds } from '../store/app.js';
import {
  addPending,
  cellsOfReports,
  decidePending,
  type FilingRow,
  filingsOfYear,
  getPending,
  type IntakeCounts,
  type IntakeOutcome,
  knownHash,
  listBodies,
  reportsWithDiagnostics,
  reviewsOfYear,
  type StoredAssessment,
  settingsFor,
  storeCopies,
  storedCopies,
  updateAssessment,
  updateBatch,
  versionOf,
} from '../store/supervise.js';
import { diffReports, type ReportDiff } from './diff.js';
import { DirectoryIndex } from './directory.js';
import { previousSimilarity } from './facts.js';
import { type CellVector, cellVector, type RegionTotals, rollUpVectors } from './rollup.js';
import { parseRubric, type Rubric, rankScores, scoreBody } from './rubric.js';
import { countStatuses, mustReport, type StatusCounts, statusOf } from './status.js';
import {
  AUTO_MATCH,
  type Body,
  type BodyScore,
  type BodyYearStatus,
  type CopiedPair,
  type Deadlines,
  type MatchCandidate,
  type ScoringFacts,
  STATUTORY_DEADLINES,
} from './types.js';

/** the heavy work, on a pool */
export interface SuperviseJobs {
  read(bytes: Uint8Array, name: string): Promise<{ report: Report; kind: string }>;
  diagnose(report: Report, previous: Report | null): Promise<Diagnostic[]>;
  /** the diagnostics and the similarity with last year's narrative in one trip to the pool (optional) */
  assess?(
    report: Report,
    previous: Report | null,
  ): Promise<{ diagnostics: Diagnostic[]; previousSimilarity: ScoringFacts['previousSimilarity'] }>;
  copies(entries: CopyEntry[], threshold: number): Promise<CopiedPair[]>;
}

/** what the 雷同 job needs of a report: its body and narrative */
export interface CopyEntry {
  bodyId: number;
  name: string;
  agency: string | null;
  sections: Report['sections'];
}

let example: Rubric | undefined;
/** the example rubric shipped in rubrics/example.json (from the published indicators) */
export function defaultRubric(): Rubric {
  if (!example) {
    const url = new URL('../../rubrics/example.json', import.meta.url);
    example = parseRubric(readFileSync(url, 'utf8'), 'rubrics/example.json');
  }
  return example;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// ---------------------------------------------------------------------------
// The directory in scope
// ---------------------------------------------------------------------------

/** the bodies of a scope (the body and all under it; every body when null) */
export async function bodiesOf(db: AppDb, scopeId: number | null): Promise<Body[]> {
  const all = await listBodies(db);
  if (scopeId === null) return all;
  const ids = new Set(subtreeIds(all, scopeId));
  return all.filter((b) => ids.has(b.id));
}

/** the scope's bodies with the scope's own body as their root (its parent outside the scope cut off) */
function rooted(bodies: readonly Body[], scopeId: number | null): Body[] {
  return bodies.map((b) => (b.id === scopeId ? { ...b, parentId: null } : b));
}

/** the bodies of a scope and the index that matches reports to them (built only where reports are matched) */
export async function directoryOf(db: AppDb, scopeId: number | null): Promise<{ bodies: Body[]; index: DirectoryIndex }> {
  const bodies = await bodiesOf(db, scopeId);
  return { bodies, index: new DirectoryIndex(rooted(bodies, scopeId)) };
}

// ---------------------------------------------------------------------------
// Intake
// ---------------------------------------------------------------------------

export interface IntakeFile {
  name: string;
  /** the bytes, loaded when the file's turn comes (see BundleFile) */
  load(): Promise<Uint8Array>;
  /** the publication date when known from outside the document (a manifest), "YYYY-MM-DD" */
  publishedOn?: string | null;
  /** the body's name when known from outside the document (a manifest) */
  agency?: string | null;
}

export interface IntakeOptions {
  scopeId: number | null;
  user: string;
  jobs: Pick<SuperviseJobs, 'read' | 'diagnose' | 'assess'>;
  batchId?: number | null;
  /** files read at once (the pool's size is a good choice) */
  concurrency?: number;
  onProgress?: (counts: IntakeCounts, outcome: IntakeOutcome) => void;
}

const CREDIT_CODE_IN_TEXT = /(?<![0-9A-Z])[159Y][0-9A-HJ-NPQRTUWXY]\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])/;

/** is the best candidate sure enough to attach without asking */
export function confident(candidates: readonly MatchCandidate[]): boolean {
  const [best, second] = candidates;
  return !!best && best.confidence >= AUTO_MATCH && (!second || second.confidence < AUTO_MATCH || second.bodyId === best.bodyId);
}

function pendingReason(report: Report, candidates: readonly MatchCandidate[]): string {
  if (report.year === null) return '未能识别报告年度，请确认。';
  if (candidates.length === 0) return `名录中没有与“${report.agency ?? '（未识别机关名称）'}”相符的机关，请指定。`;
  const [best, second] = candidates;
  if (second && second.confidence >= AUTO_MATCH) return `有多个机关与“${report.agency ?? ''}”相符，请选择。`;
  return `与“${best.name}”的匹配把握不足（${best.reason}，${Math.round(best.confidence * 100)}%），请确认。`;
}

/** stores a report for a body and year: checked against the body's previous year, one version more */
export async function storeFiling(
  db: AppDb,
  f: { bodyId: number; report: Report; kind: string; fileName: string; original: Uint8Array; hash: string; publishedOn: string | null },
  user: string,
  jobs: Pick<SuperviseJobs, 'diagnose' | 'assess'>,
  batchId: number | null = null,
): Promise<{ reportId: number; version: number; sameContent?: boolean }> {
  const year = f.report.year as number;
  // the body's report of this year already stored: this one is its next version
  const earlier = await findReport(db, f.bodyId, year);
  const previousRow = await findReport(db, f.bodyId, year - 1);
  const previous = previousRow ? (JSON.parse(previousRow.report) as Report) : null;
  const assessed = jobs.assess
    ? await jobs.assess(f.report, previous)
    : { diagnostics: await jobs.diagnose(f.report, previous), previousSimilarity: previousSimilarity(f.report, previous) };
  const diagnostics = assessed.diagnostics;
  const s = summarize(diagnostics);
  const reportId = await insertReport(
    db,
    {
      agencyId: f.bodyId,
      year,
      format: f.report.format,
      fileName: f.fileName,
      kind: f.kind,
      uploadedBy: user,
      original: f.original,
      report: f.report,
      diagnostics,
      source: null,
      figures: figuresOf(f.report, diagnostics),
      errors: s.errors,
      warnings: s.warnings,
      infos: s.infos,
      contentHash: f.hash,
      publishedOn: f.publishedOn,
      cells: cellVector(f.report).values,
      batchId,
      previousSimilarity: assessed.previousSimilarity,
    },
    user,
  );
  // a report of the year after, stored before this one (files imported out of order), is checked
  // again now that its previous year is known (its cross-year rules and its similarity with it)
  const next = await findReport(db, f.bodyId, year + 1);
  if (next) {
    const nextReport = JSON.parse(next.report) as Report;
    const again = jobs.assess
      ? await jobs.assess(nextReport, f.report)
      : { diagnostics: await jobs.diagnose(nextReport, f.report), previousSimilarity: previousSimilarity(nextReport, f.report) };
    await updateAssessment(db, next.id, {
      diagnostics: again.diagnostics,
      previousSimilarity: again.previousSimilarity,
      figures: figuresOf(nextReport, again.diagnostics),
      ...summarize(again.diagnostics),
    });
  }
  const version = await versionOf(db, reportId);
  return earlier
    ? { reportId, version, sameContent: diffReports(JSON.parse(earlier.report) as Report, f.report).same }
    : { reportId, version };
}

/**
 * reads, matches, checks and stores each file: the same bytes twice are stored once; a confident
 * match is attached, an uncertain one waits for a person (`pending`); a file that cannot be read is
 * reported with its reason and the others go on. Outcomes in the order of `files`.
 */
export async function intakeFiles(
  db: AppDb,
  files: readonly IntakeFile[],
  opts: IntakeOptions,
): Promise<{ counts: IntakeCounts; outcomes: IntakeOutcome[] }> {
  const { index, bodies } = await directoryOf(db, opts.scopeId);
  const names = new Map(bodies.map((b) => [b.id, b.name]));
  const counts: IntakeCounts = { done: 0, stored: 0, versions: 0, duplicates: 0, pending: 0, failed: 0 };
  const outcomes: IntakeOutcome[] = new Array(files.length);
  const seen = new Map<string, number>(); // hash → index of the first file with it in this batch
  const batchId = opts.batchId ?? null;
  let lastSaved = 0;

  const finish = async (i: number, o: IntakeOutcome) => {
    outcomes[i] = o;
    counts.done++;
    if (o.outcome === 'stored') {
      if (o.version > 1) counts.versions++;
      else counts.stored++;
    } else if (o.outcome === 'duplicate') counts.duplicates++;
    else if (o.outcome === 'pending') counts.pending++;
    else counts.failed++;
    opts.onProgress?.({ ...counts }, o);
    if (batchId !== null && (Date.now() - lastSaved > 1000 || counts.done === files.length)) {
      lastSaved = Date.now();
      await updateBatch(db, batchId, counts, outcomes.filter(Boolean), counts.done === files.length);
    }
  };

  // one body's reports are stored one at a time: each looks for the body's previous and next year
  // (cross-year checks), which a report of the same body stored at the same moment would miss
  const turns = new Map<number, Promise<unknown>>();
  const oneAtATime = <T>(bodyId: number, f: () => Promise<T>): Promise<T> => {
    const run = (turns.get(bodyId) ?? Promise.resolve()).then(f, f);
    const settled = run.catch(() => undefined);
    turns.set(bodyId, settled);
    void settled.then(() => {
      if (turns.get(bodyId) === settled) turns.delete(bodyId);
    });
    return run;
  };

  // reading runs ahead on the pool; storing (matching, the previous year, the check) one file at a time in order of arrival
  const one = async (i: number) => {
    const file = files[i];
    let bytes: Uint8Array;
    try {
      bytes = await file.load();
    } catch (e) {
      const d = e instanceof NianbaoError ? { zh: e.zh, en: e.en } : describeError(e, file.name);
      await finish(i, { file: file.name, outcome: 'failed', message: d.zh, messageEn: d.en });
      return;
    }
    const hash = sha256(bytes);
    const first = seen.get(hash);
    if (first !== undefined) {
      await finish(i, { file: file.name, outcome: 'duplicate', reportId: null, intakeId: null });
      return;
    }
    seen.set(hash, i);
    const known = await knownHash(db, hash);
    if (known.reportId !== null || known.intakeId !== null) {
      await finish(i, { file: file.name, outcome: 'duplicate', reportId: known.reportId, intakeId: known.intakeId });
      return;
    }
    let read: { report: Report; kind: string };
    try {
      read = await opts.jobs.read(bytes, file.name);
    } catch (e) {
      const d = describeError(e, file.name);
      await finish(i, { file: file.name, outcome: 'failed', message: d.zh, messageEn: d.en });
      return;
    }
    const report = read.report;
    const publishedOn = file.publishedOn ?? report.publishedOn ?? null;
    const text = `${report.sections?.overview ?? ''}\n${report.sections?.other ?? ''}`;
    const creditCode = CREDIT_CODE_IN_TEXT.exec(text)?.[0] ?? null;
    const candidates = index.match(file.agency ?? report.agency, { year: report.year, fileName: file.name, creditCode });
    try {
      if (report.year !== null && confident(candidates)) {
        const bodyId = candidates[0].bodyId;
        const stored = await oneAtATime(bodyId, () =>
          storeFiling(
            db,
            { bodyId, report, kind: read.kind, fileName: file.name, original: bytes, hash, publishedOn },
            opts.user,
            opts.jobs,
            batchId,
          ),
        );
        await finish(i, {
          file: file.name,
          outcome: 'stored',
          reportId: stored.reportId,
          bodyId,
          bodyName: names.get(bodyId) ?? candidates[0].name,
          year: report.year,
          version: stored.version,
          confidence: candidates[0].confidence,
          ...(stored.sameContent !== undefined ? { sameContent: stored.sameContent } : {}),
        });
      } else {
        const scopeId = opts.scopeId ?? bodies.find((b) => b.parentId === null)?.id ?? 0;
        const intakeId = await addPending(
          db,
          { batchId, scopeId, fileName: file.name, contentHash: hash, kind: read.kind, original: bytes, report, publishedOn, candidates },
          opts.user,
        );
        await finish(i, { file: file.name, outcome: 'pending', intakeId, reason: pendingReason(report, candidates), candidates });
      }
    } catch (e) {
      const d = describeError(e, file.name);
      await finish(i, { file: file.name, outcome: 'failed', message: d.zh, messageEn: d.en });
    }
  };

  const width = Math.max(1, opts.concurrency ?? 2);
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, files.length) }, async () => {
    while (next < files.length) await one(next++);
  });
  await Promise.all(lanes);
  if (batchId !== null && files.length === 0) await updateBatch(db, batchId, counts, [], true);
  return { counts, outcomes };
}

/** a person confirms the body (and the year, when the report had none) of a waiting file */
export async function confirmPending(
  db: AppDb,
  intakeId: number,
  choice: { bodyId: number; year?: number | null },
  user: string,
  jobs: Pick<SuperviseJobs, 'diagnose' | 'assess'>,
): Promise<{ reportId: number; version: number }> {
  const p = await getPending(db, intakeId);
  if (!p) throw new ServiceError('not-found', `没有编号为 ${intakeId} 的待确认文件。`, `No file waiting with id ${intakeId}.`);
  if (p.state !== 'pending') throw new ServiceError('conflict', '这个文件已经处理过了。', 'This file has already been decided.');
  const year = choice.year ?? p.report.year;
  if (year === null || year === undefined) {
    throw new ServiceError('bad-input', '报告年度不明，请同时指定年度。', 'The report has no year: give the year too.');
  }
  const report = { ...p.report, year };
  const stored = await storeFiling(
    db,
    {
      bodyId: choice.bodyId,
      report,
      kind: p.kind,
      fileName: p.fileName,
      original: p.original,
      hash: p.contentHash,
      publishedOn: p.publishedOn,
    },
    user,
    jobs,
    p.batchId,
  );
  await decidePending(db, intakeId, { reportId: stored.reportId }, user);
  return stored;
}

export class ServiceError extends NianbaoError {
  constructor(code: 'not-found' | 'conflict' | 'bad-input', zh: string, en: string) {
    super(code, zh, en);
    this.name = 'ServiceError';
  }
}

// ---------------------------------------------------------------------------
// The reporting year
// ---------------------------------------------------------------------------

/** the latest version of each body's report of year Y, with the number of versions and the first publication date */
export function latestFilings(rows: readonly FilingRow[]): Map<number, FilingRow & { versions: number; firstPublishedOn: string | null }> {
  const out = new Map<number, FilingRow & { versions: number; firstPublishedOn: string | null }>();
  for (const r of rows) {
    const had = out.get(r.bodyId);
    if (!had) out.set(r.bodyId, { ...r, versions: 1, firstPublishedOn: r.publishedOn });
    else {
      const first = had.firstPublishedOn ?? r.publishedOn;
      const pick = r.version >= had.version ? r : had;
      out.set(r.bodyId, { ...pick, versions: had.versions + 1, firstPublishedOn: first });
    }
  }
  return out;
}

export interface YearStatusRow {
  body: Body;
  /** names of the ancestors, nearest last (the scope's root first) */
  path: string[];
  status: BodyYearStatus;
}

export async function yearStatus(
  db: AppDb,
  scopeId: number | null,
  year: number,
  today: string,
): Promise<{ rows: YearStatusRow[]; counts: StatusCounts; deadlines: Deadlines }> {
  const bodies = await bodiesOf(db, scopeId);
  const settings = scopeId === null ? { deadlines: null } : await settingsFor(db, scopeId, bodies);
  const deadlines = settings.deadlines ?? STATUTORY_DEADLINES;
  const filings = latestFilings(await filingsOfYear(db, year));
  const reviews = await reviewsOfYear(db, year);
  const byId = new Map(bodies.map((b) => [b.id, b]));
  const rows: YearStatusRow[] = [];
  for (const b of bodies) {
    if (!mustReport(b, year)) continue;
    const f = filings.get(b.id);
    const status = statusOf(
      b,
      year,
      f ? { reportId: f.reportId, publishedOn: f.firstPublishedOn, versions: f.versions, errors: f.errors, warnings: f.warnings } : null,
      reviews.get(b.id) ?? null,
      today,
      deadlines,
    );
    // the names above it within the scope, the scope's root first
    const path: string[] = [];
    const seen = new Set([b.id]);
    for (
      let p = b.id === scopeId ? undefined : byId.get(b.parentId ?? -1);
      p && !seen.has(p.id);
      p = p.id === scopeId ? undefined : byId.get(p.parentId ?? -1)
    ) {
      seen.add(p.id);
      path.unshift(p.name);
    }
    rows.push({ body: b, path, status });
  }
  return { rows, counts: countStatuses(rows.map((r) => r.status)), deadlines };
}

// ---------------------------------------------------------------------------
// Roll-ups
// ---------------------------------------------------------------------------

export async function yearRollup(
  db: AppDb,
  scopeId: number | null,
  year: number,
): Promise<{ bodies: Body[]; totals: Map<number, RegionTotals> }> {
  const bodies = await bodiesOf(db, scopeId);
  const inScope = new Set(bodies.map((b) => b.id));
  const latest = latestFilings((await filingsOfYear(db, year)).filter((f) => inScope.has(f.bodyId)));
  const cellsById = await cellsOfReports(
    db,
    [...latest.values()].map((f) => f.reportId),
  );
  const byBody = new Map<number, CellVector>();
  for (const f of latest.values()) {
    const c = cellsById.get(f.reportId);
    if (c) byBody.set(f.bodyId, c);
  }
  const top = rooted(bodies, scopeId);
  return { bodies: top, totals: rollUpVectors(top, byBody) };
}

/** one region's totals over several years, per cell */
export async function regionSeries(
  db: AppDb,
  bodyId: number,
  years: readonly number[],
): Promise<{ year: number; totals: RegionTotals | null }[]> {
  const out: { year: number; totals: RegionTotals | null }[] = [];
  for (const year of years) {
    const { totals } = await yearRollup(db, bodyId, year);
    out.push({ year, totals: totals.get(bodyId) ?? null });
  }
  return out;
}

// ---------------------------------------------------------------------------
// 雷同 across bodies, scores and the ranking
// ---------------------------------------------------------------------------

export const COPIES_DEFAULT_THRESHOLD = 0.5;

/** the reports of year Y in scope (latest versions) with their narratives, for the 雷同 job */
async function latestReports(
  db: AppDb,
  bodies: readonly Body[],
  year: number,
): Promise<{
  latest: Map<number, FilingRow & { versions: number; firstPublishedOn: string | null }>;
  reports: Map<number, StoredAssessment>;
}> {
  const inScope = new Set(bodies.map((b) => b.id));
  const latest = latestFilings((await filingsOfYear(db, year)).filter((f) => inScope.has(f.bodyId)));
  const reports = await reportsWithDiagnostics(
    db,
    [...latest.values()].map((f) => f.reportId),
  );
  return { latest, reports };
}

const copiesCache = new Map<string, CopiedPair[]>();

/** the pairs of bodies whose year-Y narratives are similar above the threshold (cached per set of stored reports) */
export async function yearCopies(
  db: AppDb,
  scopeId: number | null,
  year: number,
  jobs: Pick<SuperviseJobs, 'copies'>,
  threshold = COPIES_DEFAULT_THRESHOLD,
  preloaded?: { bodies: Body[]; reports: Map<number, { report: Report }>; latest: Map<number, FilingRow> },
): Promise<CopiedPair[]> {
  const bodies = preloaded?.bodies ?? (await bodiesOf(db, scopeId));
  const loaded = preloaded ?? { ...(await latestReports(db, bodies, year)), bodies };
  const key = `${scopeId}|${year}|${threshold}|${[...loaded.latest.values()]
    .map((f) => f.reportId)
    .sort((a, b) => a - b)
    .join(',')}`;
  const hit = copiesCache.get(key);
  if (hit) return hit;
  // kept in the database too: a restart does not compute a region's 雷同 again
  const dbKey = createHash('sha1').update(key).digest('hex');
  const kept = await storedCopies(db, dbKey);
  if (kept) {
    copiesCache.set(key, kept);
    return kept;
  }
  const names = new Map(bodies.map((b) => [b.id, b.name]));
  const entries: CopyEntry[] = [];
  for (const f of loaded.latest.values()) {
    const r = loaded.reports.get(f.reportId);
    if (r) entries.push({ bodyId: f.bodyId, name: names.get(f.bodyId) ?? '', agency: r.report.agency, sections: r.report.sections });
  }
  const pairs = await jobs.copies(entries, threshold);
  await storeCopies(db, dbKey, year, pairs);
  if (copiesCache.size > 32) copiesCache.delete(copiesCache.keys().next().value as string);
  copiesCache.set(key, pairs);
  return pairs;
}

/** did the content change between the first and the latest version (a different file of the same content is not an edit) */
function contentChanged(a: Report, b: Report): boolean {
  return !diffReports(a, b).same;
}

/** the versions of a body's report for year Y, oldest first, each with what changed since the one before */
export async function versionsWithDiff(
  db: AppDb,
  bodyId: number,
  year: number,
): Promise<
  { version: number; reportId: number; fileName: string; uploadedAt: string; publishedOn: string | null; diff: ReportDiff | null }[]
> {
  const rows = (await filingsOfYear(db, year)).filter((f) => f.bodyId === bodyId).sort((x, y) => x.version - y.version);
  const loaded = await reportsWithDiagnostics(
    db,
    rows.map((r) => r.reportId),
  );
  return rows.map((r, i) => {
    const prev = i > 0 ? loaded.get(rows[i - 1].reportId)?.report : undefined;
    const cur = loaded.get(r.reportId)?.report;
    return {
      version: r.version,
      reportId: r.reportId,
      fileName: r.fileName,
      uploadedAt: r.uploadedAt,
      publishedOn: r.publishedOn,
      diff: prev && cur ? diffReports(prev, cur) : null,
    };
  });
}

export interface YearScores {
  scores: BodyScore[];
  ranking: ReturnType<typeof rankScores>;
  copies: CopiedPair[];
  bodies: Body[];
  statuses: Map<number, BodyYearStatus>;
}

/** every body's score for year Y under a rubric, with the evidence, and the ranking within `groupBy` */
const scoresCache = new Map<string, YearScores>();

/** forgets what this process keeps in memory (scores, 雷同 pairs), as a restart does; the database keeps its own */
export function clearSupervisionCaches(): void {
  scoresCache.clear();
  copiesCache.clear();
}

/**
 * every body's score for year Y under a rubric, with the evidence, and the ranking within `groupBy`;
 * the answer is kept (a few per process) until a report of the two years, the directory, a review
 * or the rubric changes
 */
export async function yearScores(
  db: AppDb,
  scopeId: number | null,
  year: number,
  rubric: Rubric,
  jobs: Pick<SuperviseJobs, 'copies'>,
  today: string,
  groupBy: 'tier' | 'parent' | 'all' = 'tier',
): Promise<YearScores> {
  const [thisYear, previous, bodies, reviews] = await Promise.all([
    filingsOfYear(db, year),
    filingsOfYear(db, year - 1),
    listBodies(db),
    reviewsOfYear(db, year),
  ]);
  const key = createHash('sha1')
    .update(
      JSON.stringify([
        scopeId,
        year,
        today,
        groupBy,
        rubric,
        bodies,
        [...reviews],
        thisYear.map((f) => f.reportId),
        previous.map((f) => f.reportId),
      ]),
    )
    .digest('hex');
  const hit = scoresCache.get(key);
  if (hit) return hit;
  const result = await computeYearScores(db, scopeId, year, rubric, jobs, today, groupBy);
  if (scoresCache.size >= 8) scoresCache.delete(scoresCache.keys().next().value as string);
  scoresCache.set(key, result);
  return result;
}

async function computeYearScores(
  db: AppDb,
  scopeId: number | null,
  year: number,
  rubric: Rubric,
  jobs: Pick<SuperviseJobs, 'copies'>,
  today: string,
  groupBy: 'tier' | 'parent' | 'all',
): Promise<YearScores> {
  const status = await yearStatus(db, scopeId, year, today);
  const bodies = await bodiesOf(db, scopeId);
  const loaded = await latestReports(db, bodies, year);
  // the similarity with last year was stored with each report; last year's reports are read only
  // for those stored before it was (previousSimilarity undefined)
  const needLastYear = [...loaded.latest.values()].some((f) => loaded.reports.get(f.reportId)?.previousSimilarity === undefined);
  const lastYear = needLastYear ? await latestReports(db, bodies, year - 1) : { latest: new Map(), reports: new Map() };
  const copyThreshold = copiesThreshold(rubric);
  const copies = await yearCopies(db, scopeId, year, jobs, copyThreshold, { bodies, ...loaded });
  const byBody = new Map<number, ScoringFacts['copies']>();
  const names = new Map(bodies.map((b) => [b.id, b.name]));
  for (const p of copies) {
    for (const [me, other, flip] of [
      [p.a, p.b, false],
      [p.b, p.a, true],
    ] as const) {
      const list = byBody.get(me) ?? [];
      list.push({
        otherBodyId: other,
        otherName: names.get(other) ?? '',
        ratio: p.ratio,
        passages: p.passages.map((x) => (flip ? { mine: x.b, theirs: x.a } : { mine: x.a, theirs: x.b })),
      });
      byBody.set(me, list);
    }
  }
  // the first version of an edited report, to compare
  const edited = new Set<number>();
  const multi = [...loaded.latest.values()].filter((f) => f.versions > 1);
  if (multi.length > 0) {
    const rows = (await filingsOfYear(db, year)).filter((f) => multi.some((m) => m.bodyId === f.bodyId) && f.version === 1);
    const firsts = await reportsWithDiagnostics(
      db,
      rows.map((r) => r.reportId),
    );
    for (const r of rows) {
      const first = firsts.get(r.reportId)?.report;
      const latest = loaded.reports.get(loaded.latest.get(r.bodyId)?.reportId ?? -1)?.report;
      if (first && latest && contentChanged(first, latest)) edited.add(r.bodyId);
    }
  }
  const scores: BodyScore[] = [];
  const statuses = new Map<number, BodyYearStatus>();
  for (const row of status.rows) {
    statuses.set(row.body.id, row.status);
    const f = loaded.latest.get(row.body.id);
    const r = f ? loaded.reports.get(f.reportId) : undefined;
    const stored = r?.previousSimilarity;
    const prevFiling = stored === undefined ? lastYear.latest.get(row.body.id) : undefined;
    const prev = prevFiling ? (lastYear.reports.get(prevFiling.reportId)?.report ?? null) : null;
    const facts: ScoringFacts = {
      body: row.body,
      year,
      status: row.status,
      report: r?.report ?? null,
      diagnostics: r?.diagnostics ?? [],
      previousSimilarity: r ? (stored !== undefined ? stored : previousSimilarity(r.report, prev)) : null,
      copies: byBody.get(row.body.id) ?? [],
      editedAfterPublication: edited.has(row.body.id),
    };
    scores.push(scoreBody(facts, rubric));
  }
  const byId = new Map(bodies.map((b) => [b.id, b]));
  const groupOf = (id: number) => {
    const b = byId.get(id);
    if (!b || groupBy === 'all') return '';
    return groupBy === 'tier' ? `${b.tier}:${b.kind}` : String(b.parentId ?? '');
  };
  return { scores, ranking: rankScores(scores, groupOf), copies, bodies, statuses };
}

/** the lowest `above` of the rubric's copied-text conditions (the 雷同 search need not look below it) */
function copiesThreshold(rubric: Rubric): number {
  let t = COPIES_DEFAULT_THRESHOLD;
  for (const item of rubric.items) {
    for (const d of item.deductions) {
      const c = d.when as { indicator: string; above?: number };
      if (c.indicator === 'copied' && typeof c.above === 'number') t = Math.min(t, c.above);
    }
  }
  return t;
}
