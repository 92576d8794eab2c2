/**
 * Supervision (issue 15): the directory of bodies, bulk intake with matching and confirmation, the
 * reporting year's status, roll-ups and series, scores and ranking, 雷同 across bodies, reviews and
 * the jurisdiction's settings. Administrators and reviewers; the scope is the user's agency and
 * every body under it (an administrator without an agency: everything). Reading, checking and 雷同
 * run on the worker pool; an intake runs after the answer (202) and is followed at
 * `GET /api/intake/batches/{id}`.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { NianbaoError } from '../../model/errors.js';
import { type AppDb, subtreeIds } from '../../store/app.js';
import {
  applyDirectory,
  createBatch,
  decidePending,
  getBatch,
  getPending,
  listBodies,
  listPending,
  saveSettings,
  setReview,
  settingsFor,
  updateBatch,
} from '../../store/supervise.js';
import { type BundleFile, filesFromZip, REPORT_FILE } from '../../supervise/bundle.js';
import { exportDirectory, parseDirectoryFile, planDirectory } from '../../supervise/directory-file.js';
import { cellDefs, cellLabel, drillDown, ownVersusBelow } from '../../supervise/rollup.js';
import { INDICATORS, type Rubric, RubricError, validateRubric } from '../../supervise/rubric.js';
import {
  confirmPending,
  defaultRubric,
  intakeFiles,
  regionSeries,
  versionsWithDiff,
  yearCopies,
  yearRollup,
  yearScores,
  yearStatus,
} from '../../supervise/service.js';
import { validMonthDay } from '../../supervise/status.js';
import { type Body, STATUTORY_DEADLINES } from '../../supervise/types.js';
import type { AppEnv } from '../auth.js';
import type { ServerContext } from '../context.js';
import { ApiError, forbidden, notFound } from '../errors.js';
import { IdParam } from '../schemas.js';
import { errors, json, roles, secured, securedWrite } from './common.js';
import { fileResponse, MIME } from './reports.js';

const Loose = z.record(z.string(), z.unknown());
const YearQuery = z.object({
  year: z.coerce.number().int().min(2008).max(2100).meta({ description: '报告年度 / the year reported on' }),
  under: z.coerce.number().int().optional().meta({ description: '只看该机关及其下级（编号） / only this body and those under it' }),
});

/** a download named in Chinese, with an ASCII fallback from its extension */
const download = (bytes: Uint8Array, type: string, name: string) =>
  fileResponse(bytes, type, name, `nianbao${name.slice(name.lastIndexOf('.'))}`);
const XLSX = MIME.xlsx;
const DOCX = MIME.docx;

