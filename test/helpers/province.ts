/**
 * A generated province for the supervision tests (issue 15): about 3,000 bodies in a realistic
 * tree (江苏省, its 13 cities and 95 county-level units with their real 行政区划代码; departments and
 * townships made up), five years of annual reports built as Report objects, and the truths a
 * correct system must find in them — every body-year's filing status, the roll-ups of the tables,
 * the constructed errors, the copied and repeated narratives, the edited, misspelled and prefixed
 * reports.
 *
 * Everything is deterministic from the seed (a mulberry32 stream per purpose, mixed with the
 * body's id and the year, so the cases of one body-year do not shift when another changes).
 *
 * ## What is constructed (each body-year gets at most one of these cases)
 *
 * - `missing` (~3 %): no report at all → state `unpublished`.
 * - `late` (~5 %): `publishedOn` after the statutory deadline (departments 01-31, governments —
 *   乡镇 and 街道 included — 03-31 of year + 1), by an exact number of days; the checker's
 *   `publication-deadline` fires on it.
 * - `error` (~2 %): one or two table cells broken, five kinds, each firing exactly the arithmetic
 *   rules listed in `errorRules` (verified with `check()` in test/supervise/province.test.ts).
 * - `copier` / `source` (~1 % of the bodies a year): the copier's 一、总体情况 keeps 92 % of the
 *   source's sentences (its own name, year and figures put in; containment ≈ 0.9 both ways, ≥ 0.8
 *   always), listed in `expected.copies`. A source has one copier. Unrelated narratives share
 *   little (containment < 0.3 measured, < 0.5 tested), 五 included.
 * - `repeated` (~1 % a year): the overview keeps 92 % of the body's own previous-year sentences.
 * - `edited`: a second version of the report (same date) with `proactive.punishment.decisions`
 *   changed; the latest version is what counts (status, totals).
 * - `misspelled`: the agency name printed with one character wrong (a homophone); the report
 *   must not be attached without confirmation.
 * - `prefixed`: the name printed with the higher region in front (淮安市洪泽区人民政府 for
 *   洪泽区人民政府); must match with high confidence.
 * - bodies renamed during the period print their former name for the years up to `until`.
 *
 * Every other report is clean: `check()` finds no error and no warning in it (nor the cross-year
 * warnings against its previous report), its prose figures agree with its tables, and 表二's 结转
 * and 表一's 现行有效 carry over from year to year. The statuses are those of a day after every
 * deadline, with every report attached to its body (the misspelled ones once confirmed).
 *
 * ## Flat cell keys (roll-ups)
 *
 * `table.row.column`, the JSON path of the cell in the Report: `applications.newReceived.total`,
 * `proactive.normativeDocuments.inForce`, `proactive.fees.amount` (money, 万元, as a number),
 * `reviewLitigation.review.total`. The 2019 procurement amount (text as published) is left out.
 * Keys are those of the year's format; every key is present (0 when nothing was reported).
 */

import { APPLICANT_COLUMNS, applicationRows, proactiveRows, REVIEW_COLUMNS, REVIEW_GROUPS } from '../../src/model/format.js';
import type { ApplicationRow, FormatVersion, Report, ReviewGroup, ReviewLitigation } from '../../src/model/report.js';
import { mulberry32 } from '../../src/register/generate.js';
import type { RenderFormat } from '../../src/render/index.js';
import { render } from '../../src/render/index.js';
import {
  BODY_KIND_ZH,
  type Body,
  type BodyAlias,
  type BodyKind,
  type FilingState,
  STATUTORY_DEADLINES,
  TIER_ZH,
  type Tier,
} from '../../src/supervise/types.js';

// ---------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------

/** mulberry32 (src/register/generate.ts): a small, fast, seedable PRNG giving floats in [0, 1) */
export { mulberry32 };

