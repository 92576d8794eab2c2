/** Checking reports, the report library (报告库), rendering and the library statistics. */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { RULES } from '../../check/index.js';
import type { Diagnostic } from '../../check/types.js';
import { APPLICANT_COLUMNS } from '../../model/format.js';
import { checkTextLimits } from '../../model/limits.js';
import type { Report } from '../../model/report.js';
import { dateIn } from '../../register/clock.js';
import type { RenderFormat } from '../../render/index.js';
import { tableGrids } from '../../render/layout.js';
import { normalizeReport } from '../../render/totals.js';
import {
  type DuplicateOf,
  DuplicateReportError,
  deleteReport,
  findDuplicateReport,
  findReport,
  getReport,
  getReportOriginal,
  insertReport,
  listReports,
  reportAgency,
  reportFigures,
  type StoredReportRow,
} from '../../store/app.js';
import { type AppEnv, Scope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { type CheckResult, figuresOf, outcomeRows, type SourceView, summarize } from '../pipeline.js';
import {
  AgencyQuery,
  CheckJsonBody,
  CheckResultSchema,
  ExportFormatSchema,
  FileContent,
  IdParam,
  LibraryReportSummarySchema,
  LibraryStatsByAgencySchema,
  RenderBody,
  StoredReportSchema,
  UploadForm,
} from '../schemas.js';
import { errors, json, roles, secured, securedWrite } from './common.js';

export const MIME: Record<RenderFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const ORIGINAL_MIME: Record<string, string> = {
  text: 'text/plain; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  docx: MIME.docx,
  pdf: MIME.pdf,
  xlsx: MIME.xlsx,
  json: 'application/json; charset=utf-8',
};

/** `attachment` with an ASCII fallback name and the real (Chinese) name per RFC 6266 / 5987 */
export function attachment(name: string, fallback: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

/** a download: the file's bytes with its type, name (ASCII fallback) and no caching */
export function fileResponse(bytes: Uint8Array, type: string, name: string, fallback: string): Response {
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      'Content-Type': type,
      'Content-Disposition': attachment(name, fallback),
      'Content-Length': String(bytes.byteLength),
      'Cache-Control': 'no-store',
    },
  });
}

function exportName(report: Report, ext: string): string {
  return `${report.agency ?? ''}${report.year ? `${report.year}年` : ''}政府信息公开工作年度报告.${ext}`;
}

interface Input {
  bytes: Uint8Array;
  name: string;
  /** set for a Report JSON body */
  report?: Report;
  agencyId?: number;
}

/**
 * an upload's name as stored and shown: its last path segment, without control characters (CR/LF
 * would split a log line or a Content-Disposition header), bidirectional overrides or surrounding
 * whitespace, at most 200 characters
 */
export const safeName = (name: string) =>
  basename(name.replace(/\\/g, '/'))
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .slice(0, 200) || 'upload';

/** the input of /api/check and /api/reports: a multipart file, pasted text or a Report JSON */
async function inputOf(c: Context<AppEnv>, valid: (t: 'form' | 'json') => unknown): Promise<Input> {
  const type = c.req.header('content-type') ?? '';
  if (/^multipart\/form-data/i.test(type) || /^application\/x-www-form-urlencoded/i.test(type)) {
    const form = valid('form') as z.infer<typeof UploadForm>;
    const bytes = new Uint8Array(await form.file.arrayBuffer());
    return { bytes, name: safeName(form.file.name), agencyId: form.agencyId };
  }
  const body = valid('json') as Partial<z.infer<typeof CheckJsonBody>>;
  if (body.report !== undefined) {
    const report = normalizeReport(body.report).report;
    // refused here, before the report is sent to a worker
    checkTextLimits(report);
    return { bytes: new TextEncoder().encode(JSON.stringify(body.report)), name: 'report.json', report, agencyId: body.agencyId };
  }
  if (typeof body.text === 'string') {
    return { bytes: new TextEncoder().encode(body.text), name: safeName(body.filename ?? '粘贴文本.txt'), agencyId: body.agencyId };
  }
  throw new ApiError(
    400,
    'bad-request',
    '请上传文件（multipart 的 file 字段），或提交 JSON {text} 或 {report}。',
    'Upload a file (multipart field "file"), or send JSON {text} or {report}.',
  );
}

