/**
 * Regenerates the days off and make-up working days of data/holidays.json from
 * the data of the `chinese-days` npm package (a devDependency pinned exactly;
 * the runtime never reads it).
 *
 *   npx tsx scripts/holidays-from-chinese-days.ts --from 2019 --to 2026 [--version 1.1.0] [--check]
 *
 * Only `daysOff` and `makeUpWorkdays` of the years in the range are rewritten.
 * The notice references (`notices`) and notes already in the file are kept; a
 * year new to the file gets the reference from KNOWN_NOTICES below, or an empty
 * list that must be filled in by hand (test/calendar.test.ts fails until it is).
 * With --check, nothing is written: the exit status says whether the file is
 * up to date with chinese-days for the range.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { HolidayData, HolidayNotice, HolidayYear } from '../src/register/calendar.js';

const HOLIDAYS = fileURLToPath(new URL('../data/holidays.json', import.meta.url));

interface ChineseDays {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** chinese-days values look like "Spring Festival,春节,4"; we keep the Chinese name, in the notices' wording */
const NAME: Record<string, string> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };

/** years whose notice joins 中秋节 and 国庆节 into one break: the whole break and its make-up days take the joint name */
const JOINT_AUTUMN: Record<string, string> = { '2020': '国庆节、中秋节', '2023': '中秋节、国庆节', '2025': '国庆节、中秋节' };

/** days that a later notice added to a break */
const RENAMED: Record<string, string> = {
  '2020-01-31': '春节（延长假期）',
  '2020-02-01': '春节（延长假期）',
  '2020-02-02': '春节（延长假期）',
};

const KNOWN_NOTICES: Record<string, HolidayNotice[]> = {
  '2019': [
    { title: '国务院办公厅关于2019年部分节假日安排的通知' },
    { title: '国务院办公厅关于调整2019年劳动节假期安排的通知', note: '劳动节由1天改为5月1日至4日，4月28日、5月5日上班' },
  ],
  '2020': [
    { title: '国务院办公厅关于2020年部分节假日安排的通知' },
    { title: '国务院办公厅关于延长2020年春节假期的通知', note: '春节假期延长至2月2日，原定2月1日（星期六）上班取消' },
  ],
  '2021': [{ title: '国务院办公厅关于2021年部分节假日安排的通知' }],
  '2022': [{ title: '国务院办公厅关于2022年部分节假日安排的通知' }],
  '2023': [{ title: '国务院办公厅关于2023年部分节假日安排的通知' }],
  '2024': [
    {
      title: '国务院办公厅关于2024年部分节假日安排的通知',
      date: '2023-10-25',
      url: 'https://www.gov.cn/zhengce/zhengceku/202310/content_6911528.htm',
    },
  ],
  '2025': [
    {
      title: '国务院办公厅关于2025年部分节假日安排的通知',
      date: '2024-11-12',
      url: 'https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm',
    },
  ],
  '2026': [
    {
      title: '国务院办公厅关于2026年部分节假日安排的通知',
      date: '2025-11-04',
      url: 'https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm',
    },
  ],
};

function nameOf(date: string, raw: string): string {
  const zh = raw.split(',')[1] ?? raw;
  if (RENAMED[date]) return RENAMED[date];
  const joint = JOINT_AUTUMN[date.slice(0, 4)];
  const month = date.slice(5, 7);
  if (joint && (month === '09' || month === '10') && (zh === '国庆节' || zh === '中秋')) return joint;
  return NAME[zh] ?? zh;
}

function pick(days: Record<string, string>, year: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const date of Object.keys(days).sort()) if (date.startsWith(`${year}-`)) out[date] = nameOf(date, days[date]);
  return out;
}

export function regenerate(existing: HolidayData, source: ChineseDays, from: number, to: number, version?: string): HolidayData {
  const years: Record<string, HolidayYear> = { ...existing.years };
  for (let y = from; y <= to; y++) {
    const year = String(y);
    const daysOff = pick(source.holidays, year);
    if (Object.keys(daysOff).length === 0) throw new Error(`chinese-days has no days off for ${year}: the year is not published there yet`);
    const old = existing.years[year];
    years[year] = {
      notices: old?.notices?.length ? old.notices : (KNOWN_NOTICES[year] ?? []),
      ...(old?.notes ? { notes: old.notes } : {}),
      daysOff,
      makeUpWorkdays: pick(source.workdays, year),
    };
  }
  const sorted: Record<string, HolidayYear> = {};
  for (const y of Object.keys(years).sort()) sorted[y] = years[y];
  const { $comment, seededFrom } = existing;
  return { ...($comment ? { $comment } : {}), version: version ?? existing.version, ...(seededFrom ? { seededFrom } : {}), years: sorted };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const from = Number(arg('--from') ?? 2019);
  const to = Number(arg('--to') ?? from);
  const require = createRequire(import.meta.url);
  const pkg = require('chinese-days/package.json') as { version: string };
  const source = require('chinese-days/dist/chinese-days.json') as ChineseDays;
  let existing: HolidayData;
  try {
    existing = JSON.parse(readFileSync(HOLIDAYS, 'utf8')) as HolidayData;
  } catch {
    existing = { version: '1.0.0', years: {} } as unknown as HolidayData;
  }
  const next = regenerate({ ...existing, seededFrom: `chinese-days@${pkg.version}` }, source, from, to, arg('--version'));
  const text = `${JSON.stringify(next, null, 2)}\n`;
  if (process.argv.includes('--check')) {
    const same = text === readFileSync(HOLIDAYS, 'utf8');
    process.stdout.write(same ? 'data/holidays.json is up to date\n' : 'data/holidays.json differs from chinese-days\n');
    process.exitCode = same ? 0 : 1;
  } else {
    writeFileSync(HOLIDAYS, text);
    process.stdout.write(`wrote ${HOLIDAYS} (${from}–${to})\n`);
  }
}
