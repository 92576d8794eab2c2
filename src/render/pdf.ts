/**
 * PDF output: the report laid out as a Chinese official document (A4 portrait,
 * GB/T 9704-style margins and type), with the three tables drawn cell for cell
 * from the grid model of ./layout.ts, in pdfmake (server side, no network, no
 * file access beyond the fonts read here).
 *
 * Type: title 二号 (22 pt) bold serif, headings 黑体 (Noto Sans CJK SC Bold,
 * 17.5 pt), body 三号 serif (Noto Serif CJK SC, 15.75 pt = 28 characters a
 * line, justified) with a two-character first-line indent, tables 9–10.5 pt
 * serif, page numbers "- 1 -" centred under the text. The fonts are embedded (subset CID fonts),
 * so the text stays selectable and searchable.
 *
 * Fonts come from fonts-noto-cjk (Debian: /usr/share/fonts/opentype/noto);
 * NIANBAO_FONT_DIR names another directory. They are read and parsed once per
 * process and shared by every document (./fonts.ts), and embedded as subsets
 * without subroutines (./fonts-cff.ts). Output is deterministic: the
 * document dates come from the report (publishedOn, else 1 January after the
 * report year), never from the clock.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { NianbaoError } from '../model/errors.js';
import type { Report } from '../model/report.js';
import { type FaceToken, faceToken } from './fonts.js';
import { bodyParts, expandGrid, type Grid, type GridCell, reportTitle, type Slot, signatureLines } from './layout.js';

export interface RenderPdfOptions {
  /** how a blank (null) value cell is printed: empty (default) or "0" */
  blankAs?: 'zero' | 'blank';
  /** the colour of the table rules, '#rrggbb' (default black) */
  ruleColour?: string;
}

// ---------------------------------------------------------------------------
// Page geometry (PDF points; 1 mm = 72 / 25.4 pt)

const MM = 72 / 25.4;
/** A4 */
export const PAGE = { width: 595.28, height: 841.89 } as const;
/** GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm → a 156 × 225 mm text area */
export const MARGINS = { left: 28 * MM, top: 37 * MM, right: 26 * MM, bottom: 35 * MM } as const;
export const TEXT_WIDTH = PAGE.width - MARGINS.left - MARGINS.right;

const SIZE = {
  title: 22,
  /**
   * a little larger than the body: a change of size is what tells any reader
   * (ours included) that a heading starts a new block, even at the top of a page
   * after a full line
   */
  heading: 17.5,
  body: 15.75,
  folio: 14,
  /** 表一 has four roomy columns; 表二 and 表三 are dense */
  table: { proactive: 10.5, applications: 9, reviewLitigation: 9 },
} as const;
/** line pitch of the body, about 22 lines on the 225 mm text area */
const BODY_LINE_HEIGHT = 1.25;
/** cell padding: 表一 is roomy, 表二 and 表三 are dense */
const CELL_PAD = {
  proactive: { x: 4, y: 2.5 },
  applications: { x: 1.5, y: 1.5 },
  reviewLitigation: { x: 1.5, y: 1.5 },
} as const;
/** line height factor in tables (Noto CJK lines are 1.437 em at 1.0) */
const TABLE_LINE_HEIGHT = 1.0;

// ---------------------------------------------------------------------------
// Fonts

interface FontFace {
  /** file name; .ttc collections also name the face */
  file: string;
  postscript?: string;
}

/** candidates for each face, tried in order inside each font directory */
const FACES = {
  serif: [{ file: 'NotoSerifCJK-Regular.ttc', postscript: 'NotoSerifCJKsc-Regular' }, { file: 'NotoSerifCJKsc-Regular.otf' }],
  serifBold: [{ file: 'NotoSerifCJK-Bold.ttc', postscript: 'NotoSerifCJKsc-Bold' }, { file: 'NotoSerifCJKsc-Bold.otf' }],
  sansBold: [{ file: 'NotoSansCJK-Bold.ttc', postscript: 'NotoSansCJKsc-Bold' }, { file: 'NotoSansCJKsc-Bold.otf' }],
} satisfies Record<string, FontFace[]>;

