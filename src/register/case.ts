/**
 * A disclosure application (依申请公开) and its life, as pure data.
 *
 * - The case holds what 第二十九条 requires, the applicant type (one of the six 表二
 *   columns) and the date of receipt under 第三十一条.
 * - `applyEvent` is the only way to change a case: it returns a new case or throws a
 *   `TransitionError` (Chinese + English) for an illegal transition.
 * - `dueDates` and `status` compute the reply deadline with its explanation.
 *
 * Conventions (documented defaults, spec §4.3 and §7):
 * - Working days are counted from the day after the starting date (民法典第二百零一条).
 * - A consultation (第三十二、三十四条; 第三十三条第三款) pauses the reply clock: the working
 *   days from the day after it started through the day it ended are not counted.
 * - 补正 restarts the clock from the day the corrected application is received (第三十条).
 * - Whether the 109号 fee period pauses the clock is not confirmed (spec §3.6): the default
 *   is no pause; `CaseOptions.feePausesClock` turns the pause on (notice day excluded, through the day paid).
 * - Events are recorded in date order: an event dated before the previous one is refused.
 * - With `CaseOptions.today`, a date after today is refused: an event records something done.
 * - A recorded event is never deleted: `voidEvent` marks it void (who, when, why) and the case is
 *   recomputed from the other events (`rebuild`); `amendCase` corrects the application's fields.
 *   Both, and recomputation under a changed holiday calendar (`recalculate`), leave a `Revision`.
 * - Recomputation treats the recorded events as facts: a step that would be refused today only
 *   for its timing (e.g. an extension after a reply date that a new holiday notice moved earlier)
 *   is kept and noted in `state.warnings`; a step that no longer makes sense is refused.
 */

import { NianbaoError } from '../model/errors.js';
import { applicationRows } from '../model/format.js';
import type {
  ApplicantType,
  Case,
  CaseAmendment,
  CaseEvent,
  CaseState,
  CaseStatus,
  Consultation,
  DueDates,
  EventType,
  NewCase,
  Outcome,
  Pause,
  Proceeding,
  ProceedingKind,
  ProceedingResult,
  ReplyOutcome,
  Revision,
  RevisionChange,
  StateWarning,
  Voided,
} from '../model/schema.js';
import { ApplicantTypeSchema, OutcomeSchema } from '../model/schema.js';
import { defaultCalendar, parseDate, provisionalNote, type WorkingCalendar } from './calendar.js';
import { CHANNEL_LABELS, type Channel, CONFIRMED_CHANNELS } from './channels.js';
import { computeFee, FeeError, type FeeResult } from './fees.js';

// The register's data is defined once, as zod schemas in src/model/case.schema.ts: the types here
// are theirs.
export type {
  ApplicantType,
  Case,
  CaseAmendment,
  CaseEvent,
  CaseState,
  CaseStatus,
  Consultation,
  DueDates,
  EventType,
  NewCase,
  Outcome,
  Pause,
  Proceeding,
  ProceedingKind,
  ProceedingResult,
  ReplyOutcome,
  Revision,
  RevisionChange,
  StateWarning,
  Voided,
};

/** the six applicant columns of 表二, in table order */
export const APPLICANT_TYPES: readonly ApplicantType[] = ApplicantTypeSchema.options;

/** the 21 leaf outcome rows of 表二 三 in the 2021 format, in table order */
export const OUTCOMES_2021: readonly Outcome[] = OutcomeSchema.options;

export { CHANNEL_LABELS, type Channel } from './channels.js';

const NEEDS_CONFIRMATION: ReadonlySet<Channel> = new Set(CONFIRMED_CHANNELS);

export interface CaseOptions {
  calendar?: WorkingCalendar;
  /** the 109号 fee period pauses the reply clock (not confirmed by the recovered texts; default false) */
  feePausesClock?: boolean;
  /** today (YYYY-MM-DD, in the agency's time zone): dates after it are refused */
  today?: string;
  /** recomputing recorded events: timing that no longer holds is noted, not refused */
  recorded?: boolean;
}

export const CORRECTION_NOTICE_DAYS = 7;
export const REPLY_DAYS = 20;
export const MAX_EXTENSION_DAYS = 20;
export const CONSULTATION_DAYS = 15;
export const FEE_PAYMENT_DAYS = 20;
export const DUE_SOON_DAYS = 3;

export type TransitionCode =
  | 'invalid-case'
  | 'bad-event'
  | 'before-receipt'
  | 'out-of-order'
  | 'closed'
  | 'second-correction'
  | 'correction-late'
  | 'no-correction'
  | 'correction-pending'
  | 'consultation-open'
  | 'no-consultation'
  | 'extension-limit'
  | 'extension-late'
  | 'fee-duplicate'
  | 'fee-late'
  | 'no-fee'
  | 'fee-unpaid'
  | 'bad-outcome'
  | 'proceeding'
  | 'future-date'
  | 'void'
  | 'amend';

/** an illegal transition or an invalid case; zh and en are each a sentence saying what and why */
export class TransitionError extends NianbaoError {
  declare readonly code: TransitionCode;
  constructor(code: TransitionCode, zh: string, en: string) {
    super(code, zh, en);
    this.name = 'TransitionError';
  }
}

function fail(code: TransitionCode, zh: string, en: string): never {
  throw new TransitionError(code, zh, en);
}

function checkDate(value: unknown, what: string, whatEn: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    fail('invalid-case', `${what}“${String(value)}”不是 YYYY-MM-DD 格式的日期。`, `${whatEn} "${String(value)}" is not a YYYY-MM-DD date.`);
  }
  try {
    parseDate(value);
  } catch {
    fail('invalid-case', `${what}“${value}”不是真实日期。`, `${whatEn} "${value}" is not a real date.`);
  }
  return value;
}

