/**
 * Limits on the text of a report, enforced before any work that grows with it (rendering, the
 * similarity rule's passages): a narrative section of an annual report runs to a few thousand
 * characters; these limits are generous for any real report and bound the work for any other.
 */

import { NianbaoError } from './errors.js';
import type { Report } from './report.js';

export const TEXT_LIMITS = {
  /** characters in one narrative section (一、五、六) */
  section: 100_000,
  /** characters in all narrative sections together */
  report: 200_000,
} as const;

const SECTION_ZH: Record<keyof Report['sections'], string> = {
  overview: '“一、总体情况”',
  problems: '“五、存在的主要问题及改进情况”',
  other: '“六、其他需要报告的事项”',
};

/** a report whose text is over a limit; zh and en are one sentence each */
export class TextLimitError extends NianbaoError {
  declare readonly code: 'text-too-long';
  constructor(zh: string, en: string) {
    super('text-too-long', zh, en);
    this.name = 'TextLimitError';
  }
}

/** throws a TextLimitError when a section or the whole narrative is longer than TEXT_LIMITS */
export function checkTextLimits(report: Pick<Report, 'sections'>): void {
  let total = 0;
  for (const key of ['overview', 'problems', 'other'] as const) {
    const text = report.sections?.[key];
    const n = typeof text === 'string' ? text.length : 0;
    total += n;
    if (n > TEXT_LIMITS.section) {
      throw new TextLimitError(
        `报告的${SECTION_ZH[key]}有 ${n} 个字符，超过每部分 ${TEXT_LIMITS.section} 个字符的上限，未处理。`,
        `The report's ${key} section has ${n} characters, over the limit of ${TEXT_LIMITS.section} per section; not processed.`,
      );
    }
  }
  if (total > TEXT_LIMITS.report) {
    throw new TextLimitError(
      `报告正文共 ${total} 个字符，超过 ${TEXT_LIMITS.report} 个字符的上限，未处理。`,
      `The report's narrative has ${total} characters in all, over the limit of ${TEXT_LIMITS.report}; not processed.`,
    );
  }
}
