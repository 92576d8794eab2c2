import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Block, Cell, ParagraphBlock, TableBlock } from '../src/read/document.js';
import { ReadError } from '../src/read/errors.js';
import { readMarkdown } from '../src/read/markdown.js';

const source = readFileSync(fileURLToPath(new URL('./fixtures/markdown/report-004.md', import.meta.url)), 'utf8');
const srcLines = source.split('\n');

const paragraphs = (blocks: Block[]) => blocks.filter((b): b is ParagraphBlock => b.type === 'paragraph');
const tables = (blocks: Block[]) => blocks.filter((b): b is TableBlock => b.type === 'table');
const texts = (md: string) => paragraphs(readMarkdown(md, 't.md').blocks).map((p) => p.text);
const cells = (md: string) => tables(readMarkdown(md, 't.md').blocks).map((t) => t.rows.map((r) => r.map((c) => c.text)));

function tableProv(c: Cell) {
  if (c.prov.kind !== 'table') throw new Error(`cell without table provenance: ${JSON.stringify(c)}`);
  return c.prov;
}

describe('readMarkdown on the Markdown version of seed 004', () => {
  const doc = readMarkdown(source, 'report-004.md');

  it('is a markdown document with paragraphs and three tables in order', () => {
    expect(doc.kind).toBe('markdown');
    expect(doc.source).toBe('report-004.md');
    expect(doc.blocks.map((b) => (b.type === 'table' ? 'T' : 'P')).join('')).toBe('PPPPPPPPTPTPTPPPPPPPPPPP');
  });

  it('strips heading markers and keeps the position of the heading text', () => {
    expect(doc.blocks[0]).toEqual({
      type: 'paragraph',
      text: '文峰区南关街道办事处 2024 年政府信息公开工作年度报告',
      prov: { kind: 'text', line: 1, column: 3 },
    });
    expect(doc.blocks[1]).toEqual({ type: 'paragraph', text: '一、总体情况', prov: { kind: 'text', line: 3, column: 4 } });
  });

  it('removes strong emphasis around CJK punctuation', () => {
    const p = paragraphs(doc.blocks).find((x) => x.text.startsWith('1、加强'))!;
    expect(p.text.startsWith('1、加强政务公开管理规范。高度重视政务公开工作')).toBe(true);
    expect(p.text).not.toContain('*');
    expect(p.prov).toEqual({ kind: 'text', line: 7, column: 3 });
  });

  it('reads table A: header row plus body rows, bold removed, blank cells empty', () => {
    const a = tables(doc.blocks)[0];
    expect(a.rows).toHaveLength(14);
    expect(a.rows.every((r) => r.length === 4)).toBe(true);
    expect(a.rows[0].map((c) => c.text)).toEqual(['第二十条第（一）项', '', '', '']);
    expect(a.rows[1].map((c) => c.text)).toEqual(['信息内容', '本年制发件数', '本年废止件数', '现行有效件数']);
    expect(a.rows[4][0].text).toBe('第二十条第（五）项');
    expect(a.rows[4][0].prov).toEqual({ kind: 'table', table: 1, row: 5, cell: 1, line: 22, column: 5 });
    expect(a.rows[13].map((c) => c.text)).toEqual(['行政事业性收费', '0', '', '']);
    expect(a.prov).toEqual({ kind: 'text', line: 17, column: 1 });
  });

  it('reads table B with <br> variants as line breaks', () => {
    const b = tables(doc.blocks)[1];
    expect(b.rows).toHaveLength(28);
    expect(b.rows.every((r) => r.length === 10)).toBe(true);
    expect(b.rows[0][0].text).toBe('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）');
    expect(b.rows[0][3].text).toBe('申请人情况');
    expect(b.rows[2].slice(4, 9).map((c) => c.text)).toEqual(['商业\n企业', '科研\n机构', '社会公益\n组织', '法律服务\n机构', '其他']);
    expect(b.rows[5].slice(0, 4).map((c) => c.text)).toEqual(['三、本年度办理结果', '（一）予以公开', '', '0']);
    expect(b.rows[23].slice(1, 3).map((c) => c.text)).toEqual([
      '（六）其他处理',
      '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
    ]);
    expect(b.rows[27][0].text).toBe('四、结转下年度继续办理');
    expect(tableProv(b.rows[27][0])).toMatchObject({ table: 2, row: 28, line: 63, column: 3 });
  });

  it('delegates the HTML table to the HTML reader (spans kept, numbering continued)', () => {
    const c = tables(doc.blocks)[2];
    expect(c.rows.map((r) => r.length)).toEqual([2, 7, 10, 15]);
    expect(c.rows[0][1]).toMatchObject({ text: '行政诉讼', colspan: 10 });
    expect(c.rows[1][0]).toMatchObject({ text: '结果\n维持', rowspan: 2 });
    expect(c.rows[1][5]).toMatchObject({ text: '未经复议直接起诉', colspan: 5 });
    expect(c.rows[0][0].prov).toEqual({ kind: 'table', table: 3, row: 1, cell: 1, line: 68, column: 5 });
    expect(c.prov).toEqual({ kind: 'text', line: 67, column: 1 });
  });

  it('gives every cell its indices and a position inside the cell', () => {
    tables(doc.blocks).forEach((t, ti) => {
      t.rows.forEach((row, ri) => {
        row.forEach((cell, ci) => {
          const p = tableProv(cell);
          expect([p.table, p.row, p.cell]).toEqual([ti + 1, ri + 1, ci + 1]);
          const at = srcLines[p.line! - 1].slice(p.column! - 1);
          if (ti === 2) expect(at.startsWith('<td')).toBe(true);
          else if (cell.text === '') expect(/^\s*\|/.test(at)).toBe(true);
          else expect(at.replace(/^\*\*/, '').startsWith(cell.text.slice(0, 2))).toBe(true);
        });
      });
    });
  });

  it('strips bullet markers but keeps the item numbers of the report text', () => {
    const items = paragraphs(doc.blocks).filter((p) => /^\d\./.test(p.text));
    expect(items.map((p) => p.text.slice(0, 6))).toEqual([
      '1.政策解读',
      '2.信息化水',
      '3.公众参与',
      '1.丰富解读',
      '2.提高工作',
      '3.加大培训',
    ]);
    expect(items[0].prov).toEqual({ kind: 'text', line: 78, column: 3 });
    expect(paragraphs(doc.blocks).at(-1)).toEqual({
      type: 'paragraph',
      text: '本年度，本机关未收取信息公开处理费。',
      prov: { kind: 'text', line: 90, column: 1 },
    });
  });

  it('gives the same blocks for CRLF input', () => {
    expect(readMarkdown(source.replace(/\n/g, '\r\n'), 'report-004.md')).toEqual(doc);
  });
});

