/**
 * Bulk parsing end to end: `node bin/nianbao.js parse DIR --json > /dev/null` over N text reports
 * (default 50,000), against the floor of reading every file and scanning its bytes on one thread.
 *
 * The files are copies of test/fixtures/seeds with a few numbers of the narrative changed in each,
 * so that no two are identical, in folders of 1,000. Each `--provenance` mode (full, compact, none)
 * is run `ROUNDS` times (default 2), alternating, so that a burst of load from another process on
 * the machine does not fall on one mode only; every run is printed, then the range of each mode.
 * CPU time and peak RSS come from /usr/bin/time (GNU time) when it is installed.
 *
 * Run: npx tsc -p tsconfig.build.json && npx tsx bench/bulk.bench.ts [N]   (ROUNDS=3 for more runs)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

const N = Number(process.argv[2] ?? 50_000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/nianbao.js');
const SEEDS = join(ROOT, 'test/fixtures/seeds');
if (!Number.isInteger(N) || N < 1) throw new Error(`bad N: ${process.argv[2]}`);
if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run npx tsc -p tsconfig.build.json first');

// ---------------------------------------------------------------------------
// the files
// ---------------------------------------------------------------------------

const seeds = readdirSync(SEEDS)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => readFileSync(join(SEEDS, f), 'utf8'));

/** copy `i` of a seed: the first numbers of the narrative (before 表一, never a four-digit year) changed */
function variant(text: string, i: number): string {
  const cut = text.indexOf('二、主动公开');
  const head = cut > 0 ? text.slice(0, cut) : '';
  let changed = 0;
  const newHead = head.replace(/(?<!\d)\d{1,3}(?!\d)/g, (m) => {
    if (changed >= 3) return m;
    changed++;
    return String(Number(m) + 1 + ((i + changed) % 89));
  });
  // a seed whose narrative has no number: a numbered sentence at the end of the overview instead
  return changed > 0 ? newHead + text.slice(head.length) : text.replace('一、总体情况', `一、总体情况\n\n本年度编号 ${i + 1} 份。`);
}

const dir = mkdtempSync(join(tmpdir(), 'nianbao-bulk-'));
let bytes = 0;
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const sub = join(dir, String(Math.floor(i / 1000)).padStart(3, '0'));
  if (i % 1000 === 0) mkdirSync(sub);
  const text = variant(seeds[i % seeds.length], Math.floor(i / seeds.length));
  const buf = Buffer.from(text, 'utf8');
  bytes += buf.length;
  writeFileSync(join(sub, `${String(i).padStart(6, '0')}.txt`), buf);
}
const makeS = (performance.now() - t0) / 1000;

// ---------------------------------------------------------------------------
// the floor: read every file synchronously and scan its bytes, one thread
// ---------------------------------------------------------------------------

function floor(): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  let lines = 0;
  for (const sub of readdirSync(dir).sort()) {
    for (const f of readdirSync(join(dir, sub)).sort()) {
      const b = readFileSync(join(dir, sub, f));
      for (let k = 0; k < b.length; k++) if (b[k] === 10) lines++;
    }
  }
  const c = process.cpuUsage(c0);
  if (lines === 0) throw new Error('no lines read');
  return { wall: (performance.now() - w0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

// ---------------------------------------------------------------------------
// the command line
// ---------------------------------------------------------------------------

const gnuTime = existsSync('/usr/bin/time');

interface Run {
  mode: string;
  wall: number;
  cpu: number;
  rssMb: number;
  load: number;
}

function cli(mode: string): Run {
  const load = loadavg()[0];
  const args = [BIN, 'parse', dir, '--json', `--provenance=${mode}`];
  const devnull = openSync('/dev/null', 'w');
  const w0 = performance.now();
  const r = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, ...args], { stdio: ['ignore', devnull, 'pipe'], maxBuffer: 1 << 28 })
    : spawnSync(process.execPath, args, { stdio: ['ignore', devnull, 'pipe'], maxBuffer: 1 << 28 });
  const wall = (performance.now() - w0) / 1000;
  closeSync(devnull);
  const stderr = r.stderr.toString();
  if (r.status !== 0) throw new Error(`parse --provenance=${mode} exited ${r.status}: ${stderr.slice(-2000)}`);
  let cpu = Number.NaN;
  let rssMb = Number.NaN;
  if (gnuTime) {
    const last = stderr.trim().split('\n').pop() ?? '';
    const [u, s, m] = last.split(' ').map(Number);
    cpu = u + s;
    rssMb = m / 1024;
  }
  return { mode, wall, cpu, rssMb, load };
}

/** bytes of output of one mode (once, for the table) */
function outputBytes(mode: string): number {
  const r = spawnSync(process.execPath, [BIN, 'parse', join(dir, '000'), '--json', `--provenance=${mode}`], { maxBuffer: 1 << 30 });
  return r.stdout.length / Math.min(N, 1000);
}

const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const range = (xs: number[], d = 2) => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return fmt(lo, d) === fmt(hi, d) ? fmt(lo, d) : `${fmt(lo, d)}–${fmt(hi, d)}`;
};

const floors: { wall: number; cpu: number }[] = [];
const runs: Run[] = [];
const MODES = ['full', 'compact', 'none'];
floors.push(floor()); // also warms the page cache for the first run
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) {
    const r = cli(mode);
    runs.push(r);
    console.error(
      `${mode}: ${fmt(r.wall)} s wall, ${fmt(r.cpu)} s CPU, ${Math.round(N / r.wall)} reports/s, peak RSS ${fmt(r.rssMb, 0)} MB, load ${fmt(r.load)}`,
    );
  }
  floors.push(floor());
}
const perReport = Object.fromEntries(MODES.map((m) => [m, outputBytes(m)]));
rmSync(dir, { recursive: true, force: true });

const floorWall = Math.min(...floors.map((f) => f.wall));
const lines: string[] = [];
lines.push(
  `## Bulk parsing (\`nianbao parse DIR --json\`), ${N.toLocaleString('en')} text reports`,
  '',
  `Machine: ${cpus()[0]?.model ?? '?'}, ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}; ` +
    `${ROUNDS} runs of each mode, alternating; load average (1 min) at the start of the runs ${range(runs.map((r) => r.load))}.`,
  '',
  `Input: ${N.toLocaleString('en')} files, ${(bytes / 2 ** 20).toFixed(0)} MB (the seeds with numbers of the narrative changed), made in ${fmt(makeS, 1)} s. ` +
    `Floor (read every file synchronously and scan its bytes, one thread, warm page cache): ${range(floors.map((f) => f.wall))} s wall ` +
    `(${Math.round(N / floorWall).toLocaleString('en')} files/s at best).`,
  '',
  '| `--provenance` | output per report | wall time (s) | CPU time (s) | reports/s | peak RSS (MB) | × floor (wall) |',
  '|---|---:|---:|---:|---:|---:|---:|',
);
for (const m of MODES) {
  const rs = runs.filter((r) => r.mode === m);
  lines.push(
    `| ${m} | ${(perReport[m] / 1024).toFixed(1)} KB | ${range(rs.map((r) => r.wall))} | ${range(rs.map((r) => r.cpu))} | ` +
      `${range(
        rs.map((r) => N / r.wall).sort((a, b) => a - b),
        0,
      )} | ${range(
        rs.map((r) => r.rssMb),
        0,
      )} | ${range(
        rs.map((r) => r.wall / floorWall),
        1,
      )} |`,
  );
}
console.log(lines.join('\n'));
