/**
 * The application register on the database: every change is one transaction that writes the
 * case, its event and an audit row (who, when, before/after). The domain (`../register/case.js`)
 * decides every transition: a TransitionError is thrown before anything is written, and the
 * transaction is rolled back, so the database is left unchanged.
 *
 * Write transactions take the write lock before reading: `BEGIN IMMEDIATE` on SQLite, a
 * transaction with `SELECT … FOR UPDATE` of the case row on PostgreSQL, so two processes adding
 * events to one case cannot lose an update.
 *
 * Every agency keeps its own register: cases are keyed by (agency, id); the CLI's register is the
 * unnamed agency ''. Each function takes the agency last, defaulting to ''.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import {
  APPLICANT_TYPES,
  amendCase,
  applyEvent,
  type Case,
  type CaseAmendment,
  type CaseEvent,
  type CaseOptions,
  createCase,
  type NewCase,
  OUTCOMES_2021,
  type Outcome,
  type Proceeding,
  priorApplicationsThisMonth,
  voidEvent,
} from '../register/case.js';
import type { StatsCase } from '../register/stats.js';
import { type CaseProblem, problemOf } from '../register/view.js';
import { type Database, type Db, dbKind, StoreError, tagKind } from './db.js';
import { calendarFor } from './holidays.js';

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
  agencyId: string;
  caseId: string;
  before: Case | null;
  after: Case | null;
}

export interface CaseFilter {
  /** the agency's register ('' = the unnamed one); an array = several agencies' registers */
  agency?: string | readonly string[];
  /** only open (true) or only closed (false) cases */
  open?: boolean;
  applicantType?: Case['applicantType'];
  /** received on or after, YYYY-MM-DD */
  receivedFrom?: string;
  /** received on or before, YYYY-MM-DD */
  receivedTo?: string;
}

function now(): string {
  return new Date().toISOString();
}

function unknownCase(id: string): StoreError {
  return new StoreError(`登记簿中没有编号为“${id}”的申请。`, `No case with id "${id}" in the register.`, 'not-found');
}

export type Tx = Kysely<Database> | Transaction<Database>;

/**
 * runs `fn` in a write transaction on one connection: commit on success, rollback on any error.
 * SQLite: BEGIN IMMEDIATE (the write lock first). PostgreSQL: a plain transaction; rows to be
 * updated are read with `FOR UPDATE` (`lockCase`).
 */
export async function writeTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (dbKind(db) === 'postgres') {
    return db.transaction().execute((tx) => {
      tagKind(tx, 'postgres');
      return fn(tx);
    });
  }
  // better-sqlite3 runs on this thread: write transactions take turns, and each waits for a turn of
  // the event loop first, so that pending I/O (other requests) gets through between two of them —
  // otherwise a burst of writes runs back to back in one go and holds everything else
  const prev = turns.get(db) ?? Promise.resolve();
  let release = () => {};
  const mine = new Promise<void>((r) => {
    release = r;
  });
  turns.set(
    db,
    prev.then(() => mine),
  );
  await prev;
  await new Promise((r) => setImmediate(r));
  try {
    return await sqliteTx(db, fn);
  } finally {
    release();
  }
}

/** the queue of write transactions of each SQLite database (see writeTx) */
const turns = new WeakMap<object, Promise<void>>();

async function sqliteTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const out = await fn(conn);
      await sql`commit`.execute(conn);
      return out;
    } catch (e) {
      await sql`rollback`.execute(conn);
      throw e;
    }
  });
}

/** the `cases` row of a case (the JSON and the columns read by filters and statistics) */
export function caseRow(c: Case, at: string, agency: string) {
  return {
    agency_id: agency,
    id: c.id,
    data: JSON.stringify(c),
    applicant_type: c.applicantType,
    received_on: c.receivedOn,
    closed: c.state.closed ? 1 : 0,
    outcome: c.state.closed?.outcome ?? null,
    updated_at: at,
    closed_on: c.state.closed?.on ?? null,
    proceedings: JSON.stringify(c.state.proceedings),
  };
}

function duplicate(id: string): StoreError {
  return new StoreError(`登记簿中已有编号为“${id}”的申请。`, `A case with id "${id}" is already in the register.`, 'duplicate');
}

