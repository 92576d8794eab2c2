/**
 * Directory files: reading an XLSX or CSV list of the bodies that must report
 * ({@link parseDirectoryFile}), the dry run that says what storing it would change
 * ({@link planDirectory}), and writing the directory back out ({@link exportDirectory}) in the same
 * layout, so that parse(export(x)) gives x again.
 *
 * Layout: one header row (the first row whose cells name the 名称 column, among the first 10),
 * then one body per row. Headers in Chinese or English, any order; unknown columns are ignored
 * (one warning names them). See {@link DIRECTORY_HEADERS} for the columns written on export.
 *
 * Nothing here throws on bad input: a bad file, header or cell is a {@link RowProblem} (with the
 * row number and the column's header), an error or a warning.
 */
import ExcelJS from 'exceljs';
import { SaxesParser } from 'saxes';
import { agencyKind } from '../check/agency.js';
import { ReadError } from '../read/errors.js';
import { dtdGuard, isXmlPart, openZip } from '../read/zip.js';
import { csvRecords, decodeCsv, sniffDelimiter } from '../util/csv.js';
import { tidyCjk } from '../util/normalize.js';
import { MUNICIPALITIES, PROVINCES, regionContains, validateCreditCode, validateRegionCode } from './codes.js';
import { DirectoryIndex, normaliseName } from './directory.js';
import {
  BODY_KIND_ZH,
  type Body,
  type BodyAlias,
  type BodyKind,
  type BodyRow,
  type RowProblem,
  TIER_ZH,
  TIERS,
  type Tier,
} from './types.js';

/** the list kept under `key` in `map`, created empty when there is none */
function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/** largest directory file accepted */
export const MAX_DIRECTORY_BYTES = 10 * 1024 * 1024;
/** most body rows accepted (the header row not counted) */
export const MAX_DIRECTORY_ROWS = 100_000;
/** most cells of an XLSX workbook (all sheets) handed to exceljs */
const MAX_XLSX_CELLS = 1_500_000;
/** the header row is looked for among this many first non-blank rows */
const HEADER_SEARCH_ROWS = 10;
const MAX_NAME_LENGTH = 100;
const MIN_YEAR = 1949;
const MAX_YEAR = 2100;

type Field =
  | 'name'
  | 'former'
  | 'aliases'
  | 'tier'
  | 'kind'
  | 'parent'
  | 'regionCode'
  | 'regionCodeYear'
  | 'creditCode'
  | 'activeFrom'
  | 'activeUntil';

const FIELDS: readonly Field[] = [
  'name',
  'former',
  'aliases',
  'tier',
  'kind',
  'parent',
  'regionCode',
  'regionCodeYear',
  'creditCode',
  'activeFrom',
  'activeUntil',
];

/** the headers written on export, in this order (and the Chinese names used in problems) */
export const DIRECTORY_HEADERS: Readonly<Record<Field, string>> = {
  name: '名称',
  former: '曾用名',
  aliases: '别名',
  tier: '层级',
  kind: '类型',
  parent: '上级',
  regionCode: '行政区划代码',
  regionCodeYear: '区划代码年份',
  creditCode: '统一社会信用代码',
  activeFrom: '起始年度',
  activeUntil: '终止年度',
};

/** accepted header texts (compared after {@link headerKey}) */
const HEADER_WORDS: Record<Field, string[]> = {
  name: ['名称', '机关名称', '单位名称', '机构名称', '主体名称', '报告主体', 'name', 'bodyname'],
  former: ['曾用名', '原名称', '原名', '曾用名称', 'formernames', 'formername', 'former'],
  aliases: ['别名', '其他名称', '简称', '又名', 'aliases', 'alias'],
  tier: ['层级', '级别', '行政层级', '层次', 'tier', 'level'],
  kind: ['类型', '机关类型', '单位类型', '主体类型', 'kind', 'type'],
  parent: ['上级', '上级机关', '上级单位', '上级机关名称', '上级名称', '所属政府', '上级政府', 'parent', 'parentname'],
  regionCode: ['行政区划代码', '区划代码', '行政区划', 'regioncode', 'region', 'areacode'],
  regionCodeYear: ['区划代码年份', '区划代码年度', '代码年份', '区划年份', 'codeyear', 'regioncodeyear'],
  creditCode: ['统一社会信用代码', '社会信用代码', '信用代码', 'creditcode', 'uscc', 'unifiedsocialcreditcode'],
  activeFrom: ['起始年度', '起始年份', '开始年度', '开始年份', '起始年', 'from', 'activefrom', 'fromyear'],
  activeUntil: ['终止年度', '终止年份', '截止年度', '结束年度', '结束年份', '终止年', 'until', 'activeuntil', 'untilyear', 'to'],
};

/** a header cell in the form compared: NFKC, lower case, no spaces, `_`, `-`, `*`, nor a trailing (必填)-like note */
function headerKey(s: string): string {
  let t = s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-*＊]+/g, '');
  t = t.replace(/\((?:必填|选填|可选|必须|非必填|optional|required)\)$/, '');
  return t;
}

const HEADER_LOOKUP: Map<string, Field> = (() => {
  const m = new Map<string, Field>();
  for (const f of FIELDS) for (const w of HEADER_WORDS[f]) m.set(headerKey(w), f);
  return m;
})();

/** the field of a header cell: the whole text, or one side of a bilingual '名称/name' or '名称(name)' */
function fieldOf(header: string): Field | null {
  const k = headerKey(header);
  if (k === '') return null;
  const direct = HEADER_LOOKUP.get(k);
  if (direct) return direct;
  for (const part of k.split(/[/|]/)) {
    const f = HEADER_LOOKUP.get(part) ?? HEADER_LOOKUP.get(part.replace(/\([^)]*\)$/, ''));
    if (f) return f;
  }
  return HEADER_LOOKUP.get(k.replace(/\([^)]*\)$/, '')) ?? null;
}

const TIER_WORDS: Record<Tier, string[]> = {
  national: ['国务院部门', '国家', '国家级', '中央', '中央部门', '中央国家机关', '部委', 'national', 'central'],
  province: ['省级', '省', '省部级', '省级政府', '自治区', '直辖市', '省(自治区、直辖市)', '省(区、市)', 'province', 'provincial'],
  city: [
    '市级',
    '市',
    '地级',
    '地市级',
    '地级市',
    '设区的市',
    '市州',
    '地市',
    '州',
    '盟',
    '市(州)',
    '市(地、州、盟)',
    'city',
    'prefecture',
  ],
  county: ['县级', '县', '区', '县区', '县(区)', '县(市、区)', '县(市、区、旗)', '旗', '县级市', 'county', 'district'],
  township: ['乡镇', '乡', '镇', '街道', '乡镇(街道)', '乡镇街道', '乡级', '乡镇级', '街道办事处', 'township', 'town', 'subdistrict'],
};
const TIER_LOOKUP: Map<string, Tier> = (() => {
  const m = new Map<string, Tier>();
  for (const t of TIERS) for (const w of [...TIER_WORDS[t], TIER_ZH[t], t]) m.set(headerKey(w), t);
  return m;
})();

const KIND_WORDS: Record<BodyKind, string[]> = {
  government: ['人民政府', '政府', '街道办事处', '街道', '管委会', '管理委员会', '行政公署', 'government', 'gov'],
  department: ['部门', '政府部门', '工作部门', '政府工作部门', '单位', 'department', 'dept'],
};
const KIND_LOOKUP: Map<string, BodyKind> = (() => {
  const m = new Map<string, BodyKind>();
  for (const k of ['government', 'department'] as const) for (const w of [...KIND_WORDS[k], BODY_KIND_ZH[k], k]) m.set(headerKey(w), k);
  return m;
})();

// ---------------------------------------------------------------------------
// inference of kind and tier

/** the kind a name implies (src/check/agency.ts): 人民政府, 街道办事处, 乡/镇人民政府 → government */
export function inferKind(name: string): BodyKind {
  return agencyKind(normaliseName(name)) === 'department' ? 'department' : 'government';
}

