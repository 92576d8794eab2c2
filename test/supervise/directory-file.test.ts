/**
 * Directory files: parsing XLSX and CSV (UTF-8, GB18030), the dry-run planner and its problems,
 * and the export that parses back to the same directory.
 */

import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { creditCheckChar, orgCodeCheckChar } from '../../src/supervise/codes.js';
import {
  type DirectoryPlan,
  exportDirectory,
  inferTierFromName,
  MAX_DIRECTORY_ROWS,
  type NewBody,
  parseDirectoryFile,
  planDirectory,
} from '../../src/supervise/directory-file.js';
import type { Body, BodyKind, BodyRow, RowProblem, Tier } from '../../src/supervise/types.js';
import { body } from '../helpers/bodies.js';

function code(head: string, region: string, org8: string): string {
  const first17 = `${head}${region}${org8}${orgCodeCheckChar(org8)}`;
  return first17 + creditCheckChar(first17);
}

function utf8(text: string, bom = false): Uint8Array {
  const b = new TextEncoder().encode(text);
  if (!bom) return b;
  const out = new Uint8Array(b.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(b, 3);
  return out;
}

function errors(problems: RowProblem[]): RowProblem[] {
  return problems.filter((p) => p.severity === 'error');
}
function warnings(problems: RowProblem[]): RowProblem[] {
  return problems.filter((p) => p.severity === 'warning');
}

function row(r: number, name: string, parent = '', more: Partial<BodyRow> = {}): BodyRow {
  return {
    row: r,
    name,
    aliases: [],
    tier: 'county',
    kind: 'department',
    parent,
    regionCode: null,
    regionCodeYear: null,
    creditCode: null,
    activeFrom: null,
    activeUntil: null,
    ...more,
  };
}

async function xlsx(rows: ExcelJS.CellValue[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名录');
  for (const r of rows) {
    ws.addRow(r);
  }
  wb.addWorksheet('其他').addRow(['不读这张表']);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** a create's parent's name, through the plan */
function parentName(plan: DirectoryPlan, c: NewBody, existing: Body[] = []): string | null {
  const ref = c.parentRef;
  if (!ref) return null;
  if ('existingId' in ref) return existing.find((b) => b.id === ref.existingId)!.name;
  return plan.creates[ref.createIndex].name;
}

const HUAIAN = code('11', '320800', '01414340');

describe('parseDirectoryFile: CSV', () => {
  it('reads Chinese headers in any order, quoted fields, lists and years; one warning for extra columns', async () => {
    const csv = [
      '上级,名称,层级,类型,曾用名,别名,行政区划代码,统一社会信用代码,起始年度,终止年度,区划代码年份,备注,联系人',
      `,淮安市人民政府,市级,人民政府,,,320800,${HUAIAN},,,2023,市政府,张三`,
      '淮安市人民政府,"淮安市洪泽区自然资源局",县级,部门,"淮安市洪泽区国土资源局（至2018）；洪泽县国土局(2015)、旧名甲",洪泽自然资源局|洪泽资规局,,,2019年,,,,',
      '淮安市人民政府,"淮安市""十四五""规划办, 临时",县级,工作部门,,,,,2021,2023年度,,"多行\n备注",',
      '淮安市人民政府,淮安市教育局（本级）,市,部门,"旧名（2010—2015年）, 其他（局、处）",,,,,,,,',
    ].join('\r\n');
    const { rows, problems } = await parseDirectoryFile(utf8(csv, true), '名录.csv');
    expect(errors(problems)).toEqual([]);
    const extra = warnings(problems).filter((p) => p.message.includes('已忽略'));
    expect(extra).toHaveLength(1);
    expect(extra[0].message).toContain('备注、联系人');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({
      row: 2,
      name: '淮安市人民政府',
      aliases: [],
      tier: 'city',
      kind: 'government',
      parent: '',
      regionCode: '320800',
      regionCodeYear: 2023,
      creditCode: HUAIAN,
      activeFrom: null,
      activeUntil: null,
    });
    expect(rows[1].aliases).toEqual([
      { name: '淮安市洪泽区国土资源局', kind: 'former', until: 2018 },
      { name: '洪泽县国土局', kind: 'former', until: 2015 },
      { name: '旧名甲', kind: 'former', until: null },
      { name: '洪泽自然资源局', kind: 'alias' },
      { name: '洪泽资规局', kind: 'alias' },
    ]);
    expect(rows[1]).toMatchObject({ tier: 'county', kind: 'department', parent: '淮安市人民政府', activeFrom: 2019 });
    // doubled quotes, a comma inside quotes, a line break inside quotes (still one record: row 4)
    expect(rows[2]).toMatchObject({ row: 4, name: '淮安市"十四五"规划办, 临时', activeFrom: 2021, activeUntil: 2023 });
    expect(rows[3].aliases).toEqual([
      { name: '旧名', kind: 'former', until: 2015 },
      { name: '其他（局、处）', kind: 'former', until: null },
    ]);
    expect(rows[3].tier).toBe('city');
  });

  it('reads English headers, no BOM, LF line ends, tier and kind keys', async () => {
    const csv =
      'Name,Parent,Tier,Kind,Region code,Credit code,From,Until\nJiangsu,,province,government,320000,,,\nHuai’an,Jiangsu,city,government,320800,,2020,2024\n';
    const { rows, problems } = await parseDirectoryFile(utf8(csv), 'dir.csv');
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.name, r.parent, r.tier, r.kind, r.regionCode, r.activeFrom, r.activeUntil])).toEqual([
      ['Jiangsu', '', 'province', 'government', '320000', null, null],
      ['Huai’an', 'Jiangsu', 'city', 'government', '320800', 2020, 2024],
    ]);
  });

  it('decodes GB18030 (what Excel in China writes) when the bytes are not UTF-8', async () => {
    const text = '名称,上级,层级,类型\r\n淮安市人民政府,,市级,人民政府\r\n淮安市洪泽区教育局,淮安市人民政府,县级,部门\r\n';
    const bytes = new Uint8Array(iconv.encode(text, 'gb18030'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const { rows, problems } = await parseDirectoryFile(bytes, '名录.csv');
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.name)).toEqual(['淮安市人民政府', '淮安市洪泽区教育局']);
    expect(rows[1].parent).toBe('淮安市人民政府');
  });

  it('reads tab-separated UTF-16 (Excel’s “Unicode text”)', async () => {
    const text = '名称\t上级\t层级\t类型\r\n淮安市人民政府\t\t市级\t人民政府\r\n';
    const bytes = new Uint8Array([0xff, 0xfe, ...iconv.encode(text, 'utf16le')]);
    const { rows, problems } = await parseDirectoryFile(bytes, '名录.txt');
    expect(problems).toEqual([]);
    expect(rows[0]).toMatchObject({ name: '淮安市人民政府', tier: 'city', kind: 'government' });
  });

  it('a missing 名称 column is a file-level error', async () => {
    const { rows, problems } = await parseDirectoryFile(utf8('单位,上级\n淮安市人民政府,\n'), 'x.csv');
    expect(rows).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ row: null, column: null, severity: 'error' });
    expect(problems[0].message).toContain('缺少必填的“名称”列');
    expect(problems[0].messageEn).toContain('missing');
  });

  it('finds the header below a title row', async () => {
    const csv = '淮安市政务公开年报报送单位名录,,\n,,\n名称,上级,层级\n淮安市人民政府,,市级\n';
    const { rows } = await parseDirectoryFile(utf8(csv), 'x.csv');
    expect(rows).toHaveLength(1);
    expect(rows[0].row).toBe(4);
  });

  it('a bad cell is an error naming the row and the column; the row is kept, a nameless row is not', async () => {
    const csv = [
      '名称,层级,类型,起始年度,终止年度,区划代码年份,曾用名',
      '甲局,省部,县级,2020,2021,2023,',
      '乙局,县级,部门,二〇二三,1800,abc,旧名（至1900）',
      ',县级,部门,,,,',
      '丙局,县级,机关,,,,',
    ].join('\n');
    const { rows, problems } = await parseDirectoryFile(utf8(csv), 'x.csv');
    expect(rows.map((r) => r.name)).toEqual(['甲局', '乙局', '丙局']);
    const errs = errors(problems);
    const at = (r: number, col: string) => errs.find((p) => p.row === r && p.column === col);
    expect(at(2, '层级')?.message).toContain('层级“省部”无法识别');
    expect(at(2, '类型')?.message).toContain('类型“县级”无法识别');
    expect(at(3, '起始年度')?.message).toContain('实为“二〇二三”');
    expect(at(3, '终止年度')?.message).toContain('1800');
    expect(at(3, '区划代码年份')).toBeDefined();
    expect(at(3, '曾用名')?.message).toContain('旧名（至1900）');
    expect(at(4, '名称')?.message).toContain('没有填写名称');
    expect(at(5, '类型')).toBeDefined();
    expect(rows[1]).toMatchObject({ activeFrom: null, activeUntil: null, regionCodeYear: null, aliases: [] });
    for (const p of errs) expect(p.messageEn.length).toBeGreaterThan(10);
  });

  it('leaves a missing kind and tier to the planner, which infers them for new bodies with warnings', async () => {
    const csv = [
      '名称,上级,行政区划代码',
      '江苏省人民政府,,',
      '淮安市人民政府,江苏省人民政府,',
      '清江浦区人民政府,淮安市人民政府,',
      '清河街道办事处,清江浦区人民政府,',
      '综合执法局,清河街道办事处,',
      '统计局,清江浦区人民政府,',
      '某某中心,,320812',
      '水利部,,',
      '无从判断,,',
      '城南社区,清河街道办事处,',
    ].join('\n');
    const { rows, problems } = await parseDirectoryFile(utf8(csv), 'x.csv');
    expect(problems).toEqual([]);
    expect(rows.every((r) => r.kind === null && r.tier === null)).toBe(true);
    const plan = planDirectory(rows, []);
    const got = Object.fromEntries(plan.creates.map((c) => [c.name, [c.kind, c.tier]]));
    expect(got).toEqual({
      江苏省人民政府: ['government', 'province'],
      淮安市人民政府: ['government', 'city'],
      清江浦区人民政府: ['government', 'county'],
      清河街道办事处: ['government', 'township'],
      综合执法局: ['department', 'township'],
      统计局: ['department', 'county'],
      某某中心: ['department', 'county'],
      水利部: ['department', 'national'],
      城南社区: ['department', 'township'],
    });
    const w = warnings(plan.problems);
    expect(w.find((p) => p.row === 2 && p.column === '类型')?.message).toContain('按名称推断为“人民政府”');
    expect(w.find((p) => p.row === 7 && p.column === '层级')?.message).toContain('按上级推断为“县级”');
    expect(w.find((p) => p.row === 8 && p.column === '层级')?.message).toContain('按行政区划代码推断为“县级”');
    expect(w.find((p) => p.row === 3 && p.column === '层级')?.message).toContain('按名称推断为“市级”');
    // the one row whose tier cannot be inferred is refused
    expect(errors(plan.problems).map((p) => [p.row, p.column])).toEqual([[10, '层级']]);
    // a stored body keeps its tier and kind when the file has none
    const stored = [body(7, '统计局', 'city', 'department', null)];
    const update = planDirectory([row(2, '统计局', '', { tier: null, kind: null, activeFrom: 2020 })], stored);
    expect(update.problems).toEqual([]);
    expect(update.updates).toEqual([{ id: 7, row: 2, changes: { activeFrom: 2020 } }]);
  });

  it('an unclosed quote is an error, not an exception', async () => {
    const { rows, problems } = await parseDirectoryFile(utf8('名称,上级\n甲局,"乙\n丙局,\n'), 'x.csv');
    expect(rows).toHaveLength(1);
    expect(errors(problems)[0].message).toContain('引号没有闭合');
  });

  it('refuses a file over 10 MB and over 100,000 rows', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x41);
    const r1 = await parseDirectoryFile(big, 'x.csv');
    expect(r1.rows).toEqual([]);
    expect(r1.problems[0].message).toContain('10 MB');
    const many = `名称\n${'甲\n'.repeat(MAX_DIRECTORY_ROWS + 1)}`;
    const r2 = await parseDirectoryFile(utf8(many), 'x.csv');
    expect(r2.rows).toEqual([]);
    expect(r2.problems[0].message).toContain('100,000');
    const exactly = `名称\n${'甲\n'.repeat(MAX_DIRECTORY_ROWS)}`;
    const r3 = await parseDirectoryFile(utf8(exactly), 'x.csv');
    expect(r3.rows).toHaveLength(MAX_DIRECTORY_ROWS);
  });

  it('refuses .xls and damaged workbooks with a problem', async () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect((await parseDirectoryFile(ole, '名录.xls')).problems[0].message).toContain('.xlsx 或 .csv');
    const broken = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const r = await parseDirectoryFile(broken, '名录.xlsx');
    expect(r.rows).toEqual([]);
    expect(errors(r.problems)).toHaveLength(1);
    expect((await parseDirectoryFile(new Uint8Array(0), 'x.csv')).problems[0].message).toBe('文件为空。');
  });
});

