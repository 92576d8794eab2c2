/**
 * The 台账 (ledger) on the database: what a plan of src/register/ledger.ts means for a register
 * (each row new, already there, or in conflict), the import itself, and the cases an export shows.
 *
 * The import is ONE write transaction (`writeTx`): the rows are compared with the register again
 * under the write lock, every new case is written with its `events` rows and an `audit` row (action
 * `import`), and one `ledger_imports` row records the file (name, SHA-256), the mapping, the counts
 * and the ids. Rows identical to a case of the register are skipped (the same file imported twice
 * adds nothing); rows in error or in conflict are not imported. If anything fails, nothing is
 * written. An import that would add nothing writes nothing (no `ledger_imports` row either).
 */
import type { WorkingCalendar } from '../register/calendar.js';
import { type EnteredNotice, shippedHolidays } from '../register/calendar.js';
import { baseOf, type Case, type CaseStatus } from '../register/case.js';
import {
  comparable,
  type LedgerExportItem,
  type LedgerMessage,
  type LedgerNotice,
  type LedgerPlan,
  type LedgerReadOptions,
  type LedgerRow,
  type MappingInput,
  matchesQuery,
  readLedger,
  replayLedgerRow,
} from '../register/ledger.js';
import { safeCaseView } from '../register/view.js';
import type { Db } from './db.js';
import { calendarFor, enteredNotices } from './holidays.js';
import { listNoticeSummaries } from './notices.js';
import { type CaseEntry, type CaseFilter, caseRow, listEntries, type Tx, writeTx } from './register.js';

/** rows per multi-row INSERT (SQLite allows 32766 bound values; a cases row has 10) */
const CHUNK = 400;

function parseCase(data: string): Case | null {
  try {
    const c = JSON.parse(data) as Case;
    return c && typeof c === 'object' && c.applicant && Array.isArray(c.events) ? c : null;
  } catch {
    return null;
  }
}

function conflictMessage(id: string, stored: Case | null, row: LedgerRow): LedgerMessage {
  let what = { zh: '登记簿中的数据无法读取', en: 'the stored case cannot be read' };
  if (stored && row.input) {
    const sameBase = comparable(baseOf(stored), [], row.defaulted) === comparable(row.input, [], row.defaulted);
    what = sameBase
      ? { zh: '申请信息相同，但事件不同', en: 'the application is the same but the events differ' }
      : { zh: '申请信息不同', en: 'the application differs' };
  }
  return {
    zh: `登记簿中已有编号为“${id}”的申请，内容与本行不同（${what.zh}），本行未导入；请核对编号或在登记簿中更正。`,
    en: `The register already has a case "${id}" with different content (${what.en}); this row is not imported.`,
  };
}

/**
 * The plan with each importable row compared with the agency's register: `exists` when the register
 * has the same application with the same events (registeredBy and the events' `by` left out when the
 * file did not give them), `conflict` when it has another case under that number, else `new`.
 */
export async function classifyLedger(db: Db | Tx, plan: LedgerPlan, agency = ''): Promise<LedgerPlan> {
  const rows = plan.rows.map((r) => ({ ...r, problems: r.case ? [] : r.problems }));
  const candidates = rows.filter((r) => r.case !== null);
  const stored = new Map<string, string>();
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const ids = candidates.slice(i, i + CHUNK).map((r) => r.caseId);
    const found = await db.selectFrom('cases').select(['id', 'data']).where('agency_id', '=', agency).where('id', 'in', ids).execute();
    for (const f of found) stored.set(f.id, f.data);
  }
  for (const r of candidates) {
    const data = stored.get(r.caseId);
    if (data === undefined) {
      r.status = 'new';
      continue;
    }
    const c = parseCase(data);
    const same =
      c !== null && r.input !== null && comparable(baseOf(c), c.events, r.defaulted) === comparable(r.input, r.events, r.defaulted);
    r.status = same ? 'exists' : 'conflict';
    if (!same) r.problems = [conflictMessage(r.caseId, c, r)];
  }
  return { ...plan, rows };
}

