/**
 * Word output: the report as an A4 document in Chinese official-document
 * typography (GB/T 9704 style), ready to hand on unchanged.
 *
 * - Page: A4 portrait, margins 37/35/28/26 mm (top/bottom/left/right), which
 *   leaves a 156 mm type area; page numbers "- 1 -" centred in the footer
 *   (a PAGE field).
 * - Title: 方正小标宋简体 二号, centred. Headings 一…六: 黑体 三号 with a
 *   two-character first-line indent (style "Heading1", so Word's navigation
 *   pane lists them). Body: 仿宋_GB2312 三号, justified, first-line indent of
 *   two characters, exact line spacing of 29 pt. Latin letters and digits in
 *   Times New Roman. The signature (agency, date) right-aligned at the end.
 * - Fonts that a machine may lack fall back through the font table: each
 *   entry carries an alternative name (w:altName, e.g. 仿宋_GB2312 → 仿宋),
 *   the GB2312 charset and a PANOSE family, so Word, WPS and LibreOffice pick a
 *   Chinese serif/sans of the same kind (宋体, SimSun, Noto Serif CJK SC …).
 * - The three tables exactly in the official layout of the report's format,
 *   from the grid model of ./layout.ts: real Word merges (w:gridSpan for
 *   colspans, w:vMerge restart/continue for rowspans, as in the official
 *   template), fixed layout with set column widths filling the type area,
 *   宋体 五号/小五, the 勾稽 note in 楷体, header rows repeated when 表二
 *   runs over a page.
 * - Deterministic: document properties (title, creator "nianbao", created and
 *   modified dates derived from the report) and the ZIP entries' timestamps
 *   are fixed, so the same report gives the same bytes.
 * - Fast: the parts that don't depend on the report (styles, font table,
 *   settings, footer, theme, relationships …) are written by the docx library
 *   once per process and kept; per report only word/document.xml (written
 *   here as text, in the same markup docx writes) and docProps/core.xml are
 *   made, and the package is zipped once.
 */
import { AlignmentType, Document, Footer, LineRuleType, Packer, PageNumber, PageOrientation, Paragraph, TextRun } from 'docx';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import type { Report } from '../model/report.js';
import { bodyParts, type Grid, reportTitle, signatureLines, type WordCell, wordRows } from './layout.js';
import { type DocDate, dateStamp, documentDate, xmlEscape, xmlText, zipPackage } from './ooxml.js';

export interface DocxRenderOptions {
  /** how a null value cell is written: left blank (default) or as 0 */
  blankAs?: 'zero' | 'blank';
}

// ---------------------------------------------------------------------------
// Page and typography
// ---------------------------------------------------------------------------

/** A4 in twips (1/20 pt) */
export const A4 = { width: 11906, height: 16838 } as const;
/** GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm */
export const MARGIN = { top: 2098, bottom: 1984, left: 1587, right: 1474, header: 851, footer: 992 } as const;
/** the type area's width: 156 mm */
export const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right; // 8845

export const FONTS = {
  title: '方正小标宋简体',
  heading: '黑体',
  body: '仿宋_GB2312',
  table: '宋体',
  note: '楷体_GB2312',
  latin: 'Times New Roman',
} as const;

/** sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt, 小五 9 pt */
const SIZE = { title: 44, body: 32, pageNumber: 28, tableA: 21, tableSmall: 18 } as const;
/** exact line spacing of the body: 29 pt */
export const LINE = 580;
/** two characters of 三号 */
export const INDENT_2 = 640;

export const fontOf = (eastAsia: string) => ({ ascii: FONTS.latin, hAnsi: FONTS.latin, cs: FONTS.latin, eastAsia, hint: 'eastAsia' });

/**
 * word/fontTable.xml: every font the document names, with an alternative name,
 * the GB2312 charset (86) and a PANOSE/family/pitch so that a missing font is
 * replaced by a Chinese font of the same kind.
 */
