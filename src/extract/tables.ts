/**
 * Label-driven extraction of the three tables from a token stream. Rows are
 * found by distinctive label fragments (format.ts `keys`) in template order;
 * a row's values are the first run of value/blank tokens after its label and
 * before the next row's label. This works whatever the layout did to rows
 * (wrapped labels, one cell per line, PDF lines, lost separators).
 */
import {
  APPLICANT_COLUMNS,
  APPLICATION_ROWS,
  type ApplicationRowDef,
  MARKERS_2019,
  MARKERS_2021,
  PROACTIVE_ROWS_2019,
  PROACTIVE_ROWS_2021,
  type ProactiveRowDef,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
} from '../model/format.js';
import type { Ambiguity, FormatVersion, LabelRecord, Origin } from '../model/report.js';
import { nfkc, normLabel, similarity } from '../util/normalize.js';
import { type Constraint, type Splits, solve, splits, splitsWithTotals } from './recover.js';
import { BLANK, isLone, isOnlyValue, lineHasText, lineOf, lineSize, provOf, type Stream, VALUE } from './tokens.js';

export interface RunResult {
  /** token indices of the run, after trimming to the expected width when possible */
  tokens: number[];
  /** T offsets */
  start: number;
  end: number;
}

export interface Extracted {
  format: FormatVersion;
  mixedOtherHandling: boolean;
  proactive: Record<string, Record<string, number | string | null>>;
  applications: Record<string, Record<string, number | null>>;
  reviewLitigation: Record<string, Record<string, number | null>>;
  ambiguities: Ambiguity[];
  provenance: Record<string, Origin>;
  labels: LabelRecord[];
  /** T offsets of the tables, for finding the narrative around them */
  span: { start: number; end: number };
  /** how many rows of each table were found by their labels */
  found: { proactive: number; applications: number; reviewLitigation: boolean; tableAMarkers: boolean; anchors: boolean };
}

/** the char code of a value ('#') or a blank cell ('∅') in T (codes: no one-character string made per char) */
const VALUE_CODE = VALUE.charCodeAt(0);
const BLANK_CODE = BLANK.charCodeAt(0);
const isVal = (c: number) => c === VALUE_CODE || c === BLANK_CODE;

/** most candidates listed for an ambiguous cell; `more: true` says the list was cut */
const MAX_CANDIDATES = 30;

/** JSON paths of cells, built once: fresh strings would be hashed again for every report */
const pathCache = new Map<string, Map<string, Map<string, string>>>();
function cellPath(table: string, row: string, col: string): string {
  let t = pathCache.get(table);
  if (!t) {
    t = new Map();
    pathCache.set(table, t);
  }
  let r = t.get(row);
  if (!r) {
    r = new Map();
    t.set(row, r);
  }
  let p = r.get(col);
  if (p === undefined) {
    p = `${table}.${row}.${col}`;
    r.set(col, p);
  }
  return p;
}

/**
 * The JSON paths of a row's cells by column index, made once per row definition
 * (`def`: the format's row object, whose columns never change).
 */
const rowPathCache = new WeakMap<object, string[]>();
function rowPaths(def: object, table: string, row: string, cols: readonly (string | { key: string })[]): string[] {
  let p = rowPathCache.get(def);
  if (!p) {
    p = cols.map((c) => cellPath(table, row, typeof c === 'string' ? c : c.key));
    rowPathCache.set(def, p);
  }
  return p;
}

/**
 * An object with ~200 keys built one key at a time is slow in V8's fast mode
 * (a hidden-class transition per key); deleting a key first turns it into a
 * hash table, where each insertion is O(1).
 */
function dictionary<T>(): Record<string, T> {
  const o: Record<string, T> = {};
  (o as Record<string, unknown>).__dictionary = true;
  delete (o as Record<string, unknown>).__dictionary;
  return o;
}

/**
 * The first run of value/blank chars in T[from, to) (text before it is skipped).
 * A run of blank cells only (empty header cells) is passed over when a run with
 * a value follows before `to`.
 */
export function firstRun(s: Stream, from: number, to: number): RunResult | null {
  const T = s.T;
  let i = from;
  let blankOnly: RunResult | null = null;
  while (i < to) {
    while (i < to && !isVal(T.charCodeAt(i))) i++;
    if (i >= to) break;
    const start = i;
    const tokens: number[] = [];
    let values = 0;
    while (i < to && isVal(T.charCodeAt(i))) {
      tokens.push(s.at[i]);
      if (T.charCodeAt(i) === VALUE_CODE) values++;
      i++;
    }
    const run = { tokens, start, end: i };
    if (values > 0) return run;
    blankOnly ??= run;
  }
  return blankOnly;
}

/** the runs of value/blank chars in T[from, to) that hold a value (runs of blank cells only are passed over) */
function valueRuns(s: Stream, from: number, to: number): RunResult[] {
  const out: RunResult[] = [];
  for (let run = firstRun(s, from, to); run !== null; run = run.end < to ? firstRun(s, run.end, to) : null) {
    if (run.tokens.some((t) => s.tokens[t].kind === 'value')) out.push(run);
  }
  return out;
}

/**
 * A key whose characters are cut by one run of values in T[from, to) ("确认或" ####### "重新出具":
 * a label wrapped around its row's values), with that run; the first such, or null.
 */
function keyAroundValues(
  s: Stream,
  keys: readonly string[],
  from: number,
  to: number,
  /** only a key found before this offset is wanted (the first key found whole is there) */
  before = Number.POSITIVE_INFINITY,
): { pos: number; end: number; run: RunResult } | null {
  let best: { pos: number; end: number; run: RunResult } | null = null;
  const nks = normKeys(keys);
  // a key cut at `cut` that starts before `before` has its values before `before` + its length:
  // no value or blank cell there, no such key
  let longest = 0;
  for (const nk of nks) longest = Math.max(longest, nk.length);
  const scanTo = Math.min(to, before + longest);
  const v = s.T.indexOf(VALUE, from);
  if (v < 0 || v >= to) return null;
  if (v >= scanTo) {
    const b = s.T.indexOf(BLANK, from);
    if (b < 0 || b >= scanTo) return null;
  }
  const T = s.T.slice(from, to);
  for (const nk of nks) {
    const cuts = cutPatterns(nk);
    for (let cut = 1; cut < nk.length; cut++) {
      // the label's first `cut` characters are not in the text: no longer beginning is either
      if (!T.includes(nk.slice(0, cut))) break;
      const m = cuts[cut].exec(T);
      if (!m || from + m.index >= before || (best && from + m.index >= best.pos)) continue;
      const start = from + m.index + cut;
      const end = from + m.index + m[0].length - (nk.length - cut);
      const run = firstRun(s, start, end);
      if (run?.tokens.some((t) => s.tokens[t].kind === 'value')) best = { pos: from + m.index, end: from + m.index + m[0].length, run };
    }
  }
  return best;
}

const escapeRe = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** per label, the patterns of it cut in two around values (index: the cut), made once per process */
const CUT_PATTERNS = new Map<string, RegExp[]>();
function cutPatterns(nk: string): RegExp[] {
  let res = CUT_PATTERNS.get(nk);
  if (!res) {
    res = [];
    for (let cut = 1; cut < nk.length; cut++)
      res[cut] = new RegExp(`${escapeRe(nk.slice(0, cut))}[${VALUE}${BLANK}]+${escapeRe(nk.slice(cut))}`);
    // labels come from the format's model (a few hundred); a bound all the same
    if (CUT_PATTERNS.size < 5000) CUT_PATTERNS.set(nk, res);
  }
  return res;
}

/** the keys the tables are located by (constants: their normalised forms are made once) */
const APP_FIRST_ROW_KEYS: readonly string[] = ['本年新收', '新收政府信息公开申请'];
const TABLE_B_KEYS: readonly string[] = ['勾稽关系', '申请人情况', '本年新收', '新收政府信息公开申请'];
const REVIEW_KEYS: readonly string[] = ['行政复议'];
const TABLE_A_KEYS: readonly string[] = ['第二十条第', '信息内容', '本年制发件数', '本年新制作数量'];
const REVIEW_RESULT_KEYS: readonly string[] = ['结果维持'];
const DIRECT_SUIT_KEYS: readonly string[] = ['直接起诉'];
const SUIT_AFTER_REVIEW_KEYS: readonly string[] = ['复议后起诉'];
const SECTION_FIVE_KEYS: readonly string[] = ['存在的主要问题', '五、'];

