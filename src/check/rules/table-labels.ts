import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'table-labels',
  severity: 'error',
  title: '表格的行、列名称与格式模板一致',
  docs: `三张表的行名、列名应与格式模板逐字一致（比较前统一全角半角、去掉空格与换行、统一“1.”“1、”等编号写法）。读取时按行列位置识别出的名称若与模板不同（错字如“本年度止件数”、不规范的写法如“社会组织”“其他法律法规禁止公开”），逐一报告发布的名称和应有的名称。`,
  check(ctx, emit) {
    for (const l of ctx.report.labels ?? []) {
      emit({ path: l.path, message: `表格名称“${l.published}”与格式模板不一致，应为“${l.expected}”。` });
    }
  },
};
