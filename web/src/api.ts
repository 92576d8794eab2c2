/**
 * The API client: same-origin fetch with the session cookie, the CSRF token on every write,
 * the error shape of docs/api.md turned into an ApiError whose Chinese message is shown to the
 * user, and 401 sending the user back to the login page.
 */
import type {
  Agency,
  ApiErrorBody,
  CaseAmendment,
  CaseDetail,
  CaseNotices,
  CaseResult,
  CaseSummary,
  CheckResult,
  CompileResult,
  Deadline,
  Draft,
  HolidayImportResult,
  HolidayPreview,
  HolidayText,
  HolidayYear,
  IssuedNotice,
  LedgerImportResult,
  LibraryStats,
  Me,
  NewCase,
  NewEvent,
  NoticeDraft,
  NoticeRequest,
  NoticeSettings,
  NoticeSettingsAnswer,
  NoticeTemplateEntry,
  NoticeTemplates,
  Report,
  ReportSummary,
  StoredReport,
  User,
} from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageEn?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Notifier {
  error(title: string, description?: string): void;
}

let csrfToken: string | null = null;
let notifier: Notifier = {
  error: (title, description) => console.error(title, description ?? ''),
};
let onUnauthorized: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
export function setNotifier(n: Notifier): void {
  notifier = n;
}
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** a JSON body, or FormData for uploads */
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  /** do not show the error to the user (the caller shows it) */
  quiet?: boolean | ((e: ApiError) => boolean);
  /** the response is a file: return a Blob and its file name */
  blob?: boolean;
  signal?: AbortSignal;
}

export function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: Partial<ApiErrorBody> | null = null;
  try {
    body = (await res.json()) as Partial<ApiErrorBody>;
  } catch {
    body = null;
  }
  const e = body?.error;
  if (e && typeof e.message === 'string') return new ApiError(res.status, e.code ?? String(res.status), e.message, e.messageEn, e.details);
  const fallback: Record<number, string> = {
    400: '请求无效。',
    401: '尚未登录或登录已过期，请重新登录。',
    403: '没有权限执行此操作。',
    404: '未找到所请求的内容。',
    409: '操作被拒绝。',
    413: '上传的文件过大。',
    415: '不支持的文件类型。',
    422: '无法作为年度报告读取。',
    500: '服务器内部错误。',
    502: '无法连接服务器。',
    503: '服务暂不可用。',
  };
  return new ApiError(res.status, String(res.status), fallback[res.status] ?? `请求失败（HTTP ${res.status}）。`);
}

export interface FileResponse {
  blob: Blob;
  fileName: string | null;
}

/** the file name of a Content-Disposition header (RFC 6266 filename* first) */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*([^;]+)/i.exec(disposition);
  if (star) {
    const v = star[1].trim().replace(/^"|"$/g, '');
    const m = /^[\w-]*'[^']*'(.*)$/.exec(v);
    try {
      return decodeURIComponent(m ? m[1] : v);
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition);
  if (plain) {
    const v = (plain[2] ?? plain[1]).trim();
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  }
  return null;
}

