/**
 * The HTTP server of nianbao as a Hono app: the API of docs/api.md under /api, its OpenAPI 3.1
 * document at /openapi.json (generated from the zod schemas of the routes), and the web app
 * (dist/web) with an SPA fallback.
 *
 * `createApp({ db })` returns the app without a socket (tests call `app.request(…)`);
 * `startServer` (./index.ts) listens.
 */
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { etag } from 'hono/etag';
import { logger } from 'hono/logger';
import { secureHeaders } from 'hono/secure-headers';
import { type AppDb, appDb, ensureAppSchema } from '../store/app.js';
import type { Db } from '../store/db.js';
import { type AppEnv, sessionMiddleware } from './auth.js';
import { DEFAULT_LIMITS, dateIn, type Limits, PACKAGE_ROOT, type ServerContext, VERSION } from './context.js';
import { ApiError, describe, validationError } from './errors.js';
import { inPlaceJobs, type Jobs } from './jobs.js';
import { compileRoutes } from './routes/compile.js';
import { holidayRoutes } from './routes/holidays.js';
import { ledgerRoutes } from './routes/ledger.js';
import { noticeRoutes } from './routes/notices.js';
import { registerRoutes } from './routes/register.js';
import { reportRoutes } from './routes/reports.js';
import { schemaRoutes } from './routes/schema.js';
import { sessionRoutes } from './routes/session.js';
import { superviseRoutes } from './routes/supervise.js';

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

/** {@link CSP} as the directives of hono's secureHeaders (`default-src 'self'` → `defaultSrc: ["'self'"]`) */
const CSP_DIRECTIVES = Object.fromEntries(
  CSP.split('; ').map((d) => {
    const [name, ...values] = d.split(' ');
    return [name.replace(/-(\w)/g, (_, ch: string) => ch.toUpperCase()), values];
  }),
);

/** the security headers of every answer (a handler's own Content-Security-Policy is kept) */
const SECURITY_HEADERS = secureHeaders({
  contentSecurityPolicy: CSP_DIRECTIVES,
  xContentTypeOptions: true,
  referrerPolicy: 'same-origin',
  xFrameOptions: 'DENY',
  crossOriginOpenerPolicy: 'same-origin',
  permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  // hono's other defaults are not ours
  crossOriginResourcePolicy: false,
  originAgentCluster: false,
  strictTransportSecurity: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  overwrite: false,
});

const isApiPath = (path: string): boolean => path === '/api' || path.startsWith('/api/');

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
  // hono's logger colours the status unless NO_COLOR: only on a terminal
  const colour = !opts.log && process.stderr.isTTY === true;

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

  // one line per request (hono's answer line: `--> GET /path 200 3ms`; not its `<--` line for the request)
  if (log) {
    app.use(
      '*',
      logger((line) => {
        if (line.startsWith('-->')) log(colour ? line : stripVTControlCharacters(line));
      }),
    );
  }

  // security headers on everything; API answers are never cached
  app.use('*', SECURITY_HEADERS);
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  });

  // compression runs through web streams and libuv's thread pool: worth it for pages and large JSON,
  // not for the small answers a burst of requests gets (health, login; the compressor cannot see
  // their size, JSON responses carry no Content-Length here)
  const gzip = compress({ threshold: 2048 });
  app.use('*', (c, next) => (UNCOMPRESSED.has(c.req.path) ? next() : gzip(c, next)));

  // the web app's files revalidate by their ETag (a hash of the content; inside compression: of the plain bytes)
  const tag = etag();
  app.use('*', (c, next) => (isApiPath(c.req.path) ? next() : tag(c, next)));

  app.use('/api/*', async (_c, next) => {
    await ensureAppSchema(db);
    await next();
  });
  const sizeLimit = (bytes: number) =>
    bodyLimit({
      maxSize: bytes,
      onError: () => {
        const mb = (bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0);
        throw new ApiError(413, 'too-large', `上传的内容过大，上限为 ${mb} MB。`, `The request body is too large; the limit is ${mb} MB.`);
      },
    });
  const uploadLimit = sizeLimit(ctx.limits.uploadBytes);
  // a ZIP of a region's reports sent as its raw bytes to the bulk intake has a limit of its own
  const intakeLimit = sizeLimit(ctx.limits.intakeBytes);
  app.use('/api/*', (c, next) =>
    c.req.path === '/api/intake' && /zip|octet-stream/.test(c.req.header('content-type') ?? '')
      ? intakeLimit(c, next)
      : uploadLimit(c, next),
  );
  // a JSON body (a Report, a draft, pasted text) has a tighter limit than an upload: a report within
  // the text limits is well under it, and anything larger would only be parsed on this thread to be refused
  const jsonLimit = bodyLimit({
    maxSize: ctx.limits.jsonBytes,
    onError: () => {
      const mb = (ctx.limits.jsonBytes / 1024 / 1024).toFixed(ctx.limits.jsonBytes < 1024 * 1024 ? 2 : 0);
      throw new ApiError(
        413,
        'too-large',
        `JSON 请求内容过大，上限为 ${mb} MB（文件请用上传）。`,
        `The JSON request body is too large; the limit is ${mb} MB (upload files instead).`,
      );
    },
  });
  app.use('/api/*', (c, next) => ((c.req.header('content-type') ?? '').includes('json') ? jsonLimit(c, next) : next()));
  app.use('/api/*', sessionMiddleware(db, { idleMs: ctx.limits.sessionIdleMs, now, public: PUBLIC }));

  sessionRoutes(app, ctx);
  reportRoutes(app, ctx);
  // before the register's: GET /api/cases/{id} would take /api/cases/export
  ledgerRoutes(app, ctx);
  registerRoutes(app, ctx);
  noticeRoutes(app, ctx);
  holidayRoutes(app, ctx);
  compileRoutes(app, ctx);
  superviseRoutes(app, ctx);
  schemaRoutes(app, ctx);

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
      { name: 'supervision', description: '监督检查：名录、批量导入、发布情况、汇总、评分、雷同 / supervision' },
      { name: 'misc', description: '其他 / misc' },
    ],
  });

  // after every route: the web app
  app.get('*', webApp(webRoot));

  app.notFound((c) => {
    const d = describe(new ApiError(404, 'not-found', '未找到所请求的内容。', 'Not found.'));
    return c.json(d.body, 404);
  });

  return app;
}

