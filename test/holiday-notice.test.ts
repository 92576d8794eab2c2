import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HolidayNoticeError, type ParsedHolidayNotice, parseHolidayNotice } from '../src/register/holiday-notice.js';

interface JsonYear {
  daysOff: Record<string, string>;
  makeUpWorkdays: Record<string, string>;
}
const holidays = JSON.parse(readFileSync(new URL('../data/holidays.json', import.meta.url), 'utf8')) as { years: Record<string, JsonYear> };

const NOTICE_2026 = `国务院办公厅关于2026年部分节假日安排的通知
国办发明电〔2025〕7号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
　　经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
　　一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
　　二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月16日）前后休息。
　　三、清明节：4月4日（周六）至6日（周一）放假，共3天。
　　四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
　　五、端午节：6月19日（周五）至21日（周日）放假，共3天。
　　六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
　　七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
　　节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。

国务院办公厅
2025年11月4日
（此件公开发布）
`;

const NOTICE_2025 = `国务院办公厅关于2025年部分节假日安排的通知
国办发明电〔2024〕12号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
　　根据《国务院关于修改〈全国年节及纪念日放假办法〉的决定》，为便于各地区、各部门及早合理安排节假日旅游、交通运输、生产经营等有关工作，经国务院批准，现将2025年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
　　一、元旦：1月1日（周三）放假1天，不调休。
　　二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
　　三、清明节：4月4日（周五）至6日（周日）放假，共3天。
　　四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
　　五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
　　六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
　　节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。

国务院办公厅
2024年11月11日
`;

const NOTICE_2023 = `国务院办公厅关于2023年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2023年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。
二、春节：1月21日至27日放假调休，共7天。1月28日（星期六）、1月29日（星期日）上班。
三、清明节：4月5日放假，共1天。
四、劳动节：4月29日至5月3日放假调休，共5天。4月23日（星期日）、5月6日（星期六）上班。
五、端午节：6月22日至24日放假调休，共3天。6月25日（星期日）上班。
六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2022年12月8日
`;

/** every date from first to last inclusive, all named `name` */
function days(name: string, first: string, last = first): Record<string, string> {
  const out: Record<string, string> = {};
  for (let t = Date.parse(first); t <= Date.parse(last); t += 86_400_000) out[new Date(t).toISOString().slice(0, 10)] = name;
  return out;
}

const sortedKeys = (r: Record<string, string>): string[] => Object.keys(r).sort();

function thrown(f: () => unknown): HolidayNoticeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HolidayNoticeError);
    return e as HolidayNoticeError;
  }
  throw new Error('expected a HolidayNoticeError');
}

/** a minimal notice for year 2026 around the given items */
const notice = (items: string): string => `国务院办公厅关于2026年部分节假日安排的通知\n${items}`;
const en = (p: ParsedHolidayNotice): string[] => p.warnings.map((w) => w.en);