describe('readMarkdown block rules', () => {
  it('keeps ordered-list numbers and numbers that are not list markers', () => {
    expect(texts('1. 属于国家秘密\n1.属于国家秘密\n2) 其他\n-1.负数\n+3 件')).toEqual([
      '1. 属于国家秘密',
      '1.属于国家秘密',
      '2) 其他',
      '-1.负数',
      '+3 件',
    ]);
  });

  it('strips bullets, nested bullets, task boxes, blockquotes and heading closers', () => {
    expect(texts('* 甲\n+ 乙\n  - 丙\n- [x] 丁\n> 引用\n> > 二级\n## 标题 ##\n#不是标题')).toEqual([
      '甲',
      '乙',
      '丙',
      '丁',
      '引用',
      '二级',
      '标题',
      '#不是标题',
    ]);
  });

  it('drops thematic breaks, setext underlines, comments and reference definitions', () => {
    expect(texts('标题\n===\n正文\n\n---\n* * *\n<!-- 注释\n多行 -->\n[1]: http://example.com\n尾')).toEqual(['标题', '正文', '尾']);
  });

  it('keeps fenced code verbatim (no table, no inline processing)', () => {
    const d = readMarkdown('```text\n| a | b |\n|---|---|\n**x**\n```\n后文', 't.md');
    expect(d.blocks.map((b) => (b.type === 'paragraph' ? b.text : 'T'))).toEqual(['| a | b |', '|---|---|', '**x**', '后文']);
    expect(d.blocks[0].prov).toEqual({ kind: 'text', line: 2, column: 1 });
  });

  it('one paragraph per source line', () => {
    const d = readMarkdown('一、总体情况\n本机关2021年……\n\n  二、主动公开', 't.md');
    expect(paragraphs(d.blocks).map((p) => [p.text, p.prov])).toEqual([
      ['一、总体情况', { kind: 'text', line: 1, column: 1 }],
      ['本机关2021年……', { kind: 'text', line: 2, column: 1 }],
      ['二、主动公开', { kind: 'text', line: 4, column: 3 }],
    ]);
  });

  it('splits a paragraph at <br> with the column of each piece', () => {
    const d = readMarkdown('第一行<br>第二行<br/>  第三行', 't.md');
    expect(paragraphs(d.blocks).map((p) => [p.text, p.prov])).toEqual([
      ['第一行', { kind: 'text', line: 1, column: 1 }],
      ['第二行', { kind: 'text', line: 1, column: 8 }],
      ['第三行', { kind: 'text', line: 1, column: 18 }],
    ]);
  });
});

