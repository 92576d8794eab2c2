import { n } from '../cells.js';
import { facts } from '../context.js';
import type { Rule } from '../types.js';
import { colName } from './shared.js';

export const rule: Rule = {
  id: 'applications-balance',
  severity: 'error',
  title: '表二勾稽关系：每一列“一＋二＝三（七）总计＋四”',
  docs: `表二表头注明“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”。按列检查（自然人、五类法人或其他组织、总计各一列）：本年新收 + 上年结转 = 本年度办理结果总计 + 结转下年度继续办理。空白单元格按 0 计。依据：国办公开办函〔2021〕30号附件表二表头。`,
  examples: {
    valid: [
      { title: '每一列都平衡，如总计列：90 + 3 = 88 + 5', report: {} },
      {
        title: '空白按 0 计：“科研机构”一列全部空白，仍然平衡',
        report: {
          applications: {
            newReceived: { research: null },
            carriedOver: { research: null },
            outcomeTotal: { research: null },
            carriedForward: { research: null },
          },
        },
      },
    ],
    invalid: [
      {
        title: '“四、结转下年度继续办理”多填了 2 件：自然人和总计都填 7，应为 5',
        report: { applications: { carriedForward: { naturalPerson: 7, total: 7 } } },
        messageIncludes: ['一、本年新收 80 + 二、上年结转 3 = 83', '（七）总计 78 + 四、结转下年度继续办理 7 = 85', '相差 2'],
      },
      {
        title: '2019 年版同样检查：本年新收的自然人一栏少填了 2 件',
        report: { format: '2019', applications: { newReceived: { naturalPerson: 50, total: 56 } } },
        messageIncludes: ['一、本年新收 50 + 二、上年结转 1 = 51', '（七）总计 51 + 四、结转下年度继续办理 2 = 53', '相差 2'],
      },
    ],
  },
  check(ctx, emit) {
    for (const e of facts(ctx).equations) {
      if (e.kind !== 'applications-balance') continue;
      const d = e.residual;
      if (d === 0) continue;
      const [nr, co] = e.leftValues.map(n);
      const [ot, cf] = e.rightValues.map(n);
      emit({
        path: e.right[1],
        message: `表二${colName(e.key)}列不平衡：一、本年新收 ${nr} + 二、上年结转 ${co} = ${nr + co}，而（七）总计 ${ot} + 四、结转下年度继续办理 ${cf} = ${ot + cf}，相差 ${Math.abs(d)}。`,
      });
    }
  },
};
