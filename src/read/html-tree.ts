/**
 * A fast path for building the tree of a well-formed HTML page, used by the
 * HTML reader before it hands a page to parse5.
 *
 * parse5 implements the whole HTML standard and is the authority; it is also
 * most of the reading time (its tokenizer reads one character at a time).
 * Most published report pages, however, are machine-written: every element
 * closed by its own end tag, tables with rows and cells written out, no
 * markup that the standard's error recovery would rearrange. For such a page
 * the tree the standard builds is the plain nesting of the tags, and this
 * module builds it from the reader's scan of the source (the offsets of the
 * tags, comments and raw text) in a fraction of the time.
 *
 * It follows the standard's tree construction for the part of HTML it
 * accepts and **declines** (returns null) at the first token where the
 * standard would do anything other than plain nesting: an end tag that does
 * not close the current element, a start tag that implicitly closes an open
 * `p`, `li` or heading, a second `a` inside an `a`, a cell outside a row,
 * text or other elements directly inside a table (foster parenting), markup
 * before `<body>` that is not head content, form controls with their own
 * parsing modes (`select`, `textarea`), foreign content (`svg`, `math`),
 * templates, framesets, a `table` start tag while a `p` is open unless the
 * doctype is `<!DOCTYPE html>` (elsewhere the result depends on the quirks
 * mode, which is not computed), unterminated comments and tags. The
 * reader then parses the page with parse5 as before, so declining only costs
 * time. What it does accept it builds exactly as parse5 does, including the
 * implied html/head/body/tbody elements, whitespace placement, comments,
 * character references (decoded by the `entities` package that parse5 itself
 * uses) and duplicate attributes (the first one wins). A differential test
 * (test/read-html-tree.test.ts) compares its trees with parse5's on generated
 * pages and on every page variant of the test suite.
 *
 * `NIANBAO_HTML_TREE_DEBUG=1` prints where and why a page is declined (the
 * token and the open elements), for widening what the builder accepts.
 *
 * Not computed: the document's quirks mode (the reader does not use it; the
 * built document says 'no-quirks').
 */

import { DecodingMode, decodeHTML, decodeHTMLAttribute } from 'entities/decode';
import type { DefaultTreeAdapterTypes } from 'parse5';
import { isAsciiAlpha, isHtmlSpace } from '../util/chars.js';

type Document = DefaultTreeAdapterTypes.Document;
type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;
type TextNode = DefaultTreeAdapterTypes.TextNode;
type ChildNode = DefaultTreeAdapterTypes.ChildNode;

const HTML_NS = 'http://www.w3.org/1999/xhtml' as DefaultTreeAdapterTypes.Element['namespaceURI'];

/** Receives every text node's non-whitespace character runs in source order (the reader's positions). */
export interface TextTracker {
  /** a run `text` (no HTML whitespace) was appended to `node` at `index` of its value */
  token(node: TextNode, text: string, index: number): void;
  /** the same, when the run is known to be the source's [start, end) verbatim */
  run(node: TextNode, index: number, start: number, end: number): void;
  /** false once the tracker disagrees with the source: building stops */
  readonly ok: boolean;
}

/** an element with the source offset of its start tag (td, th and table) or -1 */
export interface TrackedElement extends Element {
  at: number;
}

enum Phase {
  Initial,
  BeforeHtml,
  BeforeHead,
  InHead,
  AfterHead,
  Body,
  AfterBody,
  AfterAfterBody,
}

/**
 * Deepest element nesting built; deeper pages go to parse5. Report pages
 * nest a few dozen elements deep; the bound keeps every walk of the stack of
 * open elements short.
 */
const MAX_DEPTH = 256;

/** most attributes on one element built; more go to parse5 */
const MAX_ATTRS = 64;

/** elements without content */
const VOID = new Set([
  'area',
  'col',
  'base',
  'basefont',
  'bgsound',
  'br',
  'embed',
  'hr',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** start tags in body that close an open p in button scope */
const CLOSES_P = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'header',
  'hgroup',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'search',
  'section',
  'summary',
  'ul',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'form',
  'table',
]);

