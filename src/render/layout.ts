/**
 * The official layout of the three tables as a grid model, and the parts of a
 * report body in reading order. Every renderer (and the test layouts) draws
 * from this one model, which follows the official template cell for cell,
 * with its rowspans and colspans. Labels come from src/model/format.ts.
 */
import {
  APPLICANT_COLUMNS,
  APPLICATIONS_NOTE,
  applicationRows,
  proactiveRows,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  SECTIONS,
  type SectionDef,
} from '../model/format.js';
import type { Count, Money, Report } from '../model/report.js';

// ---------------------------------------------------------------------------
// Grid model of the three tables
// ---------------------------------------------------------------------------

export type TableKey = 'proactive' | 'applications' | 'reviewLitigation';

export interface GridCell {
  role: 'label' | 'value' | 'note';
  /** label text, or the published value; null = a blank value cell */
  text: string | null;
  colspan: number;
  rowspan: number;
  /** JSON path of a value cell, e.g. "applications.granted.total" */
  path?: string;
  /** the raw value of a value cell */
  value?: Count | Money | string;
}

export interface Grid {
  table: TableKey;
  /** the section heading the table belongs to */
  heading: string;
  /** number of grid columns (表一 4, 表二 10, 表三 15) */
  columns: number;
  /** source rows: each holds only the cells that start in it (like HTML <tr>) */
  rows: GridCell[][];
}

const label = (text: string, colspan = 1, rowspan = 1): GridCell => ({ role: 'label', text, colspan, rowspan });

function valueCell(value: Count | Money | string | undefined, path: string, colspan = 1): GridCell {
  const v = value ?? null;
  return { role: 'value', text: v === null ? null : String(v), value: v, colspan, rowspan: 1, path };
}

function sectionHeading(key: SectionDef['key']): string {
  return SECTIONS.find((s) => s.key === key)!.heading;
}

/** 表一 二、主动公开政府信息情况: 4 columns, caption rows spanning all 4. */
export function proactiveGrid(report: Report): Grid {
  const data = report.proactive as Record<string, Record<string, Count | Money | string> | undefined>;
  const rows: GridCell[][] = [];
  let item = '';
  for (const def of proactiveRows(report.format)) {
    const n = def.fields.length;
    // the last field fills the remaining columns: 3 fields → 1 each; 2 → 1 + 2; 1 → 3
    const span = (i: number) => (i === n - 1 ? 4 - n : 1);
    if (def.item !== item) {
      item = def.item;
      rows.push([label(item, 4)]);
      rows.push([label('信息内容'), ...def.fields.map((f, i) => label(f.label, span(i)))]);
    }
    rows.push([label(def.label), ...def.fields.map((f, i) => valueCell(data[def.key]?.[f.key], `proactive.${def.key}.${f.key}`, span(i)))]);
  }
  return { table: 'proactive', heading: sectionHeading('proactive'), columns: 4, rows };
}

/** 表二 三、收到和处理政府信息公开申请情况: 3 label columns + 7 value columns. */
export function applicationsGrid(report: Report): Grid {
  const defs = applicationRows(report.format);
  const header1: GridCell[] = [
    { role: 'note', text: APPLICATIONS_NOTE, colspan: 3, rowspan: 3 },
    label('申请人情况', APPLICANT_COLUMNS.length),
  ];
  const header2: GridCell[] = [];
  const header3: GridCell[] = [];
  for (const col of APPLICANT_COLUMNS) {
    if (!col.group) header2.push(label(col.label, 1, 2));
    else {
      if (!header2.some((c) => c.text === col.group)) {
        header2.push(label(col.group, APPLICANT_COLUMNS.filter((c) => c.group === col.group).length));
      }
      header3.push(label(col.label));
    }
  }
  const rows: GridCell[][] = [header1, header2, header3];
  defs.forEach((def, i) => {
    const prev = defs[i - 1];
    const cells: GridCell[] = [];
    if (!prev || prev.level1 !== def.level1) {
      if (!def.level2) cells.push(label(def.level1, 3));
      else cells.push(label(def.level1, 1, defs.filter((d) => d.level1 === def.level1).length));
    }
    if (def.level2) {
      if (!def.level3) cells.push(label(def.level2, 2));
      else {
        if (!prev || prev.level2 !== def.level2) cells.push(label(def.level2, 1, defs.filter((d) => d.level2 === def.level2).length));
        cells.push(label(def.level3));
      }
    }
    for (const col of APPLICANT_COLUMNS) {
      cells.push(valueCell(report.applications[def.key]?.[col.key], `applications.${def.key}.${col.key}`));
    }
    rows.push(cells);
  });
  return { table: 'applications', heading: sectionHeading('applications'), columns: 3 + APPLICANT_COLUMNS.length, rows };
}

