/**
 * The Office renderers (src/render/docx.ts, src/render/xlsx.ts): what they
 * write reads back to the same report, the documents have the official table
 * layout and official-document typography, and their content is pinned by
 * golden text dumps of the seeds (UPDATE_GOLDEN=1 rewrites them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { parseBytes, parseFile } from '../src/parse.js';
import { A4, CONTENT_WIDTH, FONTS, MARGIN, renderDocx } from '../src/render/docx.js';
import { expandGrid, type Grid, tableGrids } from '../src/render/layout.js';
import { NARRATIVE_SHEET, renderXlsx } from '../src/render/xlsx.js';
import { arbReport2019, arbReport2021, sampleReport2019, sampleReport2021 } from './helpers/arbitrary.js';
import { tables } from './helpers/expect-report.js';
import { SEEDS, seedFiles } from './helpers/paths.js';
import { skipUnless } from './helpers/skip.js';

const GOLDEN = resolve(import.meta.dirname, 'golden');
const RUNS = 15;

// ---------------------------------------------------------------------------
// A small reader of word/document.xml for the assertions and the golden dumps
// ---------------------------------------------------------------------------

interface WCell {
  width: number | null;
  gridSpan: number;
  vMerge: 'restart' | 'continue' | null;
  jc: string | null;
  fill: string | null;
  style: string | null;
  size: string | null;
  text: string;
}
interface WRow {
  header: boolean;
  cantSplit: boolean;
  height: string | null;
  cells: WCell[];
}
type WBlock =
  | { kind: 'p'; style: string | null; jc: string | null; text: string }
  | { kind: 'tbl'; width: string | null; layout: string | null; jc: string | null; grid: number[]; rows: WRow[] };

interface WDoc {
  blocks: WBlock[];
  /** attributes of the body's w:pgSz and w:pgMar */
  pgSz: Record<string, string>;
  pgMar: Record<string, string>;
}

function unzip(bytes: Uint8Array): Record<string, string> {
  const files = unzipSync(bytes);
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strFromU8(v)]));
}

