/**
 * 雷同 across bodies (issue 15): among the reports of one year of every body of a province (about
 * 3,000), every pair of bodies whose narratives (“一、总体情况”, “五、存在的主要问题及改进情况”) are
 * similar above a threshold, with the shared passages side by side, at a cost that does not grow
 * with the square of the number of bodies.
 *
 * **The measure.** A section is fingerprinted as the 雷同 check does it (`sectionPrint` of
 * `../check/similarity.ts`: statutory boilerplate and template headings dropped, digits → `#`,
 * the body's own name → `@`, the sorted set of its 5-character shingles). The ratio of a pair is
 * the containment of the smaller narrative in the larger: shared shingles / shingles of the one
 * with fewer, both counted without the boilerplate below. It is 1 when one narrative is wholly
 * in the other, whatever the other adds. A pair is reported when the ratio is at least
 * `COPIES_THRESHOLD` (0.5, 宿迁's 50 % for 重复: at least half of the shorter narrative, boilerplate
 * left out, is found word for word in the other). Sections shorter than `MIN_LENGTH` characters,
 * and those left with fewer than `MIN_DISTINCT` shingles once the boilerplate is out, are not
 * compared (short text is alike by nature).
 *
 * **Boilerplate.** Shingles most bodies share say nothing about copying: a shingle is boilerplate
 * when more than `BOILERPLATE_SHARE` (5 %) of the bodies compared in the section hold it and at
 * least `BOILERPLATE_MIN_BODIES` (10) do; or when more than half of them do (as `commonLanguage`
 * has it, in a directory of at least MIN_AGENCIES bodies: a small one); or when more than
 * `maxPostings` (`COPIES_MAX_POSTINGS`, 100) do, whatever their share — the cap that bounds the
 * cost (below). So a text that a superior had every body of a city insert is boilerplate, and one
 * shared by a handful of bodies is copying: in a province of 3,000 bodies a text is boilerplate
 * from 101 bodies, in a city of 300 from 16, in a county of 50 from 10, among 8 bodies from 5. The
 * price: a text copied by more bodies than that is taken for boilerplate and not reported (the
 * `boilerplate` count says how much was left out). The shingles lying wholly inside the name of
 * any body of the directory (`entries[].name`, and the agency of each report) are boilerplate
 * too: two bodies that both name the county's government, or a leading group, are not alike for
 * it. (The statutory preamble and the notes on the report itself are already dropped by the
 * normaliser.)
 *
 * **Names.** Each report's own name is masked (as `@`) by `sectionPrint`, from the report's agency,
 * or from the directory's name when the report has none; so 甲县教育局's and 乙县教育局's
 * narratives written from the same template, each with its own name filled in, come out the same:
 * that is copying in practice (a template filled in with another name: the 雷同 that 考核 deduct for), and
 * it is reported. A place name written alone (“甲县” for “乙县”) is not masked: it only changes the
 * few shingles around it. A copy that kept the other body's name is found too (the name only
 * changes the shingles around it).
 *
 * **The algorithm: an inverted index, not all pairs.** Per section: (1) every (shingle, body) of
 * the fingerprints is written into one Uint32Array (4 bytes a posting), bucketed by the shingle's
 * high bits (a counting sort, in order of the bodies, about 2,048 postings a bucket) and each
 * bucket radix-sorted, stably, by the rest of the shingle: each shingle's run then lists the bodies
 * holding it, ascending. Linear in the postings. (2) A run longer than the boilerplate limit, or
 * a name's shingle, is boilerplate; the others count towards their bodies' sizes and, when two or
 * more bodies share them, are kept as posting lists. (3) For each body i, a counter per other
 * body j > i is incremented through the posting lists of i's shingles: the counter is then exactly
 * the number of non-boilerplate shingles i and j share, so the ratio is exact (the same as
 * `containment` with the boilerplate masked, which the tests check against comparing every pair)
 * and no verification pass is needed. The cost of (3) is Σ p(p − 1)/2 over the non-boilerplate
 * shingles held by p ≥ 2 bodies; every p is at most `maxPostings`, so it is at most
 * `maxPostings` / 2 times the postings whatever the texts, and in practice (most shingles are held
 * by one body or a few) a small multiple of the postings: linear in the bodies once the limit is
 * the cap (from 2,000 bodies with the defaults). Comparing every pair instead would merge
 * N(N − 1)/2 pairs of sections (4.5 million for 3,000 bodies, some 4·10^10 steps for two
 * sections of 2,000–3,000 characters); bench/copies.bench.ts measures both. MinHash with LSH
 * banding would also be sub-quadratic, but approximate (a pair just above the threshold can be
 * missed, and the ratio needs an exact pass anyway); the index is exact and its cost countable.
 * (4) For the pairs reported (at most `maxPairs`, the highest ratios), `sharedPassages` quotes the
 * sentences of the smaller narrative that owe most to the larger (boilerplate discounted), each
 * beside its closest sentence of the other: linear in the two sections.
 *
 * `work` counts the steps (postings written, sorted and scanned, counters incremented and read, and `similarityWork`'s steps for the passages); the fingerprints
 * (normalising and hashing, once per report, cached) are not counted, as in similarity.ts.
 */
