/**
 * The sample of bench/national.bench.ts: N distinct bodies of a made-up province (示范省, its
 * cities, counties, their departments and townships) as a directory CSV in the layout
 * `nianbao bodies import` takes, and one distinct 2024 report per body, written in the mix the
 * national year is published in (60 % PDF, 30 % HTML, 10 % DOCX/XLSX/text).
 *
 * The reports come from the fast-check generators of test/helpers/arbitrary.ts (every equation
 * holds, so `check()` finds no error in them), given the body's name, the year 2024 and a
 * publication date; about 3 % get a broken table cell and about 3 % are published after the
 * statutory deadline, so that the checker has errors to find. Everything is deterministic from
 * N and SAMPLE_VERSION, and the files are cached (bench/.cache/national-N-vV/): PDFs are slow to
 * render, so they are rendered by child processes (render-pdfs.ts) and kept between runs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import type { Report } from '../../src/model/report.js';
import { mulberry32 } from '../../src/register/generate.js';
import { arbReport2021 } from '../../test/helpers/arbitrary.js';
import { toDocx, toHtml, toText, toXlsx } from '../../test/helpers/variants.js';

/** bump when the sample changes: a new cache directory is made */
export const SAMPLE_VERSION = 1;
export const YEAR = 2024;

export type Kind = 'pdf' | 'html' | 'docx' | 'xlsx' | 'txt';
export const KINDS: readonly Kind[] = ['pdf', 'html', 'docx', 'xlsx', 'txt'];
/** the national mix: 60 % PDF, 30 % HTML, 10 % Word and other (XLSX, text) */
export const MIX: Record<Kind, number> = { pdf: 0.6, html: 0.3, docx: 0.06, xlsx: 0.02, txt: 0.02 };

export interface SampleBody {
  name: string;
  tier: '省级' | '市级' | '县级' | '乡镇（街道）';
  kind: '人民政府' | '政府部门';
  parent: string;
}

export interface SampleEntry {
  /** path under reports/, e.g. "pdf/00017.pdf" */
  file: string;
  kind: Kind;
  body: string;
  /** a table cell was broken on purpose (the checker must give an error) */
  broken: boolean;
  /** published after the statutory deadline (publication-deadline) */
  late: boolean;
}

export interface Sample {
  dir: string;
  n: number;
  bodies: SampleBody[];
  entries: SampleEntry[];
  directoryCsv: string;
  reportsDir: string;
}

// ---------------------------------------------------------------------------
// The directory
// ---------------------------------------------------------------------------

const PROVINCE = '示范省';
const PROVINCE_DEPTS = `发展和改革委员会 教育厅 科学技术厅 工业和信息化厅 公安厅 民政厅 司法厅 财政厅 人力资源和社会保障厅 自然资源厅
  生态环境厅 住房和城乡建设厅 交通运输厅 水利厅 农业农村厅 商务厅 文化和旅游厅 卫生健康委员会 退役军人事务厅 应急管理厅 审计厅
  市场监督管理局 统计局 医疗保障局 林业局 体育局 信访局 粮食和物资储备局`
  .split(/\s+/)
  .filter(Boolean);
const LOCAL_DEPTS = `发展和改革局 教育局 科学技术局 工业和信息化局 公安局 民政局 司法局 财政局 人力资源和社会保障局 自然资源和规划局
  生态环境局 住房和城乡建设局 交通运输局 水利局 农业农村局 商务局 文化和旅游局 卫生健康委员会 退役军人事务局 应急管理局 审计局
  市场监督管理局 统计局 医疗保障局 林业局 城市管理局`
  .split(/\s+/)
  .filter(Boolean);
const FIRST = Array.from('安宝昌崇丹德定东凤福高广海和河华怀嘉建江金靖乐利临龙隆茂宁平祁庆瑞山尚寿顺泰桃通威文武西祥新兴秀阳永玉元岳云长');
const SECOND = Array.from('安北城川丰阜化江康乐林陵宁平浦桥清泉山水顺台潭田亭溪兴阳邑原远泽州庄谷宾昌都冈湖和峰汇');
const COUNTIES_PER_CITY = 8;
const TOWNS_PER_COUNTY = 6;