/** body paragraphs and tables of word/document.xml (nested tables are not expected) */
function readWordXml(xml: string): WDoc {
  const doc: WDoc = { blocks: [], pgSz: {}, pgMar: {} };
  const parser = new SaxesParser({ xmlns: false });
  let para: { style: string | null; jc: string | null; text: string; size: string | null } | null = null;
  let table: Extract<WBlock, { kind: 'tbl' }> | null = null;
  let row: WRow | null = null;
  let cell: WCell | null = null;
  let inText = false;
  let inTblPr = false;
  let inTcPr = false;
  let inPPr = false;
  parser.on('opentag', (t) => {
    const a = t.attributes as Record<string, string>;
    switch (t.name) {
      case 'w:tbl':
        table = { kind: 'tbl', width: null, layout: null, jc: null, grid: [], rows: [] };
        break;
      case 'w:tblPr':
        inTblPr = true;
        break;
      case 'w:tblW':
        if (table && inTblPr) table.width = a['w:w'];
        break;
      case 'w:tblLayout':
        if (table) table.layout = a['w:type'];
        break;
      case 'w:gridCol':
        table?.grid.push(Number(a['w:w']));
        break;
      case 'w:tr':
        row = { header: false, cantSplit: false, height: null, cells: [] };
        break;
      case 'w:tblHeader':
        if (row) row.header = true;
        break;
      case 'w:cantSplit':
        if (row) row.cantSplit = true;
        break;
      case 'w:trHeight':
        if (row) row.height = `${a['w:hRule'] ?? ''}${a['w:val']}`;
        break;
      case 'w:tc':
        cell = { width: null, gridSpan: 1, vMerge: null, jc: null, fill: null, style: null, size: null, text: '' };
        break;
      case 'w:tcPr':
        inTcPr = true;
        break;
      case 'w:tcW':
        if (cell && inTcPr) cell.width = Number(a['w:w']);
        break;
      case 'w:gridSpan':
        if (cell) cell.gridSpan = Number(a['w:val']);
        break;
      case 'w:vMerge':
        if (cell) cell.vMerge = a['w:val'] === 'restart' ? 'restart' : 'continue';
        break;
      case 'w:shd':
        if (cell && inTcPr) cell.fill = a['w:fill'] ?? null;
        break;
      case 'w:p':
        para = { style: null, jc: null, text: '', size: null };
        break;
      case 'w:pPr':
        inPPr = true;
        break;
      case 'w:pStyle':
        if (para) para.style = a['w:val'];
        break;
      case 'w:jc':
        if (para && inPPr) para.jc = a['w:val'];
        else if (table && inTblPr) table.jc = a['w:val'];
        break;
      case 'w:sz':
        if (para && !inPPr) para.size = a['w:val'];
        break;
      case 'w:t':
        inText = true;
        break;
      case 'w:br':
        if (para) para.text += '\n';
        break;
      case 'w:pgSz':
        doc.pgSz = { ...a };
        break;
      case 'w:pgMar':
        doc.pgMar = { ...a };
        break;
    }
  });
  parser.on('text', (s) => {
    if (inText && para) para.text += s;
  });
  parser.on('closetag', (t) => {
    switch (t.name) {
      case 'w:t':
        inText = false;
        break;
      case 'w:tblPr':
        inTblPr = false;
        break;
      case 'w:tcPr':
        inTcPr = false;
        break;
      case 'w:pPr':
        inPPr = false;
        break;
      case 'w:p':
        if (para && cell) {
          cell.text += (cell.text ? '\n' : '') + para.text;
          cell.jc ??= para.jc;
          cell.style ??= para.style;
          cell.size ??= para.size;
        } else if (para) doc.blocks.push({ kind: 'p', style: para.style, jc: para.jc, text: para.text });
        para = null;
        break;
      case 'w:tc':
        if (cell && row) row.cells.push(cell);
        cell = null;
        break;
      case 'w:tr':
        if (row && table) table.rows.push(row);
        row = null;
        break;
      case 'w:tbl':
        if (table) doc.blocks.push(table);
        table = null;
        break;
    }
  });
  parser.write(xml).close();
  return doc;
}

/** the restart cell whose text is `text`, with the number of rows its vertical merge spans */
function verticalSpan(tbl: Extract<WBlock, { kind: 'tbl' }>, text: string): { rows: number; gridCol: number } | null {
  for (let r = 0; r < tbl.rows.length; r++) {
    let col = 0;
    for (const c of tbl.rows[r].cells) {
      if (c.vMerge === 'restart' && c.text === text) {
        let rows = 1;
        for (let k = r + 1; k < tbl.rows.length; k++) {
          let kc = 0;
          const below = tbl.rows[k].cells.find((x) => {
            const hit = kc === col;
            kc += x.gridSpan;
            return hit;
          });
          if (below?.vMerge !== 'continue') break;
          rows++;
        }
        return { rows, gridCol: col };
      }
      col += c.gridSpan;
    }
  }
  return null;
}

function tablesOf(doc: WDoc): Extract<WBlock, { kind: 'tbl' }>[] {
  return doc.blocks.filter((b): b is Extract<WBlock, { kind: 'tbl' }> => b.kind === 'tbl');
}

