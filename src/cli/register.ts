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
 *   void CASE_ID SEQ --reason TEXT       作废登记错的事件 (kept, marked void, the case recomputed without it)
 *   amend CASE_ID --file CHANGES.json --reason TEXT
 *                                        更正申请信息 (the fields given replace the old ones, which are kept)
 *   ledger-export [--to xlsx|csv] [--sheet cases|events] [filters] [-o FILE]
 *                                        导出台账 (one row per case, a second sheet of events; src/cli/ledger.ts)
 *   ledger-import FILE [--map 字段=列 …] [--commit]
 *                                        导入台账 (a dry run listing every row's problems; --commit imports the good rows)
 *   notices CASE_ID | notice CASE_ID [--kind K] [--to docx|pdf|text] | notice-settings | notice-template K
 *                                        文书 (the notices of each step: src/cli/notices.ts, docs/notices.md)
 *
 * Dates after today (China Standard Time; NIANBAO_TZ, or NIANBAO_TODAY to fix the date) are refused.
 * Due dates that run over a year without an entered holiday notice are provisional and marked 暂定
 * (`nianbao holidays`). Listing, overdue, statistics and export never fail for the whole register
 * because of one odd case: that case is shown with its problem.
 *
 * Common options: --db FILE|URL (default: NIANBAO_DB, else nianbao.db in the cwd; a postgres:// URL uses
 * PostgreSQL), --user NAME (default: $USER), --agency-id ID (whose register: the web app's agency id;
 * default NIANBAO_AGENCY, else the unnamed register '').
 *
 * Exit status: 0 done (also when the step was stored but its due dates could not be shown: a
 * warning says why); 1 the register refused the change (a TransitionError: an illegal transition or
 * an invalid application — nothing was written); 2 bad input (unreadable file, bad JSON, unknown
 * case, bad option, a date before 2019 or after 2100, a database error).
 * Messages go to stderr in Chinese and English.
 */
import { readFile } from 'node:fs/promises';
import { type Command, CommanderError } from 'commander';
import { APPLICANT_COLUMNS, applicationRows, REVIEW_COLUMNS, REVIEW_GROUPS } from '../model/format.js';
import type { Proactive2021, Report } from '../model/report.js';
import { CalendarError, type WorkingCalendar } from '../register/calendar.js';
import {
  type Case,
  type CaseAmendment,
  type CaseEvent,
  CHANNEL_LABELS,
  describeChange,
  EVENT_ZH,
  type NewCase,
  OUTCOME_ZH,
  TransitionError,
} from '../register/case.js';
import { registerToday } from '../register/clock.js';
import { NoticeError } from '../register/notices.js';
import { type ReportOptions, reportForYear } from '../register/stats.js';
import { type CaseView, safeCaseView } from '../register/view.js';
import { type Db, openDb, StoreError } from '../store/db.js';
import { calendarFor } from '../store/holidays.js';
import { listNotices } from '../store/notices.js';
import {
  addCase,
  addEvent,
  amendCaseFields,
  auditTrail,
  eventsOf,
  listEntries,
  requireCase,
  statsInput,
  voidCaseEvent,
} from '../store/register.js';
import { fsReason, InputError, out } from './errors.js';
import { ledgerCommands } from './ledger.js';
import { noticeCommands } from './notices.js';
import { cliProgram, exitStatusOf } from './usage.js';

function today(): string {
  try {
    return registerToday();
  } catch (e) {
    const [zh, en] = (e as Error).message.split(' / ');
    throw new InputError(zh, en ?? zh);
  }
}

/** a date with 暂定 when it is provisional */
function dated(date: string | null, provisional: boolean | undefined): string {
  return date === null ? '（暂停计算）' : `${date}${provisional ? '（暂定）' : ''}`;
}

async function readJson(file: string | undefined): Promise<unknown> {
  if (!file) throw new InputError('须用 --file 指定 JSON 文件。', 'a JSON file is required (--file).');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`无法读取文件 ${file}：${fsReason(e).zh}。`, `cannot read ${file}: ${fsReason(e).en}.`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InputError(`文件 ${file} 不是有效的 JSON：${(e as Error).message}`, `${file} is not valid JSON: ${(e as Error).message}`);
  }
}

