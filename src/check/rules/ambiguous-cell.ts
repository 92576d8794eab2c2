import { cellName } from '../cells.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'ambiguous-cell',
  severity: 'warning',
  title: '无法唯一确定的单元格（数字连在一起、分隔符丢失）',
  docs: `网页转存的文本常把单元格之间的分隔符弄丢（如“行政许可3960181”）。读取时用表格自身的勾稽关系和正文中的数字拆分；仍有多种拆法都成立时，该单元格记为空并列出候选值。这样的单元格需要人工核对原件。`,
  check(ctx, emit) {
    for (const a of ctx.report.ambiguities ?? []) {
      const list = a.candidates.length > 0 ? `候选值：${a.candidates.join('、')}${a.more ? ' 等' : ''}` : '候选值太多，无法列出';
      emit({ path: a.path, message: `“${cellName(a.path)}”的数值无法从原文唯一确定（数字连在一起），${list}。请核对原件。` });
    }
  },
};
