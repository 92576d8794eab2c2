/**
 * The web app's files (hono's serveStatic, in src/server/app.ts) and the SPA fallback: app URLs with a dot,
 * missing assets, caching and ETags; the security headers (hono's secureHeaders) and the request log (hono's logger).
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP, createApp } from '../../src/server/app.js';
import { type Fixture, fixture } from './helpers.js';

let f: Fixture;
let dir: string;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  f = await fixture();
  dir = mkdtempSync(join(tmpdir(), 'nianbao-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  writeFileSync(join(dir, 'assets', 'big-def456.js'), `${'console.log("年度报告");\n'.repeat(500)}`);
  writeFileSync(join(dir, '.env'), 'SECRET=1');
  app = createApp({ db: f.db, quiet: true, webRoot: dir });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await f.cleanup();
});

const NAVIGATION = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('SPA fallback', () => {
  it('an app URL with a dot is the app on reload (a case id such as 2025.001)', async () => {
    for (const p of ['/cases/2025.001', '/cases/2025.001?agencyId=3', '/library/v1.2', '/cases/%E4%BE%9D.2025.7', '/a.b.c/d.e']) {
      for (const headers of [NAVIGATION, {}]) {
        const r = await app.request(p, { headers });
        expect(r.status, p).toBe(200);
        expect(r.headers.get('content-type')).toMatch(/^text\/html/);
        expect(await r.text()).toMatch(/id="root"/);
      }
    }
    expect((await app.request('/cases/2025.001', { method: 'HEAD' })).status).toBe(200);
  });

  it('a missing asset stays a 404: anything under /assets/, and a file of an asset type that a page loads', async () => {
    for (const p of ['/assets/missing-1.js', '/assets/index-zzz.css', '/assets/2025.001', '/main.js', '/cases/logo.png', '/robots.txt']) {
      const r = await app.request(p);
      expect(r.status, p).toBe(404);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('not-found');
    }
    // under /assets/ even when a browser navigates there
    expect((await app.request('/assets/missing-1.js', { headers: NAVIGATION })).status).toBe(404);
    // a navigation elsewhere is the app (a case id that happens to end like a file)
    expect((await app.request('/cases/2025.png', { headers: NAVIGATION })).status).toBe(200);
  });

  it('existing files are still served, and the API is never the app', async () => {
    const js = await app.request('/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await app.request('/favicon.svg')).headers.get('content-type')).toBe('image/svg+xml');
    expect((await app.request('/api/nothing.001')).headers.get('content-type')).toMatch(/json/);
    expect((await app.request('/api/nothing.001')).status).toBe(401);
  });
});

describe('caching', () => {
  it('hashed assets are cached for a year; other files and the app revalidate by ETag', async () => {
    const js = await app.request('/assets/index-abc123.js');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('etag')).toMatch(/^"[0-9a-f]+"$/);
    for (const p of ['/favicon.svg', '/', '/index.html', '/cases/2025.001']) {
      const r = await app.request(p);
      expect(r.status, p).toBe(200);
      expect(r.headers.get('cache-control'), p).toBe('no-cache');
      const tag = r.headers.get('etag');
      expect(tag, p).toMatch(/^"[0-9a-f]+"$/);
      const again = await app.request(p, { headers: { 'if-none-match': tag! } });
      expect(again.status, p).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('cache-control'), p).toBe('no-cache');
    }
    // the app's paths all answer index.html: one ETag
    expect((await app.request('/')).headers.get('etag')).toBe((await app.request('/reports/12')).headers.get('etag'));
    // a changed file gets a new one
    const before = (await app.request('/favicon.svg')).headers.get('etag');
    writeFileSync(join(dir, 'favicon.svg'), '<svg viewBox="0 0 1 1"/>');
    utimesSync(join(dir, 'favicon.svg'), new Date(), new Date(Date.now() + 5000));
    const after = await app.request('/favicon.svg', { headers: { 'if-none-match': before! } });
    expect(after.status).toBe(200);
    expect(await after.text()).toBe('<svg viewBox="0 0 1 1"/>');
  });

  it('a large file is compressed, its ETag that of its content (weak)', async () => {
    const plain = await app.request('/assets/big-def456.js');
    const gz = await app.request('/assets/big-def456.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    // (weak once compressed: the same content, other bytes)
    expect(gz.headers.get('etag')).toBe(`W/${plain.headers.get('etag')}`);
    expect(
      (await app.request('/assets/big-def456.js', { headers: { 'accept-encoding': 'gzip', 'if-none-match': plain.headers.get('etag')! } }))
        .status,
    ).toBe(304);
    // a small answer of the API is never compressed
    expect((await app.request('/api/health', { headers: { 'accept-encoding': 'gzip' } })).headers.get('content-encoding')).toBeNull();
  });

  it('no dot files, nothing outside the root', async () => {
    for (const p of ['/.env', '/assets/../.env', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%2e%2e/index.html']) {
      const r = await app.request(p);
      expect(await r.text(), p).not.toContain('SECRET');
    }
    expect((await app.request('/.env', { headers: NAVIGATION })).status).toBe(200); // the app, not the file
  });
});

describe('headers', () => {
  it('every answer has the security headers (and only ours), the API no-store', async () => {
    for (const p of ['/api/health', '/api/nothing', '/', '/assets/index-abc123.js', '/assets/missing.js', '/openapi.json']) {
      const r = await app.request(p);
      const h = r.headers;
      expect(h.get('content-security-policy'), p).toBe(CSP);
      expect(h.get('x-content-type-options'), p).toBe('nosniff');
      expect(h.get('referrer-policy'), p).toBe('same-origin');
      expect(h.get('x-frame-options'), p).toBe('DENY');
      expect(h.get('cross-origin-opener-policy'), p).toBe('same-origin');
      expect(h.get('permissions-policy'), p).toBe('camera=(), microphone=(), geolocation=()');
      for (const other of [
        'strict-transport-security',
        'cross-origin-resource-policy',
        'origin-agent-cluster',
        'x-xss-protection',
        'x-download-options',
      ]) {
        expect(h.get(other), `${p} ${other}`).toBeNull();
      }
      if (p.startsWith('/api/')) expect(h.get('cache-control'), p).toBe('no-store');
    }
    expect(CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
  });
});

describe('without a build', () => {
  it('the app paths explain that the web app is not built, until it is', async () => {
    const root = join(dir, 'later');
    const late = createApp({ db: f.db, quiet: true, webRoot: root });
    const page = await late.request('/');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/网页界面尚未构建/);
    expect((await late.request('/cases/2025.001')).status).toBe(200);
    expect((await late.request('/assets/index-abc123.js')).status).toBe(404);
    mkdirSync(root);
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    expect(await (await late.request('/')).text()).toMatch(/id="root"/);
  });
});

describe('the request log', () => {
  it('one line per request (method, path, status, time) to opts.log; nothing when quiet', async () => {
    const lines: string[] = [];
    const logged = createApp({ db: f.db, webRoot: dir, log: (l) => lines.push(l) });
    await logged.request('/api/health');
    await logged.request('/assets/missing.js');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^--> GET \/api\/health 200 \d+m?s$/);
    expect(lines[1]).toMatch(/^--> GET \/assets\/missing\.js 404 \d+m?s$/);
    const quiet: string[] = [];
    await createApp({ db: f.db, webRoot: dir, quiet: true, log: (l) => quiet.push(l) }).request('/api/health');
    expect(quiet).toEqual([]);
  });
});
