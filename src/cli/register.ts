/**
 * `nianbao register …`: the application register (依申请公开登记簿) on a SQLite file.
 *
 *   add --file CASE.json                 登记新申请 (a NewCase JSON; registeredBy defaults to --user)
 *   event CASE_ID --file EVENT.json      登记事件 (a CaseEvent JSON, or an array of them applied in order,
 *                                        each in its own transaction; `by` defaults to --user)
 *   list [--open] [--json]               列出申请
 *   show CASE_ID [--json]                查看申请、事件、期限说明
 *   overdue [--today YYYY-MM-DD] [--json] 逾期和即将到期（3 个工作日内）的申请
 *   stats --year Y [--json] [--base REPORT.json] [--agency NAME]
 *                                        表二、表三; --json prints a 2021 Report JSON; --base supplies the agency,
 *                                        date, sections and 表一 figures (entered separately)
 *   export [--json]                      all cases as JSON (an array; --json: the same, one line per case)
 *
 * Common options: --db FILE|URL (default: NIANBAO_DB, else nianbao.db in the cwd; a postgres:// URL uses
 * PostgreSQL), --user NAME (default: $USER), --agency-id ID (whose register: the web app's agency id;
 * default NIANBAO_AGENCY, else the unnamed register '').
 *
 * Exit status: 0 done; 1 the register refused the change (a TransitionError: an illegal
 * transition or an invalid application — nothing was written); 2 bad input (unreadable file,
 * bad JSON, unknown case, bad option, a date outside the working-day calendar, a database error).
 * Messages go to stderr in Chinese and English.
 */
import { readFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { APPLICANT_COLUMNS, applicationRows, REVIEW_COLUMNS, REVIEW_GROUPS } from '../model/format.js';
import type { Proactive2021, Report } from '../model/report.js';
import { CalendarError } from '../register/calendar.js';
import { type Case, type CaseEvent, CHANNEL_LABELS, dueDates, type NewCase, status, TransitionError } from '../register/case.js';
import { type ReportOptions, reportForYear } from '../register/stats.js';
import { type Db, openDb, StoreError } from '../store/db.js';
import { addCase, addEvent, allCases, auditTrail, eventsOf, listCases, requireCase, statsCases } from '../store/register.js';

class InputError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} / ${en}`);
  }
}

function out(s: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(s)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

async function readJson(file: string | undefined): Promise<unknown> {
  if (!file) throw new InputError('须用 --file 指定 JSON 文件。', 'a JSON file is required (--file).');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`无法读取文件 ${file}：${(e as Error).message}`, `cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InputError(`文件 ${file} 不是有效的 JSON：${(e as Error).message}`, `${file} is not valid JSON: ${(e as Error).message}`);
  }
}

const TYPE_ZH: Record<string, string> = Object.fromEntries(APPLICANT_COLUMNS.map((c) => [c.key, c.label]));
const OUTCOME_ZH: Record<string, string> = Object.fromEntries(applicationRows('2021').map((r) => [r.key, r.label]));

function stateZh(c: Case, on: string): string {
  if (c.state.closed) return `已办结（${c.state.closed.on}，${OUTCOME_ZH[c.state.closed.outcome] ?? c.state.closed.outcome}）`;
  const s = status(c, on);
  if (s.suspended === 'correction') return '待补正';
  if (s.suspended) return '期限暂停';
  if (s.overdue) return `已逾期（答复期限 ${s.replyDue}）`;
  if (s.dueSoon) return `即将到期（答复期限 ${s.replyDue}）`;
  return `办理中（答复期限 ${s.replyDue}）`;
}

function caseLine(c: Case, on: string): string {
  return `${c.id}\t${c.receivedOn}\t${TYPE_ZH[c.applicantType] ?? c.applicantType}\t${c.applicant.name}\t${stateZh(c, on)}`;
}

function summary(c: Case, on: string) {
  const s = status(c, on);
  return { id: c.id, applicant: c.applicant.name, applicantType: c.applicantType, receivedOn: c.receivedOn, ...s };
}

function eventZh(e: CaseEvent): string {
  const extra: string[] = [];
  if (e.type === 'reply') extra.push(OUTCOME_ZH[e.outcome] ?? e.outcome);
  if (e.type === 'extension') extra.push(`${e.days} 个工作日，批准人 ${e.approver}`);
  if (e.type === 'correctionNotice') extra.push(`补正期限 ${e.deadline}`);
  if (e.type === 'consultationStarted') extra.push(e.consulted);
  return `${e.on}  ${e.type}${extra.length ? `（${extra.join('；')}）` : ''}  登记人 ${e.by}`;
}

