import { findFigures } from '../../extract/narrative.js';
import { cellName, show, valueAt } from '../cells.js';
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

export const rule: Rule = {
  id: 'prose-figures',
  severity: 'warning',
  title: '正文中的数字与表格一致，分项之和等于总数',
  docs: `正文（一、总体情况）里引用的数字应与表格一致，例如“全年新收政府信息公开申请366件”应等于表二新收申请的总计，“现行有效规范性文件86件”应等于表一的现行有效件数。只比较含义明确的说法（新收申请、上年结转、结转下年度、制发/废止/现行有效规范性文件、行政许可/处罚/强制决定），引用原句；拿不准的说法不比较。另外，“主动公开信息N条，其中……x条、……y条”这类分项，各项（单位同为条或件）之和应等于总数。`,
  check(ctx, emit) {
    const text = ctx.report.sections.overview;
    if (!text) return;
    const seen = new Set<string>();
    for (const f of findFigures(text, ctx.report.format)) {
      const v = valueAt(ctx.report, f.path);
      if (v === undefined || v === null || typeof v !== 'number') continue;
      if (v === f.value) continue;
      const key = `${f.path}:${f.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      emit({ path: f.path, message: `正文写“${f.sentence}”（${f.value}），但表格“${cellName(f.path)}”为 ${show(v)}。` });
    }
    for (const c of channelSums(text)) {
      const s = c.parts.reduce((a, b) => a + b, 0);
      if (s === c.total) continue;
      emit({ path: 'sections.overview', message: `正文写“${c.sentence}”：总数 ${c.total}，而分项之和为 ${c.parts.join('+')} = ${s}。` });
    }
  },
};
