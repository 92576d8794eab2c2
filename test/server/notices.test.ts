/**
 * Notices over the HTTP API: the notices a case calls for, a draft with the clerk's text, issuing
 * (numbered, 409 on a second issue of the same step, reissue keeps the old), the download as DOCX and
 * PDF, the settings and templates (administrators only; a template without the rights refused).
 */
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, fixture, newCaseBody } from './helpers.js';

const NOW = new Date('2025-03-20T02:00:00Z');
let f: Fixture;
beforeAll(async () => {
  f = await fixture('sqlite', { now: () => NOW });
});
afterAll(async () => {
  await f.cleanup();
});

describe('notices API', () => {
  it('drafts, issues and downloads a 补正告知书; a second issue is refused, a reissue takes a new number', async () => {
    const clerk = await f.client('clerk');
    const admin = await f.client('admin');
    const county = f.agencies.county.id;
    expect((await clerk.post('/api/cases', newCaseBody('2025-001', '2025-03-03'))).status).toBe(201);
    const ev = await clerk.post('/api/cases/2025-001/events', {
      type: 'correctionNotice',
      on: '2025-03-05',
      deadline: '2025-03-20',
      items: '请写明文号',
    });
    expect(ev.status).toBe(200);

    const list = await clerk.get('/api/cases/2025-001/notices');
    expect(list.status).toBe(200);
    expect(list.body.available.map((a: { label: string; seq: number }) => [a.seq, a.label])).toEqual([
      [0, '登记回执'],
      [1, '补正告知书'],
    ]);

    // without a review body and court it can still be issued (a 补正告知书 carries no rights) — the agency's name comes from the directory
    const draft = await clerk.post('/api/cases/2025-001/notices/draft', { seq: 1, free: { 补正内容: '请写明文件的文号和发文日期' } });
    expect(draft.status).toBe(200);
    expect(draft.body.problems).toEqual([]);
    expect(draft.body.document.agency).toBe('甲市一区人民政府');
    expect(draft.body.document.paragraphs.join('')).toContain('请写明文件的文号和发文日期');
    expect(draft.body.document.number).toBeNull();

    // a reviewer-less readonly user cannot draft
    const ro = await f.client('readonly');
    expect((await ro.post('/api/cases/2025-001/notices/draft', { seq: 1 })).status).toBe(403);

    // settings: administrators only, validated
    expect((await clerk.put(`/api/notice-settings?agencyId=${county}`, { reviewBody: '甲市人民政府' })).status).toBe(403);
    const bad = await admin.put(`/api/notice-settings?agencyId=${county}`, { numberPattern: '第{n}号' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('{year}');
    const ok = await admin.put(`/api/notice-settings?agencyId=${county}`, {
      numberPattern: '甲一政依申〔{year}〕第{n}号',
      reviewBody: '甲市人民政府',
      court: '甲市中级人民法院',
    });
    expect(ok.status).toBe(200);

    const issued = await clerk.post('/api/cases/2025-001/notices', { seq: 1, free: { 补正内容: '请写明文件的文号和发文日期' } });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      number: '甲一政依申〔2025〕第1号',
      seq: 1,
      label: '补正告知书',
      issuedOn: '2025-03-20',
      supersededBy: null,
    });
    const twice = await clerk.post('/api/cases/2025-001/notices', { seq: 1 });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('重新发文');

    const docx = await clerk.get(`/api/notices/${issued.body.id}/file?format=docx`);
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-disposition')).toContain(encodeURIComponent('补正告知书'));
    const xml = strFromU8(unzipSync(docx.bytes)['word/document.xml']);
    expect(xml).toContain('甲一政依申〔2025〕第1号');
    expect(xml).toContain('请写明文件的文号和发文日期');
    const pdf = await clerk.get(`/api/notices/${issued.body.id}/file?format=pdf`);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(pdf.bytes).subarray(0, 5).toString()).toBe('%PDF-');

    const again = await clerk.post('/api/cases/2025-001/notices', { seq: 1, supersedes: issued.body.id, free: { 补正内容: '请写明文号' } });
    expect(again.status).toBe(201);
    expect(again.body.number).toBe('甲一政依申〔2025〕第2号');
    const after = await clerk.get('/api/cases/2025-001/notices');
    expect(after.body.notices.map((n: { number: string; supersededBy: number | null }) => [n.number, n.supersededBy])).toEqual([
      ['甲一政依申〔2025〕第1号', again.body.id],
      ['甲一政依申〔2025〕第2号', null],
    ]);
    expect(after.body.available[1].issued.number).toBe('甲一政依申〔2025〕第2号');
    // another county's clerk does not see them
    const other = await f.client('clerk2');
    expect((await other.get(`/api/notices/${issued.body.id}/file?format=docx`)).status).toBe(404);
  });

  it('a reply without the reason it needs is refused with the problem; templates are validated', async () => {
    const clerk = await f.client('clerk');
    const admin = await f.client('admin');
    const county = f.agencies.county.id;
    await clerk.post('/api/cases', newCaseBody('2025-002', '2025-03-03'));
    await clerk.post('/api/cases/2025-002/events', { type: 'reply', on: '2025-03-18', outcome: 'withheldInternalAffairs' });
    const refused = await clerk.post('/api/cases/2025-002/notices', { seq: 1 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.problems.map((p: { zh: string }) => p.zh).join('')).toContain('理由');
    const issued = await clerk.post('/api/cases/2025-002/notices', { seq: 1, free: { 理由: '该信息为本机关人事管理信息' } });
    expect(issued.status).toBe(201);
    expect(issued.body.document.paragraphs.join('')).toContain('第十六条第一款');
    expect(issued.body.document.paragraphs.join('')).toContain('六十日内向甲市人民政府申请行政复议');

    const templates = await admin.get(`/api/notice-templates?agencyId=${county}`);
    const t = templates.body.templates.find((x: { key: string }) => x.key === 'reply.withheldInternalAffairs');
    expect(t.label).toBe('答复告知书（不予公开·内部事务信息）');
    const dropped = await admin.put(`/api/notice-templates/reply.withheldInternalAffairs?agencyId=${county}`, {
      title: t.title,
      paragraphs: t.paragraphs.filter((p: string) => !p.includes('救济途径')),
    });
    expect(dropped.status).toBe(400);
    expect(dropped.body.error.message).toContain('救济途径');
    expect((await clerk.put(`/api/notice-templates/reply.withheldInternalAffairs?agencyId=${county}`, t)).status).toBe(403);
    const saved = await admin.put(`/api/notice-templates/reply.withheldInternalAffairs?agencyId=${county}`, {
      title: '不予公开告知书',
      paragraphs: [...t.paragraphs],
    });
    expect(saved.status).toBe(200);
    const draft = await clerk.post('/api/cases/2025-002/notices/draft', { seq: 1, free: { 理由: '人事信息' } });
    expect(draft.body.document.title).toBe('不予公开告知书');
    expect((await admin.delete(`/api/notice-templates/reply.withheldInternalAffairs?agencyId=${county}`)).status).toBe(204);
  });
});