describe('parseHolidayNotice: real notices', () => {
  it('parses the 2026 notice', () => {
    const p = parseHolidayNotice(NOTICE_2026);
    expect(p.year).toBe(2026);
    expect(p.title).toBe('国务院办公厅关于2026年部分节假日安排的通知');
    expect(p.daysOff).toEqual({
      ...days('元旦', '2026-01-01', '2026-01-03'),
      ...days('春节', '2026-02-15', '2026-02-23'),
      ...days('清明节', '2026-04-04', '2026-04-06'),
      ...days('劳动节', '2026-05-01', '2026-05-05'),
      ...days('端午节', '2026-06-19', '2026-06-21'),
      ...days('中秋节', '2026-09-25', '2026-09-27'),
      ...days('国庆节', '2026-10-01', '2026-10-07'),
    });
    expect(p.makeUpWorkdays).toEqual({
      '2026-01-04': '元旦',
      '2026-02-14': '春节',
      '2026-02-28': '春节',
      '2026-05-09': '劳动节',
      '2026-09-20': '国庆节',
      '2026-10-10': '国庆节',
    });
    expect(p.items.map((i) => [i.name, i.first, i.last, i.days, i.statedDays])).toEqual([
      ['元旦', '2026-01-01', '2026-01-03', 3, 3],
      ['春节', '2026-02-15', '2026-02-23', 9, 9],
      ['清明节', '2026-04-04', '2026-04-06', 3, 3],
      ['劳动节', '2026-05-01', '2026-05-05', 5, 5],
      ['端午节', '2026-06-19', '2026-06-21', 3, 3],
      ['中秋节', '2026-09-25', '2026-09-27', 3, 3],
      ['国庆节', '2026-10-01', '2026-10-07', 7, 7],
    ]);
    expect(p.items[1].makeUp).toEqual(['2026-02-14', '2026-02-28']);
    expect(p.items[1].text).toBe(
      '二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月16日）前后休息。',
    );
    // the closing paragraph and the signature are not part of the last item
    expect(p.items[6].text).toBe('七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。');
    expect(p.warnings).toEqual([]);
  });

  it('parses the 2025 notice (single-day 元旦, cross-month ranges, combined 国庆节、中秋节)', () => {
    const p = parseHolidayNotice(NOTICE_2025);
    expect(p.year).toBe(2025);
    expect(p.daysOff).toEqual({
      '2025-01-01': '元旦',
      ...days('春节', '2025-01-28', '2025-02-04'),
      ...days('清明节', '2025-04-04', '2025-04-06'),
      ...days('劳动节', '2025-05-01', '2025-05-05'),
      ...days('端午节', '2025-05-31', '2025-06-02'),
      ...days('国庆节、中秋节', '2025-10-01', '2025-10-08'),
    });
    expect(p.makeUpWorkdays).toEqual({
      '2025-01-26': '春节',
      '2025-02-08': '春节',
      '2025-04-27': '劳动节',
      '2025-09-28': '国庆节、中秋节',
      '2025-10-11': '国庆节、中秋节',
    });
    expect(p.items[0]).toMatchObject({ name: '元旦', first: '2025-01-01', last: '2025-01-01', days: 1, statedDays: 1, makeUp: [] });
    expect(p.items[5]).toMatchObject({ name: '国庆节、中秋节', days: 8, statedDays: 8, makeUp: ['2025-09-28', '2025-10-11'] });
    expect(p.warnings).toEqual([]);
  });

  it.each(['2025', '2026'])('agrees with data/holidays.json for %s', (year) => {
    const p = parseHolidayNotice(year === '2025' ? NOTICE_2025 : NOTICE_2026);
    const json = holidays.years[year];
    expect(sortedKeys(p.daysOff)).toEqual(sortedKeys(json.daysOff));
    expect(sortedKeys(p.makeUpWorkdays)).toEqual(sortedKeys(json.makeUpWorkdays));
    // the names agree too
    expect(p.daysOff).toEqual(json.daysOff);
    expect(p.makeUpWorkdays).toEqual(json.makeUpWorkdays);
  });

  it('parses the 2023 notice: 元旦 from 2022-12-31, combined 中秋节、国庆节', () => {
    const p = parseHolidayNotice(NOTICE_2023);
    expect(p.year).toBe(2023);
    expect(p.items[0]).toMatchObject({ name: '元旦', first: '2022-12-31', last: '2023-01-02', days: 3, statedDays: 3 });
    expect(sortedKeys(p.daysOff).slice(0, 3)).toEqual(['2022-12-31', '2023-01-01', '2023-01-02']);
    expect(p.items[5]).toMatchObject({ name: '中秋节、国庆节', first: '2023-09-29', last: '2023-10-06', days: 8 });
    expect(p.daysOff['2023-10-01']).toBe('中秋节、国庆节');
    expect(p.makeUpWorkdays['2023-10-08']).toBe('中秋节、国庆节');
    // data/holidays.json files 2022-12-31 under 2022
    expect(p.daysOff).toEqual({ '2022-12-31': holidays.years['2022'].daysOff['2022-12-31'], ...holidays.years['2023'].daysOff });
    expect(p.makeUpWorkdays).toEqual(holidays.years['2023'].makeUpWorkdays);
    expect(p.warnings).toEqual([]);
    // an end without a month takes the year of the start, an end with a month the notice year
    const short = parseHolidayNotice('一、元旦：2022年12月30日（星期五）至31日（星期六）放假，共2天。', { year: 2023 });
    expect(short.items[0]).toMatchObject({ first: '2022-12-30', last: '2022-12-31', days: 2 });
    expect(short.warnings).toEqual([]);
    expect(parseHolidayNotice('一、元旦：2022年12月31日至1月2日放假。', { year: 2023 }).items[0].last).toBe('2023-01-02');
  });

  it('ignores the 除夕 date of the encouragement sentence (2024 春节)', () => {
    const p = parseHolidayNotice(
      notice(
        '二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。',
      ),
      { year: 2024 },
    );
    expect(p.daysOff).toEqual(days('春节', '2024-02-10', '2024-02-17'));
    expect(p.makeUpWorkdays).toEqual({ '2024-02-04': '春节', '2024-02-18': '春节' });
    expect(p.daysOff['2024-02-09']).toBeUndefined();
  });
});

