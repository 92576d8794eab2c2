/**
 * Tests of the test helpers themselves: the variant generators put every value
 * where the official layout has it, the arbitraries produce valid reports, and
 * checkArithmetic finds every broken equation. Also checks the shape of the
 * hand-written seed expectations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { strFromU8, unzipSync } from 'fflate';
import iconv from 'iconv-lite';
import { parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { APPLICANT_COLUMNS, APPLICATION_ROWS, applicationRows, proactiveRows, REVIEW_COLUMNS, REVIEW_GROUPS } from '../src/model/format.js';
import type { Report } from '../src/model/report.js';
import { arbReport2019, arbReport2021, sampleReport2019, sampleReport2021 } from './helpers/arbitrary.js';
import { checkArithmetic } from './helpers/arithmetic.js';
import {
  applicationsGrid,
  expandGrid,
  type Grid,
  proactiveGrid,
  reviewGrid,
  tableGrids,
  toDocx,
  toGbk,
  toGluedText,
  toHtml,
  toMarkdown,
  toText,
  toXlsx,
  wordRows,
} from './helpers/variants.js';

const samples: [string, () => Report][] = [
  ['2021', sampleReport2021],
  ['2019', sampleReport2019],
];

/** every value cell of the report as [path, published text or null], in table order */
function valuesOf(report: Report): [string, string | null][] {
  return tableGrids(report).flatMap((g) =>
    g.rows.flat().flatMap((c) => (c.role === 'value' ? [[c.path!, c.text] as [string, string | null]] : [])),
  );
}

/** a sample with some blank cells, for the blank-mark tests */
function withBlanks(report: Report): Report {
  const r = structuredClone(report);
  (r.proactive as Record<string, Record<string, unknown>>).regulations[
    Object.keys((r.proactive as Record<string, object>).regulations)[0]
  ] = null;
  r.applications.granted.research = null;
  r.applications.granted.total = (r.applications.granted.total ?? 0) - (report.applications.granted.research ?? 0);
  r.applications.outcomeTotal.research = (r.applications.outcomeTotal.research ?? 0) - (report.applications.granted.research ?? 0);
  r.applications.outcomeTotal.total = (r.applications.outcomeTotal.total ?? 0) - (report.applications.granted.research ?? 0);
  r.applications.newReceived.research = (r.applications.newReceived.research ?? 0) - (report.applications.granted.research ?? 0);
  r.applications.newReceived.total = (r.applications.newReceived.total ?? 0) - (report.applications.granted.research ?? 0);
  r.reviewLitigation.review.pending = null;
  r.reviewLitigation.review.total = (r.reviewLitigation.review.total ?? 0) - (report.reviewLitigation.review.pending ?? 0);
  return r;
}

// ---------------------------------------------------------------------------
// A minimal HTML table reader (parse5), to read the generated pages back
// ---------------------------------------------------------------------------

interface HNode {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: HNode[];
}

function findAll(node: HNode, tag: string, out: HNode[] = []): HNode[] {
  if (node.tagName === tag) out.push(node);
  for (const c of node.childNodes ?? []) findAll(c, tag, out);
  return out;
}

function textOf(node: HNode): string {
  if (node.nodeName === '#text') return node.value ?? '';
  if (node.tagName === 'br') return '\n';
  return (node.childNodes ?? []).map(textOf).join('');
}

/** the tables of a page as expanded matrices (merged positions repeat the text) */
function htmlMatrices(html: string): { m: string[][]; spans: { rowspan: number; colspan: number; text: string }[] }[] {
  const doc = parse(html) as unknown as HNode;
  return findAll(doc, 'table').map((table) => {
    const m: string[][] = [];
    const spans: { rowspan: number; colspan: number; text: string }[] = [];
    findAll(table, 'tr').forEach((tr, r) => {
      m[r] ??= [];
      let c = 0;
      for (const td of (tr.childNodes ?? []).filter((n) => n.tagName === 'td' || n.tagName === 'th')) {
        const attr = (name: string) => Number(td.attrs?.find((a) => a.name === name)?.value ?? 1);
        const rowspan = attr('rowspan');
        const colspan = attr('colspan');
        const text = textOf(td);
        spans.push({ rowspan, colspan, text });
        while (m[r][c] !== undefined) c++;
        for (let dr = 0; dr < rowspan; dr++) {
          m[r + dr] ??= [];
          for (let dc = 0; dc < colspan; dc++) m[r + dr][c + dc] = text;
        }
        c += colspan;
      }
    });
    return { m, spans };
  });
}

