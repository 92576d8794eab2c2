/**
 * The notice renderers (src/render/notice.ts): the DOCX holds every part of the
 * notice in order in the official typography (title 二号 方正小标宋简体, body 三号
 * 仿宋_GB2312 with a two-character indent and an exact 29 pt line), a draft is
 * marked, XML specials survive and characters XML cannot hold are dropped, the
 * bytes are deterministic; the PDF reads back through our reader with every
 * text, a long paragraph continuing over pages without loss; file names.
 */
import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { chineseDate, type NoticeDocument } from '../src/model/notice.js';
import { readDocument } from '../src/read/index.js';
import { A4, FONTS, INDENT_2, LINE, MARGIN } from '../src/render/docx.js';
import {
  DRAFT_MARK,
  NO_NUMBER,
  noticeFileName,
  noticePdfDefinition,
  renderNotice,
  renderNoticeDocx,
  renderNoticePdf,
} from '../src/render/notice.js';
import { skipping } from './helpers/skip.js';
import { needsFonts } from './helpers/tools.js';

function notice(over: Partial<NoticeDocument> = {}): NoticeDocument {
  return {
    agency: '淮安市人民政府办公室',
    title: '政府信息公开申请补正告知书',
    number: '淮政依申〔2026〕第3号',
    recipient: '张三',
    paragraphs: [
      '本机关于2026年12月1日收到您提交的《政府信息公开申请表》。',
      '经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》第二十九条第三款的规定，请您自收到本告知书之日起15个工作日内对申请内容作出补正。',
      '逾期未补正的，视为放弃申请，本机关不再处理该政府信息公开申请。',
    ],
    signature: '淮安市人民政府办公室',
    date: '2026-12-07',
    seal: '（印章）',
    draft: false,
    footer: ['联系人：李四', '联系电话：0517-83601234'],
    ...over,
  };
}

// ---------------------------------------------------------------------------
// word/document.xml read with saxes

interface WPara {
  text: string;
  jc: string | null;
  firstLine: string | null;
  right: string | null;
  line: string | null;
  lineRule: string | null;
  /** of the runs (the first run's; all runs of a paragraph are alike here) */
  size: string | null;
  eastAsia: string | null;
  ascii: string | null;
  colour: string | null;
  bold: boolean;
}

interface WDoc {
  paras: WPara[];
  pgSz: Record<string, string>;
  pgMar: Record<string, string>;
}

function unzip(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([k, v]) => [k, strFromU8(v)]));
}

/** parses XML strictly (saxes throws on anything not well-formed) */
function parseXml(xml: string, on: (p: SaxesParser) => void = () => {}): void {
  const parser = new SaxesParser({ xmlns: false });
  on(parser);
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
}

function readWordXml(xml: string): WDoc {
  const doc: WDoc = { paras: [], pgSz: {}, pgMar: {} };
  let p: WPara | null = null;
  let inPPr = false;
  let inRun = false;
  let inText = false;
  let runSeen = false;
  parseXml(xml, (parser) => {
    parser.on('opentag', (t) => {
      const a = t.attributes as Record<string, string>;
      switch (t.name) {
        case 'w:p':
          p = {
            text: '',
            jc: null,
            firstLine: null,
            right: null,
            line: null,
            lineRule: null,
            size: null,
            eastAsia: null,
            ascii: null,
            colour: null,
            bold: false,
          };
          runSeen = false;
          break;
        case 'w:pPr':
          inPPr = true;
          break;
        case 'w:jc':
          if (p && inPPr) p.jc = a['w:val'];
          break;
        case 'w:ind':
          if (p && inPPr) {
            p.firstLine = a['w:firstLine'] ?? null;
            p.right = a['w:right'] ?? null;
          }
          break;
        case 'w:spacing':
          if (p && inPPr) {
            p.line = a['w:line'] ?? null;
            p.lineRule = a['w:lineRule'] ?? null;
          }
          break;
        case 'w:r':
          inRun = true;
          break;
        case 'w:rFonts':
          if (p && inRun && !runSeen) {
            p.eastAsia = a['w:eastAsia'] ?? null;
            p.ascii = a['w:ascii'] ?? null;
          }
          break;
        case 'w:sz':
          if (p && inRun && !runSeen) p.size = a['w:val'];
          break;
        case 'w:color':
          if (p && inRun && !runSeen) p.colour = a['w:val'];
          break;
        case 'w:b':
          if (p && inRun && !runSeen) p.bold = true;
          break;
        case 'w:t':
          inText = true;
          break;
        case 'w:br':
          if (p && inRun) p.text += '\n';
          break;
        case 'w:tab':
          if (p && inRun) p.text += '\t';
          break;
        case 'w:pgSz':
          doc.pgSz = a;
          break;
        case 'w:pgMar':
          doc.pgMar = a;
          break;
      }
    });
    parser.on('text', (s) => {
      if (p && inText) p.text += s;
    });
    parser.on('closetag', (t) => {
      if (t.name === 'w:pPr') inPPr = false;
      else if (t.name === 'w:r') {
        inRun = false;
        runSeen = true;
      } else if (t.name === 'w:t') inText = false;
      else if (t.name === 'w:p' && p) {
        doc.paras.push(p);
        p = null;
      }
    });
  });
  return doc;
}