function blank(s: unknown): boolean {
  return typeof s !== 'string' || s.trim() === '';
}

/** refuses a date after today: an application is registered, an event recorded, once it has happened */
function notFuture(date: string, what: string, whatEn: string, today: string | undefined): void {
  if (today !== undefined && date > today) {
    fail(
      'future-date',
      `${what} ${date} 晚于今天（${today}）：只能登记已经发生的事。`,
      `The ${whatEn} ${date} is after today (${today}); only what has happened can be recorded.`,
    );
  }
}

/** validates the 第二十九条 fields and fixes the date of receipt (第三十一条) */
export function createCase(input: NewCase, opts: { today?: string } = {}): Case {
  const missing: [string, string][] = [];
  if (blank(input.id)) missing.push(['编号', 'id']);
  if (blank(input.applicant?.name)) missing.push(['申请人姓名或者名称', 'applicant name']);
  if (blank(input.applicant?.identity?.type) || blank(input.applicant?.identity?.number)) missing.push(['身份证明', 'identity document']);
  const c = input.applicant?.contact ?? {};
  if (blank(c.phone) && blank(c.address) && blank(c.email)) missing.push(['联系方式', 'contact']);
  if (blank(input.request?.description)) missing.push(['所需政府信息的名称、文号或者特征性描述', 'description of the information']);
  if (blank(input.delivery?.form) || blank(input.delivery?.channel)) {
    missing.push(['获取信息的形式、方式和途径', 'form and channel of delivery']);
  }
  if (blank(input.registeredBy)) missing.push(['登记人', 'registeredBy']);
  if (missing.length > 0) {
    fail(
      'invalid-case',
      `申请缺少《政府信息公开条例》第二十九条要求的内容：${missing.map((m) => m[0]).join('、')}。`,
      `The application lacks what Article 29 requires: ${missing.map((m) => m[1]).join(', ')}.`,
    );
  }
  if (!APPLICANT_TYPES.includes(input.applicantType)) {
    fail(
      'invalid-case',
      `申请人类型“${String(input.applicantType)}”无效，应为表二六类之一：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他。`,
      `Applicant type "${String(input.applicantType)}" must be one of ${APPLICANT_TYPES.join(', ')}.`,
    );
  }
  const channel = input.receipt?.channel;
  if (!(channel in CHANNEL_LABELS)) {
    fail('invalid-case', `收件渠道“${String(channel)}”无效。`, `Unknown channel "${String(channel)}".`);
  }
  const arrivedOn = checkDate(input.receipt.arrivedOn, '收件日期', 'arrivedOn');
  let receivedOn = arrivedOn;
  if (NEEDS_CONFIRMATION.has(channel)) {
    if (input.receipt.confirmedOn === undefined) {
      fail(
        'invalid-case',
        `以${CHANNEL_LABELS[channel]}方式提交的申请，以双方确认之日为收到申请之日（第三十一条），须填写确认日期。`,
        `For ${channel} applications the date of receipt is the confirmation date (Article 31); confirmedOn is required.`,
      );
    }
    receivedOn = checkDate(input.receipt.confirmedOn, '确认日期', 'confirmedOn');
    if (receivedOn < arrivedOn) {
      fail(
        'invalid-case',
        `确认日期 ${receivedOn} 早于收件日期 ${arrivedOn}。`,
        `The confirmation date ${receivedOn} is before the arrival date ${arrivedOn}.`,
      );
    }
  } else if (input.receipt.confirmedOn !== undefined) {
    fail(
      'invalid-case',
      `以${CHANNEL_LABELS[channel]}方式提交的申请不需要确认日期：收到申请之日为${channel === 'post' ? '签收之日' : '提交之日'}（第三十一条）。`,
      `A ${channel} application has no confirmation date: the date of receipt is the day it was ${channel === 'post' ? 'signed for' : 'submitted'} (Article 31).`,
    );
  }
  notFuture(arrivedOn, '收件日期', 'arrival date', opts.today);
  notFuture(receivedOn, '确认日期', 'confirmation date', opts.today);
  // the calendar must cover the receipt date (2019–2100; throws CalendarError otherwise)
  defaultCalendar().dayInfo(receivedOn);
  return {
    ...input,
    receivedOn,
    events: [],
    state: {
      closed: null,
      correction: null,
      consultations: [],
      extensionDays: 0,
      fee: null,
      proceedings: [],
      lastEventOn: receivedOn,
    },
  };
}

const OUTCOME_SET: ReadonlySet<string> = new Set(OUTCOMES_2021);

/** the 表二 row label of each outcome, e.g. 1.属于国家秘密 under （三）不予公开 → “不予公开·属于国家秘密” */
export const OUTCOME_ZH: Record<Outcome, string> = Object.fromEntries(
  applicationRows('2021')
    .filter((r) => r.leaf)
    .map((r) => [r.key, r.level3 ? `${strip(r.level2)}·${strip(r.level3)}` : strip(r.label)]),
) as Record<Outcome, string>;

function strip(label: string | undefined): string {
  return (label ?? '').replace(/^[（(][一二三四五六七八九十]+[）)]|^\d+[.．、]/u, '').replace(/（[^）]*）$/u, '');
}

export const EVENT_ZH: Record<EventType, string> = {
  correctionNotice: '补正告知',
  correctionReceived: '收到补正',
  correctionExpired: '逾期未补正',
  consultationStarted: '征求意见',
  consultationEnded: '征求意见结束',
  extension: '延长答复期限',
  feeNotice: '收费通知',
  feePaid: '缴费',
  feeExpired: '逾期未缴费',
  withdrawal: '撤回申请',
  reply: '答复',
  proceedingFiled: '行政复议/行政诉讼立案',
  proceedingDecided: '行政复议/行政诉讼结果',
};

