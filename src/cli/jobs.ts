/** The command line's bulk work as pool jobs (src/pool/pool.ts): one file read into a JSON line. */
import { loadReport } from '../load.js';
import { describeError } from './errors.js';
import { ambiguityWarnings } from './format.js';

export interface ParseFileJob {
  kind: 'parseFile';
  file: string;
}

export interface ParseFileResult {
  line: string;
  ok: boolean;
  warnings: string[];
}

export async function runJob(job: ParseFileJob): Promise<ParseFileResult> {
  try {
    const report = await loadReport(job.file);
    return { line: JSON.stringify({ file: job.file, ...report }), ok: true, warnings: ambiguityWarnings(report, job.file) };
  } catch (e) {
    return { line: errorLine(job.file, e), ok: false, warnings: [] };
  }
}

/** the JSON line of a file that could not be read */
export function errorLine(file: string, e: unknown): string {
  const d = describeError(e, file);
  return JSON.stringify({ file, error: `${d.zh} ${d.en}`, code: d.code });
}
