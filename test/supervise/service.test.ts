/**
 * Supervision over the store, on SQLite and PostgreSQL: a directory imported from a CSV, a bulk
 * intake (matched, pending, duplicate, new version, unreadable), confirming a waiting file, the
 * year's status, the roll-up, scores under the example rubric with their evidence, and copied text.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { renderMarkdown } from '../../src/render/index.js';
import { inPlaceJobs } from '../../src/server/jobs.js';
import { type AppDb, openAppDb } from '../../src/store/app.js';
import { applyDirectory, getBatch, listBodies, listPending, setReview } from '../../src/store/supervise.js';
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
import { sampleReport2021 } from '../helpers/arbitrary.js';
import { BACKENDS, type Fresh, freshTarget } from '../helpers/db.js';

const DIRECTORY = `名称,类型,层级,上级机关,曾用名
甲市人民政府,人民政府,市级,,
甲市教育局,部门,市级,甲市人民政府,
乙县人民政府,人民政府,县级,甲市人民政府,
乙县教育局,部门,县级,乙县人民政府,乙县教育体育局（至2022）
乙县民政局,部门,县级,乙县人民政府,
丙县人民政府,人民政府,县级,甲市人民政府,
丙县民政局,部门,县级,丙县人民政府,
`;

/** distinct sentences (a PRNG seeded by the text over a large vocabulary) so that unrelated reports share little */
function narrative(seed: string, n = 14): string {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const next = () => {
    h = (h + 0x6d2b79f5) >>> 0;
    let t = h;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const words =
    '档案 水利 交通 农业 林业 住房 医保 教育 民政 审计 统计 文旅 卫健 市场 应急 生态 财政 税务 人社 司法 退役 信访 粮食 气象 地震 供销 科协 妇联 工会 团委 港口 口岸 机场 铁路 邮政 电力 燃气 供水 环卫 园林 殡葬 养老 托育 助残 救助 优抚 就业 创业 培训 招商 外资 外贸 物流 仓储 冷链 种业 渔业 畜牧 农机 水产'.split(
      ' ',
    );
  const pick = () => words[Math.floor(next() * words.length)];
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      `围绕${pick()}${pick()}和${pick()}${pick()}工作，${pick()}${pick()}事项办理${Math.floor(next() * 900)}件，${pick()}${pick()}${pick()}同步公开。`,
    );
  return out.join('');
}

function report(agency: string, year: number, publishedOn: string, overview = narrative(agency)): Report {
  const r = sampleReport2021();
  return { ...r, agency, year, publishedOn, sections: { ...r.sections, overview, problems: narrative(`${agency}问题`, 6) } };
}

const md = (r: Report, name: string): IntakeFile => {
  const bytes = new TextEncoder().encode(renderMarkdown(r));
  return { name, load: async () => bytes };
};

