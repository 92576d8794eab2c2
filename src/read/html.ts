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
 * the page is parsed again with parse5's locations. Before any of that, a
 * well-formed page (every element closed where the standard would close it)
 * gets its tree built straight from the scan (html-tree.ts), which is several
 * times faster than parse5 and builds the same tree; any page it declines
 * goes to parse5.
 */
import {
  type DefaultTreeAdapterMap,
  type DefaultTreeAdapterTypes,
  defaultTreeAdapter,
  type ParserOptions,
  parse,
  parseFragment,
  type TreeAdapter,
} from 'parse5';
import { isAsciiAlpha, isHtmlSpace, isWs } from '../util/chars.js';
import type { Block, Cell, DocumentModel, TableBlock } from './document.js';
import { LIMITS, ReadError } from './errors.js';
import { buildTree } from './html-tree.js';

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

/** skipped before the first visible character of a paragraph */
function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0xa0 || c === 0x3000;
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
 * Attributes separated by whitespace, with quoted values or unquoted ones
 * without quotes, '=', '<' or '`', then `>` or `/>`: where this matches, it
 * ends where the tokenizer ends the tag.
 */
const WELL_FORMED_ATTRS_RE =
  /(?:[\t\n\f\r ]+[^\t\n\f\r />"'=<]+(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"[^"]*"|'[^']*'|[^\t\n\f\r >"'=<`]+))?)*[\t\n\f\r ]*\/?>/y;

/**
 * End (offset after `>`) of a tag whose name ends at `k`, following the
 * tokenizer's attribute states (quoted values may hold `>`); -1 when the input
 * ends inside the tag (the tokenizer then drops it).
 */
function tagEnd(src: string, k: number): number {
  if (src.charCodeAt(k) === GT) return k + 1;
  // common case: well-formed attributes
  WELL_FORMED_ATTRS_RE.lastIndex = k;
  if (WELL_FORMED_ATTRS_RE.test(src)) return WELL_FORMED_ATTRS_RE.lastIndex;
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

/** does the tag name at `at` (of length `len`) equal `word` (lower case letters), ignoring ASCII case? */
function nameIs(src: string, at: number, len: number, word: string): boolean {
  if (len !== word.length) return false;
  for (let k = 0; k < len; k++) if ((src.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) return false;
  return true;
}

const T_NAMES = ['table', 'title', 'textarea'];
const S_NAMES = ['style', 'script'];
const N_NAMES = ['noembed', 'noframes', 'noscript'];

/** The tag name at `at` (of length `len`) if it is td, th, table or one in CONTENT_MODEL; null otherwise. */
function tagOfInterest(src: string, at: number, len: number): string | null {
  switch (src.charCodeAt(at) | 0x20) {
    case 0x74: // t
      if (len === 2) {
        const c = src.charCodeAt(at + 1) | 0x20;
        return c === 0x64 ? 'td' : c === 0x68 ? 'th' : null;
      }
      for (const w of T_NAMES) if (nameIs(src, at, len, w)) return w;
      return null;
    case 0x73: // s
      for (const w of S_NAMES) if (nameIs(src, at, len, w)) return w;
      return null;
    case 0x6e: // n
      for (const w of N_NAMES) if (nameIs(src, at, len, w)) return w;
      return null;
    case 0x69:
      return nameIs(src, at, len, 'iframe') ? 'iframe' : null;
    case 0x78:
      return nameIs(src, at, len, 'xmp') ? 'xmp' : null;
    case 0x70:
      return nameIs(src, at, len, 'plaintext') ? 'plaintext' : null;
    default:
      return null;
  }
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
      const name = tagOfInterest(src, lt + 1, j - lt - 1);
      if (name !== null) {
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
const SPACE_REF_RE = /&(?:#0*(?:9|10|12|13|32)(?![0-9]);?|#[xX]0*(?:9|[aAcCdD]|20)(?![0-9a-fA-F]);?|Tab;|NewLine;)/y;
const REF_RE = /&(?:#[xX][0-9a-fA-F]+;?|#[0-9]+;?|[A-Za-z][A-Za-z0-9]*;?)/y;
/** named character references that are decoded without a ';' (in text) */
const LEGACY_REFS = new Set(
  (
    'AElig AMP Aacute Acirc Agrave Aring Atilde Auml COPY Ccedil ETH Eacute Ecirc Egrave Euml GT Iacute Icirc Igrave Iuml LT ' +
    'Ntilde Oacute Ocirc Ograve Oslash Otilde Ouml QUOT REG THORN Uacute Ucirc Ugrave Uuml Yacute aacute acirc acute aelig ' +
    'agrave amp aring atilde auml brvbar ccedil cedil cent copy curren deg divide eacute ecirc egrave eth euml frac12 frac14 ' +
    'frac34 gt iacute icirc iexcl igrave iquest iuml laquo lt macr micro middot nbsp not ntilde oacute ocirc ograve ordf ordm ' +
    'oslash otilde ouml para plusmn pound quot raquo reg sect shy sup1 sup2 sup3 szlig thorn times uacute ucirc ugrave uml ' +
    'uuml yacute yen yuml'
  ).split(' '),
);
/** a reference to '&' (with a legacy name, possibly followed by literal letters) */
const AMP_REF_RE = /^&(?:(?:amp|AMP)(?:;|[A-Za-z0-9]*)|#0*38;?|#[xX]0*26;?)$/;

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

/** a text node created by the tracking tree adapter: pairs (index in value, source offset) of the character tokens it holds */
interface RunNode extends TextNode {
  runs: number[] | null;
}

/** an element created by the tracking tree adapter: the offset of its start tag (td, th, table) or -1 */
interface TrackedElement extends Element {
  at: number;
}

/** the positions being collected by the current parse (parsing is synchronous) */
let tracking: ScannedPositions | null = null;

function newTextNode(value: string): RunNode {
  return { nodeName: '#text', value, parentNode: null, runs: null };
}

const TRACKING_ADAPTER: TreeAdapter<DefaultTreeAdapterMap> = {
  ...defaultTreeAdapter,
  createElement(tagName, namespaceURI, attrs): TrackedElement {
    const at = tagName === 'td' || tagName === 'th' || tagName === 'table' ? tracking!.element(tagName) : -1;
    return { nodeName: tagName, tagName, attrs, namespaceURI, childNodes: [], parentNode: null, at };
  },
  insertText(parent, text) {
    const kids = parent.childNodes;
    const last = kids.length > 0 ? kids[kids.length - 1] : undefined; // (no out-of-bounds read: it is slow)
    if (last !== undefined && last.nodeName === '#text') {
      const t = last as RunNode;
      tracking!.token(t, text, t.value.length);
      t.value += text;
      return;
    }
    const node = newTextNode(text);
    tracking!.token(node, text, 0);
    defaultTreeAdapter.appendChild(parent, node);
  },
  insertTextBefore(parent, text, reference) {
    const kids = parent.childNodes;
    const idx = kids[kids.length - 1] === reference ? kids.length - 1 : kids.indexOf(reference);
    const prev = idx > 0 ? kids[idx - 1] : undefined;
    if (prev !== undefined && prev.nodeName === '#text') {
      const t = prev as RunNode;
      tracking!.token(t, text, t.value.length);
      t.value += text;
      return;
    }
    const node = newTextNode(text);
    tracking!.token(node, text, 0);
    defaultTreeAdapter.insertBefore(parent, node, reference);
  },
};

/**
 * Positions found by matching the parse against a scan of the source, through
 * the tracking tree adapter.
 *
 * Elements: the parser creates a td, th or table element only from a start tag
 * of that name, at most one per tag, in source order; so when as many elements
 * as scanned start tags are created, the k-th element comes from the k-th tag.
 *
 * Text: the parser inserts character tokens in source order, each a run of
 * whitespace or of other characters, and between two of them the source holds
 * only markup and whitespace (the tokens it drops are whitespace: before
 * <html>, the newline after <pre>). So a non-whitespace token starts at the
 * first non-whitespace character data after the previous one and ends at the
 * next whitespace, reference to whitespace or markup; its text is checked
 * against that stretch of source. Any disagreement (ok = false) sends the page
 * to the slow path.
 */
class ScannedPositions implements Positions {
  /** false once the parse disagreed with the scan */
  ok = true;
  private cursor = 0;
  private markAt = 0;
  private rawAt = 0;
  private readonly n: number;
  /** td/th/table elements created so far */
  private created = 0;

  constructor(
    private readonly src: string,
    private readonly scan: Scan,
  ) {
    this.n = src.length;
  }

  /** Run `parse` with the tracking tree adapter. */
  parse<T>(parse: (treeAdapter: TreeAdapter<DefaultTreeAdapterMap>) => T): T {
    tracking = this;
    try {
      return parse(TRACKING_ADAPTER);
    } finally {
      tracking = null;
    }
  }

  /** a td/th/table element was created: the offset of its start tag (matched in creation order) */
  element(tagName: string): number {
    const k = this.created++;
    const { scan } = this;
    if (k < scan.tagAt.length && scan.tagName[k] === tagName) return scan.tagAt[k];
    this.ok = false;
    return -1;
  }

  /**
   * After the parse: did every created td/th/table element match a scanned
   * start tag, and every start tag an element? The parser creates at most one
   * element per start tag, in source order, so equal counts mean a one-to-one match.
   */
  finish(): boolean {
    if (this.created !== this.scan.tagAt.length) this.ok = false;
    return this.ok;
  }

  private inRaw(p: number): boolean {
    const raw = this.scan.raw;
    while (this.rawAt < raw.length && raw[this.rawAt + 1] <= p) this.rawAt += 2;
    return this.rawAt < raw.length && raw[this.rawAt] <= p;
  }

  /** a character token `text` was inserted into `node` at `index` of its value */
  token(node: RunNode, text: string, index: number): void {
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
    if (p >= n) {
      this.ok = false;
      return;
    }
    // the token ends at whitespace, a reference to whitespace or markup
    const limit = this.markAt < marks.length ? marks[this.markAt] : n;
    const raw = this.inRaw(p);
    let end = p + 1;
    let refs = false;
    for (; end < limit; end++) {
      const c = src.charCodeAt(end);
      if (isHtmlSpace(c)) break;
      if (c === AMP && !raw) {
        SPACE_REF_RE.lastIndex = end;
        if (SPACE_REF_RE.test(src)) break;
        refs = true;
      }
    }
    // check that the token is the one found: the same text, or the same once references are decoded
    const c0 = src.charCodeAt(p);
    if (!(end - p === text.length && src.startsWith(text, p))) {
      if (raw || !(refs || c0 === AMP)) {
        this.ok = false;
        return;
      }
      // a reference the check does not decode (a legacy one without ';' that stops early, one of two code points) is let pass
      if (this.advance(text, 0, text.length, p) !== end && c0 !== AMP && c0 !== text.charCodeAt(0)) {
        this.ok = false;
        return;
      }
    }
    this.cursor = end;
    if (node.runs === null) node.runs = [index, p];
    else node.runs.push(index, p);
  }

  /** a run known to be the source's [start, end) verbatim (the tree builder's text without references) */
  run(node: RunNode, index: number, start: number, end: number): void {
    this.cursor = end;
    if (node.runs === null) node.runs = [index, start];
    else node.runs.push(index, start);
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
          const r = m[0];
          let len = r.length;
          // without ';' only the longest legacy name that starts the name is decoded (&copy2021 → ©2021)
          if (r.charCodeAt(len - 1) !== 0x3b && r.charCodeAt(1) !== HASH) {
            for (let l = Math.min(len - 1, 6); l >= 2; l--) {
              if (LEGACY_REFS.has(r.slice(1, 1 + l))) {
                len = 1 + l;
                break;
              }
            }
          }
          p += len;
          j += v >= 0xd800 && v <= 0xdbff ? 2 : 1;
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
    const runs = (node as RunNode).runs;
    if (!runs) return -1;
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
    if (node.nodeName === '#text') return (node as RunNode).runs?.[1] ?? -1;
    const at = (node as Partial<TrackedElement>).at;
    return at === undefined ? -1 : at;
  }
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
  /** hidden elements (see Survey.hidden) */
  hidden: Set<Element>;
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

let treeBuilderEnabled = process.env.NIANBAO_HTML_TREE !== '0';

/**
 * Turn the fast tree builder (html-tree.ts) on or off; returns the previous
 * setting. Off, every page is parsed by parse5. For tests and benchmarks
 * (`NIANBAO_HTML_TREE=0` in the environment starts with it off).
 * @internal
 */
export function setTreeBuilder(on: boolean): boolean {
  const was = treeBuilderEnabled;
  treeBuilderEnabled = on;
  return was;
}

/**
 * Parse `src`: a whole page (`whole`) whose tree the builder of
 * html-tree.ts can build from the scan is not given to parse5 at all;
 * otherwise `run` parses it with parse5, with positions from the scan when
 * it explains the parse, otherwise again with parse5's locations.
 */
function parseLocated<T>(
  src: string,
  run: (options: ParserOptions<DefaultTreeAdapterMap>) => T,
  whole = false,
): { root: T; pos: Positions; path: 'built' | 'scanned' | 'located' } {
  // NUL characters make character tokens the parser drops or replaces: not modelled
  if (src.indexOf('\0') === -1) {
    const scan = scanSource(src);
    if (whole && treeBuilderEnabled) {
      // a well-formed page: its tree built from the scan (see html-tree.ts)
      const built = new ScannedPositions(src, scan);
      const root = buildTree(src, scan.marks, built);
      if (root !== null && built.ok) return { root: root as T, pos: built, path: 'built' };
    }
    const scanned = new ScannedPositions(src, scan);
    const root = scanned.parse((treeAdapter) => run({ treeAdapter }));
    if (scanned.finish()) return { root, pos: scanned, path: 'scanned' };
  }
  return { root: run({ sourceCodeLocationInfo: true }), pos: new LocatedPositions(src), path: 'located' };
}

/**
 * Whether `source` is read on the fast path (positions from the source scan,
 * no second parse). For tests.
 * @internal
 */
export function readsWithoutLocations(source: string): boolean {
  const src = normalizeSource(source);
  return parseLocated(src, (options) => parse(src, options)).pos instanceof ScannedPositions;
}

/**
 * The tree html-tree.ts builds for `source` (null where it declines), with a
 * tracker that accepts every text run. For the differential test against parse5.
 * @internal
 */
export function builtTree(source: string): DefaultTreeAdapterTypes.Document | null {
  const src = normalizeSource(source);
  if (src.indexOf('\0') !== -1) return null;
  return buildTree(src, scanSource(src).marks, { ok: true, token() {}, run() {} });
}

/**
 * How a whole page is parsed: 'built' (tree built from the scan, html-tree.ts),
 * 'scanned' (parse5, positions from the scan) or 'located' (parse5 with its
 * source locations). For tests and benchmarks.
 * @internal
 */
export function htmlParsePath(source: string): 'built' | 'scanned' | 'located' {
  const src = normalizeSource(source);
  return parseLocated(src, (options) => parse(src, options), true).path;
}

/** Read a whole HTML page. Throws ReadError 'empty' when it holds no text, 'too-large' beyond LIMITS.maxCells. */
export function readHtml(source: string, file: string): DocumentModel {
  return guard(file, () => {
    const src = normalizeSource(source);
    const { root: doc, pos } = parseLocated(src, (options) => parse(src, options), true);
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
    const { root: frag, pos } = parseLocated(src, (parserOptions) => parseFragment(src, parserOptions));
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
      hidden: s.hidden,
    };
    walk(ctx, frag, paragraphSink(ctx));
    return { blocks: ctx.blocks, tables: ctx.tableCount, cells: ctx.cellCount };
  });
}
