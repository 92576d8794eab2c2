import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Block, Cell, ParagraphBlock, TableBlock } from '../src/read/document.js';
import { ReadError } from '../src/read/errors.js';
import { readHtml } from '../src/read/html.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/html/${name}`, import.meta.url));
const source = readFileSync(fixture('report-2021.html'), 'utf8');
const srcLines = source.split('\n');

const paragraphs = (blocks: Block[]) => blocks.filter((b): b is ParagraphBlock => b.type === 'paragraph');
const tables = (blocks: Block[]) => blocks.filter((b): b is TableBlock => b.type === 'table');
const texts = (blocks: Block[]) => paragraphs(blocks).map((p) => p.text);

function tableProv(c: Cell) {
  if (c.prov.kind !== 'table') throw new Error(`cell without table provenance: ${JSON.stringify(c)}`);
  return c.prov;
}

describe('readHtml on a saved 2021-format report page', () => {
  const doc = readHtml(source, 'report-2021.html');

  it('is an html document named after the file', () => {
    expect(doc.kind).toBe('html');
    expect(doc.source).toBe('report-2021.html');
  });

  it('emits the <title> first, with its position', () => {
    const first = doc.blocks[0];
    expect(first).toEqual({
      type: 'paragraph',
      text: '某市生态环境局2021年政府信息公开工作年度报告_某市人民政府',
      prov: { kind: 'text', line: 7, column: 3 },
    });
  });

  it('keeps the article (heading, date line, body) and drops navigation, sidebar, footer, scripts, hidden text', () => {
    const t = texts(doc.blocks);
    expect(t[1]).toBe('某市生态环境局2021年政府信息公开工作年度报告');
    expect(t[2]).toBe('发布时间：2022-01-20 来源：某市生态环境局');
    const all = JSON.stringify(doc.blocks);
    for (const noise of ['首页', '往年年报', '2008年', '网站标识码', 'ICP', '脚本', 'document', '隐藏的统计代码', 'float']) {
      expect(all).not.toContain(noise);
    }
    // the only occurrence of the script's fake heading is the real one
    expect(t.filter((x) => x === '二、主动公开政府信息情况')).toHaveLength(1);
  });

  it('joins source line breaks between Chinese characters and splits paragraphs at <br>', () => {
    const t = texts(doc.blocks);
    expect(t).toContain('2021年，我局认真贯彻落实《条例》，全年共收到政府信息公开申请49件，办理答复46件。');
    expect(t).toContain('（一）主动公开。全年主动公开政府信息1260条。');
    const br = paragraphs(doc.blocks).find((p) => p.text.startsWith('（一）主动公开'))!;
    expect(br.prov).toEqual({ kind: 'text', line: 48, column: 23 });
  });

  it('produces the three tables in order, after their headings', () => {
    const ts = tables(doc.blocks);
    expect(ts.map((t) => t.rows.length)).toEqual([14, 28, 4]);
    const idx = (s: string) => doc.blocks.findIndex((b) => b.type === 'paragraph' && b.text === s);
    const tIdx = ts.map((t) => doc.blocks.indexOf(t));
    expect(idx('二、主动公开政府信息情况')).toBe(tIdx[0] - 1);
    expect(idx('三、收到和处理政府信息公开申请情况')).toBe(tIdx[1] - 1);
    expect(idx('四、政府信息公开行政复议、行政诉讼情况')).toBe(tIdx[2] - 1);
    expect(ts.map((t) => t.prov)).toEqual([
      { kind: 'text', line: 50, column: 1 },
      { kind: 'text', line: 68, column: 1 },
      { kind: 'text', line: 100, column: 1 },
    ]);
  });

  it('reads table A with colspans and blank &nbsp; cells', () => {
    const [a] = tables(doc.blocks);
    expect(a.rows[0]).toHaveLength(1);
    expect(a.rows[0][0].text).toBe('第二十条第（一）项');
    expect(a.rows[0][0].colspan).toBe(4);
    expect(a.rows[1].map((c) => c.text)).toEqual(['信息内容', '本年制发件数', '本年废止件数', '现行有效件数']);
    expect(a.rows[3].map((c) => c.text)).toEqual(['行政规范性文件', '3', '1', '25']);
    expect(a.rows[10].map((c) => [c.text, c.colspan])).toEqual([
      ['行政强制', undefined],
      ['', 3],
    ]);
    expect(a.rows[13][1]).toMatchObject({ text: '12.5', colspan: 3 });
  });

  it('reads table B header merges as written (not expanded)', () => {
    const b = tables(doc.blocks)[1];
    const [r1, r2, r3] = b.rows;
    expect(r1).toHaveLength(2);
    expect(r1[0]).toMatchObject({
      text: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）',
      colspan: 3,
      rowspan: 3,
    });
    expect(r1[1]).toMatchObject({ text: '申请人情况', colspan: 7 });
    expect(r1[1].rowspan).toBeUndefined();
    expect(r2.map((c) => [c.text, c.colspan, c.rowspan])).toEqual([
      ['自然人', undefined, 2],
      ['法人或其他组织', 5, undefined],
      ['总计', undefined, 2],
    ]);
    expect(r3.map((c) => c.text)).toEqual(['商业\n企业', '科研\n机构', '社会公益\n组织', '法律服务\n机构', '其他']);
  });

  it('reads table B body rows with the rowspan-22 outcome block', () => {
    const b = tables(doc.blocks)[1];
    expect(b.rows[3].map((c) => c.text)).toEqual(['一、本年新收政府信息公开申请数量', '40', '6', '0', '0', '2', '1', '49']);
    expect(b.rows[3][0].colspan).toBe(3);
    const r6 = b.rows[5];
    expect(r6).toHaveLength(9);
    expect(r6[0]).toMatchObject({ text: '三、本年度办理结果', rowspan: 22 });
    expect(r6[1]).toMatchObject({ text: '（一）予以公开', colspan: 2 });
    expect(b.rows[6]).toHaveLength(8);
    expect(b.rows[7][0]).toMatchObject({ text: '（三）不予公开', rowspan: 8 });
    expect(b.rows[7][1].text).toBe('1.属于国家秘密');
    // &nbsp; cells are blank
    expect(b.rows[7].slice(2).map((c) => c.text)).toEqual(['0', '0', '', '', '0', '0', '0']);
    expect(b.rows[8]).toHaveLength(8);
    expect(b.rows[14][0].text).toBe('8.属于行政查询事项');
    expect(b.rows[15][0]).toMatchObject({ text: '（四）无法提供', rowspan: 3 });
    expect(b.rows[18][0]).toMatchObject({ text: '（五）不予处理', rowspan: 5 });
    expect(b.rows[23][0]).toMatchObject({ text: '（六）其他处理', rowspan: 3 });
    expect(b.rows[26].map((c) => c.text)).toEqual(['（七）总计', '39', '5', '0', '0', '2', '0', '46']);
    expect(b.rows[27].map((c) => c.text)).toEqual(['四、结转下年度继续办理', '3', '2', '0', '0', '0', '1', '6']);
    const cellCount = b.rows.reduce((n, r) => n + r.length, 0);
    expect(cellCount).toBe(2 + 3 + 5 + 8 * 2 + 9 + 8 + 9 + 7 * 8 + 9 + 8 * 2 + 9 + 8 * 4 + 9 + 8 * 2 + 8 + 8);
  });

  it('reads table C with rowspan-2 sub-labels and colspan-5 groups', () => {
    const c = tables(doc.blocks)[2];
    expect(c.rows.map((r) => r.length)).toEqual([2, 7, 10, 15]);
    expect(c.rows[0].map((x) => [x.text, x.colspan])).toEqual([
      ['行政复议', 5],
      ['行政诉讼', 10],
    ]);
    expect(c.rows[1][0]).toMatchObject({ text: '结果\n维持', rowspan: 2 });
    expect(c.rows[1][4]).toMatchObject({ text: '总计', rowspan: 2 });
    expect(c.rows[1][5]).toMatchObject({ text: '未经复议直接起诉', colspan: 5 });
    expect(c.rows[1][6]).toMatchObject({ text: '复议后起诉', colspan: 5 });
    expect(c.rows[3].map((x) => Number(x.text))).toEqual([1, 0, 0, 1, 2, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('gives every cell its table/row/cell index and the position of its start tag', () => {
    tables(doc.blocks).forEach((t, ti) => {
      t.rows.forEach((row, ri) => {
        row.forEach((cell, ci) => {
          const p = tableProv(cell);
          expect([p.table, p.row, p.cell]).toEqual([ti + 1, ri + 1, ci + 1]);
          expect(srcLines[p.line! - 1].slice(p.column! - 1).startsWith('<td')).toBe(true);
        });
      });
    });
    const b = tables(doc.blocks)[1];
    expect(b.rows[0][0].prov).toEqual({ kind: 'table', table: 2, row: 1, cell: 1, line: 70, column: 5 });
    expect(b.rows[5][0].prov).toMatchObject({ line: 75, column: 5 });
    expect(b.rows[5][8].prov).toMatchObject({ row: 6, cell: 9, line: 75, column: 125 });
  });

  it('points every paragraph at its first visible character', () => {
    for (const p of paragraphs(doc.blocks)) {
      if (p.prov.kind !== 'text') throw new Error('paragraph without text provenance');
      const at = srcLines[p.prov.line - 1].slice(p.prov.column - 1);
      expect(at.startsWith(p.text.slice(0, 2)), `${p.text} at ${p.prov.line}:${p.prov.column}`).toBe(true);
    }
  });

  it('gives the same result for CRLF line endings', () => {
    const crlf = readHtml(source.replace(/\n/g, '\r\n'), 'report-2021.html');
    expect(crlf).toEqual(doc);
  });
});

describe('readHtml structure rules', () => {
  const html = (body: string, head = '') => `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`;

  it('reads the whole body when no article container holds the report', () => {
    const d = readHtml(html('<div class="nav">首页</div><div class="content">新闻</div><p>正文</p>'), 'x.html');
    expect(texts(d.blocks)).toEqual(['首页', '新闻', '正文']);
  });

  it('restricts to the article once it holds the report, preferring the innermost container', () => {
    const nav = '<ul>' + '<li><a>栏目链接文字很长很长很长很长很长很长很长很长</a></li>'.repeat(20) + '</ul>';
    const d = readHtml(
      html(`<div id="content">${nav}<div class="TRS_Editor"><p>一、总体情况</p><p>二、主动公开政府信息情况</p></div></div>`),
      'x.html',
    );
    expect(texts(d.blocks)).toEqual(['一、总体情况', '二、主动公开政府信息情况']);
  });

  it('recognises the article by a table holding 自然人', () => {
    const d = readHtml(html('<p>导航</p><div id="zoom"><table><tr><td>自然人</td><td>1</td></tr></table></div>'), 'x.html');
    expect(d.blocks).toHaveLength(1);
    expect(d.blocks[0].type).toBe('table');
  });

  it('does not let a layout table swallow the data tables it contains', () => {
    const src = [
      '<table class="layout"><tr>',
      '<td class="side">栏目导航</td>',
      '<td>正文开始',
      '<table><tr><td>规章</td><td>0</td></tr></table>',
      '中间文字<br>第二行',
      '<table><tr><th>行政许可</th><th colspan="2">5</th></tr></table>',
      '</td></tr></table>',
    ].join('\n');
    const d = readHtml(src, 'layout.html');
    expect(d.blocks.map((b) => (b.type === 'table' ? `T${b.rows[0].length}` : b.text))).toEqual([
      '栏目导航',
      '正文开始',
      'T2',
      '中间文字',
      '第二行',
      'T2',
    ]);
    const [t1, t2] = tables(d.blocks);
    expect(t1.rows[0][0].prov).toEqual({ kind: 'table', table: 1, row: 1, cell: 1, line: 4, column: 12 });
    expect(t2.rows[0][1]).toMatchObject({ text: '5', colspan: 2, prov: { table: 2, row: 1, cell: 2, line: 6, column: 25 } });
  });

  it('separates block children of a cell by newlines and collapses inline whitespace', () => {
    const d = readHtml(
      '<table><tr><td><p>本年新</p><p>制作  数量</p></td><td>  a \n\t b </td><td>&nbsp;&nbsp;</td><td> <br> </td></tr></table>',
      'x',
    );
    expect(tables(d.blocks)[0].rows[0].map((c) => c.text)).toEqual(['本年新\n制作 数量', 'a b', '', '']);
  });

  it('reads thead/tbody/tfoot rows in source order and th cells', () => {
    const d = readHtml(
      '<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody><tfoot><tr><td>Σ</td></tr></tfoot></table>',
      'x',
    );
    expect(tables(d.blocks)[0].rows.map((r) => r[0].text)).toEqual(['A', '1', 'Σ']);
  });

  it('copies spans: invalid ones dropped, rowspan="0" runs to the last row, huge ones clamped', () => {
    const d = readHtml(
      '<table><tr><td colspan="abc">a</td><td colspan="2px">b</td><td rowspan="0">c</td><td colspan="5000">d</td></tr><tr><td>e</td></tr><tr><td>f</td></tr></table>',
      'x',
    );
    const r = tables(d.blocks)[0].rows[0];
    expect(r.map((c) => [c.colspan, c.rowspan])).toEqual([
      [undefined, undefined],
      [2, undefined],
      [undefined, 3],
      [1000, undefined],
    ]);
  });

  it('keeps empty rows so that rowspans stay aligned, and skips tables without cells', () => {
    const d = readHtml('<table></table><table><tr><td rowspan="2">a</td></tr><tr></tr><tr><td>b</td></tr></table>', 'x');
    const ts = tables(d.blocks);
    expect(ts).toHaveLength(1);
    expect(ts[0].rows.map((r) => r.length)).toEqual([1, 0, 1]);
    expect(tableProv(ts[0].rows[2][0])).toMatchObject({ table: 1, row: 3, cell: 1 });
  });

  it('gives cells of implied rows a position (tr-less table)', () => {
    const d = readHtml('<p>x</p>\n<table><td>a</td><td>b</td></table>', 'x');
    expect(tables(d.blocks)[0].rows[0][1].prov).toEqual({ kind: 'table', table: 1, row: 1, cell: 2, line: 2, column: 18 });
  });

  it('emits a caption as a paragraph before its table', () => {
    const d = readHtml('<table><caption>表一</caption><tr><td>a</td></tr></table>', 'x');
    expect(d.blocks.map((b) => b.type)).toEqual(['paragraph', 'table']);
    expect((d.blocks[0] as ParagraphBlock).text).toBe('表一');
  });

  it('keeps line breaks inside <pre>', () => {
    const d = readHtml('<pre>一、总体情况\n  本机关……\n</pre>', 'x');
    expect(texts(d.blocks)).toEqual(['一、总体情况', '本机关……']);
    expect(paragraphs(d.blocks)[1].prov).toEqual({ kind: 'text', line: 2, column: 3 });
  });

  it('skips hidden elements, comments, noscript, template and select menus', () => {
    const d = readHtml(
      '<p hidden>a</p><p style="color:red; display: none">b</p><!-- c --><noscript>d</noscript><template>e</template><select><option>f</option></select><p>g &lt;h&gt;</p>',
      'x',
    );
    expect(texts(d.blocks)).toEqual(['g <h>']);
  });

  it('points a paragraph indented with ideographic spaces at its first character', () => {
    const d = readHtml('<p><span>\u3000\u3000</span>本报告</p>', 'x');
    expect(d.blocks).toEqual([{ type: 'paragraph', text: '本报告', prov: { kind: 'text', line: 1, column: 19 } }]);
  });

  it('keeps a space between Latin words across a source line break', () => {
    const d = readHtml('<p>GB/T\n9704 标准\n（试行）</p>', 'x');
    expect(texts(d.blocks)).toEqual(['GB/T 9704 标准（试行）']);
  });

  it('throws ReadError empty for a page without text', () => {
    for (const src of ['', '   ', '<html><head><script>var a</script></head><body> &nbsp; </body></html>']) {
      expect(() => readHtml(src, 'blank.html')).toThrowError(ReadError);
      try {
        readHtml(src, 'blank.html');
      } catch (e) {
        expect((e as ReadError).code).toBe('empty');
        expect((e as ReadError).message).toContain('blank.html');
      }
    }
  });

  it('survives very deep nesting without stack overflow', () => {
    const deepTables = '<table><tr><td>'.repeat(2000) + '自然人';
    const d1 = readHtml(deepTables, 'deep.html');
    expect(JSON.stringify(d1.blocks)).toContain('自然人');
    const d2 = readHtml('<div>'.repeat(20000) + '正文', 'deep.html');
    expect(texts(d2.blocks)).toEqual(['正文']);
  });
});

describe('readHtml provenance from the source locations of parse5', () => {
  /** the source from a 1-based line/column on */
  const from = (src: string, line: number, column: number) => src.split('\n')[line - 1].slice(column - 1);

  /** every cell points at its start tag, every paragraph at its first character (or the reference that writes it) */
  function expectPositionsInSource(src: string, blocks: Block[]) {
    for (const b of blocks) {
      if (b.type === 'paragraph') {
        if (b.prov.kind !== 'text') throw new Error('paragraph without text provenance');
        const at = from(src, b.prov.line, b.prov.column);
        const where = `${b.text} at ${b.prov.line}:${b.prov.column}: ${at.slice(0, 20)}`;
        expect(at.startsWith(b.text[0]) || at.startsWith('&'), where).toBe(true);
        continue;
      }
      for (const row of b.rows) {
        for (const cell of row) {
          const p = tableProv(cell);
          expect(from(src, p.line!, p.column!).slice(0, 3).toLowerCase(), cell.text).toMatch(/^<t[dh]$/);
        }
      }
    }
  }

  it('skips markup that only looks like cells: scripts, comments, attribute values, raw text', () => {
    const src = [
      '<html><head><title>标题</title>',
      '<script>var s = "<table><tr><td>x</td></tr></table>"; if (a < b && c) {}</script>',
      '<script><!-- document.write("<script>var t = \'<td>\';</script>"); --></script>',
      '<style>td > p { color: red }</style></head><body>',
      '<!-- <td>commented out</td> --><a title="<td>" href=x>链接</a>',
      '<textarea><td>not a cell</td></textarea><xmp><td>literal</td></xmp>',
      '<table><TR><TD class="a">甲</TD><th>乙</th></TR>',
      '<tr><td\ncolspan=2>丙</td></tr></table>',
      '<p>&nbsp;&nbsp;<b></b>&ldquo;引号&rdquo;在前</p><p>&copy2021 版权</p>',
      '</body></html>',
    ].join('\n');
    const d = readHtml(src, 'x.html');
    expect(texts(d.blocks)).toEqual(['标题', '链接 <td>literal</td>', '“引号”在前', '©2021 版权']);
    const [t] = tables(d.blocks);
    expect(t.rows.map((r) => r.map((c) => c.text))).toEqual([['甲', '乙'], ['丙']]);
    expect(t.rows[1][0].prov).toEqual({ kind: 'table', table: 1, row: 2, cell: 1, line: 8, column: 5 });
    expect(paragraphs(d.blocks)[2].prov).toEqual({ kind: 'text', line: 10, column: 23 });
    expectPositionsInSource(src, d.blocks);
  });

  it('keeps exact positions when the parser drops a stray cell', () => {
    const src = '<p>前言</p><td>游离</td>\n<table><tr><td>a</td><td>b</td></tr></table>\n<p>&nbsp;后记</p>';
    const d = readHtml(src, 'x.html');
    expect(texts(d.blocks)).toEqual(['前言', '游离', '后记']);
    expect(tables(d.blocks)[0].rows[0][1].prov).toEqual({ kind: 'table', table: 1, row: 1, cell: 2, line: 2, column: 22 });
    expect(paragraphs(d.blocks)[2].prov).toEqual({ kind: 'text', line: 3, column: 10 });
    expectPositionsInSource(src, d.blocks);
  });

  it('points a paragraph past references to blanks, stray end tags and the line break after <pre>', () => {
    const src = [
      '<body>',
      '<p>&#12288;&#x3000;&nbsp;&#32;正文</p>',
      '<p>\u3000</font></span>文字</p>',
      '<pre>',
      '  a&amp;b',
      '&lt;c&gt; d',
      '</pre>',
      '<pre>\n\n  末行</pre>',
    ].join('\n');
    const d = readHtml(src, 'x.html');
    expect(d.blocks).toEqual([
      { type: 'paragraph', text: '正文', prov: { kind: 'text', line: 2, column: 31 } },
      { type: 'paragraph', text: '文字', prov: { kind: 'text', line: 3, column: 19 } },
      { type: 'paragraph', text: 'a&b', prov: { kind: 'text', line: 5, column: 3 } },
      { type: 'paragraph', text: '<c> d', prov: { kind: 'text', line: 6, column: 1 } },
      { type: 'paragraph', text: '末行', prov: { kind: 'text', line: 10, column: 3 } },
    ]);
    expectPositionsInSource(src, d.blocks);
  });

  it('reads a page with the end tags HTML lets one leave out as the same page with them', () => {
    const cells = (b: Block[]) => tables(b).map((t) => t.rows.map((r) => r.map((c) => [c.text, c.colspan, c.rowspan])));
    const full = readHtml(source, 'report-2021.html').blocks;
    const src = source.replace(/<\/(td|th|tr|p|li|tbody)>/gi, '');
    const short = readHtml(src, 'report-2021.html').blocks;
    expect(texts(short)).toEqual(texts(full));
    expect(cells(short)).toEqual(cells(full));
    expectPositionsInSource(src, short);
  });

  it('gives valid positions on mutations of the report page', () => {
    const lines = source.split('\n');
    for (let i = 5; i < lines.length; i += 7) {
      const cut = lines.slice(0, i).join('\n') + lines.slice(i + 1).join('\n');
      const d = readHtml(cut, 'cut.html');
      expectPositionsInSource(cut, d.blocks);
    }
  });
});
