import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regenerate } from '../scripts/holidays-from-chinese-days.js';
import {
  addCalendarDays,
  addWorkingDays,
  CalendarError,
  defaultCalendar,
  type HolidayData,
  isWorkingDay,
  parseDate,
  WorkingCalendar,
} from '../src/register/calendar.js';
import { deadlinesFor, formatDeadlines } from '../src/register/deadlines.js';

const HOLIDAYS = fileURLToPath(new URL('../data/holidays.json', import.meta.url));
const data = JSON.parse(readFileSync(HOLIDAYS, 'utf8')) as HolidayData;

/** every date from first to last inclusive */
function range(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = first; d <= last; d = addCalendarDays(d, 1)) out.push(d);
  return out;
}

function days(spec: [string, string, string?][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, first, last] of spec) for (const d of range(first, last ?? first)) out[d] = name;
  return out;
}

function weekday(date: string): number {
  return new Date(parseDate(date) * 86_400_000).getUTCDay();
}

function thrown(f: () => unknown): CalendarError {
  try {
    f();
  } catch (e) {
    if (e instanceof CalendarError) return e;
    throw e;
  }
  throw new Error('expected a CalendarError');
}

// spec §4.2, every day off and make-up working day of the notices
const SPEC: Record<string, { daysOff: Record<string, string>; makeUpWorkdays: Record<string, string> }> = {
  '2024': {
    daysOff: days([
      ['元旦', '2024-01-01'],
      ['春节', '2024-02-10', '2024-02-17'],
      ['清明节', '2024-04-04', '2024-04-06'],
      ['劳动节', '2024-05-01', '2024-05-05'],
      ['端午节', '2024-06-10'],
      ['中秋节', '2024-09-15', '2024-09-17'],
      ['国庆节', '2024-10-01', '2024-10-07'],
    ]),
    makeUpWorkdays: days([
      ['春节', '2024-02-04'],
      ['春节', '2024-02-18'],
      ['清明节', '2024-04-07'],
      ['劳动节', '2024-04-28'],
      ['劳动节', '2024-05-11'],
      ['中秋节', '2024-09-14'],
      ['国庆节', '2024-09-29'],
      ['国庆节', '2024-10-12'],
    ]),
  },
  '2025': {
    daysOff: days([
      ['元旦', '2025-01-01'],
      ['春节', '2025-01-28', '2025-02-04'],
      ['清明节', '2025-04-04', '2025-04-06'],
      ['劳动节', '2025-05-01', '2025-05-05'],
      ['端午节', '2025-05-31', '2025-06-02'],
      ['国庆节、中秋节', '2025-10-01', '2025-10-08'],
    ]),
    makeUpWorkdays: days([
      ['春节', '2025-01-26'],
      ['春节', '2025-02-08'],
      ['劳动节', '2025-04-27'],
      ['国庆节、中秋节', '2025-09-28'],
      ['国庆节、中秋节', '2025-10-11'],
    ]),
  },
  '2026': {
    daysOff: days([
      ['元旦', '2026-01-01', '2026-01-03'],
      ['春节', '2026-02-15', '2026-02-23'],
      ['清明节', '2026-04-04', '2026-04-06'],
      ['劳动节', '2026-05-01', '2026-05-05'],
      ['端午节', '2026-06-19', '2026-06-21'],
      ['中秋节', '2026-09-25', '2026-09-27'],
      ['国庆节', '2026-10-01', '2026-10-07'],
    ]),
    makeUpWorkdays: days([
      ['元旦', '2026-01-04'],
      ['春节', '2026-02-14'],
      ['春节', '2026-02-28'],
      ['劳动节', '2026-05-09'],
      ['国庆节', '2026-09-20'],
      ['国庆节', '2026-10-10'],
    ]),
  },
};

