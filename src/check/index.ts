/** The checker: runs every rule of the catalogue over a report. */

import type { Provenance } from '../model/provenance.js';
import type { Report } from '../model/report.js';
import { RULES } from './catalogue.js';
import { facts } from './context.js';
import { type CheckContext, type CheckOptions, DEFAULT_OPTIONS, type Diagnostic, type Rule } from './types.js';

export { RULES } from './catalogue.js';
export type { CheckOptions, Diagnostic, Rule } from './types.js';

/** line/column of a provenance when the input has lines */
export function locationOf(p: Provenance | undefined | null): { line: number; column: number } | null {
  if (!p) return null;
  if (p.kind === 'text') return { line: p.line, column: p.column };
  if (p.kind === 'table' && p.line !== undefined) return { line: p.line, column: p.column ?? 1 };
  return null;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export interface CheckInput {
  report: Report;
  previous?: Report | null;
  peers?: { file: string; report: Report }[];
  options?: Partial<CheckOptions>;
  /** run only these rules (by id) */
  only?: string[];
}

export function check(input: CheckInput, rules: readonly Rule[] = RULES): Diagnostic[] {
  const ctx: CheckContext = {
    report: input.report,
    previous: input.previous ?? null,
    peers: input.peers ?? [],
    options: { ...DEFAULT_OPTIONS, ...input.options, deadlines: { ...DEFAULT_OPTIONS.deadlines, ...input.options?.deadlines } },
  };
  const out: Diagnostic[] = [];
  // where each diagnostic's path came from (the cell, the first cell under it, its label): indexed once
  const origins = facts(ctx);
  for (const rule of rules) {
    if (input.only && !input.only.includes(rule.id)) continue;
    if (rule.crossYear && !ctx.previous) continue;
    rule.check(ctx, (d) => {
      const origin = origins.origin(d.path);
      out.push({
        rule: rule.id,
        severity: d.severity ?? rule.severity,
        message: d.message,
        path: d.path,
        location: locationOf(origin),
        origin,
      });
    });
  }
  // stable order: by position in the input when known, errors first otherwise
  if (out.length < 2) return out;
  return out
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const la = a.d.location?.line ?? Number.MAX_SAFE_INTEGER;
      const lb = b.d.location?.line ?? Number.MAX_SAFE_INTEGER;
      return (
        la - lb ||
        (a.d.location?.column ?? 0) - (b.d.location?.column ?? 0) ||
        SEVERITY_ORDER[a.d.severity] - SEVERITY_ORDER[b.d.severity] ||
        a.i - b.i
      );
    })
    .map(({ d }) => d);
}