/** formatting elements (the standard's list of active formatting elements) */
const FORMATTING = new Set(['a', 'b', 'big', 'code', 'em', 'font', 'i', 'nobr', 's', 'small', 'strike', 'strong', 'tt', 'u']);

/** elements whose end tags are implied (by the end tag of an element around them) */
const NOT_POPPED = new Set(['button', 'form', 'ol', 'ul', 'tr', 'colgroup', 'select']);

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * start tags whose handling in body is more than "insert an element": parsing
 * modes, foreign content, elements ignored or moved, list items and `a`
 * (checked separately), table parts outside a table
 */
const DECLINE_IN_BODY = new Set([
  'applet',
  'body',
  'caption',
  'col',
  'colgroup',
  'frame',
  'frameset',
  'head',
  'html',
  'iframe',
  'image',
  'listing',
  'marquee',
  'math',
  'nobr',
  'noembed',
  'object',
  'optgroup',
  'option',
  'plaintext',
  'pre',
  'rb',
  'rp',
  'rt',
  'rtc',
  'select',
  'svg',
  'tbody',
  'td',
  'template',
  'textarea',
  'tfoot',
  'th',
  'thead',
  'tr',
  'xmp',
]);

/** elements whose content is text up to their end tag: true when character references are decoded in it */
const RAW = new Map<string, boolean>([
  ['style', false],
  ['script', false],
  ['noscript', false], // parse5 parses with scripting enabled
  ['noframes', false],
  ['title', true],
]);

/** elements that bound "button scope" (and, without button, the default scope) */
const SCOPE = new Set(['applet', 'caption', 'html', 'table', 'td', 'th', 'marquee', 'object', 'template']);

/** the standard's "special" elements, as they stop the search for an open li/dd/dt */
const SPECIAL = new Set([
  'address',
  'applet',
  'area',
  'article',
  'aside',
  'base',
  'basefont',
  'bgsound',
  'blockquote',
  'body',
  'br',
  'button',
  'caption',
  'center',
  'col',
  'colgroup',
  'dd',
  'details',
  'dir',
  'div',
  'dl',
  'dt',
  'embed',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'frame',
  'frameset',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'head',
  'header',
  'hgroup',
  'hr',
  'html',
  'iframe',
  'img',
  'input',
  'keygen',
  'li',
  'link',
  'listing',
  'main',
  'marquee',
  'menu',
  'meta',
  'nav',
  'noembed',
  'noframes',
  'noscript',
  'object',
  'ol',
  'p',
  'param',
  'plaintext',
  'pre',
  'script',
  'search',
  'section',
  'select',
  'source',
  'style',
  'summary',
  'table',
  'tbody',
  'td',
  'template',
  'textarea',
  'tfoot',
  'th',
  'thead',
  'title',
  'tr',
  'track',
  'ul',
  'wbr',
  'xmp',
]);

/** head content (in head, and in body where it is inserted where it stands) */
const HEAD_VOID = new Set(['meta', 'link', 'base', 'basefont', 'bgsound']);

const TABLE_SECTIONS = new Set(['tbody', 'thead', 'tfoot']);

const UPPER_RE = /[A-Z]/;
const UPPER_G_RE = /[A-Z]/g;
const NON_ASCII_RE = /[^\x00-\x7f]/;
const DOCTYPE_RE =
  /^<!doctype[\t\n\f\r ]+([^\t\n\f\r >]+)(?:[\t\n\f\r ]+(?:public[\t\n\f\r ]*"([^"]*)"(?:[\t\n\f\r ]*"([^"]*)")?|system[\t\n\f\r ]*"([^"]*)"))?[\t\n\f\r ]*>$/i;

/** characters that end an attribute name (or cannot be in one written the common way) */
const NOT_IN_ATTR_NAME = charTable('\t\n\f\r />"\'=<');
/** characters that end an unquoted attribute value (or cannot be in one written the common way) */
const NOT_IN_UNQUOTED = charTable('\t\n\f\r >"\'=<`');

