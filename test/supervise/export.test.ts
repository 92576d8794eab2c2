/**
 * Supervision exports (src/supervise/export.ts): the status workbook and CSV, the ranking with its
 * deductions, the roll-up, and the Word draft of the 通报, each read back and checked cell by cell.
 */

import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/check/catalogue.js';
import { FONTS, MARGIN } from '../../src/render/docx.js';
import {
  bulletinDocx,
  bulletinTitle,
  commonProblems,
  csvField,
  DEDUCTION_COLUMNS,
  DEDUCTIONS_SHEET,
  OWN_SHEET,
  placeOf,
  RANKING_SHEET,
  ROLLUP_SHEET,
  rankingXlsx,
  rollupXlsx,
  STATUS_COLUMNS,
  STATUS_SHEET,
  SUMMARY_SHEET,
  statusCsv,
  statusXlsx,
  treeOrder,
} from '../../src/supervise/export.js';
import { type Cells, cellDefs, rollUp } from '../../src/supervise/rollup.js';
import { rankScores } from '../../src/supervise/rubric.js';
import type { YearStatusRow } from '../../src/supervise/service.js';
import { countStatuses, type StoredFiling, statusOf } from '../../src/supervise/status.js';
import type { Body, BodyScore, BodyYearStatus, CopiedPair, Deduction } from '../../src/supervise/types.js';
import { body } from '../helpers/bodies.js';

// ---------------------------------------------------------------------------
// Inputs by hand
// ---------------------------------------------------------------------------

const YEAR = 2024;
const TODAY = '2025-04-10';
const SCOPE = '某某市人民政府办公室';

const INJECTED = '=1+1';
const BODIES: Body[] = [
  body(1, '某某市人民政府', 'city', 'government', null),
  body(2, '某某市教育局', 'city', 'department', 1),
  body(3, '某某区人民政府', 'county', 'government', 1),
  body(4, '某某区财政局', 'county', 'department', 3),
  body(5, INJECTED, 'county', 'department', 3),
  body(6, '某某区民政局', 'county', 'department', 3),
];
const byId = new Map(BODIES.map((b) => [b.id, b]));

const filing = (reportId: number, publishedOn: string | null, over: Partial<StoredFiling> = {}): StoredFiling => ({
  reportId,
  publishedOn,
  versions: 1,
  errors: 0,
  warnings: 0,
  ...over,
});

const FILINGS: Record<number, StoredFiling | null> = {
  1: filing(11, '2025-03-20'),
  2: filing(12, '2025-02-10', { versions: 2, warnings: 1 }), // deadline 2025-01-31: 10 days late
  3: filing(13, '2025-03-28', { errors: 2 }),
  4: null, // deadline 2025-01-31, unpublished on 2025-04-10: 69 days overdue
  5: filing(15, '2025-01-20'),
  6: filing(16, '2025-01-25'),
};
const REVIEWS: Record<number, { by: string; at: string } | null> = {
  3: { by: '张三', at: '2025-04-01T02:30:00.000Z' },
  6: { by: '王五,赵六 "复核组"', at: '2025-04-02T01:00:00.000Z' },
};

const STATUSES = new Map<number, BodyYearStatus>(
  BODIES.map((b) => [b.id, statusOf(b, YEAR, FILINGS[b.id] ?? null, REVIEWS[b.id] ?? null, TODAY)]),
);

function pathOf(b: Body): string[] {
  const out: string[] = [];
  for (let p = b.parentId === null ? undefined : byId.get(b.parentId); p; p = p.parentId === null ? undefined : byId.get(p.parentId))
    out.unshift(p.name);
  return out;
}
const ROWS: YearStatusRow[] = BODIES.map((b) => ({ body: b, path: pathOf(b), status: STATUSES.get(b.id) as BodyYearStatus }));
const COUNTS = countStatuses(ROWS.map((r) => r.status));

const ITEMS = [
  { id: 'timely', name: '按时发布', points: 20 },
  { id: 'tables', name: '表格数据准确', points: 50 },
  { id: 'original', name: '内容原创', points: 30 },
];