function calendarOf(opts: CaseOptions): WorkingCalendar {
  return opts.calendar ?? defaultCalendar();
}

/** the case after `event`, or a TransitionError */
export function applyEvent(c: Case, event: CaseEvent, opts: CaseOptions = {}): Case {
  const cal = calendarOf(opts);
  if (!event || typeof event !== 'object' || !(event.type in EVENT_ZH)) {
    fail('bad-event', `未知的事件类型“${String(event?.type)}”。`, `Unknown event type "${String(event?.type)}".`);
  }
  const what = EVENT_ZH[event.type];
  const on = checkDate(event.on, `${what}日期`, `${event.type} date`);
  cal.dayInfo(on);
  notFuture(on, `${what}日期`, `${event.type} date`, opts.today);
  const warnings: StateWarning[] = [];
  /** a refusal for timing alone: noted instead when recomputing recorded events */
  const late = (code: TransitionCode, zh: string, en: string): void => {
    if (opts.recorded) warnings.push({ seq: c.events.length + 1, on, type: event.type, zh, en });
    else fail(code, zh, en);
  };
  if (blank(event.by)) fail('bad-event', `${what}须记录操作人。`, `${event.type} must record the user who made it.`);
  if (on < c.receivedOn) {
    fail(
      'before-receipt',
      `${what}的日期 ${on} 早于收到申请之日 ${c.receivedOn}。`,
      `The ${event.type} date ${on} is before the date of receipt ${c.receivedOn}.`,
    );
  }
  const s = c.state;
  if (on < s.lastEventOn) {
    fail(
      'out-of-order',
      `${what}的日期 ${on} 早于上一事件的日期 ${s.lastEventOn}；事件须按日期先后登记。`,
      `The ${event.type} date ${on} is before the previous event (${s.lastEventOn}); events are recorded in date order.`,
    );
  }
  const isProceeding = event.type === 'proceedingFiled' || event.type === 'proceedingDecided';
  if (s.closed && !isProceeding) {
    fail(
      'closed',
      `本申请已于 ${s.closed.on} 办结（${OUTCOME_ZH[s.closed.outcome] ?? s.closed.outcome}），不能再登记${what}。`,
      `The application was concluded on ${s.closed.on} (${s.closed.outcome}); no ${event.type} can be recorded.`,
    );
  }
  const next: CaseState = { ...s, lastEventOn: on, consultations: [...s.consultations], proceedings: [...s.proceedings] };
  const open = s.consultations.find((x) => x.endedOn === undefined);
  const awaitingCorrection = s.correction !== null && s.correction.receivedOn === undefined && s.correction.expiredOn === undefined;
  const feeOutstanding = s.fee !== null && s.fee.paidOn === undefined && s.fee.expiredOn === undefined;

  switch (event.type) {
    case 'correctionNotice': {
      if (s.correction) {
        fail(
          'second-correction',
          `已于 ${s.correction.noticeOn} 发出补正告知；第三十条要求一次性告知，不能第二次要求补正。`,
          `A correction notice was already sent on ${s.correction.noticeOn}; Article 30 allows one notice only, given all at once.`,
        );
      }
      const due = cal.addWorkingDays(c.receivedOn, CORRECTION_NOTICE_DAYS).due;
      if (on > due) {
        late(
          'correction-late',
          `补正告知应在收到申请之日起 7 个工作日内（${due} 前）发出（第三十条），${on} 已超期。`,
          `The correction notice must be sent within 7 working days of receipt (by ${due}, Article 30); ${on} is too late.`,
        );
      }
      const deadline = checkDate(event.deadline, '补正期限', 'correction deadline');
      if (deadline <= on) {
        fail(
          'bad-event',
          `补正期限 ${deadline} 应晚于告知日期 ${on}，并给出合理期限。`,
          `The correction deadline ${deadline} must be after the notice date ${on}.`,
        );
      }
      next.correction = { noticeOn: on, deadline };
      break;
    }
    case 'correctionReceived': {
      if (!s.correction) {
        fail('no-correction', '尚未发出补正告知，不能登记收到补正。', 'No correction notice was sent, so no correction can be received.');
      }
      if (!awaitingCorrection) {
        fail(
          'no-correction',
          `已于 ${s.correction.receivedOn} 收到补正。`,
          `The correction was already received on ${s.correction.receivedOn}.`,
        );
      }
      if (on > s.correction.deadline && blank(event.goodReason)) {
        fail(
          'correction-late',
          `补正期限为 ${s.correction.deadline}，${on} 收到的补正已逾期；有正当理由的请写明逾期理由，否则应登记逾期未补正。`,
          `The correction deadline was ${s.correction.deadline}; a correction received on ${on} is late. Give goodReason, or record correctionExpired.`,
        );
      }
      next.correction = { ...s.correction, receivedOn: on };
      break;
    }
    case 'correctionExpired': {
      if (!s.correction || !awaitingCorrection) {
        fail('no-correction', '没有等待中的补正，不能登记逾期未补正。', 'There is no pending correction to expire.');
      }
      if (on <= s.correction.deadline) {
        fail(
          'correction-pending',
          `补正期限 ${s.correction.deadline} 尚未届满，${on} 不能认定逾期未补正。`,
          `The correction deadline ${s.correction.deadline} has not passed on ${on}.`,
        );
      }
      next.correction = { ...s.correction, expiredOn: on };
      next.closed = { on, outcome: 'otherNoCorrection', via: event.type };
      break;
    }
    case 'consultationStarted': {
      if (awaitingCorrection) pendingCorrection(what, event.type, s);
      if (open) {
        fail(
          'consultation-open',
          `${open.startedOn} 开始的征求意见（${open.consulted}）尚未结束；请先登记其结束，或在同一次征求意见中列出全部被征求方。`,
          `The consultation started on ${open.startedOn} (${open.consulted}) is still open; end it first or list all parties in one consultation.`,
        );
      }
      if (event.party !== 'thirdParty' && event.party !== 'agency') {
        fail(
          'bad-event',
          '被征求意见方应为第三方（thirdParty）或其他机关（agency）。',
          'The consulted party must be thirdParty or agency.',
        );
      }
      if (blank(event.consulted)) fail('bad-event', '须写明被征求意见方。', 'Name the consulted party.');
      next.consultations.push({
        party: event.party,
        consulted: event.consulted,
        startedOn: on,
        answerDue: cal.addWorkingDays(on, CONSULTATION_DAYS).due,
      });
      break;
    }
    case 'consultationEnded': {
      if (!open) fail('no-consultation', '没有进行中的征求意见。', 'No consultation is open.');
      const i = next.consultations.indexOf(open);
      next.consultations[i] = { ...open, endedOn: on, ...(event.result ? { result: event.result } : {}) };
      break;
    }
    case 'extension': {
      if (awaitingCorrection) pendingCorrection(what, event.type, s);
      if (!Number.isInteger(event.days) || event.days < 1) {
        fail('bad-event', `延长天数应为正整数（现为 ${event.days}）。`, `Extension days must be a positive integer (got ${event.days}).`);
      }
      if (s.extensionDays + event.days > MAX_EXTENSION_DAYS) {
        fail(
          'extension-limit',
          `延长答复期限最长不得超过 20 个工作日（第三十三条第二款）：已延长 ${s.extensionDays} 个工作日，再延长 ${event.days} 个工作日将达 ${s.extensionDays + event.days} 个工作日。`,
          `An extension may total at most 20 working days (Article 33(2)): ${s.extensionDays} already granted, ${event.days} more would make ${s.extensionDays + event.days}.`,
        );
      }
      if (blank(event.approver)) {
        fail(
          'bad-event',
          '延长答复期限须经政府信息公开工作机构负责人同意，须记录批准人。',
          'An extension needs the approval of the head of the disclosure office; record the approver.',
        );
      }
      if (event.applicantNotified !== true) {
        fail(
          'bad-event',
          '延长答复期限须告知申请人（第三十三条第二款）。',
          'The applicant must be notified of an extension (Article 33(2)).',
        );
      }
      const d = dueDates(c, opts);
      if (d.replyDue !== null && on > d.replyDue) {
        late(
          'extension-late',
          `答复期限已于 ${d.replyDue} 届满，${on} 不能再延长。`,
          `The reply period ended on ${d.replyDue}; it cannot be extended on ${on}.`,
        );
      }
      next.extensionDays = s.extensionDays + event.days;
      break;
    }
    case 'feeNotice': {
      if (s.fee) {
        fail(
          'fee-duplicate',
          `已于 ${s.fee.noticeOn} 发出收费通知；每件申请只能选择一种计收方式、发出一次收费通知（109号第三条）。`,
          `A fee notice was already sent on ${s.fee.noticeOn}; one method and one notice per application (109号 Article 3).`,
        );
      }
      if (awaitingCorrection) pendingCorrection(what, event.type, s);
      let result: FeeResult;
      try {
        result = computeFee(event.fee);
      } catch (e) {
        if (e instanceof FeeError) fail('bad-event', e.zh, e.en);
        throw e;
      }
      if (result.amount === 0) {
        fail('bad-event', '按所选方式计算的信息处理费为 0 元，不应发出收费通知。', 'The computed fee is 0; no fee notice should be sent.');
      }
      const d = dueDates(c, opts);
      if (d.replyDue !== null && on > d.replyDue) {
        late(
          'fee-late',
          `收费通知应在答复期限内发出，答复期限已于 ${d.replyDue} 届满。`,
          `The fee notice must be sent within the reply period, which ended on ${d.replyDue}.`,
        );
      }
      next.fee = { noticeOn: on, input: event.fee, result, payDue: cal.addWorkingDays(on, FEE_PAYMENT_DAYS).due };
      break;
    }
    case 'feePaid': {
      if (!s.fee) fail('no-fee', '没有发出收费通知，不能登记缴费。', 'No fee notice was sent, so no payment can be recorded.');
      if (!feeOutstanding) fail('no-fee', `费用已于 ${s.fee.paidOn} 缴纳。`, `The fee was already paid on ${s.fee.paidOn}.`);
      if (on > s.fee.payDue) {
        late(
          'fee-late',
          `缴费期限为 ${s.fee.payDue}（通知次日起 20 个工作日），${on} 已逾期，应登记逾期未缴费。`,
          `The payment deadline was ${s.fee.payDue} (20 working days from the day after the notice); ${on} is late: record feeExpired.`,
        );
      }
      next.fee = { ...s.fee, paidOn: on };
      break;
    }
    case 'feeExpired': {
      if (!s.fee || !feeOutstanding) fail('no-fee', '没有待缴的费用，不能登记逾期未缴费。', 'No fee is outstanding, so it cannot expire.');
      if (on <= s.fee.payDue) {
        late(
          'fee-unpaid',
          `缴费期限 ${s.fee.payDue} 尚未届满，${on} 不能认定逾期未缴费。`,
          `The payment deadline ${s.fee.payDue} has not passed on ${on}.`,
        );
      }
      next.fee = { ...s.fee, expiredOn: on };
      next.closed = { on, outcome: 'otherFeeUnpaid', via: event.type };
      break;
    }
    case 'withdrawal': {
      if (open) next.consultations[next.consultations.indexOf(open)] = { ...open, endedOn: on };
      next.closed = { on, outcome: 'otherOther', via: event.type };
      break;
    }
    case 'reply': {
      const outcome: string = event.outcome;
      if (outcome === 'otherNoCorrection' || outcome === 'otherFeeUnpaid') {
        fail(
          'bad-outcome',
          `办理结果“${OUTCOME_ZH[outcome]}”只能由${outcome === 'otherNoCorrection' ? '“逾期未补正”' : '“逾期未缴费”'}事件产生，不能作为答复结果。`,
          `The outcome ${outcome} comes only from ${outcome === 'otherNoCorrection' ? 'correctionExpired' : 'feeExpired'}.`,
        );
      }
      if (!OUTCOME_SET.has(outcome)) {
        fail(
          'bad-outcome',
          `办理结果“${outcome}”不是表二的21个末级结果之一（区分处理的请选“部分公开”）。`,
          `"${outcome}" is not one of the 21 leaf outcomes of 表二 (use partlyGranted for 区分处理).`,
        );
      }
      if (outcome === 'unableUnclear' && !s.correction?.receivedOn) {
        fail(
          'bad-outcome',
          '“补正后申请内容仍不明确”须先有补正告知并收到补正。',
          'unableUnclear requires a correction notice and a received correction.',
        );
      }
      if (awaitingCorrection) pendingCorrection(what, event.type, s);
      if (open) {
        fail(
          'consultation-open',
          `${open.startedOn} 开始的征求意见（${open.consulted}）尚未结束，请先登记其结束再答复。`,
          `The consultation started on ${open.startedOn} is still open; end it before replying.`,
        );
      }
      if (feeOutstanding) {
        fail(
          'fee-unpaid',
          `收费通知（${s.fee?.noticeOn}）的费用尚未缴纳，缴费期限 ${s.fee?.payDue}；请先登记缴费或逾期未缴费。`,
          `The fee noticed on ${s.fee?.noticeOn} is unpaid (due ${s.fee?.payDue}); record feePaid or feeExpired first.`,
        );
      }
      next.closed = { on, outcome: event.outcome, via: event.type };
      break;
    }
    case 'proceedingFiled': {
      if (blank(event.id)) fail('proceeding', '须填写行政复议/行政诉讼案件编号。', 'The proceeding needs an id.');
      if (!['review', 'litigationDirect', 'litigationAfterReview'].includes(event.kind)) {
        fail('proceeding', `案件类别“${String(event.kind)}”无效。`, `Unknown proceeding kind "${String(event.kind)}".`);
      }
      if (s.proceedings.some((p) => p.id === event.id)) {
        fail('proceeding', `案件 ${event.id} 已登记。`, `Proceeding ${event.id} is already recorded.`);
      }
      next.proceedings.push({ id: event.id, kind: event.kind, filedOn: on });
      break;
    }
    case 'proceedingDecided': {
      const p = s.proceedings.find((x) => x.id === event.id);
      if (!p) fail('proceeding', `没有登记编号为 ${event.id} 的行政复议/行政诉讼案件。`, `No proceeding ${event.id} is recorded.`);
      if (p.decidedOn)
        fail('proceeding', `案件 ${event.id} 已于 ${p.decidedOn} 审结。`, `Proceeding ${event.id} was decided on ${p.decidedOn}.`);
      if (!['upheld', 'corrected', 'other'].includes(event.result)) {
        fail('proceeding', `结果“${String(event.result)}”无效，应为维持、纠正或其他。`, `Result must be upheld, corrected or other.`);
      }
      next.proceedings[s.proceedings.indexOf(p)] = { ...p, decidedOn: on, result: event.result };
      break;
    }
  }
  if (warnings.length > 0) next.warnings = [...(s.warnings ?? []), ...warnings];
  return { ...c, events: [...c.events, event], state: next };
}