describe('parseDirectoryFile: XLSX', () => {
  it('reads the first worksheet of a workbook made with exceljs (numbers, rich text, formulas)', async () => {
    const bytes = await xlsx([
      ['淮安市机关名录'],
      ['序号', '名称', '上级', '层级', '类型', '行政区划代码', '起始年度'],
      [1, '淮安市人民政府', null, '市级', '人民政府', 320800, 2019],
      [
        2,
        { richText: [{ text: '淮安市' }, { text: '教育局', font: { bold: true } }] },
        '淮安市人民政府',
        '市级',
        '部门',
        null,
        { formula: '2019+1', result: 2020 },
      ],
      [3, '  淮安市 统计局 ', '淮安市人民政府', '市级', '部门', null, null],
    ]);
    const { rows, problems } = await parseDirectoryFile(bytes, '名录.xlsx');
    expect(errors(problems)).toEqual([]);
    expect(warnings(problems)[0].message).toContain('序号');
    expect(rows.map((r) => [r.row, r.name, r.regionCode, r.activeFrom])).toEqual([
      [3, '淮安市人民政府', '320800', 2019],
      [4, '淮安市教育局', null, 2020],
      [5, '淮安市统计局', null, null],
    ]);
  });

  it('a credit code typed as a number has lost digits: an error', async () => {
    const bytes = await xlsx([
      ['名称', '统一社会信用代码', '层级', '类型'],
      // what Excel keeps of 111000000000131270 typed into a General cell
      ['甲局', Number('111000000000131270'), '县级', '部门'],
      ['乙局', HUAIAN, '县级', '部门'],
    ]);
    const { rows, problems } = await parseDirectoryFile(bytes, 'x.xlsx');
    expect(errors(problems)).toHaveLength(1);
    expect(errors(problems)[0]).toMatchObject({ row: 2, column: '统一社会信用代码' });
    expect(errors(problems)[0].message).toContain('丢失');
    expect(rows[1].creditCode).toBe(HUAIAN);
  });

  it('refuses a workbook over 100,000 rows before exceljs reads it', async () => {
    const rowsXml = Array.from({ length: MAX_DIRECTORY_ROWS + 20 }, (_, i) => `<row r="${i + 1}"/>`).join('');
    const files = {
      '[Content_Types].xml': strToU8(
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
      ),
      'xl/workbook.xml': strToU8('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'),
      'xl/worksheets/sheet1.xml': strToU8(
        `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rowsXml}</sheetData></worksheet>`,
      ),
    };
    const bytes = zipSync(files, { level: 0 });
    expect(bytes.length).toBeLessThan(10 * 1024 * 1024);
    const { rows, problems } = await parseDirectoryFile(bytes, 'big.xlsx');
    expect(rows).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain('100,000');
  });
});

