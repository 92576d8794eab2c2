/** The lines that describe a recorded event, in Chinese. */
import {
  APPLICANT_TYPE_LABELS,
  CHANNEL_LABELS,
  CONSULTATION_PARTY_LABELS,
  CONSULTATION_RESULT_LABELS,
  EVENT_LABELS,
  FEE_METHOD_LABELS,
  outcomeLabel,
  PROCEEDING_KIND_LABELS,
  PROCEEDING_RESULT_LABELS,
} from './labels';
import type { Case, CaseEvent } from './types';

/** a label of one of the closed lists, never its key */
function named<K extends string>(labels: Record<K, string>, key: K | string | null | undefined, other = '其他'): string {
  return key !== null && key !== undefined && key in labels ? labels[key as K] : other;
}

export function eventDetails(e: CaseEvent): string[] {
  const out: string[] = [];
  switch (e.type) {
    case 'correctionNotice':
      out.push(`补正期限 ${e.deadline}`);
      if (e.items) out.push(`补正事项：${e.items}`);
      break;
    case 'correctionReceived':
      if (e.goodReason) out.push(`逾期理由：${e.goodReason}`);
      break;
    case 'consultationStarted':
      out.push(`征求${named(CONSULTATION_PARTY_LABELS, e.party)}意见：${e.consulted}`);
      break;
    case 'consultationEnded':
      if (e.result) out.push(`意见：${named(CONSULTATION_RESULT_LABELS, e.result)}`);
      break;
    case 'extension':
      out.push(`延长 ${e.days} 个工作日，批准人 ${e.approver}${e.applicantNotified ? '，已告知申请人' : ''}`);
      if (e.reason) out.push(`理由：${e.reason}`);
      break;
    case 'feeNotice':
      if (e.fee.method === 'perPage') out.push(`${FEE_METHOD_LABELS.perPage}，${e.fee.pages} 页`);
      else
        out.push(
          `${FEE_METHOD_LABELS.perApplication}${e.fee.priorThisMonth !== undefined && e.fee.priorThisMonth !== null ? `，本月此前 ${e.fee.priorThisMonth} 件` : ''}${e.fee.units ? `，计 ${e.fee.units} 件` : ''}`,
        );
      break;
    case 'withdrawal':
      if (e.reason) out.push(`理由：${e.reason}`);
      break;
    case 'reply':
      out.push(`办理结果：${outcomeLabel(e.outcome)}`);
      if (e.reasons) out.push(`理由：${e.reasons}`);
      break;
    case 'proceedingFiled':
      out.push(`${named(PROCEEDING_KIND_LABELS, e.kind)}，案号 ${e.id}`);
      break;
    case 'proceedingDecided':
      out.push(`案号 ${e.id}：${named(PROCEEDING_RESULT_LABELS, e.result)}`);
      if (e.decision) out.push(e.decision);
      break;
    default:
      break;
  }
  if (e.note) out.push(`备注：${e.note}`);
  return out;
}

/** the lines of an event whose stored data may be incomplete (an unreadable case): never throws */
export function safeEventDetails(e: CaseEvent): string[] {
  try {
    return eventDetails(e);
  } catch {
    return [];
  }
}

/** one line of a case described in Chinese: its label and its value */
export interface CaseLine {
  label: string;
  value: string;
}