function charTable(chars: string): Uint8Array {
  const t = new Uint8Array(0x10000);
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  return t;
}

const names = new Map<string, string>();

/** the tag or attribute name at [from, to), lower-cased as the tokenizer does (ASCII only; other names decline) */
function tagName(src: string, from: number, to: number): string {
  const raw = src.slice(from, to);
  let name = names.get(raw);
  if (name === undefined) {
    if (NON_ASCII_RE.test(raw)) throw decline();
    name = asciiLower(raw);
    if (names.size < 4096) names.set(raw, name);
  }
  return name;
}

function asciiLower(s: string): string {
  return UPPER_RE.test(s) ? s.replace(UPPER_G_RE, (c) => c.toLowerCase()) : s;
}

function allSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isHtmlSpace(s.charCodeAt(i))) return false;
  return true;
}

class Decline extends Error {}
const DECLINE = new Decline('declined');
const DEBUG = process.env.NIANBAO_HTML_TREE_DEBUG === '1';
function decline(): Decline {
  return DECLINE;
}

/**
 * Build the document tree of `src` from its scan (`marks`: [start, end) pairs
 * of every tag, comment and doctype in source order, as the reader's scan
 * finds them), or return null where plain nesting is not what the HTML
 * standard builds.
 */
export function buildTree(src: string, marks: number[], tracker: TextTracker): Document | null {
  const builder = new Builder(src, tracker);
  try {
    return builder.run(marks);
  } catch (e) {
    if (e instanceof Decline) {
      if (DEBUG)
        console.error(`declined at ${builder.pos}: ${JSON.stringify(src.slice(builder.pos, builder.pos + 60))} open: ${builder.open()}`);
      return null;
    }
    throw e;
  }
}

class Builder {
  private readonly doc: Document = { nodeName: '#document', mode: 'no-quirks' as Document['mode'], childNodes: [] };
  private readonly stack: Element[] = [];
  private phase = Phase.Initial;
  private html: Element | null = null;
  private head: Element | null = null;
  private form: Element | null = null;
  /** offset of the token being built (for debugging) */
  pos = 0;
  /** the open elements (for debugging) */
  open(): string {
    return this.stack.map((e) => e.tagName).join(' > ');
  }
  /** known not to be in quirks mode (`<!DOCTYPE html>`); other doctypes are not classified */
  private noQuirks = false;
  /** the raw-text element whose content comes next */
  private raw: Element | null = null;

  constructor(
    private readonly src: string,
    private readonly tracker: TextTracker,
  ) {}

  run(marks: number[]): Document {
    const { src } = this;
    let at = 0;
    for (let m = 0; m < marks.length; m += 2) {
      const s = marks[m];
      const e = marks[m + 1];
      this.pos = at;
      if (s > at) this.text(at, s);
      this.pos = s;
      at = e;
      const c = src.charCodeAt(s + 1);
      if (c === 0x2f) {
        // `</`: an end tag, `</>` (dropped) or a bogus comment
        const d = src.charCodeAt(s + 2);
        if (d === 0x3e) continue;
        if (isAsciiAlpha(d)) this.endTag(s, e);
        else this.comment(s, e, s + 2, e - 1);
      } else if (c === 0x21) {
        if (src.charCodeAt(s + 2) === 0x2d && src.charCodeAt(s + 3) === 0x2d) this.htmlComment(s, e);
        else if (e - s > 9 && asciiLower(src.slice(s + 2, s + 9)) === 'doctype') this.doctype(s, e);
        else this.comment(s, e, s + 2, e - 1);
      } else if (c === 0x3f) this.comment(s, e, s + 1, e - 1);
      else this.startTag(s, e);
      if (!this.tracker.ok) throw decline();
    }
    if (this.raw !== null) throw decline(); // raw text to the end of the input
    if (at < src.length) this.text(at, src.length);
    if (!this.tracker.ok) throw decline();
    if (this.phase < Phase.Body) throw decline(); // no body: the implied elements are not modelled
    return this.doc;
  }

