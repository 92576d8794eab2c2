/**
 * Supervision's storage (issue 15), beside the app's (`./app.ts`): the directory of bodies (the
 * `agencies` table, extended), the versions and content hashes of stored reports, the files that wait
 * for a person to confirm their body (`intake`), intake batches and their progress, reviews
 * (已复核), and each jurisdiction's settings (deadlines, rubric).
 *
 * Migration `1002_supervision`; portable schema builder only (SQLite and PostgreSQL alike). Every
 * write is one transaction with an `app_audit` row.
 */
import type { Kysely, Migration, Transaction } from 'kysely';
import type { Diagnostic } from '../check/types.js';
import type { FormatVersion, Report } from '../model/report.js';
import type { DirectoryPlan, ParentRef } from '../supervise/directory-file.js';
import { type Cells, type CellVector, cellDefs } from '../supervise/rollup.js';
import type { Body, BodyAlias, BodyKind, CopiedPair, Deadlines, MatchCandidate, ScoringFacts, Tier } from '../supervise/types.js';
import { type AgencyLevel, type AppDatabase, type AppDb, appDb, regDb } from './app.js';
import { addIdColumn, dbKind, EXTRA_MIGRATIONS, StoreError } from './db.js';
import { type Tx, writeTx } from './register.js';

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

