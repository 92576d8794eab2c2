/**
 * The per-check facts of src/check/context.ts against the plain helpers they replace: the
 * equations with their values and residuals (`equations`, `residual`), the single-cell repair
 * (`singleCellFix`), the origin of a path (the scan of the provenance it replaces, in both of its
 * ways: the first paths scanned, then indexed), and no fingerprint made when a check has nothing to
 * compare the narrative with.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { facts } from '../src/check/context.js';
import { check } from '../src/check/index.js';
import { fingerprintsMade } from '../src/check/similarity.js';
import { type CheckContext, DEFAULT_OPTIONS } from '../src/check/types.js';
import { equations, residual, singleCellFix, valueAt } from '../src/model/equations.js';
import type { Provenance } from '../src/model/provenance.js';
import type { Report } from '../src/model/report.js';
import { loadInputs } from './fixtures/check-golden/cases.js';
import { arbReport2019, arbReport2021, sampleReport2021 } from './helpers/arbitrary.js';

const ctxOf = (report: Report): CheckContext => ({ report, previous: null, peers: [], options: DEFAULT_OPTIONS });

/** the origin of a path as src/check/index.ts found it before the index: a scan per diagnostic */
function originByScan(report: Report, path: string | null): Provenance | null {
  if (!path || !report.provenance) return null;
  const exact = report.provenance[path];
  if (exact) return exact.prov;
  const prefix = `${path}.`;
  for (const [k, v] of Object.entries(report.provenance)) if (k.startsWith(prefix)) return v.prov;
  const label = report.labels?.find((l) => l.path === path);
  return label?.prov ?? null;
}

/** the seeds, the corpus PDFs and the samples as read (stored with the golden diagnostics) */
const reports: Report[] = [];

beforeAll(() => {
  const stored = loadInputs().reports;
  for (const id of Object.keys(stored).sort()) if (/^(seed|pdf|sample):/.test(id)) reports.push(stored[id]);
});

describe('equations and their values', () => {
  it('are those of equations() and residual(), for generated reports with blanks and odd values', () => {
    fc.assert(
      fc.property(
        fc.oneof(arbReport2021({ nulls: true }), arbReport2019({ nulls: true })),
        fc.array(fc.tuple(fc.nat(), fc.oneof(fc.integer({ min: -5, max: 500 }), fc.constant(null), fc.constant(0.5))), { maxLength: 4 }),
        (report, changes) => {
          const rows = report.applications as unknown as Record<string, Record<string, number | null>>;
          const keys = Object.keys(rows);
          for (const [i, v] of changes) {
            const row = rows[keys[i % keys.length]];
            const cols = Object.keys(row);
            row[cols[(i >> 3) % cols.length]] = v;
          }
          const got = facts(ctxOf(report)).equations;
          const want = equations(report);
          expect(got.map((e) => ({ kind: e.kind, key: e.key, left: e.left, right: e.right }))).toEqual(want);
          for (const [i, e] of want.entries()) {
            expect(got[i].residual).toBe(residual(report, e));
            expect(got[i].leftValues).toEqual(e.left.map((p) => valueAt(report, p)));
            expect(got[i].rightValues).toEqual(e.right.map((p) => valueAt(report, p)));
          }
          expect(facts(ctxOf(report)).fix).toEqual(singleCellFix(report));
        },
      ),
      { numRuns: 60, seed: 1919 },
    );
  });

  it('follow a row added to or removed from 表二 between two checks of the same report', () => {
    const report = sampleReport2021();
    const before = facts(ctxOf(report)).equations.length;
    const rows = report.applications as unknown as Record<string, unknown>;
    const saved = rows.outcomeTotal;
    delete rows.outcomeTotal;
    expect(facts(ctxOf(report)).equations.map((e) => e.kind)).toEqual(equations(report).map((e) => e.kind));
    expect(facts(ctxOf(report)).equations.length).toBeLessThan(before);
    rows.outcomeTotal = saved;
    expect(facts(ctxOf(report)).equations.length).toBe(before);
  });
});

