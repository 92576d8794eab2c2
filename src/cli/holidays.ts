/**
 * `nianbao holidays …`: the holiday calendar of the register.
 *
 *   list [--json]                        every year and where its days off come from: shipped with
 *                                        nianbao, entered (by whom, when), or provisional (暂定)
 *   import FILE [--year Y] [--yes | --dry-run]
 *                                        read the text of a 国务院办公厅 holiday notice, show the days
 *                                        off and make-up working days, and after confirmation store
 *                                        them (they override the shipped data); every open case is
 *                                        recomputed and the changes listed
 *   import FILE --local --agency-id ID   the same for a jurisdiction's own extra days off
 *
 * Common options: --db FILE|URL, --user NAME, --agency-id ID (as for `nianbao register`).
 * Exit status: 0 done (or shown, with --dry-run); 1 not confirmed, nothing stored; 2 bad input.
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { type Command, CommanderError } from 'commander';
import { decodeText } from '../read/decode.js';
import { weekdayZh } from '../register/calendar.js';
import { HolidayNoticeError, type ParsedHolidayNotice, parseHolidayNotice } from '../register/holiday-notice.js';
import { type Db, openDb, StoreError } from '../store/db.js';
import { calendarFor, importHolidayNotice, registersUnder, yearSources } from '../store/holidays.js';
import { fsReason, InputError, out } from './errors.js';
import { cliProgram, exitStatusOf } from './usage.js';

const KIND_ZH = { shipped: '随软件提供', entered: '管理员录入', provisional: '暂定（按放假办法推算）' } as const;

function weekday(date: string): string {
  return weekdayZh(new Date(`${date}T00:00:00Z`).getUTCDay());
}

/** the days of a parsed notice as a person checks them against the notice */
export function previewText(p: ParsedHolidayNotice, title: string, local: boolean): string {
  const lines = [`${local ? '本地放假安排' : '放假通知'}：${title}（${p.year} 年）`, '放假日期：'];
  const byName = new Map<string, string[]>();
  for (const [d, name] of Object.entries(p.daysOff).sort()) byName.set(name, [...(byName.get(name) ?? []), d]);
  for (const [name, days] of byName) lines.push(`  ${name}：${days.map((d) => `${d}（${weekday(d)}）`).join('、')}，共 ${days.length} 天`);
  const makeUp = Object.entries(p.makeUpWorkdays).sort();
  lines.push(`调休上班日期：${makeUp.length ? '' : '无'}`);
  for (const [d, name] of makeUp) lines.push(`  ${d}（${weekday(d)}）${name}`);
  for (const w of p.warnings) lines.push(`注意：${w.zh}`);
  return lines.join('\n');
}

interface Common {
  db?: string;
  user?: string;
  agencyId?: string;
}

