/**
 * The checker's output does not change when its implementation does: every case of
 * test/fixtures/check-golden/cases.ts (real, generated and example reports; alone, with last year's
 * report, in runs with peers, with options; every table cell changed in turn) gives exactly the
 * diagnostics stored in diagnostics.json.gz by the checker as it was (generate.ts).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { buildCases, type CaseInput, DIAGNOSTICS_FILE, loadInputs, runFamily } from './fixtures/check-golden/cases.js';

const golden = JSON.parse(gunzipSync(readFileSync(DIAGNOSTICS_FILE)).toString('utf8')) as {
  full: Record<string, unknown[]>;
  mutations: Record<string, string[]>;
};
const { full, families } = buildCases(loadInputs());
const run = (input: CaseInput) => check(input as Parameters<typeof check>[0]);

describe('check() gives the golden diagnostics', () => {
  it('has every case of the golden file', () => {
    expect(full.map((c) => c.id).sort()).toEqual(Object.keys(golden.full).sort());
    expect(families.map((f) => f.id).sort()).toEqual(Object.keys(golden.mutations).sort());
  });

  it(`${full.length} cases, diagnostics in full`, () => {
    const wrong: string[] = [];
    for (const c of full) {
      const got = JSON.parse(JSON.stringify(run(c.input)));
      try {
        expect(got).toEqual(golden.full[c.id]);
      } catch {
        wrong.push(c.id);
      }
    }
    if (wrong.length > 0) {
      // show the first difference in full
      const c = full.find((x) => x.id === wrong[0])!;
      expect(JSON.parse(JSON.stringify(run(c.input))), `${wrong.length} cases differ: ${wrong.slice(0, 10).join('; ')}`).toEqual(
        golden.full[c.id],
      );
    }
  });

  it(`${families.reduce((s, f) => s + f.mutations.length, 0)} mutations of ${families.length} reports, by digest`, () => {
    const wrong: string[] = [];
    for (const f of families) {
      const got = runFamily(f, run);
      const want = golden.mutations[f.id];
      for (let i = 0; i < Math.max(got.length, want.length); i++) {
        if (got[i] !== want[i]) wrong.push(`${f.id}: ${f.mutations[i]?.label ?? `#${i}`}`);
      }
    }
    expect(wrong.slice(0, 20), `${wrong.length} mutations differ`).toEqual([]);
  }, 120_000);
});
