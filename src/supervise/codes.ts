/**
 * Identifiers of bodies and regions: the 统一社会信用代码 (GB 32100-2015) with the 组织机构代码
 * it carries (GB 11714-1997), and the 行政区划代码 (GB/T 2260; the 9- and 12-digit 统计用区划代码
 * of the NBS for townships and villages).
 *
 * Every failure is a sentence in Chinese with its English twin that says exactly what is wrong
 * (the length, the bad character and its position, the check character expected).
 */
import type { Tier } from './types.js';

/** the 31 characters of a 统一社会信用代码, in the order of their values 0–30 (no I, O, Z, S, V) */
export const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** 登记管理部门码 (the first character) */
export const REGISTRARS: Record<string, string> = {
  '1': '机构编制',
  '2': '外交',
  '3': '司法行政',
  '4': '文化',
  '5': '民政',
  '6': '旅游',
  '7': '宗教',
  '8': '工会',
  '9': '工商',
  A: '中央军委改革和编制办公室',
  N: '农业',
  Y: '其他',
};

/** the province-level divisions of GB/T 2260, by their two-digit prefix */
export const PROVINCES: Readonly<Record<string, string>> = {
  '11': '北京市',
  '12': '天津市',
  '13': '河北省',
  '14': '山西省',
  '15': '内蒙古自治区',
  '21': '辽宁省',
  '22': '吉林省',
  '23': '黑龙江省',
  '31': '上海市',
  '32': '江苏省',
  '33': '浙江省',
  '34': '安徽省',
  '35': '福建省',
  '36': '江西省',
  '37': '山东省',
  '41': '河南省',
  '42': '湖北省',
  '43': '湖南省',
  '44': '广东省',
  '45': '广西壮族自治区',
  '46': '海南省',
  '50': '重庆市',
  '51': '四川省',
  '52': '贵州省',
  '53': '云南省',
  '54': '西藏自治区',
  '61': '陕西省',
  '62': '甘肃省',
  '63': '青海省',
  '64': '宁夏回族自治区',
  '65': '新疆维吾尔自治区',
  '71': '台湾省',
  '81': '香港特别行政区',
  '82': '澳门特别行政区',
};

/** the four 直辖市, whose governments are of the province tier */
export const MUNICIPALITIES: ReadonlySet<string> = new Set(['11', '12', '31', '50']);

export type CreditCodeResult =
  | {
      ok: true;
      /** upper case, no surrounding spaces */
      normalised: string;
      /** characters 3–8: the 登记管理机关's 行政区划码 ('100000' for the central registrars) */
      regionCode: string;
      /** the first character: '1' 机构编制, '5' 民政, '9' 工商, 'Y' 其他 … */
      registrar: string;
      /** the registrar in Chinese, or null for a character not in the standard's table */
      registrarZh: string | null;
      /** characters 9–17: the 组织机构代码 (主体标识码) */
      organisationCode: string;
      /** starts with '11': 机构编制 · 机关 */
      isOrganOfState: boolean;
    }
  | { ok: false; message: string; messageEn: string };

export type RegionCodeResult =
  | {
      ok: true;
      /** the digits, no surrounding spaces */
      code: string;
      tier: Tier;
      /** the two-digit province prefix */
      province: string;
      provinceName: string;
      /** the four-digit prefix of the 地级 division, or null (a province, or a 省直辖县级 division) */
      city: string | null;
    }
  | { ok: false; message: string; messageEn: string };

function fail(message: string, messageEn: string): { ok: false; message: string; messageEn: string } {
  return { ok: false, message, messageEn };
}

/** NFKC (full-width letters and digits), trimmed, upper case */
function tidyCode(code: string): string {
  return code.normalize('NFKC').trim().toUpperCase();
}

/** the character shown in a message: visible even when it is a space or a control character */
function shown(ch: string): string {
  const c = ch.codePointAt(0) ?? 0;
  return c <= 0x20 || c === 0x7f || c === 0x3000 ? `U+${c.toString(16).toUpperCase().padStart(4, '0')}` : ch;
}

/**
 * The 18th character of a 统一社会信用代码 whose first 17 are `first17` (GB 32100-2015: values from
 * {@link CREDIT_ALPHABET}, weights 3^i mod 31, check = 31 − Σ mod 31, 31 → '0').
 * Throws on a string that is not 17 characters of the alphabet (lower case accepted).
 */