export interface IntakeTable {
  id: import('kysely').Generated<number>;
  batch_id: number | null;
  /** the agency (jurisdiction) whose supervisor imported it: who may confirm it */
  scope_id: number;
  file_name: string;
  content_hash: string;
  kind: string;
  original: Buffer | Uint8Array;
  /** Report JSON */
  report: string;
  year: number | null;
  published_on: string | null;
  /** MatchCandidate[] JSON */
  candidates: string;
  /** 'pending' | 'attached' | 'rejected' */
  state: string;
  report_id: number | null;
  created_by: string;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

export interface IntakeBatchesTable {
  id: import('kysely').Generated<number>;
  scope_id: number;
  started_by: string;
  started_at: string;
  finished_at: string | null;
  /** files in the batch */
  total: number;
  /** IntakeCounts JSON */
  counts: string;
  /** IntakeOutcome[] JSON (one per file, as far as done) */
  outcomes: string;
}

export interface ReviewsTable {
  agency_id: number;
  year: number;
  reviewed_by: string;
  reviewed_at: string;
  note: string;
}

export interface SupervisionSettingsTable {
  agency_id: number;
  /** Deadlines JSON or null (statutory) */
  deadlines: string | null;
  /** Rubric JSON (as validated) or null (the example rubric) */
  rubric: string | null;
  updated_by: string;
  updated_at: string;
}

export interface CopiesCacheTable {
  key: string;
  year: number;
  pairs: string;
  computed_at: string;
}

export interface SupervisionDatabase extends AppDatabase {
  copies_cache: CopiesCacheTable;
  intake: IntakeTable;
  intake_batches: IntakeBatchesTable;
  reviews: ReviewsTable;
  supervision_settings: SupervisionSettingsTable;
}

export type SupDb = Kysely<SupervisionDatabase>;
type SupTx = Kysely<SupervisionDatabase> | Transaction<SupervisionDatabase>;

export function supDb(db: AppDb | SupDb): SupDb {
  return db as unknown as SupDb;
}
function asSup(tx: Tx): SupTx {
  return tx as unknown as SupTx;
}

// ---------------------------------------------------------------------------
// Migration
// ---------------------------------------------------------------------------

export const SUPERVISION_MIGRATIONS: Record<string, Migration> = {
  '1002_supervision': {
    async up(db: Kysely<unknown>) {
      const blob = dbKind(db) === 'postgres' ? 'bytea' : 'blob';
      for (const [name, type] of [
        ['tier', 'text'],
        ['kind', 'text'],
        ['region_code', 'text'],
        ['region_code_year', 'integer'],
        ['credit_code', 'text'],
        ['active_from', 'integer'],
        ['active_until', 'integer'],
      ] as const) {
        await db.schema.alterTable('agencies').addColumn(name, type).execute();
      }
      await db.schema
        .alterTable('agencies')
        .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema.createIndex('agencies_credit_code').on('agencies').column('credit_code').execute();
      await db.schema.alterTable('reports').addColumn('content_hash', 'text').execute();
      await db.schema
        .alterTable('reports')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.alterTable('reports').addColumn('published_on', 'text').execute();
      await db.schema.alterTable('reports').addColumn('cells', 'text').execute();
      await db.schema.alterTable('reports').addColumn('batch_id', 'integer').execute();
      await db.schema.createIndex('reports_hash').on('reports').column('content_hash').execute();
      await db.schema.createIndex('reports_year').on('reports').column('year').execute();
      await addIdColumn(db, db.schema.createTable('intake'))
        .addColumn('batch_id', 'integer')
        .addColumn('scope_id', 'integer', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('original', blob, (c) => c.notNull())
        .addColumn('report', 'text', (c) => c.notNull())
        .addColumn('year', 'integer')
        .addColumn('published_on', 'text')
        .addColumn('candidates', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('report_id', 'integer')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'text')
        .execute();
      await db.schema.createIndex('intake_hash').on('intake').column('content_hash').execute();
      await db.schema.createIndex('intake_state').on('intake').columns(['scope_id', 'state']).execute();
      await addIdColumn(db, db.schema.createTable('intake_batches'))
        .addColumn('scope_id', 'integer', (c) => c.notNull())
        .addColumn('started_by', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('counts', 'text', (c) => c.notNull())
        .addColumn('outcomes', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('reviews')
        .addColumn('agency_id', 'integer', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('reviewed_by', 'text', (c) => c.notNull())
        .addColumn('reviewed_at', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addPrimaryKeyConstraint('reviews_pk', ['agency_id', 'year'])
        .execute();
      await db.schema
        .createTable('supervision_settings')
        .addColumn('agency_id', 'integer', (c) => c.primaryKey())
        .addColumn('deadlines', 'text')
        .addColumn('rubric', 'text')
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['supervision_settings', 'reviews', 'intake_batches', 'intake']) await db.schema.dropTable(t).execute();
    },
  },
  '1003_supervision_facts': {
    async up(db: Kysely<unknown>) {
      // the similarity with last year's report, computed once when a report is stored
      await db.schema.alterTable('reports').addColumn('prev_similarity', 'text').execute();
      await db.schema
        .createTable('copies_cache')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('pairs', 'text', (c) => c.notNull())
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('copies_cache').execute();
    },
  },
};

Object.assign(EXTRA_MIGRATIONS, SUPERVISION_MIGRATIONS);

function nowIso(): string {
  return new Date().toISOString();
}

async function audit(tx: SupTx, who: string, action: string, agencyId: number | null, entity: string, before: unknown, after: unknown) {
  await tx
    .insertInto('app_audit')
    .values({
      who,
      at: nowIso(),
      action,
      agency_id: agencyId,
      entity,
      before: before === null || before === undefined ? null : JSON.stringify(before),
      after: after === null || after === undefined ? null : JSON.stringify(after),
    })
    .execute();
}

// ---------------------------------------------------------------------------
// The directory
// ---------------------------------------------------------------------------

interface AgencyRow {
  id: number;
  name: string;
  parent_id: number | null;
  level: string;
  tier: string | null;
  kind: string | null;
  aliases: string;
  region_code: string | null;
  region_code_year: number | null;
  credit_code: string | null;
  active_from: number | null;
  active_until: number | null;
}

const BODY_COLUMNS = [
  'id',
  'name',
  'parent_id',
  'level',
  'tier',
  'kind',
  'aliases',
  'region_code',
  'region_code_year',
  'credit_code',
  'active_from',
  'active_until',
] as const;

/** the agency level of the app's older code (users, scopes) for a body */
export function levelOf(tier: Tier, kind: BodyKind): AgencyLevel {
  if (kind === 'department') return 'department';
  return tier === 'national' ? 'province' : tier;
}

function parseAliases(s: string): BodyAlias[] {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? (v as BodyAlias[]) : [];
  } catch {
    return [];
  }
}

/** every body, in id order: agencies stored before the directory existed get their tier from their level (a department: its parent's) */
export async function listBodies(db: AppDb | SupDb): Promise<Body[]> {
  const rows = (await supDb(db).selectFrom('agencies').select(BODY_COLUMNS).orderBy('id').execute()) as AgencyRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const tierOf = (r: AgencyRow, depth = 0): Tier => {
    if (r.tier) return r.tier as Tier;
    if (r.level !== 'department') return r.level as Tier;
    const p = r.parent_id === null ? undefined : byId.get(r.parent_id);
    return p && depth < 50 ? tierOf(p, depth + 1) : 'county';
  };
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    aliases: parseAliases(r.aliases),
    tier: tierOf(r),
    kind: (r.kind as BodyKind | null) ?? (r.level === 'department' ? 'department' : 'government'),
    parentId: r.parent_id,
    regionCode: r.region_code,
    regionCodeYear: r.region_code_year === null ? null : Number(r.region_code_year),
    creditCode: r.credit_code,
    activeFrom: r.active_from === null ? null : Number(r.active_from),
    activeUntil: r.active_until === null ? null : Number(r.active_until),
  }));
}

function bodyValues(b: Omit<Body, 'id'>) {
  return {
    name: b.name,
    parent_id: b.parentId,
    level: levelOf(b.tier, b.kind),
    tier: b.tier,
    kind: b.kind,
    aliases: JSON.stringify(b.aliases ?? []),
    region_code: b.regionCode,
    region_code_year: b.regionCodeYear,
    credit_code: b.creditCode,
    active_from: b.activeFrom,
    active_until: b.activeUntil,
  };
}

/**
 * stores a directory import (a plan of `planDirectory`, checked first): creates in order (a create's
 * parent is a stored body or an earlier create) and updates, in one transaction with one audit row;
 * returns the ids of the created bodies
 */
export async function applyDirectory(
  db: AppDb,
  plan: Pick<DirectoryPlan, 'creates' | 'updates'>,
  who: string,
  scopeId: number | null,
): Promise<number[]> {
  const parentOf = (ref: ParentRef | undefined, ids: number[]): number | null => {
    if (!ref) return null;
    if ('existingId' in ref) return ref.existingId;
    const id = ids[ref.createIndex];
    if (id === undefined)
      throw new StoreError(
        '机关名录中的上级关系有误（上级在其下级之后）。',
        'A parent in the directory comes after its child.',
        'bad-input',
      );
    return id;
  };
  return writeTx(regDb(db), async (t) => {
    const tx = asSup(t);
    const ids: number[] = [];
    for (const c of plan.creates) {
      const { row: _row, parentRef, ...rest } = c;
      const r = await tx
        .insertInto('agencies')
        .values(bodyValues({ ...rest, parentId: parentOf(parentRef, ids) }))
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(Number(r.id));
    }
    const current = new Map((await listBodies(tx as unknown as SupDb)).map((b) => [b.id, b]));
    for (const u of plan.updates) {
      const before = current.get(u.id);
      if (!before) throw new StoreError(`没有编号为 ${u.id} 的机关。`, `No body with id ${u.id}.`, 'not-found');
      const { id: _id, ...changes } = u.changes;
      const after = { ...before, ...changes, ...(u.parentRef ? { parentId: parentOf(u.parentRef, ids) } : {}) };
      await tx.updateTable('agencies').set(bodyValues(after)).where('id', '=', u.id).execute();
    }
    await audit(tx, who, 'directory:import', scopeId, 'directory', null, {
      created: plan.creates.length,
      updated: plan.updates.length,
      ids,
      updates: plan.updates,
    });
    return ids;
  });
}

// ---------------------------------------------------------------------------
// Filings (the stored reports, by body and year)
// ---------------------------------------------------------------------------

export interface FilingRow {
  reportId: number;
  bodyId: number;
  year: number;
  version: number;
  contentHash: string | null;
  publishedOn: string | null;
  errors: number;
  warnings: number;
  fileName: string;
  uploadedAt: string;
}

/** the stored reports of year Y (every version), oldest first */
export async function filingsOfYear(db: AppDb | SupDb, year: number): Promise<FilingRow[]> {
  const rows = await supDb(db)
    .selectFrom('reports')
    .select(['id', 'agency_id', 'year', 'version', 'content_hash', 'published_on', 'errors', 'warnings', 'file_name', 'uploaded_at'])
    .where('year', '=', year)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    reportId: Number(r.id),
    bodyId: Number(r.agency_id),
    year: Number(r.year),
    version: Number(r.version),
    contentHash: r.content_hash,
    publishedOn: r.published_on,
    errors: Number(r.errors),
    warnings: Number(r.warnings),
    fileName: r.file_name,
    uploadedAt: r.uploaded_at,
  }));
}

