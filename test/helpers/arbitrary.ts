/**
 * fast-check arbitraries producing VALID reports (every equation of
 * ./arithmetic.ts holds), and two fixed hand-made reports with varied non-zero
 * numbers in every row and column, readable as fixtures.
 */
import fc from 'fast-check';
import { APPLICANT_COLUMNS, applicationRows } from '../../src/model/format.js';
import type {
  ApplicantColumn,
  ApplicationRow,
  Count,
  FormatVersion,
  Proactive2019,
  Proactive2021,
  Report,
  ReviewGroup,
  ReviewLitigation,
} from '../../src/model/report.js';

export interface ArbOptions {
  /**
   * let some leaf, 结转 and 表一/表三 input cells be null (published blank), as the
   * contract allows; null counts as 0 in the arithmetic (default false)
   */
  nulls?: boolean;
  /** let a narrative section be missing (null) now and then (default false) */
  missingSections?: boolean;
}

const PARTS: ApplicantColumn[] = APPLICANT_COLUMNS.filter((c) => c.key !== 'total').map((c) => c.key);

/** mostly 0 and small numbers, sometimes two digits, rarely large (up to 99999) */
export function arbCount(): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: fc.constant(0), weight: 40 },
    { arbitrary: fc.integer({ min: 1, max: 9 }), weight: 20 },
    { arbitrary: fc.integer({ min: 10, max: 99 }), weight: 5 },
    { arbitrary: fc.integer({ min: 100, max: 999 }), weight: 2 },
    { arbitrary: fc.integer({ min: 1000, max: 99999 }), weight: 1 },
  );
}

function arbCell(opts: ArbOptions): fc.Arbitrary<Count> {
  return opts.nulls ? fc.option(arbCount(), { nil: null, freq: 8 }) : arbCount();
}

/** a signed 本年增/减 (2019): mostly small, often 0, sometimes negative */
export function arbChange(): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: fc.constant(0), weight: 4 },
    { arbitrary: fc.integer({ min: -20, max: 20 }), weight: 4 },
    { arbitrary: fc.integer({ min: -999, max: 999 }), weight: 1 },
  );
}

/** a 万元 amount as a decimal string: "0", an integer, or 1–4 decimals */
export function arbMoney(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant('0'), weight: 4 },
    { arbitrary: fc.integer({ min: 1, max: 99999 }).map(String), weight: 2 },
    {
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 9999 }))
        .map(([i, d, f]) => `${i}.${String(f).padStart(4, '0').slice(0, d)}`),
      weight: 3,
    },
  );
}

const PLACES = [
  '北京市',
  '上海市浦东新区',
  '三门峡市湖滨区',
  '武陟县',
  '南京市栖霞区',
  '平潭综合实验区',
  '成都市武侯区',
  '安阳市文峰区',
  '嘉兴市南湖区',
  '哈尔滨市道里区',
  '怀化市',
  '宿迁市宿城区',
  '广东省',
  '黔东南苗族侗族自治州',
];
const BODIES = [
  '人民政府',
  '人民政府办公室',
  '教育局',
  '财政局',
  '自然资源和规划局',
  '市场监督管理局',
  '卫生健康委员会',
  '住房和城乡建设局',
  '生态环境局',
  '统计局',
  '前进街道办事处',
  '木栾街道办事处',
  '城关镇人民政府',
  '管理委员会',
];

export function arbAgency(): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...PLACES), fc.constantFrom(...BODIES)).map(([p, b]) => p + b);
}