export async function request<T>(path: string, opts: RequestOptions & { blob: true }): Promise<FileResponse>;
export async function request<T>(path: string, opts?: RequestOptions): Promise<T>;
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T | FileResponse> {
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { Accept: opts.blob ? '*/*' : 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path + queryString(opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    const e = new ApiError(0, 'network', '无法连接服务器，请检查网络后重试。', 'Cannot reach the server.');
    if (!isQuiet(opts, e)) notifier.error(e.message);
    throw e;
  }
  if (!res.ok) {
    const e = await errorOf(res);
    if (res.status === 401 && path !== '/api/login' && path !== '/api/me') {
      onUnauthorized();
    } else if (!isQuiet(opts, e)) {
      notifier.error(e.message, issuesOf(e));
    }
    throw e;
  }
  if (opts.blob) return { blob: await res.blob(), fileName: fileNameOf(res.headers.get('Content-Disposition')) };
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

function isQuiet(opts: RequestOptions, e: ApiError): boolean {
  return typeof opts.quiet === 'function' ? opts.quiet(e) : opts.quiet === true;
}

/** zod issues of a 400, one message a line (their field paths are never shown) */
export function issuesOf(e: ApiError): string | undefined {
  const issues = e.details?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return undefined;
  const lines = issues
    .map((i: { message?: string }) => (typeof i.message === 'string' ? i.message.trim() : ''))
    .filter((m) => m !== '' && m !== e.message);
  return lines.length ? [...new Set(lines)].slice(0, 5).join('\n') : undefined;
}

/**
 * the page of one case: a case is identified by its agency and its id (ids repeat across
 * agencies), so the link carries the `agencyId` of the case's own register
 */
export function casePath(c: { id: string; agencyId?: Agency['id'] | null }): string {
  const q = c.agencyId === undefined || c.agencyId === null ? '' : `?agencyId=${encodeURIComponent(String(c.agencyId))}`;
  return `/cases/${encodeURIComponent(c.id)}${q}`;
}

// ---------------------------------------------------------------------------
// Today
// ---------------------------------------------------------------------------

/** the server's today (its time zone, or the date it is fixed to), once an answer has carried it */
let serverToday: string | null = null;
const todayListeners = new Set<(today: string) => void>();

/** takes the server's `today` from an answer that has one */
function noteToday<T>(r: T): T {
  const t = (r as { today?: unknown } | null)?.today;
  if (typeof t === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(t) && t !== serverToday) {
    serverToday = t;
    for (const l of todayListeners) l(t);
  }
  return r;
}

/** today as the server counts it (China Standard Time) when it is not known yet */
export function localToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}

/** the server's today when known, else today in China Standard Time */
export function knownToday(): string {
  return serverToday ?? localToday();
}

/** calls `fn` whenever the server's today becomes known or changes; returns the unsubscribe */
export function onToday(fn: (today: string) => void): () => void {
  todayListeners.add(fn);
  return () => {
    todayListeners.delete(fn);
  };
}

/** asks the server for today once, if no answer has carried it yet */
export function fetchToday(): void {
  if (serverToday !== null) return;
  request<{ today: string }>('/api/holidays', { quiet: true })
    .then(noteToday)
    .catch(() => {});
}

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

export type ExportFormat = 'docx' | 'pdf' | 'html' | 'md' | 'xlsx';

export const api = {
  me: () => request<Me>('/api/me', { quiet: true }),
  login: (username: string, password: string) =>
    request<{ user: User; csrfToken: string; agency?: Me['agency'] }>('/api/login', {
      body: { username, password },
      quiet: true,
    }),
  logout: () => request<void>('/api/logout', { method: 'POST', quiet: true }),

  agencies: () => request<{ agencies: Agency[] }>('/api/agencies'),
  users: () => request<{ users: User[] }>('/api/users'),
  createUser: (u: { username: string; name: string; password: string; role: User['role']; agencyId: User['agencyId'] }) =>
    request<{ user: User }>('/api/users', { body: u, quiet: true }),

  /** checks a file; with `save`, stores it too (the same file stored before: 409 unless `allowDuplicate`) */
  checkFile: (file: File, save: boolean, agencyId?: Agency['id'], allowDuplicate = false) => {
    const fd = new FormData();
    fd.append('file', file, file.name);
    if (save && agencyId !== undefined) fd.append('agencyId', String(agencyId));
    return request<CheckResult & { id?: StoredReport['id'] }>(save ? '/api/reports' : '/api/check', {
      body: fd,
      query: { allowDuplicate: save && allowDuplicate ? 1 : undefined },
      quiet: true,
    });
  },
  checkText: (text: string, save: boolean, filename?: string, agencyId?: Agency['id'], allowDuplicate = false) =>
    request<CheckResult & { id?: StoredReport['id'] }>(save ? '/api/reports' : '/api/check', {
      body: { text, ...(filename ? { filename } : {}), ...(save && agencyId !== undefined ? { agencyId } : {}) },
      query: { allowDuplicate: save && allowDuplicate ? 1 : undefined },
      quiet: true,
    }),
  checkReport: (report: Report) => request<CheckResult>('/api/check', { body: { report } }),

  reports: (q: { agencyId?: Agency['id']; year?: number }) => request<{ reports: ReportSummary[] }>('/api/reports', { query: q }),
  report: (id: StoredReport['id']) => request<StoredReport>(`/api/reports/${encodeURIComponent(String(id))}`),
  deleteReport: (id: StoredReport['id']) => request<void>(`/api/reports/${encodeURIComponent(String(id))}`, { method: 'DELETE' }),
  exportReport: (id: StoredReport['id'], format: ExportFormat, force: boolean) =>
    request<FileResponse>(`/api/reports/${encodeURIComponent(String(id))}/export`, {
      query: { format, force: force ? 1 : 0 },
      blob: true,
      quiet: (e) => e.status === 422,
    }),
  render: (report: Report, format: ExportFormat, force: boolean) =>
    request<FileResponse>('/api/render', { body: { report, format, force }, blob: true, quiet: (e) => e.status === 422 }),
  stats: (q: { agencyId?: Agency['id']; year?: number }) => request<LibraryStats>('/api/library/stats', { query: q }),

  cases: (q: { status?: string; applicantType?: string; from?: string; to?: string; q?: string; agencyId?: Agency['id'] }) =>
    request<{ cases: CaseSummary[]; today: string }>('/api/cases', { query: q }).then(noteToday),
  /** `id` may be left out: the server takes the next YYYY-NNN of the year of arrival */
  createCase: (c: Omit<NewCase, 'registeredBy' | 'id'> & { id?: string; registeredBy?: string }, agencyId?: Agency['id']) =>
    request<CaseResult>('/api/cases', {
      body: c,
      query: { agencyId },
      quiet: (e) => e.status === 400 || e.status === 409,
    }),
  caseDetail: (id: string, agencyId?: Agency['id']) => request<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`, { query: { agencyId } }),
  addEvent: (id: string, event: NewEvent, agencyId?: Agency['id']) =>
    request<CaseResult>(`/api/cases/${encodeURIComponent(id)}/events`, {
      body: event,
      query: { agencyId },
      quiet: (e) => e.status === 409 || e.status === 400,
    }),
  /** voids event `seq` (1-based, as in `events[].seq`) */
  caseVoidEvent: (id: string, seq: number, reason: string, agencyId?: Agency['id']) =>
    request<CaseResult>(`/api/cases/${encodeURIComponent(id)}/events/${seq}/void`, {
      body: { reason },
      query: { agencyId },
      quiet: (e) => e.status === 409 || e.status === 400,
    }),
  /** corrects the application's fields: only those that change */
  caseAmend: (id: string, changes: CaseAmendment, reason: string, agencyId?: Agency['id']) =>
    request<CaseResult>(`/api/cases/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: { changes, reason },
      query: { agencyId },
      quiet: (e) => e.status === 409 || e.status === 400,
    }),
  deadline: (received: string) => request<Deadline>('/api/deadline', { query: { received }, quiet: true }),

  holidays: () => request<{ years: HolidayYear[]; today: string }>('/api/holidays').then(noteToday),
  holidayPreview: (body: HolidayText) =>
    request<HolidayPreview>('/api/holidays/preview', { body, quiet: (e) => e.status === 400 || e.status === 422 || e.status === 403 }),
  holidayImport: (body: HolidayText) =>
    request<HolidayImportResult>('/api/holidays', { body, quiet: (e) => e.status === 400 || e.status === 422 || e.status === 403 }),

  compile: (year: number, agencyId?: Agency['id']) =>
    request<CompileResult>(`/api/compile/${year}`, { query: { agencyId: agencyId === undefined ? undefined : String(agencyId) } }),
  saveDraft: (year: number, draft: Draft, agencyId?: Agency['id']) =>
    request<CompileResult>(`/api/compile/${year}`, {
      method: 'PUT',
      body: { draft },
      query: { agencyId: agencyId === undefined ? undefined : String(agencyId) },
    }),
  checkDraft: (year: number, draft: Draft, agencyId?: Agency['id'], signal?: AbortSignal) =>
    request<CompileResult>(`/api/compile/${year}/check`, {
      body: { draft },
      query: { agencyId: agencyId === undefined ? undefined : String(agencyId) },
      signal,
      quiet: true,
    }),
};

