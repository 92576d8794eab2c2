/**
 * Checking files: read every input (in worker threads), order the reports by
 * agency and year so that each report meets last year's report of the same
 * agency, then run the rules.
 */

import type { FileResult } from '../check/format.js';
import { check } from '../check/index.js';
import type { CheckOptions } from '../check/types.js';
import { loadReport } from '../load.js';
import type { Report } from '../model/report.js';
import { expandInputs, parseBulk } from './bulk.js';
import { describeError } from './errors.js';

const agencyKey = (a: string | null) => (a ?? '').replace(/\s+/g, '');

export interface CheckRunOptions {
  previous?: string;
  options?: Partial<CheckOptions>;
  threads?: number;
}

export async function checkFiles(inputs: string[], run: CheckRunOptions = {}): Promise<{ results: FileResult[]; previousError?: string }> {
  const files = await expandInputs(inputs);
  const read: { file: string; report: Report | null; error?: string }[] = [];
  if (files.length === 1) {
    try {
      read.push({ file: files[0], report: await loadReport(files[0]) });
    } catch (e) {
      const d = describeError(e, files[0]);
      read.push({ file: files[0], report: null, error: `${d.zh} ${d.en}` });
    }
  } else if (files.length > 1) {
    await parseBulk(
      files,
      (r) => {
        const o = JSON.parse(r.line) as Report & { file: string; error?: string };
        if (r.ok) {
          const { file, ...report } = o;
          read.push({ file, report: report as Report });
        } else read.push({ file: o.file, report: null, error: o.error });
      },
      run.threads,
    );
  }
  let previous: Report | null = null;
  let previousError: string | undefined;
  if (run.previous) {
    try {
      previous = await loadReport(run.previous);
    } catch (e) {
      const d = describeError(e, run.previous);
      previousError = `${d.zh} ${d.en}`;
    }
  }
  // by agency, then year, then file name
  read.sort((a, b) => {
    const ka = agencyKey(a.report?.agency ?? null);
    const kb = agencyKey(b.report?.agency ?? null);
    if (ka !== kb) return ka === '' ? 1 : kb === '' ? -1 : ka < kb ? -1 : 1;
    const ya = a.report?.year ?? 0;
    const yb = b.report?.year ?? 0;
    return ya - yb || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  });
  const reports = read.filter((r) => r.report !== null) as { file: string; report: Report }[];
  const results: FileResult[] = read.map((r) => {
    if (!r.report) return { file: r.file, report: null, diagnostics: [], error: r.error };
    const rep = r.report;
    let prev: Report | null = null;
    if (previous && (rep.year === null || previous.year === null || previous.year === rep.year - 1)) prev = previous;
    if (!prev && rep.year !== null) {
      prev =
        reports.find(
          (o) =>
            o.report !== rep &&
            agencyKey(o.report.agency) === agencyKey(rep.agency) &&
            agencyKey(rep.agency) !== '' &&
            o.report.year === (rep.year ?? 0) - 1,
        )?.report ?? null;
    }
    const peers = reports.filter((o) => o.report !== rep && o.report !== prev);
    return { file: r.file, report: rep, diagnostics: check({ report: rep, previous: prev, peers, options: run.options }) };
  });
  return { results, previousError };
}
