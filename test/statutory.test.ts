import { describe, expect, it } from 'vitest';
import { addCalendarDays, type EnteredNotice, shippedHolidays, WorkingCalendar } from '../src/register/calendar.js';
import { statuteVersion, statutoryHolidays } from '../src/register/statutory.js';

/** a calendar with no notice at all: every year provisional */
const provisionalOnly = () => new WorkingCalendar({ version: 'none', years: {} });

function everyDay(year: number): string[] {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addCalendarDays(d, 1)) out.push(d);
  return out;
}

/** the days on which the provisional calendar and the official one disagree, by kind */
function differences(year: number) {
  const prov = provisionalOnly();
  const official = new WorkingCalendar(shippedHolidays());
  const offInsteadOfWork: string[] = []; // official day off (调休) that the statute leaves a working day
  const workInsteadOfOff: string[] = []; // official make-up working day that is a weekend by the statute
  const other: string[] = [];
  for (const d of everyDay(year)) {
    const p = prov.dayInfo(d);
    const o = official.dayInfo(d);
    if (p.working === o.working) continue;
    if (!o.working && o.kind === 'holiday' && p.kind === 'workday') offInsteadOfWork.push(d);
    else if (o.working && o.kind === 'makeup' && p.kind === 'weekend') workInsteadOfOff.push(d);
    else other.push(`${d} ${p.kind}/${o.kind}`);
  }
  return { offInsteadOfWork, workInsteadOfOff, other };
}

describe('provisional days from 《全国年节及纪念日放假办法》', () => {
  it('2025 and 2026: the statute differs from the official notices only by their 调休 arrangements', () => {
    // every statutory day off (and 补假) is off in the notice too; the notice adds weekdays off and
    // pays for each with a weekend working day, holiday by holiday
    expect(differences(2025)).toEqual({
      offInsteadOfWork: ['2025-02-03', '2025-02-04', '2025-05-05', '2025-10-07', '2025-10-08'],
      workInsteadOfOff: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
      other: [],
    });
    expect(differences(2026)).toEqual({
      offInsteadOfWork: ['2026-01-02', '2026-02-20', '2026-02-23', '2026-05-05', '2026-10-06', '2026-10-07'],
      workInsteadOfOff: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
      other: [],
    });
    // the same number of working days in the year either way
    for (const y of [2025, 2026]) {
      const d = differences(y);
      expect(d.offInsteadOfWork.length).toBe(d.workInsteadOfOff.length);
    }
  });

  it('2027 (no notice yet): the 2024 text — 除夕 to 初三, 5月1日–2日 — with 补假 for the days on a weekend', () => {
    expect(statutoryHolidays(2027).map((h) => `${h.date} ${h.name}${h.inLieu ? '·补假' : ''}`)).toEqual([
      '2027-01-01 元旦',
      '2027-02-05 春节', // 除夕
      '2027-02-06 春节', // 正月初一 (Saturday)
      '2027-02-07 春节', // Sunday
      '2027-02-08 春节', // 初三
      '2027-02-09 春节·补假',
      '2027-02-10 春节·补假',
      '2027-04-05 清明节',
      '2027-05-01 劳动节', // Saturday
      '2027-05-02 劳动节', // Sunday
      '2027-05-03 劳动节·补假',
      '2027-05-04 劳动节·补假',
      '2027-06-09 端午节',
      '2027-09-15 中秋节',
      '2027-10-01 国庆节',
      '2027-10-02 国庆节',
      '2027-10-03 国庆节',
      '2027-10-04 国庆节·补假',
      '2027-10-05 国庆节·补假',
    ]);
    expect(statuteVersion(2027).title).toContain('国务院令第795号');
  });

  it('before 2025 the 2013 text applies: 春节 初一 to 初三, 劳动节 one day', () => {
    expect(statuteVersion(2024).title).toContain('国务院令第644号');
    const spring = statutoryHolidays(2024).filter((h) => h.name === '春节');
    // 2024-02-10 was 正月初一 (a Saturday): 初一–初三, then two 补假 for the weekend days
    expect(spring.map((h) => [h.date, Boolean(h.inLieu)])).toEqual([
      ['2024-02-10', false],
      ['2024-02-11', false],
      ['2024-02-12', false],
      ['2024-02-13', true],
      ['2024-02-14', true],
    ]);
    expect(
      statutoryHolidays(2024)
        .filter((h) => h.name === '劳动节')
        .map((h) => h.date),
    ).toEqual(['2024-05-01']);
  });

  it('a holiday on the day of another (中秋 on 国庆 in 2020) gives a 补假', () => {
    const autumn = statutoryHolidays(2020).filter((h) => h.date >= '2020-10-01' && h.date <= '2020-10-09');
    expect(autumn.map((h) => `${h.date}${h.inLieu ? '·补假' : ''}`)).toEqual([
      '2020-10-01',
      '2020-10-02',
      '2020-10-03',
      '2020-10-05·补假',
      '2020-10-06·补假',
    ]);
  });

  it('every year 2019–2100 has its 13 (or 11) statutory days, each once, and no 补假 on a weekend', () => {
    for (let y = 2019; y <= 2100; y++) {
      const h = statutoryHolidays(y);
      const own = h.filter((x) => !x.inLieu);
      expect(own.length, String(y)).toBeLessThanOrEqual(y >= 2025 ? 13 : 11);
      expect(new Set(h.map((x) => x.date)).size, String(y)).toBe(h.length);
      for (const x of h.filter((z) => z.inLieu)) expect([0, 6]).not.toContain(new Date(`${x.date}T00:00:00Z`).getUTCDay());
    }
  });
});

