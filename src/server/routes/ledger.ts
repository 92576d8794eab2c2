/**
 * The register's 台账 in and out of a spreadsheet (src/register/ledger.ts, src/store/ledger.ts):
 *
 * - GET /api/cases/export: the cases of the list's registers and filters as XLSX (two sheets,
 *   申请台账 and 事件; written on the worker pool) or one sheet as CSV.
 * - POST /api/cases/import: an office's 台账 (XLSX or CSV, with an optional separate events file)
 *   read on the worker pool into a plan — the header found, the columns mapped, every row checked
 *   through the domain and against the register — and, with dryRun=0, its new rows imported in one
 *   transaction.
 *
 * Register these routes before `registerRoutes`: GET /api/cases/{id} would otherwise answer
 * /api/cases/export (hono tries routes in the order they were added).
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  LEDGER_LIMITS,
  LedgerError,
  type LedgerExportItem,
  type LedgerPlan,
  ledgerWorkbook,
  type MappingInput,
  planView,
  writeLedgerCsv,
} from '../../register/ledger.js';
import { classifyLedger, importLedger, ledgerExportItems, registerNotices } from '../../store/ledger.js';
import { type AppEnv, Scope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { ApiError } from '../errors.js';
import { CaseListQuery, FileContent } from '../schemas.js';
import { errors, json, roles, secured, securedWrite } from './common.js';
import { registerOf } from './register.js';
import { fileResponse, MIME, safeName } from './reports.js';

const ExportQuery = CaseListQuery.extend({
  format: z.enum(['xlsx', 'csv']).optional().openapi({ description: 'xlsx (default): both sheets; csv: one sheet (`sheet`)' }),
  sheet: z.enum(['cases', 'events']).optional().openapi({ description: 'csv only: cases (申请台账, default) or events (事件)' }),
});

const ImportForm = z
  .object({
    file: z
      .instanceof(File)
      .openapi({ type: 'string', format: 'binary', description: `the 台账: .xlsx or .csv (≤ ${LEDGER_LIMITS.bytes / 1024 / 1024} MB)` }),
    events: z.instanceof(File).optional().openapi({
      type: 'string',
      format: 'binary',
      description: 'optional: the 事件 sheet of an export as a separate CSV (an XLSX export carries it already)',
    }),
    agencyId: z.coerce.number().int().positive().optional().openapi({ type: 'integer', description: 'whose register (default: your own)' }),
    mapping: z.string().max(20_000).optional().openapi({
      description:
        'JSON `{ fieldKey: columnIndex | null }` (0-based, as `columns[].index`) over the suggested mapping; absent: the suggested one',
      example: '{"applicantName":1,"arrivedOn":5,"note":null}',
    }),
    dryRun: z.enum(['0', '1']).optional().openapi({ description: "'1' (default): check only, nothing written; '0': import the new rows" }),
  })
  .openapi('LedgerImportForm');

const MessageSchema = z
  .object({ zh: z.string(), en: z.string(), column: z.string().optional().openapi({ description: 'the header of the column concerned' }) })
  .openapi('LedgerMessage');

const LedgerImportSchema = z
  .object({
    fileName: z.string(),
    sha256: z.string(),
    sheet: z.string().openapi({ description: 'the worksheet read (the first with data)' }),
    eventsSheet: z.string().nullable().openapi({ description: 'the 事件 sheet or file the events came from, or null' }),
    headerRows: z
      .array(z.number().int())
      .openapi({ description: 'the header row(s), 1-based; two when a merged upper row groups lower ones' }),
    columns: z.array(
      z.object({
        index: z.number().int().openapi({ description: '0-based' }),
        header: z.string().openapi({ description: 'two header rows combined as “补正情况·告知日期”' }),
        samples: z.array(z.string()),
      }),
    ),
    fields: z.array(z.object({ key: z.string(), label: z.string(), required: z.boolean() })),
    mapping: z
      .record(z.string(), z.number().int().nullable())
      .openapi({ description: 'the mapping used: field key → column index or null' }),
    rows: z.array(
      z.object({
        row: z.number().int().openapi({ description: 'the row number in the sheet' }),
        caseId: z.string().openapi({ description: 'given, or YYYY-导入-xxxxxxxx derived from the content; empty when none could be made' }),
        status: z.enum(['new', 'exists', 'error', 'conflict']),
        problems: z.array(MessageSchema),
        warnings: z.array(MessageSchema),
      }),
    ),
    summary: z.object({
      rows: z.number().int(),
      new: z.number().int(),
      exists: z.number().int(),
      errors: z.number().int().openapi({ description: 'rows in error or in conflict' }),
      conflicts: z.number().int(),
      skipped: z.number().int().openapi({ description: 'empty rows and total/notes rows passed over' }),
    }),
    fileWarnings: z.array(MessageSchema),
    imported: z.number().int().nullable().openapi({ description: 'cases imported; null on a dry run' }),
  })
  .openapi('LedgerImportResult');

const CSV_MIME = 'text/csv; charset=utf-8';

function asApiError(e: unknown): unknown {
  if (!(e instanceof LedgerError)) return e;
  if (e.code === 'too-large') return new ApiError(413, 'too-large', e.zh, e.en);
  if (e.code === 'unreadable') return new ApiError(422, 'unreadable', e.zh, e.en);
  return new ApiError(400, 'bad-mapping', e.zh, e.en);
}

function badMapping(zh: string, en: string): ApiError {
  return new ApiError(400, 'bad-mapping', `对应关系（mapping）无效：${zh}`, `Invalid mapping: ${en}`);
}

/** the mapping form field: a JSON object of field key → column index (0-based) or null */
function parseMapping(text: string | undefined): MappingInput | null {
  if (text === undefined || text.trim() === '') return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw badMapping(`不是有效的 JSON（${(e as Error).message}）。`, `not valid JSON (${(e as Error).message}).`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw badMapping('应为 JSON 对象 { 字段: 列号或 null }。', 'it must be a JSON object { field: column | null }.');
  for (const [k, x] of Object.entries(v)) {
    if (x !== null && !(typeof x === 'number' && Number.isInteger(x) && x >= 0)) {
      throw badMapping(`字段“${k}”的列号应为从 0 起的整数或 null。`, `the column of "${k}" must be a whole number from 0, or null.`);
    }
  }
  return v as MappingInput;
}

/** apps the routes were added to: adding them twice (app.ts and a test's wiring) is harmless */
const wired = new WeakSet<object>();

export function ledgerRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  if (wired.has(app)) return;
  wired.add(app);
  const { db, reg: rdb } = ctx;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/export',
      tags: ['register'],
      summary: '导出台账 / the register as a spreadsheet (XLSX or CSV)',
      description:
        'The cases of GET /api/cases with the same filters (`agencyId` and the agencies under it, `status`, `applicantType`, `from`, `to`, `q`), by date of receipt. XLSX: sheet 申请台账 (one row per case: the application, 补正, 征求意见, 延期, 收费, 答复期限 — marked （暂定） when provisional —, 状态, 办结, 办理结果, 复议诉讼, 已发文书, 登记人; dates as date cells) and sheet 事件 (one row per event, voided ones included with 作废时间/作废人/作废原因). CSV (UTF-8 with BOM): one of them, `sheet` = cases | events. Text starting with = + - @ is never a formula (XLSX: Text format and quotePrefix; CSV: an apostrophe, dropped again by POST /api/cases/import). With cases of several registers both sheets end with a column 机关. A case whose stored data cannot be read is left out (GET /api/cases lists it with its problem).',
      security: secured,
      request: { query: ExportQuery },
      responses: {
        200: { content: { ...FileContent, 'text/csv': { schema: z.string() } }, description: 'the file (Content-Disposition: attachment)' },
        ...errors(400, 401, 404),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = await Scope.of(db, c.get('user'));
      const today = ctx.today();
      const items: (LedgerExportItem & { agencyId: number })[] = [];
      for (const agencyId of scope.idsUnder(q.agencyId)) {
        const { items: part } = await ledgerExportItems(
          rdb,
          registerOf(agencyId),
          { status: q.status, applicantType: q.applicantType, receivedFrom: q.from, receivedTo: q.to, q: q.q },
          today,
          scope.agency(agencyId)?.name ?? '',
        );
        for (const it of part) items.push({ ...it, agencyId });
      }
      items.sort((a, b) =>
        a.case.receivedOn < b.case.receivedOn
          ? -1
          : a.case.receivedOn > b.case.receivedOn
            ? 1
            : a.agencyId - b.agencyId || (a.case.id < b.case.id ? -1 : a.case.id > b.case.id ? 1 : 0),
      );
      const book = ledgerWorkbook(items, { date: today, agencyColumn: new Set(items.map((i) => i.agencyId)).size > 1 });
      const format = q.format ?? 'xlsx';
      const sheet = q.sheet ?? 'cases';
      const own = q.agencyId ?? c.get('user').agencyId;
      const agencyName = own !== null && own !== undefined ? (scope.agency(own)?.name ?? '') : '';
      if (format === 'csv') {
        const bytes = writeLedgerCsv(sheet === 'events' ? book.events : book.cases);
        const what = sheet === 'events' ? '事件' : '申请';
        return fileResponse(
          bytes,
          CSV_MIME,
          `${agencyName}政府信息公开申请台账（${what}）${today}.csv`,
          `ledger-${sheet}-${today}.csv`,
        ) as never;
      }
      const bytes = await ctx.jobs.ledgerWrite(book, 'xlsx', 'cases');
      return fileResponse(bytes, MIME.xlsx, `${agencyName}政府信息公开申请台账${today}.xlsx`, `ledger-${today}.xlsx`) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases/import',
      tags: ['register'],
      summary: '导入台账 / import an office’s 台账 (clerk/admin; a dry run by default)',
      description: `multipart/form-data: \`file\` (.xlsx: the first worksheet with data, and a worksheet 事件 as in our export; .csv: UTF-8 with or without BOM, or GB18030), optional \`events\` (the 事件 sheet as a separate CSV), \`agencyId\` (default your own; you must be allowed to write its register), \`mapping\` (JSON over the suggested mapping), \`dryRun\` ('1' default | '0'). The header row(s) are found by their words (a title row above is passed over; a merged upper header row is combined with the one below: “补正情况·告知日期”). Every row becomes an application and its events, replayed through the register's rules with its calendar and today: each row is new, exists (the same case is already in the register: skipped), error (its problems, with the column) or conflict (the number is taken by a different case). Timing the rules would refuse today (a late correction notice) is imported as recorded and listed as a warning; fields of 第二十九条 an old sheet never kept are filled with “台账未记录” and listed as warnings. dryRun=0 imports the new rows in one transaction (each with its events and an audit row \`import\`, and one ledger_imports row); if anything fails nothing is written. Limits: ${LEDGER_LIMITS.bytes / 1024 / 1024} MB a file (413), ${LEDGER_LIMITS.rows} case rows (413), ${LEDGER_LIMITS.eventRows} rows of the events sheet. Not a spreadsheet, no header → 422 \`unreadable\`; a bad \`mapping\` → 400 \`bad-mapping\`.`,
      security: securedWrite,
      middleware: [roles('clerk', 'admin')],
      request: { body: { content: { 'multipart/form-data': { schema: ImportForm } }, required: true } },
      responses: {
        200: json(LedgerImportSchema, 'the plan (and, with dryRun=0, what was imported)'),
        ...errors(400, 401, 403, 404, 413, 422),
      },
    }),
    async (c) => {
      const form = c.req.valid('form');
      const user = c.get('user');
      const scope = await Scope.of(db, user);
      const agency = scope.requireWrite('register', form.agencyId);
      const reg = registerOf(agency.id);
      for (const f of [form.file, form.events]) {
        if (f && f.size > LEDGER_LIMITS.bytes) {
          const mb = LEDGER_LIMITS.bytes / 1024 / 1024;
          throw new ApiError(
            413,
            'too-large',
            `文件 ${safeName(f.name)} 超过 ${mb} MB 的上限，未读取。`,
            `The file ${safeName(f.name)} exceeds the ${mb} MB limit.`,
          );
        }
      }
      const mapping = parseMapping(form.mapping);
      const bytes = new Uint8Array(await form.file.arrayBuffer());
      const events = form.events ? { bytes: new Uint8Array(await form.events.arrayBuffer()), name: safeName(form.events.name) } : null;
      const { entered } = await registerNotices(rdb, reg);
      let plan: LedgerPlan;
      try {
        plan = await ctx.jobs.ledgerRead(bytes, safeName(form.file.name), mapping, {
          today: ctx.today(),
          user: user.name || user.username,
          entered,
          events,
        });
      } catch (e) {
        throw asApiError(e);
      }
      if (form.dryRun === '0') {
        const done = await importLedger(rdb, plan, { agency: reg, user: user.username });
        return c.json(planView(done.plan, done.imported), 200);
      }
      return c.json(planView(await classifyLedger(rdb, plan, reg), null), 200);
    },
  );
}