export interface LedgerImportResult {
  /** the plan as compared inside the transaction (rows imported are those `new`) */
  plan: LedgerPlan;
  imported: number;
  ids: string[];
  /** the `ledger_imports` row, or null when nothing was imported */
  importId: number | null;
}

/**
 * Imports the new rows of a plan into the agency's register in one transaction (see the module
 * comment). With a calendar other than the plan's (a holiday notice entered since the dry run), the
 * rows are replayed again under it; a row it refuses is not imported (status `error`).
 */
export async function importLedger(
  db: Db,
  plan: LedgerPlan,
  opts: { agency?: string; user: string; calendar?: WorkingCalendar },
): Promise<LedgerImportResult> {
  const agency = opts.agency ?? '';
  return writeTx(db, async (tx) => {
    const classified = await classifyLedger(tx, plan, agency);
    const calendar = opts.calendar ?? (await calendarFor(tx, agency));
    if (calendar.revision !== plan.calendarRevision) {
      for (const r of classified.rows) {
        if (r.status !== 'new' || !r.input) continue;
        const again = replayLedgerRow(r.input, r.events, calendar, plan.today);
        r.case = again.case;
        r.warnings = [...r.warnings.filter((w) => !w.zh.includes('（已按记录导入）')), ...again.warnings];
        if (!again.case) {
          r.status = 'error';
          r.problems = again.problems;
        }
      }
    }
    const fresh = classified.rows.filter((r): r is LedgerRow & { case: Case } => r.status === 'new' && r.case !== null);
    if (fresh.length === 0) return { plan: classified, imported: 0, ids: [], importId: null };
    const at = new Date().toISOString();
    for (let i = 0; i < fresh.length; i += CHUNK) {
      const part = fresh.slice(i, i + CHUNK);
      await tx
        .insertInto('cases')
        .values(part.map((r) => caseRow(r.case, at, agency)))
        .execute();
      const events = part.flatMap((r) =>
        r.case.events.map((e, k) => ({ agency_id: agency, case_id: r.case.id, seq: k + 1, data: JSON.stringify(e), user: opts.user, at })),
      );
      for (let j = 0; j < events.length; j += CHUNK) {
        await tx
          .insertInto('events')
          .values(events.slice(j, j + CHUNK))
          .execute();
      }
      await tx
        .insertInto('audit')
        .values(
          part.map((r) => ({
            who: opts.user,
            at,
            action: 'import',
            agency_id: agency,
            case_id: r.case.id,
            before: null,
            after: JSON.stringify(r.case),
          })),
        )
        .execute();
    }
    const ids = fresh.map((r) => r.case.id);
    const total = plan.rows.length + plan.skipped;
    const fileName = plan.eventsFile ? `${plan.fileName}；${plan.eventsFile.name}` : plan.fileName;
    const row = await tx
      .insertInto('ledger_imports')
      .values({
        agency_id: agency,
        file_name: fileName,
        sha256: plan.sha256,
        mapping: JSON.stringify(plan.mapping),
        rows: total,
        imported: ids.length,
        skipped: total - ids.length,
        ids: JSON.stringify(ids),
        by: opts.user,
        at,
      })
      .returning('id')
      .executeTakeFirst();
    return { plan: classified, imported: ids.length, ids, importId: row?.id ?? null };
  });
}

export interface LedgerImportRecord {
  id: number;
  agencyId: string;
  fileName: string;
  sha256: string;
  mapping: Record<string, number | null>;
  rows: number;
  imported: number;
  skipped: number;
  ids: string[];
  by: string;
  at: string;
}

