import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { appAuditTrail } from '../../src/store/app.js';
import { Client, type Fixture, fixture, login, PASSWORD } from './helpers.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});
afterAll(async () => {
  await f.cleanup();
});

const anon = () => new Client(f.app, null, null);

describe('session', () => {
  it('health and openapi need no login; the API does', async () => {
    const h = await anon().get('/api/health');
    expect(h.status).toBe(200);
    expect(h.body).toEqual({ ok: true, version: expect.any(String) });
    expect((await anon().get('/openapi.json')).status).toBe(200);
    const me = await anon().get('/api/me');
    expect(me.status).toBe(401);
    expect(me.body.error).toMatchObject({ code: 'unauthenticated', message: expect.stringMatching(/登录/), messageEn: expect.any(String) });
    expect((await anon().get('/api/reports')).status).toBe(401);
  });

  it('login sets an HttpOnly SameSite=Lax cookie; me returns the user, agency and CSRF token; logout ends the session', async () => {
    const res = await f.app.request('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'clerk', password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^nb_session=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    const body = (await res.json()) as { user: unknown; csrfToken: string; agency: { name: string } };
    expect(body.user).toEqual({ id: expect.any(Number), username: 'clerk', name: 'clerk', role: 'clerk', agencyId: f.agencies.county.id });
    expect(body.agency.name).toBe('甲市一区人民政府');
    const c = new Client(f.app, cookie.split(';')[0], body.csrfToken);
    const me = await c.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { username: 'clerk' }, agency: { id: f.agencies.county.id }, csrfToken: body.csrfToken });
    // the token is stored hashed
    const rows = await f.db.selectFrom('sessions').select('id').execute();
    expect(rows.some((r) => cookie.includes(r.id))).toBe(false);
    const out = await c.post('/api/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/nb_session=;/);
    expect((await c.get('/api/me')).status).toBe(401);
  });

  it('wrong password and unknown user get the same 401', async () => {
    const wrong = await anon().post('/api/login', { username: 'clerk', password: 'nope-nope' });
    const unknown = await anon().post('/api/login', { username: 'nobody', password: 'nope-nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('bad-credentials');
    expect(wrong.body.error.message).toBe('用户名或密码错误。');
  });

  it('validation errors are 400 with zod issues and a Chinese message', async () => {
    const r = await anon().post('/api/login', { username: '' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bad-request');
    expect(r.body.error.message).toMatch(/^请求无效/);
    expect(r.body.error.messageEn).toMatch(/^Invalid request/);
    expect(r.body.error.details.issues.map((i: { path: string[] }) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['username', 'password']),
    );
    expect(r.body.error.details.issues[0]).toMatchObject({
      code: expect.any(String),
      message: expect.any(String),
      messageEn: expect.any(String),
    });
    const bad = await anon().post('/api/login', '{not json', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    const media = await anon().post('/api/login', 'username=a', { 'content-type': 'text/plain' });
    expect(media.status).toBe(415);
    expect(media.body.error.code).toBe('unsupported-media-type');
  });

  it('CSRF: a write without the header, or with a wrong one, is 403', async () => {
    const c = await login(f.app, 'clerk');
    const missing = await c.post('/api/check', { text: 'x' }, { 'x-csrf-token': '' });
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('csrf');
    const none = await new Client(f.app, c.cookie, null).post('/api/logout');
    expect(none.status).toBe(403);
    const wrong = await new Client(f.app, c.cookie, `${c.csrf}x`).post('/api/logout');
    expect(wrong.status).toBe(403);
    // another session's token is wrong too
    const other = await login(f.app, 'clerk');
    expect((await new Client(f.app, c.cookie, other.csrf).post('/api/logout')).status).toBe(403);
    expect((await c.get('/api/me')).status).toBe(200);
  });

  it('a session ends after 12 hours without a request', async () => {
    let now = Date.parse('2026-03-02T08:00:00Z');
    const app = createApp({ db: f.db, quiet: true, now: () => new Date(now) });
    const c = await login(app, 'clerk');
    now += 11 * 3600_000;
    expect((await c.get('/api/me')).status).toBe(200);
    // the request above moved the expiry forward
    now += 11 * 3600_000;
    expect((await c.get('/api/me')).status).toBe(200);
    now += 12 * 3600_000 + 1000;
    expect((await c.get('/api/me')).status).toBe(401);
  });

  it('Secure cookies under HTTPS or NIANBAO_SECURE_COOKIES=1', async () => {
    const https = await f.app.request('https://example.test/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'clerk', password: PASSWORD }),
    });
    expect(https.headers.get('set-cookie')).toMatch(/Secure/);
    const app = createApp({ db: f.db, quiet: true, secureCookies: true });
    const res = await app.request('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'clerk', password: PASSWORD }),
    });
    expect(res.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('too many failed logins of one user name → 429', async () => {
    const app = createApp({ db: f.db, quiet: true, limits: { loginAttempts: 3 } });
    const c = new Client(app, null, null);
    for (let i = 0; i < 3; i++) expect((await c.post('/api/login', { username: 'reviewerB', password: 'wrong-one' })).status).toBe(401);
    const r = await c.post('/api/login', { username: 'reviewerB', password: PASSWORD });
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('too-many-attempts');
  });

  it('logins and logouts are audited', async () => {
    const c = await login(f.app, 'clerk2');
    await c.post('/api/logout');
    const rows = await appAuditTrail(f.db, {
      entity: `user:${(await f.db.selectFrom('users').select('id').where('username', '=', 'clerk2').executeTakeFirstOrThrow()).id}`,
    });
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['login', 'logout']));
    expect(rows.filter((r) => r.action === 'login' || r.action === 'logout').every((r) => r.who === 'clerk2')).toBe(true);
  });
});

describe('agencies and users', () => {
  it('each role sees the agencies of its scope', async () => {
    const ids = async (u: string) =>
      ((await (await f.client(u)).get('/api/agencies')).body.agencies as { id: number }[]).map((a) => a.id).sort();
    const a = f.agencies;
    expect(await ids('admin')).toEqual([a.province.id, a.city.id, a.county.id, a.dept.id, a.county2.id, a.cityB.id].sort());
    expect(await ids('reviewer')).toEqual([a.city.id, a.county.id, a.dept.id, a.county2.id].sort());
    expect(await ids('reviewerB')).toEqual([a.cityB.id]);
    expect(await ids('clerk')).toEqual([a.county.id]);
    expect(await ids('readonly')).toEqual([a.county.id]);
  });

  it('admin lists and creates users; others are refused; out-of-scope agencies are 404; duplicates 409', async () => {
    const admin = await f.client('admin');
    const list = await admin.get('/api/users');
    expect(list.status).toBe(200);
    expect(list.body.users.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['admin', 'clerk', 'reviewerB']));
    expect(list.body.users[0]).not.toHaveProperty('passwordHash');
    const created = await admin.post('/api/users', {
      username: 'newclerk',
      name: '新经办人',
      password: 'long-enough',
      role: 'clerk',
      agencyId: f.agencies.dept.id,
    });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ username: 'newclerk', role: 'clerk', agencyId: f.agencies.dept.id });
    const c = await login(f.app, 'newclerk', 'long-enough');
    expect((await c.get('/api/me')).body.agency.id).toBe(f.agencies.dept.id);
    const dup = await admin.post('/api/users', {
      username: 'newclerk',
      name: 'x',
      password: 'long-enough',
      role: 'clerk',
      agencyId: f.agencies.dept.id,
    });
    expect(dup.status).toBe(409);
    const short = await admin.post('/api/users', {
      username: 'shorty',
      name: 'x',
      password: 'short',
      role: 'clerk',
      agencyId: f.agencies.dept.id,
    });
    expect(short.status).toBe(400);
    expect(short.body.error.details.issues[0].path).toEqual(['password']);
    for (const u of ['clerk', 'reviewer', 'readonly']) {
      const c2 = await f.client(u);
      expect((await c2.get('/api/users')).status).toBe(403);
      expect(
        (await c2.post('/api/users', { username: 'x1', name: 'x', password: 'long-enough', role: 'clerk', agencyId: f.agencies.county.id }))
          .status,
      ).toBe(403);
    }
    // an admin of 乙市 cannot create users in 甲市
    await admin.post('/api/users', {
      username: 'adminB',
      name: '乙市管理员',
      password: 'long-enough',
      role: 'admin',
      agencyId: f.agencies.cityB.id,
    });
    const adminB = await login(f.app, 'adminB', 'long-enough');
    const out = await adminB.post('/api/users', {
      username: 'x2',
      name: 'x',
      password: 'long-enough',
      role: 'clerk',
      agencyId: f.agencies.county.id,
    });
    expect(out.status).toBe(404);
    expect((await adminB.get('/api/users')).body.users.map((u: { username: string }) => u.username).sort()).toEqual([
      'adminB',
      'reviewerB',
    ]);
    const audit = await appAuditTrail(f.db, { action: 'user:create' });
    expect(audit.some((r) => r.who === 'admin' && (r.after as { username: string }).username === 'newclerk')).toBe(true);
  });

  it('admin creates agencies in scope', async () => {
    const admin = await f.client('admin');
    const r = await admin.post('/api/agencies', { name: '甲市一区某街道办事处', parentId: f.agencies.county.id, level: 'township' });
    expect(r.status).toBe(201);
    expect(r.body.agency).toMatchObject({ name: '甲市一区某街道办事处', parentId: f.agencies.county.id });
    expect(await appAuditTrail(f.db, { entity: `agency:${r.body.agency.id}` })).toEqual([
      expect.objectContaining({ who: 'admin', action: 'agency:create', before: null, after: r.body.agency }),
    ]);
    expect(
      (await (await f.client('reviewer')).post('/api/agencies', { name: 'x', parentId: f.agencies.city.id, level: 'township' })).status,
    ).toBe(403);
  });
});

describe('headers and static files', () => {
  it('security headers and no-store on the API', async () => {
    const r = await anon().get('/api/health');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('same-origin');
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('without a build, / says so in Chinese and the API still works; unknown API paths are JSON 404', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-web-'));
    try {
      const app = createApp({ db: f.db, quiet: true, webRoot: join(dir, 'missing') });
      const res = await app.request('/');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toMatch(/网页界面尚未构建/);
      expect((await app.request('/api/health')).status).toBe(200);
      const nf = await new Client(app, (await login(app, 'clerk')).cookie, null).get('/api/nothing');
      expect(nf.status).toBe(404);
      expect(nf.body.error.code).toBe('not-found');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves the build: hashed assets cached for a year, SPA fallback to index.html, no escape from the root', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-web-'));
    try {
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
      writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
      writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
      writeFileSync(join(dir, '..', 'secret.txt'), 'secret');
      const app = createApp({ db: f.db, quiet: true, webRoot: dir });
      const js = await app.request('/assets/index-abc123.js');
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(js.headers.get('cache-control')).toMatch(/immutable/);
      const etag = js.headers.get('etag')!;
      expect((await app.request('/assets/index-abc123.js', { headers: { 'if-none-match': etag } })).status).toBe(304);
      expect((await app.request('/favicon.svg')).headers.get('content-type')).toBe('image/svg+xml');
      for (const p of ['/', '/reports/12', '/register/cases/2025-001']) {
        const r = await app.request(p);
        expect(r.status).toBe(200);
        expect(r.headers.get('cache-control')).toBe('no-cache');
        expect(await r.text()).toMatch(/id="root"/);
      }
      expect((await app.request('/assets/missing-1.js')).status).toBe(404);
      expect((await app.request('/../secret.txt')).status).toBe(404);
      expect((await app.request('/%2e%2e/secret.txt')).status).toBe(404);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(join(dir, '..', 'secret.txt'), { force: true });
    }
  });
});
