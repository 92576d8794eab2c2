/**
 * Metadata and narrative: the title (agency, year), the signature (agency,
 * date of publication) and the six section headings with the text under 一、五、六.
 */
import { SECTIONS, type SectionDef } from '../model/format.js';
import type { Provenance } from '../model/provenance.js';
import { isWs, wsEnd } from '../util/chars.js';
import { arabicDates, asciiDigits, normLabel, tidyCjk } from '../util/normalize.js';
import type { Unit } from './tokens.js';

export interface Heading {
  section: SectionDef['key'];
  unit: number;
  prov: Provenance;
  /** where the section's text starts in the heading's own unit (a heading run into its first paragraph), or -1 */
  body: number;
}

const NUMERALS: Record<string, string> = { 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6' };

const HEADING_WORDS = /情况|事项|报告|问题|诉讼/;
/** words of the other wordings of headings (SectionDef.variants), tested only after a numeral written 一、 or 第 */
const VARIANT_WORDS = /公开|复议|概述|概况|说明/;

/** the numerals a heading may start with (after NFKC), and '[' (a converter's `[bookmark: …]` before it) */
const HEADING_FIRST = new Set([...'第一二三四五六123456(['].map((c) => c.charCodeAt(0)));

/**
 * Where a heading's numeral would start: after leading `#>*-` and whitespace; -1 when the character
 * there cannot begin one. An ideograph or an ASCII character is its own NFKC form, so one that is not
 * a numeral (nor 第, nor an opening bracket) cannot; any other character may become one under NFKC
 * (１, ①, ⒈, ㈠, （ …) and is left to the full test.
 */
function headingStart(text: string): number {
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(isWs(c) || c === 0x23 || c === 0x3e || c === 0x2a || c === 0x2d)) break;
  }
  if (i === text.length) return -1;
  const c = text.charCodeAt(i);
  return (c >= 0x80 && (c < 0x4e00 || c > 0x9fff)) || HEADING_FIRST.has(c) ? i : -1;
}

const SECTION_NUMERALS = '一二三四五六';
/** what may follow the numeral of a section's heading: 、 . , : and their full-width forms */
const NUMERAL_SEPARATORS = '、.,:．，：';

/** a quick test: 第, or a numeral 一 … 六 and a separator at `at` (no other character is either after NFKC) */
function sectionNumeralAt(text: string, at: number): boolean {
  return text[at] === '第' || (SECTION_NUMERALS.includes(text[at]) && NUMERAL_SEPARATORS.includes(text[at + 1]));
}

/** Is this unit a section heading? Returns its section key. */
export function headingOf(text: string): SectionDef['key'] | null {
  return text.length < 4 ? null : headingAt(text, headingStart(text));
}

/** headingOf, with where the numeral would start (`headingStart`) known */
function headingAt(text: string, at: number): SectionDef['key'] | null {
  // (a heading is a numeral, a separator and a key of at least two characters)
  if (text.length < 4 || text.length > 80) return null;
  if (at < 0 || !(HEADING_WORDS.test(text) || (sectionNumeralAt(text, at) && VARIANT_WORDS.test(text)))) return null;
  const t = normLabel(text.slice(at));
  if (t.length > 42) return null;
  const m = /^(第?([一二三四五六])[、.,:]?部分[、.,:]?|([一二三四五六])[、.,:]|([1-6])[、.,:]|\(([一二三四五六])\))/.exec(t);
  if (!m) return null;
  const num = m[2] ?? m[3] ?? m[5] ?? (m[4] ? Object.keys(NUMERALS).find((k) => NUMERALS[k] === m[4]) : undefined);
  const rest = t.slice(m[0].length);
  for (const { s, keys } of SECTION_KEYS) {
    if (keys.some((k) => rest.startsWith(k) || (rest.includes(k) && rest.length <= k.length + 12))) {
      // the numeral normally matches the section; accept a mismatch only for exact key text
      if (num && num !== s.number && !rest.startsWith(keys[0])) continue;
      return s.key;
    }
  }
  // another wording, after the section's own numeral written 一、 or 第一部分
  if (m[2] !== undefined || m[3] !== undefined)
    for (const { s, variants } of SECTION_KEYS)
      if (num === s.number && variants.some((v) => rest.startsWith(v) && rest.length <= v.length + 12)) return s.key;
  return null;
}

