/**
 * The package as users get it: `npm pack` (which builds, `prepack`) from a copy of the sources,
 * the tarball installed with production dependencies only into an empty folder, then from there
 * `import … from 'nianbao'` (also type-checked), the main entry loading none of the heavy
 * modules, and `npx nianbao serve` answering /api/health, the web app and a checked upload.
 * Also `npm ci --omit=dev` in a clone (no TypeScript, no Vite) succeeds with a notice.
 *
 * The build runs in a temporary copy (the work tree's dist/ is left alone). better-sqlite3's
 * install script is given the addon already built in this tree as a local prebuild (the one a
 * networked install would download; this network has no GitHub) when the versions match;
 * NIANBAO_PACK_TEST_COMPILE=1 compiles it from source instead (about 2–3 minutes more).
 * The test is skipped, saying why, when npm cannot reach its registry.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, deadlines, parse } from '../src/index.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const EXAMPLE = join(ROOT, 'examples', 'huaian-hongze-2024.pdf');
/** what the build and the tarball need from the work tree */
const SOURCES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'README.md',
  'LICENSE',
  'src',
  'web',
  'bin',
  'data',
  'examples',
  'scripts',
  'docs/library.md',
];
const MINUTES = 60_000;

/** the environment without what `npm test` and vitest put in it (npm config, NODE_ENV=test for Vite) */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|NODE_ENV$|TEST$|INIT_CWD$|NODE_OPTIONS$)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

async function sh(cmd: string, args: string[], cwd: string, timeout = 10 * MINUTES, env = cleanEnv()) {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd, env, timeout, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: `${err.stderr ?? ''}\n${err.message}` };
  }
}

const NETWORK = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|request to https?:\/\/\S+ failed/i;

let tmp = '';
let tarball = '';
let app = '';
let skipReason = '';
let server: ChildProcess | null = null;

/**
 * A local prebuild of better-sqlite3 (prebuild-install's `local-prebuilds`) made from this tree's
 * built addon, when it is the version the package depends on; '' when there is none.
 */