describe('parseHolidayNotice: layout and normalisation', () => {
  const expected = parseHolidayNotice(NOTICE_2026);

  it('reads items run together in one paragraph', () => {
    const p = parseHolidayNotice(NOTICE_2026.replace(/\n\s*/g, ''));
    expect(p.items.map((i) => i.name)).toEqual(['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节']);
    expect(p.daysOff).toEqual(expected.daysOff);
    expect(p.makeUpWorkdays).toEqual(expected.makeUpWorkdays);
  });

  it('reads hard-wrapped lines (copied from a PDF)', () => {
    const wrapped = NOTICE_2026.replace('2月14日（周六）、', '2月14日（周六）、\n')
      .replace('至23日', '至\n23日')
      .replace('七、国庆节', '七、\n国庆节');
    const p = parseHolidayNotice(wrapped);
    expect(p.daysOff).toEqual(expected.daysOff);
    expect(p.makeUpWorkdays).toEqual(expected.makeUpWorkdays);
    expect(p.items[6].name).toBe('国庆节');
  });

  it('normalises full-width digits and half-width punctuation', () => {
    const full = NOTICE_2025.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    expect(full).toContain('１０月１１日');
    const p = parseHolidayNotice(full);
    expect(p.year).toBe(2025);
    expect(p.title).toBe('国务院办公厅关于2025年部分节假日安排的通知');
    expect(p.daysOff).toEqual(holidays.years['2025'].daysOff);
    expect(p.makeUpWorkdays).toEqual(holidays.years['2025'].makeUpWorkdays);
    // item texts keep the original characters
    expect(p.items[0].text).toBe('一、元旦：１月１日（周三）放假１天，不调休。');

    const half = parseHolidayNotice(notice('一、元旦:1月1日(星期四)至3日(星期六)放假调休,共3天.1月4日(星期日)上班.'));
    expect(half.daysOff).toEqual(days('元旦', '2026-01-01', '2026-01-03'));
    expect(half.makeUpWorkdays).toEqual({ '2026-01-04': '元旦' });
    expect(half.warnings).toEqual([]);
  });

  it('does not take dates of the preamble, closing or signature as days off', () => {
    const text = `发布日期：2025年11月04日
各省、自治区、直辖市人民政府：
经国务院批准，现将2026年元旦放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
节假日期间，各地区要在2026年1月5日前报告值班情况，1月6日上班。
国务院办公厅
2025年11月4日`;
    const p = parseHolidayNotice(text);
    expect(p.year).toBe(2026); // 现将2026年 wins over the publication date
    expect(p.title).toBeNull();
    expect(p.daysOff).toEqual(days('元旦', '2026-01-01', '2026-01-03'));
    expect(p.makeUpWorkdays).toEqual({ '2026-01-04': '元旦' });
    expect(p.items[0].text).toBe('一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。');
  });

  it('reads a single day, 至 with its own month, a make-up list inheriting the month, and unnumbered items', () => {
    const p = parseHolidayNotice(
      notice('元旦：1月1日放假，与周末连休。国庆节：9月29日至10月6日放假调休，共8天。10月7日（星期三）、10日（星期六）上班。'),
    );
    expect(p.items.map((i) => [i.name, i.first, i.last, i.days, i.statedDays])).toEqual([
      ['元旦', '2026-01-01', '2026-01-01', 1, null],
      ['国庆节', '2026-09-29', '2026-10-06', 8, 8],
    ]);
    expect(p.makeUpWorkdays).toEqual({ '2026-10-07': '国庆节', '2026-10-10': '国庆节' });
    expect(en(p)).toEqual(['item 2 (国庆节): the make-up working day 2026-10-07 is a Wednesday, not a weekend day']);
  });
});