/** each section with its keys and other wordings normalised (made once) */
const SECTION_KEYS = SECTIONS.map((s) => ({ s, keys: s.keys.map(normLabel), variants: s.variants.map(normLabel) }));

/** each section with its official heading and its keys, normalised, for headings run into their text (made once) */
const RUN_IN_KEYS = SECTIONS.map((s) => ({
  s,
  keys: [normLabel(s.heading.slice(s.heading.indexOf('、') + 1)), ...s.keys.map(normLabel)],
}));

/** the separators after a heading run into its text: ：。，；. */
const RUN_IN_SEPARATOR = /[：:。．.，,；;]/;

/**
 * A heading run into its section's first paragraph ("六、其他需要报告的事项：本年度未收取信息处理费。"):
 * the section's own numeral written 一、 or 第一部分, one of its keys, then a separator or a space —
 * or nothing, after the whole of a long official wording (a bold heading run into its text); its
 * section and where the text after it starts. Null for anything else (（一） and 1. number the parts
 * of a section; a short key run on into words may be a sentence, not a heading).
 */
export function runInHeading(text: string): { section: SectionDef['key']; body: number } | null {
  return text.length < 8 ? null : runInAt(text, headingStart(text));
}

/** runInHeading, with where the numeral would start (`headingStart`) known */
function runInAt(text: string, at: number): { section: SectionDef['key']; body: number } | null {
  if (text.length < 8 || at < 0 || !sectionNumeralAt(text, at)) return null;
  const head = normLabel(text.slice(at, at + 40));
  const m = /^(第?([一二三四五六])[、.,:]?部分[、.,:]?|([一二三四五六])[、.,:])/.exec(head);
  if (!m) return null;
  const num = m[2] ?? m[3];
  const rest = head.slice(m[0].length);
  const def = RUN_IN_KEYS.find((d) => d.s.number === num);
  if (!def) return null;
  let key = '';
  for (const k of def.keys) if (k.length > key.length && rest.startsWith(k)) key = k;
  if (key === '') return null;
  // the end of the heading in the unit's own text: as many characters as the numeral and the key
  // hold, whitespace not counted (and checked: normalisation may change a character's length)
  let need = m[0].length + key.length;
  let i = at;
  for (; i < text.length && need > 0; i++) if (!isWs(text.charCodeAt(i))) need--;
  if (need > 0 || normLabel(text.slice(at, i)) !== m[0] + key) return null;
  // the rest of the official wording (…的事项, …情况) may follow a shorter key
  const full = def.keys[0];
  if (key !== full && full.startsWith(key)) {
    const more = full.slice(key.length);
    if (text.startsWith(more, i)) i += more.length;
  }
  // a separator or a space after the heading; or nothing, after the whole of a long official
  // wording (a bold heading run into its text: <p><b>六、其他需要报告的事项</b>本年度…</p>)
  const whole = full.length >= 6 && normLabel(text.slice(at, i)) === m[0] + full;
  let j = wsEnd(text, i, text.length);
  if (j < text.length && RUN_IN_SEPARATOR.test(text[j])) j = wsEnd(text, j + 1, text.length);
  else if (j === i && !whole) return null;
  return j < text.length ? { section: def.s.key, body: j } : null;
}

