/**
 * Parser for the text of a 国务院办公厅 holiday notice (《国务院办公厅关于YYYY年部分节假日安排的通知》) as an
 * administrator pastes it, so that a new year's days off (放假) and make-up working days (调休上班) can be
 * entered without code changes.
 *
 * The text is normalised first (NFKC per character: full-width digits and punctuation become ASCII; all
 * whitespace is dropped, so hard-wrapped lines copied from a PDF still match). Items are found by their
 * heading (`一、元旦：`, or `1、元旦：`; failing that, a bare `元旦：` after a sentence end). Within an item:
 * - the first `DATE[（…）][至 DATE[（…）]]放假` is the range of days off; an end without a month (`至3日`)
 *   takes the month and year of the start, an end with a month (`至10月6日`) takes the notice year;
 * - every list of dates directly followed by `上班` gives make-up working days;
 * - any other date (e.g. `除夕（2月16日）` in the encouragement sentence) is ignored.
 * A date without an explicit `YYYY年` belongs to the notice year. Text before the first item (title,
 * addressees, preamble) and from `节假日期间` or the `国务院办公厅 YYYY年M月D日` signature on is not parsed.
 */
import { NianbaoError } from '../model/errors.js';

export interface ParsedHolidayNotice {
  /** the notice's year */
  year: number;
  /** the notice title if found in the text, e.g. 国务院办公厅关于2027年部分节假日安排的通知 */
  title: string | null;
  /** 'YYYY-MM-DD' → holiday name, every day of each 放假 range (weekend days inside the range included) */
  daysOff: Record<string, string>;
  /** 'YYYY-MM-DD' → holiday name, the 上班 days */
  makeUpWorkdays: Record<string, string>;
  /** one per item of the notice, in order */
  items: { name: string; text: string; first: string; last: string; days: number; statedDays: number | null; makeUp: string[] }[];
  /** non-fatal problems */
  warnings: { zh: string; en: string }[];
}

/** the text cannot be used as a holiday notice; zh and en are one sentence each */
export class HolidayNoticeError extends NianbaoError {
  constructor(zh: string, en: string) {
    super('bad-notice', zh, en);
    this.name = 'HolidayNoticeError';
  }
}

type Item = ParsedHolidayNotice['items'][number];
type Warning = ParsedHolidayNotice['warnings'][number];

const KNOWN_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'];
const WEEKDAY_ZH = '日一二三四五六';
const WEEKDAY_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_MS = 86_400_000;

// Patterns below apply to the normalised text: ASCII digits and brackets, no whitespace.
/** `一、元旦：`, `六、中秋节、国庆节：`, `1、元旦：`; the name cannot contain brackets, so `（农历腊月二十八、周日）` is no heading */
const NUMBERED_HEADING = /(?:[一二三四五六七八九十]+|\d{1,2})[、.]([^\d:;,。()《》〈〉"“”]{1,20}):/g;
const KNOWN = `(?:${KNOWN_NAMES.join('|')})`;
/** fallback for unnumbered items: `元旦：` at the start of a line or after a sentence end */
const BARE_HEADING = new RegExp(`(${KNOWN}(?:[、和]${KNOWN})*):`, 'g');
const BRACKET = String.raw`(?:\(([^()]*)\))?`;
/** start date, optional bracket, optional `至` end date with optional bracket, then 放假 */
const RANGE = new RegExp(
  String.raw`(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日${BRACKET}(?:(?:至|到|-|~|—|–)(?:(?:(\d{4})年)?(\d{1,2})月)?(\d{1,2})日${BRACKET})?放假`,
);
const DATE_IN_LIST = String.raw`(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日(?:\([^()]*\))?`;
/** a list of dates directly followed by 上班; the first date has a month */
const MAKEUP_LIST = new RegExp(String.raw`(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:\([^()]*\))?(?:[、,和及]${DATE_IN_LIST})*上班`, 'g');
const MAKEUP_DATE = /(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^()]*)\))?/g;
const STATED_DAYS = /(?:共|放假)(\d+)天/;
const CLOSING = /节假日期间|国务院办公厅(?=\d{4}年\d{1,2}月\d{1,2}日)/;
const TITLE = /(?:国务院办公厅)?关于(\d{4})年部分节假日安排的通知/;

