/**
 * Plain-text reader. Text copied out of Word/WPS comes in two table layouts:
 * one table row per line with tab-separated cells, or one cell per line that
 * starts with a tab. Lines with tabs become table rows; other lines become
 * paragraphs. The extractor does not rely on the row structure (labels may
 * wrap onto following lines), only on the order of cells.
 */
import { wsEnd, wsStart } from '../util/chars.js';
import type { Block, Cell, DocumentModel, TableBlock } from './document.js';

/** a CSV table row: a label (CJK or a closing bracket) directly followed by a comma, or a row of numbers and commas */
const CSV_ROW = /[\u4e00-\u9fff)）”],|^,|^\s*[\d/—-]*(,[\d/—-]*){2,}\s*$/;

/** a CSV line with its quoted fields unquoted (their commas made full-width), for CSV_ROW */
function unquoted(line: string): string {
  return line.indexOf('"') === -1 ? line : line.replace(/"([^"]*)"/g, (_m, q: string) => q.replace(/,/g, '，'));
}

/** at least two comma-separated fields, and every field either empty, a value, or a short label (not prose) */
function isCsvRow(line: string): boolean {
  const fields = line.replace(/"[^"]*"/g, '0').split(',');
  if (fields.length < 3) return false;
  const value = (f: string) => /^\s*([+-]?[\d.]+|\/|—+|-)?\s*$/.test(f);
  return fields.filter(value).length >= 2 && fields.every((f) => value(f) || (f.length <= 60 && !/[。；！？]/.test(f)));
}

/** a line of border characters only, with a horizontal run: `+----+----+`, `|---|---|`, `├────┼────┤`, `═══` */
const BORDER_LINE = /^[\s+\-=:|│┃║─━═┌┐└┘├┤┬┴┼╋╔╗╚╝╠╣╦╩╬┏┓┗┛┣┫┳┻╞╡╪╟╢╫]*[-─━═]{3,}[\s+\-=:|│┃║─━═┌┐└┘├┤┬┴┼╋╔╗╚╝╠╣╦╩╬┏┓┗┛┣┫┳┻╞╡╪╟╢╫]*$/;
const BOX_VERTICAL = /[│┃║]/g;

/** 2: the line starts with a box-drawing character; 1: with '+', '-', '=' or '|' (it may be a border); 0: neither */
function borderChars(line: string): number {
  // borders and box-drawn rows start with one of these (after indentation)
  const c = line.charCodeAt(wsEnd(line, 0, line.length));
  if (c >= 0x2500 && c <= 0x257f) return 2;
  return c === 0x2b || c === 0x2d || c === 0x3d || c === 0x7c ? 1 : 0;
}

/** two or more pipes, or one at either end of the line */
function isPipeRow(line: string): boolean {
  const a = wsEnd(line, 0, line.length);
  const b = wsStart(line, a, line.length);
  if (b - a < 2) return false;
  const first = line.indexOf('|', a);
  return line.charCodeAt(a) === 0x7c || line.charCodeAt(b - 1) === 0x7c || line.indexOf('|', first + 1) !== -1;
}

/** the pipes between cells as tabs, those at the ends as spaces (columns stay where they are) */
function pipeCells(line: string): string {
  const a = wsEnd(line, 0, line.length);
  const b = wsStart(line, a, line.length);
  let out = line.replace(/\|/g, '\t');
  if (line.charCodeAt(a) === 0x7c) out = `${out.slice(0, a)} ${out.slice(a + 1)}`;
  if (line.charCodeAt(b - 1) === 0x7c && b - 1 > a) out = `${out.slice(0, b - 1)} ${out.slice(b)}`;
  return out;
}

export function readText(source: string, file: string, kind: 'text' | 'markdown' = 'text'): DocumentModel {
  const blocks: Block[] = [];
  const lines = source.includes('\r') ? source.split(/\r\n|\r|\n/) : source.split('\n');
  let table: TableBlock | null = null;
  /** the previous line was a table row written with pipes */
  let inPipeTable = false;
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i];
    const lineNo = i + 1;
    const border = borderChars(raw);
    if (border !== 0) {
      // a table's border drawn with characters (`+---+---+`, `├──┼──┤`): not content, and the table goes on
      if (BORDER_LINE.test(raw)) continue;
      // box-drawing verticals separate cells like pipes (in rows that start with one)
      if (border === 2) raw = raw.replace(BOX_VERTICAL, '|');
    }
    // a table saved as CSV: commas right after a label separate the cells like tabs
    const hasTab = raw.includes('\t');
    const csv = !hasTab && raw.includes(',') && CSV_ROW.test(unquoted(raw)) && isCsvRow(raw);
    // a table row written with pipes (`a | b | c`, `| a | b |`: web tables copied as text, Markdown without its rule line)
    // (the first row needs two pipes or one at an end; later rows one, as `行政许可 | 3960`)
    const pipes: boolean = !hasTab && !csv && raw.indexOf('|') !== -1 && (inPipeTable || isPipeRow(raw));
    inPipeTable = pipes;
    const line = csv
      ? raw
          .replace(/"([^"]*)"/g, (_m, q: string) => q.replace(/,/g, '\u0000'))
          .replace(/,/g, '\t')
          .replace(/\u0000/g, ',')
      : pipes
        ? pipeCells(raw)
        : raw;
    if (hasTab || csv || pipes) {
      const cells: Cell[] = [];
      const firstTab = line.indexOf('\t');
      // "⇥cell" alone on its line: one cell of a one-cell-per-line layout
      if (line.indexOf('\t', firstTab + 1) < 0 && wsEnd(line, 0, firstTab) === firstTab) {
        cells.push({ text: line.slice(firstTab + 1).trim(), prov: { kind: 'text', line: lineNo, column: firstTab + 2 } });
      } else {
        // the fields between tabs, trimmed, each with the column of its first character
        let from = 0;
        for (;;) {
          const tab = line.indexOf('\t', from);
          const to = tab < 0 ? line.length : tab;
          const a = wsEnd(line, from, to);
          const text = a === to ? '' : line.slice(a, wsStart(line, a, to));
          cells.push({ text, prov: { kind: 'text', line: lineNo, column: 1 + a } });
          if (tab < 0) break;
          from = tab + 1;
        }
      }
      if (!table) {
        table = { type: 'table', rows: [], prov: { kind: 'text', line: lineNo, column: 1 } };
        blocks.push(table);
      }
      table.rows.push(cells);
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const lead = line.length - line.trimStart().length;
    if (table) {
      // a line without tabs right after table rows: a wrapped cell or a stray line;
      // keep it inside the table as a one-cell row so order is preserved
      let next = false;
      for (let j = i + 1; j < i + 4 && j < lines.length && !next; j++) next = lines[j].includes('\t');
      if (next && trimmed.length <= 60) {
        table.rows.push([{ text: trimmed, prov: { kind: 'text', line: lineNo, column: lead + 1 } }]);
        continue;
      }
      table = null;
    }
    blocks.push({ type: 'paragraph', text: trimmed, prov: { kind: 'text', line: lineNo, column: lead + 1 } });
  }
  return { kind, source: file, blocks };
}
