/**
 * Tables broken the way PDF-to-Markdown and PDF-to-text converters break them (issue 16), applied to
 * a Markdown rendering of a Report (`toMarkdown`): each kind is one converter habit, at positions
 * drawn from a seed, so that a test can assert what the reader makes of it.
 */
import type { Report } from '../../src/model/report.js';
import { mulberry32 } from '../../src/register/generate.js';
import { toMarkdown } from './variants.js';

export type MangleKind =
  | 'footer'
  | 'repeated-header'
  | 'label-out'
  | 'split-label'
  | 'bare-row'
  | 'group-column'
  | 'ocr-headers'
  | 'misread-label';
export const MANGLE_KINDS: readonly MangleKind[] = [
  'footer',
  'repeated-header',
  'label-out',
  'split-label',
  'bare-row',
  'group-column',
  'ocr-headers',
  'misread-label',
];

/** characters OCR and vision models take for others (沭阳 → 沐阳) */
const LOOKALIKES: Record<string, string> = {
  政: '攻',
  信: '言',
  息: '恩',
  公: '么',
  开: '升',
  申: '甲',
  请: '清',
  处: '外',
  理: '埋',
  予: '子',
  于: '干',
  其: '共',
  他: '也',
  法: '去',
  律: '津',
  机: '札',
  关: '美',
  秘: '泌',
  密: '蜜',
  属: '屈',
  正: '止',
  复: '夏',
  无: '天',
  提: '捉',
  供: '洪',
  结: '洁',
  转: '专',
  收: '牧',
  费: '贵',
  行: '彳',
};

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
  if (kind === 'ocr-headers') {
    // the column headers lost: every header row of every table (the rows above `| ---` and the
    // rows with no number before the first data row) replaced by 数据1 … 数据N
    let inHeader = false;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (!isRow(l) && !l.startsWith('| ---')) {
        inHeader = false;
        continue;
      }
      if (i === 0 || (!isRow(lines[i - 1]) && !lines[i - 1].startsWith('| ---'))) inHeader = true;
      if (isDataRow(l)) inHeader = false;
      if (inHeader && isRow(l) && rnd() < 0.9) lines[i] = lineOf(cellsOf(l).map((_, k) => `数据${k + 1}`));
    }
    return lines.join('\n');
  }
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
      case 'misread-label': {
        // one or two characters of the row's label read as look-alikes (or as 口 when none is known)
        const k = labels[labels.length - 1];
        if (k === undefined) break;
        const chars = [...cells[k]];
        const cjk = chars.map((c, i) => (/\p{Script=Han}/u.test(c) ? i : -1)).filter((i) => i >= 0);
        for (let m = 0; m < Math.min(2, cjk.length); m++) {
          const i = cjk[Math.floor(rnd() * cjk.length)];
          chars[i] = LOOKALIKES[chars[i]] ?? '口';
        }
        cells[k] = chars.join('');
        lines[at] = lineOf(cells);
        break;
      }
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
