/**
 * `nianbao parse DIR --json` in bulk (the built command line, bin/nianbao.js): the default output is
 * byte for byte what it always was (each line `JSON.stringify({file, ...report})`), on this thread
 * for a few files and in worker threads for many; `--provenance compact|none`; the output is
 * back-pressured (a reader that stops reading stops the work, memory stays flat); the error line of
 * a file that cannot be read; how many workers a job gets.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH, expandInputs, runBulk, workersFor } from '../src/cli/bulk.js';
import type { ParseFileResult } from '../src/cli/jobs.js';
import { type CompactProvenance, compactProvenance, expandOrigin, expandProvenance, type Provenance } from '../src/model/provenance.js';
import type { Report } from '../src/model/report.js';
import { parseFile } from '../src/parse.js';
import { sampleReport2021 } from './helpers/arbitrary.js';
import { nianbao, nianbaoProcess } from './helpers/cli.js';
import { CORPUS, SEEDS, seedFiles } from './helpers/paths.js';
import { toDocx, toHtml, toXlsx } from './helpers/variants.js';

const BIN = resolve(import.meta.dirname, '../bin/nianbao.js');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-bulk-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `n` copies of the seeds in a new folder (in subfolders of 100) */
function copies(name: string, n: number): string {
  const folder = join(dir, name);
  const seeds = seedFiles();
  for (let i = 0; i < n; i++) {
    const sub = join(folder, String(Math.floor(i / 100)).padStart(2, '0'));
    if (i % 100 === 0) mkdirSync(sub, { recursive: true });
    copyFileSync(join(SEEDS, seeds[i % seeds.length]), join(sub, `${String(i).padStart(5, '0')}.txt`));
  }
  return folder;
}

/** every file of a folder, recursively, sorted as the command sorts them */
function filesOf(folder: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  walk(folder);
  return out;
}

const lines = (stdout: string) => stdout.split('\n').filter(Boolean);

/** `provenance` without the PDF widths and heights, which `compact` leaves out */
function withoutSizes(p: Record<string, { raw: string; prov: Provenance }>): Record<string, { raw: string; prov: Provenance }> {
  const out: Record<string, { raw: string; prov: Provenance }> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v.prov.kind === 'pdf') {
      const { width, height, ...prov } = v.prov;
      out[k] = { raw: v.raw, prov };
    } else out[k] = v;
  }
  return out;
}