const REGION_TOKEN = /^(.{1,8}?)(自治区|自治州|自治县|自治旗|特别行政区|省|市|州|盟|县|区|旗|乡|镇|街道)/;

/** the region words at the start of a name (中共 dropped): 淮安市洪泽区教育局 → [淮安市, 洪泽区] */
function regionTokens(name: string): string[] {
  let rest = name.replace(/^(?:中共|中国共产党)/, '');
  const out: string[] = [];
  for (let i = 0; i < 4; i++) {
    const m = REGION_TOKEN.exec(rest);
    if (!m) break;
    out.push(m[0]);
    rest = rest.slice(m[0].length);
  }
  return out;
}

function tierOfRegionWord(word: string, only: boolean): Tier {
  if (/(?:省|自治区|特别行政区)$/.test(word)) return 'province';
  if (/市$/.test(word)) return only && [...MUNICIPALITIES].some((c) => PROVINCES[c] === word) ? 'province' : 'city';
  if (/(?:自治州|州|盟)$/.test(word)) return 'city';
  if (/(?:乡|镇|街道)$/.test(word)) return 'township';
  return 'county';
}

/**
 * The tier a name implies, or null. Governments: 街道办事处/乡/镇人民政府 → township,
 * 省/自治区人民政府 and the four 直辖市 → province, 县/区/旗人民政府 → county, 市/州/盟人民政府 → city
 * (a 县级市 is taken for a city: fill the tier in). Departments: the last region word at the start
 * of the name (淮安市洪泽区教育局 → county); 国务院…, 国家…, 中华人民共和国… and a name without
 * region words ending in 部/总局/总署/署 → national.
 */
export function inferTierFromName(name: string, kind: BodyKind): Tier | null {
  const n = normaliseName(name);
  if (/^(?:国务院|中华人民共和国|国家)/.test(n)) return 'national';
  if (kind === 'government') {
    if (/(?:街道办事处|街道|办事处|乡人民政府|镇人民政府|苏木人民政府)$/.test(n)) return 'township';
    if (/^(?:北京|天津|上海|重庆)市人民政府$/.test(n) || /(?:省|自治区)人民政府$/.test(n)) return 'province';
    if (/(?:县|区|旗)人民政府$/.test(n)) return 'county';
    if (/(?:市|州|盟)人民政府$|行政公署$/.test(n)) return 'city';
  }
  const tokens = regionTokens(n);
  if (tokens.length > 0) return tierOfRegionWord(tokens[tokens.length - 1], tokens.length === 1);
  if (kind === 'department' && /(?:部|总局|总署|署)$/.test(n)) return 'national';
  return null;
}

const LOWER_TIER: Record<Tier, Tier> = { national: 'province', province: 'city', city: 'county', county: 'township', township: 'township' };

/** the tier of a body from its region code, its parent's tier (when known) or its name; with the basis */
function inferTier(
  name: string,
  kind: BodyKind,
  regionCode: string | null,
  parentTier: Tier | null,
): { tier: Tier; basis: '行政区划代码' | '上级' | '名称'; basisEn: string } | null {
  const code = regionCode ? validateRegionCode(regionCode) : null;
  if (code?.ok) return { tier: code.tier, basis: '行政区划代码', basisEn: 'region code' };
  if (kind === 'department' && parentTier) return { tier: parentTier, basis: '上级', basisEn: 'parent' };
  const byName = inferTierFromName(name, kind);
  if (byName) return { tier: byName, basis: '名称', basisEn: 'name' };
  if (parentTier) return { tier: LOWER_TIER[parentTier], basis: '上级', basisEn: 'parent' };
  return null;
}

// ---------------------------------------------------------------------------
// cells

/** names, parents: line breaks and spaces between CJK characters removed, trimmed */
function cleanText(s: string): string {
  return tidyCjk(s.replace(/[\r\n]+/g, ' '))
    .replace(/[ \t\u00a0\u3000]+/g, ' ')
    .trim();
}

/** the apostrophe put before formula-like text on export (and by hand in Excel) is dropped */
function unprotect(s: string): string {
  return /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(s) ? s.slice(1) : s;
}

/** splits a list cell at ；;| and at 、,， outside brackets */
function splitList(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if ('(（[［【〔'.includes(ch)) depth++;
    else if (')）]］】〕'.includes(ch)) depth = Math.max(0, depth - 1);
    if ('；;|｜'.includes(ch) || (depth === 0 && '、,，'.includes(ch))) {
      out.push(cur);
      cur = '';
      depth = 0;
    } else cur += ch;
  }
  out.push(cur);
  return out.map(cleanText).filter((x) => x.length > 0);
}

const YEAR_CELL = /^(\d{4})(?:\.0+)?\s*(?:年度|年)?$/;

function parseYear(s: string): number | null | 'bad' {
  const t = s.normalize('NFKC').trim();
  if (t === '') return null;
  const m = YEAR_CELL.exec(t);
  if (!m) return 'bad';
  const y = Number(m[1]);
  return y >= MIN_YEAR && y <= MAX_YEAR ? y : 'bad';
}

const FORMER_RANGE = /^(.+?)[(（]\s*(?:19|20)\d{2}\s*年?度?\s*[-–—~～至到]\s*(\d{4})\s*年?度?\s*[)）]$/;
const FORMER_UNTIL = /^(.+?)[(（]\s*(?:至|止|到|截至|until|till|to)?\s*(\d{4})\s*年?度?\s*(?:止|为止)?\s*[)）]$/i;

function parseAliases(cell: string, kind: 'former' | 'alias'): { aliases: BodyAlias[]; bad: string[] } {
  const aliases: BodyAlias[] = [];
  const bad: string[] = [];
  for (const item of splitList(cell)) {
    if (kind === 'alias') {
      aliases.push({ name: item, kind });
      continue;
    }
    const m = FORMER_RANGE.exec(item) ?? FORMER_UNTIL.exec(item);
    if (m) {
      const y = Number(m[2]);
      if (y < MIN_YEAR || y > MAX_YEAR) bad.push(item);
      else aliases.push({ name: cleanText(m[1]), kind, until: y });
    } else aliases.push({ name: item, kind, until: null });
  }
  return { aliases, bad };
}

function formatAlias(a: BodyAlias): string {
  return a.kind === 'former' && a.until !== null && a.until !== undefined ? `${a.name}（至${a.until}）` : a.name;
}

function dedupeAliases(aliases: BodyAlias[], name: string): BodyAlias[] {
  const seen = new Set<string>([`name|${normaliseName(name)}`]);
  const out: BodyAlias[] = [];
  for (const a of aliases) {
    const k = normaliseName(a.name);
    if (seen.has(`name|${k}`) || seen.has(`${a.kind}|${k}`)) continue;
    seen.add(`${a.kind}|${k}`);
    out.push(a);
  }
  return out;
}

// ---------------------------------------------------------------------------
// reading the grid

interface GridRow {
  row: number;
  cells: string[];
  /** the XLSX cell was a number (a code typed without the Text format may have lost digits) */
  numeric: boolean[];
}

interface Grid {
  rows: GridRow[];
  problems: RowProblem[];
}

function fileProblem(message: string, messageEn: string, severity: 'error' | 'warning' = 'error'): RowProblem {
  return { row: null, column: null, severity, message, messageEn };
}

/** RFC 4180 with any line end (src/util/csv.ts); a record's `row` is its 1-based number (a quoted line break stays in the field) */
function readCsv(bytes: Uint8Array): Grid {
  const problems: RowProblem[] = [];
  const { text } = decodeCsv(bytes);
  const rows: GridRow[] = [];
  const { unclosedQuote, records } = csvRecords(text, sniffDelimiter(text), (fields, record) => {
    const cells = fields.map((f) => f.text);
    if (cells.some((c) => c.trim() !== '')) rows.push({ row: record, cells, numeric: [] });
    return rows.length <= MAX_DIRECTORY_ROWS + HEADER_SEARCH_ROWS;
  });
  if (unclosedQuote) {
    problems.push({
      row: records,
      column: null,
      severity: 'error',
      message: `第${records}行的引号没有闭合，该行及其后的内容可能读错。`,
      messageEn: `Row ${records} has a quote that is never closed; it and what follows may be misread.`,
    });
  }
  return { rows, problems };
}

