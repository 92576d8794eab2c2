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
 *
 * Everything done for a pair of sections costs time linear in the two (the
 * sentences quoted as passages included, see `sharedPassages`), never the
 * product of their lengths: a section of 32,000 sentences is compared with
 * another in well under a second. `similarityWork` counts the steps.
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

/**
 * whole sentences that every report carries (statutory preamble, notes on the report itself);
 * each expression does a bounded amount of work per position of the sentence (see `statutoryBasis`
 * for the one that cannot be written so)
 */
const BOILERPLATE_SENTENCES: RegExp[] = [
  // any sentence about "this report" (its basis, its data period, where to download it)
  /本(?:年度)?报告/,
  /统计期限自.{0,30}至.{0,30}止/,
  /(?:对本(?:年度)?报告|如有疑问).{0,40}(?:联系|咨询|来电)/,
  /现将.{0,60}(?:情况|年度报告|工作)报告如下/,
  /^(?:特此报告|特此公告)/,
];

const STATUTE = '政府信息公开条例';
const LINE_BREAK = /[\n\r\u2028\u2029]/;
const COMPILED = /(?:编制|编写|制作|起草)本(?:年度)?报告/;
const COMPILED_AT_END = /(?:编制|编写|制作|起草)(?:本(?:年度)?报告|[。；;]?$)/;

/**
 * the statutory basis of the report ("根据《中华人民共和国政府信息公开条例》……编制本报告"): the
 * sentence matches `/政府信息公开条例.*(?:编制|编写|制作|起草)(?:本(?:年度)?报告|[。；;]?$)/`,
 * decided in time linear in the sentence (that expression backtracks over the rest of the line
 * from every occurrence of the statute's name: quadratic in a long line that names it often).
 * `.` stops at line breaks and `$` is the end of the sentence, so the match lies within one line,
 * and starts best at the first mention of the statute in that line.
 */
export function statutoryBasis(sentence: string): boolean {
  if (!sentence.includes(STATUTE)) return false;
  const lines = sentence.split(LINE_BREAK);
  for (let k = 0; k < lines.length; k++) {
    const at = lines[k].indexOf(STATUTE);
    if (at < 0) continue;
    const rest = lines[k].slice(at + STATUTE.length);
    if ((k === lines.length - 1 ? COMPILED_AT_END : COMPILED).test(rest)) return true;
  }
  return false;
}

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
  if (statutoryBasis(s) || BOILERPLATE_SENTENCES.some((re) => re.test(s))) return '';
  // (whitespace collapsed first: the expression's `\s*[。：:]?\s*$` backtracks over a long run of it)
  if (TEMPLATE_HEADING.test(s.replace(/\s+/g, ' '))) return '';
  const text = basic(s.replace(LIST_MARKERS, ''));
  const re = Array.isArray(names) ? namesPattern(names) : names;
  return re ? text.replace(re, '@') : text;
}

/* ----------------------------------------------------------------- shingles */

/** the code points of `text` (a lone surrogate counts as one), as `Array.from(text)` cuts it */
function codePoints(text: string): Uint32Array {
  const out = new Uint32Array(text.length);
  let m = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i) ?? 0;
    out[m++] = c;
    if (c > 0xffff) i++;
  }
  return out.subarray(0, m);
}

