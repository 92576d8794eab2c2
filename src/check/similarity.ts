/**
 * Text similarity of report narratives (雷同), without word segmentation.
 *
 * A section is cut into sentences; each sentence is normalised (NFKC, template
 * boilerplate and list markers dropped, every run of digits → `#`, the
 * agency's own name → `@`, punctuation and whitespace removed) and the
 * normalised section is turned into the set of its character n-grams
 * ("shingles", n = SHINGLE), each hashed to a 32-bit integer and kept as a
 * sorted, duplicate-free Uint32Array. Comparing two sections is then a merge of
 * two sorted arrays.
 *
 * The measure is containment: the share of this section's shingles that also
 * occur in the other section (leaving out, on both sides, the shingles that
 * most agencies of the run share, see `commonLanguage`). Fingerprints are
 * computed once per Report object and cached in a WeakMap (reports are treated
 * as immutable once checked), and the common language once per run, so a run
 * of 100 reports each compared with the 99 others takes about 0.1–0.2 s.
 */
import type { Report } from '../model/report.js';

/** shingle length, in characters of the normalised text */
export const SHINGLE = 5;
/** sections shorter than this (characters once normalised and boilerplate dropped) are not compared */
export const MIN_LENGTH = 80;

export type SectionKey = 'overview' | 'problems';

export interface SentencePrint {
  /** the sentence as published (whitespace collapsed) */
  raw: string;
  /** sorted unique shingle hashes of the sentence alone */
  shingles: Uint32Array;
}

export interface SectionPrint {
  /** length of the normalised section text, in characters */
  length: number;
  /** sorted unique shingle hashes of the whole normalised section */
  shingles: Uint32Array;
  sentences: SentencePrint[];
}

/* ---------------------------------------------------------------- normalising */

/** whole sentences that every report carries (statutory preamble, notes on the report itself) */
const BOILERPLATE_SENTENCES: RegExp[] = [
  /政府信息公开条例.*(?:编制|编写|制作|起草)(?:本(?:年度)?报告|[。；;]?$)/,
  // any sentence about "this report" (its basis, its data period, where to download it)
  /本(?:年度)?报告/,
  /统计期限自.{0,30}至.{0,30}止/,
  /(?:对本(?:年度)?报告|如有疑问).{0,40}(?:联系|咨询|来电)/,
  /现将.{0,60}(?:情况|年度报告|工作)报告如下/,
  /^(?:特此报告|特此公告)/,
];

/** headings of the template, alone in their "sentence" (e.g. "（一）主动公开情况。") */
const TEMPLATE_HEADING =
  /^(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]?)?\s*(?:总体情况|主动公开(?:政府信息)?(?:情况)?|依申请公开(?:政府信息)?(?:情况)?|政府信息管理(?:情况)?|(?:政府信息公开)?平台建设(?:情况)?|(?:加强)?监督保障(?:情况)?|存在的主要问题及改进情况|其他需要报告的事项|政府信息公开行政复议、?行政诉讼情况|收到和处理政府信息公开申请情况)\s*[。：:]?\s*$/;

/** list markers: "（一）", "(1)" anywhere, "1、", "一、" at the start (NFKC has made "①" a "1" already) */
const LIST_MARKERS = /[(（][一二三四五六七八九十\d]{1,3}[)）]|^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.．]/g;