function xlsxCellText(v: ExcelJS.CellValue): { text: string; numeric: boolean } {
  if (v === null || v === undefined) return { text: '', numeric: false };
  if (typeof v === 'string') return { text: v, numeric: false };
  if (typeof v === 'number') {
    return { text: Number.isSafeInteger(v) || !Number.isInteger(v) ? String(v) : BigInt(v).toString(), numeric: true };
  }
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE', numeric: false };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10), numeric: false };
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return { text: v.richText.map((r) => r.text).join(''), numeric: false };
    if ('formula' in v || 'sharedFormula' in v) {
      const result = (v as { result?: unknown }).result;
      if (result === undefined || result === null || typeof result === 'object') return { text: '', numeric: false };
      return xlsxCellText(result as ExcelJS.CellValue);
    }
    if ('hyperlink' in v && 'text' in v) {
      const t = (v as { text: unknown }).text;
      return typeof t === 'string' ? { text: t, numeric: false } : xlsxCellText(t as ExcelJS.CellValue);
    }
    if ('error' in v) return { text: String((v as { error: unknown }).error), numeric: false };
  }
  return { text: String(v), numeric: false };
}

/**
 * Counts the rows and cells of every worksheet as it inflates (and refuses DTDs and ZIP bombs,
 * src/read/zip.ts) before exceljs is given the bytes. A problem, or null when the workbook may be read.
 */
function precheckXlsx(bytes: Uint8Array, fileName: string): RowProblem | null {
  try {
    const zip = openZip(bytes, fileName, 'xlsx');
    if (!zip.find('xl/workbook.xml')) {
      return fileProblem(
        '文件中没有 Excel 工作簿（xl/workbook.xml），不是有效的 .xlsx 文件。',
        'The file has no Excel workbook part; it is not a valid .xlsx file.',
      );
    }
    let rows = 0;
    let cells = 0;
    let over: RowProblem | null = null;
    for (const e of zip.entries) {
      if (e.name.endsWith('/') && e.size === 0) continue;
      if (/xl\/worksheets\/[^/]*\.xml/i.test(e.name)) {
        const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
        parser.on('error', () => {
          throw new ReadError('corrupt', fileName, `工作表 ${e.name} 不是有效的 XML。`, `The worksheet ${e.name} is not well-formed XML.`);
        });
        parser.on('opentag', (tag) => {
          const local = tag.name.slice(tag.name.indexOf(':') + 1);
          if (local === 'row' && ++rows > MAX_DIRECTORY_ROWS + HEADER_SEARCH_ROWS) {
            over = fileProblem(
              `工作簿超过 ${MAX_DIRECTORY_ROWS.toLocaleString('en-US')} 行，未读取；请分成几个文件导入。`,
              `The workbook has more than ${MAX_DIRECTORY_ROWS.toLocaleString('en-US')} rows and was not read; split it into several files.`,
            );
            throw new ReadError('too-large', fileName, over.message, over.messageEn);
          }
          if (local === 'c' && ++cells > MAX_XLSX_CELLS) {
            over = fileProblem(
              `工作簿超过 ${MAX_XLSX_CELLS.toLocaleString('en-US')} 个单元格，未读取。`,
              `The workbook has more than ${MAX_XLSX_CELLS.toLocaleString('en-US')} cells and was not read.`,
            );
            throw new ReadError('too-large', fileName, over.message, over.messageEn);
          }
        });
        const guard = dtdGuard(fileName, 'xlsx');
        const decoder = new TextDecoder('utf-8');
        zip.scan(e, (chunk) => {
          guard(chunk);
          parser.write(decoder.decode(chunk, { stream: true }));
        });
        parser.write(decoder.decode());
      } else if (isXmlPart(e.name)) zip.scan(e, dtdGuard(fileName, 'xlsx'));
      else zip.verify(e);
    }
    return over;
  } catch (e) {
    if (e instanceof ReadError) return fileProblem(e.zh, e.en);
    return fileProblem('无法读取该 Excel 文件，文件可能已损坏。', 'The Excel file cannot be read; it may be damaged.');
  }
}

async function readXlsx(bytes: Uint8Array, fileName: string): Promise<Grid> {
  const pre = precheckXlsx(bytes, fileName);
  if (pre) return { rows: [], problems: [pre] };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    return {
      rows: [],
      problems: [fileProblem('无法读取该 Excel 文件，文件可能已损坏。', 'The Excel file cannot be read; it may be damaged.')],
    };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { rows: [], problems: [fileProblem('工作簿中没有工作表。', 'The workbook has no worksheet.')] };
  const rows: GridRow[] = [];
  ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    const cells: string[] = [];
    const numeric: boolean[] = [];
    for (let c = 1; c <= r.cellCount; c++) {
      const { text, numeric: n } = xlsxCellText(r.getCell(c).value);
      cells.push(text);
      numeric.push(n);
    }
    if (cells.some((c) => c.trim() !== '')) rows.push({ row: rowNumber, cells, numeric });
  });
  return { rows, problems: [] };
}

// ---------------------------------------------------------------------------
// parse

function problem(row: number, column: string | null, severity: 'error' | 'warning', message: string, messageEn: string): RowProblem {
  return { row, column, severity, message, messageEn };
}

/**
 * Reads a directory file (XLSX: the first worksheet; CSV: UTF-8 with or without BOM, UTF-16 with
 * BOM, or GB18030 when the bytes are not UTF-8; comma, tab or semicolon separated) into rows.
 * Refuses (with a file-level problem, rows []) files over {@link MAX_DIRECTORY_BYTES}, over
 * {@link MAX_DIRECTORY_ROWS} rows, damaged files and files without a 名称 column. A cell that
 * cannot be read is an error problem naming its row and column, and the row is kept with that
 * field empty (null); a row without a name is left out. A missing 类型 or 层级 stays null here:
 * {@link planDirectory} infers it for a new body (from the region code, the parent, or the name, as
 * src/check/agency.ts does) with a warning saying so, and keeps the stored one of an existing body.
 *
 * Former names are written `旧名（至2023）`, `旧名(2023)`, `旧名（2019—2023）` or plain; several
 * names in a cell are separated by ；;| (or by 、,， outside brackets). A leading apostrophe before
 * formula-like text (as written on export) is dropped.
 */
