/**
 * Sessions, CSRF and the scope of each role (docs/api.md “Roles and scope”).
 *
 * - The session cookie `nb_session` holds a random token; the database holds its SHA-256. A session
 *   ends after 12 hours without a request (the idle time is moved forward at most once a minute).
 * - Every request other than GET/HEAD/OPTIONS (login excepted) must send `X-CSRF-Token`, the token
 *   of its session (compared in constant time) → else 403 `csrf`.
 * - Scope: clerk and readonly see their own agency; reviewer and admin their agency and every agency
 *   under it (an admin without an agency: everything). Outside the scope is 404, never 403.
 */
import { timingSafeEqual } from 'node:crypto';
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
