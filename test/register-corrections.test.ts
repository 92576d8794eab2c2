/**
 * Corrections of the register's cases: voiding an event, amending the application, recomputing under
 * a new holiday calendar, and refusing dates after today — each with its valid and invalid examples.
 */
import { describe, expect, it } from 'vitest';
import { type EnteredNotice, shippedHolidays, WorkingCalendar } from '../src/register/calendar.js';
import {
  amendCase,
  applyEvent,
  type Case,
  type CaseEvent,
  createCase,
  describeChange,
  dueDates,
  type NewCase,
  rebuild,
  recalculate,
  status,
  TransitionError,
  voidEvent,
} from '../src/register/case.js';
import { safeCaseView, views } from '../src/register/view.js';

const by = '王五';

function newCase(receivedOn: string, over: Partial<NewCase> = {}): NewCase {
  return {
    id: 'X-1',
    applicant: { name: '李四', identity: { type: '居民身份证', number: '110101199001011234' }, contact: { phone: '13800000000' } },
    applicantType: 'naturalPerson',
    request: { description: '某路段改造项目批复文件' },
    delivery: { form: '纸质', channel: '邮寄' },
    receipt: { channel: 'inPerson', arrivedOn: receivedOn },
    registeredBy: by,
    ...over,
  };
}

function refused(f: () => unknown, code: string, zh: string): TransitionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TransitionError);
    expect((e as TransitionError).code).toBe(code);
    expect((e as TransitionError).zh).toContain(zh);
    return e as TransitionError;
  }
  throw new Error('expected a TransitionError');
}

const apply = (c: Case, ...events: CaseEvent[]) => events.reduce((x, e) => applyEvent(x, e), c);

describe('dates after today', () => {
  it('a case received after today is refused; today itself is fine', () => {
    refused(() => createCase(newCase('2026-12-07'), { today: '2026-12-06' }), 'future-date', '收件日期 2026-12-07 晚于今天（2026-12-06）');
    expect(createCase(newCase('2026-12-06'), { today: '2026-12-06' }).receivedOn).toBe('2026-12-06');
    // without a clock (replaying stored data) nothing is judged against today
    expect(createCase(newCase('2026-12-07')).receivedOn).toBe('2026-12-07');
  });

  it('an event dated after today is refused and changes nothing; a correction deadline may lie ahead', () => {
    const c = createCase(newCase('2026-12-01'));
    refused(
      () =>
        applyEvent(
          c,
          { type: 'extension', on: '2026-12-08', by, days: 5, approver: '主任', applicantNotified: true },
          { today: '2026-12-07' },
        ),
      'future-date',
      '延长答复期限日期 2026-12-08 晚于今天（2026-12-07）',
    );
    const notice = applyEvent(c, { type: 'correctionNotice', on: '2026-12-07', by, deadline: '2026-12-21' }, { today: '2026-12-07' });
    expect(notice.state.correction?.deadline).toBe('2026-12-21');
    expect(c.events).toHaveLength(0);
  });
});

