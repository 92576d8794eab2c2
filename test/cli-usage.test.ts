/**
 * Usage errors and --help of every command in Chinese and English (src/cli/usage.ts): commander's
 * own English messages never reach the user; a usage error is one Chinese and one English sentence
 * naming the command and its --help, with exit status 2. Run in-process through `main(argv)`, and
 * once through bin/nianbao.js for the exit status of the process.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { positiveInteger } from '../src/cli/usage.js';
import { type CliResult, nianbao, nianbaoProcess } from './helpers/cli.js';
import { SEEDS } from './helpers/paths.js';

type Run = CliResult;
/** `nianbao …` in this process (main(argv), its output captured) */
const run = nianbao;

const dir = mkdtempSync(join(tmpdir(), 'nianbao-usage-'));
// a register that no usage error may create
process.env.NIANBAO_DB = join(dir, 'never.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** the contract of a usage error: exit 2, nothing on stdout, a Chinese and an English sentence naming the command */
function expectUsageError(r: Run, where: string, zh: string, en: string): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  const [first, second] = lines.slice(-2);
  expect(first).toBe(`错误：${zh}（${where}）。运行 ${where} --help 查看用法。`);
  expect(second).toBe(`Error: ${en} (${where}); see ${where} --help.`);
  // commander's own English never comes through
  expect(r.stderr).not.toMatch(/^error: /m);
}

