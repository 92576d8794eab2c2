/**
 * HTML reader. Reports are mostly saved web pages: site navigation, headers,
 * footers and scripts around an article. The reader
 *
 *  - emits the page <title> as the first paragraph (it often holds the report title);
 *  - restricts itself to the main article when a typical article container
 *    (`article`, `#zoom`, `.TRS_Editor`, `.content`, …) clearly holds the
 *    report, otherwise reads the whole body;
 *  - turns block-level text into paragraph blocks, one per line (`<br>` and
 *    block boundaries end a paragraph), skipping script/style/noscript/template,
 *    head content and hidden elements;
 *  - turns data tables into table blocks with merged cells kept as written
 *    (colspan/rowspan copied, never expanded); a layout table that contains
 *    other tables is not a data table: its cells are read as block containers,
 *    so the nested data tables become table blocks of their own.
 *
 * Provenance: paragraphs carry the line/column of their first visible
 * character, cells the line/column of the cell start tag (1-based, UTF-16 code
 * units), from the source locations parse5 records (`sourceCodeLocationInfo`).
 * parse5 locates a text node as a whole; its first visible character is found
 * by reading the source from the node's start.
 */
import { type DefaultTreeAdapterTypes, parse, parseFragment } from 'parse5';
import { isWs } from '../util/chars.js';
import type { Block, Cell, DocumentModel, TableBlock } from './document.js';
import { LIMITS, ReadError } from './errors.js';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;
type TextNode = DefaultTreeAdapterTypes.TextNode;

/** elements whose content is never report text */
const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'title',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'select',
  'textarea',
  'canvas',
  'audio',
  'video',
]);

/** elements that start and end a paragraph */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

/** ids and class names of typical article containers on government sites (compared in lower case) */
const ARTICLE_IDS = new Set(['zoom', 'content', 'ucap-content', 'fontzoom', 'zoomcon', 'zwnr', 'article', 'maincontent', 'main-content']);
const ARTICLE_CLASSES = new Set([
  'article',
  'trs_editor',
  'trs_ueditor',
  'trs_editor_view',
  'content',
  'zwnr',
  'pages_content',
  'article-content',
  'article_content',
  'main-content',
]);

const ARTICLE_ID_RE = new RegExp(`^\\s*(?:${[...ARTICLE_IDS].join('|')})\\s*$`, 'i');
const ARTICLE_CLASS_RE = new RegExp(`(?:^|\\s)(?:${[...ARTICLE_CLASSES].join('|')})(?![^\\s])`, 'i');

/** strings whose presence shows that a container holds the report (whitespace removed) */
const MARKERS = [
  '主动公开政府信息情况',
  '总体情况',
  '收到和处理政府信息公开申请情况',
  '行政复议',
  '行政诉讼',
  '存在的主要问题',
  '其他需要报告的事项',
  '信息内容',
  '自然人',
  '本年度办理结果',
];
const KEY_MARKER = '主动公开政府信息情况';
const TABLE_MARKER = '自然人';

/** nested tables deeper than this are read as plain blocks (keeps recursion bounded) */
const MAX_TABLE_NESTING = 64;

function isElement(n: Node): n is Element {
  return 'tagName' in n;
}

function isText(n: Node): n is TextNode {
  return n.nodeName === '#text';
}

function childrenOf(n: Node): Node[] {
  return 'childNodes' in n ? (n.childNodes as Node[]) : [];
}

const HIDING_STYLE_RE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i;

function isHidden(el: Element): boolean {
  let style: string | undefined;
  for (const a of el.attrs) {
    if (a.name === 'hidden') return true;
    if (a.name === 'style' && style === undefined) style = a.value;
  }
  return style !== undefined && HIDING_STYLE_RE.test(style);
}