describe('parseHolidayNotice: year', () => {
  const items = '一、元旦：1月1日至3日放假调休，共3天。';

  it('needs a year from the text or from opts.year', () => {
    const e = thrown(() => parseHolidayNotice(items));
    expect(e.name).toBe('HolidayNoticeError');
    expect(e.zh).toBe('无法从通知标题或开头确定年份，请指定年份');
    expect(e.message).toBe(`${e.zh} / ${e.en}`);
    const p = parseHolidayNotice(items, { year: 2027 });
    expect(p.year).toBe(2027);
    expect(sortedKeys(p.daysOff)).toEqual(['2027-01-01', '2027-01-02', '2027-01-03']);
  });

  it('takes the year from the first lines, not from dates inside the items', () => {
    expect(parseHolidayNotice(`现将2027年元旦放假安排通知如下。${items}`).year).toBe(2027);
    // only the item carries a year: that is not the notice year
    expect(thrown(() => parseHolidayNotice('一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。')).en).toMatch(
      /could not find the year/,
    );
  });

  it('refuses years outside 2000–2100', () => {
    expect(thrown(() => parseHolidayNotice(items, { year: 1999 })).en).toBe('year 1999 is out of range (2000–2100)');
    expect(thrown(() => parseHolidayNotice(`国务院办公厅关于2101年部分节假日安排的通知\n${items}`)).en).toBe(
      'year 2101 is out of range (2000–2100)',
    );
  });

  it('warns when opts.year differs from the year of the title', () => {
    const p = parseHolidayNotice(notice(items), { year: 2027 });
    expect(p.daysOff['2027-01-01']).toBe('元旦');
    expect(en(p)).toEqual(['the notice names the year 2026, but 2027 was given']);
  });
});

describe('parseHolidayNotice: warnings and errors', () => {
  it('warns (does not throw) on a wrong weekday, a wrong 共N天, a weekday make-up day and an unknown name', () => {
    const p = parseHolidayNotice(
      notice(
        '一、元旦：1月1日（周五）至3日（星期六）放假调休，共4天。1月5日（周一）上班。\n二、植树节：3月12日（周四）放假，共1天。\n三、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周日）上班。',
      ),
    );
    expect(p.daysOff).toEqual({
      ...days('元旦', '2026-01-01', '2026-01-03'),
      '2026-03-12': '植树节',
      ...days('劳动节', '2026-05-01', '2026-05-05'),
    });
    expect(p.makeUpWorkdays).toEqual({ '2026-01-05': '元旦', '2026-05-09': '劳动节' });
    expect(en(p)).toEqual([
      '元旦: 2026-01-01 is marked as Friday but is a Thursday',
      'item 1 (元旦) states 4 days, but 2026-01-01 to 2026-01-03 is 3 days',
      'item 1 (元旦): the make-up working day 2026-01-05 is a Monday, not a weekend day',
      'item 2 (植树节) is not one of the seven statutory holidays',
      '劳动节: 2026-05-09 is marked as Sunday but is a Saturday',
    ]);
    expect(p.warnings[1].zh).toBe('第1项“元旦”写明共4天，但2026-01-01至2026-01-03是3天');
  });

  it('warns when a date is listed twice', () => {
    const p = parseHolidayNotice(notice('一、元旦：1月1日至3日放假。二、春节：1月3日放假。'));
    expect(p.daysOff['2026-01-03']).toBe('春节');
    expect(en(p)).toEqual(['2026-01-03 is listed twice in the notice (春节)']);
  });

  it('throws on text without any holiday arrangement', () => {
    for (const text of [
      '',
      'hello world',
      '各省、自治区、直辖市人民政府：经国务院批准，现将2027年放假安排通知如下。',
      '国务院办公厅\n2025年11月4日',
    ]) {
      const e = thrown(() => parseHolidayNotice(text, { year: 2027 }));
      expect(e.zh).toMatch(/^没有找到放假安排/);
      expect(e.en).toMatch(/^no holiday arrangements found/);
    }
  });

  it('throws on an item without days off', () => {
    expect(thrown(() => parseHolidayNotice(notice('一、元旦：另行通知。'))).en).toBe('item 1 (元旦): no days off found');
  });

  it('throws on invalid dates', () => {
    expect(thrown(() => parseHolidayNotice(notice('二、春节：2月30日放假。'))).en).toBe(
      'invalid date: 2月30日放假 (2026-2-30 does not exist)',
    );
    expect(thrown(() => parseHolidayNotice(notice('三、清明节：4月29日至31日放假。'))).zh).toBe(
      '日期无效：4月29日至31日放假（2026年4月31日不存在）',
    );
    expect(thrown(() => parseHolidayNotice(notice('一、元旦：13月1日放假。'))).en).toMatch(/^invalid date/);
    expect(thrown(() => parseHolidayNotice(notice('四、劳动节：5月1日放假。4月31日（周六）上班。'))).en).toMatch(/^invalid date: 4月31日/);
  });

  it('throws on a range that ends before it starts', () => {
    expect(thrown(() => parseHolidayNotice(notice('一、元旦：12月31日至1月2日放假调休，共3天。'))).en).toBe(
      'item 1 (元旦): the days off end before they start: 12月31日至1月2日放假',
    );
    expect(thrown(() => parseHolidayNotice(notice('六、国庆节：10月7日至1日放假。'))).zh).toMatch(/结束日期早于开始日期/);
  });
});