const FONT_TABLE: { name: string; alt?: string; panose: string; charset: string; family: string; pitch: string }[] = [
  { name: FONTS.latin, panose: '02020603050405020304', charset: '00', family: 'roman', pitch: 'variable' },
  { name: FONTS.title, alt: '宋体', panose: '02000000000000000000', charset: '86', family: 'roman', pitch: 'variable' },
  { name: FONTS.heading, alt: 'SimHei', panose: '02010609060101010101', charset: '86', family: 'modern', pitch: 'fixed' },
  { name: FONTS.body, alt: '仿宋', panose: '02010609030101010101', charset: '86', family: 'modern', pitch: 'fixed' },
  { name: '仿宋', alt: 'FangSong', panose: '02010609060101010101', charset: '86', family: 'modern', pitch: 'fixed' },
  { name: FONTS.table, alt: 'SimSun', panose: '02010600030101010101', charset: '86', family: 'auto', pitch: 'variable' },
  { name: FONTS.note, alt: '楷体', panose: '02010609030101010101', charset: '86', family: 'modern', pitch: 'fixed' },
  { name: '楷体', alt: 'KaiTi', panose: '02010609060101010101', charset: '86', family: 'modern', pitch: 'fixed' },
];

export function fontTableXml(): string {
  const fonts = FONT_TABLE.map(
    (f) =>
      `<w:font w:name="${f.name}">${f.alt ? `<w:altName w:val="${f.alt}"/>` : ''}<w:panose1 w:val="${f.panose}"/><w:charset w:val="${f.charset}"/><w:family w:val="${f.family}"/><w:pitch w:val="${f.pitch}"/></w:font>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${fonts}</w:fonts>`;
}

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

/** integer widths in proportion to the weights, adding up to total exactly */
function distribute(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.floor((total * w) / sum));
  let rest = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % out.length, rest--) out[i]++;
  return out;
}

/** column widths (twips) filling the type area, in the proportions of the official template */
export function columnWidths(grid: Grid): number[] {
  // 信息内容 a little wider than the value columns, so that 其他对外管理服务事项 (2019) keeps to one line
  if (grid.table === 'proactive') return distribute(CONTENT_WIDTH, [5, ...new Array<number>(grid.columns - 1).fill(4)]);
  if (grid.table === 'applications') {
    const value = 620;
    const values = grid.columns - 3;
    // 三、 / （三）不予公开 / leaf labels, as 754 : 921 : 3271 in the template
    return [...distribute(CONTENT_WIDTH - value * values, [754, 921, 3271]), ...new Array<number>(values).fill(value)];
  }
  return distribute(CONTENT_WIDTH, new Array<number>(grid.columns).fill(1));
}

/** rows at the top of a table that are column headers (repeated on a new page) */
function headerRowCount(grid: Grid): number {
  if (grid.table === 'applications') return 3;
  if (grid.table === 'reviewLitigation') return 3;
  return 0;
}

/** w:tblPr of every table: as wide as the type area, centred, fixed layout, outer borders 1 pt, inner ½ pt, narrow cell margins */
const TBL_PR =
  `<w:tblPr><w:tblW w:type="dxa" w:w="${CONTENT_WIDTH}"/><w:jc w:val="center"/><w:tblBorders>` +
  '<w:top w:val="single" w:color="000000" w:sz="8"/><w:left w:val="single" w:color="000000" w:sz="8"/>' +
  '<w:bottom w:val="single" w:color="000000" w:sz="8"/><w:right w:val="single" w:color="000000" w:sz="8"/>' +
  '<w:insideH w:val="single" w:color="000000" w:sz="4"/><w:insideV w:val="single" w:color="000000" w:sz="4"/></w:tblBorders>' +
  '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:type="dxa" w:w="0"/><w:left w:type="dxa" w:w="57"/>' +
  '<w:bottom w:type="dxa" w:w="0"/><w:right w:type="dxa" w:w="57"/></w:tblCellMar></w:tblPr>';

/** the caption rows of 表一 (第二十条第（一）项 …), shaded like the official template */
const CAPTION_FILL = 'C6D9F1';

/** a run of text (escaped here), with its own font size (half-points) if given */
function run(text: string, size?: number): string {
  const rPr = size === undefined ? '' : `<w:rPr><w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr>`;
  return `<w:r>${rPr}<w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r>`;
}

/** a paragraph in a style: with one run of the text, or empty when text is undefined */
function para(style: string, text?: string): string {
  return `<w:p><w:pPr><w:pStyle w:val="${style}"/></w:pPr>${text === undefined ? '' : run(text)}</w:p>`;
}

