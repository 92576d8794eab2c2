import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeFee, FeeError, perApplicationRate, perPageRate } from '../src/register/fees.js';

describe('109号 按件 (per applicant per calendar month)', () => {
  it('the first 10 applications of a month are free', () => {
    for (let prior = 0; prior < 10; prior++) expect(computeFee({ method: 'perApplication', priorThisMonth: prior }).amount).toBe(0);
  });
  it('the 11th application costs 100, the 30th 100, the 31st 200, the 41st 300, the 51st 400', () => {
    const fee = (ordinal: number) => computeFee({ method: 'perApplication', priorThisMonth: ordinal - 1 }).amount;
    expect(fee(11)).toBe(100);
    expect(fee(30)).toBe(100);
    expect(fee(31)).toBe(200);
    expect(fee(40)).toBe(200);
    expect(fee(41)).toBe(300);
    expect(fee(51)).toBe(400);
  });
  it('a split application is progressive across bands: units 29–32 → 100+100+200+200', () => {
    const r = computeFee({ method: 'perApplication', priorThisMonth: 28, units: 4 });
    expect(r.amount).toBe(600);
    expect(r.bands).toEqual([
      { from: 11, to: 30, rate: 100, quantity: 2, amount: 200 },
      { from: 31, to: 40, rate: 200, quantity: 2, amount: 400 },
    ]);
    expect(r.explanation.join('\n')).toContain('第 29–32 件');
  });
  it('rates by ordinal', () => {
    expect([1, 10, 11, 30, 31, 40, 41, 50, 61].map(perApplicationRate)).toEqual([0, 0, 100, 100, 200, 200, 300, 300, 500]);
  });
});

describe('109号 按量 (pages per application)', () => {
  it('≤30 pages is free', () => {
    expect(computeFee({ method: 'perPage', pages: 0 }).amount).toBe(0);
    expect(computeFee({ method: 'perPage', pages: 30 }).amount).toBe(0);
  });
  it('150 pages = 70×10 + 50×20 = 1700', () => {
    const r = computeFee({ method: 'perPage', pages: 150 });
    expect(r.amount).toBe(1700);
    expect(r.bands.map((b) => [b.quantity, b.rate])).toEqual([
      [30, 0],
      [70, 10],
      [50, 20],
    ]);
    expect(r.explanation.join('\n')).toContain('31–100 页档：70 页 × 10 元 = 700 元');
    expect(r.explanation.join('\n')).toContain('合计：1700 元');
  });
  it('250 pages = 70×10 + 100×20 + 50×40 = 4700, last band open-ended', () => {
    const r = computeFee({ method: 'perPage', pages: 250 });
    expect(r.amount).toBe(4700);
    expect(r.bands[3]).toEqual({ from: 201, to: null, rate: 40, quantity: 50, amount: 2000 });
    expect(r.explanation.join('\n')).toContain('201 页以上档');
  });
  it('the amount equals the sum of per-page rates (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), (pages) => {
        let sum = 0;
        for (let p = 1; p <= pages; p++) sum += perPageRate(p);
        const r = computeFee({ method: 'perPage', pages });
        return r.amount === sum && r.bands.reduce((s, b) => s + b.quantity, 0) === pages;
      }),
    );
  });
  it('按件 amount equals the sum of per-ordinal rates (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 40 }), (prior, units) => {
        let sum = 0;
        for (let k = prior + 1; k <= prior + units; k++) sum += perApplicationRate(k);
        return computeFee({ method: 'perApplication', priorThisMonth: prior, units }).amount === sum;
      }),
    );
  });
});

describe('bad fee input', () => {
  it('refuses negative or fractional counts with a bilingual message', () => {
    expect(() => computeFee({ method: 'perPage', pages: -1 })).toThrow(FeeError);
    expect(() => computeFee({ method: 'perPage', pages: 1.5 })).toThrow(/页数必须是不小于 0 的整数/);
    expect(() => computeFee({ method: 'perApplication', priorThisMonth: 0, units: 0 })).toThrow(/units must be an integer/);
    expect(() => computeFee({ method: 'both' } as never)).toThrow(/按件（perApplication）或按量（perPage）/);
  });
});
