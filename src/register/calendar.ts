/**
 * Working-day calendar for the deadlines of the Regulation (条例第三十条、第三十三条).
 *
 * Where the days off and make-up working days of a year come from, in order of precedence:
 * 1. a 国务院办公厅 holiday notice entered by an administrator (stored in the database, see
 *    src/store/holidays.ts), which replaces the shipped data of its year;
 * 2. data/holidays.json, our own versioned copy of the notices (shipped with the code);
 * 3. for any other year from 2019 to 2100, **provisional** (暂定) days: weekends plus the statutory
 *    holidays of 《全国年节及纪念日放假办法》 with their 补假 (statutory.ts). A date computed from a
 *    provisional year is marked as such (`provisional`), so that it can be shown as 暂定, and is
 *    recomputed when the year's notice is entered. The register never refuses a date because a
 *    notice has not been published yet.
 * Local extra days off (a province's own holiday), entered for one jurisdiction, are added on top.
 * Dates before 2019 (before the annual report format) or after 2100 are refused (CalendarError).
 * Dates are plain `YYYY-MM-DD` strings; there are no time zones anywhere.
 */
import { readFileSync } from 'node:fs';
import { NianbaoError } from '../model/errors.js';
import type { HolidayNotice as EnteredHolidayNotice } from '../model/schema.js';
import { statuteVersion, statutoryHolidays } from './statutory.js';

export interface HolidayNotice {
  title: string;
  /** date of the notice, YYYY-MM-DD */
  date?: string;
  url?: string;
  note?: string;
}

export interface HolidayYear {
  notices: HolidayNotice[];
  notes?: string[];
  /** days off (放假) listed by the notice: date → holiday name */
  daysOff: Record<string, string>;
  /** make-up working days (调休上班): date → holiday name */
  makeUpWorkdays: Record<string, string>;
}

export interface HolidayData {
  $comment?: string | string[];
  version: string;
  seededFrom?: string;
  years: Record<string, HolidayYear>;
}

export type CalendarErrorCode = 'bad-date' | 'out-of-range' | 'bad-count';

/** a date the calendar cannot handle; zh and en are one sentence each */
export class CalendarError extends NianbaoError {
  declare readonly code: CalendarErrorCode;
  constructor(code: CalendarErrorCode, zh: string, en: string) {
    super(code, zh, en);
    this.name = 'CalendarError';
  }
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';

export interface DayInfo {
  date: string;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  kind: DayKind;
  working: boolean;
  /** holiday name for a day off or a make-up working day */
  name?: string;
  /** the year has no official notice: the kind comes from the statute (暂定) */
  provisional?: true;
  /** a day off or make-up day of the jurisdiction's own (local) notice */
  local?: true;
}

export interface CountedDay extends DayInfo {
  /** 1-based ordinal of the working day, absent for skipped days */
  ordinal?: number;
}

/**
 * `next-day` (default): day 1 is the first working day after `from` (民法典第二百零一条: the starting day is not counted).
 * `same-day`: `from` itself is day 1 when it is a working day.
 */
export type CountingPolicy = 'next-day' | 'same-day';

export interface AddWorkingDaysOptions {
  counting?: CountingPolicy;
}

export interface WorkingDaysResult {
  from: string;
  n: number;
  counting: CountingPolicy;
  due: string;
  /** every day looked at, from the first candidate to the due date */
  days: CountedDay[];
  /** the n working days counted */
  counted: CountedDay[];
  /** weekends skipped (not holidays) */
  weekendsSkipped: DayInfo[];
  /** statutory days off skipped, with the holiday name */
  holidaysSkipped: DayInfo[];
  /** make-up working days counted (weekend days that are working days by a notice) */
  makeUpCounted: DayInfo[];
  /** version of data/holidays.json used */
  calendarVersion: string;
  /** a day looked at lies in a year without an official notice: the due date is provisional (暂定) */
  provisional: boolean;
  /** those years */
  provisionalYears: number[];
}

const WEEKDAY_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

export function weekdayZh(weekday: number): string {
  return WEEKDAY_ZH[weekday];
}

const DAY_MS = 86_400_000;

/** validates a YYYY-MM-DD string and returns its UTC epoch day */
export function parseDate(date: string): number {
  const m = typeof date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = Date.UTC(y, mo - 1, d);
    const back = new Date(t);
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) return t / DAY_MS;
  }
  throw new CalendarError(
    'bad-date',
    `日期“${String(date)}”无效，应写成 YYYY-MM-DD（如 2025-01-20）的真实日期。`,
    `"${String(date)}" is not a valid date; write a real date as YYYY-MM-DD (e.g. 2025-01-20).`,
  );
}

