/**
 * The command line's usage errors and help in Chinese and English, like every other message.
 *
 * Every `nianbao` command (and the programs of `nianbao register …` and `nianbao holidays …`) is
 * a {@link UsageCommand} made by {@link cliProgram}: commander parses as usual, but
 *
 * - a usage error — unknown option or command, missing argument or required option, an option
 *   without its value, an invalid value, too many arguments, a missing subcommand — is printed as
 *   one Chinese and one English sentence naming the command and its `--help`, and ends the run
 *   with exit status 2 ({@link exitStatusOf});
 * - `--help` shows the bilingual descriptions with bilingual headings (用法 / Usage, 选项 / Options,
 *   命令 / Commands …), the Chinese half of a description above its English half.
 *
 * Option values that commander checks (`argParser`) are refused with a reason in both languages
 * ({@link positiveInteger}, {@link invalidValue}).
 */
import { stripVTControlCharacters } from 'node:util';
import { Command, type CommanderError, type ErrorOptions, Help, type HelpContext, InvalidArgumentError, type Option } from 'commander';

/** the exit status of a usage error */
export const USAGE_ERROR = 2;

/** the reason of the last value refused by one of our option parsers (commander passes on only its English message) */
let refused: { zh: string; en: string } | null = null;

/** refuses an option value (inside an argParser) with a reason in both languages */
export function invalidValue(zh: string, en: string): never {
  refused = { zh, en };
  throw new InvalidArgumentError(en);
}

/** parses a positive integer option value (`--threads 4`); anything else (`abc`, `0`, `-1`, `1.5`) is a usage error */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (/^\d+$/.test(value) && Number.isSafeInteger(n) && n >= 1) return n;
  return invalidValue('应为正整数', 'it must be a positive whole number');
}

/** `nianbao register add`: the names from the program down to `cmd` */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.filter(Boolean).join(' ');
}

/** `--output <file>` of `-o, --output <file>` */
const shownFlags = (flags: string): string => flags.replace(/^-[^-\s,|]+[,|]?\s*(?=--)/, '');
/** `--output` of `-o, --output <file>` */
const flagName = (flags: string): string => shownFlags(flags).split(' ')[0];

/** commander's “(Did you mean --json?)” */
function suggestion(message: string): string | null {
  const m = /\(Did you mean (?:one of )?(.+?)\?\)/.exec(message);
  return m ? m[1] : null;
}

/**
 * the two sentences of a usage error of `cmd`, from commander's error code and English message
 * (both pinned by test/cli-usage.test.ts: a commander upgrade that changes them fails there)
 */
export function usageMessage(cmd: Command, code: string, message: string): { zh: string; en: string } {
  const where = commandPath(cmd);
  const did = suggestion(message);
  const say = (zh: string, en: string) => ({
    zh: `错误：${zh}（${where}${did ? `；是否要用 ${did}？` : ''}）。运行 ${where} --help 查看用法。`,
    en: `Error: ${en} (${where}${did ? `; did you mean ${did}?` : ''}); see ${where} --help.`,
  });
  const quoted = [...message.matchAll(/'([^']*)'/g)].map((m) => m[1]);
  switch (code) {
    case 'commander.unknownOption':
      return say(`未知选项 ${quoted[0]}`, `unknown option ${quoted[0]}`);
    case 'commander.unknownCommand':
      return say(`未知命令 ${quoted[0]}`, `unknown command ${quoted[0]}`);
    case 'nianbao.missingCommand':
      return say('缺少命令，可用的命令见上面的列表', 'a command is missing; the commands are listed above');
    case 'commander.missingArgument':
      return say(`缺少参数 <${quoted[0]}>`, `missing argument <${quoted[0]}>`);
    case 'commander.optionMissingArgument': {
      const [name, ...value] = shownFlags(quoted[0]).split(' ');
      return say(`选项 ${name} 后面缺少值 ${value.join(' ')}`.trimEnd(), `option ${name} needs a value ${value.join(' ')}`.trimEnd());
    }
    case 'commander.missingMandatoryOptionValue':
      return say(`缺少必需的选项 ${shownFlags(quoted[0])}`, `the option ${shownFlags(quoted[0])} is required`);
    case 'commander.conflictingOption':
      return say(`${quoted[0]} 与 ${quoted[1]} 不能同时使用`, `${quoted[0]} cannot be used with ${quoted[1]}`);
    case 'commander.excessArguments': {
      const m = /Expected (\d+) arguments? but got (\d+)/.exec(message);
      return m
        ? say(`参数过多：应有 ${m[1]} 个，实际有 ${m[2]} 个`, `too many arguments: expected ${m[1]}, got ${m[2]}`)
        : say('参数过多', 'too many arguments');
    }
    case 'commander.invalidArgument': {
      const reason = refused;
      refused = null;
      const option = /^error: option '([^']*)' argument '(.*)' is invalid\.\s*([\s\S]*)$/.exec(message);
      const argument = /^error: command-argument value '(.*)' is invalid for argument '([^']*)'\.\s*([\s\S]*)$/.exec(message);
      const [what, whatEn, value, why] = option
        ? [`选项 ${flagName(option[1])}`, `option ${flagName(option[1])}`, option[2], option[3]]
        : argument
          ? [`参数 <${argument[2]}>`, `argument <${argument[2]}>`, argument[1], argument[3]]
          : ['', '', '', message.replace(/^error:\s*/, '')];
      const en = reason?.en ?? why.replace(/\.$/, '');
      if (!what) return say(`取值无效：${en}`, `invalid value: ${en}`);
      return say(
        `${what} 的值“${value}”无效${reason ? `：${reason.zh}` : en ? `（${en}）` : ''}`,
        `invalid value "${value}" for ${whatEn}${en ? `: ${en}` : ''}`,
      );
    }
    default: {
      const detail = message.replace(/^error:\s*/, '').replace(/\s+/g, ' ');
      return say(`命令行用法不对：${detail}`, `bad usage: ${detail}`);
    }
  }
}

