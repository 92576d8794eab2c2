import { cellName, n, show } from '../cells.js';
import { facts } from '../context.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'applications-row-total',
  severity: 'error',
  title: '表二每一行的“总计”等于六类申请人之和',
  docs: `表二每一行（一、二、三的每个末级行、（七）总计、四）的“总计”列等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。空白按 0 计，所以各列有数字而总计空白也是错误。`,
  examples: {
    valid: [
      { title: '每一行的总计都等于六类申请人之和，如“（一）予以公开”：30+3+0+0+1+1 = 35', report: {} },
      {
        title: '空白按 0 计：商业企业一栏空白，总计仍等于其余各栏之和',
        report: { applications: { notProcessedPublication: { commercial: null } } },
      },
    ],
    invalid: [
      {
        title: '“（一）予以公开”的总计空白，旁边各栏有数字',
        report: { applications: { granted: { total: null } } },
        messageIncludes: ['总计为 空白，但六类申请人之和为 35（30+3+0+0+1+1）'],
      },
      {
        title: '“一、本年新收”的总计比各栏之和多 2',
        report: { applications: { newReceived: { total: 92 } } },
        messageIncludes: ['总计为 92，但六类申请人之和为 90（80+6+0+1+2+1）'],
      },
    ],
  },
  check(ctx, emit) {
    for (const e of facts(ctx).equations) {
      if (e.kind !== 'applications-row-total') continue;
      if (e.residual === 0) continue;
      const parts = e.rightValues.map(n);
      const total = e.leftValues[0];
      const s = parts.reduce((a, b) => a + b, 0);
      emit({
        path: e.left[0],
        message: `表二“${cellName(`applications.${e.key}`)}”：总计为 ${show(total)}，但六类申请人之和为 ${s}（${parts.join('+')}）。`,
      });
    }
  },
};
