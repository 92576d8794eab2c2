import { describe, expect, it } from 'vitest';
import { solve, splits, splitsWithTotals } from '../src/extract/recover.js';

describe('splits', () => {
  it('cuts one digit string into n numbers without leading zeros', () => {
    expect(splits(['3960181'], 1)).toEqual([[3960181]]);
    expect(splits(['000'], 3)).toEqual([[0, 0, 0]]);
    const s = splits(['102'], 2);
    expect(s).toEqual([[10, 2]]); // "1|02" has a leading zero
  });
  it('spreads pieces over several tokens', () => {
    expect(splits(['12', '3'], 3)).toEqual([[1, 2, 3]]);
    expect(splits(['1', '2', '3', '4'], 3)).toEqual([]);
  });
  it('lists every composition when unconstrained', () => {
    expect(splits(['898989'], 3).length).toBeGreaterThan(5);
  });
});

describe('solve', () => {
  it('keeps the only split consistent with the constraints', () => {
    // row total a + b = total: "1910" splits as 1|9|10, 19|1|0 or 1|91|0; only the first adds up
    expect(splits(['1910'], 3).length).toBe(3);
    const cands = splits(['1910'], 3).filter((v) => v[0] + v[1] === v[2]);
    const r = solve(new Map(), new Map([['row', cands]]), []);
    expect(r.values.get('row')).toEqual([1, 9, 10]);
    expect(r.ambiguous.size).toBe(0);
  });
  it('reports ambiguity with candidates when several splits fit', () => {
    const cands = splits(['111'], 2);
    const r = solve(new Map(), new Map([['row', cands]]), []);
    expect(r.values.get('row')).toEqual([null, null]);
    expect(r.ambiguous.get('row')?.get(0)).toEqual([1, 11]);
  });
  it('uses cross-row constraints to choose', () => {
    // a + b = c where a is fixed 5 and b is "1" or "12" depending on the split of "1233"
    const fixed = new Map([['a', [5]]]);
    const options = new Map([
      [
        'bc',
        [
          [1, 6],
          [12, 17],
        ].map((v) => v),
      ],
    ]);
    const r = solve(
      new Map([...fixed, ['dummy', [0]]]),
      new Map([
        ['b', [[1], [12]]],
        ['c', [[17], [6]]],
      ]),
      [
        {
          plus: [
            ['a', 0],
            ['b', 0],
          ],
          minus: [['c', 0]],
        },
      ],
    );
    expect(options.size).toBe(1);
    expect(r.solved).toBe(true);
    expect(r.ambiguous.size).toBe(2); // both (1,6) and (12,17) satisfy a+b=c
    const r2 = solve(
      fixed,
      new Map([
        ['b', [[1], [12]]],
        ['c', [[17]]],
      ]),
      [
        {
          plus: [
            ['a', 0],
            ['b', 0],
          ],
          minus: [['c', 0]],
        },
      ],
    );
    expect(r2.values.get('b')).toEqual([12]);
  });
});

describe('splitsWithTotals', () => {
  it('cuts a glued 表二 row so that its total adds up', () => {
    // 191 50 27 30 36 32 | 366
    const all = splitsWithTotals(['19150273036' + '32366'], 1, 7);
    expect(all).toContainEqual([191, 50, 27, 30, 36, 32, 366]);
    for (const v of all) expect(v[0] + v[1] + v[2] + v[3] + v[4] + v[5]).toBe(v[6]);
  });
  it('cuts 表三 into three groups of five', () => {
    expect(splitsWithTotals(['000000000000000'], 3, 5)).toEqual([new Array(15).fill(0)]);
    const v = splitsWithTotals(['32117' + '21115' + '11215'], 3, 5);
    expect(v).toContainEqual([3, 2, 1, 1, 7, 2, 1, 1, 1, 5, 1, 1, 2, 1, 5]);
  });
  it('handles long runs of large numbers quickly and says when it gives up', () => {
    const big = splitsWithTotals(['1371117129474182127' + '3975'], 1, 7);
    expect(big.truncated ?? false).toBe(false);
    expect(big).toContainEqual([137, 1117, 129, 47, 418, 2127, 3975]);
    const r = splits(['1'.repeat(60)], 7, () => true, 5000, 1000);
    expect(r.truncated).toBe(true);
  });
  it('never cuts across a token boundary', () => {
    expect(splits(['12', '34'], 3)).toEqual([
      [1, 2, 34],
      [12, 3, 4],
    ]);
  });
});