function cellText(w: WordCell, blankAs: 'zero' | 'blank'): string {
  if (w.vMerge === 'continue') return '';
  if (w.cell.role === 'value') return xmlText(w.cell.text ?? (blankAs === 'zero' ? '0' : ''));
  return xmlText(w.cell.text ?? '');
}

/** a table as w:tbl: the grid, real merges (w:gridSpan, w:vMerge restart/continue), rows that don't split, header rows repeated */
function docxTable(grid: Grid, blankAs: 'zero' | 'blank'): string {
  const widths = columnWidths(grid);
  // 表一 has room for 五号; 表二 and 表三 (narrow value columns) take the style's 小五
  const size = grid.table === 'proactive' ? SIZE.tableA : undefined;
  const headers = headerRowCount(grid);
  let xml = `<w:tbl>${TBL_PR}<w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`;
  const rows = wordRows(grid);
  for (let r = 0; r < rows.length; r++) {
    const isValueRow = grid.table === 'reviewLitigation' && r === grid.rows.length - 1;
    xml += `<w:tr><w:trPr><w:cantSplit/>${r < headers ? '<w:tblHeader/>' : ''}<w:trHeight w:val="${isValueRow ? 567 : 340}" w:hRule="atLeast"/></w:trPr>`;
    let col = 0;
    for (const w of rows[r]) {
      let width = 0;
      for (let k = col; k < col + w.colspan; k++) width += widths[k];
      const first = col === 0;
      col += w.colspan;
      const caption = grid.table === 'proactive' && w.colspan === grid.columns;
      // row labels of 表二 read left-aligned, like the template; the rest is centred
      const left = w.cell.role === 'note' || caption || (grid.table === 'applications' && r >= headers && w.cell.role === 'label');
      const text = cellText(w, blankAs);
      xml +=
        `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${width}"/>` +
        (w.colspan > 1 ? `<w:gridSpan w:val="${w.colspan}"/>` : '') +
        (w.vMerge ? `<w:vMerge w:val="${w.vMerge}"/>` : '') +
        (caption && first ? `<w:shd w:fill="${CAPTION_FILL}" w:color="auto" w:val="clear"/>` : '') +
        '<w:vAlign w:val="center"/></w:tcPr>' +
        `<w:p><w:pPr><w:pStyle w:val="${w.cell.role === 'note' ? 'NbTableNote' : 'NbTable'}"/><w:jc w:val="${left ? 'left' : 'center'}"/></w:pPr>` +
        `${text === '' ? '' : run(text, size)}</w:p></w:tc>`;
    }
    xml += '</w:tr>';
  }
  return `${xml}</w:tbl>`;
}

// ---------------------------------------------------------------------------
// Document
// ---------------------------------------------------------------------------

const STYLES = {
  default: {
    document: {
      run: { font: fontOf(FONTS.body), size: SIZE.body, language: { value: 'en-US', eastAsia: 'zh-CN' } },
      paragraph: { spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 } },
    },
    title: {
      run: { font: fontOf(FONTS.title), size: SIZE.title, bold: false, color: '000000' },
      paragraph: {
        alignment: AlignmentType.CENTER,
        spacing: { line: 700, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
        keepNext: true,
      },
    },
    heading1: {
      run: { font: fontOf(FONTS.heading), size: SIZE.body, bold: false, color: '000000' },
      paragraph: {
        alignment: AlignmentType.JUSTIFIED,
        indent: { firstLine: INDENT_2 },
        spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
        keepNext: true,
        outlineLevel: 0,
      },
    },
  },
  paragraphStyles: [
    {
      id: 'NbBody',
      name: 'NB Body Text',
      basedOn: 'Normal',
      quickFormat: true,
      paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { firstLine: INDENT_2 } },
    },
    {
      id: 'NbSignature',
      name: 'NB Signature',
      basedOn: 'Normal',
      paragraph: { alignment: AlignmentType.RIGHT, indent: { right: INDENT_2 } },
    },
    {
      id: 'NbTable',
      name: 'NB Table Text',
      basedOn: 'Normal',
      run: { font: fontOf(FONTS.table), size: SIZE.tableSmall },
      paragraph: { spacing: { line: 240, lineRule: LineRuleType.AUTO, before: 0, after: 0 }, indent: { firstLine: 0 } },
    },
    {
      id: 'NbTableNote',
      name: 'NB Table Note',
      basedOn: 'NbTable',
      run: { font: fontOf(FONTS.note) },
    },
    {
      id: 'NbFooter',
      name: 'NB Page Number',
      basedOn: 'Normal',
      run: { font: fontOf(FONTS.table), size: SIZE.pageNumber },
      paragraph: { alignment: AlignmentType.CENTER, spacing: { line: 240, lineRule: LineRuleType.AUTO } },
    },
  ],
};

