/**
 * XLSX reader on top of exceljs.
 *
 * Safety: exceljs (through JSZip) inflates every member of the archive and has
 * no protection against ZIP bombs, so before handing the bytes over the
 * archive goes through src/read/zip.ts: size limits on the central directory,
 * then every member is inflated once in a streaming, counting pass (output
 * discarded) so that lying headers are caught. Worksheet XML is also scanned
 * for `<mergeCell>` ranges, because exceljs materialises every cell of a
 * merged range: a merged area beyond LIMITS.maxCells is refused ('too-large').
 *
 * Layout of the output
 * - Visible worksheets in workbook order; hidden sheets are skipped.
 *   `table` in provenance is the 1-based position of the sheet in the
 *   workbook (hidden sheets count), `sheet` its name, `address` the A1
 *   address, `row` the sheet row number and `cell` the sheet column number
 *   (A = 1).
 * - A sheet is cut into blocks at blank rows, so several tables laid out in
 *   one sheet (表一/表二/表三 one below the other) come out as separate table
 *   blocks, like in a Word document. All blocks of a sheet share its `table`
 *   number; the block's prov is its top-left cell, with `address` the range
 *   (e.g. 'A3:I30').
 * - A row holding a single long text cell (narrative pasted into the sheet:
 *   at least 100 characters, or at least 40 with sentence punctuation 。！？；)
 *   is emitted as a paragraph block. A run of rows that has at most one
 *   non-blank cell per row and no vertical merge (titles, headings, notes) is
 *   emitted as paragraphs too. Rows covered by one vertical merge are never
 *   separated.
 * - In a table block every row has one cell per sheet column of the block's
 *   column range, blank cells as ''; a merged range becomes its master cell
 *   with colspan/rowspan and the covered cells are not emitted.
 * - Cell text is the displayed value: rich text joined, hyperlinks by their
 *   text, formulas by their cached result (blank when there is none), booleans
 *   TRUE/FALSE, errors as '#DIV/0!' etc., dates as YYYY-MM-DD, numbers
 *   formatted with the number format's decimals, thousands separator and
 *   percent sign (literal text in the format, colours and padding are
 *   ignored; General shows up to 15 significant digits). Line breaks are '\n'.
 */
import ExcelJS from 'exceljs';
import type { Block, Cell, DocumentModel } from './document.js';
import { LIMITS, ReadError } from './errors.js';
import { checkOfficeInput, openZip } from './zip.js';

type Worksheet = ExcelJS.Worksheet;
type CellValue = ExcelJS.CellValue;

interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function corrupt(file: string, detail: string): ReadError {
  return new ReadError(
    'corrupt',
    file,
    `文件已损坏或不是有效的 .xlsx 工作簿：${detail}`,
    `The file is damaged or not a valid .xlsx workbook: ${detail}`,
  );
}

function tooManyCells(file: string, detail: string): ReadError {
  return new ReadError(
    'too-large',
    file,
    `工作簿中的单元格超过 ${LIMITS.maxCells} 个（${detail}），已停止读取。`,
    `The workbook has more than ${LIMITS.maxCells} cells (${detail}); reading stopped.`,
  );
}

