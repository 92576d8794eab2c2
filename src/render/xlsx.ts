/**
 * Excel output: a workbook with the narrative on its first sheet and each of
 * the three tables on a sheet of its own, in the official layout.
 *
 * - Sheet "报告正文": the title, the six section headings in order, the
 *   paragraphs of 一、五、六 (the table sections point to their sheets), and
 *   the signature (agency, date), one paragraph per row in a wide wrapped
 *   column.
 * - One sheet per table, named after its section heading
 *   ("二、主动公开政府信息情况" …): the heading in row 1, the table from row 3,
 *   cell for cell as in the grid model of ./layout.ts, merged cells as real
 *   merges, thin borders on every cell, shaded header cells, the 勾稽 note in
 *   its 3×3 merge, column widths and row heights set, printing on A4 fitted
 *   to the page width.
 * - Values are numbers where they are numbers (counts; money with its
 *   published decimals kept through the number format); text otherwise
 *   ("251000元"). Null cells stay empty (or 0 with blankAs 'zero').
 * - Deterministic: workbook properties carry dates derived from the report
 *   and the ZIP entries are stamped with the same date.
 * - No text is ever a formula: text is written as a (shared) string, and text
 *   that a spreadsheet could take for a formula when the cell is edited or
 *   the sheet is saved as CSV (starting with = + - @, their full-width forms,
 *   a tab or a carriage return) gets the Text number format (@) and the
 *   quotePrefix style (as Excel marks text typed with a leading apostrophe);
 *   the text itself is unchanged.
 */
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import type { Report } from '../model/report.js';
import { bodyParts, expandGrid, type Grid, type GridCell, reportTitle, signatureLines, tableGrids } from './layout.js';
import { documentDate, finishPackage, utcDate, xmlText } from './ooxml.js';

export interface XlsxRenderOptions {
  /** how a null value cell is written: left empty (default) or as 0 */
  blankAs?: 'zero' | 'blank';
}

export const NARRATIVE_SHEET = '报告正文';

/** characters per cell, below Excel's limit of 32767 */
const CELL_MAX = 32000;

const FONT = { title: '方正小标宋简体', heading: '黑体', body: '仿宋_GB2312', table: '宋体', note: '楷体_GB2312' } as const;
const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF000000' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
/** the caption rows of 表一, as shaded in the official template */
const CAPTION_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFC6D9F1' } };

/** the first characters that make a spreadsheet read a text as a formula (formula / CSV injection) */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** the Text number format: exceljs writes it as numFmtId 49, which `quotePrefixed` marks */
const TEXT_FORMAT = '@';

/** does a text cell need protecting from being taken for a formula */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/** puts a value into a cell; text that looks like a formula gets the Text format (and, later, quotePrefix) */
function setValue(cell: ExcelJS.Cell, value: ExcelJS.CellValue): void {
  cell.value = value;
  if (typeof value === 'string' && looksLikeFormula(value)) cell.numFmt = TEXT_FORMAT;
}

/**
 * styles.xml with quotePrefix="1" on every cell format of the Text number format (49), which only
 * cells set by `setValue` for formula-like text have (exceljs has no quotePrefix of its own)
 */
export function quotePrefixed(styles: string): string {
  return styles.replace(/<cellXfs\b[^>]*>[\s\S]*?<\/cellXfs>/, (xfs) =>
    xfs.replace(/<xf\b([^>]*?)(\/?)>/g, (xf, attrs: string, close: string) =>
      /\bnumFmtId="49"/.test(attrs) && !/\bquotePrefix=/.test(attrs) ? `<xf${attrs} quotePrefix="1"${close}>` : xf,
    ),
  );
}

/** column widths (Excel character units) per table */
function columnWidths(grid: Grid): number[] {
  if (grid.table === 'proactive') return [26, ...new Array<number>(grid.columns - 1).fill(20)];
  if (grid.table === 'applications') return [10, 12, 40, ...new Array<number>(grid.columns - 3).fill(10)];
  return new Array<number>(grid.columns).fill(9.5);
}

