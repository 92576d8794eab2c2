/** The web app's files and the SPA fallback (src/server/static.ts): app URLs with a dot, missing assets. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
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
