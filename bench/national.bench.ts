/**
 * A national year (issue 19): about 150,000 bodies publish a report each year. Can one machine
 * read, check and store a year's reports within an hour?
 *
 * A sample of N bodies (a directory CSV of a made-up province, 示范省, its cities, counties,
 * departments and townships) and one distinct 2024 report per body, in the published mix
 * (60 % PDF rendered by our own PDF renderer, 30 % HTML with site chrome, 6 % DOCX, 2 % XLSX,
 * 2 % text; ~3 % with a broken table, ~3 % published late: see bench/national/sample.ts), goes
 * through the built command line as a supervisor would run it:
 *
 *   1. `nianbao bodies import directory.csv` into a fresh SQLite file;
 *   2. `nianbao import reports/ --quiet --json` (hash, read, match to the directory, check, store);
 *   3. per kind, a slice of that kind alone: `nianbao import` into a copy of the directory-only
 *      database (read + check + store) and `nianbao parse --json --provenance none` (read only);
 *   4. the peer floor: `pdftotext -layout` over the sample's PDFs (a peer tool reads PDFs with it and
 *      then runs its own parser, so its time per PDF is at least this).
 *
 * Each step is a child process timed by GNU time (wall, user + system CPU, peak RSS). The import's
 * --json counts are checked (stored + versions + pending + duplicates + failed = N, each stored
 * report attached to its own body); the run fails when more than 1 % failed or went to the wrong
 * body. The wall time is projected to 150,000 reports at the same mix.
 *
 * The sample is cached in bench/.cache/national-N-vV/ (gitignored): rendering the PDFs is slow.
 *
 * Run: npx tsx bench/national.bench.ts [N]          (default N = 5000)
 * Env: NATIONAL_SLICE=100  files per kind in step 3;  NATIONAL_BUILD=0  skip `tsc -p tsconfig.build.json`;
 *      NATIONAL_PROCS=2  PDF-rendering processes;  NATIONAL_THREADS  --threads of import/parse;
 *      NATIONAL_PEER=300  PDFs for pdftotext;  NATIONAL_KEEP=1  keep the work directory (databases, outputs).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureSample, KINDS, type Kind, MIX, YEAR } from './national/sample.js';

const NATIONAL = 150_000;
const n = Number(process.argv[2] ?? 5000);
if (!Number.isInteger(n) || n < 10) throw new Error(`N must be an integer ≥ 10 (got ${process.argv[2]})`);
const slice = Number(process.env.NATIONAL_SLICE ?? 100);
const threadArgs = process.env.NATIONAL_THREADS ? ['--threads', process.env.NATIONAL_THREADS] : [];
const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'bin/nianbao.js');
const GNU_TIME = '/usr/bin/time';
if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time, Debian package "time") is needed to measure CPU and peak RSS`);

const log = (s: string) => process.stderr.write(`${s}\n`);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
const loadAtStart = load();
const startedAt = new Date();

// ---------------------------------------------------------------------------
// The sample and the build
// ---------------------------------------------------------------------------

const sample = await ensureSample(n, { procs: process.env.NATIONAL_PROCS ? Number(process.env.NATIONAL_PROCS) : undefined, log });
if (process.env.NATIONAL_BUILD !== '0') {
  log('build: npx tsc -p tsconfig.build.json');
  const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0)
    log(`build: tsc exited with ${b.status} (the build emits anyway; other sessions may be editing src):\n${b.stdout.slice(0, 2000)}`);
}
if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('dist/cli/main.js is missing: build with npx tsc -p tsconfig.build.json');

// ---------------------------------------------------------------------------
// Timing a child process
// ---------------------------------------------------------------------------

interface Timed {
  wall: number;
  cpu: number;
  /** CPU seconds of the process's main thread (last sample of /proc/PID/task/PID/stat), when sampled */
  mainCpu: number | null;
  rssMb: number;
  code: number;
  stdout: string;
  stderr: string;
}

const work = mkdtempSync(join(tmpdir(), 'nianbao-national-'));
let seq = 0;

const TICK = 100; // clock ticks per second (getconf CLK_TCK on Linux)

/** CPU seconds of a process's main thread, or null (not Linux, or gone) */
function mainThreadCpu(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK; // utime, stime (fields 14, 15)
  } catch {
    return null;
  }
}

/** the process GNU time started (its only child) */
function childOf(pid: number): number | null {
  try {
    const c = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return c ? Number(c) : null;
  } catch {
    return null;
  }
}

