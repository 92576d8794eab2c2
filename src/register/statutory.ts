/**
 * Provisional (暂定) days off of a year for which no 国务院办公厅 holiday notice is known: the
 * statutory holidays of 《全国年节及纪念日放假办法》, as that year's version of the 办法 lists them,
 * plus the 补假 its 第五条 (2013 text; 第六条 after the 2024 revision) grants when a holiday falls on a
 * Saturday or Sunday. Lunar dates (除夕, 端午, 中秋) and the 清明 solar term come from the kept
 * calendar library tyme4ts; nothing here is a hand-made lunar table.
 *
 * - 2014–2024 (国务院令第644号, 2013 revision): 元旦 1 day, 春节 3 days (正月初一至初三), 清明 1,
 *   劳动节 1 (5月1日), 端午 1, 中秋 1, 国庆 3 (10月1日至3日).
 * - from 2025 (国务院令第795号, 2024 revision): 元旦 1, 春节 4 (除夕至正月初三), 清明 1,
 *   劳动节 2 (5月1日、2日), 端午 1, 中秋 1, 国庆 3.
 *
 * What a provisional year does not have are the 调休 arrangements of a notice (weekend days made
 * working days so that the breaks join up): those the State Council announces each November or
 * December, and entering the notice replaces the provisional year (calendar.ts).
 */
import { LunarDay, SolarTerm } from 'tyme4ts';

export interface StatutoryHoliday {
  date: string;
  name: string;
  /** a 补假 (a weekday off in place of a holiday that fell on a weekend) */
  inLieu?: boolean;
}

/** the version of the 办法 in force in `year` */
export function statuteVersion(year: number): { title: string; springFestivalDays: number; labourDays: number } {
  return year >= 2025
    ? {
        title: '《全国年节及纪念日放假办法》（2024年11月10日国务院令第795号修订，2025年1月1日起施行）',
        springFestivalDays: 4,
        labourDays: 2,
      }
    : { title: '《全国年节及纪念日放假办法》（2013年12月11日国务院令第644号修订）', springFestivalDays: 3, labourDays: 1 };
}

const DAY_MS = 86_400_000;

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function epochDay(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

function fromEpochDay(t: number): string {
  return new Date(t * DAY_MS).toISOString().slice(0, 10);
}

function lunar(year: number, month: number, day: number): string {
  const s = LunarDay.fromYmd(year, month, day).getSolarDay();
  return iso(s.getYear(), s.getMonth(), s.getDay());
}

function solarTerm(year: number, name: string): string {
  const s = SolarTerm.fromName(year, name).getJulianDay().getSolarDay();
  return iso(s.getYear(), s.getMonth(), s.getDay());
}

/**
 * The statutory days off of the holidays of Gregorian year `year` (the 春节 of the lunar year that
 * begins in it), with their 补假. Dates may fall outside `year` only for a 补假 after 31 December.
 */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  const v = statuteVersion(year);
  const days: StatutoryHoliday[] = [{ date: iso(year, 1, 1), name: '元旦' }];
  const newYear = epochDay(lunar(year, 1, 1));
  const firstSpring = v.springFestivalDays === 4 ? newYear - 1 : newYear;
  for (let i = 0; i < v.springFestivalDays; i++) days.push({ date: fromEpochDay(firstSpring + i), name: '春节' });
  days.push({ date: solarTerm(year, '清明'), name: '清明节' });
  for (let i = 1; i <= v.labourDays; i++) days.push({ date: iso(year, 5, i), name: '劳动节' });
  days.push({ date: lunar(year, 5, 5), name: '端午节' });
  days.push({ date: lunar(year, 8, 15), name: '中秋节' });
  for (let i = 1; i <= 3; i++) days.push({ date: iso(year, 10, i), name: '国庆节' });
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  // 补假: a holiday on a Saturday or Sunday, or on the day of another holiday (中秋 on 国庆, as in
  // 2020), gives the next weekday that is not itself a holiday
  const taken = new Set(days.map((d) => d.date));
  const inLieu: StatutoryHoliday[] = [];
  const seen = new Set<string>();
  const unique: StatutoryHoliday[] = [];
  for (const d of days) {
    const weekday = new Date(epochDay(d.date) * DAY_MS).getUTCDay();
    const twice = seen.has(d.date);
    seen.add(d.date);
    if (!twice) unique.push(d);
    if (weekday !== 0 && weekday !== 6 && !twice) continue;
    let t = epochDay(d.date) + 1;
    for (;;) {
      const date = fromEpochDay(t);
      const wd = new Date(t * DAY_MS).getUTCDay();
      if (wd !== 0 && wd !== 6 && !taken.has(date)) {
        taken.add(date);
        inLieu.push({ date, name: d.name, inLieu: true });
        break;
      }
      t++;
    }
  }
  return [...unique, ...inLieu].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
