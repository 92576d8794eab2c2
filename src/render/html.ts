/**
 * The annual report as one standalone, accessible HTML5 page.
 *
 *  - `lang="zh-CN"`, UTF-8, no external resources: the style sheet is inline
 *    and fonts are local names only (仿宋/宋体 body, 黑体 headings, 小标宋 title,
 *    with Noto/Source Han fallbacks), for the screen and for print (A4 with
 *    the margins of official documents, rows never split across pages, table
 *    headers repeated on every page).
 *  - An `<article>` holding the `<h1>` title, one `<section>` per part with its
 *    `<h2>` heading (a narrative part that the report lacks is left out), the
 *    paragraphs, the three tables, and the signature (agency, date) right-aligned.
 *  - Tables in the official layout of the report's format, cell for cell, from
 *    the grid model of `layout.ts` (same rows, columns, rowspans and colspans,
 *    the 勾稽 note in the top-left cell of 表二, the unit 万元 in the fee
 *    header). Accessibility: a `<caption>` (with the unit of the counts), a
 *    `<colgroup>` per group of columns, `<thead>` for the header rows and a
 *    `<tbody>` per group of rows; every label is a `<th>` with a `scope`
 *    (`col`, `colgroup`, `row`, or `rowgroup` for 表一's 第二十条 item rows and
 *    表二's 三、本年度办理结果), and every value `<td>` also lists its header
 *    cells in `headers` (the labels to its left and the header block above
 *    it), because 表一 stacks several header rows that the scope algorithm
 *    alone would attach to the wrong values.
 *
 * Values are written as given; a blank (null) value is written as 0 with
 * `blankAs: 'zero'` (the default) and left empty with `'blank'`. `render()`
 * prepares the report first (totals filled and checked, see totals.ts).
 */
import { SECTIONS } from '../model/format.js';
import type { Report } from '../model/report.js';
import type { RenderOptions } from './index.js';
import {
  bodyParts,
  chineseDate,
  expandGrid,
  type Grid,
  type GridCell,
  type Part,
  reportTitle,
  type Slot,
  type TableKey,
} from './layout.js';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** caption of a table: its number, subject and units */
export function tableCaption(grid: Grid, report: Report): string {
  if (grid.table === 'proactive') {
    return report.format === '2021'
      ? '表一　主动公开政府信息情况（单位：件；收费金额单位：万元）'
      : '表一　主动公开政府信息情况（采购总金额按所填单位）';
  }
  if (grid.table === 'applications') return '表二　收到和处理政府信息公开申请情况（单位：件）';
  return '表三　政府信息公开行政复议、行政诉讼情况（单位：件）';
}

/** column groups (spans, left to right) and a class per column for its width */
const COLGROUPS: Record<TableKey, { spans: number[]; cols: string[] }> = {
  proactive: { spans: [1, 3], cols: ['c-label', 'c-value', 'c-value', 'c-value'] },
  applications: {
    spans: [3, 1, 5, 1],
    cols: ['c-l1', 'c-l2', 'c-l3', ...new Array<string>(7).fill('c-value')],
  },
  reviewLitigation: { spans: [5, 5, 5], cols: new Array<string>(15).fill('c-value') },
};

type Kind = 'note' | 'item' | 'row' | 'rowgroup' | 'col' | 'colgroup' | 'value';

interface CellInfo {
  kind: Kind;
  /** id of a header cell */
  id?: string;
  /** ids of the header cells of a value cell */
  headers?: string[];
}

export interface TableModel {
  grid: Grid;
  slots: Slot[][];
  /** rows of <thead> */
  head: number[];
  /** rows of each <tbody> */
  bodies: number[][];
  info: Map<GridCell, CellInfo>;
}

