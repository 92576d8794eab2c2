/**
 * Holiday notices entered by administrators, and the working-day calendar of each register.
 *
 * - `holiday_notices` keeps every notice ever entered (never updated or deleted): the latest
 *   national notice of a year replaces the shipped data of that year (data/holidays.json); a local
 *   notice (a jurisdiction's own extra days off) applies to the register of its jurisdiction and to
 *   those of the agencies under it in the app's agency tree.
 * - Entering a notice is one transaction: the notice, an audit row, and every open case whose dates
 *   the notice changes recomputed, each with a `calendar` revision on its timeline and an audit row.
 * - `calendarFor` builds a register's calendar from the shipped data and the entered notices; it is
 *   rebuilt only when the notices change (one small query per call tells).
 */
import { type Kysely, sql } from 'kysely';
import { type EnteredNotice, shippedHolidays, WorkingCalendar, type YearSource } from '../register/calendar.js';
import { type Case, type CaseOptions, describeChange, recalculate } from '../register/case.js';
import { HolidayNoticeError } from '../register/holiday-notice.js';
import { type Database, type Db, dbKind } from './db.js';
import { caseRow, type Tx, writeTx } from './register.js';

export interface HolidayNoticesTable {
  id: import('kysely').Generated<number>;
  year: number;
  /** '' national; else the register (agency id) of the jurisdiction */
  jurisdiction: string;
  title: string;
  /** the pasted text the days were read from (or '' when entered as data) */
  text: string;
  /** JSON: date → holiday name */
  days_off: string;
  /** JSON: date → holiday name */
  make_up: string;
  entered_by: string;
  entered_at: string;
}

export interface HolidayDatabase extends Database {
  holiday_notices: HolidayNoticesTable;
}

type HDb = Kysely<HolidayDatabase>;

function hdb(db: Db | Tx): HDb {
  return db as unknown as HDb;
}

export interface NewHolidayNotice {
  year: number;
  /** '' (default) for a national notice */
  jurisdiction?: string;
  title: string;
  text?: string;
  daysOff: Record<string, string>;
  makeUpWorkdays: Record<string, string>;
}

export interface RecalculatedCase {
  agencyId: string;
  caseId: string;
  /** the changes, in Chinese (“答复期限由 2027-01-05（暂定）改为 2027-01-06”) */
  changes: string[];
}

export interface ImportResult {
  notice: EnteredNotice;
  /** open cases whose dates changed */
  recalculated: RecalculatedCase[];
  /** open cases that could not be recomputed (they keep their dates), with why */
  problems: { agencyId: string; caseId: string; zh: string; en: string }[];
}

function toNotice(r: {
  id: number;
  year: number;
  jurisdiction: string;
  title: string;
  days_off: string;
  make_up: string;
  entered_by: string;
  entered_at: string;
}): EnteredNotice {
  return {
    id: r.id,
    year: r.year,
    jurisdiction: r.jurisdiction,
    title: r.title,
    daysOff: JSON.parse(r.days_off) as Record<string, string>,
    makeUpWorkdays: JSON.parse(r.make_up) as Record<string, string>,
    enteredBy: r.entered_by,
    enteredAt: r.entered_at,
  };
}

/** every entered notice, oldest first */
export async function enteredNotices(db: Db | Tx): Promise<EnteredNotice[]> {
  const rows = await hdb(db)
    .selectFrom('holiday_notices')
    .select(['id', 'year', 'jurisdiction', 'title', 'days_off', 'make_up', 'entered_by', 'entered_at'])
    .orderBy('id')
    .execute();
  return rows.map(toNotice);
}

/** the register and the registers above it in the app's agency tree (when the app's tables exist) */
async function jurisdictionChain(db: Db | Tx, register: string): Promise<string[]> {
  const chain = [register];
  if (!/^\d+$/.test(register) || !(await hasAgencies(db))) return chain;
  const seen = new Set(chain);
  let id: number | null = Number(register);
  while (id !== null) {
    const row: { parent_id: number | null } | undefined = await (
      db as unknown as Kysely<{ agencies: { id: number; parent_id: number | null } }>
    )
      .selectFrom('agencies')
      .select('parent_id')
      .where('id', '=', id)
      .executeTakeFirst();
    id = row?.parent_id ?? null;
    if (id === null || seen.has(String(id))) break;
    seen.add(String(id));
    chain.push(String(id));
  }
  return chain;
}

