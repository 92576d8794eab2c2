/**
 * Chinese labels of the UI. The table labels come from the model (src/model/format.ts, pure
 * data); the register's labels are restated here with their domain types so that a change in
 * the model fails the type check.
 */
import {
  APPLICANT_COLUMNS,
  applicationRows,
  PROACTIVE_ROWS_2019,
  PROACTIVE_ROWS_2021,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
} from '../../src/model/format';
import { formatDay } from './format';
import type {
  AgencyLevel,
  ApplicantType,
  CaseStatus,
  EventType,
  HolidayYear,
  HolidayYearKind,
  Outcome,
  ProceedingKind,
  ProceedingResult,
  Role,
  Severity,
  SourceKind,
} from './types';

export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  clerk: '经办人',
  reviewer: '审核人',
  readonly: '只读',
};

export const ROLE_COLORS: Record<Role, string> = {
  admin: 'red',
  clerk: 'blue',
  reviewer: 'purple',
  readonly: 'default',
};

export const AGENCY_LEVEL_LABELS: Record<AgencyLevel, string> = {
  province: '省级',
  city: '市级',
  county: '县级',
  township: '乡镇（街道）',
  department: '部门',
};

/** the six 表二 applicant columns, labels from the model */
export const APPLICANT_TYPE_LABELS = Object.fromEntries(
  APPLICANT_COLUMNS.filter((c) => c.key !== 'total').map((c) => [c.key, c.label]),
) as Record<ApplicantType, string>;

export const APPLICANT_TYPE_OPTIONS = APPLICANT_COLUMNS.filter((c) => c.key !== 'total').map((c) => ({
  value: c.key as ApplicantType,
  label: c.group ? `${c.label}（${c.group}）` : c.label,
}));

export { CHANNEL_LABELS, CONFIRMED_CHANNELS as NEEDS_CONFIRMATION } from '../../src/register/channels';

export const EVENT_LABELS: Record<EventType, string> = {
  correctionNotice: '补正告知',
  correctionReceived: '收到补正',
  correctionExpired: '补正逾期',
  consultationStarted: '征求意见开始',
  consultationEnded: '征求意见结束',
  extension: '延期答复',
  feeNotice: '收费通知',
  feePaid: '缴费',
  feeExpired: '逾期未缴费',
  withdrawal: '撤回申请',
  reply: '答复',
  proceedingFiled: '复议/诉讼立案',
  proceedingDecided: '复议/诉讼结果',
};

export const EVENT_COLORS: Record<EventType, string> = {
  correctionNotice: 'orange',
  correctionReceived: 'blue',
  correctionExpired: 'red',
  consultationStarted: 'purple',
  consultationEnded: 'purple',
  extension: 'orange',
  feeNotice: 'gold',
  feePaid: 'green',
  feeExpired: 'red',
  withdrawal: 'gray',
  reply: 'green',
  proceedingFiled: 'magenta',
  proceedingDecided: 'magenta',
};

const OUTCOME_ROWS = applicationRows('2021').filter((r) => r.leaf);

/** the 21 leaf outcomes of 表二, with their row labels */
export const OUTCOME_LABELS = Object.fromEntries(OUTCOME_ROWS.map((r) => [r.key, r.label])) as Record<Outcome, string>;

/** short label with its group, e.g. “（三）不予公开·1.属于国家秘密” */
export function outcomeLabel(o: string | null | undefined): string {
  if (!o) return '';
  const row = OUTCOME_ROWS.find((r) => r.key === o);
  if (!row) return '其他办理结果';
  return row.level3 ? `${row.level2}·${row.level3}` : row.label;
}

