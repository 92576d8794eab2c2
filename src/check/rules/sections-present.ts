import { SECTIONS } from '../../model/format.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'sections-present',
  severity: 'error',
  title: '六个部分齐全且按顺序排列',
  docs: `年度报告由六部分组成：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项（条例第五十条，国办公开办函〔2021〕30号）。缺少任何一部分（找不到其标题），或者某一部分的标题出现在后面部分之后（顺序颠倒），即报错。标题的常见变体（如“四、因政府信息公开工作被申请行政复议、提起行政诉讼情况”“五、存在问题及改进情况”“6、其他需要报告的事项”）均可识别；较旧或不同的措辞（如“二、主动公开情况”“三、依申请公开情况”“五、存在的主要问题和改进措施”“六、其它需要报告的事项”）在本部分自己的序号（写作“二、”或“第二部分”）之后也可识别，写作“（二）”“2.”的是第一部分里的小标题，不算。标题与正文写在同一段（“六、其他需要报告的事项：本年度未收取信息处理费。”）也可识别。`,
  examples: {
    valid: [{ title: '六个部分齐全', report: {} }],
    invalid: [
      {
        title: '缺少“五、存在的主要问题及改进情况”',
        report: {
          sections: { problems: null },
          template: { sectionsFound: ['overview', 'proactive', 'applications', 'reviewLitigation', 'other'] },
        },
        messageIncludes: ['缺少第五部分“五、存在的主要问题及改进情况”'],
      },
      {
        title: '“六”写在“五”前面',
        report: {
          template: {
            sectionsFound: ['overview', 'proactive', 'applications', 'reviewLitigation', 'other'],
            sectionsOutOfOrder: ['problems'],
          },
        },
        messageIncludes: ['第五部分“五、存在的主要问题及改进情况”的位置不对'],
      },
      {
        title: '没有行政复议、行政诉讼部分（表三和标题都没有）',
        report: { template: { sectionsFound: ['overview', 'proactive', 'applications', 'problems', 'other'] } },
        messageIncludes: ['缺少第四部分“四、政府信息公开行政复议、行政诉讼情况”'],
      },
    ],
  },
  check(ctx, emit) {
    const found = ctx.report.template?.sectionsFound;
    if (!found) return;
    const misplaced = ctx.report.template?.sectionsOutOfOrder ?? [];
    for (const s of SECTIONS) {
      if (found.includes(s.key)) continue;
      const path = s.key === 'overview' || s.key === 'problems' || s.key === 'other' ? `sections.${s.key}` : s.key;
      if (misplaced.includes(s.key)) {
        emit({ path, message: `第${s.number}部分“${s.heading}”的位置不对（与其他部分的顺序颠倒），六个部分应按一至六的顺序排列。` });
      } else {
        emit({ path, message: `缺少第${s.number}部分“${s.heading}”（找不到该部分的标题）。` });
      }
    }
  },
};