type FaceKey = keyof typeof FACES;

/** where distributions install fonts-noto-cjk (Debian/Ubuntu first) */
const DEFAULT_FONT_DIRS = [
  '/usr/share/fonts/opentype/noto',
  '/usr/share/fonts/noto-cjk',
  '/usr/share/fonts/google-noto-cjk',
  '/usr/share/fonts/opentype/noto-cjk',
  '/usr/local/share/fonts',
];

export class FontError extends NianbaoError {
  constructor(zh: string, en: string) {
    super('fonts-missing', zh, en);
    this.message = `${zh} ${en}`;
    this.name = 'FontError';
  }
}

interface LocatedFace {
  path: string;
  postscript?: string;
}

/** Finds the three faces. Throws FontError when the regular serif or the bold sans is missing. */
export function locateFonts(env: NodeJS.ProcessEnv = process.env): Record<FaceKey, LocatedFace> {
  const override = env.NIANBAO_FONT_DIR?.trim();
  const dirs = override ? [override] : DEFAULT_FONT_DIRS;
  const find = (key: FaceKey): LocatedFace | undefined => {
    for (const dir of dirs) {
      for (const f of FACES[key]) {
        const path = join(dir, f.file);
        if (existsSync(path)) return { path, postscript: 'postscript' in f ? f.postscript : undefined };
      }
    }
    return undefined;
  };
  const serif = find('serif');
  const sansBold = find('sansBold');
  if (!serif || !sansBold) {
    const where = override ? `NIANBAO_FONT_DIR=${override}` : DEFAULT_FONT_DIRS[0];
    const missing = [!serif && 'NotoSerifCJK-Regular.ttc', !sansBold && 'NotoSansCJK-Bold.ttc'].filter(Boolean).join(', ');
    throw new FontError(
      `缺少中文字体（${missing}，查找位置：${where}），无法生成 PDF。请安装 Noto CJK 字体：sudo apt-get install fonts-noto-cjk，或用环境变量 NIANBAO_FONT_DIR 指定字体所在目录。`,
      `Chinese fonts are missing (${missing}, looked in ${where}), so the PDF cannot be made. Install the Noto CJK fonts: sudo apt-get install fonts-noto-cjk, or set NIANBAO_FONT_DIR to the directory that holds them.`,
    );
  }
  // the bold serif is optional (some distributions split it out): fall back to the bold sans
  return { serif, serifBold: find('serifBold') ?? sansBold, sansBold };
}

// ---------------------------------------------------------------------------
// pdfmake, server side (CommonJS internals; typed here as far as we use them)

type Node = Record<string, unknown>;
type FontDescriptor = string | [string, string];
type FontDictionary = Record<string, { normal: FontDescriptor; bold: FontDescriptor }>;

interface VirtualFs {
  existsSync(name: unknown): boolean;
  readFileSync(name: string): Uint8Array;
}

interface PdfKitDocument {
  on(event: 'data', cb: (chunk: Buffer) => void): void;
  on(event: 'end', cb: () => void): void;
  on(event: 'error', cb: (e: Error) => void): void;
  end(): void;
}

interface PdfPrinter {
  createPdfKitDocument(doc: Node, options?: Node): Promise<PdfKitDocument>;
}

type PdfPrinterClass = new (
  fonts: FontDictionary,
  vfs: VirtualFs,
  urlResolver: { resolve(url: string): void; resolved(): Promise<unknown> },
  localAccessPolicy: (path: string) => boolean,
) => PdfPrinter;

let printerClass: PdfPrinterClass | undefined;

function Printer(): PdfPrinterClass {
  if (!printerClass) {
    const require = createRequire(import.meta.url);
    printerClass = (require('pdfmake/js/Printer') as { default: PdfPrinterClass }).default;
    setContentPatch(true);
  }
  return printerClass;
}

