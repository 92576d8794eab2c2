/**
 * Errors of the HTTP API: every failure is `{ error: { code, message, messageEn, details? } }`
 * (docs/api.md), with the status of its kind. Domain errors keep their own Chinese and English text.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { TextLimitError } from '../model/limits.js';
import { PoolError } from '../pool/pool.js';
import { namedMessages, ReadError } from '../read/errors.js';
import { CalendarError } from '../register/calendar.js';
import { TransitionError } from '../register/case.js';
import { FeeError } from '../register/fees.js';
import { HolidayNoticeError } from '../register/holiday-notice.js';
import { InvalidReportError, RenderRefusedError } from '../render/totals.js';
import { StoreError } from '../store/db.js';

export interface ErrorBody {
  error: { code: string; message: string; messageEn: string; details?: Record<string, unknown> };
}

/** an error with its HTTP status, code and sentences (Chinese and English) */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(`${zh} / ${en}`);
    this.name = 'ApiError';
  }
}

export const notFound = (zh = '未找到所请求的内容。', en = 'Not found.') => new ApiError(404, 'not-found', zh, en);
export const forbidden = (zh = '没有权限执行此操作。', en = 'You are not allowed to do this.') => new ApiError(403, 'forbidden', zh, en);
export const badRequest = (code: string, zh: string, en: string, details?: Record<string, unknown>) =>
  new ApiError(400, code, zh, en, details);

export function errorBody(code: string, zh: string, en: string, details?: Record<string, unknown>): ErrorBody {
  return { error: { code, message: zh, messageEn: en, ...(details ? { details } : {}) } };
}

const HTTP_ZH: Record<number, [string, string, string]> = {
  400: ['bad-request', '请求无效。', 'Bad request.'],
  401: ['unauthenticated', '尚未登录或登录已过期，请重新登录。', 'Not logged in, or the session has expired.'],
  403: ['forbidden', '没有权限执行此操作。', 'You are not allowed to do this.'],
  404: ['not-found', '未找到所请求的内容。', 'Not found.'],
  405: ['method-not-allowed', '不支持该请求方法。', 'Method not allowed.'],
  413: ['too-large', '上传的内容过大。', 'The request body is too large.'],
  415: ['unsupported-media-type', '不支持的请求内容类型（应为 JSON 或 multipart/form-data）。', 'Unsupported media type.'],
};

/** the status, code and sentences of any error thrown by a handler; `internal` is true for the unexpected */
export function describe(e: unknown): {
  status: ContentfulStatusCode;
  body: ErrorBody;
  internal: boolean;
  headers?: Record<string, string>;
} {
  if (e instanceof PoolError) {
    if (e.code === 'busy') {
      return { status: 503, body: errorBody('busy', e.zh, e.en), internal: false, headers: { 'Retry-After': String(e.retryAfter ?? 5) } };
    }
    if (e.code === 'closed')
      return { status: 503, body: errorBody('closing', e.zh, e.en), internal: false, headers: { 'Retry-After': '10' } };
    // a time or memory limit, or a worker lost on this input: the input is the problem
    return { status: 422, body: errorBody(e.code === 'memory' ? 'too-complex' : e.code, e.zh, e.en), internal: e.code === 'crashed' };
  }
  if (e instanceof TextLimitError) return { status: 413, body: errorBody(e.code, e.zh, e.en), internal: false };
  if (e instanceof ApiError) return { status: e.status, body: errorBody(e.code, e.zh, e.en, e.details), internal: false };
  if (e instanceof ReadError) {
    const { zh, en } = namedMessages(e);
    return { status: 422, body: errorBody(e.code, zh, en), internal: false };
  }
  if (e instanceof TransitionError) return { status: 409, body: errorBody(e.code, e.zh, e.en), internal: false };
  if (e instanceof CalendarError) return { status: 400, body: errorBody(e.code, e.zh, e.en), internal: false };
  if (e instanceof HolidayNoticeError) return { status: 422, body: errorBody('bad-notice', e.zh, e.en), internal: false };
  if (e instanceof FeeError) return { status: 400, body: errorBody('bad-fee', e.zh, e.en), internal: false };
  if (e instanceof InvalidReportError) {
    return {
      status: 400,
      body: errorBody('invalid-report', `不是有效的 Report JSON：${e.zh}。`, `Not a valid Report JSON: ${e.en}.`, { path: e.path }),
      internal: false,
    };
  }
  if (e instanceof RenderRefusedError) {
    return {
      status: 422,
      body: errorBody(
        'render-refused',
        `报告的合计与分项不符，未生成（${e.diagnostics.length} 处问题）；请更正后重试，或强制生成。`,
        `The report was not rendered: its totals contradict their parts (${e.diagnostics.length} problem(s)); correct it, or force.`,
        { diagnostics: e.diagnostics },
      ),
      internal: false,
    };
  }
  if (e instanceof StoreError) {
    // the register's StoreErrors carry no code: an unknown id is 404, a duplicate 409, anything else (the database) 500
    if (/没有编号为/.test(e.zh)) return { status: 404, body: errorBody('not-found', e.zh, e.en), internal: false };
    if (/已有|已被使用/.test(e.zh)) return { status: 409, body: errorBody('conflict', e.zh, e.en), internal: false };
    return { status: 500, body: errorBody('database', e.zh, e.en), internal: true };
  }
  if (e instanceof HTTPException) {
    const [code, zh, en] = HTTP_ZH[e.status] ?? ['error', `请求失败（HTTP ${e.status}）。`, `Request failed (HTTP ${e.status}).`];
    return { status: e.status as ContentfulStatusCode, body: errorBody(code, zh, en), internal: false };
  }
  return {
    status: 500,
    body: errorBody('internal', '服务器内部错误，已记录，请稍后重试。', 'Internal server error (logged).'),
    internal: true,
  };
}

