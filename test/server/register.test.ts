import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check/index.js';
import { deadlinesFor } from '../../src/register/deadlines.js';
import { appAuditTrail } from '../../src/store/app.js';
import { auditTrail } from '../../src/store/register.js';
import { type Fixture, fixture, newCaseBody } from './helpers.js';

// 2025-03-10, 10:00 in Beijing
const NOW = new Date('2025-03-10T02:00:00Z');
let f: Fixture;
beforeAll(async () => {
  f = await fixture('sqlite', { now: () => NOW });
});
afterAll(async () => {
  await f.cleanup();
});

const reg = () => String(f.agencies.county.id);

describe('register', () => {
  it('add → events → reply; the audit trail records every step', async () => {
    const c = await f.client('clerk');
    const add = await c.post('/api/cases', newCaseBody('2025-001', '2025-01-20'));
    expect(add.status).toBe(201);
    expect(add.body.case).toMatchObject({ id: '2025-001', receivedOn: '2025-01-20', registeredBy: 'clerk', events: [] });
    const notice = await c.post('/api/cases/2025-001/events', { type: 'correctionNotice', on: '2025-01-22', deadline: '2025-02-14' });
    expect(notice.status).toBe(200);
    expect(notice.body.status).toMatchObject({ state: 'open', suspended: 'correction' });
    expect(notice.body.case.events[0]).toMatchObject({ type: 'correctionNotice', by: 'clerk' });
    const received = await c.post('/api/cases/2025-001/events', { type: 'correctionReceived', on: '2025-02-10' });
    expect(received.status).toBe(200);
    expect(received.body.due.replyDue).toBe(deadlinesFor('2025-02-10').replyDue);
    expect(received.body.due.explanation.join('')).toMatch(/重新计算/);
    const reply = await c.post('/api/cases/2025-001/events', { type: 'reply', on: '2025-03-05', outcome: 'granted' });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toMatchObject({ state: 'closed', outcome: 'granted', closedOn: '2025-03-05' });
    const detail = await c.get('/api/cases/2025-001');
    expect(detail.status).toBe(200);
    expect(detail.body.events.map((e: { event: { type: string } }) => e.event.type)).toEqual([
      'correctionNotice',
      'correctionReceived',
      'reply',
    ]);
    expect(detail.body.audit.map((a: { action: string }) => a.action)).toEqual([
      'add',
      'event:correctionNotice',
      'event:correctionReceived',
      'event:reply',
    ]);
    expect(detail.body.due.explanation.length).toBeGreaterThan(1);
    const rows = await auditTrail(f.db as never, '2025-001', reg());
    expect(rows.every((r) => r.who === 'clerk')).toBe(true);
  });

  it('an illegal transition is 409 with the TransitionCode and the Chinese sentence; nothing changes', async () => {
    const c = await f.client('clerk');
    const again = await c.post('/api/cases/2025-001/events', { type: 'reply', on: '2025-03-06', outcome: 'granted' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'closed',
      message: expect.stringMatching(/已于 2025-03-05 办结/),
      messageEn: expect.stringMatching(/concluded/),
    });
    await c.post('/api/cases', newCaseBody('2025-010', '2025-02-20'));
    const noNotice = await c.post('/api/cases/2025-010/events', { type: 'correctionReceived', on: '2025-02-21' });
    expect(noNotice.status).toBe(409);
    expect(noNotice.body.error.code).toBe('no-correction');
    expect(noNotice.body.error.message).toBe('尚未发出补正告知，不能登记收到补正。');
    const bad = await c.post('/api/cases/2025-010/events', { type: 'reply', on: '2025-02-21', outcome: 'otherFeeUnpaid' });
    expect(bad.status).toBe(409);
    expect(bad.body.error.code).toBe('bad-outcome');
    expect((await c.get('/api/cases/2025-010')).body.events).toEqual([]);
  });

  it('validation: unknown event types and bad dates are 400; an incomplete application is 409 invalid-case; a duplicate id 409', async () => {
    const c = await f.client('clerk');
    const unknown = await c.post('/api/cases/2025-010/events', { type: 'teleport', on: '2025-02-21' });
    expect(unknown.status).toBe(400);
    const date = await c.post('/api/cases/2025-010/events', { type: 'withdrawal', on: '21/02/2025' });
    expect(date.status).toBe(400);
    expect(date.body.error.details.issues[0]).toMatchObject({ path: ['on'], message: expect.stringMatching(/YYYY-MM-DD/) });
    const missing = await c.post('/api/cases', { ...newCaseBody('2025-011', '2025-02-20') });
    expect(missing.status).toBe(201);
    const empty = await c.post(
      '/api/cases',
      newCaseBody('2025-012', '2025-02-20', { applicant: { name: ' ', identity: { type: '居民身份证', number: '1' }, contact: {} } }),
    );
    expect(empty.status).toBe(409);
    expect(empty.body.error.code).toBe('invalid-case');
    expect(empty.body.error.message).toMatch(/第二十九条/);
    const dup = await c.post('/api/cases', newCaseBody('2025-011', '2025-02-20'));
    expect(dup.status).toBe(409);
    const shape = await c.post('/api/cases', { applicant: 'x' });
    expect(shape.status).toBe(400);
    expect((await c.post('/api/cases/nope/events', { type: 'withdrawal', on: '2025-02-21' })).status).toBe(404);
    expect((await c.get('/api/cases/nope')).status).toBe(404);
  });

  it('numbers new cases YYYY-NNN when no id is given', async () => {
    const c = await f.client('clerk');
    const a = await c.post('/api/cases', newCaseBody(undefined, '2025-02-13'));
    expect(a.status).toBe(201);
    expect(a.body.case.id).toBe('2025-012');
    const b = await c.post('/api/cases', newCaseBody(undefined, '2024-12-30', { receipt: { channel: 'post', arrivedOn: '2024-12-30' } }));
    expect(b.body.case.id).toBe('2024-001');
  });

  it('lists with filters: open, closed, overdue, dueSoon, applicant type, dates, text', async () => {
    const c = await f.client('clerk');
    // received 2025-01-24, due 2025-02-28: overdue on 2025-03-10 (2025-01-24 + 20 working days)
    await c.post(
      '/api/cases',
      newCaseBody('2025-020', '2025-01-24', {
        applicantType: 'commercial',
        applicant: { name: '某某公司', identity: { type: '营业执照', number: 'X1' }, contact: { email: 'a@b.c' } },
      }),
    );
    const ids = async (q: string) => ((await c.get(`/api/cases${q}`)).body.cases as { id: string }[]).map((x) => x.id);
    const all = await c.get('/api/cases');
    expect(all.body.today).toBe('2025-03-10');
    expect(all.body.cases[0]).toMatchObject({
      id: '2024-001',
      agencyId: f.agencies.county.id,
      applicantName: '张三',
      applicantType: 'naturalPerson',
      receivedOn: '2024-12-30',
      description: '某小区规划许可证',
      status: { state: 'open', overdue: true },
    });
    expect(await ids('?status=closed')).toEqual(['2025-001']);
    expect(await ids('?status=open')).not.toContain('2025-001');
    const due2013 = deadlinesFor('2025-02-13').replyDue;
    expect(due2013 > '2025-03-10').toBe(true);
    expect(await ids('?status=dueSoon')).toEqual(['2025-012']);
    expect(await ids('?status=overdue')).toEqual(['2024-001', '2025-020']);
    expect(await ids('?applicantType=commercial')).toEqual(['2025-020']);
    expect(await ids('?from=2025-02-01&to=2025-02-28')).toEqual(['2025-012', '2025-010', '2025-011']);
    expect(await ids('?q=某某')).toEqual(['2025-020']);
    expect(await ids('?q=2025-00')).toEqual(['2025-001']);
    expect((await c.get('/api/cases?status=late')).status).toBe(400);
    expect((await c.get('/api/cases?from=yesterday')).status).toBe(400);
  });

  it('a 按件 fee notice without priorThisMonth counts the register', async () => {
    const c = await f.client('clerk');
    for (const [id, on] of [
      ['2025-030', '2025-02-14'],
      ['2025-031', '2025-02-17'],
    ]) {
      await c.post(
        '/api/cases',
        newCaseBody(id, on, { applicant: { name: '王五', identity: { type: '居民身份证', number: 'SAME' }, contact: { phone: '1' } } }),
      );
    }
    const r = await c.post('/api/cases/2025-031/events', {
      type: 'feeNotice',
      on: '2025-02-18',
      fee: { method: 'perApplication', units: 12 },
    });
    expect(r.status).toBe(200);
    expect(r.body.case.events[0].fee.priorThisMonth).toBe(1);
  });

  it('scope: another clerk cannot see or write the cases (404); readonly and reviewer cannot write (403)', async () => {
    const clerk2 = await f.client('clerk2');
    expect((await clerk2.get('/api/cases/2025-001')).status).toBe(404);
    expect((await clerk2.get(`/api/cases/2025-001?agencyId=${f.agencies.county.id}`)).status).toBe(404);
    expect((await clerk2.get(`/api/cases?agencyId=${f.agencies.county.id}`)).status).toBe(404);
    expect((await clerk2.get('/api/cases')).body.cases).toEqual([]);
    expect((await clerk2.post('/api/cases/2025-010/events', { type: 'withdrawal', on: '2025-02-21' })).status).toBe(404);
    expect(
      (await clerk2.post(`/api/cases/2025-010/events?agencyId=${f.agencies.county.id}`, { type: 'withdrawal', on: '2025-02-21' })).status,
    ).toBe(404);
    expect((await clerk2.post(`/api/cases?agencyId=${f.agencies.county.id}`, newCaseBody('X-1', '2025-02-20'))).status).toBe(404);

    const ro = await f.client('readonly');
    expect((await ro.get('/api/cases')).body.cases.length).toBeGreaterThan(3);
    expect((await ro.get('/api/cases/2025-001')).status).toBe(200);
    expect((await ro.post('/api/cases', newCaseBody('X-2', '2025-02-20'))).status).toBe(403);
    expect((await ro.post('/api/cases/2025-010/events', { type: 'withdrawal', on: '2025-02-21' })).status).toBe(403);

    const reviewer = await f.client('reviewer');
    expect((await reviewer.get(`/api/cases?agencyId=${f.agencies.county.id}`)).body.cases.length).toBeGreaterThan(3);
    expect((await reviewer.get(`/api/cases/2025-001?agencyId=${f.agencies.county.id}`)).status).toBe(200);
    expect((await reviewer.post(`/api/cases?agencyId=${f.agencies.county.id}`, newCaseBody('X-3', '2025-02-20'))).status).toBe(403);
    expect((await (await f.client('reviewerB')).get(`/api/cases?agencyId=${f.agencies.county.id}`)).status).toBe(404);

    const admin = await f.client('admin');
    const added = await admin.post(`/api/cases?agencyId=${f.agencies.county2.id}`, newCaseBody('2025-001', '2025-02-20'));
    expect(added.status).toBe(201);
    // the same number in another agency's register is another case
    expect((await clerk2.get('/api/cases/2025-001')).body.case.receivedOn).toBe('2025-02-20');
    expect((await (await f.client('clerk')).get('/api/cases/2025-001')).body.case.receivedOn).toBe('2025-01-20');
    expect((await admin.post('/api/cases', newCaseBody('X-4', '2025-02-20'))).status).toBe(201);
    // without agencyId a reviewer lists every register in scope, each case with its agency
    const mixed = (await reviewer.get('/api/cases?q=2025-001')).body.cases.map((x: { id: string; agencyId: number }) => [x.agencyId, x.id]);
    expect(mixed).toEqual([
      [f.agencies.county.id, '2025-001'],
      [f.agencies.county2.id, '2025-001'],
    ]);
    expect((await reviewer.get(`/api/cases?agencyId=${f.agencies.county2.id}`)).body.cases.map((x: { id: string }) => x.id)).toEqual([
      '2025-001',
    ]);
    expect((await (await f.client('reviewerB')).get('/api/cases')).body.cases).toEqual([]);
  });

  it('deadline: the four dates with the explanation; a year without a notice is provisional; before 2019 is 400 out-of-range', async () => {
    const c = await f.client('readonly');
    const r = await c.get('/api/deadline?received=2025-01-20');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      receivedOn: '2025-01-20',
      correctionNoticeDue: '2025-02-05',
      replyDue: '2025-02-21',
      extendedReplyDue: '2025-03-21',
      provisional: { correctionNoticeDue: false, replyDue: false, extendedReplyDue: false },
      provisionalYears: [],
    });
    expect(r.body.explanation.join('\n')).toMatch(/第三十三条/);
    const later = await c.get('/api/deadline?received=2035-01-02');
    expect(later.status).toBe(200);
    expect(later.body.provisional).toEqual({ correctionNoticeDue: true, replyDue: true, extendedReplyDue: true });
    expect(later.body.provisionalYears).toEqual([2035]);
    expect(later.body.explanation.join('\n')).toContain('（暂定）');
    const early = await c.get('/api/deadline?received=2018-06-01');
    expect(early.status).toBe(400);
    expect(early.body.error.code).toBe('out-of-range');
    const bad = await c.get('/api/deadline?received=2025-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad-date');
    expect((await c.get('/api/deadline')).status).toBe(400);
  });
});