describe('nianbao parse DIR --json: the default output is unchanged', () => {
  it('a few text files (read without worker threads): each line is JSON.stringify({file, ...report}), errors as before', async () => {
    const folder = join(dir, 'few');
    mkdirSync(folder);
    for (const s of seedFiles()) copyFileSync(join(SEEDS, s), join(folder, s));
    writeFileSync(join(folder, 'empty.txt'), '');
    const missing = join(dir, 'missing.txt');
    const r = await nianbaoProcess('parse', folder, missing, '--json');
    expect(r.code).toBe(2);
    const want: string[] = [];
    for (const f of [...filesOf(folder), missing]) {
      if (f.endsWith('empty.txt')) want.push(JSON.stringify({ file: f, error: `文件 ${f} 是空文件。 File ${f} is empty.`, code: 'empty' }));
      else if (f === missing)
        want.push(JSON.stringify({ file: f, error: `找不到文件 ${f}。 File ${f} was not found.`, code: 'not-found' }));
      else want.push(JSON.stringify({ file: f, ...(await parseFile(f)) }));
    }
    expect(r.stdout).toBe(`${want.join('\n')}\n`);
    // the errors, each in Chinese and English, on stderr too
    expect(r.stderr).toBe(
      `错误：文件 ${join(folder, 'empty.txt')} 是空文件。 File ${join(folder, 'empty.txt')} is empty.\n` +
        `错误：找不到文件 ${missing}。 File ${missing} was not found.\n`,
    );
  });

  it('many files (worker threads): byte for byte the same lines', async () => {
    const folder = copies('many', 320);
    expect(workersFor(filesOf(folder), 2)).toBe(2);
    const r = await nianbaoProcess('parse', folder, '--json', '--threads', '2');
    expect(r.code).toBe(0);
    const cache = new Map<string, string>();
    const want: string[] = [];
    for (const f of filesOf(folder)) {
      // the copies of one seed differ only by their name
      const seed = readFileSync(f, 'utf8');
      let body = cache.get(seed);
      if (body === undefined) {
        body = JSON.stringify(await parseFile(f));
        cache.set(seed, body);
      }
      const report = JSON.parse(body) as Report;
      report.input = { ...(report.input as NonNullable<Report['input']>), file: f };
      want.push(JSON.stringify({ file: f, ...report }));
    }
    expect(lines(r.stdout)).toHaveLength(320);
    expect(r.stdout).toBe(`${want.join('\n')}\n`);
  }, 120_000);

  it('many files without --json: the Chinese summary of each, as before', async () => {
    const { formatReport } = await import('../src/cli/format.js');
    const folder = join(dir, 'many');
    const r = await nianbaoProcess('parse', folder, '--threads', '2');
    expect(r.code).toBe(0);
    const summaries = new Map<string, string>();
    let want = '';
    for (const f of filesOf(folder)) {
      const seed = readFileSync(f, 'utf8');
      let s = summaries.get(seed);
      if (s === undefined) {
        // the summary names the file: made once per seed with a placeholder name
        s = formatReport(await parseFile(f))
          .split(f)
          .join('\u0000');
        summaries.set(seed, s);
      }
      want += `${s.split('\u0000').join(f)}\n\n`;
    }
    expect(r.stdout).toBe(want);
    expect(r.stderr).toBe('共 320 个文件，320 个读取成功，0 个失败。\n');
  }, 120_000);

  it('one file: the pretty-printed Report, as --provenance full', async () => {
    const f = join(SEEDS, seedFiles()[1]);
    const want = `${JSON.stringify(await parseFile(f), null, 2)}\n`;
    expect((await nianbao('parse', f, '--json')).stdout).toBe(want);
    expect((await nianbao('parse', f, '--json', '--provenance=full')).stdout).toBe(want);
  });
});

