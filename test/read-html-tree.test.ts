/**
 * The fast tree builder (src/read/html-tree.ts) against parse5, the authority:
 * wherever the builder accepts a page, its tree must be parse5's tree, node
 * for node; and the HTML reader must read every page the same with the
 * builder on or off (text, tables, provenance).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';
import { builtTree, htmlParsePath, readHtml, setTreeBuilder } from '../src/read/html.js';
import { sampleReport2019, sampleReport2021 } from './helpers/arbitrary.js';
import { toHtml } from './helpers/variants.js';

interface Plain {
  n: string;
  a?: [string, string][];
  ns?: string;
  v?: string;
  d?: string;
  dt?: [string, string, string];
  c?: Plain[];
}

/** a tree as plain data: what the reader can see of it (the document mode aside) */
// biome-ignore lint/suspicious/noExplicitAny: parse5 and built nodes alike
function plain(n: any): Plain {
  const o: Plain = { n: n.nodeName };
  if (n.attrs) o.a = n.attrs.map((a: { name: string; value: string }) => [a.name, a.value]);
  if (n.namespaceURI) o.ns = n.namespaceURI;
  if ('value' in n) o.v = n.value;
  if ('data' in n) o.d = n.data;
  if (n.nodeName === '#documentType') o.dt = [n.name, n.publicId, n.systemId];
  if (n.childNodes) o.c = n.childNodes.map(plain);
  return o;
}

/** the builder's tree equals parse5's, or the builder declined; true when it built */
function agrees(src: string): boolean {
  const built = builtTree(src);
  if (built === null) return false;
  expect(plain(built)).toEqual(plain(parse(src.replace(/\r\n?/g, '\n'))));
  return true;
}

/** NIANBAO_FUZZ_SCALE=100 runs the properties a hundred times longer (for a search by hand) */
const scale = Number(process.env.NIANBAO_FUZZ_SCALE ?? 1);

const fixtures = fileURLToPath(new URL('./fixtures/html/', import.meta.url));

const page = (body: string, head = '<title>t</title>') =>
  `<!DOCTYPE html>\n<html>\n<head>\n${head}\n</head>\n<body>\n${body}\n</body>\n</html>\n`;

// token vocabulary for random pages: tags the builder handles and ones it must decline
const tagNames = [
  'div',
  'p',
  'span',
  'b',
  'font',
  'a',
  'strong',
  'table',
  'tbody',
  'thead',
  'tr',
  'td',
  'th',
  'caption',
  'colgroup',
  'col',
  'ul',
  'li',
  'h1',
  'h2',
  'o:p',
  'center',
  'form',
  'button',
  'br',
  'img',
  'input',
  'hr',
  'title',
  'style',
  'script',
  'noscript',
  'meta',
  'head',
  'body',
  'html',
  'pre',
  'select',
  'svg',
  'template',
  'textarea',
];
const attr = fc.constantFrom(
  '',
  ' rowspan="2"',
  ' colspan=3',
  " class='a b'",
  ' id=zoom',
  ' style="display:none"',
  ' hidden',
  ' title="a&amp;b&copy"',
  ' x=1 x=2',
  ' data-X="&lt;"',
  ' width=50%',
);
const text = fc.constantFrom(
  '文字',
  ' ',
  '\n',
  '\t\n  ',
  'abc',
  '&nbsp;',
  '&amp;',
  '&lt;p&gt;',
  '&#12288;',
  '&copy2021',
  '&notit;',
  '&#32;',
  '<',
  '&',
  '一、总体情况',
  '0',
  '1,234',
  '  12 ',
);
const tag = fc.oneof(
  fc
    .tuple(fc.constantFrom(...tagNames), attr, fc.boolean(), fc.boolean())
    .map(([n, a, up, sc]) => `<${up ? n.toUpperCase() : n}${a}${sc ? '/' : ''}>`),
  fc.tuple(fc.constantFrom(...tagNames), fc.boolean()).map(([n, up]) => `</${up ? n.toUpperCase() : n}>`),
);
const other = fc.constantFrom('<!-- c -->', '<!---->', '<!--->', '<![if !x]>', '<?php x?>', '</ x>', '</>', '<!doctype html>');
const token = fc.oneof({ weight: 5, arbitrary: tag }, { weight: 4, arbitrary: text }, { weight: 1, arbitrary: other });

