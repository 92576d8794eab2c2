import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { APPLICANT_COLUMNS } from '../src/model/format.js';
import { replay } from '../src/register/case.js';
import { reportForYear, statsForYear } from '../src/register/stats.js';
import { generate, newCase } from './helpers/register-gen.js';

const ARITHMETIC = ['applications-balance', 'applications-outcome-total', 'applications-row-total', 'review-litigation-total'];
const by = 'tester';

describe('statsForYear: a small hand-made register', () => {
  const cases = [
    // carried in from 2024, concluded in 2025
    replay(newCase('a', '2024-12-20', 'naturalPerson'), [{ type: 'reply', on: '2025-01-10', by, outcome: 'granted' }]),
    // concluded in 2024: not in 2025 at all
    replay(newCase('b', '2024-11-01', 'commercial'), [{ type: 'reply', on: '2024-11-20', by, outcome: 'granted' }]),
    // new in 2025, concluded in 2025 by the expiry of 补正
    replay(newCase('c', '2025-03-03', 'research'), [
      { type: 'correctionNotice', on: '2025-03-05', by, deadline: '2025-03-20' },
      { type: 'correctionExpired', on: '2025-03-21', by },
    ]),
    // new in 2025, carried forward to 2026
    replay(newCase('d', '2025-12-22', 'legalService'), []),
    // new in 2025, replied in 2026: also carried forward
    replay(newCase('e', '2025-12-15', 'naturalPerson'), [{ type: 'reply', on: '2026-01-05', by, outcome: 'partlyGranted' }]),
    // review pending at the end of 2025, litigation decided in 2025
    replay(newCase('f', '2025-01-06', 'other'), [
      { type: 'reply', on: '2025-01-20', by, outcome: 'withheldThirdParty' },
      { type: 'proceedingFiled', on: '2025-03-01', by, id: 'R1', kind: 'review' },
      { type: 'proceedingFiled', on: '2025-03-02', by, id: 'L1', kind: 'litigationDirect' },
      { type: 'proceedingDecided', on: '2025-09-01', by, id: 'L1', result: 'upheld' },
    ]),
  ];
  const s = statsForYear(cases, 2025);

  it('一, 二, 三, 四 per column', () => {
    const a = s.applications;
    expect(a.newReceived).toMatchObject({ naturalPerson: 1, research: 1, legalService: 1, other: 1, commercial: 0, total: 4 });
    expect(a.carriedOver).toMatchObject({ naturalPerson: 1, commercial: 0, total: 1 });
    expect(a.granted).toMatchObject({ naturalPerson: 1, total: 1 });
    expect(a.otherNoCorrection).toMatchObject({ research: 1, total: 1 });
    expect(a.withheldThirdParty).toMatchObject({ other: 1, total: 1 });
    expect(a.partlyGranted.total).toBe(0);
    expect(a.outcomeTotal.total).toBe(3);
    expect(a.carriedForward).toMatchObject({ naturalPerson: 1, legalService: 1, total: 2 });
    expect(statsForYear(cases, 2026).applications.carriedOver).toEqual(a.carriedForward);
    expect(statsForYear(cases, 2026).applications.partlyGranted.naturalPerson).toBe(1);
  });

  it('表三: pending at 31 Dec → 尚未审结; decided in the year by result', () => {
    expect(s.reviewLitigation.review).toEqual({ upheld: 0, corrected: 0, other: 0, pending: 1, total: 1 });
    expect(s.reviewLitigation.litigationDirect).toEqual({ upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 });
    expect(s.reviewLitigation.litigationAfterReview.total).toBe(0);
    // the decided litigation does not reappear in 2026; the pending review does
    expect(statsForYear(cases, 2026).reviewLitigation.litigationDirect.total).toBe(0);
    expect(statsForYear(cases, 2026).reviewLitigation.review.pending).toBe(1);
  });

  it('the report passes the arithmetic rules', () => {
    expect(check({ report: reportForYear(cases, 2025, { agency: '某局' }), only: ARITHMETIC })).toEqual([]);
  });
});

describe('statsForYear over a generated register', () => {
  const cases = generate(20250101, 2400);

  it('generated a varied register (every outcome, carry-over, proceedings)', () => {
    const outcomes = new Set(cases.map((c) => c.state.closed?.outcome).filter(Boolean));
    expect(outcomes.size).toBe(21);
    expect(cases.filter((c) => c.receivedOn.startsWith('2024')).length).toBeGreaterThan(600);
    const s = statsForYear(cases, 2024);
    expect(s.applications.carriedOver.total).toBeGreaterThan(0);
    expect(s.applications.carriedForward.total).toBeGreaterThan(0);
    expect((s.reviewLitigation.review.total ?? 0) + (s.reviewLitigation.litigationDirect.total ?? 0)).toBeGreaterThan(0);
  });

  for (const year of [2023, 2024, 2025]) {
    it(`${year}: every arithmetic rule holds`, () => {
      const report = reportForYear(cases, year);
      expect(check({ report, only: ARITHMETIC })).toEqual([]);
      // every concluded case is in exactly one leaf row
      const a = report.applications;
      const concluded = cases.filter((c) => c.state.closed?.on.startsWith(String(year))).length;
      expect(a.outcomeTotal.total).toBe(concluded);
    });
  }

  it("carry-over: year Y's 四 equals year Y+1's 二 per column (and the carry-over rule agrees)", () => {
    for (const year of [2023, 2024, 2025]) {
      const cur = reportForYear(cases, year);
      const next = reportForYear(cases, year + 1);
      for (const col of APPLICANT_COLUMNS) {
        expect(next.applications.carriedOver[col.key]).toBe(cur.applications.carriedForward[col.key]);
      }
      expect(check({ report: next, previous: cur, only: ['carry-over'] })).toEqual([]);
    }
  });
});