/** a 32-bit hash of some integers (murmur3's finaliser over a running mix) */
function mix(...xs: number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    h = Math.imul(h ^ (x | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** an integer in [min, max] */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
  /** k distinct elements (fewer when there are fewer) */
  sample<T>(xs: readonly T[], k: number): T[] {
    return this.shuffle([...xs]).slice(0, k);
  }
  /** a positive factor around 1, skewed (0.25 … ~3) */
  spread(): number {
    const u = this.next();
    return 0.25 + 2.75 * u * u;
  }
}

// ---------------------------------------------------------------------------
// Identifiers: GB 11714 (组织机构代码) and GB 32100 (统一社会信用代码)
// ---------------------------------------------------------------------------

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const ORG_VALUES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** the check character of an organisation code's 8-character body (GB 11714): '0'–'9' or 'X' */
export function orgCodeCheck(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) throw new Error(`not an organisation code body: ${body8}`);
  let s = 0;
  for (let i = 0; i < 8; i++) s += ORG_VALUES.indexOf(body8[i]) * ORG_WEIGHTS[i];
  const c = 11 - (s % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** the 18th character of a 统一社会信用代码 from its first 17 (GB 32100) */
export function creditCodeCheck(first17: string): string {
  if (first17.length !== 17) throw new Error(`not 17 characters: ${first17}`);
  let s = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_ALPHABET.indexOf(first17[i]);
    if (v < 0) throw new Error(`not a credit code character: ${first17[i]}`);
    s += v * CREDIT_WEIGHTS[i];
  }
  const c = 31 - (s % 31);
  return CREDIT_ALPHABET[c === 31 ? 0 : c];
}

/** both checks of an 18-character 统一社会信用代码 (and its shape: region digits, alphabet) */
export function validCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  if (orgCodeCheck(code.slice(8, 16)) !== code[16]) return false;
  return creditCodeCheck(code.slice(0, 17)) === code[17];
}

/** a 机关 credit code: "11", the region's 6 digits, an organisation code, the check character */
function makeCreditCode(region6: string, orgBody8: string): string {
  const first17 = `11${region6}${orgBody8}${orgCodeCheck(orgBody8)}`;
  return first17 + creditCodeCheck(first17);
}

// ---------------------------------------------------------------------------
// The province's geography (real 江苏 cities and county-level units with their codes)
// ---------------------------------------------------------------------------

interface CityDef {
  name: string;
  code: string;
  counties: [string, string][];
}

const PROVINCE = { name: '江苏省', code: '320000' };

const CITIES: CityDef[] = [
  {
    name: '南京市',
    code: '320100',
    counties: [
      ['玄武区', '320102'],
      ['秦淮区', '320104'],
      ['建邺区', '320105'],
      ['鼓楼区', '320106'],
      ['浦口区', '320111'],
      ['栖霞区', '320113'],
      ['雨花台区', '320114'],
      ['江宁区', '320115'],
      ['六合区', '320116'],
      ['溧水区', '320117'],
      ['高淳区', '320118'],
    ],
  },
  {
    name: '无锡市',
    code: '320200',
    counties: [
      ['锡山区', '320205'],
      ['惠山区', '320206'],
      ['滨湖区', '320211'],
      ['梁溪区', '320213'],
      ['新吴区', '320214'],
      ['江阴市', '320281'],
      ['宜兴市', '320282'],
    ],
  },
  {
    name: '徐州市',
    code: '320300',
    counties: [
      ['鼓楼区', '320302'],
      ['云龙区', '320303'],
      ['贾汪区', '320305'],
      ['泉山区', '320311'],
      ['铜山区', '320312'],
      ['丰县', '320321'],
      ['沛县', '320322'],
      ['睢宁县', '320324'],
      ['新沂市', '320381'],
      ['邳州市', '320382'],
    ],
  },
  {
    name: '常州市',
    code: '320400',
    counties: [
      ['天宁区', '320402'],
      ['钟楼区', '320404'],
      ['新北区', '320411'],
      ['武进区', '320412'],
      ['金坛区', '320413'],
      ['溧阳市', '320481'],
    ],
  },
  {
    name: '苏州市',
    code: '320500',
    counties: [
      ['虎丘区', '320505'],
      ['吴中区', '320506'],
      ['相城区', '320507'],
      ['姑苏区', '320508'],
      ['吴江区', '320509'],
      ['常熟市', '320581'],
      ['张家港市', '320582'],
      ['昆山市', '320583'],
      ['太仓市', '320585'],
    ],
  },
  {
    name: '南通市',
    code: '320600',
    counties: [
      ['通州区', '320612'],
      ['崇川区', '320613'],
      ['海门区', '320614'],
      ['如东县', '320623'],
      ['启东市', '320681'],
      ['如皋市', '320682'],
      ['海安市', '320685'],
    ],
  },
  {
    name: '连云港市',
    code: '320700',
    counties: [
      ['连云区', '320703'],
      ['海州区', '320706'],
      ['赣榆区', '320707'],
      ['东海县', '320722'],
      ['灌云县', '320723'],
      ['灌南县', '320724'],
    ],
  },
  {
    name: '淮安市',
    code: '320800',
    counties: [
      ['淮安区', '320803'],
      ['淮阴区', '320804'],
      ['清江浦区', '320812'],
      ['洪泽区', '320813'],
      ['涟水县', '320826'],
      ['盱眙县', '320830'],
      ['金湖县', '320831'],
    ],
  },
  {
    name: '盐城市',
    code: '320900',
    counties: [
      ['亭湖区', '320902'],
      ['盐都区', '320903'],
      ['大丰区', '320904'],
      ['响水县', '320921'],
      ['滨海县', '320922'],
      ['阜宁县', '320923'],
      ['射阳县', '320924'],
      ['建湖县', '320925'],
      ['东台市', '320981'],
    ],
  },
  {
    name: '扬州市',
    code: '321000',
    counties: [
      ['广陵区', '321002'],
      ['邗江区', '321003'],
      ['江都区', '321012'],
      ['宝应县', '321023'],
      ['仪征市', '321081'],
      ['高邮市', '321084'],
    ],
  },
  {
    name: '镇江市',
    code: '321100',
    counties: [
      ['京口区', '321102'],
      ['润州区', '321111'],
      ['丹徒区', '321112'],
      ['丹阳市', '321181'],
      ['扬中市', '321182'],
      ['句容市', '321183'],
    ],
  },
  {
    name: '泰州市',
    code: '321200',
    counties: [
      ['海陵区', '321202'],
      ['高港区', '321203'],
      ['姜堰区', '321204'],
      ['兴化市', '321281'],
      ['靖江市', '321282'],
      ['泰兴市', '321283'],
    ],
  },
  {
    name: '宿迁市',
    code: '321300',
    counties: [
      ['宿城区', '321302'],
      ['宿豫区', '321311'],
      ['沭阳县', '321322'],
      ['泗阳县', '321323'],
      ['泗洪县', '321324'],
    ],
  },
];

/** 洪泽区's towns and sub-districts (real names); other counties' are made up */
const HONGZE_TOWNSHIPS = ['高良涧街道', '朱坝街道', '黄集街道', '岔河镇', '西顺河镇', '老子山镇', '三河镇', '蒋坝镇', '东双沟镇'];

const TOWN_FIRST = Array.from(
  '新东西南北大小高双三马龙凤金石黄白青长永太安平兴古沙柳桃梅杨蒋朱王李张刘陈周吴孙胡郭何林罗谢唐冯董程曹袁许沈彭吕卢丁魏薛叶潘杜戴钟汪田姜范姚谭廖邹熊陆郝孔崔毛邱秦史顾侯邵孟万段',
);
const TOWN_SECOND = Array.from('集庄河桥港口埠塘圩墩沟湾店庙湖山岭坝洲营铺坊阳楼园林泉丰台渡滩堡寨岗垛荡闸');

/** [name suffix, domain] of departments */
type DeptDef = [string, string];

const PROVINCE_DEPTS: DeptDef[] = [
  ['人民政府办公厅', 'office'],
  ['发展和改革委员会', 'development'],
  ['教育厅', 'education'],
  ['科学技术厅', 'science'],
  ['工业和信息化厅', 'industry'],
  ['民族宗教事务委员会', 'general'],
  ['公安厅', 'police'],
  ['民政厅', 'civil'],
  ['司法厅', 'justice'],
  ['财政厅', 'finance'],
  ['人力资源和社会保障厅', 'hr'],
  ['自然资源厅', 'land'],
  ['生态环境厅', 'environment'],
  ['住房和城乡建设厅', 'housing'],
  ['交通运输厅', 'transport'],
  ['水利厅', 'water'],
  ['农业农村厅', 'agri'],
  ['商务厅', 'commerce'],
  ['文化和旅游厅', 'culture'],
  ['卫生健康委员会', 'health'],
  ['退役军人事务厅', 'veterans'],
  ['应急管理厅', 'emergency'],
  ['审计厅', 'audit'],
  ['人民政府外事办公室', 'general'],
  ['人民政府国有资产监督管理委员会', 'general'],
  ['市场监督管理局', 'market'],
  ['广播电视局', 'culture'],
  ['体育局', 'general'],
  ['统计局', 'stats'],
  ['地方金融监督管理局', 'general'],
  ['医疗保障局', 'medical'],
  ['人民政府研究室', 'office'],
  ['信访局', 'general'],
  ['粮食和物资储备局', 'development'],
  ['能源局', 'development'],
  ['监狱管理局', 'justice'],
  ['药品监督管理局', 'market'],
  ['知识产权局', 'market'],
  ['机关事务管理局', 'general'],
  ['林业局', 'agri'],
];

/** the first ones are kept in every city (and in the small province) */
const CITY_DEPTS: DeptDef[] = [
  ['人民政府办公室', 'office'],
  ['教育局', 'education'],
  ['财政局', 'finance'],
  ['卫生健康委员会', 'health'],
  ['市场监督管理局', 'market'],
  ['自然资源和规划局', 'land'],
  ['地方金融监督管理局', 'general'],
  ['公安局', 'police'],
  ['发展和改革委员会', 'development'],
  ['科学技术局', 'science'],
  ['工业和信息化局', 'industry'],
  ['民政局', 'civil'],
  ['司法局', 'justice'],
  ['人力资源和社会保障局', 'hr'],
  ['生态环境局', 'environment'],
  ['住房和城乡建设局', 'housing'],
  ['城市管理局', 'housing'],
  ['交通运输局', 'transport'],
  ['水利局', 'water'],
  ['农业农村局', 'agri'],
  ['商务局', 'commerce'],
  ['文化广电和旅游局', 'culture'],
  ['退役军人事务局', 'veterans'],
  ['应急管理局', 'emergency'],
  ['审计局', 'audit'],
  ['人民政府国有资产监督管理委员会', 'general'],
  ['体育局', 'general'],
  ['统计局', 'stats'],
  ['医疗保障局', 'medical'],
  ['行政审批局', 'general'],
  ['信访局', 'general'],
  ['机关事务管理局', 'general'],
];

const COUNTY_DEPTS: DeptDef[] = [
  ['人民政府办公室', 'office'],
  ['教育局', 'education'],
  ['财政局', 'finance'],
  ['民政局', 'civil'],
  ['文化广电和旅游局', 'culture'],
  ['卫生健康委员会', 'health'],
  ['市场监督管理局', 'market'],
  ['发展和改革委员会', 'development'],
  ['公安局', 'police'],
  ['司法局', 'justice'],
  ['人力资源和社会保障局', 'hr'],
  ['自然资源和规划局', 'land'],
  ['住房和城乡建设局', 'housing'],
  ['交通运输局', 'transport'],
  ['水务局', 'water'],
  ['农业农村局', 'agri'],
  ['商务局', 'commerce'],
  ['退役军人事务局', 'veterans'],
  ['应急管理局', 'emergency'],
  ['审计局', 'audit'],
  ['统计局', 'stats'],
  ['医疗保障局', 'medical'],
];

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

export interface ProvinceOptions {
  seed?: number;
  /** 'full': ~3,000 bodies; 'small': ~70 bodies of the same shape */
  scale?: 'full' | 'small';
  /** report years, default 2020–2024 */
  years?: number[];
}

/** a body of the directory, with its parent by name and what the generator needs about it */
export interface ProvinceBody extends Body {
  /** the parent's (current) name, null for the province government */
  parent: string | null;
  /** the kind of work (vocabulary of its narratives and size of its figures): 'education', 'township', … */
  domain: string;
  /** the place the body belongs to: '江苏省', '淮安市', '洪泽区', '岔河镇' */
  place: string;
  /** the place above it, put in front of the name in a “prefixed” report ('淮安市' for 洪泽区's bodies) */
  higherPlace: string | null;
}

export const DIRECTORY_HEADERS = [
  '名称',
  '曾用名',
  '别名',
  '层级',
  '类型',
  '上级机关',
  '行政区划代码',
  '区划代码年份',
  '统一社会信用代码',
  '起始年度',
  '终止年度',
] as const;
export type DirectoryHeader = (typeof DIRECTORY_HEADERS)[number];
/**
 * a directory row, every value a string ('' when empty). 曾用名: “旧名（至2021年）”, several
 * separated by “；”; 别名: names separated by “；”; 层级: TIER_ZH (省级, 市级, 县级, 乡镇（街道）);
 * 类型: BODY_KIND_ZH (人民政府, 政府部门); 上级机关: the parent's name.
 */
export type DirectoryRow = Record<DirectoryHeader, string>;

export type CaseKind = 'plain' | 'missing' | 'late' | 'error' | 'copier' | 'source' | 'repeated' | 'edited' | 'misspelled' | 'prefixed';

export type ErrorKind = 'review-total' | 'balance' | 'outcome' | 'row' | 'row-outcome';

export interface ProvinceReport {
  /** the body's current name */
  body: string;
  bodyId: number;
  year: number;
  /** 1, or 2 for the edited second version */
  version: number;
  /** the last version of the body-year */
  latest: boolean;
  case: CaseKind;
  report: Report;
}

export interface ExpectedStatus {
  state: FilingState;
  publishedOn: string | null;
  daysLate: number | null;
  /** "YYYY-MM-DD" */
  deadline: string;
  /** `check()` of the (latest) report finds an error-severity diagnostic (late reports included: publication-deadline) */
  errors: boolean;
  /** the error-severity rule ids `check()` gives for the latest report, sorted */
  errorRules: string[];
  /** how many error-severity diagnostics `check()` gives for the latest report */
  errorCount: number;
  /** the table cells were broken on purpose (the `error` case) */
  tableErrors: boolean;
  /** stored versions: 0 unpublished, 2 for an edited report */
  versions: number;
  /** the agency as printed on the report (former, misspelled or prefixed names), null when unpublished */
  agency: string | null;
  case: CaseKind;
}

export interface BrokenCell {
  path: string;
  before: number;
  after: number;
}

export interface Expected {
  /** every body-year the body must report for, keyed `${bodyName}|${year}` (current name) */
  status: Map<string, ExpectedStatus>;
  /**
   * Σ of every table cell (flat keys `table.row.column`, see the module comment) of the latest
   * reports of every body in the subtree of `regionBodyName` (itself included) for `year`,
   * computed from the Reports. Money exact to 0.0001 万元. Throws for an unknown body.
   */
  totals: (regionBodyName: string, year: number) => Record<string, number>;
  /** b's 一、总体情况 copies most of a's (same year) */
  copies: { year: number; a: string; b: string; aId: number; bId: number; section: 'overview'; kept: number }[];
  /** the body's overview copies most of its own previous year's */
  repeated: { body: string; year: number; previousYear: number; section: 'overview'; kept: number }[];
  /** a second version with one changed cell (version 2 is the latest) */
  edited: { body: string; year: number; path: string; before: number; after: number; versions: 2 }[];
  /** the agency printed with one wrong character: needs confirmation before it is attached */
  misspelled: { body: string; year: number; agency: string }[];
  /** the agency printed with the higher region in front: matches with high confidence */
  prefixed: { body: string; year: number; agency: string }[];
  /** reports printed under a former name (renamed bodies, before the rename) */
  formerNames: { body: string; year: number; agency: string }[];
  missing: { body: string; year: number }[];
  late: { body: string; year: number; publishedOn: string; deadline: string; daysLate: number }[];
  /** the broken tables: the rules `check()` must give (error severity), and the cells changed */
  errors: { body: string; year: number; kind: ErrorKind; rules: string[]; count: number; cells: BrokenCell[] }[];
}

export interface Province {
  seed: number;
  scale: 'full' | 'small';
  years: number[];
  name: string;
  regionCode: string;
  /** parents before children; `id` is the 1-based position */
  bodies: ProvinceBody[];
  byName: Map<string, ProvinceBody>;
  /** the directory as rows with Chinese headers (DIRECTORY_HEADERS), in the order of `bodies` */
  rows: DirectoryRow[];
  /** every version of every published report, by body then year */
  reports: ProvinceReport[];
  /** `${bodyName}|${year}` → its versions, oldest first */
  reportsOf: Map<string, ProvinceReport[]>;
  expected: Expected;
}

// ---------------------------------------------------------------------------
// The tree
// ---------------------------------------------------------------------------

interface Draft {
  name: string;
  tier: Tier;
  kind: BodyKind;
  parent: Draft | null;
  domain: string;
  place: string;
  higherPlace: string | null;
  regionCode: string | null;
  /** the 6 digits of the credit code's registration region */
  creditRegion: string;
  aliases: BodyAlias[];
  activeFrom: number | null;
  activeUntil: number | null;
}

function buildTree(rng: Rng, scale: 'full' | 'small', years: number[]): Draft[] {
  const out: Draft[] = [];
  const add = (d: Omit<Draft, 'aliases' | 'activeFrom' | 'activeUntil'>): Draft => {
    const draft: Draft = { ...d, aliases: [], activeFrom: null, activeUntil: null };
    out.push(draft);
    return draft;
  };
  const small = scale === 'small';
  const province = add({
    name: `${PROVINCE.name}人民政府`,
    tier: 'province',
    kind: 'government',
    parent: null,
    domain: 'government',
    place: PROVINCE.name,
    higherPlace: null,
    regionCode: PROVINCE.code,
    creditRegion: PROVINCE.code,
  });
  for (const [suffix, domain] of small ? PROVINCE_DEPTS.slice(0, 10) : PROVINCE_DEPTS) {
    add({
      name: PROVINCE.name + suffix,
      tier: 'province',
      kind: 'department',
      parent: province,
      domain,
      place: PROVINCE.name,
      higherPlace: null,
      regionCode: null,
      creditRegion: PROVINCE.code,
    });
  }

  const cities: CityDef[] = small
    ? [
        { ...CITIES[7], counties: [CITIES[7].counties[3], CITIES[7].counties[4]] },
        { ...CITIES[12], counties: [CITIES[12].counties[2]] },
      ]
    : CITIES;
  // a county name used in two cities is qualified by its city (南京市鼓楼区, 徐州市鼓楼区)
  const countyNames = new Map<string, number>();
  for (const c of cities) for (const [n] of c.counties) countyNames.set(n, (countyNames.get(n) ?? 0) + 1);
  const usedTownNames = new Set<string>(HONGZE_TOWNSHIPS.map((t) => t.replace(/(镇|乡|街道)$/, '')));

  for (const city of cities) {
    const cityGov = add({
      name: `${city.name}人民政府`,
      tier: 'city',
      kind: 'government',
      parent: province,
      domain: 'government',
      place: city.name,
      higherPlace: PROVINCE.name,
      regionCode: city.code,
      creditRegion: city.code,
    });
    const depts = small ? CITY_DEPTS.slice(0, 8) : CITY_DEPTS.filter((_, i) => i < 8 || rng.chance(0.92));
    for (const [suffix, domain] of depts) {
      add({
        name: city.name + suffix,
        tier: 'city',
        kind: 'department',
        parent: cityGov,
        domain,
        place: city.name,
        higherPlace: PROVINCE.name,
        regionCode: null,
        creditRegion: city.code,
      });
    }
    for (const [county, code] of city.counties) {
      const qualified = (countyNames.get(county) ?? 0) > 1 ? city.name + county : county;
      const countyGov = add({
        name: `${qualified}人民政府`,
        tier: 'county',
        kind: 'government',
        parent: cityGov,
        domain: 'government',
        place: county,
        higherPlace: qualified === county ? city.name : null,
        regionCode: code,
        creditRegion: code,
      });
      const cdepts = small ? COUNTY_DEPTS.slice(0, 7) : COUNTY_DEPTS.filter((_, i) => i < 7 || rng.chance(0.75));
      for (const [suffix, domain] of cdepts) {
        add({
          name: qualified + suffix,
          tier: 'county',
          kind: 'department',
          parent: countyGov,
          domain,
          place: county,
          higherPlace: qualified === county ? city.name : null,
          regionCode: null,
          creditRegion: code,
        });
      }
      // townships: 8–10 (small: 5), 街道 first (codes 001–), then 镇 (100–) and 乡 (200–)
      let towns: string[];
      if (county === '洪泽区') towns = small ? HONGZE_TOWNSHIPS.slice(1, 6) : [...HONGZE_TOWNSHIPS];
      else {
        const n = small ? 5 : rng.int(8, 10);
        const district = county.endsWith('区');
        towns = [];
        while (towns.length < n) {
          const base = rng.pick(TOWN_FIRST) + rng.pick(TOWN_SECOND);
          if (usedTownNames.has(base) || county.startsWith(base) || city.name.startsWith(base)) continue;
          usedTownNames.add(base);
          const u = rng.float();
          const kind = district ? (u < 0.55 ? '街道' : u < 0.95 ? '镇' : '乡') : u < 0.2 ? '街道' : u < 0.85 ? '镇' : '乡';
          towns.push(base + kind);
        }
      }
      const order = (t: string) => (t.endsWith('街道') ? 0 : t.endsWith('镇') ? 1 : 2);
      towns.sort((a, b) => order(a) - order(b));
      const next = [1, 100, 200];
      for (const t of towns) {
        const k = order(t);
        const townCode = code + String(next[k]++).padStart(3, '0');
        add({
          name: t.endsWith('街道') ? `${t}办事处` : `${t}人民政府`,
          tier: 'township',
          kind: 'government',
          parent: countyGov,
          domain: 'township',
          place: t,
          higherPlace: qualified === county ? county : null,
          regionCode: townCode,
          creditRegion: code,
        });
      }
    }
  }

  decorate(rng, out, small, years);
  return out;
}

/** renames, aliases, bodies created and abolished during the period */
function decorate(rng: Rng, drafts: Draft[], small: boolean, years: number[]): void {
  const names = new Set(drafts.map((d) => d.name));
  const touched = new Set<Draft>();
  const last = years[years.length - 1];

  // created: a city's 数据局 (the 2024 reform) reporting from the last year; a new 街道
  if (years.length >= 3) {
    const cityGovs = drafts.filter((d) => d.tier === 'city' && d.kind === 'government');
    for (const gov of rng.sample(cityGovs, small ? 1 : 3)) {
      const draft: Draft = {
        name: `${gov.place}数据局`,
        tier: 'city',
        kind: 'department',
        parent: gov,
        domain: 'office',
        place: gov.place,
        higherPlace: gov.higherPlace,
        regionCode: null,
        creditRegion: gov.creditRegion,
        aliases: [],
        activeFrom: last,
        activeUntil: null,
      };
      // after the city's last department
      let at = drafts.indexOf(gov) + 1;
      while (at < drafts.length && drafts[at].parent === gov && drafts[at].kind === 'department') at++;
      drafts.splice(at, 0, draft);
      names.add(draft.name);
      touched.add(draft);
    }
    // abolished: 地方金融监督管理局 (merged into the Party committee's 金融办) after the year before last
    const finance = drafts.filter((d) => d.tier === 'city' && d.name.endsWith('地方金融监督管理局'));
    for (const d of rng.sample(finance, small ? 1 : 3)) {
      d.activeUntil = years[years.length - 2];
      touched.add(d);
    }
    // a township merged into its neighbour (abolished), and one created from part of it
    const towns = drafts.filter((d) => d.tier === 'township' && !touched.has(d));
    const merged = rng.pick(towns);
    merged.activeUntil = years[1];
    touched.add(merged);
    if (!small) {
      const created = rng.pick(towns.filter((t) => !touched.has(t) && t.name.endsWith('镇人民政府')));
      created.activeFrom = years[2];
      touched.add(created);
    }
  }

  // renamed: 文化广电和旅游局 → 文化体育和旅游局, 乡 → 镇 (撤乡设镇), 镇 → 街道 (撤镇设街道)
  if (years.length >= 2) {
    const renames: [Draft, string][] = [];
    const culture = drafts.filter((d) => d.tier === 'county' && d.name.endsWith('文化广电和旅游局'));
    for (const d of rng.sample(culture, small ? 1 : 3)) renames.push([d, d.name.replace(/文化广电和旅游局$/, '文化体育和旅游局')]);
    const xiang = drafts.filter((d) => !touched.has(d) && d.name.endsWith('乡人民政府'));
    for (const d of rng.sample(xiang, small ? 0 : 2)) renames.push([d, d.name.replace(/乡人民政府$/, '镇人民政府')]);
    const zhen = drafts.filter((d) => !touched.has(d) && d.name.endsWith('镇人民政府') && d.place !== '岔河镇');
    for (const d of rng.sample(zhen, small ? 1 : 3)) renames.push([d, d.name.replace(/镇人民政府$/, '街道办事处')]);
    for (const [d, to] of renames) {
      if (names.has(to) || touched.has(d)) continue;
      const until = years[rng.int(0, years.length - 2)];
      d.aliases.push({ name: d.name, kind: 'former', until });
      names.add(to);
      d.name = to;
      if (d.tier === 'township') d.place = to.replace(/(人民政府|办事处)$/, '');
      touched.add(d);
    }
  }

  // aliases in use: 省政府办公厅, 卫健委, 人社局, 政府办
  const shortForms: [RegExp, string][] = [
    [/人民政府办公厅$/, '政府办公厅'],
    [/卫生健康委员会$/, '卫健委'],
    [/人力资源和社会保障局$/, '人社局'],
    [/人民政府办公室$/, '政府办'],
    [/市场监督管理局$/, '市场监管局'],
  ];
  const candidates = drafts.filter((d) => d.kind === 'department' && !touched.has(d) && shortForms.some(([re]) => re.test(d.name)));
  const first = drafts.find((d) => d.name === `${PROVINCE.name}人民政府办公厅`);
  const chosen = [...(first ? [first] : []), ...rng.sample(candidates, small ? 1 : 6)];
  for (const d of chosen) {
    const [re, short] = shortForms.find(([r]) => r.test(d.name))!;
    const alias = d.name.replace(re, short);
    if (names.has(alias) || d.aliases.some((a) => a.name === alias)) continue;
    d.aliases.push({ name: alias, kind: 'alias', until: null });
    names.add(alias);
    touched.add(d);
  }
}

function finishBodies(rng: Rng, drafts: Draft[], years: number[]): ProvinceBody[] {
  const ids = new Map<Draft, number>();
  drafts.forEach((d, i) => {
    ids.set(d, i + 1);
  });
  const usedOrg = new Set<string>();
  const codeYear = years[years.length - 1];
  return drafts.map((d, i) => {
    let org: string;
    do org = String(rng.int(0, 99_999_999)).padStart(8, '0');
    while (usedOrg.has(org));
    usedOrg.add(org);
    return {
      id: i + 1,
      name: d.name,
      aliases: d.aliases,
      tier: d.tier,
      kind: d.kind,
      parentId: d.parent ? ids.get(d.parent)! : null,
      regionCode: d.regionCode,
      regionCodeYear: d.regionCode ? codeYear : null,
      creditCode: makeCreditCode(d.creditRegion, org),
      activeFrom: d.activeFrom,
      activeUntil: d.activeUntil,
      parent: d.parent ? d.parent.name : null,
      domain: d.domain,
      place: d.place,
      higherPlace: d.higherPlace,
    };
  });
}

function directoryRow(b: ProvinceBody): DirectoryRow {
  const former = b.aliases.filter((a) => a.kind === 'former');
  const alias = b.aliases.filter((a) => a.kind === 'alias');
  return {
    名称: b.name,
    曾用名: former.map((a) => (a.until ? `${a.name}（至${a.until}年）` : a.name)).join('；'),
    别名: alias.map((a) => a.name).join('；'),
    层级: TIER_ZH[b.tier],
    类型: BODY_KIND_ZH[b.kind],
    上级机关: b.parent ?? '',
    行政区划代码: b.regionCode ?? '',
    区划代码年份: b.regionCodeYear === null ? '' : String(b.regionCodeYear),
    统一社会信用代码: b.creditCode ?? '',
    起始年度: b.activeFrom === null ? '' : String(b.activeFrom),
    终止年度: b.activeUntil === null ? '' : String(b.activeUntil),
  };
}

/** does the body have to report for the year */
export function activeIn(b: Pick<Body, 'activeFrom' | 'activeUntil'>, year: number): boolean {
  return (b.activeFrom === null || b.activeFrom <= year) && (b.activeUntil === null || b.activeUntil >= year);
}

/** the name the body used in a year: its former name up to the year of `until` */
export function nameIn(b: Pick<Body, 'name' | 'aliases'>, year: number): string {
  const former = b.aliases
    .filter((a) => a.kind === 'former' && a.until !== null && a.until !== undefined && a.until >= year)
    .sort((x, y) => (x.until ?? 0) - (y.until ?? 0));
  return former.length > 0 ? former[0].name : b.name;
}

/** the statutory deadline of a body's report for a year, "YYYY-MM-DD" */
export function deadlineFor(b: Pick<Body, 'kind'>, year: number): string {
  return `${year + 1}-${STATUTORY_DEADLINES[b.kind]}`;
}

export function formatOf(year: number): FormatVersion {
  return year >= 2021 ? '2021' : '2019';
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

const DAY = 86_400_000;
function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}
function daysFrom(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);
}

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