// nested random pages (end tags sometimes left out): mostly accepted, so the comparison is exercised
type Tree = { tag: string; attrs: string; kids: (Tree | string)[]; close: boolean };
const leafText = fc.constantFrom('文字', '第一', ' ', '\n', '&nbsp;', '12', 'a&amp;b', '&#x3000;', '<!-- 注释 -->', '<br>', '<img src=x>');
const closes = fc.nat(19).map((n) => n > 1); // one end tag in ten left out
const node = fc.letrec<{ node: Tree | string; cell: Tree; row: Tree; table: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafText,
    fc.record({
      tag: fc.constantFrom(
        'span',
        'b',
        'font',
        'strong',
        'o:p',
        'a',
        'div',
        'p',
        'ul',
        'li',
        'h1',
        'h2',
        'dl',
        'dd',
        'dt',
        'form',
        'center',
        'em',
        'sup',
      ),
      attrs: attr,
      kids: fc.array(tie('node'), { maxLength: 3 }),
      close: closes,
    }),
    tie('table'),
  ),
  cell: fc.record({ tag: fc.constantFrom('td', 'th'), attrs: attr, kids: fc.array(tie('node'), { maxLength: 3 }), close: closes }),
  row: fc.record({
    tag: fc.constant('tr'),
    attrs: fc.constant(''),
    kids: fc.array(tie('cell'), { minLength: 1, maxLength: 3 }),
    close: closes,
  }),
  table: fc.record({
    tag: fc.constantFrom('table', 'table', 'table+tbody', 'table+caption', 'table+colgroup', 'table+thead'),
    attrs: attr,
    kids: fc.array(tie('row'), { minLength: 1, maxLength: 3 }),
    close: closes,
  }),
}));
const block = node.node;
const serialize = (t: Tree | string, ws: string): string => {
  if (typeof t === 'string') return t;
  const [tag, extra] = t.tag.split('+');
  const inner = t.kids.map((k) => serialize(k, ws)).join(tag === 'table' || tag === 'tr' ? ws : '');
  let open = `<${tag}${t.attrs}>`;
  let close = t.close ? `</${tag}>` : '';
  if (extra === 'tbody' || extra === 'thead') {
    open += `${ws}<${extra}>`;
    close = `</${extra}>${ws}${close}`;
  } else if (extra === 'caption') open += `<caption>表<b>一</b></caption>${ws}`;
  else if (extra === 'colgroup') open += `<colgroup><col width=1>${ws}<col></colgroup>${ws}<col span=2>`;
  return `${open}${tag === 'table' ? ws : ''}${inner}${ws}${close}`;
};