/**
 * registers a new application (validated by createCase); `user` is recorded as registeredBy when the
 * input has none; with `opts.today`, a date of receipt after today is refused
 */
export async function addCase(db: Db, input: NewCase, user: string, agency = '', opts: { today?: string } = {}): Promise<Case> {
  const c = createCase({ ...input, registeredBy: input.registeredBy || user }, opts);
  try {
    return await writeTx(db, async (tx) => {
      const existing = await tx.selectFrom('cases').select('id').where('agency_id', '=', agency).where('id', '=', c.id).executeTakeFirst();
      if (existing) throw duplicate(c.id);
      const at = now();
      await tx
        .insertInto('cases')
        .values(caseRow(c, at, agency))
        .execute();
      await tx
        .insertInto('audit')
        .values({ who: user, at, action: 'add', agency_id: agency, case_id: c.id, before: null, after: JSON.stringify(c) })
        .execute();
      return c;
    });
  } catch (e) {
    // PostgreSQL: two concurrent adds of one id both pass the check; the key refuses the second
    if ((e as { code?: string }).code === '23505') throw duplicate(c.id);
    throw e;
  }
}

/**
 * registers a new application under the next free number `YYYY-NNN` of the agency's register (YYYY:
 * the year of arrival, or `opts.year`; NNN: one more than the highest such number, at least three
 * digits). The number is taken inside the transaction that inserts the case, under a lock that
 * serialises the numbering of one (register, year): SQLite's write lock (BEGIN IMMEDIATE), on
 * PostgreSQL a transaction-scoped advisory lock — so concurrent adds never collide. Otherwise as
 * `addCase` (validation, `opts.today`, registeredBy, the audit row).
 */
export async function addCaseNumbered(
  db: Db,
  input: Omit<NewCase, 'id'> & { id?: undefined },
  user: string,
  agency = '',
  opts: { today?: string; year?: string } = {},
): Promise<Case> {
  // validated before the transaction, with a stand-in number
  const { id: _none, ...fields } = input;
  const draft = createCase({ id: '0000-000', ...fields, registeredBy: input.registeredBy || user } as NewCase, opts);
  const year = opts.year ?? draft.receipt.arrivedOn.slice(0, 4);
  if (!/^\d{4}$/.test(year)) throw new StoreError(`年份“${year}”无效。`, `Invalid year "${year}".`, 'bad-input');
  const re = new RegExp(`^${year}-(\\d+)$`);
  // a case added at the same moment under an explicit id (which takes no numbering lock) may take our number: try the next
  for (let attempt = 0; ; attempt++) {
    try {
      return await writeTx(db, async (tx) => {
        if (dbKind(db) === 'postgres') {
          await sql`select pg_advisory_xact_lock(hashtext(${`nianbao:case-number:${agency}:${year}`}))`.execute(tx);
        }
        const rows = await tx.selectFrom('cases').select('id').where('agency_id', '=', agency).where('id', 'like', `${year}-%`).execute();
        let max = 0;
        for (const r of rows) {
          const m = re.exec(r.id);
          if (m) max = Math.max(max, Number(m[1]));
        }
        const c: Case = { ...draft, id: `${year}-${String(max + 1).padStart(3, '0')}` };
        const at = now();
        await tx
          .insertInto('cases')
          .values(caseRow(c, at, agency))
          .execute();
        await tx
          .insertInto('audit')
          .values({ who: user, at, action: 'add', agency_id: agency, case_id: c.id, before: null, after: JSON.stringify(c) })
          .execute();
        return c;
      });
    } catch (e) {
      if ((e as { code?: string }).code !== '23505' || attempt >= 3) throw e;
    }
  }
}

