/**
 * The register's API on every day (issue 12): a case received in December 2026, whose dates run into
 * 2027 (no notice yet), is registered, opened, extended and replied to; a stored step is a success
 * even when what is shown afterwards fails; voiding and amending; entering a holiday notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { views } from '../../src/register/view.js';
import { getCase } from '../../src/store/register.js';
import { NOTICE_2027 } from '../helpers/holidays.js';
import { type Fixture, fixture, newCaseBody } from './helpers.js';

// 2026-12-06, 10:00 in Beijing
const NOW = new Date('2026-12-06T02:00:00Z');
let f: Fixture;
beforeAll(async () => {
  f = await fixture('sqlite', { now: () => NOW });
});
afterAll(async () => {
  await f.cleanup();
});
const reg = () => String(f.agencies.county.id);

/** makes what is shown after a commit throw, for the duration of `fn` */
async function viewsFailing<T>(fn: () => Promise<T>): Promise<T> {
  const original = views.caseView;
  views.caseView = () => {
    throw new Error('模拟的期限计算故障');
  };
  try {
    return await fn();
  } finally {
    views.caseView = original;
  }
}

describe('a case whose dates run into a year without a notice', () => {
  it('is registered, opens, is extended and replied to, each step a success; its dates are marked provisional', async () => {
    const c = await f.client('clerk');
    const add = await c.post('/api/cases', newCaseBody(undefined, '2026-12-04'));
    expect(add.status).toBe(201);
    const id = add.body.case.id;
    expect(id).toBe('2026-001');
    expect(add.body.problem).toBeNull();
    expect(add.body.due).toMatchObject({
      replyDue: '2027-01-04',
      provisional: { correctionNoticeDue: false, replyDue: true },
      provisionalYears: [2027],
    });
    expect(add.body.status).toMatchObject({ state: 'open', replyDue: '2027-01-04', replyDueProvisional: true });
    const page = await c.get(`/api/cases/${id}`);
    expect(page.status).toBe(200);
    expect(page.body.due.explanation.join('')).toContain('2027 年的放假安排尚未录入国务院办公厅通知');
    const ext = await c.post(`/api/cases/${id}/events`, {
      type: 'extension',
      on: '2026-12-06',
      days: 20,
      approver: '主任',
      applicantNotified: true,
    });
    expect(ext.status).toBe(200);
    expect(ext.body.due).toMatchObject({ workingDays: 40, provisional: { replyDue: true } });
    const reply = await c.post(`/api/cases/${id}/events`, { type: 'reply', on: '2026-12-06', outcome: 'granted' });
    expect(reply.status).toBe(200);
    expect(reply.body.status.state).toBe('closed');
    for (const q of ['', '?status=open', '?status=overdue', '?status=dueSoon', '?status=closed']) {
      const list = await c.get(`/api/cases${q}`);
      expect(list.status, q).toBe(200);
    }
    const deadline = await c.get('/api/deadline?received=2026-11-06');
    expect(deadline.status).toBe(200);
    expect(deadline.body.provisional).toEqual({ correctionNoticeDue: false, replyDue: false, extendedReplyDue: true });
  });

  it('a date after today (in Beijing) is refused with 409 future-date and nothing is stored', async () => {
    const c = await f.client('clerk');
    const add = await c.post('/api/cases', newCaseBody('LATER', '2026-12-07'));
    expect(add.status).toBe(409);
    expect(add.body.error.code).toBe('future-date');
    expect(add.body.error.message).toContain('晚于今天（2026-12-06）');
    expect(await getCase(f.db as never, 'LATER', reg())).toBeUndefined();
    await c.post('/api/cases', newCaseBody('NOW', '2026-12-06'));
    const ev = await c.post('/api/cases/NOW/events', { type: 'withdrawal', on: '2026-12-07' });
    expect(ev.status).toBe(409);
    expect(ev.body.error.code).toBe('future-date');
    expect((await getCase(f.db as never, 'NOW', reg()))?.events).toEqual([]);
  });
});

