/**
 * The annual report as Markdown that reads well as plain text:
 *
 *  - `# 标题`, `## 一、总体情况` … in the order of the six parts (a narrative
 *    part the report lacks is left out), one paragraph per line of text
 *    separated by blank lines, the signature (agency, date) as the last two
 *    paragraphs;
 *  - each table as a GFM pipe table of the official grid: the same rows and
 *    columns as the official layout (表一 4 columns, 表二 10, 表三 15), the
 *    first grid row as the pipe table's header row. A merged cell is written
 *    once, in its top-left position; the positions it covers to the right and
 *    below are left empty. So a row label spanning the three label columns of
 *    表二 stands in the first column, and a label spanning rows
 *    (`三、本年度办理结果`, `（三）不予公开`) stands on the first of its rows only,
 *    which reads like an indented outline:
 *
 *    | 三、本年度办理结果 | （一）予以公开 |  | 5 | …
 *    |  | （三）不予公开 | 1.属于国家秘密 | 0 | …
 *    |  |  | 2.其他法律行政法规禁止公开 | 0 | …
 *
 *    The 勾稽 note of 表二 is the first cell of its header row, as in the
 *    official top-left cell, and 表一's fee header keeps its unit (万元).
 *  - Markdown syntax characters in the text are escaped with a backslash, `|`
 *    inside cells as `\|`.
 *
 * Blank (null) values: 0 with `blankAs: 'zero'` (the default), an empty cell
 * with `'blank'`.
 */
import type { Report } from '../model/report.js';
import type { RenderOptions } from './index.js';
import { bodyParts, expandGrid, type Grid, reportTitle, signatureLines } from './layout.js';

/** Escapes what Markdown would read as syntax: emphasis, code, links, HTML, entities, escapes, and block markers at the start. */
export function escapeMarkdown(s: string): string {
  let t = s.replace(/[\\`*_[\]<>&~|]/g, (ch) => `\\${ch}`);
  // block markers at the start of a line: heading, quote, list bullet, thematic break, table
  t = t.replace(/^(\s*)([#+\-=])/, '$1\\$2');
  return t;
}

function cellText(s: string): string {
  return escapeMarkdown(s.replace(/\s*\n\s*/g, ' ').trim());
}

/** the grid as rows of cell strings: merged cells written once, at their top-left position */
export function markdownRows(grid: Grid, blankAs: 'zero' | 'blank'): string[][] {
  return expandGrid(grid).map((row, r) =>
    row.map((s, c) => {
      if (s.row !== r || s.col !== c) return '';
      if (s.cell.role === 'value') return s.cell.text === null ? (blankAs === 'blank' ? '' : '0') : cellText(s.cell.text);
      return cellText(s.cell.text ?? '');
    }),
  );
}

function pipeTable(grid: Grid, blankAs: 'zero' | 'blank'): string[] {
  const rows = markdownRows(grid, blankAs);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(rows[0]), `|${rows[0].map(() => ' --- ').join('|')}|`, ...rows.slice(1).map(line)];
}

/** Markdown of the report (see the module comment). */
export function renderMarkdown(report: Report, opts: RenderOptions = {}): string {
  const blankAs = opts.blankAs ?? 'zero';
  const out: string[] = [`# ${escapeMarkdown(reportTitle(report))}`, ''];
  for (const part of bodyParts(report)) {
    if (part.kind === 'heading') out.push(`## ${escapeMarkdown(part.text)}`, '');
    else if (part.kind === 'paragraph') out.push(escapeMarkdown(part.text.trim()), '');
    else out.push(...pipeTable(part.grid, blankAs), '');
  }
  for (const s of signatureLines(report)) out.push(escapeMarkdown(s), '');
  return out.join('\n');
}