/**
 * pdfkit's content streams, written without a Buffer per operator.
 *
 * pdfmake draws every word as a text object of its own (for Chinese, every
 * character: save, cm, BT, Tm, Tf, TJ, ET, restore), and pdfkit's stream object
 * turns each of those operators into a Buffer (`Buffer.from(chunk + '\n',
 * 'binary')`), concatenated when the stream ends: about a fifth of a report's
 * time went into those small buffers and their garbage. Patched, consecutive
 * string chunks are kept as one string and handed to pdfkit's own write as one
 * Buffer when anything else comes or the stream ends: the same bytes, the same
 * lengths. The patch is applied only when pdfkit's write and finalize are the ones
 * it was written for (else pdfkit is left as it is, and a test fails so that an
 * upgrade is noticed).
 */
interface PdfReference {
  write(chunk: unknown): void;
  finalize(): void;
}

const PENDING = Symbol('nianbao pending content');
let referenceProto: (PdfReference & Record<string, unknown>) | null | undefined;
let originalContent: { write: PdfReference['write']; finalize: PdfReference['finalize'] } | undefined;

function pdfReferencePrototype(): (PdfReference & Record<string, unknown>) | null {
  if (referenceProto === undefined) {
    const require = createRequire(createRequire(import.meta.url).resolve('pdfmake/js/Printer'));
    const PDFDocument = require('pdfkit') as new (options: object) => { ref(): object };
    const proto = Object.getPrototypeOf(new PDFDocument({ autoFirstPage: false }).ref()) as PdfReference & Record<string, unknown>;
    const write = String(proto.write);
    const finalize = String(proto.finalize);
    const expected =
      write.includes("Buffer.from(chunk + '\\n', 'binary')") &&
      write.includes('this.buffer.push(chunk)') &&
      finalize.includes('Buffer.concat(this.buffer)');
    referenceProto = expected ? proto : null;
  }
  return referenceProto;
}

/** Turns the content-stream patch on or off; false when pdfkit is not the version it was written for. */
export function setContentPatch(on: boolean): boolean {
  const proto = pdfReferencePrototype();
  if (!proto) return false;
  if (!originalContent) originalContent = { write: proto.write, finalize: proto.finalize };
  const { write, finalize } = originalContent;
  if (!on) {
    proto.write = write;
    proto.finalize = finalize;
    return true;
  }
  const flush = (ref: PdfReference & Record<symbol, string | undefined>) => {
    const pending = ref[PENDING];
    if (pending !== undefined) {
      ref[PENDING] = undefined;
      write.call(ref, Buffer.from(pending, 'binary'));
    }
  };
  proto.write = function (this: PdfReference & Record<symbol, string | undefined>, chunk: unknown) {
    if (typeof chunk === 'string') {
      const pending = this[PENDING];
      this[PENDING] = pending === undefined ? `${chunk}\n` : `${pending}${chunk}\n`;
      return;
    }
    flush(this);
    write.call(this, chunk);
  };
  proto.finalize = function (this: PdfReference & Record<symbol, string | undefined>) {
    flush(this);
    finalize.call(this);
  };
  return true;
}

/** whether pdfkit's content streams are patched (see setContentPatch) */
export function contentPatched(): boolean {
  const proto = pdfReferencePrototype();
  return !!proto && !!originalContent && proto.write !== originalContent.write;
}

/** no URL is ever fetched: every resource is in the virtual file system */
const noUrls = { resolve() {}, resolved: () => Promise.resolve([]) };

/**
 * A pdfmake printer for one document. The fonts are parsed once per process
 * (./fonts.ts): the printer's virtual file system hands pdfkit a token for each
 * shared face instead of the font file's bytes.
 */