/** offset → 1-based line/column */
class Locator {
  private readonly starts: number[] = [0];
  constructor(src: string) {
    for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  /** the line found last: lookups mostly move forward a little */
  private hint = 0;
  at(offset: number): { line: number; column: number } {
    const starts = this.starts;
    let h = this.hint;
    if (starts[h] <= offset) {
      for (let k = 0; k < 4 && h + 1 < starts.length && starts[h + 1] <= offset; k++) h++;
      if (h + 1 === starts.length || starts[h + 1] > offset) {
        this.hint = h;
        return { line: h + 1, column: offset - starts[h] + 1 };
      }
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.hint = lo;
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  }
}

/** skipped before the first visible character of a paragraph */
function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0xa0 || c === 0x3000;
}

/** a character reference to a blank (see isBlank): &nbsp;, &#12288;, … */
const BLANK_REF_RE =
  /&(?:nbsp;?|NonBreakingSpace;|Tab;|NewLine;|#0*(?:9|10|12|13|32|160|12288)(?![0-9]);?|#[xX]0*(?:9|[aAcCdD]|20|[aA]0|3000)(?![0-9a-fA-F]);?)/y;
/** an end tag (or `</>`): inside a run of text, one the parser dropped */
const END_TAG_RE = /<\/[^>]*>?/y;

/**
 * Source offset of the first visible character of `text`, which starts at
 * `from` in the source and ends by `end`: past blanks, references to blanks
 * and end tags the parser dropped (a stray `</font>`); -1 when there is none.
 */
function visibleOffset(src: string, from: number, end: number, text: string): number {
  let j = 0;
  while (j < text.length && isBlank(text.charCodeAt(j))) j++;
  const textLt = text.charCodeAt(j) === 0x3c; // a visible '<' is text (in <title>, say), not a tag
  let i = from;
  while (i < end) {
    const c = src.charCodeAt(i);
    if (isBlank(c)) {
      i++;
      continue;
    }
    const re = c === 0x26 ? BLANK_REF_RE : c === 0x3c && !textLt ? END_TAG_RE : null;
    if (re !== null) {
      re.lastIndex = i;
      if (re.test(src)) {
        i = re.lastIndex;
        continue;
      }
    }
    break;
  }
  return i < end ? i : -1;
}

const VISIBLE_RE = /[^ \t\n\r\f\u00a0\u3000]/;

/**
 * Collapse inline whitespace like a browser: runs become one space, except a
 * source line break between two CJK characters, which disappears (CSS Text 3
 * segment-break rule for Chinese).
 */
export function collapseWhitespace(raw: string): string {
  const n = raw.length;
  let out = '';
  let from = 0;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (!isCollapsible(c)) continue;
    let j = i + 1;
    let lineBreak = c === 0x0a;
    let nbsp = c === 0xa0;
    for (; j < n; j++) {
      const d = raw.charCodeAt(j);
      if (!isCollapsible(d)) break;
      if (d === 0x0a) lineBreak = true;
      else if (d === 0xa0) nbsp = true;
    }
    out += raw.slice(from, i);
    if (!(lineBreak && !nbsp && i > 0 && j < n && isCjk(raw.charCodeAt(i - 1)) && isCjk(raw.charCodeAt(j)))) out += ' ';
    from = j;
    i = j;
  }
  if (from === 0) return raw.trim();
  return (out + raw.slice(from)).trim();
}

/** collapsed by collapseWhitespace: space, tab, line feed, carriage return, form feed, no-break space */
function isCollapsible(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x0c || c === 0xa0;
}

function isCjk(c: number): boolean {
  return (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xffef);
}

interface Ctx {
  file: string;
  src: string;
  loc: Locator;
  lineOffset: number;
  blocks: Block[];
  /** tables emitted so far (document-wide, including tables read before this HTML) */
  tableCount: number;
  cellCount: number;
  tableNesting: number;
  /** elements that have a <table> among their descendants */
  containsTable: Set<Element>;
  /** hidden elements (see Survey.hidden) */
  hidden: Set<Element>;
}

/**
 * Position of the first visible character of `text`: the text of `node`, or the
 * part of it that starts at source offset `from` (a line of <pre> text); null
 * when the node has no source location.
 */
function textStart(ctx: Ctx, node: TextNode, text: string, from: number): { line: number; column: number } | null {
  const l = node.sourceCodeLocation;
  if (!l) return null;
  const off = visibleOffset(ctx.src, from < 0 ? l.startOffset : from, l.endOffset, text);
  return ctx.loc.at(off < 0 ? l.startOffset : off);
}

/** line/column of a node (an element's start tag, a text node's start), or of its nearest located ancestor */
function elementPos(ctx: Ctx, el: Node): { line: number; column: number } {
  let n: Node | null = el;
  while (n) {
    const l = (n as { sourceCodeLocation?: { startOffset: number } | null }).sourceCodeLocation;
    if (l) return ctx.loc.at(l.startOffset);
    n = 'parentNode' in n ? (n.parentNode as Node | null) : null;
  }
  return { line: 1, column: 1 };
}

/** Accumulates inline text; each completed line goes to `emit`. */
class LineCollector {
  private parts: string[] = [];
  private pos: { line: number; column: number } | null = null;
  /** the first text node of the line and its context: the position of last resort */
  private first: TextNode | null = null;
  private ctx: Ctx | null = null;
  constructor(private readonly emit: (text: string, pos: { line: number; column: number }) => void) {}

