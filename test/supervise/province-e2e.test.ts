/**
 * The acceptance test of supervision on a generated province (test/helpers/province.ts): the
 * directory imported from its CSV, five years of reports produced by our own renderers (every
 * format) imported in bulk, the misspelled ones confirmed by a person — then every status, total,
 * copied pair and the scores' evidence exactly as constructed. The small province (≈ 70 bodies,
 * every report through the whole read path); the full one (≈ 3,000 bodies) for one year through
 * the Report JSON path (the same intake: hash, match, check, store), and its pages' figures.
 */
import { describe, expect, it } from 'vitest';
import type { RenderFormat } from '../../src/render/index.js';
import { renderMarkdown } from '../../src/render/index.js';
import { inPlaceJobs } from '../../src/server/jobs.js';
import { type AppDb, openAppDb } from '../../src/store/app.js';
import { applyDirectory, listBodies, listPending } from '../../src/store/supervise.js';
import { parseDirectoryFile, planDirectory } from '../../src/supervise/directory-file.js';
import {
  confirmPending,
  defaultRubric,
  type IntakeFile,
  intakeFiles,
  yearCopies,
  yearRollup,
  yearScores,
  yearStatus,
} from '../../src/supervise/service.js';
import { freshTarget } from '../helpers/db.js';
import { DIRECTORY_HEADERS, generateProvince, type Province, renderSample, reportFileName } from '../helpers/province.js';

