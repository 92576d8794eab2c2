/**
 * Sessions, CSRF and the scope of each role (docs/api.md “Roles and scope”).
 *
 * - The session cookie `nb_session` holds a random token; the database holds its SHA-256. A session
 *   ends after 12 hours without a request (the idle time is moved forward at most once a minute).
 * - Every request other than GET/HEAD/OPTIONS (login excepted) must send `X-CSRF-Token`, the token
 *   of its session (compared in constant time) → else 403 `csrf`.
 * - Scope: clerk and readonly see their own agency; reviewer and admin their agency and every agency
 *   under it (an admin without an agency: everything). Outside the scope is 404, never 403.
 * - Failed logins are throttled per address, per (user name, address) and per user name (a wait,
 *   never a lock); the policy is at `LoginThrottle` below.
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import {
  type Agency,
  type AppDb,
  findSession,
  listAgencies,
  type Role,
  type Session,
  subtreeIds,
  touchSession,
  type User,
} from '../store/app.js';
import type { Limits } from './context.js';
import { ApiError, forbidden, notFound } from './errors.js';

export const SESSION_COOKIE = 'nb_session';
export const DEFAULT_IDLE_MS = 12 * 60 * 60 * 1000;
/** the idle expiry is written back at most this often */
const TOUCH_EVERY_MS = 60 * 1000;

export interface AppEnv {
  Variables: {
    user: User;
    session: Session;
  };
}

export const unauthenticated = () =>
  new ApiError(401, 'unauthenticated', '尚未登录或登录已过期，请重新登录。', 'Not logged in, or the session has expired.');

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** loads the session of the cookie (401 without one), checks the CSRF header on writes (403) */
export function sessionMiddleware(
  db: AppDb,
  opts: { idleMs: number; now: () => Date; public: ReadonlySet<string> },
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (opts.public.has(c.req.path)) return next();
    const token = getCookie(c, SESSION_COOKIE);
    if (!token || token.length > 200) throw unauthenticated();
    const now = opts.now();
    const found = await findSession(db, token, now);
    if (!found) throw unauthenticated();
    if (!SAFE_METHODS.has(c.req.method)) {
      const header = c.req.header('x-csrf-token');
      if (!header || !sameToken(header, found.session.csrfToken)) {
        throw new ApiError(
          403,
          'csrf',
          '缺少或错误的 CSRF 令牌（X-CSRF-Token），请刷新页面后重试。',
          'Missing or wrong CSRF token (X-CSRF-Token); reload the page and try again.',
        );
      }
    }
    if (now.getTime() - Date.parse(found.session.lastSeen) > TOUCH_EVERY_MS) await touchSession(db, found.session.id, opts.idleMs, now);
    c.set('user', found.user);
    c.set('session', found.session);
    return next();
  };
}

export function requireRole(c: Context<AppEnv>, roles: readonly Role[]): User {
  const user = c.get('user');
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}

/** what a user may read: the agency ids, or 'all' */
export function readableIds(user: User, agencies: readonly Agency[]): number[] | 'all' {
  if (user.role === 'admin' || user.role === 'reviewer') {
    return user.agencyId === null ? (user.role === 'admin' ? 'all' : []) : subtreeIds(agencies, user.agencyId);
  }
  return user.agencyId === null ? [] : [user.agencyId];
}

export type WriteKind = 'register' | 'report' | 'admin';

/** roles allowed to write each kind of thing (docs/api.md) */
const WRITERS: Record<WriteKind, readonly Role[]> = {
  register: ['clerk', 'admin'],
  report: ['clerk', 'reviewer', 'admin'],
  admin: ['admin'],
};

/** the scope of a request's user, over the agencies read once per request */
export class Scope {
  private constructor(
    readonly user: User,
    readonly agencies: Agency[],
    private readonly readable: ReadonlySet<number> | 'all',
  ) {}

