/**
 * Fuzzing the whole reading path (text reader and extractor, and the HTML
 * reader through parseBytes): any input either parses to a Report or fails
 * with a ReadError, never anything else, and always terminates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';
import { ReadError } from '../src/read/errors.js';
import { sampleReport2021 } from './helpers/arbitrary.js';
import { SEEDS, seedFiles } from './helpers/paths.js';
import { toGluedText, toHtml } from './helpers/variants.js';

const enc = new TextEncoder();

async function parsesOrRefuses(text: string, name: string): Promise<void> {
  try {
    const r = await parseBytes(enc.encode(text), name);
    // a report that parses is well formed
    expect(['2021', '2019']).toContain(r.format);
    for (const row of Object.values(r.applications))
      for (const v of Object.values(row)) expect(v === null || Number.isFinite(v)).toBe(true);
  } catch (e) {
    if (!(e instanceof ReadError)) throw e;
  }
}

/** cut, duplicate, delete and splice random pieces of a text */
const mutation = (base: string) =>
  fc
    .array(
      fc.record({
        at: fc.nat({ max: base.length }),
        len: fc.nat({ max: 200 }),
        op: fc.constantFrom('delete', 'duplicate', 'insert', 'digits', 'tabs'),
        text: fc.string({ maxLength: 30 }),
      }),
      { minLength: 1, maxLength: 6 },
    )
    .map((ops) => {
      let s = base;
      for (const o of ops) {
        const at = Math.min(o.at, s.length);
        const piece = s.slice(at, at + o.len);
        if (o.op === 'delete') s = s.slice(0, at) + s.slice(at + o.len);
        else if (o.op === 'duplicate') s = s.slice(0, at) + piece + piece + s.slice(at + o.len);
        else if (o.op === 'insert') s = s.slice(0, at) + o.text + s.slice(at);
        else if (o.op === 'digits') s = s.slice(0, at) + piece.replace(/\d/g, (d) => String((Number(d) + 7) % 10)) + s.slice(at + o.len);
        else s = s.slice(0, at) + piece.replace(/\t/g, '') + s.slice(at + o.len);
      }
      return s;
    });

describe('fuzz: parse', () => {
  const seeds = seedFiles().map((f) => readFileSync(join(SEEDS, f), 'utf8'));
  it('arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 2000 }), async (s) => parsesOrRefuses(s, 'x.txt')),
      { numRuns: 200 },
    );
  });
  it('mutated seeds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds).chain((s) => mutation(s)),
        async (s) => parsesOrRefuses(s, 'x.txt'),
      ),
      { numRuns: 150 },
    );
  });
  it('mutated text whose separators were lost (the digit-splitting path)', async () => {
    const glued = toGluedText(sampleReport2021());
    await fc.assert(
      fc.asyncProperty(mutation(glued), async (s) => parsesOrRefuses(s, 'x.txt')),
      { numRuns: 60 },
    );
  });
  it('mutated HTML reports', async () => {
    const html = toHtml(sampleReport2021(), { chrome: true, brInLabels: true });
    await fc.assert(
      fc.asyncProperty(mutation(html), async (s) => parsesOrRefuses(s, 'x.html')),
      { numRuns: 100 },
    );
  });
});