/** the expected matrix of a grid: each position holds its cell's text (blank for null values) */
function expectedMatrix(grid: Grid, blank: string): string[][] {
  return expandGrid(grid).map((row) => row.map((s) => s.cell.text ?? blank));
}

// ---------------------------------------------------------------------------

describe('grid model', () => {
  for (const [format, sample] of samples) {
    it(`tiles every table without holes or overlaps (${format})`, () => {
      const report = sample();
      const [t1, t2, t3] = tableGrids(report);
      expect(expandGrid(t1).every((r) => r.length === 4)).toBe(true);
      expect(expandGrid(t2)).toHaveLength(3 + applicationRows(report.format).length);
      expect(expandGrid(t2).every((r) => r.length === 10)).toBe(true);
      expect(expandGrid(t3)).toHaveLength(4);
      expect(expandGrid(t3).every((r) => r.length === 15)).toBe(true);
      const rows = proactiveRows(report.format);
      const captions = new Set(rows.map((r) => r.item)).size;
      expect(t1.rows).toHaveLength(rows.length + 2 * captions);
    });

    it(`holds every value of the report exactly once (${format})`, () => {
      const report = sample();
      const paths = valuesOf(report).map(([p]) => p);
      const fields = proactiveRows(report.format).reduce((s, r) => s + r.fields.length, 0);
      expect(paths).toHaveLength(fields + 7 * applicationRows(report.format).length + 15);
      expect(new Set(paths).size).toBe(paths.length);
    });
  }

  it('puts every 表二 value at its row label and column', () => {
    const report = sampleReport2021();
    const m = expandGrid(applicationsGrid(report));
    applicationRows('2021').forEach((def, i) => {
      const row = m[3 + i];
      expect(row[2].cell.text).toBe(def.label);
      APPLICANT_COLUMNS.forEach((col, j) => {
        expect(row[3 + j].cell.path).toBe(`applications.${def.key}.${col.key}`);
        expect(m[col.group ? 2 : 1][3 + j].cell.text).toBe(col.label);
      });
    });
  });

  it('has the official spans', () => {
    const t2 = applicationsGrid(sampleReport2021()).rows.flat();
    const span = (text: string) => t2.find((c) => c.text === text);
    expect(span('三、本年度办理结果')).toMatchObject({ rowspan: 22, colspan: 1 });
    expect(span('（三）不予公开')).toMatchObject({ rowspan: 8 });
    expect(span('（四）无法提供')).toMatchObject({ rowspan: 3 });
    expect(span('（五）不予处理')).toMatchObject({ rowspan: 5 });
    expect(span('（六）其他处理')).toMatchObject({ rowspan: 3 });
    expect(span('（七）总计')).toMatchObject({ colspan: 2 });
    expect(span('申请人情况')).toMatchObject({ colspan: 7 });
    expect(span('法人或其他组织')).toMatchObject({ colspan: 5 });
    expect(span('自然人')).toMatchObject({ rowspan: 2 });
    expect(t2[0]).toMatchObject({ role: 'note', rowspan: 3, colspan: 3 });
    const t2019 = applicationsGrid(sampleReport2019()).rows.flat();
    expect(t2019.find((c) => c.text === '三、本年度办理结果')).toMatchObject({ rowspan: 20 });
    expect(t2019.find((c) => c.text === '（六）其他处理')).toMatchObject({ rowspan: 1, colspan: 2 });
    const t3 = reviewGrid(sampleReport2021()).rows;
    expect(t3[0].map((c) => [c.text, c.colspan])).toEqual([
      ['行政复议', 5],
      ['行政诉讼', 10],
    ]);
    expect(t3[1].slice(0, 5).every((c) => c.rowspan === 2)).toBe(true);
    const t1 = proactiveGrid(sampleReport2021()).rows;
    expect(t1[0][0]).toMatchObject({ text: '第二十条第（一）项', colspan: 4 });
    expect(t1.find((r) => r[0].text === '行政许可')?.[1]).toMatchObject({ role: 'value', colspan: 3 });
  });

  it('word rows keep a continuation cell under every vertical merge', () => {
    const rows = wordRows(applicationsGrid(sampleReport2021()));
    // rows 0–2 header, 3 一, 4 二, 5 （一） (restart of 三), 6 （二）, 7 1.属于国家秘密 (restart of （三）), 8 2.…
    expect(rows[5].map((w) => w.vMerge ?? '')).toEqual(['restart', '', ...new Array(7).fill('')]);
    expect(rows[7].map((w) => w.vMerge ?? '')).toEqual(['continue', 'restart', ...new Array(8).fill('')]);
    expect(rows[8].slice(0, 3).map((w) => w.vMerge ?? '')).toEqual(['continue', 'continue', '']);
    expect(rows[1][0]).toMatchObject({ vMerge: 'continue', colspan: 3 });
    for (const row of rows) expect(row.reduce((s, w) => s + w.colspan, 0)).toBe(10);
  });
});