import {
  agencyKey,
  MIN_AGENCIES,
  MIN_LENGTH,
  normaliseSentence,
  type SectionKey,
  type SectionPrint,
  SHINGLE,
  sectionPrint,
  sharedPassages,
  shingles,
  similarityWork,
} from '../check/similarity.js';
import type { Report } from '../model/report.js';
import type { CopiedPair } from './types.js';

/** default ratio (containment of the smaller narrative in the larger) from which a pair is reported */
export const COPIES_THRESHOLD = 0.5;
/** a shingle held by more than this share of the bodies compared (and by at least BOILERPLATE_MIN_BODIES) is boilerplate */
export const BOILERPLATE_SHARE = 0.05;
/** a shingle held by fewer bodies than this is boilerplate only when more than half of the bodies hold it */
export const BOILERPLATE_MIN_BODIES = 10;
/** default cap: a shingle held by more bodies than this is boilerplate whatever their share (it bounds the cost) */
export const COPIES_MAX_POSTINGS = 100;
/** default number of pairs returned (the highest ratios); the others are counted in `more` */
export const COPIES_MAX_PAIRS = 5_000;
/** default number of passages quoted per pair (at most MAX_PASSAGES of similarity.ts) */
export const COPIES_MAX_PASSAGES = 5;
/** a narrative needs this many shingles once the boilerplate is out (as many as MIN_LENGTH characters give) */
export const MIN_DISTINCT = MIN_LENGTH - SHINGLE + 1;

const ALL_SECTIONS: readonly SectionKey[] = ['overview', 'problems'];

export interface CopiesEntry {
  bodyId: number;
  /** the body's name in the directory */
  name: string;
  report: Report;
}

export interface CopiesOptions {
  /** 0 < threshold ≤ 1; default COPIES_THRESHOLD */
  threshold?: number;
  /** default both */
  sections?: SectionKey[];
  /** default COPIES_MAX_PAIRS */
  maxPairs?: number;
  /** per pair, default COPIES_MAX_PASSAGES */
  maxPassages?: number;
  /** default COPIES_MAX_POSTINGS; at least 2 */
  maxPostings?: number;
}

export interface CopiesResult {
  /** by ratio descending, then a, b, section (overview first); each pair once per section, a < b */
  pairs: CopiedPair[];
  /** steps counted, a measure of the cost independent of the machine */
  work: number;
  /** distinct shingles left out as boilerplate (shared too widely, or inside a body's name), summed over the sections */
  boilerplate: number;
  /** bodies with at least one narrative compared (long enough, boilerplate left out) */
  compared: number;
  /** pairs above the threshold left out by `maxPairs` */
  more: number;
}

/* ------------------------------------------------------------------ names */

/** reports without an agency, given the directory's name (a shallow copy, cached, so its fingerprints are too) */
const named = new WeakMap<Report, Map<string, Report>>();

function withAgency(report: Report, name: string): Report {
  if (agencyKey(report) !== '' || name.trim() === '') return report;
  let byName = named.get(report);
  if (!byName) {
    byName = new Map();
    named.set(report, byName);
  }
  let copy = byName.get(name);
  if (!copy) {
    copy = { ...report, agency: name };
    byName.set(name, copy);
  }
  return copy;
}

