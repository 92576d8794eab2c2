import { agencyKind } from '../agency.js';
import type { Rule } from '../types.js';

const KIND_NAME = {
  government: '县级以上人民政府',
  township: '乡镇人民政府',
  subdistrict: '街道办事处',
  department: '政府部门',
  unknown: '政府部门',
} as const;

export const rule: Rule = {
  id: 'publication-deadline',
  severity: 'error',
  title: '按期公布：部门 1 月 31 日前，人民政府 3 月 31 日前',
  docs: `条例第四十九条：县级以上人民政府部门应当在每年 1 月 31 日前公布本机关上一年度的年度报告；县级以上地方人民政府的政府信息公开工作主管部门应当在每年 3 月 31 日前公布本级政府上一年度的年度报告。乡镇人民政府和街道办事处的期限由各地规定，默认按 3 月 31 日（宁可漏报，不误报），可按辖区配置（CheckOptions.deadlines，如怀化规定乡镇 2 月 20 日）。发布机关的类别由名称判断：以“人民政府”结尾的是人民政府，以“乡/镇人民政府”结尾的是乡镇，以“街道办事处”结尾的是街道，其余按部门。只有读出了发布日期和报告年度时才检查。`,
  examples: {
    valid: [
      { title: '政府部门 2024-01-20 公布 2023 年度报告', report: {} },
      { title: '区人民政府 2024-03-28 公布', report: { agency: '某某区人民政府', publishedOn: '2024-03-28' } },
      { title: '街道办事处 2024-03-15 公布（默认期限 3 月 31 日）', report: { agency: '某某区某某街道办事处', publishedOn: '2024-03-15' } },
    ],
    invalid: [
      {
        title: '政府部门 2024-02-05 才公布 2023 年度报告',
        report: { publishedOn: '2024-02-05' },
        messageIncludes: ['2024-02-05', '政府部门', '2024-01-31'],
      },
      {
        title: '区人民政府 2024-04-08 公布',
        report: { agency: '某某区人民政府', publishedOn: '2024-04-08' },
        messageIncludes: ['2024-04-08', '县级以上人民政府', '2024-03-31'],
      },
    ],
  },
  check(ctx, emit) {
    const r = ctx.report;
    if (!r.publishedOn || r.year === null) return;
    const kind = agencyKind(r.agency);
    const mmdd = kind === 'unknown' ? ctx.options.deadlines.department : ctx.options.deadlines[kind];
    const deadline = `${r.year + 1}-${mmdd}`;
    if (r.publishedOn > deadline) {
      emit({
        path: 'publishedOn',
        message: `报告落款日期 ${r.publishedOn} 晚于${KIND_NAME[kind]}公布 ${r.year} 年度报告的期限 ${deadline}（条例第四十九条）。`,
      });
    }
  },
};