  private get current(): Element {
    return this.stack[this.stack.length - 1];
  }

  // ---------------------------------------------------------------- nodes

  private element(tagName: string, attrs: Element['attrs'], at: number): TrackedElement {
    return { nodeName: tagName, tagName, attrs, namespaceURI: HTML_NS, childNodes: [], parentNode: null, at };
  }

  private append(parent: ParentNode, node: ChildNode): void {
    (parent.childNodes as ChildNode[]).push(node);
    node.parentNode = parent;
  }

  private pop(): void {
    this.stack.pop();
  }

  /**
   * Close the cell open in table scope, if any (the standard's "close the
   * cell"): everything inside it is popped; formatting elements opened in it
   * are forgotten with it (the cell is a marker), so nothing is reopened.
   */
  private closeCell(): boolean {
    const { stack } = this;
    for (let i = stack.length - 1; i > 0; i--) {
      const t = stack[i].tagName;
      if (t === 'td' || t === 'th') {
        stack.length = i;
        return true;
      }
      if (t === 'table' || t === 'template' || t === 'html') return false;
    }
    return false;
  }

  private insert(el: Element): void {
    this.append(this.current, el);
    if (VOID.has(el.tagName)) return;
    // the scope checks walk the stack: bounded, so that no page makes them quadratic
    if (this.stack.length >= MAX_DEPTH) throw decline();
    this.stack.push(el);
  }

  /**
   * Append character data `value` (already decoded) to `parent`, reporting
   * its runs; `at` is its source offset when it is the source verbatim, else -1.
   */
  private appendText(parent: ParentNode, value: string, at: number): void {
    const kids = parent.childNodes as ChildNode[];
    const last = kids.length > 0 ? kids[kids.length - 1] : undefined;
    let node: TextNode;
    let base: number;
    if (last !== undefined && last.nodeName === '#text') {
      node = last as TextNode;
      base = node.value.length;
      node.value += value;
    } else {
      // (`runs` is the reader's position record, filled by the tracker)
      node = { nodeName: '#text', value, parentNode: null, runs: null } as TextNode;
      base = 0;
      this.append(parent, node);
    }
    const n = value.length;
    let i = 0;
    while (i < n) {
      while (i < n && isHtmlSpace(value.charCodeAt(i))) i++;
      if (i === n) break;
      let j = i + 1;
      while (j < n && !isHtmlSpace(value.charCodeAt(j))) j++;
      if (at >= 0) this.tracker.run(node, base + i, at + i, at + j);
      else this.tracker.token(node, i === 0 && j === n ? value : value.slice(i, j), base + i);
      i = j;
    }
  }

  // ---------------------------------------------------------------- tokens

  private text(from: number, to: number): void {
    const { src } = this;
    const raw = this.raw;
    const slice = src.slice(from, to);
    const verbatim = slice.indexOf('&') === -1;
    if (raw !== null) {
      if (verbatim || !RAW.get(raw.tagName)) this.appendText(raw, slice, from);
      else this.appendText(raw, decode(slice), -1);
      return;
    }
    const v = verbatim ? slice : decode(slice);
    const at = verbatim ? from : -1;
    switch (this.phase) {
      case Phase.Initial:
      case Phase.BeforeHtml:
      case Phase.BeforeHead:
        if (!allSpace(v)) throw decline();
        return; // ignored
      case Phase.InHead:
      case Phase.AfterHead:
      case Phase.AfterBody:
      case Phase.AfterAfterBody:
        // whitespace goes into the current element (head, html, or what is open in the body)
        if (!allSpace(v)) throw decline();
        this.appendText(this.current, v, at);
        return;
      default: {
        const cur = this.current.tagName;
        // in a table, only whitespace stays where it is (other text is moved before the table)
        if ((cur === 'table' || cur === 'tr' || cur === 'colgroup' || TABLE_SECTIONS.has(cur)) && !allSpace(v)) throw decline();
        this.appendText(this.current, v, at);
      }
    }
  }

