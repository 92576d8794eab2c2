/**
 * The register works on every day of every year (issue 12): with the clock set to each day from
 * 2019-01-01 to 2029-12-31, a case received that day is registered and its deadlines computed; for
 * cases received near each year end the whole flow runs — 补正, consultation, extension, fee, reply —
 * each step on its own day with the clock on that day, and the list, the overdue list, the statistics
 * and the deadline lookup on every one of those days. No step throws; dates that run over a year
 * without a notice (2027 on) are marked provisional; entering the 2027 notice changes exactly the
 * dates it should. On SQLite and (with NIANBAO_TEST_PG) PostgreSQL.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays, WorkingCalendar } from '../src/register/calendar.js';
import { type Case, type CaseEvent, calendarDates, type NewCase, rebuild } from '../src/register/case.js';
import { deadlinesFor } from '../src/register/deadlines.js';
import { parseHolidayNotice } from '../src/register/holiday-notice.js';
import { reportForYear } from '../src/register/stats.js';
import { safeCaseView } from '../src/register/view.js';
import { type Db, dbKind, openDb } from '../src/store/db.js';
import { calendarFor, enteredNotices, importHolidayNotice } from '../src/store/holidays.js';
import { addCase, addEvent, listEntries, statsInput } from '../src/store/register.js';
import { BACKENDS, type Fresh, freshTarget } from './helpers/db.js';
import { NOTICE_2027 } from './helpers/holidays.js';

const FIRST = '2019-01-01';
const LAST = '2029-12-31';
/** years with an official notice in data/holidays.json; later ones are provisional */
const LAST_OFFICIAL_YEAR = 2026;

let applicants = 0;

function application(id: string, arrivedOn: string): NewCase {
  return {
    id,
    applicant: {
      name: '李四',
      identity: { type: '居民身份证', number: `11010119900101${String(++applicants).padStart(4, '0')}` },
      contact: { phone: '13800000000' },
    },
    applicantType: 'naturalPerson',
    request: { description: '某项目批复文件' },
    delivery: { form: '电子', channel: '电子邮件' },
    receipt: { channel: 'inPerson', arrivedOn },
    registeredBy: '王五',
  };
}

/** does any day after `from` through `to` fall in a year without a notice */
const spansProvisional = (from: string, to: string) => Number(to.slice(0, 4)) > LAST_OFFICIAL_YEAR && addCalendarDays(from, 1) <= to;

