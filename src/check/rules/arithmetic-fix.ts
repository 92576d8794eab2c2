import { cellName, show } from '../cells.js';
import { facts } from '../context.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'arithmetic-fix',
  severity: 'info',
  title: '只改一个单元格即可使所有合计成立时，指出该单元格及应填的数值',
  docs: `当表二、表三有合计不成立，而恰好只有一个单元格，改成某个数值后所有不成立的等式都成立、且不破坏任何成立的等式时，给出这个单元格和应填的数值（例如“（一）予以公开·总计 应为 35”）。有多个单元格都可以时不作推断。`,
  examples: {
    valid: [
      { title: '所有合计都成立，不需要修改', report: {} },
      {
        title: '两处无关的单元格都错了（表二予以公开的总计、表三行政复议的总计）：改一个单元格不够，不作推断',
        report: { applications: { granted: { total: 36 } }, reviewLitigation: { review: { total: 6 } } },
      },
    ],
    invalid: [
      {
        title: '“（一）予以公开”的总计错填为 37：行合计和（七）总计两处不成立，只改这一格即可',
        report: { applications: { granted: { total: 37 } } },
        messageIncludes: ['（一）予以公开·总计 应为 35（现为 37）', '2 处'],
      },
      {
        title: '“本机关不掌握相关政府信息”的自然人一栏把 20 错填成 2',
        report: { applications: { unableNotHeld: { naturalPerson: 2 } } },
        messageIncludes: ['（四）无法提供1.本机关不掌握相关政府信息·自然人 应为 20（现为 2）'],
      },
    ],
  },
  check(ctx, emit) {
    const f = facts(ctx);
    const fix = f.fix;
    if (!fix) return;
    emit({
      path: fix.path,
      message: `${cellName(fix.path)} 应为 ${fix.value}（现为 ${show(f.value(fix.path))}）：改正这一个单元格后，${fix.broken} 处不成立的合计全部成立。`,
    });
  },
};
