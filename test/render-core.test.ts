/**
 * The core of `nianbao render`: totals (filling, refusing, --force, blank-as),
 * the accessible HTML, the Markdown, and the command line end to end (HTML and
 * Markdown, refusal exit 1, unreadable input exit 2).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type DefaultTreeAdapterTypes, parse } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { parseBytes } from '../src/parse.js';
import {
  InvalidReportError,
  normalizeReport,
  prepare,
  RenderRefusedError,
  render,
  renderHtml,
  renderMarkdown,
} from '../src/render/index.js';
import { sampleReport2019, sampleReport2021 } from './helpers/arbitrary.js';
import { tables } from './helpers/expect-report.js';
import { toText } from './helpers/variants.js';

const deepFreeze = <T>(o: T): T => {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
};

function refusal(fn: () => unknown): RenderRefusedError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RenderRefusedError) return e;
    throw e;
  }
  throw new Error('expected a RenderRefusedError');
}

describe('prepare: blank totals are computed from their parts', () => {
  it('fills row totals, 三（七）总计 per column, 四 from the balance and 表三 totals, in the documented order', () => {
    const r = structuredClone(sampleReport2021());
    const a = r.applications;
    a.granted.total = null;
    a.withheldThirdParty.total = null;
    a.outcomeTotal.naturalPerson = null;
    a.outcomeTotal.total = null;
    a.newReceived.total = null;
    a.carriedForward.commercial = null; // 50 + 2 − 49 = 3
    a.carriedForward.total = null;
    r.reviewLitigation.litigationDirect.total = null;
    const input = deepFreeze(structuredClone(r));
    const p = prepare(input);
    expect(tables(p.report)).toEqual(tables(sampleReport2021()));
    expect(p.filled).toEqual([
      'applications.granted.total',
      'applications.withheldThirdParty.total',
      'applications.outcomeTotal.naturalPerson',
      'applications.outcomeTotal.total',
      'applications.newReceived.total',
      'applications.carriedForward.commercial',
      'applications.carriedForward.total',
      'reviewLitigation.litigationDirect.total',
    ]);
    expect(p.diagnostics).toEqual([]);
    // the input is untouched
    expect(input.applications.granted.total).toBeNull();
  });

  it('computes the corner cell 三（七）总计·总计 from leaf totals that were blank themselves', () => {
    const r = structuredClone(sampleReport2019());
    for (const [key, row] of Object.entries(r.applications)) if (key !== 'newReceived') row.total = null;
    r.applications.outcomeTotal = { ...r.applications.outcomeTotal, naturalPerson: null, total: null };
    const p = prepare(r);
    expect(tables(p.report)).toEqual(tables(sampleReport2019()));
    // the corner is filled after every leaf total and after its column's parts
    const corner = p.filled.indexOf('applications.outcomeTotal.total');
    expect(corner).toBeGreaterThan(p.filled.indexOf('applications.otherHandling.total'));
    expect(corner).toBeGreaterThan(p.filled.indexOf('applications.outcomeTotal.naturalPerson'));
  });

  it('leaves a blank 结转 cell blank when its balance is 0, and fills totals of blank rows with 0', () => {
    const r = structuredClone(sampleReport2021());
    // 科研机构: 27 + 1 = 26 + 2 in the sample; with 25 new applications the balance leaves 0 for 四
    r.applications.newReceived.research = 25;
    r.applications.newReceived.total = 364;
    r.applications.carriedForward.research = null;
    r.applications.carriedForward.total = null; // 8 + 3 + 0 + 1 + 2 + 1 = 15, and 364 + 11 = 360 + 15
    r.reviewLitigation.review = { upheld: null, corrected: null, other: null, pending: null, total: null };
    const p = prepare(r, { blankAs: 'blank' });
    expect(p.report.applications.carriedForward.research).toBeNull();
    expect(p.report.applications.carriedForward.total).toBe(15);
    expect(p.report.reviewLitigation.review).toEqual({ upheld: null, corrected: null, other: null, pending: null, total: 0 });
    expect(p.filled).not.toContain('applications.carriedForward.research');
  });

  it('solves a cell the reader left ambiguous when an equation determines it', () => {
    const r = structuredClone(sampleReport2021());
    r.applications.granted.naturalPerson = null;
    r.ambiguities = [{ path: 'applications.granted.naturalPerson', candidates: [58, 5] }];
    const p = prepare(r);
    expect(p.report.applications.granted.naturalPerson).toBe(58);
    expect(p.report.ambiguities).toBeUndefined();
    expect(p.filled).toContain('applications.granted.naturalPerson');
  });

  it('refuses a cell that stays ambiguous (it cannot be written)', () => {
    const r = structuredClone(sampleReport2021());
    (r.proactive as Record<string, Record<string, unknown>>).licensing.decisions = null;
    r.ambiguities = [{ path: 'proactive.licensing.decisions', candidates: [3960, 396] }];
    const e = refusal(() => prepare(r));
    expect(e.diagnostics).toEqual([
      expect.objectContaining({ rule: 'ambiguous-cell', severity: 'error', path: 'proactive.licensing.decisions' }),
    ]);
  });
});

describe('prepare: contradictions are refused unless forced', () => {
  const broken = () => {
    const r = structuredClone(sampleReport2021());
    r.applications.granted.total = 83; // the parts add up to 85
    r.reviewLitigation.review.total = 9; // 3 + 2 + 1 + 1 = 7
    return r;
  };

  it('throws a RenderRefusedError carrying the diagnostics of the four arithmetic rules', () => {
    const e = refusal(() => prepare(broken()));
    const rules = e.diagnostics.map((d) => `${d.rule} ${d.path}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'applications-row-total applications.granted.total',
        'applications-outcome-total applications.outcomeTotal.total',
        'review-litigation-total reviewLitigation.review.total',
      ]),
    );
    expect(e.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(e.diagnostics.find((d) => d.rule === 'applications-row-total')?.message).toContain('总计为 83，但六类申请人之和为 85');
    expect(e.message).toMatch(/not rendered/);
  });

  it('checks the filled report: a filled total that disagrees with a given one is refused', () => {
    const r = structuredClone(sampleReport2021());
    r.applications.granted.total = null;
    r.applications.granted.naturalPerson = 60; // the leaf total becomes 87, but 三（七）总计 says 360
    r.applications.granted.total = null;
    const e = refusal(() => prepare(r));
    expect(e.diagnostics.map((d) => d.rule)).toContain('applications-outcome-total');
    expect(e.report.applications.granted.total).toBe(87);
  });

  it('--force renders anyway, keeping the given values and reporting the diagnostics', async () => {
    const p = prepare(broken(), { force: true });
    expect(p.report.applications.granted.total).toBe(83);
    expect(p.diagnostics.length).toBeGreaterThanOrEqual(3);
    const md = new TextDecoder().decode(await render(broken(), 'md', { force: true }));
    expect(md).toContain('| 83 |');
    await expect(render(broken(), 'html')).rejects.toBeInstanceOf(RenderRefusedError);
  });
});

describe('prepare: blank vs zero', () => {
  const withBlanks = () => {
    const r = structuredClone(sampleReport2021());
    const p = r.proactive as Record<string, Record<string, unknown>>;
    p.regulations = { issued: null, repealed: null, inForce: null };
    p.fees.amount = null;
    r.applications.withheldStateSecret = {
      naturalPerson: null,
      commercial: null,
      research: null,
      publicInterest: null,
      legalService: null,
      other: null,
      total: null,
    };
    r.applications.outcomeTotal = {
      ...r.applications.outcomeTotal,
      naturalPerson: 186,
      commercial: 48,
      research: 25,
      legalService: 34,
      other: 31,
      publicInterest: 29,
      total: 353,
    };
    r.applications.carriedForward = { ...r.applications.carriedForward };
    // keep the balance: 一 + 二 = 三（七）+ 四
    r.applications.newReceived = {
      naturalPerson: 189,
      commercial: 49,
      research: 26,
      publicInterest: 29,
      legalService: 35,
      other: 31,
      total: 359,
    };
    return r;
  };

  it('zero (default): every blank cell is written 0, the fee "0"', () => {
    const p = prepare(withBlanks());
    const pro = p.report.proactive as Record<string, Record<string, unknown>>;
    expect(pro.regulations).toEqual({ issued: 0, repealed: 0, inForce: 0 });
    expect(pro.fees.amount).toBe('0');
    expect(p.report.applications.withheldStateSecret.naturalPerson).toBe(0);
    expect(p.report.applications.withheldStateSecret.total).toBe(0); // a total: filled, not zeroed
    expect(p.filled).toEqual(['applications.withheldStateSecret.total']);
    expect(p.zeroed).toEqual(expect.arrayContaining(['proactive.regulations.issued', 'proactive.fees.amount']));
    expect(p.zeroed).not.toContain('applications.withheldStateSecret.total');
    expect(JSON.stringify(tables(p.report))).not.toContain('null');
  });

  it('blank: blank cells stay blank, in the report and in the HTML and Markdown', async () => {
    const p = prepare(withBlanks(), { blankAs: 'blank' });
    expect((p.report.proactive as Record<string, Record<string, unknown>>).fees.amount).toBeNull();
    expect(p.zeroed).toEqual([]);
    const html = new TextDecoder().decode(await render(withBlanks(), 'html', { blankAs: 'blank' }));
    expect(html).toContain(
      '<td class="num blank" colspan="3" headers="proactive-h20 proactive-h17 proactive-h19" data-path="proactive.fees.amount"></td>',
    );
    const md = new TextDecoder().decode(await render(withBlanks(), 'md', { blankAs: 'blank' }));
    expect(md).toContain('| 规章 |  |  |  |');
    const zero = new TextDecoder().decode(await render(withBlanks(), 'md'));
    expect(zero).toContain('| 规章 | 0 | 0 | 0 |');
  });
});

describe('normalizeReport: the shape of a Report JSON', () => {
  const base = () => JSON.parse(JSON.stringify(sampleReport2021())) as Record<string, unknown>;
  const bad = (mutate: (r: Record<string, unknown>) => void): InvalidReportError => {
    const r = base();
    mutate(r);
    try {
      normalizeReport(r);
    } catch (e) {
      if (e instanceof InvalidReportError) return e;
      throw e;
    }
    throw new Error('expected an InvalidReportError');
  };

  it('names the field that is wrong', () => {
    expect(bad((r) => (r.format = '2020')).path).toBe('format');
    expect(bad((r) => delete r.applications).path).toBe('applications');
    expect(bad((r) => (r.reviewLitigation = [])).path).toBe('reviewLitigation');
    expect(bad((r) => delete r.proactive).path).toBe('proactive');
    const e = bad((r) => ((r.applications as Record<string, Record<string, unknown>>).granted.total = 'many'));
    expect(e.path).toBe('applications.granted.total');
    expect(e.en).toContain('"many"');
    expect(e.zh).toContain('整数');
    expect(bad((r) => ((r.proactive as Record<string, Record<string, unknown>>).fees.amount = '12万')).path).toBe('proactive.fees.amount');
    expect(bad((r) => (r.publishedOn = '2023年1月18日')).path).toBe('publishedOn');
  });

  it('completes a partial report with blank rows and cells, without touching the input', () => {
    const input = deepFreeze({ format: '2019', proactive: {}, applications: { granted: { naturalPerson: 1 } }, reviewLitigation: {} });
    const { report } = normalizeReport(input);
    expect(Object.keys(report.applications)).toHaveLength(23);
    expect(report.applications.granted).toEqual({
      naturalPerson: 1,
      commercial: null,
      research: null,
      publicInterest: null,
      legalService: null,
      other: null,
      total: null,
    });
    expect(report.sections).toEqual({ overview: null, problems: null, other: null });
    expect((report.proactive as Record<string, unknown>).procurement).toEqual({ projects: null, amount: null });
  });

  it('writes the 2019 single row （六）其他处理 of a mixed 2021 report as 3.其他', () => {
    const r = structuredClone(sampleReport2021());
    const a = r.applications;
    a.otherHandling = {
      naturalPerson: 12,
      commercial: 5,
      research: 3,
      publicInterest: 4,
      legalService: 3,
      other: 5,
      total: 32,
    };
    delete a.otherNoCorrection;
    delete a.otherFeeUnpaid;
    delete a.otherOther;
    const p = prepare(r, { blankAs: 'blank' });
    expect(p.report.applications.otherOther).toEqual(a.otherHandling);
    expect(p.report.applications.otherHandling).toBeUndefined();
    expect(p.report.applications.otherNoCorrection.total).toBe(0);
    expect(p.notes[0]).toContain('3.其他');
  });
});

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.Node;

const isEl = (n: Node): n is Element => 'tagName' in n;
const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;
function all(n: Node, tag: string, out: Element[] = []): Element[] {
  if (isEl(n) && n.tagName === tag) out.push(n);
  if ('childNodes' in n) for (const c of n.childNodes as Node[]) all(c, tag, out);
  return out;
}
function textOf(n: Node): string {
  if (n.nodeName === '#text') return (n as DefaultTreeAdapterTypes.TextNode).value;
  return 'childNodes' in n ? (n.childNodes as Node[]).map(textOf).join('') : '';
}
const kids = (el: Element) => el.childNodes.filter(isEl);

/** the table as a matrix of cells (rowspan/colspan expanded), with each cell's top-left corner */
function matrix(table: Element): { cell: Element; row: number; col: number }[][] {
  const rows = kids(table)
    .filter((e) => ['thead', 'tbody', 'tfoot'].includes(e.tagName))
    .flatMap((g) => kids(g).filter((e) => e.tagName === 'tr'));
  const m: { cell: Element; row: number; col: number }[][] = rows.map(() => []);
  rows.forEach((tr, r) => {
    let c = 0;
    for (const cell of kids(tr).filter((e) => e.tagName === 'td' || e.tagName === 'th')) {
      while (m[r][c]) c++;
      const rs = Number(attr(cell, 'rowspan') ?? 1);
      const cs = Number(attr(cell, 'colspan') ?? 1);
      for (let i = 0; i < rs; i++) for (let j = 0; j < cs; j++) m[r + i][c + j] = { cell, row: r, col: c };
      c += cs;
    }
  });
  return m;
}

