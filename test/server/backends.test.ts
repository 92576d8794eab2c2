/**
 * The portable parts of the server on every backend: SQLite always, PostgreSQL when NIANBAO_TEST_PG
 * holds a server URL (each run gets its own database).
 */
import { describe, expect, it } from 'vitest';
import { appAuditTrail } from '../../src/store/app.js';
import { BACKENDS } from '../helpers/db.js';
import { fixture, newCaseBody, seedText } from './helpers.js';

describe.each(BACKENDS)('server on %s', (backend) => {
  it('sessions, users, reports, register, compile and statistics', async () => {
    const f = await fixture(backend, { now: () => new Date('2025-03-10T02:00:00Z') });
    try {
      const clerk = await f.client('clerk');
      expect((await clerk.get('/api/me')).body.user.username).toBe('clerk');
      expect((await clerk.post('/api/logout', undefined, { 'x-csrf-token': 'wrong' })).status).toBe(403);

      const admin = await f.client('admin');
      const u = await admin.post('/api/users', {
        username: 'pguser',
        name: 'x',
        password: 'long-enough',
        role: 'readonly',
        agencyId: f.agencies.county.id,
      });
      expect(u.status).toBe(201);
      expect(
        (
          await admin.post('/api/users', {
            username: 'pguser',
            name: 'x',
            password: 'long-enough',
            role: 'readonly',
            agencyId: f.agencies.county.id,
          })
        ).status,
      ).toBe(409);

      const stored = await clerk.post('/api/reports', { text: seedText('001_bafcd2ea084bb138.txt'), filename: 'seed.txt' });
      expect(stored.status).toBe(201);
      const got = await clerk.get(`/api/reports/${stored.body.id}`);
      expect(got.body.report).toEqual(stored.body.report);
      expect(got.body.source.lines).toEqual(stored.body.source.lines);
      const original = await clerk.get(`/api/reports/${stored.body.id}/original`);
      expect(new TextDecoder().decode(original.bytes)).toBe(seedText('001_bafcd2ea084bb138.txt'));
      expect((await clerk.get('/api/reports?year=2021')).body.reports).toHaveLength(1);
      expect((await (await f.client('clerk2')).get(`/api/reports/${stored.body.id}`)).status).toBe(404);
      const stats = (await (await f.client('reviewer')).get('/api/library/stats')).body;
      expect(stats.trend).toEqual([
        expect.objectContaining({ year: 2021, reports: 1, newApplications: stored.body.report.applications.newReceived.total }),
      ]);

      expect((await clerk.post('/api/cases', newCaseBody('2025-001', '2025-01-20'))).status).toBe(201);
      expect((await clerk.post('/api/cases', newCaseBody('2025-001', '2025-01-20'))).status).toBe(409);
      expect((await clerk.post('/api/cases/2025-001/events', { type: 'reply', on: '2025-02-10', outcome: 'partlyGranted' })).status).toBe(
        200,
      );
      const refused = await clerk.post('/api/cases/2025-001/events', { type: 'withdrawal', on: '2025-02-11' });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('closed');
      expect((await clerk.get('/api/cases?status=closed')).body.cases.map((c: { id: string }) => c.id)).toEqual(['2025-001']);

      const put = await clerk.put('/api/compile/2025', { draft: { proactive: { licensing: { decisions: 7 } } } });
      expect(put.status).toBe(200);
      const compiled = await clerk.get('/api/compile/2025');
      expect(compiled.body.report.applications.partlyGranted.total).toBe(1);
      expect(compiled.body.report.proactive.licensing.decisions).toBe(7);
      await clerk.put('/api/compile/2025', { draft: { proactive: { licensing: { decisions: 8 } } } });
      const audit = await appAuditTrail(f.db, { action: 'draft:save' });
      expect(audit.map((a) => [a.before, a.after])).toEqual([
        [null, { proactive: { licensing: { decisions: 7 } } }],
        [{ proactive: { licensing: { decisions: 7 } } }, { proactive: { licensing: { decisions: 8 } } }],
      ]);
      expect((await admin.delete(`/api/reports/${stored.body.id}`)).status).toBe(204);
    } finally {
      await f.cleanup();
    }
  });
});