describe('voiding an event', () => {
  const received = '2025-03-03';
  const ext: CaseEvent = { type: 'extension', on: '2025-03-20', by, days: 10, approver: '主任', applicantNotified: true };
  const reply: CaseEvent = { type: 'reply', on: '2025-03-25', by, outcome: 'granted' };

  it('voiding a reply reopens the case; the event is kept, marked, and the revision says who and why', () => {
    const closed = apply(createCase(newCase(received)), ext, reply);
    expect(status(closed, '2025-03-26').state).toBe('closed');
    const open = voidEvent(closed, 2, { by: '赵六', reason: '答复登记错了案件', at: '2025-03-26T01:00:00.000Z' });
    expect(status(open, '2025-03-26').state).toBe('open');
    expect(open.state.closed).toBeNull();
    expect(open.events).toHaveLength(2);
    expect(open.events[1]).toEqual({ ...reply, voided: { at: '2025-03-26T01:00:00.000Z', by: '赵六', reason: '答复登记错了案件' } });
    expect(open.revisions).toEqual([
      {
        kind: 'void',
        at: '2025-03-26T01:00:00.000Z',
        by: '赵六',
        reason: '答复登记错了案件',
        seq: 2,
        changes: [{ field: 'events.2', label: '答复', from: '2025-03-25', to: null }],
      },
    ]);
    // the extension still counts: 30 working days from 2025-03-03
    expect(dueDates(open).extensionDays).toBe(10);
    // and a new reply can be recorded
    expect(applyEvent(open, { ...reply, on: '2025-03-27' }).state.closed?.on).toBe('2025-03-27');
  });

  it('voiding the extension recomputes the due date as if it had not been granted', () => {
    const c = apply(createCase(newCase(received)), ext);
    const before = dueDates(c).replyDue;
    const after = voidEvent(c, 1, { by, reason: '未经负责人批准' });
    expect(after.state.extensionDays).toBe(0);
    expect(dueDates(after).replyDue).toBe(dueDates(createCase(newCase(received))).replyDue);
    expect(dueDates(after).replyDue).not.toBe(before);
  });

  it('is refused without a reason, for an unknown or already void event, and when a later event depends on it', () => {
    const c = apply(
      createCase(newCase(received)),
      { type: 'correctionNotice', on: '2025-03-05', by, deadline: '2025-03-20' },
      { type: 'correctionReceived', on: '2025-03-10', by },
    );
    refused(() => voidEvent(c, 1, { by, reason: '  ' }), 'void', '须写明理由');
    refused(() => voidEvent(c, 3, { by, reason: 'x' }), 'void', '没有第 3 个事件');
    refused(() => voidEvent(c, 1, { by, reason: '补正告知是误登' }), 'void', '请先作废依赖它的后续事件');
    const once = voidEvent(c, 2, { by, reason: '补正材料不是本案的' });
    refused(() => voidEvent(once, 2, { by, reason: 'again' }), 'void', '已于');
    // with the later one void, the first can go too
    const both = voidEvent(once, 1, { by, reason: '补正告知是误登' });
    expect(both.state.correction).toBeNull();
    expect(both.revisions?.map((r) => r.seq)).toEqual([2, 1]);
  });
});

describe('amending the application', () => {
  it('changes the fields, keeps the old values in the revision, and recomputes from a new date of receipt', () => {
    const c = apply(createCase(newCase('2025-03-03')), {
      type: 'extension',
      on: '2025-03-20',
      by,
      days: 5,
      approver: '主任',
      applicantNotified: true,
    });
    const a = amendCase(
      c,
      { applicant: { name: '李四四' }, applicantType: 'commercial', receipt: { arrivedOn: '2025-03-04' } },
      { by: '赵六', reason: '录入时看错了登记表', at: '2025-03-21T00:00:00.000Z' },
    );
    expect(a.applicant.name).toBe('李四四');
    expect(a.applicant.identity.number).toBe('110101199001011234');
    expect(a.receivedOn).toBe('2025-03-04');
    expect(a.events).toHaveLength(1);
    expect(a.state.extensionDays).toBe(5);
    expect(dueDates(a).replyDue).toBe(dueDates({ ...c, receivedOn: '2025-03-04' }).replyDue);
    expect(a.revisions?.[0]).toMatchObject({ kind: 'amend', by: '赵六', reason: '录入时看错了登记表' });
    expect(a.revisions?.[0].changes).toEqual([
      { field: 'applicant.name', label: '申请人姓名或者名称', from: '李四', to: '李四四' },
      { field: 'applicantType', label: '申请人类型', from: '自然人', to: '商业企业' },
      { field: 'receipt.arrivedOn', label: '收件日期', from: '2025-03-03', to: '2025-03-04' },
      { field: 'receivedOn', label: '收到申请之日', from: '2025-03-03', to: '2025-03-04' },
    ]);
  });

  it('is refused when the result is not a valid application, changes nothing, or breaks an event', () => {
    const c = apply(createCase(newCase('2025-03-03')), { type: 'reply', on: '2025-03-10', by, outcome: 'granted' });
    refused(() => amendCase(c, { applicant: { name: '' } }, { by, reason: '清空' }), 'invalid-case', '申请人姓名或者名称');
    refused(() => amendCase(c, { applicant: { name: '李四' } }, { by, reason: '无改动' }), 'amend', '没有改动');
    refused(() => amendCase(c, { receipt: { arrivedOn: '2025-03-11' } }, { by, reason: '日期' }), 'amend', '不再成立');
    refused(
      () => amendCase(c, { receipt: { arrivedOn: '2025-03-09' } }, { by, reason: '日期' }, { today: '2025-03-08' }),
      'future-date',
      '晚于今天',
    );
    refused(() => amendCase(c, { applicant: { name: '王' } }, { by, reason: '' }), 'amend', '须写明理由');
  });
});

