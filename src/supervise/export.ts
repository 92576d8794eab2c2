/**
 * Supervision exports (issue 15): what a supervising office takes away from the reporting year.
 *
 * - `statusXlsx` / `statusCsv`: the filing status of every body (发布情况), one row each;
 * - `rankingXlsx`: the scores and the ranking (排名) and every deduction with its evidence (扣分明细),
 *   the evidence in Chinese: the place in the report by its Chinese name (never a JSON path), the
 *   checker rule by its Chinese title (never its id);
 * - `rollupXlsx`: the three tables added up over each body's region (汇总), and each body's own
 *   figures (本级), in the directory's tree order;
 * - `bulletinDocx`: a draft of the 通报 in official typography, to edit before it is sent.
 *
 * Spreadsheets are protected against formula injection like the report renderer's
 * (`src/render/xlsx.ts`): text that a spreadsheet could take for a formula gets the Text format and
 * the quotePrefix style, unchanged; in CSV (which has no styles) such a field is prefixed with an
 * apostrophe. Packages are deterministic: their dates are the export's date (`today`).
 *
 * The Word typography is the report renderer's (`src/render/docx.ts`: A4, the GB/T 9704 margins and
 * fonts are imported from it); its sizes, line spacing and indents are not exported there and are
 * mirrored here (二号 title, 三号 body, 29 pt exact lines, two-character indents), as is its font
 * table with fallbacks (word/fontTable.xml).
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeightRule,
  LineRuleType,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { RULES } from '../check/catalogue.js';
import { cellName } from '../check/cells.js';
import { SECTIONS } from '../model/format.js';
import type { FormatVersion } from '../model/report.js';
import { A4, CONTENT_WIDTH, FONTS, fontOf, fontTableXml, INDENT_2, LINE, MARGIN } from '../render/docx.js';
import { type DocDate, finishPackage, utcDate, xmlText } from '../render/ooxml.js';
import { looksLikeFormula, quotePrefixed } from '../render/xlsx.js';
import { type CellDef, cellDefs, cellLabel, type RegionTotals } from './rollup.js';
import type { RankedScore } from './rubric.js';
import type { YearStatusRow } from './service.js';
import { daysBetween, type StatusCounts } from './status.js';
import {
  BODY_KIND_ZH,
  type Body,
  type BodyScore,
  type BodyYearStatus,
  type CopiedPair,
  type Evidence,
  FILING_STATE_ZH,
  TIER_ZH,
  type Tier,
} from './types.js';

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

/** the filing state as shown: 未发布 past the deadline is 逾期未发布 */
export function stateLabel(s: Pick<BodyYearStatus, 'state' | 'overdue'>): string {
  return s.state === 'unpublished' && s.overdue ? '逾期未发布' : FILING_STATE_ZH[s.state];
}

/** days past the deadline: for a late report until its publication, for an unpublished one past the deadline until today */
export function daysOverdue(s: BodyYearStatus, today: string): number | null {
  if (s.state === 'late') return s.daysLate;
  if (s.state === 'unpublished' && s.overdue) return Math.max(0, daysBetween(s.deadline, today));
  return null;
}

const SECTION_HEADING = new Map<string, string>(SECTIONS.map((s) => [s.key, s.heading]));
const TABLE_ZH: Record<string, string> = { proactive: '主动公开', applications: '依申请公开', reviewLitigation: '行政复议、行政诉讼' };
/** something that reads like a key or a path, not like words */
const MACHINE = /^[\w.*[\]-]+$/;

/**
 * the Chinese place of a diagnostic's or an evidence's path (a cell, a row, a section, the
 * publication date), or '' when it has no name a person would know: a raw path is never returned
 */
export function placeOf(path: string | null | undefined): string {
  if (!path) return '';
  if (path === 'publishedOn') return '发布日期';
  const parts = path.split('.');
  if (parts[0] === 'sections') return SECTION_HEADING.get(parts[1] ?? '') ?? '报告正文';
  if (parts.length === 1) return SECTION_HEADING.get(parts[0]) ?? '';
  const table = TABLE_ZH[parts[0]];
  if (table) {
    if (parts.length === 3 && parts[1] !== '*') {
      const label = cellLabel(path);
      if (label !== path) return label;
    }
    if (parts[1] === '*' && parts[2]) {
      const col = [...cellDefs('2021'), ...cellDefs('2019')].find((d) => d.table === parts[0] && d.key.endsWith(`.${parts[2]}`));
      return col ? `${table} / 各行 / ${col.column}` : table;
    }
    const name = cellName(path);
    return name !== path && !MACHINE.test(name) ? `${table} / ${name}` : table;
  }
  const name = cellName(path);
  return name !== path && !MACHINE.test(name) ? name : '';
}

const RULE_TITLE = new Map(RULES.map((r) => [r.id, r.title]));
const RULE_ID = new RegExp(
  `(?<![A-Za-z0-9-])(${[...RULE_TITLE.keys()]
    .sort((a, b) => b.length - a.length)
    .map((id) => id.replace(/[-]/g, '\\-'))
    .join('|')})(?![A-Za-z0-9-])`,
  'g',
);

/** the checker rule's Chinese title (its id is never shown) */
export function ruleTitle(id: string): string {
  return RULE_TITLE.get(id) ?? '检查规则';
}

/** a text with every checker rule id in it replaced by the rule's Chinese title */
export function humanize(text: string): string {
  return text.replace(RULE_ID, (id) => `“${ruleTitle(id)}”`);
}

/** one evidence in words: the place, the finding, the quote, the other body, the rule */
export function evidenceText(e: Evidence, names: ReadonlyMap<number, string>): string {
  const place = placeOf(e.path);
  const parts: string[] = [];
  if (place) parts.push(`位置：${place}`);
  parts.push(humanize(e.message).replace(/[。；;]+$/, ''));
  if (e.quote) parts.push(`${e.otherBodyId !== undefined ? '本机关原文' : '原文'}：“${e.quote}”`);
  if (e.otherBodyId !== undefined) {
    const other = names.get(e.otherBodyId);
    if (other && !e.message.includes(other)) parts.push(`雷同机关：${other}`);
  }
  if (e.rule) parts.push(`检查规则：${ruleTitle(e.rule)}`);
  return parts.join('；');
}

