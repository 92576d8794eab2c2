import { describe, expect, it } from 'vitest';
import { applicationRows } from '../src/model/format.js';
import { addWorkingDays } from '../src/register/calendar.js';
import {
  applyEvent,
  type Case,
  type CaseEvent,
  createCase,
  dueDates,
  type NewCase,
  OUTCOMES_2021,
  priorApplicationsThisMonth,
  replay,
  status,
  TransitionError,
} from '../src/register/case.js';

const by = '张三';

function newCase(receivedOn: string, over: Partial<NewCase> = {}): NewCase {
  return {
    id: `C-${receivedOn}`,
    applicant: { name: '李四', identity: { type: '居民身份证', number: '110101199001011234' }, contact: { phone: '13800000000' } },
    applicantType: 'naturalPerson',
    request: { description: '2024年某路段改造项目批复文件' },
    delivery: { form: '纸质', channel: '邮寄' },
    receipt: { channel: 'inPerson', arrivedOn: receivedOn },
    registeredBy: by,
    ...over,
  };
}

/** expects a TransitionError with the code and both message fragments */
function refused(f: () => unknown, code: string, zh: string, en?: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(TransitionError);
  const t = err as TransitionError;
  expect(t.code).toBe(code);
  expect(t.zh).toContain(zh);
  if (en) expect(t.en).toContain(en);
}

const apply = (c: Case, ...events: CaseEvent[]) => events.reduce((x, e) => applyEvent(x, e), c);

describe('the case (第二十九条, 第三十一条)', () => {
  it('the 21 outcomes are the 2021 leaf rows of 表二', () => {
    expect([...OUTCOMES_2021]).toEqual(
      applicationRows('2021')
        .filter((r) => r.leaf)
        .map((r) => r.key),
    );
    expect(OUTCOMES_2021).toHaveLength(21);
  });

  it('in person and signed post: the day of submission / signature', () => {
    expect(createCase(newCase('2025-03-03')).receivedOn).toBe('2025-03-03');
    expect(createCase(newCase('2025-03-03', { receipt: { channel: 'post', arrivedOn: '2025-03-04' } })).receivedOn).toBe('2025-03-04');
  });

  it('ordinary mail, internet and fax: the confirmation day', () => {
    for (const channel of ['ordinaryMail', 'internet', 'fax'] as const) {
      const c = createCase(newCase('2025-03-03', { receipt: { channel, arrivedOn: '2025-03-01', confirmedOn: '2025-03-03' } }));
      expect(c.receivedOn).toBe('2025-03-03');
      refused(
        () => createCase(newCase('x', { receipt: { channel, arrivedOn: '2025-03-01' } })),
        'invalid-case',
        '以双方确认之日为收到申请之日',
      );
    }
    refused(
      () => createCase(newCase('x', { receipt: { channel: 'internet', arrivedOn: '2025-03-05', confirmedOn: '2025-03-03' } })),
      'invalid-case',
      '确认日期 2025-03-03 早于收件日期 2025-03-05',
    );
    refused(
      () => createCase(newCase('x', { receipt: { channel: 'inPerson', arrivedOn: '2025-03-05', confirmedOn: '2025-03-05' } })),
      'invalid-case',
      '不需要确认日期',
    );
  });

  it('refuses missing 第二十九条 fields, a bad applicant type, a bad date', () => {
    refused(
      () => createCase(newCase('2025-03-03', { applicant: { name: '', identity: { type: '', number: '' }, contact: {} } })),
      'invalid-case',
      '第二十九条要求的内容：申请人姓名或者名称、身份证明、联系方式',
      'applicant name, identity document, contact',
    );
    refused(() => createCase(newCase('2025-03-03', { request: { description: ' ' } })), 'invalid-case', '特征性描述');
    refused(() => createCase(newCase('2025-03-03', { applicantType: 'company' as never })), 'invalid-case', '应为表二六类之一');
    refused(() => createCase(newCase('2025-02-30')), 'invalid-case', '不是真实日期');
  });
});