  private htmlComment(s: number, e: number): void {
    const { src } = this;
    const len = e - s;
    let dataEnd: number;
    if (len <= 6)
      dataEnd = s + 4; // <!--> and <!--->
    else if (src.startsWith('--!>', e - 4)) dataEnd = e - 4;
    else if (src.startsWith('-->', e - 3)) dataEnd = e - 3;
    else throw decline(); // unterminated
    this.placeComment(src.slice(s + 4, dataEnd));
  }

  /** a bogus comment: its data runs from `from` to `to`, ended by '>' */
  private comment(_s: number, e: number, from: number, to: number): void {
    if (this.src.charCodeAt(e - 1) !== 0x3e) throw decline(); // unterminated
    this.placeComment(this.src.slice(from, to));
  }

  private placeComment(data: string): void {
    const node = { nodeName: '#comment' as const, data, parentNode: null };
    switch (this.phase) {
      case Phase.Initial:
      case Phase.BeforeHtml:
      case Phase.AfterAfterBody:
        this.append(this.doc, node);
        return;
      case Phase.AfterBody:
        this.append(this.html!, node);
        return;
      default:
        this.append(this.current, node);
    }
  }

  private doctype(s: number, e: number): void {
    if (this.phase !== Phase.Initial) throw decline();
    const m = DOCTYPE_RE.exec(this.src.slice(s, e));
    if (m === null) throw decline();
    const node = {
      nodeName: '#documentType' as const,
      name: asciiLower(m[1]),
      publicId: m[2] ?? '',
      systemId: m[3] ?? m[4] ?? '',
      parentNode: null,
    };
    this.append(this.doc, node);
    this.noQuirks = node.name === 'html' && node.publicId === '' && (node.systemId === '' || node.systemId === 'about:legacy-compat');
    this.phase = Phase.BeforeHtml;
  }

  /** name and attributes of the start tag [s, e) */
  private parseTag(s: number, e: number): { name: string; attrs: Element['attrs'] } {
    const { src } = this;
    let j = s + 2;
    while (j < e) {
      const d = src.charCodeAt(j);
      if (isHtmlSpace(d) || d === 0x2f || d === 0x3e) break;
      j++;
    }
    const name = tagName(src, s + 1, j);
    const attrs: Element['attrs'] = [];
    let k = j;
    for (;;) {
      const w = k;
      while (isHtmlSpace(src.charCodeAt(k))) k++;
      const c = src.charCodeAt(k);
      if (c === 0x3e || (c === 0x2f && src.charCodeAt(k + 1) === 0x3e)) {
        if (k + (c === 0x3e ? 1 : 2) !== e) throw decline();
        return { name, attrs };
      }
      // an attribute: after whitespace, its name, then `=` and a value or nothing
      if (k === w || k >= e) throw decline();
      const start = k;
      while (k < e && !NOT_IN_ATTR_NAME[src.charCodeAt(k)]) k++;
      if (k === start) throw decline();
      const attrName = tagName(src, start, k);
      let p = k;
      while (isHtmlSpace(src.charCodeAt(p))) p++;
      let value = '';
      if (src.charCodeAt(p) === 0x3d) {
        p++;
        while (isHtmlSpace(src.charCodeAt(p))) p++;
        const q = src.charCodeAt(p);
        if (q === 0x22 || q === 0x27) {
          const end = src.indexOf(q === 0x22 ? '"' : "'", p + 1);
          if (end === -1 || end >= e) throw decline();
          value = src.slice(p + 1, end);
          k = end + 1;
        } else {
          const vs = p;
          while (p < e && !NOT_IN_UNQUOTED[src.charCodeAt(p)]) p++;
          if (p === vs) throw decline();
          value = src.slice(vs, p);
          k = p;
        }
        if (value.indexOf('&') !== -1) value = decodeHTMLAttribute(value);
      }
      if (attrs.length >= MAX_ATTRS) throw decline(); // (the duplicate check below is quadratic)
      let dup = false;
      for (let i = 0; i < attrs.length; i++) if (attrs[i].name === attrName) dup = true;
      if (!dup) attrs.push({ name: attrName, value });
    }
  }