for (const backend of BACKENDS) {
  describe(`supervision over the store (${backend})`, () => {
    let fresh: Fresh;
    let db: AppDb;
    const jobs = inPlaceJobs();
    beforeEach(async () => {
      fresh = await freshTarget(backend);
      db = await openAppDb(fresh.target);
      const parsed = await parseDirectoryFile(new TextEncoder().encode(DIRECTORY), '名录.csv');
      expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
      const plan = planDirectory(parsed.rows, []);
      expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
      await applyDirectory(db, plan, 'admin', null);
    });
    afterEach(async () => {
      await db.destroy();
      await fresh.cleanup();
    });
    const idOf = async (name: string) => (await listBodies(db)).find((b) => b.name === name)?.id as number;

    it('imports a batch: matched, waiting, duplicate, a new version and an unreadable file, each with its outcome', async () => {
      const a = report('乙县教育局', 2024, '2025-01-20');
      const files: IntakeFile[] = [
        md(a, '乙县教育局2024年报.md'),
        md(a, '副本/乙县教育局2024年报.md'), // the same bytes again
        md(report('甲市乙县民政局', 2024, '2025-01-25'), 'b.md'), // prefixed by the city: still sure
        md(report('乙县教育体育局', 2022, '2023-01-20'), 'c.md'), // its former name, in the years it had it
        md(report('乙县民正局', 2024, '2025-01-10'), 'd.md'), // one character off: waits
        { name: '坏文件.pdf', load: async () => new TextEncoder().encode('%PDF-1.4 not really') },
      ];
      const { counts, outcomes } = await intakeFiles(db, files, { scopeId: null, user: 'reviewer', jobs });
      expect(counts).toMatchObject({ done: 6, stored: 3, duplicates: 1, pending: 1, failed: 1, versions: 0 });
      expect(outcomes.map((o) => o.outcome)).toEqual(['stored', 'duplicate', 'stored', 'stored', 'pending', 'failed']);
      const stored = outcomes[2];
      expect(stored.outcome === 'stored' && stored.bodyName).toBe('乙县民政局');
      const failed = outcomes[5];
      expect(failed.outcome === 'failed' && failed.message).toContain('坏文件.pdf');

      // a changed file for the same body and year: a second version, both kept
      const edited = { ...a, sections: { ...a.sections, other: '补充说明：本报告发布后更正了一处数字。' } };
      const again = await intakeFiles(db, [md(edited, '乙县教育局2024年报（更正）.md')], { scopeId: null, user: 'reviewer', jobs });
      expect(again.outcomes[0]).toMatchObject({ outcome: 'stored', version: 2, bodyName: '乙县教育局' });

      // the waiting file is confirmed by a person
      const pending = await listPending(db, [0, ...(await listBodies(db)).map((b) => b.id)]);
      expect(pending).toHaveLength(1);
      expect(pending[0].candidates[0].name).toBe('乙县民政局');
      expect(pending[0].candidates[0].confidence).toBeLessThan(0.9);
      const r = await confirmPending(db, pending[0].id, { bodyId: await idOf('乙县民政局') }, 'reviewer', jobs);
      expect(r.version).toBe(2);
      expect(await listPending(db, [0, ...(await listBodies(db)).map((b) => b.id)])).toEqual([]);
    });

    it('the year’s status: unpublished, late by so many days, published; errors and reviews shown', async () => {
      const broken = report('丙县民政局', 2024, '2025-02-03'); // a department: due 2025-01-31, 3 days late
      broken.applications.newReceived.total = (broken.applications.newReceived.total ?? 0) + 5;
      const { outcomes } = await intakeFiles(
        db,
        [md(report('乙县人民政府', 2024, '2025-03-31'), 'a.md'), md(broken, 'b.md'), md(report('甲市教育局', 2024, '2025-01-15'), 'c.md')],
        { scopeId: null, user: 'r', jobs },
      );
      expect(outcomes.map((o) => o.outcome)).toEqual(['stored', 'stored', 'stored']);
      await setReview(db, await idOf('甲市教育局'), 2024, '李审核');
      const s = await yearStatus(db, null, 2024, '2025-04-10');
      const by = new Map(s.rows.map((r) => [r.body.name, r.status]));
      expect(by.get('乙县人民政府')).toMatchObject({ state: 'published', deadline: '2025-03-31', daysLate: null });
      expect(by.get('丙县民政局')).toMatchObject({ state: 'late', daysLate: 3, deadline: '2025-01-31' });
      expect(by.get('丙县民政局')?.errors).toBeGreaterThan(0);
      expect(by.get('甲市教育局')).toMatchObject({ state: 'published', reviewedBy: '李审核' });
      expect(by.get('甲市人民政府')).toMatchObject({ state: 'unpublished', overdue: true });
      expect(s.counts).toMatchObject({ bodies: 7, published: 2, late: 1, unpublished: 4, overdue: 4, reviewed: 1 });
      // before the deadline an unpublished report is not yet overdue
      const early = await yearStatus(db, null, 2024, '2025-01-05');
      expect(early.rows.find((r) => r.body.name === '甲市人民政府')?.status).toMatchObject({ state: 'unpublished', overdue: false });
      // a county's own scope
      const county = await yearStatus(db, await idOf('乙县人民政府'), 2024, '2025-04-10');
      expect(county.rows.map((r) => r.body.name).sort()).toEqual(['乙县人民政府', '乙县教育局', '乙县民政局']);
    });

    it('the roll-up adds every cell over each region, the body’s own figures kept apart', async () => {
      const r1 = report('乙县教育局', 2024, '2025-01-20');
      const r2 = report('乙县民政局', 2024, '2025-01-20');
      const r3 = report('丙县民政局', 2024, '2025-01-20');
      await intakeFiles(db, [md(r1, '1.md'), md(r2, '2.md'), md(r3, '3.md')], { scopeId: null, user: 'r', jobs });
      const { totals } = await yearRollup(db, null, 2024);
      const key = 'applications.newReceived.total';
      const v = (r: Report) => r.applications.newReceived.total ?? 0;
      expect(totals.get(await idOf('乙县人民政府'))?.region[key]).toBe(v(r1) + v(r2));
      expect(totals.get(await idOf('乙县人民政府'))?.own).toBeNull();
      expect(totals.get(await idOf('甲市人民政府'))?.region[key]).toBe(v(r1) + v(r2) + v(r3));
      expect(totals.get(await idOf('甲市人民政府'))).toMatchObject({ reports: 3, bodies: 7 });
      expect(totals.get(await idOf('乙县教育局'))?.own?.[key]).toBe(v(r1));
    });

    it('scores each body under the example rubric with evidence, and finds the copied pair', async () => {
      const shared = narrative('共同文本甲乙', 20);
      const late = report('乙县民政局', 2024, '2025-02-20');
      await intakeFiles(
        db,
        [
          md(report('乙县教育局', 2024, '2025-01-20', shared), '1.md'),
          md(report('丙县民政局', 2024, '2025-01-20', shared), '2.md'),
          md(late, '3.md'),
          md(report('甲市教育局', 2024, '2025-01-20'), '4.md'),
        ],
        { scopeId: null, user: 'r', jobs },
      );
      const pairs = await yearCopies(db, null, 2024, jobs);
      const ids = [await idOf('乙县教育局'), await idOf('丙县民政局')].sort((x, y) => x - y);
      expect(pairs.filter((p) => p.section === 'overview').map((p) => [p.a, p.b])).toEqual([ids]);
      const s = await yearScores(db, null, 2024, defaultRubric(), jobs, '2025-04-10');
      const score = (name: string) => s.scores.find((x) => x.bodyId === s.bodies.find((b) => b.name === name)?.id);
      const lateScore = score('乙县民政局');
      const lateDeduction = lateScore?.deductions.find((d) => d.points > 0 && /逾期|按时/.test(d.itemName + d.reason));
      expect(lateDeduction?.evidence.map((e) => e.message).join()).toMatch(/20/); // 20 days late
      const copied = score('乙县教育局')?.deductions.find((d) => d.evidence.some((e) => e.otherBodyId === ids[1]));
      expect(copied?.points).toBeGreaterThan(0);
      expect(copied?.evidence.some((e) => e.quote && shared.includes(e.quote.replace(/[“”]/g, '').slice(0, 12)))).toBe(true);
      const unpublished = score('甲市人民政府');
      expect(unpublished?.failed).toBe(true);
      expect(score('甲市教育局')?.score).toBeGreaterThan(lateScore?.score ?? 100);
      // within each group of the ranking, failed reports come last
      for (const g of new Set(s.ranking.map((r) => r.group))) {
        const flags = s.ranking.filter((r) => r.group === g).map((r) => r.failed);
        expect(flags, g).toEqual([...flags].sort((x, y) => Number(x) - Number(y)));
      }
      expect(s.ranking.some((r) => r.failed)).toBe(true);
    });

    it('records the batch’s progress and outcomes', async () => {
      const { createBatch } = await import('../../src/store/supervise.js');
      const batchId = await createBatch(db, 0, 2, 'r');
      const seen: number[] = [];
      await intakeFiles(db, [md(report('乙县教育局', 2024, '2025-01-20'), 'a.md'), md(report('乙县民政局', 2024, '2025-01-20'), 'b.md')], {
        scopeId: null,
        user: 'r',
        jobs,
        batchId,
        onProgress: (c) => seen.push(c.done),
      });
      expect(seen).toEqual([1, 2]);
      const b = await getBatch(db, batchId);
      expect(b?.finishedAt).not.toBeNull();
      expect(b?.counts).toMatchObject({ done: 2, stored: 2 });
      expect(b?.outcomes).toHaveLength(2);
    });
  });
}
