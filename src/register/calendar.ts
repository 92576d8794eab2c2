/**
 * Working-day calendar for the deadlines of the Regulation (条例第三十条、第三十三条).
 *
 * The days off and make-up working days come from data/holidays.json, our own
 * copy of the 国务院办公厅 holiday notices. A date in a year that the file does
 * not cover is refused (CalendarError), never treated as a plain weekday.
 * Dates are plain `YYYY-MM-DD` strings; there are no time zones anywhere.
 */
import { readFileSync } from 'node:fs';

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

export type CalendarErrorCode = 'bad-date' | 'unknown-year' | 'bad-count';

/** a date the calendar cannot handle; zh and en are one sentence each */
export class CalendarError extends Error {
  constructor(
    readonly code: CalendarErrorCode,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} / ${en}`);
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

export class WorkingCalendar {
  private readonly off = new Map<string, string>();
  private readonly makeup = new Map<string, string>();
  readonly years: ReadonlySet<string>;

  constructor(readonly data: HolidayData) {
    for (const [year, entry] of Object.entries(data.years)) {
      for (const [date, name] of Object.entries(entry.daysOff)) this.off.set(date, name);
      for (const [date, name] of Object.entries(entry.makeUpWorkdays)) this.makeup.set(date, name);
      if (!/^\d{4}$/.test(year)) throw new Error(`holidays data: bad year key ${year}`);
    }
    this.years = new Set(Object.keys(data.years));
  }

  get version(): string {
    return this.data.version;
  }

  /** the first and last years covered, e.g. ['2019', '2026'] */
  get range(): [string, string] {
    const ys = [...this.years].sort();
    return [ys[0], ys[ys.length - 1]];
  }

  private unknownYear(date: string, during?: { from: string; n: number }): CalendarError {
    const year = date.slice(0, 4);
    const [first, last] = this.range;
    const zhDuring = during ? `从 ${during.from} 起计算 ${during.n} 个工作日要用到 ${date}，但` : `${date}：`;
    const enDuring = during ? `Counting ${during.n} working days from ${during.from} reaches ${date}, but ` : `${date}: `;
    return new CalendarError(
      'unknown-year',
      `${zhDuring}${year} 年的节假日安排尚未公布或未收录（已收录 ${first}–${last} 年），无法计算工作日。请在 data/holidays.json 中补充该年的国务院办公厅放假通知。`,
      `${enDuring}the holiday calendar for ${year} is not published or not included (covered: ${first}–${last}), so working days cannot be computed. Add that year's State Council notice to data/holidays.json.`,
    );
  }

  /** what kind of day `date` is; refuses years without a calendar */
  dayInfo(date: string, during?: { from: string; n: number }): DayInfo {
    const t = parseDate(date);
    if (!this.years.has(date.slice(0, 4))) throw this.unknownYear(date, during);
    const weekday = new Date(t * DAY_MS).getUTCDay();
    const makeup = this.makeup.get(date);
    if (makeup !== undefined) return { date, weekday, kind: 'makeup', working: true, name: makeup };
    const off = this.off.get(date);
    if (off !== undefined) return { date, weekday, kind: 'holiday', working: false, name: off };
    if (weekday === 0 || weekday === 6) return { date, weekday, kind: 'weekend', working: false };
    return { date, weekday, kind: 'workday', working: true };
  }

  isWorkingDay(date: string): boolean {
    return this.dayInfo(date).working;
  }

  /** the date on which the n-th working day falls, counting from `from` under the policy, with every step */
  addWorkingDays(from: string, n: number, opts: AddWorkingDaysOptions = {}): WorkingDaysResult {
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
    if (!this.years.has(from.slice(0, 4))) throw this.unknownYear(from);
    const during = { from, n };
    const days: CountedDay[] = [];
    const counted: CountedDay[] = [];
    const weekendsSkipped: DayInfo[] = [];
    const holidaysSkipped: DayInfo[] = [];
    const makeUpCounted: DayInfo[] = [];
    let t = counting === 'next-day' ? start + 1 : start;
    while (counted.length < n) {
      const info = this.dayInfo(formatDate(t), during);
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
    };
  }
}

const HOLIDAYS_URL = new URL('../../data/holidays.json', import.meta.url);

let cached: WorkingCalendar | undefined;

/** the calendar of data/holidays.json (read once) */
export function defaultCalendar(): WorkingCalendar {
  cached ??= new WorkingCalendar(JSON.parse(readFileSync(HOLIDAYS_URL, 'utf8')) as HolidayData);
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
