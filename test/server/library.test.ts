/**
 * The report library (报告库): each report's own publisher beside the agency that filed it, the same
 * file refused twice for one agency (409 `duplicate` naming the stored report, unless
 * `allowDuplicate=1`), and the year-over-year figures per agency over every year of the range.
 * SQLite always, PostgreSQL when NIANBAO_TEST_PG is set.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appAuditTrail, backfillReports, insertReport } from '../../src/store/app.js';
import { BACKENDS } from '../helpers/db.js';
import { type Client, type Fixture, fixture, seedBytes, seedText } from './helpers.js';

function upload(name: string, bytes: Uint8Array, fields: Record<string, string> = {}): FormData {
  const fd = new FormData();
  fd.append('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

const SEED = '000_1dfa6bf3088a5125.txt';

describe.each(BACKENDS)('the report library on %s', (backend) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture(backend);
  });
  afterAll(async () => {
    await f?.cleanup();
  });

  const count = async () =>
    Number(
      (
        await f.db
          .selectFrom('reports')
          .select((e) => e.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('lists the publisher named in the report beside the agency that filed it', async () => {
    const clerk = await f.client('clerk');
    const stored = await clerk.post('/api/reports', upload(SEED, seedBytes(SEED)));
    expect(stored.status, JSON.stringify(stored.body)).toBe(201);
    const list = (await clerk.get('/api/reports')).body.reports;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: stored.body.id,
      agencyId: f.agencies.county.id,
      agencyName: '甲市一区人民政府',
      publisher: '三门峡市湖滨区前进街道办事处',
    });
    // the file's SHA-256 is kept with it
    const row = await f.db
      .selectFrom('reports')
      .select(['content_hash', 'publisher'])
      .where('id', '=', stored.body.id)
      .executeTakeFirstOrThrow();
    expect(row.content_hash).toBe(createHash('sha256').update(seedBytes(SEED)).digest('hex'));
  });

  it('refuses the same file twice for one agency with 409 duplicate naming the stored report; allowDuplicate=1 stores it', async () => {
    const clerk = await f.client('clerk');
    const first = (await clerk.get('/api/reports')).body.reports[0];
    const before = await count();
    const again = await clerk.post('/api/reports', upload('renamed.txt', seedBytes(SEED)));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('duplicate');
    expect(again.body.error.message).toContain(`编号 ${first.id}`);
    expect(again.body.error.message).toContain(SEED);
    expect(again.body.error.message).toMatch(/\d{4}-\d{2}-\d{2} 由 clerk 上传/);
    expect(again.body.error.message).toContain('仍然保存');
    expect(again.body.error.messageEn).toMatch(/already holds this file/);
    expect(again.body.error.details.report).toMatchObject({
      id: first.id,
      agencyId: f.agencies.county.id,
      year: 2021,
      fileName: SEED,
      uploadedBy: 'clerk',
      uploadedAt: first.uploadedAt,
    });
    expect(await count()).toBe(before);
    // pasted as text: the same bytes
    const pasted = await clerk.post('/api/reports', { text: seedText(SEED), filename: 'x.txt' });
    expect(pasted.status).toBe(409);
    // a reviewer filing it for the same agency is refused too
    const reviewer = await f.client('reviewer');
    const byReviewer = await reviewer.post('/api/reports', upload(SEED, seedBytes(SEED), { agencyId: String(f.agencies.county.id) }));
    expect(byReviewer.status).toBe(409);
    expect(await count()).toBe(before);
    // confirmed: stored again, as the next version
    const anyway = await clerk.post('/api/reports?allowDuplicate=1', upload(SEED, seedBytes(SEED)));
    expect(anyway.status, JSON.stringify(anyway.body)).toBe(201);
    expect(await count()).toBe(before + 1);
    const versions = await f.db
      .selectFrom('reports')
      .select('version')
      .where('agency_id', '=', f.agencies.county.id)
      .orderBy('id')
      .execute();
    expect(versions.map((v) => Number(v.version))).toEqual([1, 2]);
    // another agency may store the same file
    const other = await (await f.client('clerk2')).post('/api/reports', upload(SEED, seedBytes(SEED)));
    expect(other.status).toBe(201);
    await (await f.client('admin')).delete(`/api/reports/${anyway.body.id}`);
    await (await f.client('admin')).delete(`/api/reports/${other.body.id}`);
  });

  it('two uploads of one new file at once: one is stored, the other is 409 duplicate', async () => {
    const clerk2 = await f.client('clerk2');
    const name = '002_abb086b87d47b285.txt';
    const before = await count();
    const [a, b] = await Promise.all([
      clerk2.post('/api/reports', upload(name, seedBytes(name))),
      clerk2.post('/api/reports', upload(name, seedBytes(name))),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await count()).toBe(before + 1);
    const stored = a.status === 201 ? a : b;
    await (await f.client('admin')).delete(`/api/reports/${stored.body.id}`);
  });

  describe('the year-over-year figures', () => {
    let base: Record<string, unknown> & { applications: { newReceived: { total: number } } };
    const stored: number[] = [];
    const store = async (c: Client, year: number, newTotal: number, agencyId?: number) => {
      const report = structuredClone(base);
      report.year = year;
      report.provenance = undefined;
      report.applications.newReceived.total = newTotal;
      const r = await c.post('/api/reports', { report, ...(agencyId ? { agencyId } : {}) });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      stored.push(r.body.id);
      return r.body.id as number;
    };

    beforeAll(async () => {
      const admin = await f.client('admin');
      for (const id of (await admin.get('/api/reports')).body.reports.map((r: { id: number }) => r.id))
        await admin.delete(`/api/reports/${id}`);
      base = (await admin.post('/api/check', { text: seedText('004_65c3f6a324d2e98b.txt') })).body.report;
      const clerk = await f.client('clerk');
      const clerk2 = await f.client('clerk2');
      // 甲市一区: 2021 and 2023 (none in 2022), and a second version of 2023
      await store(clerk, 2021, 10);
      await store(clerk, 2023, 999);
      await store(clerk, 2023, 30);
      // 甲市二区: 2022 only
      await store(clerk2, 2022, 500);
    });
    afterAll(async () => {
      const admin = await f.client('admin');
      for (const id of stored) await admin.delete(`/api/reports/${id}`);
    });

    it('one agency: every year of the range on the axis, a year without a report a gap (null), the latest version counted', async () => {
      const stats = (await (await f.client('clerk')).get('/api/library/stats')).body;
      expect(stats.years).toEqual([2021, 2023]);
      expect(stats.range).toEqual([2021, 2022, 2023]);
      expect(stats.series).toEqual([
        {
          agencyId: f.agencies.county.id,
          agencyName: '甲市一区人民政府',
          points: [expect.objectContaining({ newApplications: 10 }), null, expect.objectContaining({ newApplications: 30 })],
        },
      ]);
      expect(stats.superseded).toBe(1);
      expect(
        stats.trend.map((t: { year: number; newApplications: number; reports: number }) => [t.year, t.newApplications, t.reports]),
      ).toEqual([
        [2021, 10, 1],
        [2023, 30, 1],
      ]);
    });

    it('several agencies: one series per agency, never a sum of different agencies from year to year', async () => {
      const stats = (await (await f.client('reviewer')).get('/api/library/stats')).body;
      expect(stats.range).toEqual([2021, 2022, 2023]);
      const byAgency = new Map(
        stats.series.map((s: { agencyId: number; points: ({ newApplications: number } | null)[] }) => [
          s.agencyId,
          s.points.map((p) => (p === null ? null : p.newApplications)),
        ]),
      );
      expect(byAgency).toEqual(
        new Map([
          [f.agencies.county.id, [10, null, 30]],
          [f.agencies.county2.id, [null, 500, null]],
        ]),
      );
      // the sums say how many agencies they add up
      expect(stats.trend.map((t: { year: number; agencies: number }) => [t.year, t.agencies])).toEqual([
        [2021, 1],
        [2022, 1],
        [2023, 1],
      ]);
      // one year: the range is that year
      const one = (await (await f.client('reviewer')).get('/api/library/stats?year=2022')).body;
      expect(one.range).toEqual([2022]);
      expect(one.series).toHaveLength(1);
      // nothing stored: empty
      const none = (await (await f.client('reviewerB')).get('/api/library/stats')).body;
      expect(none).toMatchObject({ years: [], range: [], series: [], trend: [], superseded: 0 });
    });
  });

  it('reports stored before the publisher and the hash were kept get them from the stored data', async () => {
    const bytes = seedBytes(SEED);
    const report = (await (await f.client('admin')).post('/api/check', { text: seedText(SEED) })).body.report;
    const id = await insertReport(
      f.db,
      {
        agencyId: f.agencies.cityB.id,
        year: report.year,
        format: report.format,
        fileName: SEED,
        kind: 'text',
        uploadedBy: 'test',
        original: bytes,
        report,
        diagnostics: [],
        source: null,
        figures: { applications: {}, reviews: 0, litigations: 0, rules: {} },
        errors: 0,
        warnings: 0,
        infos: 0,
      },
      'test',
    );
    await f.db.updateTable('reports').set({ publisher: null, content_hash: null }).where('id', '=', id).execute();
    expect(await backfillReports(f.db)).toBeGreaterThanOrEqual(1);
    const row = await f.db.selectFrom('reports').select(['publisher', 'content_hash']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ publisher: '三门峡市湖滨区前进街道办事处', content_hash: createHash('sha256').update(bytes).digest('hex') });
    // now known: the same file for 乙市 is refused
    const again = await (await f.client('reviewerB')).post('/api/reports', upload(SEED, bytes));
    expect(again.status).toBe(409);
    expect((await appAuditTrail(f.db, { entity: `report:${id}` })).map((a) => a.action)).toEqual(['report:create']);
  });
});
