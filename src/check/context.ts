/**
 * What the rules need of a report, worked out once per check and shared by every rule: the
 * values of the cells (memoised, without splitting a path at each lookup), the equations of 表二
 * and 表三 with their values, sums and residuals, the single-cell repair, and an index of the
 * provenance for the origin of a diagnostic.
 *
 * The facts belong to one `check()` call (to its context object), never to a report object
 * across calls: a caller may change a report's cells between two checks (the mutation tests do).
 * Every value is computed exactly as the plain helpers of src/model/equations.ts compute it
 * (same order of additions), so the diagnostics are the same to the last digit.
 */
import type { Provenance } from '../model/provenance.js';
import type { Report } from '../model/report.js';
import { type Equation, equations } from './equations.js';
import type { CheckContext } from './types.js';

/** a count as the sums see it: blank (null) counts as 0 (as `n` of src/model/equations.ts) */
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** the value at a path already cut into its keys (as `valueAt` of src/model/equations.ts) */
function walk(report: Report, keys: readonly string[]): unknown {
  let o: unknown = report;
  for (let i = 0; i < keys.length; i++) {
    if (o === null || typeof o !== 'object') return undefined;
    o = (o as Record<string, unknown>)[keys[i]];
  }
  return o;
}

/* ------------------------------------------------------------- equations */

/** an equation with its cells' paths cut into keys once */
interface EquationTemplate extends Equation {
  leftKeys: readonly (readonly string[])[];
  rightKeys: readonly (readonly string[])[];
}

/** an equation of this report: its cells' values, the sums of both sides and left − right */
export interface EquationFacts extends Equation {
  leftValues: unknown[];
  rightValues: unknown[];
  leftSum: number;
  rightSum: number;
  /** left − right: 0 when the equation holds */
  residual: number;
}

/**
 * the equations of src/model/equations.ts (`equations`), in the same order. They depend only on
 * which rows 表二 has (its keys, in order, and which of them hold a row), so they are made once
 * per such shape and shared by every report of that shape.
 */
const templates = new Map<string, readonly EquationTemplate[]>();

function equationTemplates(report: Report): readonly EquationTemplate[] {
  const a = report.applications as Record<string, unknown>;
  const rows = Object.keys(a);
  // the shape: the keys in order, each marked when its row is undefined or not truthy
  let shape = '';
  for (const row of rows) shape += `${row}${a[row] === undefined ? '\u0002' : a[row] ? '' : '\u0003'}\u0001`;
  const hit = templates.get(shape);
  if (hit) return hit;
  const out = equations(report);
  const made = out.map((e) => ({ ...e, leftKeys: e.left.map((p) => p.split('.')), rightKeys: e.right.map((p) => p.split('.')) }));
  // a handful of shapes in practice (the two formats, the mixed template); bounded against odd inputs
  if (templates.size >= 64) templates.clear();
  templates.set(shape, made);
  return made;
}

const coefficientsOf = new WeakMap<readonly EquationTemplate[], Map<string, number[]>>();

/**
 * each cell's coefficients in the equations: cell → [equation index, coefficient, …] in equation
 * order (+1 per time on the left, −1 per time on the right, summed per equation); once per shape
 */
function coefficients(eqs: readonly EquationTemplate[]): Map<string, number[]> {
  const hit = coefficientsOf.get(eqs);
  if (hit) return hit;
  const coefs = new Map<string, number[]>();
  const add = (cell: string, i: number, k: number) => {
    let list = coefs.get(cell);
    if (!list) {
      list = [];
      coefs.set(cell, list);
    }
    if (list.length > 0 && list[list.length - 2] === i) list[list.length - 1] += k;
    else list.push(i, k);
  };
  for (let i = 0; i < eqs.length; i++) {
    for (const c of eqs[i].left) add(c, i, 1);
    for (const c of eqs[i].right) add(c, i, -1);
  }
  coefficientsOf.set(eqs, coefs);
  return coefs;
}

/* ------------------------------------------------------------------ facts */

export interface SingleCellFix {
  path: string;
  value: number;
  broken: number;
}

export interface ReportFacts {
  /** the value at a path of the report (memoised) */
  value(path: string): unknown;
  /** the equations of 表二 and 表三, with their values (as `equations` and `residual` give them) */
  readonly equations: readonly EquationFacts[];
  /** the one cell whose change makes every broken equation hold (as `singleCellFix` gives it) */
  readonly fix: SingleCellFix | null;
  /** where a path came from: the cell itself, else the first cell under it, else its label */
  origin(path: string | null): Provenance | null;
}

class Facts implements ReportFacts {
  private readonly values = new Map<string, unknown>();
  private eqs: EquationFacts[] | null = null;
  private fixDone = false;
  private fixValue: SingleCellFix | null = null;
  private prefixes: Map<string, Provenance> | null = null;
  private labels: Map<string, Provenance | undefined> | null = null;
  private scans = 0;
  private shape: readonly EquationTemplate[] | null = null;

  constructor(readonly report: Report) {}

  value(path: string): unknown {
    const values = this.values;
    if (values.has(path)) return values.get(path);
    const v = walk(this.report, path.split('.'));
    values.set(path, v);
    return v;
  }

