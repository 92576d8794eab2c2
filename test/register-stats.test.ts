import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { APPLICANT_COLUMNS } from '../src/model/format.js';
import { addCalendarDays, addWorkingDays } from '../src/register/calendar.js';
import {
  APPLICANT_TYPES,
  applyEvent,
  type Case,
  type CaseEvent,
  createCase,
  dueDates,
  type NewCase,
  OUTCOMES_2021,
  type ReplyOutcome,
  replay,
} from '../src/register/case.js';
import { reportForYear, statsForYear } from '../src/register/stats.js';

const ARITHMETIC = ['applications-balance', 'applications-outcome-total', 'applications-row-total', 'review-litigation-total'];
const by = 'tester';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function newCase(id: string, receivedOn: string, applicantType: NewCase['applicantType']): NewCase {
  return {
    id,
    applicant: { name: `申请人${id}`, identity: { type: '居民身份证', number: id }, contact: { phone: '1' } },
    applicantType,
    request: { description: '某信息' },
    delivery: { form: '电子', channel: '电子邮件' },
    receipt: { channel: 'internet', arrivedOn: receivedOn, confirmedOn: receivedOn },
    registeredBy: by,
  };
}

const REPLY_OUTCOMES = OUTCOMES_2021.filter(
  (o) => o !== 'otherNoCorrection' && o !== 'otherFeeUnpaid' && o !== 'unableUnclear',
) as ReplyOutcome[];
const wd = (from: string, n: number) => (n === 0 ? from : addWorkingDays(from, n).due);

/** a random but legal life for one case, through applyEvent */
function randomCase(rand: () => number, i: number, from: string, days: number): Case {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const receivedOn = addCalendarDays(from, int(0, days - 1));
  let c = createCase(newCase(`N${i}`, receivedOn, pick(APPLICANT_TYPES)));
  const ev = (e: CaseEvent) => {
    c = applyEvent(c, e);
  };
  let last = receivedOn;
  let corrected = false;
  if (rand() < 0.12) {
    const on = wd(receivedOn, int(1, 7));
    const deadline = wd(on, int(10, 15));
    ev({ type: 'correctionNotice', on, by, deadline });
    if (rand() < 0.35) {
      ev({ type: 'correctionExpired', on: wd(deadline, int(1, 3)), by });
      return withProceedings(rand, c);
    }
    last = wd(on, int(1, 10));
    if (last > deadline) last = deadline;
    ev({ type: 'correctionReceived', on: last, by });
    corrected = true;
  }
  if (rand() < 0.1) {
    const on = wd(last, int(1, 5));
    ev({ type: 'consultationStarted', on, by, party: rand() < 0.5 ? 'thirdParty' : 'agency', consulted: '某方' });
    last = wd(on, int(1, 15));
    ev({ type: 'consultationEnded', on: last, by, result: 'noReply' });
  }
  if (rand() < 0.1) {
    const on = wd(last, int(0, 3));
    if (on <= (dueDates(c).replyDue as string)) {
      ev({ type: 'extension', on, by, days: int(1, 20), approver: '主任', applicantNotified: true });
      last = on;
    }
  }
  if (rand() < 0.06) {
    const on = wd(last, 1);
    if (on <= (dueDates(c).replyDue as string)) {
      ev({
        type: 'feeNotice',
        on,
        by,
        fee: rand() < 0.5 ? { method: 'perPage', pages: int(31, 400) } : { method: 'perApplication', priorThisMonth: int(10, 60) },
      });
      const payDue = c.state.fee?.payDue as string;
      if (rand() < 0.4) {
        ev({ type: 'feeExpired', on: wd(payDue, int(1, 5)), by });
        return withProceedings(rand, c);
      }
      last = wd(on, int(1, 20));
      ev({ type: 'feePaid', on: last, by });
    }
  }
  const r = rand();
  if (r < 0.05) ev({ type: 'withdrawal', on: wd(last, int(0, 10)), by });
  else if (r < 0.08) {
    // left open: still being handled (or forgotten) at the end of the data
  } else {
    const due = dueDates(c).replyDue as string;
    const on =
      rand() < 0.9 ? (wd(last, 1) > due ? due : addCalendarDays(last, int(0, Math.max(0, daysBetween(last, due))))) : wd(due, int(1, 10));
    const outcome = corrected && rand() < 0.3 ? 'unableUnclear' : pick(REPLY_OUTCOMES);
    ev({ type: 'reply', on: on < last ? last : on, by, outcome });
  }
  return withProceedings(rand, c);
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

function withProceedings(rand: () => number, c0: Case): Case {
  let c = c0;
  if (!c.state.closed || rand() > 0.08) return c;
  const kinds = ['review', 'litigationDirect', 'litigationAfterReview'] as const;
  const filed = addCalendarDays(c.state.closed.on, 10 + Math.floor(rand() * 60));
  const kind = kinds[Math.floor(rand() * 3)];
  c = applyEvent(c, { type: 'proceedingFiled', on: filed, by, id: `${c.id}-P`, kind });
  if (rand() < 0.7) {
    const result = (['upheld', 'corrected', 'other'] as const)[Math.floor(rand() * 3)];
    c = applyEvent(c, {
      type: 'proceedingDecided',
      on: addCalendarDays(filed, 30 + Math.floor(rand() * 200)),
      by,
      id: `${c.id}-P`,
      result,
    });
  }
  return c;
}

function generate(seed: number, n: number): Case[] {
  const rand = mulberry32(seed);
  const out: Case[] = [];
  // receipts over 2023-01-01 … 2025-12-20 (deadlines may run into 2026, which the calendar covers)
  for (let i = 0; i < n; i++) out.push(randomCase(rand, i, '2023-01-01', 1085));
  return out;
}

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

  it('is fast', () => {
    const t = performance.now();
    for (let i = 0; i < 10; i++) statsForYear(cases, 2024);
    expect((performance.now() - t) / 10).toBeLessThan(50);
  });
});
