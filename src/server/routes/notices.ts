/**
 * Notices (文书) of the register: the notices a case calls for, drafts, issuing (numbered, stored
 * unchanged), downloads as DOCX/PDF (rendered on the worker pool), and each agency's settings and
 * templates (administrators).
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { registerToday } from '../../register/clock.js';
import { availableNotices, NOTICE_SPECS, PLACEHOLDERS, SETTING_ZH } from '../../register/notices.js';
import { noticeFileName } from '../../render/notice.js';
import {
  draftFor,
  getNotice,
  getNoticeSettings,
  getTemplates,
  type IssuedNotice,
  issueNotice,
  listNotices,
  putNoticeSettings,
  putTemplate,
  resetTemplate,
} from '../../store/notices.js';
import { requireCase } from '../../store/register.js';
import { type AppEnv, Scope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { AgencyQuery } from '../schemas.js';
import { errors, json, roles, secured, securedWrite } from './common.js';
import { registerOf } from './register.js';
import { fileResponse } from './reports.js';

const CaseIdParams = z.object({ id: z.string().min(1).max(64).openapi({ example: '2025-001' }) });
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Free = z
  .record(z.string().max(40), z.string().max(5000))
  .refine((r) => Object.keys(r).length <= 20, 'at most 20 free parts')
  .openapi({ description: '可编辑部分（键为中文名称，如 补正内容、理由）/ the free parts by their Chinese name' });

const NoticeDocumentSchema = z
  .object({
    agency: z.string(),
    title: z.string(),
    number: z.string().nullable(),
    recipient: z.string(),
    paragraphs: z.array(z.string()),
    signature: z.string(),
    date: z.string(),
    seal: z.string(),
    draft: z.boolean(),
    footer: z.array(z.string()),
  })
  .openapi('NoticeDocument');

const ProblemList = z.array(z.object({ zh: z.string(), en: z.string() }));

const IssuedSchema = z
  .object({
    id: z.number().int(),
    caseId: z.string(),
    key: z.string(),
    label: z.string(),
    seq: z.number().int(),
    year: z.number().int(),
    serial: z.number().int(),
    number: z.string(),
    title: z.string(),
    issuedOn: z.string(),
    issuedBy: z.string(),
    issuedAt: z.string(),
    hash: z.string().openapi({ description: 'SHA-256 of the stored content' }),
    supersedes: z.number().int().nullable(),
    supersededBy: z.number().int().nullable(),
    document: NoticeDocumentSchema,
    free: z.record(z.string(), z.string()),
  })
  .openapi('IssuedNotice');

const DraftSchema = z
  .object({
    key: z.string(),
    seq: z.number().int(),
    label: z.string(),
    document: NoticeDocumentSchema,
    fields: z.array(z.object({ name: z.string(), hint: z.string(), required: z.boolean(), multiline: z.boolean(), value: z.string() })),
    problems: ProblemList.openapi({ description: '不能发文的原因；为空时可以发文 / what stops it from being issued' }),
  })
  .openapi('NoticeDraft');

const SettingsSchema = z
  .object({
    agencyName: z.string().max(100),
    numberPattern: z.string().max(60),
    reviewBody: z.string().max(100),
    court: z.string().max(100),
    contact: z.string().max(500),
    payMethod: z.string().max(500),
    seal: z.string().max(30),
  })
  .openapi('NoticeSettings');

const TemplateSchema = z
  .object({ title: z.string().max(100), paragraphs: z.array(z.string().max(2000)).max(40) })
  .openapi('NoticeTemplate');

const keys = NOTICE_SPECS.map((s) => s.key) as [string, ...string[]];

/** a notice of a step: which, the clerk's free parts, the day of issue */
const DraftBody = z.object({
  seq: z.number().int().min(0).max(100_000),
  key: z.enum(keys).optional(),
  free: Free.optional(),
  issuedOn: Day.optional(),
});
const IssueBody = DraftBody.extend({ supersedes: z.number().int().min(1).optional() });

function issuedOut(n: IssuedNotice) {
  return { ...n, title: n.document.title };
}

