/**
 * Markdown reader (the subset that report conversions use, read line by line):
 *
 *  - GFM pipe tables (a row with `|` followed by a `|---|` delimiter row) →
 *    table blocks; so are runs of lines with two or more pipes (or one
 *    leading pipe) without a delimiter row, as text copied from web tables;
 *    `\|` is a literal pipe, `<br>` inside a cell is a line break ('\n');
 *    rows keep the cells as written (no padding/truncation to the header
 *    width, since conversions of merged-cell tables are ragged);
 *  - HTML blocks (`<table>`, `<div>`, … at the start of a line) are read by
 *    the HTML reader, so their tables keep colspan/rowspan;
 *  - every other non-blank line is one paragraph block (as in the plain-text
 *    reader): heading markers (`#`), blockquote markers (`>`) and bullet
 *    markers (`-`, `*`, `+` followed by a space) are removed; ordered-list
 *    numbers are report text (`1. 属于国家秘密`) and are kept; `1.属于…` without
 *    a space is never a list marker;
 *  - inline: emphasis/strong/strikethrough markers removed, code spans kept
 *    verbatim, backslash escapes resolved, links reduced to their text,
 *    images dropped, inline HTML tags dropped, entities decoded, `<br>` splits
 *    a paragraph.
 *  - fenced code lines are kept verbatim as paragraphs; thematic breaks,
 *    setext underlines, link reference definitions and HTML comments are dropped.
 *
 * Provenance: paragraphs and cells carry the line and the column of their first
 * visible character (a blank cell: the column just after its opening pipe).
 */
import type { Block, Cell, DocumentModel } from './document.js';
import { LIMITS, ReadError } from './errors.js';
import { htmlFragmentBlocks } from './html.js';

interface Piece {
  text: string;
  /** 0-based index in the line of the first visible character, or -1 if blank */
  at: number;
}

interface Unit {
  ch: string;
  /** index in the line */
  at: number;
  /** literal (escaped, code, entity): never an emphasis delimiter */
  lit: boolean;
  br?: boolean;
  del?: boolean;
}

const ENTITIES: Record<string, string> = {
  nbsp: '\u00a0',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  middot: '·',
  times: '×',
  divide: '÷',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  ideographicspace: '\u3000',
  copy: '©',
  reg: '®',
  yen: '¥',
  deg: '°',
  plusmn: '±',
  permil: '‰',
  bull: '•',
  laquo: '«',
  raquo: '»',
};

const ASCII_PUNCT = /[!-/:-@[-`{-~]/;
const WS = /[ \t\u00a0\u3000]/;

function decodeEntity(body: string): string | null {
  if (body[0] === '#') {
    const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
    return String.fromCodePoint(code);
  }
  return ENTITIES[body.toLowerCase()] ?? null;
}

const LINK_RE =
  /^\[((?:[^[\]\\]|\\.){0,1000})\](?:\(\s*(?:<[^<>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)|\[[^[\]]{0,200}\])/;
const TAG_RE = /^<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/;
const BR_RE = /^<br\s*\/?\s*>/i;
const AUTOLINK_RE = /^<((?:https?|ftp|mailto):[^\s<>]*)>/i;
const COMMENT_RE = /^<!--[\s\S]*?-->/;
const ENTITY_RE = /^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/;

/** Tokenise inline Markdown into units; `base` is added to every position. */
function tokenize(s: string, base: number, out: Unit[]): void {
  const noCloseAfter = new Map<number, number>();
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i];
    if (c === '\\') {
      if (i + 1 < n && ASCII_PUNCT.test(s[i + 1])) {
        out.push({ ch: s[i + 1], at: base + i + 1, lit: true });
        i += 2;
      } else if (i + 1 === n) {
        i++; // hard line break at the end of the line
      } else {
        out.push({ ch: c, at: base + i, lit: true });
        i++;
      }
      continue;
    }
    if (c === '`') {
      let k = 1;
      while (i + k < n && s[i + k] === '`') k++;
      let close = -1;
      const known = noCloseAfter.get(k);
      if (known === undefined || known > i) {
        let j = s.indexOf('`', i + k);
        while (j !== -1) {
          let m = 1;
          while (j + m < n && s[j + m] === '`') m++;
          if (m === k) {
            close = j;
            break;
          }
          j = s.indexOf('`', j + m);
        }
        if (close === -1) noCloseAfter.set(k, i);
      }
      if (close === -1) {
        for (let q = 0; q < k; q++) out.push({ ch: '`', at: base + i + q, lit: true });
        i += k;
        continue;
      }
      let from = i + k;
      let to = close;
      const content = s.slice(from, to);
      if (content.length >= 2 && content[0] === ' ' && content[content.length - 1] === ' ' && content.trim() !== '') {
        from++;
        to--;
      }
      for (let q = from; q < to; q++) out.push({ ch: s[q], at: base + q, lit: true });
      i = close + k;
      continue;
    }
    if (c === '<') {
      const rest = s.slice(i, i + 2000);
      const br = BR_RE.exec(rest);
      if (br) {
        out.push({ ch: '\n', at: base + i, lit: true, br: true });
        i += br[0].length;
        continue;
      }
      const auto = AUTOLINK_RE.exec(rest);
      if (auto) {
        for (let q = 0; q < auto[1].length; q++) out.push({ ch: auto[1][q], at: base + i + 1 + q, lit: true });
        i += auto[0].length;
        continue;
      }
      const tag = TAG_RE.exec(rest) ?? COMMENT_RE.exec(rest);
      if (tag) {
        i += tag[0].length;
        continue;
      }
      out.push({ ch: c, at: base + i, lit: true });
      i++;
      continue;
    }
    if (c === '&') {
      const m = ENTITY_RE.exec(s.slice(i, i + 40));
      const decoded = m ? decodeEntity(m[1]) : null;
      if (m && decoded !== null) {
        out.push({ ch: decoded, at: base + i, lit: true });
        i += m[0].length;
        continue;
      }
      out.push({ ch: c, at: base + i, lit: true });
      i++;
      continue;
    }
    if (c === '[' || (c === '!' && s[i + 1] === '[')) {
      const image = c === '!';
      const start = image ? i + 1 : i;
      const m = s[start + 1] === '^' ? null : LINK_RE.exec(s.slice(start, start + 4000));
      if (m) {
        if (!image) tokenize(m[1], base + start + 1, out);
        i = start + m[0].length;
        continue;
      }
      out.push({ ch: c, at: base + i, lit: false });
      i++;
      continue;
    }
    out.push({ ch: c, at: base + i, lit: false });
    i++;
  }
}

