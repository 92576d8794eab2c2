/**
 * The national format as data: every table, row, column and label of both
 * versions (国办公开办函〔2021〕30号 and 〔2019〕60号). Readers, checkers and
 * renderers all take their labels from here.
 */
import type { FormatVersion } from './report.js';

export interface ApplicantColumnDef {
  key: 'naturalPerson' | 'commercial' | 'research' | 'publicInterest' | 'legalService' | 'other' | 'total';
  label: string;
  /** the group header above it, if any */
  group?: string;
}

export const APPLICANT_COLUMNS: readonly ApplicantColumnDef[] = [
  { key: 'naturalPerson', label: '自然人' },
  { key: 'commercial', label: '商业企业', group: '法人或其他组织' },
  { key: 'research', label: '科研机构', group: '法人或其他组织' },
  { key: 'publicInterest', label: '社会公益组织', group: '法人或其他组织' },
  { key: 'legalService', label: '法律服务机构', group: '法人或其他组织' },
  { key: 'other', label: '其他', group: '法人或其他组织' },
  { key: 'total', label: '总计' },
];

export interface ApplicationRowDef {
  key: string;
  /** level-1 label (一、二、三、四) */
  level1: string;
  /** level-2 label under 三 */
  level2?: string;
  /** level-3 leaf label */
  level3?: string;
  /** the label of the row's own cell (the most specific one) */
  label: string;
  /** is it a leaf outcome row of 三 (counted in （七）总计) */
  leaf: boolean;
  versions: readonly FormatVersion[];
  /**
   * Distinctive fragments that identify the row in any layout, tried in order
   * (after normalisation: NFKC, no whitespace, ASCII brackets).
   */
  keys: readonly string[];
}

const L3 = '三、本年度办理结果';