/** a row's keys normalised (made once per list of keys) */
const normKeysCache = new WeakMap<readonly string[], string[]>();
function normKeys(keys: readonly string[]): string[] {
  let n = normKeysCache.get(keys);
  if (!n) {
    n = keys.map(normLabel);
    normKeysCache.set(keys, n);
  }
  return n;
}

function findKey(T: string, keys: readonly string[], from: number, to: number): { pos: number; end: number } | null {
  for (const nk of normKeys(keys)) {
    const p = T.indexOf(nk, from);
    if (p >= 0 && p + nk.length <= to) return { pos: p, end: p + nk.length };
  }
  return null;
}

/** trim a run to `n` cells: drop blank cells at the edges, then interior blanks */
function fitRun(s: Stream, run: number[], n: number): number[] {
  const r = run.slice();
  const blank = (i: number) => s.tokens[i].kind === 'blank';
  while (r.length > n && blank(r[r.length - 1])) r.pop();
  while (r.length > n && blank(r[0])) r.shift();
  if (r.length > n) {
    const nonBlank = r.filter((i) => !blank(i));
    if (nonBlank.length === n) return nonBlank;
  }
  return r;
}

/**
 * The other way to trim a run with blank cells at both edges to `n` cells (the leading blanks
 * first: a blank label cell before the row's cells, "|  | 6 | 75 |  |" under a label pushed onto
 * a line of its own), when it gives other cells than `fitRun`; else null. Which blank is the
 * row's own is then not known. `label`: the token of the row's label.
 */
function otherFit(s: Stream, run: number[], n: number, label?: number): number[] | null {
  const blank = (i: number) => s.tokens[i].kind === 'blank';
  if (run.length <= n || !blank(run[0]) || !blank(run[run.length - 1])) return null;
  // (blank cells on another line than the row's values, in a layout of a row per line, are the
  // next or previous row's: not in doubt; and beside the label on its line, the blanks after the
  // row's cells are the columns its last cell spans: not in doubt either)
  const filled = run.filter((i) => !blank(i));
  if (filled.length === 0) return null;
  const line = lineOf(s, filled[0]);
  if (!filled.every((i) => lineOf(s, i) === line) || (label !== undefined && lineOf(s, label) === line)) return null;
  const r = run.slice();
  while (r.length > 0 && blank(r[0]) && lineOf(s, r[0]) !== line) r.shift();
  while (r.length > 0 && blank(r[r.length - 1]) && lineOf(s, r[r.length - 1]) !== line) r.pop();
  if (r.length <= n || !blank(r[0]) || !blank(r[r.length - 1])) return null;
  while (r.length > n && blank(r[0])) r.shift();
  while (r.length > n && blank(r[r.length - 1])) r.pop();
  const a = fitRun(s, run, n);
  if (r.length !== n || a.length !== n) return null;
  return a.every((t, k) => blank(t) === blank(r[k]) && s.tokens[t].raw === s.tokens[r[k]].raw) ? null : r;
}

