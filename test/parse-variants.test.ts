import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractReport } from '../src/extract/index.js';
import type { Report } from '../src/model/report.js';
import { readDocument } from '../src/read/index.js';
import { readText } from '../src/read/text.js';
import { arbReport2019, arbReport2021, sampleReport2019, sampleReport2021 } from './helpers/arbitrary.js';
import { tables } from './helpers/expect-report.js';
import { SEEDS } from './helpers/paths.js';
import { textLayouts, toGluedText, toText } from './helpers/variants.js';

const parseText = (text: string) => extractReport(readText(text, 'variant.txt'));

/** every cell is either right, or null with the right value among its candidates */
function assertNoWrongValue(got: Report, want: Report): void {
  const amb = new Map((got.ambiguities ?? []).map((a) => [a.path, a]));
  for (const table of ['proactive', 'applications', 'reviewLitigation'] as const) {
    const w = want[table] as Record<string, Record<string, unknown>>;
    const g = got[table] as Record<string, Record<string, unknown>>;
    for (const row of Object.keys(w)) {
      for (const col of Object.keys(w[row])) {
        const path = `${table}.${row}.${col}`;
        const gv = g[row]?.[col];
        const a = amb.get(path);
        if (gv === null && a) {
          // the truth is listed, unless the list was cut short or could not be enumerated
          if (!a.more && a.candidates.length > 0) expect(a.candidates.map(String), path).toContain(String(w[row][col]));
        } else {
          expect(gv, path).toEqual(w[row][col]);
        }
      }
    }
  }
}

describe('text layouts', () => {
  for (const [name, report] of [
    ['2021', sampleReport2021()],
    ['2019', sampleReport2019()],
  ] as const) {
    for (const layout of ['tabs', 'cell-per-line'] as const) {
      it(`${name} sample, ${layout}`, () => {
        const r = parseText(toText(report, layout));
        expect(r.format).toBe(report.format);
        expect(tables(r)).toEqual(tables(report));
        expect(r.agency).toBe(report.agency);
        expect(r.year).toBe(report.year);
        expect(r.publishedOn).toBe(report.publishedOn);
        expect(r.ambiguities).toBeUndefined();
      });
    }
  }

  it('random valid reports in both formats survive both text layouts', () => {
    fc.assert(
      fc.property(fc.oneof(arbReport2021(), arbReport2019()), fc.constantFrom('tabs', 'cell-per-line' as const), (report, layout) => {
        const r = parseText(toText(report, layout as 'tabs' | 'cell-per-line'));
        expect(tables(r)).toEqual(tables(report));
      }),
      { numRuns: 60 },
    );
  });
});

describe('text whose cell separators were lost', () => {
  it('recovers 表二 and 表三 of the 2021 sample from their arithmetic', () => {
    const report = sampleReport2021();
    const r = parseText(toGluedText(report));
    expect(r.applications).toEqual(report.applications);
    expect(r.reviewLitigation).toEqual(report.reviewLitigation);
    assertNoWrongValue(r, report);
  });

  it('recovers the 2019 sample, leaving unsplittable 表一 cells ambiguous with candidates', () => {
    const report = sampleReport2019();
    const r = parseText(toGluedText(report));
    expect(r.applications).toEqual(report.applications);
    expect(r.reviewLitigation).toEqual(report.reviewLitigation);
    assertNoWrongValue(r, report);
    expect(r.ambiguities?.length).toBeGreaterThan(0);
  });

  it('uses figures quoted in the overview to split 表一 digits', () => {
    const report = sampleReport2021();
    const r = parseText(toGluedText(report));
    // the overview says 发布行政规范性文件12件
    expect(report.sections.overview).toContain('规范性文件12件');
    expect((r.proactive as Record<string, Record<string, unknown>>).normativeDocuments.issued).toBe(12);
  });

  it('never invents a value: every cell is right or ambiguous with the truth among the candidates', () => {
    fc.assert(
      fc.property(fc.oneof(arbReport2021(), arbReport2019()), (report) => {
        assertNoWrongValue(parseText(toGluedText(report)), report);
      }),
      { numRuns: 20 },
    );
  });
});