function isWs(c: string | undefined): boolean {
  return c === undefined || c === '\n' || /\s/.test(c);
}

function isAlnum(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}]/u.test(c);
}

/**
 * Mark emphasis delimiters as deleted. Lenient with CJK text: `*`/`~~` open
 * before a non-space and close after a non-space (CommonMark's flanking
 * rules fail on `**（一）**予以公开`); `_` must also not be intraword, so
 * fill-in blanks like `____年` stay.
 */
function resolveEmphasis(units: Unit[]): void {
  type Run = { ch: string; start: number; len: number; left: number; right: number };
  const stack: Run[] = [];
  let i = 0;
  while (i < units.length) {
    const u = units[i];
    if (u.lit || (u.ch !== '*' && u.ch !== '_' && u.ch !== '~')) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < units.length && !units[j].lit && units[j].ch === u.ch) j++;
    const len = j - i;
    const prev = i > 0 ? units[i - 1].ch : undefined;
    const next = j < units.length ? units[j].ch : undefined;
    let canOpen = !isWs(next);
    let canClose = !isWs(prev);
    if (u.ch === '_') {
      canOpen = canOpen && !isAlnum(prev);
      canClose = canClose && !isAlnum(next);
    }
    if (u.ch === '~' && len !== 2) {
      canOpen = false;
      canClose = false;
    }
    const run: Run = { ch: u.ch, start: i, len, left: len, right: len };
    let remaining = len;
    if (canClose) {
      // look down the stack (bounded) for an opener of the same kind
      for (let k = stack.length - 1; k >= 0 && k >= stack.length - 50; k--) {
        const op = stack[k];
        if (op.ch !== run.ch || (run.ch === '~' && op.len !== run.len)) continue;
        const take = Math.min(op.right, remaining);
        for (let q = 0; q < take; q++) units[op.start + op.right - 1 - q].del = true;
        for (let q = 0; q < take; q++) units[i + (len - remaining) + q].del = true;
        op.right -= take;
        remaining -= take;
        stack.length = op.right > 0 ? k + 1 : k;
        break;
      }
    }
    if (remaining > 0 && canOpen) {
      run.start = i + (len - remaining);
      run.len = remaining;
      run.right = remaining;
      stack.push(run);
    }
    i = j;
  }
}

/** Inline Markdown → pieces separated by `<br>`, whitespace collapsed, each with the line index of its first visible character. */
function inline(s: string, base: number): Piece[] {
  const units: Unit[] = [];
  tokenize(s, base, units);
  resolveEmphasis(units);
  const pieces: Piece[] = [];
  let buf = '';
  let at = -1;
  const push = () => {
    pieces.push({ text: buf.replace(/[ \t\u00a0]+/g, ' ').trim(), at });
    buf = '';
    at = -1;
  };
  for (const u of units) {
    if (u.del) continue;
    if (u.br) {
      push();
      continue;
    }
    if (at === -1 && !/^[\s\u00a0]*$/.test(u.ch)) at = u.at;
    buf += u.ch;
  }
  push();
  return pieces;
}