const MERGE_REF = /<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*["']\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?["']/g;

function colNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function colLetters(n: number): string {
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** limits, member verification and the merged-area scan; throws ReadError */
function checkArchive(bytes: Uint8Array, file: string): void {
  const zip = openZip(bytes, file, 'xlsx');
  if (!zip.find('xl/workbook.xml')) {
    throw new ReadError(
      'corrupt',
      file,
      '文件中没有 Excel 工作簿（xl/workbook.xml），不是有效的 .xlsx 文件。',
      'The file has no Excel workbook part (xl/workbook.xml); it is not a valid .xlsx file.',
    );
  }
  let mergedArea = 0;
  for (const e of zip.entries) {
    if (e.name.endsWith('/') && e.size === 0) continue;
    if (/^\/?xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) {
      const xml = Buffer.from(zip.read(e)).toString('latin1');
      for (const m of xml.matchAll(MERGE_REF)) {
        const r1 = Number(m[2]);
        const c1 = colNumber(m[1]);
        const r2 = m[4] ? Number(m[4]) : r1;
        const c2 = m[3] ? colNumber(m[3]) : c1;
        mergedArea += (Math.abs(r2 - r1) + 1) * (Math.abs(c2 - c1) + 1);
        if (mergedArea > LIMITS.maxCells) throw tooManyCells(file, `merged ranges in ${e.name}`);
      }
    } else {
      zip.verify(e);
    }
  }
}

export async function readXlsx(bytes: Uint8Array, file: string): Promise<DocumentModel> {
  checkOfficeInput(bytes, file, 'xlsx');
  checkArchive(bytes, file);

  const wb = new ExcelJS.Workbook();
  try {
    // exceljs's typings ask for a Buffer; a view over the same memory will do
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw corrupt(file, (e as Error).message);
  }

  const blocks: Block[] = [];
  const budget = { cells: 0 };
  wb.worksheets.forEach((ws, i) => {
    if (ws.state && ws.state !== 'visible') return;
    readSheet(ws, i + 1, file, blocks, budget);
  });
  return { kind: 'xlsx', source: file, blocks };
}

// ---------------------------------------------------------------------------
// sheets

const NARRATIVE_PUNCT = /[。！？；]/;

function isNarrative(text: string): boolean {
  const t = text.trim();
  return t.length >= 100 || (t.length >= 40 && NARRATIVE_PUNCT.test(t));
}

function sheetMerges(ws: Worksheet): Merge[] {
  // exceljs keeps merges by master address; `ws.model.merges` would rebuild the whole sheet model
  const raw = (ws as unknown as { _merges?: Record<string, Merge> })._merges ?? {};
  return Object.values(raw).map((m) => ({ top: m.top, left: m.left, bottom: m.bottom, right: m.right }));
}

function readSheet(ws: Worksheet, sheetNo: number, file: string, blocks: Block[], budget: { cells: number }): void {
  const sheet = ws.name;
  /** non-blank texts: row → col → text (covered merge cells excluded) */
  const values = new Map<number, Map<number, string>>();
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      if (cell.type === ExcelJS.ValueType.Merge) return;
      const text = displayText(cell.value, cell.numFmt);
      if (text.trim() === '') return;
      let m = values.get(r);
      if (!m) {
        m = new Map();
        values.set(r, m);
      }
      m.set(c, text);
    });
  });
  const merges = sheetMerges(ws);
  /** master address → merge; covered cells */
  const masterOf = new Map<string, Merge>();
  const covered = new Set<string>();
  for (const m of merges) {
    masterOf.set(`${m.top},${m.left}`, m);
    for (let r = m.top; r <= m.bottom; r++)
      for (let c = m.left; c <= m.right; c++) if (r !== m.top || c !== m.left) covered.add(`${r},${c}`);
  }
  /** rows r where some vertical merge covers both r and r + 1 */
  const joinNext = new Set<number>();
  const inVMerge = new Set<number>();
  for (const m of merges) {
    if (m.bottom > m.top) {
      for (let r = m.top; r < m.bottom; r++) joinNext.add(r);
      for (let r = m.top; r <= m.bottom; r++) inVMerge.add(r);
    }
  }
  const rowNumbers = new Set<number>(values.keys());
  for (const m of merges) for (let r = m.top; r <= m.bottom; r++) rowNumbers.add(r);
  if (rowNumbers.size === 0) return;
  const minRow = Math.min(...rowNumbers);
  const maxRow = Math.max(...rowNumbers);

  let segment: number[] = [];
  const flush = () => {
    if (segment.length > 0) emitSegment(segment);
    segment = [];
  };
  const emitSegment = (rows: number[]) => {
    const tabular = rows.some((r) => (values.get(r)?.size ?? 0) > 1 || inVMerge.has(r));
    if (!tabular) {
      for (const r of rows) {
        const m = values.get(r);
        if (!m) continue;
        for (const [c, text] of m) blocks.push({ type: 'paragraph', text, prov: prov(r, c) });
      }
      return;
    }
    const first = rows[0];
    const last = rows[rows.length - 1];
    let minCol = Number.POSITIVE_INFINITY;
    let maxCol = 0;
    for (const r of rows) {
      for (const c of values.get(r)?.keys() ?? []) {
        minCol = Math.min(minCol, c);
        maxCol = Math.max(maxCol, c);
      }
    }
    for (const m of merges) {
      if (m.bottom >= first && m.top <= last) {
        minCol = Math.min(minCol, m.left);
        maxCol = Math.max(maxCol, m.right);
      }
    }
    const area = (last - first + 1) * (maxCol - minCol + 1);
    if (budget.cells + area > LIMITS.maxCells) throw tooManyCells(file, `sheet ${sheet}`);
    const out: Cell[][] = [];
    for (let r = first; r <= last; r++) {
      const row: Cell[] = [];
      const m = values.get(r);
      for (let c = minCol; c <= maxCol; c++) {
        if (covered.has(`${r},${c}`)) continue;
        const cell: Cell = { text: m?.get(c) ?? '', prov: prov(r, c) };
        const mg = masterOf.get(`${r},${c}`);
        if (mg) {
          // clip to the block (a merge reaching beyond it can only be horizontal-only beyond, or blank)
          const rs = Math.min(mg.bottom, last) - r + 1;
          const cs = Math.min(mg.right, maxCol) - c + 1;
          if (cs > 1) cell.colspan = cs;
          if (rs > 1) cell.rowspan = rs;
        }
        row.push(cell);
        budget.cells++;
      }
      out.push(row);
    }
    blocks.push({
      type: 'table',
      rows: out,
      prov: { ...prov(first, minCol), address: `${colLetters(minCol)}${first}:${colLetters(maxCol)}${last}` },
    });
  };
  const prov = (r: number, c: number) => ({
    kind: 'table' as const,
    table: sheetNo,
    row: r,
    cell: c,
    sheet,
    address: `${colLetters(c)}${r}`,
  });

  for (let r = minRow; r <= maxRow; r++) {
    const m = values.get(r);
    const locked = inVMerge.has(r);
    if (!locked && !m) {
      flush(); // blank row
      continue;
    }
    if (!locked && m && m.size === 1) {
      const [[c, text]] = [...m];
      if (isNarrative(text)) {
        flush();
        blocks.push({ type: 'paragraph', text, prov: prov(r, c) });
        continue;
      }
    }
    segment.push(r);
  }
  flush();
}