describe('due dates', () => {
  it('20 working days from the day after receipt; the deadline crosses into a new year', () => {
    const c = createCase(newCase('2024-12-20'));
    const d = dueDates(c);
    expect(d.replyDue).toBe('2025-01-20');
    expect(d.base).toEqual({ date: '2024-12-20', reason: 'receipt' });
    expect(d.holidaysSkipped.map((h) => h.date)).toEqual(['2025-01-01']);
    expect(d.explanation.join('\n')).toContain('答复期限为 2025-01-20');
  });

  it('2025-01-20 → correction notice due 2025-02-05, reply due 2025-02-21 (春节 skipped)', () => {
    const d = dueDates(createCase(newCase('2025-01-20')));
    expect(d.correctionNoticeDue).toBe('2025-02-05');
    expect(d.replyDue).toBe('2025-02-21');
    expect(d.explanation.join('\n')).toContain('春节');
  });

  it('status: open, due soon within 3 working days, overdue after the due date', () => {
    const c = createCase(newCase('2025-06-02')); // due 2025-06-30
    expect(status(c, '2025-06-20')).toMatchObject({ state: 'open', overdue: false, dueSoon: false, replyDue: '2025-06-30' });
    expect(status(c, '2025-06-25').dueSoon).toBe(true);
    expect(status(c, '2025-06-30')).toMatchObject({ overdue: false, dueSoon: true });
    expect(status(c, '2025-07-01')).toMatchObject({ overdue: true, dueSoon: false });
    const late = applyEvent(c, { type: 'reply', on: '2025-07-02', by, outcome: 'granted' });
    expect(status(late, '2025-07-10')).toMatchObject({ state: 'closed', outcome: 'granted', overdue: false, repliedLate: true });
  });
});

