import { cellName, n, show } from '../cells.js';
import { facts } from '../context.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'review-litigation-total',
  severity: 'error',
  title: '表三每组“总计”等于结果维持、结果纠正、其他结果、尚未审结之和',
  docs: `表三分行政复议、行政诉讼（未经复议直接起诉）、行政诉讼（复议后起诉）三组，每组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。空白按 0 计。`,
  examples: {
    valid: [
      { title: '三组的总计都等于四项之和（行政复议 3 + 1 + 0 + 1 = 5）', report: {} },
      {
        title: '没有复议后起诉的案件，整组空白（空白按 0 计，由 blank-cells 提示）',
        report: {
          reviewLitigation: { litigationAfterReview: { upheld: null, corrected: null, other: null, pending: null, total: null } },
        },
      },
    ],
    invalid: [
      {
        title: '行政复议的总计一栏填了 0，前四栏有数字',
        report: { reviewLitigation: { review: { total: 0 } } },
        messageIncludes: ['总计为 0，但结果维持 3 + 结果纠正 1 + 其他结果 0 + 尚未审结 1 = 5'],
      },
      {
        title: '未经复议直接起诉的总计多了 2',
        report: { reviewLitigation: { litigationDirect: { total: 6 } } },
        messageIncludes: ['总计为 6，但结果维持 2 + 结果纠正 0 + 其他结果 1 + 尚未审结 1 = 4'],
      },
    ],
  },
  check(ctx, emit) {
    for (const e of facts(ctx).equations) {
      if (e.kind !== 'review-litigation-total') continue;
      if (e.residual === 0) continue;
      const [u, c, o, p] = e.rightValues.map(n);
      const total = e.leftValues[0];
      const group = cellName(e.left[0]).split('·')[0];
      emit({
        path: e.left[0],
        message: `表三${group}：总计为 ${show(total)}，但结果维持 ${u} + 结果纠正 ${c} + 其他结果 ${o} + 尚未审结 ${p} = ${u + c + o + p}。`,
      });
    }
  },
};
