/**
 * Errors of the HTTP API: every failure is `{ error: { code, message, messageEn, details? } }`
 * (docs/api.md), with the status of its kind. Domain errors keep their own Chinese and English text.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { NianbaoError } from '../model/errors.js';
import { PoolError } from '../pool/pool.js';
import { namedMessages, ReadError } from '../read/errors.js';
import { TransitionError } from '../register/case.js';
import { InvalidReportError, RenderRefusedError } from '../render/totals.js';
import { StoreError } from '../store/db.js';

export interface ErrorBody {
  error: { code: string; message: string; messageEn: string; details?: Record<string, unknown> };
}

/** an error with its HTTP status, code and sentences (Chinese and English) */
export class ApiError extends NianbaoError {
  constructor(
    readonly status: ContentfulStatusCode,
    code: string,
    zh: string,
    en: string,
    details?: Record<string, unknown>,
  ) {
    super(code, zh, en, details);
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
/**
 * The HTTP status of each error code (src/model/errors.ts: every module's errors carry one). The
 * status is chosen from the code alone, never from the message.
 */
const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  // the working-day calendar and the fee calculator: a bad value given
  'bad-date': 400,
  'out-of-range': 400,
  'bad-count': 400,
  'bad-fee': 400,
  'invalid-report': 400,
  'bad-input': 400,
  // the store
  'not-found': 404,
  duplicate: 409,
  damaged: 500,
  database: 500,
  // limits of the work
  'text-too-long': 413,
  busy: 503,
  timeout: 422,
  memory: 422,
  crashed: 422,
  // a holiday notice that cannot be read, a report refused for rendering, a writer missing
  'bad-notice': 422,
  'render-refused': 422,
  'renderer-unavailable': 500,
  'fonts-missing': 500,
};

/** codes a client has always received in the body for these errors (the API's contract: kept) */
function bodyCode(e: NianbaoError): string {
  if (e instanceof PoolError) return e.code === 'memory' ? 'too-complex' : e.code === 'closed' ? 'closing' : e.code;
  if (e instanceof StoreError) return e.code === 'duplicate' ? 'conflict' : e.code === 'damaged' ? 'database' : e.code;
  return e.code;
}

/** the status, code and sentences of any error thrown by a handler; `internal` is true for the unexpected */
export function describe(e: unknown): {
  status: ContentfulStatusCode;
  body: ErrorBody;
  internal: boolean;
  headers?: Record<string, string>;
} {
  if (e instanceof NianbaoError) {
    let status: ContentfulStatusCode;
    if (e instanceof ApiError) status = e.status;
    else if (e instanceof ReadError)
      status = 422; // every reader's refusal: not a report that can be read
    else if (e instanceof TransitionError)
      status = 409; // the register refused the step
    else status = STATUS_BY_CODE[e.code] ?? 500;
    let { zh, en } = e;
    let details = e.details;
    if (e instanceof ReadError) ({ zh, en } = namedMessages(e));
    if (e instanceof InvalidReportError) {
      zh = `不是有效的 Report JSON：${e.zh}。`;
      en = `Not a valid Report JSON: ${e.en}.`;
    }
    if (e instanceof RenderRefusedError) details = { diagnostics: e.diagnostics };
    if (e instanceof ReadError || e instanceof PoolError) details = undefined;
    const headers =
      status === 503 ? { 'Retry-After': String(e instanceof PoolError && e.code === 'busy' ? (e.retryAfter ?? 5) : 10) } : undefined;
    return {
      status,
      body: errorBody(bodyCode(e), zh, en, details),
      internal: status >= 500 || (e instanceof PoolError && e.code === 'crashed'),
      ...(headers ? { headers } : {}),
    };
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