const PARTS = APPLICANT_COLUMNS.filter((c) => c.key !== 'total').map((c) => c.key);

/** Σ of the parts, to `total` ints, in proportion to jittered weights (the remainder given at random by weight) */
function allocate(rng: Rng, total: number, weights: readonly number[]): number[] {
  const w = weights.map((x) => x * (0.4 + 1.2 * rng.float()));
  const W = w.reduce((a, b) => a + b, 0);
  const out = w.map((x) => Math.floor((total * x) / W));
  let rest = total - out.reduce((a, b) => a + b, 0);
  while (rest-- > 0) {
    let u = rng.float() * W;
    let i = 0;
    while (i < w.length - 1 && u >= w[i]) u -= w[i++];
    out[i]++;
  }
  return out;
}

const LEAF_WEIGHT: Record<string, number> = {
  granted: 34,
  partlyGranted: 7,
  withheldStateSecret: 0.3,
  withheldLawProhibited: 0.8,
  withheldSecurityStability: 0.4,
  withheldThirdParty: 1.5,
  withheldInternalAffairs: 1,
  withheldProcessInfo: 1.8,
  withheldEnforcementFile: 0.7,
  withheldQueryMatter: 1.2,
  unableNotHeld: 24,
  unableNeedsCreation: 3,
  unableUnclear: 2,
  notProcessedComplaint: 3,
  notProcessedDuplicate: 2,
  notProcessedPublication: 0.6,
  notProcessedExcessive: 1,
  notProcessedConfirmation: 0.8,
  otherNoCorrection: 3,
  otherFeeUnpaid: 0.2,
  otherOther: 4,
  otherHandling: 7,
};

