/**
 * Example reports for the rule documentation and the rule tests (ESLint style).
 *
 * `baseReport(format)` is a complete, realistic report that every rule accepts:
 * the arithmetic of 表二 and 表三 holds, the narrative quotes the table figures,
 * 五 has improvement measures and last year's rectification, 六 states the
 * 信息处理费. `previousReport(format)` is the same office's report for the year
 * before, consistent with it (结转, 现行有效件数). A rule example is a *partial*
 * report merged over these (`exampleReport`, `examplePrevious`).
 */
import { applicationRows, SECTIONS } from '../model/format.js';
import type { ApplicationRow, FormatVersion, Report, ReviewGroup } from '../model/report.js';
import type { RuleExample } from './types.js';

/** 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他 */
type Six = [number, number, number, number, number, number];

const AGENCY = '某某区人民政府办公室';

function row(v: Six): ApplicationRow {
  const [naturalPerson, commercial, research, publicInterest, legalService, other] = v;
  return { naturalPerson, commercial, research, publicInterest, legalService, other, total: v.reduce((a, b) => a + b, 0) };
}

/**
 * 表二 from its leaves: rows not listed are all 0, （七）总计 is the sum of the
 * leaves and 四 is 一 + 二 − （七）.
 */
function table2(format: FormatVersion, newReceived: Six, carriedOver: Six, leaves: Record<string, Six>): Record<string, ApplicationRow> {
  const zero: Six = [0, 0, 0, 0, 0, 0];
  const defs = applicationRows(format);
  const outcome = zero.map((_, c) => defs.filter((d) => d.leaf).reduce((s, d) => s + (leaves[d.key]?.[c] ?? 0), 0)) as Six;
  const forward = zero.map((_, c) => newReceived[c] + carriedOver[c] - outcome[c]) as Six;
  if (forward.some((x) => x < 0)) throw new Error('example table: more outcomes than applications');
  const out: Record<string, ApplicationRow> = {};
  for (const d of defs) {
    if (d.key === 'newReceived') out[d.key] = row(newReceived);
    else if (d.key === 'carriedOver') out[d.key] = row(carriedOver);
    else if (d.key === 'outcomeTotal') out[d.key] = row(outcome);
    else if (d.key === 'carriedForward') out[d.key] = row(forward);
    else out[d.key] = row(leaves[d.key] ?? zero);
  }
  return out;
}

/** 表三 group from 结果维持, 结果纠正, 其他结果, 尚未审结 */
const group = (upheld: number, corrected: number, other: number, pending: number): ReviewGroup => ({
  upheld,
  corrected,
  other,
  pending,
  total: upheld + corrected + other + pending,
});

const template = () => ({ mixedOtherHandling: false, sectionsFound: SECTIONS.map((s) => s.key) });

/* ------------------------------------------------------------ 2023, 2021 版 */

