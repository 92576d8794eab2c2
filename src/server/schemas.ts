/**
 * The zod schemas of the API: request validation and the generated OpenAPI 3.1 document
 * (`/openapi.json`). The data (Report, Diagnostic, Case and its events, DueDates, CaseStatus) are
 * the model's schemas (src/model/schema.ts), which name their own OpenAPI components; a Report in a
 * request body is validated by `normalizeReport`, whose errors name the field (`invalid-report`).
 */
import { z } from '@hono/zod-openapi';
import type { Report } from '../model/report.js';
import {
  ApplicantTypeSchema,
  CaseAmendmentSchema,
  CaseEventSchema,
  CaseSchema as ModelCaseSchema,
  CaseStatusSchema as ModelCaseStatusSchema,
  DiagnosticSchema as ModelDiagnosticSchema,
  DueDatesSchema as ModelDueDatesSchema,
  GridCellSchema as ModelGridCellSchema,
  GridSchema as ModelGridSchema,
  HolidayNoticeSchema as ModelHolidayNoticeSchema,
  ReportSchema as ModelReportSchema,
  NewCaseEventSchema,
  NewCaseSchema,
} from '../model/schema.js';
import { AGENCY_LEVELS, ROLES } from '../store/app.js';

const Id = z.number().int().positive();
/** an id in a path or query: digits */
export const IdParam = z.coerce.number().int().positive().max(2_147_483_647);
export const DateStr = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '应为 YYYY-MM-DD 格式的日期');

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'bad-request' }),
      message: z.string().openapi({ description: '中文说明', example: '请求无效。' }),
      messageEn: z.string().openapi({ example: 'Invalid request.' }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

export const RoleSchema = z.enum(ROLES as [string, ...string[]]).openapi('Role');
export const AgencyLevelSchema = z.enum(AGENCY_LEVELS as [string, ...string[]]).openapi('AgencyLevel');

export const UserSchema = z
  .object({
    id: Id,
    username: z.string(),
    name: z.string(),
    role: z.enum(['admin', 'clerk', 'reviewer', 'readonly']),
    agencyId: Id.nullable(),
  })
  .openapi('User');

export const AgencySchema = z
  .object({
    id: Id,
    name: z.string(),
    parentId: Id.nullable(),
    level: z.enum(['province', 'city', 'county', 'township', 'department']),
  })
  .openapi('Agency');

export const LoginBody = z
  .object({
    username: z.string().trim().min(1).max(100),
    password: z.string().min(1).max(200),
  })
  .openapi('LoginRequest');

export const MeSchema = z
  .object({
    user: UserSchema,
    agency: AgencySchema.nullable(),
    csrfToken: z.string(),
  })
  .openapi('Me');

export const NewUserBody = z
  .object({
    username: z
      .string()
      .trim()
      .min(2)
      .max(64)
      .regex(/^[\p{L}\p{N}_.@-]+$/u, '只能包含字母、数字和 _ . @ -'),
    name: z.string().trim().min(1).max(100),
    password: z.string().min(8).max(200),
    role: z.enum(['admin', 'clerk', 'reviewer', 'readonly']),
    agencyId: Id.nullable(),
  })
  .openapi('NewUser');

export const NewAgencyBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    parentId: Id.nullable(),
    level: z.enum(['province', 'city', 'county', 'township', 'department']),
  })
  .openapi('NewAgency');

// ---------------------------------------------------------------------------
// Reports and checking
// ---------------------------------------------------------------------------

/**
 * the Report JSON (docs/report-json.md; JSON Schema: docs/schema/report.schema.json, GET
 * /api/schema/report.json): the model's schema, typed as the code's `Report` (one object type for
 * both formats) so that the handlers can answer with the reports they hold
 */
export const ReportSchema = ModelReportSchema as unknown as z.ZodType<Report>;

export const DiagnosticSchema = ModelDiagnosticSchema;

export const GridCellSchema = ModelGridCellSchema;
export const GridSchema = ModelGridSchema;

export const SourceSchema = z
  .object({
    kind: z.enum(['text', 'markdown', 'html', 'docx', 'doc', 'pdf', 'xlsx', 'json']),
    lines: z.array(z.string()),
    tableRows: z
      .record(z.string(), z.number().int())
      .optional()
      .describe('DOCX/XLSX: the 1-based line of `lines` showing each table row, keyed "table:row" as in the provenance'),
    positions: z
      .array(
        z.object({
          page: z.number().int(),
          x: z.number(),
          y: z.number(),
          line: z.number().int().describe('1-based line of `lines`'),
          column: z.number().int().describe('0-based position of the text in that line'),
          length: z.number().int(),
        }),
      )
      .optional()
      .describe(
        'PDF (addition): where each paragraph and cell of the page (its page, x, y in PDF points) sits among `lines`, so that a cell can be marked in the source view',
      ),
  })
  .nullable()
  .openapi('Source');