function statsText(c: ReturnType<typeof reportForYear>): string {
  const cols = APPLICANT_COLUMNS;
  const lines = [`${c.year} 年 表二 收到和处理政府信息公开申请情况`, ['项目', ...cols.map((x) => x.label)].join('\t')];
  for (const r of applicationRows('2021')) {
    const row = c.applications[r.key];
    if (!row) continue;
    lines.push([r.label, ...cols.map((x) => String(row[x.key] ?? 0))].join('\t'));
  }
  lines.push('', `${c.year} 年 表三 行政复议、行政诉讼情况`, ['', ...REVIEW_COLUMNS.map((x) => x.label)].join('\t'));
  for (const g of REVIEW_GROUPS) {
    const row = c.reviewLitigation[g.key] as unknown as Record<string, number | null>;
    const label = 'parent' in g ? `${g.parent}（${g.label}）` : g.label;
    lines.push([label, ...REVIEW_COLUMNS.map((x) => String(row?.[x.key] ?? 0))].join('\t'));
  }
  return lines.join('\n');
}

interface Common {
  db?: string;
  user?: string;
  agencyId?: string;
}

export async function runRegister(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command('nianbao register')
    .description('依申请公开登记簿 / the register of disclosure applications')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const common = (c: Command) =>
    c
      .option('--db <file>', '数据库文件或 postgres:// 地址（缺省为 NIANBAO_DB 或 ./nianbao.db） / database file or URL')
      .option('--user <name>', '操作人（缺省为 USER） / the user recorded in the audit trail')
      .option('--agency-id <id>', '登记簿所属机关编号（缺省为 NIANBAO_AGENCY） / whose register (agency id)');

  let db: Db | undefined;
  const open = async (o: Common) => {
    db = await openDb(o.db);
    return db;
  };
  const user = (o: Common) => o.user || process.env.USER || process.env.USERNAME || 'unknown';
  const agency = (o: Common) => o.agencyId ?? process.env.NIANBAO_AGENCY ?? '';

  common(program.command('add').description('登记新申请 / register a new application'))
    .requiredOption('--file <file>', 'NewCase JSON')
    .option('--json', '输出 JSON / print the case as JSON')
    .action(async (o: Common & { file: string; json?: boolean }) => {
      const input = (await readJson(o.file)) as NewCase;
      if (!input || typeof input !== 'object' || Array.isArray(input)) {
        throw new InputError('申请 JSON 应为一个对象。', 'the case JSON must be an object.');
      }
      const c = await addCase(await open(o), input, user(o), agency(o));
      await out(
        o.json
          ? `${JSON.stringify(c, null, 2)}\n`
          : `已登记申请 ${c.id}，收到申请之日 ${c.receivedOn}，答复期限 ${dueDates(c).replyDue}。\n`,
      );
    });

  common(program.command('event').description('登记事件 / record an event'))
    .argument('<caseId>')
    .requiredOption('--file <file>', 'CaseEvent JSON（或数组） / a CaseEvent JSON or an array of them')
    .option('--json', '输出 JSON / print the case as JSON')
    .action(async (caseId: string, o: Common & { file: string; json?: boolean }) => {
      const data = await readJson(o.file);
      const events = (Array.isArray(data) ? data : [data]) as CaseEvent[];
      if (events.some((e) => !e || typeof e !== 'object' || Array.isArray(e))) {
        throw new InputError('事件 JSON 应为对象或对象数组。', 'the event JSON must be an object or an array of objects.');
      }
      const d = await open(o);
      await requireCase(d, caseId, agency(o));
      let c: Case | undefined;
      for (const e of events) {
        c = await addEvent(d, caseId, e, user(o), {}, agency(o));
        if (!o.json) await out(`已登记 ${caseId}：${eventZh(c.events[c.events.length - 1])}\n`);
      }
      if (o.json && c) await out(`${JSON.stringify(c, null, 2)}\n`);
      else if (c) await out(`当前状态：${stateZh(c, today())}\n`);
    });

  common(program.command('list').description('列出申请 / list applications'))
    .option('--open', '只列未办结的 / open cases only')
    .option('--json', '输出 JSON / print JSON')
    .action(async (o: Common & { open?: boolean; json?: boolean }) => {
      const cases = await listCases(await open(o), o.open ? { open: true, agency: agency(o) } : { agency: agency(o) });
      const on = today();
      if (o.json)
        await out(
          `${JSON.stringify(
            cases.map((c) => summary(c, on)),
            null,
            2,
          )}\n`,
        );
      else {
        const lines = cases.map((c) => caseLine(c, on));
        await out(`${lines.length ? `${lines.join('\n')}\n` : ''}共 ${cases.length} 件。\n`);
      }
    });

  common(program.command('show').description('查看申请 / show an application'))
    .argument('<caseId>')
    .option('--json', '输出 JSON / print JSON')
    .action(async (caseId: string, o: Common & { json?: boolean }) => {
      const d = await open(o);
      const c = await requireCase(d, caseId, agency(o));
      const on = today();
      if (o.json) {
        const audit = (await auditTrail(d, caseId, agency(o))).map(({ before: _b, after: _a, ...rest }) => rest);
        await out(
          `${JSON.stringify({ case: c, status: status(c, on), dueDates: dueDates(c), events: await eventsOf(d, caseId, agency(o)), audit }, null, 2)}\n`,
        );
        return;
      }
      const due = dueDates(c);
      const lines = [
        `申请编号：${c.id}`,
        `申请人：${c.applicant.name}（${TYPE_ZH[c.applicantType] ?? c.applicantType}；${c.applicant.identity.type} ${c.applicant.identity.number}）`,
        `所需信息：${c.request.description}${c.request.documentNumber ? `（${c.request.documentNumber}）` : ''}`,
        `获取方式：${c.delivery.form}，${c.delivery.channel}`,
        `收件渠道：${CHANNEL_LABELS[c.receipt.channel]}；收到申请之日：${c.receivedOn}`,
        `状态：${stateZh(c, on)}`,
        '事件：',
        ...(c.events.length ? c.events.map((e) => `  ${eventZh(e)}`) : ['  （无）']),
        '期限说明：',
        ...due.explanation.map((x) => `  ${x}`),
      ];
      await out(`${lines.join('\n')}\n`);
    });

  common(program.command('overdue').description('逾期和即将到期的申请 / overdue and due-soon applications'))
    .option('--today <date>', '以该日为今天 YYYY-MM-DD / take this day as today')
    .option('--json', '输出 JSON / print JSON')
    .action(async (o: Common & { today?: string; json?: boolean }) => {
      const on = o.today ?? today();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(on))
        throw new InputError(`--today 的日期“${on}”应为 YYYY-MM-DD。`, `--today "${on}" must be YYYY-MM-DD.`);
      const cases = await listCases(await open(o), { open: true, agency: agency(o) });
      const rows = cases.map((c) => summary(c, on)).filter((s) => s.overdue || s.dueSoon || s.correctionLapsed || s.feeLapsed);
      if (o.json) {
        await out(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const lines = rows.map((s) => {
        const what = [
          s.overdue ? `已逾期（答复期限 ${s.replyDue}）` : '',
          s.dueSoon ? `即将到期（答复期限 ${s.replyDue}）` : '',
          s.correctionLapsed ? '补正期限已过，尚未登记逾期未补正' : '',
          s.feeLapsed ? '缴费期限已过，尚未登记逾期未缴费' : '',
        ].filter(Boolean);
        return `${s.id}\t${s.receivedOn}\t${s.applicant}\t${what.join('；')}`;
      });
      await out(
        `${lines.length ? `${lines.join('\n')}\n` : ''}截至 ${on}：逾期 ${rows.filter((s) => s.overdue).length} 件，即将到期 ${rows.filter((s) => s.dueSoon).length} 件。\n`,
      );
    });

  common(program.command('stats').description('表二、表三 / tables 2 and 3 of the annual report'))
    .requiredOption('--year <year>', '年度 / year')
    .option('--json', '输出 Report JSON（2021 格式） / print a 2021-format Report JSON')
    .option(
      '--base <file>',
      '取其中的发布机关、发布日期、正文各部分和表一（Report JSON） / a Report JSON giving the agency, date, sections and 表一',
    )
    .option('--agency <name>', '发布机关 / the publishing agency')
    .action(async (o: Common & { year: string; json?: boolean; base?: string; agency?: string }) => {
      const year = Number(o.year);
      if (!/^\d{4}$/.test(o.year) || !Number.isInteger(year)) {
        throw new InputError(`--year 应为四位年份（收到“${o.year}”）。`, `--year must be a four-digit year (got "${o.year}").`);
      }
      const opts: ReportOptions = {};
      if (o.base) {
        const base = (await readJson(o.base)) as Partial<Report>;
        if (!base || typeof base !== 'object' || Array.isArray(base)) {
          throw new InputError(`${o.base} 应为 Report JSON 对象。`, `${o.base} must be a Report JSON object.`);
        }
        if (base.format !== undefined && base.format !== '2021') {
          throw new InputError(
            `${o.base} 是 ${base.format} 年版格式，登记簿只生成 2021 年版。`,
            `${o.base} is in the ${base.format} format; the register produces the 2021 format only.`,
          );
        }
        opts.agency = base.agency ?? null;
        opts.publishedOn = base.publishedOn ?? null;
        if (base.sections) opts.sections = base.sections;
        if (base.proactive) opts.proactive = base.proactive as Proactive2021;
      }
      if (o.agency) opts.agency = o.agency;
      const report = reportForYear(await statsCases(await open(o), year, agency(o)), year, opts);
      await out(o.json ? `${JSON.stringify(report, null, 2)}\n` : `${statsText(report)}\n`);
    });

  common(program.command('export').description('导出全部申请 / export every case'))
    .option('--json', '每行一个申请（JSON Lines） / one case per line (JSON Lines)')
    .action(async (o: Common & { json?: boolean }) => {
      const cases = await allCases(await open(o), agency(o));
      await out(o.json ? cases.map((c) => `${JSON.stringify(c)}\n`).join('') : `${JSON.stringify(cases, null, 2)}\n`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      code = e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version' ? 0 : 2;
    } else if (e instanceof TransitionError) {
      process.stderr.write(`拒绝：${e.zh}\nRefused: ${e.en}\n`);
      code = 1;
    } else if (e instanceof InputError || e instanceof StoreError || e instanceof CalendarError) {
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
