/**
 * The register's 台账 (ledger) in and out of a spreadsheet, as pure functions (no database).
 *
 * Export ({@link ledgerWorkbook}, {@link writeLedgerXlsx}, {@link writeLedgerCsv}):
 * - sheet “申请台账”: one row per case, {@link CASE_COLUMNS}; dates as date cells (YYYY-MM-DD in CSV);
 *   答复期限 shown “（暂定）” when provisional (a date cell whose number format adds the mark; the text
 *   in CSV); 状态 办理中 / 已办结 / 逾期; 已发文书 from the notices the caller supplies;
 * - sheet “事件”: one row per event of every case, voided ones too (作废时间/作废人/作废原因),
 *   {@link EVENT_COLUMNS}: every field of every event in a column of its own, so that importing the
 *   workbook into an empty register gives the same applications and the same events again;
 * - CSV: one sheet per file, UTF-8 with BOM, CRLF, RFC 4180 quoting;
 * - formula injection: text starting with = + - @ (their full-width forms, a tab or CR) is never a
 *   formula. XLSX: the cell is text with the Text format and quotePrefix, the text unchanged (as
 *   src/render/xlsx.ts does). CSV: an apostrophe is put before it. Reading drops exactly that one
 *   apostrophe (text that itself starts with apostrophes before such a character gets one more on
 *   export, in both formats), so round trips hold.
 *
 * Import ({@link readLedger}: bytes → {@link LedgerPlan}; nothing is written here):
 * - XLSX (the first worksheet with data; a worksheet named “事件” with our events header supplies the
 *   events, as in our own export) or CSV (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030;
 *   comma, tab or semicolon). A separate events file (our “事件” sheet saved as CSV) may be given.
 * - Header rows are found by their words, not their position: the first row (of the first 20) with
 *   at least two known column names; a title row above it is passed over. A second header row under
 *   it (a merged upper cell grouping lower ones, “补正情况” over “告知日期 | 补正期限 | 收到日期”) is
 *   combined into one header per column: “补正情况·告知日期”.
 * - {@link LEDGER_FIELDS}: what an office's columns can map to, each with a Chinese label and
 *   synonyms; {@link suggestMapping} proposes a column per field (the label, then a synonym, then a
 *   group·leaf pair, then containment; never one column for two fields). The mapping is an input:
 *   the person confirms or changes it.
 * - Each row becomes a NewCase and its events in date order, replayed through the domain
 *   (createCase + applyEvent, with the register's calendar and `today`): a refusal is a problem of
 *   that row. The events are recorded facts: a step refused today only for its timing (a correction
 *   notice sent late) is kept and listed as a warning (`CaseOptions.recorded`), as when a case is
 *   recomputed; anything else the domain refuses is a problem.
 * - Problems (row, column header, Chinese and English): no date of receipt, unreadable dates,
 *   two-digit years, unknown outcome, applicant type or channel words, a refused transition,
 *   duplicate case numbers within the file. Missing 第二十九条 fields an old sheet never kept
 *   (identity, contact, form and channel of delivery) are filled with “台账未记录” and listed as
 *   warnings. Empty rows and total/notes rows (合计, 说明, 备注：…) are skipped and counted.
 * - Without a case number the id is `YYYY-导入-xxxxxxxx` (year of arrival, 8 hex of a SHA-256 of the
 *   row's content): the same file gives the same ids.
 * - Limits ({@link LEDGER_LIMITS}), checked before the work: 20 MB a file, 20,000 case rows, 200,000
 *   rows of the events sheet, 2,000,000 cells in a workbook.
 *
 * What a cases sheet alone (CSV) carries: the application and the events its summary columns can
 * say (补正 notice, deadline and receipt; 征求意见 in our “第三方：X（D 起，D 结束）” form; the
 * extension's days; payment; the conclusion and its date; 复议诉讼 in our form). The events sheet
 * carries every event exactly; export both CSVs and import them together for a full round trip.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { NianbaoError } from '../model/errors.js';
import type { CaseStatus } from '../model/schema.js';
import { ReadError } from '../read/errors.js';
import { dtdGuard, isXmlPart, openZip } from '../read/zip.js';
import { finishPackage } from '../render/ooxml.js';
import { quotePrefixed } from '../render/xlsx.js';
import { csvRecords, decodeCsv, sniffDelimiter } from '../util/csv.js';
import { CalendarError, type EnteredNotice, shippedHolidays, WorkingCalendar } from './calendar.js';
import {
  APPLICANT_TYPE_ZH,
  type ApplicantType,
  applyEvent,
  type Case,
  type CaseEvent,
  CHANNEL_LABELS,
  type Channel,
  createCase,
  EVENT_ZH,
  type EventType,
  type NewCase,
  OUTCOME_ZH,
  type Outcome,
  type ProceedingKind,
  type ProceedingResult,
  type ReplyOutcome,
  TransitionError,
} from './case.js';
import { CONFIRMED_CHANNELS } from './channels.js';
import { computeFee } from './fees.js';

// ---------------------------------------------------------------------------
// Limits and errors
// ---------------------------------------------------------------------------

/** the limits of an import, checked before the work */
export const LEDGER_LIMITS = {
  /** largest file (each file when a separate events file is given) */
  bytes: 20 * 1024 * 1024,
  /** most case rows of the cases sheet (header, title and skipped rows not counted) */
  rows: 20_000,
  /** most rows of the events sheet */
  eventRows: 200_000,
  /** most cells of an XLSX workbook, all sheets */
  cells: 2_000_000,
} as const;

/** too-large: over a limit; unreadable: not a spreadsheet, empty, no header; bad-input: a bad mapping */
export type LedgerErrorCode = 'too-large' | 'unreadable' | 'bad-input';

/** the file cannot be imported at all (too large, not a spreadsheet, no header, a bad mapping) */
export class LedgerError extends NianbaoError {
  declare readonly code: LedgerErrorCode;
  constructor(code: LedgerErrorCode, zh: string, en: string) {
    super(code, zh, en);
    this.name = 'LedgerError';
  }
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
const count = (n: number) => n.toLocaleString('en-US');

// ---------------------------------------------------------------------------
// Shared vocabulary
// ---------------------------------------------------------------------------

export { APPLICANT_TYPE_ZH };

/** the applicant types in plain English, for the English twin of a message */
const APPLICANT_TYPE_EN: Record<ApplicantType, string> = {
  naturalPerson: 'a natural person',
  commercial: 'a business',
  research: 'a research institution',
  publicInterest: 'a public-interest organisation',
  legalService: 'a legal-service institution',
  other: 'other',
};

const PARTY_ZH = { thirdParty: '第三方', agency: '其他机关' } as const;
const CONSULT_RESULT_ZH = { agreed: '同意', objected: '反对', noReply: '未答复' } as const;
const FEE_METHOD_ZH = { perApplication: '按件', perPage: '按量' } as const;
const KIND_ZH: Record<ProceedingKind, string> = {
  review: '行政复议',
  litigationDirect: '行政诉讼（直接起诉）',
  litigationAfterReview: '行政诉讼（复议后起诉）',
};
const RESULT_ZH: Record<ProceedingResult, string> = { upheld: '结果维持', corrected: '结果纠正', other: '其他结果' };
/** written where an old sheet never kept a 第二十九条 field */
export const NOT_RECORDED = '台账未记录';

/** a notice issued for a case, as listed in 已发文书 (src/store/notices.ts supplies them) */
export interface LedgerNotice {
  caseId: string;
  number: string;
  title: string;
  issuedOn: string;
  superseded: boolean;
}

// ---------------------------------------------------------------------------
// Formula injection
// ---------------------------------------------------------------------------

/** text that a spreadsheet could take for a formula, possibly behind apostrophes */
const PROTECTABLE = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const PROTECTED = /^'+[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** the text as written into a CSV cell: an apostrophe before formula-like text */
export function protectCsv(s: string): string {
  return PROTECTABLE.test(s) ? `'${s}` : s;
}

/** the text as read from any cell: the one apostrophe put before formula-like text is dropped */
export function unprotect(s: string): string {
  return PROTECTED.test(s) ? s.slice(1) : s;
}

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

/** a cell of an exported sheet: text, a number, a date (YYYY-MM-DD; `provisional` marks 暂定) or empty */
export type LedgerValue = string | number | null | { date: string; provisional?: boolean };

export interface LedgerSheet {
  name: string;
  headers: string[];
  rows: LedgerValue[][];
  /** column widths, Excel character units */
  widths: number[];
}

/** the two sheets of an export, and its date (YYYY-MM-DD, stamped into the XLSX package) */
export interface LedgerWorkbook {
  date: string;
  cases: LedgerSheet;
  events: LedgerSheet;
}

export const CASES_SHEET = '申请台账';
export const EVENTS_SHEET = '事件';

export const CASE_COLUMNS = [
  '编号',
  '申请人',
  '申请人类型',
  '证件类型',
  '证件号码',
  '联系电话',
  '通讯地址',
  '电子邮箱',
  '申请内容',
  '文号',
  '获取形式',
  '获取途径',
  '收件渠道',
  '收件日期',
  '确认日期',
  '收到申请日期',
  '补正告知日期',
  '补正期限',
  '补正收到日期',
  '征求意见',
  '延期工作日',
  '收费金额（元）',
  '缴费期限',
  '缴费日期',
  '答复期限',
  '状态',
  '办结日期',
  '办理结果',
  '复议诉讼',
  '已发文书',
  '登记人',
] as const;

const CASE_WIDTHS = [
  12, 16, 12, 12, 22, 14, 24, 20, 40, 16, 10, 12, 12, 12, 12, 13, 13, 12, 13, 30, 10, 12, 12, 12, 18, 8, 12, 30, 36, 36, 10,
];

export const EVENT_COLUMNS = [
  '编号',
  '序号',
  '日期',
  '事件',
  '补正期限',
  '补正内容',
  '征求对象类型',
  '征求对象',
  '征求结果',
  '延期工作日',
  '批准人',
  '已告知申请人',
  '延期理由',
  '收费方式',
  '页数',
  '本月已申请件数',
  '计费件数',
  '答复结果',
  '答复理由',
  '复议诉讼编号',
  '复议诉讼类型',
  '复议诉讼结果',
  '决定',
  '正当理由',
  '撤回理由',
  '备注',
  '登记人',
  '作废时间',
  '作废人',
  '作废原因',
] as const;

const EVENT_WIDTHS = [12, 6, 12, 20, 12, 24, 12, 20, 10, 10, 10, 12, 24, 10, 8, 14, 10, 30, 30, 16, 20, 12, 24, 20, 20, 24, 10, 26, 10, 24];

type EventColumn = (typeof EVENT_COLUMNS)[number];

/** what the export shows of a case: the case, its status on the day (null: could not be computed), its notices */
export interface LedgerExportItem {
  case: Case;
  status: CaseStatus | null;
  notices?: readonly LedgerNotice[];
  /** the agency whose register holds it (shown in a last column 机关 when the export spans several registers) */
  agency?: string;
}

const day = (d: string | undefined | null): LedgerValue => (d ? { date: d } : null);

function consultationText(c: Case): string {
  return c.state.consultations
    .map(
      (k) =>
        `${PARTY_ZH[k.party]}：${k.consulted}（${k.startedOn} 起${k.endedOn ? `，${k.endedOn} 结束` : ''}${k.result ? `，${CONSULT_RESULT_ZH[k.result]}` : ''}）`,
    )
    .join('\n');
}

function proceedingsText(c: Case): string {
  return c.state.proceedings
    .map((p) => `${KIND_ZH[p.kind]} ${p.id}：${p.filedOn} 立案${p.decidedOn && p.result ? `，${p.decidedOn} ${RESULT_ZH[p.result]}` : ''}`)
    .join('\n');
}

function outcomeText(c: Case): string {
  const closed = c.state.closed;
  if (!closed) return '';
  const zh = OUTCOME_ZH[closed.outcome] ?? closed.outcome;
  return closed.via === 'withdrawal' ? `${zh}（撤回申请）` : zh;
}

function statusText(c: Case, s: CaseStatus | null): string {
  if (c.state.closed) return '已办结';
  return s?.overdue ? '逾期' : '办理中';
}

function noticesText(list: readonly LedgerNotice[] | undefined): string {
  return (list ?? []).map((n) => `${n.number} ${n.title}（${n.issuedOn}${n.superseded ? '，已被替换' : ''}）`.trim()).join('\n');
}

function caseRowOf(item: LedgerExportItem): LedgerValue[] {
  const c = item.case;
  const s = item.status;
  const corr = c.state.correction;
  const fee = c.state.fee;
  let replyDue: LedgerValue = null;
  if (s?.replyDue) replyDue = { date: s.replyDue, provisional: s.replyDueProvisional || undefined };
  else if (s?.suspended && !c.state.closed) replyDue = '暂停计算';
  return [
    c.id,
    c.applicant.name,
    APPLICANT_TYPE_ZH[c.applicantType] ?? c.applicantType,
    c.applicant.identity.type,
    c.applicant.identity.number,
    c.applicant.contact.phone ?? null,
    c.applicant.contact.address ?? null,
    c.applicant.contact.email ?? null,
    c.request.description,
    c.request.documentNumber ?? null,
    c.delivery.form,
    c.delivery.channel,
    CHANNEL_LABELS[c.receipt.channel] ?? c.receipt.channel,
    day(c.receipt.arrivedOn),
    day(c.receipt.confirmedOn),
    day(c.receivedOn),
    day(corr?.noticeOn),
    day(corr?.deadline),
    day(corr?.receivedOn),
    consultationText(c) || null,
    c.state.extensionDays || null,
    fee ? fee.result.amount : null,
    day(fee?.payDue),
    day(fee?.paidOn),
    replyDue,
    statusText(c, s),
    day(c.state.closed?.on),
    outcomeText(c) || null,
    proceedingsText(c) || null,
    noticesText(item.notices) || null,
    c.registeredBy,
  ];
}

function eventRowOf(caseId: string, seq: number, e: CaseEvent): LedgerValue[] {
  const v: Partial<Record<EventColumn, LedgerValue>> = {
    编号: caseId,
    序号: seq,
    日期: { date: e.on },
    事件: EVENT_ZH[e.type] ?? e.type,
    备注: e.note ?? null,
    登记人: e.by,
  };
  switch (e.type) {
    case 'correctionNotice':
      v.补正期限 = { date: e.deadline };
      v.补正内容 = e.items ?? null;
      break;
    case 'correctionReceived':
      v.正当理由 = e.goodReason ?? null;
      break;
    case 'consultationStarted':
      v.征求对象类型 = PARTY_ZH[e.party] ?? e.party;
      v.征求对象 = e.consulted;
      break;
    case 'consultationEnded':
      v.征求结果 = e.result ? CONSULT_RESULT_ZH[e.result] : null;
      break;
    case 'extension':
      v.延期工作日 = e.days;
      v.批准人 = e.approver;
      v.已告知申请人 = e.applicantNotified ? '是' : '否';
      v.延期理由 = e.reason ?? null;
      break;
    case 'feeNotice':
      v.收费方式 = FEE_METHOD_ZH[e.fee.method] ?? e.fee.method;
      if (e.fee.method === 'perPage') v.页数 = e.fee.pages;
      else {
        v.本月已申请件数 = e.fee.priorThisMonth;
        v.计费件数 = e.fee.units ?? null;
      }
      break;
    case 'withdrawal':
      v.撤回理由 = e.reason ?? null;
      break;
    case 'reply':
      v.答复结果 = OUTCOME_ZH[e.outcome] ?? e.outcome;
      v.答复理由 = e.reasons ?? null;
      break;
    case 'proceedingFiled':
      v.复议诉讼编号 = e.id;
      v.复议诉讼类型 = KIND_ZH[e.kind] ?? e.kind;
      break;
    case 'proceedingDecided':
      v.复议诉讼编号 = e.id;
      v.复议诉讼结果 = RESULT_ZH[e.result] ?? e.result;
      v.决定 = e.decision ?? null;
      break;
    default:
      break;
  }
  if (e.voided) {
    v.作废时间 = e.voided.at;
    v.作废人 = e.voided.by;
    v.作废原因 = e.voided.reason;
  }
  return EVENT_COLUMNS.map((h) => v[h] ?? null);
}

/**
 * The two sheets of the export, in the order of `items` (the caller's: by date of receipt). With
 * `agencyColumn`, both sheets end with a column 机关 (an export of several registers).
 */
export function ledgerWorkbook(items: readonly LedgerExportItem[], opts: { date: string; agencyColumn?: boolean }): LedgerWorkbook {
  const withAgency = (row: LedgerValue[], item: LedgerExportItem) => (opts.agencyColumn ? [...row, item.agency ?? ''] : row);
  const cases: LedgerSheet = {
    name: CASES_SHEET,
    headers: [...CASE_COLUMNS, ...(opts.agencyColumn ? ['机关'] : [])],
    rows: items.map((it) => withAgency(caseRowOf(it), it)),
    widths: [...CASE_WIDTHS, ...(opts.agencyColumn ? [24] : [])],
  };
  const events: LedgerSheet = {
    name: EVENTS_SHEET,
    headers: [...EVENT_COLUMNS, ...(opts.agencyColumn ? ['机关'] : [])],
    rows: items.flatMap((it) => it.case.events.map((e, i) => withAgency(eventRowOf(it.case.id, i + 1, e), it))),
    widths: [...EVENT_WIDTHS, ...(opts.agencyColumn ? [24] : [])],
  };
  return { date: opts.date, cases, events };
}

/** does the case match a search (id, applicant name or description, case-insensitive) — as GET /api/cases */
export function matchesQuery(c: Case, q: string | undefined): boolean {
  const needle = q?.trim().toLowerCase();
  if (!needle) return true;
  return [c.id, c.applicant?.name, c.request?.description].some((s) =>
    String(s ?? '')
      .toLowerCase()
      .includes(needle),
  );
}

const DATE_FORMAT = 'yyyy-mm-dd';
const PROVISIONAL_FORMAT = 'yyyy-mm-dd"（暂定）"';

function utc(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/** the workbook as XLSX bytes: header row bold and frozen, widths set, dates as dates, no formula ever */
export async function writeLedgerXlsx(book: LedgerWorkbook): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'nianbao';
  wb.lastModifiedBy = 'nianbao';
  const stamp = /^\d{4}-\d{2}-\d{2}$/.test(book.date) ? book.date : '2000-01-01';
  wb.created = utc(stamp);
  wb.modified = utc(stamp);
  for (const sheet of [book.cases, book.events]) {
    const ws = wb.addWorksheet(sheet.name, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
    const head = ws.getRow(1);
    sheet.headers.forEach((h, i) => {
      head.getCell(i + 1).value = h;
    });
    head.font = { bold: true };
    head.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    sheet.rows.forEach((values, r) => {
      const row = ws.getRow(r + 2);
      values.forEach((v, i) => {
        if (v === null || v === '') return;
        const cell = row.getCell(i + 1);
        if (typeof v === 'object') {
          cell.value = utc(v.date);
          cell.numFmt = v.provisional ? PROVISIONAL_FORMAT : DATE_FORMAT;
        } else if (typeof v === 'number') {
          cell.value = v;
        } else {
          const text = PROTECTED.test(v) ? `'${v}` : v;
          cell.value = text;
          if (PROTECTABLE.test(text)) cell.numFmt = '@';
          if (text.includes('\n')) cell.alignment = { wrapText: true, vertical: 'top' };
        }
      });
    });
    sheet.widths.forEach((w, i) => {
      ws.getColumn(i + 1).width = w;
    });
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.headers.length } };
  }
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  const STYLES = 'xl/styles.xml';
  const styles = unzipSync(bytes, { filter: (f) => f.name === STYLES })[STYLES];
  const text = styles ? strFromU8(styles) : '';
  const marked = quotePrefixed(text);
  const [y, m, d] = stamp.split('-').map(Number);
  return finishPackage(bytes, { y, m, d }, marked !== text ? { [STYLES]: marked } : {});
}