/** the years that have stored reports, newest first */
export async function reportYears(db: AppDb | SupDb): Promise<number[]> {
  const rows = await supDb(db).selectFrom('reports').select('year').distinct().where('year', 'is not', null).execute();
  return rows.map((r) => Number(r.year)).sort((a, b) => b - a);
}

/** the stored cells of the given reports (see `cellVector`) */
export async function cellsOfReports(db: AppDb | SupDb, ids: readonly number[]): Promise<Map<number, CellVector>> {
  const out = new Map<number, CellVector>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500) as number[];
    const rows = await supDb(db).selectFrom('reports').select(['id', 'cells', 'format']).where('id', 'in', chunk).execute();
    for (const r of rows) {
      if (!r.cells) continue;
      const format = (r.format === '2019' ? '2019' : '2021') as FormatVersion;
      const v = JSON.parse(r.cells) as unknown;
      if (Array.isArray(v)) out.set(Number(r.id), { format, values: v as (number | null)[] });
      else if (v && typeof v === 'object') {
        const cells = v as Cells;
        out.set(Number(r.id), { format, values: cellDefs(format).map((d) => cells[d.key] ?? null) });
      }
    }
  }
  return out;
}

/** a stored report as scoring reads it: `previousSimilarity` undefined when it was stored before that was kept */
export interface StoredAssessment {
  report: Report;
  diagnostics: Diagnostic[];
  previousSimilarity?: ScoringFacts['previousSimilarity'];
}