export function findHeadings(units: Unit[]): Heading[] {
  const out: Heading[] = [];
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    const text = u.text;
    // (most units cannot start a heading: one test of their first character)
    const at = text.length < 4 ? -1 : headingStart(text);
    if (at < 0) continue;
    const k = headingAt(text, at);
    if (k) out.push({ section: k, unit: i, prov: u.prov, body: -1 });
    else if (!u.cell) {
      const r = runInAt(text, at);
      if (r) out.push({ section: r.section, unit: i, prov: u.prov, body: r.body });
    }
  }
  return out;
}

/**
 * Choose one heading per section in document order: 一 is the last 一 before
 * the first 二 (reports often repeat the title and 一 in a preamble); the
 * others are the first occurrence after the previous chosen heading.
 */
export function chooseHeadings(all: Heading[]): Map<SectionDef['key'], Heading> {
  const chosen = new Map<SectionDef['key'], Heading>();
  const firstOf = (k: SectionDef['key'], after: number) => all.find((h) => h.section === k && h.unit > after);
  const two = firstOf('proactive', -1);
  const ones = all.filter((h) => h.section === 'overview' && (!two || h.unit < two.unit));
  if (ones.length > 0) chosen.set('overview', ones[ones.length - 1]);
  let after = chosen.get('overview')?.unit ?? -1;
  for (const key of ['proactive', 'applications', 'reviewLitigation', 'problems', 'other'] as const) {
    const h = firstOf(key, after);
    if (h) {
      chosen.set(key, h);
      after = h.unit;
    }
  }
  return chosen;
}

const SIGN_ORG = /(办事处|人民政府|政府|委员会|管委会|办公室|办公厅|局|厅|部|署|院|中心|街道|乡|镇|所|站|队|公司|协会|会)$/;
const DATE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/;
/** a signature's date written with dots, dashes or slashes, alone on its line (after the agency, if any): 2024-01-20, 2024.1.20 */
const NUMERIC_DATE = /(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})$/;
/** a stamp's place after the agency: 某某局（盖章） */
const STAMP = /\s*[(（](?:盖章|印章|公章|章)[)）]$/;

/** the date of a signature line: 年月日 anywhere in it, or a numeric date ending it; its index in the line */
function signatureDate(t: string): { y: string; m: string; d: string; index: number } | null {
  const dm = DATE.exec(t) ?? NUMERIC_DATE.exec(t);
  if (!dm) return null;
  const m = Number(dm[2]);
  const d = Number(dm[3]);
  const y = Number(dm[1]);
  return y >= 1990 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31 ? { y: dm[1], m: dm[2], d: dm[3], index: dm.index } : null;
}

/** whitespace that is not a single space: two or more characters, or one other than a space */
const HAS_SPACE_RUN = /\s\s|[^\S ]/;

/** s holds a whitespace character */
function hasWs(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isWs(s.charCodeAt(i))) return true;
  return false;
}

/**
 * The text of a section: paragraphs (not table cells) between its heading and the next heading,
 * and the text after the heading in the heading's own unit when it was run into it (`body` ≥ 0).
 */
export function sectionText(units: Unit[], from: number, to: number, body = -1): string {
  const lines: string[] = [];
  const add = (text: string) => {
    // (most paragraphs hold no whitespace and no bookmark: nothing below would change them)
    if (!hasWs(text) && !text.includes('[bookmark:')) {
      if (text) lines.push(text);
      return;
    }
    let t = tidyCjk(text);
    // (a list item's bullet; runs of whitespace as one space, or one line break)
    const c = t.charCodeAt(wsEnd(t, 0, t.length));
    if (c === 0x2d || c === 0x2a || c === 0x2b || c === 0x2022) t = t.replace(/^\s*[-*+•]\s+/, '');
    t = t.trim();
    if (HAS_SPACE_RUN.test(t)) t = t.replace(/\s+/g, (w) => (w.includes('\n') ? '\n' : ' '));
    if (t) lines.push(t);
  };
  if (body >= 0 && from >= 0 && from < units.length) add(units[from].text.slice(body));
  for (let i = from + 1; i < to; i++) if (!units[i].cell) add(units[i].text);
  return lines.join('\n');
}

