/**
 * What changed between two versions of a body's report for a year (a report edited after
 * publication is itself a finding, indicator S4): the table cells whose values differ, with their
 * Chinese labels, and the narrative sections that differ, with the first sentences that do.
 * Another file of the same content (the PDF and the Word of one report) has no difference.
 */
import type { Report } from '../model/report.js';
import { cellLabel, flatCells } from './rollup.js';

export interface CellChange {
  key: string;
  /** “依申请公开 / 一、本年新收政府信息公开申请数量 / 总计” */
  label: string;
  before: number | null;
  after: number | null;
}

export interface SectionChange {
  section: 'overview' | 'problems' | 'other';
  /** the section's heading */
  label: string;
  /** sentences of the earlier version not in the later one (at most 5) */
  removed: string[];
  /** sentences of the later version not in the earlier one (at most 5) */
  added: string[];
}

export interface ReportDiff {
  cells: CellChange[];
  sections: SectionChange[];
  /** the publication date or the format changed */
  meta: { field: 'publishedOn' | 'format' | 'agency'; before: string | null; after: string | null }[];
  /** no difference of content */
  same: boolean;
}

const SECTION_LABEL = { overview: '一、总体情况', problems: '五、存在的主要问题及改进情况', other: '六、其他需要报告的事项' } as const;

const sentencesOf = (t: string | null | undefined): string[] =>
  (t ?? '')
    .split(/(?<=[。；！？!?;])|\n+/)
    .map((s) => s.replace(/\s+/g, ''))
    .filter(Boolean);

export function diffReports(before: Report, after: Report): ReportDiff {
  const a = flatCells(before);
  const b = flatCells(after);
  const cells: CellChange[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[key] ?? null;
    const y = b[key] ?? null;
    if (x !== y) cells.push({ key, label: cellLabel(key), before: x, after: y });
  }
  const sections: SectionChange[] = [];
  for (const section of ['overview', 'problems', 'other'] as const) {
    const x = sentencesOf(before.sections?.[section]);
    const y = sentencesOf(after.sections?.[section]);
    if (x.join('') === y.join('')) continue;
    const inY = new Set(y);
    const inX = new Set(x);
    sections.push({
      section,
      label: SECTION_LABEL[section],
      removed: x.filter((s) => !inY.has(s)).slice(0, 5),
      added: y.filter((s) => !inX.has(s)).slice(0, 5),
    });
  }
  const meta: ReportDiff['meta'] = [];
  for (const field of ['publishedOn', 'format', 'agency'] as const) {
    const x = (before[field] as string | null) ?? null;
    const y = (after[field] as string | null) ?? null;
    if ((x ?? '').replace(/\s+/g, '') !== (y ?? '').replace(/\s+/g, '')) meta.push({ field, before: x, after: y });
  }
  return { cells, sections, meta, same: cells.length === 0 && sections.length === 0 };
}