function csvOf(p: Province): Uint8Array {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [DIRECTORY_HEADERS.join(','), ...p.rows.map((r) => DIRECTORY_HEADERS.map((h) => q(r[h])).join(','))];
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

async function loadDirectory(db: AppDb, p: Province): Promise<Map<string, number>> {
  const parsed = await parseDirectoryFile(csvOf(p), '名录.csv');
  expect(parsed.problems.filter((x) => x.severity === 'error')).toEqual([]);
  const plan = planDirectory(parsed.rows, []);
  expect(plan.problems.filter((x) => x.severity === 'error')).toEqual([]);
  await applyDirectory(db, plan, '省政务公开办', null);
  const bodies = await listBodies(db);
  expect(bodies).toHaveLength(p.bodies.length);
  return new Map(bodies.map((b) => [b.name, b.id]));
}

/** the status page's rows against the constructed truth */
async function expectStatuses(db: AppDb, p: Province, year: number, today: string) {
  const s = await yearStatus(db, null, year, today);
  const expected = [...p.expected.status].filter(([k]) => k.endsWith(`|${year}`));
  expect(s.rows).toHaveLength(expected.length);
  const byName = new Map(s.rows.map((r) => [r.body.name, r.status]));
  const wrong: string[] = [];
  for (const [key, e] of expected) {
    const got = byName.get(key.split('|')[0]);
    const want = { state: e.state, deadline: e.deadline, daysLate: e.daysLate, versions: e.versions, errors: e.errors };
    const have = got && {
      state: got.state,
      deadline: got.deadline,
      daysLate: got.daysLate,
      versions: got.versions,
      errors: got.errors > 0,
    };
    if (JSON.stringify(want) !== JSON.stringify(have)) wrong.push(`${key}: want ${JSON.stringify(want)} got ${JSON.stringify(have)}`);
  }
  expect(wrong).toEqual([]);
  return s;
}

describe('a generated province, full size: one year of 3,000 bodies through the intake', () => {
  it('every status, total, copied pair and score as constructed', { timeout: 600_000 }, async () => {
    const p = generateProvince({ seed: 11, scale: 'full', years: [2024] });
    expect(p.bodies.length).toBeGreaterThan(2900);
    const fresh = await freshTarget('sqlite');
    const db = await openAppDb(fresh.target);
    const jobs = inPlaceJobs();
    try {
      const ids = await loadDirectory(db, p);
      const files: IntakeFile[] = p.reports.map((r, i) => {
        const bytes = new TextEncoder().encode(JSON.stringify(r.report));
        return { name: `${i}-${r.body}.json`, load: async () => bytes };
      });
      const { counts } = await intakeFiles(db, files, { scopeId: null, user: '省政务公开办', jobs });
      expect(counts).toMatchObject({ failed: 0, pending: p.expected.misspelled.length, versions: p.expected.edited.length });
      const pending = await listPending(db, [0, ...ids.values()]);
      for (const m of p.expected.misspelled) {
        const w = pending.find((x) => x.agency === m.agency);
        expect(
          w?.candidates.map((c) => c.name),
          m.agency,
        ).toContain(m.body);
        await confirmPending(db, w!.id, { bodyId: ids.get(m.body)! }, '省政务公开办', jobs);
      }
      await expectStatuses(db, p, 2024, '2025-12-31');
      const { totals } = await yearRollup(db, null, 2024);
      const wrong: string[] = [];
      for (const b of p.bodies.filter((x) => x.kind === 'government')) {
        const got = totals.get(ids.get(b.name)!)?.region ?? {};
        for (const [k, v] of Object.entries(p.expected.totals(b.name, 2024))) {
          if (Math.abs((got[k] ?? 0) - v) > 1e-6) wrong.push(`${b.name} ${k}: ${got[k]} ≠ ${v}`);
        }
      }
      expect(wrong.slice(0, 10)).toEqual([]);
      const pairs = (await yearCopies(db, null, 2024, jobs)).filter((x) => x.section === 'overview');
      const want = p.expected.copies
        .map((c) => [Math.min(ids.get(c.a)!, ids.get(c.b)!), Math.max(ids.get(c.a)!, ids.get(c.b)!)].join('-'))
        .sort();
      // every constructed pair is found; any other pair found really shares its text: the generator's
      // sentences, drawn at random for 3,000 bodies, sometimes coincide (each passage quoted is
      // verbatim in both narratives — no false alarm)
      const found = pairs.map((x) => `${x.a}-${x.b}`);
      expect(want.filter((w) => !found.includes(w))).toEqual([]);
      const overview = new Map(
        p.reports.filter((r) => r.latest).map((r) => [ids.get(r.body)!, (r.report.sections.overview ?? '').replace(/\s+/g, '')]),
      );
      const bare = (t: string) => t.replace(/\s+/g, '').replace(/[。；;，,]$/, '');
      for (const x of pairs.filter((y) => !want.includes(`${y.a}-${y.b}`))) {
        expect(x.ratio).toBeGreaterThanOrEqual(0.5);
        expect(x.passages.length).toBeGreaterThan(0);
        for (const q of x.passages) {
          expect(overview.get(x.a)).toContain(bare(q.a));
          expect(overview.get(x.b)).toContain(bare(q.b));
        }
      }
      expect(pairs.length - want.length).toBeLessThan(5);
      const s = await yearScores(db, null, 2024, defaultRubric(), jobs, '2025-12-31');
      const scoreOf = (name: string) => s.scores.find((x) => x.bodyId === ids.get(name));
      for (const m of p.expected.missing) expect(scoreOf(m.body)?.failed, m.body).toBe(true);
      expect(s.scores.filter((x) => x.failed)).toHaveLength(p.expected.missing.length);
      for (const c of p.expected.copies) {
        expect(
          scoreOf(c.b)?.deductions.some((d) => d.points > 0 && d.evidence.some((e) => e.otherBodyId === ids.get(c.a))),
          c.b,
        ).toBe(true);
      }
    } finally {
      await db.destroy();
      await fresh.cleanup();
    }
  });
});

describe('a generated province, small: five years through every reader', () => {
  it('every status, total, copied pair and score as constructed', { timeout: 300_000 }, async () => {
    const p = generateProvince({ seed: 7, scale: 'small' });
    // every constructed case is there to be found
    const e = p.expected;
    for (const list of [e.missing, e.late, e.errors, e.copies, e.edited, e.misspelled, e.prefixed, e.formerNames])
      expect(list.length).toBeGreaterThan(0);
    const fresh = await freshTarget('sqlite');
    const db = await openAppDb(fresh.target);
    const jobs = inPlaceJobs();
    try {
      const ids = await loadDirectory(db, p);
      // a sample in every format, the rest as Markdown (every report through a reader)
      const formats: RenderFormat[] = ['html', 'docx', 'pdf', 'xlsx'];
      const sample = await renderSample(p, 12, formats, { filter: (r) => r.case === 'plain' || r.case === 'late' });
      const sampled = new Set(sample.map((s) => s.report));
      const files: IntakeFile[] = sample.map((s) => ({ name: s.fileName, load: async () => s.bytes }));
      for (const r of p.reports) {
        if (sampled.has(r.report)) continue;
        const bytes = new TextEncoder().encode(renderMarkdown(r.report));
        files.push({ name: `${r.version > 1 ? 'v2/' : ''}${reportFileName(r.report, 'md')}`, load: async () => bytes });
      }
      const { counts, outcomes } = await intakeFiles(db, files, { scopeId: null, user: '省政务公开办', jobs });
      const failed = outcomes.filter((o) => o.outcome === 'failed');
      expect(failed).toEqual([]);
      expect(counts.pending).toBe(p.expected.misspelled.length);
      expect(counts.versions).toBe(p.expected.edited.length);

      // a person confirms each misspelled report; the right body is among its candidates
      const pending = await listPending(db, [0, ...ids.values()]);
      for (const m of p.expected.misspelled) {
        const w = pending.find((x) => x.agency === m.agency && x.year === m.year);
        expect(w, `${m.agency} ${m.year}`).toBeDefined();
        expect(w?.candidates.map((c) => c.name)).toContain(m.body);
        await confirmPending(db, w!.id, { bodyId: ids.get(m.body)! }, '省政务公开办', jobs);
      }

      for (const year of p.years) await expectStatuses(db, p, year, `${year + 1}-12-31`);

      // the roll-ups of every government, every year, every cell
      for (const year of p.years) {
        const { totals } = await yearRollup(db, null, year);
        for (const b of p.bodies.filter((x) => x.kind === 'government' && x.tier !== 'township')) {
          const want = p.expected.totals(b.name, year);
          const got = totals.get(ids.get(b.name)!)?.region ?? {};
          for (const [k, v] of Object.entries(want)) {
            expect.soft(got[k] ?? 0, `${b.name} ${year} ${k}`).toBeCloseTo(v, 4);
          }
        }
      }

      // the copied pairs of every year are found, and only they (overview)
      for (const year of p.years) {
        const pairs = (await yearCopies(db, null, year, jobs)).filter((x) => x.section === 'overview');
        const want = p.expected.copies
          .filter((c) => c.year === year)
          .map((c) => [Math.min(ids.get(c.a)!, ids.get(c.b)!), Math.max(ids.get(c.a)!, ids.get(c.b)!)].join('-'))
          .sort();
        expect(pairs.map((x) => `${x.a}-${x.b}`).sort(), `${year}`).toEqual(want);
      }

      // scores: the evidence of each constructed finding
      const year = p.years[p.years.length - 1];
      const s = await yearScores(db, null, year, defaultRubric(), jobs, `${year + 1}-12-31`);
      const scoreOf = (name: string) => s.scores.find((x) => x.bodyId === ids.get(name));
      for (const m of p.expected.missing.filter((x) => x.year === year)) expect(scoreOf(m.body)?.failed, m.body).toBe(true);
      for (const l of p.expected.late.filter((x) => x.year === year)) {
        const text = scoreOf(l.body)
          ?.deductions.flatMap((d) => d.evidence.map((e) => e.message))
          .join('；');
        expect(text, l.body).toContain(String(l.daysLate));
      }
      for (const c of p.expected.copies.filter((x) => x.year === year)) {
        const d = scoreOf(c.b)?.deductions.find((x) => x.evidence.some((e) => e.otherBodyId === ids.get(c.a)));
        expect(d?.points, `${c.b} copies ${c.a}`).toBeGreaterThan(0);
      }
      // 雷同 with its own report of last year: computed when the report was stored, its passages kept
      const repeated = p.expected.repeated.filter((x) => x.year === year);
      expect(repeated.length).toBeGreaterThan(0);
      for (const r of repeated) {
        const d = scoreOf(r.body)?.deductions.find((x) => x.points > 0 && /上年/.test(x.itemName));
        expect(d, r.body).toBeDefined();
        expect(
          d?.evidence.some((e) => (e.quote ?? '').length > 0 || /\d/.test(e.message)),
          r.body,
        ).toBe(true);
      }
      for (const e of p.expected.edited.filter((x) => x.year === year)) {
        expect(
          scoreOf(e.body)?.deductions.some((d) => d.points > 0 && /发布后/.test(d.itemName + d.reason)),
          e.body,
        ).toBe(true);
      }
    } finally {
      await db.destroy();
      await fresh.cleanup();
    }
  });
});