/** N bodies, parents before children: the province, its departments, then city by city, county by county */
export function makeBodies(n: number): SampleBody[] {
  const rng = mulberry32(20240101);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
  const used = new Set<string>();
  // a place name used nowhere else, differing from its siblings in both characters
  const place = (siblings: string[], suffix: string): string => {
    for (let tries = 0; ; tries++) {
      if (tries > 100_000) throw new Error(`makeBodies: the place names ran out (N = ${n} is too large)`);
      const a = pick(FIRST);
      const b = pick(SECOND);
      if (a === b || used.has(a + b)) continue;
      if (tries < 500 && siblings.some((s) => s[0] === a || s[1] === b)) continue;
      used.add(a + b);
      siblings.push(a + b);
      return a + b + suffix;
    }
  };
  const out: SampleBody[] = [];
  const add = (b: SampleBody) => {
    if (out.length < n) out.push(b);
  };
  const gov = `${PROVINCE}人民政府`;
  add({ name: gov, tier: '省级', kind: '人民政府', parent: '' });
  for (const d of PROVINCE_DEPTS) add({ name: `${PROVINCE}${d}`, tier: '省级', kind: '政府部门', parent: gov });
  const cities: string[] = [];
  // one province of N bodies (a city with its counties, departments and townships is ~240 bodies);
  // the place names run out near 8,000 bodies
  while (out.length < n) {
    const city = `${PROVINCE}${place(cities, '市')}`;
    const cityGov = `${city}人民政府`;
    add({ name: cityGov, tier: '市级', kind: '人民政府', parent: gov });
    for (const d of LOCAL_DEPTS) add({ name: `${city}${d}`, tier: '市级', kind: '政府部门', parent: cityGov });
    const counties: string[] = [];
    for (let k = 0; k < COUNTIES_PER_CITY && out.length < n; k++) {
      const county = `${city}${place(counties, rng() < 0.4 ? '区' : '县')}`;
      const countyGov = `${county}人民政府`;
      add({ name: countyGov, tier: '县级', kind: '人民政府', parent: cityGov });
      for (const d of LOCAL_DEPTS) add({ name: `${county}${d}`, tier: '县级', kind: '政府部门', parent: countyGov });
      const towns: string[] = [];
      for (let t = 0; t < TOWNS_PER_COUNTY; t++) {
        add({
          name: `${county}${place(towns, rng() < 0.7 ? '镇' : '乡')}人民政府`,
          tier: '乡镇（街道）',
          kind: '人民政府',
          parent: countyGov,
        });
      }
    }
  }
  return out;
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function directoryCsv(bodies: readonly SampleBody[]): string {
  const rows = [['名称', '层级', '类型', '上级机关'], ...bodies.map((b) => [b.name, b.tier, b.kind, b.parent])];
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// The reports
// ---------------------------------------------------------------------------

const pad2 = (v: number) => String(v).padStart(2, '0');

/** the kind of each report: the mix, spread over the bodies by a fixed shuffle */
function kindsFor(n: number): Kind[] {
  const kinds: Kind[] = [];
  let acc = 0;
  for (const k of KINDS) {
    const count = k === 'txt' ? n - kinds.length : Math.round(n * (acc + MIX[k])) - Math.round(n * acc);
    acc += MIX[k];
    for (let i = 0; i < count; i++) kinds.push(k);
  }
  const rng = mulberry32(777);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  return kinds;
}

export function makeReports(bodies: readonly SampleBody[]): { report: Report; entry: SampleEntry }[] {
  const n = bodies.length;
  const base = fc.sample(arbReport2021(), { seed: 2024, numRuns: n });
  const kinds = kindsFor(n);
  const rng = mulberry32(4242);
  return bodies.map((b, i) => {
    const r = structuredClone(base[i]);
    r.agency = b.name;
    r.year = YEAR;
    // departments by 01-31, governments by 03-31 of the next year; ~3 % late
    const late = rng() < 0.03;
    const lastMonth = b.kind === '政府部门' ? 1 : 3;
    const month = late ? lastMonth + 1 : 1 + Math.floor(rng() * lastMonth);
    r.publishedOn = `${YEAR + 1}-${pad2(month)}-${pad2(1 + Math.floor(rng() * 28))}`;
    // ~3 % with a broken cell: a total that no longer adds up
    const broken = rng() < 0.03;
    if (broken) {
      const g = r.reviewLitigation.review;
      g.total = (g.total ?? 0) + 1 + Math.floor(rng() * 5);
    }
    const kind = kinds[i];
    const ext = kind === 'txt' ? 'txt' : kind;
    return { report: r, entry: { file: `${kind}/${String(i).padStart(6, '0')}.${ext}`, kind, body: b.name, broken, late } };
  });
}

// ---------------------------------------------------------------------------
// The files, cached
// ---------------------------------------------------------------------------

function writeAtomic(path: string, bytes: Uint8Array | string) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

export function cacheDirFor(n: number): string {
  return resolve(import.meta.dirname, `../.cache/national-${n}-v${SAMPLE_VERSION}`);
}

/** the sample of N bodies and reports, generated (or completed) in the cache directory */
export async function ensureSample(n: number, opts: { procs?: number; log?: (s: string) => void } = {}): Promise<Sample> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const dir = cacheDirFor(n);
  const reportsDir = join(dir, 'reports');
  const done = join(dir, 'complete');
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(done) && existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bodies: SampleBody[]; entries: SampleEntry[] };
    log(`sample: reusing ${dir}`);
    return { dir, n, bodies: m.bodies, entries: m.entries, directoryCsv: join(dir, 'directory.csv'), reportsDir };
  }
  const t0 = performance.now();
  mkdirSync(reportsDir, { recursive: true });
  const bodies = makeBodies(n);
  if (bodies.length !== n || new Set(bodies.map((b) => b.name)).size !== n) throw new Error('makeBodies: names not distinct');
  writeAtomic(join(dir, 'directory.csv'), directoryCsv(bodies));
  const made = makeReports(bodies);
  const entries = made.map((m) => m.entry);
  writeAtomic(manifestPath, JSON.stringify({ version: SAMPLE_VERSION, n, bodies, entries }));
  // the PDFs' reports for the renderers (one JSON per line, with the file to write)
  const pdfJobs = made.filter((m) => m.entry.kind === 'pdf' && !existsSync(join(reportsDir, m.entry.file)));
  writeAtomic(join(dir, 'pdf-jobs.jsonl'), pdfJobs.map((m) => JSON.stringify({ file: m.entry.file, report: m.report })).join('\n'));
  const procs = Math.max(1, Math.min(opts.procs ?? cpus().length, pdfJobs.length));
  log(`sample: ${n} bodies; rendering ${pdfJobs.length} PDFs in ${procs} processes (cached in ${dir})`);
  const children = Array.from(
    { length: pdfJobs.length ? procs : 0 },
    (_, k) =>
      new Promise<void>((ok, fail) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', join(import.meta.dirname, 'render-pdfs.ts'), dir, String(k), String(procs)],
          { stdio: ['ignore', 'inherit', 'inherit'], cwd: resolve(import.meta.dirname, '../..') },
        );
        child.on('error', fail);
        child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`render-pdfs ${k} exited with ${code}`))));
      }),
  );
  // the other kinds here, while the PDFs render
  const enc = new TextEncoder();
  let written = 0;
  for (const { report, entry } of made) {
    const path = join(reportsDir, entry.file);
    if (entry.kind === 'pdf' || existsSync(path)) continue;
    let bytes: Uint8Array;
    if (entry.kind === 'html') bytes = enc.encode(toHtml(report, { chrome: true, brInLabels: written % 2 === 0 }));
    else if (entry.kind === 'docx') bytes = await toDocx(report, { brInLabels: written % 2 === 0 });
    else if (entry.kind === 'xlsx') bytes = await toXlsx(report, { layout: written % 2 === 0 ? 'sheets' : 'single' });
    else bytes = enc.encode(toText(report, written % 2 === 0 ? 'tabs' : 'cell-per-line'));
    writeAtomic(path, bytes);
    written++;
  }
  log(`sample: ${written} HTML/DOCX/XLSX/text files written in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  await Promise.all(children);
  const missing = entries.filter((e) => !existsSync(join(reportsDir, e.file)));
  if (missing.length) throw new Error(`sample: ${missing.length} files missing after generation (e.g. ${missing[0].file})`);
  writeFileSync(done, `${new Date().toISOString()}\n`);
  log(`sample: ready in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { dir, n, bodies, entries, directoryCsv: join(dir, 'directory.csv'), reportsDir };
}