/** Works out the row groups, the scope of every label and the headers of every value of a grid. */
export function tableModel(grid: Grid): TableModel {
  const m = expandGrid(grid);
  const at = (r: number, c: number) => m[r][c];
  const starts = (s: Slot, r: number, c: number) => s.row === r && s.col === c;
  const fullWidth = (r: number) => m[r][0].cell.role === 'label' && m[r][0].cell.colspan === grid.columns && m[r][0].row === r;
  const hasValue = (r: number) => m[r].some((s) => s.cell.role === 'value');

  // <thead>: the leading rows without values, unless the table repeats header rows per item (表一)
  const items = m.some((_, r) => fullWidth(r));
  const head: number[] = [];
  if (!items) for (let r = 0; r < m.length && !hasValue(r); r++) head.push(r);

  // <tbody>: a full-width item row starts a group; so does a first-column label spanning several rows, which makes one group
  const bodies: number[][] = [];
  let cur: number[] | null = null;
  let spanEnd = -1;
  for (let r = head.length; r < m.length; r++) {
    const s0 = at(r, 0);
    const startsSpan = starts(s0, r, 0) && s0.cell.rowspan > 1;
    if (!cur || fullWidth(r) || startsSpan || (spanEnd >= 0 && r > spanEnd)) {
      cur = [];
      bodies.push(cur);
      spanEnd = startsSpan ? r + s0.cell.rowspan - 1 : -1;
    }
    cur.push(r);
  }
  const bodyOf = (r: number) => bodies.find((b) => b.includes(r));

  // colgroup ranges [start, end)
  const ranges: [number, number][] = [];
  let x = 0;
  for (const span of COLGROUPS[grid.table].spans) {
    ranges.push([x, x + span]);
    x += span;
  }

  const info = new Map<GridCell, CellInfo>();
  let n = 0;
  m.forEach((row, r) => {
    row.forEach((s, c) => {
      if (!starts(s, r, c) || s.cell.role === 'value') return;
      const cell = s.cell;
      if (cell.role === 'note') {
        info.set(cell, { kind: 'note' });
        return;
      }
      let kind: Kind;
      const valuesRight = Array.from({ length: cell.rowspan }, (_, k) => r + k).some((rr) =>
        m[rr].some((t, cc) => cc >= c + cell.colspan && t.cell.role === 'value'),
      );
      if (fullWidth(r)) kind = 'item';
      else if (valuesRight) {
        const body = bodyOf(r);
        kind = cell.rowspan > 1 && body && body[0] === r && body.length === cell.rowspan ? 'rowgroup' : 'row';
      } else if (cell.colspan > 1 && ranges.some(([a, b]) => a === c && b === c + cell.colspan)) kind = 'colgroup';
      else kind = 'col';
      info.set(cell, { kind, id: `${grid.table}-h${++n}` });
    });
  });

  // headers of the values: the labels to the left, the header block right above
  m.forEach((row, r) => {
    row.forEach((s, c) => {
      if (!starts(s, r, c) || s.cell.role !== 'value') return;
      const above: string[] = [];
      for (let rr = r - 1; rr >= 0; rr--) {
        const t = at(rr, c);
        if (t.cell.role === 'value') {
          if (above.length > 0) break;
          continue;
        }
        const id = info.get(t.cell)?.id;
        if (id && !above.includes(id)) above.push(id);
      }
      const left: string[] = [];
      for (let cc = 0; cc < c; cc++) {
        const id = info.get(at(r, cc).cell)?.id;
        if (id && !left.includes(id)) left.push(id);
      }
      info.set(s.cell, { kind: 'value', headers: [...left, ...above.reverse()] });
    });
  });
  return { grid, slots: m, head, bodies, info };
}

function spans(cell: GridCell): string {
  return `${cell.rowspan > 1 ? ` rowspan="${cell.rowspan}"` : ''}${cell.colspan > 1 ? ` colspan="${cell.colspan}"` : ''}`;
}

function valueText(cell: GridCell, blankAs: 'zero' | 'blank'): string {
  if (cell.text !== null) return escapeHtml(cell.text);
  return blankAs === 'blank' ? '' : '0';
}

function htmlTable(grid: Grid, report: Report, blankAs: 'zero' | 'blank'): string {
  const model = tableModel(grid);
  const { info, slots } = model;
  const captionId = `${grid.table}-caption`;
  const out: string[] = [];
  out.push(`<div class="table-wrap" role="region" aria-labelledby="${captionId}" tabindex="0">`);
  out.push(`<table class="t-${grid.table}">`);
  out.push(`<caption id="${captionId}">${escapeHtml(tableCaption(grid, report))}</caption>`);
  const { spans: groupSpans, cols } = COLGROUPS[grid.table];
  let x = 0;
  for (const span of groupSpans) {
    out.push(
      `<colgroup>${cols
        .slice(x, x + span)
        .map((cl) => `<col class="${cl}">`)
        .join('')}</colgroup>`,
    );
    x += span;
  }
  const row = (r: number): string => {
    const cells: string[] = [];
    slots[r].forEach((s, c) => {
      if (s.row !== r || s.col !== c) return;
      const cell = s.cell;
      const i = info.get(cell)!;
      if (i.kind === 'value') {
        const blank = cell.text === null ? ' blank' : '';
        cells.push(
          `<td class="num${blank}"${spans(cell)} headers="${i.headers!.join(' ')}" data-path="${cell.path}">${valueText(cell, blankAs)}</td>`,
        );
      } else if (i.kind === 'note') {
        cells.push(`<td class="note"${spans(cell)}>${escapeHtml(cell.text ?? '')}</td>`);
      } else {
        const scope = i.kind === 'item' ? 'rowgroup' : i.kind;
        const cls = i.kind === 'item' ? ' class="item"' : i.kind === 'row' || i.kind === 'rowgroup' ? ' class="rh"' : '';
        cells.push(`<th id="${i.id}" scope="${scope}"${cls}${spans(cell)}>${escapeHtml(cell.text ?? '')}</th>`);
      }
    });
    return `<tr>${cells.join('')}</tr>`;
  };
  if (model.head.length > 0) out.push('<thead>', ...model.head.map(row), '</thead>');
  for (const body of model.bodies) out.push('<tbody>', ...body.map(row), '</tbody>');
  out.push('</table>', '</div>');
  return out.join('\n');
}