/** the Report JSON, diagnostics and stored similarity with last year of the given reports */
export async function reportsWithDiagnostics(db: AppDb | SupDb, ids: readonly number[]): Promise<Map<number, StoredAssessment>> {
  const out = new Map<number, StoredAssessment>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500) as number[];
    const rows = await supDb(db)
      .selectFrom('reports')
      .select(['id', 'report', 'diagnostics', 'prev_similarity'])
      .where('id', 'in', chunk)
      .execute();
    for (const r of rows) {
      const a: StoredAssessment = { report: JSON.parse(r.report) as Report, diagnostics: JSON.parse(r.diagnostics) as Diagnostic[] };
      if (r.prev_similarity !== null) a.previousSimilarity = JSON.parse(r.prev_similarity) as ScoringFacts['previousSimilarity'];
      out.set(Number(r.id), a);
    }
  }
  return out;
}

/** a stored report checked again (its previous year arrived after it): diagnostics, counts, similarity */
export async function updateAssessment(
  db: AppDb,
  reportId: number,
  a: {
    diagnostics: Diagnostic[];
    previousSimilarity: ScoringFacts['previousSimilarity'];
    figures: unknown;
    errors: number;
    warnings: number;
    infos: number;
  },
): Promise<void> {
  await writeTx(regDb(db), async (t) => {
    const tx = asSup(t);
    const before = await tx
      .selectFrom('reports')
      .select(['errors', 'warnings', 'infos', 'agency_id'])
      .where('id', '=', reportId)
      .executeTakeFirst();
    if (!before) return;
    await tx
      .updateTable('reports')
      .set({
        diagnostics: JSON.stringify(a.diagnostics),
        prev_similarity: JSON.stringify(a.previousSimilarity),
        figures: JSON.stringify(a.figures),
        errors: a.errors,
        warnings: a.warnings,
        infos: a.infos,
      })
      .where('id', '=', reportId)
      .execute();
    await audit(tx, 'nianbao', 'report:recheck', Number(before.agency_id), `report:${reportId}`, before, {
      errors: a.errors,
      warnings: a.warnings,
      infos: a.infos,
    });
  });
}

/** 雷同 pairs kept across restarts, by the key of the set of reports they were computed from */
export async function storedCopies(db: AppDb | SupDb, key: string): Promise<CopiedPair[] | undefined> {
  const r = await supDb(db).selectFrom('copies_cache').select('pairs').where('key', '=', key).executeTakeFirst();
  return r ? (JSON.parse(r.pairs) as CopiedPair[]) : undefined;
}