describe('toHtml', () => {
  for (const [format, sample] of samples) {
    it(`has exactly one rowspan for 三、本年度办理结果 (${format})`, () => {
      const html = toHtml(sample());
      const n = format === '2021' ? 22 : 20;
      expect(html.match(new RegExp(`rowspan="${n}"`, 'g'))).toHaveLength(1);
      expect(html.match(/rowspan="22"|rowspan="20"/g)).toHaveLength(1);
      expect(html).toMatch(/<td rowspan="3" colspan="3"[^>]*>（本列数据的勾稽关系为/);
      expect(html).toMatch(/<td colspan="7"[^>]*>申请人情况<\/td>/);
      expect(html).toMatch(/<td colspan="5"[^>]*>法人或其他组织<\/td>/);
      expect(html).toMatch(/<td colspan="10"[^>]*>行政诉讼<\/td>/);
      expect(html.match(/<td rowspan="2"[^>]*>结果维持<\/td>/g)).toHaveLength(1);
    });

    it(`reads back cell for cell (${format}, with chrome, <br />, blank marks)`, () => {
      const report = withBlanks(sample());
      for (const blankMark of ['', '&nbsp;', '/', '—'] as const) {
        const html = toHtml(report, { chrome: true, brInLabels: true, blankMark });
        const tables = htmlMatrices(html);
        expect(tables).toHaveLength(3);
        const blank = blankMark === '&nbsp;' ? '\u00a0' : blankMark;
        tableGrids(report).forEach((grid, i) => {
          const got = tables[i].m.map((row) => row.map((t) => t.replace(/\n/g, '')));
          expect(got).toEqual(expectedMatrix(grid, blank));
        });
      }
    });
  }

  it('breaks labels with <br /> only when asked, and never values', () => {
    const report = sampleReport2021();
    expect(toHtml(report)).not.toContain('<br />');
    const html = toHtml(report, { brInLabels: true });
    expect(html).toContain('本年制<br />发件数');
    expect(html).not.toMatch(/\d<br \/>\d/);
  });

  it('wraps the article in chrome only when asked', () => {
    const report = sampleReport2021();
    const plain = toHtml(report);
    const chrome = toHtml(report, { chrome: true });
    expect(plain).not.toContain('当前位置');
    expect(chrome).toContain('当前位置');
    expect(chrome).toContain('网站标识码');
    expect(chrome).toContain(`<h1 class="article-title">南京市栖霞区自然资源和规划局2022年政府信息公开工作年度报告</h1>`);
    for (const h of ['一、总体情况', '二、主动公开政府信息情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项']) {
      expect(plain).toContain(`<strong>${h}</strong>`);
    }
    expect(plain).toContain('2023年1月18日');
  });

  it('omits the heading of a missing section', () => {
    const report = sampleReport2021();
    report.sections.problems = null;
    expect(toHtml(report)).not.toContain('五、存在的主要问题及改进情况');
    expect(toHtml(report)).toContain('六、其他需要报告的事项');
  });
});