/** the whole evidence of a deduction, one numbered line each */
export function evidenceLines(list: readonly Evidence[], names: ReadonlyMap<number, string>): string {
  if (list.length === 1) return evidenceText(list[0], names);
  return list.map((e, i) => `${i + 1}. ${evidenceText(e, names)}`).join('\n');
}

function tierKindLabel(tier: Tier, kind: Body['kind']): string {
  if (tier === 'national') return TIER_ZH.national;
  return `${TIER_ZH[tier]}${BODY_KIND_ZH[kind]}`;
}

/** the Chinese name of a ranking group (`tier:kind`, a parent's id, or '' for all) */
export function groupLabel(group: string, byId: ReadonlyMap<number, Body>): string {
  const m = /^(national|province|city|county|township):(government|department)$/.exec(group);
  if (m) return tierKindLabel(m[1] as Tier, m[2] as Body['kind']);
  if (/^\d+$/.test(group)) {
    const parent = byId.get(Number(group));
    return parent ? `${parent.name}所属单位` : '';
  }
  return '';
}

/** "2025-03-31" → "2025年3月31日" */
export function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

/** an ISO time as "YYYY-MM-DD HH:mm" in the time zone; other text as it is */
function localTime(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (!/T\d{2}:\d{2}/.test(iso) || Number.isNaN(t)) return iso;
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(t))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;
const num = (x: number) => String(Math.round(x * 100) / 100);

/** the date of a package from "YYYY-MM-DD" */
function docDate(iso: string | undefined, fallbackYear: number): DocDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  const d = m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : { y: fallbackYear + 1, m: 1, d: 1 };
  return d.y >= 1980 && d.y <= 2099 && d.m >= 1 && d.m <= 12 && d.d >= 1 && d.d <= 31 ? d : { y: 2000, m: 1, d: 1 };
}

// ---------------------------------------------------------------------------
// Spreadsheet helpers
// ---------------------------------------------------------------------------

/** characters per cell, below Excel's limit of 32767 */
const CELL_MAX = 32000;
const XFONT = { title: FONTS.title, header: '黑体', body: FONTS.table } as const;
const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF000000' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const TABLE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFC6D9F1' } };

type Value = string | number | null;

function clip(text: string): string {
  const t = xmlText(text);
  if (t.length <= CELL_MAX) return t;
  return `${Array.from(t).slice(0, CELL_MAX).join('')}……`;
}

/** puts a value into a cell: text that looks like a formula gets the Text format (and quotePrefix when the package is finished) */
function put(cell: ExcelJS.Cell, value: Value): void {
  if (typeof value === 'string') {
    const t = clip(value);
    cell.value = t;
    if (looksLikeFormula(t)) cell.numFmt = '@';
  } else cell.value = value;
}

function titleRow(ws: ExcelJS.Worksheet, row: number, text: string, columns: number, size = 16): void {
  const cell = ws.getCell(row, 1);
  put(cell, text);
  cell.font = { name: XFONT.title, size };
  cell.alignment = { horizontal: 'left', vertical: 'middle', wrapText: false };
  if (columns > 1) ws.mergeCells(row, 1, row, columns);
  ws.getRow(row).height = size * 1.6;
}

function noteRow(ws: ExcelJS.Worksheet, row: number, text: string, columns: number): void {
  const cell = ws.getCell(row, 1);
  put(cell, text);
  cell.font = { name: XFONT.body, size: 11 };
  cell.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
  if (columns > 1) ws.mergeCells(row, 1, row, columns);
  ws.getRow(row).height = 30;
}

function headerRow(ws: ExcelJS.Worksheet, row: number, headers: readonly string[], height = 28): void {
  headers.forEach((h, i) => {
    const cell = ws.getCell(row, i + 1);
    put(cell, h);
    cell.font = { name: XFONT.header, size: 10.5 };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
  });
  ws.getRow(row).height = height;
}

function dataRow(ws: ExcelJS.Worksheet, row: number, values: readonly Value[], wrap: readonly number[] = []): void {
  values.forEach((v, i) => {
    const cell = ws.getCell(row, i + 1);
    put(cell, v);
    cell.font = { name: XFONT.body, size: 10.5 };
    cell.border = BORDER;
    cell.alignment = { vertical: 'top', horizontal: typeof v === 'number' ? 'right' : 'left', wrapText: wrap.includes(i) };
  });
}

function printSetup(ws: ExcelJS.Worksheet, landscape: boolean, headerRows: number): void {
  ws.pageSetup = {
    paperSize: 9,
    orientation: landscape ? 'landscape' : 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
    printTitlesRow: `1:${headerRows}`,
  };
  ws.headerFooter = { oddFooter: '&C- &P -' };
}

function newWorkbook(title: string, date: DocDate): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'nianbao';
  wb.lastModifiedBy = 'nianbao';
  wb.created = utcDate(date);
  wb.modified = utcDate(date);
  wb.title = xmlText(title);
  wb.subject = '政府信息公开工作年度报告';
  return wb;
}

/** the workbook's bytes: formula-like text marked quotePrefix, the package dated */
async function finishWorkbook(wb: ExcelJS.Workbook, date: DocDate): Promise<Uint8Array> {
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  const STYLES = 'xl/styles.xml';
  const styles = unzipSync(bytes, { filter: (f) => f.name === STYLES })[STYLES];
  const text = styles ? strFromU8(styles) : '';
  const marked = quotePrefixed(text);
  return finishPackage(bytes, date, marked !== text ? { [STYLES]: marked } : {});
}

// ---------------------------------------------------------------------------
// 发布情况
// ---------------------------------------------------------------------------