function report2023(): Report {
  return {
    format: '2021',
    agency: AGENCY,
    year: 2023,
    publishedOn: '2024-01-20',
    sections: {
      overview: [
        '2023年，某某区人民政府办公室坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》，围绕区委、区政府中心工作，持续深化政务公开，不断提升政府工作透明度。',
        '（一）主动公开。全年通过区政府门户网站主动公开政府信息1526条，其中政策文件186条、工作动态1340条。全年制发行政规范性文件5件，废止规范性文件2件，截至年底现行有效行政规范性文件38件。在门户网站集中公开行政许可1260件、行政处罚37件、行政强制4件。',
        '（二）依申请公开。全年新收政府信息公开申请90件，上年结转3件，已办结88件，结转下年度继续办理5件。',
        '（三）政府信息管理。严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”，全年未发生泄密事件。',
        '（四）平台建设。优化区政府门户网站政府信息公开专栏，更新政府信息公开指南和目录，及时调整栏目设置。',
        '（五）监督保障。将政务公开工作纳入年度绩效考核，组织政务公开业务培训2次，参训人员120人次。',
      ].join('\n'),
      problems: [
        '（一）存在的主要问题。一是政策解读形式较为单一，图解、视频等解读占比不高；二是部分单位信息发布不够及时，更新存在滞后。',
        '（二）上年度问题整改情况。针对2022年度报告所列依申请公开答复文书不够规范的问题，我办修订了答复文书模板，组织专题培训1次，已整改到位。',
        '（三）改进措施。下一步，我办将进一步丰富解读形式，加强对各单位信息发布的督促检查，确保信息公开及时、准确。',
      ].join('\n'),
      other: [
        '（一）本年度未收取政府信息公开信息处理费。',
        '（二）人大代表建议和政协提案办理情况：全年承办人大代表建议12件、政协提案15件，已全部按期办结。',
      ].join('\n'),
    },
    proactive: {
      regulations: { issued: 0, repealed: 0, inForce: 0 },
      normativeDocuments: { issued: 5, repealed: 2, inForce: 38 },
      licensing: { decisions: 1260 },
      punishment: { decisions: 37 },
      enforcement: { decisions: 4 },
      fees: { amount: '0' },
    },
    applications: table2('2021', [80, 6, 0, 1, 2, 1], [3, 0, 0, 0, 0, 0], {
      granted: [30, 3, 0, 0, 1, 1],
      partlyGranted: [4, 1, 0, 0, 0, 0],
      withheldLawProhibited: [1, 0, 0, 0, 0, 0],
      withheldThirdParty: [2, 0, 0, 0, 0, 0],
      withheldInternalAffairs: [1, 0, 0, 0, 0, 0],
      withheldProcessInfo: [2, 0, 0, 0, 0, 0],
      withheldQueryMatter: [1, 0, 0, 0, 0, 0],
      unableNotHeld: [20, 1, 0, 1, 1, 0],
      unableNeedsCreation: [3, 0, 0, 0, 0, 0],
      unableUnclear: [2, 0, 0, 0, 0, 0],
      notProcessedComplaint: [4, 0, 0, 0, 0, 0],
      notProcessedDuplicate: [3, 1, 0, 0, 0, 0],
      notProcessedPublication: [1, 0, 0, 0, 0, 0],
      notProcessedConfirmation: [1, 0, 0, 0, 0, 0],
      otherNoCorrection: [2, 0, 0, 0, 0, 0],
      otherOther: [1, 0, 0, 0, 0, 0],
    }),
    reviewLitigation: { review: group(3, 1, 0, 1), litigationDirect: group(2, 0, 1, 1), litigationAfterReview: group(1, 0, 0, 0) },
    ambiguities: [],
    labels: [],
    template: template(),
  };
}

/* ------------------------------------------------------------ 2022, 2021 版 */

function report2022(): Report {
  return {
    format: '2021',
    agency: AGENCY,
    year: 2022,
    publishedOn: '2023-01-18',
    sections: {
      overview: [
        '2022年，区政府办公室认真贯彻落实上级关于政务公开工作的部署，以公开促落实、以公开优服务，政府信息公开工作取得新进展。',
        '一是主动公开扎实推进。依托区政府门户网站和“某某发布”政务新媒体，全年主动公开政府信息1288条。全年制发行政规范性文件4件，废止规范性文件1件，现行有效行政规范性文件35件。',
        '二是依申请公开规范办理。全年新收政府信息公开申请75件，上年结转2件，结转下年度继续办理3件，答复均在法定期限内作出。',
        '三是管理制度不断完善。修订政府信息公开保密审查办法，明确审查责任和流程。',
        '四是平台功能持续优化。完成政府信息公开专栏的适老化和无障碍改造。',
        '五是监督保障有力。将政务公开纳入对各镇街和部门的综合考核，开展专题培训1次。',
      ].join('\n'),
      problems: [
        '存在的问题：政策解读的针对性不强，依申请公开答复文书不够规范。',
        '改进措施：一是提高解读质量，推行图文、视频等多种解读形式；二是统一答复文书模板，开展答复工作培训。',
        '上年度报告所列“信息更新不及时”的问题已整改完成。',
      ].join('\n'),
      other: '本年度未收取政府信息公开信息处理费。无其他需要报告的事项。',
    },
    proactive: {
      regulations: { issued: 0, repealed: 0, inForce: 0 },
      normativeDocuments: { issued: 4, repealed: 1, inForce: 35 },
      licensing: { decisions: 1185 },
      punishment: { decisions: 41 },
      enforcement: { decisions: 6 },
      fees: { amount: '0' },
    },
    applications: table2('2021', [68, 5, 0, 0, 1, 1], [2, 0, 0, 0, 0, 0], {
      granted: [26, 2, 0, 0, 1, 0],
      partlyGranted: [3, 1, 0, 0, 0, 0],
      withheldThirdParty: [1, 0, 0, 0, 0, 0],
      withheldInternalAffairs: [2, 0, 0, 0, 0, 0],
      withheldProcessInfo: [1, 0, 0, 0, 0, 0],
      unableNotHeld: [19, 1, 0, 0, 0, 1],
      unableNeedsCreation: [2, 0, 0, 0, 0, 0],
      unableUnclear: [3, 0, 0, 0, 0, 0],
      notProcessedComplaint: [3, 0, 0, 0, 0, 0],
      notProcessedDuplicate: [2, 1, 0, 0, 0, 0],
      notProcessedExcessive: [1, 0, 0, 0, 0, 0],
      notProcessedConfirmation: [1, 0, 0, 0, 0, 0],
      otherNoCorrection: [2, 0, 0, 0, 0, 0],
      otherOther: [1, 0, 0, 0, 0, 0],
    }),
    reviewLitigation: { review: group(2, 1, 0, 0), litigationDirect: group(1, 0, 0, 1), litigationAfterReview: group(0, 0, 0, 0) },
    ambiguities: [],
    labels: [],
    template: template(),
  };
}

