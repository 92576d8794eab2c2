/**
 * DOCX reader: word/document.xml is parsed with saxes (streaming SAX, no DOM)
 * into the DocumentModel.
 *
 * What is read
 * - Body-level `w:p` → paragraph block. Text is the concatenation of `w:t`,
 *   with `w:tab`/`w:ptab` → '\t', `w:br`/`w:cr` → '\n', `w:noBreakHyphen` → '-'.
 *   Tracked changes are read as if accepted: `w:ins`/`w:moveTo` are kept,
 *   `w:del`/`w:moveFrom` (with their `w:delText`) are dropped, a row marked as
 *   deleted (`w:trPr/w:del`) is dropped. Field codes (`w:instrText`) are skipped,
 *   field results kept. Content controls (`w:sdt`), smart tags, custom XML and
 *   hyperlinks are transparent. Of `mc:AlternateContent` only `mc:Choice` is
 *   read (`mc:Fallback` repeats the same text). Paragraphs of text boxes are
 *   appended to the paragraph that anchors them, on their own line. A paragraph
 *   that anchors many text boxes at absolute positions (`wp:anchor` with
 *   `wp:posOffset`: a PDF imported by LibreOffice, one box per line of text) is
 *   laid out instead: its boxes are read page by page in the order of their
 *   positions, a line of boxes side by side becoming a table row (boxes that
 *   touch joined into one cell) and a line of one box a paragraph. Blank
 *   paragraphs (whitespace only) are not emitted but are counted.
 * - Body-level `w:tbl` → table block, `w:tr` → row, `w:tc` → cell.
 *   `w:gridSpan` → colspan; a vertical merge (`w:vMerge`) is resolved by grid
 *   column (taking `w:gridBefore` and the spans of earlier cells into
 *   account): the restart cell gets the rowspan and continuation cells are not
 *   emitted (text found in a continuation cell, which Word would not show, is
 *   appended to the restart cell so nothing is lost). A continuation cell with
 *   nothing to continue is emitted as an ordinary cell. The legacy `w:hMerge`
 *   is folded into colspan the same way. A row whose cells are all
 *   continuations is kept as an empty row, so that rowspans count source rows.
 *   Cell text is its paragraphs joined with '\n', leading and trailing blank
 *   paragraphs dropped (a blank cell is ''). Nested tables are flattened into
 *   the cell text: cells separated by '\t', rows by '\n' (paragraphs inside a
 *   nested cell joined with ' ').
 *
 * Provenance
 * - table cell: {kind:'table', table, row, cell}: `table` numbers the
 *   body-level tables in document order; `row` is the index of the `w:tr`
 *   within its table and `cell` the index of the `w:tc` within its row, both
 *   1-based and counted in the source (so skipped continuation cells still
 *   count; deleted rows too).
 * - table block: {kind:'table', table, row: 1, cell: 1}.
 * - paragraph: {kind:'docx-paragraph', paragraph}: 1-based index among the
 *   body-level `w:p` elements (blank ones included).
 *
 * Not read: headers, footers, footnotes, comments, `w:altChunk` parts, text
 * in DrawingML charts/SmartArt.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Block, Cell, DocumentModel, Provenance } from './document.js';
import { localName, NumberingCounter, readNumbering, xmlEncoding } from './docx-numbering.js';
import { LIMITS, ReadError } from './errors.js';
import { checkOfficeInput, dtdGuard, dtdRefused, isDtdRefusal, isXmlPart, openZip, type ZipArchive } from './zip.js';

const W_NS = new Set([
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  'http://purl.oclc.org/ooxml/wordprocessingml/main', // Strict OOXML
]);
const MC_NS = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
const WP_NS = 'http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing';
const OFFICE_DOCUMENT_REL = /\/officeDocument$/;

/** elements whose whole subtree carries no body text (or text that must not be read) */
const SKIP = new Set([
  'del',
  'moveFrom',
  'delText',
  'instrText',
  'delInstrText',
  'pPr',
  'rPr',
  'tblPr',
  'tblPrEx',
  'tblGrid',
  'sectPr',
  'sdtPr',
  'sdtEndPr',
  'customXmlPr',
  'fldData',
  'pPrChange',
  'rPrChange',
  'tcPrChange',
  'trPrChange',
  'tblPrChange',
  'tblGridChange',
  'sectPrChange',
  'numberingChange',
]);