  private templates(): readonly EquationTemplate[] {
    this.shape ??= equationTemplates(this.report);
    return this.shape;
  }

  get equations(): readonly EquationFacts[] {
    if (this.eqs) return this.eqs;
    const out: EquationFacts[] = [];
    for (const t of this.templates()) {
      // (a walk down the keys cut once costs less than a lookup in the memo of `value`)
      const leftValues = t.leftKeys.map((keys) => walk(this.report, keys));
      const rightValues = t.rightKeys.map((keys) => walk(this.report, keys));
      // the sums as `sum` adds them: from 0, in order
      let leftSum = 0;
      for (const v of leftValues) leftSum += num(v);
      let rightSum = 0;
      for (const v of rightValues) rightSum += num(v);
      out.push({
        kind: t.kind,
        key: t.key,
        left: t.left,
        right: t.right,
        leftValues,
        rightValues,
        leftSum,
        rightSum,
        residual: leftSum - rightSum,
      });
    }
    this.eqs = out;
    return out;
  }

  /**
   * `singleCellFix` of src/model/equations.ts without recomputing every residual for every
   * candidate cell: each cell's coefficient in each equation is indexed once. A candidate must be
   * in every broken equation (a broken equation without it stays broken), and every equation it
   * is in must ask for the same change (−residual / coefficient, compared in equation order).
   */
  get fix(): SingleCellFix | null {
    if (this.fixDone) return this.fixValue;
    this.fixDone = true;
    const eqs = this.equations;
    let brokenCount = 0;
    for (const e of eqs) if (e.residual !== 0) brokenCount++;
    if (brokenCount === 0) return null;
    const coefs = coefficients(this.templates());
    const candidates = new Set<string>();
    for (const e of eqs) {
      if (e.residual === 0) continue;
      for (const c of e.left) candidates.add(c);
      for (const c of e.right) candidates.add(c);
    }
    let found: { path: string; value: number } | null = null;
    for (const cell of candidates) {
      const list = coefs.get(cell) ?? [];
      let delta: number | null = null;
      let ok = true;
      let brokenIn = 0;
      for (let j = 0; j < list.length && ok; j += 2) {
        const k = list[j + 1];
        if (k === 0) continue;
        const r = eqs[list[j]].residual;
        if (r !== 0) brokenIn++;
        const d = -r / k;
        if (delta === null) delta = d;
        else if (delta !== d) ok = false;
      }
      // every broken equation must hold the cell (an equation with coefficient 0 and a residual fails)
      if (!ok || brokenIn !== brokenCount || delta === null || delta === 0) continue;
      const value = num(this.value(cell)) + delta;
      if (value < 0 || !Number.isInteger(value)) continue;
      if (found) return null; // two cells would do: no single fix
      found = { path: cell, value };
    }
    this.fixValue = found ? { ...found, broken: brokenCount } : null;
    return this.fixValue;
  }

  origin(path: string | null): Provenance | null {
    const report = this.report;
    if (!path || !report.provenance) return null;
    const exact = report.provenance[path];
    if (exact) return exact.prov;
    return this.under(path);
  }

  /**
   * the first key of the provenance (in its order) under `path`, else `path`'s label. A report
   * has a few such paths (a section, a row, a label); the first ones are looked for by a scan of
   * the keys, then every key is indexed once by each of its prefixes.
   */
  private under(path: string): Provenance | null {
    const provenance = this.report.provenance;
    let found: Provenance | null | undefined;
    let hit = false;
    if (this.prefixes) {
      hit = this.prefixes.has(path);
      found = this.prefixes.get(path);
    } else if (++this.scans <= MAX_SCANS) {
      const prefix = `${path}.`;
      for (const k in provenance) {
        if (k.startsWith(prefix)) {
          hit = true;
          found = provenance[k].prov;
          break;
        }
      }
    } else {
      const prefixes = new Map<string, Provenance>();
      for (const k in provenance) {
        for (let i = k.indexOf('.'); i >= 0; i = k.indexOf('.', i + 1)) {
          const p = k.slice(0, i);
          if (!prefixes.has(p)) prefixes.set(p, provenance[k].prov);
        }
      }
      this.prefixes = prefixes;
      return this.under(path);
    }
    if (hit) return found as Provenance;
    if (!this.labels) {
      const labels = new Map<string, Provenance | undefined>();
      for (const l of this.report.labels ?? []) if (!labels.has(l.path)) labels.set(l.path, l.prov);
      this.labels = labels;
    }
    return this.labels.get(path) ?? null;
  }
}

/** paths looked for by a scan of the provenance before it is indexed */
const MAX_SCANS = 4;

const byContext = new WeakMap<CheckContext, Facts>();

/**
 * the facts of the context's report, made on first use and kept for this context (one check;
 * made anew if the context is given another report)
 */
export function facts(ctx: CheckContext): ReportFacts {
  let f = byContext.get(ctx);
  if (!f || f.report !== ctx.report) {
    f = new Facts(ctx.report);
    byContext.set(ctx, f);
  }
  return f;
}
