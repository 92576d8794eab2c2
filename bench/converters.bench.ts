/**
 * Converter output (issue 16): generated reports of both formats rendered as Markdown and broken the
 * way PDF-to-Markdown converters break tables (test/helpers/mangle.ts), read back; per kind, the
 * share of cells right, left empty, and wrong (a confident wrong number: what must never happen).
 * Run: npx tsx bench/converters.bench.ts
 */
import fc from 'fast-check';
import { extractReport } from '../src/extract/index.js';
import { readDocument } from '../src/read/index.js';
import { arbReport2019, arbReport2021 } from '../test/helpers/arbitrary.js';
import { MANGLE_KINDS, mangledMarkdown } from '../test/helpers/mangle.js';

const reports = [...fc.sample(arbReport2021(), { numRuns: 40, seed: 1 }), ...fc.sample(arbReport2019(), { numRuns: 20, seed: 2 })];
console.log(`${reports.length} reports, ${reports.length > 0 ? 'two breaks each' : ''}`);
console.log('| kind | cells right | left empty | wrong | e.g. |');
for (const kind of MANGLE_KINDS) {
  let right = 0,
    nulls = 0,
    wrong = 0,
    total = 0;
  const examples: string[] = [];
  for (let i = 0; i < reports.length; i++) {
    const want = reports[i];
    const md = mangledMarkdown(want, kind, 100 + i);
    const got = extractReport(await readDocument(new TextEncoder().encode(md), 'x.md'));
    for (const table of ['proactive', 'applications', 'reviewLitigation'] as const) {
      const w = want[table] as Record<string, Record<string, unknown>>;
      const g = got[table] as Record<string, Record<string, unknown>>;
      for (const row of Object.keys(w))
        for (const col of Object.keys(w[row])) {
          total++;
          const gv = g?.[row]?.[col];
          if (gv === null || gv === undefined) nulls++;
          else if (String(gv) === String(w[row][col])) right++;
          else {
            wrong++;
            if (examples.length < 3) examples.push(`${table}.${row}.${col}: ${gv} ≠ ${w[row][col]}`);
          }
        }
    }
  }
  console.log(`| ${kind} | ${((right / total) * 100).toFixed(1)} % | ${nulls} | ${wrong} | ${examples.join('; ')} |`);
}
