import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEvent, createCase, TransitionError } from '../src/register/case.js';
import { statsForYear } from '../src/register/stats.js';
import { type Db, dbFile, integrityCheck, MIGRATIONS, openDb, StoreError } from '../src/store/db.js';
import { addCase, addEvent, allCases, auditTrail, eventsOf, getCase, listCases, statsCases } from '../src/store/register.js';
import { BACKENDS, type Fresh, freshTarget } from './helpers/db.js';
import { generate, newCase } from './helpers/register-gen.js';

let dir: string;
let db: Db | undefined;
let fresh: Fresh | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nianbao-store-'));
});
afterEach(async () => {
  await db?.destroy();
  db = undefined;
  await fresh?.cleanup();
  fresh = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function counts(d: Db) {
  const n = async (t: 'cases' | 'events' | 'audit') =>
    Number(
      (
        await d
          .selectFrom(t)
          .select((e) => e.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { cases: await n('cases'), events: await n('events'), audit: await n('audit') };
}

describe('register store', () => {
  it('migrates a fresh database: tables, WAL, synchronous=FULL, idempotent reopen', async () => {
    const file = join(dir, 'fresh.db');
    db = await openDb(file);
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(db);
    expect(tables.rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['audit', 'cases', 'events', 'holiday_notices', 'kysely_migration']),
    );
    expect((await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(db)).rows[0].journal_mode).toBe('wal');
    expect((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0].synchronous).toBe(2);
    const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    expect(migrations.rows.map((r) => r.name)).toEqual([
      '0001_register',
      '0002_case_agency',
      '0003_case_stats_columns',
      '0004_holiday_notices',
      '0005_notices',
      '0006_ledger_imports',
    ]);
    await db.destroy();
    db = await openDb(file);
    expect(await counts(db)).toEqual({ cases: 0, events: 0, audit: 0 });
    expect(await integrityCheck(db)).toBe('ok');
  });

  it('upgrades a database made before agencies without losing a case, event or audit row', async () => {
    const file = join(dir, 'old.db');
    // the schema and rows as the first release wrote them
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    await new Migrator({
      db: old,
      provider: { getMigrations: async () => ({ '0001_register': MIGRATIONS['0001_register'] }) },
    }).migrateToLatest();
    const ext = { type: 'extension', on: '2025-01-02', by: 'u', days: 5, approver: '主任', applicantNotified: true } as const;
    const c = applyEvent(createCase(newCase('OLD1', '2024-12-20', 'commercial')), ext);
    await old
      .insertInto('cases')
      .values({
        id: 'OLD1',
        data: JSON.stringify(c),
        applicant_type: 'commercial',
        received_on: '2024-12-20',
        closed: 0,
        outcome: null,
        updated_at: 'x',
      })
      .execute();
    await old
      .insertInto('events')
      .values({ case_id: 'OLD1', seq: 1, data: JSON.stringify(ext), user: 'u', at: 'x' })
      .execute();
    await old.insertInto('audit').values({ who: 'u', at: 'x', action: 'add', case_id: 'OLD1', before: null, after: '{}' }).execute();
    await old.destroy();

    db = await openDb(file);
    expect((await getCase(db, 'OLD1'))?.applicant.name).toBe(c.applicant.name);
    expect((await eventsOf(db, 'OLD1')).map((e) => e.user)).toEqual(['u']);
    expect((await auditTrail(db, 'OLD1')).map((a) => [a.who, a.agencyId])).toEqual([['u', '']]);
    // and it goes on working: a new event on the old case
    await addEvent(db, 'OLD1', { type: 'withdrawal', on: '2025-01-03', by: 'a' }, 'a');
    expect((await eventsOf(db, 'OLD1')).map((e) => e.seq)).toEqual([1, 2]);
    // the statistics columns were filled from the stored case
    expect((await statsCases(db, 2025)).map((c) => [c.id, c.state.closed?.on])).toEqual([['OLD1', '2025-01-03']]);
    expect(await integrityCheck(db)).toBe('ok');
  });

  it('chooses the file: option, then NIANBAO_DB, then nianbao.db', () => {
    const saved = process.env.NIANBAO_DB;
    try {
      process.env.NIANBAO_DB = '/x/env.db';
      expect(dbFile('opt.db')).toBe('opt.db');
      expect(dbFile()).toBe('/x/env.db');
      delete process.env.NIANBAO_DB;
      expect(dbFile()).toBe('nianbao.db');
    } finally {
      if (saved === undefined) delete process.env.NIANBAO_DB;
      else process.env.NIANBAO_DB = saved;
    }
  });

  it('a process killed in the middle of writes loses nothing it committed', async () => {
    const file = join(dir, 'kill.db');
    const script = join(dir, 'writer.mts');
    const src = (p: string) => pathToFileURL(resolve(import.meta.dirname, p)).href;
    writeFileSync(
      script,
      `import { openDb } from ${JSON.stringify(src('../src/store/db.ts'))};
import { addCase, addEvent } from ${JSON.stringify(src('../src/store/register.ts'))};
import { newCase } from ${JSON.stringify(src('./helpers/register-gen.ts'))};
const db = await openDb(${JSON.stringify(file)});
for (let i = 0; ; i++) {
  const id = 'K' + String(i).padStart(6, '0');
  await addCase(db, newCase(id, '2025-03-03', 'naturalPerson'), 'writer');
  await addEvent(db, id, { type: 'withdrawal', on: '2025-03-04', by: 'writer' }, 'writer');
  process.stdout.write('committed ' + id + '\\n');
}
`,
    );
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: string[] = [];
    let stderr = '';
    child.stderr?.on('data', (b) => {
      stderr += b;
    });
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
    await new Promise<void>((res, rej) => {
      let buf = '';
      const timer = setTimeout(() => rej(new Error(`writer made no progress: ${stderr}`)), 60_000);
      child.stdout?.on('data', (b) => {
        buf += b;
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const l of lines) if (l.startsWith('committed ')) committed.push(l.slice(10));
        if (committed.length >= 200) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          res();
        }
      });
      child.on('exit', () => {
        clearTimeout(timer);
        if (committed.length < 200) rej(new Error(`writer exited early: ${stderr}`));
      });
    });
    expect(await exited).toBe('SIGKILL');

    db = await openDb(file);
    expect(await integrityCheck(db)).toBe('ok');
    const cases = new Map((await allCases(db)).map((c) => [c.id, c]));
    for (const id of committed) {
      expect(cases.get(id)?.state.closed?.outcome, id).toBe('otherOther');
    }
    // every case in the database is whole: its events and audit rows match the case
    const n = await counts(db);
    expect(n.events).toBeGreaterThanOrEqual(committed.length);
    expect(n.audit).toBe(n.cases + n.events);
    expect(n.cases - n.events).toBeLessThanOrEqual(1);
  }, 90_000);
});

describe.each(BACKENDS)('register store on %s', (backend) => {
  const open = async () => {
    fresh = await freshTarget(backend);
    return openDb(fresh.target);
  };

  it('adds a case and events, each with an audit row holding before and after', async () => {
    db = await open();
    const c = await addCase(db, { ...newCase('A1', '2025-01-20', 'commercial'), registeredBy: '' }, 'alice');
    expect(c.registeredBy).toBe('alice');
    expect(await getCase(db, 'A1')).toEqual(c);
    await expect(addCase(db, newCase('A1', '2025-01-21', 'commercial'), 'alice')).rejects.toBeInstanceOf(StoreError);
    const after = await addEvent(
      db,
      'A1',
      { type: 'extension', on: '2025-02-10', by: '', days: 10, approver: '局长', applicantNotified: true },
      'bob',
    );
    expect(after.state.extensionDays).toBe(10);
    expect(after.events[0].by).toBe('bob');
    await addEvent(db, 'A1', { type: 'reply', on: '2025-02-20', by: 'bob', outcome: 'granted' }, 'bob');

    const trail = await auditTrail(db, 'A1');
    expect(trail.map((a) => [a.who, a.action])).toEqual([
      ['alice', 'add'],
      ['bob', 'event:extension'],
      ['bob', 'event:reply'],
    ]);
    expect(trail[0].before).toBeNull();
    expect(trail[0].after).toEqual(c);
    expect(trail[1].before).toEqual(c);
    expect(trail[1].after).toEqual(after);
    expect(trail[2].before).toEqual(after);
    expect(trail[2].after?.state.closed?.outcome).toBe('granted');
    expect(trail.every((a) => !Number.isNaN(Date.parse(a.at)))).toBe(true);

    const events = await eventsOf(db, 'A1');
    expect(events.map((e) => [e.seq, e.event.type, e.user])).toEqual([
      [1, 'extension', 'bob'],
      [2, 'reply', 'bob'],
    ]);
    const row = await db.selectFrom('cases').selectAll().where('id', '=', 'A1').executeTakeFirstOrThrow();
    expect([row.applicant_type, row.received_on, Number(row.closed), row.outcome]).toEqual(['commercial', '2025-01-20', 1, 'granted']);
  });

  it('refuses an illegal event and leaves the database unchanged', async () => {
    db = await open();
    await addCase(db, newCase('B1', '2025-03-03', 'naturalPerson'), 'alice');
    await addEvent(db, 'B1', { type: 'correctionNotice', on: '2025-03-05', by: 'a', deadline: '2025-03-20' }, 'alice');
    const before = { counts: await counts(db), c: await getCase(db, 'B1'), trail: await auditTrail(db) };
    // a second 补正 is illegal
    await expect(
      addEvent(db, 'B1', { type: 'correctionNotice', on: '2025-03-06', by: 'a', deadline: '2025-03-21' }, 'alice'),
    ).rejects.toBeInstanceOf(TransitionError);
    // unknown case
    await expect(addEvent(db, 'nope', { type: 'withdrawal', on: '2025-03-06', by: 'a' }, 'alice')).rejects.toBeInstanceOf(StoreError);
    // an invalid case is refused before anything is written
    await expect(
      addCase(db, { ...newCase('B2', '2025-03-03', 'naturalPerson'), applicant: undefined as never }, 'alice'),
    ).rejects.toBeInstanceOf(TransitionError);
    expect(await counts(db)).toEqual(before.counts);
    expect(await getCase(db, 'B1')).toEqual(before.c);
    expect(await auditTrail(db)).toEqual(before.trail);
  });

  it('rolls back the case update when a later write of the same transaction fails', async () => {
    db = await open();
    await addCase(db, newCase('C1', '2025-03-03', 'naturalPerson'), 'alice');
    // plant a conflicting event row: the events insert fails after the cases update
    await db.insertInto('events').values({ agency_id: '', case_id: 'C1', seq: 1, data: '{}', user: 'x', at: 'x' }).execute();
    const before = { counts: await counts(db), c: await getCase(db, 'C1') };
    await expect(addEvent(db, 'C1', { type: 'withdrawal', on: '2025-03-04', by: 'a' }, 'alice')).rejects.toThrow();
    expect(await counts(db)).toEqual(before.counts);
    expect(await getCase(db, 'C1')).toEqual(before.c);
    expect((await getCase(db, 'C1'))?.state.closed).toBeNull();
  });

  it('lists by filter', async () => {
    db = await open();
    await addCase(db, newCase('D2', '2025-03-04', 'naturalPerson'), 'a');
    await addCase(db, newCase('D1', '2025-03-03', 'research'), 'a');
    await addCase(db, newCase('D3', '2025-04-01', 'research'), 'a');
    await addEvent(db, 'D1', { type: 'withdrawal', on: '2025-03-05', by: 'a' }, 'a');
    expect((await allCases(db)).map((c) => c.id)).toEqual(['D1', 'D2', 'D3']);
    expect((await listCases(db, { open: true })).map((c) => c.id)).toEqual(['D2', 'D3']);
    expect((await listCases(db, { open: false })).map((c) => c.id)).toEqual(['D1']);
    expect((await listCases(db, { applicantType: 'research' })).map((c) => c.id)).toEqual(['D1', 'D3']);
    expect((await listCases(db, { receivedFrom: '2025-03-04', receivedTo: '2025-03-31' })).map((c) => c.id)).toEqual(['D2']);
  });

  it("keeps each agency's register apart: same ids, own cases, events and audit", async () => {
    db = await open();
    await addCase(db, newCase('2025-001', '2025-03-03', 'naturalPerson'), 'a', 'county-a');
    await addCase(db, newCase('2025-001', '2025-03-04', 'research'), 'b', 'county-b');
    await addEvent(db, '2025-001', { type: 'withdrawal', on: '2025-03-05', by: 'a' }, 'a', {}, 'county-a');
    expect((await getCase(db, '2025-001', 'county-a'))?.state.closed?.outcome).toBe('otherOther');
    expect((await getCase(db, '2025-001', 'county-b'))?.state.closed).toBeNull();
    expect(await getCase(db, '2025-001')).toBeUndefined();
    expect((await listCases(db, { agency: 'county-b' })).map((c) => c.applicantType)).toEqual(['research']);
    expect((await listCases(db, { agency: ['county-a', 'county-b'] })).map((c) => c.receivedOn)).toEqual(['2025-03-03', '2025-03-04']);
    expect(await listCases(db, { agency: [] })).toEqual([]);
    expect((await eventsOf(db, '2025-001', 'county-b')).length).toBe(0);
    expect((await auditTrail(db, '2025-001', 'county-a')).map((a) => a.action)).toEqual(['add', 'event:withdrawal']);
    expect((await auditTrail(db, undefined, 'county-b')).map((a) => [a.agencyId, a.who])).toEqual([['county-b', 'b']]);
    await expect(addEvent(db, '2025-001', { type: 'withdrawal', on: '2025-03-05', by: 'a' }, 'a', {}, 'county-c')).rejects.toBeInstanceOf(
      StoreError,
    );
  });

  it('counts 按件 applications of the month from the register when the fee notice leaves it out', async () => {
    db = await open();
    // the same identity document: 12 applications in March, one in February, one from another person
    const same = (id: string, on: string) => {
      const c = newCase(id, on, 'naturalPerson');
      return { ...c, applicant: { ...c.applicant, identity: { type: '居民身份证', number: '110101199001011234' } } };
    };
    await addCase(db, same('F00', '2025-02-27'), 'a');
    for (let i = 1; i <= 12; i++)
      await addCase(db, same(`F${String(i).padStart(2, '0')}`, `2025-03-${String(i + 2).padStart(2, '0')}`), 'a');
    await addCase(db, newCase('G01', '2025-03-03', 'naturalPerson'), 'a');
    const feeOf = async (id: string) =>
      (await addEvent(db!, id, { type: 'feeNotice', on: '2025-03-20', by: 'a', fee: { method: 'perApplication' } as never }, 'a')).state
        .fee;
    // F11 is the 11th application of the month → 100 元; F12 the 12th; F01 the first → free (no notice allowed)
    const f11 = await feeOf('F11');
    expect(f11?.input).toEqual({ method: 'perApplication', priorThisMonth: 10 });
    expect(f11?.result.amount).toBe(100);
    expect((await feeOf('F12'))?.input).toEqual({ method: 'perApplication', priorThisMonth: 11 });
    await expect(feeOf('F01')).rejects.toBeInstanceOf(TransitionError);
    // a count given explicitly is kept
    const explicit = await addEvent(
      db,
      'F10',
      { type: 'feeNotice', on: '2025-03-20', by: 'a', fee: { method: 'perApplication', priorThisMonth: 30 } },
      'a',
    );
    expect(explicit.state.fee?.result.amount).toBe(200);
    expect((await eventsOf(db, 'F11'))[0].event).toMatchObject({ fee: { priorThisMonth: 10 } });
  });

  it("statistics read from the register's columns equal those over the whole cases, every year", async () => {
    db = await open();
    const cases = generate(11, 300);
    for (const c of cases) {
      const { receivedOn: _r, events, state: _s, ...input } = c;
      await addCase(db, input, 'gen', 'stats');
      for (const e of events) await addEvent(db, c.id, e, 'gen', {}, 'stats');
    }
    expect(cases.some((c) => c.state.proceedings.length > 0)).toBe(true);
    for (const year of [2022, 2023, 2024, 2025, 2026]) {
      const fromColumns = await statsCases(db, year, 'stats');
      expect(statsForYear(fromColumns, year), String(year)).toEqual(statsForYear(cases, year));
      expect(fromColumns.length).toBeLessThanOrEqual(cases.length);
    }
    expect(await statsCases(db, 2024, 'other')).toEqual([]);
  }, 60_000);
});
