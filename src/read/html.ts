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
 * units, as parse5 counts).
 */
import { type DefaultTreeAdapterTypes, parse, parseFragment } from 'parse5';
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

function attr(el: Element, name: string): string | undefined {
  for (const a of el.attrs) if (a.name === name) return a.value;
  return undefined;
}

function isHidden(el: Element): boolean {
  if (attr(el, 'hidden') !== undefined) return true;
  const style = attr(el, 'style');
  return style !== undefined && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i.test(style);
}

/** offset → 1-based line/column */
class Locator {
  private readonly starts: number[] = [0];
  constructor(src: string) {
    for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

const WS_RE = /[ \t\n\r\f\u00a0]+/g;
const CJK_RE = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;

/**
 * Collapse inline whitespace like a browser: runs become one space, except a
 * source line break between two CJK characters, which disappears (CSS Text 3
 * segment-break rule for Chinese).
 */
export function collapseWhitespace(raw: string): string {
  return raw
    .replace(WS_RE, (ws: string, idx: number, s: string) => {
      if (ws.includes('\n') && !ws.includes('\u00a0')) {
        const prev = s[idx - 1];
        const next = s[idx + ws.length];
        if (prev !== undefined && next !== undefined && CJK_RE.test(prev) && CJK_RE.test(next)) return '';
      }
      return ' ';
    })
    .trim();
}

interface Ctx {
  src: string;
  file: string;
  loc: Locator;
  lineOffset: number;
  blocks: Block[];
  /** tables emitted so far (document-wide, including tables read before this HTML) */
  tableCount: number;
  cellCount: number;
  tableNesting: number;
  /** elements that have a <table> among their descendants */
  containsTable: Set<Element>;
}

/** Position of the first visible character of a text node (skips whitespace and &nbsp; in the source). */
function textStart(ctx: Ctx, node: TextNode, skip = 0): { line: number; column: number } | null {
  const l = node.sourceCodeLocation;
  if (!l) return null;
  const src = ctx.src;
  let i = Math.min(l.startOffset + skip, l.endOffset);
  while (i < l.endOffset) {
    const c = src.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0xa0 || c === 0x3000) {
      i++;
      continue;
    }
    if (c === 0x26) {
      const m = /^&(?:nbsp;?|#160;|#x0*a0;)/i.exec(src.slice(i, i + 10));
      if (m) {
        i += m[0].length;
        continue;
      }
    }
    break;
  }
  if (i >= l.endOffset) i = l.startOffset;
  return ctx.loc.at(i);
}

/** line/column of an element's start tag, or of its nearest located ancestor */
function elementPos(el: Node): { line: number; column: number } {
  let n: Node | null = el;
  while (n) {
    const l = (n as { sourceCodeLocation?: { startLine: number; startCol: number } | null }).sourceCodeLocation;
    if (l) return { line: l.startLine, column: l.startCol };
    n = 'parentNode' in n ? (n.parentNode as Node | null) : null;
  }
  return { line: 1, column: 1 };
}

/** Accumulates inline text; each completed line goes to `emit`. */
class LineCollector {
  private parts: string[] = [];
  private pos: { line: number; column: number } | null = null;
  private fallback: { line: number; column: number } | null = null;
  constructor(private readonly emit: (text: string, pos: { line: number; column: number }) => void) {}

  add(ctx: Ctx, node: TextNode, value: string, skip: number): void {
    this.parts.push(value);
    if (this.pos === null && /[^ \t\n\r\f\u00a0\u3000]/.test(value)) {
      this.pos = textStart(ctx, node, skip) ?? elementPos(node);
    }
    if (this.fallback === null) this.fallback = elementPos(node);
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const text = collapseWhitespace(this.parts.join(''));
    const pos = this.pos ?? this.fallback ?? { line: 1, column: 1 };
    this.parts = [];
    this.pos = null;
    this.fallback = null;
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
        collector.add(ctx, node, node.value, 0);
        return;
      }
      // inside <pre> source line breaks are line breaks
      const pieces = node.value.split('\n');
      let skip = 0;
      pieces.forEach((piece, i) => {
        if (i > 0) collector.flush();
        collector.add(ctx, node, piece, skip);
        skip += piece.length + 1;
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

type Frame = { node: Node; exit: boolean };

/** Iterative walk of the children of `root` (or of `root` itself with `self`), in document order. */
function walk(ctx: Ctx, root: Node, sink: Sink, self = false): void {
  const stack: Frame[] = [];
  if (self) stack.push({ node: root, exit: false });
  else {
    const kids = childrenOf(root);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], exit: false });
  }
  let pre = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const node = frame.node;
    if (frame.exit) {
      const tag = (node as Element).tagName;
      if (tag === 'pre') pre--;
      sink.boundary();
      continue;
    }
    if (isText(node)) {
      sink.text(ctx, node, pre > 0);
      continue;
    }
    if (!isElement(node)) continue;
    const tag = node.tagName;
    if (SKIP.has(tag) || isHidden(node)) continue;
    if (tag === 'br') {
      sink.lineBreak();
      continue;
    }
    if (tag === 'table' && sink.tables && ctx.tableNesting < MAX_TABLE_NESTING) {
      sink.boundary();
      readTable(ctx, node);
      continue;
    }
    const block = BLOCK.has(tag);
    if (block) {
      sink.boundary();
      if (tag === 'pre') pre++;
      stack.push({ node, exit: true });
    }
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], exit: false });
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
    const layout = rows.some((tr) => ownCells(tr).some((td) => ctx.containsTable.has(td)));
    if (layout) {
      // a layout table around the data tables: read each cell as a block container
      for (const tr of rows) for (const td of ownCells(tr)) walk(ctx, td, paragraphSink(ctx), true);
      return;
    }
    const index = ctx.tableCount + 1;
    const out: Cell[][] = [];
    let count = 0;
    rows.forEach((tr, r) => {
      const cellsOut: Cell[] = [];
      ownCells(tr).forEach((td, c) => {
        const pos = elementPos(td);
        const cell: Cell = {
          text: cellText(ctx, td),
          prov: { kind: 'table', table: index, row: r + 1, cell: c + 1, line: pos.line + ctx.lineOffset, column: pos.column },
        };
        const colspan = parseSpan(attr(td, 'colspan'));
        if (colspan !== null && colspan > 1) cell.colspan = Math.min(colspan, 1000);
        let rowspan = parseSpan(attr(td, 'rowspan'));
        if (rowspan === 0) rowspan = rows.length - r; // rowspan="0": to the end of the table
        if (rowspan !== null && rowspan > 1) cell.rowspan = Math.min(rowspan, 65534);
        cellsOut.push(cell);
      });
      count += cellsOut.length;
      out.push(cellsOut);
    });
    if (count === 0) return;
    ctx.cellCount += count;
    if (ctx.cellCount > LIMITS.maxCells) throw tooManyCells(ctx.file);
    ctx.tableCount = index;
    const pos = elementPos(table);
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
  candidates: { el: Element; start: number; end: number }[];
  /** visible text without whitespace */
  flat: string;
  /** per flat character: inside a table? */
  inTable: Uint8Array;
}