export function superviseRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  const db = ctx.db as AppDb;

  /** the user's scope: the body asked for (default the user's agency), within what the user may see */
  async function scopeOf(c: Context<AppEnv>, under?: number): Promise<{ scopeId: number | null; scopeName: string; bodies: Body[] }> {
    const user = c.get('user');
    const bodies = await listBodies(db);
    const root = user.agencyId;
    if (root === null && user.role !== 'admin') throw forbidden();
    const visible = root === null ? null : new Set(subtreeIds(bodies, root));
    const id = under ?? root;
    if (id === null) return { scopeId: null, scopeName: '全部机关', bodies };
    const scope = bodies.find((b) => b.id === id);
    if (!scope || (visible && !visible.has(id))) throw notFound('没有这个机关，或不在您的权限范围内。', 'No such body in your scope.');
    return { scopeId: id, scopeName: scope.name, bodies };
  }

  const who = (c: Context<AppEnv>) => {
    const u = c.get('user');
    return u.name || u.username;
  };

  async function rubricFor(scopeId: number | null, bodies: Body[]): Promise<Rubric> {
    if (scopeId === null) return defaultRubric();
    const s = await settingsFor(db, scopeId, bodies);
    if (!s.rubric) return defaultRubric();
    try {
      return validateRubric(s.rubric, '已保存的评分细则');
    } catch {
      return defaultRubric();
    }
  }

  // ---------------------------------------------------------------- the directory
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/bodies',
      tags: ['supervision'],
      summary: '机关名录 / the directory of bodies in scope',
      security: secured,
      middleware: [roles('admin', 'reviewer')],
      request: { query: z.object({ under: z.coerce.number().int().optional() }) },
      responses: { 200: json(z.object({ bodies: z.array(Loose) }), 'the bodies'), ...errors(401, 403, 404) },
    }),
    async (c) => {
      const { scopeId, bodies } = await scopeOf(c, c.req.valid('query').under);
      const ids = scopeId === null ? null : new Set(subtreeIds(bodies, scopeId));
      return c.json({ bodies: ids ? bodies.filter((b) => ids.has(b.id)) : bodies }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/bodies/import',
      tags: ['supervision'],
      summary: '导入名录（XLSX/CSV），可先试导入 / import the directory, with a dry run (admin)',
      description:
        'multipart `file` (.xlsx or .csv) and `dryRun` ("true" by default: nothing is stored). Every row’s problems are listed (row, column, message); with any error nothing is stored.',
      security: securedWrite,
      middleware: [roles('admin')],
      request: {
        body: {
          content: { 'multipart/form-data': { schema: z.object({ file: z.any(), dryRun: z.string().optional() }) } },
          required: true,
        },
      },
      responses: { 200: json(Loose, 'the plan and its problems'), ...errors(400, 401, 403, 413) },
    }),
    async (c) => {
      const form = c.req.valid('form') as { file?: unknown; dryRun?: string };
      if (!(form.file instanceof File)) throw new ApiError(400, 'file-required', '请上传名录文件。', 'Upload the directory file.');
      const { scopeId, bodies } = await scopeOf(c);
      const parsed = await parseDirectoryFile(new Uint8Array(await form.file.arrayBuffer()), form.file.name);
      const plan = planDirectory(parsed.rows, bodies);
      const problems = [...parsed.problems, ...plan.problems];
      const hasErrors = problems.some((p) => p.severity === 'error');
      const dryRun = form.dryRun !== 'false';
      let stored = false;
      if (!dryRun && !hasErrors) {
        await applyDirectory(db, plan, who(c), scopeId);
        stored = true;
      }
      return c.json({ rows: parsed.rows.length, creates: plan.creates.length, updates: plan.updates.length, problems, stored }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/bodies/export',
      tags: ['supervision'],
      summary: '导出名录 / export the directory (XLSX or CSV)',
      security: secured,
      middleware: [roles('admin', 'reviewer')],
      request: { query: z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx'), under: z.coerce.number().int().optional() }) },
      responses: { 200: { description: 'the file' }, ...errors(401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { scopeId, bodies } = await scopeOf(c, q.under);
      const ids = scopeId === null ? null : new Set(subtreeIds(bodies, scopeId));
      const list = ids ? bodies.filter((b) => ids.has(b.id)) : bodies;
      const bytes = await exportDirectory(list, q.format);
      return download(bytes, q.format === 'csv' ? 'text/csv; charset=utf-8' : XLSX, `机关名录.${q.format}`) as never;
    },
  );

  // ---------------------------------------------------------------- intake
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/intake',
      tags: ['supervision'],
      summary: '批量导入年报 / import reports in bulk (202, then follow the batch)',
      description:
        'Either multipart with one or more `files` (reports or ZIPs; at most the upload limit in all), or the raw bytes of one ZIP (content-type application/zip, `?name=`; at most the intake limit, 200 MB). Answers 202 with the batch id at once; the files are read on the worker pool, matched to bodies (an uncertain match waits for confirmation), checked and stored (the same bytes once; another file of the same body and year as a new version).',
      security: securedWrite,
      middleware: [roles('admin', 'reviewer')],
      request: { query: z.object({ name: z.string().optional(), under: z.coerce.number().int().optional() }) },
      responses: {
        202: json(z.object({ batchId: z.number().int(), files: z.number().int(), skipped: z.array(z.string()) }), 'started'),
        ...errors(400, 401, 403, 413, 415, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { scopeId, bodies } = await scopeOf(c, q.under);
      const type = c.req.header('content-type') ?? '';
      const files: BundleFile[] = [];
      const skipped: string[] = [];
      const take = (name: string, bytes: Uint8Array) => {
        if (/\.zip$/i.test(name) || (bytes[0] === 0x50 && bytes[1] === 0x4b && !/\.(docx|xlsx)$/i.test(name))) {
          try {
            const z = filesFromZip(bytes, name);
            files.push(...z.files);
            skipped.push(...z.skipped);
          } catch (e) {
            if (e instanceof NianbaoError) throw new ApiError(e.code === 'too-large' ? 413 : 422, e.code, e.zh, e.en);
            throw e;
          }
        } else if (REPORT_FILE.test(name)) files.push({ name, load: async () => bytes });
        else skipped.push(name);
      };
      if (type.startsWith('multipart/form-data')) {
        const form = await c.req.formData();
        for (const v of form.getAll('files').concat(form.getAll('file'))) {
          if (v instanceof File) take(v.name, new Uint8Array(await v.arrayBuffer()));
        }
      } else if (/zip|octet-stream/.test(type)) {
        take(q.name ?? 'upload.zip', new Uint8Array(await c.req.arrayBuffer()));
      } else {
        throw new ApiError(415, 'unsupported-media-type', '请上传文件（multipart）或 ZIP 压缩包。', 'Upload files (multipart) or a ZIP.');
      }
      if (files.length === 0) {
        throw new ApiError(400, 'no-reports', '上传的内容中没有可读取的报告文件。', 'The upload holds no report file that can be read.');
      }
      const batchId = await createBatch(db, scopeId ?? 0, files.length, who(c));
      // the work goes on after the answer; its progress and outcome are in the batch
      void intakeFiles(db, files, { scopeId, user: who(c), jobs: ctx.jobs, batchId, concurrency: 4 })
        .then(async ({ outcomes }) => {
          // the ranking of each year imported is computed now (雷同 across the region takes seconds
          // at a province's size), so that the page answers at once
          const years = new Set(outcomes.flatMap((o) => (o.outcome === 'stored' ? [o.year] : [])));
          const rubric = await rubricFor(scopeId, bodies);
          for (const y of years) await yearScores(db, scopeId, y, rubric, ctx.jobs, ctx.today()).catch(() => {});
        })
        .catch(async (e) => {
          const batch = await getBatch(db, batchId);
          const m = e instanceof NianbaoError ? { zh: e.zh, en: e.en } : { zh: String(e), en: String(e) };
          await updateBatch(
            db,
            batchId,
            {
              ...(batch?.counts ?? { done: 0, stored: 0, versions: 0, duplicates: 0, pending: 0, failed: 0 }),
              failed: files.length - (batch?.counts.done ?? 0),
            },
            [
              ...(batch?.outcomes ?? []),
              { file: '', outcome: 'failed', message: `导入中断：${m.zh}`, messageEn: `The import stopped: ${m.en}` },
            ],
            true,
          ).catch(() => {});
        });
      return c.json({ batchId, files: files.length, skipped }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/intake/batches/{id}',
      tags: ['supervision'],
      summary: '导入进度 / an intake batch’s progress and outcomes',
      security: secured,
      middleware: [roles('admin', 'reviewer')],
      request: { params: z.object({ id: IdParam.openapi({ type: 'integer' }) }) },
      responses: { 200: json(Loose, 'the batch'), ...errors(401, 403, 404) },
    }),
    async (c) => {
      const b = await getBatch(db, c.req.valid('param').id);
      if (!b) throw notFound('没有这个导入批次。', 'No such batch.');
      const { scopeId, bodies } = await scopeOf(c);
      if (scopeId !== null && b.scopeId !== scopeId) {
        if (!subtreeIds(bodies, scopeId).includes(b.scopeId)) throw notFound('没有这个导入批次。', 'No such batch.');
      }
      return c.json(b as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/intake/pending',
      tags: ['supervision'],
      summary: '待确认机关的文件 / files waiting for a person to confirm their body',
      security: secured,
      middleware: [roles('admin', 'reviewer')],
      responses: { 200: json(z.object({ pending: z.array(Loose) }), 'the files'), ...errors(401, 403) },
    }),
    async (c) => {
      const { scopeId, bodies } = await scopeOf(c);
      const scopes = scopeId === null ? bodies.map((b) => b.id).concat(0) : subtreeIds(bodies, scopeId);
      return c.json({ pending: (await listPending(db, scopes)) as never[] }, 200);
    },
  );

  const pendingInScope = async (c: Context<AppEnv>, id: number) => {
    const p = await getPending(db, id);
    if (!p) throw notFound('没有这个待确认文件。', 'No such waiting file.');
    const { scopeId, bodies } = await scopeOf(c);
    if (scopeId !== null && !subtreeIds(bodies, scopeId).includes(p.scopeId))
      throw notFound('没有这个待确认文件。', 'No such waiting file.');
    if (p.state !== 'pending') throw new ApiError(409, 'conflict', '这个文件已经处理过了。', 'This file has already been decided.');
    return { p, scopeId, bodies };
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/intake/{id}/confirm',
      tags: ['supervision'],
      summary: '确认所属机关 / confirm the body (and year) of a waiting file',
      security: securedWrite,
      middleware: [roles('admin', 'reviewer')],
      request: {
        params: z.object({ id: IdParam.openapi({ type: 'integer' }) }),
        body: {
          content: { 'application/json': { schema: z.object({ bodyId: z.number().int(), year: z.number().int().nullable().optional() }) } },
          required: true,
        },
      },
      responses: {
        200: json(z.object({ reportId: z.number().int(), version: z.number().int() }), 'stored'),
        ...errors(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { scopeId, bodies } = await pendingInScope(c, id);
      const allowed = scopeId === null ? bodies.some((b) => b.id === body.bodyId) : subtreeIds(bodies, scopeId).includes(body.bodyId);
      if (!allowed) throw notFound('没有这个机关，或不在您的权限范围内。', 'No such body in your scope.');
      return c.json(await confirmPending(db, id, { bodyId: body.bodyId, year: body.year ?? null }, who(c), ctx.jobs), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/intake/{id}/reject',
      tags: ['supervision'],
      summary: '不予导入 / reject a waiting file',
      security: securedWrite,
      middleware: [roles('admin', 'reviewer')],
      request: { params: z.object({ id: IdParam.openapi({ type: 'integer' }) }) },
      responses: { 200: json(z.object({ ok: z.boolean() }), 'rejected'), ...errors(401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await pendingInScope(c, id);
      await decidePending(db, id, { reportId: null }, who(c));
      return c.json({ ok: true }, 200);
    },
  );

  // ---------------------------------------------------------------- the year
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/supervision/status',
      tags: ['supervision'],
      summary: '年报发布情况 / every body that must report for a year, and its state',
      security: secured,
      middleware: [roles('admin', 'reviewer')],
      request: { query: YearQuery.extend({ format: z.enum(['json', 'xlsx', 'csv']).default('json') }) },
      responses: { 200: json(Loose, 'the rows and counts (or the file)'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { scopeId, scopeName } = await scopeOf(c, q.under);
      const today = ctx.today();
      const s = await yearStatus(db, scopeId, q.year, today);
      if (q.format !== 'json') {
        const ex = await import('../../supervise/export.js');
        const meta = { scopeName, year: q.year, today };
        if (q.format === 'csv')
          return download(await ex.statusCsv(s.rows, s.counts, meta), 'text/csv; charset=utf-8', `${q.year}年度发布情况.csv`) as never;
        return download(await ex.statusXlsx(s.rows, s.counts, meta), XLSX, `${q.year}年度发布情况.xlsx`) as never;
      }
      return c.json({ year: q.year, today, scopeName, deadlines: s.deadlines, counts: s.counts, rows: s.rows } as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/supervision/rollup',
      tags: ['supervision'],
      summary: '区域汇总 / every cell of the tables summed over the region, with drill-down',
      description:
        'For the scope’s root (or `body`): its own figures, its region’s totals, the bodies directly under it with theirs (for `cell`), and — for a government — its own report beside the sum of the bodies under it.',
      security: secured,
      middleware: [roles('admin', 'reviewer')],
      request: {
        query: YearQuery.extend({
          body: z.coerce.number().int().optional(),
          cell: z.string().optional(),
          format: z.enum(['json', 'xlsx']).default('json'),
        }),
      },
      responses: { 200: json(Loose, 'the totals'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { scopeId, scopeName, bodies: all } = await scopeOf(c, q.under);
      const { bodies, totals } = await yearRollup(db, scopeId, q.year);
      const rootId = q.body ?? scopeId ?? bodies.find((b) => b.parentId === null)?.id;
      if (rootId === undefined || !totals.has(rootId))
        throw notFound('没有这个机关，或不在您的权限范围内。', 'No such body in your scope.');
      if (q.format === 'xlsx') {
        const ex = await import('../../supervise/export.js');
        return download(
          await ex.rollupXlsx(bodies, totals, { scopeName, year: q.year, rootId }),
          XLSX,
          `${q.year}年度区域汇总.xlsx`,
        ) as never;
      }
      const format = q.year >= 2021 ? '2021' : '2019';
      const cells = cellDefs(format).map((d) => ({ key: d.key, table: d.tableName, row: d.row, column: d.column, money: d.money }));
      const t = totals.get(rootId);
      const body = all.find((b) => b.id === rootId);
      const children = cells.length && q.cell ? drillDown(bodies, totals, rootId, q.cell) : [];
      const childrenList = bodies
        .filter((b) => b.parentId === rootId)
        .map((b) => ({ bodyId: b.id, name: b.name, reports: totals.get(b.id)?.reports ?? 0, bodies: totals.get(b.id)?.bodies ?? 0 }));
      return c.json(
        {
          year: q.year,
          body: { id: rootId, name: body?.name ?? '', kind: body?.kind ?? 'government' },
          cells,
          totals: t,
          children: childrenList,
          drill: q.cell ? { cell: q.cell, label: cellLabel(q.cell), rows: children } : null,
          ownVersusBelow:
            body?.kind === 'government' && t ? ownVersusBelow(t).filter((r) => r.difference !== null && r.difference !== 0) : [],
        } as never,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/supervision/series',
      tags: ['supervision'],
      summary: '逐年序列 / a region’s totals year over year, per cell',
      security: secured,
      middleware: [roles('admin', 'reviewer')],
      request: {
        query: z.object({
          body: z.coerce.number().int().optional(),
          from: z.coerce.number().int().min(2008).max(2100),
          to: z.coerce.number().int().min(2008).max(2100),
          cells: z.string().meta({ description: 'comma-separated cell keys' }),
        }),
      },
      responses: { 200: json(Loose, 'the series'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      if (q.to < q.from || q.to - q.from > 20)
        throw new ApiError(400, 'bad-range', '年度范围无效（最多 20 年）。', 'Bad year range (at most 20 years).');
      const { scopeId } = await scopeOf(c, q.body);
      const id = scopeId ?? (await listBodies(db)).find((b) => b.parentId === null)?.id;
      if (id === undefined) throw notFound();
      const years = Array.from({ length: q.to - q.from + 1 }, (_, i) => q.from + i);
      const keys = q.cells.split(',').filter(Boolean).slice(0, 50);
      const series = await regionSeries(db, id, years);
      return c.json(
        {
          body: id,
          years,
          series: keys.map((k) => ({ key: k, label: cellLabel(k), values: series.map((s) => s.totals?.region[k] ?? null) })),
          reports: series.map((s) => s.totals?.reports ?? 0),
        } as never,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/supervision/scores',
      tags: ['supervision'],
      summary: '评分和排名 / every body’s score with the evidence of each deduction, and the ranking',
      security: secured,
      middleware: [roles('admin', 'reviewer')],
      request: {
        query: YearQuery.extend({
          group: z.enum(['tier', 'parent', 'all']).default('tier'),
          format: z.enum(['json', 'xlsx', 'docx']).default('json'),
        }),
      },
      responses: { 200: json(Loose, 'the scores (or the file)'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { scopeId, scopeName, bodies } = await scopeOf(c, q.under);
      const rubric = await rubricFor(scopeId, bodies);
      const today = ctx.today();
      const s = await yearScores(db, scopeId, q.year, rubric, ctx.jobs, today, q.group);
      if (q.format !== 'json') {
        const ex = await import('../../supervise/export.js');
        if (q.format === 'docx') {
          const st = await yearStatus(db, scopeId, q.year, today);
          const bytes = await ex.bulletinDocx({
            scopeName,
            year: q.year,
            today,
            counts: st.counts,
            ranking: s.ranking,
            scores: s.scores,
            bodies: s.bodies,
            statuses: s.statuses,
            copies: s.copies,
            rubricName: rubric.name,
          });
          return download(bytes, DOCX, `${q.year}年度年报情况通报（草稿）.docx`) as never;
        }
        return download(
          await ex.rankingXlsx(
            { ranking: s.ranking, scores: s.scores, bodies: s.bodies },
            { scopeName, year: q.year, rubricName: rubric.name },
          ),
          XLSX,
          `${q.year}年度评分排名.xlsx`,
        ) as never;
      }
      const names = Object.fromEntries(s.bodies.map((b) => [b.id, b.name]));
      return c.json(
        {
          year: q.year,
          rubric: {
            name: rubric.name,
            total: rubric.total,
            mode: rubric.mode,
            items: rubric.items.map((i) => ({ id: i.id, name: i.name, points: i.points })),
          },
          names,
          ranking: s.ranking,
          scores: s.scores,
        } as never,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/supervision/copies',
      tags: ['supervision'],
      summary: '跨机关雷同 / pairs of bodies whose narratives are similar above the threshold',
      security: secured,
      middleware: [roles('admin', 'reviewer')],
      request: { query: YearQuery.extend({ threshold: z.coerce.number().gt(0).max(1).default(0.5) }) },
      responses: { 200: json(Loose, 'the pairs'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { scopeId, bodies } = await scopeOf(c, q.under);
      const pairs = await yearCopies(db, scopeId, q.year, ctx.jobs, q.threshold);
      const names = Object.fromEntries(bodies.map((b) => [b.id, b.name]));
      return c.json({ year: q.year, threshold: q.threshold, names, pairs } as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/supervision/versions',
      tags: ['supervision'],
      summary: '报告的各个版本及其差异 / the versions of a body’s report and what changed',
      description:
        'Oldest first; each later version with the cells (Chinese labels) and narrative sentences that differ from the one before. A report edited after publication is itself a finding.',
      security: secured,
      middleware: [roles('admin', 'reviewer')],
      request: { query: z.object({ body: IdParam.openapi({ type: 'integer' }), year: z.coerce.number().int().min(2008).max(2100) }) },
      responses: { 200: json(Loose, 'the versions'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      await scopeOf(c, q.body);
      return c.json({ versions: await versionsWithDiff(db, q.body, q.year) } as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/supervision/reviews',
      tags: ['supervision'],
      summary: '标记已复核 / mark a body’s report of a year as reviewed',
      security: securedWrite,
      middleware: [roles('admin', 'reviewer')],
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({ bodyId: z.number().int(), year: z.number().int(), note: z.string().max(2000).default('') }),
            },
          },
          required: true,
        },
      },
      responses: { 200: json(z.object({ ok: z.boolean() }), 'stored'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const { scopeId, bodies } = await scopeOf(c);
      const allowed = scopeId === null ? bodies.some((x) => x.id === b.bodyId) : subtreeIds(bodies, scopeId).includes(b.bodyId);
      if (!allowed) throw notFound('没有这个机关，或不在您的权限范围内。', 'No such body in your scope.');
      await setReview(db, b.bodyId, b.year, who(c), b.note);
      return c.json({ ok: true }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/supervision/settings',
      tags: ['supervision'],
      summary: '期限和评分细则 / the deadlines and rubric that apply in scope',
      security: secured,
      middleware: [roles('admin', 'reviewer')],
      responses: { 200: json(Loose, 'the settings'), ...errors(401, 403) },
    }),
    async (c) => {
      const { scopeId, bodies } = await scopeOf(c);
      const s = scopeId === null ? { deadlines: null, rubric: null, from: null } : await settingsFor(db, scopeId, bodies);
      const rubric = await rubricFor(scopeId, bodies);
      return c.json(
        {
          deadlines: s.deadlines ?? STATUTORY_DEADLINES,
          statutory: STATUTORY_DEADLINES,
          customRubric: s.rubric !== null,
          rubric,
          indicators: Object.fromEntries(Object.entries(INDICATORS).map(([k, v]) => [k, { name: v.zh, description: v.description }])),
        } as never,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/supervision/settings',
      tags: ['supervision'],
      summary: '设置期限和评分细则 / set the jurisdiction’s deadlines and rubric (admin)',
      description:
        '`rubric`: the rubric’s text (JSON or YAML) or null for the example; validated with every problem listed (422 `bad-rubric`).',
      security: securedWrite,
      middleware: [roles('admin')],
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                deadlines: z.object({ government: z.string(), department: z.string() }).nullable().optional(),
                rubric: z.string().max(500_000).nullable().optional(),
                rubricFileName: z.string().optional(),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 200: json(z.object({ ok: z.boolean() }), 'stored'), ...errors(400, 401, 403, 422) },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const { scopeId } = await scopeOf(c);
      if (scopeId === null)
        throw new ApiError(
          400,
          'agency-required',
          '请以某一机关的管理员身份设置。',
          'Settings belong to an agency: use an agency’s administrator.',
        );
      if (b.deadlines && (!validMonthDay(b.deadlines.government) || !validMonthDay(b.deadlines.department))) {
        throw new ApiError(400, 'bad-deadline', '期限应为“MM-DD”格式的月日，如 03-31。', 'Deadlines are month-days "MM-DD", e.g. 03-31.');
      }
      let rubric: unknown | null | undefined;
      if (b.rubric === null) rubric = null;
      else if (typeof b.rubric === 'string') {
        try {
          const { parseRubric } = await import('../../supervise/rubric.js');
          rubric = parseRubric(b.rubric, b.rubricFileName ?? '评分细则.json');
        } catch (e) {
          if (e instanceof RubricError) throw new ApiError(422, 'bad-rubric', e.zh, e.en, e.details);
          throw e;
        }
      }
      await saveSettings(
        db,
        scopeId,
        { ...(b.deadlines !== undefined ? { deadlines: b.deadlines } : {}), ...(rubric !== undefined ? { rubric } : {}) },
        who(c),
      );
      return c.json({ ok: true }, 200);
    },
  );
}
