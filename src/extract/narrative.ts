/**
 * Figures quoted in the narrative whose meaning is unambiguous
 * ("全年新收政府信息公开申请366件", "现行有效规范性文件86件"). The reader uses
 * them only to choose between splits of digits that ran together; the checker
 * compares them with the tables.
 */
import type { FormatVersion } from '../model/report.js';
import { tidyCjk } from '../util/normalize.js';

export interface Figure {
  /** JSON path of the table cell the figure speaks of */
  path: string;
  value: number;
  /** the sentence it was found in */
  sentence: string;
}

const N = '(\\d{1,3}(?:,\\d{3})+|\\d+)';
const GAP = '[^。；;，,：:、\\d]{0,8}?';

interface Pattern {
  path: string;
  re: RegExp;
  versions: FormatVersion[];
}

const P = (path: string, src: string, versions: FormatVersion[] = ['2021', '2019']): Pattern => ({
  path,
  re: new RegExp(src, 'g'),
  versions,
});

const PATTERNS: Pattern[] = [
  P('applications.newReceived.total', `(?:新收|收到|受理|接收)${GAP}(?:政府信息公开)?申请(?:共|总计|合计)?${N}件`),
  P('applications.carriedOver.total', `上年(?:度)?结转${GAP}${N}件`),
  P('applications.carriedForward.total', `结转(?:至)?下(?:一)?年度${GAP}${N}件`),
  P('proactive.normativeDocuments.issued', `(?:制发|印发|出台|制定|发布)${GAP}(?:行政)?规范性文件(?:共)?${N}件`, ['2021']),
  P('proactive.normativeDocuments.repealed', `废止${GAP}(?:行政)?规范性文件(?:共)?${N}件`, ['2021']),
  P('proactive.normativeDocuments.inForce', `现行有效(?:的)?(?:行政)?规范性文件(?:共)?${N}件`, ['2021']),
  P('proactive.regulations.issued', `(?:制发|制定|出台|发布)${GAP}规章(?:共)?${N}件`, ['2021']),
  P('proactive.regulations.inForce', `现行有效(?:的)?规章(?:共)?${N}件`, ['2021']),
  P('proactive.licensing.decisions', `行政许可(?:决定|事项)?(?:共)?${N}(?:件|项|个)`),
  P('proactive.punishment.decisions', `行政处罚(?:决定)?(?:共)?${N}(?:件|项|个)`),
  P('proactive.enforcement.decisions', `行政强制(?:决定)?(?:共)?${N}(?:件|项|个)`),
];

/** figures in a narrative text */
export function findFigures(text: string, version: FormatVersion = '2021'): Figure[] {
  const out: Figure[] = [];
  const clean = tidyCjk(text).replace(/[ \t]+/g, '');
  for (const sentence of clean.split(/(?<=[。；;！!？?\n])/)) {
    // every pattern ends in a number of 件/项/个
    if (!/\d/.test(sentence)) continue;
    for (const p of PATTERNS) {
      if (!p.versions.includes(version)) continue;
      p.re.lastIndex = 0;
      for (let m = p.re.exec(sentence); m !== null; m = p.re.exec(sentence)) {
        out.push({ path: p.path, value: Number(m[1].replace(/,/g, '')), sentence: sentence.trim() });
      }
    }
  }
  return out;
}

/** path → value, keeping only figures quoted with one value */
export function figureHints(text: string, version: FormatVersion = '2021'): Map<string, number> {
  const seen = new Map<string, Set<number>>();
  for (const f of findFigures(text, version)) {
    if (!seen.has(f.path)) seen.set(f.path, new Set());
    seen.get(f.path)!.add(f.value);
  }
  const out = new Map<string, number>();
  for (const [k, v] of seen) if (v.size === 1) out.set(k, [...v][0]);
  return out;
}