async function docxOf(n: NoticeDocument): Promise<{ files: Record<string, string>; doc: WDoc }> {
  const files = unzip(await renderNoticeDocx(n));
  return { files, doc: readWordXml(files['word/document.xml']) };
}

/** the paragraph with exactly this text (fails when there is none) */
function find(doc: WDoc, text: string): WPara {
  const p = doc.paras.find((q) => q.text === text);
  expect(p, `a paragraph "${text}"`).toBeDefined();
  return p!;
}

const indexOf = (doc: WDoc, text: string) => doc.paras.findIndex((q) => q.text === text);

// ---------------------------------------------------------------------------

describe('renderNoticeDocx', () => {
  it('holds every part of the notice in order, in the official typography', async () => {
    const n = notice();
    const { files, doc } = await docxOf(n);
    const xml = files['word/document.xml'];

    // the agency and the title: centred, 方正小标宋简体 二号
    for (const text of [n.agency, n.title]) {
      const p = find(doc, text);
      expect(p).toMatchObject({ jc: 'center', size: '44', eastAsia: FONTS.title, ascii: FONTS.latin });
    }
    expect(xml).toContain('<w:sz w:val="44"/>');
    // the number: centred, 仿宋_GB2312 三号, under the title
    expect(find(doc, n.number!)).toMatchObject({ jc: 'center', size: '32', eastAsia: FONTS.body });
    // the recipient flush left with the colon
    expect(find(doc, '张三：')).toMatchObject({ jc: 'left', firstLine: null, size: '32', eastAsia: FONTS.body });
    // the body: 三号 仿宋_GB2312, justified, two characters of first-line indent, exact 29 pt
    for (const text of n.paragraphs) {
      expect(find(doc, text)).toMatchObject({
        jc: 'both',
        firstLine: String(INDENT_2),
        size: '32',
        eastAsia: FONTS.body,
        line: String(LINE),
        lineRule: 'exact',
      });
    }
    expect(xml).toContain('<w:ind w:left="0" w:right="0" w:firstLine="640"/>');
    // the seal, the signature and the date right-aligned, in this order
    const date = chineseDate(n.date);
    expect(date).toBe('2026年12月7日');
    const signature = doc.paras[doc.paras.map((q) => q.text).lastIndexOf(n.signature)];
    for (const p of [find(doc, n.seal), signature, find(doc, date)]) expect(p).toMatchObject({ jc: 'right', right: String(INDENT_2) });
    // the footer lines after the date, flush left, 四号
    for (const text of n.footer) expect(find(doc, text)).toMatchObject({ jc: 'left', firstLine: null, size: '28' });

    // (the first paragraph of the agency's name is the line above the title)
    const order = [n.agency, n.title, n.number!, '张三：', ...n.paragraphs, n.seal, date, ...n.footer].map((t) => indexOf(doc, t));
    // the signature is the agency's name again: the later of the two, between the seal and the date
    const signatureAt = doc.paras.map((q) => q.text).lastIndexOf(n.signature);
    expect(signatureAt).toBeGreaterThan(indexOf(doc, n.seal));
    expect(signatureAt).toBeLessThan(indexOf(doc, date));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    // an issued notice carries no draft mark, no colour
    expect(xml).not.toContain('草稿');
    expect(xml).not.toContain(NO_NUMBER);
    expect(xml).not.toContain('w:color');

    // A4 with the margins of GB/T 9704, a footer with the page number
    expect(doc.pgSz).toMatchObject({ 'w:w': String(A4.width), 'w:h': String(A4.height) });
    expect(doc.pgMar).toMatchObject({
      'w:top': String(MARGIN.top),
      'w:bottom': String(MARGIN.bottom),
      'w:left': String(MARGIN.left),
      'w:right': String(MARGIN.right),
    });
    expect(files['word/footer1.xml']).toContain(' PAGE ');
  });

  it('is a well-formed package: every part parses, every part is declared and related', async () => {
    const { files } = await docxOf(notice());
    for (const [path, xml] of Object.entries(files)) expect(() => parseXml(xml), path).not.toThrow();
    const types = files['[Content_Types].xml'];
    for (const path of Object.keys(files)) {
      if (path.endsWith('.rels') || path === '[Content_Types].xml') continue;
      expect(types, path).toContain(`PartName="/${path}"`);
    }
    const rels = files['word/_rels/document.xml.rels'];
    for (const target of ['styles.xml', 'settings.xml', 'fontTable.xml', 'footer1.xml']) expect(rels).toContain(`Target="${target}"`);
    expect(files['_rels/.rels']).toContain('Target="word/document.xml"');
    expect(files['word/fontTable.xml']).toContain(`w:name="${FONTS.title}"`);
    expect(files['docProps/core.xml']).toContain('<dc:title>政府信息公开申请补正告知书</dc:title>');
    expect(files['docProps/core.xml']).toContain('2026-12-07T00:00:00Z');
  });

  it('marks a draft: a red bold first line, （发文时编号） for the number', async () => {
    const n = notice({ draft: true, number: null });
    const { doc } = await docxOf(n);
    expect(doc.paras[0]).toMatchObject({ text: DRAFT_MARK, bold: true, colour: 'FF0000' });
    expect(doc.paras.filter((p) => p.text.includes('草稿'))).toHaveLength(1);
    expect(find(doc, NO_NUMBER)).toMatchObject({ jc: 'center', size: '32' });
    expect(indexOf(doc, NO_NUMBER)).toBe(indexOf(doc, n.title) + 1);
    // the rest of the notice is all there
    for (const text of n.paragraphs) find(doc, text);
  });

  it('keeps XML specials and drops what XML cannot hold', async () => {
    const nasty = '理由：<script>alert("x")</script> & A&amp;B \'引号\' ]]> <!-- 注释 -->';
    const controls = '含\u0000控\u0001制\u0008字\u000B符\u000C和\u001F孤\uD800立\uDFFF代理项\uFFFE，😀保留';
    const n = notice({
      agency: '某局<办公室>&',
      title: '答复告知书"&"',
      number: '〔2026〕<1>号',
      recipient: '张&三<李四>',
      paragraphs: [nasty, controls],
      signature: 'A&B局',
      seal: '<印章>',
      footer: ['电话：<0517>&\u0007'],
    });
    const { doc } = await docxOf(n);
    const texts = doc.paras.map((p) => p.text);
    expect(texts).toContain('某局<办公室>&');
    expect(texts).toContain('答复告知书"&"');
    expect(texts).toContain('〔2026〕<1>号');
    expect(texts).toContain('张&三<李四>：');
    expect(texts).toContain(nasty);
    expect(texts).toContain('含控制字符和孤立代理项，😀保留');
    expect(texts).toContain('A&B局');
    expect(texts).toContain('<印章>');
    expect(texts).toContain('电话：<0517>&');
  });

  it('writes line breaks and tabs inside a paragraph as w:br and w:tab', async () => {
    const { files, doc } = await docxOf(notice({ paragraphs: ['第一行\r\n第二行\n第三行\t完'] }));
    expect(files['word/document.xml']).toContain('<w:br/>');
    expect(files['word/document.xml']).toContain('<w:tab/>');
    find(doc, '第一行\n第二行\n第三行\t完');
  });

  it('leaves out the recipient, the seal and the footer when they are empty', async () => {
    const n = notice({ recipient: '', seal: '', footer: [] });
    const { doc } = await docxOf(n);
    expect(doc.paras.some((p) => p.text.endsWith('：') && !p.text.includes('联系'))).toBe(false);
    expect(doc.paras.filter((p) => p.jc === 'right').map((p) => p.text)).toEqual([n.signature, '2026年12月7日']);
    expect(doc.paras.some((p) => p.size === '28')).toBe(false);
  });

  it('is deterministic: the same notice gives the same bytes, another date other bytes', async () => {
    const a = await renderNoticeDocx(notice());
    const b = await renderNoticeDocx(notice());
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = await renderNoticeDocx(notice({ date: '2026-12-08' }));
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
    expect(strFromU8(unzipSync(c)['docProps/core.xml'])).toContain('2026-12-08T00:00:00Z');
  });

  it('reads back through our DOCX reader paragraph by paragraph', async () => {
    const n = notice();
    const model = await readDocument(await renderNoticeDocx(n), 'n.docx');
    const texts = model.blocks.map((b) => (b.type === 'paragraph' ? b.text : ''));
    const expected = [n.agency, n.title, n.number!, '张三：', ...n.paragraphs, n.seal, n.signature, '2026年12月7日', ...n.footer];
    expect(texts).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------

const squash = (s: string) => s.replace(/\s+/g, '');

/** the text of a PDF as our reader gives it back, whitespace out, and the pages it found text on */
async function pdfText(pdf: Uint8Array): Promise<{ text: string; blocks: string[]; pages: number }> {
  const model = await readDocument(pdf, 'n.pdf');
  const blocks: string[] = [];
  let pages = 0;
  for (const b of model.blocks) {
    const texts = b.type === 'paragraph' ? [b.text] : b.rows.flat().map((c) => c.text);
    blocks.push(...texts.map(squash));
    if (b.prov.kind === 'pdf') pages = Math.max(pages, b.prov.page);
  }
  return { text: blocks.join(''), blocks, pages };
}

describe.skipIf(
  skipping(
    needsFonts,
    'renderNoticePdf',
    '没有安装 Noto CJK 字体（fonts-noto-cjk）',
    'the Noto CJK fonts (fonts-noto-cjk) are not installed',
  ),
)('renderNoticePdf', () => {
  it('reads back with the title, the number, the recipient, every paragraph, the seal, the signature and the date', async () => {
    const n = notice();
    const pdf = await renderNoticePdf(n);
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { text, blocks } = await pdfText(pdf);
    const expected = [n.agency, n.title, n.number!, '张三：', ...n.paragraphs, n.seal, n.signature, '2026年12月7日', ...n.footer].map(
      squash,
    );
    // each in order
    let at = 0;
    for (const t of expected) {
      const i = text.indexOf(t, at);
      expect(i, t).toBeGreaterThanOrEqual(at);
      at = i + t.length;
    }
    for (const t of n.paragraphs) expect(blocks).toContain(squash(t));
    expect(text).not.toContain('草稿');
    expect(text).not.toContain(NO_NUMBER);
  }, 60_000);

  it('marks a draft and prints （发文时编号）', async () => {
    const n = notice({ draft: true, number: null });
    const { blocks } = await pdfText(await renderNoticePdf(n));
    expect(blocks[0]).toBe(DRAFT_MARK);
    expect(blocks).toContain(NO_NUMBER);
    const def = noticePdfDefinition(n) as { content: { text?: string; style?: string }[] };
    expect(def.content[0]).toMatchObject({ text: DRAFT_MARK, style: 'draft' });
  }, 60_000);

  it('continues a long paragraph (3,000 characters) over pages without losing a character', async () => {
    let long = '';
    for (let i = 1; long.length < 3000; i++) long += `第${i}项申请内容经核查属于本机关负责公开的政府信息。`;
    long = long.slice(0, 3000);
    const n = notice({ paragraphs: ['首段。', long, '末段。'] });
    const pdf = await renderNoticePdf(n);
    const { text, pages } = await pdfText(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(text).toContain(squash(long));
    expect(text.indexOf('首段。')).toBeLessThan(text.indexOf(squash(long)));
    expect(text.indexOf(squash(long))).toBeLessThan(text.indexOf('末段。'));
    expect(text).toContain('2026年12月7日');
  }, 60_000);

  it('keeps XML specials and drops control characters', async () => {
    const n = notice({ paragraphs: ['理由：<a>&b "c" \'d\'', '含\u0001控\u000B制\uD800字符'] });
    const { text } = await pdfText(await renderNoticePdf(n));
    expect(text).toContain(squash('理由：<a>&b "c" \'d\''));
    expect(text).toContain('含控制字符');
  }, 60_000);

  it('is deterministic: the same notice gives the same bytes', async () => {
    const a = await renderNoticePdf(notice());
    const b = await renderNoticePdf(notice());
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  }, 60_000);

  it('renderNotice gives the format asked for', async () => {
    const n = notice();
    const pdf = await renderNotice(n, 'pdf');
    const docx = await renderNotice(n, 'docx');
    expect(Buffer.from(pdf.subarray(0, 4)).toString('latin1')).toBe('%PDF');
    expect(Buffer.from(docx.subarray(0, 2)).toString('latin1')).toBe('PK');
    expect(Buffer.from(docx).equals(Buffer.from(await renderNoticeDocx(n)))).toBe(true);
  }, 60_000);
});

// ---------------------------------------------------------------------------

describe('noticeFileName', () => {
  it('names the kind of notice and its number', () => {
    expect(noticeFileName(notice(), 'docx')).toBe('补正告知书-淮政依申〔2026〕第3号.docx');
    expect(noticeFileName(notice(), 'pdf')).toBe('补正告知书-淮政依申〔2026〕第3号.pdf');
    expect(noticeFileName(notice({ title: '政府信息公开申请答复告知书', number: '淮政依申〔2026〕第12号' }), 'pdf')).toBe(
      '答复告知书-淮政依申〔2026〕第12号.pdf',
    );
    // a title without the generic head is kept whole
    expect(noticeFileName(notice({ title: '延期答复告知书' }), 'docx')).toBe('延期答复告知书-淮政依申〔2026〕第3号.docx');
  });

  it('names a draft as such', () => {
    expect(noticeFileName(notice({ draft: true, number: null }), 'docx')).toBe('补正告知书-草稿.docx');
    expect(noticeFileName(notice({ draft: true, number: null }), 'pdf')).toBe('补正告知书-草稿.pdf');
  });

  it('replaces characters unsafe in file names', () => {
    const name = noticeFileName(notice({ title: '补正/告知:书*?', number: '淮政<依申>|"2026"\\第3号\u0001' }), 'docx');
    // control characters are dropped
    expect(name).toBe('补正_告知_书__-淮政_依申___2026__第3号.docx');
    expect(name).not.toMatch(/[\\/:*?"<>|\u0000-\u001F]/);
  });

  it('has a name even for an empty title, and a bounded length', () => {
    expect(noticeFileName(notice({ title: '', number: null }), 'pdf')).toBe('文书.pdf');
    expect(noticeFileName(notice({ title: '政府信息公开申请', number: null }), 'pdf')).toBe('政府信息公开申请.pdf');
    const long = noticeFileName(notice({ title: '告'.repeat(500) }), 'docx');
    expect(Array.from(long).length).toBeLessThanOrEqual(125);
    expect(long.endsWith('.docx')).toBe(true);
  });
});