export async function parseDirectoryFile(bytes: Uint8Array, fileName: string): Promise<{ rows: BodyRow[]; problems: RowProblem[] }> {
  if (bytes.length === 0) return { rows: [], problems: [fileProblem('文件为空。', 'The file is empty.')] };
  if (bytes.length > MAX_DIRECTORY_BYTES) {
    return {
      rows: [],
      problems: [
        fileProblem(
          `文件超过 ${MAX_DIRECTORY_BYTES / 1024 / 1024} MB 的上限，未读取。`,
          `The file exceeds the ${MAX_DIRECTORY_BYTES / 1024 / 1024} MB limit and was not read.`,
        ),
      ],
    };
  }
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const zipMagic = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (ole || ext === 'xls' || ext === 'et') {
    return {
      rows: [],
      problems: [
        fileProblem(
          '这是旧版 Excel（.xls）或 WPS 表格格式，不支持；请另存为 .xlsx 或 .csv 再导入。',
          'This is a legacy Excel (.xls) or WPS spreadsheet, which is not supported; save it as .xlsx or .csv and import again.',
        ),
      ],
    };
  }
  const grid = zipMagic || ext === 'xlsx' || ext === 'xlsm' ? await readXlsx(bytes, fileName) : readCsv(bytes);
  const problems = [...grid.problems];
  if (grid.rows.length === 0) {
    if (problems.length === 0) problems.push(fileProblem('文件中没有内容。', 'The file has no content.'));
    return { rows: [], problems };
  }

  // the header row
  let headerAt = -1;
  for (let i = 0; i < Math.min(HEADER_SEARCH_ROWS, grid.rows.length); i++) {
    if (grid.rows[i].cells.some((c) => fieldOf(c) === 'name')) {
      headerAt = i;
      break;
    }
  }
  if (headerAt < 0) {
    const seen = grid.rows[0].cells.filter((c) => c.trim() !== '').slice(0, 12);
    problems.push(
      fileProblem(
        `缺少必填的“名称”列（表头可写“名称”或“name”）。第${grid.rows[0].row}行为：${seen.join('、') || '（空）'}。`,
        `The required "名称" (name) column is missing. Row ${grid.rows[0].row} reads: ${seen.join(', ') || '(empty)'}.`,
      ),
    );
    return { rows: [], problems };
  }
  const header = grid.rows[headerAt];
  const columns = new Map<Field, number>();
  const ignored: string[] = [];
  header.cells.forEach((h, c) => {
    const f = fieldOf(h);
    const text = h.trim();
    if (!f) {
      if (text !== '') ignored.push(text);
      return;
    }
    if (columns.has(f)) {
      problems.push(
        problem(
          header.row,
          text,
          'warning',
          `“${text}”列与“${header.cells[columns.get(f)!].trim()}”列是同一项，只读取前一列。`,
          `The column "${text}" is the same field as "${header.cells[columns.get(f)!].trim()}"; only the first is read.`,
        ),
      );
      return;
    }
    columns.set(f, c);
  });
  if (ignored.length > 0) {
    problems.push(
      problem(
        header.row,
        null,
        'warning',
        `已忽略无法识别的列：${ignored.join('、')}。`,
        `Columns not recognised and ignored: ${ignored.join(', ')}.`,
      ),
    );
  }
  const dataRows = grid.rows.slice(headerAt + 1);
  if (dataRows.length > MAX_DIRECTORY_ROWS) {
    problems.push(
      fileProblem(
        `文件超过 ${MAX_DIRECTORY_ROWS.toLocaleString('en-US')} 行，未读取；请分成几个文件导入。`,
        `The file has more than ${MAX_DIRECTORY_ROWS.toLocaleString('en-US')} rows and was not read; split it into several files.`,
      ),
    );
    return { rows: [], problems };
  }

  const col = (f: Field): string => header.cells[columns.get(f)!]?.trim() ?? DIRECTORY_HEADERS[f];
  const rows: BodyRow[] = [];
  for (const g of dataRows) {
    const get = (f: Field): string => {
      const c = columns.get(f);
      return c === undefined ? '' : unprotect((g.cells[c] ?? '').trim());
    };
    const isNumeric = (f: Field): boolean => {
      const c = columns.get(f);
      return c !== undefined && g.numeric[c] === true;
    };
    const name = cleanText(get('name'));
    if (name === '') {
      problems.push(problem(g.row, col('name'), 'error', `第${g.row}行没有填写名称，已跳过。`, `Row ${g.row} has no name; skipped.`));
      continue;
    }
    if (name.length > MAX_NAME_LENGTH) {
      problems.push(
        problem(
          g.row,
          col('name'),
          'error',
          `第${g.row}行的名称超过${MAX_NAME_LENGTH}个字符，已跳过。`,
          `The name in row ${g.row} is longer than ${MAX_NAME_LENGTH} characters; skipped.`,
        ),
      );
      continue;
    }
    const row: BodyRow = {
      row: g.row,
      name,
      aliases: [],
      tier: null,
      kind: null,
      parent: cleanText(get('parent')),
      regionCode: null,
      regionCodeYear: null,
      creditCode: null,
      activeFrom: null,
      activeUntil: null,
    };
    const former = parseAliases(get('former'), 'former');
    const aliases = parseAliases(get('aliases'), 'alias');
    for (const b of former.bad) {
      problems.push(
        problem(
          g.row,
          col('former'),
          'error',
          `第${g.row}行曾用名“${b}”的年份不在${MIN_YEAR}–${MAX_YEAR}年之间。`,
          `The year of the former name "${b}" in row ${g.row} is not between ${MIN_YEAR} and ${MAX_YEAR}.`,
        ),
      );
    }
    row.aliases = dedupeAliases([...former.aliases, ...aliases.aliases], name);

    const tierText = get('tier');
    if (tierText !== '') {
      const t = TIER_LOOKUP.get(headerKey(tierText));
      if (t) row.tier = t;
      else {
        problems.push(
          problem(
            g.row,
            col('tier'),
            'error',
            `第${g.row}行的层级“${tierText}”无法识别，可填：${TIERS.map((x) => TIER_ZH[x]).join('、')}。`,
            `The tier "${tierText}" in row ${g.row} is not recognised; use one of ${TIERS.join(', ')}.`,
          ),
        );
      }
    }
    const kindText = get('kind');
    if (kindText !== '') {
      const k = KIND_LOOKUP.get(headerKey(kindText));
      if (k) row.kind = k;
      else {
        problems.push(
          problem(
            g.row,
            col('kind'),
            'error',
            `第${g.row}行的类型“${kindText}”无法识别，可填：人民政府、政府部门。`,
            `The kind "${kindText}" in row ${g.row} is not recognised; use government or department.`,
          ),
        );
      }
    }
    const region = get('regionCode').normalize('NFKC').replace(/\s+/g, '');
    if (region !== '') row.regionCode = region;
    const credit = get('creditCode').normalize('NFKC').replace(/\s+/g, '').toUpperCase();
    if (credit !== '') {
      if (isNumeric('creditCode') && credit.length > 15) {
        problems.push(
          problem(
            g.row,
            col('creditCode'),
            'error',
            `第${g.row}行的统一社会信用代码在 Excel 中是数字，超过15位的数字会丢失末几位；请把该列设为文本后重新填写。`,
            `The credit code in row ${g.row} is a number in Excel, which loses digits beyond 15; format the column as text and enter it again.`,
          ),
        );
      } else row.creditCode = credit;
    }
    for (const f of ['regionCodeYear', 'activeFrom', 'activeUntil'] as const) {
      const text = get(f);
      const y = parseYear(text);
      if (y === 'bad') {
        problems.push(
          problem(
            g.row,
            col(f),
            'error',
            `第${g.row}行的“${col(f)}”应为${MIN_YEAR}–${MAX_YEAR}之间的年份，实为“${text}”。`,
            `"${col(f)}" in row ${g.row} should be a year between ${MIN_YEAR} and ${MAX_YEAR}, not "${text}".`,
          ),
        );
      } else row[f] = y;
    }
    rows.push(row);
  }

  return { rows, problems };
}

// ---------------------------------------------------------------------------
// plan

/** where a new body's (or a moved body's) parent is: a stored body, another create of the plan, or none */
export type ParentRef = { existingId: number } | { createIndex: number } | null;

/** a body the plan creates: a Body without id (and without parentId: see `parentRef`) */
export interface NewBody extends Omit<Body, 'id' | 'parentId'> {
  /** the file row it comes from */
  row: number;
  /** the parent: a stored body's id, or the index in `creates` of another new body (always an earlier one) */
  parentRef: ParentRef;
}

/** a stored body the plan changes: only the fields that change */
export interface BodyUpdate {
  id: number;
  row: number;
  changes: Partial<Body>;
  /** set when the new parent is a body the plan creates (then `changes.parentId` is absent) */
  parentRef?: ParentRef;
}

export interface DirectoryPlan {
  creates: NewBody[];
  updates: BodyUpdate[];
  problems: RowProblem[];
}

/** a body of the plan: a stored one, a row of the file, or both (a row that updates a stored body) */
interface Node {
  key: number;
  existing: Body | null;
  row: BodyRow | null;
  name: string;
  norm: string;
  aliases: BodyAlias[];
  kind: BodyKind | null;
  tier: Tier | null;
  regionCode: string | null;
  creditCode: string | null;
  /** undefined: not resolved yet */
  parent: Node | null | undefined;
  /** the row has an error problem (or its parent has) */
  failed: boolean;
}