describe('readMarkdown inline rules', () => {
  it('removes emphasis, strong and strikethrough markers', () => {
    expect(texts('**（一）**予以公开\n__强调__：文字\n*斜体*与***粗斜***\n~~删除~~线')).toEqual([
      '（一）予以公开',
      '强调：文字',
      '斜体与粗斜',
      '删除线',
    ]);
  });

  it('leaves unmatched or intraword markers alone', () => {
    expect(texts('联系电话：________\n____年__月\nfile_name_v2\n__强调__文字\n*注：单位为件\n1~3月\n2 * 3 = 6')).toEqual([
      '联系电话：________',
      '____年__月',
      'file_name_v2',
      '__强调__文字',
      '*注：单位为件',
      '1~3月',
      '2 * 3 = 6',
    ]);
  });

  it('resolves backslash escapes and keeps code spans verbatim', () => {
    expect(texts('\\*不是强调\\* \\# 号\n`**x** \\*` 后\n`` a`b ``\n行尾反斜杠\\')).toEqual([
      '*不是强调* # 号',
      '**x** \\* 后',
      'a`b',
      '行尾反斜杠',
    ]);
  });

  it('reduces links to their text, drops images, keeps autolinks, footnote refs stay', () => {
    expect(
      texts('见[政府信息公开](http://example.com/a_(b) "标题")专栏\n![图表](chart.png)图后\n<http://example.com/x>\n[参考][ref]与[^1]'),
    ).toEqual(['见政府信息公开专栏', '图后', 'http://example.com/x', '参考与[^1]']);
  });

  it('drops inline HTML tags and decodes entities', () => {
    expect(texts('<span style="color:red">文字</span><font>二</font>\n&lt;b&gt; &amp; &#20013;&#x6587; &ldquo;引&rdquo; &bogus;')).toEqual([
      '文字二',
      '<b> & 中文 “引” &bogus;',
    ]);
  });
});

describe('readMarkdown tables', () => {
  it('handles escaped pipes, blank &nbsp; cells, no outer pipes and ragged rows', () => {
    expect(cells('a | b\n--|:-:\n甲 \\| 乙 | &nbsp;\n只有一格\n\n后文')).toEqual([
      [
        ['a', 'b'],
        ['甲 | 乙', ''],
      ],
    ]);
    expect(cells('| h1 | h2 |\n|---|---|\n| x |\n| 1 | 2 | 3 |')).toEqual([[['h1', 'h2'], ['x'], ['1', '2', '3']]]);
  });

  it('reads rows of pipes without a delimiter row as a table too (tables copied from web pages), but not prose with one pipe', () => {
    const d = readMarkdown('| a | b |\n| c | d |\n行政许可 | 3\n\n首页 | 政务公开\n', 't.md');
    expect(d.blocks.map((b) => (b.type === 'table' ? b.rows.map((r) => r.map((c) => c.text)) : b.text))).toEqual([
      [
        ['a', 'b'],
        ['c', 'd'],
        ['行政许可', '3'],
      ],
      '首页 | 政务公开',
    ]);
    // a delimiter row inside such rows is skipped
    const e = readMarkdown('行政许可 | 3 | 4\n---|---|---\n行政处罚 | 5 | 6\n', 't.md');
    expect(e.blocks.map((b) => (b.type === 'table' ? b.rows.map((r) => r.map((c) => c.text)) : b.text))).toEqual([
      [
        ['行政许可', '3', '4'],
        ['行政处罚', '5', '6'],
      ],
    ]);
  });

  it('ends a table at a blank line or a line without a pipe', () => {
    const d = readMarkdown('|a|\n|-|\n|b|\n正文\n|c|\n|-|', 't.md');
    expect(d.blocks.map((b) => (b.type === 'table' ? `T${b.rows.length}` : b.text))).toEqual(['T2', '正文', 'T1']);
    const ts = tables(d.blocks);
    expect(tableProv(ts[1].rows[0][0])).toEqual({ kind: 'table', table: 2, row: 1, cell: 1, line: 5, column: 2 });
  });

  it('points a blank cell just after its pipe and a filled cell at its text', () => {
    const t = tables(readMarkdown('|  | **合计** |\n|--|--|', 't.md').blocks)[0];
    expect(t.rows[0].map((c) => [c.text, c.prov.kind === 'table' ? c.prov.column : 0])).toEqual([
      ['', 2],
      ['合计', 8],
    ]);
  });

  it('numbers tables across Markdown and HTML blocks and reads an HTML table with blank lines inside', () => {
    const md = ['|a|', '|-|', '', '<table>', '<tr><td rowspan="2">x</td>', '', '<td>y</td></tr>', '</table>', '', '|b|', '|-|'].join('\n');
    const d = readMarkdown(md, 't.md');
    expect(d.blocks.map((b) => b.type)).toEqual(['table', 'table', 'table']);
    const html = tables(d.blocks)[1];
    expect(html.rows[0].map((c) => [c.text, c.rowspan])).toEqual([
      ['x', 2],
      ['y', undefined],
    ]);
    expect(html.rows[0][1].prov).toEqual({ kind: 'table', table: 2, row: 1, cell: 2, line: 7, column: 1 });
    expect(tableProv(tables(d.blocks)[2].rows[0][0]).table).toBe(3);
  });

  it('reads paragraphs of an HTML div block', () => {
    expect(texts('<div align="center">\n<p>表一</p>\n</div>\n\n正文')).toEqual(['表一', '正文']);
  });
});

describe('readMarkdown errors', () => {
  it('throws ReadError empty for a document without text', () => {
    for (const md of ['', '\n\n', '---\n<!-- x -->\n', '<div></div>']) {
      let err: unknown;
      try {
        readMarkdown(md, 'blank.md');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ReadError);
      expect((err as ReadError).code).toBe('empty');
      expect((err as ReadError).message).toContain('blank.md');
    }
  });
});