describe('toMarkdown', () => {
  for (const [format, sample] of samples) {
    it(`writes rectangular pipe tables with the values in place (${format})`, () => {
      const report = withBlanks(sample());
      const md = toMarkdown(report);
      expect(md).toMatch(/^## 一、总体情况$/m);
      expect(md).toMatch(/^## 四、政府信息公开行政复议、行政诉讼情况$/m);
      const tables: string[][] = [];
      let prev = false;
      for (const l of md.split('\n')) {
        const isRow = l.startsWith('|');
        if (isRow && !prev) tables.push([]);
        if (isRow) tables[tables.length - 1].push(l);
        prev = isRow;
      }
      expect(tables).toHaveLength(3);
      const grids = tableGrids(report);
      tables.forEach((lines, i) => {
        const rows = lines.map((l) => l.slice(2, -2).split(' | '));
        expect(rows[1].every((c) => c === '---')).toBe(true);
        const body = [rows[0], ...rows.slice(2)];
        expect(new Set(body.map((r) => r.length))).toEqual(new Set([grids[i].columns]));
        const m = expandGrid(grids[i]);
        body.forEach((row, r) => {
          row.forEach((text, c) => {
            const s = m[r][c];
            expect(text).toBe(s.row === r && s.col === c ? (s.cell.text ?? '') : '');
          });
        });
      });
    });
  }

  it('repeats merged cells when asked', () => {
    const md = toMarkdown(sampleReport2021(), { spans: 'repeat' });
    expect(md).toContain('| 行政许可 | 3960 | 3960 | 3960 |');
    expect(md.match(/\| 三、本年度办理结果 \|/g)).toHaveLength(22);
  });
});

describe('toText', () => {
  for (const [format, sample] of samples) {
    it(`tabs: one row per line, 10 cells in 表二, values in place (${format})`, () => {
      const report = sample();
      const lines = toText(report, 'tabs').split('\n');
      for (const def of applicationRows(report.format)) {
        const line = lines.find((l) => l.split('\t').includes(def.label));
        expect(line, def.label).toBeDefined();
        const cells = line!.split('\t');
        expect(cells).toHaveLength(10);
        expect(cells.slice(3).map(Number)).toEqual(APPLICANT_COLUMNS.map((c) => report.applications[def.key][c.key]));
      }
      const t3 = lines.find((l) => /^\d+(\t\d+){14}$/.test(l));
      expect(t3?.split('\t').map(Number)).toEqual(
        REVIEW_GROUPS.flatMap((g) => REVIEW_COLUMNS.map((c) => report.reviewLitigation[g.key][c.key])),
      );
      expect(lines).toContain('第二十条第（一）项\t\t\t');
    });

    it(`cell-per-line: every cell on its own tab-led line, rows split by blank lines (${format})`, () => {
      const report = sample();
      const text = toText(report, 'cell-per-line');
      expect(text).toContain(`\t第二十条第（一）项\n\n\t信息内容\n\t${proactiveRows(report.format)[0].fields[0].label}\n`);
      // read the tables back: a tab-led line is a cell, a line without a tab right after a cell continues it, a blank line ends a row
      const rows: string[][] = [];
      let row: string[] | null = null;
      for (const l of text.split('\n')) {
        if (l.startsWith('\t')) {
          if (!row) {
            row = [];
            rows.push(row);
          }
          row.push(l.slice(1));
        } else if (l === '') row = null;
        else if (row) row[row.length - 1] += l;
      }
      const expected = tableGrids(report).flatMap((g) =>
        wordRows(g).map((row) => row.map((w) => (w.vMerge === 'continue' ? '' : (w.cell.text ?? '')))),
      );
      expect(rows.slice(0, expected.length)).toEqual(expected);
      // some labels are broken over two lines
      expect(text).toContain('\t5.要求行政机关确认\n或重新出具已获取信息\n');
    });
  }

  it('writes blank marks for null cells', () => {
    const report = withBlanks(sampleReport2021());
    expect(toText(report, 'tabs', { blankMark: '/' })).toMatch(/^规章\t\/\t1\t27$/m);
    expect(toText(report, 'tabs')).toMatch(/^规章\t\t1\t27$/m);
  });
});

describe('toGluedText', () => {
  it('runs each row together and 表三 into one digit run', () => {
    const report = sampleReport2019();
    const text = toGluedText(report);
    const lines = text.split('\n');
    expect(lines).toContain('行政许可396-81813');
    expect(lines).toContain('一、本年新收政府信息公开申请数量29565252636284' + '75');
    expect(lines).toContain('政府集中采购37251000元');
    expect(lines).toContain('4123103212821115');
    expect(lines).toContain('（三）不予公开1.属于国家秘密1111116');
    expect(lines).toContain('2.其他法律行政法规禁止公开2111117');
    const t21 = toGluedText(sampleReport2021()).split('\n');
    expect(t21).toContain('行政许可3960');
    expect(t21).toContain('行政事业性收费12.3456');
    expect(t21).toContain('三、本年度办理结果（一）予以公开58123462' + '85');
  });
});

describe('toDocx', () => {
  for (const [format, sample] of samples) {
    it(`is a Word document with merged table cells on A4 (${format})`, async () => {
      const report = sample();
      const bytes = await toDocx(report, { brInLabels: true });
      const files = unzipSync(bytes);
      expect(Object.keys(files)).toContain('word/document.xml');
      const xml = strFromU8(files['word/document.xml']);
      expect(xml).toMatch(/<w:pgSz[^>]*w:w="11906"[^>]*w:h="16838"/);
      expect(xml).toMatch(/<w:vMerge w:val="restart"\s*\/>/);
      expect(xml).toMatch(/<w:vMerge( w:val="continue")?\s*\/>/);
      expect(xml).toContain('<w:gridSpan w:val="7"/>');
      const tables = xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g) ?? [];
      expect(tables).toHaveLength(3);
      const grids = tableGrids(report);
      tables.forEach((t, i) => {
        const rows = t.match(/<w:tr[ >][\s\S]*?<\/w:tr>/g) ?? [];
        expect(rows).toHaveLength(grids[i].rows.length);
        for (const row of rows) {
          const cells = row.match(/<w:tc>[\s\S]*?<\/w:tc>/g) ?? [];
          const width = cells.reduce((s, c) => s + Number(c.match(/<w:gridSpan w:val="(\d+)"/)?.[1] ?? 1), 0);
          expect(width).toBe(grids[i].columns);
        }
      });
      const cellTexts = (tables[1].match(/<w:tc>[\s\S]*?<\/w:tc>/g) ?? []).map((c) =>
        (c.match(/<w:t(?: [^>]*)?>[^<]*<\/w:t>/g) ?? []).map((t) => t.replace(/<[^>]+>/g, '')).join(''),
      );
      const i = cellTexts.indexOf('（七）总计');
      expect(cellTexts.slice(i + 1, i + 8).map(Number)).toEqual(APPLICANT_COLUMNS.map((c) => report.applications.outcomeTotal[c.key]));
      expect(xml.match(/rowspan|w:vMerge w:val="restart"/g)?.length).toBeGreaterThanOrEqual(format === '2021' ? 10 : 9);
    });
  }
});

describe('toXlsx', () => {
  async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    return wb;
  }

  it('writes a narrative sheet and one sheet per table with merged cells', async () => {
    const report = sampleReport2021();
    const wb = await load(await toXlsx(report));
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '正文',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
    ]);
    const main = wb.getWorksheet('正文')!;
    expect(main.getCell('A1').value).toBe('南京市栖霞区自然资源和规划局2022年政府信息公开工作年度报告');
    const t2 = wb.getWorksheet('三、收到和处理政府信息公开申请情况')!;
    const merges = (t2.model as unknown as { merges: string[] }).merges;
    expect(merges).toContain('A8:A29'); // 三、本年度办理结果: rows 8–29 (table starts at row 3, 3 header rows, 一 and 二)
    expect(merges).toContain('A3:C5');
    expect(merges).toContain('D3:J3');
    const row = t2.getRow(3 + 3 + applicationRows('2021').findIndex((d) => d.key === 'outcomeTotal'));
    expect(row.getCell(2).value).toBe('（七）总计');
    expect([4, 5, 6, 7, 8, 9, 10].map((c) => row.getCell(c).value)).toEqual(
      APPLICANT_COLUMNS.map((c) => report.applications.outcomeTotal[c.key]),
    );
    const t1 = wb.getWorksheet('二、主动公开政府信息情况')!;
    const fee = t1.getRow(3 + 13);
    expect(fee.getCell(1).value).toBe('行政事业性收费');
    expect(fee.getCell(2).value).toBe(12.3456);
  });

  it('puts everything on one sheet when asked, keeping the money digits', async () => {
    const report = sampleReport2021();
    (report.proactive as { fees: { amount: string } }).fees.amount = '0.50';
    const wb = await load(await toXlsx(report, { layout: 'single' }));
    expect(wb.worksheets).toHaveLength(1);
    const ws = wb.worksheets[0];
    const texts: string[] = [];
    ws.eachRow((row) => {
      texts.push(String(row.getCell(1).value ?? ''));
    });
    expect(texts.indexOf('一、总体情况')).toBeLessThan(texts.indexOf('二、主动公开政府信息情况'));
    expect(texts.indexOf('二、主动公开政府信息情况')).toBeLessThan(texts.indexOf('第二十条第（一）项'));
    expect(texts.indexOf('四、政府信息公开行政复议、行政诉讼情况')).toBeLessThan(texts.indexOf('行政复议'));
    expect(texts.at(-1)).toBe('2023年1月18日');
    let feeRow = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(1).value === '行政事业性收费') feeRow = n;
    });
    expect(ws.getRow(feeRow).getCell(2).value).toBe('0.50');
    const merges = (ws.model as unknown as { merges: string[] }).merges;
    expect(
      merges.filter((m) => /^A(\d+):A(\d+)$/.test(m) && Number(m.split(':')[1].slice(1)) - Number(m.split(':')[0].slice(1)) === 21),
    ).toHaveLength(1);
  });

  it('leaves null cells empty or writes the blank mark', async () => {
    const report = withBlanks(sampleReport2019());
    const ws = (await load(await toXlsx(report, { blankMark: '/' }))).getWorksheet('二、主动公开政府信息情况')!;
    expect(ws.getRow(3 + 2).getCell(2).value).toBe('/');
    expect(ws.getRow(3 + 2).getCell(1).value).toBe('规章');
    const ws2 = (await load(await toXlsx(report))).getWorksheet('二、主动公开政府信息情况')!;
    expect(ws2.getRow(3 + 2).getCell(2).value).toBeNull();
  });
});