function csvField(v: LedgerValue): string {
  let s: string;
  if (v === null) s = '';
  else if (typeof v === 'object') s = v.provisional ? `${v.date}（暂定）` : v.date;
  else if (typeof v === 'number') s = String(v);
  else s = protectCsv(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** one sheet as CSV: UTF-8 with BOM (Excel opens it), CRLF, RFC 4180 quoting */
export function writeLedgerCsv(sheet: LedgerSheet): Uint8Array {
  const lines = [sheet.headers, ...sheet.rows].map((r) => r.map(csvField).join(','));
  return new TextEncoder().encode(`\uFEFF${lines.join('\r\n')}\r\n`);
}

// ---------------------------------------------------------------------------
// Reading a spreadsheet into grids
// ---------------------------------------------------------------------------

/** a cell read: its text (trimmed, the export's apostrophe dropped), and its number or date when it is one */
export interface SheetCell {
  text: string;
  num?: number;
  date?: string;
}

export interface SheetRow {
  /** 1-based row number in the sheet (CSV: the record number) */
  row: number;
  cells: SheetCell[];
}

export interface SheetGrid {
  name: string;
  /** the rows that have at least one cell, in order */
  rows: SheetRow[];
  /** 1904 date system (Excel serials count from 1904-01-01) */
  date1904?: boolean;
}

const EMPTY: SheetCell = { text: '' };

function isBlankRow(r: SheetRow): boolean {
  return r.cells.every((c) => c.text === '' && c.num === undefined && c.date === undefined);
}

function textCell(raw: string): SheetCell {
  const t = unprotect(raw.trim());
  return t === '' ? EMPTY : { text: t };
}

/** RFC 4180 with any line end (src/util/csv.ts); `maxRows` records at most (LedgerError beyond) */
export function readCsvGrid(bytes: Uint8Array, name: string, maxRows: number): SheetGrid {
  const { text } = decodeCsv(bytes);
  const rows: SheetRow[] = [];
  csvRecords(text, sniffDelimiter(text), (fields, record) => {
    const cells = fields.map((f) => (f.quoted ? (f.text === '' ? EMPTY : { text: unprotect(f.text) }) : textCell(f.text)));
    const r = { row: record, cells };
    if (!isBlankRow(r)) rows.push(r);
    if (rows.length > maxRows) {
      throw new LedgerError(
        'too-large',
        `${name} 超过 ${count(maxRows)} 行的上限，未读取；请分成几个文件导入。`,
        `${name} has more than ${count(maxRows)} rows (the limit) and was not read; split it into several files.`,
      );
    }
    return true;
  });
  return { name, rows };
}

function cellOf(v: ExcelJS.CellValue): SheetCell {
  if (v === null || v === undefined) return EMPTY;
  if (typeof v === 'string') return textCell(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return EMPTY;
    const text = Number.isInteger(v) && !Number.isSafeInteger(v) ? BigInt(Math.round(v)).toString() : String(v);
    return { text, num: v };
  }
  if (typeof v === 'boolean') return { text: v ? '是' : '否' };
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return EMPTY;
    // exceljs reads a date cell as UTC midnight (+ the time of day); a value a hair before midnight is rounded
    const d = new Date(Math.round(v.getTime() / 1000) * 1000).toISOString().slice(0, 10);
    return { text: d, date: d };
  }
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return textCell(v.richText.map((r) => r.text).join(''));
    if ('formula' in v || 'sharedFormula' in v) {
      const result = (v as { result?: unknown }).result;
      if (result === undefined || result === null || (typeof result === 'object' && !(result instanceof Date))) return EMPTY;
      return cellOf(result as ExcelJS.CellValue);
    }
    if ('hyperlink' in v && 'text' in v) {
      const t = (v as { text: unknown }).text;
      return typeof t === 'string' ? textCell(t) : cellOf(t as ExcelJS.CellValue);
    }
    if ('error' in v) return EMPTY;
  }
  return textCell(String(v));
}

/** the zip checks of src/read/zip.ts (DTDs, bombs) and the row and cell counts, before exceljs sees the bytes */
function precheckXlsx(bytes: Uint8Array, name: string): void {
  let zip: ReturnType<typeof openZip>;
  try {
    zip = openZip(bytes, name, 'xlsx');
  } catch (e) {
    if (e instanceof ReadError && e.code !== 'corrupt') throw new LedgerError('too-large', e.zh, e.en);
    throw notSpreadsheet(name);
  }
  if (!zip.find('xl/workbook.xml')) throw notSpreadsheet(name);
  let cells = 0;
  for (const e of zip.entries) {
    if (e.name.endsWith('/') && e.size === 0) continue;
    try {
      if (/xl\/worksheets\/[^/]*\.xml$/i.test(e.name)) {
        let rows = 0;
        const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
        parser.on('error', () => {
          throw notSpreadsheet(name);
        });
        parser.on('opentag', (tag) => {
          const local = tag.name.slice(tag.name.indexOf(':') + 1);
          if (local === 'row' && ++rows > LEDGER_LIMITS.eventRows + 100) {
            throw new LedgerError(
              'too-large',
              `${name} 的一个工作表超过 ${count(LEDGER_LIMITS.eventRows)} 行，未读取；请分成几个文件导入。`,
              `A worksheet of ${name} has more than ${count(LEDGER_LIMITS.eventRows)} rows and was not read; split it into several files.`,
            );
          }
          if (local === 'c' && ++cells > LEDGER_LIMITS.cells) {
            throw new LedgerError(
              'too-large',
              `${name} 超过 ${count(LEDGER_LIMITS.cells)} 个单元格的上限，未读取。`,
              `${name} has more than ${count(LEDGER_LIMITS.cells)} cells (the limit) and was not read.`,
            );
          }
        });
        const guard = dtdGuard(name, 'xlsx');
        const decoder = new TextDecoder('utf-8');
        zip.scan(e, (chunk) => {
          guard(chunk);
          parser.write(decoder.decode(chunk, { stream: true }));
        });
        parser.write(decoder.decode());
      } else if (isXmlPart(e.name)) zip.scan(e, dtdGuard(name, 'xlsx'));
      else zip.verify(e);
    } catch (err) {
      if (err instanceof LedgerError) throw err;
      if (err instanceof ReadError && err.code !== 'corrupt') throw new LedgerError('too-large', err.zh, err.en);
      throw notSpreadsheet(name);
    }
  }
}

function notSpreadsheet(name: string): LedgerError {
  return new LedgerError(
    'unreadable',
    `${name} 不是可读取的电子表格：请上传 .xlsx 或 .csv 文件（旧版 .xls、WPS 的 .et 请先另存为 .xlsx）。`,
    `${name} is not a readable spreadsheet: upload an .xlsx or .csv file (save a legacy .xls or WPS .et file as .xlsx first).`,
  );
}

async function readXlsxGrids(bytes: Uint8Array, name: string): Promise<SheetGrid[]> {
  precheckXlsx(bytes, name);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw notSpreadsheet(name);
  }
  const date1904 = (wb.properties as { date1904?: boolean } | undefined)?.date1904 === true;
  return wb.worksheets
    .filter((ws) => ws.state !== 'hidden' && ws.state !== 'veryHidden')
    .map((ws) => {
      const rows: SheetRow[] = [];
      ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
        const cells: SheetCell[] = [];
        const n = Math.min(r.cellCount, 500);
        for (let c = 1; c <= n; c++) cells.push(cellOf(r.getCell(c).value));
        const row = { row: rowNumber, cells };
        if (!isBlankRow(row)) rows.push(row);
      });
      return { name: ws.name, rows, date1904 };
    });
}

