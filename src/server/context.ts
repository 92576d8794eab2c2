/** What every route module of the server gets: the database, the clock and the limits. */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AppDb } from '../store/app.js';
import type { Db } from '../store/db.js';

import type { Jobs } from './jobs.js';

export interface Limits {
  /** largest request body (uploads), bytes; default 20 MB */
  uploadBytes: number;
  /** largest JSON request body (a Report, a draft, pasted text), bytes; default 2 MB */
  jsonBytes: number;
  /** largest ZIP sent as raw bytes to the bulk intake (POST /api/intake), bytes; default 200 MB */
  intakeBytes: number;
  /** a session ends after this long without a request; default 12 hours */
  sessionIdleMs: number;
  /**
   * failed logins of one user name from one client address within `loginWindowMs` before that
   * address's further attempts at that user name are refused (429); default 10. Other addresses are
   * not locked by them (see `loginAccountAttempts` and the policy in src/server/auth.ts).
   */
  loginAttempts: number;
  /** the window of every login counter, from its first failure; default 15 minutes */
  loginWindowMs: number;
  /** failed logins from one client address, whatever the user names, before it is refused (429); default 30 */
  loginAddressAttempts: number;
  /**
   * failed logins of one user name from all addresses before every address must wait before its
   * next attempt at it (429 with Retry-After, never a lock); default 10
   */
  loginAccountAttempts: number;
  /** that wait at `loginAccountAttempts` failures, doubling with each further failure; default 1 second */
  loginAccountDelayMs: number;
  /** the longest such wait; default 30 seconds */
  loginAccountMaxDelayMs: number;
  /**
   * entries of each login-throttle table (addresses, user names, user name × address); when a table
   * is full, only expired entries are evicted and new keys share one overflow counter; default 10 000
   */
  loginTableSize: number;
  /**
   * reverse proxies in front of the server whose `X-Forwarded-For` is trusted for the client address
   * (0: none, the socket's address is used); default NIANBAO_TRUST_PROXY (a number, or 0)
   */
  trustProxy?: number;
}

export const DEFAULT_LIMITS: Limits = {
  uploadBytes: 20 * 1024 * 1024,
  jsonBytes: 2 * 1024 * 1024,
  intakeBytes: 200 * 1024 * 1024,
  sessionIdleMs: 12 * 60 * 60 * 1000,
  loginAttempts: 10,
  loginWindowMs: 15 * 60 * 1000,
  loginAddressAttempts: 30,
  loginAccountAttempts: 10,
  loginAccountDelayMs: 1000,
  loginAccountMaxDelayMs: 30 * 1000,
  loginTableSize: 10_000,
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
  /** the CPU-heavy work: reading, checking, rendering (on the worker pool in production: ./jobs.ts) */
  jobs: Jobs;
}

/** the repository / package root (src/server and dist/server are both two levels down) */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export { dateIn } from '../register/clock.js';