export function errorResponse(c: Context, e: unknown): Response {
  const d = describe(e);
  if (d.headers) for (const [k, v] of Object.entries(d.headers)) c.header(k, v);
  return c.json(d.body, d.status);
}

// ---------------------------------------------------------------------------
// zod issues → Chinese and English
// ---------------------------------------------------------------------------

const TYPE_ZH: Record<string, string> = {
  string: '字符串',
  number: '数字',
  int: '整数',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  null: 'null',
  undefined: '未填写',
  date: '日期',
  file: '文件',
  bigint: '整数',
};

interface LooseIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  values?: unknown[];
  keys?: string[];
  format?: string;
}

function issueZh(i: LooseIssue): string {
  switch (i.code) {
    case 'invalid_type':
      return `应为${TYPE_ZH[i.expected ?? ''] ?? i.expected ?? '其他类型'}`;
    case 'too_small':
      return i.origin === 'string'
        ? Number(i.minimum) === 1
          ? '不能为空'
          : `至少 ${i.minimum} 个字符`
        : i.origin === 'array'
          ? `至少 ${i.minimum} 项`
          : `不能小于 ${i.minimum}`;
    case 'too_big':
      return i.origin === 'string' ? `最多 ${i.maximum} 个字符` : i.origin === 'array' ? `最多 ${i.maximum} 项` : `不能大于 ${i.maximum}`;
    case 'invalid_value':
      return `应为以下之一：${(i.values ?? []).map((v) => JSON.stringify(v)).join('、')}`;
    case 'invalid_format':
      return i.format === 'regex' ? '格式不对' : `格式不对（应为 ${i.format}）`;
    case 'unrecognized_keys':
      return `不认识的字段：${(i.keys ?? []).join('、')}`;
    case 'invalid_union':
      return '不符合任何一种允许的写法';
    case 'not_multiple_of':
      return '数值不对';
    default:
      return '无效';
  }
}

/** a 400 from a zod error: a Chinese sentence naming the first problem, every issue in `details.issues` */
export function validationError(error: ZodError, target: string): ApiError {
  const issues = (error.issues as unknown as LooseIssue[]).map((i) => {
    // our own messages are Chinese, or “中文 / English”
    const own = /[\u4e00-\u9fff]/.test(i.message) ? i.message.split(' / ') : null;
    return {
      path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      code: i.code,
      message: own ? own[0] : issueZh(i),
      messageEn: own ? (own[1] ?? (i.code === 'invalid_format' ? 'Invalid format' : 'Invalid input')) : i.message,
    };
  });
  const first = issues[0];
  const where = first && first.path.length > 0 ? `“${first.path.join('.')}”` : target === 'json' ? '请求内容' : '参数';
  const zh = first
    ? `请求无效：${where}${first.message}${issues.length > 1 ? `（另有 ${issues.length - 1} 处问题）` : ''}。`
    : '请求无效。';
  const en = first ? `Invalid request: ${first.path.join('.') || target}: ${first.messageEn}.` : 'Invalid request.';
  return new ApiError(400, 'bad-request', zh, en, { target, issues });
}