/** runs `cmd args` under GNU time; stdout kept in a file (the import's JSON is large) */
function timed(cmd: string, args: string[], opts: { quietStdout?: boolean } = {}): Promise<Timed> {
  const id = seq++;
  const tf = join(work, `time-${id}.txt`);
  const of = join(work, `out-${id}.txt`);
  return new Promise((ok, fail) => {
    const child = spawn(GNU_TIME, ['-f', '%e %U %S %M', '-o', tf, cmd, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    const out: Buffer[] = [];
    let err = '';
    let mainCpu: number | null = null;
    const sampler = setInterval(() => {
      const pid = child.pid === undefined ? null : childOf(child.pid);
      const v = pid === null ? null : mainThreadCpu(pid);
      if (v !== null) mainCpu = v;
    }, 250);
    child.stdout.on('data', (b: Buffer) => {
      if (!opts.quietStdout) out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      err = (err + b.toString()).slice(-20_000);
    });
    child.on('error', fail);
    child.on('close', (code) => {
      clearInterval(sampler);
      const stdout = Buffer.concat(out).toString('utf8');
      writeFileSync(of, stdout);
      const line = readFileSync(tf, 'utf8').trim().split('\n').pop() ?? '';
      const [wall, user, sys, rssKb] = line.split(/\s+/).map(Number);
      if (![wall, user, sys, rssKb].every(Number.isFinite)) {
        fail(new Error(`could not read GNU time's output for ${cmd} ${args.join(' ')}: ${line}\n${err}`));
        return;
      }
      ok({ wall, cpu: user + sys, mainCpu, rssMb: rssKb / 1024, code: code ?? -1, stdout, stderr: err });
    });
  });
}

const nianbao = (args: string[], opts?: { quietStdout?: boolean }) => timed(process.execPath, [cli, ...args], opts);

function copyDb(from: string, to: string) {
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
}

interface Row {
  step: string;
  files: number;
  t: Timed;
  /** reports per second (null: not a report step) */
  rps: number | null;
}
const rows: Row[] = [];
const problems: string[] = [];

// ---------------------------------------------------------------------------
// 1. The directory
// ---------------------------------------------------------------------------

const db = join(work, 'national.db');
log(`1. bodies import (${n} bodies)`);
const dirRun = await nianbao(['bodies', 'import', sample.directoryCsv, '--db', db, '--json']);
if (dirRun.code !== 0) throw new Error(`bodies import exited with ${dirRun.code}:\n${dirRun.stderr}\n${dirRun.stdout.slice(0, 4000)}`);
const dirOut = JSON.parse(dirRun.stdout) as { rows: number; creates: number; stored: boolean };
if (!dirOut.stored || dirOut.creates !== n)
  throw new Error(`bodies import stored ${dirOut.creates} of ${n} bodies: ${dirRun.stdout.slice(0, 4000)}`);
rows.push({ step: '1. `bodies import` (directory CSV → fresh SQLite)', files: 1, t: dirRun, rps: null });
const baseDb = join(work, 'directory-only.db');
copyDb(db, baseDb);

// ---------------------------------------------------------------------------
// 2. The whole sample
// ---------------------------------------------------------------------------

interface ImportJson {
  counts: { done: number; stored: number; versions: number; duplicates: number; pending: number; failed: number };
  outcomes: { file: string; outcome: string; bodyName?: string; message?: string; reason?: string }[];
}

const byFile = new Map(sample.entries.map((e) => [e.file, e]));

/** checks an import's JSON against the sample: every file accounted for, each attached to its own body */
function verifyImport(label: string, r: Timed, expected: number): ImportJson['counts'] & { right: number; wrong: number } {
  let j: ImportJson;
  try {
    j = JSON.parse(r.stdout) as ImportJson;
  } catch {
    throw new Error(`${label}: import printed no JSON (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
  }
  const c = j.counts;
  const sum = c.stored + c.versions + c.pending + c.duplicates + c.failed;
  let right = 0;
  let wrong = 0;
  const wrongs: string[] = [];
  const fails: string[] = [];
  for (const o of j.outcomes) {
    const e = byFile.get(o.file);
    if (o.outcome === 'stored') {
      if (e && o.bodyName === e.body) right++;
      else {
        wrong++;
        if (wrongs.length < 5) wrongs.push(`${o.file}: ${e?.body ?? '?'} → ${o.bodyName}`);
      }
    } else if (o.outcome === 'failed' && fails.length < 5) fails.push(`${o.file}: ${o.message}`);
    else if (o.outcome === 'pending' && fails.length < 5) fails.push(`${o.file} (pending): ${o.reason}`);
  }
  log(
    `   ${label}: stored ${c.stored}, versions ${c.versions}, pending ${c.pending}, duplicates ${c.duplicates}, failed ${c.failed}; attached to their own body ${right}, to another ${wrong}`,
  );
  for (const s of [...fails, ...wrongs]) log(`     ${s}`);
  if (sum !== expected || c.done !== expected) throw new Error(`${label}: the counts add up to ${sum} (done ${c.done}), not ${expected}`);
  if (c.failed > expected * 0.01) throw new Error(`${label}: ${c.failed} of ${expected} files failed (more than 1 %): ${fails.join('; ')}`);
  if (wrong > expected * 0.01)
    throw new Error(`${label}: ${wrong} of ${expected} reports attached to the wrong body: ${wrongs.join('; ')}`);
  if (c.duplicates > 0) problems.push(`${label}: ${c.duplicates} duplicates (the sample's files should all be distinct)`);
  if (c.pending + c.failed + wrong > 0)
    problems.push(`${label}: ${c.pending} pending, ${c.failed} failed, ${wrong} attached to another body (of ${expected})`);
  return { ...c, right, wrong };
}

log(`2. import of the ${n} reports`);
const all = await nianbao(['import', sample.reportsDir, '--db', db, '--quiet', '--json', ...threadArgs]);
if (all.code !== 0 && all.code !== 1) throw new Error(`import exited with ${all.code}:\n${all.stderr.slice(-4000)}`);
const allCounts = verifyImport('import', all, n);
rows.push({ step: '2. `import` of the whole sample (read + match + check + store)', files: n, t: all, rps: n / all.wall });

// the checker's verdicts, from the stored reports: bodies with an error against the broken and late reports
const status = await nianbao(['status', String(YEAR), '--db', db, '--json', '--today', `${YEAR + 1}-12-31`]);
let checkLine = '';
if (status.code === 0) {
  const s = JSON.parse(status.stdout) as { rows: { body?: { name: string }; name?: string; status?: { errors: number; state: string } }[] };
  const flagged = new Map<string, number>();
  for (const r of s.rows) {
    const name = r.body?.name ?? r.name ?? '';
    flagged.set(name, r.status?.errors ?? 0);
  }
  const expectedBad = sample.entries.filter((e) => e.broken || e.late);
  const found = expectedBad.filter((e) => (flagged.get(e.body) ?? 0) > 0).length;
  const clean = sample.entries.filter((e) => !e.broken && !e.late);
  const falseErr = clean.filter((e) => (flagged.get(e.body) ?? 0) > 0);
  checkLine = `checker: ${found} of ${expectedBad.length} reports made broken or late have an error; ${falseErr.length} of ${clean.length} clean reports have one`;
  if (falseErr.length > 0) {
    const byKind = new Map<string, number>();
    for (const e of falseErr) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
    checkLine += ` (${[...byKind].map(([k, v]) => `${k} ${v}`).join(', ')})`;
  }
  log(`   ${checkLine}`);
} else problems.push(`status ${YEAR} --json exited with ${status.code}: ${status.stderr.slice(-500)}`);

// ---------------------------------------------------------------------------
// 3. Each kind alone, on a slice
// ---------------------------------------------------------------------------

// the fixed cost of one `nianbao import` (start-up, opening the database, loading the directory, the pool):
// taken off the slices' times so that a small slice's rate is that of its files
const emptyDir = join(work, 'empty');
mkdirSync(emptyDir);
writeFileSync(join(emptyDir, 'readme.csv'), 'not a report\n');
const emptyDb = join(work, 'empty.db');
copyDb(baseDb, emptyDb);
log('3. start-up: import of a folder without reports');
const startup = await nianbao(['import', emptyDir, '--db', emptyDb, '--quiet', '--json', ...threadArgs]);
if (startup.code !== 0) problems.push(`import of an empty folder exited with ${startup.code}: ${startup.stderr.slice(-500)}`);
rows.push({ step: '3. `import` of a folder without reports (start-up cost, taken off the slices below)', files: 0, t: startup, rps: null });
const net = (t: Timed) => ({ wall: Math.max(0.001, t.wall - startup.wall), cpu: Math.max(0, t.cpu - startup.cpu) });

const perKind = new Map<Kind, { files: number; importRps: number; importCpu: number; parseRps: number; parseCpu: number }>();
for (const kind of KINDS) {
  const files = sample.entries.filter((e) => e.kind === kind).slice(0, slice);
  if (files.length === 0) continue;
  const dir = join(work, `slice-${kind}`);
  mkdirSync(dir, { recursive: true });
  // copies, not symlinks: `nianbao parse DIR` skips symlinked files
  for (const e of files) copyFileSync(join(sample.reportsDir, e.file), join(dir, e.file.split('/').pop() as string));
  const kdb = join(work, `slice-${kind}.db`);
  copyDb(baseDb, kdb);
  log(`3. ${kind}: import and parse of ${files.length} files`);
  const imp = await nianbao(['import', dir, '--db', kdb, '--quiet', '--json', ...threadArgs]);
  if (imp.code !== 0 && imp.code !== 1) throw new Error(`import of the ${kind} slice exited with ${imp.code}:\n${imp.stderr.slice(-4000)}`);
  // the slice's outcomes are named by the file alone: map them back
  const parsed = JSON.parse(imp.stdout) as ImportJson;
  for (const o of parsed.outcomes) o.file = `${kind}/${o.file}`;
  verifyImport(`import ${kind}`, { ...imp, stdout: JSON.stringify(parsed) }, files.length);
  rows.push({ step: `3. \`import\`, ${kind} alone`, files: files.length, t: imp, rps: files.length / imp.wall });
  const par = await nianbao(['parse', dir, '--json', '--provenance', 'none', ...threadArgs]);
  const lines = par.stdout.split('\n').filter(Boolean);
  const errors = lines.filter((l) => l.startsWith('{"file"') && /"error":/.test(l.slice(0, 400))).length;
  if (lines.length !== files.length) problems.push(`parse ${kind}: ${lines.length} lines for ${files.length} files`);
  if (errors > 0) problems.push(`parse ${kind}: ${errors} of ${files.length} files could not be read`);
  rows.push({ step: `3. \`parse --json --provenance none\`, ${kind} alone`, files: files.length, t: par, rps: files.length / par.wall });
  perKind.set(kind, {
    files: files.length,
    importRps: files.length / net(imp).wall,
    importCpu: net(imp).cpu / files.length,
    parseRps: files.length / par.wall,
    parseCpu: par.cpu / files.length,
  });
}

// ---------------------------------------------------------------------------
// 4. The peer floor: pdftotext -layout over the same PDFs
// ---------------------------------------------------------------------------

const pdfs = sample.entries
  .filter((e) => e.kind === 'pdf')
  .slice(0, Number(process.env.NATIONAL_PEER ?? 300))
  .map((e) => join(sample.reportsDir, e.file));
let pdftotext: Timed | null = null;
if (pdfs.length && spawnSync('pdftotext', ['-v']).error === undefined) {
  log(`4. pdftotext -layout over ${pdfs.length} PDFs`);
  const list = join(work, 'pdfs.txt');
  writeFileSync(list, `${pdfs.join('\n')}\n`);
  pdftotext = await timed(
    'xargs',
    [
      '-a',
      list,
      '-d',
      '\\n',
      '-P',
      String(cpus().length),
      '-n',
      '25',
      'sh',
      '-c',
      'for f; do pdftotext -layout "$f" - >/dev/null || exit 255; done',
      'sh',
    ],
    { quietStdout: true },
  );
  if (pdftotext.code !== 0) problems.push(`pdftotext exited with ${pdftotext.code}: ${pdftotext.stderr.slice(-500)}`);
  rows.push({
    step: '4. peer floor: `pdftotext -layout` over the PDFs',
    files: pdfs.length,
    t: pdftotext,
    rps: pdfs.length / pdftotext.wall,
  });
} else problems.push('pdftotext not installed: no peer floor');

// ---------------------------------------------------------------------------
// The table and the projection
// ---------------------------------------------------------------------------

const f1 = (x: number) => x.toFixed(1);
const rate = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const out: string[] = [];
out.push(
  `national year, N = ${n} (${KINDS.map((k) => `${k} ${sample.entries.filter((e) => e.kind === k).length}`).join(', ')}); ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
out.push(`started ${startedAt.toISOString()}, load average at start ${loadAtStart}, at the end ${load()}`);
out.push('');
out.push('| step | files | wall s | CPU s | reports/s | peak RSS |');
out.push('|---|---|---|---|---|---|');
for (const r of rows) {
  out.push(
    `| ${r.step} | ${r.files} | ${f1(r.t.wall)} | ${f1(r.t.cpu)} | ${r.rps === null ? '—' : rate(r.rps)} | ${r.t.rssMb.toFixed(0)} MB |`,
  );
}
out.push('');

const perReport = (dirRun.wall + all.wall) / n;
const projected = (perReport * NATIONAL) / 60;
const cpuPerReport = (dirRun.cpu + all.cpu) / n;
const cpuProjected = (cpuPerReport * NATIONAL) / cpus().length / 60;
out.push(
  `projected national year (${NATIONAL.toLocaleString('en')} reports at the same mix): ${projected.toFixed(0)} min on this machine (${cpus().length} cores)` +
    ` — ${projected <= 60 ? 'fits in an hour' : 'does not fit in an hour'}`,
);
out.push(
  `  from steps 1 + 2: ${(perReport * 1000).toFixed(0)} ms wall per report × ${NATIONAL.toLocaleString('en')}; CPU ${(cpuPerReport * 1000).toFixed(0)} ms per report, i.e. ${cpuProjected.toFixed(0)} min if all ${cpus().length} cores were ours and busy`,
);
if (all.mainCpu !== null) {
  // reading and checking run on the worker threads; the main thread hashes, matches and stores in turn
  out.push(
    `  step 2's main thread: ${all.mainCpu.toFixed(1)} CPU s of ${all.cpu.toFixed(1)} (${((all.mainCpu / n) * 1000).toFixed(0)} ms per report; alone it would allow ${(n / Math.max(all.mainCpu, 0.001)).toFixed(0)} reports/s); the worker threads and V8's helper threads the rest`,
  );
}
if (perKind.size) {
  // the same year from each kind alone, weighted by the mix
  let wall = 0;
  let cpu = 0;
  for (const [k, v] of perKind) {
    wall += (NATIONAL * MIX[k]) / v.importRps;
    cpu += NATIONAL * MIX[k] * v.importCpu;
  }
  out.push(
    `  from the per-kind slices (step 3, weighted by the mix): ${(wall / 60).toFixed(0)} min wall, ${(cpu / cpus().length / 60).toFixed(0)} min of ${cpus().length} cores' CPU`,
  );
  out.push(
    `  per kind, import (read + check + store; start-up taken off): ${[...perKind].map(([k, v]) => `${k} ${rate(v.importRps)}/s (${(v.importCpu * 1000).toFixed(0)} ms CPU each)`).join(', ')}`,
  );
  out.push(
    `  per kind, parse only: ${[...perKind].map(([k, v]) => `${k} ${rate(v.parseRps)}/s (${(v.parseCpu * 1000).toFixed(0)} ms CPU each)`).join(', ')}`,
  );
}
if (pdftotext && pdfs.length) {
  const pdfCpu = pdftotext.cpu / pdfs.length;
  const ours = perKind.get('pdf');
  out.push(
    `  peer floor: pdftotext -layout ${(pdfCpu * 1000).toFixed(0)} ms CPU per PDF${ours ? ` (nianbao parse ${(ours.parseCpu * 1000).toFixed(0)} ms, import ${(ours.importCpu * 1000).toFixed(0)} ms)` : ''}; the PDFs of a national year (${(NATIONAL * MIX.pdf).toLocaleString('en')}) cost a peer at least ${((NATIONAL * MIX.pdf * pdfCpu) / cpus().length / 60).toFixed(0)} min of ${cpus().length} cores`,
  );
}
out.push(
  `  import outcome: ${allCounts.stored} stored, ${allCounts.versions} versions, ${allCounts.pending} pending, ${allCounts.duplicates} duplicates, ${allCounts.failed} failed; ${allCounts.right} of ${n} attached to their own body`,
);
if (checkLine) out.push(`  ${checkLine}`);
out.push(
  `  note: one intake takes at most 20,000 files (MAX_BUNDLE_FILES), so a national year is ≥ 8 imports; the projection is linear in N (a larger database and directory may cost more per report)`,
);
for (const p of problems) out.push(`  suspicious: ${p}`);
console.log(out.join('\n'));

if (process.env.NATIONAL_KEEP === '1') log(`work directory kept: ${work}`);
else rmSync(work, { recursive: true, force: true });
