import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../src/parse.js';
import { comparable } from './helpers/expect-report.js';
import { EXPECTED, SEEDS, seedFiles } from './helpers/paths.js';

describe('seeds parse to their hand-checked Report JSON', () => {
  for (const f of seedFiles()) {
    it(f, async () => {
      const expected = JSON.parse(readFileSync(join(EXPECTED, 'seeds', f.replace(/\.txt$/, '.json')), 'utf8'));
      const r = await parseFile(join(SEEDS, f));
      expect(comparable(r)).toEqual(expected);
    });
  }
});

describe('seed details', () => {
  it('records the label deviations a reviewer must see', async () => {
    const r0 = await parseFile(join(SEEDS, '000_1dfa6bf3088a5125.txt'));
    expect(r0.labels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'applications.withheldLawProhibited', published: '其他法律法规禁止公开' }),
        expect.objectContaining({ path: 'applications.*.publicInterest', published: '社会组织', expected: '社会公益组织' }),
      ]),
    );
    const r4 = await parseFile(join(SEEDS, '004_65c3f6a324d2e98b.txt'));
    expect(r4.labels).toEqual([
      expect.objectContaining({ path: 'proactive.regulations.repealed', published: '本年度止件数', expected: '本年废止件数' }),
    ]);
    const r3 = await parseFile(join(SEEDS, '003_f8437f9aaea28a39.txt'));
    expect(r3.labels).toEqual([]);
  });

  it('traces every cell to its line and column', async () => {
    const r = await parseFile(join(SEEDS, '003_f8437f9aaea28a39.txt'));
    const p = r.provenance?.['proactive.licensing.decisions'];
    expect(p?.raw).toBe('242');
    const lines = readFileSync(join(SEEDS, '003_f8437f9aaea28a39.txt'), 'utf8').split('\n');
    if (p?.prov.kind !== 'text') throw new Error('expected text provenance');
    expect(lines[p.prov.line - 1].slice(p.prov.column - 1, p.prov.column + 2)).toBe('242');
    // every table cell has an origin
    const paths = Object.keys(r.provenance ?? {});
    expect(paths.filter((k) => k.startsWith('applications.')).length).toBe(25 * 7);
    expect(paths.filter((k) => k.startsWith('reviewLitigation.')).length).toBe(15);
    expect(paths.filter((k) => k.startsWith('proactive.')).length).toBe(10);
  });

  it('finds the cell-per-line layout row values at their own lines', async () => {
    const r = await parseFile(join(SEEDS, '001_bafcd2ea084bb138.txt'));
    const p = r.provenance?.['applications.partlyGranted.total'];
    if (p?.prov.kind !== 'text') throw new Error('expected text provenance');
    const lines = readFileSync(join(SEEDS, '001_bafcd2ea084bb138.txt'), 'utf8').split('\n');
    // the seventh value after the 部分公开 label
    const labelLine = lines.findIndex((l) => l.includes('部分公开'));
    expect(p.prov.line).toBe(labelLine + 1 + 1 + 7);
  });
});