export function formatDate(epochDay: number): string {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
}

/** the date `days` calendar days after `date` */
export function addCalendarDays(date: string, days: number): string {
  return formatDate(parseDate(date) + days);
}

/** answers a calendar remembers (days, and working-day counts) */
const MEMO_SIZE = 20_000;

/** the first and last years the calendar handles */
export const FIRST_YEAR = 2019;
export const LAST_YEAR = 2100;

/** where a year's days off come from */
export type YearSourceKind = 'entered' | 'shipped' | 'provisional';

/** a holiday notice entered by an administrator (national when `jurisdiction` is ''): the model's HolidayNotice */
export type EnteredNotice = EnteredHolidayNotice;

export interface YearSource {
  year: number;
  kind: YearSourceKind;
  /** shipped: the notices' titles; entered: the notice title */
  notices: HolidayNotice[];
  enteredBy?: string;
  enteredAt?: string;
  /** provisional: the version of the 办法 applied */
  statute?: string;
  /** local extra days off in force for this calendar's jurisdiction in that year */
  localDays: number;
}

export interface CalendarOptions {
  /** notices entered by administrators, national and local (only those of this calendar's jurisdiction) */
  entered?: readonly EnteredNotice[];
}

export class WorkingCalendar {
  /** official days off and make-up working days (shipped and entered national notices) */
  private readonly off = new Map<string, string>();
  private readonly makeup = new Map<string, string>();
  /** local extra days off and make-up days of this calendar's jurisdiction */
  private readonly localOff = new Map<string, string>();
  private readonly localMakeup = new Map<string, string>();
  /** provisional days off, per year, computed when first needed */
  private readonly provisionalOff = new Map<number, Map<string, string>>();
  private readonly sources = new Map<number, YearSource>();
  /** years with an official notice (shipped or entered) */
  readonly years: ReadonlySet<string>;
  /** a key that changes whenever the calendar's data does (shipped version + entered notices) */
  readonly revision: string;

  constructor(
    readonly data: HolidayData,
    opts: CalendarOptions = {},
  ) {
    const entered = [...(opts.entered ?? [])].sort((a, b) => (a.id ?? 0) - (b.id ?? 0) || (a.enteredAt < b.enteredAt ? -1 : 1));
    // the latest national notice of a year replaces the shipped data of that year
    const national = new Map<number, EnteredNotice>();
    for (const n of entered) if (n.jurisdiction === '') national.set(n.year, n);
    for (const [year, entry] of Object.entries(data.years)) {
      if (!/^\d{4}$/.test(year)) throw new Error(`holidays data: bad year key ${year}`);
      const y = Number(year);
      if (national.has(y)) continue;
      for (const [date, name] of Object.entries(entry.daysOff)) this.off.set(date, name);
      for (const [date, name] of Object.entries(entry.makeUpWorkdays)) this.makeup.set(date, name);
      this.sources.set(y, { year: y, kind: 'shipped', notices: entry.notices, localDays: 0 });
    }
    for (const n of national.values()) {
      // the shipped entry of its year was skipped above; its dates (also e.g. 12-31 of the year before) are added
      for (const [date, name] of Object.entries(n.daysOff)) {
        this.off.set(date, name);
        this.makeup.delete(date);
      }
      for (const [date, name] of Object.entries(n.makeUpWorkdays)) {
        this.makeup.set(date, name);
        this.off.delete(date);
      }
      this.sources.set(n.year, {
        year: n.year,
        kind: 'entered',
        notices: [{ title: n.title }],
        enteredBy: n.enteredBy,
        enteredAt: n.enteredAt,
        localDays: 0,
      });
    }
    for (const n of entered) {
      if (n.jurisdiction === '') continue;
      for (const [date, name] of Object.entries(n.daysOff)) this.localOff.set(date, name);
      for (const [date, name] of Object.entries(n.makeUpWorkdays)) this.localMakeup.set(date, name);
    }
    this.years = new Set([...this.sources.keys()].map(String));
    this.revision = `${data.version}+${entered.map((n) => n.id ?? n.enteredAt).join(',')}`;
  }

