import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
/** nianbao command line */
import { CommanderError } from 'commander';
import { PROVENANCE_MODES, type ProvenanceMode } from '../model/provenance.js';
import { expandInputs, writeBulk } from './bulk.js';
import { describeError, out as write } from './errors.js';
import { ambiguityWarnings, formatReport } from './format.js';
import { cliProgram, exitStatusOf, invalidValue, positiveInteger } from './usage.js';

const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** `--provenance full|compact|none` */
function provenanceMode(value: string): ProvenanceMode {
  if ((PROVENANCE_MODES as readonly string[]).includes(value)) return value as ProvenanceMode;
  return invalidValue('应为 full、compact 或 none', 'it must be full, compact or none');
}

/** the message when the inputs hold no file a reader can take */
const noReportFiles = (inputs: string[]): string =>
  `错误：${inputs.join(' ')} 中没有可读取的年报文件。\nError: no readable report files in ${inputs.join(' ')}.\n`;

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = cliProgram('nianbao')
    .version(VERSION, '-V, --version', '显示版本号 / show the version')
    .description('政府信息公开工作年度报告：读取、检查、生成 / Government information disclosure annual reports');

  program
    .command('parse')
    .description('把年度报告读成结构化数据 / read annual reports into the Report JSON')
    .argument('<inputs...>', '文件或文件夹 / files or folders')
    .option('--json', '输出 Report JSON（多个文件时每行一个） / print the Report JSON (JSON Lines for several files)')
    .option('--threads <n>', '并行线程数（正整数） / worker threads for bulk parsing (a positive whole number)', positiveInteger)
    .option(
      '--provenance <mode>',
      '单元格来源：full（完整，缺省）、compact（精简）、none（不输出） / cell provenance: full (default), compact or none',
      provenanceMode,
    )
    .action(async (inputs: string[], opts: { json?: boolean; threads?: number; provenance?: ProvenanceMode }) => {
      const files = await expandInputs(inputs);
      const single = inputs.length === 1 && files.length === 1 && files[0] === inputs[0];
      const provenance = opts.provenance ?? 'full';
      if (single) {
        const file = files[0];
        // the readers are loaded only now: a folder's files are read in worker threads
        const { parseFile } = await import('../parse.js');
        try {
          const report = await parseFile(file);
          for (const w of ambiguityWarnings(report, file)) process.stderr.write(`${w}\n`);
          if (opts.json) {
            const { withProvenance } = await import('./jobs.js');
            await write(`${JSON.stringify(withProvenance(report, provenance), null, 2)}\n`);
          } else await write(`${formatReport(report)}\n`);
        } catch (e) {
          const d = describeError(e, file);
          process.stderr.write(`错误：${d.zh}\nError: ${d.en}\n`);
          code = 2;
        }
        return;
      }
      if (files.length === 0) {
        process.stderr.write(noReportFiles(inputs));
        code = 2;
        return;
      }
      let failed = 0;
      try {
        ({ failed } = await writeBulk(files, process.stdout, {
          threads: opts.threads,
          output: opts.json ? 'json' : 'summary',
          provenance,
        }));
      } catch (e) {
        // the reader of the output went away (`| head`): stop quietly, as other tools do
        if ((e as { code?: string }).code === 'EPIPE') {
          process.stdout.on('error', () => {});
          return;
        }
        throw e;
      }
      if (!opts.json) process.stderr.write(`共 ${files.length} 个文件，${files.length - failed} 个读取成功，${failed} 个失败。\n`);
      if (failed > 0) code = 2;
    });

  program
    .command('check')
    .description('检查年度报告是否符合格式和法规 / check reports against the rules of the format and the law')
    .argument('<inputs...>', '文件或文件夹 / files or folders')
    .option('--json', '输出诊断 JSON（多个文件时每行一个） / print the diagnostics JSON (JSON Lines for several files)')
    .option('--format <format>', '输出格式 text | json | sarif / output format', 'text')
    .option('--previous <file>', "同一机关上一年度的报告 / last year's report of the same agency")
    .option(
      '--deadlines <list>',
      '公布期限（次年月-日），如 township=02-20,subdistrict=02-20 / publication deadlines by kind of body (department, government, township, subdistrict)',
    )
    .option('--threads <n>', '并行线程数（正整数） / worker threads (a positive whole number)', positiveInteger)
    .action(async (inputs: string[], opts: { json?: boolean; format: string; previous?: string; threads?: number; deadlines?: string }) => {
      const { checkFiles } = await import('./check.js');
      const deadlines: Record<string, string> = {};
      for (const part of (opts.deadlines ?? '').split(',').filter(Boolean)) {
        const m = /^(department|government|township|subdistrict)=(\d{2}-\d{2})$/.exec(part.trim());
        if (!m) {
          process.stderr.write(
            `错误：--deadlines 的写法不对：“${part}”（应为 类别=月-日，类别为 department、government、township 或 subdistrict）。\nError: bad --deadlines item "${part}" (expected kind=MM-DD with kind one of department, government, township, subdistrict).\n`,
          );
          code = 2;
          return;
        }
        deadlines[m[1]] = m[2];
      }
      const { formatHuman, formatSarif } = await import('../check/format.js');
      const format = opts.json ? 'json' : opts.format;
      if (!['text', 'json', 'sarif'].includes(format)) {
        process.stderr.write(
          `错误：不支持的输出格式 ${format}（可用 text、json、sarif）。\nError: unsupported format ${format} (use text, json or sarif).\n`,
        );
        code = 2;
        return;
      }
      const { results, previousError, previousWarnings } = await checkFiles(inputs, {
        previous: opts.previous,
        threads: opts.threads,
        options: { deadlines: deadlines as never },
      });
      if (previousError) {
        process.stderr.write(`错误：${previousError}\n`);
        code = 2;
        return;
      }
      for (const w of previousWarnings) process.stderr.write(`警告：${w.zh}\nWarning: ${w.en}\n`);
      if (results.length === 0) {
        process.stderr.write(noReportFiles(inputs));
        code = 2;
        return;
      }
      for (const r of results) if (r.error) process.stderr.write(`错误：${r.error}\n`);
      if (format === 'json') {
        const lines = results.map((r) =>
          JSON.stringify(r.error ? { file: r.file, error: r.error } : { file: r.file, report: r.report, diagnostics: r.diagnostics }),
        );
        await write(
          results.length === 1 && !results[0].error ? `${JSON.stringify(JSON.parse(lines[0]), null, 2)}\n` : `${lines.join('\n')}\n`,
        );
      } else if (format === 'sarif') {
        await write(`${formatSarif(results)}\n`);
      } else {
        await write(`${formatHuman(results)}\n`);
      }
      if (results.some((r) => r.error)) code = 2;
      else if (results.some((r) => r.diagnostics.some((d) => d.severity === 'error'))) code = 1;
    });

  program
    .command('render')
    .description('按官方格式生成年度报告 / write an annual report in the official layout')
    .argument('<report>', 'Report JSON（nianbao parse --json 的输出）或任何可读取的年报 / a Report JSON or any readable report')
    .option('--to <format>', '输出格式 docx | html | pdf | md | xlsx / output format')
    .option(
      '-o, --output <file>',
      '输出文件；缺省时写到标准输出（docx、xlsx、pdf 不写到终端） / output file; default stdout (docx, xlsx, pdf never to a terminal)',
    )
    .option('--force', '合计与分项不符时仍然生成 / render even when totals contradict their parts')
    .option('--blank-as <mode>', '空白单元格写成 zero（0）或 blank（留空） / write blank cells as zero or blank', 'zero')
    .action(async (input: string, opts: { to?: string; output?: string; force?: boolean; blankAs?: string }) => {
      const { runRender } = await import('./render.js');
      code = await runRender(input, opts);
    });

  program
    .command('register')
    .description(
      '依申请公开登记簿：add | event | void | amend | list | show | overdue | stats | export / the register of disclosure applications',
    )
    .argument('[args...]', '子命令及其选项（nianbao register --help） / subcommand and its options')
    .helpOption(false)
    .allowUnknownOption()
    .action(async (args: string[]) => {
      // the web app's tables are migrated with the register's: a database used by `serve` stays openable here
      await import('../store/app.js');
      const { runRegister } = await import('./register.js');
      code = await runRegister(args);
    });

  program
    .command('holidays')
    .description('节假日安排：list | import（录入国务院办公厅放假通知） / the holiday calendar: list years, enter a notice')
    .argument('[args...]', '子命令及其选项（nianbao holidays --help） / subcommand and its options')
    .helpOption(false)
    .allowUnknownOption()
    .action(async (args: string[]) => {
      await import('../store/app.js');
      const { runHolidays } = await import('./holidays.js');
      code = await runHolidays(args);
    });

  // supervision (src/cli/supervise.ts): each command forwarded with its arguments
  const SUPERVISE: [string, string][] = [
    ['bodies', '机关名录：import | export | list / the directory of bodies that must report'],
    ['import', '批量导入年报（文件夹、ZIP），自动匹配机关 / import reports in bulk, matched to their bodies'],
    ['pending', '待确认机关的文件 / imported files waiting for their body'],
    ['confirm', '确认文件所属机关 / confirm the body of a waiting file'],
    ['reject', '不予导入待确认的文件 / reject a waiting file'],
    ['status', '某年度各机关年报发布情况 / who has reported for a year'],
    ['rollup', '区域汇总 / the region’s totals of the tables'],
    ['score', '按评分细则评分和排名 / scores and ranking under a rubric'],
    ['copies', '跨机关雷同 / text copied between bodies'],
    ['review', '标记已复核 / mark a report as reviewed'],
    ['versions', '报告的各个版本及其差异 / the versions of a report and what changed'],
    ['settings', '本辖区的年报期限和评分细则 / the jurisdiction’s deadlines and rubric'],
  ];
  for (const [name, description] of SUPERVISE) {
    program
      .command(name)
      .description(description)
      .argument('[args...]', `参数及选项（nianbao ${name} --help） / arguments and options`)
      .helpOption(false)
      .allowUnknownOption()
      .action(async (args: string[]) => {
        const { runSupervise } = await import('./supervise.js');
        code = await runSupervise([name, ...args]);
      });
  }

  program
    .command('serve')
    .description('网页界面和接口服务 / the web app and its HTTP API')
    .option('--port <port>', '端口（缺省为 PORT 或 8787） / port (default PORT or 8787)')
    .option('--host <host>', '监听地址（缺省为 127.0.0.1，仅本机） / address to listen on (default 127.0.0.1)')
    .option('--db <file>', '数据库文件或 postgres:// 地址（缺省为 NIANBAO_DB 或 ./nianbao.db） / database file or URL')
    .option('--demo', '数据库中没有机关时载入演示数据 / load the demo data into a database without agencies')
    .option('--quiet', '不输出每个请求的日志 / no request log')
    .action(async (opts: { port?: string; host?: string; db?: string; demo?: boolean; quiet?: boolean }) => {
      const { runServe } = await import('./serve.js');
      code = await runServe(opts);
    });

  program
    .command('deadline')
    .description('依申请公开的法定期限（补正告知、答复、延长答复） / statutory deadlines of a disclosure application')
    .requiredOption('--received <date>', '收到申请的日期 YYYY-MM-DD / date the application was received')
    .option(
      '--json',
      '以 JSON 输出各期限 / print the dates as JSON (receivedOn, correctionNoticeDue, replyDue, extendedReplyDue, provisional)',
    )
    .option('--db <file>', '含录入的放假通知的数据库（缺省为 NIANBAO_DB 或已有的 ./nianbao.db） / database with entered holiday notices')
    .option('--agency-id <id>', '按该机关的本地放假安排 / use that agency’s local days off')
    .action(async (opts: { received: string; json?: boolean; db?: string; agencyId?: string }) => {
      const { CalendarError, defaultCalendar } = await import('../register/calendar.js');
      const { deadlinesFor, formatDeadlines } = await import('../register/deadlines.js');
      const target = opts.db || process.env.NIANBAO_DB || 'nianbao.db';
      // entered notices live in the database: use it when named or when it exists (never create one for a lookup)
      let calendar = defaultCalendar();
      if (opts.db || process.env.NIANBAO_DB || existsSync(target)) {
        await import('../store/app.js');
        const { openDb } = await import('../store/db.js');
        const { calendarFor } = await import('../store/holidays.js');
        try {
          const db = await openDb(target);
          try {
            calendar = await calendarFor(db, opts.agencyId ?? process.env.NIANBAO_AGENCY ?? '');
          } finally {
            await db.destroy();
          }
        } catch (e) {
          const m = e as { zh?: string; en?: string; message?: string };
          process.stderr.write(`错误：${m.zh ?? m.message}\nError: ${m.en ?? m.message}\n`);
          code = 2;
          return;
        }
      }
      try {
        const d = deadlinesFor(opts.received, { calendar });
        const { receivedOn, correctionNoticeDue, replyDue, extendedReplyDue, provisional, provisionalYears } = d;
        await write(
          opts.json
            ? `${JSON.stringify({ receivedOn, correctionNoticeDue, replyDue, extendedReplyDue, provisional, provisionalYears }, null, 2)}\n`
            : `${formatDeadlines(d)}\n`,
        );
      } catch (e) {
        if (!(e instanceof CalendarError)) throw e;
        process.stderr.write(`错误：${e.zh}\nError: ${e.en}\n`);
        code = 2;
      }
    });

  // `nianbao help register [add]`: the help of the register's own program, as `nianbao register [add] --help`
  const args = argv[0] === 'help' && (argv[1] === 'register' || argv[1] === 'holidays') ? [...argv.slice(1), '--help'] : argv;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return exitStatusOf(e);
    process.stderr.write(`错误：${describeError(e, '').zh}\n`);
    return 2;
  }
  return code;
}