const H = DIRECTORY_HEADERS;

/** a parent written as a path of names `a/b/c` (`/a/b/c`: a is a root) */
function parsePath(ref: string): { segs: string[]; anchored: boolean } {
  return {
    segs: ref
      .split('/')
      .map(normaliseName)
      .filter((x) => x.length > 0),
    anchored: ref.trim().startsWith('/'),
  };
}

/**
 * Whether the chain of `c`'s ancestors carries the names `segs` (the last one is `c`'s, checked by
 * the caller): true, false, or null when an unresolved parent is in the way. `loose`: aliases count.
 */
function walkPath(c: Node, segs: string[], anchored: boolean, loose: boolean): boolean | null {
  let p: Node = c;
  const named = (n: Node, seg: string) => n.norm === seg || (loose && n.aliases.some((a) => normaliseName(a.name) === seg));
  if (!named(p, segs[segs.length - 1])) return false;
  for (let i = segs.length - 2; i >= -1; i--) {
    if (i < 0 && !anchored) break;
    const up = p.parent;
    if (up === undefined) return p.failed ? false : null;
    if (i < 0) return up === null;
    if (up === null || !named(up, segs[i])) return false;
    p = up;
  }
  return true;
}

/** does `ref` (a name, a path a/b/c, a credit or region code; '' for none) name `p`? */
function chainMatches(p: Node | null, ref: string): boolean {
  const compact = ref.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (compact === '') return p === null;
  if (p === null) return false;
  if (/^[0-9A-Z]{18}$/.test(compact) && p.creditCode === compact) return true;
  if (/^\d{6,12}$/.test(compact) && p.regionCode?.trim() === compact) return true;
  const { segs, anchored } = parsePath(ref);
  return segs.length > 0 && (walkPath(p, segs, anchored, false) === true || walkPath(p, segs, anchored, true) === true);
}

function rowName(n: Node): string {
  return n.row ? `第${n.row.row}行“${n.name}”` : `已有机关“${n.name}”`;
}
function rowNameEn(n: Node): string {
  return n.row ? `row ${n.row.row} "${n.name}"` : `stored body "${n.name}"`;
}

function sameAliases(a: BodyAlias[], b: BodyAlias[]): boolean {
  if (a.length !== b.length) return false;
  const k = (x: BodyAlias) => `${x.kind}|${normaliseName(x.name)}|${x.until ?? ''}|${x.name}`;
  const s = new Set(a.map(k));
  return b.every((x) => s.has(k(x)));
}

/**
 * The dry run of storing `rows` into a directory that holds `existing`: the bodies to create, the
 * stored bodies to change (only the fields that change) and every problem.
 *
 * - A new body without a kind gets the one its name implies (人民政府, 街道办事处 → government); without
 *   a tier, the one of its region code, of its parent (a department's; a government's, one below) or
 *   of its name (see {@link inferTierFromName}), each with a warning; none of these is an error.
 * - A row is a stored body when its valid credit code is that body's, or else when its name is the
 *   name of exactly one stored body (of several, the one whose parent the row names); it then
 *   updates that body. Empty cells (null, '' parent, no aliases) keep the stored value; aliases
 *   are added to the stored ones; a new name keeps the old one as a former name (warning).
 * - Parents (the 上级 column) are found among the file's rows and the stored bodies by: a credit
 *   code; a region code (the government with it); the exact name; an alias or former name; a path
 *   `淮安市人民政府/洪泽区人民政府/教育局` (the last names of the chain, as written on export for a
 *   name that is not unique; `/江苏省人民政府/…` starts at a root); a name with region prefixes
 *   (淮安市洪泽区人民政府, through a {@link DirectoryIndex} match at 0.9 or more). A parent defined
 *   later in the file is fine.
 * - Errors: an unknown or ambiguous parent, a cycle of parents, the same name twice under the same
 *   parent, an invalid credit or region code, the same credit code twice, activeFrom > activeUntil,
 *   a tier or kind neither given nor inferable, two rows for one stored body. Warnings: a region
 *   code whose tier is not the body's, or that is not inside the parent's region code.
 * - A row with an error (or whose parent row has one) is left out of `creates` and `updates`.
 *   `creates` lists parents before their children, so a `createIndex` always points backwards.
 *
 * Time: linear in rows + stored bodies (Maps; the region-prefix search builds one DirectoryIndex).
 */