describe.each(BACKENDS)('the register on every day 2019–2029 on %s', (backend) => {
  let fresh: Fresh;
  let db: Db;
  beforeAll(async () => {
    fresh = await freshTarget(backend);
    db = await openDb(fresh.target);
    // durability is tested elsewhere; thousands of commits here need not each reach the disk
    if (dbKind(db) === 'sqlite') await sql`PRAGMA synchronous = OFF`.execute(db);
    else await sql`SET synchronous_commit = off`.execute(db);
  });
  afterAll(async () => {
    await db.destroy();
    await fresh.cleanup();
  });

  it('registers a case received on each day, with its deadlines, provisional exactly where a year has no notice', async () => {
    const cal = await calendarFor(db);
    let n = 0;
    for (let day = FIRST; day <= LAST; day = addCalendarDays(day, 1)) {
      const id = `D-${String(++n).padStart(5, '0')}`;
      const c = await addCase(db, application(id, day), '王五', 'daily', { today: day });
      const v = safeCaseView(c, day, { calendar: cal });
      expect(v.problem, day).toBeNull();
      const due = v.due as NonNullable<typeof v.due>;
      expect(due.provisional.replyDue, day).toBe(spansProvisional(day, due.replyDue as string));
      expect(due.provisional.correctionNoticeDue, day).toBe(spansProvisional(day, due.correctionNoticeDue));
      expect(
        due.explanation.some((l) => l.includes('暂定')),
        day,
      ).toBe(due.provisionalYears.length > 0);
      const d = deadlinesFor(day, { calendar: cal });
      expect(d.replyDue).toBe(due.replyDue);
      expect(d.provisional.extendedReplyDue, day).toBe(spansProvisional(day, d.extendedReplyDue));
      // a case received tomorrow is refused today, and nothing is stored
      if (day.endsWith('-28')) {
        await expect(addCase(db, application(`F-${n}`, addCalendarDays(day, 1)), '王五', 'daily', { today: day })).rejects.toThrow(
          /晚于今天/,
        );
      }
      // the whole register each quarter: list, overdue, statistics
      if (/-(01|04|07|10)-01$/.test(day)) {
        const entries = await listEntries(db, { agency: 'daily', open: true });
        expect(entries.every((e) => e.case && !e.problem)).toBe(true);
        for (const e of entries) expect(safeCaseView(e.case as Case, day, { calendar: cal }).problem).toBeNull();
        const s = await statsInput(db, Number(day.slice(0, 4)), 'daily');
        expect(s.problems).toEqual([]);
        expect(reportForYear(s.cases, Number(day.slice(0, 4))).applications.newReceived?.total).toBeGreaterThanOrEqual(0);
      }
    }
    expect(n).toBe(4018);
  });

  it('runs the whole flow for cases received near each year end, one step a day with the clock on that day', async () => {
    const cal = await calendarFor(db);
    const wd = (from: string, k: number) => cal.addWorkingDays(from, k).due;
    for (let year = 2019; year <= 2029; year++) {
      const register = `ye-${year}`;
      for (let received = `${year}-12-10`; received <= `${year + 1}-01-10` && received <= LAST; received = addCalendarDays(received, 1)) {
        let c = await addCase(db, application(`Y-${received}`, received), '王五', register, { today: received });
        const caseId = c.id;
        const steps: CaseEvent[] = [];
        let on = wd(received, 1);
        steps.push({ type: 'correctionNotice', on, by: '王五', deadline: wd(on, 10), items: '请补充所需信息的文号' });
        on = wd(on, 3);
        steps.push({ type: 'correctionReceived', on, by: '王五' });
        on = wd(on, 1);
        steps.push({ type: 'consultationStarted', on, by: '王五', party: 'thirdParty', consulted: '某公司' });
        on = wd(on, 5);
        steps.push({ type: 'consultationEnded', on, by: '王五', result: 'agreed' });
        on = wd(on, 1);
        steps.push({ type: 'extension', on, by: '王五', days: 10, approver: '主任', applicantNotified: true, reason: '数量较大' });
        on = wd(on, 1);
        steps.push({ type: 'feeNotice', on, by: '王五', fee: { method: 'perPage', pages: 150 } });
        on = wd(on, 2);
        steps.push({ type: 'feePaid', on, by: '王五' });
        on = wd(on, 1);
        steps.push({ type: 'reply', on, by: '王五', outcome: 'granted' });
        for (const step of steps) {
          const today = step.on;
          // a step dated tomorrow is refused on the day before
          if (step.type === 'reply') {
            await expect(addEvent(db, caseId, step, '王五', { today: addCalendarDays(today, -1) }, register)).rejects.toThrow(/晚于今天/);
          }
          c = await addEvent(db, caseId, step, '王五', { today }, register);
          const v = safeCaseView(c, today, { calendar: cal });
          expect(v.problem, `${caseId} ${step.type}`).toBeNull();
          if (v.due?.replyDue) expect(v.due.provisional.replyDue).toBe(spansProvisional(v.due.base.date, v.due.replyDue));
          if (v.due?.feePayDue && c.state.fee)
            expect(v.due.provisional.feePayDue).toBe(spansProvisional(c.state.fee.noticeOn, v.due.feePayDue));
          // the day's list, overdue list, statistics and deadline lookup
          const entries = await listEntries(db, { agency: register });
          const views = entries.map((e) => safeCaseView(e.case as Case, today, { calendar: cal }));
          expect(views.every((x) => x.problem === null)).toBe(true);
          const overdue = views.filter((x) => x.status.overdue);
          expect(overdue.every((x) => x.status.state === 'open')).toBe(true);
          const s = await statsInput(db, Number(today.slice(0, 4)), register);
          expect(s.problems).toEqual([]);
          reportForYear(s.cases, Number(today.slice(0, 4)));
          deadlinesFor(today, { calendar: cal });
        }
        expect(c.state.closed?.outcome).toBe('granted');
        expect(c.events).toHaveLength(8);
      }
    }
  });

  it('entering the 2027 notice changes exactly the dates it should, and leaves 2028 and 2029 provisional', async () => {
    const before = await calendarFor(db);
    const p = parseHolidayNotice(NOTICE_2027);
    const open = (await listEntries(db, { agency: 'daily', open: true })).map((e) => e.case as Case);
    const r = await importHolidayNotice(
      db,
      { year: 2027, title: p.title ?? '', text: NOTICE_2027, daysOff: p.daysOff, makeUpWorkdays: p.makeUpWorkdays },
      '管理员',
    );
    expect(r.problems).toEqual([]);
    const after = await calendarFor(db);
    expect(after.isProvisionalYear(2027)).toBe(false);
    expect(after.isProvisionalYear(2028)).toBe(true);
    expect((await enteredNotices(db)).map((x) => x.year)).toEqual([2027]);
    // computed independently: which open cases' dates differ between the two calendars
    const expected: string[] = [];
    for (const c of open) {
      const a = calendarDates(c, { calendar: before });
      const b = calendarDates(rebuild(c, { calendar: after }), { calendar: after });
      if (JSON.stringify(a) !== JSON.stringify(b)) expected.push(c.id);
    }
    const changed = r.recalculated.filter((x) => x.agencyId === 'daily').map((x) => x.caseId);
    expect(changed).toEqual(expected);
    // every case received from late 2026 through 2027 is affected; none received before November 2026
    expect(expected.length).toBeGreaterThan(365);
    const byId = new Map(open.map((c) => [c.id, c]));
    expect(expected.every((id) => (byId.get(id) as Case).receivedOn >= '2026-11-01')).toBe(true);
    // the stored cases now show official 2027 dates and provisional 2028/2029 ones
    for (const e of await listEntries(db, { agency: 'daily', open: true })) {
      const v = safeCaseView(e.case as Case, '2029-12-31', { calendar: after });
      const due = v.due as NonNullable<typeof v.due>;
      const years = new Set(due.provisionalYears);
      expect(years.has(2027), e.id).toBe(false);
      expect(due.provisional.replyDue, e.id).toBe((due.replyDue as string) >= '2028-01-01');
    }
    expect(before).toBeInstanceOf(WorkingCalendar);
  });
});