function pendingCorrection(what: string, type: string, s: CaseState): never {
  return fail(
    'correction-pending',
    `正在等待申请人补正（期限 ${s.correction?.deadline}），不能${what}；请登记收到补正或逾期未补正。`,
    `The application awaits correction (deadline ${s.correction?.deadline}); ${type} is not possible. Record correctionReceived or correctionExpired.`,
  );
}

/** applies events in order */
export function replay(input: NewCase, events: readonly CaseEvent[], opts: CaseOptions = {}): Case {
  let c = createCase(input);
  for (const e of events) c = applyEvent(c, e, opts);
  return c;
}

/** the current reply due date, with its explanation */
export function dueDates(c: Case, opts: CaseOptions = {}): DueDates {
  const cal = calendarOf(opts);
  const s = c.state;
  const correctionNotice = cal.addWorkingDays(c.receivedOn, CORRECTION_NOTICE_DAYS);
  const correctionNoticeDue = correctionNotice.due;
  const provisionalYears = new Set<number>(correctionNotice.provisionalYears);
  const restarted = s.correction?.receivedOn;
  const base = restarted ? { date: restarted, reason: 'correction' as const } : { date: c.receivedOn, reason: 'receipt' as const };
  const workingDays = REPLY_DAYS + s.extensionDays;
  const explanation: string[] = [];
  explanation.push(
    restarted
      ? `答复期限自收到补正后的申请之日 ${restarted} 起重新计算（第三十条），次日起算。`
      : `答复期限自收到申请之日 ${c.receivedOn} 起计算（第三十三条第二款），次日起算。`,
  );
  explanation.push(
    s.extensionDays > 0
      ? `基本期限 20 个工作日，经批准延长 ${s.extensionDays} 个工作日，共 ${workingDays} 个工作日。`
      : '期限为 20 个工作日（未延长）。',
  );
  const out: DueDates = {
    receivedOn: c.receivedOn,
    correctionNoticeDue,
    base,
    workingDays,
    extensionDays: s.extensionDays,
    pauses: [],
    replyDue: null,
    suspended: null,
    weekendsSkipped: 0,
    holidaysSkipped: [],
    provisional: { correctionNoticeDue: correctionNotice.provisional, replyDue: false },
    provisionalYears: [],
    explanation,
  };
  const finish = (): DueDates => {
    out.provisionalYears = [...provisionalYears].sort();
    if (out.provisionalYears.length > 0) explanation.push(provisionalNote(out.provisionalYears));
    return out;
  };
  if (s.correction) out.correctionDeadline = s.correction.deadline;
  if (s.fee) {
    out.feePayDue = s.fee.payDue;
    const ys = cal.provisionalYearsBetween(s.fee.noticeOn, s.fee.payDue);
    out.provisional.feePayDue = ys.length > 0;
    for (const y of ys) provisionalYears.add(y);
  }
  if (s.correction && !s.correction.receivedOn) {
    out.suspended = 'correction';
    explanation.push(
      s.correction.expiredOn
        ? `申请人逾期未补正（期限 ${s.correction.deadline}），${s.correction.expiredOn} 不再处理。`
        : `已于 ${s.correction.noticeOn} 告知补正，补正期限 ${s.correction.deadline}；收到补正后重新计算答复期限。`,
    );
    return finish();
  }
  const intervals: { kind: Pause['kind']; from: string; to: string | null }[] = [];
  for (const k of s.consultations) intervals.push({ kind: 'consultation', from: k.startedOn, to: k.endedOn ?? null });
  if (opts.feePausesClock && s.fee) {
    intervals.push({ kind: 'fee', from: s.fee.noticeOn, to: s.fee.paidOn ?? s.fee.expiredOn ?? null });
  }
  const open = s.consultations.find((k) => k.endedOn === undefined);
  if (open) {
    out.consultationAnswerDue = open.answerDue;
    const ys = cal.provisionalYearsBetween(open.startedOn, open.answerDue);
    out.provisional.consultationAnswerDue = ys.length > 0;
    for (const y of ys) provisionalYears.add(y);
  }
  const pauses: Pause[] = intervals.map((p) => ({ ...p, days: [] }));
  const pausedOn = (d: string): Pause | undefined => pauses.find((p) => d > p.from && (p.to === null || d <= p.to));
  // walk the days after the base date
  let t = parseDate(base.date) + 1;
  let counted = 0;
  let due: string | null = null;
  let openPause: Pause | undefined;
  let replyProvisional = false;
  while (counted < workingDays) {
    const date = new Date(t * 86_400_000).toISOString().slice(0, 10);
    const p = pausedOn(date);
    if (p && p.to === null) {
      // an open pause: the clock stands still until it ends
      openPause = p;
      break;
    }
    const info = cal.dayInfo(date);
    if (info.provisional) {
      replyProvisional = true;
      provisionalYears.add(Number(date.slice(0, 4)));
    }
    if (!info.working) {
      if (info.kind === 'holiday') out.holidaysSkipped.push(info);
      else out.weekendsSkipped++;
    } else if (p) {
      p.days.push(date);
    } else {
      counted++;
      if (counted === workingDays) due = date;
    }
    t++;
  }
  out.pauses = pauses;
  for (const p of pauses) {
    const label = p.kind === 'consultation' ? '征求第三方或其他机关意见' : '等待缴纳信息处理费';
    if (p.to === null) explanation.push(`${p.from} 起${label}，答复期限暂停计算（第三十三条第三款），尚未结束。`);
    else if (p.days.length > 0) {
      explanation.push(`${p.from} 至 ${p.to} ${label}，其间 ${p.days.length} 个工作日不计入答复期限（第三十三条第三款）。`);
    }
  }
  if (due === null) {
    out.suspended = openPause?.kind ?? 'consultation';
    return finish();
  }
  out.replyDue = due;
  out.provisional.replyDue = replyProvisional;
  explanation.push(
    `跳过周末 ${out.weekendsSkipped} 天、法定节假日 ${out.holidaysSkipped.length} 天${out.holidaysSkipped.length ? `（${[...new Set(out.holidaysSkipped.map((h) => h.name))].join('、')}）` : ''}，答复期限为 ${due}${replyProvisional ? '（暂定）' : ''}。`,
  );
  return finish();
}