export async function storeCopies(db: AppDb, key: string, year: number, pairs: CopiedPair[]): Promise<void> {
  await writeTx(regDb(db), async (t) => {
    const tx = asSup(t);
    await tx.deleteFrom('copies_cache').where('key', '=', key).execute();
    // a year keeps its latest few computations (the older ones belong to sets of reports since changed)
    const old = await tx
      .selectFrom('copies_cache')
      .select(['key'])
      .where('year', '=', year)
      .orderBy('computed_at', 'desc')
      .offset(3)
      .limit(1000)
      .execute();
    if (old.length)
      await tx
        .deleteFrom('copies_cache')
        .where(
          'key',
          'in',
          old.map((o) => o.key),
        )
        .execute();
    await tx
      .insertInto('copies_cache')
      .values({ key, year, pairs: JSON.stringify(pairs), computed_at: nowIso() })
      .execute();
  });
}

/** is a file with this content hash stored (as a report or waiting in intake)? */
export async function knownHash(db: AppDb | SupDb, hash: string): Promise<{ reportId: number | null; intakeId: number | null }> {
  const s = supDb(db);
  const r = await s.selectFrom('reports').select('id').where('content_hash', '=', hash).executeTakeFirst();
  if (r) return { reportId: Number(r.id), intakeId: null };
  const i = await s.selectFrom('intake').select('id').where('content_hash', '=', hash).where('state', '<>', 'rejected').executeTakeFirst();
  return { reportId: null, intakeId: i ? Number(i.id) : null };
}

/** the version number of a stored report */
export async function versionOf(db: AppDb | SupDb, reportId: number): Promise<number> {
  const r = await supDb(db).selectFrom('reports').select('version').where('id', '=', reportId).executeTakeFirst();
  return Number(r?.version ?? 1);
}

// ---------------------------------------------------------------------------
// Intake: files waiting for a person to confirm their body
// ---------------------------------------------------------------------------

