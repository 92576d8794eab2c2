/** The register (依申请登记): cases, events, deadlines. Each agency keeps its own register. */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Case, CaseAmendment, CaseEvent, NewCase } from '../../register/case.js';
import { deadlinesFor, formatDeadlines } from '../../register/deadlines.js';
import { safeCaseView } from '../../register/view.js';
import { calendarFor } from '../../store/holidays.js';
import {
  addCase,
  addCaseNumbered,
  addEvent,
  amendCaseFields,
  auditTrail,
  type CaseEntry,
  eventsOf,
  getCase,
  listEntries,
  voidCaseEvent,
} from '../../store/register.js';
import { type AppEnv, Scope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import {
  AgencyQuery,
  AmendBody,
  AuditEntrySchema,
  CaseEventBody,
  CaseListQuery,
  CaseResultSchema,
  CaseSchema,
  CaseStatusSchema,
  CaseSummarySchema,
  DeadlineSchema,
  DueDatesSchema,
  NewCaseBody,
  ProblemSchema,
  StoredEventSchema,
  VoidBody,
} from '../schemas.js';
import { errors, json, roles, secured, securedWrite } from './common.js';

/** the register key of an agency */
export const registerOf = (agencyId: number) => String(agencyId);

function notInRegister(id: string): ApiError {
  return notFound(`登记簿中没有编号为“${id}”的申请。`, `No case with id "${id}" in the register.`);
}

const CaseIdParams = z.object({ id: z.string().min(1).max(64).openapi({ example: '2025-001' }) });

export function registerRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  const { db, reg: rdb } = ctx;

  /** the case with what is shown of it, computed after the commit: never an error */
  async function result(k: Case, reg: string) {
    let calendar: Awaited<ReturnType<typeof calendarFor>> | undefined;
    try {
      calendar = await calendarFor(rdb, reg);
    } catch {
      // the shipped calendar then
    }
    const v = safeCaseView(k, ctx.today(), calendar ? { calendar } : {});
    return { case: k, status: v.status, due: v.due, problem: v.problem };
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases',
      tags: ['register'],
      summary: '申请列表 / the cases of the registers in scope',
      description:
        'The registers of every agency in scope, or of `agencyId` and the agencies under it. `status`: open | closed | overdue (open, past the reply due date) | dueSoon (open, due within 3 working days); `q` matches id, applicant name and description; by date of receipt. Case ids are per agency: pass `agencyId` of the summary to GET /api/cases/{id}. A case that cannot be read or whose dates cannot be computed is listed with its `problem`; it never fails the list.',
      security: secured,
      request: { query: CaseListQuery },
      responses: { 200: json(z.object({ cases: z.array(CaseSummarySchema), today: z.string() }), 'cases'), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = await Scope.of(db, c.get('user'));
      const today = ctx.today();
      const needle = q.q?.trim().toLowerCase();
      const out: z.infer<typeof CaseSummarySchema>[] = [];
      // each agency keeps its own register: read those of the agencies asked for, one by one
      for (const agencyId of scope.idsUnder(q.agencyId)) {
        const reg = registerOf(agencyId);
        const entries: CaseEntry[] = await listEntries(rdb, {
          agency: reg,
          open: q.status === 'closed' ? false : q.status ? true : undefined,
          applicantType: q.applicantType as Case['applicantType'] | undefined,
          receivedFrom: q.from,
          receivedTo: q.to,
        });
        if (entries.length === 0) continue;
        const calendar = await calendarFor(rdb, reg);
        for (const e of entries) {
          const k = e.case;
          if (!k) {
            // an unreadable case: shown with its problem under every filter but a search that does not match its id
            if (needle && !e.id.toLowerCase().includes(needle)) continue;
            out.push({
              id: e.id,
              agencyId,
              applicantName: '',
              applicantType: '',
              receivedOn: e.receivedOn,
              description: '',
              status: safeCaseView({ state: { closed: null } } as unknown as Case, today).status,
              problem: e.problem,
            });
            continue;
          }
          if (
            needle &&
            !k.id.toLowerCase().includes(needle) &&
            !String(k.applicant?.name ?? '')
              .toLowerCase()
              .includes(needle) &&
            !String(k.request?.description ?? '')
              .toLowerCase()
              .includes(needle)
          ) {
            continue;
          }
          const v = safeCaseView(k, today, { calendar });
          if (q.status === 'overdue' && !v.status.overdue && !v.problem) continue;
          if (q.status === 'dueSoon' && !v.status.dueSoon && !v.problem) continue;
          out.push({
            id: k.id,
            agencyId,
            applicantName: String(k.applicant?.name ?? ''),
            applicantType: String(k.applicantType ?? ''),
            receivedOn: k.receivedOn ?? e.receivedOn,
            description: String(k.request?.description ?? ''),
            status: v.status,
            problem: v.problem,
          });
        }
      }
      // in order of receipt across the registers
      out.sort((a, b) =>
        a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : a.agencyId - b.agencyId || (a.id < b.id ? -1 : 1),
      );
      return c.json({ cases: out, today }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases',
      tags: ['register'],
      summary: '登记新申请 / register a new application (clerk/admin)',
      description:
        'A NewCase (src/register/case.ts). `id` defaults to the next YYYY-NNN of the year of arrival; `registeredBy` to you. The 第二十九条 checks of the domain refuse an incomplete application with 409 `invalid-case`, a date after today with 409 `future-date`. 201 means the case is stored: its due dates are computed afterwards and, should that fail, `due` is null and `problem` says why.',
      security: securedWrite,
      middleware: [roles('clerk', 'admin')],
      request: { query: AgencyQuery, body: { content: { 'application/json': { schema: NewCaseBody } }, required: true } },
      responses: { 201: json(CaseResultSchema, 'registered'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const user = c.get('user');
      const scope = await Scope.of(db, user);
      const agency = scope.requireWrite('register', c.req.valid('query').agencyId);
      const reg = registerOf(agency.id);
      const input = { ...body, registeredBy: body.registeredBy || user.name || user.username } as NewCase & { id?: string };
      const today = ctx.today();
      let created: Case;
      if (input.id) {
        if (await getCase(rdb, input.id, reg)) {
          throw new ApiError(
            409,
            'duplicate',
            `登记簿中已有编号为“${input.id}”的申请。`,
            `A case with id "${input.id}" is already in the register.`,
          );
        }
        created = await addCase(rdb, input as NewCase, user.username, reg, { today });
      } else {
        // the next YYYY-NNN of the year of arrival, taken inside the add transaction: concurrent adds never collide
        const { id: _none, ...rest } = input;
        created = await addCaseNumbered(rdb, rest, user.username, reg, { today });
      }
      return c.json(await result(created, reg), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{id}',
      tags: ['register'],
      summary: '查看申请 / a case with its status, due dates, events and audit trail',
      description:
        'Always answers for a case in the register: when its due dates cannot be computed, `due` is null and `problem` says why; when its stored data cannot be read, `case` is null and `problem` says why (the events and audit trail are still given).',
      security: secured,
      request: { params: CaseIdParams, query: AgencyQuery },
      responses: {
        200: json(
          z.object({
            case: CaseSchema.nullable(),
            status: CaseStatusSchema,
            due: DueDatesSchema.nullable(),
            problem: ProblemSchema.nullable(),
            events: z.array(StoredEventSchema),
            audit: z.array(AuditEntrySchema),
          }),
          'the case',
        ),
        ...errors(400, 401, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const scope = await Scope.of(db, c.get('user'));
      const reg = registerOf(scope.target(c.req.valid('query').agencyId).id);
      const entry = (await listEntries(rdb, { agency: reg })).find((e) => e.id === id);
      if (!entry) throw notInRegister(id);
      const [events, audit] = await Promise.all([eventsOf(rdb, id, reg).catch(() => []), auditTrail(rdb, id, reg).catch(() => [])]);
      if (!entry.case) {
        return c.json(
          {
            case: null,
            status: safeCaseView({ state: { closed: null } } as unknown as Case, ctx.today()).status,
            due: null,
            problem: entry.problem,
            events,
            audit,
          },
          200,
        );
      }
      return c.json({ ...(await result(entry.case, reg)), events, audit }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases/{id}/events',
      tags: ['register'],
      summary: '登记事件 / record an event (clerk/admin)',
      description:
        'A CaseEvent; `by` defaults to you. A refused transition → 409 with `code` the TransitionCode and the domain’s Chinese and English sentences (`future-date` for a date after today); nothing is written. A 按件 feeNotice without priorThisMonth takes the count from the register. 200 means the event is stored (see POST /api/cases on `due` and `problem`).',
      security: securedWrite,
      middleware: [roles('clerk', 'admin')],
      request: {
        params: CaseIdParams,
        query: AgencyQuery,
        body: { content: { 'application/json': { schema: CaseEventBody } }, required: true },
      },
      responses: {
        200: json(CaseResultSchema, 'the case after the event'),
        ...errors(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const user = c.get('user');
      const scope = await Scope.of(db, user);
      const reg = registerOf(scope.requireWrite('register', c.req.valid('query').agencyId).id);
      const body = c.req.valid('json');
      const event = { ...body, by: body.by || user.name || user.username } as CaseEvent;
      const k = await addEvent(rdb, id, event, user.username, { today: ctx.today() }, reg);
      return c.json(await result(k, reg), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases/{id}/events/{seq}/void',
      tags: ['register'],
      summary: '作废事件 / void a mistaken event (clerk/admin)',
      description:
        'Event `seq` (1-based, as in `events[].seq`) is kept and marked void with who, when and the reason; the case is recomputed as if it had not happened (a reply voided → the case is open again). Refused with 409 `void` when a later event depends on it (void that first) or it is already void.',
      security: securedWrite,
      middleware: [roles('clerk', 'admin')],
      request: {
        params: CaseIdParams.extend({ seq: z.coerce.number().int().min(1).max(100_000).openapi({ type: 'integer', example: 2 }) }),
        query: AgencyQuery,
        body: { content: { 'application/json': { schema: VoidBody } }, required: true },
      },
      responses: { 200: json(CaseResultSchema, 'the case after voiding'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, seq } = c.req.valid('param');
      const user = c.get('user');
      const scope = await Scope.of(db, user);
      const reg = registerOf(scope.requireWrite('register', c.req.valid('query').agencyId).id);
      const k = await voidCaseEvent(rdb, id, seq, c.req.valid('json').reason, user.name || user.username, { today: ctx.today() }, reg);
      return c.json(await result(k, reg), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/cases/{id}',
      tags: ['register'],
      summary: '更正申请信息 / correct the fields of a registered application (clerk/admin)',
      description:
        'The fields given replace the old ones (kept in the case’s `revisions` and the audit trail); the date of receipt is recomputed and the events replayed on it. Refused with 409 (`invalid-case`, `amend`, `future-date`) when the result is not a valid application or an event no longer holds.',
      security: securedWrite,
      middleware: [roles('clerk', 'admin')],
      request: {
        params: CaseIdParams,
        query: AgencyQuery,
        body: { content: { 'application/json': { schema: AmendBody } }, required: true },
      },
      responses: { 200: json(CaseResultSchema, 'the corrected case'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const user = c.get('user');
      const scope = await Scope.of(db, user);
      const reg = registerOf(scope.requireWrite('register', c.req.valid('query').agencyId).id);
      const body = c.req.valid('json');
      const k = await amendCaseFields(
        rdb,
        id,
        body.changes as CaseAmendment,
        body.reason,
        user.name || user.username,
        { today: ctx.today() },
        reg,
      );
      return c.json(await result(k, reg), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/deadline',
      tags: ['register'],
      summary: '法定期限 / statutory deadlines from a date of receipt',
      description:
        'The `nianbao deadline --json` object plus `explanation` (Chinese lines), on the calendar of your agency. Dates that run over a year without an entered holiday notice are computed from the statute and marked in `provisional`. A date before 2019 or after 2100 → 400 `out-of-range`.',
      security: secured,
      request: { query: z.object({ received: z.string().min(1).max(20).openapi({ example: '2025-01-20' }) }) },
      responses: { 200: json(DeadlineSchema, 'the deadlines'), ...errors(400, 401) },
    }),
    async (c) => {
      const agencyId = c.get('user').agencyId;
      const calendar = await calendarFor(rdb, agencyId === null ? '' : registerOf(agencyId));
      const d = deadlinesFor(c.req.valid('query').received, { calendar });
      const explanation = formatDeadlines(d)
        .split('\n')
        .filter((l) => l.trim() !== '');
      return c.json(
        {
          receivedOn: d.receivedOn,
          correctionNoticeDue: d.correctionNoticeDue,
          replyDue: d.replyDue,
          extendedReplyDue: d.extendedReplyDue,
          provisional: d.provisional,
          provisionalYears: d.provisionalYears,
          explanation,
        },
        200,
      );
    },
  );
}