/** the grids of a file: the worksheets of an XLSX, or the one table of a CSV */
export async function readSheets(bytes: Uint8Array, name: string): Promise<{ kind: 'xlsx' | 'csv'; sheets: SheetGrid[] }> {
  if (bytes.length === 0) throw new LedgerError('unreadable', `${name} 是空文件。`, `${name} is empty.`);
  if (bytes.length > LEDGER_LIMITS.bytes) {
    throw new LedgerError(
      'too-large',
      `${name} 超过 ${mb(LEDGER_LIMITS.bytes)} 的上限，未读取。`,
      `${name} exceeds the ${mb(LEDGER_LIMITS.bytes)} limit and was not read.`,
    );
  }
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const zipMagic = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (zipMagic || ext === 'xlsx' || ext === 'xlsm') return { kind: 'xlsx', sheets: await readXlsxGrids(bytes, name) };
  if (ole || ['xls', 'et', 'ods', 'pdf', 'doc', 'docx'].includes(ext)) throw notSpreadsheet(name);
  // binary content (NUL bytes that UTF-16 would not explain, or a known magic number) is not a CSV
  const head = bytes.subarray(0, 4096);
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  if (!utf16 && head.includes(0)) throw notSpreadsheet(name);
  if (/^%PDF-|^\{\\rtf|^GIF8|^\x89PNG/.test(new TextDecoder('latin1').decode(head.subarray(0, 8)))) throw notSpreadsheet(name);
  return { kind: 'csv', sheets: [readCsvGrid(bytes, name, LEDGER_LIMITS.eventRows + 100)] };
}

// ---------------------------------------------------------------------------
// Fields, header words, mapping
// ---------------------------------------------------------------------------

export type LedgerFieldKey =
  | 'id'
  | 'applicantName'
  | 'applicantType'
  | 'identityType'
  | 'identityNumber'
  | 'phone'
  | 'address'
  | 'email'
  | 'description'
  | 'documentNumber'
  | 'deliveryForm'
  | 'deliveryChannel'
  | 'receiptChannel'
  | 'arrivedOn'
  | 'confirmedOn'
  | 'receivedOn'
  | 'correctionNoticeOn'
  | 'correctionDeadline'
  | 'correctionItems'
  | 'correctionReceivedOn'
  | 'consultation'
  | 'consultationOn'
  | 'consultationEndedOn'
  | 'extension'
  | 'extensionOn'
  | 'feeAmount'
  | 'feeNoticeOn'
  | 'feePaidOn'
  | 'replyOn'
  | 'outcome'
  | 'reasons'
  | 'withdrawnOn'
  | 'review'
  | 'reviewResult'
  | 'litigation'
  | 'litigationResult'
  | 'note'
  | 'registeredBy';

export interface LedgerField {
  key: LedgerFieldKey;
  /** the Chinese name shown to the person mapping columns */
  label: string;
  /** a row cannot be imported without it (the date of receipt: 收件日期 or 收到申请日期) */
  required: boolean;
  /** header texts that name the field */
  words: readonly string[];
  /** a two-level header names the field when its upper cell contains one of `group` and its lower cell is one of `leaf` */
  group?: readonly string[];
  leaf?: readonly string[];
}

const APPLICANT = ['申请人', '申请人信息', '申请人情况', '申请人基本情况', '申请主体'];
const CORRECTION = ['补正'];
const CONSULT = ['征求意见', '征求'];
const EXTEND = ['延期', '延长'];
const REPLY = ['答复', '办理', '办结', '处理', '回复'];
const FEE = ['收费', '信息处理费', '缴费', '费用'];
const REVIEW = ['行政复议', '复议'];
const LITIGATION = ['行政诉讼', '诉讼'];
const RECEIPT = ['收件', '受理', '接收', '收到申请', '登记', '提交', '申请提交', '来件'];
const DELIVERY = ['获取', '提供', '公开方式', '答复方式', '送达'];

export const LEDGER_FIELDS: readonly LedgerField[] = [
  {
    key: 'id',
    label: '编号',
    required: false,
    words: ['编号', '申请编号', '受理编号', '登记编号', '案件编号', '流水号', '申请号', '登记号'],
  },
  {
    key: 'applicantName',
    label: '申请人',
    required: true,
    words: ['申请人', '申请人姓名', '申请人名称', '申请人姓名或名称', '申请人姓名(名称)', '姓名或名称', '姓名/名称', '申请人(单位)'],
    group: APPLICANT,
    leaf: ['姓名', '名称', '姓名或名称', '姓名/名称', '姓名(名称)'],
  },
  {
    key: 'applicantType',
    label: '申请人类型',
    required: false,
    words: ['申请人类型', '申请人类别', '申请人性质', '申请主体类型', '申请人身份', '主体类型'],
    group: APPLICANT,
    leaf: ['类型', '类别', '性质', '身份'],
  },
  {
    key: 'identityType',
    label: '证件类型',
    required: false,
    words: ['证件类型', '证件名称', '身份证明种类', '身份证明类型', '证件种类'],
    group: APPLICANT,
    leaf: ['证件类型', '证件名称', '证件种类'],
  },
  {
    key: 'identityNumber',
    label: '证件号码',
    required: false,
    words: ['证件号码', '证件号', '身份证号', '身份证号码', '统一社会信用代码', '身份证明号码', '证照号码'],
    group: APPLICANT,
    leaf: ['证件号码', '证件号', '号码', '身份证号'],
  },
  {
    key: 'phone',
    label: '联系电话',
    required: false,
    words: ['联系电话', '电话', '手机', '手机号', '手机号码', '电话号码', '联系方式'],
    group: APPLICANT,
    leaf: ['电话', '联系电话', '手机', '联系方式'],
  },
  {
    key: 'address',
    label: '通讯地址',
    required: false,
    words: ['通讯地址', '通信地址', '联系地址', '地址', '邮寄地址', '住址'],
    group: APPLICANT,
    leaf: ['地址', '通讯地址', '通信地址', '住址'],
  },
  {
    key: 'email',
    label: '电子邮箱',
    required: false,
    words: ['电子邮箱', '邮箱', '电子邮件', 'email', 'e-mail', '电子邮箱地址'],
    group: APPLICANT,
    leaf: ['邮箱', '电子邮箱', '电子邮件'],
  },
  {
    key: 'description',
    label: '申请内容',
    required: true,
    words: [
      '申请内容',
      '申请事项',
      '申请公开内容',
      '申请公开的内容',
      '申请公开的政府信息',
      '申请公开的信息',
      '所需信息',
      '所需政府信息',
      '申请信息内容',
      '申请信息',
      '信息内容',
      '内容描述',
      '所需政府信息的名称、文号或者便于查询的其他特征性描述',
      '政府信息名称',
      '申请公开信息名称',
    ],
  },
  { key: 'documentNumber', label: '文号', required: false, words: ['文号', '文件文号', '发文字号', '文件编号'] },
  {
    key: 'deliveryForm',
    label: '获取形式',
    required: false,
    words: ['获取形式', '提供形式', '载体形式', '获取信息的形式', '信息形式', '形式要求', '公开形式'],
    group: DELIVERY,
    leaf: ['形式', '载体'],
  },
  {
    key: 'deliveryChannel',
    label: '获取途径',
    required: false,
    words: ['获取途径', '获取方式', '获取信息的方式', '获取信息的途径', '提供方式', '送达方式', '答复送达方式', '获取方式途径'],
    group: DELIVERY,
    leaf: ['方式', '途径'],
  },
  {
    key: 'receiptChannel',
    label: '收件渠道',
    required: false,
    words: ['收件渠道', '申请方式', '申请渠道', '提交方式', '申请途径', '来件方式', '收件方式', '受理方式', '申请形式'],
    group: ['申请', ...RECEIPT],
    leaf: ['方式', '渠道', '途径'],
  },
  {
    key: 'arrivedOn',
    label: '收件日期',
    required: true,
    words: ['收件日期', '申请日期', '提交日期', '来件日期', '收文日期', '申请时间', '收件时间', '提交时间', '登记日期', '登记时间'],
    group: ['申请', ...RECEIPT],
    leaf: ['日期', '时间'],
  },
  { key: 'confirmedOn', label: '确认日期', required: false, words: ['确认日期', '确认收到日期', '双方确认日期', '确认时间'] },
  {
    key: 'receivedOn',
    label: '收到申请日期',
    required: false,
    words: ['收到申请日期', '收到申请之日', '受理日期', '受理时间', '收到日期', '收到申请时间'],
  },
  {
    key: 'correctionNoticeOn',
    label: '补正告知日期',
    required: false,
    words: ['补正告知日期', '补正通知日期', '告知补正日期', '补正告知时间', '补正告知书日期', '发出补正日期'],
    group: CORRECTION,
    leaf: ['告知日期', '通知日期', '告知时间', '发出日期', '日期', '告知'],
  },
  {
    key: 'correctionDeadline',
    label: '补正期限',
    required: false,
    words: ['补正期限', '补正截止日期', '补正截止时间'],
    group: CORRECTION,
    leaf: ['期限', '补正期限', '截止日期', '截止时间'],
  },
  {
    key: 'correctionItems',
    label: '补正内容',
    required: false,
    words: ['补正内容', '补正事项', '需补正内容'],
    group: CORRECTION,
    leaf: ['内容', '事项', '补正内容'],
  },
  {
    key: 'correctionReceivedOn',
    label: '补正收到日期',
    required: false,
    words: ['补正收到日期', '收到补正日期', '补正日期', '补正完成日期', '收到补正时间', '补正时间'],
    group: CORRECTION,
    leaf: ['收到日期', '收到补正日期', '补正日期', '完成日期', '收到时间', '回复日期'],
  },
  {
    key: 'consultation',
    label: '征求意见',
    required: false,
    words: ['征求意见', '是否征求意见', '征求意见对象', '征求第三方意见', '第三方意见征询', '征求意见情况'],
    group: CONSULT,
    leaf: ['对象', '征求对象', '是否', '是否征求', '情况'],
  },
  {
    key: 'consultationOn',
    label: '征求意见日期',
    required: false,
    words: ['征求意见日期', '征求意见时间', '征求意见开始日期', '征求日期'],
    group: CONSULT,
    leaf: ['日期', '开始日期', '发出日期', '征求日期', '时间'],
  },
  {
    key: 'consultationEndedOn',
    label: '征求意见结束日期',
    required: false,
    words: ['征求意见结束日期', '征求意见回复日期', '意见反馈日期', '征求意见结束时间'],
    group: CONSULT,
    leaf: ['结束日期', '回复日期', '反馈日期', '收到日期', '结束时间'],
  },
  {
    key: 'extension',
    label: '延期',
    required: false,
    words: ['延期', '是否延期', '延期工作日', '延长工作日', '延期天数', '延长天数', '延长答复期限', '是否延长答复期限', '延期情况'],
    group: EXTEND,
    leaf: ['是否', '是否延期', '天数', '工作日', '延期工作日', '延长天数', '情况'],
  },
  {
    key: 'extensionOn',
    label: '延期日期',
    required: false,
    words: ['延期日期', '延期告知日期', '延长日期', '延期时间'],
    group: EXTEND,
    leaf: ['日期', '告知日期', '时间'],
  },
  {
    key: 'feeAmount',
    label: '收费金额（元）',
    required: false,
    words: ['收费金额', '信息处理费', '收费金额(元)', '收费', '费用', '金额', '信息处理费(元)'],
    group: FEE,
    leaf: ['金额', '收费金额', '金额(元)'],
  },
  {
    key: 'feeNoticeOn',
    label: '收费通知日期',
    required: false,
    words: ['收费通知日期', '缴费通知日期', '收费日期', '收费通知时间'],
    group: FEE,
    leaf: ['通知日期', '收费通知日期', '告知日期'],
  },
  {
    key: 'feePaidOn',
    label: '缴费日期',
    required: false,
    words: ['缴费日期', '缴纳日期', '缴费时间', '付费日期'],
    group: FEE,
    leaf: ['缴费日期', '缴纳日期', '缴费时间'],
  },
  {
    key: 'replyOn',
    label: '答复日期',
    required: false,
    words: ['答复日期', '答复时间', '办结日期', '办结时间', '回复日期', '处理日期', '答复书日期', '告知日期', '出具答复日期'],
    group: REPLY,
    leaf: ['日期', '时间', '答复日期'],
  },
  {
    key: 'outcome',
    label: '办理结果',
    required: false,
    words: ['办理结果', '答复结果', '处理结果', '答复类型', '答复情况', '答复意见', '办理情况', '答复内容', '处理情况', '答复方式类型'],
    group: REPLY,
    leaf: ['结果', '类型', '情况', '意见'],
  },
  {
    key: 'reasons',
    label: '答复理由',
    required: false,
    words: ['答复理由', '理由', '不予公开理由', '答复依据', '理由及依据', '法律依据', '依据'],
    group: REPLY,
    leaf: ['理由', '依据', '说明'],
  },
  { key: 'withdrawnOn', label: '撤回日期', required: false, words: ['撤回日期', '撤回申请日期', '撤回时间'] },
  {
    key: 'review',
    label: '行政复议',
    required: false,
    words: ['行政复议', '是否行政复议', '是否复议', '复议', '复议诉讼', '复议情况', '是否被复议', '被申请行政复议'],
    group: REVIEW,
    leaf: ['是否', '情况', '有无'],
  },
  {
    key: 'reviewResult',
    label: '行政复议结果',
    required: false,
    words: ['行政复议结果', '复议结果', '复议决定'],
    group: REVIEW,
    leaf: ['结果', '决定'],
  },
  {
    key: 'litigation',
    label: '行政诉讼',
    required: false,
    words: ['行政诉讼', '是否行政诉讼', '是否诉讼', '诉讼', '诉讼情况', '是否被诉', '被提起行政诉讼'],
    group: LITIGATION,
    leaf: ['是否', '情况', '有无'],
  },
  {
    key: 'litigationResult',
    label: '行政诉讼结果',
    required: false,
    words: ['行政诉讼结果', '诉讼结果', '判决结果'],
    group: LITIGATION,
    leaf: ['结果', '判决'],
  },
  { key: 'note', label: '备注', required: false, words: ['备注', '说明', '备考'] },
  { key: 'registeredBy', label: '登记人', required: false, words: ['登记人', '经办人', '承办人', '录入人', '办理人', '经手人'] },
];

const FIELD_BY_KEY = new Map(LEDGER_FIELDS.map((f) => [f.key, f]));

export type LedgerMapping = Record<LedgerFieldKey, number | null>;

/** a header in the form compared: NFKC, lower case, no spaces, `*`, `_`, nor a trailing (必填)-like note */
function hkey(s: string): string {
  return (
    s
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s_*＊:：]+/g, '')
      .replace(/\((?:必填|选填|可选|必须|非必填|optional|required)\)$/, '')
      // 受理时间, 答复时间: offices write 时间 for a day as often as 日期
      .replace(/时间$/, '日期')
  );
}