/** grouped as in 表二 (（一）…（六）); the two outcomes that only events produce are disabled in a reply */
export const OUTCOME_GROUPS: { label: string; options: { value: Outcome; label: string; disabled?: boolean; title?: string }[] }[] =
  (() => {
    const groups: { label: string; options: { value: Outcome; label: string; disabled?: boolean; title?: string }[] }[] = [];
    for (const r of OUTCOME_ROWS) {
      const group = r.level2 ?? r.level1;
      let g = groups.find((x) => x.label === group);
      const single = !r.level3;
      if (!g) {
        g = { label: single ? '' : group, options: [] };
        groups.push(g);
      }
      const eventOnly = r.key === 'otherNoCorrection' || r.key === 'otherFeeUnpaid';
      g.options.push({
        value: r.key as Outcome,
        label: r.label,
        ...(eventOnly ? { disabled: true, title: r.key === 'otherNoCorrection' ? '由“补正逾期”事件产生' : '由“逾期未缴费”事件产生' } : {}),
      });
    }
    // single-row groups (（一）（二）) are merged into one untitled group
    const merged = groups.filter((g) => g.label === '').flatMap((g) => g.options);
    return [{ label: '（一）（二）公开', options: merged }, ...groups.filter((g) => g.label !== '')];
  })();

export const PROCEEDING_KIND_LABELS: Record<ProceedingKind, string> = Object.fromEntries(
  REVIEW_GROUPS.map((g) => [g.key, 'parent' in g ? `${g.parent}·${g.label}` : g.label]),
) as Record<ProceedingKind, string>;

export const PROCEEDING_RESULT_LABELS: Record<ProceedingResult, string> = Object.fromEntries(
  REVIEW_COLUMNS.filter((c) => c.key === 'upheld' || c.key === 'corrected' || c.key === 'other').map((c) => [c.key, c.label]),
) as Record<ProceedingResult, string>;

export const CONSULTATION_PARTY_LABELS = { thirdParty: '第三方', agency: '其他机关' } as const;
export const CONSULTATION_RESULT_LABELS = { agreed: '同意公开', objected: '不同意公开', noReply: '逾期未答复' } as const;
export const FEE_METHOD_LABELS = { perApplication: '按件计收', perPage: '按量计收' } as const;

export const SEVERITY_LABELS: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' };
export const SEVERITY_COLORS: Record<Severity, string> = { error: 'red', warning: 'orange', info: 'blue' };

export const SOURCE_KIND_LABELS: Record<SourceKind, string> = {
  text: '纯文本',
  markdown: 'Markdown',
  html: 'HTML 网页',
  docx: 'Word（DOCX）',
  doc: 'Word 97–2003（DOC）',
  pdf: 'PDF',
  xlsx: 'Excel（XLSX）',
  json: '报告 JSON',
};

export const SUSPENDED_LABELS: Record<NonNullable<CaseStatus['suspended']>, string> = {
  correction: '等待补正，暂停计算',
  consultation: '征求意见中，暂停计算',
  fee: '等待缴费，暂停计算',
};

export const FORMAT_LABELS: Record<string, string> = { '2021': '2021 年版', '2019': '2019 年版' };

/** the report's own fields outside the tables, as a diagnostic's path names them */
const FIELD_LABELS: Record<string, string> = {
  agency: '发布机关',
  year: '年度',
  publishedOn: '发布日期',
  title: '标题',
  format: '格式版本',
  template: '格式模板',
  labels: '表格的行、列名称',
  sections: '正文',
  proactive: '表一（主动公开政府信息情况）',
  applications: '表二（收到和处理政府信息公开申请情况）',
  reviewLitigation: '表三（政府信息公开行政复议、行政诉讼情况）',
};

