/**
 * The application register on the database: every change is one transaction that writes the
 * case, its event and an audit row (who, when, before/after). The domain (`../register/case.js`)
 * decides every transition: a TransitionError is thrown before anything is written, and the
 * transaction is rolled back, so the database is left unchanged.
 *
 * Write transactions start with `BEGIN IMMEDIATE`, so the case is read and written under the
 * write lock (two processes adding events to one case cannot lose an update).
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { applyEvent, type Case, type CaseEvent, type CaseOptions, createCase, type NewCase } from '../register/case.js';
import { type Database, type Db, StoreError } from './db.js';

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
  caseId: string;
  before: Case | null;
  after: Case | null;
}

export interface CaseFilter {
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
  return new StoreError(`登记簿中没有编号为“${id}”的申请。`, `No case with id "${id}" in the register.`);
}

type Tx = Kysely<Database> | Transaction<Database>;

/** runs `fn` in a BEGIN IMMEDIATE transaction on one connection: commit on success, rollback on any error */
async function writeTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
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

function row(c: Case, at: string) {
  return {
    id: c.id,
    data: JSON.stringify(c),
    applicant_type: c.applicantType,
    received_on: c.receivedOn,
    closed: c.state.closed ? 1 : 0,
    outcome: c.state.closed?.outcome ?? null,
    updated_at: at,
  };
}

/** registers a new application (validated by createCase); `user` is recorded as registeredBy when the input has none */
export async function addCase(db: Db, input: NewCase, user: string): Promise<Case> {
  const c = createCase({ ...input, registeredBy: input.registeredBy || user });
  return writeTx(db, async (tx) => {
    const existing = await tx.selectFrom('cases').select('id').where('id', '=', c.id).executeTakeFirst();
    if (existing) {
      throw new StoreError(`登记簿中已有编号为“${c.id}”的申请。`, `A case with id "${c.id}" is already in the register.`);
    }
    const at = now();
    await tx.insertInto('cases').values(row(c, at)).execute();
    await tx
      .insertInto('audit')
      .values({ who: user, at, action: 'add', case_id: c.id, before: null, after: JSON.stringify(c) })
      .execute();
    return c;
  });
}

/** applies `event` to the case (the domain decides); `user` is recorded as the event's `by` when it has none */
export async function addEvent(db: Db, caseId: string, event: CaseEvent, user: string, opts: CaseOptions = {}): Promise<Case> {
  return writeTx(db, async (tx) => {
    const r = await tx.selectFrom('cases').select('data').where('id', '=', caseId).executeTakeFirst();
    if (!r) throw unknownCase(caseId);
    const before = JSON.parse(r.data) as Case;
    const e = { ...event, by: event.by || user } as CaseEvent;
    const after = applyEvent(before, e, opts);
    const at = now();
    const { id: _id, ...rest } = row(after, at);
    await tx.updateTable('cases').set(rest).where('id', '=', caseId).execute();
    await tx
      .insertInto('events')
      .values({ case_id: caseId, seq: after.events.length, data: JSON.stringify(e), user, at })
      .execute();
    await tx
      .insertInto('audit')
      .values({ who: user, at, action: `event:${e.type}`, case_id: caseId, before: r.data, after: JSON.stringify(after) })
      .execute();
    return after;
  });
}

export async function getCase(db: Db, id: string): Promise<Case | undefined> {
  const r = await db.selectFrom('cases').select('data').where('id', '=', id).executeTakeFirst();
  return r ? (JSON.parse(r.data) as Case) : undefined;
}

/** the case, or a StoreError saying it is not in the register */
export async function requireCase(db: Db, id: string): Promise<Case> {
  const c = await getCase(db, id);
  if (!c) throw unknownCase(id);
  return c;
}

/** cases matching the filter, by date of receipt then id */
export async function listCases(db: Db, filter: CaseFilter = {}): Promise<Case[]> {
  let q = db.selectFrom('cases').select('data');
  if (filter.open !== undefined) q = q.where('closed', '=', filter.open ? 0 : 1);
  if (filter.applicantType) q = q.where('applicant_type', '=', filter.applicantType);
  if (filter.receivedFrom) q = q.where('received_on', '>=', filter.receivedFrom);
  if (filter.receivedTo) q = q.where('received_on', '<=', filter.receivedTo);
  const rows = await q.orderBy('received_on').orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.data) as Case);
}

export function allCases(db: Db): Promise<Case[]> {
  return listCases(db);
}

export async function eventsOf(db: Db, caseId: string): Promise<StoredEvent[]> {
  const rows = await db.selectFrom('events').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  return rows.map((r) => ({ seq: r.seq, event: JSON.parse(r.data) as CaseEvent, user: r.user, at: r.at }));
}

export async function auditTrail(db: Db, caseId?: string): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit').selectAll();
  if (caseId !== undefined) q = q.where('case_id', '=', caseId);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    who: r.who,
    at: r.at,
    action: r.action,
    caseId: r.case_id,
    before: r.before === null ? null : (JSON.parse(r.before) as Case),
    after: r.after === null ? null : (JSON.parse(r.after) as Case),
  }));
}
