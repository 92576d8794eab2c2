/**
 * `nianbao register notice…` as a clerk uses it: the settings set once, a 补正告知书 issued with the
 * clerk's items and written as DOCX and PDF, the same step written again without a new number, a
 * reissue with one, a reply refused until its reason is given, templates validated.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nianbaoWith } from './helpers/cli.js';
import { newCase } from './helpers/register-gen.js';

let dir: string;
let db: string;
const file = (name: string, data: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
  return p;
};
const reg = (...args: string[]) => nianbaoWith({ NIANBAO_TODAY: '2025-03-25' }, 'register', ...args, '--db', db, '--user', '王五');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-notices-'));
  db = join(dir, 'register.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nianbao register notice', () => {
  it('issues a 补正告知书, writes it as DOCX and PDF, reissues it under a new number', async () => {
    expect((await reg('add', '--file', file('c.json', newCase('2025-001', '2025-03-03', 'naturalPerson')))).code).toBe(0);
    const ev = { type: 'correctionNotice', on: '2025-03-05', deadline: '2025-03-20', items: '请写明文号' };
    expect((await reg('event', '2025-001', '--file', file('e.json', ev))).code).toBe(0);

    // without the agency's name nothing can be issued: exit 1 with the problem
    let r = await reg('notice', '2025-001', '--kind', '补正告知书', '-o', join(dir, 'x.docx'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('尚未设置发文机关名称');
    expect(existsSync(join(dir, 'x.docx'))).toBe(false);

    r = await reg(
      'notice-settings',
      '--set',
      '发文机关名称=甲市一区人民政府',
      '--set',
      '发文字号格式=甲一政依申〔{year}〕第{n}号',
      '--set',
      '行政复议机关=甲市人民政府',
      '--set',
      '管辖法院=甲市中级人民法院',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('行政复议机关：甲市人民政府');
    r = await reg('notice-settings', '--set', '发文字号格式=第{n}号');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('{year}');

    const docx = join(dir, 'bz.docx');
    r = await reg('notice', '2025-001', '--kind', '补正告知书', '--set', '补正内容=请写明文件的文号和发文日期', '-o', docx);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('已发文：甲一政依申〔2025〕第1号');
    const xml = strFromU8(unzipSync(readFileSync(docx))['word/document.xml']);
    expect(xml).toContain('甲一政依申〔2025〕第1号');
    expect(xml).toContain('请写明文件的文号和发文日期');
    expect(xml).toContain('第三十条');

    // the same step again: the archived notice, no new number; with new text it is refused
    const pdf = join(dir, 'bz.pdf');
    r = await reg('notice', '2025-001', '--kind', '补正告知书', '--to', 'pdf', '-o', pdf);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('输出存档的文书');
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    r = await reg('notice', '2025-001', '--kind', '补正告知书', '--set', '补正内容=别的', '--to', 'text');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--reissue');

    r = await reg('notice', '2025-001', '--kind', '补正告知书', '--reissue', '--set', '补正内容=请写明文号', '--to', 'text');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('甲一政依申〔2025〕第2号');
    expect(r.stdout).toContain('请写明文号');

    r = await reg('notices', '2025-001');
    expect(r.stdout).toContain('甲一政依申〔2025〕第1号\t2025-03-25\t补正告知书（已重新发文，被取代）');
    expect(r.stdout).toMatch(/第1步 {2}2025-03-05 {2}补正告知书 {2}已发文 甲一政依申〔2025〕第2号/);
    r = await reg('show', '2025-001');
    expect(r.stdout).toContain('已发文书：');
    expect(r.stdout).toContain('2025-03-25  甲一政依申〔2025〕第1号  补正告知书（第1步）  〔已重新发文，被取代〕');
  });

  it('a reply notice needs its reason; a draft is written without a number; templates are validated', async () => {
    expect((await reg('add', '--file', file('c2.json', newCase('2025-002', '2025-03-03', 'commercial')))).code).toBe(0);
    const ev = { type: 'reply', on: '2025-03-20', outcome: 'withheldThirdParty' };
    expect((await reg('event', '2025-002', '--file', file('r.json', ev))).code).toBe(0);
    let r = await reg('notice', '2025-002', '--draft', '--to', 'text');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('草稿（未发文）');
    expect(r.stdout).toContain('（发文时编号）');
    expect(r.stderr).toContain('理由');
    r = await reg('notice', '2025-002', '--kind', '答复告知书', '--to', 'text');
    expect(r.code).toBe(1);
    r = await reg('notice', '2025-002', '--kind', '答复告知书', '--set', '理由=涉及第三方商业秘密，第三方不同意公开', '--to', 'text');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('第十五条');
    expect(r.stdout).toContain('六个月内向甲市中级人民法院提起行政诉讼');
    expect(r.stdout).toContain('甲一政依申〔2025〕第3号');

    const t = { title: '答复', paragraphs: ['依据第十五条不予公开（{{申请编号}}）：{{理由}}'] };
    r = await reg('notice-template', '答复告知书（不予公开·保护第三方合法权益）', '--file', file('t.json', t));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('救济途径');
    r = await reg('notice-template', '补正告知书');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('默认模板');
    r = await reg('notice', '2025-002', '--kind', '收费通知书');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('没有需要发出');
  });
});