  /** `value` is the text of `node`, or the part of it at source offset `from` (-1: the whole) */
  add(ctx: Ctx, node: TextNode, value: string, from = -1): void {
    this.parts.push(value);
    if (this.pos === null && VISIBLE_RE.test(value)) {
      this.pos = textStart(ctx, node, value, from) ?? elementPos(ctx, node);
    }
    if (this.first === null) {
      this.first = node;
      this.ctx = ctx;
    }
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const text = collapseWhitespace(this.parts.length === 1 ? this.parts[0] : this.parts.join(''));
    const pos = this.pos ?? (this.first && this.ctx ? elementPos(this.ctx, this.first) : { line: 1, column: 1 });
    this.parts = [];
    this.pos = null;
    this.first = null;
    this.ctx = null;
    if (text !== '') this.emit(text, pos);
  }
}

interface Sink {
  /** whether <table> elements are handled as tables (false inside a data cell) */
  tables: boolean;
  text(ctx: Ctx, node: TextNode, pre: boolean): void;
  lineBreak(): void;
  boundary(): void;
}

function collectorSink(collector: LineCollector, tables: boolean): Sink {
  return {
    tables,
    text(ctx, node, pre) {
      if (!pre) {
        collector.add(ctx, node, node.value);
        return;
      }
      // inside <pre> source line breaks are line breaks
      const l = node.sourceCodeLocation;
      let from = l ? l.startOffset : -1;
      // the line break just after <pre> is no text, but its location may include it
      const tag = (node.parentNode as Element | null)?.sourceCodeLocation?.startTag;
      if (tag?.endOffset === from && ctx.src.charCodeAt(from) === 0x0a) from++;
      node.value.split('\n').forEach((piece, i) => {
        if (i > 0) {
          collector.flush();
          if (l) {
            const nl = ctx.src.indexOf('\n', from);
            from = nl === -1 || nl >= l.endOffset ? l.endOffset : nl + 1;
          }
        }
        collector.add(ctx, node, piece, from);
      });
    },
    lineBreak: () => collector.flush(),
    boundary: () => collector.flush(),
  };
}

function paragraphSink(ctx: Ctx): Sink {
  return collectorSink(
    new LineCollector((text, pos) => {
      ctx.blocks.push({ type: 'paragraph', text, prov: { kind: 'text', line: pos.line + ctx.lineOffset, column: pos.column } });
    }),
    true,
  );
}

/** Iterative walk of the children of `root` (or of `root` itself with `self`), in document order. */
function walk(ctx: Ctx, root: Node, sink: Sink, self = false): void {
  // a node pushed with `exit` set is a block element whose children are done
  const nodes: Node[] = [];
  const exits: boolean[] = [];
  if (self) {
    nodes.push(root);
    exits.push(false);
  } else {
    const kids = childrenOf(root);
    for (let i = kids.length - 1; i >= 0; i--) {
      nodes.push(kids[i]);
      exits.push(false);
    }
  }
  let pre = 0;
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    if (exits.pop()) {
      if ((node as Element).tagName === 'pre') pre--;
      sink.boundary();
      continue;
    }
    const tag = node.nodeName;
    if (tag === '#text') {
      sink.text(ctx, node as TextNode, pre > 0);
      continue;
    }
    if (tag.charCodeAt(0) === 0x23) continue; // comment, doctype
    const el = node as Element;
    if (SKIP.has(tag) || ctx.hidden.has(el)) continue;
    if (tag === 'br') {
      sink.lineBreak();
      continue;
    }
    if (tag === 'table' && sink.tables && ctx.tableNesting < MAX_TABLE_NESTING) {
      sink.boundary();
      readTable(ctx, el);
      continue;
    }
    if (BLOCK.has(tag)) {
      sink.boundary();
      if (tag === 'pre') pre++;
      nodes.push(el);
      exits.push(true);
    }
    const kids = el.childNodes;
    for (let i = kids.length - 1; i >= 0; i--) {
      nodes.push(kids[i]);
      exits.push(false);
    }
  }
  sink.boundary();
}

