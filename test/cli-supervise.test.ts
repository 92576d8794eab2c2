/**
 * Supervision from the command line: a directory with a dry run, a folder of reports imported with
 * a waiting file confirmed, the year's status (and its Excel export), the roll-up with a
 * drill-down, scores (Excel and the Word 通报 draft), 雷同 across bodies, reviews; bad input answered
 * in both languages with exit status 2 and nothing stored.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { renderHtml, renderMarkdown } from '../src/render/index.js';
import { sampleReport2021 } from './helpers/arbitrary.js';
import { nianbao } from './helpers/cli.js';

let dir: string;
let db: string;
const sup = (...args: string[]) => nianbao(...args, '--db', db, '--user', '张监督');

const DIRECTORY = `名称,类型,层级,上级机关,行政区划代码
甲市人民政府,人民政府,市级,,320800
甲市教育局,部门,市级,甲市人民政府,
乙区人民政府,人民政府,县级,甲市人民政府,320812
乙区教育局,部门,县级,乙区人民政府,
乙区民政局,部门,县级,乙区人民政府,
`;

const SHARED = [
  '围绕档案水利交通农业工作推进公开，全面梳理公开事项清单三百余项，逐项明确公开主体和公开时限。',
  '林业住房医保事项办理四百余件，全部通过门户网站专栏集中发布，并同步推送至政务新媒体。',
  '审计统计文旅卫健领域新增解读材料二十一篇，邀请专家参与解读，回应社会关切十一次。',
  '市场应急生态财政领域公开规范性文件十二件，废止三件，现行有效文件目录动态更新。',
  '税务人社司法退役军人事务领域依申请公开办理流程再造，答复文书模板统一规范。',
].join('');

function report(agency: string, publishedOn: string, overview?: string): Report {
  const r = sampleReport2021();
  return { ...r, agency, year: 2024, publishedOn, sections: { ...r.sections, ...(overview ? { overview } : {}) } };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-supervise-'));
  db = join(dir, 'sup.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nianbao bodies / import / status / rollup / score / copies', () => {
  it('a directory with an error is refused whole; the dry run stores nothing; then it is imported', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${DIRECTORY}丁局,部门,县级,不存在的政府,\n`);
    let r = await sup('bodies', 'import', bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/第 ?7 ?行/);
    expect(r.stderr).toContain('未导入');
    r = await sup('bodies', 'list', '--json');
    expect(JSON.parse(r.stdout)).toEqual([]);

    const good = join(dir, 'good.csv');
    writeFileSync(good, DIRECTORY);
    r = await sup('bodies', 'import', good, '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('新增 5 个机关');
    expect(JSON.parse((await sup('bodies', 'list', '--json')).stdout)).toEqual([]);
    r = await sup('bodies', 'import', good);
    expect(r.code).toBe(0);
    r = await sup('bodies', 'list');
    expect(r.stdout).toContain('乙区民政局');
    expect(r.stdout).toContain('县级');

    const out = join(dir, 'export.csv');
    r = await sup('bodies', 'export', out);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('乙区教育局');
  });

  it('imports a folder: matched, a waiting file confirmed, the same file once', async () => {
    const folder = join(dir, 'reports');
    mkdirSync(folder);
    const shared = SHARED;
    writeFileSync(join(folder, 'a.md'), renderMarkdown(report('乙区教育局', '2025-01-20', shared)));
    writeFileSync(join(folder, 'a-copy.md'), renderMarkdown(report('乙区教育局', '2025-01-20', shared)));
    writeFileSync(join(folder, 'b.md'), renderMarkdown(report('甲市乙区民政局', '2025-02-10', shared)));
    writeFileSync(join(folder, 'c.md'), renderMarkdown(report('乙区人民正府', '2025-03-20')));
    writeFileSync(join(folder, 'notes.xyz'), 'not a report');
    let r = await sup('import', folder, '--quiet');
    expect(r.stdout).toContain('已存 2 份');
    expect(r.stdout).toContain('待确认 1 份');
    expect(r.stdout).toContain('重复 1 份');
    expect(r.stdout).toContain('跳过 1 个非报告文件');
    r = await sup('pending', '--json');
    const pending = JSON.parse(r.stdout) as { id: number; candidates: { name: string }[] }[];
    expect(pending).toHaveLength(1);
    expect(pending[0].candidates[0].name).toBe('乙区人民政府');
    r = await sup('confirm', String(pending[0].id), '--body', '乙区人民政府');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已确认：归入 乙区人民政府');
    // importing again stores nothing new
    r = await sup('import', folder, '--quiet');
    expect(r.stdout).toContain('重复 4 份');
  });

  it('status, roll-up, scores, copies and review', async () => {
    let r = await sup('status', '2024', '--today', '2025-04-10');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/应发布 5 家，已发布 3 家（其中逾期 1 家），未发布 2 家（已过期限 2 家）/);
    expect(r.stdout).toMatch(/乙区民政局\t2025-01-31\t逾期发布\t2025-02-10\t10/);
    const xlsx = join(dir, 'status.xlsx');
    r = await sup('status', '2024', '--today', '2025-04-10', '--state', 'overdue', '--out', xlsx);
    expect(r.stdout).toContain('甲市人民政府');
    expect(r.stdout).not.toContain('乙区教育局');
    expect(readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK');

    r = await sup('rollup', '2024', '--json');
    const roll = JSON.parse(r.stdout) as { root: number; totals: { bodyId: number; reports: number; region: Record<string, number> }[] };
    const root = roll.totals.find((t) => t.bodyId === roll.root);
    const one = sampleReport2021().applications.newReceived.total ?? 0;
    expect(root?.reports).toBe(3);
    expect(root?.region['applications.newReceived.total']).toBe(3 * one);
    r = await sup('rollup', '2024', '--cell', 'applications.newReceived.total');
    expect(r.stdout).toContain(`乙区人民政府\t${3 * one}`);

    r = await sup('copies', '2024', '--json');
    const pairs = JSON.parse(r.stdout) as { ratio: number }[];
    expect(pairs.length).toBeGreaterThan(0);
    r = await sup('copies', '2024');
    expect(r.stdout).toMatch(/乙区教育局 ↔ 乙区民政局|乙区民政局 ↔ 乙区教育局/);

    const docx = join(dir, 'bulletin.docx');
    r = await sup('score', '2024', '--today', '2025-04-10', '--out', docx);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('示例');
    expect(readFileSync(docx).subarray(0, 2).toString()).toBe('PK');
    r = await sup('score', '2024', '--today', '2025-04-10', '--json');
    const scores = JSON.parse(r.stdout) as { scores: { bodyId: number; failed: boolean }[] };
    expect(scores.scores.filter((s) => s.failed)).toHaveLength(2); // the two unpublished

    r = await sup('review', '乙区教育局', '2024');
    expect(r.stdout).toContain('已复核');
    r = await sup('status', '2024', '--today', '2025-04-10', '--state', 'unreviewed');
    expect(r.stdout).not.toContain('乙区教育局\t');
  });

  it('a second version of a report, its differences; the jurisdiction’s deadlines and rubric', async () => {
    const folder = join(dir, 'edited');
    mkdirSync(folder);
    const r0 = report('乙区教育局', '2025-01-20');
    const edited = structuredClone(r0);
    edited.applications.newReceived.total = (r0.applications.newReceived.total ?? 0) + 2;
    writeFileSync(join(folder, 'v2.md'), renderMarkdown(edited));
    let r = await sup('import', folder, '--quiet');
    expect(r.stdout).toContain('新版本');
    expect(r.stdout).toContain('内容有改动');
    r = await sup('versions', '乙区教育局', '2024');
    expect(r.stdout).toContain('共 2 版');
    expect(r.stdout).toContain(
      `依申请公开 / 一、本年新收政府信息公开申请数量 / 总计：${r0.applications.newReceived.total} → ${(r0.applications.newReceived.total ?? 0) + 2}`,
    );

    r = await sup('settings', '--under', '甲市人民政府', '--department', '03-31');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('政府部门 次年 03-31（法定 03-31 / 01-31）');
    r = await sup('status', '2024', '--today', '2025-04-10', '--under', '甲市人民政府', '--json');
    const rows = JSON.parse(r.stdout).rows as { body: { name: string }; status: { state: string; deadline: string } }[];
    expect(rows.find((x) => x.body.name === '乙区民政局')?.status).toMatchObject({ state: 'published', deadline: '2025-03-31' });
    r = await sup('settings', '--under', '甲市人民政府', '--department', '02-30');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MM-DD');
    r = await sup('settings', '--under', '甲市人民政府', '--statutory');
    expect(r.stdout).toContain('政府部门 次年 01-31');
  });

  it('another format of a stored report is a version of the same content; a damaged file is named in both languages', async () => {
    const folder = join(dir, 'other-format');
    mkdirSync(folder);
    writeFileSync(join(folder, 'same.html'), renderHtml(report('乙区民政局', '2025-02-10', SHARED)));
    writeFileSync(join(folder, 'broken.pdf'), '%PDF-1.7\n1 0 obj <<');
    const r = await sup('import', folder, '--quiet');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('内容与上一版相同');
    expect(r.stdout).toMatch(/无法读取：文件 broken\.pdf/);
    expect(r.stdout).toMatch(/broken\.pdf.*(could not|not a valid|damaged|cannot)/i);
  });

  it('bad input: a clear answer in both languages, exit 2', async () => {
    let r = await sup('status', '24');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('年度应为四位数字');
    expect(r.stderr).toContain('four digits');
    r = await sup('score', '2024', '--rubric', join(dir, 'missing.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('无法读取评分细则');
    const bad = join(dir, 'bad-rubric.json');
    writeFileSync(
      bad,
      JSON.stringify({ name: 'x', total: 10, mode: 'strict', items: [{ id: 'a', name: 'A', points: -1, deductions: [] }] }),
    );
    r = await sup('score', '2024', '--rubric', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-rubric.json');
    r = await sup('confirm', '999', '--body', '乙区教育局');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('没有编号为 999');
    r = await sup('review', '不存在的局', '2024');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('找不到机关');
  });
});
