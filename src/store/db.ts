/**
 * The register's database: a SQLite file by default (Kysely + better-sqlite3).
 *
 * - File: `--db FILE`, else the `NIANBAO_DB` environment variable, else `nianbao.db` in the cwd.
 * - WAL journal with `synchronous=FULL`: a committed transaction survives a killed process
 *   (and a power loss); `busy_timeout` lets a second process wait for the writer.
 * - Schema by Kysely's Migrator with the migrations in code (`MIGRATIONS`).
 * - PostgreSQL instead when the target is a `postgres://` or `postgresql://` URL (same option and
 *   variable): the same queries and migrations run on both; the dialect is chosen only here
 *   (`openDb`) and the few places that differ ask `dbKind(db)`.
 */
import SQLite from 'better-sqlite3';
import {
  type CreateTableBuilder,
  type Generated,
  Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
} from 'kysely';
import pg from 'pg';
import { NianbaoError } from '../model/errors.js';

export interface CasesTable {
  id: string;
  /** the agency whose register holds the case ('' for the CLI's unnamed register) */
  agency_id: string;
  /** the whole Case as JSON */
  data: string;
  applicant_type: string;
  received_on: string;
  /** 0 open, 1 closed */
  closed: number;
  outcome: string | null;
  updated_at: string;
  /** the day the case was concluded (null while open) */
  closed_on: string | null;
  /** the linked 复议/诉讼 (`state.proceedings`) as JSON, for the statistics */
  proceedings: string;
}

export interface EventsTable {
  agency_id: string;
  case_id: string;
  seq: number;
  data: string;
  user: string;
  at: string;
}

export interface AuditTable {
  id: Generated<number>;
  who: string;
  at: string;
  action: string;
  agency_id: string;
  case_id: string;
  before: string | null;
  after: string | null;
}

/** tables added by other parts (the server) through `EXTRA_MIGRATIONS` are typed in their own modules */

export interface NoticeSettingsTable {
  agency_id: string;
  /** NoticeSettings as JSON */
  data: string;
  updated_by: string;
  updated_at: string;
}

export interface NoticeTemplatesTable {
  agency_id: string;
  key: string;
  /** NoticeTemplate as JSON */
  data: string;
  updated_by: string;
  updated_at: string;
}

export interface NoticeCountersTable {
  agency_id: string;
  year: number;
  /** the last serial number given in the year */
  last: number;
}

export interface NoticesTable {
  id: Generated<number>;
  agency_id: string;
  case_id: string;
  /** the template key, e.g. correction or reply.granted */
  key: string;
  /** the event of the case it notifies (1-based), 0 for the receipt */
  event_seq: number;
  year: number;
  serial: number;
  number: string;
  issued_on: string;
  issued_by: string;
  issued_at: string;
  /** the issued NoticeDocument and its free parts as JSON, never changed */
  content: string;
  /** SHA-256 of `content` */
  hash: string;
  supersedes: number | null;
  superseded_by: number | null;
}

export interface LedgerImportsTable {
  id: Generated<number>;
  agency_id: string;
  file_name: string;
  sha256: string;
  /** the column mapping used, as JSON */
  mapping: string;
  rows: number;
  imported: number;
  skipped: number;
  /** the case ids imported, as a JSON array */
  ids: string;
  by: string;
  at: string;
}

export interface Database {
  cases: CasesTable;
  events: EventsTable;
  audit: AuditTable;
  notice_settings: NoticeSettingsTable;
  notice_templates: NoticeTemplatesTable;
  notice_counters: NoticeCountersTable;
  notices: NoticesTable;
  ledger_imports: LedgerImportsTable;
}

export type Db = Kysely<Database>;

export type DbKind = 'sqlite' | 'postgres';

const kinds = new WeakMap<object, DbKind>();

/** records that `db` (a transaction or connection of a database) is on `kind` */
export function tagKind(db: object, kind: DbKind): void {
  kinds.set(db, kind);
}

/** which database `db` is on (migrations receive a Kysely whose kind is that of the db they migrate) */
export function dbKind(db: Kysely<unknown> | Kysely<Database>): DbKind {
  return kinds.get(db) ?? 'sqlite';
}

/** an auto-numbered integer primary key on either database */
export function addIdColumn(
  db: Kysely<unknown>,
  table: CreateTableBuilder<string, string>,
  name = 'id',
): CreateTableBuilder<string, string> {
  return dbKind(db) === 'postgres'
    ? table.addColumn(name, 'serial', (c) => c.primaryKey())
    : table.addColumn(name, 'integer', (c) => c.primaryKey().autoIncrement());
}

