/**
 * The zod schemas of src/model are the one definition of the data: the reports nianbao writes
 * validate, the reports it is given are refused with the JSON path in Chinese and English, the
 * domain's own types agree with the schemas both ways (checked by `tsc -p tsconfig.json`), and the
 * JSON Schema documents and the field reference in docs/ are what the schemas generate.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generatedFiles } from '../scripts/gen-schema.js';
import type { Diagnostic } from '../src/check/types.js';
import { APPLICANT_COLUMNS, applicationRows, proactiveRows, REVIEW_COLUMNS, REVIEW_GROUPS } from '../src/model/format.js';
import type { Provenance } from '../src/model/provenance.js';
import type { Report, ReportOfFormat } from '../src/model/report.js';
import * as M from '../src/model/schema.js';
import { parseFile } from '../src/parse.js';
import type { DayInfo } from '../src/register/calendar.js';
import {
  APPLICANT_TYPES,
  type ApplicantType,
  type Case,
  type CaseEvent,
  type CaseState,
  type CaseStatus,
  type Consultation,
  type DueDates,
  EVENT_ZH,
  type EventType,
  type NewCase,
  OUTCOMES_2021,
  type Outcome,
  type Pause,
  type Proceeding,
  type ProceedingKind,
  type ProceedingResult,
  type ReplyOutcome,
  type Revision,
  type RevisionChange,
  type StateWarning,
  type Voided,
} from '../src/register/case.js';
import { CHANNEL_LABELS, type Channel } from '../src/register/channels.js';
import type { FeeBand, FeeInput, FeeResult } from '../src/register/fees.js';
import type { Grid, GridCell } from '../src/render/layout.js';
import { InvalidReportError, normalizeReport } from '../src/render/totals.js';
import { arbReport2019, arbReport2021, sampleReport2019, sampleReport2021 } from './helpers/arbitrary.js';
import { CORPUS, EXPECTED, FIXTURES, SEEDS, seedFiles } from './helpers/paths.js';
import { type Fixture, fixture } from './server/helpers.js';

// ---------------------------------------------------------------------------
// The domain's types and the schemas agree both ways (a mismatch fails `tsc -p tsconfig.json`)
// ---------------------------------------------------------------------------

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const agreement: {
  provenance: Same<Provenance, z.infer<typeof M.ProvenanceSchema>>;
  diagnostic: Same<Diagnostic, z.infer<typeof M.DiagnosticSchema>>;
  newCase: Same<NewCase, M.NewCase>;
  caseEvent: Same<CaseEvent, M.CaseEvent>;
  case: Same<Case, M.Case>;
  caseState: Same<CaseState, M.CaseState>;
  revision: Same<Revision, M.Revision>;
  revisionChange: Same<RevisionChange, M.RevisionChange>;
  stateWarning: Same<StateWarning, M.StateWarning>;
  consultation: Same<Consultation, M.Consultation>;
  proceeding: Same<Proceeding, M.Proceeding>;
  voided: Same<Voided, M.Voided>;
  dueDates: Same<DueDates, M.DueDates>;
  pause: Same<Pause, M.Pause>;
  caseStatus: Same<CaseStatus, M.CaseStatus>;
  outcome: Same<Outcome, M.Outcome>;
  replyOutcome: Same<ReplyOutcome, M.ReplyOutcome>;
  applicantType: Same<ApplicantType, M.ApplicantType>;
  eventType: Same<EventType, M.EventType>;
  proceedingKind: Same<ProceedingKind, M.ProceedingKind>;
  proceedingResult: Same<ProceedingResult, M.ProceedingResult>;
  channel: Same<Channel, M.Channel>;
  feeInput: Same<FeeInput, M.FeeInput>;
  feeResult: Same<FeeResult, M.FeeResult>;
  feeBand: Same<FeeBand, M.FeeBand>;
  dayInfo: Same<DayInfo, M.DayInfo>;
  grid: Same<Grid, M.Grid>;
  gridCell: Same<GridCell, M.GridCell>;
  /** every report the schema accepts is a Report of the code (whose tables are typed loosely) */
  report: ReportOfFormat extends Report ? true : false;
} = {
  provenance: true,
  diagnostic: true,
  newCase: true,
  caseEvent: true,
  case: true,
  caseState: true,
  revision: true,
  revisionChange: true,
  stateWarning: true,
  consultation: true,
  proceeding: true,
  voided: true,
  dueDates: true,
  pause: true,
  caseStatus: true,
  outcome: true,
  replyOutcome: true,
  applicantType: true,
  eventType: true,
  proceedingKind: true,
  proceedingResult: true,
  channel: true,
  feeInput: true,
  feeResult: true,
  feeBand: true,
  dayInfo: true,
  grid: true,
  gridCell: true,
  report: true,
};