export const APPLICATION_ROWS: readonly ApplicationRowDef[] = [
  {
    key: 'newReceived',
    level1: '一、本年新收政府信息公开申请数量',
    label: '一、本年新收政府信息公开申请数量',
    leaf: false,
    versions: ['2021', '2019'],
    keys: ['本年新收', '新收政府信息公开申请'],
  },
  {
    key: 'carriedOver',
    level1: '二、上年结转政府信息公开申请数量',
    label: '二、上年结转政府信息公开申请数量',
    leaf: false,
    versions: ['2021', '2019'],
    keys: ['上年结转'],
  },
  {
    key: 'granted',
    level1: L3,
    level2: '（一）予以公开',
    label: '（一）予以公开',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['予以公开'],
  },
  {
    key: 'partlyGranted',
    level1: L3,
    level2: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
    label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['部分公开'],
  },
  {
    key: 'withheldStateSecret',
    level1: L3,
    level2: '（三）不予公开',
    level3: '1.属于国家秘密',
    label: '1.属于国家秘密',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['国家秘密'],
  },
  {
    key: 'withheldLawProhibited',
    level1: L3,
    level2: '（三）不予公开',
    level3: '2.其他法律行政法规禁止公开',
    label: '2.其他法律行政法规禁止公开',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['禁止公开', '其他法律', '2.其他法'],
  },
  {
    key: 'withheldSecurityStability',
    level1: L3,
    level2: '（三）不予公开',
    level3: '3.危及“三安全一稳定”',
    label: '3.危及“三安全一稳定”',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['三安全一稳定', '危及'],
  },
  {
    key: 'withheldThirdParty',
    level1: L3,
    level2: '（三）不予公开',
    level3: '4.保护第三方合法权益',
    label: '4.保护第三方合法权益',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['第三方合法权益', '保护第三方'],
  },
  {
    key: 'withheldInternalAffairs',
    level1: L3,
    level2: '（三）不予公开',
    level3: '5.属于三类内部事务信息',
    label: '5.属于三类内部事务信息',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['内部事务'],
  },
  {
    key: 'withheldProcessInfo',
    level1: L3,
    level2: '（三）不予公开',
    level3: '6.属于四类过程性信息',
    label: '6.属于四类过程性信息',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['过程性信息', '过程性'],
  },
  {
    key: 'withheldEnforcementFile',
    level1: L3,
    level2: '（三）不予公开',
    level3: '7.属于行政执法案卷',
    label: '7.属于行政执法案卷',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['执法案卷'],
  },
  {
    key: 'withheldQueryMatter',
    level1: L3,
    level2: '（三）不予公开',
    level3: '8.属于行政查询事项',
    label: '8.属于行政查询事项',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['行政查询事项', '查询事项'],
  },
  {
    key: 'unableNotHeld',
    level1: L3,
    level2: '（四）无法提供',
    level3: '1.本机关不掌握相关政府信息',
    label: '1.本机关不掌握相关政府信息',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['不掌握'],
  },
  {
    key: 'unableNeedsCreation',
    level1: L3,
    level2: '（四）无法提供',
    level3: '2.没有现成信息需要另行制作',
    label: '2.没有现成信息需要另行制作',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['另行制作', '没有现成信息'],
  },
  {
    key: 'unableUnclear',
    level1: L3,
    level2: '（四）无法提供',
    level3: '3.补正后申请内容仍不明确',
    label: '3.补正后申请内容仍不明确',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['仍不明确', '补正后申请'],
  },
  {
    key: 'notProcessedComplaint',
    level1: L3,
    level2: '（五）不予处理',
    level3: '1.信访举报投诉类申请',
    label: '1.信访举报投诉类申请',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['信访举报投诉', '信访'],
  },
  {
    key: 'notProcessedDuplicate',
    level1: L3,
    level2: '（五）不予处理',
    level3: '2.重复申请',
    label: '2.重复申请',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['重复申请'],
  },
  {
    key: 'notProcessedPublication',
    level1: L3,
    level2: '（五）不予处理',
    level3: '3.要求提供公开出版物',
    label: '3.要求提供公开出版物',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['公开出版物', '出版物'],
  },
  {
    key: 'notProcessedExcessive',
    level1: L3,
    level2: '（五）不予处理',
    level3: '4.无正当理由大量反复申请',
    label: '4.无正当理由大量反复申请',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['大量反复申请', '大量反复'],
  },
  {
    key: 'notProcessedConfirmation',
    level1: L3,
    level2: '（五）不予处理',
    level3: '5.要求行政机关确认或重新出具已获取信息',
    label: '5.要求行政机关确认或重新出具已获取信息',
    leaf: true,
    versions: ['2021', '2019'],
    keys: ['重新出具', '确认或重新'],
  },
  {
    key: 'otherNoCorrection',
    level1: L3,
    level2: '（六）其他处理',
    level3: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
    label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
    leaf: true,
    versions: ['2021'],
    keys: ['逾期不补正', '不补正'],
  },
  {
    key: 'otherFeeUnpaid',
    level1: L3,
    level2: '（六）其他处理',
    level3: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    leaf: true,
    versions: ['2021'],
    keys: ['缴纳费用', '收费通知'],
  },
  {
    key: 'otherOther',
    level1: L3,
    level2: '（六）其他处理',
    level3: '3.其他',
    label: '3.其他',
    leaf: true,
    versions: ['2021'],
    keys: ['3.其他', '其他'],
  },
  {
    key: 'otherHandling',
    level1: L3,
    level2: '（六）其他处理',
    label: '（六）其他处理',
    leaf: true,
    versions: ['2019'],
    keys: ['其他处理'],
  },
  {
    key: 'outcomeTotal',
    level1: L3,
    level2: '（七）总计',
    label: '（七）总计',
    leaf: false,
    versions: ['2021', '2019'],
    keys: ['(七)总计', '总计'],
  },
  {
    key: 'carriedForward',
    level1: '四、结转下年度继续办理',
    label: '四、结转下年度继续办理',
    leaf: false,
    versions: ['2021', '2019'],
    keys: ['结转下年度', '下年度继续办理'],
  },
];

export const APPLICATIONS_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';

