/**
 * Facts of a report computed once, when it is stored (on the worker pool), rather than each time
 * the scores are computed: its 雷同 with the body's own report of the year before.
 */
import { containment, sectionPrint, sharedPassages } from '../check/similarity.js';
import type { Report } from '../model/report.js';
import type { ScoringFacts } from './types.js';

/** 雷同 with the body's own report of last year: containment of this year's overview in last year's (null when not comparable) */
export function previousSimilarity(report: Report, previous: Report | null): ScoringFacts['previousSimilarity'] {
  if (!previous) return null;
  const a = sectionPrint(report, 'overview');
  const b = sectionPrint(previous, 'overview');
  if (!a || !b) return null;
  const ratio = containment(a.shingles, b.shingles).ratio;
  return { ratio: Math.round(ratio * 1000) / 1000, passages: ratio > 0 ? sharedPassages(a, b, new Set(), 3).passages : [] };
}
