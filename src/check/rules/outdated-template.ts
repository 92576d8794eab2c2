import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'outdated-template',
  severity: 'error',
  title: '2021 年度及以后的报告使用 2021 年版格式',
  docs: `国办公开办函〔2021〕30号自 2021 年度报告起施行。2021 年度及以后的报告仍使用 2019 年版表格（“本年新制作数量”“其他对外管理服务事项”“政府集中采购”等），或在 2021 年版表二中仍用 2019 年版单行的“（六）其他处理”而没有分列三个子项，都是使用了过时的模板。报告年度不明时不作判断。`,
  examples: {
    valid: [
      { title: '2023 年度报告使用 2021 年版格式', report: {} },
      { title: '2020 年度报告使用 2019 年版格式（当时的格式）', report: { format: '2019' } },
      { title: '报告年度不明，不作判断', report: { format: '2019', year: null } },
    ],
    invalid: [
      {
        title: '2023 年度报告仍使用 2019 年版表格',
        report: { format: '2019', year: 2023, publishedOn: '2024-01-20' },
        messageIncludes: ['2023 年度报告使用了 2019 年版格式'],
      },
      {
        title: '2021 年版表格中“（六）其他处理”仍是 2019 年版的单行',
        report: {
          template: { mixedOtherHandling: true },
          applications: {
            otherNoCorrection: undefined,
            otherFeeUnpaid: undefined,
            otherOther: undefined,
            otherHandling: { naturalPerson: 3, commercial: 0, research: 0, publicInterest: 0, legalService: 0, other: 0, total: 3 },
          },
        },
        messageIncludes: ['“（六）其他处理”仍是 2019 年版的单行'],
      },
    ],
  },
  check(ctx, emit) {
    const r = ctx.report;
    if (r.year === null || r.year < 2021) return;
    if (r.format === '2019') {
      emit({
        path: 'proactive',
        message: `${r.year} 年度报告使用了 2019 年版格式的表格，应使用国办公开办函〔2021〕30号规定的 2021 年版格式。`,
      });
    } else if (r.template?.mixedOtherHandling) {
      emit({
        path: 'applications.otherHandling',
        message: `表二“（六）其他处理”仍是 2019 年版的单行，2021 年版应分为“1.申请人无正当理由逾期不补正…”“2.申请人逾期未按收费通知要求缴纳费用…”“3.其他”三行。`,
      });
    }
  },
};