  static async of(db: AppDb, user: User): Promise<Scope> {
    const agencies = await listAgencies(db);
    const ids = readableIds(user, agencies);
    return new Scope(user, agencies, ids === 'all' ? 'all' : new Set(ids));
  }

  canRead(agencyId: number): boolean {
    return this.readable === 'all' ? this.agencies.some((a) => a.id === agencyId) : this.readable.has(agencyId);
  }

  /** the readable agencies */
  visible(): Agency[] {
    return this.agencies.filter((a) => this.canRead(a.id));
  }

  agency(id: number): Agency | undefined {
    return this.agencies.find((a) => a.id === id);
  }

  /** the agency asked for (default: the user's own), 404 when out of scope, 400 when there is none */
  target(agencyId: number | undefined): Agency {
    const id = agencyId ?? this.user.agencyId;
    if (id === null || id === undefined) {
      throw new ApiError(400, 'agency-required', '请指定机关（agencyId）。', 'Give the agency (agencyId).');
    }
    const a = this.agency(id);
    if (!a || !this.canRead(id)) throw notFound('没有这个机关，或不在您的权限范围内。', 'No such agency in your scope.');
    return a;
  }

  /** the readable ids under an agency (itself included), or all readable ones */
  idsUnder(agencyId: number | undefined): number[] {
    if (agencyId === undefined) return this.visible().map((a) => a.id);
    this.target(agencyId);
    return subtreeIds(this.agencies, agencyId).filter((id) => this.canRead(id));
  }

  /**
   * may the user write `kind` for the agency: role first (403), then scope (404). Clerks write only
   * for their own agency; reviewers and admins anywhere in their scope.
   */
  requireWrite(kind: WriteKind, agencyId: number | undefined): Agency {
    if (!WRITERS[kind].includes(this.user.role)) throw forbidden();
    const a = this.target(agencyId);
    if (this.user.role === 'clerk' && a.id !== this.user.agencyId) {
      throw notFound('没有这个机关，或不在您的权限范围内。', 'No such agency in your scope.');
    }
    return a;
  }
}

// ---------------------------------------------------------------------------
// Login throttling
// ---------------------------------------------------------------------------

/**
 * The login throttle. Every attempt at `POST /api/login` is counted as a failure before the password
 * is checked (so parallel attempts cannot slip past a limit) and uncounted when the password was
 * right. Three counters, each over `loginWindowMs` (15 minutes) from its first failure:
 *
 * 1. per client address, whatever the user names: after `loginAddressAttempts` (30) failures the
 *    address is refused (429) until its window ends. One address can neither try many accounts nor
 *    fill the tables below;
 * 2. per (user name, address): after `loginAttempts` (10) failures that address is refused for that
 *    user name until the window ends. Only that address: a stranger cannot lock the account for
 *    anybody else;
 * 3. per user name, from all addresses: from `loginAccountAttempts` (10) failures on, the account
 *    is “hot”, and an address (also one that never failed) must wait before each attempt at it:
 *    its first attempt gets 429 with Retry-After = `loginAccountDelayMs` (1 s) doubled for each
 *    failure beyond the threshold, at most `loginAccountMaxDelayMs` (30 s); once that wait is over
 *    the address may try once (the pass is the address's own: strangers cannot use it up), then
 *    waits again while the account stays hot. So the real user, from a clean address, logs in after
 *    at most 30 seconds however many addresses an attacker has, and an attacker gets at most one
 *    guess per address per wait.
 *
 * A successful login forgets the (user name, address) counter; it does not clear the address's or
 * the account's (logging in to one's own account buys no more guesses at others). Unknown user
 * names are counted exactly like real ones (no enumeration).
 *
 * Memory is bounded: each table holds at most `loginTableSize` (10 000) keys. When a table is full,
 * only entries whose window has expired are evicted (oldest first); when none has, a new key falls
 * into an overflow counter: for addresses and for user names one counter shared by every key that
 * did not fit, throttled with the same limits; for (user name, address) the address's own counter
 * (then limit 1 and 3 still apply). Nothing is ever cleared early, so failing under many names or
 * from many addresses never resets the counter of another key. (An attacker who fills the address
 * table — more than 10 000 addresses or IPv6 /64 networks failing within one window — makes new
 * addresses share one counter until entries expire; that is the price of the bound.)
 *
 * The client address is the socket's (`getConnInfo` of @hono/node-server), or — only when
 * `trustProxy` (NIANBAO_TRUST_PROXY=N) says N reverse proxies are in front of the server — the Nth
 * address from the right of `X-Forwarded-For` (what the outermost trusted proxy saw; entries to its
 * left are written by the client and never trusted). IPv6 addresses count per /64 network,
 * IPv4-mapped IPv6 addresses as IPv4. A request without a socket (tests' `app.request`) is 'unknown'.
 */