describe('data/holidays.json', () => {
  it('has a version and the years 2019 to 2026, each with its notice', () => {
    expect(data.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Object.keys(data.years)).toEqual(['2019', '2020', '2021', '2022', '2023', '2024', '2025', '2026']);
    for (const [year, entry] of Object.entries(data.years)) {
      expect(entry.notices.length).toBeGreaterThan(0);
      expect(entry.notices[0].title).toBe(`国务院办公厅关于${year}年部分节假日安排的通知`);
      for (const d of [...Object.keys(entry.daysOff), ...Object.keys(entry.makeUpWorkdays)]) expect(d.slice(0, 4)).toBe(year);
    }
    expect(data.years['2024'].notices[0]).toMatchObject({ date: '2023-10-25', url: expect.stringContaining('content_6911528') });
    expect(data.years['2025'].notices[0]).toMatchObject({ date: '2024-11-12', url: expect.stringContaining('content_6986383') });
    expect(data.years['2026'].notices[0]).toMatchObject({ date: '2025-11-04', url: expect.stringContaining('content_7047091') });
  });

  it.each(Object.keys(SPEC))('%s matches the notice in spec §4.2, day by day', (year) => {
    expect(data.years[year].daysOff).toEqual(SPEC[year].daysOff);
    expect(data.years[year].makeUpWorkdays).toEqual(SPEC[year].makeUpWorkdays);
  });

  it('make-up working days are all weekend days, and no day is both off and a working day', () => {
    for (const entry of Object.values(data.years)) {
      for (const d of Object.keys(entry.makeUpWorkdays)) {
        expect([0, 6]).toContain(weekday(d));
        expect(entry.daysOff[d]).toBeUndefined();
      }
    }
  });

  it('is what scripts/holidays-from-chinese-days.ts regenerates from the pinned chinese-days', () => {
    const require = createRequire(import.meta.url);
    const source = require('chinese-days/dist/chinese-days.json');
    expect(regenerate(data, source, 2019, 2026)).toEqual(data);
  });

  it('is not read from chinese-days at run time', () => {
    for (const f of ['calendar.ts', 'deadlines.ts']) {
      expect(readFileSync(fileURLToPath(new URL(`../src/register/${f}`, import.meta.url)), 'utf8')).not.toContain('chinese-days');
    }
  });
});