// ---------------------------------------------------------------------------
// displayed values

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function formatDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  // exceljs builds dates from serial numbers in UTC
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function displayText(value: CellValue, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\r\n?/g, '\n');
  if (typeof value === 'number') return formatNumber(value, numFmt);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return value.richText
        .map((r) => r.text ?? '')
        .join('')
        .replace(/\r\n?/g, '\n');
    }
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: CellValue }).result;
      return result === undefined ? '' : displayText(result, numFmt);
    }
    if ('hyperlink' in value) {
      const t = (value as { text?: CellValue }).text;
      return t === undefined ? '' : displayText(t, numFmt);
    }
    if ('error' in value) return String(value.error);
    if ('text' in value) return displayText((value as { text: CellValue }).text, numFmt);
  }
  return String(value);
}

/** General: integers as is, other numbers to 15 significant digits (no float noise) */
function general(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(15)));
}

/**
 * A number as a number format would show it: decimals, thousands separator,
 * percent, and the sign/parentheses of an explicit negative section. Quoted
 * literals, colours, conditions, padding and fill are dropped. Formats
 * without digit placeholders (General, '@', text-only) fall back to General.
 */
export function formatNumber(v: number, numFmt?: string): string {
  if (!numFmt || !Number.isFinite(v)) return general(v);
  const sections = splitSections(numFmt);
  let section = sections[0];
  let explicitNegative = false;
  if (v < 0 && sections.length > 1) {
    section = sections[1];
    explicitNegative = true;
  } else if (v === 0 && sections.length > 2) {
    section = sections[2];
  }
  const fmt = section
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/[_*]./g, '')
    .replace(/\\(.)/g, '$1');
  if (!/[0#?]/.test(fmt) || /^general$/i.test(fmt.trim())) return general(v);
  if (/[yYmMdDhHsS]/.test(fmt.replace(/[Ee][+-]/g, ''))) return general(v); // a date/time format on a plain number
  const percent = fmt.includes('%');
  const decimals = /\.([0#?]+)/.exec(fmt)?.[1].length ?? 0;
  const grouping = /[0#?],[0#?]/.test(fmt);
  const n = Math.abs(v) * (percent ? 100 : 1);
  let s = n < 1e21 ? n.toFixed(decimals) : general(n);
  if (grouping) {
    const [int, frac] = s.split('.');
    s = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac !== undefined ? `.${frac}` : '');
  }
  if (percent) s += '%';
  const isZero = !/[1-9]/.test(s);
  if (v < 0 && !isZero) {
    if (!explicitNegative) s = `-${s}`;
    else if (fmt.includes('(')) s = `(${s})`;
    else if (fmt.includes('-')) s = `-${s}`;
  }
  return s;
}

function splitSections(fmt: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch === '"') quoted = !quoted;
    if (ch === '\\' && !quoted && i + 1 < fmt.length) {
      cur += ch + fmt[++i];
      continue;
    }
    if (ch === ';' && !quoted) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}