export const STATUS_SHEET = '发布情况';
export const SUMMARY_SHEET = '汇总';
export const STATUS_COLUMNS = [
  '序号',
  '机关',
  '上级',
  '层级',
  '类型',
  '截止日期',
  '状态',
  '发布日期',
  '逾期天数',
  '版本数',
  '错误数',
  '警告数',
  '复核人',
  '复核时间',
] as const;
const STATUS_WIDTHS = [6, 36, 28, 12, 10, 12, 12, 12, 9, 8, 8, 8, 12, 17];

export interface StatusExportMeta {
  scopeName: string;
  year: number;
  /** "YYYY-MM-DD": the date the status is as of (days overdue of an unpublished report count until it) */
  today: string;
  /** the time zone review times are shown in (default Asia/Shanghai) */
  timeZone?: string;
}

function statusValues(r: YearStatusRow, i: number, meta: StatusExportMeta): Value[] {
  const s = r.status;
  return [
    i + 1,
    r.body.name,
    r.path.length > 0 ? r.path[r.path.length - 1] : '',
    TIER_ZH[r.body.tier] ?? '',
    BODY_KIND_ZH[r.body.kind] ?? '',
    s.deadline,
    stateLabel(s),
    s.publishedOn ?? '',
    daysOverdue(s, meta.today),
    s.versions,
    s.errors,
    s.warnings,
    s.reviewedBy ?? '',
    localTime(s.reviewedAt, meta.timeZone ?? 'Asia/Shanghai'),
  ];
}

/** the counts in one sentence */
export function countsSentence(c: StatusCounts): string {
  return (
    `应发布 ${c.bodies} 家，已发布 ${c.published + c.late} 家（按期发布 ${c.published} 家，逾期发布 ${c.late} 家），` +
    `未发布 ${c.unpublished} 家（其中已逾期 ${c.overdue} 家）；有错误 ${c.withErrors} 家，已复核 ${c.reviewed} 家。`
  );
}

function statusTitle(meta: StatusExportMeta): string {
  return `${meta.scopeName}${meta.year}年度政府信息公开工作年度报告发布情况`;
}

/** the filing status as a workbook: sheet 发布情况 (title, counts, one row per body) and sheet 汇总 (the counts) */
export async function statusXlsx(rows: YearStatusRow[], counts: StatusCounts, meta: StatusExportMeta): Promise<Uint8Array> {
  const date = docDate(meta.today, meta.year);
  const title = statusTitle(meta);
  const wb = newWorkbook(title, date);
  const ws = wb.addWorksheet(STATUS_SHEET, { views: [{ state: 'frozen', xSplit: 2, ySplit: 3, activeCell: 'C4' }] });
  const n = STATUS_COLUMNS.length;
  STATUS_WIDTHS.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  titleRow(ws, 1, `${title}（截至${chineseDate(meta.today)}）`, n);
  noteRow(ws, 2, `${countsSentence(counts)}逾期天数：逾期发布的计至发布日期，逾期未发布的计至统计日期。`, n);
  headerRow(ws, 3, STATUS_COLUMNS);
  rows.forEach((r, i) => {
    dataRow(ws, 4 + i, statusValues(r, i, meta));
    const state = ws.getCell(4 + i, 7);
    if (r.status.state !== 'published') state.font = { name: XFONT.body, size: 10.5, color: { argb: 'FFC00000' } };
  });
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3 + rows.length, column: n } };
  printSetup(ws, true, 3);

  const sum = wb.addWorksheet(SUMMARY_SHEET);
  sum.getColumn(1).width = 24;
  sum.getColumn(2).width = 12;
  titleRow(sum, 1, title, 2, 14);
  noteRow(sum, 2, `统计日期：${chineseDate(meta.today)}`, 2);
  headerRow(sum, 3, ['项目', '数量（家）']);
  const lines: [string, number][] = [
    ['应发布', counts.bodies],
    ['已发布（合计）', counts.published + counts.late],
    ['其中：按期发布', counts.published],
    ['其中：逾期发布', counts.late],
    ['未发布', counts.unpublished],
    ['其中：逾期未发布', counts.overdue],
    ['报告有错误', counts.withErrors],
    ['已复核', counts.reviewed],
  ];
  lines.forEach((l, i) => {
    dataRow(sum, 4 + i, l);
  });
  return finishWorkbook(wb, date);
}