/** sorted unique 32-bit hashes (FNV-1a) of the n-grams of `text`, by code point */
export function shingles(text: string, n: number = SHINGLE): Uint32Array {
  const cps = codePoints(text);
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
let printsMade = 0;

/** section fingerprints made so far (cache misses of `sectionPrint`), for tests and benchmarks */
export function fingerprintsMade(): number {
  return printsMade;
}
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
  printsMade++;
  if (text) {
    const parts = sentences(text).map((raw) => ({ raw, norm: normaliseSentence(raw, names) }));
    const whole = parts.map((p) => p.norm).join('');
    const length = codePoints(whole).length;
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

/* ------------------------------------------------------------------- work */

let work = 0;

/**
 * elements visited so far by the comparisons of this module (steps of the merges of sorted
 * shingles, slots probed in the shingle tables as they are filled and looked up, entries of the
 * posting lists, lookups in the common language), for tests and benchmarks: a measure of cost
 * independent of the machine. The fingerprints (normalising, hashing and sorting, once per
 * report) are not counted.
 */
export function similarityWork(): number {
  return work;
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
  // too few agencies: no common language, and no fingerprint made for it
  const agencies = new Set<string>();
  let unnamed = 0;
  for (const r of u.members) {
    const name = agencyKey(r);
    if (name) agencies.add(name);
    else unnamed++;
    if (agencies.size + unnamed >= MIN_AGENCIES) break;
  }
  if (agencies.size + unnamed < MIN_AGENCIES) {
    u.common[key] = null;
    return null;
  }
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
  work += a.length;
  return mask;
}

/* --------------------------------------------------------------- comparing */

/**
 * containment of `a` in `b`: shared shingles / shingles of `a`, leaving out
 * the shingles of `a` marked in `ignore`. 0 when `a` has nothing left.
 * A merge of the two sorted arrays: linear in their lengths.
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
  work += i + j;
  return { shared, total, ratio: total > 0 ? shared / total : 0 };
}

/* ---------------------------------------------------------------- passages */

/** at most this many sentences of a section, its first ones, are looked at for passages (on either side); a real section has a few dozen */
export const MAX_SENTENCES = 2_000;
/** at most this many passages are returned for a pair of sections (those sharing the most shingles); the others are only counted */
export const MAX_PASSAGES = 20;
/**
 * a shingle that occurs in more sentences of the other section than this is skipped when looking
 * for the sentence closest to a passage: it tells those sentences apart no better than chance (in
 * a real section no shingle is in more than about ten sentences)
 */
export const MAX_POSTINGS = 200;

/**
 * multiplier of the shingle tables' slots (multiply-shift hashing), odd and drawn once per
 * process: which shingles share a slot cannot be foreseen, so no text can be written to make the
 * lookups slow
 */
const MIX = (Math.floor(Math.random() * 0x1_0000_0000) | 1) >>> 0;

/**
 * a section's shingle index: an open-addressing table of its sorted shingles (shingle → its
 * position k in them), and for each shingle the sentences holding it (their posting list). Made
 * once per fingerprint, when the section is first compared as the other one, and cached like it.
 */
interface ShingleIndex {
  /** position in the section's shingles held by each slot, -1 for an empty slot; a power of two, at least twice the shingles */
  slots: Int32Array;
  /** 32 − log2(slots.length) */
  shift: number;
  /** sentences indexed: the first MAX_SENTENCES of the section */
  count: number;
  /** the sentences holding the section's shingle k are holders[first[k]], … holders[first[k + 1] − 1], ascending */
  first: Uint32Array;
  holders: Uint32Array;
}

const indexes = new WeakMap<SectionPrint, ShingleIndex>();

/** position of shingle `h` in `keys` through the table, −1 when `keys` does not hold it */
function lookup(keys: Uint32Array, index: Pick<ShingleIndex, 'slots' | 'shift'>, h: number): number {
  const { slots } = index;
  const mask = slots.length - 1;
  let p = Math.imul(h, MIX) >>> index.shift;
  for (;;) {
    work++;
    const k = slots[p];
    if (k < 0 || keys[k] === h) return k;
    p = (p + 1) & mask;
  }
}

function shingleIndex(print: SectionPrint): ShingleIndex {
  const hit = indexes.get(print);
  if (hit) return hit;
  const keys = print.shingles;
  let bits = 4;
  while (1 << bits < 2 * keys.length) bits++;
  const slots = new Int32Array(1 << bits).fill(-1);
  const shift = 32 - bits;
  const mask = slots.length - 1;
  for (let k = 0; k < keys.length; k++) {
    let p = Math.imul(keys[k], MIX) >>> shift;
    while (slots[p] >= 0) {
      p = (p + 1) & mask;
      work++;
    }
    slots[p] = k;
  }
  work += keys.length;
  // posting lists: where each shingle of the indexed sentences is, then a counting sort by it
  const count = Math.min(print.sentences.length, MAX_SENTENCES);
  let total = 0;
  for (let i = 0; i < count; i++) total += print.sentences[i].shingles.length;
  const at = new Int32Array(total);
  const first = new Uint32Array(keys.length + 1);
  let x = 0;
  for (let i = 0; i < count; i++) {
    for (const h of print.sentences[i].shingles) {
      const k = lookup(keys, { slots, shift }, h);
      at[x++] = k;
      if (k >= 0) first[k + 1]++;
    }
  }
  for (let k = 0; k < keys.length; k++) first[k + 1] += first[k];
  const next = first.slice(0, keys.length);
  const holders = new Uint32Array(first[keys.length]);
  x = 0;
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < print.sentences[i].shingles.length; j++) {
      const k = at[x++];
      if (k >= 0) holders[next[k]++] = i;
    }
  }
  work += 2 * total + keys.length;
  const index: ShingleIndex = { slots, shift, count, first, holders };
  indexes.set(print, index);
  return index;
}