/** open/closed, overdue, due soon (within 3 working days), on `today` */
export function status(c: Case, today: string, opts: CaseOptions = {}, due?: DueDates): CaseStatus {
  const cal = calendarOf(opts);
  const s = c.state;
  const closed = s.closed;
  const d = due ?? dueDates(c, opts);
  const open = closed === null;
  const overdue = open && d.replyDue !== null && today > d.replyDue;
  const dueSoon = open && !overdue && d.replyDue !== null && cal.addWorkingDays(today, DUE_SOON_DAYS).due >= d.replyDue;
  return {
    state: open ? 'open' : 'closed',
    outcome: closed?.outcome ?? null,
    closedOn: closed?.on ?? null,
    replyDue: d.replyDue,
    replyDueProvisional: d.provisional.replyDue,
    suspended: d.suspended,
    overdue,
    dueSoon,
    repliedLate: closed?.via === 'reply' && d.replyDue !== null && closed.on > d.replyDue,
    correctionLapsed: open && s.correction !== null && !s.correction.receivedOn && !s.correction.expiredOn && today > s.correction.deadline,
    feeLapsed: open && s.fee !== null && !s.fee.paidOn && !s.fee.expiredOn && today > s.fee.payDue,
  };
}

/**
 * applications by the same applicant (same identity document) received earlier in the same calendar
 * month; on the same day, those before `c` in `cases` (the register's order: date, then id) — or,
 * when `c` is not itself in the list, those with a smaller id
 */
