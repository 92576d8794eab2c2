/**
 * A notice of the register (文书: 补正告知书, 答复告知书 …) as a Word document
 * and as a PDF, in the official-document typography of the report renderers
 * (GB/T 9704 as used for 告知书).
 *
 * Layout, the same in both formats:
 * - a draft starts with a line “草稿（未发文）” in bold red, so that nobody takes it
 *   for an issued notice;
 * - the agency (发文机关) and the title below it, centred, 方正小标宋简体 二号;
 * - the 发文字号 centred under the title, 仿宋_GB2312 三号; a draft has none and
 *   shows “（发文时编号）” in its place; then a blank line;
 * - the addressee flush left followed by “：”;
 * - the body paragraphs, 仿宋_GB2312 三号, justified, first-line indent of two
 *   characters, exact line pitch of 29 pt;
 * - a blank line, then the place of the seal (the seal text, e.g. “（印章）”), the
 *   signature and the date (2026年12月7日), each right-aligned two characters
 *   from the right edge, kept together on one page;
 * - the footer lines (联系人、联系电话 …) after a blank line, flush left, 四号;
 * - page numbers “- 1 -” centred under the text, as in the report.
 *
 * The DOCX is written here as OOXML text (no template from the docx library: a
 * notice needs a handful of small parts) and zipped by ./ooxml.ts with the
 * notice's date as every timestamp; the PDF is laid out by pdfmake with the
 * fonts and the printer of ./pdf.ts, its document dates the notice's date. The
 * same notice gives the same bytes. Characters XML 1.0 cannot hold (control
 * characters, lone surrogates) are dropped from every text in both formats.
 */
import { strToU8 } from 'fflate';
import { chineseDate, type NoticeDocument } from '../model/notice.js';
import { A4, FONTS, fontOf, fontTableXml, INDENT_2, LINE, MARGIN } from './docx.js';
import { type DocDate, dateStamp, xmlEscape, xmlText, zipPackage } from './ooxml.js';
import { MARGINS, pieces, printer } from './pdf.js';

export type NoticeFormat = 'docx' | 'pdf';

/** the line that marks a draft */
export const DRAFT_MARK = '草稿（未发文）';
/** printed in place of the 发文字号 while there is none (a draft) */
export const NO_NUMBER = '（发文时编号）';

// ---------------------------------------------------------------------------
// Shared

/** text as printed: line ends normalised to \n, characters XML cannot hold dropped */
function clean(s: string): string {
  return xmlText(s.replace(/\r\n?/g, '\n'));
}

/** the 发文字号 as printed */
function numberText(doc: NoticeDocument): string {
  return doc.number !== null && doc.number.trim() !== '' ? doc.number.trim() : NO_NUMBER;
}

/** the date of the notice for the document properties and timestamps (1 January 2000 when not a valid date) */
function noticeDate(doc: NoticeDocument): DocDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(doc.date);
  if (!m) return { y: 2000, m: 1, d: 1 };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1980 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > 31) return { y: 2000, m: 1, d: 1 };
  return { y, m: mo, d };
}

// ---------------------------------------------------------------------------
// DOCX

/** sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt */
const SZ = { title: 44, body: 32, footer: 28, pageNumber: 28 } as const;
/** exact line pitch of the title lines (35 pt, as the report) and of the footer lines (24 pt) */
const TITLE_LINE = 700;
const FOOTER_LINE = 480;
const DRAFT_COLOUR = 'FF0000';

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** w:rPr of a run: the font (Latin in Times New Roman), the size, bold and colour when asked */
function rPr(eastAsia: string, size: number, opts: { bold?: boolean; colour?: string } = {}): string {
  const f = fontOf(eastAsia);
  return (
    `<w:rPr><w:rFonts w:ascii="${f.ascii}" w:hAnsi="${f.hAnsi}" w:cs="${f.cs}" w:eastAsia="${f.eastAsia}" w:hint="${f.hint}"/>` +
    (opts.bold ? '<w:b/><w:bCs/>' : '') +
    (opts.colour ? `<w:color w:val="${opts.colour}"/>` : '') +
    `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr>`
  );
}

/** the runs of a text: line breaks as w:br, tabs as w:tab, everything escaped */
function runs(text: string, props: string): string {
  let out = '';
  const lines = clean(text).split('\n');
  lines.forEach((line, i) => {
    if (i > 0) out += `<w:r>${props}<w:br/></w:r>`;
    line.split('\t').forEach((piece, k) => {
      if (k > 0) out += `<w:r>${props}<w:tab/></w:r>`;
      if (piece !== '') out += `<w:r>${props}<w:t xml:space="preserve">${xmlEscape(piece)}</w:t></w:r>`;
    });
  });
  return out;
}