/** the shingles lying inside the names: a set, with a bitmap of their low bits to answer most lookups at once */
class NameShingles {
  private readonly set = new Set<number>();
  private readonly bits = new Uint8Array(1 << 17);
  add(name: string | null): void {
    if (!name) return;
    for (const h of shingles(normaliseSentence(name))) {
      this.set.add(h);
      this.bits[(h >>> 3) & 0x1ffff] |= 1 << (h & 7);
    }
  }
  has(h: number): boolean {
    return (this.bits[(h >>> 3) & 0x1ffff] & (1 << (h & 7))) !== 0 && this.set.has(h);
  }
}

/* ------------------------------------------------------------ one section */

interface Candidate {
  section: SectionKey;
  /** positions among the section's bodies, i < j */
  i: number;
  j: number;
  /** their bodyIds, a < b */
  a: number;
  b: number;
  ratio: number;
}

interface SectionIndex {
  key: SectionKey;
  /** position → bodyId (ascending) */
  ids: number[];
  prints: SectionPrint[];
  /** non-boilerplate shingles per position */
  kept: Uint32Array;
  /** the boilerplate shingles */
  boilerplate: number[];
  candidates: Candidate[];
}

const counter = { work: 0 };

const DIGIT_MAX = 11;
const digitCounts = new Uint32Array(2 ** DIGIT_MAX + 1);

/**
 * sorts keys[from, to) by their bits from `shift` up (the shingle's low part), stably: the bodies
 * of one shingle stay in the order they were written. Insertion sort when short; otherwise an LSD
 * radix sort with digits of about log2 of the length (at most 11 bits), through `tmp`: a few
 * passes, linear in the length.
 */
function sortBucket(keys: Uint32Array, from: number, to: number, shift: number, tmp: Uint32Array): void {
  const m = to - from;
  if (m < 2) return;
  if (m <= 32) {
    for (let x = from + 1; x < to; x++) {
      const v = keys[x];
      const vk = v >>> shift;
      let y = x - 1;
      while (y >= from && keys[y] >>> shift > vk) {
        keys[y + 1] = keys[y];
        y--;
      }
      keys[y + 1] = v;
      counter.work += x - y;
    }
    return;
  }
  const width = 32 - shift;
  let d = 4;
  while (d < DIGIT_MAX && 2 ** d < m) d++;
  const passes = Math.ceil(width / d);
  d = Math.ceil(width / passes);
  const radix = 2 ** d;
  const mask = radix - 1;
  let src = keys;
  let srcAt = from;
  let dst = tmp;
  let dstAt = 0;
  for (let pass = 0, at = shift; pass < passes; pass++, at += d) {
    digitCounts.fill(0, 0, radix + 1);
    for (let x = 0; x < m; x++) digitCounts[((src[srcAt + x] >>> at) & mask) + 1]++;
    for (let c = 0; c < radix; c++) digitCounts[c + 1] += digitCounts[c];
    for (let x = 0; x < m; x++) {
      const v = src[srcAt + x];
      dst[dstAt + digitCounts[(v >>> at) & mask]++] = v;
    }
    counter.work += 2 * m + 2 * radix;
    [src, srcAt, dst, dstAt] = [dst, dstAt, src, srcAt];
  }
  if (src !== keys) {
    keys.set(src.subarray(srcAt, srcAt + m), from);
    counter.work += m;
  }
}

/**
 * the bits of a key that number the bodies, and of the shingle that number the buckets: enough for
 * the bodies, and for about 2,048 postings per bucket (so that the buckets being filled at once
 * stay in the processor's cache, and each is sorted in two or three passes)
 */
function bucketBits(bodies: number, postings: number): number {
  let bits = 4;
  while (2 ** bits < bodies || 2 ** bits * 2048 < postings) bits++;
  return bits;
}