export interface Passage {
  /** sentence of the checked section */
  mine: string;
  /** the closest sentence of the other section */
  theirs: string;
}

export interface Passages {
  /** at most MAX_PASSAGES, in the order of the checked section */
  passages: Passage[];
  /** sentences that would qualify as passages but are left out (beyond `max` or MAX_PASSAGES) */
  more: number;
}

/**
 * the sentences of `a` that owe most to `b` (by shared shingles not in `common`, at least 5 and
 * at least half of the sentence's), at most `max` (and MAX_PASSAGES) of them, those sharing most
 * (the earlier on a tie), in the order of `a`, each with the sentence of `b` sharing most with it
 * (the earliest on a tie; the first of `b` when none shares anything). Of each section only the
 * first MAX_SENTENCES sentences are looked at.
 *
 * The cost is linear in the two sections, never their product: `b`'s shingle index is made once
 * (linear in `b`); a sentence's score is a pass over its shingles, each looked up in the index;
 * the sentence of `b` closest to a passage is found through the posting lists of the passage's
 * shingles (shingle → sentences of `b`), skipping shingles in more than MAX_POSTINGS of them.
 * (Comparing each sentence with the whole of `b`, as this did at first, cost the number of
 * sentences of `a` times the length of `b`: a check of two sections of 32,000 sentences held a
 * server for 105 s.)
 */
export function sharedPassages(a: SectionPrint, b: SectionPrint, common: Set<number> = new Set(), max = 2): Passages {
  const take = Math.min(Math.max(0, Math.trunc(max) || 0), MAX_PASSAGES);
  const index = shingleIndex(b);
  const theirs = b.shingles;
  const mine = a.sentences;
  const count = Math.min(mine.length, MAX_SENTENCES);
  const discount = common.size > 0;

  // each sentence's own (not common) shingles, and those of them in `b`
  const scored: { index: number; shared: number }[] = [];
  for (let s = 0; s < count; s++) {
    let own = 0;
    let shared = 0;
    for (const h of mine[s].shingles) {
      if (discount && common.has(h)) continue;
      own++;
      if (lookup(theirs, index, h) >= 0) shared++;
    }
    if (discount) work += mine[s].shingles.length;
    if (shared >= 5 && shared / own >= 0.5) scored.push({ index: s, shared });
  }
  scored.sort((x, y) => y.shared - x.shared || x.index - y.index);
  const chosen = scored.slice(0, take).sort((x, y) => x.index - y.index);

  // the sentence of `b` closest to each passage: per sentence of `b`, the shingles it shares with it
  const counts = new Uint32Array(index.count);
  const touched: number[] = [];
  const passages = chosen.map(({ index: s }) => {
    for (const h of mine[s].shingles) {
      if (discount && common.has(h)) continue;
      const k = lookup(theirs, index, h);
      if (k < 0) continue;
      const from = index.first[k];
      const to = index.first[k + 1];
      if (to - from > MAX_POSTINGS) continue;
      for (let y = from; y < to; y++) {
        const t = index.holders[y];
        if (counts[t]++ === 0) touched.push(t);
      }
      work += to - from;
    }
    let best = 0;
    let bestCount = 0;
    for (const t of touched) {
      const n = counts[t];
      if (n > bestCount || (n === bestCount && t < best)) {
        best = t;
        bestCount = n;
      }
      counts[t] = 0;
    }
    work += touched.length;
    touched.length = 0;
    return { mine: mine[s].raw, theirs: b.sentences[best]?.raw ?? '' };
  });
  return { passages, more: scored.length - chosen.length };
}

/** the passages of `sharedPassages`, without the count of the others */
export function similarPassages(a: SectionPrint, b: SectionPrint, common: Set<number> = new Set(), max = 2): Passage[] {
  return sharedPassages(a, b, common, max).passages;
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