export function applicationRows(version: FormatVersion): ApplicationRowDef[] {
  return APPLICATION_ROWS.filter((r) => r.versions.includes(version));
}

export interface ProactiveFieldDef {
  key: string;
  label: string;
  /** money: decimal string; raw: string as published (2019 procurement amount); signed: may be negative */
  type: 'count' | 'signed' | 'money' | 'raw';
}

export interface ProactiveRowDef {
  key: string;
  label: string;
  /** the 第二十条 item caption above this row's header */
  item: string;
  fields: readonly ProactiveFieldDef[];
  keys: readonly string[];
}

const F2021_DOCS: ProactiveFieldDef[] = [
  { key: 'issued', label: '本年制发件数', type: 'count' },
  { key: 'repealed', label: '本年废止件数', type: 'count' },
  { key: 'inForce', label: '现行有效件数', type: 'count' },
];
const F2021_DECISIONS: ProactiveFieldDef[] = [{ key: 'decisions', label: '本年处理决定数量', type: 'count' }];

export const PROACTIVE_ROWS_2021: readonly ProactiveRowDef[] = [
  { key: 'regulations', label: '规章', item: '第二十条第（一）项', fields: F2021_DOCS, keys: ['规章'] },
  { key: 'normativeDocuments', label: '行政规范性文件', item: '第二十条第（一）项', fields: F2021_DOCS, keys: ['规范性文件'] },
  { key: 'licensing', label: '行政许可', item: '第二十条第（五）项', fields: F2021_DECISIONS, keys: ['行政许可'] },
  { key: 'punishment', label: '行政处罚', item: '第二十条第（六）项', fields: F2021_DECISIONS, keys: ['行政处罚'] },
  { key: 'enforcement', label: '行政强制', item: '第二十条第（六）项', fields: F2021_DECISIONS, keys: ['行政强制'] },
  {
    key: 'fees',
    label: '行政事业性收费',
    item: '第二十条第（八）项',
    fields: [{ key: 'amount', label: '本年收费金额（单位：万元）', type: 'money' }],
    keys: ['行政事业性收费', '事业性收费'],
  },
];

const F2019_DOCS: ProactiveFieldDef[] = [
  { key: 'made', label: '本年新制作数量', type: 'count' },
  { key: 'published', label: '本年新公开数量', type: 'count' },
  { key: 'total', label: '对外公开总数量', type: 'count' },
];
const F2019_ITEMS: ProactiveFieldDef[] = [
  { key: 'previous', label: '上一年项目数量', type: 'count' },
  { key: 'change', label: '本年增/减', type: 'signed' },
  { key: 'decisions', label: '处理决定数量', type: 'count' },
];

export const PROACTIVE_ROWS_2019: readonly ProactiveRowDef[] = [
  { key: 'regulations', label: '规章', item: '第二十条第（一）项', fields: F2019_DOCS, keys: ['规章'] },
  { key: 'normativeDocuments', label: '规范性文件', item: '第二十条第（一）项', fields: F2019_DOCS, keys: ['规范性文件'] },
  { key: 'licensing', label: '行政许可', item: '第二十条第（五）项', fields: F2019_ITEMS, keys: ['行政许可'] },
  {
    key: 'otherServices',
    label: '其他对外管理服务事项',
    item: '第二十条第（五）项',
    fields: F2019_ITEMS,
    keys: ['其他对外管理服务事项', '对外管理服务'],
  },
  { key: 'punishment', label: '行政处罚', item: '第二十条第（六）项', fields: F2019_ITEMS, keys: ['行政处罚'] },
  { key: 'enforcement', label: '行政强制', item: '第二十条第（六）项', fields: F2019_ITEMS, keys: ['行政强制'] },
  {
    key: 'fees',
    label: '行政事业性收费',
    item: '第二十条第（八）项',
    fields: F2019_ITEMS.slice(0, 2),
    keys: ['行政事业性收费', '事业性收费'],
  },
  {
    key: 'procurement',
    label: '政府集中采购',
    item: '第二十条第（九）项',
    fields: [
      { key: 'projects', label: '采购项目数量', type: 'count' },
      { key: 'amount', label: '采购总金额', type: 'raw' },
    ],
    keys: ['政府集中采购', '集中采购'],
  },
];

