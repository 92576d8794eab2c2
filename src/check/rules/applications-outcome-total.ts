import { n, show, valueAt } from '../cells.js';
import { equations, residual, sum } from '../equations.js';
import type { Rule } from '../types.js';
import { colName } from './shared.js';

export const rule: Rule = {
  id: 'applications-outcome-total',
  severity: 'error',
  title: '表二“（七）总计”等于各项办理结果之和',
  docs: `表二“三、本年度办理结果”的（七）总计，按列等于（一）至（六）全部末级行之和（2021 年版 21 行，2019 年版 19 行；区分处理的只计入“部分公开”，每件申请只计一次）。表中没有（三）至（六）的小计行。空白单元格按 0 计。`,
  check(ctx, emit) {
    const r = ctx.report;
    for (const e of equations(r)) {
      if (e.kind !== 'applications-outcome-total') continue;
      if (residual(r, e) === 0) continue;
      const total = valueAt(r, e.left[0]);
      const parts = sum(r, e.right);
      emit({
        path: e.left[0],
        message: `表二${colName(e.key)}列：（七）总计为 ${show(total)}，但各项办理结果之和为 ${parts}（相差 ${Math.abs(n(total) - parts)}）。`,
      });
    }
  },
};