/* ------------------------------------------------------------ 2020, 2019 版 */

function report2020(): Report {
  return {
    format: '2019',
    agency: AGENCY,
    year: 2020,
    publishedOn: '2021-01-25',
    sections: {
      overview: [
        '2020年，区政府办公室在区委、区政府的领导下，统筹做好疫情防控信息发布和政府信息公开各项工作。',
        '全年主动公开政府信息1105条，及时发布疫情防控通告和复工复产扶持政策。',
        '全年新收政府信息公开申请58件，上年结转1件，结转下年度继续办理2件。',
        '办理行政许可1180件、行政处罚42件、行政强制5件，相关信息均按规定在门户网站公开。',
      ].join('\n'),
      problems: [
        '一是部分栏目更新不够及时；二是政策解读的形式比较单一。',
        '下一步，我办将建立栏目更新台账，定期检查，并丰富解读形式。',
        '上年度报告提出的依申请公开办理流程不够规范的问题，已通过制定办理规程得到解决。',
      ].join('\n'),
      other: '本年度未收取信息处理费。',
    },
    proactive: {
      regulations: { made: 0, published: 0, total: 0 },
      normativeDocuments: { made: 4, published: 4, total: 31 },
      licensing: { previous: 118, change: 2, decisions: 1180 },
      otherServices: { previous: 12, change: 0, decisions: 240 },
      punishment: { previous: 9, change: 0, decisions: 42 },
      enforcement: { previous: 3, change: -1, decisions: 5 },
      fees: { previous: 2, change: 0 },
      procurement: { projects: 6, amount: '86.5万元' },
    },
    applications: table2('2019', [52, 4, 0, 1, 1, 0], [1, 0, 0, 0, 0, 0], {
      granted: [20, 2, 0, 0, 1, 0],
      partlyGranted: [3, 1, 0, 0, 0, 0],
      withheldLawProhibited: [1, 0, 0, 0, 0, 0],
      withheldThirdParty: [1, 0, 0, 0, 0, 0],
      withheldInternalAffairs: [1, 0, 0, 0, 0, 0],
      withheldProcessInfo: [1, 0, 0, 0, 0, 0],
      unableNotHeld: [15, 1, 0, 1, 0, 0],
      unableNeedsCreation: [2, 0, 0, 0, 0, 0],
      unableUnclear: [1, 0, 0, 0, 0, 0],
      notProcessedComplaint: [2, 0, 0, 0, 0, 0],
      notProcessedDuplicate: [2, 0, 0, 0, 0, 0],
      otherHandling: [2, 0, 0, 0, 0, 0],
    }),
    reviewLitigation: { review: group(1, 0, 0, 1), litigationDirect: group(1, 0, 0, 0), litigationAfterReview: group(0, 0, 0, 0) },
    ambiguities: [],
    labels: [],
    template: template(),
  };
}

/* ------------------------------------------------------------ 2019, 2019 版 */

