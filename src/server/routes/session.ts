/** Health, login/logout/me, agencies and users. */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import {
  AgencyCycleError,
  createAgency,
  createSession,
  createUser,
  deleteSession,
  dummyPasswordHash,
  getAgency,
  getUser,
  getUserByUsername,
  LastAdminError,
  listUserAccounts,
  publicUser,
  type Role,
  setUserPassword,
  type UserRow,
  updateAgency,
  updateUser,
  verifyPassword,
} from '../../store/app.js';
import { type AppEnv, clientAddress, LoginThrottle, Scope, SESSION_COOKIE, trustProxyFromEnv } from '../auth.js';
import type { ServerContext } from '../context.js';
import { ApiError, errorBody, forbidden, notFound } from '../errors.js';
import {
  AgencyPatchBody,
  AgencySchema,
  IdParam,
  LoginBody,
  MeSchema,
  NewAgencyBody,
  NewUserBody,
  PasswordBody,
  UserAccountSchema,
  UserPatchBody,
  UserSchema,
} from '../schemas.js';
import { errors, json, roles, secured, securedWrite } from './common.js';

const throttles = new WeakMap<object, LoginThrottle>();

/** the login throttle of an app (tests and diagnostics) */
export function loginThrottle(app: object): LoginThrottle | undefined {
  return throttles.get(app);
}

