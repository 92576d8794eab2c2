/** The register (依申请登记): cases, events, deadlines. Each agency keeps its own register. */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { CalendarError } from '../../register/calendar.js';
import { type Case, type CaseEvent, type CaseStatus, dueDates, type NewCase, status } from '../../register/case.js';
import { deadlinesFor, formatDeadlines } from '../../register/deadlines.js';
import { StoreError } from '../../store/db.js';
import { addCase, addEvent, auditTrail, eventsOf, getCase, listCases } from '../../store/register.js';
import { type AppEnv, Scope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import {
  AgencyQuery,
  AuditEntrySchema,
  CaseEventBody,
  CaseListQuery,
  CaseSchema,
  CaseStatusSchema,
  CaseSummarySchema,
  DeadlineSchema,
  DueDatesSchema,
  NewCaseBody,
  StoredEventSchema,
} from '../schemas.js';
import { errors, json, roles, secured, securedWrite } from './common.js';

/** the register key of an agency */
export const registerOf = (agencyId: number) => String(agencyId);

/** status on `today`; a case whose dates run past the working-day calendar gets a status without due dates */
export function safeStatus(c: Case, today: string): CaseStatus {
  try {
    return status(c, today);
  } catch (e) {
    if (!(e instanceof CalendarError)) throw e;
    const closed = c.state.closed;
    return {
      state: closed ? 'closed' : 'open',
      outcome: closed?.outcome ?? null,
      closedOn: closed?.on ?? null,
      replyDue: null,
      suspended: null,
      overdue: false,
      dueSoon: false,
      repliedLate: false,
      correctionLapsed: false,
      feeLapsed: false,
    };
  }
}

function notInRegister(id: string): ApiError {
  return notFound(`登记簿中没有编号为“${id}”的申请。`, `No case with id "${id}" in the register.`);
}

const CaseIdParams = z.object({ id: z.string().min(1).max(64).openapi({ example: '2025-001' }) });

export function registerRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  const { db, reg: rdb } = ctx;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases',
      tags: ['register'],
      summary: '申请列表 / the cases of the registers in scope',
      description:
        'The registers of every agency in scope, or of `agencyId` and the agencies under it. `status`: open | closed | overdue (open, past the reply due date) | dueSoon (open, due within 3 working days); `q` matches id, applicant name and description; by date of receipt. Case ids are per agency: pass `agencyId` of the summary to GET /api/cases/{id}.',
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
        const cases = await listCases(rdb, {
          agency: registerOf(agencyId),
          open: q.status === 'closed' ? false : q.status ? true : undefined,
          applicantType: q.applicantType as Case['applicantType'] | undefined,
          receivedFrom: q.from,
          receivedTo: q.to,
        });
        for (const k of cases) {
          if (
            needle &&
            !k.id.toLowerCase().includes(needle) &&
            !k.applicant.name.toLowerCase().includes(needle) &&
            !k.request.description.toLowerCase().includes(needle)
          ) {
            continue;
          }
          const s = safeStatus(k, today);
          if (q.status === 'overdue' && !s.overdue) continue;
          if (q.status === 'dueSoon' && !s.dueSoon) continue;
          out.push({
            id: k.id,
            agencyId,
            applicantName: k.applicant.name,
            applicantType: k.applicantType,
            receivedOn: k.receivedOn,
            description: k.request.description,
            status: s,
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
        'A NewCase (src/register/case.ts). `id` defaults to the next YYYY-NNN of the year of arrival; `registeredBy` to you. The 第二十九条 checks of the domain refuse an incomplete application with 409 `invalid-case`.',
      security: securedWrite,
      middleware: [roles('clerk', 'admin')],
      request: { query: AgencyQuery, body: { content: { 'application/json': { schema: NewCaseBody } }, required: true } },
      responses: { 201: json(z.object({ case: CaseSchema }), 'registered'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const user = c.get('user');
      const scope = await Scope.of(db, user);
      const agency = scope.requireWrite('register', c.req.valid('query').agencyId);
      const reg = registerOf(agency.id);
      const input = { ...body, registeredBy: body.registeredBy || user.name || user.username } as NewCase & { id?: string };
      let created: Case | undefined;
      for (let attempt = 0; !created; attempt++) {
        const id = input.id ?? (await nextCaseId(reg, body.receipt.arrivedOn.slice(0, 4) || ctx.today().slice(0, 4)));
        if (input.id && (await getCase(rdb, id, reg))) {
          throw new ApiError(409, 'duplicate', `登记簿中已有编号为“${id}”的申请。`, `A case with id "${id}" is already in the register.`);
        }
        try {
          created = await addCase(rdb, { ...input, id }, user.username, reg);
        } catch (e) {
          // two clerks numbering at once: take the next number
          if (!(e instanceof StoreError) || input.id || attempt >= 3) throw e;
        }
      }
      return c.json({ case: created }, 201);
    },
  );

  async function nextCaseId(reg: string, year: string): Promise<string> {
    const cases = await listCases(rdb, { agency: reg });
    let max = 0;
    const re = new RegExp(`^${year}-(\\d+)$`);
    for (const k of cases) {
      const m = re.exec(k.id);
      if (m) max = Math.max(max, Number(m[1]));
    }
    return `${year}-${String(max + 1).padStart(3, '0')}`;
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{id}',
      tags: ['register'],
      summary: '查看申请 / a case with its status, due dates, events and audit trail',
      security: secured,
      request: { params: CaseIdParams, query: AgencyQuery },
      responses: {
        200: json(
          z.object({
            case: CaseSchema,
            status: CaseStatusSchema,
            due: DueDatesSchema,
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
      const k = await getCase(rdb, id, reg);
      if (!k) throw notInRegister(id);
      const [events, audit] = await Promise.all([eventsOf(rdb, id, reg), auditTrail(rdb, id, reg)]);
      return c.json({ case: k, status: safeStatus(k, ctx.today()), due: dueDates(k), events, audit }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases/{id}/events',
      tags: ['register'],
      summary: '登记事件 / record an event (clerk/admin)',
      description:
        'A CaseEvent; `by` defaults to you. A refused transition → 409 with `code` the TransitionCode and the domain’s Chinese and English sentences. A 按件 feeNotice without priorThisMonth takes the count from the register.',
      security: securedWrite,
      middleware: [roles('clerk', 'admin')],
      request: {
        params: CaseIdParams,
        query: AgencyQuery,
        body: { content: { 'application/json': { schema: CaseEventBody } }, required: true },
      },
      responses: {
        200: json(z.object({ case: CaseSchema, status: CaseStatusSchema, due: DueDatesSchema }), 'the case after the event'),
        ...errors(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const user = c.get('user');
      const scope = await Scope.of(db, user);
      const reg = registerOf(scope.requireWrite('register', c.req.valid('query').agencyId).id);
      if (!(await getCase(rdb, id, reg))) throw notInRegister(id);
      const body = c.req.valid('json');
      const event = { ...body, by: body.by || user.name || user.username } as CaseEvent;
      const k = await addEvent(rdb, id, event, user.username, {}, reg);
      return c.json({ case: k, status: safeStatus(k, ctx.today()), due: dueDates(k) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/deadline',
      tags: ['register'],
      summary: '法定期限 / statutory deadlines from a date of receipt',
      description:
        'The `nianbao deadline --json` object plus `explanation` (Chinese lines). A year without an official calendar → 400 `unknown-year`.',
      security: secured,
      request: { query: z.object({ received: z.string().min(1).max(20).openapi({ example: '2025-01-20' }) }) },
      responses: { 200: json(DeadlineSchema, 'the deadlines'), ...errors(400, 401) },
    }),
    (c) => {
      const d = deadlinesFor(c.req.valid('query').received);
      const explanation = formatDeadlines(d)
        .split('\n')
        .filter((l) => l.trim() !== '');
      return c.json(
        {
          receivedOn: d.receivedOn,
          correctionNoticeDue: d.correctionNoticeDue,
          replyDue: d.replyDue,
          extendedReplyDue: d.extendedReplyDue,
          explanation,
        },
        200,
      );
    },
  );
}