const BODY_FONT =
  '"FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", "华文仿宋", "Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", "Source Han Serif", serif';
const TABLE_FONT =
  '"SimSun", "宋体", "Songti SC", "STSong", "华文宋体", "Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", "Source Han Serif", serif';
const HEADING_FONT =
  '"SimHei", "黑体", "Heiti SC", "STHeiti", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans", "Microsoft YaHei", sans-serif';
const TITLE_FONT =
  '"FZXiaoBiaoSong-B05S", "方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05", "STZhongsong", "华文中宋", "Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", "Source Han Serif", serif';

export const STYLE = `
:root { color-scheme: light; }
html { background: #eeeeea; }
body { margin: 0; color: #111; font-family: ${BODY_FONT}; font-size: 16pt; line-height: 1.75; }
.report { box-sizing: border-box; max-width: 210mm; margin: 24px auto; padding: 25mm 26mm 25mm 28mm; background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.2); }
h1 { margin: 0 0 1em; font-family: ${TITLE_FONT}; font-size: 22pt; font-weight: bold; line-height: 1.5; text-align: center; }
h2 { margin: 0.6em 0 0.3em; font-family: ${HEADING_FONT}; font-size: 16pt; font-weight: normal; text-indent: 2em; }
p { margin: 0; text-align: justify; text-indent: 2em; }
.table-wrap { margin: 0.5em 0 1em; overflow-x: auto; }
.table-wrap:focus { outline: 2px solid #1a56db; outline-offset: 2px; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; font-family: ${TABLE_FONT}; font-size: 10.5pt; line-height: 1.4; }
caption { padding: 0 0 0.4em; font-family: ${HEADING_FONT}; font-size: 12pt; text-align: center; caption-side: top; }
th, td { padding: 2pt 3pt; border: 1px solid #000; text-align: center; vertical-align: middle; overflow-wrap: anywhere; }
th { font-weight: normal; }
th.item { background: #f4f4f4; font-family: ${HEADING_FONT}; }
thead th { background: #f4f4f4; }
th.rh { text-align: left; }
th.rh[rowspan] { text-align: center; }
td.note { font-size: 9pt; text-align: left; }
td.num { font-variant-numeric: tabular-nums; }
col.c-label { width: 34%; }
col.c-l1 { width: 6%; }
col.c-l2 { width: 12%; }
col.c-l3 { width: 26%; }
table.t-applications col.c-value { width: 8%; }
table.t-reviewLitigation { font-size: 9pt; }
.signature { margin-top: 2em; text-align: right; }
.signature p { text-align: right; text-indent: 0; }
@media screen and (max-width: 800px) {
  .report { margin: 0; padding: 16px; box-shadow: none; }
  body { font-size: 13pt; }
  table { min-width: 640px; }
}
@page { size: A4 portrait; margin: 37mm 26mm 35mm 28mm; }
@media print {
  html, body { background: none; }
  .report { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  .table-wrap { overflow: visible; }
  table { font-size: 10pt; }
  table.t-reviewLitigation { font-size: 8pt; }
  th, td { border: 0.5pt solid #000; }
  thead { display: table-header-group; }
  tr, th, td { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, caption { break-after: avoid; page-break-after: avoid; }
  p { orphans: 2; widows: 2; }
  .signature { break-inside: avoid; page-break-inside: avoid; }
}
`.trim();

/** A complete standalone HTML page of the report (see the module comment). */
export function renderHtml(report: Report, opts: RenderOptions = {}): string {
  const blankAs = opts.blankAs ?? 'zero';
  const title = reportTitle(report);
  const body: string[] = [];
  let open = false;
  const parts: Part[] = bodyParts(report);
  for (const part of parts) {
    if (part.kind === 'heading') {
      if (open) body.push('</section>');
      const def = SECTIONS.find((s) => s.heading === part.text);
      const id = `part-${def?.key ?? body.length}`;
      body.push(`<section aria-labelledby="${id}">`, `<h2 id="${id}">${escapeHtml(part.text)}</h2>`);
      open = true;
    } else if (part.kind === 'paragraph') body.push(`<p>${escapeHtml(part.text)}</p>`);
    else body.push(htmlTable(part.grid, report, blankAs));
  }
  if (open) body.push('</section>');
  if (report.publishedOn) {
    body.push('<div class="signature">');
    if (report.agency) body.push(`<p>${escapeHtml(report.agency)}</p>`);
    body.push(`<p><time datetime="${escapeHtml(report.publishedOn)}">${escapeHtml(chineseDate(report.publishedOn))}</time></p>`);
    body.push('</div>');
  }
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="nianbao">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    '<article class="report">',
    `<h1>${escapeHtml(title)}</h1>`,
    ...body,
    '</article>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
