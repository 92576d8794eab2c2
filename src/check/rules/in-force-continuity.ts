import { n, show } from '../cells.js';
import type { Rule } from '../types.js';

type Docs = { issued?: number | null; repealed?: number | null; inForce?: number | null };

export const rule: Rule = {
  id: 'in-force-continuity',
  severity: 'warning',
  crossYear: true,
  title: '现行有效件数与上年衔接：上年现行有效 + 本年制发 − 本年废止',
  docs: `表一“规章”“行政规范性文件”的现行有效件数，一般等于上年度报告的现行有效件数加本年制发件数减本年废止件数。修订、重新发布、清理后失效等情况会使等式不严格成立，所以只作警告。两份报告都是 2021 年版时才检查。`,
  examples: {
    valid: [
      { title: '上年现行有效 35 + 本年制发 5 − 本年废止 2 = 38', report: {}, previous: {} },
      { title: '上年报告用的是 2019 年版表格，不比较', report: {}, previous: { format: '2019', year: 2022 } },
    ],
    invalid: [
      {
        title: '现行有效行政规范性文件 40 件，按上年报告应为 38 件',
        report: { proactive: { normativeDocuments: { inForce: 40 } } },
        previous: {},
        messageIncludes: ['现行有效件数为 40', '上年度现行有效 35 + 本年制发 5 − 本年废止 2 = 38'],
      },
    ],
  },
  check(ctx, emit) {
    const cur = ctx.report;
    const prev = ctx.previous;
    if (!prev || cur.format !== '2021' || prev.format !== '2021') return;
    for (const [key, name] of [
      ['regulations', '规章'],
      ['normativeDocuments', '行政规范性文件'],
    ] as const) {
      const c = (cur.proactive as Record<string, Docs>)[key];
      const p = (prev.proactive as Record<string, Docs>)[key];
      if (!c || !p || c.inForce === null || p.inForce === null || c.inForce === undefined || p.inForce === undefined) continue;
      const expected = n(p.inForce) + n(c.issued) - n(c.repealed);
      if (n(c.inForce) === expected) continue;
      emit({
        path: `proactive.${key}.inForce`,
        message: `表一“${name}”现行有效件数为 ${show(c.inForce)}，而上年度现行有效 ${show(p.inForce)} + 本年制发 ${show(c.issued)} − 本年废止 ${show(c.repealed)} = ${expected}；如有修订或清理请在报告中说明。`,
      });
    }
  },
};
