import { clearlyWithoutRuleMaking } from '../agency.js';
import { n } from '../cells.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'regulations-authority',
  severity: 'info',
  title: '没有规章制定权的机关，“规章”一行应为 0',
  docs: `只有省、自治区、直辖市和设区的市、自治州的人民政府（以及国务院部门）可以制定规章。县、区人民政府，乡镇人民政府，街道办事处和县、区政府的部门，表一“规章”一行应为 0 或“/”。从机关名称明确能判断没有规章制定权、却填了非零数字时提示核对。`,
  examples: {
    valid: [
      { title: '区政府办公室的“规章”一行为 0', report: {} },
      {
        title: '设区的市人民政府可以制定规章',
        report: {
          agency: '某某市人民政府',
          publishedOn: '2024-03-20',
          proactive: { regulations: { issued: 2, repealed: 1, inForce: 46 } },
        },
      },
    ],
    invalid: [
      {
        title: '区政府办公室把行政规范性文件填进了“规章”一行',
        report: { proactive: { regulations: { issued: 5, repealed: 2, inForce: 38 } } },
        messageIncludes: ['某某区人民政府办公室没有规章制定权', '现填 5'],
      },
    ],
  },
  check(ctx, emit) {
    const r = ctx.report;
    if (r.format !== '2021' || !clearlyWithoutRuleMaking(r.agency)) return;
    const row = (r.proactive as Record<string, Record<string, unknown>>).regulations ?? {};
    for (const [k, v] of Object.entries(row)) {
      if (n(v) > 0) {
        emit({
          path: `proactive.regulations.${k}`,
          message: `${r.agency}没有规章制定权，表一“规章”一行应为 0，现填 ${v}；请核对是否把行政规范性文件填进了规章一行。`,
        });
        return;
      }
    }
  },
};