export interface Signature {
  agency: string | null;
  date: string | null;
  /** units that make up the signature, to be cut from section 六 */
  units: number[];
}

/** the signature: agency and date in the last paragraphs of units (from, to) */
export function findSignature(units: Unit[], from: number, to: number): Signature {
  const sig: Signature = { agency: null, date: null, units: [] };
  // the last four non-empty paragraphs in (from, to)
  const last: { u: Unit; i: number }[] = [];
  for (let i = Math.min(to, units.length) - 1; i > from && last.length < 4; i--) {
    const u = units[i];
    if (!u.cell && /\S/.test(u.text)) last.unshift({ u, i });
  }
  for (let k = last.length - 1; k >= 0; k--) {
    // (a signature's line is short: a long paragraph is not converted at all)
    const typed = asciiDigits(tidyCjk(last[k].u.text)).trim();
    const t = typed.length <= 24 ? arabicDates(typed) : typed;
    const dm = t.length <= 20 ? signatureDate(t) : null;
    if (dm && !sig.date) {
      sig.date = `${dm.y}-${dm.m.padStart(2, '0')}-${dm.d.padStart(2, '0')}`;
      sig.units.push(last[k].i);
      // an agency line just before the date (with the place of its stamp, if marked)
      const prev = last[k - 1];
      if (prev) {
        const pt = tidyCjk(prev.u.text).trim().replace(STAMP, '');
        if (pt.length <= 40 && SIGN_ORG.test(pt) && !/[。；;，,：:]/.test(pt)) {
          sig.agency = pt;
          sig.units.push(prev.i);
        }
      }
      // agency and date on one line: "某某街道办事处 2022年1月14日"
      const before = t.slice(0, dm.index).trim().replace(STAMP, '');
      if (!sig.agency && before && SIGN_ORG.test(before)) sig.agency = before;
      break;
    }
  }
  return sig;
}

export interface Title {
  text: string;
  agency: string | null;
  year: number | null;
}

/**
 * A title's agency that looks like a body's name: no navigation words or punctuation of a page's
 * breadcrumbs (`当前位置：首页 > …`), and the ending of an organ or a place.
 */
const AGENCY_END =
  /(办事处|政府|委员会|管委会|办公室|办公厅|局|厅|部|署|院|中心|街道|乡|镇|所|站|队|公司|协会|会|委|办|室|省|市|区|县|旗|州|盟|行|关|馆|校|学|社|台|处|科|组|场|园|司)$/;
const NOT_AGENCY = /[：:>＞/|，,。；;〔〕【】[\]\d]|首页|当前位置|网站/;

/**
 * The body's name at the end of words with punctuation, digits or a page's navigation before it (a
 * page number "-1-淮安市人民政府"), or null when there is none ("根据条例规定，现将", "附件：")
 */
function salvageAgency(a: string): string | null {
  const tail = /[\u4e00-\u9fff（）()]+$/.exec(a)?.[0] ?? '';
  return plausibleAgency(tail) ? tail : null;
}

/** a sentence's punctuation or a page's words: not a body's name ("根据条例规定，现将", "附件：") */
const NOT_A_NAME = /[，。；：]|首页|当前位置|网站|附件/;

function plausibleAgency(a: string | null): boolean {
  return a !== null && a.length >= 2 && a.length <= 40 && AGENCY_END.test(a) && !NOT_AGENCY.test(a);
}

/**
 * The report title: the first lines up to one ending with 报告 (a title may wrap onto several
 * lines). A web page may have a title of its own before the report's (`<title>年报</title>`, the
 * site's section `政府信息公开`, a breadcrumb `当前位置：首页 > 年度报告`): the first title whose
 * agency looks like a body's name is taken, else the first title, as found (an agency that does not
 * look like one is not preferred to none: the signature's may take its place); lines up to the
 * first section heading are searched.
 */
