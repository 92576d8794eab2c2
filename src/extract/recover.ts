/**
 * Recovering cells whose separators were lost ("行政许可3960181",
 * "一、本年新收政府信息公开申请数量3200000032"). A run of digit strings that
 * should hold n values is split every possible way; the splits that satisfy the
 * table's own arithmetic are kept. A cell on which every surviving split agrees
 * is recovered; otherwise it is reported as ambiguous with its candidates.
 */

/** every way to cut the digit strings into exactly n numbers (no leading zeros), at most `cap` */
export function splits(parts: string[], n: number, cap = 20000): number[][] {
  const out: number[][] = [];
  const k = parts.length;
  if (k > n) return out;
  // distribute n pieces over k parts, each part at least 1 piece and at most its length
  const cur: number[] = [];
  const rec = (pi: number, left: number): void => {
    if (out.length >= cap) return;
    if (pi === k) {
      if (left === 0) out.push(cur.slice());
      return;
    }
    const s = parts[pi];
    const restMin = k - pi - 1;
    let restMax = 0;
    for (let j = pi + 1; j < k; j++) restMax += parts[j].length;
    for (let pieces = 1; pieces <= Math.min(s.length, left - restMin); pieces++) {
      if (left - pieces > restMax) continue;
      cutString(s, pieces, (nums) => {
        const len = cur.length;
        cur.push(...nums);
        rec(pi + 1, left - pieces);
        cur.length = len;
      });
    }
  };
  rec(0, n);
  return out;
}

function cutString(s: string, pieces: number, emit: (nums: number[]) => void): void {
  const nums: number[] = [];
  const rec = (from: number, left: number): void => {
    if (left === 1) {
      const t = s.slice(from);
      if (t.length > 1 && t[0] === '0') return;
      nums.push(Number(t));
      emit(nums);
      nums.pop();
      return;
    }
    for (let end = from + 1; end <= s.length - (left - 1); end++) {
      const t = s.slice(from, end);
      if (t.length > 1 && t[0] === '0') break;
      nums.push(Number(t));
      rec(end, left - 1);
      nums.pop();
    }
  };
  rec(0, pieces);
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
  maxSolutions = 64,
  maxNodes = 2_000_000,
): SolveResult {
  const rows = [...options.keys()].sort((a, b) => options.get(a)!.length - options.get(b)!.length);
  const assign = new Map<string, (number | null)[]>(fixed);
  const solutions: Map<string, number[]>[] = [];
  let nodes = 0;
  const rowSet = new Set(rows);
  // constraints become checkable once all their uncertain rows are assigned
  const order = new Map<string, number>();
  rows.forEach((r, i) => order.set(r, i));
  const checkAt: Constraint[][] = rows.map(() => []);
  const always: Constraint[] = [];
  for (const c of constraints) {
    let last = -1;
    let ok = true;
    for (const [r] of [...c.plus, ...c.minus]) {
      if (rowSet.has(r)) last = Math.max(last, order.get(r)!);
      else if (!fixed.has(r)) ok = false;
    }
    if (!ok) continue;
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
      if (checkAt[i].every(holds)) rec(i + 1);
      if (solutions.length >= maxSolutions || nodes > maxNodes) break;
    }
    assign.delete(r);
  };
  const consistent = always.every(holds);
  if (consistent) rec(0);
  const values = new Map<string, (number | null)[]>();
  const ambiguous = new Map<string, Map<number, number[]>>();
  const solved = solutions.length > 0;
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