export const MIGRATIONS: Record<string, Migration> = {
  '0001_register': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('cases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('applicant_type', 'text', (c) => c.notNull())
        .addColumn('received_on', 'text', (c) => c.notNull())
        .addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('outcome', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cases_received_on').on('cases').column('received_on').execute();
      await db.schema.createIndex('cases_closed').on('cases').column('closed').execute();
      await db.schema
        .createTable('events')
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('user', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('events_pk', ['case_id', 'seq'])
        .execute();
      await addIdColumn(db, db.schema.createTable('audit'))
        .addColumn('who', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .execute();
      await db.schema.createIndex('audit_case').on('audit').column('case_id').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('audit').execute();
      await db.schema.dropTable('events').execute();
      await db.schema.dropTable('cases').execute();
    },
  },
  /**
   * Each agency keeps its own register and numbers its own cases: the key of a case becomes
   * (agency_id, id). SQLite cannot change a primary key in place, so cases and events are
   * copied into new tables (existing cases go to the unnamed register '').
   */
  '0002_case_agency': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('cases_v2')
        .addColumn('agency_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('applicant_type', 'text', (c) => c.notNull())
        .addColumn('received_on', 'text', (c) => c.notNull())
        .addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('outcome', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('cases_v2_pk', ['agency_id', 'id'])
        .execute();
      await db
        .insertInto('cases_v2')
        .columns(['agency_id', 'id', 'data', 'applicant_type', 'received_on', 'closed', 'outcome', 'updated_at'])
        .expression(
          db
            .selectFrom('cases')
            .select([sql.lit('').as('agency_id'), 'id', 'data', 'applicant_type', 'received_on', 'closed', 'outcome', 'updated_at']),
        )
        .execute();
      await db.schema
        .createTable('events_v2')
        .addColumn('agency_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('user', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('events_v2_pk', ['agency_id', 'case_id', 'seq'])
        .addForeignKeyConstraint('events_v2_case', ['agency_id', 'case_id'], 'cases_v2', ['agency_id', 'id'])
        .execute();
      await db
        .insertInto('events_v2')
        .columns(['agency_id', 'case_id', 'seq', 'data', 'user', 'at'])
        .expression(db.selectFrom('events').select([sql.lit('').as('agency_id'), 'case_id', 'seq', 'data', 'user', 'at']))
        .execute();
      await db.schema.dropTable('events').execute();
      await db.schema.dropTable('cases').execute();
      await db.schema.alterTable('cases_v2').renameTo('cases').execute();
      await db.schema.alterTable('events_v2').renameTo('events').execute();
      await db.schema.createIndex('cases_agency_received').on('cases').columns(['agency_id', 'received_on']).execute();
      await db.schema.createIndex('cases_agency_closed').on('cases').columns(['agency_id', 'closed']).execute();
      await db.schema
        .alterTable('audit')
        .addColumn('agency_id', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema.dropIndex('audit_case').execute();
      await db.schema.createIndex('audit_agency_case').on('audit').columns(['agency_id', 'case_id']).execute();
    },
  },
  /**
   * The statistics read a few columns instead of every case's JSON: the day closed and the
   * proceedings (filled in from the JSON for the cases already stored).
   */
  '0003_case_stats_columns': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('cases').addColumn('closed_on', 'text').execute();
      await db.schema
        .alterTable('cases')
        .addColumn('proceedings', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      const rows = await db.selectFrom('cases').select(['agency_id', 'id', 'data']).execute();
      for (const r of rows as { agency_id: string; id: string; data: string }[]) {
        const state = (JSON.parse(r.data) as { state?: { closed?: { on?: string } | null; proceedings?: unknown[] } }).state;
        await db
          .updateTable('cases')
          .set({ closed_on: state?.closed?.on ?? null, proceedings: JSON.stringify(state?.proceedings ?? []) })
          .where('agency_id', '=', r.agency_id)
          .where('id', '=', r.id)
          .execute();
      }
    },
  },
  /** holiday notices entered by administrators (src/store/holidays.ts); never updated or deleted */
  '0004_holiday_notices': {
    async up(db: Kysely<any>) {
      await addIdColumn(db, db.schema.createTable('holiday_notices'))
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('jurisdiction', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('days_off', 'text', (c) => c.notNull())
        .addColumn('make_up', 'text', (c) => c.notNull())
        .addColumn('entered_by', 'text', (c) => c.notNull())
        .addColumn('entered_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  /**
   * notices (文书) of the register (src/store/notices.ts): each agency's settings and templates, the
   * numbering counter of each (agency, year), and every issued notice, stored unchanged with its hash
   */
  '0005_notices': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('notice_settings')
        .addColumn('agency_id', 'text', (c) => c.primaryKey())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('notice_templates')
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('notice_templates_pk', ['agency_id', 'key'])
        .execute();
      await db.schema
        .createTable('notice_counters')
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('last', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('notice_counters_pk', ['agency_id', 'year'])
        .execute();
      await addIdColumn(db, db.schema.createTable('notices'))
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('event_seq', 'integer', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('serial', 'integer', (c) => c.notNull())
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('issued_on', 'text', (c) => c.notNull())
        .addColumn('issued_by', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('supersedes', 'integer')
        .addColumn('superseded_by', 'integer')
        .addUniqueConstraint('notices_number_unique', ['agency_id', 'year', 'serial'])
        .execute();
      await db.schema.createIndex('notices_case').on('notices').columns(['agency_id', 'case_id']).execute();
    },
  },
  /** imports of an office's 台账 (src/store/ledger.ts): one row per import, beside the per-case audit rows */
  '0006_ledger_imports': {
    async up(db: Kysely<any>) {
      await addIdColumn(db, db.schema.createTable('ledger_imports'))
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('mapping', 'text', (c) => c.notNull())
        .addColumn('rows', 'integer', (c) => c.notNull())
        .addColumn('imported', 'integer', (c) => c.notNull())
        .addColumn('skipped', 'integer', (c) => c.notNull())
        .addColumn('ids', 'text', (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

/**
 * Migrations of other parts (the server's users, sessions, reports…), registered by their modules
 * before `openDb`; names sort after the register's (`1xxx_…`). Kept apart so that each part owns its tables.
 */
export const EXTRA_MIGRATIONS: Record<string, Migration> = {};

const provider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS, ...EXTRA_MIGRATIONS }) };

export const DEFAULT_DB_FILE = 'nianbao.db';

/** the database file or URL: the explicit option, then NIANBAO_DB, then nianbao.db in the cwd */
export function dbFile(option?: string): string {
  return option || process.env.NIANBAO_DB || DEFAULT_DB_FILE;
}

export type StoreErrorCode = 'not-found' | 'duplicate' | 'damaged' | 'bad-input' | 'database';

/** a refusal or failure of the store; `code` tells what (the server's status comes from it) */
export class StoreError extends NianbaoError {
  constructor(zh: string, en: string, code: StoreErrorCode = 'database') {
    super(code, zh, en);
    this.name = 'StoreError';
  }
}

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** the URL without its password, for messages */
export function redactUrl(target: string): string {
  return target.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/** opens (creating if needed) the database and brings its schema up to date */
export async function openDb(file?: string): Promise<Db> {
  const path = dbFile(file);
  if (isPostgresUrl(path)) return openPostgres(path);
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(path);
  } catch (e) {
    throw new StoreError(
      `无法打开数据库文件 ${path}：${(e as Error).message}`,
      `cannot open the database file ${path}: ${(e as Error).message}`,
    );
  }
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  kinds.set(db, 'sqlite');
  await migrate(db);
  return db;
}

async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  // an idle client's error (server restart) must not crash the process; the next query reports it
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => {});
    throw new StoreError(
      `无法连接 PostgreSQL 数据库 ${redactUrl(url)}：${(e as Error).message}`,
      `cannot connect to the PostgreSQL database ${redactUrl(url)}: ${(e as Error).message}`,
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  kinds.set(db, 'postgres');
  await migrate(db);
  return db;
}

export async function migrate(db: Db): Promise<void> {
  const kind = dbKind(db);
  // the migrator hands migrations a transaction-bound Kysely: tag it with the same kind
  const tagging: MigrationProvider = {
    getMigrations: async () => {
      const all = await provider.getMigrations();
      const out: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(all)) {
        out[name] = {
          up: (d) => {
            kinds.set(d, kind);
            return m.up(d);
          },
          down: m.down
            ? (d) => {
                kinds.set(d, kind);
                return m.down!(d);
              }
            : undefined,
        };
      }
      return out;
    },
  };
  const { error, results } = await new Migrator({ db, provider: tagging, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '?';
    throw new StoreError(
      `数据库迁移 ${failed} 失败：${(error as Error).message ?? String(error)}`,
      `migration ${failed} failed: ${(error as Error).message ?? String(error)}`,
    );
  }
}

/** `PRAGMA integrity_check` → 'ok' or the problems found (PostgreSQL: 'ok' when it answers) */
export async function integrityCheck(db: Db): Promise<string> {
  if (dbKind(db) === 'postgres') {
    await sql`select 1`.execute(db);
    return 'ok';
  }
  const r = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db);
  return r.rows.map((x) => x.integrity_check).join('\n');
}
