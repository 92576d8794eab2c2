/**
 * `nianbao register ledger-export` and `nianbao register ledger-import`: the register's 台账 in and
 * out of a spreadsheet (src/register/ledger.ts, src/store/ledger.ts).
 *
 *   ledger-export [--to xlsx|csv] [--sheet cases|events] [--open|--closed] [--from D] [--to-date D]
 *                 [--type T] [--search TEXT] [-o FILE|-]
 *       XLSX: sheets 申请台账 and 事件; CSV: one of them (--sheet). Default file: 政府信息公开申请台账…
 *       in the current directory; `-o -` writes to stdout.
 *   ledger-import FILE [--events FILE] [--map FIELD=COLUMN …] [--commit] [--json]
 *       Without --commit a dry run: the mapping used and every row's status, its problems and
 *       warnings (Chinese, then English, on stderr); nothing is written. With --commit the new rows
 *       are imported in one transaction (rows in error are listed and left out). FIELD: a field key
 *       or its Chinese label (编号, 申请人, 收件日期 …); COLUMN: the column's header, its number from 1,
 *       its letters (A, B, …), or nothing (`--map note=`) for none.
 *
 * Exit status: 0 done; 1 rows with errors or conflicts (a dry run imports nothing; with --commit the
 * good rows are imported and the bad listed); 2 bad input (unreadable file, not a spreadsheet, no
 * header, a bad --map, a file over the limits, a database error).
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ApplicantType } from '../register/case.js';
import {
  LEDGER_FIELDS,
  LedgerError,
  type LedgerExportItem,
  type LedgerPlan,
  ledgerWorkbook,
  type MappingInput,
  parseApplicantType,
  planSummary,
  planView,
  writeLedger,
} from '../register/ledger.js';
import type { Db } from '../store/db.js';
import { importLedger, ledgerExportItems, planLedgerFile } from '../store/ledger.js';
import { fsReason, InputError, out } from './errors.js';
import { invalidValue } from './usage.js';

/** the common options of `nianbao register` (see src/cli/register.ts) */
export interface LedgerCommon {
  db?: string;
  user?: string;
  agencyId?: string;
}

/** what `nianbao register` hands over: its common options, its database, user, agency and today, and the exit status */
export interface LedgerCliContext {
  common: (c: Command) => Command;
  open: (o: LedgerCommon) => Promise<Db>;
  user: (o: LedgerCommon) => string;
  agency: (o: LedgerCommon) => string;
  today: () => string;
  /** sets the exit status of the run (1: rows with errors) */
  exit: (code: number) => void;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dateOption(name: string) {
  return (v: string) => (DATE.test(v) ? v : invalidValue(`${name} 应为 YYYY-MM-DD 格式的日期`, `${name} must be a YYYY-MM-DD date`));
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new InputError(`无法读取文件 ${file}：${fsReason(e).zh}。`, `cannot read ${file}: ${fsReason(e).en}.`);
  }
}

function inputError(e: unknown): unknown {
  return e instanceof LedgerError ? new InputError(e.zh, e.en) : e;
}

/** `--map 申请人=B --map note=` → { applicantName: 'B', note: null } */
function parseMaps(pairs: string[] | undefined): MappingInput | null {
  if (!pairs || pairs.length === 0) return null;
  const out: MappingInput = {};
  for (const p of pairs) {
    const at = p.indexOf('=');
    if (at <= 0) {
      throw new InputError(
        `--map 应写成“字段=列”（收到“${p}”），如 --map 申请人=B。`,
        `--map takes FIELD=COLUMN (got "${p}"), e.g. --map applicantName=B.`,
      );
    }
    const column = p.slice(at + 1).trim();
    out[p.slice(0, at).trim()] = column === '' || column === '-' ? null : column;
  }
  return out;
}

