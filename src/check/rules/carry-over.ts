import { APPLICANT_COLUMNS } from '../../model/format.js';
import { n, show } from '../cells.js';
import type { Rule } from '../types.js';
import { colName } from './shared.js';

export const rule: Rule = {
  id: 'carry-over',
  severity: 'warning',
  crossYear: true,
  title: '本年“二、上年结转”等于上年报告的“四、结转下年度继续办理”',
  docs: `上年度未办结、结转到本年度的申请，本年度报告表二“二、上年结转政府信息公开申请数量”应与上年度报告表二“四、结转下年度继续办理”逐列相等（评估中常查；格式本身没有写明，所以是警告）。需要上年度的报告（--previous，或在同一次检查中给出同一机关上一年的报告）。`,
  examples: {
    valid: [{ title: '本年上年结转 3 件 = 上年报告结转下年度 3 件', report: {}, previous: {} }],
    invalid: [
      {
        title: '本年“上年结转”为 3 件，上年报告“结转下年度继续办理”为 5 件',
        report: {},
        previous: { applications: { carriedForward: { naturalPerson: 5, total: 5 } } },
        messageIncludes: ['本年“二、上年结转”为 3，但 2022 年度报告“四、结转下年度继续办理”为 5'],
      },
    ],
  },
  check(ctx, emit) {
    const prev = ctx.previous?.applications.carriedForward;
    const cur = ctx.report.applications.carriedOver;
    if (!prev || !cur) return;
    for (const c of APPLICANT_COLUMNS) {
      if (n(cur[c.key]) === n(prev[c.key])) continue;
      emit({
        path: `applications.carriedOver.${c.key}`,
        message: `表二${colName(c.key)}列：本年“二、上年结转”为 ${show(cur[c.key])}，但 ${ctx.previous?.year ?? '上'} 年度报告“四、结转下年度继续办理”为 ${show(prev[c.key])}。`,
      });
    }
  },
};