describe('entered notices', () => {
  const notice2027: EnteredNotice = {
    id: 1,
    year: 2027,
    jurisdiction: '',
    title: '国务院办公厅关于2027年部分节假日安排的通知',
    daysOff: { '2027-01-01': '元旦', '2027-01-02': '元旦', '2027-01-03': '元旦' },
    makeUpWorkdays: { '2027-02-20': '春节' },
    enteredBy: '管理员',
    enteredAt: '2026-11-05T02:00:00.000Z',
  };

  it('a national notice replaces the provisional year; its days are no longer provisional', () => {
    const cal = new WorkingCalendar(shippedHolidays(), { entered: [notice2027] });
    expect(cal.isProvisionalYear(2027)).toBe(false);
    expect(cal.dayInfo('2027-01-01')).toMatchObject({ kind: 'holiday', name: '元旦', working: false });
    expect(cal.dayInfo('2027-01-01').provisional).toBeUndefined();
    // the statute's 春节 days are not in this (partial) notice: the notice alone decides its year
    expect(cal.dayInfo('2027-02-08')).toMatchObject({ kind: 'workday', working: true });
    expect(cal.dayInfo('2027-02-20')).toMatchObject({ kind: 'makeup', working: true, name: '春节' });
    expect(cal.yearSource(2027)).toMatchObject({ kind: 'entered', enteredBy: '管理员', notices: [{ title: notice2027.title }] });
    expect(cal.yearSource(2028)).toMatchObject({ kind: 'provisional' });
    expect(cal.yearSource(2025)).toMatchObject({ kind: 'shipped' });
  });

  it('a later national notice of the same year wins, and one overrides the shipped data of its year', () => {
    const corrected: EnteredNotice = { ...notice2027, id: 2, daysOff: { '2027-01-01': '元旦' }, makeUpWorkdays: {} };
    const cal = new WorkingCalendar(shippedHolidays(), { entered: [corrected, notice2027] });
    expect(cal.isWorkingDay('2027-01-02')).toBe(false); // Saturday anyway
    expect(cal.dayInfo('2027-02-20').kind).toBe('weekend');
    const over2026: EnteredNotice = { ...notice2027, id: 3, year: 2026, daysOff: { '2026-01-01': '元旦' }, makeUpWorkdays: {} };
    const cal2 = new WorkingCalendar(shippedHolidays(), { entered: [over2026] });
    expect(cal2.isWorkingDay('2026-01-02')).toBe(true); // the shipped 2026 notice had it off
    expect(cal2.isWorkingDay('2026-02-16')).toBe(true); // and 春节: the entered notice alone decides 2026
  });

  it('local days off are added for the jurisdiction without making a year official', () => {
    const local: EnteredNotice = { ...notice2027, id: 4, jurisdiction: '7', daysOff: { '2027-03-03': '三月三' }, makeUpWorkdays: {} };
    const cal = new WorkingCalendar(shippedHolidays(), { entered: [local] });
    expect(cal.dayInfo('2027-03-03')).toMatchObject({ kind: 'holiday', name: '三月三', local: true, provisional: true });
    expect(cal.isProvisionalYear(2027)).toBe(true);
    expect(cal.yearSource(2027).localDays).toBe(1);
  });
});
