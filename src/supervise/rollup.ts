/**
 * Roll-ups of the three tables over a region: every cell of 表一 (主动公开), 表二 (依申请) and 表三
 * (复议诉讼) of the reports of every body in a subtree, added up.
 *
 * - A report is flattened once into its cells (`flatCells`): keys `table.row.column`, e.g.
 *   `applications.newReceived.total`, `proactive.regulations.issued`, `reviewLitigation.review.total`;
 *   money (万元) as a number; a blank or "/" cell as null (counted apart as a blank, never as 0);
 *   a text cell (the 2019 procurement amount as published) left out.
 * - `rollUp` adds each body's own cells to itself and to each of its ancestors: time linear in
 *   bodies × depth × cells. A body's own figures (its report) are kept apart from its region's
 *   (its report plus those of every body under it).
 * - Reports in a format other than the year's (an outdated template) are added under their own
 *   format's keys; the keys common to both formats (表二, 表三, and 表一's rows in both) add up across.
 */
import { APPLICANT_COLUMNS, applicationRows, proactiveRows, REVIEW_COLUMNS, REVIEW_GROUPS } from '../model/format.js';
import type { FormatVersion, Report } from '../model/report.js';
import type { Body } from './types.js';

export type Cells = Record<string, number | null>;

export interface CellDef {
  key: string;
  table: 'proactive' | 'applications' | 'reviewLitigation';
  /** the table's Chinese name */
  tableName: string;
  /** the row's and the column's Chinese labels */
  row: string;
  column: string;
  /** 万元 */
  money: boolean;
}

const TABLE_NAME = { proactive: '主动公开', applications: '依申请公开', reviewLitigation: '行政复议、行政诉讼' } as const;

const defsCache = new Map<FormatVersion, CellDef[]>();

/** every numeric cell of a format, in table order */
export function cellDefs(format: FormatVersion): CellDef[] {
  const hit = defsCache.get(format);
  if (hit) return hit;
  const defs: CellDef[] = [];
  for (const row of proactiveRows(format)) {
    for (const f of row.fields) {
      if (f.type === 'raw') continue;
      defs.push({
        key: `proactive.${row.key}.${f.key}`,
        table: 'proactive',
        tableName: TABLE_NAME.proactive,
        row: row.label,
        column: f.label,
        money: f.type === 'money',
      });
    }
  }
  for (const row of applicationRows(format)) {
    const label = row.level3 ? `${row.level2}·${row.level3}` : row.label;
    for (const c of APPLICANT_COLUMNS) {
      defs.push({
        key: `applications.${row.key}.${c.key}`,
        table: 'applications',
        tableName: TABLE_NAME.applications,
        row: label,
        column: c.group ? `${c.group}·${c.label}` : c.label,
        money: false,
      });
    }
  }
  for (const g of REVIEW_GROUPS) {
    for (const c of REVIEW_COLUMNS) {
      defs.push({
        key: `reviewLitigation.${g.key}.${c.key}`,
        table: 'reviewLitigation',
        tableName: TABLE_NAME.reviewLitigation,
        row: 'parent' in g ? `${g.parent}·${g.label}` : g.label,
        column: c.label,
        money: false,
      });
    }
  }
  defsCache.set(format, defs);
  return defs;
}

/** the Chinese name of a cell key (“依申请公开 / 一、本年新收政府信息公开申请数量 / 总计”), or the key when unknown */
export function cellLabel(key: string): string {
  for (const f of ['2021', '2019'] as const) {
    const d = cellDefs(f).find((x) => x.key === key);
    if (d) return `${d.tableName} / ${d.row} / ${d.column}`;
  }
  return key;
}

function numberOf(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const t = v.replace(/[,，\s]/g, '');
    if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  }
  return null;
}