const OVERVIEW = [
  '本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外。',
  '（一）主动公开。全年通过政府网站主动公开政府信息1268条，其中政策文件37件，政策解读21篇。',
  '（二）依申请公开。严格按照法定时限答复，全部在规定期限内办结，未发生逾期答复情况。',
  '（三）政府信息管理。严格落实保密审查制度，坚持先审查、后公开，一事一审、全面审查。',
  '（四）政府信息公开平台建设。优化网站栏目设置，及时更新政务新媒体，拓宽公开渠道。',
  '（五）监督保障。将政务公开工作纳入年度绩效考核，全年组织业务培训3次。',
  '健全工作机制，明确分管领导和具体工作人员，确保各项工作落到实处。',
];
const PROBLEMS = [
  '存在的主要问题：一是政策解读形式较为单一；二是信息发布的及时性有待提高。',
  '改进措施：加强业务培训，丰富解读形式，推行图文、音视频等多种解读方式。',
  '上一年度报告中指出的问题已逐项整改到位。',
  '下一步将进一步完善工作机制，提升政务公开标准化规范化水平。',
  '部分工作人员对政务公开工作的重要性认识不足，主动公开意识有待加强。',
];
const OTHER = [
  '本年度未收取信息处理费。',
  '无其他需要报告的事项。',
  '本机关依据《政府信息公开信息处理费管理办法》，本年度共收取信息处理费0元。',
  '认真落实本年度政务公开工作要点，人大代表建议和政协提案办理结果均已公开。',
];

function arbText(pool: readonly string[]): fc.Arbitrary<string> {
  return fc
    .array(fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
    .map((ps) => ps.map((p) => p.join('')).join('\n'));
}

function arbSections(opts: ArbOptions): fc.Arbitrary<Report['sections']> {
  const maybe = (a: fc.Arbitrary<string>): fc.Arbitrary<string | null> => (opts.missingSections ? fc.option(a, { nil: null, freq: 6 }) : a);
  return fc.record({ overview: maybe(arbText(OVERVIEW)), problems: maybe(arbText(PROBLEMS)), other: maybe(arbText(OTHER)) });
}

function arbPublishedOn(year: number): fc.Arbitrary<string | null> {
  return fc.option(
    fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 28 }))
      .map(([m, d]) => `${year + 1}-0${m}-${String(d).padStart(2, '0')}`),
    { nil: null, freq: 4 },
  );
}

const n = (v: Count): number => v ?? 0;

function row(parts: Count[]): ApplicationRow {
  const r = {} as ApplicationRow;
  PARTS.forEach((c, i) => {
    r[c] = parts[i];
  });
  r.total = parts.reduce<number>((s, v) => s + n(v), 0);
  return r;
}

function group(v: Count[]): ReviewGroup {
  return { upheld: v[0], corrected: v[1], other: v[2], pending: v[3], total: v.reduce<number>((s, x) => s + n(x), 0) };
}

/** 表二 with all arithmetic holding, from random leaves, 结转 in and out */
function arbApplications(format: FormatVersion, opts: ArbOptions): fc.Arbitrary<Record<string, ApplicationRow>> {
  const defs = applicationRows(format);
  const leaves = defs.filter((d) => d.leaf);
  const six = () => fc.array(arbCell(opts), { minLength: 6, maxLength: 6 });
  return fc
    .record({
      leaves: fc.array(six(), { minLength: leaves.length, maxLength: leaves.length }),
      forward: six(),
      // 二 (carried over) as a share of 三（七）+四, so that 一 = 三（七）+四−二 is never negative
      overShare: fc.array(fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 100 }), weight: 1 }), {
        minLength: 6,
        maxLength: 6,
      }),
      blankOver: fc.array(opts.nulls ? fc.boolean() : fc.constant(false), { minLength: 6, maxLength: 6 }),
    })
    .map(({ leaves: leafValues, forward, overShare, blankOver }) => {
      const apps: Record<string, ApplicationRow> = {};
      leaves.forEach((d, i) => {
        apps[d.key] = row(leafValues[i]);
      });
      const outcome = PARTS.map((_, c) => leafValues.reduce((s, r) => s + n(r[c]), 0));
      const over: Count[] = PARTS.map((_, c) => {
        const v = Math.floor(((outcome[c] + n(forward[c])) * overShare[c]) / 100);
        return v === 0 && blankOver[c] ? null : v;
      });
      const received = PARTS.map((_, c) => outcome[c] + n(forward[c]) - n(over[c]));
      apps.newReceived = row(received);
      apps.carriedOver = row(over);
      apps.outcomeTotal = row(outcome);
      apps.carriedForward = row(forward);
      // key order as in the format
      return Object.fromEntries(defs.map((d) => [d.key, apps[d.key]]));
    });
}