function indexSection(
  key: SectionKey,
  ids: number[],
  prints: SectionPrint[],
  names: NameShingles,
  threshold: number,
  maxPostings: number,
): SectionIndex {
  const n = prints.length;
  let total = 0;
  for (const p of prints) total += p.shingles.length;
  const bits = bucketBits(n, total);
  const lowBits = 32 - bits;
  const lowMask = 2 ** lowBits - 1;
  const bodyMask = 2 ** bits - 1;
  const scale = 2 ** bits;
  const buckets = 2 ** bits;

  // (1) the postings, bucketed by the shingle's high bits, each key = low bits of the shingle · 2^bits + body
  const offsets = new Uint32Array(buckets + 1);
  for (const p of prints) for (const h of p.shingles) offsets[(h >>> lowBits) + 1]++;
  for (let k = 0; k < buckets; k++) offsets[k + 1] += offsets[k];
  const keys = new Uint32Array(total);
  const next = offsets.slice(0, buckets);
  for (let m = 0; m < n; m++) for (const h of prints[m].shingles) keys[next[h >>> lowBits]++] = (h & lowMask) * scale + m;
  counter.work += 2 * total + buckets;
  let largest = 0;
  for (let k = 0; k < buckets; k++) largest = Math.max(largest, offsets[k + 1] - offsets[k]);
  const tmp = new Uint32Array(largest);
  for (let k = 0; k < buckets; k++) sortBucket(keys, offsets[k], offsets[k + 1], bits, tmp);

  // (2) runs of one shingle: boilerplate, or counted for their bodies and kept as posting lists when shared
  // a run of more bodies than `limit` is boilerplate
  const share = Math.floor(BOILERPLATE_SHARE * n + 1e-9);
  const half = n >= MIN_AGENCIES ? Math.floor(n / 2) : n;
  const limit = Math.min(maxPostings, Math.max(BOILERPLATE_MIN_BODIES - 1, share), half);
  const kept = new Uint32Array(n);
  const boilerplate: number[] = [];
  let runs = new Uint32Array(1024);
  let runCount = 0;
  const runsOf = new Uint32Array(n + 1);
  for (let k = 0; k < buckets; k++) {
    const end = offsets[k + 1];
    let s = offsets[k];
    while (s < end) {
      const low = keys[s] >>> bits;
      let t = s + 1;
      while (t < end && keys[t] >>> bits === low) t++;
      const h = (k * 2 ** lowBits + low) >>> 0;
      const p = t - s;
      counter.work += p;
      if (p > limit || names.has(h)) {
        boilerplate.push(h);
      } else {
        for (let y = s; y < t; y++) kept[keys[y] & bodyMask]++;
        if (p >= 2) {
          if (2 * runCount + 2 > runs.length) {
            const grown = new Uint32Array(runs.length * 2);
            grown.set(runs);
            runs = grown;
          }
          runs[2 * runCount] = s;
          runs[2 * runCount + 1] = t;
          runCount++;
          for (let y = s; y < t; y++) runsOf[(keys[y] & bodyMask) + 1]++;
        }
      }
      s = t;
    }
  }
  // each body's shared runs, ascending
  for (let m = 0; m < n; m++) runsOf[m + 1] += runsOf[m];
  const runIds = new Uint32Array(runsOf[n]);
  const fill = runsOf.slice(0, n);
  for (let r = 0; r < runCount; r++) {
    for (let y = runs[2 * r]; y < runs[2 * r + 1]; y++) runIds[fill[keys[y] & bodyMask]++] = r;
  }
  counter.work += 2 * runIds.length;

  // (3) per body i, the shingles it shares with each j > i, through the posting lists
  const counts = new Uint32Array(n);
  const touched = new Uint32Array(n);
  const candidates: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    if (kept[i] < MIN_DISTINCT) continue;
    let nt = 0;
    for (let q = runsOf[i]; q < runsOf[i + 1]; q++) {
      const r = runIds[q];
      const s = runs[2 * r];
      let y = runs[2 * r + 1] - 1;
      for (; y >= s; y--) {
        const j = keys[y] & bodyMask;
        if (j <= i) break;
        if (counts[j]++ === 0) touched[nt++] = j;
      }
      counter.work += runs[2 * r + 1] - y;
    }
    for (let t = 0; t < nt; t++) {
      const j = touched[t];
      const shared = counts[j];
      counts[j] = 0;
      if (kept[j] < MIN_DISTINCT) continue;
      const ratio = shared / Math.min(kept[i], kept[j]);
      if (ratio >= threshold) candidates.push({ section: key, i, j, a: ids[i], b: ids[j], ratio });
    }
    counter.work += nt;
  }
  return { key, ids, prints, kept, boilerplate, candidates };
}