const TYPE_ZH: Record<string, string> = Object.fromEntries(APPLICANT_COLUMNS.map((c) => [c.key, c.label]));

function stateZh(c: Case, v: CaseView): string {
  if (c.state.closed) return `已办结（${c.state.closed.on}，${OUTCOME_ZH[c.state.closed.outcome] ?? c.state.closed.outcome}）`;
  const s = v.status;
  if (v.problem) return `办理中（期限无法计算：${v.problem.zh}）`;
  if (s.suspended === 'correction') return '待补正';
  if (s.suspended) return '期限暂停';
  const due = dated(s.replyDue, s.replyDueProvisional);
  if (s.overdue) return `已逾期（答复期限 ${due}）`;
  if (s.dueSoon) return `即将到期（答复期限 ${due}）`;
  return `办理中（答复期限 ${due}）`;
}

function caseLine(c: Case, v: CaseView): string {
  return `${c.id}\t${c.receivedOn}\t${TYPE_ZH[c.applicantType] ?? c.applicantType}\t${c.applicant.name}\t${stateZh(c, v)}`;
}

function summary(c: Case, v: CaseView) {
  return {
    id: c.id,
    applicant: c.applicant.name,
    applicantType: c.applicantType,
    receivedOn: c.receivedOn,
    ...v.status,
    ...(v.problem ? { problem: v.problem } : {}),
  };
}