// ---------------------------------------------------------------------------
// 文书 (notices) and 台账 (the register's export and import)
// ---------------------------------------------------------------------------

const caseNoticesPath = (caseId: string) => `/api/cases/${encodeURIComponent(caseId)}/notices`;

/** the notices of a case, their drafts and files; the agency's notice settings and templates */
export const noticeApi = {
  list: (caseId: string, agencyId?: Agency['id']) => request<CaseNotices>(caseNoticesPath(caseId), { query: { agencyId }, quiet: true }),
  /** the draft as it will print, its editable parts and what stops it from being issued */
  draft: (caseId: string, body: NoticeRequest, agencyId?: Agency['id'], signal?: AbortSignal) =>
    request<NoticeDraft>(`${caseNoticesPath(caseId)}/draft`, { body, query: { agencyId }, signal, quiet: true }),
  /** issues the notice: it takes its 发文字号 (409 when the step's notice was issued: reissue with `supersedes`) */
  issue: (caseId: string, body: NoticeRequest, agencyId?: Agency['id']) =>
    request<IssuedNotice>(caseNoticesPath(caseId), { body, query: { agencyId }, quiet: (e) => e.status === 400 || e.status === 409 }),
  file: (noticeId: number, format: 'docx' | 'pdf', agencyId?: Agency['id']) =>
    request<FileResponse>(`/api/notices/${encodeURIComponent(String(noticeId))}/file`, { query: { format, agencyId }, blob: true }),
  settings: (agencyId?: Agency['id']) => request<NoticeSettingsAnswer>('/api/notice-settings', { query: { agencyId } }),
  saveSettings: (changes: Partial<NoticeSettings>, agencyId?: Agency['id']) =>
    request<NoticeSettings | { settings: NoticeSettings }>('/api/notice-settings', {
      method: 'PUT',
      body: changes,
      query: { agencyId },
      quiet: (e) => e.status === 400,
    }),
  templates: (agencyId?: Agency['id']) => request<NoticeTemplates>('/api/notice-templates', { query: { agencyId } }),
  saveTemplate: (key: string, template: { title: string; paragraphs: string[] }, agencyId?: Agency['id']) =>
    request<NoticeTemplateEntry>(`/api/notice-templates/${encodeURIComponent(key)}`, {
      method: 'PUT',
      body: template,
      query: { agencyId },
      quiet: (e) => e.status === 400,
    }),
  resetTemplate: (key: string, agencyId?: Agency['id']) =>
    request<void>(`/api/notice-templates/${encodeURIComponent(key)}`, { method: 'DELETE', query: { agencyId } }),
};

