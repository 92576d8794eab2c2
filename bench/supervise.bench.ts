/**
 * Supervision at the size of a province: the generated province of test/helpers/province.ts
 * (≈ 3,100 bodies, five years, ≈ 15,000 reports) imported through the bulk intake (hash, read,
 * match, check against the previous year, store) on the worker pool, then the pages a supervisor
 * opens — the year's status, the roll-up, the scores and ranking (with 雷同 across bodies) —
 * timed at that size. SQLite, and PostgreSQL when NIANBAO_BENCH_PG holds a database URL.
 *
 * The reports go in as Report JSON (the intake's JSON path: the same hashing, matching, checking
 * and storing as any file; reading a PDF is measured in parse.bench.ts). BENCH_YEARS=2 imports
 * fewer years for a quick run.
 *
 * Run: npx tsx bench/supervise.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pooledJobs } from '../src/server/jobs.js';
import { openAppDb } from '../src/store/app.js';
import { applyDirectory } from '../src/store/supervise.js';
import { parseDirectoryFile, planDirectory } from '../src/supervise/directory-file.js';
import {
  clearSupervisionCaches,
  defaultRubric,
  type IntakeFile,
  intakeFiles,
  yearRollup,
  yearScores,
  yearStatus,
} from '../src/supervise/service.js';
import { DIRECTORY_HEADERS, generateProvince } from '../test/helpers/province.js';

const years = Number(process.env.BENCH_YEARS ?? 5);
const p = generateProvince({ seed: 20250101, scale: 'full', years: Array.from({ length: years }, (_, i) => 2024 - years + 1 + i) });
const csv = new TextEncoder().encode(
  `${[DIRECTORY_HEADERS.join(','), ...p.rows.map((r) => DIRECTORY_HEADERS.map((h) => (/[",\n]/.test(r[h]) ? `"${r[h].replace(/"/g, '""')}"` : r[h])).join(','))].join('\n')}\n`,
);
console.log(
  `province: ${p.bodies.length} bodies, ${p.reports.length} reports over ${p.years.join(', ')}; ${cpus().length} cores, ${cpus()[0]?.model}`,
);

const dir = mkdtempSync(join(tmpdir(), 'nianbao-bench-sup-'));
const targets: [string, string][] = [['SQLite', join(dir, 'bench.db')]];
// PostgreSQL: a database of its own, dropped at the end (a second run must not find the first's reports)
let dropPg: (() => Promise<void>) | null = null;
if (process.env.NIANBAO_BENCH_PG) {
  const pg = (await import('pg')).default;
  const name = `nianbao_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: process.env.NIANBAO_BENCH_PG });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(process.env.NIANBAO_BENCH_PG);
  url.pathname = `/${name}`;
  targets.push(['PostgreSQL', url.toString()]);
  dropPg = async () => {
    const c = new pg.Client({ connectionString: process.env.NIANBAO_BENCH_PG });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
}

const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const v = await f();
  return [v, performance.now() - t];
};

for (const [name, target] of targets) {
  const db = await openAppDb(target);
  const jobs = pooledJobs();
  try {
    const parsed = await parseDirectoryFile(csv, 'directory.csv');
    const [, dirMs] = await time(async () => applyDirectory(db, planDirectory(parsed.rows, []), 'bench', null));
    // oldest year first, so that each report is checked against its body's previous year
    const files: IntakeFile[] = [...p.reports]
      .sort((a, b) => a.year - b.year || a.version - b.version)
      .map((r, i) => ({ name: `${r.year}/${i}.json`, load: async () => new TextEncoder().encode(JSON.stringify(r.report)) }));
    let peak = 0;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 200);
    const [result, importMs] = await time(() =>
      intakeFiles(db, files, { scopeId: null, user: 'bench', jobs, concurrency: jobs.pool.size * 3 }),
    );
    clearInterval(sample);
    const c = result.counts;
    console.log(
      `${name}: directory of ${p.bodies.length} bodies in ${dirMs.toFixed(0)} ms; import of ${files.length} reports in ${(importMs / 1000).toFixed(1)} s = ${((files.length / importMs) * 1000).toFixed(0)} reports/s (${jobs.pool.size} workers), peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB; stored ${c.stored}, versions ${c.versions}, pending ${c.pending}, failed ${c.failed}`,
    );
    const year = p.years[p.years.length - 1];
    const today = `${year + 1}-12-31`;
    for (let round = 0; round < 3; round++) {
      // the third round: as after a restart (nothing in memory; the 雷同 pairs kept in the database)
      if (round === 2) clearSupervisionCaches();
      const [s, statusMs] = await time(() => yearStatus(db, null, year, today));
      const [, rollupMs] = await time(() => yearRollup(db, null, year));
      const [sc, scoresMs] = await time(() => yearScores(db, null, year, defaultRubric(), jobs, today));
      console.log(
        `${name} ${['first', 'again', 'after a restart'][round]}: status of ${s.rows.length} bodies ${statusMs.toFixed(0)} ms | roll-up ${rollupMs.toFixed(0)} ms | scores and ranking of ${sc.scores.length} (雷同 ${sc.copies.length} pairs${['', ', kept in memory', ', from the database'][round]}) ${scoresMs.toFixed(0)} ms`,
      );
    }
  } finally {
    await jobs.close();
    await db.destroy();
  }
}
rmSync(dir, { recursive: true, force: true });
await dropPg?.();