function checkYear(year: number): number {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new HolidayNoticeError(`年份${year}超出范围（2000—2100）`, `year ${year} is out of range (2000–2100)`);
  }
  return year;
}

interface Normalised {
  norm: string;
  /** index in the original text of every normalised character, plus the end */
  at: number[];
  /** positions in `norm` that start a line of the original text */
  lineStarts: Set<number>;
}

/** NFKC per character, without whitespace */
function normalise(text: string): Normalised {
  let norm = '';
  const at: number[] = [];
  const lineStarts = new Set([0]);
  let i = 0;
  for (const ch of text) {
    const n = ch.normalize('NFKC').replace(/\s+/g, '');
    if (ch === '\n') lineStarts.add(norm.length);
    norm += n;
    for (let k = 0; k < n.length; k++) at.push(i);
    i += ch.length;
  }
  at.push(i);
  return { norm, at, lineStarts };
}

/** UTC milliseconds of a real calendar date, else HolidayNoticeError */
function utc(y: number, m: number, d: number, source: string): number {
  const t = Date.UTC(y, m - 1, d);
  const date = new Date(t);
  if (m < 1 || m > 12 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw new HolidayNoticeError(
      `日期无效：${source}（${y}年${m}月${d}日不存在）`,
      `invalid date: ${source} (${y}-${m}-${d} does not exist)`,
    );
  }
  return t;
}

const iso = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** warn when a bracket like `（农历腊月二十八、周日）` names another weekday than the date's */
function checkWeekday(t: number, bracket: string | undefined, name: string, warnings: Warning[]): void {
  const m = /(?:周|星期|礼拜)([一二三四五六日天])/.exec(bracket ?? '');
  if (!m) return;
  const stated = WEEKDAY_ZH.indexOf(m[1] === '天' ? '日' : m[1]);
  const actual = new Date(t).getUTCDay();
  if (stated !== actual) {
    warnings.push({
      zh: `${name}：${iso(t)}标注为星期${WEEKDAY_ZH[stated]}，实际是星期${WEEKDAY_ZH[actual]}`,
      en: `${name}: ${iso(t)} is marked as ${WEEKDAY_EN[stated]} but is a ${WEEKDAY_EN[actual]}`,
    });
  }
}

interface Heading {
  name: string;
  /** start of the heading and of its body (after the colon) in the normalised text */
  start: number;
  body: number;
}

function findHeadings({ norm, lineStarts }: Normalised): Heading[] {
  const heading = (m: RegExpExecArray): Heading => ({ name: m[1], start: m.index, body: m.index + m[0].length });
  const numbered = [...norm.matchAll(NUMBERED_HEADING)].map(heading);
  if (numbered.length > 0) return numbered;
  return [...norm.matchAll(BARE_HEADING)].filter((m) => lineStarts.has(m.index) || /[。;:]/.test(norm[m.index - 1])).map(heading);
}

/** the year named by the title or the preamble (关于2027年… / 现将2027年…), else the first `YYYY年` before the items */
function yearInPreamble(preamble: string): { year: number; named: boolean } | null {
  const named = TITLE.exec(preamble) ?? /(?:关于|现将)(\d{4})年/.exec(preamble);
  const m = named ?? /(\d{4})年/.exec(preamble);
  return m ? { year: Number(m[1]), named: named !== null } : null;
}

