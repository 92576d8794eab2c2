/**
 * What the command line says instead of staying silent: `render` of a report without its narrative
 * parts writes it and warns; `check --previous` with a report that is not the same body's report of
 * the year before says so and does not use it for the cross-year rules.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { nianbao } from './helpers/cli.js';

let dir: string;
let report: Report;
const file = (name: string, r: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(r));
  return p;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-warn-'));
  const r = await nianbao('parse', join(import.meta.dirname, '..', 'examples', 'muluan-2023.txt'), '--json');
  report = JSON.parse(r.stdout) as Report;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('warnings', () => {
  it('render of a report without its narrative writes it, and says which parts are empty', async () => {
    const bare = { ...report, sections: { overview: null, problems: '', other: null } };
    const out = join(dir, 'bare.md');
    const r = await nianbao('render', file('bare.json', bare), '--to', 'md', '-o', out);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('政府信息公开工作年度报告');
    expect(r.stderr).toContain('警告：报告缺少“一、总体情况”、“五、存在的主要问题及改进情况”、“六、其他需要报告的事项”的正文');
    expect(r.stderr).toContain('Warning: The report has no text for section 一');
    // a whole report: no such warning
    const whole = await nianbao('render', file('whole.json', report), '--to', 'md', '-o', join(dir, 'whole.md'));
    expect(whole.code).toBe(0);
    expect(whole.stderr).not.toContain('缺少');
  });

  it('check --previous with a report of the wrong year or another body says so and does not use it', async () => {
    const same = await nianbao('check', file('r2023.json', report), '--previous', file('p2023.json', report));
    expect(same.stderr).toContain('是 2023 年的报告，不是 2023 年报告的上一年度（2022 年），未用于');
    const other = { ...report, year: 2022, agency: '某某县财政局' };
    const r = await nianbao('check', join(dir, 'r2023.json'), '--previous', file('other.json', other));
    expect(r.stderr).toContain('是“某某县财政局”的报告，与“武陟县木栾街道办事处”不是同一机关');
    // the year before by the same body: no warning
    const last = { ...report, year: 2022 };
    const ok = await nianbao('check', join(dir, 'r2023.json'), '--previous', file('last.json', last));
    expect(ok.stderr).not.toContain('未用于');
  });

  it('a missing file or folder is said in Chinese and English, never as a bare ENOENT', async () => {
    const missing = join(dir, 'no-such.json');
    const runs = [
      await nianbao('register', 'add', '--file', missing, '--db', join(dir, 'r.db')),
      await nianbao('render', file('ok.json', report), '--to', 'md', '-o', join(dir, 'no-such-dir', 'x.md')),
      await nianbao('holidays', 'import', join(dir, 'no-such.txt'), '--db', join(dir, 'r.db')),
      await nianbao('register', 'ledger-import', join(dir, 'no-such.xlsx'), '--db', join(dir, 'r.db')),
    ];
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).not.toMatch(/ENOENT|no such file or directory, open/);
      expect(r.stderr).toContain('不存在');
    }
  });
});