function score(bodyId: number, lost: Record<string, number>, deductions: Deduction[], grade: string, failedBy: string[] = []): BodyScore {
  const items = ITEMS.map((it) => ({ ...it, kept: it.points - (lost[it.id] ?? 0) }));
  return {
    bodyId,
    year: YEAR,
    score: items.reduce((a, it) => a + it.kept, 0),
    max: 100,
    failed: failedBy.length > 0,
    failedBy,
    items,
    deductions,
    grade,
  };
}

const ARITHMETIC: Deduction = {
  itemId: 'tables',
  itemName: '表格数据准确',
  points: 5,
  reason: '检查发现的问题（规则 applications-balance，错误）',
  evidence: [
    {
      rule: 'applications-balance',
      path: 'applications.newReceived.total',
      message: '表二“总计”一列：一、本年新收 90 件加二、上年结转 3 件为 93 件，而三、本年度办理结果 88 件加四、结转下年度 3 件为 91 件。',
    },
  ],
  uncertain: false,
};
const SECTION_MISSING: Deduction = {
  itemId: 'tables',
  itemName: '表格数据准确',
  points: 2,
  reason: '六个部分不齐全或顺序不对',
  evidence: [
    { rule: 'sections-present', path: 'sections.problems', message: '缺少第五部分“五、存在的主要问题及改进情况”（找不到该部分的标题）。' },
  ],
  uncertain: false,
};
const AMBIGUOUS: Deduction = {
  itemId: 'tables',
  itemName: '表格数据准确',
  points: 0,
  reason: '单元格填写不规范（涉及无法确定的内容，宽松模式下不扣分）',
  evidence: [
    { rule: 'ambiguous-cell', path: 'proactive.licensing.previous', message: '“行政许可·上年项目数量”的数值无法从原文唯一确定。' },
  ],
  uncertain: true,
};
const QUOTE = '我单位高度重视政府信息公开工作，认真贯彻落实条例要求。';
const copied = (otherBodyId: number, otherName: string): Deduction => ({
  itemId: 'original',
  itemName: '内容原创',
  points: 30,
  reason: '与其他机关报告雷同（相似度超过 50%）',
  evidence: [
    { message: `与“${otherName}”的报告雷同，相似度 85%（阈值 50%）`, otherBodyId },
    { message: `对方原文：${QUOTE}`, quote: QUOTE, otherBodyId },
  ],
  uncertain: false,
});
const LATE: Deduction = {
  itemId: 'timely',
  itemName: '按时发布',
  points: 10,
  reason: '逾期发布',
  evidence: [{ path: 'publishedOn', message: '2025-02-10 发布，晚于期限 2025-01-31 10 天' }],
  uncertain: false,
};
const UNPUBLISHED: Deduction[] = ITEMS.map((it) => ({
  itemId: it.id,
  itemName: it.name,
  points: it.points,
  reason: '未发布年度报告，本项不得分',
  evidence: [{ message: '未发布 2024 年度政府信息公开工作年度报告' }],
  uncertain: false,
}));

const SCORES: BodyScore[] = [
  score(1, {}, [], '优秀'),
  score(2, { timely: 10, tables: 5, original: 30 }, [LATE, ARITHMETIC, copied(6, '某某区民政局')], '不合格'),
  score(3, { tables: 7 }, [ARITHMETIC, SECTION_MISSING, AMBIGUOUS], '良好'),
  score(4, { timely: 20, tables: 50, original: 30 }, UNPUBLISHED, '不合格', ['timely']),
  score(5, {}, [], '优秀'),
  score(6, { original: 30, tables: 5 }, [copied(2, '某某市教育局'), ARITHMETIC], '合格'),
];
const groupOf = (id: number) => {
  const b = byId.get(id) as Body;
  return `${b.tier}:${b.kind}`;
};
const RANKING = rankScores(SCORES, groupOf);
const COPIES: CopiedPair[] = [{ a: 6, b: 2, ratio: 0.85, section: 'overview', passages: [{ a: QUOTE, b: QUOTE }] }];