describe('isWorkingDay', () => {
  it('knows weekdays, weekends, days off and make-up days', () => {
    expect(isWorkingDay('2025-01-20')).toBe(true); // Monday
    expect(isWorkingDay('2025-01-25')).toBe(false); // Saturday
    expect(isWorkingDay('2025-10-08')).toBe(false); // Wednesday, 国庆节、中秋节
    expect(isWorkingDay('2025-10-11')).toBe(true); // Saturday, make-up
    expect(defaultCalendar().dayInfo('2026-01-04')).toEqual({
      date: '2026-01-04',
      weekday: 0,
      kind: 'makeup',
      working: true,
      name: '元旦',
    });
  });

  it('follows the 2025 amendment: 除夕 and 5月2日 are days off', () => {
    // 2024: 除夕 (2/9, Friday) was only encouraged as a rest day, not a day off
    expect(isWorkingDay('2024-02-09')).toBe(true);
    // 2025: 除夕 (1/28, Tuesday) is the first day of the 春节 break
    expect(defaultCalendar().dayInfo('2025-01-28')).toMatchObject({ kind: 'holiday', name: '春节', working: false });
    expect(defaultCalendar().dayInfo('2025-05-02')).toMatchObject({ kind: 'holiday', name: '劳动节', working: false });
    // 劳动节 has 2 statutory days now, so the 5-day break needs one make-up day (2024 needed two)
    const makeUp = (y: string) => Object.values(data.years[y].makeUpWorkdays).filter((n) => n === '劳动节').length;
    expect(makeUp('2024')).toBe(2);
    expect(makeUp('2025')).toBe(1);
    expect(makeUp('2026')).toBe(1);
    // 2026: 春节 break of 9 days, 2/15 (腊月二十八) to 2/23
    expect(range('2026-02-15', '2026-02-23').every((d) => !isWorkingDay(d))).toBe(true);
  });

  it('answers for every day of a year without a notice, marked provisional; refuses dates before 2019 and after 2100', () => {
    expect(defaultCalendar().dayInfo('2027-01-04')).toEqual({
      date: '2027-01-04',
      weekday: 1,
      kind: 'workday',
      working: true,
      provisional: true,
    });
    expect(defaultCalendar().dayInfo('2030-06-03').provisional).toBe(true);
    expect(defaultCalendar().dayInfo('2026-12-31').provisional).toBeUndefined();
    expect(thrown(() => isWorkingDay('0001-01-01')).code).toBe('bad-date');
    for (const d of ['2018-12-28', '2101-01-03', '9999-12-31']) {
      const e = thrown(() => isWorkingDay(d));
      expect(e.code).toBe('out-of-range');
      expect(e.zh).toContain(`日期 ${d} 超出可计算的范围（2019 年至 2100 年）`);
      expect(e.en).toContain(`The date ${d} is outside`);
    }
  });

  it('refuses malformed and impossible dates', () => {
    for (const d of ['2025-02-29', '2025-2-3', '2025/01/20', '20250120', '', '2025-13-01', '2025-01-20T00:00:00Z']) {
      expect(thrown(() => isWorkingDay(d)).code).toBe('bad-date');
    }
    expect(isWorkingDay('2024-02-29')).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['2025-01-20', 20, '2025-02-21'],
    ['2025-01-20', 7, '2025-02-05'],
    ['2025-01-20', 40, '2025-03-21'],
    ['2025-09-22', 20, '2025-10-24'],
    ['2026-02-02', 20, '2026-03-06'],
    ['2024-12-20', 20, '2025-01-20'],
  ])('spec §4.3: %s + %i working days = %s', (from, n, due) => {
    expect(addWorkingDays(from, n).due).toBe(due);
  });

  it('explains the count: days counted, weekends and holidays skipped, make-up days counted', () => {
    const r = addWorkingDays('2025-01-20', 20);
    expect(r.counting).toBe('next-day');
    expect(r.days[0].date).toBe('2025-01-21');
    expect(r.days).toHaveLength(32);
    expect(r.counted.map((d) => d.ordinal)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(r.holidaysSkipped.map((d) => d.date)).toEqual(range('2025-01-28', '2025-02-04'));
    expect(new Set(r.holidaysSkipped.map((d) => d.name))).toEqual(new Set(['春节']));
    expect(r.weekendsSkipped.map((d) => d.date)).toEqual(['2025-01-25', '2025-02-09', '2025-02-15', '2025-02-16']);
    expect(r.makeUpCounted.map((d) => [d.date, d.name])).toEqual([
      ['2025-01-26', '春节'],
      ['2025-02-08', '春节'],
    ]);
    expect(r.calendarVersion).toBe(data.version);
  });

  it('counts a make-up working day', () => {
    // Friday 1/24 + 1: Saturday 1/25 is skipped, Sunday 1/26 is a make-up working day
    expect(addWorkingDays('2025-01-24', 1).due).toBe('2025-01-26');
    expect(addWorkingDays('2026-02-13', 1).due).toBe('2026-02-14');
  });

  it('crosses year boundaries', () => {
    expect(addWorkingDays('2025-12-31', 1).due).toBe('2026-01-04'); // 1/1–1/3 off, Sunday 1/4 make-up
    expect(addWorkingDays('2022-12-30', 1).due).toBe('2023-01-03'); // 12/31–1/2 元旦
    expect(addWorkingDays('2019-12-31', 1).due).toBe('2020-01-02');
    expect(addWorkingDays('2020-01-20', 5).due).toBe('2020-02-04'); // the 2020 break extended to 2/2
  });

  it('counts into a year without a notice on provisional days, and says so', () => {
    // 2027-01-01 (Friday) is 元旦 by the statute: 9 working days in December, 11 in January
    const into = addWorkingDays('2026-12-20', 20);
    expect(into.due).toBe('2027-01-18');
    expect(into.provisional).toBe(true);
    expect(into.provisionalYears).toEqual([2027]);
    expect(into.holidaysSkipped.map((d) => [d.date, d.name, d.provisional])).toEqual([['2027-01-01', '元旦', true]]);
    const inside = addWorkingDays('2026-12-01', 20);
    expect(inside.due).toBe('2026-12-29');
    expect(inside.provisional).toBe(false);
    expect(inside.provisionalYears).toEqual([]);
    expect(addWorkingDays('2026-12-31', 1)).toMatchObject({ due: '2027-01-04', provisional: true });
    expect(thrown(() => addWorkingDays('2018-12-31', 1)).code).toBe('out-of-range');
    expect(thrown(() => addWorkingDays('2100-12-31', 1)).code).toBe('out-of-range');
    expect(thrown(() => addWorkingDays('2025-01-20', 0)).code).toBe('bad-count');
    expect(thrown(() => addWorkingDays('2025-01-20', 1.5)).code).toBe('bad-count');
  });

  it('has a same-day policy', () => {
    expect(addWorkingDays('2025-01-20', 20, { counting: 'same-day' }).due).toBe('2025-02-20');
    expect(addWorkingDays('2025-01-20', 1, { counting: 'same-day' }).due).toBe('2025-01-20');
    expect(addWorkingDays('2025-01-25', 1, { counting: 'same-day' }).due).toBe('2025-01-26');
  });

  it('works with any calendar data given to it; years it lacks are provisional', () => {
    const cal = new WorkingCalendar({
      version: 't',
      years: { '2030': { notices: [], daysOff: { '2030-01-01': '元旦' }, makeUpWorkdays: {} } },
    });
    expect(cal.addWorkingDays('2030-01-01', 1)).toMatchObject({ due: '2030-01-02', provisional: false });
    expect(cal.isProvisionalYear(2030)).toBe(false);
    expect(cal.isProvisionalYear(2026)).toBe(true);
    // 2026 from the statute: 2/16 除夕 to 2/19 初三 off, no 调休 (2/20 and 2/23 are working days)
    expect(cal.isWorkingDay('2026-02-16')).toBe(false);
    expect(cal.isWorkingDay('2026-02-20')).toBe(true);
    expect(cal.addWorkingDays('2026-02-13', 1)).toMatchObject({ due: '2026-02-20', provisional: true });
  });

  const first = parseDate('2019-01-01');
  const last = parseDate('2026-10-31');
  const dates = fc.integer({ min: first, max: last }).map((t) => new Date(t * 86_400_000).toISOString().slice(0, 10));

  it('property: the due date is a working day, and exactly n working days follow the start up to it', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 40 }), (from, n) => {
        const { due } = addWorkingDays(from, n);
        expect(due > from).toBe(true);
        expect(isWorkingDay(due)).toBe(true);
        const between = range(addCalendarDays(from, 1), due).filter(isWorkingDay);
        expect(between).toHaveLength(n);
      }),
      { numRuns: 300 },
    );
  });

  it('property: counting a then b working days is counting a + b', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), (from, a, b) => {
        expect(addWorkingDays(addWorkingDays(from, a).due, b).due).toBe(addWorkingDays(from, a + b).due);
      }),
      { numRuns: 200 },
    );
  });
});