export function planDirectory(rows: BodyRow[], existing: Body[]): DirectoryPlan {
  const problems: RowProblem[] = [];
  const nodes: Node[] = [];
  const byExistingId = new Map<number, Node>();
  const err = (n: Node, column: string | null, message: string, messageEn: string) => {
    n.failed = true;
    problems.push({ row: n.row?.row ?? null, column, severity: 'error', message, messageEn });
  };
  const warn = (n: Node, column: string | null, message: string, messageEn: string) => {
    problems.push({ row: n.row?.row ?? null, column, severity: 'warning', message, messageEn });
  };

  for (const b of existing) {
    const cc = b.creditCode ? validateCreditCode(b.creditCode) : null;
    const n: Node = {
      key: nodes.length,
      existing: b,
      row: null,
      name: b.name,
      norm: normaliseName(b.name),
      aliases: b.aliases,
      kind: b.kind,
      tier: b.tier,
      regionCode: b.regionCode,
      creditCode: cc?.ok ? cc.normalised : null,
      parent: undefined,
      failed: false,
    };
    nodes.push(n);
    byExistingId.set(b.id, n);
  }
  for (const n of nodes) {
    const pid = n.existing!.parentId;
    n.parent = pid !== null && byExistingId.has(pid) && pid !== n.existing!.id ? byExistingId.get(pid)! : null;
  }
  const existingByName = new Map<string, Node[]>();
  const existingByCredit = new Map<string, Node>();
  for (const n of nodes) {
    const l = listIn(existingByName, n.norm);
    l.push(n);
    if (n.creditCode && !existingByCredit.has(n.creditCode)) existingByCredit.set(n.creditCode, n);
  }

  // 1. which stored body each row is
  const rowNodes: Node[] = [];
  const claimedBy = new Map<Node, Node>();
  for (const r of rows) {
    const norm = normaliseName(r.name);
    const credit = r.creditCode ? validateCreditCode(r.creditCode) : null;
    let target: Node | null = null;
    let ambiguous = false;
    if (credit?.ok) target = existingByCredit.get(credit.normalised) ?? null;
    if (!target) {
      const same = existingByName.get(norm) ?? [];
      if (same.length === 1) target = same[0];
      else if (same.length > 1) {
        const fit = same.filter((s) => chainMatches(s.parent ?? null, r.parent));
        if (fit.length === 1) target = fit[0];
        // no parent given (it would keep the stored one), or a parent that fits several: which one?
        else if (fit.length > 1 || r.parent.trim() === '') ambiguous = true;
      }
    }
    let n: Node;
    if (target && !claimedBy.has(target)) {
      n = target;
      n.row = r;
      claimedBy.set(target, n);
    } else {
      n = {
        key: nodes.length,
        existing: null,
        row: r,
        name: r.name,
        norm,
        aliases: r.aliases,
        kind: r.kind,
        tier: r.tier,
        regionCode: r.regionCode,
        creditCode: credit?.ok ? credit.normalised : null,
        parent: undefined,
        failed: false,
      };
      nodes.push(n);
      if (target) {
        err(
          n,
          H.name,
          `第${r.row}行与第${target.row!.row}行是同一个已有机关“${target.name}”，重复。`,
          `Row ${r.row} is the same stored body "${target.name}" as row ${target.row!.row}: a duplicate.`,
        );
      }
    }
    rowNodes.push(n);
    if (ambiguous) {
      err(
        n,
        H.name,
        `第${r.row}行的名称“${r.name}”与多个已有机关相同，请填写统一社会信用代码或上级以区分。`,
        `The name "${r.name}" in row ${r.row} is the name of several stored bodies; give the credit code or the parent to tell them apart.`,
      );
    }
    // a row's own values (null keeps the stored value of an update)
    if (n.existing) {
      if (r.kind) n.kind = r.kind;
      if (r.tier) n.tier = r.tier;
      if (r.regionCode) n.regionCode = r.regionCode;
      if (credit?.ok) n.creditCode = credit.normalised;
      n.name = r.name;
      n.norm = norm;
    }
  }

  // 2. per-row checks of values
  const creditOwner = new Map<string, Node>();
  for (const n of nodes) if (n.existing && n.creditCode && !creditOwner.has(n.creditCode)) creditOwner.set(n.creditCode, n);
  for (const n of rowNodes) {
    const r = n.row!;
    if (r.creditCode) {
      const v = validateCreditCode(r.creditCode);
      if (!v.ok) err(n, H.creditCode, `第${r.row}行：${v.message}`, `Row ${r.row}: ${v.messageEn}`);
      else {
        const owner = creditOwner.get(v.normalised);
        if (owner && owner !== n) {
          err(
            n,
            H.creditCode,
            `第${r.row}行的统一社会信用代码${v.normalised}与${rowName(owner)}相同。`,
            `The credit code ${v.normalised} in row ${r.row} is also that of ${rowNameEn(owner)}.`,
          );
        } else creditOwner.set(v.normalised, n);
      }
    }
    if (r.regionCode) {
      const v = validateRegionCode(r.regionCode);
      if (!v.ok) err(n, H.regionCode, `第${r.row}行：${v.message}`, `Row ${r.row}: ${v.messageEn}`);
    }
    // (an update's empty cell keeps the stored year)
    const from = r.activeFrom ?? n.existing?.activeFrom ?? null;
    const until = r.activeUntil ?? n.existing?.activeUntil ?? null;
    if (from !== null && until !== null && from > until) {
      err(
        n,
        r.activeFrom !== null ? H.activeFrom : H.activeUntil,
        `第${r.row}行的起始年度${from}晚于终止年度${until}。`,
        `The first year ${from} in row ${r.row} is after the last year ${until}.`,
      );
    }
  }

  // 3. parents
  const nameIdx = new Map<string, Node[]>();
  const aliasIdx = new Map<string, Node[]>();
  const regionIdx = new Map<string, Node[]>();
  const push = (m: Map<string, Node[]>, k: string, n: Node) => {
    const l = listIn(m, k);
    if (!l.includes(n)) l.push(n);
  };
  for (const n of nodes) {
    push(nameIdx, n.norm, n);
    for (const a of n.aliases) push(aliasIdx, normaliseName(a.name), n);
    if (n.row) for (const a of n.row.aliases) push(aliasIdx, normaliseName(a.name), n);
    if (n.existing && normaliseName(n.existing.name) !== n.norm) push(aliasIdx, normaliseName(n.existing.name), n);
    const code = n.regionCode?.trim();
    if (code && validateRegionCode(code).ok) push(regionIdx, code, n);
  }
  const unknownParent = (n: Node, ref: string, hint: string | null) =>
    err(
      n,
      H.parent,
      `第${n.row!.row}行的上级“${ref}”在文件和已有名录中都找不到${hint ? `（是否指“${hint}”？）` : ''}。`,
      `The parent "${ref}" of row ${n.row!.row} is neither in the file nor in the stored directory${hint ? ` (did you mean "${hint}"?)` : ''}.`,
    );
  const ambiguousParent = (n: Node, ref: string, among: Node[]) =>
    err(
      n,
      H.parent,
      `第${n.row!.row}行的上级“${ref}”对应多个机关（${among
        .slice(0, 4)
        .map(rowName)
        .join('、')}），请写成“上级的上级/上级”的形式或填写统一社会信用代码。`,
      `The parent "${ref}" of row ${n.row!.row} names several bodies (${among.slice(0, 4).map(rowNameEn).join(', ')}); write it as "grandparent/parent" or give its credit code.`,
    );
  /** resolved: the node (or null: none); 'later': needs the other parents first */
  type Deferred = { n: Node; ref: string; kind: 'path' | 'qualified' };
  const deferred: Deferred[] = [];
  for (const n of rowNodes) {
    const ref = n.row!.parent;
    if (ref === '') {
      if (!n.existing) n.parent = null;
      continue;
    }
    n.parent = undefined;
    const compact = ref.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
    if (/^[0-9A-Z]{18}$/.test(compact) && validateCreditCode(compact).ok) {
      const p = creditOwner.get(compact) ?? existingByCredit.get(compact);
      if (p) n.parent = p;
      else unknownParent(n, ref, null);
      continue;
    }
    if (/^(?:\d{6}|\d{9}|\d{12})$/.test(compact)) {
      const all = (regionIdx.get(compact) ?? []).filter((x) => x !== n);
      const govs = all.filter((x) => x.kind === 'government');
      const pick = govs.length > 0 ? govs : all;
      if (pick.length === 1) n.parent = pick[0];
      else if (pick.length > 1) ambiguousParent(n, ref, pick);
      else unknownParent(n, ref, null);
      continue;
    }
    const norm = normaliseName(ref);
    const all = nameIdx.get(norm) ?? [];
    if (all.length === 1 && all[0] === n) {
      err(n, H.parent, `第${n.row!.row}行的上级是它自己。`, `The parent of row ${n.row!.row} is the row itself.`);
      n.parent = null;
      continue;
    }
    const byName = all.filter((x) => x !== n);
    if (byName.length === 1) {
      n.parent = byName[0];
      continue;
    }
    if (byName.length > 1) {
      ambiguousParent(n, ref, byName);
      continue;
    }
    const byAlias = (aliasIdx.get(norm) ?? []).filter((x) => x !== n);
    if (byAlias.length === 1) {
      n.parent = byAlias[0];
      continue;
    }
    if (byAlias.length > 1) {
      ambiguousParent(n, ref, byAlias);
      continue;
    }
    deferred.push({ n, ref, kind: norm.includes('/') ? 'path' : 'qualified' });
  }

  /**
   * A path a/b/c: the bodies named c whose parent is named b whose parent is named a (names first,
   * then aliases too); null while an unresolved parent is in the way (unless `force`).
   */
  const resolvePath = (d: Deferred, force: boolean): Node[] | null => {
    const { segs, anchored } = parsePath(d.ref);
    if (segs.length === 0) return [];
    const last = segs[segs.length - 1];
    for (const loose of [false, true]) {
      const cands = loose ? [...(nameIdx.get(last) ?? []), ...(aliasIdx.get(last) ?? [])] : (nameIdx.get(last) ?? []);
      const found: Node[] = [];
      let pending = false;
      for (const c of new Set(cands)) {
        if (c === d.n) continue;
        const r = walkPath(c, segs, anchored, loose);
        if (r === null) pending = true;
        else if (r) found.push(c);
      }
      if (pending && !force) return null;
      if (found.length > 0) return found;
    }
    return [];
  };
  const pathRounds = () => {
    for (let round = 0; round < 20; round++) {
      let progress = false;
      const force = round === 19;
      for (const d of deferred) {
        if (d.kind !== 'path' || d.n.parent !== undefined || d.n.failed) continue;
        const found = resolvePath(d, force);
        if (found === null) continue;
        progress = true;
        if (found.length === 1) d.n.parent = found[0];
        else if (found.length > 1) ambiguousParent(d.n, d.ref, found);
        else d.kind = 'qualified'; // perhaps a name with a slash in it
      }
      if (!progress && !force) round = 18;
      else if (!progress) break;
    }
  };
  pathRounds();
  // names with region prefixes: one index over the stored and the file's bodies as resolved so far
  if (deferred.some((d) => d.kind === 'qualified' && d.n.parent === undefined && !d.n.failed)) {
    const provisional: Body[] = nodes.map((n) => ({
      id: n.key,
      name: n.name,
      aliases: n.aliases,
      tier: n.tier ?? 'county',
      kind: n.kind ?? inferKind(n.name),
      parentId: n.parent ? n.parent.key : null,
      regionCode: n.regionCode,
      regionCodeYear: null,
      creditCode: null,
      activeFrom: null,
      activeUntil: null,
    }));
    const index = new DirectoryIndex(provisional);
    for (const d of deferred) {
      if (d.kind !== 'qualified' || d.n.parent !== undefined || d.n.failed) continue;
      const cands = index.match(d.ref).filter((c) => c.bodyId !== d.n.key);
      const sure = cands.filter((c) => c.confidence >= 0.9);
      if (sure.length === 1) d.n.parent = nodes[sure[0].bodyId];
      else unknownParent(d.n, d.ref, cands[0]?.name ?? null);
    }
    pathRounds();
  }
  for (const d of deferred) if (d.n.parent === undefined && !d.n.failed) unknownParent(d.n, d.ref, null);
  for (const n of rowNodes) {
    if (n.parent !== undefined) continue;
    const stored = n.existing?.parentId ?? null;
    n.parent = stored !== null ? (byExistingId.get(stored) ?? null) : null;
  }

  // 4. cycles (stored parents included)
  const colour = new Map<Node, 1 | 2>();
  for (const start of rowNodes) {
    if (colour.has(start)) continue;
    const path: Node[] = [];
    let cur: Node | null | undefined = start;
    while (cur && !colour.has(cur)) {
      colour.set(cur, 1);
      path.push(cur);
      cur = cur.parent;
    }
    if (cur && colour.get(cur) === 1) {
      const cycle = path.slice(path.indexOf(cur));
      const names = [...cycle, cur].map((x) => x.name).join(' → ');
      for (const c of cycle) {
        if (!c.row) continue;
        err(c, H.parent, `第${c.row.row}行的上级关系形成循环：${names}。`, `The parents of row ${c.row.row} form a cycle: ${names}.`);
      }
      for (const c of cycle) c.parent = null;
    }
    for (const p of path) colour.set(p, 2);
  }

  // 5. the same name twice under the same parent
  const siblings = new Map<string, Node>();
  for (const n of nodes) {
    if (n.row) continue;
    siblings.set(`${n.parent ? n.parent.key : -1}|${n.norm}`, n);
  }
  for (const n of rowNodes) {
    if (n.failed) continue;
    const k = `${n.parent ? n.parent.key : -1}|${n.norm}`;
    const other = siblings.get(k);
    if (other && other !== n) {
      err(
        n,
        H.name,
        `第${n.row!.row}行与${rowName(other)}同名且上级相同，重复。`,
        `Row ${n.row!.row} has the same name and parent as ${rowNameEn(other)}: a duplicate.`,
      );
    } else siblings.set(k, n);
  }

  // 6. kind and tier (inferred when missing), region codes against tier and parent
  const tierDone = new Set<Node>();
  const ensureTier = (start: Node): void => {
    const chain: Node[] = [];
    let cur: Node | null | undefined = start;
    while (cur?.row && !tierDone.has(cur)) {
      tierDone.add(cur);
      chain.push(cur);
      cur = cur.parent;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const n = chain[i];
      const r = n.row!;
      if (n.kind === null) {
        n.kind = inferKind(n.name);
        warn(
          n,
          H.kind,
          `第${r.row}行未填写类型，按名称推断为“${BODY_KIND_ZH[n.kind]}”。`,
          `Row ${r.row} has no kind; inferred from the name: ${n.kind}.`,
        );
      }
      if (n.tier === null) {
        const inferred = inferTier(n.name, n.kind, n.regionCode, n.parent?.tier ?? null);
        if (inferred) {
          n.tier = inferred.tier;
          warn(
            n,
            H.tier,
            `第${r.row}行未填写层级，按${inferred.basis}推断为“${TIER_ZH[n.tier]}”。`,
            `Row ${r.row} has no tier; inferred from the ${inferred.basisEn}: ${n.tier}.`,
          );
        } else {
          err(
            n,
            H.tier,
            `第${r.row}行未填写层级，也无法推断，请填写“层级”。`,
            `Row ${r.row} has no tier and none can be inferred; fill in the tier.`,
          );
        }
      }
    }
  };
  for (const n of rowNodes) ensureTier(n);
  const effectiveCode = (n: Node | null | undefined): string | null => {
    for (let i = 0; n && i < 16; i++, n = n.parent) {
      const c = n.regionCode?.trim();
      if (c && validateRegionCode(c).ok) return c;
    }
    return null;
  };
  for (const n of rowNodes) {
    const r = n.row!;
    if (!r.regionCode) continue;
    const v = validateRegionCode(r.regionCode);
    if (!v.ok) continue;
    if (n.tier && n.tier !== v.tier) {
      warn(
        n,
        H.regionCode,
        `第${r.row}行的行政区划代码${v.code}是${TIER_ZH[v.tier]}代码，与层级“${TIER_ZH[n.tier]}”不一致。`,
        `The region code ${v.code} in row ${r.row} is a ${v.tier} code, but the tier is ${n.tier}.`,
      );
    }
    const pc = effectiveCode(n.parent);
    if (pc && !regionContains(pc, v.code)) {
      warn(
        n,
        H.regionCode,
        `第${r.row}行的行政区划代码${v.code}不在上级“${n.parent!.name}”的区划${pc}之内。`,
        `The region code ${v.code} in row ${r.row} is not inside the region ${pc} of the parent "${n.parent!.name}".`,
      );
    }
  }

  // 7. rows whose parent row failed fail too; creates in parent-first order
  const depth = new Map<Node, number>();
  const depthOf = (start: Node): number => {
    const chain: Node[] = [];
    const onChain = new Set<Node>();
    let cur: Node | null | undefined = start;
    while (cur?.row && !depth.has(cur) && !onChain.has(cur)) {
      chain.push(cur);
      onChain.add(cur);
      cur = cur.parent;
    }
    let d = cur && depth.has(cur) ? depth.get(cur)! : 0;
    for (let i = chain.length - 1; i >= 0; i--) {
      const n = chain[i];
      const p = n.parent;
      if (p?.row && p.failed && !n.failed) {
        err(
          n,
          H.parent,
          `第${n.row!.row}行的上级（第${p.row.row}行）有错误，本行暂不能导入。`,
          `The parent of row ${n.row!.row} (row ${p.row.row}) has errors; this row cannot be stored yet.`,
        );
      }
      depth.set(n, ++d);
    }
    return depth.get(start) ?? 0;
  };
  for (const n of rowNodes) depthOf(n);

  const creates: NewBody[] = [];
  const createIndex = new Map<Node, number>();
  const ordered = rowNodes.filter((n) => !n.existing && !n.failed).sort((a, b) => depth.get(a)! - depth.get(b)! || a.row!.row - b.row!.row);
  const refOf = (p: Node | null | undefined): ParentRef => {
    if (!p) return null;
    if (p.existing) return { existingId: p.existing.id };
    return { createIndex: createIndex.get(p)! };
  };
  for (const n of ordered) {
    const r = n.row!;
    createIndex.set(n, creates.length);
    creates.push({
      row: r.row,
      name: r.name,
      aliases: dedupeAliases(r.aliases, r.name),
      tier: n.tier!,
      kind: n.kind!,
      parentRef: refOf(n.parent),
      regionCode: r.regionCode ? r.regionCode.trim() : null,
      regionCodeYear: r.regionCodeYear,
      creditCode: n.creditCode,
      activeFrom: r.activeFrom,
      activeUntil: r.activeUntil,
    });
  }

  const updates: BodyUpdate[] = [];
  for (const n of rowNodes) {
    if (!n.existing || n.failed) continue;
    const b = n.existing;
    const r = n.row!;
    const changes: Partial<Body> = {};
    let parentRef: ParentRef | undefined;
    let aliases = [...b.aliases];
    if (r.name !== b.name) {
      changes.name = r.name;
      if (normaliseName(r.name) !== normaliseName(b.name) && !aliases.some((a) => normaliseName(a.name) === normaliseName(b.name))) {
        aliases.push({ name: b.name, kind: 'former', until: null });
        warn(
          n,
          H.name,
          `第${r.row}行将“${b.name}”改名为“${r.name}”，原名称作为曾用名保留。`,
          `Row ${r.row} renames "${b.name}" to "${r.name}"; the old name is kept as a former name.`,
        );
      }
    }
    for (const a of r.aliases) {
      const i = aliases.findIndex((x) => x.kind === a.kind && normaliseName(x.name) === normaliseName(a.name));
      if (i < 0) aliases.push(a);
      else if (a.kind === 'former' && a.until !== null && a.until !== undefined && aliases[i].until !== a.until)
        aliases[i] = { ...aliases[i], until: a.until };
    }
    aliases = dedupeAliases(aliases, r.name);
    if (!sameAliases(aliases, b.aliases)) changes.aliases = aliases;
    if (r.tier && r.tier !== b.tier) changes.tier = r.tier;
    if (r.kind && r.kind !== b.kind) changes.kind = r.kind;
    if (r.parent !== '') {
      const p = n.parent ?? null;
      if (p?.existing) {
        if (p.existing.id !== b.parentId) changes.parentId = p.existing.id;
      } else if (p) parentRef = refOf(p);
      else if (b.parentId !== null) changes.parentId = null;
    }
    const code = r.regionCode?.trim() ?? null;
    if (code && code !== b.regionCode) changes.regionCode = code;
    if (r.regionCodeYear !== null && r.regionCodeYear !== b.regionCodeYear) changes.regionCodeYear = r.regionCodeYear;
    if (n.creditCode && n.creditCode !== b.creditCode) changes.creditCode = n.creditCode;
    if (r.activeFrom !== null && r.activeFrom !== b.activeFrom) changes.activeFrom = r.activeFrom;
    if (r.activeUntil !== null && r.activeUntil !== b.activeUntil) changes.activeUntil = r.activeUntil;
    if (Object.keys(changes).length > 0 || parentRef)
      updates.push(parentRef ? { id: b.id, row: r.row, changes, parentRef } : { id: b.id, row: r.row, changes });
  }
  problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { creates, updates, problems };
}