const COLUMN_WEIGHT = [86, 7, 0.8, 0.8, 3, 2.4];

const DOMAIN_APPS: Record<string, number> = {
  land: 3,
  housing: 2.5,
  police: 1.8,
  hr: 1.4,
  market: 1.3,
  civil: 1.1,
  office: 1.6,
  agri: 1.1,
  transport: 1.1,
  environment: 1.2,
  stats: 0.3,
  audit: 0.3,
  science: 0.4,
  general: 0.5,
};

/** the usual number of applications a year */
function appScale(b: ProvinceBody): number {
  const base =
    b.tier === 'province'
      ? b.kind === 'government'
        ? 320
        : 60
      : b.tier === 'city'
        ? b.kind === 'government'
          ? 160
          : 26
        : b.tier === 'county'
          ? b.kind === 'government'
            ? 70
            : 9
          : 2.2;
  return base * (DOMAIN_APPS[b.domain] ?? 1);
}

/** the state of a body carried from year to year */
interface BodyState {
  forward: number[];
  regsInForce: number;
  docsInForce: number;
  docsTotal2019: number;
  regsTotal2019: number;
  items: Record<string, number>;
  fees2019: number;
  decisions: Record<string, number>;
}

const DECISION_DOMAINS: Record<string, Record<string, number>> = {
  licensing: {
    general: 30,
    market: 3000,
    housing: 1200,
    transport: 1500,
    land: 900,
    health: 600,
    education: 120,
    agri: 400,
    environment: 300,
    culture: 200,
    police: 2500,
    civil: 150,
    hr: 300,
    water: 200,
    development: 150,
    township: 20,
    government: 40,
  },
  punishment: {
    general: 2,
    market: 400,
    police: 3000,
    environment: 120,
    transport: 600,
    housing: 150,
    land: 80,
    health: 90,
    emergency: 70,
    agri: 40,
    culture: 30,
    water: 20,
    township: 3,
    government: 2,
  },
  enforcement: {
    general: 0,
    market: 40,
    police: 300,
    environment: 30,
    transport: 50,
    housing: 10,
    land: 8,
    health: 5,
    emergency: 12,
    township: 0,
    government: 0,
  },
};
const TIER_DECISIONS: Record<Tier, number> = { national: 1, province: 0.6, city: 1, county: 0.7, township: 1 };

function initialState(rng: Rng, b: ProvinceBody, firstYear: boolean): BodyState {
  const scale = appScale(b);
  const forward = firstYear ? allocate(rng, Math.floor(scale * 0.04 * rng.spread()), COLUMN_WEIGHT) : PARTS.map(() => 0);
  const makesRegs = b.kind === 'government' && (b.tier === 'province' || b.tier === 'city');
  const docsBase = b.tier === 'township' ? rng.int(0, 6) : b.kind === 'government' ? rng.int(30, 260) : rng.int(4, 90);
  const decisions: Record<string, number> = {};
  for (const [key, table] of Object.entries(DECISION_DOMAINS)) {
    const base = table[b.domain] ?? table.general ?? 0;
    decisions[key] = Math.round(base * TIER_DECISIONS[b.tier] * rng.spread());
  }
  return {
    forward,
    regsInForce: makesRegs ? rng.int(b.tier === 'province' ? 150 : 25, b.tier === 'province' ? 280 : 90) : 0,
    docsInForce: docsBase,
    docsTotal2019: docsBase + rng.int(0, 40),
    regsTotal2019: makesRegs ? rng.int(30, 300) : 0,
    items: {
      licensing: Math.round((decisions.licensing > 0 ? 20 : 0) * rng.spread()),
      otherServices: Math.round(12 * rng.spread()),
      punishment: Math.round((decisions.punishment > 0 ? 30 : 0) * rng.spread()),
      enforcement: Math.round((decisions.enforcement > 0 ? 6 : 0) * rng.spread()),
    },
    fees2019: b.kind === 'department' ? rng.int(0, 4) : 0,
    decisions,
  };
}

function appRow(values: number[]): ApplicationRow {
  const r = {} as ApplicationRow;
  PARTS.forEach((c, i) => {
    r[c] = values[i];
  });
  r.total = values.reduce((a, b) => a + b, 0);
  return r;
}

function reviewGroup(values: number[]): ReviewGroup {
  return { upheld: values[0], corrected: values[1], other: values[2], pending: values[3], total: values.reduce((a, b) => a + b, 0) };
}

function makeApplications(rng: Rng, b: ProvinceBody, format: FormatVersion, st: BodyState): Record<string, ApplicationRow> {
  const defs = applicationRows(format);
  const leaves = defs.filter((d) => d.leaf);
  const scale = appScale(b);
  const zero = b.tier === 'township' ? rng.chance(0.3) : b.kind === 'department' && b.tier === 'county' ? rng.chance(0.08) : false;
  const received = zero ? 0 : Math.round(scale * rng.spread());
  const newCols = allocate(rng, received, COLUMN_WEIGHT);
  const over = st.forward;
  const share = rng.float() * 0.12;
  const forward = PARTS.map((_, c) => {
    const handled = newCols[c] + over[c];
    return Math.min(handled, Math.round(handled * share * (0.5 + rng.float())));
  });
  const outcome = PARTS.map((_, c) => newCols[c] + over[c] - forward[c]);
  const leafWeights = leaves.map((d) => LEAF_WEIGHT[d.key] ?? 1);
  const perColumn = outcome.map((total) => allocate(rng, total, leafWeights));
  const apps: Record<string, ApplicationRow> = {};
  leaves.forEach((d, i) => {
    apps[d.key] = appRow(PARTS.map((_, c) => perColumn[c][i]));
  });
  apps.newReceived = appRow(newCols);
  apps.carriedOver = appRow(over);
  apps.outcomeTotal = appRow(outcome);
  apps.carriedForward = appRow(forward);
  st.forward = forward;
  return Object.fromEntries(defs.map((d) => [d.key, apps[d.key]]));
}

function makeReview(rng: Rng, b: ProvinceBody): ReviewLitigation {
  const scale = appScale(b);
  const group = (share: number) => {
    const n = rng.chance(0.45) ? 0 : Math.round(scale * share * rng.spread());
    return reviewGroup(allocate(rng, n, [6, 1.2, 2, 1.5]));
  };
  return { review: group(0.05), litigationDirect: group(0.025), litigationAfterReview: group(0.01) };
}

/** a money amount in 万元 with 0–4 decimals, as a decimal string */
function money(rng: Rng, scale: number): string {
  if (rng.chance(0.55)) return '0';
  const value = scale * rng.spread();
  const decimals = rng.pick([0, 2, 2, 4]);
  const s = value.toFixed(decimals);
  return Number(s) === 0 ? '0' : s;
}

function makeProactive(rng: Rng, b: ProvinceBody, format: FormatVersion, st: BodyState): Report['proactive'] {
  const decisions = (key: string) => Math.max(0, Math.round(st.decisions[key] * (0.6 + 0.8 * rng.float())));
  const feeScale = ['land', 'housing', 'transport', 'police', 'market'].includes(b.domain) ? 300 : 15;
  const docsIssued = b.tier === 'township' ? rng.int(0, 2) : b.kind === 'government' ? rng.int(2, 24) : rng.int(0, 9);
  if (format === '2021') {
    const regsIssued = st.regsInForce > 0 ? rng.int(0, 8) : 0;
    const regsRepealed = st.regsInForce > 0 ? rng.int(0, Math.min(4, st.regsInForce)) : 0;
    st.regsInForce += regsIssued - regsRepealed;
    const docsRepealed = rng.int(0, Math.min(st.docsInForce, b.tier === 'township' ? 1 : 6));
    st.docsInForce += docsIssued - docsRepealed;
    return {
      regulations: { issued: regsIssued, repealed: regsRepealed, inForce: st.regsInForce },
      normativeDocuments: { issued: docsIssued, repealed: docsRepealed, inForce: st.docsInForce },
      licensing: { decisions: decisions('licensing') },
      punishment: { decisions: decisions('punishment') },
      enforcement: { decisions: decisions('enforcement') },
      fees: { amount: b.kind === 'department' ? money(rng, feeScale) : '0' },
    };
  }
  const regsMade = st.regsTotal2019 > 0 ? rng.int(0, 8) : 0;
  st.regsTotal2019 += regsMade;
  st.docsTotal2019 += docsIssued;
  const item = (key: string): { previous: number; change: number; decisions: number } => {
    const previous = st.items[key] ?? 0;
    const change = Math.max(-previous, rng.int(-4, 5));
    st.items[key] = previous + change;
    return { previous, change, decisions: decisions(key === 'otherServices' ? 'licensing' : key) };
  };
  const feesPrevious = st.fees2019;
  const feesChange = Math.max(-feesPrevious, rng.int(-1, 1));
  st.fees2019 += feesChange;
  const projects = b.tier === 'township' ? rng.int(0, 3) : rng.int(0, 40);
  const amount =
    projects === 0 ? '0' : rng.chance(0.5) ? `${(projects * 12.5 * rng.spread()).toFixed(2)}万元` : `${projects * rng.int(2000, 90000)}元`;
  return {
    regulations: { made: regsMade, published: regsMade, total: st.regsTotal2019 },
    normativeDocuments: { made: docsIssued, published: docsIssued, total: st.docsTotal2019 },
    licensing: item('licensing'),
    otherServices: item('otherServices'),
    punishment: item('punishment'),
    enforcement: item('enforcement'),
    fees: { previous: feesPrevious, change: feesChange },
    procurement: { projects, amount },
  };
}