export const SummarySchema = z.object({ errors: z.number().int(), warnings: z.number().int(), infos: z.number().int() }).openapi('Summary');

export const CheckResultSchema = z
  .object({
    report: ReportSchema,
    diagnostics: z.array(DiagnosticSchema),
    grids: z.array(GridSchema),
    source: SourceSchema,
    summary: SummarySchema,
  })
  .openapi('CheckResult');

export const StoredReportSchema = CheckResultSchema.extend({
  id: Id,
  agencyId: Id,
  agencyName: z.string().nullable(),
  fileName: z.string(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
}).openapi('StoredReport');

export const ReportSummarySchema = z
  .object({
    id: Id,
    agencyId: Id,
    agencyName: z.string().nullable(),
    year: z.number().int().nullable(),
    format: z.string().nullable(),
    fileName: z.string(),
    kind: z.string(),
    uploadedAt: z.string(),
    uploadedBy: z.string(),
    errors: z.number().int(),
    warnings: z.number().int(),
    infos: z.number().int(),
  })
  .openapi('ReportSummary');

export const CheckJsonBody = z
  .object({
    text: z.string().min(1).optional().openapi({ description: 'pasted text of a report' }),
    filename: z
      .string()
      .max(255)
      .optional()
      .openapi({ description: 'a file name for the pasted text (its extension picks Markdown or HTML)' }),
    report: z.record(z.string(), z.unknown()).optional().openapi({
      description: 'a Report JSON (e.g. the 年报编制 form): see the Report schema; a field that is wrong → 400 `invalid-report`',
    }),
    agencyId: Id.optional().openapi({ description: 'POST /api/reports only: the agency the report belongs to (default: your own)' }),
  })
  .refine((b) => (b.text !== undefined) !== (b.report !== undefined), {
    message: '须有 text 或 report 二者之一 / give exactly one of text and report',
  })
  .openapi('CheckJson');

export const UploadForm = z
  .object({
    file: z.instanceof(File).openapi({ type: 'string', format: 'binary', description: 'the report file (≤ 20 MB)' }),
    agencyId: z.coerce.number().int().positive().optional().openapi({ type: 'integer', description: 'POST /api/reports only' }),
  })
  .openapi('Upload');

export const ExportFormatSchema = z.enum(['docx', 'pdf', 'html', 'md', 'xlsx']);

export const RenderBody = z
  .object({
    report: z
      .record(z.string(), z.unknown())
      .openapi({ type: 'object', description: 'a Report JSON: see the Report schema; a field that is wrong → 400 `invalid-report`' }),
    format: ExportFormatSchema,
    force: z.boolean().optional(),
    blankAs: z.enum(['zero', 'blank']).optional(),
  })
  .openapi('RenderRequest');

export const LibraryStatsSchema = z
  .object({
    years: z.array(z.number().int()),
    byOutcome: z.array(z.object({ key: z.string(), label: z.string(), total: z.number() })),
    byApplicantType: z.array(z.object({ key: z.string(), label: z.string(), total: z.number() })),
    trend: z.array(
      z.object({
        year: z.number().int(),
        newApplications: z.number(),
        reviews: z.number(),
        litigations: z.number(),
        reports: z.number().int(),
      }),
    ),
    problems: z.array(z.object({ rule: z.string(), title: z.string(), count: z.number().int() })),
  })
  .openapi('LibraryStats');

/** a file download (export, render, original) */
export const FileContent = {
  'application/octet-stream': { schema: z.string().openapi({ type: 'string', format: 'binary' }) },
};

// ---------------------------------------------------------------------------
// Register
// ---------------------------------------------------------------------------

export const CaseSchema = ModelCaseSchema;
export const DueDatesSchema = ModelDueDatesSchema;
export const CaseStatusSchema = ModelCaseStatusSchema;

export const ProblemSchema = z
  .object({ zh: z.string(), en: z.string() })
  .openapi('CaseProblem', { description: '为什么这件申请的期限无法计算或数据无法读取 / why a case cannot be shown in full' });

export const CaseSummarySchema = z
  .object({
    id: z.string(),
    agencyId: Id,
    applicantName: z.string(),
    applicantType: z.string(),
    receivedOn: z.string(),
    description: z.string(),
    status: CaseStatusSchema,
    problem: ProblemSchema.nullable().openapi({
      description: '这件申请的问题（其余申请照常列出） / the problem of this case, the others are listed as usual',
    }),
  })
  .openapi('CaseSummary');

/** a case after a committed step, with what is shown of it (never turns the step into a failure) */
export const CaseResultSchema = z
  .object({
    case: CaseSchema,
    status: CaseStatusSchema,
    due: DueDatesSchema.nullable(),
    problem: ProblemSchema.nullable().openapi({
      description: '已保存，但期限暂时无法计算时的原因 / saved, but the due dates could not be computed',
    }),
  })
  .openapi('CaseResult');

export const VoidBody = z.object({ reason: z.string().trim().min(1, '须写明作废理由').max(500) }).openapi('VoidRequest');

export const AmendBody = z
  .object({
    changes: CaseAmendmentSchema,
    reason: z.string().trim().min(1, '须写明更正理由').max(500),
  })
  .openapi('AmendRequest');

/** a new application: the model's NewCase, with `id` and `registeredBy` optional */
export const NewCaseBody = NewCaseSchema.extend({
  id: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: 'the case number; default: the next YYYY-NNN of the year of arrival' }),
  registeredBy: z.string().optional().openapi({ description: 'who registered it; default: you' }),
}).openapi('NewCase');