async function read(ctx: ServerContext, input: Input): Promise<{ report: Report; kind: string; source: SourceView | null }> {
  if (input.report) return { report: input.report, kind: 'json', source: null };
  return ctx.jobs.read(input.bytes, input.name);
}

function storedResult(r: StoredReportRow) {
  const report = JSON.parse(r.report) as Report;
  const diagnostics = JSON.parse(r.diagnostics) as Diagnostic[];
  return {
    id: r.id,
    agencyId: r.agencyId,
    agencyName: r.agencyName,
    fileName: r.fileName,
    uploadedAt: r.uploadedAt,
    uploadedBy: r.uploadedBy,
    report,
    diagnostics,
    grids: tableGrids(report),
    source: r.source === null ? null : (JSON.parse(r.source) as SourceView),
    summary: summarize(diagnostics),
  };
}

const checkBody = {
  content: {
    'multipart/form-data': { schema: UploadForm },
    'application/json': { schema: CheckJsonBody },
  },
  // not `required`: each content type is validated by its own schema only
  required: false,
};

/** 409 `duplicate`: the same file is in the library for the agency; the message names the stored report */
function duplicateError(d: DuplicateOf): ApiError {
  const day = dateIn(new Date(d.uploadedAt), process.env.NIANBAO_TZ ?? 'Asia/Shanghai');
  const who = d.uploadedByName && d.uploadedByName !== d.uploadedBy ? `${d.uploadedByName}（${d.uploadedBy}）` : d.uploadedBy;
  const what = [d.agencyName, d.year === null ? null : `${d.year} 年度`, `编号 ${d.id}“${d.fileName}”`].filter(Boolean).join('，');
  return new ApiError(
    409,
    'duplicate',
    `报告库中已有同一文件：${what}，${day} 由 ${who} 上传。本次未重复保存；如确需再保存一份，可在报告库“上传到报告库”中确认“仍然保存”。`,
    `The library already holds this file for the agency: report ${d.id} "${d.fileName}", uploaded ${day} by ${d.uploadedBy}. Not stored; send allowDuplicate=1 to store it again.`,
    { report: d },
  );
}

/** stored reports never change: the JSON of the last ones read is kept (the scope is checked on every request) */
const CACHED_REPORTS = 64;

