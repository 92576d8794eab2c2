/**
 * The Report JSON and the diagnostics as zod schemas: the one definition of the data that the
 * types (`./report.ts`, `../check/types.ts`), the loading of a Report JSON (`normalizeReport`),
 * the API's OpenAPI components and the published JSON Schema (docs/schema/) derive from.
 *
 * The public contract (Report JSON §1, diagnostics §2) is kept as it is: add, never rename.
 * The fields added to it are marked “Addition” in their description.
 *
 * Parsing is lenient where the contract allows a value to be blank: a missing cell, row, section,
 * agency, year or date reads as `null` (the schema's defaults); a fee amount given as a JSON number
 * reads as its decimal string. Everything else must have the documented shape: a failure names the
 * JSON path, in Chinese and English (`schemaProblem`).
 *
 * Depends on zod and the format tables of ./format.ts only.
 */
import { z } from 'zod';
import { APPLICANT_COLUMNS, APPLICATION_ROWS, PROACTIVE_ROWS_2019, PROACTIVE_ROWS_2021, REVIEW_COLUMNS, REVIEW_GROUPS } from './format.js';

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

/**
 * The error of a schema: “应为… / should be …”, Chinese first (the convention of the API's
 * validation errors); `schemaProblem` puts the path before it and the value found after it.
 */
export function want(zh: string, en: string): { error: string } {
  return { error: `应为${zh} / should be ${en}` };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** a calendar date "YYYY-MM-DD" */
export const DateSchema = z
  .string(want(' YYYY-MM-DD 格式的日期', 'a YYYY-MM-DD date'))
  .regex(DATE, want(' YYYY-MM-DD 格式的日期', 'a YYYY-MM-DD date'));

const nullableText = () => z.string(want('字符串或 null', 'a string or null')).nullable();

/** a JSON number given where the contract has a decimal string: its decimal string */
const numberAsText = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v);

// ---------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------

export const FormatVersionSchema = z.enum(['2021', '2019']).meta({
  id: 'FormatVersion',
  description:
    'The national format of the tables: "2021" (国办公开办函〔2021〕30号, reports for 2021 onwards) or "2019" (国办公开办函〔2019〕60号, reports for 2019 and 2020).',
});

export const CountSchema = z
  .number(want('整数或 null', 'an integer or null'))
  .int(want('整数或 null', 'an integer or null'))
  .nullable()
  .default(null)
  .meta({
    id: 'Count',
    description:
      'A count cell: an integer, or null when the published cell was blank or held a not-applicable mark (/, —, -, &nbsp;). Checks count null as 0.',
  });

export const MoneySchema = z
  .preprocess(
    numberAsText,
    z
      .string(want('十进制数字符串或 null', 'a decimal string or null'))
      .trim()
      .regex(DECIMAL, want('十进制数字符串或 null', 'a decimal string or null'))
      .nullable()
      .default(null),
  )
  .meta({
    id: 'Money',
    description:
      'A money cell: a decimal string with no unit and no thousands separators ("7730.28", "0"), exactly the digits published, or null when blank. A JSON number is read as its decimal string.',
  });

/** the 2019 procurement amount: the text as published, unit included */
export const RawAmountSchema = z
  .preprocess(numberAsText, z.string(want('字符串或 null', 'a string or null')).trim().nullable().default(null))
  .meta({
    id: 'RawAmount',
    description: 'An amount as published, unit included ("251000元"), or null when blank. A JSON number is read as its decimal string.',
  });

const count = (description: string) => CountSchema.meta({ description });
/** a row of cells: a missing row reads as all blank */
const row = <S extends z.ZodRawShape>(shape: S) => z.object(shape, want('对象', 'an object')).prefault({} as never);

// ---------------------------------------------------------------------------
// 表一 proactive
// ---------------------------------------------------------------------------

const proactiveLabel = (rows: typeof PROACTIVE_ROWS_2021, key: string) => {
  const d = rows.find((r) => r.key === key);
  return d ? `${d.label} (${d.item})` : key;
};

const docs2021 = () =>
  row({
    issued: count('本年制发件数 (issued this year)'),
    repealed: count('本年废止件数 (repealed this year)'),
    inForce: count('现行有效件数 (in force)'),
  });