export function printer(): PdfPrinter {
  const faces = locateFonts();
  const files = new Map<string, FaceToken>();
  const descriptor = (key: FaceKey): FontDescriptor => {
    const face = faces[key];
    const name = face.postscript ? `${face.path}#${face.postscript}` : face.path;
    files.set(name, faceToken(face.path, face.postscript));
    return face.postscript ? [name, face.postscript] : name;
  };
  // fresh descriptors for every document: pdfmake replaces the file name by the bytes in place
  const fonts: FontDictionary = {
    Serif: { normal: descriptor('serif'), bold: descriptor('serifBold') },
    Hei: { normal: descriptor('sansBold'), bold: descriptor('sansBold') },
  };
  const vfs: VirtualFs = {
    existsSync: (name) => typeof name === 'string' && files.has(name),
    readFileSync: (name) => files.get(name)!,
  };
  return new (Printer())(fonts, vfs, noUrls, () => false);
}

// ---------------------------------------------------------------------------
// Document definition

/** the fixed document date: the publication date, else 1 January after the report year */
export function documentDate(report: Report): Date {
  if (report.publishedOn && /^\d{4}-\d{2}-\d{2}$/.test(report.publishedOn)) return new Date(`${report.publishedOn}T00:00:00Z`);
  if (report.year !== null) return new Date(Date.UTC(report.year + 1, 0, 1));
  return new Date(Date.UTC(2000, 0, 1));
}

function titleBlock(report: Report): Node {
  // agency on its own line, "YYYY年政府信息公开工作年度报告" below, when both fit
  const full = reportTitle(report);
  const agency = report.agency ?? '';
  const rest = full.slice(agency.length);
  const fits = (s: string) => Array.from(s).length * SIZE.title <= TEXT_WIDTH;
  const text = agency && fits(agency) && fits(rest) ? `${agency}\n${rest}` : full;
  return { text, style: 'title' };
}

// ---------------------------------------------------------------------------
// Tables. pdfmake wraps text itself, but every table label is wrapped here
// instead, so that the height of every row is known: merged cells are then
// centred vertically by a top margin (pdfmake 0.3 misplaces vertically centred
// cells that span rows: their text lands below the table), and a table is kept
// on one page with its heading when it fits.

/**
 * A blank value cell looks empty but holds this mark in white: a reader that
 * takes a row's values in order (ours does) needs a token in every cell to keep
 * the columns apart, and "/" is the published not-applicable mark, read as
 * blank (null).
 */
export const BLANK_MARK = '/';

/** height of a line of Noto Serif CJK at 1 pt, line height 1 (ascent 1.151 + descent 0.286 em) */
const LINE_EM = 1.437;
const RULE = 0.5;

/** advance of a character in em, a little generous (Noto Serif CJK: digits 0.47–0.56 em, CJK 1 em) */
function charEm(ch: string): number {
  if (ch >= '0' && ch <= '9') return 0.57;
  if (/[.,:;/|'!-]/.test(ch)) return 0.36;
  if (ch >= ' ' && ch <= '~') return 0.62;
  return 1;
}

/** advance of a text in em */
export function textEm(text: string): number {
  let em = 0;
  for (const ch of text) em += charEm(ch);
  return em;
}

/** characters that may not begin a line (closing brackets and punctuation) */
const NO_LINE_START = /^[，。、；：？！）】》」』”’,.;:?!)\]]/;

/**
 * Breaks a label into lines of at most `width` points at `size`, between any two
 * characters, never putting closing punctuation first on a line. `balanced`
 * evens out the line lengths (for centred header cells).
 */
export function wrapLabel(text: string, width: number, size: number, balanced = false): string[] {
  const fill = (cap: number): string[] => {
    const lines: string[][] = [[]];
    let used = 0;
    for (const ch of Array.from(text)) {
      const w = charEm(ch) * size;
      let line = lines[lines.length - 1];
      if (used + w > cap + 0.01 && line.length) {
        const next: string[] = [];
        // closing punctuation takes the last character of the line along
        if (NO_LINE_START.test(ch) && line.length > 1) next.push(line.pop()!);
        lines.push(next);
        line = next;
        used = textEm(next.join('')) * size;
      }
      line.push(ch);
      used += w;
    }
    return lines.map((l) => l.join(''));
  };
  const greedy = fill(width);
  if (!balanced || greedy.length < 2) return greedy;
  const even = fill(Math.ceil((textEm(text) * size) / greedy.length / size) * size);
  return even.length === greedy.length ? even : greedy;
}