/** a CSV field: quoted when needed; text a spreadsheet could take for a formula is prefixed with an apostrophe */
export function csvField(v: Value): string {
  if (v === null) return '';
  let t = typeof v === 'number' ? String(v) : xmlText(v);
  if (typeof v === 'string' && looksLikeFormula(t)) t = `'${t}`;
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** the filing status as CSV (UTF-8 with a BOM, CRLF lines): the columns of the 发布情况 sheet, a header and one row per body */
export function statusCsv(rows: YearStatusRow[], _counts: StatusCounts, meta: StatusExportMeta): Uint8Array {
  const lines = [STATUS_COLUMNS.map(csvField).join(','), ...rows.map((r, i) => statusValues(r, i, meta).map(csvField).join(','))];
  return strToU8(`\uFEFF${lines.join('\r\n')}\r\n`);
}

// ---------------------------------------------------------------------------
// 排名, 扣分明细
// ---------------------------------------------------------------------------

export const RANKING_SHEET = '排名';
export const DEDUCTIONS_SHEET = '扣分明细';
export const DEDUCTION_COLUMNS = ['机关', '评分项', '扣分', '原因', '依据', '是否存疑'] as const;

export interface RankingInput {
  ranking: RankedScore[];
  scores: BodyScore[];
  bodies: Body[];
}

export interface RankingExportMeta {
  scopeName: string;
  year: number;
  rubricName: string;
  /** "YYYY-MM-DD": the package's date (default 1 January after the year) */
  today?: string;
}

/** the rubric's items in order, from the scores (every score of a run has the same items) */
function rubricItems(scores: readonly BodyScore[]): { id: string; name: string; points: number }[] {
  const out = new Map<string, { id: string; name: string; points: number }>();
  for (const s of scores) for (const it of s.items) if (!out.has(it.id)) out.set(it.id, { id: it.id, name: it.name, points: it.points });
  return [...out.values()];
}

/** the ranked bodies with their scores, in the ranking's order */
function rankedRows(input: RankingInput): { rank: RankedScore; score: BodyScore; body: Body | undefined }[] {
  const scores = new Map(input.scores.map((s) => [s.bodyId, s]));
  const bodies = new Map(input.bodies.map((b) => [b.id, b]));
  const out: { rank: RankedScore; score: BodyScore; body: Body | undefined }[] = [];
  for (const r of input.ranking) {
    const score = scores.get(r.bodyId);
    if (score) out.push({ rank: r, score, body: bodies.get(r.bodyId) });
  }
  return out;
}

/** a deduction's reason without the bookkeeping the scorer appends (cap reached, lenient mode) */
function plainReason(reason: string): string {
  return humanize(reason.replace(/（本项最多扣 [\d.]+ 分，已扣满）$/, '').replace(/（涉及无法确定的内容，宽松模式下不扣分）$/, ''));
}

/** the scores as a workbook: sheet 排名 (rank, body, score, grade, veto items, points kept per item) and sheet 扣分明细 */
export async function rankingXlsx(input: RankingInput, meta: RankingExportMeta): Promise<Uint8Array> {
  const date = docDate(meta.today, meta.year);
  const title = `${meta.scopeName}${meta.year}年度政府信息公开工作年度报告评分结果`;
  const wb = newWorkbook(title, date);
  const byId = new Map(input.bodies.map((b) => [b.id, b]));
  const names = new Map(input.bodies.map((b) => [b.id, b.name]));
  const rows = rankedRows(input);
  const items = rubricItems(input.scores);
  const groups = new Set(input.ranking.map((r) => r.group));
  const grouped = groups.size > 1;

  const ws = wb.addWorksheet(RANKING_SHEET, { views: [{ state: 'frozen', xSplit: grouped ? 3 : 2, ySplit: 3 }] });
  const headers = ['名次', ...(grouped ? ['分组'] : []), '机关', '层级', '类型', '得分', '等次', '否决项', ...items.map((it) => it.name)];
  const widths = [
    6,
    ...(grouped ? [16] : []),
    36,
    12,
    10,
    8,
    8,
    20,
    ...items.map((it) => Math.max(10, Math.min(24, it.name.length * 2 + 2))),
  ];
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  titleRow(ws, 1, title, headers.length);
  const max = input.scores[0]?.max;
  noteRow(
    ws,
    2,
    `评分细则：${meta.rubricName}${max !== undefined ? `（满分 ${num(max)} 分）` : ''}。名次在${grouped ? '同一分组' : '全部机关'}内排列，` +
      '触发否决项的排在其后；各评分项一栏为该项得分。',
    headers.length,
  );
  headerRow(ws, 3, headers, 36);
  rows.forEach(({ rank, score, body }, i) => {
    const itemName = new Map(score.items.map((it) => [it.id, it.name]));
    const kept = new Map(score.items.map((it) => [it.id, it.kept]));
    dataRow(ws, 4 + i, [
      rank.rank,
      ...(grouped ? [groupLabel(rank.group, byId)] : []),
      body?.name ?? '',
      body ? (TIER_ZH[body.tier] ?? '') : '',
      body ? (BODY_KIND_ZH[body.kind] ?? '') : '',
      score.score,
      score.grade ?? '',
      score.failedBy.map((id) => itemName.get(id) ?? '').join('、') || (score.failed ? '是' : ''),
      ...items.map((it) => kept.get(it.id) ?? null),
    ]);
  });
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3 + rows.length, column: headers.length } };
  printSetup(ws, true, 3);

  const ds = wb.addWorksheet(DEDUCTIONS_SHEET, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  [30, 18, 7, 36, 80, 9].forEach((w, i) => {
    ds.getColumn(i + 1).width = w;
  });
  headerRow(ds, 1, DEDUCTION_COLUMNS);
  let r = 2;
  for (const { score, body } of rows) {
    for (const d of score.deductions) {
      const evidence = evidenceLines(d.evidence, names);
      dataRow(ds, r, [body?.name ?? '', d.itemName, d.points, plainReason(d.reason), evidence, d.uncertain ? '是' : '否'], [0, 1, 3, 4]);
      const lines = evidence.split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(l.length / 40)), 0);
      ds.getRow(r).height = Math.min(409, Math.max(18, 14 * lines + 4));
      r++;
    }
  }
  ds.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, r - 1), column: DEDUCTION_COLUMNS.length } };
  printSetup(ds, true, 1);
  return finishWorkbook(wb, date);
}

// ---------------------------------------------------------------------------
// 汇总 and 本级
// ---------------------------------------------------------------------------

export const ROLLUP_SHEET = '汇总';
export const OWN_SHEET = '本级';

export interface RollupExportMeta {
  scopeName: string;
  year: number;
  rootId: number;
  /** "YYYY-MM-DD": the package's date (default 1 January after the year) */
  today?: string;
}

/** the bodies under the root in tree order (depth-first, children in the list's order), each with its depth; bodies not reached follow at depth 0 */
export function treeOrder(bodies: readonly Body[], rootId: number): { body: Body; depth: number }[] {
  const children = new Map<number, Body[]>();
  const ids = new Set(bodies.map((b) => b.id));
  for (const b of bodies) {
    if (b.parentId === null || !ids.has(b.parentId) || b.id === rootId) continue;
    const list = children.get(b.parentId);
    if (list) list.push(b);
    else children.set(b.parentId, [b]);
  }
  const out: { body: Body; depth: number }[] = [];
  const seen = new Set<number>();
  const visit = (b: Body, depth: number) => {
    if (seen.has(b.id)) return;
    seen.add(b.id);
    out.push({ body: b, depth });
    for (const c of children.get(b.id) ?? []) visit(c, depth + 1);
  };
  const root = bodies.find((b) => b.id === rootId);
  if (root) visit(root, 0);
  for (const b of bodies) if (!seen.has(b.id) && (b.parentId === null || !ids.has(b.parentId))) visit(b, 0);
  for (const b of bodies) if (!seen.has(b.id)) visit(b, 0);
  return out;
}