export function parseHolidayNotice(text: string, opts: { year?: number } = {}): ParsedHolidayNotice {
  if (opts.year !== undefined) checkYear(opts.year);
  const normalised = normalise(text);
  const { norm, at } = normalised;
  const headings = findHeadings(normalised);
  if (headings.length === 0) {
    throw new HolidayNoticeError(
      '没有找到放假安排（应形如“一、元旦：1月1日放假”）',
      'no holiday arrangements found (expected items like “一、元旦：1月1日放假”)',
    );
  }
  const preamble = norm.slice(0, headings[0].start);
  const title = TITLE.exec(preamble)?.[0] ?? null;
  const found = yearInPreamble(preamble);
  if (opts.year === undefined && !found) {
    throw new HolidayNoticeError(
      '无法从通知标题或开头确定年份，请指定年份',
      'could not find the year in the title or the first lines of the notice; please give the year',
    );
  }
  const year = checkYear(opts.year ?? found!.year);
  const closing = CLOSING.exec(norm.slice(headings[0].body));
  const end = closing ? headings[0].body + closing.index : norm.length;

  const warnings: Warning[] = [];
  const daysOff: Record<string, string> = {};
  const makeUpWorkdays: Record<string, string> = {};
  const items: Item[] = [];
  if (found?.named && found.year !== year) {
    warnings.push({
      zh: `通知写的是${found.year}年，但指定的年份是${year}年`,
      en: `the notice names the year ${found.year}, but ${year} was given`,
    });
  }
  const record = (target: Record<string, string>, date: string, name: string): void => {
    if (date in daysOff || date in makeUpWorkdays) {
      warnings.push({ zh: `${date}在通知中出现了两次（${name}）`, en: `${date} is listed twice in the notice (${name})` });
    }
    target[date] = name;
  };

  headings.forEach((h, n) => {
    const stop = Math.min(headings[n + 1]?.start ?? end, end);
    const body = norm.slice(h.body, stop);
    const label = `第${n + 1}项“${h.name}”`;
    const labelEn = `item ${n + 1} (${h.name})`;
    if (h.name.split(/[、和]/).some((part) => !KNOWN_NAMES.includes(part))) {
      warnings.push({ zh: `${label}不是法定节日名称`, en: `${labelEn} is not one of the seven statutory holidays` });
    }

    const r = RANGE.exec(body);
    if (!r) throw new HolidayNoticeError(`${label}没有找到放假日期`, `${labelEn}: no days off found`);
    const [source, y1, m1, d1, bracket1, y2, m2, d2, bracket2] = r;
    const startYear = y1 ? Number(y1) : year;
    const first = utc(startYear, Number(m1), Number(d1), source);
    let last = first;
    if (d2) {
      const endYear = y2 ? Number(y2) : m2 ? year : startYear;
      last = utc(endYear, m2 ? Number(m2) : Number(m1), Number(d2), source);
      if (last < first) {
        throw new HolidayNoticeError(
          `${label}的放假结束日期早于开始日期：${source}`,
          `${labelEn}: the days off end before they start: ${source}`,
        );
      }
      checkWeekday(last, bracket2, h.name, warnings);
    }
    checkWeekday(first, bracket1, h.name, warnings);
    const days = (last - first) / DAY_MS + 1;
    for (let t = first; t <= last; t += DAY_MS) record(daysOff, iso(t), h.name);

    const statedMatch = STATED_DAYS.exec(body);
    const statedDays = statedMatch ? Number(statedMatch[1]) : null;
    if (statedDays !== null && statedDays !== days) {
      warnings.push({
        zh: `${label}写明共${statedDays}天，但${iso(first)}至${iso(last)}是${days}天`,
        en: `${labelEn} states ${statedDays} days, but ${iso(first)} to ${iso(last)} is ${days} days`,
      });
    }

    const makeUp: string[] = [];
    for (const list of body.matchAll(MAKEUP_LIST)) {
      let month = 0;
      for (const [source, y, m, d, bracket] of list[0].matchAll(MAKEUP_DATE)) {
        month = m ? Number(m) : month;
        const t = utc(y ? Number(y) : year, month, Number(d), source);
        const weekday = new Date(t).getUTCDay();
        checkWeekday(t, bracket, h.name, warnings);
        if (weekday !== 0 && weekday !== 6) {
          warnings.push({
            zh: `${label}的调休上班日${iso(t)}是星期${WEEKDAY_ZH[weekday]}，不是周末`,
            en: `${labelEn}: the make-up working day ${iso(t)} is a ${WEEKDAY_EN[weekday]}, not a weekend day`,
          });
        }
        makeUp.push(iso(t));
        record(makeUpWorkdays, iso(t), h.name);
      }
    }

    const itemText = text.slice(at[h.start], at[stop]).replace(/\s+/g, '');
    items.push({ name: h.name, text: itemText, first: iso(first), last: iso(last), days, statedDays, makeUp });
  });

  return { year, title, daysOff, makeUpWorkdays, items, warnings };
}
