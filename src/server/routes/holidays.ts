/**
 * The holiday calendar (放假安排): where each year's days off come from, and entering a year's
 * 国务院办公厅 notice (national: an administrator of the whole tree) or a jurisdiction's own extra days
 * off (local: an administrator of that agency). Entering recomputes every open case it affects.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { weekdayZh } from '../../register/calendar.js';
import { HolidayNoticeError, type ParsedHolidayNotice, parseHolidayNotice } from '../../register/holiday-notice.js';
import type { Db } from '../../store/db.js';
import { calendarFor, importHolidayNotice, registersUnder, yearSources } from '../../store/holidays.js';
import { type AppEnv, Scope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { ApiError, forbidden } from '../errors.js';
import { HolidayImportResultSchema, HolidayPreviewSchema, HolidayTextBody, HolidayYearSchema } from '../schemas.js';
import { errors, json, roles, secured, securedWrite } from './common.js';
import { registerOf } from './register.js';

function parse(text: string, year: number | undefined): ParsedHolidayNotice {
  try {
    return parseHolidayNotice(text, year === undefined ? {} : { year });
  } catch (e) {
    if (e instanceof HolidayNoticeError) throw new ApiError(422, 'bad-notice', e.zh, e.en);
    throw e;
  }
}

const days = (m: Record<string, string>) =>
  Object.entries(m)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, name]) => ({ date, name, weekday: weekdayZh(new Date(`${date}T00:00:00Z`).getUTCDay()) }));

export function holidayRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  const { db, reg: rdb } = ctx;

  /** national (no agency) or local to `agencyId`; only administrators, national ones of the whole tree */
  async function target(c: { get(k: 'user'): import('../../store/app.js').User }, agencyId: number | undefined) {
    const user = c.get('user');
    const scope = await Scope.of(db, user);
    if (agencyId === undefined) {
      const root = user.agencyId === null || scope.agency(user.agencyId)?.parentId === null;
      if (user.role !== 'admin' || !root) {
        throw forbidden(
          '只有全系统（顶层机关）的管理员可以录入国务院办公厅放假通知。',
          'Only an administrator of the whole system (the top agency) may enter a national holiday notice.',
        );
      }
      return { jurisdiction: '', registers: undefined as string[] | undefined };
    }
    const a = scope.requireWrite('admin', agencyId);
    const jurisdiction = registerOf(a.id);
    return { jurisdiction, registers: await registersUnder(rdb as Db, jurisdiction) };
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/holidays',
      tags: ['register'],
      summary: '放假安排 / every year and where its days off come from',
      description:
        'From the first shipped year through next year: `shipped` (data/holidays.json), `entered` (a notice entered by an administrator, who and when) or `provisional` (computed from 《全国年节及纪念日放假办法》: statutory holidays and their 补假, no 调休; dates over such a year are marked 暂定).',
      security: secured,
      responses: { 200: json(z.object({ years: z.array(HolidayYearSchema), today: z.string() }), 'the years'), ...errors(401) },
    }),
    async (c) => {
      const user = c.get('user');
      const today = ctx.today();
      const years = await yearSources(rdb, user.agencyId === null ? '' : registerOf(user.agencyId), Number(today.slice(0, 4)) + 1);
      return c.json({ years, today }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/holidays/preview',
      tags: ['register'],
      summary: '识别放假通知 / read a pasted notice and show its days for confirmation (admin)',
      description: 'Nothing is stored. 422 `bad-notice` when the text is not a notice that can be read (with why).',
      security: securedWrite,
      middleware: [roles('admin')],
      request: { body: { content: { 'application/json': { schema: HolidayTextBody } }, required: true } },
      responses: { 200: json(HolidayPreviewSchema, 'what was read'), ...errors(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const t = await target(c, body.agencyId);
      const p = parse(body.text, body.year);
      const current = (await calendarFor(rdb, t.jurisdiction)).yearSource(p.year);
      return c.json(
        {
          year: p.year,
          title: p.title ?? `${p.year}年${t.jurisdiction ? '本地' : ''}节假日安排`,
          local: t.jurisdiction !== '',
          daysOff: days(p.daysOff),
          makeUpWorkdays: days(p.makeUpWorkdays),
          warnings: p.warnings,
          current,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/holidays',
      tags: ['register'],
      summary: '录入放假通知 / enter a notice (admin)',
      description:
        'The text is read as by /api/holidays/preview and stored with an audit row; it overrides the shipped data of its year (national) or adds the jurisdiction’s days off (local, with `agencyId`). In the same transaction every open case it affects is recomputed; each change is on the case’s timeline (“答复期限由 2027-01-05（暂定）改为 2027-01-06”) and listed in the answer.',
      security: securedWrite,
      middleware: [roles('admin')],
      request: { body: { content: { 'application/json': { schema: HolidayTextBody } }, required: true } },
      responses: { 201: json(HolidayImportResultSchema, 'stored'), ...errors(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const t = await target(c, body.agencyId);
      const p = parse(body.text, body.year);
      const user = c.get('user');
      const result = await importHolidayNotice(
        rdb,
        {
          year: p.year,
          jurisdiction: t.jurisdiction,
          title: p.title ?? `${p.year}年${t.jurisdiction ? '本地' : ''}节假日安排`,
          text: body.text,
          daysOff: p.daysOff,
          makeUpWorkdays: p.makeUpWorkdays,
        },
        user.name || user.username,
        { registers: t.registers, now: ctx.now },
      );
      return c.json(result, 201);
    },
  );
}