async function localPrebuilds(): Promise<string> {
  if (process.env.NIANBAO_PACK_TEST_COMPILE === '1') return '';
  const pkg = join(ROOT, 'node_modules', 'better-sqlite3');
  const addon = join(pkg, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(addon)) return '';
  const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const wanted = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies[
    'better-sqlite3'
  ];
  if (version !== wanted) return '';
  const dir = join(tmp, 'prebuilds');
  mkdirSync(dir, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const r = await sh('tar', ['-czf', join(dir, name), 'build/Release/better_sqlite3.node'], pkg, MINUTES);
  return r.code === 0 ? dir : '';
}

/** a folder npm installs into; better-sqlite3 takes the local prebuild when there is one */
function npmFolder(dir: string, prebuilds: string): void {
  mkdirSync(dir, { recursive: true });
  if (prebuilds) writeFileSync(join(dir, '.prebuild-installrc'), `local-prebuilds=${prebuilds}\n`);
}

function seconds(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'nianbao-pack-'));
  // a copy of the sources, with the work tree's node_modules (the build tools)
  const copy = join(tmp, 'source');
  for (const entry of SOURCES) {
    if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const out = join(tmp, 'out');
  mkdirSync(out);
  let t0 = performance.now();
  const packed = await sh('npm', ['pack', '--pack-destination', out], copy);
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stdout}\n${packed.stderr}`);
  const tgz = readdirSync(out).filter((f) => f.endsWith('.tgz'));
  expect(tgz).toHaveLength(1);
  tarball = join(out, tgz[0]);
  console.log(`npm pack (build included): ${seconds(t0)}`);
  rmSync(join(copy, 'node_modules')); // the link only, before anything removes the copy

  // an empty folder, the tarball installed with production dependencies only
  const prebuilds = await localPrebuilds();
  app = join(tmp, 'app');
  npmFolder(app, prebuilds);
  const init = await sh('npm', ['init', '-y'], app, MINUTES);
  if (init.code !== 0) throw new Error(`npm init failed:\n${init.stderr}`);
  t0 = performance.now();
  const installed = await sh('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);
  if (installed.code !== 0) {
    const output = `${installed.stdout}\n${installed.stderr}`;
    if (NETWORK.test(output)) {
      skipReason = `npm cannot reach its registry, the production install was not tried: ${output
        .split('\n')
        .find((l) => NETWORK.test(l))
        ?.trim()}`;
      console.warn(`skipped: ${skipReason}`);
      return;
    }
    throw new Error(`npm install --omit=dev of the tarball failed:\n${output}`);
  }
  console.log(`npm install --omit=dev of the tarball: ${seconds(t0)}${prebuilds ? ' (better-sqlite3 from the local prebuild)' : ''}`);
  cpSync(EXAMPLE, join(app, 'huaian-hongze-2024.pdf'));
}, 20 * MINUTES);

afterAll(async () => {
  await stopServer();
  if (!tmp) return;
  // two installs are some 24,000 files: removed by a process of its own, which may outlast the test
  rmSync(join(tmp, 'source', 'node_modules'), { force: true });
  spawn(process.execPath, ['-e', 'require("node:fs").rmSync(process.argv[1], { recursive: true, force: true })', tmp], {
    detached: true,
    stdio: 'ignore',
  }).unref();
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGTERM to the server's process group (npx and the node it starts; npx alone would leave the
 * server running); true when every process of it ended within 10 s, else SIGKILL and false.
 */
async function stopServer(): Promise<boolean> {
  const pgid = server?.pid;
  server = null;
  if (!pgid || !groupAlive(pgid)) return true;
  process.kill(-pgid, 'SIGTERM');
  const deadline = performance.now() + 10_000;
  while (groupAlive(pgid) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (!groupAlive(pgid)) return true;
  process.kill(-pgid, 'SIGKILL');
  return false;
}

describe('the package (npm pack, production-only install)', () => {
  it('the tarball holds the build, the data and the demo files, not the sources', async () => {
    const list = await sh('tar', ['-tzf', tarball], tmp, MINUTES);
    expect(list.code).toBe(0);
    const files = new Set(list.stdout.split('\n').map((f) => f.replace(/^package\//, '')));
    for (const f of [
      'package.json',
      'README.md',
      'bin/nianbao.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/server/index.js',
      'dist/server/index.d.ts',
      'dist/cli/main.js',
      'dist/pool/worker.js',
      'dist/server/jobs.js',
      'dist/cli/jobs.js',
      'dist/read/pdfjs-worker.js',
      'dist/web/index.html',
      'data/holidays.json',
      'examples/huaian-hongze-2024.pdf',
      'docs/library.md',
    ]) {
      expect(files, f).toContain(f);
    }
    expect([...files].some((f) => f.startsWith('dist/web/assets/') && f.endsWith('.js'))).toBe(true);
    expect([...files].filter((f) => /^(src|test|web|bench|node_modules)\//.test(f))).toEqual([]);
  });

  it('installs without the dev tools: no TypeScript, Vite, tsx or vitest', (ctx) => {
    if (skipReason) return ctx.skip();
    const modules = join(app, 'node_modules');
    expect(existsSync(join(modules, 'nianbao', 'dist', 'index.js'))).toBe(true);
    for (const dev of ['typescript', 'vite', 'tsx', 'vitest', '@biomejs/biome', 'react']) {
      expect(existsSync(join(modules, dev)), `node_modules/${dev}`).toBe(false);
    }
  });

  it(
    "`import { parse, check, render, deadlines } from 'nianbao'` works from another package",
    async (ctx) => {
      if (skipReason) return ctx.skip();
      writeFileSync(
        join(app, 'use.mjs'),
        `import { parse, check, render, deadlines, renderFormats, reportFromJson, ReadError } from 'nianbao';