describe('补正 (第三十条)', () => {
  const c = createCase(newCase('2025-01-20'));
  const notice: CaseEvent = { type: 'correctionNotice', on: '2025-02-05', by, deadline: '2025-02-20', items: '请明确文件名称' };

  it('a notice on the 7th working day is accepted and records the deadline given', () => {
    const n = applyEvent(c, notice);
    expect(n.state.correction).toEqual({ noticeOn: '2025-02-05', deadline: '2025-02-20' });
    expect(dueDates(n)).toMatchObject({ replyDue: null, suspended: 'correction', correctionDeadline: '2025-02-20' });
    expect(c.state.correction).toBeNull(); // immutable
  });

  it('a notice after 7 working days is refused', () => {
    refused(
      () => applyEvent(c, { ...notice, on: '2025-02-06' }),
      'correction-late',
      '7 个工作日内（2025-02-05 前）',
      'within 7 working days',
    );
  });

  it('a second notice is refused', () => {
    const n = applyEvent(c, { ...notice, on: '2025-01-22' });
    refused(() => applyEvent(n, notice), 'second-correction', '不能第二次要求补正', 'one notice only');
  });

  it('a deadline not after the notice is refused', () => {
    refused(() => applyEvent(c, { ...notice, deadline: '2025-02-05' }), 'bad-event', '应晚于告知日期');
  });

  it('the reply period restarts from the corrected application', () => {
    const r = apply(c, notice, { type: 'correctionReceived', on: '2025-02-10', by });
    const d = dueDates(r);
    expect(d.base).toEqual({ date: '2025-02-10', reason: 'correction' });
    expect(d.replyDue).toBe('2025-03-10');
    expect(d.replyDue).toBe(addWorkingDays('2025-02-10', 20).due);
    expect(d.explanation[0]).toContain('重新计算');
  });

  it('while awaiting correction: no reply, no extension, no fee notice, no consultation', () => {
    const n = applyEvent(c, notice);
    refused(() => applyEvent(n, { type: 'reply', on: '2025-02-06', by, outcome: 'granted' }), 'correction-pending', '正在等待申请人补正');
    refused(
      () => applyEvent(n, { type: 'extension', on: '2025-02-06', by, days: 5, approver: '王主任', applicantNotified: true }),
      'correction-pending',
      '等待申请人补正',
    );
    refused(
      () => applyEvent(n, { type: 'feeNotice', on: '2025-02-06', by, fee: { method: 'perPage', pages: 100 } }),
      'correction-pending',
      '等待申请人补正',
    );
    refused(
      () => applyEvent(n, { type: 'consultationStarted', on: '2025-02-06', by, party: 'thirdParty', consulted: '某公司' }),
      'correction-pending',
      '等待申请人补正',
    );
  });

  it('correction received without notice, twice, or late without reason is refused', () => {
    refused(() => applyEvent(c, { type: 'correctionReceived', on: '2025-02-10', by }), 'no-correction', '尚未发出补正告知');
    const r = apply(c, notice, { type: 'correctionReceived', on: '2025-02-10', by });
    refused(() => applyEvent(r, { type: 'correctionReceived', on: '2025-02-11', by }), 'no-correction', '已于 2025-02-10 收到补正');
    const n = applyEvent(c, notice);
    refused(() => applyEvent(n, { type: 'correctionReceived', on: '2025-02-21', by }), 'correction-late', '已逾期');
    expect(applyEvent(n, { type: 'correctionReceived', on: '2025-02-21', by, goodReason: '邮路延误' }).state.correction?.receivedOn).toBe(
      '2025-02-21',
    );
  });

  it('expiry closes the case as otherNoCorrection, but only after the deadline', () => {
    const n = applyEvent(c, notice);
    refused(() => applyEvent(n, { type: 'correctionExpired', on: '2025-02-20', by }), 'correction-pending', '尚未届满');
    refused(() => applyEvent(c, { type: 'correctionExpired', on: '2025-02-21', by }), 'no-correction', '没有等待中的补正');
    const x = applyEvent(n, { type: 'correctionExpired', on: '2025-02-21', by });
    expect(x.state.closed).toEqual({ on: '2025-02-21', outcome: 'otherNoCorrection', via: 'correctionExpired' });
    expect(status(x, '2025-03-01').state).toBe('closed');
  });

  it('unableUnclear needs a received correction', () => {
    refused(
      () => applyEvent(c, { type: 'reply', on: '2025-02-06', by, outcome: 'unableUnclear' }),
      'bad-outcome',
      '补正后申请内容仍不明确',
    );
    const r = apply(
      c,
      notice,
      { type: 'correctionReceived', on: '2025-02-10', by },
      { type: 'reply', on: '2025-02-12', by, outcome: 'unableUnclear' },
    );
    expect(r.state.closed?.outcome).toBe('unableUnclear');
  });
});

describe('consultation (第三十二、三十三、三十四条)', () => {
  const c = createCase(newCase('2025-03-03')); // plain due 2025-03-31

  it('the clock pauses: the working days from the day after it starts through the day it ends are not counted', () => {
    const k = apply(
      c,
      { type: 'consultationStarted', on: '2025-03-10', by, party: 'thirdParty', consulted: '某公司' },
      { type: 'consultationEnded', on: '2025-03-14', by, result: 'objected' },
    );
    const d = dueDates(k);
    expect(d.pauses[0].days).toEqual(['2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14']);
    expect(d.replyDue).toBe('2025-04-07'); // 24 working days: 清明 4/4–4/6 skipped
    expect(d.explanation.join('\n')).toContain('4 个工作日不计入答复期限');
    expect(k.state.consultations[0]).toMatchObject({ answerDue: '2025-03-31', endedOn: '2025-03-14', result: 'objected' });
  });

  it('while open the reply due date is suspended, and a reply or a second consultation is refused', () => {
    const k = applyEvent(c, { type: 'consultationStarted', on: '2025-03-10', by, party: 'agency', consulted: '市发展改革委' });
    expect(dueDates(k)).toMatchObject({ replyDue: null, suspended: 'consultation', consultationAnswerDue: '2025-03-31' });
    expect(status(k, '2025-05-01')).toMatchObject({ overdue: false, suspended: 'consultation' });
    refused(() => applyEvent(k, { type: 'reply', on: '2025-03-20', by, outcome: 'granted' }), 'consultation-open', '尚未结束');
    refused(
      () => applyEvent(k, { type: 'consultationStarted', on: '2025-03-11', by, party: 'thirdParty', consulted: 'B' }),
      'consultation-open',
      '尚未结束',
    );
  });

  it('ending without an open consultation is refused', () => {
    refused(() => applyEvent(c, { type: 'consultationEnded', on: '2025-03-10', by }), 'no-consultation', '没有进行中的征求意见');
  });
});

