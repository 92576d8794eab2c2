import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { applicationRows } from '../src/model/format.js';
import type { DocumentModel, TableBlock } from '../src/read/document.js';
import { LIMITS, ReadError } from '../src/read/errors.js';
import { displayText, formatNumber, readXlsx } from '../src/read/xlsx.js';
import {
  asyncCodeOf,
  declaredSize,
  gridWidths,
  oleBytes,
  paragraphs,
  patchDeclaredSize,
  randomBytes,
  replaceMember,
  reportXlsx,
  summary,
  table2Value,
  tables,
  tinyXlsx,
  toGrid,
} from './fixtures/office/make-fixtures.js';

async function xlsxOf(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('readXlsx: report-like workbook (exceljs)', () => {
  let doc: DocumentModel;
  let t2: TableBlock;
  beforeAll(async () => {
    doc = await readXlsx(await reportXlsx(), 'report.xlsx');
    t2 = tables(doc)[0];
  });

  it('splits the sheet at blank rows and narrative rows; skips hidden sheets', () => {
    expect(doc.kind).toBe('xlsx');
    expect(doc.source).toBe('report.xlsx');
    const s = summary(doc.blocks);
    expect(s).toHaveLength(6);
    expect(s[0]).toBe('P:某某局2023年政府信息公开工作年度报告');
    expect(s[1]).toMatch(/^P:2023年，本局认真贯彻落实/);
    expect(s.slice(2)).toEqual(['P:三、收到和处理政府信息公开申请情况', 'T:28', 'T:1', 'T:2']);
    const everything = JSON.stringify(doc);
    expect(everything).not.toContain('不应读出');
    expect(everything).not.toContain('隐藏');
  });

  it('provenance: sheet position (hidden sheets count), sheet name, A1 address, sheet row and column', () => {
    expect(paragraphs(doc)[1].prov).toEqual({ kind: 'table', table: 1, row: 3, cell: 1, sheet: '年报', address: 'A3' });
    expect(t2.prov).toEqual({ kind: 'table', table: 1, row: 6, cell: 1, sheet: '年报', address: 'A6:J33' });
    const t3 = tables(doc)[2];
    expect(t3.prov).toEqual({ kind: 'table', table: 3, row: 2, cell: 2, sheet: '表三', address: 'B2:P3' });
    expect(t3.rows[0].map((c) => [c.text, c.colspan, c.prov])).toEqual([
      ['行政复议', 5, { kind: 'table', table: 3, row: 2, cell: 2, sheet: '表三', address: 'B2' }],
      ['行政诉讼', 10, { kind: 'table', table: 3, row: 2, cell: 7, sheet: '表三', address: 'G2' }],
    ]);
  });

  it('表二: merged ranges become colspan/rowspan on the master cell, covered cells are not emitted', () => {
    const [r1, r2, r3] = t2.rows;
    expect(r1.map((c) => [c.text, c.colspan, c.rowspan])).toEqual([
      ['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 3, 3],
      ['申请人情况', 7, undefined],
    ]);
    expect(r2.map((c) => [c.text, c.colspan, c.rowspan, c.prov.kind === 'table' && c.prov.address])).toEqual([
      ['自然人', undefined, 2, 'D7'],
      ['法人或其他组织', 5, undefined, 'E7'],
      ['总计', undefined, 2, 'J7'],
    ]);
    expect(r3.map((c) => c.text)).toEqual(['商业\n企业', '科研\n机构', '社会公益组织', '法律服务机构', '其他']);
    const l3 = t2.rows.flat().find((c) => c.text === '三、本年度办理结果');
    expect([l3?.rowspan, l3?.prov.kind === 'table' && l3.prov.address]).toEqual([22, 'A11']);
    expect(t2.rows.flat().find((c) => c.text === '（三）不予公开')?.rowspan).toBe(8);
    const secret = t2.rows.find((r) => r.some((c) => c.text === '1.属于国家秘密'))!;
    expect(secret.map((c) => c.text).slice(0, 3)).toEqual(['（三）不予公开', '1.属于国家秘密', table2Value(4, 0)]);
    const leaf2 = t2.rows.find((r) => r[0].text === '2.其他法律行政法规禁止公开')!;
    expect(leaf2).toHaveLength(8);
  });

  it('表二 fills a 10-column grid and every number (a formula’s cached result included) lands in its column', () => {
    const grid = toGrid(t2.rows);
    expect(gridWidths(grid)).toEqual(new Array(28).fill(10));
    applicationRows('2021').forEach((d, k) => {
      expect(grid[3 + k].slice(3).map((c) => c.text)).toEqual([0, 1, 2, 3, 4, 5, 6].map((j) => table2Value(k, j)));
      expect(grid[3 + k].slice(0, 3).map((c) => c.text)).toContain(d.label);
    });
  });

  it('cells show their displayed value', () => {
    const row = tables(doc)[1].rows[0];
    expect(row.map((c) => c.text)).toEqual([
      '收费金额',
      '1,234.50',
      '12.5%',
      '2024-01-31',
      '富文本',
      '0.3',
      'TRUE',
      '链接',
      '#DIV/0!',
      '(1,234)',
      '2469',
    ]);
    // L35 is a formula without a cached result: blank, so outside the used range of the block
    expect(row.map((c) => (c.prov.kind === 'table' ? c.prov.address : ''))).toEqual(
      ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K'].map((c) => `${c}35`),
    );
  });
});

describe('readXlsx: layout rules', () => {
  it('a single long text cell inside a table region is a paragraph; short single-cell rows stay in the table', async () => {
    const bytes = await xlsxOf((wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['信息内容', '本年制发件数', '本年废止件数']);
      ws.addRow(['规章']); // short single-cell row: a label with blank numbers
      ws.addRow([
        '说明：本机关不具有规章制定权，因此规章一栏不适用。本年度共制发行政规范性文件三件，废止一件，现行有效文件共计二十件，均已在门户网站公开。',
      ]);
      ws.addRow(['行政规范性文件', 3, 1]);
    });
    const doc = await readXlsx(bytes, 's.xlsx');
    expect(summary(doc.blocks)).toEqual(['T:2', expect.stringMatching(/^P:说明：/), 'T:1']);
    const [a, b] = tables(doc);
    expect(a.rows[1].map((c) => c.text)).toEqual(['规章', '', '']);
    expect(b.rows[0].map((c) => c.text)).toEqual(['行政规范性文件', '3', '1']);
    expect(b.rows[0][0].prov).toMatchObject({ row: 4, cell: 1, address: 'A4' });
  });

  it('rows joined by a vertical merge are never split, even across a blank row', async () => {
    const bytes = await xlsxOf((wb) => {
      const ws = wb.addWorksheet('S');
      ws.getCell('A1').value = '三、本年度办理结果';
      ws.mergeCells('A1:A3');
      ws.getCell('B1').value = '（一）予以公开';
      ws.getCell('C1').value = 5;
      ws.getCell('B3').value = '（七）总计';
      ws.getCell('C3').value = 5;
    });
    const doc = await readXlsx(bytes, 's.xlsx');
    expect(summary(doc.blocks)).toEqual(['T:3']);
    const t = tables(doc)[0];
    expect(t.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['三、本年度办理结果', '（一）予以公开', '5'],
      ['', ''],
      ['（七）总计', '5'],
    ]);
    expect(t.rows[0][0].rowspan).toBe(3);
    expect(gridWidths(toGrid(t.rows))).toEqual([3, 3, 3]);
  });

  it('an empty workbook gives no blocks', async () => {
    const doc = await readXlsx(await xlsxOf((wb) => wb.addWorksheet('空')), 'e.xlsx');
    expect(doc.blocks).toEqual([]);
  });
});