describe('HTML page', () => {
  for (const [name, sample] of [
    ['2021', sampleReport2021],
    ['2019', sampleReport2019],
  ] as const) {
    const html = renderHtml(prepare(sample()).report);
    const doc = parse(html);

    it(`${name}: a standalone HTML5 page in Chinese, with no external resources and print styles`, () => {
      expect(html.startsWith('<!DOCTYPE html>\n<html lang="zh-CN">')).toBe(true);
      expect(html).toContain('<meta charset="utf-8">');
      expect(textOf(all(doc, 'title')[0])).toBe(`${sample().agency}${sample().year}年政府信息公开工作年度报告`);
      expect(all(doc, 'h1').map(textOf)).toEqual([`${sample().agency}${sample().year}年政府信息公开工作年度报告`]);
      expect(all(doc, 'h2').map(textOf)).toEqual([
        '一、总体情况',
        '二、主动公开政府信息情况',
        '三、收到和处理政府信息公开申请情况',
        '四、政府信息公开行政复议、行政诉讼情况',
        '五、存在的主要问题及改进情况',
        '六、其他需要报告的事项',
      ]);
      for (const tag of ['link', 'script', 'img', 'iframe']) expect(all(doc, tag)).toEqual([]);
      expect(html).not.toMatch(/url\(|@import|https?:\/\//);
      const css = textOf(all(doc, 'style')[0]);
      expect(css).toContain('@page { size: A4');
      expect(css).toMatch(/@media print \{[\s\S]*break-inside: avoid/);
      expect(css).toMatch(/body \{[^}]*FangSong[^}]*Noto Serif CJK SC/);
      // the signature, right-aligned at the end
      const sig = all(doc, 'div').find((d) => attr(d, 'class') === 'signature')!;
      expect(kids(sig).map(textOf)).toEqual([sample().agency, sample().publishedOn!.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')]);
      expect(css).toMatch(/\.signature \{[^}]*text-align: right/);
    });

    it(`${name}: every table has a caption; labels are <th scope>; every value <td> is tied to its headers`, () => {
      const tablesEls = all(doc, 'table');
      expect(tablesEls).toHaveLength(3);
      for (const table of tablesEls) {
        const caption = kids(table)[0];
        expect(caption.tagName).toBe('caption');
        expect(textOf(caption)).toMatch(/^表[一二三]　.+/);
        const ths = all(table, 'th');
        const byId = new Map(ths.map((th) => [attr(th, 'id'), th]));
        for (const th of ths) {
          expect(['col', 'colgroup', 'row', 'rowgroup']).toContain(attr(th, 'scope'));
          expect(attr(th, 'id')).toBeTruthy();
        }
        // colgroup scopes sit on a <colgroup> of the same width
        const groups = kids(table)
          .filter((e) => e.tagName === 'colgroup')
          .map((g) => kids(g).length);
        expect(groups.reduce((x, y) => x + y, 0)).toBe(matrix(table)[0].length);
        const m = matrix(table);
        const tds = all(table, 'td');
        const values = tds.filter((td) => attr(td, 'class') !== 'note');
        expect(values.length).toBeGreaterThan(0);
        for (const td of values) {
          // a value: a number or a decimal, never a label
          expect(textOf(td)).toMatch(/^-?\d+(\.\d+)?(元|万元)?$/);
          const ids = (attr(td, 'headers') ?? '').split(' ').filter(Boolean);
          expect(ids.length).toBeGreaterThan(0);
          const headers = ids.map((id) => byId.get(id));
          expect(headers.every(Boolean)).toBe(true);
          // by position: the scope structure alone gives a column header above it and, if its row has labels, a row header to its left
          const r = m.findIndex((row) => row.some((s) => s.cell === td));
          const c = m[r].findIndex((s) => s.cell === td);
          const above = m
            .slice(0, r)
            .map((row) => row[c].cell)
            .filter((cell) => cell.tagName === 'th' && ['col', 'colgroup'].includes(attr(cell, 'scope')!));
          expect(above.length, `${attr(td, 'data-path')} has a column header`).toBeGreaterThan(0);
          const left = [...new Set(m[r].slice(0, c).map((s) => s.cell))].filter((cell) => cell.tagName === 'th');
          if (left.length > 0) {
            expect(left.some((cell) => ['row', 'rowgroup'].includes(attr(cell, 'scope')!))).toBe(true);
            for (const cell of left) expect(ids).toContain(attr(cell, 'id'));
          }
          // the explicit headers name the nearest column header above it
          const nearest = [...above].reverse().find((cell) => ids.includes(attr(cell, 'id')!));
          expect(nearest, `${attr(td, 'data-path')} headers`).toBeDefined();
        }
        // every label cell is a <th>; the only non-value <td> is the 勾稽 note
        const notes = tds.filter((td) => attr(td, 'class') === 'note');
        expect(notes.map(textOf)).toEqual(
          table === tablesEls[1] ? ['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）'] : [],
        );
      }
    });
  }

  it('keeps the official layout: rows, columns and merged cells of each table', () => {
    const doc = parse(renderHtml(prepare(sampleReport2021()).report));
    const [t1, t2, t3] = all(doc, 'table');
    expect(matrix(t1)).toHaveLength(14);
    expect(matrix(t1)[0]).toHaveLength(4);
    expect(matrix(t2)).toHaveLength(3 + 25);
    expect(matrix(t2).every((row) => row.length === 10)).toBe(true);
    expect(matrix(t3)).toHaveLength(4);
    expect(matrix(t3)[3]).toHaveLength(15);
    const spans = (t: Element) => all(t, 'th').map((th) => `${textOf(th)}:${attr(th, 'rowspan') ?? 1}x${attr(th, 'colspan') ?? 1}`);
    expect(spans(t2)).toEqual(
      expect.arrayContaining([
        '申请人情况:1x7',
        '自然人:2x1',
        '法人或其他组织:1x5',
        '三、本年度办理结果:22x1',
        '（三）不予公开:8x1',
        '（七）总计:1x2',
      ]),
    );
    expect(spans(t3)).toEqual(expect.arrayContaining(['行政复议:1x5', '行政诉讼:1x10', '未经复议直接起诉:1x5', '结果维持:2x1']));
    expect(spans(t1)).toEqual(expect.arrayContaining(['本年收费金额（单位：万元）:1x3', '第二十条第（八）项:1x4']));
    const note = all(t2, 'td')[0];
    expect([attr(note, 'rowspan'), attr(note, 'colspan')]).toEqual(['3', '3']);
  });

  it('escapes markup in the text', () => {
    const r = structuredClone(sampleReport2021());
    r.sections.other = '收费<script>alert(1)</script> & “其他”';
    const html = renderHtml(prepare(r).report);
    expect(html).toContain('<p>收费&lt;script&gt;alert(1)&lt;/script&gt; &amp; “其他”</p>');
  });
});

describe('Markdown', () => {
  it('reads as plain text: title, headings, paragraphs, pipe tables with the note, signature', () => {
    const md = renderMarkdown(prepare(sampleReport2021()).report);
    const lines = md.split('\n');
    expect(lines[0]).toBe('# 南京市栖霞区自然资源和规划局2022年政府信息公开工作年度报告');
    expect(lines.filter((l) => l.startsWith('## '))).toHaveLength(6);
    expect(md).toContain('| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） |  |  | 申请人情况 |');
    expect(md).toContain('| 三、本年度办理结果 | （一）予以公开 |  | 58 | 12 | 3 | 4 | 6 | 2 | 85 |');
    expect(md).toContain('|  | （三）不予公开 | 1.属于国家秘密 | 2 | 1 | 1 | 1 | 1 | 1 | 7 |');
    expect(md).toContain('|  |  | 2.其他法律行政法规禁止公开 | 3 | 1 | 2 | 1 | 2 | 1 | 10 |');
    expect(md).toContain('| 信息内容 | 本年收费金额（单位：万元） |  |  |');
    expect(md.trimEnd().split('\n').slice(-3)).toEqual(['南京市栖霞区自然资源和规划局', '', '2023年1月18日']);
    // every table line has the grid's width
    for (const l of lines.filter((x) => x.startsWith('|'))) expect([4, 10, 15]).toContain(l.split(/(?<!\\)\|/).length - 2);
  });

  it('escapes Markdown syntax so that the text reads back unchanged', async () => {
    const r = structuredClone(sampleReport2021());
    r.sections.other = '# 不是标题 *星号* _下划线_ [链接](x) `代码` a|b <b>标签</b> &amp; \\反斜杠';
    r.sections.problems = '1. 是编号，不是列表\n= 等号开头\n> 大于号开头';
    const back = await parseBytes(new TextEncoder().encode(renderMarkdown(prepare(r).report)), 'r.md');
    expect(back.sections.other).toBe(r.sections.other);
    expect(back.sections.problems).toBe(r.sections.problems);
  });
});

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

const run = promisify(execFile);
const MAIN = resolve(import.meta.dirname, '../src/cli/main.ts');

/** runs the command line from the sources (no build needed) */
async function nianbao(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(process.argv.slice(1));`;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], {
      cwd: resolve(import.meta.dirname, '..'),
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function expectCleanFailure(r: { code: number; stdout: string; stderr: string }, code: number, file: string): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(file);
  expect(r.stderr).toMatch(/[\u4e00-\u9fff]/);
  expect(r.stderr).toMatch(/Error: .*[a-z]{3,}/);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('nianbao render', () => {
  let dir: string;
  let json: string;
  let text: string;
  let broken: string;
  let withBlanks: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nianbao-render-'));
    json = join(dir, 'report.json');
    writeFileSync(json, JSON.stringify(sampleReport2021(), null, 2));
    text = join(dir, 'report.txt');
    writeFileSync(text, toText(sampleReport2019(), 'tabs'));
    const b: Report = structuredClone(sampleReport2021());
    b.applications.granted.total = 83;
    broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify(b));
    const w: Report = structuredClone(sampleReport2021());
    w.applications.granted.total = null;
    (w.proactive as Record<string, Record<string, unknown>>).licensing.decisions = null;
    withBlanks = join(dir, 'blanks.json');
    writeFileSync(withBlanks, JSON.stringify(w));
  });

  it('writes HTML from a Report JSON to stdout, which reads back as the report', async () => {
    const r = await nianbao('render', json, '--to', 'html');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    const back = await parseBytes(new TextEncoder().encode(r.stdout), 'out.html');
    expect(tables(back)).toEqual(tables(sampleReport2021()));
    expect(r.stderr).toBe('');
  });

  it('converts any readable report (here plain text, 2019 format) to Markdown with -o', async () => {
    const out = join(dir, 'out.md');
    const r = await nianbao('render', text, '--to', 'md', '-o', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const md = readFileSync(out, 'utf8');
    expect(md.split('\n')[0]).toBe('# 上海市人民政府办公厅2019年政府信息公开工作年度报告');
    const back = await parseBytes(readFileSync(out), 'out.md');
    expect(tables(back)).toEqual(tables(sampleReport2019()));
  });

  it('fills blank totals and says so on stderr; --blank-as blank keeps other blanks empty', async () => {
    const r = await nianbao('render', withBlanks, '--to', 'md', '--blank-as', 'blank');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('applications.granted.total');
    expect(r.stderr).toMatch(/Note: 1 blank total/);
    expect(r.stdout).toContain('| 三、本年度办理结果 | （一）予以公开 |  | 58 | 12 | 3 | 4 | 6 | 2 | 85 |');
    expect(r.stdout).toContain('| 行政许可 |  |  |  |');
    const zero = await nianbao('render', withBlanks, '--to', 'md');
    expect(zero.stdout).toContain('| 行政许可 | 0 |  |  |');
  });

  it('refuses (exit 1) a report whose totals contradict their parts, listing the diagnostics like check', async () => {
    const r = await nianbao('render', broken, '--to', 'html');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/broken\.json.*错误 {2}.*总计为 83，但六类申请人之和为 85.* {2}applications-row-total/);
    expect(r.stderr).toContain('applications-outcome-total');
    expect(r.stderr).toMatch(/共检查 1 个文件：\d+ 个错误/);
    expect(r.stderr).toContain('--force');
    expect(r.stderr).toMatch(/Error: .*was not rendered: its totals contradict their parts/);
  });

  it('--force renders the contradicting report, with the diagnostics as a warning', async () => {
    const out = join(dir, 'forced.html');
    const r = await nianbao('render', broken, '--to', 'html', '--force', '-o', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('applications-row-total');
    expect(r.stderr).toMatch(/Warning: rendered despite/);
    expect(readFileSync(out, 'utf8')).toContain('data-path="applications.granted.total">83</td>');
  });

  it('exit 2 for JSON that does not parse, naming the file, in Chinese and English', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format": "2021", "applications": ');
    const r = await nianbao('render', bad, '--to', 'html');
    expectCleanFailure(r, 2, bad);
    expect(r.stderr).toMatch(/不是有效的 JSON/);
    expect(r.stderr).toMatch(/is not valid JSON/);
  });

  it('exit 2 for a JSON that is not a Report, saying which field is wrong', async () => {
    const bad = join(dir, 'not-a-report.json');
    writeFileSync(
      bad,
      JSON.stringify({ format: '2021', proactive: {}, applications: { granted: { total: '5件' } }, reviewLitigation: {} }),
    );
    const r = await nianbao('render', bad, '--to', 'md');
    expectCleanFailure(r, 2, bad);
    expect(r.stderr).toContain('applications.granted.total');
    expect(r.stderr).toMatch(/is not a valid Report JSON/);
    const noFormat = join(dir, 'no-format.json');
    writeFileSync(noFormat, JSON.stringify({ agency: 'x' }));
    const r2 = await nianbao('render', noFormat, '--to', 'md');
    expectCleanFailure(r2, 2, noFormat);
    expect(r2.stderr).toContain('format');
  });

  it('exit 2 for a missing or unreadable input, and for bad options', async () => {
    const missing = join(dir, 'missing.json');
    expectCleanFailure(await nianbao('render', missing, '--to', 'html'), 2, missing);
    const notReport = join(dir, 'notes.txt');
    writeFileSync(notReport, '今天天气很好。\n');
    expectCleanFailure(await nianbao('render', notReport, '--to', 'html'), 2, notReport);
    const badTo = await nianbao('render', json, '--to', 'odt');
    expect(badTo.code).toBe(2);
    expect(badTo.stderr).toMatch(/不支持的输出格式 odt[\s\S]*Error: unsupported output format odt/);
    const noTo = await nianbao('render', json);
    expect(noTo.code).toBe(2);
    expect(noTo.stderr).toMatch(/--to/);
    const badBlank = await nianbao('render', json, '--to', 'md', '--blank-as', 'dash');
    expect(badBlank.code).toBe(2);
    expect(badBlank.stderr).toMatch(/--blank-as/);
  });

  it('accepts the output of check --json (the report inside it)', async () => {
    const wrapped = join(dir, 'check.json');
    writeFileSync(wrapped, JSON.stringify({ file: 'x.txt', report: sampleReport2019(), diagnostics: [] }));
    const r = await nianbao('render', wrapped, '--to', 'md');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# 上海市人民政府办公厅2019年政府信息公开工作年度报告');
  });
});
