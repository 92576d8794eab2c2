import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { nianbao } from './helpers/cli.js';

// runs the built command line: `npm test` builds first (or run `npm run build`)
beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL('../dist/register/deadlines.js', import.meta.url)))) {
    throw new Error('dist/register/deadlines.js is missing: run `npm run build` first');
  }
});

describe('nianbao deadline', () => {
  it('prints the four dates and which are provisional with --json', async () => {
    const r = await nianbao('deadline', '--received', '2025-01-20', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    expect(json).toEqual({
      receivedOn: '2025-01-20',
      correctionNoticeDue: '2025-02-05',
      replyDue: '2025-02-21',
      extendedReplyDue: '2025-03-21',
      provisional: { correctionNoticeDue: false, replyDue: false, extendedReplyDue: false },
      provisionalYears: [],
    });
    expect(Object.keys(json)).toEqual([
      'receivedOn',
      'correctionNoticeDue',
      'replyDue',
      'extendedReplyDue',
      'provisional',
      'provisionalYears',
    ]);
  });

  it.each([
    ['2025-09-22', '2025-10-24'],
    ['2026-02-02', '2026-03-06'],
    ['2024-12-20', '2025-01-20'],
  ])('received %s → reply due %s', async (received, replyDue) => {
    const r = await nianbao('deadline', '--received', received, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).replyDue).toBe(replyDue);
  });

  it('explains each date in Chinese', async () => {
    const r = await nianbao('deadline', '--received', '2025-01-20');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('收到申请日期：2025-01-20（星期一）');
    expect(r.stdout).toContain('补正告知期限：2025-02-05（星期三）（第 7 个工作日）');
    expect(r.stdout).toContain('答复期限：2025-02-21（星期五）（第 20 个工作日）');
    expect(r.stdout).toContain('延长后的最长答复期限：2025-03-21（星期五）（第 40 个工作日）');
    expect(r.stdout).toContain('第三十条');
    expect(r.stdout).toContain('第三十三条第二款');
    expect(r.stdout).toContain('跳过的法定节假日：春节 2025-01-28至2025-02-04（8天）');
    expect(r.stdout).toContain('计入的调休上班日：2025-01-26（星期日）（春节调休）');
    expect(r.stdout).toMatch(/跳过周末 4 天/);
  });

  it.each([
    ['2025-02-30', '无效', 'not a valid date'],
    ['20250120', '无效', 'not a valid date'],
    ['2018-06-01', '超出可计算的范围（2019 年至 2100 年）', 'outside the range the calendar handles'],
    ['2101-01-04', '超出可计算的范围（2019 年至 2100 年）', 'outside the range the calendar handles'],
  ])('refuses %s with exit 2 and a bilingual message', async (received, zh, en) => {
    for (const args of [['--json'], []]) {
      const r = await nianbao('deadline', '--received', received, ...args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('错误：');
      expect(r.stderr).toContain(zh);
      expect(r.stderr).toContain('Error: ');
      expect(r.stderr).toContain(en);
    }
  });

  it.each([
    ['2027-03-01', { correctionNoticeDue: true, replyDue: true, extendedReplyDue: true }],
    ['2026-12-01', { correctionNoticeDue: false, replyDue: false, extendedReplyDue: true }],
  ])('answers for %s on provisional days where a year has no notice', async (received, provisional) => {
    const r = await nianbao('deadline', '--received', received, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ provisional, provisionalYears: [2027] });
    const text = await nianbao('deadline', '--received', received);
    expect(text.stdout).toContain('（暂定）');
    expect(text.stdout).toContain('暂按《全国年节及纪念日放假办法》');
  });

  it('needs --received', async () => {
    const r = await nianbao('deadline', '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--received');
  });
});