describe('html-tree: pages it builds are built as parse5 builds them', () => {
  it('builds a machine-written report page (navigation, tables, scripts) exactly as parse5', async () => {
    const seeds = join(fileURLToPath(new URL('../../shared/seeds/', import.meta.url)));
    const names = readdirSync(seeds).filter((f) => f.endsWith('.txt'));
    const reports = [sampleReport2021(), sampleReport2019()];
    for (const f of names) reports.push(await parseBytes(new Uint8Array(readFileSync(join(seeds, f))), f));
    for (const r of reports) {
      for (const opts of [{}, { chrome: true, brInLabels: true }, { blankMark: '&nbsp;' as const }, { blankMark: '—' as const }]) {
        const src = toHtml(r, opts);
        expect(agrees(src)).toBe(true);
        expect(htmlParsePath(src)).toBe('built');
      }
    }
    expect(agrees(readFileSync(join(fixtures, 'report-2021.html'), 'utf8'))).toBe(true);
  });

  it('builds the implied html, head, body and tbody, whitespace and comments where parse5 puts them', () => {
    for (const src of [
      '<p>只有正文</p>',
      '<!-- before --><html><!-- in html --><head> <title>a&amp;b</title> </head> <body><p>x</p></body> <!-- after body --></html> <!-- end -->\n',
      '<title>t</title><table>\n<tr><td>1</td></tr>\n</table>',
      '<body><table><colgroup><col width="10"><col></colgroup><caption>表<b>一</b></caption><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table></body>',
      '<body><table><col width=1><col width=2><tr><td>x</td></tr></table></body>',
      '<body><table>\n  <tbody>\n  <tr><td>1</td></tr></table>后</body>',
      '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><head><meta charset=utf-8><style>td{x:1}</style><script>if (a < b) {}</script><noscript><p>x</p></noscript></head><body></body></html>',
      page(
        '<p class=MsoNormal><span lang=EN-US style=\'font-size:12pt\'>1<o:p></o:p></span></p><![if !supportLists]>x<![endif]><?xml version="1.0"?></ bogus>',
      ),
      page('<DIV ID="zoom" Class=a class=b>A &copy2021 &notit; &#x3000;&#32;&nbsp;B &lt;&gt; &#128; &#0; &amp</DIV>'),
      page('<p>a<br/>b<br>c</p><ul><li>1</li><li>2</li></ul><form action=x><input name=q value="请输入"><button>搜</button></form>'),
      page('<p><span class="T1"/></p><div><span>a<span>b</div><h1><span>标题</h1>'),
      // end tags the standard implies: p before a block, li before li, cells and rows before the next
      page('<p>一<p>二<div>三</div><p>四<ul><li>1<li>2<p>x</ul><dl><dt>a<dd>b<dt>c</dl>'),
      page('<table><tr><td><p>x<td><b>粗<font>体</td><th>y</tr><tr><td>1<td>2</table>后'),
      page('<table><tbody><tr><td>1</tbody><thead><tr><th>h</thead></table>'),
      page('<table><tr><td>1<tr><td>2</tr></table><table><tr><td><span>x</table>'),
    ]) {
      expect(agrees(src), src).toBe(true);
      const upper = src.replace(/<\/?[a-z][a-z0-9:]*/g, (m) => m.toUpperCase());
      expect(agrees(upper), upper).toBe(true);
    }
  });

  it("declines what needs the standard's error recovery (and parse5 reads it)", () => {
    const declined = [
      page('<p>a<div>b</div></p>'),
      page('<b><i>x</b></i>'),
      page('<table><tr><td>1</td></tr>文字</table>'),
      page('<a href=1>x<a href=2>y</a></a>'),
      page('<p>x<table><tr><td>1</td></tr></table></p>'),
      page('<select><option>1</select>'),
      page('<svg><title>x</title></svg>'),
      page('<td>1</td>'),
      page('<div>x</span></div>'),
      page('<p>x</p></p>'),
      page('<!-- unterminated'),
      page(`${'<span>'.repeat(300)}x`), // deeper than the builder goes
      '<html><head><title>t</title></head><meta charset=utf-8><body>x</body>', // moved into the head
    ];
    for (const src of declined) {
      expect(builtTree(src), src).toBeNull();
      expect(htmlParsePath(src)).not.toBe('built');
    }
  });

  let built = 0;
  let runs = 0;

  it('random token soups: built trees equal parse5 trees', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        runs++;
        if (agrees(tokens.join(''))) built++;
      }),
      { numRuns: 1500 * scale },
    );
    // the property compares trees only where the builder accepted: make sure it did, often enough
    expect(built).toBeGreaterThan(runs / 100);
  });

  let nestedBuilt = 0;
  let nestedRuns = 0;

  it('random well-nested pages: built trees equal parse5 trees', () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 6 }), fc.constantFrom('', '\n', '\n  '), fc.boolean(), (blocks, ws, wrap) => {
        nestedRuns++;
        const body = blocks.map((b) => serialize(b, ws)).join(ws);
        if (agrees(wrap ? page(body) : body)) nestedBuilt++;
      }),
      { numRuns: 1500 * scale },
    );
    expect(nestedBuilt).toBeGreaterThan(nestedRuns / 8);
  });
});

describe('html-tree: the reader reads the same with the builder on or off', () => {
  const read = (src: string, on: boolean) => {
    const was = setTreeBuilder(on);
    try {
      return readHtml(src, 'page.html');
    } catch (e) {
      return String(e);
    } finally {
      setTreeBuilder(was);
    }
  };

  it('same blocks and provenance for report pages in several layouts and for the fixture', () => {
    const reports = [sampleReport2021(), sampleReport2019()];
    const pages = [readFileSync(join(fixtures, 'report-2021.html'), 'utf8')];
    for (const r of reports) {
      pages.push(
        toHtml(r, { chrome: true, brInLabels: true }),
        toHtml(r, { blankMark: '&nbsp;' }),
        toHtml(r).replace(/\n/g, '\r\n'),
        // hand-written style: the end tags HTML lets one leave out
        toHtml(r, { chrome: true }).replace(/<\/(td|tr|p|li|tbody)>/g, ''),
      );
    }
    for (const src of pages) {
      expect(htmlParsePath(src)).toBe('built');
      expect(read(src, true)).toEqual(read(src, false));
    }
  });

  it('same blocks and provenance for random well-nested pages with entities and whitespace', () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 6 }), fc.constantFrom('', '\n', '\n  '), (blocks, ws) => {
        const src = page(blocks.map((b) => serialize(b, ws)).join(ws));
        expect(read(src, true)).toEqual(read(src, false));
      }),
      { numRuns: 400 * scale },
    );
  });
});