function arbReview(opts: ArbOptions): fc.Arbitrary<ReviewLitigation> {
  const four = () => fc.array(arbCell(opts), { minLength: 4, maxLength: 4 }).map(group);
  return fc.record({ review: four(), litigationDirect: four(), litigationAfterReview: four() });
}

function arbProactive2021(opts: ArbOptions): fc.Arbitrary<Proactive2021> {
  const c = () => arbCell(opts);
  const docs = () => fc.record({ issued: c(), repealed: c(), inForce: c() });
  return fc.record({
    regulations: docs(),
    normativeDocuments: docs(),
    licensing: fc.record({ decisions: c() }),
    punishment: fc.record({ decisions: c() }),
    enforcement: fc.record({ decisions: c() }),
    fees: fc.record({ amount: opts.nulls ? fc.option(arbMoney(), { nil: null, freq: 8 }) : arbMoney() }),
  });
}

function arbProactive2019(opts: ArbOptions): fc.Arbitrary<Proactive2019> {
  const c = () => arbCell(opts);
  const ch = () => (opts.nulls ? fc.option(arbChange(), { nil: null, freq: 8 }) : arbChange());
  const docs = () => fc.record({ made: c(), published: c(), total: c() });
  const items = () => fc.record({ previous: c(), change: ch(), decisions: c() });
  const amount = fc.oneof(
    arbCount().map((v) => `${v}元`),
    arbMoney().map((v) => `${v}万元`),
    fc.constant('0'),
    ...(opts.nulls ? [fc.constant(null)] : []),
  );
  return fc.record({
    regulations: docs(),
    normativeDocuments: docs(),
    licensing: items(),
    otherServices: items(),
    punishment: items(),
    enforcement: items(),
    fees: fc.record({ previous: c(), change: ch() }),
    procurement: fc.record({ projects: c(), amount }),
  });
}

function arbReport(format: FormatVersion, years: [number, number], opts: ArbOptions): fc.Arbitrary<Report> {
  return fc.integer({ min: years[0], max: years[1] }).chain((year) =>
    fc
      .record({
        agency: arbAgency(),
        publishedOn: arbPublishedOn(year),
        sections: arbSections(opts),
        proactive: format === '2021' ? arbProactive2021(opts) : arbProactive2019(opts),
        applications: arbApplications(format, opts),
        reviewLitigation: arbReview(opts),
      })
      .map(
        (r): Report => ({
          format,
          agency: r.agency,
          year,
          publishedOn: r.publishedOn,
          sections: r.sections,
          proactive: r.proactive,
          applications: r.applications,
          reviewLitigation: r.reviewLitigation,
        }),
      ),
  );
}

/** valid 2021-format reports for the years 2021–2025 */
export function arbReport2021(opts: ArbOptions = {}): fc.Arbitrary<Report> {
  return arbReport('2021', [2021, 2025], opts);
}

/** valid 2019-format reports for the years 2019–2020 */
export function arbReport2019(opts: ArbOptions = {}): fc.Arbitrary<Report> {
  return arbReport('2019', [2019, 2020], opts);
}

// ---------------------------------------------------------------------------
// Fixed hand-made reports
// ---------------------------------------------------------------------------

/** one 表二 row: the six applicant columns then 总计 */
function r(
  naturalPerson: number,
  commercial: number,
  research: number,
  publicInterest: number,
  legalService: number,
  other: number,
  total: number,
): ApplicationRow {
  return { naturalPerson, commercial, research, publicInterest, legalService, other, total };
}

