/** nianbao command line */
import { Command, CommanderError } from 'commander';
import { parseFile } from '../parse.js';
import { expandInputs, parseBulk } from './bulk.js';
import { describeError } from './errors.js';
import { ambiguityWarnings, formatReport } from './format.js';

function write(s: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(s)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command();
  program
    .name('nianbao')
    .description('政府信息公开工作年度报告：读取、检查、生成 / Government information disclosure annual reports')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('parse')
    .description('把年度报告读成结构化数据 / read annual reports into the Report JSON')
    .argument('<inputs...>', '文件或文件夹 / files or folders')
    .option('--json', '输出 Report JSON（多个文件时每行一个） / print the Report JSON (JSON Lines for several files)')
    .option('--threads <n>', '并行线程数 / worker threads for bulk parsing', (x) => Number.parseInt(x, 10))
    .action(async (inputs: string[], opts: { json?: boolean; threads?: number }) => {
      const files = await expandInputs(inputs);
      const single = inputs.length === 1 && files.length === 1 && files[0] === inputs[0];
      if (single) {
        const file = files[0];
        try {
          const report = await parseFile(file);
          for (const w of ambiguityWarnings(report, file)) process.stderr.write(`${w}\n`);
          await write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
        } catch (e) {
          const d = describeError(e, file);
          process.stderr.write(`错误：${d.zh}\nError: ${d.en}\n`);
          code = 2;
        }
        return;
      }
      if (files.length === 0) {
        process.stderr.write(
          `错误：${inputs.join(' ')} 中没有可读取的年报文件。\nError: no readable report files in ${inputs.join(' ')}.\n`,
        );
        code = 2;
        return;
      }
      const chain: Promise<void>[] = [];
      const { failed } = await parseBulk(
        files,
        (r) => {
          for (const w of r.warnings) process.stderr.write(`${w}\n`);
          if (!r.ok) {
            const e = JSON.parse(r.line) as { error: string };
            process.stderr.write(`错误：${e.error}\n`);
          }
          if (opts.json) chain.push(write(`${r.line}\n`));
          else if (r.ok) {
            const rep = JSON.parse(r.line);
            chain.push(write(`${formatReport(rep)}\n\n`));
          }
        },
        opts.threads,
      );
      await Promise.all(chain);
      if (!opts.json) process.stderr.write(`共 ${files.length} 个文件，${files.length - failed} 个读取成功，${failed} 个失败。\n`);
      if (failed > 0) code = 2;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    process.stderr.write(`错误：${describeError(e, '').zh}\n`);
    return 2;
  }
  return code;
}