describe('a stored step is a success whatever happens after the commit', () => {
  it('registering, recording, opening and listing answer with the problem instead of an error', async () => {
    const c = await f.client('clerk');
    const add = await viewsFailing(() => c.post('/api/cases', newCaseBody('AFTER', '2026-12-01')));
    expect(add.status).toBe(201);
    expect(add.body.due).toBeNull();
    expect(add.body.problem.zh).toContain('模拟的期限计算故障');
    expect(await getCase(f.db as never, 'AFTER', reg())).toBeDefined();
    const ev = await viewsFailing(() =>
      c.post('/api/cases/AFTER/events', { type: 'extension', on: '2026-12-04', days: 5, approver: '主任', applicantNotified: true }),
    );
    expect(ev.status).toBe(200);
    expect(ev.body.case.events).toHaveLength(1);
    expect((await getCase(f.db as never, 'AFTER', reg()))?.events).toHaveLength(1);
    const page = await viewsFailing(() => c.get('/api/cases/AFTER'));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ case: { id: 'AFTER' }, due: null, status: { state: 'open' } });
    expect(page.body.events).toHaveLength(1);
    const list = await viewsFailing(() => c.get('/api/cases'));
    expect(list.status).toBe(200);
    expect(list.body.cases.find((x: { id: string }) => x.id === 'AFTER').problem.zh).toContain('模拟的期限计算故障');
    // and once the computation works again, the dates are there
    expect((await c.get('/api/cases/AFTER')).body.due.extensionDays).toBe(5);
  });

  it('a case whose stored data is damaged is listed with its problem and its page still opens', async () => {
    const c = await f.client('clerk');
    await c.post('/api/cases', newCaseBody('BROKEN', '2026-11-30'));
    await f.db
      .updateTable('cases' as never)
      .set({ data: '{"broken' } as never)
      .where('id' as never, '=', 'BROKEN' as never)
      .execute();
    const list = await c.get('/api/cases');
    expect(list.status).toBe(200);
    const row = list.body.cases.find((x: { id: string }) => x.id === 'BROKEN');
    expect(row.problem.zh).toContain('已损坏');
    expect(list.body.cases.length).toBeGreaterThan(1);
    const page = await c.get('/api/cases/BROKEN');
    expect(page.status).toBe(200);
    expect(page.body.case).toBeNull();
    expect(page.body.problem.zh).toContain('已损坏');
    expect(page.body.audit.map((a: { action: string }) => a.action)).toEqual(['add']);
  });
});

describe('the statistics survive an odd case', () => {
  it('年报编制 leaves a case it cannot read out of 表二 and names it', async () => {
    const c = await f.client('clerk');
    await c.post('/api/cases', newCaseBody('ODD', '2026-11-30'));
    await f.db
      .updateTable('cases' as never)
      .set({ applicant_type: 'martian' } as never)
      .where('id' as never, '=', 'ODD' as never)
      .execute();
    const r = await c.get('/api/compile/2026');
    expect(r.status).toBe(200);
    expect(r.body.registerProblems).toEqual([
      {
        caseId: 'ODD',
        zh: '申请“ODD”未计入统计：申请人类型“martian”无效。',
        en: 'Case "ODD" is left out of the statistics: unknown applicant type "martian".',
      },
    ]);
    expect(r.body.report.applications.newReceived.total).toBeGreaterThan(0);
  });
});