  // ---------------------------------------------------------------- start tags

  private startTag(s: number, e: number): void {
    if (this.src.charCodeAt(e - 1) !== 0x3e) throw decline(); // unterminated
    const { name, attrs } = this.parseTag(s, e);
    switch (this.phase) {
      case Phase.Initial:
      case Phase.BeforeHtml:
        if (name === 'html') {
          this.html = this.element('html', attrs, -1);
          this.append(this.doc, this.html);
          this.stack.push(this.html);
          this.phase = Phase.BeforeHead;
          return;
        }
        this.impliedHtml();
        this.startTag(s, e);
        return;
      case Phase.BeforeHead:
        if (name === 'head') {
          this.head = this.element('head', attrs, -1);
          this.insert(this.head);
          this.phase = Phase.InHead;
          return;
        }
        if (name === 'html') throw decline();
        this.head = this.element('head', [], -1);
        this.insert(this.head);
        this.phase = Phase.InHead;
        this.startTag(s, e);
        return;
      case Phase.InHead:
        if (HEAD_VOID.has(name) || RAW.has(name)) {
          this.insertHeadContent(name, attrs);
          return;
        }
        if (name === 'head' || name === 'html' || name === 'template') throw decline();
        this.stack.pop(); // head
        this.phase = Phase.AfterHead;
        this.startTag(s, e);
        return;
      case Phase.AfterHead:
        if (name === 'body') {
          this.insert(this.element('body', attrs, -1));
          this.phase = Phase.Body;
          return;
        }
        if (HEAD_VOID.has(name) || RAW.has(name) || name === 'head' || name === 'html' || name === 'frameset' || name === 'template')
          throw decline();
        this.insert(this.element('body', [], -1));
        this.phase = Phase.Body;
        this.startTag(s, e);
        return;
      case Phase.AfterBody:
      case Phase.AfterAfterBody:
        this.phase = Phase.Body;
        this.startTag(s, e);
        return;
      default:
        this.startTagInBody(name, attrs, s);
    }
  }

  private impliedHtml(): void {
    this.html = this.element('html', [], -1);
    this.append(this.doc, this.html);
    this.stack.push(this.html);
    this.phase = Phase.BeforeHead;
  }

  private insertHeadContent(name: string, attrs: Element['attrs']): void {
    const el = this.element(name, attrs, -1);
    this.insert(el);
    if (RAW.has(name)) this.raw = el;
  }

