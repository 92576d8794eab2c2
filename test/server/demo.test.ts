import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { DEMO_ACCOUNTS, demoCases, loadDemo } from '../../src/server/demo.js';
import { openAppDb } from '../../src/store/app.js';
import { BACKENDS, freshTarget } from '../helpers/db.js';
import { login } from './helpers.js';

const TODAY = '2026-11-20';

async function counts(db: Awaited<ReturnType<typeof openAppDb>>) {
  const n = async (t: 'agencies' | 'users' | 'reports' | 'drafts' | 'cases' | 'events' | 'app_audit') =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((e) => e.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    agencies: await n('agencies'),
    users: await n('users'),
    reports: await n('reports'),
    drafts: await n('drafts'),
    cases: await n('cases'),
    events: await n('events'),
    audit: await n('app_audit'),
  };
}

describe('demo cases', () => {
  it('two years of legal cases as they stood on the day, numbered per year, some overdue and some due soon', () => {
    const cases = demoCases(TODAY);
    expect(cases.length).toBeGreaterThan(200);
    expect(cases[0].id).toBe('2025-001');
    expect(cases.every((c) => c.events.every((e) => e.on <= TODAY))).toBe(true);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    expect(cases.some((c) => c.receivedOn.startsWith('2026'))).toBe(true);
    expect(cases.some((c) => c.state.proceedings.length > 0)).toBe(true);
    expect(demoCases(TODAY)).toEqual(cases);
  });
});

describe.each(BACKENDS)('demo data (%s)', (backend) => {
  it('loads once (idempotent) and gives every role something to see', async () => {
    const fresh = await freshTarget(backend);
    const db = await openAppDb(fresh.target);
    try {
      const first = await loadDemo(db, { today: TODAY });
      expect(first.loaded).toBe(true);
      expect(first.notes).toEqual([]);
      expect(first.reports).toBe(8);
      const after = await counts(db);
      expect(after).toMatchObject({ users: DEMO_ACCOUNTS.length, reports: 8, drafts: 1, cases: first.cases });
      const second = await loadDemo(db, { today: TODAY });
      expect(second.loaded).toBe(false);
      expect(await counts(db)).toEqual(after);

      const app = createApp({ db, quiet: true, now: () => new Date(`${TODAY}T02:00:00Z`) });
      const clerk = await login(app, 'clerk', 'clerk-demo');
      expect((await clerk.get('/api/cases?status=overdue')).body.cases.length).toBeGreaterThan(0);
      expect((await clerk.get('/api/cases?status=dueSoon')).body.cases.length).toBeGreaterThan(0);
      const compiled = await clerk.get('/api/compile/2025');
      expect(compiled.body.draft.proactive.licensing.decisions).toBe(1520);
      expect(compiled.body.report.applications.newReceived.total).toBeGreaterThan(100);
      const reviewer = await login(app, 'reviewer', 'reviewer-demo');
      const reports = (await reviewer.get('/api/reports')).body.reports;
      expect(reports).toHaveLength(8);
      // 洪泽区人民政府 2023 and 淮安市洪泽区人民政府 2024 are one agency
      const hongze = reports.filter((r: { fileName: string }) => r.fileName.startsWith('huaian-hongze'));
      expect(new Set(hongze.map((r: { agencyId: number }) => r.agencyId)).size).toBe(1);
      const overdue = (await reviewer.get('/api/cases?status=overdue')).body.cases;
      expect(overdue.length).toBeGreaterThan(0);
      expect(overdue.every((c: { agencyId: number }) => c.agencyId === overdue[0].agencyId)).toBe(true);
      const stats = (await reviewer.get('/api/library/stats')).body;
      expect(stats.years).toEqual([2021, 2023, 2024]);
      const clerk2 = await login(app, 'clerk2', 'clerk2-demo');
      expect((await clerk2.get('/api/cases')).body.cases).toEqual([]);
      expect((await clerk2.get('/api/reports')).body.reports).toEqual([]);
      const admin = await login(app, 'admin', 'admin-demo');
      expect((await admin.get('/api/users')).body.users).toHaveLength(DEMO_ACCOUNTS.length);
      const readonly = await login(app, 'readonly', 'readonly-demo');
      expect((await readonly.get('/api/cases')).body.cases.length).toBe(first.cases);
    } finally {
      await db.destroy();
      await fresh.cleanup();
    }
  });
});