interface ParagraphFrame {
  type: 'p';
  parts: string[];
  /** a text-box paragraph was appended: the next text starts on a new line */
  needBreak: boolean;
  /** text boxes anchored at absolute positions, with where in `parts` each stands */
  boxes?: (Box & { at: number })[];
  /** its style, and its own numbering (w:pPr), for the label of Word's automatic numbering */
  styleId?: string;
  numId?: string;
  ilvl?: number;
}
/** a text box at an absolute position (EMU, relative to the anchoring paragraph's column and paragraph) */
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  text: string;
}
/** a `wp:anchor` being read */
interface AnchorFrame {
  /** the paragraph the drawing is in */
  owner: ParagraphFrame;
  x: number | null;
  y: number | null;
  width: number;
  height: number;
  axis: 'x' | 'y' | null;
  offset: string | null;
  texts: string[];
}
/** a paragraph anchoring at least this many positioned text boxes is laid out by position */
const LAYOUT_BOXES = 8;
interface CellFrame {
  type: 'tc';
  paras: string[];
  gridSpan: number;
  vMerge: 'restart' | 'continue' | null;
  hMerge: 'restart' | 'continue' | null;
}
interface RowFrame {
  type: 'tr';
  cells: CellFrame[];
  gridBefore: number;
  deleted: boolean;
}
interface TableFrame {
  type: 'tbl';
  rows: (RowFrame | null)[];
  /** 1-based number for body-level tables, 0 for nested ones */
  number: number;
}
type Frame = ParagraphFrame | CellFrame | RowFrame | TableFrame;

/** the parser's own message (English, technical, sometimes odd: "undefined entity") stays out of the sentences, in `cause` */
function corruptXml(file: string, cause?: unknown): ReadError {
  const e = new ReadError(
    'corrupt',
    file,
    `文件 ${file} 的 Word 正文（word/document.xml）不是有效的 XML，文件可能已损坏。`,
    `The document body (word/document.xml) of ${file} is not well-formed XML; the file may be damaged.`,
  );
  if (cause !== undefined) e.cause = cause;
  return e;
}

function tooManyCells(file: string): ReadError {
  return new ReadError(
    'too-large',
    file,
    `文档中的表格单元格超过 ${LIMITS.maxCells} 个，已停止读取。`,
    `The document has more than ${LIMITS.maxCells} table cells; reading stopped.`,
  );
}

export function readDocx(bytes: Uint8Array, file: string): DocumentModel {
  checkOfficeInput(bytes, file, 'docx');
  if (startsWith(bytes, '{\\rtf')) {
    throw new ReadError(
      'unsupported',
      file,
      '这是 RTF 文件，不是 .docx；请用 Word 或 WPS 打开后另存为 .docx 再试。',
      'This is an RTF file, not .docx; open it in Word or WPS, save it as .docx and try again.',
    );
  }
  const zip = openZip(bytes, file, 'docx');
  refuseDtds(zip, file);
  const main = findMainPart(zip);
  if (!main) {
    throw new ReadError(
      'corrupt',
      file,
      '文件中没有 Word 正文（word/document.xml），不是有效的 .docx 文件。',
      'The file has no Word document body (word/document.xml); it is not a valid .docx file.',
    );
  }
  const xml = zip.read(main);
  // Word's automatic numbering, drawn before numbered paragraphs (一、 of a heading), from the parts
  // beside the document
  const dir = main.name.includes('/') ? main.name.slice(0, main.name.lastIndexOf('/') + 1) : '';
  const part = (name: string): string | null => {
    const e = zip.find(`${dir}${name}`);
    if (!e) return null;
    try {
      const b = zip.read(e);
      return new TextDecoder(xmlEncoding(b)).decode(b);
    } catch {
      return null;
    }
  };
  const numbering = readNumbering(part('numbering.xml'), part('styles.xml'));
  return { kind: 'docx', source: file, blocks: parseDocumentXml(xml, file, numbering ? new NumberingCounter(numbering) : null) };
}

