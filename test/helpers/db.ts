/**
 * Fresh databases for store tests: SQLite files always, PostgreSQL when `NIANBAO_TEST_PG` holds a
 * server URL (e.g. postgres://postgres@127.0.0.1:5432/postgres; `.ci/run` starts one). Each
 * PostgreSQL test gets its own database, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type Backend = 'sqlite' | 'postgres';

export const PG_URL = process.env.NIANBAO_TEST_PG || '';

/** the backends to run portable store tests on */
export const BACKENDS: Backend[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface Fresh {
  /** a file path or a postgres:// URL, for openDb */
  target: string;
  cleanup(): Promise<void>;
}

export async function freshTarget(backend: Backend): Promise<Fresh> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-db-'));
    return { target: join(dir, 'test.db'), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `nianbao_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    target: url.toString(),
    async cleanup() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