export function findTitle(units: Unit[], limit: number): Title | null {
  let acc = '';
  let first: Title | null = null;
  let year: number | null = null;
  const withYear = (t: Title): Title => (t.year === null && year !== null ? { ...t, year } : t);
  for (let i = 0; i < Math.min(units.length, limit, 30); i++) {
    const t = tidyCjk(units[i].text).replace(/\s+/g, '');
    if (!t) continue;
    if (headingOf(t)) break;
    if (t.length > 80) {
      acc = '';
      continue;
    }
    acc += t;
    if (/年度报告|工作报告|情况报告|年报/.test(acc)) {
      // the lines so far, and this line alone (a page's own words before the report's title)
      const whole = parseTitle(acc);
      for (const c of acc === t ? [whole] : [whole, parseTitle(t)]) {
        if (year === null) year = c.year;
        if (plausibleAgency(c.agency)) return withYear(c);
        if (!first) first = c;
      }
      acc = '';
      continue;
    }
    if (acc.length > 80) acc = t;
  }
  if (!first) return null;
  const agency = first.agency;
  if (agency === null || !NOT_AGENCY.test(agency)) return withYear(first);
  // a body's name at the end of other words (a page number before it), else none when the words are
  // a sentence or a page's navigation; other odd text is kept as published
  return withYear({ ...first, agency: salvageAgency(agency) ?? (NOT_A_NAME.test(agency) ? null : agency) });
}

export function parseTitle(raw: string): Title {
  // HTML titles may carry the site name: "…年度报告_某某网站" / "…年度报告 - 某某"
  // (a title quoted in a notice that publishes it: "关于印发《…年度报告》的通知")
  let text = arabicDates(asciiDigits(raw))
    .replace(/^(?:关于)?(?:印发|发布|公布|公开|转发)?《/, '')
    .replace(/[_|｜].*$/, '')
    .replace(/\s*[-—–]\s*[^-—–]*$/, (m) => (/报告/.test(m) ? m : ''));
  const r = /(报告)/.exec(text);
  // (the year may follow the title: "…工作年度报告（2023年度）")
  const after = r ? /^\s*[(（]\s*(\d{4})\s*(?:年度?)?\s*[)）]|^\s+(\d{4})\s*(?:年度?)?\s*$/.exec(text.slice(r.index + 2)) : null;
  if (r) text = text.slice(0, r.index + 2);
  const y = /(\d{4})\s*年度?/.exec(text);
  const year = y ? Number(y[1]) : after ? Number(after[1] ?? after[2]) : null;
  let agency: string | null = null;
  const cut = text.search(/(\d{4}\s*年度?)?政府信息公开/);
  if (cut > 0)
    agency =
      text
        .slice(0, cut)
        .replace(/^关于/, '')
        .replace(/(关于)$/, '')
        .trim() || null;
  if (agency && y && agency.endsWith(y[0])) agency = agency.slice(0, -y[0].length);
  // (the year before the agency: "2023年某某县人民政府政府信息公开…")
  if (agency)
    agency =
      agency
        .replace(/\d{4}\s*年度?$/, '')
        .replace(/^\d{4}\s*年度?/, '')
        .trim() || null;
  return { text, agency, year };
}

/** a web page's own publication line: "发布时间：2022-01-20", "发布日期：2022年1月20日" */
export function findPageDate(units: Unit[]): string | null {
  // (时间 or 日期 alone only at the start of a line: a page's information bar, not 截止日期 in the text)
  const re =
    /(?:(?:发布|成文|印发|公开|发文)(?:时间|日期)|^\s*[【[]?(?:时间|日期))\s*[:：]?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/;
  for (const u of units) {
    // (the shortest match, "发布时间2022-1-2", has 12 characters)
    if (u.text.length < 12 || u.text.length > 400 || !(u.text.includes('时间') || u.text.includes('日期'))) continue;
    const m = re.exec(u.text);
    if (m) return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  }
  return null;
}
