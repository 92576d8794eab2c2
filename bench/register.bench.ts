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