import { startServer, createApp } from 'nianbao/server';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
const pkg = createRequire(import.meta.url)('nianbao/package.json');
const report = await parse('huaian-hongze-2024.pdf');
const fromBytes = await parse(new Uint8Array(await readFile('huaian-hongze-2024.pdf')), { name: 'x.pdf' });
const diagnostics = check(report);
const docx = await render(report, 'docx');
const html = new TextDecoder().decode(await render(report, 'html'));
const md = new TextDecoder().decode(await render(reportFromJson(JSON.parse(JSON.stringify(report))), 'md'));
let readError = null;
try { await parse(new Uint8Array(0), { name: 'empty.txt' }); } catch (e) { readError = e instanceof ReadError ? e.code : String(e); }
console.log(JSON.stringify({
  agency: report.agency, year: report.year, sameFromBytes: fromBytes.agency === report.agency,
  diagnostics: diagnostics.map((d) => d.rule),
  docx: String.fromCharCode(docx[0], docx[1]), docxBytes: docx.length,
  htmlHasAgency: html.includes(report.agency), mdHasAgency: md.includes(report.agency),
  renderFormats, readError, version: pkg.version,
  server: [typeof startServer, typeof createApp],
  deadlines: deadlines('2030-09-28'), shipped: deadlines('2025-01-20').replyDue,
}));
`,
      );
      const r = await sh('node', ['use.mjs'], app, 2 * MINUTES);
      expect(r.code, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
      const expected = await parse(EXAMPLE);
      expect(got.agency).toBe('淮安市洪泽区人民政府');
      expect(got.year).toBe(2024);
      expect(got.sameFromBytes).toBe(true);
      // the same diagnostics as the sources give
      const rules = check(expected).map((d) => d.rule);
      expect(rules.length).toBeGreaterThan(0);
      expect(got.diagnostics).toEqual(rules);
      expect(got.docx).toBe('PK');
      expect(got.docxBytes).toBeGreaterThan(5000);
      expect(got.htmlHasAgency).toBe(true);
      expect(got.mdHasAgency).toBe(true);
      expect(got.renderFormats).toEqual(['docx', 'html', 'pdf', 'md', 'xlsx']);
      expect(got.readError).toBe('empty');
      expect(got.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
      expect(got.server).toEqual(['function', 'function']);
      // 2030 has no holiday notice: provisional (暂定) dates
      expect(got.deadlines).toEqual(deadlines('2030-09-28'));
      expect(got.deadlines.provisional.replyDue).toBe(true);
      expect(got.deadlines.provisionalYears).toEqual([2030]);
      expect(got.shipped).toBe('2025-02-21');
    },
    3 * MINUTES,
  );

  it(
    'the main entry loads neither the server, the database, pdfjs nor the office writers',
    async (ctx) => {
      if (skipReason) return ctx.skip();
      writeFileSync(
        join(app, 'hooks.mjs'),
        `let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  port.postMessage(r.url);
  return r;
}
`,
      );
      writeFileSync(
        join(app, 'light.mjs'),
        `import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (u) => urls.push(u));
