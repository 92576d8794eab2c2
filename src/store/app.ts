/**
 * The web app's storage, beside the register's (`./db.ts`, `./register.ts`): agencies, users, sessions,
 * the report library, 年报编制 drafts and the app's audit trail.
 *
 * - Importing this module registers its migrations (`1001_…`) into `EXTRA_MIGRATIONS`; `openAppDb`
 *   opens a database with them (SQLite file or PostgreSQL URL, as `openDb`). Portable schema builder
 *   only; the one difference (blob vs bytea) is asked of `dbKind`.
 * - Every write is one transaction (`writeTx`) that also writes an `app_audit` row (who, when, action,
 *   agency, entity, before/after as JSON). Register writes audit themselves in `audit`.
 * - Passwords: scrypt (node:crypto) with a per-user random salt, stored as
 *   `scrypt$N$r$p$salt$hash` (base64), compared in constant time.
 * - Sessions: the cookie holds a random 32-byte token; the table holds only its SHA-256, so a copy
 *   of the database does not give working sessions.
 */
import { createHash, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { type Generated, type Kysely, type Migration, sql, type Transaction } from 'kysely';
import { addIdColumn, type Database, type Db, dbKind, EXTRA_MIGRATIONS, migrate, openDb, StoreError } from './db.js';
import { type Tx, writeTx } from './register.js';
// supervision's tables and columns (migration 1002_…) come with the app's
import './supervise.js';

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

export type AgencyLevel = 'province' | 'city' | 'county' | 'township' | 'department';
export const AGENCY_LEVELS: readonly AgencyLevel[] = ['province', 'city', 'county', 'township', 'department'];

export type Role = 'admin' | 'clerk' | 'reviewer' | 'readonly';
export const ROLES: readonly Role[] = ['admin', 'clerk', 'reviewer', 'readonly'];

export interface AgenciesTable {
  id: Generated<number>;
  name: string;
  parent_id: number | null;
  level: string;
  /** added by 1002_supervision (see src/store/supervise.ts) */
  tier: string | null;
  kind: string | null;
  aliases: Generated<string>;
  region_code: string | null;
  region_code_year: number | null;
  credit_code: string | null;
  active_from: number | null;
  active_until: number | null;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  name: string;
  role: string;
  agency_id: number | null;
  password_hash: string;
  created_at: string;
  disabled: number;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the cookie's token */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen: string;
  /** idle expiry: last_seen + the idle time */
  expires: string;
}

export interface ReportsTable {
  id: Generated<number>;
  agency_id: number;
  year: number | null;
  format: string | null;
  file_name: string;
  /** the reader's kind (text, markdown, html, docx, pdf, xlsx) or json */
  kind: string;
  uploaded_by: string;
  uploaded_at: string;
  /** the uploaded file as it came */
  original: Buffer | Uint8Array;
  /** Report JSON */
  report: string;
  /** Diagnostic[] JSON */
  diagnostics: string;
  /** the source lines shown beside the tables (JSON `{kind, lines}` or null) */
  source: string | null;
  /** the figures the library statistics add up (JSON, see `ReportFigures`) */
  figures: string;
  errors: number;
  warnings: number;
  infos: number;
  /** added by 1002_supervision */
  content_hash: string | null;
  version: Generated<number>;
  published_on: string | null;
  cells: string | null;
  batch_id: number | null;
  /** added by 1003_supervision_facts: ScoringFacts['previousSimilarity'] JSON, null when not computed */
  prev_similarity: string | null;
  /** added by 1004_library_admin: the 发布机关 the reader found in the report (`report.agency`), null when none */
  publisher: string | null;
}

export interface DraftsTable {
  agency_id: number;
  year: number;
  data: string;
  updated_by: string;
  updated_at: string;
}

export interface AppAuditTable {
  id: Generated<number>;
  who: string;
  at: string;
  action: string;
  agency_id: number | null;
  /** e.g. `user:3`, `report:12`, `draft:2025`, `session` */
  entity: string;
  before: string | null;
  after: string | null;
}

export interface AppDatabase extends Database {
  agencies: AgenciesTable;
  users: UsersTable;
  sessions: SessionsTable;
  reports: ReportsTable;
  drafts: DraftsTable;
  app_audit: AppAuditTable;
}

export type AppDb = Kysely<AppDatabase>;
type AppTx = Kysely<AppDatabase> | Transaction<AppDatabase>;

/** the same database, typed with the app's tables */
export function appDb(db: Db | AppDb): AppDb {
  return db as unknown as AppDb;
}

/** the same database, typed for the register's functions (writeTx, addCase…) */
export function regDb(db: AppDb | Db): Db {
  return db as unknown as Db;
}

function asApp(tx: Tx): AppTx {
  return tx as unknown as AppTx;
}

// ---------------------------------------------------------------------------
// Migrations
// ---------------------------------------------------------------------------

export const APP_MIGRATIONS: Record<string, Migration> = {
  '1001_app': {
    async up(db: Kysely<unknown>) {
      await addIdColumn(db, db.schema.createTable('agencies'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'integer', (c) => c.references('agencies.id'))
        .addColumn('level', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('agencies_parent').on('agencies').column('parent_id').execute();
      await addIdColumn(db, db.schema.createTable('users'))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('agency_id', 'integer', (c) => c.references('agencies.id'))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'text', (c) => c.notNull())
        .addColumn('expires', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_expires').on('sessions').column('expires').execute();
      await addIdColumn(db, db.schema.createTable('reports'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('year', 'integer')
        .addColumn('format', 'text')
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('uploaded_at', 'text', (c) => c.notNull())
        .addColumn('original', dbKind(db) === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addColumn('report', 'text', (c) => c.notNull())
        .addColumn('diagnostics', 'text', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('figures', 'text', (c) => c.notNull())
        .addColumn('errors', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('warnings', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('infos', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('reports_agency_year').on('reports').columns(['agency_id', 'year']).execute();
      await db.schema
        .createTable('drafts')
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('drafts_pk', ['agency_id', 'year'])
        .execute();
      await addIdColumn(db, db.schema.createTable('app_audit'))
        .addColumn('who', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('agency_id', 'integer')
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .execute();
      await db.schema.createIndex('app_audit_entity').on('app_audit').column('entity').execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['app_audit', 'drafts', 'reports', 'sessions', 'users', 'agencies']) await db.schema.dropTable(t).execute();
    },
  },
};

APP_MIGRATIONS['1004_library_admin'] = {
  async up(db: Kysely<unknown>) {
    // the report's own publisher beside the agency that filed it (the library lists both)
    await db.schema.alterTable('reports').addColumn('publisher', 'text').execute();
    await db.schema.createIndex('reports_agency_hash').on('reports').columns(['agency_id', 'content_hash']).execute();
    await backfillReports(db as unknown as AppDb);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('reports_agency_hash').execute();
    await db.schema.alterTable('reports').dropColumn('publisher').execute();
  },
};

Object.assign(EXTRA_MIGRATIONS, APP_MIGRATIONS);

/** the 发布机关 of a Report JSON (its `agency`), null when it has none */
export function publisherOf(report: unknown): string | null {
  const a = (report as { agency?: unknown } | null)?.agency;
  return typeof a === 'string' && a.trim() !== '' ? a.trim() : null;
}

/**
 * fills what reports stored before `1004_library_admin` lack: the publisher (from the stored Report
 * JSON) and the SHA-256 of the original file (the library's uploads did not keep it), a few rows at
 * a time; returns the number of rows changed
 */
export async function backfillReports(db: AppDb | Transaction<AppDatabase>): Promise<number> {
  let changed = 0;
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('reports')
      .select(['id', 'report', 'publisher', 'content_hash'])
      .where('id', '>', after)
      .where((e) => e.or([e('publisher', 'is', null), e('content_hash', 'is', null)]))
      .orderBy('id')
      .limit(50)
      .execute();
    if (rows.length === 0) return changed;
    for (const r of rows) {
      after = Number(r.id);
      const set: { publisher?: string | null; content_hash?: string } = {};
      if (r.publisher === null) {
        let report: unknown = null;
        try {
          report = JSON.parse(r.report);
        } catch {
          // a damaged row keeps its null
        }
        const p = publisherOf(report);
        if (p !== null) set.publisher = p;
      }
      if (r.content_hash === null) {
        const o = await db.selectFrom('reports').select('original').where('id', '=', r.id).executeTakeFirst();
        if (o) set.content_hash = createHash('sha256').update(o.original).digest('hex');
      }
      if (Object.keys(set).length === 0) continue;
      await db.updateTable('reports').set(set).where('id', '=', r.id).execute();
      changed++;
    }
  }
}

/** opens the database (file or postgres:// URL; default NIANBAO_DB, else nianbao.db) with the app's tables */
export async function openAppDb(target?: string): Promise<AppDb> {
  return appDb(await openDb(target));
}

const migrated = new WeakSet<object>();

/** brings a database opened elsewhere up to date with the app's tables (once per Kysely instance) */
export async function ensureAppSchema(db: Db | AppDb): Promise<void> {
  if (migrated.has(db)) return;
  await migrate(regDb(db));
  migrated.add(db);
}

// ---------------------------------------------------------------------------
// Audit
// ---------------------------------------------------------------------------

export interface AppAuditEntry {
  id: number;
  who: string;
  at: string;
  action: string;
  agencyId: number | null;
  entity: string;
  before: unknown;
  after: unknown;
}

function nowIso(): string {
  return new Date().toISOString();
}

async function audit(
  tx: AppTx,
  who: string,
  action: string,
  agencyId: number | null,
  entity: string,
  before: unknown,
  after: unknown,
  at = nowIso(),
): Promise<void> {
  await tx
    .insertInto('app_audit')
    .values({
      who,
      at,
      action,
      agency_id: agencyId,
      entity,
      before: before === null || before === undefined ? null : JSON.stringify(before),
      after: after === null || after === undefined ? null : JSON.stringify(after),
    })
    .execute();
}

/** the app's audit rows, newest last; optionally of one entity or action prefix */
export async function appAuditTrail(db: AppDb, filter: { entity?: string; action?: string } = {}): Promise<AppAuditEntry[]> {
  let q = db.selectFrom('app_audit').selectAll();
  if (filter.entity) q = q.where('entity', '=', filter.entity);
  if (filter.action) q = q.where('action', '=', filter.action);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    who: r.who,
    at: r.at,
    action: r.action,
    agencyId: r.agency_id,
    entity: r.entity,
    before: r.before === null ? null : JSON.parse(r.before),
    after: r.after === null ? null : JSON.parse(r.after),
  }));
}

// ---------------------------------------------------------------------------
// Agencies
// ---------------------------------------------------------------------------

export interface Agency {
  id: number;
  name: string;
  parentId: number | null;
  level: AgencyLevel;
}

function agencyOf(r: { id: number; name: string; parent_id: number | null; level: string }): Agency {
  return { id: r.id, name: r.name, parentId: r.parent_id, level: r.level as AgencyLevel };
}

export async function listAgencies(db: AppDb): Promise<Agency[]> {
  const rows = await db.selectFrom('agencies').selectAll().orderBy('id').execute();
  return rows.map(agencyOf);
}

export async function getAgency(db: AppDb, id: number): Promise<Agency | undefined> {
  const r = await db.selectFrom('agencies').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? agencyOf(r) : undefined;
}

export async function countAgencies(db: AppDb): Promise<number> {
  const r = await db
    .selectFrom('agencies')
    .select((e) => e.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function createAgency(
  db: AppDb,
  input: { name: string; parentId: number | null; level: AgencyLevel },
  who: string,
): Promise<Agency> {
  return writeTx(regDb(db), async (t) => {
    const tx = asApp(t);
    if (input.parentId !== null) {
      const parent = await tx.selectFrom('agencies').select('id').where('id', '=', input.parentId).executeTakeFirst();
      if (!parent) throw new StoreError(`没有编号为 ${input.parentId} 的机关。`, `No agency with id ${input.parentId}.`, 'not-found');
    }
    const r = await tx
      .insertInto('agencies')
      .values({ name: input.name, parent_id: input.parentId, level: input.level })
      .returning('id')
      .executeTakeFirstOrThrow();
    const agency: Agency = { id: Number(r.id), name: input.name, parentId: input.parentId, level: input.level };
    await audit(tx, who, 'agency:create', agency.id, `agency:${agency.id}`, null, agency);
    return agency;
  });
}

/** the ids of `root` and every agency (or body of the directory) under it, in a list of all of them; ascending */
export function subtreeIds(agencies: readonly { id: number; parentId: number | null }[], root: number): number[] {
  const children = new Map<number, number[]>();
  for (const a of agencies) {
    if (a.parentId === null) continue;
    const list = children.get(a.parentId) ?? [];
    list.push(a.id);
    children.set(a.parentId, list);
  }
  const out: number[] = [];
  const seen = new Set<number>();
  const stack = agencies.some((a) => a.id === root) ? [root] : [];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    for (const c of children.get(id) ?? []) stack.push(c);
  }
  return out.sort((a, b) => a - b);
}

/** a move of an agency under itself or one of the agencies under it */
export class AgencyCycleError extends StoreError {
  constructor(
    readonly agencyId: number,
    readonly parentId: number,
  ) {
    super('不能把机关移到它自己或它的下级机关之下。', 'An agency cannot be moved under itself or an agency under it.', 'bad-input');
    this.name = 'AgencyCycleError';
  }
}

export interface AgencyChanges {
  name?: string;
  parentId?: number | null;
}

/**
 * renames and/or moves an agency (one transaction, audited as `agency:update`). A move under the
 * agency itself or one under it is refused (`AgencyCycleError`); a renamed agency keeps its old name
 * as a former name (`aliases`), so that reports published under it are still matched to it.
 */
export async function updateAgency(db: AppDb, id: number, changes: AgencyChanges, who: string): Promise<Agency> {
  return writeTx(regDb(db), async (t) => {
    const tx = asApp(t);
    // two moves at once could make a loop that neither sees: PostgreSQL takes them in turn
    if (dbKind(regDb(db)) === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('nianbao:agencies'))`.execute(tx);
    const rows = await tx.selectFrom('agencies').select(['id', 'name', 'parent_id', 'level', 'aliases']).orderBy('id').execute();
    const row = rows.find((r) => r.id === id);
    if (!row) throw new StoreError(`没有编号为 ${id} 的机关。`, `No agency with id ${id}.`, 'not-found');
    const before = agencyOf(row);
    const after: Agency = { ...before };
    const set: { name?: string; parent_id?: number | null; aliases?: string } = {};
    if (changes.name !== undefined && changes.name !== before.name) {
      after.name = changes.name;
      set.name = changes.name;
      let aliases: { name: string; kind: string; until?: number | null }[] = [];
      try {
        const v = JSON.parse(row.aliases) as unknown;
        if (Array.isArray(v)) aliases = v;
      } catch {
        // a damaged list starts again
      }
      const norm = (n: string) => n.replace(/\s+/g, '');
      if (!aliases.some((a) => norm(a.name) === norm(before.name))) aliases.push({ name: before.name, kind: 'former', until: null });
      set.aliases = JSON.stringify(aliases.filter((a) => norm(a.name) !== norm(changes.name!)));
    }
    if (changes.parentId !== undefined && changes.parentId !== before.parentId) {
      if (changes.parentId !== null) {
        if (!rows.some((r) => r.id === changes.parentId)) {
          throw new StoreError(`没有编号为 ${changes.parentId} 的机关。`, `No agency with id ${changes.parentId}.`, 'not-found');
        }
        const all = rows.map((r) => ({ id: r.id, parentId: r.parent_id }));
        if (subtreeIds(all, id).includes(changes.parentId)) throw new AgencyCycleError(id, changes.parentId);
      }
      after.parentId = changes.parentId;
      set.parent_id = changes.parentId;
    }
    if (Object.keys(set).length === 0) return before;
    await tx.updateTable('agencies').set(set).where('id', '=', id).execute();
    await audit(tx, who, 'agency:update', id, `agency:${id}`, before, after);
    return after;
  });
}

// ---------------------------------------------------------------------------
// Users and passwords
// ---------------------------------------------------------------------------

export interface User {
  id: number;
  username: string;
  name: string;
  role: Role;
  agencyId: number | null;
}

export interface UserRow extends User {
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
}

/** scrypt cost: N = 2^15, r = 8, p = 1 (≈ 32 MiB, tens of milliseconds per check) */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, keylen: 32 };

/**
 * scrypt runs on libuv's thread pool (4 threads), which also compresses responses and reads files:
 * a burst of logins would queue every other request's compression behind tens of 32 MiB hashes
 * (a login flood delayed /api/health by 2.6 s). At most SCRYPT_CONCURRENCY hashes run at once;
 * the others wait here, off the pool.
 */
export const SCRYPT_CONCURRENCY = 2;
let scrypting = 0;
const scryptWaiting: (() => void)[] = [];

async function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  if (scrypting >= SCRYPT_CONCURRENCY) await new Promise<void>((r) => scryptWaiting.push(r));
  scrypting++;
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      scrypt(password.normalize('NFC'), salt, keylen, { ...opts, maxmem: 128 * opts.N! * opts.r! * 2 }, (e, key) =>
        e ? reject(e) : resolve(key),
      );
    });
  } finally {
    scrypting--;
    scryptWaiting.shift()?.();
  }
}

/** `scrypt$N$r$p$salt$hash` with a random 16-byte salt */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keylen, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** checks a password against a stored hash in constant time (false for a malformed hash) */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > 1 << 20) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (expected.length === 0) return false;
  const key = await scryptAsync(password, salt, expected.length, { N, r, p });
  return timingSafeEqual(key, expected);
}

/** a hash of a random password, checked against when the user does not exist (same time as a real check) */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

function userOf(r: Omit<UsersTable, 'id'> & { id: number }): UserRow {
  return {
    id: r.id,
    username: r.username,
    name: r.name,
    role: r.role as Role,
    agencyId: r.agency_id,
    passwordHash: r.password_hash,
    disabled: r.disabled !== 0,
    createdAt: r.created_at,
  };
}

export function publicUser(u: User): User {
  return { id: u.id, username: u.username, name: u.name, role: u.role, agencyId: u.agencyId };
}

export async function getUserByUsername(db: AppDb, username: string): Promise<UserRow | undefined> {
  const r = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return r ? userOf(r) : undefined;
}

export async function getUser(db: AppDb, id: number): Promise<UserRow | undefined> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? userOf(r) : undefined;
}

export async function countUsers(db: AppDb): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((e) => e.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** users of the given agencies (all users when `agencyIds` is null) */
export async function listUsers(db: AppDb, agencyIds: readonly number[] | null): Promise<User[]> {
  let q = db.selectFrom('users').selectAll();
  if (agencyIds !== null) {
    if (agencyIds.length === 0) return [];
    q = q.where('agency_id', 'in', agencyIds as number[]);
  }
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => publicUser(userOf(r)));
}

export class DuplicateUserError extends StoreError {
  constructor(readonly username: string) {
    super(`用户名“${username}”已被使用。`, `The username "${username}" is taken.`, 'duplicate');
    this.name = 'DuplicateUserError';
  }
}

export async function createUser(
  db: AppDb,
  input: { username: string; name: string; password: string; role: Role; agencyId: number | null },
  who: string,
): Promise<User> {
  const hash = await hashPassword(input.password);
  try {
    return await writeTx(regDb(db), async (t) => {
      const tx = asApp(t);
      const existing = await tx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
      if (existing) throw new DuplicateUserError(input.username);
      const r = await tx
        .insertInto('users')
        .values({
          username: input.username,
          name: input.name,
          role: input.role,
          agency_id: input.agencyId,
          password_hash: hash,
          created_at: nowIso(),
          disabled: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const user: User = { id: Number(r.id), username: input.username, name: input.name, role: input.role, agencyId: input.agencyId };
      await audit(tx, who, 'user:create', input.agencyId, `user:${user.id}`, null, user);
      return user;
    });
  } catch (e) {
    // PostgreSQL: two concurrent creations of one name both pass the check; the unique key refuses the second
    if ((e as { code?: string }).code === '23505' || /UNIQUE constraint failed: users\.username/.test(String(e))) {
      throw new DuplicateUserError(input.username);
    }
    throw e;
  }
}

/** a user as an administrator sees them: with whether they may log in */
export interface UserAccount extends User {
  disabled: boolean;
  createdAt: string;
}

function accountOf(u: UserRow): UserAccount {
  return { ...publicUser(u), disabled: u.disabled, createdAt: u.createdAt };
}

/** users of the given agencies (all users when `agencyIds` is null), with their state */
export async function listUserAccounts(db: AppDb, agencyIds: readonly number[] | null): Promise<UserAccount[]> {
  let q = db.selectFrom('users').selectAll();
  if (agencyIds !== null) {
    if (agencyIds.length === 0) return [];
    q = q.where('agency_id', 'in', agencyIds as number[]);
  }
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => accountOf(userOf(r)));
}

/** a change that would leave no administrator who may log in */
export class LastAdminError extends StoreError {
  constructor() {
    super(
      '这是最后一位可登录的管理员，不能停用或改为其他角色。',
      'This is the last administrator who can log in: it cannot be disabled or given another role.',
      'bad-input',
    );
    this.name = 'LastAdminError';
  }
}

export interface UserChanges {
  name?: string;
  role?: Role;
  agencyId?: number | null;
  disabled?: boolean;
}

/**
 * changes a user's name, role, agency or whether they may log in (one transaction, audited as
 * `user:update`, or `user:disable` / `user:enable` when only that changes). Disabling ends the
 * user's sessions. Refused (`LastAdminError`) when no enabled administrator would remain.
 */
export async function updateUser(db: AppDb, id: number, changes: UserChanges, who: string): Promise<UserAccount> {
  return writeTx(regDb(db), async (t) => {
    const tx = asApp(t);
    // two administrators demoting each other at once: PostgreSQL takes the changes in turn
    if (dbKind(regDb(db)) === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('nianbao:admins'))`.execute(tx);
    const row = await tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new StoreError(`没有编号为 ${id} 的用户。`, `No user with id ${id}.`, 'not-found');
    const before = accountOf(userOf(row));
    const after: UserAccount = {
      ...before,
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.agencyId !== undefined ? { agencyId: changes.agencyId } : {}),
      ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
    };
    if (after.role !== 'admin' && after.agencyId === null) {
      throw new StoreError('只有管理员可以不属于任何机关；请指定机关。', 'Only an admin may have no agency.', 'bad-input');
    }
    const isAdmin = (u: UserAccount) => u.role === 'admin' && !u.disabled;
    if (isAdmin(before) && !isAdmin(after)) {
      const others = await tx
        .selectFrom('users')
        .select((e) => e.fn.countAll<number | string>().as('n'))
        .where('role', '=', 'admin')
        .where('disabled', '=', 0)
        .where('id', '<>', id)
        .executeTakeFirstOrThrow();
      if (Number(others.n) === 0) throw new LastAdminError();
    }
    const changed = (['name', 'role', 'agencyId', 'disabled'] as const).filter((k) => after[k] !== before[k]);
    if (changed.length === 0) return before;
    await tx
      .updateTable('users')
      .set({ name: after.name, role: after.role, agency_id: after.agencyId, disabled: after.disabled ? 1 : 0 })
      .where('id', '=', id)
      .execute();
    if (after.disabled && !before.disabled) await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
    const action = changed.length === 1 && changed[0] === 'disabled' ? (after.disabled ? 'user:disable' : 'user:enable') : 'user:update';
    await audit(tx, who, action, after.agencyId ?? before.agencyId, `user:${id}`, before, after);
    return after;
  });
}

/**
 * sets a user's password (an administrator's reset): the user's sessions end, except `keepSession`
 * (the administrator's own, when they reset their own password). Audited as `user:password`
 * without any hash. Returns the number of sessions ended.
 */
export async function setUserPassword(db: AppDb, id: number, password: string, who: string, keepSession?: string): Promise<number> {
  const hash = await hashPassword(password);
  return writeTx(regDb(db), async (t) => {
    const tx = asApp(t);
    const row = await tx.selectFrom('users').select(['id', 'agency_id']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new StoreError(`没有编号为 ${id} 的用户。`, `No user with id ${id}.`, 'not-found');
    await tx.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
    let q = tx.deleteFrom('sessions').where('user_id', '=', id);
    if (keepSession !== undefined) q = q.where('id', '<>', keepSession);
    const ended = Number((await q.executeTakeFirst()).numDeletedRows ?? 0);
    await audit(tx, who, 'user:password', row.agency_id, `user:${id}`, null, { passwordReset: true, sessionsEnded: ended });
    return ended;
  });
}

// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

export interface Session {
  /** SHA-256 of the token */
  id: string;
  userId: number;
  csrfToken: string;
  createdAt: string;
  lastSeen: string;
  expires: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** a new session for the user: returns the cookie token (only its hash is stored) and the CSRF token */
export async function createSession(
  db: AppDb,
  user: User,
  idleMs: number,
  now = new Date(),
): Promise<{ token: string; csrfToken: string; session: Session }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const at = now.toISOString();
  const session: Session = {
    id: hashToken(token),
    userId: user.id,
    csrfToken,
    createdAt: at,
    lastSeen: at,
    expires: new Date(now.getTime() + idleMs).toISOString(),
  };
  await writeTx(regDb(db), async (t) => {
    const tx = asApp(t);
    // expired sessions go when anyone logs in
    await tx.deleteFrom('sessions').where('expires', '<=', at).execute();
    await tx
      .insertInto('sessions')
      .values({
        id: session.id,
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: at,
        last_seen: at,
        expires: session.expires,
      })
      .execute();
    await audit(tx, user.username, 'login', user.agencyId, `user:${user.id}`, null, null, at);
  });
  return { token, csrfToken, session };
}

/** the session of a cookie token and its user, or undefined when unknown, expired or the user is disabled */
export async function findSession(db: AppDb, token: string, now = new Date()): Promise<{ session: Session; user: User } | undefined> {
  const r = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as sid',
      'sessions.user_id',
      'sessions.csrf_token',
      'sessions.created_at as screated',
      'sessions.last_seen',
      'sessions.expires',
      'users.username',
      'users.name',
      'users.role',
      'users.agency_id',
      'users.disabled',
    ])
    .where('sessions.id', '=', hashToken(token))
    .executeTakeFirst();
  if (r?.disabled !== 0 || r.expires <= now.toISOString()) return undefined;
  return {
    session: {
      id: r.sid,
      userId: r.user_id,
      csrfToken: r.csrf_token,
      createdAt: r.screated,
      lastSeen: r.last_seen,
      expires: r.expires,
    },
    user: { id: r.user_id, username: r.username, name: r.name, role: r.role as Role, agencyId: r.agency_id },
  };
}

/** moves the idle expiry forward (not audited: it is not a change of data) */
export async function touchSession(db: AppDb, sessionId: string, idleMs: number, now = new Date()): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen: now.toISOString(), expires: new Date(now.getTime() + idleMs).toISOString() })
    .where('id', '=', sessionId)
    .execute();
}

export async function deleteSession(db: AppDb, sessionId: string, user: User): Promise<void> {
  await writeTx(regDb(db), async (t) => {
    const tx = asApp(t);
    await tx.deleteFrom('sessions').where('id', '=', sessionId).execute();
    await audit(tx, user.username, 'logout', user.agencyId, `user:${user.id}`, null, null);
  });
}

// ---------------------------------------------------------------------------
// The report library
// ---------------------------------------------------------------------------

/** what the library statistics add up, kept beside each report so that statistics need not parse whole reports */
export interface ReportFigures {
  /** 表二 row key → column key → value (null as 0) for every row of the report */
  applications: Record<string, Record<string, number>>;
  /** 表三 totals */
  reviews: number;
  litigations: number;
  /** diagnostics by rule id */
  rules: Record<string, number>;
}

export interface NewStoredReport {
  agencyId: number;
  year: number | null;
  format: string | null;
  fileName: string;
  kind: string;
  uploadedBy: string;
  original: Uint8Array;
  report: unknown;
  diagnostics: unknown[];
  source: unknown;
  figures: ReportFigures;
  errors: number;
  warnings: number;
  infos: number;
  /** SHA-256 (hex) of the original file: the same file is stored once */
  contentHash?: string | null;
  /** the publication date used for the filing status (the document's, or as given at import) */
  publishedOn?: string | null;
  /** the report's numeric cells in the order of its format's cells (`cellVector`), for the roll-ups */
  cells?: (number | null)[] | null;
  /** the intake batch it came in */
  batchId?: number | null;
  /** its 雷同 with the body's report of the year before (null: nothing to compare; undefined: not computed) */
  previousSimilarity?: unknown;
  /**
   * refuse the same file twice for one agency: when a report of `agencyId` with this `contentHash`
   * is stored, nothing is stored and `DuplicateReportError` names it (checked in the transaction)
   */
  refuseDuplicate?: boolean;
}

/** the stored report a new file of the same agency duplicates */
export interface DuplicateOf {
  id: number;
  agencyId: number;
  agencyName: string | null;
  year: number | null;
  fileName: string;
  uploadedAt: string;
  uploadedBy: string;
  /** the uploader's name, when the user still exists */
  uploadedByName: string | null;
}

/** the same file (SHA-256) is already in the library for the agency */
export class DuplicateReportError extends StoreError {
  constructor(readonly existing: DuplicateOf) {
    super(`报告库中已有同一文件（编号 ${existing.id}）。`, `The library already holds this file (report ${existing.id}).`, 'duplicate');
    this.name = 'DuplicateReportError';
  }
}

/** the latest stored report of an agency with this SHA-256, if any */
export async function findDuplicateReport(db: AppDb | AppTx, agencyId: number, contentHash: string): Promise<DuplicateOf | undefined> {
  const r = await db
    .selectFrom('reports')
    .leftJoin('agencies', 'agencies.id', 'reports.agency_id')
    .leftJoin('users', 'users.username', 'reports.uploaded_by')
    .select([
      'reports.id',
      'reports.agency_id',
      'agencies.name as agency_name',
      'reports.year',
      'reports.file_name',
      'reports.uploaded_at',
      'reports.uploaded_by',
      'users.name as user_name',
    ])
    .where('reports.agency_id', '=', agencyId)
    .where('reports.content_hash', '=', contentHash)
    .orderBy('reports.id', 'desc')
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: Number(r.id),
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    year: r.year,
    fileName: r.file_name,
    uploadedAt: r.uploaded_at,
    uploadedBy: r.uploaded_by,
    uploadedByName: r.user_name ?? null,
  };
}

export interface ReportSummaryRow {
  id: number;
  agencyId: number;
  agencyName: string | null;
  /** the 发布机关 found in the report (may differ from the agency that filed it) */
  publisher: string | null;
  year: number | null;
  format: string | null;
  fileName: string;
  kind: string;
  uploadedAt: string;
  uploadedBy: string;
  errors: number;
  warnings: number;
  infos: number;
}

export interface StoredReportRow extends ReportSummaryRow {
  report: string;
  diagnostics: string;
  source: string | null;
}

function summaryOf(r: NewStoredReport, id: number, at: string) {
  return {
    id,
    agencyId: r.agencyId,
    year: r.year,
    format: r.format,
    fileName: r.fileName,
    kind: r.kind,
    uploadedAt: at,
    uploadedBy: r.uploadedBy,
    errors: r.errors,
    warnings: r.warnings,
    infos: r.infos,
  };
}

export async function insertReport(db: AppDb, r: NewStoredReport, who: string): Promise<number> {
  return writeTx(regDb(db), async (t) => {
    const tx = asApp(t);
    const at = nowIso();
    if (r.refuseDuplicate && r.contentHash) {
      // two uploads of one file at once: PostgreSQL takes them in turn (SQLite's write lock already does)
      if (dbKind(regDb(db)) === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtext(${`nianbao:report:${r.agencyId}:${r.contentHash}`}))`.execute(tx);
      }
      const existing = await findDuplicateReport(tx, r.agencyId, r.contentHash);
      if (existing) throw new DuplicateReportError(existing);
    }
    // a second file for the same body and year is its next version (both kept)
    let version = 1;
    if (r.year !== null) {
      const prev = await tx
        .selectFrom('reports')
        .select((e) => e.fn.max<number | string | null>('version').as('v'))
        .where('agency_id', '=', r.agencyId)
        .where('year', '=', r.year)
        .executeTakeFirst();
      version = Number(prev?.v ?? 0) + 1;
    }
    const row = await tx
      .insertInto('reports')
      .values({
        agency_id: r.agencyId,
        year: r.year,
        format: r.format,
        file_name: r.fileName,
        kind: r.kind,
        uploaded_by: r.uploadedBy,
        uploaded_at: at,
        original: Buffer.from(r.original.buffer, r.original.byteOffset, r.original.byteLength),
        report: JSON.stringify(r.report),
        diagnostics: JSON.stringify(r.diagnostics),
        source: r.source === null || r.source === undefined ? null : JSON.stringify(r.source),
        figures: JSON.stringify(r.figures),
        errors: r.errors,
        warnings: r.warnings,
        infos: r.infos,
        content_hash: r.contentHash ?? null,
        version,
        published_on: r.publishedOn ?? null,
        cells: r.cells ? JSON.stringify(r.cells) : null,
        batch_id: r.batchId ?? null,
        prev_similarity: r.previousSimilarity === undefined ? null : JSON.stringify(r.previousSimilarity),
        publisher: publisherOf(r.report),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    await audit(tx, who, 'report:create', r.agencyId, `report:${id}`, null, summaryOf(r, id, at));
    return id;
  });
}

const SUMMARY_COLUMNS = [
  'reports.id',
  'reports.agency_id',
  'agencies.name as agency_name',
  'reports.publisher',
  'reports.year',
  'reports.format',
  'reports.file_name',
  'reports.kind',
  'reports.uploaded_at',
  'reports.uploaded_by',
  'reports.errors',
  'reports.warnings',
  'reports.infos',
] as const;

function reportSummaryOf(r: {
  id: number;
  agency_id: number;
  agency_name: string | null;
  publisher: string | null;
  year: number | null;
  format: string | null;
  file_name: string;
  kind: string;
  uploaded_at: string;
  uploaded_by: string;
  errors: number;
  warnings: number;
  infos: number;
}): ReportSummaryRow {
  return {
    id: r.id,
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    publisher: r.publisher,
    year: r.year,
    format: r.format,
    fileName: r.file_name,
    kind: r.kind,
    uploadedAt: r.uploaded_at,
    uploadedBy: r.uploaded_by,
    errors: Number(r.errors),
    warnings: Number(r.warnings),
    infos: Number(r.infos),
  };
}

/** reports of the given agencies (optionally one year), newest year first, then by agency and id */
export async function listReports(db: AppDb, filter: { agencyIds: readonly number[]; year?: number }): Promise<ReportSummaryRow[]> {
  if (filter.agencyIds.length === 0) return [];
  let q = db
    .selectFrom('reports')
    .leftJoin('agencies', 'agencies.id', 'reports.agency_id')
    .select([...SUMMARY_COLUMNS])
    .where('reports.agency_id', 'in', filter.agencyIds as number[]);
  if (filter.year !== undefined) q = q.where('reports.year', '=', filter.year);
  const rows = await q.orderBy('reports.year', 'desc').orderBy('reports.agency_id').orderBy('reports.id').execute();
  return rows.map(reportSummaryOf);
}

/** one report with its JSON columns (not the original file) */
export async function getReport(db: AppDb, id: number): Promise<StoredReportRow | undefined> {
  const r = await db
    .selectFrom('reports')
    .leftJoin('agencies', 'agencies.id', 'reports.agency_id')
    .select([...SUMMARY_COLUMNS, 'reports.report', 'reports.diagnostics', 'reports.source'])
    .where('reports.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  return { ...reportSummaryOf(r), report: r.report, diagnostics: r.diagnostics, source: r.source };
}

/** the agency of a report (a cheap look-up for the scope check), undefined when there is no such report */
export async function reportAgency(db: AppDb, id: number): Promise<number | undefined> {
  const r = await db.selectFrom('reports').select('agency_id').where('id', '=', id).executeTakeFirst();
  return r?.agency_id;
}

/** the uploaded file of a report */
export async function getReportOriginal(db: AppDb, id: number): Promise<Uint8Array | undefined> {
  const r = await db.selectFrom('reports').select('original').where('id', '=', id).executeTakeFirst();
  return r ? new Uint8Array(r.original) : undefined;
}

/** the report of an agency for a year (the latest uploaded), e.g. last year's for the cross-year rules */
export async function findReport(db: AppDb, agencyId: number, year: number, excludeId?: number): Promise<StoredReportRow | undefined> {
  let q = db.selectFrom('reports').select('id').where('agency_id', '=', agencyId).where('year', '=', year);
  if (excludeId !== undefined) q = q.where('id', '<>', excludeId);
  const r = await q.orderBy('id', 'desc').executeTakeFirst();
  return r ? getReport(db, r.id) : undefined;
}

/** the figures of the reports of the given agencies (optionally one year) for the statistics */
export async function reportFigures(
  db: AppDb,
  filter: { agencyIds: readonly number[]; year?: number },
): Promise<{ id: number; agencyId: number; year: number | null; format: string | null; figures: ReportFigures }[]> {
  if (filter.agencyIds.length === 0) return [];
  let q = db
    .selectFrom('reports')
    .select(['id', 'agency_id', 'year', 'format', 'figures'])
    .where('agency_id', 'in', filter.agencyIds as number[]);
  if (filter.year !== undefined) q = q.where('year', '=', filter.year);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    agencyId: r.agency_id,
    year: r.year,
    format: r.format,
    figures: JSON.parse(r.figures) as ReportFigures,
  }));
}

export async function deleteReport(db: AppDb, id: number, who: string): Promise<boolean> {
  return writeTx(regDb(db), async (t) => {
    const tx = asApp(t);
    const r = await tx
      .selectFrom('reports')
      .select(['id', 'agency_id', 'year', 'format', 'file_name', 'kind', 'uploaded_at', 'uploaded_by', 'errors', 'warnings', 'infos'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) return false;
    await tx.deleteFrom('reports').where('id', '=', id).execute();
    await audit(tx, who, 'report:delete', r.agency_id, `report:${id}`, r, null);
    return true;
  });
}

// ---------------------------------------------------------------------------
// Drafts (年报编制)
// ---------------------------------------------------------------------------

export interface DraftRow {
  agencyId: number;
  year: number;
  data: unknown;
  updatedBy: string;
  updatedAt: string;
}

export async function getDraft(db: AppDb, agencyId: number, year: number): Promise<DraftRow | undefined> {
  const r = await db.selectFrom('drafts').selectAll().where('agency_id', '=', agencyId).where('year', '=', year).executeTakeFirst();
  return r
    ? { agencyId: r.agency_id, year: r.year, data: JSON.parse(r.data), updatedBy: r.updated_by, updatedAt: r.updated_at }
    : undefined;
}

export async function saveDraft(db: AppDb, agencyId: number, year: number, data: unknown, who: string): Promise<DraftRow> {
  return writeTx(regDb(db), async (t) => {
    const tx = asApp(t);
    const at = nowIso();
    // one save of a draft at a time, so that the audit row's `before` is the draft this save replaced:
    // SQLite's write lock (BEGIN IMMEDIATE) already serialises; PostgreSQL takes a transaction-scoped
    // advisory lock on the draft (a row lock cannot be taken on a row that does not exist yet)
    if (dbKind(regDb(db)) === 'postgres') {
      await sql`select pg_advisory_xact_lock(hashtext(${`nianbao:draft:${agencyId}:${year}`}))`.execute(tx);
    }
    const before = await tx
      .selectFrom('drafts')
      .select('data')
      .where('agency_id', '=', agencyId)
      .where('year', '=', year)
      .executeTakeFirst();
    const json = JSON.stringify(data);
    // an upsert: the first save of a draft never fails on the key, whoever else saves it
    await tx
      .insertInto('drafts')
      .values({ agency_id: agencyId, year, data: json, updated_by: who, updated_at: at })
      .onConflict((oc) => oc.columns(['agency_id', 'year']).doUpdateSet({ data: json, updated_by: who, updated_at: at }))
      .execute();
    await audit(tx, who, 'draft:save', agencyId, `draft:${agencyId}:${year}`, before ? JSON.parse(before.data) : null, data, at);
    return { agencyId, year, data, updatedBy: who, updatedAt: at };
  });
}