/** Split a table row on unescaped pipes; drop the empty cells outside a leading and a trailing pipe. */
function splitRow(line: string): { text: string; start: number }[] {
  const cells: { text: string; start: number }[] = [];
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '|') {
      cells.push({ text: line.slice(start, i), start });
      start = i + 1;
    }
  }
  cells.push({ text: line.slice(start), start });
  if (cells.length > 1 && cells[0].text.trim() === '' && line.trimStart().startsWith('|')) cells.shift();
  if (cells.length > 1 && cells[cells.length - 1].text.trim() === '' && /(?:^|[^\\])\|\s*$/.test(line)) cells.pop();
  return cells;
}

function hasPipe(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|') return true;
  }
  return false;
}

/** a row of cells without a delimiter row: at least two unescaped pipes, or one that starts the line */
function isLoosePipeRow(line: string): boolean {
  if (line.trimStart().startsWith('|')) return true;
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|' && ++n === 2) return true;
  }
  return false;
}

function isDelimiterRow(line: string): boolean {
  if (!hasPipe(line)) return false;
  const cells = splitRow(line);
  return cells.length > 0 && cells.every((c) => /^\s*:?-+:?\s*$/.test(c.text));
}

const HTML_BLOCK_RE =
  /^ {0,3}<(?:table|div|p|center|section|article|blockquote|ul|ol|dl|h[1-6]|pre|figure|html|body|thead|tbody|tr)(?=[\s>/]|$)/i;

/** change in <table> nesting across a line */
function tableDelta(line: string): number {
  const opens = line.match(/<table(?=[\s>/]|$)/gi)?.length ?? 0;
  const closes = line.match(/<\/table\s*>/gi)?.length ?? 0;
  return opens - closes;
}

/**
 * For every line i, the first line j >= i after which the <table> nesting is
 * back to (or below) its level before line i, or -1: a "next smaller or
 * equal" pass over the running depth, O(lines).
 */
function tableCloseLines(lines: string[]): Int32Array {
  const n = lines.length;
  const depth = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) depth[i + 1] = depth[i] + tableDelta(lines[i]);
  const next = new Int32Array(n + 1).fill(-1);
  const stack: number[] = [];
  for (let k = n; k >= 0; k--) {
    while (stack.length > 0 && depth[stack[stack.length - 1]] > depth[k]) stack.pop();
    next[k] = stack.length > 0 ? stack[stack.length - 1] : -1;
    stack.push(k);
  }
  const close = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) close[i] = next[i] === -1 ? -1 : next[i] - 1;
  return close;
}

/**
 * The last line (index) of an HTML block starting at `start`: the line before
 * the next blank line; when a <table> opened in the block is still open
 * there, the line that closes it (tables exported from Word contain blank lines).
 */
function htmlBlockEnd(lines: string[], start: number, closeLines: () => Int32Array): number {
  let end = start;
  while (end + 1 < lines.length && lines[end + 1].trim() !== '') end++;
  let depth = 0;
  for (let i = start; i <= end; i++) depth += tableDelta(lines[i]);
  if (depth <= 0) return end;
  const close = closeLines()[start];
  return Math.max(close, end);
}

function fail(file: string, e: unknown): never {
  if (e instanceof ReadError) throw e;
  throw new ReadError(
    'corrupt',
    file,
    `无法解析 Markdown 文件“${file}”：${e instanceof Error ? e.message : String(e)}`,
    `cannot parse the Markdown of "${file}": ${e instanceof Error ? e.message : String(e)}`,
  );
}

export function readMarkdown(source: string, file: string): DocumentModel {
  try {
    return read(source, file);
  } catch (e) {
    fail(file, e);
  }
}

