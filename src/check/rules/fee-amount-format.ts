import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'fee-amount-format',
  severity: 'error',
  title: '表一“本年收费金额（单位：万元）”为非负数，小数位不超过 4 位',
  docs: `2021 年版表一第二十条第（八）项的“本年收费金额”以万元为单位，应是非负数。格式通知没有规定小数位数，实际报告常见 0、整数、2 位或 4 位小数；超过 4 位小数（精确到 0.01 元以下）多半是把“元”误填成了“万元”或者数据有误，作为警告提示。负数是错误。`,
  examples: {
    valid: [
      { title: '未收费：0', report: { proactive: { fees: { amount: '0' } } } },
      { title: '两位小数：1.25 万元', report: { proactive: { fees: { amount: '1.25' } } } },
      { title: '四位小数：0.0350 万元（350 元）', report: { proactive: { fees: { amount: '0.0350' } } } },
    ],
    invalid: [
      {
        title: '金额为负数',
        report: { proactive: { fees: { amount: '-0.12' } } },
        messageIncludes: ['“-0.12”不是有效的非负金额'],
      },
      {
        title: '六位小数，多半是单位填错了',
        report: { proactive: { fees: { amount: '1.234567' } } },
        severity: 'warning',
        messageIncludes: ['1.234567 万元有 6 位小数'],
      },
    ],
  },
  check(ctx, emit) {
    const r = ctx.report;
    if (r.format !== '2021') return;
    const amount = (r.proactive as { fees?: { amount?: unknown } }).fees?.amount;
    if (typeof amount !== 'string') return;
    const path = 'proactive.fees.amount';
    if (!/^\d+(\.\d+)?$/.test(amount)) {
      emit({ path, message: `本年收费金额“${amount}”不是有效的非负金额（单位：万元）。` });
      return;
    }
    const decimals = amount.split('.')[1]?.length ?? 0;
    if (decimals > 4)
      emit({
        path,
        severity: 'warning',
        message: `本年收费金额 ${amount} 万元有 ${decimals} 位小数，精确到了 0.01 元以下，请核对单位是否应为万元。`,
      });
  },
};