const stripParen = (h: string) => h.replace(/\([^()]*\)$/, '');
const WORDS = new Map(LEDGER_FIELDS.map((f) => [f.key, new Set(f.words.map(hkey))]));
const LEAVES = new Map(LEDGER_FIELDS.map((f) => [f.key, new Set((f.leaf ?? []).map(hkey))]));
const GROUPS = new Map(LEDGER_FIELDS.map((f) => [f.key, (f.group ?? []).map(hkey)]));
const LABELS = new Map(LEDGER_FIELDS.map((f) => [f.key, hkey(f.label)]));

/** how well a header names a field: 4 its label, 3 a synonym (or group·leaf), 2.5 the lower of two levels alone, 2 containment, 0 not */
function matchScore(field: LedgerFieldKey, header: string): number {
  const h = hkey(header);
  if (h === '') return 0;
  const parts = h.split('·');
  const words = WORDS.get(field)!;
  const forms = new Set([h, stripParen(h)]);
  let upper = '';
  let lower = '';
  if (parts.length === 2) {
    [upper, lower] = parts;
    forms.add(upper + lower);
    forms.add(stripParen(upper + lower));
  }
  const label = LABELS.get(field)!;
  for (const f of forms) if (f === label) return 4;
  for (const f of forms) if (words.has(f)) return 3;
  if (parts.length === 2) {
    const l = stripParen(lower);
    const groups = GROUPS.get(field)!;
    if (groups.some((g) => upper.includes(g)) && (LEAVES.get(field)!.has(l) || words.has(l) || l === label)) return 3;
    // the lower cell alone names the field: weaker than a group·leaf pair (“补正情况·收到日期” is not 收到申请日期)
    if (words.has(l) || l === label) return 2.5;
  }
  const flat = parts.join('');
  for (const w of words) if (w.length >= 2 && flat.includes(w)) return 2;
  if (flat.includes(label) && label.length >= 2) return 2;
  return 0;
}

/** a header cell names some field, or is a group word over several (“补正情况”, “申请人信息”) */
function knownHeader(text: string): boolean {
  const h = hkey(text);
  if (h === '' || h.length > 40) return false;
  if (LEDGER_FIELDS.some((f) => matchScore(f.key, text) >= 3)) return true;
  const base = h.replace(/(情况|信息|基本情况|事项)$/, '');
  return [...GROUPS.values()].some((gs) => gs.includes(base)) || ['序号', '备注', '状态'].includes(h);
}

/** a lower header cell: a leaf word of some field */
function leafWord(text: string): boolean {
  const h = stripParen(hkey(text));
  for (const l of LEAVES.values()) if (l.has(h)) return true;
  return false;
}

/**
 * a column for each field from the headers: the field's label first, then a synonym (or a
 * group·leaf pair), then a header containing a synonym; one column never serves two fields
 */
export function suggestMapping(headers: readonly string[]): LedgerMapping {
  const pairs: { field: LedgerFieldKey; col: number; score: number; order: number }[] = [];
  LEDGER_FIELDS.forEach((f, order) => {
    headers.forEach((h, col) => {
      const score = matchScore(f.key, h);
      if (score > 0) pairs.push({ field: f.key, col, score, order });
    });
  });
  pairs.sort((a, b) => b.score - a.score || a.col - b.col || a.order - b.order);
  const mapping = Object.fromEntries(LEDGER_FIELDS.map((f) => [f.key, null])) as LedgerMapping;
  const used = new Set<number>();
  for (const p of pairs) {
    if (mapping[p.field] !== null || used.has(p.col)) continue;
    mapping[p.field] = p.col;
    used.add(p.col);
  }
  return mapping;
}

