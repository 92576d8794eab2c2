/**
 * The register's command line on a day whose deadlines reach a year without a notice (issue 12: on
 * 2026-12-06 `deadline` and `register add` failed and the register became unusable), voiding and
 * amending, and entering a holiday notice with `nianbao holidays`.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nianbaoWith } from './helpers/cli.js';
import { NOTICE_2027 } from './helpers/holidays.js';
import { newCase } from './helpers/register-gen.js';

let dir: string;
let db: string;
const TODAY = { NIANBAO_TODAY: '2026-12-06' };
const file = (name: string, data: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
  return p;
};
const reg = (...args: string[]) => nianbaoWith(TODAY, 'register', ...args, '--db', db, '--user', '王五');
const holidays = (...args: string[]) => nianbaoWith(TODAY, 'holidays', ...args, '--db', db, '--user', '管理员');

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL('../dist/cli/holidays.js', import.meta.url)))) {
    throw new Error('dist/cli/holidays.js is missing: run `npm run build` first');
  }
  dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-days-'));
  db = join(dir, 'register.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the register when deadlines reach a year without a notice', () => {
  it('deadline answers with 暂定 dates; before 2019 is a clear error', async () => {
    let r = await nianbaoWith({}, 'deadline', '--received', '2026-11-06', '--json', '--db', db);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      receivedOn: '2026-11-06',
      replyDue: '2026-12-04',
      provisional: { correctionNoticeDue: false, replyDue: false, extendedReplyDue: true },
      provisionalYears: [2027],
    });
    r = await nianbaoWith({}, 'deadline', '--received', '2026-12-04', '--db', db);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/答复期限：2027-01-04（星期一）（暂定）/);
    expect(r.stdout).toContain('2027 年的放假安排尚未录入国务院办公厅通知');
    r = await nianbaoWith({}, 'deadline', '--received', '2018-12-04', '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('超出可计算的范围');
    expect(r.stderr).toContain('outside the range');
  });

  it('adds a case received 2026-12-04, lists it and the overdue list, records steps; a date after today is refused', async () => {
    const c = newCase('2026-124', '2026-12-04', 'naturalPerson');
    c.receipt = { channel: 'inPerson', arrivedOn: '2026-12-04' };
    let r = await reg('add', '--file', file('case.json', c));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已登记申请 2026-124，收到申请之日 2026-12-04，答复期限 2027-01-04（暂定）');
    r = await reg('list');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('办理中（答复期限 2027-01-04（暂定））');
    r = await reg('overdue');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('截至 2026-12-06');
    r = await reg(
      'event',
      '2026-124',
      '--file',
      file('ext.json', { type: 'extension', on: '2026-12-05', days: 10, approver: '主任', applicantNotified: true }),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('延长答复期限');
    r = await reg('event', '2026-124', '--file', file('late.json', { type: 'reply', on: '2026-12-07', outcome: 'granted' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('答复日期 2026-12-07 晚于今天（2026-12-06）');
    expect(r.stderr).toContain('after today');
    r = await reg('event', '2026-124', '--file', file('reply.json', { type: 'reply', on: '2026-12-06', outcome: 'granted' }));
    expect(r.code).toBe(0);
    r = await reg('show', '2026-124');
    expect(r.stdout).toContain('#2  2026-12-06  答复（予以公开）');
  });

  it('voids the reply (the case is open again) and amends the applicant', async () => {
    let r = await reg('void', '2026-124', '2', '--reason', '答复登记错了案件');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已作废 2026-124 的事件 #2');
    expect(r.stdout).toMatch(/当前状态：办理中/);
    r = await reg('void', '2026-124', '9', '--reason', 'x');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('没有第 9 个事件');
    r = await reg('amend', '2026-124', '--file', file('amend.json', { applicant: { name: '李思' } }), '--reason', '姓名录错');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('申请人姓名或者名称：');
    r = await reg('show', '2026-124');
    expect(r.stdout).toContain('〔已作废：王五');
    expect(r.stdout).toContain('更正记录：');
  });

  it('holidays: lists 2027 as provisional; import asks for confirmation, then stores and recomputes', async () => {
    let r = await holidays('list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2026\t随软件提供\t国务院办公厅关于2026年部分节假日安排的通知/);
    expect(r.stdout).toMatch(/2027\t暂定（按放假办法推算）/);
    const notice = file('notice.txt', NOTICE_2027);
    r = await holidays('import', notice);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('元旦：2027-01-01（星期五）、2027-01-02（星期六）、2027-01-03（星期日），共 3 天');
    expect(r.stdout).toContain('2027-02-14（星期日）春节');
    expect(r.stderr).toContain('--yes');
    expect((await holidays('list')).stdout).toMatch(/2027\t暂定/);
    r = await holidays('import', notice, '--yes');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已录入放假通知：国务院办公厅关于2027年部分节假日安排的通知');
    expect(r.stdout).toMatch(/2026-124：答复期限.*由暂定改为确定|2026-124：答复期限由/);
    r = await holidays('list');
    expect(r.stdout).toMatch(/2027\t管理员录入\t国务院办公厅关于2027年部分节假日安排的通知，管理员 于 \d{4}-\d{2}-\d{2} 录入/);
    r = await reg('show', '2026-124');
    expect(r.stdout).not.toContain('（暂定）');
    expect(r.stdout).toContain('重新计算期限');
    r = await holidays('import', file('bad.txt', '今天天气很好。'), '--yes');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.txt');
  });
});

describe('a stored step is a success whatever happens after the commit (in-process)', () => {
  it('register add and event exit 0 with a warning when the due dates cannot be shown; the case is stored', async () => {
    const { runRegister } = await import('../src/cli/register.js');
    const { views } = await import('../src/register/view.js');
    const { openDb } = await import('../src/store/db.js');
    const { getCase } = await import('../src/store/register.js');
    const target = join(dir, 'inproc.db');
    const out: string[] = [];
    const err: string[] = [];
    const stdout = process.stdout.write;
    const stderr = process.stderr.write;
    const original = views.caseView;
    process.env.NIANBAO_TODAY = '2026-12-06';
    process.stdout.write = ((s: string) => out.push(String(s)) > 0) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => err.push(String(s)) > 0) as typeof process.stderr.write;
    views.caseView = () => {
      throw new Error('模拟的期限计算故障');
    };
    let codes: number[];
    try {
      const c = newCase('IP-1', '2026-12-04', 'naturalPerson');
      c.receipt = { channel: 'inPerson', arrivedOn: '2026-12-04' };
      codes = [
        await runRegister(['add', '--file', file('ip.json', c), '--db', target, '--user', '王五']),
        await runRegister([
          'event',
          'IP-1',
          '--file',
          file('ip-ext.json', { type: 'withdrawal', on: '2026-12-05' }),
          '--db',
          target,
          '--user',
          '王五',
        ]),
        await runRegister(['list', '--db', target]),
      ];
    } finally {
      views.caseView = original;
      process.stdout.write = stdout;
      process.stderr.write = stderr;
      delete process.env.NIANBAO_TODAY;
    }
    expect(codes).toEqual([0, 0, 0]);
    expect(out.join('')).toContain('已登记申请 IP-1，收到申请之日 2026-12-04。');
    expect(err.join('')).toContain('警告：已保存，但期限暂时无法计算：期限无法计算：模拟的期限计算故障');
    const db = await openDb(target);
    try {
      expect((await getCase(db, 'IP-1'))?.state.closed?.outcome).toBe('otherOther');
    } finally {
      await db.destroy();
    }
  });
});