function report2019(): Report {
  return {
    format: '2019',
    agency: AGENCY,
    year: 2019,
    publishedOn: '2020-01-17',
    sections: {
      overview: [
        '2019年是新修订的《中华人民共和国政府信息公开条例》施行的第一年。区政府办公室对照条例要求，重新编制了政府信息公开指南和目录。',
        '全年主动公开政府信息986条。全年新收政府信息公开申请49件，结转下年度继续办理1件。',
        '办理行政许可1102件、行政处罚39件、行政强制4件。',
      ].join('\n'),
      problems: [
        '条例修订后，部分工作人员对新规定掌握不够。',
        '下一步将组织专题培训，逐条学习条例。上年度发现的网站栏目设置不合理的问题已完成整改。',
      ].join('\n'),
      other: '本年度没有收取信息处理费。',
    },
    proactive: {
      regulations: { made: 0, published: 0, total: 0 },
      normativeDocuments: { made: 3, published: 3, total: 27 },
      licensing: { previous: 116, change: 2, decisions: 1102 },
      otherServices: { previous: 12, change: 0, decisions: 233 },
      punishment: { previous: 9, change: 0, decisions: 39 },
      enforcement: { previous: 3, change: 0, decisions: 4 },
      fees: { previous: 2, change: 0 },
      procurement: { projects: 5, amount: '72万元' },
    },
    applications: table2('2019', [45, 3, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0], {
      granted: [18, 2, 0, 0, 1, 0],
      partlyGranted: [2, 0, 0, 0, 0, 0],
      withheldLawProhibited: [1, 0, 0, 0, 0, 0],
      withheldThirdParty: [1, 0, 0, 0, 0, 0],
      unableNotHeld: [13, 1, 0, 0, 0, 0],
      unableNeedsCreation: [2, 0, 0, 0, 0, 0],
      unableUnclear: [1, 0, 0, 0, 0, 0],
      notProcessedComplaint: [2, 0, 0, 0, 0, 0],
      notProcessedDuplicate: [2, 0, 0, 0, 0, 0],
      otherHandling: [2, 0, 0, 0, 0, 0],
    }),
    reviewLitigation: { review: group(1, 0, 0, 0), litigationDirect: group(0, 0, 0, 0), litigationAfterReview: group(0, 0, 0, 0) },
    ambiguities: [],
    labels: [],
    template: template(),
  };
}

/* ------------------------------------------------------------------ public */

/**
 * A complete, arithmetically valid report that satisfies every rule: the 2023
 * report of 某某区人民政府办公室 (2021 版), or its 2020 report (2019 版). A new
 * object on every call.
 */
export function baseReport(format: FormatVersion = '2021'): Report {
  return format === '2021' ? report2023() : report2020();
}

/** the same office's report for the year before `baseReport(format)`, consistent with it */
export function previousReport(format: FormatVersion = '2021'): Report {
  return format === '2021' ? report2022() : report2019();
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `patch` merged over `base`: objects merge key by key, arrays and scalars
 * replace, a key whose value is `undefined` is removed. Neither input changes.
 */
export function mergeDeep<T>(base: T, patch: unknown): T {
  if (patch === undefined) return base;
  if (!isObject(base) || !isObject(patch)) return structuredClone(patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = isObject(out[k]) && isObject(v) ? mergeDeep(out[k], v) : structuredClone(v);
  }
  return out as T;
}

const formatOf = (partial: unknown, fallback: FormatVersion): FormatVersion => {
  const f = isObject(partial) ? partial.format : undefined;
  return f === '2019' || f === '2021' ? f : fallback;
};

/** the report of an example: its partial report merged over the base report of its format */
export function exampleReport(example: Pick<RuleExample, 'report'>): Report {
  return mergeDeep(baseReport(formatOf(example.report, '2021')), example.report);
}

/**
 * last year's report of an example: its `previous` merged over `previousReport`
 * (of the format it states, else the format of the example's report); null when
 * the example has none
 */
export function examplePrevious(example: Pick<RuleExample, 'report' | 'previous'>): Report | null {
  if (example.previous === undefined) return null;
  const format = formatOf(example.previous, formatOf(example.report, '2021'));
  return mergeDeep(previousReport(format), example.previous);
}