/** failures in the window from `first`; `passAt` (address counters): when the address may try a hot account */
interface Counter {
  count: number;
  first: number;
  passAt?: number;
}

/**
 * counters by key, at most `cap` of them; the keys that do not fit share one overflow counter
 * (`shared`), or get none (null)
 */
export class CounterTable {
  private readonly map = new Map<string, Counter>();
  private overflow: Counter | null = null;

  constructor(
    readonly cap: number,
    private readonly windowMs: number,
    private readonly shared: boolean,
  ) {}

  get size(): number {
    return this.map.size;
  }

  private live(c: Counter | null | undefined, now: number): c is Counter {
    return !!c && now - c.first < this.windowMs;
  }

  /** the live counter of `key`: its own, else the overflow's while that is live, else undefined */
  get(key: string, now: number): Counter | undefined {
    const c = this.map.get(key);
    if (c) {
      if (this.live(c, now)) return c;
      this.map.delete(key);
      return undefined;
    }
    return this.live(this.overflow, now) ? this.overflow : undefined;
  }

  /** the counter to count `key` on: its own (a fresh one when absent or expired), or the overflow when the table is full */
  entry(key: string, now: number): Counter | null {
    const c = this.map.get(key);
    if (c) {
      if (this.live(c, now)) return c;
      this.map.delete(key);
    }
    this.evict(now);
    if (this.map.size < this.cap) {
      const fresh: Counter = { count: 0, first: now };
      this.map.set(key, fresh);
      return fresh;
    }
    if (!this.shared) return null;
    if (!this.live(this.overflow, now)) this.overflow = { count: 0, first: now };
    return this.overflow;
  }

  /** forgets `key` when `counter` is its own */
  delete(key: string, counter: Counter): void {
    if (this.map.get(key) === counter) this.map.delete(key);
  }

  /** drops expired counters from the front (insertion order, which is the order of `first`) */
  private evict(now: number): void {
    for (const [k, c] of this.map) {
      if (this.live(c, now)) break;
      this.map.delete(k);
    }
  }
}

export type LoginLimits = Pick<
  Limits,
  | 'loginAttempts'
  | 'loginWindowMs'
  | 'loginAddressAttempts'
  | 'loginAccountAttempts'
  | 'loginAccountDelayMs'
  | 'loginAccountMaxDelayMs'
  | 'loginTableSize'
>;

/** why an attempt is refused: its address, its (user name, address) pair, or the wait of a hot account */
export type ThrottleReason = 'address' | 'account' | 'delay';

export type LoginAttempt = { ok: true; ticket: LoginTicket } | { ok: false; reason: ThrottleReason; retryAfterMs: number };

/** the counters an admitted attempt was counted on (uncounted when the password is right) */
export interface LoginTicket {
  pairKey: string;
  pair: Counter | null;
  counters: Counter[];
}

export class LoginThrottle {
  readonly addresses: CounterTable;
  readonly accounts: CounterTable;
  readonly pairs: CounterTable;

