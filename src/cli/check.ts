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

/** one or more region names and nothing else: 淮安市, 江苏省淮安市, 淮安市洪泽区 */
const REGION_PREFIX = /^(?:[\u4e00-\u9fff]{1,8}?(?:省|自治区|特别行政区|市|自治州|州|地区|盟|县|自治县|区|旗|自治旗))+$/u;

const OWN_REGION = /^[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|自治州|州|地区|盟|县|区|旗|乡|镇|街道)[\u4e00-\u9fff]{2,}/u;

/**
 * the same body under two names: one is the other with region names in front (淮安市洪泽区人民政府
 * and 洪泽区人民政府, a report titled with its city's name one year and not the next)
 */
export function sameBody(a: string | null, b: string | null): boolean {
  const x = agencyKey(a);
  const y = agencyKey(b);
  if (!x || !y) return false;
  if (x === y) return true;
  const [long, short] = x.length > y.length ? [x, y] : [y, x];
  // the shorter name still names its own region (洪泽区…), so that 淮安市人民政府 is not 人民政府
  return long.endsWith(short) && OWN_REGION.test(short) && REGION_PREFIX.test(long.slice(0, long.length - short.length));
}

/** why `previous` is not the report of the year before `report` by the same body (null: it is) */
export function notLastYear(previous: Report, report: Report): { zh: string; en: string } | null {
  if (previous.year !== null && report.year !== null && previous.year !== report.year - 1) {
    return {
      zh: `是 ${previous.year} 年的报告，不是 ${report.year} 年报告的上一年度（${report.year - 1} 年）`,
      en: `is the report for ${previous.year}, not for the year before ${report.year} (${report.year - 1})`,
    };
  }
  const a = agencyKey(previous.agency);
  const b = agencyKey(report.agency);
  if (a && b && a !== b && !sameBody(previous.agency, report.agency)) {
    return {
      zh: `是“${previous.agency}”的报告，与“${report.agency}”不是同一机关`,
      en: `is the report of ${previous.agency}, not of ${report.agency}`,
    };
  }
  return null;
}

export interface CheckRunOptions {
  previous?: string;
  options?: Partial<CheckOptions>;
  threads?: number;
}

export async function checkFiles(
  inputs: string[],
  run: CheckRunOptions = {},
): Promise<{ results: FileResult[]; previousError?: string; previousWarnings: { zh: string; en: string }[] }> {
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
  const previousWarnings: { zh: string; en: string }[] = [];
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
    if (previous) {
      const why = notLastYear(previous, rep);
      if (why)
        previousWarnings.push({
          zh: `${run.previous} ${why.zh}，未用于 ${r.file} 的跨年度检查。`,
          en: `${run.previous} ${why.en}; not used for the cross-year checks of ${r.file}.`,
        });
      else prev = previous;
    }
    if (!prev && rep.year !== null) {
      const lastYear = reports.filter((o) => o.report !== rep && o.report.year === (rep.year ?? 0) - 1 && agencyKey(rep.agency) !== '');
      // the same name; else the same body named with (or without) its region in front, when only one fits
      prev = lastYear.find((o) => agencyKey(o.report.agency) === agencyKey(rep.agency))?.report ?? null;
      if (!prev) {
        const fits = lastYear.filter((o) => sameBody(o.report.agency, rep.agency));
        if (fits.length === 1) prev = fits[0].report;
      }
    }
    const peers = reports.filter((o) => o.report !== rep && o.report !== prev);
    return { file: r.file, report: rep, diagnostics: check({ report: rep, previous: prev, peers, options: run.options }) };
  });
  return { results, previousError, previousWarnings };
}