/** the report's numeric cells by key (null: blank or not applicable) */
export function flatCells(report: Report): Cells {
  const out: Cells = {};
  const tables = report as unknown as Record<string, Record<string, Record<string, unknown>> | undefined>;
  for (const d of cellDefs(report.format)) {
    const [table, row, col] = d.key.split('.');
    out[d.key] = numberOf(tables[table]?.[row]?.[col]);
  }
  return out;
}

/** a report's cells as numbers in the order of `cellDefs(format)`: how they are stored (compact, fast to add up) */
export interface CellVector {
  format: FormatVersion;
  values: (number | null)[];
}

export function cellVector(report: Report): CellVector {
  const tables = report as unknown as Record<string, Record<string, Record<string, unknown>> | undefined>;
  const values = cellDefs(report.format).map((d) => {
    const [table, row, col] = d.key.split('.');
    return numberOf(tables[table]?.[row]?.[col]);
  });
  return { format: report.format, values };
}

export function vectorCells(v: CellVector): Cells {
  const out: Cells = {};
  const defs = cellDefs(v.format);
  for (let i = 0; i < defs.length; i++) out[defs[i].key] = v.values[i] ?? null;
  return out;
}

export interface RegionTotals {
  bodyId: number;
  /** the body's own report's cells, null when it has none */
  own: Cells | null;
  /** Σ over the body and every body under it that has a report */
  region: Record<string, number>;
  /** per key: how many of those reports left the cell blank */
  blanks: Record<string, number>;
  /** reports added up (the body's own included) */
  reports: number;
  /** bodies in the subtree (the body included) */
  bodies: number;
}

/** adds a to b in place, money to 4 decimals */
function add(into: Record<string, number>, blanks: Record<string, number>, cells: Cells): void {
  for (const k in cells) {
    const v = cells[k];
    if (v === null) blanks[k] = (blanks[k] ?? 0) + 1;
    else into[k] = Math.round(((into[k] ?? 0) + v) * 10_000) / 10_000;
  }
}

/**
 * the totals of every body's region: `cells` holds each reporting body's own cells (its latest
 * version for the year). Bodies not in `bodies` are ignored; a parent outside `bodies` ends the chain.
 */
export function rollUp(bodies: readonly Body[], cells: ReadonlyMap<number, Cells>): Map<number, RegionTotals> {
  const out = new Map<number, RegionTotals>();
  const byId = new Map<number, Body>();
  for (const b of bodies) {
    byId.set(b.id, b);
    out.set(b.id, { bodyId: b.id, own: cells.get(b.id) ?? null, region: {}, blanks: {}, reports: 0, bodies: 0 });
  }
  for (const b of bodies) {
    const own = cells.get(b.id);
    const seen = new Set<number>();
    for (let at: Body | undefined = b; at && !seen.has(at.id); at = at.parentId === null ? undefined : byId.get(at.parentId)) {
      seen.add(at.id);
      const t = out.get(at.id) as RegionTotals;
      t.bodies++;
      if (own) {
        t.reports++;
        add(t.region, t.blanks, own);
      }
    }
  }
  return out;
}

/**
 * `rollUp` over stored vectors: each body's vector added to itself and its ancestors in typed
 * arrays (one pair per format present), the totals made into records once at the end
 */