register('./hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });
const api = await import('nianbao');
await new Promise((r) => setTimeout(r, 200));
port1.close();
console.log(JSON.stringify({ names: Object.keys(api).sort(), urls }));
`,
      );
      const r = await sh('node', ['light.mjs'], app, MINUTES);
      expect(r.code, r.stderr).toBe(0);
      const { names, urls } = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { names: string[]; urls: string[] };
      for (const n of ['parse', 'check', 'render', 'deadlines', 'renderFormats', 'reportFromJson', 'openDatabase', 'ReadError']) {
        expect(names).toContain(n);
      }
      expect(urls.some((u) => u.includes('/nianbao/dist/index.js'))).toBe(true);
      const heavy = urls.filter((u) =>
        /\/node_modules\/(pdfjs-dist|better-sqlite3|pg|kysely|hono|@hono|exceljs|docx|pdfmake|word-extractor|parse5|saxes)\/|\/nianbao\/dist\/(server|store|pool|cli)\//.test(
          u,
        ),
      );
      expect(heavy).toEqual([]);
    },
    MINUTES,
  );

  it(
    'its type declarations resolve through "exports" (TypeScript, NodeNext)',
    async (ctx) => {
      if (skipReason) return ctx.skip();
      const dir = join(app, 'ts');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'use.ts'),
        `import { check, type Diagnostic, deadlines, parse, type RenderFormat, type Report, render, renderFormats } from 'nianbao';
import { createApp, startServer } from 'nianbao/server';
const report: Report = await parse('huaian-hongze-2024.pdf');
const diagnostics: Diagnostic[] = check(report, { previous: null });
const format: RenderFormat = renderFormats[0];
const bytes: Uint8Array = await render(report, format, { blankAs: 'blank' });
const due: string = deadlines('2025-01-20', { counting: 'same-day' }).replyDue;
const provisional: boolean = deadlines('2030-01-02').provisional.replyDue;
export const used = [diagnostics.length, bytes.length, due, provisional, typeof createApp, typeof startServer];
// @ts-expect-error not a format
await render(report, 'odt');
`,
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: ['node'],
            typeRoots: [join(ROOT, 'node_modules', '@types')],
          },
          files: ['use.ts'],
        }),
      );
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const r = await sh('node', [tsc, '-p', join(dir, 'tsconfig.json')], dir, 2 * MINUTES);
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    },
    3 * MINUTES,
  );

  it(
    '`npx nianbao serve` from there serves the API, the web app and checks an upload',
    async (ctx) => {
      if (skipReason) return ctx.skip();
      const child = spawn('npx', ['--no', 'nianbao', 'serve', '--port', '0', '--db', join(tmp, 'x.db'), '--quiet'], {
        cwd: app,
        env: cleanEnv({ NIANBAO_ADMIN_PASSWORD: 'package-test-1' }),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server = child;
      let stdout = '';
      let stderr = '';
      child.stderr?.on('data', (b: Buffer) => {
        stderr += b.toString();
      });
      const url = await new Promise<string>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no URL from nianbao serve in 60 s:\n${stdout}\n${stderr}`)), 60_000);
        child.stdout?.on('data', (b: Buffer) => {
          stdout += b.toString();
          const m = /http:\/\/[^\s/]+/.exec(stdout);
          if (m) {
            clearTimeout(timer);
            done(m[0]);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          fail(new Error(`nianbao serve ended (${code}):\n${stdout}\n${stderr}`));
        });
      });

      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true });

      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const index = readFileSync(join(app, 'node_modules', 'nianbao', 'dist', 'web', 'index.html'), 'utf8');
      expect(await page.text()).toBe(index);
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
      expect(script).toBeTruthy();
      const asset = await fetch(`${url}${script}`);
      expect(asset.status).toBe(200);
      await asset.arrayBuffer();

      // an upload checked on the worker pool, from the built files (no tsx)
      const login = await fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'package-test-1' }),
      });
      expect(login.status).toBe(200);
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      const form = new FormData();
      form.set('file', new Blob([readFileSync(EXAMPLE)], { type: 'application/pdf' }), 'huaian-hongze-2024.pdf');
      const checked = await fetch(`${url}/api/check`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken }, body: form });
      expect(checked.status).toBe(200);
      const body = (await checked.json()) as { report: { agency: string; year: number }; diagnostics: unknown[] };
      expect(body.report).toMatchObject({ agency: '淮安市洪泽区人民政府', year: 2024 });
      expect(body.diagnostics.length).toBe(check(await parse(EXAMPLE)).length);

      expect(await stopServer()).toBe(true);
    },
    3 * MINUTES,
  );

  it(
    '`npm ci --omit=dev` in a clone succeeds without TypeScript and Vite, saying the build was skipped',
    async (ctx) => {
      if (skipReason) return ctx.skip();
      const clone = join(tmp, 'clone');
      npmFolder(clone, await localPrebuilds());
      for (const f of ['package.json', 'package-lock.json', 'scripts/prepare.mjs', 'src'])
        cpSync(join(ROOT, f), join(clone, f), { recursive: true });
      const t0 = performance.now();
      const r = await sh('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], clone);
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      console.log(`npm ci --omit=dev in a clone: ${seconds(t0)}`);
      expect(`${r.stdout}\n${r.stderr}`).toMatch(/dev dependencies omitted/);
      expect(existsSync(join(clone, 'node_modules', 'typescript'))).toBe(false);
      expect(existsSync(join(clone, 'node_modules', 'better-sqlite3'))).toBe(true);
    },
    10 * MINUTES,
  );
});
