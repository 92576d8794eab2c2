/**
 * Rendering: a Report → an annual report file in the official layout.
 *
 * `render(report, to, opts)` first prepares the report (`prepare` in
 * totals.ts: blank totals filled from their parts, contradictions refused
 * with a `RenderRefusedError` unless `force`, blanks written per `blankAs`),
 * then hands the prepared report to the writer of the format. HTML and
 * Markdown are written here; DOCX, XLSX and PDF live in their own modules,
 * loaded only when asked for.
 */

import { NianbaoError } from '../model/errors.js';
import { checkTextLimits } from '../model/limits.js';
import type { Report } from '../model/report.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { type Prepared, prepare } from './totals.js';

export { TextLimitError } from '../model/limits.js';
export { renderHtml } from './html.js';
export { renderMarkdown } from './markdown.js';
export {
  ARITHMETIC_RULES,
  InvalidReportError,
  normalizeReport,
  type Prepared,
  type PrepareOptions,
  prepare,
  RenderRefusedError,
} from './totals.js';

export type RenderFormat = 'docx' | 'html' | 'pdf' | 'md' | 'xlsx';

export const RENDER_FORMATS: readonly RenderFormat[] = ['docx', 'html', 'pdf', 'md', 'xlsx'];

/** formats written as UTF-8 text (may go to a terminal) */
export const TEXT_FORMATS: readonly RenderFormat[] = ['html', 'md'];

export interface RenderOptions {
  /** how a blank (null) cell is written: 'zero' (default) writes 0, 'blank' leaves it empty */
  blankAs?: 'zero' | 'blank';
  /** render even when given totals contradict their parts */
  force?: boolean;
}

/** A writer module (docx, xlsx, pdf) is not available in this build. */
export class RendererUnavailableError extends NianbaoError {
  readonly format: RenderFormat;
  constructor(format: RenderFormat, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      'renderer-unavailable',
      `本程序没有 ${format.toUpperCase()} 的生成模块（${why}）。`,
      `No writer for ${format} in this build (${why}).`,
    );
    this.message = `render: no writer for ${format} (${why})`;
    this.name = 'RendererUnavailableError';
    this.format = format;
  }
}

type BinaryRenderer = (report: Report, opts: RenderOptions) => Promise<Uint8Array>;

const LAZY: Record<'docx' | 'xlsx' | 'pdf', { module: string; name: string }> = {
  docx: { module: './docx.js', name: 'renderDocx' },
  xlsx: { module: './xlsx.js', name: 'renderXlsx' },
  pdf: { module: './pdf.js', name: 'renderPdf' },
};

async function binaryRenderer(format: 'docx' | 'xlsx' | 'pdf'): Promise<BinaryRenderer> {
  const { module, name } = LAZY[format];
  let mod: Record<string, unknown>;
  try {
    mod = (await import(module)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: string }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load url|does not exist/i.test(String(e));
    if (missing && String((e as Error).message ?? e).includes(module.slice(2, -3))) throw new RendererUnavailableError(format, e);
    throw e;
  }
  const fn = mod[name];
  if (typeof fn !== 'function') throw new RendererUnavailableError(format, new Error(`${module} does not export ${name}`));
  return fn as BinaryRenderer;
}

/**
 * Prepare, then write the report in the format asked for. Returns the file's bytes. A report whose
 * narrative is over TEXT_LIMITS is refused first (TextLimitError).
 */
export async function render(report: Report, to: RenderFormat, opts: RenderOptions = {}): Promise<Uint8Array> {
  return (await renderPrepared(report, to, opts)).bytes;
}

/** Like `render`, also returning what `prepare` did (filled totals, zeroed blanks, notes, forced diagnostics). */
export async function renderPrepared(
  report: Report,
  to: RenderFormat,
  opts: RenderOptions = {},
): Promise<{ bytes: Uint8Array } & Prepared> {
  checkTextLimits(report);
  const prepared = prepare(report, opts);
  const r = prepared.report;
  let bytes: Uint8Array;
  switch (to) {
    case 'html':
      bytes = new TextEncoder().encode(renderHtml(r, opts));
      break;
    case 'md':
      bytes = new TextEncoder().encode(renderMarkdown(r, opts));
      break;
    case 'docx':
    case 'xlsx':
    case 'pdf':
      bytes = await (await binaryRenderer(to))(r, opts);
      break;
    default:
      throw new Error(`render: unknown format ${String(to)} (use ${RENDER_FORMATS.join(', ')})`);
  }
  return { ...prepared, bytes };
}