export function priorApplicationsThisMonth(cases: readonly Case[], c: Case): number {
  const key = identityKey(c);
  const month = c.receivedOn.slice(0, 7);
  const self = cases.findIndex((o) => o.id === c.id);
  let n = 0;
  cases.forEach((o, i) => {
    if (o.id === c.id) return;
    if (identityKey(o) !== key || o.receivedOn.slice(0, 7) !== month) return;
    if (o.receivedOn < c.receivedOn) n++;
    else if (o.receivedOn === c.receivedOn && (self >= 0 ? i < self : o.id < c.id)) n++;
  });
  return n;
}

function identityKey(c: Case): string {
  return `${c.applicant.identity.type.trim()}:${c.applicant.identity.number.trim().toUpperCase()}`;
}

// ---------------------------------------------------------------------------
// Corrections: voiding an event, amending the application, recomputing under a new calendar
// ---------------------------------------------------------------------------

/** the application as registered (what `createCase` takes) */
export function baseOf(c: Case): NewCase {
  return {
    id: c.id,
    applicant: c.applicant,
    applicantType: c.applicantType,
    request: c.request,
    delivery: c.delivery,
    receipt: c.receipt,
    registeredBy: c.registeredBy,
  };
}

/**
 * The case recomputed from its application and its recorded events (voided ones skipped), under
 * `opts.calendar`: recorded facts, so timing that no longer holds is noted (`state.warnings`), not
 * refused. A TransitionError names the event that no longer makes sense.
 */
