/**
 * A seeded generator of legal register cases (every event valid, applied through `applyEvent`), for the
 * tests, the benchmarks and the demo data of `nianbao serve --demo`.
 *
 * `generate(seed, n)` gives the same cases for the same arguments (the tests and the register benchmark
 * depend on it). `randomCase(…, opts)` can stop a case's life at a date (`until`: events after it are not
 * recorded, as if the data were taken that day) and use other applicant details (`make`).
 */
import { addCalendarDays, addWorkingDays, CalendarError } from './calendar.js';
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
} from './case.js';

const DEFAULT_BY = 'tester';

export interface RandomCaseOptions {
  /**
   * record no event dated after this day (YYYY-MM-DD): the case is as it stood on that day (a life that would
   * need dates past the working-day calendar also stops there)
   */
  until?: string;
  /** the user recorded as registeredBy and on every event (default 'tester') */
  by?: string;
  /** the outcome of a reply from a uniform number in [0, 1) (default: every outcome alike) */
  outcome?: (u: number) => ReplyOutcome;
  /** the application itself (default `newCase`) */
  make?: (id: string, receivedOn: string, applicantType: NewCase['applicantType'], i: number) => NewCase;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function newCase(id: string, receivedOn: string, applicantType: NewCase['applicantType'], by = DEFAULT_BY): NewCase {
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

/** thrown inside `randomCase` when the next event falls after `until` */
const STOP = Symbol('stop');

/** a random but legal life for one case, through applyEvent */
export function randomCase(rand: () => number, i: number, from: string, days: number, opts: RandomCaseOptions = {}): Case {
  const by = opts.by ?? DEFAULT_BY;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const receivedOn = addCalendarDays(from, int(0, days - 1));
  const type = pick(APPLICANT_TYPES);
  let c = createCase(opts.make ? opts.make(`N${i}`, receivedOn, type, i) : newCase(`N${i}`, receivedOn, type, by));
  const ev = (e: CaseEvent) => {
    if (opts.until !== undefined && e.on > opts.until) throw STOP;
    c = applyEvent(c, e);
  };
  try {
    let last = receivedOn;
    let corrected = false;
    if (rand() < 0.12) {
      const on = wd(receivedOn, int(1, 7));
      const deadline = wd(on, int(10, 15));
      ev({ type: 'correctionNotice', on, by, deadline });
      if (rand() < 0.35) {
        ev({ type: 'correctionExpired', on: wd(deadline, int(1, 3)), by });
        return withProceedings(rand, c, opts);
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
          return withProceedings(rand, c, opts);
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
      const outcome = corrected && rand() < 0.3 ? 'unableUnclear' : opts.outcome ? opts.outcome(rand()) : pick(REPLY_OUTCOMES);
      ev({ type: 'reply', on: on < last ? last : on, by, outcome });
    }
    return withProceedings(rand, c, opts);
  } catch (e) {
    // with `until`, a life that would run past the working-day calendar stops where it is
    if (e === STOP || (opts.until !== undefined && e instanceof CalendarError)) return c;
    throw e;
  }
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

export function withProceedings(rand: () => number, c0: Case, opts: RandomCaseOptions = {}): Case {
  let c = c0;
  if (!c.state.closed || rand() > 0.08) return c;
  const by = opts.by ?? DEFAULT_BY;
  const kinds = ['review', 'litigationDirect', 'litigationAfterReview'] as const;
  const filed = addCalendarDays(c.state.closed.on, 10 + Math.floor(rand() * 60));
  const kind = kinds[Math.floor(rand() * 3)];
  if (opts.until !== undefined && filed > opts.until) return c;
  c = applyEvent(c, { type: 'proceedingFiled', on: filed, by, id: `${c.id}-P`, kind });
  if (rand() < 0.7) {
    const result = (['upheld', 'corrected', 'other'] as const)[Math.floor(rand() * 3)];
    const on = addCalendarDays(filed, 30 + Math.floor(rand() * 200));
    if (opts.until !== undefined && on > opts.until) return c;
    c = applyEvent(c, { type: 'proceedingDecided', on, by, id: `${c.id}-P`, result });
  }
  return c;
}

export function generate(seed: number, n: number): Case[] {
  const rand = mulberry32(seed);
  const out: Case[] = [];
  // receipts over 2023-01-01 … 2025-12-20 (deadlines may run into 2026, which the calendar covers)
  for (let i = 0; i < n; i++) out.push(randomCase(rand, i, '2023-01-01', 1085));
  return out;
}