async function hasAgencies(db: Db | Tx): Promise<boolean> {
  if (dbKind(db as Db) === 'postgres') {
    const r = await sql<{ t: string | null }>`select to_regclass('agencies')::text as t`.execute(db);
    return r.rows[0]?.t != null;
  }
  const r = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'agencies'`.execute(db);
  return r.rows.length > 0;
}

/** the calendar of a register given every entered notice */
function build(notices: readonly EnteredNotice[], chain: readonly string[]): WorkingCalendar {
  return new WorkingCalendar(shippedHolidays(), {
    entered: notices.filter((n) => n.jurisdiction === '' || chain.includes(n.jurisdiction)),
  });
}

interface Cached {
  stamp: string;
  notices: EnteredNotice[];
  national: WorkingCalendar;
}

const cache = new WeakMap<object, Cached>();

async function stampOf(db: Db | Tx): Promise<string> {
  const r = await hdb(db)
    .selectFrom('holiday_notices')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('m')])
    .executeTakeFirst();
  return `${r?.n ?? 0}:${r?.m ?? 0}`;
}

async function current(db: Db | Tx): Promise<Cached> {
  const stamp = await stampOf(db);
  const hit = cache.get(db);
  if (hit && hit.stamp === stamp) return hit;
  const notices = await enteredNotices(db);
  const out = { stamp, notices, national: build(notices, []) };
  cache.set(db, out);
  return out;
}

/**
 * The working-day calendar of a register ('' = the CLI's unnamed one): shipped data, entered national
 * notices, and the local notices of its jurisdiction (its agency or one above it).
 */
export async function calendarFor(db: Db | Tx, register = ''): Promise<WorkingCalendar> {
  const c = await current(db);
  if (!c.notices.some((n) => n.jurisdiction !== '')) return c.national;
  return build(c.notices, await jurisdictionChain(db, register));
}

/** every year from the first shipped one to the year after the last known one (at least `through`), with its source */
export async function yearSources(db: Db, register = '', through?: number): Promise<YearSource[]> {
  const cal = await calendarFor(db, register);
  const known = [...cal.years].map(Number);
  const first = Math.min(...known);
  const last = Math.max(...known, through ?? 0) + 1;
  const out: YearSource[] = [];
  for (let y = first; y <= last; y++) out.push(cal.yearSource(y));
  return out;
}

function checkNotice(n: NewHolidayNotice): void {
  if (!Number.isInteger(n.year) || n.year < 2019 || n.year > 2100) {
    throw new HolidayNoticeError(`放假通知的年份 ${n.year} 无效（应为 2019–2100）。`, `The notice year ${n.year} is invalid (2019–2100).`);
  }
  const dates = [...Object.keys(n.daysOff), ...Object.keys(n.makeUpWorkdays)];
  if (Object.keys(n.daysOff).length === 0) {
    throw new HolidayNoticeError('放假通知中没有放假日期，未保存。', 'The notice lists no days off; nothing was stored.');
  }
  for (const d of dates) {
    const y = Number(d.slice(0, 4));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Math.abs(y - n.year) > 1) {
      throw new HolidayNoticeError(
        `放假通知中的日期“${d}”不属于 ${n.year} 年前后。`,
        `The date "${d}" does not belong to around ${n.year}.`,
      );
    }
  }
  const both = Object.keys(n.daysOff).filter((d) => d in n.makeUpWorkdays);
  if (both.length > 0) {
    throw new HolidayNoticeError(
      `${both.join('、')} 既是放假日又是上班日。`,
      `${both.join(', ')} are listed both as days off and as working days.`,
    );
  }
}

/**
 * Stores a notice (national, or local to `jurisdiction`) and recomputes, in the same transaction,
 * every open case of the registers it applies to. `registers`: the registers of the jurisdiction
 * and the agencies under it (a local notice); default every register.
 */
export async function importHolidayNotice(
  db: Db,
  input: NewHolidayNotice,
  user: string,
  opts: { registers?: readonly string[]; caseOptions?: CaseOptions; now?: () => Date } = {},
): Promise<ImportResult> {
  checkNotice(input);
  const jurisdiction = input.jurisdiction ?? '';
  return writeTx(db, async (tx) => {
    const at = (opts.now ?? (() => new Date()))().toISOString();
    const before = await enteredNotices(tx);
    const inserted = await hdb(tx)
      .insertInto('holiday_notices')
      .values({
        year: input.year,
        jurisdiction,
        title: input.title,
        text: input.text ?? '',
        days_off: JSON.stringify(input.daysOff),
        make_up: JSON.stringify(input.makeUpWorkdays),
        entered_by: user,
        entered_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const notice: EnteredNotice = {
      id: inserted.id,
      year: input.year,
      jurisdiction,
      title: input.title,
      daysOff: input.daysOff,
      makeUpWorkdays: input.makeUpWorkdays,
      enteredBy: user,
      enteredAt: at,
    };
    const after = [...before, notice];
    await tx
      .insertInto('audit')
      .values({
        who: user,
        at,
        action: jurisdiction ? 'holidays:local' : 'holidays:national',
        agency_id: jurisdiction,
        case_id: `#holidays-${input.year}`,
        before: null,
        after: JSON.stringify(notice),
      })
      .execute();
    let q = tx.selectFrom('cases').select(['agency_id', 'id', 'data']).where('closed', '=', 0);
    if (opts.registers) {
      if (opts.registers.length === 0) return { notice, recalculated: [], problems: [] };
      q = q.where('agency_id', 'in', opts.registers as string[]);
    }
    const rows = await q.orderBy('agency_id').orderBy('id').execute();
    const recalculated: RecalculatedCase[] = [];
    const problems: ImportResult['problems'] = [];
    const calendars = new Map<string, [WorkingCalendar, WorkingCalendar]>();
    const reason = `录入${jurisdiction ? '本地' : '国务院办公厅'}${input.year}年放假安排：${input.title}`;
    for (const r of rows) {
      let pair = calendars.get(r.agency_id);
      if (!pair) {
        const chain = await jurisdictionChain(tx, r.agency_id);
        pair = [build(before, chain), build(after, chain)];
        calendars.set(r.agency_id, pair);
      }
      let next: Case | null;
      try {
        const c = JSON.parse(r.data) as Case;
        next = recalculate(c, pair[0], pair[1], { by: user, reason, at }, opts.caseOptions);
      } catch (e) {
        const m = e as { zh?: string; en?: string; message?: string };
        problems.push({ agencyId: r.agency_id, caseId: r.id, zh: m.zh ?? String(m.message), en: m.en ?? String(m.message) });
        continue;
      }
      if (!next) continue;
      const { id: _id, agency_id: _a, ...rest } = caseRow(next, at, r.agency_id);
      await tx.updateTable('cases').set(rest).where('agency_id', '=', r.agency_id).where('id', '=', r.id).execute();
      await tx
        .insertInto('audit')
        .values({
          who: user,
          at,
          action: 'recalculate',
          agency_id: r.agency_id,
          case_id: r.id,
          before: r.data,
          after: JSON.stringify(next),
        })
        .execute();
      const rev = next.revisions?.[next.revisions.length - 1];
      recalculated.push({
        agencyId: r.agency_id,
        caseId: r.id,
        changes: (rev?.changes ?? []).map(describeChange),
      });
    }
    return { notice, recalculated, problems };
  });
}

/** the register and those of every agency under it in the app's agency tree (when the app's tables exist) */
export async function registersUnder(db: Db, register: string): Promise<string[]> {
  if (!/^\d+$/.test(register) || !(await hasAgencies(db))) return [register];
  const rows = (await (db as unknown as Kysely<{ agencies: { id: number; parent_id: number | null } }>)
    .selectFrom('agencies')
    .select(['id', 'parent_id'])
    .execute()) as { id: number; parent_id: number | null }[];
  const out = [register];
  const seen = new Set(out);
  for (let i = 0; i < out.length; i++) {
    for (const r of rows) {
      if (String(r.parent_id) === out[i] && !seen.has(String(r.id))) {
        seen.add(String(r.id));
        out.push(String(r.id));
      }
    }
  }
  return out;
}