const KEY_NEW = 'applications.newReceived.total';
const KEY_FEE = 'proactive.fees.amount';
const KEY_REG = 'proactive.regulations.issued';
const CELLS = new Map<number, Cells>([
  [1, { [KEY_NEW]: 10, [KEY_FEE]: 0.125, [KEY_REG]: 1 }],
  [3, { [KEY_NEW]: 5, [KEY_FEE]: null, [KEY_REG]: 0 }],
  [5, { [KEY_NEW]: 7, [KEY_FEE]: 0.0035, [KEY_REG]: null }],
  [6, { [KEY_NEW]: 0, [KEY_FEE]: 0, [KEY_REG]: 0 }],
]);
const TOTALS = rollUp(BODIES, CELLS);

// ---------------------------------------------------------------------------
// Reading back
// ---------------------------------------------------------------------------

async function workbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

function rowValues(ws: ExcelJS.Worksheet, r: number, n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ws.getCell(r, i + 1).value);
}

/** the row whose column `col` holds `text` */
function findRow(ws: ExcelJS.Worksheet, col: number, text: string): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, col).value === text) return r;
  throw new Error(`no row with ${text}`);
}

/** every string value of every sheet */
function allText(wb: ExcelJS.Workbook): string[] {
  const out: string[] = [];
  wb.eachSheet((ws) => {
    ws.eachRow((row) => {
      row.eachCell((c) => {
        if (typeof c.value === 'string') out.push(c.value);
      });
    });
  });
  return out;
}

/** the raw parts of a package */
const parts = (bytes: Uint8Array) => unzipSync(bytes, { filter: (f) => !f.name.endsWith('/') });

/** the style attributes of the cells holding `text` as a shared string, from the raw XML */
function xfsOfText(bytes: Uint8Array, text: string): { formula: boolean; xf: string }[] {
  const files = parts(bytes);
  const strings = [...strFromU8(files['xl/sharedStrings.xml']).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    [...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join(''),
  );
  const index = strings.indexOf(text);
  const xfs = [.../<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(strFromU8(files['xl/styles.xml']))![1].matchAll(/<xf\b([^>]*?)\/?>/g)].map(
    (m) => m[1],
  );
  const out: { formula: boolean; xf: string }[] = [];
  for (const [name, data] of Object.entries(files)) {
    if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) continue;
    for (const m of strFromU8(data).matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const body = m[2] ?? '';
      if (!/\bt="s"/.test(m[1]) || /<v>(\d+)<\/v>/.exec(body)?.[1] !== String(index)) continue;
      out.push({ formula: /<f[\s>/]/.test(body), xf: xfs[Number(/\bs="(\d+)"/.exec(m[1])?.[1] ?? 0)] });
    }
  }
  return out;
}

/** RFC 4180 CSV into rows of fields */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

const RULE_IDS = RULES.map((r) => r.id);
/** a JSON path into a report, as the checker's diagnostics carry */
const RAW_PATH = /\b(applications|proactive|reviewLitigation|sections)\.[A-Za-z*]+|publishedOn/;

// ---------------------------------------------------------------------------
// 发布情况
// ---------------------------------------------------------------------------