/** the imports into an agency's register, oldest first */
export async function ledgerImports(db: Db, agency = ''): Promise<LedgerImportRecord[]> {
  const rows = await db.selectFrom('ledger_imports').selectAll().where('agency_id', '=', agency).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    agencyId: r.agency_id,
    fileName: r.file_name,
    sha256: r.sha256,
    mapping: JSON.parse(r.mapping) as Record<string, number | null>,
    rows: r.rows,
    imported: r.imported,
    skipped: r.skipped,
    ids: JSON.parse(r.ids) as string[],
    by: r.by,
    at: r.at,
  }));
}

/**
 * The holiday notices the register's calendar is built from (for a worker, which cannot be handed
 * the calendar itself): those whose ids `calendarFor` used.
 */
export async function registerNotices(db: Db, register = ''): Promise<{ entered: EnteredNotice[]; revision: string }> {
  const cal = await calendarFor(db, register);
  const version = shippedHolidays().version;
  const used = cal.revision.startsWith(`${version}+`) ? new Set(cal.revision.slice(version.length + 1).split(',')) : new Set<string>();
  const entered = used.size === 0 ? [] : (await enteredNotices(db)).filter((n) => used.has(String(n.id ?? n.enteredAt)));
  return { entered, revision: cal.revision };
}

/** a 台账 file read in this thread (the CLI) and compared with the register */
export async function planLedgerFile(
  db: Db,
  bytes: Uint8Array,
  fileName: string,
  mapping: MappingInput | null,
  opts: Omit<LedgerReadOptions, 'calendar' | 'entered'> & { agency?: string },
): Promise<LedgerPlan> {
  const agency = opts.agency ?? '';
  const calendar = await calendarFor(db, agency);
  const plan = await readLedger(bytes, fileName, mapping, { today: opts.today, user: opts.user, events: opts.events, calendar });
  return classifyLedger(db, plan, agency);
}

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

/** the list's filters (GET /api/cases): CaseFilter with `status` and a search `q` */
export interface LedgerExportFilter extends Omit<CaseFilter, 'agency' | 'open'> {
  status?: 'open' | 'closed' | 'overdue' | 'dueSoon';
  q?: string;
}

/** the notices issued in a register, for 已发文书 */
export function noticeSummaries(db: Db, agency: string): Promise<LedgerNotice[]> {
  return listNoticeSummaries(db, agency);
}

/**
 * The cases of one register an export shows, in the list's order (date of receipt, then id), each with
 * its status today under the register's calendar and its notices; cases whose stored data cannot be
 * read are returned apart (`unreadable`), never exported half.
 */
export async function ledgerExportItems(
  db: Db,
  register: string,
  filter: LedgerExportFilter,
  today: string,
  agencyName?: string,
): Promise<{ items: LedgerExportItem[]; unreadable: CaseEntry[] }> {
  const entries = await listEntries(db, {
    agency: register,
    open: filter.status === 'closed' ? false : filter.status ? true : undefined,
    applicantType: filter.applicantType,
    receivedFrom: filter.receivedFrom,
    receivedTo: filter.receivedTo,
  });
  const items: LedgerExportItem[] = [];
  const unreadable: CaseEntry[] = [];
  if (entries.length === 0) return { items, unreadable };
  const calendar = await calendarFor(db, register);
  const notices = new Map<string, LedgerNotice[]>();
  for (const n of await noticeSummaries(db, register)) notices.set(n.caseId, [...(notices.get(n.caseId) ?? []), n]);
  for (const e of entries) {
    if (!e.case) {
      unreadable.push(e);
      continue;
    }
    if (!matchesQuery(e.case, filter.q)) continue;
    const v = safeCaseView(e.case, today, { calendar });
    if (filter.status === 'overdue' && !v.status.overdue) continue;
    if (filter.status === 'dueSoon' && !v.status.dueSoon) continue;
    const status: CaseStatus | null = v.due || !v.problem ? v.status : null;
    items.push({ case: e.case, status, notices: notices.get(e.id) ?? [], ...(agencyName !== undefined ? { agency: agencyName } : {}) });
  }
  return { items, unreadable };
}