const NOT_BUILT = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>年报 nianbao</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:40em;margin:4em auto;padding:0 1em;line-height:1.7;color:#222}code{background:#f3f3f3;padding:0 .3em}</style>
</head><body>
<h1>网页界面尚未构建</h1>
<p>服务器正在运行，接口（<code>/api/…</code>）可以使用，接口说明见 <a href="/openapi.json">/openapi.json</a>。</p>
<p>网页界面需要先构建：在项目目录运行 <code>npm run build:web</code>（生成 <code>dist/web/</code>），然后刷新本页。</p>
<p lang="en">The web app is not built yet (run <code>npm run build:web</code>); the API works.</p>
</body></html>`;

/** extensions of the files a page loads (scripts, styles, images, fonts …): a missing one is a 404, not the app */
const ASSET_EXTENSIONS: ReadonlySet<string> = new Set(
  '.js .mjs .css .json .map .svg .png .jpg .jpeg .gif .webp .ico .woff .woff2 .ttf .otf .txt .wasm .webmanifest'.split(' '),
);

/**
 * is a path that is not a file one of the app's own (its router's), answered with index.html:
 * anything but a missing file under /assets/ (hashed build output) and a missing file with the
 * extension of an asset (`/x.js`, `/logo.png`) that a page — not a navigation, which accepts
 * text/html — asks for. A dot alone does not make a file: `/cases/2025.001` is the app.
 */
function isAppPath(path: string, accept: string | undefined): boolean {
  if (path.startsWith('/assets/')) return false;
  if (!ASSET_EXTENSIONS.has(extname(path).toLowerCase())) return true;
  return /\btext\/html\b/i.test(accept ?? '');
}

/**
 * The web app (dist/web, built by Vite) with hono's serveStatic: a GET outside /api for a file
 * gets the file — hashed `/assets/…` cached for a year, the rest revalidating (no-cache; the ETag
 * comes from hono's etag middleware) — and any other GET of the app's own paths gets index.html
 * (`isAppPath`), else the request goes on to the JSON 404. Without a build, the app's paths get a
 * page that says in Chinese that the web app is not built. No dot files (.git, .env), nothing
 * outside the root (serveStatic refuses `..` and encoded paths).
 */
function webApp(root: string): MiddlewareHandler<AppEnv> {
  // made once the folder exists (serveStatic complains on the console about a missing root; a build may come later)
  let files: MiddlewareHandler | null = null;
  let index: MiddlewareHandler | null = null;
  const none = async () => {};
  const cached = (res: Response, immutable: boolean): Response => {
    res.headers.set('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    // hono gives SVG a charset, which an image has not
    if (res.headers.get('Content-Type')?.startsWith('image/svg+xml')) res.headers.set('Content-Type', 'image/svg+xml');
    return res;
  };
  return async (c, next) => {
    const path = c.req.path;
    if (isApiPath(path)) return next();
    if (!files && existsSync(root)) {
      files = serveStatic({ root });
      index = serveStatic({ root, path: 'index.html' });
    }
    if (files && !/(^|\/)\./.test(path)) {
      const res = await files(c, none);
      if (res) return cached(res, path.startsWith('/assets/'));
    }
    if (!isAppPath(path, c.req.header('accept'))) return next();
    const res = index ? await index(c, none) : undefined;
    if (res) return cached(res, false);
    return c.html(NOT_BUILT, 200, { 'Cache-Control': 'no-cache' });
  };
}