/** a `Chinese / English` description: the part before ` / ` written in Chinese */
function splitBilingual(text: string): [string, string] | null {
  const at = text.indexOf(' / ');
  if (at <= 0 || !/[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/.test(text.slice(0, at))) return null;
  return [text.slice(0, at), text.slice(at + 3)];
}

const TITLES: Record<string, string> = {
  'Usage:': '用法 / Usage:',
  'Arguments:': '参数 / Arguments:',
  'Options:': '选项 / Options:',
  'Global Options:': '全局选项 / Global options:',
  'Commands:': '命令 / Commands:',
};

/** characters that take two columns of a terminal (CJK, fullwidth forms) */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

const help = Help.prototype;

/** commander's help with bilingual headings, the Chinese half of a description above the English one, CJK widths */
const HELP: Partial<Help> = {
  styleTitle: (title: string) => TITLES[title] ?? title,
  displayWidth(str: string): number {
    let width = 0;
    for (const ch of stripVTControlCharacters(str)) width += WIDE.test(ch) ? 2 : 1;
    return width;
  },
  boxWrap(this: Help, str: string, width: number): string {
    const parts = splitBilingual(str);
    return help.boxWrap.call(this, parts ? `${parts[0]}\n${parts[1]}` : str, width);
  },
  optionDescription(this: Help, option: Option): string {
    const shown = option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean');
    if (option.defaultValue === undefined || !shown || option.argChoices || option.envVar || option.presetArg !== undefined) {
      return help.optionDescription.call(this, option);
    }
    const value = option.defaultValueDescription ?? String(option.defaultValue);
    const parts = splitBilingual(option.description);
    return parts ? `${parts[0]}（缺省为 ${value}） / ${parts[1]} (default: ${value})` : `${option.description}（缺省 / default: ${value}）`;
  },
};

/** a commander Command whose usage errors and help speak Chinese and English (subcommands too) */
export class UsageCommand extends Command {
  override createCommand(name?: string): UsageCommand {
    return new UsageCommand(name);
  }

  override error(message: string, errorOptions?: ErrorOptions): never {
    const code = errorOptions?.code;
    // commander's own errors (and ours) always carry a code; anything else goes out as it was written
    if (!code || !(code.startsWith('commander.') || code.startsWith('nianbao.'))) return super.error(message, errorOptions);
    const { zh, en } = usageMessage(this, code, message);
    return super.error(`${zh}\n${en}`, { code, exitCode: USAGE_ERROR });
  }

  /** a command with subcommands run without one: its help, then the usage error */
  override help(context?: HelpContext | ((str: string) => string)): never {
    if (typeof context === 'object' && context?.error) {
      // `nianbao help nothing`: an unknown command, not a missing one
      if (this.args[0] === 'help' && this.args[1] !== undefined) {
        return this.error(`error: unknown command '${this.args[1]}'`, { code: 'commander.unknownCommand' });
      }
      this.outputHelp({ error: true });
      return this.error('error: missing command', { code: 'nianbao.missingCommand' });
    }
    return super.help(context as HelpContext);
  }
}

/** the program (or the program of a command such as `nianbao register`) with bilingual usage errors and help */
export function cliProgram(name: string): UsageCommand {
  return new UsageCommand(name)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .configureHelp(HELP)
    .helpOption('-h, --help', '显示用法 / show how to use it')
    .helpCommand('help [command]', '显示某个命令的用法 / show how to use a command');
}

/** the exit status for a CommanderError: 0 after help or the version, 2 for a usage error */
export function exitStatusOf(e: CommanderError): number {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
  if (e.code === 'commander.help') return e.exitCode === 0 ? 0 : USAGE_ERROR;
  return USAGE_ERROR;
}
