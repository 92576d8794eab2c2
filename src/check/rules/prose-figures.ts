import { findFigures } from '../../extract/narrative.js';
import { cellName, show } from '../cells.js';
import { facts } from '../context.js';
import type { Rule } from '../types.js';

/** "主动公开信息170条，其中…147条，…23条": the parts listed after 其中 must add up */
function channelSums(text: string): { sentence: string; total: number; parts: number[] }[] {
  const out: { sentence: string; total: number; parts: number[] }[] = [];
  for (const sentence of text.replace(/[ \t]+/g, '').split(/(?<=[。；;\n])/)) {
    const m = /主动公开[^，。；\d]{0,12}?(\d+)条[，,]?其中(.*)/.exec(sentence);
    if (!m) continue;
    const rest = m[2];
    const units = [...rest.matchAll(/(\d+)(条|件|篇|个|次)/g)];
    if (units.length < 2 || units.some((u) => u[2] !== '条' && u[2] !== '件')) continue;
    // parts listed with a different unit (篇, 次) are a different count: say nothing
    out.push({ sentence: sentence.trim(), total: Number(m[1]), parts: units.map((u) => Number(u[1])) });
  }
  return out;
}

/** a sentence about what one office did on behalf of the government */
const ON_BEHALF = /代表[^，。；]{0,12}(人民政府|政府)/;

export const rule: Rule = {
  id: 'prose-figures',
  severity: 'warning',
  title: '正文中的数字与表格一致，分项之和等于总数',
  docs: `正文（一、总体情况）里引用的数字应与表格一致，例如“全年新收政府信息公开申请366件”应等于表二新收申请的总计，“现行有效规范性文件86件”应等于表一的现行有效件数。只比较含义明确的说法（新收申请、上年结转、结转下年度、制发/废止/现行有效规范性文件、行政许可/处罚/强制决定），引用原句；拿不准的说法不比较。人民政府的报告中“区政府办代表区政府受理政府信息公开申请17件”这类说法，可能只是办公室经办的部分，与表格（常为全口径）不同却不说明口径，读者无从核对，所以仍提示，并在消息中点明口径问题。另外，“主动公开信息N条，其中……x条、……y条”这类分项，各项（单位同为条或件）之和应等于总数。`,
  examples: {
    valid: [
      { title: '正文引用的数字与表格一致（新收 90 件、现行有效行政规范性文件 38 件……）', report: {} },
      {
        title: '分项单位不同（条与篇），不比较',
        report: { sections: { overview: '全年主动公开政府信息1526条，其中门户网站发布1340条，政务新媒体推送230篇。' } },
      },
    ],
    invalid: [
      {
        title: '区人民政府的报告写“区政府办代表区政府受理政府信息公开申请17件”，表二为 90 件，口径未说明',
        report: {
          agency: '某某区人民政府',
          sections: { overview: '2023年，区政府办代表区政府受理政府信息公开申请17件，均已在法定期限内予以答复。' },
        },
        messageIncludes: ['受理政府信息公开申请17件', '为 90', '口径'],
      },
      {
        title: '正文写新收申请 96 件，表二为 90 件',
        report: { sections: { overview: '2023年，我办全年新收政府信息公开申请96件，上年结转3件，结转下年度继续办理5件。' } },
        messageIncludes: ['全年新收政府信息公开申请96件', '（96）', '为 90'],
      },
      {
        title: '主动公开的分项之和与总数不符',
        report: { sections: { overview: '全年主动公开政府信息1526条，其中政策文件186条、工作动态1320条。' } },
        messageIncludes: ['总数 1526', '186+1320 = 1506'],
      },
    ],
  },
  check(ctx, emit) {
    const text = ctx.report.sections.overview;
    if (!text) return;
    const seen = new Set<string>();
    for (const f of findFigures(text, ctx.report.format)) {
      const v = facts(ctx).value(f.path);
      if (v === undefined || v === null || typeof v !== 'number') continue;
      if (v === f.value) continue;
      const key = `${f.path}:${f.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const scope = ON_BEHALF.test(f.sentence) ? '如果正文只说了办公室代为受理的部分，口径与表格不同，应在正文中写明全口径的数字。' : '';
      emit({ path: f.path, message: `正文写“${f.sentence}”（${f.value}），但表格“${cellName(f.path)}”为 ${show(v)}。${scope}` });
    }
    for (const c of channelSums(text)) {
      const s = c.parts.reduce((a, b) => a + b, 0);
      if (s === c.total) continue;
      emit({ path: 'sections.overview', message: `正文写“${c.sentence}”：总数 ${c.total}，而分项之和为 ${c.parts.join('+')} = ${s}。` });
    }
  },
};