export function creditCheckChar(first17: string): string {
  const s = first17.toUpperCase();
  if (s.length !== 17) throw new RangeError(`creditCheckChar needs 17 characters, got ${s.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_ALPHABET.indexOf(s[i]);
    if (v < 0) throw new RangeError(`creditCheckChar: '${s[i]}' at position ${i + 1} is not in the alphabet`);
    sum += v * CREDIT_WEIGHTS[i];
  }
  const c = 31 - (sum % 31);
  return CREDIT_ALPHABET[c === 31 ? 0 : c];
}

/** value of a 组织机构代码 body character: 0–9, A = 10 … Z = 35 */
function orgValue(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  return -1;
}

/**
 * The 9th (check) character of a 组织机构代码 whose first 8 are `first8` (GB 11714-1997: weights
 * [3,7,9,10,5,8,4,2], C9 = 11 − Σ mod 11, 10 → 'X', 11 → '0'). Throws on anything but 8 of [0-9A-Z].
 */
export function orgCodeCheckChar(first8: string): string {
  const s = first8.toUpperCase();
  if (s.length !== 8) throw new RangeError(`orgCodeCheckChar needs 8 characters, got ${s.length}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = orgValue(s[i]);
    if (v < 0) throw new RangeError(`orgCodeCheckChar: '${s[i]}' at position ${i + 1} is not a digit or letter`);
    sum += v * ORG_WEIGHTS[i];
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * Validates a 统一社会信用代码. Accepts lower case, full-width characters and surrounding spaces.
 * Checked, in this order: length 18; every character in the alphabet; characters 3–8 six digits
 * with a real province prefix (or 100000, the central registrars); the 组织机构代码's check
 * character (17th); the code's check character (18th). Both check characters are reported when
 * both are wrong.
 */
export function validateCreditCode(code: string): CreditCodeResult {
  const s = tidyCode(code);
  if (s.length === 0) return fail('统一社会信用代码为空。', 'The unified social credit code is empty.');
  const chars = [...s];
  if (chars.length !== 18) {
    return fail(
      `统一社会信用代码应为18位，“${s}”为${chars.length}位。`,
      `A unified social credit code has 18 characters; "${s}" has ${chars.length}.`,
    );
  }
  for (let i = 0; i < 18; i++) {
    if (!CREDIT_ALPHABET.includes(chars[i])) {
      return fail(
        `统一社会信用代码第${i + 1}位“${shown(chars[i])}”不是允许的字符（只用数字和除 I、O、Z、S、V 以外的大写字母）。`,
        `Character ${i + 1} of the unified social credit code, "${shown(chars[i])}", is not allowed (digits and capital letters other than I, O, Z, S, V only).`,
      );
    }
  }
  const region = s.slice(2, 8);
  if (!/^\d{6}$/.test(region)) {
    const at = [...region].findIndex((c) => c < '0' || c > '9') + 3;
    return fail(
      `统一社会信用代码第3–8位应为6位行政区划码，第${at}位“${s[at - 1]}”不是数字。`,
      `Characters 3–8 of the unified social credit code are a 6-digit region code; character ${at}, "${s[at - 1]}", is not a digit.`,
    );
  }
  if (region !== '100000' && !PROVINCES[region.slice(0, 2)]) {
    return fail(
      `统一社会信用代码第3–8位的行政区划码“${region}”不存在（前两位“${region.slice(0, 2)}”不是省级行政区划代码）。`,
      `The region code in characters 3–8 of the unified social credit code, "${region}", does not exist ("${region.slice(0, 2)}" is not a province prefix).`,
    );
  }
  const problems: [string, string][] = [];
  const org = s.slice(8, 17);
  const orgCheck = orgCodeCheckChar(org.slice(0, 8));
  if (org[8] !== orgCheck) {
    problems.push([
      `第9–17位组织机构代码“${org}”的校验码错误：第17位应为“${orgCheck}”，实为“${org[8]}”`,
      `the organisation code in characters 9–17, "${org}", has a wrong check character: character 17 should be "${orgCheck}", not "${org[8]}"`,
    ]);
  }
  const check = creditCheckChar(s.slice(0, 17));
  if (s[17] !== check) {
    problems.push([
      `校验码错误：第18位应为“${check}”，实为“${s[17]}”`,
      `wrong check character: character 18 should be "${check}", not "${s[17]}"`,
    ]);
  }
  if (problems.length > 0) {
    const en = problems.map((p) => p[1]).join('; ');
    return fail(`统一社会信用代码“${s}”${problems.map((p) => p[0]).join('；')}。`, `The unified social credit code "${s}": ${en}.`);
  }
  return {
    ok: true,
    normalised: s,
    regionCode: region,
    registrar: s[0],
    registrarZh: REGISTRARS[s[0]] ?? null,
    organisationCode: org,
    isOrganOfState: s.startsWith('11'),
  };
}

/**
 * Validates a 行政区划代码 and infers its tier.
 *
 * - 6 digits (GB/T 2260): xx0000 → province; xxyy00 → city (地级; xx9000, the heading of the
 *   省直辖县级 divisions, too); xx90yy → county without a city (省直辖县级); anything else → county.
 * - 9 digits (统计用区划代码 of a 乡级 division) → township.
 * - 12 digits (统计用区划代码): the tier of its first 6 digits when digits 7–12 are zeros (the
 *   county, city or province itself), otherwise township (a 乡级 division or a village in it).
 *
 * The province prefix must be a real one (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82).
 * Surrounding spaces and full-width digits are accepted.
 */
export function validateRegionCode(code: string): RegionCodeResult {
  const s = tidyCode(code);
  if (s.length === 0) return fail('行政区划代码为空。', 'The region code is empty.');
  const bad = [...s].findIndex((c) => c < '0' || c > '9');
  if (bad >= 0) {
    return fail(
      `行政区划代码“${s}”第${bad + 1}位“${shown([...s][bad])}”不是数字。`,
      `Character ${bad + 1} of the region code "${s}", "${shown([...s][bad])}", is not a digit.`,
    );
  }
  if (s.length !== 6 && s.length !== 9 && s.length !== 12) {
    return fail(
      `行政区划代码应为6位（乡镇可用9位或12位统计用区划代码），“${s}”为${s.length}位。`,
      `A region code has 6 digits (9 or 12 for a township's statistical code); "${s}" has ${s.length}.`,
    );
  }
  const province = s.slice(0, 2);
  const provinceName = PROVINCES[province];
  if (!provinceName) {
    return fail(
      `行政区划代码“${s}”的前两位“${province}”不是省级行政区划代码。`,
      `The first two digits of the region code "${s}", "${province}", are not a province code.`,
    );
  }
  const six = s.slice(0, 6);
  const rest = s.slice(6);
  if (/^0+$/.test(rest) || rest === '') {
    if (s.length === 9) {
      return fail(
        `9位统计用区划代码“${s}”的第7–9位为000，不是乡镇代码。`,
        `The 9-digit statistical code "${s}" ends in 000: it is not a township's code.`,
      );
    }
    if (six.slice(2) === '0000') return { ok: true, code: s, tier: 'province', province, provinceName, city: null };
    if (six.slice(4) === '00') return { ok: true, code: s, tier: 'city', province, provinceName, city: six.slice(0, 4) };
    const city = six.slice(2, 4) === '90' ? null : six.slice(0, 4);
    return { ok: true, code: s, tier: 'county', province, provinceName, city };
  }
  if (s.length === 12 && s.slice(6, 9) === '000') {
    return fail(
      `12位统计用区划代码“${s}”的第7–9位为000而其后不为0，不是有效的代码。`,
      `The 12-digit statistical code "${s}" has 000 in digits 7–9 but not zeros after them: not a valid code.`,
    );
  }
  if (six.slice(4) === '00' && six.slice(2, 4) === '00') {
    return fail(
      `统计用区划代码“${s}”的前6位是省级代码，乡镇代码的前6位应为县级代码。`,
      `The first 6 digits of the statistical code "${s}" are a province's; a township's are its county's.`,
    );
  }
  const city = six.slice(2, 4) === '90' ? null : six.slice(0, 4);
  return { ok: true, code: s, tier: 'township', province, provinceName, city };
}

/** the significant prefix of a valid code: 2 digits for a province, 4 for a city, 6 county, 9 township, 12 village */
function significantPrefix(code: string): string | null {
  const r = validateRegionCode(code);
  if (!r.ok) return null;
  const s = r.code;
  if (r.tier === 'province') return s.slice(0, 2);
  if (r.tier === 'city') return s.slice(0, 4);
  if (r.tier === 'county') return s.slice(0, 6);
  return s.length === 12 && s.slice(9) !== '000' ? s : s.slice(0, 9);
}

/**
 * Whether the region `childCode` lies in the region `parentCode` (a region contains itself).
 * 6-, 9- and 12-digit codes can be mixed (320813 contains 320813101 and 320813101000).
 * False when either code is not valid.
 */
export function regionContains(parentCode: string, childCode: string): boolean {
  const p = significantPrefix(parentCode);
  const c = significantPrefix(childCode);
  if (p === null || c === null) return false;
  return c.startsWith(p);
}