  get version(): string {
    return this.data.version;
  }

  /** the first and last years with an official notice, e.g. ['2019', '2026'] */
  get range(): [string, string] {
    const ys = [...this.years].sort();
    return [ys[0], ys[ys.length - 1]];
  }

  /** true when `year` has no official notice, shipped or entered (its days off are provisional) */
  isProvisionalYear(year: number): boolean {
    return !this.sources.has(year);
  }

  /** where the days off of `year` come from */
  yearSource(year: number): YearSource {
    const local = [...this.localOff.keys()].filter((d) => d.startsWith(`${year}-`)).length;
    const s = this.sources.get(year);
    if (s) return { ...s, localDays: local };
    return { year, kind: 'provisional', notices: [], statute: statuteVersion(year).title, localDays: local };
  }

  private provisionalDays(year: number): Map<string, string> {
    let m = this.provisionalOff.get(year);
    if (!m) {
      m = new Map();
      // a 补假 of the year before can fall in the first days of this one
      for (const y of [year - 1, year]) {
        if (y < FIRST_YEAR - 1) continue;
        for (const h of statutoryHolidays(y)) if (h.date.startsWith(`${year}-`)) m.set(h.date, h.inLieu ? `${h.name}（补假）` : h.name);
      }
      this.provisionalOff.set(year, m);
    }
    return m;
  }

  private outOfRange(date: string): CalendarError {
    return new CalendarError(
      'out-of-range',
      `日期 ${date} 超出可计算的范围（${FIRST_YEAR} 年至 ${LAST_YEAR} 年）：政府信息公开工作年度报告的格式自 ${FIRST_YEAR} 年起施行，请检查日期是否写错。`,
      `The date ${date} is outside the range the calendar handles (${FIRST_YEAR}–${LAST_YEAR}); check the date.`,
    );
  }

  /** answers already given: a calendar never changes once made (a new notice makes a new calendar) */
  private readonly days = new Map<string, DayInfo>();
  private readonly counts = new Map<string, WorkingDaysResult>();

  /** what kind of day `date` is; `provisional` when its year has no official notice */
  dayInfo(date: string): DayInfo {
    const hit = this.days.get(date);
    if (hit) return hit;
    const info = this.computeDayInfo(date);
    if (this.days.size >= MEMO_SIZE) this.days.clear();
    this.days.set(date, info);
    return info;
  }

  private computeDayInfo(date: string): DayInfo {
    const t = parseDate(date);
    const year = Number(date.slice(0, 4));
    if (year < FIRST_YEAR || year > LAST_YEAR) throw this.outOfRange(date);
    const weekday = new Date(t * DAY_MS).getUTCDay();
    const provisional = !this.sources.has(year);
    const extra: { provisional?: true } = provisional ? { provisional: true } : {};
    const localMakeup = this.localMakeup.get(date);
    if (localMakeup !== undefined) return { date, weekday, kind: 'makeup', working: true, name: localMakeup, local: true, ...extra };
    const localOff = this.localOff.get(date);
    if (localOff !== undefined) return { date, weekday, kind: 'holiday', working: false, name: localOff, local: true, ...extra };
    const makeup = this.makeup.get(date);
    if (makeup !== undefined) return { date, weekday, kind: 'makeup', working: true, name: makeup, ...extra };
    const off = this.off.get(date) ?? (provisional ? this.provisionalDays(year).get(date) : undefined);
    if (off !== undefined) return { date, weekday, kind: 'holiday', working: false, name: off, ...extra };
    if (weekday === 0 || weekday === 6) return { date, weekday, kind: 'weekend', working: false, ...extra };
    return { date, weekday, kind: 'workday', working: true, ...extra };
  }

  isWorkingDay(date: string): boolean {
    return this.dayInfo(date).working;
  }

  /** the years from `from` (exclusive) through `to` whose days off are provisional */
  provisionalYearsBetween(from: string, to: string): number[] {
    const out: number[] = [];
    const first = Number(addCalendarDays(from, 1).slice(0, 4));
    for (let y = first; y <= Number(to.slice(0, 4)); y++) if (this.isProvisionalYear(y)) out.push(y);
    return out;
  }