/** the cells of the year's format, then any key of another format present in the totals (an outdated template) */
function rollupColumns(year: number, totals: ReadonlyMap<number, RegionTotals>): CellDef[] {
  const format: FormatVersion = year >= 2021 ? '2021' : '2019';
  const defs = [...cellDefs(format)];
  const known = new Set(defs.map((d) => d.key));
  const present = new Set<string>();
  for (const t of totals.values()) {
    for (const k of Object.keys(t.region)) present.add(k);
    for (const k of Object.keys(t.own ?? {})) if (t.own?.[k] !== null) present.add(k);
  }
  for (const d of cellDefs(format === '2021' ? '2019' : '2021')) if (!known.has(d.key) && present.has(d.key)) defs.push(d);
  return defs;
}

function writeCellsSheet(
  ws: ExcelJS.Worksheet,
  title: string,
  note: string,
  fixed: readonly { header: string; width: number }[],
  defs: readonly CellDef[],
  rows: readonly { depth: number; fixed: Value[]; cells: (number | null)[] }[],
): void {
  const first = fixed.length + 1;
  const last = fixed.length + defs.length;
  fixed.forEach((f, i) => {
    ws.getColumn(i + 1).width = f.width;
  });
  for (let c = first; c <= last; c++) ws.getColumn(c).width = 14;
  titleRow(ws, 1, title, Math.min(last, 12));
  // row 2: the table names over their columns; row 3: row · column of each cell
  let start = 0;
  for (let i = 1; i <= defs.length; i++) {
    if (i < defs.length && defs[i].tableName === defs[start].tableName) continue;
    const cell = ws.getCell(2, first + start);
    put(cell, defs[start].tableName);
    cell.font = { name: XFONT.header, size: 11 };
    cell.alignment = { horizontal: 'left', vertical: 'middle' };
    cell.fill = TABLE_FILL;
    cell.border = BORDER;
    if (i - 1 > start) ws.mergeCells(2, first + start, 2, first + i - 1);
    start = i;
  }
  noteRow(ws, 2, note, fixed.length);
  headerRow(ws, 3, [...fixed.map((f) => f.header), ...defs.map((d) => `${d.row}·${d.column}`)], 90);
  rows.forEach((r, i) => {
    dataRow(ws, 4 + i, [...r.fixed, ...r.cells]);
    const name = ws.getCell(4 + i, 1);
    name.alignment = { ...name.alignment, indent: Math.min(15, r.depth) };
    defs.forEach((d, k) => {
      if (d.money) ws.getCell(4 + i, first + k).numFmt = '0.00##';
    });
  });
  ws.views = [{ state: 'frozen', xSplit: 1, ySplit: 3 }];
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3 + rows.length, column: last } };
  printSetup(ws, true, 3);
}

/**
 * The roll-up as a workbook. Sheet 汇总: one row per body of the scope in tree order (names
 * indented by depth), its reports and bodies, then every cell of 表一、表二、表三 of the year's
 * format (2021 from year 2021, else 2019) added up over its region. Sheet 本级: each body's own
 * figures (its own report's cells; blank when it has none or left the cell blank).
 */
export async function rollupXlsx(bodies: Body[], totals: Map<number, RegionTotals>, meta: RollupExportMeta): Promise<Uint8Array> {
  const date = docDate(meta.today, meta.year);
  const title = `${meta.scopeName}${meta.year}年度政府信息公开工作年度报告数据汇总`;
  const wb = newWorkbook(title, date);
  const defs = rollupColumns(meta.year, totals);
  const tree = treeOrder(bodies, meta.rootId);
  const kinds = (b: Body): Value[] => [TIER_ZH[b.tier] ?? '', BODY_KIND_ZH[b.kind] ?? ''];

  writeCellsSheet(
    wb.addWorksheet(ROLLUP_SHEET),
    title,
    '各数为本机关及其下属机关已发布报告的合计；报告数/应报数为纳入合计的报告数与应报机关数。',
    [
      { header: '机关', width: 40 },
      { header: '层级', width: 10 },
      { header: '类型', width: 10 },
      { header: '报告数', width: 8 },
      { header: '应报数', width: 8 },
    ],
    defs,
    tree.map(({ body, depth }) => {
      const t = totals.get(body.id);
      return {
        depth,
        fixed: [body.name, ...kinds(body), t?.reports ?? 0, t?.bodies ?? 1],
        cells: defs.map((d) => (t && t.reports > 0 ? (t.region[d.key] ?? null) : null)),
      };
    }),
  );
  writeCellsSheet(
    wb.addWorksheet(OWN_SHEET),
    `${meta.scopeName}${meta.year}年度政府信息公开工作年度报告本级数据`,
    '各数为本机关自己报告中的数据；空白表示没有报告或报告中该格为空白。',
    [
      { header: '机关', width: 40 },
      { header: '层级', width: 10 },
      { header: '类型', width: 10 },
      { header: '有无报告', width: 9 },
    ],
    defs,
    tree.map(({ body, depth }) => {
      const own = totals.get(body.id)?.own ?? null;
      return { depth, fixed: [body.name, ...kinds(body), own ? '有' : '无'], cells: defs.map((d) => own?.[d.key] ?? null) };
    }),
  );
  return finishWorkbook(wb, date);
}

// ---------------------------------------------------------------------------
// 通报 (Word)
// ---------------------------------------------------------------------------

/** sizes in half-points, as the report renderer: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt */
const SIZE = { title: 44, body: 32, pageNumber: 28, table: 24 } as const;
/** one character of 三号, in twips (the body's line spacing, indent and font table are the report renderer's) */
const CHAR = INDENT_2 / 2;

const STYLES = {
  default: {
    document: {
      run: { font: fontOf(FONTS.body), size: SIZE.body, language: { value: 'en-US', eastAsia: 'zh-CN' } },
      paragraph: { spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 } },
    },
  },
  paragraphStyles: [
    {
      id: 'NbFooter',
      name: 'NB Page Number',
      basedOn: 'Normal',
      run: { font: fontOf(FONTS.table), size: SIZE.pageNumber },
      paragraph: { alignment: AlignmentType.CENTER, spacing: { line: 240, lineRule: LineRuleType.AUTO } },
    },
  ],
};