// ---------------------------------------------------------------------------
// Narratives
// ---------------------------------------------------------------------------

const words = (s: string) => s.trim().split(/\s+/);

const VERBS = words(`深化 推进 完善 健全 优化 规范 强化 落实 拓展 提升 创新 加强 统筹 夯实 压实 细化 畅通 丰富 整合 升级 探索 构建
  推动 建立 修订 梳理 编制 更新 核查 督促 跟踪 对标 用好 盘活 延伸 汇编 归集 上线 开设 改版 迭代 部署 联动 协同 督办 抽查 规整
  精简 充实 织密 扩充 理顺 厘清 打通 巩固 做实 深耕 擦亮 锚定 抓牢 激活 贯通 筑牢 集成 聚合 优选 重塑 拓宽 补齐 校准`);

const NOUNS = words(`政务服务 办事指南 权责清单 政策文件 惠企政策 民生实事 预决算 重大项目 公共资源交易 招标采购 征收补偿 营商环境 市场主体
  审批服务 一网通办 热线工单 人大建议 政协提案 听证程序 民意征集 意见征集 发布平台 政务新媒体 公众号 门户网站 公开栏 便民手册
  基层政务 标准目录 公开目录 公开指南 保密审查 个人隐私 过程信息 备案审查 合法性审核 档案管理 数据开放 数据共享 信息资源
  栏目设置 内容保障 链接检查 错别字巡查 无障碍改造 适老化改造 搜索功能 智能问答 在线访谈 留言办理 满意度评价 办件公示 责任清单
  工作台账 考核细则 培训课程 业务骨干 联络员队伍 信息员 审核流程 发布流程 解读材料 图解产品 短视频 一图读懂 专家解读 政策问答
  政策匹配 政策兑现 免申即享 容缺受理 告知承诺 首问负责 限时办结 帮办代办 跨省通办 政务大厅 自助终端 移动端 数据看板 统计口径
  年度计划 季度调度 月度通报 专项督查 问题清单 整改台账 群众诉求 企业诉求 网格员 议事协商 基层治理 示范点 标准化建设 规范化建设
  信用体系 执法公示 法制审核 政策储备 公共服务 便民利民 会议开放 公众代表 列席制度 办理答复 信息报送 稿件审签 舆情研判 回应机制
  政策直通车 服务专线 涉企收费 中介服务 证明事项 容错机制 评价体系 风险防控 应急处置 决策草案 解读清单 发布会 答问材料`);

const DOMAIN_NOUNS: Record<string, string[]> = {
  education: words('义务教育招生 学前教育 课后服务 学生资助 校园安全 教师招聘 中考政策 民办学校 教育收费 校外培训'),
  health: words('基本公共卫生 家庭医生签约 医疗机构执业 传染病防控 妇幼保健 健康教育 院前急救 医疗质量 卫生监督 爱国卫生'),
  police: words('户籍办理 出入境证件 交通管理 治安管理 反诈宣传 居住证 警情通报 车驾管业务 消防安全 网络安全'),
  civil: words('最低生活保障 特困供养 养老服务机构 殡葬改革 婚姻登记 社会组织登记 临时救助 区划地名 儿童福利 慈善事业'),
  justice: words('法律援助 人民调解 公共法律服务 社区矫正 普法宣传 复议应诉 律师管理 公证服务 法治督察 司法鉴定'),
  finance: words('预算执行 政府债务 直达资金 政府采购 国库集中支付 会计监督 惠农补贴 非税收入 绩效评价 资产管理'),
  hr: words('就业补贴 技能培训 社会保险待遇 劳动争议仲裁 根治欠薪 人才引进 职称评审 事业单位招聘 创业担保贷款 工伤认定'),
  land: words('国土空间规划 土地供应 不动产登记 耕地保护 矿产资源 征地信息 测绘地理信息 地质灾害防治 用地审批 规划许可'),
  environment: words('环境质量 排污许可 环评审批 大气污染防治 水污染防治 环境执法 固体废物 生态保护红线 噪声治理 碳排放'),
  housing: words('保障性租赁住房 老旧小区改造 建筑市场 物业管理 住房公积金 房地产市场 城镇燃气 施工安全 市容环境 城市更新'),
  transport: words('道路运输 农村公路 公交线路 出租汽车 航道管理 交通建设项目 超限治理 客运站场 网约车 港口管理'),
  water: words('河湖长制 防汛抗旱 水资源管理 农田水利 饮用水安全 水土保持 水利工程 节约用水 河道采砂 水文监测'),
  agri: words('高标准农田 农业补贴 种业振兴 动物防疫 农产品质量 农村宅基地 农机购置 家庭农场 林长制 秸秆利用'),
  commerce: words('外贸稳增长 消费促进 招商引资 商贸流通 电子商务 外资企业 成品油流通 展会活动 老字号 步行街'),
  culture: words('公共文化服务 文物保护 旅游市场 非遗传承 广播电视 文化市场执法 图书馆 全民阅读 景区管理 文艺演出'),
  veterans: words('优抚对象 退役安置 双拥工作 烈士褒扬 就业创业扶持 军休服务 光荣牌 困难帮扶 英烈纪念设施 权益维护'),
  emergency: words('安全生产 应急预案 自然灾害救助 危险化学品 森林防灭火 应急物资储备 隐患排查 救援队伍 防灾减灾 事故调查'),
  audit: words('审计结果 审计整改 经济责任审计 专项审计调查 政府投资审计 审计计划 问题线索 审计公告 内部审计 预算执行审计'),
  market: words('食品安全抽检 特种设备 价格监督 市场主体登记 知识产权保护 计量检定 广告监测 消费维权 药品安全 产品质量'),
  stats: words('统计公报 统计数据发布 经济普查 人口抽样调查 统计执法 数据质量 统计年鉴 统计调查项目 农业普查 统计监测'),
  medical: words('医保目录 异地就医 医保基金监管 集中带量采购 门诊共济 医疗救助 医保支付 定点医药机构 长期护理保险 医保经办'),
  office: words('政府常务会议 重大行政决策 政府工作报告 政策文件库 建议提案办理 政务督查 政府公报 新闻发布 决策预公开 会议纪要'),
  development: words('重大项目 价格管理 节能审查 粮食安全 社会信用 招投标监管 项目审批 规划纲要 能源保供 物资储备'),
  science: words('科技项目 高新技术企业 科技成果转化 科技特派员 创新平台 研发投入 科普活动 技术合同 孵化载体 科技金融'),
  industry: words('工业运行 中小企业 数字化转型 专精特新 工业园区 节能降耗 无线电管理 产业政策 智能制造 电力保障'),
  government: words('财政预决算 重大建设项目 政府工作报告 国民经济计划 乡村振兴 城乡规划 重大行政决策 民生工程 生态建设 营商环境建设'),
  township: words('村务公开 居务公开 乡村振兴 人居环境整治 便民服务中心 网格化管理 农村集体资产 低保评议 惠农资金 征兵工作'),
  general: words('机构职能 领导分工 年度工作要点 专项资金 项目申报 行业管理 对外交流 业务指导 服务事项 执法检查'),
};

const RESULTS = words(`信息发布更加及时准确 群众获得感不断增强 公开质量稳步提升 办事更加便捷高效 政策知晓率明显提高 回应关切更加主动
  工作规范化水平持续提升 公开内容更加全面 社会监督更加有力 企业群众满意度逐步提高 信息查阅更加方便 公开渠道进一步拓宽
  答复质量明显改善 基层公开更加规范 政策落地见效更快 数据准确性得到保障 服务体验持续优化 公开工作合力进一步形成 管理责任层层压实
  解读形式更加多样 栏目内容保持常态更新 重点信息做到应公开尽公开 公开时效明显缩短 互动交流渠道更加畅通 审核把关更加严格
  问题整改及时到位 信息安全得到有效保障 群众诉求得到及时回应 工作短板得到有效弥补 信息检索更加精准 权力运行更加透明 各方参与更加广泛`);

const CHANNELS = words(`门户网站 政务新媒体 政务公开专区 公开栏 微信公众号 政务微博 新闻发布会 政府公报 政务服务网 便民服务中心 村居公开栏
  短视频平台 电子显示屏 广播电视 报刊 政务服务热线 政务服务大厅 档案馆查阅点 图书馆查阅点 移动客户端`);

const PROBLEMS = words(`更新不够及时 解读形式较为单一 互动回应不够充分 标准化程度不高 业务能力有待提升 栏目设置不够合理 公开内容不够全面
  答复文书不够规范 信息审核把关不严 基层公开基础薄弱 数据开放程度不高 公众参与度不高 信息检索不够便捷 部分链接失效 发布格式不统一
  保密审查流程不细 政策解读针对性不强 公开时效性不足 工作人员变动频繁 考核评价机制不完善 新媒体运营能力不足 办理周期偏长
  主动公开深度不够 专题栏目内容较少 信息分类不够清晰`);

const FOCUS = words('重点工作 中心任务 群众关切 热点问题 民生领域 发展大局 改革任务 基层需求');
const PRINCIPLES = ['谁制作谁公开', '先审查后公开', '一事一审', '应公开尽公开', '公开为常态、不公开为例外', '谁公开谁解读'];
const PARTNERS = words('相关部门 属地乡镇 行业协会 第三方机构 新闻媒体 社区网格 高校专家 律师团队');

const INTROS = [
  '{Y}年，{NAME}坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》，{V}{N}，{V}{D}信息公开，{Q}。',
  '{Y}年，{NAME}认真落实上级关于政务公开工作的部署要求，围绕{D}和{N}，{V}{N}，{Q}。',
  '{Y}年，在上级政务公开主管部门的指导下，{NAME}{V}{N}，{V}{D}，{Q}。',
  '{Y}年以来，{NAME}把政务公开作为{V}{N}的重要抓手，{V}{D}，{Q}。',
  '{Y}年，{NAME}紧紧围绕{FOC}，以{N}为重点，{V}{D}信息公开，{Q}。',
];

const HEADINGS = [
  '（一）主动公开情况。',
  '（二）依申请公开情况。',
  '（三）政府信息管理情况。',
  '（四）平台建设情况。',
  '（五）监督保障情况。',
];