describe('extension (第三十三条第二款)', () => {
  const c = createCase(newCase('2025-03-03'));
  const ext = (on: string, days: number): CaseEvent => ({ type: 'extension', on, by, days, approver: '王主任', applicantNotified: true });

  it('10 + 10 working days are accepted and move the due date', () => {
    const e = apply(c, ext('2025-03-20', 10), ext('2025-03-25', 10));
    expect(e.state.extensionDays).toBe(20);
    expect(dueDates(e)).toMatchObject({ workingDays: 40, replyDue: addWorkingDays('2025-03-03', 40).due });
    expect(dueDates(e).explanation[1]).toContain('延长 20 个工作日');
  });

  it('more than 20 in total is refused', () => {
    refused(() => applyEvent(c, ext('2025-03-20', 21)), 'extension-limit', '最长不得超过 20 个工作日', 'at most 20 working days');
    const e = apply(c, ext('2025-03-20', 15));
    refused(() => applyEvent(e, ext('2025-03-21', 6)), 'extension-limit', '已延长 15 个工作日，再延长 6 个工作日将达 21');
  });

  it('needs an approver and notice to the applicant, and must come before the due date', () => {
    refused(() => applyEvent(c, { ...ext('2025-03-20', 5), approver: '' } as CaseEvent), 'bad-event', '须记录批准人');
    refused(() => applyEvent(c, { ...ext('2025-03-20', 5), applicantNotified: false } as CaseEvent), 'bad-event', '须告知申请人');
    refused(() => applyEvent(c, ext('2025-04-01', 5)), 'extension-late', '答复期限已于 2025-03-31 届满');
    refused(() => applyEvent(c, ext('2025-03-20', 0)), 'bad-event', '正整数');
  });
});

