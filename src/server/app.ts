/**
 * The HTTP server of nianbao as a Hono app: the API of docs/api.md under /api, its OpenAPI 3.1
 * document at /openapi.json (generated from the zod schemas of the routes), and the web app
 * (dist/web) with an SPA fallback.
 *
 * `createApp({ db })` returns the app without a socket (tests call `app.request(…)`);
 * `startServer` (./index.ts) listens.
 */
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { type AppDb, appDb, ensureAppSchema } from '../store/app.js';
import type { Db } from '../store/db.js';
import { type AppEnv, sessionMiddleware } from './auth.js';
import { DEFAULT_LIMITS, dateIn, type Limits, PACKAGE_ROOT, type ServerContext, VERSION } from './context.js';
import { ApiError, describe, validationError } from './errors.js';
import { inPlaceJobs, type Jobs } from './jobs.js';
import { compileRoutes } from './routes/compile.js';
import { holidayRoutes } from './routes/holidays.js';
import { registerRoutes } from './routes/register.js';
import { reportRoutes } from './routes/reports.js';
import { sessionRoutes } from './routes/session.js';
import { serveWeb } from './static.js';

export interface AppOptions {
  db: Db | AppDb;
  /** the built web app (default: dist/web of the package) */
  webRoot?: string;
  /** the clock (tests) */
  now?: () => Date;
  limits?: Partial<Limits>;
  /** no request log on stderr */
  quiet?: boolean;
  /** where the request log goes (default stderr) */
  log?: (line: string) => void;
  /** the time zone of “today” for deadlines (default Asia/Shanghai, or NIANBAO_TZ) */
  timeZone?: string;
  /** `Secure` session cookies over plain HTTP too (behind a TLS proxy); default NIANBAO_SECURE_COOKIES=1 */
  secureCookies?: boolean;
  /** the CPU-heavy work (default: in place; `startServer` gives the worker pool) */
  jobs?: Jobs;
}

/** a CSP that a Vite React build (antd's CSS-in-JS, ECharts canvas, blob downloads) works under */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PUBLIC = new Set(['/api/health', '/api/login']);
/** answers that are always small */
const UNCOMPRESSED = new Set(['/api/health', '/api/login', '/api/logout', '/api/me']);

export function createApp(opts: AppOptions): OpenAPIHono<AppEnv> {
  const db = appDb(opts.db);
  const timeZone = opts.timeZone ?? process.env.NIANBAO_TZ ?? 'Asia/Shanghai';
  const now = opts.now ?? (() => new Date());
  const ctx: ServerContext = {
    db,
    reg: db as unknown as Db,
    now,
    today: () => dateIn(now(), timeZone),
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    secureCookies: opts.secureCookies ?? process.env.NIANBAO_SECURE_COOKIES === '1',
    version: VERSION,
    jobs: opts.jobs ?? inPlaceJobs(),
  };
  const webRoot = opts.webRoot ?? join(PACKAGE_ROOT, 'dist', 'web');
  const log = opts.quiet ? null : (opts.log ?? ((line: string) => process.stderr.write(`${line}\n`)));

  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });

  app.onError((e, c) => {
    const d = describe(e);
    if (d.internal)
      process.stderr.write(`错误 / error: ${c.req.method} ${c.req.path}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    if (d.headers) for (const [k, v] of Object.entries(d.headers)) c.header(k, v);
    return c.json(d.body, d.status);
  });

  // one line per request: method, path, status, milliseconds
  app.use('*', async (c, next) => {
    const t0 = performance.now();
    await next();
    log?.(`${c.req.method} ${c.req.path} ${c.res.status} ${(performance.now() - t0).toFixed(1)}ms`);
  });

  // security headers on everything
  app.use('*', async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Referrer-Policy', 'same-origin');
    h.set('X-Frame-Options', 'DENY');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', CSP);
    if (c.req.path.startsWith('/api/') && !h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
  });

  // compression runs through web streams and libuv's thread pool: worth it for pages and large JSON,
  // not for the small answers a burst of requests gets (health, login; the compressor cannot see
  // their size, JSON responses carry no Content-Length here)
  const gzip = compress({ threshold: 2048 });
  app.use('*', (c, next) => (UNCOMPRESSED.has(c.req.path) ? next() : gzip(c, next)));

  app.use('/api/*', async (_c, next) => {
    await ensureAppSchema(db);
    await next();
  });
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: ctx.limits.uploadBytes,
      onError: () => {
        const mb = (ctx.limits.uploadBytes / 1024 / 1024).toFixed(ctx.limits.uploadBytes < 1024 * 1024 ? 2 : 0);
        throw new ApiError(413, 'too-large', `上传的内容过大，上限为 ${mb} MB。`, `The request body is too large; the limit is ${mb} MB.`);
      },
    }),
  );
  app.use('/api/*', sessionMiddleware(db, { idleMs: ctx.limits.sessionIdleMs, now, public: PUBLIC }));

  sessionRoutes(app, ctx);
  reportRoutes(app, ctx);
  registerRoutes(app, ctx);
  holidayRoutes(app, ctx);
  compileRoutes(app, ctx);

  app.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', {
    type: 'apiKey',
    in: 'cookie',
    name: 'nb_session',
    description: 'the session cookie set by POST /api/login',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'csrfToken', {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description: 'the csrfToken of /api/login or /api/me, on every request other than GET/HEAD/OPTIONS',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'nianbao API',
      version: VERSION,
      description:
        '政府信息公开工作年度报告：检查、报告库、依申请登记、年报编制。Errors are `{error: {code, message (中文), messageEn, details?}}`. See docs/api.md.',
    },
    tags: [
      { name: 'session', description: '登录 / session' },
      { name: 'agencies', description: '机关 / agencies' },
      { name: 'users', description: '用户 / users' },
      { name: 'reports', description: '检查与报告库 / checking and the report library' },
      { name: 'register', description: '依申请登记 / the register' },
      { name: 'compile', description: '年报编制 / compiling the year’s report' },
      { name: 'misc', description: '其他 / misc' },
    ],
  });

  app.notFound(async (c) => {
    if (!c.req.path.startsWith('/api/') && c.req.path !== '/api') {
      const res = await serveWeb(c, webRoot);
      if (res) return res;
    }
    const d = describe(new ApiError(404, 'not-found', '未找到所请求的内容。', 'Not found.'));
    return c.json(d.body, 404);
  });

  return app;
}