const CN_YEAR = /[〇零○一二三四五六七八九]{4}年/g;
const DIGITS = /\d+(?:[.,]\d+)*/g;
const NOT_TEXT = /[^\p{L}\p{N}#@]/gu;

/** NFKC, digits → "#", punctuation and whitespace removed, lower case */
function basic(text: string): string {
  return text.normalize('NFKC').replace(CN_YEAR, '#年').replace(DIGITS, '#').replace(NOT_TEXT, '').toLowerCase();
}

const PLACE_PREFIX = /^.+?(?:省|自治区|特别行政区|市|自治州|州|盟|地区|自治县|县|自治旗|旗|区)/;
const BODY_SUFFIX = /(?:办事处|人民政府|委员会|管理委员会|管委会)$/;
const PLACE_SUFFIX = /(?:街道|镇|乡|民族乡|苏木)$/;
/** what is left of "某某区人民政府办公室" without its place: a kind of body, not a name */
const GENERIC_BODY =
  /^(?:人民政府|人民政府办公室|人民政府办公厅|政府办公室|办公室|办公厅|办事处|街道办事处|街道|管理委员会|管委会|委员会)$/;

/**
 * the ways a report names its own agency: the full name, the name without the
 * place prefixes ("三门峡市湖滨区前进街道办事处" → "前进街道办事处"), without the
 * body ("前进街道"), and the bare place name of a township/sub-district ("前进")
 */
export function agencyNames(agency: string | null): string[] {
  if (!agency) return [];
  const out = new Set<string>();
  const add = (s: string) => {
    if (s.length >= 2 && !GENERIC_BODY.test(s)) out.add(s);
  };
  let name = basic(agency);
  for (let i = 0; i < 6 && name.length >= 2; i++) {
    add(name);
    const body = name.replace(BODY_SUFFIX, '');
    add(body);
    if (PLACE_SUFFIX.test(body)) add(body.replace(PLACE_SUFFIX, ''));
    const m = PLACE_PREFIX.exec(name);
    if (!m || m[0].length >= name.length - 1) break;
    name = name.slice(m[0].length);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/** one regular expression for the names, longest first; null when there are none */
function namesPattern(names: string[]): RegExp | null {
  if (names.length === 0) return null;
  return new RegExp(names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}

/** sentences of a section, as published */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[。！？；;!?\n])/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 0);
}

/** the normalised form of one sentence; '' for boilerplate and template headings */
export function normaliseSentence(sentence: string, names: string[] | RegExp | null = null): string {
  const s = sentence.normalize('NFKC');
  if (BOILERPLATE_SENTENCES.some((re) => re.test(s))) return '';
  if (TEMPLATE_HEADING.test(s)) return '';
  const text = basic(s.replace(LIST_MARKERS, ''));
  const re = Array.isArray(names) ? namesPattern(names) : names;
  return re ? text.replace(re, '@') : text;
}

/* ----------------------------------------------------------------- shingles */

/** sorted unique 32-bit hashes (FNV-1a) of the n-grams of `text`, by code point */
export function shingles(text: string, n: number = SHINGLE): Uint32Array {
  const cps = Array.from(text, (c) => c.codePointAt(0) ?? 0);
  if (cps.length < n) return new Uint32Array(0);
  const out = new Uint32Array(cps.length - n + 1);
  for (let i = 0; i + n <= cps.length; i++) {
    let h = 0x811c9dc5;
    for (let j = i; j < i + n; j++) {
      h ^= cps[j];
      h = Math.imul(h, 0x01000193);
    }
    out[i] = h >>> 0;
  }
  out.sort();
  let k = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[k - 1]) out[k++] = out[i];
  return out.slice(0, k);
}

const cache = new WeakMap<Report, Partial<Record<SectionKey, SectionPrint | null>>>();
const nameCache = new WeakMap<Report, RegExp | null>();

/** the fingerprint of a section; null when it is missing or shorter than MIN_LENGTH. Cached per Report object. */
export function sectionPrint(report: Report, key: SectionKey): SectionPrint | null {
  let entry = cache.get(report);
  if (!entry) {
    entry = {};
    cache.set(report, entry);
  }
  const hit = entry[key];
  if (hit !== undefined) return hit;
  let names = nameCache.get(report);
  if (names === undefined) {
    names = namesPattern(agencyNames(report.agency));
    nameCache.set(report, names);
  }
  const text = report.sections[key];
  let print: SectionPrint | null = null;
  if (text) {
    const parts = sentences(text).map((raw) => ({ raw, norm: normaliseSentence(raw, names) }));
    const whole = parts.map((p) => p.norm).join('');
    const length = Array.from(whole).length;
    if (length >= MIN_LENGTH) {
      print = {
        length,
        shingles: shingles(whole),
        sentences: parts.filter((p) => p.norm.length > 0).map((p) => ({ raw: p.raw, shingles: shingles(p.norm) })),
      };
    }
  }
  entry[key] = print;
  return print;
}

/* --------------------------------------------------------------- comparing */

/**
 * for each shingle of `a`, does `b` hold it too? Calls `hit(i)` with the index
 * in `a` of every shared shingle (both arrays sorted).
 */
function eachShared(a: Uint32Array, b: Uint32Array, hit: (i: number) => void): void {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      hit(i);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
}

/* -------------------------------------------------------- common language */

/** agencies (distinct names; a report without one counts alone) a run needs for the common-language discount */
export const MIN_AGENCIES = 6;

const keys = new WeakMap<Report, string>();
/** the agency name for comparison ('' when unknown), cached per report */
export function agencyKey(r: Report): string {
  let k = keys.get(r);
  if (k === undefined) {
    k = basic(r.agency ?? '');
    keys.set(r, k);
  }
  return k;
}

interface Universe {
  members: Set<Report>;
  common: Partial<Record<SectionKey, Set<number> | null>>;
}
const universes = new WeakMap<Report, Universe[]>();