interface LaidCell {
  slot: Slot;
  lines: string[];
  fontSize: number;
  /** height of the content, without padding */
  height: number;
  align: 'left' | 'center';
  /** a blank value cell: holds an invisible BLANK_MARK */
  blank?: boolean;
}

export interface LaidTable {
  grid: Grid;
  widths: number[];
  cells: LaidCell[];
  /** height of every row, padding included, rules excluded */
  rowHeights: number[];
  /** total height, rules included */
  height: number;
}

/** column content widths (pdfmake adds the padding and the rules), filling the text width */
export function columnWidths(grid: Grid): number[] {
  const n = grid.columns;
  const w = TEXT_WIDTH - n * 2 * CELL_PAD[grid.table].x - (n + 1) * RULE;
  if (grid.table === 'proactive') {
    const first = Math.round(w * 0.31);
    return [first, ...new Array(3).fill((w - first) / 3)];
  }
  if (grid.table === 'applications') {
    // 三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密 … | the 7 applicant columns (3 characters of 9 pt)
    const value = 29;
    const c1 = 3 * SIZE.table.applications;
    const c2 = 5 * SIZE.table.applications;
    return [c1, c2, w - value * 7 - c1 - c2, ...new Array(7).fill(value)];
  }
  return new Array(n).fill(w / n);
}

function isRowLabel(grid: Grid, cell: GridCell, col: number): boolean {
  const text = cell.text ?? '';
  if (grid.table === 'applications') return col < 3 && !text.startsWith('（本列');
  if (grid.table === 'proactive') return col === 0 && cell.colspan === 1 && text !== '信息内容';
  return false;
}

/** Lays a table out: lines of every cell, row heights. */
export function layTable(grid: Grid, blankAs: 'zero' | 'blank'): LaidTable {
  const slots = expandGrid(grid);
  const widths = columnWidths(grid);
  const size = SIZE.table[grid.table];
  const pad = CELL_PAD[grid.table];
  const cells: LaidCell[] = [];
  for (const [r, row] of slots.entries()) {
    for (const [c, slot] of row.entries()) {
      if (slot.row !== r || slot.col !== c) continue;
      const { cell } = slot;
      const inner = widths.slice(c, c + cell.colspan).reduce((a, b) => a + b, 0) + (cell.colspan - 1) * (2 * pad.x + RULE);
      if (cell.role === 'value') {
        // a value is one token on one line: a long number is set smaller rather than wrapped
        const blank = cell.text === null && blankAs === 'blank';
        const text = cell.text ?? (blank ? BLANK_MARK : '0');
        const em = textEm(text);
        const fontSize = em * size > inner ? Math.max(4, Math.floor((inner / em) * 10) / 10) : size;
        cells.push({ slot, lines: [text], fontSize, height: fontSize * LINE_EM * TABLE_LINE_HEIGHT, align: 'center', blank });
        continue;
      }
      const rowLabel = isRowLabel(grid, cell, c);
      const lines = wrapLabel(cell.text ?? '', inner, size, !rowLabel);
      cells.push({
        slot,
        lines,
        fontSize: size,
        height: lines.length * size * LINE_EM * TABLE_LINE_HEIGHT,
        align: rowLabel ? 'left' : 'center',
      });
    }
  }
  const padY = 2 * pad.y;
  const rowHeights = slots.map(() => 0);
  for (const c of cells) if (c.slot.cell.rowspan === 1) rowHeights[c.slot.row] = Math.max(rowHeights[c.slot.row], c.height + padY);
  // a merged cell taller than its rows grows the last of them (as pdfmake does)
  for (const c of cells) {
    const { row } = c.slot;
    const span = c.slot.cell.rowspan;
    if (span === 1) continue;
    const have = spanHeight(rowHeights, row, span);
    if (have < c.height + padY) rowHeights[row + span - 1] += c.height + padY - have;
  }
  const height = rowHeights.reduce((a, b) => a + b, 0) + (rowHeights.length + 1) * RULE;
  return { grid, widths, cells, rowHeights, height };
}

