/**
 * The 雷同 (similarity) rule on long sections: a report whose “一、总体情况” holds N distinct
 * sentences (nearly all of their 5-character shingles distinct), checked against last year's
 * report with the same text (numbers changed), for N = 1,000 / 4,000 (about 100,000 characters)
 * / 8,000 / 32,000 — the case of a clerk who saves a very long report and checks it.
 *
 * Columns: the fingerprints of the two sections (once per report); the comparison before (the
 * passages found by comparing each sentence with the whole other section, as up to commit
 * 1e40aa1 — copied below) and after (a shingle index, `sharedPassages`, the index made anew each
 * time), both with the whole-section containment and on fingerprints already made; the whole
 * rule after, on fresh report objects as a request makes them; and the steps counted by
 * `similarityWork` for the comparison after.
 * Run: npx tsx bench/similarity.bench.ts [sizes…] (default 1000 4000 8000 32000; set
 * NIANBAO_BENCH_BEFORE=0 to skip the old comparison, which takes about a minute at 32,000).
 */
import { Bench } from 'tinybench';
import { check } from '../src/check/index.js';
import { containment, type Passage, type SectionPrint, sectionPrint, similarityWork, similarPassages } from '../src/check/similarity.js';
import type { Report } from '../src/model/report.js';
import { sampleReport2021 } from '../test/helpers/arbitrary.js';

/* ------------------------------------------------ the comparison before (1e40aa1) */

function eachShared(a: Uint32Array, b: Uint32Array, hit: (i: number) => void): void {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      hit(i);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
}

function sharedCount(a: Uint32Array, b: Uint32Array, ignore: Set<number>): number {
  let n = 0;
  eachShared(a, b, (i) => {
    if (!ignore.has(a[i])) n++;
  });
  return n;
}

function similarPassagesBefore(a: SectionPrint, b: SectionPrint, common: Set<number> = new Set(), max = 2): Passage[] {
  const scored = a.sentences
    .map((s, index) => {
      const own = sharedCount(s.shingles, s.shingles, common);
      const shared = sharedCount(s.shingles, b.shingles, common);
      return { s, index, shared, ratio: own > 0 ? shared / own : 0 };
    })
    .filter((x) => x.shared >= 5 && x.ratio >= 0.5)
    .sort((x, y) => y.shared - x.shared || x.index - y.index)
    .slice(0, max)
    .sort((x, y) => x.index - y.index);
  return scored.map(({ s }) => {
    let best = b.sentences[0];
    let bestShared = -1;
    for (const t of b.sentences) {
      const n = sharedCount(s.shingles, t.shingles, common);
      if (n > bestShared) {
        best = t;
        bestShared = n;
      }
    }
    return { mine: s.raw, theirs: best?.raw ?? '' };
  });
}

/* ------------------------------------------------------------------- input */

const PLACES = '甲乙丙丁戊己庚辛壬癸春夏秋冬梅兰竹菊松柏杨柳桃李杏枣青石龙凤金银东西南北';
const TOPICS = ['农村人居环境整治', '高标准农田建设', '老旧小区改造', '防汛救灾', '低保和临时救助', '就业创业补贴', '垃圾分类'];

/**
 * sentence i, distinct for every i and nearly all of its shingles too: three characters spelling
 * i, ten ideographs drawn from i, a topic, and a number (changed from one year to the next)
 */
function sentence(i: number, year: number): string {
  let x = i;
  let who = '';
  for (let k = 0; k < 3; k++) {
    who += PLACES[x % PLACES.length];
    x = Math.floor(x / PLACES.length);
  }
  let h = Math.imul(i + 1, 0x9e3779b1) >>> 0;
  let words = '';
  for (let k = 0; k < 10; k++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    words += String.fromCodePoint(0x4e00 + (h % 0x5000));
  }
  return `${who}村${words}，${TOPICS[h % TOPICS.length]}公开${(h % 90) + year - 2020}次。`;
}

const narrative = (n: number, year: number) => Array.from({ length: n }, (_, i) => sentence(i, year)).join('');

const base = sampleReport2021();
function report(overview: string, year: number): Report {
  const r = structuredClone(base);
  r.year = year;
  r.sections.overview = overview;
  r.sections.problems = null;
  return r;
}

/* --------------------------------------------------------------------- run */

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const before = process.env.NIANBAO_BENCH_BEFORE !== '0';
const ms = (t: number) => (t >= 1000 ? `${(t / 1000).toFixed(1)} s` : t >= 10 ? `${t.toFixed(0)} ms` : `${t.toFixed(2)} ms`);

async function time(fn: () => void, slow: boolean): Promise<number> {
  const bench = new Bench(slow ? { time: 0, iterations: 1, warmup: false } : { time: 1500, iterations: 5, warmupTime: 200 });
  bench.add('x', fn);
  await bench.run();
  const r = bench.tasks[0].result;
  if (r?.state !== 'completed') throw new Error('benchmark failed');
  return r.latency.p50 ?? r.latency.mean;
}

console.log(
  '| sentences per section | characters per section | fingerprints (both) | compare before | compare after | whole rule after | steps after |',
);
console.log('|---|---|---|---|---|---|---|');
for (const n of sizes.length > 0 ? sizes : [1000, 4000, 8000, 32000]) {
  const mineText = narrative(n, 2024);
  const lastText = narrative(n, 2023);
  const fresh = () => [report(mineText, 2024), report(lastText, 2023)] as const;

  const fingerprints = await time(() => {
    const [r, p] = fresh();
    sectionPrint(r, 'overview');
    sectionPrint(p, 'overview');
  }, n > 8000);

  const [r, p] = fresh();
  const a = sectionPrint(r, 'overview');
  const b = sectionPrint(p, 'overview');
  if (!a || !b) throw new Error('no fingerprint');
  if (containment(a.shingles, b.shingles).ratio < 0.8) throw new Error('the sections should be similar');

  // before: the old passages; after: the new ones, the index rebuilt each time (a copy of the print is a new key)
  const old = before
    ? await time(() => {
        containment(a.shingles, b.shingles);
        similarPassagesBefore(a, b, new Set(), 2);
      }, n >= 8000)
    : Number.NaN;
  const w0 = similarityWork();
  similarPassages({ ...a }, { ...b }, new Set(), 2);
  containment(a.shingles, b.shingles);
  const steps = similarityWork() - w0;
  const after = await time(() => {
    containment(a.shingles, b.shingles);
    similarPassages({ ...a }, { ...b }, new Set(), 2);
  }, false);
  if (before && n <= 8000) {
    const x = JSON.stringify(similarPassagesBefore(a, b, new Set(), 2));
    const y = JSON.stringify(similarPassages(a, b, new Set(), 2));
    if (x !== y) throw new Error(`passages differ at ${n}: ${x} ≠ ${y}`);
  }

  let found = 0;
  const rule = await time(() => {
    const [mine, last] = fresh();
    found = check({ report: mine, previous: last, only: ['similarity'] }).length;
  }, n > 8000);
  if (found !== 1) throw new Error(`expected one 雷同 diagnostic, got ${found}`);

  console.log(
    `| ${n.toLocaleString('en')} | ${mineText.length.toLocaleString('en')} | ${ms(fingerprints)} | ${Number.isNaN(old) ? '—' : ms(old)} | ${ms(after)} | ${ms(rule)} | ${steps.toLocaleString('en')} |`,
  );
}
