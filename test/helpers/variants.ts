/**
 * Variant generators: write one Report (format 2021 or 2019) in the layouts
 * reports are published in, so that reader tests can assert that every layout
 * parses back to the same values.
 *
 * All layouts are rendered from one grid model of the three official tables
 * (`tableGrids`), which follows the official template cell for cell, with its
 * rowspans and colspans. Labels come from src/model/format.ts.
 */
import {
  AlignmentType,
  Document,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  VerticalMergeType,
  WidthType,
} from 'docx';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Report } from '../../src/model/report.js';
import {
  bodyParts,
  breakLabel,
  expandGrid,
  type Grid,
  type GridCell,
  reportTitle,
  signatureLines,
  tableGrids,
  type WordCell,
  wordRows,
} from '../../src/render/layout.js';

export {
  applicationsGrid,
  bodyParts,
  breakLabel,
  chineseDate,
  expandGrid,
  type Grid,
  type GridCell,
  proactiveGrid,
  reportTitle,
  reviewGrid,
  type Slot,
  signatureLines,
  type TableKey,
  tableGrids,
  type WordCell,
  wordRows,
} from '../../src/render/layout.js';

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

export interface HtmlOptions {
  /** wrap the article in site navigation, header and footer (default false) */
  chrome?: boolean;
  /** break some labels with <br /> (default false) */
  brInLabels?: boolean;
  /** how a null value cell is written (default '') */
  blankMark?: '' | '&nbsp;' | '/' | '—';
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function htmlTable(grid: Grid, opts: HtmlOptions): string {
  const blank = opts.blankMark ?? '';
  const td = (cell: GridCell): string => {
    const attrs = `${cell.rowspan > 1 ? ` rowspan="${cell.rowspan}"` : ''}${cell.colspan > 1 ? ` colspan="${cell.colspan}"` : ''}`;
    let inner: string;
    if (cell.role === 'value') inner = cell.text === null ? blank : escapeHtml(cell.text);
    else inner = (opts.brInLabels ? breakLabel(cell.text ?? '') : [cell.text ?? '']).map(escapeHtml).join('<br />');
    const style = cell.role === 'value' ? 'text-align:center;' : 'text-align:center;vertical-align:middle;';
    return `<td${attrs} style="${style}">${inner}</td>`;
  };
  const rows = grid.rows.map((cells) => `<tr>\n${cells.map(td).join('\n')}\n</tr>`);
  return `<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:100%;">\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

/** A saved web page holding the report, tables in the official layout with real rowspan/colspan. */
export function toHtml(report: Report, opts: HtmlOptions = {}): string {
  const title = reportTitle(report);
  const body: string[] = [];
  for (const part of bodyParts(report)) {
    if (part.kind === 'heading') body.push(`<p style="text-indent:2em;"><strong>${escapeHtml(part.text)}</strong></p>`);
    else if (part.kind === 'paragraph') body.push(`<p style="text-indent:2em;">${escapeHtml(part.text)}</p>`);
    else body.push(htmlTable(part.grid, opts));
  }
  for (const line of signatureLines(report)) body.push(`<p style="text-align:right;">${escapeHtml(line)}</p>`);

  const article = [
    '<div class="article">',
    `<h1 class="article-title">${escapeHtml(title)}</h1>`,
    ...(opts.chrome
      ? [
          `<div class="article-info"><span>${report.publishedOn ? `发布时间：${report.publishedOn}` : ''}</span>　<span>浏览次数：<em id="views">1024</em></span>　<span>字号：[<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>]</span></div>`,
        ]
      : []),
    '<div class="article-content" id="zoom">',
    ...body,
    '</div>',
    '</div>',
  ].join('\n');

  if (!opts.chrome) {
    return `<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8" />\n<title>${escapeHtml(title)}</title>\n</head>\n<body>\n${article}\n</body>\n</html>\n`;
  }
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="keywords" content="政府信息公开,年度报告" />
<title>${escapeHtml(title)}_政府门户网站</title>
<link rel="stylesheet" href="/css/style.css" />
<style>.nav li{float:left;margin:0 10px}.footer{text-align:center;color:#666}</style>
<script type="text/javascript">var _hmt = _hmt || []; var pageConfig = { "id": 20220114, "title": "首页" };</script>
</head>
<body>
<div class="top-bar"><span>欢迎访问政府门户网站！</span><a href="/wza/">无障碍</a> | <a href="/m/">手机版</a> | <a href="/en/">English</a></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="政府门户网站" /></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjxx/">走进本区</a></li></ul>
<form class="search" action="/search"><input type="text" name="q" value="请输入关键词" /><button type="submit">搜索</button></form>
</div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
<div class="sidebar"><h3>政府信息公开</h3><ul><li><a href="/zwgk/zc/">政府信息公开指南</a></li><li><a href="/zwgk/zd/">政府信息公开制度</a></li><li><a href="/zwgk/ndbg/">政府信息公开年报</a></li><li><a href="/zwgk/ysq/">依申请公开</a></li></ul></div>
${article}
<div class="share">分享到：<a href="javascript:;">微信</a> <a href="javascript:;">微博</a> <a href="javascript:window.print();">【打印本页】</a> <a href="javascript:window.close();">【关闭窗口】</a></div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/zwgk/ndbg/1.html">政府信息公开工作年度报告（上一年度）</a></li></ul></div>
<div class="footer">
<p>主办：人民政府办公室　承办：大数据中心　<a href="/sitemap/">网站地图</a>　<a href="/contact/">联系我们</a></p>
<p>网站标识码：4101020001　<a href="https://beian.miit.gov.cn/">豫ICP备12001234号-1</a>　公安机关备案号：41020202000123</p>
<p>联系电话：0398-2881234　建议使用1920×1080分辨率浏览</p>
</div>
<script type="text/javascript">document.getElementById("views").innerHTML = "1025"; // 一、总体情况 is not a heading here</script>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

export interface MarkdownOptions {
  /** how merged cells are flattened: leave the covered positions empty (default) or repeat the text */
  spans?: 'empty' | 'repeat';
  /** how a null value cell is written (default '') */
  blankMark?: string;
}

function cellText(cell: GridCell, blank: string): string {
  return cell.text ?? blank;
}

/** Rows of the expanded grid as strings; covered positions are '' or repeat the cell text. */
export function flatRows(grid: Grid, spans: 'empty' | 'repeat', blank = ''): string[][] {
  return expandGrid(grid).map((row, r) =>
    row.map((s, c) => ((s.row === r && s.col === c) || spans === 'repeat' ? cellText(s.cell, blank) : '')),
  );
}

/** Markdown with pipe tables (merged cells flattened) and headings "## 一、总体情况". */
export function toMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const out: string[] = [`# ${reportTitle(report)}`, ''];
  for (const part of bodyParts(report)) {
    if (part.kind === 'heading') out.push(`## ${part.text}`, '');
    else if (part.kind === 'paragraph') out.push(part.text, '');
    else {
      const rows = flatRows(part.grid, opts.spans ?? 'empty', opts.blankMark ?? '');
      const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
      out.push(line(rows[0]), line(rows[0].map(() => '---')), ...rows.slice(1).map(line), '');
    }
  }
  for (const s of signatureLines(report)) out.push(s, '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------

export interface TextOptions {
  /** how a null value cell is written (default '') */
  blankMark?: string;
}

/**
 * Plain text like the seeds.
 * - 'tabs': one table row per line, cells separated by tabs, merged positions empty (seeds 000/003).
 * - 'cell-per-line': every cell on its own line starting with a tab, rows separated by blank lines,
 *   vertically merged cells leaving an empty cell, long labels broken over two lines (seeds 001/002).
 */
export function toText(report: Report, layout: 'tabs' | 'cell-per-line', opts: TextOptions = {}): string {
  const blank = opts.blankMark ?? '';
  const out: string[] = [reportTitle(report)];
  const tabs = layout === 'tabs';
  if (tabs) out.push('');
  for (const part of bodyParts(report)) {
    if (part.kind === 'heading' || part.kind === 'paragraph') {
      out.push(part.text);
      if (tabs) out.push('');
    } else if (tabs) {
      for (const cells of flatRows(part.grid, 'empty', blank)) out.push(cells.join('\t'));
      out.push('');
    } else {
      for (const row of wordRows(part.grid)) {
        for (const w of row) {
          if (w.vMerge === 'continue') out.push('\t');
          else if (w.cell.role === 'value') out.push(`\t${cellText(w.cell, blank)}`);
          else out.push(`\t${breakLabel(w.cell.text ?? '', 12).join('\n')}`);
        }
        out.push('');
      }
    }
  }
  out.push(...signatureLines(report));
  return `${out.join('\n')}\n`;
}

/**
 * Crawled-page text where cell separators were lost: each table row on one line, its
 * labels directly followed by its values run together ("行政许可3960181"); 表三's values
 * become one digit run.
 */
export function toGluedText(report: Report): string {
  const out: string[] = [reportTitle(report)];
  for (const part of bodyParts(report)) {
    if (part.kind !== 'table') out.push(part.text);
    else {
      for (const row of wordRows(part.grid)) {
        out.push(
          row
            .filter((w) => w.vMerge !== 'continue')
            .map((w) => w.cell.text ?? '')
            .join(''),
        );
      }
    }
  }
  out.push(...signatureLines(report));
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// DOCX
// ---------------------------------------------------------------------------

export interface DocxOptions {
  /** break long labels with a line break inside the cell (default false) */
  brInLabels?: boolean;
  /** how a null value cell is written (default '') */
  blankMark?: string;
}

/** A4 portrait in twips, 2.54/3.17 cm margins as in Word's default */
const A4 = { width: 11906, height: 16838 };
const MARGIN = { top: 1440, bottom: 1440, left: 1800, right: 1800 };
const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right; // 8306

function columnWidths(grid: Grid): number[] {
  let widths: number[];
  if (grid.table === 'proactive') widths = [2906, 1800, 1800, 1800];
  else if (grid.table === 'applications') widths = [700, 1100, 2306, ...new Array<number>(7).fill(600)];
  else widths = new Array<number>(grid.columns).fill(Math.floor(CONTENT_WIDTH / grid.columns));
  return widths;
}

function docxCellParagraph(w: WordCell, opts: DocxOptions): Paragraph {
  if (w.vMerge === 'continue') return new Paragraph({});
  const text = w.cell.role === 'value' ? (w.cell.text ?? opts.blankMark ?? '') : (w.cell.text ?? '');
  const lines = w.cell.role !== 'value' && opts.brInLabels ? breakLabel(text, 8) : [text];
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    children: lines.map((t, i) => new TextRun({ text: t, size: 18, break: i > 0 ? 1 : undefined })),
  });
}

function docxTable(grid: Grid, opts: DocxOptions): Table {
  const widths = columnWidths(grid);
  const rows = wordRows(grid).map((row) => {
    let col = 0;
    const cells = row.map((w) => {
      const width = widths.slice(col, col + w.colspan).reduce((a, b) => a + b, 0);
      col += w.colspan;
      return new TableCell({
        children: [docxCellParagraph(w, opts)],
        columnSpan: w.colspan > 1 ? w.colspan : undefined,
        verticalMerge:
          w.vMerge === 'restart' ? VerticalMergeType.RESTART : w.vMerge === 'continue' ? VerticalMergeType.CONTINUE : undefined,
        verticalAlign: VerticalAlign.CENTER,
        width: { size: width, type: WidthType.DXA },
      });
    });
    return new TableRow({ children: cells });
  });
  return new Table({
    rows,
    columnWidths: widths,
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    layout: TableLayoutType.FIXED,
  });
}

/** A Word document (A4) with the three tables as real Word tables with merged cells. */
export async function toDocx(report: Report, opts: DocxOptions = {}): Promise<Uint8Array> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: reportTitle(report), bold: true, size: 36 })] }),
  ];
  for (const part of bodyParts(report)) {
    if (part.kind === 'heading')
      children.push(new Paragraph({ indent: { firstLine: 640 }, children: [new TextRun({ text: part.text, bold: true, size: 32 })] }));
    else if (part.kind === 'paragraph')
      children.push(new Paragraph({ indent: { firstLine: 640 }, children: [new TextRun({ text: part.text, size: 32 })] }));
    else children.push(docxTable(part.grid, opts), new Paragraph({}));
  }
  for (const s of signatureLines(report)) {
    children.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: s, size: 32 })] }));
  }
  const doc = new Document({
    creator: report.agency ?? 'nianbao',
    title: reportTitle(report),
    sections: [{ properties: { page: { size: { ...A4, orientation: PageOrientation.PORTRAIT }, margin: MARGIN } }, children }],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

// ---------------------------------------------------------------------------
// XLSX
// ---------------------------------------------------------------------------

export interface XlsxOptions {
  /** 'sheets' (default): a narrative sheet plus one sheet per table; 'single': everything on one sheet in reading order */
  layout?: 'sheets' | 'single';
  /** a string written into null value cells; default: the cell is left empty */
  blankMark?: string;
}

/** The cell value an XLSX export holds: counts as numbers; money as a number when that keeps its digits, else text. */
function xlsxValue(cell: GridCell, blankMark: string | undefined): ExcelJS.CellValue {
  if (cell.role !== 'value') return cell.text;
  if (cell.value === null || cell.value === undefined) return blankMark ?? null;
  if (typeof cell.value === 'number') return cell.value;
  const asNumber = Number(cell.value);
  return /^-?\d+(\.\d+)?$/.test(cell.value) && String(asNumber) === cell.value ? asNumber : cell.value;
}

/** Writes the grid with its top-left corner at (row, 1); returns the next free row. */
function writeGrid(ws: ExcelJS.Worksheet, grid: Grid, top: number, opts: XlsxOptions): number {
  const m = expandGrid(grid);
  m.forEach((row, r) => {
    row.forEach((s, c) => {
      if (s.row !== r || s.col !== c) return;
      const cell = ws.getCell(top + r, c + 1);
      cell.value = xlsxValue(s.cell, opts.blankMark);
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      if (s.cell.rowspan > 1 || s.cell.colspan > 1) ws.mergeCells(top + r, c + 1, top + r + s.cell.rowspan - 1, c + s.cell.colspan);
    });
  });
  return top + m.length;
}

/** An Excel workbook holding the report. */
export async function toXlsx(report: Report, opts: XlsxOptions = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = report.agency ?? 'nianbao';
  const title = reportTitle(report);
  if ((opts.layout ?? 'sheets') === 'single') {
    const ws = wb.addWorksheet('年度报告');
    let row = 1;
    ws.getCell(row++, 1).value = title;
    row++;
    for (const part of bodyParts(report)) {
      if (part.kind === 'table') row = writeGrid(ws, part.grid, row, opts) + 1;
      else ws.getCell(row++, 1).value = part.text;
    }
    for (const s of signatureLines(report)) ws.getCell(row++, 1).value = s;
  } else {
    const main = wb.addWorksheet('正文');
    let row = 1;
    main.getCell(row++, 1).value = title;
    for (const part of bodyParts(report)) {
      if (part.kind !== 'table') main.getCell(row++, 1).value = part.text;
    }
    for (const s of signatureLines(report)) main.getCell(row++, 1).value = s;
    main.getColumn(1).width = 120;
    for (const grid of tableGrids(report)) {
      const ws = wb.addWorksheet(grid.heading);
      ws.getCell(1, 1).value = grid.heading;
      writeGrid(ws, grid, 3, opts);
    }
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------
// Encodings
// ---------------------------------------------------------------------------

/**
 * A text report with tab-separated rows written in the text reader's other table layouts: its tabs
 * as ` | ` (`spaced`), `|` (`tight`) or `| … |` rows (`edges`, pipes at both ends); each row under
 * a `+---+` border (`grid`) or drawn with box-drawing characters (`box`); counts with their unit
 * (`units`: "3960件"); and every field quoted as CSV (`quoted`, only when no row is a single cell:
 * rows of one cell are not CSV rows).
 */
export function textLayouts(src: string): Record<string, string> {
  const lines = src.split('\n');
  const rows = (f: (l: string) => string) => lines.map((l) => (l.includes('\t') ? f(l) : l));
  const layouts: Record<string, string> = {
    spaced: src.replace(/\t/g, ' | '),
    tight: src.replace(/\t/g, '|'),
    edges: rows((l) => `| ${l.replace(/\t/g, ' | ')} |`).join('\n'),
    grid: rows((l) => `+------+------+\n| ${l.replace(/\t/g, ' | ')} |`).join('\n'),
    box: ['┌────┬────┐', ...rows((l) => `│ ${l.replace(/\t/g, ' │ ')} │\n├────┼────┤`), '└────┴────┘'].join('\n'),
    units: src.replace(/\t(\d+)(?=\t|$)/gm, '\t$1件'),
  };
  if (!/^\t[^\t]*$/m.test(src))
    layouts.quoted = rows((l) =>
      l
        .split('\t')
        .map((c) => `"${c}"`)
        .join(','),
    ).join('\n');
  return layouts;
}

/** The text encoded in GB18030 (a superset of GBK), as many older government sites serve it. */
export function toGbk(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'gb18030'));
}