describe('cell values and template variants', () => {
  it('reads thousands separators, full-width digits and not-applicable marks', () => {
    const report = sampleReport2021();
    let text = toText(report, 'tabs');
    text = text.replace('行政许可\t3960', '行政许可\t3,960');
    text = text.replace('行政处罚\t181', '行政处罚\t１８１');
    text = text.replace(/(规章)\t3\t1\t27/, '$1\t/\t—\t-');
    const r = parseText(text);
    const p = r.proactive as Record<string, Record<string, unknown>>;
    expect(p.licensing.decisions).toBe(3960);
    expect(p.punishment.decisions).toBe(181);
    expect(p.regulations).toEqual({ issued: null, repealed: null, inForce: null });
    expect(r.provenance?.['proactive.regulations.repealed']?.raw).toBe('—');
    expect(r.provenance?.['proactive.licensing.decisions']?.raw).toBe('3,960');
  });

  it('keeps a blank total next to numbers as null (a published defect for the checker)', () => {
    const report = sampleReport2021();
    report.applications.granted.total = null;
    const r = parseText(toText(report, 'cell-per-line'));
    expect(r.applications.granted).toEqual({ ...sampleReport2021().applications.granted, total: null });
  });

  it('reads fee amounts as published decimal strings, with or without a unit', () => {
    const report = sampleReport2021();
    const a = parseText(toText(report, 'tabs').replace('12.3456', '7,730.28'));
    expect((a.proactive as Record<string, Record<string, unknown>>).fees.amount).toBe('7730.28');
    const b = parseText(toText(report, 'tabs').replace('12.3456', '0.50万元'));
    expect((b.proactive as Record<string, Record<string, unknown>>).fees.amount).toBe('0.50');
  });

  it('recognises the mixed template: 2021 tables with the 2019 single （六）其他处理 row', () => {
    const report = sampleReport2021();
    const rows = toText(report, 'tabs').split('\n');
    const i = rows.findIndex((l) => l.includes('逾期不补正'));
    rows.splice(i, 3, '\t（六）其他处理\t\t12\t5\t3\t4\t3\t5\t32');
    const r = parseText(rows.join('\n'));
    expect(r.format).toBe('2021');
    expect(r.template?.mixedOtherHandling).toBe(true);
    expect(r.applications.otherHandling).toEqual({
      naturalPerson: 12,
      commercial: 5,
      research: 3,
      publicInterest: 4,
      legalService: 3,
      other: 5,
      total: 32,
    });
    expect(r.applications.otherNoCorrection).toBeUndefined();
    expect(r.applications.outcomeTotal).toEqual(report.applications.outcomeTotal);
  });

  it('tells the formats apart by their labels', () => {
    expect(parseText(toText(sampleReport2019(), 'tabs')).format).toBe('2019');
    expect(parseText(toText(sampleReport2021(), 'tabs')).format).toBe('2021');
    // an outdated template in a later year is still read as what it is
    const old = { ...sampleReport2019(), year: 2023 };
    const r = parseText(toText(old, 'tabs'));
    expect(r.format).toBe('2019');
    expect(r.year).toBe(2023);
  });
});

describe('tables saved as CSV', () => {
  it('reads a seed whose cells are separated by commas, without false label deviations', () => {
    const csv = readFileSync(join(SEEDS, '000_1dfa6bf3088a5125.txt'), 'utf8').replace(/\t/g, ',');
    const r = parseText(csv);
    const original = parseText(readFileSync(join(SEEDS, '000_1dfa6bf3088a5125.txt'), 'utf8'));
    expect(tables(r)).toEqual(tables(original));
    expect(r.labels?.map((l) => l.published).sort()).toEqual(original.labels?.map((l) => l.published).sort());
  });
  it('keeps thousands separators and quoted commas in a CSV row', () => {
    const report = sampleReport2021();
    const text = toText(report, 'tabs')
      .split('\n')
      .map((l) => l.replace(/\t/g, ','))
      .join('\n')
      .replace('行政许可,3960', '行政许可,"3,960"');
    const r = parseText(text);
    expect(tables(r)).toEqual(tables(report));
  });
});

describe('tables written with pipes (web tables copied as text, Markdown without its delimiter row)', () => {
  const seedFiles = readdirSync(SEEDS).filter((f) => f.endsWith('.txt'));
  const viaDocument = async (text: string, name: string) => extractReport(await readDocument(new TextEncoder().encode(text), name));

  it('reads every seed with its tabs written as ` | `, `|` or `| … |` rows exactly as the seed', async () => {
    for (const f of seedFiles) {
      const src = readFileSync(join(SEEDS, f), 'utf8');
      const original = await viaDocument(src, f);
      const { spaced, tight, edges } = textLayouts(src);
      // (with edges, a seed's stray `---` row makes the file Markdown)
      const layouts = { spaced, tight, edges };
      for (const [name, text] of Object.entries(layouts)) {
        const r = await viaDocument(text, `${f}-${name}.txt`);
        expect(tables(r), `${f} ${name}`).toEqual(tables(original));
      }
    }
  });

  it('reads every tab-row seed drawn as a grid (`+---+` or box-drawing borders), quoted CSV, and counts with units as the seed', async () => {
    for (const f of seedFiles) {
      const src = readFileSync(join(SEEDS, f), 'utf8');
      const original = await viaDocument(src, f);
      const { grid, box, units, quoted } = textLayouts(src);
      const layouts = { grid, box, units, ...(quoted === undefined ? {} : { quoted }) };
      for (const [name, text] of Object.entries(layouts)) {
        const r = await viaDocument(text, `${f}-${name}.txt`);
        expect(tables(r), `${f} ${name}`).toEqual(tables(original));
      }
    }
  });

  it('gives pipe cells their columns in the source', () => {
    const doc = readText('说明文字\n| 规章 | 5 | 0 | 12 |\n行政许可 | 3960 |\n', 'pipes.txt');
    const table = doc.blocks.find((b) => b.type === 'table');
    expect(table?.type).toBe('table');
    if (table?.type !== 'table') return;
    expect(table.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['规章', '5', '0', '12'],
      ['行政许可', '3960'],
    ]);
    expect(table.rows[0][0].prov).toEqual({ kind: 'text', line: 2, column: 3 });
    expect(table.rows[1][1].prov).toEqual({ kind: 'text', line: 3, column: 8 });
    // prose with one pipe stays prose, unless it continues a table of pipe rows
    expect(readText('网站导航 | 首页\n', 'p.txt').blocks[0].type).toBe('paragraph');
    const two = readText('信息内容 | 本年制发件数 | 本年废止件数\n行政许可 | 3960\n', 'p.txt').blocks;
    expect(two.map((b) => (b.type === 'table' ? b.rows.map((r) => r.map((c) => c.text)) : b.text))).toEqual([
      [
        ['信息内容', '本年制发件数', '本年废止件数'],
        ['行政许可', '3960'],
      ],
    ]);
  });
});
