/**
 * The register's store with entered holiday notices, voided events, amended cases and odd rows, on
 * SQLite and (with NIANBAO_TEST_PG) PostgreSQL.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultCalendar } from '../src/register/calendar.js';
import { type Case, dueDates, type NewCase, TransitionError } from '../src/register/case.js';
import { HolidayNoticeError, parseHolidayNotice } from '../src/register/holiday-notice.js';
import { appDb, createAgency } from '../src/store/app.js';
import { type Db, openDb } from '../src/store/db.js';
import { calendarFor, enteredNotices, importHolidayNotice, registersUnder, yearSources } from '../src/store/holidays.js';
import {
  addCase,
  addEvent,
  amendCaseFields,
  auditTrail,
  eventsOf,
  getCase,
  listEntries,
  statsInput,
  voidCaseEvent,
} from '../src/store/register.js';
import { BACKENDS, type Fresh, freshTarget } from './helpers/db.js';
import { NOTICE_2027 } from './helpers/holidays.js';

function application(id: string, arrivedOn: string): NewCase {
  return {
    id,
    applicant: { name: '李四', identity: { type: '居民身份证', number: '110101199001011234' }, contact: { phone: '13800000000' } },
    applicantType: 'naturalPerson',
    request: { description: '某项目批复文件' },
    delivery: { form: '电子', channel: '电子邮件' },
    receipt: { channel: 'inPerson', arrivedOn },
    registeredBy: '王五',
  };
}

describe.each(BACKENDS)('holiday notices and corrections on %s', (backend) => {
  let fresh: Fresh;
  let db: Db;
  beforeEach(async () => {
    fresh = await freshTarget(backend);
    await import('../src/store/app.js'); // the app's tables too (the agency tree of local notices)
    db = await openDb(fresh.target);
  });
  afterEach(async () => {
    await db.destroy();
    await fresh.cleanup();
  });

  it('entering the 2027 notice recomputes exactly the open cases whose dates it changes, in one transaction', async () => {
    // open, reaching into 2027 (provisional before the notice)
    await addCase(db, application('A', '2026-12-21'), '王五');
    await addCase(db, application('B', '2027-01-20'), '王五');
    // open, entirely in 2026: untouched
    await addCase(db, application('C', '2026-11-02'), '王五');
    // closed: untouched
    await addCase(db, application('D', '2026-12-22'), '王五');
    await addEvent(db, 'D', { type: 'reply', on: '2026-12-28', by: '王五', outcome: 'granted' }, '王五');
    // another register
    await addCase(db, application('A', '2027-01-20'), '王五', '9');

    const before = await calendarFor(db);
    expect(before.isProvisionalYear(2027)).toBe(true);
    const a0 = dueDates((await getCase(db, 'A')) as Case, { calendar: before });
    const b0 = dueDates((await getCase(db, 'B')) as Case, { calendar: before });
    expect([a0.replyDue, a0.provisional.replyDue, b0.replyDue, b0.provisional.replyDue]).toEqual(['2027-01-19', true, '2027-02-23', true]);

    const p = parseHolidayNotice(NOTICE_2027);
    const at = new Date('2026-11-05T08:00:00Z');
    const r = await importHolidayNotice(
      db,
      { year: p.year, title: p.title ?? '', text: NOTICE_2027, daysOff: p.daysOff, makeUpWorkdays: p.makeUpWorkdays },
      '管理员',
      { now: () => at },
    );
    // A: 1/1–1/3 off as before (1/2, 1/3 a weekend anyway): only provisional → official; its 补正告知
    // 期限 2026-12-30 never reached 2027
    // B: the 春节 break and its make-up days move the reply date from 2/23 to 2/22
    expect(r.recalculated).toEqual([
      { agencyId: '', caseId: 'A', changes: ['答复期限 2027-01-19 由暂定改为确定'] },
      { agencyId: '', caseId: 'B', changes: ['补正告知期限 2027-01-29 由暂定改为确定', '答复期限由 2027-02-23（暂定）改为 2027-02-22'] },
      { agencyId: '9', caseId: 'A', changes: ['补正告知期限 2027-01-29 由暂定改为确定', '答复期限由 2027-02-23（暂定）改为 2027-02-22'] },
    ]);
    expect(r.problems).toEqual([]);
    const after = await calendarFor(db);
    expect(after.isProvisionalYear(2027)).toBe(false);
    const b = (await getCase(db, 'B')) as Case;
    expect(dueDates(b, { calendar: after })).toMatchObject({
      replyDue: '2027-02-22',
      provisional: { replyDue: false },
      provisionalYears: [],
    });
    expect(b.revisions?.map((x) => [x.kind, x.by, x.at])).toEqual([['calendar', '管理员', at.toISOString()]]);
    expect(b.revisions?.[0].reason).toContain('2027年');
    expect((await getCase(db, 'C'))?.revisions).toBeUndefined();
    expect((await getCase(db, 'D'))?.revisions).toBeUndefined();
    // audited: the notice, and each recomputed case
    const trail = await auditTrail(db, '#holidays-2027');
    expect(trail.map((x) => [x.action, x.who])).toEqual([['holidays:national', '管理员']]);
    expect((await auditTrail(db, 'B')).map((x) => x.action)).toEqual(['add', 'recalculate']);
    // listed as entered, by whom and when
    const years = await yearSources(db, '', 2027);
    expect(years.find((y) => y.year === 2027)).toMatchObject({ kind: 'entered', enteredBy: '管理员', enteredAt: at.toISOString() });
    expect(years.find((y) => y.year === 2026)).toMatchObject({ kind: 'shipped' });
    expect(years.find((y) => y.year === 2028)).toMatchObject({ kind: 'provisional' });
    expect((await enteredNotices(db)).map((n) => [n.year, n.jurisdiction, n.title])).toEqual([
      [2027, '', '国务院办公厅关于2027年部分节假日安排的通知'],
    ]);
  });

  it('a notice that cannot be right is refused and stores nothing', async () => {
    await expect(importHolidayNotice(db, { year: 2027, title: 't', daysOff: {}, makeUpWorkdays: {} }, '管理员')).rejects.toBeInstanceOf(
      HolidayNoticeError,
    );
    await expect(
      importHolidayNotice(db, { year: 2027, title: 't', daysOff: { '2031-01-01': '元旦' }, makeUpWorkdays: {} }, '管理员'),
    ).rejects.toThrow(/不属于 2027 年前后/);
    await expect(
      importHolidayNotice(
        db,
        { year: 2027, title: 't', daysOff: { '2027-01-01': '元旦' }, makeUpWorkdays: { '2027-01-01': '元旦' } },
        '管理员',
      ),
    ).rejects.toThrow(/既是放假日又是上班日/);
    expect(await enteredNotices(db)).toEqual([]);
    expect(await auditTrail(db, '#holidays-2027')).toEqual([]);
  });

  it('local days off apply to their agency and the agencies under it only', async () => {
    const app = appDb(db);
    const province = await createAgency(app, { name: '某省人民政府', parentId: null, level: 'province' }, 'admin');
    const city = await createAgency(app, { name: '某市人民政府', parentId: province.id, level: 'city' }, 'admin');
    const other = await createAgency(app, { name: '另一省人民政府', parentId: null, level: 'province' }, 'admin');
    const [p, c, o] = [String(province.id), String(city.id), String(other.id)];
    expect(await registersUnder(db, p)).toEqual([p, c]);
    await addCase(db, application('L', '2026-03-02'), '王五', c);
    await addCase(db, application('L', '2026-03-02'), '王五', o);
    const r = await importHolidayNotice(
      db,
      {
        year: 2026,
        jurisdiction: p,
        title: '某省2026年三月三放假安排',
        daysOff: { '2026-03-20': '三月三', '2026-03-23': '三月三' },
        makeUpWorkdays: {},
      },
      '省管理员',
      { registers: await registersUnder(db, p) },
    );
    expect(r.recalculated.map((x) => [x.agencyId, x.caseId, x.changes])).toEqual([[c, 'L', ['答复期限由 2026-03-30 改为 2026-04-01']]]);
    expect((await calendarFor(db, c)).dayInfo('2026-03-20')).toMatchObject({ kind: 'holiday', name: '三月三', local: true });
    expect((await calendarFor(db, o)).isWorkingDay('2026-03-20')).toBe(true);
    expect((await calendarFor(db, '')).isWorkingDay('2026-03-20')).toBe(true);
    // the national calendar is not made official by a local notice
    expect((await calendarFor(db, c)).isProvisionalYear(2027)).toBe(true);
  });

  it('voiding and amending are single audited transactions; a refused one changes nothing', async () => {
    await addCase(db, application('V', '2025-03-03'), '王五');
    await addEvent(db, 'V', { type: 'correctionNotice', on: '2025-03-05', by: '王五', deadline: '2025-03-20' }, '王五');
    await addEvent(db, 'V', { type: 'correctionReceived', on: '2025-03-10', by: '王五' }, '王五');
    await addEvent(db, 'V', { type: 'reply', on: '2025-03-20', by: '王五', outcome: 'granted' }, '王五');
    const before = await getCase(db, 'V');
    // refused: the correction notice has a later event depending on it
    await expect(voidCaseEvent(db, 'V', 1, '误登', '赵六')).rejects.toBeInstanceOf(TransitionError);
    expect(await getCase(db, 'V')).toEqual(before);
    expect((await auditTrail(db, 'V')).map((x) => x.action)).toEqual([
      'add',
      'event:correctionNotice',
      'event:correctionReceived',
      'event:reply',
    ]);
    // voiding the reply reopens the case; the stored event is marked, not deleted
    const open = await voidCaseEvent(db, 'V', 3, '答复登记错了', '赵六');
    expect(open.state.closed).toBeNull();
    const events = await eventsOf(db, 'V');
    expect(events).toHaveLength(3);
    expect(events[2].event.voided).toMatchObject({ by: '赵六', reason: '答复登记错了' });
    const rows = await db.selectFrom('cases').select(['closed', 'outcome', 'closed_on']).where('id', '=', 'V').execute();
    expect(rows).toEqual([{ closed: 0, outcome: null, closed_on: null }]);
    // a new reply after the void gets the next number
    await addEvent(db, 'V', { type: 'reply', on: '2025-03-21', by: '王五', outcome: 'partlyGranted' }, '王五');
    expect((await eventsOf(db, 'V')).map((e) => [e.seq, e.event.type, Boolean(e.event.voided)])).toEqual([
      [1, 'correctionNotice', false],
      [2, 'correctionReceived', false],
      [3, 'reply', true],
      [4, 'reply', false],
    ]);
    // amending the applicant's name
    const amended = await amendCaseFields(db, 'V', { applicant: { name: '李思' } }, '身份证上是“思”', '赵六');
    expect(amended.applicant.name).toBe('李思');
    expect(amended.revisions?.map((x) => x.kind)).toEqual(['void', 'amend']);
    const trail = await auditTrail(db, 'V');
    expect(trail.map((x) => x.action).slice(-3)).toEqual(['void:3', 'event:reply', 'amend']);
    expect(trail.at(-1)?.before?.applicant.name).toBe('李四');
    expect(trail.at(-1)?.after?.applicant.name).toBe('李思');
  });

  it('a damaged case is listed with its problem; the others and the statistics go on', async () => {
    await addCase(db, application('OK', '2025-03-03'), '王五');
    await addCase(db, application('BAD', '2025-03-04'), '王五');
    await addCase(db, application('ODD', '2025-03-05'), '王五');
    await db.updateTable('cases').set({ data: '{"id": "BAD", broken' }).where('id', '=', 'BAD').execute();
    await db.updateTable('cases').set({ applicant_type: 'martian' }).where('id', '=', 'ODD').execute();
    const entries = await listEntries(db);
    expect(entries.map((e) => [e.id, e.case !== null, e.problem?.zh ?? null])).toEqual([
      ['OK', true, null],
      ['BAD', false, '登记簿中申请“BAD”的数据已损坏，无法读取。'],
      ['ODD', true, null],
    ]);
    const s = await statsInput(db, 2025);
    expect(s.cases.map((c) => c.id).sort()).toEqual(['BAD', 'OK']);
    expect(s.problems.map((x) => x.zh)).toEqual(['申请“ODD”未计入统计：申请人类型“martian”无效。']);
    await expect(getCase(db, 'BAD')).rejects.toThrow(/已损坏/);
  });

  it('the shipped calendar is the default when no notice was entered', async () => {
    const cal = await calendarFor(db);
    expect(cal.revision).toBe(defaultCalendar().revision);
    expect(await sql`select 1 as x`.execute(db)).toBeTruthy();
  });
});
