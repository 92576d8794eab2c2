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
 *
 * Speed: parse5's own source locations cost more than half of the reading
 * time, so the page is parsed without them. A scan of the source that follows
 * the tokenizer (tags, comments, raw text) finds the `<td`/`<th`/`<table` start
 * tags and the character data; a tree adapter hooked into the parse matches
 * created td/th/table elements to those start tags in creation order and every
 * inserted run of text to its place in the source. When the two disagree
 * (markup the scan does not model, such as a stray `<td>` the parser drops),
 * the page is parsed again with parse5's locations.
 */
import {
  type DefaultTreeAdapterMap,
  type DefaultTreeAdapterTypes,
  defaultTreeAdapter,
  parse,
  parseFragment,
  type TreeAdapter,
} from 'parse5';
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

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQ = 0x3d;
const DQ = 0x22;
const SQ = 0x27;
const AMP = 0x26;
const HASH = 0x23;
const DASH = 0x2d;

/** whitespace as the HTML tokenizer splits character tokens (CR never occurs: sources are normalized) */
function isHtmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;
}

/** skipped before the first visible character of a paragraph */
function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0xa0 || c === 0x3000;
}

function isAsciiAlpha(c: number): boolean {
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7a;
}

/** how the tokenizer reads the content of an element: raw text, escapable raw text (entities decoded), script data, plaintext */
const RAWTEXT = 1;
const RCDATA = 2;
const SCRIPT = 3;
const PLAINTEXT = 4;
const CONTENT_MODEL = new Map<string, number>([
  ['style', RAWTEXT],
  ['xmp', RAWTEXT],
  ['iframe', RAWTEXT],
  ['noembed', RAWTEXT],
  ['noframes', RAWTEXT],
  ['noscript', RAWTEXT], // parse5 parses with scripting enabled
  ['title', RCDATA],
  ['textarea', RCDATA],
  ['script', SCRIPT],
  ['plaintext', PLAINTEXT],
]);

/** Markup of a source as the HTML tokenizer sees it. */
interface Scan {
  /** [start, end) offset pairs of tags, comments and doctypes, in source order */
  marks: number[];
  /** [start, end) offset pairs of raw text (script, style, …: no character references) */
  raw: number[];
  /** offsets and names of the td/th/table start tags, in source order */
  tagAt: number[];
  tagName: string[];
}

/**
 * End (offset after `>`) of a tag whose name ends at `k`, following the
 * tokenizer's attribute states (quoted values may hold `>`); -1 when the input
 * ends inside the tag (the tokenizer then drops it).
 */
function tagEnd(src: string, k: number): number {
  const n = src.length;
  for (;;) {
    // before (or after) an attribute name
    while (k < n && isHtmlSpace(src.charCodeAt(k))) k++;
    if (k >= n) return -1;
    let c = src.charCodeAt(k);
    if (c === GT) return k + 1;
    if (c === SLASH) {
      k++;
      continue;
    }
    // attribute name (its first character may be '=')
    k++;
    while (k < n) {
      c = src.charCodeAt(k);
      if (isHtmlSpace(c) || c === SLASH || c === GT || c === EQ) break;
      k++;
    }
    while (k < n && isHtmlSpace(src.charCodeAt(k))) k++;
    if (k >= n) return -1;
    if (src.charCodeAt(k) !== EQ) continue;
    // attribute value
    k++;
    while (k < n && isHtmlSpace(src.charCodeAt(k))) k++;
    if (k >= n) return -1;
    c = src.charCodeAt(k);
    if (c === DQ || c === SQ) {
      const q = src.indexOf(c === DQ ? '"' : "'", k + 1);
      if (q === -1) return -1;
      k = q + 1;
      continue;
    }
    if (c === GT) return k + 1;
    while (k < n) {
      c = src.charCodeAt(k);
      if (isHtmlSpace(c) || c === GT) break;
      k++;
    }
  }
}