function parseCount(raw: string): number | null {
  // (the common case, plain digits, without a regular expression)
  let digits = raw.length > 0 && raw.length <= 15;
  for (let i = 0; i < raw.length && digits; i++) {
    const c = raw.charCodeAt(i);
    digits = c >= 0x30 && c <= 0x39;
  }
  if (digits) return Number(raw);
  const t = nfkc(raw)
    .replace(/[,，]/g, '')
    .replace('−', '-')
    .replace(/(万元|亿元|元)$/, '');
  if (!/^[+-]?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

function parseMoney(raw: string): string | null {
  const t = nfkc(raw)
    .replace(/[,，]/g, '')
    .replace(/(万元|亿元|元)$/, '');
  if (!/^[+-]?\d+(\.\d+)?$/.test(t)) return null;
  return t.replace(/^\+/, '');
}

/** text of T between two offsets, for label records */
function slice(s: Stream, from: number, to: number): string {
  return s.T.slice(from, to).replace(/[#∅]/g, '');
}

interface RowHit {
  key: string;
  pos: number;
  end: number;
  run: number[] | null;
  runEnd: number;
  runStart: number;
  /**
   * a run of values that nobody claimed between the previous row's values and this row's label:
   * the label may have been cut in two by a converter (its tail, found here, attached to the next
   * row's values) — then that run, not the one after the label, is this row's
   */
  alt?: number[];
}

/**
 * Find rows in order. `defs` in template order; for each, the first key found
 * after the cursor; the value run is bounded by the next rows' first keys.
 */
function findRows(
  s: Stream,
  defs: { key: string; keys: readonly string[]; n: number }[],
  from: number,
  to: number,
  /** a row's cells are those on its label's line when they are exactly its cells (table A: no arithmetic to cut a longer run) */
  lineCells = false,
): Map<string, RowHit> {
  const T = s.T;
  const hits = new Map<string, RowHit>();
  let cursor = from;
  for (let i = 0; i < defs.length; i++) {
    const d = defs[i];
    // a row's label comes before the next row's: a key found only after the next row's label is
    // another table's or another row's words (an unlabelled （七）总计 row must not take the 总计
    // of the table below), and the row is left to the fuzzy recovery between its neighbours
    let limit = to;
    const next = defs[i + 1];
    if (next) {
      const nk = findKey(T, next.keys, cursor, to);
      if (nk) limit = nk.pos;
    }
    const found = findKey(T, d.keys, cursor, limit);
    // a label wrapped around its row's values (the values on the middle line of a tall row:
    // "5.要求行政机关确认或 0 0 4 1 687 98 790 重新出具已获取信息"): a key cut by the values
    const cut = keyAroundValues(s, d.keys, cursor, limit, found ? found.pos : undefined);
    const around = cut && (!found || cut.pos < found.pos) ? cut : null;
    const k = around ?? found;
    if (!k) continue;
    // bound: the earliest first-key of the next three rows
    let bound = to;
    for (let j = i + 1; j < Math.min(defs.length, i + 4); j++) {
      const nk = normKeys(defs[j].keys)[0];
      const p = T.indexOf(nk, k.end);
      if (p >= 0 && p < bound) bound = p;
    }
    let run = around ? around.run : firstRun(s, k.end, bound);
    // the row's own cells blank on its line, and values only after other words: the row was
    // published blank, the values are another row's (whose label was lost)
    if (run && !around && run.start > k.end) {
      const blank = firstRun(s, k.end, run.start);
      if (blank && lineOf(s, blank.tokens[0]) === lineOf(s, s.at[k.pos])) run = blank;
    }
    // a row per line (a table row): the cells on the label's line are the row's when they are all
    // blank (the row published blank), or exactly its cells and the run goes on with a line of
    // several cells (a row whose label was lost: "| 规章 |  |  | 0 |" then "|  | 6 | 0 | 0 |"; not
    // a number's piece wrapped onto a line of its own)
    if (run && !around) {
      const line = lineOf(s, s.at[k.pos]);
      let m = 0;
      while (m < run.tokens.length && lineOf(s, run.tokens[m]) === line) m++;
      if (m > 0 && m < run.tokens.length) {
        const own = run.tokens.slice(0, m);
        const allBlank = own.every((t) => s.tokens[t].kind === 'blank');
        if (allBlank || (lineCells && m === d.n && lineSize(s, run.tokens[m]) > 1)) {
          run = { tokens: own, start: run.start, end: s.start[own[m - 1]] + 1 };
        }
      }
    }
    const before = i > 0 && hits.size > 0 ? firstRun(s, cursor, k.pos) : null;
    const hit: RowHit = {
      key: d.key,
      pos: k.pos,
      end: k.end,
      run: run ? run.tokens : null,
      runStart: run ? run.start : k.end,
      runEnd: run ? run.end : k.end,
      ...(before && before.tokens.length >= d.n ? { alt: before.tokens } : {}),
    };
    hits.set(d.key, hit);
    cursor = run ? run.end : k.end;
  }
  // fuzzy recovery: rows whose labels were not found (misread, cut), between two found rows: when
  // as many runs of values lie between those rows as rows are missing, each after some text (its
  // label), they are the missing rows' in order; else whose is which?
  for (let i = 1; i < defs.length - 1; i++) {
    if (hits.has(defs[i].key) || !hits.has(defs[i - 1].key)) continue;
    let j = i;
    while (j + 1 < defs.length && !hits.has(defs[j + 1].key)) j++;
    const prev = hits.get(defs[i - 1].key) as RowHit;
    const next = j + 1 < defs.length ? hits.get(defs[j + 1].key) : undefined;
    if (!next) continue;
    const found = valueRuns(s, prev.runEnd, next.pos);
    if (found.length !== j - i + 1) continue;
    if (found.some((run, k) => slice(s, k === 0 ? prev.runEnd : found[k - 1].end, run.start).length < 2)) continue;
    found.forEach((run, k) => {
      const key = defs[i + k].key;
      const pos = k === 0 ? prev.runEnd : found[k - 1].end;
      hits.set(key, { key, pos, end: run.start, run: run.tokens, runStart: run.start, runEnd: run.end });
    });
    // (the next row's values before its label are then the recovered row's, not a second placement)
    const after = hits.get(defs[j + 1].key);
    const last = found[found.length - 1];
    if (after?.alt?.some((t) => last.tokens.includes(t))) delete after.alt;
  }
  return hits;
}

/** past the first row label of table B (where C's heading cannot be yet), or `from` */
function appKeyEnd(T: string, from: number, to: number): number {
  return findKey(T, APP_FIRST_ROW_KEYS, from, to)?.end ?? from;
}

/** table A's markers of each format, normalised once */
const MARKERS_2019_NORM = MARKERS_2019.map(normLabel);
const MARKERS_2021_NORM = MARKERS_2021.slice(0, 4).map(normLabel);

export function detectFormat(s: Stream, from: number, to: number): { tableA: FormatVersion | null; tableBRows: FormatVersion | null } {
  const T = s.T.slice(from, to);
  const c19 = MARKERS_2019_NORM.filter((m) => T.includes(m)).length;
  const c21 = MARKERS_2021_NORM.filter((m) => T.includes(m)).length;
  const tableA: FormatVersion | null = c19 === 0 && c21 === 0 ? null : c19 > c21 ? '2019' : '2021';
  const has2021Rows = T.includes('逾期不补正') || T.includes('缴纳费用') || T.includes('不补正');
  const hasOther = T.includes('其他处理');
  const tableBRows: FormatVersion | null = has2021Rows ? '2021' : hasOther ? '2019' : null;
  return { tableA, tableBRows };
}

const NO_FIGURES: ReadonlyMap<string, number> = new Map();

/**
 * The tables' rows and columns as the search needs them, made once per format version when the
 * module loads (not per report): the same arrays every time, so V8's optimised code sees one
 * shape of them (arrays made per call by an inlined `map` and by the builtin had different
 * shapes, and the functions receiving them were thrown out and optimised again several times in
 * a run).
 */
interface AppPlan {
  defs: ApplicationRowDef[];
  find: { key: string; keys: readonly string[]; n: number }[];
  together: { key: string; n: number }[];
  leaves: string[];
}
function appPlanOf(v: FormatVersion): AppPlan {
  const defs = APPLICATION_ROWS.filter((r) => r.versions.includes(v));
  return {
    defs,
    find: defs.map((d) => ({ key: d.key, keys: d.keys, n: 7 })),
    together: defs.map((d) => ({ key: d.key, n: 7 })),
    leaves: defs.filter((d) => d.leaf).map((d) => d.key),
  };
}
const APP_PLANS: Record<FormatVersion, AppPlan> = { '2019': appPlanOf('2019'), '2021': appPlanOf('2021') };
interface ProactivePlan {
  defs: readonly ProactiveRowDef[];
  find: { key: string; keys: readonly string[]; n: number }[];
  together: { key: string; n: number }[];
}
function proactivePlanOf(defs: readonly ProactiveRowDef[]): ProactivePlan {
  return {
    defs,
    find: defs.map((d) => ({ key: d.key, keys: d.keys, n: d.fields.length })),
    together: defs.map((d) => ({ key: d.key, n: d.fields.length })),
  };
}
const PROACTIVE_PLANS: Record<FormatVersion, ProactivePlan> = {
  '2019': proactivePlanOf(PROACTIVE_ROWS_2019),
  '2021': proactivePlanOf(PROACTIVE_ROWS_2021),
};
const APP_COLS: readonly string[] = APPLICANT_COLUMNS.map((c) => c.key);
const REVIEW_GROUP_KEYS: readonly string[] = REVIEW_GROUPS.map((g) => g.key);
const REVIEW_COL_KEYS: readonly string[] = REVIEW_COLUMNS.map((c) => c.key);

export function extractTables(
  s: Stream,
  from: number,
  to: number,
  /** the figures quoted in the narrative, asked for only when a row's digits ran together (the caller makes them once) */
  figures: () => ReadonlyMap<string, number> = () => NO_FIGURES,
): Extracted | null {
  const T = s.T;
  // (filled in cell order; a dictionary-mode object keeps that order)
  const origins = dictionary<Origin>();
  const ambiguities: Ambiguity[] = [];
  const labels: LabelRecord[] = [];

  // ---- locate table B (applications) first: it is the most distinctive
  const bStartKey = findKey(T, TABLE_B_KEYS, from, to);
  const fmt = detectFormat(s, from, to);
  const rowsVersion: FormatVersion = fmt.tableBRows ?? fmt.tableA ?? '2021';
  const format: FormatVersion = fmt.tableA ?? rowsVersion;
  const mixedOtherHandling = format === '2021' && rowsVersion === '2019';
  const app = APP_PLANS[rowsVersion];
  const appDefs = app.defs;
  const bFrom = bStartKey ? bStartKey.pos : from;
  // table B ends where table C (行政复议) begins: no row of B is looked for in C's header (the
  // 总计 of an unlabelled （七）总计 row would be found there, with C's values after it)
  const bEnd = findKey(T, REVIEW_KEYS, appKeyEnd(T, bFrom, to), to)?.pos ?? to;
  const appHits = findRows(s, app.find, bFrom, bEnd);

  // ---- table A (proactive): between its first marker and table B
  const aPlan = PROACTIVE_PLANS[format];
  const aDefs = aPlan.defs;
  const aStart = findKey(T, TABLE_A_KEYS, from, bStartKey ? bStartKey.pos : to);
  const aFrom = aStart ? headerless(s, aStart.pos, from, aDefs) : from;
  const aTo = bStartKey ? bStartKey.pos : to;
  const aHits = findRows(s, aPlan.find, aFrom, aTo, true);

  // ---- table C: the first run after 行政复议 following table B
  const lastB = [...appHits.values()].reduce((m, h) => Math.max(m, h.runEnd), bFrom);
  const cKey = findKey(T, REVIEW_KEYS, lastB, to) ?? findKey(T, REVIEW_RESULT_KEYS, lastB, to);
  let cRun = cKey ? firstRun(s, cKey.end, to) : null;
  // none of C's words (its headers lost, the section's heading not in the text): a run of exactly
  // its 15 cells after table B's last row is table C, in the template's column order; of two such
  // runs, neither is taken (their values are the cells' candidates)
  const cOptions: RunResult[] = [];
  const cRows = groupRows(s, lastB, to);
  if (cRows) cRun = null;
  if (!cKey && !cRows) {
    for (let at = lastB, r = firstRun(s, at, to); r !== null; at = r.end, r = firstRun(s, at, to)) {
      if (r.tokens.some((i) => s.tokens[i].kind === 'value') && fitRun(s, r.tokens, 15).length === 15) cOptions.push(r);
    }
    if (cOptions.length === 1) cRun = cOptions[0];
  }

  const found = {
    proactive: aHits.size,
    applications: appHits.size,
    reviewLitigation: cRun !== null || cRows !== null,
    tableAMarkers: fmt.tableA !== null,
    // rows that only exist in the 2019/2021 formats (old pre-2019 tables have none of them)
    anchors: appHits.has('newReceived') || appHits.has('carriedOver') || appHits.has('carriedForward'),
  };

  // ---- values
  const tokRaw = (i: number) => s.tokens[i].raw;
  const origin = (path: string, i: number) => {
    origins[path] = { raw: tokRaw(i), prov: provOf(s, i)! };
  };

  // table A
  const proactive: Record<string, Record<string, number | string | null>> = {};
  // rows whose values went into another row's run (stacked labels: nothing tells the rows' cells
  // apart, table A has no arithmetic), and values before the first row's label (the values may
  // precede their labels throughout): not read
  const aLost = runsTogether(s, aPlan.together, aHits, () => false).lost;
  let firstA: RowHit | undefined;
  for (let k = 0; k < aDefs.length && firstA === undefined; k++) firstA = aHits.get(aDefs[k].key);
  const aBefore = firstA ? firstRun(s, aFrom, firstA.pos) : null;
  const aValuesFirst = aBefore !== null && aBefore.tokens.filter((i) => s.tokens[i].kind === 'value').length >= aDefs[0].fields.length;
  for (const d of aDefs) {
    const row: Record<string, number | string | null> = {};
    const hit = aHits.get(d.key);
    const n = d.fields.length;
    let run = hit?.run ? fitRun(s, hit.run, n) : [];
    const fitted = run;
    const otherCells = hit?.run ? otherFit(s, hit.run, n, s.at[hit.pos]) : null;
    // the last cell spanning the columns left, written once per column ("行政许可 | 3960 | 3960 | 3960")
    if (run.length > n && run.slice(n - 1).every((i) => tokRaw(i) === tokRaw(run[n - 1]))) run = run.slice(0, n);
    // more values than cells (whose are they?), or values each alone on its line that are fewer
    // than the cells (cells missing, not digits run together): not read
    const atomic = run.length > 1 && run.length < n && run.every((i) => isLone(s, i));
    // (more values than cells: the row's own line holding exactly its cells, then values from
    // lines with words — a page's running header, "12/6/26, 11:55 PM 哈尔滨市…" — are the row's)
    if (hit && run.length > n) {
      const line = lineOf(s, s.at[hit.pos]);
      const own = run.slice(0, n);
      const rest = run.slice(n);
      if (own.every((i) => lineOf(s, i) === line) && rest.every((i) => lineOf(s, i) !== line && lineHasText(s, i))) run = own;
    }
    // (more values than cells are the row's and the next rows', when those rows' labels were not found)
    const unlabelledNext = aDefs[aDefs.indexOf(d) + 1] !== undefined && !aHits.has(aDefs[aDefs.indexOf(d) + 1].key);
    if (run.length > n && unlabelledNext) run = run.slice(0, n);
    if (hit?.run && (aValuesFirst || aLost.has(d.key) || run.length > n || atomic)) {
      run = [];
      for (const f of d.fields) ambiguities.push({ path: `proactive.${d.key}.${f.key}`, candidates: [] });
    }
    // the last field may carry a unit ("37251000元": 采购项目数量 and 采购总金额 run together)
    // (and a decimal part: "370.0万元" is 37 and "0.0万元"), or have it in a word of its own after it
    const lastType = d.fields[n - 1].type;
    const tail =
      run.length > 0 && (lastType === 'raw' || lastType === 'money')
        ? (/(\.\d+)?(万元|亿元|元)?$/.exec(tokRaw(run[run.length - 1]))?.[0] ?? '')
        : '';
    const unit = tail;
    const after = run.length === n ? s.tokens[run[n - 1] + 1] : undefined;
    const unitAfter =
      lastType === 'raw' &&
      !unit &&
      after?.kind === 'text' &&
      /^(万元|亿元|元)$/.test(after.raw) &&
      lineOf(s, run[n - 1] + 1) === lineOf(s, run[n - 1])
        ? after.raw
        : '';
    const digits = run.map((i, k) => (k === run.length - 1 && unit ? tokRaw(i).slice(0, -unit.length) : tokRaw(i)));
    const glued = run.length > 0 && run.length < n && run.every((i, k) => s.tokens[i].kind === 'value' && /^-?\d+$/.test(digits[k]));
    if (glued) {
      // only the 2019 本年增/减 may be negative
      let cands: Splits = splits(digits, n, (v) => d.fields.every((f, c) => f.type === 'signed' || v[c] >= 0));
      if (cands.truncated) cands = [];
      // figures quoted in the narrative narrow the choice, never override it
      const hints = figures();
      const hinted = cands.filter((v) =>
        d.fields.every((f, c) => !hints.has(`proactive.${d.key}.${f.key}`) || hints.get(`proactive.${d.key}.${f.key}`) === v[c]),
      );
      if (hinted.length > 0) cands = hinted;
      const r = solve(new Map(), new Map([[d.key, cands]]), []);
      const v = r.values.get(d.key) ?? [];
      const paths = rowPaths(d, 'proactive', d.key, d.fields);
      d.fields.forEach((f, c) => {
        const path = paths[c];
        const val = v[c] ?? null;
        const suffix = f.type === 'raw' ? unit : '';
        row[f.key] = f.type === 'money' || f.type === 'raw' ? (val === null ? null : String(val) + suffix) : val;
        origin(path, run[0]);
        const amb = r.ambiguous.get(d.key)?.get(c);
        if (amb)
          ambiguities.push({
            path,
            candidates: amb.slice(0, MAX_CANDIDATES).map((x) => (suffix ? `${x}${suffix}` : x)),
            ...(amb.length > MAX_CANDIDATES ? { more: true } : {}),
          });
        else if (cands.length === 0) ambiguities.push({ path, candidates: [] });
      });
    } else {
      const paths = rowPaths(d, 'proactive', d.key, d.fields);
      d.fields.forEach((f, c) => {
        const path = paths[c];
        const ti = run[c];
        if (ti === undefined) {
          row[f.key] = null;
          return;
        }
        const t = s.tokens[ti];
        origin(path, ti);
        if (t.kind === 'blank') row[f.key] = null;
        else if (f.type === 'money') row[f.key] = parseMoney(t.raw);
        else if (f.type === 'raw')
          row[f.key] = parseCount(t.raw) === null && !/\d/.test(t.raw) ? null : t.raw.trim() + (c === n - 1 ? unitAfter : '');
        else row[f.key] = parseCount(t.raw);
        // a blank at either edge may be the row's own: the cells the two trimmings disagree on are not known
        const o = otherCells && run === fitted ? otherCells[c] : undefined;
        if (o !== undefined && (s.tokens[o].kind !== t.kind || s.tokens[o].raw !== t.raw)) {
          const seen = [
            row[f.key],
            s.tokens[o].kind === 'blank' ? null : f.type === 'count' || f.type === 'signed' ? parseCount(s.tokens[o].raw) : s.tokens[o].raw,
          ];
          row[f.key] = null;
          ambiguities.push({ path, candidates: seen.filter((v): v is string | number => v !== null) });
        }
      });
    }
    proactive[d.key] = row;
  }
  // table A column labels (e.g. the typo 本年度止件数)
  recordColumnLabels(s, aFrom, aTo, aDefs, labels);

  // table B
  const cols = APP_COLS;
  const fixed = new Map<string, (number | null)[]>();
  const options = new Map<string, number[][]>();
  const runs = new Map<string, number[]>();
  /**
   * how each row was read: a run of exactly its cells; its run after its label with digits run
   * together (cut by the arithmetic, or not at all); the arithmetic choosing among placements; or
   * not at all
   */
  const how = new Map<string, Reading>();
  /** two readings of a row: the cells they agree on are its own, the others null with both values */
  const keepAgreed = (key: string, a: (number | null)[], b: (number | null)[]) => {
    fixed.set(
      key,
      a.map((v, c) => (v === b[c] ? v : null)),
    );
    a.forEach((v, c) => {
      if (v !== b[c])
        ambiguities.push({ path: `applications.${key}.${cols[c]}`, candidates: [v, b[c]].filter((x): x is number => x !== null) });
    });
  };
  /** rows left empty for want of a certain reading (listed under ambiguities) */
  const unread = new Set<string>();
  const values = (r: number[]): (number | null)[] => {
    const v: (number | null)[] = [];
    for (let c = 0; c < cols.length; c++)
      v.push(r[c] === undefined || s.tokens[r[c]].kind === 'blank' ? null : parseCount(s.tokens[r[c]].raw));
    return v;
  };
  const together = runsTogether(s, app.together, appHits, (r) => rowAddsUp(values(r)));
  /** tokens taken by the row before (a wrapped number's piece is looked for only outside them) */
  let used: readonly number[] = [];
  for (const d of appDefs) {
    const shared = together.rows.get(d.key);
    if (shared) {
      fixed.set(d.key, values(shared));
      runs.set(d.key, shared);
      how.set(d.key, 'resolved');
      used = shared;
      continue;
    }
    const hit = appHits.get(d.key);
    if (!hit?.run || together.lost.has(d.key)) {
      fixed.set(
        d.key,
        cols.map(() => null),
      );
      how.set(d.key, 'none');
      if (hit?.run) unread.add(d.key);
      continue;
    }
    const run = fitRun(s, hit.run, 7);
    runs.set(d.key, run);
    if (hit.alt && run.length === 7) {
      // two placements: the values before the label (a label cut in two) or after it; the column
      // sums decide, else the cells stay empty with both candidates
      const alt = fitRun(s, hit.alt, 7);
      const a = values(alt);
      const b = values(run);
      if (alt.length === 7 && a.every((v) => v !== null) && b.every((v) => v !== null)) {
        options.set(d.key, [a as number[], b as number[]]);
        how.set(d.key, 'resolved');
        used = run;
        continue;
      }
      // (with blank cells the solver cannot weigh them: the cells the placements disagree on are not known)
      if (alt.length === 7) {
        keepAgreed(d.key, a, b);
        how.set(d.key, 'resolved');
        used = run;
        continue;
      }
    }
    const glued = run.length < 7 && run.every((i) => s.tokens[i].kind === 'value' && /^-?\d+$/.test(tokRaw(i)));
    if (glued) {
      used = run;
      how.set(d.key, 'glued');
      // values each alone on its line (one cell per line) ran together with nothing: cells are
      // missing, not glued, and no cut inside them is certain
      if (run.length > 1 && run.every((i) => isLone(s, i))) {
        fixed.set(
          d.key,
          cols.map(() => null),
        );
        how.set(d.key, 'none');
        unread.add(d.key);
        continue;
      }
      const raw = run.map((i) => tokRaw(i));
      let cands: Splits = splitsWithTotals(raw, 1, 7);
      // a published row total that does not add up: fall back to every split
      if (cands.length === 0 && !cands.truncated) cands = splits(raw, 7);
      if (cands.truncated) cands = [];
      const hint = figures().get(`applications.${d.key}.total`);
      const hinted = hint === undefined ? [] : cands.filter((v) => v[6] === hint);
      if (hinted.length > 0) cands = hinted;
      options.set(d.key, cands);
      continue;
    }
    const base = values(run.slice(0, 7));
    const pieces = piecesBefore(s, hit.pos, used);
    if (run.length === 7 && pieces.length === 0) {
      used = run;
      // a blank at either edge may be the row's own: the cells the two trimmings disagree on are not known
      const other = otherFit(s, hit.run, 7, s.at[hit.pos]);
      if (other) {
        const alt = values(other);
        keepAgreed(d.key, base, alt);
        how.set(d.key, 'glued');
        continue;
      }
      fixed.set(d.key, base);
      how.set(d.key, 'exact');
      continue;
    }
    // more values than cells, or a lone value right above the label: a number wrapped in a narrow
    // column ("12839" / "7" is 128397), or the values of a row whose label was lost. The readings
    // that add up are kept; none: a run of exactly seven is the row as published, a longer one is
    // not read
    const baseOk = run.length >= 7 && rowAddsUp(base);
    const wrapped = wrapReadings(s, [...pieces, ...run], pieces.length, 7, (v) => rowAddsUp(v));
    const cands = distinct([...(baseOk ? [base as number[]] : []), ...wrapped]);
    // (a value after the row's seven that the row does not need may be the next row's upper piece)
    used = wrapped.length === 0 ? run.slice(0, 7) : run;
    if (cands.length === 1) {
      fixed.set(d.key, cands[0]);
      // (the row's own seven after its label, confirmed by its row total, is the row as published:
      // what follows them is not the row's — a word read as a mark, the next row's values)
      how.set(d.key, baseOk ? 'exact' : 'resolved');
    } else if (cands.length > 1) {
      options.set(d.key, cands);
      how.set(d.key, 'resolved');
    } else if (run.length === 7) {
      fixed.set(d.key, base);
      how.set(d.key, 'exact');
    } else {
      fixed.set(
        d.key,
        cols.map(() => null),
      );
      how.set(d.key, 'none');
      unread.add(d.key);
    }
  }
  for (const k of unread) for (const col of cols) ambiguities.push({ path: `applications.${k}.${col}`, candidates: [] });
  if (options.size > 0) {
    const leaves = app.leaves;
    const cons: Constraint[] = [];
    for (let c = 0; c < 7; c++) {
      cons.push({
        plus: [
          ['newReceived', c],
          ['carriedOver', c],
        ],
        minus: [
          ['outcomeTotal', c],
          ['carriedForward', c],
        ],
      });
      cons.push({ plus: [['outcomeTotal', c]], minus: leaves.map((k) => [k, c] as [string, number]) });
    }
    const order = ['newReceived', 'carriedOver', 'carriedForward', 'outcomeTotal', ...leaves];
    // (a row not read is unknown, not blank: its cells take no part in the sums)
    const known = new Map([...fixed].filter(([k]) => how.get(k) !== 'none'));
    const res = solve(known, options, cons, order);
    for (const [k, v] of res.values) fixed.set(k, v);
    for (const [k, c] of options) {
      if (c.length === 0) for (const col of cols) ambiguities.push({ path: `applications.${k}.${col}`, candidates: [] });
    }
    for (const [k, m] of res.ambiguous) {
      for (const [c, cands] of m)
        ambiguities.push({
          path: `applications.${k}.${cols[c]}`,
          candidates: cands.slice(0, MAX_CANDIDATES),
          ...(cands.length > MAX_CANDIDATES ? { more: true } : {}),
        });
    }
  }
  // the reading as a whole: when many rows were not read from a run of exactly their cells, or
  // a column's sums fail where rows were read otherwise, the converter scrambled the table's order
  // (labels away from their values, values before their labels): no row's placement is certain,
  // and table B is not read
  // (numbers recognised from a scanned page break sums by a misread digit, not by being out of
  // place: their sums are left to the OCR check, which flags the cells, ocr.ts)
  const recognised = [...appHits.values()].some((h) => h.run?.some((i) => isRecognised(s, i)));
  if (scrambled(app, fixed, how, !recognised)) {
    for (const d of appDefs)
      fixed.set(
        d.key,
        cols.map(() => null),
      );
    for (let k = ambiguities.length - 1; k >= 0; k--) if (ambiguities[k].path.startsWith('applications.')) ambiguities.splice(k, 1);
    for (const d of appDefs) for (const col of cols) ambiguities.push({ path: `applications.${d.key}.${col}`, candidates: [] });
    runs.clear();
  }
  const applications: Record<string, Record<string, number | null>> = {};
  for (const d of appDefs) {
    const v = fixed.get(d.key) ?? cols.map(() => null);
    const row: Record<string, number | null> = {};
    const run = runs.get(d.key) ?? [];
    const glued = options.has(d.key);
    const paths = rowPaths(d, 'applications', d.key, cols);
    cols.forEach((c, i) => {
      row[c] = v[i] ?? null;
      const ti = glued ? run[0] : run[i];
      if (ti !== undefined) origin(paths[i], ti);
    });
    applications[d.key] = row;
  }
  recordRowLabels(s, appDefs, appHits, labels);
  recordApplicantColumnLabels(s, bFrom, appHits.get('newReceived')?.pos ?? bFrom, labels);

  // table C
  const reviewLitigation: Record<string, Record<string, number | null>> = {};
  const groups = REVIEW_GROUP_KEYS;
  const rcols = REVIEW_COL_KEYS;
  let cVals: (number | null)[] = new Array(15).fill(null);
  let cToks: number[] = [];
  if (cRows) {
    cToks = cRows.tokens;
    cVals = cToks.map((ti) => (s.tokens[ti].kind === 'blank' ? null : parseCount(s.tokens[ti].raw)));
  } else if (cRun) {
    cToks = fitRun(s, cRun.tokens, 15);
    const glued = cToks.length < 15 && cToks.every((i) => s.tokens[i].kind === 'value' && /^-?\d+$/.test(tokRaw(i)));
    // more values than cells: a number wrapped in a narrow column, when a join adds up, else whose
    // are they? Values each alone on their lines, fewer than the cells: cells missing, not glued
    const wrapped = cToks.length > 15 ? wrapReadings(s, cToks, 0, 15, groupsAddUp) : [];
    const base = cToks.length > 15 ? cToks.slice(0, 15).map((i) => (s.tokens[i].kind === 'blank' ? null : parseCount(tokRaw(i)))) : [];
    const cands = cToks.length > 15 ? distinct([...(groupsAddUp(base) ? [base] : []), ...wrapped]) : [];
    if (cToks.length > 15 || (glued && cToks.length > 1 && cToks.every((i) => isLone(s, i)))) {
      cVals = new Array(15).fill(null);
      for (let c = 0; c < 15; c++) {
        const set = [...new Set(cands.map((v) => v[c]))].sort((a, b) => a - b);
        if (set.length === 1) cVals[c] = set[0];
        else ambiguities.push({ path: `reviewLitigation.${groups[Math.floor(c / 5)]}.${rcols[c % 5]}`, candidates: set });
      }
      if (cands.length !== 1) cToks = [];
    } else if (glued) {
      const raw = cToks.map((i) => tokRaw(i));
      let cands: Splits = splitsWithTotals(raw, 3, 5);
      if (cands.length === 0 && !cands.truncated) cands = splits(raw, 15);
      if (cands.truncated) cands = [];
      const r = solve(new Map(), new Map([['c', cands]]), []);
      cVals = r.values.get('c') ?? cVals;
      if (cands.length === 0) {
        cVals = new Array(15).fill(null);
        for (let c = 0; c < 15; c++)
          ambiguities.push({ path: `reviewLitigation.${groups[Math.floor(c / 5)]}.${rcols[c % 5]}`, candidates: [] });
      }
      for (const [c, cand] of r.ambiguous.get('c') ?? []) {
        ambiguities.push({
          path: `reviewLitigation.${groups[Math.floor(c / 5)]}.${rcols[c % 5]}`,
          candidates: cand.slice(0, MAX_CANDIDATES),
          ...(cand.length > MAX_CANDIDATES ? { more: true } : {}),
        });
      }
      cToks = new Array(15).fill(cToks[0]);
    } else {
      const val = (ti: number | undefined) => (ti === undefined || s.tokens[ti].kind === 'blank' ? null : parseCount(s.tokens[ti].raw));
      cVals = cVals.map((_, i) => val(cToks[i]));
      // a blank at either edge may be a cell of the table: the cells the two trimmings disagree on are not known
      const other = otherFit(s, cRun.tokens, 15);
      if (other && cToks.length === 15) {
        for (let c = 0; c < 15; c++) {
          const v = cVals[c];
          const o = val(other[c]);
          if (v === o) continue;
          cVals[c] = null;
          ambiguities.push({
            path: `reviewLitigation.${groups[Math.floor(c / 5)]}.${rcols[c % 5]}`,
            candidates: [v, o].filter((x): x is number => x !== null),
          });
        }
      }
    }
  }
  if (cOptions.length > 1) {
    const readings = cOptions.map((r) => fitRun(s, r.tokens, 15).map((i) => (s.tokens[i].kind === 'blank' ? null : parseCount(tokRaw(i)))));
    for (let c = 0; c < 15; c++) {
      const set = [...new Set(readings.map((v) => v[c]).filter((v): v is number => v !== null && v !== undefined))].sort((a, b) => a - b);
      ambiguities.push({ path: cellPath('reviewLitigation', groups[Math.floor(c / 5)], rcols[c % 5]), candidates: set });
    }
  }
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi];
    const row: Record<string, number | null> = {};
    for (let ci = 0; ci < rcols.length; ci++) {
      const c = rcols[ci];
      row[c] = cVals[gi * 5 + ci] ?? null;
      const ti = cToks[gi * 5 + ci];
      if (ti !== undefined) origin(cellPath('reviewLitigation', g, c), ti);
    }
    reviewLitigation[g] = row;
  }

  // a row whose label was found but whose cells were left unread (which cells are its own could
  // not be told): its cells are listed (with the token that was there, if any), never silently blank
  const listed = new Set(ambiguities.map((a) => a.path));
  const listUnread = (table: 'proactive' | 'applications', row: string, cells: Record<string, unknown>) => {
    for (const col in cells) {
      if (cells[col] !== null) continue;
      const path = cellPath(table, row, col);
      if (listed.has(path)) continue;
      // (a cell published blank has its blank token: it is read, as blank)
      const raw = origins[path]?.raw.trim();
      if (raw === '') continue;
      const n = raw === undefined ? null : parseCount(raw);
      ambiguities.push({ path, candidates: n === null ? [] : [n], reason: 'placement' });
    }
  };
  // (table A's rows are all in every report of its format: one not found in a table A that was
  // found was there, unread)
  if (aHits.size > 0) for (const key in proactive) listUnread('proactive', key, proactive[key]);
  for (const key in applications) if (appHits.has(key)) listUnread('applications', key, applications[key]);

  const end = Math.max(cRun ? cRun.end : 0, cRows ? cRows.end : 0, lastB);
  return {
    format,
    mixedOtherHandling,
    proactive,
    applications,
    reviewLitigation,
    ambiguities,
    provenance: origins,
    labels,
    span: { start: Math.min(aFrom, bFrom), end },
    found,
  };
}

type Reading = 'exact' | 'glued' | 'resolved' | 'none';

/**
 * Where table A starts when its first marker found (`pos`) is not its first header: the headers
 * above were lost (an OCR or vision model numbered the columns instead), and rows of the table
 * stand in the cells right before it. The table goes back over the table cells directly before
 * the marker (no paragraph between) to the first cell that is a row's label, whole; else `pos`.
 */
/**
 * 表三 laid out as three rows, one a group (行政复议 / 未经复议直接起诉 / 复议后起诉) of five cells
 * (a spreadsheet, or the table turned): each group's cells are the run right after its own
 * label and before the next group's, exactly five of them. Null when the table is not so.
 */
function groupRows(s: Stream, from: number, to: number): { tokens: number[]; end: number } | null {
  const T = s.T;
  const k2 = findKey(T, DIRECT_SUIT_KEYS, from, to);
  const k3 = k2 ? findKey(T, SUIT_AFTER_REVIEW_KEYS, k2.end, to) : null;
  if (!k2 || !k3) return null;
  // the last 行政复议 before the second group's label (the section's heading has the word too)
  let k1: { pos: number; end: number } | null = null;
  for (let k = findKey(T, REVIEW_KEYS, from, k2.pos); k; k = findKey(T, REVIEW_KEYS, k.end, k2.pos)) k1 = k;
  if (!k1) return null;
  const five = (at: number, until: number): { tokens: number[]; end: number } | null => {
    const r = firstRun(s, at, until);
    if (!r) return null;
    // exactly five cells, and no other cells before the next group's label
    const f = fitRun(s, r.tokens, 5);
    if (f.length !== 5 || !f.some((i) => s.tokens[i].kind === 'value') || firstRun(s, r.end, until) !== null) return null;
    return { tokens: f, end: r.end };
  };
  const a = five(k1.end, k2.pos);
  const b = a && five(k2.end, k3.pos);
  const nextKey = findKey(T, SECTION_FIVE_KEYS, k3.end, to)?.pos ?? to;
  const c = b && five(k3.end, nextKey);
  return a && b && c ? { tokens: [...a.tokens, ...b.tokens, ...c.tokens], end: c.end } : null;
}

/** the normalised labels and keys of table A's rows, per format (made once) */
const headerlessLabels = new WeakMap<readonly ProactiveRowDef[], Set<string>>();

function headerless(s: Stream, pos: number, from: number, defs: readonly ProactiveRowDef[]): number {
  const first = s.tokens[s.at[pos]]?.unit;
  const lowest = s.tokens[s.at[from]]?.unit;
  if (first === undefined || lowest === undefined) return pos;
  let labels = headerlessLabels.get(defs);
  if (!labels) {
    labels = new Set(defs.flatMap((d) => [d.label, ...d.keys].map(normLabel)));
    headerlessLabels.set(defs, labels);
  }
  let start = -1;
  for (let u = first - 1; u >= lowest && s.units[u].cell; u--) if (labels.has(normLabel(s.units[u].text))) start = u;
  if (start < 0) return pos;
  for (let k = s.at[from]; k < s.at[pos]; k++) if (s.tokens[k].unit >= start) return Math.max(from, s.start[k]);
  return pos;
}

/**
 * Table B was read out of order: more than a quarter of its rows were not read from their own run
 * after their label (placed by the arithmetic, or not read at all), or some were and a column's
 * sums (新收 + 结转 = 办理结果总计 + 结转下年度; 总计 = the sum of the results) fail among the cells
 * read (`checkSums`: not for numbers recognised by OCR, whose sums fail by misreadings). A blank
 * cell of a row read as published counts as 0; a row not read leaves the sums it is in unchecked.
 */
function scrambled(
  { defs, leaves }: AppPlan,
  values: Map<string, (number | null)[]>,
  how: Map<string, Reading>,
  checkSums: boolean,
): boolean {
  const anomalies = defs.filter((d) => how.get(d.key) === 'resolved' || how.get(d.key) === 'none').length;
  if (anomalies === 0) return false;
  if (anomalies * 4 > defs.length) return true;
  if (!checkSums) return false;
  const cell = (k: string, c: number): number | undefined => {
    const v = values.get(k)?.[c];
    if (how.get(k) === 'none' || !values.has(k)) return undefined;
    return v ?? (how.get(k) === 'exact' ? 0 : undefined);
  };
  for (let c = 0; c < 7; c++) {
    for (const [plus, minus] of [
      [
        ['newReceived', 'carriedOver'],
        ['outcomeTotal', 'carriedForward'],
      ],
      [['outcomeTotal'], leaves],
    ]) {
      const p = plus.map((k) => cell(k, c));
      const m = minus.map((k) => cell(k, c));
      if ([...p, ...m].some((v) => v === undefined)) continue;
      const sum = (vs: (number | undefined)[]) => vs.reduce<number>((a, v) => a + (v as number), 0);
      if (sum(p) !== sum(m)) return true;
    }
  }
  return false;
}

/** token `i` was recognised from the image of a scanned page (OCR) */
function isRecognised(s: Stream, i: number): boolean {
  const p = s.units[s.tokens[i].unit].prov;
  return p.kind === 'pdf' && p.ocr === true;
}

/** 表二's row equation: the six applicant columns add up to 总计 (a blank part counts as 0; a blank total does not add up) */
function rowAddsUp(v: readonly (number | null)[]): boolean {
  const total = v[6];
  if (total === null || total === undefined) return false;
  let sum = 0;
  for (let c = 0; c < 6; c++) sum += v[c] ?? 0;
  return sum === total;
}

/** 表三's equations: in each of the three groups, the four results add up to 总计 */
function groupsAddUp(v: readonly (number | null)[]): boolean {
  for (let g = 0; g < 3; g++) {
    const total = v[g * 5 + 4];
    if (total === null || total === undefined) return false;
    let sum = 0;
    for (let c = 0; c < 4; c++) sum += v[g * 5 + c] ?? 0;
    if (sum !== total) return false;
  }
  return true;
}

/** the readings without repeats (and none with a blank: a reading the arithmetic chose is all numbers) */
function distinct(readings: readonly (number | null)[][]): number[][] {
  const seen = new Set<string>();
  const out: number[][] = [];
  for (const r of readings) {
    if (r.some((v) => v === null)) continue;
    const k = r.join(',');
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r as number[]);
  }
  return out;
}

const DIGITS = /^\d+$/;

/**
 * Values right before a row's label, each the only value on its line (at most two, not taken by the
 * row before): the upper piece of a number wrapped in a narrow column, when the row's cells sit on
 * the line between the pieces (a vertically centred row, as LibreOffice and Chromium print one).
 * `pos` is where the row's key was found: the label's words before it on its line are passed over.
 */
function piecesBefore(s: Stream, pos: number, used: readonly number[]): number[] {
  const out: number[] = [];
  const key = s.at[pos];
  let p = s.start[key];
  while (p > 0 && !isVal(s.T.charCodeAt(p - 1)) && lineOf(s, s.at[p - 1]) === lineOf(s, key)) p = s.start[s.at[p - 1]];
  for (; p > 0 && out.length < 2 && s.T.charCodeAt(p - 1) === VALUE_CODE; p--) {
    const i = s.at[p - 1];
    if (used.includes(i) || !DIGITS.test(s.tokens[i].raw) || !isOnlyValue(s, i)) break;
    out.unshift(i);
  }
  return out;
}

/**
 * The readings of `q` (a row's value tokens in stream order) as `n` numbers in which one or two
 * numbers were wrapped in a narrow column: a value alone on a later line continues a value on an
 * earlier line ("12839" / "7" is 128397). The joined number may stand in any column (its pieces sit
 * above and below the row's line, away from their column). The first `optional` tokens (lone values
 * before the row's label) are either the upper piece of such a number or nobody's. Only readings
 * that `ok` accepts are returned (at most 64: more is no reading).
 */
function wrapReadings(s: Stream, q: readonly number[], optional: number, n: number, ok: (v: number[]) => boolean): number[][] {
  const out: number[][] = [];
  if (q.some((i) => s.tokens[i].kind !== 'value' || !DIGITS.test(s.tokens[i].raw))) return out;
  const emit = (kept: number[], joins: [number, number][]) => {
    // the tokens not in a join keep their order; each joined number goes into any free column
    const inJoin = new Set(joins.flat());
    const rest = kept.filter((i) => !inJoin.has(i)).map((i) => Number(s.tokens[i].raw));
    const joined = joins.map(([a, b]) => `${s.tokens[a].raw}${s.tokens[b].raw}`);
    if (joined.some((j) => j.length > 15 || j.startsWith('0'))) return;
    if (rest.length + joined.length !== n) return;
    const place = (vals: number[], left: number[]) => {
      if (out.length > 64) return;
      if (left.length === 0) {
        if (ok(vals)) out.push(vals);
        return;
      }
      for (let k = 0; k <= vals.length; k++) place([...vals.slice(0, k), left[0], ...vals.slice(k)], left.slice(1));
    };
    place(rest, joined.map(Number));
  };
  // a pair (a, b): b alone on its line, after a's line
  const pairs = (kept: number[]) => {
    const ps: [number, number][] = [];
    for (let x = 0; x < kept.length; x++)
      for (let y = x + 1; y < kept.length; y++) {
        const a = kept[x];
        const b = kept[y];
        if (lineOf(s, b) > lineOf(s, a) && isOnlyValue(s, b)) ps.push([a, b]);
      }
    return ps;
  };
  for (let drop = 0; drop <= optional; drop++) {
    const kept = q.slice(drop);
    const joins = kept.length - n;
    if (joins < 1 || joins > 2 || (joins === 2 && kept.length > 10)) continue;
    const ps = pairs(kept);
    // the optional tokens kept must be upper pieces
    const opt = new Set(q.slice(drop, optional));
    const covers = (js: [number, number][]) => [...opt].every((i) => js.some(([a]) => a === i));
    if (joins === 1) {
      for (const p of ps) if (covers([p])) emit(kept, [p]);
    } else {
      for (let x = 0; x < ps.length; x++)
        for (let y = x + 1; y < ps.length; y++) {
          const [p1, p2] = [ps[x], ps[y]];
          if (new Set([...p1, ...p2]).size === 4 && covers([p1, p2])) emit(kept, [p1, p2]);
        }
    }
  }
  return out.length > 64 ? [] : out;
}

/**
 * Rows whose values came in one run: a converter put several labels before their values (stacked
 * labels: a row's label right before the next row's, with no value between), or lost the labels of
 * the rows after. A row's run that holds exactly the cells of itself, of the stacked rows before
 * it and of some of the unlabelled rows after it is cut into rows in template order, when every
 * row so cut adds up (`ok`). `rows`: the rows so read, with their tokens; `lost`: rows whose values
 * went into another row's run that could not be cut — not read (the run's first cells are a
 * stacked row's, not the row's own).
 */
function runsTogether(
  s: Stream,
  defs: readonly { key: string; n: number }[],
  hits: Map<string, RowHit>,
  ok: (run: number[], key: string) => boolean,
): { rows: Map<string, number[]>; lost: Set<string> } {
  const rows = new Map<string, number[]>();
  const lost = new Set<string>();
  for (let i = 0; i < defs.length; i++) {
    const hit = hits.get(defs[i].key);
    if (!hit?.run) continue;
    let a = i;
    for (let j = i - 1; j >= 0; j--) {
      const h = hits.get(defs[j].key);
      const next = hits.get(defs[j + 1].key);
      // (a row with values nobody claimed right before its label is not stacked: a label cut in
      // two, its head with those values, its tail before the next row's label)
      if (!h || h.run || h.alt || !next || firstRun(s, h.end, next.pos) !== null) break;
      a = j;
    }
    let b = i;
    while (b + 1 < defs.length && !hits.has(defs[b + 1].key)) b++;
    if (a === i && b === i) continue;
    const run = hit.run.slice();
    while (run.length > 0 && s.tokens[run[run.length - 1]].kind === 'blank') run.pop();
    while (run.length > 0 && s.tokens[run[0]].kind === 'blank') run.shift();
    const filled = run.filter((t) => s.tokens[t].kind !== 'blank');
    let cut: number[][] | null = null;
    for (const r of [run, filled]) {
      // the rows a..e, for the e (from i on) whose cells together are the run's length
      let width = 0;
      for (let e = a; e <= b && !cut; e++) {
        width += defs[e].n;
        if (e < i || e === a || width !== r.length) continue;
        const chunks: number[][] = [];
        let at = 0;
        for (let k = a; k <= e; k++) {
          chunks.push(r.slice(at, at + defs[k].n));
          at += defs[k].n;
        }
        if (chunks.every((c, k) => ok(c, defs[a + k].key))) cut = chunks;
      }
    }
    if (cut) {
      for (let k = 0; k < cut.length; k++) rows.set(defs[a + k].key, cut[k]);
    } else if (a < i) {
      for (let k = a; k < i; k++) lost.add(defs[k].key);
      // the row keeps a run of just its own cells on its label's line (a table row: the stacked
      // labels' values are elsewhere, e.g. before them when a converter cut a label in two)
      const own = run.length === defs[i].n && lineOf(s, run[0]) === lineOf(s, s.at[hit.pos]);
      if (!own) lost.add(defs[i].key);
    }
  }
  return { rows, lost };
}

/** punctuation inside a label may have been taken for a cell separator (CSV): labels are compared without it */
const loose = (t: string) => t.replace(/[,;:、，；：]/g, '');

/** a row's label normalised, without its numbering, and both without punctuation (made once per row definition) */
const labelFormsCache = new WeakMap<ApplicationRowDef, { bare: string; looseExpected: string; looseBare: string }>();
function labelForms(d: ApplicationRowDef): { bare: string; looseExpected: string; looseBare: string } {
  let f = labelFormsCache.get(d);
  if (!f) {
    const expected = normLabel(d.label);
    const bare = expected.replace(/^([一二三四]、|\d\.|\([一二三四五六七]\))/, '');
    f = { bare, looseExpected: loose(expected), looseBare: loose(bare) };
    labelFormsCache.set(d, f);
  }
  return f;
}

function recordRowLabels(s: Stream, defs: ApplicationRowDef[], hits: Map<string, RowHit>, labels: LabelRecord[]): void {
  let prevEnd = -1;
  for (const d of defs) {
    const h = hits.get(d.key);
    if (!h) continue;
    const from = prevEnd >= 0 ? prevEnd : Math.max(0, h.pos - 4);
    // the label text: from the end of the previous row's values to this row's values,
    // plus text after the values up to the next row (PDF wraps labels around the numbers)
    const before = slice(s, Math.min(from, h.pos), h.runStart);
    const { bare, looseExpected, looseBare } = labelForms(d);
    const looseBefore = loose(before);
    if (looseBefore.includes(looseExpected) || looseBefore.includes(looseBare)) {
      prevEnd = h.runEnd;
      continue;
    }
    const nextHit = defs.slice(defs.indexOf(d) + 1).find((x) => hits.has(x.key));
    const afterEnd = nextHit ? hits.get(nextHit.key)!.pos : h.runEnd;
    const after = slice(s, h.runEnd, Math.max(h.runEnd, afterEnd));
    if (loose(before + after).includes(looseBare)) {
      prevEnd = h.runEnd;
      continue;
    }
    // the published label: the part of `before` that best matches the expected label
    const published = bestSegment(before, bare);
    if (published && similarity(published, bare) < 0.999) {
      labels.push({ path: `applications.${d.key}`, published, expected: d.label, prov: provOf(s, s.at[Math.max(0, h.pos)]) });
    }
    prevEnd = h.runEnd;
  }
}

/** the suffix of `text` (after the last numbering/heading) most similar to `label` */
function bestSegment(text: string, label: string): string {
  let best = text;
  let score = similarity(text, label);
  for (let i = 1; i < text.length; i++) {
    const cand = text.slice(i);
    const sc = similarity(cand.replace(/^\d\./, ''), label);
    if (sc > score) {
      score = sc;
      best = cand;
    }
  }
  return best.replace(/^\d\./, '');
}

function recordColumnLabels(s: Stream, from: number, to: number, defs: readonly ProactiveRowDef[], labels: LabelRecord[]): void {
  const T = s.T.slice(from, to);
  const seen = new Set<string>();
  for (const d of defs) {
    const names = d.fields.map((f) => normLabel(f.label));
    names.forEach((name, i) => {
      const f = d.fields[i];
      const id = `${f.key}:${name}`;
      if (seen.has(id) || names.length < 2) return;
      if (T.includes(name) || T.includes(name.replace(/\(单位:万元\)/, ''))) return;
      // find neighbours and take the text between them
      const prev = i > 0 ? names[i - 1] : null;
      const next = i < names.length - 1 ? names[i + 1] : null;
      const pi = prev ? T.indexOf(prev) : -1;
      const ni = next ? T.indexOf(next, pi >= 0 ? pi : 0) : -1;
      let published: string | null = null;
      if (pi >= 0 && ni > pi) published = T.slice(pi + prev!.length, ni);
      else if (pi >= 0 && !next) published = T.slice(pi + prev!.length, pi + prev!.length + name.length);
      else if (ni >= 0 && !prev) published = T.slice(Math.max(0, ni - name.length), ni);
      if (published) published = published.replace(/[#∅]/g, '');
      if (published && published.length > 0 && published.length <= name.length + 6) {
        seen.add(id);
        const ti = s.at[from + (pi >= 0 ? pi + prev!.length : 0)];
        labels.push({ path: `proactive.${d.key}.${f.key}`, published, expected: f.label, prov: provOf(s, ti) });
      }
    });
  }
}

function recordApplicantColumnLabels(s: Stream, from: number, to: number, labels: LabelRecord[]): void {
  const T = s.T.slice(from, to);
  const names = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'];
  names.forEach((name, i) => {
    if (T.includes(name)) return;
    const prev = i > 0 ? names[i - 1] : null;
    const next = i < names.length - 1 ? names[i + 1] : null;
    const pi = prev ? T.indexOf(prev) : -1;
    const ni = next ? T.indexOf(next, Math.max(0, pi)) : -1;
    if (pi >= 0 && ni > pi) {
      const published = T.slice(pi + prev!.length, ni).replace(/[#∅]/g, '');
      if (published.length > 0 && published.length <= name.length + 4) {
        labels.push({
          path: `applications.*.${APPLICANT_COLUMNS[i].key}`,
          published,
          expected: name,
          prov: provOf(s, s.at[from + pi + prev!.length]),
        });
      }
    }
  });
}