describe('corrections', () => {
  it('voids a reply (the case opens again), refuses what a later event depends on, amends a field', async () => {
    const c = await f.client('clerk');
    await c.post('/api/cases', newCaseBody('V1', '2026-11-02'));
    await c.post('/api/cases/V1/events', { type: 'correctionNotice', on: '2026-11-03', deadline: '2026-11-20' });
    await c.post('/api/cases/V1/events', { type: 'correctionReceived', on: '2026-11-10' });
    await c.post('/api/cases/V1/events', { type: 'reply', on: '2026-11-20', outcome: 'granted' });
    const refused = await c.post('/api/cases/V1/events/1/void', { reason: '误登' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('void');
    expect(refused.body.error.message).toContain('请先作废依赖它的后续事件');
    const noReason = await c.post('/api/cases/V1/events/3/void', { reason: '' });
    expect(noReason.status).toBe(400);
    const voided = await c.post('/api/cases/V1/events/3/void', { reason: '答复登记错了案件' });
    expect(voided.status).toBe(200);
    expect(voided.body.status.state).toBe('open');
    expect(voided.body.case.events[2].voided).toMatchObject({ by: 'clerk', reason: '答复登记错了案件' });
    const page = await c.get('/api/cases/V1');
    expect(page.body.events[2].event.voided.reason).toBe('答复登记错了案件');
    expect(page.body.audit.map((a: { action: string }) => a.action).at(-1)).toBe('void:3');
    const amend = await c.patch('/api/cases/V1', { changes: { applicant: { name: '张叁' } }, reason: '姓名录错' });
    expect(amend.status).toBe(200);
    expect(amend.body.case.revisions.at(-1).changes).toEqual([
      { field: 'applicant.name', label: '申请人姓名或者名称', from: '张三', to: '张叁' },
    ]);
    const ro = await (await f.client('readonly')).post('/api/cases/V1/events/1/void', { reason: 'x' });
    expect(ro.status).toBe(403);
  });
});

describe('holiday notices', () => {
  it('lists the years; an administrator previews the pasted 2027 notice and enters it; open cases are recomputed', async () => {
    const clerk = await f.client('clerk');
    await clerk.post('/api/cases', newCaseBody('H1', '2026-12-04'));
    const years = await clerk.get('/api/holidays');
    expect(years.status).toBe(200);
    expect(years.body.years.find((y: { year: number }) => y.year === 2027)).toMatchObject({ kind: 'provisional' });
    expect(years.body.years.find((y: { year: number }) => y.year === 2026)).toMatchObject({ kind: 'shipped' });
    expect((await clerk.post('/api/holidays/preview', { text: NOTICE_2027 })).status).toBe(403);
    const admin = await f.client('admin');
    const bad = await admin.post('/api/holidays/preview', { text: '这不是放假通知' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('bad-notice');
    const preview = await admin.post('/api/holidays/preview', { text: NOTICE_2027 });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      year: 2027,
      title: '国务院办公厅关于2027年部分节假日安排的通知',
      local: false,
      current: { kind: 'provisional' },
    });
    expect(preview.body.daysOff.slice(0, 3)).toEqual([
      { date: '2027-01-01', name: '元旦', weekday: '星期五' },
      { date: '2027-01-02', name: '元旦', weekday: '星期六' },
      { date: '2027-01-03', name: '元旦', weekday: '星期日' },
    ]);
    expect(preview.body.makeUpWorkdays.map((d: { date: string }) => d.date)).toEqual([
      '2027-02-14',
      '2027-02-20',
      '2027-04-25',
      '2027-05-08',
      '2027-09-26',
      '2027-10-09',
    ]);
    // nothing stored by a preview
    expect((await clerk.get('/api/holidays')).body.years.find((y: { year: number }) => y.year === 2027).kind).toBe('provisional');
    const stored = await admin.post('/api/holidays', { text: NOTICE_2027 });
    expect(stored.status).toBe(201);
    // the damaged case of the test above cannot be recomputed: it is listed, the others are done
    expect(stored.body.problems.map((p: { caseId: string }) => p.caseId)).toEqual(['BROKEN']);
    const h1 = stored.body.recalculated.find((r: { caseId: string }) => r.caseId === 'H1');
    expect(h1).toMatchObject({ agencyId: reg() });
    expect(h1.changes.join('')).toContain('由暂定改为确定');
    const page = await clerk.get('/api/cases/H1');
    expect(page.body.due.provisional.replyDue).toBe(false);
    expect(page.body.case.revisions.at(-1)).toMatchObject({ kind: 'calendar', by: 'admin' });
    expect((await clerk.get('/api/holidays')).body.years.find((y: { year: number }) => y.year === 2027)).toMatchObject({
      kind: 'entered',
      enteredBy: 'admin',
    });
    // only an administrator of the whole tree enters a national notice; a local one needs its agency
    const reviewer = await f.client('reviewer');
    expect((await reviewer.post('/api/holidays', { text: NOTICE_2027 })).status).toBe(403);
  });
});