function eventZh(e: CaseEvent, seq?: number): string {
  const extra: string[] = [];
  if (e.type === 'reply') extra.push(OUTCOME_ZH[e.outcome] ?? e.outcome);
  if (e.type === 'extension') extra.push(`${e.days} 个工作日，批准人 ${e.approver}`);
  if (e.type === 'correctionNotice') extra.push(`补正期限 ${e.deadline}`);
  if (e.type === 'consultationStarted') extra.push(e.consulted);
  const line = `${seq !== undefined ? `#${seq}  ` : ''}${e.on}  ${EVENT_ZH[e.type] ?? e.type}${extra.length ? `（${extra.join('；')}）` : ''}  登记人 ${e.by}`;
  return e.voided ? `${line}  〔已作废：${e.voided.by} 于 ${e.voided.at.slice(0, 10)}，理由：${e.voided.reason}〕` : line;
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
  const program = cliProgram('nianbao register').description('依申请公开登记簿 / the register of disclosure applications');
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

  /** status and due dates of a case after the step (never an error: a stored step stays stored) */
  const viewOf = async (d: Db, c: Case, o: Common): Promise<CaseView> => {
    let calendar: WorkingCalendar | undefined;
    try {
      calendar = await calendarFor(d, agency(o));
    } catch {
      // the shipped calendar then
    }
    return safeCaseView(c, today(), calendar ? { calendar } : {});
  };
  const warnProblem = (v: CaseView) => {
    if (v.problem)
      process.stderr.write(
        `警告：已保存，但期限暂时无法计算：${v.problem.zh}\nWarning: saved, but the due dates cannot be computed: ${v.problem.en}\n`,
      );
  };

  common(program.command('add').description('登记新申请 / register a new application'))
    .requiredOption('--file <file>', '申请 JSON 文件（NewCase） / a NewCase JSON file')
    .option('--json', '输出 JSON / print the case as JSON')
    .action(async (o: Common & { file: string; json?: boolean }) => {
      const input = (await readJson(o.file)) as NewCase;
      if (!input || typeof input !== 'object' || Array.isArray(input)) {
        throw new InputError('申请 JSON 应为一个对象。', 'the case JSON must be an object.');
      }
      const on = today();
      const d = await open(o);
      const c = await addCase(d, input, user(o), agency(o), { today: on });
      const v = await viewOf(d, c, o);
      warnProblem(v);
      await out(
        o.json
          ? `${JSON.stringify(c, null, 2)}\n`
          : `已登记申请 ${c.id}，收到申请之日 ${c.receivedOn}${v.due ? `，答复期限 ${dated(v.due.replyDue, v.due.provisional.replyDue)}` : ''}。\n`,
      );
    });

  common(program.command('event').description('登记事件 / record an event'))
    .argument('<caseId>', '申请编号 / the case id')
    .requiredOption('--file <file>', 'CaseEvent JSON（或数组） / a CaseEvent JSON or an array of them')
    .option('--json', '输出 JSON / print the case as JSON')
    .action(async (caseId: string, o: Common & { file: string; json?: boolean }) => {
      const data = await readJson(o.file);
      const events = (Array.isArray(data) ? data : [data]) as CaseEvent[];
      if (events.some((e) => !e || typeof e !== 'object' || Array.isArray(e))) {
        throw new InputError('事件 JSON 应为对象或对象数组。', 'the event JSON must be an object or an array of objects.');
      }
      const on = today();
      const d = await open(o);
      await requireCase(d, caseId, agency(o));
      let c: Case | undefined;
      for (const e of events) {
        c = await addEvent(d, caseId, e, user(o), { today: on }, agency(o));
        if (!o.json) await out(`已登记 ${caseId}：${eventZh(c.events[c.events.length - 1])}\n`);
      }
      if (!c) return;
      const v = await viewOf(d, c, o);
      warnProblem(v);
      if (o.json) await out(`${JSON.stringify(c, null, 2)}\n`);
      else await out(`当前状态：${stateZh(c, v)}\n`);
    });

  common(program.command('void').description('作废登记错的事件 / void a mistaken event'))
    .argument('<caseId>', '申请编号 / the case id')
    .argument('<seq>', '事件序号（register show 中的 #N） / the event number (#N in register show)')
    .requiredOption('--reason <text>', '作废理由 / why')
    .option('--json', '输出 JSON / print the case as JSON')
    .action(async (caseId: string, seqText: string, o: Common & { reason: string; json?: boolean }) => {
      const seq = Number(seqText);
      if (!/^\d+$/.test(seqText) || seq < 1) {
        throw new InputError(`事件序号“${seqText}”应为正整数。`, `The event number "${seqText}" must be a positive integer.`);
      }
      const d = await open(o);
      const c = await voidCaseEvent(d, caseId, seq, o.reason, user(o), { today: today() }, agency(o));
      const v = await viewOf(d, c, o);
      warnProblem(v);
      if (o.json) await out(`${JSON.stringify(c, null, 2)}\n`);
      else await out(`已作废 ${caseId} 的事件 #${seq}：${eventZh(c.events[seq - 1])}\n当前状态：${stateZh(c, v)}\n`);
    });

  common(program.command('amend').description('更正申请信息 / correct the fields of an application'))
    .argument('<caseId>', '申请编号 / the case id')
    .requiredOption('--file <file>', '要更正的字段（JSON，只列出改动的） / the fields to correct (JSON)')
    .requiredOption('--reason <text>', '更正理由 / why')
    .option('--json', '输出 JSON / print the case as JSON')
    .action(async (caseId: string, o: Common & { file: string; reason: string; json?: boolean }) => {
      const changes = (await readJson(o.file)) as CaseAmendment;
      if (!changes || typeof changes !== 'object' || Array.isArray(changes)) {
        throw new InputError('更正内容应为一个 JSON 对象。', 'the changes must be a JSON object.');
      }
      const d = await open(o);
      const c = await amendCaseFields(d, caseId, changes, o.reason, user(o), { today: today() }, agency(o));
      const v = await viewOf(d, c, o);
      warnProblem(v);
      const rev = c.revisions?.[c.revisions.length - 1];
      if (o.json) await out(`${JSON.stringify(c, null, 2)}\n`);
      else {
        const lines = (rev?.changes ?? []).map((ch) => `  ${ch.label}：${ch.from ?? '（无）'} → ${ch.to ?? '（无）'}`);
        await out(`已更正 ${caseId}：\n${lines.join('\n')}\n当前状态：${stateZh(c, v)}\n`);
      }
    });

  common(program.command('list').description('列出申请 / list applications'))
    .option('--open', '只列未办结的 / open cases only')
    .option('--json', '输出 JSON / print JSON')
    .action(async (o: Common & { open?: boolean; json?: boolean }) => {
      const d = await open(o);
      const entries = await listEntries(d, o.open ? { open: true, agency: agency(o) } : { agency: agency(o) });
      const on = today();
      const calendar = await calendarFor(d, agency(o));
      const rows = entries.map((e) => {
        if (!e.case)
          return {
            json: { id: e.id, receivedOn: e.receivedOn, problem: e.problem },
            text: `${e.id}\t${e.receivedOn}\t（无法读取：${e.problem?.zh}）`,
          };
        const v = safeCaseView(e.case, on, { calendar });
        return { json: summary(e.case, v), text: caseLine(e.case, v) };
      });
      if (o.json)
        await out(
          `${JSON.stringify(
            rows.map((r) => r.json),
            null,
            2,
          )}\n`,
        );
      else await out(`${rows.length ? `${rows.map((r) => r.text).join('\n')}\n` : ''}共 ${rows.length} 件。\n`);
    });

  common(program.command('show').description('查看申请 / show an application'))
    .argument('<caseId>', '申请编号 / the case id')
    .option('--json', '输出 JSON / print JSON')
    .action(async (caseId: string, o: Common & { json?: boolean }) => {
      const d = await open(o);
      const c = await requireCase(d, caseId, agency(o));
      const v = await viewOf(d, c, o);
      if (o.json) {
        const audit = (await auditTrail(d, caseId, agency(o))).map(({ before: _b, after: _a, ...rest }) => rest);
        await out(
          `${JSON.stringify({ case: c, status: v.status, dueDates: v.due, problem: v.problem, events: await eventsOf(d, caseId, agency(o)), audit }, null, 2)}\n`,
        );
        return;
      }
      const lines = [
        `申请编号：${c.id}`,
        `申请人：${c.applicant.name}（${TYPE_ZH[c.applicantType] ?? c.applicantType}；${c.applicant.identity.type} ${c.applicant.identity.number}）`,
        `所需信息：${c.request.description}${c.request.documentNumber ? `（${c.request.documentNumber}）` : ''}`,
        `获取方式：${c.delivery.form}，${c.delivery.channel}`,
        `收件渠道：${CHANNEL_LABELS[c.receipt.channel]}；收到申请之日：${c.receivedOn}`,
        `状态：${stateZh(c, v)}`,
        '事件：',
        ...(c.events.length ? c.events.map((e, i) => `  ${eventZh(e, i + 1)}`) : ['  （无）']),
      ];
      for (const w of c.state.warnings ?? []) lines.push(`  注意：#${w.seq} ${w.zh}`);
      const notices = await listNotices(d, caseId, agency(o)).catch(() => []);
      if (notices.length > 0) {
        lines.push('已发文书：');
        for (const n of notices) {
          lines.push(
            `  ${n.issuedOn}  ${n.number}  ${n.label}（第${n.seq}步）${n.supersededBy !== null ? '  〔已重新发文，被取代〕' : ''}`,
          );
        }
      }
      if (c.revisions?.length) {
        lines.push('更正记录：');
        for (const r of c.revisions) {
          const what = r.kind === 'void' ? `作废事件 #${r.seq}` : r.kind === 'amend' ? '更正申请信息' : '重新计算期限';
          lines.push(`  ${r.at.slice(0, 10)} ${r.by} ${what}（${r.reason}）`);
          for (const ch of r.changes) {
            if (r.kind === 'calendar') lines.push(`    ${describeChange(ch)}`);
            else if (r.kind === 'amend') lines.push(`    ${ch.label}：${ch.from ?? '（无）'} → ${ch.to ?? '（无）'}`);
          }
        }
      }
      lines.push('期限说明：', ...(v.due ? v.due.explanation.map((x) => `  ${x}`) : [`  期限暂时无法计算：${v.problem?.zh ?? ''}`]));
      await out(`${lines.join('\n')}\n`);
    });

  common(program.command('overdue').description('逾期和即将到期的申请 / overdue and due-soon applications'))
    .option('--today <date>', '以该日为今天 YYYY-MM-DD / take this day as today')
    .option('--json', '输出 JSON / print JSON')
    .action(async (o: Common & { today?: string; json?: boolean }) => {
      const on = o.today ?? today();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(on))
        throw new InputError(`--today 的日期“${on}”应为 YYYY-MM-DD。`, `--today "${on}" must be YYYY-MM-DD.`);
      const d = await open(o);
      const entries = await listEntries(d, { open: true, agency: agency(o) });
      const calendar = await calendarFor(d, agency(o));
      const rows: ReturnType<typeof summary>[] = [];
      const odd: { id: string; receivedOn: string; problem: { zh: string; en: string } }[] = [];
      for (const e of entries) {
        if (!e.case) {
          if (e.problem) odd.push({ id: e.id, receivedOn: e.receivedOn, problem: e.problem });
          continue;
        }
        const v = safeCaseView(e.case, on, { calendar });
        if (v.problem) odd.push({ id: e.id, receivedOn: e.receivedOn, problem: v.problem });
        const s = summary(e.case, v);
        if (s.overdue || s.dueSoon || s.correctionLapsed || s.feeLapsed) rows.push(s);
      }
      if (o.json) {
        await out(`${JSON.stringify(odd.length ? [...rows, ...odd] : rows, null, 2)}\n`);
        return;
      }
      const lines = rows.map((s) => {
        const due = dated(s.replyDue, s.replyDueProvisional);
        const what = [
          s.overdue ? `已逾期（答复期限 ${due}）` : '',
          s.dueSoon ? `即将到期（答复期限 ${due}）` : '',
          s.correctionLapsed ? '补正期限已过，尚未登记逾期未补正' : '',
          s.feeLapsed ? '缴费期限已过，尚未登记逾期未缴费' : '',
        ].filter(Boolean);
        return `${s.id}\t${s.receivedOn}\t${s.applicant}\t${what.join('；')}`;
      });
      for (const x of odd) lines.push(`${x.id}\t${x.receivedOn}\t（期限无法计算，请人工核对：${x.problem.zh}）`);
      await out(
        `${lines.length ? `${lines.join('\n')}\n` : ''}截至 ${on}：逾期 ${rows.filter((s) => s.overdue).length} 件，即将到期 ${rows.filter((s) => s.dueSoon).length} 件${odd.length ? `，无法计算期限 ${odd.length} 件` : ''}。\n`,
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
      const { cases, problems } = await statsInput(await open(o), year, agency(o));
      for (const p of problems) process.stderr.write(`警告：${p.zh}\nWarning: ${p.en}\n`);
      const report = reportForYear(cases, year, opts);
      await out(o.json ? `${JSON.stringify(report, null, 2)}\n` : `${statsText(report)}\n`);
    });

  common(program.command('export').description('导出全部申请 / export every case'))
    .option('--json', '每行一个申请（JSON Lines） / one case per line (JSON Lines)')
    .action(async (o: Common & { json?: boolean }) => {
      const entries = await listEntries(await open(o), { agency: agency(o) });
      const items = entries.map((e) => e.case ?? { id: e.id, receivedOn: e.receivedOn, problem: e.problem });
      for (const e of entries) if (!e.case) process.stderr.write(`警告：${e.problem?.zh}\nWarning: ${e.problem?.en}\n`);
      await out(o.json ? items.map((c) => `${JSON.stringify(c)}\n`).join('') : `${JSON.stringify(items, null, 2)}\n`);
    });

  ledgerCommands(program, {
    common,
    open,
    user,
    agency,
    today,
    exit: (c) => {
      code = c;
    },
  });
  noticeCommands(program, {
    common,
    open,
    user,
    agency,
    readJson,
    today,
    exit: (c) => {
      code = c;
    },
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      code = exitStatusOf(e);
    } else if (e instanceof TransitionError) {
      process.stderr.write(`拒绝：${e.zh}\nRefused: ${e.en}\n`);
      code = 1;
    } else if (e instanceof InputError || e instanceof StoreError || e instanceof CalendarError || e instanceof NoticeError) {
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
