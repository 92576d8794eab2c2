import { cellName } from '../cells.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'ambiguous-cell',
  severity: 'warning',
  title: '无法唯一确定的单元格（数字连在一起、分隔符丢失）',
  docs: `网页转存的文本常把单元格之间的分隔符弄丢（如“行政许可3960181”）。读取时用表格自身的勾稽关系和正文中的数字拆分；仍有多种拆法都成立时，该单元格记为空并列出候选值。这样的单元格需要人工核对原件。`,
  examples: {
    valid: [{ title: '每个单元格都读得清楚', report: { ambiguities: [] } }],
    invalid: [
      {
        title: '2019 年版表一“行政许可”一行的数字连成“11821180”，有两种拆法都说得通',
        report: {
          format: '2019',
          proactive: { licensing: { previous: null, change: null, decisions: 1180 } },
          ambiguities: [
            { path: 'proactive.licensing.previous', candidates: [118, 11] },
            { path: 'proactive.licensing.change', candidates: [2, 82] },
          ],
        },
        messageIncludes: ['“行政许可·上一年项目数量”的数值无法从原文唯一确定', '候选值：118、11', '候选值：2、82'],
      },
      {
        title: '数字连在一起，但没有一种拆法符合表内的勾稽关系（或拆法过多）：不列候选值',
        report: { ambiguities: [{ path: 'applications.newReceived.total', candidates: [] }] },
        messageIncludes: ['找不到可列出的候选值', '请核对原件'],
      },
    ],
  },
  check(ctx, emit) {
    for (const a of ctx.report.ambiguities ?? []) {
      // no candidates: no split fits the table's sums, or there were too many to search
      const list = a.candidates.length > 0 ? `候选值：${a.candidates.join('、')}${a.more ? ' 等' : ''}` : '找不到可列出的候选值';
      emit({ path: a.path, message: `“${cellName(a.path)}”的数值无法从原文唯一确定（数字连在一起），${list}。请核对原件。` });
    }
  },
};