const money = (yuan: number) => `${yuan.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;

/**
 * The state of a case (as the audit trail keeps it before and after a step), in Chinese: whether and
 * how it was concluded, the correction, the consultations, the extension, the fee, the proceedings.
 */
export function caseStateLines(state: Case['state'] | null | undefined): CaseLine[] {
  if (!state) return [];
  const out: CaseLine[] = [];
  const closed = state.closed;
  out.push({
    label: '办理状态',
    value: closed ? `${closed.on} 办结（${named(EVENT_LABELS, closed.via, '办结')}），办理结果：${outcomeLabel(closed.outcome)}` : '办理中',
  });
  const c = state.correction;
  if (c) {
    const end = c.receivedOn ? `，${c.receivedOn} 收到补正` : c.expiredOn ? `，${c.expiredOn} 逾期未补正` : '，等待补正';
    out.push({ label: '补正', value: `${c.noticeOn} 告知补正，补正期限 ${c.deadline}${end}` });
  }
  for (const k of state.consultations ?? []) {
    const end = k.endedOn ? `，${k.endedOn} 结束${k.result ? `（${named(CONSULTATION_RESULT_LABELS, k.result)}）` : ''}` : '，尚未结束';
    out.push({
      label: '征求意见',
      value: `${k.startedOn} 征求${named(CONSULTATION_PARTY_LABELS, k.party)}“${k.consulted}”的意见，答复期限 ${k.answerDue}${end}`,
    });
  }
  if (state.extensionDays > 0) out.push({ label: '延期答复', value: `已延长 ${state.extensionDays} 个工作日` });
  const f = state.fee;
  if (f) {
    const end = f.paidOn ? `，${f.paidOn} 已缴费` : f.expiredOn ? `，${f.expiredOn} 逾期未缴费` : '，等待缴费';
    out.push({
      label: '信息处理费',
      value: `${f.noticeOn} 发出收费通知，${named(FEE_METHOD_LABELS, f.result?.method ?? f.input?.method)}，金额 ${money(f.result?.amount ?? 0)}，缴费期限 ${f.payDue}${end}`,
    });
  }
  for (const p of state.proceedings ?? []) {
    const end = p.decidedOn ? `，${p.decidedOn} 审结（${named(PROCEEDING_RESULT_LABELS, p.result, '结果未登记')}）` : '，尚未审结';
    out.push({ label: named(PROCEEDING_KIND_LABELS, p.kind, '复议/诉讼'), value: `案号 ${p.id}，${p.filedOn} 立案${end}` });
  }
  if (state.lastEventOn) out.push({ label: '最近一次办理', value: state.lastEventOn });
  for (const w of state.warnings ?? []) out.push({ label: '提醒', value: w.zh });
  return out;
}

/** a case as the audit trail keeps it, in Chinese: the application, its events and its state */
export function caseLines(c: Case | null | undefined): CaseLine[] {
  if (!c) return [];
  const contact = [c.applicant?.contact?.phone, c.applicant?.contact?.email, c.applicant?.contact?.address].filter(Boolean).join('；');
  const lines: CaseLine[] = [
    { label: '申请人', value: c.applicant?.name ?? '' },
    { label: '申请人类型', value: named(APPLICANT_TYPE_LABELS, c.applicantType) },
    { label: '身份证明', value: `${c.applicant?.identity?.type ?? ''} ${c.applicant?.identity?.number ?? ''}`.trim() },
    { label: '联系方式', value: contact || '—' },
    { label: '所需信息', value: c.request?.description ?? '' },
    ...(c.request?.documentNumber ? [{ label: '文号', value: c.request.documentNumber }] : []),
    { label: '提供形式/获取方式', value: `${c.delivery?.form ?? ''} / ${c.delivery?.channel ?? ''}` },
    { label: '提交方式', value: named(CHANNEL_LABELS, c.receipt?.channel) },
    { label: '收件日期', value: c.receipt?.arrivedOn ?? '' },
    ...(c.receipt?.confirmedOn ? [{ label: '确认日期', value: c.receipt.confirmedOn }] : []),
    { label: '收到申请之日', value: c.receivedOn ?? '' },
  ];
  (c.events ?? []).forEach((e, i) => {
    const what = [named(EVENT_LABELS, e.type, '事件'), ...safeEventDetails(e)].join('；');
    lines.push({ label: `事件 ${i + 1}`, value: `${e.on} ${what}${e.voided ? `（已作废：${e.voided.reason}）` : ''}` });
  });
  return [...lines, ...caseStateLines(c.state)];
}

/**
 * What an audit entry kept before or after a step, in Chinese: a case (its application, events and
 * state), or an issued notice (its 发文字号); never its stored form.
 */
export function auditLines(x: unknown): CaseLine[] {
  if (x === null || x === undefined || typeof x !== 'object') return [];
  const o = x as Record<string, unknown>;
  if ('applicant' in o || 'state' in o) return caseLines(o as unknown as Case);
  if (typeof o.number === 'string') {
    const out: CaseLine[] = [{ label: '发文字号', value: o.number }];
    if (typeof o.seq === 'number') out.push({ label: '对应事件', value: `第 ${o.seq} 项` });
    if (o.supersedes !== null && o.supersedes !== undefined) out.push({ label: '重新发文', value: '取代此前发出的文书' });
    return out;
  }
  return [{ label: '内容', value: '（这一操作的记录无法逐项显示）' }];
}
