/**
 * The 台账 import on the database (src/store/ledger.ts), on SQLite and — when NIANBAO_TEST_PG is
 * set — PostgreSQL: export → import into an empty register gives the same register; importing twice
 * adds nothing; a number taken by another case is a conflict, not imported; a failure in the middle
 * of the import leaves the register as it was; LibreOffice can open and save the export.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baseOf, type Case } from '../src/register/case.js';
import { ledgerWorkbook, writeLedgerCsv, writeLedgerXlsx } from '../src/register/ledger.js';
import { type Db, dbKind, openDb } from '../src/store/db.js';
import { classifyLedger, importLedger, ledgerExportItems, ledgerImports, planLedgerFile, registerNotices } from '../src/store/ledger.js';
import { addCase, addEvent, auditTrail, eventsOf, listCases, voidCaseEvent } from '../src/store/register.js';
import { BACKENDS, type Fresh, freshTarget } from './helpers/db.js';
import { generate } from './helpers/register-gen.js';
import { skipUnless } from './helpers/skip.js';

const TODAY = '2027-12-31';
const USER = '导入员';

/** the register of `agency`: every application and its events, as the round trip must keep them */
async function register(db: Db, agency: string) {
  const cases = await listCases(db, { agency });
  return cases.map((c) => ({ base: baseOf(c), events: c.events, closed: c.state.closed }));
}

async function counts(db: Db, agency: string) {
  const n = async (t: 'cases' | 'events' | 'audit' | 'ledger_imports') =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('agency_id', '=', agency)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { cases: await n('cases'), events: await n('events'), audit: await n('audit'), imports: await n('ledger_imports') };
}

/** generated cases registered through the store, a few with their last event voided */
async function seed(db: Db, agency: string, n = 40): Promise<Case[]> {
  const cases = generate(5, n);
  let voided = 0;
  for (const c of cases) {
    await addCase(db, baseOf(c), 'tester', agency);
    for (const e of c.events) await addEvent(db, c.id, e, 'tester', {}, agency);
    if (c.events.length >= 2 && voided < 4) {
      voided++;
      await voidCaseEvent(db, c.id, c.events.length, '登记错误', '科长', {}, agency);
    }
  }
  expect(voided).toBe(4);
  return listCases(db, { agency });
}

async function exportXlsx(db: Db, agency: string): Promise<Uint8Array> {
  const { items } = await ledgerExportItems(db, agency, {}, TODAY);
  return writeLedgerXlsx(ledgerWorkbook(items, { date: TODAY }));
}