/** `A` → 0, `AB` → 27 */
function columnOfLetters(s: string): number | null {
  if (!/^[A-Za-z]{1,3}$/.test(s)) return null;
  let n = 0;
  for (const ch of s.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** a field named by its key or its Chinese label */
export function fieldByName(name: string): LedgerField | undefined {
  const k = name.trim();
  return FIELD_BY_KEY.get(k as LedgerFieldKey) ?? LEDGER_FIELDS.find((f) => hkey(f.label) === hkey(k));
}

/** a mapping given by a person: field key (or label) → column index (0-based), header text, 1-based number, letters, or null */
export type MappingInput = Record<string, number | string | null>;

/**
 * The mapping used: `given` over the suggestion. A column named in `given` is taken from any field
 * it was suggested for; a field `given` as null maps to no column. An unknown field, a column that
 * does not exist or one column given for two fields is a LedgerError.
 */
export function resolveMapping(headers: readonly string[], given: MappingInput | null | undefined): LedgerMapping {
  const suggested = suggestMapping(headers);
  if (!given) return suggested;
  const out = { ...suggested };
  const explicit = new Map<LedgerFieldKey, number | null>();
  for (const [name, value] of Object.entries(given)) {
    const field = fieldByName(name);
    if (!field) {
      throw new LedgerError(
        'bad-input',
        `对应关系中的字段“${name}”不存在；可用的字段：${LEDGER_FIELDS.map((f) => `${f.key}（${f.label}）`).join('、')}。`,
        `The mapping names an unknown field "${name}"; the fields are ${LEDGER_FIELDS.map((f) => f.key).join(', ')}.`,
      );
    }
    let col: number | null;
    if (value === null || value === '') col = null;
    else if (typeof value === 'number') col = value;
    else {
      const t = value.trim();
      const byHeader = headers.findIndex((h) => h.trim() === t || (hkey(h) === hkey(t) && hkey(t) !== ''));
      if (byHeader >= 0) col = byHeader;
      else if (/^\d+$/.test(t)) col = Number(t) - 1;
      else col = columnOfLetters(t) ?? -1;
      if (col < 0) {
        throw new LedgerError(
          'bad-input',
          `字段“${field.label}”对应的列“${t}”不存在（可写列名、从 1 起的列号或 A、B… 列字母）。`,
          `The column "${t}" given for ${field.key} does not exist (give its header, its number from 1, or its letters).`,
        );
      }
    }
    if (col !== null && (!Number.isInteger(col) || col < 0 || col >= headers.length)) {
      throw new LedgerError(
        'bad-input',
        `字段“${field.label}”对应的列号 ${col} 不存在：表中共 ${headers.length} 列（列号从 0 起）。`,
        `The column ${col} given for ${field.key} does not exist: the sheet has ${headers.length} columns (numbered from 0).`,
      );
    }
    explicit.set(field.key, col);
  }
  const taken = new Map<number, LedgerFieldKey>();
  for (const [key, col] of explicit) {
    if (col === null) continue;
    const other = taken.get(col);
    if (other) {
      throw new LedgerError(
        'bad-input',
        `第 ${col + 1} 列（${headers[col] || '无列名'}）同时对应“${FIELD_BY_KEY.get(other)!.label}”和“${FIELD_BY_KEY.get(key)!.label}”，一列只能对应一个字段。`,
        `Column ${col + 1} is given for both ${other} and ${key}; a column maps to one field only.`,
      );
    }
    taken.set(col, key);
  }
  for (const f of LEDGER_FIELDS) {
    if (explicit.has(f.key)) out[f.key] = explicit.get(f.key)!;
    else if (out[f.key] !== null && taken.has(out[f.key]!)) out[f.key] = null;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Header detection
// ---------------------------------------------------------------------------

export interface HeaderInfo {
  /** the sheet rows of the header (one or two) */
  rows: number[];
  /** one header per column, two levels combined as “上·下” */
  headers: string[];
  /** index into grid.rows of the first row after the header */
  dataFrom: number;
}

const HEADER_SEARCH = 20;

function cellDisplay(c: SheetCell | undefined): string {
  if (!c) return '';
  return c.date ?? c.text;
}

/** the header row(s) of a grid, found by their words; null when no row of the first 20 has two known column names */
export function detectHeader(grid: SheetGrid): HeaderInfo | null {
  const limit = Math.min(HEADER_SEARCH, grid.rows.length);
  for (let i = 0; i < limit; i++) {
    const upper = grid.rows[i].cells.map(cellDisplay);
    const known = new Set(upper.filter((t) => t !== '' && knownHeader(t)));
    if (known.size < 2) continue;
    const next = grid.rows[i + 1];
    let lower: string[] | null = null;
    if (next && next.row === grid.rows[i].row + 1) {
      const cand = next.cells.map(cellDisplay);
      const filled = cand.map((t, c) => ({ t, c })).filter((x) => x.t !== '');
      // a second header row: nothing in it a date or a number, and most of its cells header words
      // (a sheet's own words, 类别 or 经办人, need not all be known)
      const plain = filled.every((x) => {
        const cell = next.cells[x.c];
        return cell.date === undefined && cell.num === undefined && !('date' in (parseDateCell(cell) ?? {}));
      });
      const known = filled.filter((x) => x.t === upper[x.c] || knownHeader(x.t) || leafWord(x.t)).length;
      const headerLike = filled.length > 0 && plain && known * 2 >= filled.length && known > 0;
      const differs = filled.some((x) => x.t !== upper[x.c]);
      if (headerLike && differs) lower = cand;
    }
    const width = Math.max(upper.length, lower?.length ?? 0);
    const headers: string[] = [];
    if (!lower) {
      for (let c = 0; c < width; c++) headers.push(upper[c] ?? '');
      return { rows: [grid.rows[i].row], headers, dataFrom: i + 1 };
    }
    // a blank upper cell over a lower one belongs to the group on its left (CSV has no merges)
    let group = '';
    for (let c = 0; c < width; c++) {
      let up = upper[c] ?? '';
      const lo = lower[c] ?? '';
      if (up !== '') group = lo !== '' && lo !== up ? up : '';
      else if (lo !== '' && group !== '') up = group;
      headers.push(lo === '' || lo === up ? up : up === '' ? lo : `${up}·${lo}`);
    }
    return { rows: [grid.rows[i].row, next.row], headers, dataFrom: i + 2 };
  }
  return null;
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

export type DateResult = { date: string } | { bad: 'two-digit' | 'unreadable' | 'range' } | null;

function realDate(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return t.toISOString().slice(0, 10);
}

function serialDate(n: number, date1904 = false): string | null {
  if (!Number.isFinite(n) || n < 1) return null;
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return new Date(base + Math.floor(n + 1e-9) * 86_400_000).toISOString().slice(0, 10);
}

const NONE = /^(?:[-—–/\\]+|无|暂无|空|没有|n\/?a)$/i;

/** a date from a cell: a date cell, an Excel serial number, or text (2025-03-05, 2025/3/5, 2025.3.5, 2025年3月5日, 20250305) */
export function parseDateCell(cell: SheetCell | undefined, date1904 = false): DateResult {
  if (!cell) return null;
  const ranged = (d: string | null): DateResult => {
    if (d === null) return { bad: 'unreadable' };
    const y = Number(d.slice(0, 4));
    return y < 1990 || y > 2100 ? { bad: 'range' } : { date: d };
  };
  if (cell.date) return ranged(cell.date);
  if (cell.num !== undefined) {
    const n = cell.num;
    if (Number.isInteger(n) && n >= 19000101 && n <= 21001231)
      return ranged(realDate(Math.floor(n / 10000), Math.floor(n / 100) % 100, n % 100));
    return ranged(serialDate(n, date1904));
  }
  let t = cell.text.normalize('NFKC').trim();
  if (t === '' || NONE.test(t)) return null;
  t = t
    .replace(/\s+/g, ' ')
    .replace(/(?:[T ]\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?|\s*\d{1,2}时(?:\d{1,2}分)?)$/, '')
    .trim();
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(t);
  if (m) return ranged(realDate(Number(m[1]), Number(m[2]), Number(m[3])));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return ranged(realDate(Number(m[1]), Number(m[2]), Number(m[3])));
  if (/^\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$/.test(t) || /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2}$/.test(t))
    return { bad: 'two-digit' };
  if (/^\d{5}(?:\.\d+)?$/.test(t)) {
    const n = Number(t);
    if (n >= 30000 && n <= 80000) return ranged(serialDate(n, date1904));
  }
  return { bad: 'unreadable' };
}

/** 是/否 and its many spellings; null when the text is neither */
export function parseYesNo(text: string): boolean | null {
  const t = text.normalize('NFKC').trim().toLowerCase();
  if (t === '') return null;
  if (/^(?:是|有|已|√|✓|✔|☑|y|yes|true|对|需要|已延期|已征求|延期|征求)$/.test(t)) return true;
  if (/^(?:否|无|没有|未|×|✗|✘|☐|x|n|no|false|不|不需要|未延期|未征求|\/|-|—)$/.test(t)) return false;
  return null;
}

/** a cell's text in the form compared for words: NFKC, no spaces, no numbering, separators as · */
function wkey(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .replace(/^(?:\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.、])/, '')
    .replace(/[“”"'‘’「」]/g, '')
    .replace(/[-—–/:：|>]+/g, '·')
    .toLowerCase();
}

const TYPE_WORDS: [ApplicantType, string[]][] = [
  ['naturalPerson', ['自然人', '个人', '公民', '群众', '居民', '自然人申请', '个人申请', 'naturalperson']],
  ['commercial', ['商业企业', '企业', '公司', '个体工商户', '商户', '企业法人', 'commercial']],
  ['research', ['科研机构', '科研', '科研院所', '高校', '大学', '研究所', '研究院', '学校', 'research']],
  ['publicInterest', ['社会公益组织', '公益组织', '社会组织', '基金会', '协会', '公益', 'publicinterest']],
  ['legalService', ['法律服务机构', '律师事务所', '律所', '律师', '法律服务所', '法律服务', 'legalservice']],
  ['other', ['其他', '其它', '其他组织', 'other']],
];
const TYPE_LOOKUP = new Map<string, ApplicantType>(TYPE_WORDS.flatMap(([t, ws]) => ws.map((w) => [wkey(w), t] as [string, ApplicantType])));

export function parseApplicantType(text: string): ApplicantType | null {
  const k = wkey(text);
  if (k === '' || k === '法人或其他组织') return null;
  const direct = TYPE_LOOKUP.get(k) ?? TYPE_LOOKUP.get(k.replace(/\(.*\)$/, ''));
  if (direct) return direct;
  // “法人或其他组织·商业企业” and the like: the most specific word it contains
  let best: [number, ApplicantType] | null = null;
  for (const [w, t] of TYPE_LOOKUP) if (w.length >= 2 && k.includes(w) && (!best || w.length > best[0])) best = [w.length, t];
  return best?.[1] ?? null;
}

/** the applicant type a name suggests, for a row that does not say */
function typeFromName(name: string): ApplicantType | null {
  const n = name.normalize('NFKC').replace(/\s+/g, '');
  if (/律师|律所|法律服务/.test(n)) return 'legalService';
  if (/大学|学院|研究院|研究所|研究中心|科学院|学校/.test(n)) return 'research';
  if (/协会|基金会|公益|志愿|学会|商会|促进会/.test(n)) return 'publicInterest';
  if (/公司|企业|厂$|商行|集团|合作社|个体|工作室|门市|店$/.test(n)) return 'commercial';
  if (/^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}$/.test(n)) return 'naturalPerson';
  return null;
}

export function parseChannel(text: string): Channel | null {
  const k = wkey(text);
  if (k === '') return null;
  for (const [ch, label] of Object.entries(CHANNEL_LABELS)) if (wkey(label) === k || ch.toLowerCase() === k) return ch as Channel;
  if (/传真|fax/.test(k)) return 'fax';
  if (/平信/.test(k)) return 'ordinaryMail';
  if (/电子邮件|电子邮箱|邮箱|e?mail|网|在线|线上|微信|平台|app|信息系统|互联网/.test(k)) return 'internet';
  if (/邮寄|信函|邮政|快递|ems|挂号|寄送|来信/.test(k)) return 'post';
  if (/当面|现场|窗口|面交|来访|口头|到场|递交|自送/.test(k)) return 'inPerson';
  return null;
}

/** what an outcome cell says: a reply with its outcome, another way of concluding, still open, or not understood (null) */
export type OutcomeWord =
  | { kind: 'reply'; outcome: Outcome }
  | { kind: 'correctionExpired' }
  | { kind: 'feeExpired' }
  | { kind: 'withdrawal' }
  | { kind: 'open' };

const OUTCOME_ALIASES: [OutcomeWord, string[]][] = [
  [
    { kind: 'reply', outcome: 'granted' },
    ['公开', '予以公开', '同意公开', '全部公开', '已公开', '提供', '予以提供', '已提供', '已主动公开', '主动公开'],
  ],
  [{ kind: 'reply', outcome: 'partlyGranted' }, ['部分公开', '部分予以公开', '部分提供', '区分处理']],
  [{ kind: 'reply', outcome: 'withheldStateSecret' }, ['国家秘密', '涉密', '涉及国家秘密']],
  [{ kind: 'reply', outcome: 'withheldLawProhibited' }, ['法律行政法规禁止公开', '法律法规禁止公开', '禁止公开']],
  [{ kind: 'reply', outcome: 'withheldSecurityStability' }, ['三安全一稳定', '危及三安全一稳定', '危及国家安全', '社会稳定']],
  [
    { kind: 'reply', outcome: 'withheldThirdParty' },
    ['第三方', '第三方合法权益', '保护第三方合法权益', '商业秘密', '个人隐私', '第三方不同意'],
  ],
  [{ kind: 'reply', outcome: 'withheldInternalAffairs' }, ['内部事务', '内部事务信息', '三类内部事务信息', '内部管理信息']],
  [{ kind: 'reply', outcome: 'withheldProcessInfo' }, ['过程性信息', '四类过程性信息']],
  [{ kind: 'reply', outcome: 'withheldEnforcementFile' }, ['行政执法案卷', '执法案卷']],
  [{ kind: 'reply', outcome: 'withheldQueryMatter' }, ['行政查询事项', '查询事项']],
  [
    { kind: 'reply', outcome: 'unableNotHeld' },
    [
      '本机关不掌握相关政府信息',
      '不掌握',
      '本机关不掌握',
      '信息不存在',
      '政府信息不存在',
      '不存在',
      '非本机关职责',
      '不属于本机关职责',
      '非本机关职责范围',
      '非本机关掌握',
      '不属于本机关公开',
      '未制作',
      '未获取',
    ],
  ],
  [
    { kind: 'reply', outcome: 'unableNeedsCreation' },
    ['没有现成信息需要另行制作', '需要另行制作', '另行制作', '没有现成信息', '需加工汇总'],
  ],
  [{ kind: 'reply', outcome: 'unableUnclear' }, ['补正后申请内容仍不明确', '仍不明确', '申请内容不明确', '内容不明确']],
  [{ kind: 'reply', outcome: 'notProcessedComplaint' }, ['信访举报投诉类申请', '信访举报投诉', '信访', '举报投诉', '投诉举报']],
  [{ kind: 'reply', outcome: 'notProcessedDuplicate' }, ['重复申请']],
  [{ kind: 'reply', outcome: 'notProcessedPublication' }, ['要求提供公开出版物', '公开出版物', '出版物']],
  [{ kind: 'reply', outcome: 'notProcessedExcessive' }, ['无正当理由大量反复申请', '大量反复申请']],
  [{ kind: 'reply', outcome: 'notProcessedConfirmation' }, ['要求行政机关确认或重新出具已获取信息', '确认或重新出具', '重新出具']],
  [{ kind: 'correctionExpired' }, ['逾期未补正', '逾期不补正', '不补正', '未补正', '未按期补正']],
  [{ kind: 'feeExpired' }, ['逾期未缴费', '逾期未缴纳', '未缴费', '逾期未缴纳费用', '未缴纳费用']],
  [{ kind: 'reply', outcome: 'otherOther' }, ['其他', '其他处理', '其它']],
  [{ kind: 'withdrawal' }, ['撤回', '撤回申请', '申请人撤回', '主动撤回']],
  [{ kind: 'open' }, ['办理中', '正在办理', '在办', '未办结', '处理中', '待答复', '正在处理', '未答复']],
];

const OUTCOME_LOOKUP: Map<string, OutcomeWord> = (() => {
  const m = new Map<string, OutcomeWord>();
  const put = (w: string, o: OutcomeWord) => {
    const k = wkey(w).replace(/[()（）·]/g, '');
    if (!m.has(k)) m.set(k, o);
  };
  for (const [o, ws] of OUTCOME_ALIASES) for (const w of ws) put(w, o);
  for (const [outcome, zh] of Object.entries(OUTCOME_ZH) as [Outcome, string][]) {
    const o: OutcomeWord =
      outcome === 'otherNoCorrection'
        ? { kind: 'correctionExpired' }
        : outcome === 'otherFeeUnpaid'
          ? { kind: 'feeExpired' }
          : { kind: 'reply', outcome };
    put(zh, o);
    put(outcome, o);
    const [, leafZh] = zh.split('·');
    if (leafZh && outcome !== 'otherOther') put(leafZh, o);
  }
  return m;
})();

/** words too general to be found inside a longer text (“不予公开” contains “公开”) */
const GENERAL = new Set(['公开', '予以公开', '提供', '其他', '其它', '其他处理', '不存在', '已公开', '予以提供', '已提供', '未答复']);

export function parseOutcome(text: string): OutcomeWord | null {
  const raw = wkey(text);
  if (raw === '') return null;
  if (/撤回/.test(raw)) return { kind: 'withdrawal' };
  const k = raw.replace(/[()（）·]/g, '');
  const direct = OUTCOME_LOOKUP.get(k) ?? OUTCOME_LOOKUP.get(raw.replace(/\([^()]*\)$/, '').replace(/[()·]/g, ''));
  if (direct) return direct;
  let best: [number, OutcomeWord] | null = null;
  for (const [w, o] of OUTCOME_LOOKUP) {
    if (w.length < 2 || GENERAL.has(w) || !k.includes(w)) continue;
    if (!best || w.length > best[0]) best = [w.length, o];
  }
  return best?.[1] ?? null;
}

function parseProceedingResult(text: string): ProceedingResult | 'pending' | null {
  const k = wkey(text);
  if (k === '') return null;
  if (/审理中|未审结|尚未审结|在审|待审|未结/.test(k)) return 'pending';
  if (/维持|驳回/.test(k)) return 'upheld';
  if (/纠正|撤销|确认违法|责令|变更|重新答复/.test(k)) return 'corrected';
  if (/其他|其它|终止|撤诉|调解|和解|撤回/.test(k)) return 'other';
  return null;
}

function parsePartyKind(text: string): 'thirdParty' | 'agency' | null {
  const k = wkey(text);
  if (k === '第三方' || k === 'thirdparty') return 'thirdParty';
  if (k === '其他机关' || k === '机关' || k === 'agency') return 'agency';
  return null;
}

function guessParty(consulted: string): 'thirdParty' | 'agency' {
  return /局|委员会|委$|办公室|办$|厅|政府|机关|部门|中心|管委会|街道|法院|检察院/.test(consulted) ? 'agency' : 'thirdParty';
}

const EVENT_BY_ZH = new Map<string, EventType>(
  (Object.entries(EVENT_ZH) as [EventType, string][]).flatMap(([k, v]) => [
    [wkey(v), k] as [string, EventType],
    [k.toLowerCase(), k] as [string, EventType],
  ]),
);

// ---------------------------------------------------------------------------
// Rows → cases
// ---------------------------------------------------------------------------

export interface LedgerMessage {
  zh: string;
  en: string;
  /** the header of the column concerned */
  column?: string;
}

export type LedgerRowStatus = 'new' | 'exists' | 'error' | 'conflict';

export interface LedgerRow {
  /** the row number in the sheet */
  row: number;
  /** the case number (given or derived); '' when none could be made */
  caseId: string;
  status: LedgerRowStatus;
  problems: LedgerMessage[];
  warnings: LedgerMessage[];
  /** the application and its events (null/[] for a row in error) */
  input: NewCase | null;
  events: CaseEvent[];
  /** the case replayed through the domain */
  case: Case | null;
  /** registeredBy / events' `by` were not in the file (the importing user): left out when comparing with the register */
  defaulted: { registeredBy: boolean; eventBy: boolean };
}

export interface LedgerPlan {
  fileName: string;
  /** SHA-256 of the file (hex) */
  sha256: string;
  kind: 'xlsx' | 'csv';
  sheet: string;
  /** the events sheet used (our 事件 sheet, or the separate events file), or null */
  eventsSheet: string | null;
  eventsFile: { name: string; sha256: string } | null;
  headerRows: number[];
  columns: { index: number; header: string; samples: string[] }[];
  fields: { key: LedgerFieldKey; label: string; required: boolean }[];
  mapping: LedgerMapping;
  rows: LedgerRow[];
  /** empty rows and total/notes rows passed over */
  skipped: number;
  /** about the file as a whole (events of unknown cases, columns left unmapped…) */
  fileWarnings: LedgerMessage[];
  today: string;
  /** the calendar the rows were replayed with (WorkingCalendar.revision) */
  calendarRevision: string;
}

export interface LedgerReadOptions {
  /** today (YYYY-MM-DD): dates after it are refused */
  today: string;
  /** registeredBy (and the events' `by`) when the file does not say: the importing user */
  user: string;
  /** the register's calendar (in-thread) … */
  calendar?: WorkingCalendar;
  /** … or the holiday notices entered for it, to build it (in a worker) */
  entered?: readonly EnteredNotice[];
  /** a separate events file: our “事件” sheet as CSV (or XLSX) */
  events?: { bytes: Uint8Array; name: string } | null;
}

const SKIP_ROW =
  /^(?:合\s*计|总\s*计|小\s*计|共计|说\s*明|备\s*注\s*[:：]|注\s*[:：]|注\s*\d|填表|制表|填报|审核人|负责人|统计人|单位负责人)/;

interface Ctx {
  headers: string[];
  mapping: LedgerMapping;
  date1904: boolean;
  user: string;
}

function msg(zh: string, en: string, column?: string): LedgerMessage {
  return column === undefined ? { zh, en } : { zh, en, column };
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** canonical JSON (keys sorted, undefined left out), for hashing and comparing */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonical(x))).join(',')}]`;
  const keys = Object.keys(v as Record<string, unknown>)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** what of an application and its events is compared (and hashed): without `by` fields the file did not give */
export function comparable(input: NewCase, events: readonly CaseEvent[], ignore: { registeredBy: boolean; eventBy: boolean }): string {
  const base = { ...input, registeredBy: ignore.registeredBy ? undefined : input.registeredBy };
  const evs = events.map((e) => (ignore.eventBy ? { ...e, by: undefined } : e));
  return canonical({ base, events: evs });
}

class RowReader {
  readonly problems: LedgerMessage[] = [];
  readonly warnings: LedgerMessage[] = [];
  constructor(
    readonly ctx: Ctx,
    readonly r: SheetRow,
  ) {}

  col(key: LedgerFieldKey): string {
    const i = this.ctx.mapping[key];
    if (i === null) return FIELD_BY_KEY.get(key)!.label;
    return this.ctx.headers[i] || `第${i + 1}列`;
  }
  cell(key: LedgerFieldKey): SheetCell | undefined {
    const i = this.ctx.mapping[key];
    return i === null ? undefined : this.r.cells[i];
  }
  text(key: LedgerFieldKey): string {
    return this.cell(key)?.text ?? '';
  }
  /** an optional text: '' for a blank or “无”, “-”, “/” */
  opt(key: LedgerFieldKey): string {
    const t = this.text(key);
    return NONE.test(t) ? '' : t;
  }
  problem(zh: string, en: string, key?: LedgerFieldKey): void {
    this.problems.push(msg(zh, en, key ? this.col(key) : undefined));
  }
  warn(zh: string, en: string, key?: LedgerFieldKey): void {
    this.warnings.push(msg(zh, en, key ? this.col(key) : undefined));
  }
  date(key: LedgerFieldKey): string | undefined {
    const c = this.cell(key);
    const d = parseDateCell(c, this.ctx.date1904);
    if (d === null) return undefined;
    if ('date' in d) return d.date;
    const col = this.col(key);
    const shown = c?.text ?? '';
    if (d.bad === 'two-digit') {
      this.problem(
        `“${col}”的日期“${shown}”只有两位年份，无法确定年代；请写成四位年份（如 2025-03-05）。`,
        `The date "${shown}" in "${col}" has a two-digit year; write the year in four digits (e.g. 2025-03-05).`,
        key,
      );
    } else if (d.bad === 'range') {
      this.problem(
        `“${col}”的日期“${shown}”不在 1990 至 2100 年之间，无法登记。`,
        `The date "${shown}" in "${col}" is not between 1990 and 2100.`,
        key,
      );
    } else {
      this.problem(
        `“${col}”的内容“${shown}”不是可识别的日期（可写 2025-03-05、2025/3/5、2025.3.5、2025年3月5日、20250305）。`,
        `"${shown}" in "${col}" is not a date that can be read (write 2025-03-05, 2025/3/5, 2025.3.5, 2025年3月5日 or 20250305).`,
        key,
      );
    }
    return undefined;
  }
  int(key: LedgerFieldKey): number | undefined {
    const c = this.cell(key);
    if (!c || c.text === '') return undefined;
    if (c.num !== undefined && Number.isInteger(c.num)) return c.num;
    const m = /(\d+)/.exec(c.text.normalize('NFKC'));
    return m ? Number(m[1]) : undefined;
  }
}

/** the application of a row (office sheet or our own export) */
function applicationOf(rd: RowReader, defaults: { user: string }): { input: Omit<NewCase, 'id'> | null; registeredByDefaulted: boolean } {
  const name = rd.text('applicantName');
  if (name === '') rd.problem('申请人姓名或名称为空。', 'The applicant name is empty.', 'applicantName');
  const description = rd.text('description');
  if (description === '') rd.problem('申请内容为空。', 'The description of the information requested is empty.', 'description');
  let applicantType: ApplicantType | null = null;
  const typeText = rd.opt('applicantType');
  if (typeText !== '') {
    applicantType = parseApplicantType(typeText);
    if (!applicantType) {
      rd.problem(
        `申请人类型“${typeText}”无法识别，应为自然人、商业企业、科研机构、社会公益组织、法律服务机构或其他。`,
        `The applicant type "${typeText}" is not understood; it must be one of 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他.`,
        'applicantType',
      );
    }
  } else if (name !== '') {
    applicantType = typeFromName(name);
    if (applicantType) {
      rd.warn(
        `申请人类型未填写，按申请人名称推定为“${APPLICANT_TYPE_ZH[applicantType]}”，请核对。`,
        `The applicant type is not given; taken as ${APPLICANT_TYPE_EN[applicantType]} from the applicant's name — please check.`,
        'applicantType',
      );
    } else {
      rd.problem(
        '申请人类型未填写，也无法从申请人名称推定；请填写（表二按申请人类型统计）。',
        'The applicant type is not given and cannot be told from the name; fill it in (表二 counts by it).',
        'applicantType',
      );
    }
  }
  const missing: [string, string][] = [];
  const identityType = rd.opt('identityType');
  const identityNumber = rd.opt('identityNumber');
  if (identityType === '' || identityNumber === '') missing.push(['身份证明', 'identity document']);
  const phone = rd.opt('phone');
  const address = rd.opt('address');
  const email = rd.opt('email');
  if (!phone && !address && !email) missing.push(['联系方式', 'contact']);
  const form = rd.opt('deliveryForm');
  const dchannel = rd.opt('deliveryChannel');
  if (!form || !dchannel) missing.push(['获取信息的形式和途径', 'form and channel of delivery']);
  if (missing.length > 0) {
    rd.warn(
      `台账未记录第二十九条要求的${missing.map((m) => m[0]).join('、')}，已填“${NOT_RECORDED}”，请补录。`,
      `The sheet does not record the ${missing.map((m) => m[1]).join(', ')} required by Article 29; filled with "${NOT_RECORDED}" — please complete.`,
    );
  }
  // receipt (第三十一条)
  const channelText = rd.opt('receiptChannel');
  let channel: Channel | null = 'inPerson';
  if (channelText === '') {
    rd.warn(
      '收件渠道未记录，按当面提交登记（收到申请之日即收件日期）。',
      'The receipt channel is not recorded; registered as submitted in person (received on the day it arrived).',
      'receiptChannel',
    );
  } else {
    channel = parseChannel(channelText);
    if (!channel) {
      rd.problem(
        `收件渠道“${channelText}”无法识别，应为当面提交、邮寄、平信、互联网或传真。`,
        `The receipt channel "${channelText}" is not understood (当面提交, 邮寄, 平信, 互联网 or 传真).`,
        'receiptChannel',
      );
    }
  }
  const arrived = rd.date('arrivedOn');
  const confirmed = rd.date('confirmedOn');
  const received = rd.date('receivedOn');
  const arrivedOn = arrived ?? received;
  if (!arrivedOn && !rd.problems.some((p) => p.column === rd.col('arrivedOn') || p.column === rd.col('receivedOn'))) {
    rd.problem(
      '没有收件日期（收到申请的日期），无法计算期限。',
      'There is no date of receipt, so no deadline can be computed.',
      'arrivedOn',
    );
  }
  let confirmedOn: string | undefined;
  if (channel && arrivedOn) {
    if ((CONFIRMED_CHANNELS as readonly Channel[]).includes(channel)) {
      confirmedOn = confirmed ?? received ?? arrivedOn;
      if (!confirmed && !received) {
        rd.warn(
          `以${CHANNEL_LABELS[channel]}方式提交的申请以双方确认之日为收到申请之日，台账未记录确认日期，按收件日期 ${arrivedOn} 计。`,
          `A ${channel} application is received on the day of confirmation, which the sheet does not record; taken as the arrival date ${arrivedOn}.`,
          'confirmedOn',
        );
      }
    } else {
      if (confirmed && confirmed !== arrivedOn) confirmedOn = confirmed;
      if (received && arrived && received !== arrived) {
        rd.warn(
          `收到申请日期 ${received} 与收件日期 ${arrived} 不同；${CHANNEL_LABELS[channel]}的申请以收件日期为收到申请之日。`,
          `The date of receipt ${received} differs from the arrival date ${arrived}; a ${channel} application is received on the day it arrived.`,
          'receivedOn',
        );
      }
    }
  }
  const given = rd.text('registeredBy');
  const registeredBy = given || defaults.user;
  if (name === '' || description === '' || !applicantType || !channel || !arrivedOn) return { input: null, registeredByDefaulted: !given };
  const contact: NewCase['applicant']['contact'] = {};
  if (phone) contact.phone = phone;
  if (address) contact.address = address;
  if (email) contact.email = email;
  if (!phone && !address && !email) contact.address = NOT_RECORDED;
  const documentNumber = rd.opt('documentNumber');
  const input: Omit<NewCase, 'id'> = {
    applicant: {
      name,
      identity: { type: identityType || NOT_RECORDED, number: identityNumber || NOT_RECORDED },
      contact,
    },
    applicantType,
    request: documentNumber ? { description, documentNumber } : { description },
    delivery: { form: form || NOT_RECORDED, channel: dchannel || NOT_RECORDED },
    receipt: confirmedOn ? { channel, arrivedOn, confirmedOn } : { channel, arrivedOn },
    registeredBy,
  };
  return { input, registeredByDefaulted: !given };
}