/** a stable textual dump of word/document.xml: paragraphs with their style, tables cell by cell */
function dumpDocx(bytes: Uint8Array): string {
  const files = unzip(bytes);
  const doc = readWordXml(files['word/document.xml']);
  const q = (s: string) => JSON.stringify(s);
  const out: string[] = [
    `page ${doc.pgSz['w:w']}x${doc.pgSz['w:h']} margins t${doc.pgMar['w:top']} b${doc.pgMar['w:bottom']} l${doc.pgMar['w:left']} r${doc.pgMar['w:right']}`,
  ];
  for (const b of doc.blocks) {
    if (b.kind === 'p') out.push(`p[${b.style ?? ''}${b.jc ? ` ${b.jc}` : ''}] ${q(b.text)}`);
    else {
      out.push(`table width=${b.width} layout=${b.layout} jc=${b.jc} grid=${b.grid.join(',')}`);
      b.rows.forEach((r, i) => {
        out.push(`  row ${i + 1}${r.header ? ' header' : ''}${r.cantSplit ? ' cantSplit' : ''}${r.height ? ` h=${r.height}` : ''}`);
        for (const c of r.cells) {
          const attrs = [
            `w=${c.width}`,
            c.gridSpan > 1 ? `span=${c.gridSpan}` : '',
            c.vMerge ? `vMerge=${c.vMerge}` : '',
            c.jc ? `jc=${c.jc}` : '',
            c.fill ? `fill=${c.fill}` : '',
            c.style ? `style=${c.style}` : '',
            c.size ? `sz=${c.size}` : '',
          ].filter(Boolean);
          out.push(`    cell ${attrs.join(' ')}${c.vMerge === 'continue' ? '' : ` ${q(c.text)}`}`);
        }
      });
    }
  }
  const footer = Object.keys(files).find((f) => /^word\/footer\d*\.xml$/.test(f));
  if (footer) {
    const x = files[footer];
    out.push(
      `footer ${q([...x.matchAll(/<w:(t|instrText)[^>]*>([^<]*)<\/w:\1>/g)].map((m) => (m[1] === 't' ? m[2] : `{${m[2].trim()}}`)).join(''))}`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** a stable textual dump of a workbook: sheets, column widths, merges, cell values and number formats */
async function dumpXlsx(bytes: Uint8Array): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.eachSheet((ws) => {
    out.push(`sheet ${JSON.stringify(ws.name)}`);
    const widths: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) widths.push(String(ws.getColumn(c).width ?? ''));
    out.push(`  widths ${widths.join(',')}`);
    out.push(`  merges ${[...(ws.model as unknown as { merges: string[] }).merges].sort(byAddress).join(' ')}`);
    ws.eachRow((row) => {
      row.eachCell((cell) => {
        if (cell.isMerged && cell.master !== cell) return;
        if (cell.value === null || cell.value === undefined || cell.value === '') return;
        out.push(`  ${cell.address}${cell.numFmt ? ` [${cell.numFmt}]` : ''} = ${JSON.stringify(cell.value)}`);
      });
    });
  });
  return `${out.join('\n')}\n`;
}

function byAddress(a: string, b: string): number {
  const key = (s: string) => {
    const m = /^([A-Z]+)(\d+)/.exec(s)!;
    return Number(m[2]) * 1000 + m[1].split('').reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  };
  return key(a) - key(b) || a.localeCompare(b);
}

function colName(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** the merged ranges a grid drawn from row `top` should have */
function expectedMerges(grid: Grid, top: number): string[] {
  const out: string[] = [];
  expandGrid(grid).forEach((row, r) => {
    row.forEach((s, c) => {
      if (s.row !== r || s.col !== c || (s.cell.rowspan === 1 && s.cell.colspan === 1)) return;
      out.push(`${colName(c + 1)}${top + r}:${colName(c + s.cell.colspan)}${top + r + s.cell.rowspan - 1}`);
    });
  });
  return out;
}

// ---------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------

function expectRoundTrip(got: Report, want: Report): void {
  expect(got.format).toBe(want.format);
  expect(tables(got)).toEqual(tables(want));
  expect(got.agency).toBe(want.agency);
  expect(got.year).toBe(want.year);
  expect(got.publishedOn).toBe(want.publishedOn);
  for (const k of ['overview', 'problems', 'other'] as const) expect(got.sections[k], k).toBe(want.sections[k]);
  expect(got.ambiguities).toBeUndefined();
}

const RENDERERS = {
  docx: { render: renderDocx, file: 'r.docx' },
  xlsx: { render: renderXlsx, file: 'r.xlsx' },
} as const;

describe('round trip through the readers', () => {
  for (const [kind, { render, file }] of Object.entries(RENDERERS)) {
    for (const [fmt, arb] of [
      ['2021', arbReport2021],
      ['2019', arbReport2019],
    ] as const) {
      it(`${kind}: random valid ${fmt} reports read back the same`, async () => {
        await fc.assert(
          fc.asyncProperty(arb(), async (want) => {
            expectRoundTrip(await parseBytes(await render(want), file), want);
          }),
          { numRuns: RUNS },
        );
      });

      it(`${kind}: blank cells of ${fmt} reports come back null`, async () => {
        await fc.assert(
          fc.asyncProperty(arb({ nulls: true }), async (want) => {
            const got = await parseBytes(await render(want), file);
            expect(tables(got)).toEqual(tables(want));
            expect(got.format).toBe(want.format);
          }),
          { numRuns: RUNS },
        );
      });
    }

    it(`${kind}: blankAs 'zero' writes 0 into blank cells`, async () => {
      const want = sampleReport2021();
      want.applications.granted.research = null;
      const got = await parseBytes(await render(want, { blankAs: 'zero' }), file);
      expect(got.applications.granted.research).toBe(0);
      const blank = await parseBytes(await render(want), file);
      expect(blank.applications.granted.research).toBeNull();
    });

    it(`${kind}: text with XML specials and control characters gives a valid file`, async () => {
      const want = sampleReport2021();
      want.sections.overview = '甲<乙>&丙"丁\'戊\u0007己\u0000庚\uFFFF辛\ud800壬';
      want.sections.other = `${'长'.repeat(40000)}\n第二段`;
      const got = await parseBytes(await render(want), file);
      expect(got.sections.overview).toBe('甲<乙>&丙"丁\'戊己庚辛壬');
      expect(tables(got)).toEqual(tables(want));
      if (kind === 'docx') expect(got.sections.other).toBe(want.sections.other);
      else expect(got.sections.other?.replace(/\n/g, '')).toBe(want.sections.other.replace(/\n/g, ''));
    });

    it(`${kind}: the same report gives the same bytes`, async () => {
      const r = sampleReport2019();
      const a = await render(r);
      await new Promise((ok) => setTimeout(ok, 1100)); // past a second, so a clock in the output would show
      const b = await render(r);
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    });
  }
});

// ---------------------------------------------------------------------------
// DOCX structure
// ---------------------------------------------------------------------------

describe('DOCX structure', () => {
  const samples = [
    ['2021', sampleReport2021(), 22],
    ['2019', sampleReport2019(), 20],
  ] as const;

  for (const [fmt, report, span] of samples) {
    it(`${fmt}: three tables in the official layout with real Word merges`, async () => {
      const doc = readWordXml(unzip(await renderDocx(report))['word/document.xml']);
      const tbls = tablesOf(doc);
      expect(tbls).toHaveLength(3);
      const grids = tableGrids(report);
      tbls.forEach((t, i) => {
        // fixed layout, the grid set, the table as wide as the type area
        expect(t.layout).toBe('fixed');
        expect(t.grid).toHaveLength(grids[i].columns);
        expect(t.grid.reduce((a, b) => a + b, 0)).toBe(CONTENT_WIDTH);
        expect(Number(t.width)).toBe(CONTENT_WIDTH);
        expect(t.rows).toHaveLength(grids[i].rows.length);
        // every row covers the whole grid; cell widths are the widths of the columns spanned
        for (const row of t.rows) {
          let col = 0;
          for (const c of row.cells) {
            expect(c.width).toBe(t.grid.slice(col, col + c.gridSpan).reduce((a, b) => a + b, 0));
            col += c.gridSpan;
          }
          expect(col).toBe(grids[i].columns);
        }
      });
      const [a, b, c] = tbls;
      // 表二: the 勾稽 note over 3×3, 三、本年度办理结果 down 22 (2021) / 20 (2019) rows, 法人或其他组织 over 5 columns
      const note = b.rows[0].cells[0];
      expect(note.text).toBe('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）');
      expect(note.gridSpan).toBe(3);
      expect(verticalSpan(b, note.text)).toEqual({ rows: 3, gridCol: 0 });
      expect(verticalSpan(b, '三、本年度办理结果')).toEqual({ rows: span, gridCol: 0 });
      expect(verticalSpan(b, '（三）不予公开')).toEqual({ rows: 8, gridCol: 1 });
      const legal = b.rows[1].cells.find((x) => x.text === '法人或其他组织');
      expect(legal?.gridSpan).toBe(5);
      expect(b.rows[0].cells.find((x) => x.text === '申请人情况')?.gridSpan).toBe(7);
      expect(verticalSpan(b, '自然人')).toEqual({ rows: 2, gridCol: 3 });
      expect(verticalSpan(b, '总计')).toEqual({ rows: 2, gridCol: 9 });
      expect(b.rows.slice(0, 3).every((r) => r.header)).toBe(true);
      // 表三: 行政复议 over 5, 行政诉讼 over 10, the review column labels down two rows
      expect(c.rows[0].cells.map((x) => [x.text, x.gridSpan])).toEqual([
        ['行政复议', 5],
        ['行政诉讼', 10],
      ]);
      expect(verticalSpan(c, '结果维持')).toEqual({ rows: 2, gridCol: 0 });
      expect(c.rows[1].cells.filter((x) => x.gridSpan === 5).map((x) => x.text)).toEqual(['未经复议直接起诉', '复议后起诉']);
      // 表一: caption rows across all four columns, shaded as in the template; the fee column's unit
      expect(a.rows[0].cells).toHaveLength(1);
      expect(a.rows[0].cells[0]).toMatchObject({ text: '第二十条第（一）项', gridSpan: 4, fill: 'C6D9F1' });
      if (fmt === '2021')
        expect(a.rows.flatMap((r) => r.cells).some((x) => x.text === '本年收费金额（单位：万元）' && x.gridSpan === 3)).toBe(true);
    });
  }

  it('A4 page, official margins, page number field centred in the footer', async () => {
    const files = unzip(await renderDocx(sampleReport2021()));
    const doc = readWordXml(files['word/document.xml']);
    expect(doc.pgSz).toMatchObject({ 'w:w': String(A4.width), 'w:h': String(A4.height) });
    expect(doc.pgMar).toMatchObject({
      'w:top': String(MARGIN.top),
      'w:bottom': String(MARGIN.bottom),
      'w:left': String(MARGIN.left),
      'w:right': String(MARGIN.right),
    });
    expect(files['word/document.xml']).toMatch(/<w:footerReference w:type="default" r:id="rId\d+"\/>/);
    const footer = files['word/footer1.xml'];
    expect(footer).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/);
    expect(footer).toMatch(/<w:fldChar w:fldCharType="begin"\/>/);
    expect(dumpDocx(await renderDocx(sampleReport2021()))).toContain('footer "- {PAGE} -"');
    expect(footer).toContain('<w:pStyle w:val="NbFooter"/>');
    expect(files['word/styles.xml']).toMatch(/w:styleId="NbFooter".*?<w:jc w:val="center"\/>/s);
  });

  it('fonts and typography: 小标宋 title, 黑体 headings, 仿宋 body with indent and exact line spacing, small table text', async () => {
    const files = unzip(await renderDocx(sampleReport2021()));
    const styles = files['word/styles.xml'];
    const style = (id: string) => new RegExp(`<w:style [^>]*w:styleId="${id}"[^>]*>.*?</w:style>`, 's').exec(styles)?.[0] ?? '';
    // document defaults: 仿宋_GB2312 三号, Times New Roman for Latin, exact 29 pt lines, Chinese language
    const defaults = /<w:docDefaults>.*?<\/w:docDefaults>/s.exec(styles)?.[0] ?? '';
    expect(defaults).toContain(`w:eastAsia="${FONTS.body}"`);
    expect(defaults).toContain('w:ascii="Times New Roman"');
    expect(defaults).toContain('<w:sz w:val="32"/>');
    expect(defaults).toMatch(/w:line="580" w:lineRule="exact"/);
    expect(defaults).toContain('w:eastAsia="zh-CN"');
    // title: 方正小标宋简体 二号 centred
    expect(style('Title')).toContain(`w:eastAsia="${FONTS.title}"`);
    expect(style('Title')).toContain('<w:sz w:val="44"/>');
    expect(style('Title')).toContain('<w:jc w:val="center"/>');
    // headings: 黑体 三号, indented two characters, in the outline
    expect(style('Heading1')).toContain('w:eastAsia="黑体"');
    expect(style('Heading1')).toContain('<w:sz w:val="32"/>');
    expect(style('Heading1')).toContain('w:firstLine="640"');
    expect(style('Heading1')).toContain('<w:outlineLvl w:val="0"/>');
    // body: first-line indent of two characters, justified
    expect(style('NbBody')).toContain('w:firstLine="640"');
    expect(style('NbBody')).toContain('<w:jc w:val="both"/>');
    // tables: 宋体 小五, single spacing; the note in 楷体
    expect(style('NbTable')).toContain('w:eastAsia="宋体"');
    expect(style('NbTable')).toContain('<w:sz w:val="18"/>');
    expect(style('NbTable')).toMatch(/w:line="240" w:lineRule="auto"/);
    expect(style('NbTableNote')).toContain('w:eastAsia="楷体_GB2312"');
    // fallbacks in the font table
    const fonts = files['word/fontTable.xml'];
    for (const [name, alt] of [
      ['方正小标宋简体', '宋体'],
      ['仿宋_GB2312', '仿宋'],
      ['黑体', 'SimHei'],
      ['宋体', 'SimSun'],
      ['楷体_GB2312', '楷体'],
    ]) {
      expect(fonts).toContain(`<w:font w:name="${name}"><w:altName w:val="${alt}"/>`);
    }
    expect(fonts).toMatch(/<w:font w:name="仿宋_GB2312">.*?<w:charset w:val="86"\/>/);
    // the parts use the styles
    const doc = readWordXml(files['word/document.xml']);
    const ps = doc.blocks.filter((b) => b.kind === 'p') as Extract<WBlock, { kind: 'p' }>[];
    expect(ps[0]).toMatchObject({ style: 'Title', text: '南京市栖霞区自然资源和规划局2022年政府信息公开工作年度报告' });
    expect(ps.filter((p) => p.style === 'Heading1').map((p) => p.text)).toEqual([
      '一、总体情况',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况',
      '六、其他需要报告的事项',
    ]);
    expect(ps.filter((p) => p.style === 'NbSignature').map((p) => p.text)).toEqual(['南京市栖霞区自然资源和规划局', '2023年1月18日']);
    // 表一 in 五号, 表二/表三 in the style's 小五
    const [a, b] = tablesOf(doc);
    expect(a.rows[1].cells[0].size).toBe('21');
    expect(b.rows[3].cells[3].size).toBeNull();
  });

  it('the six parts in order, narrative paragraphs between them', async () => {
    const report = sampleReport2021();
    const doc = readWordXml(unzip(await renderDocx(report))['word/document.xml']);
    const seq = doc.blocks
      .filter((b) => b.kind === 'tbl' || (b.style !== 'NbBody' && b.style !== null) || b.text !== '')
      .map((b) => (b.kind === 'tbl' ? 'TABLE' : b.style === 'Heading1' ? b.text.slice(0, 2) : b.style));
    expect(seq).toEqual([
      'Title',
      '一、',
      ...report.sections.overview!.split('\n').map(() => 'NbBody'),
      '二、',
      'TABLE',
      '三、',
      'TABLE',
      '四、',
      'TABLE',
      '五、',
      ...report.sections.problems!.split('\n').map(() => 'NbBody'),
      '六、',
      'NbBody',
      'NbSignature',
      'NbSignature',
    ]);
  });

  it('XML specials in the agency are escaped in the body and the document properties', async () => {
    const report = { ...sampleReport2021(), agency: '甲&乙<丙>"丁"\'戊\'\u0007局' };
    const files = unzip(await renderDocx(report));
    const doc = readWordXml(files['word/document.xml']);
    const agency = '甲&乙<丙>"丁"\'戊\'局';
    expect(doc.blocks[0]).toMatchObject({ style: 'Title', text: `${agency}2022年政府信息公开工作年度报告` });
    expect(doc.blocks.filter((b) => b.kind === 'p' && b.style === 'NbSignature').map((b) => (b as { text: string }).text)[0]).toBe(agency);
    const core = files['docProps/core.xml'];
    new SaxesParser({ xmlns: false }).write(core).close();
    expect(core).toContain('<dc:description>甲&amp;乙&lt;丙&gt;&quot;丁&quot;&apos;戊&apos;局</dc:description>');
    const noAgency = unzip(await renderDocx({ ...sampleReport2021(), agency: null }))['docProps/core.xml'];
    expect(noAgency).not.toContain('<dc:description>');
  });

  it('renders started together give the same bytes as one after another', async () => {
    const reports = [sampleReport2021(), sampleReport2019(), sampleReport2021()];
    const together = await Promise.all(reports.map((r) => renderDocx(r)));
    for (const [i, r] of reports.entries()) expect(Buffer.from(together[i]).equals(Buffer.from(await renderDocx(r)))).toBe(true);
  });

  it('document properties: title, creator nianbao, dates from the report', async () => {
    const core = unzip(await renderDocx(sampleReport2021()))['docProps/core.xml'];
    expect(core).toContain('<dc:title>南京市栖霞区自然资源和规划局2022年政府信息公开工作年度报告</dc:title>');
    expect(core).toContain('<dc:creator>nianbao</dc:creator>');
    expect(core).toMatch(/<dcterms:created [^>]*>2023-01-18T00:00:00Z<\/dcterms:created>/);
    expect(core).toMatch(/<dcterms:modified [^>]*>2023-01-18T00:00:00Z<\/dcterms:modified>/);
    const noDate = { ...sampleReport2021(), publishedOn: null };
    expect(unzip(await renderDocx(noDate))['docProps/core.xml']).toMatch(/<dcterms:created [^>]*>2023-01-01T00:00:00Z</);
  });
});

// ---------------------------------------------------------------------------
// XLSX structure
// ---------------------------------------------------------------------------

describe('XLSX structure', () => {
  for (const report of [sampleReport2021(), sampleReport2019()]) {
    it(`${report.format}: a narrative sheet and one sheet per table, merged as in the official layout`, async () => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await renderXlsx(report)) as unknown as ArrayBuffer);
      const grids = tableGrids(report);
      expect(wb.worksheets.map((w) => w.name)).toEqual([NARRATIVE_SHEET, ...grids.map((g) => g.heading)]);
      expect(wb.creator).toBe('nianbao');
      expect(wb.title).toBe(`${report.agency}${report.year}年政府信息公开工作年度报告`);

      for (const grid of grids) {
        const ws = wb.getWorksheet(grid.heading)!;
        const merges = (ws.model as unknown as { merges: string[] }).merges;
        expect([...merges].sort()).toEqual([`A1:${colName(grid.columns)}1`, ...expectedMerges(grid, 3)].sort());
        for (let c = 1; c <= grid.columns; c++) expect(ws.getColumn(c).width).toBeGreaterThan(5);
        // borders on every cell of the table, merged areas included
        for (let r = 3; r < 3 + grid.rows.length; r++) {
          for (let c = 1; c <= grid.columns; c++) expect(ws.getCell(r, c).border?.left?.style, `${grid.table} R${r}C${c}`).toBe('thin');
        }
        expect(ws.pageSetup.paperSize).toBe(9);
      }
      const b = wb.getWorksheet(grids[1].heading)!;
      expect(b.getCell('A3').value).toBe('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）');
      expect(merged(b, 'A8')).toBe(`A8:A${8 + (report.format === '2021' ? 22 : 20) - 1}`);
      expect(b.getCell('E4').value).toBe('法人或其他组织');
      expect(merged(b, 'E4')).toBe('E4:I4');
      expect(b.getCell('D4').fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
      expect(b.getCell('D6').value).toBe(report.applications.newReceived.naturalPerson);

      const main = wb.getWorksheet(NARRATIVE_SHEET)!;
      const texts: string[] = [];
      main.eachRow((row) => {
        texts.push(String(row.getCell(1).value));
      });
      expect(texts[0]).toBe(wb.title);
      expect(texts.filter((t) => /^[一二三四五六]、/.test(t))).toHaveLength(6);
      expect(texts.slice(-2)).toEqual([
        report.agency,
        `${report.publishedOn!.slice(0, 4)}年${Number(report.publishedOn!.slice(5, 7))}月${Number(report.publishedOn!.slice(8))}日`,
      ]);
    });
  }

  it('money keeps its published decimals as a number with a number format', async () => {
    const r = sampleReport2021();
    (r.proactive as { fees: { amount: string } }).fees.amount = '12.3400';
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await renderXlsx(r)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('二、主动公开政府信息情况')!;
    let found: ExcelJS.Cell | undefined;
    ws.eachRow((row) =>
      row.eachCell((c) => {
        if (c.value === 12.34) found = c;
      }),
    );
    expect(found?.numFmt).toBe('0.0000');
    const back = await parseBytes(await renderXlsx(r), 'r.xlsx');
    expect((back.proactive as { fees: { amount: string } }).fees.amount).toBe('12.3400');
  });
});