const decisions2021 = () => row({ decisions: count('本年处理决定数量 (decisions this year)') });

export const Proactive2021Schema = z
  .object(
    {
      regulations: docs2021().describe(proactiveLabel(PROACTIVE_ROWS_2021, 'regulations')),
      normativeDocuments: docs2021().describe(proactiveLabel(PROACTIVE_ROWS_2021, 'normativeDocuments')),
      licensing: decisions2021().describe(proactiveLabel(PROACTIVE_ROWS_2021, 'licensing')),
      punishment: decisions2021().describe(proactiveLabel(PROACTIVE_ROWS_2021, 'punishment')),
      enforcement: decisions2021().describe(proactiveLabel(PROACTIVE_ROWS_2021, 'enforcement')),
      fees: row({
        amount: MoneySchema.meta({ description: '本年收费金额（单位：万元） (fees collected, 万元): a decimal string' }),
      }).describe(proactiveLabel(PROACTIVE_ROWS_2021, 'fees')),
    },
    want('对象', 'an object'),
  )
  .meta({ id: 'Proactive2021', description: '表一 二、主动公开政府信息情况, format 2021.' });

const docs2019 = () =>
  row({
    made: count('本年新制作数量 (made this year)'),
    published: count('本年新公开数量 (published this year)'),
    total: count('对外公开总数量 (published in all)'),
  });
const items2019 = () =>
  row({
    previous: count('上一年项目数量 (items the year before)'),
    change: count('本年增/减 (change this year; may be negative)'),
    decisions: count('处理决定数量 (decisions)'),
  });

export const Proactive2019Schema = z
  .object(
    {
      regulations: docs2019().describe(proactiveLabel(PROACTIVE_ROWS_2019, 'regulations')),
      normativeDocuments: docs2019().describe(proactiveLabel(PROACTIVE_ROWS_2019, 'normativeDocuments')),
      licensing: items2019().describe(proactiveLabel(PROACTIVE_ROWS_2019, 'licensing')),
      otherServices: items2019().describe(proactiveLabel(PROACTIVE_ROWS_2019, 'otherServices')),
      punishment: items2019().describe(proactiveLabel(PROACTIVE_ROWS_2019, 'punishment')),
      enforcement: items2019().describe(proactiveLabel(PROACTIVE_ROWS_2019, 'enforcement')),
      fees: row({
        previous: count('上一年项目数量 (items the year before)'),
        change: count('本年增/减 (change this year; may be negative)'),
      }).describe(proactiveLabel(PROACTIVE_ROWS_2019, 'fees')),
      procurement: row({
        projects: count('采购项目数量 (procurement projects)'),
        amount: RawAmountSchema.meta({ description: '采购总金额 (total amount): the text as published, unit included ("251000元")' }),
      }).describe(proactiveLabel(PROACTIVE_ROWS_2019, 'procurement')),
    },
    want('对象', 'an object'),
  )
  .meta({ id: 'Proactive2019', description: '表一 二、主动公开政府信息情况, format 2019.' });

// ---------------------------------------------------------------------------
// 表二 applications
// ---------------------------------------------------------------------------

const column = (key: string) => {
  const c = APPLICANT_COLUMNS.find((x) => x.key === key);
  return count(c ? (c.group ? `${c.label} (${c.group})` : c.label) : key);
};