describe('single-cell fix', () => {
  it('is singleCellFix() for every cell of 表二 and 表三 of real reports changed in turn', () => {
    let tried = 0;
    let found = 0;
    // a PDF, the two samples, a seed (the golden test checks the fix's message over every report)
    for (const report of [reports[0], reports[3], reports[4], reports[5]]) {
      for (const table of ['applications', 'reviewLitigation'] as const) {
        const rows = report[table] as unknown as Record<string, Record<string, number | null>>;
        for (const row of Object.keys(rows)) {
          for (const col of Object.keys(rows[row])) {
            const original = rows[row][col];
            // (a fraction now and then: the reference is slow, a residual per cell and equation)
            for (const v of tried % 5 === 0 ? [(original ?? 0) + 1, (original ?? 0) + 2.5] : [(original ?? 0) + 1]) {
              rows[row][col] = v;
              try {
                const want = singleCellFix(report);
                expect(facts(ctxOf(report)).fix, `${table}.${row}.${col}=${v}`).toEqual(want);
                tried++;
                if (want) found++;
              } finally {
                rows[row][col] = original;
              }
            }
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(600);
    expect(found).toBeGreaterThan(300);
  });
});

describe('origin of a path', () => {
  it('is the scan’s, for every key, every prefix of a key, labels and unknown paths, scanned or indexed', () => {
    for (const report of reports) {
      const keys = Object.keys(report.provenance ?? {});
      const prefixes = keys.flatMap((k) => k.split('.').map((_, i, a) => a.slice(0, i + 1).join('.')));
      const paths = [
        ...new Set([
          ...keys,
          ...prefixes,
          ...(report.labels ?? []).map((l) => l.path),
          'sections.problems',
          'sections.other',
          'applications.*.publicInterest',
          'publishedOn',
          'proactive',
          'applications.gran',
          'nothing.here',
          '',
        ]),
      ];
      // one context per path (the first paths of a check are scanned) and one for them all (indexed)
      for (const p of paths) expect(facts(ctxOf(report)).origin(p), p).toBe(originByScan(report, p));
      const shared = facts(ctxOf(report));
      for (const p of paths) expect(shared.origin(p), p).toBe(originByScan(report, p));
      for (const p of [...paths].reverse()) expect(shared.origin(p), p).toBe(originByScan(report, p));
      expect(shared.origin(null)).toBeNull();
    }
  });

  it('a label path takes the label’s origin when no cell is under it', () => {
    const report = sampleReport2021();
    const prov: Provenance = { kind: 'text', line: 7, column: 3 };
    report.provenance = { 'applications.granted.total': { raw: '35', prov: { kind: 'text', line: 30, column: 9 } } };
    report.labels = [{ path: 'applications.*.publicInterest', published: '社会组织', expected: '社会公益组织', prov }];
    const ds = check({ report, only: ['table-labels'] });
    expect(ds[0].origin).toBe(prov);
    expect(ds[0].location).toEqual({ line: 7, column: 3 });
  });
});

describe('fingerprints (雷同)', () => {
  const fresh = (r: Report): Report => ({ ...r });

  it('none made when there is nothing to compare with', () => {
    const before = fingerprintsMade();
    for (const r of reports) check({ report: fresh(r) });
    for (const r of reports) check({ report: fresh(r), peers: [] });
    // the report itself as its previous and its own peer: still nothing to compare
    for (const r of reports) {
      const me = fresh(r);
      check({ report: me, previous: me, peers: [{ file: 'me.txt', report: me }] });
    }
    expect(fingerprintsMade()).toBe(before);
  });

  it('made when there is last year’s report or a peer', () => {
    let before = fingerprintsMade();
    check({ report: fresh(reports[0]), previous: fresh(reports[1]) });
    expect(fingerprintsMade()).toBeGreaterThan(before);
    before = fingerprintsMade();
    check({ report: fresh(reports[0]), peers: [{ file: 'other.txt', report: fresh(reports[2]) }] });
    expect(fingerprintsMade()).toBeGreaterThan(before);
  });

  it('a run of fewer than six agencies makes no fingerprint for the common language', () => {
    // two reports: the checked one and last year's; two sections each at most
    const before = fingerprintsMade();
    check({ report: fresh(reports[0]), previous: fresh(reports[1]) });
    expect(fingerprintsMade() - before).toBeLessThanOrEqual(4);
  });
});