/** sentences for any subsection; fixed runs kept short so that shared text comes from shared words */
const PATTERNS = [
  '{V}{N}和{N}，{Q}。',
  '围绕{D}、{N}等{FOC}，{V}{N}，{Q}。',
  '以{N}为抓手，{V}{D}{N}机制。',
  '坚持{N}与{N}相结合，{V}{D}。',
  '{SELF}{V}{N}，{V}{N}，{Q}。',
  '针对{D}中{P}的情况，{V}{N}，{Q}。',
  '通过{C}{V}{D}信息{m}条，{V}{N}{n}次。',
  '全年{V}{N}{n}项，{V}{D}相关内容{n}个。',
  '同步{V}{D}政策解读{n}篇，采用{N}、{N}等形式，{Q}。',
  '组织{N}专题培训{n}场次，参训人员{m}人次。',
  '依托{C}和{C}，{V}{D}，方便群众查阅。',
  '对{D}相关事项，实行{N}和{N}，{Q}。',
  '在{C}开设“{D}”专栏，集中展示{N}和{N}。',
  '推行{N}{V}模式，{V}{D}全流程公开。',
  '{V}{D}与{N}的衔接，{Q}。',
  '按照“{Z}”要求，{V}{N}，{V}{N}。',
  '召开{D}新闻发布会{n}场，回应社会关切{n}项。',
  '将{N}纳入{N}，{V}{D}，{Q}。',
  '联合{ORG}{V}{D}，{Q}。',
  '{V}{D}动态调整机制，全年{V}{N}{n}次。',
  '聚焦{D}，{V}{N}和{N}，{Q}。',
  '{V}{C}{N}，{V}{D}栏目，{Q}。',
  '对照{N}，逐项{V}{D}，{Q}。',
  '围绕{D}{V}{N}，确保{N}{V}到位。',
  '结合{N}工作，{V}{D}{N}，{Q}。',
  '建立{D}{N}，{V}{N}，做到{Q}。',
];

const PROBLEM_HEADS = ['（一）存在的主要问题。', '（一）存在的不足。', '（一）存在的问题。'];
const PROBLEM_LINES = [
  '一是{D}{P}；二是{N}{P}。',
  '一是{N}{P}；二是{D}{P}；三是{N}{P}。',
  '{N}{P}，{D}{P}，与群众期待还有差距。',
  '对照{N}要求，{D}{P}的问题仍然存在。',
];
const FIX_HEADS = ['（二）改进情况。', '（二）上年度问题整改情况。', '（二）改进措施。'];
const FIX_LINES = [
  '针对上一年度报告指出的{N}{P}问题，{V}{N}，已整改到位。',
  '上年度报告所列{D}{P}的问题，通过{V}{N}、{V}{N}，已得到解决。',
  '下一步，{SELF}将{V}{N}，{V}{D}，{Q}。',
  '一是{V}{N}，{Q}；二是{V}{D}，{Q}。',
  '今后将持续{V}{N}，定期{V}{D}，{Q}。',
  '计划{V}{N}{n}次，{V}{D}，{Q}。',
];

type Sentence = { kind: 'text' | 'fixed'; text: string } | { kind: 'figure'; figure: 'apps' | 'docs' };
/** a narrative as paragraphs of sentences, with {NAME}, {SELF} and {Y} left to fill when written */
type Narrative = Sentence[][];

type Blank = 'V' | 'N' | 'D' | 'Q' | 'C' | 'P' | 'n' | 'm' | 'FOC' | 'Z' | 'ORG';
/** a pattern cut into literal text (even positions) and slots (odd positions) */
const compiled = new Map<string, string[]>();
function compile(pattern: string): string[] {
  let parts = compiled.get(pattern);
  if (!parts) {
    parts = pattern.split(/\{(V|N|D|Q|C|P|n|m|FOC|Z|ORG)\}/);
    compiled.set(pattern, parts);
  }
  return parts;
}

function slotValue(rng: Rng, k: Blank, dn: readonly string[]): string {
  switch (k) {
    case 'V':
      return rng.pick(VERBS);
    case 'N':
      return rng.pick(NOUNS);
    case 'D':
      return rng.chance(0.7) ? rng.pick(dn) : rng.pick(NOUNS);
    case 'Q':
      return rng.pick(RESULTS);
    case 'C':
      return rng.pick(CHANNELS);
    case 'P':
      return rng.pick(PROBLEMS);
    case 'n':
      return String(rng.int(1, 60));
    case 'm':
      return String(rng.int(20, 2400));
    case 'FOC':
      return rng.pick(FOCUS);
    case 'Z':
      return rng.pick(PRINCIPLES);
    default:
      return rng.pick(PARTNERS);
  }
}

function fillPattern(rng: Rng, pattern: string, domain: string): string {
  const dn = DOMAIN_NOUNS[domain] ?? DOMAIN_NOUNS.general;
  const parts = compile(pattern);
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) out += slotValue(rng, parts[i] as Blank, dn) + parts[i + 1];
  return out;
}

function textSentence(rng: Rng, domain: string, patterns: readonly string[] = PATTERNS): Sentence {
  return { kind: 'text', text: fillPattern(rng, rng.pick(patterns), domain) };
}

/** 一、总体情况: an intro and five subsections, `target` characters long or a little more */
function makeOverview(rng: Rng, domain: string, format: FormatVersion, nameLength: number): Narrative {
  const target = rng.int(880, 1560);
  const intro: Sentence[] = [{ kind: 'text', text: fillPattern(rng, rng.pick(INTROS), domain) }];
  const paras: Sentence[][] = [intro, ...HEADINGS.map((h): Sentence[] => [{ kind: 'fixed', text: h }])];
  if (format === '2021') paras[1].push({ kind: 'figure', figure: 'docs' });
  paras[2].push({ kind: 'figure', figure: 'apps' });
  // a lower bound of the written length: the shortest figure sentence is 15 characters
  const approx = (s: Sentence) => (s.kind === 'figure' ? 15 : s.text.length + (s.text.includes('{NAME}') ? nameLength - 6 : 0));
  let length = paras.flat().reduce((a, s) => a + approx(s), 0);
  let i = 0;
  while (length < target) {
    const s = textSentence(rng, domain);
    paras[1 + (i++ % 5)].push(s);
    length += approx(s);
  }
  return paras;
}

function makeProblems(rng: Rng, domain: string): Narrative {
  const target = rng.int(280, 560);
  const a: Sentence[] = [{ kind: 'fixed', text: rng.pick(PROBLEM_HEADS) }, textSentence(rng, domain, PROBLEM_LINES)];
  const b: Sentence[] = [{ kind: 'fixed', text: rng.pick(FIX_HEADS) }, textSentence(rng, domain, FIX_LINES.slice(0, 2))];
  let length = [...a, ...b].reduce((n, s) => n + (s.kind === 'figure' ? 0 : s.text.length), 0);
  while (length < target) {
    const problem = rng.chance(0.3);
    const s = textSentence(rng, domain, problem ? PROBLEM_LINES.slice(2) : FIX_LINES);
    (problem ? a : b).push(s);
    length += s.kind === 'text' ? s.text.length : 0;
  }
  b.push(textSentence(rng, domain, [FIX_LINES[2]]));
  return [a, b];
}

function makeOther(rng: Rng, feeYuan: number): string {
  const fee =
    feeYuan > 0
      ? `依据《政府信息公开信息处理费管理办法》，本年度共收取信息处理费${feeYuan}元。`
      : rng.pick([
          '本年度未收取信息处理费。',
          '{SELF}本年度未收取政府信息公开信息处理费。',
          '依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。',
        ]);
  const extra = rng.pick([
    '',
    '{Y}年，{SELF}办理人大代表建议{n}件、政协提案{n}件，办理结果均已按规定公开。',
    '{SELF}无其他需要报告的事项。',
    '本年度政务公开工作要点确定的各项任务均已落实。',
  ]);
  return (fee + extra).replace(/\{n\}/g, () => String(rng.int(1, 40)));
}

/** ~`share` of the text sentences kept, the others written anew (for copies and repetitions) */
function rework(rng: Rng, source: Narrative, domain: string, share: number): Narrative {
  const out = source.map((p) => [...p]);
  const slots: [number, number][] = [];
  out.forEach((p, i) => {
    p.forEach((s, j) => {
      if (s.kind === 'text') slots.push([i, j]);
    });
  });
  const replace = Math.max(1, Math.round(slots.length * (1 - share)));
  for (const [i, j] of rng.sample(slots, replace)) out[i][j] = textSentence(rng, domain);
  return out;
}

interface WriteContext {
  name: string;
  self: string;
  year: number;
  applications: Record<string, ApplicationRow>;
  proactive: Report['proactive'];
}

function writeNarrative(n: Narrative, ctx: WriteContext): string {
  return n
    .map((para) =>
      para
        .map((s) => {
          if (s.kind === 'figure') {
            if (s.figure === 'apps') {
              const nr = ctx.applications.newReceived.total;
              const co = ctx.applications.carriedOver.total;
              return nr === 0 && co === 0 ? '本年度未收到政府信息公开申请。' : `全年新收政府信息公开申请${nr}件，上年结转${co}件。`;
            }
            const docs = (ctx.proactive as Record<string, Record<string, number>>).normativeDocuments;
            return `全年制发行政规范性文件${docs.issued}件，现行有效行政规范性文件${docs.inForce}件。`;
          }
          return fillTokens(s.text, ctx);
        })
        .join(''),
    )
    .join('\n');
}

function fillTokens(text: string, ctx: Pick<WriteContext, 'name' | 'self' | 'year'>): string {
  return text
    .replace(/\{NAME\}/g, ctx.name)
    .replace(/\{SELF\}/g, ctx.self)
    .replace(/\{Y\}/g, String(ctx.year));
}

function selfRef(name: string, kind: BodyKind): string {
  if (/街道办事处$/.test(name)) return '本街道';
  if (/镇人民政府$/.test(name)) return '我镇';
  if (/乡人民政府$/.test(name)) return '我乡';
  if (kind === 'government') return '本级政府';
  if (/局$/.test(name)) return '我局';
  if (/厅$/.test(name)) return '我厅';
  if (/委员会$/.test(name)) return '我委';
  if (/(办公室|研究室)$/.test(name)) return '我办';
  return '本机关';
}

// ---------------------------------------------------------------------------
// Constructed cases
// ---------------------------------------------------------------------------

/** characters that are easily typed for one another (same pronunciation) */
const HOMOPHONES: Record<string, string> = {
  泽: '择',
  教: '较',
  育: '预',
  卫: '为',
  健: '建',
  康: '慷',
  财: '材',
  政: '证',
  民: '明',
  源: '原',
  市: '是',
  场: '厂',
  监: '坚',
  督: '都',
  管: '馆',
  理: '里',
  农: '浓',
  村: '存',
  务: '物',
  商: '尚',
  审: '申',
  计: '记',
  统: '通',
  公: '工',
  安: '按',
  司: '私',
  法: '发',
  交: '胶',
  通: '同',
  运: '云',
  输: '书',
  应: '英',
  急: '及',
  文: '闻',
  化: '话',
  旅: '铝',
  游: '由',
  河: '和',
  湖: '胡',
  集: '及',
  庄: '装',
  桥: '乔',
  港: '岗',
  阳: '杨',
  林: '琳',
  岔: '叉',
  淮: '怀',
  洪: '红',
  涟: '连',
  沭: '术',
  宿: '速',
  保: '宝',
  障: '彰',
  发: '法',
  展: '战',
  改: '该',
  革: '格',
  医: '依',
  疗: '辽',
  退: '推',
  役: '义',
  军: '君',
  事: '是',
  建: '健',
  设: '社',
  城: '成',
  乡: '相',
};

