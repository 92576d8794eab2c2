import type { Report } from '../../src/model/report.js';

/** the comparable part of a report: expected files store `sectionsStart` instead of `sections` */
export function comparable(r: Report): Record<string, unknown> {
  const start = (s: string | null) => (s === null ? null : [...s].slice(0, 20).join(''));
  const out: Record<string, unknown> = {
    format: r.format,
    agency: r.agency,
    year: r.year,
    publishedOn: r.publishedOn,
    sectionsStart: { overview: start(r.sections.overview), problems: start(r.sections.problems), other: start(r.sections.other) },
    proactive: r.proactive,
    applications: r.applications,
    reviewLitigation: r.reviewLitigation,
  };
  if (r.ambiguities?.length) out.ambiguities = r.ambiguities;
  return out;
}

/** only the table values */
export function tables(r: Pick<Report, 'proactive' | 'applications' | 'reviewLitigation'>): Record<string, unknown> {
  return { proactive: r.proactive, applications: r.applications, reviewLitigation: r.reviewLitigation };
}