function spanHeight(rowHeights: number[], row: number, span: number): number {
  return rowHeights.slice(row, row + span).reduce((a, b) => a + b, 0) + (span - 1) * RULE;
}

function tableNode(t: LaidTable): Node {
  const body: Node[][] = t.rowHeights.map(() => new Array(t.grid.columns).fill(null).map(() => ({})));
  for (const c of t.cells) {
    const { cell, row, col } = c.slot;
    const node: Node = { text: c.lines.join('\n'), alignment: c.align };
    if (c.blank) node.color = '#ffffff';
    if (c.fontSize !== SIZE.table[t.grid.table]) node.fontSize = c.fontSize;
    if (cell.colspan > 1) node.colSpan = cell.colspan;
    if (cell.rowspan > 1) {
      node.rowSpan = cell.rowspan;
      const free = spanHeight(t.rowHeights, row, cell.rowspan) - 2 * CELL_PAD[t.grid.table].y - c.height;
      // centred by hand, rounded down so that the cell never grows its rows
      if (free > 1) node.margin = [0, Math.floor(free / 2), 0, 0];
    } else node.verticalAlignment = 'middle';
    body[row][col] = node;
  }
  return {
    table: { widths: t.widths, body, dontBreakRows: true },
    layout: t.grid.table,
    margin: [0, 0, 0, TABLE_MARGIN_BOTTOM],
    fontSize: SIZE.table[t.grid.table],
    lineHeight: TABLE_LINE_HEIGHT,
  };
}

/** pdfmake table layouts, one per table: 0.5 pt rules (black unless asked otherwise), the table's padding */
const tableLayouts = (colour: string) =>
  Object.fromEntries(
    Object.entries(CELL_PAD).map(([table, pad]) => [
      table,
      {
        hLineWidth: () => RULE,
        vLineWidth: () => RULE,
        hLineColor: () => colour,
        vLineColor: () => colour,
        paddingLeft: () => pad.x,
        paddingRight: () => pad.x,
        paddingTop: () => pad.y,
        paddingBottom: () => pad.y,
      },
    ]),
  );

const HEADING_MARGIN = { top: 8, bottom: 4 } as const;
const TABLE_MARGIN_BOTTOM = 8;
/** height of the text area */
const BODY_HEIGHT = PAGE.height - MARGINS.top - MARGINS.bottom;

/** the longest paragraph pdfmake is given in one piece (see pdfDefinition) */
export const PIECE = 5000;

/** a paragraph in pieces of at most PIECE characters, each ending after a sentence where one ends in time */
export function pieces(text: string): string[] {
  if (text.length <= PIECE) return [text];
  const out: string[] = [];
  let rest = text;
  while (rest.length > PIECE) {
    const window = rest.slice(0, PIECE);
    const end = Math.max(window.lastIndexOf('。'), window.lastIndexOf('；'), window.lastIndexOf('！'), window.lastIndexOf('？'));
    const cut = end >= PIECE / 2 ? end + 1 : PIECE;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) out.push(rest);
  return out;
}