const EVENT_ORDER: Record<EventType, number> = {
  correctionNotice: 0,
  correctionReceived: 1,
  correctionExpired: 2,
  consultationStarted: 3,
  consultationEnded: 4,
  extension: 5,
  feeNotice: 6,
  feePaid: 7,
  feeExpired: 8,
  withdrawal: 9,
  reply: 10,
  proceedingFiled: 11,
  proceedingDecided: 12,
};

const CONSULT_FORM = /^(第三方|其他机关)[：:](.+)（(\d{4}-\d{2}-\d{2}) 起(?:，(\d{4}-\d{2}-\d{2}) 结束)?(?:，(同意|反对|未答复))?）$/;
const PROCEEDING_FORM =
  /^(行政复议|行政诉讼（直接起诉）|行政诉讼（复议后起诉）) (.+)[：:](\d{4}-\d{2}-\d{2}) 立案(?:，(\d{4}-\d{2}-\d{2}) (结果维持|结果纠正|其他结果))?$/;

/** the events a row's summary columns say (an office sheet, or our cases sheet without its events sheet) */
function eventsOfRow(rd: RowReader, by: string, receivedOn: string): CaseEvent[] {
  const out: CaseEvent[] = [];
  const outcomeText = rd.opt('outcome');
  const word = outcomeText ? parseOutcome(outcomeText) : null;
  if (outcomeText && !word) {
    rd.problem(
      `办理结果“${outcomeText}”无法识别；请写表二的结果名称（如“予以公开”“部分公开”“不予公开·保护第三方合法权益”“无法提供·本机关不掌握相关政府信息”）。`,
      `The outcome "${outcomeText}" is not understood; use an outcome of 表二 (e.g. 予以公开, 部分公开, 不予公开·保护第三方合法权益).`,
      'outcome',
    );
  }
  const replyOn = rd.date('replyOn');
  const withdrawnOn = rd.date('withdrawnOn');
  const closeOn = word?.kind === 'withdrawal' ? (withdrawnOn ?? replyOn) : replyOn;
  // 补正
  const cn = rd.date('correctionNoticeOn');
  let cd = rd.date('correctionDeadline');
  const cr = rd.date('correctionReceivedOn');
  const items = rd.opt('correctionItems');
  if (cn) {
    if (!cd) {
      cd = cr && cr > addDays(cn, 15) ? cr : addDays(cn, 15);
      if (word?.kind === 'correctionExpired' && closeOn && closeOn <= cd) cd = addDays(closeOn, -1);
      rd.warn(`补正期限未记录，按 ${cd} 计。`, `The correction deadline is not recorded; taken as ${cd}.`, 'correctionDeadline');
    }
    out.push({ type: 'correctionNotice', on: cn, by, deadline: cd, ...(items ? { items } : {}) });
    if (cr) out.push({ type: 'correctionReceived', on: cr, by });
  } else if (cr || rd.opt('correctionDeadline') || items) {
    rd.problem(
      '有补正期限、补正内容或收到补正日期，但没有补正告知日期。',
      'A correction deadline, items or receipt is given without the date of the correction notice.',
      'correctionNoticeOn',
    );
  }
  // 征求意见
  const consultText = rd.opt('consultation');
  const consultOn = rd.date('consultationOn');
  const consultEnd = rd.date('consultationEndedOn');
  const lines = consultText.split(/\n+/).map((l) => l.trim());
  if (consultText && lines.every((l) => CONSULT_FORM.test(l))) {
    for (const l of lines) {
      const m = CONSULT_FORM.exec(l)!;
      out.push({ type: 'consultationStarted', on: m[3], by, party: m[1] === '第三方' ? 'thirdParty' : 'agency', consulted: m[2] });
      if (m[4]) {
        const result = m[5] === '同意' ? 'agreed' : m[5] === '反对' ? 'objected' : m[5] === '未答复' ? 'noReply' : undefined;
        out.push({ type: 'consultationEnded', on: m[4], by, ...(result ? { result } : {}) });
      }
    }
  } else {
    const yes = consultText ? parseYesNo(consultText) : consultOn ? true : null;
    if (yes !== false && (consultText || consultOn)) {
      const consulted = yes === true || consultText === '' ? NOT_RECORDED : consultText;
      if (consulted === NOT_RECORDED) rd.warn('征求意见对象未记录。', 'Whom was consulted is not recorded.', 'consultation');
      if (!consultOn) {
        rd.problem('有征求意见但没有征求意见的日期。', 'A consultation is given without its date.', 'consultationOn');
      } else {
        out.push({ type: 'consultationStarted', on: consultOn, by, party: guessParty(consulted), consulted });
        const end = consultEnd ?? (closeOn && closeOn >= consultOn ? closeOn : undefined);
        if (end) {
          if (!consultEnd) {
            rd.warn(
              `征求意见结束日期未记录，按办结日期 ${end} 计。`,
              `The end of the consultation is not recorded; taken as ${end}.`,
              'consultationEndedOn',
            );
          }
          out.push({ type: 'consultationEnded', on: end, by });
        }
      }
    }
  }
  // 延期
  const extText = rd.opt('extension');
  if (extText) {
    const yes = parseYesNo(extText);
    let days = yes === null ? rd.int('extension') : undefined;
    if (yes === true) days = 20;
    if (yes === false) days = undefined;
    else if (days === undefined) {
      rd.problem(
        `延期“${extText}”无法识别（应为是/否或延长的工作日数）。`,
        `The extension "${extText}" is not understood (yes/no or working days).`,
        'extension',
      );
    }
    if (days !== undefined && days > 0) {
      if (yes === true)
        rd.warn('延期天数未记录，按 20 个工作日计。', 'The extension days are not recorded; taken as 20 working days.', 'extension');
      let on = rd.date('extensionOn');
      if (!on) {
        on = closeOn;
        if (on)
          rd.warn(`延期日期未记录，按办结日期 ${on} 计。`, `The date of the extension is not recorded; taken as ${on}.`, 'extensionOn');
        else rd.problem('有延期但没有延期日期。', 'An extension is given without its date.', 'extensionOn');
      }
      if (on) {
        out.push({ type: 'extension', on, by, days, approver: NOT_RECORDED, applicantNotified: true });
        rd.warn(
          '延期的批准人未记录，已填“台账未记录”，并视为已告知申请人。',
          'The approver of the extension is not recorded; filled in, and the applicant taken as notified.',
          'extension',
        );
      }
    }
  }
  // 收费
  const amountText = rd.opt('feeAmount');
  const amount = amountText ? Number(amountText.normalize('NFKC').replace(/[元,，\s]/g, '')) : 0;
  const feeOn = rd.date('feeNoticeOn');
  const paidOn = rd.date('feePaidOn');
  if (amountText && !Number.isFinite(amount)) {
    rd.problem(`收费金额“${amountText}”不是数字。`, `The fee "${amountText}" is not a number.`, 'feeAmount');
  } else if (amount > 0) {
    const pages = pagesFor(amount);
    if (!feeOn) {
      rd.warn(
        '有收费金额但没有收费通知日期，收费未导入。',
        'A fee is given without the date of its notice; the fee is not imported.',
        'feeAmount',
      );
    } else if (pages === null) {
      rd.warn(
        `收费金额 ${amount} 元与按量计收的标准不符，收费未导入。`,
        `The fee of ${amount} yuan does not match the per-page rates; the fee is not imported.`,
        'feeAmount',
      );
    } else {
      out.push({ type: 'feeNotice', on: feeOn, by, fee: { method: 'perPage', pages } });
      rd.warn(
        `收费方式未记录，按按量计收 ${pages} 页（${amount} 元）登记。`,
        `The fee method is not recorded; registered as per page, ${pages} pages (${amount} yuan).`,
        'feeAmount',
      );
      if (paidOn) out.push({ type: 'feePaid', on: paidOn, by });
    }
  }
  // the conclusion
  const reasons = rd.opt('reasons');
  if (word && word.kind !== 'open') {
    if (!closeOn) {
      rd.problem(
        `有办理结果“${outcomeText}”但没有${word.kind === 'withdrawal' ? '撤回或办结' : '答复'}日期。`,
        `The outcome "${outcomeText}" is given without its date.`,
        word.kind === 'withdrawal' ? 'withdrawnOn' : 'replyOn',
      );
    } else if (word.kind === 'reply') {
      out.push({ type: 'reply', on: closeOn, by, outcome: word.outcome as ReplyOutcome, ...(reasons ? { reasons } : {}) });
    } else if (word.kind === 'withdrawal') out.push({ type: 'withdrawal', on: closeOn, by, ...(reasons ? { reason: reasons } : {}) });
    else if (word.kind === 'correctionExpired') out.push({ type: 'correctionExpired', on: closeOn, by });
    else out.push({ type: 'feeExpired', on: closeOn, by });
  } else if (replyOn && !outcomeText) {
    rd.problem('有答复日期但没有办理结果。', 'A reply date is given without the outcome.', 'outcome');
  } else if (withdrawnOn && !word) {
    out.push({ type: 'withdrawal', on: withdrawnOn, by });
  }
  // 复议诉讼
  const conclusion = out.find((e) => ['reply', 'withdrawal', 'correctionExpired', 'feeExpired'].includes(e.type))?.on;
  proceedingsOfRow(rd, by, conclusion ?? receivedOn, out);
  // 备注 goes with the conclusion (or the last event)
  const note = rd.opt('note');
  if (note) {
    const target = out.find((e) => ['reply', 'withdrawal', 'correctionExpired', 'feeExpired'].includes(e.type)) ?? out[out.length - 1];
    if (target) target.note = note;
    else rd.warn('备注未导入：申请尚无可附的事件。', 'The note is not imported: the case has no event to carry it.', 'note');
  }
  return out
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.on < b.e.on ? -1 : a.e.on > b.e.on ? 1 : EVENT_ORDER[a.e.type] - EVENT_ORDER[b.e.type] || a.i - b.i))
    .map((x) => x.e);
}