const bodySpacing = { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 };

function run(text: string, font: string, size: number = SIZE.body, bold = false): TextRun {
  return new TextRun({ text: xmlText(text), font: fontOf(font), size, sizeComplexScript: size, ...(bold ? { bold: true } : {}) });
}

/** the title: 方正小标宋简体 二号, centred */
function titlePara(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { line: 700, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
    keepNext: true,
    children: [run(text, FONTS.title, SIZE.title)],
  });
}

/** body text: 仿宋_GB2312 三号, justified, two characters' first-line indent */
function bodyPara(text: string | TextRun[], indent = true): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: indent ? { firstLine: INDENT_2 } : undefined,
    spacing: bodySpacing,
    children: typeof text === 'string' ? [run(text, FONTS.body)] : text,
  });
}

const empty = () => new Paragraph({ spacing: bodySpacing, children: [] });

/** 一、 headings: 黑体 三号 */
function heading1(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: INDENT_2 },
    spacing: bodySpacing,
    keepNext: true,
    outlineLevel: 0,
    children: [run(text, FONTS.heading)],
  });
}

/** （一） headings: 楷体 三号 */
function heading2(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: INDENT_2 },
    spacing: bodySpacing,
    keepNext: true,
    outlineLevel: 1,
    children: [run(text, FONTS.note)],
  });
}

/** a paragraph beginning with a （一） heading run in 楷体, the text after it in 仿宋 */
function leadPara(head: string, text: string): Paragraph {
  return bodyPara([run(head, FONTS.note), run(text, FONTS.body)]);
}

/** display width in characters of 三号: CJK one, Latin and digits a half */
function charWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\uffef]/.test(ch) ? 1 : 0.5;
  return w;
}

/**
 * 落款 (GB/T 9704-2012 7.3.5.1): the issuer two characters from the right margin, the date on
 * the next line starting two characters right of the issuer's start; when the date is longer, the
 * date two characters from the right and the issuer moved left
 */
function signature(issuer: string, date: string): Paragraph[] {
  const ls = charWidth(issuer);
  const ld = charWidth(date);
  let sigRight = 2;
  let dateRight = sigRight + ls - 2 - ld;
  if (dateRight < 2) {
    dateRight = 2;
    sigRight = dateRight + ld + 2 - ls;
  }
  const line = (text: string, right: number) =>
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      indent: { right: Math.round(right * CHAR) },
      spacing: bodySpacing,
      children: [run(text, FONTS.body)],
    });
  return [line(issuer, sigRight), line(date, dateRight)];
}

const TABLE_BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;

function tableCell(text: string, width: number, opts: { header?: boolean; align?: 'left' | 'center'; span?: number } = {}): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    columnSpan: opts.span,
    verticalAlign: VerticalAlignTable.CENTER,
    shading: opts.header ? { fill: 'DCE6F1', color: 'auto', type: 'clear' } : undefined,
    children: [
      new Paragraph({
        alignment: opts.align === 'left' ? AlignmentType.LEFT : AlignmentType.CENTER,
        spacing: { line: 240, lineRule: LineRuleType.AUTO, before: 0, after: 0 },
        children: [run(text, opts.header ? FONTS.heading : FONTS.table, SIZE.table)],
      }),
    ],
  });
}

const SCORE_WIDTHS = (() => {
  const weights = [1.2, 5.4, 1.6, 1.8];
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.floor((CONTENT_WIDTH * w) / sum));
  out[1] += CONTENT_WIDTH - out.reduce((a, b) => a + b, 0);
  return out;
})();

/** the score table: 名次、机关、得分、等次; all rows when at most 30, else the first and last ten with a row for the rest */
function scoreTable(rows: { rank: number; name: string; score: number; grade: string; failed: boolean }[]): Table {
  const w = SCORE_WIDTHS;
  const shown: ((typeof rows)[number] | number)[] = rows.length <= 30 ? rows : [...rows.slice(0, 10), rows.length - 20, ...rows.slice(-10)];
  const trs = [
    new TableRow({
      tableHeader: true,
      cantSplit: true,
      height: { value: 454, rule: HeightRule.ATLEAST },
      children: ['名次', '机关', '得分', '等次'].map((h, i) => tableCell(h, w[i], { header: true })),
    }),
    ...shown.map((r) =>
      typeof r === 'number'
        ? new TableRow({
            cantSplit: true,
            height: { value: 397, rule: HeightRule.ATLEAST },
            children: [tableCell(`……（中间 ${r} 家略，详见评分结果表）`, CONTENT_WIDTH, { span: 4 })],
          })
        : new TableRow({
            cantSplit: true,
            height: { value: 397, rule: HeightRule.ATLEAST },
            children: [
              tableCell(String(r.rank), w[0]),
              tableCell(r.name, w[1], { align: 'left' }),
              tableCell(num(r.score), w[2]),
              tableCell(r.failed ? `${r.grade || '不合格'}（否决）` : r.grade, w[3]),
            ],
          }),
    ),
  ];
  return new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: w,
    layout: TableLayoutType.FIXED,
    alignment: AlignmentType.CENTER,
    borders: {
      top: { ...TABLE_BORDER, size: 8 },
      bottom: { ...TABLE_BORDER, size: 8 },
      left: { ...TABLE_BORDER, size: 8 },
      right: { ...TABLE_BORDER, size: 8 },
      insideHorizontal: TABLE_BORDER,
      insideVertical: TABLE_BORDER,
    },
    rows: trs,
  });
}

export interface BulletinInput {
  scopeName: string;
  year: number;
  /** "YYYY-MM-DD": the date of the bulletin (落款) and of the counts */
  today: string;
  counts: StatusCounts;
  ranking: RankedScore[];
  scores: BodyScore[];
  bodies: Body[];
  statuses: Map<number, BodyYearStatus>;
  copies: CopiedPair[];
  rubricName: string;
}