describe('compile (年报编制)', () => {
  const draft = {
    agency: '甲市一区人民政府',
    publishedOn: '2025-01-25',
    proactive: {
      regulations: { issued: 0, repealed: 0, inForce: 1 },
      normativeDocuments: { issued: 3, repealed: 1, inForce: 20 },
      licensing: { decisions: 800 },
      punishment: { decisions: 40 },
      enforcement: { decisions: 2 },
      fees: { amount: '0' },
    },
    sections: { overview: '2024年，我区认真落实政府信息公开工作。', problems: null, other: '本年度未收取信息处理费。' },
  };

  it('GET builds 表二/表三 from the register; PUT saves the draft; check does not save', async () => {
    const c = await f.client('clerk');
    const first = await c.get('/api/compile/2024');
    expect(first.status).toBe(200);
    expect(first.body.draft).toBeNull();
    expect(first.body.report).toMatchObject({ format: '2021', year: 2024, agency: '甲市一区人民政府' });
    // one case received in 2024 (2024-001), still open at the end of the year
    expect(first.body.report.applications.newReceived.total).toBe(1);
    expect(first.body.report.applications.carriedForward.total).toBe(1);
    expect(first.body.grids).toHaveLength(3);
    const saved = await c.put('/api/compile/2024', { draft });
    expect(saved.status).toBe(200);
    expect(saved.body.draft).toEqual(draft);
    expect(saved.body.report.proactive.normativeDocuments).toEqual({ issued: 3, repealed: 1, inForce: 20 });
    expect(saved.body.report.sections.overview).toBe(draft.sections.overview);
    // the checker's diagnostics of the compiled report (no report of 2023 in the library: no cross-year rules)
    expect(saved.body.diagnostics).toEqual(JSON.parse(JSON.stringify(check({ report: saved.body.report }))));
    const again = await c.get('/api/compile/2024');
    expect(again.body.draft).toEqual(draft);
    expect(again.body.report.proactive.licensing.decisions).toBe(800);
    const live = await c.post('/api/compile/2024/check', { draft: { ...draft, proactive: { licensing: { decisions: 5 } } } });
    expect(live.status).toBe(200);
    expect(live.body.report.proactive.licensing.decisions).toBe(5);
    expect(live.body.report.proactive.punishment.decisions).toBeNull();
    expect((await c.get('/api/compile/2024')).body.report.proactive.licensing.decisions).toBe(800);
    const y2025 = await c.get('/api/compile/2025');
    expect(y2025.body.report.applications.carriedOver.total).toBe(1);
    expect(y2025.body.report.applications.newReceived.total).toBeGreaterThan(5);
    const audit = await appAuditTrail(f.db, { action: 'draft:save' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ who: 'clerk', agencyId: f.agencies.county.id, before: null, after: draft });
  });

  it('live checks name the narrative sections still to be written', async () => {
    const c = await f.client('clerk');
    const missing = (await c.post('/api/compile/2024/check', { draft })).body.diagnostics as { rule: string; message: string }[];
    // 五 is empty in the draft
    expect(
      missing
        .filter((d) => d.rule === 'sections-present')
        .map((d) => d.message)
        .join(),
    ).toContain('五、存在的主要问题及改进情况');
    const whole = { ...draft, sections: { ...draft.sections, problems: '一是……；二是……。上年度问题已整改。' } };
    const complete = (await c.post('/api/compile/2024/check', { draft: whole })).body.diagnostics as { rule: string }[];
    expect(complete.filter((d) => d.rule === 'sections-present')).toEqual([]);
  });

  it('scope and roles', async () => {
    expect((await (await f.client('readonly')).put('/api/compile/2024', { draft })).status).toBe(403);
    expect((await (await f.client('reviewer')).put(`/api/compile/2024?agencyId=${f.agencies.county.id}`, { draft })).status).toBe(403);
    expect((await (await f.client('reviewer')).get(`/api/compile/2024?agencyId=${f.agencies.county.id}`)).body.draft).toEqual(draft);
    expect((await (await f.client('readonly')).get('/api/compile/2024')).status).toBe(200);
    const clerk2 = await f.client('clerk2');
    expect((await clerk2.get(`/api/compile/2024?agencyId=${f.agencies.county.id}`)).status).toBe(404);
    expect((await clerk2.put(`/api/compile/2024?agencyId=${f.agencies.county.id}`, { draft })).status).toBe(404);
    expect((await clerk2.get('/api/compile/2024')).body.draft).toBeNull();
    expect((await clerk2.get('/api/compile/20x4')).status).toBe(400);
    expect((await clerk2.put('/api/compile/2024', { draft: { proactive: { fees: { amount: { x: 1 } } } } })).status).toBe(400);
  });
});
