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
import { BLANK, provOf, type Stream, VALUE } from './tokens.js';

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

const isVal = (ch: string) => ch === VALUE || ch === BLANK;

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
    while (i < to && !isVal(T[i])) i++;
    if (i >= to) break;
    const start = i;
    const tokens: number[] = [];
    let values = 0;
    while (i < to && isVal(T[i])) {
      tokens.push(s.at[i]);
      if (T[i] === VALUE) values++;
      i++;
    }
    const run = { tokens, start, end: i };
    if (values > 0) return run;
    blankOnly ??= run;
  }
  return blankOnly;
}

function findKey(T: string, keys: readonly string[], from: number, to: number): { pos: number; end: number } | null {
  for (const k of keys) {
    const nk = normLabel(k);
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

function parseCount(raw: string): number | null {
  if (/^\d{1,15}$/.test(raw)) return Number(raw);
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
function findRows(s: Stream, defs: { key: string; keys: readonly string[]; n: number }[], from: number, to: number): Map<string, RowHit> {
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
    const k = findKey(T, d.keys, cursor, limit);
    if (!k) continue;
    // bound: the earliest first-key of the next three rows
    let bound = to;
    for (let j = i + 1; j < Math.min(defs.length, i + 4); j++) {
      const nk = normLabel(defs[j].keys[0]);
      const p = T.indexOf(nk, k.end);
      if (p >= 0 && p < bound) bound = p;
    }
    const run = firstRun(s, k.end, bound);
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
  // fuzzy recovery: a row whose label was not found, between two found rows
  for (let i = 1; i < defs.length - 1; i++) {
    const d = defs[i];
    if (hits.has(d.key)) continue;
    const prev = hits.get(defs[i - 1].key);
    let next: RowHit | undefined;
    for (let j = i + 1; j < defs.length && !next; j++) next = hits.get(defs[j].key);
    if (!prev || !next) continue;
    const run = firstRun(s, prev.runEnd, next.pos);
    if (!run) continue;
    const text = slice(s, prev.runEnd, run.start);
    if (text.length >= 2) {
      hits.set(d.key, { key: d.key, pos: prev.runEnd, end: run.start, run: run.tokens, runStart: run.start, runEnd: run.end });
    }
  }
  return hits;
}

/** past the first row label of table B (where C's heading cannot be yet), or `from` */
function appKeyEnd(T: string, from: number, to: number): number {
  return findKey(T, ['本年新收', '新收政府信息公开申请'], from, to)?.end ?? from;
}

export function detectFormat(s: Stream, from: number, to: number): { tableA: FormatVersion | null; tableBRows: FormatVersion | null } {
  const T = s.T.slice(from, to);
  const c19 = MARKERS_2019.filter((m) => T.includes(normLabel(m))).length;
  const c21 = MARKERS_2021.slice(0, 4).filter((m) => T.includes(normLabel(m))).length;
  const tableA: FormatVersion | null = c19 === 0 && c21 === 0 ? null : c19 > c21 ? '2019' : '2021';
  const has2021Rows = T.includes('逾期不补正') || T.includes('缴纳费用') || T.includes('不补正');
  const hasOther = T.includes('其他处理');
  const tableBRows: FormatVersion | null = has2021Rows ? '2021' : hasOther ? '2019' : null;
  return { tableA, tableBRows };
}

export function extractTables(s: Stream, from: number, to: number, hints: Map<string, number> = new Map()): Extracted | null {
  const T = s.T;
  // (filled in cell order; a dictionary-mode object keeps that order)
  const origins = dictionary<Origin>();
  const ambiguities: Ambiguity[] = [];
  const labels: LabelRecord[] = [];

  // ---- locate table B (applications) first: it is the most distinctive
  const bStartKey = findKey(T, ['勾稽关系', '申请人情况', '本年新收', '新收政府信息公开申请'], from, to);
  const fmt = detectFormat(s, from, to);
  const rowsVersion: FormatVersion = fmt.tableBRows ?? fmt.tableA ?? '2021';
  const format: FormatVersion = fmt.tableA ?? rowsVersion;
  const mixedOtherHandling = format === '2021' && rowsVersion === '2019';
  const appDefs = APPLICATION_ROWS.filter((r) => r.versions.includes(rowsVersion));
  const bFrom = bStartKey ? bStartKey.pos : from;
  // table B ends where table C (行政复议) begins: no row of B is looked for in C's header (the
  // 总计 of an unlabelled （七）总计 row would be found there, with C's values after it)
  const bEnd = findKey(T, ['行政复议'], appKeyEnd(T, bFrom, to), to)?.pos ?? to;
  const appHits = findRows(
    s,
    appDefs.map((d) => ({ key: d.key, keys: d.keys, n: 7 })),
    bFrom,
    bEnd,
  );

  // ---- table A (proactive): between its first marker and table B
  const aDefs = format === '2021' ? PROACTIVE_ROWS_2021 : PROACTIVE_ROWS_2019;
  const aStart = findKey(T, ['第二十条第', '信息内容', '本年制发件数', '本年新制作数量'], from, bStartKey ? bStartKey.pos : to);
  const aFrom = aStart ? aStart.pos : from;
  const aTo = bStartKey ? bStartKey.pos : to;
  const aHits = findRows(
    s,
    aDefs.map((d) => ({ key: d.key, keys: d.keys, n: d.fields.length })),
    aFrom,
    aTo,
  );

  // ---- table C: the first run after 行政复议 following table B
  const lastB = [...appHits.values()].reduce((m, h) => Math.max(m, h.runEnd), bFrom);
  const cKey = findKey(T, ['行政复议'], lastB, to) ?? findKey(T, ['结果维持'], lastB, to);
  const cRun = cKey ? firstRun(s, cKey.end, to) : null;

  const found = {
    proactive: aHits.size,
    applications: appHits.size,
    reviewLitigation: cRun !== null,
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
  for (const d of aDefs) {
    const row: Record<string, number | string | null> = {};
    const hit = aHits.get(d.key);
    const n = d.fields.length;
    const run = hit?.run ? fitRun(s, hit.run, n) : [];
    // the last field may carry a unit ("37251000元": 采购项目数量 and 采购总金额 run together)
    // (and a decimal part: "370.0万元" is 37 and "0.0万元")
    const lastType = d.fields[n - 1].type;
    const tail =
      run.length > 0 && (lastType === 'raw' || lastType === 'money')
        ? (/(\.\d+)?(万元|亿元|元)?$/.exec(tokRaw(run[run.length - 1]))?.[0] ?? '')
        : '';
    const unit = tail;
    const digits = run.map((i, k) => (k === run.length - 1 && unit ? tokRaw(i).slice(0, -unit.length) : tokRaw(i)));
    const glued = run.length > 0 && run.length < n && run.every((i, k) => s.tokens[i].kind === 'value' && /^-?\d+$/.test(digits[k]));
    if (glued) {
      // only the 2019 本年增/减 may be negative
      let cands: Splits = splits(digits, n, (v) => d.fields.every((f, c) => f.type === 'signed' || v[c] >= 0));
      if (cands.truncated) cands = [];
      // figures quoted in the narrative narrow the choice, never override it
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
        else if (f.type === 'raw') row[f.key] = parseCount(t.raw) === null && !/\d/.test(t.raw) ? null : t.raw.trim();
        else row[f.key] = parseCount(t.raw);
      });
    }
    proactive[d.key] = row;
  }
  // table A column labels (e.g. the typo 本年度止件数)
  recordColumnLabels(s, aFrom, aTo, aDefs, labels);

  // table B
  const cols = APPLICANT_COLUMNS.map((c) => c.key);
  const fixed = new Map<string, (number | null)[]>();
  const options = new Map<string, number[][]>();
  const runs = new Map<string, number[]>();
  for (const d of appDefs) {
    const hit = appHits.get(d.key);
    if (!hit?.run) {
      fixed.set(
        d.key,
        cols.map(() => null),
      );
      continue;
    }
    const run = fitRun(s, hit.run, 7);
    runs.set(d.key, run);
    const values = (r: number[]) =>
      cols.map((_, c) => (r[c] === undefined || s.tokens[r[c]].kind === 'blank' ? null : parseCount(s.tokens[r[c]].raw)));
    if (hit.alt && run.length === 7) {
      // two placements: the values before the label (a label cut in two) or after it; the column
      // sums decide, else the cells stay empty with both candidates
      const alt = fitRun(s, hit.alt, 7);
      const a = values(alt);
      const b = values(run);
      if (alt.length === 7 && a.every((v) => v !== null) && b.every((v) => v !== null)) {
        options.set(d.key, [a as number[], b as number[]]);
        continue;
      }
    }
    const glued = run.length < 7 && run.every((i) => s.tokens[i].kind === 'value' && /^-?\d+$/.test(tokRaw(i)));
    if (glued) {
      const raw = run.map((i) => tokRaw(i));
      let cands: Splits = splitsWithTotals(raw, 1, 7);
      // a published row total that does not add up: fall back to every split
      if (cands.length === 0 && !cands.truncated) cands = splits(raw, 7);
      if (cands.truncated) cands = [];
      const hint = hints.get(`applications.${d.key}.total`);
      const hinted = hint === undefined ? [] : cands.filter((v) => v[6] === hint);
      if (hinted.length > 0) cands = hinted;
      options.set(d.key, cands);
    } else {
      fixed.set(
        d.key,
        cols.map((_, c) => {
          const ti = run[c];
          if (ti === undefined) return null;
          const t = s.tokens[ti];
          return t.kind === 'blank' ? null : parseCount(t.raw);
        }),
      );
    }
  }
  if (options.size > 0) {
    const leaves = appDefs.filter((d) => d.leaf).map((d) => d.key);
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
    const res = solve(fixed, options, cons, order);
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
  const groups = REVIEW_GROUPS.map((g) => g.key);
  const rcols = REVIEW_COLUMNS.map((c) => c.key);
  let cVals: (number | null)[] = new Array(15).fill(null);
  let cToks: number[] = [];
  if (cRun) {
    cToks = fitRun(s, cRun.tokens, 15);
    const glued = cToks.length < 15 && cToks.every((i) => s.tokens[i].kind === 'value' && /^-?\d+$/.test(tokRaw(i)));
    if (glued) {
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
      cVals = cVals.map((_, i) => {
        const ti = cToks[i];
        if (ti === undefined) return null;
        const t = s.tokens[ti];
        return t.kind === 'blank' ? null : parseCount(t.raw);
      });
    }
  }
  groups.forEach((g, gi) => {
    const row: Record<string, number | null> = {};
    rcols.forEach((c, ci) => {
      row[c] = cVals[gi * 5 + ci] ?? null;
      const ti = cToks[gi * 5 + ci];
      if (ti !== undefined) origin(cellPath('reviewLitigation', g, c), ti);
    });
    reviewLitigation[g] = row;
  });

  const end = Math.max(cRun ? cRun.end : 0, lastB);
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