const closeTagRes = new Map<string, RegExp>();

/** offset of the end tag that closes raw text or RCDATA content starting at `from` (source length if none) */
function closeTag(src: string, name: string, from: number): number {
  let re = closeTagRes.get(name);
  if (re === undefined) {
    re = new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'gi');
    closeTagRes.set(name, re);
  }
  re.lastIndex = from;
  const m = re.exec(src);
  return m === null ? src.length : m.index;
}

const SCRIPT_RE = /<\/script[\t\n\f\r />]|<!--|-->|<script[\t\n\f\r />]/gi;

/** offset of the `</script` that ends script data starting at `from`, through the escaped and double-escaped states */
function closeScript(src: string, from: number): number {
  let state = 0; // 0 data, 1 escaped (after <!--), 2 double escaped (<script> inside <!--)
  SCRIPT_RE.lastIndex = from;
  for (let m = SCRIPT_RE.exec(src); m !== null; m = SCRIPT_RE.exec(src)) {
    const t = m[0];
    if (t.charCodeAt(1) === SLASH) {
      if (state !== 2) return m.index;
      state = 1;
    } else if (t === '<!--') {
      if (state === 0) state = 1;
      SCRIPT_RE.lastIndex = m.index + 2; // `<!-->` closes at once
    } else if (t === '-->') state = 0;
    else if (state === 1) state = 2;
  }
  return src.length;
}

/** Scan the source the way the tokenizer reads it from the data state. */
function scanSource(src: string): Scan {
  const scan: Scan = { marks: [], raw: [], tagAt: [], tagName: [] };
  const { marks } = scan;
  const n = src.length;
  let i = 0;
  while (i < n) {
    const lt = src.indexOf('<', i);
    if (lt === -1) break;
    const c = src.charCodeAt(lt + 1);
    if (isAsciiAlpha(c)) {
      let j = lt + 2;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (isHtmlSpace(d) || d === SLASH || d === GT) break;
        j++;
      }
      const end = tagEnd(src, j);
      if (end === -1) {
        marks.push(lt, n);
        break;
      }
      marks.push(lt, end);
      i = end;
      if (j - lt <= 10) {
        const name = src.slice(lt + 1, j).toLowerCase();
        if (name === 'td' || name === 'th' || name === 'table') {
          scan.tagAt.push(lt);
          scan.tagName.push(name);
          continue;
        }
        const model = CONTENT_MODEL.get(name);
        if (model === undefined) continue;
        if (model === PLAINTEXT) {
          scan.raw.push(end, n);
          break;
        }
        i = model === SCRIPT ? closeScript(src, end) : closeTag(src, name, end);
        if (model !== RCDATA) scan.raw.push(end, i);
      }
      continue;
    }
    if (c === SLASH) {
      const d = src.charCodeAt(lt + 2);
      if (isAsciiAlpha(d)) {
        let j = lt + 3;
        while (j < n) {
          const e = src.charCodeAt(j);
          if (isHtmlSpace(e) || e === SLASH || e === GT) break;
          j++;
        }
        const end = tagEnd(src, j);
        if (end === -1) {
          marks.push(lt, n);
          break;
        }
        marks.push(lt, end);
        i = end;
        continue;
      }
      if (d === GT) {
        marks.push(lt, lt + 3);
        i = lt + 3;
        continue;
      }
      if (lt + 2 >= n) break; // `</` at the end is text
      // bogus comment
      const gt = src.indexOf('>', lt + 2);
      i = gt === -1 ? n : gt + 1;
      marks.push(lt, i);
      continue;
    }
    if (c === BANG && src.charCodeAt(lt + 2) === DASH && src.charCodeAt(lt + 3) === DASH) {
      const k = lt + 4;
      if (src.charCodeAt(k) === GT) i = k + 1;
      else if (src.charCodeAt(k) === DASH && src.charCodeAt(k + 1) === GT) i = k + 2;
      else {
        COMMENT_END_RE.lastIndex = k;
        const m = COMMENT_END_RE.exec(src);
        i = m === null ? n : m.index + m[0].length;
      }
      marks.push(lt, i);
      continue;
    }
    if (c === BANG || c === QUESTION) {
      // doctype, CDATA outside foreign content, bogus comment: up to the next '>'
      const gt = src.indexOf('>', lt + 2);
      i = gt === -1 ? n : gt + 1;
      marks.push(lt, i);
      continue;
    }
    i = lt + 1; // a '<' that starts no markup is text
  }
  return scan;
}