export interface ProblemCount {
  /** the problem in Chinese: the checker rule's title or the rubric's reason */
  name: string;
  /** bodies with it */
  bodies: number;
  /** findings in all */
  findings: number;
}

/**
 * the problems found in published reports, most common first: a checker finding by its rule's
 * Chinese title, another finding by its reason; lateness (listed apart) and uncertain findings
 * (to be verified) are left out
 */
export function commonProblems(scores: readonly BodyScore[], statuses: ReadonlyMap<number, BodyYearStatus>): ProblemCount[] {
  const found = new Map<string, { bodies: Set<number>; findings: number }>();
  const add = (name: string, bodyId: number, n: number) => {
    const had = found.get(name) ?? { bodies: new Set<number>(), findings: 0 };
    had.bodies.add(bodyId);
    had.findings += n;
    found.set(name, had);
  };
  for (const s of scores) {
    if (statuses.get(s.bodyId)?.state === 'unpublished') continue;
    const seen = new Set<string>();
    for (const d of s.deductions) {
      if (d.uncertain) continue;
      const rules = d.evidence.filter((e) => e.rule);
      if (rules.length > 0) {
        for (const e of rules) {
          const key = `${e.rule}|${e.path ?? ''}|${e.message}`;
          if (seen.has(key)) continue;
          seen.add(key);
          add(ruleTitle(e.rule as string), s.bodyId, 1);
        }
        continue;
      }
      if (d.evidence.some((e) => e.path === 'publishedOn')) continue;
      const reason = plainReason(d.reason);
      const key = `${reason}|${d.evidence.map((e) => e.message).join('|')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(reason, s.bodyId, Math.max(1, d.evidence.filter((e) => !e.quote).length));
    }
  }
  return [...found.entries()]
    .map(([name, v]) => ({ name, bodies: v.bodies.size, findings: v.findings }))
    .sort((a, b) => b.bodies - a.bodies || b.findings - a.findings || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** the title of the bulletin */
export function bulletinTitle(year: number): string {
  return `关于${year}年度政府信息公开工作年度报告发布情况的通报（草稿）`;
}

const ORDINAL = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const sub = (i: number) => `（${ORDINAL[i] ?? String(i + 1)}）`;

/** a Word draft of the 通报 on the year's reports, in official typography, to edit before sending */
export async function bulletinDocx(input: BulletinInput): Promise<Uint8Array> {
  const { counts: c, year } = input;
  const byId = new Map(input.bodies.map((b) => [b.id, b]));
  const nameOf = (id: number) => byId.get(id)?.name ?? `（编号 ${id}）`;
  const inScope = input.bodies.filter((b) => input.statuses.has(b.id));
  const statusOf = (b: Body) => input.statuses.get(b.id) as BodyYearStatus;
  const title = bulletinTitle(year);
  const todayZh = chineseDate(input.today);
  const children: (Paragraph | Table)[] = [];

  children.push(titlePara(title), empty());
  children.push(new Paragraph({ spacing: bodySpacing, children: [run('各有关单位：', FONTS.body)] }));
  children.push(
    bodyPara(
      `根据《中华人民共和国政府信息公开条例》第四十九条、第五十条规定，${input.scopeName}对${year}年度政府信息公开工作年度报告的发布情况进行了检查。` +
        `截至${todayZh}，应发布 ${c.bodies} 家，已发布 ${c.published + c.late} 家，其中逾期发布 ${c.late} 家；未发布 ${c.unpublished} 家` +
        `${c.unpublished > 0 ? `，其中已超过发布期限 ${c.overdue} 家` : ''}。现将有关情况通报如下。`,
    ),
  );

  // 一、总体情况
  children.push(heading1('一、总体情况'));
  const onTime = c.bodies > 0 ? pct(c.published / c.bodies) : '—';
  children.push(
    bodyPara(
      `纳入本次检查的单位共 ${c.bodies} 家。按期发布 ${c.published} 家，按期发布率 ${onTime}；逾期发布 ${c.late} 家；未发布 ${c.unpublished} 家。` +
        `经自动检查，${c.withErrors} 家单位的年度报告存在差错，已人工复核 ${c.reviewed} 家。`,
    ),
  );
  const scored = input.scores.filter((s) => input.statuses.get(s.bodyId)?.state !== 'unpublished');
  if (scored.length > 0) {
    const values = scored.map((s) => s.score);
    const avg = values.reduce((a, b) => a + b, 0) / values.length;
    children.push(
      bodyPara(
        `已发布的 ${scored.length} 份年度报告按《${input.rubricName}》评分（满分 ${num(scored[0].max)} 分），` +
          `平均 ${num(avg)} 分，最高 ${num(Math.max(...values))} 分，最低 ${num(Math.min(...values))} 分。`,
      ),
    );
  }

  // 二、发现的主要问题
  children.push(heading1('二、发现的主要问题'));
  let k = 0;
  const overdue = inScope.filter((b) => statusOf(b).state === 'unpublished' && statusOf(b).overdue);
  const pending = inScope.filter((b) => statusOf(b).state === 'unpublished' && !statusOf(b).overdue);
  const late = inScope
    .filter((b) => statusOf(b).state === 'late')
    .sort((a, b) => (statusOf(b).daysLate ?? 0) - (statusOf(a).daysLate ?? 0));
  if (overdue.length + pending.length + late.length > 0) {
    children.push(heading2(`${sub(k++)}未按期发布年度报告`));
    if (overdue.length > 0)
      children.push(
        bodyPara(`截至${todayZh}，以下 ${overdue.length} 家单位超过发布期限仍未发布：${overdue.map((b) => b.name).join('、')}。`),
      );
    if (pending.length > 0)
      children.push(bodyPara(`以下 ${pending.length} 家单位尚未发布（发布期限未到）：${pending.map((b) => b.name).join('、')}。`));
    if (late.length > 0) {
      const list = late.map((b) => {
        const d = statusOf(b).daysLate;
        return d !== null ? `${b.name}（逾期 ${d} 天）` : `${b.name}（发布日期不明）`;
      });
      children.push(bodyPara(`以下 ${late.length} 家单位逾期发布：${list.join('、')}。`));
    }
  }
  const problems = commonProblems(input.scores, input.statuses);
  const uncertain = input.scores.reduce((n, s) => n + s.deductions.filter((d) => d.uncertain).length, 0);
  if (problems.length > 0 || uncertain > 0) {
    children.push(heading2(`${sub(k++)}年度报告内容存在的问题`));
    if (problems.length > 0) {
      const top = problems.slice(0, 10);
      children.push(bodyPara(`经检查，已发布的年度报告中较为常见的问题有${top.length > 1 ? '（按涉及单位数排列）' : ''}：`));
      top.forEach((p, i) => {
        children.push(bodyPara(`${i + 1}. ${p.name}：${p.bodies} 家单位，共 ${p.findings} 处。`));
      });
      if (problems.length > top.length) children.push(bodyPara(`另有其他问题 ${problems.length - top.length} 类，详见扣分明细。`));
    }
    if (uncertain > 0) children.push(bodyPara(`另有 ${uncertain} 处因原文无法准确识别，尚待人工核实，未列入上述统计。`));
  }
  if (input.copies.length > 0) {
    children.push(heading2(`${sub(k++)}年度报告内容雷同`));
    const pairs = [...input.copies].sort((a, b) => b.ratio - a.ratio);
    const MAX_PAIRS = 30;
    children.push(bodyPara(`以下 ${pairs.length} 组单位的年度报告正文高度相似，存在照搬照抄的情况：`));
    pairs.slice(0, MAX_PAIRS).forEach((p, i) => {
      children.push(
        bodyPara(`${i + 1}. ${nameOf(p.a)}与${nameOf(p.b)}：“${SECTION_HEADING.get(p.section) ?? '正文'}”部分相似度 ${pct(p.ratio)}。`),
      );
    });
    if (pairs.length > MAX_PAIRS) children.push(bodyPara(`其余 ${pairs.length - MAX_PAIRS} 组略。`));
  }
  if (k === 0) children.push(bodyPara('本次检查未发现明显问题。'));

  // 三、评分结果
  children.push(heading1('三、评分结果'));
  const rows = rankedRows(input);
  if (rows.length === 0) children.push(bodyPara('本次未进行评分。'));
  else {
    const groups: { group: string; rows: typeof rows }[] = [];
    for (const r of rows) {
      const g = groups.find((x) => x.group === r.rank.group);
      if (g) g.rows.push(r);
      else groups.push({ group: r.rank.group, rows: [r] });
    }
    children.push(
      bodyPara(
        `按照《${input.rubricName}》，对 ${rows.length} 家单位的年度报告进行了评分${groups.length > 1 ? '，分类排名' : ''}。` +
          (rows.length > 30 || groups.some((g) => g.rows.length > 30)
            ? '单位较多的，列出前十名和后十名，完整名单见评分结果表。'
            : '结果如下：'),
      ),
    );
    groups.forEach((g, i) => {
      const label = groupLabel(g.group, byId);
      if (groups.length > 1) children.push(heading2(`${sub(i)}${label || '其他单位'}（${g.rows.length} 家）`));
      children.push(
        scoreTable(
          g.rows.map((r) => ({
            rank: r.rank.rank,
            name: r.body?.name ?? nameOf(r.rank.bodyId),
            score: r.score.score,
            grade: r.score.grade ?? '',
            failed: r.score.failed,
          })),
        ),
        empty(),
      );
    });
  }

  // 四、工作要求
  children.push(heading1('四、工作要求'));
  const asks: [string, string][] = [
    [
      '抓紧整改到位。',
      (c.unpublished > 0 ? '尚未发布年度报告的单位要立即组织编制并按规定公开；' : '') +
        '年度报告存在问题的单位要对照本通报逐项核实整改，整改后的年度报告要在本单位政府信息公开专栏重新发布，并说明更正情况。整改情况请于（日期）前报送（单位名称）。',
    ],
    [
      '严格落实发布时限。',
      '各单位要按照《中华人民共和国政府信息公开条例》第四十九条规定，政府部门于每年1月31日前、各级人民政府于每年3月31日前向社会公布本单位上一年度政府信息公开工作年度报告。',
    ],
    [
      '切实提高报告质量。',
      '各单位要严格按照国务院办公厅政府信息公开办公室印发的年度报告格式模板编制，确保表格数据准确、勾稽关系正确、前后年度衔接，如实反映存在的主要问题和改进措施，杜绝照搬照抄。',
    ],
    ['加强审核把关。', '年度报告发布前要经本单位负责同志审定，政府信息公开工作主管部门将把年度报告情况纳入政务公开工作考核。'],
  ];
  asks.forEach(([head, text], i) => {
    children.push(leadPara(`${sub(i)}${head}`, text));
  });
  children.push(
    new Paragraph({
      alignment: AlignmentType.JUSTIFIED,
      indent: { firstLine: INDENT_2 },
      spacing: bodySpacing,
      children: [run('（本稿由系统根据检查和评分结果自动生成，数据截至通报日期，请核实并修改后使用。）', FONTS.note)],
    }),
  );

  // 落款
  children.push(empty(), empty(), ...signature(input.scopeName, todayZh));

  const footer = new Footer({
    children: [new Paragraph({ style: 'NbFooter', children: [new TextRun({ children: ['- ', PageNumber.CURRENT, ' -'] })] })],
  });
  const doc = new Document({
    creator: 'nianbao',
    lastModifiedBy: 'nianbao',
    title: xmlText(title),
    subject: '政府信息公开工作年度报告',
    description: xmlText(input.scopeName),
    styles: STYLES,
    sections: [
      {
        properties: {
          page: { size: { width: A4.width, height: A4.height, orientation: PageOrientation.PORTRAIT }, margin: MARGIN },
        },
        footers: { default: footer },
        children,
      },
    ],
  });
  const bytes = new Uint8Array(await Packer.toBuffer(doc));
  return finishPackage(bytes, docDate(input.today, year), { 'word/fontTable.xml': fontTableXml() });
}