describe('usage errors: one Chinese and one English sentence, exit 2', () => {
  it.each([
    // unknown option
    [['parse', '--x', 'a.txt'], 'nianbao parse', '未知选项 --x', 'unknown option --x'],
    [['check', '--bogus', 'a.txt'], 'nianbao check', '未知选项 --bogus', 'unknown option --bogus'],
    [['render', 'a.json', '--bogus', 'pdf'], 'nianbao render', '未知选项 --bogus', 'unknown option --bogus'],
    [['deadline', '--received', '2025-01-02', '--bogus'], 'nianbao deadline', '未知选项 --bogus', 'unknown option --bogus'],
    [['serve', '--bogus'], 'nianbao serve', '未知选项 --bogus', 'unknown option --bogus'],
    [['--bogus'], 'nianbao', '未知选项 --bogus', 'unknown option --bogus'],
    [['register', 'list', '--bogus'], 'nianbao register list', '未知选项 --bogus', 'unknown option --bogus'],
    [['register', '--bogus'], 'nianbao register', '未知选项 --bogus', 'unknown option --bogus'],
    [['holidays', 'list', '--bogus'], 'nianbao holidays list', '未知选项 --bogus', 'unknown option --bogus'],
    // missing argument
    [['parse'], 'nianbao parse', '缺少参数 <inputs>', 'missing argument <inputs>'],
    [['check', '--json'], 'nianbao check', '缺少参数 <inputs>', 'missing argument <inputs>'],
    [['render', '--to', 'pdf'], 'nianbao render', '缺少参数 <report>', 'missing argument <report>'],
    [['register', 'event', '--file', 'e.json'], 'nianbao register event', '缺少参数 <caseId>', 'missing argument <caseId>'],
    [['register', 'void', '2025-001', '--reason', 'x'], 'nianbao register void', '缺少参数 <seq>', 'missing argument <seq>'],
    [['holidays', 'import'], 'nianbao holidays import', '缺少参数 <file>', 'missing argument <file>'],
    // an option without its value
    [['check', 'a.txt', '--format'], 'nianbao check', '选项 --format 后面缺少值 <format>', 'option --format needs a value <format>'],
    [['render', 'a.json', '-o'], 'nianbao render', '选项 --output 后面缺少值 <file>', 'option --output needs a value <file>'],
    [['deadline', '--received'], 'nianbao deadline', '选项 --received 后面缺少值 <date>', 'option --received needs a value <date>'],
    [['register', 'list', '--db'], 'nianbao register list', '选项 --db 后面缺少值 <file>', 'option --db needs a value <file>'],
    // missing required option
    [['deadline'], 'nianbao deadline', '缺少必需的选项 --received <date>', 'the option --received <date> is required'],
    [['register', 'add'], 'nianbao register add', '缺少必需的选项 --file <file>', 'the option --file <file> is required'],
    [['register', 'stats'], 'nianbao register stats', '缺少必需的选项 --year <year>', 'the option --year <year> is required'],
    [
      ['register', 'amend', '2025-001', '--file', 'c.json'],
      'nianbao register amend',
      '缺少必需的选项 --reason <text>',
      'the option --reason <text> is required',
    ],
    // unknown command
    [['frob'], 'nianbao', '未知命令 frob', 'unknown command frob'],
    [['help', 'frob'], 'nianbao', '未知命令 frob', 'unknown command frob'],
    [['register', 'frob'], 'nianbao register', '未知命令 frob', 'unknown command frob'],
    [['holidays', 'frob'], 'nianbao holidays', '未知命令 frob', 'unknown command frob'],
    // excess arguments
    [['render', 'a.json', 'b.json'], 'nianbao render', '参数过多：应有 1 个，实际有 2 个', 'too many arguments: expected 1, got 2'],
    [['serve', 'now'], 'nianbao serve', '参数过多：应有 0 个，实际有 1 个', 'too many arguments: expected 0, got 1'],
    [
      ['deadline', 'today', '--received', '2025-01-02'],
      'nianbao deadline',
      '参数过多：应有 0 个，实际有 1 个',
      'too many arguments: expected 0, got 1',
    ],
    [
      ['register', 'void', '2025-001', '1', '2', '--reason', 'x'],
      'nianbao register void',
      '参数过多：应有 2 个，实际有 3 个',
      'too many arguments: expected 2, got 3',
    ],
    [['holidays', 'list', 'extra'], 'nianbao holidays list', '参数过多：应有 0 个，实际有 1 个', 'too many arguments: expected 0, got 1'],
  ])('nianbao %j', async (argv, where, zh, en) => {
    expectUsageError(await run(...argv), where, zh, en);
  });

  it('a near miss suggests the option or command meant', async () => {
    let r = await run('parse', '--jsn', 'a.txt');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      '错误：未知选项 --jsn（nianbao parse；是否要用 --json？）。运行 nianbao parse --help 查看用法。\n' +
        'Error: unknown option --jsn (nianbao parse; did you mean --json?); see nianbao parse --help.\n',
    );
    r = await run('pars', 'a.txt');
    expect(r.stderr).toContain('未知命令 pars（nianbao；是否要用 parse？）');
    expect(r.stderr).toContain('unknown command pars (nianbao; did you mean parse?)');
    r = await run('register', 'lst');
    expect(r.stderr).toContain('未知命令 lst（nianbao register；是否要用 list？）');
  });

  it.each(['parse', 'check'])('%s --threads takes a positive whole number only', async (command) => {
    for (const bad of ['abc', '0', '-1', '1.5', '2x', '', '1e3', '99999999999999999999']) {
      const r = await run(command, '--threads', bad, 'a.txt');
      expectUsageError(
        r,
        `nianbao ${command}`,
        `选项 --threads 的值“${bad}”无效：应为正整数`,
        `invalid value "${bad}" for option --threads: it must be a positive whole number`,
      );
    }
    expect(positiveInteger('1')).toBe(1);
    expect(positiveInteger('16')).toBe(16);
  });

  it('a command with subcommands run without one: its help on stderr, then the error', async () => {
    for (const [argv, where] of [
      [[], 'nianbao'],
      [['register'], 'nianbao register'],
      [['holidays'], 'nianbao holidays'],
    ] as const) {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^用法 \/ Usage: /);
      expect(r.stderr).toContain('命令 / Commands:');
      expect(r.stderr.trimEnd().split('\n').slice(-2)).toEqual([
        `错误：缺少命令，可用的命令见上面的列表（${where}）。运行 ${where} --help 查看用法。`,
        `Error: a command is missing; the commands are listed above (${where}); see ${where} --help.`,
      ]);
    }
  });
});