describe('fees (第四十二条, 109号)', () => {
  const c = createCase(newCase('2025-03-03'));
  const notice: CaseEvent = { type: 'feeNotice', on: '2025-03-10', by, fee: { method: 'perPage', pages: 150 } };

  it('the notice computes the amount and gives 20 working days from the next day to pay', () => {
    const f = applyEvent(c, notice);
    expect(f.state.fee?.result.amount).toBe(1700);
    expect(f.state.fee?.payDue).toBe(addWorkingDays('2025-03-10', 20).due);
    expect(dueDates(f).feePayDue).toBe(f.state.fee?.payDue);
  });

  it('one notice per case, never a zero fee, never after the reply period', () => {
    const f = applyEvent(c, notice);
    refused(
      () => applyEvent(f, { ...notice, fee: { method: 'perApplication', priorThisMonth: 20 } } as CaseEvent),
      'fee-duplicate',
      '只能选择一种计收方式',
    );
    refused(() => applyEvent(c, { ...notice, fee: { method: 'perPage', pages: 30 } } as CaseEvent), 'bad-event', '为 0 元');
    refused(() => applyEvent(c, { ...notice, on: '2025-04-01' }), 'fee-late', '应在答复期限内发出');
    refused(() => applyEvent(c, { ...notice, fee: { method: 'perPage', pages: -3 } } as CaseEvent), 'bad-event', '页数');
  });

  it('payment needs a notice, once, in time; then the case can be replied to', () => {
    refused(() => applyEvent(c, { type: 'feePaid', on: '2025-03-12', by }), 'no-fee', '没有发出收费通知，不能登记缴费');
    const f = applyEvent(c, notice);
    refused(() => applyEvent(f, { type: 'reply', on: '2025-03-12', by, outcome: 'granted' }), 'fee-unpaid', '费用尚未缴纳');
    const payDue = f.state.fee?.payDue as string;
    refused(() => applyEvent(f, { type: 'feePaid', on: addWorkingDays(payDue, 1).due, by }), 'fee-late', '已逾期');
    const p = applyEvent(f, { type: 'feePaid', on: '2025-03-12', by });
    refused(() => applyEvent(p, { type: 'feePaid', on: '2025-03-13', by }), 'no-fee', '已于 2025-03-12 缴纳');
    expect(applyEvent(p, { type: 'reply', on: '2025-03-14', by, outcome: 'granted' }).state.closed?.outcome).toBe('granted');
  });

  it('non-payment closes as otherFeeUnpaid after the deadline only', () => {
    const f = applyEvent(c, notice);
    const payDue = f.state.fee?.payDue as string;
    refused(() => applyEvent(f, { type: 'feeExpired', on: payDue, by }), 'fee-unpaid', '尚未届满');
    refused(() => applyEvent(c, { type: 'feeExpired', on: payDue, by }), 'no-fee', '没有待缴的费用');
    const x = applyEvent(f, { type: 'feeExpired', on: addWorkingDays(payDue, 1).due, by });
    expect(x.state.closed?.outcome).toBe('otherFeeUnpaid');
    expect(status(f, addWorkingDays(payDue, 1).due).feeLapsed).toBe(true);
  });

  it('optionally the fee period pauses the reply clock', () => {
    const p = apply(c, notice, { type: 'feePaid', on: '2025-03-14', by });
    expect(dueDates(p).replyDue).toBe('2025-03-31');
    expect(dueDates(p, { feePausesClock: true }).replyDue).toBe(addWorkingDays('2025-03-03', 24).due);
  });

  it('the per-applicant calendar-month counter', () => {
    const mk = (id: string, on: string, num = '110101199001011234') =>
      createCase(
        newCase(on, { id, applicant: { name: '李四', identity: { type: '居民身份证', number: num }, contact: { email: 'a@b.c' } } }),
      );
    const cases = [
      mk('a', '2025-03-03'),
      mk('b', '2025-03-03'),
      mk('c', '2025-02-28'),
      mk('d', '2025-03-05', 'OTHER'),
      mk('e', '2025-03-31'),
    ];
    expect(priorApplicationsThisMonth(cases, cases[0])).toBe(0);
    expect(priorApplicationsThisMonth(cases, cases[1])).toBe(1);
    expect(priorApplicationsThisMonth(cases, cases[4])).toBe(2);
    expect(priorApplicationsThisMonth(cases, cases[3])).toBe(0);
    // the case as read again from the register (another object): same-day order by id
    expect(priorApplicationsThisMonth(cases, structuredClone(cases[1]))).toBe(1);
    expect(priorApplicationsThisMonth(cases.slice(1), structuredClone(cases[0]))).toBe(0);
    expect(priorApplicationsThisMonth([cases[0], cases[2]], structuredClone(cases[1]))).toBe(1);
  });
});