interface ParaOpts {
  jc?: 'left' | 'center' | 'right' | 'both';
  firstLine?: number;
  right?: number;
  line?: number;
  keepNext?: boolean;
  keepLines?: boolean;
}

/** a paragraph with its own properties (no indent unless given, exact line pitch) and one text */
function para(text: string, props: string, o: ParaOpts = {}): string {
  const ind = o.firstLine || o.right ? `<w:ind w:left="0" w:right="${o.right ?? 0}" w:firstLine="${o.firstLine ?? 0}"/>` : '';
  const pPr =
    '<w:pPr>' +
    (o.keepNext ? '<w:keepNext/>' : '') +
    (o.keepLines ? '<w:keepLines/>' : '') +
    `<w:spacing w:before="0" w:after="0" w:line="${o.line ?? LINE}" w:lineRule="exact"/>` +
    ind +
    `<w:jc w:val="${o.jc ?? 'left'}"/>` +
    // the paragraph mark in the same font and size, so an empty line is as high as a line of text
    props +
    '</w:pPr>';
  return `<w:p>${pPr}${runs(text, props)}</w:p>`;
}

const TITLE = rPr(FONTS.title, SZ.title);
const BODY = rPr(FONTS.body, SZ.body);
const SMALL = rPr(FONTS.body, SZ.footer);
const DRAFT = rPr(FONTS.heading, SZ.body, { bold: true, colour: DRAFT_COLOUR });

/** the body of word/document.xml (the paragraphs, without the section properties) */
function documentBody(doc: NoticeDocument): string {
  let body = '';
  if (doc.draft) body += para(DRAFT_MARK, DRAFT, { keepNext: true });
  if (doc.agency.trim()) body += para(doc.agency, TITLE, { jc: 'center', line: TITLE_LINE, keepNext: true });
  body += para(doc.title, TITLE, { jc: 'center', line: TITLE_LINE, keepNext: true });
  body += para(numberText(doc), BODY, { jc: 'center', keepNext: true });
  body += para('', BODY, { keepNext: true });
  if (doc.recipient.trim()) body += para(`${doc.recipient}：`, BODY, { keepNext: doc.paragraphs.length > 0 });
  for (const p of doc.paragraphs) body += para(p, BODY, { jc: 'both', firstLine: INDENT_2 });
  const closing = [doc.seal, doc.signature, chineseDate(doc.date)].filter((s) => s.trim() !== '');
  body += para('', BODY, { keepNext: true });
  closing.forEach((s, i) => {
    body += para(s, BODY, { jc: 'right', right: INDENT_2, keepNext: i < closing.length - 1, keepLines: true });
  });
  if (doc.footer.length > 0) {
    body += para('', BODY);
    for (const f of doc.footer) body += para(f, SMALL, { line: FOOTER_LINE });
  }
  return body;
}

function documentXml(doc: NoticeDocument): string {
  const sectPr =
    '<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>' +
    `<w:pgSz w:w="${A4.width}" w:h="${A4.height}" w:orient="portrait"/>` +
    `<w:pgMar w:top="${MARGIN.top}" w:right="${MARGIN.right}" w:bottom="${MARGIN.bottom}" w:left="${MARGIN.left}" w:header="${MARGIN.header}" w:footer="${MARGIN.footer}" w:gutter="0"/>` +
    '<w:pgNumType w:start="1"/><w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>';
  return `${XML_DECL}<w:document xmlns:w="${W_NS}" xmlns:r="${R_NS}"><w:body>${documentBody(doc)}${sectPr}</w:body></w:document>`;
}

/** word/styles.xml: the defaults (仿宋_GB2312 三号, exact 29 pt) and the styles Word expects to find */
function stylesXml(): string {
  const f = fontOf(FONTS.body);
  return (
    `${XML_DECL}<w:styles xmlns:w="${W_NS}">` +
    '<w:docDefaults><w:rPrDefault><w:rPr>' +
    `<w:rFonts w:ascii="${f.ascii}" w:hAnsi="${f.hAnsi}" w:cs="${f.cs}" w:eastAsia="${f.eastAsia}" w:hint="${f.hint}"/>` +
    `<w:sz w:val="${SZ.body}"/><w:szCs w:val="${SZ.body}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/>` +
    '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>' +
    `<w:spacing w:before="0" w:after="0" w:line="${LINE}" w:lineRule="exact"/>` +
    '</w:pPr></w:pPrDefault></w:docDefaults>' +
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl/></w:pPr></w:style>' +
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>' +
    '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>' +
    '<w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>' +
    `${rPr(FONTS.table, SZ.pageNumber)}</w:style>` +
    '</w:styles>'
  );
}

