import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nianbao } from './helpers/cli.js';
import { newCase } from './helpers/register-gen.js';

// runs the built command line: `npm test` builds first (or run `npm run build`)
let dir: string;
let db: string;
const file = (name: string, data: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
  return p;
};
const reg = (...args: string[]) => nianbao('register', ...args, '--db', db, '--user', '王五');

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL('../dist/cli/register.js', import.meta.url)))) {
    throw new Error('dist/cli/register.js is missing: run `npm run build` first');
  }
  dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-register-'));
  db = join(dir, 'register.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nianbao register', () => {
  it('adds a case, records events through to a reply, and shows it', async () => {
    const c = { ...newCase('2025-001', '2025-01-20', 'naturalPerson'), registeredBy: '' };
    c.receipt = { channel: 'inPerson', arrivedOn: '2025-01-20' };
    let r = await reg('add', '--file', file('case.json', c));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已登记申请 2025-001');
    expect(r.stdout).toContain('答复期限 2025-02-21');

    r = await reg('add', '--file', file('case2.json', newCase('2025-002', '2025-03-03', 'commercial')));
    expect(r.code).toBe(0);

    r = await reg(
      'event',
      '2025-001',
      '--file',
      file('ext.json', { type: 'extension', on: '2025-02-10', days: 10, approver: '李四', applicantNotified: true }),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('登记人 王五');

    r = await reg('show', '2025-001', '--json');
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout);
    expect(shown.dueDates.replyDue).toBe('2025-03-07');
    expect(shown.case.registeredBy).toBe('王五');
    expect(shown.audit.map((a: { action: string; who: string }) => [a.action, a.who])).toEqual([
      ['add', '王五'],
      ['event:extension', '王五'],
    ]);

    r = await reg('overdue', '--today', '2025-03-06');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2025-001');
    expect(r.stdout).toContain('即将到期');
    r = await reg('overdue', '--today', '2025-03-10', '--json');
    expect(JSON.parse(r.stdout).map((s: { id: string; overdue: boolean }) => [s.id, s.overdue])).toEqual([['2025-001', true]]);

    r = await reg('event', '2025-001', '--file', file('reply.json', [{ type: 'reply', on: '2025-02-20', outcome: 'granted' }]));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已办结');

    r = await reg('show', '2025-001');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('申请人：');
    expect(r.stdout).toContain('已办结（2025-02-20');
    expect(r.stdout).toContain('期限说明');

    r = await reg('list', '--open');
    expect(r.stdout).toContain('2025-002');
    expect(r.stdout).not.toContain('2025-001');
    expect(r.stdout).toContain('共 1 件');
    r = await reg('list', '--json');
    expect(JSON.parse(r.stdout).map((s: { id: string; state: string }) => [s.id, s.state])).toEqual([
      ['2025-001', 'closed'],
      ['2025-002', 'open'],
    ]);

    r = await reg('export', '--json');
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual(['2025-001', '2025-002']);
  });

  it('refuses an illegal transition with exit 1 and bad input with exit 2, bilingually', async () => {
    let r = await reg('event', '2025-001', '--file', file('reply2.json', { type: 'reply', on: '2025-02-21', outcome: 'granted' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('拒绝：');
    expect(r.stderr).toContain('Refused:');
    r = await reg('event', 'no-such', '--file', file('w.json', { type: 'withdrawal', on: '2025-03-04' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('没有编号为“no-such”');
    expect(r.stderr).toContain('Error:');
    r = await reg('add', '--file', file('bad.json', '{not json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('不是有效的 JSON');
    r = await reg('add', '--file', file('case2again.json', newCase('2025-002', '2025-03-03', 'commercial')));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('已有编号');
    r = await reg('stats', '--year', 'abc');
    expect(r.code).toBe(2);
  });

  it("keeps agencies' registers apart with --agency-id; an unreachable PostgreSQL URL is a clear error", async () => {
    let r = await reg('add', '--agency-id', 'county-b', '--file', file('b1.json', newCase('2025-001', '2025-04-01', 'research')));
    expect(r.code).toBe(0);
    r = await reg('list', '--json', '--agency-id', 'county-b');
    expect(JSON.parse(r.stdout).map((c: { id: string; applicantType: string }) => [c.id, c.applicantType])).toEqual([
      ['2025-001', 'research'],
    ]);
    // the unnamed register still holds its own 2025-001
    r = await reg('show', '2025-001', '--json');
    expect(JSON.parse(r.stdout).case.applicantType).toBe('naturalPerson');
    r = await nianbao('register', 'list', '--db', 'postgres://nobody:secret@127.0.0.1:1/none');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('无法连接 PostgreSQL 数据库');
    expect(r.stderr).toContain('cannot connect to the PostgreSQL database');
    expect(r.stderr).not.toContain('secret');
  });

  it('stats --json is a Report JSON that renders to a report `check` passes', async () => {
    const base = {
      format: '2021',
      agency: '某市某局',
      publishedOn: '2026-01-20',
      sections: { overview: '本机关认真贯彻落实《条例》。', problems: '存在的问题：……改进措施：……', other: '本年度未收取信息处理费。' },
      proactive: {
        regulations: { issued: 0, repealed: 0, inForce: 0 },
        normativeDocuments: { issued: 1, repealed: 0, inForce: 5 },
        licensing: { decisions: 10 },
        punishment: { decisions: 2 },
        enforcement: { decisions: 0 },
        fees: { amount: '0' },
      },
    };
    let r = await reg('stats', '--year', '2025', '--json', '--base', file('base.json', base));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.format).toBe('2021');
    expect(report.year).toBe(2025);
    expect(report.agency).toBe('某市某局');
    expect(report.applications.newReceived).toMatchObject({ naturalPerson: 1, commercial: 1, total: 2 });
    expect(report.applications.granted.total).toBe(1);
    expect(report.applications.carriedForward.total).toBe(1);
    const json = file('report.json', r.stdout);
    const md = join(dir, 'report.md');
    r = await nianbao('render', json, '--to', 'md', '-o', md);
    expect(r.code).toBe(0);
    r = await nianbao('check', md);
    expect(r.stdout).toContain('0 个错误');
    expect(r.code).toBe(0);

    r = await reg('stats', '--year', '2025');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('表二');
    expect(r.stdout).toMatch(/一、本年新收政府信息公开申请数量\t1\t1\t0\t0\t0\t0\t2/);
  });
});