describe('--provenance compact | none', () => {
  it('compact: provenanceCompact in place of provenance, the same origins; none: neither; the rest unchanged', async () => {
    const folder = join(dir, 'kinds');
    mkdirSync(folder);
    const report = sampleReport2021();
    writeFileSync(join(folder, 'a.html'), toHtml(report, { chrome: true }));
    writeFileSync(join(folder, 'b.docx'), await toDocx(report));
    writeFileSync(join(folder, 'c.xlsx'), await toXlsx(report));
    copyFileSync(join(SEEDS, seedFiles()[0]), join(folder, 'd.txt'));
    const pdf = readdirSync(join(CORPUS, 'pdf')).filter((f) => f.endsWith('.pdf'))[0];
    copyFileSync(join(CORPUS, 'pdf', pdf), join(folder, 'e.pdf'));
    const runs = await Promise.all(
      ['full', 'compact', 'none'].map((m) => nianbaoProcess('parse', folder, '--json', `--provenance=${m}`, '--threads', '2')),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const [full, compact, none] = runs.map((r) => lines(r.stdout).map((l) => JSON.parse(l) as Record<string, unknown>));
    expect(full).toHaveLength(5);
    const kinds = new Set<string>();
    full.forEach((f, i) => {
      const { provenance, ...rest } = f as { provenance: Record<string, { raw: string; prov: Provenance }> };
      expect(Object.keys(provenance).length).toBeGreaterThan(50);
      for (const o of Object.values(provenance)) kinds.add(o.prov.kind);
      // none: the report without its provenance, key for key in the same order
      expect(JSON.stringify(none[i])).toBe(JSON.stringify(rest));
      // compact: the same, then provenanceCompact last
      const { provenanceCompact, ...others } = compact[i] as { provenanceCompact: CompactProvenance };
      expect(JSON.stringify(others)).toBe(JSON.stringify(rest));
      expect(Object.keys(compact[i]).at(-1)).toBe('provenanceCompact');
      expect(expandProvenance(provenanceCompact)).toEqual(withoutSizes(provenance));
      // nested by the keys of the path
      const [path, origin] = Object.entries(provenance)[0];
      const leaf = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], provenanceCompact);
      expect(expandOrigin(leaf as (string | number | null)[])).toEqual(withoutSizes({ [path]: origin })[path]);
      expect(JSON.stringify(provenanceCompact).length).toBeLessThan(JSON.stringify(provenance).length / 2);
    });
    expect([...kinds].sort()).toEqual(['pdf', 'table', 'text']);
  }, 120_000);

  it('compact keeps every kind of origin: text, PDF (OCR too), DOCX paragraph, table cells of DOCX, HTML and XLSX', () => {
    const full: Record<string, { raw: string; prov: Provenance }> = {
      'proactive.regulations.issued': { raw: '1', prov: { kind: 'text', line: 3, column: 7 } },
      'proactive.regulations.repealed': { raw: '/', prov: { kind: 'pdf', page: 2, x: 101.25, y: 700.5 } },
      'proactive.regulations.inForce': { raw: '12', prov: { kind: 'pdf', page: 2, x: 1, y: 2, ocr: true, confidence: 0.92 } },
      'proactive.licensing.decisions': { raw: '8', prov: { kind: 'pdf', page: 3, x: 1, y: 2, ocr: true } },
      'proactive.punishment.decisions': { raw: '', prov: { kind: 'docx-paragraph', paragraph: 40 } },
      'applications.granted.total': { raw: '1,234', prov: { kind: 'table', table: 2, row: 5, cell: 9 } },
      'applications.granted.naturalPerson': { raw: '3', prov: { kind: 'table', table: 2, row: 5, cell: 2, line: 88, column: 5 } },
      'applications.granted.commercial': {
        raw: '0',
        prov: { kind: 'table', table: 1, row: 6, cell: 3, sheet: '表二', address: 'C6' },
      },
    };
    const c = compactProvenance(full);
    expect(c).toEqual({
      proactive: {
        regulations: { issued: ['1', 't', 3, 7], repealed: ['/', 'p', 2, 101.25, 700.5], inForce: ['12', 'p', 2, 1, 2, 0.92] },
        licensing: { decisions: ['8', 'p', 3, 1, 2, null] },
        punishment: { decisions: ['', 'd', 40] },
      },
      applications: {
        granted: {
          total: ['1,234', 'c', 2, 5, 9],
          naturalPerson: ['3', 'c', 2, 5, 2, 88, 5],
          commercial: ['0', 'c', 1, 6, 3, '表二', 'C6'],
        },
      },
    });
    expect(expandProvenance(JSON.parse(JSON.stringify(c)))).toEqual(full);
    // a path that is a cell and the beginning of another: kept whole at the top, expanded the same
    const odd = { 'a.b': full['applications.granted.total'], 'a.b.c': full['proactive.regulations.issued'] };
    expect(expandProvenance(compactProvenance(odd))).toEqual(odd);
  });

  it('a report parsed with compact is checked as one parsed in full: each diagnostic points at the same place', async () => {
    // a seed with the 总计 of 表二 one too many: diagnostics that point at cells
    const seed = join(SEEDS, seedFiles()[0]);
    const origin = (await parseFile(seed)).provenance?.['applications.outcomeTotal.total'];
    if (origin?.prov.kind !== 'text') throw new Error('the seed has no text origin for the 总计 of 表二');
    const { line, column } = origin.prov;
    const text = readFileSync(seed, 'utf8').split('\n');
    const at = text[line - 1];
    text[line - 1] = at.slice(0, column - 1) + String(Number(origin.raw) + 1) + at.slice(column - 1 + origin.raw.length);
    const wrong = join(dir, 'wrong-total.txt');
    writeFileSync(wrong, text.join('\n'));
    const out: Record<string, string> = {};
    for (const mode of ['full', 'compact', 'none']) {
      const parsed = await nianbao('parse', wrong, '--json', `--provenance=${mode}`);
      expect(parsed.code, parsed.stderr).toBe(0);
      out[mode] = join(dir, `wrong-total.${mode}.json`);
      writeFileSync(out[mode], parsed.stdout);
    }
    const diagnostics = async (f: string) => {
      const r = await nianbao('check', f, '--json');
      return (JSON.parse(r.stdout) as { diagnostics: { rule: string; path: string | null; location: unknown; origin?: unknown }[] })
        .diagnostics;
    };
    const [full, compact, none] = [await diagnostics(out.full), await diagnostics(out.compact), await diagnostics(out.none)];
    const total = full.find((d) => d.path === 'applications.outcomeTotal.total');
    expect(total?.location).toEqual({ line, column });
    expect(compact).toEqual(full);
    // and the text output names the document those lines are in, not the JSON
    const human = (await nianbao('check', out.compact)).stdout;
    expect(human).toContain(`${wrong}:${line}:${column}`);
    expect(human).not.toContain(`${out.compact}:${line}:`);
    // without provenance the same problems are found, but they point nowhere
    expect(none.map((d) => d.rule).sort()).toEqual(full.map((d) => d.rule).sort());
    expect(none.find((d) => d.path === 'applications.outcomeTotal.total')?.location).toBeNull();
  });

  it('a provenanceCompact that cannot be read is refused with its place, in Chinese and English', async () => {
    const report = { ...sampleReport2021(), provenanceCompact: { applications: { granted: { total: ['3', 'x', 1, 2] } } } };
    const f = join(dir, 'bad-compact.json');
    writeFileSync(f, JSON.stringify(report));
    const r = await nianbao('check', f);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('provenanceCompact.applications.granted.total 不是有效的来源数组');
    expect(r.stderr).toContain('is not a valid origin array');
    writeFileSync(f, JSON.stringify({ ...report, provenanceCompact: { applications: { granted: { total: ['3', 't', 'one', 2] } } } }));
    const notNumber = (await nianbao('check', f)).stderr;
    expect(notNumber).toContain('（第 3 项不是数字）');
    expect(notNumber).toContain('(item 3 is not a number)');
    writeFileSync(f, JSON.stringify({ ...report, provenanceCompact: [] }));
    expect((await nianbao('check', f)).stderr).toContain('provenanceCompact 应为对象');
  });

  it('a bad value is a usage error in Chinese and English (exit 2)', async () => {
    const r = await nianbao('parse', join(SEEDS, seedFiles()[0]), '--provenance=short');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      '错误：选项 --provenance 的值“short”无效：应为 full、compact 或 none（nianbao parse）。运行 nianbao parse --help 查看用法。\n' +
        'Error: invalid value "short" for option --provenance: it must be full, compact or none (nianbao parse); see nianbao parse --help.\n',
    );
  });
});

