import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICANT_COLUMNS } from '../../src/model/format.js';
import { compactProvenance } from '../../src/model/provenance.js';
import { parseBytes } from '../../src/parse.js';
import { createApp } from '../../src/server/app.js';
import { appAuditTrail } from '../../src/store/app.js';
import { toDocx } from '../helpers/variants.js';
import { Client, type Fixture, fixture, SEEDS, seedBytes, seedText } from './helpers.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});
afterAll(async () => {
  await f.cleanup();
});

function upload(name: string, bytes: Uint8Array, fields: Record<string, string> = {}): FormData {
  const fd = new FormData();
  fd.append('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

describe('POST /api/check', () => {
  it('checks an uploaded seed: report, diagnostics, grids, source lines, summary', async () => {
    const c = await f.client('readonly');
    const r = await c.post('/api/check', upload('001_bafcd2ea084bb138.txt', seedBytes('001_bafcd2ea084bb138.txt')));
    expect(r.status).toBe(200);
    expect(r.body.report).toMatchObject({ format: '2021', agency: '八卦洲街道办事处', year: 2021 });
    expect(r.body.report.provenance['applications.newReceived.total']).toBeDefined();
    expect(r.body.diagnostics.map((d: { rule: string }) => d.rule)).toContain('problems-section');
    expect(r.body.grids.map((g: { table: string }) => g.table)).toEqual(['proactive', 'applications', 'reviewLitigation']);
    const cell = r.body.grids[1].rows.flat().find((x: { path?: string }) => x.path === 'applications.newReceived.total');
    expect(cell).toMatchObject({ role: 'value', value: r.body.report.applications.newReceived.total });
    expect(r.body.source.kind).toBe('text');
    const text = seedText('001_bafcd2ea084bb138.txt');
    expect(r.body.source.lines).toEqual(text.replace(/\r\n?/g, '\n').split('\n'));
    // provenance line numbers point into the source lines
    const prov = r.body.report.provenance['applications.newReceived.total'];
    expect(r.body.source.lines[prov.prov.line - 1]).toContain(prov.raw);
    const s = r.body.summary;
    expect(s.errors + s.warnings + s.infos).toBe(r.body.diagnostics.length);
  });

  it('checks pasted text the same as the file', async () => {
    const c = await f.client('clerk');
    const text = seedText('004_65c3f6a324d2e98b.txt');
    const pasted = await c.post('/api/check', { text, filename: 'x.txt' });
    const file = await c.post('/api/check', upload('x.txt', seedBytes('004_65c3f6a324d2e98b.txt')));
    expect(pasted.status).toBe(200);
    expect(pasted.body.diagnostics).toEqual(file.body.diagnostics);
    expect(pasted.body.report.applications).toEqual(file.body.report.applications);
    expect(pasted.body.source.lines.length).toBeGreaterThan(50);
  });

  it("checks a DOCX: every cell's table row is found among the source lines", async () => {
    const c = await f.client('clerk');
    const report = await parseBytes(seedBytes('001_bafcd2ea084bb138.txt'), 'seed.txt');
    const r = await c.post('/api/check', upload('seed.docx', await toDocx(report)));
    expect(r.status).toBe(200);
    expect(r.body.source.kind).toBe('docx');
    const rows = r.body.source.tableRows as Record<string, number>;
    const prov = r.body.report.provenance as Record<string, { raw: string; prov: { kind: string; table: number; row: number } }>;
    const cells = Object.values(prov).filter((o) => o.prov.kind === 'table');
    expect(cells.length).toBeGreaterThan(100);
    for (const o of cells) {
      const line = rows[`${o.prov.table}:${o.prov.row}`];
      expect(line, `${o.prov.table}:${o.prov.row}`).toBeGreaterThan(0);
      expect(r.body.source.lines[line - 1].split('\t')).toContain(o.raw);
    }
  });

  it("compares with last year's report of the same publisher when the library holds one in scope", async () => {
    const admin = await f.client('admin');
    const made = await admin.post('/api/agencies', { name: '淮安市洪泽区人民政府', parentId: f.agencies.cityB.id, level: 'county' });
    expect(made.status).toBe(201);
    const hongze2024 = new Uint8Array(readFileSync(join(SEEDS, '..', 'huaian-hongze-2024.pdf')));
    const rules = async (c: Client) =>
      ((await c.post('/api/check', upload('hongze-2024.pdf', hongze2024))).body.diagnostics as { rule: string }[]).map((d) => d.rule);
    expect(await rules(admin)).not.toContain('sharp-change');
    const stored = await admin.post(
      '/api/reports',
      upload('huaian-hongze-2023.pdf', seedBytes('huaian-hongze-2023.pdf'), { agencyId: String(made.body.agency.id) }),
    );
    expect(stored.status).toBe(201);
    // now last year's report is found by the publisher's name: the cross-year rules run
    expect(await rules(admin)).toContain('sharp-change');
    // not for a user who may not read that agency's reports
    expect(await rules(await f.client('clerk'))).not.toContain('sharp-change');
    // the library tests below count what is stored: leave it as it was
    expect((await admin.delete(`/api/reports/${stored.body.id}`)).status).toBe(204);
  });

  it('checks a PDF: source lines by page', async () => {
    const c = await f.client('clerk');
    const r = await c.post('/api/check', upload('huaian-hongze-2023.pdf', seedBytes('huaian-hongze-2023.pdf')));
    expect(r.status).toBe(200);
    expect(r.body.source.kind).toBe('pdf');
    expect(r.body.source.lines[0]).toBe('第1页');
    expect(r.body.source.lines).toContain('第3页');
    expect(r.body.source.lines.some((l: string) => l.includes('\t'))).toBe(true);
    expect(
      r.body.diagnostics.some(
        (d: { rule: string; origin: { kind: string } }) => d.rule === 'review-litigation-total' && d.origin?.kind === 'pdf',
      ),
    ).toBe(true);
  });

  it('checks a Report JSON', async () => {
    const c = await f.client('clerk');
    const base = (await c.post('/api/check', { text: seedText() })).body.report;
    const r = await c.post('/api/check', { report: { ...base, provenance: undefined } });
    expect(r.status).toBe(200);
    expect(r.body.source).toBeNull();
    expect(r.body.report.agency).toBe(base.agency);
    const bad = await c.post('/api/check', { report: { format: '1999' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid-report');
  });

  it('a Report JSON written with --provenance compact: its cells’ origins are read back (diagnostics point at them)', async () => {
    const c = await f.client('clerk');
    const base = (await c.post('/api/check', { text: seedText() })).body.report;
    const { provenance, ...rest } = base;
    const r = await c.post('/api/check', { report: { ...rest, provenanceCompact: compactProvenance(provenance) } });
    expect(r.status).toBe(200);
    expect(r.body.report.provenance).toEqual(provenance);
    const bad = await c.post('/api/check', { report: { ...rest, provenanceCompact: { applications: 'x' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid-report');
    expect(bad.body.error.message).toContain('provenanceCompact.applications 应为对象');
  });

  it('not a report → 422 with the reader’s code and sentences', async () => {
    const c = await f.client('clerk');
    const r = await c.post('/api/check', { text: '这是一份会议通知，没有任何表格。\n请各单位准时参加。\n' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('not-a-report');
    expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(r.body.error.messageEn).toMatch(/[a-z]/);
    const bin = await c.post('/api/check', upload('a.txt', new Uint8Array([0, 1, 2, 3, 0, 0, 255, 254, 0, 7])));
    expect(bin.status).toBe(422);
  });

  it('a broken file → 422 whose sentences name the file, whichever reader wrote them', async () => {
    const c = await f.client('clerk');
    const report = await parseBytes(seedBytes('002_abb086b87d47b285.txt'), 'seed.txt');
    const cut = (await toDocx(report)).subarray(0, 5000);
    const r = await c.post('/api/check', upload('区政府2023年报.docx', cut));
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('corrupt');
    expect(r.body.error.message).toContain('区政府2023年报.docx');
    expect(r.body.error.messageEn).toContain('区政府2023年报.docx');
  });

  it('a body over the limit → 413; nothing to check → 400; wrong media type → 415', async () => {
    const app = createApp({ db: f.db, quiet: true, limits: { uploadBytes: 4096 } });
    const c0 = await f.client('clerk');
    const c = new Client(app, c0.cookie, c0.csrf);
    const big = await c.post('/api/check', upload('big.txt', new Uint8Array(10_000).fill(65)));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('too-large');
    expect(big.body.error.message).toMatch(/上限/);
    const bigJson = await c.post('/api/check', { text: 'x'.repeat(5000) });
    expect(bigJson.status).toBe(413);
    const none = await c0.post('/api/check', {});
    expect(none.status).toBe(400);
    const both = await c0.post('/api/check', { text: 'a', report: {} });
    expect(both.status).toBe(400);
    const media = await c0.post('/api/check', 'hello', { 'content-type': 'text/plain' });
    expect(media.status).toBe(415);
  });

  it('a JSON body has a tighter limit (default 2 MB) than an upload, refused before it is parsed', async () => {
    const app = createApp({ db: f.db, quiet: true, limits: { jsonBytes: 3000 } });
    const c0 = await f.client('clerk');
    const c = new Client(app, c0.cookie, c0.csrf);
    const over = await c.post('/api/check', { text: 'x'.repeat(4000) });
    expect(over.status).toBe(413);
    expect(over.body.error.code).toBe('too-large');
    expect(over.body.error.message).toMatch(/JSON.*上限/);
    // an upload of the same size is within the upload limit, and so is a smaller JSON body: both are
    // read (and found not to be a report)
    const file = await c.post('/api/check', upload('a.txt', new TextEncoder().encode('x'.repeat(4000))));
    expect([file.status, file.body.error.code]).toEqual([422, 'not-a-report']);
    const under = await c.post('/api/check', { text: 'x'.repeat(2000) });
    expect([under.status, under.body.error.code]).toEqual([422, 'not-a-report']);
    const dflt = await c0.post('/api/check', { text: '政'.repeat(700_000) }); // 2.1 MB of UTF-8
    expect(dflt.status).toBe(413);
    expect(dflt.body.error.code).toBe('too-large');
  });

  it('the default limit is 20 MB', async () => {
    const c = await f.client('clerk');
    const r = await c.post('/api/check', upload('big.txt', new Uint8Array(20 * 1024 * 1024 + 10).fill(65)));
    expect(r.status).toBe(413);
  });
});

describe('the report library', () => {
  let ids: Record<string, number> = {};

  beforeAll(async () => {
    const clerk = await f.client('clerk');
    const clerk2 = await f.client('clerk2');
    const reviewerB = await f.client('reviewerB');
    const admin = await f.client('admin');
    const post = async (c: Client, name: string, fields: Record<string, string> = {}) => {
      const r = await c.post('/api/reports', upload(name, seedBytes(name), fields));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as number;
    };
    ids = {
      county: await post(clerk, '000_1dfa6bf3088a5125.txt'),
      county2: await post(clerk2, '002_abb086b87d47b285.txt'),
      cityB: await post(reviewerB, '003_f8437f9aaea28a39.txt'),
      dept: await post(admin, '004_65c3f6a324d2e98b.txt', { agencyId: String(f.agencies.dept.id) }),
    };
  });

  it('stores the file, the report and its diagnostics; GET returns the check result', async () => {
    const c = await f.client('clerk');
    const r = await c.get(`/api/reports/${ids.county}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: ids.county,
      agencyId: f.agencies.county.id,
      agencyName: '甲市一区人民政府',
      fileName: '000_1dfa6bf3088a5125.txt',
      uploadedBy: 'clerk',
    });
    expect(r.body.report.agency).toBe('三门峡市湖滨区前进街道办事处');
    expect(r.body.grids).toHaveLength(3);
    expect(r.body.source.lines.length).toBeGreaterThan(20);
    const checked = await c.post('/api/check', { text: seedText('000_1dfa6bf3088a5125.txt'), filename: '000_1dfa6bf3088a5125.txt' });
    expect(r.body.diagnostics).toEqual(checked.body.diagnostics);
    const original = await c.get(`/api/reports/${ids.county}/original`);
    expect(original.status).toBe(200);
    expect(new TextDecoder().decode(original.bytes)).toBe(seedText('000_1dfa6bf3088a5125.txt'));
    const audit = await appAuditTrail(f.db, { entity: `report:${ids.county}` });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ who: 'clerk', action: 'report:create', agencyId: f.agencies.county.id });
  });

  it('lists by scope: clerk their agency, reviewer the city and below, not the sibling city', async () => {
    const list = async (u: string, q = '') =>
      ((await (await f.client(u)).get(`/api/reports${q}`)).body.reports as { id: number }[]).map((r) => r.id).sort();
    expect(await list('clerk')).toEqual([ids.county]);
    expect(await list('readonly')).toEqual([ids.county]);
    expect(await list('clerk2')).toEqual([ids.county2]);
    expect(await list('reviewer')).toEqual([ids.county, ids.county2, ids.dept].sort());
    expect(await list('reviewerB')).toEqual([ids.cityB]);
    expect(await list('admin')).toEqual(Object.values(ids).sort());
    expect(await list('reviewer', `?agencyId=${f.agencies.county.id}`)).toEqual([ids.county, ids.dept].sort());
    expect(await list('admin', '?year=2023')).toEqual([ids.county2, ids.cityB].sort());
    const summary = (await (await f.client('clerk')).get('/api/reports')).body.reports[0];
    expect(summary).toMatchObject({
      id: ids.county,
      agencyId: f.agencies.county.id,
      agencyName: '甲市一区人民政府',
      year: 2021,
      format: '2021',
      fileName: '000_1dfa6bf3088a5125.txt',
      uploadedAt: expect.any(String),
      uploadedBy: 'clerk',
      errors: expect.any(Number),
      warnings: expect.any(Number),
    });
    // another agency's id: 404, not 403
    const clerk = await f.client('clerk');
    expect((await clerk.get(`/api/reports?agencyId=${f.agencies.county2.id}`)).status).toBe(404);
    expect((await clerk.get(`/api/reports/${ids.county2}`)).status).toBe(404);
    expect((await clerk.get(`/api/reports/${ids.county2}/export?format=md`)).status).toBe(404);
    expect((await clerk.get(`/api/reports/${ids.county2}/original`)).status).toBe(404);
    expect((await (await f.client('reviewer')).get(`/api/reports/${ids.cityB}`)).status).toBe(404);
    expect((await (await f.client('reviewerB')).get(`/api/reports/${ids.county}`)).status).toBe(404);
    expect((await clerk.get('/api/reports/999999')).status).toBe(404);
    expect((await clerk.get('/api/reports/abc')).status).toBe(400);
  });

  it('who may store: readonly 403, a clerk only for their agency, a reviewer in scope', async () => {
    const text = seedText('001_bafcd2ea084bb138.txt');
    expect((await (await f.client('readonly')).post('/api/reports', { text })).status).toBe(403);
    expect((await (await f.client('clerk')).post('/api/reports', { text, agencyId: f.agencies.county2.id })).status).toBe(404);
    expect((await (await f.client('clerk')).post('/api/reports', { text, agencyId: f.agencies.dept.id })).status).toBe(404);
    expect((await (await f.client('reviewer')).post('/api/reports', { text, agencyId: f.agencies.cityB.id })).status).toBe(404);
    const ok = await (await f.client('reviewer')).post('/api/reports', { text, agencyId: f.agencies.county2.id });
    expect(ok.status).toBe(201);
    expect((await (await f.client('admin')).delete(`/api/reports/${ok.body.id}`)).status).toBe(204);
  });

  it('exports DOCX, PDF, HTML, Markdown and XLSX', async () => {
    const c = await f.client('clerk');
    const docx = await c.get(`/api/reports/${ids.county}/export?format=docx`);
    expect(docx.status).toBe(200);
    expect(new TextDecoder().decode(docx.bytes.subarray(0, 2))).toBe('PK');
    expect(docx.headers.get('content-type')).toMatch(/wordprocessingml/);
    expect(docx.headers.get('content-disposition')).toMatch(/^attachment; filename="report-\d+\.docx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(docx.headers.get('content-disposition')!.split("''")[1])).toBe(
      '三门峡市湖滨区前进街道办事处2021年政府信息公开工作年度报告.docx',
    );
    const pdf = await c.get(`/api/reports/${ids.county}/export?format=pdf`);
    expect(pdf.status).toBe(200);
    expect(new TextDecoder().decode(pdf.bytes.subarray(0, 4))).toBe('%PDF');
    const html = await c.get(`/api/reports/${ids.county}/export?format=html`);
    expect(new TextDecoder().decode(html.bytes)).toMatch(/<table/);
    const md = await c.get(`/api/reports/${ids.county}/export?format=md`);
    expect(md.headers.get('content-type')).toMatch(/markdown/);
    const xlsx = await c.get(`/api/reports/${ids.county}/export?format=xlsx`);
    expect(new TextDecoder().decode(xlsx.bytes.subarray(0, 2))).toBe('PK');
    expect((await c.get(`/api/reports/${ids.county}/export?format=doc`)).status).toBe(400);
  });

  it('a report whose totals contradict their parts is refused (422) unless force=1; POST /api/render the same', async () => {
    const c = await f.client('clerk');
    const base = (await c.post('/api/check', { text: seedText('004_65c3f6a324d2e98b.txt') })).body.report;
    const broken = structuredClone(base);
    broken.applications.granted.total = (broken.applications.granted.total ?? 0) + 5;
    const stored = await c.post('/api/reports', { report: broken });
    expect(stored.status).toBe(201);
    expect(stored.body.diagnostics.some((d: { rule: string }) => d.rule === 'applications-row-total')).toBe(true);
    const refused = await c.get(`/api/reports/${stored.body.id}/export?format=docx`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('render-refused');
    expect(refused.body.error.details.diagnostics.length).toBeGreaterThan(0);
    const forced = await c.get(`/api/reports/${stored.body.id}/export?format=docx&force=1`);
    expect(forced.status).toBe(200);
    const r1 = await c.post('/api/render', { report: broken, format: 'md' });
    expect(r1.status).toBe(422);
    const r2 = await c.post('/api/render', { report: broken, format: 'md', force: true });
    expect(r2.status).toBe(200);
    expect(new TextDecoder().decode(r2.bytes)).toMatch(/政府信息公开/);
    const r3 = await c.post('/api/render', { report: base, format: 'pdf' });
    expect(new TextDecoder().decode(r3.bytes.subarray(0, 4))).toBe('%PDF');
    expect((await c.post('/api/render', { report: base, format: 'txt' })).status).toBe(400);
    expect((await (await f.client('admin')).delete(`/api/reports/${stored.body.id}`)).status).toBe(204);
  });

  it('library stats are the sums of the stored reports in scope', async () => {
    for (const [user, expected] of [
      ['admin', Object.values(ids)],
      ['reviewer', [ids.county, ids.county2, ids.dept]],
      ['clerk', [ids.county]],
    ] as const) {
      const c = await f.client(user);
      const stats = (await c.get('/api/library/stats')).body;
      const reports = await Promise.all(expected.map(async (id) => (await (await f.client('admin')).get(`/api/reports/${id}`)).body));
      const n = (v: unknown) => (typeof v === 'number' ? v : 0);
      for (const o of stats.byOutcome) {
        expect(o.total, o.key).toBe(reports.reduce((s, r) => s + n(r.report.applications[o.key]?.total), 0));
      }
      for (const t of stats.byApplicantType) {
        expect(t.total, t.key).toBe(reports.reduce((s, r) => s + n(r.report.applications.newReceived[t.key]), 0));
      }
      expect(stats.byApplicantType.map((t: { key: string }) => t.key)).toEqual(
        APPLICANT_COLUMNS.filter((x) => x.key !== 'total').map((x) => x.key),
      );
      expect(stats.years).toEqual([...new Set(reports.map((r) => r.report.year))].sort());
      for (const y of stats.trend) {
        const inYear = reports.filter((r) => r.report.year === y.year);
        expect(y.reports).toBe(inYear.length);
        expect(y.newApplications).toBe(inYear.reduce((s, r) => s + n(r.report.applications.newReceived.total), 0));
        expect(y.reviews).toBe(inYear.reduce((s, r) => s + n(r.report.reviewLitigation.review.total), 0));
        expect(y.litigations).toBe(
          inYear.reduce(
            (s, r) => s + n(r.report.reviewLitigation.litigationDirect.total) + n(r.report.reviewLitigation.litigationAfterReview.total),
            0,
          ),
        );
      }
      const byRule = new Map<string, number>();
      for (const r of reports) for (const d of r.diagnostics) byRule.set(d.rule, (byRule.get(d.rule) ?? 0) + 1);
      expect(new Map(stats.problems.map((p: { rule: string; count: number }) => [p.rule, p.count]))).toEqual(byRule);
      expect(stats.problems.every((p: { title: string }) => /[\u4e00-\u9fff]/.test(p.title))).toBe(true);
    }
    const c = await f.client('reviewer');
    const one = (await c.get(`/api/library/stats?agencyId=${f.agencies.county2.id}`)).body;
    expect(one.trend).toEqual([expect.objectContaining({ reports: 1 })]);
    expect((await c.get(`/api/library/stats?agencyId=${f.agencies.cityB.id}`)).status).toBe(404);
  });

  it('only an admin deletes, and the deletion is audited', async () => {
    const c = await f.client('clerk');
    const stored = await c.post('/api/reports', { text: seedText('001_bafcd2ea084bb138.txt') });
    expect((await c.delete(`/api/reports/${stored.body.id}`)).status).toBe(403);
    expect((await (await f.client('reviewer')).delete(`/api/reports/${stored.body.id}`)).status).toBe(403);
    expect((await (await f.client('reviewerB')).delete(`/api/reports/${stored.body.id}`)).status).toBe(403);
    expect((await (await f.client('admin')).delete(`/api/reports/${stored.body.id}`)).status).toBe(204);
    expect((await c.get(`/api/reports/${stored.body.id}`)).status).toBe(404);
    const audit = await appAuditTrail(f.db, { entity: `report:${stored.body.id}` });
    expect(audit.map((a) => [a.action, a.who])).toEqual([
      ['report:create', 'clerk'],
      ['report:delete', 'admin'],
    ]);
  });

  it('the check uses last year’s report of the agency when the library has it', async () => {
    const c = await f.client('clerk');
    const base = (await c.post('/api/check', { text: seedText('004_65c3f6a324d2e98b.txt') })).body.report;
    const last = { ...structuredClone(base), year: base.year - 1, provenance: undefined };
    const stored1 = await c.post('/api/reports', { report: last });
    const stored2 = await c.post('/api/reports', { report: { ...base, provenance: undefined } });
    // the narrative is the same as last year's: the cross-year similarity rule fires only with a previous report
    expect(stored2.body.diagnostics.some((d: { rule: string }) => d.rule === 'similarity')).toBe(true);
    expect(stored1.body.diagnostics.some((d: { rule: string }) => d.rule === 'similarity')).toBe(false);
    const admin = await f.client('admin');
    await admin.delete(`/api/reports/${stored1.body.id}`);
    await admin.delete(`/api/reports/${stored2.body.id}`);
  });
});
