import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'fee-statement',
  severity: 'warning',
  title: '“六、其他需要报告的事项”说明信息处理费的收取情况',
  docs: `按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）和年报格式的要求，第六部分应报告本年度收取信息处理费的情况（收了多少，或者明确写“未收取”）。第六部分没有提到信息处理费（或收费）时给出警告。`,
  examples: {
    valid: [
      { title: '写明“未收取政府信息公开信息处理费”', report: {} },
      { title: '写明收费金额', report: { sections: { other: '本年度共收取政府信息公开信息处理费120元。' } } },
    ],
    invalid: [
      { title: '第六部分只写“无”', report: { sections: { other: '无。' } }, messageIncludes: ['信息处理费'] },
      {
        title: '第六部分只写了人大建议、政协提案办理情况',
        report: { sections: { other: '全年承办人大代表建议12件、政协提案15件，已全部按期办结。' } },
        messageIncludes: ['六、其他需要报告的事项'],
      },
    ],
  },
  check(ctx, emit) {
    const other = ctx.report.sections.other;
    if (other === null) return;
    if (/信息处理费|处理费|收费/.test(other)) return;
    emit({
      path: 'sections.other',
      message: '“六、其他需要报告的事项”没有说明本年度信息处理费的收取情况（应写明收取金额，或明确“未收取信息处理费”）。',
    });
  },
};