// ---------------------------------------------------------------------------
// export

/** text that a spreadsheet could take for a formula (not a plain negative number) */
function formulaLike(s: string): boolean {
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(s) && !/^-\d+(?:\.\d+)?$/.test(s);
}

function csvField(s: string): string {
  const t = formulaLike(s) ? `'${s}` : s;
  return /[",\r\n]|^\s|\s$/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/**
 * How each body's parent is written: its name when no other exported body has the same
 * (normalised) name, otherwise the shortest tail of its chain of names `A/B/parent` that no other
 * body shares (`/A/B/parent`, anchored at the root, when even the whole chain is the tail of a
 * deeper body's); '' for a root (or a parent that is not among `bodies`).
 */
function parentRefs(bodies: Body[]): Map<number, string> {
  const byId = new Map(bodies.map((b) => [b.id, b]));
  const byName = new Map<string, Body[]>();
  for (const b of bodies) {
    const k = normaliseName(b.name);
    const l = listIn(byName, k);
    l.push(b);
  }
  /** the names of b and its ancestors, b first (at most 16, a cycle cut) */
  const chainOf = (b: Body): string[] => {
    const out: string[] = [];
    const seen = new Set<number>();
    let cur: Body | undefined = b;
    while (cur && !seen.has(cur.id) && out.length < 16) {
      seen.add(cur.id);
      out.push(cur.name);
      cur = cur.parentId !== null ? byId.get(cur.parentId) : undefined;
    }
    return out;
  };
  const written = new Map<number, string>();
  const refOf = (p: Body): string => {
    const cached = written.get(p.id);
    if (cached !== undefined) return cached;
    const same = byName.get(normaliseName(p.name)) ?? [];
    let ref = p.name;
    if (same.length > 1) {
      const names = chainOf(p);
      const mine = names.map(normaliseName);
      const others = same.filter((o) => o !== p).map((o) => chainOf(o).map(normaliseName));
      const clash = (k: number) => others.some((o) => o.length >= k && o.slice(0, k).join('/') === mine.slice(0, k).join('/'));
      let k = 2;
      while (k <= mine.length && clash(k)) k++;
      // the whole chain is shared by a deeper body: anchor the path at the root
      ref = k > mine.length ? `/${[...names].reverse().join('/')}` : names.slice(0, k).reverse().join('/');
    }
    written.set(p.id, ref);
    return ref;
  };
  const out = new Map<number, string>();
  for (const b of bodies) {
    const p = b.parentId !== null && b.parentId !== b.id ? byId.get(b.parentId) : undefined;
    out.set(b.id, p ? refOf(p) : '');
  }
  return out;
}

/** bodies in tree order (parents first, children in input order); bodies in a cycle at the end */
function treeOrder(bodies: Body[]): Body[] {
  const ids = new Set(bodies.map((b) => b.id));
  const kids = new Map<number, Body[]>();
  const roots: Body[] = [];
  for (const b of bodies) {
    if (b.parentId !== null && ids.has(b.parentId) && b.parentId !== b.id) {
      const l = listIn(kids, b.parentId);
      l.push(b);
    } else roots.push(b);
  }
  const out: Body[] = [];
  const seen = new Set<number>();
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const b = stack.pop()!;
    if (seen.has(b.id)) continue;
    seen.add(b.id);
    out.push(b);
    const k = kids.get(b.id);
    if (k) for (let i = k.length - 1; i >= 0; i--) stack.push(k[i]);
  }
  for (const b of bodies) if (!seen.has(b.id)) out.push(b);
  return out;
}

function exportCells(bodies: Body[]): (string | number | null)[][] {
  const parents = parentRefs(bodies);
  return treeOrder(bodies).map((b) => [
    b.name,
    b.aliases
      .filter((a) => a.kind === 'former')
      .map(formatAlias)
      .join('；'),
    b.aliases
      .filter((a) => a.kind === 'alias')
      .map(formatAlias)
      .join('；'),
    TIER_ZH[b.tier],
    BODY_KIND_ZH[b.kind],
    parents.get(b.id) ?? '',
    b.regionCode,
    b.regionCodeYear,
    b.creditCode,
    b.activeFrom,
    b.activeUntil,
  ]);
}

/**
 * Writes the directory as XLSX (sheet 机关名录) or CSV (UTF-8 with BOM, CRLF) with the headers of
 * {@link DIRECTORY_HEADERS}, parents first. Parents are written by name, or by a path of names
 * (`淮安市人民政府/洪泽区人民政府/教育局`) when the name is not unique, so that parsing the file and
 * planning it against an empty directory gives the same bodies back. Former names as `旧名（至2023）`,
 * several joined by '；' (a name containing ；;| does not survive the round trip). Formula-like
 * text (starting with = + - @, not a plain negative number) gets a leading apostrophe in CSV and
 * the Text format in XLSX (where it is a string, never a formula).
 */
export async function exportDirectory(bodies: Body[], kind: 'xlsx' | 'csv'): Promise<Uint8Array> {
  const header = FIELDS.map((f) => DIRECTORY_HEADERS[f]);
  const cells = exportCells(bodies);
  if (kind === 'csv') {
    const lines = [header, ...cells].map((r) => r.map((v) => csvField(v === null ? '' : String(v))).join(','));
    const text = `\uFEFF${lines.join('\r\n')}\r\n`;
    return new TextEncoder().encode(text);
  }
  const wb = new ExcelJS.Workbook();
  const fixed = new Date(Date.UTC(2020, 0, 1));
  wb.created = fixed;
  wb.modified = fixed;
  const ws = wb.addWorksheet('机关名录');
  ws.addRow(header);
  ws.getRow(1).font = { bold: true };
  const textColumns = new Set([1, 2, 3, 4, 5, 6, 7, 9]);
  for (const r of cells) {
    const row = ws.addRow(r.map((v) => (v === null ? null : v)));
    r.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      if (typeof v === 'string' && (textColumns.has(i + 1) || formulaLike(v))) cell.numFmt = '@';
    });
  }
  const widths = [36, 30, 24, 12, 10, 36, 14, 12, 22, 10, 10];
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