function merged(ws: ExcelJS.Worksheet, address: string): string | undefined {
  return (ws.model as unknown as { merges: string[] }).merges.find((m) => m.startsWith(`${address}:`));
}

// ---------------------------------------------------------------------------
// Golden dumps of the seeds
// ---------------------------------------------------------------------------

describe('golden dumps of the seeds', () => {
  const update = process.env.UPDATE_GOLDEN === '1';
  for (const f of seedFiles()) {
    const seed = basename(f, '.txt');
    it(seed, async () => {
      const report = await parseFile(join(SEEDS, f));
      const dumps = { docx: dumpDocx(await renderDocx(report)), xlsx: await dumpXlsx(await renderXlsx(report)) };
      for (const [kind, text] of Object.entries(dumps)) {
        const path = join(GOLDEN, `${seed}.${kind}.txt`);
        if (update) {
          mkdirSync(GOLDEN, { recursive: true });
          writeFileSync(path, text);
        } else {
          expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
          expect(text, `${seed}.${kind}`).toBe(readFileSync(path, 'utf8'));
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------
// LibreOffice opens the DOCX
// ---------------------------------------------------------------------------

function findOffice(): string | null {
  for (const name of ['libreoffice', 'soffice']) {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return null;
}

/**
 * LibreOffice has its Writer component (it opens a DOCX): the program folder holds libswlo; a
 * Calc-only install (Debian's libreoffice-calc-nogui, enough for the 台账 export) prints "source
 * file could not be loaded" for a DOCX and exits 0. A layout not known here is taken to have it.
 */
function hasWriter(office: string): boolean {
  try {
    const files = readdirSync(dirname(realpathSync(office)));
    const known = files.some((f) => /^lib(sc|sw|sd)lo\./.test(f));
    return !known || files.some((f) => /^libswlo\./.test(f));
  } catch {
    return true;
  }
}

describe('LibreOffice', () => {
  const office = findOffice();
  it('converts a rendered seed DOCX to PDF', { timeout: 180_000 }, async (ctx) => {
    skipUnless(
      ctx,
      office !== null,
      '没有安装 LibreOffice（PATH 中没有 libreoffice 或 soffice）',
      'neither libreoffice nor soffice is on PATH',
    );
    skipUnless(
      ctx,
      hasWriter(office!),
      'LibreOffice 没有安装 Writer 组件（libreoffice-writer），打不开 DOCX',
      'LibreOffice has no Writer component (libreoffice-writer) to open a DOCX',
    );
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-lo-'));
    try {
      const report = await parseFile(join(SEEDS, seedFiles()[0]));
      const docx = join(dir, 'report.docx');
      writeFileSync(docx, await renderDocx(report));
      const r = spawnSync(
        office!,
        ['--headless', `-env:UserInstallation=file://${join(dir, 'profile')}`, '--convert-to', 'pdf', '--outdir', dir, docx],
        {
          encoding: 'utf8',
          timeout: 170_000,
        },
      );
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      const pdf = join(dir, 'report.pdf');
      expect(existsSync(pdf)).toBe(true);
      expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