describe('statusXlsx', () => {
  it('writes the title, the counts and one row per body under a frozen, filtered header', async () => {
    const bytes = await statusXlsx(ROWS, COUNTS, { scopeName: SCOPE, year: YEAR, today: TODAY });
    const wb = await workbook(bytes);
    const ws = sheet(wb, STATUS_SHEET);
    expect(String(ws.getCell(1, 1).value)).toContain(`${SCOPE}2024年度政府信息公开工作年度报告发布情况`);
    expect(String(ws.getCell(1, 1).value)).toContain('2025年4月10日');
    expect(String(ws.getCell(2, 1).value)).toContain(
      '应发布 6 家，已发布 5 家（按期发布 4 家，逾期发布 1 家），未发布 1 家（其中已逾期 1 家）',
    );
    expect(rowValues(ws, 3, STATUS_COLUMNS.length)).toEqual([...STATUS_COLUMNS]);
    expect(ws.rowCount).toBe(3 + BODIES.length);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.getColumn(2).width).toBeGreaterThan(20);

    // the late department: 10 days
    const late = findRow(ws, 2, '某某市教育局');
    expect(rowValues(ws, late, STATUS_COLUMNS.length)).toEqual([
      2,
      '某某市教育局',
      '某某市人民政府',
      '市级',
      '政府部门',
      '2025-01-31',
      '逾期发布',
      '2025-02-10',
      10,
      2,
      0,
      1,
      '',
      '',
    ]);
    // unpublished past the deadline: 逾期未发布, days counted until today
    const missing = findRow(ws, 2, '某某区财政局');
    expect(ws.getCell(missing, 3).value).toBe('某某区人民政府');
    expect(ws.getCell(missing, 7).value).toBe('逾期未发布');
    expect(ws.getCell(missing, 8).value).toBe('');
    expect(ws.getCell(missing, 9).value).toBe(69);
    // published in time, reviewed: the review time in Beijing time
    const reviewed = findRow(ws, 2, '某某区人民政府');
    expect(ws.getCell(reviewed, 7).value).toBe('已发布');
    expect(ws.getCell(reviewed, 9).value).toBe(null);
    expect(ws.getCell(reviewed, 11).value).toBe(2);
    expect(ws.getCell(reviewed, 13).value).toBe('张三');
    expect(ws.getCell(reviewed, 14).value).toBe('2025-04-01 10:30');

    const sum = sheet(wb, SUMMARY_SHEET);
    const value = (label: string) => sum.getCell(findRow(sum, 1, label), 2).value;
    expect(value('应发布')).toBe(6);
    expect(value('已发布（合计）')).toBe(5);
    expect(value('其中：逾期发布')).toBe(1);
    expect(value('其中：逾期未发布')).toBe(1);
    expect(value('报告有错误')).toBe(1);
    expect(value('已复核')).toBe(2);
  });

  it('neutralises a body named like a formula: a string with the Text format and quotePrefix, never a formula', async () => {
    const bytes = await statusXlsx(ROWS, COUNTS, { scopeName: SCOPE, year: YEAR, today: TODAY });
    const ws = sheet(await workbook(bytes), STATUS_SHEET);
    const r = findRow(ws, 2, INJECTED);
    expect(ws.getCell(r, 2).value).toBe(INJECTED);
    expect(ws.getCell(r, 2).numFmt).toBe('@');
    const raw = xfsOfText(bytes, INJECTED);
    expect(raw.length).toBeGreaterThan(0);
    for (const c of raw) {
      expect(c.formula).toBe(false);
      expect(c.xf).toMatch(/numFmtId="49"/);
      expect(c.xf).toMatch(/quotePrefix="1"/);
    }
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    const meta = { scopeName: SCOPE, year: YEAR, today: TODAY };
    const a = await statusXlsx(ROWS, COUNTS, meta);
    const b = await statusXlsx(ROWS, COUNTS, meta);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('statusCsv', () => {
  it('writes UTF-8 with a BOM, the same columns and values, and round-trips', async () => {
    const meta = { scopeName: SCOPE, year: YEAR, today: TODAY };
    const bytes = statusCsv(ROWS, COUNTS, meta);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...STATUS_COLUMNS]);
    expect(rows).toHaveLength(1 + BODIES.length);
    // the same values as the workbook, as text
    const ws = sheet(await workbook(await statusXlsx(ROWS, COUNTS, meta)), STATUS_SHEET);
    rows.slice(1).forEach((fields, i) => {
      const xlsx = rowValues(ws, 4 + i, STATUS_COLUMNS.length).map((v) => (v === null ? '' : String(v)));
      expect(fields.map((f) => f.replace(/^'(?==)/, ''))).toEqual(xlsx);
    });
    const late = rows.find((r) => r[1] === '某某市教育局') as string[];
    expect(late[6]).toBe('逾期发布');
    expect(late[8]).toBe('10');
    // a field with a comma and quotes survives
    const reviewed = rows.find((r) => r[1] === '某某区民政局') as string[];
    expect(reviewed[12]).toBe('王五,赵六 "复核组"');
    expect(text).toContain('"王五,赵六 ""复核组"""');
  });

  it('neutralises a formula-like field with an apostrophe', () => {
    const text = new TextDecoder().decode(statusCsv(ROWS, COUNTS, { scopeName: SCOPE, year: YEAR, today: TODAY }));
    const rows = parseCsv(text);
    expect(rows.some((r) => r[1] === `'${INJECTED}`)).toBe(true);
    expect(rows.some((r) => r.some((f) => /^[=+\-@]/.test(f)))).toBe(false);
    expect(csvField('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(csvField('＝1')).toBe("'＝1");
    expect(csvField('@x,y')).toBe(`"'@x,y"`);
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });
});

// ---------------------------------------------------------------------------
// 排名 and 扣分明细
// ---------------------------------------------------------------------------

describe('rankingXlsx', () => {
  const input = { ranking: RANKING, scores: SCORES, bodies: BODIES };
  const meta = { scopeName: SCOPE, year: YEAR, rubricName: '某某市政府信息公开年度报告评分细则' };

  it('ranks within groups, with grade, veto items and each item’s points kept', async () => {
    const wb = await workbook(await rankingXlsx(input, meta));
    const ws = sheet(wb, RANKING_SHEET);
    const headers = rowValues(ws, 3, 11);
    expect(headers).toEqual(['名次', '分组', '机关', '层级', '类型', '得分', '等次', '否决项', '按时发布', '表格数据准确', '内容原创']);
    expect(String(ws.getCell(2, 1).value)).toContain('某某市政府信息公开年度报告评分细则（满分 100 分）');
    expect(ws.rowCount).toBe(3 + SCORES.length);
    // 县级政府部门: 5 (100), 6 (65), 4 (failed)
    const first = findRow(ws, 3, INJECTED);
    expect(rowValues(ws, first, 11)).toEqual([1, '县级政府部门', INJECTED, '县级', '政府部门', 100, '优秀', '', 20, 50, 30]);
    const failed = findRow(ws, 3, '某某区财政局');
    expect(rowValues(ws, failed, 11)).toEqual([3, '县级政府部门', '某某区财政局', '县级', '政府部门', 0, '不合格', '按时发布', 0, 0, 0]);
    const mid = findRow(ws, 3, '某某区民政局');
    expect(ws.getCell(mid, 1).value).toBe(2);
    expect(ws.getCell(mid, 6).value).toBe(65);
    expect(ws.getCell(mid, 10).value).toBe(45);
    // the injected name is text, not a formula
    expect(ws.getCell(first, 3).numFmt).toBe('@');
  });

  it('lists every deduction with its evidence in Chinese: the place and the rule by name, never a path or a rule id', async () => {
    const wb = await workbook(await rankingXlsx(input, meta));
    const ds = sheet(wb, DEDUCTIONS_SHEET);
    expect(rowValues(ds, 1, DEDUCTION_COLUMNS.length)).toEqual([...DEDUCTION_COLUMNS]);
    const total = SCORES.reduce((n, s) => n + s.deductions.length, 0);
    expect(ds.rowCount).toBe(1 + total);

    const rows = Array.from({ length: total }, (_, i) => rowValues(ds, 2 + i, 6) as [string, string, number, string, string, string]);
    const arithmetic = rows.find((r) => r[0] === '某某区人民政府' && r[2] === 5) as (typeof rows)[number];
    expect(arithmetic[1]).toBe('表格数据准确');
    expect(arithmetic[3]).toContain('表二勾稽关系');
    expect(arithmetic[3]).not.toContain('applications-balance');
    expect(arithmetic[4]).toContain('位置：依申请公开 / 一、本年新收政府信息公开申请数量 / 总计');
    expect(arithmetic[4]).toContain('一、本年新收 90 件加二、上年结转 3 件');
    expect(arithmetic[4]).toContain(`检查规则：${RULES.find((r) => r.id === 'applications-balance')?.title}`);
    expect(arithmetic[5]).toBe('否');

    const section = rows.find((r) => r[0] === '某某区人民政府' && r[2] === 2) as (typeof rows)[number];
    expect(section[4]).toContain('位置：五、存在的主要问题及改进情况');

    const ambiguous = rows.find((r) => r[0] === '某某区人民政府' && r[5] === '是') as (typeof rows)[number];
    expect(ambiguous[2]).toBe(0);
    expect(ambiguous[4]).toContain(
      '位置：主动公开 / 行政许可 / 上一年项目数量；“行政许可·上年项目数量”的数值无法从原文唯一确定；检查规则：',
    );

    const copied = rows.find((r) => r[0] === '某某区民政局' && r[1] === '内容原创') as (typeof rows)[number];
    expect(copied[2]).toBe(30);
    expect(copied[4]).toContain('与“某某市教育局”的报告雷同，相似度 85%');
    expect(copied[4]).toContain(`本机关原文：“${QUOTE}”`);

    const late = rows.find((r) => r[0] === '某某市教育局' && r[1] === '按时发布') as (typeof rows)[number];
    expect(late[4]).toBe('位置：发布日期；2025-02-10 发布，晚于期限 2025-01-31 10 天');

    for (const text of allText(wb)) {
      expect(text).not.toMatch(RAW_PATH);
      for (const id of RULE_IDS) expect(text.includes(id), `${id} in “${text}”`).toBe(false);
    }
  });

  it('names every place a diagnostic can point at in Chinese', () => {
    expect(placeOf('applications.newReceived.total')).toBe('依申请公开 / 一、本年新收政府信息公开申请数量 / 总计');
    expect(placeOf('reviewLitigation.review.total')).toBe('行政复议、行政诉讼 / 行政复议 / 总计');
    expect(placeOf('proactive.fees.amount')).toBe('主动公开 / 行政事业性收费 / 本年收费金额（单位：万元）');
    expect(placeOf('applications.*.publicInterest')).toBe('依申请公开 / 各行 / 法人或其他组织·社会公益组织');
    expect(placeOf('applications.otherHandling')).toMatch(/^依申请公开 \/ .*其他处理/);
    expect(placeOf('sections.other')).toBe('六、其他需要报告的事项');
    expect(placeOf('proactive')).toBe('二、主动公开政府信息情况');
    expect(placeOf('publishedOn')).toBe('发布日期');
    expect(placeOf('something.unknown')).toBe('');
    expect(placeOf(null)).toBe('');
  });
});

// ---------------------------------------------------------------------------
// 汇总 and 本级
// ---------------------------------------------------------------------------

describe('rollupXlsx', () => {
  it('writes one row per body in tree order, indented, with the region totals of every cell', async () => {
    const wb = await workbook(await rollupXlsx(BODIES, TOTALS, { scopeName: SCOPE, year: YEAR, rootId: 1 }));
    const ws = sheet(wb, ROLLUP_SHEET);
    const defs = cellDefs('2021');
    expect(rowValues(ws, 3, 5)).toEqual(['机关', '层级', '类型', '报告数', '应报数']);
    const header = rowValues(ws, 3, 5 + defs.length);
    const colOf = (key: string) => {
      const d = defs.find((x) => x.key === key)!;
      return header.indexOf(`${d.row}·${d.column}`) + 1;
    };
    expect(header).toHaveLength(5 + defs.length);
    expect(colOf(KEY_NEW)).toBe(5 + defs.findIndex((d) => d.key === KEY_NEW) + 1);
    expect(ws.getCell(2, 6).value).toBe('主动公开');
    expect(header[5 + defs.findIndex((d) => d.table === 'applications')]).toBe('一、本年新收政府信息公开申请数量·自然人');

    // tree order: 市政府, 教育局, 区政府, 财政局, =1+1, 民政局
    expect(Array.from({ length: 6 }, (_, i) => ws.getCell(4 + i, 1).value)).toEqual(BODIES.map((b) => b.name));
    expect(Array.from({ length: 6 }, (_, i) => ws.getCell(4 + i, 1).alignment?.indent ?? 0)).toEqual([0, 1, 1, 2, 2, 2]);

    const root = findRow(ws, 1, '某某市人民政府');
    expect(ws.getCell(root, 4).value).toBe(4);
    expect(ws.getCell(root, 5).value).toBe(6);
    expect(ws.getCell(root, colOf(KEY_NEW)).value).toBe(22);
    expect(ws.getCell(root, colOf(KEY_FEE)).value).toBe(0.1285);
    expect(ws.getCell(root, colOf(KEY_FEE)).numFmt).toBe('0.00##');
    const county = findRow(ws, 1, '某某区人民政府');
    expect(ws.getCell(county, 4).value).toBe(3);
    expect(ws.getCell(county, 5).value).toBe(4);
    expect(ws.getCell(county, colOf(KEY_NEW)).value).toBe(12);
    expect(ws.getCell(county, colOf(KEY_REG)).value).toBe(0);
    // no report below: blank, not 0
    const none = findRow(ws, 1, '某某区财政局');
    expect(ws.getCell(none, 4).value).toBe(0);
    expect(ws.getCell(none, colOf(KEY_NEW)).value).toBe(null);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.getCell(findRow(ws, 1, INJECTED), 1).numFmt).toBe('@');

    const own = sheet(wb, OWN_SHEET);
    expect(rowValues(own, 3, 4)).toEqual(['机关', '层级', '类型', '有无报告']);
    const ownCol = (key: string) => colOf(key) - 1;
    const countyOwn = findRow(own, 1, '某某区人民政府');
    expect(own.getCell(countyOwn, 4).value).toBe('有');
    expect(own.getCell(countyOwn, ownCol(KEY_NEW)).value).toBe(5);
    expect(own.getCell(countyOwn, ownCol(KEY_FEE)).value).toBe(null);
    const noReport = findRow(own, 1, '某某区财政局');
    expect(own.getCell(noReport, 4).value).toBe('无');
    expect(own.getCell(noReport, ownCol(KEY_NEW)).value).toBe(null);
  });

  it('uses the 2019 cells for a year before 2021', async () => {
    const wb = await workbook(await rollupXlsx(BODIES, rollUp(BODIES, new Map()), { scopeName: SCOPE, year: 2020, rootId: 1 }));
    const ws = sheet(wb, ROLLUP_SHEET);
    const defs = cellDefs('2019');
    expect(ws.getCell(3, 6).value).toBe(`${defs[0].row}·${defs[0].column}`);
    expect(ws.getCell(3, 5 + defs.length).value).toBe(`${defs[defs.length - 1].row}·${defs[defs.length - 1].column}`);
    expect(ws.getCell(3, 6 + defs.length).value).toBe(null);
  });

  it('orders a tree depth first from the root', () => {
    const shuffled = [BODIES[5], BODIES[3], BODIES[0], BODIES[2], BODIES[1], BODIES[4]];
    expect(treeOrder(shuffled, 3).map((x) => [x.body.id, x.depth])).toEqual([
      [3, 0],
      [6, 1],
      [4, 1],
      [5, 1],
      [1, 0],
      [2, 1],
    ]);
  });
});

// ---------------------------------------------------------------------------
// 通报
// ---------------------------------------------------------------------------

describe('bulletinDocx', () => {
  const input = {
    scopeName: SCOPE,
    year: YEAR,
    today: TODAY,
    counts: COUNTS,
    ranking: RANKING,
    scores: SCORES,
    bodies: BODIES,
    statuses: STATUSES,
    copies: COPIES,
    rubricName: '某某市政府信息公开年度报告评分细则',
  };

  it('drafts the 通报: title, counts, unpublished and late bodies, problems, copied pairs, scores, requirements, 落款', async () => {
    const files = parts(await bulletinDocx(input));
    const xml = strFromU8(files['word/document.xml']);
    const text = [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    expect(bulletinTitle(YEAR)).toBe('关于2024年度政府信息公开工作年度报告发布情况的通报（草稿）');
    expect(text).toContain(bulletinTitle(YEAR));
    expect(text).toContain('应发布 6 家，已发布 5 家，其中逾期发布 1 家；未发布 1 家');
    for (const h of ['一、总体情况', '二、发现的主要问题', '三、评分结果', '四、工作要求']) expect(text).toContain(h);
    expect(text).toContain('以下 1 家单位超过发布期限仍未发布：某某区财政局。');
    expect(text).toContain('某某市教育局（逾期 10 天）');
    // the most common problem: the arithmetic, in two bodies, by its Chinese title
    expect(text).toContain(`1. ${RULES.find((r) => r.id === 'applications-balance')?.title}：3 家单位，共 3 处。`);
    expect(text).toContain('另有 1 处因原文无法准确识别');
    expect(text).toContain('某某区民政局与某某市教育局：“一、总体情况”部分相似度 85%');
    // the score table
    for (const h of ['名次', '机关', '得分', '等次']) expect(text).toContain(h);
    expect(text).toContain('县级政府部门（3 家）');
    expect(text).toContain('不合格（否决）');
    expect(text).toContain('某某市政府信息公开年度报告评分细则');
    // 落款
    expect(text).toMatch(new RegExp(`${SCOPE}2025年4月10日$`));
    for (const id of RULE_IDS) expect(text.includes(id)).toBe(false);
    expect(text).not.toMatch(RAW_PATH);
  });

  it('sets the official typography: fonts, sizes, A4 and the GB/T 9704 margins, the font table with fallbacks', async () => {
    const files = parts(await bulletinDocx(input));
    const xml = strFromU8(files['word/document.xml']);
    // title 方正小标宋简体 二号, headings 黑体 and 楷体, body 仿宋_GB2312 三号, Latin in Times New Roman
    expect(xml).toMatch(new RegExp(`w:eastAsia="${FONTS.title}"[^>]*/>(?:<[^>]+>)*?<w:sz w:val="44"/>`));
    expect(xml).toContain(`w:eastAsia="${FONTS.heading}"`);
    expect(xml).toContain(`w:eastAsia="${FONTS.body}"`);
    expect(xml).toContain(`w:eastAsia="${FONTS.note}"`);
    expect(xml).toContain(`w:ascii="${FONTS.latin}"`);
    expect(xml).toContain('<w:sz w:val="32"/>');
    expect(xml).toMatch(/<w:spacing [^>]*w:line="580"[^>]*w:lineRule="exact"|<w:spacing [^>]*w:lineRule="exact"[^>]*w:line="580"/);
    expect(xml).toContain('w:firstLine="640"');
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toContain(`w:top="${MARGIN.top}"`);
    expect(xml).toContain(`w:left="${MARGIN.left}"`);
    const fonts = strFromU8(files['word/fontTable.xml']);
    expect(fonts).toMatch(/<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"\/>/);
    expect(fonts).toMatch(/<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"\/>/);
    expect(Buffer.from(await bulletinDocx(input)).equals(Buffer.from(await bulletinDocx(input)))).toBe(true);
    const core = strFromU8(files['docProps/core.xml']);
    expect(core).toContain('2025-04-10T00:00:00Z');
    expect(core).toContain('关于2024年度政府信息公开工作年度报告发布情况的通报（草稿）');
  });

  it('shows the first and last ten of a long ranking', async () => {
    const many: Body[] = Array.from({ length: 35 }, (_, i) => body(100 + i, `第${i + 1}单位`, 'county', 'department', null));
    const scores = many.map((b, i) => ({ ...score(b.id, {}, [], '优秀'), score: 100 - i }));
    const statuses = new Map(many.map((b) => [b.id, statusOf(b, YEAR, filing(b.id, '2025-01-20'), null, TODAY)]));
    const xml = strFromU8(
      parts(
        await bulletinDocx({
          ...input,
          bodies: many,
          scores,
          statuses,
          ranking: rankScores(scores, () => ''),
          copies: [],
          counts: countStatuses([...statuses.values()]),
        }),
      )['word/document.xml'],
    );
    expect(xml).toContain('第10单位');
    expect(xml).not.toContain('第11单位');
    expect(xml).toContain('（中间 15 家略，详见评分结果表）');
    expect(xml).toContain('第26单位');
    expect(xml).toContain('第35单位');
    expect(xml).toContain('应发布 35 家，已发布 35 家，其中逾期发布 0 家；未发布 0 家。');
  });

  it('counts the common problems of published reports by rule title, leaving lateness and unpublished reports out', () => {
    const problems = commonProblems(SCORES, STATUSES);
    expect(problems[0]).toEqual({ name: RULES.find((r) => r.id === 'applications-balance')?.title, bodies: 3, findings: 3 });
    expect(problems.map((p) => p.name)).toContain('与其他机关报告雷同（相似度超过 50%）');
    expect(problems.find((p) => p.name.startsWith('与其他机关'))).toMatchObject({ bodies: 2, findings: 2 });
    expect(problems.some((p) => p.name.includes('未发布') || p.name.includes('逾期'))).toBe(false);
  });
});