function ownRows(table: Element): Element[] {
  const rows: Element[] = [];
  for (const c of childrenOf(table)) {
    if (!isElement(c)) continue;
    if (c.tagName === 'tr') rows.push(c);
    else if (c.tagName === 'thead' || c.tagName === 'tbody' || c.tagName === 'tfoot') {
      for (const r of childrenOf(c)) if (isElement(r) && r.tagName === 'tr') rows.push(r);
    }
  }
  return rows;
}

function ownCells(tr: Element): Element[] {
  const cells: Element[] = [];
  for (const c of childrenOf(tr)) if (isElement(c) && (c.tagName === 'td' || c.tagName === 'th')) cells.push(c);
  return cells;
}

function parseSpan(v: string | undefined): number | null {
  if (v === undefined) return null;
  const m = /^\s*(\d{1,9})/.exec(v);
  return m ? Number(m[1]) : null;
}

/** the text of a data cell: block children and <br> separate lines, inline whitespace collapsed, blank lines dropped */
function cellText(ctx: Ctx, cell: Element): string {
  // common case: text and plain <br> only
  const kids = cell.childNodes;
  let simple = true;
  for (const k of kids) {
    if (isText(k)) continue;
    if (isElement(k) && k.tagName === 'br' && k.attrs.length === 0) continue;
    simple = false;
    break;
  }
  if (simple) {
    let text = '';
    let out = '';
    for (const k of kids) {
      if (isText(k)) text += k.value;
      else {
        const line = collapseWhitespace(text);
        if (line !== '') out = out === '' ? line : `${out}\n${line}`;
        text = '';
      }
    }
    const line = collapseWhitespace(text);
    if (line !== '') out = out === '' ? line : `${out}\n${line}`;
    return out;
  }
  const lines: string[] = [];
  const sink = collectorSink(new LineCollector((text) => lines.push(text)), false);
  walk(ctx, cell, sink);
  return lines.join('\n');
}

function tooManyCells(file: string): ReadError {
  return new ReadError(
    'too-large',
    file,
    `文件“${file}”中的表格单元格超过 ${LIMITS.maxCells} 个，无法读取。`,
    `"${file}" has more than ${LIMITS.maxCells} table cells.`,
  );
}