describe('inferTierFromName', () => {
  it('reads the region words of a name', () => {
    expect(inferTierFromName('江苏省教育厅', 'department')).toBe('province');
    expect(inferTierFromName('北京市教育委员会', 'department')).toBe('province');
    expect(inferTierFromName('北京市海淀区教育委员会', 'department')).toBe('county');
    expect(inferTierFromName('淮安市洪泽区市场监督管理局', 'department')).toBe('county');
    expect(inferTierFromName('淮安市市场监督管理局', 'department')).toBe('city');
    expect(inferTierFromName('中共淮安市委宣传部', 'department')).toBe('city');
    expect(inferTierFromName('广西壮族自治区人民政府', 'government')).toBe('province');
    expect(inferTierFromName('上海市人民政府', 'government')).toBe('province');
    expect(inferTierFromName('延边朝鲜族自治州人民政府', 'government')).toBe('city');
    expect(inferTierFromName('城关镇人民政府', 'government')).toBe('township');
    expect(inferTierFromName('国家统计局', 'department')).toBe('national');
    expect(inferTierFromName('教育局', 'department')).toBeNull();
  });
});

describe('planDirectory', () => {
  const TOP: BodyRow[] = [
    row(2, '江苏省人民政府', '', { tier: 'province', kind: 'government', regionCode: '320000' }),
    row(3, '淮安市人民政府', '江苏省人民政府', { tier: 'city', kind: 'government', regionCode: '320800', creditCode: HUAIAN }),
    row(4, '洪泽区人民政府', '淮安市人民政府', {
      tier: 'county',
      kind: 'government',
      regionCode: '320813',
      aliases: [{ name: '洪泽县人民政府', kind: 'former', until: 2015 }],
    }),
  ];

  it('creates bodies with parents resolved in every way; a parent later in the file is fine', () => {
    const rows = [
      row(2, '洪泽区教育局', '淮安市洪泽区人民政府'), // region-prefixed name
      ...TOP.map((r, i) => ({ ...r, row: 3 + i })),
      row(6, '洪泽区财政局', '320813'), // region code
      row(7, '淮安市教育局', HUAIAN, { tier: 'city' }), // credit code
      row(8, '洪泽区水利局', '洪泽县人民政府'), // former name
      row(9, '洪泽区统计局', '淮安市人民政府/洪泽区人民政府'), // path
      row(10, '洪泽区审计局', '洪泽区教育局'), // a department under a department
    ];
    const plan = planDirectory(rows, []);
    expect(errors(plan.problems)).toEqual([]);
    expect(plan.updates).toEqual([]);
    expect(plan.creates).toHaveLength(9);
    const by = Object.fromEntries(plan.creates.map((c) => [c.name, parentName(plan, c)]));
    expect(by).toEqual({
      江苏省人民政府: null,
      淮安市人民政府: '江苏省人民政府',
      洪泽区人民政府: '淮安市人民政府',
      洪泽区教育局: '洪泽区人民政府',
      洪泽区财政局: '洪泽区人民政府',
      淮安市教育局: '淮安市人民政府',
      洪泽区水利局: '洪泽区人民政府',
      洪泽区统计局: '洪泽区人民政府',
      洪泽区审计局: '洪泽区教育局',
    });
    // parents come first: every createIndex points backwards
    plan.creates.forEach((c, i) => {
      if (c.parentRef && 'createIndex' in c.parentRef) expect(c.parentRef.createIndex).toBeLessThan(i);
    });
    expect(plan.creates.find((c) => c.name === '淮安市人民政府')).toMatchObject({ row: 4, creditCode: HUAIAN, regionCode: '320800' });
  });

  it('resolves parents among stored bodies and makes updates that list only what changes', () => {
    const existing = [
      body(1, '江苏省人民政府', 'province', 'government', null, { regionCode: '320000' }),
      body(2, '淮安市人民政府', 'city', 'government', 1, { regionCode: '320800', creditCode: HUAIAN }),
      body(3, '淮安市教育局', 'city', 'department', 2, { aliases: [{ name: '淮安市教委', kind: 'former', until: 2000 }] }),
      body(4, '淮安市统计局', 'city', 'department', 2),
    ];
    const officeCode = code('11', '320800', '12345678');
    const rows = [
      row(2, '淮安市人民政府', '江苏省人民政府', { tier: 'city', kind: 'government', regionCode: '320800', creditCode: HUAIAN }),
      row(3, '淮安市教育局', '淮安市人民政府', { tier: 'city', activeUntil: 2030, aliases: [{ name: '淮安市教育体育局', kind: 'alias' }] }),
      row(4, '淮安市人民政府办公室', '淮安市人民政府', { tier: 'city', creditCode: officeCode }),
      row(5, '淮安市统计局', '淮安市人民政府办公室', { tier: 'city' }),
    ];
    const plan = planDirectory(rows, existing);
    expect(errors(plan.problems)).toEqual([]);
    expect(plan.creates.map((c) => c.name)).toEqual(['淮安市人民政府办公室']);
    expect(plan.creates[0].parentRef).toEqual({ existingId: 2 });
    // row 2 changes nothing: no update
    expect(plan.updates.find((u) => u.id === 2)).toBeUndefined();
    expect(plan.updates.find((u) => u.id === 3)).toEqual({
      id: 3,
      row: 3,
      changes: {
        activeUntil: 2030,
        aliases: [
          { name: '淮安市教委', kind: 'former', until: 2000 },
          { name: '淮安市教育体育局', kind: 'alias' },
        ],
      },
    });
    // moved under a body the plan creates
    expect(plan.updates.find((u) => u.id === 4)).toEqual({ id: 4, row: 5, changes: {}, parentRef: { createIndex: 0 } });
  });

  it('a row with a stored body’s credit code renames it, keeping the old name as a former one', () => {
    const existing = [body(2, '淮安市人民政府', 'city', 'government', null, { creditCode: HUAIAN })];
    const plan = planDirectory(
      [row(2, '淮安市政府', '', { tier: 'city', kind: 'government', creditCode: HUAIAN.toLowerCase() })],
      existing,
    );
    expect(errors(plan.problems)).toEqual([]);
    expect(plan.creates).toEqual([]);
    expect(plan.updates).toEqual([
      { id: 2, row: 2, changes: { name: '淮安市政府', aliases: [{ name: '淮安市人民政府', kind: 'former', until: null }] } },
    ]);
    expect(warnings(plan.problems)[0].message).toContain('原名称作为曾用名保留');
  });

  it('reports every kind of problem', () => {
    const rows: BodyRow[] = [
      ...TOP,
      // 5, 6: the same name under the same parent
      row(5, '洪泽区教育局', '洪泽区人民政府'),
      row(6, '洪泽区教育局（本级）', '洪泽区人民政府'),
      // 7: unknown parent
      row(7, '洪泽区财政局', '洪泽区人民政府办公厅'),
      // 8, 9: a cycle
      row(8, '甲局', '乙局'),
      row(9, '乙局', '甲局'),
      // 10: invalid credit code; 11: invalid region code
      row(10, '洪泽区审计局', '洪泽区人民政府', { creditCode: `${HUAIAN.slice(0, 17)}${HUAIAN[17] === '1' ? '2' : '1'}` }),
      row(11, '洪泽区统计局', '洪泽区人民政府', { regionCode: '990813' }),
      // 12: the same credit code as row 3
      row(12, '洪泽区水利局', '洪泽区人民政府', { creditCode: HUAIAN }),
      // 13: region code of a city for a county body (warning); 14: not inside the parent's region (warning)
      row(13, '洪泽区民政局', '洪泽区人民政府', { regionCode: '320800' }),
      row(14, '洪泽区司法局', '洪泽区人民政府', { regionCode: '330102' }),
      // 15: activeFrom > activeUntil
      row(15, '洪泽区交通局', '洪泽区人民政府', { activeFrom: 2024, activeUntil: 2020 }),
      // 16: a child of a row with errors
      row(16, '洪泽区财政局国库科', '洪泽区财政局'),
      // 17: the parent is the row itself
      row(17, '自指局', '自指局'),
      // 18, 19, 20: an ambiguous parent
      row(18, '城关镇人民政府', '洪泽区人民政府', { tier: 'township', kind: 'government' }),
      row(19, '城关镇人民政府', '淮安市人民政府', { tier: 'township', kind: 'government' }),
      row(20, '城关镇农业站', '城关镇人民政府', { tier: 'township' }),
      // 21: no tier and none to infer
      row(21, '某中心', '', { tier: null, kind: null }),
    ];
    const { problems, creates } = planDirectory(rows, []);
    const find = (r: number, severity: 'error' | 'warning') => problems.filter((p) => p.row === r && p.severity === severity);
    expect(find(6, 'error')[0].message).toContain('与第5行“洪泽区教育局”同名且上级相同');
    expect(find(5, 'error')).toEqual([]);
    expect(find(7, 'error')[0]).toMatchObject({ column: '上级' });
    expect(find(7, 'error')[0].message).toContain('找不到');
    expect(find(8, 'error')[0].message).toContain('循环');
    expect(find(9, 'error')[0].message).toContain('循环');
    expect(find(10, 'error')[0]).toMatchObject({ column: '统一社会信用代码' });
    expect(find(10, 'error')[0].message).toContain('第18位应为');
    expect(find(11, 'error')[0]).toMatchObject({ column: '行政区划代码' });
    expect(find(12, 'error')[0].message).toContain('与第3行“淮安市人民政府”相同');
    expect(find(13, 'warning')[0].message).toContain('市级代码，与层级“县级”不一致');
    expect(find(13, 'error')).toEqual([]);
    expect(
      find(14, 'warning')
        .map((p) => p.message)
        .join(),
    ).toContain('不在上级“洪泽区人民政府”的区划320813之内');
    expect(find(15, 'error')[0].message).toContain('起始年度2024晚于终止年度2020');
    expect(find(16, 'error')[0].message).toContain('第7行');
    expect(find(17, 'error')[0].message).toContain('它自己');
    expect(find(20, 'error')[0].message).toContain('对应多个机关');
    expect(find(21, 'error')[0].message).toContain('无法推断');
    for (const p of problems) {
      expect(p.message.length).toBeGreaterThan(5);
      expect(p.messageEn.length).toBeGreaterThan(5);
    }
    // rows with errors are not created; the others are
    const made = new Set(creates.map((c) => c.row));
    for (const bad of [6, 7, 8, 9, 10, 11, 12, 15, 16, 17, 20, 21]) expect(made.has(bad), `row ${bad}`).toBe(false);
    for (const good of [2, 3, 4, 5, 13, 14, 18, 19]) expect(made.has(good), `row ${good}`).toBe(true);
  });

  it('two rows for one stored body, and a name shared by stored bodies', () => {
    const existing = [
      body(1, '甲县人民政府', 'county', 'government', null),
      body(2, '乙县人民政府', 'county', 'government', null),
      body(3, '教育局', 'county', 'department', 1),
      body(4, '教育局', 'county', 'department', 2),
      body(5, '统计局', 'county', 'department', 1),
    ];
    const plan = planDirectory(
      [
        row(2, '统计局', '甲县人民政府'),
        row(3, '统计局', '甲县人民政府'),
        row(4, '教育局', '乙县人民政府', { activeFrom: 2020 }),
        row(5, '教育局', '', { activeFrom: 2021 }),
      ],
      existing,
    );
    expect(errors(plan.problems).find((p) => p.row === 3)?.message).toContain('同一个已有机关“统计局”');
    // the parent tells the stored 教育局 apart
    expect(plan.updates.find((u) => u.row === 4)).toEqual({ id: 4, row: 4, changes: { activeFrom: 2020 } });
    expect(errors(plan.problems).find((p) => p.row === 5)?.message).toContain('多个已有机关');
  });

  it('checks the years of an update against the stored ones', () => {
    const stored = [body(7, '统计局', 'county', 'department', null, { activeUntil: 2020 })];
    const plan = planDirectory([row(2, '统计局', '', { activeFrom: 2022 })], stored);
    expect(errors(plan.problems)[0]).toMatchObject({ row: 2, column: '起始年度' });
    expect(errors(plan.problems)[0].message).toContain('起始年度2022晚于终止年度2020');
    expect(plan.updates).toEqual([]);
  });

  it('plans 3,000 rows (parents after their children, stored bodies too) in linear-ish work', () => {
    const rows: BodyRow[] = [];
    const existing: Body[] = [body(1, '某省人民政府', 'province', 'government', null, { regionCode: '320000' })];
    let r = 2;
    for (let c = 0; c < 100; c++) {
      const county = `第${c}县人民政府`;
      for (let d = 0; d < 29; d++) rows.push(row(r++, `第${c}县第${d}局`, county));
      rows.push(row(r++, county, '某省人民政府', { kind: 'government' }));
    }
    expect(rows).toHaveLength(3000);
    const plan = planDirectory(rows, existing);
    expect(errors(plan.problems)).toEqual([]);
    expect(plan.creates).toHaveLength(3000);
    plan.creates.forEach((c, i) => {
      if (c.parentRef && 'createIndex' in c.parentRef) expect(c.parentRef.createIndex).toBeLessThan(i);
    });
    // against itself stored: nothing to do
    const stored: Body[] = [...existing];
    plan.creates.forEach((c, i) => {
      const { row: _row, parentRef: p, ...rest } = c;
      stored.push({ ...rest, id: 100 + i, parentId: p === null ? null : 'existingId' in p ? p.existingId : 100 + p.createIndex });
    });
    const again = planDirectory(rows, stored);
    expect(errors(again.problems)).toEqual([]);
    expect(again.creates).toEqual([]);
    expect(again.updates).toEqual([]);
  });
});