export function rollUpVectors(bodies: readonly Body[], vectors: ReadonlyMap<number, CellVector>): Map<number, RegionTotals> {
  const byId = new Map<number, Body>();
  for (const b of bodies) byId.set(b.id, b);
  interface Acc {
    reports: number;
    bodies: number;
    sums: Partial<Record<FormatVersion, Float64Array>>;
    blanks: Partial<Record<FormatVersion, Uint32Array>>;
    counts: Partial<Record<FormatVersion, number>>;
  }
  const acc = new Map<number, Acc>();
  for (const b of bodies) acc.set(b.id, { reports: 0, bodies: 0, sums: {}, blanks: {}, counts: {} });
  for (const b of bodies) {
    const v = vectors.get(b.id);
    const n = v ? cellDefs(v.format).length : 0;
    const seen = new Set<number>();
    for (let at: Body | undefined = b; at && !seen.has(at.id); at = at.parentId === null ? undefined : byId.get(at.parentId)) {
      seen.add(at.id);
      const a = acc.get(at.id) as Acc;
      a.bodies++;
      if (!v) continue;
      a.reports++;
      a.counts[v.format] = (a.counts[v.format] ?? 0) + 1;
      if (!a.sums[v.format]) a.sums[v.format] = new Float64Array(n);
      if (!a.blanks[v.format]) a.blanks[v.format] = new Uint32Array(n);
      const sums = a.sums[v.format] as Float64Array;
      const blanks = a.blanks[v.format] as Uint32Array;
      for (let i = 0; i < n; i++) {
        const x = v.values[i];
        if (x === null || x === undefined) blanks[i]++;
        else sums[i] += x;
      }
    }
  }
  // the records are made when first asked for (a page shows a few regions of thousands)
  const materialise = (a: Acc): { region: Record<string, number>; blanks: Record<string, number> } => {
    const region: Record<string, number> = {};
    const blanks: Record<string, number> = {};
    for (const f of ['2021', '2019'] as const) {
      const sums = a.sums[f];
      const bl = a.blanks[f];
      if (!sums || !bl) continue;
      const defs = cellDefs(f);
      for (let i = 0; i < defs.length; i++) {
        const k = defs[i].key;
        // a cell every report left blank stays out of `region` (a blank is not a 0)
        if (bl[i] < (a.counts[f] ?? 0)) region[k] = Math.round(((region[k] ?? 0) + sums[i]) * 10_000) / 10_000;
        if (bl[i] > 0) blanks[k] = (blanks[k] ?? 0) + bl[i];
      }
    }
    return { region, blanks };
  };
  const out = new Map<number, RegionTotals>();
  for (const b of bodies) {
    const a = acc.get(b.id) as Acc;
    const ownVector = vectors.get(b.id);
    let made: { region: Record<string, number>; blanks: Record<string, number> } | undefined;
    const records = () => {
      if (!made) made = materialise(a);
      return made;
    };
    let own: Cells | null | undefined;
    const ownCells = () => {
      if (own === undefined) own = ownVector ? vectorCells(ownVector) : null;
      return own;
    };
    const t = { bodyId: b.id, reports: a.reports, bodies: a.bodies } as RegionTotals;
    Object.defineProperties(t, {
      own: { enumerable: true, get: ownCells },
      region: { enumerable: true, get: () => records().region },
      blanks: { enumerable: true, get: () => records().blanks },
    });
    out.set(b.id, t);
  }
  return out;
}

/** what a government's own report says beside the sum of the bodies under it (itself left out) */
export interface OwnVersusBelow {
  key: string;
  own: number | null;
  below: number;
  /** own − below (null when own is blank) */
  difference: number | null;
}

export function ownVersusBelow(t: RegionTotals): OwnVersusBelow[] {
  if (!t.own) return [];
  const rows: OwnVersusBelow[] = [];
  for (const key of Object.keys(t.own)) {
    const own = t.own[key];
    const below = Math.round(((t.region[key] ?? 0) - (own ?? 0)) * 10_000) / 10_000;
    rows.push({ key, own, below, difference: own === null ? null : Math.round((own - below) * 10_000) / 10_000 });
  }
  return rows;
}

/** the bodies directly under `bodyId` with their region's value of `key` (the drill-down of a total) */
export function drillDown(
  bodies: readonly Body[],
  totals: ReadonlyMap<number, RegionTotals>,
  bodyId: number,
  key: string,
): { bodyId: number; name: string; own: number | null; region: number; reports: number }[] {
  return bodies
    .filter((b) => b.parentId === bodyId)
    .map((b) => {
      const t = totals.get(b.id);
      return { bodyId: b.id, name: b.name, own: t?.own?.[key] ?? null, region: t?.region[key] ?? 0, reports: t?.reports ?? 0 };
    });
}
