/**
 * Statutory deadlines of a disclosure application, from its date of receipt
 * (《政府信息公开条例》第三十条、第三十三条), in working days counted from the
 * day after receipt by default (民法典第二百零一条; spec §4.3).
 */
import {
  type AddWorkingDaysOptions,
  defaultCalendar,
  holidayRanges,
  parseDate,
  provisionalNote,
  type WorkingCalendar,
  type WorkingDaysResult,
  weekdayZh,
} from './calendar.js';

export interface Deadlines {
  receivedOn: string;
  /** 补正告知: 7 working days (第三十条) */
  correctionNoticeDue: string;
  /** 答复: 20 working days (第三十三条第二款) */
  replyDue: string;
  /** 延长答复: at most 20 more, 40 in all (第三十三条第二款) */
  extendedReplyDue: string;
}

export interface DeadlineExplanation {
  key: 'correctionNoticeDue' | 'replyDue' | 'extendedReplyDue';
  workingDays: number;
  /** the article applied, in Chinese */
  rule: string;
  result: WorkingDaysResult;
}

export interface DeadlinesWithExplanation extends Deadlines {
  /** which dates are provisional (暂定): computed over a year without an official holiday notice */
  provisional: { correctionNoticeDue: boolean; replyDue: boolean; extendedReplyDue: boolean };
  /** those years */
  provisionalYears: number[];
  explanations: DeadlineExplanation[];
}

export const CORRECTION_NOTICE_DAYS = 7;
export const REPLY_DAYS = 20;
export const EXTENSION_DAYS = 20;

const RULES = {
  correctionNoticeDue:
    '《政府信息公开条例》第三十条：申请内容不明确的，应当自收到申请之日起7个工作日内一次性告知申请人作出补正，说明需要补正的事项和合理的补正期限。',
  replyDue: '《政府信息公开条例》第三十三条第二款：不能当场答复的，应当自收到申请之日起20个工作日内予以答复。',
  extendedReplyDue:
    '《政府信息公开条例》第三十三条第二款：需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日（合计不超过40个工作日）。',
} as const;

export function deadlinesFor(
  receivedOn: string,
  opts: AddWorkingDaysOptions & { calendar?: WorkingCalendar } = {},
): DeadlinesWithExplanation {
  const cal = opts.calendar ?? defaultCalendar();
  const counting = { counting: opts.counting };
  const items: [DeadlineExplanation['key'], number][] = [
    ['correctionNoticeDue', CORRECTION_NOTICE_DAYS],
    ['replyDue', REPLY_DAYS],
    ['extendedReplyDue', REPLY_DAYS + EXTENSION_DAYS],
  ];
  const explanations = items.map(([key, n]) => ({
    key,
    workingDays: n,
    rule: RULES[key],
    result: cal.addWorkingDays(receivedOn, n, counting),
  }));
  return {
    receivedOn,
    correctionNoticeDue: explanations[0].result.due,
    replyDue: explanations[1].result.due,
    extendedReplyDue: explanations[2].result.due,
    provisional: {
      correctionNoticeDue: explanations[0].result.provisional,
      replyDue: explanations[1].result.provisional,
      extendedReplyDue: explanations[2].result.provisional,
    },
    provisionalYears: [...new Set(explanations.flatMap((e) => e.result.provisionalYears))].sort(),
    explanations,
  };
}

function withWeekday(date: string): string {
  return `${date}（${weekdayZh(new Date(parseDate(date) * 86_400_000).getUTCDay())}）`;
}

const TITLE: Record<DeadlineExplanation['key'], string> = {
  correctionNoticeDue: '补正告知期限',
  replyDue: '答复期限',
  extendedReplyDue: '延长后的最长答复期限',
};

/** a Chinese explanation of one working-day count */
export function explainCount(r: WorkingDaysResult): string[] {
  const first = r.days[0].date;
  const span = parseDate(r.due) - parseDate(first) + 1;
  const lines = [
    `从 ${first} 数起，到 ${r.due} 共 ${span} 个自然日，其中计入工作日 ${r.counted.length} 天，跳过周末 ${r.weekendsSkipped.length} 天、法定节假日 ${r.holidaysSkipped.length} 天。`,
  ];
  if (r.holidaysSkipped.length > 0) {
    const ranges = holidayRanges(r.holidaysSkipped).map((h) =>
      h.count === 1 ? `${h.name} ${h.first}` : `${h.name} ${h.first}至${h.last}（${h.count}天）`,
    );
    lines.push(`跳过的法定节假日：${ranges.join('；')}。`);
  }
  if (r.makeUpCounted.length > 0) {
    lines.push(`计入的调休上班日：${r.makeUpCounted.map((d) => `${withWeekday(d.date)}（${d.name}调休）`).join('、')}。`);
  }
  lines.push(`计入的工作日：${r.counted.map((d) => d.date.slice(5)).join(' ')}。`);
  return lines;
}

/** the human output of `nianbao deadline`, in Chinese */
export function formatDeadlines(d: DeadlinesWithExplanation): string {
  const counting = d.explanations[0].result.counting;
  const out = [
    `收到申请日期：${withWeekday(d.receivedOn)}`,
    counting === 'next-day'
      ? '计算方法：自收到申请的次日起算（参照《民法典》第二百零一条，开始的当日不计入），只计工作日；周末和法定节假日不计，调休上班日计入。'
      : '计算方法：收到申请的当日为工作日的，计为第1个工作日；只计工作日，周末和法定节假日不计，调休上班日计入。',
    `节假日依据：国务院办公厅各年部分节假日安排的通知（data/holidays.json，版本 ${d.explanations[0].result.calendarVersion}，以及管理员录入的通知）。`,
  ];
  if (d.provisionalYears.length > 0) out.push(`暂定：${provisionalNote(d.provisionalYears)}`);
  out.push('');
  for (const e of d.explanations) {
    out.push(`${TITLE[e.key]}：${withWeekday(e.result.due)}${e.result.provisional ? '（暂定）' : ''}（第 ${e.workingDays} 个工作日）`);
    out.push(`  依据：${e.rule}`);
    for (const line of explainCount(e.result)) out.push(`  ${line}`);
    out.push('');
  }
  out.push(
    '说明：征求第三方和其他机关意见所需时间不计算在答复期限内（第三十三条第三款）；申请人补正的，答复期限自行政机关收到补正后的申请之日起重新计算（第三十条）。',
  );
  return out.join('\n');
}