/** pages of a 按量 fee of `amount` yuan, or null when no page count gives it */
function pagesFor(amount: number): number | null {
  if (!Number.isInteger(amount) || amount <= 0) return null;
  let pages: number;
  if (amount <= 700) pages = 30 + amount / 10;
  else if (amount <= 2700) pages = 100 + (amount - 700) / 20;
  else pages = 200 + (amount - 2700) / 40;
  if (!Number.isInteger(pages)) return null;
  return computeFee({ method: 'perPage', pages }).amount === amount ? pages : null;
}

function proceedingsOfRow(rd: RowReader, by: string, on: string, out: CaseEvent[]): void {
  const reviewText = rd.opt('review');
  const lines = reviewText.split(/\n+/).map((l) => l.trim());
  if (reviewText && lines.every((l) => PROCEEDING_FORM.test(l))) {
    for (const l of lines) {
      const m = PROCEEDING_FORM.exec(l)!;
      const kind = (Object.entries(KIND_ZH).find(([, v]) => v === m[1])?.[0] ?? 'review') as ProceedingKind;
      out.push({ type: 'proceedingFiled', on: m[3], by, id: m[2], kind });
      if (m[4]) {
        const result = (Object.entries(RESULT_ZH).find(([, v]) => v === m[5])?.[0] ?? 'other') as ProceedingResult;
        out.push({ type: 'proceedingDecided', on: m[4], by, id: m[2], result });
      }
    }
    return;
  }
  const one = (key: 'review' | 'litigation', resultKey: 'reviewResult' | 'litigationResult', kind: ProceedingKind, id: string) => {
    const text = rd.opt(key);
    const resultText = rd.opt(resultKey);
    if (!text && !resultText) return false;
    const yes = text ? parseYesNo(text) : null;
    const fromText = text && yes === null ? parseProceedingResult(text) : null;
    if (text && yes === null && fromText === null) {
      rd.problem(`“${text}”无法识别（应为是/否或复议诉讼的结果）。`, `"${text}" is not understood (yes/no or a result).`, key);
      return false;
    }
    if (yes === false) return false;
    const resultWord = resultText ? parseProceedingResult(resultText) : fromText;
    if (resultText && resultWord === null) {
      rd.problem(`结果“${resultText}”无法识别（维持、纠正、其他或审理中）。`, `The result "${resultText}" is not understood.`, resultKey);
      return false;
    }
    out.push({ type: 'proceedingFiled', on, by, id, kind });
    if (resultWord && resultWord !== 'pending') out.push({ type: 'proceedingDecided', on, by, id, result: resultWord });
    rd.warn(
      `${id}的立案、审结日期未记录，按 ${on} 计；统计年度以立案日期为准，请核对。`,
      `The filing and decision dates of the ${kind === 'review' ? 'review' : 'lawsuit'} are not recorded; taken as ${on} — please check (the statistics count by the filing date).`,
      key,
    );
    return true;
  };
  const reviewed = one('review', 'reviewResult', 'review', '行政复议');
  one('litigation', 'litigationResult', reviewed ? 'litigationAfterReview' : 'litigationDirect', '行政诉讼');
}

// ---------------------------------------------------------------------------
// The events sheet (our export)
// ---------------------------------------------------------------------------

interface EventDraft {
  row: number;
  seq: number;
  event: CaseEvent | null;
  problems: LedgerMessage[];
  byDefaulted: boolean;
}

const EVENT_HEADER_KEYS = new Map<string, EventColumn>(EVENT_COLUMNS.map((h) => [hkey(h), h]));

/** the events sheet's columns by name, or null when the grid is not one (编号, 日期, 事件 required) */
function eventsHeader(grid: SheetGrid): { at: number; cols: Map<EventColumn, number> } | null {
  for (let i = 0; i < Math.min(HEADER_SEARCH, grid.rows.length); i++) {
    const cols = new Map<EventColumn, number>();
    grid.rows[i].cells.forEach((c, idx) => {
      const h = EVENT_HEADER_KEYS.get(hkey(c.text));
      if (h && !cols.has(h)) cols.set(h, idx);
    });
    if (cols.has('编号') && cols.has('日期') && cols.has('事件')) return { at: i, cols };
  }
  return null;
}

function eventsFromGrid(
  grid: SheetGrid,
  header: { at: number; cols: Map<EventColumn, number> },
  date1904: boolean,
): Map<string, EventDraft[]> {
  const out = new Map<string, EventDraft[]>();
  for (const r of grid.rows.slice(header.at + 1)) {
    const get = (h: EventColumn): SheetCell | undefined => {
      const i = header.cols.get(h);
      return i === undefined ? undefined : r.cells[i];
    };
    const text = (h: EventColumn) => get(h)?.text ?? '';
    const caseId = text('编号');
    if (caseId === '' || SKIP_ROW.test(caseId)) continue;
    const problems: LedgerMessage[] = [];
    const where = `事件表第 ${r.row} 行`;
    const whereEn = `events sheet row ${r.row}`;
    const bad = (h: EventColumn, zh: string, en: string) => problems.push(msg(`${where}：${zh}`, `${whereEn}: ${en}`, h));
    const date = (h: EventColumn): string | undefined => {
      const d = parseDateCell(get(h), date1904);
      if (d === null) return undefined;
      if ('date' in d) return d.date;
      bad(h, `“${h}”的“${text(h)}”不是可识别的日期。`, `"${text(h)}" in "${h}" is not a date that can be read.`);
      return undefined;
    };
    const int = (h: EventColumn): number | undefined => {
      const c = get(h);
      if (!c || c.text === '') return undefined;
      const n = c.num ?? Number(c.text.normalize('NFKC'));
      if (!Number.isInteger(n)) {
        bad(h, `“${h}”的“${c.text}”不是整数。`, `"${c.text}" in "${h}" is not a whole number.`);
        return undefined;
      }
      return n;
    };
    const opt = (h: EventColumn) => text(h) || undefined;
    const typeText = text('事件');
    const type = EVENT_BY_ZH.get(wkey(typeText));
    const seqCell = get('序号');
    const seq = seqCell?.num ?? (Number(seqCell?.text) || 0);
    const on = date('日期');
    const by = text('登记人');
    let event: CaseEvent | null = null;
    if (!type) bad('事件', `事件“${typeText}”无法识别。`, `The event "${typeText}" is not understood.`);
    else if (!on && !problems.length) bad('日期', '没有日期。', 'there is no date.');
    else if (on) {
      const base = { on, by, ...(opt('备注') ? { note: text('备注') } : {}) };
      switch (type) {
        case 'correctionNotice': {
          const deadline = date('补正期限');
          if (!deadline) bad('补正期限', '补正告知没有补正期限。', 'the correction notice has no deadline.');
          else event = { type, ...base, deadline, ...(opt('补正内容') ? { items: text('补正内容') } : {}) };
          break;
        }
        case 'correctionReceived':
          event = { type, ...base, ...(opt('正当理由') ? { goodReason: text('正当理由') } : {}) };
          break;
        case 'consultationStarted': {
          const party = parsePartyKind(text('征求对象类型'));
          if (!party)
            bad(
              '征求对象类型',
              `征求对象类型“${text('征求对象类型')}”应为第三方或其他机关。`,
              'the consulted party must be 第三方 or 其他机关.',
            );
          else event = { type, ...base, party, consulted: text('征求对象') };
          break;
        }
        case 'consultationEnded': {
          const r0 = wkey(text('征求结果'));
          const result = r0 === '同意' ? 'agreed' : r0 === '反对' || r0 === '不同意' ? 'objected' : r0 === '未答复' ? 'noReply' : undefined;
          if (r0 && !result)
            bad('征求结果', `征求结果“${text('征求结果')}”应为同意、反对或未答复。`, 'the result must be 同意, 反对 or 未答复.');
          else event = { type, ...base, ...(result ? { result } : {}) };
          break;
        }
        case 'extension': {
          const days = int('延期工作日');
          const notified = parseYesNo(text('已告知申请人'));
          if (days === undefined) bad('延期工作日', '延期没有工作日数。', 'the extension has no number of days.');
          else {
            event = {
              type,
              ...base,
              days,
              approver: text('批准人'),
              applicantNotified: notified === true,
              ...(opt('延期理由') ? { reason: text('延期理由') } : {}),
            };
          }
          break;
        }
        case 'feeNotice': {
          const method = wkey(text('收费方式'));
          if (method === '按量' || method === 'perpage') {
            const pages = int('页数');
            if (pages === undefined) bad('页数', '按量收费没有页数。', 'a per-page fee has no page count.');
            else event = { type, ...base, fee: { method: 'perPage', pages } };
          } else if (method === '按件' || method === 'perapplication') {
            const prior = int('本月已申请件数');
            const units = int('计费件数');
            if (prior === undefined) bad('本月已申请件数', '按件收费没有本月已申请件数。', 'a per-application fee has no prior count.');
            else
              event = {
                type,
                ...base,
                fee: { method: 'perApplication', priorThisMonth: prior, ...(units !== undefined ? { units } : {}) },
              };
          } else bad('收费方式', `收费方式“${text('收费方式')}”应为按件或按量。`, 'the fee method must be 按件 or 按量.');
          break;
        }
        case 'reply': {
          const w = parseOutcome(text('答复结果'));
          if (w?.kind !== 'reply')
            bad('答复结果', `答复结果“${text('答复结果')}”无法识别。`, `the outcome "${text('答复结果')}" is not understood.`);
          else event = { type, ...base, outcome: w.outcome as ReplyOutcome, ...(opt('答复理由') ? { reasons: text('答复理由') } : {}) };
          break;
        }
        case 'withdrawal':
          event = { type, ...base, ...(opt('撤回理由') ? { reason: text('撤回理由') } : {}) };
          break;
        case 'proceedingFiled': {
          const k = Object.entries(KIND_ZH).find(([, v]) => wkey(v) === wkey(text('复议诉讼类型')))?.[0] as ProceedingKind | undefined;
          if (!k) bad('复议诉讼类型', `复议诉讼类型“${text('复议诉讼类型')}”无法识别。`, 'the kind of proceeding is not understood.');
          else event = { type, ...base, id: text('复议诉讼编号'), kind: k };
          break;
        }
        case 'proceedingDecided': {
          const res = Object.entries(RESULT_ZH).find(([, v]) => wkey(v) === wkey(text('复议诉讼结果')))?.[0] as
            | ProceedingResult
            | undefined;
          const result = res ?? (parseProceedingResult(text('复议诉讼结果')) as ProceedingResult | 'pending' | null);
          if (!result || result === 'pending')
            bad('复议诉讼结果', `复议诉讼结果“${text('复议诉讼结果')}”无法识别。`, 'the result is not understood.');
          else event = { type, ...base, id: text('复议诉讼编号'), result, ...(opt('决定') ? { decision: text('决定') } : {}) };
          break;
        }
        default:
          event = { type, ...base } as CaseEvent;
      }
    }
    if (event) {
      const atCell = get('作废时间');
      const at = atCell?.date && !atCell.text.includes('T') ? `${atCell.date}T00:00:00.000Z` : (atCell?.text ?? '');
      if (at || text('作废人') || text('作废原因')) event.voided = { at, by: text('作废人'), reason: text('作废原因') };
    }
    const list = out.get(caseId) ?? [];
    list.push({ row: r.row, seq, event, problems, byDefaulted: by === '' });
    out.set(caseId, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.seq - b.seq || a.row - b.row);
  return out;
}

// ---------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** a row's case replayed through the domain (voided events kept, not applied), its problems, and the timing notes as warnings */
export function replayLedgerRow(
  input: NewCase,
  events: readonly CaseEvent[],
  calendar: WorkingCalendar,
  today: string,
): { case: Case | null; problems: LedgerMessage[]; warnings: LedgerMessage[] } {
  const warnings: LedgerMessage[] = [];
  let c: Case;
  try {
    c = createCase(input, { today });
    calendar.dayInfo(c.receivedOn);
  } catch (e) {
    if (e instanceof TransitionError || e instanceof CalendarError) return { case: null, problems: [msg(e.zh, e.en)], warnings };
    throw e;
  }
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.voided) {
      c = { ...c, events: [...c.events, e] };
      continue;
    }
    try {
      c = applyEvent(c, e, { calendar, today, recorded: true });
    } catch (err) {
      if (!(err instanceof NianbaoError)) throw err;
      const what = EVENT_ZH[e.type] ?? e.type;
      return {
        case: null,
        problems: [
          msg(`第 ${i + 1} 个事件“${what}”（${e.on}）被拒绝：${err.zh}`, `Event ${i + 1} (${e.type}, ${e.on}) is refused: ${err.en}`),
        ],
        warnings,
      };
    }
  }
  for (const w of c.state.warnings ?? []) {
    warnings.push(
      msg(
        `第 ${w.seq} 个事件“${EVENT_ZH[w.type]}”（${w.on}）：${w.zh}（已按记录导入）`,
        `Event ${w.seq} (${w.type}, ${w.on}): ${w.en} (imported as recorded)`,
      ),
    );
  }
  return { case: c, problems: [], warnings };
}