/** an event to record: the model's NewCaseEvent (`by` optional) */
export const CaseEventBody = NewCaseEventSchema;

export const StoredEventSchema = z
  .object({ seq: z.number().int(), event: CaseEventSchema, user: z.string(), at: z.string() })
  .openapi('StoredEvent');

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    who: z.string(),
    at: z.string(),
    action: z.string(),
    agencyId: z.string(),
    caseId: z.string(),
    before: CaseSchema.nullable(),
    after: CaseSchema.nullable(),
  })
  .openapi('AuditEntry');

export const CaseListQuery = z.object({
  status: z.enum(['open', 'closed', 'overdue', 'dueSoon']).optional(),
  applicantType: ApplicantTypeSchema.optional(),
  from: DateStr.optional(),
  to: DateStr.optional(),
  q: z.string().max(200).optional(),
  agencyId: IdParam.optional().openapi({
    type: 'integer',
    description: 'that agency’s register and those of the agencies under it (default: every register in scope)',
  }),
});

export const AgencyQuery = z.object({
  agencyId: IdParam.optional().openapi({ type: 'integer', description: 'the agency (default: your own)' }),
});

export const DeadlineSchema = z
  .object({
    receivedOn: z.string(),
    correctionNoticeDue: z.string(),
    replyDue: z.string(),
    extendedReplyDue: z.string(),
    provisional: z
      .object({ correctionNoticeDue: z.boolean(), replyDue: z.boolean(), extendedReplyDue: z.boolean() })
      .openapi({ description: '各日期是否为暂定（跨越尚未录入放假通知的年份） / which dates are provisional' }),
    provisionalYears: z.array(z.number().int()),
    explanation: z.array(z.string()),
  })
  .openapi('Deadline');

// ---------------------------------------------------------------------------
// Holidays (放假安排)
// ---------------------------------------------------------------------------

export const HolidayYearSchema = z
  .object({
    year: z.number().int(),
    kind: z
      .enum(['entered', 'shipped', 'provisional'])
      .openapi({ description: 'entered 管理员录入 · shipped 随软件提供 · provisional 暂定' }),
    notices: z.array(z.object({ title: z.string(), date: z.string().optional(), url: z.string().optional(), note: z.string().optional() })),
    enteredBy: z.string().optional(),
    enteredAt: z.string().optional(),
    statute: z.string().optional(),
    localDays: z.number().int(),
  })
  .openapi('HolidayYear');

export const HolidayNoticeSchema = ModelHolidayNoticeSchema;

export const HolidayTextBody = z
  .object({
    text: z.string().min(1).max(20_000).openapi({ description: '国务院办公厅放假通知的文字（粘贴） / the pasted text of the notice' }),
    year: z
      .number()
      .int()
      .min(2019)
      .max(2100)
      .optional()
      .openapi({ description: '年份（文中找不到时必填） / the year, if the text does not say' }),
    agencyId: IdParam.optional().openapi({
      type: 'integer',
      description: '本地放假安排所属机关（不填为全国） / the jurisdiction of local extra days off (default: national)',
    }),
  })
  .openapi('HolidayText');

const DayOff = z.object({ date: z.string(), name: z.string(), weekday: z.string() });

export const HolidayPreviewSchema = z
  .object({
    year: z.number().int(),
    title: z.string(),
    local: z.boolean(),
    daysOff: z.array(DayOff),
    makeUpWorkdays: z.array(DayOff),
    warnings: z.array(z.object({ zh: z.string(), en: z.string() })),
    current: HolidayYearSchema.openapi({ description: '该年现在的来源 / where the year comes from now' }),
  })
  .openapi('HolidayPreview');

export const HolidayImportResultSchema = z
  .object({
    notice: HolidayNoticeSchema,
    recalculated: z.array(z.object({ agencyId: z.string(), caseId: z.string(), changes: z.array(z.string()) })),
    problems: z.array(z.object({ agencyId: z.string(), caseId: z.string(), zh: z.string(), en: z.string() })),
  })
  .openapi('HolidayImportResult');

