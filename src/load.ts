/**
 * Loading a report for the commands that take one: a Report JSON (as printed by
 * `nianbao parse --json`, or the `{file, report, diagnostics}` of `check --json`)
 * or any readable report document. Every failure is a ReadError.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Report } from './model/report.js';
import { parseBytes, parseFile } from './parse.js';
import { LIMITS, ReadError } from './read/errors.js';
import { InvalidReportError, normalizeReport } from './render/totals.js';
import { looksLikeJson } from './util/sniff.js';

export { looksLikeJson };

export async function loadReport(file: string): Promise<Report> {
  let size = -1;
  try {
    const st = await stat(file);
    if (st.isFile()) size = st.size;
  } catch {
    // not found: the reader says so in its own words
  }
  if (size < 0 || size > LIMITS.maxFileBytes) return parseFile(file);
  const bytes = new Uint8Array(await readFile(file));
  return looksLikeJson(bytes) ? reportFromJsonBytes(bytes, file) : parseBytes(bytes, file);
}

/** a Report JSON file's bytes → Report; a ReadError when it is not JSON or not a Report */
export function reportFromJsonBytes(bytes: Uint8Array, file: string): Report {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, ''));
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new ReadError('corrupt', file, `文件 ${file} 不是有效的 JSON：${detail}。`, `File ${file} is not valid JSON: ${detail}.`);
  }
  return reportFromJson(json, file);
}

/** a Report JSON value (or the `{file, report, diagnostics}` of `check --json`) → Report */
export function reportFromJson(json: unknown, file: string): Report {
  let value = json;
  if (value && typeof value === 'object' && 'report' in value && 'diagnostics' in value) value = (value as { report: unknown }).report;
  try {
    return normalizeReport(value).report;
  } catch (e) {
    if (e instanceof InvalidReportError) {
      throw new ReadError(
        'not-a-report',
        file,
        `文件 ${file} 不是有效的 Report JSON：${e.zh}。`,
        `File ${file} is not a valid Report JSON: ${e.en}.`,
      );
    }
    throw e;
  }
}
