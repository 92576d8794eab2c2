import { n, show } from '../cells.js';
import { facts } from '../context.js';
import type { Rule } from '../types.js';
import { colName } from './shared.js';

export const rule: Rule = {
  id: 'applications-outcome-total',
  severity: 'error',
  title: '表二“（七）总计”等于各项办理结果之和',
  docs: `表二“三、本年度办理结果”的（七）总计，按列等于（一）至（六）全部末级行之和（2021 年版 21 行，2019 年版 19 行；区分处理的只计入“部分公开”，每件申请只计一次）。表中没有（三）至（六）的小计行。空白单元格按 0 计。`,
  examples: {
    valid: [
      { title: '（七）总计等于 21 个末级行之和（总计列 88）', report: {} },
      { title: '2019 年版：（六）其他处理为单行，共 19 个末级行', report: { format: '2019' } },
    ],
    invalid: [
      {
        title: '“本机关不掌握相关政府信息”的自然人一栏多填了 2 件，（七）总计没有跟着改',
        report: { applications: { unableNotHeld: { naturalPerson: 22, total: 25 } } },
        messageIncludes: ['（七）总计为 78，但各项办理结果之和为 80（相差 2）', '（七）总计为 88，但各项办理结果之和为 90（相差 2）'],
      },
      {
        title: '（七）总计漏计了“（六）其他处理”的 3 件，四、结转下年度也按错的总计倒算',
        report: { applications: { outcomeTotal: { naturalPerson: 75, total: 85 }, carriedForward: { naturalPerson: 8, total: 8 } } },
        messageIncludes: ['（七）总计为 75，但各项办理结果之和为 78（相差 3）', '（七）总计为 85，但各项办理结果之和为 88（相差 3）'],
      },
    ],
  },
  check(ctx, emit) {
    for (const e of facts(ctx).equations) {
      if (e.kind !== 'applications-outcome-total') continue;
      if (e.residual === 0) continue;
      const total = e.leftValues[0];
      const parts = e.rightSum;
      emit({
        path: e.left[0],
        message: `表二${colName(e.key)}列：（七）总计为 ${show(total)}，但各项办理结果之和为 ${parts}（相差 ${Math.abs(n(total) - parts)}）。`,
      });
    }
  },
};