describe('deadlinesFor', () => {
  it('gives the 补正, reply and extended reply dates of spec §4.3', () => {
    const d = deadlinesFor('2025-01-20');
    expect({ ...d, explanations: undefined }).toEqual({
      receivedOn: '2025-01-20',
      correctionNoticeDue: '2025-02-05',
      replyDue: '2025-02-21',
      extendedReplyDue: '2025-03-21',
      provisional: { correctionNoticeDue: false, replyDue: false, extendedReplyDue: false },
      provisionalYears: [],
      explanations: undefined,
    });
    expect(d.explanations.map((e) => [e.key, e.workingDays])).toEqual([
      ['correctionNoticeDue', 7],
      ['replyDue', 20],
      ['extendedReplyDue', 40],
    ]);
    expect(deadlinesFor('2025-09-22').replyDue).toBe('2025-10-24');
    expect(deadlinesFor('2026-02-02').replyDue).toBe('2026-03-06');
    expect(deadlinesFor('2024-12-20').replyDue).toBe('2025-01-20');
  });

  it('explains each date in Chinese with the article applied', () => {
    const text = formatDeadlines(deadlinesFor('2025-01-20'));
    expect(text).toContain('补正告知期限：2025-02-05（星期三）');
    expect(text).toContain('答复期限：2025-02-21（星期五）');
    expect(text).toContain('延长后的最长答复期限：2025-03-21（星期五）');
    expect(text).toContain('第三十条');
    expect(text).toContain('第三十三条第二款');
    expect(text).toContain('春节 2025-01-28至2025-02-04（8天）');
    expect(text).toContain('2025-01-26（星期日）（春节调休）');
    expect(text).toContain('民法典');
  });

  it('marks a date that runs into a year without a notice 暂定, and explains why', () => {
    const d = deadlinesFor('2026-11-20');
    expect(d.provisional).toEqual({ correctionNoticeDue: false, replyDue: false, extendedReplyDue: true });
    expect(d.provisionalYears).toEqual([2027]);
    expect(d.replyDue).toBe('2026-12-18');
    expect(d.extendedReplyDue).toBe('2027-01-18');
    const text = formatDeadlines(d);
    expect(text).toContain('答复期限：2026-12-18（星期五）（第 20 个工作日）');
    expect(text).toContain('延长后的最长答复期限：2027-01-18（星期一）（暂定）（第 40 个工作日）');
    expect(text).toContain('暂定：2027 年的放假安排尚未录入国务院办公厅通知，暂按《全国年节及纪念日放假办法》');
    expect(thrown(() => deadlinesFor('2018-12-20')).code).toBe('out-of-range');
  });
});