/* ------------------------------------------------------------------ all */

function positiveInt(value: number | undefined, fallback: number, min: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${what} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

/**
 * the pairs of bodies whose narratives of the year are alike (see the module's doc): each pair
 * once per section (a < b by bodyId), by ratio descending. An entry whose bodyId was already
 * given is ignored (the first one counts); a report without an agency is named by its entry.
 */
export function findCopies(entries: CopiesEntry[], opts: CopiesOptions = {}): CopiesResult {
  const threshold = opts.threshold ?? COPIES_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
  const maxPairs = positiveInt(opts.maxPairs, COPIES_MAX_PAIRS, 0, 'maxPairs');
  const maxPassages = positiveInt(opts.maxPassages, COPIES_MAX_PASSAGES, 0, 'maxPassages');
  const maxPostings = positiveInt(opts.maxPostings, COPIES_MAX_POSTINGS, 2, 'maxPostings');
  const sections = ALL_SECTIONS.filter((k) => (opts.sections ?? ALL_SECTIONS).includes(k));

  counter.work = 0;
  const before = similarityWork();

  // one entry per body, in order of bodyId; every name masked
  const byId = new Map<number, CopiesEntry>();
  for (const e of entries) if (!byId.has(e.bodyId)) byId.set(e.bodyId, e);
  const bodies = [...byId.values()].sort((x, y) => x.bodyId - y.bodyId);
  if (bodies.length > 2 ** 24) throw new RangeError(`at most ${2 ** 24} bodies, got ${bodies.length}`);
  const names = new NameShingles();
  for (const e of entries) {
    names.add(e.name);
    names.add(e.report.agency);
  }
  const reports = bodies.map((e) => withAgency(e.report, e.name));

  const indexes: SectionIndex[] = [];
  const compared = new Uint8Array(bodies.length);
  let boilerplate = 0;
  for (const key of sections) {
    const members: number[] = [];
    const prints: SectionPrint[] = [];
    for (let b = 0; b < bodies.length; b++) {
      const print = sectionPrint(reports[b], key);
      if (print) {
        members.push(b);
        prints.push(print);
      }
    }
    const ids = members.map((b) => bodies[b].bodyId);
    const index = indexSection(key, ids, prints, names, threshold, maxPostings);
    for (let m = 0; m < members.length; m++) if (index.kept[m] >= MIN_DISTINCT) compared[members[m]] = 1;
    boilerplate += index.boilerplate.length;
    indexes.push(index);
  }

  const order = (s: SectionKey) => ALL_SECTIONS.indexOf(s);
  const bySection = new Map(indexes.map((x) => [x.key, x]));
  const all = indexes.flatMap((x) => x.candidates);
  all.sort((x, y) => y.ratio - x.ratio || x.a - y.a || x.b - y.b || order(x.section) - order(y.section));
  counter.work += all.length;
  const chosen = all.slice(0, maxPairs);

  // (4) the passages: the smaller narrative's sentences owing most to the larger, beside their closest
  const commons = new Map<SectionKey, Set<number>>();
  const pairs = chosen.map((c): CopiedPair => {
    const index = bySection.get(c.section) as SectionIndex;
    const pair: CopiedPair = { a: c.a, b: c.b, ratio: c.ratio, section: c.section, passages: [] };
    if (maxPassages === 0) return pair;
    let common = commons.get(c.section);
    if (!common) {
      common = new Set(index.boilerplate);
      commons.set(c.section, common);
    }
    const iSmaller = index.kept[c.i] <= index.kept[c.j];
    const [mine, theirs] = iSmaller ? [index.prints[c.i], index.prints[c.j]] : [index.prints[c.j], index.prints[c.i]];
    const found = sharedPassages(mine, theirs, common, maxPassages).passages;
    pair.passages = found.map((p) => (iSmaller ? { a: p.mine, b: p.theirs } : { a: p.theirs, b: p.mine }));
    return pair;
  });

  return {
    pairs,
    work: counter.work + (similarityWork() - before),
    boilerplate,
    compared: compared.reduce((s, x) => s + x, 0),
    more: all.length - chosen.length,
  };
}
