import { closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleReport2021 } from './helpers/arbitrary.js';
import { nianbao } from './helpers/cli.js';
import { SEEDS, seedFiles } from './helpers/paths.js';
import { toGluedText } from './helpers/variants.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-'));
});

/** the failure contract: exit 2, the file named, a Chinese and an English sentence, no stack trace */
function expectCleanFailure(r: { code: number; stdout: string; stderr: string }, file: string): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(file);
  expect(r.stderr).toMatch(/[\u4e00-\u9fff]/);
  expect(r.stderr).toMatch(/Error: .*[a-z]{3,}/);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('nianbao parse', () => {
  it('prints exactly one Report JSON with --json', async () => {
    const f = join(SEEDS, '001_bafcd2ea084bb138.txt');
    const r = await nianbao('parse', f, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.format).toBe('2021');
    expect(report.agency).toBe('八卦洲街道办事处');
    expect(report.publishedOn).toBe('2022-01-14');
    expect(Object.keys(report.applications)).toHaveLength(25);
  });

  it('prints a Chinese summary without --json', async () => {
    const r = await nianbao('parse', join(SEEDS, '003_f8437f9aaea28a39.txt'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('发布机关：武陟县木栾街道办事处');
    expect(r.stdout).toMatch(/行政许可\s+本年处理决定数量 242/);
  });

  it('warns on stderr about cells it cannot split, and keeps them null in the JSON', async () => {
    const report = sampleReport2021();
    const f = join(dir, 'glued.txt');
    writeFileSync(f, toGluedText(report));
    const r = await nianbao('parse', f, '--json');
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout);
    expect(got.ambiguities.length).toBeGreaterThan(0);
    const a = got.ambiguities[0];
    expect(a.path.split('.').reduce((o: Record<string, unknown>, k: string) => o[k] as Record<string, unknown>, got)).toBeNull();
    expect(r.stderr).toContain(a.path);
    expect(r.stderr).toContain('候选值');
  });

  it('refuses a missing file', async () => {
    expectCleanFailure(await nianbao('parse', join(dir, 'nope.txt')), 'nope.txt');
  });

  it('refuses an empty file', async () => {
    const f = join(dir, 'empty.txt');
    writeFileSync(f, '');
    expectCleanFailure(await nianbao('parse', f), 'empty.txt');
  });

  it('refuses binary garbage', async () => {
    const f = join(dir, 'garbage.txt');
    const b = Buffer.alloc(4096);
    for (let i = 0; i < b.length; i++) b[i] = (i * 7919 + 13) % 256;
    writeFileSync(f, b);
    expectCleanFailure(await nianbao('parse', f), 'garbage.txt');
  });

  it('refuses a text that is not an annual report', async () => {
    const f = join(dir, 'notice.txt');
    writeFileSync(f, '关于举办2024年春季运动会的通知\n各单位：\n定于4月10日举办运动会，请各单位积极报名。\n');
    const r = await nianbao('parse', f);
    expectCleanFailure(r, 'notice.txt');
    expect(r.stderr).toContain('不是政府信息公开工作年度报告');
  });

  it('refuses an old pre-2019 report and says why', async () => {
    const f = join(dir, 'old-2017.txt');
    writeFileSync(
      f,
      [
        '某某市人民政府2017年政府信息公开工作年度报告',
        '一、概述',
        '二、主动公开政府信息情况',
        '全年主动公开政府信息1200条。',
        '三、依申请公开政府信息情况',
        '收到申请数\t35',
        '其中：同意公开答复数\t20',
        '同意部分公开答复数\t5',
        '不同意公开答复数\t3',
        '四、政府信息公开的收费及减免情况',
        '五、因政府信息公开申请行政复议、提起行政诉讼的情况',
      ].join('\n'),
    );
    const r = await nianbao('parse', f);
    expectCleanFailure(r, 'old-2017.txt');
    expect(r.stderr).toContain('2019 年以前');
  });

  it('refuses a 200 MB file without reading it', async () => {
    const f = join(dir, 'huge.txt');
    const fd = openSync(f, 'w');
    ftruncateSync(fd, 200 * 1024 * 1024); // sparse: no disk is used
    closeSync(fd);
    const r = await nianbao('parse', f);
    expectCleanFailure(r, 'huge.txt');
    expect(r.stderr).toContain('太大');
  });

  it('reads a folder as JSON Lines in a stable order and goes on after a bad file', async () => {
    const folder = join(dir, 'bulk');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    for (const s of seedFiles()) copyFileSync(join(SEEDS, s), join(folder, s));
    copyFileSync(join(SEEDS, seedFiles()[0]), join(folder, 'sub', 'again.txt'));
    writeFileSync(join(folder, 'broken.txt'), '');
    writeFileSync(join(folder, 'ignored.bin'), 'not a report');
    const r = await nianbao('parse', folder, '--json', '--threads', '2');
    expect(r.code).toBe(2);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const files = lines.map((l) => l.file as string);
    expect(files).toEqual([...files].sort());
    expect(lines).toHaveLength(seedFiles().length + 2);
    const bad = lines.find((l) => l.file.endsWith('broken.txt'));
    expect(bad.error).toMatch(/空文件.*empty/);
    expect(lines.filter((l) => l.format === '2021')).toHaveLength(seedFiles().length + 1);
    expect(readdirSync(folder)).toContain('ignored.bin');
    expect(files.some((f) => f.endsWith('ignored.bin'))).toBe(false);
  });
});

describe('warnings about ambiguous cells', () => {
  it('say so when no candidate can be listed, instead of an empty list', async () => {
    const { ambiguityWarnings } = await import('../src/cli/format.js');
    const r = { ambiguities: [{ path: 'applications.newReceived.total', candidates: [] }] } as unknown as Parameters<
      typeof ambiguityWarnings
    >[0];
    const [w] = ambiguityWarnings(r, 'a.txt');
    expect(w).toContain('找不到可列出的候选值');
    expect(w).not.toContain('候选值：。');
    expect(w).toContain('no candidate can be listed');
    expect(w).toContain('“一、本年新收政府信息公开申请数量·总计”');
  });

  it('do not blame lost separators for a cell with no candidate (a file cut short in its table)', async () => {
    const { ambiguityWarnings } = await import('../src/cli/format.js');
    const r = { ambiguities: [{ path: 'applications.newReceived.total', candidates: [] }] } as unknown as Parameters<
      typeof ambiguityWarnings
    >[0];
    const [w] = ambiguityWarnings(r, 'cut.txt');
    expect(w).toContain('表格未能按原样读出');
    expect(w).toContain('the table could not be read as published');
    expect(w).not.toContain('separators lost');
  });

  it('list the first ten cells of a file and then say how many more, not one line per cell of a table not read', async () => {
    const { ambiguityWarnings, MAX_CELL_WARNINGS } = await import('../src/cli/format.js');
    const cols = ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'other', 'total'];
    const many = (n: number) =>
      ({
        ambiguities: Array.from({ length: n }, (_, i) => ({ path: `applications.granted.${cols[i % 7]}`, candidates: [] })),
      }) as unknown as Parameters<typeof ambiguityWarnings>[0];
    const lines = ambiguityWarnings(many(49), 'a.txt');
    expect(lines).toHaveLength(MAX_CELL_WARNINGS + 1);
    expect(lines[MAX_CELL_WARNINGS]).toContain('另有 39 个单元格');
    expect(lines[MAX_CELL_WARNINGS]).toContain('39 more cells');
    // (one more than the limit is listed whole: a summary line would save nothing)
    expect(ambiguityWarnings(many(MAX_CELL_WARNINGS + 1), 'a.txt').every((l) => !l.includes('另有'))).toBe(true);
  });
});