export const ApplicantColumnSchema = z
  .enum(['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'other', 'total'])
  .meta({ id: 'ApplicantColumn', description: 'The seven columns of 表二: the six kinds of applicant and 总计.' });

export const ApplicationRowSchema = z
  .object(
    {
      naturalPerson: column('naturalPerson'),
      commercial: column('commercial'),
      research: column('research'),
      publicInterest: column('publicInterest'),
      legalService: column('legalService'),
      other: column('other'),
      total: column('total'),
    },
    want('对象', 'an object'),
  )
  .meta({ id: 'ApplicationRow', description: 'One row of 表二: a count per applicant column and the row total.' });

const applicationRow = (key: string) => {
  const d = APPLICATION_ROWS.find((r) => r.key === key);
  const label = d ? [d.level1, d.level2, d.level3].filter((x, i, all) => x && all.indexOf(x) === i).join(' ') : key;
  return ApplicationRowSchema.prefault({}).meta({ description: label });
};
const optionalRow = (key: string, note: string) =>
  ApplicationRowSchema.optional().meta({ description: `${applicationRow(key).description} — ${note}` });

const commonApplicationRows = {
  newReceived: applicationRow('newReceived'),
  carriedOver: applicationRow('carriedOver'),
  granted: applicationRow('granted'),
  partlyGranted: applicationRow('partlyGranted'),
  withheldStateSecret: applicationRow('withheldStateSecret'),
  withheldLawProhibited: applicationRow('withheldLawProhibited'),
  withheldSecurityStability: applicationRow('withheldSecurityStability'),
  withheldThirdParty: applicationRow('withheldThirdParty'),
  withheldInternalAffairs: applicationRow('withheldInternalAffairs'),
  withheldProcessInfo: applicationRow('withheldProcessInfo'),
  withheldEnforcementFile: applicationRow('withheldEnforcementFile'),
  withheldQueryMatter: applicationRow('withheldQueryMatter'),
  unableNotHeld: applicationRow('unableNotHeld'),
  unableNeedsCreation: applicationRow('unableNeedsCreation'),
  unableUnclear: applicationRow('unableUnclear'),
  notProcessedComplaint: applicationRow('notProcessedComplaint'),
  notProcessedDuplicate: applicationRow('notProcessedDuplicate'),
  notProcessedPublication: applicationRow('notProcessedPublication'),
  notProcessedExcessive: applicationRow('notProcessedExcessive'),
  notProcessedConfirmation: applicationRow('notProcessedConfirmation'),
};

const MIXED = 'absent when the report used the 2019 single row （六）其他处理 instead (`otherHandling`, `template.mixedOtherHandling`)';

export const Applications2021Schema = z
  .object(
    {
      ...commonApplicationRows,
      otherNoCorrection: optionalRow('otherNoCorrection', MIXED),
      otherFeeUnpaid: optionalRow('otherFeeUnpaid', MIXED),
      otherOther: optionalRow('otherOther', MIXED),
      otherHandling: optionalRow(
        'otherHandling',
        'Addition: in a 2021 report only when it used this 2019 row in place of the three （六） rows (`template.mixedOtherHandling`)',
      ),
      outcomeTotal: applicationRow('outcomeTotal'),
      carriedForward: applicationRow('carriedForward'),
    },
    want('对象', 'an object'),
  )
  .meta({ id: 'Applications2021', description: '表二 三、收到和处理政府信息公开申请情况, format 2021: one row per key.' });

export const Applications2019Schema = z
  .object(
    {
      ...commonApplicationRows,
      otherHandling: applicationRow('otherHandling'),
      outcomeTotal: applicationRow('outcomeTotal'),
      carriedForward: applicationRow('carriedForward'),
    },
    want('对象', 'an object'),
  )
  .meta({ id: 'Applications2019', description: '表二 三、收到和处理政府信息公开申请情况, format 2019: one row per key.' });

// ---------------------------------------------------------------------------
// 表三 review and litigation
// ---------------------------------------------------------------------------

const reviewColumn = (key: string) => count(REVIEW_COLUMNS.find((c) => c.key === key)?.label ?? key);

export const ReviewGroupSchema = z
  .object(
    {
      upheld: reviewColumn('upheld'),
      corrected: reviewColumn('corrected'),
      other: reviewColumn('other'),
      pending: reviewColumn('pending'),
      total: reviewColumn('total'),
    },
    want('对象', 'an object'),
  )
  .meta({ id: 'ReviewGroup', description: 'One group of 表三: 结果维持, 结果纠正, 其他结果, 尚未审结 and 总计.' });

const reviewGroup = (key: string) => {
  const g = REVIEW_GROUPS.find((x) => x.key === key);
  return ReviewGroupSchema.prefault({}).meta({ description: g ? ('parent' in g ? `${g.parent}·${g.label}` : g.label) : key });
};

export const ReviewLitigationSchema = z
  .object(
    {
      review: reviewGroup('review'),
      litigationDirect: reviewGroup('litigationDirect'),
      litigationAfterReview: reviewGroup('litigationAfterReview'),
    },
    want('对象', 'an object'),
  )
  .meta({ id: 'ReviewLitigation', description: '表三 四、政府信息公开行政复议、行政诉讼情况.' });

// ---------------------------------------------------------------------------
// Where a value came from
// ---------------------------------------------------------------------------

const pos = (description: string) => z.number(want('整数', 'an integer')).int(want('整数', 'an integer')).meta({ description });
const coord = (description: string) => z.number(want('数字', 'a number')).meta({ description });

export const ProvenanceSchema = z
  .discriminatedUnion(
    'kind',
    [
      z
        .object({
          kind: z.literal('text'),
          line: pos('1-based line of the input'),
          column: pos('1-based column (code points)'),
        })
        .meta({ description: 'A plain-text input (text, Markdown, or the text of a legacy .doc): line and column.' }),
      z
        .object({
          kind: z.literal('pdf'),
          page: pos('1-based page'),
          x: coord('left edge, PDF units'),
          y: coord('baseline, PDF units from the bottom of the page'),
          width: coord('width, PDF units').optional(),
          height: coord('height, PDF units').optional(),
          ocr: z
            .boolean(want('true 或 false', 'true or false'))
            .optional()
            .meta({ description: 'Addition: true when the text was recognised (OCR) from the image of a scanned page' }),
          confidence: z
            .number(want('0 到 1 之间的数字', 'a number from 0 to 1'))
            .min(0, want('0 到 1 之间的数字', 'a number from 0 to 1'))
            .max(1, want('0 到 1 之间的数字', 'a number from 0 to 1'))
            .optional()
            .meta({ description: "Addition: with `ocr`, the recogniser's confidence in the text, 0–1" }),
        })
        .meta({ description: 'A PDF: page and position.' }),
      z
        .object({
          kind: z.literal('docx-paragraph'),
          paragraph: pos('1-based index of the body-level w:p of word/document.xml, empty paragraphs counted'),
        })
        .meta({ description: 'A DOCX paragraph outside any table.' }),
      z
        .object({
          kind: z.literal('table'),
          table: pos('1-based index of the table in the document'),
          row: pos('1-based row of the table (source rows, not expanded grid rows)'),
          cell: pos('1-based cell of the source row'),
          sheet: z.string(want('字符串', 'a string')).optional().meta({ description: 'XLSX: the sheet name' }),
          address: z.string(want('字符串', 'a string')).optional().meta({ description: 'XLSX: the A1 address of the cell' }),
          line: pos('HTML/Markdown: 1-based line of the cell in the source file').optional(),
          column: pos('HTML/Markdown: 1-based column of the cell in the source file').optional(),
        })
        .meta({ description: 'A table cell of a DOCX, HTML, Markdown or XLSX input.' }),
    ],
    {
      error: (iss) =>
        iss.code === 'invalid_union'
          ? want('"text"、"pdf"、"docx-paragraph" 或 "table"', '"text", "pdf", "docx-paragraph" or "table"').error
          : want('对象', 'an object').error,
    },
  )
  .meta({
    id: 'Provenance',
    description: 'Where a piece of text came from, by kind of input. Lines, columns, pages, tables, rows and cells are 1-based.',
  });

export const OriginSchema = z
  .object(
    {
      raw: z.string(want('字符串', 'a string')).meta({ description: 'the published token, e.g. "1,234", "/", ""' }),
      prov: ProvenanceSchema,
    },
    want('对象', 'an object'),
  )
  .meta({ id: 'Origin', description: 'Addition: the published token of a table cell and where it came from.' });

export const AmbiguitySchema = z
  .object(
    {
      path: z.string(want('字符串', 'a string')).meta({ description: 'the cell, as a JSON path: "applications.granted.total"' }),
      candidates: z
        .array(z.union([z.number(), z.string()], want('数字或字符串', 'a number or a string')), want('数组', 'an array'))
        .meta({ description: 'the values the cell may hold; empty when they could not be enumerated in the time allowed' }),
      more: z
        .boolean(want('true 或 false', 'true or false'))
        .optional()
        .meta({ description: 'Addition: true when there were more candidates than the 30 listed' }),
      reason: z
        .enum(['digits', 'placement', 'ocr'], want('"digits"、"placement" 或 "ocr"', '"digits", "placement" or "ocr"'))
        .optional()
        .meta({
          description:
            'Addition: why the cell is undecided: "digits" (digits run together, the default), "placement" (the value fits more than one row or column), "ocr" (recognised from a scan, and its reading is not borne out: low confidence or a sum it breaks)',
        }),
    },
    want('对象', 'an object'),
  )
  .meta({
    id: 'Ambiguity',
    description:
      'A cell the reader could not decide (e.g. digits run together, more than one split fitting every sum): the cell is null and its candidates are listed.',
  });

export const LabelRecordSchema = z
  .object(
    {
      path: z
        .string(want('字符串', 'a string'))
        .meta({ description: 'the row or cell, e.g. "applications.withheldLawProhibited" or "proactive.regulations.repealed"' }),
      published: z.string(want('字符串', 'a string')).meta({ description: 'the label as published, whitespace removed' }),
      expected: z.string(want('字符串', 'a string')).meta({ description: 'the label of the template' }),
      prov: ProvenanceSchema.optional(),
    },
    want('对象', 'an object'),
  )
  .meta({
    id: 'LabelRecord',
    description: 'Addition: a published row or column label that differs from the template (typo, non-standard wording).',
  });

export const TemplateSchema = z
  .object(
    {
      mixedOtherHandling: z.boolean(want('true 或 false', 'true or false')).optional().meta({
        description:
          'a 2021 report whose 表二 has the 2019 single row （六）其他处理: then `applications.otherHandling` replaces the three （六） rows',
      }),
      sectionsFound: z.array(z.string(want('字符串', 'a string')), want('数组', 'an array')).meta({
        description:
          'the sections whose heading was found in the expected order: "overview", "proactive", "applications", "reviewLitigation", "problems", "other"',
      }),
      sectionsOutOfOrder: z
        .array(z.string(want('字符串', 'a string')), want('数组', 'an array'))
        .optional()
        .meta({ description: 'the sections whose heading exists but out of the expected order (after a later section)' }),
    },
    want('对象', 'an object'),
  )
  .meta({ id: 'Template', description: 'Addition: what the reader noticed about the template of the document.' });

export const InputSchema = z
  .object(
    {
      kind: z
        .string(want('字符串', 'a string'))
        .meta({ description: 'the reader used: "text", "markdown", "html", "docx", "doc", "pdf" or "xlsx"' }),
      file: z.string(want('字符串', 'a string')).meta({ description: 'the file name as given' }),
    },
    want('对象', 'an object'),
  )
  .meta({ id: 'Input', description: 'Addition: the input the report was read from.' });

// ---------------------------------------------------------------------------
// The Report
// ---------------------------------------------------------------------------

const section = (description: string) => nullableText().default(null).meta({ description });

export const SectionsSchema = z
  .object(
    {
      overview: section('一、总体情况'),
      problems: section('五、存在的主要问题及改进情况'),
      other: section('六、其他需要报告的事项'),
    },
    want('对象', 'an object'),
  )
  .meta({ id: 'Sections', description: 'The narrative text of each part, or null when the part is missing.' });

const FORMAT =
  'the national format of the tables: "2021" (国办公开办函〔2021〕30号, reports for 2021 onwards) or "2019" (国办公开办函〔2019〕60号, reports for 2019 and 2020)';

const reportFields = {
  agency: nullableText().default(null).meta({ description: '发布机关: the publishing agency as best identified, or null' }),
  year: z
    .number(want('整数或 null', 'an integer or null'))
    .int(want('整数或 null', 'an integer or null'))
    .nullable()
    .default(null)
    .meta({ description: 'the year reported on (not the year of publication), or null' }),
  publishedOn: z
    .string(want('“YYYY-MM-DD”格式的日期或 null', 'a date "YYYY-MM-DD" or null'))
    .regex(DATE, want('“YYYY-MM-DD”格式的日期或 null', 'a date "YYYY-MM-DD" or null'))
    .nullable()
    .default(null)
    .meta({ description: 'the date of publication or signature found in the document, "YYYY-MM-DD", or null' }),
  sections: SectionsSchema.prefault({}),
};

const additions = {
  ambiguities: z
    .array(AmbiguitySchema, want('数组', 'an array'))
    .optional()
    .meta({ description: 'the cells whose value the reader could not tell (each such cell is null)' }),
  labels: z.array(LabelRecordSchema, want('数组', 'an array')).optional().meta({
    description: 'Addition: published row/column labels that differ from the template, with the expected label',
  }),
  template: TemplateSchema.optional(),
  input: InputSchema.optional(),
  provenance: z.record(z.string(), OriginSchema, want('对象', 'an object')).optional().meta({
    description: 'Addition: JSON path of every table cell → the published token and where it came from',
  }),
};

export const Report2021Schema = z
  .object(
    {
      format: z.literal('2021').meta({ description: FORMAT }),
      ...reportFields,
      proactive: Proactive2021Schema.meta({ description: '表一 二、主动公开政府信息情况: its rows by `format`' }),
      applications: Applications2021Schema.meta({ description: '表二 三、收到和处理政府信息公开申请情况: its rows by `format`' }),
      reviewLitigation: ReviewLitigationSchema,
      ...additions,
    },
    want('对象', 'an object'),
  )
  .meta({ id: 'Report2021', description: 'A report in the 2021 format (国办公开办函〔2021〕30号).' });

export const Report2019Schema = z
  .object(
    {
      format: z.literal('2019').meta({ description: FORMAT }),
      ...reportFields,
      proactive: Proactive2019Schema.meta({ description: '表一 二、主动公开政府信息情况: its rows by `format`' }),
      applications: Applications2019Schema.meta({ description: '表二 三、收到和处理政府信息公开申请情况: its rows by `format`' }),
      reviewLitigation: ReviewLitigationSchema,
      ...additions,
    },
    want('对象', 'an object'),
  )
  .meta({ id: 'Report2019', description: 'A report in the 2019 format (国办公开办函〔2019〕60号).' });

/**
 * One annual report (年度报告): what `nianbao parse FILE --json` prints. Values are what the report
 * published, even where they contradict each other.
 */
export const ReportSchema = z
  .discriminatedUnion('format', [Report2021Schema, Report2019Schema], {
    error: (iss) =>
      iss.code === 'invalid_union'
        ? want('"2021" 或 "2019"', '"2021" or "2019"').error
        : want('一个 Report JSON 对象', 'a Report JSON object').error,
  })
  .meta({
    id: 'Report',
    title: 'Report JSON',
    description:
      'One government information disclosure annual report (政府信息公开工作年度报告), as `nianbao parse FILE --json` prints it. The shape of the three tables depends on `format`.',
  });

// ---------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------

export const SeveritySchema = z.enum(['error', 'warning', 'info']).meta({ id: 'Severity', description: 'how serious a diagnostic is' });

export const DiagnosticSchema = z
  .object({
    rule: z.string().meta({ description: 'the stable rule id, documented in the rule catalogue (docs/rules.md)' }),
    severity: SeveritySchema,
    message: z.string().meta({ description: 'Chinese: what is wrong, with the numbers' }),
    path: z.string().nullable().meta({ description: 'the cell or section concerned, as a JSON path in the Report, or null' }),
    location: z
      .object({ line: z.number().int(), column: z.number().int() })
      .nullable()
      .meta({ description: 'where in the input: `{ line, column }` when the input has lines, else null' }),
    origin: ProvenanceSchema.nullable()
      .optional()
      .meta({ description: 'Addition: where the cell came from in any kind of input (PDF page and position, table/row/cell…)' }),
  })
  .meta({ id: 'Diagnostic', description: 'One problem found by `nianbao check`.' });

/** one result of `nianbao check FILE --json` (one line per file with several files) */
export const CheckOutputSchema = z
  .union([
    z
      .object({
        file: z.string().meta({ description: 'the file as given' }),
        report: ReportSchema,
        diagnostics: z.array(DiagnosticSchema).meta({ description: 'every problem found' }),
      })
      .meta({ description: 'a file that was read and checked' }),
    z
      .object({
        file: z.string().meta({ description: 'the file as given' }),
        error: z.string().meta({ description: 'why it could not be read, in Chinese and English' }),
      })
      .meta({ description: 'a file that could not be read (several files or a folder: the run goes on)' }),
  ])
  .meta({
    id: 'CheckOutput',
    title: 'Diagnostics JSON',
    description: 'What `nianbao check FILE --json` prints for each file: `{ file, report, diagnostics }`, or `{ file, error }`.',
  });

// ---------------------------------------------------------------------------
// The tables as laid out (the API's `grids`)
// ---------------------------------------------------------------------------

export const GridCellSchema = z
  .object({
    role: z.enum(['label', 'value', 'note']),
    text: z.string().nullable().meta({ description: 'label text, or the published value; null = a blank value cell' }),
    colspan: z.number().int(),
    rowspan: z.number().int(),
    path: z.string().optional().meta({ description: 'JSON path of a value cell, e.g. "applications.granted.total"' }),
    value: z.union([z.number(), z.string(), z.null()]).optional().meta({ description: 'the value of a value cell, as in the Report' }),
  })
  .meta({ id: 'GridCell', description: 'One cell of a table in the official layout.' });

export const GridSchema = z
  .object({
    table: z.enum(['proactive', 'applications', 'reviewLitigation']),
    heading: z.string().meta({ description: 'the section heading the table belongs to' }),
    columns: z.number().int().meta({ description: 'number of grid columns (表一 4, 表二 10, 表三 15)' }),
    rows: z
      .array(z.array(GridCellSchema))
      .meta({ description: 'source rows: each holds only the cells that start in it (like HTML <tr>)' }),
  })
  .meta({ id: 'Grid', description: 'A table of a report in the official layout (rows and spans), for display.' });

// ---------------------------------------------------------------------------
// Problems in Chinese and English
// ---------------------------------------------------------------------------

/** what is wrong with a value, at which JSON path (`(根)` for the value itself) */
export interface SchemaProblem {
  path: string;
  zh: string;
  en: string;
}

const TYPE_ZH: Record<string, [string, string]> = {
  string: ['字符串', 'a string'],
  number: ['数字', 'a number'],
  int: ['整数', 'an integer'],
  boolean: ['true 或 false', 'true or false'],
  object: ['对象', 'an object'],
  array: ['数组', 'an array'],
  null: ['null', 'null'],
};

function describeValue(v: unknown, zh: boolean): string {
  if (v === undefined) return zh ? '空缺' : 'nothing';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** “应为… / should be …” of an issue: the schema's own message, or one made from the issue */
function wanted(issue: z.core.$ZodIssue): [string, string] {
  const own = /^应为(.*) \/ should be (.*)$/s.exec(issue.message);
  if (own) return [own[1], own[2]];
  switch (issue.code) {
    case 'invalid_type': {
      const t = TYPE_ZH[issue.expected] ?? [issue.expected, issue.expected];
      return t;
    }
    case 'invalid_value':
      return [
        issue.values.map((v) => JSON.stringify(v)).join('、') + ' 之一',
        `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
      ];
    case 'too_small':
      return [`不小于 ${issue.minimum}`, `at least ${issue.minimum}`];
    case 'too_big':
      return [`不大于 ${issue.maximum}`, `at most ${issue.maximum}`];
    default:
      return ['另一种写法', 'something else'];
  }
}

/**
 * The first problem of a failed parse as one sentence each in Chinese and English, naming the JSON
 * path and the value found: “applications.granted.total 应为整数或 null，实际为 "many"”.
 */
export function schemaProblem(error: z.ZodError, input: unknown): SchemaProblem {
  const issue = error.issues[0];
  const keys = issue.path;
  const path = keys.map(String).join('.');
  const [zh, en] = wanted(issue);
  const found = valueAt(input, keys);
  return {
    path: path || '(根)',
    zh: `${path || '(根)'} 应为${zh}，实际为 ${describeValue(found, true)}`,
    en: `${path || '(root)'} should be ${en}, found ${describeValue(found, false)}`,
  };
}