describe('toGbk', () => {
  it('encodes GB18030 that decodes back to the same text', () => {
    const text = toText(sampleReport2021(), 'tabs');
    const bytes = toGbk(text);
    expect(Array.from(bytes.slice(0, 2))).toEqual([0xc4, 0xcf]); // 南
    expect(iconv.decode(Buffer.from(bytes), 'gb18030')).toBe(text);
    expect(Array.from(toGbk('“三安全一稳定”'))).toEqual([
      0xa1, 0xb0, 0xc8, 0xfd, 0xb0, 0xb2, 0xc8, 0xab, 0xd2, 0xbb, 0xce, 0xc8, 0xb6, 0xa8, 0xa1, 0xb1,
    ]);
  });
});

describe('checkArithmetic', () => {
  it('accepts both samples', () => {
    expect(checkArithmetic(sampleReport2021())).toEqual([]);
    expect(checkArithmetic(sampleReport2019())).toEqual([]);
    expect(checkArithmetic(withBlanks(sampleReport2021()))).toEqual([]);
  });

  it('reports a broken row total', () => {
    const r = sampleReport2021();
    r.applications.withheldThirdParty.commercial = 4;
    const issues = checkArithmetic(r);
    expect(issues).toContainEqual({
      rule: 'applications-row-total',
      path: 'applications.withheldThirdParty.total',
      expected: 14,
      actual: 13,
    });
    expect(issues).toContainEqual({
      rule: 'applications-outcome-total',
      path: 'applications.outcomeTotal.commercial',
      expected: 50,
      actual: 49,
    });
    expect(issues).toHaveLength(2);
  });

  it('reports a broken balance and a broken outcome total', () => {
    const r = sampleReport2019();
    r.applications.carriedForward.research = 2;
    r.applications.carriedForward.total = 20;
    expect(checkArithmetic(r)).toEqual([
      { rule: 'applications-balance', path: 'applications.carriedForward.research', expected: 1, actual: 2 },
      { rule: 'applications-balance', path: 'applications.carriedForward.total', expected: 19, actual: 20 },
    ]);
    const s = sampleReport2019();
    s.applications.outcomeTotal.total = 467;
    expect(checkArithmetic(s).map((i) => i.rule)).toEqual(['applications-row-total', 'applications-outcome-total', 'applications-balance']);
  });

  it('uses the leaf rows of the report format', () => {
    const r = sampleReport2019();
    // a 2021-only row in a 2019 report is not a leaf of it
    r.applications.otherOther = { naturalPerson: 5, commercial: 0, research: 0, publicInterest: 0, legalService: 0, other: 0, total: 5 };
    expect(checkArithmetic(r)).toEqual([]);
    const s = sampleReport2019();
    s.applications.otherHandling.naturalPerson = 13;
    s.applications.otherHandling.total = 22;
    expect(checkArithmetic(s).map((i) => i.path)).toEqual(['applications.outcomeTotal.naturalPerson', 'applications.outcomeTotal.total']);
  });

  it('reports a broken 表三 group total and counts null as 0', () => {
    const r = sampleReport2021();
    r.reviewLitigation.litigationAfterReview.pending = null;
    expect(checkArithmetic(r)).toEqual([
      { rule: 'review-litigation-total', path: 'reviewLitigation.litigationAfterReview.total', expected: 4, actual: 5 },
    ]);
  });
});

