import { n } from '../cells.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'fee-consistency',
  severity: 'warning',
  title: '表二“逾期未缴纳费用”不为 0 时，第六部分不应写“未发出收费通知”',
  docs: `表二（六）2“申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请”大于 0，说明本年度发出过收费通知。此时第六部分却说“未发出（政府信息处理费）收费通知”，前后矛盾。只说“未收取信息处理费”不矛盾（通知发出了，申请人没有缴费）。`,
  examples: {
    valid: [
      { title: '没有逾期未缴费的申请，第六部分写“未收取信息处理费”', report: {} },
      {
        title: '逾期未缴费 1 件，第六部分说明发出过收费通知、申请人未缴费',
        report: {
          applications: { otherFeeUnpaid: { naturalPerson: 1, total: 1 }, otherOther: { naturalPerson: 0, total: 0 } },
          sections: { other: '本年度向1名申请人发出收费通知，申请人逾期未缴纳，未收取信息处理费。' },
        },
      },
    ],
    invalid: [
      {
        title: '表二逾期未缴费 1 件，第六部分却说未发出收费通知',
        report: {
          applications: { otherFeeUnpaid: { naturalPerson: 1, total: 1 }, otherOther: { naturalPerson: 0, total: 0 } },
          sections: { other: '本年度未发出政府信息公开信息处理费收费通知，未收取信息处理费。' },
        },
        messageIncludes: ['为 1 件', '本年度未发出政府信息公开信息处理费收费通知，未收取信息处理费'],
      },
    ],
  },
  check(ctx, emit) {
    const r = ctx.report;
    const unpaid = r.applications.otherFeeUnpaid?.total;
    const other = r.sections.other;
    if (!other || n(unpaid) === 0) return;
    const m = /[^。；]*未(发出|下发|出具|发送)[^。；]*收费通知[^。；]*/.exec(other);
    if (!m) return;
    emit({
      path: 'applications.otherFeeUnpaid.total',
      message: `表二“逾期未按收费通知要求缴纳费用”为 ${unpaid} 件，但第六部分写“${m[0]}”，前后矛盾。`,
    });
  },
};