describe('recalculating under a new holiday calendar', () => {
  const provisional = new WorkingCalendar(shippedHolidays());
  const notice: EnteredNotice = {
    id: 1,
    year: 2027,
    jurisdiction: '',
    title: '国务院办公厅关于2027年部分节假日安排的通知',
    // 元旦 1/1–1/3 and a 春节 break of 2/5–2/11 with make-up days 2/14 (Sun) and 2/20 (Sat)
    daysOff: Object.fromEntries([
      ...['01', '02', '03'].map((d) => [`2027-01-${d}`, '元旦']),
      ...['05', '06', '07', '08', '09', '10', '11'].map((d) => [`2027-02-${d}`, '春节']),
    ]),
    makeUpWorkdays: { '2027-02-14': '春节', '2027-02-20': '春节' },
    enteredBy: '管理员',
    enteredAt: '2026-11-05T00:00:00.000Z',
  };
  const official = new WorkingCalendar(shippedHolidays(), { entered: [notice] });

  it('a date that runs into 2027 is provisional before the notice and official after; the revision lists it', () => {
    const c = createCase(newCase('2027-01-20'));
    const before = dueDates(c, { calendar: provisional });
    expect(before.provisional.replyDue).toBe(true);
    expect(before.explanation.join('')).toContain('暂定');
    const next = recalculate(c, provisional, official, { by: '管理员', reason: '录入2027年通知', at: '2026-11-05T00:00:00.000Z' });
    expect(next).not.toBeNull();
    const after = dueDates(next as Case, { calendar: official });
    expect(after.provisional.replyDue).toBe(false);
    // by hand: 11 working days to 2/4; provisional: 除夕–初三 2/5–2/8 and the 补假 2/9–2/10 off, then
    // 2/11 … 2/23 is the 20th; the notice: 2/5–2/11 off, but 2/14 (Sun) and 2/20 (Sat) are working days,
    // so the 20th is 2/22
    expect(before.replyDue).toBe('2027-02-23');
    expect(after.replyDue).toBe('2027-02-22');
    const rev = (next as Case).revisions?.at(-1);
    expect(rev?.kind).toBe('calendar');
    expect(rev?.changes.map(describeChange)).toEqual([
      '补正告知期限 2027-01-29 由暂定改为确定',
      '答复期限由 2027-02-23（暂定）改为 2027-02-22',
    ]);
  });

  it('a case whose dates the notice does not touch gets no revision', () => {
    const c = createCase(newCase('2026-03-02'));
    expect(recalculate(c, provisional, official, { by: '管理员', reason: 'x' })).toBeNull();
  });

  it('a step that was in time under the provisional days and is late under the notice is kept, with a note', () => {
    // a fee notice on the last day of the provisional reply period (2/23), which the notice moves to 2/22
    const c0 = createCase(newCase('2027-01-20'));
    const lastDay = dueDates(c0, { calendar: provisional }).replyDue as string;
    expect(lastDay).toBe('2027-02-23');
    const c = applyEvent(c0, { type: 'feeNotice', on: lastDay, by, fee: { method: 'perPage', pages: 200 } }, { calendar: provisional });
    const next = rebuild(c, { calendar: official });
    expect(next.events).toHaveLength(1);
    expect(next.state.fee?.noticeOn).toBe(lastDay);
    expect(next.state.warnings?.map((w) => [w.seq, w.type])).toEqual([[1, 'feeNotice']]);
    expect(next.state.warnings?.[0].zh).toContain('收费通知应在答复期限内发出');
    // recorded anew, the same step is refused
    refused(
      () => applyEvent(c0, { type: 'feeNotice', on: lastDay, by, fee: { method: 'perPage', pages: 200 } }, { calendar: official }),
      'fee-late',
      '答复期限已于',
    );
  });
});

describe('what is shown after a step never fails it', () => {
  it('safeCaseView returns the case with its problem when the computation throws', () => {
    const c = createCase(newCase('2025-03-03'));
    const original = views.caseView;
    views.caseView = () => {
      throw new Error('boom');
    };
    try {
      const v = safeCaseView(c, '2025-03-04');
      expect(v.due).toBeNull();
      expect(v.status.state).toBe('open');
      expect(v.problem?.zh).toContain('boom');
    } finally {
      views.caseView = original;
    }
    expect(safeCaseView(c, '2025-03-04').problem).toBeNull();
  });
});