export function sessionRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  const { db } = ctx;
  const throttle = new LoginThrottle(ctx.limits);
  throttles.set(app, throttle);
  const trustProxy = ctx.limits.trustProxy ?? trustProxyFromEnv();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/health',
      tags: ['misc'],
      summary: '健康检查 / health (no login)',
      responses: { 200: json(z.object({ ok: z.literal(true), version: z.string() }), 'the server is up') },
    }),
    (c) => c.json({ ok: true as const, version: ctx.version }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/login',
      tags: ['session'],
      summary: '登录 / log in (sets the nb_session cookie)',
      request: { body: { content: { 'application/json': { schema: LoginBody } }, required: true } },
      responses: {
        200: json(z.object({ user: UserSchema, agency: AgencySchema.nullable(), csrfToken: z.string() }), 'logged in'),
        ...errors(400, 401, 429),
      },
    }),
    async (c) => {
      const { username, password } = c.req.valid('json');
      // the throttle's policy: LoginThrottle in ../auth.ts
      const attempt = throttle.attempt(username, clientAddress(c, trustProxy), ctx.now().getTime());
      if (!attempt.ok) {
        const seconds = Math.max(1, Math.ceil(attempt.retryAfterMs / 1000));
        const [zhWait, enWait] =
          seconds < 120
            ? [`${seconds} 秒`, `${seconds} second${seconds === 1 ? '' : 's'}`]
            : [`${Math.ceil(seconds / 60)} 分钟`, `${Math.ceil(seconds / 60)} minutes`];
        const [zh, en] =
          attempt.reason === 'delay'
            ? [
                `该账号近期登录失败次数较多，为安全起见，请 ${zhWait}后再试。`,
                `This account has had many failed logins recently; try again in ${enWait}.`,
              ]
            : [`登录失败次数过多，请 ${zhWait}后再试。`, `Too many failed logins; try again in ${enWait}.`];
        return c.json(errorBody('too-many-attempts', zh, en, { retryAfter: seconds, reason: attempt.reason }), 429, {
          'Retry-After': String(seconds),
        });
      }
      const user = await getUserByUsername(db, username);
      // the same work and the same answer for an unknown user and a wrong password
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
      if (!user || !ok || user.disabled) {
        // counted as a failure already
        throw new ApiError(401, 'bad-credentials', '用户名或密码错误。', 'Wrong user name or password.');
      }
      throttle.succeeded(attempt.ticket);
      const { token, csrfToken } = await createSession(db, user, ctx.limits.sessionIdleMs, ctx.now());
      const https = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: https || ctx.secureCookies });
      const agency = user.agencyId === null ? null : ((await getAgency(db, user.agencyId)) ?? null);
      return c.json({ user: publicUser(user), agency, csrfToken }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/logout',
      tags: ['session'],
      summary: '退出登录 / log out',
      security: securedWrite,
      responses: { 204: { description: 'logged out' }, ...errors(401, 403) },
    }),
    async (c) => {
      await deleteSession(db, c.get('session').id, c.get('user'));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/me',
      tags: ['session'],
      summary: '当前用户 / the logged-in user',
      security: secured,
      responses: { 200: json(MeSchema, 'the user, their agency and the CSRF token'), ...errors(401) },
    }),
    async (c) => {
      const user = c.get('user');
      const agency = user.agencyId === null ? null : ((await getAgency(db, user.agencyId)) ?? null);
      return c.json({ user: publicUser(user), agency, csrfToken: c.get('session').csrfToken }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/agencies',
      tags: ['agencies'],
      summary: '机关（权限范围内） / agencies in scope',
      security: secured,
      responses: { 200: json(z.object({ agencies: z.array(AgencySchema) }), 'agencies in scope'), ...errors(401) },
    }),
    async (c) => {
      const scope = await Scope.of(db, c.get('user'));
      return c.json({ agencies: scope.visible() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/agencies',
      tags: ['agencies'],
      summary: '新建机关（管理员） / create an agency (admin)',
      security: securedWrite,
      middleware: [roles('admin')],
      request: { body: { content: { 'application/json': { schema: NewAgencyBody } }, required: true } },
      responses: { 201: json(z.object({ agency: AgencySchema }), 'created'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const user = c.get('user');
      const scope = await Scope.of(db, user);
      if (body.parentId === null) {
        // a new root: only an admin above every agency
        if (user.role !== 'admin' || user.agencyId !== null) throw forbidden();
      } else scope.requireWrite('admin', body.parentId);
      const agency = await createAgency(db, { name: body.name, parentId: body.parentId, level: body.level }, user.username);
      return c.json({ agency }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/users',
      tags: ['users'],
      summary: '用户（管理员） / users in scope (admin)',
      security: secured,
      middleware: [roles('admin')],
      responses: {
        200: json(z.object({ users: z.array(UserAccountSchema) }), 'users in scope, with whether each may log in'),
        ...errors(401, 403),
      },
    }),
    async (c) => {
      const user = c.get('user');
      if (user.role !== 'admin') throw forbidden();
      const scope = await Scope.of(db, user);
      const users = await listUserAccounts(db, user.agencyId === null ? null : scope.visible().map((a) => a.id));
      return c.json({ users }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/users',
      tags: ['users'],
      summary: '新建用户（管理员） / create a user (admin)',
      security: securedWrite,
      middleware: [roles('admin')],
      request: { body: { content: { 'application/json': { schema: NewUserBody } }, required: true } },
      responses: { 201: json(z.object({ user: UserSchema }), 'created'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const user = c.get('user');
      if (user.role !== 'admin') throw forbidden();
      if (body.agencyId === null) {
        // a user above every agency: only from an admin who is one
        if (user.agencyId !== null) throw forbidden();
        if (body.role !== 'admin') {
          throw new ApiError(
            400,
            'agency-required',
            '只有管理员可以不属于任何机关；请指定机关。',
            'Only an admin may have no agency; give agencyId.',
          );
        }
      } else {
        const scope = await Scope.of(db, user);
        scope.requireWrite('admin', body.agencyId);
      }
      const created = await createUser(
        db,
        { username: body.username, name: body.name, password: body.password, role: body.role as Role, agencyId: body.agencyId },
        user.username,
      );
      return c.json({ user: created }, 201);
    },
  );

  /** a user the admin may manage (in their scope; a user without agency only for an admin without one), else 404 */
  const manageable = async (admin: ReturnType<typeof publicUser>, scope: Scope, id: number): Promise<UserRow> => {
    const target = await getUser(db, id);
    const visible = target && (target.agencyId === null ? admin.agencyId === null : scope.canRead(target.agencyId));
    if (!target || !visible) throw notFound('没有这个用户，或不在您的权限范围内。', 'No such user in your scope.');
    return target;
  };

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/users/{id}',
      tags: ['users'],
      summary: '修改用户：姓名、角色、机关、停用/启用（管理员） / change a user: name, role, agency, disable or enable (admin)',
      description:
        'Only the fields given change. `disabled: true` ends the user’s sessions and refuses their logins. An admin cannot change their own role or agency nor disable themselves (409 `own-account`); a change that would leave no enabled admin is 409 `last-admin`.',
      security: securedWrite,
      middleware: [roles('admin')],
      request: {
        params: z.object({ id: IdParam.openapi({ type: 'integer' }) }),
        body: { content: { 'application/json': { schema: UserPatchBody } }, required: true },
      },
      responses: { 200: json(z.object({ user: UserAccountSchema }), 'the user as changed'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const admin = c.get('user');
      const body = c.req.valid('json');
      const scope = await Scope.of(db, admin);
      const target = await manageable(admin, scope, c.req.valid('param').id);
      const role = (body.role ?? target.role) as Role;
      const agencyId = body.agencyId === undefined ? target.agencyId : body.agencyId;
      if (target.id === admin.id) {
        const changesSelf =
          (body.role !== undefined && body.role !== target.role) ||
          (body.agencyId !== undefined && body.agencyId !== target.agencyId) ||
          body.disabled === true;
        if (changesSelf) {
          throw new ApiError(
            409,
            'own-account',
            '不能修改自己的角色或所属机关，也不能停用自己；请由另一位管理员操作。',
            'You cannot change your own role or agency, nor disable yourself; ask another admin.',
          );
        }
      }
      if (agencyId === null) {
        if (role !== 'admin') {
          throw new ApiError(
            400,
            'agency-required',
            '只有管理员可以不属于任何机关；请指定机关。',
            'Only an admin may have no agency; give agencyId.',
          );
        }
        if (body.agencyId === null && admin.agencyId !== null) throw forbidden();
      } else if (body.agencyId !== undefined && body.agencyId !== target.agencyId) {
        scope.requireWrite('admin', agencyId);
      }
      try {
        const user = await updateUser(
          db,
          target.id,
          { name: body.name, role: body.role as Role | undefined, agencyId: body.agencyId, disabled: body.disabled },
          admin.username,
        );
        return c.json({ user }, 200);
      } catch (e) {
        if (e instanceof LastAdminError) throw new ApiError(409, 'last-admin', e.zh, e.en);
        throw e;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/users/{id}/password',
      tags: ['users'],
      summary: '重置用户密码（管理员） / set a new password for a user (admin)',
      description:
        'The new password is validated as at creation (8–200 characters). The user’s sessions end (an admin resetting their own keeps the current one).',
      security: securedWrite,
      middleware: [roles('admin')],
      request: {
        params: z.object({ id: IdParam.openapi({ type: 'integer' }) }),
        body: { content: { 'application/json': { schema: PasswordBody } }, required: true },
      },
      responses: {
        200: json(z.object({ sessionsEnded: z.number().int() }), 'the password is set; the number of sessions ended'),
        ...errors(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const admin = c.get('user');
      const { password } = c.req.valid('json');
      const scope = await Scope.of(db, admin);
      const target = await manageable(admin, scope, c.req.valid('param').id);
      const sessionsEnded = await setUserPassword(
        db,
        target.id,
        password,
        admin.username,
        target.id === admin.id ? c.get('session').id : undefined,
      );
      return c.json({ sessionsEnded }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/agencies/{id}',
      tags: ['agencies'],
      summary: '修改机关：重命名、移动（管理员） / rename or move an agency (admin)',
      description:
        '`name`: the old name is kept as a former name. `parentId`: the new parent, in scope (null: top level, only for an admin above every agency); a move under the agency itself or one under it is 409 `agency-cycle`. Agencies are never deleted.',
      security: securedWrite,
      middleware: [roles('admin')],
      request: {
        params: z.object({ id: IdParam.openapi({ type: 'integer' }) }),
        body: { content: { 'application/json': { schema: AgencyPatchBody } }, required: true },
      },
      responses: { 200: json(z.object({ agency: AgencySchema }), 'the agency as changed'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const admin = c.get('user');
      const body = c.req.valid('json');
      const scope = await Scope.of(db, admin);
      const agency = scope.requireWrite('admin', c.req.valid('param').id);
      if (body.parentId !== undefined && body.parentId !== agency.parentId) {
        if (body.parentId === null) {
          // a new root: only an admin above every agency
          if (admin.agencyId !== null) throw forbidden();
        } else scope.requireWrite('admin', body.parentId);
        // an admin's own agency (the root of their scope) moves only by an admin above it
        if (agency.id === admin.agencyId) throw forbidden('不能移动您自己所属的机关。', 'You cannot move your own agency.');
      }
      try {
        const updated = await updateAgency(db, agency.id, { name: body.name, parentId: body.parentId }, admin.username);
        return c.json({ agency: updated }, 200);
      } catch (e) {
        if (e instanceof AgencyCycleError) throw new ApiError(409, 'agency-cycle', e.zh, e.en, { parentId: e.parentId });
        throw e;
      }
    },
  );
}
