/**
 * The register's database: a SQLite file by default (Kysely + better-sqlite3).
 *
 * - File: `--db FILE`, else the `NIANBAO_DB` environment variable, else `nianbao.db` in the cwd.
 * - WAL journal with `synchronous=FULL`: a committed transaction survives a killed process
 *   (and a power loss); `busy_timeout` lets a second process wait for the writer.
 * - Schema by Kysely's Migrator with the migrations in code (`MIGRATIONS`).
 * - The dialect is chosen only in `openDb` (PostgreSQL will be added there).
 */
import SQLite from 'better-sqlite3';
import { type Generated, Kysely, type Migration, type MigrationProvider, Migrator, SqliteDialect, sql } from 'kysely';

export interface CasesTable {
  id: string;
  /** the whole Case as JSON */
  data: string;
  applicant_type: string;
  received_on: string;
  /** 0 open, 1 closed */
  closed: number;
  outcome: string | null;
  updated_at: string;
}

export interface EventsTable {
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
  case_id: string;
  before: string | null;
  after: string | null;
}

export interface Database {
  cases: CasesTable;
  events: EventsTable;
  audit: AuditTable;
}

export type Db = Kysely<Database>;

export const MIGRATIONS: Record<string, Migration> = {
  '0001_register': {
    async up(db: Kysely<unknown>) {
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
      await db.schema
        .createTable('audit')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('who', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .execute();
      await db.schema.createIndex('audit_case').on('audit').column('case_id').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('audit').execute();
      await db.schema.dropTable('events').execute();
      await db.schema.dropTable('cases').execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export const DEFAULT_DB_FILE = 'nianbao.db';

/** the database file: the explicit option, then NIANBAO_DB, then nianbao.db in the cwd */
export function dbFile(option?: string): string {
  return option || process.env.NIANBAO_DB || DEFAULT_DB_FILE;
}

export class StoreError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} / ${en}`);
    this.name = 'StoreError';
  }
}

/** opens (creating if needed) the database and brings its schema up to date */
export async function openDb(file?: string): Promise<Db> {
  const path = dbFile(file);
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
  await migrate(db);
  return db;
}

export async function migrate(db: Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '?';
    throw new StoreError(
      `数据库迁移 ${failed} 失败：${(error as Error).message ?? String(error)}`,
      `migration ${failed} failed: ${(error as Error).message ?? String(error)}`,
    );
  }
}

/** `PRAGMA integrity_check` → 'ok' or the problems found */
export async function integrityCheck(db: Db): Promise<string> {
  const r = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db);
  return r.rows.map((x) => x.integrity_check).join('\n');
}
