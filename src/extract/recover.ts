/**
 * Recovering cells whose separators were lost ("行政许可3960181",
 * "一、本年新收政府信息公开申请数量3200000032"). A run of digit strings that
 * should hold n values is split every possible way; the splits that satisfy the
 * table's own arithmetic are kept. A cell on which every surviving split agrees
 * is recovered; otherwise it is reported as ambiguous with its candidates.
 */

export interface Splits extends Array<number[]> {
  /** true when the enumeration stopped at a cap (the list may miss the true split) */
  truncated?: boolean;
}

interface Cutter {
  str: string;
  /** sign of the token starting at each position (a leading '-') */
  neg: Set<number>;
  /** forced cuts: positions where a token boundary lies */
  cuts: Set<number>;
  visited: number;
  maxVisited: number;
  truncated: boolean;
}

function cutter(parts: string[], maxVisited: number): Cutter {
  let str = '';
  const neg = new Set<number>();
  const cuts = new Set<number>();
  for (const p of parts) {
    if (str.length > 0) cuts.add(str.length);
    if (p.startsWith('-')) neg.add(str.length);
    str += p.replace(/^-/, '');
  }
  return { str, neg, cuts, visited: 0, maxVisited, truncated: false };
}

/** the number in str[a, b), or null when it is not a valid piece (leading zero, spans a token boundary) */
function piece(c: Cutter, a: number, b: number): number | null {
  if (b - a > 1 && c.str[a] === '0') return null;
  for (let i = a + 1; i < b; i++) if (c.cuts.has(i)) return null;
  const v = Number(c.str.slice(a, b));
  return c.neg.has(a) ? -v : v;
}

/** every way to cut str[a, b) into k pieces; `prune(sum)` may stop a branch early */
function pieces(
  c: Cutter,
  a: number,
  b: number,
  k: number,
  emit: (v: number[]) => void,
  bound = Number.POSITIVE_INFINITY,
  target?: number,
  /** longest piece in digits (an addend has no more digits than its total) */
  maxLen = Number.POSITIVE_INFINITY,
): void {
  const cur: number[] = [];
  const rec = (pos: number, left: number, sum: number): void => {
    if (c.visited++ >= c.maxVisited) {
      c.truncated = true;
      return;
    }
    if (left === 0) {
      if (pos === b && (target === undefined || sum === target)) emit(cur);
      return;
    }
    if (b - pos > left * maxLen) return;
    if (target !== undefined && Number.isFinite(maxLen) && sum + left * (10 ** maxLen - 1) < target) return;
    const maxEnd = Math.min(b - (left - 1), pos + maxLen);
    for (let end = pos + 1; end <= maxEnd; end++) {
      const v = piece(c, pos, end);
      if (v === null) {
        if (c.str[pos] === '0' && end - pos > 1) break;
        continue;
      }
      if (sum + v > bound) break; // pieces only grow as they lengthen
      cur.push(v);
      rec(end, left - 1, sum + v);
      cur.pop();
      if (c.truncated) return;
    }
  };
  rec(a, k, 0);
}

/**
 * Every way to cut the digit strings into exactly n numbers (no leading zeros,
 * no number across a token boundary) that passes `keep`; at most `cap`.
 */
export function splits(parts: string[], n: number, keep: (v: number[]) => boolean = () => true, cap = 5000, maxVisited = 300_000): Splits {
  const c = cutter(parts, maxVisited);
  const out: Splits = [];
  if (parts.length > n || c.str.length < n) return out;
  pieces(c, 0, c.str.length, n, (v) => {
    if (out.length >= cap) {
      c.truncated = true;
      return;
    }
    if (keep(v)) out.push(v.slice());
  });
  if (c.truncated) out.truncated = true;
  return out;
}

/**
 * Splits into `groups` consecutive groups of `size` numbers where, in each
 * group, the last number is the sum of the others (表二 rows: one group of 7;
 * 表三: three groups of 5). The total is chosen first and bounds the addends,
 * so even long digit runs are cut quickly.
 */
export function splitsWithTotals(parts: string[], groups: number, size: number, cap = 5000, maxVisited = 3_000_000): Splits {
  const c = cutter(parts, maxVisited);
  const out: Splits = [];
  const n = groups * size;
  if (parts.length > n || c.str.length < n) return out;
  const acc: number[] = [];
  const group = (g: number, from: number): void => {
    if (c.truncated) return;
    if (g === groups) {
      if (from === c.str.length) {
        if (out.length >= cap) c.truncated = true;
        else out.push(acc.slice());
      }
      return;
    }
    const restMin = (groups - g - 1) * size;
    // the group ends at `to`; its total is str[to - tl, to)
    for (let to = from + size; to <= c.str.length - restMin; to++) {
      for (let tl = 1; tl <= to - from - (size - 1); tl++) {
        if (to - tl - from > (size - 1) * tl) continue; // the addends would need more digits than the total
        const total = piece(c, to - tl, to);
        if (total === null || total < 0) continue;
        pieces(
          c,
          from,
          to - tl,
          size - 1,
          (v) => {
            const len = acc.length;
            acc.push(...v, total);
            group(g + 1, to);
            acc.length = len;
          },
          total,
          total,
          tl,
        );
        if (c.truncated) return;
      }
    }
  };
  group(0, 0);
  if (c.truncated) out.truncated = true;
  return out;
}