describe('displayed values', () => {
  it('formatNumber applies decimals, grouping, percent and negative sections', () => {
    expect(formatNumber(3)).toBe('3');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1 / 3, 'General')).toBe('0.333333333333333');
    expect(formatNumber(12.5, '0.00')).toBe('12.50');
    expect(formatNumber(1234567.891, '#,##0.00')).toBe('1,234,567.89');
    expect(formatNumber(1234, '#,##0')).toBe('1,234');
    expect(formatNumber(0.256, '0%')).toBe('26%');
    expect(formatNumber(-5, '0')).toBe('-5');
    expect(formatNumber(-5, '0;(0)')).toBe('(5)');
    expect(formatNumber(-5, '0.0_);[Red]\\(0.0\\)')).toBe('(5.0)');
    expect(formatNumber(-5, '0;[Red]0')).toBe('5');
    expect(formatNumber(0, '0;-0;"—"')).toBe('0');
    expect(formatNumber(88.5, '"¥"#,##0.00')).toBe('88.50');
    expect(formatNumber(7, '@')).toBe('7');
    expect(formatNumber(-0.001, '0.00')).toBe('0.00');
  });

  it('displayText handles every exceljs value shape', () => {
    expect(displayText(null)).toBe('');
    expect(displayText('a\r\nb')).toBe('a\nb');
    expect(displayText(false)).toBe('FALSE');
    expect(displayText(new Date(Date.UTC(2023, 11, 31, 23, 0)))).toBe('2023-12-31');
    expect(displayText({ richText: [{ text: '甲' }, { text: '乙' }] })).toBe('甲乙');
    expect(displayText({ formula: 'A1', result: 4.5 }, '0.00')).toBe('4.50');
    expect(displayText({ formula: 'A1', result: new Date(Date.UTC(2024, 1, 29)) })).toBe('2024-02-29');
    expect(displayText({ sharedFormula: 'A1', result: 'x' } as ExcelJS.CellValue)).toBe('x');
    expect(displayText({ formula: 'A1' })).toBe('');
    expect(displayText({ text: '链', hyperlink: 'https://x' })).toBe('链');
    expect(displayText({ error: '#N/A' })).toBe('#N/A');
  });
});

