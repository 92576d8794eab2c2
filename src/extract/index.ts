/** Document model → Report JSON. */
import type { Report } from '../model/report.js';
import type { DocumentModel } from '../read/document.js';
import { ReadError } from '../read/errors.js';
import { chooseHeadings, findHeadings, findPageDate, findSignature, findTitle, sectionText } from './meta.js';
import { figureHints } from './narrative.js';
import { verifyOcrCells } from './ocr.js';
import { extractTables } from './tables.js';
import { tokenize, toUnits } from './tokens.js';

export function extractReport(doc: DocumentModel): Report {
  const units = toUnits(doc);
  const allHeadings = findHeadings(units);
  const headings = chooseHeadings(allHeadings);
  const h1 = headings.get('overview');
  const h2 = headings.get('proactive');
  const h5 = headings.get('problems');
  // the tables sit between 二 and 五: only that part is tokenised first
  const u2 = h2 ? h2.unit : 0;
  const u5 = h5 && h5.unit > u2 ? h5.unit : units.length;
  // figures quoted in the overview help to split digits that ran together (made the first time
  // such a row asks for them)
  let hintMap: Map<string, number> | null = null;
  const hints = (): Map<string, number> => {
    if (hintMap === null)
      hintMap = figureHints(h1 ? sectionText(units, h1.unit, h2 && h2.unit > h1.unit ? h2.unit : units.length, h1.body) : '');
    return hintMap;
  };
  const good = (x: ReturnType<typeof extractTables>) =>
    x !== null &&
    ((x.found.anchors && x.found.applications >= 8) || (x.found.tableAMarkers && x.found.proactive >= 3 && x.found.applications >= 3));
  let s = tokenize(units, u2, u5);
  let t = extractTables(s, 0, s.T.length, hints);
  // tables placed away from their headings (a workbook with the narrative on its own sheet,
  // headings repeated in a table of contents): search the whole document
  if (!good(t) && (u2 > 0 || u5 < units.length)) {
    const all = tokenize(units);
    const whole = extractTables(all, 0, all.T.length, hints);
    if (good(whole)) {
      s = all;
      t = whole;
    }
  }
  const { tokens } = s;
  const ok = good(t);
  if (!t || !ok) {
    const hasReportWords = units.some((u) => u.text.includes('政府信息公开')) && units.some((u) => u.text.includes('报告'));
    throw new ReadError(
      'not-a-report',
      doc.source,
      hasReportWords
        ? `文件 ${doc.source} 没有 2019 年或 2021 年格式的统计表（可能是 2019 年以前的旧格式年报），无法按年度报告读取。`
        : `文件 ${doc.source} 不是政府信息公开工作年度报告（找不到年报的统计表）。`,
      hasReportWords
        ? `File ${doc.source} has none of the tables of the 2019 or 2021 annual-report format (perhaps a pre-2019 report), so it cannot be read as an annual report.`
        : `File ${doc.source} is not a government information disclosure annual report (none of its tables were found).`,
    );
  }

  // narrative
  const unitOf = (k: 'overview' | 'proactive' | 'applications' | 'reviewLitigation' | 'problems' | 'other') => headings.get(k)?.unit;
  /** where a section's text starts in its heading's unit (a heading run into its text), or -1 */
  const bodyOf = (k: 'overview' | 'problems' | 'other') => headings.get(k)?.body ?? -1;
  const nextHeadingAfter = (u: number) => {
    let best = units.length;
    for (const h of allHeadings) if (h.unit > u && h.unit < best) best = h.unit;
    return best;
  };
  const lastTableUnit = (() => {
    // the unit holding the end of the tables
    const tok = t.span.end > 0 ? s.at[Math.min(t.span.end, s.T.length) - 1] : -1;
    return tok >= 0 ? tokens[tok].unit : -1;
  })();
  const six = unitOf('other');
  const sig = six !== undefined ? findSignature(units, six, nextHeadingAfter(six)) : findSignature(units, lastTableUnit, units.length);
  const ov = unitOf('overview');
  const pr = unitOf('problems');
  const ot = unitOf('other');
  const overviewEnd = ov !== undefined ? Math.min(nextHeadingAfter(ov), tokens[s.at[Math.max(0, t.span.start)]]?.unit ?? units.length) : 0;
  const sigFirst = sig.units.length > 0 ? Math.min(...sig.units) : units.length;
  const sections = {
    overview: ov !== undefined ? sectionText(units, ov, overviewEnd, bodyOf('overview')) || null : null,
    problems: pr !== undefined ? sectionText(units, pr, Math.min(nextHeadingAfter(pr), sigFirst), bodyOf('problems')) || null : null,
    other: ot !== undefined ? sectionText(units, ot, Math.min(nextHeadingAfter(ot), sigFirst), bodyOf('other')) || null : null,
  };

  // title, agency, year
  let firstHeading = units.length;
  for (const h of headings.values()) if (h.unit < firstHeading) firstHeading = h.unit;
  const title = findTitle(units, Math.max(firstHeading, 1));
  let agency = title?.agency ?? null;
  if (sig.agency && (!agency || (sig.agency.startsWith(agency) && sig.agency.length > agency.length))) agency = sig.agency;
  let year = title?.year ?? null;
  if (year === null && sections.overview) {
    const m = /(20\d{2})\s*年/.exec(sections.overview);
    if (m) year = Number(m[1]);
  }
  if (year === null && sig.date) year = Number(sig.date.slice(0, 4)) - 1;

  const report: Report = {
    format: t.format,
    agency,
    year,
    publishedOn: sig.date ?? findPageDate(units),
    sections,
    proactive: t.proactive as Report['proactive'],
    applications: t.applications as Report['applications'],
    reviewLitigation: t.reviewLitigation as unknown as Report['reviewLitigation'],
  };
  if (t.ambiguities.length > 0) report.ambiguities = t.ambiguities;
  report.labels = t.labels;
  report.template = {
    mixedOtherHandling: t.mixedOtherHandling,
    sectionsFound: [...headings.keys()],
    sectionsOutOfOrder: [...new Set(allHeadings.filter((h) => !headings.has(h.section)).map((h) => h.section))],
  };
  report.input = { kind: doc.kind, file: doc.source };
  report.provenance = t.provenance;
  // numbers read from a scanned page: trusted only where the sums or the recogniser vouch for them
  verifyOcrCells(report);
  return report;
}