function findUniverse(reports: Report[]): Universe {
  const members = new Set(reports);
  const known = universes.get(reports[0]) ?? [];
  const hit = known.find((u) => u.members.size === members.size && reports.every((r) => u.members.has(r)));
  if (hit) return hit;
  const u: Universe = { members, common: {} };
  for (const r of members) {
    const list = universes.get(r) ?? [];
    list.push(u);
    if (list.length > 8) list.shift();
    universes.set(r, list);
  }
  return u;
}

/**
 * the common language of a run: the shingles that the reports of more than half
 * of its agencies share in this section (an agency counts once, however many of
 * its reports are in the run). Null when the run has fewer than MIN_AGENCIES
 * agencies. Computed once per set of reports and section.
 */
export function commonLanguage(reports: Report[], key: SectionKey): Set<number> | null {
  if (reports.length === 0) return null;
  const u = findUniverse(reports);
  const hit = u.common[key];
  if (hit !== undefined) return hit;
  const byAgency = new Map<string, Uint32Array[]>();
  let anonymous = 0;
  for (const r of u.members) {
    const name = agencyKey(r) || `\u0000${anonymous++}`;
    const print = sectionPrint(r, key);
    const list = byAgency.get(name) ?? [];
    if (print) list.push(print.shingles);
    byAgency.set(name, list);
  }
  let common: Set<number> | null = null;
  if (byAgency.size >= MIN_AGENCIES) {
    const counts = new Map<number, number>();
    for (const prints of byAgency.values()) {
      const seen = prints.length === 1 ? prints[0] : new Set(prints.flatMap((p) => Array.from(p)));
      for (const h of seen) counts.set(h, (counts.get(h) ?? 0) + 1);
    }
    common = new Set();
    for (const [h, n] of counts) if (n * 2 > byAgency.size) common.add(h);
  }
  u.common[key] = common;
  return common;
}

/** a mask over `a` (1 = in `common`) */
export function maskOf(a: Uint32Array, common: Set<number> | null): Uint8Array | undefined {
  if (!common || common.size === 0) return undefined;
  const mask = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) if (common.has(a[i])) mask[i] = 1;
  return mask;
}

/**
 * containment of `a` in `b`: shared shingles / shingles of `a`, leaving out
 * the shingles of `a` marked in `ignore`. 0 when `a` has nothing left.
 */
export function containment(a: Uint32Array, b: Uint32Array, ignore?: Uint8Array): { shared: number; total: number; ratio: number } {
  let total = a.length;
  if (ignore) for (let i = 0; i < ignore.length; i++) total -= ignore[i];
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      if (!ignore || ignore[i] === 0) shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return { shared, total, ratio: total > 0 ? shared / total : 0 };
}

function sharedCount(a: Uint32Array, b: Uint32Array, ignore: Set<number>): number {
  let n = 0;
  eachShared(a, b, (i) => {
    if (!ignore.has(a[i])) n++;
  });
  return n;
}

export interface Passage {
  /** sentence of the checked section */
  mine: string;
  /** the closest sentence of the other section */
  theirs: string;
}

/**
 * the sentences of `a` that owe most to `b` (by shared, non-common shingles,
 * at least half of the sentence), each with the sentence of `b` closest to it
 */
export function similarPassages(a: SectionPrint, b: SectionPrint, common: Set<number> = new Set(), max = 2): Passage[] {
  const scored = a.sentences
    .map((s, index) => {
      const own = sharedCount(s.shingles, s.shingles, common);
      const shared = sharedCount(s.shingles, b.shingles, common);
      return { s, index, shared, ratio: own > 0 ? shared / own : 0 };
    })
    .filter((x) => x.shared >= 5 && x.ratio >= 0.5)
    .sort((x, y) => y.shared - x.shared || x.index - y.index)
    .slice(0, max)
    .sort((x, y) => x.index - y.index);
  return scored.map(({ s }) => {
    let best = b.sentences[0];
    let bestShared = -1;
    for (const t of b.sentences) {
      const n = sharedCount(s.shingles, t.shingles, common);
      if (n > bestShared) {
        best = t;
        bestShared = n;
      }
    }
    return { mine: s.raw, theirs: best?.raw ?? '' };
  });
}

/** a quotation cut to about `max` characters, its own quotation marks made single (“ ” → ‘ ’) */
export function cut(text: string, max = 60): string {
  const cps = Array.from(
    text
      .replace(/[。；;，,]$/, '')
      .replace(/“/g, '‘')
      .replace(/”/g, '’'),
  );
  return cps.length <= max ? cps.join('') : `${cps.slice(0, max).join('')}……`;
}