export function reportRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  const { db } = ctx;
  const cache = new Map<number, string>();

  /** a readable stored report, or 404 */
  const readable = async (c: Context<AppEnv>, id: number): Promise<{ row: StoredReportRow; scope: Scope }> => {
    const scope = await Scope.of(db, c.get('user'));
    const row = await getReport(db, id);
    if (!row || !scope.canRead(row.agencyId)) throw notFound('没有这份报告，或不在您的权限范围内。', 'No such report in your scope.');
    return { row, scope };
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/check',
      tags: ['reports'],
      summary: '检查报告（不保存） / check a report without storing it',
      description:
        'multipart/form-data with field `file` (≤ 20 MB), or JSON `{text, filename?}` (pasted text) or `{report}` (a Report JSON).',
      security: securedWrite,
      request: { body: checkBody },
      responses: { 200: json(CheckResultSchema, 'the check result'), ...errors(400, 401, 403, 413, 415, 422) },
    }),
    async (c) => {
      const input = await inputOf(c, (t) => c.req.valid(t as 'json'));
      const { report, source } = await read(ctx, input);
      // last year's report of the same publisher, when the library holds one the user may read:
      // the cross-year rules (carry-over, 现行有效, sharp changes, 雷同) then run too
      let previous: Report | null = null;
      if (report.agency && report.year !== null) {
        const scope = await Scope.of(db, c.get('user'));
        const name = report.agency.replace(/\s+/g, '');
        const agency = scope.visible().find((a) => a.name.replace(/\s+/g, '') === name);
        const prevRow = agency ? await findReport(db, agency.id, report.year - 1) : undefined;
        if (prevRow) previous = JSON.parse(prevRow.report) as Report;
      }
      const result: CheckResult = await ctx.jobs.check(report, source, previous);
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/reports',
      tags: ['reports'],
      summary: '上传报告到报告库 / store a report in the library',
      description:
        'The inputs of /api/check plus `agencyId` (default: your agency). Checked against last year’s report of the agency when the library has it. The same file (SHA-256 of its bytes) already stored for the agency → 409 `duplicate` with `details.report` (id, year, file name, when and by whom), unless `allowDuplicate=1`.',
      security: securedWrite,
      middleware: [roles('clerk', 'reviewer', 'admin')],
      request: {
        query: z.object({
          allowDuplicate: z
            .enum(['0', '1', 'true', 'false'])
            .optional()
            .openapi({ description: '1：同一文件已在报告库中也仍然保存 / store even when the same file is in the library' }),
        }),
        body: checkBody,
      },
      responses: { 201: json(StoredReportSchema, 'stored'), ...errors(400, 401, 403, 404, 409, 413, 415, 422) },
    }),
    async (c) => {
      const user = c.get('user');
      const scope = await Scope.of(db, user);
      const input = await inputOf(c, (t) => c.req.valid(t as 'json'));
      const agency = scope.requireWrite('report', input.agencyId);
      const q = c.req.valid('query');
      const allowDuplicate = q.allowDuplicate === '1' || q.allowDuplicate === 'true';
      const contentHash = createHash('sha256').update(input.bytes).digest('hex');
      if (!allowDuplicate) {
        // before the file is read: a duplicate costs no reading
        const existing = await findDuplicateReport(db, agency.id, contentHash);
        if (existing) throw duplicateError(existing);
      }
      const { report, kind, source } = await read(ctx, input);
      const prevRow = report.year !== null ? await findReport(db, agency.id, report.year - 1) : undefined;
      const previous = prevRow ? (JSON.parse(prevRow.report) as Report) : null;
      const result = await ctx.jobs.check(report, source, previous);
      let id: number;
      try {
        id = await insertReport(
          db,
          {
            agencyId: agency.id,
            year: report.year,
            format: report.format,
            fileName: input.name,
            kind,
            uploadedBy: user.username,
            original: input.bytes,
            report,
            diagnostics: result.diagnostics,
            source,
            figures: figuresOf(report, result.diagnostics),
            ...result.summary,
            contentHash,
            refuseDuplicate: !allowDuplicate,
          },
          user.username,
        );
      } catch (e) {
        // the same file stored meanwhile by another request
        if (e instanceof DuplicateReportError) throw duplicateError(e.existing);
        throw e;
      }
      const row = await getReport(db, id);
      return c.json(storedResult(row!), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/reports',
      tags: ['reports'],
      summary: '报告库 / the reports in scope',
      description: '`agencyId`: that agency and those under it (in scope).',
      security: secured,
      request: { query: AgencyQuery.extend({ year: z.coerce.number().int().min(1990).max(2100).optional().openapi({ type: 'integer' }) }) },
      responses: { 200: json(z.object({ reports: z.array(LibraryReportSummarySchema) }), 'reports'), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = await Scope.of(db, c.get('user'));
      const reports = await listReports(db, { agencyIds: scope.idsUnder(q.agencyId), year: q.year });
      return c.json({ reports }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/reports/{id}',
      tags: ['reports'],
      summary: '一份报告 / one stored report with its check result',
      security: secured,
      request: { params: z.object({ id: IdParam.openapi({ type: 'integer' }) }) },
      responses: { 200: json(StoredReportSchema, 'the report'), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const scope = await Scope.of(db, c.get('user'));
      const agencyId = await reportAgency(db, id);
      if (agencyId === undefined || !scope.canRead(agencyId))
        throw notFound('没有这份报告，或不在您的权限范围内。', 'No such report in your scope.');
      let body = cache.get(id);
      if (body === undefined) {
        const row = await getReport(db, id);
        if (!row) throw notFound('没有这份报告，或不在您的权限范围内。', 'No such report in your scope.');
        body = JSON.stringify(storedResult(row));
        cache.set(id, body);
        if (cache.size > CACHED_REPORTS) cache.delete(cache.keys().next().value as number);
      } else {
        // most recently used last
        cache.delete(id);
        cache.set(id, body);
      }
      return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/reports/{id}',
      tags: ['reports'],
      summary: '删除报告（管理员） / delete a report (admin)',
      security: securedWrite,
      middleware: [roles('admin')],
      request: { params: z.object({ id: IdParam.openapi({ type: 'integer' }) }) },
      responses: { 204: { description: 'deleted' }, ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const { row } = await readable(c, c.req.valid('param').id);
      await deleteReport(db, row.id, c.get('user').username);
      cache.delete(row.id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/reports/{id}/export',
      tags: ['reports'],
      summary: '按官方格式导出 / the report rendered in the official layout',
      description: 'A report whose totals contradict their parts → 422 `render-refused` with `details.diagnostics`, unless force=1.',
      security: secured,
      request: {
        params: z.object({ id: IdParam.openapi({ type: 'integer' }) }),
        query: z.object({
          format: ExportFormatSchema,
          force: z.enum(['0', '1', 'true', 'false']).optional(),
          blankAs: z.enum(['zero', 'blank']).optional(),
        }),
      },
      responses: {
        200: { content: FileContent, description: 'the file (Content-Disposition: attachment)' },
        ...errors(400, 401, 404, 422),
      },
    }),
    async (c) => {
      const { row } = await readable(c, c.req.valid('param').id);
      const q = c.req.valid('query');
      const report = JSON.parse(row.report) as Report;
      const format = q.format as RenderFormat;
      const bytes = await ctx.jobs.render(report, format, { force: q.force === '1' || q.force === 'true', blankAs: q.blankAs });
      return fileResponse(bytes, MIME[format], exportName(report, format), `report-${row.id}.${format}`) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/reports/{id}/original',
      tags: ['reports'],
      summary: '上传的原文件 / the file as uploaded',
      security: secured,
      request: { params: z.object({ id: IdParam.openapi({ type: 'integer' }) }) },
      responses: { 200: { content: FileContent, description: 'the uploaded file' }, ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { row } = await readable(c, c.req.valid('param').id);
      const bytes = (await getReportOriginal(db, row.id)) ?? new Uint8Array();
      return fileResponse(bytes, ORIGINAL_MIME[row.kind] ?? 'application/octet-stream', row.fileName, `report-${row.id}-original`) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/render',
      tags: ['reports'],
      summary: '生成报告文件 / render a Report JSON',
      security: securedWrite,
      request: { body: { content: { 'application/json': { schema: RenderBody } }, required: true } },
      responses: {
        200: { content: FileContent, description: 'the file (Content-Disposition: attachment)' },
        ...errors(400, 401, 403, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const report = normalizeReport(body.report).report;
      checkTextLimits(report);
      const format = body.format as RenderFormat;
      const bytes = await ctx.jobs.render(report, format, { force: body.force, blankAs: body.blankAs });
      return fileResponse(bytes, MIME[format], exportName(report, format), `report.${format}`) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/library/stats',
      tags: ['reports'],
      summary: '报告库统计 / figures for the charts, over the reports in scope',
      description:
        '`agencyId`: that agency and those under it; `year`: one year only. Each agency’s report of a year is counted once (its latest version; `superseded` counts the others). `trend` sums the agencies with a report that year (`agencies`): compare years with `series`, one per agency over every year of `range` (null: no report that year).',
      security: secured,
      request: { query: AgencyQuery.extend({ year: z.coerce.number().int().min(1990).max(2100).optional().openapi({ type: 'integer' }) }) },
      responses: { 200: json(LibraryStatsByAgencySchema, 'statistics'), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = await Scope.of(db, c.get('user'));
      const all = await reportFigures(db, { agencyIds: scope.idsUnder(q.agencyId), year: q.year });
      // a later file of an agency's year replaces the earlier (both stay in the library): count the latest only
      const latest = new Map<string, (typeof all)[number]>();
      const rows: typeof all = [];
      for (const r of all) {
        if (r.year === null) rows.push(r);
        else latest.set(`${r.agencyId}:${r.year}`, r);
      }
      rows.push(...latest.values());
      const superseded = all.length - rows.length;
      const outcomes = outcomeRows();
      const byOutcome = new Map(outcomes.map((o) => [o.key, 0]));
      const types = APPLICANT_COLUMNS.filter((col) => col.key !== 'total');
      const byType = new Map(types.map((t) => [t.key as string, 0]));
      const trend = new Map<
        number,
        { year: number; newApplications: number; reviews: number; litigations: number; reports: number; agencies: number }
      >();
      const perAgency = new Map<number, Map<number, { newApplications: number; reviews: number; litigations: number }>>();
      const problems = new Map<string, number>();
      for (const r of rows) {
        const f = r.figures;
        for (const o of outcomes) if (f.applications[o.key]) byOutcome.set(o.key, byOutcome.get(o.key)! + f.applications[o.key].total);
        for (const t of types) byType.set(t.key, byType.get(t.key)! + (f.applications.newReceived?.[t.key] ?? 0));
        if (r.year !== null) {
          const point = { newApplications: f.applications.newReceived?.total ?? 0, reviews: f.reviews, litigations: f.litigations };
          const y = trend.get(r.year) ?? { year: r.year, newApplications: 0, reviews: 0, litigations: 0, reports: 0, agencies: 0 };
          y.newApplications += point.newApplications;
          y.reviews += point.reviews;
          y.litigations += point.litigations;
          y.reports++;
          y.agencies++;
          trend.set(r.year, y);
          const years = perAgency.get(r.agencyId) ?? new Map();
          years.set(r.year, point);
          perAgency.set(r.agencyId, years);
        }
        for (const [rule, n] of Object.entries(f.rules)) problems.set(rule, (problems.get(rule) ?? 0) + n);
      }
      const title = new Map(RULES.map((r) => [r.id, r.title]));
      const hasOtherHandling = rows.some((r) => r.figures.applications.otherHandling);
      const years = [...trend.keys()].sort((a, b) => a - b);
      // every year from the first to the last: a year without any report is a gap, not left out
      const range: number[] = [];
      if (years.length > 0) for (let y = years[0]; y <= years[years.length - 1]; y++) range.push(y);
      const series = [...perAgency.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([agencyId, byYear]) => ({
          agencyId,
          agencyName: scope.agency(agencyId)?.name ?? `机关 ${agencyId}`,
          points: range.map((y) => byYear.get(y) ?? null),
        }));
      return c.json(
        {
          years,
          byOutcome: outcomes
            .filter((o) => o.key !== 'otherHandling' || hasOtherHandling)
            .map((o) => ({ key: o.key, label: o.label, total: byOutcome.get(o.key)! })),
          byApplicantType: types.map((t) => ({ key: t.key, label: t.label, total: byType.get(t.key)! })),
          trend: [...trend.values()].sort((a, b) => a.year - b.year),
          range,
          series,
          superseded,
          problems: [...problems.entries()]
            .map(([rule, count]) => ({ rule, title: title.get(rule) ?? rule, count }))
            .sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : 1)),
        },
        200,
      );
    },
  );
}