export function proactiveRows(version: FormatVersion): readonly ProactiveRowDef[] {
  return version === '2021' ? PROACTIVE_ROWS_2021 : PROACTIVE_ROWS_2019;
}

export const REVIEW_GROUPS = [
  { key: 'review', label: '行政复议' },
  { key: 'litigationDirect', label: '未经复议直接起诉', parent: '行政诉讼' },
  { key: 'litigationAfterReview', label: '复议后起诉', parent: '行政诉讼' },
] as const;

export const REVIEW_COLUMNS = [
  { key: 'upheld', label: '结果维持' },
  { key: 'corrected', label: '结果纠正' },
  { key: 'other', label: '其他结果' },
  { key: 'pending', label: '尚未审结' },
  { key: 'total', label: '总计' },
] as const;

export interface SectionDef {
  key: 'overview' | 'proactive' | 'applications' | 'reviewLitigation' | 'problems' | 'other';
  number: string;
  heading: string;
  /** distinctive heading text (normalised) in any accepted variant */
  keys: readonly string[];
  /**
   * other wordings of the heading some reports use (older templates, 其它 for 其他), normalised:
   * accepted only right after the section's own numeral written 一、 or 第一部分 — not （一） or 1.,
   * which number the parts inside a section (（二）主动公开情况 in 一、总体情况)
   */
  variants: readonly string[];
}

export const SECTIONS: readonly SectionDef[] = [
  { key: 'overview', number: '一', heading: '一、总体情况', keys: ['总体情况'], variants: ['基本情况', '概述', '概况'] },
  {
    key: 'proactive',
    number: '二',
    heading: '二、主动公开政府信息情况',
    keys: ['主动公开政府信息情况', '主动公开政府信息'],
    variants: ['主动公开'],
  },
  {
    key: 'applications',
    number: '三',
    heading: '三、收到和处理政府信息公开申请情况',
    keys: ['收到和处理政府信息公开申请情况', '收到和处理政府信息公开申请'],
    variants: ['依申请公开', '收到和处理'],
  },
  {
    key: 'reviewLitigation',
    number: '四',
    heading: '四、政府信息公开行政复议、行政诉讼情况',
    keys: ['行政复议、行政诉讼情况', '行政复议行政诉讼情况', '提起行政诉讼情况', '行政复议、行政诉讼'],
    variants: ['因政府信息公开工作被申请行政复议', '被申请行政复议', '行政复议和行政诉讼', '行政复议及行政诉讼', '政府信息公开行政复议'],
  },
  {
    key: 'problems',
    number: '五',
    heading: '五、存在的主要问题及改进情况',
    keys: ['存在的主要问题及改进情况', '主要问题及改进情况', '存在问题及改进情况', '问题及改进'],
    variants: ['存在的主要问题', '存在的问题', '存在问题', '主要问题', '问题和改进', '工作中存在'],
  },
  {
    key: 'other',
    number: '六',
    heading: '六、其他需要报告的事项',
    keys: ['其他需要报告的事项', '其他需要报告'],
    variants: ['其它需要报告', '其他事项', '其它事项', '需要报告的其他事项', '其他需要说明'],
  },
];

/** labels that only exist in the 2019 format (outdated-template markers) */
export const MARKERS_2019 = [
  '本年新制作数量',
  '本年新公开数量',
  '对外公开总数量',
  '上一年项目数量',
  '本年增/减',
  '其他对外管理服务事项',
  '第二十条第(九)项',
  '政府集中采购',
  '采购项目数量',
];
/** labels that only exist in the 2021 format */
export const MARKERS_2021 = ['本年制发件数', '本年废止件数', '现行有效件数', '本年收费金额', '逾期不补正', '缴纳费用'];