function isCandidate(el: Element): boolean {
  if (el.tagName === 'article' || el.tagName === 'main') return true;
  const id = attr(el, 'id');
  if (id !== undefined && ARTICLE_IDS.has(id.trim().toLowerCase())) return true;
  const cls = attr(el, 'class');
  if (cls !== undefined) for (const c of cls.split(/\s+/)) if (c && ARTICLE_CLASSES.has(c.toLowerCase())) return true;
  return false;
}

/** One pass over the document: title, body, tables, article candidates with their text ranges. */
function survey(root: Node): Survey {
  let title: Element | null = null;
  let body: Element | null = null;
  const tables: Element[] = [];
  const candidates: Survey['candidates'] = [];
  const open = new Map<Element, number>();
  const chunks: string[] = [];
  const chunkInTable: boolean[] = [];
  let flatLen = 0;
  let tableDepth = 0;
  // `skipped`: inside content that is never read (head, script, hidden…); the <title> is still found there
  const stack: (Frame & { skipped: boolean })[] = [{ node: root, exit: false, skipped: false }];
  while (stack.length > 0) {
    const { node, exit, skipped } = stack.pop()!;
    if (exit) {
      const el = node as Element;
      if (el.tagName === 'table') tableDepth--;
      const start = open.get(el);
      if (start !== undefined) candidates.push({ el, start, end: flatLen });
      continue;
    }
    if (isText(node)) {
      if (skipped) continue;
      const t = node.value.replace(/\s+/g, '');
      if (t) {
        chunks.push(t);
        chunkInTable.push(tableDepth > 0);
        flatLen += t.length;
      }
      continue;
    }
    let skipKids = skipped;
    if (isElement(node)) {
      const tag = node.tagName;
      const html = node.namespaceURI === 'http://www.w3.org/1999/xhtml';
      if (tag === 'title' && html && title === null) title = node;
      if (tag === 'body' && body === null) body = node;
      if (!skipped) {
        if (SKIP.has(tag) || isHidden(node)) {
          if (tag !== 'head') continue;
          skipKids = true;
        } else {
          if (tag === 'table') {
            tables.push(node);
            tableDepth++;
          }
          if (isCandidate(node)) open.set(node, flatLen);
          stack.push({ node, exit: true, skipped });
        }
      } else if (tag !== 'title' && tag !== 'meta' && tag !== 'head') {
        // inside <head>: only look for <title>
        continue;
      }
    }
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], exit: false, skipped: skipKids });
  }
  const flat = chunks.join('');
  const inTable = new Uint8Array(flat.length);
  let off = 0;
  chunks.forEach((c, i) => {
    if (chunkInTable[i]) inTable.fill(1, off, off + c.length);
    off += c.length;
  });
  return { title, body, tables, candidates, flat, inTable };
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
  const tableOcc = occ[MARKERS.indexOf(TABLE_MARKER)].filter((p) => s.inTable[p] === 1);
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
  return source.replace(/\r\n?/g, '\n');
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
      src,
      file,
      loc: new Locator(src),
      lineOffset: 0,
      blocks: [],
      tableCount: 0,
      cellCount: 0,
      tableNesting: 0,
      containsTable: markTableAncestors(s.tables),
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
      src,
      file,
      loc: new Locator(src),
      lineOffset: options.lineOffset,
      blocks: [],
      tableCount: options.tablesBefore,
      cellCount: options.cellsBefore,
      tableNesting: 0,
      containsTable: markTableAncestors(s.tables),
    };
    walk(ctx, frag, paragraphSink(ctx));
    return { blocks: ctx.blocks, tables: ctx.tableCount, cells: ctx.cellCount };
  });
}
