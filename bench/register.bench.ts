/**
 * Statistics over a year of register cases: 表二 and 表三 computed from
 * 100,000 cases (spread over three years, every event legal).
 * Run: npm run bench
 */
import { statsForYear } from '../src/register/stats.js';
import { generate } from '../test/helpers/register-gen.js';

const t0 = performance.now();
const cases = generate(7, 100_000);
const built = performance.now() - t0;
const times: number[] = [];
let inYear = 0;
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const s = statsForYear(cases, 2024);
  times.push(performance.now() - t);
  inYear = Number(s.applications.newReceived.total);
}
times.sort((a, b) => a - b);
console.log(`register: ${cases.length} cases generated in ${(built / 1000).toFixed(1)} s; ${inYear} received in 2024`);
console.log(`| statistics for one year over ${cases.length} cases | median ${times[2].toFixed(0)} ms | best ${times[0].toFixed(0)} ms |`);

// the same statistics read from the database, as `nianbao register stats` does: load the agency's
// cases from a SQLite file (and PostgreSQL when NIANBAO_BENCH_PG holds a database URL), then compute
{
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { openDb } = await import('../src/store/db.js');
  const { caseRow, statsCases, writeTx } = await import('../src/store/register.js');
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-bench-'));
  const targets: [string, string][] = [['SQLite', join(dir, 'bench.db')]];
  if (process.env.NIANBAO_BENCH_PG) targets.push(['PostgreSQL', process.env.NIANBAO_BENCH_PG]);
  for (const [name, target] of targets) {
    const db = await openDb(target);
    await db.deleteFrom('cases').where('agency_id', '=', 'bench').execute();
    const tl = performance.now();
    await writeTx(db, async (tx) => {
      for (let i = 0; i < cases.length; i += 1000) {
        await tx
          .insertInto('cases')
          .values(cases.slice(i, i + 1000).map((c) => caseRow(c, '', 'bench')))
          .execute();
      }
    });
    const loaded = performance.now() - tl;
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      statsForYear(await statsCases(db, 2024, 'bench'), 2024);
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    console.log(
      `| ${name}: read the register of ${cases.length} cases and compute one year's statistics | median ${runs[2].toFixed(0)} ms | best ${runs[0].toFixed(0)} ms | (bulk load ${(loaded / 1000).toFixed(1)} s) |`,
    );
    await db.deleteFrom('cases').where('agency_id', '=', 'bench').execute();
    await db.destroy();
  }
  rmSync(dir, { recursive: true, force: true });
}