/** the problems of a 400 (`error.details.problems`), in Chinese */
export function problemsOf(e: unknown): string[] {
  if (!(e instanceof ApiError)) return [];
  const ps = e.details?.problems;
  if (!Array.isArray(ps)) return [];
  return ps.map((p: { zh?: unknown }) => (typeof p?.zh === 'string' ? p.zh : '')).filter((z) => z !== '');
}

/** the filters of the register's list, as the export takes them */
export interface CaseFilters {
  status?: string;
  applicantType?: string;
  from?: string;
  to?: string;
  q?: string;
  agencyId?: Agency['id'];
}

export const ledgerApi = {
  /** the register as a file: its cases (one a row) or its events */
  export: (format: 'xlsx' | 'csv', sheet: 'cases' | 'events', filters: CaseFilters) =>
    request<FileResponse>('/api/cases/export', { query: { format, sheet, ...filters }, blob: true }),
  /** reads the file: a dry run checks it (and proposes the mapping of its columns), else imports the new cases */
  import: (file: File, opts: { agencyId?: Agency['id']; mapping?: Record<string, number | null>; dryRun: boolean }) => {
    const fd = new FormData();
    fd.append('file', file, file.name);
    if (opts.agencyId !== undefined && opts.agencyId !== '') fd.append('agencyId', String(opts.agencyId));
    if (opts.mapping) fd.append('mapping', JSON.stringify(opts.mapping));
    fd.append('dryRun', opts.dryRun ? '1' : '0');
    return request<LedgerImportResult>('/api/cases/import', { body: fd, quiet: true });
  },
};

// ---------------------------------------------------------------------------
// Administration: users and agencies; the report library's uploads
// ---------------------------------------------------------------------------

type UserAccount = import('./types').UserAccount;
type UserChanges = import('./types').UserChanges;

export const adminApi = {
  /** users in scope, with whether each may log in */
  users: () => request<{ users: UserAccount[] }>('/api/users'),
  /** changes only the fields given; `disabled: true` also ends the user's sessions */
  updateUser: (id: User['id'], changes: UserChanges) =>
    request<{ user: UserAccount }>(`/api/users/${encodeURIComponent(String(id))}`, { method: 'PATCH', body: changes, quiet: true }),
  /** a new password (≥ 8 characters); the user's sessions end */
  setPassword: (id: User['id'], password: string) =>
    request<{ sessionsEnded: number }>(`/api/users/${encodeURIComponent(String(id))}/password`, { body: { password }, quiet: true }),
  createAgency: (a: { name: string; parentId: Agency['id'] | null; level: Agency['level'] }) =>
    request<{ agency: Agency }>('/api/agencies', { body: a, quiet: true }),
  /** renames and/or moves an agency (never under itself or an agency under it) */
  updateAgency: (id: Agency['id'], changes: { name?: string; parentId?: Agency['id'] | null }) =>
    request<{ agency: Agency }>(`/api/agencies/${encodeURIComponent(String(id))}`, { method: 'PATCH', body: changes, quiet: true }),
};

export const libraryApi = {
  /**
   * stores a file in the library: a file already stored for the agency is refused (409 `duplicate`,
   * `details.report` the stored one) unless `allowDuplicate` (the person chose 仍然保存)
   */
  upload: (file: File, opts: { agencyId?: Agency['id']; allowDuplicate?: boolean } = {}) => {
    const fd = new FormData();
    fd.append('file', file, file.name);
    if (opts.agencyId !== undefined) fd.append('agencyId', String(opts.agencyId));
    return request<StoredReport>('/api/reports', { body: fd, query: { allowDuplicate: opts.allowDuplicate ? 1 : undefined }, quiet: true });
  },
};