  constructor(private readonly limits: LoginLimits) {
    const { loginTableSize: cap, loginWindowMs: w } = limits;
    this.addresses = new CounterTable(cap, w, true);
    this.accounts = new CounterTable(cap, w, true);
    // a pair that does not fit is throttled by its address's counter
    this.pairs = new CounterTable(cap, w, false);
  }

  /** the wait of a hot account with `failures` failures */
  delayMs(failures: number): number {
    const L = this.limits;
    const doublings = Math.min(30, Math.max(0, failures - L.loginAccountAttempts));
    return Math.min(L.loginAccountMaxDelayMs, L.loginAccountDelayMs * 2 ** doublings);
  }

  /**
   * may `address` try `user` now: refused with the time to wait, or admitted — and counted as a
   * failure until `succeeded(ticket)`
   */
  attempt(user: string, address: string, now: number): LoginAttempt {
    const L = this.limits;
    const end = (c: Counter) => Math.max(1, c.first + L.loginWindowMs - now);
    const pairKey = JSON.stringify([user, address]);
    const a = this.addresses.get(address, now);
    if (a && a.count >= L.loginAddressAttempts) return { ok: false, reason: 'address', retryAfterMs: end(a) };
    const p = this.pairs.get(pairKey, now);
    if (p && p.count >= L.loginAttempts) return { ok: false, reason: 'account', retryAfterMs: end(p) };
    const acc = this.accounts.get(user, now);
    // shared tables always give a counter
    const addr = this.addresses.entry(address, now)!;
    if (acc && acc.count >= L.loginAccountAttempts) {
      // a hot account: the address waits for its own pass, then may try once
      if (addr.passAt === undefined) {
        const wait = this.delayMs(acc.count);
        addr.passAt = now + wait;
        return { ok: false, reason: 'delay', retryAfterMs: wait };
      }
      if (now < addr.passAt) return { ok: false, reason: 'delay', retryAfterMs: addr.passAt - now };
      addr.passAt = undefined;
    }
    const pair = this.pairs.entry(pairKey, now);
    const counters = [addr, this.accounts.entry(user, now)!];
    if (pair) counters.push(pair);
    for (const c of counters) c.count++;
    return { ok: true, ticket: { pairKey, pair, counters } };
  }

  /** the password was right: the attempt is no failure, and the (user name, address) counter is forgotten */
  succeeded(ticket: LoginTicket): void {
    for (const c of ticket.counters) c.count = Math.max(0, c.count - 1);
    if (ticket.pair) this.pairs.delete(ticket.pairKey, ticket.pair);
  }
}

/** the number of trusted reverse proxies from NIANBAO_TRUST_PROXY ('1', '2', …; anything else 0) */
export function trustProxyFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.NIANBAO_TRUST_PROXY ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** the throttle's key of an IP address: IPv4 as is (also when IPv4-mapped), IPv6 by its /64 network */
export function addressKey(ip: string): string {
  let a = ip.trim();
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) return mapped[1];
  if (isIP(a) !== 6) return a;
  const groups = expandIPv6(a);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

function expandIPv6(a: string): string[] {
  let s = a.toLowerCase();
  // an embedded IPv4 tail (::1.2.3.4)
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const [b0, b1, b2, b3] = v4.slice(1).map(Number);
    s = `${s.slice(0, v4.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, null];
  const h = head ? head.split(':') : [];
  const t = tail === null ? [] : tail ? tail.split(':') : [];
  const fill = tail === null ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => g.replace(/^0+(?=.)/, ''));
}

/** the client address of a request (see the policy above) */
export function clientAddress(c: Context, trustProxy: number): string {
  let socket = '';
  try {
    socket = getConnInfo(c).remote.address ?? '';
  } catch {
    // no Node socket (app.request in tests, another runtime)
  }
  if (trustProxy > 0) {
    const chain = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const hop = chain[chain.length - trustProxy] ?? chain[0];
    if (hop && isIP(hop.replace(/%.*$/, '')) !== 0) return addressKey(hop);
  }
  return socket ? addressKey(socket) : 'unknown';
}
