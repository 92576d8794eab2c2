/** The lines that describe a recorded event, in Chinese. */
import {
  CONSULTATION_PARTY_LABELS,
  CONSULTATION_RESULT_LABELS,
  FEE_METHOD_LABELS,
  outcomeLabel,
  PROCEEDING_KIND_LABELS,
  PROCEEDING_RESULT_LABELS,
} from './labels';
import type { CaseEvent } from './types';

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
      out.push(`征求${CONSULTATION_PARTY_LABELS[e.party] ?? e.party}意见：${e.consulted}`);
      break;
    case 'consultationEnded':
      if (e.result) out.push(`意见：${CONSULTATION_RESULT_LABELS[e.result] ?? e.result}`);
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
      out.push(`${PROCEEDING_KIND_LABELS[e.kind] ?? e.kind}，案号 ${e.id}`);
      break;
    case 'proceedingDecided':
      out.push(`案号 ${e.id}：${PROCEEDING_RESULT_LABELS[e.result] ?? e.result}`);
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