const keys = (s: z.ZodObject) => Object.keys(s.shape);

describe('the schemas and the model agree', () => {
  it('the domain types are the schemas’ (compile-time, both ways)', () => {
    expect(Object.values(agreement).every((v) => v === true)).toBe(true);
  });

  it('the tables have the rows and columns of src/model/format.ts', () => {
    for (const [schema, version] of [
      [M.Proactive2021Schema, '2021'],
      [M.Proactive2019Schema, '2019'],
    ] as const) {
      const rows = proactiveRows(version);
      expect(keys(schema)).toEqual(rows.map((r) => r.key));
      for (const r of rows) {
        const row = schema.shape[r.key as keyof typeof schema.shape] as unknown as z.ZodType;
        expect(Object.keys(row.parse({}) as object), r.key).toEqual(r.fields.map((f) => f.key));
      }
    }
    expect(keys(M.Applications2019Schema)).toEqual(applicationRows('2019').map((r) => r.key));
    expect(keys(M.Applications2021Schema).filter((k) => k !== 'otherHandling')).toEqual(applicationRows('2021').map((r) => r.key));
    expect(keys(M.ApplicationRowSchema)).toEqual(APPLICANT_COLUMNS.map((c) => c.key));
    expect(M.ApplicantColumnSchema.options).toEqual(APPLICANT_COLUMNS.map((c) => c.key));
    expect(keys(M.ReviewLitigationSchema)).toEqual(REVIEW_GROUPS.map((g) => g.key));
    expect(keys(M.ReviewGroupSchema)).toEqual(REVIEW_COLUMNS.map((c) => c.key));
  });

  it('the register’s lists are the schemas’ enumerations', () => {
    expect(M.ApplicantTypeSchema.options).toEqual([...APPLICANT_TYPES]);
    expect(M.OutcomeSchema.options).toEqual([...OUTCOMES_2021]);
    expect(M.ChannelSchema.options.sort()).toEqual(Object.keys(CHANNEL_LABELS).sort());
    expect(M.EventTypeSchema.options.sort()).toEqual(Object.keys(EVENT_ZH).sort());
    expect(M.CaseEventSchema.options.map((o) => o.shape.type.value).sort()).toEqual(Object.keys(EVENT_ZH).sort());
  });

  it('the model depends on zod only', () => {
    const dir = join(import.meta.dirname, '../src/model');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const imports = [...readFileSync(join(dir, f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const i of imports) expect(i === 'zod' || i.startsWith('./'), `${f} imports ${i}`).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------
// What nianbao writes validates
// ---------------------------------------------------------------------------

/** the published JSON Schema document, read back as a validator (as another tool would use it) */
const published = (name: M.SchemaName) =>
  z.fromJSONSchema(JSON.parse(readFileSync(join(import.meta.dirname, `../docs/schema/${name}.schema.json`), 'utf8')));

/** valid, complete (every field the schema defaults is there) and with nothing the schema does not know */
function expectExactlyValid(report: unknown, label: string): void {
  const r = M.ReportSchema.safeParse(report);
  expect(r.error?.issues ?? [], label).toEqual([]);
  expect(r.data, label).toEqual(report);
  expect(published('report').safeParse(report).success, `${label} (docs/schema/report.schema.json)`).toBe(true);
}

describe('reports nianbao writes are valid Report JSON', () => {
  it('every expected report of test/expected', () => {
    const files = ['seeds', 'corpus'].flatMap((d) =>
      readdirSync(join(EXPECTED, d))
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(EXPECTED, d, f)),
    );
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      // the expected files store the first 20 characters of each section as `sectionsStart`
      const { sectionsStart, ...rest } = JSON.parse(readFileSync(file, 'utf8'));
      expectExactlyValid({ ...rest, sections: sectionsStart }, file);
    }
  });

  it('what the readers produce from the fixtures, provenance, labels and template included', async () => {
    const files = [
      ...seedFiles().map((f) => join(SEEDS, f)),
      ...readdirSync(join(CORPUS, 'pdf')).map((f) => join(CORPUS, 'pdf', f)),
      join(CORPUS, 'docx', 'template-2021.docx'),
      join(FIXTURES, 'html', 'report-2021.html'),
      join(FIXTURES, 'markdown', 'report-004.md'),
    ];
    let mixed = 0;
    for (const file of files) {
      const r = await parseFile(file);
      if (r.template?.mixedOtherHandling) mixed++;
      expect(r.provenance && Object.keys(r.provenance).length, file).toBeGreaterThan(0);
      expectExactlyValid(r, file);
    }
    expect(mixed).toBeGreaterThan(0);
  });

  it('random reports of both formats, with blank cells', () => {
    for (const arb of [arbReport2021({ nulls: true, missingSections: true }), arbReport2019({ nulls: true, missingSections: true })]) {
      fc.assert(
        fc.property(arb, (r) => {
          expectExactlyValid(r, r.format);
        }),
        { numRuns: 60 },
      );
    }
    expectExactlyValid(sampleReport2021(), 'sampleReport2021');
    expectExactlyValid(sampleReport2019(), 'sampleReport2019');
  });

  it('the diagnostics JSON of check --json', () => {
    const report = sampleReport2021();
    const diagnostics: Diagnostic[] = [
      { rule: 'applications-balance', severity: 'error', message: '…', path: 'applications.carriedForward.total', location: null },
      {
        rule: 'x',
        severity: 'info',
        message: '…',
        path: null,
        location: { line: 3, column: 1 },
        origin: { kind: 'pdf', page: 2, x: 1, y: 2 },
      },
    ];
    const line = { file: 'a.txt', report, diagnostics };
    expect(M.CheckOutputSchema.parse(line)).toEqual(line);
    expect(published('diagnostics').safeParse(line).success).toBe(true);
    expect(published('diagnostics').safeParse({ file: 'b.pdf', error: '文件无法读取。 / The file cannot be read.' }).success).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// What nianbao is given: lenient where the contract allows a blank, else the path in two languages
// ---------------------------------------------------------------------------

function refused(input: unknown): InvalidReportError {
  try {
    normalizeReport(input);
  } catch (e) {
    if (e instanceof InvalidReportError) return e;
    throw e;
  }
  throw new Error('expected an InvalidReportError');
}

// biome-ignore lint/suspicious/noExplicitAny: a report JSON mutated freely
type Loose = Record<string, any>;

const base = () => JSON.parse(JSON.stringify(sampleReport2021())) as Loose;

describe('reading a Report JSON', () => {
  it('fills what may be left out and reads a money number as its string', () => {
    const { report } = normalizeReport({
      format: '2021',
      proactive: { fees: { amount: 7730.28 } },
      applications: { granted: { naturalPerson: 1 } },
      reviewLitigation: { review: { upheld: 2 } },
      file: 'bulk.txt',
      sectionsStart: { overview: 'x' },
    });
    expect(report.agency).toBeNull();
    expect(report.year).toBeNull();
    expect(report.publishedOn).toBeNull();
    expect(report.sections).toEqual({ overview: null, problems: null, other: null });
    expect((report.proactive as Record<string, Record<string, unknown>>).fees.amount).toBe('7730.28');
    expect((report.proactive as Record<string, Record<string, unknown>>).regulations).toEqual({
      issued: null,
      repealed: null,
      inForce: null,
    });
    expect(Object.keys(report.applications)).toEqual(applicationRows('2021').map((r) => r.key));
    expect(report.applications.granted.naturalPerson).toBe(1);
    expect(report.reviewLitigation.litigationDirect.total).toBeNull();
    expect(report).not.toHaveProperty('file');
    expect(report).not.toHaveProperty('sectionsStart');
  });

  const cases: { what: string; mutate: (r: Loose) => void; path: string; zh: string; en: string }[] = [
    {
      what: 'an unknown format',
      mutate: (r) => (r.format = '2020'),
      path: 'format',
      zh: 'format 应为"2021" 或 "2019"，实际为 "2020"',
      en: 'format should be "2021" or "2019", found "2020"',
    },
    {
      what: 'no format',
      mutate: (r) => delete r.format,
      path: 'format',
      zh: 'format 应为"2021" 或 "2019"，实际为 空缺',
      en: 'format should be "2021" or "2019", found nothing',
    },
    {
      what: 'a count that is text',
      mutate: (r) => (r.applications.granted.total = 'many'),
      path: 'applications.granted.total',
      zh: 'applications.granted.total 应为整数或 null，实际为 "many"',
      en: 'applications.granted.total should be an integer or null, found "many"',
    },
    {
      what: 'a count that is a fraction',
      mutate: (r) => (r.reviewLitigation.review.upheld = 1.5),
      path: 'reviewLitigation.review.upheld',
      zh: 'reviewLitigation.review.upheld 应为整数或 null，实际为 1.5',
      en: 'reviewLitigation.review.upheld should be an integer or null, found 1.5',
    },
    {
      what: 'a count given as a numeric string (counts are not coerced)',
      mutate: (r) => (r.proactive.licensing.decisions = '12'),
      path: 'proactive.licensing.decisions',
      zh: 'proactive.licensing.decisions 应为整数或 null，实际为 "12"',
      en: 'proactive.licensing.decisions should be an integer or null, found "12"',
    },
    {
      what: 'money with a unit',
      mutate: (r) => (r.proactive.fees.amount = '12万'),
      path: 'proactive.fees.amount',
      zh: 'proactive.fees.amount 应为十进制数字符串或 null，实际为 "12万"',
      en: 'proactive.fees.amount should be a decimal string or null, found "12万"',
    },
    {
      what: 'a date in Chinese',
      mutate: (r) => (r.publishedOn = '2023年1月18日'),
      path: 'publishedOn',
      zh: 'publishedOn 应为“YYYY-MM-DD”格式的日期或 null，实际为 "2023年1月18日"',
      en: 'publishedOn should be a date "YYYY-MM-DD" or null, found "2023年1月18日"',
    },
    {
      what: 'a section that is not text',
      mutate: (r) => (r.sections.problems = 5),
      path: 'sections.problems',
      zh: 'sections.problems 应为字符串或 null，实际为 5',
      en: 'sections.problems should be a string or null, found 5',
    },
    {
      what: 'a table that is an array',
      mutate: (r) => (r.reviewLitigation = []),
      path: 'reviewLitigation',
      zh: 'reviewLitigation 应为对象，实际为 []',
      en: 'reviewLitigation should be an object, found []',
    },
    {
      what: 'a missing table',
      mutate: (r) => delete r.applications,
      path: 'applications',
      zh: 'applications 应为对象，实际为 空缺',
      en: 'applications should be an object, found nothing',
    },
    {
      what: 'an unknown kind of provenance',
      mutate: (r) => (r.provenance = { 'applications.granted.total': { raw: '3', prov: { kind: 'word', page: 1 } } }),
      path: 'provenance.applications.granted.total.prov.kind',
      zh: 'provenance.applications.granted.total.prov.kind 应为"text"、"pdf"、"docx-paragraph" 或 "table"，实际为 "word"',
      en: 'provenance.applications.granted.total.prov.kind should be "text", "pdf", "docx-paragraph" or "table", found "word"',
    },
    {
      what: 'an ambiguity candidate that is neither number nor string',
      mutate: (r) => (r.ambiguities = [{ path: 'applications.granted.total', candidates: [true] }]),
      path: 'ambiguities.0.candidates.0',
      zh: 'ambiguities.0.candidates.0 应为数字或字符串，实际为 true',
      en: 'ambiguities.0.candidates.0 should be a number or a string, found true',
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.what}, naming the path in Chinese and English`, () => {
      const r = base();
      c.mutate(r);
      const e = refused(r);
      expect({ path: e.path, zh: e.zh, en: e.en }).toEqual({ path: c.path, zh: c.zh, en: c.en });
    });
  }

  it('refuses what is not an object at all', () => {
    for (const v of [5, null, 'report', []]) {
      const e = refused(v);
      expect(e.path).toBe('(根)');
      expect(e.zh).toMatch(/^\(根\) 应为一个 Report JSON 对象，实际为 /);
      expect(e.en).toMatch(/^\(root\) should be a Report JSON object, found /);
    }
  });

  it('names the path of a wrong value in any cell of a random report', () => {
    const wrong = fc.constantFrom<unknown>('x', true, 1.5, {}, [], '1,234');
    fc.assert(
      fc.property(fc.oneof(arbReport2021(), arbReport2019()), fc.nat(), wrong, (report, pick, value) => {
        const r = structuredClone(report) as Loose;
        const cells: [string, string, string][] = [];
        for (const t of ['proactive', 'applications', 'reviewLitigation'])
          for (const [row, cols] of Object.entries(r[t] as Record<string, Record<string, unknown>>))
            for (const col of Object.keys(cols)) cells.push([t, row, col]);
        const [t, row, col] = cells[pick % cells.length];
        // an amount takes a string (the 2019 procurement amount: any text) or a number (read as its decimal string)
        if (col === 'amount' && (typeof value === 'string' || typeof value === 'number')) return;
        r[t][row][col] = value;
        const e = refused(r);
        expect(e.path).toBe(`${t}.${row}.${col}`);
        expect(e.zh.startsWith(`${t}.${row}.${col} 应为`)).toBe(true);
        expect(e.en.startsWith(`${t}.${row}.${col} should be`)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('the same sentences for a diagnostic, a case event or a case', () => {
    const diag = M.DiagnosticSchema.safeParse({ rule: 'x', severity: 'fatal', message: '', path: null, location: null });
    expect(diag.success).toBe(false);
    const p = M.schemaProblem(diag.error as z.ZodError, { severity: 'fatal' });
    expect(p.path).toBe('severity');
    expect(p.zh).toBe('severity 应为"error"、"warning"、"info" 之一，实际为 "fatal"');
    expect(p.en).toBe('severity should be one of "error", "warning", "info", found "fatal"');
    const event = M.CaseEventSchema.safeParse({ type: 'reply', on: '2025-01-02', by: 'x', outcome: 'otherFeeUnpaid' });
    expect(event.success).toBe(false);
    expect(M.schemaProblem(event.error as z.ZodError, {}).path).toBe('outcome');
    const date = M.NewCaseEventSchema.safeParse({ type: 'feePaid', on: '2025/01/02' });
    expect(M.schemaProblem(date.error as z.ZodError, { on: '2025/01/02' })).toEqual({
      path: 'on',
      zh: 'on 应为 YYYY-MM-DD 格式的日期，实际为 "2025/01/02"',
      en: 'on should be a YYYY-MM-DD date, found "2025/01/02"',
    });
  });
});

// ---------------------------------------------------------------------------
// The documents in docs/ and on the API
// ---------------------------------------------------------------------------

describe('docs/schema and docs/report-json.md', () => {
  it('are what scripts/gen-schema.ts generates (run `npm run docs:schema` after changing a schema)', () => {
    for (const [file, text] of generatedFiles()) {
      let current = '';
      try {
        current = readFileSync(file, 'utf8');
      } catch {
        // missing: out of date
      }
      expect(current === text, `${file} is out of date: run npm run docs:schema`).toBe(true);
    }
  });

  it('the register documents validate a case and its events as the API gives them', () => {
    const c = published('case');
    const kase = {
      id: '2025-001',
      applicant: { name: '张三', identity: { type: '居民身份证', number: '1' }, contact: { phone: '1' } },
      applicantType: 'naturalPerson',
      request: { description: 'x' },
      delivery: { form: '纸质', channel: '邮寄' },
      receipt: { channel: 'inPerson', arrivedOn: '2025-03-03' },
      registeredBy: '李四',
      receivedOn: '2025-03-03',
      events: [
        { type: 'reply', on: '2025-03-05', by: '李四', outcome: 'granted', voided: { at: '2025-03-06T01:00:00Z', by: 'x', reason: 'y' } },
      ],
      state: {
        closed: null,
        correction: null,
        consultations: [],
        extensionDays: 0,
        fee: null,
        proceedings: [],
        lastEventOn: '2025-03-05',
      },
      revisions: [{ kind: 'void', at: '2025-03-06T01:00:00Z', by: 'x', reason: 'y', seq: 1, changes: [] }],
    };
    expect(M.CaseSchema.parse(kase)).toEqual(kase);
    expect(c.safeParse(kase).success).toBe(true);
    expect(c.safeParse({ ...kase, events: [{ type: 'reply', on: '2025-03-05', by: 'x', outcome: 'nope' }] }).success).toBe(false);
  });
});

describe('the API', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
  });
  afterAll(async () => {
    await f.cleanup();
  });

  it('serves the JSON Schema documents to a logged-in user', async () => {
    const c = await f.client('clerk');
    for (const name of M.SCHEMA_NAMES) {
      const r = await c.get(`/api/schema/${name}.json`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/schema\+json/);
      expect(new TextDecoder().decode(r.bytes)).toBe(M.jsonSchemaText(name));
    }
    expect((await c.get('/api/schema/nothing.json')).status).toBe(400);
    expect((await f.app.request('/api/schema/report.json')).status).toBe(401);
  });

  it('documents the data with the model’s schemas, none of them left as `any`', async () => {
    const doc = (await (await f.app.request('/openapi.json')).json()) as {
      components: { schemas: Record<string, Record<string, unknown>> };
    };
    const s = doc.components.schemas;
    for (const name of [
      'Report',
      'Report2021',
      'Report2019',
      'Diagnostic',
      'Case',
      'CaseEvent',
      'NewCaseEvent',
      'NewCase',
      'DueDates',
      'CaseStatus',
    ]) {
      expect(s[name], name).toBeDefined();
      expect(Boolean(s[name].properties || s[name].oneOf), `${name} is described`).toBe(true);
    }
    expect((s.Report.oneOf as unknown[]).length).toBe(2);
    expect(s.StoredEvent.properties).toMatchObject({ event: { $ref: '#/components/schemas/CaseEvent' } });
  });

  it('refuses a Report body with the path in both languages', async () => {
    const c = await f.client('clerk');
    const r = base();
    r.applications.granted.total = 'many';
    const res = await c.post('/api/check', { report: r });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid-report',
      message: '不是有效的 Report JSON：applications.granted.total 应为整数或 null，实际为 "many"。',
      messageEn: 'Not a valid Report JSON: applications.granted.total should be an integer or null, found "many".',
      details: { path: 'applications.granted.total' },
    });
  });
});
