/**
 * Plain-text reader. Text copied out of Word/WPS comes in two table layouts:
 * one table row per line with tab-separated cells, or one cell per line that
 * starts with a tab. Lines with tabs become table rows; other lines become
 * paragraphs. The extractor does not rely on the row structure (labels may
 * wrap onto following lines), only on the order of cells.
 */
import type { Block, Cell, DocumentModel, TableBlock } from './document.js';

/** a CSV table row: a label (CJK or a closing bracket) directly followed by a comma, or a row of numbers and commas */
const CSV_ROW = /[\u4e00-\u9fff)）”],|^,|^\s*[\d/—-]*(,[\d/—-]*){2,}\s*$/;

/** at least two comma-separated fields, and every field either empty, a value, or a short label (not prose) */
function isCsvRow(line: string): boolean {
  const fields = line.replace(/"[^"]*"/g, '0').split(',');
  if (fields.length < 3) return false;
  const value = (f: string) => /^\s*([+-]?[\d.]+|\/|—+|-)?\s*$/.test(f);
  return fields.filter(value).length >= 2 && fields.every((f) => value(f) || (f.length <= 60 && !/[。；！？]/.test(f)));
}

export function readText(source: string, file: string, kind: 'text' | 'markdown' = 'text'): DocumentModel {
  const blocks: Block[] = [];
  const lines = source.split(/\r\n|\r|\n/);
  let table: TableBlock | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    // a table saved as CSV: commas right after a label separate the cells like tabs
    const csv = !raw.includes('\t') && CSV_ROW.test(raw) && isCsvRow(raw);
    const line = csv
      ? raw
          .replace(/"([^"]*)"/g, (_m, q: string) => q.replace(/,/g, '\u0000'))
          .replace(/,/g, '\t')
          .replace(/\u0000/g, ',')
      : raw;
    if (line.includes('\t')) {
      const fields = line.split('\t');
      const cells: Cell[] = [];
      // "⇥cell" alone on its line: one cell of a one-cell-per-line layout
      if (fields.length === 2 && fields[0].trim() === '') {
        cells.push({ text: fields[1].trim(), prov: { kind: 'text', line: lineNo, column: fields[0].length + 2 } });
      } else {
        let col = 1;
        for (const f of fields) {
          const lead = f.length - f.trimStart().length;
          cells.push({ text: f.trim(), prov: { kind: 'text', line: lineNo, column: col + lead } });
          col += f.length + 1;
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
      const next = lines.slice(i + 1, i + 4).some((l) => l.includes('\t'));
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