const SAMPLE_SECTIONS_2021: Report['sections'] = {
  overview: [
    '2022年，区自然资源和规划局坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。',
    '（一）主动公开。全年主动公开政府信息1268条，其中发布行政规范性文件12件，政策解读21篇。',
    '（二）依申请公开。全年新收政府信息公开申请366件，上年结转11件，均在法定期限内答复。',
    '（三）政府信息管理。严格落实公开属性源头认定和保密审查机制，动态更新政府信息公开目录。',
    '（四）政府信息公开平台建设。优化门户网站“政府信息公开”专栏，加强政务新媒体管理。',
    '（五）监督保障。将政务公开纳入年度绩效考核，组织业务培训3次，未发生责任追究情况。',
  ].join('\n'),
  problems: [
    '存在的主要问题：一是政策解读形式较为单一；二是依申请公开答复文书规范化程度有待提高。',
    '改进情况：针对上一年度报告指出的问题，已逐项整改；下一步将丰富解读形式，规范答复文书。',
  ].join('\n'),
  other: '本机关依据《政府信息公开信息处理费管理办法》，本年度共收取信息处理费0元。',
};

/** A fixed valid 2021-format report with varied non-zero numbers in every row and column. */
export function sampleReport2021(): Report {
  const proactive: Proactive2021 = {
    regulations: { issued: 3, repealed: 1, inForce: 27 },
    normativeDocuments: { issued: 12, repealed: 4, inForce: 86 },
    licensing: { decisions: 3960 },
    punishment: { decisions: 181 },
    enforcement: { decisions: 7 },
    fees: { amount: '12.3456' },
  };
  return {
    format: '2021',
    agency: '南京市栖霞区自然资源和规划局',
    year: 2022,
    publishedOn: '2023-01-18',
    sections: { ...SAMPLE_SECTIONS_2021 },
    proactive,
    applications: {
      newReceived: r(191, 50, 27, 30, 36, 32, 366),
      carriedOver: r(5, 2, 1, 1, 1, 1, 11),
      granted: r(58, 12, 3, 4, 6, 2, 85),
      partlyGranted: r(9, 4, 1, 2, 3, 1, 20),
      withheldStateSecret: r(2, 1, 1, 1, 1, 1, 7),
      withheldLawProhibited: r(3, 1, 2, 1, 2, 1, 10),
      withheldSecurityStability: r(1, 2, 1, 1, 1, 3, 9),
      withheldThirdParty: r(5, 3, 1, 1, 2, 1, 13),
      withheldInternalAffairs: r(4, 1, 1, 2, 1, 1, 10),
      withheldProcessInfo: r(6, 2, 1, 1, 1, 2, 13),
      withheldEnforcementFile: r(2, 1, 2, 1, 1, 1, 8),
      withheldQueryMatter: r(7, 1, 1, 1, 3, 1, 14),
      unableNotHeld: r(31, 8, 2, 3, 4, 5, 53),
      unableNeedsCreation: r(8, 2, 1, 1, 1, 1, 14),
      unableUnclear: r(5, 1, 1, 2, 1, 1, 11),
      notProcessedComplaint: r(11, 1, 1, 1, 1, 2, 17),
      notProcessedDuplicate: r(6, 1, 1, 1, 1, 1, 11),
      notProcessedPublication: r(2, 1, 1, 1, 1, 1, 7),
      notProcessedExcessive: r(13, 1, 1, 1, 1, 1, 18),
      notProcessedConfirmation: r(3, 1, 1, 1, 1, 1, 8),
      otherNoCorrection: r(4, 2, 1, 1, 1, 1, 10),
      otherFeeUnpaid: r(1, 1, 1, 1, 1, 1, 6),
      otherOther: r(7, 2, 1, 2, 1, 3, 16),
      outcomeTotal: r(188, 49, 26, 30, 35, 32, 360),
      carriedForward: r(8, 3, 2, 1, 2, 1, 17),
    },
    reviewLitigation: {
      review: { upheld: 3, corrected: 2, other: 1, pending: 1, total: 7 },
      litigationDirect: { upheld: 2, corrected: 1, other: 1, pending: 1, total: 5 },
      litigationAfterReview: { upheld: 1, corrected: 1, other: 2, pending: 1, total: 5 },
    },
  };
}