/**
 * Word never writes a DTD: a part that declares one (`<!DOCTYPE`, `<!ENTITY`) is an
 * entity-expansion ("billion laughs") or external-entity attempt, and the file is
 * refused ('corrupt', with a sentence of its own), whichever XML part it is in.
 * Parts the reader does not read are only looked at for this: damage in one of
 * them is not an error (as before).
 */
function refuseDtds(zip: ZipArchive, file: string): void {
  for (const e of zip.entries) {
    if (!isXmlPart(e.name) || (e.name.endsWith('/') && e.size === 0)) continue;
    try {
      zip.scan(e, dtdGuard(file, 'docx'));
    } catch (err) {
      if (isDtdRefusal(err)) throw err;
      // a damaged or lying part: the parts that are read are checked again when read
    }
  }
}

function startsWith(bytes: Uint8Array, ascii: string): boolean {
  if (bytes.length < ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (bytes[i] !== ascii.charCodeAt(i)) return false;
  return true;
}

/** word/document.xml, or whatever part _rels/.rels names as the office document */
function findMainPart(zip: ZipArchive) {
  const direct = zip.find('word/document.xml');
  if (direct) return direct;
  const rels = zip.find('_rels/.rels');
  if (!rels) return undefined;
  let target: string | undefined;
  try {
    const p = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
    p.on('opentag', (t) => {
      const a = t.attributes;
      if (!target && localName(t.name) === 'Relationship' && OFFICE_DOCUMENT_REL.test(a.Type ?? '') && a.Target) target = a.Target;
    });
    p.write(new TextDecoder().decode(zip.read(rels))).close();
  } catch {
    return undefined;
  }
  return target ? zip.find(target.replace(/^\.?\//, '')) : undefined;
}

function intAttr(v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) && n >= 0 ? n : dflt;
}

/** decode XML bytes in chunks (UTF-8, or UTF-16 with a BOM) and feed them to the parser */
function feed(parser: SaxesParser<{ xmlns: false; position: false }>, xml: Uint8Array): void {
  const decoder = new TextDecoder(xmlEncoding(xml), { fatal: true });
  const CHUNK = 1 << 20;
  for (let i = 0; i < xml.length; i += CHUNK) {
    parser.write(decoder.decode(xml.subarray(i, i + CHUNK), { stream: i + CHUNK < xml.length }));
  }
  if (xml.length === 0) parser.write('');
  parser.close();
}

export function parseDocumentXml(xml: Uint8Array, file: string, numbering: NumberingCounter | null = null): Block[] {
  const blocks: Block[] = [];
  const stack: Frame[] = [];
  let wPrefix = 'w:';
  let mcPrefix = 'mc:';
  let wpPrefix = 'wp:';
  const anchors: AnchorFrame[] = [];
  let rootSeen = false;
  let skip = 0;
  let inText = false;
  let inTrPr = false;
  let inTcPr = false;
  /** in a paragraph's properties (read for its numbering) */
  let inPPr = false;
  let paragraphNo = 0;
  let tableNo = 0;
  let cellCount = 0;

  const top = (): Frame | undefined => stack[stack.length - 1];
  const currentParagraph = (): ParagraphFrame | undefined => {
    const f = top();
    return f && f.type === 'p' ? f : undefined;
  };
  const appendText = (s: string) => {
    const p = currentParagraph();
    if (!p || s === '') return;
    if (p.needBreak) {
      p.parts.push('\n');
      p.needBreak = false;
    }
    p.parts.push(s);
  };
  /** text of a text box or nested table placed inside a paragraph: on its own line */
  const appendBlockToParagraph = (p: ParagraphFrame, s: string) => {
    if (s.trim() === '') return;
    const last = p.parts[p.parts.length - 1];
    if (last !== undefined && !last.endsWith('\n')) p.parts.push('\n');
    p.parts.push(s);
    p.needBreak = true;
  };

  /** `wp:` elements: a drawing anchored at a position (`wp:anchor`), its offsets and extent */
  const drawingOpen = (local: string, attrs: Record<string, string>) => {
    const a = anchors[anchors.length - 1];
    if (local === 'anchor') {
      const owner = currentParagraph();
      if (owner) anchors.push({ owner, x: null, y: null, width: 0, height: 0, axis: null, offset: null, texts: [] });
    } else if (!a) return;
    else if (local === 'positionH') a.axis = 'x';
    else if (local === 'positionV') a.axis = 'y';
    else if (local === 'posOffset' && a.axis) a.offset = '';
    else if (local === 'extent') {
      a.width = Number(attrs.cx) || 0;
      a.height = Number(attrs.cy) || 0;
    }
  };
  const drawingClose = (local: string) => {
    const a = anchors[anchors.length - 1];
    if (!a) return;
    if (local === 'posOffset' && a.axis && a.offset !== null) {
      const v = Number(a.offset.trim());
      if (Number.isFinite(v)) a[a.axis] = v;
      a.offset = null;
    } else if (local === 'positionH' || local === 'positionV') a.axis = null;
    else if (local === 'anchor') {
      anchors.pop();
      const text = a.texts.filter((t) => t.trim() !== '').join('\n');
      if (text === '') return;
      if (a.x === null || a.y === null) appendBlockToParagraph(a.owner, text);
      else {
        a.owner.boxes ??= [];
        a.owner.boxes.push({ x: a.x, y: a.y, width: a.width, height: a.height, text, at: a.owner.parts.length });
      }
    }
  };

  const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  parser.on('error', (e) => {
    throw corruptXml(file, e);
  });
  // saxes does not expand DTD entities, but a DTD has no business in a Word document
  parser.on('doctype', () => {
    throw dtdRefused(file, 'docx');
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (skip > 0) {
      skip++;
      return;
    }
    const attrs = tag.attributes;
    if (!rootSeen) {
      rootSeen = true;
      for (const [k, v] of Object.entries(attrs)) {
        if (k === 'xmlns' && W_NS.has(v)) wPrefix = '';
        else if (k.startsWith('xmlns:') && W_NS.has(v)) wPrefix = `${k.slice(6)}:`;
        else if (k.startsWith('xmlns:') && v === MC_NS) mcPrefix = `${k.slice(6)}:`;
        else if (k.startsWith('xmlns:') && v === WP_NS) wpPrefix = `${k.slice(6)}:`;
      }
    }
    const name = tag.name;
    if (name === `${mcPrefix}Fallback`) {
      skip = 1;
      return;
    }
    if (name.startsWith(wpPrefix)) {
      drawingOpen(name.slice(wpPrefix.length), attrs);
      return;
    }
    let w: string | null;
    if (wPrefix === '') w = name.includes(':') ? null : name;
    else w = name.startsWith(wPrefix) ? name.slice(wPrefix.length) : null;
    if (w === null) return; // other namespaces (drawing wrappers, mc:Choice, …) are transparent

    const val = attrs[`${wPrefix}val`];
    if (inTrPr) {
      const row = top();
      if (row?.type === 'tr') {
        if (w === 'gridBefore') row.gridBefore = intAttr(val, 0);
        else if (w === 'del') row.deleted = true;
      }
      if (w !== 'trPr') skip = tag.isSelfClosing ? 0 : 1;
      return;
    }
    if (inTcPr) {
      const cell = top();
      if (cell?.type === 'tc') {
        if (w === 'gridSpan') cell.gridSpan = Math.max(1, intAttr(val, 1));
        else if (w === 'vMerge') cell.vMerge = val === 'restart' ? 'restart' : 'continue';
        else if (w === 'hMerge') cell.hMerge = val === 'restart' ? 'restart' : 'continue';
      }
      // children of these (e.g. tracked property changes) are not read
      skip = tag.isSelfClosing ? 0 : 1;
      return;
    }
    if (inPPr) {
      // a paragraph's style and numbering; nothing else in its properties (an earlier numbering in
      // pPrChange, a run's properties) is read
      const p = currentParagraph();
      if (p && w === 'pStyle') p.styleId = val;
      else if (p && w === 'numId') p.numId = val;
      else if (p && w === 'ilvl') p.ilvl = intAttr(val, 0);
      else if (w !== 'numPr') skip = tag.isSelfClosing ? 0 : 1;
      return;
    }
    if (w === 'pPr' && numbering && currentParagraph()) {
      inPPr = !tag.isSelfClosing;
      return;
    }
    if (SKIP.has(w)) {
      skip = tag.isSelfClosing ? 0 : 1;
      return;
    }
    switch (w) {
      case 'p':
        stack.push({ type: 'p', parts: [], needBreak: false });
        break;
      case 't':
        inText = !tag.isSelfClosing;
        break;
      case 'tab':
      case 'ptab':
        appendText('\t');
        break;
      case 'br':
      case 'cr':
        appendText('\n');
        break;
      case 'noBreakHyphen':
        appendText('-');
        break;
      case 'tbl': {
        const parent = top();
        stack.push({ type: 'tbl', rows: [], number: parent ? 0 : ++tableNo });
        break;
      }
      case 'tr':
        if (top()?.type === 'tbl') stack.push({ type: 'tr', cells: [], gridBefore: 0, deleted: false });
        else skip = tag.isSelfClosing ? 0 : 1;
        break;
      case 'tc':
        if (top()?.type === 'tr') stack.push({ type: 'tc', paras: [], gridSpan: 1, vMerge: null, hMerge: null });
        else skip = tag.isSelfClosing ? 0 : 1;
        break;
      case 'trPr':
        inTrPr = !tag.isSelfClosing;
        break;
      case 'tcPr':
        inTcPr = !tag.isSelfClosing;
        break;
      default:
        break;
    }
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    if (skip > 0) {
      skip--;
      return;
    }
    const name = tag.name;
    if (name.startsWith(wpPrefix)) {
      drawingClose(name.slice(wpPrefix.length));
      return;
    }
    let w: string | null;
    if (wPrefix === '') w = name.includes(':') ? null : name;
    else w = name.startsWith(wPrefix) ? name.slice(wPrefix.length) : null;
    if (w === null) return;
    switch (w) {
      case 't':
        inText = false;
        break;
      case 'trPr':
        inTrPr = false;
        break;
      case 'tcPr':
        inTcPr = false;
        break;
      case 'pPr':
        inPPr = false;
        break;
      case 'p': {
        const p = top();
        if (p?.type !== 'p') break;
        stack.pop();
        // the label Word draws before a numbered paragraph (一、, （一）, 1.)
        if (numbering) {
          const n = numbering.resolve(p.numId, p.ilvl, p.styleId);
          const label = n ? numbering.next(n.numId, n.ilvl) : '';
          if (label !== '') {
            p.parts.unshift(label);
            if (p.boxes) for (const b of p.boxes) b.at++;
          }
        }
        const parent = top();
        const anchor = anchors[anchors.length - 1];
        if (anchor && parent === anchor.owner) {
          anchor.texts.push(p.parts.join(''));
          break;
        }
        if (p.boxes && p.boxes.length >= LAYOUT_BOXES && !parent) {
          paragraphNo++;
          const own = p.parts.join('');
          const prov = { kind: 'docx-paragraph' as const, paragraph: paragraphNo };
          if (own.trim() !== '') blocks.push({ type: 'paragraph', text: own, prov });
          blocks.push(...layoutBoxes(p.boxes, prov));
          break;
        }
        // a few positioned boxes: their text where they stand in the paragraph
        (p.boxes ?? []).forEach((b, k) => {
          const at = b.at + k;
          const before = p.parts.slice(0, at).join('');
          const open = before !== '' && !before.endsWith('\n') ? '\n' : '';
          const close = at < p.parts.length ? '\n' : '';
          p.parts.splice(at, 0, `${open}${b.text}${close}`);
        });
        const text = p.parts.join('');
        if (!parent) {
          paragraphNo++;
          if (text.trim() !== '') blocks.push({ type: 'paragraph', text, prov: { kind: 'docx-paragraph', paragraph: paragraphNo } });
        } else if (parent.type === 'tc') parent.paras.push(text);
        else if (parent.type === 'p') appendBlockToParagraph(parent, text);
        break;
      }
      case 'tc': {
        const c = top();
        if (c?.type !== 'tc') break;
        stack.pop();
        const row = top();
        if (row?.type === 'tr') row.cells.push(c);
        break;
      }
      case 'tr': {
        const r = top();
        if (r?.type !== 'tr') break;
        stack.pop();
        const t = top();
        // deleted rows keep their place (null) so that provenance row numbers stay source numbers
        if (t?.type === 'tbl') t.rows.push(r.deleted ? null : r);
        break;
      }
      case 'tbl': {
        const t = top();
        if (t?.type !== 'tbl') break;
        stack.pop();
        const parent = top();
        if (!parent) {
          const rows = buildRows(t);
          for (const r of rows) cellCount += r.length;
          if (cellCount > LIMITS.maxCells) throw tooManyCells(file);
          blocks.push({ type: 'table', rows, prov: { kind: 'table', table: t.number, row: 1, cell: 1 } });
        } else {
          const flat = flattenTable(t);
          const anchor = anchors[anchors.length - 1];
          if (anchor && parent === anchor.owner) anchor.texts.push(flat);
          else if (parent.type === 'tc') parent.paras.push(flat);
          else if (parent.type === 'p') appendBlockToParagraph(parent, flat);
        }
        break;
      }
      default:
        break;
    }
  });
  const onText = (s: string) => {
    if (skip > 0) return;
    if (inText) appendText(s);
    else {
      const a = anchors[anchors.length - 1];
      if (a && a.offset !== null) a.offset += s;
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  try {
    feed(parser, xml);
  } catch (e) {
    if (e instanceof ReadError) throw e;
    // TextDecoder (invalid UTF-8) or a parser failure
    throw corruptXml(file, e);
  }
  if (!rootSeen) throw corruptXml(file, new Error('no root element'));
  return blocks;
}

/** cell text: paragraphs joined with '\n', without leading/trailing blank paragraphs */
function cellText(paras: string[]): string {
  let a = 0;
  let b = paras.length;
  while (a < b && paras[a].trim() === '') a++;
  while (b > a && paras[b - 1].trim() === '') b--;
  return paras.slice(a, b).join('\n');
}

function buildRows(t: TableFrame): Cell[][] {
  const out: Cell[][] = [];
  /** open vertical merges by starting grid column */
  let open = new Map<number, Cell>();
  t.rows.forEach((r, ri) => {
    if (!r) return;
    const row: Cell[] = [];
    const next = new Map<number, Cell>();
    let col = r.gridBefore;
    let last: Cell | undefined;
    r.cells.forEach((c, ci) => {
      const span = c.gridSpan;
      const text = cellText(c.paras);
      if (c.hMerge === 'continue' && last) {
        last.colspan = (last.colspan ?? 1) + span;
        if (text) last.text = last.text ? `${last.text}\n${text}` : text;
        col += span;
        return;
      }
      if (c.vMerge === 'continue') {
        const master = open.get(col);
        if (master) {
          master.rowspan = (master.rowspan ?? 1) + 1;
          if (text) master.text = master.text ? `${master.text}\n${text}` : text;
          next.set(col, master);
          col += span;
          last = undefined;
          return;
        }
      }
      const cell: Cell = { text, prov: { kind: 'table', table: t.number, row: ri + 1, cell: ci + 1 } };
      if (span > 1) cell.colspan = span;
      if (c.vMerge) next.set(col, cell); // restart, or an orphan continuation that starts a merge
      row.push(cell);
      last = cell;
      col += span;
    });
    open = next;
    out.push(row);
  });
  return out;
}

function flattenTable(t: TableFrame): string {
  const lines: string[] = [];
  for (const r of t.rows) {
    if (!r) continue;
    const cells = r.cells.map((c) =>
      c.paras
        .map((p) => p.trim())
        .filter(Boolean)
        .join(' '),
    );
    if (cells.some(Boolean)) lines.push(cells.join('\t'));
  }
  return lines.join('\n');
}

/**
 * Text boxes at absolute positions (a PDF imported by LibreOffice: one box per run of text on a
 * line) → blocks in reading order. The boxes come page by page but in no order within a page: a
 * page ends where a box lies far above the lowest box of its page so far (its offsets start again
 * at the top). On a page, boxes whose middles are level make a line, read left to right; boxes that
 * touch (less than a line's height apart) are one run of text. A line of one run is a paragraph;
 * lines of several runs side by side are the rows of a table (consecutive ones one table).
 */
export function layoutBoxes(boxes: readonly Box[], prov: Provenance): Block[] {
  const blocks: Block[] = [];
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  const pages: Box[][] = [];
  let page: Box[] = [];
  let lowest = Number.NEGATIVE_INFINITY;
  for (const b of boxes) {
    if (page.length > 0 && b.y < lowest - 0.4 * bottom) {
      pages.push(page);
      page = [];
      lowest = Number.NEGATIVE_INFINITY;
    }
    page.push(b);
    lowest = Math.max(lowest, b.y);
  }
  pages.push(page);
  let table: TableBlockOf | null = null;
  for (const p of pages) {
    for (const line of linesOf(p)) {
      line.sort((a, b) => a.x - b.x);
      const runs: { text: string; end: number; height: number }[] = [];
      for (const b of line) {
        const last = runs[runs.length - 1];
        if (last && b.x - last.end < Math.max(b.height, last.height)) {
          last.text += b.x - last.end > Math.max(b.height, last.height) / 4 ? ` ${b.text}` : b.text;
          last.end = Math.max(last.end, b.x + b.width);
        } else runs.push({ text: b.text, end: b.x + b.width, height: b.height });
      }
      if (runs.length === 1) {
        table = null;
        blocks.push({ type: 'paragraph', text: runs[0].text, prov });
      } else {
        if (!table) {
          table = { type: 'table', rows: [], prov };
          blocks.push(table);
        }
        table.rows.push(runs.map((r) => ({ text: r.text, prov })));
      }
    }
  }
  return blocks;
}

type TableBlockOf = Extract<Block, { type: 'table' }>;

/**
 * The lines of a page of boxes. Boxes whose middles are level (within a sixth of their height)
 * make a line; then the lines with more boxes first, a line joins a line nearby (middles within
 * half the taller box's height) that has no box above or below its own: a row of a table whose
 * cells' texts are not level (a label of smaller type, a vertically centred cell) is one line, two
 * rows of values are not.
 */
function linesOf(page: readonly Box[]): Box[][] {
  const mid = (b: Box) => b.y + b.height / 2;
  const sorted = [...page].sort((a, b) => mid(a) - mid(b) || a.x - b.x);
  const tight: Box[][] = [];
  for (const b of sorted) {
    const line = tight[tight.length - 1];
    if (line && Math.abs(mid(b) - mid(line[0])) <= Math.min(b.height, line[0].height) / 6) line.push(b);
    else tight.push([b]);
  }
  const lineMid = (l: Box[]) => mid(l[0]);
  const tallest = (l: Box[]) => Math.max(...l.map((b) => b.height));
  const overlaps = (a: Box[], b: Box[]) => a.some((x) => b.some((y) => x.x < y.x + y.width && y.x < x.x + x.width));
  const out: Box[][] = [];
  for (const l of [...tight].sort((a, b) => b.length - a.length || lineMid(a) - lineMid(b))) {
    let best: Box[] | null = null;
    for (const r of out) {
      const d = Math.abs(lineMid(r) - lineMid(l));
      if (d <= Math.max(tallest(r), tallest(l)) / 2 && !overlaps(r, l) && (!best || d < Math.abs(lineMid(best) - lineMid(l)))) best = r;
    }
    if (best) best.push(...l);
    else out.push([...l]);
  }
  return out.sort((a, b) => lineMid(a) - lineMid(b));
}