describe('readXlsx: bad input', () => {
  let good: Uint8Array;
  beforeAll(async () => {
    good = await tinyXlsx();
  });

  it('a valid fixture reads (control for the cases below)', async () => {
    const doc = await readXlsx(good, 'ok.xlsx');
    expect(tables(doc)[0].rows.map((r) => r.map((c) => c.text))).toEqual([
      ['规章', '3'],
      ['行政规范性文件', '5'],
    ]);
  });

  it('empty → empty; truncated → corrupt; random bytes → corrupt', async () => {
    expect(await asyncCodeOf(() => readXlsx(new Uint8Array(0), 'e.xlsx'))).toBe('empty');
    for (const n of [good.length - 1, good.length >> 1, 30]) {
      expect(await asyncCodeOf(() => readXlsx(good.subarray(0, n), 't.xlsx'))).toBe('corrupt');
    }
    expect(await asyncCodeOf(() => readXlsx(randomBytes(3000, 7), 'r.xlsx'))).toBe('corrupt');
    await expect(readXlsx(randomBytes(3000, 8), 'r.xlsx')).rejects.toBeInstanceOf(ReadError);
  });

  it('OLE header → unsupported (old .xls) or encrypted', async () => {
    const e = await readXlsx(oleBytes(false), 'old.xls').catch((x: ReadError) => x);
    expect(e).toBeInstanceOf(ReadError);
    expect((e as ReadError).code).toBe('unsupported');
    expect((e as ReadError).zh).toContain('.xlsx');
    expect(await asyncCodeOf(() => readXlsx(oleBytes(true), 'locked.xlsx'))).toBe('encrypted');
  });

  it('a ZIP that is not a workbook → corrupt; a workbook with broken sheet XML → corrupt', async () => {
    expect(await asyncCodeOf(() => readXlsx(zipSync({ 'word/document.xml': strToU8('<a/>') }), 'x.xlsx'))).toBe('corrupt');
    const broken = replaceMember(good, 'xl/worksheets/sheet1.xml', strToU8('<worksheet><sheetData><row r="1"><c r="A1"'));
    expect(await asyncCodeOf(() => readXlsx(broken, 'x.xlsx'))).toBe('corrupt');
  });

  it('a member declaring 1 GB → zip-bomb', async () => {
    const bomb = patchDeclaredSize(good, 'xl/styles.xml', 1024 * 1024 * 1024);
    expect(declaredSize(bomb, 'xl/styles.xml')).toBe(2 ** 30);
    expect(await asyncCodeOf(() => readXlsx(bomb, 'bomb.xlsx'))).toBe('zip-bomb');
  });

  it('a highly compressible member → zip-bomb', async () => {
    const z = replaceMember(good, 'xl/media/image1.png', new Uint8Array(3 * 1024 * 1024));
    expect(await asyncCodeOf(() => readXlsx(z, 'bomb.xlsx'))).toBe('zip-bomb');
  });

  it('lying headers are caught before exceljs sees the archive, in any member', async () => {
    const sheet = strFromU8(unzipSync(good)['xl/worksheets/sheet1.xml']);
    const padded = sheet.replace('<sheetData>', `<sheetData>${' '.repeat(2 * 1024 * 1024)}`);
    let z = replaceMember(good, 'xl/worksheets/sheet1.xml', strToU8(padded));
    z = patchDeclaredSize(z, 'xl/worksheets/sheet1.xml', sheet.length);
    expect(await asyncCodeOf(() => readXlsx(z, 'lie.xlsx'))).toBe('zip-bomb');
    // a member exceljs would read although the reader has no use for it
    const app = strFromU8(unzipSync(good)['docProps/app.xml']);
    let y = replaceMember(good, 'docProps/app.xml', strToU8(app + ' '.repeat(2 * 1024 * 1024)));
    y = patchDeclaredSize(y, 'docProps/app.xml', app.length);
    expect(await asyncCodeOf(() => readXlsx(y, 'lie.xlsx'))).toBe('zip-bomb');
  });

  it('a merged range larger than the cell limit → too-large (exceljs would materialise every cell)', async () => {
    const sheet = strFromU8(unzipSync(good)['xl/worksheets/sheet1.xml']);
    const huge = sheet.replace('</sheetData>', '</sheetData><mergeCells count="1"><mergeCell ref="C1:XFD1048576"/></mergeCells>');
    const z = replaceMember(good, 'xl/worksheets/sheet1.xml', strToU8(huge));
    expect(await asyncCodeOf(() => readXlsx(z, 'merge.xlsx'))).toBe('too-large');
    // a modest merge in the same place is fine
    const small = sheet.replace('</sheetData>', '</sheetData><mergeCells count="1"><mergeCell ref="C1:D2"/></mergeCells>');
    expect(await asyncCodeOf(() => readXlsx(replaceMember(good, 'xl/worksheets/sheet1.xml', strToU8(small)), 'm.xlsx'))).toBe('no error');
  });

  it('a sheet whose used range exceeds the cell limit → too-large', async () => {
    const bytes = await xlsxOf((wb) => {
      const ws = wb.addWorksheet('S');
      ws.getCell('A1').value = 'a';
      ws.getCell('B1').value = 'b';
      ws.getCell(Math.ceil(LIMITS.maxCells / 100) + 10, 120).value = 'far';
      // keep it one segment: no blank rows in between
      for (let r = 2; r < Math.ceil(LIMITS.maxCells / 100) + 10; r++) ws.getCell(r, 1).value = r;
      ws.getCell(Math.ceil(LIMITS.maxCells / 100) + 10, 1).value = 'x';
    });
    expect(await asyncCodeOf(() => readXlsx(bytes, 'big.xlsx'))).toBe('too-large');
  });
});