/** the name with one character (before its suffix) replaced by a homophone, or null */
function misspell(rng: Rng, name: string, taken: Set<string>): string | null {
  const suffix = /(人民政府|街道办事处|办公室|办公厅|委员会|局|厅)$/.exec(name)?.[0] ?? '';
  const positions: number[] = [];
  const chars = Array.from(name);
  for (let i = 0; i < chars.length - suffix.length - 1; i++) if (HOMOPHONES[chars[i]]) positions.push(i);
  for (const p of rng.shuffle(positions)) {
    const copy = [...chars];
    copy[p] = HOMOPHONES[copy[p]];
    const out = copy.join('');
    if (!taken.has(out)) return out;
  }
  return null;
}

interface Slot {
  body: ProvinceBody;
  year: number;
  case: CaseKind;
  /** for a copier: the source body */
  source?: ProvinceBody;
  agency?: string;
}

const ERROR_KINDS: ErrorKind[] = ['review-total', 'balance', 'outcome', 'row', 'row-outcome'];

/** breaks cells of a (cloned) report; returns the rules it makes fire, the number of diagnostics and the cells */
function breakTables(rng: Rng, r: Report, kind: ErrorKind): { kind: ErrorKind; rules: string[]; count: number; cells: BrokenCell[] } {
  const d = rng.int(1, 9);
  const cells: BrokenCell[] = [];
  const set = (table: Record<string, Record<string, unknown>>, path: string, row: string, col: string, value: number) => {
    const before = table[row][col] as number;
    table[row][col] = value;
    cells.push({ path, before, after: value });
  };
  const apps = r.applications as unknown as Record<string, Record<string, unknown>>;
  const leafKeys = applicationRows(r.format)
    .filter((x) => x.leaf)
    .map((x) => x.key);
  switch (kind) {
    case 'review-total': {
      const g = rng.pick(REVIEW_GROUPS).key;
      const rl = r.reviewLitigation as unknown as Record<string, Record<string, unknown>>;
      set(rl, `reviewLitigation.${g}.total`, g, 'total', (rl[g].total as number) + d);
      return { kind, rules: ['review-litigation-total'], count: 1, cells };
    }
    case 'balance': {
      const cf = apps.carriedForward;
      set(apps, 'applications.carriedForward.naturalPerson', 'carriedForward', 'naturalPerson', (cf.naturalPerson as number) + d);
      set(apps, 'applications.carriedForward.total', 'carriedForward', 'total', (cf.total as number) + d);
      return { kind, rules: ['applications-balance'], count: 2, cells };
    }
    case 'outcome': {
      const x = rng.pick(leafKeys);
      set(apps, `applications.${x}.naturalPerson`, x, 'naturalPerson', (apps[x].naturalPerson as number) + d);
      set(apps, `applications.${x}.total`, x, 'total', (apps[x].total as number) + d);
      return { kind, rules: ['applications-outcome-total'], count: 2, cells };
    }
    case 'row': {
      // a count moved from one leaf row to another in the same column: the column still adds up
      const x = rng.pick(leafKeys);
      const from = leafKeys.filter((k) => k !== x && (apps[k].naturalPerson as number) >= 1);
      if (from.length === 0) {
        // nothing to move: the row total alone (rule pair of 'row-outcome')
        return breakTables(rng, r, 'row-outcome');
      }
      const y = rng.pick(from);
      const dd = Math.min(d, apps[y].naturalPerson as number);
      set(apps, `applications.${x}.naturalPerson`, x, 'naturalPerson', (apps[x].naturalPerson as number) + dd);
      set(apps, `applications.${y}.naturalPerson`, y, 'naturalPerson', (apps[y].naturalPerson as number) - dd);
      return { kind, rules: ['applications-row-total'], count: 2, cells };
    }
    case 'row-outcome': {
      const x = rng.pick(leafKeys);
      set(apps, `applications.${x}.total`, x, 'total', (apps[x].total as number) + d);
      return { kind, rules: ['applications-outcome-total', 'applications-row-total'], count: 2, cells };
    }
  }
}

// ---------------------------------------------------------------------------
// Flat cells and totals
// ---------------------------------------------------------------------------

/** every numeric cell key of a format, `table.row.column` (the 2019 procurement amount, a text, left out) */
const keyCache = new Map<FormatVersion, string[]>();
export function cellKeys(format: FormatVersion): string[] {
  let keys = keyCache.get(format);
  if (!keys) {
    keys = [];
    for (const row of proactiveRows(format)) for (const f of row.fields) if (f.type !== 'raw') keys.push(`proactive.${row.key}.${f.key}`);
    for (const row of applicationRows(format)) for (const c of APPLICANT_COLUMNS) keys.push(`applications.${row.key}.${c.key}`);
    for (const g of REVIEW_GROUPS) for (const c of REVIEW_COLUMNS) keys.push(`reviewLitigation.${g.key}.${c.key}`);
    keyCache.set(format, keys);
  }
  return [...keys];
}
const splitCache = new Map<FormatVersion, [string, string, string, string][]>();
function splitKeys(format: FormatVersion): [string, string, string, string][] {
  let out = splitCache.get(format);
  if (!out) {
    out = cellKeys(format).map((k) => [k, ...k.split('.')] as [string, string, string, string]);
    splitCache.set(format, out);
  }
  return out;
}

/** the money amount in 0.0001 万元 (exact) */
function moneyUnits(s: string): number {
  const [int, frac = ''] = s.replace(/^-/, '').split('.');
  const v = Number(int) * 10_000 + Number(frac.padEnd(4, '0').slice(0, 4));
  return s.startsWith('-') ? -v : v;
}

/** a report's cells by flat key (blank counted as 0; money as a number of 万元) */
export function flattenReport(r: Report): Record<string, number> {
  const out: Record<string, number> = {};
  const tables = r as unknown as Record<string, Record<string, Record<string, unknown>>>;
  for (const [key, table, row, col] of splitKeys(r.format)) {
    const v = tables[table]?.[row]?.[col];
    out[key] = typeof v === 'number' ? v : typeof v === 'string' ? moneyUnits(v) / 10_000 : 0;
  }
  return out;
}

// ---------------------------------------------------------------------------
// The province
// ---------------------------------------------------------------------------

/** the share of the sentences a copy or a repetition keeps */
const KEPT = 0.92;
const RATES = { missing: 0.03, late: 0.05, error: 0.02, edited: 0.003, copies: 0.01, repeated: 0.01 };