/** the CPU time (s) and resident memory (MB) of a process, and the bytes it has read (Linux /proc) */
function usage(pid: number): { cpu: number; rssMb: number; read: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(f[11]) + Number(f[12])) / 100; // utime + stime, clock ticks (USER_HZ 100)
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  const read = /rchar:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  return { cpu, rssMb: Number(rss?.[1] ?? 0) / 1024, read: Number(read?.[1] ?? 0) };
}

describe.skipIf(process.platform !== 'linux')('back-pressure', () => {
  it('a reader that stops reading stops the work: memory stays flat, nothing is lost when it reads again', async () => {
    const n = 1500;
    const folder = copies('slow', n);
    const inputBytes = filesOf(folder).reduce((s, f) => s + readFileSync(f).length, 0);
    const child = spawn(process.execPath, [BIN, 'parse', folder, '--json', '--threads', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid as number;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.stdout.pause();
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    try {
      // wait until it is idle: blocked on the full pipe (or, without back-pressure, done with every file)
      let before = usage(pid);
      for (let i = 0; i < 120; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        const now = usage(pid);
        const idle = now.cpu - before.cpu < 0.05;
        before = now;
        if (idle && i >= 2) break;
      }
      const blocked = usage(pid);
      // it read few of the files (the JavaScript it loaded counts here too, a few MB), and holds little
      expect(blocked.read).toBeLessThan(inputBytes / 2);
      expect(blocked.rssMb).toBeLessThan(200);
      // reading again: every report, in order
      const chunks: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => chunks.push(d));
      child.stdout.resume();
      const code = await exited;
      expect(code, stderr).toBe(0);
      const out = lines(Buffer.concat(chunks).toString('utf8'));
      expect(out).toHaveLength(n);
      expect(out.map((l) => (JSON.parse(l) as { file: string }).file)).toEqual(filesOf(folder));
    } finally {
      child.kill();
    }
  }, 240_000);
});

describe('batches of files', () => {
  it('cheap files go to the workers in batches, in order; a batch past its time limit is run again file by file: only the stuck file fails', async () => {
    const folder = copies('batches', 200);
    const files = filesOf(folder);
    // one file in the middle of a batch that never finishes
    const stuck = join(folder, '00', '00050-hang.txt');
    copyFileSync(files[50], stuck);
    const all = filesOf(folder);
    expect(all.indexOf(stuck)).toBeGreaterThan(BATCH);
    const emitted: { file: string; r: ParseFileResult }[] = [];
    await runBulk(all, {
      threads: 1,
      job: (file) => ({ kind: 'parseFile', file, provenance: 'none' }),
      emit: (file, r) => emitted.push({ file, r }),
      handlers: new URL('./fixtures/pool/bulk-hang.ts', import.meta.url),
      timeoutMs: 4_000,
    });
    expect(emitted.map((e) => e.file)).toEqual(all);
    const failed = emitted.filter((e) => !e.r.ok);
    expect(failed.map((e) => e.file)).toEqual([stuck]);
    expect(JSON.parse(failed[0].r.line)).toMatchObject({ file: stuck, code: 'timeout' });
    expect(failed[0].r.error).toContain('超过');
    // the others are whole reports, the same as read one at a time
    const one = emitted.find((e) => e.file === all[3]);
    expect(JSON.parse(one?.r.line ?? '{}').agency).toBe((await parseFile(all[3])).agency);
  }, 120_000);
});

describe('how many worker threads a job gets', () => {
  const text = (k: number) => Array.from({ length: k }, (_, i) => `r${i}.txt`);
  it('none for a few text files; as many as the work is worth, at most --threads and one per file', () => {
    expect(workersFor(text(3), 2)).toBe(0);
    expect(workersFor(text(100), 8)).toBe(0);
    expect(workersFor(text(400), 8)).toBe(2);
    expect(workersFor(text(50_000), 2)).toBe(2);
    expect(workersFor(text(50_000), 16)).toBe(16);
    // a document reader always runs in a worker, under its time and memory limits
    expect(workersFor(['a.pdf'], 8)).toBe(1);
    expect(workersFor(['a.pdf', 'b.pdf', 'c.pdf'], 8)).toBe(2);
    expect(workersFor(['a.docx', 'b.txt'], 8)).toBe(1);
    expect(workersFor([...text(10), ...Array.from({ length: 20 }, (_, i) => `d${i}.pdf`)], 4)).toBe(4);
  });
});

describe('the files of a folder', () => {
  it('symbolic links are followed to files and folders, once each; a dangling one and a loop are skipped', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nianbao-links-'));
    try {
      const store = join(root, 'store');
      mkdirSync(join(store, 'sub'), { recursive: true });
      const [a, b] = seedFiles().slice(0, 2);
      copyFileSync(join(SEEDS, a), join(store, 'a.txt'));
      copyFileSync(join(SEEDS, b), join(store, 'sub', 'b.txt'));
      const dir = join(root, 'in');
      mkdirSync(dir);
      symlinkSync(join(store, 'a.txt'), join(dir, 'linked.txt'));
      symlinkSync(join(store, 'sub'), join(dir, 'linked-folder'));
      symlinkSync(join(root, 'nowhere.txt'), join(dir, 'dangling.txt'));
      symlinkSync(dir, join(dir, 'loop'));
      const files = await expandInputs([dir]);
      expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['linked-folder/b.txt', 'linked.txt']);
      const { code, stdout } = await nianbao('parse', dir, '--json');
      expect(code).toBe(0);
      const lines = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { file: string; agency?: string });
      expect(lines.map((l) => l.file)).toEqual(files);
      expect(lines.every((l) => typeof l.agency === 'string' && l.agency.length > 0)).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
