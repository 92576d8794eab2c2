import { cellName, n, valueAt } from '../cells.js';
import { facts } from '../context.js';
import type { Rule } from '../types.js';

const WATCHED = [
  'applications.newReceived.total',
  'applications.outcomeTotal.total',
  'applications.granted.total',
  'applications.unableNotHeld.total',
  'reviewLitigation.review.total',
  'reviewLitigation.litigationDirect.total',
  'proactive.licensing.decisions',
  'proactive.punishment.decisions',
  'proactive.enforcement.decisions',
];

export const rule: Rule = {
  id: 'sharp-change',
  severity: 'info',
  crossYear: true,
  title: '与上年相比变化异常大的数字',
  docs: `主要数字（新收申请、办理结果总计、予以公开、不掌握信息、复议、诉讼、行政许可、行政处罚、行政强制）与上年度相比增减超过 5 倍且差值超过 50 时提示核对：可能是真实变化，也可能是单位或填报错误。阈值可配置（jumpFactor、jumpMinimum）。`,
  examples: {
    valid: [
      { title: '主要数字与上年相近（新收申请 75 → 90）', report: {}, previous: {} },
      { title: '倍数大但差值不超过 50（行政处罚 3 → 37）', report: {}, previous: { proactive: { punishment: { decisions: 3 } } } },
    ],
    invalid: [
      {
        title: '行政许可由上年的 126 件变为 1260 件（多半是多打了一个 0）',
        report: {},
        previous: { proactive: { licensing: { decisions: 126 } } },
        messageIncludes: ['由上年的 126 变为 1260'],
      },
    ],
  },
  check(ctx, emit) {
    const prev = ctx.previous;
    if (!prev) return;
    const { jumpFactor, jumpMinimum } = ctx.options;
    const cur = facts(ctx);
    for (const path of WATCHED) {
      const a = valueAt(prev, path);
      const b = cur.value(path);
      if (typeof a !== 'number' || typeof b !== 'number') continue;
      const lo = Math.min(n(a), n(b));
      const hi = Math.max(n(a), n(b));
      if (hi - lo <= jumpMinimum || hi <= jumpFactor * Math.max(lo, 1)) continue;
      emit({ path, message: `“${cellName(path)}”由上年的 ${a} 变为 ${b}，变化异常大，请核对数据和单位。` });
    }
  },
};