/** a readable label of a report path: “表二·（一）予以公开·自然人”; never the path itself */
export function pathLabel(path: string | null | undefined): string {
  if (!path) return '';
  const [table, row, col] = path.split('.');
  if (row === undefined) return FIELD_LABELS[table] ?? '报告的其他部分';
  if (table === 'applications') {
    const c = APPLICANT_COLUMNS.find((x) => x.key === col);
    // a whole column (applications.*.publicInterest): its name in every row
    if (row === '*') return `表二·${c ? `“${c.label}”一列` : '各行'}`;
    const def = [...applicationRows('2021'), ...applicationRows('2019')].find((r) => r.key === row);
    const rowLabel = def ? (def.level3 ? `${def.level2}${def.level3}` : def.label) : '其他行';
    return `表二·${shorten(rowLabel)}${c ? `·${c.label}` : ''}`;
  }
  if (table === 'reviewLitigation') {
    const g = REVIEW_GROUPS.find((x) => x.key === row);
    const c = REVIEW_COLUMNS.find((x) => x.key === col);
    if (row === '*') return `表三·${c ? `“${c.label}”一列` : '各组'}`;
    return `表三·${g ? ('parent' in g ? `${g.parent}（${g.label}）` : g.label) : '其他行'}${c ? `·${c.label}` : ''}`;
  }
  if (table === 'proactive') {
    const def =
      PROACTIVE_ROWS_2021.find((r) => r.key === row && r.fields.some((f) => f.key === col)) ??
      PROACTIVE_ROWS_2021.find((r) => r.key === row) ??
      PROACTIVE_ROWS_2019.find((r) => r.key === row && r.fields.some((f) => f.key === col)) ??
      PROACTIVE_ROWS_2019.find((r) => r.key === row);
    const f = def?.fields.find((x) => x.key === col);
    if (row === '*') return '表一·各行';
    return `表一·${def?.label ?? '其他行'}${f ? `·${f.label}` : ''}`;
  }
  if (table === 'sections') {
    const names: Record<string, string> = {
      overview: '一、总体情况',
      problems: '五、存在的主要问题及改进情况',
      other: '六、其他需要报告的事项',
    };
    return names[row] ?? '正文';
  }
  return FIELD_LABELS[table] ?? '报告的其他部分';
}

/** the rules of the checker (src/check/catalogue.ts) by their short Chinese names; the id may follow in grey */
export const RULE_LABELS: Record<string, string> = {
  'applications-balance': '表二勾稽关系',
  'applications-outcome-total': '表二（七）总计',
  'applications-row-total': '表二每行总计',
  'review-litigation-total': '表三总计',
  'arithmetic-fix': '应改正的单元格',
  'sections-present': '六个部分齐全',
  'table-labels': '表格行列名称',
  'outdated-template': '格式版本',
  'cell-values': '数量的写法',
  'fee-amount-format': '收费金额的写法',
  'blank-cells': '空白单元格',
  'ambiguous-cell': '无法确定的单元格',
  'publication-deadline': '公布期限',
  'fee-statement': '信息处理费的说明',
  'problems-section': '存在的问题及改进',
  'fee-consistency': '收费前后一致',
  'regulations-authority': '规章制定权',
  'prose-figures': '正文与表格一致',
  'carry-over': '上年结转',
  'in-force-continuity': '现行有效件数衔接',
  'sharp-change': '与上年相比变化异常',
  similarity: '正文雷同',
};

/** the Chinese name of a rule (an unknown id is never shown as the name) */
export function ruleLabel(id: string | null | undefined): string {
  return (id && RULE_LABELS[id]) || '其他检查';
}

/** what is said of a checked file that names neither its agency nor its year (a blank template, say) */
export const NOT_A_REPORT = '不是年报：没有机关名称和年度';

/** a checked file that names neither its agency nor its year is not a report, whatever its tables hold */
export function isNotAReport(r: { agency?: string | null; year?: number | null } | null | undefined): boolean {
  return !!r && !r.agency?.trim() && (r.year === null || r.year === undefined);
}

function shorten(s: string, n = 18): string {
  const chars = Array.from(s);
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : s;
}

export const HOLIDAY_KIND_LABELS: Record<HolidayYearKind, string> = {
  shipped: '随软件提供',
  entered: '管理员录入',
  provisional: '暂定（按放假办法推算）',
};

/** where a year's days off come from, e.g. 管理员录入（系统管理员，2026-12-07） */
export function holidaySourceLabel(y: Pick<HolidayYear, 'kind' | 'enteredBy' | 'enteredAt'>): string {
  if (y.kind !== 'entered') return HOLIDAY_KIND_LABELS[y.kind] ?? '暂定（按放假办法推算）';
  const who = [y.enteredBy, y.enteredAt ? formatDay(y.enteredAt) : ''].filter(Boolean).join('，');
  return who ? `${HOLIDAY_KIND_LABELS.entered}（${who}）` : HOLIDAY_KIND_LABELS.entered;
}