/** A fixed valid 2019-format report (year 2019) with varied non-zero numbers in every row and column. */
export function sampleReport2019(): Report {
  const proactive: Proactive2019 = {
    regulations: { made: 2, published: 2, total: 45 },
    normativeDocuments: { made: 15, published: 14, total: 230 },
    licensing: { previous: 396, change: -8, decisions: 1813 },
    otherServices: { previous: 52, change: 3, decisions: 640 },
    punishment: { previous: 18, change: 2, decisions: 355 },
    enforcement: { previous: 6, change: -1, decisions: 24 },
    fees: { previous: 4, change: -1 },
    procurement: { projects: 37, amount: '251000元' },
  };
  return {
    format: '2019',
    agency: '上海市人民政府办公厅',
    year: 2019,
    publishedOn: '2020-01-31',
    sections: {
      overview: [
        '2019年，市政府办公厅认真贯彻落实新修订的《中华人民共和国政府信息公开条例》，全面推进决策、执行、管理、服务、结果公开。',
        '（一）主动公开情况。全年主动公开政府信息2310条，其中规范性文件14件。',
        '（二）依申请公开情况。全年新收政府信息公开申请475件，上年结转12件，按照《条例》顺延到下年度答复19件。',
      ].join('\n'),
      problems: '存在的主要问题：部分答复文书说理不够充分。改进情况：加强答复文书审核，提高答复质量。',
      other: '无其他需要报告的事项。',
    },
    proactive,
    applications: {
      newReceived: r(295, 65, 25, 26, 36, 28, 475),
      carriedOver: r(6, 1, 2, 1, 1, 1, 12),
      granted: r(127, 23, 5, 6, 9, 4, 174),
      partlyGranted: r(14, 6, 2, 1, 3, 2, 28),
      withheldStateSecret: r(1, 1, 1, 1, 1, 1, 6),
      withheldLawProhibited: r(2, 1, 1, 1, 1, 1, 7),
      withheldSecurityStability: r(3, 1, 1, 1, 1, 1, 8),
      withheldThirdParty: r(6, 2, 1, 1, 1, 1, 12),
      withheldInternalAffairs: r(2, 1, 1, 1, 1, 1, 7),
      withheldProcessInfo: r(4, 3, 1, 1, 1, 1, 11),
      withheldEnforcementFile: r(1, 2, 1, 1, 1, 1, 7),
      withheldQueryMatter: r(5, 1, 1, 1, 2, 1, 11),
      unableNotHeld: r(46, 11, 3, 2, 5, 4, 71),
      unableNeedsCreation: r(7, 2, 1, 1, 1, 1, 13),
      unableUnclear: r(9, 1, 1, 1, 1, 2, 15),
      notProcessedComplaint: r(15, 2, 1, 1, 1, 1, 21),
      notProcessedDuplicate: r(8, 1, 1, 1, 1, 1, 13),
      notProcessedPublication: r(3, 1, 1, 1, 1, 1, 8),
      notProcessedExcessive: r(21, 1, 1, 1, 1, 1, 26),
      notProcessedConfirmation: r(4, 1, 1, 1, 1, 1, 9),
      otherHandling: r(12, 3, 1, 2, 1, 2, 21),
      outcomeTotal: r(290, 64, 26, 26, 34, 28, 468),
      carriedForward: r(11, 2, 1, 1, 3, 1, 19),
    },
    reviewLitigation: {
      review: { upheld: 4, corrected: 1, other: 2, pending: 3, total: 10 },
      litigationDirect: { upheld: 3, corrected: 2, other: 1, pending: 2, total: 8 },
      litigationAfterReview: { upheld: 2, corrected: 1, other: 1, pending: 1, total: 5 },
    },
  };
}
