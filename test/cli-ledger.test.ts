/**
 * `nianbao register ledger-export` and `nianbao register ledger-import` (src/cli/ledger.ts), run in
 * this process: through `runRegister` once src/cli/register.ts adds the commands, until then through
 * the same wiring (common options, database, exit statuses) built here.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Command, CommanderError } from 'commander';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InputError } from '../src/cli/errors.js';
import { type LedgerCommon, ledgerCommands } from '../src/cli/ledger.js';
import { cliProgram, exitStatusOf } from '../src/cli/usage.js';
import { CalendarError } from '../src/register/calendar.js';
import { baseOf, TransitionError } from '../src/register/case.js';
import { registerToday } from '../src/register/clock.js';
import { LEDGER_LIMITS } from '../src/register/ledger.js';
import { type Db, openDb, StoreError } from '../src/store/db.js';
import { addCase, addEvent, listCases } from '../src/store/register.js';
import { generate } from './helpers/register-gen.js';

const WIRED = readFileSync(new URL('../src/cli/register.ts', import.meta.url), 'utf8').includes('ledgerCommands(');

/** `nianbao register` with only the ledger commands, wired as src/cli/register.ts wires its own */
async function standalone(argv: string[]): Promise<number> {
  let code = 0;
  const program = cliProgram('nianbao register');
  const common = (c: Command) => c.option('--db <file>', 'db').option('--user <name>', 'user').option('--agency-id <id>', 'agency');
  let db: Db | undefined;
  ledgerCommands(program, {
    common,
    open: async (o: LedgerCommon) => {
      db = await openDb(o.db);
      return db;
    },
    user: (o) => o.user || 'unknown',
    agency: (o) => o.agencyId ?? '',
    today: () => registerToday(),
    exit: (c) => {
      code = c;
    },
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) code = exitStatusOf(e);
    else if (e instanceof TransitionError) {
      process.stderr.write(`拒绝：${e.zh}\nRefused: ${e.en}\n`);
      code = 1;
    } else if (e instanceof InputError || e instanceof StoreError || e instanceof CalendarError) {
      process.stderr.write(`错误：${e.zh}\nError: ${e.en}\n`);
      code = 2;
    } else {
      process.stderr.write(`错误：${String(e)}\n`);
      code = 2;
    }
  } finally {
    await db?.destroy();
  }
  return code;
}

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string; bytes: Uint8Array }> {
  const out: Uint8Array[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    out.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk));
    const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stdout.write);
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array) => {
    err.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
    return true;
  }) as typeof process.stderr.write);
  try {
    const code = WIRED ? await (await import('../src/cli/register.js')).runRegister(argv) : await standalone(argv);
    const bytes = Buffer.concat(out);
    return { code, stdout: new TextDecoder().decode(bytes), stderr: err.join(''), bytes: new Uint8Array(bytes) };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

let dir: string;
let source: string;
const TODAY = '2027-06-30';
const prev = process.env.NIANBAO_TODAY;

beforeAll(async () => {
  process.env.NIANBAO_TODAY = TODAY;
  dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-ledger-'));
  source = join(dir, 'source.db');
  const db = await openDb(source);
  for (const c of generate(9, 15)) {
    await addCase(db, baseOf(c), 'tester');
    for (const e of c.events) await addEvent(db, c.id, e, 'tester');
  }
  await db.destroy();
});
afterAll(() => {
  if (prev === undefined) delete process.env.NIANBAO_TODAY;
  else process.env.NIANBAO_TODAY = prev;
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

async function registerOf(file: string) {
  const db = await openDb(file);
  try {
    return (await listCases(db)).map((c) => ({ base: baseOf(c), events: c.events }));
  } finally {
    await db.destroy();
  }
}

describe('nianbao register ledger-export', () => {
  it('writes the XLSX with both sheets to a file, and a CSV sheet to stdout with -o -', async () => {
    const file = join(dir, 'out.xlsx');
    let r = await run('ledger-export', '--db', source, '-o', file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^已导出 15 件申请、\d+ 个事件到 .*out\.xlsx。/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['申请台账', '事件']);
    expect(wb.worksheets[0].rowCount).toBe(16);

    r = await run('ledger-export', '--db', source, '--to', 'csv', '--sheet', 'events', '--open', '-o', '-');
    expect(r.code).toBe(0);
    expect([...r.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(r.stdout.split('\r\n')[0]).toBe(
      '编号,序号,日期,事件,补正期限,补正内容,征求对象类型,征求对象,征求结果,延期工作日,批准人,已告知申请人,延期理由,收费方式,页数,本月已申请件数,计费件数,答复结果,答复理由,复议诉讼编号,复议诉讼类型,复议诉讼结果,决定,正当理由,撤回理由,备注,登记人,作废时间,作废人,作废原因',
    );
  });

  it('a default file name in Chinese in the current directory; bad options are usage errors (2)', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await run('ledger-export', '--db', source, '--to', 'csv', '--from', '2024-01-01', '--to-date', '2024-12-31');
      expect(r.code).toBe(0);
      expect(existsSync(join(dir, `政府信息公开申请台账（申请）${TODAY}.csv`))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
    expect((await run('ledger-export', '--db', source, '--to', 'pdf')).code).toBe(2);
    expect((await run('ledger-export', '--db', source, '--from', '2024/1/1')).code).toBe(2);
    const both = await run('ledger-export', '--db', source, '--open', '--closed', '-o', '-');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--open 和 --closed 只能选一个');
  });
});

describe('nianbao register ledger-import', () => {
  it('a dry run prints the mapping and every row and writes nothing; --commit imports; again adds nothing', async () => {
    const file = join(dir, 'round.xlsx');
    expect((await run('ledger-export', '--db', source, '-o', file)).code).toBe(0);
    const target = join(dir, 'target.db');
    let r = await run('ledger-import', file, '--db', target, '--user', '王五');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('工作表“申请台账”，表头在第 1 行；事件取自“事件”');
    expect(r.stdout).toContain('申请人（applicantName） ← B 列“申请人”');
    expect(r.stdout).toContain('合计 15 行：新增 15，已存在 0，有错误 0');
    expect(r.stdout).toContain('试导入：未写入登记簿');
    expect(await registerOf(target)).toEqual([]);

    r = await run('ledger-import', file, '--db', target, '--user', '王五', '--commit');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已导入 15 件申请。');
    expect(await registerOf(target)).toEqual(await registerOf(source));

    r = await run('ledger-import', file, '--db', target, '--commit', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.imported).toBe(0);
    expect(json.summary).toMatchObject({ rows: 15, new: 0, exists: 15, errors: 0 });
  });

  it('rows with errors: listed in Chinese then English on stderr, exit 1; --commit imports the good rows', async () => {
    const csv = join(dir, 'office.csv');
    writeFileSync(
      csv,
      '\uFEFF申请人,申请人类型,申请内容,申请日期,答复日期,答复结果,经办人\r\n张三,个人,某信息,2025-03-05,2025-03-20,公开,李科员\r\n李四,火星人,某信息,2025-03-06,,,李科员\r\n王五,个人,某信息,25/3/7,,,李科员\r\n',
    );
    const target = join(dir, 'office.db');
    let r = await run('ledger-import', csv, '--db', target);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('错误：第 3 行“申请人类型”：申请人类型“火星人”无法识别');
    expect(r.stderr).toContain('Error: Row 3 [申请人类型]: The applicant type "火星人" is not understood');
    const zh = r.stderr.indexOf('错误：第 4 行');
    expect(zh).toBeGreaterThan(-1);
    expect(r.stderr.indexOf('Error: Row 4')).toBeGreaterThan(zh);
    expect(r.stderr).toContain('警告：第 2 行');
    expect(r.stdout).toContain('登记人（registeredBy） ← G 列“经办人”');
    expect(await registerOf(target)).toEqual([]);

    r = await run('ledger-import', csv, '--db', target, '--commit', '--map', '登记人=', '--map', 'note=G', '--user', '赵六');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('已导入 1 件申请。');
    const [c] = await registerOf(target);
    expect(c.base).toMatchObject({ applicant: { name: '张三' }, registeredBy: '赵六' });
    expect(c.events).toEqual([{ type: 'reply', on: '2025-03-20', by: '赵六', outcome: 'granted', note: '李科员' }]);
  });

  it('bad input is exit 2: a missing file, not a spreadsheet, a bad --map', async () => {
    let r = await run('ledger-import', join(dir, 'nope.xlsx'), '--db', join(dir, 'x.db'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误：无法读取文件 .*\nError: cannot read /);
    const pdf = join(dir, 'a.pdf');
    writeFileSync(pdf, '%PDF-1.7\n%%EOF\n');
    r = await run('ledger-import', pdf, '--db', join(dir, 'x.db'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('不是可读取的电子表格');
    const csv = join(dir, 'ok.csv');
    writeFileSync(csv, '申请人,申请内容,收件日期\r\n张三,某信息,2025-03-05\r\n');
    r = await run('ledger-import', csv, '--db', join(dir, 'x.db'), '--map', 'nosuch=A');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('字段“nosuch”不存在');
    r = await run('ledger-import', csv, '--db', join(dir, 'x.db'), '--map', 'applicantName');
    expect(r.code).toBe(2);
    r = await run('ledger-import', csv, '--db', join(dir, 'x.db'), '--map', 'applicantName=Q');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('不存在');
    const big = join(dir, 'big.csv');
    writeFileSync(big, Buffer.alloc(LEDGER_LIMITS.bytes + 1, 0x20));
    r = await run('ledger-import', big, '--db', join(dir, 'x.db'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('超过 20 MB 的上限');
  });
});
