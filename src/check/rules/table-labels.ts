import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'table-labels',
  severity: 'error',
  title: '表格的行、列名称与格式模板一致',
  docs: `三张表的行名、列名应与格式模板逐字一致（比较前统一全角半角、去掉空格与换行、统一“1.”“1、”等编号写法）。读取时按行列位置识别出的名称若与模板不同（错字如“本年度止件数”、不规范的写法如“社会组织”“其他法律法规禁止公开”），逐一报告发布的名称和应有的名称。`,
  examples: {
    valid: [{ title: '行名、列名与模板一致', report: { labels: [] } }],
    invalid: [
      {
        title: '表一列名错字：“本年度止件数”',
        report: { labels: [{ path: 'proactive.regulations.repealed', published: '本年度止件数', expected: '本年废止件数' }] },
        messageIncludes: ['“本年度止件数”', '应为“本年废止件数”'],
      },
      {
        title: '表二列名不规范：“社会组织”，行名漏字：“其他法律法规禁止公开”',
        report: {
          labels: [
            { path: 'applications.*.publicInterest', published: '社会组织', expected: '社会公益组织' },
            { path: 'applications.withheldLawProhibited', published: '其他法律法规禁止公开', expected: '2.其他法律行政法规禁止公开' },
          ],
        },
        messageIncludes: ['“社会组织”', '“社会公益组织”', '“其他法律法规禁止公开”'],
      },
    ],
  },
  check(ctx, emit) {
    for (const l of ctx.report.labels ?? []) {
      emit({ path: l.path, message: `表格名称“${l.published}”与格式模板不一致，应为“${l.expected}”。` });
    }
  },
};
