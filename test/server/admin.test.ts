/**
 * Administration: an admin edits a user (name, role, agency), disables and enables them (a disabled
 * user cannot log in and their sessions end), sets a new password (their sessions end), and renames
 * and moves agencies (never under themselves). Only admins, only in scope, audited. SQLite always,
 * PostgreSQL when NIANBAO_TEST_PG is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appAuditTrail, createUser, LastAdminError, updateUser } from '../../src/store/app.js';
import { BACKENDS } from '../helpers/db.js';
import { Client, type Fixture, fixture, login, PASSWORD } from './helpers.js';

describe.each(BACKENDS)('administration on %s', (backend) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture(backend);
  });
  afterAll(async () => {
    await f?.cleanup();
  });

  const idOf = async (username: string) =>
    Number((await f.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id);
  const sessionsOf = async (id: number) => (await f.db.selectFrom('sessions').select('id').where('user_id', '=', id).execute()).length;
  const tryLogin = (username: string, password: string) =>
    new Client(f.app, null, null).post('/api/login', { username, password }).then((r) => r.status);

  describe('users', () => {
    it('the list says whether each user may log in', async () => {
      const admin = await f.client('admin');
      const list = await admin.get('/api/users');
      expect(list.status).toBe(200);
      const clerk = list.body.users.find((u: { username: string }) => u.username === 'clerk');
      expect(clerk).toEqual({
        id: expect.any(Number),
        username: 'clerk',
        name: 'clerk',
        role: 'clerk',
        agencyId: f.agencies.county.id,
        disabled: false,
        createdAt: expect.any(String),
      });
      expect(JSON.stringify(list.body)).not.toMatch(/scrypt|password/i);
    });

    it('an admin changes a user’s name, role and agency; audited with before and after', async () => {
      const admin = await f.client('admin');
      const id = await idOf('readonly');
      const r = await admin.patch(`/api/users/${id}`, { name: '王五', role: 'reviewer', agencyId: f.agencies.city.id });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.user).toMatchObject({
        id,
        username: 'readonly',
        name: '王五',
        role: 'reviewer',
        agencyId: f.agencies.city.id,
        disabled: false,
      });
      // the user's session takes the new role and scope at once
      const u = await login(f.app, 'readonly');
      expect((await u.get('/api/me')).body.user).toMatchObject({ role: 'reviewer', agencyId: f.agencies.city.id });
      expect(((await u.get('/api/agencies')).body.agencies as unknown[]).length).toBe(4);
      const audit = await appAuditTrail(f.db, { entity: `user:${id}`, action: 'user:update' });
      expect(audit).toEqual([
        expect.objectContaining({
          who: 'admin',
          before: expect.objectContaining({ name: 'readonly', role: 'readonly', agencyId: f.agencies.county.id }),
          after: expect.objectContaining({ name: '王五', role: 'reviewer', agencyId: f.agencies.city.id }),
        }),
      ]);
      // back as it was
      expect((await admin.patch(`/api/users/${id}`, { name: 'readonly', role: 'readonly', agencyId: f.agencies.county.id })).status).toBe(
        200,
      );
    });

    it('validated as at creation: nothing to change, an unknown role, an empty name and a user without agency are 400', async () => {
      const admin = await f.client('admin');
      const id = await idOf('clerk2');
      expect((await admin.patch(`/api/users/${id}`, {})).status).toBe(400);
      expect((await admin.patch(`/api/users/${id}`, { role: 'root' })).status).toBe(400);
      expect((await admin.patch(`/api/users/${id}`, { name: '  ' })).status).toBe(400);
      const noAgency = await admin.patch(`/api/users/${id}`, { agencyId: null });
      expect(noAgency.status).toBe(400);
      expect(noAgency.body.error.code).toBe('agency-required');
      expect((await admin.patch('/api/users/999999', { name: 'x' })).status).toBe(404);
    });

    it('only admins, only in scope: other roles 403, another city’s admin 404', async () => {
      const id = await idOf('clerk2');
      for (const u of ['clerk', 'reviewer', 'readonly']) {
        const c = await f.client(u);
        expect((await c.patch(`/api/users/${id}`, { name: 'x' })).status, u).toBe(403);
        expect((await c.post(`/api/users/${id}/password`, { password: 'long-enough-1' })).status, u).toBe(403);
      }
      const admin = await f.client('admin');
      await createUser(
        f.db,
        { username: 'adminB', name: '乙市管理员', password: PASSWORD, role: 'admin', agencyId: f.agencies.cityB.id },
        'test',
      );
      const adminB = await login(f.app, 'adminB');
      expect((await adminB.patch(`/api/users/${id}`, { name: 'x' })).status).toBe(404);
      expect((await adminB.post(`/api/users/${id}/password`, { password: 'long-enough-1' })).status).toBe(404);
      // nor move a user of 乙市 into 甲市, nor to no agency
      const reviewerB = await idOf('reviewerB');
      expect((await adminB.patch(`/api/users/${reviewerB}`, { agencyId: f.agencies.county.id })).status).toBe(404);
      expect((await adminB.patch(`/api/users/${reviewerB}`, { role: 'admin', agencyId: null })).status).toBe(403);
      // the province's admin above them may
      expect((await admin.patch(`/api/users/${reviewerB}`, { name: '乙市审核人' })).status).toBe(200);
      // an admin without agency is managed only by one
      const top = await createUser(f.db, { username: 'root', name: '总管理员', password: PASSWORD, role: 'admin', agencyId: null }, 'test');
      expect((await admin.patch(`/api/users/${top.id}`, { name: 'x' })).status).toBe(404);
      const root = await login(f.app, 'root');
      expect((await root.patch(`/api/users/${await idOf('admin')}`, { name: '省管理员' })).status).toBe(200);
    });

    it('disabling ends the user’s sessions and refuses their logins; enabling lets them in again', async () => {
      const admin = await f.client('admin');
      const id = await idOf('clerk2');
      const c = await login(f.app, 'clerk2');
      expect((await c.get('/api/me')).status).toBe(200);
      const off = await admin.patch(`/api/users/${id}`, { disabled: true });
      expect(off.status).toBe(200);
      expect(off.body.user.disabled).toBe(true);
      expect(await sessionsOf(id)).toBe(0);
      expect((await c.get('/api/me')).status).toBe(401);
      expect(await tryLogin('clerk2', PASSWORD)).toBe(401);
      expect((await admin.get('/api/users')).body.users.find((u: { id: number }) => u.id === id).disabled).toBe(true);
      const on = await admin.patch(`/api/users/${id}`, { disabled: false });
      expect(on.body.user.disabled).toBe(false);
      expect(await tryLogin('clerk2', PASSWORD)).toBe(200);
      expect((await appAuditTrail(f.db, { entity: `user:${id}` })).map((a) => a.action).filter((a) => a.startsWith('user:'))).toEqual([
        'user:create',
        'user:disable',
        'user:enable',
      ]);
    });

    it('an admin cannot disable themselves nor change their own role or agency (409 own-account); their name they may', async () => {
      const admin = await f.client('admin');
      const id = await idOf('admin');
      for (const body of [{ disabled: true }, { role: 'clerk' }, { agencyId: f.agencies.city.id }]) {
        const r = await admin.patch(`/api/users/${id}`, body);
        expect(r.status, JSON.stringify(body)).toBe(409);
        expect(r.body.error.code).toBe('own-account');
        expect(r.body.error.message).toMatch(/自己/);
      }
      expect((await admin.patch(`/api/users/${id}`, { name: '省级管理员' })).status).toBe(200);
      expect((await admin.get('/api/me')).body.user.role).toBe('admin');
    });

    it('the last enabled admin is never disabled nor demoted', async () => {
      // the store refuses it whoever asks
      const admins = await f.db.selectFrom('users').select('id').where('role', '=', 'admin').orderBy('id').execute();
      for (const a of admins.slice(1)) await updateUser(f.db, a.id, { disabled: true }, 'test');
      await expect(updateUser(f.db, admins[0].id, { disabled: true }, 'test')).rejects.toBeInstanceOf(LastAdminError);
      await expect(updateUser(f.db, admins[0].id, { role: 'reviewer' }, 'test')).rejects.toBeInstanceOf(LastAdminError);
      for (const a of admins.slice(1)) await updateUser(f.db, a.id, { disabled: false }, 'test');
      // two admins demoting each other at once: one of them stays
      await createUser(
        f.db,
        { username: 'admin2', name: '管理员二', password: PASSWORD, role: 'admin', agencyId: f.agencies.province.id },
        'test',
      );
      const adminId = await idOf('admin');
      for (const a of admins) if (a.id !== adminId) await updateUser(f.db, a.id, { disabled: true }, 'test');
      const [one, two] = [await login(f.app, 'admin'), await login(f.app, 'admin2')];
      const enabledAdmins = async () =>
        (await f.db.selectFrom('users').select('username').where('role', '=', 'admin').where('disabled', '=', 0).execute()).map(
          (u) => u.username,
        );
      expect((await enabledAdmins()).sort()).toEqual(['admin', 'admin2']);
      const results = await Promise.all([
        one.patch(`/api/users/${await idOf('admin2')}`, { role: 'clerk' }),
        two.patch(`/api/users/${await idOf('admin')}`, { role: 'clerk' }),
      ]);
      expect(results.map((r) => r.status).filter((s) => s === 200)).toHaveLength(1);
      const refused = results.find((r) => r.status !== 200)!;
      expect([403, 409]).toContain(refused.status);
      if (refused.status === 409) expect(refused.body.error.code).toBe('last-admin');
      expect(await enabledAdmins()).toHaveLength(1);
      // everyone back
      for (const a of admins) await updateUser(f.db, a.id, { disabled: false, role: 'admin' }, 'test');
      await updateUser(f.db, await idOf('admin2'), { role: 'admin' }, 'test');
    });

    it('a new password: validated as at creation, the old one stops working, the user’s sessions end; audited without any hash', async () => {
      // (the test above ended the sessions of the admins it disabled)
      const admin = await login(f.app, 'admin');
      const id = await idOf('clerk');
      const c = await login(f.app, 'clerk');
      const short = await admin.post(`/api/users/${id}/password`, { password: 'short' });
      expect(short.status).toBe(400);
      expect(short.body.error.details.issues[0].path).toEqual(['password']);
      const r = await admin.post(`/api/users/${id}/password`, { password: 'a-new-password' });
      expect(r.status).toBe(200);
      expect(r.body.sessionsEnded).toBeGreaterThanOrEqual(1);
      expect(await sessionsOf(id)).toBe(0);
      expect((await c.get('/api/me')).status).toBe(401);
      expect(await tryLogin('clerk', PASSWORD)).toBe(401);
      expect(await tryLogin('clerk', 'a-new-password')).toBe(200);
      const audit = await appAuditTrail(f.db, { entity: `user:${id}`, action: 'user:password' });
      expect(audit).toEqual([
        expect.objectContaining({ who: 'admin', before: null, after: expect.objectContaining({ passwordReset: true }) }),
      ]);
      expect(JSON.stringify(audit)).not.toMatch(/scrypt|a-new-password/);
      // the fixture's password again
      expect((await admin.post(`/api/users/${id}/password`, { password: PASSWORD })).status).toBe(200);
      // an admin setting their own keeps the session they are using (and only that one)
      const own = await login(f.app, 'admin');
      const other = await login(f.app, 'admin');
      expect((await own.post(`/api/users/${await idOf('admin')}/password`, { password: PASSWORD })).status).toBe(200);
      expect((await own.get('/api/me')).status).toBe(200);
      expect((await other.get('/api/me')).status).toBe(401);
    });
  });

  describe('agencies', () => {
    it('an admin renames an agency: the old name is kept as a former name; audited', async () => {
      const admin = await login(f.app, 'admin');
      const r = await admin.patch(`/api/agencies/${f.agencies.dept.id}`, { name: '甲市一区教育和体育局' });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.agency).toEqual({
        id: f.agencies.dept.id,
        name: '甲市一区教育和体育局',
        parentId: f.agencies.county.id,
        level: 'department',
      });
      const row = await f.db.selectFrom('agencies').select('aliases').where('id', '=', f.agencies.dept.id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.aliases)).toEqual([{ name: '甲市一区教育局', kind: 'former', until: null }]);
      expect(await appAuditTrail(f.db, { entity: `agency:${f.agencies.dept.id}`, action: 'agency:update' })).toEqual([
        expect.objectContaining({ who: 'admin', before: expect.objectContaining({ name: '甲市一区教育局' }), after: r.body.agency }),
      ]);
      const names = ((await admin.get('/api/agencies')).body.agencies as { name: string }[]).map((a) => a.name);
      expect(names).toContain('甲市一区教育和体育局');
      expect(names).not.toContain('甲市一区教育局');
    });

    it('an admin moves an agency: the scopes follow; a move under itself or an agency under it is 409 agency-cycle', async () => {
      const admin = await login(f.app, 'admin');
      const a = f.agencies;
      const moved = await admin.patch(`/api/agencies/${a.county2.id}`, { parentId: a.cityB.id });
      expect(moved.status).toBe(200);
      expect(moved.body.agency.parentId).toBe(a.cityB.id);
      const ids = async (u: string) =>
        ((await (await login(f.app, u)).get('/api/agencies')).body.agencies as { id: number }[]).map((x) => x.id).sort();
      expect(await ids('reviewerB')).toEqual([a.cityB.id, a.county2.id].sort());
      expect(await ids('reviewer')).not.toContain(a.county2.id);
      for (const parentId of [a.city.id, a.county.id, a.dept.id]) {
        const r = await admin.patch(`/api/agencies/${a.city.id}`, { parentId });
        expect(r.status, String(parentId)).toBe(409);
        expect(r.body.error.code).toBe('agency-cycle');
        expect(r.body.error.message).toMatch(/下级/);
      }
      expect((await admin.patch(`/api/agencies/${a.county2.id}`, { parentId: a.city.id })).status).toBe(200);
      expect(await ids('reviewer')).toContain(a.county2.id);
    });

    it('only admins, only in scope; the top level only for an admin above every agency; nothing to change is 400', async () => {
      const a = f.agencies;
      for (const u of ['clerk', 'reviewer', 'readonly']) {
        expect((await (await login(f.app, u)).patch(`/api/agencies/${a.county.id}`, { name: 'x' })).status, u).toBe(403);
      }
      const adminB = await login(f.app, 'adminB');
      expect((await adminB.patch(`/api/agencies/${a.county.id}`, { name: 'x' })).status).toBe(404);
      // into another admin's part of the tree: 404; its own agency: not moved
      expect((await adminB.patch(`/api/agencies/${a.cityB.id}`, { parentId: a.city.id })).status).toBe(404);
      expect((await adminB.patch(`/api/agencies/${a.cityB.id}`, { name: '乙市人民政府' })).status).toBe(200);
      const admin = await login(f.app, 'admin');
      expect((await admin.patch(`/api/agencies/${a.cityB.id}`, { parentId: null })).status).toBe(403);
      expect((await admin.patch(`/api/agencies/${a.cityB.id}`, {})).status).toBe(400);
      expect((await admin.patch(`/api/agencies/${a.cityB.id}`, { name: '' })).status).toBe(400);
      expect((await admin.patch('/api/agencies/999999', { name: 'x' })).status).toBe(404);
      const root = await login(f.app, 'root');
      const top = await root.patch(`/api/agencies/${a.cityB.id}`, { parentId: null });
      expect(top.status).toBe(200);
      expect(top.body.agency.parentId).toBeNull();
      expect((await root.patch(`/api/agencies/${a.cityB.id}`, { parentId: a.province.id })).status).toBe(200);
    });
  });
});