describe('arbitraries', () => {
  it('arbReport2021 always satisfies the arithmetic', () => {
    fc.assert(
      fc.property(arbReport2021(), (r) => {
        expect(r.format).toBe('2021');
        expect(Object.keys(r.applications)).toEqual(applicationRows('2021').map((d) => d.key));
        expect(checkArithmetic(r)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('arbReport2019 always satisfies the arithmetic, with nulls too', () => {
    fc.assert(
      fc.property(arbReport2019({ nulls: true, missingSections: true }), (r) => {
        expect(r.format).toBe('2019');
        expect(Object.keys(r.applications)).toEqual(applicationRows('2019').map((d) => d.key));
        expect(checkArithmetic(r)).toEqual([]);
        for (const row of Object.values(r.applications))
          for (const v of Object.values(row)) expect(v === null || (Number.isInteger(v) && v >= 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
    fc.assert(fc.property(arbReport2021({ nulls: true }), (r) => checkArithmetic(r).length === 0));
  });

  it('produces varied, plausible values', () => {
    const reports = fc.sample(arbReport2019(), 200);
    const changes = reports.flatMap((r) =>
      ['licensing', 'otherServices', 'punishment', 'enforcement', 'fees'].map(
        (k) => (r.proactive as Record<string, { change: number }>)[k].change,
      ),
    );
    expect(changes.some((c) => c < 0)).toBe(true);
    const cells = reports.flatMap((r) => Object.values(r.applications).flatMap((row) => Object.values(row) as number[]));
    expect(Math.max(...cells)).toBeGreaterThan(999);
    expect(cells.filter((v) => v > 0).length).toBeGreaterThan(cells.length / 10);
    for (const r of reports) {
      expect(r.year).toBeGreaterThanOrEqual(2019);
      expect(r.year).toBeLessThanOrEqual(2020);
      expect(r.agency).toMatch(/^[\u4e00-\u9fff]+$/);
      if (r.publishedOn) expect(r.publishedOn.startsWith(String(r.year! + 1))).toBe(true);
    }
    const fees = fc.sample(arbReport2021(), 200).map((r) => (r.proactive as { fees: { amount: string } }).fees.amount);
    expect(fees.every((f) => /^\d+(\.\d{1,4})?$/.test(f))).toBe(true);
    expect(fees.some((f) => f.includes('.'))).toBe(true);
  });

  it('every generated report renders in every layout', async () => {
    const reports = [
      ...fc.sample(arbReport2021({ nulls: true, missingSections: true }), 15),
      ...fc.sample(arbReport2019({ nulls: true }), 15),
    ];
    for (const r of reports) {
      const html = toHtml(r, { chrome: true, blankMark: '—' });
      const tables = htmlMatrices(html);
      tableGrids(r).forEach((g, i) => {
        expect(tables[i].m).toEqual(expectedMatrix(g, '—'));
      });
      expect(toMarkdown(r)).toContain('## 四、政府信息公开行政复议、行政诉讼情况');
      expect(toText(r, 'cell-per-line')).toContain('\t（七）总计');
      expect(toGluedText(r)).toContain('行政复议行政诉讼');
    }
    const bytes = await toDocx(reports[0]);
    expect(strFromU8(unzipSync(bytes)['word/document.xml'])).toContain('（七）总计');
    expect((await toXlsx(reports[1], { layout: 'single' })).byteLength).toBeGreaterThan(1000);
  });
});

describe('expected seed JSON', () => {
  const dir = join(import.meta.dirname, 'expected', 'seeds');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('exists for each of the five seeds', () => {
    expect(files).toHaveLength(5);
  });

  for (const f of files) {
    it(`${f} has the full 2021 shape`, () => {
      const e = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      expect(Object.keys(e)).toEqual([
        'format',
        'agency',
        'year',
        'publishedOn',
        'sectionsStart',
        'proactive',
        'applications',
        'reviewLitigation',
      ]);
      expect(e.format).toBe('2021');
      expect(Object.keys(e.applications)).toEqual(APPLICATION_ROWS.filter((r) => r.versions.includes('2021')).map((r) => r.key));
      for (const row of Object.values(e.applications) as Record<string, unknown>[]) {
        expect(Object.keys(row)).toEqual(APPLICANT_COLUMNS.map((c) => c.key));
      }
      for (const def of proactiveRows('2021')) expect(Object.keys(e.proactive[def.key])).toEqual(def.fields.map((x) => x.key));
      for (const g of REVIEW_GROUPS) expect(Object.keys(e.reviewLitigation[g.key])).toEqual(REVIEW_COLUMNS.map((c) => c.key));
      for (const v of Object.values(e.sectionsStart) as (string | null)[]) expect(v === null || Array.from(v).length <= 20).toBe(true);
      expect(checkArithmetic({ ...e, sections: { overview: null, problems: null, other: null } })).toEqual([]);
    });
  }
});