function readTable(ctx: Ctx, table: Element): void {
  ctx.tableNesting++;
  try {
    const rows = ownRows(table);
    for (const c of childrenOf(table)) {
      if (isElement(c) && c.tagName === 'caption') walk(ctx, c, paragraphSink(ctx), true);
    }
    const cells = rows.map(ownCells);
    const layout = cells.some((row) => row.some((td) => ctx.containsTable.has(td)));
    if (layout) {
      // a layout table around the data tables: read each cell as a block container
      for (const row of cells) for (const td of row) walk(ctx, td, paragraphSink(ctx), true);
      return;
    }
    const index = ctx.tableCount + 1;
    const out: Cell[][] = [];
    let count = 0;
    for (let r = 0; r < cells.length; r++) {
      const row = cells[r];
      const cellsOut: Cell[] = [];
      for (let c = 0; c < row.length; c++) {
        const td = row[c];
        const pos = elementPos(ctx, td);
        const cell: Cell = {
          text: cellText(ctx, td),
          prov: { kind: 'table', table: index, row: r + 1, cell: c + 1, line: pos.line + ctx.lineOffset, column: pos.column },
        };
        let colspanAttr: string | undefined;
        let rowspanAttr: string | undefined;
        for (const a of td.attrs) {
          if (a.name === 'colspan') colspanAttr ??= a.value;
          else if (a.name === 'rowspan') rowspanAttr ??= a.value;
        }
        const colspan = parseSpan(colspanAttr);
        if (colspan !== null && colspan > 1) cell.colspan = Math.min(colspan, 1000);
        let rowspan = parseSpan(rowspanAttr);
        if (rowspan === 0) rowspan = rows.length - r; // rowspan="0": to the end of the table
        if (rowspan !== null && rowspan > 1) cell.rowspan = Math.min(rowspan, 65534);
        cellsOut.push(cell);
      }
      count += cellsOut.length;
      out.push(cellsOut);
    }
    if (count === 0) return;
    ctx.cellCount += count;
    if (ctx.cellCount > LIMITS.maxCells) throw tooManyCells(ctx.file);
    ctx.tableCount = index;
    const pos = elementPos(ctx, table);
    const block: TableBlock = { type: 'table', rows: out, prov: { kind: 'text', line: pos.line + ctx.lineOffset, column: pos.column } };
    ctx.blocks.push(block);
  } finally {
    ctx.tableNesting--;
  }
}

/** Mark every element that has a table among its descendants. */
function markTableAncestors(tables: Element[]): Set<Element> {
  const marked = new Set<Element>();
  for (const t of tables) {
    let p = t.parentNode as Node | null;
    while (p && isElement(p) && !marked.has(p)) {
      marked.add(p);
      p = p.parentNode as Node | null;
    }
  }
  return marked;
}

interface Survey {
  title: Element | null;
  body: Element | null;
  tables: Element[];
  /** hidden elements reached by the survey (walks reach no other elements) */
  hidden: Set<Element>;
  candidates: { el: Element; start: number; end: number }[];
  /** visible text without whitespace */
  flat: string;
  /** [start, end) pairs of flat offsets of the text inside (outermost) tables */
  tableRanges: number[];
}

function isCandidate(el: Element): boolean {
  if (el.tagName === 'article' || el.tagName === 'main') return true;
  let id: string | undefined;
  let cls: string | undefined;
  for (const a of el.attrs) {
    if (a.name === 'id') id ??= a.value;
    else if (a.name === 'class') cls ??= a.value;
  }
  return (id !== undefined && ARTICLE_ID_RE.test(id)) || (cls !== undefined && ARTICLE_CLASS_RE.test(cls));
}

const SPACES_RE = /\s+/g;

/** `v` without whitespace (\s) */
function stripSpaces(v: string): string {
  const n = v.length;
  let i = 0;
  while (i < n && isWs(v.charCodeAt(i))) i++;
  if (i === n) return '';
  let j = i + 1;
  while (j < n && !isWs(v.charCodeAt(j))) j++;
  if (j === n) return i === 0 ? v : v.slice(i);
  return v.replace(SPACES_RE, '');
}

/** node stack flags of the survey */
const EXIT = 1;
const SKIPPED = 2;
const CANDIDATE = 4;