function letters(i: number): string {
  let s = '';
  let n = i + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const STATUS_ZH = { new: '新增', exists: '已存在（相同，跳过）', error: '有错误，未导入', conflict: '编号冲突，未导入' } as const;

function planText(plan: LedgerPlan, imported: number | null): string {
  const lines: string[] = [];
  lines.push(
    `文件 ${plan.fileName}：${plan.kind === 'xlsx' ? `工作表“${plan.sheet}”，` : ''}表头在第 ${plan.headerRows.join('、')} 行${plan.eventsSheet ? `；事件取自“${plan.eventsSheet}”` : ''}。`,
  );
  lines.push('列的对应（字段 ← 列）：');
  const unmapped: string[] = [];
  for (const f of LEDGER_FIELDS) {
    const col = plan.mapping[f.key];
    if (col === null) {
      unmapped.push(f.label);
      continue;
    }
    lines.push(`  ${f.label}（${f.key}） ← ${letters(col)} 列“${plan.columns[col]?.header ?? ''}”`);
  }
  if (unmapped.length > 0) lines.push(`  未对应：${unmapped.join('、')}`);
  const width = Math.max(...plan.rows.map((r) => r.caseId.length), 4);
  for (const r of plan.rows) lines.push(`第 ${r.row} 行\t${(r.caseId || '（无编号）').padEnd(width)}\t${STATUS_ZH[r.status]}`);
  const s = planSummary(plan);
  lines.push(
    `合计 ${s.rows} 行：新增 ${s.new}，已存在 ${s.exists}，有错误 ${s.errors}${s.conflicts ? `（其中编号冲突 ${s.conflicts}）` : ''}，跳过的空行和合计、说明行 ${s.skipped}。`,
  );
  lines.push(imported === null ? '试导入：未写入登记簿；确认无误后加 --commit 导入。' : `已导入 ${imported} 件申请。`);
  return `${lines.join('\n')}\n`;
}

function problemsText(plan: LedgerPlan): string {
  const lines: string[] = [];
  for (const w of plan.fileWarnings) lines.push(`警告：${w.zh}`, `Warning: ${w.en}`);
  for (const r of plan.rows) {
    const who = `第 ${r.row} 行${r.caseId ? `（${r.caseId}）` : ''}`;
    const whoEn = `Row ${r.row}${r.caseId ? ` (${r.caseId})` : ''}`;
    for (const p of r.problems)
      lines.push(`错误：${who}${p.column ? `“${p.column}”` : ''}：${p.zh}`, `Error: ${whoEn}${p.column ? ` [${p.column}]` : ''}: ${p.en}`);
    for (const w of r.warnings)
      lines.push(
        `警告：${who}${w.column ? `“${w.column}”` : ''}：${w.zh}`,
        `Warning: ${whoEn}${w.column ? ` [${w.column}]` : ''}: ${w.en}`,
      );
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** adds `ledger-export` and `ledger-import` to the `nianbao register` program */
export function ledgerCommands(register: Command, ctx: LedgerCliContext): void {
  ctx
    .common(register.command('ledger-export').description('导出台账（XLSX 或 CSV） / export the register as a spreadsheet'))
    .option('--to <format>', '格式：xlsx（缺省，两个工作表）或 csv（一个工作表） / xlsx (default) or csv', (v: string) =>
      v === 'xlsx' || v === 'csv' ? v : invalidValue('应为 xlsx 或 csv', 'it must be xlsx or csv'),
    )
    .option('--sheet <sheet>', 'CSV 导出哪个工作表：cases（申请，缺省）或 events（事件） / csv: cases (default) or events', (v: string) =>
      v === 'cases' || v === 'events' ? v : invalidValue('应为 cases 或 events', 'it must be cases or events'),
    )
    .option('--open', '只导出未办结的 / open cases only')
    .option('--closed', '只导出已办结的 / closed cases only')
    .option('--from <date>', '收到申请之日不早于 YYYY-MM-DD / received on or after', dateOption('--from'))
    .option('--to-date <date>', '收到申请之日不晚于 YYYY-MM-DD / received on or before', dateOption('--to-date'))
    .option('--type <type>', '申请人类型（自然人、商业企业… 或 naturalPerson…） / applicant type', (v: string) => {
      const t = parseApplicantType(v);
      return t ?? invalidValue('不是表二的六类申请人之一', 'it is not one of the six applicant types');
    })
    .option('--search <text>', '编号、申请人或申请内容包含 / id, applicant or description contains')
    .option('-o, --output <file>', '输出文件（- 为标准输出；缺省在当前目录） / output file (- for stdout)')
    .action(
      async (
        o: LedgerCommon & {
          to?: 'xlsx' | 'csv';
          sheet?: 'cases' | 'events';
          open?: boolean;
          closed?: boolean;
          from?: string;
          toDate?: string;
          type?: ApplicantType;
          search?: string;
          output?: string;
        },
      ) => {
        if (o.open && o.closed) throw new InputError('--open 和 --closed 只能选一个。', '--open and --closed cannot be used together.');
        const today = ctx.today();
        const d = await ctx.open(o);
        const { items, unreadable } = await ledgerExportItems(
          d,
          ctx.agency(o),
          {
            status: o.open ? 'open' : o.closed ? 'closed' : undefined,
            applicantType: o.type,
            receivedFrom: o.from,
            receivedTo: o.toDate,
            q: o.search,
          },
          today,
        );
        for (const e of unreadable)
          process.stderr.write(`警告：未导出 ${e.id}：${e.problem?.zh}\nWarning: ${e.id} is not exported: ${e.problem?.en}\n`);
        const format = o.to ?? 'xlsx';
        const sheet = o.sheet ?? 'cases';
        const bytes = await writeLedger(ledgerWorkbook(items as LedgerExportItem[], { date: today }), format, sheet);
        if (o.output === '-') {
          await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (e) => (e ? reject(e) : resolve())));
          return;
        }
        const file =
          o.output ?? `政府信息公开申请台账${format === 'csv' ? (sheet === 'events' ? '（事件）' : '（申请）') : ''}${today}.${format}`;
        try {
          await writeFile(file, bytes);
        } catch (e) {
          throw new InputError(`无法写入 ${file}：${fsReason(e).zh}。`, `cannot write ${file}: ${fsReason(e).en}.`);
        }
        const events = items.reduce((n, it) => n + it.case.events.length, 0);
        await out(`已导出 ${items.length} 件申请${format === 'xlsx' || sheet === 'events' ? `、${events} 个事件` : ''}到 ${file}。\n`);
      },
    );

  ctx
    .common(
      register.command('ledger-import').description('导入台账（XLSX 或 CSV；缺省为试导入） / import a 台账 (a dry run unless --commit)'),
    )
    .argument('<file>', '台账文件（.xlsx 或 .csv） / the 台账 (.xlsx or .csv)')
    .option('--events <file>', '事件表（导出的“事件”工作表存为 CSV） / the 事件 sheet as a separate CSV')
    .option(
      '--map <field=column>',
      '字段对应的列（可重复）：字段名或中文名=列名、列号（从 1 起）或列字母 / FIELD=COLUMN (repeatable)',
      collect,
    )
    .option('--commit', '导入（缺省只试导入，不写入） / import (default: a dry run)')
    .option('--json', '输出 JSON（与 POST /api/cases/import 相同） / print JSON')
    .action(async (file: string, o: LedgerCommon & { events?: string; map?: string[]; commit?: boolean; json?: boolean }) => {
      const mapping = parseMaps(o.map);
      const bytes = await readBytes(file);
      const events = o.events ? { bytes: await readBytes(o.events), name: o.events } : null;
      const today = ctx.today();
      const d = await ctx.open(o);
      let plan: LedgerPlan;
      try {
        plan = await planLedgerFile(d, bytes, file, mapping, { agency: ctx.agency(o), user: ctx.user(o), today, events });
      } catch (e) {
        throw inputError(e);
      }
      let imported: number | null = null;
      if (o.commit) {
        const done = await importLedger(d, plan, { agency: ctx.agency(o), user: ctx.user(o) });
        plan = done.plan;
        imported = done.imported;
      }
      process.stderr.write(problemsText(plan));
      await out(o.json ? `${JSON.stringify(planView(plan, imported), null, 2)}\n` : planText(plan, imported));
      if (plan.rows.some((r) => r.status === 'error' || r.status === 'conflict')) ctx.exit(1);
    });
}