/** a linear constraint: sum of cells in `plus` equals sum of cells in `minus` */
export interface Constraint {
  plus: [row: string, col: number][];
  minus: [row: string, col: number][];
}

export interface SolveResult {
  /** row → column → value (null when ambiguous) */
  values: Map<string, (number | null)[]>;
  /** row → column → candidate values, for ambiguous cells */
  ambiguous: Map<string, Map<number, number[]>>;
  solved: boolean;
}

/**
 * Choose one candidate vector per uncertain row so that every constraint holds.
 * `fixed` rows are known; `options` rows have candidate vectors.
 */
export function solve(
  fixed: Map<string, (number | null)[]>,
  options: Map<string, number[][]>,
  constraints: Constraint[],
  /** preferred assignment order (rows on the single-term sides of constraints first) */
  order: string[] = [],
  maxSolutions = 64,
  maxNodes = 300_000,
): SolveResult {
  const rank = (r: string) => {
    const i = order.indexOf(r);
    return i < 0 ? order.length : i;
  };
  const rows = [...options.keys()].sort((a, b) => rank(a) - rank(b) || options.get(a)!.length - options.get(b)!.length);
  const assign = new Map<string, (number | null)[]>(fixed);
  const solutions: Map<string, number[]>[] = [];
  let nodes = 0;
  const rowSet = new Set(rows);
  // constraints become checkable once all their uncertain rows are assigned
  const pos = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) pos.set(rows[i], i);
  const checkAt: Constraint[][] = rows.map(() => []);
  const always: Constraint[] = [];
  const active: Constraint[] = [];
  for (const c of constraints) {
    let last = -1;
    let ok = true;
    for (const [r] of [...c.plus, ...c.minus]) {
      if (rowSet.has(r)) last = Math.max(last, pos.get(r)!);
      else if (!fixed.has(r)) ok = false;
    }
    if (!ok) continue;
    active.push(c);
    if (last < 0) always.push(c);
    else checkAt[last].push(c);
  }
  const val = (r: string, c: number) => assign.get(r)?.[c] ?? 0;
  const holds = (c: Constraint) => {
    let s = 0;
    for (const [r, col] of c.plus) s += val(r, col);
    for (const [r, col] of c.minus) s -= val(r, col);
    return s === 0;
  };
  // with non-negative cells, a side whose rows are all assigned bounds the other side's partial sum
  const nonNegative = [...options.values()].every((cands) => cands.every((v) => v.every((x) => x >= 0)));
  const within = (c: Constraint) => {
    const side = (terms: [string, number][]) => {
      let sum = 0;
      let complete = true;
      for (const [r, col] of terms) {
        if (assign.has(r)) sum += assign.get(r)![col] ?? 0;
        else complete = false;
      }
      return { sum, complete };
    };
    const p = side(c.plus);
    const m = side(c.minus);
    if (p.complete && !m.complete && m.sum > p.sum) return false;
    if (m.complete && !p.complete && p.sum > m.sum) return false;
    return true;
  };
  const rec = (i: number): void => {
    if (solutions.length >= maxSolutions || nodes > maxNodes) return;
    if (i === rows.length) {
      const sol = new Map<string, number[]>();
      for (const r of rows) sol.set(r, assign.get(r) as number[]);
      solutions.push(sol);
      return;
    }
    const r = rows[i];
    for (const cand of options.get(r)!) {
      nodes++;
      assign.set(r, cand);
      if (checkAt[i].every(holds) && (!nonNegative || active.every(within))) rec(i + 1);
      if (solutions.length >= maxSolutions || nodes > maxNodes) break;
    }
    assign.delete(r);
  };
  const consistent = always.every(holds);
  if (consistent) rec(0);
  const values = new Map<string, (number | null)[]>();
  const ambiguous = new Map<string, Map<number, number[]>>();
  // an interrupted search proves nothing: fall back to the candidates themselves
  const complete = solutions.length < maxSolutions && nodes <= maxNodes;
  const solved = solutions.length > 0 && complete;
  for (const r of rows) {
    const pool = solved ? solutions.map((s) => s.get(r)!) : options.get(r)!;
    const width = pool[0]?.length ?? 0;
    const out: (number | null)[] = [];
    for (let c = 0; c < width; c++) {
      const set = [...new Set(pool.map((v) => v[c]))];
      if (set.length === 1) out.push(set[0]);
      else {
        out.push(null);
        if (!ambiguous.has(r)) ambiguous.set(r, new Map());
        ambiguous.get(r)!.set(
          c,
          set.sort((a, b) => a - b),
        );
      }
    }
    values.set(r, out);
  }
  return { values, ambiguous, solved };
}