export interface PendingFile {
  id: number;
  batchId: number | null;
  scopeId: number;
  fileName: string;
  contentHash: string;
  kind: string;
  year: number | null;
  publishedOn: string | null;
  agency: string | null;
  candidates: MatchCandidate[];
  state: 'pending' | 'attached' | 'rejected';
  reportId: number | null;
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

export async function addPending(
  db: AppDb,
  p: {
    batchId: number | null;
    scopeId: number;
    fileName: string;
    contentHash: string;
    kind: string;
    original: Uint8Array;
    report: Report;
    publishedOn: string | null;
    candidates: MatchCandidate[];
  },
  who: string,
): Promise<number> {
  return writeTx(regDb(db), async (t) => {
    const tx = asSup(t);
    const r = await tx
      .insertInto('intake')
      .values({
        batch_id: p.batchId,
        scope_id: p.scopeId,
        file_name: p.fileName,
        content_hash: p.contentHash,
        kind: p.kind,
        original: Buffer.from(p.original.buffer, p.original.byteOffset, p.original.byteLength),
        report: JSON.stringify(p.report),
        year: p.report.year,
        published_on: p.publishedOn,
        candidates: JSON.stringify(p.candidates),
        state: 'pending',
        report_id: null,
        created_by: who,
        created_at: nowIso(),
        decided_by: null,
        decided_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(r.id);
    await audit(tx, who, 'intake:pending', p.scopeId, `intake:${id}`, null, { fileName: p.fileName, candidates: p.candidates });
    return id;
  });
}

const PENDING_COLUMNS = [
  'id',
  'batch_id',
  'scope_id',
  'file_name',
  'content_hash',
  'kind',
  'year',
  'published_on',
  'candidates',
  'state',
  'report_id',
  'created_by',
  'created_at',
  'decided_by',
  'decided_at',
  'report',
] as const;

function pendingOf(r: Record<(typeof PENDING_COLUMNS)[number], unknown>): PendingFile {
  let agency: string | null = null;
  try {
    agency = (JSON.parse(String(r.report)) as Report).agency ?? null;
  } catch {
    agency = null;
  }
  return {
    id: Number(r.id),
    batchId: r.batch_id === null ? null : Number(r.batch_id),
    scopeId: Number(r.scope_id),
    fileName: String(r.file_name),
    contentHash: String(r.content_hash),
    kind: String(r.kind),
    year: r.year === null ? null : Number(r.year),
    publishedOn: (r.published_on as string | null) ?? null,
    agency,
    candidates: JSON.parse(String(r.candidates)) as MatchCandidate[],
    state: r.state as PendingFile['state'],
    reportId: r.report_id === null ? null : Number(r.report_id),
    createdBy: String(r.created_by),
    createdAt: String(r.created_at),
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAt: (r.decided_at as string | null) ?? null,
  };
}

/** the files waiting in the scopes given (all states with `all`) */
export async function listPending(db: AppDb | SupDb, scopeIds: readonly number[], all = false): Promise<PendingFile[]> {
  if (scopeIds.length === 0) return [];
  let q = supDb(db)
    .selectFrom('intake')
    .select([...PENDING_COLUMNS])
    .where('scope_id', 'in', scopeIds as number[]);
  if (!all) q = q.where('state', '=', 'pending');
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => pendingOf(r as never));
}

export async function getPending(
  db: AppDb | SupDb,
  id: number,
): Promise<(PendingFile & { original: Uint8Array; report: Report }) | undefined> {
  const r = await supDb(db)
    .selectFrom('intake')
    .select([...PENDING_COLUMNS, 'original'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  return { ...pendingOf(r as never), original: new Uint8Array(r.original), report: JSON.parse(r.report) as Report };
}

/** marks a waiting file decided: attached to a stored report, or rejected */
export async function decidePending(db: AppDb, id: number, decision: { reportId: number | null }, who: string): Promise<void> {
  await writeTx(regDb(db), async (t) => {
    const tx = asSup(t);
    const r = await tx.selectFrom('intake').select(['state', 'scope_id']).where('id', '=', id).executeTakeFirst();
    if (!r) throw new StoreError(`没有编号为 ${id} 的待确认文件。`, `No file waiting with id ${id}.`, 'not-found');
    if (r.state !== 'pending') throw new StoreError('这个文件已经处理过了。', 'This file has already been decided.', 'duplicate');
    const state = decision.reportId === null ? 'rejected' : 'attached';
    await tx
      .updateTable('intake')
      .set({ state, report_id: decision.reportId, decided_by: who, decided_at: nowIso() })
      .where('id', '=', id)
      .execute();
    await audit(
      tx,
      who,
      `intake:${state}`,
      Number(r.scope_id),
      `intake:${id}`,
      { state: 'pending' },
      { state, reportId: decision.reportId },
    );
  });
}

// ---------------------------------------------------------------------------
// Batches
// ---------------------------------------------------------------------------

export interface IntakeCounts {
  /** files handled so far */
  done: number;
  stored: number;
  versions: number;
  duplicates: number;
  pending: number;
  failed: number;
}

export type IntakeOutcome =
  | {
      file: string;
      outcome: 'stored';
      reportId: number;
      bodyId: number;
      bodyName: string;
      year: number;
      version: number;
      confidence: number;
      /** a later version whose content (cells and narrative) is that of the version before: another format or file of it */
      sameContent?: boolean;
    }
  | { file: string; outcome: 'duplicate'; reportId: number | null; intakeId: number | null }
  | { file: string; outcome: 'pending'; intakeId: number; reason: string; candidates: MatchCandidate[] }
  | { file: string; outcome: 'failed'; message: string; messageEn: string };

export interface BatchRow {
  id: number;
  scopeId: number;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  total: number;
  counts: IntakeCounts;
  outcomes: IntakeOutcome[];
}

export const EMPTY_COUNTS: IntakeCounts = { done: 0, stored: 0, versions: 0, duplicates: 0, pending: 0, failed: 0 };

export async function createBatch(db: AppDb, scopeId: number, total: number, who: string): Promise<number> {
  return writeTx(regDb(db), async (t) => {
    const r = await asSup(t)
      .insertInto('intake_batches')
      .values({
        scope_id: scopeId,
        started_by: who,
        started_at: nowIso(),
        finished_at: null,
        total,
        counts: JSON.stringify(EMPTY_COUNTS),
        outcomes: '[]',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  });
}

export async function updateBatch(
  db: AppDb,
  id: number,
  counts: IntakeCounts,
  outcomes: IntakeOutcome[],
  finished: boolean,
): Promise<void> {
  await writeTx(regDb(db), async (t) => {
    await asSup(t)
      .updateTable('intake_batches')
      .set({ counts: JSON.stringify(counts), outcomes: JSON.stringify(outcomes), ...(finished ? { finished_at: nowIso() } : {}) })
      .where('id', '=', id)
      .execute();
  });
}

export async function getBatch(db: AppDb | SupDb, id: number): Promise<BatchRow | undefined> {
  const r = await supDb(db).selectFrom('intake_batches').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  return {
    id: Number(r.id),
    scopeId: Number(r.scope_id),
    startedBy: r.started_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    total: Number(r.total),
    counts: JSON.parse(r.counts) as IntakeCounts,
    outcomes: JSON.parse(r.outcomes) as IntakeOutcome[],
  };
}

// ---------------------------------------------------------------------------
// Reviews and settings
// ---------------------------------------------------------------------------

export async function setReview(db: AppDb, bodyId: number, year: number, who: string, note = ''): Promise<void> {
  await writeTx(regDb(db), async (t) => {
    const tx = asSup(t);
    const before = await tx.selectFrom('reviews').selectAll().where('agency_id', '=', bodyId).where('year', '=', year).executeTakeFirst();
    const at = nowIso();
    if (before) {
      await tx
        .updateTable('reviews')
        .set({ reviewed_by: who, reviewed_at: at, note })
        .where('agency_id', '=', bodyId)
        .where('year', '=', year)
        .execute();
    } else await tx.insertInto('reviews').values({ agency_id: bodyId, year, reviewed_by: who, reviewed_at: at, note }).execute();
    await audit(tx, who, 'review', bodyId, `review:${bodyId}:${year}`, before ?? null, { by: who, at, note });
  });
}

export async function reviewsOfYear(db: AppDb | SupDb, year: number): Promise<Map<number, { by: string; at: string; note: string }>> {
  const rows = await supDb(db).selectFrom('reviews').selectAll().where('year', '=', year).execute();
  return new Map(rows.map((r) => [Number(r.agency_id), { by: r.reviewed_by, at: r.reviewed_at, note: r.note }]));
}

export interface SupervisionSettings {
  deadlines: Deadlines | null;
  rubric: unknown | null;
}

/** the settings that apply to a body: its own, else the nearest ancestor's with settings */
export async function settingsFor(
  db: AppDb | SupDb,
  bodyId: number,
  bodies: readonly Body[],
): Promise<SupervisionSettings & { from: number | null }> {
  const rows = await supDb(db).selectFrom('supervision_settings').selectAll().execute();
  const byId = new Map(rows.map((r) => [Number(r.agency_id), r]));
  const parent = new Map(bodies.map((b) => [b.id, b.parentId]));
  const out: SupervisionSettings & { from: number | null } = { deadlines: null, rubric: null, from: null };
  const seen = new Set<number>();
  for (let at: number | null | undefined = bodyId; at !== null && at !== undefined && !seen.has(at); at = parent.get(at)) {
    seen.add(at);
    const r = byId.get(at);
    if (!r) continue;
    if (out.deadlines === null && r.deadlines) out.deadlines = JSON.parse(r.deadlines) as Deadlines;
    if (out.rubric === null && r.rubric) out.rubric = JSON.parse(r.rubric);
    out.from ??= at;
  }
  return out;
}

export async function saveSettings(db: AppDb, bodyId: number, settings: Partial<SupervisionSettings>, who: string): Promise<void> {
  await writeTx(regDb(db), async (t) => {
    const tx = asSup(t);
    const before = await tx.selectFrom('supervision_settings').selectAll().where('agency_id', '=', bodyId).executeTakeFirst();
    const values = {
      deadlines:
        settings.deadlines === undefined ? (before?.deadlines ?? null) : settings.deadlines ? JSON.stringify(settings.deadlines) : null,
      rubric: settings.rubric === undefined ? (before?.rubric ?? null) : settings.rubric ? JSON.stringify(settings.rubric) : null,
      updated_by: who,
      updated_at: nowIso(),
    };
    if (before) await tx.updateTable('supervision_settings').set(values).where('agency_id', '=', bodyId).execute();
    else
      await tx
        .insertInto('supervision_settings')
        .values({ agency_id: bodyId, ...values })
        .execute();
    await audit(tx, who, 'supervision:settings', bodyId, `settings:${bodyId}`, before ?? null, values);
  });
}

export { appDb };
