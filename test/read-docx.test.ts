import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_ROWS, applicationRows } from '../src/model/format.js';
import type { Cell, DocumentModel, TableBlock } from '../src/read/document.js';
import { readDocx } from '../src/read/docx.js';
import { LIMITS, ReadError } from '../src/read/errors.js';
import { openZip, unzip } from '../src/read/zip.js';
import {
  codeOf,
  corruptCrc,
  declaredSize,
  errorOf,
  gridWidths,
  oleBytes,
  paragraphs,
  patchDeclaredSize,
  randomBytes,
  rawDocx,
  replaceMember,
  reportDocx,
  summary,
  table2Value,
  tables,
  toGrid,
} from './fixtures/office/make-fixtures.js';
import { CORPUS } from './helpers/paths.js';

const TEMPLATE = join(CORPUS, 'docx', 'template-2021.docx');
const text = (c: Cell | undefined) => c?.text;
const r = (t: string) => `<w:r><w:t xml:space="preserve">${t}</w:t></w:r>`;
const p = (t: string) => `<w:p>${r(t)}</w:p>`;
const tc = (t: string, pr = '') => `<w:tc>${pr ? `<w:tcPr>${pr}</w:tcPr>` : ''}${p(t)}</w:tc>`;

describe('readDocx: report-like document (docx package)', () => {
  let doc: DocumentModel;
  let t2: TableBlock;
  beforeAll(async () => {
    doc = readDocx(await reportDocx(), 'report.docx');
    t2 = tables(doc)[0];
  });

  it('keeps body order: paragraphs and tables interleaved; nested tables are not blocks', () => {
    expect(doc.kind).toBe('docx');
    expect(doc.source).toBe('report.docx');
    expect(summary(doc.blocks)).toEqual([
      'P:某某局2023年政府信息公开工作年度报告',
      'P:甲\t乙\n丙新增文字',
      'P:三、收到和处理政府信息公开申请情况',
      'T:28',
      'P:四、政府信息公开行政复议、行政诉讼情况',
      'T:1',
      'P:五、存在的主要问题及改进情况',
    ]);
  });

  it('paragraph text: w:tab → \\t, w:br → \\n, inserted text kept, deleted text dropped', () => {
    const p = paragraphs(doc)[1];
    expect(p.text).toBe('甲\t乙\n丙新增文字');
    expect(p.text).not.toContain('删除');
  });

  it('paragraph provenance counts body paragraphs, blank ones included, table paragraphs excluded', () => {
    expect(paragraphs(doc).map((p) => p.prov)).toEqual([
      { kind: 'docx-paragraph', paragraph: 1 },
      { kind: 'docx-paragraph', paragraph: 3 }, // paragraph 2 is blank
      { kind: 'docx-paragraph', paragraph: 4 },
      { kind: 'docx-paragraph', paragraph: 5 },
      { kind: 'docx-paragraph', paragraph: 6 },
    ]);
  });

  it('表二 header: note cell 3×3, 申请人情况 colspan 7, 自然人/总计 rowspan 2, 法人或其他组织 colspan 5', () => {
    const [r1, r2, r3] = t2.rows;
    expect(r1.map((c) => [c.text, c.colspan, c.rowspan])).toEqual([
      ['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 3, 3],
      ['申请人情况', 7, undefined],
    ]);
    // the vMerge continuation of the note cell is the first w:tc of rows 2 and 3 and is not emitted
    expect(r2.map((c) => [c.text, c.colspan, c.rowspan, c.prov])).toEqual([
      ['自然人', undefined, 2, { kind: 'table', table: 1, row: 2, cell: 2 }],
      ['法人或其他组织', 5, undefined, { kind: 'table', table: 1, row: 2, cell: 3 }],
      ['总计', undefined, 2, { kind: 'table', table: 1, row: 2, cell: 4 }],
    ]);
    expect(r3.map((c) => c.text)).toEqual(['商业\n企业', '科研\n机构', '社会公益组织', '法律服务机构', '其他']);
    expect(r3.map((c) => (c.prov.kind === 'table' ? c.prov.cell : 0))).toEqual([3, 4, 5, 6, 7]);
  });

  it('三、本年度办理结果 spans 22 rows; sub-group cells span their leaves; continuation cells are skipped', () => {
    const l3 = t2.rows.flat().find((c) => c.text === '三、本年度办理结果');
    expect(l3?.rowspan).toBe(22);
    expect(l3?.prov).toEqual({ kind: 'table', table: 1, row: 6, cell: 1 });
    const span = (label: string) => t2.rows.flat().find((c) => c.text === label)?.rowspan;
    expect(span('（三）不予公开')).toBe(8);
    expect(span('（四）无法提供')).toBe(3);
    expect(span('（五）不予处理')).toBe(5);
    expect(span('（六）其他处理')).toBe(3);
    // the second leaf of （三）: two continuation cells precede the label in the source row
    const row = t2.rows.find((r) => r.some((c) => c.text === '2.其他法律行政法规禁止公开'))!;
    expect(row).toHaveLength(8);
    expect(row[0].prov).toEqual({ kind: 'table', table: 1, row: 9, cell: 3 });
    expect(row[1].prov).toEqual({ kind: 'table', table: 1, row: 9, cell: 4 });
    const total = t2.rows.find((r) => r[0].text === '（七）总计')!;
    expect(total[0].colspan).toBe(2);
    expect(total[0].prov).toEqual({ kind: 'table', table: 1, row: 27, cell: 2 });
    const last = t2.rows[27];
    expect([last[0].text, last[0].colspan]).toEqual(['四、结转下年度继续办理', 3]);
  });

  it('the cells fill a 10-column grid and every number lands in its column', () => {
    const grid = toGrid(t2.rows);
    expect(grid).toHaveLength(28);
    expect(gridWidths(grid)).toEqual(new Array(28).fill(10));
    const defs = applicationRows('2021');
    defs.forEach((d, k) => {
      const g = grid[3 + k];
      expect(g.slice(3).map(text)).toEqual([0, 1, 2, 3, 4, 5, 6].map((j) => table2Value(k, j)));
      expect(g.slice(0, 3).map(text)).toContain(d.label);
    });
    expect(text(grid[5][0])).toBe('三、本年度办理结果');
    expect(text(grid[26][0])).toBe('三、本年度办理结果');
    expect(text(grid[27][0])).toBe('四、结转下年度继续办理');
  });

  it('a nested table is flattened into the cell text (cells by \\t, rows by \\n)', () => {
    const t = tables(doc)[1];
    expect(t.prov).toEqual({ kind: 'table', table: 2, row: 1, cell: 1 });
    expect(t.rows).toEqual([
      [
        { text: '外层\n内1\t内2\n内3\t内4', prov: { kind: 'table', table: 2, row: 1, cell: 1 } },
        { text: '右', prov: { kind: 'table', table: 2, row: 1, cell: 2 } },
      ],
    ]);
  });
});

describe('readDocx: raw WordprocessingML edge cases', () => {
  it('tab stops in w:pPr, field codes and mc:Fallback are not text; field results and mc:Choice are', () => {
    const body =
      '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs><w:rPr><w:b/></w:rPr></w:pPr>' +
      r('A') +
      '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>' +
      r('7') +
      '<w:r><w:fldChar w:fldCharType="end"/></w:r>' +
      '<mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>B</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>B</w:t></w:r></mc:Fallback></mc:AlternateContent>' +
      '</w:p>';
    const doc = readDocx(rawDocx(body), 'x.docx');
    expect(summary(doc.blocks)).toEqual(['P:A7B']);
  });

  it('text-box paragraphs go on their own lines inside the anchoring paragraph', () => {
    const body = `<w:p>${r('前')}<w:r><w:pict><w:txbxContent>${p('框一')}${p('框二')}</w:txbxContent></w:pict></w:r>${r('后')}</w:p>`;
    const doc = readDocx(rawDocx(body), 'x.docx');
    expect(summary(doc.blocks)).toEqual(['P:前\n框一\n框二\n后']);
  });

  it('text boxes at positions (a PDF imported by LibreOffice) are read page by page in the order of their positions', () => {
    // one box per run of text, in no order within a page; the offsets start again on each page
    const box = (x: number, y: number, t: string, h = 200_000) =>
      '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor behindDoc="1">' +
      `<wp:positionH relativeFrom="column"><wp:posOffset>${x}</wp:posOffset></wp:positionH>` +
      `<wp:positionV relativeFrom="paragraph"><wp:posOffset>${y}</wp:posOffset></wp:positionV>` +
      `<wp:extent cx="${t.length * 100_000}" cy="${h}"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>${p(t)}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>` +
      `</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>${p(t)}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>`;
    const page1 = [
      box(4_000_000, 3_000_000, '5'),
      box(1_000_000, 1_000_000, '标题'),
      box(5_000_000, 3_000_000, '12'),
      // a label in smaller type, a little lower than its row's values
      box(1_000_000, 3_030_000, '行政许可', 160_000),
      box(1_420_000, 3_030_000, '事项', 160_000),
      box(4_000_000, 3_300_000, '0'),
      box(1_000_000, 3_330_000, '行政处罚', 160_000),
      box(5_000_000, 3_300_000, '7'),
      box(3_000_000, 9_000_000, '- 1 -'),
    ];
    const page2 = [box(1_000_000, 1_500_000, '第二页第二行'), box(1_000_000, 1_000_000, '第二页第一行')];
    const documentXml =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">' +
      `<w:body><w:p>${[...page1, ...page2].join('')}</w:p></w:body></w:document>`;
    const doc = readDocx(rawDocx('', { documentXml }), 'x.docx');
    expect(summary(doc.blocks)).toEqual(['P:标题', 'T:2', 'P:- 1 -', 'P:第二页第一行', 'P:第二页第二行']);
    expect(tables(doc)[0].rows.map((row) => row.map(text))).toEqual([
      ['行政许可事项', '5', '12'],
      ['行政处罚', '0', '7'],
    ]);
    // a few boxes stay in their paragraph, where they stand
    const few = readDocx(
      rawDocx('', { documentXml: documentXml.replace(/<w:p>.*<\/w:p>/, `<w:p>${r('前')}${page2.join('')}${r('后')}</w:p>`) }),
      'y.docx',
    );
    expect(summary(few.blocks)).toEqual(['P:前\n第二页第二行\n第二页第一行\n后']);
  });

  it('content controls are transparent; moveFrom and deleted runs (tabs, breaks too) are dropped, moveTo kept; cr and noBreakHyphen', () => {
    const body =
      `<w:sdt><w:sdtPr><w:alias w:val="标题"/></w:sdtPr><w:sdtContent>${p('控件内')}</w:sdtContent></w:sdt>` +
      `<w:p><w:moveFrom w:id="1" w:author="a">${r('旧位置')}</w:moveFrom><w:moveTo w:id="2" w:author="a">${r('新位置')}</w:moveTo>` +
      '<w:del w:id="3" w:author="a"><w:r><w:tab/><w:br/><w:delText>删</w:delText></w:r></w:del>' +
      '<w:r><w:cr/><w:t>2023</w:t><w:noBreakHyphen/><w:t>2024</w:t></w:r></w:p>';
    const doc = readDocx(rawDocx(body), 'x.docx');
    expect(summary(doc.blocks)).toEqual(['P:控件内', 'P:新位置\n2023-2024']);
    expect(doc.blocks[1].prov).toEqual({ kind: 'docx-paragraph', paragraph: 2 });
  });

  it('vertical merges are matched by grid column (gridBefore, gridSpan), orphan continuations are kept, deleted rows dropped', () => {
    const body =
      '<w:tbl>' +
      // row 1: gridBefore 1, then a restart cell at grid column 1
      `<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>${tc('合并', '<w:vMerge w:val="restart"/>')}${tc('b1')}</w:tr>` +
      // row 2: a 1-column cell, then the continuation at grid column 1
      `<w:tr>${tc('a2')}${tc('', '<w:vMerge/>')}${tc('b2')}</w:tr>` +
      // row 3: tracked deletion of the whole row
      `<w:tr><w:trPr><w:del w:id="9" w:author="a"/></w:trPr>${tc('删')}${tc('删')}${tc('删')}</w:tr>` +
      // row 4: the continuation is at grid column 0 where nothing is open → an ordinary cell; legacy hMerge
      `<w:tr>${tc('孤', '<w:vMerge/>')}${tc('h1', '<w:hMerge w:val="restart"/>')}${tc('', '<w:hMerge/>')}</w:tr>` +
      '</w:tbl>';
    const doc = readDocx(rawDocx(body), 'x.docx');
    const t = tables(doc)[0];
    expect(t.rows.map((row) => row.map((c) => [c.text, c.colspan ?? 1, c.rowspan ?? 1]))).toEqual([
      [
        ['合并', 1, 2],
        ['b1', 1, 1],
      ],
      [
        ['a2', 1, 1],
        ['b2', 1, 1],
      ],
      [
        ['孤', 1, 1],
        ['h1', 2, 1],
      ],
    ]);
    // provenance keeps source numbering: b2 is the third w:tc of row 2, the last row is w:tr number 4
    expect(t.rows[1][1].prov).toEqual({ kind: 'table', table: 1, row: 2, cell: 3 });
    expect(t.rows[2][1].prov).toEqual({ kind: 'table', table: 1, row: 4, cell: 2 });
  });

  it('text in a continuation cell is appended to the merged cell; blank paragraphs around cell text are dropped', () => {
    const body =
      '<w:tbl>' +
      `<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p/>${p('上')}<w:p/><w:p/></w:tc></w:tr>` +
      `<w:tr>${tc('下', '<w:vMerge/>')}</w:tr>` +
      `<w:tr><w:tc><w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p></w:tc></w:tr>` +
      '</w:tbl>';
    const t = tables(readDocx(rawDocx(body), 'x.docx'))[0];
    expect(t.rows.map((row) => row.map((c) => [c.text, c.rowspan]))).toEqual([[['上\n下', 2]], [], [['', undefined]]]);
  });

  it('accepts any prefix or the default namespace for WordprocessingML', () => {
    const ns = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const a = `<?xml version="1.0"?><x:document xmlns:x="${ns}"><x:body><x:p><x:r><x:t>前缀</x:t></x:r></x:p><x:tbl><x:tr><x:tc><x:p><x:r><x:t>格</x:t></x:r></x:p></x:tc></x:tr></x:tbl></x:body></x:document>`;
    expect(summary(readDocx(rawDocx('', { documentXml: a }), 'a.docx').blocks)).toEqual(['P:前缀', 'T:1']);
    const b = `<?xml version="1.0"?><document xmlns="${ns}"><body><p><r><t>默认</t></r></p></body></document>`;
    expect(summary(readDocx(rawDocx('', { documentXml: b }), 'b.docx').blocks)).toEqual(['P:默认']);
  });

  it('finds the main part through _rels/.rels when it is not word/document.xml', () => {
    const ns = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const bytes = zipSync({
      '_rels/.rels': strToU8(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>',
      ),
      'word/document2.xml': strToU8(`<w:document xmlns:w="${ns}"><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>`),
    });
    expect(summary(readDocx(bytes, 'x.docx').blocks)).toEqual(['P:正文']);
  });
});

describe('readDocx: corpus template-2021.docx', () => {
  let doc: DocumentModel;
  beforeAll(() => {
    doc = readDocx(new Uint8Array(readFileSync(TEMPLATE)), TEMPLATE);
  });

  it('has the six section headings in order and three tables between them', () => {
    const headings = paragraphs(doc)
      .map((p) => p.text)
      .filter((t) => /^[一二三四五六]、/.test(t));
    expect(headings).toEqual([
      '一、总体情况',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况',
      '六、其他需要报告的事项',
    ]);
    const kinds = doc.blocks.map((b) =>
      b.type === 'table' ? 'T' : b.text.startsWith('二、') || b.text.startsWith('三、') || b.text.startsWith('四、') ? 'H' : '',
    );
    expect(kinds.filter(Boolean).join('')).toBe('HTHTHT');
    expect(tables(doc).map((t) => t.prov)).toEqual([1, 2, 3].map((table) => ({ kind: 'table', table, row: 1, cell: 1 })));
  });

  it('表一 rows carry the labels of Table A in order', () => {
    const t = tables(doc)[0];
    const firsts = t.rows.map((r) => r[0].text);
    expect(firsts).toEqual([
      '第二十条第（一）项',
      '信息内容',
      '规章',
      '行政规范性文件',
      '第二十条第（五）项',
      '信息内容',
      '行政许可',
      '第二十条第（六）项',
      '信息内容',
      '行政处罚',
      '行政强制',
      '第二十条第（八）项',
      '信息内容',
      '行政事业性收费',
    ]);
    expect(t.rows[1].map((c) => c.text)).toEqual(['信息内容', '本年制发件数', '本年废止件数', '现行有效件数']);
    expect(gridWidths(toGrid(t.rows))).toEqual(new Array(14).fill(4));
  });

  it('表二 rows contain the 2021 labels in order, with the template merges', () => {
    const t = tables(doc)[1];
    expect(t.rows).toHaveLength(28);
    const labels = applicationRows('2021').map((d) => d.label);
    // the most specific label of each data row is in its cells, one data row per label, in order
    const dataRows = t.rows.slice(3);
    expect(dataRows).toHaveLength(labels.length);
    dataRows.forEach((row, i) => {
      expect(row.map((c) => c.text)).toContain(labels[i]);
      expect(row.slice(-7).every((c) => c.text === '')).toBe(true);
    });
    const secret = t.rows.find((r) => r.some((c) => c.text === '1.属于国家秘密'));
    expect(secret?.map((c) => c.text).slice(0, 2)).toEqual(['（三）不予公开', '1.属于国家秘密']);
    const note = t.rows[0][0];
    expect([note.colspan, note.rowspan, note.text]).toEqual([3, 3, '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）']);
    expect(t.rows.flat().find((c) => c.text === '法人或其他组织')?.colspan).toBe(5);
    expect(t.rows.flat().find((c) => c.text === '三、本年度办理结果')?.rowspan).toBe(22);
    expect(gridWidths(toGrid(t.rows))).toEqual(new Array(28).fill(10));
    // every label of the 2021 rows (levels 1–3) is a cell of its own
    const all = new Set(t.rows.flat().map((c) => c.text));
    for (const d of APPLICATION_ROWS.filter((x) => x.versions.includes('2021'))) {
      for (const l of [d.level1, d.level2, d.level3, d.label]) if (l) expect(all.has(l), l).toBe(true);
    }
  });

  it('表三 is a 15-column grid with the two litigation groups', () => {
    const t = tables(doc)[2];
    expect(t.rows[0].map((c) => [c.text, c.colspan])).toEqual([
      ['行政复议', 5],
      ['行政诉讼', 10],
    ]);
    expect(t.rows[1].slice(5).map((c) => [c.text, c.colspan])).toEqual([
      ['未经复议直接起诉', 5],
      ['复议后起诉', 5],
    ]);
    expect(t.rows[1].slice(0, 5).map((c) => [c.text.replace(/\n/g, ''), c.rowspan])).toEqual(
      ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'].map((s) => [s, 2]),
    );
    expect(gridWidths(toGrid(t.rows))).toEqual([15, 15, 15, 15]);
  });
});

describe('readDocx: bad input', () => {
  let good: Uint8Array;
  beforeAll(async () => {
    good = await reportDocx();
  });

  it('a valid fixture reads (control for the cases below)', () => {
    expect(codeOf(() => readDocx(good, 'ok.docx'))).toBe('no error');
  });

  it('empty input → empty', () => {
    expect(codeOf(() => readDocx(new Uint8Array(0), 'e.docx'))).toBe('empty');
  });

  it('a truncated docx → corrupt, with a bilingual message naming the file', () => {
    for (const n of [good.length - 1, Math.floor(good.length / 2), 100, 21]) {
      expect(codeOf(() => readDocx(good.subarray(0, n), 't.docx'))).toBe('corrupt');
    }
    const e = errorOf(() => readDocx(good.subarray(0, good.length >> 1), 't.docx'));
    expect(e.file).toBe('t.docx');
    expect(e.zh).toMatch(/损坏/);
    expect(e.en).toMatch(/damaged/);
    expect(e.message).toContain('t.docx');
  });

  it('random bytes → corrupt (also when they start with a ZIP signature)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      expect(codeOf(() => readDocx(randomBytes(5000, seed), 'r.docx'))).toBe('corrupt');
      const pk = randomBytes(5000, seed);
      pk.set([0x50, 0x4b, 0x03, 0x04]);
      expect(codeOf(() => readDocx(pk, 'r.docx'))).toBe('corrupt');
    }
  });

  it('OLE compound file → unsupported (old .doc), or encrypted when it holds an EncryptedPackage stream', () => {
    const e = errorOf(() => readDocx(oleBytes(false), 'old.doc'));
    expect(e.code).toBe('unsupported');
    expect(e.zh).toContain('.docx');
    expect(e.en).toContain('.docx');
    expect(codeOf(() => readDocx(oleBytes(true), 'locked.docx'))).toBe('encrypted');
  });

  it('RTF saved with a .docx name → unsupported', () => {
    expect(codeOf(() => readDocx(strToU8('{\\rtf1\\ansi 你好}'), 'x.docx'))).toBe('unsupported');
  });

  it('a ZIP without word/document.xml → corrupt', () => {
    expect(codeOf(() => readDocx(zipSync({ 'a.txt': strToU8('hello') }), 'x.docx'))).toBe('corrupt');
  });

  it('malformed XML, invalid UTF-8 and undefined entities (no entity expansion) → corrupt', () => {
    expect(codeOf(() => readDocx(rawDocx('<w:p><w:r><w:t>x</w:r></w:p>'), 'x.docx'))).toBe('corrupt');
    const badUtf8 = replaceMember(rawDocx(''), 'word/document.xml', new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]));
    expect(codeOf(() => readDocx(badUtf8, 'x.docx'))).toBe('corrupt');
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>';
    expect(codeOf(() => readDocx(rawDocx('', { documentXml: laughs }), 'x.docx'))).toBe('corrupt');
  });

  it('a member declaring 1 GB (hand-patched central directory) → zip-bomb before anything is inflated', () => {
    const base = rawDocx(p('x'), { extra: { 'word/media/zeros.bin': new Uint8Array(1000) } });
    const bomb = patchDeclaredSize(base, 'word/media/zeros.bin', 1024 * 1024 * 1024);
    expect(declaredSize(bomb, 'word/media/zeros.bin')).toBe(2 ** 30);
    expect(codeOf(() => readDocx(bomb, 'bomb.docx'))).toBe('zip-bomb');
    expect(codeOf(() => openZip(bomb, 'bomb.docx', 'docx'))).toBe('zip-bomb');
  });

  it('many members whose declared sizes add up beyond the limit → zip-bomb (each too small for the ratio check)', () => {
    const each = 1024 * 1024; // members up to 1 MB are exempt from the ratio check
    const n = Math.floor(LIMITS.maxUnzippedBytes / each); // n MB plus the real parts is just over the limit
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < n; i++) files[`word/media/m${i}.bin`] = new Uint8Array(10);
    let z = rawDocx(p('x'), { extra: files });
    for (let i = 0; i < n - 1; i++) z = patchDeclaredSize(z, `word/media/m${i}.bin`, each);
    // one member short of the limit: accepted
    expect(codeOf(() => openZip(z, 'ok.docx', 'docx'))).toBe('no error');
    z = patchDeclaredSize(z, `word/media/m${n - 1}.bin`, each);
    const e = errorOf(() => readDocx(z, 'bomb.docx'));
    expect(e.code).toBe('zip-bomb');
    expect(e.en).toMatch(/total/);
  });

  it('a real highly compressible member (4 MB of zeros, ratio ≈ 1000:1) → zip-bomb', () => {
    const z = rawDocx(p('x'), { extra: { 'word/media/zeros.bin': new Uint8Array(4 * 1024 * 1024) } });
    const e = errorOf(() => readDocx(z, 'bomb.docx'));
    expect(e.code).toBe('zip-bomb');
    expect(e.en).toContain('zeros.bin');
  });

  it('a member that inflates to more than its header says → zip-bomb (sizes are verified while inflating)', () => {
    // 3 MB of XML whitespace compresses ≈ 1000:1; the header is patched to claim 2 KB so no header check fires
    const pad = ' '.repeat(3 * 1024 * 1024);
    const ns = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const xml = `<w:document xmlns:w="${ns}"><w:body>${pad}<w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>`;
    const z = patchDeclaredSize(rawDocx('', { documentXml: xml }), 'word/document.xml', 2048);
    expect(codeOf(() => openZip(z, 'lie.docx', 'docx'))).toBe('no error');
    expect(codeOf(() => readDocx(z, 'lie.docx'))).toBe('zip-bomb');
  });

  it('a member that inflates to less than declared, or with a wrong CRC → corrupt', () => {
    const z = rawDocx(p('内容'));
    const n = declaredSize(z, 'word/document.xml');
    expect(codeOf(() => readDocx(patchDeclaredSize(z, 'word/document.xml', n + 10), 'x.docx'))).toBe('corrupt');
    expect(codeOf(() => readDocx(corruptCrc(z, 'word/document.xml'), 'x.docx'))).toBe('corrupt');
    expect(codeOf(() => readDocx(z, 'x.docx'))).toBe('no error');
  });

  it('a corrupt deflate stream → corrupt', () => {
    const z = rawDocx(p('内容'.repeat(200))).slice();
    // the first local header's data start: corrupt a few bytes in the middle of document.xml's stream
    const zip = openZip(z, 'x.docx', 'docx');
    const e = zip.find('word/document.xml')!;
    const start = e.offset + 30 + (z[e.offset + 26] | (z[e.offset + 27] << 8)) + (z[e.offset + 28] | (z[e.offset + 29] << 8));
    for (let i = 2; i < Math.min(40, e.compressedSize); i++) z[start + i] ^= 0x5a;
    expect(codeOf(() => readDocx(z, 'x.docx'))).toBe('corrupt');
  });

  it('only the requested members are inflated', () => {
    const base = rawDocx(p('x'), { extra: { 'word/media/big.bin': new Uint8Array(200_000) } });
    const lying = patchDeclaredSize(base, 'word/media/big.bin', 100);
    // the lying member is never touched when it is not asked for …
    const got = unzip(lying, 'x.docx', 'docx', (n) => n === 'word/document.xml');
    expect([...got.keys()]).toEqual(['word/document.xml']);
    expect(summary(readDocx(lying, 'x.docx').blocks)).toEqual(['P:x']);
    // … and caught when it is
    expect(codeOf(() => unzip(lying, 'x.docx', 'docx', () => true))).toBe('zip-bomb');
  });

  it(`more than LIMITS.maxCells table cells → too-large`, () => {
    const rows: string[] = [];
    const perRow = 50;
    for (let i = 0; i * perRow <= LIMITS.maxCells; i++) {
      const cells: string[] = [];
      for (let j = 0; j < perRow; j++) cells.push(`<w:tc><w:p><w:r><w:t>${(i * 7919 + j * 104729) % 1000003}</w:t></w:r></w:p></w:tc>`);
      rows.push(`<w:tr>${cells.join('')}</w:tr>`);
    }
    const z = rawDocx(`<w:tbl>${rows.join('')}</w:tbl>`);
    expect(codeOf(() => openZip(z, 'big.docx', 'docx'))).toBe('no error');
    expect(codeOf(() => readDocx(z, 'big.docx'))).toBe('too-large');
  });

  it('errors are ReadError instances', () => {
    expect(() => readDocx(randomBytes(100), 'r.docx')).toThrow(ReadError);
  });
});