/** word/footer1.xml: the page number “- 1 -”, centred (a PAGE field) */
function footerXml(): string {
  const p = rPr(FONTS.table, SZ.pageNumber);
  const r = (inner: string) => `<w:r>${p}${inner}</w:r>`;
  return (
    `${XML_DECL}<w:ftr xmlns:w="${W_NS}" xmlns:r="${R_NS}"><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>` +
    r('<w:t xml:space="preserve">- </w:t>') +
    r('<w:fldChar w:fldCharType="begin"/>') +
    r('<w:instrText xml:space="preserve"> PAGE </w:instrText>') +
    r('<w:fldChar w:fldCharType="separate"/>') +
    r('<w:t>1</w:t>') +
    r('<w:fldChar w:fldCharType="end"/>') +
    r('<w:t xml:space="preserve"> -</w:t>') +
    '</w:p></w:ftr>'
  );
}

const SETTINGS =
  `${XML_DECL}<w:settings xmlns:w="${W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>` +
  '<w:characterSpacingControl w:val="compressPunctuation"/>' +
  '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>' +
  '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>';

const OFFICE = 'application/vnd.openxmlformats-officedocument';
const CONTENT_TYPES =
  `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  `<Override PartName="/word/document.xml" ContentType="${OFFICE}.wordprocessingml.document.main+xml"/>` +
  `<Override PartName="/word/styles.xml" ContentType="${OFFICE}.wordprocessingml.styles+xml"/>` +
  `<Override PartName="/word/settings.xml" ContentType="${OFFICE}.wordprocessingml.settings+xml"/>` +
  `<Override PartName="/word/fontTable.xml" ContentType="${OFFICE}.wordprocessingml.fontTable+xml"/>` +
  `<Override PartName="/word/footer1.xml" ContentType="${OFFICE}.wordprocessingml.footer+xml"/>` +
  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
  `<Override PartName="/docProps/app.xml" ContentType="${OFFICE}.extended-properties+xml"/>` +
  '</Types>';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELS =
  `${XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/>` +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  `<Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/>` +
  '</Relationships>';

const DOCUMENT_RELS =
  `${XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="${REL}/styles" Target="styles.xml"/>` +
  `<Relationship Id="rId2" Type="${REL}/settings" Target="settings.xml"/>` +
  `<Relationship Id="rId3" Type="${REL}/fontTable" Target="fontTable.xml"/>` +
  `<Relationship Id="rId4" Type="${REL}/footer" Target="footer1.xml"/>` +
  '</Relationships>';

const APP =
  `${XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
  '<Application>nianbao</Application></Properties>';

/** docProps/core.xml: title, the agency as description, created and modified on the notice's date */
function coreXml(doc: NoticeDocument, date: DocDate): string {
  const stamp = dateStamp(date);
  const title = clean(doc.title).replace(/\s+/g, ' ').trim();
  const agency = clean(doc.agency).replace(/\s+/g, ' ').trim();
  return (
    `${XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    (title ? `<dc:title>${xmlEscape(title)}</dc:title>` : '') +
    '<dc:subject>政府信息公开申请办理文书</dc:subject><dc:creator>nianbao</dc:creator>' +
    (agency ? `<dc:description>${xmlEscape(agency)}</dc:description>` : '') +
    '<cp:lastModifiedBy>nianbao</cp:lastModifiedBy><cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified></cp:coreProperties>`
  );
}

/** The notice as a Word document (.docx bytes). */
export async function renderNoticeDocx(doc: NoticeDocument): Promise<Uint8Array> {
  const date = noticeDate(doc);
  const parts: [string, string][] = [
    ['[Content_Types].xml', CONTENT_TYPES],
    ['_rels/.rels', PACKAGE_RELS],
    ['docProps/core.xml', coreXml(doc, date)],
    ['docProps/app.xml', APP],
    ['word/document.xml', documentXml(doc)],
    ['word/_rels/document.xml.rels', DOCUMENT_RELS],
    ['word/styles.xml', stylesXml()],
    ['word/settings.xml', SETTINGS],
    ['word/fontTable.xml', fontTableXml()],
    ['word/footer1.xml', footerXml()],
  ];
  const files: Record<string, Uint8Array> = {};
  for (const [path, xml] of parts) files[path] = strToU8(xml);
  return zipPackage(files, date);
}

// ---------------------------------------------------------------------------
// PDF

type Node = Record<string, unknown>;

const MM = 72 / 25.4;
/** the sizes of the report's PDF: title 二号 22 pt, body 三号 (15.75 pt: 28 characters a line), footer lines 四号 */
const PT = { title: 22, body: 15.75, footer: 14, folio: 14 } as const;
const BODY_LINE_HEIGHT = 1.25;
/** one blank line of the body */
const BLANK = PT.body * 1.437 * BODY_LINE_HEIGHT;

/** The pdfmake document definition of a notice. */
export function noticePdfDefinition(doc: NoticeDocument): Node {
  const content: Node[] = [];
  if (doc.draft) content.push({ text: DRAFT_MARK, style: 'draft' });
  const titleLines = [doc.agency, doc.title].map(clean).filter((s) => s.trim() !== '');
  content.push({ text: titleLines.join('\n'), style: 'title' });
  content.push({ text: numberText(doc), style: 'number' });
  if (doc.recipient.trim()) content.push({ text: `${clean(doc.recipient)}：` });
  for (const p of doc.paragraphs) {
    // a long paragraph goes to pdfmake in pieces (its layout time grows with the square of the
    // length): the later pieces continue the paragraph without the first-line indent
    pieces(clean(p)).forEach((text, k) => {
      content.push({ text, style: k === 0 ? 'body' : 'bodyContinued' });
    });
  }
  const closing = [doc.seal, doc.signature, chineseDate(doc.date)].map(clean).filter((s) => s.trim() !== '');
  if (closing.length > 0) content.push({ stack: closing.map((text) => ({ text })), style: 'closing', unbreakable: true });
  if (doc.footer.length > 0) content.push({ stack: doc.footer.map((f) => ({ text: clean(f) })), style: 'footer' });
  const date = noticeDate(doc);
  const when = new Date(Date.UTC(date.y, date.m - 1, date.d));
  return {
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: [MARGINS.left, MARGINS.top, MARGINS.right, MARGINS.bottom],
    info: {
      title: clean(doc.title),
      author: clean(doc.agency) || undefined,
      subject: '政府信息公开申请办理文书',
      creator: 'nianbao',
      producer: 'nianbao (pdfmake)',
      creationDate: when,
      modDate: when,
    },
    language: 'zh-CN',
    content,
    footer: (page: number) => ({ text: `- ${page} -`, style: 'folio' }),
    defaultStyle: { font: 'Serif', fontSize: PT.body, lineHeight: BODY_LINE_HEIGHT },
    styles: {
      draft: { font: 'Hei', bold: true, color: '#ff0000', margin: [0, 0, 0, PT.body / 2] },
      title: { font: 'Serif', bold: true, fontSize: PT.title, alignment: 'center', lineHeight: 1.3 },
      number: { alignment: 'center', margin: [0, PT.body / 2, 0, BLANK] },
      body: { leadingIndent: 2 * PT.body, alignment: 'justify' },
      bodyContinued: { alignment: 'justify' },
      closing: { alignment: 'right', margin: [0, BLANK, 2 * PT.body, 0] },
      footer: { fontSize: PT.footer, margin: [0, BLANK, 0, 0] },
      // 7 mm under the text area, as the report
      folio: { fontSize: PT.folio, lineHeight: 1, alignment: 'center', margin: [0, 7 * MM, 0, 0] },
    },
  };
}

/** The notice as a PDF. Throws FontError (./pdf.ts) when the Noto CJK fonts are not installed. */
export async function renderNoticePdf(doc: NoticeDocument): Promise<Uint8Array> {
  const pdf = await printer().createPdfKitDocument(noticePdfDefinition(doc));
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (c) => chunks.push(c));
    pdf.on('end', () => {
      const b = Buffer.concat(chunks);
      resolve(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    });
    pdf.on('error', reject);
    pdf.end();
  });
}

// ---------------------------------------------------------------------------

/** The notice in the format asked for. */
export function renderNotice(doc: NoticeDocument, format: NoticeFormat): Promise<Uint8Array> {
  return format === 'pdf' ? renderNoticePdf(doc) : renderNoticeDocx(doc);
}

/** characters no file name may hold on Windows, macOS or Linux, and controls */
const UNSAFE = /[\\/:*?"<>|\u0000-\u001F\u007F]/g;
/** the generic head of a title, left out of the file name (政府信息公开申请补正告知书 → 补正告知书) */
const TITLE_HEAD = /^(政府信息公开申请|政府信息公开|依申请公开)/;

/**
 * The file name of a notice: the kind of notice and the 发文字号, e.g.
 * 补正告知书-淮政依申〔2026〕第3号.docx; a draft ends in -草稿. Characters
 * unsafe in file names become “_”.
 */
export function noticeFileName(doc: NoticeDocument, format: NoticeFormat): string {
  const safe = (s: string) => xmlText(s).replace(UNSAFE, '_').replace(/\s+/g, ' ').trim();
  const title = safe(doc.title);
  const kind = title.replace(TITLE_HEAD, '') || title || '文书';
  const parts = [kind];
  const number = doc.number === null ? '' : safe(doc.number);
  if (number) parts.push(number);
  if (doc.draft) parts.push('草稿');
  // at most 120 characters before the extension; no leading or trailing dots
  const stem =
    Array.from(parts.join('-'))
      .slice(0, 120)
      .join('')
      .replace(/^\.+|\.+$/g, '') || '文书';
  return `${stem}.${format}`;
}