describe('exportDirectory', () => {
  const DIR: Body[] = [
    body(1, '江苏省人民政府', 'province', 'government', null, { regionCode: '320000', regionCodeYear: 2023 }),
    body(2, '淮安市人民政府', 'city', 'government', 1, { regionCode: '320800', creditCode: HUAIAN }),
    body(3, '甲县人民政府', 'county', 'government', 2, { aliases: [{ name: '甲县政府', kind: 'alias' }] }),
    body(4, '乙县人民政府', 'county', 'government', 2, { activeFrom: 2018 }),
    body(5, '教育局', 'county', 'department', 3, { aliases: [{ name: '甲县教体局', kind: 'former', until: 2019 }] }),
    body(6, '教育局', 'county', 'department', 4, { activeUntil: 2024 }),
    body(7, '督导室', 'county', 'department', 5),
    body(8, '督导室', 'county', 'department', 6),
    body(9, '=HYPERLINK("http://evil.example","点我")', 'county', 'department', 7),
    body(10, '-12', 'county', 'department', 8),
  ];

  it('writes CSV with a BOM, the Chinese headers, paths for names that are not unique, and no formulas', async () => {
    const bytes = await exportDirectory(DIR, 'csv');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('名称,曾用名,别名,层级,类型,上级,行政区划代码,区划代码年份,统一社会信用代码,起始年度,终止年度');
    expect(text).toContain(`淮安市人民政府,,,市级,人民政府,江苏省人民政府,320800,,${HUAIAN},,`);
    expect(text).toContain('督导室,,,县级,政府部门,甲县人民政府/教育局,');
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example"",""点我"")"');
    expect(text).toContain('-12,,,县级,政府部门,乙县人民政府/教育局/督导室');
    expect(text).not.toMatch(/(^|,)=/m);
    expect(text).toContain('甲县教体局（至2019）');
  });

  it('round-trips through CSV and XLSX', async () => {
    for (const kind of ['csv', 'xlsx'] as const) {
      const bytes = await exportDirectory(DIR, kind);
      const parsed = await parseDirectoryFile(bytes, `名录.${kind}`);
      expect(parsed.problems).toEqual([]);
      const plan = planDirectory(parsed.rows, []);
      expect(errors(plan.problems)).toEqual([]);
      expect(canonical(plan)).toEqual(canonicalBodies(DIR));
      const none = planDirectory(parsed.rows, DIR);
      expect(none.problems).toEqual([]);
      expect(none.creates).toEqual([]);
      expect(none.updates).toEqual([]);
    }
  });

  it('round-trips generated directories (fast-check)', async () => {
    const chars = '东南西北中甲乙丙丁局处科室'.split('');
    const nameArb = fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
    const nodeArb = fc.record({
      name: nameArb,
      parent: fc.nat(),
      root: fc.boolean(),
      tier: fc.constantFrom<Tier>('national', 'province', 'city', 'county', 'township'),
      kind: fc.constantFrom<BodyKind>('government', 'department'),
      former: fc.option(fc.tuple(nameArb, fc.option(fc.integer({ min: 1990, max: 2030 }), { nil: null })), { nil: null }),
      alias: fc.option(nameArb, { nil: null }),
      region: fc.option(fc.constantFrom('320000', '320800', '320813', '110105', '320813101'), { nil: null }),
      credit: fc.boolean(),
      from: fc.option(fc.integer({ min: 2000, max: 2020 }), { nil: null }),
      span: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(nodeArb, { minLength: 1, maxLength: 25 }),
        fc.constantFrom('csv' as const, 'xlsx' as const),
        async (nodes, kind) => {
          const bodies: Body[] = [];
          const siblings = new Set<string>();
          nodes.forEach((n, i) => {
            const parentId = i === 0 || n.root ? null : bodies.length > 0 ? bodies[n.parent % bodies.length].id : null;
            const key = `${parentId}|${n.name}`;
            if (siblings.has(key)) return;
            siblings.add(key);
            const aliases: Body['aliases'] = [];
            if (n.former && n.former[0] !== n.name) aliases.push({ name: n.former[0], kind: 'former', until: n.former[1] });
            if (n.alias && n.alias !== n.name) aliases.push({ name: n.alias, kind: 'alias' });
            const id = 1000 + i;
            bodies.push(
              body(id, n.name, n.tier, n.kind, parentId, {
                aliases,
                regionCode: n.region,
                creditCode: n.credit ? code('11', '320800', String(id).padStart(8, '0')) : null,
                activeFrom: n.from,
                activeUntil: n.from !== null && n.span !== null ? n.from + n.span : null,
              }),
            );
          });
          const bytes = await exportDirectory(bodies, kind);
          const parsed = await parseDirectoryFile(bytes, `x.${kind}`);
          expect(errors(parsed.problems)).toEqual([]);
          const plan = planDirectory(parsed.rows, []);
          expect(errors(plan.problems)).toEqual([]);
          expect(canonical(plan)).toEqual(canonicalBodies(bodies));
          const none = planDirectory(parsed.rows, bodies);
          expect(errors(none.problems)).toEqual([]);
          expect(none.creates).toEqual([]);
          expect(none.updates).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});

/** each body as its path of names and its fields, sorted: comparable whatever the ids and order */
function canonicalBodies(bodies: Body[]): string[] {
  const byId = new Map(bodies.map((b) => [b.id, b]));
  const path = (b: Body): string => (b.parentId === null ? b.name : `${path(byId.get(b.parentId)!)}/${b.name}`);
  return bodies
    .map((b) =>
      JSON.stringify([
        path(b),
        b.aliases.map((a) => [a.name, a.kind, a.until ?? null]),
        b.tier,
        b.kind,
        b.regionCode,
        b.regionCodeYear,
        b.creditCode,
        b.activeFrom,
        b.activeUntil,
      ]),
    )
    .sort();
}

function canonical(plan: DirectoryPlan): string[] {
  const bodies: Body[] = plan.creates.map((c, i) => {
    const { row: _row, parentRef, ...rest } = c;
    return { ...rest, id: i, parentId: parentRef && 'createIndex' in parentRef ? parentRef.createIndex : null };
  });
  return canonicalBodies(bodies);
}