/** an office's sheet: a title, a two-level header, no case numbers, dates as serials and text */
async function officeSheet(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  ws.getCell('A1').value = '2025年依申请公开登记台账';
  ws.mergeCells('A1:F1');
  ['申请人', '申请内容', '申请日期', '答复情况', '', '备注'].forEach((v, i) => {
    if (v) ws.getRow(2).getCell(i + 1).value = v;
  });
  ws.getRow(3).getCell(4).value = '答复日期';
  ws.getRow(3).getCell(5).value = '答复结果';
  for (const c of ['A', 'B', 'C', 'F']) ws.mergeCells(`${c}2:${c}3`);
  ws.mergeCells('D2:E2');
  const rows = [
    ['张三', '某小区规划许可证', 45719, '2025/3/20', '予以公开', ''],
    ['某某科技有限公司', '某项目环评批复', '2025年3月5日', '2025.4.1', '部分公开', '第三方商业秘密'],
    ['李四', '某会议纪要', '2025-03-06', '', '', '办理中'],
    ['王五', '某文件', '25/3/7', '2025-03-20', '公开', ''],
  ];
  rows.forEach((r, i) => {
    r.forEach((v, j) => {
      if (v !== '') ws.getRow(4 + i).getCell(j + 1).value = v;
    });
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function findOffice(): string | null {
  for (const name of ['soffice', 'libreoffice']) {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return null;
}

describe.each(BACKENDS)('台账 import on %s', (backend) => {
  let fresh: Fresh;
  let db: Db;
  beforeEach(async () => {
    fresh = await freshTarget(backend);
    db = await openDb(fresh.target);
  });
  afterEach(async () => {
    await db.destroy();
    await fresh.cleanup();
  });

  it('export → XLSX → import into an empty register gives the same register, with its events, audit and import rows', async () => {
    const source = await seed(db, 'src');
    const bytes = await exportXlsx(db, 'src');
    expect(await counts(db, 'dst')).toEqual({ cases: 0, events: 0, audit: 0, imports: 0 });
    const plan = await planLedgerFile(db, bytes, '台账.xlsx', null, { agency: 'dst', user: USER, today: TODAY });
    expect(plan.rows.every((r) => r.status === 'new')).toBe(true);
    // a dry run writes nothing
    expect(await counts(db, 'dst')).toEqual({ cases: 0, events: 0, audit: 0, imports: 0 });
    const done = await importLedger(db, plan, { agency: 'dst', user: USER });
    expect(done.imported).toBe(source.length);
    expect(await register(db, 'dst')).toEqual(await register(db, 'src'));
    const events = source.reduce((n, c) => n + c.events.length, 0);
    expect(await counts(db, 'dst')).toEqual({ cases: source.length, events, audit: source.length, imports: 1 });
    const withVoid = source.find((c) => c.events.some((e) => e.voided))!;
    expect((await eventsOf(db, withVoid.id, 'dst')).map((e) => e.event)).toEqual(withVoid.events);
    const audit = await auditTrail(db, undefined, 'dst');
    expect(new Set(audit.map((a) => `${a.action}/${a.who}`))).toEqual(new Set([`import/${USER}`]));
    const [rec] = await ledgerImports(db, 'dst');
    expect(rec).toMatchObject({
      fileName: '台账.xlsx',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      rows: source.length,
      imported: source.length,
      skipped: 0,
      ids: source.map((c) => c.id),
      by: USER,
    });
    expect(rec.mapping).toMatchObject({ id: 0, applicantName: 1, arrivedOn: 13 });
  });

  it('export → two CSVs → import gives the same register', async () => {
    await seed(db, 'src', 25);
    const { items } = await ledgerExportItems(db, 'src', {}, TODAY);
    const book = ledgerWorkbook(items, { date: TODAY });
    const plan = await planLedgerFile(db, writeLedgerCsv(book.cases), '申请.csv', null, {
      agency: 'dst',
      user: USER,
      today: TODAY,
      events: { bytes: writeLedgerCsv(book.events), name: '事件.csv' },
    });
    await importLedger(db, plan, { agency: 'dst', user: USER });
    expect(await register(db, 'dst')).toEqual(await register(db, 'src'));
    expect((await ledgerImports(db, 'dst'))[0].fileName).toBe('申请.csv；事件.csv');
  });

  it('importing the same file twice adds nothing: every row exists, nothing is written', async () => {
    await seed(db, 'src', 20);
    const bytes = await exportXlsx(db, 'src');
    await importLedger(db, await planLedgerFile(db, bytes, 'a.xlsx', null, { agency: 'dst', user: USER, today: TODAY }), {
      agency: 'dst',
      user: USER,
    });
    const before = await counts(db, 'dst');
    const again = await planLedgerFile(db, bytes, 'a.xlsx', null, { agency: 'dst', user: '另一人', today: TODAY });
    expect(again.rows.map((r) => r.status)).toEqual(again.rows.map(() => 'exists'));
    const done = await importLedger(db, again, { agency: 'dst', user: '另一人' });
    expect(done).toMatchObject({ imported: 0, ids: [], importId: null });
    expect(await counts(db, 'dst')).toEqual(before);
  });

  it('an office sheet without case numbers: derived ids, and a second import by another user adds nothing', async () => {
    const bytes = await officeSheet();
    const plan = await planLedgerFile(db, bytes, '台账.xlsx', null, { agency: 'o', user: USER, today: TODAY });
    expect(plan.headerRows).toEqual([2, 3]);
    expect(plan.rows.map((r) => [r.row, r.status])).toEqual([
      [4, 'new'],
      [5, 'new'],
      [6, 'new'],
      [7, 'error'],
    ]);
    expect(plan.rows[3].problems[0]).toMatchObject({ column: '申请日期', zh: expect.stringContaining('两位年份') });
    expect(plan.rows[2].events).toEqual([]);
    const done = await importLedger(db, plan, { agency: 'o', user: USER });
    expect(done.imported).toBe(3);
    expect(done.ids.every((id) => /^2025-导入-[0-9a-f]{8}$/.test(id))).toBe(true);
    const stored = await listCases(db, { agency: 'o' });
    expect(stored.map((c) => [c.applicant.name, c.state.closed?.outcome ?? null])).toEqual([
      ['张三', 'granted'],
      ['某某科技有限公司', 'partlyGranted'],
      ['李四', null],
    ]);
    expect(stored[1].events[0]).toMatchObject({ type: 'reply', note: '第三方商业秘密' });
    const again = await planLedgerFile(db, bytes, '台账.xlsx', null, { agency: 'o', user: '另一人', today: TODAY });
    expect(again.rows.map((r) => r.status)).toEqual(['exists', 'exists', 'exists', 'error']);
    expect((await importLedger(db, again, { agency: 'o', user: '另一人' })).imported).toBe(0);
    expect((await counts(db, 'o')).cases).toBe(3);
  });

  it('a case number already in the register with other content is a conflict: reported, not imported; the rest is', async () => {
    const source = await seed(db, 'src', 10);
    const taken = source[3];
    await addCase(db, { ...baseOf(taken), applicant: { ...taken.applicant, name: '另一个申请人' } }, 'tester', 'dst');
    const plan = await planLedgerFile(db, await exportXlsx(db, 'src'), 'a.xlsx', null, { agency: 'dst', user: USER, today: TODAY });
    const row = plan.rows.find((r) => r.caseId === taken.id)!;
    expect(row.status).toBe('conflict');
    expect(row.problems[0].zh).toContain(`登记簿中已有编号为“${taken.id}”的申请，内容与本行不同（申请信息不同）`);
    expect(row.problems[0].en).toContain('different content');
    const done = await importLedger(db, plan, { agency: 'dst', user: USER });
    expect(done.imported).toBe(9);
    expect(done.plan.rows.find((r) => r.caseId === taken.id)?.status).toBe('conflict');
    const kept = (await listCases(db, { agency: 'dst' })).find((c) => c.id === taken.id)!;
    expect(kept.applicant.name).toBe('另一个申请人');
    expect(kept.events).toEqual([]);
  });

  it('a failure in the middle of the import leaves the register unchanged', async () => {
    await seed(db, 'src', 12);
    const plan = await planLedgerFile(db, await exportXlsx(db, 'src'), 'a.xlsx', null, { agency: 'dst', user: USER, today: TODAY });
    // the last write of the transaction (the ledger_imports row) fails, after every case, event and audit row
    if (dbKind(db) === 'postgres') {
      await sql`create function ledger_boom() returns trigger language plpgsql as $$ begin raise exception 'boom'; end $$`.execute(db);
      await sql`create trigger ledger_boom before insert on ledger_imports for each row execute function ledger_boom()`.execute(db);
    } else {
      await sql`create trigger ledger_boom before insert on ledger_imports begin select raise(abort, 'boom'); end`.execute(db);
    }
    await expect(importLedger(db, plan, { agency: 'dst', user: USER })).rejects.toThrow(/boom/);
    expect(await counts(db, 'dst')).toEqual({ cases: 0, events: 0, audit: 0, imports: 0 });
    await sql`drop trigger ledger_boom${sql.raw(dbKind(db) === 'postgres' ? ' on ledger_imports' : '')}`.execute(db);
    expect((await importLedger(db, plan, { agency: 'dst', user: USER })).imported).toBe(12);
  });

  it('the export follows the list’s filters and leaves out a case whose data cannot be read', async () => {
    const source = await seed(db, 'src', 30);
    const all = await ledgerExportItems(db, 'src', {}, TODAY);
    expect(all.items.map((i) => i.case.id)).toEqual(source.map((c) => c.id));
    const open = await ledgerExportItems(db, 'src', { status: 'open' }, TODAY);
    expect(open.items.map((i) => i.case.id)).toEqual(source.filter((c) => !c.state.closed).map((c) => c.id));
    const closed = await ledgerExportItems(db, 'src', { status: 'closed', applicantType: 'commercial' }, TODAY);
    expect(closed.items.map((i) => i.case.id)).toEqual(
      source.filter((c) => c.state.closed && c.applicantType === 'commercial').map((c) => c.id),
    );
    const q = await ledgerExportItems(db, 'src', { q: source[7].id }, TODAY);
    expect(q.items.map((i) => i.case.id)).toContain(source[7].id);
    await db.updateTable('cases').set({ data: '{broken' }).where('agency_id', '=', 'src').where('id', '=', source[0].id).execute();
    const after = await ledgerExportItems(db, 'src', {}, TODAY);
    expect(after.unreadable.map((e) => e.id)).toEqual([source[0].id]);
    expect(after.items).toHaveLength(source.length - 1);
  });

  it('the calendar handed to a worker is the register’s own', async () => {
    const { entered, revision } = await registerNotices(db, 'src');
    expect(entered).toEqual([]);
    expect(revision).toMatch(/^\d/);
    const plan = await planLedgerFile(db, await officeSheet(), 'a.xlsx', null, { agency: 'x', user: USER, today: TODAY });
    expect(plan.calendarRevision).toBe(revision);
    expect((await classifyLedger(db, plan, 'x')).rows.map((r) => r.status)).toEqual(['new', 'new', 'new', 'error']);
  });
});

describe('LibreOffice opens the export', () => {
  const office = findOffice();
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nianbao-ledger-lo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an export saved again by LibreOffice imports as the same register', { timeout: 240_000 }, async (ctx) => {
    skipUnless(
      ctx,
      office !== null,
      '没有安装 LibreOffice（PATH 中没有 soffice 或 libreoffice）',
      'neither soffice nor libreoffice is on PATH',
    );
    const fresh = await freshTarget('sqlite');
    const db = await openDb(fresh.target);
    try {
      await seed(db, 'src', 30);
      const src = join(dir, 'ledger.xlsx');
      writeFileSync(src, await exportXlsx(db, 'src'));
      // LibreOffice reads the XLSX and writes it as ODS, then the ODS back as XLSX: its own file, not ours
      const convert = (file: string, to: string, out: string) =>
        spawnSync(
          office!,
          ['--headless', `-env:UserInstallation=file://${join(dir, 'profile')}`, '--convert-to', to, '--outdir', out, file],
          {
            encoding: 'utf8',
            timeout: 110_000,
          },
        );
      let r = convert(src, 'ods', join(dir, 'ods'));
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      r = convert(join(dir, 'ods', 'ledger.ods'), 'xlsx:Calc MS Excel 2007 XML', join(dir, 'xlsx'));
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      const bytes = new Uint8Array(readFileSync(join(dir, 'xlsx', 'ledger.xlsx')));
      expect(Buffer.from(bytes).equals(readFileSync(src))).toBe(false);
      const plan = await planLedgerFile(db, bytes, 'ledger.xlsx', null, { agency: 'lo', user: USER, today: TODAY });
      expect(plan.rows.map((x) => x.problems)).toEqual(plan.rows.map(() => []));
      await importLedger(db, plan, { agency: 'lo', user: USER });
      expect(await register(db, 'lo')).toEqual(await register(db, 'src'));
    } finally {
      await db.destroy();
      await fresh.cleanup();
    }
  });
});