export function rebuild(c: Case, opts: CaseOptions = {}, base: NewCase = baseOf(c)): Case {
  const replayOpts: CaseOptions = { ...opts, recorded: true, today: undefined };
  let out: Case = createCase(base);
  c.events.forEach((e, i) => {
    if (e.voided) {
      out = { ...out, events: [...out.events, e] };
      return;
    }
    try {
      out = applyEvent(out, e, replayOpts);
    } catch (err) {
      if (!(err instanceof TransitionError)) throw err;
      const what = EVENT_ZH[e.type] ?? e.type;
      throw new TransitionError(
        err.code,
        `第 ${i + 1} 个事件“${what}”（${e.on}）不再成立：${err.zh}`,
        `Event ${i + 1} (${e.type}, ${e.on}) no longer holds: ${err.en}`,
      );
    }
  });
  return c.revisions ? { ...out, revisions: c.revisions } : out;
}

export interface CorrectionBy {
  by: string;
  reason: string;
  /** ISO time of the correction (default: now) */
  at?: string;
}

function requireReason(r: CorrectionBy, code: 'void' | 'amend', what: string, whatEn: string): void {
  if (blank(r.by)) fail(code, `${what}须记录操作人。`, `${whatEn} must record who made it.`);
  if (blank(r.reason)) fail(code, `${what}须写明理由。`, `${whatEn} needs a reason.`);
}

/**
 * The case with event `seq` (1-based position in `c.events`) voided: kept and marked, the case
 * recomputed as if it had not happened. Refused when a later event depends on it (void that first).
 */
export function voidEvent(c: Case, seq: number, r: CorrectionBy, opts: CaseOptions = {}): Case {
  requireReason(r, 'void', '作废事件', 'Voiding an event');
  const e = Number.isInteger(seq) ? c.events[seq - 1] : undefined;
  if (!e) fail('void', `本申请没有第 ${seq} 个事件。`, `The case has no event ${seq}.`);
  if (e.voided) {
    fail(
      'void',
      `第 ${seq} 个事件已于 ${e.voided.at.slice(0, 10)} 作废。`,
      `Event ${seq} was already voided on ${e.voided.at.slice(0, 10)}.`,
    );
  }
  const at = r.at ?? new Date().toISOString();
  const voided: CaseEvent = { ...e, voided: { at, by: r.by, reason: r.reason.trim() } };
  const events = c.events.map((x, i) => (i === seq - 1 ? voided : x));
  let out: Case;
  try {
    out = rebuild({ ...c, events }, opts);
  } catch (err) {
    if (!(err instanceof TransitionError)) throw err;
    fail(
      'void',
      `作废第 ${seq} 个事件“${EVENT_ZH[e.type]}”后，${err.zh} 请先作废依赖它的后续事件。`,
      `Voiding event ${seq} (${e.type}) would break a later one: ${err.en} Void that one first.`,
    );
  }
  const revision: Revision = {
    kind: 'void',
    at,
    by: r.by,
    reason: r.reason.trim(),
    seq,
    changes: [{ field: `events.${seq}`, label: EVENT_ZH[e.type], from: e.on, to: null }],
  };
  return { ...out, revisions: [...(c.revisions ?? []), revision] };
}

const FIELD_ZH: Record<string, string> = {
  'applicant.name': '申请人姓名或者名称',
  'applicant.identity.type': '身份证明种类',
  'applicant.identity.number': '身份证明号码',
  'applicant.contact.phone': '联系电话',
  'applicant.contact.address': '通信地址',
  'applicant.contact.email': '电子邮箱',
  applicantType: '申请人类型',
  'request.description': '所需政府信息的描述',
  'request.documentNumber': '文号',
  'delivery.form': '提供形式',
  'delivery.channel': '获取途径',
  'receipt.channel': '提交方式',
  'receipt.arrivedOn': '收件日期',
  'receipt.confirmedOn': '确认日期',
  receivedOn: '收到申请之日',
};

/** the applicant columns of 表二 in Chinese */
export const APPLICANT_TYPE_ZH: Record<ApplicantType, string> = {
  naturalPerson: '自然人',
  commercial: '商业企业',
  research: '科研机构',
  publicInterest: '社会公益组织',
  legalService: '法律服务机构',
  other: '其他',
};