/** One pass over the document: title, body, tables, article candidates with their text ranges. */
function survey(root: Node): Survey {
  let title: Element | null = null;
  let body: Element | null = null;
  const tables: Element[] = [];
  const hidden = new Set<Element>();
  const candidates: Survey['candidates'] = [];
  /** flat offsets where the open candidates start */
  const starts: number[] = [];
  const chunks: string[] = [];
  const tableRanges: number[] = [];
  let flatLen = 0;
  let tableDepth = 0;
  // SKIPPED: inside content that is never read (head, script, hidden…); the <title> is still found there
  const nodes: Node[] = [root];
  const flags: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const flag = flags.pop()!;
    const name = node.nodeName;
    if (flag & EXIT) {
      if (name === 'table' && --tableDepth === 0) tableRanges.push(flatLen);
      if (flag & CANDIDATE) candidates.push({ el: node as Element, start: starts.pop()!, end: flatLen });
      continue;
    }
    const skipped = (flag & SKIPPED) !== 0;
    if (name === '#text') {
      if (skipped) continue;
      const t = stripSpaces((node as TextNode).value);
      if (t) {
        chunks.push(t);
        flatLen += t.length;
      }
      continue;
    }
    let skipKids = skipped;
    if (name.charCodeAt(0) !== 0x23) {
      // an element (other node names start with '#')
      const el = node as Element;
      const tag = el.tagName;
      if (tag === 'title' && title === null && el.namespaceURI === 'http://www.w3.org/1999/xhtml') title = el;
      if (tag === 'body' && body === null) body = el;
      if (!skipped) {
        const isSkip = SKIP.has(tag);
        const isHid = !isSkip && el.attrs.length > 0 && isHidden(el);
        if (isHid) hidden.add(el);
        if (isSkip || isHid) {
          if (tag !== 'head') continue;
          skipKids = true;
        } else {
          if (tag === 'table') {
            tables.push(el);
            if (tableDepth++ === 0) tableRanges.push(flatLen);
          }
          let exit = EXIT;
          if ((el.attrs.length > 0 || tag === 'article' || tag === 'main') && isCandidate(el)) {
            starts.push(flatLen);
            exit |= CANDIDATE;
          }
          nodes.push(el);
          flags.push(exit);
        }
      } else if (tag !== 'title' && tag !== 'meta' && tag !== 'head') {
        // inside <head>: only look for <title>
        continue;
      }
    }
    const kids = childrenOf(node);
    const kidFlag = skipKids ? SKIPPED : 0;
    for (let i = kids.length - 1; i >= 0; i--) {
      nodes.push(kids[i]);
      flags.push(kidFlag);
    }
  }
  const flat = chunks.join('');
  if (tableRanges.length % 2 === 1) tableRanges.push(flatLen);
  return { title, body, tables, hidden, candidates, flat, tableRanges };
}

function occurrences(flat: string, s: string): number[] {
  const out: number[] = [];
  for (let i = flat.indexOf(s); i !== -1; i = flat.indexOf(s, i + 1)) out.push(i);
  return out;
}