/** the case row for update: under the transaction's write lock on either database */
async function lockCase(tx: Tx, db: Db, caseId: string, agency: string): Promise<{ data: string } | undefined> {
  const q = tx.selectFrom('cases').select('data').where('agency_id', '=', agency).where('id', '=', caseId);
  return (dbKind(db) === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
}

/**
 * A 按件 fee notice without `priorThisMonth`: the count is taken from the register — applications
 * by the same identity document received earlier in the same calendar month (109号第四条).
 */
async function withPriorCount(tx: Tx, c: Case, event: CaseEvent, agency: string): Promise<CaseEvent> {
  if (event.type !== 'feeNotice' || event.fee.method !== 'perApplication') return event;
  const given = (event.fee as { priorThisMonth?: number }).priorThisMonth;
  if (given !== undefined && given !== null) return event;
  const month = c.receivedOn.slice(0, 7);
  const rows = await tx
    .selectFrom('cases')
    .select('data')
    .where('agency_id', '=', agency)
    .where('received_on', '>=', `${month}-01`)
    .where('received_on', '<=', `${month}-31`)
    .orderBy('received_on')
    .orderBy('id')
    .execute();
  const cases = rows.map((r) => JSON.parse(r.data) as Case);
  return { ...event, fee: { ...event.fee, priorThisMonth: priorApplicationsThisMonth(cases, c) } };
}

/** the stored case, or a StoreError when its JSON is damaged */
function parseStored(data: string, id: string): Case {
  try {
    return JSON.parse(data) as Case;
  } catch {
    throw new StoreError(`登记簿中申请“${id}”的数据已损坏，无法读取。`, `The stored data of case "${id}" is damaged.`, 'damaged');
  }
}

/**
 * applies `event` to the case (the domain decides); `user` is recorded as the event's `by` when it has
 * none. The working-day calendar is the register's (`calendarFor`) unless `opts.calendar` is given.
 */
export async function addEvent(db: Db, caseId: string, event: CaseEvent, user: string, opts: CaseOptions = {}, agency = ''): Promise<Case> {
  return writeTx(db, async (tx) => {
    const r = await lockCase(tx, db, caseId, agency);
    if (!r) throw unknownCase(caseId);
    const before = parseStored(r.data, caseId);
    const { voided: _v, ...given } = event as CaseEvent & { voided?: unknown };
    const e = (await withPriorCount(tx, before, { ...given, by: event.by || user } as CaseEvent, agency)) as CaseEvent;
    const calendar = opts.calendar ?? (await calendarFor(tx, agency));
    const after = applyEvent(before, e, { ...opts, calendar });
    const at = now();
    const { id: _id, agency_id: _agency, ...rest } = caseRow(after, at, agency);
    await tx.updateTable('cases').set(rest).where('agency_id', '=', agency).where('id', '=', caseId).execute();
    await tx
      .insertInto('events')
      .values({ agency_id: agency, case_id: caseId, seq: after.events.length, data: JSON.stringify(e), user, at })
      .execute();
    await tx
      .insertInto('audit')
      .values({
        who: user,
        at,
        action: `event:${e.type}`,
        agency_id: agency,
        case_id: caseId,
        before: r.data,
        after: JSON.stringify(after),
      })
      .execute();
    return after;
  });
}

/**
 * one correction of a stored case in a transaction: the case locked, changed by `change` (the domain
 * decides, under the register's calendar), written back with an audit row of `action`
 */
async function correctCase(
  db: Db,
  caseId: string,
  agency: string,
  user: string,
  action: string,
  opts: CaseOptions,
  change: (before: Case, opts: CaseOptions) => Case,
  alsoWrite?: (tx: Tx, after: Case) => Promise<void>,
): Promise<Case> {
  return writeTx(db, async (tx) => {
    const r = await lockCase(tx, db, caseId, agency);
    if (!r) throw unknownCase(caseId);
    const before = parseStored(r.data, caseId);
    const calendar = opts.calendar ?? (await calendarFor(tx, agency));
    const after = change(before, { ...opts, calendar });
    const at = now();
    const { id: _id, agency_id: _agency, ...rest } = caseRow(after, at, agency);
    await tx.updateTable('cases').set(rest).where('agency_id', '=', agency).where('id', '=', caseId).execute();
    await alsoWrite?.(tx, after);
    await tx
      .insertInto('audit')
      .values({ who: user, at, action, agency_id: agency, case_id: caseId, before: r.data, after: JSON.stringify(after) })
      .execute();
    return after;
  });
}

/**
 * voids event `seq` (1-based) of a case: the event is kept and marked (who, when, why), the case
 * recomputed without it; one transaction with an audit row. Refused (TransitionError) when a later
 * event depends on it.
 */
export function voidCaseEvent(
  db: Db,
  caseId: string,
  seq: number,
  reason: string,
  user: string,
  opts: CaseOptions = {},
  agency = '',
): Promise<Case> {
  return correctCase(
    db,
    caseId,
    agency,
    user,
    `void:${seq}`,
    opts,
    (before, o) => voidEvent(before, seq, { by: user, reason }, o),
    async (tx, after) => {
      await tx
        .updateTable('events')
        .set({ data: JSON.stringify(after.events[seq - 1]) })
        .where('agency_id', '=', agency)
        .where('case_id', '=', caseId)
        .where('seq', '=', seq)
        .execute();
    },
  );
}

/** corrects the fields of a registered application (audited, the old values kept in the revision) */
export function amendCaseFields(
  db: Db,
  caseId: string,
  changes: CaseAmendment,
  reason: string,
  user: string,
  opts: CaseOptions = {},
  agency = '',
): Promise<Case> {
  return correctCase(db, caseId, agency, user, 'amend', opts, (before, o) => amendCase(before, changes, { by: user, reason }, o));
}

export async function getCase(db: Db, id: string, agency = ''): Promise<Case | undefined> {
  const r = await db.selectFrom('cases').select('data').where('agency_id', '=', agency).where('id', '=', id).executeTakeFirst();
  return r ? parseStored(r.data, id) : undefined;
}

/** the case, or a StoreError saying it is not in the register */
export async function requireCase(db: Db, id: string, agency = ''): Promise<Case> {
  const c = await getCase(db, id, agency);
  if (!c) throw unknownCase(id);
  return c;
}

/** a listed case, or the row of one that cannot be read with its problem */
export interface CaseEntry {
  agencyId: string;
  id: string;
  receivedOn: string;
  case: Case | null;
  problem: CaseProblem | null;
}

/**
 * like `listCases`, but a case whose stored data cannot be read is listed with its problem instead of
 * failing the whole list
 */
export async function listEntries(db: Db, filter: CaseFilter = {}): Promise<CaseEntry[]> {
  let q = db.selectFrom('cases').select(['agency_id', 'id', 'received_on', 'data']);
  const agency = filter.agency ?? '';
  if (typeof agency === 'string') q = q.where('agency_id', '=', agency);
  else if (agency.length === 0) return [];
  else q = q.where('agency_id', 'in', agency as string[]);
  if (filter.open !== undefined) q = q.where('closed', '=', filter.open ? 0 : 1);
  if (filter.applicantType) q = q.where('applicant_type', '=', filter.applicantType);
  if (filter.receivedFrom) q = q.where('received_on', '>=', filter.receivedFrom);
  if (filter.receivedTo) q = q.where('received_on', '<=', filter.receivedTo);
  const rows = await q.orderBy('received_on').orderBy('id').execute();
  return rows.map((r) => {
    try {
      const c = parseStored(r.data, r.id);
      if (!c || typeof c !== 'object' || !c.applicant || !c.state || !Array.isArray(c.events)) {
        throw new StoreError(
          `登记簿中申请“${r.id}”的数据不完整，无法读取。`,
          `The stored data of case "${r.id}" is incomplete.`,
          'damaged',
        );
      }
      return { agencyId: r.agency_id, id: r.id, receivedOn: r.received_on, case: c, problem: null };
    } catch (e) {
      return { agencyId: r.agency_id, id: r.id, receivedOn: r.received_on, case: null, problem: problemOf(e) };
    }
  });
}

/** cases matching the filter, by date of receipt then id */
export async function listCases(db: Db, filter: CaseFilter = {}): Promise<Case[]> {
  let q = db.selectFrom('cases').select('data');
  const agency = filter.agency ?? '';
  if (typeof agency === 'string') q = q.where('agency_id', '=', agency);
  else if (agency.length === 0) return [];
  else q = q.where('agency_id', 'in', agency as string[]);
  if (filter.open !== undefined) q = q.where('closed', '=', filter.open ? 0 : 1);
  if (filter.applicantType) q = q.where('applicant_type', '=', filter.applicantType);
  if (filter.receivedFrom) q = q.where('received_on', '>=', filter.receivedFrom);
  if (filter.receivedTo) q = q.where('received_on', '<=', filter.receivedTo);
  const rows = await q.orderBy('received_on').orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.data) as Case);
}