function read(source: string, file: string): DocumentModel {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 0 && lines[0].charCodeAt(0) === 0xfeff) lines[0] = ` ${lines[0].slice(1)}`;
  const blocks: Block[] = [];
  let tables = 0;
  let cells = 0;
  let closeCache: Int32Array | null = null;
  const closeLines = () => {
    closeCache ??= tableCloseLines(lines);
    return closeCache;
  };
  const paragraph = (p: Piece, lineNo: number, fallbackAt: number) => {
    if (p.text !== '')
      blocks.push({ type: 'paragraph', text: p.text, prov: { kind: 'text', line: lineNo, column: (p.at >= 0 ? p.at : fallbackAt) + 1 } });
  };

  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed === '') {
      i++;
      continue;
    }
    const lead = line.length - line.trimStart().length;

    // fenced code: lines verbatim
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence && !(fence[1][0] === '`' && line.slice(fence[0].length).includes('`'))) {
      const ch = fence[1][0];
      const len = fence[1].length;
      i++;
      while (i < lines.length) {
        const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[i]);
        if (close && close[1][0] === ch && close[1].length >= len) break;
        const l = lines[i];
        if (l.trim() !== '') {
          const at = l.length - l.trimStart().length;
          blocks.push({ type: 'paragraph', text: l.trim(), prov: { kind: 'text', line: i + 1, column: at + 1 } });
        }
        i++;
      }
      i++;
      continue;
    }

    // HTML comment
    if (/^ {0,3}<!--/.test(line)) {
      while (i < lines.length && !lines[i].includes('-->')) i++;
      i++;
      continue;
    }

    // HTML block → the HTML reader
    if (HTML_BLOCK_RE.test(line)) {
      const end = htmlBlockEnd(lines, i, closeLines);
      const html = lines.slice(i, end + 1).join('\n');
      const r = htmlFragmentBlocks(html, file, { lineOffset: i, tablesBefore: tables, cellsBefore: cells });
      blocks.push(...r.blocks);
      tables = r.tables;
      cells = r.cells;
      i = end + 1;
      continue;
    }

    // pipe table; also rows with pipes but no delimiter row (`a | b | c`, a table copied from a web page),
    // which are not a GFM table but are not prose either; delimiter rows among them are skipped
    const gfm = hasPipe(line) && i + 1 < lines.length && isDelimiterRow(lines[i + 1]);
    if (gfm || isLoosePipeRow(line)) {
      const index = ++tables;
      const rows: Cell[][] = [];
      const rowLines = [i];
      let j = gfm ? i + 2 : i + 1;
      while (j < lines.length && lines[j].trim() !== '' && hasPipe(lines[j]) && !HTML_BLOCK_RE.test(lines[j])) {
        if (gfm || !isDelimiterRow(lines[j])) rowLines.push(j);
        j++;
      }
      rowLines.forEach((ln, r) => {
        const row: Cell[] = [];
        splitRow(lines[ln]).forEach((c, k) => {
          const pieces = inline(c.text, c.start).filter((p) => p.text !== '');
          const at = pieces.length > 0 ? pieces[0].at : c.start;
          row.push({
            text: pieces.map((p) => p.text).join('\n'),
            prov: { kind: 'table', table: index, row: r + 1, cell: k + 1, line: ln + 1, column: at + 1 },
          });
        });
        cells += row.length;
        rows.push(row);
      });
      if (cells > LIMITS.maxCells) {
        throw new ReadError(
          'too-large',
          file,
          `文件“${file}”中的表格单元格超过 ${LIMITS.maxCells} 个，无法读取。`,
          `"${file}" has more than ${LIMITS.maxCells} table cells.`,
        );
      }
      blocks.push({ type: 'table', rows, prov: { kind: 'text', line: i + 1, column: lead + 1 } });
      i = j;
      continue;
    }

    // thematic breaks, setext underlines, link reference definitions
    if (/^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$/.test(line) || /^ {0,3}\[[^\]]+\]:\s*\S+\s*$/.test(line)) {
      i++;
      continue;
    }

    // a paragraph line: strip block markers, keep ordered-list numbers
    let off = lead;
    for (let guard = 0; guard < 20; guard++) {
      if (line[off] === '>') {
        off++;
        while (off < line.length && WS.test(line[off])) off++;
        continue;
      }
      const rest = line.slice(off, off + 12);
      const heading = /^#{1,6}(?=[ \t]|$)/.exec(rest);
      if (heading) {
        off += heading[0].length;
        while (off < line.length && WS.test(line[off])) off++;
        continue;
      }
      const bullet = /^[-*+][ \t]+(?:\[[ xX]\][ \t]+)?/.exec(rest);
      if (bullet) {
        off += bullet[0].length;
        while (off < line.length && WS.test(line[off])) off++;
        continue;
      }
      break;
    }
    let content = line.slice(off);
    // closing sequence of an ATX heading
    if (/^ {0,3}(?:>\s*)*#{1,6}(?:[ \t]|$)/.test(line)) content = content.replace(/[ \t]+#+[ \t]*$/, '').replace(/^#+[ \t]*$/, '');
    for (const p of inline(content, off)) paragraph(p, i + 1, off);
    i++;
  }
  if (blocks.length === 0) throw new ReadError('empty', file, `文件“${file}”中没有可读取的文字。`, `"${file}" contains no readable text.`);
  return { kind: 'markdown', source: file, blocks };
}