export function noticeRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  const { db, reg: rdb } = ctx;

  /** the register read (any role in scope) and the agency's name */
  async function readTarget(user: AppEnv['Variables']['user'], agencyId: number | undefined) {
    const scope = await Scope.of(db, user);
    const agency = scope.target(agencyId);
    return { reg: registerOf(agency.id), agencyName: agency.name };
  }

  async function writeTarget(user: AppEnv['Variables']['user'], agencyId: number | undefined, kind: 'register' | 'admin' = 'register') {
    const scope = await Scope.of(db, user);
    const agency = scope.requireWrite(kind, agencyId);
    return { reg: registerOf(agency.id), agencyName: agency.name };
  }

  const today = () => {
    try {
      return ctx.today();
    } catch {
      return registerToday();
    }
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{id}/notices',
      tags: ['register'],
      summary: '申请的文书 / the notices a case calls for and those issued',
      description:
        '`available`: every notice the case calls for, in the order of its steps (seq 0 = 登记回执), each with the current issued one (`issued`, null if none). `notices`: every issued notice, superseded ones included.',
      security: secured,
      request: { params: CaseIdParams, query: AgencyQuery },
      responses: {
        200: json(
          z.object({
            available: z.array(
              z.object({
                key: z.string(),
                seq: z.number().int(),
                label: z.string(),
                on: z.string(),
                alternatives: z.array(z.object({ key: z.string(), label: z.string() })),
                issued: IssuedSchema.nullable(),
              }),
            ),
            notices: z.array(IssuedSchema),
          }),
          'the notices',
        ),
        ...errors(400, 401, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { reg } = await readTarget(c.get('user'), c.req.valid('query').agencyId);
      const k = await requireCase(rdb, id, reg);
      const notices = (await listNotices(rdb, id, reg)).map(issuedOut);
      const available = availableNotices(k).map((a) => ({
        key: a.key,
        seq: a.seq,
        label: a.label,
        on: a.on,
        alternatives: a.alternatives.map((key) => ({ key, label: NOTICE_SPECS.find((s) => s.key === key)!.label })),
        issued: notices.find((n) => n.seq === a.seq && n.supersededBy === null) ?? null,
      }));
      return c.json({ available, notices }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases/{id}/notices/draft',
      tags: ['register'],
      summary: '起草文书 / the draft of a notice (nothing stored)',
      description:
        'The notice of step `seq` (0 = 登记回执) drafted from the case with the free parts given (else prefilled from the case); `problems` lists what stops it from being issued.',
      security: securedWrite,
      middleware: [roles('clerk', 'admin')],
      request: {
        params: CaseIdParams,
        query: AgencyQuery,
        body: {
          content: {
            'application/json': {
              schema: DraftBody,
            },
          },
          required: true,
        },
      },
      responses: { 200: json(DraftSchema, 'the draft'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { reg, agencyName } = await writeTarget(c.get('user'), c.req.valid('query').agencyId);
      const body = c.req.valid('json');
      const draft = await draftFor(rdb, id, { seq: body.seq, key: body.key, free: body.free, issuedOn: body.issuedOn ?? today() }, reg, {
        agencyName,
      });
      return c.json(draft, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases/{id}/notices',
      tags: ['register'],
      summary: '发文 / issue a notice (clerk/admin)',
      description:
        'Issues the notice of step `seq`: it takes the next number of the agency and year (never reused, never skipped) and is stored unchanged with its SHA-256. 400 `bad-input` with `details.problems` when it cannot be issued yet; 409 `duplicate` when that step’s notice was already issued — reissue with `supersedes` (the old notice’s id): a new number, the old one kept and marked.',
      security: securedWrite,
      middleware: [roles('clerk', 'admin')],
      request: {
        params: CaseIdParams,
        query: AgencyQuery,
        body: {
          content: {
            'application/json': {
              schema: IssueBody,
            },
          },
          required: true,
        },
      },
      responses: { 201: json(IssuedSchema, 'the issued notice'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const user = c.get('user');
      const { reg, agencyName } = await writeTarget(user, c.req.valid('query').agencyId);
      const body = c.req.valid('json');
      const issuedOn = body.issuedOn ?? today();
      if (issuedOn > today()) {
        return c.json(
          {
            error: {
              code: 'future-date',
              message: `发文日期 ${issuedOn} 晚于今天（${today()}）。`,
              messageEn: `The date of issue ${issuedOn} is after today (${today()}).`,
            },
          },
          400,
        ) as never;
      }
      const n = await issueNotice(
        rdb,
        id,
        { seq: body.seq, key: body.key, free: body.free, issuedOn, supersedes: body.supersedes },
        user.name || user.username,
        reg,
        { agencyName },
      );
      return c.json(issuedOut(n), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/notices/{noticeId}/file',
      tags: ['register'],
      summary: '下载文书 / an issued notice as DOCX or PDF',
      description: 'The notice exactly as issued (checked against its hash), rendered on the worker pool.',
      security: secured,
      request: {
        params: z.object({ noticeId: z.coerce.number().int().min(1).openapi({ type: 'integer' }) }),
        query: AgencyQuery.extend({ format: z.enum(['docx', 'pdf']).default('docx') }),
      },
      responses: {
        200: { content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'the file' },
        ...errors(400, 401, 404, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { reg } = await readTarget(c.get('user'), q.agencyId);
      const n = await getNotice(rdb, c.req.valid('param').noticeId, reg);
      const bytes = await ctx.jobs.notice(n.document, q.format);
      const type = q.format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
      return fileResponse(bytes, type, noticeFileName(n.document, q.format), `notice-${n.id}.${q.format}`) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/notice-settings',
      tags: ['register'],
      summary: '文书设置 / the agency’s notice settings',
      security: secured,
      request: { query: AgencyQuery },
      responses: {
        200: json(z.object({ settings: SettingsSchema, labels: z.record(z.string(), z.string()) }), 'the settings'),
        ...errors(400, 401, 404),
      },
    }),
    async (c) => {
      const { reg, agencyName } = await readTarget(c.get('user'), c.req.valid('query').agencyId);
      const settings = await getNoticeSettings(rdb, reg);
      if (!settings.agencyName) settings.agencyName = agencyName;
      return c.json({ settings, labels: SETTING_ZH }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/notice-settings',
      tags: ['register'],
      summary: '修改文书设置 / change the notice settings (admin)',
      description:
        'The fields given replace the old ones. 400 `bad-input` with `details.problems` (e.g. a number pattern without {year} or {n}).',
      security: securedWrite,
      middleware: [roles('admin')],
      request: { query: AgencyQuery, body: { content: { 'application/json': { schema: SettingsSchema.partial() } }, required: true } },
      responses: { 200: json(z.object({ settings: SettingsSchema }), 'the settings'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const user = c.get('user');
      const { reg } = await writeTarget(user, c.req.valid('query').agencyId, 'admin');
      const settings = await putNoticeSettings(rdb, reg, c.req.valid('json'), user.name || user.username);
      return c.json({ settings }, 200);
    },
  );

  const TemplateEntrySchema = z.object({
    key: z.string(),
    label: z.string(),
    title: z.string(),
    paragraphs: z.array(z.string()),
    custom: z.boolean(),
    updatedBy: z.string().nullable(),
    updatedAt: z.string().nullable(),
    required: z.array(z.string()).openapi({ description: 'placeholders the template must keep' }),
    cite: z.array(z.string()).openapi({ description: 'the article it must cite (any one)' }),
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/notice-templates',
      tags: ['register'],
      summary: '文书模板 / the agency’s notice templates',
      security: secured,
      request: { query: AgencyQuery },
      responses: {
        200: json(
          z.object({
            templates: z.array(TemplateEntrySchema),
            placeholders: z.array(z.object({ name: z.string(), description: z.string() })),
          }),
          'the templates',
        ),
        ...errors(400, 401, 404),
      },
    }),
    async (c) => {
      const { reg } = await readTarget(c.get('user'), c.req.valid('query').agencyId);
      const map = await getTemplates(rdb, reg);
      const templates = NOTICE_SPECS.map((s) => {
        const e = map.get(s.key)!;
        return {
          key: s.key,
          label: s.label,
          title: e.template.title,
          paragraphs: e.template.paragraphs,
          custom: e.custom,
          updatedBy: e.updatedBy,
          updatedAt: e.updatedAt,
          required: s.required,
          cite: s.cite,
        };
      });
      const placeholders = Object.entries(PLACEHOLDERS).map(([name, description]) => ({ name, description }));
      return c.json({ templates, placeholders }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/notice-templates/{key}',
      tags: ['register'],
      summary: '修改文书模板 / change a template (admin)',
      description:
        'Validated: placeholders must be known, the article must be cited, and a template cannot drop what the notice exists to tell — the applicant’s rights ({{救济途径}}), the deadline, the amount… 400 `bad-input` with `details.problems`.',
      security: securedWrite,
      middleware: [roles('admin')],
      request: {
        params: z.object({ key: z.enum(keys) }),
        query: AgencyQuery,
        body: { content: { 'application/json': { schema: TemplateSchema } }, required: true },
      },
      responses: { 200: json(TemplateEntrySchema.partial(), 'the template'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const user = c.get('user');
      const { key } = c.req.valid('param');
      const { reg } = await writeTarget(user, c.req.valid('query').agencyId, 'admin');
      const e = await putTemplate(rdb, reg, key, c.req.valid('json'), user.name || user.username);
      return c.json({ key: e.key, label: e.label, title: e.template.title, paragraphs: e.template.paragraphs, custom: true }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/notice-templates/{key}',
      tags: ['register'],
      summary: '恢复默认模板 / back to the shipped template (admin)',
      security: securedWrite,
      middleware: [roles('admin')],
      request: { params: z.object({ key: z.enum(keys) }), query: AgencyQuery },
      responses: { 204: { description: 'done' }, ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const user = c.get('user');
      const { reg } = await writeTarget(user, c.req.valid('query').agencyId, 'admin');
      await resetTemplate(rdb, reg, c.req.valid('param').key, user.name || user.username);
      return c.body(null, 204);
    },
  );
}