/** display width of a text in Excel character units (a CJK character counts about two) */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\uffef]/.test(ch) ? 2 : 1;
  return w;
}

/** lines a text takes in a wrapped cell `width` units wide at `scale` × the default font */
function linesIn(text: string, width: number, scale = 1): number {
  const usable = Math.max(1, (width - 1) / scale);
  return text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(textWidth(line) / usable)), 0);
}

/**
 * The value a grid cell holds in Excel: counts as numbers, money as a number
 * with a format that keeps its published decimals, anything else as text.
 */
function cellValue(cell: GridCell, blankAs: 'zero' | 'blank'): { value: ExcelJS.CellValue; numFmt?: string } {
  if (cell.role !== 'value') return { value: cell.text === null ? null : xmlText(cell.text) };
  const v = cell.value;
  if (v === null || v === undefined) return { value: blankAs === 'zero' ? 0 : null };
  if (typeof v === 'number') return { value: v };
  const m = /^(-?\d{1,15})(?:\.(\d{1,10}))?$/.exec(v);
  if (m) {
    const decimals = m[2]?.length ?? 0;
    const n = Number(v);
    if (n.toFixed(decimals) === v || (v.startsWith('-') && n === 0 && `-${(0).toFixed(decimals)}` === v)) {
      return { value: n, numFmt: decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0' };
    }
  }
  return { value: xmlText(v) };
}

function writeTableSheet(ws: ExcelJS.Worksheet, grid: Grid, blankAs: 'zero' | 'blank'): void {
  const widths = columnWidths(grid);
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  const TOP = 3;
  const head = ws.getCell(1, 1);
  setValue(head, grid.heading);
  head.font = { name: FONT.heading, size: 14 };
  head.alignment = { horizontal: 'left', vertical: 'middle' };
  ws.mergeCells(1, 1, 1, grid.columns);
  ws.getRow(1).height = 24;

  const m = expandGrid(grid);
  const headerRows = grid.table === 'proactive' ? 0 : 3;
  const lines = m.map(() => 1);
  m.forEach((row, r) => {
    row.forEach((s, c) => {
      const cell = ws.getCell(TOP + r, c + 1);
      cell.border = BORDER;
      if (s.row !== r || s.col !== c) return;
      const { value, numFmt } = cellValue(s.cell, blankAs);
      setValue(cell, value);
      if (numFmt) cell.numFmt = numFmt;
      const caption = grid.table === 'proactive' && s.cell.colspan === grid.columns;
      const rowLabel = grid.table === 'applications' && r >= headerRows && s.cell.role === 'label';
      const columnHeader =
        s.cell.role === 'label' &&
        !caption &&
        !rowLabel &&
        (r < headerRows || (grid.table === 'proactive' && s.cell.text !== null && isFieldHeader(m, r)));
      const left = s.cell.role === 'note' || caption || rowLabel;
      cell.alignment = { horizontal: left ? 'left' : 'center', vertical: 'middle', wrapText: true };
      cell.font = s.cell.role === 'note' ? { name: FONT.note, size: 10 } : { name: FONT.table, size: 10, bold: columnHeader || caption };
      if (caption) cell.fill = CAPTION_FILL;
      else if (columnHeader || s.cell.role === 'note') cell.fill = HEADER_FILL;
      if (s.cell.rowspan > 1 || s.cell.colspan > 1) ws.mergeCells(TOP + r, c + 1, TOP + r + s.cell.rowspan - 1, c + s.cell.colspan);
      if (s.cell.rowspan === 1 && s.cell.text) {
        const width = widths.slice(c, c + s.cell.colspan).reduce((a, b) => a + b, 0);
        lines[r] = Math.max(lines[r], linesIn(s.cell.text, width));
      }
    });
  });
  // fill covered cells of merges with the master's fill, so shading covers the whole merged area
  m.forEach((row, r) => {
    row.forEach((s, c) => {
      if (s.row === r && s.col === c) return;
      const master = ws.getCell(TOP + s.row, s.col + 1);
      if (master.fill) ws.getCell(TOP + r, c + 1).fill = master.fill;
    });
  });
  lines.forEach((n, r) => {
    ws.getRow(TOP + r).height = Math.min(409, Math.max(20, 14 * n + 6));
  });
  ws.pageSetup = {
    paperSize: 9,
    orientation: grid.table === 'reviewLitigation' ? 'landscape' : 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
  };
  ws.headerFooter = { oddFooter: '&C- &P -' };
}

/** is row r of 表一 a 信息内容 header row (the row after a caption row) */
function isFieldHeader(m: ReturnType<typeof expandGrid>, r: number): boolean {
  return r > 0 && m[r - 1][0].cell.colspan === m[r - 1].length;
}

function writeNarrativeSheet(ws: ExcelJS.Worksheet, report: Report): void {
  const WIDTH = 96;
  ws.getColumn(1).width = WIDTH;
  let r = 1;
  const put = (text: string, font: Partial<ExcelJS.Font>, horizontal: 'left' | 'center' | 'right', scale: number, lineHeight: number) => {
    const cell = ws.getCell(r, 1);
    setValue(cell, xmlText(text));
    cell.font = font;
    cell.alignment = { horizontal, vertical: 'top', wrapText: true };
    // Excel's highest row is 409 pt
    ws.getRow(r).height = Math.min(409, lineHeight * linesIn(text, WIDTH, scale) + 6);
    r++;
  };
  put(reportTitle(report), { name: FONT.title, size: 18 }, 'center', 1.6, 26);
  r++;
  for (const part of bodyParts(report)) {
    if (part.kind === 'heading') put(part.text, { name: FONT.heading, size: 14 }, 'left', 1.25, 22);
    else if (part.kind === 'paragraph') {
      // a cell holds at most 32767 characters: a longer paragraph goes on over several rows
      const chars = Array.from(part.text);
      for (let i = 0; i < chars.length; i += CELL_MAX)
        put(chars.slice(i, i + CELL_MAX).join(''), { name: FONT.body, size: 14 }, 'left', 1.25, 20);
    } else put(`（见“${part.grid.heading}”工作表）`, { name: FONT.body, size: 12, color: { argb: 'FF595959' } }, 'left', 1.1, 18);
  }
  const signature = signatureLines(report);
  if (signature.length > 0) {
    r++;
    for (const s of signature) put(s, { name: FONT.body, size: 14 }, 'right', 1.25, 20);
  }
  ws.pageSetup = {
    paperSize: 9,
    orientation: 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    margins: { left: 1.1, right: 1.0, top: 1.45, bottom: 1.4, header: 0.3, footer: 0.5 },
  };
  ws.headerFooter = { oddFooter: '&C- &P -' };
}

/** The report as an Excel workbook (.xlsx bytes). */
export async function renderXlsx(report: Report, opts: XlsxRenderOptions = {}): Promise<Uint8Array> {
  const blankAs = opts.blankAs ?? 'blank';
  const date = documentDate(report);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'nianbao';
  wb.lastModifiedBy = 'nianbao';
  wb.created = utcDate(date);
  wb.modified = utcDate(date);
  wb.title = xmlText(reportTitle(report));
  wb.subject = '政府信息公开工作年度报告';
  writeNarrativeSheet(wb.addWorksheet(NARRATIVE_SHEET), report);
  for (const grid of tableGrids(report)) writeTableSheet(wb.addWorksheet(grid.heading), grid, blankAs);
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  const STYLES = 'xl/styles.xml';
  const styles = unzipSync(bytes, { filter: (f) => f.name === STYLES })[STYLES];
  const text = styles ? strFromU8(styles) : '';
  const marked = quotePrefixed(text);
  return finishPackage(bytes, date, marked !== text ? { [STYLES]: marked } : {});
}