/** The pdfmake document definition of a report. */
export function pdfDefinition(report: Report, opts: RenderPdfOptions = {}): Node {
  const blankAs = opts.blankAs ?? 'blank';
  const content: Node[] = [titleBlock(report)];
  const parts = bodyParts(report);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.kind === 'paragraph') {
      // pdfmake lays out a paragraph in time that grows with the square of its length (each line
      // copies the rest of the paragraph's pieces): a long one goes as consecutive nodes of at most
      // PIECE characters, cut after a sentence, the later ones without the first-line indent
      pieces(part.text).forEach((text, k) => {
        content.push({ text, style: k === 0 ? 'body' : 'bodyContinued' });
      });
    } else if (part.kind === 'table') content.push(tableNode(layTable(part.grid, blankAs)));
    else {
      const heading: Node = { text: part.text, style: 'heading' };
      const next = parts[i + 1];
      if (next?.kind !== 'table') {
        content.push(heading);
        continue;
      }
      // a table stays on one page with its heading (pdfmake drops an unbreakable block taller than a page: only when it fits)
      const table = layTable(next.grid, blankAs);
      const headingHeight = HEADING_MARGIN.top + HEADING_MARGIN.bottom + SIZE.heading * LINE_EM * BODY_LINE_HEIGHT;
      const fits = headingHeight + table.height + TABLE_MARGIN_BOTTOM < BODY_HEIGHT - 2;
      content.push({ stack: [heading, tableNode(table)], unbreakable: fits });
      i++;
    }
  }
  const sig = signatureLines(report);
  if (sig.length) {
    // GB/T 9704: the date four characters from the right edge, the agency centred over it
    // (flush right when a long agency name would not fit so)
    const widest = Math.max(...sig.map((s) => textEm(s) * SIZE.body));
    const indent = widest <= TEXT_WIDTH - 4 * SIZE.body ? 4 * SIZE.body : 0;
    content.push({
      columns: [
        { width: '*', text: '' },
        { width: 'auto', stack: sig.map((s) => ({ text: s })), alignment: 'center' },
        { width: indent, text: '' },
      ],
      style: 'signature',
      unbreakable: true,
    });
  }
  const date = documentDate(report);
  const title = reportTitle(report);
  return {
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: [MARGINS.left, MARGINS.top, MARGINS.right, MARGINS.bottom],
    info: {
      title,
      author: report.agency ?? undefined,
      subject: '政府信息公开工作年度报告',
      creator: 'nianbao',
      producer: 'nianbao (pdfmake)',
      creationDate: date,
      modDate: date,
    },
    language: 'zh-CN',
    content,
    footer: (page: number) => ({ text: `- ${page} -`, style: 'folio' }),
    defaultStyle: { font: 'Serif', fontSize: SIZE.body, lineHeight: BODY_LINE_HEIGHT },
    styles: {
      title: { font: 'Serif', bold: true, fontSize: SIZE.title, alignment: 'center', lineHeight: 1.3, margin: [0, 0, 0, SIZE.body] },
      heading: {
        font: 'Hei',
        fontSize: SIZE.heading,
        leadingIndent: 2 * SIZE.body,
        margin: [0, HEADING_MARGIN.top, 0, HEADING_MARGIN.bottom],
      },
      body: { leadingIndent: 2 * SIZE.body, alignment: 'justify' },
      bodyContinued: { alignment: 'justify' },
      signature: { margin: [0, 2 * SIZE.body, 0, 0] },
      // 7 mm under the text area
      folio: { fontSize: SIZE.folio, lineHeight: 1, alignment: 'center', margin: [0, 7 * MM, 0, 0] },
    },
  };
}

/**
 * Renders the report (already prepared by the caller: totals filled as wanted)
 * as a PDF. Throws {@link FontError} when the Noto CJK fonts are not installed.
 */
export async function renderPdf(report: Report, opts: RenderPdfOptions = {}): Promise<Uint8Array> {
  const doc = await printer().createPdfKitDocument(pdfDefinition(report, opts), {
    tableLayouts: tableLayouts(opts.ruleColour ?? '#000000'),
  });
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => {
      const b = Buffer.concat(chunks);
      resolve(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    });
    doc.on('error', reject);
    doc.end();
  });
}