/**
 * The parts of the package that don't depend on the report (styles, font
 * table, settings, numbering, footer, theme, content types, relationships …)
 * and the frame of word/document.xml (the root element with its namespaces,
 * and the section properties: A4, margins, the footer reference). docx writes
 * them once per process from a document without content; each report then
 * only needs its body and its document properties.
 */
interface Template {
  /** every part in package order; word/document.xml and docProps/core.xml are filled per report */
  parts: Record<string, Uint8Array>;
  /** word/document.xml up to and including <w:body> */
  head: string;
  /** word/document.xml from <w:sectPr> to the end */
  tail: string;
}

let template: Promise<Template> | undefined;

async function buildTemplate(): Promise<Template> {
  const footer = new Footer({
    children: [new Paragraph({ style: 'NbFooter', children: [new TextRun({ children: ['- ', PageNumber.CURRENT, ' -'] })] })],
  });
  const doc = new Document({
    creator: 'nianbao',
    styles: STYLES,
    sections: [
      {
        properties: {
          page: {
            size: { width: A4.width, height: A4.height, orientation: PageOrientation.PORTRAIT },
            margin: MARGIN,
          },
        },
        footers: { default: footer },
        children: [],
      },
    ],
  });
  // directory entries (JSZip writes them) hold nothing: left out
  const parts = unzipSync(new Uint8Array(await Packer.toBuffer(doc)), { filter: (f) => !f.name.endsWith('/') });
  parts['word/fontTable.xml'] = strToU8(fontTableXml());
  const xml = strFromU8(parts['word/document.xml']);
  const body = xml.indexOf('<w:body>');
  const sect = xml.indexOf('<w:sectPr');
  if (body < 0 || sect < body || !parts['docProps/core.xml']) throw new Error('unexpected package from docx');
  return { parts, head: xml.slice(0, body + '<w:body>'.length), tail: xml.slice(sect) };
}

/** the template, built on first use */
function getTemplate(): Promise<Template> {
  template ??= buildTemplate().catch((e: unknown) => {
    template = undefined;
    throw e;
  });
  return template;
}

/** docProps/core.xml: title, subject, creator, the agency as description, created and modified on the document's date */
function coreXml(title: string, agency: string, date: DocDate): string {
  const stamp = dateStamp(date);
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    (title ? `<dc:title>${xmlEscape(title)}</dc:title>` : '') +
    '<dc:subject>政府信息公开工作年度报告</dc:subject><dc:creator>nianbao</dc:creator>' +
    (agency ? `<dc:description>${xmlEscape(agency)}</dc:description>` : '') +
    '<cp:lastModifiedBy>nianbao</cp:lastModifiedBy><cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified></cp:coreProperties>`
  );
}

/** The report as a Word document (.docx bytes). */
export async function renderDocx(report: Report, opts: DocxRenderOptions = {}): Promise<Uint8Array> {
  const { parts, head, tail } = await getTemplate();
  const blankAs = opts.blankAs ?? 'blank';
  const title = xmlText(reportTitle(report));
  let body = para('Title', title) + para('NbBody');
  for (const part of bodyParts(report)) {
    if (part.kind === 'heading') body += para('Heading1', part.text);
    else if (part.kind === 'paragraph') body += para('NbBody', part.text);
    else body += docxTable(part.grid, blankAs) + para('NbBody');
  }
  const signature = signatureLines(report);
  if (signature.length > 0) {
    body += para('NbBody') + para('NbBody');
    for (const s of signature) body += para('NbSignature', s);
  }
  const date = documentDate(report);
  const files: Record<string, Uint8Array> = {};
  for (const [path, data] of Object.entries(parts)) {
    if (path === 'word/document.xml') files[path] = strToU8(head + body + tail);
    else if (path === 'docProps/core.xml') files[path] = strToU8(coreXml(title, xmlText(report.agency ?? ''), date));
    else files[path] = data;
  }
  return zipPackage(files, date);
}
