/**
 * Tables broken the way PDF-to-Markdown and PDF-to-text converters break them (issue 16), applied to
 * a Markdown rendering of a Report (`toMarkdown`): each kind is one converter habit, at positions
 * drawn from a seed, so that a test can assert what the reader makes of it.
 */
import type { Report } from '../../src/model/report.js';
import { mulberry32 } from '../../src/register/generate.js';
import { toMarkdown } from './variants.js';

export type MangleKind = 'footer' | 'repeated-header' | 'label-out' | 'split-label' | 'bare-row' | 'group-column';
export const MANGLE_KINDS: readonly MangleKind[] = ['footer', 'repeated-header', 'label-out', 'split-label', 'bare-row', 'group-column'];

const isRow = (l: string) => l.startsWith('| ') && !l.startsWith('| ---');
const cellsOf = (l: string) => l.slice(2, -2).split(' | ');
const lineOf = (cells: string[]) => `| ${cells.join(' | ')} |`;
/** a data row of a table: some cell is a number */
const isNumber = (c: string) => /^-?\d+(\.\d+)?(万元|元)?$/.test(c.trim());
const isDataRow = (l: string) => isRow(l) && cellsOf(l).some(isNumber);

/** the Markdown of `report` with `count` breaks of `kind`, at places chosen by `seed` */
export function mangledMarkdown(report: Report, kind: MangleKind, seed: number, count = 2): string {
  const rnd = mulberry32(seed);
  const lines = toMarkdown(report).split('\n');
  const data = () => lines.map((l, i) => (isDataRow(l) ? i : -1)).filter((i) => i >= 0);
  for (let n = 0; n < count; n++) {
    const rows = data();
    if (rows.length < 3) break;
    const at = rows[1 + Math.floor(rnd() * (rows.length - 2))];
    const cells = cellsOf(lines[at]);
    const labels = cells.map((c, k) => (c.trim() && !isNumber(c) ? k : -1)).filter((k) => k >= 0);
    switch (kind) {
      case 'footer':
        // a page footer inside the table, between two rows
        lines.splice(at + 1, 0, '', `— ${2 + Math.floor(rnd() * 9)} —`, '');
        break;
      case 'repeated-header': {
        // the table's header rows repeated after a page break
        const start = lines
          .slice(0, at)
          .map((l, i) => (l.startsWith('| ---') ? i : -1))
          .filter((i) => i >= 0)
          .pop();
        if (start === undefined) break;
        lines.splice(at + 1, 0, lines[start - 1]);
        break;
      }
      case 'label-out': {
        // the row's label pushed out of the row onto a line of its own, above it
        const k = labels[labels.length - 1];
        if (k === undefined) break;
        const label = cells[k];
        cells[k] = '';
        lines[at] = lineOf(cells);
        lines.splice(at, 0, label);
        break;
      }
      case 'split-label': {
        // the label cut in two, its tail on the next row's label cell
        const k = labels[labels.length - 1];
        const next = rows[rows.indexOf(at) + 1];
        if (k === undefined || next === undefined || cells[k].length < 6) break;
        // (the next row of the same table: one with a label cell of its own)
        const nc = cellsOf(lines[next]);
        const nk = nc.findIndex((c) => c.trim() && !isNumber(c));
        if (nk < 0) break;
        const cut = Math.floor(cells[k].length / 2);
        const tail = cells[k].slice(cut);
        cells[k] = cells[k].slice(0, cut);
        lines[at] = lineOf(cells);
        nc[nk] = tail + nc[nk];
        lines[next] = lineOf(nc);
        break;
      }
      case 'bare-row':
        // a row of numbers with no label at all
        for (const k of labels) cells[k] = '';
        lines[at] = lineOf(cells);
        break;
      case 'group-column':
        // the group's label column missing on this row (the others shift left)
        if (labels.length > 0 && cells.length > 2) {
          cells.splice(0, 1);
          lines[at] = lineOf(cells);
        }
        break;
    }
  }
  return lines.join('\n');
}
