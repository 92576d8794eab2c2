import { n, valueAt } from '../cells.js';
import { equations, residual } from '../equations.js';
import type { Rule } from '../types.js';
import { colName } from './shared.js';

export const rule: Rule = {
  id: 'applications-balance',
  severity: 'error',
  title: '表二勾稽关系：每一列“一＋二＝三（七）总计＋四”',
  docs: `表二表头注明“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”。按列检查（自然人、五类法人或其他组织、总计各一列）：本年新收 + 上年结转 = 本年度办理结果总计 + 结转下年度继续办理。空白单元格按 0 计。依据：国办公开办函〔2021〕30号附件表二表头。`,
  check(ctx, emit) {
    const r = ctx.report;
    for (const e of equations(r)) {
      if (e.kind !== 'applications-balance') continue;
      const d = residual(r, e);
      if (d === 0) continue;
      const v = (p: string) => n(valueAt(r, p));
      const [nr, co] = e.left;
      const [ot, cf] = e.right;
      emit({
        path: cf,
        message: `表二${colName(e.key)}列不平衡：一、本年新收 ${v(nr)} + 二、上年结转 ${v(co)} = ${v(nr) + v(co)}，而（七）总计 ${v(ot)} + 四、结转下年度继续办理 ${v(cf)} = ${v(ot) + v(cf)}，相差 ${Math.abs(d)}。`,
      });
    }
  },
};
