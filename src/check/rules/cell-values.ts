import { PROACTIVE_ROWS_2019, PROACTIVE_ROWS_2021 } from '../../model/format.js';
import { cellName } from '../cells.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'cell-values',
  severity: 'error',
  title: '数量为非负整数（2019 年版“本年增/减”可为负数）',
  docs: `表中的件数、数量都是非负整数；只有 2019 年版表一的“本年增/减”可以是负数；收费金额见 fee-amount-format。`,
  examples: {
    valid: [
      { title: '所有数量都是非负整数', report: {} },
      { title: '2019 年版“本年增/减”可以是负数（行政强制 −1）', report: { format: '2019', proactive: { enforcement: { change: -1 } } } },
    ],
    invalid: [
      {
        title: '“四、结转下年度继续办理”按一 + 二 − 三倒算出负数',
        report: { applications: { newReceived: { naturalPerson: 73, total: 83 }, carriedForward: { naturalPerson: -2, total: -2 } } },
        messageIncludes: ['四、结转下年度继续办理·自然人”为 -2，应为非负整数'],
      },
      {
        title: '表一行政处罚决定数量填了小数',
        report: { proactive: { punishment: { decisions: 36.5 } } },
        messageIncludes: ['行政处罚·本年处理决定数量 为 36.5，应为整数'],
      },
    ],
  },
  check(ctx, emit) {
    const r = ctx.report;
    const defs = r.format === '2021' ? PROACTIVE_ROWS_2021 : PROACTIVE_ROWS_2019;
    const pro = r.proactive as Record<string, Record<string, unknown>>;
    for (const d of defs) {
      for (const f of d.fields) {
        if (f.type === 'money' || f.type === 'raw') continue;
        const v = pro[d.key]?.[f.key];
        if (typeof v !== 'number') continue;
        const path = `proactive.${d.key}.${f.key}`;
        if (!Number.isInteger(v)) emit({ path, message: `${cellName(path)} 为 ${v}，应为整数。` });
        else if (v < 0 && f.type !== 'signed') emit({ path, message: `${cellName(path)} 为 ${v}，不能为负数。` });
      }
    }
    for (const [row, cols] of Object.entries(r.applications)) {
      for (const [col, v] of Object.entries(cols)) {
        if (typeof v !== 'number') continue;
        const path = `applications.${row}.${col}`;
        if (!Number.isInteger(v) || v < 0) emit({ path, message: `表二“${cellName(path)}”为 ${v}，应为非负整数。` });
      }
    }
    for (const [g, cols] of Object.entries(r.reviewLitigation)) {
      for (const [col, v] of Object.entries(cols as unknown as Record<string, unknown>)) {
        if (typeof v !== 'number') continue;
        const path = `reviewLitigation.${g}.${col}`;
        if (!Number.isInteger(v) || v < 0) emit({ path, message: `表三“${cellName(path)}”为 ${v}，应为非负整数。` });
      }
    }
  },
};