  /**
   * the date on which the n-th working day falls, counting from `from` under the policy, with every
   * step (the same object for the same question: do not change it)
   */
  addWorkingDays(from: string, n: number, opts: AddWorkingDaysOptions = {}): WorkingDaysResult {
    const key = `${from}|${n}|${opts.counting ?? 'next-day'}`;
    const hit = this.counts.get(key);
    if (hit) return hit;
    const r = this.countWorkingDays(from, n, opts);
    if (this.counts.size >= MEMO_SIZE) this.counts.clear();
    this.counts.set(key, r);
    return r;
  }

  private countWorkingDays(from: string, n: number, opts: AddWorkingDaysOptions): WorkingDaysResult {
    const counting = opts.counting ?? 'next-day';
    if (counting !== 'next-day' && counting !== 'same-day') throw new Error(`unknown counting policy ${String(counting)}`);
    if (!Number.isInteger(n) || n < 1 || n > 3660) {
      throw new CalendarError(
        'bad-count',
        `工作日数必须是 1 到 3660 之间的整数（现为 ${n}）。`,
        `The number of working days must be an integer from 1 to 3660 (got ${n}).`,
      );
    }
    const start = parseDate(from);
    this.dayInfo(from);
    const days: CountedDay[] = [];
    const counted: CountedDay[] = [];
    const weekendsSkipped: DayInfo[] = [];
    const holidaysSkipped: DayInfo[] = [];
    const makeUpCounted: DayInfo[] = [];
    const provisionalYears = new Set<number>();
    let t = counting === 'next-day' ? start + 1 : start;
    while (counted.length < n) {
      const info = this.dayInfo(formatDate(t));
      if (info.provisional) provisionalYears.add(Number(info.date.slice(0, 4)));
      if (info.working) {
        const c: CountedDay = { ...info, ordinal: counted.length + 1 };
        counted.push(c);
        days.push(c);
        if (info.kind === 'makeup') makeUpCounted.push(info);
      } else {
        days.push(info);
        (info.kind === 'holiday' ? holidaysSkipped : weekendsSkipped).push(info);
      }
      t++;
    }
    return {
      from,
      n,
      counting,
      due: counted[counted.length - 1].date,
      days,
      counted,
      weekendsSkipped,
      holidaysSkipped,
      makeUpCounted,
      calendarVersion: this.version,
      provisional: provisionalYears.size > 0,
      provisionalYears: [...provisionalYears].sort(),
    };
  }
}

/** one sentence on why dates in `years` are provisional, in Chinese */
export function provisionalNote(years: readonly number[]): string {
  if (years.length === 0) return '';
  const ys = years.map((y) => `${y} 年`).join('、');
  return `${ys}的放假安排尚未录入国务院办公厅通知，暂按${statuteVersion(years[0]).title}规定的法定节假日（含补假，不含调休）计算，日期为暂定；录入该年通知后自动重新计算。`;
}

const HOLIDAYS_URL = new URL('../../data/holidays.json', import.meta.url);

let cached: WorkingCalendar | undefined;

let shipped: HolidayData | undefined;

/** data/holidays.json as shipped (read once) */
export function shippedHolidays(): HolidayData {
  shipped ??= JSON.parse(readFileSync(HOLIDAYS_URL, 'utf8')) as HolidayData;
  return shipped;
}

/** the calendar of data/holidays.json alone (no entered notices), provisional beyond it */
export function defaultCalendar(): WorkingCalendar {
  cached ??= new WorkingCalendar(shippedHolidays());
  return cached;
}

export function isWorkingDay(date: string): boolean {
  return defaultCalendar().isWorkingDay(date);
}

export function addWorkingDays(from: string, n: number, opts?: AddWorkingDaysOptions): WorkingDaysResult {
  return defaultCalendar().addWorkingDays(from, n, opts);
}

/** consecutive skipped holidays with the same name, as ranges: 春节 2025-01-28至2025-02-04（8天） */
export function holidayRanges(days: DayInfo[]): { name: string; first: string; last: string; count: number }[] {
  const out: { name: string; first: string; last: string; count: number }[] = [];
  for (const d of days) {
    const prev = out[out.length - 1];
    if (prev && prev.name === d.name && parseDate(prev.last) + 1 === parseDate(d.date)) {
      prev.last = d.date;
      prev.count++;
    } else out.push({ name: d.name ?? '', first: d.date, last: d.date, count: 1 });
  }
  return out;
}
