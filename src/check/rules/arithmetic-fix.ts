import { cellName, show, valueAt } from '../cells.js';
import { singleCellFix } from '../equations.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'arithmetic-fix',
  severity: 'info',
  title: '只改一个单元格即可使所有合计成立时，指出该单元格及应填的数值',
  docs: `当表二、表三有合计不成立，而恰好只有一个单元格，改成某个数值后所有不成立的等式都成立、且不破坏任何成立的等式时，给出这个单元格和应填的数值（例如“（一）予以公开·总计 应为 35”）。有多个单元格都可以时不作推断。`,
  check(ctx, emit) {
    const fix = singleCellFix(ctx.report);
    if (!fix) return;
    emit({
      path: fix.path,
      message: `${cellName(fix.path)} 应为 ${fix.value}（现为 ${show(valueAt(ctx.report, fix.path))}）：改正这一个单元格后，${fix.broken} 处不成立的合计全部成立。`,
    });
  },
};
