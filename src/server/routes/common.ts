/** Small helpers for the route definitions. */
import type { z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../store/app.js';
import type { AppEnv } from '../auth.js';
import { forbidden } from '../errors.js';
import { ErrorSchema } from '../schemas.js';

/** a JSON response */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

const DESCRIPTIONS: Record<number, string> = {
  400: '请求无效（details.issues 为 zod 的问题列表） / invalid input',
  401: '未登录 / not logged in',
  403: '无权限或 CSRF 令牌错误 / not allowed, or a bad CSRF token',
  404: '不存在或不在权限范围内 / not found or outside your scope',
  409: '冲突或被拒绝的登记操作（code 为 TransitionCode） / a conflict, or a refused register transition',
  413: '上传内容过大 / body too large',
  415: '不支持的内容类型 / unsupported media type',
  422: '不是可读取的年度报告（code 为 ReadError 的 code），或合计与分项不符而拒绝生成 / not a readable report, or refused to render',
  429: '登录失败次数过多 / too many failed logins',
};

/** the error responses of a route, all in the shape of docs/api.md */
export function errors<C extends number>(
  ...codes: C[]
): Record<C, { content: { 'application/json': { schema: typeof ErrorSchema } }; description: string }> {
  const out = {} as Record<C, { content: { 'application/json': { schema: typeof ErrorSchema } }; description: string }>;
  for (const code of codes)
    out[code] = { content: { 'application/json': { schema: ErrorSchema } }, description: DESCRIPTIONS[code] ?? 'error' };
  return out;
}

/** the session cookie */
export const secured = [{ cookieAuth: [] as string[] }];
/** the session cookie and the CSRF header */
export const securedWrite = [{ cookieAuth: [] as string[], csrfToken: [] as string[] }];

/** route middleware: only these roles (403 before the input is validated) */
export function roles(...allowed: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!allowed.includes(c.get('user').role)) throw forbidden();
    await next();
  };
}