describe('withdrawal, reply and closed cases', () => {
  const c = createCase(newCase('2025-03-03'));

  it('withdrawal closes as otherOther', () => {
    expect(applyEvent(c, { type: 'withdrawal', on: '2025-03-05', by }).state.closed).toEqual({
      on: '2025-03-05',
      outcome: 'otherOther',
      via: 'withdrawal',
    });
  });

  it('reply with exactly one of the leaf outcomes; 区分处理 → partlyGranted', () => {
    const r = applyEvent(c, { type: 'reply', on: '2025-03-05', by, outcome: 'partlyGranted', reasons: '区分处理' });
    expect(r.state.closed?.outcome).toBe('partlyGranted');
    refused(
      () => applyEvent(c, { type: 'reply', on: '2025-03-05', by, outcome: 'partial' as never }),
      'bad-outcome',
      '不是表二的21个末级结果之一',
    );
    refused(
      () => applyEvent(c, { type: 'reply', on: '2025-03-05', by, outcome: 'otherNoCorrection' as never }),
      'bad-outcome',
      '逾期未补正',
    );
    refused(() => applyEvent(c, { type: 'reply', on: '2025-03-05', by, outcome: 'otherFeeUnpaid' as never }), 'bad-outcome', '逾期未缴费');
  });

  it('a reply (or anything but a proceeding) on a closed case is refused', () => {
    const r = applyEvent(c, { type: 'reply', on: '2025-03-05', by, outcome: 'granted' });
    refused(
      () => applyEvent(r, { type: 'reply', on: '2025-03-06', by, outcome: 'granted' }),
      'closed',
      '已于 2025-03-05 办结',
      'concluded',
    );
    refused(() => applyEvent(r, { type: 'withdrawal', on: '2025-03-06', by }), 'closed', '不能再登记撤回申请');
  });

  it('events before receipt, out of order, without a user, or of unknown type are refused', () => {
    refused(() => applyEvent(c, { type: 'withdrawal', on: '2025-03-02', by }), 'before-receipt', '早于收到申请之日 2025-03-03');
    const e = applyEvent(c, { type: 'consultationStarted', on: '2025-03-10', by, party: 'thirdParty', consulted: 'A' });
    refused(() => applyEvent(e, { type: 'consultationEnded', on: '2025-03-09', by }), 'out-of-order', '早于上一事件的日期');
    refused(() => applyEvent(c, { type: 'withdrawal', on: '2025-03-04', by: '' }), 'bad-event', '须记录操作人');
    refused(() => applyEvent(c, { type: 'approve', on: '2025-03-04', by } as never), 'bad-event', '未知的事件类型');
  });
});

describe('行政复议 / 行政诉讼 linked to the application', () => {
  it('filed after the reply and decided later; unknown or double decisions refused', () => {
    const c = replay(newCase('2025-03-03'), [
      { type: 'reply', on: '2025-03-20', by, outcome: 'withheldProcessInfo' },
      { type: 'proceedingFiled', on: '2025-04-10', by, id: 'FY-1', kind: 'review' },
      { type: 'proceedingDecided', on: '2025-06-01', by, id: 'FY-1', result: 'corrected', decision: '撤销' },
      { type: 'proceedingFiled', on: '2025-07-01', by, id: 'SS-1', kind: 'litigationAfterReview' },
    ]);
    expect(c.state.proceedings).toEqual([
      { id: 'FY-1', kind: 'review', filedOn: '2025-04-10', decidedOn: '2025-06-01', result: 'corrected' },
      { id: 'SS-1', kind: 'litigationAfterReview', filedOn: '2025-07-01' },
    ]);
    refused(
      () => applyEvent(c, { type: 'proceedingDecided', on: '2025-08-01', by, id: 'X', result: 'upheld' }),
      'proceeding',
      '没有登记编号为 X',
    );
    refused(
      () => applyEvent(c, { type: 'proceedingDecided', on: '2025-08-01', by, id: 'FY-1', result: 'upheld' }),
      'proceeding',
      '已于 2025-06-01 审结',
    );
    refused(() => applyEvent(c, { type: 'proceedingFiled', on: '2025-08-01', by, id: 'SS-1', kind: 'review' }), 'proceeding', '已登记');
  });
});

describe('fee pause while unpaid (feePausesClock)', () => {
  it('suspends the reply due date until payment', () => {
    const c = applyEvent(createCase(newCase('2025-03-03')), {
      type: 'feeNotice',
      on: '2025-03-10',
      by,
      fee: { method: 'perPage', pages: 40 },
    });
    expect(dueDates(c, { feePausesClock: true })).toMatchObject({ replyDue: null, suspended: 'fee' });
    expect(dueDates(c).replyDue).toBe('2025-03-31');
  });
});