export function generateProvince(opts: ProvinceOptions = {}): Province {
  const seed = opts.seed ?? 20250101;
  const scale = opts.scale ?? 'full';
  const years = [...(opts.years ?? [2020, 2021, 2022, 2023, 2024])].sort((a, b) => a - b);
  const small = scale === 'small';
  const treeRng = new Rng(mix(seed, 1));
  const bodies = finishBodies(new Rng(mix(seed, 2)), buildTree(treeRng, scale, years), years);
  const byName = new Map(bodies.map((b) => [b.name, b]));
  const rows = bodies.map(directoryRow);
  const taken = new Set<string>(bodies.flatMap((b) => [b.name, ...b.aliases.map((a) => a.name)]));

  // ---- cases ----
  const caseRng = new Rng(mix(seed, 3));
  const slots: Slot[] = [];
  for (const b of bodies) for (const year of years) if (activeIn(b, year)) slots.push({ body: b, year, case: 'plain' });
  const slotOf = new Map(slots.map((s) => [`${s.body.id}|${s.year}`, s]));
  const order = caseRng.shuffle([...slots]);
  const free = () => order.filter((s) => s.case === 'plain');
  const count = (rate: number, min: number) => Math.max(min, Math.round(rate * slots.length));

  // misspelled and prefixed names (current names only)
  let k = small ? 2 : 8;
  for (const s of free()) {
    if (k === 0) break;
    if (nameIn(s.body, s.year) !== s.body.name) continue;
    const wrong = misspell(caseRng, s.body.name, taken);
    if (!wrong) continue;
    taken.add(wrong);
    s.case = 'misspelled';
    s.agency = wrong;
    k--;
  }
  k = small ? 2 : 8;
  // the example of the brief first: 洪泽区人民政府 printed as 淮安市洪泽区人民政府
  const hongze = byName.get('洪泽区人民政府');
  const prefixedFirst = hongze ? order.filter((s) => s.body === hongze && s.case === 'plain').slice(0, 1) : [];
  for (const s of [...prefixedFirst, ...free()]) {
    if (k === 0) break;
    if (s.case !== 'plain' || !s.body.higherPlace || s.body.tier === 'province' || nameIn(s.body, s.year) !== s.body.name) continue;
    const agency = s.body.higherPlace + s.body.name;
    if (taken.has(agency)) continue;
    s.case = 'prefixed';
    s.agency = agency;
    k--;
  }
  for (const [kind, rate, min] of [
    ['missing', RATES.missing, 3],
    ['late', RATES.late, 4],
    ['error', RATES.error, 5],
    ['edited', RATES.edited, 2],
  ] as const) {
    for (const s of free().slice(0, count(rate, min))) s.case = kind;
  }
  // copies: per year, a copier and a source of the same year, the source of one copier only
  for (const year of years) {
    const pool = free().filter((s) => s.year === year);
    const want = Math.max(1, Math.round(RATES.copies * pool.length));
    let made = 0;
    for (const copier of pool) {
      if (made >= want) break;
      if (copier.case !== 'plain') continue;
      const alike = (s: Slot) =>
        s !== copier &&
        s.case === 'plain' &&
        (s.body.domain === copier.body.domain || (s.body.parentId === copier.body.parentId && s.body.kind === copier.body.kind));
      const source = pool.find(alike) ?? pool.find((s) => s !== copier && s.case === 'plain');
      if (!source) break;
      copier.case = 'copier';
      copier.source = source.body;
      source.case = 'source';
      made++;
    }
  }
  // repetitions of the body's own previous year
  for (const year of years) {
    const prevYear = years[years.indexOf(year) - 1];
    if (prevYear === undefined || prevYear !== year - 1) continue;
    const pool = free().filter((s) => s.year === year);
    const want = Math.max(1, Math.round(RATES.repeated * pool.length));
    let made = 0;
    for (const s of pool) {
      if (made >= want) break;
      const prev = slotOf.get(`${s.body.id}|${prevYear}`);
      if (!prev || !['plain', 'late', 'error', 'edited', 'misspelled', 'prefixed'].includes(prev.case)) continue;
      s.case = 'repeated';
      made++;
    }
  }

  // ---- reports ----
  const reports: ProvinceReport[] = [];
  const reportsOf = new Map<string, ProvinceReport[]>();
  const status = new Map<string, ExpectedStatus>();
  const expected: Omit<Expected, 'status' | 'totals'> = {
    copies: [],
    repeated: [],
    edited: [],
    misspelled: [],
    prefixed: [],
    formerNames: [],
    missing: [],
    late: [],
    errors: [],
  };
  /** the narratives written, to copy from: `${bodyId}|${year}` */
  const overviews = new Map<string, Narrative>();
  let errorIndex = 0;

  // the sources are written before their copiers: bodies in order, but a copier waits for its source
  const pending: Slot[] = [];
  const states = new Map<number, BodyState>();
  const written = new Set<Slot>();

  const writeSlot = (s: Slot) => {
    const b = s.body;
    const year = s.year;
    const rng = new Rng(mix(seed, 10, b.id, year));
    const format = formatOf(year);
    let st = states.get(b.id);
    if (!st) {
      st = initialState(new Rng(mix(seed, 11, b.id)), b, year === years[0]);
      states.set(b.id, st);
    }
    const applications = makeApplications(rng, b, format, st);
    const proactive = makeProactive(rng, b, format, st);
    const reviewLitigation = makeReview(rng, b);
    const printedName = nameIn(b, year);
    const agency = s.agency ?? printedName;
    const self = selfRef(printedName, b.kind);
    const ctx: WriteContext = { name: agency, self, year, applications, proactive };
    let overview: Narrative;
    if (s.case === 'copier' && s.source) {
      const theirs = overviews.get(`${s.source.id}|${year}`)!;
      overview = rework(rng, theirs, b.domain, KEPT);
      expected.copies.push({ year, a: s.source.name, b: b.name, aId: s.source.id, bId: b.id, section: 'overview', kept: KEPT });
    } else if (s.case === 'repeated') {
      const mine = overviews.get(`${b.id}|${year - 1}`)!;
      overview = rework(rng, mine, b.domain, KEPT);
      expected.repeated.push({ body: b.name, year, previousYear: year - 1, section: 'overview', kept: KEPT });
    } else overview = makeOverview(rng, b.domain, format, agency.length);
    overviews.set(`${b.id}|${year}`, overview);
    const problems = makeProblems(rng, b.domain);
    const feeYuan = format === '2021' && b.kind === 'department' && rng.chance(0.04) ? rng.int(10, 900) : 0;
    const other = fillTokens(makeOther(rng, feeYuan), ctx);

    // the date
    const deadline = deadlineFor(b, year);
    let publishedOn: string;
    let daysLate: number | null = null;
    if (s.case === 'late') {
      const u = rng.float();
      daysLate = u < 0.1 ? 1 : u < 0.7 ? rng.int(2, 30) : u < 0.95 ? rng.int(31, 120) : rng.int(121, 240);
      publishedOn = addDays(deadline, daysLate);
    } else {
      const start = `${year + 1}-01-${b.kind === 'department' ? '05' : '15'}`;
      const span = daysFrom(start, deadline);
      publishedOn = rng.chance(0.04) ? deadline : addDays(start, rng.int(0, span));
    }

    const report: Report = {
      format,
      agency,
      year,
      publishedOn,
      sections: { overview: writeNarrative(overview, ctx), problems: writeNarrative(problems, ctx), other },
      proactive,
      applications,
      reviewLitigation,
    };
    const key = `${b.name}|${year}`;
    if (s.case === 'missing') {
      expected.missing.push({ body: b.name, year });
      status.set(key, {
        state: 'unpublished',
        publishedOn: null,
        daysLate: null,
        deadline,
        errors: false,
        errorRules: [],
        errorCount: 0,
        tableErrors: false,
        versions: 0,
        agency: null,
        case: s.case,
      });
      return;
    }
    const versions: Report[] = [report];
    let errorRules: string[] = [];
    let errorCount = 0;
    if (s.case === 'late') {
      errorRules = ['publication-deadline'];
      errorCount = 1;
      expected.late.push({ body: b.name, year, publishedOn, deadline, daysLate: daysLate! });
    } else if (s.case === 'error') {
      const broken = structuredClone(report);
      const { kind, rules, count, cells } = breakTables(
        new Rng(mix(seed, 12, b.id, year)),
        broken,
        ERROR_KINDS[errorIndex++ % ERROR_KINDS.length],
      );
      versions[0] = broken;
      errorRules = [...rules].sort();
      errorCount = count;
      expected.errors.push({ body: b.name, year, kind, rules: errorRules, count, cells });
    } else if (s.case === 'edited') {
      const v2 = structuredClone(report);
      const p = v2.proactive as Record<string, Record<string, number>>;
      const before = p.punishment.decisions;
      const after = before + rng.int(1, 25);
      p.punishment.decisions = after;
      versions.push(v2);
      expected.edited.push({ body: b.name, year, path: 'proactive.punishment.decisions', before, after, versions: 2 });
    } else if (s.case === 'misspelled') expected.misspelled.push({ body: b.name, year, agency });
    else if (s.case === 'prefixed') expected.prefixed.push({ body: b.name, year, agency });
    if (printedName !== b.name && !s.agency) expected.formerNames.push({ body: b.name, year, agency });

    const list = versions.map(
      (r, i): ProvinceReport => ({
        body: b.name,
        bodyId: b.id,
        year,
        version: i + 1,
        latest: i === versions.length - 1,
        case: s.case,
        report: r,
      }),
    );
    reports.push(...list);
    reportsOf.set(key, list);
    status.set(key, {
      state: daysLate !== null ? 'late' : 'published',
      publishedOn,
      daysLate,
      deadline,
      errors: errorRules.length > 0,
      errorRules,
      errorCount,
      tableErrors: s.case === 'error',
      versions: versions.length,
      agency,
      case: s.case,
    });
  };

  // tables carry from year to year, so each body's years are written in order; a copier needs its
  // source's overview of the same year, so years go first and bodies within a year
  for (const year of years) {
    for (const s of slots) {
      if (s.year !== year) continue;
      if (s.case === 'copier' && s.source && !written.has(slotOf.get(`${s.source.id}|${year}`)!)) {
        pending.push(s);
        continue;
      }
      writeSlot(s);
      written.add(s);
      for (let i = pending.length - 1; i >= 0; i--) {
        const p = pending[i];
        if (p.source && written.has(slotOf.get(`${p.source.id}|${year}`)!)) {
          pending.splice(i, 1);
          writeSlot(p);
          written.add(p);
        }
      }
    }
    if (pending.length > 0) throw new Error('province: a copier without its source');
    // only this year's narratives are copied from next year (repetitions)
    for (const k of [...overviews.keys()]) if (!k.endsWith(`|${year}`)) overviews.delete(k);
  }
  // keep the lists in a stable order (body, year)
  const byBodyYear = <T extends { year: number }>(name: (x: T) => string) => {
    return (x: T, y: T) => byName.get(name(x))!.id - byName.get(name(y))!.id || x.year - y.year;
  };
  reports.sort((x, y) => x.bodyId - y.bodyId || x.year - y.year || x.version - y.version);
  expected.copies.sort((x, y) => x.year - y.year || byName.get(x.b)!.id - byName.get(y.b)!.id);
  for (const list of [
    expected.repeated,
    expected.edited,
    expected.misspelled,
    expected.prefixed,
    expected.formerNames,
    expected.missing,
    expected.late,
    expected.errors,
  ] as { body: string; year: number }[][])
    list.sort(byBodyYear((x) => x.body));
  const sortedStatus = new Map(
    bodies.flatMap((b) =>
      years.filter((y) => status.has(`${b.name}|${y}`)).map((y) => [`${b.name}|${y}`, status.get(`${b.name}|${y}`)!] as const),
    ),
  );

  // ---- totals ----
  const children = new Map<number, ProvinceBody[]>();
  for (const b of bodies) if (b.parentId !== null) children.set(b.parentId, [...(children.get(b.parentId) ?? []), b]);
  const latest = new Map<string, Report>();
  for (const r of reports) if (r.latest) latest.set(`${r.bodyId}|${r.year}`, r.report);
  const cache = new Map<string, Record<string, number>>();
  const totals = (regionBodyName: string, year: number): Record<string, number> => {
    const root = byName.get(regionBodyName) ?? bodies.find((b) => b.aliases.some((a) => a.name === regionBodyName));
    if (!root) throw new Error(`province: no body named ${regionBodyName}`);
    const hit = cache.get(`${root.id}|${year}`);
    if (hit) return { ...hit };
    const keys = cellKeys(formatOf(year));
    const sums = new Map<string, number>(keys.map((k) => [k, 0]));
    const money = new Set<string>(keys.filter((k) => k === 'proactive.fees.amount'));
    const stack = [root];
    while (stack.length > 0) {
      const b = stack.pop()!;
      const own = latest.get(`${b.id}|${year}`);
      const cells = own ? flattenReport(own) : null;
      if (cells) for (const k of keys) sums.set(k, sums.get(k)! + (money.has(k) ? Math.round(cells[k] * 10_000) : cells[k]));
      stack.push(...(children.get(b.id) ?? []));
    }
    const out: Record<string, number> = {};
    for (const k of keys) out[k] = money.has(k) ? sums.get(k)! / 10_000 : sums.get(k)!;
    cache.set(`${root.id}|${year}`, out);
    return { ...out };
  };

  return {
    seed,
    scale,
    years,
    name: PROVINCE.name,
    regionCode: PROVINCE.code,
    bodies,
    byName,
    rows,
    reports,
    reportsOf,
    expected: { status: sortedStatus, totals, ...expected },
  };
}

// ---------------------------------------------------------------------------
// Rendering a sample
// ---------------------------------------------------------------------------

export interface RenderedReport {
  fileName: string;
  bytes: Uint8Array;
  /** the body's current name */
  bodyName: string;
  year: number;
  format: RenderFormat;
  /** the report rendered */
  report: Report;
  version: number;
  case: CaseKind;
}

export interface RenderSampleOptions {
  /** which reports may be picked (default: the latest version of every published body-year) */
  filter?: (r: ProvinceReport) => boolean;
}

/** `洪泽区教育局2023年政府信息公开工作年度报告.pdf`: the agency as printed */
export function reportFileName(r: Report, format: RenderFormat): string {
  return `${r.agency ?? ''}${r.year ?? ''}年政府信息公开工作年度报告.${format}`;
}

/**
 * `n` of the province's reports rendered with our renderers, spread over the formats (in turn) and
 * the years; deterministic. Reports with broken tables are rendered as they are (`force`).
 */
export async function renderSample(
  province: Province,
  n: number,
  formats: readonly RenderFormat[] = ['md', 'html', 'docx', 'pdf', 'xlsx'],
  opts: RenderSampleOptions = {},
): Promise<RenderedReport[]> {
  const filter = opts.filter ?? ((r: ProvinceReport) => r.latest);
  const byYear = new Map<number, ProvinceReport[]>(province.years.map((y) => [y, []]));
  for (const r of province.reports) if (filter(r)) byYear.get(r.year)?.push(r);
  const years = province.years.filter((y) => (byYear.get(y)?.length ?? 0) > 0);
  const out: RenderedReport[] = [];
  const used = new Set<ProvinceReport>();
  for (let i = 0; i < n && years.length > 0; i++) {
    const format = formats[i % formats.length];
    const year = years[(i + Math.floor(i / formats.length)) % years.length];
    const pool = byYear.get(year)!;
    let at = mix(province.seed, 99, i) % pool.length;
    for (let tries = 0; used.has(pool[at]) && tries < pool.length; tries++) at = (at + 1) % pool.length;
    const pick = pool[at];
    used.add(pick);
    const bytes = await render(pick.report, format, { force: pick.case === 'error' });
    out.push({
      fileName: reportFileName(pick.report, format),
      bytes,
      bodyName: pick.body,
      year: pick.year,
      format,
      report: pick.report,
      version: pick.version,
      case: pick.case,
    });
  }
  return out;
}
