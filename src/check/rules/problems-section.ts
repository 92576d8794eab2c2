import type { Rule } from '../types.js';

const MEASURES = /改进|整改|措施|下一步|今后|将(进一步|继续|持续|加强|着力|全面|认真|切实|不断|重点)|计划|举措|一是|\d\s*[.、]|（一）/;
const LAST_YEAR = /上一?年|上年度|去年|前一年|\d{4}\s*年度?(报告|年报)|已(整改|解决|改进|落实)|整改|得到(解决|改进|改善)|落实情况|改进情况/;

export const rule: Rule = {
  id: 'problems-section',
  severity: 'warning',
  title: '“五、存在的主要问题及改进情况”有具体改进措施，并交代上年度问题的整改情况',
  docs: `第五部分应逐条列出存在的主要问题和具体的改进措施（固镇 2024 要求“逐条提出改进措施”），并说明上一年度报告所列问题的整改情况（各地评估普遍检查，格式通知原文未能核实）。没有任何改进措施的表述（改进、整改、措施、下一步、将进一步……），或者完全没有提到上一年度/整改情况时，各给出一条警告。第五部分缺失由 sections-present 报告。`,
  examples: {
    valid: [{ title: '逐条列出问题和改进措施，并交代上年度问题的整改情况', report: {} }],
    invalid: [
      {
        title: '只笼统地写了不足，没有措施，也没有上年问题的整改情况',
        report: {
          sections: { problems: '我办政府信息公开工作还存在一些不足，主要是公开内容不够全面，信息更新不够及时，政策解读形式比较单一。' },
        },
        messageIncludes: ['没有写出具体的改进措施', '没有交代上一年度报告所列问题的整改情况'],
      },
      {
        title: '有改进措施，但没有交代上年度问题的整改情况',
        report: {
          sections: { problems: '存在的问题是政策解读形式比较单一。下一步，我办将进一步丰富解读形式，加强业务培训。' },
        },
        messageIncludes: ['没有交代上一年度报告所列问题的整改情况'],
      },
    ],
  },
  check(ctx, emit) {
    const text = ctx.report.sections.problems;
    if (text === null) return;
    if (!MEASURES.test(text)) {
      emit({ path: 'sections.problems', message: '“五、存在的主要问题及改进情况”没有写出具体的改进措施。' });
    }
    if (!LAST_YEAR.test(text)) {
      emit({ path: 'sections.problems', message: '“五、存在的主要问题及改进情况”没有交代上一年度报告所列问题的整改情况。' });
    }
  },
};
