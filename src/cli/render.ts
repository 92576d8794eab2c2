/**
 * `nianbao render REPORT --to docx|html|pdf|md|xlsx [-o FILE] [--force] [--blank-as zero|blank]`
 *
 * REPORT is a Report JSON (as printed by `nianbao parse --json`, or the
 * `{file, report, diagnostics}` object of `nianbao check --json`), recognised by
 * its content (it starts with `{`), or any report the reader can read, which is
 * parsed first (to convert or repair it).
 *
 * Output: the file given with `-o`. Without `-o`, HTML and Markdown go to
 * stdout; DOCX, XLSX and PDF go to stdout only when it is not a terminal
 * (a pipe or a redirection), otherwise `-o` is required.
 *
 * Exit status: 0 written; 1 refused because given totals contradict their
 * parts (or cells are ambiguous) — the diagnostics are printed on stderr in the
 * format of `nianbao check`, `--force` writes it anyway; 2 the input could not be
 * read (or is not a valid Report JSON), a bad option, or the output could not
 * be written. Messages go to stderr, in Chinese and English, without stack traces.
 */
import { writeFile } from 'node:fs/promises';
import { formatHuman } from '../check/format.js';
import { loadReport } from '../load.js';
import type { Report } from '../model/report.js';
import {
  InvalidReportError,
  RENDER_FORMATS,
  RendererUnavailableError,
  type RenderFormat,
  RenderRefusedError,
  renderPrepared,
  TEXT_FORMATS,
  TextLimitError,
} from '../render/index.js';
import { describeError, fsReason } from './errors.js';

export interface RenderCliOptions {
  to?: string;
  output?: string;
  force?: boolean;
  blankAs?: string;
}

const FORMAT_ALIASES: Record<string, RenderFormat> = { markdown: 'md', htm: 'html', word: 'docx', excel: 'xlsx' };

function fail(zh: string, en: string): number {
  process.stderr.write(`错误：${zh}\nError: ${en}\n`);
  return 2;
}

function writeStdout(bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(bytes, (e) => (e ? reject(e) : resolve()));
  });
}

export async function runRender(input: string, opts: RenderCliOptions): Promise<number> {
  const to = opts.to ? (FORMAT_ALIASES[opts.to.toLowerCase()] ?? opts.to.toLowerCase()) : undefined;
  if (!to || !RENDER_FORMATS.includes(to as RenderFormat)) {
    return fail(
      `${to ? `不支持的输出格式 ${opts.to}` : '缺少 --to 输出格式'}（可用 ${RENDER_FORMATS.join('、')}）。`,
      `${to ? `unsupported output format ${opts.to}` : 'missing --to output format'} (use ${RENDER_FORMATS.join(', ')}).`,
    );
  }
  const format = to as RenderFormat;
  const blankAs = opts.blankAs ?? 'zero';
  if (blankAs !== 'zero' && blankAs !== 'blank') {
    return fail(`--blank-as 只能是 zero 或 blank，而不是“${blankAs}”。`, `--blank-as must be zero or blank, not "${blankAs}".`);
  }
  if (!opts.output && !TEXT_FORMATS.includes(format) && process.stdout.isTTY) {
    return fail(
      `${format.toUpperCase()} 是二进制文件，不能输出到终端，请用 -o 指定输出文件。`,
      `${format.toUpperCase()} is a binary format and is not written to a terminal; give an output file with -o.`,
    );
  }

  let report: Report;
  try {
    report = await loadReport(input);
  } catch (e) {
    const d = describeError(e, input);
    return fail(d.zh, d.en);
  }

  let result: Awaited<ReturnType<typeof renderPrepared>>;
  try {
    result = await renderPrepared(report, format, { blankAs, force: opts.force });
  } catch (e) {
    if (e instanceof RenderRefusedError) {
      // a Report JSON read from another file: locations are in that file
      const where = e.report.provenance && e.report.input?.file ? e.report.input.file : input;
      process.stderr.write(`${formatHuman([{ file: where, report: e.report, diagnostics: e.diagnostics }])}\n`);
      process.stderr.write(
        `错误：${input} 的合计与分项不符，未生成报告（${e.diagnostics.length} 处问题）；请更正后重试，或用 --force 强制生成。\n` +
          `Error: ${input} was not rendered: its totals contradict their parts (${e.diagnostics.length} problem(s)); correct the report, or use --force.\n`,
      );
      return 1;
    }
    if (e instanceof InvalidReportError) {
      return fail(`文件 ${input} 不是有效的 Report JSON：${e.zh}。`, `File ${input} is not a valid Report JSON: ${e.en}.`);
    }
    if (e instanceof TextLimitError) return fail(`${input}：${e.zh}`, `${input}: ${e.en}`);
    if (e instanceof RendererUnavailableError) {
      return fail(`无法生成 ${format.toUpperCase()}：${e.message}。`, `cannot write ${format.toUpperCase()}: ${e.message}.`);
    }
    const msg = e instanceof Error ? e.message : String(e);
    return fail(`生成 ${format.toUpperCase()} 失败：${msg}。`, `rendering ${format.toUpperCase()} failed: ${msg}.`);
  }

  for (const note of result.notes) process.stderr.write(`提示：${note}\n`);
  for (const w of missingParts(result.report)) process.stderr.write(`警告：${w.zh}\nWarning: ${w.en}\n`);
  if (result.filled.length > 0) {
    const list = result.filled.slice(0, 5).join('、') + (result.filled.length > 5 ? ' 等' : '');
    process.stderr.write(
      `提示：已按分项计算填写 ${result.filled.length} 个空白合计单元格（${list}）。\n` +
        `Note: ${result.filled.length} blank total cell(s) were computed from their parts.\n`,
    );
  }
  if (result.diagnostics.length > 0) {
    process.stderr.write(`${formatHuman([{ file: input, report: result.report, diagnostics: result.diagnostics }])}\n`);
    process.stderr.write(
      `警告：按 --force 要求，合计与分项不符的报告仍已生成。\nWarning: rendered despite the contradictions above, as --force asked.\n`,
    );
  }

  if (opts.output) {
    try {
      await writeFile(opts.output, result.bytes);
    } catch (e) {
      const r = fsReason(e);
      return fail(`无法写入文件 ${opts.output}：${r.zh}。`, `could not write ${opts.output}: ${r.en}.`);
    }
  } else {
    await writeStdout(result.bytes);
  }
  return 0;
}

/** what a published report must have that this one lacks: its narrative parts, its agency and year (written anyway, with a warning) */
export function missingParts(report: Report): { zh: string; en: string }[] {
  const out: { zh: string; en: string }[] = [];
  const parts = [
    ['overview', '一、总体情况', 'section 一 (overview)'],
    ['problems', '五、存在的主要问题及改进情况', 'section 五 (problems and improvements)'],
    ['other', '六、其他需要报告的事项', 'section 六 (other matters)'],
  ] as const;
  const missing = parts.filter(([k]) => !(report.sections?.[k] ?? '').trim());
  if (missing.length > 0) {
    out.push({
      zh: `报告缺少${missing.map((m) => `“${m[1]}”`).join('、')}的正文，生成的文件中这些部分是空的。`,
      en: `The report has no text for ${missing.map((m) => m[2]).join(', ')}; those parts are empty in the file written.`,
    });
  }
  if (!report.agency) out.push({ zh: '报告没有发布机关名称，标题中缺少机关。', en: 'The report has no agency; the title lacks it.' });
  if (report.year === null || report.year === undefined) {
    out.push({ zh: '报告没有年度，标题中缺少年份。', en: 'The report has no year; the title lacks it.' });
  }
  return out;
}
