/**
 * XLSX reader on top of exceljs.
 *
 * Safety: exceljs (through JSZip) inflates every member of the archive and has
 * no protection against ZIP bombs, so before handing the bytes over the
 * archive goes through src/read/zip.ts: size limits on the central directory,
 * then every member is inflated once in a streaming, counting pass (output
 * discarded) so that lying headers are caught. While worksheet XML (and the
 * shared strings) inflates it is parsed with saxes, chunk by chunk, and counted:
 * exceljs materialises every `<row>`, every `<c>`, every shared string and every
 * cell of a merged range, so a workbook with more than LIMITS.maxCells cells, rows,
 * shared strings or merged-cell area (all sheets together) is refused
 * ('too-large') as soon as the count passes the limit — before exceljs sees it and
 * without keeping the XML. A workbook with an XML part that declares a DTD
 * (`<!DOCTYPE`, `<!ENTITY`; Excel never writes one) is refused ('corrupt', with a
 * sentence of its own). Any other failure (exceljs, or a workbook exceljs reads
 * into an unexpected shape) is 'corrupt' with a plain sentence; the library's
 * message is kept in `cause` only.
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
import { SaxesParser } from 'saxes';
import type { Block, Cell, DocumentModel } from './document.js';
import { LIMITS, ReadError } from './errors.js';
import { checkOfficeInput, dtdGuard, dtdRefused, isXmlPart, openZip, type ZipArchive, type ZipEntry } from './zip.js';

type Worksheet = ExcelJS.Worksheet;
type CellValue = ExcelJS.CellValue;

interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** the library's own message (e.g. exceljs's TypeError) stays out of the sentences, in `cause` */
function notAWorkbook(file: string, cause: unknown): ReadError {
  const e = new ReadError(
    'corrupt',
    file,
    `文件 ${file} 不是有效的 Excel 工作簿，可能已损坏。`,
    `${file} is not a valid Excel workbook; it may be damaged.`,
  );
  e.cause = cause;
  return e;
}

type Counted = 'cells' | 'rows' | 'strings' | 'merged' | 'table';

const COUNTED: Record<Counted, [string, string]> = {
  cells: ['单元格', 'cells'],
  rows: ['行', 'rows'],
  strings: ['共享字符串', 'shared strings'],
  merged: ['合并单元格', 'merged cells'],
  table: ['表格单元格', 'table cells'],
};

/** `where` is a part name (xl/worksheets/sheet1.xml) or, for 'table', a sheet name */
function tooManyCells(file: string, what: Counted, where: string): ReadError {
  const [zh, en] = COUNTED[what];
  const [inZh, inEn] = what === 'table' ? [`工作表“${where}”`, `sheet "${where}"`] : [where, where];
  return new ReadError(
    'too-large',
    file,
    `文件 ${file} 中的${zh}超过 ${LIMITS.maxCells} 个（${inZh}），已停止读取。`,
    `${file} has more than ${LIMITS.maxCells} ${en} (${inEn}); reading stopped.`,
  );
}

const MERGE_REF = /^\s*\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?\s*$/;

/**
 * Members exceljs parses as worksheets: it matches `xl/worksheets/sheet<n>.xml`
 * anywhere in the name, so the pattern is not anchored either.
 */
const SHEET_PART = /xl\/worksheets\/[^/]*\.xml/i;
const SHARED_STRINGS_PART = /^\/?xl\/sharedStrings\.xml$/i;

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

/** what exceljs would materialise, counted over all sheets */
interface Counts {
  cells: number;
  rows: number;
  strings: number;
  mergedArea: number;
}

/** limits, member verification, the DTD check and the counting scan; throws ReadError */
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
  const counts: Counts = { cells: 0, rows: 0, strings: 0, mergedArea: 0 };
  for (const e of zip.entries) {
    if (e.name.endsWith('/') && e.size === 0) continue;
    if (SHEET_PART.test(e.name)) countPart(zip, e, file, 'sheet', counts);
    else if (SHARED_STRINGS_PART.test(e.name)) countPart(zip, e, file, 'strings', counts);
    else if (isXmlPart(e.name)) zip.scan(e, dtdGuard(file, 'xlsx'));
    else zip.verify(e);
  }
}

/**
 * Inflates one worksheet (or the shared strings) and parses it as it inflates,
 * counting cells, rows and merged area (or strings); throws 'too-large' the moment
 * a count passes LIMITS.maxCells, 'corrupt' at a DTD, 'corrupt' when the XML is not
 * well-formed (exceljs would fail on it too). Like exceljs, a part cut short at the
 * end is not an error here.
 */
function countPart(zip: ZipArchive, e: ZipEntry, file: string, kind: 'sheet' | 'strings', counts: Counts): void {
  const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  parser.on('error', (err) => {
    throw notAWorkbook(file, err);
  });
  parser.on('doctype', () => {
    throw dtdRefused(file, 'xlsx');
  });
  parser.on('opentag', (tag) => {
    const colon = tag.name.indexOf(':');
    const name = colon < 0 ? tag.name : tag.name.slice(colon + 1);
    if (kind === 'strings') {
      if (name === 'si' && ++counts.strings > LIMITS.maxCells) throw tooManyCells(file, 'strings', e.name);
      return;
    }
    if (name === 'c') {
      if (++counts.cells > LIMITS.maxCells) throw tooManyCells(file, 'cells', e.name);
    } else if (name === 'row') {
      if (++counts.rows > LIMITS.maxCells) throw tooManyCells(file, 'rows', e.name);
    } else if (name === 'mergeCell') {
      const m = MERGE_REF.exec(tag.attributes.ref ?? '');
      if (!m) return;
      const r1 = Number(m[2]);
      const c1 = colNumber(m[1]);
      const r2 = m[4] ? Number(m[4]) : r1;
      const c2 = m[3] ? colNumber(m[3]) : c1;
      counts.mergedArea += (Math.abs(r2 - r1) + 1) * (Math.abs(c2 - c1) + 1);
      if (counts.mergedArea > LIMITS.maxCells) throw tooManyCells(file, 'merged', e.name);
    }
  });
  const guard = dtdGuard(file, 'xlsx');
  const decoder = new TextDecoder('utf-8');
  zip.scan(e, (chunk) => {
    guard(chunk);
    parser.write(decoder.decode(chunk, { stream: true }));
  });
  parser.write(decoder.decode());
}

export async function readXlsx(bytes: Uint8Array, file: string): Promise<DocumentModel> {
  try {
    return await readWorkbook(bytes, file);
  } catch (e) {
    if (e instanceof ReadError) throw e;
    // exceljs failing, or reading a mutated workbook into a shape the code below does not expect
    throw notAWorkbook(file, e);
  }
}

async function readWorkbook(bytes: Uint8Array, file: string): Promise<DocumentModel> {
  checkOfficeInput(bytes, file, 'xlsx');
  checkArchive(bytes, file);

  const wb = new ExcelJS.Workbook();
  // exceljs's typings ask for a Buffer; a view over the same memory will do
  await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);

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
  // (no spreading into Math.min/max: a sheet may have more rows than a call may have arguments)
  let minRow = Number.POSITIVE_INFINITY;
  let maxRow = Number.NEGATIVE_INFINITY;
  for (const r of values.keys()) {
    if (r < minRow) minRow = r;
    if (r > maxRow) maxRow = r;
  }
  for (const m of merges) {
    if (m.top < minRow) minRow = m.top;
    if (m.bottom > maxRow) maxRow = m.bottom;
  }
  if (maxRow < minRow) return;

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
    if (budget.cells + area > LIMITS.maxCells) throw tooManyCells(file, 'table', sheet);
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
