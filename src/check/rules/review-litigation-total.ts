import { cellName, n, show, valueAt } from '../cells.js';
import { equations, residual } from '../equations.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'review-litigation-total',
  severity: 'error',
  title: '表三每组“总计”等于结果维持、结果纠正、其他结果、尚未审结之和',
  docs: `表三分行政复议、行政诉讼（未经复议直接起诉）、行政诉讼（复议后起诉）三组，每组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。空白按 0 计。`,
  check(ctx, emit) {
    const r = ctx.report;
    for (const e of equations(r)) {
      if (e.kind !== 'review-litigation-total') continue;
      if (residual(r, e) === 0) continue;
      const [u, c, o, p] = e.right.map((x) => n(valueAt(r, x)));
      const total = valueAt(r, e.left[0]);
      const group = cellName(e.left[0]).split('·')[0];
      emit({
        path: e.left[0],
        message: `表三${group}：总计为 ${show(total)}，但结果维持 ${u} + 结果纠正 ${c} + 其他结果 ${o} + 尚未审结 ${p} = ${u + c + o + p}。`,
      });
    }
  },
};