/** 表三 四、政府信息公开行政复议、行政诉讼情况: 15 value columns under a 3-row header. */
export function reviewGrid(report: Report): Grid {
  const width = REVIEW_COLUMNS.length;
  const top: GridCell[] = [];
  const middle: GridCell[] = [];
  const bottom: GridCell[] = [];
  const values: GridCell[] = [];
  for (const group of REVIEW_GROUPS) {
    const parent = 'parent' in group ? group.parent : undefined;
    if (!parent) {
      top.push(label(group.label, width));
      for (const c of REVIEW_COLUMNS) middle.push(label(c.label, 1, 2));
    } else {
      if (!top.some((c) => c.text === parent)) {
        top.push(label(parent, width * REVIEW_GROUPS.filter((g) => 'parent' in g && g.parent === parent).length));
      }
      middle.push(label(group.label, width));
      for (const c of REVIEW_COLUMNS) bottom.push(label(c.label));
    }
    for (const c of REVIEW_COLUMNS) {
      values.push(valueCell(report.reviewLitigation[group.key]?.[c.key], `reviewLitigation.${group.key}.${c.key}`));
    }
  }
  return {
    table: 'reviewLitigation',
    heading: sectionHeading('reviewLitigation'),
    columns: width * REVIEW_GROUPS.length,
    rows: [top, middle, bottom, values],
  };
}

export function tableGrids(report: Report): Grid[] {
  return [proactiveGrid(report), applicationsGrid(report), reviewGrid(report)];
}

export interface Slot {
  cell: GridCell;
  /** position of the cell's top-left corner */
  row: number;
  col: number;
}

/** The rectangular matrix of a grid: slots[r][c] is the cell covering that position. Throws if the spans do not tile. */
export function expandGrid(grid: Grid): Slot[][] {
  const m: (Slot | undefined)[][] = grid.rows.map(() => new Array<Slot | undefined>(grid.columns).fill(undefined));
  grid.rows.forEach((cells, r) => {
    let c = 0;
    for (const cell of cells) {
      while (c < grid.columns && m[r][c]) c++;
      const slot: Slot = { cell, row: r, col: c };
      for (let dr = 0; dr < cell.rowspan; dr++) {
        for (let dc = 0; dc < cell.colspan; dc++) {
          if (r + dr >= m.length || c + dc >= grid.columns || m[r + dr][c + dc]) {
            throw new Error(`${grid.table}: cell "${cell.text}" at row ${r + 1} overflows the grid`);
          }
          m[r + dr][c + dc] = slot;
        }
      }
      c += cell.colspan;
    }
  });
  return m.map((row, r) =>
    row.map((s, c) => {
      if (!s) throw new Error(`${grid.table}: hole at row ${r + 1}, column ${c + 1}`);
      return s;
    }),
  );
}

export interface WordCell {
  cell: GridCell;
  colspan: number;
  /** restart = first row of a vertical merge; continue = a covered cell below it (an empty cell in Word) */
  vMerge?: 'restart' | 'continue';
}

/** The rows as a word processor stores them: horizontal merges are one cell, vertical merges leave an empty continuation cell in every covered row. */
export function wordRows(grid: Grid): WordCell[][] {
  const m = expandGrid(grid);
  return m.map((row, r) => {
    const out: WordCell[] = [];
    for (let c = 0; c < grid.columns; ) {
      const s = row[c];
      if (s.col === c) {
        const vMerge = s.cell.rowspan > 1 ? (s.row === r ? 'restart' : 'continue') : undefined;
        out.push({ cell: s.cell, colspan: s.cell.colspan, vMerge });
      }
      c += s.col === c ? s.cell.colspan : 1;
    }
    return out;
  });
}

// ---------------------------------------------------------------------------
// Document parts shared by the layouts
// ---------------------------------------------------------------------------

export function reportTitle(report: Report): string {
  return `${report.agency ?? ''}${report.year === null ? '' : `${report.year}年`}政府信息公开工作年度报告`;
}

/** "2022-01-14" → "2022年1月14日" */
export function chineseDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** the signature lines at the end (agency, date), empty when there is no date */
export function signatureLines(report: Report): string[] {
  if (!report.publishedOn) return [];
  return [...(report.agency ? [report.agency] : []), chineseDate(report.publishedOn)];
}

export type Part = { kind: 'heading'; text: string } | { kind: 'paragraph'; text: string } | { kind: 'table'; grid: Grid };

/** The body in reading order: six headings (narrative ones omitted when the section is null), paragraphs, tables. */
export function bodyParts(report: Report): Part[] {
  const grids = tableGrids(report);
  const parts: Part[] = [];
  for (const s of SECTIONS) {
    const grid = grids.find((g) => g.table === s.key);
    if (grid) {
      parts.push({ kind: 'heading', text: s.heading }, { kind: 'table', grid });
      continue;
    }
    const text = report.sections[s.key as 'overview' | 'problems' | 'other'];
    if (text === null || text === undefined) continue;
    parts.push({ kind: 'heading', text: s.heading });
    for (const p of paragraphs(text)) parts.push({ kind: 'paragraph', text: p });
  }
  return parts;
}

function paragraphs(text: string): string[] {
  return text.split('\n').filter((p) => p.trim() !== '');
}

/** Breaks a label into two lines near its middle when it has at least `min` characters. */
export function breakLabel(text: string, min = 6): string[] {
  const chars = Array.from(text);
  if (chars.length < min) return [text];
  const at = Math.ceil(chars.length / 2);
  return [chars.slice(0, at).join(''), chars.slice(at).join('')];
}