const COMMENT_END_RE = /--!?>/g;

/** a character reference that decodes to whitespace (it splits character tokens) */
const SPACE_REF_RE = /&(?:#0*(?:9|10|12|13|32)(?![0-9])|#[xX]0*(?:9|[aAcCdD]|20)(?![0-9a-fA-F])|Tab;|NewLine;)/y;
const REF_RE = /&(?:#[xX][0-9a-fA-F]+;?|#[0-9]+;?|[A-Za-z][A-Za-z0-9]*;?)/y;
const AMP_REF_RE = /^&(?:amp;?|AMP;?|#0*38;?|#[xX]0*26;?)$/;

/**
 * Source positions of parsed nodes: offsets of text characters and of start
 * tags (-1 when unknown).
 */
interface Positions {
  /** offset of the first character of `node.value` at or after `skip` that is not whitespace, &nbsp; or U+3000 */
  textOffset(node: TextNode, skip: number): number;
  /** offset of a node: a text node's first character, an element's start tag */
  nodeOffset(node: Node): number;
}

/** Positions from parse5's source locations (the slow path). */
class LocatedPositions implements Positions {
  constructor(private readonly src: string) {}

  textOffset(node: TextNode, skip: number): number {
    const l = node.sourceCodeLocation;
    if (!l) return -1;
    const src = this.src;
    let i = Math.min(l.startOffset + skip, l.endOffset);
    while (i < l.endOffset) {
      const c = src.charCodeAt(i);
      if (isBlank(c)) {
        i++;
        continue;
      }
      if (c === AMP) {
        const m = /^&(?:nbsp;?|#160;|#x0*a0;)/i.exec(src.slice(i, i + 10));
        if (m) {
          i += m[0].length;
          continue;
        }
      }
      break;
    }
    return i >= l.endOffset ? l.startOffset : i;
  }

  nodeOffset(node: Node): number {
    const l = (node as { sourceCodeLocation?: { startOffset: number } | null }).sourceCodeLocation;
    return l ? l.startOffset : -1;
  }
}

/**
 * Positions found by matching the parse against a scan of the source. It
 * supplies the tree adapter for the parse: every created td/th/table element is
 * recorded, and every run of text the parser inserts is located in the source.
 * The parser inserts character tokens in source order, and between two of them
 * the source holds only markup and whitespace (tokens the parser drops are
 * whitespace, bar rare cases that the check below catches), so each token is
 * found at the first non-whitespace character data after the previous one.
 */
class ScannedPositions implements Positions {
  /** false once the parse disagreed with the scan */
  ok = true;
  private cursor = 0;
  private markAt = 0;
  private rawAt = 0;
  private readonly n: number;
  private readonly created: Element[] = [];
  private readonly tags = new Map<Element, number>();
  /** per text node: pairs (index in value, source offset) of the character tokens it holds */
  private readonly runs = new Map<TextNode, number[]>();

  constructor(
    private readonly src: string,
    private readonly scan: Scan,
  ) {
    this.n = src.length;
  }

  adapter(): TreeAdapter<DefaultTreeAdapterMap> {
    const base = defaultTreeAdapter;
    return {
      ...base,
      createElement: (tagName, namespaceURI, attrs) => {
        const el = base.createElement(tagName, namespaceURI, attrs);
        if (tagName === 'td' || tagName === 'th' || tagName === 'table') this.created.push(el);
        return el;
      },
      insertText: (parent, text) => {
        const kids = parent.childNodes;
        const last = kids[kids.length - 1];
        if (last !== undefined && last.nodeName === '#text') {
          const t = last as TextNode;
          this.token(t, text, t.value.length);
          t.value += text;
          return;
        }
        const node = base.createTextNode(text);
        this.token(node, text, 0);
        base.appendChild(parent, node);
      },
      insertTextBefore: (parent, text, reference) => {
        const kids = parent.childNodes;
        const idx = kids[kids.length - 1] === reference ? kids.length - 1 : kids.indexOf(reference);
        const prev = kids[idx - 1];
        if (prev !== undefined && prev.nodeName === '#text') {
          const t = prev as TextNode;
          this.token(t, text, t.value.length);
          t.value += text;
          return;
        }
        const node = base.createTextNode(text);
        this.token(node, text, 0);
        base.insertBefore(parent, node, reference);
      },
    };
  }

  /** After the parse: do the created td/th/table elements match the scanned start tags one to one? */
  finish(): boolean {
    const { created, scan } = this;
    if (!this.ok || created.length !== scan.tagAt.length) return (this.ok = false);
    for (let i = 0; i < created.length; i++) {
      if (created[i].tagName !== scan.tagName[i]) return (this.ok = false);
      this.tags.set(created[i], scan.tagAt[i]);
    }
    return true;
  }

  private inRaw(p: number): boolean {
    const raw = this.scan.raw;
    while (this.rawAt < raw.length && raw[this.rawAt + 1] <= p) this.rawAt += 2;
    return this.rawAt < raw.length && raw[this.rawAt] <= p;
  }

  /** a character token `text` was inserted into `node` at `index` of its value */
  private token(node: TextNode, text: string, index: number): void {
    if (!this.ok || isHtmlSpace(text.charCodeAt(0))) return; // whitespace tokens need no position
    const { src, n } = this;
    const marks = this.scan.marks;
    let p = this.cursor;
    // next character data that is not whitespace
    for (;;) {
      while (this.markAt < marks.length && marks[this.markAt + 1] <= p) this.markAt += 2;
      if (this.markAt < marks.length && marks[this.markAt] <= p) {
        p = marks[this.markAt + 1];
        continue;
      }
      if (p >= n) break;
      const c = src.charCodeAt(p);
      if (isHtmlSpace(c)) {
        p++;
        continue;
      }
      if (c === AMP && !this.inRaw(p)) {
        SPACE_REF_RE.lastIndex = p;
        if (SPACE_REF_RE.test(src)) {
          p = SPACE_REF_RE.lastIndex;
          continue;
        }
      }
      break;
    }
    const raw = this.inRaw(p);
    let end: number;
    if ((raw || text.indexOf('&') === -1) && src.startsWith(text, p)) end = p + text.length;
    else end = raw ? -1 : this.advance(text, 0, text.length, p);
    if (end < 0) {
      this.ok = false;
      return;
    }
    this.cursor = end;
    let runs = this.runs.get(node);
    if (runs === undefined) {
      runs = [];
      this.runs.set(node, runs);
    }
    runs.push(index, p);
  }

  /**
   * Walk `text` from index `j` to `to` and the source from offset `p` in step,
   * decoding character references; the offset reached, or -1 if they disagree.
   */
  private advance(text: string, j: number, to: number, p: number): number {
    const { src, n } = this;
    while (j < to) {
      if (p >= n) return -1;
      const s = src.charCodeAt(p);
      const v = text.charCodeAt(j);
      if (s === AMP) {
        REF_RE.lastIndex = p;
        const m = REF_RE.exec(src);
        if (m !== null && (v !== AMP || AMP_REF_RE.test(m[0]))) {
          let len = m[0].length;
          const units = v >= 0xd800 && v <= 0xdbff ? 2 : 1;
          // a named reference without ';' may decode a prefix only (&copy2021 → ©2021)
          if (m[0].charCodeAt(len - 1) !== 0x3b && m[0].charCodeAt(1) !== HASH && j + units < to) {
            const next = text.charCodeAt(j + units);
            while (len > 2 && src.charCodeAt(p + len) !== next) len--;
          }
          p += len;
          j += units;
          continue;
        }
      }
      if (s !== v) return -1;
      p++;
      j++;
    }
    return p;
  }

  textOffset(node: TextNode, skip: number): number {
    const runs = this.runs.get(node);
    if (runs === undefined) return -1;
    const v = node.value;
    let k = skip;
    while (k < v.length && isBlank(v.charCodeAt(k))) k++;
    let r = 0;
    while (r + 2 < runs.length && runs[r + 2] <= k) r += 2;
    const start = runs[r + 1];
    if (runs[r] >= k) return start;
    if (this.isRawAt(start)) return start + (k - runs[r]);
    const p = this.advance(v, runs[r], k, start);
    return p < 0 ? start : p;
  }

  private isRawAt(p: number): boolean {
    const raw = this.scan.raw;
    for (let i = 0; i < raw.length; i += 2) if (raw[i] <= p && p < raw[i + 1]) return true;
    return false;
  }

  nodeOffset(node: Node): number {
    if (node.nodeName === '#text') return this.runs.get(node as TextNode)?.[1] ?? -1;
    return this.tags.get(node as Element) ?? -1;
  }
}

const WS_RE = /[ \t\n\r\f\u00a0]+/g;
const VISIBLE_RE = /[^ \t\n\r\f\u00a0\u3000]/;
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
  file: string;
  loc: Locator;
  pos: Positions;
  lineOffset: number;
  blocks: Block[];
  /** tables emitted so far (document-wide, including tables read before this HTML) */
  tableCount: number;
  cellCount: number;
  tableNesting: number;
  /** elements that have a <table> among their descendants */
  containsTable: Set<Element>;
}

/** Position of the first visible character of a text node (at or after `skip`), or null when unknown. */
function textStart(ctx: Ctx, node: TextNode, skip = 0): { line: number; column: number } | null {
  const off = ctx.pos.textOffset(node, skip);
  return off < 0 ? null : ctx.loc.at(off);
}

/** line/column of a node (an element's start tag, a text node's start), or of its nearest located ancestor */
function elementPos(ctx: Ctx, el: Node): { line: number; column: number } {
  let n: Node | null = el;
  while (n) {
    const off = ctx.pos.nodeOffset(n);
    if (off >= 0) return ctx.loc.at(off);
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

  add(ctx: Ctx, node: TextNode, value: string, skip: number): void {
    this.parts.push(value);
    if (this.pos === null && VISIBLE_RE.test(value)) {
      this.pos = textStart(ctx, node, skip) ?? elementPos(ctx, node);
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
        const pos = elementPos(ctx, td);
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
    const scanned = new ScannedPositions(src, scanSource(src));
    let doc = parse(src, { treeAdapter: scanned.adapter() });
    let pos: Positions = scanned;
    if (!scanned.finish()) {
      doc = parse(src, { sourceCodeLocationInfo: true });
      pos = new LocatedPositions(src);
    }
    const s = survey(doc);
    const ctx: Ctx = {
      file,
      loc: new Locator(src),
      pos,
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
    const scanned = new ScannedPositions(src, scanSource(src));
    let frag = parseFragment(src, { treeAdapter: scanned.adapter() });
    let pos: Positions = scanned;
    if (!scanned.finish()) {
      frag = parseFragment(src, { sourceCodeLocationInfo: true });
      pos = new LocatedPositions(src);
    }
    const s = survey(frag);
    const ctx: Ctx = {
      file,
      loc: new Locator(src),
      pos,
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