function derivedId(input: Omit<NewCase, 'id'>, events: readonly CaseEvent[]): string {
  const h = createHash('sha256')
    .update(comparable({ ...input, id: '' }, events, { registeredBy: true, eventBy: true }))
    .digest('hex')
    .slice(0, 8);
  return `${input.receipt.arrivedOn.slice(0, 4)}-导入-${h}`;
}

/** the plan for a grid with its header and mapping (the rows → cases; nothing is compared with the register here) */
export function planGrid(
  grid: SheetGrid,
  header: HeaderInfo,
  mapping: LedgerMapping,
  events: Map<string, EventDraft[]> | null,
  opts: { today: string; user: string; calendar: WorkingCalendar },
): { rows: LedgerRow[]; skipped: number; fileWarnings: LedgerMessage[] } {
  const ctx: Ctx = { headers: header.headers, mapping, date1904: grid.date1904 === true, user: opts.user };
  const data = grid.rows.slice(header.dataFrom);
  const rows: LedgerRow[] = [];
  const lastHeader = header.rows[header.rows.length - 1];
  let lastRow = lastHeader;
  const fileWarnings: LedgerMessage[] = [];
  for (const r of data) {
    lastRow = r.row;
    const first = r.cells.find((c) => c.text !== '')?.text ?? '';
    if (SKIP_ROW.test(first.normalize('NFKC'))) continue;
    // a notes row written across the sheet (one value in a wide merge) that maps to nothing
    if (new Set(r.cells.map((c) => c.text).filter((t) => t !== '')).size === 1 && r.cells.filter((c) => c.text !== '').length >= 3)
      continue;
    const rd = new RowReader(ctx, r);
    const givenId = rd.text('id');
    const app = applicationOf(rd, { user: opts.user });
    let evs: CaseEvent[] = [];
    let eventByDefaulted = app.registeredByDefaulted;
    if (events) {
      if (!givenId) {
        rd.problem(
          '有事件表时，每行须有编号，以便对应事件。',
          'With an events sheet every row needs its case number to find its events.',
          'id',
        );
      } else {
        const drafts = events.get(givenId) ?? [];
        events.delete(givenId);
        eventByDefaulted = false;
        for (const d of drafts) {
          rd.problems.push(...d.problems);
          if (d.event) {
            if (d.byDefaulted && app.input) {
              d.event.by = app.input.registeredBy;
              eventByDefaulted ||= app.registeredByDefaulted;
            }
            evs.push(d.event);
          }
        }
      }
    } else if (app.input) {
      evs = eventsOfRow(rd, app.input.registeredBy, app.input.receipt.confirmedOn ?? app.input.receipt.arrivedOn);
    }
    let caseId = givenId;
    if (!caseId && app.input && rd.problems.length === 0) caseId = derivedId(app.input, evs);
    rows.push({
      row: r.row,
      caseId,
      status: 'new',
      problems: rd.problems,
      warnings: rd.warnings,
      input: app.input && caseId ? ({ id: caseId, ...app.input } as NewCase) : null,
      events: evs,
      case: null,
      defaulted: { registeredBy: app.registeredByDefaulted, eventBy: eventByDefaulted },
    });
  }
  if (events && events.size > 0) {
    const ids = [...events.keys()];
    fileWarnings.push(
      msg(
        `事件表中有 ${ids.length} 个编号在申请表中没有，其事件未导入：${ids.slice(0, 10).join('、')}${ids.length > 10 ? '等' : ''}。`,
        `${ids.length} case numbers of the events sheet are not in the cases sheet; their events are not imported: ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? '…' : ''}.`,
      ),
    );
  }
  // the same number twice in the file: none of those rows is imported
  const byId = new Map<string, LedgerRow[]>();
  for (const r of rows) if (r.caseId) byId.set(r.caseId, [...(byId.get(r.caseId) ?? []), r]);
  for (const [id, list] of byId) {
    if (list.length < 2) continue;
    for (const r of list) {
      const others = list.filter((x) => x !== r).map((x) => x.row);
      r.problems.push(
        msg(
          `编号“${id}”在文件中重复（另见第 ${others.join('、')} 行），这些行都未导入；请核对后改正。`,
          `The case number "${id}" appears more than once in the file (also row ${others.join(', ')}); none of these rows is imported.`,
          mapping.id === null ? undefined : header.headers[mapping.id],
        ),
      );
    }
  }
  for (const r of rows) {
    if (r.problems.length === 0 && r.input) {
      const replayed = replayLedgerRow(r.input, r.events, opts.calendar, opts.today);
      r.case = replayed.case;
      r.problems.push(...replayed.problems);
      r.warnings.push(...replayed.warnings);
    }
    if (r.problems.length > 0 || !r.case) {
      r.status = 'error';
      r.case = null;
    }
  }
  const skipped = lastRow - lastHeader - rows.length;
  return { rows, skipped: Math.max(0, skipped), fileWarnings };
}

function columnsOf(grid: SheetGrid, header: HeaderInfo): LedgerPlan['columns'] {
  const data = grid.rows.slice(header.dataFrom);
  let width = header.headers.length;
  for (const r of data) width = Math.max(width, r.cells.length);
  const out: LedgerPlan['columns'] = [];
  for (let i = 0; i < width; i++) {
    const samples: string[] = [];
    for (const r of data) {
      const t = cellDisplay(r.cells[i]);
      if (t !== '' && !samples.includes(t)) samples.push(t.length > 60 ? `${t.slice(0, 60)}…` : t);
      if (samples.length >= 3) break;
    }
    out.push({ index: i, header: header.headers[i] ?? '', samples });
  }
  return out;
}

function calendarOf(opts: LedgerReadOptions): WorkingCalendar {
  return opts.calendar ?? new WorkingCalendar(shippedHolidays(), { entered: opts.entered ?? [] });
}

/**
 * Reads a 台账 file into a plan: the sheet, its header, the mapping (`mapping` over the suggested
 * one, see {@link resolveMapping}), and every row as an application with its events, replayed
 * through the domain. Throws LedgerError for a file that cannot be imported at all.
 */
export async function readLedger(
  bytes: Uint8Array,
  fileName: string,
  mapping: MappingInput | null,
  opts: LedgerReadOptions,
): Promise<LedgerPlan> {
  if (opts.events && opts.events.bytes.length > LEDGER_LIMITS.bytes) {
    throw new LedgerError(
      'too-large',
      `${opts.events.name} 超过 ${mb(LEDGER_LIMITS.bytes)} 的上限，未读取。`,
      `${opts.events.name} exceeds the ${mb(LEDGER_LIMITS.bytes)} limit and was not read.`,
    );
  }
  const { kind, sheets } = await readSheets(bytes, fileName);
  let eventsGrid: SheetGrid | null = null;
  let eventsHead: ReturnType<typeof eventsHeader> = null;
  const candidates: SheetGrid[] = [];
  for (const s of sheets) {
    if (!eventsGrid && wkey(s.name) === wkey(EVENTS_SHEET)) {
      const h = eventsHeader(s);
      if (h) {
        eventsGrid = s;
        eventsHead = h;
        continue;
      }
    }
    if (s.rows.length > 0) candidates.push(s);
  }
  const grid = candidates.find((s) => detectHeader(s) !== null) ?? candidates[0];
  if (!grid) throw new LedgerError('unreadable', `${fileName} 中没有内容。`, `${fileName} has no content.`);
  const header = detectHeader(grid);
  if (!header) {
    const seen = grid.rows
      .slice(0, 3)
      .map((r) =>
        r.cells
          .map((c) => c.text)
          .filter(Boolean)
          .slice(0, 8)
          .join('、'),
      )
      .join(' / ');
    throw new LedgerError(
      'unreadable',
      `${fileName} 的前 ${HEADER_SEARCH} 行中找不到表头（至少两个可识别的列名，如“编号”“申请人”“申请内容”“收件日期”）。开头为：${seen || '（空）'}。`,
      `No header row in the first ${HEADER_SEARCH} rows of ${fileName} (at least two known column names such as 编号, 申请人, 申请内容, 收件日期).`,
    );
  }
  const dataRows = grid.rows.length - header.dataFrom;
  if (dataRows > LEDGER_LIMITS.rows) {
    throw new LedgerError(
      'too-large',
      `${fileName} 有 ${count(dataRows)} 行申请，超过 ${count(LEDGER_LIMITS.rows)} 行的上限，未导入；请分成几个文件导入。`,
      `${fileName} has ${count(dataRows)} case rows, more than the limit of ${count(LEDGER_LIMITS.rows)}; split it into several files.`,
    );
  }
  let eventsFile: LedgerPlan['eventsFile'] = null;
  if (opts.events) {
    const ev = await readSheets(opts.events.bytes, opts.events.name);
    const s = ev.sheets.find((x) => eventsHeader(x) !== null);
    if (!s) {
      throw new LedgerError(
        'unreadable',
        `${opts.events.name} 不是事件表：表头须有“编号”“日期”“事件”。`,
        `${opts.events.name} is not an events sheet: its header must have 编号, 日期 and 事件.`,
      );
    }
    eventsGrid = s;
    eventsHead = eventsHeader(s);
    eventsFile = { name: opts.events.name, sha256: sha256(opts.events.bytes) };
  }
  const mapped = resolveMapping(header.headers, mapping);
  const calendar = calendarOf(opts);
  const events = eventsGrid && eventsHead ? eventsFromGrid(eventsGrid, eventsHead, eventsGrid.date1904 === true) : null;
  const planned = planGrid(grid, header, mapped, events, { today: opts.today, user: opts.user, calendar });
  const fileWarnings = [...planned.fileWarnings];
  const required = LEDGER_FIELDS.filter(
    (f) => f.required && mapped[f.key] === null && !(f.key === 'arrivedOn' && mapped.receivedOn !== null),
  );
  if (required.length > 0) {
    fileWarnings.unshift(
      msg(
        `没有对应到列的必填字段：${required.map((f) => f.label).join('、')}。`,
        `Required fields without a column: ${required.map((f) => f.key).join(', ')}.`,
      ),
    );
  }
  return {
    fileName,
    sha256: sha256(bytes),
    kind,
    sheet: grid.name,
    eventsSheet: eventsGrid ? (eventsFile ? eventsFile.name : eventsGrid.name) : null,
    eventsFile,
    headerRows: header.rows,
    columns: columnsOf(grid, header),
    fields: LEDGER_FIELDS.map((f) => ({ key: f.key, label: f.label, required: f.required })),
    mapping: mapped,
    rows: planned.rows,
    skipped: planned.skipped,
    fileWarnings,
    today: opts.today,
    calendarRevision: calendar.revision,
  };
}

/** the counts of a plan (errors: rows in error or in conflict with the register) */
export function planSummary(plan: LedgerPlan): {
  rows: number;
  new: number;
  exists: number;
  errors: number;
  conflicts: number;
  skipped: number;
} {
  const n = (s: LedgerRowStatus) => plan.rows.filter((r) => r.status === s).length;
  return {
    rows: plan.rows.length,
    new: n('new'),
    exists: n('exists'),
    errors: n('error') + n('conflict'),
    conflicts: n('conflict'),
    skipped: plan.skipped,
  };
}

/** a worker's answer: the plan, or the LedgerError as data (errors lose their class across threads) */
export type LedgerJobResult = { ok: true; plan: LedgerPlan } | { ok: false; error: { code: LedgerErrorCode; zh: string; en: string } };

export async function readLedgerJob(
  bytes: Uint8Array,
  fileName: string,
  mapping: MappingInput | null,
  opts: LedgerReadOptions,
): Promise<LedgerJobResult> {
  try {
    return { ok: true, plan: await readLedger(bytes, fileName, mapping, opts) };
  } catch (e) {
    if (e instanceof LedgerError) return { ok: false, error: { code: e.code, zh: e.zh, en: e.en } };
    throw e;
  }
}

export function unwrapLedgerJob(r: LedgerJobResult): LedgerPlan {
  if (r.ok) return r.plan;
  throw new LedgerError(r.error.code, r.error.zh, r.error.en);
}

/** the bytes of an export: the XLSX workbook, or one sheet as CSV */
export async function writeLedger(book: LedgerWorkbook, format: 'xlsx' | 'csv', sheet: 'cases' | 'events' = 'cases'): Promise<Uint8Array> {
  if (format === 'csv') return writeLedgerCsv(sheet === 'events' ? book.events : book.cases);
  return writeLedgerXlsx(book);
}

/** what the API and `ledger-import --json` give of a plan: the rows without their cases */
export function planView(plan: LedgerPlan, imported: number | null) {
  return {
    fileName: plan.fileName,
    sha256: plan.sha256,
    sheet: plan.sheet,
    eventsSheet: plan.eventsSheet,
    headerRows: plan.headerRows,
    columns: plan.columns,
    fields: plan.fields,
    mapping: plan.mapping,
    rows: plan.rows.map((r) => ({ row: r.row, caseId: r.caseId, status: r.status, problems: r.problems, warnings: r.warnings })),
    summary: planSummary(plan),
    fileWarnings: plan.fileWarnings,
    imported,
  };
}