  /** is there an open p in button scope? */
  private pInButtonScope(): boolean {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const t = this.stack[i].tagName;
      if (t === 'p') return true;
      if (t === 'button' || SCOPE.has(t)) return false;
    }
    return false;
  }

  private startTagInBody(name: string, attrs: Element['attrs'], s: number): void {
    const cur = this.current.tagName;
    if (cur === 'colgroup') {
      if (name === 'col') {
        this.insert(this.element(name, attrs, -1));
        return;
      }
      // anything else closes the column group and is processed in the table
      this.stack.pop();
      this.startTagInBody(name, attrs, s);
      return;
    }
    // table modes: only the table's own structure and script/style
    if (cur === 'table' || cur === 'tr' || TABLE_SECTIONS.has(cur)) {
      if (name === 'style' || name === 'script') {
        this.insertHeadContent(name, attrs);
        return;
      }
      if (cur === 'table') {
        if (TABLE_SECTIONS.has(name)) {
          this.insert(this.element(name, attrs, -1));
          return;
        }
        if (name === 'tr') {
          this.insert(this.element('tbody', [], -1));
          this.insert(this.element('tr', attrs, -1));
          return;
        }
        if (name === 'caption' || name === 'colgroup') {
          this.insert(this.element(name, attrs, -1));
          return;
        }
        if (name === 'col') {
          this.insert(this.element('colgroup', [], -1));
          this.insert(this.element('col', attrs, -1));
          return;
        }
        throw decline();
      }
      if (cur === 'tr') {
        if (name === 'td' || name === 'th') {
          this.insert(this.element(name, attrs, s));
          return;
        }
        if (name === 'tr' || TABLE_SECTIONS.has(name)) {
          // a new row or section ends the row (`<tr>` without `</tr>`)
          this.pop();
          this.startTagInBody(name, attrs, s);
          return;
        }
        throw decline();
      }
      if (name === 'tr') {
        this.insert(this.element('tr', attrs, -1));
        return;
      }
      if (TABLE_SECTIONS.has(name)) {
        // a new section ends the one open
        this.pop();
        this.startTagInBody(name, attrs, s);
        return;
      }
      throw decline();
    }
    if (name === 'td' || name === 'th' || name === 'tr') {
      // a cell, or a row, starts while a cell is open (`<td>` without `</td>`): the cell is closed first
      if (!this.closeCell()) throw decline();
      this.startTagInBody(name, attrs, s);
      return;
    }
    if (DECLINE_IN_BODY.has(name)) throw decline();
    if (HEAD_VOID.has(name) || RAW.has(name)) {
      this.insertHeadContent(name, attrs);
      return;
    }
    if (CLOSES_P.has(name)) {
      if (this.pInButtonScope()) {
        // a table closes an open p except in quirks mode
        if (name === 'table' && !this.noQuirks) throw decline();
        this.closeOver('p');
      }
      if (HEADINGS.has(name) && HEADINGS.has(this.current.tagName)) throw decline();
      if (name === 'form') {
        if (this.form !== null) throw decline();
        this.form = this.element(name, attrs, -1);
        this.insert(this.form);
        return;
      }
      this.insert(this.element(name, attrs, name === 'table' ? s : -1));
      return;
    }
    if (name === 'li' || name === 'dd' || name === 'dt') {
      // an open list item of the same kind is closed first (`<li>` without `</li>`)
      for (let i = this.stack.length - 1; i >= 0; i--) {
        const t = this.stack[i].tagName;
        if (name === 'li' ? t === 'li' : t === 'dd' || t === 'dt') {
          this.closeOver(t);
          break;
        }
        if (SPECIAL.has(t) && t !== 'address' && t !== 'div' && t !== 'p') break;
      }
      if (this.pInButtonScope()) this.closeOver('p');
    } else if (name === 'a') {
      // an open `a` up to the last cell boundary would be closed by the adoption agency
      for (let i = this.stack.length - 1; i >= 0; i--) {
        const t = this.stack[i].tagName;
        if (t === 'a') throw decline();
        if (t === 'td' || t === 'th' || t === 'caption') break;
      }
    } else if (name === 'button') {
      // a button inside an open button closes it
      for (const el of this.stack) if (el.tagName === 'button') throw decline();
    }
    this.insert(this.element(name, attrs, -1));
  }

  // ---------------------------------------------------------------- end tags

  private endTag(s: number, e: number): void {
    const { src } = this;
    if (src.charCodeAt(e - 1) !== 0x3e) throw decline();
    let j = s + 3;
    while (j < e) {
      const d = src.charCodeAt(j);
      if (isHtmlSpace(d) || d === 0x2f || d === 0x3e) break;
      j++;
    }
    const name = tagName(src, s + 2, j);
    const raw = this.raw;
    if (raw !== null) {
      // the scan ends raw text only at its own end tag
      if (name !== raw.tagName) throw decline();
      this.raw = null;
      this.stack.pop();
      return;
    }
    switch (this.phase) {
      case Phase.Initial:
      case Phase.BeforeHtml:
      case Phase.BeforeHead:
        throw decline();
      case Phase.InHead:
        if (name !== 'head') throw decline();
        this.stack.pop();
        this.phase = Phase.AfterHead;
        return;
      case Phase.AfterHead:
        throw decline();
      case Phase.AfterBody:
        if (name !== 'html') throw decline();
        this.phase = Phase.AfterAfterBody;
        return;
      case Phase.AfterAfterBody:
        throw decline();
      default:
        break;
    }
    if (name === 'body' || name === 'html') {
      // body must be in scope: no table, cell or other scope boundary open inside it
      for (let i = this.stack.length - 1; i >= 0; i--) {
        const t = this.stack[i].tagName;
        if (t === 'body') break;
        if (SCOPE.has(t) || t === 'tr' || TABLE_SECTIONS.has(t)) throw decline();
      }
      this.phase = name === 'body' ? Phase.AfterBody : Phase.AfterAfterBody;
      return;
    }
    const cur = this.current;
    if (cur.tagName === name) {
      if (name === 'form') this.form = null;
      this.stack.pop();
      return;
    }
    if (cur.tagName === 'colgroup') {
      // anything else closes the column group and is processed in the table
      this.stack.pop();
      this.endTag(s, e);
      return;
    }
    const { stack } = this;
    const n = stack.length;
    if (name === 'tr' || name === 'table' || TABLE_SECTIONS.has(name)) {
      const c = cur.tagName;
      // `</table>` also closes the implied (or unclosed) section of the table
      if (name === 'table' && TABLE_SECTIONS.has(c) && stack[n - 2].tagName === 'table') {
        this.pop();
        this.pop();
        return;
      }
      // the end of a section or table closes an unclosed row
      if (c === 'tr' && (name === 'table' ? n > 3 && stack[n - 3].tagName === 'table' : stack[n - 2].tagName === name)) {
        this.pop();
        this.endTag(s, e);
        return;
      }
      // the end of a row, section or table closes an unclosed cell
      if (c !== 'tr' && c !== 'table' && !TABLE_SECTIONS.has(c) && this.closeCell()) {
        this.endTag(s, e);
        return;
      }
      throw decline();
    }
    if (name === 'td' || name === 'th') {
      // pop everything up to the cell (formatting elements opened in it are forgotten with it)
      for (let i = n - 1; i > 0; i--) {
        const t = stack[i].tagName;
        if (t === name) {
          stack.length = i;
          return;
        }
        if (t === 'td' || t === 'th' || t === 'table' || t === 'template' || t === 'tr' || TABLE_SECTIONS.has(t)) break;
      }
      throw decline();
    }
    this.closeOver(name);
  }

  /**
   * An end tag `name` that is not the current element's: it also closes the
   * elements opened inside it where the standard simply pops them: a block,
   * list item, heading, paragraph or cell end tag pops everything up to its
   * element when that is in scope; any other end tag pops ordinary elements
   * (not special, not formatting: span, o:p, sup…) up to its element.
   * Formatting elements (b, font…) popped this way would be reopened later
   * ("reconstructed"), so they decline, as do a form (its pointer stays),
   * lists and buttons (they bound the scope of li and p) and table parts.
   */
  private closeOver(name: string): void {
    if (name === 'form' || name === 'tr' || name === 'table' || name === 'caption' || TABLE_SECTIONS.has(name) || RAW.has(name))
      throw decline();
    const blockLike = CLOSES_P.has(name) || name === 'li' || name === 'dd' || name === 'dt' || name === 'td' || name === 'th';
    const { stack } = this;
    for (let i = stack.length - 1; i > 0; i--) {
      const t = stack[i].tagName;
      if (t === name) {
        stack.length = i;
        return;
      }
      if (FORMATTING.has(t)) throw decline();
      if (blockLike) {
        // pop until the element, provided it is in scope
        if (SCOPE.has(t) || NOT_POPPED.has(t) || TABLE_SECTIONS.has(t) || (HEADINGS.has(t) && HEADINGS.has(name))) throw decline();
      } else if (SPECIAL.has(t)) throw decline(); // the end tag is ignored
    }
    throw decline();
  }
}

/** character data with its references decoded as in the HTML data state */
function decode(v: string): string {
  return v.indexOf('&') === -1 ? v : decodeHTML(v, DecodingMode.Legacy);
}