function flat(o: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (o && typeof o === 'object') {
    for (const [k, v] of Object.entries(o)) flat(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (o !== undefined && o !== null && prefix) out[prefix] = String(o);
  return out;
}

function shown(field: string, v: string | undefined): string | null {
  if (v === undefined) return null;
  if (field === 'applicantType') return APPLICANT_TYPE_ZH[v as ApplicantType] ?? v;
  if (field === 'receipt.channel') return CHANNEL_LABELS[v as Channel] ?? v;
  return v;
}

/**
 * The case with its application's fields corrected (validated as a new application; the date of
 * receipt recomputed and the events replayed on it). `confirmedOn: null` removes the confirmation date.
 */
export function amendCase(c: Case, changes: CaseAmendment, r: CorrectionBy, opts: CaseOptions = {}): Case {
  requireReason(r, 'amend', '更正申请信息', 'Amending a case');
  if (!changes || typeof changes !== 'object') fail('amend', '没有要更正的内容。', 'Nothing to amend.');
  const old = baseOf(c);
  const receipt = { ...old.receipt, ...(changes.receipt ?? {}) } as NewCase['receipt'] & { confirmedOn?: string | null };
  if (receipt.confirmedOn === null) delete receipt.confirmedOn;
  const base: NewCase = {
    ...old,
    applicant: {
      name: changes.applicant?.name ?? old.applicant.name,
      identity: { ...old.applicant.identity, ...(changes.applicant?.identity ?? {}) },
      contact: { ...old.applicant.contact, ...(changes.applicant?.contact ?? {}) },
    },
    applicantType: changes.applicantType ?? old.applicantType,
    request: { ...old.request, ...(changes.request ?? {}) },
    delivery: { ...old.delivery, ...(changes.delivery ?? {}) },
    receipt: receipt as NewCase['receipt'],
  };
  // validates the fields (第二十九条, 第三十一条) and refuses a receipt date after today
  createCase(base, { today: opts.today });
  let out: Case;
  try {
    out = rebuild(c, opts, base);
  } catch (err) {
    if (!(err instanceof TransitionError)) throw err;
    fail('amend', `按更正后的信息，${err.zh}`, `With the amended fields, ${err.en}`);
  }
  const before: Record<string, string> = { ...flat({ ...old, id: undefined, registeredBy: undefined }), receivedOn: c.receivedOn };
  const after: Record<string, string> = { ...flat({ ...base, id: undefined, registeredBy: undefined }), receivedOn: out.receivedOn };
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => before[f] !== after[f]);
  if (fields.length === 0) fail('amend', '更正后的信息与原信息相同，没有改动。', 'The amendment changes nothing.');
  const at = r.at ?? new Date().toISOString();
  const revision: Revision = {
    kind: 'amend',
    at,
    by: r.by,
    reason: r.reason.trim(),
    changes: fields.map((f) => ({ field: f, label: FIELD_ZH[f] ?? f, from: shown(f, before[f]), to: shown(f, after[f]) })),
  };
  return { ...out, revisions: [...(c.revisions ?? []), revision] };
}

/** the dates of a case that a holiday calendar decides, with whether each is provisional */
export function calendarDates(
  c: Case,
  opts: CaseOptions = {},
): { field: string; label: string; date: string | null; provisional: boolean }[] {
  const d = dueDates(c, opts);
  const out = [
    { field: 'correctionNoticeDue', label: '补正告知期限', date: d.correctionNoticeDue, provisional: d.provisional.correctionNoticeDue },
    { field: 'replyDue', label: '答复期限', date: d.replyDue, provisional: d.provisional.replyDue },
  ];
  if (d.consultationAnswerDue) {
    out.push({
      field: 'consultationAnswerDue',
      label: '被征求方答复期限',
      date: d.consultationAnswerDue,
      provisional: d.provisional.consultationAnswerDue ?? false,
    });
  }
  if (d.feePayDue) out.push({ field: 'feePayDue', label: '缴费期限', date: d.feePayDue, provisional: d.provisional.feePayDue ?? false });
  return out;
}

/**
 * The case recomputed under a changed holiday calendar (`from` → `to`), with a `calendar` revision
 * listing every date that changed (a provisional date that became official counts as a change);
 * null when nothing the calendar decides changed.
 */
export function recalculate(c: Case, from: WorkingCalendar, to: WorkingCalendar, r: CorrectionBy, opts: CaseOptions = {}): Case | null {
  const before = calendarDates(c, { ...opts, calendar: from });
  const next = rebuild(c, { ...opts, calendar: to });
  const after = calendarDates(next, { ...opts, calendar: to });
  const changes: RevisionChange[] = [];
  for (const a of after) {
    const b = before.find((x) => x.field === a.field);
    if (!b || (b.date === a.date && b.provisional === a.provisional)) continue;
    changes.push({
      field: a.field,
      label: a.label,
      from: b.date,
      to: a.date,
      fromProvisional: b.provisional,
      toProvisional: a.provisional,
    });
  }
  if (changes.length === 0) return null;
  const revision: Revision = { kind: 'calendar', at: r.at ?? new Date().toISOString(), by: r.by, reason: r.reason, changes };
  return { ...next, revisions: [...(c.revisions ?? []), revision] };
}

/** “答复期限由 2027-01-05（暂定）改为 2027-01-06” */
export function describeChange(ch: RevisionChange): string {
  const v = (d: string | null, p?: boolean) => (d === null ? '（无）' : `${d}${p ? '（暂定）' : ''}`);
  if (ch.from === ch.to && ch.fromProvisional && !ch.toProvisional) return `${ch.label} ${ch.to} 由暂定改为确定`;
  // “答复期限由 2027-01-05（暂定）改为 2027-01-06”: no space after a closing bracket
  const from = v(ch.from, ch.fromProvisional);
  return `${ch.label}由 ${from}${from.endsWith('）') ? '' : ' '}改为 ${v(ch.to, ch.toProvisional)}`;
}
