/**
 * The supervision API: the directory imported with a dry run, a bulk intake followed to its end, a
 * waiting file confirmed, the status, roll-up, scores (JSON, XLSX, the Word 通报) and 雷同 across
 * bodies; the scope of each user, the roles, the rubric's validation and the ZIP path.
 */
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { renderMarkdown } from '../../src/render/index.js';
import { sampleReport2021 } from '../helpers/arbitrary.js';
import { BACKENDS } from '../helpers/db.js';
import { type Client, type Fixture, fixture } from './helpers.js';

// the fixture's tree: 示范省人民政府 > 甲市人民政府 > 甲市一区人民政府 > 甲市一区教育局; 甲市二区人民政府; 乙市人民政府
const DIRECTORY = `名称,类型,层级,上级机关
甲市一区民政局,部门,县级,甲市一区人民政府
甲市二区民政局,部门,县级,甲市二区人民政府
`;

function report(agency: string, publishedOn: string, overview?: string): Report {
  const r = sampleReport2021();
  return { ...r, agency, year: 2024, publishedOn, sections: { ...r.sections, ...(overview ? { overview } : {}) } };
}
const md = (r: Report) => new TextEncoder().encode(renderMarkdown(r));
const SHARED = [
  '围绕档案水利交通农业工作推进公开，全面梳理公开事项清单三百余项，逐项明确公开主体和公开时限。',
  '林业住房医保事项办理四百余件，全部通过门户网站专栏集中发布，并同步推送至政务新媒体。',
  '审计统计文旅卫健领域新增解读材料二十一篇，邀请专家参与解读，回应社会关切十一次。',
  '市场应急生态财政领域公开规范性文件十二件，废止三件，现行有效文件目录动态更新。',
].join('');

