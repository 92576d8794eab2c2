/** What every route module of the server gets: the database, the clock and the limits. */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AppDb } from '../store/app.js';
import type { Db } from '../store/db.js';

import type { ReadInput } from './pipeline.js';

export interface Limits {
  /** largest request body (uploads, pasted text, JSON), bytes; default 20 MB */
  uploadBytes: number;
  /** a session ends after this long without a request; default 12 hours */
  sessionIdleMs: number;
  /** failed logins of one user name within `loginWindowMs` before further attempts are refused (429) */
  loginAttempts: number;
  loginWindowMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  uploadBytes: 20 * 1024 * 1024,
  sessionIdleMs: 12 * 60 * 60 * 1000,
  loginAttempts: 10,
  loginWindowMs: 15 * 60 * 1000,
};

export interface ServerContext {
  db: AppDb;
  /** the same database, typed for the register's functions (src/store/register.ts) */
  reg: Db;
  now: () => Date;
  /** today's date (YYYY-MM-DD) in the server's time zone (default Asia/Shanghai) */
  today: () => string;
  limits: Limits;
  /** set `Secure` on the session cookie even over plain HTTP (behind a TLS proxy) */
  secureCookies: boolean;
  version: string;
  /** reads an upload into a Report (in place, or on reader threads: ./read-pool.ts) */
  reader: Reader;
}

export interface Reader {
  read(bytes: Uint8Array, name: string): Promise<ReadInput>;
}

/** the repository / package root (src/server and dist/server are both two levels down) */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export { dateIn } from '../register/clock.js';