export async function runHolidays(argv: string[]): Promise<number> {
  let code = 0;
  const program = cliProgram('nianbao holidays').description(
    '节假日安排：查看各年来源，录入国务院办公厅放假通知 / the holiday calendar: list years, enter a notice',
  );
  const common = (c: Command) =>
    c
      .option('--db <file>', '数据库文件或 postgres:// 地址（缺省为 NIANBAO_DB 或 ./nianbao.db） / database file or URL')
      .option('--user <name>', '操作人（缺省为 USER） / the user recorded in the audit trail')
      .option('--agency-id <id>', '机关编号（缺省为 NIANBAO_AGENCY） / the agency (its jurisdiction for local days)');
  let db: Db | undefined;
  const open = async (o: Common) => {
    db = await openDb(o.db);
    return db;
  };
  const user = (o: Common) => o.user || process.env.USER || process.env.USERNAME || 'unknown';
  const agency = (o: Common) => o.agencyId ?? process.env.NIANBAO_AGENCY ?? '';

  common(program.command('list').description('各年放假安排的来源 / every year and its source'))
    .option('--json', '输出 JSON / print JSON')
    .action(async (o: Common & { json?: boolean }) => {
      const d = await open(o);
      const years = await yearSources(d, agency(o), new Date().getFullYear() + 1);
      if (o.json) {
        await out(`${JSON.stringify(years, null, 2)}\n`);
        return;
      }
      const lines = years.map((y) => {
        const detail =
          y.kind === 'entered'
            ? `${y.notices[0]?.title ?? ''}，${y.enteredBy} 于 ${y.enteredAt?.slice(0, 10)} 录入`
            : y.kind === 'shipped'
              ? y.notices.map((n) => n.title).join('；')
              : `按${y.statute}规定的法定节假日（含补假，不含调休）推算；录入该年通知后以通知为准`;
        return `${y.year}\t${KIND_ZH[y.kind]}\t${detail}${y.localDays ? `；另有本地放假 ${y.localDays} 天` : ''}`;
      });
      await out(`${lines.join('\n')}\n`);
    });

  common(program.command('import').description('录入放假通知 / enter a holiday notice'))
    .argument('<file>', '通知文字（文本文件） / the notice as a text file')
    .option('--year <year>', '年份（文中找不到时） / the year, if the text does not say')
    .option('--local', '本地放假安排（适用于 --agency-id 及其下级机关） / local extra days off of --agency-id and the agencies under it')
    .option('--yes', '不再询问，直接录入 / store without asking')
    .option('--dry-run', '只显示识别结果，不录入 / show what was read, store nothing')
    .option('--json', '输出 JSON / print JSON')
    .action(async (file: string, o: Common & { year?: string; local?: boolean; yes?: boolean; dryRun?: boolean; json?: boolean }) => {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch (e) {
        throw new InputError(`无法读取文件 ${file}：${fsReason(e).zh}。`, `cannot read ${file}: ${fsReason(e).en}.`);
      }
      if (bytes.length > 200_000)
        throw new InputError(`文件 ${file} 超过 200 KB，不像一份放假通知。`, `${file} is over 200 KB; not a holiday notice.`);
      const text = decodeText(bytes, file).text;
      const year = o.year === undefined ? undefined : Number(o.year);
      if (o.year !== undefined && !/^\d{4}$/.test(o.year)) {
        throw new InputError(`--year 应为四位年份（收到“${o.year}”）。`, `--year must be a four-digit year (got "${o.year}").`);
      }
      if (o.local && !agency(o)) {
        throw new InputError('本地放假安排须用 --agency-id 指定所属机关。', 'Local days off need the agency (--agency-id).');
      }
      let parsed: ParsedHolidayNotice;
      try {
        parsed = parseHolidayNotice(text, year === undefined ? {} : { year });
      } catch (e) {
        if (e instanceof HolidayNoticeError) throw new InputError(`${file}：${e.zh}`, `${file}: ${e.en}`);
        throw e;
      }
      const title = parsed.title ?? `${o.local ? '本地' : '国务院办公厅关于'}${parsed.year}年部分节假日安排${o.local ? '' : '的通知'}`;
      const d = await open(o);
      const current = (await calendarFor(d, agency(o))).yearSource(parsed.year);
      if (!o.json) {
        await out(`${previewText(parsed, title, Boolean(o.local))}\n`);
        if (!o.local)
          await out(
            `${parsed.year} 年现为：${KIND_ZH[current.kind]}${current.kind === 'entered' ? `（${current.enteredBy} 于 ${current.enteredAt?.slice(0, 10)} 录入）` : ''}；录入后以本通知为准。\n`,
          );
      }
      if (o.dryRun) {
        if (o.json) await out(`${JSON.stringify({ parsed, title, current }, null, 2)}\n`);
        return;
      }
      if (!o.yes) {
        if (!process.stdin.isTTY) {
          process.stderr.write(
            '未录入：请核对上面的日期，确认无误后加 --yes 再运行。\nNot stored: check the dates above and run again with --yes.\n',
          );
          code = 1;
          return;
        }
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        const answer = (await rl.question('以上日期与通知一致，确认录入？[y/N] ')).trim().toLowerCase();
        rl.close();
        if (answer !== 'y' && answer !== 'yes' && answer !== '是') {
          process.stderr.write('未录入。\nNot stored.\n');
          code = 1;
          return;
        }
      }
      const jurisdiction = o.local ? agency(o) : '';
      const result = await importHolidayNotice(
        d,
        { year: parsed.year, jurisdiction, title, text, daysOff: parsed.daysOff, makeUpWorkdays: parsed.makeUpWorkdays },
        user(o),
        o.local ? { registers: await registersUnder(d, jurisdiction) } : {},
      );
      if (o.json) {
        await out(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const lines = [
        `已录入${o.local ? '本地放假安排' : '放假通知'}：${title}。重新计算了 ${result.recalculated.length} 件未办结申请的期限。`,
      ];
      for (const r of result.recalculated) lines.push(`  ${r.agencyId ? `[${r.agencyId}] ` : ''}${r.caseId}：${r.changes.join('；')}`);
      for (const p of result.problems) lines.push(`  ${p.caseId}：未能重新计算（${p.zh}），保留原期限`);
      await out(`${lines.join('\n')}\n`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      code = exitStatusOf(e);
    } else if (e instanceof InputError || e instanceof StoreError || e instanceof HolidayNoticeError) {
      process.stderr.write(`错误：${e.zh}\nError: ${e.en}\n`);
      code = 2;
    } else {
      const m = e instanceof Error ? e.message : String(e);
      process.stderr.write(`错误：${m}\nError: ${m}\n`);
      code = 2;
    }
  } finally {
    await db?.destroy();
  }
  return code;
}