/** what `statsCases` could not read: the case and why (the statistics go on without it) */
export interface StatsProblem {
  agencyId: string;
  id: string;
  zh: string;
  en: string;
}

/**
 * What `statsForYear(…, year)` needs of the agency's register, read from columns only (no case JSON):
 * cases received by 31 Dec of the year that were open at its start, or are still open, or have a
 * proceeding (a proceeding pending over several year ends counts each year).
 */
export async function statsCases(db: Db, year: number, agency: string | readonly string[] = ''): Promise<StatsCase[]> {
  return (await statsInput(db, year, agency)).cases;
}

const TYPES: ReadonlySet<string> = new Set(APPLICANT_TYPES);
const OUTCOMES: ReadonlySet<string> = new Set(OUTCOMES_2021);
const KINDS: ReadonlySet<string> = new Set(['review', 'litigationDirect', 'litigationAfterReview']);

/** `statsCases` with the cases it had to leave out (an unreadable row), so that one odd case never fails the statistics */
export async function statsInput(
  db: Db,
  year: number,
  agency: string | readonly string[] = '',
): Promise<{ cases: StatsCase[]; problems: StatsProblem[] }> {
  const first = `${String(year).padStart(4, '0')}-01-01`;
  const last = `${String(year).padStart(4, '0')}-12-31`;
  let q = db
    .selectFrom('cases')
    .select(['agency_id', 'id', 'applicant_type', 'received_on', 'outcome', 'closed_on', 'proceedings'])
    .where('received_on', '<=', last)
    .where((eb) => eb.or([eb('closed_on', 'is', null), eb('closed_on', '>=', first), eb('proceedings', '!=', '[]')]));
  if (typeof agency === 'string') q = q.where('agency_id', '=', agency);
  else if (agency.length === 0) return { cases: [], problems: [] };
  else q = q.where('agency_id', 'in', agency as string[]);
  const rows = await q.execute();
  const cases: StatsCase[] = [];
  const problems: StatsProblem[] = [];
  for (const r of rows) {
    const odd = (zh: string, en: string) =>
      problems.push({
        agencyId: r.agency_id,
        id: r.id,
        zh: `申请“${r.id}”未计入统计：${zh}`,
        en: `Case "${r.id}" is left out of the statistics: ${en}`,
      });
    if (!TYPES.has(r.applicant_type)) {
      odd(`申请人类型“${r.applicant_type}”无效。`, `unknown applicant type "${r.applicant_type}".`);
      continue;
    }
    if (r.closed_on !== null && !OUTCOMES.has(r.outcome ?? '')) {
      odd(`办理结果“${r.outcome ?? ''}”无效。`, `unknown outcome "${r.outcome ?? ''}".`);
      continue;
    }
    let proceedings: Proceeding[] = [];
    if (r.proceedings !== '[]') {
      try {
        proceedings = JSON.parse(r.proceedings) as Proceeding[];
        if (!Array.isArray(proceedings) || proceedings.some((p) => !p || !KINDS.has(p.kind) || typeof p.filedOn !== 'string'))
          throw new Error();
      } catch {
        odd('所附行政复议、行政诉讼记录无法读取。', 'its review/litigation records cannot be read.');
        continue;
      }
    }
    cases.push({
      id: r.id,
      applicantType: r.applicant_type as StatsCase['applicantType'],
      receivedOn: r.received_on,
      state: { closed: r.closed_on === null ? null : { on: r.closed_on, outcome: r.outcome as Outcome }, proceedings },
    });
  }
  return { cases, problems };
}

export function allCases(db: Db, agency = ''): Promise<Case[]> {
  return listCases(db, { agency });
}

export async function eventsOf(db: Db, caseId: string, agency = ''): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('agency_id', '=', agency)
    .where('case_id', '=', caseId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ seq: r.seq, event: JSON.parse(r.data) as CaseEvent, user: r.user, at: r.at }));
}

/** the audit rows of the agency's register (`agency` '' = the unnamed one), of one case when given */
export async function auditTrail(db: Db, caseId?: string, agency = ''): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit').selectAll().where('agency_id', '=', agency);
  if (caseId !== undefined) q = q.where('case_id', '=', caseId);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    who: r.who,
    at: r.at,
    action: r.action,
    agencyId: r.agency_id,
    caseId: r.case_id,
    before: r.before === null ? null : (JSON.parse(r.before) as Case),
    after: r.after === null ? null : (JSON.parse(r.after) as Case),
  }));
}
