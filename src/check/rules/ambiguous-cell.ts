import { cellName } from '../cells.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'ambiguous-cell',
  severity: 'warning',
  title: '无法唯一确定的单元格（数字连在一起、行列位置不定、扫描件识别不可靠）',
  docs: `网页转存的文本常把单元格之间的分隔符弄丢（如“行政许可3960181”），转换工具会把行标签挤出表格行；扫描件经文字识别（OCR）读出的数字可能认错。读取时用表格自身的勾稽关系和正文中的数字确定数值和位置；仍有多种可能都成立、或识别出的数字既无把握又没有合计印证（或与合计不符）时，该单元格记为空并列出候选值。这样的单元格需要人工核对原件。`,
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
      {
        title: '扫描件识别出的“行政许可”处理决定数量把握不大，且没有合计可以印证',
        report: { ambiguities: [{ path: 'proactive.licensing.decisions', candidates: [94817], reason: 'ocr' }] },
        messageIncludes: ['扫描件文字识别', '候选值：94817'],
      },
      {
        title: '一串数字放在两行都说得通',
        report: { ambiguities: [{ path: 'applications.granted.total', candidates: [3, 5], reason: 'placement' }] },
        messageIncludes: ['属于哪一行', '候选值：3、5'],
      },
    ],
  },
  check(ctx, emit) {
    for (const a of ctx.report.ambiguities ?? []) {
      // no candidates: no split fits the table's sums, or there were too many to search
      const list = a.candidates.length > 0 ? `候选值：${a.candidates.join('、')}${a.more ? ' 等' : ''}` : '找不到可列出的候选值';
      const why =
        a.reason === 'ocr'
          ? '扫描件文字识别的结果把握不大，或与表内合计不符'
          : a.reason === 'placement'
            ? '转换后的表格中看不出这些数字属于哪一行'
            : '数字连在一起';
      emit({ path: a.path, message: `“${cellName(a.path)}”的数值无法从原文唯一确定（${why}），${list}。请核对原件。` });
    }
  },
};