/** is there an occurrence p with start <= p && p + len <= end ? */
function within(occ: number[], len: number, start: number, end: number): boolean {
  let lo = 0;
  let hi = occ.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (occ[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < occ.length && occ[lo] + len <= end;
}

/** extra visible characters an enclosing container may add to the innermost one and still be preferred (article title, date line) */
const ARTICLE_SLACK = 300;

/**
 * The article container that holds the report. Eligible: candidates that
 * contain `主动公开政府信息情况` or a table with `自然人`. Among those with the
 * most report markers, take the innermost, then widen it to the outermost
 * candidate around it that adds at most ARTICLE_SLACK visible characters, so
 * that the article heading and its date line (often just outside `#zoom`) are
 * kept while sidebars and navigation are not.
 */
function chooseArticle(s: Survey): Element | null {
  if (s.candidates.length === 0) return null;
  const occ = MARKERS.map((m) => occurrences(s.flat, m));
  const key = occ[MARKERS.indexOf(KEY_MARKER)];
  const r = s.tableRanges;
  let ri = 0;
  // occurrences are ascending, so are the ranges
  const tableOcc = occ[MARKERS.indexOf(TABLE_MARKER)].filter((p) => {
    while (ri < r.length && r[ri + 1] <= p) ri += 2;
    return ri < r.length && r[ri] <= p;
  });
  const scored: { c: Survey['candidates'][number]; score: number }[] = [];
  for (const c of s.candidates) {
    const eligible = within(key, KEY_MARKER.length, c.start, c.end) || within(tableOcc, TABLE_MARKER.length, c.start, c.end);
    if (!eligible) continue;
    let score = 0;
    MARKERS.forEach((m, i) => {
      if (within(occ[i], m.length, c.start, c.end)) score++;
    });
    scored.push({ c, score });
  }
  if (scored.length === 0) return null;
  const top = scored.reduce((m, x) => Math.max(m, x.score), 0);
  const best = scored.filter((x) => x.score === top).map((x) => x.c);
  let inner = best[0];
  for (const c of best) if (c.end - c.start < inner.end - inner.start) inner = c;
  let chosen = inner;
  const limit = inner.end - inner.start + ARTICLE_SLACK;
  for (const c of best) {
    if (c.start <= inner.start && c.end >= inner.end && c.end - c.start <= limit && c.end - c.start > chosen.end - chosen.start) chosen = c;
  }
  return chosen.el;
}

function normalizeSource(source: string): string {
  return source.indexOf('\r') === -1 ? source : source.replace(/\r\n?/g, '\n');
}

function emptyError(file: string): ReadError {
  return new ReadError('empty', file, `文件“${file}”中没有可读取的文字。`, `"${file}" contains no readable text.`);
}

function guard<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw new ReadError(
      'corrupt',
      file,
      `无法解析 HTML 文件“${file}”：${e instanceof Error ? e.message : String(e)}`,
      `cannot parse the HTML of "${file}": ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Read a whole HTML page. Throws ReadError 'empty' when it holds no text, 'too-large' beyond LIMITS.maxCells. */
export function readHtml(source: string, file: string): DocumentModel {
  return guard(file, () => {
    const src = normalizeSource(source);
    const doc = parse(src, { sourceCodeLocationInfo: true });
    const s = survey(doc);
    const ctx: Ctx = {
      file,
      src,
      loc: new Locator(src),
      lineOffset: 0,
      blocks: [],
      tableCount: 0,
      cellCount: 0,
      tableNesting: 0,
      containsTable: markTableAncestors(s.tables),
      hidden: s.hidden,
    };
    if (s.title && !isHidden(s.title)) {
      const lines: { text: string; pos: { line: number; column: number } }[] = [];
      const sink = collectorSink(new LineCollector((text, pos) => lines.push({ text, pos })), false);
      for (const c of childrenOf(s.title)) if (isText(c)) sink.text(ctx, c, false);
      sink.boundary();
      if (lines.length > 0) {
        ctx.blocks.push({
          type: 'paragraph',
          text: lines[0].text,
          prov: { kind: 'text', line: lines[0].pos.line, column: lines[0].pos.column },
        });
      }
    }
    const root: Node = chooseArticle(s) ?? s.body ?? doc;
    walk(ctx, root, paragraphSink(ctx), root !== doc);
    if (ctx.blocks.length === 0) throw emptyError(file);
    return { kind: 'html', source: file, blocks: ctx.blocks };
  });
}

/**
 * Blocks of an HTML fragment embedded in another document (an HTML block in
 * Markdown). `lineOffset` is added to every line; table numbering continues
 * after `tablesBefore`; `cellsBefore` counts against LIMITS.maxCells.
 */
export function htmlFragmentBlocks(
  html: string,
  file: string,
  options: { lineOffset: number; tablesBefore: number; cellsBefore: number },
): { blocks: Block[]; tables: number; cells: number } {
  return guard(file, () => {
    const src = normalizeSource(html);
    const frag = parseFragment(src, { sourceCodeLocationInfo: true });
    const s = survey(frag);
    const ctx: Ctx = {
      file,
      src,
      loc: new Locator(src),
      lineOffset: options.lineOffset,
      blocks: [],
      tableCount: options.tablesBefore,
      cellCount: options.cellsBefore,
      tableNesting: 0,
      containsTable: markTableAncestors(s.tables),
      hidden: s.hidden,
    };
    walk(ctx, frag, paragraphSink(ctx));
    return { blocks: ctx.blocks, tables: ctx.tableCount, cells: ctx.cellCount };
  });
}