// ---------------------------------------------------------------------------
// Compile (年报编制)
// ---------------------------------------------------------------------------

const CellValue = z.union([z.number().int(), z.string().max(40), z.null()]);

export const DraftSchema = z
  .object({
    agency: z.string().max(200).nullable().optional(),
    publishedOn: DateStr.nullable().optional(),
    proactive: z.record(z.string(), z.record(z.string(), CellValue)).optional(),
    sections: z
      .object({
        overview: z.string().max(100_000).nullable().optional(),
        problems: z.string().max(100_000).nullable().optional(),
        other: z.string().max(100_000).nullable().optional(),
      })
      .optional(),
  })
  .openapi('Draft');

export const DraftBody = z.object({ draft: DraftSchema }).openapi('DraftRequest');

export const CompileResultSchema = z
  .object({
    report: ReportSchema,
    draft: DraftSchema.nullable().optional(),
    diagnostics: z.array(DiagnosticSchema),
    grids: z.array(GridSchema),
    registerProblems: z
      .array(z.object({ caseId: z.string(), zh: z.string(), en: z.string() }))
      .openapi({ description: '未计入表二、表三的申请及原因（数据无法读取） / cases left out of the tables, and why' }),
  })
  .openapi('CompileResult');

export const YearParam = z.object({
  year: z.coerce.number().int().min(2000).max(2100).openapi({ type: 'integer', example: 2025 }),
});

// ---------------------------------------------------------------------------
// Administration: users and agencies (changes), and the library's lists and statistics
// ---------------------------------------------------------------------------

/** a user as an administrator sees them (GET /api/users, PATCH /api/users/{id}) */
export const UserAccountSchema = z
  .object({
    ...UserSchema.shape,
    disabled: z.boolean().openapi({ description: '已停用：不能登录 / disabled: cannot log in' }),
    createdAt: z.string(),
  })
  .openapi('UserAccount');

export const UserPatchBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    role: z.enum(['admin', 'clerk', 'reviewer', 'readonly']).optional(),
    agencyId: Id.nullable().optional(),
    disabled: z
      .boolean()
      .optional()
      .openapi({ description: 'true 停用（其登录会话随即结束），false 启用 / disable (ends the sessions) or enable' }),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: '没有要修改的内容 / nothing to change' })
  .openapi('UserChanges');

export const PasswordBody = z
  .object({ password: z.string().min(8).max(200).openapi({ description: '新密码，至少 8 位 / the new password, at least 8 characters' }) })
  .openapi('PasswordReset');

export const AgencyPatchBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    parentId: Id.nullable()
      .optional()
      .openapi({ description: '新的上级机关（null：顶级，仅限不属于任何机关的管理员） / the new parent (null: top level)' }),
  })
  .refine((b) => b.name !== undefined || b.parentId !== undefined, { message: '没有要修改的内容 / nothing to change' })
  .openapi('AgencyChanges');

/** a report of the library's list: the summary, and the publisher found in the report */
export const LibraryReportSummarySchema = z
  .object({
    ...ReportSummarySchema.shape,
    agencyName: z.string().nullable().openapi({ description: '上传（归属）机关 / the agency the report was filed for' }),
    publisher: z.string().nullable().openapi({ description: '报告中的发布机关 / the publisher named in the report' }),
  })
  .openapi('LibraryReportSummary');

const TrendPoint = z.object({ newApplications: z.number(), reviews: z.number(), litigations: z.number() });

/** GET /api/library/stats: LibraryStatsSchema's figures, per agency over every year of the range (it replaces that schema in the routes) */
export const LibraryStatsByAgencySchema = z
  .object({
    ...LibraryStatsSchema.shape,
    trend: z.array(
      z.object({
        year: z.number().int(),
        newApplications: z.number(),
        reviews: z.number(),
        litigations: z.number(),
        reports: z.number().int(),
        agencies: z
          .number()
          .int()
          .openapi({ description: '该年有报告的机关数（合计只在机关相同时可比） / agencies with a report that year' }),
      }),
    ),
    range: z.array(z.number().int()).openapi({
      description: '从最早到最晚的每一年（含没有报告的年份） / every year from the first to the last, years without a report included',
    }),
    series: z
      .array(
        z.object({
          agencyId: Id,
          agencyName: z.string(),
          points: z
            .array(TrendPoint.nullable())
            .openapi({ description: '与 range 一一对应；null 为该年没有报告 / one per year of range; null: no report' }),
        }),
      )
      .openapi({ description: '逐年趋势，按机关分列 / the trend per agency' }),
    superseded: z.number().int().openapi({
      description: '同一机关同一年度的较早版本份数（统计只计最新一份） / earlier versions of an agency’s report of a year, not counted',
    }),
  })
  .openapi('LibraryStats');
