import { describe, expect, it } from 'vitest';
import { solve, splits } from '../src/extract/recover.js';

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
      ['bc', [[1, 6], [12, 17]].map((v) => v)],
    ]);
    const r = solve(
      new Map([...fixed, ['dummy', [0]]]),
      new Map([['b', [[1], [12]]], ['c', [[17], [6]]]]),
      [{ plus: [['a', 0], ['b', 0]], minus: [['c', 0]] }],
    );
    expect(options.size).toBe(1);
    expect(r.solved).toBe(true);
    expect(r.ambiguous.size).toBe(2); // both (1,6) and (12,17) satisfy a+b=c
    const r2 = solve(fixed, new Map([['b', [[1], [12]]], ['c', [[17]]]]), [{ plus: [['a', 0], ['b', 0]], minus: [['c', 0]] }]);
    expect(r2.values.get('b')).toEqual([12]);
  });
});