describe('no side effects', () => {
  it('no usage error opened (or created) a database', () => {
    expect(existsSync(join(dir, 'never.db'))).toBe(false);
  });
});

describe('--help in Chinese and English', () => {
  const commands = [
    [],
    ['parse'],
    ['check'],
    ['render'],
    ['deadline'],
    ['serve'],
    ['register'],
    ...['add', 'event', 'void', 'amend', 'list', 'show', 'overdue', 'stats', 'export'].map((c) => ['register', c]),
    ['holidays'],
    ['holidays', 'list'],
    ['holidays', 'import'],
  ];

  it.each(commands)('nianbao %s --help', async (...command) => {
    const r = await run(...command, '--help');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = r.stdout;
    expect(out).toMatch(new RegExp(`^用法 / Usage: ${['nianbao', ...command].join(' ')} `));
    expect(out).toContain('选项 / Options:');
    expect(out).toMatch(/^ {2}-h, --help +显示用法\n +show how to use it$/m);
    if (command.length === 0 || (command.length === 1 && ['register', 'holidays'].includes(command[0]))) {
      expect(out).toContain('命令 / Commands:');
      expect(out).toMatch(/^ {2}help \[command\] +显示某个命令的用法\n +show how to use a command$/m);
    }
    // nothing of commander's English but the usage line's [options]/[command]
    expect(out).not.toMatch(/display help|^Usage:|^Options:|^Commands:|^Arguments:|\(default: "/m);
    // every described item: a Chinese line, then its English line
    const described = out.split('\n').filter((l) => /^ {2}\S/.test(l) && / {2,}\S/.test(l.trim()));
    expect(described.length).toBeGreaterThan(0);
    for (const line of described) {
      expect(line, line).toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
    }
  });

  it('the program: its commands, each in both languages; the version', async () => {
    const r = await run('--help');
    expect(r.stdout).toContain('政府信息公开工作年度报告：读取、检查、生成\nGovernment information disclosure annual reports');
    expect(r.stdout).toMatch(
      /^ {2}parse \[options\] <inputs\.\.\.> +把年度报告读成结构化数据\n +read annual reports into the Report JSON$/m,
    );
    expect(r.stdout).toMatch(/^ {2}-V, --version +显示版本号\n +show the version$/m);
    const v = await run('--version');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('defaults in both languages', async () => {
    const r = await run('check', '--help');
    expect(r.stdout).toMatch(/--format <format> +输出格式 text \| json \| sarif（缺省为 text）\n +output format \(default: text\)/);
  });

  it('nianbao help COMMAND is COMMAND --help, for the register and holidays commands too', async () => {
    for (const [help, direct] of [
      [
        ['help', 'parse'],
        ['parse', '--help'],
      ],
      [
        ['help', 'register'],
        ['register', '--help'],
      ],
      [
        ['help', 'register', 'add'],
        ['register', 'add', '--help'],
      ],
      [
        ['register', 'help', 'add'],
        ['register', 'add', '--help'],
      ],
      [
        ['help', 'holidays', 'import'],
        ['holidays', 'import', '--help'],
      ],
    ]) {
      const a = await run(...help);
      const b = await run(...direct);
      expect(a.code, help.join(' ')).toBe(0);
      expect(a.stdout, help.join(' ')).toBe(b.stdout);
    }
  });
});

describe('the process', () => {
  it('exits 2 with the two sentences on stderr (bin/nianbao.js)', async () => {
    let r = await nianbaoProcess('parse', '--threads', 'abc', SEEDS);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      '错误：选项 --threads 的值“abc”无效：应为正整数（nianbao parse）。运行 nianbao parse --help 查看用法。\n' +
        'Error: invalid value "abc" for option --threads: it must be a positive whole number (nianbao parse); see nianbao parse --help.\n',
    );
    r = await nianbaoProcess('register', 'add');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Error: the option --file <file> is required (nianbao register add)');
    r = await nianbaoProcess('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('命令 / Commands:');
  });
});