async function waitBatch(c: Client, id: number) {
  for (let i = 0; i < 200; i++) {
    const b = await c.get(`/api/intake/batches/${id}`);
    if (b.body.finishedAt) return b.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the batch did not finish');
}

for (const backend of BACKENDS) {
  describe(`supervision API (${backend})`, () => {
    let f: Fixture;
    let admin: Client;
    let reviewer: Client;
    beforeAll(async () => {
      f = await fixture(backend);
      admin = await f.client('admin');
      reviewer = await f.client('reviewer');
    }, 60_000);
    afterAll(async () => f?.cleanup());

    it('imports the directory after a dry run; only an administrator', async () => {
      const form = () => {
        const d = new FormData();
        d.append('file', new Blob([new TextEncoder().encode(DIRECTORY)]), '名录.csv');
        return d;
      };
      let r = await admin.post('/api/bodies/import', form());
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ rows: 2, creates: 2, stored: false });
      const d = form();
      d.append('dryRun', 'false');
      r = await admin.post('/api/bodies/import', d);
      expect(r.body.stored).toBe(true);
      expect((await reviewer.post('/api/bodies/import', form())).status).toBe(403);
      // the reviewer of 甲市 sees 甲市 and below, not 乙市
      r = await reviewer.get('/api/bodies');
      const names = r.body.bodies.map((b: { name: string }) => b.name);
      expect(names).toContain('甲市二区民政局');
      expect(names).not.toContain('乙市人民政府');
      expect((await reviewer.get(`/api/bodies?under=${f.agencies.cityB.id}`)).status).toBe(404);
      expect((await (await f.client('clerk')).get('/api/bodies')).status).toBe(403);
    });

    it('a ZIP and files are imported in the background; the uncertain one is confirmed', async () => {
      const zip = zipSync({
        '年报/一区教育局.md': md(report('甲市一区教育局', '2025-01-20', SHARED)),
        '年报/一区民政局.md': md(report('甲市一区民政局', '2025-02-05', SHARED)),
        '说明.txt': new TextEncoder().encode('not a report at all'),
        '照片.jpg': new Uint8Array([1, 2, 3]),
      });
      const raw = await f.app.request('/api/intake?name=2024年报.zip', {
        method: 'POST',
        headers: { cookie: reviewer.cookie ?? '', 'x-csrf-token': reviewer.csrf ?? '', 'content-type': 'application/zip' },
        body: zip,
      });
      expect(raw.status).toBe(202);
      const started = (await raw.json()) as { batchId: number; skipped: string[] };
      expect(started.skipped).toEqual(['照片.jpg']);
      let batch = await waitBatch(reviewer, started.batchId);
      expect(batch.counts).toMatchObject({ done: 3, stored: 2, failed: 1 });

      const form = new FormData();
      form.append('files', new Blob([md(report('甲市二区民正局', '2025-01-10'))]), 'x.md');
      form.append('files', new Blob([md(report('甲市一区教育局', '2025-01-20', SHARED))]), 'again.md');
      let r = await reviewer.post('/api/intake', form);
      expect(r.status).toBe(202);
      batch = await waitBatch(reviewer, r.body.batchId);
      expect(batch.counts).toMatchObject({ done: 2, pending: 1, duplicates: 1 });

      r = await reviewer.get('/api/intake/pending');
      expect(r.body.pending).toHaveLength(1);
      const p = r.body.pending[0];
      const target = p.candidates[0];
      expect(target.name).toBe('甲市二区民政局');
      // a body outside the reviewer's scope cannot be chosen
      expect((await reviewer.post(`/api/intake/${p.id}/confirm`, { bodyId: f.agencies.cityB.id })).status).toBe(404);
      r = await reviewer.post(`/api/intake/${p.id}/confirm`, { bodyId: target.bodyId });
      expect(r.status).toBe(200);
      expect((await reviewer.post(`/api/intake/${p.id}/reject`)).status).toBe(409);
      expect((await reviewer.get('/api/intake/pending')).body.pending).toEqual([]);
    });

    it('status, roll-up, scores and copies, as JSON and files', async () => {
      let r = await reviewer.get('/api/supervision/status?year=2024');
      expect(r.status).toBe(200);
      const row = (name: string) => r.body.rows.find((x: { body: { name: string } }) => x.body.name === name)?.status;
      expect(row('甲市一区民政局')).toMatchObject({ state: 'late', daysLate: 5 });
      expect(row('甲市一区教育局')).toMatchObject({ state: 'published' });
      expect(row('甲市人民政府')?.state).toBe('unpublished');
      expect(row('乙市人民政府')).toBeUndefined();
      r = await reviewer.get('/api/supervision/status?year=2024&format=xlsx');
      expect(r.headers.get('content-type')).toContain('spreadsheetml');
      expect(new TextDecoder().decode(r.bytes.subarray(0, 2))).toBe('PK');

      r = await reviewer.get('/api/supervision/rollup?year=2024&cell=applications.newReceived.total');
      const one = sampleReport2021().applications.newReceived.total ?? 0;
      expect(r.body.totals.region['applications.newReceived.total']).toBe(3 * one);
      expect(r.body.drill.label).toContain('依申请公开');
      expect(r.body.drill.rows.map((x: { name: string }) => x.name).sort()).toEqual(['甲市一区人民政府', '甲市二区人民政府']);

      r = await reviewer.get('/api/supervision/copies?year=2024');
      expect(r.body.pairs.length).toBeGreaterThan(0);
      expect(r.body.pairs[0].passages.length).toBeGreaterThan(0);

      r = await reviewer.get('/api/supervision/scores?year=2024');
      expect(r.status).toBe(200);
      const late = r.body.scores.find((s: { bodyId: number }) => r.body.names[s.bodyId] === '甲市一区民政局');
      expect(
        late.deductions.some(
          (d: { points: number; evidence: { message: string }[] }) => d.points > 0 && d.evidence.some((e) => /5/.test(e.message)),
        ),
      ).toBe(true);
      r = await reviewer.get('/api/supervision/scores?year=2024&format=docx');
      expect(r.headers.get('content-type')).toContain('wordprocessingml');
      r = await reviewer.get('/api/supervision/scores?year=2024&format=xlsx');
      expect(new TextDecoder().decode(r.bytes.subarray(0, 2))).toBe('PK');

      r = await reviewer.get(`/api/supervision/versions?body=${f.agencies.dept.id}&year=2024`);
      expect(r.body.versions).toHaveLength(1);
      expect(r.body.versions[0]).toMatchObject({ version: 1, diff: null });
      expect((await reviewer.get(`/api/supervision/versions?body=${f.agencies.cityB.id}&year=2024`)).status).toBe(404);

      r = await reviewer.put('/api/supervision/reviews', { bodyId: f.agencies.dept.id, year: 2024, note: '已核' });
      expect(r.status).toBe(200);
      r = await reviewer.get('/api/supervision/status?year=2024');
      expect(r.body.counts.reviewed).toBe(1);
    });

    it('settings: deadlines and a rubric, validated with every problem listed', async () => {
      const cityAdmin = admin; // the province's administrator
      let r = await cityAdmin.put('/api/supervision/settings', { rubric: '{"name": "x", "items": [] ' });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('bad-rubric');
      r = await cityAdmin.put('/api/supervision/settings', { deadlines: { government: '13-40', department: '01-31' } });
      expect(r.status).toBe(400);
      r = await cityAdmin.put('/api/supervision/settings', { deadlines: { government: '03-31', department: '03-31' } });
      expect(r.status).toBe(200);
      r = await reviewer.get('/api/supervision/status?year=2024');
      const dept = r.body.rows.find((x: { body: { name: string } }) => x.body.name === '甲市一区民政局');
      expect(dept.status).toMatchObject({ state: 'published', deadline: '2025-03-31' });
      r = await cityAdmin.get('/api/supervision/settings');
      expect(r.body.deadlines).toEqual({ government: '03-31', department: '03-31' });
      expect(r.body.statutory).toEqual({ government: '03-31', department: '01-31' });
      expect((await reviewer.put('/api/supervision/settings', { deadlines: null })).status).toBe(403);
    });
  });
}
