/**
 * 年报编制: the year's report of an agency — 表二/表三 from its register (`reportForYear`), 表一,
 * the narrative and the agency's name from the saved draft — checked as any report is (with
 * last year's report from the library for the cross-year rules).
 */
import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Proactive2021, Report } from '../../model/report.js';
import { BLANK_PROACTIVE, reportForYear } from '../../register/stats.js';
import { tableGrids } from '../../render/layout.js';
import { type Agency, findReport, getDraft, saveDraft } from '../../store/app.js';
import { statsInput } from '../../store/register.js';
import { type AppEnv, Scope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { AgencyQuery, CompileResultSchema, DraftBody, type DraftSchema, YearParam } from '../schemas.js';
import { errors, json, roles, secured, securedWrite } from './common.js';
import { registerOf } from './register.js';

export type Draft = z.infer<typeof DraftSchema>;

/** 表一 of the draft over the blank 2021 table: known rows and fields only; money as a string */
function proactiveOf(draft: Draft | null): Proactive2021 {
  const out = structuredClone(BLANK_PROACTIVE) as unknown as Record<string, Record<string, number | string | null>>;
  for (const [row, fields] of Object.entries(draft?.proactive ?? {})) {
    if (!(row in out)) continue;
    for (const [field, value] of Object.entries(fields)) {
      if (!(field in out[row])) continue;
      if (row === 'fees') out[row][field] = value === null ? null : String(value).trim();
      else if (typeof value === 'number') out[row][field] = value;
      else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) out[row][field] = Number(value);
      else out[row][field] = null;
    }
  }
  return out as unknown as Proactive2021;
}

export function compileRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  const { db, reg: rdb } = ctx;

  async function compile(agency: Agency, year: number, draft: Draft | null) {
    // a case the statistics cannot read is left out and named, never failing the page
    const { cases, problems } = await statsInput(rdb, year, registerOf(agency.id));
    const report: Report = reportForYear(cases, year, {
      agency: draft?.agency ?? agency.name,
      publishedOn: draft?.publishedOn ?? null,
      proactive: proactiveOf(draft),
      sections: {
        overview: draft?.sections?.overview ?? null,
        problems: draft?.sections?.problems ?? null,
        other: draft?.sections?.other ?? null,
      },
    });
    // the tables are always there; a narrative section counts as present once it has text, so the
    // checker reports the sections still to be written
    const written = (t: string | null | undefined) => typeof t === 'string' && t.trim() !== '';
    report.template = {
      sectionsFound: [
        ...(written(report.sections.overview) ? ['overview'] : []),
        'proactive',
        'applications',
        'reviewLitigation',
        ...(written(report.sections.problems) ? ['problems'] : []),
        ...(written(report.sections.other) ? ['other'] : []),
      ],
    };
    const prev = await findReport(db, agency.id, year - 1);
    const diagnostics = await ctx.jobs.diagnose(report, prev ? (JSON.parse(prev.report) as Report) : null);
    return {
      report,
      diagnostics,
      grids: tableGrids(report),
      registerProblems: problems.map((p) => ({ caseId: p.id, zh: p.zh, en: p.en })),
    };
  }

  const params = YearParam;
  const query = AgencyQuery;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/compile/{year}',
      tags: ['compile'],
      summary: '年报编制 / the year’s report from the register and the saved draft',
      security: secured,
      request: { params, query },
      responses: { 200: json(CompileResultSchema, 'the compiled report'), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const scope = await Scope.of(db, c.get('user'));
      const agency = scope.target(c.req.valid('query').agencyId);
      const saved = await getDraft(db, agency.id, year);
      const draft = (saved?.data as Draft | undefined) ?? null;
      return c.json({ ...(await compile(agency, year, draft)), draft }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/compile/{year}',
      tags: ['compile'],
      summary: '保存草稿 / save the draft (clerk/admin)',
      security: securedWrite,
      middleware: [roles('clerk', 'admin')],
      request: { params, query, body: { content: { 'application/json': { schema: DraftBody } }, required: true } },
      responses: { 200: json(CompileResultSchema, 'saved; the compiled report'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const user = c.get('user');
      const scope = await Scope.of(db, user);
      const agency = scope.requireWrite('register', c.req.valid('query').agencyId);
      const { draft } = c.req.valid('json');
      await saveDraft(db, agency.id, year, draft, user.username);
      return c.json({ ...(await compile(agency, year, draft)), draft }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/compile/{year}/check',
      tags: ['compile'],
      summary: '检查草稿（不保存） / check a draft without saving it',
      security: securedWrite,
      request: { params, query, body: { content: { 'application/json': { schema: DraftBody } }, required: true } },
      responses: { 200: json(CompileResultSchema.omit({ draft: true }), 'the compiled report'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const scope = await Scope.of(db, c.get('user'));
      const agency = scope.target(c.req.valid('query').agencyId);
      return c.json(await compile(agency, year, c.req.valid('json').draft), 200);
    },
  );
}
